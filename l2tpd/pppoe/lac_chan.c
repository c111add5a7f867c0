/*
 * The kernel's PPPoE channel of a session (DP_CAP_BRIDGE): frames read and
 * written on it until the call is up, then bridged to the call's channel;
 * or, for a session terminated here, a unit pppN connected to it (IPCP
 * and IPv6CP on the unit's fd, IP on pppN) as an LNS session has
 * (pppoe/lac_int.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "l2tpd.h"
#include "l2tp/mss.h"
#include "l2tp/relay.h"
#include "pppoe/lac_int.h"

/* A frame to the subscriber on the channel: counted as the port counts it. */
void pppoe_lac_chan_send(struct pppoe_lac *l, uint16_t proto, const uint8_t *buf, size_t len)
{
	struct dp_ppp pp = { .chan_fd = l->chan_fd, .unit_fd = l->unit_fd, .unit = -1 };

	if (dp_ppp_write(&pp, proto, buf, len) < 0) {
		l->a->ac->stats.tx_errors++;
		return;
	}
	l->a->ac->stats.tx_sess++;
	l->ps->tx_frames++;
	l->ps->tx_bytes += len + 2;
}

static void lac_chan_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct pppoe_lac *l = w->data;
	uint8_t buf[PPPOE_FRAME_MAX];
	uint16_t proto;

	(void)loop;
	(void)revents;
	for (int i = 0; i < 32 && l->chan_fd >= 0; i++) {	/* the kernel queues 32 */
		ssize_t n = dp_ppp_read(w->fd, &proto, buf + 2, sizeof(buf) - 2);

		if (n == -EAGAIN)
			return;
		if (n < 0) {	/* -EPIPE: a PADT unbound it; the port saw the PADT */
			ev_io_stop(l->a->d->loop, w);
			return;
		}
		buf[0] = (uint8_t)(proto >> 8);
		buf[1] = (uint8_t)proto;
		l->a->ac->stats.rx_sess++;
		l->ps->rx_frames++;
		l->ps->rx_bytes += (size_t)n + 2;
		/* never frees l: endings are deferred (pppoe_lac_close_later) */
		pppoe_lac_input(l->a, l->ps, buf, (size_t)n + 2);
	}
}

/* The kernel takes the PPPoE session: 0 or -errno (logged). */
int pppoe_lac_chan_open(struct pppoe_lac *l)
{
	struct l2tpd *d = l->a->d;
	struct dp_pppoe_params p = { .sid = l->ps->id };
	int rc;

	memcpy(p.peer_mac, l->ps->mac, sizeof(p.peer_mac));
	snprintf(p.ifname, sizeof(p.ifname), "%s", l->ps->ifp->name);
	rc = dp_pppoe_open(d->dp, &p, &l->chan_fd);
	if (rc < 0) {
		l->a->lac.kernel_open_failed++;
		lac_log(l, LOG_ERR, "the kernel did not take the session: %s", d->dp->err);
		return rc;
	}
	if (d->loop != NULL) {
		ev_io_init(&l->chan_io, lac_chan_cb, l->chan_fd, EV_READ);
		l->chan_io.data = l;
		ev_io_start(d->loop, &l->chan_io);
	}
	return 0;
}

void pppoe_lac_chan_close(struct pppoe_lac *l)
{
	if (l->chan_fd < 0)
		return;
	if (l->a->d->loop != NULL) {
		ev_io_stop(l->a->d->loop, &l->chan_io);
		if (l->unit_fd >= 0)
			ev_io_stop(l->a->d->loop, &l->unit_io);
	}
	dp_pppoe_close(l->a->d->dp, l->ps->id);	/* pppN goes with it */
	l->chan_fd = l->unit_fd = -1;
}

