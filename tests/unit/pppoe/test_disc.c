/*
 * The PPPoE codec (RFC 2516 §4-5, RFC 4638, TR-101) and the keyed
 * AC-Cookie, on frames written out byte by byte.  Every frame is parsed
 * from a copy of exactly its size, so the address sanitizer sees any read
 * past its end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/cookie.h"
#include "pppoe/disc.h"

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t host[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

/* A PADI as a client sends it: Service-Name "", Host-Uniq 0xdeadbeef. */
static const uint8_t padi[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x88, 0x63,
	0x11, 0x09, 0x00, 0x00, 0x00, 0x0c,
	0x01, 0x01, 0x00, 0x00,
	0x01, 0x03, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef,
};

static enum pppoe_err parse(const uint8_t *p, size_t n, struct pppoe_frame *f,
			    struct pppoe_tags *t)
{
	uint8_t *q = malloc(n ? n : 1);
	enum pppoe_err why = PPPOE_ERR_MAX;
	int rc;

	assert_non_null(q);
	memcpy(q, p, n);
	rc = pppoe_frame_parse(q, n, f, &why);
	if (rc == 0 && f->ethertype == PPPOE_ETH_P_DISC)
		rc = pppoe_tags_parse(f, t, &why);
	assert_int_equal(rc == 0, why == PPPOE_ERR_NONE);
	if (rc != 0)
		assert_int_equal(rc, -EBADMSG);
	free(q);	/* the values pointed into q: the tests below only read lengths after */
	return why;
}

static void test_padi(void **state)
{
	struct pppoe_frame f;
	struct pppoe_tags t;
	enum pppoe_err why;
	uint8_t *q = malloc(sizeof padi);

	(void)state;
	memcpy(q, padi, sizeof padi);
	assert_int_equal(pppoe_frame_parse(q, sizeof padi, &f, &why), 0);
	assert_int_equal(pppoe_tags_parse(&f, &t, &why), 0);
	assert_int_equal(f.code, PPPOE_CODE_PADI);
	assert_int_equal(f.session_id, 0);
	assert_int_equal(f.nvlan, 0);
	assert_memory_equal(f.dst, bcast, 6);
	assert_memory_equal(f.src, host, 6);
	assert_true(t.service_name.present);
	assert_int_equal(t.service_name.len, 0);
	assert_int_equal(t.n_service, 1);
	assert_true(t.host_uniq.present);
	assert_int_equal(t.host_uniq.len, 4);
	assert_memory_equal(t.host_uniq.p, "\xde\xad\xbe\xef", 4);
	assert_false(t.cookie.present);
	assert_int_equal(t.max_payload, 0);
	free(q);
}

/* Ethernet pads a short frame to 60 octets: bytes past LENGTH are dropped. */
static void test_padding(void **state)
{
	uint8_t p[60] = { 0 };
	struct pppoe_frame f;
	struct pppoe_tags t;

	(void)state;
	memcpy(p, padi, sizeof padi);
	assert_int_equal(parse(p, sizeof p, &f, &t), PPPOE_ERR_NONE);
	assert_int_equal(f.len, 12);
}

