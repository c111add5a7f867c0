/*
 * High availability: role, checkpoint emission, output commit, takeover
 * (see ha.h for the model; DESIGN.md, "HA contract", for the rules).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "common/util.h"
#include "l2tpd.h"
#include "l2tp/net.h"
#include "l2tp/observer.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"
#include "haproto/ha_link.h"
#include "haproto/ha_rec.h"
#include "haproto/ha_shadow.h"

static const char *const ha_role_names[] = {
	[HA_ROLE_STANDALONE] = "standalone",
	[HA_ROLE_INIT] = "init",
	[HA_ROLE_STANDBY] = "standby",
	[HA_ROLE_ACTIVE] = "active",
	[HA_ROLE_FAULT] = "fault",
};

const char *ha_role_string(enum ha_role r)
{
	if ((size_t)r >= ARRAY_SIZE(ha_role_names))
		return "unknown";
	return ha_role_names[r];
}

static uint64_t ha_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t ha_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A time of the daemon's clock as wall-clock milliseconds, and back: the
 * two boxes share the wall clock, not their monotonic ones. */
static uint64_t ha_to_wall(const struct l2tpd *d, uint64_t t)
{
	uint64_t now = clock_now((struct l2tp_clock *)&d->clk), wall = ha_wall_ms();

	if (t == 0 || t > now || now - t > wall)
		return 0;
	return wall - (now - t);
}

static uint64_t ha_from_wall(struct l2tpd *d, uint64_t w)
{
	uint64_t now = clock_now(&d->clk), wall = ha_wall_ms();

	if (w == 0 || w > wall || wall - w > now)
		return now;
	return now - (wall - w);
}

int ha_may_act(const struct l2tpd *d)
{
	return d->ha.role == HA_ROLE_STANDALONE || d->ha.role == HA_ROLE_ACTIVE;
}

/* Records are worth making: this box is the active of a pair. */
static int ha_streaming(const struct l2tpd *d)
{
	return d->ha.role == HA_ROLE_ACTIVE && (d->ha.link != NULL || d->ha.test_sink != NULL);
}

static void ha_crash(struct l2tpd *d, const char *point)
{
	log_msg(&d->log, LOG_CRIT, "redundancy: crash point %s reached: SIGKILL", point);
	kill(getpid(), SIGKILL);
}

int ha_crash_point(struct l2tpd *d, const char *name)
{
	if (strcmp(name, "none") == 0) {
		d->ha.crash_point[0] = '\0';
		return 0;
	}
	if (strcmp(name, "tx-before-ckpt") != 0 && strcmp(name, "ckpt-before-tx") != 0 &&
	    strcmp(name, "resync") != 0)
		return -EINVAL;
	snprintf(d->ha.crash_point, sizeof(d->ha.crash_point), "%s", name);
	log_msg(&d->log, LOG_WARNING, "redundancy: crash point %s armed", name);
	return 0;
}

static int ha_armed(const struct l2tpd *d, const char *point)
{
	return d->ha.crash_point[0] != '\0' && strcmp(d->ha.crash_point, point) == 0;
}

/* --- records ----------------------------------------------------------------- */

/* `debug l2tp redundancy detail`: what a record says. */
static void ha_log_detail(struct l2tpd *d, uint64_t seq, const struct ha_rec *r)
{
	const struct ha_tunnel_rec *t = &r->u.tunnel;
	const struct ha_session_rec *s = &r->u.session;

	switch (r->type) {
	case HA_REC_TUNNEL:
		log_debug(&d->log, LOG_DBG_HA_DETAIL, "redundancy: %llu: tunnel %u/%u state %u "
			  "group %s peer %s rws %u/%u resync %u", (unsigned long long)seq, t->tid,
			  t->peer_tid, t->state, t->group, t->peer_host, t->rws, t->peer_rws,
			  t->resync);
		break;
	case HA_REC_SEQ:
		log_debug(&d->log, LOG_DBG_HA_DETAIL, "redundancy: %llu: tunnel %u Ns %u Nr %u "
			  "una %u", (unsigned long long)seq, r->u.seq.tid, r->u.seq.ns, r->u.seq.nr,
			  r->u.seq.una);
		break;
	case HA_REC_CTRL_MSG:
		log_debug(&d->log, LOG_DBG_HA_DETAIL, "redundancy: %llu: tunnel %u message Ns %u, "
			  "%zu bytes", (unsigned long long)seq, r->u.msg.tid, r->u.msg.ns,
			  r->u.msg.len);
		break;
	case HA_REC_SESSION:
		log_debug(&d->log, LOG_DBG_HA_DETAIL, "redundancy: %llu: session %u/%u peer %u "
			  "state %u ppp %s user \"%s\" magic %08x/%08x %s", (unsigned long long)seq,
			  s->tid, s->sid, s->peer_sid, s->state, s->ppp_up ? "up" : "-", s->user,
			  s->magic, s->peer_magic, s->ifname);
		break;
	case HA_REC_DELETE:
		log_debug(&d->log, LOG_DBG_HA_DETAIL, "redundancy: %llu: delete %u/%u",
			  (unsigned long long)seq, r->u.del.tid, r->u.del.sid);
		break;
	default:
		break;
	}
}

static void ha_send(struct l2tpd *d, const struct ha_rec *r)
{
	uint64_t seq = d->ha.test_sink ? d->ha.test_sink(d->ha.test_arg, r) :
		       ha_link_active_send(d->ha.link, r);

	if (seq == 0)
		return;		/* no standby: nothing to wait for */
	d->ha.last_seq = seq;
	d->ha.stats.records_tx++;
	if (d->log.debug & LOG_DBG_HA_CF)
		log_debug(&d->log, LOG_DBG_HA_CF, "redundancy: checkpoint %llu: %s",
			  (unsigned long long)seq, ha_rec_type_string(r->type));
	if (d->log.debug & LOG_DBG_HA_DETAIL)
		ha_log_detail(d, seq, r);
}

