/*
 * HA: STANDBY -> ACTIVE (ha/ha_int.h).  Every tunnel and session in the
 * shadow store is rebuilt as it was checkpointed (sockets on the virtual
 * address, kernel objects with the same IDs, pppN with the same names,
 * PPP in the Network phase), nothing said to the peers; then each tunnel
 * resynchronises its control channel (l2tp_tunnel_resync_start, DESIGN.md).
 * A call that was only half made waits for the peer to finish it (its
 * ICCN/OCCN comes again: the dead box never acknowledged it) for the peer's
 * retransmission budget after its tunnel resynchronised; only a call not
 * finished by then, or one that could not be rebuilt, is cleared with a CDN.
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "l2tpd.h"
#include "ha/ha_int.h"
#include "l2tp/net.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"
#include "haproto/ha_link.h"
#include "haproto/ha_rec.h"
#include "haproto/ha_shadow.h"
#include "pppoe/access.h"
#include "pppoe/port.h"

/* A record's string into a field, cut to fit (snprintf's "%s" without its
 * formatting, which was a quarter of a session's rebuild). */
static void ha_copy_str(char *dst, size_t dsz, const char *src, size_t ssz)
{
	size_t n = strnlen(src, ssz);

	if (n >= dsz)
		n = dsz - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}
#define HA_COPY_STR(dst, src)	ha_copy_str((dst), sizeof(dst), (src), sizeof(src))

/* What the record says of the call, copied onto the adopted session. */
static void ha_restore_session_fields(struct l2tpd *d, struct l2tp_session *s,
				      const struct ha_session_rec *r)
{
	struct l2tp_session_rare *rare;

	l2tp_session_set_peer_sid(s, r->peer_sid);
	s->kind = r->kind == L2TP_CALL_OUTGOING ? L2TP_CALL_OUTGOING : L2TP_CALL_INCOMING;
	s->call_serial = r->call_serial;
	s->tx_speed = r->tx_speed;
	s->rx_speed = r->rx_speed;
	s->framing_type = r->framing_type;
	s->bearer_type = r->bearer_type;
	HA_COPY_STR(s->calling, r->calling);
	HA_COPY_STR(s->called, r->called);
	HA_COPY_STR(s->user, r->user);
	HA_COPY_STR(s->pool, r->pool);
	HA_COPY_STR(s->acct_session_id, r->acct_session_id);
	if (r->class_len > 0 && r->class_len <= sizeof(r->class_attr) &&
	    (rare = l2tp_session_rare(s)) != NULL) {
		rare->class_len = r->class_len <= sizeof(rare->class_attr) ? r->class_len : 0;
		memcpy(rare->class_attr, r->class_attr, rare->class_len);
	}
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
}

/* The checkpointed PPP, already in the Network phase.  0 or a negative errno. */
static int ha_restore_session_ppp(struct l2tpd *d, struct l2tp_session *s,
				  const struct ha_session_rec *r)
{
	struct ppp_state st;

	memset(&st, 0, sizeof(st));
	st.phase = (enum ppp_phase)r->ppp_phase;
	st.mru = r->mru;
	st.peer_mru = r->peer_mru;
	st.magic = r->magic;
	st.peer_magic = r->peer_magic;
	st.auth = (enum ppp_auth_method)r->auth;
	HA_COPY_STR(st.user, r->user);
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
	return l2tp_ppp_restore(s, &st, r->ifname);
}

/* A checkpointed DHCPv6 binding (its start on this box's clock). */
static void ha_takeover_lease(struct l2tpd *d, struct ipv6_lease *l, const struct ha_v6_lease *r)
{
	l->bound = r->bound;
	l->client.len = r->client_duid_len;
	memcpy(l->client.b, r->client_duid, r->client_duid_len);
	l->iaid = r->iaid;
	l->start_ms = ha_from_wall(d, r->start_ms);
	l->valid = r->valid;
	l->preferred = r->preferred;
}

/* The link's IPv6 as checkpointed: the same prefixes, the binding whose
 * Renew the new active answers (RFC 8415 §18.3.4), the pair's DUID. */
