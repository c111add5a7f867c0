/*
 * AAA of the access side's PPPoE sessions terminated here (aaa/local.c,
 * pppoe/lac_local.c): a subscriber played by our own PPP stack behind a
 * fake access port (tests/unit/lib/fake_pppoe_sub.h), a RADIUS server
 * played by the test (fake_radius.h).  The domain of every user here
 * matches no vpdn-group, so the LAC terminates them itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fake_pppoe_sub.h"
#include "fake_radius.h"
#include "harness.h"
#include "aaa/radius.h"
#include "core/ippool.h"
#include "ppp/ppp.h"
#include "pppoe/access.h"

static const uint8_t port_mac[6] = { 0x02, 0xac, 0x00, 0x00, 0x00, 0x01 };

static struct fake_sub S;

#define CFG_RADIUS "aaa authentication ppp default group radius\n"
#define CFG_RADIUS_LOCAL "aaa authentication ppp default group radius local\n"

/* The BNG: `methods` is the `aaa authentication ppp default` line. */
static struct harness *bng_new(void **state, const char *methods, struct fake_radius **rad)
{
	char cfg[2048];
	struct harness *h;
	char err[256];

	snprintf(cfg, sizeof cfg,
		 "hostname bng1\n"
		 "vpdn enable\n"
		 FAKE_SUB_CFG_LOCAL_USER
		 "ip local pool GOLD 10.88.0.1 10.88.0.9\n"
		 "aaa new-model\n"
		 "%s"
		 "aaa accounting network default start-stop group radius\n"
		 "aaa accounting update periodic 5\n"
		 "radius-server host 192.0.2.9 key k\n"
		 FAKE_SUB_CFG_LOCAL_VT
		 " ppp authentication pap chap\n"
		 " no keepalive\n"
		 FAKE_SUB_CFG_BBA
		 " lcp timeout 5\n"
		 FAKE_SUB_CFG_ETH1, methods);
	h = h_new(state, cfg);
	assert_int_equal(ippool_setup(&h->d.pools, &h->d.cfg), 0);
	*rad = fake_radius_new(h);
	memset(&S, 0, sizeof S);
	S.h = h;
	S.port_mac = port_mac;
	assert_int_equal(pppoe_access_start(&h->d, &fake_sub_port_ops, &S, err, sizeof err), 0);
	h_at_free(h, fake_sub_free, &S);
	return h;
}

static struct pppoe_session *only_session(struct harness *h)
{
	return TAILQ_FIRST(&h->d.access->ac->sessions);
}

static uint32_t attr_u32(const struct radius_msg *m, uint8_t type)
{
	uint32_t v = 0;

	assert_non_null(radius_find(m, type));
	assert_int_equal(radius_get_u32(radius_find(m, type), &v), 0);
	return v;
}

static void attr_str_eq(const struct radius_msg *m, uint8_t type, const char *want)
{
	char got[256];

	assert_non_null(radius_find(m, type));
	assert_int_equal(radius_get_str(radius_find(m, type), got, sizeof got), 0);
	assert_string_equal(got, want);
}

static void attr_addr_eq(const struct radius_msg *m, uint8_t type, const char *want)
{
	const struct radius_attr *a = radius_find(m, type);
	char got[INET_ADDRSTRLEN];

	assert_non_null(a);
	assert_int_equal(a->len, 4);
	assert_non_null(inet_ntop(AF_INET, a->val, got, sizeof got));
	assert_string_equal(got, want);
}

/* The line as RADIUS hears it (the TR-101 tags of fake_sub_discover). */
static void check_line(const struct radius_msg *m, uint16_t sid)
{
	const struct radius_attr *a;

	assert_int_equal(attr_u32(m, RADIUS_ATTR_NAS_PORT), sid);
	assert_int_equal(attr_u32(m, RADIUS_ATTR_NAS_PORT_TYPE), 15);	/* Ethernet */
	attr_str_eq(m, RADIUS_ATTR_NAS_PORT_ID, "eth1");
	attr_str_eq(m, RADIUS_ATTR_CALLING_STATION_ID, "dslam1 atm 7");
	attr_str_eq(m, RADIUS_ATTR_NAS_IDENTIFIER, "bng1");
	a = radius_find_vsa(m, 3561, 2);	/* RFC 4679 Agent-Remote-Id */
	assert_non_null(a);
	assert_int_equal(a->len, 6);
	assert_memory_equal(a->val, "cpe-42", 6);
	a = radius_find_vsa(m, 3561, 1);	/* Agent-Circuit-Id */
	assert_non_null(a);
	assert_memory_equal(a->val, "dslam1 atm 7", 12);
}

