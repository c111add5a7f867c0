/*
 * Unit tests of AAA (aaa/) with the daemon of harness.c, a real PPP
 * subscriber (fake_subscriber.h) and a RADIUS server played by the test
 * (fake_radius.h): requests are kept, and the test answers them (or not)
 * with a reply it built.
 *
 * An HA failover is the box dying and the same daemon rebuilding itself
 * from the standby's shadow store (fake_standby.h), as in test_ha.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"
#include "fake_radius.h"
#include "fake_standby.h"
#include "fake_subscriber.h"
#include "aaa/aaa.h"
#include "aaa/aaa_int.h"
#include "cli/cmd.h"
#include "cli/config_load.h"
#include "core/out.h"
#include "core/ippool.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"
#include "aaa/radius.h"
#include "aaa/radius_client.h"

#define CFG_COMMON \
	"hostname lns1\n" \
	"vpdn enable\n" \
	"username local1 password lpass\n" \
	"ip local pool P1 10.1.0.1 10.1.0.50\n" \
	"ip local pool P2 10.2.0.1 10.2.0.50\n" \
	"aaa new-model\n" \
	"aaa authentication ppp default group radius local\n" \
	"aaa accounting network default start-stop group radius\n" \
	"aaa accounting update periodic 1\n" \
	"interface Virtual-Template 1\n" \
	" ip address 10.0.0.1 255.255.255.255\n" \
	" peer default ip address pool P1\n" \
	" no keepalive\n" \
	" ppp authentication pap\n" \
	"vpdn-group LNS\n" \
	" accept-dialin\n" \
	"  protocol l2tp\n" \
	"  virtual-template 1\n" \
	" local name lns1\n" \
	" l2tp tunnel password s3cret\n" \
	" l2tp tunnel hello 0\n"

static const char cfg_lns[] = CFG_COMMON;

static const char cfg_ha[] = CFG_COMMON H_CFG_HA_TAIL;

/* --- the daemon, its RADIUS server and the subscribers ------------------------- */

/* A test's bed: the daemon, its RADIUS server and subscribers, and from
 * the first call on the LAC and the subscriber of the last call. */
struct tb {
	struct harness *h;
	struct fake_radius *rad;
	struct fake_subscribers *subs;
	struct h_peer *lac;
	struct fake_subscriber *sub;
};

static struct harness *t_new(struct tb *tb, void **state, const char *cfg)
{
	memset(tb, 0, sizeof(*tb));
	tb->h = h_new(state, cfg);
	tb->rad = fake_radius_new(tb->h);
	tb->subs = fake_subscribers_new(tb->h);
	assert_int_equal(ippool_setup(&tb->h->d.pools, &tb->h->d.cfg), 0);
	clock_advance(&tb->h->d.clk, 1000000);	/* times are not 0 */
	return tb->h;
}

/* Frames both ways, and due timers, until nothing moves. */
static void pump(struct tb *tb)
{
	fake_subscribers_pump(tb->subs, tb->lac);
}

static struct l2tp_session *t_session(const struct tb *tb)
{
	return fake_subscriber_session(tb->sub);
}

/* A tunnel (once) and a call whose subscriber authenticates as user with
 * method; pumps until the LNS has asked AAA. */
static struct l2tp_session *t_call(struct tb *tb, enum config_auth method, const char *user,
				   const char *pw, uint16_t peer_sid)
{
	struct harness *h = tb->h;
	struct config_vtemplate *vt = config_vtemplate_find(&h->d.cfg, 1);
	struct ppp_config c;
	struct l2tp_session *s;

	assert_non_null(vt);
	vt->auth[0] = method;
	vt->n_auth = 1;
	if (tb->lac == NULL)
		tb->lac = h_lns_tunnel(h, "192.0.2.2", 100, "lac1");
	fake_subscribers_clear(tb->subs);
	h_flush_acks(h);
	h_drain(h);		/* what the last call left (its CDN) */
	tb->sub = fake_subscriber_add(tb->subs, tb->lac, peer_sid);
	tb->sub->sid = h_lns_call(h, tb->lac, peer_sid);
	h_flush_acks(h);
	h_drain(h);
	s = t_session(tb);
	assert_non_null(s);
	snprintf(s->calling, sizeof(s->calling), "0123456789");
	snprintf(s->called, sizeof(s->called), "lns-number");
	fake_subscriber_config(&c, user, pw);
	fake_subscriber_open(tb->sub, &c);
	pump(tb);
	return t_session(tb);
}

/* --- checking requests ------------------------------------------------------- */

static uint32_t attr_u32(const struct radius_msg *m, uint8_t type)
{
	const struct radius_attr *a = radius_find(m, type);
	uint32_t v = 0;

	assert_non_null(a);
	assert_int_equal(radius_get_u32(a, &v), 0);
	return v;
}

static void attr_str_eq(const struct radius_msg *m, uint8_t type, const char *want)
{
	const struct radius_attr *a = radius_find(m, type);

	assert_non_null(a);
	assert_int_equal(a->len, strlen(want));
	assert_memory_equal(a->val, want, a->len);
}

/* Accounting request nth (from 0), in the order of sending. */
static struct fake_radius_req *acct(struct tb *tb, unsigned nth)
{
	return fake_radius_nth(tb->rad, RADIUS_ACCT, nth);
}

