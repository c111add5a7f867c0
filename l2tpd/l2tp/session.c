/*
 * Session (call) state machines, RFC 2661 §5.4-§5.6, §7.4, §7.5.
 *
 * Answers, for every session message in every session state (the tunnel is
 * ESTABLISHED; l2tp/tunnel.c answers session messages in other states):
 *
 *   msg \ session   none (unknown Session ID)      wrong state          right state
 *   ICRQ            LNS: new call -> ICRP          -                    -
 *                   LAC: CDN (we take no calls)
 *   OCRQ            LAC: new call -> OCRP, OCCN     -                    -
 *                   LNS: CDN (we place no calls for peers)
 *   ICRP            CDN error 5 to its Assigned SID CDN (general error)  -> ICCN, ESTABLISHED
 *   ICCN, OCRP,     ignored (counted)               CDN (general error)  advance
 *   OCCN
 *   CDN             ignored (counted)               session cleared      session cleared
 *   WEN, SLI        ignored (counted)               logged               logged (§6.15, §6.16)
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/idmap.h"
#include "common/util.h"
#include "core/rand.h"
#include "core/rand_pool.h"
#include "l2tpd.h"
#include "l2tp/avp.h"
#include "l2tp/call_info.h"
#include "l2tp/observer.h"
#include "l2tp/ppp.h"
#include "l2tp/relay.h"
#include "l2tp/session.h"
#include "core/history.h"
#include "l2tp/tunnel.h"

#define SESSION_CONNECT_SPEED	100000000	/* what a LAC without a real line reports */

static void l2tp_session_set_state(struct l2tp_session *s, enum l2tp_session_state st)
{
	session_debug(s, LOG_DBG_FSM, "%s -> %s", l2tp_session_state_string(s->state),
		      l2tp_session_state_string(st));
	l2tp_session_state_move(s, st);
	/* Calls the peer has heard of are told (HA checkpoints them; a
	 * half-made one is cleared by a new active). */
	if (st >= L2TP_SESSION_WAIT_CONNECT)
		l2tp_observer_session_changed(s);
}

void l2tp_session_changed(struct l2tp_session *s)
{
	l2tp_observer_session_changed(s);
}

void l2tp_session_cause(struct l2tp_session *s, enum l2tp_term_cause cause)
{
	if (s->term_cause == 0)
		s->term_cause = cause;
}

struct l2tp_session *l2tp_session_find(struct l2tp_tunnel *t, uint16_t sid)
{
	return idmap_get(t->sessions, sid);
}

void l2tp_session_complete(struct l2tp_tunnel *t)
{
	if (t->sessions_pending && !t->dead)
		l2tp_observer_sessions_missing(t);
	if (t->held != NULL)
		l2tp_session_release_held(t);
}

static struct l2tp_session *session_alloc_id(struct l2tp_tunnel *t, int lns, uint16_t sid,
					     int *err);

/*
 * A free Session ID at random: a few draws from the daemon's pool of
 * random bytes (a getrandom call each cost a system call a session), then
 * idmap_alloc_id's own draws and scan when the tunnel is crowded.
 */
static uint16_t session_new_id(struct l2tp_tunnel *t)
{
	for (int i = 0; i < 4; i++) {
		uint16_t id;

		rand_pool_bytes(&t->d->rand, &id, sizeof(id));
		if (id != 0 && idmap_get(t->sessions, id) == NULL)
			return id;
	}
	return idmap_alloc_id(t->sessions, rand_bytes);
}

static struct l2tp_session *session_alloc(struct l2tp_tunnel *t, int lns, int *err)
{
	return session_alloc_id(t, lns, session_new_id(t), err);
}

static struct l2tp_session *session_alloc_id(struct l2tp_tunnel *t, int lns, uint16_t sid,
					     int *err)
{
	struct l2tp_session *s;
	int rc;

	if (sid == 0) {
		*err = -ENOSPC;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		*err = -ENOMEM;
		return NULL;
	}
	s->t = t;
	s->sid = sid;
	s->lns = lns;
	s->created_ms = clock_now(&t->d->clk);
	/* Armed by l2tp/ppp.c when a timeout applies; stopped on destroy. */
	clock_timer_init(&s->sess_timer, NULL, NULL);
	rc = idmap_put(t->sessions, sid, s);
	if (rc < 0) {
		free(s);
		*err = rc;
		return NULL;
	}
	LIST_INSERT_HEAD(&t->session_list, s, link);
	t->n_sessions++;
	t->d->n_sessions++;
	t->d->sessions_in[s->state]++;
	return s;
}