static void ha_fill_tunnel(const struct l2tpd *d, const struct l2tp_tunnel *t,
			   struct ha_tunnel_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->tid = t->tid;
	r->peer_tid = t->peer_tid;
	r->local_addr = t->local.sin_addr.s_addr;
	r->local_port = t->local.sin_port;
	r->peer_addr = t->peer.sin_addr.s_addr;
	r->peer_port = t->peer.sin_port;
	if (t->grp != NULL)
		snprintf(r->group, sizeof(r->group), "%s", t->grp->name);
	snprintf(r->peer_host, sizeof(r->peer_host), "%s", t->peer_host);
	snprintf(r->peer_vendor, sizeof(r->peer_vendor), "%s", t->peer_vendor);
	r->lns = (uint8_t)t->lns;
	r->originator = (uint8_t)t->originator;
	r->state = (uint8_t)t->state;
	r->peer_rws = t->peer_rws;
	r->rws = t->ctrl.cfg.rws;
	r->ha_enabled = (uint8_t)t->sso;
	r->resync = t->resync_window;
	r->next_call_serial = t->next_call_serial;
	r->created_ms = ha_to_wall(d, t->created_ms);
	r->established_ms = ha_to_wall(d, t->established_ms);
}

static void ha_emit_tunnel(struct l2tpd *d, struct l2tp_tunnel *t)
{
	struct ha_rec r = { .type = HA_REC_TUNNEL };

	ha_fill_tunnel(d, t, &r.u.tunnel);
	ha_send(d, &r);
	t->ha_seq = d->ha.last_seq;
}

static void ha_emit_msg(struct l2tpd *d, struct l2tp_tunnel *t, uint16_t ns, const uint8_t *buf,
			size_t len)
{
	struct ha_rec r = { .type = HA_REC_CTRL_MSG };

	r.u.msg.tid = t->tid;
	r.u.msg.ns = ns;
	r.u.msg.buf = buf;
	r.u.msg.len = len;
	ha_send(d, &r);
}

/* The channel's Ns/Nr/una, when they moved (or always: force). */
static void ha_emit_seq(struct l2tpd *d, struct l2tp_tunnel *t, int force)
{
	struct ha_rec r = { .type = HA_REC_SEQ };
	const struct l2tp_ctrl_pkt *p = TAILQ_FIRST(&t->ctrl.sent);
	uint16_t una = p != NULL ? p->ns : t->ctrl.ns;

	if (!force && t->ha_seq_sent && t->ha_last_ns == t->ctrl.ns &&
	    t->ha_last_nr == t->ctrl.nr && t->ha_last_una == una)
		return;
	r.u.seq.tid = t->tid;
	r.u.seq.ns = t->ctrl.ns;
	r.u.seq.nr = t->ctrl.nr;
	r.u.seq.una = una;
	ha_send(d, &r);
	t->ha_seq = d->ha.last_seq;
	t->ha_last_ns = t->ctrl.ns;
	t->ha_last_nr = t->ctrl.nr;
	t->ha_last_una = una;
	t->ha_seq_sent = 1;
}

static void ha_fill_session(const struct l2tpd *d, const struct l2tp_session *s,
			    struct ha_session_rec *r)
{
	struct ppp_state st;

	memset(r, 0, sizeof(*r));
	r->tid = s->t->tid;
	r->sid = s->sid;
	r->peer_sid = s->peer_sid;
	r->state = (uint8_t)s->state;
	r->kind = (uint8_t)s->kind;
	r->lns = (uint8_t)s->lns;
	r->call_serial = s->call_serial;
	r->tx_speed = s->tx_speed;
	r->rx_speed = s->rx_speed;
	r->framing_type = s->framing_type;
	r->bearer_type = s->bearer_type;
	snprintf(r->calling, sizeof(r->calling), "%s", s->calling);
	snprintf(r->called, sizeof(r->called), "%s", s->called);
	r->created_ms = ha_to_wall(d, s->created_ms);
	r->established_ms = ha_to_wall(d, s->established_ms);
	snprintf(r->user, sizeof(r->user), "%s", s->user);
	snprintf(r->ifname, sizeof(r->ifname), "%s", s->ifname);
	snprintf(r->pool, sizeof(r->pool), "%s", s->pool);
	snprintf(r->acct_session_id, sizeof(r->acct_session_id), "%s", s->acct_session_id);
	/* AAA: what RADIUS set, and the accounting already reported (the new
	 * active continues from it: no second Start, no counter going back). */
	r->class_len = s->class_len <= sizeof(r->class_attr) ? s->class_len : 0;
	memcpy(r->class_attr, s->class_attr, r->class_len);
	r->session_timeout = s->session_timeout;
	r->idle_timeout = s->idle_timeout;
	r->acct_started = (uint8_t)(s->acct_started != 0);
	r->acct_in_octets = s->acct_reported[AAA_CNT_IN_OCTETS];
	r->acct_out_octets = s->acct_reported[AAA_CNT_OUT_OCTETS];
	r->acct_in_packets = s->acct_reported[AAA_CNT_IN_PACKETS];
	r->acct_out_packets = s->acct_reported[AAA_CNT_OUT_PACKETS];
	r->local_ip = s->local_ip.s_addr;
	r->peer_ip = s->peer_ip.s_addr;
	r->ppp_up = (uint8_t)s->ppp_up;
	r->ppp_up_ms = ha_to_wall(d, s->ppp_up_ms);
	if (s->ppp != NULL && ppp_export(s->ppp, &st) == 0) {
		r->has_ppp = 1;
		r->ppp_phase = (uint8_t)st.phase;
		r->mru = st.mru;
		r->peer_mru = st.peer_mru;
		r->magic = st.magic;
		r->peer_magic = st.peer_magic;
		r->auth = (uint8_t)st.auth;
		snprintf(r->user, sizeof(r->user), "%s", st.user);
		r->ipcp_open = (uint8_t)st.ipcp_open;
		r->local_ip = st.local_addr.s_addr;
		r->peer_ip = st.peer_addr.s_addr;
		r->dns[0] = st.dns[0].s_addr;
		r->dns[1] = st.dns[1].s_addr;
		r->ipv6cp_open = (uint8_t)st.ipv6cp_open;
		memcpy(r->local_ifid, st.local_ifid, sizeof(r->local_ifid));
		memcpy(r->peer_ifid, st.peer_ifid, sizeof(r->peer_ifid));
	} else if (s->ppp_link != NULL) {
		r->has_ppp = 1;	/* PPP runs but has nothing to export yet */
	}
}

