/*
 * The PPP link of an L2TP session (see l2tp_ppp.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common/util.h"
#include "l2tpd.h"
#include "core/ippool.h"
#include "l2tp/mss.h"
#include "l2tp/observer.h"
#include "l2tp/ppp.h"
#include "l2tp/ppp_int.h"
#include "l2tp/relay.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"


static struct l2tpd *link_d(const struct l2tp_ppp_link *pl)
{
	return pl->s->t->d;
}

/* "session T/S: " into out (size >= 32), by hand: snprintf cost more than
 * the rest of the link's creation. */
static void link_prefix(char *out, size_t size, unsigned tid, unsigned sid)
{
	static const char head[] = "session ";
	char num[2][12];
	unsigned v[2] = { tid, sid };
	size_t n = sizeof head - 1, k[2];

	for (int i = 0; i < 2; i++) {
		char *e = num[i] + sizeof num[i];

		do {
			*--e = (char)('0' + v[i] % 10);
			v[i] /= 10;
		} while (v[i] != 0);
		k[i] = (size_t)(num[i] + sizeof num[i] - e);
		memmove(num[i], e, k[i]);
	}
	if (size < n + k[0] + 1 + k[1] + 3) {
		out[0] = '\0';
		return;
	}
	memcpy(out, head, n);
	memcpy(out + n, num[0], k[0]);
	n += k[0];
	out[n++] = '/';
	memcpy(out + n, num[1], k[1]);
	n += k[1];
	memcpy(out + n, ": ", 3);
}

/* --- frames out ----------------------------------------------------------- */

/* Null data path: an L2TP data message (§3.1: T=0, no Length, no sequence
 * numbers) holding FF 03, the protocol and the payload (RFC 1662 framing
 * as pppd and the kernel send it). */
static void link_send_data_msg(struct l2tp_ppp_link *pl, uint16_t proto, const uint8_t *buf,
			       size_t len)
{
	struct l2tp_session *s = pl->s;
	uint8_t pkt[L2TP_MAX_MSG_LEN];
	int rc;

	if (len + 10 > sizeof(pkt))
		return;
	pkt[0] = 0x00;
	pkt[1] = L2TP_VERSION;
	pkt[2] = (uint8_t)(s->t->peer_tid >> 8);
	pkt[3] = (uint8_t)s->t->peer_tid;
	pkt[4] = (uint8_t)(s->peer_sid >> 8);
	pkt[5] = (uint8_t)s->peer_sid;
	pkt[6] = 0xff;
	pkt[7] = 0x03;
	pkt[8] = (uint8_t)(proto >> 8);
	pkt[9] = (uint8_t)proto;
	memcpy(pkt + 10, buf, len);
	rc = s->t->d->xmit(s->t, pkt, len + 10);
	if (rc < 0)
		s->t->d->stats.tx_errors++;
	if (rc != 0)
		return;		/* an error, or withheld: a daemon that may not act */
	/* The accounting counters of the null data path (the kernel's
	 * otherwise): PPP frames, protocol field included. */
	s->up_tx_packets++;
	s->up_tx_octets += len + 2;
}

void l2tp_ppp_output(void *arg, uint16_t proto, const uint8_t *buf, size_t len)
{
	struct l2tp_ppp_link *pl = arg;

	if (pl->dpp.chan_fd >= 0) {
		int rc = dp_ppp_write(&pl->dpp, proto, buf, len);

		if (rc < 0)
			session_debug(pl->s, LOG_DBG_ERROR, "PPP frame 0x%04x not sent: %s", proto,
				      strerror(-rc));
		return;
	}
	link_send_data_msg(pl, proto, buf, len);
}

/* --- authentication and addresses (AAA: d->auth_ops) -------------------------- */

static void link_release_address(struct l2tp_ppp_link *pl)
{
	struct l2tp_session *s = pl->s;

	if (s->pool[0] != '\0' && s->peer_ip.s_addr != 0)
		ippool_free(link_d(pl)->pools, s->pool, s->peer_ip);
	s->pool[0] = '\0';
}

