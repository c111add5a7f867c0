/*
 * IPv6 and UDP headers, checksums (see ipv6/pkt.h).
 */
#include <errno.h>
#include <string.h>

#include "common/util.h"
#include "ipv6/pkt.h"

const uint8_t ipv6_all_nodes[IPV6_ADDR_LEN] = { 0xff, 0x02, [15] = 0x01 };
const uint8_t ipv6_all_routers[IPV6_ADDR_LEN] = { 0xff, 0x02, [15] = 0x02 };
const uint8_t ipv6_all_dhcp[IPV6_ADDR_LEN] = { 0xff, 0x02, [13] = 0x01, [15] = 0x02 };

static const char *const ipv6_err_names[IPV6_ERR_COUNT] = {
	[IPV6_ERR_SHORT] = "short",
	[IPV6_ERR_VERSION] = "version",
	[IPV6_ERR_LENGTH] = "length",
	[IPV6_ERR_NEXT_HDR] = "next-header",
	[IPV6_ERR_UDP_LENGTH] = "udp-length",
	[IPV6_ERR_CSUM] = "checksum",
	[IPV6_ERR_ND_HOP_LIMIT] = "nd-hop-limit",
	[IPV6_ERR_ND_CODE] = "nd-code",
	[IPV6_ERR_ND_SHORT] = "nd-short",
	[IPV6_ERR_ND_OPT] = "nd-option",
	[IPV6_ERR_ND_OPT_LEN] = "nd-option-length",
	[IPV6_ERR_ND_SRC] = "nd-source",
	[IPV6_ERR_DHCP_SHORT] = "dhcp-short",
	[IPV6_ERR_DHCP_OPT_TRUNC] = "dhcp-option-truncated",
	[IPV6_ERR_DHCP_OPT_PAST] = "dhcp-option-past-end",
	[IPV6_ERR_DHCP_OPT_LEN] = "dhcp-option-length",
	[IPV6_ERR_DHCP_DUP] = "dhcp-option-duplicate",
	[IPV6_ERR_DHCP_TOO_MANY] = "dhcp-too-many",
	[IPV6_ERR_DHCP_TYPE] = "dhcp-message-type",
	[IPV6_ERR_DHCP_IDS] = "dhcp-identifiers",
};

const char *ipv6_err_name(enum ipv6_err e)
{
	if ((unsigned)e >= ARRAY_SIZE(ipv6_err_names) || ipv6_err_names[e] == NULL)
		return "?";
	return ipv6_err_names[e];
}

int ipv6_refuse(struct ipv6_stats *st, enum ipv6_err e)
{
	if (st != NULL && (unsigned)e < IPV6_ERR_COUNT)
		st->err[e]++;
	return -EINVAL;
}

int ipv6_pkt_parse(const uint8_t *buf, size_t len, struct ipv6_pkt *p, struct ipv6_stats *st)
{
	size_t plen;

	if (len < IPV6_HDR_LEN)
		return ipv6_refuse(st, IPV6_ERR_SHORT);
	if (buf[0] >> 4 != 6)
		return ipv6_refuse(st, IPV6_ERR_VERSION);
	plen = ipv6_get16(buf + 4);
	if (plen > len - IPV6_HDR_LEN)
		return ipv6_refuse(st, IPV6_ERR_LENGTH);
	p->next = buf[6];
	if (p->next != IPV6_NH_UDP && p->next != IPV6_NH_ICMPV6)
		return ipv6_refuse(st, IPV6_ERR_NEXT_HDR);
	p->hlim = buf[7];
	memcpy(p->src, buf + 8, IPV6_ADDR_LEN);
	memcpy(p->dst, buf + 24, IPV6_ADDR_LEN);
	p->payload = buf + IPV6_HDR_LEN;
	p->plen = plen;
	return 0;
}

static uint32_t ipv6_sum(uint32_t sum, const uint8_t *d, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += ipv6_get16(d + i);
	if (len & 1)
		sum += (uint32_t)d[len - 1] << 8;
	return sum;
}

