/*
 * Unit tests of the LAC's tunnel authorization (aaa/tunnel.c, RFC 2868):
 * the tunnel sets of an Access-Accept (tags, preference order, the
 * Tunnel-Password against a value computed apart from the code, refusals),
 * and dials that follow them with the daemon of harness.c and the RADIUS
 * server of fake_radius.h.
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
#include <nettle/md5.h>

#include "harness.h"
#include "fake_radius.h"
#include "aaa/aaa.h"
#include "aaa/tunnel.h"
#include "l2tp/dial.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "aaa/radius.h"
#include "aaa/radius_client.h"

static const char cfg_lac[] =
	"hostname lac1\n"
	"vpdn enable\n"
	"aaa new-model\n"
	"aaa authorization network default group radius\n"
	"vpdn-group LAC\n"
	" request-dialin\n"
	"  protocol l2tp\n"
	"  domain isp.example\n"
	" initiate-to ip 192.0.2.2\n"
	" local name lac1\n"
	" l2tp tunnel password group-secret\n";	/* not H_SECRET: RADIUS's is */

/* The RADIUS secret and Request Authenticator of the answered request. */
#define RAD_SECRET	"xyzzy5461"
static const uint8_t rad_auth[16] = {
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
};

/*
 * RFC 2868 §3.5 Tunnel-Password of "lns-two-blocks-secret-01" (24
 * characters: two 16-octet blocks with its length octet), Tag 1, Salt
 * 0x8a5b, for RAD_SECRET and rad_auth; computed apart from this code:
 *   P = len | password | zero padding;  b1 = MD5(S | R | A),  c1 = p1 ^ b1;
 *   b2 = MD5(S | c1),  c2 = p2 ^ b2.
 */
static const uint8_t pw_vector[35] = {
	0x01, 0x8a, 0x5b, 0xe3, 0x27, 0x19, 0xfc, 0xd5, 0x48, 0x8a, 0x35, 0xcb,
	0x66, 0x05, 0x01, 0x99, 0x07, 0x07, 0xae, 0x17, 0xbe, 0x9b, 0x33, 0xf9,
	0xeb, 0x5c, 0x14, 0x4f, 0x09, 0x46, 0xf3, 0xdf, 0x66, 0x4e, 0x09,
};
#define PW_VECTOR_PLAIN	"lns-two-blocks-secret-01"

/* The LAC's daemon; RADIUS authorizes its tunnels (no accounting server),
 * every reply answering rad_auth from a server with RAD_SECRET. */
static struct harness *t_new(void **state, const char *cfg)
{
	struct harness *h = h_new(state, cfg);
	struct fake_radius *rad = fake_radius_new(h);

	rad->configured[RADIUS_ACCT] = 0;
	fake_radius_reply_auth(rad, rad_auth, RAD_SECRET);
	clock_advance(&h->d.clk, 1000000);
	return h;
}

/* --- building replies ----------------------------------------------------------- */