static void ha_emit_session(struct l2tpd *d, struct l2tp_session *s)
{
	struct ha_rec r = { .type = HA_REC_SESSION };

	ha_fill_session(d, s, &r.u.session);
	ha_send(d, &r);
	s->ha_seq = d->ha.last_seq;
}

static void ha_emit_delete(struct l2tpd *d, uint16_t tid, uint16_t sid)
{
	struct ha_rec r = { .type = HA_REC_DELETE };

	r.u.del.tid = tid;
	r.u.del.sid = sid;
	ha_send(d, &r);
}

/* --- hooks from the protocol machines ---------------------------------------- */

static int ha_xmit_raw(struct l2tpd *d, struct l2tp_tunnel *t, const uint8_t *buf, size_t len);

static int ha_tunnel_recordable(const struct l2tp_tunnel *t)
{
	return t->sso && !t->dead && t->state == L2TP_TUNNEL_ESTABLISHED;
}

static void ha_mark(struct l2tp_tunnel *t, unsigned bits)
{
	struct l2tpd *d = t->d;

	if (!ha_streaming(d) || !t->sso || t->dead)
		return;
	if (t->ha_dirty == 0)
		TAILQ_INSERT_TAIL(&d->ha.dirty_tunnels, t, ha_dirty_link);
	t->ha_dirty |= bits;
}

static void ha_obs_tunnel_changed(void *arg, struct l2tp_tunnel *t)
{
	ha_mark(t, HA_DIRTY_TUNNEL | HA_DIRTY_SEQ);
}

static void ha_obs_tunnel_seq(void *arg, struct l2tp_tunnel *t)
{
	if (t->state == L2TP_TUNNEL_ESTABLISHED)
		ha_mark(t, HA_DIRTY_SEQ);
}

static void ha_obs_session_changed(void *arg, struct l2tp_session *s)
{
	struct l2tpd *d = s->t->d;

	if (!ha_streaming(d) || !s->t->sso || s->t->dead || s->ha_dirty)
		return;
	s->ha_dirty = 1;
	TAILQ_INSERT_TAIL(&d->ha.dirty_sessions, s, ha_dirty_link);
}

static void ha_obs_session_deleted(void *arg, struct l2tp_session *s)
{
	struct l2tpd *d = s->t->d;

	if (s->ha_dirty) {
		TAILQ_REMOVE(&d->ha.dirty_sessions, s, ha_dirty_link);
		s->ha_dirty = 0;
	}
	/* A whole tunnel going (dead) said it once, for its sessions too. */
	if (!ha_streaming(d) || !s->t->sso || s->t->dead || s->state < L2TP_SESSION_WAIT_CONNECT)
		return;
	ha_emit_delete(d, s->t->tid, s->sid);
}

static void ha_obs_tunnel_deleted(void *arg, struct l2tp_tunnel *t)
{
	struct l2tpd *d = t->d;

	if (t->ha_dirty) {
		TAILQ_REMOVE(&d->ha.dirty_tunnels, t, ha_dirty_link);
		t->ha_dirty = 0;
	}
	/* One DELETE for the tunnel says it for its sessions too. */
	if (ha_streaming(d) && t->sso && t->ha_seq_sent)
		ha_emit_delete(d, t->tid, 0);
	t->ha_seq_sent = 0;
}

/* The channel gave a new message its Ns: its contents are recorded now. */
static void ha_obs_tunnel_numbered(void *arg, struct l2tp_tunnel *t, uint16_t ns,
				   const uint8_t *buf, size_t len)
{
	struct l2tpd *d = t->d;

	if (!ha_streaming(d) || !ha_tunnel_recordable(t))
		return;
	if (ha_armed(d, "tx-before-ckpt") && d->ha.standby_in_sync) {
		/* The fault the contract exists for: the message is on the wire,
		 * the standby never hears of it. */
		ha_xmit_raw(d, t, buf, len);
		ha_crash(d, "tx-before-ckpt");
	}
	ha_emit_msg(d, t, ns, buf, len);
	ha_mark(t, HA_DIRTY_SEQ);
}

static void ha_obs_resync_refused(void *arg, struct l2tp_tunnel *t)
{
	t->d->ha.stats.resync_refused++;
}

int ha_tunnel_established(const struct l2tp_tunnel *t)
{
	return t->sso && t->ha_seq != 0 && t->d->ha.standby_in_sync &&
	       t->ha_seq <= t->d->ha.acked_seq;
}

int ha_session_established(const struct l2tp_session *s)
{
	return s->t->sso && s->state == L2TP_SESSION_ESTABLISHED && s->ha_seq != 0 &&
	       s->t->d->ha.standby_in_sync && s->ha_seq <= s->t->d->ha.acked_seq;
}

/* --- output commit ------------------------------------------------------------ */

/* Past the gate: how packets left before HA wrapped d->xmit. */
static int ha_xmit_raw(struct l2tpd *d, struct l2tp_tunnel *t, const uint8_t *buf, size_t len)
{
	return (d->ha.xmit_next != NULL ? d->ha.xmit_next : d->xmit)(t, buf, len);
}

static int ha_hold(struct l2tp_tunnel *t, const uint8_t *buf, size_t len);

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

static void ha_commit_install(struct l2tpd *d)
{
	if (d->xmit == ha_commit_xmit)
		return;
	d->ha.xmit_next = d->xmit;
	d->xmit = ha_commit_xmit;
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
	e->queued_us = ha_mono_us();
	e->tid = t->tid;
	e->len = len;
	memcpy(e->buf, buf, len);
	STAILQ_INSERT_TAIL(&d->ha.egress_new, e, link);
	d->ha.egress_n++;
	d->ha.stats.egress_held++;
	return 1;
}

