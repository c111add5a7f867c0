/*
 * Batches of checkpoint records (haproto/ckpt.c, ckpt_batch.c): records
 * written into one envelope come back in order, each decodable alone; a
 * single envelope is not a batch; a malformed batch is refused whole
 * (nothing handed over), a field of a newer schema is skipped.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "haproto/ckpt.h"

struct walked {
	unsigned n;
	uint64_t seq[8];
	uint16_t sid[8];
};

static void each(void *arg, const uint8_t *rec, size_t len)
{
	struct walked *w = arg;
	struct ha_rec r;
	uint64_t seq = 0;
	uint32_t version = 0;

	assert_int_equal(ckpt_decode_msg(rec, len, &r, NULL, &seq, &version), CKPT_RECORD);
	assert_int_equal(r.type, HA_REC_SESSION);
	assert_int_equal(version, HA_SCHEMA_VERSION);
	if (w->n < 8) {
		w->seq[w->n] = seq;
		w->sid[w->n] = r.u.session.sid;
	}
	w->n++;
	ha_rec_clear(&r);
}

static struct ha_rec session(uint16_t sid)
{
	struct ha_rec r;

	memset(&r, 0, sizeof(r));
	r.type = HA_REC_SESSION;
	r.u.session.tid = 3;
	r.u.session.sid = sid;
	r.u.session.peer_sid = 40;
	snprintf(r.u.session.user, sizeof(r.u.session.user), "user%u", sid);
	return r;
}

/* Three records 10, 11, 12 into buf; its length. */
static size_t batch3(uint8_t *buf, size_t size)
{
	size_t len;
	unsigned i;
	int n;

	n = ckpt_batch_begin(buf, size, HA_SCHEMA_VERSION);
	assert_true(n > 0);
	len = (size_t)n;
	for (i = 0; i < 3; i++) {
		struct ha_rec r = session((uint16_t)(100 + i));

		n = ckpt_batch_add(buf + len, size - len, &r, 10 + i);
		assert_true(n > 0);
		len += (size_t)n;
	}
	return len;
}

static void test_batch_round_trip(void **state)
{
	uint8_t buf[1024];
	struct walked w = { 0 };
	size_t len = batch3(buf, sizeof(buf));
	unsigned i;

	(void)state;
	assert_int_equal(ckpt_batch_walk(buf, len, each, &w), 3);
	assert_int_equal(w.n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(w.seq[i], 10 + i);
		assert_int_equal(w.sid[i], 100 + i);
	}
}

