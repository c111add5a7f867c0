/*
 * A PPP link's IPv6 on the LNS (see l2tp/ppp_int.h): when IPv6CP opens, a
 * /64 for its router advertisements, a prefix to delegate and an address
 * for IA_NA come from RADIUS or the template's pools, and the link's IPv6
 * server (ipv6/server.h) starts; they go back when the link goes.
 *
 * Where the packets travel: under the null data path every PPP frame is
 * ours, so the subscriber's Router Solicitations and DHCPv6 reach the
 * server here (ppp_ops ipv6_input).  Under the linux data path IPv6 goes
 * to the kernel's pppN: our advertisements leave on the channel, and the
 * link's /64 (on-link) and delegated prefix (via the subscriber's
 * link-local address) are routed through pppN, removed at the end; the
 * subscriber's solicitations and DHCPv6 come by a receive path of their
 * own (l2tp/ppp_ipv6_rx.c: one AF_PACKET socket for every pppN, filtered
 * to ICMPv6 RS and UDP port 547) to the same l2tp_ppp_ipv6_input().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2tpd.h"
#include "core/config.h"
#include "core/rand.h"
#include "ipv6/pool.h"
#include "kernel_glue/dp.h"
#include "l2tp/ppp.h"
#include "l2tp/ppp_int.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"

static void ppp_v6_send(void *arg, const uint8_t *pkt, size_t len)
{
	l2tp_ppp_output(arg, PPP_PROTO_IPV6, pkt, len);
}

/* The binding changed: HA owes the session's record. */
static void ppp_v6_changed(void *arg)
{
	struct l2tp_ppp_link *pl = arg;

	l2tp_session_changed(pl->s);
}

static int ppp_v6_take(struct l2tp_ppp_link *pl, const char *name, uint8_t *out, uint8_t *len);

/* The subscriber declined its address (RFC 8415 §18.3.8): one from a pool
 * is replaced by another of the pool, the declined one kept out of the pool
 * (given to nobody) until the session ends; RADIUS's own address, or an
 * empty pool: the server holds the address back a while. */
static void ppp_v6_declined(void *arg)
{
	struct l2tp_ppp_link *pl = arg;
	struct l2tp_ppp_v6 *v = pl->v6;
	char a[INET6_ADDRSTRLEN];
	uint8_t na[IPV6_ADDR_LEN], len;

	if (v == NULL)
		return;
	inet_ntop(AF_INET6, v->srv.na, a, sizeof(a));
	session_log(pl->s, LOG_NOTICE, "DHCPv6: the subscriber declined address %s", a);
	if (v->na_pool[0] == '\0' || v->n_declined == PPP_V6_DECLINED_MAX ||
	    !ppp_v6_take(pl, v->na_pool, na, &len))
		return;
	memcpy(v->declined[v->n_declined++], v->srv.na, IPV6_ADDR_LEN);
	ipv6_server_set_address(&v->srv, na);
	l2tp_session_changed(pl->s);
}

static const struct ipv6_server_ops ppp_v6_ops = {
	.send = ppp_v6_send,
	.changed = ppp_v6_changed,
	.declined = ppp_v6_declined,
};

/* The pair's server DUID: made once, a DUID-UUID (RFC 6355) of random
 * octets. */
static const struct dhcp6_duid *ppp_v6_duid(struct l2tpd *d)
{
	if (d->dhcp6_duid.len == 0) {
		uint8_t uuid[16];

		rand_bytes(uuid, sizeof(uuid));
		dhcp6_duid_uuid(&d->dhcp6_duid, uuid);
	}
	return &d->dhcp6_duid;
}

