/*
 * L2TP AVPs (RFC 2661 §4.1, §4.4): the table of IETF AVPs and the message
 * builder.  The decoder is in l2tp/msg.c, the hiding algorithm in
 * l2tp/hidden.c.
 */
#include <errno.h>
#include <string.h>

#include "common/util.h"
#include "core/rand.h"
#include "l2tp/avp.h"
#include "l2tp/hidden.h"


/* Largest AVP value: the 10-bit Length field covers the 6-octet header (§4.1). */
#define L2TP_AVP_MAX_VAL	(L2TP_AVP_MAX_LEN - L2TP_AVP_HDR_LEN)

#define AVP(t, n, lo, hi, m, h, k) \
	[t] = { .vendor = 0, .type = (t), .name = (n), .min_len = (lo), .max_len = (hi), \
		.mbit = (m), .hideable = (h), .kind = (k) }
#define MUST	L2TP_MBIT_MUST
#define MAY	L2TP_MBIT_MAY
#define VAR	L2TP_AVP_MAX_VAL

/*
 * Every IETF AVP of §4.4.  The bounds are the value lengths (the RFC gives
 * the whole AVP length, header included, "before hiding"); the M bit is
 * the one the RFC tells the sender to set; hideable is "This AVP may be
 * hidden" as opposed to "MUST NOT be hidden".
 */