void l2tp_ppp_set_auth(struct l2tpd *d, const struct l2tp_ppp_auth_ops *ops, void *arg)
{
	d->auth_ops = ops;
	d->auth_arg = arg;
}

/* The verdict comes from AAA through ppp_auth_done(), now or later. */
static void link_auth_request(void *arg, const struct ppp_auth_req *req)
{
	struct l2tp_ppp_link *pl = arg;
	struct l2tpd *d = link_d(pl);

	if (d->auth_ops == NULL) {
		d->stats.ppp_auth_failures++;
		ppp_auth_done(pl->s->ppp, 0, "No authentication configured", NULL);
		return;
	}
	d->auth_ops->request(d->auth_arg, pl->s, req);
}

/* --- the interface ----------------------------------------------------------- */

/* IPCP or IPv6CP is open: the unit gets its MRU, MTU (RADIUS's Framed-MTU,
 * else the template's), the IPv4 addresses once IPCP is open, and goes up.
 * Up before the link's IPv6 routes are added: the kernel refuses a route
 * through an interface that is down (ENETDOWN, "Nexthop device is not
 * up"), and IPv6CP may open first. */
static void link_unit_up(struct l2tp_ppp_link *pl, const struct ppp_state *st)
{
	struct l2tp_session *s = pl->s;
	struct dp_ppp_config c = {
		.mru = st->mru,
		.mtu = s->framed_mtu ? s->framed_mtu : pl->vt ? pl->vt->mtu : 0,
		.local = st->ipcp_open ? st->local_addr.s_addr : 0,
		.peer = st->ipcp_open ? st->peer_addr.s_addr : 0,
		.up = 1,
	};
	int rc;

	if (!pl->dp_open || pl->dpp.unit_fd < 0)
		return;
	rc = dp_ppp_configure(link_d(pl)->dp, s->t->tid, s->sid, &c);
	if (rc < 0)
		session_log(s, LOG_ERR, "cannot configure %s: %s", pl->dpp.ifname,
			    link_d(pl)->dp->err);
}

/*
 * The one line at info of a PPP link set up: who, which addresses, on
 * which interface, how authenticated, the MRUs.  The layers' own lines
 * (LCP and IPCP opened, the user checked and authenticated) are debug
 * lines of `debug l2tp event`:
 * a busy LNS set up thousands of links a second, and formatting nine
 * lines each cost more than the link's packets.
 */
static void link_log_up(const struct l2tp_session *s, const struct l2tp_ppp_link *pl,
			const struct ppp_state *st)
{
	char local[LOG_IPV4_LEN], peer[LOG_IPV4_LEN];

	if (!log_on(&s->t->d->log, LOG_INFO))
		return;
	session_log(s, LOG_INFO, "PPP up: user \"%s\" local %s peer %s%s%s, %s, MRU %u/%u",
		    s->user[0] ? s->user : "-", log_ipv4(st->local_addr.s_addr, local),
		    log_ipv4(st->peer_addr.s_addr, peer), pl->dpp.ifname[0] ? " on " : "",
		    pl->dpp.ifname, ppp_auth_method_string(st->auth), st->mru, st->peer_mru);
}

static void link_up(void *arg, uint16_t proto, const struct ppp_state *st)
{
	struct l2tp_ppp_link *pl = arg;
	struct l2tp_session *s = pl->s;
	struct l2tpd *d = link_d(pl);

	if (proto == PPP_PROTO_IPV6CP && s->lns) {
		link_unit_up(pl, st);
		l2tp_ppp_ipv6_up(pl, st);	/* RAs, DHCPv6 (l2tp/ppp_ipv6.c) */
	} else if (proto == PPP_PROTO_IPV6CP)
		l2tp_ppp_ipv6_lac_up(pl, st);	/* RS, DHCPv6 client (l2tp/ppp_ipv6_lac.c) */
	if (proto != PPP_PROTO_IPCP)
		return;
	s->local_ip = st->local_addr;
	if (s->lns)
		s->peer_ip = st->peer_addr;
	else
		s->peer_ip = st->local_addr;	/* a test subscriber's own address */
	link_unit_up(pl, st);
	if (!s->ppp_up) {
		s->ppp_up = 1;
		s->ppp_up_ms = clock_now(&d->clk);
		d->stats.ppp_up++;
		l2tp_observer_ppp_up(s);	/* AAA: Framed-Routes, Accounting-Start */
		if (!clock_timer_pending(&d->heap_trim))
			clock_timer_start(&d->clk, &d->heap_trim, L2TP_PPP_HEAP_TRIM_MS);
	}
	l2tp_session_changed(s);
	link_log_up(s, pl, st);
}

