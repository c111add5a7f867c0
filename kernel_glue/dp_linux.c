/*
 * The linux data path: kernel L2TP tunnels and sessions through genl
 * "l2tp" (nl_l2tp.c), PPP channels and units through PPPoL2TP sockets and
 * /dev/ppp (ppp_chan.c), interfaces, addresses and routes through
 * rtnetlink (rtnl.c; a PPP unit's MTU, IFF_UP and /32 pair, set for every
 * session, by requests built by hand in ppp_chan.c).  Facts: kernel-api.md.
 *
 * It keeps one record per session it created, holding the session's PPP
 * plumbing, so that deleting a session or a tunnel closes the fds in the
 * right order and `show` can name each session's interface.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include "kernel_glue/dp.h"
#include "common/idmap.h"
#include "kernel_glue/nl_l2tp.h"
#include "kernel_glue/nft_mss.h"
#include "kernel_glue/ppp_chan.h"
#include "kernel_glue/rtnl.h"
#include "kernel_glue/dp_linux_int.h"

int dp_linux_fail(struct dp *dp, int rc, const char *what, uint16_t tid, uint16_t sid,
		  const char *detail)
{
	dp->count.errors++;
	dp_set_err(dp, "session %u/%u: %s%s%s", tid, sid, what, detail && detail[0] ? ": " : "",
		   detail ? detail : "");
	return rc;
}

struct dp_linux_sess *dp_linux_sess(struct dp *dp, uint16_t tid, uint16_t sid)
{
	struct dp_linux *l = dp_linux_of(dp);

	if (l->tunnels[tid] == NULL)
		return NULL;
	return idmap_get(l->tunnels[tid]->map, sid);
}

/* Close a session's PPP plumbing: unit, channel, PPPoL2TP socket. */
static void dp_linux_ppp_drop(struct dp *dp, struct dp_linux_sess *s)
{
	if (s->ch.pppox_fd < 0)
		return;
	if (s->adopted && dp_adopting(dp)) {
		/* A restart failing part-way: the process before serves it on. */
		ppp_chan_forget(&s->ch);
		dp->count.ppp_units -= s->ifindex > 0;
		dp->count.routes -= s->nroutes;
		s->nroutes = 0;
		s->ifindex = 0;
		dp->count.ppp_channels--;
		return;
	}
	s->pppox_closed = 1;
	if (s->bridge) {
		dp_linux_bridge_gone(dp, s);	/* the kernel undoes the bridge */
		ppp_chan_close(&s->ch);
		s->bridge = 0;
		return;
	}
	if (s->ch.unit_fd >= 0)
		dp->count.ppp_units--;
	dp->count.routes -= s->nroutes;	/* they go with the interface */
	s->nroutes = 0;
	ppp_chan_close(&s->ch);
	s->ifindex = 0;
	dp->count.ppp_channels--;
	dp->count.ppp_close++;
}

static void dp_linux_sess_free(struct dp *dp, struct dp_linux_tun *t, struct dp_linux_sess *s)
{
	dp_linux_ppp_drop(dp, s);
	idmap_del(t->map, s->sid);
	LIST_REMOVE(s, link);
	t->nsessions--;
	free(s);
}

static void dp_linux_tun_free(struct dp *dp, struct dp_linux_tun *t)
{
	while (!LIST_EMPTY(&t->sessions))
		dp_linux_sess_free(dp, t, LIST_FIRST(&t->sessions));
	idmap_destroy(t->map);
	free(t);
}

/* ---- probe and life cycle ------------------------------------------------- */

