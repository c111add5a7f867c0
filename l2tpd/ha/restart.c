/*
 * HA: the hitless restart's state (ha.h, l2tpd(8) "Restarting without
 * loss").  The process before makes, for every established tunnel, the
 * records the checkpoint carries (TUNNEL, SEQ, CTRL_MSG, SESSION: ha/emit.c
 * fills them), encoded as the link encodes them (haproto/ckpt.c), from
 * the live state once it has stopped reading its sockets.  The new process
 * applies them to a shadow store as a standby does (haproto/ha_shadow.c),
 * rebuilds from it with the takeover's path (ha/takeover.c) on the sockets
 * handed over, and then each channel goes on from the Ns and Nr it was
 * given: no resync, this is not a failover.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "l2tpd.h"
#include "ha/ha_int.h"
#include "l2tp/ctrl.h"
#include "l2tp/avp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "haproto/ckpt.h"
#include "haproto/ha_link.h"
#include "haproto/ha_rec.h"
#include "haproto/ha_shadow.h"
#include "pppoe/access.h"

struct ha_restart_out {
	int (*put)(void *arg, const uint8_t *buf, size_t len);
	void *arg;
	uint64_t seq;
	int err;
};

static void ha_restart_put(struct ha_restart_out *o, const struct ha_rec *r)
{
	uint8_t buf[8192];
	int len;

	if (o->err < 0)
		return;
	len = ckpt_encode(r, ++o->seq, buf, sizeof(buf));
	if (len < 0)
		o->err = len;
	else
		o->err = o->put(o->arg, buf, (size_t)len);
}

/* A tunnel's channel: Ns/Nr/una, then its messages not yet acknowledged
 * (and those queued behind the peer's window, with the Ns each will take),
 * as ha/emit.c records them for a standby. */
static void ha_restart_channel(struct ha_restart_out *o, struct l2tp_tunnel *t)
{
	struct ha_rec r = { .type = HA_REC_SEQ };
	const struct l2tp_ctrl_pkt *first = TAILQ_FIRST(&t->ctrl.sent);
	struct l2tp_ctrl_pkt *p;
	uint16_t ns = t->ctrl.ns;

	r.u.seq.tid = t->tid;
	r.u.seq.ns = t->ctrl.ns;
	r.u.seq.nr = t->ctrl.nr;
	r.u.seq.una = first != NULL ? first->ns : t->ctrl.ns;
	ha_restart_put(o, &r);
	r.type = HA_REC_CTRL_MSG;
	TAILQ_FOREACH(p, &t->ctrl.sent, link) {
		r.u.msg = (struct ha_ctrl_msg_rec){ t->tid, p->ns, p->len, p->buf };
		ha_restart_put(o, &r);
	}
	TAILQ_FOREACH(p, &t->ctrl.pending, link) {
		l2tp_hdr_set_seq(p->buf, ns, t->ctrl.nr);
		r.u.msg = (struct ha_ctrl_msg_rec){ t->tid, ns++, p->len, p->buf };
		ha_restart_put(o, &r);
	}
}

/* The PPPoE sessions relayed into the calls above, after them (the new
 * process rebuilds them on their calls, as a takeover does), and those
 * terminated here with their PPP. */
static void ha_restart_pppoe_export(struct l2tpd *d, struct ha_restart_out *o)
{
	const struct pppoe_session *s;
	struct ha_rec r;

	if (d->access == NULL)
		return;
	TAILQ_FOREACH(s, &d->access->ac->sessions, link) {
		memset(&r, 0, sizeof(r));
		if (ha_pppoe_restart_record(d, s, &r))
			ha_restart_put(o, &r);
	}
}

