/*
 * DHCPv6 (RFC 8415) against hand-built messages (bytes and UDP checksums
 * worked out apart from the code under test): a client's Solicit for a
 * delegated prefix parsed field by field, a server's Reply built octet for
 * octet, UDP around them, every malformation the parser refuses (option
 * cut short, length past the message or past its IA, wrong length,
 * duplicate, too many), unknown options skipped and counted, and the
 * server's RFC 8415 §16 identifier rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "ipv6/dhcp6.h"
#include "ipv6/pkt.h"

static const uint8_t solicit[] = {
	0x01, 0x12, 0x34, 0x56, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x03, 0x00, 0x01,
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x08, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x06, 0x00, 0x02, 0x00, 0x17, 0x00, 0x0e, 0x00, 0x00, 0x00, 0x19,
	0x00, 0x29, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x1a, 0x00, 0x19, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x38, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static const uint8_t solicit_pkt[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x57, 0x11, 0x01, 0xfe, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55,
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x00, 0x02, 0x02, 0x22, 0x02, 0x23, 0x00, 0x57, 0xc1, 0x1d,
	0x01, 0x12, 0x34, 0x56, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x03, 0x00, 0x01,
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x08, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x06, 0x00, 0x02, 0x00, 0x17, 0x00, 0x0e, 0x00, 0x00, 0x00, 0x19,
	0x00, 0x29, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x1a, 0x00, 0x19, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x38, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static const uint8_t reply[] = {
	0x07, 0x12, 0x34, 0x56, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x03, 0x00, 0x01,
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x02, 0x00, 0x12, 0x00, 0x04,
	0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
	0xab, 0xab, 0xab, 0xab, 0x00, 0x19, 0x00, 0x29, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x07, 0x08, 0x00, 0x00, 0x0b, 0x40, 0x00, 0x1a, 0x00, 0x19,
	0x00, 0x00, 0x0e, 0x10, 0x00, 0x00, 0x1c, 0x20, 0x38, 0x20, 0x01, 0x0d,
	0xb8, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x0e, 0x00, 0x00, 0x00, 0x17, 0x00, 0x10, 0x20, 0x01, 0x0d,
	0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x53,
};

static const uint8_t ll_client[16] = { 0xfe, 0x80, [8] = 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33,
				       0x44, 0x55 };
static const uint8_t duid_ll[10] = { 0, 3, 0, 1, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t pd[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00 };
static const uint8_t dns[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x53 };

static void test_solicit_parse(void **state)
{
	struct ipv6_stats st = { 0 };
	struct dhcp6_msg m;
	struct dhcp6_ia *ia;

	(void)state;
	assert_int_equal(dhcp6_parse(solicit, sizeof(solicit), &m, &st), 0);
	assert_int_equal(m.type, DHCP6_SOLICIT);
	assert_int_equal(m.xid, 0x123456);
	assert_int_equal(m.client.len, sizeof(duid_ll));
	assert_memory_equal(m.client.b, duid_ll, sizeof(duid_ll));
	assert_int_equal(m.server.len, 0);
	assert_true(m.has_elapsed);
	assert_int_equal(m.elapsed, 0);
	assert_int_equal(m.n_oro, 1);
	assert_int_equal(m.oro[0], DHCP6_OPT_DNS_SERVERS);
	assert_true(m.rapid_commit);
	assert_int_equal(m.n_ia, 1);
	ia = dhcp6_find_ia(&m, DHCP6_OPT_IA_PD, 1);
	assert_non_null(ia);
	assert_null(dhcp6_find_ia(&m, DHCP6_OPT_IA_NA, 1));
	assert_null(dhcp6_find_ia(&m, DHCP6_OPT_IA_PD, 2));
	assert_int_equal(ia->n_lease, 1);
	assert_int_equal(ia->lease[0].plen, 56);	/* the hint */
	assert_int_equal(ia->status, DHCP6_ST_NONE);
	assert_int_equal(m.status, DHCP6_ST_NONE);
	assert_int_equal(dhcp6_server_check(&m, &st), 0);
	for (unsigned i = 0; i < IPV6_ERR_COUNT; i++)
		assert_int_equal(st.err[i], 0);
	assert_int_equal(st.unknown_opts, 0);
}

