/*
 * AVP table, message builder, hidden AVPs (RFC 2661 §4.3) and tunnel
 * authentication (§4.2).  Every encoded message is copied into a buffer of
 * exactly its size before decoding, so that the address sanitizer sees any
 * read past its end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/md5.h>

#include "core/rand.h"
#include "l2tp/avp.h"
#include "l2tp/msg.h"
#include "l2tp/hidden.h"
#include "l2tp/auth.h"

static const uint8_t secret[] = "tunnel-secret";
#define SECRET_LEN (sizeof(secret) - 1)

static uint8_t *dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);

	assert_non_null(q);
	if (n)
		memcpy(q, p, n);
	return q;
}

/* finish b, decode it from an exact-size copy into a fresh m; *copy is
 * kept alive for the AVP value pointers */
static int encode_decode(struct l2tp_msgbuf *b, struct l2tp_msg **mp, uint8_t **copy)
{
	int n = l2tp_msgbuf_finish(b);

	assert_true(n >= L2TP_HDR_LEN_CTRL);
	*copy = dup_exact(b->buf, (size_t)n);
	*mp = calloc(1, sizeof(**mp));
	assert_non_null(*mp);
	return l2tp_msg_decode(*copy, (size_t)n, *mp);
}

static void free_msg(struct l2tp_msg *m, uint8_t *copy)
{
	free(m);
	free(copy);
}

/* A value of a legal length for the AVP, filled with a recognisable pattern. */
static size_t sample_value(const struct l2tp_avp_def *d, uint8_t *v, size_t seed)
{
	size_t len, i;

	if (d->min_len == d->max_len)
		len = d->min_len;
	else if (d->min_len > 37)
		len = d->min_len;
	else
		len = 37;	/* crosses two 16-octet hiding chunks */
	for (i = 0; i < len; i++)
		v[i] = (uint8_t)('a' + (i + seed) % 26);
	return len;
}

/* -------------------------------------------------------------------------
 * Table
 */

static void test_table_covers_every_ietf_avp(void **state)
{
	const struct l2tp_avp_def *d;
	uint16_t t;

	(void)state;
	for (t = 0; t <= L2TP_AVP_MAX; t++) {
		d = l2tp_avp_def_get(0, t);
		if (t == 20 || (t >= 40 && t <= 45)) {
			assert_null(d);	/* reserved; extensions we do not know */
			continue;
		}
		assert_non_null(d);
		assert_int_equal(d->type, t);
		assert_non_null(d->name);
		assert_true(d->min_len <= d->max_len);
		assert_true(d->max_len <= L2TP_AVP_MAX_LEN - L2TP_AVP_HDR_LEN);
		assert_string_equal(l2tp_avp_name(0, t), d->name);
	}
	assert_null(l2tp_avp_def_get(0, 40));
	assert_null(l2tp_avp_def_get(0, 0xffff));
	assert_null(l2tp_avp_def_get(9, 1));
	assert_null(l2tp_avp_def_get(1, 0));
	assert_string_equal(l2tp_avp_name(9, 1), "Vendor AVP");
	assert_string_equal(l2tp_avp_name(0, 20), "Unknown AVP");
}

