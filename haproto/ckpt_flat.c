/*
 * A record's body packed and unpacked straight from protobuf-c's own
 * descriptor (ckpt_int.h).  protobuf-c's generic pack sizes a message
 * before it writes it, and its unpack scans a message twice, allocating
 * and initialising as it goes: about 9,000 instructions to encode a
 * session record and 10,000 to decode one (callgrind, ha_bench).  The
 * bodies of the stream (Tunnel, Seq, CtrlMsg, Session, Delete) are flat:
 * scalars and byte strings of proto3, one level deep.  Such a message is
 * walked here field by field, in the descriptor's order (field numbers,
 * as protobuf-c packs them), with the same octets as protobuf-c's pack.
 * Those five have codecs written for their fields (ckpt_hand.c), which
 * these functions hand them to; the walk is for any other flat message.
 *
 * Unpacking takes only what it is sure of and leaves anything else to
 * protobuf-c (return 1): a wire type other than the field's, a varint
 * wider than the field, a repeated or nested field, a field number it
 * does not know, a length past the end.  What it accepts therefore
 * decodes exactly as protobuf-c would decode it (tests/unit/haproto/
 * test_ckpt_flat.c compares both on every record kind, on random records
 * and on every truncation and corruption of them).  Byte strings point
 * into the caller's buffer: the message lives no longer than it.
 */
#include <errno.h>
#include <string.h>

#include "haproto/ckpt_int.h"

#define WT_VARINT	0
#define WT_FIXED64	1
#define WT_LEN		2
#define WT_FIXED32	5

/* A varint at *pos of at most 10 octets whose value fits 64 bits (a 10th
 * octet of 0 or 1): 0, or -1 (leave it to protobuf-c). */
static inline int flat_varint_get(const uint8_t *buf, size_t len, size_t *pos, uint64_t *v,
				  size_t *octets)
{
	size_t p = *pos, n;
	uint64_t x = 0;

	if (p < len && buf[p] < 0x80) {		/* most keys and values */
		*v = buf[p];
		*pos = p + 1;
		*octets = 1;
		return 0;
	}
	for (n = 0; n < 10 && p < len; n++) {
		uint8_t b = buf[p++];

		if (n == 9 && b > 1)
			return -1;
		x |= (uint64_t)(b & 0x7f) << (7 * n);
		if (!(b & 0x80)) {
			*pos = p;
			*v = x;
			*octets = n + 1;
			return 0;
		}
	}
	return -1;
}

/* A repeated bytes field at *pos: 0, or -1 (no room). */
static int flat_pack_repeated(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
			      uint8_t *out, size_t size, size_t *pos)
{
	size_t n = *(const size_t *)((const uint8_t *)m + f->quantifier_offset);
	const ProtobufCBinaryData *a =
		*(const ProtobufCBinaryData *const *)((const uint8_t *)m + f->offset);

	for (size_t k = 0; k < n; k++) {
		if (a[k].len > size || *pos + 20 > size - a[k].len)
			return -1;
		*pos += ckpt_varint(out + *pos, ((uint64_t)f->id << 3) | WT_LEN);
		*pos += ckpt_varint(out + *pos, a[k].len);
		if (a[k].len)
			memcpy(out + *pos, a[k].data, a[k].len);
		*pos += a[k].len;
	}
	return 0;
}

/*
 * Most fields of a record are zero and left out: a field costs the test
 * of its value first, the room for it only when it is written (callgrind:
 * the checks before the value were two thirds of a session record's
 * pack).
 */