/* Each way a discovery frame can be malformed, and its reason. */
static void test_malformed(void **state)
{
	uint8_t p[sizeof padi + 8];
	struct pppoe_frame f;
	struct pppoe_tags t;

	(void)state;
	assert_int_equal(parse(padi, 13, &f, &t), PPPOE_ERR_SHORT);
	assert_int_equal(parse(padi, 19, &f, &t), PPPOE_ERR_SHORT);
	/* LENGTH one past the frame */
	memcpy(p, padi, sizeof padi);
	p[19] = 13;
	assert_int_equal(parse(p, sizeof padi, &f, &t), PPPOE_ERR_LENGTH);
	/* the frame cut inside the Host-Uniq value: LENGTH is past it too */
	assert_int_equal(parse(padi, sizeof padi - 1, &f, &t), PPPOE_ERR_LENGTH);
	/* LENGTH cutting the Host-Uniq value: its TAG_LENGTH is past the payload */
	memcpy(p, padi, sizeof padi);
	p[19] = 11;
	assert_int_equal(parse(p, sizeof padi, &f, &t), PPPOE_ERR_TAG_LEN);
	/* LENGTH cutting a tag header */
	p[19] = 6;
	assert_int_equal(parse(p, sizeof padi, &f, &t), PPPOE_ERR_TAG_TRUNC);
	/* VER 2 */
	memcpy(p, padi, sizeof padi);
	p[14] = 0x21;
	assert_int_equal(parse(p, sizeof padi, &f, &t), PPPOE_ERR_VER_TYPE);
	/* a PADI with a SESSION_ID */
	memcpy(p, padi, sizeof padi);
	p[17] = 1;
	assert_int_equal(parse(p, sizeof padi, &f, &t), PPPOE_ERR_SESSION_ID);
	/* an undefined CODE */
	memcpy(p, padi, sizeof padi);
	p[15] = 0x42;
	assert_int_equal(parse(p, sizeof padi, &f, &t), PPPOE_ERR_CODE);
	/* no Service-Name (the first tag made a Host-Uniq) */
	memcpy(p, padi, sizeof padi);
	p[21] = 0x03;
	assert_int_equal(parse(p, sizeof padi, &f, &t), PPPOE_ERR_SERVICE);
	/* two Service-Names */
	memcpy(p, padi, sizeof padi);
	memcpy(p + sizeof padi, "\x01\x01\x00\x00", 4);
	p[19] = 16;
	assert_int_equal(parse(p, sizeof padi + 4, &f, &t), PPPOE_ERR_SERVICE);
	/* a PPP-Max-Payload of 3 octets (RFC 4638 §4: 2) */
	memcpy(p + sizeof padi, "\x01\x20\x00\x03\x05\xdc\x00", 7);
	p[19] = 19;
	assert_int_equal(parse(p, sizeof padi + 7, &f, &t), PPPOE_ERR_TAG_VALUE);
	/* another EtherType */
	memcpy(p, padi, sizeof padi);
	p[12] = 0x08;
	p[13] = 0x00;
	assert_int_equal(parse(p, sizeof padi, &f, &t), PPPOE_ERR_ETHERTYPE);
	/* a session frame with a CODE (§6: 0x00) */
	memcpy(p, padi, sizeof padi);
	p[13] = 0x64;
	assert_int_equal(parse(p, sizeof padi, &f, &t), PPPOE_ERR_CODE);
}

/* §5.1: a PADI over 1484 octets is refused, one of 1484 is not. */
static void test_padi_size(void **state)
{
	static uint8_t p[PPPOE_ETH_HLEN + PPPOE_PADI_MAX + 1];
	size_t pay = PPPOE_PADI_MAX - PPPOE_HLEN;
	size_t gen = pay - 4 - 4;	/* Service-Name, then one Generic tag */
	struct pppoe_frame f;
	struct pppoe_tags t;

	(void)state;
	memset(p, 0, sizeof p);
	memcpy(p, padi, 20);
	memcpy(p + 20, "\x01\x01\x00\x00\x7f\x00", 6);	/* an unknown tag type 0x7f00 */
	p[26] = (uint8_t)(gen >> 8);
	p[27] = (uint8_t)gen;
	p[18] = (uint8_t)(pay >> 8);
	p[19] = (uint8_t)pay;
	assert_int_equal(parse(p, PPPOE_ETH_HLEN + PPPOE_PADI_MAX, &f, &t), PPPOE_ERR_NONE);
	pay++;
	gen++;
	p[26] = (uint8_t)(gen >> 8);
	p[27] = (uint8_t)gen;
	p[18] = (uint8_t)(pay >> 8);
	p[19] = (uint8_t)pay;
	assert_int_equal(parse(p, sizeof p, &f, &t), PPPOE_ERR_TOO_BIG);
}

/* A PADR relayed by an access node: QinQ tags, Relay-Session-Id,
 * PPP-Max-Payload, TR-101 access-line information; tags after End-Of-List
 * are not read. */
