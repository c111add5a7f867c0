/*
 * The Session body's own codec (haproto/ckpt_session.c) against the
 * schema: the fields it knows are checkpoint.proto's (numbers, types,
 * labels, order), and each field alone, set through protobuf-c's
 * descriptor, packs into protobuf-c's octets and reads back into itself.
 * A field added to or changed in the schema without the codec fails here.
 * (tests/unit/haproto/test_ckpt_flat.c compares whole random records and
 * every corruption of them.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "haproto/ckpt_int.h"

static const ProtobufCMessageDescriptor *const desc = &l2tpha__session__descriptor;

/* The codec's table is the descriptor's field list, in its order. */
static void test_session_fields_are_schema(void **state)
{
	(void)state;
	assert_int_equal(ckpt_session_n_fields, desc->n_fields);
	for (unsigned i = 0; i < desc->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &desc->fields[i];

		assert_int_equal(ckpt_session_fields[i].id, f->id);
		assert_int_equal(ckpt_session_fields[i].type, f->type);
		assert_int_equal(ckpt_session_fields[i].label, f->label);
		assert_false(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF);
		if (i > 0)
			assert_true(ckpt_session_fields[i - 1].id < f->id);
	}
}

static uint8_t blob[300];

/* Field f of m set to a value that is not zero (v: which one). */
static void set_field(L2tpha__Session *m, const ProtobufCFieldDescriptor *f, unsigned v)
{
	uint8_t *member = (uint8_t *)m + f->offset;
	static ProtobufCBinaryData routes[2];

	if (f->label == PROTOBUF_C_LABEL_REPEATED) {
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
		break;
	default:
		fail_msg("field %s: a type the codec does not have", f->name);
	}
}

/* Each field alone, at a few values: protobuf-c's octets, and read back
 * (but the repeated routes, which the reader leaves to protobuf-c). */
static void test_session_each_field(void **state)
{
	static const unsigned vals[] = { 0, 1, 127, 128, 300 };
	uint8_t got[1024], ref[1024];
	L2tpha__Session m, back;

	(void)state;
	for (size_t i = 0; i < sizeof(blob); i++)
		blob[i] = (uint8_t)(i * 7 + 1);
	for (unsigned i = 0; i < desc->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &desc->fields[i];

		for (unsigned k = 0; k < sizeof(vals) / sizeof(vals[0]); k++) {
			size_t n;
			int len;

			l2tpha__session__init(&m);
			set_field(&m, f, vals[k]);
			n = protobuf_c_message_pack(&m.base, ref);
			assert_true(n > 0);
			len = ckpt_session_pack(&m, got, sizeof(got));
			if (len != (int)n || memcmp(got, ref, n) != 0)
				fail_msg("field %s, value %u: not protobuf-c's octets", f->name,
					 vals[k]);
			if (f->label == PROTOBUF_C_LABEL_REPEATED) {
				assert_int_equal(ckpt_session_unpack(got, n, &back), 1);
				continue;
			}
			assert_int_equal(ckpt_session_unpack(got, n, &back), 0);
			if (f->type == PROTOBUF_C_TYPE_BYTES) {
				const ProtobufCBinaryData *a = (const void *)((uint8_t *)&m + f->offset);
				const ProtobufCBinaryData *b =
					(const void *)((uint8_t *)&back + f->offset);

				assert_int_equal(a->len, b->len);
				assert_memory_equal(a->data, b->data, a->len);
				/* the rest zero: compare with the field cleared */
				memset((uint8_t *)&m + f->offset, 0, sizeof(*a));
				memset((uint8_t *)&back + f->offset, 0, sizeof(*b));
			}
			assert_memory_equal(&m, &back, sizeof(m));
		}
	}
}

/* A field number or wire type the reader does not know, a varint wider
 * than its field, and an unknown
 * field kept in the message: protobuf-c's to read and to pack. */
static void test_session_leaves_the_rest(void **state)
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
	L2tpha__Session m;
	uint8_t out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		assert_int_equal(ckpt_session_unpack(odd[i], lens[i], &m), 1);
	l2tpha__session__init(&m);
	m.tid = 1;
	m.base.n_unknown_fields = 1;
	m.base.unknown_fields = &unk;
	assert_int_equal(ckpt_session_pack(&m, out, sizeof(out)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_fields_are_schema),
		cmocka_unit_test(test_session_each_field),
		cmocka_unit_test(test_session_leaves_the_rest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