static void test_solicit_udp(void **state)
{
	struct ipv6_stats st = { 0 };
	struct ipv6_pkt p;
	struct ipv6_udp u;
	uint8_t buf[256];
	size_t n;

	(void)state;
	assert_int_equal(ipv6_pkt_parse(solicit_pkt, sizeof(solicit_pkt), &p, &st), 0);
	assert_int_equal(ipv6_udp_parse(&p, &u, &st), 0);
	assert_int_equal(u.sport, DHCP6_CLIENT_PORT);
	assert_int_equal(u.dport, DHCP6_SERVER_PORT);
	assert_int_equal(u.len, sizeof(solicit));
	assert_memory_equal(u.data, solicit, sizeof(solicit));
	/* our builder makes the same octets, the hop limit aside (we send 255) */
	n = ipv6_udp_build(buf, sizeof(buf), ll_client, ipv6_all_dhcp, DHCP6_CLIENT_PORT,
			   DHCP6_SERVER_PORT, solicit, sizeof(solicit));
	assert_int_equal(n, sizeof(solicit_pkt));
	assert_int_equal(buf[7], 255);
	buf[7] = 1;
	assert_memory_equal(buf, solicit_pkt, n);
	assert_int_equal(ipv6_udp_build(buf, 48 + sizeof(solicit) - 1, ll_client, ipv6_all_dhcp,
					DHCP6_CLIENT_PORT, DHCP6_SERVER_PORT, solicit,
					sizeof(solicit)), 0);
}

/* Parse solicit_pkt as UDP with byte `at` set to v (no fix-up). */
static int t_udp_mut(size_t at, uint8_t v, struct ipv6_stats *st)
{
	uint8_t buf[sizeof(solicit_pkt)];
	struct ipv6_pkt p;
	struct ipv6_udp u;
	int rc;

	memcpy(buf, solicit_pkt, sizeof(buf));
	buf[at] = v;
	rc = ipv6_pkt_parse(buf, sizeof(buf), &p, st);
	return rc < 0 ? rc : ipv6_udp_parse(&p, &u, st);
}

static void test_udp_refused(void **state)
{
	struct ipv6_stats st = { 0 };

	(void)state;
	/* a flipped payload octet: checksum */
	assert_int_equal(t_udp_mut(60, 0xee, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_CSUM], 1);
	/* a zero checksum, RFC 8200 §8.1 */
	{
		uint8_t buf[sizeof(solicit_pkt)];
		struct ipv6_pkt p;
		struct ipv6_udp u;

		memcpy(buf, solicit_pkt, sizeof(buf));
		buf[46] = buf[47] = 0;
		assert_int_equal(ipv6_pkt_parse(buf, sizeof(buf), &p, &st), 0);
		assert_int_equal(ipv6_udp_parse(&p, &u, &st), -EINVAL);
		assert_int_equal(st.err[IPV6_ERR_CSUM], 2);
	}
	/* A datagram whose checksum computes to 0 goes out as 0xffff (RFC
	 * 768); a zero field would then sum right too, and only RFC 8200
	 * §8.1's rule refuses it.  Its last two octets make the sum so. */
	{
		uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 0, 0 };
		uint8_t buf[64];
		struct ipv6_pkt p;
		struct ipv6_udp u;
		size_t n;

		n = ipv6_udp_build(buf, sizeof(buf), ll_client, ipv6_all_dhcp, 546, 547, data, 8);
		assert_int_equal(n, 56);
		data[6] = buf[46];
		data[7] = buf[47];
		n = ipv6_udp_build(buf, sizeof(buf), ll_client, ipv6_all_dhcp, 546, 547, data, 8);
		assert_int_equal(ipv6_get16(buf + 46), 0xffff);
		assert_int_equal(ipv6_pkt_parse(buf, n, &p, &st), 0);
		assert_int_equal(ipv6_udp_parse(&p, &u, &st), 0);
		buf[46] = buf[47] = 0;
		assert_int_equal(ipv6_udp_parse(&p, &u, &st), -EINVAL);
		assert_int_equal(st.err[IPV6_ERR_CSUM], 3);
	}
	/* UDP length past the payload, or under 8 */
	assert_int_equal(t_udp_mut(44, 0xff, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_UDP_LENGTH], 1);
	assert_int_equal(t_udp_mut(45, 7, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_UDP_LENGTH], 2);
	/* ICMPv6 is not UDP */
	assert_int_equal(t_udp_mut(6, IPV6_NH_ICMPV6, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_NEXT_HDR], 1);
}

