/*
 * L2TP header and control message decoding (RFC 2661 §3.1, §4.1, §4.3, §6).
 *
 * Nothing here reads outside (buf, len): every length is checked against
 * what is left before the bytes are read.  Errors are negative errno codes
 * and m->err says what the receiver must answer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "l2tp/msg.h"
#include "l2tp/avp.h"
#include "l2tp/hidden.h"

#define AVPBIT(t) (UINT64_C(1) << (t))

/* -------------------------------------------------------------------------
 * Names
 */

static const char *const l2tp_msg_type_names[] = {
	[L2TP_MSG_ZLB] = "ZLB",
	[L2TP_MSG_SCCRQ] = "SCCRQ",
	[L2TP_MSG_SCCRP] = "SCCRP",
	[L2TP_MSG_SCCCN] = "SCCCN",
	[L2TP_MSG_STOPCCN] = "StopCCN",
	[L2TP_MSG_HELLO] = "HELLO",
	[L2TP_MSG_OCRQ] = "OCRQ",
	[L2TP_MSG_OCRP] = "OCRP",
	[L2TP_MSG_OCCN] = "OCCN",
	[L2TP_MSG_ICRQ] = "ICRQ",
	[L2TP_MSG_ICRP] = "ICRP",
	[L2TP_MSG_ICCN] = "ICCN",
	[L2TP_MSG_CDN] = "CDN",
	[L2TP_MSG_WEN] = "WEN",
	[L2TP_MSG_SLI] = "SLI",
};

const char *l2tp_msg_type_name(int type)
{
	if (type < 0 || (size_t)type >= ARRAY_SIZE(l2tp_msg_type_names) ||
	    l2tp_msg_type_names[type] == NULL)
		return "unknown";
	return l2tp_msg_type_names[type];
}

/* §4.4.2 */
static const char *const l2tp_stopccn_results[] = {
	[L2TP_STOPCCN_GENERAL] = "General request to clear control connection",
	[L2TP_STOPCCN_GENERAL_ERROR] = "General error",
	[L2TP_STOPCCN_EXISTS] = "Control channel already exists",
	[L2TP_STOPCCN_NOT_AUTHORIZED] = "Requester is not authorized to establish a control channel",
	[L2TP_STOPCCN_BAD_VERSION] = "The protocol version of the requester is not supported",
	[L2TP_STOPCCN_SHUTDOWN] = "Requester is being shut down",
	[L2TP_STOPCCN_FSM_ERROR] = "Finite State Machine error",
};

static const char *const l2tp_cdn_results[] = {
	[L2TP_CDN_LOST_CARRIER] = "Call disconnected due to loss of carrier",
	[L2TP_CDN_GENERAL_ERROR] = "General error",
	[L2TP_CDN_ADMIN] = "Call disconnected for administrative reasons",
	[L2TP_CDN_NO_FACILITIES_TEMP] = "No appropriate facilities available (temporary)",
	[L2TP_CDN_NO_FACILITIES_PERM] = "No appropriate facilities available (permanent)",
	[L2TP_CDN_INVALID_DEST] = "Invalid destination",
	[L2TP_CDN_NO_CARRIER] = "Call failed due to no carrier detected",
	[L2TP_CDN_BUSY] = "Call failed due to detection of a busy signal",
	[L2TP_CDN_NO_DIAL_TONE] = "Call failed due to lack of a dial tone",
	[L2TP_CDN_TIMEOUT] = "Call was not established within time allotted by LAC",
	[L2TP_CDN_NO_FRAMING] = "Call was connected but no appropriate framing was detected",
};

static const char *const l2tp_error_strings[] = {
	[L2TP_ERR_NONE] = "No general error",
	[L2TP_ERR_NO_CONTROL] = "No control connection exists yet for this LAC-LNS pair",
	[L2TP_ERR_BAD_LENGTH] = "Length is wrong",
	[L2TP_ERR_BAD_VALUE] = "One of the field values was out of range or reserved field was non-zero",
	[L2TP_ERR_NO_RESOURCE] = "Insufficient resources to handle this operation now",
	[L2TP_ERR_BAD_SESSION_ID] = "The Session ID is invalid in this context",
	[L2TP_ERR_VENDOR] = "A generic vendor-specific error occurred in the LAC",
	[L2TP_ERR_TRY_ANOTHER] = "Try another",
	[L2TP_ERR_UNKNOWN_MANDATORY] = "Session or tunnel was shutdown due to receipt of an unknown AVP with the M-bit set",
};

