/*
 * The families of l2tp/ and the data path: tunnels and sessions by state,
 * control messages by type, StopCCN and CDN by result code, the daemon's
 * counters (`show l2tp statistics`), PPP, the data-path totals, and the
 * guard (`show l2tp security`).
 */
#include <stdio.h>
#include <string.h>

#include "l2tpd.h"
#include "l2tp/counters.h"
#include "l2tp/guard.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "metrics/metrics.h"
#include "metrics/prom.h"

/* The counts l2tp/ keeps as states change (d->tunnels_in, sessions_in):
 * a scrape costs the same at 200,000 sessions as at none. */
static void metrics_l2tp_states(struct l2tpd *d, struct prom *p)
{
	prom_family(p, "l2tpd_tunnels", "gauge", "Tunnels, by state.");
	for (unsigned i = 0; i < L2TPD_TUNNEL_STATES; i++)
		prom_sample(p, d->tunnels_in[i], "state", l2tp_tunnel_state_string(i), NULL, NULL);
	prom_family(p, "l2tpd_sessions", "gauge", "Sessions, by state.");
	for (unsigned i = 0; i < L2TPD_SESSION_STATES; i++)
		prom_sample(p, d->sessions_in[i], "state", l2tp_session_state_string(i), NULL,
			    NULL);
}

static void metrics_l2tp_by_type(struct prom *p, const char *name, const char *help,
				 const uint64_t *v, const uint64_t *unknown)
{
	prom_family(p, name, "counter", help);
	for (int i = 0; i < L2TP_COUNTERS_TYPES; i++)
		if (i == L2TP_MSG_ZLB || strcmp(l2tp_msg_type_name(i), "unknown") != 0)
			prom_sample(p, v[i], "type", l2tp_msg_type_name(i), NULL, NULL);
	if (unknown)
		prom_sample(p, *unknown, "type", "unknown", NULL, NULL);
}

/* StopCCN: result codes 0..7 (§4.4.2); CDN: 0..11; the rest as "other". */
static void metrics_l2tp_results(struct prom *p, const char *name, const char *help,
				 const uint64_t *tx, const uint64_t *rx, unsigned last)
{
	char code[8];

	prom_family(p, name, "counter", help);
	for (unsigned i = 0; i < L2TP_COUNTERS_RESULTS; i++) {
		uint64_t vt = tx[i], vr = rx[i];

		if (i > last && i < L2TP_COUNTERS_RESULTS - 1)
			continue;	/* not defined: counted in "other" below */
		if (i == L2TP_COUNTERS_RESULTS - 1) {
			for (unsigned k = last + 1; k < L2TP_COUNTERS_RESULTS - 1; k++) {
				vt += tx[k];
				vr += rx[k];
			}
			snprintf(code, sizeof code, "other");
		} else {
			snprintf(code, sizeof code, "%u", i);
		}
		prom_sample(p, vt, "direction", "sent", "result", code);
		prom_sample(p, vr, "direction", "received", "result", code);
	}
}

static void metrics_l2tp_messages(struct l2tpd *d, struct prom *p)
{
	const struct l2tp_counters *c = &d->counters;

	metrics_l2tp_by_type(p, "l2tpd_control_messages_received_total",
			     "Control messages received and delivered in order, by type (ZLB: "
			     "every one).", c->rx, &c->rx_unknown);
	metrics_l2tp_by_type(p, "l2tpd_control_messages_sent_total",
			     "Control messages sent, first transmissions, by type.", c->tx, NULL);
	metrics_l2tp_by_type(p, "l2tpd_control_messages_retransmitted_total",
			     "Control messages sent again (retransmission timeout, resync probe), "
			     "by type.", c->retx, NULL);
	metrics_l2tp_results(p, "l2tpd_stopccn_total", "StopCCN messages, by direction and "
			     "result code (RFC 2661 4.4.2).", c->stopccn_tx, c->stopccn_rx, 7);
	metrics_l2tp_results(p, "l2tpd_cdn_total", "CDN messages, by direction and result "
			     "code (RFC 2661 4.4.2).", c->cdn_tx, c->cdn_rx, 11);
}