static void t_reply_example(struct dhcp6_msg *m)
{
	struct dhcp6_ia *ia;

	dhcp6_msg_init(m, DHCP6_REPLY, 0x123456);
	m->client.len = sizeof(duid_ll);
	memcpy(m->client.b, duid_ll, sizeof(duid_ll));
	dhcp6_duid_uuid(&m->server, (const uint8_t[16]){ 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
							 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
							 0xab, 0xab, 0xab, 0xab });
	m->n_ia = 1;
	ia = &m->ia[0];
	ia->code = DHCP6_OPT_IA_PD;
	ia->iaid = 1;
	ia->t1 = 1800;
	ia->t2 = 2880;
	ia->status = DHCP6_ST_NONE;
	ia->n_lease = 1;
	memcpy(ia->lease[0].addr, pd, 16);
	ia->lease[0].plen = 56;
	ia->lease[0].preferred = 3600;
	ia->lease[0].valid = 7200;
	ia->lease[0].status = DHCP6_ST_NONE;
	m->rapid_commit = 1;
	m->n_dns = 1;
	memcpy(m->dns[0], dns, 16);
}

static void test_reply_build(void **state)
{
	struct ipv6_stats st = { 0 };
	struct dhcp6_msg m, back;
	uint8_t buf[DHCP6_MSG_MAX];
	char s[64];
	size_t n;

	(void)state;
	t_reply_example(&m);
	n = dhcp6_build(buf, sizeof(buf), &m);
	assert_int_equal(n, sizeof(reply));
	assert_memory_equal(buf, reply, n);
	assert_int_equal(dhcp6_parse(buf, n, &back, &st), 0);
	assert_memory_equal(&back, &m, sizeof(m));
	/* every cap short of the whole: nothing */
	for (size_t cap = 0; cap < n; cap++)
		assert_int_equal(dhcp6_build(buf, cap, &m), 0);
	/* out of bounds: nothing */
	m.ia[0].n_lease = DHCP6_LEASE_MAX + 1;
	assert_int_equal(dhcp6_build(buf, sizeof(buf), &m), 0);
	/* a server does not take a Reply */
	assert_int_equal(dhcp6_server_check(&back, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_TYPE], 1);
	dhcp6_duid_format(&back.client, s, sizeof(s));
	assert_string_equal(s, "00:03:00:01:00:11:22:33:44:55");
	dhcp6_duid_format(&back.client, s, 9);
	assert_string_equal(s, "00:03:00");
	assert_true(dhcp6_duid_equal(&back.server, &m.server));
	assert_false(dhcp6_duid_equal(&back.server, &back.client));
}

static void test_status_codes(void **state)
{
	struct ipv6_stats st = { 0 };
	struct dhcp6_msg m, back;
	uint8_t buf[DHCP6_MSG_MAX];
	size_t n;

	(void)state;
	t_reply_example(&m);
	m.ia[0].n_lease = 0;
	m.ia[0].status = DHCP6_ST_NO_PREFIX_AVAIL;
	m.status = DHCP6_ST_SUCCESS;
	n = dhcp6_build(buf, sizeof(buf), &m);
	assert_true(n > 0);
	assert_int_equal(dhcp6_parse(buf, n, &back, &st), 0);
	assert_int_equal(back.ia[0].status, DHCP6_ST_NO_PREFIX_AVAIL);
	assert_int_equal(back.status, DHCP6_ST_SUCCESS);
	assert_string_equal(dhcp6_status_name(DHCP6_ST_NO_BINDING), "NoBinding");
	assert_string_equal(dhcp6_type_name(DHCP6_RENEW), "RENEW");
	assert_string_equal(dhcp6_type_name(200), "UNKNOWN");
}

