/*
 * Framed-IPv6-Route's text (RFC 3162 §2.5) parsed and checked: see
 * ipv6/route.h.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipv6/route.h"

#define ROUTE_TEXT_MAX	253	/* a RADIUS attribute's value */

static const char *const route_err_names[] = {
	[IPV6_ROUTE_OK] = "ok",
	[IPV6_ROUTE_SYNTAX] = "not PREFIX/LEN [GATEWAY [METRIC]]",
	[IPV6_ROUTE_LENGTH] = "prefix length not 1..128",
	[IPV6_ROUTE_NOT_PREFIX] = "bits set past the prefix length",
	[IPV6_ROUTE_DST] = "destination not global unicast",
	[IPV6_ROUTE_GATEWAY] = "gateway multicast or loopback",
	[IPV6_ROUTE_METRIC] = "metric not a number",
};

const char *ipv6_route_err_name(enum ipv6_route_err e)
{
	return (unsigned)e < sizeof(route_err_names) / sizeof(route_err_names[0]) ?
	       route_err_names[e] : "?";
}

static int route_is_loopback(const uint8_t a[IPV6_ADDR_LEN])
{
	static const uint8_t lo[IPV6_ADDR_LEN] = { [15] = 1 };

	return memcmp(a, lo, IPV6_ADDR_LEN) == 0;
}

/* A decimal number below 2^32 (no sign): 0, or -1. */
static int route_u32(const char *w, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (w[0] < '0' || w[0] > '9')
		return -1;
	v = strtoull(w, &end, 10);
	if (*end != '\0' || v > 0xffffffffull)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* "PREFIX/LEN" into r->dst, r->plen. */
static enum ipv6_route_err route_prefix(char *w, struct ipv6_route *r)
{
	char *slash = strchr(w, '/');
	uint32_t plen;

	if (slash == NULL)
		return IPV6_ROUTE_LENGTH;
	*slash = '\0';
	if (inet_pton(AF_INET6, w, r->dst) != 1)
		return IPV6_ROUTE_SYNTAX;
	if (route_u32(slash + 1, &plen) < 0 || plen == 0 || plen > 128)
		return IPV6_ROUTE_LENGTH;
	r->plen = (uint8_t)plen;
	for (unsigned b = plen; b < 128; b++)
		if (r->dst[b / 8] & (0x80 >> (b % 8)))
			return IPV6_ROUTE_NOT_PREFIX;
	if (r->dst[0] == 0xff || ipv6_is_link_local(r->dst) || route_is_loopback(r->dst) ||
	    ipv6_is_unspecified(r->dst))
		return IPV6_ROUTE_DST;
	return IPV6_ROUTE_OK;
}

enum ipv6_route_err ipv6_route_parse(const char *text, size_t len, struct ipv6_route *r)
{
	char buf[ROUTE_TEXT_MAX + 1], *w[4], *save = NULL;
	unsigned n = 0;
	enum ipv6_route_err e;

	if (len == 0 || len > ROUTE_TEXT_MAX || memchr(text, '\0', len) != NULL)
		return IPV6_ROUTE_SYNTAX;
	memcpy(buf, text, len);
	buf[len] = '\0';
	memset(r, 0, sizeof(*r));
	for (char *t = strtok_r(buf, " \t", &save); t != NULL; t = strtok_r(NULL, " \t", &save)) {
		if (n == 4)
			break;	/* further metrics (§2.5 "one or more"): the first counts */
		w[n++] = t;
	}
	if (n == 0)
		return IPV6_ROUTE_SYNTAX;
	e = route_prefix(w[0], r);
	if (e != IPV6_ROUTE_OK)
		return e;
	if (n > 1 && inet_pton(AF_INET6, w[1], r->gw) != 1)
		return IPV6_ROUTE_SYNTAX;
	if (r->gw[0] == 0xff || route_is_loopback(r->gw))
		return IPV6_ROUTE_GATEWAY;
	if (n > 2 && route_u32(w[2], &r->metric) < 0)
		return IPV6_ROUTE_METRIC;
	return IPV6_ROUTE_OK;
}

void ipv6_route_format(const struct ipv6_route *r, char *out, size_t cap)
{
	char d[INET6_ADDRSTRLEN] = "?", g[INET6_ADDRSTRLEN] = "peer";

	(void)inet_ntop(AF_INET6, r->dst, d, sizeof(d));
	if (!ipv6_is_unspecified(r->gw))
		(void)inet_ntop(AF_INET6, r->gw, g, sizeof(g));
	snprintf(out, cap, "%s/%u via %s metric %u", d, r->plen, g, r->metric);
}
