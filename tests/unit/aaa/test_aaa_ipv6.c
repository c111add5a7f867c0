/*
 * RADIUS and a session's IPv6 (aaa/ipv6.c, l2tp/ppp_ipv6.c): an
 * Access-Accept's Framed-IPv6-Prefix, Delegated-IPv6-Prefix,
 * Framed-IPv6-Address and DNS-Server-IPv6-Address used instead of the
 * template's pools and servers (the pools untouched); Framed-IPv6-Pool and
 * Delegated-IPv6-Prefix-Pool naming the pools; malformed ones refused and
 * counted; the prefixes and the address in Accounting-Stop.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>

#include "harness.h"
#include "fake_radius.h"
#include "fake_subscriber.h"
#include "aaa/radius.h"
#include "core/ippool.h"
#include "ipv6/pool.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"

static const char cfg_lns[] =
	"hostname lns1\n"
	"vpdn enable\n"
	"ip local pool P1 10.1.0.1 10.1.0.50\n"
	"ipv6 local pool LINKS 2001:db8:1::/48 64\n"
	"ipv6 local pool PD 2001:db8:100::/40 56\n"
	"ipv6 local pool GOLD 2001:db8:200::/40 48\n"
	"ipv6 local pool NA 2001:db8:ff::/120 128\n"
	"ipv6 local pool NAGOLD 2001:db8:ff::100/120 128\n"
	"aaa new-model\n"
	"aaa authentication ppp default group radius\n"
	"aaa accounting network default start-stop group radius\n"
	"interface Virtual-Template 1\n"
	" ip address 10.0.0.1 255.255.255.255\n"
	" peer default ip address pool P1\n"
	" no keepalive\n"
	" ppp authentication pap\n"
	" ipv6 enable\n"
	" peer default ipv6 pool LINKS\n"
	" ipv6 dhcp server prefix-delegation pool PD\n"
	" ipv6 dhcp server address pool NA\n"
	" ipv6 dhcp server dns-server 2001:db8::53\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	"  virtual-template 1\n"
	" local name lns1\n"
	" l2tp tunnel password s3cret\n"
	" l2tp tunnel hello 0\n";

struct tb {
	struct harness *h;
	struct fake_radius *rad;
	struct fake_subscribers *subs;
	struct h_peer *lac;
	struct fake_subscriber *sub;
};

/* A subscriber up to the Access-Request, answered by rp. */
static struct l2tp_session *t_up(struct tb *tb, void **state, const struct radius_pkt *rp)
{
	struct ppp_config c;
	struct fake_radius_req *r;

	memset(tb, 0, sizeof(*tb));
	tb->h = h_new(state, cfg_lns);
	tb->rad = fake_radius_new(tb->h);
	tb->rad->configured[RADIUS_AUTH] = 1;
	tb->rad->configured[RADIUS_ACCT] = 1;
	tb->subs = fake_subscribers_new(tb->h);
	assert_int_equal(ippool_setup(&tb->h->d.pools, &tb->h->d.cfg), 0);
	assert_int_equal(ipv6_pool_setup(&tb->h->d.pools6, &tb->h->d.cfg), 0);
	clock_advance(&tb->h->d.clk, 1000000);
	tb->lac = h_lns_tunnel(tb->h, "192.0.2.2", 100, "lac1");
	fake_subscriber_config(&c, "alice", "pw");
	c.n_auth = 1;
	c.ipv6 = 1;
	tb->sub = fake_subscriber_add(tb->subs, tb->lac, 30);
	tb->sub->sid = h_lns_call(tb->h, tb->lac, 30);
	fake_subscriber_open(tb->sub, &c);
	fake_subscribers_pump(tb->subs, tb->lac);
	r = fake_radius_pending(tb->rad, RADIUS_AUTH);
	assert_non_null(r);
	fake_radius_answer(r, rp);
	fake_subscribers_pump(tb->subs, tb->lac);
	assert_int_equal(tb->sub->ups, 1);
	assert_true(tb->sub->v6_up);
	return fake_subscriber_session(tb->sub);
}

static void t_prefix_attr(struct radius_pkt *rp, uint8_t type, const char *pfx, uint8_t len)
{
	uint8_t v[18] = { 0, len };

	assert_int_equal(inet_pton(AF_INET6, pfx, v + 2), 1);
	radius_put(rp, type, v, 2 + ((size_t)len + 7) / 8);
}

static void t_str6(const uint8_t *a, uint8_t len, char *out, size_t cap)
{
	ipv6_prefix_format(a, len, out, cap);
}