void l2tp_ppp_heap_trim_cb(struct l2tp_timer *t, void *arg)
{
	struct l2tpd *d = arg;

	(void)t;
	malloc_trim(0);
	d->heap_trims++;
}

static void link_down_cb(struct l2tp_timer *tm, void *arg)
{
	struct l2tp_ppp_link *pl = arg;
	char why[160];

	snprintf(why, sizeof(why), "PPP: %s",
		 pl->down_reason != NULL ? pl->down_reason : "down (out of memory for why)");
	/* Clearing the session stops this link (l2tp_ppp_stop). */
	l2tp_session_clear(pl->s, L2TP_CDN_ADMIN, -1, why);
}

static void link_down(void *arg, const char *reason)
{
	struct l2tp_ppp_link *pl = arg;

	if (pl->down)
		return;
	pl->down = 1;
	reason = reason ? reason : "link down";
	pl->down_reason = strndup(reason, 127);
	session_log(pl->s, LOG_NOTICE, "PPP down: %.127s", reason);
	l2tp_ppp_down_cause(pl->s, reason, pl->proxied);
	/* PPP is on the stack: clear the session from the next timer run. */
	clock_timer_start(&link_d(pl)->clk, &pl->down_timer, 0);
}

static int link_open_dp(struct l2tp_ppp_link *pl, const char *ifname);
static void link_arm_timeouts(struct l2tp_ppp_link *pl);

static const struct ppp_ops link_ops = {
	.output = l2tp_ppp_output,
	.ipv6_input = l2tp_ppp_ipv6_input,
	.auth_request = link_auth_request,
	.up = link_up,
	.down = link_down,
};

/* --- frames in ------------------------------------------------------------- */

static void link_fd_read(struct l2tp_ppp_link *pl, int fd)
{
	uint8_t buf[L2TP_MAX_MSG_LEN];
	unsigned i;

	/* Each fd queues only a few frames (kernel-api.md): drain it. */
	for (i = 0; i < 64 && !pl->down; i++) {
		uint16_t proto;
		ssize_t n = dp_ppp_read(fd, &proto, buf + 2, sizeof(buf) - 2);

		if (n < 0) {
			if (n == -EPIPE)
				link_down(pl, "PPP channel closed by the kernel");
			return;
		}
		buf[0] = (uint8_t)(proto >> 8);
		buf[1] = (uint8_t)proto;
		pl->rx_frames_seen++;
		ppp_input(pl->s->ppp, buf, (size_t)n + 2);
	}
}

static void link_chan_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	link_fd_read(w->data, w->fd);
}

/*
 * Frames that come before their call is connected.  RFC 2661 orders
 * nothing between data and control messages, and a LAC starts PPP once it
 * has sent its ICCN (OCCN): when that ICCN waits in the LAC's send window,
 * or is lost and retransmitted, the subscriber's first Configure-Request
 * arrives while the call still waits for it (WAIT_CONNECT).  Dropping it
 * would cost the subscriber the RFC 1661 Restart timer (3 s); it is held
 * instead, a few frames per call, and handed to PPP when the call comes up.
 */
#define LINK_EARLY_MAX	4

struct l2tp_ppp_early {
	struct l2tp_ppp_early *next;
	size_t len;
	uint8_t buf[];
};

static int link_early_hold(struct l2tp_session *s, const uint8_t *frame, size_t len)
{
	struct l2tp_ppp_early *e, **pp = &s->early;
	unsigned n = 0;

	while (*pp != NULL) {
		pp = &(*pp)->next;
		n++;
	}
	if (n >= LINK_EARLY_MAX)
		return -ENOBUFS;
	e = malloc(sizeof(*e) + len);
	if (e == NULL)
		return -ENOMEM;
	e->next = NULL;
	e->len = len;
	memcpy(e->buf, frame, len);
	*pp = e;
	return 0;
}