/* An integer tunnel attribute: Tag, then 24 bits. */
static void put_tagged_int(struct radius_pkt *p, uint8_t type, uint8_t tag, uint32_t v)
{
	uint8_t b[4] = { tag, (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	assert_int_equal(radius_put(p, type, b, sizeof(b)), 0);
}

/* A string tunnel attribute; tag < 0: none. */
static void put_tagged_str(struct radius_pkt *p, uint8_t type, int tag, const char *s)
{
	uint8_t b[254];
	size_t n = 0;

	if (tag >= 0)
		b[n++] = (uint8_t)tag;
	memcpy(b + n, s, strlen(s));
	n += strlen(s);
	assert_int_equal(radius_put(p, type, b, n), 0);
}

/* §3.5 Tunnel-Password, for the dial tests (checked against pw_vector). */
static void tunnel_password_encode(uint8_t tag, const uint8_t salt[2], const char *pw,
				   const char *secret, const uint8_t req_auth[16], uint8_t *out,
				   size_t *outlen)
{
	uint8_t plain[256] = { 0 }, b[16], *c = out + 3;
	const uint8_t *prev;
	size_t len = strlen(pw), plen = (len + 1 + 15) / 16 * 16, i, k;
	struct md5_ctx ctx;

	plain[0] = (uint8_t)len;
	memcpy(plain + 1, pw, len);
	out[0] = tag;
	out[1] = salt[0];
	out[2] = salt[1];
	for (i = 0; i < plen; i += 16) {
		md5_init(&ctx);
		md5_update(&ctx, strlen(secret), (const uint8_t *)secret);
		if (i == 0) {
			md5_update(&ctx, 16, req_auth);
			md5_update(&ctx, 2, salt);
		} else {
			prev = c + i - 16;
			md5_update(&ctx, 16, prev);
		}
		md5_digest(&ctx, sizeof(b), b);
		for (k = 0; k < 16; k++)
			c[i + k] = plain[i + k] ^ b[k];
	}
	*outlen = 3 + plen;
}

static void put_password(struct radius_pkt *p, uint8_t tag, const char *pw)
{
	static const uint8_t salt[2] = { 0x80, 0x17 };
	uint8_t v[256];
	size_t n;

	tunnel_password_encode(tag, salt, pw, RAD_SECRET, rad_auth, v, &n);
	assert_int_equal(radius_put(p, RADIUS_ATTR_TUNNEL_PASSWORD, v, n), 0);
}

/* A complete set: Type L2TP, Medium IPv4, the endpoint, a preference
 * (pref > 0xffffff: none), a password ("" none), an assignment id. */
static void put_set(struct radius_pkt *p, uint8_t tag, uint32_t pref, const char *server,
		    const char *pw, const char *assign)
{
	put_tagged_int(p, RADIUS_ATTR_TUNNEL_TYPE, tag, AAA_TUNNEL_TYPE_L2TP);
	put_tagged_int(p, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, tag, AAA_TUNNEL_MEDIUM_IPV4);
	put_tagged_str(p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, tag, server);
	if (pref <= AAA_TUNNEL_PREF_MAX)
		put_tagged_int(p, RADIUS_ATTR_TUNNEL_PREFERENCE, tag, pref);
	if (pw && pw[0])
		put_password(p, tag, pw);
	if (assign && assign[0])
		put_tagged_str(p, RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID, tag, assign);
}

static size_t parse_reply(struct l2tpd *d, const struct radius_pkt *p, const char *secret,
			  struct aaa_tunnel_set *sets)
{
	struct radius_msg m;

	assert_int_equal(radius_parse(p->buf, p->len, &m), 0);
	return aaa_tunnel_parse(d, &m, rad_auth, secret, "test", sets, AAA_TUNNEL_SETS_MAX);
}

static void assert_server(const struct aaa_tunnel_set *s, const char *ip)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, ip, &a), 1);
	assert_int_equal(s->server.s_addr, a.s_addr);
}

/* --- parsing ------------------------------------------------------------------- */

static void test_tunnel_domain(void **state)
{
	(void)state;
	assert_string_equal(aaa_tunnel_domain("alice@isp.example"), "isp.example");
	assert_string_equal(aaa_tunnel_domain("a@b@isp.example"), "isp.example");
	assert_null(aaa_tunnel_domain("alice"));
	assert_null(aaa_tunnel_domain("alice@"));
	assert_null(aaa_tunnel_domain(NULL));
}

/* Tags group the attributes, whatever their order; lower preference
 * first, none given last, ties in order of appearance. */
