/*
 * The stream's bodies by their own codecs (haproto/ckpt_hand.c) against
 * the schema: the fields each codec knows are checkpoint.proto's
 * (numbers, types, labels, order), and each field alone, set through
 * protobuf-c's descriptor, packs into protobuf-c's octets and reads back
 * into itself; the session record's own packer writes every Session
 * field.  A field added to or changed in the schema without the codecs
 * fails here.  (tests/unit/haproto/test_ckpt_flat.c compares whole
 * random records and every corruption of them.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "haproto/ckpt_int.h"

/* Every body of the stream has its codec, and only those. */
static void test_hand_bodies(void **state)
{
	const ProtobufCMessageDescriptor *const bodies[] = {
		&l2tpha__tunnel__descriptor, &l2tpha__seq__descriptor,
		&l2tpha__ctrl_msg__descriptor, &l2tpha__session__descriptor,
		&l2tpha__delete__descriptor,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		assert_non_null(ckpt_hand_find(bodies[i]));
	assert_null(ckpt_hand_find(&l2tpha__pppoe_session__descriptor));
	assert_null(ckpt_hand_find(&l2tpha__envelope__descriptor));
}

/* Each codec's table is its descriptor's field list, in its order. */
static void test_hand_fields_are_schema(void **state)
{
	(void)state;
	for (unsigned c = 0; c < CKPT_HAND_N; c++) {
		const struct ckpt_hand *h = &ckpt_hand_codecs[c];
		const ProtobufCMessageDescriptor *d = h->desc;

		if (h->n_fields != d->n_fields)
			fail_msg("%s: %u fields in the schema, %u in the codec", d->name,
				 d->n_fields, (unsigned)h->n_fields);
		for (unsigned i = 0; i < d->n_fields; i++) {
			const ProtobufCFieldDescriptor *f = &d->fields[i];

			if (h->fields[i].id != f->id || h->fields[i].type != f->type ||
			    h->fields[i].label != f->label)
				fail_msg("%s.%s: not as the codec has it", d->name, f->name);
			assert_false(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF);
			if (i > 0)
				assert_true(h->fields[i - 1].id < f->id);
		}
	}
}

/* The session record's own packer (ckpt_session_rec.c) writes the
 * schema's Session fields, all of them. */
static void test_hand_session_rec_fields(void **state)
{
	const ProtobufCMessageDescriptor *d = &l2tpha__session__descriptor;

	(void)state;
	assert_int_equal(ckpt_session_rec_n_ids, d->n_fields);
	for (unsigned i = 0; i < d->n_fields; i++)
		if (ckpt_session_rec_ids[i] != d->fields[i].id)
			fail_msg("Session.%s: not written by ckpt_session_rec.c", d->fields[i].name);
}

/* The session record's own reader (ckpt_session_read.c) reads them all. */
static void test_hand_session_read_fields(void **state)
{
	const ProtobufCMessageDescriptor *d = &l2tpha__session__descriptor;

	(void)state;
	assert_int_equal(ckpt_session_read_n_ids, d->n_fields);
	for (unsigned i = 0; i < d->n_fields; i++)
		if (ckpt_session_read_ids[i] != d->fields[i].id)
			fail_msg("Session.%s: not read by ckpt_session_read.c", d->fields[i].name);
}

/* Byte strings point into it at their field number, up to 300 octets long. */
static uint8_t blob[1024];

/* Field f of the message at m set to a value that is not zero (v: which
 * one). */
static void set_field(void *m, const ProtobufCFieldDescriptor *f, unsigned v)
{
	uint8_t *member = (uint8_t *)m + f->offset;
	static ProtobufCBinaryData routes[2];

	if (f->label == PROTOBUF_C_LABEL_REPEATED) {
		assert_int_equal(f->type, PROTOBUF_C_TYPE_BYTES);
		routes[0] = (ProtobufCBinaryData){ 37, blob };
		routes[1] = (ProtobufCBinaryData){ v % 40, blob + 1 };
		*(size_t *)((uint8_t *)m + f->quantifier_offset) = 2;
		*(ProtobufCBinaryData **)member = routes;
		return;
	}
	switch (f->type) {
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		*(uint32_t *)member = v == 0 ? UINT32_MAX : v * 0x01010101u + f->id;
		break;
	case PROTOBUF_C_TYPE_UINT64:
		*(uint64_t *)member = v == 0 ? UINT64_MAX : (uint64_t)v << (f->id % 57);
		break;
	case PROTOBUF_C_TYPE_BOOL:
		*(protobuf_c_boolean *)member = 1;
		break;
	case PROTOBUF_C_TYPE_BYTES:
		((ProtobufCBinaryData *)member)->data = blob + f->id;
		((ProtobufCBinaryData *)member)->len = v == 0 ? 150 : v;
		assert_true(f->id + ((ProtobufCBinaryData *)member)->len <= sizeof(blob));
		break;
	default:
		fail_msg("field %s: a type the codecs do not have", f->name);
	}
}

/* One field alone of d at value v: protobuf-c's octets, and read back
 * (but a repeated field, which the reader leaves to protobuf-c). */
static void one_field(const struct ckpt_hand *h, const ProtobufCFieldDescriptor *f, unsigned v)
{
	_Alignas(16) uint8_t m[1024], back[1024];
	uint8_t got[1024], ref[1024];
	const ProtobufCMessageDescriptor *d = h->desc;
	size_t n;
	int len;

	assert_true(d->sizeof_message <= sizeof(m));
	/* padding too: the two are compared whole */
	memset(m, 0, sizeof(m));
	memset(back, 0, sizeof(back));
	d->message_init((ProtobufCMessage *)m);
	set_field(m, f, v);
	n = protobuf_c_message_pack((const ProtobufCMessage *)m, ref);
	assert_true(n > 0);
	len = h->pack((const ProtobufCMessage *)m, got, sizeof(got));
	if (len != (int)n || memcmp(got, ref, n) != 0)
		fail_msg("%s.%s, value %u: not protobuf-c's octets", d->name, f->name, v);
	if (f->label == PROTOBUF_C_LABEL_REPEATED) {
		assert_int_equal(h->unpack(got, n, back), 1);
		return;
	}
	if (h->unpack(got, n, back) != 0)
		fail_msg("%s.%s, value %u: not read", d->name, f->name, v);
	if (f->type == PROTOBUF_C_TYPE_BYTES) {
		const ProtobufCBinaryData *a = (const void *)(m + f->offset);
		const ProtobufCBinaryData *b = (const void *)(back + f->offset);

		assert_int_equal(a->len, b->len);
		assert_memory_equal(a->data, b->data, a->len);
		/* the rest as initialised: compare with the field cleared */
		memset(m + f->offset, 0, sizeof(*a));
		memset(back + f->offset, 0, sizeof(*b));
	}
	if (memcmp(m, back, d->sizeof_message) != 0)
		fail_msg("%s.%s, value %u: read back otherwise", d->name, f->name, v);
}

/* Each field of each body alone, at a few values. */
static void test_hand_each_field(void **state)
{
	static const unsigned vals[] = { 0, 1, 127, 128, 300 };

	(void)state;
	for (size_t i = 0; i < sizeof(blob); i++)
		blob[i] = (uint8_t)(i * 7 + 1);
	for (unsigned c = 0; c < CKPT_HAND_N; c++) {
		const ProtobufCMessageDescriptor *d = ckpt_hand_codecs[c].desc;

		for (unsigned i = 0; i < d->n_fields; i++)
			for (unsigned k = 0; k < sizeof(vals) / sizeof(vals[0]); k++)
				one_field(&ckpt_hand_codecs[c], &d->fields[i], vals[k]);
	}
}

/* A field number or wire type the reader does not know, a varint wider
 * than its field, and an unknown field kept in the message: protobuf-c's
 * to read and to pack. */
static void test_hand_leaves_the_rest(void **state)
{
	static const uint8_t odd[][10] = {
		{ 0x08, 0x01, 0x10, 0x02, 0x98, 0x01, 0x05 },	/* field 19 (a gap) */
		{ 0x08, 0x01, 0x15, 0x01, 0x00, 0x00, 0x00 },	/* sid as fixed32 */
		{ 0x08, 0x01, 0xcd, 0x01, 0x01, 0x02, 0x03 },	/* magic (25) as varint */
		{ 0x08, 0x01, 0x62, 0x05, 0x41 },		/* calling past the end */
		/* sid 2 as a 6-octet varint: wider than protobuf-c reads a uint32 */
		{ 0x08, 0x01, 0x10, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00 },
	};
	static const size_t lens[] = { 7, 7, 7, 5, 9 };
	ProtobufCMessageUnknownField unk = { .tag = 19, .wire_type = PROTOBUF_C_WIRE_TYPE_VARINT,
					     .len = 1, .data = blob };
	const struct ckpt_hand *h = ckpt_hand_find(&l2tpha__session__descriptor);
	L2tpha__Session m;
	L2tpha__Seq q;
	uint8_t out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		assert_int_equal(h->unpack(odd[i], lens[i], &m), 1);
	l2tpha__session__init(&m);
	m.tid = 1;
	m.base.n_unknown_fields = 1;
	m.base.unknown_fields = &unk;
	assert_int_equal(h->pack(&m.base, out, sizeof(out)), -1);
	/* Seq: field 5 (none), and nr as a 6-octet varint */
	h = ckpt_hand_find(&l2tpha__seq__descriptor);
	assert_int_equal(h->unpack((const uint8_t *)"\x08\x01\x28\x01", 4, &q), 1);
	assert_int_equal(h->unpack((const uint8_t *)"\x08\x01\x18\x81\x80\x80\x80\x80\x00", 9, &q),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_bodies),
		cmocka_unit_test(test_hand_fields_are_schema),
		cmocka_unit_test(test_hand_session_rec_fields),
		cmocka_unit_test(test_hand_session_read_fields),
		cmocka_unit_test(test_hand_each_field),
		cmocka_unit_test(test_hand_leaves_the_rest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
