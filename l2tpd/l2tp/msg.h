/*
 * L2TP header and control message decoding (RFC 2661 §3.1, §4.1, §6).
 *
 * Decoding never reads outside (buf, len); every error is a negative errno
 * and leaves in m->err the answer the protocol requires (§4.1: an unknown
 * AVP with the M bit clears the session or the tunnel; a malformed message
 * gets a StopCCN/CDN with General error and an Error Code).
 */
#ifndef L2TP_MSG_H
#define L2TP_MSG_H

#include <stddef.h>
#include <stdint.h>
#include "l2tp/avp.h"
#include "l2tp/proto.h"

struct l2tp_hdr {
	uint16_t flags;		/* first word, T L S O P bits and version */
	uint8_t ver;
	uint8_t is_ctrl;	/* T bit */
	uint16_t length;	/* Length field (control: always present) */
	uint16_t tunnel_id;
	uint16_t session_id;
	uint16_t ns, nr;	/* control messages */
	size_t hdr_len;		/* bytes before the first AVP / the payload */
};

/*
 * Parse the L2TP header of any message (control or data).
 *   -EBADMSG         truncated, or Length larger than len, or control flags wrong
 *                    (§3.1: control messages MUST have L=1 S=1 O=0)
 *   -EPROTONOSUPPORT version is not 2 (L2F, L2TPv3): silently discard
 * Bytes after Length are ignored (UDP padding).
 */
int l2tp_hdr_parse(const uint8_t *buf, size_t len, struct l2tp_hdr *h);

#define L2TP_MSG_MAX_AVPS	96

struct l2tp_avp {
	uint16_t vendor;
	uint16_t type;
	uint16_t flags;		/* L2TP_AVP_M / L2TP_AVP_H as received */
	uint16_t len;		/* value length (after unhiding for hidden AVPs) */
	const uint8_t *val;	/* into the message buffer, or m->scratch once unhidden */
	int16_t rv_idx;		/* hidden: index in avps[] of the Random Vector in force, -1 none */
	uint8_t hidden_pending;	/* hidden and not yet unhidden */
};

/* What the decoder says the receiver must answer (§4.1, §4.4.2). */
struct l2tp_msg_err {
	uint16_t result;	/* StopCCN or CDN result code, 0: just discard */
	uint16_t error;		/* General error code */
	uint16_t avp_vendor;	/* offending AVP, when there is one */
	uint16_t avp_type;
	uint8_t session_level;	/* the answer is a CDN for hdr.session_id, not a StopCCN */
	char text[96];		/* for the log line and the Result Code's error message */
};

struct l2tp_msg {
	struct l2tp_hdr hdr;
	uint16_t type;			/* enum l2tp_msg_type; L2TP_MSG_ZLB for a ZLB */
	uint8_t type_known;		/* 1 if type is one we implement */
	unsigned n_avps;
	struct l2tp_avp avps[L2TP_MSG_MAX_AVPS];
	int16_t idx[L2TP_AVP_SLOTS];	/* first AVP of each known one in avps[] (by
					 * l2tp_avp_def_slot()), -1 if absent */
	unsigned n_unknown_skipped;	/* unknown AVPs without M bit (§4.1: ignored) */
	unsigned n_hidden;		/* hidden AVPs seen */
	struct l2tp_msg_err err;
	uint8_t scratch[L2TP_MAX_MSG_LEN];	/* unhidden values */
	size_t scratch_used;
};

/*
 * Decode a control message.  Returns 0 or:
 *   -EBADMSG          malformed (truncated, AVP length < 6, AVP past the end,
 *                     value length outside the table's bounds, first AVP not
 *                     Message Type, required AVP missing; an AVP with reserved
 *                     bits set is treated as unrecognized, §4.1)
 *   -EPROTONOSUPPORT  not L2TPv2
 *   -ENOTSUP          unknown AVP with the M bit set, or unknown message type
 *                     with the M bit (§4.1)
 *   -E2BIG            more than L2TP_MSG_MAX_AVPS AVPs
 * Hidden AVPs are recorded but left for l2tp_msg_unhide(); the required-AVP
 * check counts them as present.  An unknown message type without the M bit
 * decodes with type_known = 0 (ignore it, but it is still acknowledged).
 */
int l2tp_msg_decode(const uint8_t *buf, size_t len, struct l2tp_msg *m);

/*
 * Reveal hidden AVPs with the tunnel secret (§4.3) and check their lengths.
 *   -ENOKEY   a hidden AVP and no secret (secret NULL or empty)
 *   -EBADMSG  no Random Vector before it, bad original length, value out of bounds
 */
int l2tp_msg_unhide(struct l2tp_msg *m, const uint8_t *secret, size_t secret_len);

/* Accessors: 0, or -ENOENT if the AVP is absent, -EAGAIN if still hidden. */
const struct l2tp_avp *l2tp_msg_avp(const struct l2tp_msg *m, uint16_t type);
int l2tp_msg_has(const struct l2tp_msg *m, uint16_t type);
int l2tp_msg_get_u16(const struct l2tp_msg *m, uint16_t type, uint16_t *v);
int l2tp_msg_get_u32(const struct l2tp_msg *m, uint16_t type, uint32_t *v);
int l2tp_msg_get_u64(const struct l2tp_msg *m, uint16_t type, uint64_t *v);
/* Copies at most outsz - 1 bytes and NUL-terminates; embedded NULs cut the string. */
int l2tp_msg_get_str(const struct l2tp_msg *m, uint16_t type, char *out, size_t outsz);
int l2tp_msg_get_bytes(const struct l2tp_msg *m, uint16_t type, const uint8_t **val, size_t *len);
/* The same for a vendor AVP of the table (RFC 5515's). */
const struct l2tp_avp *l2tp_msg_vavp(const struct l2tp_msg *m, uint16_t vendor, uint16_t type);
int l2tp_msg_get_vu32(const struct l2tp_msg *m, uint16_t vendor, uint16_t type, uint32_t *v);
int l2tp_msg_get_vu64(const struct l2tp_msg *m, uint16_t vendor, uint16_t type, uint64_t *v);
int l2tp_msg_get_vstr(const struct l2tp_msg *m, uint16_t vendor, uint16_t type, char *out,
		      size_t outsz);
int l2tp_msg_get_vbytes(const struct l2tp_msg *m, uint16_t vendor, uint16_t type,
			const uint8_t **val, size_t *len);

struct l2tp_result {
	uint16_t result;
	int32_t error;		/* -1 if absent */
	char msg[128];		/* "" if absent */
};
int l2tp_msg_get_result(const struct l2tp_msg *m, struct l2tp_result *r);

/* One line describing the message and its AVPs, for debug logs
 * (l2tp/msg_format.c). */
void l2tp_msg_format(const struct l2tp_msg *m, char *out, size_t outsz);
/* Network-order reads; the caller has checked that the octets are there. */
uint16_t l2tp_msg_rd16(const uint8_t *p);
uint32_t l2tp_msg_rd32(const uint8_t *p);

#endif