/* Send what the standby has acknowledged (all: everything, it is gone). */
static void ha_egress_release(struct l2tpd *d, int all)
{
	struct ha_egress *e;
	uint64_t now = ha_mono_us();

	while ((e = STAILQ_FIRST(&d->ha.egress)) != NULL && (all || e->seq <= d->ha.acked_seq)) {
		struct l2tp_tunnel *t = d->tunnel_by_id[e->tid];
		uint64_t w = now - e->queued_us;

		STAILQ_REMOVE_HEAD(&d->ha.egress, link);
		d->ha.egress_n--;
		if (!all && ha_armed(d, "ckpt-before-tx"))
			ha_crash(d, "ckpt-before-tx");
		if (all)
			d->ha.stats.egress_released_unacked++;
		d->ha.stats.egress_wait_us_total += w;
		if (w > d->ha.stats.egress_wait_us_max)
			d->ha.stats.egress_wait_us_max = w;
		/* A tunnel freed meanwhile takes its packets with it. */
		if (t != NULL && !t->dead && ha_may_act(d)) {
			if (ha_xmit_raw(d, t, e->buf, e->len) < 0)
				d->stats.tx_errors++;
			else
				d->stats.tx_packets++;
		}
		free(e);
	}
}

void ha_flush(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	struct ha_egress *e;

	if (h->role != HA_ROLE_ACTIVE)
		return;
	while ((t = TAILQ_FIRST(&h->dirty_tunnels)) != NULL) {
		unsigned bits = t->ha_dirty;

		TAILQ_REMOVE(&h->dirty_tunnels, t, ha_dirty_link);
		t->ha_dirty = 0;
		if (t->state == L2TP_TUNNEL_CLOSING && t->ha_seq_sent && !t->dead) {
			/* StopCCN sent or received: the standby forgets it now
			 * (a new active must not resurrect it). */
			ha_emit_delete(d, t->tid, 0);
			t->ha_seq_sent = 0;
			continue;
		}
		if (!ha_tunnel_recordable(t))
			continue;
		if (bits & HA_DIRTY_TUNNEL) {
			const struct l2tp_ctrl_pkt *p;

			ha_emit_tunnel(d, t);
			ha_emit_seq(d, t, 1);
			/* Messages numbered before it was established. */
			TAILQ_FOREACH(p, &t->ctrl.sent, link)
				ha_emit_msg(d, t, p->ns, p->buf, p->len);
		} else {
			ha_emit_seq(d, t, 0);
		}
	}
	while ((s = TAILQ_FIRST(&h->dirty_sessions)) != NULL) {
		TAILQ_REMOVE(&h->dirty_sessions, s, ha_dirty_link);
		s->ha_dirty = 0;
		if (ha_tunnel_recordable(s->t))
			ha_emit_session(d, s);
	}
	/* Everything held this turn waits for what was emitted up to now. */
	while ((e = STAILQ_FIRST(&h->egress_new)) != NULL) {
		STAILQ_REMOVE_HEAD(&h->egress_new, link);
		e->seq = h->last_seq;
		STAILQ_INSERT_TAIL(&h->egress, e, link);
	}
	if (!h->standby_in_sync)
		ha_egress_release(d, 1);
	else
		ha_egress_release(d, 0);
}

static void ha_flush_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	ha_flush(w->data);
}

/* --- the link's callbacks ------------------------------------------------------ */

static void ha_cb_log(void *arg, int prio, const char *msg)
{
	struct l2tpd *d = arg;

	log_msg(&d->log, prio, "redundancy: %s", msg);
}

/* Active: a standby wants everything. */
static void ha_cb_bulk(void *arg)
{
	struct l2tpd *d = arg;
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	const struct l2tp_ctrl_pkt *p;
	unsigned nt = 0, ns = 0;

	LIST_FOREACH(t, &d->tunnels, link) {
		if (!ha_tunnel_recordable(t))
			continue;
		ha_emit_tunnel(d, t);
		ha_emit_seq(d, t, 1);
		TAILQ_FOREACH(p, &t->ctrl.sent, link)
			ha_emit_msg(d, t, p->ns, p->buf, p->len);
		nt++;
		LIST_FOREACH(s, &t->session_list, link) {
			if (s->state < L2TP_SESSION_WAIT_CONNECT)
				continue;
			ha_emit_session(d, s);
			ns++;
		}
	}
	log_debug(&d->log, LOG_DBG_HA_EVENT, "redundancy: bulk sync of %u tunnels, %u sessions",
		  nt, ns);
}

static void ha_cb_acked(void *arg, uint64_t seq)
{
	struct l2tpd *d = arg;

	if (seq > d->ha.acked_seq)
		d->ha.acked_seq = seq;
	ha_egress_release(d, 0);
}

static void ha_cb_standby(void *arg, int up, const char *reason)
{
	struct l2tpd *d = arg;

	d->ha.standby_in_sync = up;
	if (up) {
		d->ha.stats.standby_ups++;
		log_msg(&d->log, LOG_INFO, "redundancy: standby in sync; checkpointing before "
			"acknowledging");
		if (ha_armed(d, "resync") && d->ha.tunnels_resyncing > 0)
			ha_crash(d, "resync");
	} else {
		d->ha.stats.standby_downs++;
		log_msg(&d->log, LOG_WARNING, "redundancy: standby lost (%s); %u held packets sent "
			"unprotected", reason ? reason : "gone", d->ha.egress_n);
		ha_flush(d);
		ha_egress_release(d, 1);
	}
}

static void ha_cb_bulk_begin(void *arg)
{
	struct l2tpd *d = arg;

	ha_shadow_clear(d->ha.shadow);
	d->ha.shadow_complete = 0;
	log_debug(&d->log, LOG_DBG_HA_EVENT, "redundancy: bulk sync begins");
}

static void ha_cb_bulk_end(void *arg)
{
	struct l2tpd *d = arg;
	struct ha_shadow_stats st;

	ha_shadow_get_stats(d->ha.shadow, &st);
	d->ha.shadow_complete = 1;
	log_msg(&d->log, LOG_INFO, "redundancy: in sync with the active: %llu tunnels, "
		"%llu sessions checkpointed", (unsigned long long)st.tunnels,
		(unsigned long long)st.sessions);
}