static void ppp_v6_cfg(struct l2tp_ppp_link *pl, struct ipv6_server_cfg *c)
{
	const struct config_vtemplate *vt = pl->vt;
	struct l2tp_session *s = pl->s;

	memset(c, 0, sizeof(*c));
	c->ra_flags = (vt->nd_managed ? ND_RA_MANAGED : 0) | (vt->nd_other ? ND_RA_OTHER : 0);
	c->ra_interval = vt->ra_interval;
	c->ra_lifetime = vt->ra_lifetime;
	c->mtu = s->framed_mtu ? s->framed_mtu : vt->mtu;
	/* RADIUS's servers (RFC 6911) before the template's */
	if (!ipv6_is_unspecified(l2tp_session_aaa_v6_get(s)->dns[0]))
		memcpy(c->dns, l2tp_session_aaa_v6_get(s)->dns, sizeof(c->dns));
	else
		memcpy(c->dns, vt->dns6, sizeof(c->dns));
	c->rapid_commit = vt->rapid_commit;
	c->pd_valid = vt->pd_valid;
	c->pd_preferred = vt->pd_preferred;
	c->duid = *ppp_v6_duid(s->t->d);
}

/* A prefix from pool `name` into out: 1, or 0 (none configured, or the
 * pool empty: logged, counted by the pool). */
static int ppp_v6_take(struct l2tp_ppp_link *pl, const char *name, uint8_t *out, uint8_t *len)
{
	int rc;

	if (name[0] == '\0')
		return 0;
	rc = ipv6_pool_alloc(pl->s->t->d->pools6, name, out, len);
	if (rc == 0)
		return 1;
	session_log(pl->s, LOG_WARNING, "no IPv6 prefix from pool %s: %s", name, strerror(-rc));
	return 0;
}

/* The link's /64 (pd 0) or the prefix to delegate (pd 1): RADIUS's own
 * (Framed-IPv6-Prefix, Delegated-IPv6-Prefix), else one from RADIUS's pool
 * (Framed-IPv6-Pool, Delegated-IPv6-Prefix-Pool), else from the template's;
 * the pool it came from in pool ("" for RADIUS's prefix).  1, or 0: none. */
static int ppp_v6_prefix(struct l2tp_ppp_link *pl, int pd, char *pool, size_t size,
			 uint8_t out[IPV6_ADDR_LEN], uint8_t *len)
{
	const struct l2tp_aaa_v6 *a = l2tp_session_aaa_v6_get(pl->s);
	const char *name;

	pool[0] = '\0';
	if ((pd ? a->pd_len : a->prefix_len) != 0) {
		memcpy(out, pd ? a->pd : a->prefix, IPV6_ADDR_LEN);
		*len = pd ? a->pd_len : a->prefix_len;
		return 1;
	}
	if (pd)
		name = a->pd_pool[0] ? a->pd_pool : pl->vt->pd_pool;
	else
		name = a->pool[0] ? a->pool : pl->vt->pool6;
	if (!ppp_v6_take(pl, name, out, len))
		return 0;
	snprintf(pool, size, "%s", name);
	return 1;
}

/* The address for IA_NA: RADIUS's Framed-IPv6-Address (RFC 6911 §3.1),
 * else one from RADIUS's Stateful-IPv6-Address-Pool (§3.5), else from the
 * template's `ipv6 dhcp server address pool`.  1, or 0: none. */
static int ppp_v6_address(struct l2tp_ppp_link *pl, char *pool, size_t size,
			  uint8_t out[IPV6_ADDR_LEN])
{
	const struct l2tp_aaa_v6 *a = l2tp_session_aaa_v6_get(pl->s);
	const char *name = a->na_pool[0] ? a->na_pool : pl->vt->na_pool;
	uint8_t len;

	pool[0] = '\0';
	if (a->has_addr) {
		memcpy(out, a->addr, IPV6_ADDR_LEN);
		return 1;
	}
	if (!ppp_v6_take(pl, name, out, &len))
		return 0;
	if (len != 128) {	/* RADIUS named a pool of prefixes */
		session_log(pl->s, LOG_WARNING, "IPv6: pool %s gives /%u, not addresses", name,
			    len);
		(void)ipv6_pool_free(pl->s->t->d->pools6, name, out, len);
		return 0;
	}
	snprintf(pool, size, "%s", name);
	return 1;
}

/* The routes of the link (at most 2 + IPV6_ROUTE_MAX) into r, their
 * PPP_V6_ROUTE_* bits into bit: the /64 on-link, the delegated prefix via
 * the subscriber's link-local address, and RADIUS's Framed-IPv6-Route via
 * its gateway (RFC 3162 §2.5: :: is the subscriber, its link-local
 * address).  The count. */