int dp_linux_probe(char *why, size_t whysz)
{
	struct nl_l2tp_tunnel *tv = NULL;
	struct nl_l2tp *nl;
	char err[160] = "";
	uint16_t family;
	size_t n = 0;
	int rc, fd;

	rc = nl_l2tp_open(&nl, err, sizeof(err));
	if (rc < 0) {
		snprintf(why, whysz, "%s%s", err,
			 rc == -ENOENT ? " (kernel without l2tp_netlink)" : "");
		return rc == -ENOENT ? -EPROTONOSUPPORT : rc;
	}
	family = nl->fam.id;
	/* Every l2tp command needs CAP_NET_ADMIN, a listing included. */
	rc = nl_l2tp_tunnel_dump(nl, &tv, &n);
	free(tv);
	nl_l2tp_close(nl);
	if (rc < 0) {
		snprintf(why, whysz, "listing kernel L2TP tunnels: %s%s", strerror(-rc),
			 rc == -EPERM ? " (CAP_NET_ADMIN needed)" : "");
		return rc;
	}
	fd = socket(AF_PPPOX, SOCK_DGRAM | SOCK_CLOEXEC, PX_PROTO_OL2TP);
	if (fd < 0) {
		rc = -errno;
		snprintf(why, whysz, "PPPoL2TP socket: %s (kernel without l2tp_ppp)",
			 strerror(-rc));
		return rc;
	}
	close(fd);
	fd = open("/dev/ppp", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(why, whysz, "/dev/ppp: %s (kernel without ppp_generic, or no device node)",
			 strerror(-rc));
		return rc;
	}
	close(fd);
	snprintf(why, whysz, "genl l2tp family %u, PPPoL2TP sockets and /dev/ppp available",
		 family);
	return 0;
}

static void dp_linux_destroy(struct dp *dp)
{
	struct dp_linux *l = dp_linux_of(dp);
	size_t i;

	if (l == NULL)
		return;
	/* Kernel tunnels go with their UDP sockets, which the daemon closes. */
	for (i = 0; i < 65536; i++)
		if (l->tunnels[i])
			dp_linux_tun_free(dp, l->tunnels[i]);
	dp_linux_pppoe_destroy(dp);
	dp_linux_adopt_end(dp);
	rtnl_ctx_close(l->rt);
	nl_l2tp_sock_close(l->route);
	nl_l2tp_close(l->nl);
	free(l);
	dp->priv = NULL;
}

static int dp_linux_init(struct dp *dp, char *err, size_t errsz)
{
	struct dp_linux *l;
	int rc;

	l = calloc(1, sizeof(*l));
	if (l == NULL) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	dp->priv = l;
	l->pppoe = idmap_create();
	if (l->pppoe == NULL) {
		snprintf(err, errsz, "out of memory");
		rc = -ENOMEM;
		goto fail;
	}
	rc = nl_l2tp_open(&l->nl, err, errsz);
	if (rc < 0)
		goto fail;
	rc = nl_l2tp_sock_open(NETLINK_ROUTE, &l->route);
	if (rc < 0) {
		snprintf(err, errsz, "rtnetlink socket: %s", strerror(-rc));
		goto fail;
	}
	rc = rtnl_ctx_open(&l->rt, err, errsz);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	dp_linux_destroy(dp);
	return rc;
}

/* ---- tunnels and sessions ------------------------------------------------------ */

static int dp_linux_tunnel_create(struct dp *dp, const struct dp_tunnel_params *p)
{
	struct dp_linux *l = dp_linux_of(dp);
	struct nl_l2tp_tunnel_cfg c = {
		.conn_id = p->tunnel_id, .peer_conn_id = p->peer_tunnel_id, .fd = p->fd,
	};
	struct dp_linux_tun *t;
	char err[160];
	int rc;

	if (p->tunnel_id == 0 || l->tunnels[p->tunnel_id] != NULL)
		return dp_linux_fail(dp, p->tunnel_id ? -EEXIST : -EINVAL, "tunnel create",
				     p->tunnel_id, 0, "exists or reserved");
	t = calloc(1, sizeof(*t));
	if (t == NULL || (t->map = idmap_create()) == NULL) {
		free(t);
		return -ENOMEM;
	}
	LIST_INIT(&t->sessions);
	if (dp_linux_kernel_has(dp, p->tunnel_id, 0)) {
		/* The process before's (its socket was handed over). */
		t->adopted = 1;
		dp->adopt.count.tunnels++;
		rc = 0;
	} else {
		rc = nl_l2tp_tunnel_create(l->nl, &c, err, sizeof(err));
	}
	if (rc < 0) {
		idmap_destroy(t->map);
		free(t);
		return dp_linux_fail(dp, rc, "kernel", p->tunnel_id, 0, err);
	}
	l->tunnels[p->tunnel_id] = t;
	dp->count.tunnel_create++;
	dp->count.tunnels++;
	return 0;
}

