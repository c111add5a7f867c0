/*
 * HA: output commit (ha.h, "Checkpoint before acknowledge").  While this
 * box is a member of a pair, d->xmit is the gate below: a box that may not
 * act says nothing, and a control message of an SSO tunnel leaves only once
 * the standby has acknowledged every record emitted before it (records are
 * emitted at the end of the loop turn: the packet waits in egress_new until
 * then, tagged with the last record's sequence number, in egress until the
 * standby's acknowledgement passes it).  Without a standby in sync nothing
 * waits.
 *
 * A turn that reads many sockets' bursts is long, and a packet held at its
 * start would wait for all of it: the turn commits as it goes instead
 * (ha_commit_point, at every batch of datagrams read), and acknowledged
 * packets leave the moment the acknowledgement is read.
 */
#include <stdlib.h>
#include <string.h>
#include "l2tpd.h"
#include "ha/ha_int.h"
#include "l2tp/net.h"
#include "l2tp/tunnel.h"
#include "haproto/ha_link.h"

int ha_commit_xmit_raw(struct l2tpd *d, struct l2tp_tunnel *t, const uint8_t *buf,
		       size_t len)
{
	return (d->ha.xmit_next != NULL ? d->ha.xmit_next : d->xmit)(t, buf, len);
}

static void ha_egress_free(struct ha_egressq *q)
{
	struct ha_egress *e;

	while ((e = STAILQ_FIRST(q)) != NULL) {
		STAILQ_REMOVE_HEAD(q, link);
		free(e);
	}
}

/* Hold a control packet until the standby acknowledges what was emitted
 * before it: 1 held, 0 not (no standby in sync, not an SSO tunnel). */
static int ha_hold(struct l2tp_tunnel *t, const uint8_t *buf, size_t len)
{
	struct l2tpd *d = t->d;
	struct ha_egress *e;

	if (d->ha.role != HA_ROLE_ACTIVE || !d->ha.standby_in_sync || !t->sso ||
	    (t->state != L2TP_TUNNEL_ESTABLISHED && t->state != L2TP_TUNNEL_CLOSING))
		return 0;
	e = malloc(sizeof(*e) + len);
	if (e == NULL)
		return 0;	/* better sent unprotected than not at all */
	e->seq = 0;
	e->queued_us = clock_now_us(&d->clk);
	e->tagged_us = 0;
	e->tid = t->tid;
	e->len = len;
	memcpy(e->buf, buf, len);
	STAILQ_INSERT_TAIL(&d->ha.egress_new, e, link);
	d->ha.egress_n++;
	d->ha.stats.egress_held++;
	return 1;
}

/*
 * The gate every packet of a member of a pair goes through (d->xmit).  The
 * one place the packet path asks whether this box may act: a standby, or
 * an active demoted, says nothing.  A control message (T bit set, RFC 2661
 * §3.1) of an SSO tunnel waits while a standby is in sync, until the
 * standby has acknowledged the records emitted before it; data messages
 * never wait.
 */
static int ha_commit_xmit(struct l2tp_tunnel *t, const uint8_t *buf, size_t len)
{
	struct l2tpd *d = t->d;

	if (!ha_may_act(d))
		return 1;
	if (len > 0 && (buf[0] & 0x80) && ha_hold(t, buf, len))
		return 1;
	return d->ha.xmit_next(t, buf, len);
}

void ha_commit_install(struct l2tpd *d)
{
	if (d->xmit == ha_commit_xmit)
		return;
	d->ha.xmit_next = d->xmit;
	d->xmit = ha_commit_xmit;
}

void ha_commit_uninstall(struct l2tpd *d)
{
	if (d->xmit == ha_commit_xmit)
		d->xmit = d->ha.xmit_next;
	d->ha.xmit_next = NULL;
}

void ha_commit_tag(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;
	struct ha_egress *e;
	uint64_t now = STAILQ_EMPTY(&h->egress_new) ? 0 : clock_now_us(&d->clk);

	while ((e = STAILQ_FIRST(&h->egress_new)) != NULL) {
		STAILQ_REMOVE_HEAD(&h->egress_new, link);
		e->seq = h->last_seq;
		e->tagged_us = now;
		STAILQ_INSERT_TAIL(&h->egress, e, link);
	}
}

unsigned ha_commit_release(struct l2tpd *d, int all)
{
	struct ha_egress *e;
	uint64_t now = clock_now_us(&d->clk);
	unsigned n = 0;

	while ((e = STAILQ_FIRST(&d->ha.egress)) != NULL && (all || e->seq <= d->ha.acked_seq)) {
		struct l2tp_tunnel *t = d->tunnel_by_id[e->tid];
		uint64_t w = now - e->queued_us;

		STAILQ_REMOVE_HEAD(&d->ha.egress, link);
		d->ha.egress_n--;
		if (!all && ha_crash_at(d, "ckpt-before-tx", e->buf, e->len))
			ha_crash(d, "ckpt-before-tx");
		if (all)
			d->ha.stats.egress_released_unacked++;
		d->ha.stats.egress_wait_us_total += w;
		if (w > d->ha.stats.egress_wait_us_max)
			d->ha.stats.egress_wait_us_max = w;
		hist_observe_us(&d->ha.stats.egress_wait, w);
		hist_fine_observe_us(&d->ha.stats.egress_wait_fine, w);
		if (!all && e->tagged_us != 0) {
			uint64_t a = now > e->tagged_us ? now - e->tagged_us : 0;

			hist_observe_us(&d->ha.stats.egress_ack_wait, a);
			hist_fine_observe_us(&d->ha.stats.egress_ack_wait_fine, a);
		}
		/* A tunnel freed meanwhile takes its packets with it. */
		if (t != NULL && !t->dead && ha_may_act(d)) {
			if (ha_commit_xmit_raw(d, t, e->buf, e->len) < 0)
				d->stats.tx_errors++;
			else
				d->stats.tx_packets++;
			n++;
		}
		free(e);
	}
	return n;
}

/* The standby acknowledged up to seq: what waited for it leaves now, not
 * at the end of the loop turn with the send queue (l2tp/txq.h), which an
 * acknowledgement read at a commit point inside a long turn would wait
 * for. */
void ha_commit_acked(struct l2tpd *d, uint64_t seq)
{
	if (seq > d->ha.acked_seq)
		d->ha.acked_seq = seq;
	if (ha_commit_release(d, 0) > 0)
		l2tp_net_flush(d);
}

void ha_commit_drop(struct l2tpd *d)
{
	ha_egress_free(&d->ha.egress);
	ha_egress_free(&d->ha.egress_new);
	d->ha.egress_n = 0;
}

void ha_commit_point(struct l2tpd *d, unsigned n)
{
	struct l2tpd_ha *h = &d->ha;
	const struct ha_egress *e;

	if (h->role != HA_ROLE_ACTIVE || !h->standby_in_sync)
		return;
	h->turn_msgs += n;
	e = STAILQ_FIRST(&h->egress_new);
	if (h->turn_msgs < HA_TURN_MSGS &&
	    (e == NULL || clock_now_us(&d->clk) - e->queued_us < HA_TURN_US))
		return;
	/* The records of what was handled so far leave, the packets held
	 * meanwhile wait for them... */
	ha_flush(d);
	/* ...and whatever the standby already acknowledged is sent now. */
	if (h->link != NULL)
		ha_link_poll(h->link);
}
