/*
 * High availability: the role, what HA hears of tunnels and sessions, the
 * link's callbacks, the end of each loop turn, life, crash points and the
 * tests' seams (see ha.h for the model, ha/ha_int.h for the other files;
 * DESIGN.md, "HA contract", for the rules).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common/util.h"
#include "l2tpd.h"
#include "ha/ha_int.h"
#include "l2tp/net.h"
#include "l2tp/observer.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "haproto/ha_link.h"
#include "haproto/ha_rec.h"
#include "haproto/ha_shadow.h"
#include "pppoe/access.h"

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

/* A time of the daemon's clock as wall-clock milliseconds, and back: the
 * two boxes share the wall clock, not their monotonic ones. */
uint64_t ha_to_wall_at(uint64_t now, uint64_t wall, uint64_t t)
{
	if (t == 0 || t > now || now - t > wall)
		return 0;
	return wall - (now - t);
}

uint64_t ha_to_wall(const struct l2tpd *d, uint64_t t)
{
	return ha_to_wall_at(clock_now(&d->clk), clock_wall_ms(&d->clk), t);
}

uint64_t ha_from_wall(struct l2tpd *d, uint64_t w)
{
	uint64_t now = clock_now(&d->clk), wall = clock_wall_ms(&d->clk);

	if (w == 0 || w > wall || wall - w > now)
		return now;
	return now - (wall - w);
}

int ha_may_act(const struct l2tpd *d)
{
	return d->ha.role == HA_ROLE_STANDALONE || d->ha.role == HA_ROLE_ACTIVE;
}

int ha_streaming(const struct l2tpd *d)
{
	return d->ha.role == HA_ROLE_ACTIVE && (d->ha.link != NULL || d->ha.test_sink != NULL);
}

void ha_crash(struct l2tpd *d, const char *point)
{
	log_msg(&d->log, LOG_CRIT, "redundancy: crash point %s reached: SIGKILL", point);
	kill(getpid(), SIGKILL);
}

/* The L2TP message type of a type name (ICRP, HELLO, ...), -1 if none. */
static int ha_crash_msg_type(const char *msg)
{
	int type;

	for (type = 1; type <= L2TP_MSG_MAX; type++)
		if (strcasecmp(l2tp_msg_type_name(type), msg) == 0)
			return type;
	return -1;
}

int ha_crash_point(struct l2tpd *d, const char *name, const char *msg)
{
	int type = -1;

	if (strcmp(name, "none") == 0) {
		d->ha.crash_point[0] = '\0';
		d->ha.crash_msg = -1;
		return 0;
	}
	if (strcmp(name, "tx-before-ckpt") != 0 && strcmp(name, "ckpt-before-tx") != 0 &&
	    strcmp(name, "resync") != 0)
		return -EINVAL;
	if (msg != NULL && (strcmp(name, "resync") == 0 || (type = ha_crash_msg_type(msg)) < 0))
		return -EINVAL;
	snprintf(d->ha.crash_point, sizeof(d->ha.crash_point), "%s", name);
	d->ha.crash_msg = type;
	log_msg(&d->log, LOG_WARNING, "redundancy: crash point %s%s%s armed", name,
		msg != NULL ? " at the next " : "", msg != NULL ? l2tp_msg_type_name(type) : "");
	return 0;
}

int ha_crash_armed(const struct l2tpd *d, const char *point)
{
	return d->ha.crash_point[0] != '\0' && strcmp(d->ha.crash_point, point) == 0;
}

/* Armed for POINT, and BUF is the message it waits for (any with no type
 * named; a ZLB, with no Message Type AVP, never matches a type).  The
 * Message Type AVP comes first and is never hidden (RFC 2661 §4.4.1). */
int ha_crash_at(const struct l2tpd *d, const char *point, const uint8_t *buf, size_t len)
{
	struct l2tp_hdr h;

	if (!ha_crash_armed(d, point))
		return 0;
	if (d->ha.crash_msg < 0)
		return 1;
	if (l2tp_hdr_parse(buf, len, &h) < 0 || !h.is_ctrl || h.length < h.hdr_len + 8)
		return 0;
	return l2tp_msg_rd16(buf + h.hdr_len + 6) == (uint16_t)d->ha.crash_msg;
}

/* --- what HA hears of tunnels and sessions (l2tp/observer.h) ---------------------- */

int ha_tunnel_recordable(const struct l2tp_tunnel *t)
{
	return t->sso && !t->dead && t->state == L2TP_TUNNEL_ESTABLISHED;
}

void ha_mark(struct l2tp_tunnel *t, unsigned bits)
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

	ha_takeover_session_changed(s);
	if (!ha_streaming(d) || !s->t->sso || s->t->dead || s->ha_dirty)
		return;
	s->ha_dirty = 1;
	TAILQ_INSERT_TAIL(&d->ha.dirty_sessions, s, ha_dirty_link);
}

