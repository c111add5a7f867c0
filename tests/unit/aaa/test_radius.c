/*
 * Unit tests of the RADIUS codec (aaa/radius.c), client (aaa/radius_client.c) and
 * RFC 5176 server (aaa/radius_das.c).
 *
 * The cryptography is checked against computations written here from the
 * RFCs (MD5 from nettle, HMAC-MD5 built by hand from it), never against
 * the code under test.  The client talks to fake servers: UDP sockets on
 * 127.0.0.1 served from the same libev loop, whose replies are built and
 * signed here.  Time is the daemon's simulated clock: a retransmission
 * happens when the test advances it, not after a sleep.
 *
 * aaa_das_disconnect() / aaa_das_coa() are test doubles defined here; the
 * test links nothing that brings in aaa/aaa.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <nettle/md5.h>

#include "cli/cmd.h"
#include "l2tpd.h"
#include "core/out.h"
#include "aaa/radius.h"
#include "aaa/radius_client.h"
#include "aaa/radius_das.h"

#define SECRET		"testing123"
#define SECRET2		"other-secret"

/* ------------------------------------------------------------------ */
/* Independent cryptography (RFC 1321 via nettle, RFC 2104 by hand)    */

static void t_md5(uint8_t out[16], int n, ...)
{
	struct md5_ctx ctx;
	va_list ap;

	md5_init(&ctx);
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		const uint8_t *p = va_arg(ap, const uint8_t *);
		size_t len = va_arg(ap, size_t);

		md5_update(&ctx, len, p);
	}
	va_end(ap);
	md5_digest(&ctx, 16, out);
}

static void t_hmac_md5(const uint8_t *key, size_t klen, const uint8_t *msg, size_t len,
		       uint8_t out[16])
{
	uint8_t k[64], ipad[64], opad[64], inner[16];

	memset(k, 0, sizeof k);
	if (klen > 64)
		t_md5(k, 1, key, klen);
	else
		memcpy(k, key, klen);
	for (int i = 0; i < 64; i++) {
		ipad[i] = k[i] ^ 0x36;
		opad[i] = k[i] ^ 0x5c;
	}
	t_md5(inner, 2, ipad, (size_t)64, msg, len);
	t_md5(out, 2, opad, (size_t)64, inner, (size_t)16);
}

/* RFC 2865 §5.2 hiding of pw (padded to 16) with secret and Request Authenticator ra. */
static size_t t_hide(const uint8_t *pw, size_t len, const char *secret, const uint8_t *ra,
		     size_t ralen, uint8_t *out)
{
	size_t padded = len == 0 ? 16 : (len + 15) / 16 * 16;
	const uint8_t *prev = ra;
	size_t prevlen = ralen;
	uint8_t b[16];

	memset(out, 0, padded);
	memcpy(out, pw, len);
	for (size_t off = 0; off < padded; off += 16) {
		t_md5(b, 2, (const uint8_t *)secret, strlen(secret), prev, prevlen);
		for (int i = 0; i < 16; i++)
			out[off + i] ^= b[i];
		prev = out + off;
		prevlen = 16;
	}
	return padded;
}

/* Offset of the value of the first attribute `type` in a packet, 0 if none. */
static size_t t_attr_off(const uint8_t *buf, size_t len, uint8_t type)
{
	for (size_t off = 20; off + 2 <= len && buf[off + 1] >= 2; off += buf[off + 1])
		if (buf[off] == type)
			return off + 2;
	return 0;
}

/* The Message-Authenticator buf should carry, computed with `auth` in the header. */
static void t_msgauth(const uint8_t *buf, size_t len, const uint8_t *auth, const char *secret,
		      uint8_t out[16])
{
	uint8_t copy[RADIUS_MAX_LEN];
	size_t ma = t_attr_off(buf, len, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);

	assert_true(ma > 0);
	memcpy(copy, buf, len);
	memcpy(copy + 4, auth, 16);
	memset(copy + ma, 0, 16);
	t_hmac_md5((const uint8_t *)secret, strlen(secret), copy, len, out);
}

/* MD5(Code + Identifier + Length + auth + Attributes + Secret) */
static void t_authenticator(const uint8_t *buf, size_t len, const uint8_t *auth,
			    const char *secret, uint8_t out[16])
{
	t_md5(out, 4, buf, (size_t)4, auth, (size_t)16, buf + 20, len - 20,
	      (const uint8_t *)secret, strlen(secret));
}

static const uint8_t zero16[16];

/* A reply built by hand: header, attributes, then signed as a server would sign it. */
struct t_reply {
	uint8_t buf[RADIUS_MAX_LEN];
	size_t len;
};

static void t_reply_init(struct t_reply *r, uint8_t code, uint8_t id)
{
	memset(r, 0, sizeof *r);
	r->buf[0] = code;
	r->buf[1] = id;
	r->len = 20;
}

static void t_reply_attr(struct t_reply *r, uint8_t type, const void *v, size_t len)
{
	r->buf[r->len] = type;
	r->buf[r->len + 1] = (uint8_t)(len + 2);
	memcpy(r->buf + r->len + 2, v, len);
	r->len += len + 2;
}

/* Message-Authenticator (if the reply has one) with req_auth, then the Response Authenticator. */
static void t_reply_sign(struct t_reply *r, const uint8_t *req_auth, const char *secret)
{
	uint8_t d[16];
	size_t ma;

	r->buf[2] = (uint8_t)(r->len >> 8);
	r->buf[3] = (uint8_t)r->len;
	ma = t_attr_off(r->buf, r->len, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
	if (ma) {
		t_msgauth(r->buf, r->len, req_auth, secret, d);
		memcpy(r->buf + ma, d, 16);
	}
	t_authenticator(r->buf, r->len, req_auth, secret, d);
	memcpy(r->buf + 4, d, 16);
}

/* ------------------------------------------------------------------ */
/* Codec                                                               */

static void test_password_hiding(void **state)
{
	static const size_t lens[] = { 0, 1, 5, 15, 16, 17, 31, 32, 100, 128 };
	uint8_t ra[16], pw[128], want[128];
	struct radius_pkt p;
	struct radius_msg m;
	char back[200];

	(void)state;
	for (int i = 0; i < 16; i++)
		ra[i] = (uint8_t)(0xa0 + i * 7);
	for (size_t i = 0; i < sizeof pw; i++)
		pw[i] = (uint8_t)('a' + i % 26);
	for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
		size_t len = lens[k], hidden = t_hide(pw, len, SECRET, ra, 16, want);
		const struct radius_attr *a;

		radius_pkt_init(&p, RADIUS_ACCESS_REQUEST);
		assert_int_equal(radius_put_str(&p, RADIUS_ATTR_USER_NAME, "bob"), 0);
		assert_int_equal(radius_put_password(&p, pw, len), 0);
		assert_int_equal(radius_pkt_finish(&p, 9, SECRET, ra), 0);
		assert_int_equal(radius_parse(p.buf, p.len, &m), 0);
		assert_int_equal(m.id, 9);
		assert_memory_equal(m.auth, ra, 16);
		a = radius_find(&m, RADIUS_ATTR_USER_PASSWORD);
		assert_non_null(a);
		assert_int_equal(a->len, hidden);
		assert_memory_equal(a->val, want, hidden);
		assert_int_equal(radius_user_password(a, SECRET, ra, back, sizeof back), 0);
		assert_int_equal(strlen(back), len);
		assert_memory_equal(back, pw, len);
		/* another secret reveals something else */
		if (len > 0) {
			assert_int_equal(radius_user_password(a, SECRET2, ra, back, sizeof back), 0);
			assert_true(strlen(back) != len || memcmp(back, pw, len) != 0);
		}
	}
	radius_pkt_init(&p, RADIUS_ACCESS_REQUEST);
	assert_int_equal(radius_put_password(&p, pw, 129), -EINVAL);
}

