/*
 * Tunnel (control connection) state machine, RFC 2661 §5.1, §7.2.
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
#include "l2tpd.h"
#include "l2tp/avp.h"
#include "l2tp/net.h"
#include "l2tp/observer.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

#define L2TP_VENDOR_NAME	"l2tpd-ha"
#define L2TP_FIRMWARE_REV	0x0100

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

static void l2tp_tunnel_set_state(struct l2tp_tunnel *t, enum l2tp_tunnel_state s)
{
	tunnel_debug(t, LOG_DBG_FSM, "%s -> %s", l2tp_tunnel_state_string(t->state),
		     l2tp_tunnel_state_string(s));
	t->state = s;
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

static const uint8_t *tunnel_secret(const struct l2tp_tunnel *t, size_t *len)
{
	if (t->aaa_secret[0] != '\0') {
		*len = strlen(t->aaa_secret);
		return (const uint8_t *)t->aaa_secret;
	}
	if (t->grp == NULL || t->grp->password[0] == '\0') {
		*len = 0;
		return NULL;
	}
	*len = strlen(t->grp->password);
	return (const uint8_t *)t->grp->password;
}

static const char *tunnel_local_name(const struct l2tp_tunnel *t)
{
	if (t->grp != NULL && t->grp->local_name[0] != '\0')
		return t->grp->local_name;
	if (t->d->cfg.hostname[0] != '\0')
		return t->d->cfg.hostname;
	return "l2tpd";
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
	l2tp_observer_tunnel_numbered(arg, ns, buf, len);
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

/* A free local Tunnel ID (never 0), at random; 0 if none is left. */
static uint16_t tunnel_id_alloc(struct l2tpd *d)
{
	if (d->n_tunnels >= 65535)
		return 0;
	return idmap_pick(tunnel_id_taken, d, rand_bytes);
}

/* Tunnels of group g do silent switchover: a redundancy block, `l2tp sso
 * enable` and the group's `sso enable`. */
static int tunnel_sso_wanted(const struct l2tpd *d, const struct vpdn_group *g)
{
	return d->cfg.red.configured && d->cfg.sso && g != NULL && g->sso;
}

/* tid 0: a free one; rws 0: the group's (or its resync window with SSO). */
static struct l2tp_tunnel *tunnel_alloc(struct l2tpd *d, struct vpdn_group *g, int lns,
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
	if (t->sessions == NULL || l2tp_ctrl_init(&t->ctrl, &d->clk, &cc, &tunnel_ctrl_ops, t) < 0) {
		idmap_destroy(t->sessions);
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
	d->stats.tunnels_created++;
	return t;
}

void l2tp_tunnel_destroy(struct l2tp_tunnel *t)
{
	struct l2tp_session *s;

	if (t->dead)
		return;
	/* Dead from here: its sessions go as part of it (the observers may
	 * say it once for all, as HA's one DELETE record does). */
	t->dead = 1;
	l2tp_observer_tunnel_deleted(t);
	while ((s = LIST_FIRST(&t->session_list)) != NULL)
		l2tp_session_destroy(s);
	if (t->dp_created) {
		dp_tunnel_delete(t->d->dp, t->tid);
		t->dp_created = 0;
	}
	if (t->state == L2TP_TUNNEL_ESTABLISHED && t->grp != NULL && t->grp->tunnels_up > 0)
		t->grp->tunnels_up--;
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
	/* Freed by the reaper: callers up the stack may still hold t. */
	t->d->n_dead++;
}

static void tunnel_free(struct l2tp_tunnel *t)
{
	LIST_REMOVE(t, link);
	l2tp_ctrl_destroy(&t->ctrl);
	l2tp_net_tunnel_close(t);
	idmap_destroy(t->sessions);
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
	secret = tunnel_secret(t, &slen);
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
	struct l2tp_session *s;

	/* Sessions and the data path go now; only the control state lingers. */
	while ((s = LIST_FIRST(&t->session_list)) != NULL)
		l2tp_session_destroy(s);
	if (t->dp_created) {
		dp_tunnel_delete(t->d->dp, t->tid);
		t->dp_created = 0;
	}
	if (t->state == L2TP_TUNNEL_ESTABLISHED && t->grp != NULL && t->grp->tunnels_up > 0)
		t->grp->tunnels_up--;
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
	t = tunnel_alloc(d, g, r->lns, r->tid, r->rws, err);
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
	rc = l2tp_net_tunnel_open(t);
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
	t->state = L2TP_TUNNEL_ESTABLISHED;
	t->established_ms = clock_now(&d->clk);
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

/* --- SCCRQ / SCCRP / SCCCN ---------------------------------------------- */

static void tunnel_put_common(struct l2tp_tunnel *t, struct l2tp_msgbuf *b)
{
	l2tp_avp_put_version(b);
	l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_CAP, L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC, 0);
	l2tp_avp_put_u32(b, L2TP_AVP_BEARER_CAP, L2TP_BEARER_DIGITAL | L2TP_BEARER_ANALOG, 0);
	l2tp_avp_put_u16(b, L2TP_AVP_FIRMWARE_REV, L2TP_FIRMWARE_REV, 0);
	l2tp_avp_put_str(b, L2TP_AVP_HOST_NAME, tunnel_local_name(t), 0);
	l2tp_avp_put_str(b, L2TP_AVP_VENDOR_NAME, L2TP_VENDOR_NAME, 0);
	l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_TUNNEL_ID, t->tid, 0);
	l2tp_avp_put_u16(b, L2TP_AVP_RECV_WINDOW_SIZE, t->ctrl.cfg.rws, 0);
}

