/*
 * L2TP AVPs: the table of every IETF AVP of RFC 2661 §4.4 and the encoder.
 * The decoder lives in l2tp/msg.c (AVPs are only ever decoded as part of a
 * message); the hiding algorithm in l2tp/hidden.c.
 */
#ifndef L2TP_AVP_H_INCLUDED
#define L2TP_AVP_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include "l2tp/proto.h"

/* How the M bit must be set on an AVP we send (§4.4: "This AVP MUST/MAY..."). */
enum l2tp_avp_mbit { L2TP_MBIT_MUST = 1, L2TP_MBIT_MAY = 0 };

/* What the value is, for printing and for the typed accessors. */
enum l2tp_avp_kind {
	L2TP_AVP_KIND_U16, L2TP_AVP_KIND_U32, L2TP_AVP_KIND_U64,
	L2TP_AVP_KIND_STRING, L2TP_AVP_KIND_BYTES,
	L2TP_AVP_KIND_RESULT,	/* Result Code: u16 result, [u16 error, [message]] */
	L2TP_AVP_KIND_VERSION,	/* Protocol Version: u8 ver, u8 rev */
	L2TP_AVP_KIND_Q931,	/* Q.931 Cause: u16 cause, u8 msg, [advisory] */
	L2TP_AVP_KIND_CALL_ERRORS,
	L2TP_AVP_KIND_ACCM,
	L2TP_AVP_KIND_EMPTY,	/* Sequencing Required: no value */
	L2TP_AVP_KIND_PPP_DISC	/* RFC 3145: u16 code, u16 protocol, u8 direction, [text] */
};

struct l2tp_avp_def {
	uint16_t vendor;	/* 0: IETF; L2TP_VENDOR_BBF: RFC 5515 */
	uint16_t type;
	const char *name;
	uint16_t min_len;	/* value length bounds, header excluded */
	uint16_t max_len;
	uint8_t mbit;		/* enum l2tp_avp_mbit: what we send */
	uint8_t hideable;	/* §4.3: may be hidden (Message Type, Random Vector may not) */
	uint8_t kind;		/* enum l2tp_avp_kind */
};

/* The RFC 5515 access-line AVPs the table knows (Broadband Forum vendor). */
#define L2TP_AVP_BBF_COUNT	18
/* Every AVP the table knows has a slot: IETF ones their type, the vendor
 * ones after them (l2tp_msg's index of first occurrences). */
#define L2TP_AVP_SLOTS		(L2TP_AVP_MAX + 1 + L2TP_AVP_BBF_COUNT)

/* NULL for an AVP outside the tables (IETF of §4.4 and RFC 3145, and the
 * Broadband Forum's of RFC 5515 §4). */
const struct l2tp_avp_def *l2tp_avp_def_get(uint16_t vendor, uint16_t type);
const char *l2tp_avp_name(uint16_t vendor, uint16_t type);
/* d's slot, below L2TP_AVP_SLOTS. */
unsigned l2tp_avp_def_slot(const struct l2tp_avp_def *d);

/*
 * Message builder.  l2tp_msgbuf_init() writes a control header with Ns/Nr 0
 * (l2tp_ctrl fills them at every (re)transmission) and the Message Type AVP.
 * Every put records overflow in b->err instead of writing past the buffer;
 * l2tp_msgbuf_finish() sets the Length field and returns the length or the
 * first error.
 */
struct l2tp_msgbuf {
	uint8_t buf[L2TP_MAX_MSG_LEN];
	size_t len;
	int err;
	const uint8_t *secret;	/* for hidden AVPs; NULL: cannot hide */
	size_t secret_len;
	uint8_t rv[16];		/* Random Vector in force for the next hidden AVP */
	int rv_sent;
};

/* flags for l2tp_avp_put*() */
#define L2TP_PUT_HIDE	0x1	/* hide the value (§4.3); needs a secret */
#define L2TP_PUT_NOM	0x2	/* clear the M bit even where the table says MUST */
#define L2TP_PUT_M	0x4	/* set the M bit even where the table says MAY */

void l2tp_msgbuf_init(struct l2tp_msgbuf *b, uint16_t msg_type, uint16_t tunnel_id,
		      uint16_t session_id);
/* A ZLB: header only (§5.8). */
void l2tp_msgbuf_init_zlb(struct l2tp_msgbuf *b, uint16_t tunnel_id);
void l2tp_msgbuf_set_secret(struct l2tp_msgbuf *b, const uint8_t *secret, size_t len);
int l2tp_msgbuf_finish(struct l2tp_msgbuf *b);

void l2tp_avp_put(struct l2tp_msgbuf *b, uint16_t type, const void *val, size_t len,
		  unsigned flags);
/* A vendor AVP of the table (RFC 5515's), within its bounds, M bit as the
 * table says; never hidden. */
void l2tp_avp_put_vendor(struct l2tp_msgbuf *b, uint16_t vendor, uint16_t type, const void *val,
			 size_t len);
void l2tp_avp_put_vendor_u32(struct l2tp_msgbuf *b, uint16_t vendor, uint16_t type, uint32_t v);
void l2tp_avp_put_vendor_u64(struct l2tp_msgbuf *b, uint16_t vendor, uint16_t type, uint64_t v);
/* RFC 3145 §2: PPP Disconnect Cause Code (CDN only), text may be NULL. */
void l2tp_avp_put_ppp_disc(struct l2tp_msgbuf *b, uint16_t code, uint16_t proto,
			   uint8_t direction, const char *text);
void l2tp_avp_put_u16(struct l2tp_msgbuf *b, uint16_t type, uint16_t v, unsigned flags);
void l2tp_avp_put_u32(struct l2tp_msgbuf *b, uint16_t type, uint32_t v, unsigned flags);
void l2tp_avp_put_u64(struct l2tp_msgbuf *b, uint16_t type, uint64_t v, unsigned flags);
void l2tp_avp_put_str(struct l2tp_msgbuf *b, uint16_t type, const char *s, unsigned flags);
/* Result Code AVP: error and message are omitted when error < 0 / msg NULL. */
void l2tp_avp_put_result(struct l2tp_msgbuf *b, uint16_t result, int error, const char *msg);
void l2tp_avp_put_version(struct l2tp_msgbuf *b);	/* 1.0 (§4.4.3) */
/* Any AVP, vendor ones included, with the raw M/H flags given (tests, vendor AVPs). */
void l2tp_avp_put_raw(struct l2tp_msgbuf *b, uint16_t vendor, uint16_t type, uint16_t mh_flags,
		      const void *val, size_t len);

/* Write Ns/Nr (and nothing else) into an encoded control message. */
void l2tp_hdr_set_seq(uint8_t *buf, uint16_t ns, uint16_t nr);

#endif