static void test_tunnel_parse_order(void **state)
{
	struct harness *h = t_new(state, cfg_lac);
	struct aaa_tunnel_set s[AAA_TUNNEL_SETS_MAX];
	struct radius_pkt p;

	radius_pkt_init(&p, RADIUS_ACCESS_ACCEPT);
	/* tag 1, preference 30, its attributes spread among the others' */
	put_tagged_int(&p, RADIUS_ATTR_TUNNEL_TYPE, 1, 3);
	put_set(&p, 2, 10, "192.0.2.12", "", "blue");
	put_tagged_int(&p, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, 1, 1);
	put_set(&p, 3, 0x1000000, "192.0.2.13", "", "");	/* no preference */
	put_tagged_str(&p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 1, "192.0.2.11");
	/* untagged: integers with tag 0, the endpoint without a tag octet */
	put_tagged_int(&p, RADIUS_ATTR_TUNNEL_TYPE, 0, 3);
	put_tagged_int(&p, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, 0, 1);
	put_tagged_str(&p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, -1, "192.0.2.10");
	put_tagged_int(&p, RADIUS_ATTR_TUNNEL_PREFERENCE, 0, 20);
	put_tagged_int(&p, RADIUS_ATTR_TUNNEL_PREFERENCE, 1, 30);
	/* tag 31 with the largest preference there is, and tag 4 equal to tag 2 */
	put_set(&p, 31, 0xffffff, "192.0.2.31", "", "");
	put_set(&p, 4, 10, "192.0.2.14", "", "");

	assert_int_equal(parse_reply(&h->d, &p, RAD_SECRET, s), 6);
	assert_int_equal(s[0].tag, 2);
	assert_int_equal(s[0].preference, 10);
	assert_server(&s[0], "192.0.2.12");
	assert_string_equal(s[0].assignment_id, "blue");
	assert_int_equal(s[1].tag, 4);		/* 10 too, after tag 2 */
	assert_int_equal(s[2].tag, 0);
	assert_int_equal(s[2].preference, 20);
	assert_server(&s[2], "192.0.2.10");
	assert_int_equal(s[3].tag, 1);
	assert_int_equal(s[3].preference, 30);
	assert_server(&s[3], "192.0.2.11");
	assert_string_equal(s[3].assignment_id, "");
	assert_string_equal(s[3].secret, "");
	assert_int_equal(s[4].tag, 31);
	assert_int_equal(s[4].preference, 0xffffff);
	assert_int_equal(s[5].tag, 3);
	assert_int_equal(s[5].preference, AAA_TUNNEL_PREF_NONE);
	assert_int_equal(h->d.aaa.stats.tunnel_refused, 0);

	/* max bounds what is written: the most preferred */
	{
		struct radius_msg m;
		struct aaa_tunnel_set two[2];

		assert_int_equal(radius_parse(p.buf, p.len, &m), 0);
		assert_int_equal(aaa_tunnel_parse(&h->d, &m, rad_auth, RAD_SECRET, "t", two, 2), 2);
		assert_int_equal(two[0].tag, 2);
		assert_int_equal(two[1].tag, 4);
	}
}

/* §3.5 Tunnel-Password: the vector computed apart; our encoder agrees. */
static void test_tunnel_parse_password(void **state)
{
	static const uint8_t salt[2] = { 0x8a, 0x5b };
	struct harness *h = t_new(state, cfg_lac);
	struct aaa_tunnel_set s[AAA_TUNNEL_SETS_MAX];
	struct radius_pkt p;
	uint8_t enc[256];
	size_t n;

	tunnel_password_encode(1, salt, PW_VECTOR_PLAIN, RAD_SECRET, rad_auth, enc, &n);
	assert_int_equal(n, sizeof(pw_vector));
	assert_memory_equal(enc, pw_vector, sizeof(pw_vector));

	radius_pkt_init(&p, RADIUS_ACCESS_ACCEPT);
	put_set(&p, 1, 1, "192.0.2.11", "", "");
	assert_int_equal(radius_put(&p, RADIUS_ATTR_TUNNEL_PASSWORD, pw_vector,
				    sizeof(pw_vector)), 0);
	assert_int_equal(parse_reply(&h->d, &p, RAD_SECRET, s), 1);
	assert_string_equal(s[0].secret, PW_VECTOR_PLAIN);
	assert_int_equal(h->d.aaa.stats.tunnel_refused, 0);

	/* another RADIUS secret does not give it (refused, or not the password) */
	n = parse_reply(&h->d, &p, "not-the-secret", s);
	if (n == 1)
		assert_string_not_equal(s[0].secret, PW_VECTOR_PLAIN);
	else
		assert_int_equal(h->d.aaa.stats.tunnel_refused, 1);
	/* no secret to decrypt with: the set is refused, not used without one */
	h->d.aaa.stats.tunnel_refused = 0;
	assert_int_equal(parse_reply(&h->d, &p, NULL, s), 0);
	assert_int_equal(h->d.aaa.stats.tunnel_refused, 1);
}