static int tunnel_auth_wanted(const struct l2tp_tunnel *t)
{
	/* a secret from RADIUS is used for authentication unless the group says no */
	if (tunnel_secret(t, &(size_t){ 0 }) == NULL)
		return 0;
	return t->grp == NULL || t->grp->authentication;
}

static void tunnel_put_challenge(struct l2tp_tunnel *t, struct l2tp_msgbuf *b)
{
	if (!tunnel_auth_wanted(t))
		return;
	rand_bytes(t->challenge, sizeof(t->challenge));
	t->challenge_sent = 1;
	l2tp_avp_put(b, L2TP_AVP_CHALLENGE, t->challenge, sizeof(t->challenge), 0);
}

/* Answer the peer's Challenge (§4.2) in a message of type `type`. */
static int tunnel_put_response(struct l2tp_tunnel *t, struct l2tp_msgbuf *b, uint8_t type)
{
	const uint8_t *secret;
	uint8_t resp[16];
	size_t slen;

	if (t->peer_challenge_len == 0)
		return 0;
	secret = tunnel_secret(t, &slen);
	if (secret == NULL)
		return -ENOKEY;
	l2tp_auth_response(type, secret, slen, t->peer_challenge, t->peer_challenge_len, resp);
	l2tp_avp_put(b, L2TP_AVP_CHALLENGE_RESPONSE, resp, sizeof(resp), 0);
	return 0;
}

/* Check the peer's Challenge Response to our challenge, carried in `type`. */
static int tunnel_check_response(struct l2tp_tunnel *t, const struct l2tp_msg *m, uint8_t type)
{
	const uint8_t *resp, *secret;
	size_t rlen, slen;

	if (!t->challenge_sent)
		return 0;
	if (l2tp_msg_get_bytes(m, L2TP_AVP_CHALLENGE_RESPONSE, &resp, &rlen) < 0) {
		tunnel_log(t, LOG_WARNING, "authentication failed: %s carries no Challenge Response",
			   l2tp_msg_type_name(type));
		return -EACCES;
	}
	secret = tunnel_secret(t, &slen);
	if (l2tp_auth_check(type, secret, slen, t->challenge, sizeof(t->challenge), resp, rlen) != 0) {
		tunnel_log(t, LOG_WARNING, "authentication failed: wrong Challenge Response from %s "
			   "(tunnel secrets differ)", t->peer_host[0] ? t->peer_host : "peer");
		return -EACCES;
	}
	return 0;
}

static void tunnel_auth_failed(struct l2tp_tunnel *t)
{
	t->d->stats.tunnel_auth_failures++;
	if (t->grp != NULL)
		t->grp->tunnels_refused++;
	l2tp_tunnel_clear(t, L2TP_STOPCCN_NOT_AUTHORIZED, -1, "tunnel authentication failed");
}