static void ha_obs_session_deleted(void *arg, struct l2tp_session *s)
{
	struct l2tpd *d = s->t->d;

	ha_takeover_session_deleted(s);
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
	if (ha_crash_at(d, "tx-before-ckpt", buf, len) && d->ha.standby_in_sync) {
		/* The fault the contract exists for: the message is on the wire,
		 * the standby never hears of it. */
		ha_commit_xmit_raw(d, t, buf, len);
		ha_crash(d, "tx-before-ckpt");
	}
	ha_emit_msg(d, t, ns, buf, len);
	ha_mark(t, HA_DIRTY_SEQ);
}

/* A message waits for the peer's window: recorded with the Ns it will
 * take, so that a new active sends it if this box dies first (an ICRP
 * behind a full window, say: its call is checkpointed, the peer acked the
 * ICRQ and waits for it). */
static void ha_obs_tunnel_queued(void *arg, struct l2tp_tunnel *t, uint16_t ns,
				 const uint8_t *buf, size_t len)
{
	struct l2tpd *d = t->d;

	if (!ha_streaming(d) || !ha_tunnel_recordable(t))
		return;
	ha_emit_msg_queued(d, t, ns, buf, len);
}

static void ha_obs_resync_refused(void *arg, struct l2tp_tunnel *t)
{
	t->d->ha.stats.resync_refused++;
}

static void ha_obs_rx_batch(void *arg, struct l2tpd *d, unsigned n)
{
	ha_commit_point(d, n);
}

static const struct l2tp_observer_ops ha_observer_ops = {
	.tunnel_changed = ha_obs_tunnel_changed,
	.tunnel_seq = ha_obs_tunnel_seq,
	.tunnel_numbered = ha_obs_tunnel_numbered,
	.tunnel_queued = ha_obs_tunnel_queued,
	.tunnel_resynced = ha_takeover_resynced,
	.tunnel_resync_refused = ha_obs_resync_refused,
	.tunnel_deleted = ha_obs_tunnel_deleted,
	.sessions_missing = ha_takeover_sessions_missing,
	.sessions_wanted = ha_takeover_sessions_wanted,
	.session_changed = ha_obs_session_changed,
	.session_deleted = ha_obs_session_deleted,
	.rx_batch = ha_obs_rx_batch,
};

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

/* --- the end of each loop turn ------------------------------------------------- */

void ha_flush(struct l2tpd *d)
{
	d->ha.turn_msgs = 0;
	if (d->ha.role != HA_ROLE_ACTIVE)
		return;
	ha_emit_dirty(d);
	/* The turn's records leave together (one message for many). */
	if (d->ha.link != NULL)
		ha_link_active_flush(d->ha.link);
	/* Everything held this turn waits for what was emitted up to now;
	 * what is released leaves now (a commit point inside a turn, too). */
	ha_commit_tag(d);
	if (ha_commit_release(d, !d->ha.standby_in_sync) > 0)
		l2tp_net_flush(d);
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
	ha_emit_bulk(arg);
}

static void ha_cb_acked(void *arg, uint64_t seq)
{
	ha_commit_acked(arg, seq);
}