int pppoe_lac_unit_open(struct pppoe_lac *l, const char *ifname)
{
	struct l2tpd *d = l->a->d;
	struct dp_ppp pp = { .chan_fd = -1, .unit_fd = -1, .unit = -1 };
	int rc;

	rc = dp_pppoe_unit_open(d->dp, l->ps->id, ifname, &pp);
	if (rc < 0) {
		l->a->lac.local_unit_failed++;
		lac_log(l, LOG_ERR, "user %s: no PPP interface: %s", l->user, d->dp->err);
		return rc;
	}
	l->unit_fd = pp.unit_fd;
	snprintf(l->ifname, sizeof(l->ifname), "%s", pp.ifname);
	if (d->loop != NULL) {
		ev_io_init(&l->unit_io, lac_chan_cb, l->unit_fd, EV_READ);
		l->unit_io.data = l;
		ev_io_start(d->loop, &l->unit_io);
	}
	return 0;
}

/* The least of the PPPoE payload, the subscriber's MRU and the template's
 * `mtu` (0: not given). */
static unsigned lac_unit_mtu(unsigned payload, unsigned peer_mru, unsigned vt_mtu)
{
	unsigned mtu = payload;

	if (peer_mru != 0 && peer_mru < mtu)
		mtu = peer_mru;
	if (vt_mtu != 0 && vt_mtu < mtu)
		mtu = vt_mtu;
	return mtu;
}

int pppoe_lac_unit_up(struct pppoe_lac *l, const struct ppp_state *st)
{
	const struct config_vtemplate *vt = pppoe_lac_vtemplate(l);
	struct l2tpd *d = l->a->d;
	/* RFC 2516 §7: 1492 at most, unless RFC 4638 agreed a larger payload */
	unsigned mtu = l->ps->max_payload > PPPOE_PPP_MTU ? l->ps->max_payload : PPPOE_PPP_MTU;
	struct dp_ppp_config c = {
		.mru = st->mru,
		.mtu = lac_unit_mtu(mtu, st->peer_mru, vt != NULL ? vt->mtu : 0),
		.local = st->ipcp_open ? st->local_addr.s_addr : 0,
		.peer = st->ipcp_open ? st->peer_addr.s_addr : 0,
		.up = 1,
		.mss = l2tp_mss_for(d, l->mss),	/* the template's when PPP started */
	};
	int rc;

	if (l->unit_fd < 0)
		return 0;
	rc = dp_pppoe_configure(d->dp, l->ps->id, &c);
	if (rc < 0) {
		l->a->lac.local_unit_failed++;
		lac_log(l, LOG_ERR, "user %s: cannot configure %s: %s", l->user, l->ifname,
			d->dp->err);
	}
	return rc;
}

/* The call is up: its channel and the subscriber's joined in the kernel;
 * refused (a kernel before 5.11), the session is cleared. */
void pppoe_lac_bridge(struct pppoe_lac *l, struct l2tp_session *s, uint16_t tid, uint16_t sid)
{
	if (l2tp_relay_bridge(s, l->ps->id) < 0) {
		l->a->lac.bridge_failed++;
		lac_log(l, LOG_ERR, "user %s: call %u/%u: kernel switching refused: %s: cleared",
			l->user, tid, sid, l2tp_relay_error(s));
		pppoe_lac_close_later(l);	/* not from inside the call's callback */
		return;
	}
	if (l->a->d->loop != NULL)
		ev_io_stop(l->a->d->loop, &l->chan_io);	/* nothing more comes to us */
	l->state = PPPOE_LAC_BRIDGED;
	l->a->lac.bridged++;
	lac_log(l, LOG_INFO, "user %s: call %u/%u up, switched in the kernel", l->user, tid, sid);
}

/* Frames of a bridged call that ends go into the totals. */
void pppoe_lac_bridge_count(struct pppoe_lac *l)
{
	uint64_t up, down;

	if (l->state != PPPOE_LAC_BRIDGED || l->ls == NULL ||
	    l2tp_relay_frames(l->ls, &up, &down) < 0)
		return;
	l->a->lac.bridged_up += up;
	l->a->lac.bridged_down += down;
}

void pppoe_lac_mss_collect(void *arg, l2tp_mss_add_fn add, void *set)
{
	const struct pppoe_access *a = arg;
	const struct pppoe_session *s;

	TAILQ_FOREACH(s, &a->ac->sessions, link) {
		const struct pppoe_lac *l = s->upper;

		if (l != NULL && l->unit_fd >= 0 && l->mss != 0)
			add(set, l2tp_mss_for(a->d, l->mss));
	}
}
