/*
 * libFuzzer target for the control message codec: decode arbitrary bytes,
 * reveal hidden AVPs with a fixed secret, read every AVP through every
 * accessor, format the message, then re-encode what was decoded through
 * the builder and check that it decodes to the same values.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "l2tp/avp.h"
#include "l2tp/call_info.h"
#include "l2tp/msg.h"
#include "l2tp/hidden.h"
#include "l2tp/auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* mkseeds.c hides with the same secret */
static const uint8_t fuzz_secret[] = "fuzz-secret";
#define FUZZ_SECRET_LEN (sizeof(fuzz_secret) - 1)

#define FUZZ_CHECK(c) do { if (!(c)) abort(); } while (0)

static void fuzz_accessors(const struct l2tp_msg *m)
{
	struct l2tp_call_info ci;
	struct l2tp_result r;
	const uint8_t *v;
	char s[64];
	size_t len;
	uint64_t u64;
	uint32_t u32;
	uint16_t u16, t;
	volatile unsigned sink = 0;

	for (t = 0; t <= L2TP_AVP_MAX + 2; t++) {
		sink += (unsigned)l2tp_msg_has(m, t);
		sink += l2tp_msg_avp(m, t) != NULL;
		if (l2tp_msg_get_u16(m, t, &u16) == 0)
			sink += u16;
		if (l2tp_msg_get_u32(m, t, &u32) == 0)
			sink += u32;
		if (l2tp_msg_get_u64(m, t, &u64) == 0)
			sink += (unsigned)u64;
		if (l2tp_msg_get_str(m, t, s, sizeof(s)) == 0)
			sink += (unsigned)strlen(s);
		if (l2tp_msg_get_bytes(m, t, &v, &len) == 0 && len > 0)
			sink += v[0] + v[len - 1];
	}
	if (l2tp_msg_get_result(m, &r) == 0)
		sink += r.result + (unsigned)strlen(r.msg);
	/* what an LNS keeps of a call: line, proxy LCP and authentication */
	memset(&ci, 0, sizeof(ci));
	(void)l2tp_call_info_read(&ci, m);
	FUZZ_CHECK(ci.lcp_init_rcvd_len <= sizeof(ci.lcp_init_rcvd));
	FUZZ_CHECK(ci.lcp_last_sent_len <= sizeof(ci.lcp_last_sent));
	FUZZ_CHECK(ci.lcp_last_rcvd_len <= sizeof(ci.lcp_last_rcvd));
	FUZZ_CHECK(ci.auth_challenge_len <= sizeof(ci.auth_challenge));
	FUZZ_CHECK(ci.auth_response_len <= sizeof(ci.auth_response));
	FUZZ_CHECK(memchr(ci.auth_name, 0, sizeof(ci.auth_name)) != NULL);
	FUZZ_CHECK(memchr(ci.circuit_id, 0, sizeof(ci.circuit_id)) != NULL);
	(void)sink;
}

static void fuzz_format(const struct l2tp_msg *m)
{
	char line[1024], tiny[7];

	l2tp_msg_format(m, line, sizeof(line));
	FUZZ_CHECK(strlen(line) < sizeof(line));
	l2tp_msg_format(m, tiny, sizeof(tiny));
	FUZZ_CHECK(strlen(tiny) < sizeof(tiny));
	(void)l2tp_msg_type_name(m->type);
	(void)l2tp_result_string(m->type, m->err.result);
	(void)l2tp_error_string(m->err.error);
}