/* Peer parameters common to SCCRQ and SCCRP (§6.1, §6.2). */
static int tunnel_read_peer(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	const struct l2tp_avp *a;
	const uint8_t *chal;
	size_t clen;
	uint16_t rws = 0;

	/* The Assigned Tunnel ID first: even a refusal (bad version) is a
	 * StopCCN addressed to it. */
	if (l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &t->peer_tid) < 0 || t->peer_tid == 0)
		return -EINVAL;
	l2tp_ctrl_set_peer(&t->ctrl, t->peer_tid, 0);
	a = l2tp_msg_avp(m, L2TP_AVP_PROTOCOL_VERSION);
	if (a == NULL || a->len != 2 || a->val[0] != 1 || a->val[1] != 0)
		return -EPROTONOSUPPORT;
	l2tp_msg_get_str(m, L2TP_AVP_HOST_NAME, t->peer_host, sizeof(t->peer_host));
	l2tp_msg_get_str(m, L2TP_AVP_VENDOR_NAME, t->peer_vendor, sizeof(t->peer_vendor));
	l2tp_msg_get_u16(m, L2TP_AVP_FIRMWARE_REV, &t->peer_firmware);
	l2tp_msg_get_u32(m, L2TP_AVP_FRAMING_CAP, &t->peer_framing);
	l2tp_msg_get_u32(m, L2TP_AVP_BEARER_CAP, &t->peer_bearer);
	l2tp_msg_get_u16(m, L2TP_AVP_RECV_WINDOW_SIZE, &rws);
	if (l2tp_msg_has(m, L2TP_AVP_RECV_WINDOW_SIZE) && rws == 0)
		return -EINVAL;	/* §4.4.3: a window of 0 is not allowed */
	t->peer_rws = rws ? rws : L2TP_DEFAULT_RWS;
	t->peer_has_tie_breaker = l2tp_msg_get_u64(m, L2TP_AVP_TIE_BREAKER, &t->peer_tie_breaker) == 0;
	if (l2tp_msg_get_bytes(m, L2TP_AVP_CHALLENGE, &chal, &clen) == 0) {
		if (clen > sizeof(t->peer_challenge))
			clen = sizeof(t->peer_challenge);
		memcpy(t->peer_challenge, chal, clen);
		t->peer_challenge_len = clen;
	}
	l2tp_ctrl_set_peer(&t->ctrl, t->peer_tid, t->peer_rws);
	return 0;
}

static void tunnel_established(struct l2tp_tunnel *t)
{
	struct dp_tunnel_params p = { .tunnel_id = t->tid, .peer_tunnel_id = t->peer_tid, .fd = t->fd };
	int rc;

	rc = dp_tunnel_create(t->d->dp, &p);
	if (rc < 0) {
		tunnel_log(t, LOG_ERR, "data path refused the tunnel: %s", strerror(-rc));
		l2tp_tunnel_clear(t, L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_NO_RESOURCE,
				  "data path error");
		return;
	}
	t->dp_created = 1;
	l2tp_tunnel_set_state(t, L2TP_TUNNEL_ESTABLISHED);
	t->established_ms = clock_now(&t->d->clk);
	if (t->grp != NULL)
		t->grp->tunnels_up++;
	tunnel_log(t, LOG_INFO, "established with %s (%s:%u, vendor \"%s\") as %s", t->peer_host,
		   inet_ntoa(t->peer.sin_addr), ntohs(t->peer.sin_port), t->peer_vendor,
		   t->lns ? "LNS" : "LAC");
	l2tp_session_tunnel_up(t);
}

struct l2tp_tunnel *l2tp_tunnel_open(struct l2tpd *d, struct vpdn_group *g, int *err)
{
	struct sockaddr_in peer;

	memset(&peer, 0, sizeof(peer));
	peer.sin_family = AF_INET;
	peer.sin_addr = g->initiate_to;
	peer.sin_port = htons(g->initiate_port ? g->initiate_port : L2TP_PORT);
	return l2tp_tunnel_open_to(d, g, &peer, NULL, err);
}

