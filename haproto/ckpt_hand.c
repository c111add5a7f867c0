/*
 * The bodies of the stream's records (checkpoint.proto: Tunnel, Seq,
 * CtrlMsg, Session, Delete) packed and read by code written for their
 * fields.  ckpt_flat.c's walk of protobuf-c's descriptor tests every
 * field's label, type and offset before its value (callgrind, profile.sh
 * ha: about 2,300 instructions to pack a session record, 1,100 to read
 * one); here each field is one test of its value, in field-number order,
 * and the reader one switch on the field number.
 *
 * Each message's field list below (CKPT_*_FIELDS) is the only place its
 * fields are named: it expands into the packer, the reader and the
 * message's table in ckpt_hand_codecs[], which tests/unit/haproto/
 * test_ckpt_hand.c compares with protobuf-c's descriptor (numbers, types,
 * labels, order), so a field added to checkpoint.proto fails the tests
 * until it is added here.  The octets are protobuf-c's, and the reader
 * takes only what ckpt_flat.c's would take (a key of the field's own wire
 * type, a varint that fits the field), leaving the rest to protobuf-c
 * (return 1): an unknown field, a repeated one (Session.v6_route), a wire
 * type other than the field's, a length past the end.
 */
#include <string.h>

#include "haproto/ckpt_int.h"
#include "haproto/ckpt_put.h"

/* X(number, name, type) in field-number order. */
#define CKPT_TUNNEL_FIELDS(X)						\
	X(1, tid, UINT32) X(2, peer_tid, UINT32) X(3, local_addr, FIXED32)	\
	X(4, peer_addr, FIXED32) X(5, local_port, UINT32)		\
	X(6, peer_port, UINT32) X(7, group, BYTES) X(8, peer_host, BYTES)	\
	X(9, peer_vendor, BYTES) X(10, lns, BOOL) X(11, originator, BOOL)	\
	X(12, state, UINT32) X(13, peer_rws, UINT32) X(14, rws, UINT32)	\
	X(15, ha_enabled, BOOL) X(16, resync, UINT32)			\
	X(17, next_call_serial, UINT32) X(18, created_ms, UINT64)	\
	X(19, established_ms, UINT64)

#define CKPT_SEQ_FIELDS(X)						\
	X(1, tid, UINT32) X(2, ns, UINT32) X(3, nr, UINT32) X(4, una, UINT32)

#define CKPT_CTRL_MSG_FIELDS(X)						\
	X(1, tid, UINT32) X(2, ns, UINT32) X(3, msg, BYTES)

#define CKPT_DELETE_FIELDS(X)						\
	X(1, tid, UINT32) X(2, sid, UINT32)

/* But the repeated v6_route (101), packed last by hand. */
#define CKPT_SESSION_FIELDS(X)					\
	X(1, tid, UINT32) X(2, sid, UINT32) X(3, peer_sid, UINT32)	\
	X(4, state, UINT32) X(5, kind, UINT32) X(6, lns, BOOL)		\
	X(7, call_serial, UINT32) X(8, tx_speed, UINT32)		\
	X(9, rx_speed, UINT32) X(10, framing_type, UINT32)		\
	X(11, bearer_type, UINT32) X(12, calling, BYTES)		\
	X(13, called, BYTES) X(14, created_ms, UINT64)			\
	X(15, established_ms, UINT64)					\
	X(20, has_ppp, BOOL) X(21, ppp_up, BOOL)			\
	X(22, ppp_phase, UINT32) X(23, mru, UINT32)			\
	X(24, peer_mru, UINT32) X(25, magic, FIXED32)			\
	X(26, peer_magic, FIXED32) X(27, auth, UINT32)			\
	X(28, user, BYTES) X(29, ipcp_open, BOOL)			\
	X(30, local_ip, FIXED32) X(31, peer_ip, FIXED32)		\
	X(32, dns0, FIXED32) X(33, dns1, FIXED32)			\
	X(34, ipv6cp_open, BOOL) X(35, local_ifid, BYTES)		\
	X(36, peer_ifid, BYTES) X(37, ifname, BYTES) X(38, pool, BYTES)	\
	X(39, ppp_up_ms, UINT64) X(40, session_timeout, UINT32)		\
	X(41, idle_timeout, UINT32)					\
	X(50, acct_session_id, BYTES) X(51, class_attr, BYTES)		\
	X(52, acct_in_octets, UINT64) X(53, acct_out_octets, UINT64)	\
	X(54, acct_in_packets, UINT64) X(55, acct_out_packets, UINT64)	\
	X(56, acct_started, BOOL)					\
	X(80, v6, BOOL) X(81, v6_prefix, BYTES) X(82, v6_pool, BYTES)	\
	X(83, v6_pd, BYTES) X(84, v6_pd_len, UINT32)			\
	X(85, v6_pd_pool, BYTES) X(86, v6_bound, BOOL)			\
	X(87, v6_client_duid, BYTES) X(88, v6_iaid, UINT32)		\
	X(89, v6_lease_start_ms, UINT64) X(90, v6_valid, UINT32)	\
	X(91, v6_preferred, UINT32) X(92, v6_server_duid, BYTES)	\
	X(93, v6_na, BYTES) X(94, v6_na_pool, BYTES)			\
	X(95, v6_na_bound, BOOL) X(96, v6_na_client_duid, BYTES)	\
	X(97, v6_na_iaid, UINT32) X(98, v6_na_start_ms, UINT64)		\
	X(99, v6_na_valid, UINT32) X(100, v6_na_preferred, UINT32)