static const uint8_t padr_qinq[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0xac, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x20, 0x0a,	/* 802.1ad 100, 802.1Q 10 (PCP 1) */
	0x88, 0x63,
	0x11, 0x19, 0x00, 0x00, 0x00, 0x47,
	0x01, 0x01, 0x00, 0x03, 'i', 's', 'p',
	0x01, 0x04, 0x00, 0x02, 0xc0, 0x0c,
	0x01, 0x10, 0x00, 0x03, 0x01, 0x02, 0x03,
	0x01, 0x20, 0x00, 0x02, 0x05, 0xdc,
	0x01, 0x05, 0x00, 0x20,
	0x00, 0x00, 0x0d, 0xe9,
	0x01, 0x08, 'd', 's', 'l', 'a', 'm', '1', '/', '7',
	0x02, 0x04, 'c', 'p', 'e', '9',
	0x81, 0x04, 0x00, 0x00, 0x03, 0xe8,
	0x82, 0x04, 0x00, 0x00, 0x3e, 0x80,
	0x00, 0x00, 0x00, 0x00,
	0x01, 0x01, 0x00, 0x01, 'x',	/* past End-Of-List: a second Service-Name */
};

static void test_padr_relayed(void **state)
{
	struct pppoe_frame f;
	struct pppoe_tags t;
	enum pppoe_err why;
	uint8_t *q = malloc(sizeof padr_qinq);

	(void)state;
	memcpy(q, padr_qinq, sizeof padr_qinq);
	assert_int_equal(pppoe_frame_parse(q, sizeof padr_qinq, &f, &why), 0);
	assert_int_equal(f.nvlan, 2);
	assert_int_equal(f.vlan[0], 100);
	assert_int_equal(f.vlan[1], 10);
	assert_int_equal(pppoe_tags_parse(&f, &t, &why), 0);
	assert_int_equal(f.code, PPPOE_CODE_PADR);
	assert_int_equal(t.n_service, 1);
	assert_memory_equal(t.service_name.p, "isp", 3);
	assert_int_equal(t.cookie.len, 2);
	assert_int_equal(t.relay_sid.len, 3);
	assert_int_equal(t.max_payload, 1500);
	assert_true(t.line.present);
	assert_int_equal(t.line.circuit_id.len, 8);
	assert_memory_equal(t.line.circuit_id.p, "dslam1/7", 8);
	assert_memory_equal(t.line.remote_id.p, "cpe9", 4);
	assert_int_equal(t.line.rate_up, 1000);
	assert_int_equal(t.line.rate_down, 16000);
	free(q);
}

static void test_vendor_malformed(void **state)
{
	uint8_t p[sizeof padr_qinq];
	struct pppoe_frame f;
	struct pppoe_tags t;

	(void)state;
	/* Agent-Circuit-Id's length past the vendor tag */
	memcpy(p, padr_qinq, sizeof p);
	p[63] = 0x30;
	assert_int_equal(parse(p, sizeof p, &f, &t), PPPOE_ERR_VENDOR);
	/* a rate of 3 octets */
	memcpy(p, padr_qinq, sizeof p);
	p[79] = 0x03;
	assert_int_equal(parse(p, sizeof p, &f, &t), PPPOE_ERR_VENDOR);
	/* the vendor tag cut after one octet of a sub-option header */
	memcpy(p, padr_qinq, sizeof p);
	p[57] = 0x05;	/* the vendor ID and the type octet of Agent-Circuit-Id */
	assert_int_equal(parse(p, sizeof p, &f, &t), PPPOE_ERR_VENDOR);
	/* another vendor's tag is ignored whatever it holds */
	memcpy(p, padr_qinq, sizeof p);
	p[61] = 0x0e;
	assert_int_equal(parse(p, sizeof p, &f, &t), PPPOE_ERR_NONE);
	assert_false(t.line.present);
	/* three VLAN tags */
	memcpy(p, padr_qinq, sizeof p);
	p[20] = 0x81;
	p[21] = 0x00;
	assert_int_equal(parse(p, sizeof p, &f, &t), PPPOE_ERR_VLAN);
}

