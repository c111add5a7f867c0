/*
 * libFuzzer target for the DHCPv6 codec (ipv6/dhcp6.h): parse arbitrary
 * bytes as a DHCPv6 message; what parses must pass the server's checks
 * without harm, rebuild, and parse again to the same message.  The same
 * bytes are also tried as a whole IPv6 packet (UDP, then ND messages), and
 * handed to a link's IPv6 server (ipv6/server.h) both as a packet and as a
 * DHCPv6 message from the subscriber: every packet the server sends in
 * answer must itself parse.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipv6/dhcp6.h"
#include "ipv6/nd.h"
#include "ipv6/pkt.h"
#include "ipv6/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(c)	do { if (!(c)) abort(); } while (0)

static void fuzz_packet(const uint8_t *data, size_t size, struct ipv6_stats *st)
{
	struct ipv6_pkt p;
	struct ipv6_udp u;
	struct dhcp6_msg m;
	struct nd_ra ra;

	if (ipv6_pkt_parse(data, size, &p, st) != 0)
		return;
	FUZZ_CHECK(p.payload + p.plen <= data + size);
	if (ipv6_udp_parse(&p, &u, st) == 0) {
		FUZZ_CHECK(u.data + u.len <= data + size);
		(void)dhcp6_parse(u.data, u.len, &m, st);
	}
	(void)nd_rs_parse(&p, st);
	(void)nd_ra_parse(&p, &ra, st);
}

/* What the server sends must be well formed: an RA or a DHCPv6 message. */
static void fuzz_sent(void *arg, const uint8_t *pkt, size_t len)
{
	struct ipv6_stats st = { 0 };
	struct ipv6_pkt p;
	struct ipv6_udp u;
	struct dhcp6_msg m;
	struct nd_ra ra;

	(void)arg;
	FUZZ_CHECK(ipv6_pkt_parse(pkt, len, &p, &st) == 0);
	if (p.next == IPV6_NH_ICMPV6) {
		FUZZ_CHECK(nd_ra_parse(&p, &ra, &st) == 0);
		return;
	}
	FUZZ_CHECK(ipv6_udp_parse(&p, &u, &st) == 0);
	FUZZ_CHECK(dhcp6_parse(u.data, u.len, &m, &st) == 0);
}

static const struct ipv6_server_ops fuzz_ops = { .send = fuzz_sent };

static void fuzz_server(const uint8_t *data, size_t size)
{
	static const uint8_t ifid[8] = { 1 }, peer[8] = { 2 };
	static const uint8_t p64[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1 };
	static const uint8_t pd[16] = { 0x20, 0x01, 0x0d, 0xb8, 1 };
	static struct ipv6_server s;
	static uint8_t pkt[65600];
	struct ipv6_server_cfg cfg = { 0 };
	struct l2tp_clock clk;
	size_t n;

	clock_init(&clk, 1);
	cfg.ra_interval = 200;
	cfg.ra_lifetime = 1800;
	cfg.pd_valid = 7200;
	cfg.pd_preferred = 3600;
	cfg.rapid_commit = size & 1;
	cfg.dns[0][0] = 0x20;
	dhcp6_duid_uuid(&cfg.duid, pd);
	ipv6_server_init(&s, &fuzz_ops, NULL, &clk, &cfg, ifid, peer);
	ipv6_server_set_prefixes(&s, p64, pd, 56);
	(void)ipv6_server_input(&s, data, size);
	n = ipv6_udp_build(pkt, sizeof(pkt), s.peer_ll, ipv6_all_dhcp, DHCP6_CLIENT_PORT,
			   DHCP6_SERVER_PORT, data, size);
	if (n > 0) {
		(void)ipv6_server_input(&s, pkt, n);
		(void)ipv6_server_input(&s, pkt, n);	/* again, bound or not */
	}
	ipv6_server_stop(&s);
	clock_destroy(&clk);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp6_msg m, m2;
	static uint8_t out[65536];
	struct ipv6_stats st = { 0 };
	char duid[3 * DHCP6_DUID_MAX + 1];
	size_t n;

	fuzz_packet(data, size, &st);
	fuzz_server(data, size);
	if (dhcp6_parse(data, size, &m, &st) != 0)
		return 0;
	(void)dhcp6_server_check(&m, &st);
	dhcp6_duid_format(&m.client, duid, sizeof(duid));
	FUZZ_CHECK(strlen(duid) == (m.client.len ? 3u * m.client.len - 1 : 0));
	n = dhcp6_build(out, sizeof(out), &m);
	FUZZ_CHECK(n > 0);
	FUZZ_CHECK(dhcp6_parse(out, n, &m2, &st) == 0);
	FUZZ_CHECK(memcmp(&m, &m2, sizeof(m)) == 0);
	return 0;
}
