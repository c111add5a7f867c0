/*
 * HA of the access side (ha/ha_int.h): the PPPoE sessions relayed into
 * calls of SSO tunnels, checkpointed (HA_REC_PPPOE) when their call comes
 * up, in the loop turn that sends the ICCN (the output commit holds the
 * ICCN until the standby has the record: checkpoint before acknowledge),
 * and deleted (HA_REC_PPPOE_DELETE) when they end; sent again at a bulk
 * sync.  At a takeover each is rebuilt on its call, with its ID and MAC,
 * once the calls are; until every tunnel has resynchronised, discovery
 * is held (PADI, PADR dropped and counted: the subscribers retry).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "l2tpd.h"
#include "ha/ha_int.h"
#include "ha/status.h"
#include "l2tp/relay.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "haproto/ha_rec.h"
#include "haproto/ha_shadow.h"
#include "ppp/ppp.h"
#include "pppoe/access.h"
#include "pppoe/local_aaa.h"

/* The call of s, if it runs on an SSO tunnel whose records are made; or
 * s is terminated here and up. */
static int ha_pppoe_call(const struct l2tpd *d, const struct pppoe_session *s,
			 struct pppoe_lac_info *li)
{
	struct l2tp_tunnel *t;

	if (pppoe_lac_info(s, li) < 0)
		return 0;
	if (li->state == PPPOE_LAC_LOCAL_UP)
		return 1;
	if (li->state != PPPOE_LAC_RELAYING && li->state != PPPOE_LAC_BRIDGED)
		return 0;
	t = l2tp_tunnel_find((struct l2tpd *)d, li->tunnel_id);
	return t != NULL && ha_tunnel_recordable(t);
}

static void ha_pppoe_fill(const struct l2tpd *d, const struct pppoe_session *s,
			  const struct pppoe_lac_info *li, struct ha_pppoe_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->id = s->id;
	memcpy(r->mac, s->mac, sizeof(r->mac));
	snprintf(r->ifname, sizeof(r->ifname), "%s", s->ifp->name);
	r->nvlan = s->ifp->nvlan <= HA_PPPOE_VLANS ? s->ifp->nvlan : HA_PPPOE_VLANS;
	for (unsigned i = 0; i < r->nvlan; i++)
		r->vlan[i] = s->ifp->vlan[i];
	r->tid = li->tunnel_id;
	r->sid = li->session_id;
	r->state = (uint8_t)li->state;
	snprintf(r->user, sizeof(r->user), "%s", li->user);
	snprintf(r->service, sizeof(r->service), "%s", s->service);
	snprintf(r->circuit_id, sizeof(r->circuit_id), "%s", s->circuit_id);
	snprintf(r->remote_id, sizeof(r->remote_id), "%s", s->remote_id);
	r->rate_up = s->rate_up;
	r->rate_down = s->rate_down;
	r->max_payload = s->max_payload;
	if (s->has_relay_sid && s->relay_sid_len <= sizeof(r->relay_sid)) {
		r->relay_sid_len = s->relay_sid_len;
		memcpy(r->relay_sid, s->relay_sid, s->relay_sid_len);
	}
	r->created_ms = ha_to_wall(d, s->created_ms);
	r->rx_frames = s->rx_frames;
	r->tx_frames = s->tx_frames;
	r->rx_bytes = s->rx_bytes;
	r->tx_bytes = s->tx_bytes;
}

/* Its accounting, once started (pppoe/local_aaa.h), into q. */
static void ha_pppoe_fill_acct(const struct l2tpd *d, const struct pppoe_session *s,
			       struct ha_pppoe_ppp *q)
{
	struct pppoe_aaa_acct ac;

	if (pppoe_lac_local_acct(s, &ac) < 0 || !ac.started)
		return;
	q->acct_started = 1;
	snprintf(q->acct_session_id, sizeof(q->acct_session_id), "%s", ac.session_id);
	q->class_len = ac.class_len;
	memcpy(q->class_attr, ac.class_attr, ac.class_len);
	q->acct_authentic = ac.authentic;
	q->acct_interval = ac.interval;
	q->acct_up_ms = ha_to_wall(d, ac.up_ms);
	q->acct_in_octets = ac.reported[PPPOE_AAA_IN_OCTETS];
	q->acct_out_octets = ac.reported[PPPOE_AAA_OUT_OCTETS];
	q->acct_in_packets = ac.reported[PPPOE_AAA_IN_PACKETS];
	q->acct_out_packets = ac.reported[PPPOE_AAA_OUT_PACKETS];
}

/* Terminated here: its PPP (as ppp_export gives it) and its accounting
 * into r.  0 or -ENOENT. */
static int ha_pppoe_fill_local(const struct l2tpd *d, const struct pppoe_session *s,
			       struct ha_pppoe_rec *r)
{
	struct ha_pppoe_ppp *q = &r->ppp;
	struct ppp_state st;
	const char *pool, *unit;