void l2tp_session_destroy(struct l2tp_session *s)
{
	struct l2tp_tunnel *t = s->t;

	l2tp_observer_session_deleted(s);
	l2tp_iccn_forget(s);
	l2tp_relay_gone(s);
	l2tp_ppp_stop(s);
	if (s->dp_created && dp_session_delete(t->d->dp, t->tid, s->sid) < 0)
		session_log(s, LOG_WARNING, "data path: %s", t->d->dp->err);
	if (s->state == L2TP_SESSION_ESTABLISHED && t->grp != NULL && t->grp->sessions_up > 0)
		t->grp->sessions_up--;
	idmap_del(t->sessions, s->sid);
	l2tp_session_peer_forget(s);
	free(s->ci);
	free(s->aaa_v6);
	free(s->rare);
	LIST_REMOVE(s, link);
	t->n_sessions--;
	t->d->n_sessions--;
	t->d->sessions_in[s->state]--;
	session_debug(s, LOG_DBG_EVENT, "destroyed");
	free(s);
}

static void session_msg_init(struct l2tp_session *s, struct l2tp_msgbuf *b, uint16_t type)
{
	l2tp_tunnel_msg_init(s->t, b, type, s->peer_sid);
}

void l2tp_session_ppp_disc(struct l2tp_session *s, uint16_t code, uint16_t proto,
			   uint8_t direction)
{
	s->ppp_disc_code = code;
	s->ppp_disc_proto = proto;
	s->ppp_disc_dir = direction;
}

/* §6.14 CDN to a peer session we do not (or no longer) hold; s (NULL when
 * none) gives the RFC 3145 PPP Disconnect Cause Code it knows. */
static void session_send_cdn_s(struct l2tp_tunnel *t, const struct l2tp_session *s,
			       uint16_t our_sid, uint16_t peer_sid, uint16_t result, int error,
			       const char *msg)
{
	struct l2tp_msgbuf b;

	l2tp_counters_result(t->d->counters.cdn_tx, result);
	l2tp_tunnel_msg_init(t, &b, L2TP_MSG_CDN, peer_sid);
	l2tp_avp_put_result(&b, result, error, msg);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_SESSION_ID, our_sid, 0);
	/* RFC 3145 §2: valid in the CDN only, never mandatory */
	if (s != NULL && (s->ppp_disc_code != 0 || s->ppp_disc_proto != 0))
		l2tp_avp_put_ppp_disc(&b, s->ppp_disc_code, s->ppp_disc_proto, s->ppp_disc_dir,
				      msg);
	l2tp_tunnel_send(t, &b);
}

static void session_send_cdn(struct l2tp_tunnel *t, uint16_t our_sid, uint16_t peer_sid,
			     uint16_t result, int error, const char *msg)
{
	session_send_cdn_s(t, NULL, our_sid, peer_sid, result, error, msg);
}

void l2tp_session_refuse(struct l2tp_tunnel *t, uint16_t peer_sid, uint16_t result, int error,
			 const char *msg)
{
	t->stats.sessions_refused++;
	t->d->stats.sessions_refused++;
	if (t->grp != NULL)
		t->grp->sessions_refused++;
	session_send_cdn(t, 0, peer_sid, result, error, msg);
}

void l2tp_session_clear(struct l2tp_session *s, uint16_t result, int error, const char *msg)
{
	session_log(s, LOG_NOTICE, "sending CDN: result %u (%s)%s%s", result,
		    l2tp_result_string(L2TP_MSG_CDN, result), msg ? ": " : "", msg ? msg : "");
	/* A LAC call that never left (tunnel not up) needs no CDN. */
	if (s->state != L2TP_SESSION_WAIT_TUNNEL && s->state != L2TP_SESSION_IDLE)
		session_send_cdn_s(s->t, s, s->sid, s->peer_sid, result, error, msg);
	l2tp_session_destroy(s);
}