unsigned l2tp_ppp_ipv6_route_list(const struct l2tp_ppp_v6 *v, struct dp_route6 *r,
				  unsigned *bit)
{
	unsigned n = 0;

	if (v->srv.has_prefix) {
		memset(&r[n], 0, sizeof(r[n]));
		memcpy(r[n].dst, v->srv.prefix, IPV6_ADDR_LEN);
		r[n].plen = 64;
		bit[n++] = PPP_V6_ROUTE_LINK;
	}
	if (v->srv.has_pd) {
		memset(&r[n], 0, sizeof(r[n]));
		memcpy(r[n].dst, v->srv.pd, IPV6_ADDR_LEN);
		r[n].plen = v->srv.pd_len;
		r[n].has_gw = 1;
		memcpy(r[n].gw, v->srv.peer_ll, IPV6_ADDR_LEN);
		bit[n++] = PPP_V6_ROUTE_PD;
	}
	for (unsigned i = 0; i < v->n_framed; i++) {
		const struct ipv6_route *f = &v->framed[i];

		memset(&r[n], 0, sizeof(r[n]));
		memcpy(r[n].dst, f->dst, IPV6_ADDR_LEN);
		r[n].plen = f->plen;
		r[n].has_gw = 1;
		memcpy(r[n].gw, ipv6_is_unspecified(f->gw) ? v->srv.peer_ll : f->gw,
		       IPV6_ADDR_LEN);
		r[n].metric = f->metric;
		bit[n++] = PPP_V6_ROUTE_FRAMED(i);
	}
	return n;
}

/* Under the linux data path (a pppN exists), the link's routes through it
 * (add) or no longer (!add).  A refusal is logged; the session goes on. */
static void ppp_v6_routes(struct l2tp_ppp_link *pl, struct l2tp_ppp_v6 *v, int add)
{
	struct l2tpd *d = pl->s->t->d;
	struct dp_route6 r[PPP_V6_ROUTES_MAX];
	unsigned bit[PPP_V6_ROUTES_MAX], n;

	if (!pl->dp_open || pl->dpp.unit_fd < 0)
		return;
	n = l2tp_ppp_ipv6_route_list(v, r, bit);
	for (unsigned i = 0; i < n; i++) {
		char what[128];
		int rc;

		if (!!(v->routes & bit[i]) == add)
			continue;
		rc = add ? dp_route6_add(d->dp, pl->s->t->tid, pl->s->sid, &r[i]) :
			dp_route6_del(d->dp, pl->s->t->tid, pl->s->sid, &r[i]);
		if (rc < 0) {
			ipv6_prefix_format(r[i].dst, (uint8_t)r[i].plen, what, sizeof(what));
			session_log(pl->s, LOG_WARNING, "IPv6 route %s %s: %s", what,
				    add ? "add" : "delete", strerror(-rc));
		}
		if (rc == 0)
			v->routes ^= bit[i];	/* added: set; deleted: clear */
		else if (!add)
			v->routes &= ~bit[i];	/* pppN takes it along when it goes */
	}
}

/* v (its server set up) is pl's: counted among the live links, its
 * counters summed into the daemon's as they count. */
static void ppp_v6_attach(struct l2tpd *d, struct l2tp_ppp_link *pl, struct l2tp_ppp_v6 *v)
{
	v->srv.totals = &d->v6_live;
	d->v6_links++;
	pl->v6 = v;
}