static const struct l2tp_avp_def l2tp_avp_table[] = {
	/* §4.4.1 */
	AVP(L2TP_AVP_MESSAGE_TYPE, "Message Type", 2, 2, MUST, 0, L2TP_AVP_KIND_U16),
	/* §4.4.2: Result Code (2), Error Code (2), Error Message (any) */
	AVP(L2TP_AVP_RESULT_CODE, "Result Code", 2, VAR, MUST, 0, L2TP_AVP_KIND_RESULT),
	/* §4.4.3 Control Connection Management */
	AVP(L2TP_AVP_PROTOCOL_VERSION, "Protocol Version", 2, 2, MUST, 0, L2TP_AVP_KIND_VERSION),
	AVP(L2TP_AVP_FRAMING_CAP, "Framing Capabilities", 4, 4, MUST, 1, L2TP_AVP_KIND_U32),
	AVP(L2TP_AVP_BEARER_CAP, "Bearer Capabilities", 4, 4, MUST, 1, L2TP_AVP_KIND_U32),
	AVP(L2TP_AVP_TIE_BREAKER, "Tie Breaker", 8, 8, MAY, 0, L2TP_AVP_KIND_U64),
	AVP(L2TP_AVP_FIRMWARE_REV, "Firmware Revision", 2, 2, MAY, 1, L2TP_AVP_KIND_U16),
	/* "MUST be at least 1 octet" */
	AVP(L2TP_AVP_HOST_NAME, "Host Name", 1, VAR, MUST, 0, L2TP_AVP_KIND_STRING),
	AVP(L2TP_AVP_VENDOR_NAME, "Vendor Name", 0, VAR, MAY, 1, L2TP_AVP_KIND_STRING),
	AVP(L2TP_AVP_ASSIGNED_TUNNEL_ID, "Assigned Tunnel ID", 2, 2, MUST, 1, L2TP_AVP_KIND_U16),
	AVP(L2TP_AVP_RECV_WINDOW_SIZE, "Receive Window Size", 2, 2, MUST, 0, L2TP_AVP_KIND_U16),
	/* "one or more octets of random data" */
	AVP(L2TP_AVP_CHALLENGE, "Challenge", 1, VAR, MUST, 1, L2TP_AVP_KIND_BYTES),
	/* §4.4.5: Cause Code (2), Cause Msg (1), Advisory Msg (any) */
	AVP(L2TP_AVP_Q931_CAUSE, "Q.931 Cause Code", 3, VAR, MUST, 0, L2TP_AVP_KIND_Q931),
	AVP(L2TP_AVP_CHALLENGE_RESPONSE, "Challenge Response", 16, 16, MUST, 1, L2TP_AVP_KIND_BYTES),
	/* §4.4.4 Call Management */
	AVP(L2TP_AVP_ASSIGNED_SESSION_ID, "Assigned Session ID", 2, 2, MUST, 1, L2TP_AVP_KIND_U16),
	AVP(L2TP_AVP_CALL_SERIAL_NUMBER, "Call Serial Number", 4, 4, MUST, 1, L2TP_AVP_KIND_U32),
	AVP(L2TP_AVP_MINIMUM_BPS, "Minimum BPS", 4, 4, MUST, 1, L2TP_AVP_KIND_U32),
	AVP(L2TP_AVP_MAXIMUM_BPS, "Maximum BPS", 4, 4, MUST, 1, L2TP_AVP_KIND_U32),
	AVP(L2TP_AVP_BEARER_TYPE, "Bearer Type", 4, 4, MUST, 1, L2TP_AVP_KIND_U32),
	AVP(L2TP_AVP_FRAMING_TYPE, "Framing Type", 4, 4, MUST, 1, L2TP_AVP_KIND_U32),
	/* 20 is reserved: its slot stays empty (name NULL) */
	AVP(L2TP_AVP_CALLED_NUMBER, "Called Number", 0, VAR, MUST, 1, L2TP_AVP_KIND_STRING),
	AVP(L2TP_AVP_CALLING_NUMBER, "Calling Number", 0, VAR, MUST, 1, L2TP_AVP_KIND_STRING),
	AVP(L2TP_AVP_SUB_ADDRESS, "Sub-Address", 0, VAR, MUST, 1, L2TP_AVP_KIND_STRING),
	AVP(L2TP_AVP_TX_CONNECT_SPEED, "Tx Connect Speed", 4, 4, MUST, 1, L2TP_AVP_KIND_U32),
	AVP(L2TP_AVP_PHYSICAL_CHANNEL_ID, "Physical Channel ID", 4, 4, MAY, 1, L2TP_AVP_KIND_U32),
	/* §4.4.5 Proxy LCP and Authentication: all M=0, all hideable */
	AVP(L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ, "Initial Received LCP CONFREQ", 0, VAR, MAY, 1,
	    L2TP_AVP_KIND_BYTES),
	AVP(L2TP_AVP_LAST_SENT_LCP_CONFREQ, "Last Sent LCP CONFREQ", 0, VAR, MAY, 1,
	    L2TP_AVP_KIND_BYTES),
	AVP(L2TP_AVP_LAST_RCVD_LCP_CONFREQ, "Last Received LCP CONFREQ", 0, VAR, MAY, 1,
	    L2TP_AVP_KIND_BYTES),
	AVP(L2TP_AVP_PROXY_AUTHEN_TYPE, "Proxy Authen Type", 2, 2, MAY, 1, L2TP_AVP_KIND_U16),
	AVP(L2TP_AVP_PROXY_AUTHEN_NAME, "Proxy Authen Name", 0, VAR, MAY, 1, L2TP_AVP_KIND_STRING),
	AVP(L2TP_AVP_PROXY_AUTHEN_CHALLENGE, "Proxy Authen Challenge", 1, VAR, MAY, 1,
	    L2TP_AVP_KIND_BYTES),
	AVP(L2TP_AVP_PROXY_AUTHEN_ID, "Proxy Authen ID", 2, 2, MAY, 1, L2TP_AVP_KIND_U16),
	AVP(L2TP_AVP_PROXY_AUTHEN_RESPONSE, "Proxy Authen Response", 0, VAR, MAY, 1,
	    L2TP_AVP_KIND_BYTES),
	/* §4.4.6 Call Status: Reserved (2) + six 32-bit counters */
	AVP(L2TP_AVP_CALL_ERRORS, "Call Errors", 26, 26, MUST, 1, L2TP_AVP_KIND_CALL_ERRORS),
	/* Reserved (2), Send ACCM (4), Receive ACCM (4) */
	AVP(L2TP_AVP_ACCM, "ACCM", 10, 10, MUST, 1, L2TP_AVP_KIND_ACCM),
	/* §4.4.3: Random Vector, "MUST NOT be hidden", any non-zero length */
	AVP(L2TP_AVP_RANDOM_VECTOR, "Random Vector", 1, VAR, MUST, 0, L2TP_AVP_KIND_BYTES),
	/* §4.4.4 again */
	AVP(L2TP_AVP_PRIVATE_GROUP_ID, "Private Group ID", 0, VAR, MAY, 1, L2TP_AVP_KIND_BYTES),
	AVP(L2TP_AVP_RX_CONNECT_SPEED, "Rx Connect Speed", 4, 4, MAY, 1, L2TP_AVP_KIND_U32),
	AVP(L2TP_AVP_SEQUENCING_REQUIRED, "Sequencing Required", 0, 0, MUST, 0, L2TP_AVP_KIND_EMPTY),
	/* RFC 3145 §2: "MUST NOT be marked Mandatory", may be hidden; the
	 * whole AVP is at least 11 octets: code (2), protocol (2),
	 * direction (1), then an optional text */
	AVP(L2TP_AVP_PPP_DISCONNECT_CAUSE, "PPP Disconnect Cause Code", 5, VAR, MAY, 1,
	    L2TP_AVP_KIND_PPP_DISC),
};