const char *l2tp_result_string(int msg_type, int result)
{
	const char *const *t;
	size_t n;

	if (msg_type == L2TP_MSG_STOPCCN) {
		t = l2tp_stopccn_results;
		n = ARRAY_SIZE(l2tp_stopccn_results);
	} else if (msg_type == L2TP_MSG_CDN) {
		t = l2tp_cdn_results;
		n = ARRAY_SIZE(l2tp_cdn_results);
	} else {
		return "unknown result";
	}
	if (result < 0 || (size_t)result >= n || t[result] == NULL)
		return "unknown result";
	return t[result];
}

const char *l2tp_error_string(int error)
{
	if (error < 0 || (size_t)error >= ARRAY_SIZE(l2tp_error_strings))
		return "unknown error";
	return l2tp_error_strings[error];
}

/* -------------------------------------------------------------------------
 * What each message must carry (§6.1-§6.14)
 */

struct l2tp_msg_rule {
	uint8_t known;
	uint8_t session;	/* §4.1: errors clear the session (CDN), not the tunnel */
	uint64_t required;	/* AVPBIT(type) for each required AVP */
	uint64_t lenient;	/* required by the RFC, but real peers omit them */
};

static const struct l2tp_msg_rule l2tp_msg_rules[] = {
	/* §6.1, §6.2 */
	[L2TP_MSG_SCCRQ] = { 1, 0, AVPBIT(L2TP_AVP_MESSAGE_TYPE) | AVPBIT(L2TP_AVP_PROTOCOL_VERSION) |
		AVPBIT(L2TP_AVP_HOST_NAME) | AVPBIT(L2TP_AVP_FRAMING_CAP) |
		AVPBIT(L2TP_AVP_ASSIGNED_TUNNEL_ID), 0 },
	[L2TP_MSG_SCCRP] = { 1, 0, AVPBIT(L2TP_AVP_MESSAGE_TYPE) | AVPBIT(L2TP_AVP_PROTOCOL_VERSION) |
		AVPBIT(L2TP_AVP_HOST_NAME) | AVPBIT(L2TP_AVP_FRAMING_CAP) |
		AVPBIT(L2TP_AVP_ASSIGNED_TUNNEL_ID), 0 },
	/* §6.3 */
	[L2TP_MSG_SCCCN] = { 1, 0, AVPBIT(L2TP_AVP_MESSAGE_TYPE), 0 },
	/* §6.4: some peers leave out the Assigned Tunnel ID; the header's
	 * Tunnel ID still names the tunnel once both sides know it */
	[L2TP_MSG_STOPCCN] = { 1, 0, AVPBIT(L2TP_AVP_MESSAGE_TYPE) | AVPBIT(L2TP_AVP_ASSIGNED_TUNNEL_ID) |
		AVPBIT(L2TP_AVP_RESULT_CODE), AVPBIT(L2TP_AVP_ASSIGNED_TUNNEL_ID) },
	/* §6.5 */
	[L2TP_MSG_HELLO] = { 1, 0, AVPBIT(L2TP_AVP_MESSAGE_TYPE), 0 },
	/* §6.9 */
	[L2TP_MSG_OCRQ] = { 1, 1, AVPBIT(L2TP_AVP_MESSAGE_TYPE) | AVPBIT(L2TP_AVP_ASSIGNED_SESSION_ID) |
		AVPBIT(L2TP_AVP_CALL_SERIAL_NUMBER) | AVPBIT(L2TP_AVP_MINIMUM_BPS) |
		AVPBIT(L2TP_AVP_MAXIMUM_BPS) | AVPBIT(L2TP_AVP_BEARER_TYPE) |
		AVPBIT(L2TP_AVP_FRAMING_TYPE) | AVPBIT(L2TP_AVP_CALLED_NUMBER), 0 },
	/* §6.10 */
	[L2TP_MSG_OCRP] = { 1, 1, AVPBIT(L2TP_AVP_MESSAGE_TYPE) | AVPBIT(L2TP_AVP_ASSIGNED_SESSION_ID), 0 },
	/* §6.11 */
	[L2TP_MSG_OCCN] = { 1, 1, AVPBIT(L2TP_AVP_MESSAGE_TYPE) | AVPBIT(L2TP_AVP_TX_CONNECT_SPEED) |
		AVPBIT(L2TP_AVP_FRAMING_TYPE), 0 },
	/* §6.6 */
	[L2TP_MSG_ICRQ] = { 1, 1, AVPBIT(L2TP_AVP_MESSAGE_TYPE) | AVPBIT(L2TP_AVP_ASSIGNED_SESSION_ID) |
		AVPBIT(L2TP_AVP_CALL_SERIAL_NUMBER), 0 },
	/* §6.7 */
	[L2TP_MSG_ICRP] = { 1, 1, AVPBIT(L2TP_AVP_MESSAGE_TYPE) | AVPBIT(L2TP_AVP_ASSIGNED_SESSION_ID), 0 },
	/* §6.8 */
	[L2TP_MSG_ICCN] = { 1, 1, AVPBIT(L2TP_AVP_MESSAGE_TYPE) | AVPBIT(L2TP_AVP_TX_CONNECT_SPEED) |
		AVPBIT(L2TP_AVP_FRAMING_TYPE), 0 },
	/* §6.12: some peers leave out the Assigned Session ID; the header's
	 * Session ID still names the session */
	[L2TP_MSG_CDN] = { 1, 1, AVPBIT(L2TP_AVP_MESSAGE_TYPE) | AVPBIT(L2TP_AVP_RESULT_CODE) |
		AVPBIT(L2TP_AVP_ASSIGNED_SESSION_ID), AVPBIT(L2TP_AVP_ASSIGNED_SESSION_ID) },
	/* §6.13 */
	[L2TP_MSG_WEN] = { 1, 1, AVPBIT(L2TP_AVP_MESSAGE_TYPE) | AVPBIT(L2TP_AVP_CALL_ERRORS), 0 },
	/* §6.14 */
	[L2TP_MSG_SLI] = { 1, 1, AVPBIT(L2TP_AVP_MESSAGE_TYPE) | AVPBIT(L2TP_AVP_ACCM), 0 },
};

