/*
 * libFuzzer target for the RADIUS codec: parse arbitrary bytes, read every
 * attribute through every accessor, verify the authenticators and reveal
 * the hidden values with a fixed secret, format the packet for a log line,
 * then rebuild it from what was parsed and check that it parses to the
 * same attributes.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/radius.h"
#include "aaa/radius_dict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_SECRET	"fuzz-secret"
#define FUZZ_CHECK(c)	do { if (!(c)) abort(); } while (0)

static struct radius_msg m, m2;
static struct radius_pkt p;

static void fuzz_accessors(const struct radius_msg *msg)
{
	volatile unsigned sink = 0;
	char s[300];
	uint32_t v;

	for (unsigned t = 0; t < 256; t++) {
		const struct radius_attr *a = radius_find(msg, (uint8_t)t);

		for (; a != NULL; a = radius_find_next(msg, a, (uint8_t)t)) {
			if (radius_get_u32(a, &v) == 0)
				sink += v;
			if (radius_get_str(a, s, sizeof s) == 0)
				sink += (unsigned)strlen(s);
			if (t == RADIUS_ATTR_VENDOR_SPECIFIC)
				break;
		}
	}
	for (unsigned i = 0; i < msg->n; i++) {
		const struct radius_attr *a = &msg->a[i];

		FUZZ_CHECK(a->val >= msg->buf && a->val + a->len <= msg->buf + msg->len);
		if (a->vendor)
			sink += radius_find_vsa(msg, a->vendor, a->vtype) != NULL;
		if (radius_tunnel_password(a, FUZZ_SECRET, msg->auth, s, sizeof s) == 0)
			sink += (unsigned)strlen(s);
		if (radius_user_password(a, FUZZ_SECRET, msg->auth, s, sizeof s) == 0)
			sink += (unsigned)strlen(s);
		radius_dict_format(NULL, a, s, sizeof s);
		sink += (unsigned)strlen(s);
	}
	sink += (unsigned)radius_verify_request(msg, FUZZ_SECRET);
	sink += (unsigned)radius_verify_response(msg, msg->auth, FUZZ_SECRET);
	sink += (unsigned)radius_verify_msgauth(msg, NULL, FUZZ_SECRET);
	sink += (unsigned)strlen(radius_code_name(msg->code));
	(void)sink;
}

/* Standard attributes go back in through radius_put, VSAs through radius_put_vsa. */
static void fuzz_rebuild(const struct radius_msg *msg)
{
	char line[1024];

	radius_pkt_init(&p, msg->code);
	for (unsigned i = 0; i < msg->n; i++) {
		const struct radius_attr *a = &msg->a[i];

		if (a->type != RADIUS_ATTR_VENDOR_SPECIFIC)
			FUZZ_CHECK(radius_put(&p, a->type, a->val, a->len) == 0);
		else if (a->vtype != 0)
			FUZZ_CHECK(radius_put_vsa(&p, a->vendor, a->vtype, a->val, a->len) == 0);
		else
			return;		/* an opaque VSA: not rebuilt */
	}
	FUZZ_CHECK(radius_parse(p.buf, p.len, &m2) == 0);
	FUZZ_CHECK(m2.n == msg->n);
	for (unsigned i = 0; i < msg->n; i++) {
		FUZZ_CHECK(m2.a[i].type == msg->a[i].type && m2.a[i].len == msg->a[i].len &&
			   m2.a[i].vendor == msg->a[i].vendor && m2.a[i].vtype == msg->a[i].vtype);
		FUZZ_CHECK(memcmp(m2.a[i].val, msg->a[i].val, msg->a[i].len) == 0);
	}
	radius_dict_format_msg(NULL, &m2, line, sizeof line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);	/* exactly size octets: an over-read is caught */
	if (radius_parse(copy, size, &m) == 0) {
		FUZZ_CHECK(m.len >= RADIUS_HDR_LEN && m.len <= size && m.len <= RADIUS_MAX_LEN);
		fuzz_accessors(&m);
		fuzz_rebuild(&m);
	}
	free(copy);
	return 0;
}