	if (pppoe_lac_local_state(s, &st, &pool, &unit) < 0)
		return -ENOENT;
	r->local = 1;
	r->tid = r->sid = 0;
	q->mru = st.mru;
	q->peer_mru = st.peer_mru;
	q->magic = st.magic;
	q->peer_magic = st.peer_magic;
	q->auth = (uint8_t)st.auth;
	q->ipcp_open = !!st.ipcp_open;
	q->ipv6cp_open = !!st.ipv6cp_open;
	q->local_ip = st.local_addr.s_addr;
	q->peer_ip = st.peer_addr.s_addr;
	q->dns[0] = st.dns[0].s_addr;
	q->dns[1] = st.dns[1].s_addr;
	memcpy(q->local_ifid, st.local_ifid, sizeof(q->local_ifid));
	memcpy(q->peer_ifid, st.peer_ifid, sizeof(q->peer_ifid));
	snprintf(q->pool, sizeof(q->pool), "%s", pool);
	snprintf(q->unit, sizeof(q->unit), "%s", unit);
	ha_pppoe_fill_acct(d, s, q);
	return 0;
}

/* The record of s (relayed or terminated here) into r: 1 if made. */
static int ha_pppoe_rec_make(const struct l2tpd *d, const struct pppoe_session *s,
			     const struct pppoe_lac_info *li, struct ha_rec *r)
{
	ha_pppoe_fill(d, s, li, &r->u.pppoe);
	if (li->state != PPPOE_LAC_LOCAL_UP) {
		r->type = HA_REC_PPPOE;
		return 1;
	}
	r->type = HA_REC_PPPOE_LOCAL;
	return ha_pppoe_fill_local(d, s, &r->u.pppoe) == 0;
}

int ha_status_pppoe_checkpointed(const struct l2tpd *d, const struct pppoe_session *s)
{
	struct pppoe_lac_info li;
	struct l2tp_tunnel *t;
	struct l2tp_session *ls;

	if (!ha_pppoe_call(d, s, &li))
		return 0;
	if (li.state == PPPOE_LAC_LOCAL_UP)
		return 1;	/* recorded when it came up */
	t = l2tp_tunnel_find((struct l2tpd *)d, li.tunnel_id);
	ls = t != NULL ? l2tp_session_find(t, li.session_id) : NULL;
	return ls != NULL && ha_session_established(ls);
}

/* 1 if a record was made. */
static int ha_pppoe_emit(struct l2tpd *d, const struct pppoe_session *s)
{
	struct ha_rec r = { .type = HA_REC_PPPOE };
	struct pppoe_lac_info li;

	if (!ha_pppoe_call(d, s, &li) || !ha_pppoe_rec_make(d, s, &li, &r))
		return 0;
	ha_emit_record(d, &r);
	return 1;
}

static void ha_pppoe_relayed(void *arg, const struct pppoe_session *s)
{
	struct l2tpd *d = arg;

	if (ha_streaming(d))
		ha_pppoe_emit(d, s);
}

static void ha_pppoe_gone(void *arg, const struct pppoe_session *s)
{
	struct l2tpd *d = arg;
	struct ha_rec r = { .type = HA_REC_PPPOE_DELETE };

	if (!ha_streaming(d))
		return;
	r.u.pppoe_del.id = s->id;
	ha_emit_record(d, &r);
}

static const struct pppoe_observer_ops ha_pppoe_observer = {
	.relayed = ha_pppoe_relayed,
	.gone = ha_pppoe_gone,
};

void ha_pppoe_init(struct l2tpd *d)
{
	pppoe_access_set_observer(d, &ha_pppoe_observer, d);
}

unsigned ha_pppoe_bulk(struct l2tpd *d)
{
	const struct pppoe_session *s;
	unsigned n = 0;

	if (d->access == NULL)
		return 0;
	TAILQ_FOREACH(s, &d->access->ac->sessions, link)
		n += (unsigned)ha_pppoe_emit(d, s);
	return n;
}

/* The PPP state a session terminated here was checkpointed with. */
static void ha_pppoe_ppp_state(const struct ha_pppoe_rec *p, struct ppp_state *st)
{
	const struct ha_pppoe_ppp *q = &p->ppp;

	memset(st, 0, sizeof(*st));
	st->phase = PPP_PHASE_NETWORK;
	st->mru = q->mru;
	st->peer_mru = q->peer_mru;
	st->magic = q->magic;
	st->peer_magic = q->peer_magic;
	st->auth = (enum ppp_auth_method)q->auth;
	snprintf(st->user, sizeof(st->user), "%s", p->user);
	st->ipcp_open = q->ipcp_open;
	st->local_addr.s_addr = q->local_ip;
	st->peer_addr.s_addr = q->peer_ip;
	st->dns[0].s_addr = q->dns[0];
	st->dns[1].s_addr = q->dns[1];
	st->ipv6cp_open = q->ipv6cp_open;
	memcpy(st->local_ifid, q->local_ifid, sizeof(st->local_ifid));
	memcpy(st->peer_ifid, q->peer_ifid, sizeof(st->peer_ifid));
}