static int dp_linux_tunnel_delete(struct dp *dp, uint16_t tid)
{
	struct dp_linux *l = dp_linux_of(dp);
	struct dp_linux_tun *t = l->tunnels[tid];
	int forget = t != NULL && t->adopted && dp_adopting(dp);
	char err[160];
	int rc;

	if (t != NULL) {
		dp->count.sessions -= t->nsessions;
		dp_linux_tun_free(dp, t);	/* PPP plumbing first */
		l->tunnels[tid] = NULL;
		dp->count.tunnel_delete++;
		dp->count.tunnels--;
	}
	if (forget)
		return 0;	/* the process before's still: it goes with its socket */
	rc = nl_l2tp_tunnel_delete(l->nl, tid, err, sizeof(err));
	if (rc < 0)
		return dp_linux_fail(dp, rc, "kernel tunnel delete", tid, 0, err);
	return 0;
}

static void dp_linux_session_cfg(const struct dp_session_params *p, struct nl_l2tp_session_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->conn_id = p->tunnel_id;
	c->session_id = p->session_id;
	c->peer_session_id = p->peer_session_id;
	c->recv_seq = p->recv_seq != 0;
	c->send_seq = p->send_seq != 0;
	c->lns_mode = p->lns_mode != 0;
	c->recv_timeout_ms = p->reorder_timeout_ms;
}

static int dp_linux_session_create(struct dp *dp, const struct dp_session_params *p)
{
	struct dp_linux *l = dp_linux_of(dp);
	struct nl_l2tp_session_cfg c;
	struct dp_linux_tun *t = l->tunnels[p->tunnel_id];
	struct dp_linux_sess *s;
	char err[160];
	int rc;

	if (t == NULL)
		return dp_linux_fail(dp, -ENOENT, "session create", p->tunnel_id, p->session_id,
				     "no such tunnel");
	if (idmap_get(t->map, p->session_id) != NULL || p->session_id == 0)
		return dp_linux_fail(dp, p->session_id ? -EEXIST : -EINVAL, "session create",
				     p->tunnel_id, p->session_id, "exists or reserved");
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	s->tid = p->tunnel_id;
	s->sid = p->session_id;
	ppp_chan_init(&s->ch);
	rc = idmap_put(t->map, s->sid, s);
	if (rc < 0) {
		free(s);
		return rc;
	}
	dp_linux_session_cfg(p, &c);
	if (dp_linux_kernel_has(dp, p->tunnel_id, p->session_id)) {
		s->adopted = 1;
		dp->adopt.count.sessions++;
		rc = 0;
	} else {
		rc = nl_l2tp_session_create(l->nl, &c, err, sizeof(err));
	}
	if (rc < 0) {
		idmap_del(t->map, s->sid);
		free(s);
		return dp_linux_fail(dp, rc, "kernel session create", p->tunnel_id,
				     p->session_id, err);
	}
	LIST_INSERT_HEAD(&t->sessions, s, link);
	t->nsessions++;
	dp->count.session_create++;
	dp->count.sessions++;
	return 0;
}

static int dp_linux_session_delete(struct dp *dp, uint16_t tid, uint16_t sid)
{
	struct dp_linux *l = dp_linux_of(dp);
	struct dp_linux_sess *s = dp_linux_sess(dp, tid, sid);
	int had_ppp = 0, forget = s != NULL && s->adopted && dp_adopting(dp), rc;
	char err[160];

	if (s != NULL) {
		had_ppp = s->ch.pppox_fd >= 0 || s->pppox_closed;
		dp_linux_sess_free(dp, l->tunnels[tid], s);
		dp->count.session_delete++;
		dp->count.sessions--;
	}
	if (forget)
		return 0;	/* the process before's still */
	rc = nl_l2tp_session_delete(l->nl, tid, sid, err, sizeof(err));
	/* Closing the PPPoL2TP socket may have deleted it already (genl
	 * l2tp answers ENODEV for a session it does not have). */
	if ((rc == -ENOENT || rc == -ENODEV) && had_ppp)
		rc = 0;
	if (rc < 0)
		return dp_linux_fail(dp, rc, "kernel session delete", tid, sid, err);
	return 0;
}

static void dp_linux_stats(const struct nl_l2tp_stats *k, struct dp_stats *st)
{
	st->tx_packets = k->tx_packets;
	st->tx_bytes = k->tx_bytes;
	st->tx_errors = k->tx_errors;
	st->rx_packets = k->rx_packets;
	st->rx_bytes = k->rx_bytes;
	st->rx_errors = k->rx_errors;
	st->rx_seq_discards = k->rx_seq_discards;
	st->rx_oos_packets = k->rx_oos_packets;
}

