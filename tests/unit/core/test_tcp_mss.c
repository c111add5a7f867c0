/*
 * TCP MSS clamping (core/tcp_mss.c) on crafted SYNs: IPv4 and IPv6 (behind
 * extension headers), in PPP frames with and without FF 03 and with a
 * compressed protocol field, the MSS option at odd and even offsets after
 * NOPs and other options; the incremental checksum (RFC 1624) equals one
 * computed from scratch; segments that are not SYNs, already small MSSs,
 * later fragments are untouched; malformed headers and options are
 * reported, never read past.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/tcp_mss.h"

/* One's complement sum of buf, 16-bit words from buf[0]. */
static uint32_t sum16(const uint8_t *buf, size_t len, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(buf[i] << 8 | buf[i + 1]);
	if (len & 1)
		s += (uint32_t)buf[len - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The TCP checksum from scratch (RFC 9293 §3.1 pseudo-header; RFC 8200
 * §8.1 for IPv6), the checksum field taken as 0. */
static uint16_t tcp_csum(const uint8_t *ip, size_t tcp_off, size_t tcp_len, int v6)
{
	uint8_t seg[1500];
	uint32_t s = 0;

	memcpy(seg, ip + tcp_off, tcp_len);
	seg[16] = seg[17] = 0;
	if (v6) {
		s = sum16(ip + 8, 32, s);
		s += (uint32_t)tcp_len + 6;
	} else {
		s = sum16(ip + 12, 8, s);
		s += 6 + (uint32_t)tcp_len;
	}
	return fold(sum16(seg, tcp_len, s));
}

static void set_csum(uint8_t *ip, size_t tcp_off, size_t tcp_len, int v6)
{
	uint16_t c = tcp_csum(ip, tcp_off, tcp_len, v6);

	ip[tcp_off + 16] = (uint8_t)(c >> 8);
	ip[tcp_off + 17] = (uint8_t)c;
}

static uint16_t get_csum(const uint8_t *ip, size_t tcp_off)
{
	return (uint16_t)(ip[tcp_off + 16] << 8 | ip[tcp_off + 17]);
}

/* A TCP header at tcp with these options (padded with END to 4 octets);
 * its length. */
static size_t put_tcp(uint8_t *tcp, uint8_t flags, const uint8_t *opt, size_t olen)
{
	size_t hl = 20 + ((olen + 3) & ~(size_t)3);

	memset(tcp, 0, hl);
	tcp[0] = 0xc3; tcp[1] = 0x50;		/* ports 50000 -> 80 */
	tcp[2] = 0x00; tcp[3] = 0x50;
	tcp[4] = 0x12; tcp[5] = 0x34; tcp[6] = 0x56; tcp[7] = 0x78;
	tcp[12] = (uint8_t)((hl / 4) << 4);
	tcp[13] = flags;
	tcp[14] = 0xfa; tcp[15] = 0xf0;
	memcpy(tcp + 20, opt, olen);
	return hl;
}

/* IPv4 packet with the given TCP options: its length. */
static size_t put_v4(uint8_t *p, uint8_t flags, const uint8_t *opt, size_t olen)
{
	size_t tl = put_tcp(p + 20, flags, opt, olen);

	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = (uint8_t)((20 + tl) >> 8);
	p[3] = (uint8_t)(20 + tl);
	p[8] = 64;
	p[9] = 6;
	p[12] = 10; p[13] = 0; p[14] = 0; p[15] = 1;
	p[16] = 192; p[17] = 0; p[18] = 2; p[19] = 7;
	set_csum(p, 20, tl, 0);
	return 20 + tl;
}

/* IPv6 with `ext` octets of extension headers (Hop-by-Hop then
 * Destination Options, 8 octets each) before TCP. */
static size_t put_v6(uint8_t *p, size_t ext, uint8_t flags, const uint8_t *opt, size_t olen)
{
	size_t tl = put_tcp(p + 40 + ext, flags, opt, olen), i;

	memset(p, 0, 40 + ext);
	p[0] = 0x60;
	p[4] = (uint8_t)((ext + tl) >> 8);
	p[5] = (uint8_t)(ext + tl);
	p[6] = ext ? 0 : 6;
	p[7] = 64;
	p[8] = 0x20; p[9] = 0x01; p[10] = 0x0d; p[11] = 0xb8; p[23] = 1;
	p[24] = 0x20; p[25] = 0x01; p[26] = 0x0d; p[27] = 0xb8; p[39] = 2;
	for (i = 0; i < ext; i += 8) {
		p[40 + i] = i + 8 < ext ? 60 : 6;	/* next header */
		p[40 + i + 1] = 0;			/* 8 octets */
		p[40 + i + 2] = 1;			/* PadN, 4 octets */
		p[40 + i + 3] = 4;
	}
	set_csum(p, 40 + ext, tl, 1);
	return 40 + ext + tl;
}

static const uint8_t opt_plain[] = { 2, 4, 0x05, 0xb4 };			/* MSS 1460 */
static const uint8_t opt_odd[] = { 1, 2, 4, 0x23, 0x28, 1, 1, 1 };		/* NOP, MSS 9000 */
static const uint8_t opt_late[] = { 1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 3, 3, 7,
				    4, 2, 2, 4, 0xff, 0xff };		/* TS, WS, SACK-perm, MSS 65535 */

static uint16_t mss_at(const uint8_t *p, size_t off)
{
	return (uint16_t)(p[off] << 8 | p[off + 1]);
}

static void test_v4_clamped(void **state)
{
	uint8_t p[200];
	size_t len;

	(void)state;
	len = put_v4(p, 0x02, opt_plain, sizeof(opt_plain));
	assert_int_equal(tcp_mss_clamp_ip(p, len, 1412), TCP_MSS_CLAMPED);
	assert_int_equal(mss_at(p, 20 + 22), 1412);
	assert_int_equal(get_csum(p, 20), tcp_csum(p, 20, len - 20, 0));
	/* again: already small enough */
	assert_int_equal(tcp_mss_clamp_ip(p, len, 1412), TCP_MSS_UNTOUCHED);
	assert_int_equal(tcp_mss_clamp_ip(p, len, 1452), TCP_MSS_UNTOUCHED);
	assert_int_equal(mss_at(p, 20 + 22), 1412);
}

/* The MSS value at an odd offset of the header straddles two of the
 * checksum's words; options before it are skipped by their length. */
static void test_v4_odd_and_late(void **state)
{
	uint8_t p[200];
	size_t len;

	(void)state;
	len = put_v4(p, 0x12, opt_odd, sizeof(opt_odd));	/* SYN-ACK */
	assert_int_equal(tcp_mss_clamp_ip(p, len, 1400), TCP_MSS_CLAMPED);
	assert_int_equal(mss_at(p, 20 + 23), 1400);
	assert_int_equal(get_csum(p, 20), tcp_csum(p, 20, len - 20, 0));
	len = put_v4(p, 0x02, opt_late, sizeof(opt_late));
	assert_int_equal(tcp_mss_clamp_ip(p, len, 536), TCP_MSS_CLAMPED);
	assert_int_equal(mss_at(p, 20 + 20 + 20), 536);
	assert_int_equal(get_csum(p, 20), tcp_csum(p, 20, len - 20, 0));
}

static void test_untouched(void **state)
{
	uint8_t p[200], q[200];
	static const uint8_t no_mss[] = { 1, 1, 4, 2 };
	size_t len;

	(void)state;
	len = put_v4(p, 0x10, opt_plain, sizeof(opt_plain));	/* ACK, no SYN */
	memcpy(q, p, len);
	assert_int_equal(tcp_mss_clamp_ip(p, len, 500), TCP_MSS_UNTOUCHED);
	assert_memory_equal(p, q, len);
	len = put_v4(p, 0x02, no_mss, sizeof(no_mss));
	assert_int_equal(tcp_mss_clamp_ip(p, len, 500), TCP_MSS_UNTOUCHED);
	len = put_v4(p, 0x02, opt_plain, sizeof(opt_plain));
	p[9] = 17;						/* UDP */
	assert_int_equal(tcp_mss_clamp_ip(p, len, 500), TCP_MSS_UNTOUCHED);
	p[9] = 6;
	p[7] = 0x10;						/* a later fragment */
	memcpy(q, p, len);
	assert_int_equal(tcp_mss_clamp_ip(p, len, 500), TCP_MSS_UNTOUCHED);
	assert_memory_equal(p, q, len);
}

static void test_v6(void **state)
{
	uint8_t p[300];
	size_t len, ext;

	(void)state;
	for (ext = 0; ext <= 16; ext += 8) {
		len = put_v6(p, ext, 0x02, opt_odd, sizeof(opt_odd));
		assert_int_equal(tcp_mss_clamp_ip(p, len, 1220), TCP_MSS_CLAMPED);
		assert_int_equal(mss_at(p, 40 + ext + 23), 1220);
		assert_int_equal(get_csum(p, 40 + ext), tcp_csum(p, 40 + ext, len - 40 - ext, 1));
	}
	/* an extension header running past the packet */
	len = put_v6(p, 8, 0x02, opt_plain, sizeof(opt_plain));
	p[41] = 200;
	assert_int_equal(tcp_mss_clamp_ip(p, len, 1220), TCP_MSS_MALFORMED);
	/* a next header we do not walk: left alone */
	len = put_v6(p, 0, 0x02, opt_plain, sizeof(opt_plain));
	p[6] = 50;						/* ESP */
	assert_int_equal(tcp_mss_clamp_ip(p, len, 1220), TCP_MSS_UNTOUCHED);
}

static void test_ppp(void **state)
{
	uint8_t f[300];
	size_t len;

	(void)state;
	f[0] = 0xff; f[1] = 0x03; f[2] = 0x00; f[3] = 0x21;
	len = 4 + put_v4(f + 4, 0x02, opt_plain, sizeof(opt_plain));
	assert_int_equal(tcp_mss_clamp_ppp(f, len, 1452), TCP_MSS_CLAMPED);
	assert_int_equal(mss_at(f, 4 + 42), 1452);
	assert_int_equal(get_csum(f + 4, 20), tcp_csum(f + 4, 20, len - 24, 0));
	/* no FF 03, compressed protocol (RFC 1661 §6.5) */
	f[0] = 0x21;
	len = 1 + put_v4(f + 1, 0x02, opt_plain, sizeof(opt_plain));
	assert_int_equal(tcp_mss_clamp_ppp(f, len, 1452), TCP_MSS_CLAMPED);
	/* IPv6 */
	f[0] = 0x00; f[1] = 0x57;
	len = 2 + put_v6(f + 2, 0, 0x02, opt_plain, sizeof(opt_plain));
	assert_int_equal(tcp_mss_clamp_ppp(f, len, 1432), TCP_MSS_CLAMPED);
	assert_int_equal(mss_at(f, 2 + 40 + 22), 1432);
	/* LCP: untouched; short frames */
	f[0] = 0xc0; f[1] = 0x21;
	assert_int_equal(tcp_mss_clamp_ppp(f, len, 1432), TCP_MSS_UNTOUCHED);
	assert_int_equal(tcp_mss_clamp_ppp(f, 0, 1432), TCP_MSS_UNTOUCHED);
	f[0] = 0xff; f[1] = 0x03;
	assert_int_equal(tcp_mss_clamp_ppp(f, 2, 1432), TCP_MSS_UNTOUCHED);
	assert_int_equal(tcp_mss_clamp_ppp(f, 3, 1432), TCP_MSS_UNTOUCHED);
}

/* Malformed: reported, nothing changed, nothing read past len (the
 * sanitizer build checks the last on every cut). */
static void test_malformed(void **state)
{
	static const uint8_t bad_len[] = { 1, 2, 9, 0x05 };	/* MSS of length 9 */
	static const uint8_t zero_len[] = { 8, 0, 2, 4 };	/* an option of length 0 */
	static const uint8_t mss_short[] = { 2, 3, 5, 1 };	/* MSS of length 3 */
	static const uint8_t past_hdr[] = { 8, 30, 0, 0 };	/* an option past the header */
	static const uint8_t mss_cut[] = { 1, 1, 2, 4 };	/* MSS cut by the header's end */
	uint8_t p[200], q[200];
	size_t len, cut;
	uint8_t *h;

	(void)state;
	len = put_v4(p, 0x02, bad_len, sizeof(bad_len));
	memcpy(q, p, len);
	assert_int_equal(tcp_mss_clamp_ip(p, len, 500), TCP_MSS_MALFORMED);
	assert_memory_equal(p, q, len);
	len = put_v4(p, 0x02, zero_len, sizeof(zero_len));
	assert_int_equal(tcp_mss_clamp_ip(p, len, 500), TCP_MSS_MALFORMED);
	len = put_v4(p, 0x02, mss_short, sizeof(mss_short));
	assert_int_equal(tcp_mss_clamp_ip(p, len, 500), TCP_MSS_MALFORMED);
	len = put_v4(p, 0x02, past_hdr, sizeof(past_hdr));
	assert_int_equal(tcp_mss_clamp_ip(p, len, 500), TCP_MSS_MALFORMED);
	len = put_v4(p, 0x02, mss_cut, sizeof(mss_cut));
	p[len++] = 0x05;	/* payload where the value would go */
	p[len++] = 0xb4;
	p[3] = (uint8_t)len;
	memcpy(q, p, len);
	assert_int_equal(tcp_mss_clamp_ip(p, len, 500), TCP_MSS_MALFORMED);
	assert_memory_equal(p, q, len);
	/* data offset past the segment, below 5; IHL below 5; not IP */
	len = put_v4(p, 0x02, opt_plain, sizeof(opt_plain));
	p[32] = 0xf0;
	assert_int_equal(tcp_mss_clamp_ip(p, len, 500), TCP_MSS_MALFORMED);
	p[32] = 0x40;
	assert_int_equal(tcp_mss_clamp_ip(p, len, 500), TCP_MSS_MALFORMED);
	p[32] = 0x60;
	p[0] = 0x44;
	assert_int_equal(tcp_mss_clamp_ip(p, len, 500), TCP_MSS_MALFORMED);
	p[0] = 0x55;
	assert_int_equal(tcp_mss_clamp_ip(p, len, 500), TCP_MSS_MALFORMED);
	/* every cut of a good SYN, in a buffer of exactly that size */
	len = put_v4(p, 0x02, opt_late, sizeof(opt_late));
	for (cut = 0; cut < len; cut++) {
		h = malloc(cut ? cut : 1);
		assert_non_null(h);
		memcpy(h, p, cut);
		assert_int_equal(tcp_mss_clamp_ip(h, cut, 500), TCP_MSS_MALFORMED);
		free(h);
	}
	len = put_v6(p, 16, 0x02, opt_late, sizeof(opt_late));
	for (cut = 0; cut < len; cut++) {
		h = malloc(cut ? cut : 1);
		assert_non_null(h);
		memcpy(h, p, cut);
		assert_int_equal(tcp_mss_clamp_ip(h, cut, 500), TCP_MSS_MALFORMED);
		free(h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_clamped),
		cmocka_unit_test(test_v4_odd_and_late),
		cmocka_unit_test(test_untouched),
		cmocka_unit_test(test_v6),
		cmocka_unit_test(test_ppp),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
