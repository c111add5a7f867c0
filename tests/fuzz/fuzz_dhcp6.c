/*
 * libFuzzer target for the DHCPv6 codec (ipv6/dhcp6.h): parse arbitrary
 * bytes as a DHCPv6 message; what parses must pass the server's checks
 * without harm, rebuild, and parse again to the same message.  The same
 * bytes are also tried as a whole IPv6 packet (UDP, then ND messages).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipv6/dhcp6.h"
#include "ipv6/nd.h"
#include "ipv6/pkt.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp6_msg m, m2;
	static uint8_t out[65536];
	struct ipv6_stats st = { 0 };
	char duid[3 * DHCP6_DUID_MAX + 1];
	size_t n;

	fuzz_packet(data, size, &st);
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