static void ha_cb_record(void *arg, const struct ha_rec *r)
{
	struct l2tpd *d = arg;

	if (ha_shadow_apply(d->ha.shadow, r) < 0)
		log_debug(&d->log, LOG_DBG_HA_ERROR, "redundancy: bad %s record ignored",
			  ha_rec_type_string(r->type));
	d->ha.stats.records_rx++;
}

static void ha_cb_active(void *arg, int up, const char *reason)
{
	struct l2tpd *d = arg;

	log_msg(&d->log, up ? LOG_INFO : LOG_WARNING, "redundancy: active %s%s%s",
		up ? "reachable" : "lost", reason ? ": " : "", reason ? reason : "");
}

static void ha_cb_takeover(void *arg)
{
	struct l2tpd *d = arg;

	if (d->ha.role != HA_ROLE_STANDBY)
		return;
	log_msg(&d->log, LOG_NOTICE, "redundancy: the active hands over (switchover)");
	ha_takeover(d, "switchover");
}

static uint64_t ha_cb_now_ms(void *arg)
{
	struct l2tpd *d = arg;

	return clock_now(&d->clk);
}

static const struct ha_link_ops ha_link_ops = {
	.bulk = ha_cb_bulk,
	.acked = ha_cb_acked,
	.standby = ha_cb_standby,
	.bulk_begin = ha_cb_bulk_begin,
	.bulk_end = ha_cb_bulk_end,
	.record = ha_cb_record,
	.active = ha_cb_active,
	.takeover = ha_cb_takeover,
	.log = ha_cb_log,
	.now_ms = ha_cb_now_ms,
};

/* --- takeover ------------------------------------------------------------------ */

static struct l2tp_session *ha_restore_session(struct l2tp_tunnel *t,
					       const struct ha_session_rec *r, int *half)
{
	struct l2tpd *d = t->d;
	struct l2tp_session *s;
	int rc, err;

	s = l2tp_session_adopt(t, r->sid, r->lns, &err);
	if (s == NULL) {
		tunnel_log(t, LOG_ERR, "takeover: session %u not rebuilt: %s", r->sid,
			   strerror(-err));
		return NULL;
	}
	s->peer_sid = r->peer_sid;
	s->kind = r->kind == L2TP_CALL_OUTGOING ? L2TP_CALL_OUTGOING : L2TP_CALL_INCOMING;
	s->call_serial = r->call_serial;
	s->tx_speed = r->tx_speed;
	s->rx_speed = r->rx_speed;
	s->framing_type = r->framing_type;
	s->bearer_type = r->bearer_type;
	snprintf(s->calling, sizeof(s->calling), "%s", r->calling);
	snprintf(s->called, sizeof(s->called), "%s", r->called);
	snprintf(s->user, sizeof(s->user), "%.*s", (int)sizeof(s->user) - 1, r->user);
	snprintf(s->pool, sizeof(s->pool), "%s", r->pool);
	snprintf(s->acct_session_id, sizeof(s->acct_session_id), "%s", r->acct_session_id);
	s->class_len = r->class_len <= sizeof(s->class_attr) ? r->class_len : 0;
	memcpy(s->class_attr, r->class_attr, s->class_len);
	s->session_timeout = r->session_timeout;	/* before PPP arms its timer */
	s->idle_timeout = r->idle_timeout;
	s->acct_started = r->acct_started;
	/* This box's counters start at 0: report the baseline plus them. */
	s->acct_base[AAA_CNT_IN_OCTETS] = s->acct_reported[AAA_CNT_IN_OCTETS] = r->acct_in_octets;
	s->acct_base[AAA_CNT_OUT_OCTETS] = s->acct_reported[AAA_CNT_OUT_OCTETS] =
		r->acct_out_octets;
	s->acct_base[AAA_CNT_IN_PACKETS] = s->acct_reported[AAA_CNT_IN_PACKETS] =
		r->acct_in_packets;
	s->acct_base[AAA_CNT_OUT_PACKETS] = s->acct_reported[AAA_CNT_OUT_PACKETS] =
		r->acct_out_packets;
	s->peer_ip.s_addr = r->peer_ip;
	s->local_ip.s_addr = r->local_ip;
	s->created_ms = ha_from_wall(d, r->created_ms);
	s->ha_rebuilt = 1;
	/* Half-made (the call, or its PPP): the new active clears it. */
	*half = r->state != L2TP_SESSION_ESTABLISHED || (r->has_ppp && !r->ppp_up);
	if (*half) {
		s->state = r->state >= L2TP_SESSION_WAIT_CONNECT ? (enum l2tp_session_state)r->state :
			   L2TP_SESSION_WAIT_CONNECT;
		if (s->state > L2TP_SESSION_ESTABLISHED)
			s->state = L2TP_SESSION_WAIT_CONNECT;
		s->pool[0] = '\0';	/* the address was never handed out for good */
		return s;
	}
	rc = l2tp_session_adopt_up(s);
	if (rc < 0) {
		session_log(s, LOG_ERR, "takeover: data path refused the session: %s", strerror(-rc));
		goto fail;
	}
	s->established_ms = ha_from_wall(d, r->established_ms);
	if (r->has_ppp) {
		struct ppp_state st;

		memset(&st, 0, sizeof(st));
		st.phase = (enum ppp_phase)r->ppp_phase;
		st.mru = r->mru;
		st.peer_mru = r->peer_mru;
		st.magic = r->magic;
		st.peer_magic = r->peer_magic;
		st.auth = (enum ppp_auth_method)r->auth;
		snprintf(st.user, sizeof(st.user), "%s", r->user);
		st.ipcp_open = r->ipcp_open;
		st.local_addr.s_addr = r->local_ip;
		st.peer_addr.s_addr = r->peer_ip;
		st.dns[0].s_addr = r->dns[0];
		st.dns[1].s_addr = r->dns[1];
		st.ipv6cp_open = r->ipv6cp_open;
		memcpy(st.local_ifid, r->local_ifid, sizeof(st.local_ifid));
		memcpy(st.peer_ifid, r->peer_ifid, sizeof(st.peer_ifid));
		/* Before the link: its observers (AAA) read them. */
		s->ppp_up = r->ppp_up;
		s->ppp_up_ms = ha_from_wall(d, r->ppp_up_ms);
		rc = l2tp_ppp_restore(s, &st, r->ifname);
		if (rc < 0) {
			session_log(s, LOG_ERR, "takeover: PPP state not restored: %s",
				    strerror(-rc));
			s->ppp_up = 0;
			goto fail;
		}
	}
	session_debug(s, LOG_DBG_HA_EVENT, "rebuilt (peer session %u%s%s)", s->peer_sid,
		      s->ifname[0] ? ", " : "", s->ifname);
	return s;
fail:
	*half = 1;	/* cleared with a CDN once the tunnel is resynchronised */
	return s;
}