#define CKPT_SESSION_ROUTE	101

/* --- packing ------------------------------------------------------------ */

/* What the fields of a message can take at most: every field at its
 * widest, and every byte string's length; (size_t)-1 on overflow. */
#define LEN_BYTES(name)							\
	if (__builtin_add_overflow(n, m->name.len, &n))			\
		return (size_t)-1;
#define LEN_UINT32(name)
#define LEN_UINT64(name)
#define LEN_BOOL(name)
#define LEN_FIXED32(name)
#define LEN(id, name, type) LEN_##type(name)
#define COUNT(id, name, type) + 1
#define PUT(id, name, type) p = put_##type(p, KEY(id, type), m->name);

/* lname_bound(), lname_put(): a message of those fields. */
#define HAND_PACKER(lname, Type, FIELDS)				\
static size_t lname##_bound(const Type *m)				\
{									\
	size_t n = (0 FIELDS(COUNT)) * FIELD_MAX;			\
									\
	FIELDS(LEN)							\
	return n;							\
}									\
									\
static size_t lname##_put(const Type *m, uint8_t *out)			\
{									\
	uint8_t *p = out;						\
									\
	FIELDS(PUT)							\
	return (size_t)(p - out);					\
}

HAND_PACKER(tunnel, L2tpha__Tunnel, CKPT_TUNNEL_FIELDS)
HAND_PACKER(seq, L2tpha__Seq, CKPT_SEQ_FIELDS)
HAND_PACKER(ctrl_msg, L2tpha__CtrlMsg, CKPT_CTRL_MSG_FIELDS)
HAND_PACKER(delete, L2tpha__Delete, CKPT_DELETE_FIELDS)
HAND_PACKER(session_scalars, L2tpha__Session, CKPT_SESSION_FIELDS)

static size_t session_bound(const L2tpha__Session *m)
{
	size_t n = session_scalars_bound(m);

	if (m->n_v6_route > HA_V6_ROUTES)
		return (size_t)-1;
	for (size_t k = 0; k < m->n_v6_route; k++)
		if (__builtin_add_overflow(n, m->v6_route[k].len + FIELD_MAX, &n))
			return (size_t)-1;
	return n;
}

static size_t session_put(const L2tpha__Session *m, uint8_t *out)
{
	uint8_t *p = out + session_scalars_put(m, out);

	for (size_t k = 0; k < m->n_v6_route; k++) {
		/* protobuf-c writes every element of a repeated field, even
		 * an empty one */
		p = put_key(p, KEY(CKPT_SESSION_ROUTE, BYTES));
		p += ckpt_varint(p, m->v6_route[k].len);
		if (m->v6_route[k].len)
			memcpy(p, m->v6_route[k].data, m->v6_route[k].len);
		p += m->v6_route[k].len;
	}
	return (size_t)(p - out);
}

