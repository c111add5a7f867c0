/*
 * RADIUS and a session's IPv6: what an Access-Accept says of it
 * (Framed-IPv6-Prefix and Framed-Interface-Id, RFC 3162 §2.3 and §2.1;
 * Framed-IPv6-Route and Framed-IPv6-Pool, §2.5 and §2.6;
 * Delegated-IPv6-Prefix, RFC 4818 §3; DNS-Server-IPv6-Address and
 * Delegated-IPv6-Prefix-Pool, RFC 6911 §3.2 and §3.4;
 * Framed-IPv6-Address and Stateful-IPv6-Address-Pool, RFC 6911 §3.1 and
 * §3.5), kept in s->aaa_v6 for the link's
 * IPv6 server, and the prefixes and the address in accounting.
 */
#include <arpa/inet.h>
#include <string.h>

#include "l2tpd.h"
#include "aaa/aaa_int.h"
#include "ipv6/pool.h"
#include "ipv6/route.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

/* Reserved, Prefix-Length, Prefix (RFC 3162 §2.3, RFC 4818 §3): the
 * prefix octets may stop at the length; no bit may be set past it. */
static int aaa_v6_prefix(const struct radius_attr *at, uint8_t out[16], uint8_t *len)
{
	unsigned plen, need;

	if (at->len < 2 || at->len > 18)
		return -1;
	plen = at->val[1];
	need = (plen + 7) / 8;
	if (plen > 128 || (unsigned)at->len - 2 < need)
		return -1;
	memset(out, 0, 16);
	memcpy(out, at->val + 2, (size_t)at->len - 2);
	for (unsigned b = plen; b < 128; b++)
		if (out[b / 8] & (0x80 >> (b % 8)))
			return -1;
	*len = (uint8_t)plen;
	return 0;
}

static void aaa_v6_dns(struct l2tp_session *s, const struct radius_attr *at)
{
	struct l2tp_aaa_v6 *v = s->aaa_v6;
	static const uint8_t zero[16];

	if (at->len != 16 || at->val[0] == 0xff || memcmp(at->val, zero, 16) == 0) {
		AAA_REFUSE(s, "DNS-Server-IPv6-Address (%u octets, or not unicast)", at->len);
		return;
	}
	for (unsigned i = 0; i < 2; i++) {
		if (memcmp(v->dns[i], zero, 16) == 0) {
			memcpy(v->dns[i], at->val, 16);
			return;
		}
	}
	AAA_REFUSE(s, "DNS-Server-IPv6-Address (more than 2)");
}

/* RFC 6911 §3.1: a unicast address, 16 octets */
static void aaa_v6_addr(struct l2tp_session *s, const struct radius_attr *at)
{
	struct l2tp_aaa_v6 *v = s->aaa_v6;
	static const uint8_t zero[16];

	if (at->len != 16 || at->val[0] == 0xff || memcmp(at->val, zero, 16) == 0) {
		AAA_REFUSE(s, "Framed-IPv6-Address (%u octets, or not unicast)", at->len);
		return;
	}
	memcpy(v->addr, at->val, 16);
	v->has_addr = 1;
}

static void aaa_v6_str(struct l2tp_session *s, const struct radius_attr *at, char *out,
		       size_t size, const char *name)
{
	if (aaa_attr_str(at, out, size) < 0 || out[0] == '\0') {
		out[0] = '\0';
		AAA_REFUSE(s, "%s (%u octets)", name, at->len);
	}
}

/* RFC 3162 §2.5: "PREFIX/LEN [GATEWAY [METRIC]]"; a malformed one is
 * refused (logged, counted), the session kept without it. */
static void aaa_v6_route(struct l2tp_session *s, const struct radius_attr *at)
{
	struct l2tp_aaa_v6 *v = s->aaa_v6;
	enum ipv6_route_err e;

	if (v->n_routes == L2TP_AAA_V6_ROUTES) {
		AAA_REFUSE(s, "Framed-IPv6-Route (more than %u)", L2TP_AAA_V6_ROUTES);
		return;
	}
	e = ipv6_route_parse((const char *)at->val, at->len, &v->route[v->n_routes]);
	if (e != IPV6_ROUTE_OK) {
		AAA_REFUSE(s, "Framed-IPv6-Route \"%.*s\" (%s)", (int)at->len,
			   (const char *)at->val, ipv6_route_err_name(e));
		return;
	}
	v->n_routes++;
}