static int dp_linux_session_stats(struct dp *dp, uint16_t tid, uint16_t sid, struct dp_stats *st)
{
	struct nl_l2tp_session ks;
	int rc = nl_l2tp_session_get(dp_linux_of(dp)->nl, tid, sid, &ks);

	if (rc < 0) {
		dp_set_err(dp, "session %u/%u: kernel stats: %s", tid, sid, strerror(-rc));
		return rc;
	}
	dp_linux_stats(&ks.stats, st);
	return 0;
}

static int dp_linux_session_modify(struct dp *dp, const struct dp_session_params *p)
{
	struct nl_l2tp_session_cfg c;
	char err[160];
	int rc;

	dp_linux_session_cfg(p, &c);
	rc = nl_l2tp_session_modify(dp_linux_of(dp)->nl, &c, err, sizeof(err));
	if (rc < 0)
		return dp_linux_fail(dp, rc, "kernel session modify", p->tunnel_id, p->session_id,
				     err);
	return 0;
}

/* ---- PPP ---------------------------------------------------------------------- */

static int dp_linux_ppp_open(struct dp *dp, const struct dp_ppp_params *p, struct dp_ppp *out)
{
	struct dp_linux_sess *s = dp_linux_sess(dp, p->tunnel_id, p->session_id);
	struct ppp_chan_addr a = {
		.tunnel_id = p->tunnel_id, .session_id = p->session_id,
		.peer_tunnel_id = p->peer_tunnel_id, .peer_session_id = p->peer_session_id,
		.peer_addr = p->peer_addr, .peer_port = p->peer_port,
	};
	char err[160];
	int rc;

	if (s == NULL)
		return dp_linux_fail(dp, -ENOENT, "PPP channel", p->tunnel_id, p->session_id,
				     "no such session");
	if (s->ch.pppox_fd >= 0)
		return dp_linux_fail(dp, -EBUSY, "PPP channel", p->tunnel_id, p->session_id,
				     "already open");
	rc = s->adopted ? dp_linux_adopt_chan(dp, s, err, sizeof(err)) : 0;
	if (rc == 0)
		rc = ppp_chan_open(&s->ch, &a, err, sizeof(err));
	if (rc < 0)
		return dp_linux_fail(dp, rc, "PPP channel", p->tunnel_id, p->session_id, err);
	out->chan_fd = s->ch.chan_fd;
	dp->count.ppp_open++;
	dp->count.ppp_channels++;
	return 0;
}

static int dp_linux_ppp_socket_open(struct dp *dp, const struct dp_ppp_params *p)
{
	struct dp_linux_sess *s = dp_linux_sess(dp, p->tunnel_id, p->session_id);
	struct ppp_chan_addr a = {
		.tunnel_id = p->tunnel_id, .session_id = p->session_id,
		.peer_tunnel_id = p->peer_tunnel_id, .peer_session_id = p->peer_session_id,
		.peer_addr = p->peer_addr, .peer_port = p->peer_port,
	};
	char err[160];
	int fd;

	if (s == NULL)
		return dp_linux_fail(dp, -ENOENT, "PPPoL2TP socket", p->tunnel_id, p->session_id,
				     "no such session");
	fd = ppp_chan_socket_open(&a, err, sizeof(err));
	if (fd < 0)
		return dp_linux_fail(dp, fd, "PPPoL2TP socket", p->tunnel_id, p->session_id, err);
	return fd;
}

static int dp_linux_ppp_unit_open(struct dp *dp, uint16_t tid, uint16_t sid, const char *ifname,
				  struct dp_ppp *out)
{
	struct dp_linux *l = dp_linux_of(dp);
	struct dp_linux_sess *s = dp_linux_sess(dp, tid, sid);
	char err[160];
	int rc;

