/*
 * Golden files of `show l2tp security` (text and JSON) and of the running
 * configuration with every security line set: scenario "security" in
 * tests/golden/.  A LAC with the right secret has a tunnel and two calls,
 * a third call is refused by `vpdn session-limit`, one source is blocked
 * after its tunnel authentication failed, another is outside the access
 * list.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "golden.h"
#include "golden_daemon.h"
#include "l2tp/guard.h"

static const char cfg_security[] =
	"hostname lns0\n"
	"vpdn enable\n"
	"l2tp tunnel half-open-limit 100\n"
	"l2tp access-list permit 192.0.2.0 0.0.0.255\n"
	"l2tp access-list permit 203.0.113.7\n"
	"l2tp rate-limit sccrq per-source 50 interval 10\n"
	"l2tp rate-limit sccrq total 500\n"
	"l2tp rate-limit icrq per-tunnel 1000\n"
	"l2tp intrusion-protection failures 1 within 30 block 600\n"
	"l2tp intrusion-protection trusted 192.0.2.128 0.0.0.127\n"
	"vpdn session-limit 2\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	" l2tp tunnel password s3cret\n"
	" session-limit 100\n";

static void test_golden_security(void **state)
{
	struct harness *h;
	struct h_peer *p, *bad, *out;
	struct l2tp_msg *m;
	uint8_t chal[16];

	golden_begin("security");
	h = g_daemon(state, cfg_security);
	p = h_lns_tunnel(h, "192.0.2.2", 7, "lac1");
	g_call(h, p, 1, "1001", "2001");
	g_call(h, p, 2, "1002", "2002");
	h_icrq(p, 3, 3);
	h_send(p);
	h_expect_result(h, p, L2TP_MSG_CDN, L2TP_CDN_NO_FACILITIES_TEMP, H_ANY);
	/* a wrong secret from 192.0.2.66: blocked at once (failures 1) */
	bad = h_peer_new(h, "192.0.2.66", 8, H_SECRET);
	h_sccrq(bad, "intruder");
	h_send(bad);
	m = h_expect(h, bad, L2TP_MSG_SCCRP);
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, sizeof(chal));
	h_scccn(bad);
	h_put_response(bad, L2TP_MSG_SCCCN, "guess", chal, sizeof(chal));
	h_send(bad);
	bad->tid = 9;
	bad->ns = 0;
	h_sccrq(bad, "intruder");
	h_send(bad);
	out = h_peer_new(h, "198.51.100.9", 10, H_SECRET);
	h_sccrq(out, "stranger");
	h_send(out);
	g_advance(h, 5000);
	golden_show(&h->d, "show_l2tp_security", "show l2tp security");
	golden_show(&h->d, "show_running_config", "show running-config");
	golden_show(&h->d, "show_vpdn_history_failure", "show vpdn history failure");
	golden_show(&h->d, "clear_l2tp_security_blocked", "clear l2tp security blocked 192.0.2.66");
	golden_show(&h->d, "show_l2tp_security_cleared", "show l2tp security");
	golden_end();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_golden_security, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
