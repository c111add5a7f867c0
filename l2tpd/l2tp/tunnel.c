/*
 * Tunnel (control connection) state machine, RFC 2661 §5.1, §7.2: the
 * tunnel's life, its control channel's callbacks, and what each message
 * gets in each state.  The establishment (SCCRQ, SCCRP, SCCCN, and an
 * SCCRQ on a listening socket) is l2tp/tunnel_setup.c; tunnel
 * authentication (§4.2) l2tp/tunnel_auth.c.
 *
 * Answers, for every message in every state (the session-level messages go
 * to l2tp/session.c once the tunnel is established):
 *
 *   state \ msg     SCCRQ        SCCRP        SCCCN        StopCCN   HELLO   session msgs
 *   WAIT_CTL_REPLY  tie breaker  -> ESTAB     FSM error    close     ack     FSM error
 *   WAIT_CTL_CONN   (dup: ack)   FSM error    -> ESTAB     close     ack     FSM error
 *   ESTABLISHED     FSM error    FSM error    FSM error    close     ack     sessions
 *   CLOSING         ignore       ignore       ignore       ack       ignore  ignore
 *
 * "FSM error" is a StopCCN with Result Code 7 (§4.4.2).  Every message,
 * answered or ignored, is acknowledged by the control channel.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/idmap.h"
#include "common/util.h"
#include "core/rand.h"
#include "core/rand_pool.h"
#include "l2tpd.h"
#include "l2tp/avp.h"
#include "l2tp/net.h"
#include "l2tp/observer.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "l2tp/tunnel_int.h"

static const char *const tunnel_state_names[] = {
	[L2TP_TUNNEL_IDLE] = "idle",
	[L2TP_TUNNEL_WAIT_CTL_REPLY] = "wait-ctl-reply",
	[L2TP_TUNNEL_WAIT_CTL_CONN] = "wait-ctl-conn",
	[L2TP_TUNNEL_ESTABLISHED] = "established",
	[L2TP_TUNNEL_CLOSING] = "closing",
};

const char *l2tp_tunnel_state_string(enum l2tp_tunnel_state s)
{
	if ((size_t)s >= ARRAY_SIZE(tunnel_state_names))
		return "unknown";
	return tunnel_state_names[s];
}

_Static_assert(L2TP_TUNNEL_CLOSING + 1 == L2TPD_TUNNEL_STATES, "d->tunnels_in: one a state");

/* Every change of t->state, counted in d->tunnels_in while t lives. */
static void tunnel_state_move(struct l2tp_tunnel *t, enum l2tp_tunnel_state s)
{
	if (!t->dead) {
		t->d->tunnels_in[t->state]--;
		t->d->tunnels_in[s]++;
	}
	t->state = s;
}

void l2tp_tunnel_set_state(struct l2tp_tunnel *t, enum l2tp_tunnel_state s)
{
	tunnel_debug(t, LOG_DBG_FSM, "%s -> %s", l2tp_tunnel_state_string(t->state),
		     l2tp_tunnel_state_string(s));
	tunnel_state_move(t, s);
	l2tp_observer_tunnel_changed(t);
}

int l2tp_tunnel_set_sso(struct l2tp_tunnel *t, int on)
{
	if (t->sso == (on != 0))
		return 0;
	t->sso = on != 0;
	l2tp_observer_tunnel_changed(t);
	return 1;
}

int l2tp_tunnel_set_resync_window(struct l2tp_tunnel *t, uint16_t window)
{
	if (window == 0 || t->resync_window == window)
		return 0;
	t->resync_window = window;
	l2tp_observer_tunnel_changed(t);
	return 1;
}

struct l2tp_tunnel *l2tp_tunnel_find(struct l2tpd *d, uint16_t tid)
{
	struct l2tp_tunnel *t = d->tunnel_by_id[tid];

	return (t != NULL && !t->dead) ? t : NULL;
}

/* Full retransmission cycle (§5.7 asks a closing peer to hold state that long). */
static uint64_t tunnel_full_cycle_ms(const struct l2tp_tunnel *t)
{
	uint64_t total = 0, rto = t->ctrl.cfg.rto_min_ms;
	unsigned i;

	for (i = 0; i <= t->ctrl.cfg.retries; i++) {
		total += rto;
		rto = rto * 2 > t->ctrl.cfg.rto_max_ms ? t->ctrl.cfg.rto_max_ms : rto * 2;
	}
	return total;
}