static void ha_restore_session_v6(struct l2tpd *d, struct l2tp_session *s,
				  const struct ha_session_rec *r)
{
	struct l2tp_ppp_v6_state st;
	int rc;

	if (!r->v6)
		return;
	memset(&st, 0, sizeof(st));
	st.has_prefix = r->v6_has_prefix;
	memcpy(st.prefix, r->v6_prefix, sizeof(st.prefix));
	snprintf(st.pool6, sizeof(st.pool6), "%s", r->v6_pool);
	st.has_pd = r->v6_has_pd;
	memcpy(st.pd, r->v6_pd, sizeof(st.pd));
	st.pd_len = r->v6_pd_len;
	snprintf(st.pd_pool, sizeof(st.pd_pool), "%s", r->v6_pd_pool);
	ha_takeover_lease(d, &st.lease, &r->v6_lease);
	st.server_duid.len = r->v6_server_duid_len;
	memcpy(st.server_duid.b, r->v6_server_duid, r->v6_server_duid_len);
	st.has_na = r->v6_has_na;
	memcpy(st.na, r->v6_na, sizeof(st.na));
	snprintf(st.na_pool, sizeof(st.na_pool), "%s", r->v6_na_pool);
	ha_takeover_lease(d, &st.na_lease, &r->v6_na_lease);
	for (unsigned i = 0; i < r->v6_n_routes && i < IPV6_ROUTE_MAX; i++) {
		memcpy(st.framed[i].dst, r->v6_route[i].dst, 16);
		st.framed[i].plen = r->v6_route[i].plen;
		memcpy(st.framed[i].gw, r->v6_route[i].gw, 16);
		st.framed[i].metric = r->v6_route[i].metric;
		st.n_framed = i + 1;
	}
	rc = l2tp_ppp_ipv6_restore(s, &st);
	if (rc < 0)
		session_log(s, LOG_ERR, "takeover: IPv6 not restored: %s", strerror(-rc));
}

/*
 * A call half made when the active died (DESIGN.md, HA contract): the
 * peer was sent our ICRP (or sent its OCRP) and its ICCN (OCCN) never
 * reached the standby; unacknowledged by the dead box, it comes again.
 * The call waits in WAIT_CONNECT, as a live one does, and is finished by
 * the session state machine when it arrives; ha_takeover_resynced() gives
 * the peer its retransmission budget once the tunnel has resynchronised.
 */
static void ha_restore_waiting(struct l2tp_session *s, const struct ha_session_rec *r)
{
	l2tp_session_state_move(s, L2TP_SESSION_WAIT_CONNECT);
	s->pool[0] = '\0';	/* the address was never handed out for good */
	s->ha_half = 1;
	clock_timer_init(&s->ha_connect_timer, ha_takeover_connect_expired, s);
	s->t->d->ha.stats.takeover_waiting++;
	session_debug(s, LOG_DBG_HA_EVENT, "rebuilt half made (peer session %u, record state "
		      "%u): waiting for the peer's %s", s->peer_sid, r->state,
		      s->kind == L2TP_CALL_OUTGOING ? "OCCN" : "ICCN");
}

/*
 * One checkpointed session: an established call as it was (kernel session,
 * PPP in the Network phase); an established call whose PPP was still
 * negotiating, with PPP started afresh (the subscriber's PPP renegotiates,
 * RFC 1661 allows that at any time); a half-made call waiting for the
 * peer.  *clear: not rebuilt (the data path refused it): cleared with a CDN
 * once the tunnel is resynchronised.
 */
static struct l2tp_session *ha_restore_session(struct l2tp_tunnel *t,
					       const struct ha_session_rec *r, int *clear)
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
	ha_restore_session_fields(d, s, r);
	*clear = 0;
	if (r->state != L2TP_SESSION_ESTABLISHED) {
		ha_restore_waiting(s, r);
		return s;
	}
	rc = l2tp_session_adopt_up(s);
	if (rc < 0) {
		session_log(s, LOG_ERR, "takeover: data path refused the session: %s", strerror(-rc));
		goto fail;
	}
	s->established_ms = ha_from_wall(d, r->established_ms);
	if (r->has_ppp && !r->ppp_up) {
		/* Its PPP was still negotiating: nothing of it is worth keeping. */
		s->pool[0] = '\0';
		s->peer_ip.s_addr = s->local_ip.s_addr = 0;
		session_log(s, LOG_INFO, "takeover: PPP was not up yet: starting it afresh");
		rc = l2tp_ppp_start(s);
		if (rc < 0) {
			session_log(s, LOG_ERR, "takeover: PPP not started: %s", strerror(-rc));
			goto fail;
		}
	} else if (r->has_ppp) {
		rc = ha_restore_session_ppp(d, s, r);
		if (rc < 0) {
			session_log(s, LOG_ERR, "takeover: PPP state not restored: %s",
				    strerror(-rc));
			s->ppp_up = 0;
			goto fail;
		}
		ha_restore_session_v6(d, s, r);
	}
	session_debug(s, LOG_DBG_HA_EVENT, "rebuilt (peer session %u%s%s)", s->peer_sid,
		      s->ifname[0] ? ", " : "", s->ifname);
	return s;