/* The builder's frames parse back; overflow is an error, never a write. */
static void test_build(void **state)
{
	static struct pppoe_buf b;
	const uint16_t vl[2] = { 100, 10 };
	struct pppoe_frame f;
	struct pppoe_tags t;
	struct pppoe_bytes hu = { (const uint8_t *)"\x01\x02", 2, 1 };
	enum pppoe_err why;
	int n;

	(void)state;
	pppoe_buf_init(&b, host, bcast, vl, 2, PPPOE_ETH_P_DISC, PPPOE_CODE_PADS, 0x1234);
	pppoe_put_tag(&b, PPPOE_TAG_SERVICE_NAME, "isp", 3);
	pppoe_put_echo(&b, PPPOE_TAG_HOST_UNIQ, &hu);
	pppoe_put_echo(&b, PPPOE_TAG_RELAY_SID, &(struct pppoe_bytes){ 0 });
	pppoe_put_u16_tag(&b, PPPOE_TAG_MAX_PAYLOAD, 1492);
	n = pppoe_buf_finish(&b);
	assert_int_equal(n, 22 + 6 + 7 + 6 + 6);
	assert_memory_equal(b.buf + 12, "\x88\xa8\x00\x64\x81\x00\x00\x0a\x88\x63", 10);
	assert_int_equal(pppoe_frame_parse(b.buf, (size_t)n, &f, &why), 0);
	assert_int_equal(pppoe_tags_parse(&f, &t, &why), 0);
	assert_int_equal(f.session_id, 0x1234);
	assert_int_equal(f.len, 19);
	assert_memory_equal(t.host_uniq.p, "\x01\x02", 2);
	assert_false(t.relay_sid.present);
	assert_int_equal(t.max_payload, 1492);

	pppoe_buf_init(&b, host, bcast, NULL, 0, PPPOE_ETH_P_DISC, PPPOE_CODE_PADO, 0);
	pppoe_put_tag(&b, PPPOE_TAG_AC_NAME, b.buf, sizeof b.buf - 10);
	assert_int_equal(pppoe_buf_finish(&b), -EMSGSIZE);
	pppoe_buf_init(&b, host, bcast, vl, 3, PPPOE_ETH_P_DISC, PPPOE_CODE_PADO, 0);
	assert_int_equal(pppoe_buf_finish(&b), -EINVAL);
}

static void draw_fixed(void *buf, size_t len)
{
	memset(buf, 0x5a, len);
}

static void draw_other(void *buf, size_t len)
{
	memset(buf, 0xa5, len);
}

static void test_cookie(void **state)
{
	struct pppoe_cookie_key k, k2;
	uint8_t c[PPPOE_COOKIE_LEN], other[6];

	(void)state;
	pppoe_cookie_init(&k, 60, draw_fixed);
	pppoe_cookie_init(&k2, 60, draw_other);
	pppoe_cookie_make(&k, 1000, 9, 3, host, c);
	assert_int_equal(pppoe_cookie_check(&k, 1000, 3, host, c, sizeof c), 0);
	assert_int_equal(pppoe_cookie_check(&k, 1060, 3, host, c, sizeof c), 0);
	assert_int_equal(pppoe_cookie_check(&k, 1061, 3, host, c, sizeof c), -ETIMEDOUT);
	/* another key, interface, MAC, length; a byte of the time or the MAC changed */
	assert_int_equal(pppoe_cookie_check(&k2, 1000, 3, host, c, sizeof c), -EBADMSG);
	assert_int_equal(pppoe_cookie_check(&k, 1000, 4, host, c, sizeof c), -EBADMSG);
	memcpy(other, host, 6);
	other[5] ^= 1;
	assert_int_equal(pppoe_cookie_check(&k, 1000, 3, other, c, sizeof c), -EBADMSG);
	assert_int_equal(pppoe_cookie_check(&k, 1000, 3, host, c, sizeof c - 1), -EBADMSG);
	c[3] ^= 1;
	assert_int_equal(pppoe_cookie_check(&k, 1000, 3, host, c, sizeof c), -EBADMSG);
	c[3] ^= 1;
	c[7] ^= 1;	/* the nonce */
	assert_int_equal(pppoe_cookie_check(&k, 1000, 3, host, c, sizeof c), -EBADMSG);
	c[7] ^= 1;
	c[23] ^= 0x80;
	assert_int_equal(pppoe_cookie_check(&k, 1000, 3, host, c, sizeof c), -EBADMSG);
}

static void test_err_names(void **state)
{
	(void)state;
	for (int e = 0; e < PPPOE_ERR_MAX; e++) {
		assert_non_null(pppoe_err_name((enum pppoe_err)e));
		assert_string_not_equal(pppoe_err_name((enum pppoe_err)e), "?");
	}
	assert_string_equal(pppoe_err_name(PPPOE_ERR_MAX), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_padi),
		cmocka_unit_test(test_padding),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_padi_size),
		cmocka_unit_test(test_padr_relayed),
		cmocka_unit_test(test_vendor_malformed),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_err_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
