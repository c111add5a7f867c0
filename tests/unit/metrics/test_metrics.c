/*
 * metrics/: the Prometheus text writer (label escaping, cumulative
 * histogram buckets in seconds) and the exposition of a daemon with a
 * tunnel, calls, a CDN from the peer and a retransmitted ICRP, whose
 * values must be what happened and what the shows say.
 */
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_check.h"
#include "harness.h"
#include "prom_series.h"
#include "core/hist.h"
#include "metrics/metrics.h"
#include "metrics/prom.h"


/* "key":N of a JSON answer; fails when the key is missing. */
static uint64_t json_key(const char *json, const char *key)
{
	char pat[96];
	const char *p;

	snprintf(pat, sizeof pat, "\"%s\":", key);
	p = strstr(json, pat);
	if (p == NULL)
		fail_msg("key %s is not in %s", key, json);
	return strtoull(p + strlen(pat), NULL, 10);
}

static void test_prom_format(void **state)
{
	struct prom p;
	struct hist h;

	memset(&h, 0, sizeof h);
	hist_observe_us(&h, 50);
	hist_observe_us(&h, 300);
	hist_observe_us(&h, 2000000);
	hist_observe_us(&h, 40000000);
	prom_init(&p);
	prom_family(&p, "x_total", "counter", "X.");
	prom_sample(&p, 3, "v", "a\"b\\c\nd", NULL, NULL);
	prom_family(&p, "y_seconds", "histogram", "Y.");
	prom_labels_push(&p, "server", "s1");
	prom_histogram(&p, &h);
	prom_labels_clear(&p);
	assert_int_equal(p.err, 0);
	assert_non_null(strstr(p.buf, "# HELP x_total X.\n# TYPE x_total counter\n"
			       "x_total{v=\"a\\\"b\\\\c\\nd\"} 3\n"));
	assert_non_null(strstr(p.buf, "y_seconds_bucket{server=\"s1\",le=\"0.0001\"} 1\n"));
	assert_non_null(strstr(p.buf, "y_seconds_bucket{server=\"s1\",le=\"0.00025\"} 1\n"));
	assert_non_null(strstr(p.buf, "y_seconds_bucket{server=\"s1\",le=\"0.0005\"} 2\n"));
	assert_non_null(strstr(p.buf, "y_seconds_bucket{server=\"s1\",le=\"1\"} 2\n"));
	assert_non_null(strstr(p.buf, "y_seconds_bucket{server=\"s1\",le=\"2.5\"} 3\n"));
	assert_non_null(strstr(p.buf, "y_seconds_bucket{server=\"s1\",le=\"30\"} 3\n"));
	assert_non_null(strstr(p.buf, "y_seconds_bucket{server=\"s1\",le=\"+Inf\"} 4\n"));
	assert_non_null(strstr(p.buf, "y_seconds_sum{server=\"s1\"} 42.000350\n"));
	assert_non_null(strstr(p.buf, "y_seconds_count{server=\"s1\"} 4\n"));
	prom_free(&p);
}

/* Every family: HELP then TYPE, l2tpd_ names, counters in _total, no
 * family twice (promtool checks more on the live endpoint, in the
 * package stage). */
static void check_families(const char *text)
{
	regex_t name_re;
	char *copy = strdup(text), *line, *save = NULL, last_help[128] = "";
	char seen[512][96];
	unsigned nseen = 0;

	assert_int_equal(regcomp(&name_re, "^l2tpd_[a-z0-9_]+$", REG_EXTENDED | REG_NOSUB), 0);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[96], type[16];

		if (sscanf(line, "# HELP %95s", name) == 1) {
			assert_int_equal(regexec(&name_re, name, 0, NULL, 0), 0);
			for (unsigned i = 0; i < nseen; i++)
				if (strcmp(seen[i], name) == 0)
					fail_msg("family %s twice", name);
			assert_true(nseen < 512);
			snprintf(seen[nseen++], sizeof seen[0], "%s", name);
			snprintf(last_help, sizeof last_help, "%s", name);
		} else if (sscanf(line, "# TYPE %95s %15s", name, type) == 2) {
			assert_string_equal(name, last_help);
			if (strcmp(type, "counter") == 0)
				assert_non_null(strstr(name, "_total"));
			else
				assert_null(strstr(name, "_total"));
		} else {
			assert_true(strncmp(line, last_help, strlen(last_help)) == 0);
		}
	}
	regfree(&name_re);
	free(copy);
}