	if (s == NULL || s->ch.chan_fd < 0)
		return dp_linux_fail(dp, s ? -ENOTCONN : -ENOENT, "PPP unit", tid, sid,
				     s ? "no PPP channel" : "no such session");
	if (s->ch.unit_fd >= 0)
		return dp_linux_fail(dp, -EBUSY, "PPP unit", tid, sid, "already open");
	rc = s->adopted ? dp_linux_adopt_unit(dp, s, ifname, err, sizeof(err)) : 0;
	if (rc < 0)
		return dp_linux_fail(dp, rc, "PPP unit", tid, sid, err);
	if (rc == 0) {
		rc = ppp_chan_unit_open(&s->ch, ifname, l->route, err, sizeof(err));
		if (rc < 0)
			return dp_linux_fail(dp, rc, "PPP unit", tid, sid, err);
		rc = ppp_chan_ifindex(s->ch.ifname, err, sizeof(err));
		if (rc < 0) {
			ppp_chan_unit_close(&s->ch);
			return dp_linux_fail(dp, rc, "PPP unit", tid, sid, err);
		}
		s->ifindex = rc;
	}
	out->chan_fd = s->ch.chan_fd;
	out->unit_fd = s->ch.unit_fd;
	out->unit = s->ch.unit;
	out->ifindex = s->ifindex;
	snprintf(out->ifname, sizeof(out->ifname), "%s", s->ch.ifname);
	dp->count.ppp_unit_open++;
	dp->count.ppp_units++;
	return 0;
}

static struct dp_linux_sess *dp_linux_unit(struct dp *dp, uint16_t tid, uint16_t sid,
					   const char *what, int *rc)
{
	struct dp_linux_sess *s = dp_linux_sess(dp, tid, sid);

	*rc = 0;
	if (s == NULL)
		*rc = dp_linux_fail(dp, -ENOENT, what, tid, sid, "no such session");
	else if (s->ch.unit_fd < 0)
		*rc = dp_linux_fail(dp, -ENOTCONN, what, tid, sid, "no PPP unit");
	return *rc ? NULL : s;
}

/* `ip tcp adjust-mss`: the interface in its value's group (nft_mss.h). */
static int dp_linux_mss_group(struct dp *dp, int ifindex, unsigned mss, char *err,
			      size_t errsz)
{
	uint32_t group = nft_mss_group(mss);
	int rc;

	if (group == 0) {
		snprintf(err, errsz, "adjust-mss %u out of range %u-%u", mss, NFT_MSS_MIN,
			 NFT_MSS_MAX);
		return -EINVAL;
	}
	rc = rtnl_ctx_set_group(dp_linux_of(dp)->rt, ifindex, NULL, group, err, errsz);
	if (rc == 0)
		dp->count.mss_links++;
	return rc;
}

/* The table of clamp rules, replaced whole (nft_mss.h). */
static int dp_linux_mss_clamp(struct dp *dp, const uint16_t *mss, size_t n)
{
	char err[200];
	int rc = nft_mss_set(mss, n, err, sizeof(err));

	if (rc < 0)
		dp_set_err(dp, "MSS clamp table inet %s: %s", NFT_MSS_TABLE, err);
	return rc;
}

int dp_linux_link_configure(struct dp *dp, const struct ppp_chan *ch, int ifindex,
			    const struct dp_ppp_config *c, char *err, size_t errsz)
{
	struct dp_linux *l = dp_linux_of(dp);
	int rc;

	if (c->mru) {
		rc = ppp_chan_set_mru(ch, (int)c->mru);
		if (rc < 0) {
			snprintf(err, errsz, "PPPIOCSMRU: %s", strerror(-rc));
			return rc;
		}
	}
	if (c->mtu) {
		rc = ppp_chan_link_set(l->route, ifindex, c->mtu, -1, err, errsz);
		if (rc < 0)
			return rc;
	}
	if (c->local) {
		rc = ppp_chan_addr4_add(l->route, ifindex, c->local, c->peer, err, errsz);
		if (rc < 0 && rc != -EEXIST)	/* a rebuild may find it there */
			return rc;
	}
	if (c->up) {
		rc = ppp_chan_link_set(l->route, ifindex, 0, c->up > 0, err, errsz);
		if (rc < 0)
			return rc;
	}
	if (c->mss)	/* last: a failure leaves the interface working, unclamped */
		return dp_linux_mss_group(dp, ifindex, c->mss, err, errsz);
	return 0;
}

static int dp_linux_ppp_configure(struct dp *dp, uint16_t tid, uint16_t sid,
				  const struct dp_ppp_config *c)
{
	struct dp_linux_sess *s;
	char err[160] = "";
	int rc;

	s = dp_linux_unit(dp, tid, sid, "PPP configure", &rc);
	if (s == NULL)
		return rc;
	rc = dp_linux_link_configure(dp, &s->ch, s->ifindex, c, err, sizeof(err));
	if (rc < 0)
		return dp_linux_fail(dp, rc, "PPP configure", tid, sid, err);
	return 0;
}