static const struct l2tp_msg_rule *l2tp_msg_rule_get(uint16_t type)
{
	if (type >= ARRAY_SIZE(l2tp_msg_rules) || !l2tp_msg_rules[type].known)
		return NULL;
	return &l2tp_msg_rules[type];
}

/* -------------------------------------------------------------------------
 * Header
 */

uint16_t l2tp_msg_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t l2tp_msg_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int l2tp_hdr_parse(const uint8_t *buf, size_t len, struct l2tp_hdr *h)
{
	uint16_t flags, osize;
	size_t off;

	memset(h, 0, sizeof(*h));
	if (buf == NULL || len < 2)
		return -EBADMSG;
	flags = l2tp_msg_rd16(buf);
	h->flags = flags;
	h->ver = (uint8_t)(flags & L2TP_HDR_VER_MASK);
	h->is_ctrl = (flags & L2TP_HDR_T) != 0;

	/* §3.1: "Packets received with an unknown Ver field MUST be discarded" */
	if (h->ver != L2TP_VERSION)
		return -EPROTONOSUPPORT;

	if (h->is_ctrl) {
		/* §3.1: control messages MUST have L=1, S=1 and O=0 */
		if ((flags & (L2TP_HDR_L | L2TP_HDR_S | L2TP_HDR_O)) != (L2TP_HDR_L | L2TP_HDR_S))
			return -EBADMSG;
		if (len < L2TP_HDR_LEN_CTRL)
			return -EBADMSG;
		h->length = l2tp_msg_rd16(buf + 2);
		h->tunnel_id = l2tp_msg_rd16(buf + 4);
		h->session_id = l2tp_msg_rd16(buf + 6);
		h->ns = l2tp_msg_rd16(buf + 8);
		h->nr = l2tp_msg_rd16(buf + 10);
		h->hdr_len = L2TP_HDR_LEN_CTRL;
		/* the Length covers the header; bytes after it are padding */
		if (h->length < L2TP_HDR_LEN_CTRL || h->length > len)
			return -EBADMSG;
		return 0;
	}

	/* §3.1 data message: [Length] Tunnel ID, Session ID, [Ns, Nr], [Offset] */
	off = 2;
	if (flags & L2TP_HDR_L) {
		if (len - off < 2)
			return -EBADMSG;
		h->length = l2tp_msg_rd16(buf + off);
		off += 2;
		if (h->length > len)
			return -EBADMSG;
		len = h->length;	/* nothing beyond Length belongs to us */
		if (len < off)
			return -EBADMSG;
	}
	if (len - off < 4)
		return -EBADMSG;
	h->tunnel_id = l2tp_msg_rd16(buf + off);
	h->session_id = l2tp_msg_rd16(buf + off + 2);
	off += 4;
	if (flags & L2TP_HDR_S) {
		if (len - off < 4)
			return -EBADMSG;
		h->ns = l2tp_msg_rd16(buf + off);
		h->nr = l2tp_msg_rd16(buf + off + 2);
		off += 4;
	}
	if (flags & L2TP_HDR_O) {
		if (len - off < 2)
			return -EBADMSG;
		osize = l2tp_msg_rd16(buf + off);
		off += 2;
		if (len - off < osize)
			return -EBADMSG;
		off += osize;
	}
	h->hdr_len = off;
	if (!(flags & L2TP_HDR_L))
		h->length = len > UINT16_MAX ? UINT16_MAX : (uint16_t)len;
	return 0;
}

