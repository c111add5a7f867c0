/*
 * The IPv6 of a Session record <-> checkpoint.proto (see haproto/ckpt.c):
 * the prefixes, the two DHCPv6 bindings (the delegated prefix's and the
 * address's, one shape), the server DUID and the Framed-IPv6-Routes, each
 * value checked against the C field it lands in.
 */
#include <errno.h>
#include <string.h>

#include "haproto/ckpt_int.h"

/* A Framed-IPv6-Route in its 37 octets (checkpoint.proto, v6_route). */
void ckpt_v6_route_put(uint8_t *b, const struct ha_v6_route *r)
{
	memcpy(b, r->dst, 16);
	b[16] = r->plen;
	memcpy(b + 17, r->gw, 16);
	b[33] = (uint8_t)(r->metric >> 24);
	b[34] = (uint8_t)(r->metric >> 16);
	b[35] = (uint8_t)(r->metric >> 8);
	b[36] = (uint8_t)r->metric;
}

/* The fields of one DHCPv6 binding in a Session: the delegated prefix's
 * (v6_bound .. v6_preferred) or the address's (v6_na_bound ..). */
#define CKPT_LEASE_PD(m) { &(m)->v6_bound, &(m)->v6_client_duid, &(m)->v6_iaid, \
			   &(m)->v6_lease_start_ms, &(m)->v6_valid, &(m)->v6_preferred }
#define CKPT_LEASE_NA(m) { &(m)->v6_na_bound, &(m)->v6_na_client_duid, &(m)->v6_na_iaid, \
			   &(m)->v6_na_start_ms, &(m)->v6_na_valid, &(m)->v6_na_preferred }

struct ckpt_lease_out {
	protobuf_c_boolean *bound;
	ProtobufCBinaryData *duid;
	uint32_t *iaid;
	uint64_t *start_ms;
	uint32_t *valid, *preferred;
};

static void ckpt_lease_fill(const struct ckpt_lease_out *f, const struct ha_v6_lease *l)
{
	*f->bound = !!l->bound;
	*f->duid = ckpt_blob(l->client_duid, l->client_duid_len);
	*f->iaid = l->iaid;
	*f->start_ms = l->start_ms;
	*f->valid = l->valid;
	*f->preferred = l->preferred;
}

/* The session's IPv6 (absent when it has none). */
void ckpt_session_fill_v6(L2tpha__Session *m, struct ckpt_v6_bufs *b,
			  const struct ha_session_rec *s)
{
	if (!s->v6)
		return;
	m->v6 = 1;
	if (s->v6_has_prefix)
		m->v6_prefix = ckpt_blob(s->v6_prefix, 16);
	m->v6_pool = ckpt_blob(s->v6_pool, strnlen(s->v6_pool, sizeof(s->v6_pool)));
	if (s->v6_has_pd)
		m->v6_pd = ckpt_blob(s->v6_pd, 16);
	m->v6_pd_len = s->v6_pd_len;
	m->v6_pd_pool = ckpt_blob(s->v6_pd_pool, strnlen(s->v6_pd_pool, sizeof(s->v6_pd_pool)));
	ckpt_lease_fill(&(struct ckpt_lease_out)CKPT_LEASE_PD(m), &s->v6_lease);
	m->v6_server_duid = ckpt_blob(s->v6_server_duid, s->v6_server_duid_len);
	if (s->v6_has_na)
		m->v6_na = ckpt_blob(s->v6_na, 16);
	m->v6_na_pool = ckpt_blob(s->v6_na_pool, strnlen(s->v6_na_pool, sizeof(s->v6_na_pool)));
	ckpt_lease_fill(&(struct ckpt_lease_out)CKPT_LEASE_NA(m), &s->v6_na_lease);
	for (unsigned i = 0; i < s->v6_n_routes && i < HA_V6_ROUTES; i++) {
		ckpt_v6_route_put(b->route_buf[i], &s->v6_route[i]);
		b->route[i] = ckpt_blob(b->route_buf[i], CKPT_V6_ROUTE_LEN);
		m->n_v6_route = i + 1;
	}
	m->v6_route = b->route;
}