/* Rooms smaller than the bound: packed aside, then copied if it fits. */
#define HAND_ASIDE	8192

/* ckpt_flat_pack's answer for m, which put() packs and bound() bounds. */
#define HAND_PACK(lname, Type)						\
static int lname##_pack(const ProtobufCMessage *msg, uint8_t *out, size_t size) \
{									\
	const Type *m = (const Type *)msg;				\
	uint8_t aside[HAND_ASIDE];					\
	size_t bound, n;						\
									\
	if (msg->n_unknown_fields)					\
		return -1;						\
	bound = lname##_bound(m);					\
	if (bound > (size_t)INT32_MAX)					\
		return -1;						\
	if (size >= bound)						\
		return (int)lname##_put(m, out);			\
	if (bound > sizeof(aside))					\
		return -1;						\
	n = lname##_put(m, aside);					\
	if (n > size)							\
		return -1;						\
	memcpy(out, aside, n);						\
	return (int)n;							\
}

HAND_PACK(tunnel, L2tpha__Tunnel)
HAND_PACK(seq, L2tpha__Seq)
HAND_PACK(ctrl_msg, L2tpha__CtrlMsg)
HAND_PACK(delete, L2tpha__Delete)
HAND_PACK(session, L2tpha__Session)

/* --- reading ------------------------------------------------------------ */

/* A varint at *pp of at most 10 octets whose value fits 64 bits (a 10th
 * octet of 0 or 1), its octets in *octets: 0, or -1.  Out of line: the
 * readers below take the one-octet values themselves. */
static int __attribute__((noinline)) get_varint_slow(const uint8_t **pp, const uint8_t *end,
						      uint64_t *v, size_t *octets)
{
	const uint8_t *b = *pp;
	uint64_t x = 0;
	size_t n;

	if (end - b >= 10) {
		/* room for the longest: no octet checked against the end */
#define STEP(i)								\
		x |= (uint64_t)(b[i] & 0x7f) << (7 * (i));		\
		if (b[i] < 0x80) {					\
			n = (i) + 1;					\
			goto done;					\
		}
		STEP(0) STEP(1) STEP(2) STEP(3) STEP(4)
		STEP(5) STEP(6) STEP(7) STEP(8)
#undef STEP
		if (b[9] > 1)
			return -1;
		x |= (uint64_t)b[9] << 63;
		n = 10;
		goto done;
	}
	for (n = 0; n < 10 && b + n < end; n++) {
		if (n == 9 && b[n] > 1)
			return -1;
		x |= (uint64_t)(b[n] & 0x7f) << (7 * n);
		if (!(b[n] & 0x80)) {
			n++;
			goto done;
		}
	}
	return -1;
done:
	*pp = b + n;
	*v = x;
	*octets = n;
	return 0;
}

/* A varint value: one or two octets here (most: IDs, serials, sizes),
 * longer ones out of line. */
#define VARINT(v, n, fail)						\
	do {								\
		if (p < end && *p < 0x80) {				\
			(v) = *p++;					\
			(n) = 1;					\
		} else if (end - p >= 2 && p[1] < 0x80) {		\
			(v) = (p[0] & 0x7f) | (uint64_t)p[1] << 7;	\
			(n) = 2;					\
			p += 2;						\
		} else if (get_varint_slow(&p, end, &(v), &(n)) < 0) {	\
			fail;						\
		}							\
	} while (0)

/* Each kind of field: its value from p into member, or return 1 (to
 * protobuf-c) for what protobuf-c must judge: a uint32 wider than 32
 * bits or than the 5 octets protobuf-c reads of it, a value cut short. */
#define READ_UINT32(member)						\
	VARINT(v, n, return 1);						\
	if (n > 5 || v > UINT32_MAX)					\
		return 1;						\
	(member) = (uint32_t)v;
#define READ_UINT64(member)						\
	VARINT(v, n, return 1);						\
	(member) = v;
#define READ_BOOL(member)						\
	VARINT(v, n, return 1);						\
	(member) = v != 0;
#define READ_FIXED32(member)						\
	if (end - p < 4)						\
		return 1;						\
	(member) = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | \
		   (uint32_t)p[3] << 24;				\
	p += 4;