uint64_t l2tp_tunnel_rtx_budget_ms(const struct l2tp_tunnel *t)
{
	return tunnel_full_cycle_ms(t);
}

/* --- control channel callbacks ----------------------------------------- */

static int tunnel_ctrl_xmit(void *arg, const uint8_t *buf, size_t len)
{
	struct l2tp_tunnel *t = arg;
	int rc;

	/* Logged here, where Ns/Nr are those on the wire (retransmissions too). */
	if (t->d->log.debug & LOG_DBG_PACKET) {
		struct l2tp_msg *m = malloc(sizeof(*m));
		char line[512];

		if (m != NULL && l2tp_msg_decode(buf, len, m) == 0) {
			l2tp_msg_format(m, line, sizeof(line));
			tunnel_debug(t, LOG_DBG_PACKET, "send %s", line);
		}
		free(m);
	}
	l2tp_observer_tunnel_seq(t);
	l2tp_counters_xmit(&t->d->counters, buf, len);
	/* HA may withhold it (rc 1): a daemon that may not act says nothing,
	 * and a packet waits for the standby to hold the state it reflects. */
	rc = t->d->xmit(t, buf, len);
	if (rc < 0)
		t->d->stats.tx_errors++;
	else if (rc == 0)
		t->d->stats.tx_packets++;
	return rc < 0 ? rc : 0;
}

static void tunnel_deliver(void *arg, const uint8_t *buf, size_t len, const struct l2tp_hdr *h);

static void tunnel_dead(void *arg)
{
	struct l2tp_tunnel *t = arg;

	if (t->state == L2TP_TUNNEL_CLOSING) {
		tunnel_debug(t, LOG_DBG_EVENT, "StopCCN not acknowledged; closing anyway");
	} else {
		tunnel_log(t, LOG_WARNING, "peer %s:%u not responding after %u retransmissions; "
			   "clearing tunnel and %u sessions", inet_ntoa(t->peer.sin_addr),
			   ntohs(t->peer.sin_port), t->ctrl.cfg.retries, t->n_sessions);
		t->stop_result = L2TP_STOPCCN_GENERAL_ERROR;
		snprintf(t->stop_msg, sizeof(t->stop_msg), "peer not responding");
		if (t->state != L2TP_TUNNEL_ESTABLISHED)
			t->d->stats.tunnels_failed++;
	}
	if (t->resyncing) {
		t->resyncing = 0;
		t->resync_result = -1;
		t->resync_ms = clock_now(&t->d->clk) - t->resync_start_ms;
		tunnel_log(t, LOG_WARNING, "resync failed: the peer never answered");
		l2tp_observer_tunnel_resynced(t, 0);
	}
	l2tp_tunnel_destroy(t);
}

static void tunnel_hello(void *arg)
{
	struct l2tp_tunnel *t = arg;
	struct l2tp_msgbuf b;

	if (t->state != L2TP_TUNNEL_ESTABLISHED || l2tp_ctrl_outstanding(&t->ctrl) > 0)
		return;	/* something is in flight already: its ack proves liveness */
	l2tp_tunnel_msg_init(t, &b, L2TP_MSG_HELLO, 0);
	tunnel_debug(t, LOG_DBG_EVENT, "sending HELLO");
	l2tp_tunnel_send(t, &b);
}

static void tunnel_numbered(void *arg, uint16_t ns, const uint8_t *buf, size_t len)
{
	struct l2tp_tunnel *t = arg;

	l2tp_counters_numbered(&t->d->counters, buf);
	l2tp_observer_tunnel_numbered(arg, ns, buf, len);
	l2tp_iccn_numbered(t, buf, len);
}

static void tunnel_queued(void *arg, uint16_t ns, const uint8_t *buf, size_t len)
{
	l2tp_observer_tunnel_queued(arg, ns, buf, len);
}

/* Resync with nothing checkpointed outstanding: a HELLO shows where the
 * peer's Nr is (DESIGN.md, resync step 2). */