/* The Access-Request every method shares. */
static void check_access_request(const struct radius_msg *m, const struct l2tp_session *s,
				 const char *user)
{
	assert_int_equal(m->code, RADIUS_ACCESS_REQUEST);
	attr_str_eq(m, RADIUS_ATTR_USER_NAME, user);
	attr_str_eq(m, RADIUS_ATTR_NAS_IDENTIFIER, "lns1");
	assert_int_equal(attr_u32(m, RADIUS_ATTR_NAS_PORT), (uint32_t)s->t->tid << 16 | s->sid);
	assert_int_equal(attr_u32(m, RADIUS_ATTR_NAS_PORT_TYPE), 5);
	assert_int_equal(attr_u32(m, RADIUS_ATTR_SERVICE_TYPE), 2);
	assert_int_equal(attr_u32(m, RADIUS_ATTR_FRAMED_PROTOCOL), 1);
	attr_str_eq(m, RADIUS_ATTR_CALLING_STATION_ID, "0123456789");
	attr_str_eq(m, RADIUS_ATTR_CALLED_STATION_ID, "lns-number");
	attr_str_eq(m, RADIUS_ATTR_ACCT_SESSION_ID, s->acct_session_id);
	assert_int_equal(strlen(s->acct_session_id), 16);
}

/* The same credentials as a ppp_auth_req, rebuilt from the attributes. */
static void req_from_radius(const struct radius_msg *m, enum ppp_auth_method meth,
			    struct ppp_auth_req *q)
{
	const struct radius_attr *a;

	memset(q, 0, sizeof(*q));
	q->method = meth;
	a = radius_find(m, RADIUS_ATTR_USER_NAME);
	assert_non_null(a);
	memcpy(q->user, a->val, a->len);
	if (meth == PPP_AUTH_CHAP_MD5) {
		a = radius_find(m, RADIUS_ATTR_CHAP_PASSWORD);
		assert_non_null(a);
		assert_int_equal(a->len, 17);
		q->id = a->val[0];
		memcpy(q->response, a->val + 1, 16);
		a = radius_find(m, RADIUS_ATTR_CHAP_CHALLENGE);
		assert_non_null(a);
		memcpy(q->challenge, a->val, a->len);
		q->challenge_len = a->len;
	} else if (meth == PPP_AUTH_MSCHAPV2) {
		a = radius_find_vsa(m, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_CHALLENGE);
		assert_non_null(a);
		assert_int_equal(a->len, 16);
		memcpy(q->challenge, a->val, 16);
		q->challenge_len = 16;
		a = radius_find_vsa(m, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_RESPONSE);
		assert_non_null(a);
		assert_int_equal(a->len, 50);
		q->id = a->val[0];
		assert_int_equal(a->val[1], 0);		/* Flags */
		memcpy(q->peer_challenge, a->val + 2, 16);
		memcpy(q->nt_response, a->val + 26, 24);
	}
}

/* --- authentication ------------------------------------------------------------- */

/* PAP: the request's attributes; every reply attribute applied. */
static void test_aaa_pap_accept_attributes(void **state)
{
	struct tb tb;
	struct harness *h = t_new(&tb, state, cfg_lns);
	struct l2tp_session *s = t_call(&tb, CONFIG_AUTH_PAP, "alice", "secret1", 5);
	struct fake_radius_req *r = fake_radius_pending(tb.rad, RADIUS_AUTH);
	const struct radius_attr *a;
	struct radius_msg m;
	struct radius_pkt rp;
	struct in_addr ip;

	assert_non_null(r);
	fake_radius_parse(r, &m);
	check_access_request(&m, s, "alice");
	/* cleartext here, padded to 16 (the client hides it per server) */
	a = radius_find(&m, RADIUS_ATTR_USER_PASSWORD);
	assert_non_null(a);
	assert_true(a->len >= 7);
	assert_memory_equal(a->val, "secret1", 7);
	assert_int_equal(tb.sub->ups, 0);

	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	inet_pton(AF_INET, "10.9.9.9", &ip);
	radius_put_addr(&rp, RADIUS_ATTR_FRAMED_IP_ADDRESS, ip);
	radius_put_u32(&rp, RADIUS_ATTR_FRAMED_MTU, 1400);
	radius_put_u32(&rp, RADIUS_ATTR_SESSION_TIMEOUT, 3600);
	radius_put_u32(&rp, RADIUS_ATTR_IDLE_TIMEOUT, 600);
	radius_put_u32(&rp, RADIUS_ATTR_ACCT_INTERIM_INTERVAL, 120);
	radius_put(&rp, RADIUS_ATTR_CLASS, "CLS\x01", 4);
	radius_put_str(&rp, RADIUS_ATTR_FRAMED_ROUTE, "192.168.50.0/24 10.9.9.9 1");
	radius_put_str(&rp, RADIUS_ATTR_FRAMED_ROUTE, "192.168.60.0 255.255.255.128");
	radius_put_str(&rp, RADIUS_ATTR_FILTER_ID, "std-in");
	fake_radius_put_avpair(&rp, "vpdn:l2tp-silent-switchover=1");
	fake_radius_put_avpair(&rp, "vpdn:l2tp-tunnel-resync-packet=7");
	fake_radius_answer(r, &rp);
	pump(&tb);

	assert_int_equal(tb.sub->ups, 1);
	assert_string_equal(inet_ntoa(tb.sub->st.local_addr), "10.9.9.9");	/* the subscriber's */
	assert_string_equal(inet_ntoa(s->peer_ip), "10.9.9.9");
	assert_string_equal(s->pool, "");
	assert_int_equal(ippool_in_use(h->d.pools, "P1"), 0);	/* the pool was not used */
	assert_string_equal(s->user, "alice");
	assert_int_equal(s->framed_mtu, 1400);
	assert_int_equal(s->session_timeout, 3600);
	assert_int_equal(s->idle_timeout, 600);
	assert_int_equal(s->acct_interval, 120);
	assert_int_equal(aaa_acct_interval(s), 120);
	assert_int_equal(l2tp_session_rare_get(s)->class_len, 4);
	assert_memory_equal(l2tp_session_rare_get(s)->class_attr, "CLS\x01", 4);
	assert_string_equal(l2tp_session_rare_get(s)->filter_id, "std-in");
	assert_int_equal(s->n_framed_routes, 2);
	assert_string_equal(inet_ntoa(s->framed_route[0]), "192.168.50.0");
	assert_int_equal(s->framed_plen[0], 24);
	assert_string_equal(inet_ntoa(s->framed_route[1]), "192.168.60.0");
	assert_int_equal(s->framed_plen[1], 25);
	assert_true(s->t->sso);
	assert_int_equal(s->t->resync_window, 7);
	assert_int_equal(h->d.aaa.stats.attr_refused, 0);
	/* the session timer follows Session-Timeout: an hour, not never */
	assert_true(clock_timer_pending(&s->sess_timer));
	/* Accounting-Start, once IPCP is up */
	assert_int_equal(fake_radius_count(tb.rad, RADIUS_ACCT), 1);
	fake_radius_parse(acct(&tb, 0), &m);
	assert_int_equal(m.code, RADIUS_ACCOUNTING_REQUEST);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE), 1);
	attr_str_eq(&m, RADIUS_ATTR_ACCT_SESSION_ID, s->acct_session_id);
	attr_str_eq(&m, RADIUS_ATTR_USER_NAME, "alice");
	attr_str_eq(&m, RADIUS_ATTR_CLASS, "CLS\x01");
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_FRAMED_IP_ADDRESS), ntohl(ip.s_addr));
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_AUTHENTIC), 1);
	assert_true(s->acct_started);
}