static int session_up(struct l2tp_session *s)
{
	struct dp_session_params p = {
		.tunnel_id = s->t->tid, .session_id = s->sid,
		.peer_tunnel_id = s->t->peer_tid, .peer_session_id = s->peer_sid,
		.lns_mode = s->lns, .send_seq = s->seq_required, .recv_seq = s->seq_required,
	};
	int rc = dp_session_create(s->t->d->dp, &p);

	if (rc < 0) {
		session_log(s, LOG_ERR, "data path refused the session: %s", strerror(-rc));
		l2tp_session_clear(s, L2TP_CDN_NO_FACILITIES_TEMP, -1, "data path error");
		return rc;
	}
	s->dp_created = 1;
	l2tp_session_set_state(s, L2TP_SESSION_ESTABLISHED);
	s->established_ms = clock_now(&s->t->d->clk);
	s->t->stats.sessions_created++;
	s->t->d->stats.sessions_created++;
	if (s->t->grp != NULL)
		s->t->grp->sessions_up++;
	session_log(s, LOG_INFO, "established (peer session %u, serial %u, %s call)", s->peer_sid,
		    s->call_serial, s->kind == L2TP_CALL_INCOMING ? "incoming" : "outgoing");
	l2tp_relay_up(s);
	if (s->iccn_wait)
		return 0;	/* PPP starts when the ICCN leaves (iccn_wait.c) */
	return l2tp_session_ppp_go(s);
}

/* --- HA takeover ------------------------------------------------------------ */

struct l2tp_session *l2tp_session_adopt(struct l2tp_tunnel *t, uint16_t sid, int lns, int *err)
{
	if (sid == 0 || idmap_get(t->sessions, sid) != NULL) {
		*err = -EEXIST;
		return NULL;
	}
	return session_alloc_id(t, lns, sid, err);
}

int l2tp_session_adopt_up(struct l2tp_session *s)
{
	struct dp_session_params p = {
		.tunnel_id = s->t->tid, .session_id = s->sid,
		.peer_tunnel_id = s->t->peer_tid, .peer_session_id = s->peer_sid,
		.lns_mode = s->lns, .send_seq = s->seq_required, .recv_seq = s->seq_required,
	};
	int rc = dp_session_create(s->t->d->dp, &p);

	if (rc < 0)
		return rc;
	s->dp_created = 1;
	l2tp_session_state_move(s, L2TP_SESSION_ESTABLISHED);
	if (s->t->grp != NULL)
		s->t->grp->sessions_up++;
	return 0;
}

/* --- LAC: incoming calls ------------------------------------------------ */

static int session_hide(const struct l2tp_session *s)
{
	return s->t->grp != NULL && s->t->grp->hide_avps;
}

static void session_send_icrq(struct l2tp_session *s)
{
	struct l2tp_msgbuf b;

	/* §6.10 ICRQ */
	session_msg_init(s, &b, L2TP_MSG_ICRQ);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_SESSION_ID, s->sid, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_CALL_SERIAL_NUMBER, s->call_serial, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_BEARER_TYPE, L2TP_BEARER_DIGITAL, 0);
	if (s->ci != NULL)
		l2tp_call_info_put_icrq(s->ci, &b, session_hide(s));	/* its Calling Number */
	else if (s->calling[0] != '\0')
		l2tp_avp_put_str(&b, L2TP_AVP_CALLING_NUMBER, s->calling,
				 session_hide(s) ? L2TP_PUT_HIDE : 0);
	l2tp_session_set_state(s, L2TP_SESSION_WAIT_REPLY);
	l2tp_tunnel_send(s->t, &b);
}

struct l2tp_session *l2tp_session_dial_call(struct l2tp_tunnel *t,
					    const struct l2tp_call_info *ci, int *err)
{
	struct l2tp_session *s;

	if (t->dead || t->state == L2TP_TUNNEL_CLOSING) {
		*err = -ENOTCONN;
		return NULL;
	}
	s = session_alloc(t, 0, err);
	if (s == NULL)
		return NULL;
	s->kind = L2TP_CALL_INCOMING;
	s->call_serial = t->next_call_serial++;
	snprintf(s->calling, sizeof(s->calling), "%u", s->call_serial);
	if (ci != NULL) {
		s->ci = malloc(sizeof(*s->ci));
		if (s->ci == NULL) {
			l2tp_session_destroy(s);
			*err = -ENOMEM;
			return NULL;
		}
		*s->ci = *ci;
		if (ci->calling[0] != '\0')
			snprintf(s->calling, sizeof(s->calling), "%s", ci->calling);
	}
	if (t->state == L2TP_TUNNEL_ESTABLISHED)
		session_send_icrq(s);
	else
		l2tp_session_set_state(s, L2TP_SESSION_WAIT_TUNNEL);
	return s;
}