int ckpt_flat_pack(const ProtobufCMessage *m, uint8_t *out, size_t size)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const struct ckpt_hand *h = ckpt_hand_find(d);
	size_t pos = 0;

	if (h)
		return h->pack(m, out, size);
	if (m->n_unknown_fields)
		return -1;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const uint8_t *member = (const uint8_t *)m + f->offset;
		uint64_t v;

		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) || f->label != PROTOBUF_C_LABEL_NONE) {
			if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) ||
			    f->label != PROTOBUF_C_LABEL_REPEATED ||
			    f->type != PROTOBUF_C_TYPE_BYTES ||
			    flat_pack_repeated(m, f, out, size, &pos) < 0)
				return -1;
			continue;
		}
		switch (f->type) {
		case PROTOBUF_C_TYPE_UINT32:
			v = *(const uint32_t *)member;
			break;
		case PROTOBUF_C_TYPE_UINT64:
			v = *(const uint64_t *)member;
			break;
		case PROTOBUF_C_TYPE_BOOL:
			v = *(const protobuf_c_boolean *)member != 0;
			break;
		case PROTOBUF_C_TYPE_FIXED32:
			v = *(const uint32_t *)member;
			if (v == 0)
				continue;
			if (pos + 20 > size)
				return -1;
			pos += ckpt_varint(out + pos, ((uint64_t)f->id << 3) | WT_FIXED32);
			out[pos++] = (uint8_t)v;
			out[pos++] = (uint8_t)(v >> 8);
			out[pos++] = (uint8_t)(v >> 16);
			out[pos++] = (uint8_t)(v >> 24);
			continue;
		case PROTOBUF_C_TYPE_BYTES: {
			const ProtobufCBinaryData *b = (const ProtobufCBinaryData *)member;

			/* protobuf-c's "zeroish" bytes: no data or no length. */
			if (b->data == NULL || b->len == 0)
				continue;
			if (b->len > size || pos + 20 > size - b->len)
				return -1;
			pos += ckpt_varint(out + pos, ((uint64_t)f->id << 3) | WT_LEN);
			pos += ckpt_varint(out + pos, b->len);
			memcpy(out + pos, b->data, b->len);
			pos += b->len;
			continue;
		}
		default:
			return -1;
		}
		if (v == 0)
			continue;
		if (pos + 20 > size)
			return -1;
		pos += ckpt_varint(out + pos, ((uint64_t)f->id << 3) | WT_VARINT);
		pos += ckpt_varint(out + pos, v);
	}
	return pos <= (size_t)INT32_MAX ? (int)pos : -1;
}

/* The field of number id: searched forward from *hint (fields come in
 * the descriptor's order, by number, and the zeros are left out), else
 * protobuf-c's search. */
static const ProtobufCFieldDescriptor *flat_field(const ProtobufCMessageDescriptor *d,
						  uint64_t id, unsigned *hint)
{
	const ProtobufCFieldDescriptor *f;
	unsigned i = *hint;

	while (i < d->n_fields && d->fields[i].id < id)
		i++;
	if (i < d->n_fields && d->fields[i].id == id) {
		f = &d->fields[i];
	} else {
		if (id > UINT32_MAX)
			return NULL;
		f = protobuf_c_message_descriptor_get_field(d, (unsigned)id);
		if (f == NULL)
			return NULL;
	}
	*hint = (unsigned)(f - d->fields) + 1;
	return f;
}