/* CHAP-MD5: CHAP-Password and CHAP-Challenge check out; Framed-Pool. */
static void test_aaa_chap_accept_pool(void **state)
{
	struct tb tb;
	struct harness *h = t_new(&tb, state, cfg_lns);
	struct l2tp_session *s = t_call(&tb, CONFIG_AUTH_CHAP, "bob", "chapsecret", 5);
	struct fake_radius_req *r = fake_radius_pending(tb.rad, RADIUS_AUTH);
	struct ppp_auth_req q;
	struct ppp_auth_reply rep;
	struct radius_msg m;
	struct radius_pkt rp;

	assert_non_null(r);
	fake_radius_parse(r, &m);
	check_access_request(&m, s, "bob");
	assert_null(radius_find(&m, RADIUS_ATTR_USER_PASSWORD));
	req_from_radius(&m, PPP_AUTH_CHAP_MD5, &q);
	assert_int_equal(ppp_auth_check_local(&q, "chapsecret", &rep), 0);
	assert_int_not_equal(ppp_auth_check_local(&q, "other", &rep), 0);

	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	radius_put_str(&rp, RADIUS_ATTR_FRAMED_POOL, "P2");
	fake_radius_answer(r, &rp);
	pump(&tb);
	assert_int_equal(tb.sub->ups, 1);
	assert_string_equal(s->pool, "P2");
	assert_int_equal(ntohl(s->peer_ip.s_addr) >> 8, 0x0a0200);
	assert_int_equal(ippool_in_use(h->d.pools, "P2"), 1);
	assert_int_equal(ippool_in_use(h->d.pools, "P1"), 0);
	/* Cisco's ip:addr-pool does the same (next call) */
	s = t_call(&tb, CONFIG_AUTH_CHAP, "bob", "chapsecret", 6);
	r = fake_radius_pending(tb.rad, RADIUS_AUTH);
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	fake_radius_put_avpair(&rp, "ip:addr-pool=P2");
	fake_radius_answer(r, &rp);
	pump(&tb);
	assert_int_equal(tb.sub->ups, 1);
	assert_string_equal(s->pool, "P2");
	assert_int_equal(ippool_in_use(h->d.pools, "P2"), 2);
}

/* MS-CHAPv2: the VSAs; the subscriber accepts the server's S= only when
 * it is right, so the Accept's MS-CHAP2-Success must reach it intact. */
static void test_aaa_mschapv2(void **state)
{
	struct tb tb;
	struct l2tp_session *s;
	struct fake_radius_req *r;
	struct ppp_auth_req q;
	struct ppp_auth_reply rep;
	struct radius_msg m;
	struct radius_pkt rp;
	uint8_t succ[1 + PPP_MSCHAP_AUTHRESP_LEN];

	t_new(&tb, state, cfg_lns);
	s = t_call(&tb, CONFIG_AUTH_MSCHAPV2, "carol", "msPass!", 5);
	r = fake_radius_pending(tb.rad, RADIUS_AUTH);
	assert_non_null(r);
	fake_radius_parse(r, &m);
	check_access_request(&m, s, "carol");
	req_from_radius(&m, PPP_AUTH_MSCHAPV2, &q);
	memset(&rep, 0, sizeof(rep));
	assert_int_equal(ppp_auth_check_local(&q, "msPass!", &rep), 0);
	assert_memory_equal(rep.mschap_auth_response, "S=", 2);

	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	succ[0] = q.id;
	memcpy(succ + 1, rep.mschap_auth_response, PPP_MSCHAP_AUTHRESP_LEN);
	radius_put_vsa(&rp, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_SUCCESS, succ, sizeof(succ));
	fake_radius_answer(r, &rp);
	pump(&tb);
	assert_int_equal(tb.sub->ups, 1);
	assert_string_equal(s->user, "carol");

	/* An Accept without MS-CHAP2-Success is refused. */
	s = t_call(&tb, CONFIG_AUTH_MSCHAPV2, "carol", "msPass!", 6);
	r = fake_radius_pending(tb.rad, RADIUS_AUTH);
	assert_non_null(r);
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	fake_radius_answer(r, &rp);
	pump(&tb);
	assert_int_equal(tb.sub->ups, 0);
	assert_null(t_session(&tb));	/* cleared */
}

