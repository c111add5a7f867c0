/*
 * Golden files of every `show` command (and `help`): what operators' scripts
 * scrape, pinned byte for byte (golden.h says how, and how to update them).
 * This file: a daemon without redundancy; test_golden_ha.c: the roles of
 * an HA pair.
 *
 * Scenarios (each renders into tests/golden/<scenario>/):
 *   empty   nothing configured but a group and no tunnel: the empty tables
 *           and "not configured" answers
 *   bras    a standalone BRAS, LNS and LAC at once, with RADIUS: tunnels
 *           from two LACs (one authenticated, one not; a third with the
 *           wrong secret was refused) with PPP subscribers
 *           (RADIUS accepts with attributes, a reject, a RADIUS timeout
 *           falling back to a local user) and a call whose PPP is still
 *           negotiating, a tunnel its LAC is closing, a LAC tunnel of ours
 *           with calls, two pools in use, two RADIUS servers with counters,
 *           a dynamic-author (RFC 5176) server that changed a session,
 *           debugging on
 *
 * Every show command of the command table is rendered in at least one
 * scenario, with each variant that prints something different;
 * test_show_commands_covered() fails when the table gets a show command
 * that is not in the list below.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "golden.h"
#include "golden_daemon.h"
#include "aaa/aaa.h"
#include "cli/cmd.h"
#include "core/out.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "aaa/radius_das.h"

/* The show commands of the table (as `help` lists them) the golden tests
 * render, here and in test_golden_ha.c. */
static const char *const covered[] = {
	"show l2tp tunnel [id <1-65535>] [detail]",
	"show l2tp session [tunnel <1-65535>] [detail]",
	"show vpdn tunnel [l2tp] [{all|detail}]",
	"show vpdn session [l2tp] [{all|detail}]",
	"show l2tp statistics",
	"show vpdn",
	"show ip local pool [WORD]",
	"show ipv6 local pool [WORD]",
	"show ipv6 dhcp binding",
	"show ipv6 dhcp statistics",
	"show l2tp redundancy all",
	"show l2tp redundancy [detail]",
	"show l2tp redundancy [detail] id <1-65535> [<1-65535>]",
	"show vpdn redundancy all",
	"show vpdn redundancy [detail]",
	"show vpdn redundancy [detail] id <1-65535> [<1-65535>]",
	"show vpdn history failure",
	"show running-config",
	"show debugging",
	"show radius statistics",
	"show radius server",
	"show aaa statistics",
	"show l2tp security",		/* test_golden_security.c */
	"show metrics",			/* test_golden_service.c */
	"show pppoe summary",		/* test_golden_pppoe.c */
	"show pppoe session [{interface|mac}] [WORD]",
	"show pppoe statistics",
};

/* --- empty ----------------------------------------------------------------- */

static const char cfg_empty[] =
	"hostname lns0\n"
	"vpdn enable\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	" l2tp tunnel password s3cret\n";

/* Nothing but one group: the tables are empty; no pool, no RADIUS server,
 * no dynamic-author server, no debugging, no failure. */
static void test_golden_empty(void **state)
{
	struct harness *h;

	golden_begin("empty");
	h = g_daemon(state, cfg_empty);
	golden_show(&h->d, "show_l2tp_tunnel", "show l2tp tunnel");
	golden_show(&h->d, "show_l2tp_session", "show l2tp session");
	golden_show(&h->d, "show_vpdn_tunnel_detail", "show vpdn tunnel detail");
	golden_show(&h->d, "show_vpdn_session", "show vpdn session");
	golden_show(&h->d, "show_l2tp_statistics", "show l2tp statistics");
	golden_show(&h->d, "show_vpdn", "show vpdn");
	golden_show(&h->d, "show_ip_local_pool", "show ip local pool");
	golden_show(&h->d, "show_vpdn_history_failure", "show vpdn history failure");
	golden_show(&h->d, "show_running_config", "show running-config");
	golden_show(&h->d, "show_debugging", "show debugging");
	golden_show(&h->d, "show_radius_statistics", "show radius statistics");
	golden_show(&h->d, "show_radius_server", "show radius server");
	golden_show(&h->d, "show_aaa_statistics", "show aaa statistics");
	golden_end();
}

/* --- bras ------------------------------------------------------------------ */