/* The held frames go to PPP, in order (dropped if the call runs none). */
static void link_early_release(struct l2tp_session *s)
{
	struct l2tp_ppp_early *e;

	while ((e = s->early) != NULL) {
		s->early = e->next;
		l2tp_ppp_data_input(s, e->buf, e->len);
		free(e);
	}
}

static void link_early_free(struct l2tp_session *s)
{
	struct l2tp_ppp_early *e;

	while ((e = s->early) != NULL) {
		s->early = e->next;
		free(e);
	}
}

void l2tp_ppp_data_input(struct l2tp_session *s, const uint8_t *frame, size_t len)
{
	struct l2tpd *d = s->t->d;

	if (l2tp_relay_input(s, frame, len))
		return;
	if (s->ppp == NULL || s->ppp_link == NULL) {
		if (s->state == L2TP_SESSION_WAIT_CONNECT && link_early_hold(s, frame, len) == 0) {
			d->stats.rx_data_early++;
			session_debug(s, LOG_DBG_EVENT, "PPP frame before the call connected: held");
			return;
		}
		d->stats.rx_data_no_ppp++;
		return;
	}
	s->ppp_link->rx_frames_seen++;
	s->up_rx_packets++;
	s->up_rx_octets += len >= 2 && frame[0] == 0xff && frame[1] == 0x03 ? len - 2 : len;
	ppp_input(s->ppp, frame, len);
}

/* --- timeouts --------------------------------------------------------------- */

/* In effect: RADIUS's (Session-Timeout, Idle-Timeout, CoA), else the
 * Virtual-Template's `ppp timeout absolute|idle`.  s. */
static unsigned link_abs_timeout(const struct l2tp_session *s, const struct config_vtemplate *vt)
{
	return s->session_timeout ? s->session_timeout : vt != NULL ? vt->absolute_timeout : 0;
}

static unsigned link_idle_timeout(const struct l2tp_session *s, const struct config_vtemplate *vt)
{
	return s->idle_timeout ? s->idle_timeout : vt != NULL ? vt->idle_timeout : 0;
}

static void link_session_timer(struct l2tp_timer *tm, void *arg)
{
	struct l2tp_session *s = arg;
	struct l2tp_ppp_link *pl = s->ppp_link;
	uint64_t now = clock_now(&s->t->d->clk);
	unsigned abs_to = link_abs_timeout(s, pl->vt), idle_to = link_idle_timeout(s, pl->vt);

	if (abs_to && now - s->established_ms >= (uint64_t)abs_to * 1000) {
		session_log(s, LOG_NOTICE, "absolute timeout (%u s)", abs_to);
		l2tp_session_cause(s, L2TP_TC_SESSION_TIMEOUT);
		ppp_close(s->ppp, "absolute timeout");
		return;
	}
	if (idle_to && now >= pl->idle_next_ms) {
		/* Subscriber traffic only: IP frames reaching us under the null
		 * data path, the kernel session's packets otherwise (which
		 * include LCP echoes: a kept-alive session is not idle there). */
		struct ppp_stats ps;
		struct dp_stats st;
		uint64_t seen;

		ppp_get_stats(s->ppp, &ps);
		seen = ps.rx_data_dropped;
		if (dp_session_stats(s->t->d->dp, s->t->tid, s->sid, &st) == 0)
			seen += st.rx_packets + st.tx_packets;
		if (seen == s->idle_mark) {
			session_log(s, LOG_NOTICE, "idle timeout (%u s)", idle_to);
			l2tp_session_cause(s, L2TP_TC_IDLE_TIMEOUT);
			ppp_close(s->ppp, "idle timeout");
			return;
		}
		s->idle_mark = seen;
		pl->idle_next_ms = now + (uint64_t)idle_to * 1000;
	}
	link_arm_timeouts(pl);
}