void l2tp_ppp_ipv6_up(struct l2tp_ppp_link *pl, const struct ppp_state *st)
{
	struct l2tp_session *s = pl->s;
	struct ipv6_server_cfg c;
	struct l2tp_ppp_v6 *v;
	uint8_t p64[IPV6_ADDR_LEN], pd[IPV6_ADDR_LEN], na[IPV6_ADDR_LEN], len64 = 0, pd_len = 0;
	int has64, haspd, hasna;

	if (!s->lns || pl->vt == NULL || pl->v6 != NULL)
		return;
	v = calloc(1, sizeof(*v));
	if (v == NULL) {
		session_log(s, LOG_ERR, "IPv6: out of memory");
		return;
	}
	has64 = ppp_v6_prefix(pl, 0, v->pool6, sizeof(v->pool6), p64, &len64);
	haspd = ppp_v6_prefix(pl, 1, v->pd_pool, sizeof(v->pd_pool), pd, &pd_len);
	hasna = ppp_v6_address(pl, v->na_pool, sizeof(v->na_pool), na);
	ppp_v6_cfg(pl, &c);
	ipv6_server_init(&v->srv, &ppp_v6_ops, pl, &s->t->d->clk, &c, st->local_ifid,
			 st->peer_ifid);
	ipv6_server_set_prefixes(&v->srv, has64 ? p64 : NULL, haspd ? pd : NULL, pd_len);
	ipv6_server_set_address(&v->srv, hasna ? na : NULL);
	memcpy(v->framed, l2tp_session_aaa_v6_get(s)->route, sizeof(v->framed));
	v->n_framed = l2tp_session_aaa_v6_get(s)->n_routes;
	ppp_v6_attach(s->t->d, pl, v);
	l2tp_ppp_ipv6_index(s->t->d, pl);
	ppp_v6_routes(pl, v, 1);
	if (ipv6_server_start(&v->srv) < 0)
		session_log(s, LOG_ERR, "IPv6: router advertisements not scheduled");
	l2tp_session_changed(s);
}

void l2tp_ppp_ipv6_input(void *arg, const uint8_t *pkt, size_t len)
{
	struct l2tp_ppp_link *pl = arg;

	if (!pl->s->lns) {
		l2tp_ppp_ipv6_lac_input(pl, pkt, len);	/* l2tp/ppp_ipv6_lac.c */
		return;
	}
	if (pl->v6 == NULL)
		return;
	(void)ipv6_server_input(&pl->v6->srv, pkt, len);	/* each outcome counted there */
}

void l2tp_ppp_ipv6_stop(struct l2tp_ppp_link *pl)
{
	struct l2tp_ppp_v6 *v = pl->v6;
	struct l2tpd *d = pl->s->t->d;

	if (v == NULL)
		return;
	ipv6_server_stop(&v->srv);
	l2tp_ppp_ipv6_unindex(d, pl);
	ppp_v6_routes(pl, v, 0);
	if (v->pool6[0] != '\0')
		(void)ipv6_pool_free(d->pools6, v->pool6, v->srv.prefix, 64);
	if (v->pd_pool[0] != '\0')
		(void)ipv6_pool_free(d->pools6, v->pd_pool, v->srv.pd, v->srv.pd_len);
	if (v->na_pool[0] != '\0')
		(void)ipv6_pool_free(d->pools6, v->na_pool, v->srv.na, 128);
	for (unsigned i = 0; i < v->n_declined; i++)
		(void)ipv6_pool_free(d->pools6, v->na_pool, v->declined[i], 128);
	ipv6_server_stats_fold(&d->v6_live, &v->srv.st, -1);
	d->v6_links--;
	pl->v6 = NULL;
	free(v);
}

const struct l2tp_ppp_v6 *l2tp_ppp_ipv6(const struct l2tp_session *s)
{
	return s->ppp_link != NULL ? s->ppp_link->v6 : NULL;
}

int l2tp_ppp_ipv6_clear_binding(struct l2tp_session *s)
{
	struct l2tp_ppp_v6 *v = s->ppp_link != NULL ? s->ppp_link->v6 : NULL;

	int pd, na;

	if (v == NULL)
		return -ENOENT;
	pd = ipv6_server_unbind(&v->srv, DHCP6_OPT_IA_PD);
	na = ipv6_server_unbind(&v->srv, DHCP6_OPT_IA_NA);
	return pd == 0 || na == 0 ? 0 : -ENOENT;
}