static void tunnel_probe(void *arg)
{
	struct l2tp_tunnel *t = arg;
	struct l2tp_msgbuf b;

	l2tp_tunnel_msg_init(t, &b, L2TP_MSG_HELLO, 0);
	tunnel_debug(t, LOG_DBG_HA_RESYNC, "resync: probing with HELLO (Ns %u, Nr %u)",
		     t->ctrl.ns, t->ctrl.nr);
	l2tp_tunnel_send(t, &b);
}

static void tunnel_resynced(void *arg)
{
	struct l2tp_tunnel *t = arg;

	t->resyncing = 0;
	t->resync_ms = clock_now(&t->d->clk) - t->resync_start_ms;
	t->resync_result = 1;
	tunnel_log(t, LOG_INFO, "resynchronised in %llu ms: Ns %u, Nr %u%s",
		   (unsigned long long)t->resync_ms, t->ctrl.ns, t->ctrl.nr,
		   t->ctrl.stats.resync_jumps ? " (Ns moved to the peer's Nr)" : "");
	l2tp_observer_tunnel_resynced(t, 1);
}

static const struct l2tp_ctrl_ops tunnel_ctrl_ops = {
	.xmit = tunnel_ctrl_xmit,
	.deliver = tunnel_deliver,
	.dead = tunnel_dead,
	.hello = tunnel_hello,
	.numbered = tunnel_numbered,
	.queued = tunnel_queued,
	.probe = tunnel_probe,
	.resynced = tunnel_resynced,
};

/* --- lifecycle ---------------------------------------------------------- */

static void tunnel_close_timer_cb(struct l2tp_timer *tm, void *arg)
{
	l2tp_tunnel_destroy(arg);
}

static int tunnel_id_taken(const void *ctx, uint16_t id)
{
	const struct l2tpd *d = ctx;

	return d->tunnel_by_id[id] != NULL;
}

/* A free local Tunnel ID (never 0), at random; 0 if none is left.  A few
 * draws from the daemon's pool of random bytes first (a getrandom call
 * each cost a system call a tunnel), then idmap_pick's own draws and scan
 * when the table is crowded. */
static uint16_t tunnel_id_alloc(struct l2tpd *d)
{
	if (d->n_tunnels >= 65535)
		return 0;
	for (int i = 0; i < 4; i++) {
		uint16_t id;

		rand_pool_bytes(&d->rand, &id, sizeof(id));
		if (id != 0 && !tunnel_id_taken(d, id))
			return id;
	}
	return idmap_pick(tunnel_id_taken, d, rand_bytes);
}

/* Tunnels of group g do silent switchover: a redundancy block, `l2tp sso
 * enable` and the group's `sso enable`. */
static int tunnel_sso_wanted(const struct l2tpd *d, const struct vpdn_group *g)
{
	return d->cfg.red.configured && d->cfg.sso && g != NULL && g->sso;
}

/* tid 0: a free one; rws 0: the group's (or its resync window with SSO). */
struct l2tp_tunnel *l2tp_tunnel_alloc(struct l2tpd *d, struct vpdn_group *g, int lns,
				      uint16_t tid, uint16_t rws, int *err)
{
	struct l2tp_ctrl_cfg cc;
	struct l2tp_tunnel *t;

	if (tid == 0)
		tid = tunnel_id_alloc(d);
	if (tid == 0) {
		*err = -ENOSPC;
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		*err = -ENOMEM;
		return NULL;
	}
	t->d = d;
	t->grp = g;
	t->tid = tid;
	t->lns = lns;
	t->originator = !lns;
	t->fd = -1;
	t->sessions = idmap_create();
	t->peer_sessions = idmap_create();
	LIST_INIT(&t->session_list);
	l2tp_ctrl_cfg_default(&cc);
	/* The resync window even when SSO is off: RADIUS may switch it on
	 * for this tunnel later (vpdn:l2tp-silent-switchover). */
	t->resync_window = g != NULL && g->resync ? (uint16_t)g->resync : CONFIG_DEF_RESYNC;
	if (g != NULL) {
		cc.rws = (uint16_t)g->rws;
		cc.retries = g->retries;
		cc.rto_min_ms = g->rto_min * 1000;
		cc.rto_max_ms = g->rto_max * 1000;
		cc.hello_ms = g->hello * 1000;
		/* SSO: the receive window bounds how far sequence numbers can
		 * be off after a failover (DESIGN.md), so it is the resync
		 * window. */
		if (tunnel_sso_wanted(d, g)) {
			t->sso = 1;
			t->resync_window = (uint16_t)g->resync;
			cc.rws = (uint16_t)g->resync;
		}
	}
	if (rws != 0)
		cc.rws = rws;
	if (t->sessions == NULL || t->peer_sessions == NULL ||
	    l2tp_ctrl_init(&t->ctrl, &d->clk, &cc, &tunnel_ctrl_ops, t) < 0) {
		idmap_destroy(t->sessions);
		idmap_destroy(t->peer_sessions);
		free(t);
		*err = -ENOMEM;
		return NULL;
	}
	clock_timer_init(&t->close_timer, tunnel_close_timer_cb, t);
	t->created_ms = clock_now(&d->clk);
	t->next_call_serial = 1;
	d->tunnel_by_id[tid] = t;
	LIST_INSERT_HEAD(&d->tunnels, t, link);
	d->n_tunnels++;
	d->tunnels_in[t->state]++;
	if (!lns)
		d->n_lac_tunnels++;
	d->stats.tunnels_created++;
	return t;
}