struct l2tp_tunnel *l2tp_tunnel_open_to(struct l2tpd *d, struct vpdn_group *g,
					const struct sockaddr_in *peer, const char *secret,
					int *err)
{
	const char *gname = g != NULL ? g->name : "-";
	struct l2tp_tunnel *t;
	struct l2tp_msgbuf b;
	int rc;

	if (secret != NULL && strlen(secret) >= sizeof(t->aaa_secret)) {
		*err = -EINVAL;
		return NULL;
	}
	t = tunnel_alloc(d, g, 0, 0, 0, err);
	if (t == NULL)
		return NULL;
	if (secret != NULL)
		snprintf(t->aaa_secret, sizeof(t->aaa_secret), "%s", secret);
	t->peer.sin_family = AF_INET;
	t->peer.sin_addr = peer->sin_addr;
	t->peer.sin_port = peer->sin_port;
	t->local.sin_family = AF_INET;
	t->local.sin_addr = d->cfg.source_ip;
	t->local.sin_port = g != NULL ? htons((uint16_t)g->source_port) : 0;
	rc = l2tp_net_tunnel_open(t);
	if (rc < 0) {
		log_msg(&d->log, LOG_ERR, "vpdn-group %s: cannot open a socket toward %s: %s",
			gname, inet_ntoa(peer->sin_addr), strerror(-rc));
		l2tp_tunnel_destroy(t);
		*err = rc;
		return NULL;
	}
	/* §6.1 SCCRQ */
	l2tp_tunnel_msg_init(t, &b, L2TP_MSG_SCCRQ, 0);
	tunnel_put_common(t, &b);
	rand_bytes(&t->tie_breaker, sizeof(t->tie_breaker));
	l2tp_avp_put_u64(&b, L2TP_AVP_TIE_BREAKER, t->tie_breaker, 0);
	tunnel_put_challenge(t, &b);
	l2tp_tunnel_set_state(t, L2TP_TUNNEL_WAIT_CTL_REPLY);
	tunnel_log(t, LOG_INFO, "vpdn-group %s: sending SCCRQ to %s:%u", gname,
		   inet_ntoa(t->peer.sin_addr), ntohs(t->peer.sin_port));
	if (l2tp_tunnel_send(t, &b) < 0) {
		l2tp_tunnel_destroy(t);
		*err = -EIO;
		return NULL;
	}
	return t;
}

/* §4.4.3 Tie Breaker: we have an SCCRQ outstanding to the peer that sent one. */
static int tunnel_tie_break(struct l2tpd *d, const struct sockaddr_in *from, uint64_t theirs)
{
	struct l2tp_tunnel *t, *mine = NULL;

	LIST_FOREACH(t, &d->tunnels, link) {
		if (!t->dead && t->state == L2TP_TUNNEL_WAIT_CTL_REPLY &&
		    t->peer.sin_addr.s_addr == from->sin_addr.s_addr) {
			mine = t;
			break;
		}
	}
	if (mine == NULL)
		return 0;		/* no race: accept */
	uint64_t ours = mine->tie_breaker;

	if (ours < theirs) {
		log_msg(&d->log, LOG_NOTICE, "tunnel %u: tie breaker with %s won: their SCCRQ discarded",
			mine->tid, inet_ntoa(from->sin_addr));
		return -EEXIST;
	}
	/* We lost, or a draw (both discard; §4.4.3): our SCCRQ goes silently. */
	tunnel_log(mine, LOG_NOTICE, "tie breaker with %s %s: our SCCRQ withdrawn",
		   inet_ntoa(from->sin_addr), ours == theirs ? "drawn" : "lost");
	l2tp_tunnel_destroy(mine);
	return ours == theirs ? -EEXIST : 0;
}

/* Refuse an SCCRQ: a tunnel is made only to carry the StopCCN reliably. */
static void tunnel_refuse(struct l2tp_tunnel *t, uint16_t result, int error, const char *msg)
{
	t->d->stats.tunnels_refused++;
	if (t->grp != NULL)
		t->grp->tunnels_refused++;
	l2tp_tunnel_clear(t, result, error, msg);
}

/*
 * Read the peer's SCCRQ/SCCRP parameters; on failure answer with the
 * StopCCN §4.4.2 asks for (counted as a refusal for an SCCRQ) and return
 * the error.
 */
static int tunnel_accept_peer(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	void (*stop)(struct l2tp_tunnel *, uint16_t, int, const char *) =
		t->lns ? tunnel_refuse : l2tp_tunnel_clear;
	int rc = tunnel_read_peer(t, m);

	if (rc == -EPROTONOSUPPORT)
		stop(t, L2TP_STOPCCN_BAD_VERSION, -1, "protocol version 1.0 only");
	else if (rc < 0)
		stop(t, L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_BAD_VALUE,
		     "bad Assigned Tunnel ID or Receive Window Size");
	return rc;
}