static void check_counters(const struct radius_msg *m, const struct pppoe_session *ps)
{
	assert_true(ps->rx_frames > 0 && ps->tx_frames > 0);
	assert_int_equal(attr_u32(m, RADIUS_ATTR_ACCT_INPUT_OCTETS), ps->rx_bytes);
	assert_int_equal(attr_u32(m, RADIUS_ATTR_ACCT_OUTPUT_OCTETS), ps->tx_bytes);
	assert_int_equal(attr_u32(m, RADIUS_ATTR_ACCT_INPUT_PACKETS), ps->rx_frames);
	assert_int_equal(attr_u32(m, RADIUS_ATTR_ACCT_OUTPUT_PACKETS), ps->tx_frames);
	assert_int_equal(attr_u32(m, RADIUS_ATTR_ACCT_INPUT_GIGAWORDS), 0);
}

/* Access-Accept with Framed-IP-Address, Class and Acct-Interim-Interval:
 * the subscriber gets that address (no pool touched); Start when IPCP
 * opens, Interim-Updates on RADIUS's interval, Stop at its PADT, each with
 * the line, the address, the Class and the same Acct-Session-Id. */
static void test_pppoe_radius_accept(void **state)
{
	struct fake_radius *rad;
	struct harness *h = bng_new(state, CFG_RADIUS, &rad);
	struct fake_radius_req *r;
	struct radius_pkt rp;
	struct radius_msg m;
	char sid_txt[64], a[16];
	uint64_t rx_before;

	fake_sub_dial(&S, 0x31, 1, "carol@bng.example", "pw-c");
	assert_false(S.up);		/* RADIUS thinks */
	r = fake_radius_pending(rad, RADIUS_AUTH);
	assert_non_null(r);
	fake_radius_parse(r, &m);
	attr_str_eq(&m, RADIUS_ATTR_USER_NAME, "carol@bng.example");
	assert_non_null(radius_find(&m, RADIUS_ATTR_USER_PASSWORD));	/* PAP */
	check_line(&m, S.sid);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_SERVICE_TYPE), 2);	/* Framed */
	assert_int_equal(radius_get_str(radius_find(&m, RADIUS_ATTR_ACCT_SESSION_ID), sid_txt,
					sizeof sid_txt), 0);
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	assert_int_equal(radius_put_addr(&rp, RADIUS_ATTR_FRAMED_IP_ADDRESS,
					 (struct in_addr){ htonl(0x0a4d0005) }), 0);
	assert_int_equal(radius_put_str(&rp, RADIUS_ATTR_CLASS, "bill-9"), 0);
	assert_int_equal(radius_put_u32(&rp, RADIUS_ATTR_ACCT_INTERIM_INTERVAL, 120), 0);
	fake_radius_answer(r, &rp);
	fake_sub_pump(&S);
	assert_true(S.up);
	assert_string_equal(inet_ntop(AF_INET, &S.addr, a, sizeof a), "10.77.0.5");
	assert_int_equal(ippool_in_use(h->d.pools, "LOCAL"), 0);
	assert_int_equal(h->d.access->lac.local_up, 1);
	assert_int_equal(h->d.aaa.stats.auth_accept, 1);
	/* Start */
	assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 1);
	fake_radius_parse(fake_radius_nth(rad, RADIUS_ACCT, 0), &m);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE), 1);
	attr_str_eq(&m, RADIUS_ATTR_USER_NAME, "carol@bng.example");
	attr_str_eq(&m, RADIUS_ATTR_ACCT_SESSION_ID, sid_txt);
	attr_str_eq(&m, RADIUS_ATTR_CLASS, "bill-9");
	attr_addr_eq(&m, RADIUS_ATTR_FRAMED_IP_ADDRESS, "10.77.0.5");
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_AUTHENTIC), 1);	/* RADIUS */
	check_line(&m, S.sid);
	assert_null(radius_find(&m, RADIUS_ATTR_ACCT_SESSION_TIME));
	/* Interim on RADIUS's 120 s, not the configured 5 min */
	clock_advance(&h->d.clk, 119000);
	assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 1);
	clock_advance(&h->d.clk, 1000);
	assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 2);
	fake_radius_parse(fake_radius_nth(rad, RADIUS_ACCT, 1), &m);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE), 3);
	attr_str_eq(&m, RADIUS_ATTR_ACCT_SESSION_ID, sid_txt);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_SESSION_TIME), 120);
	check_counters(&m, only_session(h));
	rx_before = only_session(h)->rx_bytes;
	/* the subscriber sends more (an IP packet): the Stop counts it */
	fake_sub_push(S.to_ac, &S.n_to_ac, (const uint8_t[]){ 0x00, 0x21, 0x45, 0, 0, 20 }, 6);
	fake_sub_pump(&S);
	assert_true(only_session(h)->rx_bytes > rx_before);
	clock_advance(&h->d.clk, 30000);
	{
		uint64_t rx = only_session(h)->rx_bytes, tx = only_session(h)->tx_bytes;

		fake_sub_padt(&S);
		assert_null(only_session(h));
		assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 3);
		fake_radius_parse(fake_radius_nth(rad, RADIUS_ACCT, 2), &m);
		assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE), 2);
		attr_str_eq(&m, RADIUS_ATTR_ACCT_SESSION_ID, sid_txt);
		assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_SESSION_TIME), 150);
		assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_TERMINATE_CAUSE), 1);	/* User Request */
		assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_INPUT_OCTETS), rx);
		assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_OUTPUT_OCTETS), tx);
		attr_str_eq(&m, RADIUS_ATTR_CLASS, "bill-9");
	}
	assert_int_equal(h->d.aaa.stats.acct_start, 1);
	assert_int_equal(h->d.aaa.stats.acct_interim, 1);
	assert_int_equal(h->d.aaa.stats.acct_stop, 1);
	/* no timer left behind */
	clock_advance(&h->d.clk, 600000);
	assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 3);
}