/* The attributes aaa_accept_ipv6() takes. */
static int aaa_v6_attr(uint8_t type)
{
	switch (type) {
	case RADIUS_ATTR_FRAMED_IPV6_PREFIX:
	case RADIUS_ATTR_DELEGATED_IPV6_PREFIX:
	case RADIUS_ATTR_FRAMED_INTERFACE_ID:
	case RADIUS_ATTR_FRAMED_IPV6_POOL:
	case RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL:
	case RADIUS_ATTR_STATEFUL_IPV6_ADDRESS_POOL:
	case RADIUS_ATTR_FRAMED_IPV6_ADDRESS:
	case RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS:
	case RADIUS_ATTR_FRAMED_IPV6_ROUTE:
		return 1;
	default:
		return 0;
	}
}

int aaa_accept_ipv6(struct l2tp_session *s, const struct radius_attr *at)
{
	struct l2tp_aaa_v6 *v;

	if (!aaa_v6_attr(at->type))
		return 0;
	/* allocated at the first IPv6 attribute (l2tp/session.h) */
	v = l2tp_session_aaa_v6(s);
	if (v == NULL) {
		AAA_REFUSE(s, "IPv6 attribute %u (out of memory)", at->type);
		return 1;
	}
	switch (at->type) {
	case RADIUS_ATTR_FRAMED_IPV6_PREFIX:
		/* a link's advertised prefix: a /64 (SLAAC, RFC 4862 §5.5.3) */
		if (aaa_v6_prefix(at, v->prefix, &v->prefix_len) < 0 || v->prefix_len != 64) {
			v->prefix_len = 0;
			AAA_REFUSE(s, "Framed-IPv6-Prefix (malformed, or not a /64)");
		}
		return 1;
	case RADIUS_ATTR_DELEGATED_IPV6_PREFIX:
		if (aaa_v6_prefix(at, v->pd, &v->pd_len) < 0 || v->pd_len == 0 || v->pd_len > 64) {
			v->pd_len = 0;
			AAA_REFUSE(s, "Delegated-IPv6-Prefix (malformed, or not /1../64)");
		}
		return 1;
	case RADIUS_ATTR_FRAMED_INTERFACE_ID:
		if (at->len != 8) {
			AAA_REFUSE(s, "Framed-Interface-Id of %u octets", at->len);
			return 1;
		}
		memcpy(v->ifid, at->val, 8);
		v->has_ifid = 1;
		return 1;
	case RADIUS_ATTR_FRAMED_IPV6_POOL:
		aaa_v6_str(s, at, v->pool, sizeof(v->pool), "Framed-IPv6-Pool");
		return 1;
	case RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL:
		aaa_v6_str(s, at, v->pd_pool, sizeof(v->pd_pool), "Delegated-IPv6-Prefix-Pool");
		return 1;
	case RADIUS_ATTR_STATEFUL_IPV6_ADDRESS_POOL:
		aaa_v6_str(s, at, v->na_pool, sizeof(v->na_pool), "Stateful-IPv6-Address-Pool");
		return 1;
	case RADIUS_ATTR_FRAMED_IPV6_ADDRESS:
		aaa_v6_addr(s, at);
		return 1;
	case RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS:
		aaa_v6_dns(s, at);
		return 1;
	case RADIUS_ATTR_FRAMED_IPV6_ROUTE:
		aaa_v6_route(s, at);
		return 1;
	default:
		return 0;
	}
}

static int aaa_v6_put_prefix(struct radius_pkt *p, uint8_t type, const uint8_t pfx[16],
			     uint8_t len)
{
	uint8_t v[18] = { 0, len };

	memcpy(v + 2, pfx, 16);
	return radius_put(p, type, v, 2 + ((size_t)len + 7) / 8);
}

int aaa_acct_put_ipv6(struct radius_pkt *p, const struct l2tp_session *s)
{
	const struct l2tp_ppp_v6 *v = l2tp_ppp_ipv6(s);
	int rc = 0;

	if (v == NULL)
		return 0;
	if (v->srv.has_prefix)
		rc |= aaa_v6_put_prefix(p, RADIUS_ATTR_FRAMED_IPV6_PREFIX, v->srv.prefix, 64);
	if (v->srv.has_pd)
		rc |= aaa_v6_put_prefix(p, RADIUS_ATTR_DELEGATED_IPV6_PREFIX, v->srv.pd,
					v->srv.pd_len);
	if (v->srv.has_na)	/* RFC 6911 §3.1: the address given by DHCPv6 */
		rc |= radius_put(p, RADIUS_ATTR_FRAMED_IPV6_ADDRESS, v->srv.na, 16);
	return rc;
}