/* The peer challenged us (§4.2) and we hold no secret to answer with. */
static int tunnel_cannot_answer(struct l2tp_tunnel *t)
{
	if (t->peer_challenge_len == 0 || tunnel_secret(t, &(size_t){0}) != NULL)
		return 0;
	tunnel_log(t, LOG_WARNING, "%s challenges us but %s%s has no tunnel password",
		   t->peer_host, t->grp ? "vpdn-group " : "this end", t->grp ? t->grp->name : "");
	t->d->stats.tunnel_auth_failures++;
	(t->lns ? tunnel_refuse : l2tp_tunnel_clear)(t, L2TP_STOPCCN_NOT_AUTHORIZED, -1,
						     "no tunnel secret");
	return 1;
}

static void tunnel_recv_sccrq(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	struct l2tpd *d = t->d;
	struct l2tp_msgbuf b;

	if (tunnel_accept_peer(t, m) < 0)
		return;
	/* The group was chosen from the Host Name when the tunnel was made
	 * (its timers and window are the channel's); NULL: nobody accepts. */
	if (t->grp == NULL || !d->cfg.vpdn_enabled) {
		tunnel_log(t, LOG_WARNING, "SCCRQ from %s (%s): no accept-dialin vpdn-group %s; refused",
			   t->peer_host, inet_ntoa(t->peer.sin_addr),
			   d->cfg.vpdn_enabled ? "matches" : "(vpdn disabled)");
		tunnel_refuse(t, L2TP_STOPCCN_NOT_AUTHORIZED, -1, "no vpdn-group for this host");
		return;
	}
	if (tunnel_cannot_answer(t))
		return;
	/* §6.2 SCCRP */
	l2tp_tunnel_msg_init(t, &b, L2TP_MSG_SCCRP, 0);
	tunnel_put_common(t, &b);
	tunnel_put_response(t, &b, L2TP_MSG_SCCRP);
	tunnel_put_challenge(t, &b);
	l2tp_tunnel_set_state(t, L2TP_TUNNEL_WAIT_CTL_CONN);
	tunnel_log(t, LOG_INFO, "SCCRQ from %s (%s:%u), vpdn-group %s: sending SCCRP", t->peer_host,
		   inet_ntoa(t->peer.sin_addr), ntohs(t->peer.sin_port), t->grp->name);
	l2tp_tunnel_send(t, &b);
}

static int tunnel_4tuple_taken(struct l2tpd *d, const struct l2tp_tunnel *t);

static void tunnel_recv_sccrp(struct l2tp_tunnel *t, const struct l2tp_msg *m,
			      const struct sockaddr_in *from)
{
	struct l2tp_msgbuf b;
	int rc;

	if (tunnel_accept_peer(t, m) < 0)
		return;
	/* §8.1: the responder may answer from another port; follow it once. */
	t->peer.sin_port = from->sin_port;
	if (tunnel_4tuple_taken(t->d, t))
		tunnel_log(t, LOG_WARNING, "%s:%u answered from the port of another of our tunnels "
			   "to it: on Linux their data may mix (l2tp tunnel source-port)",
			   inet_ntoa(t->peer.sin_addr), ntohs(t->peer.sin_port));
	rc = l2tp_net_tunnel_connect(t);
	if (rc < 0)
		tunnel_log(t, LOG_WARNING, "connect: %s", strerror(-rc));
	if (tunnel_check_response(t, m, L2TP_MSG_SCCRP) < 0) {
		tunnel_auth_failed(t);
		return;
	}
	if (tunnel_cannot_answer(t))
		return;
	/* §6.3 SCCCN */
	l2tp_tunnel_msg_init(t, &b, L2TP_MSG_SCCCN, 0);
	tunnel_put_response(t, &b, L2TP_MSG_SCCCN);
	if (l2tp_tunnel_send(t, &b) < 0)
		return;
	tunnel_established(t);
}

/*
 * A tunnel answered from a port of its own: a peer that follows §8.1 sends
 * its SCCCN there.  One that keeps sending to the port of its SCCRQ (xl2tpd
 * does) would leave the tunnel's socket deaf to its data: the tunnel goes
 * back to that port, sharing the 4-tuple with another tunnel of that peer,
 * and the operator is told that on Linux 6.1 only one of them can carry
 * data.  0, or a negative errno (the tunnel is then cleared).
 */