/* Its sessions and its kernel tunnel go; it no longer counts as up. */
static void tunnel_drop_sessions(struct l2tp_tunnel *t)
{
	struct l2tp_session *s;

	while ((s = LIST_FIRST(&t->session_list)) != NULL)
		l2tp_session_destroy(s);
	if (t->dp_created) {
		dp_tunnel_delete(t->d->dp, t->tid);
		t->dp_created = 0;
	}
	if (t->state == L2TP_TUNNEL_ESTABLISHED && t->grp != NULL && t->grp->tunnels_up > 0)
		t->grp->tunnels_up--;
}

void l2tp_tunnel_destroy(struct l2tp_tunnel *t)
{
	if (t->dead)
		return;
	/* Sessions a takeover has not rebuilt yet go as the others do
	 * (accounting, the observers). */
	l2tp_session_complete(t);
	/* Dead from here: its sessions go as part of it (the observers may
	 * say it once for all, as HA's one DELETE record does). */
	t->d->tunnels_in[t->state]--;
	t->dead = 1;
	l2tp_guard_half_open_del(t->d, t);
	l2tp_guard_peer_del(t->d, t);
	l2tp_observer_tunnel_deleted(t);
	tunnel_drop_sessions(t);
	clock_timer_stop(&t->d->clk, &t->close_timer);
	/* The channel may be on the stack (this can run from its deliver
	 * callback): silence it now, free it with the tunnel.  Likewise the
	 * socket stops being watched but is closed by the reaper: a read
	 * loop up the stack may still be draining it. */
	l2tp_ctrl_stop(&t->ctrl);
	l2tp_net_tunnel_stop(t);
	tunnel_debug(t, LOG_DBG_EVENT, "destroyed");
	t->d->tunnel_by_id[t->tid] = NULL;
	t->d->n_tunnels--;
	if (!t->lns)
		t->d->n_lac_tunnels--;
	if (t->d->lac_on_port == t)
		t->d->lac_on_port = NULL;
	/* Freed by the reaper: callers up the stack may still hold t. */
	t->d->n_dead++;
}

static void tunnel_free(struct l2tp_tunnel *t)
{
	LIST_REMOVE(t, link);
	l2tp_ctrl_destroy(&t->ctrl);
	l2tp_net_tunnel_close(t);
	idmap_destroy(t->sessions);
	idmap_destroy(t->peer_sessions);
	l2tp_session_drop_held(t);
	free(t->iccn_left);
	free(t);
}

unsigned l2tp_tunnel_reap(struct l2tpd *d)
{
	struct l2tp_tunnel *t, *next;
	unsigned n = 0;

	if (d->n_dead == 0)
		return 0;
	for (t = LIST_FIRST(&d->tunnels); t != NULL; t = next) {
		next = LIST_NEXT(t, link);
		if (t->dead) {
			tunnel_free(t);
			n++;
		}
	}
	d->n_dead = 0;
	return n;
}