struct l2tp_session *l2tp_session_dial(struct l2tp_tunnel *t, int *err)
{
	return l2tp_session_dial_call(t, NULL, err);
}

void l2tp_session_tunnel_up(struct l2tp_tunnel *t)
{
	struct l2tp_session *s;

	LIST_FOREACH(s, &t->session_list, link)
		if (s->state == L2TP_SESSION_WAIT_TUNNEL)
			session_send_icrq(s);
}

static void session_recv_icrp(struct l2tp_session *s, const struct l2tp_msg *m)
{
	struct l2tp_msgbuf b;
	uint16_t peer_sid = 0;

	if (l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &peer_sid) < 0 || peer_sid == 0) {
		l2tp_session_clear(s, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_BAD_VALUE,
				   "ICRP without a valid Assigned Session ID");
		return;
	}
	l2tp_session_set_peer_sid(s, peer_sid);
	/* §6.12 ICCN: the line's speeds when the access side knows them */
	if (s->ci != NULL && (s->ci->flags & L2TP_CI_SPEEDS)) {
		s->tx_speed = s->ci->tx_speed;
		s->rx_speed = s->ci->rx_speed;
	} else {
		s->tx_speed = s->rx_speed = SESSION_CONNECT_SPEED;
	}
	session_msg_init(s, &b, L2TP_MSG_ICCN);
	l2tp_avp_put_u32(&b, L2TP_AVP_TX_CONNECT_SPEED, s->tx_speed, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_FRAMING_TYPE, L2TP_FRAMING_SYNC, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_RX_CONNECT_SPEED, s->rx_speed, 0);
	if (s->ci != NULL)
		l2tp_call_info_put_iccn(s->ci, &b, session_hide(s));
	if (l2tp_tunnel_send(s->t, &b) < 0)
		return;
	if (s->ci != NULL && (s->ci->flags & (L2TP_CI_PROXY_LCP | L2TP_CI_PROXY_AUTH)))
		s->t->d->stats.proxy_sent++;
	s->framing_type = L2TP_FRAMING_SYNC;
	l2tp_iccn_wait(s);
	session_up(s);
}

/* A string AVP of m into s->rare's 64-byte field at off: allocated only
 * for a non-empty value; without one the field (if any) is emptied, as
 * l2tp_msg_get_str() empties its buffer. */
static void session_get_rare_str(struct l2tp_session *s, const struct l2tp_msg *m, uint16_t type,
				 size_t off)
{
	char v[64];
	struct l2tp_session_rare *r = s->rare;

	l2tp_msg_get_str(m, type, v, sizeof(v));
	if (v[0] != '\0')
		r = l2tp_session_rare(s);
	if (r != NULL)
		memcpy((char *)r + off, v, sizeof(v));
}

/* --- LNS: incoming calls ------------------------------------------------ */

static void session_read_call(struct l2tp_session *s, const struct l2tp_msg *m)
{
	l2tp_msg_get_u32(m, L2TP_AVP_CALL_SERIAL_NUMBER, &s->call_serial);
	l2tp_msg_get_u32(m, L2TP_AVP_BEARER_TYPE, &s->bearer_type);
	l2tp_msg_get_u32(m, L2TP_AVP_FRAMING_TYPE, &s->framing_type);
	l2tp_msg_get_u32(m, L2TP_AVP_MINIMUM_BPS, &s->min_bps);
	l2tp_msg_get_u32(m, L2TP_AVP_MAXIMUM_BPS, &s->max_bps);
	l2tp_msg_get_str(m, L2TP_AVP_CALLING_NUMBER, s->calling, sizeof(s->calling));
	l2tp_msg_get_str(m, L2TP_AVP_CALLED_NUMBER, s->called, sizeof(s->called));
	session_get_rare_str(s, m, L2TP_AVP_SUB_ADDRESS, offsetof(struct l2tp_session_rare, sub_address));
}