/* --- lifecycle ----------------------------------------------------------------- */

static void link_config(struct l2tp_session *s, const struct config_vtemplate *vt,
			struct ppp_config *c)
{
	const struct l2tpd *d = s->t->d;
	unsigned i;

	ppp_config_init(c);
	if (s->lns) {
		c->role = PPP_ROLE_AUTHENTICATOR;
		for (i = 0; i < vt->n_auth && i < PPP_AUTH_METHODS_MAX; i++)
			c->auth[c->n_auth++] = vt->auth[i] == CONFIG_AUTH_PAP ? PPP_AUTH_PAP :
					       vt->auth[i] == CONFIG_AUTH_CHAP ? PPP_AUTH_CHAP_MD5 :
					       PPP_AUTH_MSCHAPV2;
		c->local_addr = vt->local_addr;
		c->dns[0] = vt->dns[0];
		c->dns[1] = vt->dns[1];
		c->mru = (uint16_t)vt->mtu;
		c->echo_interval = vt->keepalive;
		c->echo_failures = vt->keepalive_retries;
		c->ipv6 = vt->ipv6;
	} else {
		c->role = PPP_ROLE_PEER;
		c->auth[0] = PPP_AUTH_PAP;
		c->auth[1] = PPP_AUTH_CHAP_MD5;
		c->auth[2] = PPP_AUTH_MSCHAPV2;
		c->n_auth = 3;
		str_copy(c->user, sizeof(c->user), s->user);
		str_copy(c->password, sizeof(c->password), l2tp_session_rare_get(s)->password);
		c->echo_interval = 0;	/* the LNS probes; a test subscriber answers */
		c->ipv6 = s->t->grp != NULL && s->t->grp->subscriber_ipv6;
	}
	str_copy(c->hostname, sizeof(c->hostname), d->cfg.hostname[0] ? d->cfg.hostname : "l2tpd");
	c->rand = &s->t->d->rand;
	c->totals = &s->t->d->ppp_totals;
}

static int link_start(struct l2tp_session *s);

int l2tp_ppp_start(struct l2tp_session *s)
{
	int rc = link_start(s);

	link_early_release(s);
	return rc;
}

/* A link for s, on its session (s->ppp_link); NULL when out of memory. */
static struct l2tp_ppp_link *link_new(struct l2tp_session *s, const struct config_vtemplate *vt)
{
	struct l2tp_ppp_link *pl = calloc(1, sizeof(*pl));

	if (pl == NULL)
		return NULL;
	pl->s = s;
	pl->vt = vt;
	pl->dpp.chan_fd = pl->dpp.unit_fd = pl->dpp.unit = -1;
	clock_timer_init(&pl->down_timer, link_down_cb, pl);
	s->ppp_link = pl;
	return pl;
}

/* The link's PPP: a new one, or (st) the checkpointed one of a takeover,
 * already in the Network phase.  On failure the link is stopped. */
static int link_ppp_new(struct l2tp_ppp_link *pl, const struct ppp_state *st)
{
	struct l2tp_session *s = pl->s;
	struct l2tpd *d = link_d(pl);
	struct ppp_config c;
	char prefix[48];
	int rc;

	link_config(s, pl->vt, &c);
	link_prefix(prefix, sizeof(prefix), s->t->tid, s->sid);
	if (st == NULL)
		s->ppp = ppp_new(&c, &link_ops, pl, &d->clk, &d->log, prefix);
	else
		s->ppp = ppp_import_opened(&c, &link_ops, pl, &d->clk, &d->log, prefix, st);
	if (s->ppp != NULL) {
		d->ppp_links++;
		return 0;
	}
	rc = st == NULL ? -ENOMEM : errno ? -errno : -EINVAL;
	l2tp_ppp_stop(s);
	return rc;
}