/* -------------------------------------------------------------------------
 * Control messages
 */

static int l2tp_msg_is_session(uint16_t type)
{
	const struct l2tp_msg_rule *r = l2tp_msg_rule_get(type);

	return r != NULL && r->session;
}

__attribute__((format(printf, 7, 8)))
static int l2tp_msg_fail(struct l2tp_msg *m, int ret, uint16_t result, uint16_t error,
			 uint16_t vendor, uint16_t type, const char *fmt, ...)
{
	va_list ap;

	m->err.result = result;
	m->err.error = error;
	m->err.avp_vendor = vendor;
	m->err.avp_type = type;
	m->err.session_level = result != 0 && m->type_known && l2tp_msg_is_session(m->type);
	va_start(ap, fmt);
	vsnprintf(m->err.text, sizeof(m->err.text), fmt, ap);
	va_end(ap);
	return ret;
}

/* §4.1 and §4.4.1: the first AVP names the message */
static int l2tp_msg_first_avp(struct l2tp_msg *m, uint16_t w0, uint16_t vendor, uint16_t type,
			      const uint8_t *val, size_t vlen)
{
	if (vendor != 0 || type != L2TP_AVP_MESSAGE_TYPE || (w0 & L2TP_AVP_RSVD))
		return l2tp_msg_fail(m, -EBADMSG, L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_BAD_VALUE,
				     vendor, type, "first AVP is %s (vendor %u type %u), not Message Type",
				     l2tp_avp_name(vendor, type), vendor, type);
	/* §4.4.1: "This AVP may not be hidden (the H-bit MUST be 0)" */
	if (w0 & L2TP_AVP_H)
		return l2tp_msg_fail(m, -EBADMSG, L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_BAD_VALUE,
				     0, L2TP_AVP_MESSAGE_TYPE, "Message Type AVP is hidden");
	if (vlen != 2)
		return l2tp_msg_fail(m, -EBADMSG, L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_BAD_LENGTH,
				     0, L2TP_AVP_MESSAGE_TYPE, "Message Type AVP value length %zu", vlen);
	m->type = l2tp_msg_rd16(val);
	m->type_known = l2tp_msg_rule_get(m->type) != NULL;
	/* §4.4.1: an unknown message type with the M bit clears the tunnel;
	 * without it the message may be ignored */
	if (!m->type_known && (w0 & L2TP_AVP_M))
		return l2tp_msg_fail(m, -ENOTSUP, L2TP_STOPCCN_GENERAL_ERROR,
				     L2TP_ERR_UNKNOWN_MANDATORY, 0, L2TP_AVP_MESSAGE_TYPE,
				     "unknown message type %u with the M bit", m->type);
	return 0;
}

