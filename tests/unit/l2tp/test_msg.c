/*
 * Control message decoding (RFC 2661 §3.1, §4.1, §4.3, §6): every message
 * type, the required AVPs, and malformed input.  Inputs are copied into
 * buffers of exactly their size so that the address sanitizer catches any
 * read past the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "l2tp/avp.h"
#include "l2tp/msg.h"
#include "l2tp/hidden.h"
#include "l2tp/auth.h"

static const uint8_t secret[] = "s3cr3t";
#define SECRET_LEN (sizeof(secret) - 1)

static const uint16_t all_types[] = {
	L2TP_MSG_SCCRQ, L2TP_MSG_SCCRP, L2TP_MSG_SCCCN, L2TP_MSG_STOPCCN, L2TP_MSG_HELLO,
	L2TP_MSG_OCRQ, L2TP_MSG_OCRP, L2TP_MSG_OCCN, L2TP_MSG_ICRQ, L2TP_MSG_ICRP,
	L2TP_MSG_ICCN, L2TP_MSG_CDN, L2TP_MSG_WEN, L2TP_MSG_SLI,
};
#define N_TYPES (sizeof(all_types) / sizeof(all_types[0]))

static int is_session_msg(uint16_t t)
{
	return t == L2TP_MSG_ICRQ || t == L2TP_MSG_ICRP || t == L2TP_MSG_ICCN ||
	       t == L2TP_MSG_OCRQ || t == L2TP_MSG_OCRP || t == L2TP_MSG_OCCN ||
	       t == L2TP_MSG_CDN || t == L2TP_MSG_WEN || t == L2TP_MSG_SLI;
}

/* Per-test state: the message and the exact-size input it points into. */
struct fixture {
	struct l2tp_msg *m;
	uint8_t *in;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->m = calloc(1, sizeof(*f->m));
	if (f->m == NULL) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->in);
	free(f->m);
	free(f);
	return 0;
}

static int decode(struct fixture *f, const uint8_t *p, size_t n)
{
	free(f->in);
	f->in = malloc(n ? n : 1);
	assert_non_null(f->in);
	if (n)
		memcpy(f->in, p, n);
	return l2tp_msg_decode(f->in, n, f->m);
}

static int decode_buf(struct fixture *f, struct l2tp_msgbuf *b)
{
	int n = l2tp_msgbuf_finish(b);

	assert_true(n >= 12);
	return decode(f, b->buf, (size_t)n);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Put every AVP §6 requires for type, except skip (-1: none). */
static void put_required(struct l2tp_msgbuf *b, uint16_t type, int skip)
{
	static const uint8_t call_errors[26] = { 0, 0, 0, 0, 0, 1 };
	static const uint8_t accm[10] = { 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0 };

#define REQ(t, stmt) do { if (skip != (t)) { stmt; } } while (0)
	switch (type) {
	case L2TP_MSG_SCCRQ:
	case L2TP_MSG_SCCRP:
		REQ(L2TP_AVP_PROTOCOL_VERSION, l2tp_avp_put_version(b));
		REQ(L2TP_AVP_HOST_NAME, l2tp_avp_put_str(b, L2TP_AVP_HOST_NAME, "lac1", 0));
		REQ(L2TP_AVP_FRAMING_CAP, l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_CAP, 3, 0));
		REQ(L2TP_AVP_ASSIGNED_TUNNEL_ID,
		    l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_TUNNEL_ID, 33003, 0));
		break;
	case L2TP_MSG_STOPCCN:
		REQ(L2TP_AVP_ASSIGNED_TUNNEL_ID,
		    l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_TUNNEL_ID, 33003, 0));
		REQ(L2TP_AVP_RESULT_CODE, l2tp_avp_put_result(b, 1, -1, NULL));
		break;
	case L2TP_MSG_OCRQ:
		REQ(L2TP_AVP_ASSIGNED_SESSION_ID,
		    l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_SESSION_ID, 10, 0));
		REQ(L2TP_AVP_CALL_SERIAL_NUMBER,
		    l2tp_avp_put_u32(b, L2TP_AVP_CALL_SERIAL_NUMBER, 1, 0));
		REQ(L2TP_AVP_MINIMUM_BPS, l2tp_avp_put_u32(b, L2TP_AVP_MINIMUM_BPS, 9600, 0));
		REQ(L2TP_AVP_MAXIMUM_BPS, l2tp_avp_put_u32(b, L2TP_AVP_MAXIMUM_BPS, 1000000, 0));
		REQ(L2TP_AVP_BEARER_TYPE, l2tp_avp_put_u32(b, L2TP_AVP_BEARER_TYPE, 1, 0));
		REQ(L2TP_AVP_FRAMING_TYPE, l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_TYPE, 1, 0));
		REQ(L2TP_AVP_CALLED_NUMBER, l2tp_avp_put_str(b, L2TP_AVP_CALLED_NUMBER, "123", 0));
		break;
	case L2TP_MSG_OCRP:
	case L2TP_MSG_ICRP:
		REQ(L2TP_AVP_ASSIGNED_SESSION_ID,
		    l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_SESSION_ID, 10, 0));
		break;
	case L2TP_MSG_ICRQ:
		REQ(L2TP_AVP_ASSIGNED_SESSION_ID,
		    l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_SESSION_ID, 10, 0));
		REQ(L2TP_AVP_CALL_SERIAL_NUMBER,
		    l2tp_avp_put_u32(b, L2TP_AVP_CALL_SERIAL_NUMBER, 1, 0));
		break;
	case L2TP_MSG_OCCN:
	case L2TP_MSG_ICCN:
		REQ(L2TP_AVP_TX_CONNECT_SPEED,
		    l2tp_avp_put_u32(b, L2TP_AVP_TX_CONNECT_SPEED, 100000000, 0));
		REQ(L2TP_AVP_FRAMING_TYPE, l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_TYPE, 1, 0));
		break;
	case L2TP_MSG_CDN:
		REQ(L2TP_AVP_RESULT_CODE, l2tp_avp_put_result(b, 3, -1, NULL));
		REQ(L2TP_AVP_ASSIGNED_SESSION_ID,
		    l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_SESSION_ID, 10, 0));
		break;
	case L2TP_MSG_WEN:
		REQ(L2TP_AVP_CALL_ERRORS, l2tp_avp_put(b, L2TP_AVP_CALL_ERRORS, call_errors, 26, 0));
		break;
	case L2TP_MSG_SLI:
		REQ(L2TP_AVP_ACCM, l2tp_avp_put(b, L2TP_AVP_ACCM, accm, 10, 0));
		break;
	default:
		break;
	}
