/*
 * Inside the checkpoint codec (haproto/ckpt*.c).
 */
#ifndef HAPROTO_CKPT_INT_H
#define HAPROTO_CKPT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "haproto/ckpt.h"
#include "haproto/checkpoint.pb-c.h"

#define CKPT_V6_ROUTE_LEN	37	/* checkpoint.proto: Session.v6_route */

/* What a Session's IPv6 fields point into while the envelope is packed. */
struct ckpt_v6_bufs {
	ProtobufCBinaryData route[HA_V6_ROUTES];
	uint8_t route_buf[HA_V6_ROUTES][CKPT_V6_ROUTE_LEN];
};

static inline ProtobufCBinaryData ckpt_blob(const void *p, size_t len)
{
	ProtobufCBinaryData b = { .len = len, .data = (uint8_t *)p };

	return b;
}

/* The sub-messages live in the caller's frame, as long as the envelope. */
struct ckpt_parts {
	L2tpha__Tunnel tunnel;
	L2tpha__Seq seq;
	L2tpha__CtrlMsg msg;
	L2tpha__Session session;
	L2tpha__Delete del;
	L2tpha__Config config;
	L2tpha__ConfigPart part;
	L2tpha__PppoeSession pppoe;
	L2tpha__PppoeDelete pppoe_del;
	L2tpha__PppoeLocal pppoe_local;
	uint32_t vlan[HA_PPPOE_VLANS];
	struct ckpt_v6_bufs v6;
};

/* r's envelope into env, its body into p's storage: 0, or -EINVAL. */
int ckpt_envelope_fill(L2tpha__Envelope *env, struct ckpt_parts *p, const struct ha_rec *r,
		       uint64_t seq);

/* Protobuf's base-128 varint into p (room for 10 octets): the octets
 * written. */
static inline size_t ckpt_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	if (v < 0x80) {
		p[0] = (uint8_t)v;
		return 1;
	}
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* Text of at most dstsz - 1 octets, NUL-terminated into dst: 0 or
 * -EBADMSG. */
int ckpt_text_get(const ProtobufCBinaryData *b, char *dst, size_t dstsz);
/* An interface identifier is 8 octets (RFC 5072 §4.1) or absent: 0 or
 * -EBADMSG. */
int ckpt_ifid_get(const ProtobufCBinaryData *b, uint8_t dst[8]);
/* The session's IPv6 into m (nothing when s->v6 is 0), pointing into s
 * and b. */
void ckpt_session_fill_v6(L2tpha__Session *m, struct ckpt_v6_bufs *b,
			  const struct ha_session_rec *s);
/* A Framed-IPv6-Route in its CKPT_V6_ROUTE_LEN octets at b. */
void ckpt_v6_route_put(uint8_t *b, const struct ha_v6_route *r);
/* haproto/ckpt_session_rec.c: s's Session body straight into out, in the
 * octets protobuf-c packs of what ckpt.c fills from it: the length, or
 * -EINVAL for a record ckpt.c refuses, -ENOSPC when out is smaller than
 * the largest body (the caller packs it the long way). */
int ckpt_session_rec_pack(const struct ha_session_rec *s, uint8_t *out, size_t size);
/* The Session fields it writes, by number, in order. */
extern const uint32_t ckpt_session_rec_ids[];
extern const size_t ckpt_session_rec_n_ids;
/* haproto/ckpt_session_read.c: an envelope of one Session record, as our
 * packers write it, read straight into r (r->type HA_REC_SESSION): 0,
 * -EBADMSG for a record ckpt.c refuses, or 1 for octets it leaves to the
 * current path (r->u.session then written over, r->type untouched).  The
 * Session fields it reads, by number, in order. */
int ckpt_session_rec_read(const uint8_t *buf, size_t len, struct ha_rec *r, uint64_t *seq,
			  uint32_t *version);
extern const uint32_t ckpt_session_read_ids[];
extern const size_t ckpt_session_read_n_ids;
/* m's IPv6 into s: 0 or -EBADMSG. */
int ckpt_session_get_v6(const L2tpha__Session *m, struct ha_session_rec *s);

/* haproto/ckpt_flat.c: a flat message (scalars and byte strings of
 * proto3, a repeated one only to pack) in protobuf-c's octets.  Pack: the
 * length written into out, or -1 (no room, or not flat: protobuf-c packs
 * it).  Unpack into msg (storage of d->sizeof_message; byte strings point
 * into buf): 0, or 1 for anything it leaves to protobuf-c (which decodes
 * it or refuses it). */
int ckpt_flat_pack(const ProtobufCMessage *m, uint8_t *out, size_t size);
int ckpt_flat_unpack(const ProtobufCMessageDescriptor *d, const uint8_t *buf, size_t len,
		     void *msg);
/* haproto/ckpt_hand.c: the bodies of the stream (Tunnel, Seq, CtrlMsg,
 * Session, Delete) by code written for their fields, with
 * ckpt_flat_pack's and ckpt_flat_unpack's answers (which call them).
 * fields lists what that code knows, for the tests to hold against the
 * descriptor. */
struct ckpt_field_sig {
	uint32_t id;
	ProtobufCType type;
	ProtobufCLabel label;
};
struct ckpt_hand {
	const ProtobufCMessageDescriptor *desc;
	const struct ckpt_field_sig *fields;
	size_t n_fields;
	int (*pack)(const ProtobufCMessage *m, uint8_t *out, size_t size);
	int (*unpack)(const uint8_t *buf, size_t len, void *msg);
};
#define CKPT_HAND_N	5
extern const struct ckpt_hand ckpt_hand_codecs[CKPT_HAND_N];
/* The codec of messages of d, or NULL. */
const struct ckpt_hand *ckpt_hand_find(const ProtobufCMessageDescriptor *d);
/* A record's envelope of a flat body (Tunnel, Seq, CtrlMsg, Session,
 * Delete) into env, its body into body: 0, or 1 for anything else (a
 * batch, a control message, another kind, anything protobuf-c should
 * judge). */
union ckpt_flat_body {
	L2tpha__Tunnel tunnel;
	L2tpha__Seq seq;
	L2tpha__CtrlMsg msg;
	L2tpha__Session session;
	L2tpha__Delete del;
};
/* ckpt_decode_msg by protobuf-c alone, without the flat reader (what
 * the tests compare it with). */
int ckpt_decode_msg_pbc(const uint8_t *buf, size_t len, struct ha_rec *r, struct ha_ctl *c,
			uint64_t *seq, uint32_t *version);
int ckpt_flat_envelope(const uint8_t *buf, size_t len, L2tpha__Envelope *env,
		       union ckpt_flat_body *body);

/* haproto/ckpt_pppoe.c: a PPPoE session into m (vlan: its storage, at
 * least HA_PPPOE_VLANS), 0 or -EINVAL; m into p, 0 or -EBADMSG. */
int ckpt_pppoe_fill(L2tpha__PppoeSession *m, uint32_t *vlan, const struct ha_pppoe_rec *p);
int ckpt_pppoe_get(const L2tpha__PppoeSession *m, struct ha_pppoe_rec *p);
/* A PPPoE session terminated here, with its PPP (sm: the session part's
 * storage); the same answers. */
int ckpt_pppoe_local_fill(L2tpha__PppoeLocal *m, L2tpha__PppoeSession *sm, uint32_t *vlan,
			  const struct ha_pppoe_rec *p);
int ckpt_pppoe_local_get(const L2tpha__PppoeLocal *m, struct ha_pppoe_rec *p);
int ckpt_pppoe_del_get(const L2tpha__PppoeDelete *m, struct ha_pppoe_delete_rec *p);

#endif