/* Out-of-range values and unknown AV-pairs: refused or ignored, the rest
 * applied, the subscriber let in. */
static void test_aaa_avpairs_out_of_range(void **state)
{
	struct tb tb;
	struct harness *h = t_new(&tb, state, cfg_lns);
	struct l2tp_session *s = t_call(&tb, CONFIG_AUTH_PAP, "dave", "pw", 5);
	struct fake_radius_req *r = fake_radius_pending(tb.rad, RADIUS_AUTH);
	uint16_t resync = s->t->resync_window;
	struct radius_pkt rp;
	struct in_addr dst;
	unsigned plen;
	char pool[64] = "";

	assert_false(s->t->sso);
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	fake_radius_put_avpair(&rp, "vpdn:l2tp-tunnel-resync-packet=0");
	fake_radius_put_avpair(&rp, "vpdn:l2tp-tunnel-resync-packet=65536");
	fake_radius_put_avpair(&rp, "vpdn:l2tp-tunnel-resync-packet=12abc");
	fake_radius_put_avpair(&rp, "vpdn:l2tp-silent-switchover=2");
	fake_radius_put_avpair(&rp, "foo:bar=1");		/* unknown: ignored, not refused */
	radius_put_u32(&rp, RADIUS_ATTR_FRAMED_MTU, 100);
	radius_put_u32(&rp, RADIUS_ATTR_ACCT_INTERIM_INTERVAL, 10);
	radius_put_str(&rp, RADIUS_ATTR_FRAMED_ROUTE, "10.0.0.1/33");
	radius_put_u32(&rp, RADIUS_ATTR_SESSION_TIMEOUT, 120);	/* this one is fine */
	fake_radius_answer(r, &rp);
	pump(&tb);
	assert_int_equal(tb.sub->ups, 1);
	assert_int_equal(h->d.aaa.stats.attr_refused, 7);
	assert_false(s->t->sso);
	assert_int_equal(s->t->resync_window, resync);
	assert_int_equal(s->framed_mtu, 0);
	assert_int_equal(s->acct_interval, 0);
	assert_int_equal(s->n_framed_routes, 0);
	assert_int_equal(s->session_timeout, 120);
	assert_string_equal(s->pool, "P1");		/* the template's */

	/* the parsers themselves */
	assert_int_equal(aaa_avpair_apply(s, "vpdn:l2tp-tunnel-resync-packet=65535", pool,
					  sizeof(pool)), 0);
	assert_int_equal(s->t->resync_window, 65535);
	assert_int_equal(aaa_avpair_apply(s, "vpdn:l2tp-tunnel-resync-packet=-1", pool,
					  sizeof(pool)), -ERANGE);
	assert_int_equal(aaa_avpair_apply(s, "vpdn:l2tp-tunnel-resync-packet=", pool,
					  sizeof(pool)), -ERANGE);
	assert_int_equal(s->t->resync_window, 65535);
	assert_int_equal(aaa_avpair_apply(s, "ip:addr-pool*P9", pool, sizeof(pool)), 0);
	assert_string_equal(pool, "P9");
	assert_int_equal(aaa_avpair_apply(s, "noequals", pool, sizeof(pool)), 1);
	assert_int_equal(aaa_parse_framed_route("10.1.2.0/24 10.0.0.1 5", &dst, &plen), 0);
	assert_int_equal(plen, 24);
	assert_int_equal(aaa_parse_framed_route("10.1.2.3", &dst, &plen), 0);
	assert_int_equal(plen, 32);
	assert_int_equal(aaa_parse_framed_route("10.1.2.1/24", &dst, &plen), -EINVAL);
	assert_int_equal(aaa_parse_framed_route("10.1.2.0 255.0.255.0", &dst, &plen), -EINVAL);
	assert_int_equal(aaa_parse_framed_route("bogus/8", &dst, &plen), -EINVAL);
}

/* A Reject is final: no local fallback, even for a local user. */
static void test_aaa_reject_final(void **state)
{
	struct tb tb;
	struct harness *h = t_new(&tb, state, cfg_lns);
	struct fake_radius_req *r;
	struct radius_pkt rp;

	t_call(&tb, CONFIG_AUTH_PAP, "local1", "lpass", 5);
	r = fake_radius_pending(tb.rad, RADIUS_AUTH);
	assert_non_null(r);
	radius_pkt_init(&rp, RADIUS_ACCESS_REJECT);
	radius_put_str(&rp, RADIUS_ATTR_REPLY_MESSAGE, "Account expired");
	fake_radius_answer(r, &rp);
	pump(&tb);
	assert_int_equal(tb.sub->ups, 0);
	assert_int_equal(h->d.aaa.stats.auth_reject, 1);
	assert_int_equal(h->d.aaa.stats.auth_local_ok, 0);
	assert_int_equal(h->d.stats.ppp_auth_failures, 1);
	assert_null(t_session(&tb));
	assert_int_equal(fake_radius_count(tb.rad, RADIUS_ACCT), 0);	/* never started */
}
/* No answer (timeout, no server): the local users. */
static void test_aaa_timeout_local_fallback(void **state)
{
	struct tb tb;
	struct harness *h = t_new(&tb, state, cfg_lns);
	struct l2tp_session *s;
	struct fake_radius_req *r;

	s = t_call(&tb, CONFIG_AUTH_CHAP, "local1", "lpass", 5);
	r = fake_radius_pending(tb.rad, RADIUS_AUTH);
	assert_non_null(r);
	assert_int_equal(tb.sub->ups, 0);
	fake_radius_no_answer(r, -ETIMEDOUT);
	pump(&tb);
	assert_int_equal(tb.sub->ups, 1);
	assert_int_equal(h->d.aaa.stats.auth_local_ok, 1);
	assert_string_equal(s->pool, "P1");
	assert_int_equal(s->acct_authentic, 2);
	/* a wrong local password after a timeout fails */
	t_call(&tb, CONFIG_AUTH_PAP, "local1", "wrong", 6);
	fake_radius_no_answer(fake_radius_pending(tb.rad, RADIUS_AUTH), -ETIMEDOUT);
	pump(&tb);
	assert_int_equal(tb.sub->ups, 0);
	assert_null(t_session(&tb));
	/* no server configured: local at once, nothing sent */
	tb.rad->configured[RADIUS_AUTH] = 0;
	t_call(&tb, CONFIG_AUTH_PAP, "local1", "lpass", 7);
	assert_null(fake_radius_pending(tb.rad, RADIUS_AUTH));
	assert_int_equal(tb.sub->ups, 1);
	/* `group radius` alone: no answer is a failure */
	h->d.cfg.aaa.n_authen = 1;
	tb.rad->configured[RADIUS_AUTH] = 1;
	t_call(&tb, CONFIG_AUTH_PAP, "local1", "lpass", 8);
	fake_radius_no_answer(fake_radius_pending(tb.rad, RADIUS_AUTH), -ETIMEDOUT);
	pump(&tb);
	assert_int_equal(tb.sub->ups, 0);
}