static void test_table_rfc_rules(void **state)
{
	/* §4.4: "The M-bit for this AVP MUST be set to 0" */
	static const uint16_t mbit0[] = { 5, 6, 8, 25, 26, 27, 28, 29, 30, 31, 32, 33, 37, 38,
					  46 /* RFC 3145 §2 */ };
	/* §4.4: "This AVP MUST NOT be hidden" */
	static const uint16_t nohide[] = { 0, 1, 2, 5, 7, 10, 12, 36, 39 };
	const struct l2tp_avp_def *d;
	uint16_t t;
	size_t i;
	int m, h;

	(void)state;
	for (t = 0; t <= L2TP_AVP_MAX; t++) {
		d = l2tp_avp_def_get(0, t);
		if (d == NULL)
			continue;
		m = 1;
		for (i = 0; i < sizeof(mbit0) / sizeof(mbit0[0]); i++)
			if (mbit0[i] == t)
				m = 0;
		h = 1;
		for (i = 0; i < sizeof(nohide) / sizeof(nohide[0]); i++)
			if (nohide[i] == t)
				h = 0;
		assert_int_equal(d->mbit, m ? L2TP_MBIT_MUST : L2TP_MBIT_MAY);
		assert_int_equal(d->hideable, h);
	}
	/* a few fixed lengths from the RFC (AVP length - 6) */
	assert_int_equal(l2tp_avp_def_get(0, L2TP_AVP_TIE_BREAKER)->min_len, 8);
	assert_int_equal(l2tp_avp_def_get(0, L2TP_AVP_CHALLENGE_RESPONSE)->max_len, 16);
	assert_int_equal(l2tp_avp_def_get(0, L2TP_AVP_CALL_ERRORS)->min_len, 26);
	assert_int_equal(l2tp_avp_def_get(0, L2TP_AVP_ACCM)->max_len, 10);
	assert_int_equal(l2tp_avp_def_get(0, L2TP_AVP_SEQUENCING_REQUIRED)->max_len, 0);
	assert_int_equal(l2tp_avp_def_get(0, L2TP_AVP_Q931_CAUSE)->min_len, 3);
	assert_int_equal(l2tp_avp_def_get(0, L2TP_AVP_HOST_NAME)->min_len, 1);
}

/* -------------------------------------------------------------------------
 * Round trips
 */

static void check_value(const struct l2tp_msg *m, const struct l2tp_avp_def *d,
			const uint8_t *v, size_t len)
{
	const struct l2tp_avp *a = l2tp_msg_avp(m, d->type);
	const uint8_t *got;
	size_t glen;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	assert_non_null(a);
	assert_false(a->hidden_pending);
	assert_int_equal(a->vendor, 0);
	assert_int_equal(a->len, len);
	assert_memory_equal(a->val, v, len);
	assert_int_equal(l2tp_msg_get_bytes(m, d->type, &got, &glen), 0);
	assert_int_equal(glen, len);
	if (len)
		assert_memory_equal(got, v, len);
	switch (d->kind) {
	case L2TP_AVP_KIND_U16:
		assert_int_equal(l2tp_msg_get_u16(m, d->type, &u16), 0);
		assert_int_equal(u16, (uint16_t)(v[0] << 8 | v[1]));
		break;
	case L2TP_AVP_KIND_U32:
		assert_int_equal(l2tp_msg_get_u32(m, d->type, &u32), 0);
		assert_int_equal(u32, (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | v[2] << 8 | v[3]);
		break;
	case L2TP_AVP_KIND_U64:
		assert_int_equal(l2tp_msg_get_u64(m, d->type, &u64), 0);
		assert_int_equal(u64 >> 56, v[0]);
		assert_int_equal(u64 & 0xff, v[7]);
		break;
	default:
		break;
	}
}

static void test_roundtrip_every_avp_plain(void **state)
{
	const struct l2tp_avp_def *d;
	struct l2tp_msgbuf b;
	struct l2tp_msg *m;
	uint8_t *copy, v[64];
	const struct l2tp_avp *a;
	size_t len;
	uint16_t t, mt;

	(void)state;
	for (t = 0; t <= L2TP_AVP_MAX; t++) {
		d = l2tp_avp_def_get(0, t);
		if (d == NULL)
			continue;
		/* a HELLO needs nothing but its Message Type (§6.5) */
		l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 0x1234, 0);
		len = sample_value(d, v, t);
		if (t == L2TP_AVP_MESSAGE_TYPE) {
			v[0] = 0;
			v[1] = L2TP_MSG_HELLO;
		} else {
			l2tp_avp_put(&b, t, v, len, 0);
		}
		assert_int_equal(b.err, 0);
		assert_int_equal(encode_decode(&b, &m, &copy), 0);
		assert_int_equal(m->type, L2TP_MSG_HELLO);
		assert_int_equal(m->n_avps, t == 0 ? 1 : 2);
		check_value(m, d, v, len);
		a = l2tp_msg_avp(m, t);
		/* §4.4: the M bit the table says, never H */
		assert_int_equal(!!(a->flags & L2TP_AVP_M), d->mbit == L2TP_MBIT_MUST);
		assert_int_equal(a->flags & L2TP_AVP_H, 0);
		assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_MESSAGE_TYPE, &mt), 0);
		assert_int_equal(mt, L2TP_MSG_HELLO);
		/* nothing hidden: unhide is a no-op with or without a secret */
		assert_int_equal(l2tp_msg_unhide(m, NULL, 0), 0);
		free_msg(m, copy);
	}
}