static void ha_cb_standby(void *arg, int up, const char *reason)
{
	struct l2tpd *d = arg;

	d->ha.standby_in_sync = up;
	if (up) {
		d->ha.stats.standby_ups++;
		log_msg(&d->log, LOG_INFO, "redundancy: standby in sync; checkpointing before "
			"acknowledging");
		if (ha_crash_armed(d, "resync") && d->ha.tunnels_resyncing > 0)
			ha_crash(d, "resync");
	} else {
		d->ha.stats.standby_downs++;
		log_msg(&d->log, LOG_WARNING, "redundancy: standby lost (%s); %u held packets sent "
			"unprotected", reason ? reason : "gone", d->ha.egress_n);
		ha_flush(d);
		ha_commit_release(d, 1);
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

	if (r->type == HA_REC_CONFIG || r->type == HA_REC_CONFIG_PART) {
		if (r->type == HA_REC_CONFIG)
			ha_config_received(d, &r->u.config);
		else
			ha_config_part_received(d, &r->u.config);
		d->ha.stats.records_rx++;
		return;
	}
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
	d->ha.active_up = up;
	ha_vrrp_fault_progress(d);
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
	ha_takeover_stop(d);
	log_msg(&d->log, LOG_WARNING, "redundancy: no longer active (%s): going silent, dropping "
		"%u tunnels and %u sessions here", why, d->n_tunnels, d->n_sessions);
	ha_commit_drop(d);
	l2tp_net_close(d);
	/* The subscribers belong to the new active too: not a PADT from the
	 * shared MAC (their calls go below, silently). */
	pppoe_access_drop(d);
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
		if (to == HA_ROLE_FAULT && h->vrrp_fault) {
			h->vrrp_fault_notified = 1;
			ha_vrrp_fault_progress(d);
		}
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
	if (ha_vrrp_fault_set(d) < 0) {
		snprintf(err, errsz, "the standby has the tunnels, but the VRRP fault file %s "
			 "could not be written: move the address by hand", d->cfg.red.fault_file);
		return -EIO;
	}
	return 0;
}

/* --- life cycle -------------------------------------------------------------- */

int ha_init(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;

	STAILQ_INIT(&h->egress);
	STAILQ_INIT(&h->egress_new);
	TAILQ_INIT(&h->dirty_tunnels);
	TAILQ_INIT(&h->dirty_sessions);
	h->role = HA_ROLE_STANDALONE;
	h->vip_fd = -1;
	ha_pppoe_init(d);
	return l2tp_observer_add(d, &ha_observer_ops, d);
}

/* The checkpoint link as configured (ha_start, and the hitless restart's
 * reopening when it failed). */
static int ha_link_open(struct l2tpd *d, struct ha_link_cfg *lc, char *err, size_t errsz)
{
	const struct config_redundancy *red = &d->cfg.red;
	char a[INET_ADDRSTRLEN];

	memset(lc, 0, sizeof(*lc));
	inet_ntop(AF_INET, &red->local, a, sizeof(a));
	snprintf(lc->bind, sizeof(lc->bind), "tcp://%s:%u", a, red->local_port);
	inet_ntop(AF_INET, &red->peer, a, sizeof(a));
	snprintf(lc->connect, sizeof(lc->connect), "tcp://%s:%u", a, red->peer_port);
	lc->curve = red->curve && !red->security_none;
	snprintf(lc->public_key, sizeof(lc->public_key), "%s", red->public_key);
	snprintf(lc->secret_key, sizeof(lc->secret_key), "%s", red->secret_key);
	snprintf(lc->peer_key, sizeof(lc->peer_key), "%s", red->peer_key);
	lc->heartbeat_ms = red->heartbeat_ms;
	lc->dead_ms = red->dead_ms;
	return ha_link_new(d->loop, lc, &ha_link_ops, d, &d->ha.link, err, errsz);
}

int ha_start(struct l2tpd *d, char *err, size_t errsz)
{
	struct l2tpd_ha *h = &d->ha;
	const struct config_redundancy *red = &d->cfg.red;
	struct ha_link_cfg lc;
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
	rc = ha_link_open(d, &lc, err, errsz);
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
	ha_vip_start(d);
	ha_vrrp_fault_init(d);
	log_msg(&d->log, LOG_INFO, "redundancy: mode sso, checkpoint link %s (%s), peer %s; "
		"waiting for keepalived (redundancy state master|backup|fault)", lc.bind,
		lc.curve ? "CURVE" : "NOT AUTHENTICATED", lc.connect);
	return 0;
}

/*
 * The hitless restart: the process before closes its end of the link
 * (off) before the new one binds the same port, the standby seeing the
 * active go quiet as it does at any restart (it takes over only when
 * keepalived says so); a restart that failed opens it again (on) and the
 * standby comes back for a bulk sync.  0 or a negative errno.
 */
int ha_restart_link(struct l2tpd *d, int on, char *err, size_t errsz)
{
	struct l2tpd_ha *h = &d->ha;
	struct ha_link_cfg lc;
	int rc;

	if (!d->cfg.red.configured)
		return 0;
	if (!on) {
		if (h->link != NULL)
			ha_link_free(h->link);
		h->link = NULL;
		h->standby_in_sync = 0;
		return 0;
	}
	if (h->link != NULL)
		return 0;
	rc = ha_link_open(d, &lc, err, errsz);
	if (rc == 0 && h->role == HA_ROLE_ACTIVE)
		ha_link_set_role(h->link, HA_LINK_ACTIVE);
	return rc;
}

void ha_fini(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;

	if (d->loop != NULL && h->link != NULL)
		ev_prepare_stop(d->loop, &h->flush_watcher);
	ha_vip_stop(d);
	ha_takeover_stop(d);
	if (h->vrrp_fault)
		clock_timer_stop(&d->clk, &h->fault_hold);
	if (h->link != NULL)
		ha_link_free(h->link);
	h->link = NULL;
	if (h->shadow != NULL)
		ha_shadow_free(h->shadow);
	h->shadow = NULL;
	ha_commit_drop(d);
	ha_commit_uninstall(d);
	ha_config_parts_drop(d);
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