static const char cfg_bras[] =
	"hostname bras1\n"
	"vpdn enable\n"
	"vpdn history failure table-size 50\n"
	"username carol password c4rol\n"
	"ip local pool SUBSCRIBERS 10.200.0.1 10.200.0.254\n"
	"ip local pool GUESTS 10.201.0.1 10.201.0.30\n"
	"ipv6 local pool LINKS6 2001:db8:1::/48 64\n"
	"ipv6 local pool PD6 2001:db8:100::/40 56\n"
	"aaa new-model\n"
	"aaa authentication ppp default group radius local\n"
	"aaa accounting network default start-stop group radius\n"
	"aaa accounting update periodic 15\n"
	"radius-server host 192.0.2.21 key radkey1\n"
	"radius-server host 192.0.2.22 auth-port 11812 acct-port 11813 key radkey2\n"
	"radius-server timeout 3\n"
	"radius-server retransmit 2\n"
	"radius-server deadtime 5\n"
	"aaa server radius dynamic-author\n"
	" client 192.0.2.21 server-key das-key1\n"
	" client 192.0.2.23\n"
	" server-key das-key\n"
	"interface Virtual-Template 1\n"
	" ip address 10.200.255.254 255.255.255.255\n"
	" peer default ip address pool SUBSCRIBERS\n"
	" ppp authentication chap pap\n"
	" ppp ipcp dns 192.0.2.53 192.0.2.54\n"
	" no keepalive\n"
	" ppp timeout idle 3600\n"
	"interface Virtual-Template 2\n"
	" ip address 10.201.255.254 255.255.255.255\n"
	" peer default ip address pool GUESTS\n"
	" ppp authentication pap\n"
	" no keepalive\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	"  virtual-template 1\n"
	" terminate-from hostname lac1\n"
	" local name bras1\n"
	" l2tp tunnel password s3cret\n"
	" l2tp hidden\n"
	" l2tp tunnel receive-window 16\n"
	"vpdn-group ANY\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	"  virtual-template 2\n"
	" no l2tp tunnel authentication\n"
	" l2tp tunnel hello 0\n"
	"vpdn-group TO-LNS\n"
	" request-dialin\n"
	"  protocol l2tp\n"
	"  domain example.net\n"
	" initiate-to ip 198.51.100.7 port 1701\n"
	" local name lac-bras1\n"
	" l2tp tunnel password s3cret\n"
	" l2tp tunnel retransmit retries 8\n";

/* A tunnel from a LAC that does not authenticate (group ANY). */
static struct h_peer *lns_tunnel_noauth(struct harness *h, const char *ip, uint16_t tid,
					const char *host)
{
	struct h_peer *p = h_peer_new(h, ip, tid, NULL);

	h_sccrq(p, host);
	h_send(p);
	h_expect(h, p, L2TP_MSG_SCCRP);
	h_scccn(p);
	h_send(p);
	assert_non_null(h_tunnel(p));
	assert_int_equal(h_tunnel(p)->state, L2TP_TUNNEL_ESTABLISHED);
	return p;
}

/* A LAC that answers our challenge with the wrong secret: refused. */
static void lns_tunnel_wrong_secret(struct harness *h, const char *ip, uint16_t tid)
{
	struct h_peer *p = h_peer_new(h, ip, tid, H_SECRET);
	struct l2tp_msg *m;
	uint8_t chal[16];

	h_sccrq(p, "lac1");
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_SCCRP);
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, sizeof chal);
	h_scccn(p);
	h_put_response(p, L2TP_MSG_SCCCN, "not-the-secret", chal, sizeof chal);
	h_send(p);
	h_expect(h, p, L2TP_MSG_STOPCCN);
	h_send_zlb(p);
}

/* The daemon as LAC: two calls on a tunnel to the LNS p. */
static void lac_calls(struct harness *h, struct h_peer *p)
{
	struct out o;
	uint16_t dsid[2];

	out_init(&o, 0);
	assert_int_equal(cmd_exec(&h->d, "test vpdn dial vpdn-group TO-LNS sessions 2", &o), 0);
	out_free(&o);
	h_lac_answer(h, p, "lns9");
	for (unsigned i = 0; i < 2; i++) {
		struct l2tp_msg *m = h_expect(h, p, L2TP_MSG_ICRQ);

		assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &dsid[i]), 0);
	}
	for (unsigned i = 0; i < 2; i++) {
		h_icrp(p, dsid[i], (uint16_t)(70 + i));
		h_send(p);
		h_expect(h, p, L2TP_MSG_ICCN);
	}
	g_settle(h);
}