/* Parse the Solicit with bytes [at, at + n) replaced by v. */
static int t_sol_mut(size_t at, const uint8_t *v, size_t n, size_t len, struct ipv6_stats *st)
{
	uint8_t buf[sizeof(solicit) + 64];
	struct dhcp6_msg m;

	memcpy(buf, solicit, sizeof(solicit));
	memcpy(buf + at, v, n);
	return dhcp6_parse(buf, len, &m, st);
}

/* Offsets in the Solicit: CLIENTID at 4 (14 octets), ELAPSED at 18 (6),
 * ORO at 24 (6), RAPID_COMMIT at 30 (4), IA_PD at 34: header, IAID, T1,
 * T2 (16), its IAPREFIX at 50 (4 + 25), the end at 79. */
static void test_malformed(void **state)
{
	struct ipv6_stats st = { 0 };
	struct dhcp6_msg m;
	size_t L = sizeof(solicit);

	(void)state;
	assert_int_equal(L, 79);
	assert_int_equal(dhcp6_parse(solicit, 3, &m, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_SHORT], 1);
	/* the message cut inside the rapid commit's header: truncated */
	assert_int_equal(dhcp6_parse(solicit, 32, &m, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_OPT_TRUNC], 1);
	/* cut inside the IA_PD's body: past the end */
	assert_int_equal(dhcp6_parse(solicit, 60, &m, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_OPT_PAST], 1);
	/* the IAPREFIX longer than its IA_PD (the message is long enough) */
	assert_int_equal(t_sol_mut(52, (const uint8_t[]){ 0, 26 }, 2, L, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_OPT_PAST], 2);
	/* the client identifier's length past the message */
	assert_int_equal(t_sol_mut(6, (const uint8_t[]){ 0x10, 0 }, 2, L, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_OPT_PAST], 3);
	/* wrong lengths: elapsed time 1 octet (then ORO at 23 reads as an
	 * option: cut to keep the rest aligned) */
	assert_int_equal(t_sol_mut(20, (const uint8_t[]){ 0, 1 }, 2, 23, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_OPT_LEN], 1);
	/* ORO of odd length (3: its last octet the rapid commit's first; the
	 * message cut after it) */
	assert_int_equal(t_sol_mut(26, (const uint8_t[]){ 0, 3 }, 2, 31, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_OPT_LEN], 2);
	/* IA_PD's prefix length 129 */
	assert_int_equal(t_sol_mut(62, (const uint8_t[]){ 129 }, 1, L, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_OPT_LEN], 3);
	/* a DUID of 2 octets (type only) in a 6-octet client identifier cut
	 * to the identifier: the length says 2 */
	assert_int_equal(t_sol_mut(6, (const uint8_t[]){ 0, 2 }, 2, 10, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_OPT_LEN], 4);
	/* rapid commit turned into a second elapsed time of length 0 */
	assert_int_equal(t_sol_mut(30, (const uint8_t[]){ 0, 8 }, 2, L, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_OPT_LEN], 5);
	/* the ORO turned into a second client identifier of 2 octets: too
	 * short (checked before the duplicate) */
	assert_int_equal(t_sol_mut(24, (const uint8_t[]){ 0, 1 }, 2, L, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_OPT_LEN], 6);
	/* unknown options: skipped and counted, the message taken */
	assert_int_equal(t_sol_mut(24, (const uint8_t[]){ 0x99, 0x99 }, 2, L, &st), 0);
	assert_int_equal(st.unknown_opts, 1);
	assert_int_equal(t_sol_mut(30, (const uint8_t[]){ 0x99, 0x99 }, 2, L, &st), 0);
	assert_int_equal(st.unknown_opts, 2);
}