/* Values out of range: the set is refused (counted once), the others kept. */
static void test_tunnel_parse_refused(void **state)
{
	struct harness *h = t_new(state, cfg_lac);
	struct aaa_tunnel_set s[AAA_TUNNEL_SETS_MAX];
	struct radius_pkt p;
	uint8_t five[5] = { 9, 0x01, 0x00, 0x00, 0x00 };
	uint8_t bad_pw[19] = { 10, 0x00, 0x01 };	/* §3.5: the Salt's MSB must be set */
	uint8_t big_tag[4] = { 0x20, 0, 0, 3 };

	radius_pkt_init(&p, RADIUS_ACCESS_ACCEPT);
	put_set(&p, 1, 5, "192.0.2.11", "", "");		/* the good one */
	/* 2: Tunnel-Type PPTP */
	put_tagged_int(&p, RADIUS_ATTR_TUNNEL_TYPE, 2, 1);
	put_tagged_int(&p, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, 2, 1);
	put_tagged_str(&p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 2, "192.0.2.12");
	/* 3: Tunnel-Medium-Type IPv6 */
	put_tagged_int(&p, RADIUS_ATTR_TUNNEL_TYPE, 3, 3);
	put_tagged_int(&p, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, 3, 2);
	put_tagged_str(&p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 3, "192.0.2.13");
	/* 4: empty endpoint; 5: a name; 6: not a dotted quad; 7: multicast */
	put_set(&p, 4, 1, "", "", "");
	put_set(&p, 5, 1, "lns.example", "", "");
	put_set(&p, 6, 1, "10.1", "", "");
	put_set(&p, 7, 1, "224.0.0.5", "", "");
	/* 8: no Tunnel-Medium-Type */
	put_tagged_int(&p, RADIUS_ATTR_TUNNEL_TYPE, 8, 3);
	put_tagged_str(&p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 8, "192.0.2.18");
	/* 9: Tunnel-Preference beyond 24 bits (a tag and 32 bits) */
	put_set(&p, 9, 0x1000000, "192.0.2.19", "", "");
	assert_int_equal(radius_put(&p, RADIUS_ATTR_TUNNEL_PREFERENCE, five, sizeof(five)), 0);
	/* 10: a malformed Tunnel-Password */
	put_set(&p, 10, 1, "192.0.2.20", "", "");
	memset(bad_pw + 3, 0xee, 16);
	assert_int_equal(radius_put(&p, RADIUS_ATTR_TUNNEL_PASSWORD, bad_pw, sizeof(bad_pw)), 0);
	/* 11: the endpoint twice */
	put_set(&p, 11, 1, "192.0.2.21", "", "");
	put_tagged_str(&p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 11, "192.0.2.22");
	/* a Tunnel-Type with tag 0x20: belongs to no set, refused on its own */
	assert_int_equal(radius_put(&p, RADIUS_ATTR_TUNNEL_TYPE, big_tag, sizeof(big_tag)), 0);

	assert_int_equal(parse_reply(&h->d, &p, RAD_SECRET, s), 1);
	assert_int_equal(s[0].tag, 1);
	assert_server(&s[0], "192.0.2.11");
	/* tags 2..11 and the tag-0x20 attribute */
	assert_int_equal(h->d.aaa.stats.tunnel_refused, 11);
}

/* --- dials ---------------------------------------------------------------------- */

static void advance(struct harness *h, uint64_t ms)
{
	clock_advance(&h->d.clk, ms);
}