static void metrics_l2tp_daemon(struct l2tpd *d, struct prom *p)
{
	const struct l2tpd_stats *s = &d->stats;

	prom_counter1(p, "l2tpd_packets_received_total", "UDP datagrams read on L2TP sockets.",
		      s->rx_packets);
	prom_counter1(p, "l2tpd_packets_sent_total", "L2TP packets sent.", s->tx_packets);
	prom_counter1(p, "l2tpd_packet_send_errors_total", "L2TP packets that could not be sent.",
		      s->tx_errors);
	prom_family(p, "l2tpd_packets_dropped_total", "counter", "L2TP packets dropped, by reason.");
	prom_sample(p, s->rx_bad, "reason", "bad_header", NULL, NULL);
	prom_sample(p, s->rx_bad_version, "reason", "not_l2tpv2", NULL, NULL);
	prom_sample(p, s->rx_no_tunnel, "reason", "unknown_tunnel", NULL, NULL);
	prom_sample(p, s->rx_data_no_session, "reason", "unknown_session", NULL, NULL);
	prom_sample(p, s->rx_data_no_ppp, "reason", "session_without_ppp", NULL, NULL);
	prom_family(p, "l2tpd_tunnel_setups_total", "counter",
		    "Tunnels created, refused, and failed before they were established.");
	prom_sample(p, s->tunnels_created, "result", "created", NULL, NULL);
	prom_sample(p, s->tunnels_refused, "result", "refused", NULL, NULL);
	prom_sample(p, s->tunnels_failed, "result", "failed", NULL, NULL);
	prom_counter1(p, "l2tpd_tunnel_auth_failures_total", "Tunnel authentication failures.",
		      s->tunnel_auth_failures);
	prom_family(p, "l2tpd_session_setups_total", "counter", "Sessions created and refused.");
	prom_sample(p, s->sessions_created, "result", "created", NULL, NULL);
	prom_sample(p, s->sessions_refused, "result", "refused", NULL, NULL);
}

/* RFC 2866 §5.10 names of the causes l2tp/ notes (l2tp/session.h). */
static const char *metrics_cause_name(unsigned c)
{
	static const char *const names[METRICS_CAUSES] = {
		[0] = "unknown", [L2TP_TC_USER_REQUEST] = "user_request",
		[L2TP_TC_LOST_CARRIER] = "lost_carrier", [L2TP_TC_LOST_SERVICE] = "lost_service",
		[L2TP_TC_IDLE_TIMEOUT] = "idle_timeout",
		[L2TP_TC_SESSION_TIMEOUT] = "session_timeout",
		[L2TP_TC_ADMIN_RESET] = "admin_reset", [L2TP_TC_ADMIN_REBOOT] = "admin_reboot",
		[L2TP_TC_PORT_ERROR] = "port_error", [L2TP_TC_NAS_ERROR] = "nas_error",
		[L2TP_TC_NAS_REQUEST] = "nas_request", [L2TP_TC_NAS_REBOOT] = "nas_reboot",
		[L2TP_TC_USER_ERROR] = "user_error",
	};

	return c < METRICS_CAUSES ? names[c] : NULL;
}

static void metrics_l2tp_ppp(struct l2tpd *d, struct prom *p)
{
	const struct l2tpd_stats *s = &d->stats;
	const struct metrics *m = d->metrics;

	prom_family(p, "l2tpd_ppp_authentications_total", "counter",
		    "PPP authentications, by result.");
	prom_sample(p, s->ppp_auth_ok, "result", "success", NULL, NULL);
	prom_sample(p, s->ppp_auth_failures, "result", "failure", NULL, NULL);
	prom_counter1(p, "l2tpd_ppp_up_total", "PPP links whose IPCP opened.", s->ppp_up);
	prom_family(p, "l2tpd_ppp_failures_total", "counter",
		    "PPP links that failed, by reason: authentication refused, no address to "
		    "give, keepalive lost (LCP echo or the tunnel), an error of ours.");
	prom_sample(p, s->ppp_auth_failures, "reason", "authentication", NULL, NULL);
	prom_sample(p, s->ppp_no_address, "reason", "no_address", NULL, NULL);
	prom_sample(p, m->ppp_ended[L2TP_TC_LOST_CARRIER], "reason", "lost_carrier", NULL, NULL);
	prom_sample(p, m->ppp_ended[L2TP_TC_NAS_ERROR] + m->ppp_ended[L2TP_TC_PORT_ERROR],
		    "reason", "nas_error", NULL, NULL);
	prom_family(p, "l2tpd_ppp_sessions_ended_total", "counter",
		    "PPP sessions ended, by RFC 2866 Acct-Terminate-Cause.");
	for (unsigned i = 0; i < METRICS_CAUSES; i++)
		if (metrics_cause_name(i) != NULL)
			prom_sample(p, m->ppp_ended[i], "cause", metrics_cause_name(i), NULL, NULL);
}