static int tunnel_check_port_followed(struct l2tp_tunnel *t)
{
	uint16_t port = htons(t->d->cfg.port ? t->d->cfg.port : L2TP_PORT);
	int rc;

	if (!t->own_port || t->rx_fd == t->fd)
		return 0;
	t->own_port = 0;
	t->d->stats.tunnels_port_not_followed++;
	tunnel_log(t, LOG_WARNING, "%s:%u does not follow our reply port %u (RFC 2661 8.1): back "
		   "to port %u, shared with another of its tunnels; on Linux before 6.11 only one "
		   "of them carries data (give each tunnel of that LAC its own source port)",
		   inet_ntoa(t->peer.sin_addr), ntohs(t->peer.sin_port), ntohs(t->local.sin_port),
		   ntohs(port));
	rc = l2tp_net_tunnel_rebind(t, port);
	if (rc < 0)
		tunnel_log(t, LOG_ERR, "cannot move the tunnel socket to port %u: %s", ntohs(port),
			   strerror(-rc));
	return rc;
}

static void tunnel_recv_scccn(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	if (tunnel_check_response(t, m, L2TP_MSG_SCCCN) < 0) {
		tunnel_auth_failed(t);
		return;
	}
	if (tunnel_check_port_followed(t) < 0) {
		l2tp_tunnel_clear(t, L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_NO_RESOURCE,
				  "no socket for the tunnel");
		return;
	}
	tunnel_established(t);
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
		struct l2tp_session *s = l2tp_session_find(t, m->hdr.session_id);
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
		secret = tunnel_secret(t, &slen);
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
			tunnel_recv_sccrq(t, m);
		else
			tunnel_fsm_error(t, m);
		break;
	case L2TP_MSG_SCCRP:
		if (t->state == L2TP_TUNNEL_WAIT_CTL_REPLY)
			tunnel_recv_sccrp(t, m, from ? from : &t->peer);
		else
			tunnel_fsm_error(t, m);
		break;
	case L2TP_MSG_SCCCN:
		if (t->state == L2TP_TUNNEL_WAIT_CTL_CONN)
			tunnel_recv_scccn(t, m);
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
		if (tunnel_is_session_msg(m->type) && t->state == L2TP_TUNNEL_ESTABLISHED)
			l2tp_session_input(t, m);
		else
			tunnel_fsm_error(t, m);
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
	l2tp_observer_tunnel_seq(t);
	rc = l2tp_ctrl_input(&t->ctrl, h, buf, len);
	t->rx_from = NULL;
	if (rc < 0)
		tunnel_debug(t, LOG_DBG_SEQ, "Nr %u acknowledges what we never sent (Ns %u): ignored",
			     h->nr, t->ctrl.ns);
	/* A StopCCN of ours that the peer just acknowledged ends the tunnel. */
	if (!t->dead && t->state == L2TP_TUNNEL_CLOSING && !t->stop_by_peer &&
	    l2tp_ctrl_idle(&t->ctrl))
		l2tp_tunnel_destroy(t);
}

/* Another live tunnel of ours runs between the same addresses and ports. */
static int tunnel_4tuple_taken(struct l2tpd *d, const struct l2tp_tunnel *t)
{
	const struct l2tp_tunnel *o;

	LIST_FOREACH(o, &d->tunnels, link) {
		if (o != t && !o->dead && o->fd >= 0 &&
		    o->peer.sin_addr.s_addr == t->peer.sin_addr.s_addr &&
		    o->peer.sin_port == t->peer.sin_port &&
		    o->local.sin_addr.s_addr == t->local.sin_addr.s_addr &&
		    o->local.sin_port == t->local.sin_port)
			return 1;
	}
	return 0;
}