/* The Access-Request IOS sends for a domain. */
static void check_domain_request(const struct fake_radius_req *r, const char *domain)
{
	const struct radius_attr *a;
	struct radius_msg m;
	uint32_t v;

	assert_int_equal(r->kind, RADIUS_AUTH);
	assert_int_equal(radius_parse(r->pkt.buf, r->pkt.len, &m), 0);
	assert_int_equal(m.code, RADIUS_ACCESS_REQUEST);
	a = radius_find(&m, RADIUS_ATTR_USER_NAME);
	assert_non_null(a);
	assert_int_equal(a->len, strlen(domain));
	assert_memory_equal(a->val, domain, a->len);
	a = radius_find(&m, RADIUS_ATTR_SERVICE_TYPE);
	assert_non_null(a);
	assert_int_equal(radius_get_u32(a, &v), 0);
	assert_int_equal(v, AAA_SERVICE_OUTBOUND);
	/* in clear until the client hides it: "cisco", padded */
	a = radius_find(&m, RADIUS_ATTR_USER_PASSWORD);
	assert_non_null(a);
	assert_int_equal(a->len, 16);
	assert_memory_equal(a->val, "cisco\0", 6);
}

/* Most preferred first; an unanswered SCCRQ, then a StopCCN, send the
 * calls to the next LNS; the decrypted secret authenticates the tunnel. */
static void test_tunnel_dial_fallback(void **state)
{
	struct harness *h = t_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	struct h_peer *p5 = h_peer_new(h, "192.0.2.25", 501, H_SECRET);
	struct h_peer *p10 = h_peer_new(h, "192.0.2.30", 510, H_SECRET);
	struct h_peer *p20 = h_peer_new(h, "192.0.2.40", 520, H_SECRET);
	struct h_peer *grp = h_peer_new(h, "192.0.2.2", 530, H_SECRET);
	struct l2tp_tunnel *t;
	struct radius_pkt rp;
	char err[128] = "";
	unsigned i;

	assert_int_equal(l2tp_dial_user(d, NULL, 2, 0, "alice@isp.example", "apw", err,
					 sizeof(err)), 0);
	assert_int_equal(d->aaa.stats.tunnel_authz, 1);
	assert_int_equal(d->n_tunnels, 0);
	check_domain_request(fake_radius_last(h->radius), "isp.example");

	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	put_set(&rp, 3, 20, "192.0.2.40", H_SECRET, "");
	put_set(&rp, 1, 5, "192.0.2.25", "first-secret", "");
	put_set(&rp, 2, 10, "192.0.2.30", "second-secret", "");
	fake_radius_answer(fake_radius_last(h->radius), &rp);

	/* preference 5: its SCCRQ, with its secret; never answered */
	h_expect(h, p5, L2TP_MSG_SCCRQ);
	t = h_tunnel(p5);
	assert_non_null(t);
	assert_string_equal(t->aaa_secret, "first-secret");
	assert_int_equal(t->n_sessions, 2);
	h_expect_nothing(h, p10);
	for (i = 0; i < 60 && h_tunnel(p5) != NULL; i++)
		advance(h, 1000);
	assert_null(h_tunnel(p5));
	advance(h, 0);			/* the dial's timer, if not run yet */
	assert_int_equal(d->aaa.stats.tunnel_next, 1);

	/* preference 10: a StopCCN instead of an SCCRP */
	h_expect(h, p10, L2TP_MSG_SCCRQ);
	t = h_tunnel(p10);
	assert_non_null(t);
	assert_string_equal(t->aaa_secret, "second-secret");
	h_stopccn(p10, L2TP_STOPCCN_NOT_AUTHORIZED);
	h_send(p10);
	assert_int_equal(t->state, L2TP_TUNNEL_CLOSING);
	assert_int_equal(t->n_sessions, 0);
	assert_int_equal(d->aaa.stats.tunnel_next, 2);
	h_expect_nothing(h, p20);	/* from the event loop, not the StopCCN's stack */
	advance(h, 0);

	/* preference 20: established with the secret RADIUS gave, the calls follow */
	h_lac_answer(h, p20, "lns20");
	t = h_tunnel(p20);
	assert_non_null(t);
	assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
	h_expect(h, p20, L2TP_MSG_ICRQ);
	h_expect(h, p20, L2TP_MSG_ICRQ);
	assert_int_equal(t->n_sessions, 2);
	assert_string_equal(LIST_FIRST(&t->session_list)->user, "alice@isp.example");
	assert_true(LIST_EMPTY(&d->aaa.dials));
	assert_int_equal(d->aaa.stats.tunnel_group, 0);
	h_expect_nothing(h, grp);	/* the group's initiate-to was not used */
}