/* §6: every AVP the message type requires is there (hidden ones count) */
static int l2tp_msg_check_required(struct l2tp_msg *m)
{
	const struct l2tp_msg_rule *r = l2tp_msg_rule_get(m->type);
	uint16_t t;

	if (r == NULL)
		return 0;
	for (t = 0; t <= L2TP_AVP_MAX; t++) {
		if (!(r->required & AVPBIT(t)) || m->idx[t] >= 0)
			continue;
		if (r->lenient & AVPBIT(t)) {
			/* accepted, but worth a log line: the text is there,
			 * the result stays 0 */
			snprintf(m->err.text, sizeof(m->err.text), "%s without %s (tolerated)",
				 l2tp_msg_type_name(m->type), l2tp_avp_name(0, t));
			m->err.avp_type = t;
			continue;
		}
		return l2tp_msg_fail(m, -EBADMSG, L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_BAD_VALUE,
				     0, t, "%s without required %s",
				     l2tp_msg_type_name(m->type), l2tp_avp_name(0, t));
	}
	return 0;
}

/* The AVP at buf + off (the message ends at end) into m->avps: §4.1
 * lengths and flags, the message type from the first, known types, hidden
 * values (§4.3, rv: the Random Vector in force).  0 with its length in
 * *alenp, or the decode error. */
static int l2tp_msg_read_avp(struct l2tp_msg *m, const uint8_t *buf, size_t off, size_t end,
			     size_t *alenp, int16_t *rv)
{
	const struct l2tp_avp_def *d;
	struct l2tp_avp *a;
	const uint8_t *val;
	size_t alen, vlen;
	uint16_t w0, vendor, type;
	int ret;

	/* §4.1: the 6-octet AVP header must be there before it is read */
	if (end - off < L2TP_AVP_HDR_LEN)
		return l2tp_msg_fail(m, -EBADMSG, L2TP_STOPCCN_GENERAL_ERROR,
				     L2TP_ERR_BAD_LENGTH, 0, 0,
				     "%zu stray bytes at offset %zu", end - off, off);
	w0 = l2tp_msg_rd16(buf + off);
	alen = w0 & L2TP_AVP_LEN_MASK;
	vendor = l2tp_msg_rd16(buf + off + 2);
	type = l2tp_msg_rd16(buf + off + 4);
	/* §4.1: Length counts the header; it must not run past the message */
	if (alen < L2TP_AVP_HDR_LEN)
		return l2tp_msg_fail(m, -EBADMSG, L2TP_STOPCCN_GENERAL_ERROR,
				     L2TP_ERR_BAD_LENGTH, vendor, type,
				     "AVP %u length %zu < 6 at offset %zu", type, alen, off);
	if (alen > end - off)
		return l2tp_msg_fail(m, -EBADMSG, L2TP_STOPCCN_GENERAL_ERROR,
				     L2TP_ERR_BAD_LENGTH, vendor, type,
				     "AVP %u length %zu runs past the message", type, alen);
	*alenp = alen;
	val = buf + off + L2TP_AVP_HDR_LEN;
	vlen = alen - L2TP_AVP_HDR_LEN;

	if (m->n_avps == 0) {
		ret = l2tp_msg_first_avp(m, w0, vendor, type, val, vlen);
		if (ret < 0)
			return ret;
	}
	if (m->n_avps >= L2TP_MSG_MAX_AVPS)
		return l2tp_msg_fail(m, -E2BIG, L2TP_STOPCCN_GENERAL_ERROR,
				     L2TP_ERR_NO_RESOURCE, vendor, type,
				     "more than %u AVPs", L2TP_MSG_MAX_AVPS);

	a = &m->avps[m->n_avps];
	a->vendor = vendor;
	a->type = type;
	a->flags = w0 & (uint16_t)~L2TP_AVP_LEN_MASK;
	a->len = (uint16_t)vlen;
	a->val = val;
	a->rv_idx = -1;

	/* §4.1: reserved bits set make the AVP unrecognized */
	d = (w0 & L2TP_AVP_RSVD) ? NULL : l2tp_avp_def_get(vendor, type);
	if (d == NULL) {
		/* §4.1: unknown with M: the session (session message)
		 * or the tunnel must be cleared; without M: ignored.
		 * The AVPs of an ignorable unknown message don't matter. */
		if ((w0 & L2TP_AVP_M) && m->type_known)
			return l2tp_msg_fail(m, -ENOTSUP, L2TP_STOPCCN_GENERAL_ERROR,
					     L2TP_ERR_UNKNOWN_MANDATORY, vendor, type,
					     "unknown mandatory AVP vendor %u type %u",
					     vendor, type);
		m->n_unknown_skipped++;
	} else if (!(w0 & L2TP_AVP_H) && (vlen < d->min_len || vlen > d->max_len)) {
		return l2tp_msg_fail(m, -EBADMSG, L2TP_STOPCCN_GENERAL_ERROR,
				     L2TP_ERR_BAD_LENGTH, vendor, type,
				     "%s value length %zu not in %u..%u", d->name, vlen,
				     d->min_len, d->max_len);
	}

	if (w0 & L2TP_AVP_H) {
		/* §4.4: Message Type and Random Vector are never hidden */
		if (d != NULL && vendor == 0 && (type == L2TP_AVP_MESSAGE_TYPE ||
						 type == L2TP_AVP_RANDOM_VECTOR))
			return l2tp_msg_fail(m, -EBADMSG, L2TP_STOPCCN_GENERAL_ERROR,
					     L2TP_ERR_BAD_VALUE, 0, type,
					     "%s AVP is hidden", d->name);
		/* §4.3: the hidden value starts with a 2-octet Original Length */
		if (d != NULL && vlen < 2)
			return l2tp_msg_fail(m, -EBADMSG, L2TP_STOPCCN_GENERAL_ERROR,
					     L2TP_ERR_BAD_LENGTH, 0, type,
					     "hidden %s of %zu bytes", d->name, vlen);
		/* §4.3: the Random Vector in force is the last one before it */
		a->rv_idx = *rv;
		a->hidden_pending = 1;
		m->n_hidden++;
	} else if (d != NULL && vendor == 0 && type == L2TP_AVP_RANDOM_VECTOR) {
		*rv = (int16_t)m->n_avps;
	}

	if (d != NULL && m->idx[l2tp_avp_def_slot(d)] < 0)
		m->idx[l2tp_avp_def_slot(d)] = (int16_t)m->n_avps;
	m->n_avps++;
	return 0;
}