#define BBF(t, n, lo, hi, k) \
	{ .vendor = L2TP_VENDOR_BBF, .type = (t), .name = (n), .min_len = (lo), .max_len = (hi), \
	  .mbit = MAY, .hideable = 0, .kind = (k) }
#define BBF_RATE(t, n)	BBF(t, n, 8, 8, L2TP_AVP_KIND_U64)
#define BBF_DELAY(t, n)	BBF(t, n, 4, 4, L2TP_AVP_KIND_U32)

/*
 * RFC 5515 §4: the access-line AVPs, vendor 3561 (Broadband Forum), M bit
 * 0.  The circuit and remote IDs are 1 to 63 octets (§4.1, §4.2, as in the
 * TR-101 tag), the data rates 64-bit bits/s, the interleaving delays
 * 32-bit ms, the loop encapsulation 3 octets, the ANCP line type 32-bit.
 */
static const struct l2tp_avp_def l2tp_avp_bbf_table[] = {
	BBF(L2TP_BBF_AGENT_CIRCUIT_ID, "Agent-Circuit-Id", 1, 63, L2TP_AVP_KIND_STRING),
	BBF(L2TP_BBF_AGENT_REMOTE_ID, "Agent-Remote-Id", 1, 63, L2TP_AVP_KIND_STRING),
	BBF_RATE(L2TP_BBF_ACTUAL_RATE_UP, "Actual-Data-Rate-Upstream"),
	BBF_RATE(L2TP_BBF_ACTUAL_RATE_DOWN, "Actual-Data-Rate-Downstream"),
	BBF_RATE(L2TP_BBF_MIN_RATE_UP, "Minimum-Data-Rate-Upstream"),
	BBF_RATE(L2TP_BBF_MIN_RATE_DOWN, "Minimum-Data-Rate-Downstream"),
	BBF_RATE(L2TP_BBF_ATTAINABLE_RATE_UP, "Attainable-Data-Rate-Upstream"),
	BBF_RATE(L2TP_BBF_ATTAINABLE_RATE_DOWN, "Attainable-Data-Rate-Downstream"),
	BBF_RATE(L2TP_BBF_MAX_RATE_UP, "Maximum-Data-Rate-Upstream"),
	BBF_RATE(L2TP_BBF_MAX_RATE_DOWN, "Maximum-Data-Rate-Downstream"),
	BBF_RATE(L2TP_BBF_MIN_RATE_UP_LOW_POWER, "Minimum-Data-Rate-Upstream-Low-Power"),
	BBF_RATE(L2TP_BBF_MIN_RATE_DOWN_LOW_POWER, "Minimum-Data-Rate-Downstream-Low-Power"),
	BBF_DELAY(L2TP_BBF_MAX_INTERLEAVING_DELAY_UP, "Maximum-Interleaving-Delay-Upstream"),
	BBF_DELAY(L2TP_BBF_ACT_INTERLEAVING_DELAY_UP, "Actual-Interleaving-Delay-Upstream"),
	BBF_DELAY(L2TP_BBF_MAX_INTERLEAVING_DELAY_DOWN, "Maximum-Interleaving-Delay-Downstream"),
	BBF_DELAY(L2TP_BBF_ACT_INTERLEAVING_DELAY_DOWN, "Actual-Interleaving-Delay-Downstream"),
	BBF(L2TP_BBF_ACCESS_LOOP_ENCAP, "Access-Loop-Encapsulation", 3, 3, L2TP_AVP_KIND_BYTES),
	BBF(L2TP_BBF_ANCP_LINE_TYPE, "ANCP-Access-Line-Type", 4, 4, L2TP_AVP_KIND_U32),
};