/* LNS: what the LAC tells of the subscriber's line and PPP (ICRQ, ICCN).
 * Kept only when there is something to keep; what cannot serve as a proxy
 * is logged and counted, and PPP then negotiates from scratch. */
static void session_read_call_info(struct l2tp_session *s, const struct l2tp_msg *m)
{
	struct l2tp_call_info *ci = s->ci;
	int rc;

	if (ci == NULL) {
		ci = calloc(1, sizeof(*ci));
		if (ci == NULL)
			return;
	}
	rc = l2tp_call_info_read(ci, m);
	if (rc < 0) {
		s->t->d->stats.proxy_bad++;
		session_log(s, LOG_NOTICE, "%s: proxy LCP or authentication unusable: ignored",
			    l2tp_msg_type_name(m->type));
	}
	/* speeds and a Calling Number alone live in the session already */
	if (!(ci->flags & (L2TP_CI_PROXY_LCP | L2TP_CI_PROXY_AUTH | L2TP_CI_RATES)) &&
	    ci->circuit_id[0] == '\0' && ci->remote_id[0] == '\0') {
		if (s->ci == NULL)
			free(ci);
		return;
	}
	s->ci = ci;
}

/*
 * A new call on a tunnel still resynchronising after a takeover: refused
 * (CDN, temporary), recorded with Cisco's disconnect cause 611 for `show
 * vpdn history failure`.  The CDN waits with every other new message until
 * the resync is committed.
 */
static void session_refuse_resync(struct l2tp_tunnel *t, uint16_t peer_sid,
				  const struct l2tp_msg *m)
{
	char calling[64] = "";

	l2tp_msg_get_str(m, L2TP_AVP_CALLING_NUMBER, calling, sizeof(calling));
	tunnel_log(t, LOG_NOTICE, "%s for peer session %u refused: tunnel in HA resync",
		   l2tp_msg_type_name(m->type), peer_sid);
	l2tp_observer_tunnel_resync_refused(t);
	history_failure_add(t->d->history, calling, t->tid, t->peer_tid, 0, peer_sid,
			    t->peer.sin_addr.s_addr, L2TP_DISC_CAUSE_RESYNC, "Tunnel in HA resync");
	l2tp_session_refuse(t, peer_sid, L2TP_CDN_NO_FACILITIES_TEMP, -1, "Tunnel in HA resync");
}

/* A call the old active answered (a takeover rebuilt it). */
static int session_rebuilt_incoming(const struct l2tp_session *s)
{
	return s->ha_rebuilt && s->kind == L2TP_CALL_INCOMING;
}

static void session_recv_icrq(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	struct l2tp_session *s, *o;
	struct l2tp_msgbuf b;
	uint16_t peer_sid = 0;
	int err;

	if (l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &peer_sid) < 0 || peer_sid == 0) {
		t->stats.sessions_refused++;
		tunnel_log(t, LOG_WARNING, "ICRQ without a valid Assigned Session ID: ignored");
		return;
	}
	/* A call the old active answered and checkpointed before its Nr for
	 * the ICRQ left: the peer's copy is a retransmission (RFC 2661 §5.8),
	 * answered by the checkpointed ICRP. */
	o = l2tp_session_find_peer(t, peer_sid, session_rebuilt_incoming);
	if (o != NULL) {
		session_debug(o, LOG_DBG_EVENT, "ICRQ again after a takeover: already answered");
		return;
	}
	if (t->resyncing) {
		session_refuse_resync(t, peer_sid, m);
		return;
	}
	if (!t->lns) {
		tunnel_log(t, LOG_WARNING, "ICRQ from the LNS: we accept no incoming calls as LAC");
		t->stats.sessions_refused++;
		session_send_cdn(t, 0, peer_sid, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_NONE,
				 "this end does not accept incoming calls");
		return;
	}
	/* A second live call with the same peer Session ID is a peer error. */
	o = l2tp_session_find_peer(t, peer_sid, NULL);
	if (o != NULL) {
		tunnel_log(t, LOG_WARNING, "ICRQ reuses peer session %u of session %u: refused",
			   peer_sid, o->sid);
		t->stats.sessions_refused++;
		t->d->stats.sessions_refused++;
		session_send_cdn(t, 0, peer_sid, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_BAD_SESSION_ID,
				 "Assigned Session ID in use");
		return;
	}
	s = session_alloc(t, 1, &err);
	if (s == NULL) {
		tunnel_log(t, LOG_WARNING, "ICRQ refused: %s", strerror(-err));
		t->stats.sessions_refused++;
		t->d->stats.sessions_refused++;
		if (t->grp != NULL)
			t->grp->sessions_refused++;
		session_send_cdn(t, 0, peer_sid, L2TP_CDN_NO_FACILITIES_TEMP, -1, "no resources");
		return;
	}
	s->kind = L2TP_CALL_INCOMING;
	l2tp_session_set_peer_sid(s, peer_sid);
	session_read_call(s, m);
	session_read_call_info(s, m);
	/* §6.11 ICRP */
	session_msg_init(s, &b, L2TP_MSG_ICRP);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_SESSION_ID, s->sid, 0);
	l2tp_session_set_state(s, L2TP_SESSION_WAIT_CONNECT);
	session_debug(s, LOG_DBG_EVENT, "ICRQ serial %u from peer session %u: sending ICRP",
		      s->call_serial, peer_sid);
	l2tp_tunnel_send(t, &b);
}

