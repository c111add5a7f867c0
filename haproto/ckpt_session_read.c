/*
 * A session record read straight from its envelope into the record
 * (struct ha_session_rec), the standby's side of the stream's most
 * frequent record and the mirror of ckpt_session_rec.c: the current path
 * reads the body into protobuf-c's L2tpha__Session (its initialiser
 * copied, every field stored) only for ckpt.c to walk it again
 * (ckpt_session_get()) into the record.  Here each field goes from the
 * wire to the record once, with ckpt.c's rules.
 *
 * Only the octets our packers write are read here: the envelope's
 * version, seq and one Session body, in that order and nothing after;
 * the body's fields in increasing number order (Framed-IPv6-Routes
 * repeated last), each once, of its own wire type, the IPv6 fields only
 * after v6 = 1.  Anything else (a field twice, out of order, unknown,
 * cut short, a uint32 in more than 5 octets) is answered 1 and read by
 * the current path, so that protobuf-c's rules (the last of a repeated
 * field wins, unknown fields skipped) are not written twice.  Since each
 * field comes once, a value ckpt.c refuses is refused the same
 * (-EBADMSG), after the whole envelope is known to be ours to read.
 * tests/unit/haproto/test_ckpt_flat.c reads every truncation and
 * corruption both ways; test_ckpt_hand.c holds the field list below to
 * the schema.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "haproto/ckpt_int.h"
#include "haproto/ckpt_put.h"

/* The fields read below (tests/unit/haproto/test_ckpt_hand.c holds them
 * to the schema's: a field added to Session fails there until it is
 * read here). */
const uint32_t ckpt_session_read_ids[] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41,
	50, 51, 52, 53, 54, 55, 56,
	80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101,
};
const size_t ckpt_session_read_n_ids =
	sizeof(ckpt_session_read_ids) / sizeof(ckpt_session_read_ids[0]);

#define SESSION_BODY	13	/* checkpoint.proto: Envelope.session */
#define SESSION_ROUTE	101	/* the one repeated field */

/* A varint read: where the next field starts (NULL: cut short or longer
 * than 64 bits), and its value; in registers, not through memory. */
struct varint {
	const uint8_t *next;
	uint64_t val;
};

/* A varint of at most 10 octets whose value fits 64 bits (a 10th octet of
 * 0 or 1).  Out of line: VARINT() takes the one- and two-octet ones (most
 * values, and the keys of fields 1 to 2047) itself. */
static struct varint __attribute__((noinline)) varint_long(const uint8_t *p, const uint8_t *end)
{
	struct varint r = { NULL, 0 };
	unsigned i;

	if (end - p >= 10) {
		/* room for the longest: no octet checked against the end */
#define STEP(k)								\
		r.val |= (uint64_t)(p[k] & 0x7f) << (7 * (k));		\
		if (p[k] < 0x80) {					\
			i = (k);					\
			goto done;					\
		}
		STEP(0) STEP(1) STEP(2) STEP(3) STEP(4)
		STEP(5) STEP(6) STEP(7) STEP(8)
#undef STEP
		i = 9;
		if (p[9] > 1)
			return (struct varint){ NULL, 0 };
		r.val |= (uint64_t)p[9] << 63;
		goto done;
	}
	for (i = 0; p + i < end; i++) {
		r.val |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (p[i] < 0x80)
			goto done;
	}
	return (struct varint){ NULL, 0 };
done:
	r.next = p + i + 1;
	return r;
}

/* The varint at p into v, its octets into n, p past it; or fail. */
#define VARINT(v, n, fail)						\
	do {								\
		if (p < end && p[0] < 0x80) {				\
			(v) = *p++;					\
			(n) = 1;					\
		} else if (end - p >= 2 && p[1] < 0x80) {		\
			(v) = (p[0] & 0x7fu) | (uint64_t)p[1] << 7;	\
			(n) = 2;					\
			p += 2;						\
		} else {						\
			struct varint r_ = varint_long(p, end);		\
									\
			if (r_.next == NULL)				\
				fail;					\
			(n) = (size_t)(r_.next - p);			\
			(v) = r_.val;					\
			p = r_.next;					\
		}							\
	} while (0)

/* Text and its terminator into dst (zeroed): 1 if it does not fit. */
static inline int put_text(char *dst, size_t size, const uint8_t *b, uint64_t len)
{
	if (len >= size)
		return 1;
	memcpy(dst, b, (size_t)len);
	return 0;
}