void l2tp_tunnel_msg_init(struct l2tp_tunnel *t, struct l2tp_msgbuf *b, uint16_t type,
			  uint16_t peer_sid)
{
	const uint8_t *secret;
	size_t slen;

	l2tp_msgbuf_init(b, type, t->peer_tid, peer_sid);
	secret = l2tp_tunnel_auth_secret(t, &slen);
	if (secret != NULL)
		l2tp_msgbuf_set_secret(b, secret, slen);
}

int l2tp_tunnel_send(struct l2tp_tunnel *t, struct l2tp_msgbuf *b)
{
	int len = l2tp_msgbuf_finish(b);

	if (len < 0) {
		tunnel_log(t, LOG_ERR, "cannot build message: %s", strerror(-len));
		return len;
	}
	return l2tp_ctrl_send(&t->ctrl, b->buf, (size_t)len);
}

static void tunnel_go_closing(struct l2tp_tunnel *t, uint64_t hold_ms)
{
	/* Sessions and the data path go now; only the control state lingers. */
	l2tp_session_complete(t);
	tunnel_drop_sessions(t);
	l2tp_tunnel_set_state(t, L2TP_TUNNEL_CLOSING);
	clock_timer_start(&t->d->clk, &t->close_timer, hold_ms);
}

void l2tp_tunnel_clear(struct l2tp_tunnel *t, uint16_t result, int error, const char *msg)
{
	struct l2tp_msgbuf b;

	if (t->dead || t->state == L2TP_TUNNEL_CLOSING)
		return;
	if (t->peer_tid == 0) {
		/* No answer from the peer yet: nobody to address a StopCCN to. */
		tunnel_log(t, LOG_NOTICE, "closing before the peer answered: %s", msg ? msg : "");
		t->stop_result = result;
		snprintf(t->stop_msg, sizeof(t->stop_msg), "%s", msg ? msg : "");
		if (t->state != L2TP_TUNNEL_ESTABLISHED)
			t->d->stats.tunnels_failed++;
		l2tp_tunnel_destroy(t);
		return;
	}
	tunnel_log(t, LOG_NOTICE, "sending StopCCN: result %u (%s)%s%s", result,
		   l2tp_result_string(L2TP_MSG_STOPCCN, result), msg ? ": " : "", msg ? msg : "");
	t->stop_result = result;
	t->stop_error = error > 0 ? (uint16_t)error : 0;
	t->stop_by_peer = 0;
	snprintf(t->stop_msg, sizeof(t->stop_msg), "%s", msg ? msg : "");
	if (t->state != L2TP_TUNNEL_ESTABLISHED)
		t->d->stats.tunnels_failed++;
	/* §5.7: StopCCN carries our Assigned Tunnel ID and a Result Code. */
	l2tp_counters_result(t->d->counters.stopccn_tx, result);
	l2tp_tunnel_msg_init(t, &b, L2TP_MSG_STOPCCN, 0);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_TUNNEL_ID, t->tid, 0);
	l2tp_avp_put_result(&b, result, error, msg);
	l2tp_tunnel_send(t, &b);
	/* Hold until the StopCCN is acknowledged (the channel's dead callback or
	 * the ack path ends it sooner) for at most a full retransmission cycle. */
	tunnel_go_closing(t, tunnel_full_cycle_ms(t) + 1000);
}

/* --- HA takeover -------------------------------------------------------- */