static void session_recv_connect(struct l2tp_session *s, const struct l2tp_msg *m)
{
	/* ICCN §6.12 / OCCN §6.9 */
	l2tp_msg_get_u32(m, L2TP_AVP_TX_CONNECT_SPEED, &s->tx_speed);
	l2tp_msg_get_u32(m, L2TP_AVP_RX_CONNECT_SPEED, &s->rx_speed);
	l2tp_msg_get_u32(m, L2TP_AVP_FRAMING_TYPE, &s->framing_type);
	session_get_rare_str(s, m, L2TP_AVP_PROXY_AUTHEN_NAME,
			     offsetof(struct l2tp_session_rare, proxy_name));
	s->seq_required = l2tp_msg_has(m, L2TP_AVP_SEQUENCING_REQUIRED);
	if (m->type == L2TP_MSG_ICCN)
		session_read_call_info(s, m);
	session_up(s);
}

/* --- outgoing calls ------------------------------------------------------ */

struct l2tp_session *l2tp_session_call_out(struct l2tp_tunnel *t, const char *number, int *err)
{
	struct l2tp_session *s;
	struct l2tp_msgbuf b;

	if (t->state != L2TP_TUNNEL_ESTABLISHED) {
		*err = -ENOTCONN;
		return NULL;
	}
	s = session_alloc(t, 1, err);
	if (s == NULL)
		return NULL;
	s->kind = L2TP_CALL_OUTGOING;
	s->call_serial = t->next_call_serial++;
	snprintf(s->called, sizeof(s->called), "%s", number);
	/* §6.7 OCRQ */
	session_msg_init(s, &b, L2TP_MSG_OCRQ);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_SESSION_ID, s->sid, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_CALL_SERIAL_NUMBER, s->call_serial, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_MINIMUM_BPS, 0, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_MAXIMUM_BPS, SESSION_CONNECT_SPEED, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_BEARER_TYPE, L2TP_BEARER_DIGITAL | L2TP_BEARER_ANALOG, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_FRAMING_TYPE, L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC, 0);
	l2tp_avp_put_str(&b, L2TP_AVP_CALLED_NUMBER, number, 0);
	l2tp_session_set_state(s, L2TP_SESSION_WAIT_REPLY);
	l2tp_tunnel_send(t, &b);
	return s;
}