#undef REQ
}

/* AVP types §6 requires for a message type, Message Type excluded. */
static unsigned required_of(uint16_t type, uint16_t *out)
{
	struct l2tp_msgbuf b;
	unsigned n = 0;
	size_t off;

	l2tp_msgbuf_init(&b, type, 1, 0);
	put_required(&b, type, -1);
	for (off = 20; off < b.len; off += (size_t)((b.buf[off] << 8 | b.buf[off + 1]) & 0x3ff))
		out[n++] = (uint16_t)(b.buf[off + 4] << 8 | b.buf[off + 5]);
	return n;
}

/* A valid SCCRQ, finished. */
static int build_sccrq(struct l2tp_msgbuf *b)
{
	l2tp_msgbuf_init(b, L2TP_MSG_SCCRQ, 0, 0);
	put_required(b, L2TP_MSG_SCCRQ, -1);
	return l2tp_msgbuf_finish(b);
}

/* -------------------------------------------------------------------------
 * Well-formed messages
 */

static void test_every_message_type(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	uint16_t req[16];
	unsigned i, j, n;

	for (i = 0; i < N_TYPES; i++) {
		l2tp_msgbuf_init(&b, all_types[i], 100, is_session_msg(all_types[i]) ? 200 : 0);
		put_required(&b, all_types[i], -1);
		assert_int_equal(decode_buf(f, &b), 0);
		assert_int_equal(f->m->type, all_types[i]);
		assert_true(f->m->type_known);
		assert_int_equal(f->m->hdr.tunnel_id, 100);
		assert_int_equal(f->m->err.result, 0);
		assert_string_equal(f->m->err.text, "");
		n = required_of(all_types[i], req);
		for (j = 0; j < n; j++)
			assert_true(l2tp_msg_has(f->m, req[j]));
	}
}

static void test_missing_required(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	uint16_t req[16], t;
	unsigned i, j, n, checked = 0;
	int ret;

	for (i = 0; i < N_TYPES; i++) {
		t = all_types[i];
		n = required_of(t, req);
		for (j = 0; j < n; j++) {
			l2tp_msgbuf_init(&b, t, 100, 0);
			put_required(&b, t, req[j]);
			ret = decode_buf(f, &b);
			checked++;
			/* peers that leave these out are tolerated, with a note */
			if ((t == L2TP_MSG_STOPCCN && req[j] == L2TP_AVP_ASSIGNED_TUNNEL_ID) ||
			    (t == L2TP_MSG_CDN && req[j] == L2TP_AVP_ASSIGNED_SESSION_ID)) {
				assert_int_equal(ret, 0);
				assert_int_equal(f->m->err.result, 0);
				assert_int_equal(f->m->err.avp_type, req[j]);
				assert_non_null(strstr(f->m->err.text, "tolerated"));
				continue;
			}
			assert_int_equal(ret, -EBADMSG);
			assert_int_equal(f->m->err.result, 2);
			assert_int_equal(f->m->err.avp_type, req[j]);
			assert_int_equal(f->m->err.session_level, is_session_msg(t));
			assert_non_null(strstr(f->m->err.text, "without required"));
		}
	}
	assert_int_equal(checked, 4 + 4 + 2 + 7 + 1 + 2 + 2 + 1 + 2 + 2 + 1 + 1);
}

/* A hidden required AVP counts as present (l2tp_msg.h). */
static void test_required_hidden_counts(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	uint16_t v;

	l2tp_msgbuf_init(&b, L2TP_MSG_ICRP, 1, 2);
	l2tp_msgbuf_set_secret(&b, secret, SECRET_LEN);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_SESSION_ID, 4711, L2TP_PUT_HIDE);
	assert_int_equal(decode_buf(f, &b), 0);
	assert_true(l2tp_msg_has(f->m, L2TP_AVP_ASSIGNED_SESSION_ID));
	assert_int_equal(l2tp_msg_get_u16(f->m, L2TP_AVP_ASSIGNED_SESSION_ID, &v), -EAGAIN);
	assert_int_equal(l2tp_msg_unhide(f->m, secret, SECRET_LEN), 0);
	assert_int_equal(l2tp_msg_get_u16(f->m, L2TP_AVP_ASSIGNED_SESSION_ID, &v), 0);
	assert_int_equal(v, 4711);
}

static void test_zlb(void **state)
{
	struct fixture *f = *state;
	uint8_t p[16] = { 0xc8, 0x02, 0x00, 0x0c, 0x12, 0x34, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00 };

	assert_int_equal(decode(f, p, 12), 0);
	assert_int_equal(f->m->type, L2TP_MSG_ZLB);
	assert_true(f->m->type_known);
	assert_int_equal(f->m->n_avps, 0);
	assert_int_equal(f->m->hdr.tunnel_id, 0x1234);
	assert_int_equal(f->m->hdr.ns, 65535);
	assert_int_equal(f->m->hdr.nr, 0);
	/* UDP padding after Length is ignored (l2tp_msg.h) */
	assert_int_equal(decode(f, p, 16), 0);
	assert_int_equal(f->m->type, L2TP_MSG_ZLB);
}