/* 16 octets or absent into out; -EBADMSG for anything else. */
static int ckpt_v6_addr(const ProtobufCBinaryData *b, uint8_t out[16], uint8_t *has)
{
	*has = b->len == 16 && b->data != NULL;
	if (b->len != 0 && !*has)
		return -EBADMSG;
	if (*has)
		memcpy(out, b->data, 16);
	return 0;
}

static int ckpt_v6_duid(const ProtobufCBinaryData *b, uint8_t *out, uint8_t *len)
{
	if (b->len > HA_DUID_MAX || (b->len && !b->data))
		return -EBADMSG;
	*len = (uint8_t)b->len;
	if (b->len)
		memcpy(out, b->data, b->len);
	return 0;
}

struct ckpt_lease_in {
	const protobuf_c_boolean *bound;
	const ProtobufCBinaryData *duid;
	const uint32_t *iaid;
	const uint64_t *start_ms;
	const uint32_t *valid, *preferred;
};

static int ckpt_lease_get(const struct ckpt_lease_in *f, struct ha_v6_lease *l)
{
	if (ckpt_v6_duid(f->duid, l->client_duid, &l->client_duid_len))
		return -EBADMSG;
	l->bound = !!*f->bound;
	l->iaid = *f->iaid;
	l->start_ms = *f->start_ms;
	l->valid = *f->valid;
	l->preferred = *f->preferred;
	return 0;
}

/* The routes of field v6_route: each 37 octets, a length 1..128, no bit
 * past it; at most HA_V6_ROUTES. */
static int ckpt_v6_routes_get(const L2tpha__Session *m, struct ha_session_rec *s)
{
	if (m->n_v6_route > HA_V6_ROUTES)
		return -EBADMSG;
	for (size_t i = 0; i < m->n_v6_route; i++) {
		const uint8_t *b = m->v6_route[i].data;
		struct ha_v6_route *r = &s->v6_route[i];

		if (m->v6_route[i].len != CKPT_V6_ROUTE_LEN || b == NULL || b[16] == 0 ||
		    b[16] > 128)
			return -EBADMSG;
		memcpy(r->dst, b, 16);
		r->plen = b[16];
		memcpy(r->gw, b + 17, 16);
		r->metric = (uint32_t)b[33] << 24 | (uint32_t)b[34] << 16 |
			    (uint32_t)b[35] << 8 | b[36];
	}
	s->v6_n_routes = (uint8_t)m->n_v6_route;
	return 0;
}

int ckpt_session_get_v6(const L2tpha__Session *m, struct ha_session_rec *s)
{
	s->v6 = !!m->v6;
	if (!s->v6)
		return 0;
	if (ckpt_v6_addr(&m->v6_prefix, s->v6_prefix, &s->v6_has_prefix) ||
	    ckpt_v6_addr(&m->v6_pd, s->v6_pd, &s->v6_has_pd) || m->v6_pd_len > 128 ||
	    ckpt_text_get(&m->v6_pool, s->v6_pool, sizeof(s->v6_pool)) ||
	    ckpt_text_get(&m->v6_pd_pool, s->v6_pd_pool, sizeof(s->v6_pd_pool)) ||
	    ckpt_lease_get(&(struct ckpt_lease_in)CKPT_LEASE_PD(m), &s->v6_lease) ||
	    ckpt_v6_duid(&m->v6_server_duid, s->v6_server_duid, &s->v6_server_duid_len) ||
	    ckpt_v6_addr(&m->v6_na, s->v6_na, &s->v6_has_na) ||
	    ckpt_text_get(&m->v6_na_pool, s->v6_na_pool, sizeof(s->v6_na_pool)) ||
	    ckpt_lease_get(&(struct ckpt_lease_in)CKPT_LEASE_NA(m), &s->v6_na_lease) ||
	    ckpt_v6_routes_get(m, s))
		return -EBADMSG;
	s->v6_pd_len = (uint8_t)m->v6_pd_len;
	return 0;
}
