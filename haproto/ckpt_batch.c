/*
 * A batch of checkpoint records (ckpt.h, checkpoint.proto's
 * Envelope.batch), written and read by hand rather than packed and
 * unpacked whole: protobuf-c would size every record twice on the way
 * out, and on the way in copy every record into a fresh allocation only
 * for each to be unpacked again by ckpt_decode_msg().
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "haproto/ckpt_int.h"

/* The encoder's layout: the version (if any), then the first record of
 * the batch.  A single envelope has its seq (field 2) or body there. */
static int ckpt_batch_is(const uint8_t *buf, size_t len)
{
	size_t i = 0;

	if (len > 0 && buf[0] == CKPT_TAG_VERSION) {
		for (i = 1; i < len && i < 6 && (buf[i] & 0x80); i++)
			;
		i++;
	}
	return i < len && buf[i] == CKPT_TAG_BATCH;
}

/* A varint at *pos (protobuf: at most 10 octets); 0, or -EBADMSG. */
static int ckpt_varint_get(const uint8_t *buf, size_t len, size_t *pos, uint64_t *v)
{
	unsigned shift;

	*v = 0;
	for (shift = 0; shift < 70 && *pos < len; shift += 7) {
		uint8_t b = buf[(*pos)++];

		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
	}
	return -EBADMSG;
}

/* Past the value of a field of wire type wt (protobuf encoding: 0 varint,
 * 1 fixed64, 2 length-delimited, 5 fixed32); 0, or -EBADMSG. */
static int ckpt_skip(const uint8_t *buf, size_t len, size_t *pos, unsigned wt)
{
	uint64_t v;

	switch (wt) {
	case 0:
		return ckpt_varint_get(buf, len, pos, &v);
	case 1:
		v = 8;
		break;
	case 5:
		v = 4;
		break;
	case 2:
		if (ckpt_varint_get(buf, len, pos, &v) < 0)
			return -EBADMSG;
		break;
	default:
		return -EBADMSG;
	}
	if (v > len - *pos)
		return -EBADMSG;
	*pos += (size_t)v;
	return 0;
}

/*
 * The same rules as protobuf's: every length checked against what is left, fields
 * other than the batch's skipped (a newer schema's), a body beside a batch
 * refused.  Checked whole before the first record is handed over.
 */
static int ckpt_batch_scan(const uint8_t *buf, size_t len,
			   void (*each)(void *arg, const uint8_t *rec, size_t len), void *arg)
{
	size_t pos = 0;
	uint64_t key, n;
	int count = 0;

	while (pos < len) {
		if (ckpt_varint_get(buf, len, &pos, &key) < 0)
			return -EBADMSG;
		if (key == CKPT_TAG_BATCH) {
			if (ckpt_varint_get(buf, len, &pos, &n) < 0 || n > len - pos)
				return -EBADMSG;
			if (each)
				each(arg, buf + pos, (size_t)n);
			pos += (size_t)n;
			count++;
		} else if ((key >> 3) >= 10 || (key >> 3) == 0) {
			return -EBADMSG;	/* a body (10 and up), or field 0 */
		} else if (ckpt_skip(buf, len, &pos, (unsigned)(key & 7)) < 0) {
			return -EBADMSG;
		}
	}
	return count;
}

int ckpt_batch_walk(const uint8_t *buf, size_t len,
		    void (*each)(void *arg, const uint8_t *rec, size_t len), void *arg)
{
	int n;

	if (!buf || !each)
		return -EBADMSG;
	if (len > HA_CKPT_MAX_LEN)
		return -EMSGSIZE;
	if (!ckpt_batch_is(buf, len))
		return 0;
	n = ckpt_batch_scan(buf, len, NULL, NULL);
	if (n <= 0)
		return -EBADMSG;
	return ckpt_batch_scan(buf, len, each, arg);
}

/* --- writing ------------------------------------------------------------ */

int ckpt_batch_begin(uint8_t *buf, size_t size, uint32_t version)
{
	if (!buf)
		return -EINVAL;
	if (size < 6)
		return -ENOSPC;
	buf[0] = CKPT_TAG_VERSION;
	return (int)(1 + ckpt_varint(buf + 1, version));
}

/*
 * A record's envelope is schema_version (field 1), seq (field 2) and one
 * message of the oneof body (fields 10..), which protobuf-c writes in that
 * order, a scalar only when it is not 0.  The head before the body is
 * written here, so that the body is sized once: protobuf-c's
 * get_packed_size of the envelope sizes the body, and its pack sizes it
 * again for its length prefix (callgrind: 4,000 of the 9,500 instructions
 * a session record took to encode).  The octets are protobuf-c's own
 * (tests/unit/haproto/test_ckpt_batch.c compares them).  Returns the
 * head's length in head[] (at most 1 + 5 + 1 + 10 + 2 + 10 octets) and the
 * body in *body and its size in *body_len; 0 when the envelope is not of
 * that shape (the caller packs it whole).
 */
