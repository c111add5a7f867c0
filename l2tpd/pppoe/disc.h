/*
 * The PPPoE codec: an Ethernet frame (with up to two VLAN tags) carrying a
 * PPPoE header (RFC 2516 §4), the discovery tags (§5, Appendix A; RFC 4638;
 * TR-101's vendor tag) parsed strictly, and the frame builder.
 *
 * Parsing never reads past the frame: every way a frame can be refused has
 * its reason (enum pppoe_err), which the caller counts; the parsed values
 * point into the caller's buffer.
 */
#ifndef PPPOE_DISC_H
#define PPPOE_DISC_H

#include <stddef.h>
#include <stdint.h>
#include "pppoe/proto.h"

/* Why a frame was refused: one counter each (pppoe_err_name()). */
enum pppoe_err {
	PPPOE_ERR_NONE = 0,
	PPPOE_ERR_SHORT,	/* shorter than the Ethernet and PPPoE headers */
	PPPOE_ERR_VLAN,		/* more than two VLAN tags */
	PPPOE_ERR_ETHERTYPE,	/* neither discovery nor session */
	PPPOE_ERR_VER_TYPE,	/* VER or TYPE not 1 (§4) */
	PPPOE_ERR_LENGTH,	/* LENGTH past the end of the frame */
	PPPOE_ERR_CODE,		/* a CODE §5 does not define for this stage */
	PPPOE_ERR_SESSION_ID,	/* SESSION_ID wrong for the CODE (§5.1-5.5) */
	PPPOE_ERR_TAG_TRUNC,	/* a tag header cut by the end of the payload */
	PPPOE_ERR_TAG_LEN,	/* a TAG_LENGTH past the end of the payload */
	PPPOE_ERR_SERVICE,	/* PADI/PADR without exactly one Service-Name (§5.1, §5.3) */
	PPPOE_ERR_TAG_VALUE,	/* a tag of fixed size with another length (RFC 4638 §4) */
	PPPOE_ERR_VENDOR,	/* a TR-101 sub-option cut or past its tag */
	PPPOE_ERR_TOO_BIG,	/* a PADI over 1484 octets (§5.1) */
	PPPOE_ERR_MAX
};

const char *pppoe_err_name(enum pppoe_err e);

/* A byte string inside the frame; present even when len is 0. */
struct pppoe_bytes {
	const uint8_t *p;
	uint16_t len;
	uint8_t present;
};

/* The Ethernet and PPPoE headers of a frame. */
struct pppoe_frame {
	uint8_t dst[PPPOE_ETH_ALEN], src[PPPOE_ETH_ALEN];
	uint8_t nvlan;
	uint16_t vlan[PPPOE_MAX_VLANS];	/* VLAN IDs, outer first */
	uint16_t ethertype;		/* PPPOE_ETH_P_DISC or _SESS */
	uint8_t code;
	uint16_t session_id;
	const uint8_t *payload;		/* LENGTH octets (§4); trailing padding dropped */
	uint16_t len;
};

/* Access-line information of TR-101's vendor tag. */
struct pppoe_line {
	struct pppoe_bytes circuit_id, remote_id;
	uint32_t rate_up, rate_down;	/* kbit/s, 0: absent */
	uint8_t present;
};

/* The tags of a discovery packet we act on (the first of each kind). */
struct pppoe_tags {
	struct pppoe_bytes service_name, ac_name, host_uniq, cookie, relay_sid;
	unsigned n_service;		/* Service-Name tags seen */
	uint16_t max_payload;		/* RFC 4638 PPP-Max-Payload, 0: absent */
	struct pppoe_line line;
	uint8_t error;			/* a *-Error tag was present */
};

/*
 * The headers of an Ethernet frame.  0, or -EBADMSG with *why set.
 * Ethernet padding after LENGTH octets is allowed and dropped.
 */
int pppoe_frame_parse(const uint8_t *buf, size_t len, struct pppoe_frame *f,
		      enum pppoe_err *why);
/*
 * The tags of a discovery frame (f from pppoe_frame_parse(), ethertype
 * DISC), with the rules of its CODE: PADI and PADR carry exactly one
 * Service-Name; PADI/PADO/PADR carry SESSION_ID 0, PADS (but for an error)
 * and PADT another; a PADI is at most 1484 octets.  0, or -EBADMSG with
 * *why set.
 */
int pppoe_tags_parse(const struct pppoe_frame *f, struct pppoe_tags *t, enum pppoe_err *why);

/*
 * The frame builder: every put records overflow in b->err instead of
 * writing past the buffer; pppoe_buf_finish() sets LENGTH and returns the
 * frame's length or the first error.
 */
struct pppoe_buf {
	uint8_t buf[PPPOE_FRAME_MAX];
	size_t len;
	size_t hdr;	/* offset of the PPPoE header */
	int err;
};

/* Ethernet header (VLAN tags from vlan[0..nvlan-1], outer first, the outer
 * one 802.1ad when there are two) and PPPoE header. */
void pppoe_buf_init(struct pppoe_buf *b, const uint8_t dst[PPPOE_ETH_ALEN],
		    const uint8_t src[PPPOE_ETH_ALEN], const uint16_t *vlan, unsigned nvlan,
		    uint16_t ethertype, uint8_t code, uint16_t session_id);
void pppoe_put_tag(struct pppoe_buf *b, uint16_t type, const void *val, size_t len);
/* A tag copied from a parsed frame when it was present (Host-Uniq, Relay-Session-Id). */
void pppoe_put_echo(struct pppoe_buf *b, uint16_t type, const struct pppoe_bytes *v);
void pppoe_put_u16_tag(struct pppoe_buf *b, uint16_t type, uint16_t v);
/* Raw payload bytes (session frames, TR-101 test frames). */
void pppoe_put(struct pppoe_buf *b, const void *p, size_t len);
int pppoe_buf_finish(struct pppoe_buf *b);

#endif