/* Rebuild one tunnel and its sessions; the half-made ones are collected. */
/* A tunnel record as l2tp/ rebuilds a tunnel from it. */
static void ha_tunnel_params(const struct ha_tunnel_rec *r, struct l2tp_tunnel_params *p)
{
	memset(p, 0, sizeof(*p));
	p->tid = r->tid;
	p->peer_tid = r->peer_tid;
	p->local.sin_family = AF_INET;
	p->local.sin_addr.s_addr = r->local_addr;
	p->local.sin_port = r->local_port;
	p->peer.sin_family = AF_INET;
	p->peer.sin_addr.s_addr = r->peer_addr;
	p->peer.sin_port = r->peer_port;
	snprintf(p->peer_host, sizeof(p->peer_host), "%s", r->peer_host);
	snprintf(p->peer_vendor, sizeof(p->peer_vendor), "%s", r->peer_vendor);
	p->lns = r->lns;
	p->originator = r->originator;
	p->rws = r->rws;
	p->peer_rws = r->peer_rws;
	p->resync_window = r->resync;
	p->next_call_serial = r->next_call_serial;
}

static struct l2tp_tunnel *ha_restore_tunnel(struct l2tpd *d, const struct ha_shadow_tunnel *st,
					     struct l2tp_session ***half, size_t *n_half,
					     size_t *cap_half)
{
	struct l2tp_tunnel_params p;
	const struct ha_shadow_session *ss;
	struct vpdn_group *g;
	struct l2tp_tunnel *t;
	size_t i;
	int err;

	if (!st->have_tunnel || !st->have_seq) {
		log_msg(&d->log, LOG_ERR, "redundancy: takeover: tunnel %u incomplete in the "
			"checkpoint: not rebuilt", st->rec.tid);
		return NULL;
	}
	g = config_group_find(&d->cfg, st->rec.group);
	if (g == NULL)
		log_msg(&d->log, LOG_WARNING, "redundancy: takeover: tunnel %u: vpdn-group %s is not "
			"configured here; rebuilt with defaults", st->rec.tid, st->rec.group);
	ha_tunnel_params(&st->rec, &p);
	t = l2tp_tunnel_restore(d, g, &p, &err);
	if (t == NULL) {
		log_msg(&d->log, LOG_ERR, "redundancy: takeover: tunnel %u not rebuilt: %s",
			st->rec.tid, strerror(-err));
		return NULL;
	}
	l2tp_ctrl_restore(&t->ctrl, st->seq.ns, st->seq.nr, st->seq.una, st->rec.peer_rws);
	for (i = 0; i < st->n_msgs; i++) {
		const struct ha_shadow_msg *m = &st->msgs[i];

		if (l2tp_ctrl_restore_msg(&t->ctrl, m->ns, m->buf, m->len) < 0)
			tunnel_log(t, LOG_ERR, "takeover: checkpointed message Ns %u does not fit "
				   "(una %u, Ns %u): dropped", m->ns, st->seq.una, st->seq.ns);
	}
	for (ss = ha_shadow_next_session(st, 0); ss != NULL;
	     ss = ha_shadow_next_session(st, ss->rec.sid)) {
		struct l2tp_session *s;
		int is_half = 0;

		s = ha_restore_session(t, &ss->rec, &is_half);
		if (s == NULL) {
			d->ha.stats.takeover_errors++;
			continue;
		}
		if (!is_half) {
			d->ha.stats.takeover_sessions++;
			continue;
		}
		if (*n_half == *cap_half) {
			size_t nc = *cap_half ? *cap_half * 2 : 64;
			struct l2tp_session **nh = realloc(*half, nc * sizeof(**half));

			if (nh == NULL) {
				l2tp_session_destroy(s);
				continue;
			}
			*half = nh;
			*cap_half = nc;
		}
		(*half)[(*n_half)++] = s;
	}
	return t;
}