/* An RFC 5176 CoA-Request for the session tid/sid (as radius_das.c hands
 * a verified one to aaa.c). */
static void das_coa(struct harness *h, uint16_t tid, uint16_t sid)
{
	struct radius_pkt p;
	struct radius_msg m;
	uint32_t cause = 0;

	radius_pkt_init(&p, RADIUS_COA_REQUEST);
	radius_put_u32(&p, RADIUS_ATTR_NAS_PORT, (uint32_t)tid << 16 | sid);
	radius_put_u32(&p, RADIUS_ATTR_SESSION_TIMEOUT, 14400);
	radius_put_str(&p, RADIUS_ATTR_FILTER_ID, "gold");
	assert_int_equal(radius_parse(p.buf, p.len, &m), 0);
	assert_int_equal(aaa_das_coa(&h->d, &m, &cause), 0);
}

/*
 * The RADIUS client's and the DAS's counters.  The fake server of
 * fake_radius.h stands in for the client, and requests to the DAS would
 * need its socket on an event loop, so they are set here, the first
 * server's authentication and the DAS's each field to its own value, so
 * that a field printed in another's place shows.
 */
static void radius_counters(struct harness *h)
{
	struct radius_stats *st;
	struct radius_das_stats *das;

	st = (struct radius_stats *)radius_client_stats(&h->d, 0, RADIUS_AUTH);
	*st = (struct radius_stats){ .requests = 6, .retransmissions = 2, .timeouts = 1,
				     .accepts = 4, .rejects = 1, .bad_authenticators = 3,
				     .bad_msgauth = 7, .missing_msgauth = 8, .malformed = 9,
				     .unknown_ids = 10, .wrong_codes = 11, .unknown_attrs = 12,
				     .send_errors = 13, .rtt_ms_sum = 60 };
	st = (struct radius_stats *)radius_client_stats(&h->d, 0, RADIUS_ACCT);
	*st = (struct radius_stats){ .requests = 5, .retransmissions = 1, .responses = 5,
				     .rtt_ms_sum = 35 };
	st = (struct radius_stats *)radius_client_stats(&h->d, 1, RADIUS_AUTH);
	*st = (struct radius_stats){ .requests = 1, .timeouts = 1, .send_errors = 2 };
	das = (struct radius_das_stats *)radius_das_stats(&h->d);
	*das = (struct radius_das_stats){ .disconnect_requests = 3, .coa_requests = 4,
					  .disconnect_acks = 2, .disconnect_naks = 1,
					  .coa_acks = 3, .coa_naks = 1, .unknown_clients = 5,
					  .bad_authenticators = 6, .bad_msgauth = 7,
					  .malformed = 8, .unknown_codes = 9, .stale = 10,
					  .duplicates = 11, .send_errors = 12 };
}

/* The RFC 5176 server, and the masks of what varies in the RADIUS output. */
static void bras_radius(struct harness *h)
{
	char port[16];

	/* The DAS listens on a port the kernel picks (two runs of the test
	 * must not collide on 3799); its output shows the configured 3799. */
	h->d.cfg.radius.das_port = 0;
	assert_int_equal(radius_das_init(&h->d), 0);
	h->d.cfg.radius.das_port = CONFIG_DEF_DAS_PORT;
	snprintf(port, sizeof port, "%u", CONFIG_DEF_DAS_PORT);
	golden_mask("RADIUS dynamic authorization (RFC 5176), UDP port ", ",", port);
	golden_mask("\"dynamic_author\":{\"enabled\":true,\"port\":", ",", port);
	/* Which RADIUS dictionaries this host has installed. */
	golden_mask("  Dictionary: ", "\n", "(the dictionary files of this host)");
	golden_mask("\"dictionary\":\"", "\"", "(the dictionary files of this host)");
}