/* The session goes while RADIUS thinks: the request is cancelled. */
static void test_aaa_cancel_when_session_goes(void **state)
{
	struct tb tb;
	struct l2tp_session *s;
	struct fake_radius_req *r;

	t_new(&tb, state, cfg_lns);
	s = t_call(&tb, CONFIG_AUTH_PAP, "erin", "pw", 5);
	r = fake_radius_pending(tb.rad, RADIUS_AUTH);
	assert_non_null(r);
	assert_non_null(s->aaa_auth);
	h_cdn(tb.lac, tb.sub->sid, 5, 1);
	h_send(tb.lac);
	assert_null(t_session(&tb));
	assert_true(r->cancelled);
	assert_int_equal(fake_radius_count(tb.rad, RADIUS_ACCT), 0);
}

/* --- accounting ------------------------------------------------------------- */

/* A call whose subscriber RADIUS lets in (PAP), with a Class. */
static struct l2tp_session *t_up_pap(struct tb *tb, const char *user, uint16_t peer_sid)
{
	struct l2tp_session *s = t_call(tb, CONFIG_AUTH_PAP, user, "pw", peer_sid);
	struct fake_radius_req *r = fake_radius_pending(tb->rad, RADIUS_AUTH);
	struct radius_pkt rp;

	assert_non_null(r);
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	radius_put(&rp, RADIUS_ATTR_CLASS, "bill-7", 6);
	fake_radius_answer(r, &rp);
	pump(tb);
	assert_int_equal(tb->sub->ups, 1);
	return s;
}

static void check_counters(const struct radius_msg *m, const uint64_t c[AAA_CNT_MAX])
{
	assert_int_equal(attr_u32(m, RADIUS_ATTR_ACCT_INPUT_OCTETS),
			 (uint32_t)c[AAA_CNT_IN_OCTETS]);
	assert_int_equal(attr_u32(m, RADIUS_ATTR_ACCT_INPUT_GIGAWORDS),
			 (uint32_t)(c[AAA_CNT_IN_OCTETS] >> 32));
	assert_int_equal(attr_u32(m, RADIUS_ATTR_ACCT_OUTPUT_OCTETS),
			 (uint32_t)c[AAA_CNT_OUT_OCTETS]);
	assert_int_equal(attr_u32(m, RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS),
			 (uint32_t)(c[AAA_CNT_OUT_OCTETS] >> 32));
	assert_int_equal(attr_u32(m, RADIUS_ATTR_ACCT_INPUT_PACKETS),
			 (uint32_t)c[AAA_CNT_IN_PACKETS]);
	assert_int_equal(attr_u32(m, RADIUS_ATTR_ACCT_OUTPUT_PACKETS),
			 (uint32_t)c[AAA_CNT_OUT_PACKETS]);
}

/* Start, Interim every minute with the user-space counters of the null
 * data path (non-zero), Gigawords, Stop with the cause. */