void ha_takeover(struct l2tpd *d, const char *why)
{
	struct l2tpd_ha *h = &d->ha;
	const struct ha_shadow_tunnel *st;
	struct l2tp_tunnel **rebuilt = NULL, *t;
	struct l2tp_session **half = NULL;
	size_t n = 0, cap = 0, n_half = 0, cap_half = 0, i;
	enum ha_role prev = h->role;
	char err[256];
	int rc;

	h->takeover_start_ms = clock_now(&d->clk);
	h->role = HA_ROLE_ACTIVE;
	h->role_since_ms = h->takeover_start_ms;
	h->stats.takeovers++;
	h->stats.takeover_tunnels = h->stats.takeover_sessions = 0;
	h->stats.takeover_cleared = h->stats.takeover_errors = 0;
	h->tunnels_resyncing = 0;
	log_msg(&d->log, LOG_NOTICE, "redundancy: becoming active (%s)", why);
	if (prev != HA_ROLE_INIT && h->link != NULL && !h->shadow_complete &&
	    ha_link_standby_rx_count(h->link) > 0)
		log_msg(&d->log, LOG_WARNING, "redundancy: the checkpoint was not complete (no "
			"bulk sync finished): rebuilding what there is");
	for (st = h->shadow ? ha_shadow_next_tunnel(h->shadow, 0) : NULL; st != NULL;
	     st = ha_shadow_next_tunnel(h->shadow, st->rec.tid)) {
		t = ha_restore_tunnel(d, st, &half, &n_half, &cap_half);
		if (t == NULL) {
			h->stats.takeover_errors++;
			continue;
		}
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct l2tp_tunnel **nr = realloc(rebuilt, nc * sizeof(*rebuilt));

			if (nr == NULL) {
				l2tp_tunnel_destroy(t);
				h->stats.takeover_errors++;
				continue;
			}
			rebuilt = nr;
			cap = nc;
		}
		rebuilt[n++] = t;
	}
	if (h->shadow != NULL)
		ha_shadow_clear(h->shadow);
	h->stats.takeover_tunnels = n;
	h->stats.takeover_rebuild_ms = clock_now(&d->clk) - h->takeover_start_ms;
	if (d->listen_fd < 0 && !d->no_sockets) {
		rc = l2tp_net_listen(d, err, sizeof(err));
		if (rc < 0)
			log_msg(&d->log, LOG_ERR, "redundancy: cannot listen: %s", err);
	}
	if (h->link != NULL)
		ha_link_set_role(h->link, HA_LINK_ACTIVE);
	log_msg(&d->log, LOG_NOTICE, "redundancy: rebuilt %zu tunnels, %llu sessions in %llu ms "
		"(%llu not rebuilt); resynchronising", n,
		(unsigned long long)h->stats.takeover_sessions,
		(unsigned long long)h->stats.takeover_rebuild_ms,
		(unsigned long long)h->stats.takeover_errors);
	h->tunnels_resyncing = (unsigned)n;
	if (n == 0)
		h->stats.resync_duration_ms = 0;
	for (i = 0; i < n; i++)
		if (!rebuilt[i]->dead)
			l2tp_tunnel_resync_start(rebuilt[i]);
	/* Half-made calls: a CDN each, sent once their tunnel is resynced. */
	for (i = 0; i < n_half; i++) {
		struct l2tp_session *s = half[i];

		h->stats.takeover_cleared++;
		if (s->t->dead)
			continue;
		session_log(s, LOG_NOTICE, "takeover: call was not fully established: clearing");
		l2tp_session_clear(s, L2TP_CDN_NO_FACILITIES_TEMP, -1,
				   "call not established at failover");
	}
	free(half);
	free(rebuilt);
}

/* A tunnel finished its resync, ok or not. */
static void ha_obs_tunnel_resynced(void *arg, struct l2tp_tunnel *t, int ok)
{
	struct l2tpd *d = t->d;
	struct l2tpd_ha *h = &d->ha;

	if (ok)
		h->stats.resync_ok++;
	else
		h->stats.resync_fail++;
	tunnel_debug(t, LOG_DBG_HA_RESYNC, "resync %s in %llu ms", ok ? "done" : "failed",
		     (unsigned long long)t->resync_ms);
	ha_mark(t, HA_DIRTY_TUNNEL | HA_DIRTY_SEQ);
	if (h->tunnels_resyncing == 0)
		return;
	if (--h->tunnels_resyncing == 0) {
		h->stats.resync_duration_ms = clock_now(&d->clk) - h->takeover_start_ms;
		log_msg(&d->log, LOG_NOTICE, "redundancy: takeover complete in %llu ms: %llu tunnels "
			"resynchronised, %llu failed", (unsigned long long)h->stats.resync_duration_ms,
			(unsigned long long)h->stats.resync_ok,
			(unsigned long long)h->stats.resync_fail);
	}
}

/* --- roles ----------------------------------------------------------------- */

/* ACTIVE -> silent: the peers belong to the new active now.  Nothing is
 * sent; every tunnel, session and kernel object of ours goes. */
static void ha_demote(struct l2tpd *d, enum ha_role to, const char *why)
{
	struct l2tpd_ha *h = &d->ha;
	struct l2tp_tunnel *t;

	h->role = to;
	h->role_since_ms = clock_now(&d->clk);
	h->stats.demotions++;
	h->standby_in_sync = 0;
	log_msg(&d->log, LOG_WARNING, "redundancy: no longer active (%s): going silent, dropping "
		"%u tunnels and %u sessions here", why, d->n_tunnels, d->n_sessions);
	ha_egress_free(&h->egress);
	ha_egress_free(&h->egress_new);
	h->egress_n = 0;
	l2tp_net_close(d);
	LIST_FOREACH(t, &d->tunnels, link)
		if (!t->dead)
			l2tp_tunnel_destroy(t);
	h->tunnels_resyncing = 0;
	if (h->shadow != NULL)
		ha_shadow_clear(h->shadow);
	if (h->link != NULL)
		ha_link_set_role(h->link, HA_LINK_STANDBY);
}

static void ha_become_standby(struct l2tpd *d, enum ha_role to)
{
	d->ha.role = to;
	d->ha.role_since_ms = clock_now(&d->clk);
	if (d->ha.link != NULL)
		ha_link_set_role(d->ha.link, HA_LINK_STANDBY);
	log_msg(&d->log, LOG_NOTICE, "redundancy: %s: following the active at %s:%u",
		ha_role_string(to), inet_ntoa(d->cfg.red.peer), d->cfg.red.peer_port);
}

int ha_set_state(struct l2tpd *d, const char *state, char *err, size_t errsz)
{
	struct l2tpd_ha *h = &d->ha;

	if (h->role == HA_ROLE_STANDALONE) {
		snprintf(err, errsz, "no redundancy configured");
		return -EINVAL;
	}
	log_debug(&d->log, LOG_DBG_HA_RF, "redundancy: keepalived says %s (role %s)", state,
		  ha_role_string(h->role));
	log_debug(&d->log, LOG_DBG_HA_FSM, "redundancy: role %s, event %s", ha_role_string(h->role),
		  state);
	if (strcmp(state, "master") == 0) {
		if (h->role != HA_ROLE_ACTIVE)
			ha_takeover(d, h->role == HA_ROLE_INIT ? "master at start" : "VRRP master");
		return 0;
	}
	if (strcmp(state, "backup") == 0 || strcmp(state, "fault") == 0) {
		enum ha_role to = state[0] == 'b' ? HA_ROLE_STANDBY : HA_ROLE_FAULT;

		if (h->role == HA_ROLE_ACTIVE)
			ha_demote(d, to, state);
		else if (h->role != to)
			ha_become_standby(d, to);
		h->role = to;
		return 0;
	}
	snprintf(err, errsz, "unknown state \"%s\" (master, backup or fault)", state);
	return -EINVAL;
}