static int dp_linux_route(struct dp *dp, int add, uint16_t tid, uint16_t sid, uint32_t dst,
			  unsigned int plen)
{
	struct dp_linux *l = dp_linux_of(dp);
	struct dp_linux_sess *s;
	char err[160];
	int rc;

	s = dp_linux_unit(dp, tid, sid, "route", &rc);
	if (s == NULL)
		return rc;
	rc = add ? rtnl_ctx_route4_add(l->rt, s->ifindex, dst, plen, err, sizeof(err)) :
		rtnl_ctx_route4_del(l->rt, s->ifindex, dst, plen, err, sizeof(err));
	if (rc == -EEXIST && add && s->adopted)
		rc = 0;		/* pppN kept it across the restart */
	if (rc < 0)
		return dp_linux_fail(dp, rc, "route", tid, sid, err);
	if (add) {
		s->nroutes++;
		dp->count.routes++;
	} else if (s->nroutes > 0) {
		s->nroutes--;
		dp->count.routes--;
	}
	return 0;
}

static int dp_linux_route_add(struct dp *dp, uint16_t tid, uint16_t sid, uint32_t dst,
			      unsigned int plen)
{
	return dp_linux_route(dp, 1, tid, sid, dst, plen);
}

static int dp_linux_route_del(struct dp *dp, uint16_t tid, uint16_t sid, uint32_t dst,
			      unsigned int plen)
{
	return dp_linux_route(dp, 0, tid, sid, dst, plen);
}

static int dp_linux_route6(struct dp *dp, int add, uint16_t tid, uint16_t sid,
			   const struct dp_route6 *r)
{
	struct dp_linux *l = dp_linux_of(dp);
	struct rtnl_route6 rt = { r->dst, r->plen, r->has_gw ? r->gw : NULL, r->metric };
	struct dp_linux_sess *s;
	char err[160];
	int rc;

	s = dp_linux_unit(dp, tid, sid, "IPv6 route", &rc);
	if (s == NULL)
		return rc;
	rc = add ? rtnl_ctx_route6_add(l->rt, s->ifindex, &rt, err, sizeof(err)) :
		rtnl_ctx_route6_del(l->rt, s->ifindex, &rt, err, sizeof(err));
	if (rc == -EEXIST && add && s->adopted)
		rc = 0;		/* pppN kept it across the restart */
	if (rc < 0)
		return dp_linux_fail(dp, rc, "IPv6 route", tid, sid, err);
	if (add) {
		s->nroutes++;
		dp->count.routes++;
	} else if (s->nroutes > 0) {
		s->nroutes--;
		dp->count.routes--;
	}
	return 0;
}

static int dp_linux_route6_add(struct dp *dp, uint16_t tid, uint16_t sid,
			       const struct dp_route6 *r)
{
	return dp_linux_route6(dp, 1, tid, sid, r);
}

static int dp_linux_route6_del(struct dp *dp, uint16_t tid, uint16_t sid,
			       const struct dp_route6 *r)
{
	return dp_linux_route6(dp, 0, tid, sid, r);
}

static int dp_linux_ppp_close(struct dp *dp, uint16_t tid, uint16_t sid)
{
	struct dp_linux_sess *s = dp_linux_sess(dp, tid, sid);

	if (s == NULL || s->ch.pppox_fd < 0) {
		dp_set_err(dp, "session %u/%u: no PPP open", tid, sid);
		return -ENOENT;
	}
	dp_linux_ppp_drop(dp, s);
	return 0;
}

/* ---- dumps -------------------------------------------------------------------- */