int ha_restart_export(struct l2tpd *d, int (*put)(void *arg, const uint8_t *buf, size_t len),
		      void *arg, unsigned *n_tunnels, unsigned *n_sessions)
{
	struct ha_restart_out o = { put, arg, 0, 0 };
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	struct ha_rec r;

	*n_tunnels = *n_sessions = 0;
	/* Acknowledgements owed leave now: the peers need not resend for them. */
	LIST_FOREACH(t, &d->tunnels, link)
		if (!t->dead)
			l2tp_ctrl_flush_ack(&t->ctrl);
	if (d->ha.role == HA_ROLE_ACTIVE) {
		ha_flush(d);
		ha_commit_release(d, 1);	/* the standby gets a bulk from the new one */
	}
	LIST_FOREACH(t, &d->tunnels, link) {
		if (t->dead || t->state != L2TP_TUNNEL_ESTABLISHED)
			continue;
		memset(&r, 0, sizeof(r));
		r.type = HA_REC_TUNNEL;
		ha_fill_tunnel(d, t, &r.u.tunnel);
		ha_restart_put(&o, &r);
		ha_restart_channel(&o, t);
		(*n_tunnels)++;
		LIST_FOREACH(s, &t->session_list, link) {
			if (s->state < L2TP_SESSION_WAIT_CONNECT)
				continue;
			memset(&r, 0, sizeof(r));
			r.type = HA_REC_SESSION;
			ha_fill_session(d, s, &r.u.session);
			ha_fill_session_v6(d, s, &r.u.session);
			ha_restart_put(&o, &r);
			(*n_sessions)++;
		}
	}
	ha_restart_pppoe_export(d, &o);
	return o.err;
}

int ha_restart_apply(struct ha_shadow *sh, const uint8_t *buf, size_t len)
{
	struct ha_rec r;
	uint64_t seq;
	uint32_t version;
	int rc;

	rc = ckpt_decode(buf, len, &r, &seq, &version);
	if (rc < 0)
		return rc;
	rc = r.type == HA_REC_NONE ? -EPROTO : ha_shadow_apply(sh, &r);
	ha_rec_clear(&r);
	return rc;
}

/* Each channel goes on where the process before left it. */
static int ha_restart_continue(struct l2tpd *d, const struct ha_shadow_tunnel *st,
			       int fd, unsigned *n_sessions, char *err, size_t errsz)
{
	struct l2tp_session **half = NULL;
	size_t n_half = 0, cap_half = 0;
	struct l2tp_tunnel *t;

	t = ha_restore_tunnel(d, st, fd, &half, &n_half, &cap_half);
	if (t == NULL || n_half > 0) {
		snprintf(err, errsz, "tunnel %u%s not rebuilt", st->rec.tid,
			 t == NULL ? "" : ": a session");
		free(half);
		return -EPROTO;
	}
	free(half);
	l2tp_tunnel_continue(t, st->rec.ha_enabled);
	*n_sessions += t->n_sessions;
	return 0;
}

int ha_restart_rebuild(struct l2tpd *d, const struct ha_shadow *sh, enum ha_role role,
		       int (*fd_of)(void *arg, uint16_t tid), void *arg, unsigned *n_tunnels,
		       unsigned *n_sessions, char *err, size_t errsz)
{
	const struct ha_shadow_tunnel *st;
	int rc;

	*n_tunnels = *n_sessions = 0;
	if (role == HA_ROLE_ACTIVE) {
		if (d->ha.link == NULL) {
			snprintf(err, errsz, "the process before was an active, this one has no "
				 "redundancy block");
			return -EINVAL;
		}
		d->ha.role = HA_ROLE_ACTIVE;
		d->ha.role_since_ms = clock_now(&d->clk);
		ha_link_set_role(d->ha.link, HA_LINK_ACTIVE);
	} else if (role != HA_ROLE_STANDALONE || d->ha.role != HA_ROLE_STANDALONE) {
		snprintf(err, errsz, "role %s handed to a daemon of role %s", ha_role_string(role),
			 ha_role_string(d->ha.role));
		return -EINVAL;
	}
	for (st = ha_shadow_next_tunnel(sh, 0); st != NULL;
	     st = ha_shadow_next_tunnel(sh, st->rec.tid)) {
		int fd = fd_of(arg, st->rec.tid);

		if (fd < 0) {
			snprintf(err, errsz, "tunnel %u: no socket handed over", st->rec.tid);
			return -EPROTO;
		}
		rc = ha_restart_continue(d, st, fd, n_sessions, err, errsz);
		if (rc < 0)
			return rc;
		(*n_tunnels)++;
	}
	return 0;
}

void ha_restart_pppoe(struct l2tpd *d, const struct ha_shadow *sh, uint64_t *n,
		      uint64_t *errors)
{
	ha_pppoe_rebuild(d, sh, "restart", n, errors);
}