fail:
	*clear = 1;	/* cleared with a CDN once the tunnel is resynchronised */
	return s;
}

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

/*
 * The channel as checkpointed: Ns, Nr, una and the messages not yet
 * acknowledged, in Ns order.  Messages at or past the checkpointed Ns were
 * queued behind the peer's window and never sent (ha/ha.c records them
 * with the Ns each would have taken): restored as if sent and lost, so the
 * resync sends them, in order, before anything new.
 */
static void ha_restore_channel(struct l2tp_tunnel *t, const struct ha_shadow_tunnel *st)
{
	uint16_t ns = st->seq.ns;
	size_t i;

	if (st->n_msgs > 0) {
		uint16_t last = st->msgs[st->n_msgs - 1].ns;

		/* Contiguous past Ns, within a window of the oldest. */
		if ((uint16_t)(last - ns) < 32768 && (uint16_t)(last - st->seq.una) < 32768)
			ns = (uint16_t)(last + 1);
	}
	l2tp_ctrl_restore(&t->ctrl, ns, st->seq.nr, st->seq.una, st->rec.peer_rws);
	for (i = 0; i < st->n_msgs; i++) {
		const struct ha_shadow_msg *m = &st->msgs[i];

		if (l2tp_ctrl_restore_msg(&t->ctrl, m->ns, m->buf, m->len) < 0)
			tunnel_log(t, LOG_ERR, "takeover: checkpointed message Ns %u does not fit "
				   "(una %u, Ns %u): dropped", m->ns, st->seq.una, st->seq.ns);
	}
	if (ns != st->seq.ns)
		tunnel_debug(t, LOG_DBG_HA_RESYNC, "takeover: %u messages queued but never sent "
			     "restored (Ns %u..%u)", (uint16_t)(ns - st->seq.ns), st->seq.ns,
			     (uint16_t)(ns - 1));
}

/* The tunnel alone, its channel as checkpointed (adopt_fd >= 0: on that
 * socket).  NULL: not rebuilt (logged). */
static struct l2tp_tunnel *ha_restore_tunnel_alone(struct l2tpd *d,
						   const struct ha_shadow_tunnel *st, int adopt_fd)
{
	struct l2tp_tunnel_params p;
	struct vpdn_group *g;
	struct l2tp_tunnel *t;
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
	p.adopt_fd_set = adopt_fd >= 0;
	p.adopt_fd = adopt_fd;
	t = l2tp_tunnel_restore(d, g, &p, &err);
	if (t == NULL) {
		log_msg(&d->log, LOG_ERR, "redundancy: takeover: tunnel %u not rebuilt: %s",
			st->rec.tid, strerror(-err));
		return NULL;
	}
	ha_restore_channel(t, st);
	return t;
}

/* One checkpointed session on t, counted.  NULL: not rebuilt at all;
 * *clear: rebuilt but to be cleared (the data path refused it). */
static struct l2tp_session *ha_restore_one(struct l2tp_tunnel *t,
					   const struct ha_shadow_session *ss, int *clear)
{
	struct l2tpd_ha *h = &t->d->ha;
	struct l2tp_session *s;

	*clear = 0;
	s = ha_restore_session(t, &ss->rec, clear);
	if (s == NULL)
		h->stats.takeover_errors++;
	else if (!*clear && !s->ha_half)
		h->stats.takeover_sessions++;
	return s;
}

/* Rebuild one tunnel and its sessions; those not rebuilt are collected
 * (half) to be cleared. */
