/*
 * HA: the checkpoint records (ha/ha_int.h).  A tunnel is recorded once
 * established: its identity and parameters (TUNNEL), its channel's Ns, Nr
 * and una (SEQ) and each message it has numbered and not yet seen
 * acknowledged (CTRL_MSG); a session once the peer has heard of it
 * (SESSION, with its PPP and accounting state); DELETE when either goes.
 * Objects that change during a loop turn are marked (ha_mark) and recorded
 * at its end, so a turn's changes cost one record each.
 */
#include <stdio.h>
#include <string.h>
#include "common/util.h"
#include "l2tpd.h"
#include "ha/ha_int.h"
#include "l2tp/avp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "l2tp/ppp.h"
#include "ppp/ppp.h"
#include "haproto/ha_link.h"
#include "haproto/ha_rec.h"

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
	case HA_REC_CONFIG:
		log_debug(&d->log, LOG_DBG_HA_DETAIL, "redundancy: %llu: configuration, %zu bytes, "
			  "digest %016llx%s", (unsigned long long)seq, r->u.config.len,
			  (unsigned long long)r->u.config.digest, r->u.config.save ? ", saved" : "");
		break;
	case HA_REC_CONFIG_PART:
		log_debug(&d->log, LOG_DBG_HA_DETAIL, "redundancy: %llu: configuration part %u "
			  "of %u, %zu of %u bytes, digest %016llx", (unsigned long long)seq,
			  r->u.config.index + 1, r->u.config.count, r->u.config.len,
			  r->u.config.total_len, (unsigned long long)r->u.config.digest);
		break;
	default:
		break;
	}
}

/*
 * A record of type with the first size octets of its body zeroed, not
 * the whole union: a session's body is some 2 KiB, and a SEQ or a
 * message record would pay for zeroing it (callgrind: a record's memset
 * cost more than its SEQ's fields).
 */