/* The accounting a session terminated here was checkpointed with (its
 * start on this box's clock). */
static void ha_pppoe_acct(struct l2tpd *d, const struct ha_pppoe_ppp *q,
			  struct pppoe_aaa_acct *ac)
{
	memset(ac, 0, sizeof(*ac));
	ac->started = 1;
	snprintf(ac->session_id, sizeof(ac->session_id), "%s", q->acct_session_id);
	ac->class_len = q->class_len;
	memcpy(ac->class_attr, q->class_attr, q->class_len);
	ac->authentic = q->acct_authentic;
	ac->interval = q->acct_interval;
	ac->up_ms = ha_from_wall(d, q->acct_up_ms);
	ac->reported[PPPOE_AAA_IN_OCTETS] = q->acct_in_octets;
	ac->reported[PPPOE_AAA_OUT_OCTETS] = q->acct_out_octets;
	ac->reported[PPPOE_AAA_IN_PACKETS] = q->acct_in_packets;
	ac->reported[PPPOE_AAA_OUT_PACKETS] = q->acct_out_packets;
}

/* One checkpointed session rebuilt (on its call, or terminated here):
 * 0 or a negative errno, logged under what. */
static int ha_pppoe_restore_one(struct l2tpd *d, const struct ha_pppoe_rec *p,
				const char *what)
{
	struct ppp_state st;
	struct pppoe_aaa_acct ac;
	struct pppoe_restore r;
	char err[160];
	int rc;

	memset(&r, 0, sizeof(r));
	r.s.id = p->id;
	memcpy(r.s.mac, p->mac, sizeof(r.s.mac));
	snprintf(r.s.service, sizeof(r.s.service), "%s", p->service);
	snprintf(r.s.circuit_id, sizeof(r.s.circuit_id), "%s", p->circuit_id);
	snprintf(r.s.remote_id, sizeof(r.s.remote_id), "%s", p->remote_id);
	r.s.rate_up = p->rate_up;
	r.s.rate_down = p->rate_down;
	r.s.max_payload = p->max_payload;
	r.s.has_relay_sid = p->relay_sid_len > 0;
	r.s.relay_sid_len = p->relay_sid_len;
	memcpy(r.s.relay_sid, p->relay_sid, p->relay_sid_len);
	r.s.created_ms = ha_from_wall(d, p->created_ms);
	r.s.rx_frames = p->rx_frames;
	r.s.tx_frames = p->tx_frames;
	r.s.rx_bytes = p->rx_bytes;
	r.s.tx_bytes = p->tx_bytes;
	r.ifname = p->ifname;
	r.nvlan = p->nvlan;
	memcpy(r.vlan, p->vlan, sizeof(r.vlan));
	r.tid = p->tid;
	r.sid = p->sid;
	r.user = p->user;
	if (p->local) {
		ha_pppoe_ppp_state(p, &st);
		r.ppp = &st;
		r.pool = p->ppp.pool;
		r.unit = p->ppp.unit;
		if (p->ppp.acct_started) {
			ha_pppoe_acct(d, &p->ppp, &ac);
			r.acct = &ac;
		}
	}
	rc = pppoe_access_restore(d, &r, err, sizeof(err));
	if (rc < 0)
		log_msg(&d->log, LOG_ERR, "%s: pppoe session %u%s not rebuilt: %s", what, p->id,
			p->local ? " (terminated here)" : "", err);
	return rc;
}

void ha_pppoe_rebuild(struct l2tpd *d, const struct ha_shadow *sh, const char *what,
		      uint64_t *n, uint64_t *errors)
{
	const struct ha_pppoe_rec *p;

	*n = *errors = 0;
	for (p = ha_shadow_next_pppoe(sh, 0); p != NULL; p = ha_shadow_next_pppoe(sh, p->id)) {
		if (ha_pppoe_restore_one(d, p, what) == 0)
			(*n)++;
		else
			(*errors)++;
	}
}

void ha_pppoe_takeover(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;

	ha_pppoe_rebuild(d, h->shadow, "redundancy: takeover", &h->stats.takeover_pppoe,
			 &h->stats.takeover_pppoe_errors);
}

/* The hitless restart: every session relayed into an established call,
 * SSO or not, and every one terminated here and up (ha/restart.c). */
int ha_pppoe_restart_record(const struct l2tpd *d, const struct pppoe_session *s,
			    struct ha_rec *r)
{
	struct pppoe_lac_info li;
	struct l2tp_tunnel *t;

	if (pppoe_lac_info(s, &li) < 0)
		return 0;
	if (li.state == PPPOE_LAC_LOCAL_UP)
		return ha_pppoe_rec_make(d, s, &li, r);
	if (li.state != PPPOE_LAC_RELAYING && li.state != PPPOE_LAC_BRIDGED)
		return 0;
	t = l2tp_tunnel_find((struct l2tpd *)d, li.tunnel_id);
	if (t == NULL || t->dead || t->state != L2TP_TUNNEL_ESTABLISHED)
		return 0;
	return ha_pppoe_rec_make(d, s, &li, r);
}