static void test_exposition(void **state)
{
	struct harness *h = h_new(state, "hostname lns0\nvpdn enable\nvpdn-group LNS\n"
				  " accept-dialin\n  protocol l2tp\n l2tp tunnel password "
				  H_SECRET "\n");
	struct l2tpd *d = &h->d;
	struct h_peer *p;
	uint16_t s1;
	char *json;
	struct prom pr;

	p = h_lns_tunnel(h, "192.0.2.2", 7, "lac1");
	s1 = h_lns_call(h, p, 1);
	h_lns_call(h, p, 2);
	h_lns_call(h, p, 3);
	h_cdn(p, s1, 1, L2TP_CDN_LOST_CARRIER);
	h_send(p);
	/* a fourth call whose ICRP is never acknowledged: sent again after 1 s */
	h_icrq(p, 4, 4);
	h_send(p);
	h_expect(h, p, L2TP_MSG_ICRP);
	clock_advance(&d->clk, 1100);
	h_expect(h, p, L2TP_MSG_ICRP);

	prom_init(&pr);
	metrics_render(d, &pr);
	assert_int_equal(pr.err, 0);
	check_families(pr.buf);
	assert_int_equal(series(pr.buf, "l2tpd_tunnels{state=\"established\"}"), 1);
	assert_int_equal(series(pr.buf, "l2tpd_sessions{state=\"established\"}"), 2);
	assert_int_equal(series(pr.buf, "l2tpd_sessions{state=\"wait-connect\"}"), 1);
	assert_int_equal(series(pr.buf, "l2tpd_control_messages_received_total{type=\"SCCRQ\"}"), 1);
	assert_int_equal(series(pr.buf, "l2tpd_control_messages_received_total{type=\"SCCCN\"}"), 1);
	assert_int_equal(series(pr.buf, "l2tpd_control_messages_received_total{type=\"ICRQ\"}"), 4);
	assert_int_equal(series(pr.buf, "l2tpd_control_messages_received_total{type=\"ICCN\"}"), 3);
	assert_int_equal(series(pr.buf, "l2tpd_control_messages_received_total{type=\"CDN\"}"), 1);
	assert_int_equal(series(pr.buf, "l2tpd_control_messages_sent_total{type=\"SCCRP\"}"), 1);
	assert_int_equal(series(pr.buf, "l2tpd_control_messages_sent_total{type=\"ICRP\"}"), 4);
	assert_int_equal(series(pr.buf,
				"l2tpd_control_messages_retransmitted_total{type=\"ICRP\"}"), 1);
	assert_int_equal(series(pr.buf,
				"l2tpd_control_messages_retransmitted_total{type=\"SCCRP\"}"), 0);
	assert_int_equal(series(pr.buf, "l2tpd_cdn_total{direction=\"received\",result=\"1\"}"), 1);
	assert_int_equal(series(pr.buf, "l2tpd_cdn_total{direction=\"sent\",result=\"1\"}"), 0);
	assert_int_equal(series(pr.buf, "l2tpd_ha_role{role=\"standalone\"}"), 1);
	assert_int_equal(series(pr.buf, "l2tpd_ha_role{role=\"active\"}"), 0);
	/* what `show l2tp statistics` says */
	assert_int_equal(cli_run(d, "show l2tp statistics", 1, &json), 0);
	assert_int_equal(series(pr.buf, "l2tpd_tunnel_setups_total{result=\"created\"}"),
			 json_key(json, "tunnels_created"));
	assert_int_equal(series(pr.buf, "l2tpd_session_setups_total{result=\"created\"}"),
			 json_key(json, "sessions_created"));
	assert_int_equal(series(pr.buf, "l2tpd_session_setups_total{result=\"refused\"}"),
			 json_key(json, "sessions_refused"));
	assert_int_equal(series(pr.buf, "l2tpd_packets_sent_total"), json_key(json, "tx_packets"));
	free(json);
	prom_free(&pr);
}

/* Teardown: StopCCN by result code, each way. */
static void test_stopccn(void **state)
{
	struct harness *h = h_new(state, "hostname lns0\nvpdn enable\nvpdn-group LNS\n"
				  " accept-dialin\n  protocol l2tp\n l2tp tunnel password "
				  H_SECRET "\n");
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.2", 7, "lac1");
	struct h_peer *q = h_lns_tunnel(h, "192.0.2.3", 8, "lac2");
	struct prom pr;
	char *out, cmd[64];

	h_stopccn(p, L2TP_STOPCCN_GENERAL);
	h_send(p);
	snprintf(cmd, sizeof cmd, "clear l2tp tunnel id %u", q->dtid);
	assert_int_equal(cli_run(&h->d, cmd, 0, &out), 0);
	free(out);
	prom_init(&pr);
	metrics_render(&h->d, &pr);
	assert_int_equal(series(pr.buf, "l2tpd_stopccn_total{direction=\"received\",result=\"1\"}"),
			 1);
	assert_int_equal(series(pr.buf, "l2tpd_stopccn_total{direction=\"sent\",result=\"6\"}") +
			 series(pr.buf, "l2tpd_stopccn_total{direction=\"sent\",result=\"1\"}"), 1);
	assert_int_equal(series(pr.buf, "l2tpd_control_messages_sent_total{type=\"StopCCN\"}"), 1);
	prom_free(&pr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prom_format),
		cmocka_unit_test_teardown(test_exposition, h_teardown),
		cmocka_unit_test_teardown(test_stopccn, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
