/*
 * The proxy LCP and authentication hook (pppoe/proxy.c): what a LAC keeps
 * of a subscriber's LCP and PAP/CHAP for the proxy AVPs of RFC 2661
 * §4.4.5, from frames written out byte by byte; frames cut short change
 * nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "pppoe/proxy.h"

static void note(struct pppoe_lac_proxy *p, int from_peer, const uint8_t *f, size_t n)
{
	uint8_t *q = malloc(n);	/* exactly its size: ASan sees a read past it */

	memcpy(q, f, n);
	pppoe_proxy_note(p, from_peer, q, n);
	free(q);
}

/* LCP Configure-Requests: MRU 1492 + magic; ours: MRU 1492 + CHAP MD5. */
static const uint8_t peer_req1[] = { 0xc0, 0x21, 1, 1, 0, 14, 1, 4, 0x05, 0xd4,
				     5, 6, 0x11, 0x22, 0x33, 0x44 };
static const uint8_t peer_req2[] = { 0xff, 0x03, 0xc0, 0x21, 1, 2, 0, 10, 5, 6, 0x11, 0x22,
				     0x33, 0x44 };
static const uint8_t our_req[] = { 0xc0, 0x21, 1, 7, 0, 13, 1, 4, 0x05, 0xd4, 3, 5, 0xc2,
				   0x23, 5 };

static void test_lcp(void **state)
{
	struct pppoe_lac_proxy p;

	(void)state;
	memset(&p, 0, sizeof p);
	note(&p, 1, peer_req1, sizeof peer_req1);
	note(&p, 0, our_req, sizeof our_req);
	note(&p, 1, peer_req2, sizeof peer_req2);
	assert_true(p.initial_rx_len.present);
	assert_int_equal(p.initial_rx_len.len, 10);
	assert_memory_equal(p.initial_rx, peer_req1 + 6, 10);
	assert_int_equal(p.last_rx_len.len, 6);
	assert_memory_equal(p.last_rx, peer_req2 + 8, 6);
	assert_int_equal(p.last_tx_len.len, 9);
	assert_memory_equal(p.last_tx, our_req + 6, 9);
	/* an LCP Configure-Ack is not a request */
	note(&p, 1, (const uint8_t *)"\xc0\x21\x02\x07\x00\x04", 6);
	assert_int_equal(p.last_rx_len.len, 6);
	assert_int_equal(p.malformed, 0);
}

static void test_pap(void **state)
{
	static const uint8_t req[] = { 0xc0, 0x23, 1, 9, 0, 19, 9, 'a', 'l', 'i', 'c', 'e', '@',
				       'i', 's', 'p', 4, 'p', 'w', 'd', '1' };
	struct pppoe_lac_proxy p;

	(void)state;
	memset(&p, 0, sizeof p);
	note(&p, 1, req, sizeof req);
	assert_int_equal(p.auth_type, PPPOE_PROXY_AUTH_PAP);
	assert_string_equal(p.auth_name, "alice@isp");
	assert_int_equal(p.response_len, 4);
	assert_memory_equal(p.response, "pwd1", 4);
}

static void test_chap(void **state)
{
	static const uint8_t chal[] = { 0xc2, 0x23, 1, 0x42, 0, 25, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9,
					10, 11, 12, 13, 14, 15, 16, 'b', 'r', 'a', 's' };
	static const uint8_t resp[] = { 0xc2, 0x23, 2, 0x42, 0, 26, 16, 0xa0, 0xa1, 0xa2, 0xa3,
					0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad,
					0xae, 0xaf, 'b', 'o', 'b', '@', 'x' };
	struct pppoe_lac_proxy p;

	(void)state;
	memset(&p, 0, sizeof p);
	note(&p, 0, chal, sizeof chal);
	note(&p, 1, resp, sizeof resp);
	assert_int_equal(p.auth_type, PPPOE_PROXY_AUTH_CHAP);
	assert_int_equal(p.auth_id, 0x42);
	assert_int_equal(p.challenge_len, 16);
	assert_memory_equal(p.challenge, chal + 7, 16);
	assert_int_equal(p.response_len, 16);
	assert_memory_equal(p.response, resp + 7, 16);
	assert_string_equal(p.auth_name, "bob@x");
}

/* Cut short: the length past the frame, a PAP Peer-ID or CHAP value past
 * the packet: counted, nothing kept. */
static void test_malformed(void **state)
{
	static const uint8_t pap_long_id[] = { 0xc0, 0x23, 1, 1, 0, 8, 9, 'a', 'b', 'c' };
	static const uint8_t chap_long[] = { 0xc2, 0x23, 2, 1, 0, 7, 200, 1, 2 };
	static const uint8_t lcp_past[] = { 0xc0, 0x21, 1, 1, 0, 40, 1, 4, 5, 0xd4 };
	static const uint8_t lcp_one_past[] = { 0xc0, 0x21, 1, 1, 0, 9, 1, 4, 5, 0xd4 };
	static const uint8_t pap_pw_one_past[] = { 0xc0, 0x23, 1, 1, 0, 9, 1, 'a', 3, 'p', 'w' };
	struct pppoe_lac_proxy p;

	(void)state;
	memset(&p, 0, sizeof p);
	note(&p, 1, pap_long_id, sizeof pap_long_id);
	note(&p, 1, chap_long, sizeof chap_long);
	note(&p, 1, lcp_past, sizeof lcp_past);
	note(&p, 1, lcp_past, 5);
	note(&p, 1, lcp_one_past, sizeof lcp_one_past);
	note(&p, 1, pap_pw_one_past, sizeof pap_pw_one_past);
	assert_int_equal(p.malformed, 6);
	assert_int_equal(p.auth_type, PPPOE_PROXY_AUTH_NONE_YET);
	assert_false(p.initial_rx_len.present);
	assert_int_equal(p.response_len, 0);
	/* IPCP is not ours to keep */
	note(&p, 1, (const uint8_t *)"\x80\x21\x01\x01\x00\x04", 6);
	assert_int_equal(p.malformed, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lcp),
		cmocka_unit_test(test_pap),
		cmocka_unit_test(test_chap),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