static void test_aaa_accounting(void **state)
{
	struct tb tb;
	struct harness *h = t_new(&tb, state, cfg_lns);
	struct l2tp_session *s = t_up_pap(&tb, "frank", 5);
	uint64_t want[AAA_CNT_MAX];
	char id[64];
	struct radius_msg m;

	snprintf(id, sizeof(id), "%s", s->acct_session_id);
	assert_int_equal(fake_radius_count(tb.rad, RADIUS_ACCT), 1);
	assert_true(s->up_rx_packets > 0 && s->up_tx_packets > 0);
	assert_true(s->up_rx_octets > s->up_rx_packets && s->up_tx_octets > s->up_tx_packets);
	clock_advance(&h->d.clk, 59000);
	assert_int_equal(fake_radius_count(tb.rad, RADIUS_ACCT), 1);
	clock_advance(&h->d.clk, 1000);
	assert_int_equal(fake_radius_count(tb.rad, RADIUS_ACCT), 2);
	fake_radius_parse(acct(&tb, 1), &m);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE), 3);
	attr_str_eq(&m, RADIUS_ATTR_ACCT_SESSION_ID, id);
	attr_str_eq(&m, RADIUS_ATTR_CLASS, "bill-7");
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_SESSION_TIME), 60);
	want[AAA_CNT_IN_OCTETS] = s->up_rx_octets;
	want[AAA_CNT_OUT_OCTETS] = s->up_tx_octets;
	want[AAA_CNT_IN_PACKETS] = s->up_rx_packets;
	want[AAA_CNT_OUT_PACKETS] = s->up_tx_packets;
	check_counters(&m, want);
	assert_memory_equal(s->acct_reported, want, sizeof(want));
	/* past 4 GiB: Gigawords */
	s->acct_base[AAA_CNT_IN_OCTETS] = (5ULL << 32) + 3;
	s->acct_base[AAA_CNT_OUT_OCTETS] = (1ULL << 32);
	clock_advance(&h->d.clk, 60000);
	assert_int_equal(fake_radius_count(tb.rad, RADIUS_ACCT), 3);
	fake_radius_parse(acct(&tb, 2), &m);
	want[AAA_CNT_IN_OCTETS] = (5ULL << 32) + 3 + s->up_rx_octets;
	want[AAA_CNT_OUT_OCTETS] = (1ULL << 32) + s->up_tx_octets;
	check_counters(&m, want);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_INPUT_GIGAWORDS), 5);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS), 1);
	/* the LAC hangs up: Stop, User-Request */
	h_cdn(tb.lac, tb.sub->sid, 5, 1);
	h_send(tb.lac);
	assert_null(t_session(&tb));
	assert_int_equal(fake_radius_count(tb.rad, RADIUS_ACCT), 4);
	fake_radius_parse(acct(&tb, 3), &m);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE), 2);
	attr_str_eq(&m, RADIUS_ATTR_ACCT_SESSION_ID, id);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_TERMINATE_CAUSE), 1);
	check_counters(&m, want);
	assert_int_equal(h->d.aaa.stats.acct_start, 1);
	assert_int_equal(h->d.aaa.stats.acct_interim, 2);
	assert_int_equal(h->d.aaa.stats.acct_stop, 1);
	/* the next session has another Acct-Session-Id */
	s = t_up_pap(&tb, "frank", 6);
	assert_string_not_equal(s->acct_session_id, id);
}

/* Idle-Timeout from RADIUS ends the session (cause 4), before the template. */
static void test_aaa_idle_timeout_cause(void **state)
{
	struct tb tb;
	struct harness *h = t_new(&tb, state, cfg_lns);
	struct l2tp_session *s = t_call(&tb, CONFIG_AUTH_PAP, "gina", "pw", 5);
	struct fake_radius_req *r = fake_radius_pending(tb.rad, RADIUS_AUTH);
	struct radius_pkt rp;
	struct radius_msg m;

	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	radius_put_u32(&rp, RADIUS_ATTR_IDLE_TIMEOUT, 30);
	fake_radius_answer(r, &rp);
	pump(&tb);
	assert_int_equal(tb.sub->ups, 1);
	assert_int_equal(s->idle_timeout, 30);
	clock_advance(&h->d.clk, 29000);
	pump(&tb);
	assert_non_null(t_session(&tb));
	clock_advance(&h->d.clk, 31000);	/* nothing seen in 30 s */
	pump(&tb);
	clock_advance(&h->d.clk, 10000);	/* LCP Terminate runs its course */
	pump(&tb);
	assert_null(t_session(&tb));
	fake_radius_parse(acct(&tb, fake_radius_count(tb.rad, RADIUS_ACCT) - 1), &m);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE), 2);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_TERMINATE_CAUSE), 4);
}

/* --- HA ------------------------------------------------------------------------ */

/*
 * A switchover between two Interim-Updates: the new active sends no
 * Start, the same Acct-Session-Id, counters from where the old box left
 * them (its own start at 0), the Class; and the Stop at the end.
 */
static void test_aaa_ha_continuity(void **state)
{
	struct tb tb;
	struct harness *h = t_new(&tb, state, cfg_ha);
	struct fake_standby *b = fake_standby_new(h, 1);
	struct l2tp_session *s;
	uint64_t before[AAA_CNT_MAX], after[AAA_CNT_MAX];
	char id[64];
	struct radius_msg m;
	unsigned starts, n;

	s = t_up_pap(&tb, "hank", 5);
	snprintf(id, sizeof(id), "%s", s->acct_session_id);
	s->acct_base[AAA_CNT_IN_OCTETS] = 7000000000ULL;	/* a busy subscriber */
	clock_advance(&h->d.clk, 60000);
	ha_flush(&h->d);
	assert_int_equal(fake_radius_count(tb.rad, RADIUS_ACCT), 2);	/* Start, Interim */
	memcpy(before, s->acct_reported, sizeof(before));
	assert_true(before[AAA_CNT_IN_OCTETS] > 7000000000ULL);
	assert_true(before[AAA_CNT_IN_PACKETS] > 0);

	/* the box dies: not a word, no Stop */
	fake_standby_crash(b);
	assert_int_equal(fake_radius_count(tb.rad, RADIUS_ACCT), 2);
	fake_standby_take_over(b);
	h_send_zlb(tb.lac);	/* the LAC answers the resync probe */
	assert_false(h_tunnel(tb.lac)->resyncing);
	s = t_session(&tb);
	assert_non_null(s);
	assert_string_equal(s->acct_session_id, id);
	assert_true(s->acct_started);
	assert_int_equal(l2tp_session_rare_get(s)->class_len, 6);
	assert_memory_equal(l2tp_session_rare_get(s)->class_attr, "bill-7", 6);
	assert_int_equal(s->up_rx_octets, 0);		/* this box counted nothing yet */
	assert_memory_equal(s->acct_base, before, sizeof(before));
	starts = 0;
	for (unsigned i = 0; i < fake_radius_count(tb.rad, RADIUS_ACCT); i++) {
		fake_radius_parse(acct(&tb, i), &m);
		starts += attr_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE) == 1;
	}
	assert_int_equal(starts, 1);
	/* the next Interim: same id, counters onward */
	s->up_rx_octets = 1000;
	s->up_rx_packets = 10;
	clock_advance(&h->d.clk, 60000);
	n = fake_radius_count(tb.rad, RADIUS_ACCT);
	assert_int_equal(n, 3);
	fake_radius_parse(acct(&tb, 2), &m);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE), 3);
	attr_str_eq(&m, RADIUS_ATTR_ACCT_SESSION_ID, id);
	attr_str_eq(&m, RADIUS_ATTR_CLASS, "bill-7");
	memcpy(after, before, sizeof(after));
	after[AAA_CNT_IN_OCTETS] += 1000;
	after[AAA_CNT_IN_PACKETS] += 10;
	check_counters(&m, after);
	assert_true(attr_u32(&m, RADIUS_ATTR_ACCT_SESSION_TIME) >= 120);
	/* the end: Stop from the new active, Admin-Reset */
	{
		struct radius_pkt rp;
		struct radius_msg dm;
		uint32_t ec = 0;

		radius_pkt_init(&rp, RADIUS_DISCONNECT_REQUEST);
		radius_put_str(&rp, RADIUS_ATTR_ACCT_SESSION_ID, id);
		assert_int_equal(radius_parse(rp.buf, rp.len, &dm), 0);
		assert_int_equal(aaa_das_disconnect(&h->d, &dm, &ec), 0);
	}
	assert_null(t_session(&tb));
	assert_int_equal(fake_radius_count(tb.rad, RADIUS_ACCT), 4);
	fake_radius_parse(acct(&tb, 3), &m);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE), 2);
	attr_str_eq(&m, RADIUS_ATTR_ACCT_SESSION_ID, id);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_TERMINATE_CAUSE), 6);
	check_counters(&m, after);
	fake_standby_detach(b);
}