static void test_roundtrip_every_avp_hidden(void **state)
{
	const struct l2tp_avp_def *d;
	struct l2tp_msgbuf b;
	struct l2tp_msg *m;
	const struct l2tp_avp *a, *rv;
	uint8_t *copy, v[64];
	uint16_t t, u16;
	size_t len;
	int hidden = 0;

	(void)state;
	for (t = 0; t <= L2TP_AVP_MAX; t++) {
		d = l2tp_avp_def_get(0, t);
		if (d == NULL || !d->hideable)
			continue;
		hidden++;
		l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 7, 0);
		l2tp_msgbuf_set_secret(&b, secret, SECRET_LEN);
		len = sample_value(d, v, t);
		l2tp_avp_put(&b, t, v, len, L2TP_PUT_HIDE);
		assert_int_equal(b.err, 0);
		assert_int_equal(encode_decode(&b, &m, &copy), 0);
		/* §4.3: Message Type, Random Vector, the hidden AVP */
		assert_int_equal(m->n_avps, 3);
		assert_int_equal(m->n_hidden, 1);
		rv = &m->avps[1];
		assert_int_equal(rv->type, L2TP_AVP_RANDOM_VECTOR);
		assert_int_equal(rv->len, 16);
		assert_true(rv->flags & L2TP_AVP_M);
		a = l2tp_msg_avp(m, t);
		assert_non_null(a);
		assert_true(a->flags & L2TP_AVP_H);
		assert_int_equal(!!(a->flags & L2TP_AVP_M), d->mbit == L2TP_MBIT_MUST);
		assert_true(a->hidden_pending);
		assert_int_equal(a->rv_idx, 1);
		/* the wire value is not the clear one */
		assert_true(a->len >= len + 2);
		assert_int_equal(l2tp_msg_get_bytes(m, t, &(const uint8_t *){ NULL }, &(size_t){ 0 }),
				 -EAGAIN);
		assert_int_equal(l2tp_msg_get_u16(m, t, &u16), -EAGAIN);
		assert_int_equal(l2tp_msg_unhide(m, secret, SECRET_LEN), 0);
		check_value(m, d, v, len);
		/* a second call changes nothing */
		assert_int_equal(l2tp_msg_unhide(m, secret, SECRET_LEN), 0);
		check_value(m, d, v, len);
		free_msg(m, copy);
	}
	assert_int_equal(hidden, 31);
}

/* One Random Vector serves every hidden AVP that follows it (§4.3). */
static void test_hidden_one_random_vector(void **state)
{
	struct l2tp_msgbuf b;
	struct l2tp_msg *m;
	uint8_t *copy;
	char s[64];
	uint16_t sid;
	uint32_t csn;
	unsigned i, nrv = 0;

	(void)state;
	l2tp_msgbuf_init(&b, L2TP_MSG_ICRQ, 1, 0);
	l2tp_msgbuf_set_secret(&b, secret, SECRET_LEN);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_SESSION_ID, 0xbeef, L2TP_PUT_HIDE);
	l2tp_avp_put_u32(&b, L2TP_AVP_CALL_SERIAL_NUMBER, 0xdeadbeef, L2TP_PUT_HIDE);
	l2tp_avp_put_str(&b, L2TP_AVP_CALLING_NUMBER, "5551234", L2TP_PUT_HIDE);
	l2tp_avp_put_str(&b, L2TP_AVP_CALLED_NUMBER, "5550000", 0);
	assert_int_equal(encode_decode(&b, &m, &copy), 0);
	for (i = 0; i < m->n_avps; i++)
		nrv += m->avps[i].type == L2TP_AVP_RANDOM_VECTOR;
	assert_int_equal(nrv, 1);
	assert_int_equal(m->n_hidden, 3);
	assert_int_equal(l2tp_msg_unhide(m, secret, SECRET_LEN), 0);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &sid), 0);
	assert_int_equal(sid, 0xbeef);
	assert_int_equal(l2tp_msg_get_u32(m, L2TP_AVP_CALL_SERIAL_NUMBER, &csn), 0);
	assert_int_equal(csn, 0xdeadbeef);
	assert_int_equal(l2tp_msg_get_str(m, L2TP_AVP_CALLING_NUMBER, s, sizeof(s)), 0);
	assert_string_equal(s, "5551234");
	assert_int_equal(l2tp_msg_get_str(m, L2TP_AVP_CALLED_NUMBER, s, sizeof(s)), 0);
	assert_string_equal(s, "5550000");
	free_msg(m, copy);
}