int l2tp_msg_decode(const uint8_t *buf, size_t len, struct l2tp_msg *m)
{
	size_t off, end, alen = 0;
	int16_t rv = -1;
	unsigned i;
	int ret;

	memset(m, 0, offsetof(struct l2tp_msg, scratch));
	m->scratch_used = 0;
	for (i = 0; i < ARRAY_SIZE(m->idx); i++)
		m->idx[i] = -1;

	ret = l2tp_hdr_parse(buf, len, &m->hdr);
	if (ret < 0)
		return l2tp_msg_fail(m, ret, 0, 0, 0, 0, "bad L2TP header (%zu bytes, ver %u)", len,
				     m->hdr.ver);
	if (!m->hdr.is_ctrl)
		return l2tp_msg_fail(m, -EBADMSG, 0, 0, 0, 0, "not a control message");
	end = m->hdr.length;
	if (end > L2TP_MAX_MSG_LEN)
		return l2tp_msg_fail(m, -EBADMSG, 0, 0, 0, 0, "control message of %zu bytes", end);

	/* §5.8: a ZLB acknowledgement is a bare header */
	if (end == L2TP_HDR_LEN_CTRL) {
		m->type = L2TP_MSG_ZLB;
		m->type_known = 1;
		return 0;
	}

	for (off = L2TP_HDR_LEN_CTRL; off < end; off += alen) {
		ret = l2tp_msg_read_avp(m, buf, off, end, &alen, &rv);
		if (ret < 0)
			return ret;
	}
	return l2tp_msg_check_required(m);
}