static void test_ns_nr_extremes(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;

	build_sccrq(&b);
	l2tp_hdr_set_seq(b.buf, 65535, 0);
	assert_int_equal(decode_buf(f, &b), 0);
	assert_int_equal(f->m->hdr.ns, 65535);
	assert_int_equal(f->m->hdr.nr, 0);
	l2tp_hdr_set_seq(b.buf, 0, 65535);
	assert_int_equal(decode_buf(f, &b), 0);
	assert_int_equal(f->m->hdr.ns, 0);
	assert_int_equal(f->m->hdr.nr, 65535);
}

static void test_duplicates(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	char s[16];

	l2tp_msgbuf_init(&b, L2TP_MSG_SCCRQ, 0, 0);
	put_required(&b, L2TP_MSG_SCCRQ, -1);
	l2tp_avp_put_str(&b, L2TP_AVP_HOST_NAME, "second", 0);
	assert_int_equal(decode_buf(f, &b), 0);
	assert_int_equal(l2tp_msg_get_str(f->m, L2TP_AVP_HOST_NAME, s, sizeof(s)), 0);
	assert_string_equal(s, "lac1");
	assert_int_equal(f->m->n_avps, 6);
	assert_int_equal(f->m->avps[5].type, L2TP_AVP_HOST_NAME);
	assert_memory_equal(f->m->avps[5].val, "second", 6);
}

/* -------------------------------------------------------------------------
 * Header errors
 */

static void test_truncated_header(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	struct l2tp_hdr h;
	size_t n;
	int len = build_sccrq(&b);

	assert_true(len > 12);
	for (n = 0; n < 12; n++) {
		assert_int_equal(decode(f, b.buf, n), -EBADMSG);
		assert_int_equal(f->m->err.result, 0);	/* just discard */
		assert_int_equal(l2tp_hdr_parse(f->in, n, &h), -EBADMSG);
	}
	/* every truncation of the whole message, too */
	for (n = 12; n < (size_t)len; n++)
		assert_int_equal(decode(f, b.buf, n), -EBADMSG);
	assert_int_equal(decode(f, b.buf, (size_t)len), 0);
	assert_int_equal(l2tp_hdr_parse(NULL, 0, &h), -EBADMSG);
}

static void test_length_field(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	int len = build_sccrq(&b);

	/* Length larger than what arrived */
	wr16(b.buf + 2, (uint16_t)(len + 1));
	assert_int_equal(decode(f, b.buf, (size_t)len), -EBADMSG);
	wr16(b.buf + 2, 0xffff);
	assert_int_equal(decode(f, b.buf, (size_t)len), -EBADMSG);
	/* Length smaller than the header */
	wr16(b.buf + 2, 11);
	assert_int_equal(decode(f, b.buf, (size_t)len), -EBADMSG);
	wr16(b.buf + 2, 0);
	assert_int_equal(decode(f, b.buf, (size_t)len), -EBADMSG);
	/* Length cutting into an AVP */
	wr16(b.buf + 2, (uint16_t)(len - 1));
	assert_int_equal(decode(f, b.buf, (size_t)len), -EBADMSG);
	assert_int_equal(f->m->err.error, L2TP_ERR_BAD_LENGTH);
	/* larger than we accept */
	{
		uint8_t *big = calloc(1, 5000);

		assert_non_null(big);
		memcpy(big, b.buf, (size_t)len);
		wr16(big + 2, 5000);
		assert_int_equal(decode(f, big, 5000), -EBADMSG);
		free(big);
	}
}

static void test_bad_version(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	int len = build_sccrq(&b);
	uint8_t v;

	for (v = 0; v < 16; v++) {
		if (v == 2)
			continue;
		b.buf[1] = (uint8_t)((b.buf[1] & 0xf0) | v);
		/* §3.1: L2F (1), L2TPv3 (3) and the rest are discarded */
		assert_int_equal(decode(f, b.buf, (size_t)len), -EPROTONOSUPPORT);
		assert_int_equal(f->m->err.result, 0);
		assert_int_equal(f->m->hdr.ver, v);
		/* even when short */
		assert_int_equal(decode(f, b.buf, 2), -EPROTONOSUPPORT);
	}
}

static void test_bad_flags(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	int len = build_sccrq(&b);
	uint8_t orig = b.buf[0];

	/* §3.1: L=1 S=1 O=0 for control messages */
	b.buf[0] = orig & (uint8_t)~(L2TP_HDR_L >> 8);
	assert_int_equal(decode(f, b.buf, (size_t)len), -EBADMSG);
	assert_int_equal(f->m->err.result, 0);
	b.buf[0] = orig & (uint8_t)~(L2TP_HDR_S >> 8);
	assert_int_equal(decode(f, b.buf, (size_t)len), -EBADMSG);
	b.buf[0] = orig | (L2TP_HDR_O >> 8);
	assert_int_equal(decode(f, b.buf, (size_t)len), -EBADMSG);
	/* T=0: a data message, not for the control decoder */
	b.buf[0] = orig & (uint8_t)~(L2TP_HDR_T >> 8);
	assert_int_equal(decode(f, b.buf, (size_t)len), -EBADMSG);
	assert_false(f->m->hdr.is_ctrl);
	/* P bit is only a sender rule: accepted */
	b.buf[0] = orig | (L2TP_HDR_P >> 8);
	assert_int_equal(decode(f, b.buf, (size_t)len), 0);
}