struct l2tp_tunnel *ha_restore_tunnel(struct l2tpd *d, const struct ha_shadow_tunnel *st,
				      int adopt_fd, struct l2tp_session ***half, size_t *n_half,
				      size_t *cap_half)
{
	const struct ha_shadow_session *ss;
	struct l2tp_tunnel *t;

	t = ha_restore_tunnel_alone(d, st, adopt_fd);
	if (t == NULL)
		return NULL;
	for (ss = ha_shadow_next_session(st, 0); ss != NULL;
	     ss = ha_shadow_next_session(st, ss->rec.sid)) {
		struct l2tp_session *s;
		int clear = 0;

		s = ha_restore_one(t, ss, &clear);
		if (s == NULL || !clear)
			continue;
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

/* A call rebuilt but refused by the data path: a CDN, behind the resync. */
static void ha_clear_not_rebuilt(struct l2tp_session *s)
{
	s->t->d->ha.stats.takeover_cleared++;
	if (s->t->dead)
		return;
	session_log(s, LOG_NOTICE, "takeover: call could not be rebuilt: clearing");
	l2tp_session_clear(s, L2TP_CDN_NO_FACILITIES_TEMP, -1, "call not rebuilt at failover");
}

/* --- the sessions after the tunnels ------------------------------------------ */

/*
 * The tunnels are rebuilt and their resync started in the takeover's own
 * loop turn; their sessions follow, HA_REBUILD_BATCH a loop turn or as many
 * as HA_REBUILD_SLICE_US allows, so that
 * the probes' answers are read meanwhile.  A peer's message or packet for
 * a tunnel whose sessions are not all rebuilt yet rebuilds the rest of
 * them first (l2tp_session_complete): no call is answered as unknown, no
 * packet is dropped for it.  Each session's record leaves the shadow store
 * as it is rebuilt, and the store's memory goes back to the system at the
 * end (malloc_trim).
 */
#define HA_REBUILD_BATCH	256
/* ... and for at most this long (microseconds, at least one session) a
 * loop turn: with the kernel's data path a session costs a PPP unit, its
 * interface and addresses (milliseconds; 30-250 ms under emulation), and a
 * turn of a whole batch would leave the probes' answers unread, holding the
 * resync of every tunnel until the last session is rebuilt. */
#define HA_REBUILD_SLICE_US	2000

/* Drop a record from the shadow store (sid 0: the tunnel's, the last). */
static void ha_shadow_consumed(struct l2tpd *d, uint16_t tid, uint16_t sid)
{
	struct ha_rec r = { .type = HA_REC_DELETE };

	r.u.del.tid = tid;
	r.u.del.sid = sid;
	(void)ha_shadow_apply(d->ha.shadow, &r);
}

/* Past the turn's time slice (until_us, clock_now_us; 0: none)? */
static int ha_rebuild_late(struct l2tpd *d, uint64_t until_us)
{
	return until_us != 0 && clock_now_us(&d->clk) >= until_us;
}

/* Up to budget of t's sessions from the shadow store, the first one
 * whatever the time, the others until until_us (0: no limit); how many. */
static unsigned ha_rebuild_some(struct l2tpd *d, struct l2tp_tunnel *t, unsigned budget,
				uint64_t until_us)
{
	const struct ha_shadow_tunnel *st = ha_shadow_tunnel(d->ha.shadow, t->tid);
	const struct ha_shadow_session *ss = NULL;
	unsigned n = 0;
	uint16_t sid = 0;

	t->sessions_pending = 0;	/* no lookup re-enters while they are made */
	/* From the last one rebuilt on (they leave the store: a scan from 0
	 * for each was a third of the rebuild). */
	while (st != NULL && !t->dead && n < budget && (n == 0 || !ha_rebuild_late(d, until_us)) &&
	       (ss = ha_shadow_next_session(st, sid)) != NULL) {
		struct l2tp_session *s;
		int clear;

		sid = ss->rec.sid;
		s = ha_restore_one(t, ss, &clear);
		ha_shadow_consumed(d, t->tid, sid);
		n++;
		if (s == NULL)
			continue;
		if (clear)
			ha_clear_not_rebuilt(s);
		else if (s->ha_half && !t->resyncing && t->resync_result > 0)
			ha_takeover_wait_call(s);	/* its tunnel resynced already */
	}
	if (st != NULL && !t->dead && ss != NULL && ha_shadow_next_session(st, sid) != NULL)
		t->sessions_pending = 1;
	else if (st != NULL)
		ha_shadow_consumed(d, t->tid, 0);
	if (t->held != NULL)
		l2tp_session_release_held(t);	/* the data that waited for them */
	return n;
}

static void ha_rebuild_forget(struct l2tpd_ha *h)
{
	free(h->rebuild.tids);
	h->rebuild.tids = NULL;
	h->rebuild.n = h->rebuild.next = 0;
	free(h->rebuild.urgent);
	h->rebuild.urgent = NULL;
	h->rebuild.n_urgent = h->rebuild.next_urgent = 0;
}

/* Every session rebuilt: the store goes, and its memory. */
static void ha_rebuild_done(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;

	h->rebuild.running = 0;
	ha_rebuild_forget(h);
	if (h->shadow != NULL)
		ha_shadow_clear(h->shadow);
	malloc_trim(0);
	h->stats.takeover_sessions_ms = clock_now(&d->clk) - h->takeover_start_ms;
	log_msg(&d->log, LOG_NOTICE, "redundancy: rebuilt %llu sessions and %llu half-made calls "
		"%llu ms after the takeover began (%llu tunnels' on demand, %llu data packets "
		"held for theirs; %llu not rebuilt)",
		(unsigned long long)h->stats.takeover_sessions,
		(unsigned long long)h->stats.takeover_waiting,
		(unsigned long long)h->stats.takeover_sessions_ms,
		(unsigned long long)h->stats.takeover_on_demand,
		(unsigned long long)h->stats.takeover_held,
		(unsigned long long)(h->stats.takeover_errors + h->stats.takeover_cleared));
}

/* Up to budget sessions, tunnel after tunnel (those a data packet waits
 * for first), until until_us (0: no limit; at least one session); the next
 * turn for the rest. */
static void ha_rebuild_run(struct l2tpd *d, unsigned budget, uint64_t until_us)
{
	struct l2tpd_ha *h = &d->ha;
	unsigned done = 0;

	if (!h->rebuild.running)
		return;
	while (h->rebuild.next < h->rebuild.n && budget > done &&
	       (done == 0 || !ha_rebuild_late(d, until_us))) {
		int urgent = h->rebuild.next_urgent < h->rebuild.n_urgent;
		uint16_t tid = urgent ? h->rebuild.urgent[h->rebuild.next_urgent] :
					h->rebuild.tids[h->rebuild.next];
		struct l2tp_tunnel *t = l2tp_tunnel_find(d, tid);

		if (t != NULL && !t->dead && t->sessions_pending)
			done += ha_rebuild_some(d, t, budget - done, until_us);
		if (t != NULL && !t->dead && t->sessions_pending)
			continue;
		if (urgent)
			h->rebuild.next_urgent++;
		else
			h->rebuild.next++;
	}
	if (h->rebuild.next < h->rebuild.n) {
		if (clock_timer_start(&d->clk, &h->rebuild.timer, 0) == 0)
			return;
		log_msg(&d->log, LOG_ERR, "redundancy: takeover: no timer: rebuilding the rest now");
		ha_rebuild_run(d, UINT_MAX, 0);
		return;
	}
	ha_rebuild_done(d);
}

static void ha_rebuild_turn(struct l2tp_timer *tm, void *arg)
{
	struct l2tpd *d = arg;

	ha_rebuild_run(d, HA_REBUILD_BATCH, clock_now_us(&d->clk) + HA_REBUILD_SLICE_US);
}

void ha_takeover_rebuild_all(struct l2tpd *d)
{
	ha_rebuild_run(d, UINT_MAX, 0);
}

void ha_takeover_sessions_missing(void *arg, struct l2tp_tunnel *t)
{
	struct l2tpd *d = t->d;

	if (d->ha.role != HA_ROLE_ACTIVE || !d->ha.rebuild.running || d->ha.shadow == NULL) {
		t->sessions_pending = 0;	/* going silent: nothing to rebuild for */
		return;
	}
	d->ha.stats.takeover_on_demand++;
	ha_rebuild_some(d, t, UINT_MAX, 0);
}

/* A data packet waits for a session of t: t goes first in the rebuild's
 * next turns (the packet is held meanwhile, l2tp_session_hold_data). */
int ha_takeover_sessions_wanted(void *arg, struct l2tp_tunnel *t)
{
	struct l2tpd_ha *h = &t->d->ha;

	if (h->role != HA_ROLE_ACTIVE || !h->rebuild.running || h->shadow == NULL ||
	    h->rebuild.urgent == NULL)
		return -ENOENT;
	if (!t->ha_urgent) {
		if (h->rebuild.n_urgent >= h->rebuild.n)
			return -ENOSPC;
		t->ha_urgent = 1;
		h->rebuild.urgent[h->rebuild.n_urgent++] = t->tid;
	}
	h->stats.takeover_held++;
	return 0;
}

void ha_takeover_stop(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;

	if (!h->rebuild.running)
		return;
	clock_timer_stop(&d->clk, &h->rebuild.timer);
	h->rebuild.running = 0;
	ha_rebuild_forget(h);
}

/* The tunnels of the store, rebuilt; those with sessions queued for
 * ha_rebuild_run.  How many were rebuilt (in *out, malloc'd). */
static size_t ha_takeover_tunnels(struct l2tpd *d, struct l2tp_tunnel ***out)
{
	struct l2tpd_ha *h = &d->ha;
	const struct ha_shadow_tunnel *st;
	struct l2tp_tunnel **rebuilt = NULL, *t;
	size_t n = 0, cap = 0;

	for (st = h->shadow ? ha_shadow_next_tunnel(h->shadow, 0) : NULL; st != NULL;
	     st = ha_shadow_next_tunnel(h->shadow, st->rec.tid)) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct l2tp_tunnel **nr = realloc(rebuilt, nc * sizeof(*rebuilt));
			uint16_t *nt = realloc(h->rebuild.tids, nc * sizeof(*nt));

			if (nt != NULL)
				h->rebuild.tids = nt;
			if (nr != NULL)
				rebuilt = nr;
			if (nr == NULL || nt == NULL) {
				h->stats.takeover_errors++;
				continue;
			}
			cap = nc;
		}
		t = ha_restore_tunnel_alone(d, st, -1);
		if (t == NULL) {
			h->stats.takeover_errors++;
			continue;
		}
		rebuilt[n++] = t;
		if (ha_shadow_next_session(st, 0) != NULL) {
			t->sessions_pending = 1;
			h->rebuild.tids[h->rebuild.n++] = t->tid;
		}
	}
	/* Room for each of them in the urgent list (none: a packet for a
	 * session not rebuilt yet rebuilds its tunnel's at once). */
	if (h->rebuild.n > 0)
		h->rebuild.urgent = calloc(h->rebuild.n, sizeof(*h->rebuild.urgent));
	*out = rebuilt;
	return n;
}

