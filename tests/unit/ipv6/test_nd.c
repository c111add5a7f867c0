/*
 * The IPv6 header and Neighbor Discovery's router messages against
 * hand-built packets (bytes and checksums worked out apart from the code
 * under test): a Router Solicitation taken, each RFC 4861 §6.1.1 check
 * refused and counted, unknown options skipped and counted, a Router
 * Advertisement built octet for octet, parsed back, and its malformed
 * options refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "ipv6/nd.h"
#include "ipv6/pkt.h"

static const uint8_t rs_pkt[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x3a, 0xff, 0xfe, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55,
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x02, 0x85, 0x00, 0x15, 0x9e, 0x00, 0x00, 0x00, 0x00,
};
static const uint8_t rs_unknown_opt[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x3a, 0xff, 0xfe, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55,
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x02, 0x85, 0x00, 0x44, 0x88, 0x00, 0x00, 0x00, 0x00,
	0xc8, 0x01, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
};
static const uint8_t rs_unspec_slla[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x3a, 0xff, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x02, 0x85, 0x00, 0x14, 0x16, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
};
static const uint8_t rs_opt_zero[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x3a, 0xff, 0xfe, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55,
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x02, 0x85, 0x00, 0x4d, 0x95, 0x00, 0x00, 0x00, 0x00,
	0xc8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static const uint8_t rs_opt_past[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x3a, 0xff, 0xfe, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55,
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x02, 0x85, 0x00, 0x4d, 0x93, 0x00, 0x00, 0x00, 0x00,
	0xc8, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static const uint8_t ra_pkt[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x50, 0x3a, 0xff, 0xfe, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x11, 0x22, 0xff,
	0xfe, 0x33, 0x44, 0x55, 0x86, 0x00, 0x7b, 0x3c, 0x40, 0xc0, 0x07, 0x08,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x05, 0xd4, 0x03, 0x04, 0x40, 0xc0, 0x00, 0x01, 0x51, 0x80,
	0x00, 0x00, 0x38, 0x40, 0x00, 0x00, 0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x19, 0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0xb0, 0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x53,
};

static const uint8_t ll_client[16] = { 0xfe, 0x80, [8] = 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33,
				       0x44, 0x55 };
static const uint8_t ll_server[16] = { 0xfe, 0x80, [15] = 0x01 };

/* Parse a copy of pkt (len octets) with byte `at` set to v (at < 0: as
 * is), the ICMPv6 checksum fixed up after unless at is in it. */
static int t_rs(const uint8_t *pkt, size_t len, int at, uint8_t v, struct ipv6_stats *st)
{
	uint8_t buf[256];
	struct ipv6_pkt p;
	int rc;

	assert_true(len <= sizeof(buf));
	memcpy(buf, pkt, len);
	if (at >= 0)
		buf[at] = v;
	if (at >= 44) {
		buf[42] = buf[43] = 0;
		ipv6_put16(buf + 42, ipv6_pkt_csum(buf + 8, buf + 24, IPV6_NH_ICMPV6, buf + 40,
						   len - 40));
	}
	rc = ipv6_pkt_parse(buf, len, &p, st);
	if (rc < 0)
		return rc;
	return nd_rs_parse(&p, st);
}

static void test_rs_valid(void **state)
{
	struct ipv6_stats st = { 0 };
	uint8_t buf[128];
	size_t n;

	(void)state;
	assert_int_equal(t_rs(rs_pkt, sizeof(rs_pkt), -1, 0, &st), 0);
	/* our own builder writes exactly the hand-built packet */
	n = nd_rs_build(buf, sizeof(buf), ll_client);
	assert_int_equal(n, sizeof(rs_pkt));
	assert_memory_equal(buf, rs_pkt, n);
	assert_int_equal(nd_rs_build(buf, 47, ll_client), 0);
	for (unsigned i = 0; i < IPV6_ERR_COUNT; i++)
		assert_int_equal(st.err[i], 0);
}