static int link_start(struct l2tp_session *s)
{
	struct l2tp_tunnel *t = s->t;
	struct l2tpd *d = t->d;
	const struct config_vtemplate *vt = NULL;
	struct l2tp_ppp_link *pl;
	int rc;

	if (s->lns) {
		if (t->grp == NULL || t->grp->virtual_template == 0)
			return 0;	/* plain L2TP: no PPP profile */
		l2tp_observer_ppp_starting(s);	/* AAA: the Acct-Session-Id */
		vt = config_vtemplate_find(&d->cfg, t->grp->virtual_template);
		if (vt == NULL) {
			session_log(s, LOG_ERR, "Virtual-Template%d does not exist",
				    t->grp->virtual_template);
			return -ENOENT;
		}
	} else if (s->user[0] == '\0' || s->relayed) {
		return 0;		/* a LAC session without a test subscriber */
	}
	pl = link_new(s, vt);
	if (pl == NULL)
		return -ENOMEM;
	if (!s->lns && s->dp_created && d->loop != NULL && dp_can(d->dp, DP_CAP_PPPD)) {
		/* LAC client mode: the kernel session goes to pppd. */
		rc = l2tp_ppp_pppd_start(pl);
		if (rc < 0)
			l2tp_ppp_stop(s);
		return rc;
	}
	rc = link_ppp_new(pl, NULL);
	if (rc < 0)
		return rc;
	rc = link_open_dp(pl, "");
	if (rc < 0)
		return rc;
	link_arm_timeouts(pl);
	rc = s->lns ? l2tp_ppp_open_lns(s, &pl->proxied) : l2tp_ppp_open_lac(s);
	if (rc < 0) {
		l2tp_ppp_stop(s);
		return rc;
	}
	return 0;
}

/* The session's PPP channel (and, for an LNS, its unit pppN, named ifname
 * unless ""), watched by the loop.  On failure the link is stopped. */
static int link_open_dp(struct l2tp_ppp_link *pl, const char *ifname)
{
	struct l2tp_session *s = pl->s;
	struct l2tp_tunnel *t = s->t;
	struct l2tpd *d = t->d;
	int rc;

	if (s->dp_created) {
		struct dp_ppp_params pp;

		l2tp_session_dp_params(s, &pp);
		rc = dp_ppp_open(d->dp, &pp, &pl->dpp);
		if (rc < 0) {
			session_log(s, LOG_ERR, "cannot open the PPP channel: %s", strerror(-rc));
			l2tp_ppp_stop(s);
			return rc;
		}
		pl->dp_open = 1;
		if (pl->dpp.chan_fd >= 0 && s->lns) {
			/* The unit exists from the start: NCP frames arrive on it. */
			rc = dp_ppp_unit_open(d->dp, t->tid, s->sid, ifname, &pl->dpp);
			if (rc < 0) {
				session_log(s, LOG_ERR, "cannot create the PPP interface: %s",
					    strerror(-rc));
				l2tp_ppp_stop(s);
				return rc;
			}
			snprintf(s->ifname, sizeof(s->ifname), "%s", pl->dpp.ifname);
			l2tp_mss_link(pl);	/* adjust-mss: its value's group */
		}
		if (pl->dpp.chan_fd >= 0 && d->loop != NULL) {
			ev_io_init(&pl->chan_io, link_chan_cb, pl->dpp.chan_fd, EV_READ);
			pl->chan_io.data = pl;
			ev_io_start(d->loop, &pl->chan_io);
		}
		if (pl->dpp.unit_fd >= 0 && d->loop != NULL) {
			ev_io_init(&pl->unit_io, link_chan_cb, pl->dpp.unit_fd, EV_READ);
			pl->unit_io.data = pl;
			ev_io_start(d->loop, &pl->unit_io);
		}
	}
	return 0;
}

/* The session timer at the earlier of the absolute limit and the next
 * idle check; stopped when neither applies. */