/* Every set fails: the calls are not placed, the dial ends. */
static void test_tunnel_dial_all_fail(void **state)
{
	struct harness *h = t_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_peer_new(h, "192.0.2.25", 601, H_SECRET);
	struct radius_pkt rp;
	char err[128] = "";

	assert_int_equal(l2tp_dial_user(d, NULL, 1, 0, "bob@isp.example", "b", err,
					 sizeof(err)), 0);
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	put_set(&rp, 1, 5, "192.0.2.25", "x", "");
	fake_radius_answer(fake_radius_last(h->radius), &rp);
	h_expect(h, p, L2TP_MSG_SCCRQ);
	h_stopccn(p, L2TP_STOPCCN_NOT_AUTHORIZED);
	h_send(p);
	advance(h, 0);
	assert_true(LIST_EMPTY(&d->aaa.dials));
	assert_int_equal(d->aaa.stats.tunnel_next, 0);
	assert_int_equal(d->n_sessions, 0);
}

/* No answer: the group's initiate-to; a Reject: no calls. */
static void test_tunnel_dial_no_answer_reject(void **state)
{
	struct harness *h = t_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	struct h_peer *grp = h_peer_new(h, "192.0.2.2", 701, H_SECRET);
	struct radius_pkt rp;
	struct fake_radius_req *r;
	char err[128] = "";

	assert_int_equal(l2tp_dial_user(d, h_group(h, "LAC"), 1, 0, "carol@isp.example", "c",
					 err, sizeof(err)), 0);
	r = fake_radius_last(h->radius);
	r->answered = 1;
	r->cb(r->arg, -ETIMEDOUT, NULL);
	assert_int_equal(d->aaa.stats.tunnel_no_answer, 1);
	assert_int_equal(d->aaa.stats.tunnel_group, 1);
	h_expect(h, grp, L2TP_MSG_SCCRQ);
	assert_string_equal(h_tunnel(grp)->aaa_secret, "");	/* the group's */
	assert_int_equal(h_tunnel(grp)->n_sessions, 1);
	assert_true(LIST_EMPTY(&d->aaa.dials));

	assert_int_equal(l2tp_dial_user(d, NULL, 1, 0, "dave@isp.example", "d", err,
					 sizeof(err)), 0);
	radius_pkt_init(&rp, RADIUS_ACCESS_REJECT);
	fake_radius_answer(fake_radius_last(h->radius), &rp);
	assert_int_equal(d->aaa.stats.tunnel_reject, 1);
	assert_int_equal(d->n_tunnels, 1);		/* only the group's */
	assert_true(LIST_EMPTY(&d->aaa.dials));

	/* an Accept whose only set is refused: the group's too */
	assert_int_equal(l2tp_dial_user(d, NULL, 1, 0, "erin@isp.example", "e", err,
					 sizeof(err)), 0);
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	put_set(&rp, 1, 5, "not-an-address", "", "");
	fake_radius_answer(fake_radius_last(h->radius), &rp);
	assert_int_equal(d->aaa.stats.tunnel_refused, 1);
	assert_int_equal(d->aaa.stats.tunnel_group, 2);
	assert_int_equal(d->n_tunnels, 2);

	/* without authorization, no RADIUS: the domain's group at once */
	d->cfg.aaa.authz_network = 0;
	assert_int_equal(l2tp_dial_user(d, NULL, 2, 0, "fred@isp.example", "f", err,
					 sizeof(err)), 2);
	assert_int_equal(d->aaa.stats.tunnel_authz, 3);
	assert_int_equal(l2tp_dial_user(d, NULL, 1, 0, "fred@other.example", "f", err,
					 sizeof(err)), -ENOENT);
}