void ha_takeover(struct l2tpd *d, const char *why)
{
	struct l2tpd_ha *h = &d->ha;
	struct l2tp_tunnel **rebuilt = NULL;
	enum ha_role prev = h->role;
	char err[256];
	size_t n, i;
	int rc;

	/* A switchover's fault still in the file would keep keepalived from
	 * giving this box the address it now serves. */
	ha_vrrp_fault_clear(d);
	ha_takeover_stop(d);
	h->takeover_start_ms = clock_now(&d->clk);
	h->role = HA_ROLE_ACTIVE;
	h->role_since_ms = h->takeover_start_ms;
	h->stats.takeovers++;
	h->stats.takeover_tunnels = h->stats.takeover_sessions = 0;
	h->stats.takeover_cleared = h->stats.takeover_errors = 0;
	h->stats.takeover_waiting = h->stats.takeover_completed = 0;
	h->stats.takeover_on_demand = h->stats.takeover_sessions_ms = 0;
	h->stats.takeover_held = 0;
	h->tunnels_resyncing = 0;
	log_msg(&d->log, LOG_NOTICE, "redundancy: becoming active (%s)", why);
	if (prev != HA_ROLE_INIT && h->link != NULL && !h->shadow_complete &&
	    ha_link_standby_rx_count(h->link) > 0)
		log_msg(&d->log, LOG_WARNING, "redundancy: the checkpoint was not complete (no "
			"bulk sync finished): rebuilding what there is");
	clock_timer_init(&h->rebuild.timer, ha_rebuild_turn, d);
	h->rebuild.running = 1;
	n = ha_takeover_tunnels(d, &rebuilt);
	h->stats.takeover_tunnels = n;
	if (d->listen_fd < 0 && !d->no_sockets) {
		rc = l2tp_net_listen(d, err, sizeof(err));
		if (rc < 0)
			log_msg(&d->log, LOG_ERR, "redundancy: cannot listen: %s", err);
	}
	if (!d->access && !d->no_sockets &&
	    pppoe_access_start(d, &pppoe_port_packet_ops, NULL, err, sizeof(err)) < 0)
		log_msg(&d->log, LOG_ERR, "redundancy: cannot serve PPPoE: %s", err);
	h->stats.takeover_rebuild_ms = clock_now(&d->clk) - h->takeover_start_ms;
	if (h->link != NULL)
		ha_link_set_role(h->link, HA_LINK_ACTIVE);
	log_msg(&d->log, LOG_NOTICE, "redundancy: rebuilt %zu tunnels in %llu ms (%llu not "
		"rebuilt); resynchronising; their sessions follow, %u (or %u ms) a loop turn", n,
		(unsigned long long)h->stats.takeover_rebuild_ms,
		(unsigned long long)h->stats.takeover_errors, HA_REBUILD_BATCH,
		HA_REBUILD_SLICE_US / 1000);
	h->tunnels_resyncing = (unsigned)n;
	if (n == 0)
		h->stats.resync_duration_ms = 0;
	/* The probes leave now, before any session is rebuilt. */
	for (i = 0; i < n; i++)
		if (!rebuilt[i]->dead)
			l2tp_tunnel_resync_start(rebuilt[i]);
	free(rebuilt);
	/* The subscribers' sessions on their calls (a call not rebuilt yet is
	 * on demand); no discovery until the tunnels are resynchronised. */
	ha_pppoe_takeover(d);
	pppoe_access_hold(d, n > 0);
	ha_rebuild_run(d, 0, 0);
}