static void test_rs_refused(void **state)
{
	struct ipv6_stats st = { 0 };

	(void)state;
	/* §6.1.1: hop limit 255, checksum, code 0, options of length > 0 */
	assert_int_equal(t_rs(rs_pkt, sizeof(rs_pkt), 7, 254, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_ND_HOP_LIMIT], 1);
	assert_int_equal(t_rs(rs_pkt, sizeof(rs_pkt), 42, 0x00, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_CSUM], 1);
	/* the body changed, its checksum not */
	assert_int_equal(t_rs(rs_pkt, sizeof(rs_pkt), 41, 1, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_CSUM], 2);
	assert_int_equal(t_rs(rs_opt_zero, sizeof(rs_opt_zero), -1, 0, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_ND_OPT], 1);
	assert_int_equal(t_rs(rs_opt_past, sizeof(rs_opt_past), -1, 0, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_ND_OPT], 2);
	assert_int_equal(t_rs(rs_unspec_slla, sizeof(rs_unspec_slla), -1, 0, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_ND_SRC], 1);
	/* a code other than 0, checksum right */
	{
		uint8_t buf[sizeof(rs_pkt)];
		struct ipv6_pkt p;

		memcpy(buf, rs_pkt, sizeof(buf));
		buf[41] = 1;
		buf[42] = buf[43] = 0;
		ipv6_put16(buf + 42, ipv6_pkt_csum(buf + 8, buf + 24, IPV6_NH_ICMPV6, buf + 40, 8));
		assert_int_equal(ipv6_pkt_parse(buf, sizeof(buf), &p, &st), 0);
		assert_int_equal(nd_rs_parse(&p, &st), -EINVAL);
		assert_int_equal(st.err[IPV6_ERR_ND_CODE], 1);
	}
	/* too short for an RS: 4 octets of ICMPv6 */
	{
		uint8_t buf[44];
		struct ipv6_pkt p;

		memcpy(buf, rs_pkt, sizeof(buf));
		buf[5] = 4;
		buf[42] = buf[43] = 0;
		ipv6_put16(buf + 42, ipv6_pkt_csum(buf + 8, buf + 24, IPV6_NH_ICMPV6, buf + 40, 4));
		assert_int_equal(ipv6_pkt_parse(buf, sizeof(buf), &p, &st), 0);
		assert_int_equal(nd_rs_parse(&p, &st), -EINVAL);
		assert_int_equal(st.err[IPV6_ERR_ND_SHORT], 1);
	}
	/* an RA is not an RS: not ours, not counted */
	assert_int_equal(t_rs(ra_pkt, sizeof(ra_pkt), -1, 0, &st), -ENOMSG);
	assert_int_equal(st.err[IPV6_ERR_ND_SHORT], 1);
}

static void test_rs_unknown_option(void **state)
{
	struct ipv6_stats st = { 0 };

	(void)state;
	/* RFC 4861 §4.1: an unknown option is ignored; we count it */
	assert_int_equal(t_rs(rs_unknown_opt, sizeof(rs_unknown_opt), -1, 0, &st), 0);
	assert_int_equal(st.unknown_opts, 1);
}

static void test_ipv6_header_refused(void **state)
{
	struct ipv6_stats st = { 0 };
	struct ipv6_pkt p;

	(void)state;
	assert_int_equal(ipv6_pkt_parse(rs_pkt, 39, &p, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_SHORT], 1);
	assert_int_equal(t_rs(rs_pkt, sizeof(rs_pkt), 0, 0x40, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_VERSION], 1);
	/* payload length 9: one octet past the packet */
	assert_int_equal(t_rs(rs_pkt, sizeof(rs_pkt), 5, 9, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_LENGTH], 1);
	/* a hop-by-hop header first: refused */
	assert_int_equal(t_rs(rs_pkt, sizeof(rs_pkt), 6, 0, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_NEXT_HDR], 1);
	assert_string_equal(ipv6_err_name(IPV6_ERR_NEXT_HDR), "next-header");
	assert_string_equal(ipv6_err_name(IPV6_ERR_COUNT), "?");
}

static void t_ra_example(struct nd_ra *ra)
{
	static const uint8_t pfx[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1 };
	static const uint8_t dns[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x53 };

	memset(ra, 0, sizeof(*ra));
	ra->cur_hop_limit = 64;
	ra->flags = ND_RA_MANAGED | ND_RA_OTHER;
	ra->router_lifetime = 1800;
	ra->mtu = 1492;
	ra->n_prefix = 1;
	memcpy(ra->prefix[0].prefix, pfx, 16);
	ra->prefix[0].len = 64;
	ra->prefix[0].flags = ND_PREFIX_ONLINK | ND_PREFIX_AUTO;
	ra->prefix[0].valid = 86400;
	ra->prefix[0].preferred = 14400;
	ra->n_rdnss = 1;
	ra->rdnss_lifetime = 1200;
	memcpy(ra->rdnss[0], dns, 16);
}