int ha_switchover(struct l2tpd *d, char *err, size_t errsz)
{
	struct l2tpd_ha *h = &d->ha;

	if (h->role != HA_ROLE_ACTIVE) {
		snprintf(err, errsz, "this box is %s, not active", ha_role_string(h->role));
		return -EINVAL;
	}
	if (!h->standby_in_sync || h->link == NULL) {
		snprintf(err, errsz, "no standby in sync: a switchover would drop every session");
		return -EAGAIN;
	}
	/* What is held has its records on the way; the standby resends the
	 * messages and its Nr acknowledges for us. */
	ha_flush(d);
	if (ha_link_active_request_takeover(h->link) < 0) {
		snprintf(err, errsz, "cannot reach the standby");
		return -EIO;
	}
	ha_demote(d, HA_ROLE_STANDBY, "switchover");
	return 0;
}

/* --- life cycle -------------------------------------------------------------- */

static const struct l2tp_observer_ops ha_observer_ops = {
	.tunnel_changed = ha_obs_tunnel_changed,
	.tunnel_seq = ha_obs_tunnel_seq,
	.tunnel_numbered = ha_obs_tunnel_numbered,
	.tunnel_resynced = ha_obs_tunnel_resynced,
	.tunnel_resync_refused = ha_obs_resync_refused,
	.tunnel_deleted = ha_obs_tunnel_deleted,
	.session_changed = ha_obs_session_changed,
	.session_deleted = ha_obs_session_deleted,
};

int ha_init(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;

	STAILQ_INIT(&h->egress);
	STAILQ_INIT(&h->egress_new);
	TAILQ_INIT(&h->dirty_tunnels);
	TAILQ_INIT(&h->dirty_sessions);
	h->role = HA_ROLE_STANDALONE;
	return l2tp_observer_add(d, &ha_observer_ops, d);
}

int ha_start(struct l2tpd *d, char *err, size_t errsz)
{
	struct l2tpd_ha *h = &d->ha;
	const struct config_redundancy *red = &d->cfg.red;
	struct ha_link_cfg lc;
	char a[INET_ADDRSTRLEN];
	int rc;

	if (!red->configured) {
		h->role = HA_ROLE_STANDALONE;
		return 0;
	}
	h->shadow = ha_shadow_new();
	if (h->shadow == NULL) {
		snprintf(err, errsz, "redundancy: out of memory");
		return -ENOMEM;
	}
	memset(&lc, 0, sizeof(lc));
	inet_ntop(AF_INET, &red->local, a, sizeof(a));
	snprintf(lc.bind, sizeof(lc.bind), "tcp://%s:%u", a, red->local_port);
	inet_ntop(AF_INET, &red->peer, a, sizeof(a));
	snprintf(lc.connect, sizeof(lc.connect), "tcp://%s:%u", a, red->peer_port);
	lc.curve = red->curve && !red->security_none;
	snprintf(lc.public_key, sizeof(lc.public_key), "%s", red->public_key);
	snprintf(lc.secret_key, sizeof(lc.secret_key), "%s", red->secret_key);
	snprintf(lc.peer_key, sizeof(lc.peer_key), "%s", red->peer_key);
	lc.heartbeat_ms = red->heartbeat_ms;
	lc.dead_ms = red->dead_ms;
	rc = ha_link_new(d->loop, &lc, &ha_link_ops, d, &h->link, err, errsz);
	if (rc < 0)
		return rc;
	h->role = HA_ROLE_INIT;
	h->role_since_ms = clock_now(&d->clk);
	ha_commit_install(d);
	if (d->loop != NULL) {
		ev_prepare_init(&h->flush_watcher, ha_flush_cb);
		h->flush_watcher.data = d;
		ev_prepare_start(d->loop, &h->flush_watcher);
	}
	log_msg(&d->log, LOG_INFO, "redundancy: mode sso, checkpoint link %s (%s), peer %s; "
		"waiting for keepalived (redundancy state master|backup|fault)", lc.bind,
		lc.curve ? "CURVE" : "NOT AUTHENTICATED", lc.connect);
	return 0;
}

void ha_fini(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;

	if (d->loop != NULL && h->link != NULL)
		ev_prepare_stop(d->loop, &h->flush_watcher);
	if (h->link != NULL)
		ha_link_free(h->link);
	h->link = NULL;
	if (h->shadow != NULL)
		ha_shadow_free(h->shadow);
	h->shadow = NULL;
	ha_egress_free(&h->egress);
	ha_egress_free(&h->egress_new);
	h->egress_n = 0;
	if (d->xmit == ha_commit_xmit)
		d->xmit = h->xmit_next;
	h->xmit_next = NULL;
}

/* --- unit-test seams ------------------------------------------------------- */

void ha_test_attach(struct l2tpd *d, uint64_t (*sink)(void *arg, const struct ha_rec *r),
		    void *arg)
{
	d->ha.test_sink = sink;
	d->ha.test_arg = arg;
	d->ha.role = HA_ROLE_ACTIVE;
	d->ha.standby_in_sync = 1;
	ha_commit_install(d);
}

void ha_test_ack(struct l2tpd *d, uint64_t seq)
{
	ha_cb_acked(d, seq);
}

void ha_test_crash(struct l2tpd *d)
{
	d->ha.test_sink = NULL;
	ha_demote(d, HA_ROLE_STANDBY, "test crash");
	l2tp_tunnel_reap(d);
	d->ha.stats.demotions--;
}