/* --- RFC 5176 ----------------------------------------------------------------- */

static int das(struct harness *h, uint8_t code, uint32_t *ec, ...)
{
	struct radius_pkt rp;
	struct radius_msg m;
	va_list ap;
	int type;

	radius_pkt_init(&rp, code);
	va_start(ap, ec);
	while ((type = va_arg(ap, int)) != 0) {
		if (type == RADIUS_ATTR_FRAMED_IP_ADDRESS || type == RADIUS_ATTR_NAS_PORT ||
		    type == RADIUS_ATTR_SESSION_TIMEOUT || type == RADIUS_ATTR_IDLE_TIMEOUT ||
		    type == RADIUS_ATTR_SERVICE_TYPE)
			radius_put_u32(&rp, (uint8_t)type, va_arg(ap, uint32_t));
		else
			radius_put_str(&rp, (uint8_t)type, va_arg(ap, const char *));
	}
	va_end(ap);
	assert_int_equal(radius_parse(rp.buf, rp.len, &m), 0);
	*ec = 0;
	return code == RADIUS_DISCONNECT_REQUEST ? aaa_das_disconnect(&h->d, &m, ec) :
	       aaa_das_coa(&h->d, &m, ec);
}

static void test_aaa_das(void **state)
{
	struct tb tb;
	struct harness *h = t_new(&tb, state, cfg_lns);
	struct l2tp_session *s1, *s2, *s3;
	struct l2tp_tunnel *t;
	uint16_t sid1, sid2, sid3;
	struct radius_msg m;
	uint32_t ec;

	s1 = t_up_pap(&tb, "ivy", 5);
	sid1 = s1->sid;
	s2 = t_up_pap(&tb, "ivy", 6);
	sid2 = s2->sid;
	s3 = t_up_pap(&tb, "jack", 7);
	sid3 = s3->sid;
	t = s3->t;
	/* no such session: NAK 503 */
	assert_true(das(h, RADIUS_DISCONNECT_REQUEST, &ec, RADIUS_ATTR_ACCT_SESSION_ID,
			"0000000000000000", 0) < 0);
	assert_int_equal(ec, RADIUS_ERR_SESSION_NOT_FOUND);
	/* an attribute we do not act on: NAK 401, nothing happens */
	assert_true(das(h, RADIUS_DISCONNECT_REQUEST, &ec, RADIUS_ATTR_USER_NAME, "ivy",
			RADIUS_ATTR_SERVICE_TYPE, 2u, 0) < 0);
	assert_int_equal(ec, RADIUS_ERR_UNSUPPORTED_ATTRIBUTE);
	/* nothing to identify a session: NAK 402 */
	assert_true(das(h, RADIUS_DISCONNECT_REQUEST, &ec, RADIUS_ATTR_NAS_IDENTIFIER, "lns1",
			0) < 0);
	assert_int_equal(ec, RADIUS_ERR_MISSING_ATTRIBUTE);
	assert_non_null(l2tp_session_find(t, sid1));
	/* User-Name and the wrong Framed-IP: no match */
	assert_true(das(h, RADIUS_DISCONNECT_REQUEST, &ec, RADIUS_ATTR_USER_NAME, "ivy",
			RADIUS_ATTR_FRAMED_IP_ADDRESS, 0x0a0a0a0au, 0) < 0);
	/* CoA by NAS-Port: new Session-Timeout and Filter-Id on jack only */
	assert_int_equal(das(h, RADIUS_COA_REQUEST, &ec, RADIUS_ATTR_NAS_PORT,
			     (uint32_t)t->tid << 16 | sid3, RADIUS_ATTR_SESSION_TIMEOUT, 30u,
			     RADIUS_ATTR_FILTER_ID, "gold", 0), 0);
	assert_string_equal(l2tp_session_rare_get(s3)->filter_id, "gold");
	assert_string_equal(l2tp_session_rare_get(s1)->filter_id, "");
	assert_int_equal(s1->session_timeout, 0);
	/* CoA with an unsupported attribute: NAK 401 */
	assert_true(das(h, RADIUS_COA_REQUEST, &ec, RADIUS_ATTR_USER_NAME, "jack",
			RADIUS_ATTR_FRAMED_POOL, "P2", 0) < 0);
	assert_int_equal(ec, RADIUS_ERR_UNSUPPORTED_ATTRIBUTE);
	/* User-Name only: both of ivy's sessions go, jack's stays */
	assert_int_equal(das(h, RADIUS_DISCONNECT_REQUEST, &ec, RADIUS_ATTR_USER_NAME, "ivy", 0),
			 0);
	assert_null(l2tp_session_find(t, sid1));
	assert_null(l2tp_session_find(t, sid2));
	assert_non_null(l2tp_session_find(t, sid3));
	assert_int_equal(h->d.aaa.stats.das_disconnect, 2);
	fake_radius_parse(acct(&tb, fake_radius_count(tb.rad, RADIUS_ACCT) - 1), &m);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_TERMINATE_CAUSE), 6);
	/* jack's new Session-Timeout (30 s from the CoA) ends it: cause 5 */
	clock_advance(&h->d.clk, 31000);
	pump(&tb);
	clock_advance(&h->d.clk, 10000);
	pump(&tb);
	assert_null(l2tp_session_find(t, sid3));
	fake_radius_parse(acct(&tb, fake_radius_count(tb.rad, RADIUS_ACCT) - 1), &m);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE), 2);
	assert_int_equal(attr_u32(&m, RADIUS_ATTR_ACCT_TERMINATE_CAUSE), 5);
}

