/*
 * Router Solicitation and Advertisement, RFC 4861 (see ipv6/nd.h).
 */
#include <errno.h>
#include <string.h>

#include "ipv6/nd.h"

#define ND_RS_LEN	8	/* type, code, checksum, reserved */
#define ND_RA_LEN	16
#define ND_PREFIX_OPT_LEN	32
#define ND_MTU_OPT_LEN	8

/* The ICMPv6 checks every router message passes (RFC 4861 §6.1.1/§6.1.2):
 * hop limit 255, checksum, code 0, length.  -ENOMSG when it is not `type`. */
static int nd_check(const struct ipv6_pkt *p, uint8_t type, size_t min, struct ipv6_stats *st)
{
	if (p->next != IPV6_NH_ICMPV6 || p->plen < 4 || p->payload[0] != type)
		return -ENOMSG;
	if (p->hlim != 255)
		return ipv6_refuse(st, IPV6_ERR_ND_HOP_LIMIT);
	if (ipv6_pkt_csum(p->src, p->dst, IPV6_NH_ICMPV6, p->payload, p->plen) != 0)
		return ipv6_refuse(st, IPV6_ERR_CSUM);
	if (p->payload[1] != 0)
		return ipv6_refuse(st, IPV6_ERR_ND_CODE);
	if (p->plen < min)
		return ipv6_refuse(st, IPV6_ERR_ND_SHORT);
	return 0;
}

/* Walk options from off: each has a length > 0 within the message (§6.1.1,
 * "all included options have a length that is greater than zero").  Calls
 * fn for each; its negative return ends the walk. */
static int nd_opts(const struct ipv6_pkt *p, size_t off, struct ipv6_stats *st,
		   int (*fn)(const uint8_t *o, size_t len, void *arg, struct ipv6_stats *st), void *arg)
{
	while (off < p->plen) {
		size_t olen;
		int rc;

		if (p->plen - off < 2 || p->payload[off + 1] == 0)
			return ipv6_refuse(st, IPV6_ERR_ND_OPT);
		olen = (size_t)p->payload[off + 1] * 8;
		if (olen > p->plen - off)
			return ipv6_refuse(st, IPV6_ERR_ND_OPT);
		rc = fn(p->payload + off, olen, arg, st);
		if (rc < 0)
			return rc;
		off += olen;
	}
	return 0;
}

static int nd_rs_opt(const uint8_t *o, size_t len, void *arg, struct ipv6_stats *st)
{
	int *slla = arg;

	(void)len;
	if (o[0] == ND_OPT_SLLA)
		*slla = 1;
	else if (st != NULL)
		st->unknown_opts++;	/* RFC 4861 §4.1: ignored */
	return 0;
}

int nd_rs_parse(const struct ipv6_pkt *p, struct ipv6_stats *st)
{
	int slla = 0;
	int rc = nd_check(p, ND_ROUTER_SOLICIT, ND_RS_LEN, st);

	if (rc < 0)
		return rc;
	rc = nd_opts(p, ND_RS_LEN, st, nd_rs_opt, &slla);
	if (rc < 0)
		return rc;
	/* §6.1.1: from the unspecified address, no source link-layer option */
	if (ipv6_is_unspecified(p->src) && slla)
		return ipv6_refuse(st, IPV6_ERR_ND_SRC);
	return 0;
}

size_t nd_rs_build(uint8_t *buf, size_t cap, const uint8_t src[IPV6_ADDR_LEN])
{
	uint8_t *m = buf + IPV6_HDR_LEN;
	uint16_t c;

	if (cap < IPV6_HDR_LEN + ND_RS_LEN)
		return 0;
	memset(m, 0, ND_RS_LEN);
	m[0] = ND_ROUTER_SOLICIT;
	c = ipv6_pkt_csum(src, ipv6_all_routers, IPV6_NH_ICMPV6, m, ND_RS_LEN);
	ipv6_put16(m + 2, c);
	return ipv6_pkt_header(buf, cap, src, ipv6_all_routers, IPV6_NH_ICMPV6, 255, ND_RS_LEN);
}

static size_t nd_put_prefix(uint8_t *o, const struct nd_prefix *pf)
{
	memset(o, 0, ND_PREFIX_OPT_LEN);
	o[0] = ND_OPT_PREFIX;
	o[1] = ND_PREFIX_OPT_LEN / 8;
	o[2] = pf->len;
	o[3] = pf->flags;
	ipv6_put32(o + 4, pf->valid);
	ipv6_put32(o + 8, pf->preferred);
	memcpy(o + 16, pf->prefix, IPV6_ADDR_LEN);
	return ND_PREFIX_OPT_LEN;
}

static size_t nd_put_rdnss(uint8_t *o, const struct nd_ra *ra)
{
	size_t len = 8 + (size_t)ra->n_rdnss * IPV6_ADDR_LEN;

	memset(o, 0, 8);
	o[0] = ND_OPT_RDNSS;
	o[1] = (uint8_t)(len / 8);
	ipv6_put32(o + 4, ra->rdnss_lifetime);
	memcpy(o + 8, ra->rdnss, (size_t)ra->n_rdnss * IPV6_ADDR_LEN);
	return len;
}