#undef BBF
#undef BBF_RATE
#undef BBF_DELAY

#undef AVP
#undef MUST
#undef MAY
#undef VAR

_Static_assert(ARRAY_SIZE(l2tp_avp_table) == L2TP_AVP_MAX + 1, "one table slot per IETF AVP type");
_Static_assert(ARRAY_SIZE(l2tp_avp_bbf_table) == L2TP_AVP_BBF_COUNT, "L2TP_AVP_BBF_COUNT");
/* l2tp/msg.c keeps the required IETF AVPs of a message in a 64-bit mask */
_Static_assert(L2TP_AVP_MAX < 64, "required-AVP masks are 64-bit");

const struct l2tp_avp_def *l2tp_avp_def_get(uint16_t vendor, uint16_t type)
{
	const struct l2tp_avp_def *d;
	size_t i;

	if (vendor == L2TP_VENDOR_BBF) {
		for (i = 0; i < ARRAY_SIZE(l2tp_avp_bbf_table); i++)
			if (l2tp_avp_bbf_table[i].type == type)
				return &l2tp_avp_bbf_table[i];
		return NULL;
	}
	if (vendor != 0 || type >= ARRAY_SIZE(l2tp_avp_table))
		return NULL;
	d = &l2tp_avp_table[type];
	return d->name != NULL ? d : NULL;
}

unsigned l2tp_avp_def_slot(const struct l2tp_avp_def *d)
{
	if (d->vendor == 0)
		return d->type;
	return L2TP_AVP_MAX + 1 + (unsigned)(d - l2tp_avp_bbf_table);
}

const char *l2tp_avp_name(uint16_t vendor, uint16_t type)
{
	const struct l2tp_avp_def *d = l2tp_avp_def_get(vendor, type);

	if (d != NULL)
		return d->name;
	return vendor != 0 ? "Vendor AVP" : "Unknown AVP";
}

/* -------------------------------------------------------------------------
 * Builder
 */

static void l2tp_avp_wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void l2tp_hdr_set_seq(uint8_t *buf, uint16_t ns, uint16_t nr)
{
	/* §3.1: Ns and Nr are the 5th and 6th words of a control header */
	l2tp_avp_wr16(buf + 8, ns);
	l2tp_avp_wr16(buf + 10, nr);
}