/* The commands: parsed and printed back. */
static void test_aaa_config(void **state)
{
	struct tb tb;
	struct harness *h = t_new(&tb, state, cfg_lns);
	struct l2tpd_config cfg;
	struct out o;
	char err[256];

	assert_int_equal(h->d.cfg.aaa.n_authen, 2);
	assert_int_equal(h->d.cfg.aaa.authen[0], CONFIG_AAA_RADIUS);
	assert_int_equal(h->d.cfg.aaa.authen[1], CONFIG_AAA_LOCAL);
	assert_true(h->d.cfg.aaa.acct_network);
	assert_int_equal(h->d.cfg.aaa.acct_update_min, 1);
	out_init(&o, 0);
	cmd_running_config(&h->d.cfg, &o);
	assert_non_null(strstr(o.buf, "aaa authentication ppp default group radius local\n"));
	assert_non_null(strstr(o.buf, "aaa accounting network default start-stop group radius\n"));
	assert_non_null(strstr(o.buf, "aaa accounting update periodic 1\n"));
	assert_non_null(strstr(o.buf, "aaa new-model\n"));
	out_free(&o);
	config_init(&cfg);
	assert_true(config_load_string(&cfg, "aaa authentication ppp default local local\n", err,
				       sizeof(err)) < 0);
	assert_true(config_load_string(&cfg, "aaa authentication ppp default group tacacs\n",
				       err, sizeof(err)) < 0);
	assert_int_equal(config_load_string(&cfg, "aaa authentication ppp default local group "
					    "radius\n", err, sizeof(err)), 0);
	assert_int_equal(cfg.aaa.authen[0], CONFIG_AAA_LOCAL);
	assert_int_equal(cfg.aaa.authen[1], CONFIG_AAA_RADIUS);
	assert_int_equal(config_load_string(&cfg, "no aaa authentication ppp default\n", err,
					    sizeof(err)), 0);
	assert_int_equal(cfg.aaa.n_authen, 0);
	config_free(&cfg);
}

/* Acct-Session-Id: the boot ID and the next number, 8 upper-case hex
 * digits each; cut to the buffer like snprintf. */
static void test_aaa_acct_session_id_text(void **state)
{
	struct harness *h = h_new(state, "hostname lns1\n");
	char id[24], small[16];

	h->d.aaa.boot_id = 0x0a1b2c3du;
	h->d.aaa.next_id = 0xfffffffdu;
	aaa_acct_session_id(&h->d, id, sizeof id);
	assert_string_equal(id, "0A1B2C3DFFFFFFFE");
	aaa_acct_session_id(&h->d, id, sizeof id);
	assert_string_equal(id, "0A1B2C3DFFFFFFFF");
	aaa_acct_session_id(&h->d, id, sizeof id);
	assert_string_equal(id, "0A1B2C3D00000000");
	h->d.aaa.boot_id = 0x90000009u;
	h->d.aaa.next_id = 0x00abcdefu;
	memset(small, 'x', sizeof small);
	aaa_acct_session_id(&h->d, small, 10);
	assert_string_equal(small, "900000090");
	assert_memory_equal(small + 10, "xxxxxx", 6);	/* nothing past the size */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_aaa_pap_accept_attributes, h_teardown),
		cmocka_unit_test_teardown(test_aaa_chap_accept_pool, h_teardown),
		cmocka_unit_test_teardown(test_aaa_mschapv2, h_teardown),
		cmocka_unit_test_teardown(test_aaa_avpairs_out_of_range, h_teardown),
		cmocka_unit_test_teardown(test_aaa_reject_final, h_teardown),
		cmocka_unit_test_teardown(test_aaa_timeout_local_fallback, h_teardown),
		cmocka_unit_test_teardown(test_aaa_cancel_when_session_goes, h_teardown),
		cmocka_unit_test_teardown(test_aaa_accounting, h_teardown),
		cmocka_unit_test_teardown(test_aaa_idle_timeout_cause, h_teardown),
		cmocka_unit_test_teardown(test_aaa_ha_continuity, h_teardown),
		cmocka_unit_test_teardown(test_aaa_das, h_teardown),
		cmocka_unit_test_teardown(test_aaa_config, h_teardown),
		cmocka_unit_test_teardown(test_aaa_acct_session_id_text, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
