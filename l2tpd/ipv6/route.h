/*
 * A route a subscriber's link carries: RADIUS's Framed-IPv6-Route (RFC 3162
 * §2.5), whose text is "PREFIX/LEN [GATEWAY [METRIC ...]]", e.g.
 * "2001:db8:1::/48 :: 1".  A gateway of :: (or none) is the subscriber
 * itself: the route goes via its link-local address.
 */
#ifndef L2TP_IPV6_ROUTE_H
#define L2TP_IPV6_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "ipv6/pkt.h"

#define IPV6_ROUTE_MAX		4	/* Framed-IPv6-Route kept per session */

struct ipv6_route {
	uint8_t dst[IPV6_ADDR_LEN];	/* no bit set past plen */
	uint8_t plen;			/* 1..128 */
	uint8_t gw[IPV6_ADDR_LEN];	/* :: = the subscriber's link-local address */
	uint32_t metric;		/* 0: the kernel's default */
};

/* Why a route's text was refused. */
enum ipv6_route_err {
	IPV6_ROUTE_OK,
	IPV6_ROUTE_SYNTAX,	/* not "PREFIX/LEN [GATEWAY [METRIC]]" */
	IPV6_ROUTE_LENGTH,	/* no length, or 0 or past 128 */
	IPV6_ROUTE_NOT_PREFIX,	/* a bit set past the length */
	IPV6_ROUTE_DST,		/* multicast, link-local, loopback or :: */
	IPV6_ROUTE_GATEWAY,	/* multicast or loopback */
	IPV6_ROUTE_METRIC,	/* not a number below 2^32 */
};

/* The text (len octets, not NUL-terminated) into r: IPV6_ROUTE_OK, or the
 * reason it was refused (r then undefined). */
enum ipv6_route_err ipv6_route_parse(const char *text, size_t len, struct ipv6_route *r);
const char *ipv6_route_err_name(enum ipv6_route_err e);
/* "2001:db8::/48 via fe80::1 metric 1" (the gateway :: shown as peer)
 * into out. */
void ipv6_route_format(const struct ipv6_route *r, char *out, size_t cap);

#endif