static void session_recv_ocrq(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	struct l2tp_session *s;
	struct l2tp_msgbuf b;
	uint16_t peer_sid = 0;
	int err;

	if (l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &peer_sid) < 0 || peer_sid == 0) {
		tunnel_log(t, LOG_WARNING, "OCRQ without a valid Assigned Session ID: ignored");
		return;
	}
	if (t->resyncing) {
		session_refuse_resync(t, peer_sid, m);
		return;
	}
	if (t->lns) {
		tunnel_log(t, LOG_WARNING, "OCRQ from the LAC: an LNS places no calls for its peer");
		t->stats.sessions_refused++;
		session_send_cdn(t, 0, peer_sid, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_NONE,
				 "this end does not place outgoing calls");
		return;
	}
	s = session_alloc(t, 0, &err);
	if (s == NULL) {
		t->stats.sessions_refused++;
		session_send_cdn(t, 0, peer_sid, L2TP_CDN_NO_FACILITIES_TEMP, -1, "no resources");
		return;
	}
	s->kind = L2TP_CALL_OUTGOING;
	l2tp_session_set_peer_sid(s, peer_sid);
	session_read_call(s, m);
	/* §6.8 OCRP, then §6.9 OCCN: this LAC has no line to dial; the call
	 * "connects" at once. */
	session_msg_init(s, &b, L2TP_MSG_OCRP);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_SESSION_ID, s->sid, 0);
	if (l2tp_tunnel_send(t, &b) < 0)
		return;
	session_msg_init(s, &b, L2TP_MSG_OCCN);
	l2tp_avp_put_u32(&b, L2TP_AVP_TX_CONNECT_SPEED, SESSION_CONNECT_SPEED, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_FRAMING_TYPE, L2TP_FRAMING_SYNC, 0);
	if (l2tp_tunnel_send(t, &b) < 0)
		return;
	s->tx_speed = SESSION_CONNECT_SPEED;
	session_up(s);
}

static void session_recv_ocrp(struct l2tp_session *s, const struct l2tp_msg *m)
{
	if (l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &s->peer_sid) < 0 || s->peer_sid == 0) {
		l2tp_session_clear(s, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_BAD_VALUE,
				   "OCRP without a valid Assigned Session ID");
		return;
	}
	l2tp_session_set_state(s, L2TP_SESSION_WAIT_CONNECT);
}

/* --- teardown and informational messages -------------------------------- */

static void session_recv_cdn(struct l2tp_session *s, const struct l2tp_msg *m)
{
	struct l2tp_result r;

	s->t->d->stats.rx_cdn++;
	if (l2tp_msg_get_result(m, &r) < 0) {
		r.result = 0;
		r.error = -1;
		r.msg[0] = '\0';
	}
	l2tp_counters_result(s->t->d->counters.cdn_rx, r.result);
	session_log(s, s->state == L2TP_SESSION_ESTABLISHED ? LOG_INFO : LOG_NOTICE,
		    "CDN from peer: result %u (%s)%s%s%s%s", r.result,
		    l2tp_result_string(L2TP_MSG_CDN, r.result), r.error > 0 ? ", error: " : "",
		    r.error > 0 ? l2tp_error_string(r.error) : "", r.msg[0] ? ", " : "", r.msg);
	if (s->state != L2TP_SESSION_ESTABLISHED) {
		s->t->stats.sessions_refused++;
		s->t->d->stats.sessions_refused++;
	}
	l2tp_session_cause(s, L2TP_TC_USER_REQUEST);	/* the LAC hung up */
	l2tp_session_destroy(s);
}

static void session_recv_wen(struct l2tp_session *s, const struct l2tp_msg *m)
{
	const uint8_t *v;
	size_t len;

	/* §6.15: Call Errors: reserved(2), then six 32-bit counters. */
	if (l2tp_msg_get_bytes(m, L2TP_AVP_CALL_ERRORS, &v, &len) == 0 && len >= 26) {
		uint32_t c[6];
		int i;

		for (i = 0; i < 6; i++)
			c[i] = (uint32_t)v[2 + 4 * i] << 24 | (uint32_t)v[3 + 4 * i] << 16 |
			       (uint32_t)v[4 + 4 * i] << 8 | v[5 + 4 * i];
		session_log(s, LOG_INFO, "WEN: crc %u framing %u hw-overruns %u buffer-overruns %u "
			    "timeouts %u alignment %u", c[0], c[1], c[2], c[3], c[4], c[5]);
	}
}