static void test_builder_hide_rules(void **state)
{
	struct l2tp_msgbuf b;

	(void)state;
	/* no secret: §4.3 "only if a shared secret exists" */
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_TUNNEL_ID, 5, L2TP_PUT_HIDE);
	assert_int_equal(l2tp_msgbuf_finish(&b), -ENOKEY);
	/* empty secret is no secret */
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_msgbuf_set_secret(&b, secret, 0);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_TUNNEL_ID, 5, L2TP_PUT_HIDE);
	assert_int_equal(l2tp_msgbuf_finish(&b), -ENOKEY);
	/* "This AVP MUST NOT be hidden" */
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_msgbuf_set_secret(&b, secret, SECRET_LEN);
	l2tp_avp_put_str(&b, L2TP_AVP_HOST_NAME, "lns", L2TP_PUT_HIDE);
	assert_int_equal(l2tp_msgbuf_finish(&b), -EINVAL);
}

static void test_builder_bounds(void **state)
{
	struct l2tp_msgbuf b;
	uint8_t big[1100] = { 0 };
	int i;

	(void)state;
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put(&b, L2TP_AVP_FRAMING_CAP, big, 3, 0);	/* needs 4 */
	assert_int_equal(l2tp_msgbuf_finish(&b), -EINVAL);
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put(&b, 20, big, 2, 0);			/* reserved type */
	assert_int_equal(l2tp_msgbuf_finish(&b), -EINVAL);
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put(&b, 40, big, 2, 0);			/* not IETF */
	assert_int_equal(l2tp_msgbuf_finish(&b), -EINVAL);
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_str(&b, L2TP_AVP_HOST_NAME, "", 0);	/* at least 1 octet */
	assert_int_equal(l2tp_msgbuf_finish(&b), -EINVAL);
	/* the largest AVP fits the 10-bit length, one more does not */
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_VENDOR_NAME, 0, big, 1017);
	assert_int_equal(b.err, 0);
	assert_int_equal(b.len, 12 + 8 + 1023);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_VENDOR_NAME, 0, big, 1018);
	assert_int_equal(l2tp_msgbuf_finish(&b), -EMSGSIZE);
	/* filling the buffer stops with -ENOSPC, never past it */
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	for (i = 0; i < 10; i++)
		l2tp_avp_put(&b, L2TP_AVP_VENDOR_NAME, big, 1000, 0);
	assert_int_equal(l2tp_msgbuf_finish(&b), -ENOSPC);
	assert_true(b.len <= sizeof(b.buf));
	/* and a hidden one near the end too */
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_msgbuf_set_secret(&b, secret, SECRET_LEN);
	for (i = 0; i < 10; i++)
		l2tp_avp_put(&b, L2TP_AVP_PROXY_AUTHEN_RESPONSE, big, 1000, L2TP_PUT_HIDE);
	assert_int_equal(l2tp_msgbuf_finish(&b), -ENOSPC);
	assert_true(b.len <= sizeof(b.buf));
	/* a hidden value that cannot fit one AVP */
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_msgbuf_set_secret(&b, secret, SECRET_LEN);
	l2tp_avp_put(&b, L2TP_AVP_PROXY_AUTHEN_RESPONSE, big, 1017, L2TP_PUT_HIDE);
	assert_int_equal(l2tp_msgbuf_finish(&b), -EMSGSIZE);
	/* the largest hidden value that does */
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_msgbuf_set_secret(&b, secret, SECRET_LEN);
	l2tp_avp_put(&b, L2TP_AVP_PROXY_AUTHEN_RESPONSE, big, 1015, L2TP_PUT_HIDE);
	assert_int_equal(b.err, 0);
}