size_t nd_ra_build(uint8_t *buf, size_t cap, const uint8_t src[IPV6_ADDR_LEN],
		   const uint8_t dst[IPV6_ADDR_LEN], const struct nd_ra *ra)
{
	uint8_t *m = buf + IPV6_HDR_LEN;
	size_t len = ND_RA_LEN;
	unsigned i;

	if (ra->n_prefix > ND_MAX_PREFIX || ra->n_rdnss > ND_MAX_RDNSS)
		return 0;
	if (cap < IPV6_HDR_LEN + ND_RA_LEN + ND_MTU_OPT_LEN + ND_MAX_PREFIX * ND_PREFIX_OPT_LEN +
		  8 + ND_MAX_RDNSS * IPV6_ADDR_LEN)
		return 0;
	memset(m, 0, ND_RA_LEN);
	m[0] = ND_ROUTER_ADVERT;
	m[4] = ra->cur_hop_limit;
	m[5] = ra->flags & (ND_RA_MANAGED | ND_RA_OTHER);
	ipv6_put16(m + 6, ra->router_lifetime);
	ipv6_put32(m + 8, ra->reachable);
	ipv6_put32(m + 12, ra->retrans);
	if (ra->mtu != 0) {
		memset(m + len, 0, ND_MTU_OPT_LEN);
		m[len] = ND_OPT_MTU;
		m[len + 1] = 1;
		ipv6_put32(m + len + 4, ra->mtu);
		len += ND_MTU_OPT_LEN;
	}
	for (i = 0; i < ra->n_prefix; i++)
		len += nd_put_prefix(m + len, &ra->prefix[i]);
	if (ra->n_rdnss > 0)
		len += nd_put_rdnss(m + len, ra);
	ipv6_put16(m + 2, ipv6_pkt_csum(src, dst, IPV6_NH_ICMPV6, m, len));
	return ipv6_pkt_header(buf, cap, src, dst, IPV6_NH_ICMPV6, 255, len);
}

static int nd_ra_prefix(const uint8_t *o, size_t len, struct nd_ra *ra, struct ipv6_stats *st)
{
	struct nd_prefix *pf;

	if (len != ND_PREFIX_OPT_LEN || o[2] > 128)
		return ipv6_refuse(st, IPV6_ERR_ND_OPT_LEN);
	if (ra->n_prefix == ND_MAX_PREFIX) {
		if (st != NULL)
			st->unknown_opts++;
		return 0;
	}
	pf = &ra->prefix[ra->n_prefix++];
	pf->len = o[2];
	pf->flags = o[3] & (ND_PREFIX_ONLINK | ND_PREFIX_AUTO);
	pf->valid = ipv6_get32(o + 4);
	pf->preferred = ipv6_get32(o + 8);
	memcpy(pf->prefix, o + 16, IPV6_ADDR_LEN);
	return 0;
}

static int nd_ra_rdnss(const uint8_t *o, size_t len, struct nd_ra *ra, struct ipv6_stats *st)
{
	size_t n, i;

	/* RFC 8106 §5.1: length 3 + 2 per address, at least one address */
	if (len < 24 || (len - 8) % IPV6_ADDR_LEN != 0)
		return ipv6_refuse(st, IPV6_ERR_ND_OPT_LEN);
	n = (len - 8) / IPV6_ADDR_LEN;
	ra->rdnss_lifetime = ipv6_get32(o + 4);
	for (i = 0; i < n; i++) {
		if (ra->n_rdnss == ND_MAX_RDNSS) {
			if (st != NULL)
				st->unknown_opts++;
			break;
		}
		memcpy(ra->rdnss[ra->n_rdnss++], o + 8 + i * IPV6_ADDR_LEN, IPV6_ADDR_LEN);
	}
	return 0;
}

static int nd_ra_opt(const uint8_t *o, size_t len, void *arg, struct ipv6_stats *st)
{
	struct nd_ra *ra = arg;

	switch (o[0]) {
	case ND_OPT_PREFIX:
		return nd_ra_prefix(o, len, ra, st);
	case ND_OPT_MTU:
		if (len != ND_MTU_OPT_LEN)
			return ipv6_refuse(st, IPV6_ERR_ND_OPT_LEN);
		ra->mtu = ipv6_get32(o + 4);
		return 0;
	case ND_OPT_RDNSS:
		return nd_ra_rdnss(o, len, ra, st);
	default:
		if (st != NULL)
			st->unknown_opts++;	/* RFC 4861 §4.2: ignored */
		return 0;
	}
}

int nd_ra_parse(const struct ipv6_pkt *p, struct nd_ra *ra, struct ipv6_stats *st)
{
	const uint8_t *m = p->payload;
	int rc = nd_check(p, ND_ROUTER_ADVERT, ND_RA_LEN, st);

	if (rc < 0)
		return rc;
	/* §6.1.2: the source is the router's link-local address */
	if (!ipv6_is_link_local(p->src))
		return ipv6_refuse(st, IPV6_ERR_ND_SRC);
	memset(ra, 0, sizeof(*ra));
	ra->cur_hop_limit = m[4];
	ra->flags = m[5] & (ND_RA_MANAGED | ND_RA_OTHER);
	ra->router_lifetime = ipv6_get16(m + 6);
	ra->reachable = ipv6_get32(m + 8);
	ra->retrans = ipv6_get32(m + 12);
	return nd_opts(p, ND_RA_LEN, st, nd_ra_opt, ra);
}