/* Rebuild m with the builder; hidden AVPs are hidden again. */
static int fuzz_reencode(const struct l2tp_msg *m, struct l2tp_msgbuf *b)
{
	const struct l2tp_avp_def *d;
	const struct l2tp_avp *a;
	unsigned i, flags;

	l2tp_msgbuf_init_zlb(b, m->hdr.tunnel_id);
	l2tp_hdr_set_seq(b->buf, m->hdr.ns, m->hdr.nr);
	b->buf[6] = (uint8_t)(m->hdr.session_id >> 8);
	b->buf[7] = (uint8_t)m->hdr.session_id;
	l2tp_msgbuf_set_secret(b, fuzz_secret, FUZZ_SECRET_LEN);
	for (i = 0; i < m->n_avps; i++) {
		a = &m->avps[i];
		d = (a->flags & L2TP_AVP_RSVD) ? NULL : l2tp_avp_def_get(a->vendor, a->type);
		if (d == NULL || a->hidden_pending) {
			l2tp_avp_put_raw(b, a->vendor, a->type, a->flags, a->val, a->len);
			continue;
		}
		/* a vendor AVP of the table (RFC 5515's): its revealed value,
		 * in the clear (the builder hides IETF AVPs only) */
		if (a->vendor != 0) {
			l2tp_avp_put_raw(b, a->vendor, a->type, a->flags & (uint16_t)~L2TP_AVP_H,
					 a->val, a->len);
			continue;
		}
		flags = (a->flags & L2TP_AVP_M) ? L2TP_PUT_M : L2TP_PUT_NOM;
		if ((a->flags & L2TP_AVP_H) && d->hideable)
			flags |= L2TP_PUT_HIDE;
		l2tp_avp_put(b, a->type, a->val, a->len, flags);
	}
	return l2tp_msgbuf_finish(b);
}

static void fuzz_roundtrip(const struct l2tp_msg *m)
{
	struct l2tp_msgbuf *b = malloc(sizeof(*b));
	struct l2tp_msg *m2 = malloc(sizeof(*m2));
	const struct l2tp_avp *a1, *a2;
	uint8_t *copy = NULL;
	uint16_t t;
	int n, ret;

	FUZZ_CHECK(b != NULL && m2 != NULL);
	n = fuzz_reencode(m, b);
	if (n < 0)
		goto cleanup;	/* grew past a limit: hiding adds a vector and padding */
	copy = malloc((size_t)n);
	FUZZ_CHECK(copy != NULL);
	memcpy(copy, b->buf, (size_t)n);
	ret = l2tp_msg_decode(copy, (size_t)n, m2);
	if (ret == -E2BIG)
		goto cleanup;	/* the added Random Vector was one AVP too many */
	FUZZ_CHECK(ret == 0);
	FUZZ_CHECK(m2->type == m->type && m2->type_known == m->type_known);
	FUZZ_CHECK(l2tp_msg_unhide(m2, fuzz_secret, FUZZ_SECRET_LEN) == 0);
	fuzz_accessors(m2);
	fuzz_format(m2);
	for (t = 0; t <= L2TP_AVP_MAX; t++) {
		if (t == L2TP_AVP_RANDOM_VECTOR)
			continue;	/* the builder may add one */
		a1 = l2tp_msg_avp(m, t);
		a2 = l2tp_msg_avp(m2, t);
		FUZZ_CHECK((a1 == NULL) == (a2 == NULL));
		if (a1 == NULL || a1->hidden_pending)
			continue;
		FUZZ_CHECK(!a2->hidden_pending);
		FUZZ_CHECK(a1->len == a2->len);
		FUZZ_CHECK(a1->len == 0 || memcmp(a1->val, a2->val, a1->len) == 0);
	}
cleanup:
	free(copy);
	free(m2);
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct l2tp_msg *m = malloc(sizeof(*m));
	struct l2tp_hdr h;
	uint8_t out[64];
	int ret;

	FUZZ_CHECK(m != NULL);
	(void)l2tp_hdr_parse(data, size, &h);
	FUZZ_CHECK(h.hdr_len <= size);

	ret = l2tp_msg_decode(data, size, m);
	FUZZ_CHECK(m->n_avps <= L2TP_MSG_MAX_AVPS);
	fuzz_format(m);
	fuzz_accessors(m);
	if (ret == 0) {
		FUZZ_CHECK(m->hdr.length <= size);
		ret = l2tp_msg_unhide(m, fuzz_secret, FUZZ_SECRET_LEN);
		FUZZ_CHECK(m->scratch_used <= sizeof(m->scratch));
		fuzz_accessors(m);
		fuzz_format(m);
		if (ret == 0)
			fuzz_roundtrip(m);
	}

	/* the primitives on raw input */
	if (size >= 2)
		(void)l2tp_hidden_decode((uint16_t)(data[0] << 8 | data[1]), fuzz_secret,
					 FUZZ_SECRET_LEN, data, size < 16 ? size : 16, data, size,
					 out, sizeof(out));
	(void)l2tp_auth_check(2, fuzz_secret, FUZZ_SECRET_LEN, data, size, data, size);

	free(m);
	return 0;
}