int l2tp_msg_unhide(struct l2tp_msg *m, const uint8_t *secret, size_t secret_len)
{
	const struct l2tp_avp_def *d;
	const struct l2tp_avp *rva;
	struct l2tp_avp *a;
	unsigned i;
	int n;

	for (i = 0; i < m->n_avps && i < L2TP_MSG_MAX_AVPS; i++) {
		a = &m->avps[i];
		if (!a->hidden_pending)
			continue;
		/* Unrecognized AVPs are ignored (§4.1): when they cannot be
		 * revealed they simply stay hidden. */
		d = (a->flags & L2TP_AVP_RSVD) ? NULL : l2tp_avp_def_get(a->vendor, a->type);

		/* §4.3: "The H bit MUST only be set if a shared secret exists" */
		if (secret == NULL || secret_len == 0) {
			if (d == NULL)
				continue;
			return l2tp_msg_fail(m, -ENOKEY, L2TP_STOPCCN_GENERAL_ERROR,
					     L2TP_ERR_BAD_VALUE, 0, a->type,
					     "hidden %s and no secret", d->name);
		}
		if (a->rv_idx < 0 || (unsigned)a->rv_idx >= m->n_avps) {
			if (d == NULL)
				continue;
			return l2tp_msg_fail(m, -EBADMSG, L2TP_STOPCCN_GENERAL_ERROR,
					     L2TP_ERR_BAD_VALUE, 0, a->type,
					     "hidden %s without a Random Vector before it", d->name);
		}
		rva = &m->avps[a->rv_idx];
		if (m->scratch_used > sizeof(m->scratch))
			return -ENOSPC;
		n = l2tp_hidden_decode(a->type, secret, secret_len, rva->val, rva->len, a->val, a->len,
				       m->scratch + m->scratch_used,
				       sizeof(m->scratch) - m->scratch_used);
		if (n < 0) {
			if (d == NULL)
				continue;
			return l2tp_msg_fail(m, -EBADMSG, L2TP_STOPCCN_GENERAL_ERROR,
					     L2TP_ERR_BAD_LENGTH, 0, a->type,
					     "hidden %s: bad Original Length (wrong secret?)", d->name);
		}
		/* §4.4: the revealed value has the bounds of the plain one */
		if (d != NULL && ((size_t)n < d->min_len || (size_t)n > d->max_len))
			return l2tp_msg_fail(m, -EBADMSG, L2TP_STOPCCN_GENERAL_ERROR,
					     L2TP_ERR_BAD_LENGTH, 0, a->type,
					     "hidden %s value length %d not in %u..%u", d->name, n,
					     d->min_len, d->max_len);
		a->val = m->scratch + m->scratch_used;
		a->len = (uint16_t)n;
		a->hidden_pending = 0;
		m->scratch_used += (size_t)n;
	}
	return 0;
}

/* -------------------------------------------------------------------------
 * Accessors
 */

const struct l2tp_avp *l2tp_msg_vavp(const struct l2tp_msg *m, uint16_t vendor, uint16_t type)
{
	const struct l2tp_avp_def *d = l2tp_avp_def_get(vendor, type);
	int16_t i;

	if (d == NULL)
		return NULL;
	i = m->idx[l2tp_avp_def_slot(d)];
	if (i < 0 || (unsigned)i >= m->n_avps)
		return NULL;
	return &m->avps[i];
}

const struct l2tp_avp *l2tp_msg_avp(const struct l2tp_msg *m, uint16_t type)
{
	if (type > L2TP_AVP_MAX)
		return NULL;
	return l2tp_msg_vavp(m, 0, type);
}

int l2tp_msg_has(const struct l2tp_msg *m, uint16_t type)
{
	return l2tp_msg_avp(m, type) != NULL;
}

/* The value of a present, revealed AVP of exactly want bytes (0: any). */
static int l2tp_msg_vvalue(const struct l2tp_msg *m, uint16_t vendor, uint16_t type, size_t want,
			   const struct l2tp_avp **out)
{
	const struct l2tp_avp *a = vendor == 0 && type > L2TP_AVP_MAX ? NULL :
				   l2tp_msg_vavp(m, vendor, type);

	if (a == NULL)
		return -ENOENT;
	if (a->hidden_pending)
		return -EAGAIN;
	if (want && a->len != want)
		return -EBADMSG;
	*out = a;
	return 0;
}

static int l2tp_msg_value(const struct l2tp_msg *m, uint16_t type, size_t want,
			  const struct l2tp_avp **out)
{
	return l2tp_msg_vvalue(m, 0, type, want, out);
}

int l2tp_msg_get_u16(const struct l2tp_msg *m, uint16_t type, uint16_t *v)
{
	const struct l2tp_avp *a;
	int ret = l2tp_msg_value(m, type, 2, &a);

	if (ret == 0)
		*v = l2tp_msg_rd16(a->val);
	return ret;
}