static void metrics_l2tp_dataplane(struct l2tpd *d, struct prom *p)
{
	struct dp_stats st;

	metrics_dp_totals(d, &st);
	prom_family(p, "l2tpd_dataplane_packets_total", "counter",
		    "Session data packets, by direction (received from the peer, sent to it).");
	prom_sample(p, st.rx_packets, "direction", "received", NULL, NULL);
	prom_sample(p, st.tx_packets, "direction", "sent", NULL, NULL);
	prom_family(p, "l2tpd_dataplane_bytes_total", "counter", "Session data bytes, by "
		    "direction.");
	prom_sample(p, st.rx_bytes, "direction", "received", NULL, NULL);
	prom_sample(p, st.tx_bytes, "direction", "sent", NULL, NULL);
	prom_family(p, "l2tpd_dataplane_errors_total", "counter", "Session data errors, by "
		    "direction.");
	prom_sample(p, st.rx_errors, "direction", "received", NULL, NULL);
	prom_sample(p, st.tx_errors, "direction", "sent", NULL, NULL);
}

static void metrics_count_blocked(void *arg, const struct l2tp_guard_src *s, uint64_t left_ms)
{
	(*(uint64_t *)arg)++;
}

static void metrics_l2tp_guard(struct l2tpd *d, struct prom *p)
{
	const struct l2tp_guard_stats *g = &d->guard.stats;
	uint64_t blocked = 0;

	prom_counter1(p, "l2tpd_sccrq_accepted_total", "SCCRQs let through the guard.",
		      g->sccrq_passed);
	prom_family(p, "l2tpd_sccrq_dropped_total", "counter", "SCCRQs dropped before any "
		    "state was made, by reason (access list, blocked source, per-source rate, "
		    "total rate, deferred behind a half-open tunnel).");
	prom_sample(p, g->drop_acl, "reason", "access_list", NULL, NULL);
	prom_sample(p, g->drop_blocked, "reason", "blocked", NULL, NULL);
	prom_sample(p, g->drop_rate_source, "reason", "rate_source", NULL, NULL);
	prom_sample(p, g->drop_rate_total, "reason", "rate_total", NULL, NULL);
	prom_sample(p, g->drop_deferred, "reason", "deferred", NULL, NULL);
	prom_gauge1(p, "l2tpd_half_open_tunnels", "Tunnels not yet authenticated.",
		    d->guard.n_half_open);
	prom_counter1(p, "l2tpd_half_open_evicted_total", "Half-open tunnels evicted by newer "
		      "ones.", g->half_open_evicted);
	prom_counter1(p, "l2tpd_source_blocks_total", "Times a source was blocked after repeated "
		      "authentication failures.", g->sources_blocked);
	l2tp_guard_foreach_blocked(d, metrics_count_blocked, &blocked);
	prom_gauge1(p, "l2tpd_sources_blocked", "Sources blocked now.", blocked);
	prom_family(p, "l2tpd_calls_refused_total", "counter", "New calls refused by a limit, "
		    "by reason (session limit, ICRQ rate, descriptor reserve).");
	prom_sample(p, g->calls_limit_refused, "reason", "session_limit", NULL, NULL);
	prom_sample(p, g->calls_rate_refused, "reason", "rate", NULL, NULL);
	prom_sample(p, g->fd_budget_refused, "reason", "descriptors", NULL, NULL);
}

void metrics_collect_l2tp(struct l2tpd *d, struct prom *p)
{
	metrics_l2tp_states(d, p);
	metrics_l2tp_messages(d, p);
	metrics_l2tp_daemon(d, p);
	metrics_l2tp_ppp(d, p);
	metrics_l2tp_dataplane(d, p);
	metrics_l2tp_guard(d, p);
}
