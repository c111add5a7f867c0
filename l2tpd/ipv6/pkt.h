/*
 * IPv6 (RFC 8200) and UDP (RFC 768) headers around the control traffic a
 * PPP link carries in user space: Router Solicitations and Advertisements
 * (ipv6/nd.h) and DHCPv6 (ipv6/dhcp6.h).  A packet is parsed whole (no
 * extension headers: a packet with one is refused), checksums are computed
 * over the pseudo-header of RFC 8200 §8.1.  Every refusal has a reason,
 * counted in the caller's struct ipv6_stats: the parsers keep no state.
 */
#ifndef L2TP_IPV6_PKT_H
#define L2TP_IPV6_PKT_H

#include <stddef.h>
#include <stdint.h>

#define IPV6_ADDR_LEN		16
#define IPV6_HDR_LEN		40
#define IPV6_UDP_HDR_LEN	8
#define IPV6_NH_UDP		17
#define IPV6_NH_ICMPV6		58
/* RFC 8200 §5: every link carries 1280 octets; the packets we build fit. */
#define IPV6_MIN_MTU		1280

/* Why a packet was refused; ipv6_err_name() gives the show's label. */
enum ipv6_err {
	IPV6_ERR_SHORT,		/* shorter than the IPv6 header */
	IPV6_ERR_VERSION,	/* version is not 6 */
	IPV6_ERR_LENGTH,	/* payload length past the packet */
	IPV6_ERR_NEXT_HDR,	/* neither UDP nor ICMPv6 (extension headers too) */
	IPV6_ERR_UDP_LENGTH,	/* UDP length shorter than its header or past the payload */
	IPV6_ERR_CSUM,		/* UDP or ICMPv6 checksum wrong (or zero for UDP) */
	IPV6_ERR_ND_HOP_LIMIT,	/* RFC 4861 §6.1.1/§6.1.2: hop limit not 255 */
	IPV6_ERR_ND_CODE,	/* ICMP code not 0 */
	IPV6_ERR_ND_SHORT,	/* shorter than the message's fixed part */
	IPV6_ERR_ND_OPT,	/* an option of length 0 or past the message */
	IPV6_ERR_ND_OPT_LEN,	/* a known option with the wrong length */
	IPV6_ERR_ND_SRC,	/* RA from a non-link-local source, RS from :: with SLLA */
	IPV6_ERR_DHCP_SHORT,	/* shorter than the DHCPv6 header */
	IPV6_ERR_DHCP_OPT_TRUNC,	/* an option header cut by the end */
	IPV6_ERR_DHCP_OPT_PAST,	/* an option's length past the message (or its IA) */
	IPV6_ERR_DHCP_OPT_LEN,	/* a known option with the wrong length */
	IPV6_ERR_DHCP_DUP,	/* an option that may appear once, twice */
	IPV6_ERR_DHCP_TOO_MANY,	/* more IAs, leases or servers than we keep */
	IPV6_ERR_DHCP_TYPE,	/* a message type a server does not take */
	IPV6_ERR_DHCP_IDS,	/* RFC 8415 §16: Client/Server Identifier missing or unwanted */
	IPV6_ERR_COUNT
};

struct ipv6_stats {
	uint64_t err[IPV6_ERR_COUNT];
	uint64_t unknown_opts;	/* skipped, as RFC 4861 §4.6 and RFC 8415 §16 ask */
};

const char *ipv6_err_name(enum ipv6_err e);
/* Count reason e and return -EINVAL (so a parser can `return ipv6_refuse()`).
 * st may be NULL. */
int ipv6_refuse(struct ipv6_stats *st, enum ipv6_err e);

/* A parsed IPv6 packet; payload points into the caller's buffer. */
struct ipv6_pkt {
	uint8_t src[IPV6_ADDR_LEN];
	uint8_t dst[IPV6_ADDR_LEN];
	uint8_t next;
	uint8_t hlim;
	const uint8_t *payload;
	size_t plen;
};

/* Parse the fixed header: 0 or -EINVAL (counted).  Octets after the
 * payload length (link padding) are ignored. */
int ipv6_pkt_parse(const uint8_t *buf, size_t len, struct ipv6_pkt *p, struct ipv6_stats *st);
/* The ones' complement sum of RFC 8200 §8.1's pseudo-header and data, as
 * it goes in the checksum field (data with its checksum field zero); a
 * packet whose stored checksum is right sums to 0 here with it in. */
uint16_t ipv6_pkt_csum(const uint8_t src[IPV6_ADDR_LEN], const uint8_t dst[IPV6_ADDR_LEN],
		       uint8_t next, const uint8_t *data, size_t len);
/* Write the IPv6 header in front of payload (already at buf + 40, plen
 * octets): returns 40 + plen, or 0 when cap is too small. */
size_t ipv6_pkt_header(uint8_t *buf, size_t cap, const uint8_t src[IPV6_ADDR_LEN],
		       const uint8_t dst[IPV6_ADDR_LEN], uint8_t next, uint8_t hlim, size_t plen);

struct ipv6_udp {
	uint16_t sport;
	uint16_t dport;
	const uint8_t *data;
	size_t len;
};

/* The UDP datagram of a parsed packet: 0 or -EINVAL (counted: not UDP,
 * length, checksum; RFC 8200 §8.1: a zero UDP checksum is refused). */
int ipv6_udp_parse(const struct ipv6_pkt *p, struct ipv6_udp *u, struct ipv6_stats *st);
/* An IPv6 + UDP packet around data (hop limit 255 on a PPP link is as good
 * as any; DHCPv6 replies leave the link either way): total length or 0. */
size_t ipv6_udp_build(uint8_t *buf, size_t cap, const uint8_t src[IPV6_ADDR_LEN],
		      const uint8_t dst[IPV6_ADDR_LEN], uint16_t sport, uint16_t dport,
		      const uint8_t *data, size_t len);

/* fe80::/64 + a 64-bit interface identifier (PPP's IPv6CP one). */
void ipv6_link_local(uint8_t out[IPV6_ADDR_LEN], const uint8_t ifid[8]);
int ipv6_is_link_local(const uint8_t a[IPV6_ADDR_LEN]);
int ipv6_is_unspecified(const uint8_t a[IPV6_ADDR_LEN]);
/* The first len bits of a and b agree. */
int ipv6_prefix_match(const uint8_t a[IPV6_ADDR_LEN], const uint8_t b[IPV6_ADDR_LEN], unsigned len);

/* Multicast groups the control traffic goes to. */
extern const uint8_t ipv6_all_nodes[IPV6_ADDR_LEN];	/* ff02::1 */
extern const uint8_t ipv6_all_routers[IPV6_ADDR_LEN];	/* ff02::2 */
extern const uint8_t ipv6_all_dhcp[IPV6_ADDR_LEN];	/* ff02::1:2, RFC 8415 §7.1 */

static inline uint16_t ipv6_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t ipv6_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void ipv6_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void ipv6_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