int l2tp_msg_get_u32(const struct l2tp_msg *m, uint16_t type, uint32_t *v)
{
	const struct l2tp_avp *a;
	int ret = l2tp_msg_value(m, type, 4, &a);

	if (ret == 0)
		*v = l2tp_msg_rd32(a->val);
	return ret;
}

int l2tp_msg_get_u64(const struct l2tp_msg *m, uint16_t type, uint64_t *v)
{
	const struct l2tp_avp *a;
	int ret = l2tp_msg_value(m, type, 8, &a);

	if (ret == 0)
		*v = (uint64_t)l2tp_msg_rd32(a->val) << 32 | l2tp_msg_rd32(a->val + 4);
	return ret;
}

/* Copy a counted string, stopping at an embedded NUL, always terminated. */
static void l2tp_msg_copy_str(char *out, size_t outsz, const uint8_t *val, size_t len)
{
	size_t n = 0;

	if (outsz == 0)
		return;
	while (n < len && n < outsz - 1 && val[n] != 0) {
		out[n] = (char)val[n];
		n++;
	}
	out[n] = '\0';
}

int l2tp_msg_get_str(const struct l2tp_msg *m, uint16_t type, char *out, size_t outsz)
{
	const struct l2tp_avp *a;
	int ret;

	if (out == NULL || outsz == 0)
		return -EINVAL;
	out[0] = '\0';
	ret = l2tp_msg_value(m, type, 0, &a);
	if (ret == 0)
		l2tp_msg_copy_str(out, outsz, a->val, a->len);
	return ret;
}

int l2tp_msg_get_bytes(const struct l2tp_msg *m, uint16_t type, const uint8_t **val, size_t *len)
{
	const struct l2tp_avp *a;
	int ret = l2tp_msg_value(m, type, 0, &a);

	if (ret == 0) {
		*val = a->val;
		*len = a->len;
	}
	return ret;
}

int l2tp_msg_get_vu32(const struct l2tp_msg *m, uint16_t vendor, uint16_t type, uint32_t *v)
{
	const struct l2tp_avp *a;
	int ret = l2tp_msg_vvalue(m, vendor, type, 4, &a);

	if (ret == 0)
		*v = l2tp_msg_rd32(a->val);
	return ret;
}

int l2tp_msg_get_vu64(const struct l2tp_msg *m, uint16_t vendor, uint16_t type, uint64_t *v)
{
	const struct l2tp_avp *a;
	int ret = l2tp_msg_vvalue(m, vendor, type, 8, &a);

	if (ret == 0)
		*v = (uint64_t)l2tp_msg_rd32(a->val) << 32 | l2tp_msg_rd32(a->val + 4);
	return ret;
}

int l2tp_msg_get_vstr(const struct l2tp_msg *m, uint16_t vendor, uint16_t type, char *out,
		      size_t outsz)
{
	const struct l2tp_avp *a;
	int ret;

	if (out == NULL || outsz == 0)
		return -EINVAL;
	out[0] = '\0';
	ret = l2tp_msg_vvalue(m, vendor, type, 0, &a);
	if (ret == 0)
		l2tp_msg_copy_str(out, outsz, a->val, a->len);
	return ret;
}

int l2tp_msg_get_vbytes(const struct l2tp_msg *m, uint16_t vendor, uint16_t type,
			const uint8_t **val, size_t *len)
{
	const struct l2tp_avp *a;
	int ret = l2tp_msg_vvalue(m, vendor, type, 0, &a);

	if (ret == 0) {
		*val = a->val;
		*len = a->len;
	}
	return ret;
}

int l2tp_msg_get_result(const struct l2tp_msg *m, struct l2tp_result *r)
{
	const struct l2tp_avp *a;
	int ret;

	r->result = 0;
	r->error = -1;
	r->msg[0] = '\0';
	ret = l2tp_msg_value(m, L2TP_AVP_RESULT_CODE, 0, &a);
	if (ret < 0)
		return ret;
	/* §4.4.2: Result Code (2), optional Error Code (2), optional message */
	if (a->len < 2)
		return -EBADMSG;
	r->result = l2tp_msg_rd16(a->val);
	if (a->len >= 4)
		r->error = l2tp_msg_rd16(a->val + 2);
	if (a->len > 4)
		l2tp_msg_copy_str(r->msg, sizeof(r->msg), a->val + 4, a->len - 4u);
	return 0;
}