static void session_recv_sli(struct l2tp_session *s, const struct l2tp_msg *m)
{
	const uint8_t *v;
	size_t len;

	/* §6.16: ACCM: reserved(2), send ACCM(4), receive ACCM(4). */
	if (l2tp_msg_get_bytes(m, L2TP_AVP_ACCM, &v, &len) == 0 && len >= 10)
		session_log(s, LOG_INFO, "SLI: send ACCM 0x%02x%02x%02x%02x receive ACCM "
			    "0x%02x%02x%02x%02x", v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
}

static void session_unexpected(struct l2tp_session *s, const struct l2tp_msg *m)
{
	char why[96];

	snprintf(why, sizeof(why), "unexpected %s in state %s", l2tp_msg_type_name(m->type),
		 l2tp_session_state_string(s->state));
	session_log(s, LOG_WARNING, "%s", why);
	s->t->stats.rx_unexpected++;
	l2tp_session_clear(s, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_NONE, why);
}

void l2tp_session_input(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	struct l2tp_session *s;
	uint16_t peer_sid = 0;

	l2tp_session_complete(t);
	switch (m->type) {
	case L2TP_MSG_ICRQ:
		session_recv_icrq(t, m);
		return;
	case L2TP_MSG_OCRQ:
		session_recv_ocrq(t, m);
		return;
	default:
		break;
	}
	s = l2tp_session_find(t, m->hdr.session_id);
	if (s == NULL && m->type == L2TP_MSG_CDN && m->hdr.session_id == 0 &&
	    l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &peer_sid) == 0 && peer_sid != 0) {
		/* §5.6: a peer that clears a call before it learnt our Session
		 * ID sends the CDN to 0; its Assigned Session ID names the call. */
		s = l2tp_session_find_peer(t, peer_sid, NULL);
	}
	if (s == NULL) {
		t->stats.rx_unexpected++;
		/* A reply to a call we do not hold: tell the peer, once, so it
		 * does not keep a half call.  Never answer a CDN with a CDN. */
		if ((m->type == L2TP_MSG_ICRP || m->type == L2TP_MSG_OCRP) &&
		    l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &peer_sid) == 0 && peer_sid != 0)
			session_send_cdn(t, 0, peer_sid, L2TP_CDN_GENERAL_ERROR,
					 L2TP_ERR_BAD_SESSION_ID, "no such session");
		/* An ICCN/OCCN for a call we do not hold (one half made when a
		 * standby took over, say): its peer Session ID is unknown, so the
		 * CDN goes to 0 and names the call by the ID the peer used for it
		 * (§5.6 as for a CDN before the Session ID is known). */
		if ((m->type == L2TP_MSG_ICCN || m->type == L2TP_MSG_OCCN) &&
		    m->hdr.session_id != 0)
			session_send_cdn(t, m->hdr.session_id, 0, L2TP_CDN_GENERAL_ERROR,
					 L2TP_ERR_BAD_SESSION_ID, "no such session");
		tunnel_debug(t, LOG_DBG_ERROR, "%s for unknown session %u ignored",
			     l2tp_msg_type_name(m->type), m->hdr.session_id);
		return;
	}
	switch (m->type) {
	case L2TP_MSG_ICRP:
		if (s->state == L2TP_SESSION_WAIT_REPLY && s->kind == L2TP_CALL_INCOMING && !s->lns)
			session_recv_icrp(s, m);
		else
			session_unexpected(s, m);
		break;
	case L2TP_MSG_ICCN:
		if (s->state == L2TP_SESSION_WAIT_CONNECT && s->kind == L2TP_CALL_INCOMING && s->lns)
			session_recv_connect(s, m);
		else if (s->state == L2TP_SESSION_ESTABLISHED && s->ha_rebuilt && s->lns)
			/* The old active took this ICCN and checkpointed the call
			 * up, but died before its Nr for it left: the peer's copy
			 * is the retransmission it is (RFC 2661 §5.8). */
			session_debug(s, LOG_DBG_EVENT, "ICCN again after a takeover: already up");
		else
			session_unexpected(s, m);
		break;
	case L2TP_MSG_OCRP:
		if (s->state == L2TP_SESSION_WAIT_REPLY && s->kind == L2TP_CALL_OUTGOING && s->lns)
			session_recv_ocrp(s, m);
		else
			session_unexpected(s, m);
		break;
	case L2TP_MSG_OCCN:
		if (s->state == L2TP_SESSION_WAIT_CONNECT && s->kind == L2TP_CALL_OUTGOING && s->lns)
			session_recv_connect(s, m);
		else
			session_unexpected(s, m);
		break;
	case L2TP_MSG_CDN:
		session_recv_cdn(s, m);
		break;
	case L2TP_MSG_WEN:
		session_recv_wen(s, m);
		break;
	case L2TP_MSG_SLI:
		session_recv_sli(s, m);
		break;
	default:
		session_unexpected(s, m);
		break;
	}
}
