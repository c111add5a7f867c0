/*
 * Neighbor Discovery's router messages (RFC 4861 §4.1, §4.2) on a PPP link
 * (RFC 5072 §5): Router Solicitation and Router Advertisement with the
 * Prefix Information (§4.6.2), MTU (§4.6.4) and Recursive DNS Server
 * (RFC 8106 §5.1) options.  No Source Link-Layer Address option is sent:
 * a PPP link has no link-layer address.  Builders write a whole IPv6
 * packet; parsers take a parsed one (ipv6/pkt.h) and check it as RFC 4861
 * §6.1.1 and §6.1.2 ask, each refusal counted.
 */
#ifndef L2TP_IPV6_ND_H
#define L2TP_IPV6_ND_H

#include <stddef.h>
#include <stdint.h>

#include "ipv6/pkt.h"

#define ND_ROUTER_SOLICIT	133
#define ND_ROUTER_ADVERT	134
#define ND_OPT_SLLA		1
#define ND_OPT_PREFIX		3
#define ND_OPT_MTU		5
#define ND_OPT_RDNSS		25

#define ND_RA_MANAGED		0x80	/* M: addresses by DHCPv6 */
#define ND_RA_OTHER		0x40	/* O: other configuration by DHCPv6 */
#define ND_PREFIX_ONLINK	0x80	/* L */
#define ND_PREFIX_AUTO		0x40	/* A: SLAAC */

#define ND_MAX_PREFIX		4
#define ND_MAX_RDNSS		3
#define ND_INFINITE		0xffffffffu

struct nd_prefix {
	uint8_t prefix[IPV6_ADDR_LEN];
	uint8_t len;
	uint8_t flags;		/* ND_PREFIX_* */
	uint32_t valid;		/* seconds */
	uint32_t preferred;
};

struct nd_ra {
	uint8_t cur_hop_limit;
	uint8_t flags;		/* ND_RA_* */
	uint16_t router_lifetime;	/* seconds; 0: not a default router */
	uint32_t reachable;	/* ms */
	uint32_t retrans;	/* ms */
	uint32_t mtu;		/* 0: no MTU option */
	struct nd_prefix prefix[ND_MAX_PREFIX];
	unsigned n_prefix;
	uint8_t rdnss[ND_MAX_RDNSS][IPV6_ADDR_LEN];
	unsigned n_rdnss;
	uint32_t rdnss_lifetime;
};

/* A Router Solicitation from src (a link-local or ::) to ff02::2. */
size_t nd_rs_build(uint8_t *buf, size_t cap, const uint8_t src[IPV6_ADDR_LEN]);
/* 0 when p is a valid Router Solicitation (RFC 4861 §6.1.1), else
 * -EINVAL counted; -ENOMSG, not counted, when p is other ICMPv6. */
int nd_rs_parse(const struct ipv6_pkt *p, struct ipv6_stats *st);
/* A Router Advertisement from src (our link-local) to dst. */
size_t nd_ra_build(uint8_t *buf, size_t cap, const uint8_t src[IPV6_ADDR_LEN],
		   const uint8_t dst[IPV6_ADDR_LEN], const struct nd_ra *ra);
/* RFC 4861 §6.1.2; prefixes and servers past the arrays are counted as
 * unknown options and skipped.  0, -EINVAL (counted) or -ENOMSG. */
int nd_ra_parse(const struct ipv6_pkt *p, struct nd_ra *ra, struct ipv6_stats *st);

#endif
