/*
 * Inside the checkpoint codec: a field of a protobuf message written in
 * protobuf-c's octets (haproto/ckpt_hand.c, ckpt_session_rec.c), one test
 * of its value and nothing when it is zero (proto3).  The caller has made
 * room for it.
 */
#ifndef HAPROTO_CKPT_PUT_H
#define HAPROTO_CKPT_PUT_H

#include <string.h>

#include "haproto/ckpt_int.h"

/* The wire type of each kind of field (protobuf encoding). */
#define WT_UINT32	0
#define WT_UINT64	0
#define WT_BOOL		0
#define WT_FIXED32	5
#define WT_BYTES	2
#define KEY(id, type)	(((uint32_t)(id) << 3) | WT_##type)

/* The most a field other than bytes takes: a key of 2 octets (fields up
 * to 2047) and a 10-octet varint. */
#define FIELD_MAX	12

static inline uint8_t *put_key(uint8_t *p, uint32_t key)
{
	if (key < 0x80) {
		*p++ = (uint8_t)key;
	} else {
		*p++ = (uint8_t)(key | 0x80);
		*p++ = (uint8_t)(key >> 7);
	}
	return p;
}

static inline uint8_t *put_UINT64(uint8_t *p, uint32_t key, uint64_t v)
{
	if (v == 0)
		return p;
	p = put_key(p, key);
	return p + ckpt_varint(p, v);
}

static inline uint8_t *put_UINT32(uint8_t *p, uint32_t key, uint32_t v)
{
	return put_UINT64(p, key, v);
}

static inline uint8_t *put_BOOL(uint8_t *p, uint32_t key, protobuf_c_boolean v)
{
	if (!v)
		return p;
	p = put_key(p, key);
	*p++ = 1;
	return p;
}

static inline uint8_t *put_FIXED32(uint8_t *p, uint32_t key, uint32_t v)
{
	if (v == 0)
		return p;
	p = put_key(p, key);
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
	return p + 4;
}

/* protobuf-c's "zeroish" bytes (no data or no length) are left out. */
static inline uint8_t *put_BYTES(uint8_t *p, uint32_t key, ProtobufCBinaryData b)
{
	if (b.data == NULL || b.len == 0)
		return p;
	p = put_key(p, key);
	p += ckpt_varint(p, b.len);
	memcpy(p, b.data, b.len);
	return p + b.len;
}

#endif