static void l2tp_msgbuf_hdr(struct l2tp_msgbuf *b, uint16_t tunnel_id, uint16_t session_id)
{
	b->len = 0;
	b->err = 0;
	b->secret = NULL;
	b->secret_len = 0;
	b->rv_sent = 0;
	memset(b->rv, 0, sizeof(b->rv));
	/* §3.1: control messages have T=1, L=1, S=1, O=0, P=0, Ver=2 */
	l2tp_avp_wr16(b->buf, L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S | L2TP_VERSION);
	l2tp_avp_wr16(b->buf + 2, L2TP_HDR_LEN_CTRL);
	l2tp_avp_wr16(b->buf + 4, tunnel_id);
	l2tp_avp_wr16(b->buf + 6, session_id);
	l2tp_hdr_set_seq(b->buf, 0, 0);
	b->len = L2TP_HDR_LEN_CTRL;
}

void l2tp_msgbuf_init(struct l2tp_msgbuf *b, uint16_t msg_type, uint16_t tunnel_id,
		      uint16_t session_id)
{
	l2tp_msgbuf_hdr(b, tunnel_id, session_id);
	/* §4.4.1: the Message Type AVP comes first, M=1, never hidden */
	l2tp_avp_put_u16(b, L2TP_AVP_MESSAGE_TYPE, msg_type, 0);
}

void l2tp_msgbuf_init_zlb(struct l2tp_msgbuf *b, uint16_t tunnel_id)
{
	/* §5.8: a ZLB is a control header with no AVPs; Session ID 0 */
	l2tp_msgbuf_hdr(b, tunnel_id, 0);
}

void l2tp_msgbuf_set_secret(struct l2tp_msgbuf *b, const uint8_t *secret, size_t len)
{
	b->secret = len ? secret : NULL;
	b->secret_len = secret ? len : 0;
}

int l2tp_msgbuf_finish(struct l2tp_msgbuf *b)
{
	if (b->err)
		return b->err;
	if (b->len > L2TP_MAX_MSG_LEN || b->len < L2TP_HDR_LEN_CTRL)
		return -EMSGSIZE;
	l2tp_avp_wr16(b->buf + 2, (uint16_t)b->len);
	return (int)b->len;
}

/* Room for an AVP of vlen value octets, or record why not. */
static uint8_t *l2tp_avp_reserve(struct l2tp_msgbuf *b, size_t vlen)
{
	if (b->err)
		return NULL;
	if (vlen > L2TP_AVP_MAX_VAL) {
		b->err = -EMSGSIZE;	/* §4.1: 10-bit Length */
		return NULL;
	}
	if (b->len > sizeof(b->buf) || sizeof(b->buf) - b->len < L2TP_AVP_HDR_LEN + vlen) {
		b->err = -ENOSPC;
		return NULL;
	}
	return b->buf + b->len;
}

static void l2tp_avp_hdr(uint8_t *p, uint16_t flags, size_t vlen, uint16_t vendor, uint16_t type)
{
	l2tp_avp_wr16(p, (uint16_t)((flags & ~L2TP_AVP_LEN_MASK) |
				    ((L2TP_AVP_HDR_LEN + vlen) & L2TP_AVP_LEN_MASK)));
	l2tp_avp_wr16(p + 2, vendor);
	l2tp_avp_wr16(p + 4, type);
}

void l2tp_avp_put_raw(struct l2tp_msgbuf *b, uint16_t vendor, uint16_t type, uint16_t mh_flags,
		      const void *val, size_t len)
{
	uint8_t *p = l2tp_avp_reserve(b, len);

	if (p == NULL)
		return;
	l2tp_avp_hdr(p, mh_flags, len, vendor, type);
	if (len)
		memcpy(p + L2TP_AVP_HDR_LEN, val, len);
	b->len += L2TP_AVP_HDR_LEN + len;

	/* §4.3: an explicit Random Vector is the one in force from here on;
	 * not one with reserved bits set (§4.1: the receiver treats it as an
	 * unrecognized AVP) nor a hidden one (refused): they are not vectors. */
	if (vendor == 0 && type == L2TP_AVP_RANDOM_VECTOR &&
	    (mh_flags & (L2TP_AVP_RSVD | L2TP_AVP_H)) == 0) {
		if (len == sizeof(b->rv)) {
			memcpy(b->rv, val, len);
			b->rv_sent = 1;
		} else {
			b->rv_sent = 0;	/* the next hidden AVP brings its own */
		}
	}
}