/* Access-Accept without an address: the pool RADIUS names (Framed-Pool),
 * else the template's; the Stop of a cleared session says Admin Reset,
 * that of an LCP Terminate User Request. */
static void test_pppoe_radius_pools_causes(void **state)
{
	struct fake_radius *rad;
	struct harness *h = bng_new(state, CFG_RADIUS, &rad);
	struct radius_pkt rp;
	struct radius_msg m;
	char a[16];

	fake_sub_dial(&S, 0x32, 0, "dave@bng.example", "pw-d");
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	assert_int_equal(radius_put_str(&rp, RADIUS_ATTR_FRAMED_POOL, "GOLD"), 0);
	fake_radius_answer(fake_radius_pending(rad, RADIUS_AUTH), &rp);
	fake_sub_pump(&S);
	assert_true(S.up);
	assert_string_equal(inet_ntop(AF_INET, &S.addr, a, sizeof a), "10.88.0.1");
	assert_int_equal(ippool_in_use(h->d.pools, "GOLD"), 1);
	/* the MAC is the Calling-Station-Id without TR-101 tags */
	fake_radius_parse(fake_radius_nth(rad, RADIUS_AUTH, 0), &m);
	attr_str_eq(&m, RADIUS_ATTR_CALLING_STATION_ID, "02:00:00:00:00:32");
	/* cleared by the operator: Admin Reset, the address back */
	pppoe_session_close(h->d.access->ac, only_session(h), PPPOE_END_CLEAR);
	clock_advance(&h->d.clk, 1);
	assert_null(only_session(h));
	assert_int_equal(ippool_in_use(h->d.pools, "GOLD"), 0);
	assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 2);
	fake_radius_parse(fake_radius_nth(rad, RADIUS_ACCT, 1), &m);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE), 2);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_TERMINATE_CAUSE), 6);
	attr_addr_eq(&m, RADIUS_ATTR_FRAMED_IP_ADDRESS, "10.88.0.1");

	/* no address attribute: the template's pool; LCP Terminate: User Request */
	fake_sub_free(&S);
	fake_sub_dial(&S, 0x33, 0, "erin@bng.example", "pw-e");
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	fake_radius_answer(fake_radius_pending(rad, RADIUS_AUTH), &rp);
	fake_sub_pump(&S);
	assert_true(S.up);
	assert_string_equal(inet_ntop(AF_INET, &S.addr, a, sizeof a), "10.99.0.1");
	ppp_close(S.ppp, "bye");
	fake_sub_pump(&S);
	clock_advance(&h->d.clk, 4000);	/* one Restart period after the Ack (RFC 1661 §4.6) */
	fake_sub_pump(&S);
	assert_null(only_session(h));
	assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 4);
	fake_radius_parse(fake_radius_nth(rad, RADIUS_ACCT, 3), &m);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE), 2);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_TERMINATE_CAUSE), 1);
	assert_int_equal(ippool_in_use(h->d.pools, "LOCAL"), 0);
}