uint16_t ipv6_pkt_csum(const uint8_t src[IPV6_ADDR_LEN], const uint8_t dst[IPV6_ADDR_LEN],
		       uint8_t next, const uint8_t *data, size_t len)
{
	uint32_t sum = 0;

	sum = ipv6_sum(sum, src, IPV6_ADDR_LEN);
	sum = ipv6_sum(sum, dst, IPV6_ADDR_LEN);
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	sum += next;
	sum = ipv6_sum(sum, data, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t ipv6_pkt_header(uint8_t *buf, size_t cap, const uint8_t src[IPV6_ADDR_LEN],
		       const uint8_t dst[IPV6_ADDR_LEN], uint8_t next, uint8_t hlim, size_t plen)
{
	if (plen > 0xffff || cap < IPV6_HDR_LEN || plen > cap - IPV6_HDR_LEN)
		return 0;
	memset(buf, 0, 8);
	buf[0] = 0x60;
	ipv6_put16(buf + 4, (uint16_t)plen);
	buf[6] = next;
	buf[7] = hlim;
	memcpy(buf + 8, src, IPV6_ADDR_LEN);
	memcpy(buf + 24, dst, IPV6_ADDR_LEN);
	return IPV6_HDR_LEN + plen;
}

int ipv6_udp_parse(const struct ipv6_pkt *p, struct ipv6_udp *u, struct ipv6_stats *st)
{
	size_t ulen;

	if (p->next != IPV6_NH_UDP)
		return ipv6_refuse(st, IPV6_ERR_NEXT_HDR);
	if (p->plen < IPV6_UDP_HDR_LEN)
		return ipv6_refuse(st, IPV6_ERR_UDP_LENGTH);
	ulen = ipv6_get16(p->payload + 4);
	if (ulen < IPV6_UDP_HDR_LEN || ulen > p->plen)
		return ipv6_refuse(st, IPV6_ERR_UDP_LENGTH);
	/* RFC 8200 §8.1: a zero UDP checksum is discarded */
	if (ipv6_get16(p->payload + 6) == 0 ||
	    ipv6_pkt_csum(p->src, p->dst, IPV6_NH_UDP, p->payload, ulen) != 0)
		return ipv6_refuse(st, IPV6_ERR_CSUM);
	u->sport = ipv6_get16(p->payload);
	u->dport = ipv6_get16(p->payload + 2);
	u->data = p->payload + IPV6_UDP_HDR_LEN;
	u->len = ulen - IPV6_UDP_HDR_LEN;
	return 0;
}

size_t ipv6_udp_build(uint8_t *buf, size_t cap, const uint8_t src[IPV6_ADDR_LEN],
		      const uint8_t dst[IPV6_ADDR_LEN], uint16_t sport, uint16_t dport,
		      const uint8_t *data, size_t len)
{
	size_t ulen = IPV6_UDP_HDR_LEN + len;
	uint8_t *u = buf + IPV6_HDR_LEN;
	uint16_t c;

	if (ulen > 0xffff || cap < IPV6_HDR_LEN || ulen > cap - IPV6_HDR_LEN)
		return 0;
	ipv6_put16(u, sport);
	ipv6_put16(u + 2, dport);
	ipv6_put16(u + 4, (uint16_t)ulen);
	ipv6_put16(u + 6, 0);
	memmove(u + IPV6_UDP_HDR_LEN, data, len);
	c = ipv6_pkt_csum(src, dst, IPV6_NH_UDP, u, ulen);
	ipv6_put16(u + 6, c == 0 ? 0xffff : c);	/* RFC 768: 0 is sent as all ones */
	return ipv6_pkt_header(buf, cap, src, dst, IPV6_NH_UDP, 255, ulen);
}

void ipv6_link_local(uint8_t out[IPV6_ADDR_LEN], const uint8_t ifid[8])
{
	memset(out, 0, IPV6_ADDR_LEN);
	out[0] = 0xfe;
	out[1] = 0x80;
	memcpy(out + 8, ifid, 8);
}

int ipv6_is_link_local(const uint8_t a[IPV6_ADDR_LEN])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

int ipv6_is_unspecified(const uint8_t a[IPV6_ADDR_LEN])
{
	static const uint8_t zero[IPV6_ADDR_LEN];

	return memcmp(a, zero, IPV6_ADDR_LEN) == 0;
}

int ipv6_prefix_match(const uint8_t a[IPV6_ADDR_LEN], const uint8_t b[IPV6_ADDR_LEN], unsigned len)
{
	unsigned bytes = len / 8, bits = len % 8;

	if (len > 128)
		return 0;
	if (memcmp(a, b, bytes) != 0)
		return 0;
	if (bits == 0)
		return 1;
	return ((a[bytes] ^ b[bytes]) & (uint8_t)(0xff << (8 - bits))) == 0;
}