void l2tp_tunnel_recv_sccrq(struct l2tpd *d, int listen_fd, const struct sockaddr_in *from,
			    const struct sockaddr_in *to, const uint8_t *buf, size_t len,
			    const struct l2tp_hdr *h)
{
	struct l2tp_tunnel *t;
	struct l2tp_msg *m;
	uint16_t peer_tid = 0;
	char host[64];
	uint64_t tb;
	int rc, err;

	m = malloc(sizeof(*m));
	if (m == NULL)
		return;
	rc = l2tp_msg_decode(buf, len, m);
	/* Only an SCCRQ may open a tunnel (Tunnel ID 0, §3.1). */
	if ((rc == 0 || rc == -ENOKEY) && m->type != L2TP_MSG_SCCRQ) {
		d->stats.rx_no_tunnel++;
		log_debug(&d->log, LOG_DBG_ERROR, "net: %s:%u: %s with Tunnel ID 0 dropped",
			  inet_ntoa(from->sin_addr), ntohs(from->sin_port), l2tp_msg_type_name(m->type));
		goto out;
	}
	if (rc < 0 && rc != -ENOKEY && m->type != L2TP_MSG_SCCRQ) {
		d->stats.rx_bad++;
		log_msg(&d->log, LOG_WARNING, "net: %s:%u: malformed message with Tunnel ID 0: %s",
			inet_ntoa(from->sin_addr), ntohs(from->sin_port),
			m->err.text[0] ? m->err.text : strerror(-rc));
		goto out;
	}
	l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &peer_tid);
	/* A retransmitted SCCRQ belongs to the tunnel it already made. */
	LIST_FOREACH(t, &d->tunnels, link) {
		if (!t->dead && t->lns && t->peer_tid == peer_tid && peer_tid != 0 &&
		    t->peer.sin_addr.s_addr == from->sin_addr.s_addr &&
		    t->peer.sin_port == from->sin_port) {
			l2tp_tunnel_input(t, listen_fd, from, buf, len, h);
			goto out;
		}
	}
	if (rc < 0 && peer_tid == 0) {
		/* Malformed and no Assigned Tunnel ID: there is nobody to answer. */
		d->stats.rx_bad++;
		d->stats.tunnels_refused++;
		log_msg(&d->log, LOG_WARNING, "net: %s:%u: malformed SCCRQ dropped: %s",
			inet_ntoa(from->sin_addr), ntohs(from->sin_port),
			m->err.text[0] ? m->err.text : strerror(-rc));
		goto out;
	}
	if (rc == 0 && l2tp_msg_get_u64(m, L2TP_AVP_TIE_BREAKER, &tb) == 0 &&
	    tunnel_tie_break(d, from, tb) < 0)
		goto out;
	if (d->shutting_down)
		goto out;
	host[0] = '\0';
	l2tp_msg_get_str(m, L2TP_AVP_HOST_NAME, host, sizeof(host));
	t = tunnel_alloc(d, config_group_for_peer(&d->cfg, host), 1, 0, 0, &err);
	if (t == NULL) {
		d->stats.tunnels_refused++;
		log_msg(&d->log, LOG_ERR, "net: SCCRQ from %s: cannot create a tunnel: %s",
			inet_ntoa(from->sin_addr), strerror(-err));
		goto out;
	}
	t->peer = *from;
	t->local = *to;
	/* §8.1: the recipient of an SCCRQ may answer from any free port.  On
	 * Linux (6.1) the kernel finds a tunnel's sessions through the UDP
	 * socket a data message lands on, and datagrams of one 4-tuple all
	 * land on one socket: a second tunnel from the same peer address and
	 * port would get the first one's data.  So every tunnel after the
	 * first from that peer port is answered from a port of its own. */
	if (tunnel_4tuple_taken(d, t)) {
		t->local.sin_port = 0;
		t->own_port = 1;
		d->stats.tunnels_own_port++;
	}
	rc = l2tp_net_tunnel_open(t);
	if (rc < 0) {
		tunnel_log(t, LOG_ERR, "cannot open the tunnel socket: %s", strerror(-rc));
		d->stats.tunnels_refused++;
		l2tp_tunnel_destroy(t);
		goto out;
	}
	/* The channel numbers and acknowledges the SCCRQ like any message, then
	 * hands it back to tunnel_dispatch in order. */
	t->peer_tid = peer_tid;
	l2tp_ctrl_set_peer(&t->ctrl, peer_tid, 0);
	l2tp_tunnel_input(t, listen_fd, from, buf, len, h);
	/* A tunnel that got no further than IDLE refused nothing and has
	 * nothing to say: a malformed SCCRQ was answered by the decoder path. */
out:
	free(m);
}