int l2tp_ppp_ipv6_export(const struct l2tp_session *s, struct l2tp_ppp_v6_state *st)
{
	const struct l2tp_ppp_v6 *v = l2tp_ppp_ipv6(s);

	if (v == NULL)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	st->has_prefix = v->srv.has_prefix;
	memcpy(st->prefix, v->srv.prefix, IPV6_ADDR_LEN);
	snprintf(st->pool6, sizeof(st->pool6), "%s", v->pool6);
	st->has_pd = v->srv.has_pd;
	memcpy(st->pd, v->srv.pd, IPV6_ADDR_LEN);
	st->pd_len = v->srv.pd_len;
	snprintf(st->pd_pool, sizeof(st->pd_pool), "%s", v->pd_pool);
	st->lease = v->srv.lease;
	st->has_na = v->srv.has_na;
	memcpy(st->na, v->srv.na, IPV6_ADDR_LEN);
	snprintf(st->na_pool, sizeof(st->na_pool), "%s", v->na_pool);
	st->na_lease = v->srv.na_lease;
	st->server_duid = v->srv.cfg.duid;
	memcpy(st->framed, v->framed, sizeof(st->framed));
	st->n_framed = v->n_framed;
	return 0;
}

/* A checkpointed prefix out of its pool again ("" pool: RADIUS's own).  A
 * refusal is logged and the prefix kept all the same (the subscriber's LAN
 * numbers from it), but not given back to the pool at the end. */
static void ppp_v6_reserve(struct l2tp_session *s, char *pool, const uint8_t *p, uint8_t len)
{
	int rc;

	if (pool[0] == '\0')
		return;
	rc = ipv6_pool_reserve(s->t->d->pools6, pool, p, len);
	if (rc == 0)
		return;
	session_log(s, LOG_WARNING, "takeover: IPv6 prefix not reserved in pool %s: %s", pool,
		    strerror(-rc));
	pool[0] = '\0';	/* not ours to give back */
}

int l2tp_ppp_ipv6_restore(struct l2tp_session *s, const struct l2tp_ppp_v6_state *st)
{
	struct l2tp_ppp_link *pl = s->ppp_link;
	struct l2tpd *d = s->t->d;
	struct ipv6_server_cfg c;
	struct ppp_state ps;
	struct l2tp_ppp_v6 *v;

	if (pl == NULL || pl->vt == NULL || pl->v6 != NULL || s->ppp == NULL ||
	    ppp_export(s->ppp, &ps) < 0 || !ps.ipv6cp_open)
		return -EINVAL;
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	/* RFC 8415 §18.4 (a Renew names its server): the pair's DUID */
	if (st->server_duid.len != 0)
		d->dhcp6_duid = st->server_duid;
	snprintf(v->pool6, sizeof(v->pool6), "%s", st->has_prefix ? st->pool6 : "");
	snprintf(v->pd_pool, sizeof(v->pd_pool), "%s", st->has_pd ? st->pd_pool : "");
	if (st->has_prefix)
		ppp_v6_reserve(s, v->pool6, st->prefix, 64);
	if (st->has_pd)
		ppp_v6_reserve(s, v->pd_pool, st->pd, st->pd_len);
	snprintf(v->na_pool, sizeof(v->na_pool), "%s", st->has_na ? st->na_pool : "");
	if (st->has_na)
		ppp_v6_reserve(s, v->na_pool, st->na, 128);
	ppp_v6_cfg(pl, &c);
	ipv6_server_init(&v->srv, &ppp_v6_ops, pl, &d->clk, &c, ps.local_ifid, ps.peer_ifid);
	ipv6_server_set_prefixes(&v->srv, st->has_prefix ? st->prefix : NULL,
				 st->has_pd ? st->pd : NULL, st->pd_len);
	ipv6_server_set_address(&v->srv, st->has_na ? st->na : NULL);
	v->n_framed = st->n_framed <= IPV6_ROUTE_MAX ? st->n_framed : IPV6_ROUTE_MAX;
	memcpy(v->framed, st->framed, sizeof(v->framed));
	ppp_v6_attach(d, pl, v);
	l2tp_ppp_ipv6_index(d, pl);
	ppp_v6_routes(pl, v, 1);
	ipv6_server_restore_lease(&v->srv, &st->lease);
	ipv6_server_restore_na_lease(&v->srv, &st->na_lease);
	return ipv6_server_start(&v->srv);
}