/* Access-Reject: a PAP Nak, then the PADT; nothing accounted, nothing
 * left.  A local user RADIUS does not know is refused too: the reject is
 * final. */
static void test_pppoe_radius_reject(void **state)
{
	struct fake_radius *rad;
	struct harness *h = bng_new(state, CFG_RADIUS_LOCAL, &rad);
	struct radius_pkt rp;

	fake_sub_dial(&S, 0x34, 0, "loc@home.example", "lpw");
	radius_pkt_init(&rp, RADIUS_ACCESS_REJECT);
	assert_int_equal(radius_put_str(&rp, RADIUS_ATTR_REPLY_MESSAGE, "account closed"), 0);
	fake_radius_answer(fake_radius_pending(rad, RADIUS_AUTH), &rp);
	fake_sub_pump(&S);
	clock_advance(&h->d.clk, 1);
	fake_sub_pump(&S);
	assert_false(S.up);
	assert_int_equal(S.padt_rx, 1);
	assert_null(only_session(h));
	assert_int_equal(h->d.access->lac.local_refused, 1);
	assert_int_equal(h->d.access->lac.local_up, 0);
	assert_int_equal(h->d.aaa.stats.auth_reject, 1);
	assert_int_equal(h->d.aaa.stats.auth_local_ok, 0);
	assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 0);
	assert_int_equal(ippool_in_use(h->d.pools, "LOCAL"), 0);
}

/* No RADIUS server answers: with `group radius` alone a refusal (PADT,
 * counted, never a stuck session); with `group radius local` the local
 * users decide (Acct-Authentic Local). */
static void test_pppoe_radius_dead(void **state)
{
	struct fake_radius *rad;
	struct harness *h = bng_new(state, CFG_RADIUS, &rad);
	struct radius_msg m;

	fake_sub_dial(&S, 0x35, 0, "loc@home.example", "lpw");
	fake_radius_no_answer(fake_radius_pending(rad, RADIUS_AUTH), -ETIMEDOUT);
	fake_sub_pump(&S);
	clock_advance(&h->d.clk, 1);
	fake_sub_pump(&S);
	assert_false(S.up);
	assert_int_equal(S.padt_rx, 1);
	assert_null(only_session(h));
	assert_int_equal(h->d.aaa.stats.auth_no_answer, 1);
	assert_int_equal(h->d.access->lac.local_refused, 1);

	/* the same with the local users after RADIUS */
	h->d.cfg.aaa.authen[1] = CONFIG_AAA_LOCAL;
	h->d.cfg.aaa.n_authen = 2;
	fake_sub_free(&S);
	fake_sub_dial(&S, 0x36, 0, "loc@home.example", "lpw");
	fake_radius_no_answer(fake_radius_pending(rad, RADIUS_AUTH), -ETIMEDOUT);
	fake_sub_pump(&S);
	assert_true(S.up);
	assert_int_equal(h->d.aaa.stats.auth_local_ok, 1);
	assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 1);
	fake_radius_parse(fake_radius_nth(rad, RADIUS_ACCT, 0), &m);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_AUTHENTIC), 2);	/* Local */
	attr_addr_eq(&m, RADIUS_ATTR_FRAMED_IP_ADDRESS, "10.99.0.1");
}

/* The subscriber leaves while RADIUS thinks: the question is withdrawn,
 * nothing accounted, the late answer never reaches a freed session. */
static void test_pppoe_radius_padt_while_asking(void **state)
{
	struct fake_radius *rad;
	struct harness *h = bng_new(state, CFG_RADIUS, &rad);
	struct fake_radius_req *r;

	fake_sub_dial(&S, 0x37, 0, "frank@bng.example", "pw-f");
	r = fake_radius_pending(rad, RADIUS_AUTH);
	assert_non_null(r);
	fake_sub_padt(&S);
	assert_null(only_session(h));
	assert_true(r->cancelled);
	assert_null(fake_radius_pending(rad, RADIUS_AUTH));
	assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 0);
	assert_int_equal(ippool_in_use(h->d.pools, "LOCAL"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pppoe_radius_accept, h_teardown),
		cmocka_unit_test_teardown(test_pppoe_radius_pools_causes, h_teardown),
		cmocka_unit_test_teardown(test_pppoe_radius_reject, h_teardown),
		cmocka_unit_test_teardown(test_pppoe_radius_dead, h_teardown),
		cmocka_unit_test_teardown(test_pppoe_radius_padt_while_asking, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