static void test_radius_prefixes(void **state)
{
	struct radius_pkt rp;
	struct radius_msg m;
	struct tb tb;
	struct l2tp_session *s;
	const struct l2tp_ppp_v6 *v;
	const struct radius_attr *a;
	uint8_t dns[16], na[16];
	char p[64];

	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	t_prefix_attr(&rp, RADIUS_ATTR_FRAMED_IPV6_PREFIX, "2001:db8:aaaa:1::", 64);
	t_prefix_attr(&rp, RADIUS_ATTR_DELEGATED_IPV6_PREFIX, "2001:db8:bbbb::", 48);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::5353", dns), 1);
	radius_put(&rp, RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS, dns, 16);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:eeee::9", na), 1);
	radius_put(&rp, RADIUS_ATTR_FRAMED_IPV6_ADDRESS, na, 16);
	radius_put(&rp, RADIUS_ATTR_FRAMED_INTERFACE_ID, "\x02\x00\x00\x00\x00\x00\x00\x07", 8);
	radius_put_str(&rp, RADIUS_ATTR_FRAMED_IPV6_ROUTE, "2001:db8:cccc::/48 :: 1");
	s = t_up(&tb, state, &rp);
	v = l2tp_ppp_ipv6(s);
	assert_non_null(v);
	t_str6(v->srv.prefix, 64, p, sizeof p);
	assert_string_equal(p, "2001:db8:aaaa:1::/64");
	assert_string_equal(v->pool6, "");
	t_str6(v->srv.pd, v->srv.pd_len, p, sizeof p);
	assert_string_equal(p, "2001:db8:bbbb::/48");
	assert_memory_equal(v->srv.cfg.dns[0], dns, 16);
	assert_true(v->srv.has_na);
	assert_memory_equal(v->srv.na, na, 16);
	assert_string_equal(v->na_pool, "");
	assert_non_null(s->aaa_v6);
	assert_true(s->aaa_v6->has_ifid);
	assert_int_equal(s->aaa_v6->n_routes, 1);
	assert_string_equal(s->aaa_v6->route[0], "2001:db8:cccc::/48 :: 1");
	/* the pools were not used */
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "LINKS"), 0);
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "PD"), 0);
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "NA"), 0);
	/* the session ends: Accounting-Stop carries both prefixes and the
	 * address */
	h_cdn(tb.lac, tb.sub->sid, 30, L2TP_CDN_ADMIN);
	h_send(tb.lac);
	fake_radius_parse(fake_radius_last(tb.rad), &m);
	a = radius_find(&m, RADIUS_ATTR_ACCT_STATUS_TYPE);
	assert_non_null(a);
	assert_int_equal(a->val[3], 2);		/* Stop */
	a = radius_find(&m, RADIUS_ATTR_FRAMED_IPV6_PREFIX);
	assert_non_null(a);
	assert_int_equal(a->len, 10);
	assert_int_equal(a->val[1], 64);
	a = radius_find(&m, RADIUS_ATTR_DELEGATED_IPV6_PREFIX);
	assert_non_null(a);
	assert_int_equal(a->len, 8);
	assert_int_equal(a->val[1], 48);
	assert_int_equal(a->val[6], 0xbb);	/* 20 01 0d b8 bb bb */
	a = radius_find(&m, RADIUS_ATTR_FRAMED_IPV6_ADDRESS);
	assert_non_null(a);
	assert_int_equal(a->len, 16);
	assert_memory_equal(a->val, na, 16);
}

static void test_radius_pools_and_refusals(void **state)
{
	struct radius_pkt rp;
	struct tb tb;
	struct l2tp_session *s;
	const struct l2tp_ppp_v6 *v;
	char p[64];
	uint64_t refused;

	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	radius_put_str(&rp, RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL, "GOLD");
	radius_put_str(&rp, RADIUS_ATTR_STATEFUL_IPV6_ADDRESS_POOL, "NAGOLD");
	/* a /56 as Framed-IPv6-Prefix (not a /64), a prefix with bits past
	 * its length, a DNS server of 4 octets: refused, counted */
	t_prefix_attr(&rp, RADIUS_ATTR_FRAMED_IPV6_PREFIX, "2001:db8:aaaa::", 56);
	radius_put(&rp, RADIUS_ATTR_DELEGATED_IPV6_PREFIX, "\x00\x20\x20\x01\x0d\xb8\x01", 7);
	radius_put(&rp, RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS, "\x01\x02\x03\x04", 4);
	/* an address of 15 octets: refused, RADIUS's pool used */
	radius_put(&rp, RADIUS_ATTR_FRAMED_IPV6_ADDRESS, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\1",
		   15);
	s = t_up(&tb, state, &rp);
	refused = tb.h->d.aaa.stats.attr_refused;
	assert_int_equal(refused, 4);
	v = l2tp_ppp_ipv6(s);
	assert_non_null(v);
	/* the /64 from the template's pool, the delegated prefix from GOLD */
	assert_string_equal(v->pool6, "LINKS");
	assert_string_equal(v->pd_pool, "GOLD");
	t_str6(v->srv.pd, v->srv.pd_len, p, sizeof p);
	assert_string_equal(p, "2001:db8:200::/48");
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "GOLD"), 1);
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "PD"), 0);
	assert_string_equal(v->na_pool, "NAGOLD");
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "NAGOLD"), 1);
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "NA"), 0);
	t_str6(v->srv.na, 128, p, sizeof p);
	assert_string_equal(p, "2001:db8:ff::100/128");
	h_cdn(tb.lac, tb.sub->sid, 30, L2TP_CDN_ADMIN);
	h_send(tb.lac);
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "NAGOLD"), 0);
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "GOLD"), 0);
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "LINKS"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_radius_prefixes, h_teardown),
		cmocka_unit_test_teardown(test_radius_pools_and_refusals, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