/* The state of the bras scenario (see the top of the file). */
static void bras_build(struct harness *h, uint16_t *lns_tid, uint16_t *lac_tid)
{
	struct h_peer *a, *b, *c, *lns;
	struct radius_pkt rp;
	struct in_addr ip;
	uint16_t bob;

	/* lac1: alice and bob through RADIUS, carol local after a RADIUS
	 * timeout, mallory rejected */
	a = h_lns_tunnel(h, "192.0.2.11", 101, "lac1");
	*lns_tid = a->dtid;
	g_subscriber(h, a, 11, "0611111111", "alice@example.net", "wonderland");
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	radius_put_u32(&rp, RADIUS_ATTR_FRAMED_MTU, 1400);
	radius_put_u32(&rp, RADIUS_ATTR_SESSION_TIMEOUT, 86400);
	radius_put_u32(&rp, RADIUS_ATTR_IDLE_TIMEOUT, 1800);
	radius_put_u32(&rp, RADIUS_ATTR_ACCT_INTERIM_INTERVAL, 600);
	radius_put(&rp, RADIUS_ATTR_CLASS, "CLS\x01", 4);
	radius_put_str(&rp, RADIUS_ATTR_FRAMED_ROUTE, "192.168.50.0/24 0.0.0.0 1");
	radius_put_str(&rp, RADIUS_ATTR_FRAMED_ROUTE, "192.168.60.0 255.255.255.128");
	radius_put_str(&rp, RADIUS_ATTR_FILTER_ID, "std-in");
	fake_radius_put_avpair(&rp, "vpdn:l2tp-tunnel-resync-packet=7");
	g_radius_answer(h, RADIUS_AUTH, &rp);
	bob = g_subscriber(h, a, 12, "0622222222", "bob@example.net", "b0b-secret");
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	inet_pton(AF_INET, "10.99.0.7", &ip);
	radius_put_addr(&rp, RADIUS_ATTR_FRAMED_IP_ADDRESS, ip);
	radius_put(&rp, RADIUS_ATTR_CLASS, "bill-7", 6);
	g_radius_answer(h, RADIUS_AUTH, &rp);
	g_subscriber(h, a, 13, "0633333333", "carol", "c4rol");
	g_radius_timeout(h, RADIUS_AUTH);
	g_subscriber(h, a, 14, "0644444444", "mallory@example.net", "guess");
	radius_pkt_init(&rp, RADIUS_ACCESS_REJECT);
	g_radius_answer(h, RADIUS_AUTH, &rp);
	g_advance(h, 20000);
	das_coa(h, a->dtid, bob);

	/* lac2, not authenticated: a guest from the GUESTS pool */
	b = lns_tunnel_noauth(h, "192.0.2.12", 201, "lac2");
	g_subscriber(h, b, 21, "0655555555", "guest1", "guest");
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	g_radius_answer(h, RADIUS_AUTH, &rp);

	/* the daemon as LAC: two calls to the LNS of TO-LNS */
	lns = h_peer_new(h, "198.51.100.7", 301, H_SECRET);
	lac_calls(h, lns);
	*lac_tid = lns->dtid;
	g_advance(h, 35000);

	/* a LAC with the wrong secret, refused (and gone by now) */
	lns_tunnel_wrong_secret(h, "192.0.2.14", 141);
	g_advance(h, 40000);

	/* at the last moment: a call whose PPP has not come up (nobody
	 * answers the LNS's LCP), and a tunnel its LAC is closing */
	g_call(h, b, 22, "0666666666", "4000");
	c = h_lns_tunnel(h, "192.0.2.13", 131, "lac1");
	h_stopccn(c, L2TP_STOPCCN_SHUTDOWN);
	h_send(c);
	g_advance(h, 2000);
	radius_counters(h);
}