static int dp_linux_tunnel_dump(struct dp *dp, struct dp_tunnel_info **out, size_t *n)
{
	struct nl_l2tp_tunnel *kt = NULL;
	struct dp_tunnel_info *v = NULL;
	size_t kn = 0, i, k = 0;
	int rc;

	rc = nl_l2tp_tunnel_dump(dp_linux_of(dp)->nl, &kt, &kn);
	if (rc < 0) {
		dp_set_err(dp, "kernel tunnel dump: %s", strerror(-rc));
		return rc;
	}
	if (kn > 0 && (v = calloc(kn, sizeof(*v))) == NULL) {
		free(kt);
		return -ENOMEM;
	}
	for (i = 0; i < kn; i++) {
		if (kt[i].proto_version != 2 || kt[i].conn_id > 0xffff)
			continue;	/* not an L2TPv2 tunnel: not ours */
		v[k].tunnel_id = (uint16_t)kt[i].conn_id;
		v[k].peer_tunnel_id = (uint16_t)kt[i].peer_conn_id;
		v[k].local_addr = kt[i].ip_saddr;
		v[k].peer_addr = kt[i].ip_daddr;
		v[k].local_port = htons(kt[i].udp_sport);
		v[k].peer_port = htons(kt[i].udp_dport);
		dp_linux_stats(&kt[i].stats, &v[k].stats);
		k++;
	}
	free(kt);
	if (k == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	*n = k;
	return 0;
}

static int dp_linux_session_dump(struct dp *dp, uint16_t tid, struct dp_session_info **out,
				 size_t *n)
{
	struct nl_l2tp_session *ks = NULL;
	struct dp_session_info *v = NULL;
	struct dp_linux_sess *s;
	size_t kn = 0, i, k = 0;
	int rc;

	rc = nl_l2tp_session_dump(dp_linux_of(dp)->nl, &ks, &kn);
	if (rc < 0) {
		dp_set_err(dp, "kernel session dump: %s", strerror(-rc));
		return rc;
	}
	if (kn > 0 && (v = calloc(kn, sizeof(*v))) == NULL) {
		free(ks);
		return -ENOMEM;
	}
	for (i = 0; i < kn; i++) {
		if (ks[i].conn_id > 0xffff || ks[i].session_id > 0xffff ||
		    (tid && ks[i].conn_id != tid))
			continue;
		v[k].tunnel_id = (uint16_t)ks[i].conn_id;
		v[k].session_id = (uint16_t)ks[i].session_id;
		v[k].peer_tunnel_id = (uint16_t)ks[i].peer_conn_id;
		v[k].peer_session_id = (uint16_t)ks[i].peer_session_id;
		v[k].lns_mode = ks[i].lns_mode;
		v[k].send_seq = ks[i].send_seq;
		v[k].recv_seq = ks[i].recv_seq;
		v[k].reorder_timeout_ms = (uint32_t)ks[i].recv_timeout_ms;
		memcpy(v[k].ifname, ks[i].ifname, sizeof(v[k].ifname));
		s = dp_linux_sess(dp, v[k].tunnel_id, v[k].session_id);
		if (s != NULL) {
			/* The kernel names only Ethernet pseudowires. */
			v[k].ppp_open = s->ch.pppox_fd >= 0;
			if (s->ch.unit_fd >= 0)
				snprintf(v[k].ifname, sizeof(v[k].ifname), "%s", s->ch.ifname);
		}
		dp_linux_stats(&ks[i].stats, &v[k].stats);
		k++;
	}
	free(ks);
	if (k == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	*n = k;
	return 0;
}

const struct dp_ops dp_linux_ops = {
	.name = "linux",
	.caps = DP_CAP_KERNEL | DP_CAP_PPPD | DP_CAP_BRIDGE,
	.tunnel_create = dp_linux_tunnel_create,
	.tunnel_delete = dp_linux_tunnel_delete,
	.session_create = dp_linux_session_create,
	.session_delete = dp_linux_session_delete,
	.session_stats = dp_linux_session_stats,
	.destroy = dp_linux_destroy,
	.init = dp_linux_init,
	.session_modify = dp_linux_session_modify,
	.ppp_open = dp_linux_ppp_open,
	.ppp_unit_open = dp_linux_ppp_unit_open,
	.ppp_configure = dp_linux_ppp_configure,
	.mss_clamp = dp_linux_mss_clamp,
	.route_add = dp_linux_route_add,
	.route_del = dp_linux_route_del,
	.route6_add = dp_linux_route6_add,
	.route6_del = dp_linux_route6_del,
	.ppp_close = dp_linux_ppp_close,
	.tunnel_dump = dp_linux_tunnel_dump,
	.session_dump = dp_linux_session_dump,
	.ppp_socket_open = dp_linux_ppp_socket_open,
	.pppoe_open = dp_linux_pppoe_open,
	.pppoe_bridge = dp_linux_pppoe_bridge,
	.pppoe_close = dp_linux_pppoe_close,
	.pppoe_unit_open = dp_linux_pppoe_unit_open,
	.pppoe_configure = dp_linux_pppoe_configure,
	.held_list = dp_linux_held_list,
	.adopt_begin = dp_linux_adopt_begin,
	.adopt_end = dp_linux_adopt_end,
};