/* 16 octets or nothing (ckpt_v6.c's ckpt_v6_addr()). */
static inline int put_v6_addr(uint8_t dst[16], uint8_t *has, const uint8_t *b, uint64_t len)
{
	if (len == 0)
		return 0;
	if (len != 16)
		return 1;
	memcpy(dst, b, 16);
	*has = 1;
	return 0;
}

static inline int put_duid(uint8_t *dst, uint8_t *dlen, const uint8_t *b, uint64_t len)
{
	if (len > HA_DUID_MAX)
		return 1;
	memcpy(dst, b, (size_t)len);
	*dlen = (uint8_t)len;
	return 0;
}

/* RADIUS Class: at most 253 octets (RFC 2865 §5). */
static inline int put_class(struct ha_session_rec *s, const uint8_t *b, uint64_t len)
{
	if (len > HA_CLASS_MAX)
		return 1;
	memcpy(s->class_attr, b, (size_t)len);
	s->class_len = (uint8_t)len;
	return 0;
}

/* ckpt_v6.c's ckpt_v6_routes_get(), one route at a time. */
static int put_route(struct ha_session_rec *s, const uint8_t *b, uint64_t len)
{
	struct ha_v6_route *r;

	if (s->v6_n_routes >= HA_V6_ROUTES || len != CKPT_V6_ROUTE_LEN || b[16] == 0 ||
	    b[16] > 128)
		return 1;
	r = &s->v6_route[s->v6_n_routes++];
	memcpy(r->dst, b, 16);
	r->plen = b[16];
	memcpy(r->gw, b + 17, 16);
	r->metric = (uint32_t)b[33] << 24 | (uint32_t)b[34] << 16 | (uint32_t)b[35] << 8 | b[36];
	return 0;
}

/* The wire type each field must come in, and where a value goes: one
 * case per field.  v: the varint or fixed32, or the byte string's
 * length. */
/* A uint32 as protobuf-c takes it: at most 5 octets, 32 bits. */
#define VARINT_FIELD(id, stmt)						\
	case id:							\
		if (wt != 0)						\
			return 1;					\
		VARINT(v, n, return 1);					\
		if (n > 5 || v > UINT32_MAX)				\
			return 1;					\
		stmt;							\
		break;
#define VARINT64_FIELD(id, stmt)					\
	case id:							\
		if (wt != 0)						\
			return 1;					\
		VARINT(v, n, return 1);					\
		stmt;							\
		break;
#define FIXED_FIELD(id, stmt)						\
	case id:							\
		if (wt != 5 || end - p < 4)				\
			return 1;					\
		v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | \
		    (uint32_t)p[3] << 24;					\
		p += 4;							\
		stmt;							\
		break;
/* v: the length; p at the octets while stmt runs. */
#define BYTES_FIELD(id, stmt)						\
	case id:							\
		if (wt != 2)						\
			return 1;					\
		VARINT(v, n, return 1);					\
		if (v > (uint64_t)(end - p))				\
			return 1;					\
		stmt;							\
		p += v;							\
		break;
#define U16(id, m)	VARINT_FIELD(id, bad |= v > UINT16_MAX; (m) = (uint16_t)v)
#define U8(id, m)	VARINT_FIELD(id, bad |= v > UINT8_MAX; (m) = (uint8_t)v)
#define U32(id, m)	VARINT_FIELD(id, (m) = (uint32_t)v)
#define U64(id, m)	VARINT64_FIELD(id, (m) = v)
#define BOOL(id, m)	VARINT64_FIELD(id, (m) = v != 0)
#define FIX(id, m)	FIXED_FIELD(id, (m) = (uint32_t)v)
#define IP(id, m)	FIXED_FIELD(id, (m) = htonl((uint32_t)v))
#define TEXT(id, m)	BYTES_FIELD(id, bad |= put_text((m), sizeof(m), p, v))
#define IFID(id, m)	BYTES_FIELD(id, bad |= v != 0 && v != 8; if (v == 8) memcpy((m), p, 8))

/* A lease's six fields from first (86 or 95). */
#define LEASE(first, l)							\
	BOOL(first, (l).bound)						\
	BYTES_FIELD(first + 1, bad |= put_duid((l).client_duid, &(l).client_duid_len, p, v)) \
	U32(first + 2, (l).iaid)					\
	U64(first + 3, (l).start_ms)					\
	U32(first + 4, (l).valid)					\
	U32(first + 5, (l).preferred)

/* The body's fields into s (zeroed): 0, 1 (the current path's to read),
 * or -EBADMSG. */