static void link_arm_timeouts(struct l2tp_ppp_link *pl)
{
	struct l2tp_session *s = pl->s;
	struct l2tp_clock *clk = &s->t->d->clk;
	unsigned abs_to = link_abs_timeout(s, pl->vt), idle_to = link_idle_timeout(s, pl->vt);
	uint64_t now = clock_now(clk), when = UINT64_MAX;

	clock_timer_stop(clk, &s->sess_timer);
	clock_timer_init(&s->sess_timer, link_session_timer, s);
	if (abs_to) {
		uint64_t end = s->established_ms + (uint64_t)abs_to * 1000;

		when = end > now ? end : now;
	}
	if (idle_to) {
		if (pl->idle_next_ms == 0 || pl->idle_next_ms > now + (uint64_t)idle_to * 1000)
			pl->idle_next_ms = now + (uint64_t)idle_to * 1000;
		if (pl->idle_next_ms < when)
			when = pl->idle_next_ms;
	} else {
		pl->idle_next_ms = 0;
	}
	if (when != UINT64_MAX)
		clock_timer_start(clk, &s->sess_timer, when > now ? when - now : 0);
}

void l2tp_ppp_timeouts_changed(struct l2tp_session *s)
{
	if (s->ppp_link != NULL && s->ppp != NULL)
		link_arm_timeouts(s->ppp_link);
}

int l2tp_ppp_restore(struct l2tp_session *s, const struct ppp_state *st, const char *ifname)
{
	struct l2tp_tunnel *t = s->t;
	struct l2tpd *d = t->d;
	const struct config_vtemplate *vt = NULL;
	struct l2tp_ppp_link *pl;
	int rc;

	if (!s->lns)
		return -EOPNOTSUPP;	/* LAC test subscribers are not checkpointed */
	if (t->grp == NULL || t->grp->virtual_template == 0 ||
	    (vt = config_vtemplate_find(&d->cfg, t->grp->virtual_template)) == NULL)
		return -ENOENT;
	pl = link_new(s, vt);
	if (pl == NULL)
		return -ENOMEM;
	/* The address stays the subscriber's: take it out of the pool. */
	if (s->pool[0] != '\0' && s->peer_ip.s_addr != 0) {
		rc = ippool_reserve(d->pools, s->pool, s->peer_ip);
		if (rc < 0) {
			session_log(s, LOG_WARNING, "address %s not reserved in pool %s: %s",
				    inet_ntoa(s->peer_ip), s->pool, strerror(-rc));
			s->pool[0] = '\0';
		}
	}
	rc = link_ppp_new(pl, st);
	if (rc < 0)
		return rc;
	rc = link_open_dp(pl, ifname);
	if (rc < 0)
		return rc;
	snprintf(s->ifname, sizeof(s->ifname), "%s", pl->dpp.ifname[0] ? pl->dpp.ifname : ifname);
	if (st->ipcp_open)
		link_unit_up(pl, st);
	link_arm_timeouts(pl);
	/* AAA: the checkpointed Acct-Session-Id stays; Interim-Updates go
	 * on, no Start */
	l2tp_observer_ppp_restored(s);
	return 0;
}

void l2tp_ppp_stop(struct l2tp_session *s)
{
	struct l2tp_ppp_link *pl = s->ppp_link;
	struct l2tpd *d = s->t->d;

	link_early_free(s);
	if (pl == NULL)
		return;
	/* The session is going anyway: a down callback from the teardown
	 * below must not schedule a clear of it. */
	pl->down = 1;
	/* AAA: a RADIUS request in flight is cancelled; Accounting-Stop,
	 * read while the data path's counters still exist. */
	l2tp_observer_ppp_stopping(s);
	if (s->ppp != NULL) {
		ppp_lower_down(s->ppp, "session closed");
		ppp_free(s->ppp);
		s->ppp = NULL;
		d->ppp_links--;
	}
	clock_timer_stop(&d->clk, &pl->down_timer);
	clock_timer_stop(&d->clk, &s->sess_timer);
	if (d->loop != NULL) {
		ev_io_stop(d->loop, &pl->chan_io);
		ev_io_stop(d->loop, &pl->unit_io);
	}
	l2tp_ppp_pppd_stop(pl);
	if (pl->dp_open)
		dp_ppp_close(d->dp, s->t->tid, s->sid);
	link_release_address(pl);
	l2tp_ppp_ipv6_stop(pl);		/* the prefixes back to their pools */
	l2tp_ppp_ipv6_lac_stop(pl);
	s->ppp_link = NULL;
	free(pl->down_reason);
	free(pl);
}
