/*
 * DHCPv6 message builder (RFC 8415 §8, §21; see ipv6/dhcp6.h): the options
 * in the order a reader expects them, identifiers first.
 */
#include <string.h>

#include "ipv6/dhcp6.h"

/* An output buffer that refuses to overflow: once full, every put fails
 * and the build returns 0. */
struct dhcp6_out {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int full;
};

static uint8_t *dhcp6_reserve(struct dhcp6_out *o, size_t n)
{
	uint8_t *p;

	if (o->full || n > o->cap - o->len) {
		o->full = 1;
		return NULL;
	}
	p = o->buf + o->len;
	o->len += n;
	return p;
}

/* An option header; its length is set by dhcp6_close(). */
static size_t dhcp6_open(struct dhcp6_out *o, uint16_t code)
{
	uint8_t *p = dhcp6_reserve(o, 4);

	if (p != NULL)
		ipv6_put16(p, code);
	return o->len;
}

static void dhcp6_close(struct dhcp6_out *o, size_t body)
{
	if (o->full)
		return;
	if (o->len - body > 0xffff) {
		o->full = 1;
		return;
	}
	ipv6_put16(o->buf + body - 2, (uint16_t)(o->len - body));
}

static void dhcp6_put(struct dhcp6_out *o, uint16_t code, const void *data, size_t len)
{
	size_t body = dhcp6_open(o, code);
	uint8_t *p = dhcp6_reserve(o, len);

	if (p != NULL && len > 0)
		memcpy(p, data, len);
	dhcp6_close(o, body);
}

static void dhcp6_put_status(struct dhcp6_out *o, uint16_t status)
{
	const char *text = dhcp6_status_name(status);
	size_t body = dhcp6_open(o, DHCP6_OPT_STATUS_CODE);
	size_t tl = strlen(text);
	uint8_t *p = dhcp6_reserve(o, 2 + tl);

	if (p != NULL) {
		ipv6_put16(p, status);
		memcpy(p + 2, text, tl);	/* §21.13: UTF-8, no terminator */
	}
	dhcp6_close(o, body);
}

static void dhcp6_put_lease(struct dhcp6_out *o, uint16_t ia_code, const struct dhcp6_lease *l)
{
	size_t body;
	uint8_t *p;

	if (ia_code == DHCP6_OPT_IA_NA) {
		body = dhcp6_open(o, DHCP6_OPT_IAADDR);
		p = dhcp6_reserve(o, 24);
		if (p != NULL) {
			memcpy(p, l->addr, IPV6_ADDR_LEN);
			ipv6_put32(p + 16, l->preferred);
			ipv6_put32(p + 20, l->valid);
		}
	} else {
		body = dhcp6_open(o, DHCP6_OPT_IAPREFIX);
		p = dhcp6_reserve(o, 25);
		if (p != NULL) {
			ipv6_put32(p, l->preferred);
			ipv6_put32(p + 4, l->valid);
			p[8] = l->plen;
			memcpy(p + 9, l->addr, IPV6_ADDR_LEN);
		}
	}
	if (l->status != DHCP6_ST_NONE)
		dhcp6_put_status(o, l->status);
	dhcp6_close(o, body);
}

static void dhcp6_put_ia(struct dhcp6_out *o, const struct dhcp6_ia *ia)
{
	size_t body = dhcp6_open(o, ia->code);
	uint8_t *p = dhcp6_reserve(o, 12);
	unsigned i;

	if (p != NULL) {
		ipv6_put32(p, ia->iaid);
		ipv6_put32(p + 4, ia->t1);
		ipv6_put32(p + 8, ia->t2);
	}
	for (i = 0; i < ia->n_lease; i++)
		dhcp6_put_lease(o, ia->code, &ia->lease[i]);
	if (ia->status != DHCP6_ST_NONE)
		dhcp6_put_status(o, ia->status);
	dhcp6_close(o, body);
}

static int dhcp6_bounded(const struct dhcp6_msg *m)
{
	unsigned i;

	if (m->n_ia > DHCP6_IA_MAX || m->n_oro > DHCP6_ORO_MAX || m->n_dns > DHCP6_DNS_MAX ||
	    m->client.len > DHCP6_DUID_MAX || m->server.len > DHCP6_DUID_MAX)
		return 0;
	for (i = 0; i < m->n_ia; i++)
		if (m->ia[i].n_lease > DHCP6_LEASE_MAX ||
		    (m->ia[i].code != DHCP6_OPT_IA_NA && m->ia[i].code != DHCP6_OPT_IA_PD))
			return 0;
	return 1;
}

static void dhcp6_put_misc(struct dhcp6_out *o, const struct dhcp6_msg *m)
{
	uint8_t v[2 * DHCP6_ORO_MAX];
	unsigned i;

	if (m->rapid_commit)
		dhcp6_put(o, DHCP6_OPT_RAPID_COMMIT, NULL, 0);
	if (m->has_preference)
		dhcp6_put(o, DHCP6_OPT_PREFERENCE, &m->preference, 1);
	if (m->has_elapsed) {
		ipv6_put16(v, m->elapsed);
		dhcp6_put(o, DHCP6_OPT_ELAPSED_TIME, v, 2);
	}
	if (m->n_oro > 0) {
		for (i = 0; i < m->n_oro; i++)
			ipv6_put16(v + 2 * i, m->oro[i]);
		dhcp6_put(o, DHCP6_OPT_ORO, v, 2 * (size_t)m->n_oro);
	}
	if (m->n_dns > 0)
		dhcp6_put(o, DHCP6_OPT_DNS_SERVERS, m->dns, (size_t)m->n_dns * IPV6_ADDR_LEN);
	if (m->status != DHCP6_ST_NONE)
		dhcp6_put_status(o, m->status);
}

size_t dhcp6_build(uint8_t *buf, size_t cap, const struct dhcp6_msg *m)
{
	struct dhcp6_out o = { buf, cap, 0, 0 };
	uint8_t *h = dhcp6_reserve(&o, 4);
	unsigned i;

	if (h == NULL || !dhcp6_bounded(m))
		return 0;
	h[0] = m->type;
	h[1] = (uint8_t)(m->xid >> 16);
	h[2] = (uint8_t)(m->xid >> 8);
	h[3] = (uint8_t)m->xid;
	if (m->client.len > 0)
		dhcp6_put(&o, DHCP6_OPT_CLIENTID, m->client.b, m->client.len);
	if (m->server.len > 0)
		dhcp6_put(&o, DHCP6_OPT_SERVERID, m->server.b, m->server.len);
	for (i = 0; i < m->n_ia; i++)
		dhcp6_put_ia(&o, &m->ia[i]);
	dhcp6_put_misc(&o, m);
	return o.full ? 0 : o.len;
}