static void test_batch_not_a_batch(void **state)
{
	uint8_t buf[512];
	struct walked w = { 0 };
	struct ha_rec r = session(5);
	struct ha_ctl c = { .type = HA_CTL_ACK, .seq = 9 };
	int n;

	(void)state;
	n = ckpt_encode(&r, 77, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(ckpt_batch_walk(buf, (size_t)n, each, &w), 0);
	n = ckpt_ctl_encode(&c, HA_SCHEMA_VERSION, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(ckpt_batch_walk(buf, (size_t)n, each, &w), 0);
	assert_int_equal(ckpt_batch_walk(buf, 0, each, &w), 0);
	assert_int_equal(w.n, 0);
}

static void test_batch_malformed(void **state)
{
	uint8_t buf[1024];
	struct walked w = { 0 };
	size_t len = batch3(buf, sizeof(buf)), cut;
	unsigned boundaries = 0;

	(void)state;
	/* Cut inside a record: refused, nothing handed over; cut between
	 * two: the records before the cut (protobuf cannot tell). */
	for (cut = 4; cut < len; cut++) {
		int rc;

		memset(&w, 0, sizeof(w));
		rc = ckpt_batch_walk(buf, cut, each, &w);
		if (rc == -EBADMSG) {
			assert_int_equal(w.n, 0);
			continue;
		}
		assert_true(rc == 1 || rc == 2);
		assert_int_equal(w.n, rc);
		boundaries++;
	}
	assert_int_equal(boundaries, 2);
	memset(&w, 0, sizeof(w));
	/* A body beside the batch (field 13, a Session, length 0). */
	buf[len] = (13 << 3) | 2;
	buf[len + 1] = 0;
	assert_int_equal(ckpt_batch_walk(buf, len + 2, each, &w), -EBADMSG);
	/* A length beyond the end. */
	buf[len] = CKPT_TAG_BATCH;
	buf[len + 1] = 0x7f;
	assert_int_equal(ckpt_batch_walk(buf, len + 2, each, &w), -EBADMSG);
	/* Another field's length beyond the end. */
	buf[len] = (7 << 3) | 2;
	buf[len + 1] = 0x7f;
	assert_int_equal(ckpt_batch_walk(buf, len + 2, each, &w), -EBADMSG);
	/* A varint that never ends. */
	memset(buf + len, 0xff, 12);
	assert_int_equal(ckpt_batch_walk(buf, len + 12, each, &w), -EBADMSG);
	/* Wire type 3 (a group: not ours). */
	buf[len] = (4 << 3) | 3;
	assert_int_equal(ckpt_batch_walk(buf, len + 1, each, &w), -EBADMSG);
	assert_int_equal(w.n, 0);
	assert_int_equal(ckpt_batch_walk(buf, HA_CKPT_MAX_LEN + 1, each, &w), -EMSGSIZE);
}

/* A field a newer schema might add to a batch: skipped, every wire type. */
static void test_batch_newer_fields(void **state)
{
	uint8_t buf[1024];
	struct walked w = { 0 };
	size_t len = batch3(buf, sizeof(buf));
	static const uint8_t extra[] = {
		(4 << 3) | 0, 0x96, 0x01,		/* varint 150 */
		(5 << 3) | 1, 1, 2, 3, 4, 5, 6, 7, 8,	/* fixed64 */
		(6 << 3) | 5, 1, 2, 3, 4,		/* fixed32 */
		(7 << 3) | 2, 2, 'h', 'i',		/* bytes */
	};

	(void)state;
	memcpy(buf + len, extra, sizeof(extra));
	assert_int_equal(ckpt_batch_walk(buf, len + sizeof(extra), each, &w), 3);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.seq[2], 12);
}

static void test_batch_no_room(void **state)
{
	uint8_t buf[64];
	struct ha_rec r = session(1);

	(void)state;
	assert_int_equal(ckpt_batch_begin(buf, 3, 1), -ENOSPC);
	assert_int_equal(ckpt_batch_begin(NULL, 64, 1), -EINVAL);
	assert_int_equal(ckpt_batch_add(buf, 8, &r, 1), -ENOSPC);
	assert_int_equal(ckpt_batch_add(buf, sizeof(buf), NULL, 1), -EINVAL);
}

/* r as record seq in a batch is the octets ckpt_encode makes of it alone
 * (protobuf-c's pack of the whole envelope), after the batch's own field
 * head: the batch writes the envelope's head itself. */
static void same_as_alone(const struct ha_rec *r, uint64_t seq)
{
	static uint8_t batch[200 * 1024], alone[200 * 1024];
	int n, m, b;
	size_t h;

	b = ckpt_batch_begin(batch, sizeof(batch), HA_SCHEMA_VERSION);
	assert_true(b > 0);
	n = ckpt_batch_add(batch + b, sizeof(batch) - (size_t)b, r, seq);
	m = ckpt_encode(r, seq, alone, sizeof(alone));
	assert_true(n > 0 && m > 0);
	assert_int_equal(batch[b], CKPT_TAG_BATCH);
	h = (size_t)n - (size_t)m;	/* the batch field's tag and length */
	assert_true(h >= 2 && h <= 4);
	assert_memory_equal(batch + b + h, alone, (size_t)m);
	/* One octet short: refused, nothing half written counts. */
	assert_int_equal(ckpt_batch_add(batch + b, (size_t)n - 1, r, seq), -ENOSPC);
}

static void test_batch_same_octets(void **state)
{
	static char text[100 * 1024];
	static const uint8_t msg[] = { 0xc8, 0x02, 0x00, 0x14, 0x00, 0x07, 0, 0, 0, 1, 0, 2 };
	struct ha_rec r;
	uint64_t seqs[] = { 1, 127, 128, 300, 1ULL << 40, UINT64_MAX };
	unsigned i;

	(void)state;
	memset(text, 'x', sizeof(text) - 1);
	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		r = session((uint16_t)(i + 1));
		same_as_alone(&r, seqs[i]);
	}
	memset(&r, 0, sizeof(r));
	r.type = HA_REC_TUNNEL;
	r.u.tunnel.tid = 7;
	r.u.tunnel.peer_tid = 9;
	snprintf(r.u.tunnel.peer_host, sizeof(r.u.tunnel.peer_host), "lac");
	same_as_alone(&r, 5);
	memset(&r, 0, sizeof(r));
	r.type = HA_REC_SEQ;
	r.u.seq.tid = 7;	/* ns, nr, una 0: fields left out */
	same_as_alone(&r, 6);
	memset(&r, 0, sizeof(r));
	r.type = HA_REC_CTRL_MSG;
	r.u.msg.tid = 7;
	r.u.msg.ns = 1;
	r.u.msg.buf = msg;
	r.u.msg.len = sizeof(msg);
	same_as_alone(&r, 7);
	memset(&r, 0, sizeof(r));
	r.type = HA_REC_DELETE;
	r.u.del.tid = 7;
	same_as_alone(&r, 8);
	memset(&r, 0, sizeof(r));
	r.type = HA_REC_PPPOE_DELETE;
	r.u.pppoe_del.id = 3;
	same_as_alone(&r, 9);
	/* A body whose length takes three octets. */
	memset(&r, 0, sizeof(r));
	r.type = HA_REC_CONFIG;
	r.u.config.text = text;
	r.u.config.len = sizeof(text) - 1;
	r.u.config.digest = 42;
	same_as_alone(&r, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_round_trip),
		cmocka_unit_test(test_batch_not_a_batch),
		cmocka_unit_test(test_batch_malformed),
		cmocka_unit_test(test_batch_newer_fields),
		cmocka_unit_test(test_batch_no_room),
		cmocka_unit_test(test_batch_same_octets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