static void test_builder_mbit_overrides(void **state)
{
	struct l2tp_msgbuf b;
	struct l2tp_msg *m;
	uint8_t *copy;

	(void)state;
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_str(&b, L2TP_AVP_HOST_NAME, "lac", L2TP_PUT_NOM);
	l2tp_avp_put_u64(&b, L2TP_AVP_TIE_BREAKER, 0x0102030405060708ULL, L2TP_PUT_M);
	l2tp_avp_put_u16(&b, L2TP_AVP_FIRMWARE_REV, 0x0100, 0);
	assert_int_equal(encode_decode(&b, &m, &copy), 0);
	assert_int_equal(l2tp_msg_avp(m, L2TP_AVP_HOST_NAME)->flags & L2TP_AVP_M, 0);
	assert_true(l2tp_msg_avp(m, L2TP_AVP_TIE_BREAKER)->flags & L2TP_AVP_M);
	assert_int_equal(l2tp_msg_avp(m, L2TP_AVP_FIRMWARE_REV)->flags & L2TP_AVP_M, 0);
	assert_true(m->avps[0].flags & L2TP_AVP_M);	/* Message Type: M=1 (§4.4.1) */
	free_msg(m, copy);
}

static void check_result(uint16_t result, int error, const char *msg, int32_t want_error,
			 const char *want_msg, uint16_t want_len)
{
	struct l2tp_msgbuf b;
	struct l2tp_msg *m;
	struct l2tp_result r;
	uint8_t *copy;

	l2tp_msgbuf_init(&b, L2TP_MSG_STOPCCN, 3, 0);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_TUNNEL_ID, 77, 0);
	l2tp_avp_put_result(&b, result, error, msg);
	assert_int_equal(encode_decode(&b, &m, &copy), 0);
	assert_int_equal(l2tp_msg_avp(m, L2TP_AVP_RESULT_CODE)->len, want_len);
	assert_true(l2tp_msg_avp(m, L2TP_AVP_RESULT_CODE)->flags & L2TP_AVP_M);
	assert_int_equal(l2tp_msg_get_result(m, &r), 0);
	assert_int_equal(r.result, result);
	assert_int_equal(r.error, want_error);
	assert_string_equal(r.msg, want_msg);
	free_msg(m, copy);
}

static void test_result_code(void **state)
{
	(void)state;
	/* §4.4.2: Length 8, 10 or more */
	check_result(L2TP_STOPCCN_GENERAL, -1, NULL, -1, "", 2);
	check_result(L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_UNKNOWN_MANDATORY, NULL, 8, "", 4);
	check_result(L2TP_STOPCCN_SHUTDOWN, 0, "going down", 0, "going down", 14);
	/* a message needs an Error Code in front of it */
	check_result(L2TP_STOPCCN_FSM_ERROR, -1, "fsm", 0, "fsm", 7);
}

static void test_version_and_zlb(void **state)
{
	struct l2tp_msgbuf b;
	struct l2tp_msg *m;
	uint8_t *copy;
	const struct l2tp_avp *a;

	(void)state;
	l2tp_msgbuf_init(&b, L2TP_MSG_SCCRQ, 0, 0);
	l2tp_avp_put_version(&b);
	l2tp_avp_put_str(&b, L2TP_AVP_HOST_NAME, "lac1", 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_FRAMING_CAP, L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC, 0);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_TUNNEL_ID, 33003, 0);
	assert_int_equal(encode_decode(&b, &m, &copy), 0);
	a = l2tp_msg_avp(m, L2TP_AVP_PROTOCOL_VERSION);
	assert_int_equal(a->len, 2);
	assert_int_equal(a->val[0], 1);
	assert_int_equal(a->val[1], 0);
	free_msg(m, copy);

	l2tp_msgbuf_init_zlb(&b, 4242);
	assert_int_equal(encode_decode(&b, &m, &copy), 0);
	assert_int_equal(m->type, L2TP_MSG_ZLB);
	assert_int_equal(m->n_avps, 0);
	assert_int_equal(m->hdr.tunnel_id, 4242);
	assert_int_equal(m->hdr.length, 12);
	free_msg(m, copy);
}