static void test_ra_build_parse(void **state)
{
	struct ipv6_stats st = { 0 };
	struct nd_ra ra, back;
	struct ipv6_pkt p;
	uint8_t buf[512];
	size_t n;

	(void)state;
	t_ra_example(&ra);
	n = nd_ra_build(buf, sizeof(buf), ll_server, ll_client, &ra);
	assert_int_equal(n, sizeof(ra_pkt));
	assert_memory_equal(buf, ra_pkt, n);
	assert_int_equal(ipv6_pkt_parse(ra_pkt, sizeof(ra_pkt), &p, &st), 0);
	assert_int_equal(nd_ra_parse(&p, &back, &st), 0);
	assert_memory_equal(&back, &ra, sizeof(ra));
	/* not enough room: nothing */
	assert_int_equal(nd_ra_build(buf, 100, ll_server, ll_client, &ra), 0);
	ra.n_prefix = ND_MAX_PREFIX + 1;
	assert_int_equal(nd_ra_build(buf, sizeof(buf), ll_server, ll_client, &ra), 0);
}

/* Parse ra_pkt with byte `at` set to v, its checksum fixed up. */
static int t_ra_mut(size_t at, uint8_t v, struct ipv6_stats *st)
{
	uint8_t buf[sizeof(ra_pkt)];
	struct ipv6_pkt p;
	struct nd_ra ra;

	memcpy(buf, ra_pkt, sizeof(buf));
	buf[at] = v;
	buf[42] = buf[43] = 0;
	ipv6_put16(buf + 42, ipv6_pkt_csum(buf + 8, buf + 24, IPV6_NH_ICMPV6, buf + 40,
					   sizeof(buf) - 40));
	assert_int_equal(ipv6_pkt_parse(buf, sizeof(buf), &p, st), 0);
	return nd_ra_parse(&p, &ra, st);
}

static void test_ra_refused(void **state)
{
	struct ipv6_stats st = { 0 };

	(void)state;
	/* sanity: the fix-up alone keeps the packet good */
	assert_int_equal(t_ra_mut(44, 64, &st), 0);
	/* the MTU option (at 56) claiming 2 units: wrong length */
	assert_int_equal(t_ra_mut(57, 2, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_ND_OPT_LEN], 1);
	/* the prefix option (at 64) 3 units long: wrong length */
	assert_int_equal(t_ra_mut(65, 3, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_ND_OPT_LEN], 2);
	/* prefix length 129 */
	assert_int_equal(t_ra_mut(66, 129, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_ND_OPT_LEN], 3);
	/* the RDNSS option (at 96) 1 unit: no address (RFC 8106 §5.1) */
	assert_int_equal(t_ra_mut(97, 1, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_ND_OPT_LEN], 4);
	/* the RDNSS option 4 units long: past the message */
	assert_int_equal(t_ra_mut(97, 4, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_ND_OPT], 1);
	/* an RA from a global source (§6.1.2) */
	assert_int_equal(t_ra_mut(8, 0x20, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_ND_SRC], 1);
	/* an unknown option type in place of the MTU: skipped, counted */
	assert_int_equal(t_ra_mut(56, 200, &st), 0);
	assert_int_equal(st.unknown_opts, 1);
}

static void test_addresses(void **state)
{
	static const uint8_t ifid[8] = { 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55 };
	static const uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0xff };
	static const uint8_t b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x80 };
	uint8_t ll[16];

	(void)state;
	ipv6_link_local(ll, ifid);
	assert_memory_equal(ll, ll_client, 16);
	assert_true(ipv6_is_link_local(ll));
	assert_false(ipv6_is_link_local(a));
	assert_true(ipv6_prefix_match(a, b, 40));
	assert_true(ipv6_prefix_match(a, b, 41));
	assert_false(ipv6_prefix_match(a, b, 42));
	assert_false(ipv6_prefix_match(a, b, 129));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rs_valid),
		cmocka_unit_test(test_rs_refused),
		cmocka_unit_test(test_rs_unknown_option),
		cmocka_unit_test(test_ipv6_header_refused),
		cmocka_unit_test(test_ra_build_parse),
		cmocka_unit_test(test_ra_refused),
		cmocka_unit_test(test_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