static void test_golden_bras(void **state)
{
	struct harness *h;
	uint16_t lns_tid, lac_tid;
	struct out o;

	golden_begin("bras");
	h = g_daemon(state, cfg_bras);
	bras_radius(h);
	bras_build(h, &lns_tid, &lac_tid);
	assert_int_equal(fake_subscribers_up(h->subscribers), 4);

	golden_show(&h->d, "show_l2tp_tunnel", "show l2tp tunnel");
	golden_show(&h->d, "show_l2tp_tunnel_id", "show l2tp tunnel id %u", lns_tid);
	golden_show(&h->d, "show_l2tp_tunnel_detail", "show l2tp tunnel detail");
	golden_show(&h->d, "show_l2tp_tunnel_id_detail", "show l2tp tunnel id %u detail",
		    lac_tid);
	golden_show(&h->d, "show_l2tp_session", "show l2tp session");
	golden_show(&h->d, "show_l2tp_session_tunnel", "show l2tp session tunnel %u", lns_tid);
	golden_show(&h->d, "show_l2tp_session_detail", "show l2tp session detail");
	golden_show(&h->d, "show_l2tp_session_tunnel_detail", "show l2tp session tunnel %u detail",
		    lac_tid);
	golden_show(&h->d, "show_vpdn_tunnel", "show vpdn tunnel");
	golden_show(&h->d, "show_vpdn_tunnel_all", "show vpdn tunnel all");
	golden_show(&h->d, "show_vpdn_tunnel_l2tp_detail", "show vpdn tunnel l2tp detail");
	golden_show(&h->d, "show_vpdn_session", "show vpdn session");
	golden_show(&h->d, "show_vpdn_session_l2tp_all", "show vpdn session l2tp all");
	golden_show(&h->d, "show_vpdn_session_detail", "show vpdn session detail");
	golden_show(&h->d, "show_l2tp_statistics", "show l2tp statistics");
	golden_show(&h->d, "show_vpdn", "show vpdn");
	golden_show(&h->d, "show_ip_local_pool", "show ip local pool");
	golden_show(&h->d, "show_ip_local_pool_name", "show ip local pool GUESTS");
	golden_show(&h->d, "show_ipv6_local_pool", "show ipv6 local pool");
	golden_show(&h->d, "show_ipv6_dhcp_binding", "show ipv6 dhcp binding");
	golden_show(&h->d, "show_ipv6_dhcp_statistics", "show ipv6 dhcp statistics");
	/* standalone: no redundancy block */
	golden_show(&h->d, "show_l2tp_redundancy", "show l2tp redundancy");
	golden_show(&h->d, "show_l2tp_redundancy_all", "show l2tp redundancy all");
	golden_show(&h->d, "show_l2tp_redundancy_detail", "show l2tp redundancy detail");
	golden_show(&h->d, "show_vpdn_history_failure", "show vpdn history failure");
	golden_show(&h->d, "show_running_config", "show running-config");
	golden_show(&h->d, "show_radius_statistics", "show radius statistics");
	golden_show(&h->d, "show_radius_server", "show radius server");
	golden_show(&h->d, "show_aaa_statistics", "show aaa statistics");
	out_init(&o, 0);
	assert_int_equal(cmd_exec(&h->d, "debug l2tp event", &o), 0);
	assert_int_equal(cmd_exec(&h->d, "debug l2tp redundancy resync", &o), 0);
	assert_int_equal(cmd_exec(&h->d, "debug radius", &o), 0);
	out_free(&o);
	golden_show(&h->d, "show_debugging", "show debugging");
	h->d.log.debug = 0;	/* no debug lines in the test's log at teardown */
	golden_show(&h->d, "help", "help");
	golden_end();
}

/* --- the list above is the table's -------------------------------------------- */

/* Every show command `help` lists is in covered[] (and so has golden
 * files), and nothing in covered[] has left the table. */
static void test_show_commands_covered(void **state)
{
	struct harness *h = g_daemon(state, cfg_empty);
	int seen[sizeof covered / sizeof covered[0]] = { 0 };
	struct out o;
	char *line, *save = NULL;

	out_init(&o, 0);
	assert_int_equal(cmd_exec(&h->d, "help", &o), 0);
	for (line = strtok_r(o.buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		int known = 0;

		if (strncmp(line, "Configuration commands", 22) == 0)
			break;
		if (strncmp(line, "  show ", 7) != 0)
			continue;
		for (size_t i = 0; i < sizeof covered / sizeof covered[0]; i++)
			if (strcmp(line + 2, covered[i]) == 0)
				known = seen[i] = 1;
		if (!known)
			fail_msg("`%s` has no golden files: render it in test_golden.c or "
				 "test_golden_ha.c and add it to covered[]", line + 2);
	}
	out_free(&o);
	for (size_t i = 0; i < sizeof covered / sizeof covered[0]; i++)
		if (!seen[i])
			fail_msg("`%s` is no longer in the command table", covered[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_golden_empty, h_teardown),
		cmocka_unit_test_teardown(test_golden_bras, h_teardown),
		cmocka_unit_test_teardown(test_show_commands_covered, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