int ckpt_flat_unpack(const ProtobufCMessageDescriptor *d, const uint8_t *buf, size_t len,
		     void *msg)
{
	const struct ckpt_hand *h = ckpt_hand_find(d);
	size_t pos = 0, n;
	unsigned hint = 0;

	if (h)
		return h->unpack(buf, len, msg);
	d->message_init(msg);
	while (pos < len) {
		const ProtobufCFieldDescriptor *f;
		uint64_t key, v;
		uint8_t *member;
		unsigned wt;

		if (flat_varint_get(buf, len, &pos, &key, &n) < 0)
			return 1;
		wt = (unsigned)(key & 7);
		f = (key >> 3) != 0 ? flat_field(d, key >> 3, &hint) : NULL;
		if (f == NULL || f->label != PROTOBUF_C_LABEL_NONE ||
		    (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
			return 1;	/* unknown, repeated or nested: protobuf-c's */
		member = (uint8_t *)msg + f->offset;
		switch (f->type) {
		case PROTOBUF_C_TYPE_UINT32:
			if (wt != WT_VARINT || flat_varint_get(buf, len, &pos, &v, &n) < 0 ||
			    n > 5 || v > UINT32_MAX)
				return 1;
			*(uint32_t *)member = (uint32_t)v;
			break;
		case PROTOBUF_C_TYPE_UINT64:
			if (wt != WT_VARINT || flat_varint_get(buf, len, &pos, &v, &n) < 0)
				return 1;
			*(uint64_t *)member = v;
			break;
		case PROTOBUF_C_TYPE_BOOL:
			if (wt != WT_VARINT || flat_varint_get(buf, len, &pos, &v, &n) < 0)
				return 1;
			*(protobuf_c_boolean *)member = v != 0;
			break;
		case PROTOBUF_C_TYPE_FIXED32:
			if (wt != WT_FIXED32 || len - pos < 4)
				return 1;
			*(uint32_t *)member = (uint32_t)buf[pos] | (uint32_t)buf[pos + 1] << 8 |
					      (uint32_t)buf[pos + 2] << 16 |
					      (uint32_t)buf[pos + 3] << 24;
			pos += 4;
			break;
		case PROTOBUF_C_TYPE_BYTES: {
			ProtobufCBinaryData *b = (ProtobufCBinaryData *)member;

			if (wt != WT_LEN || flat_varint_get(buf, len, &pos, &v, &n) < 0 ||
			    v > len - pos)
				return 1;
			b->len = (size_t)v;
			b->data = v ? (uint8_t *)buf + pos : NULL;
			pos += (size_t)v;
			break;
		}
		default:
			return 1;
		}
	}
	return 0;
}

/* The bodies of the stream's records, all flat. */
static int flat_body(const ProtobufCMessageDescriptor *d)
{
	return d == &l2tpha__tunnel__descriptor || d == &l2tpha__seq__descriptor ||
	       d == &l2tpha__ctrl_msg__descriptor || d == &l2tpha__session__descriptor ||
	       d == &l2tpha__delete__descriptor;
}

int ckpt_flat_envelope(const uint8_t *buf, size_t len, L2tpha__Envelope *env,
		       union ckpt_flat_body *body)
{
	size_t pos = 0, n;
	int have_body = 0;

	l2tpha__envelope__init(env);
	while (pos < len) {
		const ProtobufCFieldDescriptor *f;
		uint64_t key, v;

		if (flat_varint_get(buf, len, &pos, &key, &n) < 0)
			return 1;
		if (key == ((1 << 3) | WT_VARINT)) {		/* schema_version */
			if (flat_varint_get(buf, len, &pos, &v, &n) < 0 || n > 5 || v > UINT32_MAX)
				return 1;
			env->schema_version = (uint32_t)v;
			continue;
		}
		if (key == ((2 << 3) | WT_VARINT)) {		/* seq */
			if (flat_varint_get(buf, len, &pos, &v, &n) < 0)
				return 1;
			env->seq = v;
			continue;
		}
		/* One body of a flat kind; a second body, a batch, a control
		 * message, a newer kind: protobuf-c's. */
		if ((key & 7) != WT_LEN || have_body || (key >> 3) < 10 || (key >> 3) > UINT32_MAX)
			return 1;
		f = protobuf_c_message_descriptor_get_field(&l2tpha__envelope__descriptor,
							    (unsigned)(key >> 3));
		if (f == NULL || f->type != PROTOBUF_C_TYPE_MESSAGE ||
		    !(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) || !flat_body(f->descriptor) ||
		    ((const ProtobufCMessageDescriptor *)f->descriptor)->sizeof_message >
			    sizeof(*body))
			return 1;
		if (flat_varint_get(buf, len, &pos, &v, &n) < 0 || v > len - pos ||
		    ckpt_flat_unpack(f->descriptor, buf + pos, (size_t)v, body) != 0)
			return 1;
		pos += (size_t)v;
		*(uint32_t *)((uint8_t *)env + f->quantifier_offset) = f->id;
		*(void **)((uint8_t *)env + f->offset) = body;
		have_body = 1;
	}
	return 0;
}