/* §4.3: hide val behind the Random Vector in force, sending one first if needed. */
static void l2tp_avp_put_hidden(struct l2tp_msgbuf *b, uint16_t type, uint16_t flags,
				const void *val, size_t len)
{
	uint8_t rnd[sizeof(b->rv)];
	size_t pad, room;
	uint8_t *p;
	int n;

	if (b->secret == NULL || b->secret_len == 0) {
		b->err = -ENOKEY;	/* "only if a shared secret exists" */
		return;
	}
	if (!b->rv_sent) {
		rand_bytes(rnd, sizeof(rnd));
		l2tp_avp_put_raw(b, 0, L2TP_AVP_RANDOM_VECTOR, L2TP_AVP_M, rnd, sizeof(rnd));
		if (b->err)
			return;
	}
	/* Original Length + value + a little padding to blur the length */
	rand_bytes(rnd, 1);
	pad = rnd[0] % 16;
	if (2 + len + pad > L2TP_AVP_MAX_VAL)
		pad = 2 + len > L2TP_AVP_MAX_VAL ? 0 : L2TP_AVP_MAX_VAL - 2 - len;
	p = l2tp_avp_reserve(b, 2 + len + pad);
	if (p == NULL)
		return;
	room = 2 + len + pad;
	n = l2tp_hidden_encode(type, b->secret, b->secret_len, b->rv, sizeof(b->rv), val, len, pad,
			       p + L2TP_AVP_HDR_LEN, room);
	if (n < 0) {
		b->err = n;
		return;
	}
	l2tp_avp_hdr(p, flags | L2TP_AVP_H, (size_t)n, 0, type);
	b->len += L2TP_AVP_HDR_LEN + (size_t)n;
}

void l2tp_avp_put(struct l2tp_msgbuf *b, uint16_t type, const void *val, size_t len,
		  unsigned flags)
{
	const struct l2tp_avp_def *d = l2tp_avp_def_get(0, type);
	uint16_t mh = 0;

	if (b->err)
		return;
	/* IETF AVPs only, within their bounds; anything else goes through
	 * l2tp_avp_put_raw() on purpose. */
	if (d == NULL || len < d->min_len || len > d->max_len) {
		b->err = -EINVAL;
		return;
	}
	/* §4.4: the M bit the RFC asks the sender to set, unless overridden */
	if (d->mbit == L2TP_MBIT_MUST)
		mh |= L2TP_AVP_M;
	if (flags & L2TP_PUT_NOM)
		mh &= (uint16_t)~L2TP_AVP_M;
	if (flags & L2TP_PUT_M)
		mh |= L2TP_AVP_M;

	if (flags & L2TP_PUT_HIDE) {
		/* §4.4: "This AVP MUST NOT be hidden" */
		if (!d->hideable) {
			b->err = -EINVAL;
			return;
		}
		l2tp_avp_put_hidden(b, type, mh, val, len);
		return;
	}
	l2tp_avp_put_raw(b, 0, type, mh, val, len);
}

void l2tp_avp_put_vendor(struct l2tp_msgbuf *b, uint16_t vendor, uint16_t type, const void *val,
			 size_t len)
{
	const struct l2tp_avp_def *d = l2tp_avp_def_get(vendor, type);

	if (b->err)
		return;
	if (vendor == 0 || d == NULL || len < d->min_len || len > d->max_len) {
		b->err = -EINVAL;
		return;
	}
	l2tp_avp_put_raw(b, vendor, type, d->mbit == L2TP_MBIT_MUST ? L2TP_AVP_M : 0, val, len);
}

void l2tp_avp_put_vendor_u32(struct l2tp_msgbuf *b, uint16_t vendor, uint16_t type, uint32_t v)
{
	uint8_t w[4];

	l2tp_avp_wr16(w, (uint16_t)(v >> 16));
	l2tp_avp_wr16(w + 2, (uint16_t)v);
	l2tp_avp_put_vendor(b, vendor, type, w, sizeof(w));
}