/* The same Tunnel-Assignment-Id: one tunnel; another: a tunnel of its own. */
static void test_tunnel_dial_assignment(void **state)
{
	struct harness *h = t_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_peer_new(h, "192.0.2.25", 801, H_SECRET);
	struct radius_pkt rp;
	struct l2tp_tunnel *t;
	char err[128] = "";

	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	put_set(&rp, 1, 5, "192.0.2.25", H_SECRET, "red");

	assert_int_equal(l2tp_dial_user(d, NULL, 1, 0, "a@isp.example", "a", err,
					 sizeof(err)), 0);
	fake_radius_answer(fake_radius_last(h->radius), &rp);
	assert_int_equal(d->n_tunnels, 1);
	/* the second joins the tunnel still coming up */
	assert_int_equal(l2tp_dial_user(d, NULL, 2, 0, "b@isp.example", "b", err,
					 sizeof(err)), 0);
	fake_radius_answer(fake_radius_last(h->radius), &rp);
	assert_int_equal(d->n_tunnels, 1);
	h_lac_answer(h, p, "lns1");
	t = h_tunnel(p);
	assert_non_null(t);
	assert_int_equal(t->n_sessions, 3);
	assert_string_equal(t->aaa_assignment_id, "red");
	assert_true(LIST_EMPTY(&d->aaa.dials));	/* both done */

	/* established: the next call is placed at once */
	assert_int_equal(l2tp_dial_user(d, NULL, 1, 0, "c@isp.example", "c", err,
					 sizeof(err)), 0);
	fake_radius_answer(fake_radius_last(h->radius), &rp);
	assert_int_equal(d->n_tunnels, 1);
	assert_int_equal(t->n_sessions, 4);
	assert_true(LIST_EMPTY(&d->aaa.dials));

	/* another id, or none: a new tunnel each */
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	put_set(&rp, 1, 5, "192.0.2.25", H_SECRET, "green");
	assert_int_equal(l2tp_dial_user(d, NULL, 1, 0, "d@isp.example", "d", err,
					 sizeof(err)), 0);
	fake_radius_answer(fake_radius_last(h->radius), &rp);
	assert_int_equal(d->n_tunnels, 2);
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	put_set(&rp, 1, 5, "192.0.2.25", H_SECRET, "");
	assert_int_equal(l2tp_dial_user(d, NULL, 1, 0, "e@isp.example", "e", err,
					 sizeof(err)), 0);
	fake_radius_answer(fake_radius_last(h->radius), &rp);
	assert_int_equal(d->n_tunnels, 3);
}

/* A dial still waiting for RADIUS when the daemon stops: cancelled. */
static void test_tunnel_dial_fini(void **state)
{
	struct harness *h = t_new(state, cfg_lac);
	char err[128] = "";

	assert_int_equal(l2tp_dial_user(&h->d, NULL, 1, 0, "a@isp.example", "a", err,
					 sizeof(err)), 0);
	assert_false(LIST_EMPTY(&h->d.aaa.dials));
	aaa_tunnel_fini(&h->d);
	assert_true(LIST_EMPTY(&h->d.aaa.dials));
	assert_true(fake_radius_last(h->radius)->cancelled);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tunnel_domain),
		cmocka_unit_test_teardown(test_tunnel_parse_order, h_teardown),
		cmocka_unit_test_teardown(test_tunnel_parse_password, h_teardown),
		cmocka_unit_test_teardown(test_tunnel_parse_refused, h_teardown),
		cmocka_unit_test_teardown(test_tunnel_dial_fallback, h_teardown),
		cmocka_unit_test_teardown(test_tunnel_dial_all_fail, h_teardown),
		cmocka_unit_test_teardown(test_tunnel_dial_no_answer_reject, h_teardown),
		cmocka_unit_test_teardown(test_tunnel_dial_assignment, h_teardown),
		cmocka_unit_test_teardown(test_tunnel_dial_fini, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