static void test_data_header(void **state)
{
	struct l2tp_hdr h;
	/* L, S, O set: flags, Length, Tid, Sid, Ns, Nr, Offset Size 2, pad, payload */
	static const uint8_t full[] = { 0x4b, 0x02, 0x00, 0x14, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03,
					0x00, 0x04, 0x00, 0x02, 0xaa, 0xbb, 0xff, 0x03, 0xc0, 0x21 };
	static const uint8_t bare[] = { 0x00, 0x02, 0x00, 0x05, 0x00, 0x06, 0xff, 0x03 };
	uint8_t *p;
	size_t n;

	(void)state;
	p = malloc(sizeof(full));
	assert_non_null(p);
	memcpy(p, full, sizeof(full));
	assert_int_equal(l2tp_hdr_parse(p, sizeof(full), &h), 0);
	assert_false(h.is_ctrl);
	assert_int_equal(h.length, 20);
	assert_int_equal(h.tunnel_id, 1);
	assert_int_equal(h.session_id, 2);
	assert_int_equal(h.ns, 3);
	assert_int_equal(h.nr, 4);
	assert_int_equal(h.hdr_len, 16);
	for (n = 0; n < 16; n++)
		assert_int_equal(l2tp_hdr_parse(p, n, &h), -EBADMSG);
	/* Offset Size past the end */
	p[13] = 0x10;
	assert_int_equal(l2tp_hdr_parse(p, sizeof(full), &h), -EBADMSG);
	free(p);

	p = malloc(sizeof(bare));
	assert_non_null(p);
	memcpy(p, bare, sizeof(bare));
	assert_int_equal(l2tp_hdr_parse(p, sizeof(bare), &h), 0);
	assert_int_equal(h.tunnel_id, 5);
	assert_int_equal(h.session_id, 6);
	assert_int_equal(h.hdr_len, 6);
	assert_int_equal(h.length, sizeof(bare));
	for (n = 0; n < 6; n++)
		assert_int_equal(l2tp_hdr_parse(p, n, &h), -EBADMSG);
	free(p);
}

/* -------------------------------------------------------------------------
 * AVP errors
 */

static void test_avp_length_below_6(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	int len = build_sccrq(&b);
	uint16_t l;

	/* the second AVP starts at 20 */
	for (l = 0; l < 6; l++) {
		b.buf[20] = (uint8_t)((b.buf[20] & 0xfc) | (l >> 8));
		b.buf[21] = (uint8_t)l;
		assert_int_equal(decode(f, b.buf, (size_t)len), -EBADMSG);
		assert_int_equal(f->m->err.result, 2);
		assert_int_equal(f->m->err.error, L2TP_ERR_BAD_LENGTH);
		assert_non_null(strstr(f->m->err.text, "< 6"));
	}
	/* in the first AVP too */
	build_sccrq(&b);
	b.buf[13] = 5;
	assert_int_equal(decode(f, b.buf, (size_t)len), -EBADMSG);
}

static void test_avp_past_end(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	uint8_t *last;
	int len;

	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_str(&b, L2TP_AVP_VENDOR_NAME, "vendor", 0);
	len = l2tp_msgbuf_finish(&b);
	last = b.buf + 20;
	last[1] = (uint8_t)(last[1] + 1);	/* one byte longer than the message */
	assert_int_equal(decode(f, b.buf, (size_t)len), -EBADMSG);
	assert_int_equal(f->m->err.error, L2TP_ERR_BAD_LENGTH);
	assert_int_equal(f->m->err.avp_type, L2TP_AVP_VENDOR_NAME);
	assert_non_null(strstr(f->m->err.text, "past"));
	/* maximum AVP length in a short message */
	last[0] |= 0x03;
	last[1] = 0xff;
	assert_int_equal(decode(f, b.buf, (size_t)len), -EBADMSG);

	/* 1..5 stray bytes after the last AVP, inside Length */
	for (size_t extra = 1; extra < 6; extra++) {
		l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
		len = l2tp_msgbuf_finish(&b);
		memset(b.buf + len, 0, extra);
		wr16(b.buf + 2, (uint16_t)(len + (int)extra));
		assert_int_equal(decode(f, b.buf, (size_t)len + extra), -EBADMSG);
		assert_int_equal(f->m->err.error, L2TP_ERR_BAD_LENGTH);
	}
}

static void test_first_avp_not_message_type(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	uint8_t p[64];
	size_t n = 12;

	memset(p, 0, sizeof(p));
	p[0] = 0xc8;
	p[1] = 0x02;
	/* Host Name first */
	wr16(p + n, L2TP_AVP_M | 9);
	wr16(p + n + 4, L2TP_AVP_HOST_NAME);
	memcpy(p + n + 6, "abc", 3);
	n += 9;
	wr16(p + n, L2TP_AVP_M | 8);
	wr16(p + n + 6, L2TP_MSG_HELLO);
	n += 8;
	wr16(p + 2, (uint16_t)n);
	assert_int_equal(decode(f, p, n), -EBADMSG);
	assert_int_equal(f->m->err.result, 2);
	assert_int_equal(f->m->err.avp_type, L2TP_AVP_HOST_NAME);
	assert_non_null(strstr(f->m->err.text, "not Message Type"));

	/* a vendor AVP of type 0 is not the Message Type either */
	l2tp_msgbuf_init_zlb(&b, 1);
	l2tp_avp_put_raw(&b, 9, 0, L2TP_AVP_M, "\x00\x06", 2);
	assert_int_equal(decode_buf(f, &b), -EBADMSG);

	/* hidden Message Type (§4.4.1) */
	l2tp_msgbuf_init_zlb(&b, 1);
	l2tp_avp_put_raw(&b, 0, 0, L2TP_AVP_M | L2TP_AVP_H, "\x00\x06", 2);
	assert_int_equal(decode_buf(f, &b), -EBADMSG);
	assert_non_null(strstr(f->m->err.text, "hidden"));

	/* Message Type of the wrong length */
	l2tp_msgbuf_init_zlb(&b, 1);
	l2tp_avp_put_raw(&b, 0, 0, L2TP_AVP_M, "\x00\x06\x00", 3);
	assert_int_equal(decode_buf(f, &b), -EBADMSG);
	assert_int_equal(f->m->err.error, L2TP_ERR_BAD_LENGTH);
	l2tp_msgbuf_init_zlb(&b, 1);
	l2tp_avp_put_raw(&b, 0, 0, L2TP_AVP_M, NULL, 0);
	assert_int_equal(decode_buf(f, &b), -EBADMSG);
}

