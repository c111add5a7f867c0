/*
 * The null data path: no kernel objects, only a record of what the control
 * plane asked for.  It refuses what the kernel would refuse (a duplicate
 * tunnel or session ID, a session on a tunnel that does not exist, a unit
 * without a channel, an interface name or a route already taken, a route
 * through an interface that is not up), so the control plane's bookkeeping
 * is checked on hosts without L2TP modules.
 * PPP frames do not cross it: under null the daemon carries them in L2TP
 * data messages on the tunnel's UDP socket itself (DESIGN.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include "kernel_glue/dp.h"
#include "common/idmap.h"

struct dp_null_route {
	uint32_t dst;
	unsigned int plen;
	int v6;
	uint8_t dst6[16];		/* v6: the prefix (the gateway is not kept) */
};

static int dp_null_route_eq(const struct dp_null_route *a, const struct dp_null_route *b)
{
	return a->v6 == b->v6 && a->plen == b->plen && a->dst == b->dst &&
	       memcmp(a->dst6, b->dst6, sizeof(a->dst6)) == 0;
}

struct dp_null_session {
	struct dp_session_params p;
	int ppp_open, unit_open;
	char ifname[16];
	struct dp_ppp_config cfg;
	struct dp_null_route *routes;
	size_t nroutes;
	LIST_ENTRY(dp_null_session) link;
};

struct dp_null_tunnel {
	struct dp_tunnel_params p;
	struct idmap *map;			/* session ID -> struct dp_null_session */
	LIST_HEAD(, dp_null_session) sessions;
	size_t nsessions;
};

struct dp_null {
	struct dp_null_tunnel *tunnels[65536];	/* by tunnel ID; NULL: none */
};

static struct dp_null *dp_null_priv(struct dp *dp)
{
	if (dp->priv == NULL)
		dp->priv = calloc(1, sizeof(struct dp_null));
	return dp->priv;
}

static int dp_null_refuse(struct dp *dp, int rc, const char *what, uint16_t tid, uint16_t sid)
{
	dp->count.errors++;
	dp_set_err(dp, "session %u/%u: %s", tid, sid, what);
	return rc;
}

static struct dp_null_session *dp_null_session(struct dp *dp, uint16_t tid, uint16_t sid)
{
	struct dp_null *n = dp_null_priv(dp);

	if (n == NULL || n->tunnels[tid] == NULL)
		return NULL;
	return idmap_get(n->tunnels[tid]->map, sid);
}

/* The PPP plumbing goes: routes and the unit first, then the channel. */
static void dp_null_ppp_drop(struct dp *dp, struct dp_null_session *s)
{
	if (!s->ppp_open)
		return;
	dp->count.routes -= s->nroutes;
	free(s->routes);
	s->routes = NULL;
	s->nroutes = 0;
	if (s->unit_open)
		dp->count.ppp_units--;
	dp->count.ppp_channels--;
	dp->count.ppp_close++;
	s->unit_open = s->ppp_open = 0;
	s->ifname[0] = '\0';
	memset(&s->cfg, 0, sizeof(s->cfg));
}

static void dp_null_session_free(struct dp *dp, struct dp_null_session *s)
{
	dp_null_ppp_drop(dp, s);
	LIST_REMOVE(s, link);
	free(s);
}