/* --- half-made calls after the takeover ------------------------------------- */

/* The peer's retransmission budget is spent and the call is still half made. */
void ha_takeover_connect_expired(struct l2tp_timer *tm, void *arg)
{
	struct l2tp_session *s = arg;

	if (!s->ha_half || s->state != L2TP_SESSION_WAIT_CONNECT)
		return;
	s->ha_half = 0;
	s->t->d->ha.stats.takeover_cleared++;
	session_log(s, LOG_NOTICE, "takeover: the peer did not finish the call within %llu ms "
		    "of the resync: clearing", (unsigned long long)l2tp_tunnel_rtx_budget_ms(s->t));
	l2tp_session_clear(s, L2TP_CDN_NO_FACILITIES_TEMP, -1, "call not completed after failover");
}

/* Its tunnel resynchronised: each half-made call gets the peer's whole
 * retransmission budget (RFC 2661 §5.8) from now to finish. */
void ha_takeover_wait_call(struct l2tp_session *s)
{
	uint64_t budget = l2tp_tunnel_rtx_budget_ms(s->t);

	if (!s->ha_half || s->state != L2TP_SESSION_WAIT_CONNECT)
		return;
	if (clock_timer_start(&s->t->d->clk, &s->ha_connect_timer, budget) < 0)
		session_log(s, LOG_ERR, "takeover: no timer for the half-made call");
}