struct l2tp_tunnel *l2tp_tunnel_restore(struct l2tpd *d, struct vpdn_group *g,
					const struct l2tp_tunnel_params *r, int *err)
{
	struct dp_tunnel_params p;
	struct l2tp_tunnel *t;
	int rc;

	if (r->tid == 0 || r->peer_tid == 0 || d->tunnel_by_id[r->tid] != NULL) {
		*err = -EEXIST;
		return NULL;
	}
	/* The window the peer was told stays ours: it may have that many
	 * messages in flight. */
	t = l2tp_tunnel_alloc(d, g, r->lns, r->tid, r->rws, err);
	if (t == NULL)
		return NULL;
	t->originator = r->originator;
	t->peer_tid = r->peer_tid;
	t->peer = r->peer;
	t->peer.sin_family = AF_INET;
	t->local = r->local;
	t->local.sin_family = AF_INET;
	snprintf(t->peer_host, sizeof(t->peer_host), "%s", r->peer_host);
	snprintf(t->peer_vendor, sizeof(t->peer_vendor), "%s", r->peer_vendor);
	t->peer_rws = r->peer_rws;
	t->next_call_serial = r->next_call_serial;
	t->sso = 1;
	t->resync_window = r->resync_window ? r->resync_window : CONFIG_DEF_RESYNC;
	l2tp_ctrl_set_peer(&t->ctrl, t->peer_tid, t->peer_rws);
	rc = r->adopt_fd_set ? l2tp_net_tunnel_adopt(t, r->adopt_fd) : l2tp_net_tunnel_open(t);
	if (rc == 0)
		rc = l2tp_net_tunnel_connect(t);
	if (rc < 0) {
		tunnel_log(t, LOG_ERR, "takeover: cannot open the tunnel socket on %s:%u: %s",
			   inet_ntoa(t->local.sin_addr), ntohs(t->local.sin_port), strerror(-rc));
		goto fail;
	}
	memset(&p, 0, sizeof(p));
	p.tunnel_id = t->tid;
	p.peer_tunnel_id = t->peer_tid;
	p.fd = t->fd;
	rc = dp_tunnel_create(d->dp, &p);
	if (rc < 0) {
		tunnel_log(t, LOG_ERR, "takeover: data path refused the tunnel: %s", strerror(-rc));
		goto fail;
	}
	t->dp_created = 1;
	tunnel_state_move(t, L2TP_TUNNEL_ESTABLISHED);
	t->established_ms = clock_now(&d->clk);
	if (t->lns)
		l2tp_guard_peer_add(d, t);	/* a second tunnel from its port: own port */
	if (g != NULL)
		g->tunnels_up++;
	return t;
fail:
	/* Nothing was said to the peer; nothing is. */
	t->sso = 0;
	l2tp_ctrl_stop(&t->ctrl);
	l2tp_tunnel_destroy(t);
	*err = rc;
	return NULL;
}

void l2tp_tunnel_continue(struct l2tp_tunnel *t, int sso)
{
	t->sso = sso != 0;
	l2tp_ctrl_continue(&t->ctrl);
}

void l2tp_tunnel_resync_start(struct l2tp_tunnel *t)
{
	t->resyncing = 1;
	t->resync_start_ms = clock_now(&t->d->clk);
	t->resync_result = 0;
	tunnel_debug(t, LOG_DBG_HA_RESYNC,
		     "resync: Ns %u, Nr %u, %u checkpointed messages, window %u",
		     t->ctrl.ns, t->ctrl.nr, l2tp_ctrl_outstanding(&t->ctrl), t->resync_window);
	l2tp_ctrl_resync_start(&t->ctrl, t->resync_window);
}

static void tunnel_recv_stopccn(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	struct l2tp_result r;

	t->d->stats.rx_stopccn++;
	if (l2tp_msg_get_result(m, &r) < 0) {
		r.result = 0;
		r.error = -1;
		r.msg[0] = '\0';
	}
	if (t->peer_tid == 0) {
		/* A StopCCN answering our SCCRQ (§6.4): its Assigned Tunnel
		 * ID is where the acknowledgement goes. */
		uint16_t ptid = 0;

		if (l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &ptid) == 0 && ptid != 0) {
			t->peer_tid = ptid;
			l2tp_ctrl_set_peer(&t->ctrl, ptid, 0);
		}
	}
	if (t->state == L2TP_TUNNEL_CLOSING) {
		/* Both sides said goodbye; ours is acked or will time out. */
		l2tp_ctrl_flush_ack(&t->ctrl);
		return;
	}
	l2tp_counters_result(t->d->counters.stopccn_rx, r.result);
	tunnel_log(t, t->state == L2TP_TUNNEL_ESTABLISHED ? LOG_NOTICE : LOG_WARNING,
		   "StopCCN from peer: result %u (%s)%s%s%s, %u sessions cleared", r.result,
		   l2tp_result_string(L2TP_MSG_STOPCCN, r.result), r.error > 0 ? ", error " : "",
		   r.error > 0 ? l2tp_error_string(r.error) : "", r.msg[0] ? "" : "", t->n_sessions);
	if (r.msg[0] != '\0')
		tunnel_log(t, LOG_NOTICE, "peer says: \"%s\"", r.msg);
	t->stop_result = r.result;
	t->stop_error = r.error > 0 ? (uint16_t)r.error : 0;
	t->stop_by_peer = 1;
	snprintf(t->stop_msg, sizeof(t->stop_msg), "%s", r.msg);
	if (t->state != L2TP_TUNNEL_ESTABLISHED) {
		t->d->stats.tunnels_failed++;
		if (r.result == L2TP_STOPCCN_NOT_AUTHORIZED)
			t->d->stats.tunnel_auth_failures++;
	}
	/* §5.7: acknowledge at once and keep the state for a full
	 * retransmission cycle so a lost ack can be repeated. */
	l2tp_ctrl_flush_ack(&t->ctrl);
	tunnel_go_closing(t, tunnel_full_cycle_ms(t));
}

