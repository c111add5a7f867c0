/*
 * Reading a batch of checkpoint records (ckpt.h, checkpoint.proto's
 * Envelope.batch): by hand rather than unpacked, since protobuf-c would
 * copy every record into a fresh allocation only for each to be unpacked
 * again by ckpt_decode_msg().
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "haproto/ckpt.h"

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