static void ha_rec_start(struct ha_rec *r, enum ha_rec_type type, size_t size)
{
	r->type = type;
	r->owned = NULL;
	memset(&r->u, 0, size);
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

void ha_emit_record(struct l2tpd *d, const struct ha_rec *r)
{
	ha_send(d, r);
}

void ha_fill_tunnel(const struct l2tpd *d, const struct l2tp_tunnel *t,
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
		str_copy(r->group, sizeof(r->group), t->grp->name);
	str_copy(r->peer_host, sizeof(r->peer_host), t->peer_host);
	str_copy(r->peer_vendor, sizeof(r->peer_vendor), t->peer_vendor);
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

void ha_emit_tunnel(struct l2tpd *d, struct l2tp_tunnel *t)
{
	struct ha_rec r = { .type = HA_REC_TUNNEL };

	ha_fill_tunnel(d, t, &r.u.tunnel);
	ha_send(d, &r);
	t->ha_seq = d->ha.last_seq;
}

static void ha_emit_msg_now(struct l2tpd *d, struct l2tp_tunnel *t, uint16_t ns,
			    const uint8_t *buf, size_t len)
{
	struct ha_rec r;

	ha_rec_start(&r, HA_REC_CTRL_MSG, sizeof(r.u.msg));
	r.u.msg.tid = t->tid;
	r.u.msg.ns = ns;
	r.u.msg.buf = buf;
	r.u.msg.len = len;
	ha_send(d, &r);
}

/*
 * A message the standby got a copy of while it waited for the window
 * (ha_emit_msg_queued, ha_emit_msgs), now numbered: 1 if it took the Ns
 * its copy has (the copy's Nr is stale, but a new active writes Ns and Nr
 * into every message it sends: l2tp/ctrl.c).  The channel numbers its
 * waiting messages in order, one Ns each, so the copies go in order too;
 * any other Ns (a resynchronisation moved the numbers) empties the span
 * and the message is recorded again.
 */
static int ha_msg_copied(struct l2tp_tunnel *t, uint16_t ns)
{
	if (t->ha_q_next != t->ha_q_end && ns == t->ha_q_next && !t->ctrl.resync) {
		t->ha_q_next++;
		return 1;
	}
	t->ha_q_next = t->ha_q_end;
	return 0;
}

/* Its tunnel record is owed this turn: the walk at the end of the turn
 * sends it, then every message the channel holds (this one too, with the
 * same Ns), before anything held this turn leaves.  Recorded now too, it
 * would go twice in the same batch. */
static int ha_msg_owed(const struct l2tp_tunnel *t)
{
	return (t->ha_dirty & HA_DIRTY_TUNNEL) != 0;
}

void ha_emit_msg(struct l2tpd *d, struct l2tp_tunnel *t, uint16_t ns, const uint8_t *buf,
			size_t len)
{
	if (ha_msg_owed(t) || ha_msg_copied(t, ns))
		return;
	ha_emit_msg_now(d, t, ns, buf, len);
}

void ha_emit_msg_queued(struct l2tpd *d, struct l2tp_tunnel *t, uint16_t ns,
			const uint8_t *buf, size_t len)
{
	if (ha_msg_owed(t))
		return;
	ha_emit_msg_now(d, t, ns, buf, len);
	if (t->ha_q_next == t->ha_q_end || ns != t->ha_q_end)
		t->ha_q_next = ns;	/* not after the span: a new one */
	t->ha_q_end = (uint16_t)(ns + 1);
}

void ha_emit_seq(struct l2tpd *d, struct l2tp_tunnel *t, int force)
{
	struct ha_rec r;
	const struct l2tp_ctrl_pkt *p = TAILQ_FIRST(&t->ctrl.sent);
	uint16_t una = p != NULL ? p->ns : t->ctrl.ns;

	if (!force && t->ha_seq_sent && t->ha_last_ns == t->ctrl.ns &&
	    t->ha_last_nr == t->ctrl.nr && t->ha_last_una == una)
		return;
	ha_rec_start(&r, HA_REC_SEQ, sizeof(r.u.seq));
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

void ha_fill_session(const struct l2tpd *d, const struct l2tp_session *s,
			    struct ha_session_rec *r)
{
	const struct l2tp_session_rare *rare = l2tp_session_rare_get(s);
	/* Both clocks read once for the record's times, not once a time. */
	uint64_t now = clock_now(&d->clk), wall = clock_wall_ms(&d->clk);
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
	str_copy(r->calling, sizeof(r->calling), s->calling);
	str_copy(r->called, sizeof(r->called), s->called);
	r->created_ms = ha_to_wall_at(now, wall, s->created_ms);
	r->established_ms = ha_to_wall_at(now, wall, s->established_ms);
	str_copy(r->user, sizeof(r->user), s->user);
	str_copy(r->ifname, sizeof(r->ifname), s->ifname);
	str_copy(r->pool, sizeof(r->pool), s->pool);
	str_copy(r->acct_session_id, sizeof(r->acct_session_id), s->acct_session_id);
	/* AAA: what RADIUS set, and the accounting already reported (the new
	 * active continues from it: no second Start, no counter going back). */
	r->class_len = rare->class_len <= sizeof(r->class_attr) ? rare->class_len : 0;
	memcpy(r->class_attr, rare->class_attr, r->class_len);
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
	r->ppp_up_ms = ha_to_wall_at(now, wall, s->ppp_up_ms);
	if (s->ppp != NULL && ppp_export(s->ppp, &st) == 0) {
		r->has_ppp = 1;
		r->ppp_phase = (uint8_t)st.phase;
		r->mru = st.mru;
		r->peer_mru = st.peer_mru;
		r->magic = st.magic;
		r->peer_magic = st.peer_magic;
		r->auth = (uint8_t)st.auth;
		str_copy(r->user, sizeof(r->user), st.user);
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

/* A DHCPv6 binding as checkpointed (its start on the wall clock). */
static void ha_emit_lease(struct l2tpd *d, struct ha_v6_lease *r, const struct ipv6_lease *l)
{
	r->bound = (uint8_t)l->bound;
	r->client_duid_len = l->client.len;
	memcpy(r->client_duid, l->client.b, l->client.len);
	r->iaid = l->iaid;
	r->start_ms = ha_to_wall(d, l->start_ms);
	r->valid = l->valid;
	r->preferred = l->preferred;
}

/* The link's IPv6: prefixes, the DHCPv6 binding, the server DUID. */
void ha_fill_session_v6(struct l2tpd *d, const struct l2tp_session *s,
			       struct ha_session_rec *r)
{
	struct l2tp_ppp_v6_state st;

	if (l2tp_ppp_ipv6_export(s, &st) < 0)
		return;
	r->v6 = 1;
	r->v6_has_prefix = (uint8_t)st.has_prefix;
	memcpy(r->v6_prefix, st.prefix, sizeof(r->v6_prefix));
	str_copy(r->v6_pool, sizeof(r->v6_pool), st.pool6);
	r->v6_has_pd = (uint8_t)st.has_pd;
	memcpy(r->v6_pd, st.pd, sizeof(r->v6_pd));
	r->v6_pd_len = st.pd_len;
	str_copy(r->v6_pd_pool, sizeof(r->v6_pd_pool), st.pd_pool);
	ha_emit_lease(d, &r->v6_lease, &st.lease);
	r->v6_server_duid_len = st.server_duid.len;
	memcpy(r->v6_server_duid, st.server_duid.b, st.server_duid.len);
	r->v6_has_na = (uint8_t)st.has_na;
	memcpy(r->v6_na, st.na, sizeof(r->v6_na));
	str_copy(r->v6_na_pool, sizeof(r->v6_na_pool), st.na_pool);
	ha_emit_lease(d, &r->v6_na_lease, &st.na_lease);
	_Static_assert(HA_V6_ROUTES == IPV6_ROUTE_MAX, "Framed-IPv6-Route count");
	for (unsigned i = 0; i < st.n_framed && i < HA_V6_ROUTES; i++) {
		memcpy(r->v6_route[i].dst, st.framed[i].dst, 16);
		r->v6_route[i].plen = st.framed[i].plen;
		memcpy(r->v6_route[i].gw, st.framed[i].gw, 16);
		r->v6_route[i].metric = st.framed[i].metric;
		r->v6_n_routes = (uint8_t)(i + 1);
	}
}

void ha_emit_session(struct l2tpd *d, struct l2tp_session *s)
{
	struct ha_rec r;

	ha_rec_start(&r, HA_REC_SESSION, 0);	/* ha_fill_session zeroes it */
	ha_fill_session(d, s, &r.u.session);
	ha_fill_session_v6(d, s, &r.u.session);
	ha_send(d, &r);
	s->ha_seq = d->ha.last_seq;
}

void ha_emit_delete(struct l2tpd *d, uint16_t tid, uint16_t sid)
{
	struct ha_rec r;

	ha_rec_start(&r, HA_REC_DELETE, sizeof(r.u.del));
	r.u.del.tid = tid;
	r.u.del.sid = sid;
	ha_send(d, &r);
}

/* The messages the channel holds unacknowledged or not yet sent, the
 * latter with the Ns each will take (ctrl.h, ops->queued). */
static void ha_emit_msgs(struct l2tpd *d, struct l2tp_tunnel *t)
{
	struct l2tp_ctrl_pkt *p;
	uint16_t ns = t->ctrl.ns;

	TAILQ_FOREACH(p, &t->ctrl.sent, link)
		ha_emit_msg_now(d, t, p->ns, p->buf, p->len);
	t->ha_q_next = t->ha_q_end = ns;
	if (t->ctrl.resync)
		return;
	TAILQ_FOREACH(p, &t->ctrl.pending, link) {
		l2tp_hdr_set_seq(p->buf, ns, t->ctrl.nr);
		ha_emit_msg_now(d, t, ns++, p->buf, p->len);
	}
	t->ha_q_end = ns;	/* each numbered later is the copy's Ns */
}

void ha_emit_dirty(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	TAILQ_HEAD(, l2tp_tunnel) seq_only = TAILQ_HEAD_INITIALIZER(seq_only);

	/*
	 * Order (the active may die with a turn's records half sent, and the
	 * standby applies what it got): a new tunnel before its sessions; a
	 * session's state before the Nr that acknowledges the message that
	 * changed it.  A standby with the Nr past an ICCN but the call still
	 * half made would discard the peer's resent ICCN as a duplicate and
	 * never finish the call; with the call up and the Nr before the ICCN,
	 * the resent ICCN is taken as the duplicate it is (l2tp/session.c).
	 */
	while ((t = TAILQ_FIRST(&h->dirty_tunnels)) != NULL) {
		unsigned bits = t->ha_dirty;

		int closing = t->state == L2TP_TUNNEL_CLOSING && t->ha_seq_sent && !t->dead;

		TAILQ_REMOVE(&h->dirty_tunnels, t, ha_dirty_link);
		if (!(bits & HA_DIRTY_TUNNEL) && !closing) {
			TAILQ_INSERT_TAIL(&seq_only, t, ha_dirty_link);
			continue;
		}
		t->ha_dirty = 0;
		if (closing) {
			/* StopCCN sent or received: the standby forgets it now
			 * (a new active must not resurrect it). */
			ha_emit_delete(d, t->tid, 0);
			t->ha_seq_sent = 0;
			continue;
		}
		if (!ha_tunnel_recordable(t))
			continue;
		ha_emit_tunnel(d, t);
		ha_emit_seq(d, t, 1);
		/* Messages numbered (or queued) before it was established. */
		ha_emit_msgs(d, t);
	}
	while ((s = TAILQ_FIRST(&h->dirty_sessions)) != NULL) {
		TAILQ_REMOVE(&h->dirty_sessions, s, ha_dirty_link);
		s->ha_dirty = 0;
		if (ha_tunnel_recordable(s->t))
			ha_emit_session(d, s);
	}
	while ((t = TAILQ_FIRST(&seq_only)) != NULL) {
		TAILQ_REMOVE(&seq_only, t, ha_dirty_link);
		t->ha_dirty = 0;
		if (ha_tunnel_recordable(t))
			ha_emit_seq(d, t, 0);
	}
}

void ha_emit_bulk(struct l2tpd *d)
{
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	unsigned nt = 0, ns = 0, np;

	ha_config_changed(d, 0);	/* the configuration first: the standby runs it */
	ha_takeover_rebuild_all(d);	/* every session of a recent takeover */
	LIST_FOREACH(t, &d->tunnels, link) {
		if (!ha_tunnel_recordable(t))
			continue;
		ha_emit_tunnel(d, t);
		ha_emit_seq(d, t, 1);
		ha_emit_msgs(d, t);
		nt++;
		LIST_FOREACH(s, &t->session_list, link) {
			if (s->state < L2TP_SESSION_WAIT_CONNECT)
				continue;
			ha_emit_session(d, s);
			ns++;
		}
	}
	np = ha_pppoe_bulk(d);	/* after the calls they are relayed into */
	log_debug(&d->log, LOG_DBG_HA_EVENT, "redundancy: bulk sync of %u tunnels, %u sessions, "
		  "%u PPPoE sessions", nt, ns, np);
}