static void test_unknown_message_type(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	static const uint16_t unknown[] = { 5, 13, 17, 99, 0xffff };
	size_t i;
	char line[256];

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		/* §4.4.1: with M the tunnel is cleared */
		l2tp_msgbuf_init(&b, unknown[i], 1, 2);
		assert_int_equal(decode_buf(f, &b), -ENOTSUP);
		assert_int_equal(f->m->err.result, L2TP_STOPCCN_GENERAL_ERROR);
		assert_int_equal(f->m->err.error, L2TP_ERR_UNKNOWN_MANDATORY);
		assert_int_equal(f->m->err.avp_type, L2TP_AVP_MESSAGE_TYPE);
		assert_int_equal(f->m->err.session_level, 0);

		/* without M it is decoded, to be ignored (and acknowledged) */
		l2tp_msgbuf_init_zlb(&b, 1);
		l2tp_avp_put_u16(&b, L2TP_AVP_MESSAGE_TYPE, unknown[i], L2TP_PUT_NOM);
		l2tp_avp_put_raw(&b, 0, 77, L2TP_AVP_M, "x", 1);
		assert_int_equal(decode_buf(f, &b), 0);
		assert_false(f->m->type_known);
		assert_int_equal(f->m->type, unknown[i]);
		l2tp_msg_format(f->m, line, sizeof(line));
		assert_non_null(strstr(line, "unknown"));
	}
	/* a known type without the M bit is fine */
	l2tp_msgbuf_init_zlb(&b, 1);
	l2tp_avp_put_u16(&b, L2TP_AVP_MESSAGE_TYPE, L2TP_MSG_HELLO, L2TP_PUT_NOM);
	assert_int_equal(decode_buf(f, &b), 0);
	assert_true(f->m->type_known);
}

static void check_unknown_mandatory(struct fixture *f, uint16_t msg_type, uint16_t vendor,
				    uint16_t avp_type)
{
	struct l2tp_msgbuf b;

	l2tp_msgbuf_init(&b, msg_type, 1, 2);
	put_required(&b, msg_type, -1);
	l2tp_avp_put_raw(&b, vendor, avp_type, L2TP_AVP_M, "\x01\x02\x03", 3);
	assert_int_equal(decode_buf(f, &b), -ENOTSUP);
	/* §4.1: General error, "unknown AVP with the M-bit set" */
	assert_int_equal(f->m->err.result, 2);
	assert_int_equal(f->m->err.error, 8);
	assert_int_equal(f->m->err.avp_vendor, vendor);
	assert_int_equal(f->m->err.avp_type, avp_type);
	/* a session message clears the session (CDN), others the tunnel */
	assert_int_equal(f->m->err.session_level, is_session_msg(msg_type));
}

static void test_unknown_mandatory_avp(void **state)
{
	struct fixture *f = *state;
	unsigned i;

	check_unknown_mandatory(f, L2TP_MSG_SCCRQ, 0, 40);
	check_unknown_mandatory(f, L2TP_MSG_HELLO, 0, 20);
	check_unknown_mandatory(f, L2TP_MSG_STOPCCN, 311, 1);
	check_unknown_mandatory(f, L2TP_MSG_ICRQ, 0, 40);
	check_unknown_mandatory(f, L2TP_MSG_CDN, 9, 0);
	for (i = 0; i < N_TYPES; i++)
		check_unknown_mandatory(f, all_types[i], 0, 0x1234);
}

static void test_unknown_optional_skipped(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	char line[512];

	l2tp_msgbuf_init(&b, L2TP_MSG_ICRQ, 1, 0);
	put_required(&b, L2TP_MSG_ICRQ, -1);
	l2tp_avp_put_raw(&b, 0, 20, 0, "ab", 2);
	l2tp_avp_put_raw(&b, 0, 40, 0, NULL, 0);
	l2tp_avp_put_raw(&b, 0, 0xffff, 0, "abcdef", 6);
	l2tp_avp_put_raw(&b, 311, 1, 0, "\x00\x00\x00\x01", 4);
	l2tp_avp_put_raw(&b, 311, 2, L2TP_AVP_H, "\x00\x00\x00\x01", 4);
	assert_int_equal(decode_buf(f, &b), 0);
	assert_int_equal(f->m->n_unknown_skipped, 5);
	assert_int_equal(f->m->idx[20], -1);
	assert_int_equal(f->m->n_avps, 8);
	/* an unknown hidden AVP without a Random Vector is simply left hidden */
	assert_int_equal(l2tp_msg_unhide(f->m, secret, SECRET_LEN), 0);
	assert_int_equal(l2tp_msg_unhide(f->m, NULL, 0), 0);
	assert_true(f->m->avps[7].hidden_pending);
	l2tp_msg_format(f->m, line, sizeof(line));
	assert_non_null(strstr(line, "vendor=311 type=2 H=(hidden)"));
	assert_non_null(strstr(line, "unknown_skipped=5"));
}