/* Points into buf: the message lives no longer than it. */
#define READ_BYTES(member)						\
	VARINT(v, n, return 1);						\
	if (v > (uint64_t)(end - p))					\
		return 1;						\
	(member).len = (size_t)v;					\
	(member).data = v ? (uint8_t *)p : NULL;			\
	p += v;

#define GET(id, name, type)						\
		case id:						\
			if ((key & 7) != WT_##type)			\
				return 1;				\
			READ_##type(m->name)				\
			break;

/* lname_unpack(): ckpt_flat_unpack's answer for a message of those
 * fields (init: its initialiser).  A key is one octet for fields 1 to 15,
 * two up to 2047. */
#define HAND_UNPACK(lname, Type, FIELDS, init)				\
static int lname##_unpack(const uint8_t *buf, size_t len, void *msg)	\
{									\
	const uint8_t *p = buf, *end = buf + len;			\
	Type *m = msg;							\
	uint64_t key, v;						\
	size_t n;							\
									\
	init(m);							\
	while (p < end) {						\
		if (*p < 0x80) {					\
			key = *p++;					\
		} else if (end - p >= 2 && p[1] < 0x80) {		\
			key = (p[0] & 0x7f) | (uint64_t)p[1] << 7;	\
			p += 2;						\
		} else if (get_varint_slow(&p, end, &key, &n) < 0) {	\
			return 1;					\
		}							\
		/* by number (dense: a jump table), then wire type */	\
		switch (key < 1024 ? key >> 3 : 0) {			\
		FIELDS(GET)						\
		default:						\
			return 1;	/* unknown, repeated, odd */	\
		}							\
	}								\
	return 0;							\
}

HAND_UNPACK(tunnel, L2tpha__Tunnel, CKPT_TUNNEL_FIELDS, l2tpha__tunnel__init)
HAND_UNPACK(seq, L2tpha__Seq, CKPT_SEQ_FIELDS, l2tpha__seq__init)
HAND_UNPACK(ctrl_msg, L2tpha__CtrlMsg, CKPT_CTRL_MSG_FIELDS, l2tpha__ctrl_msg__init)
HAND_UNPACK(delete, L2tpha__Delete, CKPT_DELETE_FIELDS, l2tpha__delete__init)
HAND_UNPACK(session, L2tpha__Session, CKPT_SESSION_FIELDS, l2tpha__session__init)

/* --- the table ----------------------------------------------------------- */

#define SIG(id, name, type) { id, PROTOBUF_C_TYPE_##type, PROTOBUF_C_LABEL_NONE },

static const struct ckpt_field_sig tunnel_fields[] = { CKPT_TUNNEL_FIELDS(SIG) };
static const struct ckpt_field_sig seq_fields[] = { CKPT_SEQ_FIELDS(SIG) };
static const struct ckpt_field_sig ctrl_msg_fields[] = { CKPT_CTRL_MSG_FIELDS(SIG) };
static const struct ckpt_field_sig delete_fields[] = { CKPT_DELETE_FIELDS(SIG) };
static const struct ckpt_field_sig session_fields[] = {
	CKPT_SESSION_FIELDS(SIG)
	{ CKPT_SESSION_ROUTE, PROTOBUF_C_TYPE_BYTES, PROTOBUF_C_LABEL_REPEATED },
};

#define HAND(lname, desc)						\
	{ &desc, lname##_fields, sizeof(lname##_fields) / sizeof(lname##_fields[0]), \
	  lname##_pack, lname##_unpack }

/* The most frequent first: ckpt_hand_find() looks them up in order. */
const struct ckpt_hand ckpt_hand_codecs[CKPT_HAND_N] = {
	HAND(session, l2tpha__session__descriptor),
	HAND(ctrl_msg, l2tpha__ctrl_msg__descriptor),
	HAND(seq, l2tpha__seq__descriptor),
	HAND(tunnel, l2tpha__tunnel__descriptor),
	HAND(delete, l2tpha__delete__descriptor),
};

const struct ckpt_hand *ckpt_hand_find(const ProtobufCMessageDescriptor *d)
{
	for (unsigned i = 0; i < CKPT_HAND_N; i++)
		if (ckpt_hand_codecs[i].desc == d)
			return &ckpt_hand_codecs[i];
	return NULL;
}