/* Answer a decoding error the way §4.1 and §4.4.2 require. */
static void tunnel_decode_error(struct l2tp_tunnel *t, const struct l2tp_msg *m, int rc)
{
	t->stats.rx_bad++;
	tunnel_log(t, LOG_WARNING, "bad %s: %s", l2tp_msg_type_name(m->type),
		   m->err.text[0] ? m->err.text : strerror(-rc));
	if (m->err.result == 0)
		return;		/* the decoder says: discard */
	if (m->err.session_level && t->state == L2TP_TUNNEL_ESTABLISHED) {
		struct l2tp_session *s;

		l2tp_session_complete(t);
		s = l2tp_session_find(t, m->hdr.session_id);
		uint16_t peer_sid = 0;

		/* §4.1: the session this message is about is terminated.  A
		 * new call (ICRQ/OCRQ) has no session yet: refuse it by the
		 * peer's Assigned Session ID when it can be read. */
		if (s != NULL)
			l2tp_session_clear(s, m->err.result, m->err.error, m->err.text);
		else if (m->type != L2TP_MSG_CDN &&
			 l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &peer_sid) == 0 &&
			 peer_sid != 0)
			l2tp_session_refuse(t, peer_sid, m->err.result, m->err.error, m->err.text);
		return;
	}
	if (t->state == L2TP_TUNNEL_IDLE && m->type == L2TP_MSG_SCCRQ)
		t->d->stats.tunnels_refused++;
	l2tp_tunnel_clear(t, m->err.result ? m->err.result : L2TP_STOPCCN_GENERAL_ERROR,
			  m->err.error, m->err.text);
}

static int tunnel_is_session_msg(uint16_t type)
{
	switch (type) {
	case L2TP_MSG_OCRQ: case L2TP_MSG_OCRP: case L2TP_MSG_OCCN:
	case L2TP_MSG_ICRQ: case L2TP_MSG_ICRP: case L2TP_MSG_ICCN:
	case L2TP_MSG_CDN: case L2TP_MSG_WEN: case L2TP_MSG_SLI:
		return 1;
	default:
		return 0;
	}
}

static void tunnel_fsm_error(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	char why[96];

	t->stats.rx_unexpected++;
	snprintf(why, sizeof(why), "unexpected %s in state %s", l2tp_msg_type_name(m->type),
		 l2tp_tunnel_state_string(t->state));
	tunnel_log(t, LOG_WARNING, "%s", why);
	l2tp_tunnel_clear(t, L2TP_STOPCCN_FSM_ERROR, -1, why);
}