static void ha_takeover_wait_calls(struct l2tp_tunnel *t)
{
	struct l2tp_session *s;

	LIST_FOREACH(s, &t->session_list, link)
		ha_takeover_wait_call(s);
}

/* The observer: a session changed (ha/ha.c).  A half-made call the peer
 * finished is up: counted, its timer goes. */
void ha_takeover_session_changed(struct l2tp_session *s)
{
	if (!s->ha_half || s->state != L2TP_SESSION_ESTABLISHED)
		return;
	s->ha_half = 0;
	clock_timer_stop(&s->t->d->clk, &s->ha_connect_timer);
	s->t->d->ha.stats.takeover_completed++;
	session_log(s, LOG_INFO, "takeover: the peer finished the half-made call");
}

/* The observer: a session goes (ha/ha.c). */
void ha_takeover_session_deleted(struct l2tp_session *s)
{
	if (!s->ha_half)
		return;
	s->ha_half = 0;
	clock_timer_stop(&s->t->d->clk, &s->ha_connect_timer);
}

void ha_takeover_resynced(void *arg, struct l2tp_tunnel *t, int ok)
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
	if (ok)
		ha_takeover_wait_calls(t);
	if (h->tunnels_resyncing == 0)
		return;
	if (--h->tunnels_resyncing == 0) {
		pppoe_access_hold(d, 0);	/* the rebuild is over: discovery again */
		h->stats.resync_duration_ms = clock_now(&d->clk) - h->takeover_start_ms;
		log_msg(&d->log, LOG_NOTICE, "redundancy: takeover complete in %llu ms: %llu tunnels "
			"resynchronised, %llu failed", (unsigned long long)h->stats.resync_duration_ms,
			(unsigned long long)h->stats.resync_ok,
			(unsigned long long)h->stats.resync_fail);
	}
}
