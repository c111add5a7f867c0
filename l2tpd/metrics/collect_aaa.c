/*
 * The families of the RADIUS client (`show radius server`, through
 * aaa/radius_client.h), per server and kind (auth, acct).
 */
#include <stdio.h>

#include "l2tpd.h"
#include "aaa/radius_client.h"
#include "metrics/metrics.h"
#include "metrics/prom.h"

static const char *const metrics_kinds[RADIUS_KINDS] = { "auth", "acct" };

/* One family: for each server and kind, the member at `off`. */
static void metrics_aaa_each(struct l2tpd *d, struct prom *p, size_t off, const char *l,
			     const char *v)
{
	struct radius_server_info si;
	char port[8];

	for (unsigned i = 0; radius_client_server_info(d, i, &si) == 0; i++) {
		for (int k = 0; k < RADIUS_KINDS; k++) {
			const struct radius_stats *st = radius_client_stats(d, i, (enum radius_kind)k);

			if (st == NULL || (k == RADIUS_AUTH ? si.auth_port : si.acct_port) == 0)
				continue;
			snprintf(port, sizeof port, "%u",
				 k == RADIUS_AUTH ? si.auth_port : si.acct_port);
			prom_labels_push(p, "server", si.address);
			prom_labels_push(p, "port", port);
			prom_labels_push(p, "kind", metrics_kinds[k]);
			prom_sample(p, *(const uint64_t *)((const char *)st + off), l, v, NULL, NULL);
			prom_labels_clear(p);
		}
	}
}

#define METRICS_RS(member)	offsetof(struct radius_stats, member)

static void metrics_aaa_latency(struct l2tpd *d, struct prom *p)
{
	struct radius_server_info si;
	char port[8];

	prom_family(p, "l2tpd_radius_latency_seconds", "histogram", "Round-trip time of the "
		    "RADIUS answers taken, per server and kind.");
	for (unsigned i = 0; radius_client_server_info(d, i, &si) == 0; i++) {
		for (int k = 0; k < RADIUS_KINDS; k++) {
			const struct radius_stats *st = radius_client_stats(d, i, (enum radius_kind)k);

			if (st == NULL || (k == RADIUS_AUTH ? si.auth_port : si.acct_port) == 0)
				continue;
			snprintf(port, sizeof port, "%u",
				 k == RADIUS_AUTH ? si.auth_port : si.acct_port);
			prom_labels_push(p, "server", si.address);
			prom_labels_push(p, "port", port);
			prom_labels_push(p, "kind", metrics_kinds[k]);
			prom_histogram(p, &st->latency);
			prom_labels_clear(p);
		}
	}
}

void metrics_collect_aaa(struct l2tpd *d, struct prom *p)
{
	struct radius_server_info si;
	struct radius_client_info ci;

	prom_family(p, "l2tpd_radius_requests_total", "counter", "RADIUS requests handed to a "
		    "server (first transmissions).");
	metrics_aaa_each(d, p, METRICS_RS(requests), NULL, NULL);
	prom_family(p, "l2tpd_radius_retransmissions_total", "counter", "RADIUS requests sent "
		    "again.");
	metrics_aaa_each(d, p, METRICS_RS(retransmissions), NULL, NULL);
	prom_family(p, "l2tpd_radius_timeouts_total", "counter", "RADIUS requests given up on a "
		    "server.");
	metrics_aaa_each(d, p, METRICS_RS(timeouts), NULL, NULL);
	prom_family(p, "l2tpd_radius_answers_total", "counter", "RADIUS answers taken, by code.");
	metrics_aaa_each(d, p, METRICS_RS(accepts), "code", "access_accept");
	metrics_aaa_each(d, p, METRICS_RS(rejects), "code", "access_reject");
	metrics_aaa_each(d, p, METRICS_RS(challenges), "code", "access_challenge");
	metrics_aaa_each(d, p, METRICS_RS(responses), "code", "accounting_response");
	prom_family(p, "l2tpd_radius_dropped_answers_total", "counter", "RADIUS answers dropped, "
		    "by reason.");
	metrics_aaa_each(d, p, METRICS_RS(bad_authenticators), "reason", "bad_authenticator");
	metrics_aaa_each(d, p, METRICS_RS(bad_msgauth), "reason", "bad_message_authenticator");
	metrics_aaa_each(d, p, METRICS_RS(missing_msgauth), "reason",
			 "missing_message_authenticator");
	metrics_aaa_each(d, p, METRICS_RS(malformed), "reason", "malformed");
	metrics_aaa_each(d, p, METRICS_RS(unknown_ids), "reason", "unknown_id");
	metrics_aaa_each(d, p, METRICS_RS(wrong_codes), "reason", "wrong_code");
	metrics_aaa_latency(d, p);
	prom_family(p, "l2tpd_radius_server_up", "gauge", "1 while a RADIUS server is alive "
		    "(not skipped as dead).");
	for (unsigned i = 0; radius_client_server_info(d, i, &si) == 0; i++)
		prom_sample(p, si.alive ? 1 : 0, "server", si.address, NULL, NULL);
	prom_gauge1(p, "l2tpd_radius_pending_requests", "RADIUS requests waiting for an answer.",
		    radius_client_info(d, &ci) == 0 ? ci.pending : 0);
}