/* Decode and dispatch one in-order message.  `from` is NULL when unknown. */
static void tunnel_dispatch(struct l2tp_tunnel *t, const uint8_t *buf, size_t len,
			    const struct sockaddr_in *from)
{
	struct l2tp_msg *m;
	const uint8_t *secret;
	size_t slen;
	int rc;

	m = malloc(sizeof(*m));
	if (m == NULL) {
		tunnel_log(t, LOG_ERR, "out of memory decoding a message");
		return;
	}
	rc = l2tp_msg_decode(buf, len, m);
	if (rc == 0 && m->n_hidden > 0) {
		/* An SCCRQ's group (hence secret) was chosen from its Host
		 * Name, which is never hidden, when the tunnel was made. */
		secret = l2tp_tunnel_auth_secret(t, &slen);
		rc = l2tp_msg_unhide(m, secret, slen);
		if (rc == -ENOKEY && m->err.result == 0) {
			m->err.result = L2TP_STOPCCN_GENERAL_ERROR;
			m->err.error = L2TP_ERR_BAD_VALUE;
			snprintf(m->err.text, sizeof(m->err.text), "hidden AVP and no tunnel secret");
		}
	}
	if (rc < 0) {
		tunnel_decode_error(t, m, rc);
		goto out;
	}
	if (t->d->log.debug & LOG_DBG_PACKET) {
		char line[512];

		l2tp_msg_format(m, line, sizeof(line));
		tunnel_debug(t, LOG_DBG_PACKET, "recv %s", line);
	}
	l2tp_counters_rx(&t->d->counters, m->type, m->type_known);
	if (!m->type_known) {
		tunnel_debug(t, LOG_DBG_EVENT, "ignoring message of unknown type %u", m->type);
		goto out;
	}
	if (t->state == L2TP_TUNNEL_CLOSING) {
		if (m->type == L2TP_MSG_STOPCCN)
			tunnel_recv_stopccn(t, m);
		goto out;
	}
	switch (m->type) {
	case L2TP_MSG_SCCRQ:
		if (t->state == L2TP_TUNNEL_IDLE && t->lns)
			l2tp_tunnel_recv_sccrq(t, m);
		else
			tunnel_fsm_error(t, m);
		break;
	case L2TP_MSG_SCCRP:
		if (t->state == L2TP_TUNNEL_WAIT_CTL_REPLY)
			l2tp_tunnel_recv_sccrp(t, m, from ? from : &t->peer);
		else
			tunnel_fsm_error(t, m);
		break;
	case L2TP_MSG_SCCCN:
		if (t->state == L2TP_TUNNEL_WAIT_CTL_CONN)
			l2tp_tunnel_recv_scccn(t, m);
		else
			tunnel_fsm_error(t, m);
		break;
	case L2TP_MSG_STOPCCN:
		tunnel_recv_stopccn(t, m);
		break;
	case L2TP_MSG_HELLO:
		/* §6.5: nothing to do but acknowledge (the channel does). */
		tunnel_debug(t, LOG_DBG_EVENT, "HELLO received");
		break;
	default:
		if (tunnel_is_session_msg(m->type) && t->state == L2TP_TUNNEL_ESTABLISHED) {
			/* New calls: session limits and the ICRQ rate first. */
			if ((m->type == L2TP_MSG_ICRQ || m->type == L2TP_MSG_OCRQ) &&
			    l2tp_guard_call(t, m))
				break;
			l2tp_session_input(t, m);
		} else {
			tunnel_fsm_error(t, m);
		}
		break;
	}
out:
	free(m);
}

static void tunnel_deliver(void *arg, const uint8_t *buf, size_t len, const struct l2tp_hdr *h)
{
	struct l2tp_tunnel *t = arg;

	if (t->dead)
		return;
	tunnel_dispatch(t, buf, len, t->rx_from);
}

void l2tp_tunnel_input(struct l2tp_tunnel *t, int fd, const struct sockaddr_in *from,
		       const uint8_t *buf, size_t len, const struct l2tp_hdr *h)
{
	int rc;

	t->rx_fd = fd;
	t->rx_from = from;
	if (h->hdr_len == h->length)
		l2tp_counters_rx(&t->d->counters, L2TP_MSG_ZLB, 1);
	l2tp_observer_tunnel_seq(t);
	rc = l2tp_ctrl_input(&t->ctrl, h, buf, len);
	t->rx_from = NULL;
	l2tp_iccn_run(t);
	if (rc < 0)
		tunnel_debug(t, LOG_DBG_SEQ, "Nr %u acknowledges what we never sent (Ns %u): ignored",
			     h->nr, t->ctrl.ns);
	/* A StopCCN of ours that the peer just acknowledged ends the tunnel. */
	if (!t->dead && t->state == L2TP_TUNNEL_CLOSING && !t->stop_by_peer &&
	    l2tp_ctrl_idle(&t->ctrl))
		l2tp_tunnel_destroy(t);
}

