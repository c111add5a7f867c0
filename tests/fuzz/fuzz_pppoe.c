/*
 * libFuzzer target for the PPPoE discovery parser: parse arbitrary bytes as
 * an Ethernet frame, then its tags; every value must lie inside the frame;
 * a frame that parses is rebuilt from what was parsed (the tags we act on)
 * and must parse again to the same values.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/disc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(c)	do { if (!(c)) abort(); } while (0)

static struct pppoe_buf b;

static void inside(const struct pppoe_bytes *v, const uint8_t *buf, size_t len)
{
	if (v->present)
		FUZZ_CHECK(v->p >= buf && v->p + v->len <= buf + len);
}

static int same(const struct pppoe_bytes *a, const struct pppoe_bytes *c)
{
	return a->present == c->present && a->len == c->len &&
	       (a->len == 0 || memcmp(a->p, c->p, a->len) == 0);
}

static void rebuild(const struct pppoe_frame *f, const struct pppoe_tags *t)
{
	struct pppoe_frame f2;
	struct pppoe_tags t2;
	enum pppoe_err why;
	int n;

	pppoe_buf_init(&b, f->dst, f->src, f->vlan, f->nvlan, f->ethertype, f->code,
		       f->session_id);
	pppoe_put_echo(&b, PPPOE_TAG_SERVICE_NAME, &t->service_name);
	pppoe_put_echo(&b, PPPOE_TAG_AC_NAME, &t->ac_name);
	pppoe_put_echo(&b, PPPOE_TAG_HOST_UNIQ, &t->host_uniq);
	pppoe_put_echo(&b, PPPOE_TAG_AC_COOKIE, &t->cookie);
	pppoe_put_echo(&b, PPPOE_TAG_RELAY_SID, &t->relay_sid);
	if (t->max_payload)
		pppoe_put_u16_tag(&b, PPPOE_TAG_MAX_PAYLOAD, t->max_payload);
	if (t->error)
		pppoe_put_tag(&b, PPPOE_TAG_GENERIC_ERR, NULL, 0);
	n = pppoe_buf_finish(&b);
	if (n < 0)
		return;	/* the original's other tags made room these did not need */
	FUZZ_CHECK(pppoe_frame_parse(b.buf, (size_t)n, &f2, &why) == 0);
	/* the rebuilt PADI may be smaller than the original, never bigger */
	FUZZ_CHECK(pppoe_tags_parse(&f2, &t2, &why) == 0);
	FUZZ_CHECK(f2.code == f->code && f2.session_id == f->session_id);
	FUZZ_CHECK(f2.nvlan == f->nvlan && memcmp(f2.vlan, f->vlan, sizeof f->vlan) == 0);
	FUZZ_CHECK(same(&t2.service_name, &t->service_name) && same(&t2.ac_name, &t->ac_name));
	FUZZ_CHECK(same(&t2.host_uniq, &t->host_uniq) && same(&t2.cookie, &t->cookie));
	FUZZ_CHECK(same(&t2.relay_sid, &t->relay_sid));
	FUZZ_CHECK(t2.max_payload == t->max_payload && t2.error == t->error);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pppoe_frame f;
	struct pppoe_tags t;
	enum pppoe_err why;

	if (pppoe_frame_parse(data, size, &f, &why) < 0) {
		FUZZ_CHECK(why > PPPOE_ERR_NONE && why < PPPOE_ERR_MAX);
		return 0;
	}
	FUZZ_CHECK(f.payload >= data && f.payload + f.len <= data + size);
	if (f.ethertype != PPPOE_ETH_P_DISC)
		return 0;
	if (pppoe_tags_parse(&f, &t, &why) < 0) {
		FUZZ_CHECK(why > PPPOE_ERR_NONE && why < PPPOE_ERR_MAX);
		return 0;
	}
	inside(&t.service_name, data, size);
	inside(&t.ac_name, data, size);
	inside(&t.host_uniq, data, size);
	inside(&t.cookie, data, size);
	inside(&t.relay_sid, data, size);
	inside(&t.line.circuit_id, data, size);
	inside(&t.line.remote_id, data, size);
	FUZZ_CHECK(t.n_service >= (t.service_name.present ? 1u : 0u));
	rebuild(&f, &t);
	return 0;
}