static void test_vendor_avp(void **state)
{
	static const uint8_t v[] = { 0xca, 0xfe, 0x00, 0x01 };
	struct l2tp_msgbuf b;
	struct l2tp_msg *m;
	uint8_t *copy;
	const struct l2tp_avp *a;

	(void)state;
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_raw(&b, 9, 1, 0, v, sizeof(v));
	l2tp_avp_put_raw(&b, 9, 2, 0, NULL, 0);
	assert_int_equal(encode_decode(&b, &m, &copy), 0);
	assert_int_equal(m->n_avps, 3);
	assert_int_equal(m->n_unknown_skipped, 2);
	a = &m->avps[1];
	assert_int_equal(a->vendor, 9);
	assert_int_equal(a->type, 1);
	assert_int_equal(a->len, sizeof(v));
	assert_memory_equal(a->val, v, sizeof(v));
	assert_int_equal(m->avps[2].len, 0);
	/* vendor AVPs never land in idx[] */
	assert_int_equal(m->idx[1], -1);
	assert_int_equal(m->idx[2], -1);
	free_msg(m, copy);

	/* with the M bit: §4.1 the tunnel is cleared */
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_raw(&b, 9, 1, L2TP_AVP_M, v, sizeof(v));
	assert_int_equal(encode_decode(&b, &m, &copy), -ENOTSUP);
	assert_int_equal(m->err.avp_vendor, 9);
	assert_int_equal(m->err.avp_type, 1);
	assert_int_equal(m->err.result, 2);
	assert_int_equal(m->err.error, L2TP_ERR_UNKNOWN_MANDATORY);
	free_msg(m, copy);
}

static void test_seq_extremes(void **state)
{
	static const uint16_t v[][2] = { { 65535, 0 }, { 0, 65535 }, { 65535, 65535 }, { 0, 0 } };
	struct l2tp_msgbuf b;
	struct l2tp_msg *m;
	uint8_t *copy;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 0xffff, 0xffff);
		l2tp_hdr_set_seq(b.buf, v[i][0], v[i][1]);
		assert_int_equal(encode_decode(&b, &m, &copy), 0);
		assert_int_equal(m->hdr.ns, v[i][0]);
		assert_int_equal(m->hdr.nr, v[i][1]);
		assert_int_equal(m->hdr.tunnel_id, 0xffff);
		assert_int_equal(m->hdr.session_id, 0xffff);
		/* set_seq touches nothing else */
		assert_int_equal(copy[0], 0xc8);
		assert_int_equal(copy[1], 0x02);
		free_msg(m, copy);
	}
}

/* -------------------------------------------------------------------------
 * Hiding algorithm against independent computations
 */