/* §4.1: an AVP with reserved bits set is treated as unrecognized */
static void test_reserved_bits(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;

	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_FIRMWARE_REV, 0x0400, "\x01\x00", 2);
	assert_int_equal(decode_buf(f, &b), 0);
	assert_int_equal(f->m->n_unknown_skipped, 1);
	assert_false(l2tp_msg_has(f->m, L2TP_AVP_FIRMWARE_REV));

	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_ASSIGNED_TUNNEL_ID, L2TP_AVP_M | 0x2000, "\x01\x00", 2);
	assert_int_equal(decode_buf(f, &b), -ENOTSUP);
	assert_int_equal(f->m->err.error, L2TP_ERR_UNKNOWN_MANDATORY);
	assert_int_equal(f->m->err.avp_type, L2TP_AVP_ASSIGNED_TUNNEL_ID);

	/* so a required AVP with reserved bits is missing */
	l2tp_msgbuf_init(&b, L2TP_MSG_ICRP, 1, 0);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_ASSIGNED_SESSION_ID, 0x1000, "\x01\x00", 2);
	assert_int_equal(decode_buf(f, &b), -EBADMSG);
	assert_int_equal(f->m->err.avp_type, L2TP_AVP_ASSIGNED_SESSION_ID);
}

static void test_value_length_bounds(void **state)
{
	static const struct { uint16_t type; size_t len; } bad[] = {
		{ L2TP_AVP_ASSIGNED_TUNNEL_ID, 1 }, { L2TP_AVP_ASSIGNED_TUNNEL_ID, 3 },
		{ L2TP_AVP_CHALLENGE_RESPONSE, 15 }, { L2TP_AVP_CHALLENGE_RESPONSE, 17 },
		{ L2TP_AVP_SEQUENCING_REQUIRED, 1 }, { L2TP_AVP_HOST_NAME, 0 },
		{ L2TP_AVP_RESULT_CODE, 1 }, { L2TP_AVP_Q931_CAUSE, 2 }, { L2TP_AVP_TIE_BREAKER, 7 },
		{ L2TP_AVP_CALL_ERRORS, 25 }, { L2TP_AVP_ACCM, 11 }, { L2TP_AVP_RANDOM_VECTOR, 0 },
		{ L2TP_AVP_CHALLENGE, 0 }, { L2TP_AVP_PROTOCOL_VERSION, 1 },
	};
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	uint8_t v[32] = { 0 };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		l2tp_msgbuf_init(&b, L2TP_MSG_ICRQ, 1, 0);
		put_required(&b, L2TP_MSG_ICRQ, -1);
		l2tp_avp_put_raw(&b, 0, bad[i].type, L2TP_AVP_M, v, bad[i].len);
		assert_int_equal(decode_buf(f, &b), -EBADMSG);
		assert_int_equal(f->m->err.result, 2);
		assert_int_equal(f->m->err.error, L2TP_ERR_BAD_LENGTH);
		assert_int_equal(f->m->err.avp_type, bad[i].type);
		assert_int_equal(f->m->err.session_level, 1);
	}
}

static void test_too_many_avps(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	int i;

	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	for (i = 1; i < L2TP_MSG_MAX_AVPS; i++)
		l2tp_avp_put(&b, L2TP_AVP_SEQUENCING_REQUIRED, NULL, 0, 0);
	assert_int_equal(decode_buf(f, &b), 0);
	assert_int_equal(f->m->n_avps, L2TP_MSG_MAX_AVPS);
	l2tp_avp_put(&b, L2TP_AVP_SEQUENCING_REQUIRED, NULL, 0, 0);
	assert_int_equal(decode_buf(f, &b), -E2BIG);
}

/* -------------------------------------------------------------------------
 * Hidden AVPs (§4.3)
 */

static void test_hidden_without_secret(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;

	l2tp_msgbuf_init(&b, L2TP_MSG_ICRQ, 1, 0);
	l2tp_msgbuf_set_secret(&b, secret, SECRET_LEN);
	put_required(&b, L2TP_MSG_ICRQ, L2TP_AVP_ASSIGNED_SESSION_ID);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_SESSION_ID, 99, L2TP_PUT_HIDE);
	assert_int_equal(decode_buf(f, &b), 0);
	assert_int_equal(f->m->n_hidden, 1);
	assert_int_equal(l2tp_msg_unhide(f->m, NULL, 0), -ENOKEY);
	assert_int_equal(f->m->err.avp_type, L2TP_AVP_ASSIGNED_SESSION_ID);
	assert_int_equal(f->m->err.session_level, 1);
	assert_int_equal(l2tp_msg_unhide(f->m, secret, 0), -ENOKEY);
	assert_int_equal(l2tp_msg_unhide(f->m, secret, SECRET_LEN), 0);
}

static void test_hidden_without_random_vector(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	uint8_t hv[8];
	int n;

	n = l2tp_hidden_encode(L2TP_AVP_ASSIGNED_TUNNEL_ID, secret, SECRET_LEN,
			       (const uint8_t *)"0123456789abcdef", 16, (const uint8_t *)"\x00\x07", 2,
			       0, hv, sizeof(hv));
	assert_int_equal(n, 4);
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_ASSIGNED_TUNNEL_ID, L2TP_AVP_M | L2TP_AVP_H, hv, 4);
	/* a Random Vector after the hidden AVP does not count */
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_RANDOM_VECTOR, L2TP_AVP_M, "0123456789abcdef", 16);
	assert_int_equal(decode_buf(f, &b), 0);
	assert_int_equal(f->m->avps[1].rv_idx, -1);
	assert_int_equal(l2tp_msg_unhide(f->m, secret, SECRET_LEN), -EBADMSG);
	assert_non_null(strstr(f->m->err.text, "Random Vector"));
	assert_int_equal(f->m->err.avp_type, L2TP_AVP_ASSIGNED_TUNNEL_ID);
}