static int dp_null_tunnel_create(struct dp *dp, const struct dp_tunnel_params *p)
{
	struct dp_null *n = dp_null_priv(dp);
	struct dp_null_tunnel *t;

	if (n == NULL)
		return -ENOMEM;
	if (p->tunnel_id == 0 || n->tunnels[p->tunnel_id] != NULL) {
		dp->count.errors++;
		dp_set_err(dp, "tunnel %u: %s", p->tunnel_id,
			   p->tunnel_id == 0 ? "ID 0 is reserved" : "exists");
		return p->tunnel_id == 0 ? -EINVAL : -EEXIST;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	t->map = idmap_create();
	if (t->map == NULL) {
		free(t);
		return -ENOMEM;
	}
	t->p = *p;
	LIST_INIT(&t->sessions);
	n->tunnels[p->tunnel_id] = t;
	dp->count.tunnel_create++;
	dp->count.tunnels++;
	return 0;
}

static void dp_null_tunnel_free(struct dp *dp, struct dp_null_tunnel *t)
{
	while (!LIST_EMPTY(&t->sessions))
		dp_null_session_free(dp, LIST_FIRST(&t->sessions));
	idmap_destroy(t->map);
	free(t);
}

static int dp_null_tunnel_delete(struct dp *dp, uint16_t tid)
{
	struct dp_null *n = dp_null_priv(dp);
	struct dp_null_tunnel *t;

	if (n == NULL)
		return -ENOMEM;
	t = n->tunnels[tid];
	if (t == NULL) {
		dp->count.errors++;
		dp_set_err(dp, "tunnel %u: not found", tid);
		return -ENOENT;
	}
	/* As in the kernel, deleting a tunnel deletes its sessions. */
	dp->count.sessions -= t->nsessions;
	dp_null_tunnel_free(dp, t);
	n->tunnels[tid] = NULL;
	dp->count.tunnel_delete++;
	dp->count.tunnels--;
	return 0;
}

static int dp_null_session_create(struct dp *dp, const struct dp_session_params *p)
{
	struct dp_null *n = dp_null_priv(dp);
	struct dp_null_tunnel *t;
	struct dp_null_session *s;
	int rc;

	if (n == NULL)
		return -ENOMEM;
	t = n->tunnels[p->tunnel_id];
	if (t == NULL)
		return dp_null_refuse(dp, -ENOENT, "no such tunnel", p->tunnel_id, p->session_id);
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	s->p = *p;
	rc = idmap_put(t->map, p->session_id, s);
	if (rc < 0) {
		free(s);
		return dp_null_refuse(dp, rc, rc == -EEXIST ? "exists" : "refused",
				      p->tunnel_id, p->session_id);
	}
	LIST_INSERT_HEAD(&t->sessions, s, link);
	t->nsessions++;
	dp->count.session_create++;
	dp->count.sessions++;
	return 0;
}

static int dp_null_session_delete(struct dp *dp, uint16_t tid, uint16_t sid)
{
	struct dp_null *n = dp_null_priv(dp);
	struct dp_null_session *s;

	if (n == NULL)
		return -ENOMEM;
	if (n->tunnels[tid] == NULL || (s = idmap_del(n->tunnels[tid]->map, sid)) == NULL)
		return dp_null_refuse(dp, -ENOENT, "not found", tid, sid);
	n->tunnels[tid]->nsessions--;
	dp_null_session_free(dp, s);
	dp->count.session_delete++;
	dp->count.sessions--;
	return 0;
}

static int dp_null_session_stats(struct dp *dp, uint16_t tid, uint16_t sid, struct dp_stats *st)
{
	if (dp_null_session(dp, tid, sid) == NULL)
		return -ENOENT;
	return 0;	/* no traffic crosses the null data path */
}

static int dp_null_session_modify(struct dp *dp, const struct dp_session_params *p)
{
	struct dp_null_session *s = dp_null_session(dp, p->tunnel_id, p->session_id);

	if (s == NULL)
		return dp_null_refuse(dp, -ENOENT, "not found", p->tunnel_id, p->session_id);
	s->p.lns_mode = p->lns_mode;
	s->p.send_seq = p->send_seq;
	s->p.recv_seq = p->recv_seq;
	s->p.reorder_timeout_ms = p->reorder_timeout_ms;
	return 0;
}

static int dp_null_ppp_open(struct dp *dp, const struct dp_ppp_params *p, struct dp_ppp *out)
{
	struct dp_null_session *s = dp_null_session(dp, p->tunnel_id, p->session_id);

	if (s == NULL)
		return dp_null_refuse(dp, -ENOENT, "not found", p->tunnel_id, p->session_id);
	if (s->ppp_open)
		return dp_null_refuse(dp, -EBUSY, "PPP already open", p->tunnel_id,
				      p->session_id);
	s->ppp_open = 1;
	dp->count.ppp_open++;
	dp->count.ppp_channels++;
	/* No fds: the daemon carries PPP over the tunnel's UDP socket. */
	return 0;
}

/* Whether another session's unit already has this name or route. */
static int dp_null_taken(struct dp *dp, const char *ifname, const struct dp_null_route *rt)
{
	struct dp_null *n = dp->priv;
	struct dp_null_session *s;
	size_t i, j;

	for (i = 0; i < 65536; i++) {
		if (n->tunnels[i] == NULL)
			continue;
		LIST_FOREACH(s, &n->tunnels[i]->sessions, link) {
			if (ifname && s->unit_open && strcmp(s->ifname, ifname) == 0)
				return 1;
			for (j = 0; rt && j < s->nroutes; j++)
				if (dp_null_route_eq(&s->routes[j], rt))
					return 1;
		}
	}
	return 0;
}

static int dp_null_ppp_unit_open(struct dp *dp, uint16_t tid, uint16_t sid, const char *ifname,
				 struct dp_ppp *out)
{
	struct dp_null_session *s = dp_null_session(dp, tid, sid);

	if (s == NULL)
		return dp_null_refuse(dp, -ENOENT, "not found", tid, sid);
	if (!s->ppp_open)
		return dp_null_refuse(dp, -ENOTCONN, "no PPP channel", tid, sid);
	if (s->unit_open)
		return dp_null_refuse(dp, -EBUSY, "PPP unit already open", tid, sid);
	if (ifname && ifname[0] && dp_null_taken(dp, ifname, NULL))
		return dp_null_refuse(dp, -EEXIST, "interface name taken", tid, sid);
	s->unit_open = 1;
	snprintf(s->ifname, sizeof(s->ifname), "%s", ifname ? ifname : "");
	memcpy(out->ifname, s->ifname, sizeof(out->ifname));
	out->unit_fd = -1;
	out->unit = -1;
	out->ifindex = 0;
	dp->count.ppp_unit_open++;
	dp->count.ppp_units++;
	return 0;
}

static struct dp_null_session *dp_null_unit(struct dp *dp, uint16_t tid, uint16_t sid, int *rc)
{
	struct dp_null_session *s = dp_null_session(dp, tid, sid);

	*rc = 0;
	if (s == NULL)
		*rc = dp_null_refuse(dp, -ENOENT, "not found", tid, sid);
	else if (!s->unit_open)
		*rc = dp_null_refuse(dp, -ENOTCONN, "no PPP unit", tid, sid);
	return *rc ? NULL : s;
}

static int dp_null_ppp_configure(struct dp *dp, uint16_t tid, uint16_t sid,
				 const struct dp_ppp_config *c)
{
	struct dp_null_session *s;
	int rc;

	s = dp_null_unit(dp, tid, sid, &rc);
	if (s == NULL)
		return rc;
	if (c->mru)
		s->cfg.mru = c->mru;
	if (c->mtu)
		s->cfg.mtu = c->mtu;
	if (c->local) {
		s->cfg.local = c->local;
		s->cfg.peer = c->peer;
	}
	if (c->up)
		s->cfg.up = c->up > 0 ? 1 : -1;
	return 0;
}

static int dp_null_route_put(struct dp *dp, uint16_t tid, uint16_t sid,
			     const struct dp_null_route *r)
{
	struct dp_null_route rt = *r, *v;
	struct dp_null_session *s;
	int rc;

	s = dp_null_unit(dp, tid, sid, &rc);
	if (s == NULL)
		return rc;
	if (dp_null_taken(dp, NULL, &rt))
		return dp_null_refuse(dp, -EEXIST, "route exists", tid, sid);
	/* as the kernel: "Nexthop device is not up" */
	if (s->cfg.up != 1)
		return dp_null_refuse(dp, -ENETDOWN, "interface down", tid, sid);
	v = realloc(s->routes, (s->nroutes + 1) * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	s->routes = v;
	s->routes[s->nroutes++] = rt;
	dp->count.routes++;
	return 0;
}

static int dp_null_route_take(struct dp *dp, uint16_t tid, uint16_t sid,
			      const struct dp_null_route *r)
{
	struct dp_null_session *s;
	size_t i;
	int rc;

	s = dp_null_unit(dp, tid, sid, &rc);
	if (s == NULL)
		return rc;
	for (i = 0; i < s->nroutes; i++) {
		if (dp_null_route_eq(&s->routes[i], r)) {
			s->routes[i] = s->routes[--s->nroutes];
			dp->count.routes--;
			return 0;
		}
	}
	return dp_null_refuse(dp, -ESRCH, "no such route", tid, sid);
}

static int dp_null_route_add(struct dp *dp, uint16_t tid, uint16_t sid, uint32_t dst,
			     unsigned int plen)
{
	struct dp_null_route r = { .dst = dst, .plen = plen };

	return dp_null_route_put(dp, tid, sid, &r);
}

static int dp_null_route_del(struct dp *dp, uint16_t tid, uint16_t sid, uint32_t dst,
			     unsigned int plen)
{
	struct dp_null_route r = { .dst = dst, .plen = plen };

	return dp_null_route_take(dp, tid, sid, &r);
}

static void dp_null_route6(struct dp_null_route *r, const struct dp_route6 *r6)
{
	memset(r, 0, sizeof(*r));
	r->v6 = 1;
	r->plen = r6->plen;
	memcpy(r->dst6, r6->dst, sizeof(r->dst6));
}

static int dp_null_route6_add(struct dp *dp, uint16_t tid, uint16_t sid,
			      const struct dp_route6 *r6)
{
	struct dp_null_route r;

	dp_null_route6(&r, r6);
	return dp_null_route_put(dp, tid, sid, &r);
}

static int dp_null_route6_del(struct dp *dp, uint16_t tid, uint16_t sid,
			      const struct dp_route6 *r6)
{
	struct dp_null_route r;

	dp_null_route6(&r, r6);
	return dp_null_route_take(dp, tid, sid, &r);
}

static int dp_null_ppp_close(struct dp *dp, uint16_t tid, uint16_t sid)
{
	struct dp_null_session *s = dp_null_session(dp, tid, sid);

	if (s == NULL || !s->ppp_open) {
		/* Not counted as refused: closing what is closed is harmless. */
		dp_set_err(dp, "session %u/%u: no PPP open", tid, sid);
		return -ENOENT;
	}
	dp_null_ppp_drop(dp, s);
	return 0;
}

static int dp_null_tunnel_dump(struct dp *dp, struct dp_tunnel_info **out, size_t *n)
{
	struct dp_null *nl = dp_null_priv(dp);
	struct dp_tunnel_info *v;
	size_t i, k = 0;

	if (nl == NULL)
		return -ENOMEM;
	if (dp->count.tunnels == 0)
		return 0;
	v = calloc(dp->count.tunnels, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	for (i = 1; i < 65536 && k < dp->count.tunnels; i++) {
		if (nl->tunnels[i] == NULL)
			continue;
		v[k].tunnel_id = nl->tunnels[i]->p.tunnel_id;
		v[k].peer_tunnel_id = nl->tunnels[i]->p.peer_tunnel_id;
		k++;
	}
	*out = v;
	*n = k;
	return 0;
}

static void dp_null_session_info(const struct dp_null_session *s, struct dp_session_info *i)
{
	memset(i, 0, sizeof(*i));
	i->tunnel_id = s->p.tunnel_id;
	i->session_id = s->p.session_id;
	i->peer_tunnel_id = s->p.peer_tunnel_id;
	i->peer_session_id = s->p.peer_session_id;
	i->lns_mode = s->p.lns_mode;
	i->send_seq = s->p.send_seq;
	i->recv_seq = s->p.recv_seq;
	i->reorder_timeout_ms = s->p.reorder_timeout_ms;
	i->ppp_open = s->ppp_open;
	memcpy(i->ifname, s->ifname, sizeof(i->ifname));
}

static int dp_null_session_dump(struct dp *dp, uint16_t tid, struct dp_session_info **out,
				size_t *n)
{
	struct dp_null *nl = dp_null_priv(dp);
	struct dp_null_session *s;
	struct dp_session_info *v;
	size_t i, k = 0, cap;

	if (nl == NULL)
		return -ENOMEM;
	if (tid && nl->tunnels[tid] == NULL) {
		dp_set_err(dp, "tunnel %u: not found", tid);
		return -ENOENT;
	}
	cap = tid ? nl->tunnels[tid]->nsessions : dp->count.sessions;
	if (cap == 0)
		return 0;
	v = calloc(cap, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	for (i = tid ? tid : 1; i < 65536; i++) {
		if (nl->tunnels[i] != NULL) {
			LIST_FOREACH(s, &nl->tunnels[i]->sessions, link)
				if (k < cap)
					dp_null_session_info(s, &v[k++]);
		}
		if (tid)
			break;
	}
	*out = v;
	*n = k;
	return 0;
}

static void dp_null_destroy(struct dp *dp)
{
	struct dp_null *n = dp->priv;
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < 65536; i++)
		if (n->tunnels[i])
			dp_null_tunnel_free(dp, n->tunnels[i]);
	free(n);
	dp->priv = NULL;
}

const struct dp_ops dp_null_ops = {
	.name = "null",
	.caps = 0,
	.tunnel_create = dp_null_tunnel_create,
	.tunnel_delete = dp_null_tunnel_delete,
	.session_create = dp_null_session_create,
	.session_delete = dp_null_session_delete,
	.session_stats = dp_null_session_stats,
	.destroy = dp_null_destroy,
	.session_modify = dp_null_session_modify,
	.ppp_open = dp_null_ppp_open,
	.ppp_unit_open = dp_null_ppp_unit_open,
	.ppp_configure = dp_null_ppp_configure,
	.route_add = dp_null_route_add,
	.route_del = dp_null_route_del,
	.route6_add = dp_null_route6_add,
	.route6_del = dp_null_route6_del,
	.ppp_close = dp_null_ppp_close,
	.tunnel_dump = dp_null_tunnel_dump,
	.session_dump = dp_null_session_dump,
};