static void test_message_authenticator(void **state)
{
	uint8_t ra[16], want[16], a16[16];
	struct radius_pkt p;
	struct radius_msg m;
	size_t ma;

	(void)state;
	memset(ra, 0x5a, sizeof ra);
	/* Access-Request: HMAC-MD5 with the Request Authenticator in place (RFC 3579 §3.2) */
	radius_pkt_init(&p, RADIUS_ACCESS_REQUEST);
	radius_put_str(&p, RADIUS_ATTR_USER_NAME, "alice");
	radius_put_msgauth(&p);
	radius_put_u32(&p, RADIUS_ATTR_NAS_PORT, 7);
	assert_int_equal(radius_pkt_finish(&p, 1, SECRET, ra), 0);
	ma = t_attr_off(p.buf, p.len, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
	t_msgauth(p.buf, p.len, ra, SECRET, want);
	assert_memory_equal(p.buf + ma, want, 16);
	assert_int_equal(radius_parse(p.buf, p.len, &m), 0);
	assert_int_equal(radius_verify_msgauth(&m, ra, SECRET), 0);
	assert_int_equal(radius_verify_msgauth(&m, ra, SECRET2), -EBADMSG);
	p.buf[p.len - 1] ^= 1;		/* NAS-Port changed after signing */
	assert_int_equal(radius_parse(p.buf, p.len, &m), 0);
	assert_int_equal(radius_verify_msgauth(&m, ra, SECRET), -EBADMSG);

	/* Accounting-Request: Message-Authenticator over a zero authenticator, then the
	 * Request Authenticator over the packet (RFC 2866 §3) */
	radius_pkt_init(&p, RADIUS_ACCOUNTING_REQUEST);
	radius_put_u32(&p, RADIUS_ATTR_ACCT_STATUS_TYPE, 1);
	radius_put_str(&p, RADIUS_ATTR_ACCT_SESSION_ID, "0000002a");
	radius_put_msgauth(&p);
	assert_int_equal(radius_pkt_finish(&p, 200, SECRET, NULL), 0);
	ma = t_attr_off(p.buf, p.len, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
	t_msgauth(p.buf, p.len, zero16, SECRET, want);
	assert_memory_equal(p.buf + ma, want, 16);
	t_authenticator(p.buf, p.len, zero16, SECRET, a16);
	assert_memory_equal(p.buf + 4, a16, 16);
	assert_int_equal(radius_parse(p.buf, p.len, &m), 0);
	assert_int_equal(radius_verify_request(&m, SECRET), 0);
	assert_int_equal(radius_verify_msgauth(&m, NULL, SECRET), 0);
	assert_int_equal(radius_verify_request(&m, SECRET2), -EBADMSG);
	/* no Message-Authenticator: -ENOENT */
	radius_pkt_init(&p, RADIUS_ACCOUNTING_REQUEST);
	radius_put_u32(&p, RADIUS_ATTR_ACCT_STATUS_TYPE, 2);
	radius_pkt_finish(&p, 3, SECRET, NULL);
	assert_int_equal(radius_parse(p.buf, p.len, &m), 0);
	assert_int_equal(radius_verify_msgauth(&m, NULL, SECRET), -ENOENT);
	/* an empty secret is refused */
	assert_int_equal(radius_pkt_finish(&p, 3, "", NULL), -EINVAL);
}

static void test_response_authenticator(void **state)
{
	uint8_t ra[16], want[16];
	struct radius_pkt p;
	struct radius_msg m;
	struct in_addr ip = { htonl(0x0a000001) };
	size_t ma;

	(void)state;
	for (int i = 0; i < 16; i++)
		ra[i] = (uint8_t)i;
	radius_pkt_init(&p, RADIUS_ACCESS_ACCEPT);
	radius_put_msgauth(&p);
	radius_put_addr(&p, RADIUS_ATTR_FRAMED_IP_ADDRESS, ip);
	assert_int_equal(radius_pkt_finish(&p, 77, SECRET, ra), 0);
	/* the Message-Authenticator of a response uses the request's authenticator */
	ma = t_attr_off(p.buf, p.len, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
	t_msgauth(p.buf, p.len, ra, SECRET, want);
	assert_memory_equal(p.buf + ma, want, 16);
	t_authenticator(p.buf, p.len, ra, SECRET, want);
	assert_memory_equal(p.buf + 4, want, 16);
	assert_int_equal(radius_parse(p.buf, p.len, &m), 0);
	assert_int_equal(radius_verify_response(&m, ra, SECRET), 0);
	assert_int_equal(radius_verify_msgauth(&m, ra, SECRET), 0);
	assert_int_equal(radius_verify_response(&m, ra, SECRET2), -EBADMSG);
	ra[3] ^= 0x80;
	assert_int_equal(radius_verify_response(&m, ra, SECRET), -EBADMSG);
	ra[3] ^= 0x80;
	p.buf[p.len - 1] ^= 1;
	assert_int_equal(radius_parse(p.buf, p.len, &m), 0);
	assert_int_equal(radius_verify_response(&m, ra, SECRET), -EBADMSG);
	/* a response needs the request's authenticator */
	radius_pkt_init(&p, RADIUS_ACCESS_REJECT);
	assert_int_equal(radius_pkt_finish(&p, 1, SECRET, NULL), -EINVAL);
}

/*
 * Parse buf[0..len) from a heap copy of exactly len octets (ASan sees any
 * over-read); the copy lives until the next call, as m points into it.
 */
static uint8_t *t_parsed;

static int t_parse_exact(const uint8_t *buf, size_t len, struct radius_msg *m)
{
	free(t_parsed);
	t_parsed = malloc(len ? len : 1);
	assert_non_null(t_parsed);
	memcpy(t_parsed, buf, len);
	return radius_parse(t_parsed, len, m);
}

static void t_build_sample(struct radius_pkt *p)
{
	static const uint8_t vsa2[] = { 1, 2, 3 };
	uint8_t ra[16] = { 1 };

	radius_pkt_init(p, RADIUS_ACCESS_ACCEPT);
	radius_put_str(p, RADIUS_ATTR_USER_NAME, "user@example");
	radius_put_u32(p, RADIUS_ATTR_SESSION_TIMEOUT, 3600);
	radius_put_vsa(p, RADIUS_VENDOR_CISCO, RADIUS_CISCO_AVPAIR,
		       "vpdn:l2tp-silent-switchover=1", 29);
	radius_put_vsa(p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_SUCCESS, vsa2, sizeof vsa2);
	radius_put_msgauth(p);
	radius_put(p, RADIUS_ATTR_CLASS, "c", 1);
	radius_pkt_finish(p, 5, SECRET, ra);
}

static void test_parse_bounds(void **state)
{
	struct radius_pkt p;
	struct radius_msg *m = malloc(sizeof *m);
	uint8_t buf[RADIUS_MAX_LEN + 16];
	size_t full, bounds[16], nb = 0;
	const struct radius_attr *a;
	uint32_t v;

	(void)state;
	assert_non_null(m);
	t_build_sample(&p);
	full = p.len;
	assert_int_equal(t_parse_exact(p.buf, full, m), 0);
	assert_int_equal(m->n, 6);
	assert_int_equal(m->len, full);
	a = radius_find_vsa(m, RADIUS_VENDOR_CISCO, RADIUS_CISCO_AVPAIR);
	assert_non_null(a);
	assert_int_equal(a->len, 29);
	assert_memory_equal(a->val, "vpdn:l2tp-silent-switchover=1", 29);
	assert_int_equal(radius_get_u32(radius_find(m, RADIUS_ATTR_SESSION_TIMEOUT), &v), 0);
	assert_int_equal(v, 3600);
	assert_int_equal(radius_get_u32(radius_find(m, RADIUS_ATTR_CLASS), &v), -EBADMSG);
	assert_null(radius_find(m, RADIUS_ATTR_STATE));

	/* every truncation of the datagram */
	for (size_t len = 0; len < full; len++)
		assert_int_equal(t_parse_exact(p.buf, len, m), -EBADMSG);
	/* every Length field short of the end: only attribute boundaries parse */
	for (size_t off = 20; off < full; off += p.buf[off + 1])
		bounds[nb++] = off;
	for (size_t l = 0; l < full; l++) {
		int boundary = 0;

		for (size_t i = 0; i < nb; i++)
			boundary |= bounds[i] == l;
		memcpy(buf, p.buf, full);
		buf[2] = (uint8_t)(l >> 8);
		buf[3] = (uint8_t)l;
		assert_int_equal(t_parse_exact(buf, full, m), boundary ? 0 : -EBADMSG);
	}
	/* octets after Length are padding (RFC 2865 §3) */
	memcpy(buf, p.buf, full);
	memset(buf + full, 0xee, 8);
	assert_int_equal(t_parse_exact(buf, full + 8, m), 0);
	assert_int_equal(m->n, 6);
	/* Length over 4096, or over the datagram */
	buf[2] = 0x10;
	buf[3] = 0x01;
	assert_int_equal(t_parse_exact(buf, sizeof buf, m), -EBADMSG);
	memcpy(buf, p.buf, full);
	buf[3] = (uint8_t)(full + 1);
	assert_int_equal(t_parse_exact(buf, full, m), -EBADMSG);
	/* attribute lengths 0, 1, and one past the end */
	for (int bad = 0; bad < 3; bad++) {
		memcpy(buf, p.buf, full);
		buf[20 + 1] = bad == 2 ? (uint8_t)(full - 20 + 1) : (uint8_t)bad;
		assert_int_equal(t_parse_exact(buf, full, m), -EBADMSG);
	}
	/* length 1, in a walk that would otherwise end exactly on the Length */
	memset(buf, 0, 20);
	buf[0] = RADIUS_ACCESS_ACCEPT;
	buf[3] = 24;
	memcpy(buf + 20, "\x05\x01\x01\x02", 4);
	assert_int_equal(t_parse_exact(buf, 24, m), -EBADMSG);
	buf[21] = 2;
	buf[23] = 1;
	assert_int_equal(t_parse_exact(buf, 24, m), -EBADMSG);
	/* an attribute with a length that overruns the last one by one */
	memcpy(buf, p.buf, full);
	buf[bounds[nb - 1] + 1]++;
	assert_int_equal(t_parse_exact(buf, full, m), -EBADMSG);
	/* Message-Authenticator not 16 octets */
	{
		struct radius_pkt q;

		radius_pkt_init(&q, RADIUS_ACCESS_ACCEPT);
		radius_put(&q, RADIUS_ATTR_MESSAGE_AUTHENTICATOR, zero16, 15);
		assert_int_equal(t_parse_exact(q.buf, q.len, m), -EBADMSG);
		/* too many attributes */
		radius_pkt_init(&q, RADIUS_ACCESS_ACCEPT);
		for (int i = 0; i <= RADIUS_MAX_ATTRS; i++)
			radius_put(&q, RADIUS_ATTR_CLASS, NULL, 0);
		assert_int_equal(t_parse_exact(q.buf, q.len, m), -EBADMSG);
		/* a VSA shorter than its Vendor-Id */
		radius_pkt_init(&q, RADIUS_ACCESS_ACCEPT);
		radius_put(&q, RADIUS_ATTR_VENDOR_SPECIFIC, "\0\0\0", 3);
		assert_int_equal(t_parse_exact(q.buf, q.len, m), -EBADMSG);
		/* a VSA whose inside is not type-length-value: one opaque entry */
		radius_pkt_init(&q, RADIUS_ACCESS_ACCEPT);
		radius_put(&q, RADIUS_ATTR_VENDOR_SPECIFIC, "\0\0\0\x09\x01\x09zz", 8);
		assert_int_equal(t_parse_exact(q.buf, q.len, m), 0);
		assert_int_equal(m->n, 1);
		assert_int_equal(m->a[0].vendor, 9);
		assert_int_equal(m->a[0].vtype, 0);
		assert_int_equal(m->a[0].len, 4);
		/* two vendor attributes in one VSA: two entries */
		radius_pkt_init(&q, RADIUS_ACCESS_ACCEPT);
		radius_put(&q, RADIUS_ATTR_VENDOR_SPECIFIC, "\0\0\x01\x37\x01\x03x\x02\x04yz", 11);
		assert_int_equal(t_parse_exact(q.buf, q.len, m), 0);
		assert_int_equal(m->n, 2);
		assert_int_equal(m->a[1].vendor, 311);
		assert_int_equal(m->a[1].vtype, 2);
		assert_int_equal(m->a[1].len, 2);
		assert_memory_equal(m->a[1].val, "yz", 2);
		/* building refuses what cannot be encoded */
		radius_pkt_init(&q, RADIUS_ACCESS_REQUEST);
		assert_int_equal(radius_put(&q, 1, buf, 254), -EINVAL);
		assert_int_equal(radius_put_vsa(&q, 9, 1, buf, 248), -EINVAL);
		assert_int_equal(radius_put_str(&q, 1, ""), -EINVAL);
		while (radius_put(&q, RADIUS_ATTR_CLASS, buf, 253) == 0)
			;
		assert_int_equal(radius_put(&q, RADIUS_ATTR_CLASS, buf, 253), -ENOSPC);
		assert_true(q.len <= RADIUS_MAX_LEN);
	}
	free(t_parsed);
	t_parsed = NULL;
	free(m);
}

static void test_tunnel_password(void **state)
{
	const char *pw = "lns-tunnel-secret";
	uint8_t ra[16], plain[32], val[3 + 32], salted[18];
	struct radius_attr a = { .type = RADIUS_ATTR_TUNNEL_PASSWORD };
	char out[64];

	(void)state;
	for (int i = 0; i < 16; i++)
		ra[i] = (uint8_t)(255 - i);
	/* RFC 2868 §3.5: length octet + password, padded, hidden with MD5(S + R + A) */
	memset(plain, 0, sizeof plain);
	plain[0] = (uint8_t)strlen(pw);
	memcpy(plain + 1, pw, strlen(pw));
	val[0] = 1;			/* tag */
	val[1] = 0x81;			/* salt, high bit set */
	val[2] = 0x23;
	memcpy(salted, ra, 16);
	memcpy(salted + 16, val + 1, 2);
	t_hide(plain, sizeof plain, SECRET, salted, sizeof salted, val + 3);
	a.val = val;
	a.len = sizeof val;
	assert_int_equal(radius_tunnel_password(&a, SECRET, ra, out, sizeof out), 0);
	assert_string_equal(out, pw);
	assert_int_equal(radius_tunnel_password(&a, SECRET, ra, out, 5), -ENOSPC);
	/* salt without its high bit; a length that is no multiple of 16 */
	val[1] = 0x01;
	assert_int_equal(radius_tunnel_password(&a, SECRET, ra, out, sizeof out), -EBADMSG);
	val[1] = 0x81;
	a.len = sizeof val - 1;
	assert_int_equal(radius_tunnel_password(&a, SECRET, ra, out, sizeof out), -EBADMSG);
	/* the wrong secret gives a length octet that does not fit, or garbage */
	a.len = sizeof val;
	if (radius_tunnel_password(&a, SECRET2, ra, out, sizeof out) == 0)
		assert_string_not_equal(out, pw);
}

/* ------------------------------------------------------------------ */
/* The client against fake servers                                     */

enum t_reply_kind {
	R_GOOD, R_REJECT, R_BAD_AUTH, R_BAD_MSGAUTH, R_NO_MSGAUTH, R_UNKNOWN_ID, R_MALFORMED,
	R_WRONG_CODE, R_UNKNOWN_ATTRS,
};

struct fake {
	int fd;
	ev_io io;
	uint16_t port;
	const char *secret;
	int silent;
	enum t_reply_kind script[8];	/* replies sent to each request, in order */
	unsigned nscript;
	unsigned rx;
	uint8_t last[RADIUS_MAX_LEN];
	size_t last_len;
	uint8_t prev[RADIUS_MAX_LEN];
	size_t prev_len;
	int last_msgauth_ok;		/* the request's Message-Authenticator verified */
	int last_reqauth_ok;		/* Accounting-Request: its authenticator verified */
	char last_password[160];
};

struct t_res {
	int called;
	int status;
	uint8_t code;
	uint32_t framed_ip;
	int has_unknown;
};

struct t_ctx {
	struct l2tpd d;
	struct fake f[2];
};

static void fake_reply(struct fake *f, const struct sockaddr_in *to, const uint8_t *req,
		       enum t_reply_kind kind)
{
	struct t_reply r;
	const uint8_t *ra = req + 4;
	uint8_t code = req[0] == RADIUS_ACCOUNTING_REQUEST ? RADIUS_ACCOUNTING_RESPONSE :
		       kind == R_REJECT ? RADIUS_ACCESS_REJECT : RADIUS_ACCESS_ACCEPT;
	uint32_t ip = htonl(0x0a010203);

	if (kind == R_WRONG_CODE)
		code = req[0] == RADIUS_ACCOUNTING_REQUEST ? RADIUS_ACCESS_ACCEPT :
		       RADIUS_ACCOUNTING_RESPONSE;
	t_reply_init(&r, code, kind == R_UNKNOWN_ID ? (uint8_t)(req[1] + 1) : req[1]);
	if (kind != R_NO_MSGAUTH && req[0] == RADIUS_ACCESS_REQUEST)
		t_reply_attr(&r, RADIUS_ATTR_MESSAGE_AUTHENTICATOR, zero16, 16);
	if (code == RADIUS_ACCESS_ACCEPT)
		t_reply_attr(&r, RADIUS_ATTR_FRAMED_IP_ADDRESS, &ip, 4);
	if (kind == R_UNKNOWN_ATTRS) {
		t_reply_attr(&r, 200, "x", 1);
		t_reply_attr(&r, RADIUS_ATTR_VENDOR_SPECIFIC, "\0\x01\x86\x9f\x05\x03z", 7);
	}
	t_reply_sign(&r, ra, kind == R_BAD_AUTH ? SECRET2 : f->secret);
	if (kind == R_BAD_MSGAUTH) {
		/* a wrong Message-Authenticator under a right Response Authenticator */
		size_t ma = t_attr_off(r.buf, r.len, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
		uint8_t d[16];

		r.buf[ma] ^= 0xff;
		t_authenticator(r.buf, r.len, ra, f->secret, d);
		memcpy(r.buf + 4, d, 16);
	}
	if (kind == R_MALFORMED)
		r.buf[21] = 1;		/* attribute length 1 */
	assert_true(sendto(f->fd, r.buf, r.len, 0, (const struct sockaddr *)to, sizeof *to) ==
		    (ssize_t)r.len);
}

static void fake_read(struct ev_loop *loop, ev_io *w, int revents)
{
	struct fake *f = w->data;
	struct sockaddr_in from;
	socklen_t fl = sizeof from;
	uint8_t buf[RADIUS_MAX_LEN];
	ssize_t n;
	size_t ma, pwo;
	uint8_t d[16];

	(void)loop;
	(void)revents;
	n = recvfrom(f->fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
	if (n < 20)
		return;
	f->rx++;
	memcpy(f->prev, f->last, f->last_len);
	f->prev_len = f->last_len;
	memcpy(f->last, buf, (size_t)n);
	f->last_len = (size_t)n;
	f->last_msgauth_ok = 0;
	ma = t_attr_off(buf, (size_t)n, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
	if (ma) {
		t_msgauth(buf, (size_t)n, buf[0] == RADIUS_ACCESS_REQUEST ? buf + 4 : zero16,
			  f->secret, d);
		f->last_msgauth_ok = memcmp(d, buf + ma, 16) == 0;
	}
	f->last_reqauth_ok = 0;
	if (buf[0] == RADIUS_ACCOUNTING_REQUEST) {
		t_authenticator(buf, (size_t)n, zero16, f->secret, d);
		f->last_reqauth_ok = memcmp(d, buf + 4, 16) == 0;
	}
	f->last_password[0] = '\0';
	pwo = t_attr_off(buf, (size_t)n, RADIUS_ATTR_USER_PASSWORD);
	if (pwo) {
		/* reveal by hiding the ciphertext's blocks backwards: do it block by block */
		size_t plen = buf[pwo - 1] - 2;
		uint8_t out[160], b[16];
		const uint8_t *prev = buf + 4;

		for (size_t off = 0; off < plen && off + 16 <= sizeof out; off += 16) {
			t_md5(b, 2, (const uint8_t *)f->secret, strlen(f->secret), prev, (size_t)16);
			for (int i = 0; i < 16; i++)
				out[off + i] = buf[pwo + off + i] ^ b[i];
			prev = buf + pwo + off;
		}
		out[plen < sizeof out ? plen : sizeof out - 1] = 0;
		snprintf(f->last_password, sizeof f->last_password, "%s", (char *)out);
	}
	if (f->silent)
		return;
	if (f->nscript == 0) {
		fake_reply(f, &from, buf, R_GOOD);
		return;
	}
	for (unsigned i = 0; i < f->nscript; i++)
		fake_reply(f, &from, buf, f->script[i]);
}

static void fake_open(struct t_ctx *t, struct fake *f, const char *secret)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof sa;

	memset(f, 0, sizeof *f);
	f->secret = secret;
	f->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(f->fd >= 0);
	assert_int_equal(bind(f->fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(f->fd, (struct sockaddr *)&sa, &sl), 0);
	f->port = ntohs(sa.sin_port);
	ev_io_init(&f->io, fake_read, f->fd, EV_READ);
	f->io.data = f;
	ev_io_start(t->d.loop, &f->io);
}

/* Turn the loop until cond() holds or a second of wall-clock time passes. */
static void t_run_until(struct t_ctx *t, int (*cond)(void *), void *arg)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		ev_run(t->d.loop, EVRUN_NOWAIT);
		if (cond && cond(arg))
			return;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >
		    (cond ? 1000 : 50))
			return;
		poll(NULL, 0, 1);
	}
}

static int t_called(void *arg)
{
	return ((struct t_res *)arg)->called != 0;
}

struct t_rx_want {
	const struct fake *f;
	unsigned want;
};

static int t_rx_at_least(void *arg)
{
	const struct t_rx_want *w = arg;

	return w->f->rx >= w->want;
}

static void t_cb(void *arg, int status, const struct radius_msg *m)
{
	struct t_res *r = arg;
	const struct radius_attr *a;

	r->called++;
	r->status = status;
	if (m == NULL)
		return;
	r->code = m->code;
	a = radius_find(m, RADIUS_ATTR_FRAMED_IP_ADDRESS);
	if (a && a->len == 4)
		memcpy(&r->framed_ip, a->val, 4);
	r->has_unknown = radius_find(m, 200) != NULL;
}

static int t_setup(void **state)
{
	struct t_ctx *t = calloc(1, sizeof *t);

	assert_non_null(t);
	clock_init(&t->d.clk, 1);
	log_init(&t->d.log, "test_radius", 1);
	t->d.log.level = LOG_WARNING;
	t->d.log.debug = LOG_DBG_RADIUS;	/* the debug formatting runs under ASan too */
	t->d.loop = ev_loop_new(EVFLAG_AUTO);
	assert_non_null(t->d.loop);
	t->d.cfg.radius.timeout = CONFIG_DEF_RADIUS_TIMEOUT;
	t->d.cfg.radius.retransmit = CONFIG_DEF_RADIUS_RETRANSMIT;
	t->d.cfg.radius.deadtime = CONFIG_DEF_RADIUS_DEADTIME;
	t->d.cfg.radius.require_msgauth = 1;
	fake_open(t, &t->f[0], SECRET);
	fake_open(t, &t->f[1], SECRET2);
	*state = t;
	return 0;
}

static int t_teardown(void **state)
{
	struct t_ctx *t = *state;

	radius_das_free(&t->d);
	radius_client_free(&t->d);
	for (int i = 0; i < 2; i++) {
		ev_io_stop(t->d.loop, &t->f[i].io);
		close(t->f[i].fd);
	}
	ev_loop_destroy(t->d.loop);
	clock_destroy(&t->d.clk);
	free(t);
	return 0;
}

/* Servers 0 and 1 of the configuration are the fakes; n of them. */
static void t_servers(struct t_ctx *t, unsigned n)
{
	struct config_radius *r = &t->d.cfg.radius;

	for (unsigned i = 0; i < n; i++) {
		r->servers[i].addr.s_addr = htonl(INADDR_LOOPBACK);
		r->servers[i].auth_port = t->f[i].port;
		r->servers[i].acct_port = t->f[i].port;
		snprintf(r->servers[i].key, sizeof r->servers[i].key, "%s", t->f[i].secret);
	}
	r->n_servers = n;
	assert_int_equal(radius_client_init(&t->d), 0);
}

static void t_access_request(struct radius_pkt *p, const char *user, const char *pw)
{
	radius_pkt_init(p, RADIUS_ACCESS_REQUEST);
	assert_int_equal(radius_put_str(p, RADIUS_ATTR_USER_NAME, user), 0);
	assert_int_equal(radius_put_password(p, (const uint8_t *)pw, strlen(pw)), 0);
	assert_int_equal(radius_put_u32(p, RADIUS_ATTR_NAS_PORT, 1), 0);
}

static void t_wait_rx(struct t_ctx *t, struct fake *f, unsigned want)
{
	struct t_rx_want w = { f, want };

	t_run_until(t, t_rx_at_least, &w);
	assert_int_equal(f->rx, want);
}

static void test_client_accept(void **state)
{
	struct t_ctx *t = *state;
	const struct radius_stats *st;
	struct t_res res = { 0 };
	struct radius_pkt p;
	struct radius_req *r;

	t_servers(t, 1);
	assert_true(radius_configured(&t->d, RADIUS_AUTH));
	t_access_request(&p, "bob", "hello-world-1234567");
	assert_int_equal(radius_send(&t->d, RADIUS_AUTH, &p, t_cb, &res, &r), 0);
	assert_non_null(r);
	assert_int_equal(res.called, 0);	/* never inside radius_send */
	assert_int_equal(radius_client_pending(&t->d), 1);
	t_run_until(t, t_called, &res);
	assert_int_equal(res.called, 1);
	assert_int_equal(res.status, 0);
	assert_int_equal(res.code, RADIUS_ACCESS_ACCEPT);
	assert_int_equal(ntohl(res.framed_ip), 0x0a010203);
	/* what the server saw: a Message-Authenticator it could verify, the password */
	assert_int_equal(t->f[0].rx, 1);
	assert_true(t->f[0].last_msgauth_ok);
	assert_string_equal(t->f[0].last_password, "hello-world-1234567");
	st = radius_client_stats(&t->d, 0, RADIUS_AUTH);
	assert_int_equal(st->requests, 1);
	assert_int_equal(st->accepts, 1);
	assert_int_equal(st->retransmissions, 0);
	assert_int_equal(radius_client_pending(&t->d), 0);
	/* a User-Password that cannot be hidden (not from radius_put_password) */
	radius_pkt_init(&p, RADIUS_ACCESS_REQUEST);
	radius_put(&p, RADIUS_ATTR_USER_PASSWORD, "abc", 3);
	assert_int_equal(radius_send(&t->d, RADIUS_AUTH, &p, t_cb, &res, NULL), -EINVAL);
}

static void test_client_reject(void **state)
{
	struct t_ctx *t = *state;
	struct t_res res = { 0 };
	struct radius_pkt p;

	t->f[0].script[0] = R_REJECT;
	t->f[0].nscript = 1;
	t_servers(t, 1);
	t_access_request(&p, "bob", "wrong");
	assert_int_equal(radius_send(&t->d, RADIUS_AUTH, &p, t_cb, &res, NULL), 0);
	t_run_until(t, t_called, &res);
	assert_int_equal(res.called, 1);
	assert_int_equal(res.status, 0);
	assert_int_equal(res.code, RADIUS_ACCESS_REJECT);
	assert_int_equal(radius_client_stats(&t->d, 0, RADIUS_AUTH)->rejects, 1);
}

static void test_client_failover_deadtime(void **state)
{
	struct t_ctx *t = *state;
	const struct radius_stats *st0, *st1;
	struct t_res res = { 0 }, res2 = { 0 }, res3 = { 0 };
	struct radius_pkt p;
	struct radius_req *r;
	uint8_t first[RADIUS_MAX_LEN];
	size_t first_len;

	t->d.cfg.radius.retransmit = 2;
	t->d.cfg.radius.deadtime = 1;
	t->f[0].silent = 1;
	t_servers(t, 2);
	t_access_request(&p, "carol", "pw");
	assert_int_equal(radius_send(&t->d, RADIUS_AUTH, &p, t_cb, &res, NULL), 0);
	t_wait_rx(t, &t->f[0], 1);
	memcpy(first, t->f[0].last, t->f[0].last_len);
	first_len = t->f[0].last_len;
	/* nothing before the timeout */
	clock_advance(&t->d.clk, 4999);
	t_run_until(t, NULL, NULL);
	assert_int_equal(t->f[0].rx, 1);
	/* two retransmissions, the same datagram (same Identifier and authenticator) */
	clock_advance(&t->d.clk, 1);
	t_wait_rx(t, &t->f[0], 2);
	assert_int_equal(t->f[0].last_len, first_len);
	assert_memory_equal(t->f[0].last, first, first_len);
	clock_advance(&t->d.clk, 5000);
	t_wait_rx(t, &t->f[0], 3);
	assert_int_equal(t->f[1].rx, 0);
	/* then the second server, with its own secret */
	clock_advance(&t->d.clk, 5000);
	t_wait_rx(t, &t->f[1], 1);
	assert_true(t->f[1].last_msgauth_ok);
	assert_string_equal(t->f[1].last_password, "pw");
	t_run_until(t, t_called, &res);
	assert_int_equal(res.called, 1);
	assert_int_equal(res.status, 0);
	st0 = radius_client_stats(&t->d, 0, RADIUS_AUTH);
	st1 = radius_client_stats(&t->d, 1, RADIUS_AUTH);
	assert_int_equal(st0->requests, 1);
	assert_int_equal(st0->retransmissions, 2);
	assert_int_equal(st0->timeouts, 1);
	assert_int_equal(st1->accepts, 1);
	assert_true(radius_client_server_dead(&t->d, 0));
	assert_false(radius_client_server_dead(&t->d, 1));

	/* while it is dead, the first server is skipped */
	assert_int_equal(radius_send(&t->d, RADIUS_AUTH, &p, t_cb, &res2, NULL), 0);
	t_run_until(t, t_called, &res2);
	assert_int_equal(res2.status, 0);
	assert_int_equal(t->f[0].rx, 3);
	assert_int_equal(t->f[1].rx, 2);

	/* a minute later it is tried first again */
	clock_advance(&t->d.clk, 60000);
	assert_false(radius_client_server_dead(&t->d, 0));
	assert_int_equal(radius_send(&t->d, RADIUS_AUTH, &p, t_cb, &res3, &r), 0);
	t_wait_rx(t, &t->f[0], 4);
	/* cancelled: the callback never runs, whatever time does */
	radius_cancel(r);
	clock_advance(&t->d.clk, 60000);
	t_run_until(t, NULL, NULL);
	assert_int_equal(res3.called, 0);
	assert_int_equal(t->f[0].rx, 4);
	assert_int_equal(t->f[1].rx, 2);
	assert_int_equal(radius_client_pending(&t->d), 0);
}

static void test_client_timeout(void **state)
{
	struct t_ctx *t = *state;
	struct t_res res = { 0 };
	struct radius_pkt p;

	t->d.cfg.radius.retransmit = 1;
	t->f[0].silent = 1;
	t_servers(t, 1);
	t_access_request(&p, "dave", "pw");
	assert_int_equal(radius_send(&t->d, RADIUS_AUTH, &p, t_cb, &res, NULL), 0);
	t_wait_rx(t, &t->f[0], 1);
	clock_advance(&t->d.clk, 5000);
	t_wait_rx(t, &t->f[0], 2);
	assert_int_equal(res.called, 0);
	clock_advance(&t->d.clk, 5000);
	assert_int_equal(res.called, 1);
	assert_int_equal(res.status, -ETIMEDOUT);
	/* deadtime 0: never marked dead */
	assert_false(radius_client_server_dead(&t->d, 0));
	assert_int_equal(radius_client_stats(&t->d, 0, RADIUS_AUTH)->timeouts, 1);
}

static void test_client_bad_replies(void **state)
{
	static const enum t_reply_kind script[] = {
		R_BAD_AUTH, R_BAD_MSGAUTH, R_NO_MSGAUTH, R_UNKNOWN_ID, R_MALFORMED, R_WRONG_CODE,
		R_GOOD,
	};
	struct t_ctx *t = *state;
	const struct radius_stats *st;
	struct t_res res = { 0 };
	struct radius_pkt p;

	memcpy(t->f[0].script, script, sizeof script);
	t->f[0].nscript = sizeof script / sizeof script[0];
	t_servers(t, 1);
	t_access_request(&p, "eve", "pw");
	assert_int_equal(radius_send(&t->d, RADIUS_AUTH, &p, t_cb, &res, NULL), 0);
	t_run_until(t, t_called, &res);
	t_run_until(t, NULL, NULL);
	/* six bad replies dropped, each counted; the good one after them taken */
	assert_int_equal(res.called, 1);
	assert_int_equal(res.status, 0);
	assert_int_equal(res.code, RADIUS_ACCESS_ACCEPT);
	st = radius_client_stats(&t->d, 0, RADIUS_AUTH);
	assert_int_equal(st->bad_authenticators, 1);
	assert_int_equal(st->bad_msgauth, 1);
	assert_int_equal(st->missing_msgauth, 1);
	assert_int_equal(st->unknown_ids, 1);
	assert_int_equal(st->malformed, 1);
	assert_int_equal(st->wrong_codes, 1);
	assert_int_equal(st->accepts, 1);
	assert_int_equal(st->unknown_attrs, 0);
}

/* `no radius-server require-message-authenticator`: a reply without one is taken. */
static void test_client_msgauth_optional(void **state)
{
	struct t_ctx *t = *state;
	struct t_res res = { 0 };
	struct radius_pkt p;

	t->f[0].script[0] = R_NO_MSGAUTH;
	t->f[0].nscript = 1;
	t->d.cfg.radius.require_msgauth = 0;
	t_servers(t, 1);
	t_access_request(&p, "eve", "pw");
	assert_int_equal(radius_send(&t->d, RADIUS_AUTH, &p, t_cb, &res, NULL), 0);
	t_run_until(t, t_called, &res);
	assert_int_equal(res.called, 1);
	assert_int_equal(res.code, RADIUS_ACCESS_ACCEPT);
	assert_int_equal(radius_client_stats(&t->d, 0, RADIUS_AUTH)->missing_msgauth, 0);
}

static void test_client_unknown_attrs(void **state)
{
	struct t_ctx *t = *state;
	struct t_res res = { 0 };
	struct radius_pkt p;

	t->f[0].script[0] = R_UNKNOWN_ATTRS;
	t->f[0].nscript = 1;
	t_servers(t, 1);
	t_access_request(&p, "frank", "pw");
	assert_int_equal(radius_send(&t->d, RADIUS_AUTH, &p, t_cb, &res, NULL), 0);
	t_run_until(t, t_called, &res);
	assert_int_equal(res.status, 0);
	assert_true(res.has_unknown);		/* kept for the caller */
	assert_int_equal(ntohl(res.framed_ip), 0x0a010203);
	assert_int_equal(radius_client_stats(&t->d, 0, RADIUS_AUTH)->unknown_attrs, 2);
}

static uint32_t t_delay_of(const uint8_t *buf, size_t len)
{
	size_t off = t_attr_off(buf, len, RADIUS_ATTR_ACCT_DELAY_TIME);

	if (off == 0)
		return UINT32_MAX;
	return (uint32_t)buf[off] << 24 | (uint32_t)buf[off + 1] << 16 |
	       (uint32_t)buf[off + 2] << 8 | buf[off + 3];
}

static void test_client_accounting(void **state)
{
	struct t_ctx *t = *state;
	struct t_res res = { 0 };
	struct radius_pkt p;
	uint8_t id1;

	t->f[0].silent = 1;
	t_servers(t, 1);
	radius_pkt_init(&p, RADIUS_ACCOUNTING_REQUEST);
	radius_put_u32(&p, RADIUS_ATTR_ACCT_STATUS_TYPE, 3);
	radius_put_str(&p, RADIUS_ATTR_ACCT_SESSION_ID, "00000001");
	assert_int_equal(radius_send(&t->d, RADIUS_ACCT, &p, t_cb, &res, NULL), 0);
	t_wait_rx(t, &t->f[0], 1);
	assert_true(t->f[0].last_reqauth_ok);
	assert_int_equal(t_delay_of(t->f[0].last, t->f[0].last_len), UINT32_MAX);
	assert_int_equal(t_attr_off(t->f[0].last, t->f[0].last_len,
				    RADIUS_ATTR_MESSAGE_AUTHENTICATOR), 0);
	id1 = t->f[0].last[1];
	/* retransmitted with Acct-Delay-Time and a new Identifier */
	t->f[0].silent = 0;
	clock_advance(&t->d.clk, 5000);
	t_wait_rx(t, &t->f[0], 2);
	assert_true(t->f[0].last_reqauth_ok);
	assert_int_equal(t_delay_of(t->f[0].last, t->f[0].last_len), 5);
	assert_int_not_equal(t->f[0].last[1], id1);
	t_run_until(t, t_called, &res);
	assert_int_equal(res.status, 0);
	assert_int_equal(res.code, RADIUS_ACCOUNTING_RESPONSE);
	assert_int_equal(radius_client_stats(&t->d, 0, RADIUS_ACCT)->responses, 1);
	assert_int_equal(radius_client_stats(&t->d, 0, RADIUS_ACCT)->retransmissions, 1);
}

static void test_client_no_server(void **state)
{
	struct t_ctx *t = *state;
	struct radius_pkt p;
	struct radius_req *r = (struct radius_req *)1;

	t_servers(t, 0);
	assert_false(radius_configured(&t->d, RADIUS_AUTH));
	t_access_request(&p, "x", "y");
	assert_int_equal(radius_send(&t->d, RADIUS_AUTH, &p, t_cb, NULL, &r), -ENOENT);
	assert_null(r);
	/* a response code is not a request */
	t_servers(t, 0);
	radius_pkt_init(&p, RADIUS_ACCESS_ACCEPT);
	assert_int_equal(radius_send(&t->d, RADIUS_AUTH, &p, t_cb, NULL, NULL), -EINVAL);
}

static void test_client_show(void **state)
{
	struct t_ctx *t = *state;
	struct t_res res = { 0 };
	struct radius_pkt p;
	struct out o;

	t_servers(t, 2);
	t_access_request(&p, "gina", "pw");
	assert_int_equal(radius_send(&t->d, RADIUS_AUTH, &p, t_cb, &res, NULL), 0);
	t_run_until(t, t_called, &res);
	/* the show code is the command's (cli/cmd_aaa.c) */
	out_init(&o, 0);
	assert_int_equal(cmd_exec(&t->d, "show radius server", &o), 0);
	assert_int_equal(cmd_exec(&t->d, "show radius statistics", &o), 0);
	assert_non_null(strstr(o.buf, "RADIUS server 127.0.0.1"));
	assert_non_null(strstr(o.buf, "1 accepts"));
	out_free(&o);
	out_init(&o, 1);
	assert_int_equal(cmd_exec(&t->d, "show radius server", &o), 0);
	assert_non_null(strstr(o.buf, "\"accepts\""));
	assert_non_null(strstr(o.buf, "\"state\""));
	out_free(&o);
	radius_client_clear_stats(&t->d);
	assert_int_equal(radius_client_stats(&t->d, 0, RADIUS_AUTH)->accepts, 0);
}

/* ------------------------------------------------------------------ */
/* RFC 5176 server                                                      */

#define DAS_KEY		"das-secret"

static struct {
	unsigned disconnects, coas;
	int rc;
	uint32_t cause;
	char user[64];
} das_double;

int aaa_das_disconnect(struct l2tpd *d, const struct radius_msg *m, uint32_t *error_cause)
{
	const struct radius_attr *a = radius_find(m, RADIUS_ATTR_USER_NAME);

	(void)d;
	das_double.disconnects++;
	das_double.user[0] = '\0';
	if (a)
		radius_get_str(a, das_double.user, sizeof das_double.user);
	*error_cause = das_double.cause;
	return das_double.rc;
}

int aaa_das_coa(struct l2tpd *d, const struct radius_msg *m, uint32_t *error_cause)
{
	(void)d;
	(void)m;
	das_double.coas++;
	*error_cause = das_double.cause;
	return das_double.rc;
}

static int das_setup(void **state)
{
	struct t_ctx *t;

	t_setup(state);
	t = *state;
	memset(&das_double, 0, sizeof das_double);
	t->d.cfg.radius.das = 1;
	t->d.cfg.radius.das_port = 0;		/* any free port */
	t->d.cfg.radius.n_clients = 1;
	t->d.cfg.radius.clients[0].addr.s_addr = htonl(INADDR_LOOPBACK);
	snprintf(t->d.cfg.radius.das_key, sizeof t->d.cfg.radius.das_key, "%s", DAS_KEY);
	assert_int_equal(radius_das_init(&t->d), 0);
	assert_true(radius_das_port(&t->d) != 0);
	return 0;
}

/* A Disconnect-/CoA-Request built and signed here (RFC 5176 §3.5). */
static void das_request(struct t_reply *r, uint8_t code, uint8_t id, const char *secret,
			int msgauth, int64_t timestamp)
{
	uint8_t d[16];
	size_t ma;

	t_reply_init(r, code, id);
	t_reply_attr(r, RADIUS_ATTR_USER_NAME, "bob", 3);
	t_reply_attr(r, RADIUS_ATTR_ACCT_SESSION_ID, "0000002a", 8);
	if (timestamp >= 0) {
		uint32_t ts = htonl((uint32_t)timestamp);

		t_reply_attr(r, RADIUS_ATTR_EVENT_TIMESTAMP, &ts, 4);
	}
	if (msgauth)
		t_reply_attr(r, RADIUS_ATTR_MESSAGE_AUTHENTICATOR, zero16, 16);
	t_reply_attr(r, RADIUS_ATTR_PROXY_STATE, "ps1", 3);
	r->buf[2] = (uint8_t)(r->len >> 8);
	r->buf[3] = (uint8_t)r->len;
	ma = t_attr_off(r->buf, r->len, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
	if (ma) {
		t_msgauth(r->buf, r->len, zero16, secret, d);
		memcpy(r->buf + ma, d, 16);
	}
	t_authenticator(r->buf, r->len, zero16, secret, d);
	memcpy(r->buf + 4, d, 16);
}

/* Send req to the DAS from a fresh socket; the answer's length, 0 if none came. */
static size_t das_exchange(struct t_ctx *t, int fd, const struct t_reply *req, uint8_t *ans)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				  .sin_port = htons(radius_das_port(&t->d)) };
	ssize_t n = -1;

	assert_true(sendto(fd, req->buf, req->len, 0, (struct sockaddr *)&to, sizeof to) ==
		    (ssize_t)req->len);
	for (int i = 0; i < 200 && n < 0; i++) {
		ev_run(t->d.loop, EVRUN_NOWAIT);
		n = recv(fd, ans, RADIUS_MAX_LEN, MSG_DONTWAIT);
		if (n < 0)
			poll(NULL, 0, 1);
	}
	return n < 0 ? 0 : (size_t)n;
}

static int das_socket(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return fd;
}

/* The answer is signed for req (Response Authenticator, Message-Authenticator). */
static void das_check_answer(const uint8_t *ans, size_t len, const struct t_reply *req,
			     uint8_t code)
{
	uint8_t d[16];
	size_t ma;

	assert_true(len >= 20);
	assert_int_equal(ans[0], code);
	assert_int_equal(ans[1], req->buf[1]);
	assert_int_equal((size_t)(ans[2] << 8 | ans[3]), len);
	t_authenticator(ans, len, req->buf + 4, DAS_KEY, d);
	assert_memory_equal(ans + 4, d, 16);
	ma = t_attr_off(ans, len, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
	if (t_attr_off(req->buf, req->len, RADIUS_ATTR_MESSAGE_AUTHENTICATOR)) {
		assert_true(ma > 0);
		t_msgauth(ans, len, req->buf + 4, DAS_KEY, d);
		assert_memory_equal(ans + ma, d, 16);
	}
	/* Proxy-State copied back */
	ma = t_attr_off(ans, len, RADIUS_ATTR_PROXY_STATE);
	assert_true(ma > 0);
	assert_memory_equal(ans + ma, "ps1", 3);
}

static void test_das_disconnect_ack(void **state)
{
	struct t_ctx *t = *state;
	struct t_reply req;
	uint8_t ans[RADIUS_MAX_LEN];
	int fd = das_socket();
	size_t n;

	/* the daemon's wall clock: simulated, as its clock is */
	das_request(&req, RADIUS_DISCONNECT_REQUEST, 17, DAS_KEY, 1,
		    (int64_t)clock_wall_s(&t->d.clk));
	n = das_exchange(t, fd, &req, ans);
	das_check_answer(ans, n, &req, RADIUS_DISCONNECT_ACK);
	assert_int_equal(t_attr_off(ans, n, RADIUS_ATTR_ERROR_CAUSE), 0);
	assert_int_equal(das_double.disconnects, 1);
	assert_string_equal(das_double.user, "bob");
	assert_int_equal(radius_das_stats(&t->d)->disconnect_acks, 1);
	/* the same request again: the same answer, not a second disconnect */
	memset(ans, 0, sizeof ans);
	assert_int_equal(das_exchange(t, fd, &req, ans), n);
	das_check_answer(ans, n, &req, RADIUS_DISCONNECT_ACK);
	assert_int_equal(das_double.disconnects, 1);
	assert_int_equal(radius_das_stats(&t->d)->duplicates, 1);
	/* a CoA-Request goes to aaa_das_coa */
	das_request(&req, RADIUS_COA_REQUEST, 18, DAS_KEY, 0, -1);
	n = das_exchange(t, fd, &req, ans);
	das_check_answer(ans, n, &req, RADIUS_COA_ACK);
	assert_int_equal(das_double.coas, 1);
	close(fd);
}

static void test_das_nak(void **state)
{
	struct t_ctx *t = *state;
	struct t_reply req;
	uint8_t ans[RADIUS_MAX_LEN];
	int fd = das_socket();
	size_t n, ec;

	das_double.rc = -ENOENT;
	das_double.cause = RADIUS_ERR_SESSION_NOT_FOUND;
	das_request(&req, RADIUS_DISCONNECT_REQUEST, 3, DAS_KEY, 1, -1);
	n = das_exchange(t, fd, &req, ans);
	das_check_answer(ans, n, &req, RADIUS_DISCONNECT_NAK);
	ec = t_attr_off(ans, n, RADIUS_ATTR_ERROR_CAUSE);
	assert_true(ec > 0);
	assert_int_equal(ans[ec - 1], 6);
	assert_int_equal((uint32_t)ans[ec + 2] << 8 | ans[ec + 3], 503);
	assert_int_equal(radius_das_stats(&t->d)->disconnect_naks, 1);
	/* no cause given: one is chosen */
	das_double.cause = 0;
	das_double.rc = -EBUSY;
	das_request(&req, RADIUS_COA_REQUEST, 4, DAS_KEY, 0, -1);
	n = das_exchange(t, fd, &req, ans);
	das_check_answer(ans, n, &req, RADIUS_COA_NAK);
	ec = t_attr_off(ans, n, RADIUS_ATTR_ERROR_CAUSE);
	assert_true(ec > 0);
	assert_int_equal((uint32_t)ans[ec + 2] << 8 | ans[ec + 3], 506);
	close(fd);
}

static void test_das_dropped(void **state)
{
	struct t_ctx *t = *state;
	const struct radius_das_stats *st = radius_das_stats(&t->d);
	struct t_reply req;
	uint8_t ans[RADIUS_MAX_LEN];
	int fd = das_socket();
	size_t ma;

	/* the wrong secret: no answer, no action */
	das_request(&req, RADIUS_DISCONNECT_REQUEST, 1, SECRET2, 0, -1);
	assert_int_equal(das_exchange(t, fd, &req, ans), 0);
	assert_int_equal(st->bad_authenticators, 1);
	/* a right authenticator over a wrong Message-Authenticator */
	das_request(&req, RADIUS_DISCONNECT_REQUEST, 2, DAS_KEY, 1, -1);
	ma = t_attr_off(req.buf, req.len, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
	req.buf[ma] ^= 1;
	{
		uint8_t d[16];

		t_authenticator(req.buf, req.len, zero16, DAS_KEY, d);
		memcpy(req.buf + 4, d, 16);
	}
	assert_int_equal(das_exchange(t, fd, &req, ans), 0);
	assert_int_equal(st->bad_msgauth, 1);
	/* an Event-Timestamp an hour old */
	das_request(&req, RADIUS_DISCONNECT_REQUEST, 3, DAS_KEY, 0,
		    (int64_t)clock_wall_s(&t->d.clk) - 3600);
	assert_int_equal(das_exchange(t, fd, &req, ans), 0);
	assert_int_equal(st->stale, 1);
	/* not a request the DAS serves */
	das_request(&req, RADIUS_ACCESS_REQUEST, 4, DAS_KEY, 0, -1);
	assert_int_equal(das_exchange(t, fd, &req, ans), 0);
	assert_int_equal(st->unknown_codes, 1);
	/* malformed */
	das_request(&req, RADIUS_DISCONNECT_REQUEST, 5, DAS_KEY, 0, -1);
	req.buf[21] = 0;
	assert_int_equal(das_exchange(t, fd, &req, ans), 0);
	assert_int_equal(st->malformed, 1);
	assert_int_equal(das_double.disconnects, 0);
	/* from an address that is no client */
	t->d.cfg.radius.clients[0].addr.s_addr = htonl(0x0a090909);
	das_request(&req, RADIUS_DISCONNECT_REQUEST, 6, DAS_KEY, 0, -1);
	assert_int_equal(das_exchange(t, fd, &req, ans), 0);
	assert_int_equal(st->unknown_clients, 1);
	assert_int_equal(das_double.disconnects, 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_hiding),
		cmocka_unit_test(test_message_authenticator),
		cmocka_unit_test(test_response_authenticator),
		cmocka_unit_test(test_parse_bounds),
		cmocka_unit_test(test_tunnel_password),
		cmocka_unit_test_setup_teardown(test_client_accept, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_client_reject, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_client_failover_deadtime, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_client_timeout, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_client_bad_replies, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_client_unknown_attrs, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_client_msgauth_optional, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_client_accounting, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_client_no_server, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_client_show, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_das_disconnect_ack, das_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_das_nak, das_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_das_dropped, das_setup, t_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