/* The Random Vector in force is the last one before the hidden AVP. */
static void test_hidden_random_vector_in_force(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	uint16_t v;
	uint32_t u;

	l2tp_msgbuf_init(&b, L2TP_MSG_ICRQ, 1, 0);
	l2tp_msgbuf_set_secret(&b, secret, SECRET_LEN);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_RANDOM_VECTOR, L2TP_AVP_M, "AAAAAAAAAAAAAAAA", 16);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_SESSION_ID, 1234, L2TP_PUT_HIDE);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_RANDOM_VECTOR, L2TP_AVP_M, "BBBBBBBBBBBBBBBB", 16);
	l2tp_avp_put_u32(&b, L2TP_AVP_CALL_SERIAL_NUMBER, 0xfeedf00d, L2TP_PUT_HIDE);
	assert_int_equal(decode_buf(f, &b), 0);
	assert_int_equal(f->m->n_avps, 5);
	assert_int_equal(f->m->avps[2].rv_idx, 1);
	assert_int_equal(f->m->avps[4].rv_idx, 3);
	assert_int_equal(l2tp_msg_unhide(f->m, secret, SECRET_LEN), 0);
	assert_int_equal(l2tp_msg_get_u16(f->m, L2TP_AVP_ASSIGNED_SESSION_ID, &v), 0);
	assert_int_equal(v, 1234);
	assert_int_equal(l2tp_msg_get_u32(f->m, L2TP_AVP_CALL_SERIAL_NUMBER, &u), 0);
	assert_int_equal(u, 0xfeedf00d);
}

static void test_hidden_bad_contents(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	static const uint8_t rv[16] = "RRRRRRRRRRRRRRRR";
	uint8_t hv[16];
	int n;

	/* revealed value of the wrong length for the AVP */
	n = l2tp_hidden_encode(L2TP_AVP_FIRMWARE_REV, secret, SECRET_LEN, rv, 16,
			       (const uint8_t *)"abc", 3, 0, hv, sizeof(hv));
	assert_int_equal(n, 5);
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_RANDOM_VECTOR, L2TP_AVP_M, rv, 16);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_FIRMWARE_REV, L2TP_AVP_H, hv, (size_t)n);
	assert_int_equal(decode_buf(f, &b), 0);
	assert_int_equal(l2tp_msg_unhide(f->m, secret, SECRET_LEN), -EBADMSG);
	assert_int_equal(f->m->err.error, L2TP_ERR_BAD_LENGTH);
	assert_int_equal(f->m->err.avp_type, L2TP_AVP_FIRMWARE_REV);

	/* Original Length larger than what follows it */
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_RANDOM_VECTOR, L2TP_AVP_M, rv, 16);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_FIRMWARE_REV, L2TP_AVP_H, hv, (size_t)n - 2);
	assert_int_equal(decode_buf(f, &b), 0);
	assert_int_equal(l2tp_msg_unhide(f->m, secret, SECRET_LEN), -EBADMSG);

	/* a hidden AVP too short for Original Length */
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_RANDOM_VECTOR, L2TP_AVP_M, rv, 16);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_FIRMWARE_REV, L2TP_AVP_H, hv, 1);
	assert_int_equal(decode_buf(f, &b), -EBADMSG);

	/* a hidden Random Vector */
	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_raw(&b, 0, L2TP_AVP_RANDOM_VECTOR, L2TP_AVP_M | L2TP_AVP_H, rv, 16);
	assert_int_equal(decode_buf(f, &b), -EBADMSG);
}

/* -------------------------------------------------------------------------
 * Accessors, format, names
 */

static void test_accessors(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	struct l2tp_result r;
	const uint8_t *v;
	size_t len;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	char s[8];

	l2tp_msgbuf_init(&b, L2TP_MSG_SCCRQ, 0, 0);
	put_required(&b, L2TP_MSG_SCCRQ, L2TP_AVP_HOST_NAME);
	l2tp_avp_put(&b, L2TP_AVP_HOST_NAME, "abc\0def", 7, 0);
	l2tp_avp_put_str(&b, L2TP_AVP_VENDOR_NAME, "a-long-vendor-name", 0);
	assert_int_equal(decode_buf(f, &b), 0);

	assert_null(l2tp_msg_avp(f->m, 40));
	assert_null(l2tp_msg_avp(f->m, 0xffff));
	assert_false(l2tp_msg_has(f->m, L2TP_AVP_CHALLENGE));
	assert_int_equal(l2tp_msg_get_u16(f->m, L2TP_AVP_RECV_WINDOW_SIZE, &u16), -ENOENT);
	assert_int_equal(l2tp_msg_get_u32(f->m, L2TP_AVP_BEARER_CAP, &u32), -ENOENT);
	assert_int_equal(l2tp_msg_get_u64(f->m, L2TP_AVP_TIE_BREAKER, &u64), -ENOENT);
	assert_int_equal(l2tp_msg_get_bytes(f->m, L2TP_AVP_CHALLENGE, &v, &len), -ENOENT);
	assert_int_equal(l2tp_msg_get_result(f->m, &r), -ENOENT);
	assert_int_equal(r.error, -1);
	assert_int_equal(l2tp_msg_get_str(f->m, 0xffff, s, sizeof(s)), -ENOENT);
	assert_string_equal(s, "");
	/* wrong width */
	assert_int_equal(l2tp_msg_get_u32(f->m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &u32), -EBADMSG);
	assert_int_equal(l2tp_msg_get_u16(f->m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &u16), 0);
	assert_int_equal(u16, 33003);
	assert_int_equal(l2tp_msg_get_u32(f->m, L2TP_AVP_FRAMING_CAP, &u32), 0);
	assert_int_equal(u32, 3);
	/* strings: cut at NUL, truncated to outsz - 1 */
	assert_int_equal(l2tp_msg_get_str(f->m, L2TP_AVP_HOST_NAME, s, sizeof(s)), 0);
	assert_string_equal(s, "abc");
	assert_int_equal(l2tp_msg_get_str(f->m, L2TP_AVP_VENDOR_NAME, s, sizeof(s)), 0);
	assert_string_equal(s, "a-long-");
	assert_int_equal(l2tp_msg_get_str(f->m, L2TP_AVP_VENDOR_NAME, s, 1), 0);
	assert_string_equal(s, "");
	assert_int_equal(l2tp_msg_get_str(f->m, L2TP_AVP_VENDOR_NAME, s, 0), -EINVAL);
	assert_int_equal(l2tp_msg_get_bytes(f->m, L2TP_AVP_HOST_NAME, &v, &len), 0);
	assert_int_equal(len, 7);
	assert_memory_equal(v, "abc\0def", 7);
}