/* A Solicit grown by the options in extra (appended to its end). */
static int t_sol_plus(const uint8_t *extra, size_t n, struct dhcp6_msg *m, struct ipv6_stats *st)
{
	uint8_t buf[sizeof(solicit) + 256];

	assert_true(n <= 256);
	memcpy(buf, solicit, sizeof(solicit));
	memcpy(buf + sizeof(solicit), extra, n);
	return dhcp6_parse(buf, sizeof(solicit) + n, m, st);
}

static void test_duplicates_and_limits(void **state)
{
	static const uint8_t rc2[] = { 0, 14, 0, 0 };
	static const uint8_t cid2[] = { 0, 1, 0, 3, 0, 4, 0xaa };
	static const uint8_t dns17[] = { 0, 23, 0, 17, [4 + 16] = 1 };
	static const uint8_t ia_pd_short[] = { 0, 25, 0, 11, [4 + 10] = 0 };
	static const uint8_t ia_na[] = { 0, 3, 0, 12, 0, 0, 0, 9, [4 + 11] = 0 };
	struct ipv6_stats st = { 0 };
	struct dhcp6_msg m;
	uint8_t four_ia[4 * 16];

	(void)state;
	assert_int_equal(t_sol_plus(rc2, sizeof(rc2), &m, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_DUP], 1);
	assert_int_equal(t_sol_plus(cid2, sizeof(cid2), &m, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_DUP], 2);
	assert_int_equal(t_sol_plus(dns17, sizeof(dns17), &m, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_OPT_LEN], 1);
	assert_int_equal(t_sol_plus(ia_pd_short, sizeof(ia_pd_short), &m, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_OPT_LEN], 2);
	/* one IA_NA more: two IAs, both kept */
	assert_int_equal(t_sol_plus(ia_na, sizeof(ia_na), &m, &st), 0);
	assert_int_equal(m.n_ia, 2);
	assert_non_null(dhcp6_find_ia(&m, DHCP6_OPT_IA_NA, 9));
	/* four more: five IAs, one more than we keep */
	for (int i = 0; i < 4; i++)
		memcpy(four_ia + 16 * i, ia_na, 16);
	assert_int_equal(t_sol_plus(four_ia, sizeof(four_ia), &m, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_TOO_MANY], 1);
	/* three more: four, taken */
	assert_int_equal(t_sol_plus(four_ia, 48, &m, &st), 0);
	assert_int_equal(m.n_ia, 4);
}

static void test_server_check(void **state)
{
	struct ipv6_stats st = { 0 };
	struct dhcp6_msg m;

	(void)state;
	assert_int_equal(dhcp6_parse(solicit, sizeof(solicit), &m, &st), 0);
	/* §16.2: a Solicit naming a server is discarded */
	dhcp6_duid_uuid(&m.server, (const uint8_t[16]){ 1 });
	assert_int_equal(dhcp6_server_check(&m, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_IDS], 1);
	/* §16.6: a Renew names its server; without one it is discarded */
	m.type = DHCP6_RENEW;
	assert_int_equal(dhcp6_server_check(&m, &st), 0);
	m.server.len = 0;
	assert_int_equal(dhcp6_server_check(&m, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_IDS], 2);
	/* §16.7: a Rebind does not */
	m.type = DHCP6_REBIND;
	assert_int_equal(dhcp6_server_check(&m, &st), 0);
	/* no client identifier: discarded */
	m.client.len = 0;
	assert_int_equal(dhcp6_server_check(&m, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_IDS], 3);
	m.type = DHCP6_ADVERTISE;
	assert_int_equal(dhcp6_server_check(&m, &st), -EINVAL);
	assert_int_equal(st.err[IPV6_ERR_DHCP_TYPE], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_solicit_parse),
		cmocka_unit_test(test_solicit_udp),
		cmocka_unit_test(test_udp_refused),
		cmocka_unit_test(test_reply_build),
		cmocka_unit_test(test_status_codes),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_duplicates_and_limits),
		cmocka_unit_test(test_server_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