void l2tp_avp_put_vendor_u64(struct l2tp_msgbuf *b, uint16_t vendor, uint16_t type, uint64_t v)
{
	uint8_t w[8];
	int i;

	for (i = 7; i >= 0; i--) {
		w[i] = (uint8_t)v;
		v >>= 8;
	}
	l2tp_avp_put_vendor(b, vendor, type, w, sizeof(w));
}

void l2tp_avp_put_ppp_disc(struct l2tp_msgbuf *b, uint16_t code, uint16_t proto,
			   uint8_t direction, const char *text)
{
	uint8_t v[128];
	size_t len = 5, tlen = text ? strlen(text) : 0;

	/* RFC 3145 §2: Disconnect Code, Control Protocol Number, Direction,
	 * then the text (UTF-8), cut to what fits here */
	l2tp_avp_wr16(v, code);
	l2tp_avp_wr16(v + 2, proto);
	v[4] = direction;
	if (tlen > sizeof(v) - len)
		tlen = sizeof(v) - len;
	if (tlen)
		memcpy(v + len, text, tlen);
	l2tp_avp_put(b, L2TP_AVP_PPP_DISCONNECT_CAUSE, v, len + tlen, 0);
}

void l2tp_avp_put_u16(struct l2tp_msgbuf *b, uint16_t type, uint16_t v, unsigned flags)
{
	uint8_t w[2];

	l2tp_avp_wr16(w, v);
	l2tp_avp_put(b, type, w, sizeof(w), flags);
}

void l2tp_avp_put_u32(struct l2tp_msgbuf *b, uint16_t type, uint32_t v, unsigned flags)
{
	uint8_t w[4];

	l2tp_avp_wr16(w, (uint16_t)(v >> 16));
	l2tp_avp_wr16(w + 2, (uint16_t)v);
	l2tp_avp_put(b, type, w, sizeof(w), flags);
}

void l2tp_avp_put_u64(struct l2tp_msgbuf *b, uint16_t type, uint64_t v, unsigned flags)
{
	uint8_t w[8];
	int i;

	for (i = 7; i >= 0; i--) {
		w[i] = (uint8_t)v;
		v >>= 8;
	}
	l2tp_avp_put(b, type, w, sizeof(w), flags);
}

void l2tp_avp_put_str(struct l2tp_msgbuf *b, uint16_t type, const char *s, unsigned flags)
{
	l2tp_avp_put(b, type, s, s ? strlen(s) : 0, flags);
}

void l2tp_avp_put_result(struct l2tp_msgbuf *b, uint16_t result, int error, const char *msg)
{
	uint8_t v[L2TP_AVP_MAX_VAL];
	size_t len = 2, mlen;

	/* §4.4.2: Result Code, then optionally Error Code, then optionally an
	 * Error Message, which needs an Error Code in front of it. */
	l2tp_avp_wr16(v, result);
	if (error >= 0 || msg != NULL) {
		l2tp_avp_wr16(v + 2, error >= 0 ? (uint16_t)error : L2TP_ERR_NONE);
		len = 4;
	}
	if (msg != NULL) {
		mlen = strlen(msg);
		if (mlen > sizeof(v) - len)
			mlen = sizeof(v) - len;
		memcpy(v + len, msg, mlen);
		len += mlen;
	}
	l2tp_avp_put(b, L2TP_AVP_RESULT_CODE, v, len, 0);
}

void l2tp_avp_put_version(struct l2tp_msgbuf *b)
{
	/* §4.4.3: Ver 1, Rev 0 for this version of the protocol */
	static const uint8_t v[2] = { 1, 0 };

	l2tp_avp_put(b, L2TP_AVP_PROTOCOL_VERSION, v, sizeof(v), 0);
}