static void test_format(void **state)
{
	struct fixture *f = *state;
	struct l2tp_msgbuf b;
	char line[512], small[16];
	size_t n;

	l2tp_msgbuf_init(&b, L2TP_MSG_SCCRQ, 0, 0);
	l2tp_msgbuf_set_secret(&b, secret, SECRET_LEN);
	put_required(&b, L2TP_MSG_SCCRQ, -1);
	l2tp_avp_put_str(&b, L2TP_AVP_VENDOR_NAME, "ve\"n\x01", 0);
	l2tp_avp_put_u16(&b, L2TP_AVP_FIRMWARE_REV, 0x0102, L2TP_PUT_HIDE);
	l2tp_avp_put(&b, L2TP_AVP_SEQUENCING_REQUIRED, NULL, 0, 0);
	l2tp_hdr_set_seq(b.buf, 5, 6);
	assert_int_equal(decode_buf(f, &b), 0);
	l2tp_msg_format(f->m, line, sizeof(line));
	assert_non_null(strstr(line, "SCCRQ tunnel=0 session=0 ns=5 nr=6"));
	assert_non_null(strstr(line, "Host Name=\"lac1\""));
	assert_non_null(strstr(line, "Assigned Tunnel ID=33003"));
	assert_non_null(strstr(line, "Protocol Version=1.0"));
	assert_non_null(strstr(line, "Vendor Name=\"ve\\x22n\\x01\""));
	assert_non_null(strstr(line, "Firmware Revision=(hidden)"));
	assert_non_null(strstr(line, "Sequencing Required=yes"));
	assert_int_equal(l2tp_msg_unhide(f->m, secret, SECRET_LEN), 0);
	l2tp_msg_format(f->m, line, sizeof(line));
	assert_non_null(strstr(line, "Firmware Revision=258"));

	/* small buffers: terminated, never overrun */
	for (n = 1; n <= sizeof(small); n++) {
		memset(small, 'X', sizeof(small));
		l2tp_msg_format(f->m, small, n);
		assert_int_equal(strlen(small), n - 1);
	}
	l2tp_msg_format(f->m, NULL, 0);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(l2tp_msg_type_name(L2TP_MSG_ZLB), "ZLB");
	assert_string_equal(l2tp_msg_type_name(L2TP_MSG_SCCRQ), "SCCRQ");
	assert_string_equal(l2tp_msg_type_name(L2TP_MSG_STOPCCN), "StopCCN");
	assert_string_equal(l2tp_msg_type_name(L2TP_MSG_SLI), "SLI");
	assert_string_equal(l2tp_msg_type_name(5), "unknown");
	assert_string_equal(l2tp_msg_type_name(17), "unknown");
	assert_string_equal(l2tp_msg_type_name(-1), "unknown");
	assert_string_equal(l2tp_result_string(L2TP_MSG_STOPCCN, 6), "Requester is being shut down");
	assert_string_equal(l2tp_result_string(L2TP_MSG_CDN, 3),
			    "Call disconnected for administrative reasons");
	assert_string_equal(l2tp_result_string(L2TP_MSG_CDN, 12), "unknown result");
	assert_string_equal(l2tp_result_string(L2TP_MSG_STOPCCN, 0), "unknown result");
	assert_string_equal(l2tp_result_string(L2TP_MSG_HELLO, 1), "unknown result");
	assert_string_equal(l2tp_error_string(2), "Length is wrong");
	assert_non_null(strstr(l2tp_error_string(8), "M-bit"));
	assert_string_equal(l2tp_error_string(9), "unknown error");
	assert_string_equal(l2tp_error_string(-3), "unknown error");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_every_message_type),
		T(test_missing_required),
		T(test_required_hidden_counts),
		T(test_zlb),
		T(test_ns_nr_extremes),
		T(test_duplicates),
		T(test_truncated_header),
		T(test_length_field),
		T(test_bad_version),
		T(test_bad_flags),
		T(test_data_header),
		T(test_avp_length_below_6),
		T(test_avp_past_end),
		T(test_first_avp_not_message_type),
		T(test_unknown_message_type),
		T(test_unknown_mandatory_avp),
		T(test_unknown_optional_skipped),
		T(test_reserved_bits),
		T(test_value_length_bounds),
		T(test_too_many_avps),
		T(test_hidden_without_secret),
		T(test_hidden_without_random_vector),
		T(test_hidden_random_vector_in_force),
		T(test_hidden_bad_contents),
		T(test_accessors),
		T(test_format),
		T(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