static const uint8_t test_rv[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

static void test_hidden_known_vector(void **state)
{
	/* computed outside this code base (a scripting language's MD5):
	 * MD5(00 09 | "tunnel-secret" | 00..0f) xor 00 02 12 34 */
	static const uint8_t want_short[] = { 0xd8, 0xc3, 0x8a, 0xb3 };
	/* type 21, value "0123456789abcdefghijklmnopqrstuvwxyz": three chunks */
	static const uint8_t want_long[] = {
		0xae, 0x68, 0x13, 0x11, 0x5a, 0x03, 0x5a, 0x67, 0xdb, 0x16, 0x51, 0x7c, 0xaa,
		0x2b, 0x5b, 0x9e, 0x90, 0x59, 0xcd, 0x63, 0xb6, 0xa7, 0xeb, 0xaa, 0x63, 0xd7,
		0x03, 0x4f, 0xfe, 0x27, 0x0c, 0x66, 0x81, 0x05, 0xe6, 0xa3, 0xa0, 0x70,
	};
	static const uint8_t val[] = { 0x12, 0x34 };
	static const char lval[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	uint8_t out[64], back[64];

	(void)state;
	assert_int_equal(l2tp_hidden_encode(9, secret, SECRET_LEN, test_rv, 16, val, 2, 0, out,
					    sizeof(out)), 4);
	assert_memory_equal(out, want_short, 4);
	assert_int_equal(l2tp_hidden_encode(21, secret, SECRET_LEN, test_rv, 16,
					    (const uint8_t *)lval, 36, 0, out, sizeof(out)), 38);
	assert_memory_equal(out, want_long, 38);

	assert_int_equal(l2tp_hidden_decode(9, secret, SECRET_LEN, test_rv, 16, want_short, 4,
					    back, sizeof(back)), 2);
	assert_memory_equal(back, val, 2);
	assert_int_equal(l2tp_hidden_decode(21, secret, SECRET_LEN, test_rv, 16, want_long, 38,
					    back, sizeof(back)), 36);
	assert_memory_equal(back, lval, 36);
}

/* The same, computed here with the MD5 primitive directly, with padding. */
static void test_hidden_vs_md5(void **state)
{
	uint8_t val[50], out[80], back[80], b[MD5_DIGEST_SIZE], p[80];
	const uint8_t tbe[2] = { 0x00, 0x1e };	/* type 30 */
	struct md5_ctx ctx;
	size_t i, total = 2 + sizeof(val) + 5;
	int n;

	(void)state;
	for (i = 0; i < sizeof(val); i++)
		val[i] = (uint8_t)(i * 7);
	n = l2tp_hidden_encode(30, secret, SECRET_LEN, test_rv, 16, val, sizeof(val), 5, out,
			       sizeof(out));
	assert_int_equal(n, (int)total);
	for (i = 0; i < total; i += 16) {
		md5_init(&ctx);
		if (i == 0) {
			md5_update(&ctx, 2, tbe);
			md5_update(&ctx, SECRET_LEN, secret);
			md5_update(&ctx, 16, test_rv);
		} else {
			md5_update(&ctx, SECRET_LEN, secret);
			md5_update(&ctx, 16, out + i - 16);
		}
		md5_digest(&ctx, sizeof(b), b);
		for (size_t j = 0; j < 16 && i + j < total; j++)
			p[i + j] = out[i + j] ^ b[j];
	}
	assert_int_equal(p[0], 0);
	assert_int_equal(p[1], sizeof(val));
	assert_memory_equal(p + 2, val, sizeof(val));
	assert_int_equal(l2tp_hidden_decode(30, secret, SECRET_LEN, test_rv, 16, out, total, back,
					    sizeof(back)), sizeof(val));
	assert_memory_equal(back, val, sizeof(val));
	/* a different type gives a different first key */
	assert_int_not_equal(l2tp_hidden_decode(31, secret, SECRET_LEN, test_rv, 16, out, total,
						back, sizeof(back)), sizeof(val));
}

static void test_hidden_errors(void **state)
{
	uint8_t out[8], in[4] = { 0 };
	static const uint8_t val[] = { 1, 2, 3 };

	(void)state;
	/* too small to hold Original Length */
	assert_int_equal(l2tp_hidden_decode(9, secret, SECRET_LEN, test_rv, 16, in, 0, out, 8),
			 -EBADMSG);
	assert_int_equal(l2tp_hidden_decode(9, secret, SECRET_LEN, test_rv, 16, in, 1, out, 8),
			 -EBADMSG);
	/* Original Length past the data: encode 3 bytes, offer only 4 of 5 */
	assert_int_equal(l2tp_hidden_encode(9, secret, SECRET_LEN, test_rv, 16, val, 3, 0, out,
					    sizeof(out)), 5);
	assert_int_equal(l2tp_hidden_decode(9, secret, SECRET_LEN, test_rv, 16, out, 4, in, 4),
			 -EBADMSG);
	/* output too small */
	assert_int_equal(l2tp_hidden_decode(9, secret, SECRET_LEN, test_rv, 16, out, 5, in, 2),
			 -ENOSPC);
	assert_int_equal(l2tp_hidden_encode(9, secret, SECRET_LEN, test_rv, 16, val, 3, 4, out, 8),
			 -ENOSPC);
}

/* -------------------------------------------------------------------------
 * Challenge / response (§4.2)
 */

static void test_auth_response(void **state)
{
	/* MD5(02 | "tunnel-secret" | a0..af) and MD5(03 | ...), computed outside */
	static const uint8_t want2[16] = { 0xad, 0x84, 0xde, 0xad, 0x06, 0x33, 0x50, 0x75,
					   0x40, 0xb5, 0x9c, 0xcd, 0x6f, 0x65, 0x6d, 0xc2 };
	static const uint8_t want3[16] = { 0x18, 0x5c, 0xbf, 0x8b, 0x35, 0xc8, 0xad, 0x33,
					   0xfe, 0x9b, 0x64, 0x52, 0xc7, 0x8d, 0xd0, 0xc1 };
	uint8_t chal[16], out[16], bad[16], ref[16];
	struct md5_ctx ctx;
	uint8_t t = 2;
	int i;

	(void)state;
	for (i = 0; i < 16; i++)
		chal[i] = (uint8_t)(0xa0 + i);
	l2tp_auth_response(L2TP_MSG_SCCRP, secret, SECRET_LEN, chal, 16, out);
	assert_memory_equal(out, want2, 16);
	md5_init(&ctx);
	md5_update(&ctx, 1, &t);
	md5_update(&ctx, SECRET_LEN, secret);
	md5_update(&ctx, 16, chal);
	md5_digest(&ctx, 16, ref);
	assert_memory_equal(out, ref, 16);
	l2tp_auth_response(L2TP_MSG_SCCCN, secret, SECRET_LEN, chal, 16, out);
	assert_memory_equal(out, want3, 16);

	assert_int_equal(l2tp_auth_check(L2TP_MSG_SCCRP, secret, SECRET_LEN, chal, 16, want2, 16), 0);
	assert_int_equal(l2tp_auth_check(L2TP_MSG_SCCCN, secret, SECRET_LEN, chal, 16, want3, 16), 0);
	/* the other message type's answer is not accepted */
	assert_int_not_equal(l2tp_auth_check(L2TP_MSG_SCCCN, secret, SECRET_LEN, chal, 16, want2, 16), 0);
	for (i = 0; i < 16; i++) {
		memcpy(bad, want2, 16);
		bad[i] ^= 0x80;
		assert_int_equal(l2tp_auth_check(L2TP_MSG_SCCRP, secret, SECRET_LEN, chal, 16, bad, 16),
				 -EACCES);
	}
	assert_int_not_equal(l2tp_auth_check(L2TP_MSG_SCCRP, secret, SECRET_LEN, chal, 16, want2, 15), 0);
	assert_int_not_equal(l2tp_auth_check(L2TP_MSG_SCCRP, secret, SECRET_LEN, chal, 16, NULL, 16), 0);
	assert_int_not_equal(l2tp_auth_check(L2TP_MSG_SCCRP, secret, SECRET_LEN - 1, chal, 16, want2, 16),
			     0);
}

static void test_random(void **state)
{
	uint8_t a[4096], b[4096];
	size_t i, nz = 0;

	(void)state;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	rand_bytes(a, sizeof(a));
	rand_bytes(b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
	for (i = 0; i < sizeof(a); i++)
		nz += a[i] != 0;
	assert_true(nz > sizeof(a) / 2);
	rand_bytes(a, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_covers_every_ietf_avp),
		cmocka_unit_test(test_table_rfc_rules),
		cmocka_unit_test(test_roundtrip_every_avp_plain),
		cmocka_unit_test(test_roundtrip_every_avp_hidden),
		cmocka_unit_test(test_hidden_one_random_vector),
		cmocka_unit_test(test_builder_hide_rules),
		cmocka_unit_test(test_builder_bounds),
		cmocka_unit_test(test_builder_mbit_overrides),
		cmocka_unit_test(test_result_code),
		cmocka_unit_test(test_version_and_zlb),
		cmocka_unit_test(test_vendor_avp),
		cmocka_unit_test(test_seq_extremes),
		cmocka_unit_test(test_hidden_known_vector),
		cmocka_unit_test(test_hidden_vs_md5),
		cmocka_unit_test(test_hidden_errors),
		cmocka_unit_test(test_auth_response),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