static int session_read(const uint8_t *p, const uint8_t *end, struct ha_session_rec *s)
{
	uint64_t key, v;
	uint32_t last = 0, id;
	unsigned wt;
	size_t n;
	int bad = 0;

	while (p < end) {
		VARINT(key, n, return 1);
		if (key >= (uint64_t)1 << 32)
			return 1;
		id = (uint32_t)(key >> 3);
		wt = (unsigned)(key & 7);
		/* each once, in order; the routes (the last field) repeated */
		if ((id <= last && id != SESSION_ROUTE) || (id > 80 && !s->v6))
			return 1;
		last = id;
		switch (id) {
		U16(1, s->tid) U16(2, s->sid) U16(3, s->peer_sid)
		U8(4, s->state) U8(5, s->kind) BOOL(6, s->lns)
		U32(7, s->call_serial) U32(8, s->tx_speed) U32(9, s->rx_speed)
		U32(10, s->framing_type) U32(11, s->bearer_type)
		TEXT(12, s->calling) TEXT(13, s->called)
		U64(14, s->created_ms) U64(15, s->established_ms)
		BOOL(20, s->has_ppp) BOOL(21, s->ppp_up) U8(22, s->ppp_phase)
		U16(23, s->mru) U16(24, s->peer_mru)
		FIX(25, s->magic) FIX(26, s->peer_magic)
		U8(27, s->auth) TEXT(28, s->user) BOOL(29, s->ipcp_open)
		IP(30, s->local_ip) IP(31, s->peer_ip) IP(32, s->dns[0]) IP(33, s->dns[1])
		BOOL(34, s->ipv6cp_open) IFID(35, s->local_ifid) IFID(36, s->peer_ifid)
		TEXT(37, s->ifname) TEXT(38, s->pool) U64(39, s->ppp_up_ms)
		U32(40, s->session_timeout) U32(41, s->idle_timeout)
		TEXT(50, s->acct_session_id)
		BYTES_FIELD(51, bad |= put_class(s, p, v))
		U64(52, s->acct_in_octets) U64(53, s->acct_out_octets)
		U64(54, s->acct_in_packets) U64(55, s->acct_out_packets)
		BOOL(56, s->acct_started)
		BOOL(80, s->v6)
		BYTES_FIELD(81, bad |= put_v6_addr(s->v6_prefix, &s->v6_has_prefix, p, v))
		TEXT(82, s->v6_pool)
		BYTES_FIELD(83, bad |= put_v6_addr(s->v6_pd, &s->v6_has_pd, p, v))
		VARINT_FIELD(84, bad |= v > 128; s->v6_pd_len = (uint8_t)v)
		TEXT(85, s->v6_pd_pool)
		LEASE(86, s->v6_lease)
		BYTES_FIELD(92, bad |= put_duid(s->v6_server_duid, &s->v6_server_duid_len, p, v))
		BYTES_FIELD(93, bad |= put_v6_addr(s->v6_na, &s->v6_has_na, p, v))
		TEXT(94, s->v6_na_pool)
		LEASE(95, s->v6_na_lease)
		BYTES_FIELD(SESSION_ROUTE, bad |= put_route(s, p, v))
		default:
			return 1;
		}
	}
	/* Session ID 0 addresses the tunnel itself (RFC 2661 §3.1). */
	if (bad || s->tid == 0 || s->sid == 0)
		return -EBADMSG;
	return 0;
}

int ckpt_session_rec_read(const uint8_t *buf, size_t len, struct ha_rec *r, uint64_t *seq,
			  uint32_t *version)
{
	const uint8_t *p = buf, *end = buf + len;
	uint64_t ver = 0, sq = 0, blen;
	size_t n;
	int rc;

	if (p < end && *p == (1 << 3)) {			/* schema_version */
		p++;
		VARINT(ver, n, return 1);
		if (n > 5 || ver > UINT32_MAX)
			return 1;
	}
	if (p < end && *p == (2 << 3)) {			/* seq */
		p++;
		VARINT(sq, n, return 1);
	}
	/* the body, to the end */
	if (p >= end || *p++ != (SESSION_BODY << 3 | 2))
		return 1;
	VARINT(blen, n, return 1);
	if (blen != (uint64_t)(end - p))
		return 1;
	memset(&r->u.session, 0, sizeof(r->u.session));
	rc = session_read(p, end, &r->u.session);
	if (rc != 0)
		return rc;
	r->type = HA_REC_SESSION;
	if (seq)
		*seq = sq;
	if (version)
		*version = (uint32_t)ver;
	return 0;
}