static size_t ckpt_head_put(uint8_t head[32], uint32_t version, uint64_t seq, uint32_t id,
			    size_t body_len)
{
	size_t h = 0;

	if (version) {
		head[h++] = CKPT_TAG_VERSION;
		h += ckpt_varint(head + h, version);
	}
	if (seq) {
		head[h++] = 0x10;	/* field 2, varint */
		h += ckpt_varint(head + h, seq);
	}
	h += ckpt_varint(head + h, ((uint64_t)id << 3) | 2);	/* length-delimited */
	h += ckpt_varint(head + h, body_len);
	return h;
}

static size_t ckpt_envelope_head(const L2tpha__Envelope *env, uint8_t head[32],
				 const ProtobufCMessage **body, size_t *body_len,
				 uint8_t *flat, size_t flat_size, int *flat_len)
{
	const ProtobufCFieldDescriptor *f;

	if (env->n_batch || env->body_case == L2TPHA__ENVELOPE__BODY__NOT_SET)
		return 0;
	f = protobuf_c_message_descriptor_get_field(&l2tpha__envelope__descriptor,
						    (unsigned)env->body_case);
	if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE || f->id < 3)
		return 0;
	*body = *(const ProtobufCMessage *const *)((const uint8_t *)env + f->offset);
	if (!*body)
		return 0;
	/* A flat body (ckpt_flat.c) is packed once, into flat. */
	*flat_len = ckpt_flat_pack(*body, flat, flat_size);
	*body_len = *flat_len >= 0 ? (size_t)*flat_len : protobuf_c_message_get_packed_size(*body);
	return ckpt_head_put(head, env->schema_version, env->seq, f->id, *body_len);
}

/* A record body packed flat on the stack: a session with every field at
 * its largest is about 5.5 KiB; anything larger is protobuf-c's. */
#define CKPT_FLAT_MAX	8192

/* A session record, its body written straight from s (ckpt_session_rec.c)
 * into flat (CKPT_FLAT_MAX octets): the length written into buf, -EINVAL,
 * -ENOSPC (no room in buf), or -EAGAIN (flat too small for the largest
 * body: packed the long way). */
static int ckpt_batch_add_session(uint8_t *buf, size_t size, const struct ha_session_rec *s,
				  uint64_t seq, uint8_t *flat)
{
	uint8_t head[11], ehead[32];
	size_t h, eh, n;
	int len = ckpt_session_rec_pack(s, flat, CKPT_FLAT_MAX);

	if (len < 0)
		return len == -ENOSPC ? -EAGAIN : len;
	eh = ckpt_head_put(ehead, HA_SCHEMA_VERSION, seq, L2TPHA__ENVELOPE__BODY_SESSION,
			   (size_t)len);
	n = eh + (size_t)len;
	head[0] = CKPT_TAG_BATCH;
	h = 1 + ckpt_varint(head + 1, n);
	if (h + n > size)
		return -ENOSPC;
	memcpy(buf, head, h);
	memcpy(buf + h, ehead, eh);
	memcpy(buf + h + eh, flat, (size_t)len);
	return (int)(h + n);
}

int ckpt_batch_add(uint8_t *buf, size_t size, const struct ha_rec *r, uint64_t seq)
{
	L2tpha__Envelope env;
	struct ckpt_parts p;
	const ProtobufCMessage *body = NULL;
	uint8_t head[11], ehead[32], flat[CKPT_FLAT_MAX];
	size_t n, h, eh, body_len = 0;
	int rc, flat_len = -1;

	if (!r || !buf)
		return -EINVAL;
	if (r->type == HA_REC_SESSION) {
		rc = ckpt_batch_add_session(buf, size, &r->u.session, seq, flat);
		if (rc != -EAGAIN)
			return rc;
	}
	rc = ckpt_envelope_fill(&env, &p, r, seq);
	if (rc < 0)
		return rc;
	eh = ckpt_envelope_head(&env, ehead, &body, &body_len, flat, sizeof(flat), &flat_len);
	n = eh ? eh + body_len : l2tpha__envelope__get_packed_size(&env);
	head[0] = CKPT_TAG_BATCH;
	h = 1 + ckpt_varint(head + 1, n);
	if (h + n > size)
		return -ENOSPC;
	memcpy(buf, head, h);
	if (eh) {
		memcpy(buf + h, ehead, eh);
		if (flat_len >= 0)
			memcpy(buf + h + eh, flat, (size_t)flat_len);
		else
			protobuf_c_message_pack(body, buf + h + eh);
	} else {
		l2tpha__envelope__pack(&env, buf + h);
	}
	return (int)(h + n);
}
