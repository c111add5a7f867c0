/*
 * Holding up under attack: access list, SCCRQ rates, intrusion protection,
 * the half-open table, call limits, the descriptor budget (see guard.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/history.h"
#include "l2tpd.h"
#include "l2tp/guard.h"
#include "l2tp/proto.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

int l2tp_rate_take(struct l2tp_rate *r, uint64_t now, unsigned rate, unsigned period_ms)
{
	uint64_t cap = (uint64_t)rate * 1000;

	if (rate == 0)
		return 1;		/* no limit */
	if (period_ms == 0)
		period_ms = 1000;
	if (!r->primed) {
		r->primed = 1;
		r->milli = cap;
		r->last_ms = now;
	} else if (now > r->last_ms) {
		/* rate tokens per period: rate * 1000 milli-tokens per period_ms */
		uint64_t add = (now - r->last_ms) * cap / period_ms;

		r->milli = r->milli + add > cap ? cap : r->milli + add;
		r->last_ms = now;
	}
	if (r->milli < 1000)
		return 0;
	r->milli -= 1000;
	return 1;
}

int l2tp_guard_init(struct l2tp_guard *g)
{
	unsigned i;

	memset(g, 0, sizeof(*g));
	TAILQ_INIT(&g->half_open);
	g->src = calloc((size_t)L2TP_GUARD_SRC_SETS * L2TP_GUARD_SRC_WAYS, sizeof(*g->src));
	g->peers = calloc(L2TP_GUARD_PEER_BUCKETS, sizeof(*g->peers));
	if (g->src == NULL || g->peers == NULL) {
		l2tp_guard_fini(g);
		return -ENOMEM;
	}
	for (i = 0; i < L2TP_GUARD_PEER_BUCKETS; i++)
		LIST_INIT(&g->peers[i]);
	return 0;
}

void l2tp_guard_fini(struct l2tp_guard *g)
{
	free(g->src);
	free(g->peers);
	g->src = NULL;
	g->peers = NULL;
}

/* --- rate-limited log lines ---------------------------------------------- */

/* Count one more; 1 (and *n: the count to say) when a line is due now. */
static int guard_log_due(uint64_t *unlogged, uint64_t *logged_ms, int *logged, uint64_t now,
			 uint64_t *n)
{
	(*unlogged)++;
	if (*logged && now - *logged_ms < L2TP_GUARD_LOG_MS)
		return 0;
	*n = *unlogged;
	*unlogged = 0;
	*logged_ms = now;
	*logged = 1;
	return 1;
}

static int guard_logrl_due(struct l2tp_guard_logrl *l, uint64_t now, uint64_t *n)
{
	return guard_log_due(&l->unlogged, &l->logged_ms, &l->logged, now, n);
}

/* --- the source table ---------------------------------------------------- */

/* Every bit of the key moves every bit of the hash: addresses of one
 * subnet differ in a few bits only (a multiplicative hash of them would
 * put a /24 in four sets). */
static uint32_t guard_mix(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x45d9f3bu;
	h ^= h >> 16;
	h *= 0x45d9f3bu;
	h ^= h >> 16;
	return h;
}

static unsigned guard_src_set(uint32_t addr)
{
	return guard_mix(addr) % L2TP_GUARD_SRC_SETS;
}

static struct l2tp_guard_src *guard_src_find(struct l2tp_guard *g, uint32_t addr)
{
	struct l2tp_guard_src *set = &g->src[guard_src_set(addr) * L2TP_GUARD_SRC_WAYS];
	unsigned i;

	for (i = 0; i < L2TP_GUARD_SRC_WAYS; i++)
		if (set[i].addr == addr)
			return &set[i];
	return NULL;
}

/*
 * addr's entry, made if need be: a free way of its set, else the least
 * recently seen one that is not blocked, else (all blocked) the one whose
 * block ends first.
 */
static struct l2tp_guard_src *guard_src_get(struct l2tp_guard *g, uint32_t addr, uint64_t now)
{
	struct l2tp_guard_src *set = &g->src[guard_src_set(addr) * L2TP_GUARD_SRC_WAYS];
	struct l2tp_guard_src *s = guard_src_find(g, addr), *victim = NULL;
	unsigned i;

	if (s != NULL)
		return s;
	for (i = 0; i < L2TP_GUARD_SRC_WAYS && victim == NULL; i++)
		if (set[i].addr == 0)
			victim = &set[i];
	for (i = 0; i < L2TP_GUARD_SRC_WAYS && victim == NULL; i++) {
		s = &set[i];
		if (s->blocked_until_ms > now)
			continue;
		if (victim == NULL || s->seen_ms < victim->seen_ms)
			victim = s;
	}
	if (victim == NULL) {
		victim = &set[0];
		for (i = 1; i < L2TP_GUARD_SRC_WAYS; i++)
			if (set[i].blocked_until_ms < victim->blocked_until_ms)
				victim = &set[i];
	}
	if (victim->addr != 0)
		g->stats.sources_recycled++;
	memset(victim, 0, sizeof(*victim));
	victim->addr = addr;
	victim->seen_ms = now;
	return victim;
}

static int guard_prefix_list_has(const struct config_prefix *p, unsigned n, struct in_addr a)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (config_prefix_match(&p[i], a))
			return 1;
	return 0;
}

static const char *const guard_drop_why[] = {
	[L2TP_GUARD_DROP_ACL] = "not in the l2tp access-list",
	[L2TP_GUARD_DROP_BLOCKED] = "source blocked (intrusion protection)",
	[L2TP_GUARD_DROP_RATE_SOURCE] = "over the per-source SCCRQ rate",
	[L2TP_GUARD_DROP_RATE_TOTAL] = "over the total SCCRQ rate",
};

static enum l2tp_guard_verdict guard_drop(struct l2tpd *d, struct l2tp_guard_src *s,
					  enum l2tp_guard_verdict v, uint64_t now)
{
	uint64_t n;

	s->dropped++;
	if (guard_log_due(&s->unlogged, &s->logged_ms, &s->logged, now, &n)) {
		struct in_addr a = { s->addr };

		log_msg(&d->log, LOG_WARNING, "guard: %s: %llu SCCRQ%s dropped in %u s (%s)",
			inet_ntoa(a), (unsigned long long)n, n == 1 ? "" : "s",
			L2TP_GUARD_LOG_MS / 1000, guard_drop_why[v]);
	}
	return v;
}

/* The total's interval: past the budget only light sources pass. */
static int guard_total_pass(struct l2tp_guard *g, const struct config_guard *c,
			    struct l2tp_guard_src *s, uint64_t now)
{
	uint64_t win;

	if (c->sccrq_total == 0)
		return 1;
	win = now / ((uint64_t)(c->sccrq_total_interval ? c->sccrq_total_interval : 1) * 1000);
	if (win != g->total_win) {
		g->total_win = win;
		g->total_passed = 0;
	}
	if (s->win != win) {
		s->win = win;
		s->win_passed = 0;
	}
	if (g->total_passed >= c->sccrq_total && s->win_passed >= L2TP_GUARD_LIGHT)
		return 0;
	g->total_passed++;
	s->win_passed++;
	return 1;
}

enum l2tp_guard_verdict l2tp_guard_sccrq(struct l2tpd *d, const struct sockaddr_in *from)
{
	const struct config_guard *c = &d->cfg.guard;
	struct l2tp_guard *g = &d->guard;
	struct l2tp_guard_src *s;
	uint64_t now = clock_now(&d->clk), n;

	if (c->n_acl > 0 && !guard_prefix_list_has(c->acl, c->n_acl, from->sin_addr)) {
		g->stats.drop_acl++;
		if (guard_logrl_due(&g->log_acl, now, &n))
			log_msg(&d->log, LOG_WARNING, "guard: %llu SCCRQ%s from sources outside the "
				"l2tp access-list dropped in %u s (the last from %s)",
				(unsigned long long)n, n == 1 ? "" : "s", L2TP_GUARD_LOG_MS / 1000,
				inet_ntoa(from->sin_addr));
		return L2TP_GUARD_DROP_ACL;
	}
	s = guard_src_get(g, from->sin_addr.s_addr, now);
	s->seen_ms = now;
	if (s->blocked_until_ms > now) {
		g->stats.drop_blocked++;
		return guard_drop(d, s, L2TP_GUARD_DROP_BLOCKED, now);
	}
	if (!l2tp_rate_take(&s->sccrq, now, c->sccrq_source, c->sccrq_source_interval * 1000)) {
		g->stats.drop_rate_source++;
		return guard_drop(d, s, L2TP_GUARD_DROP_RATE_SOURCE, now);
	}
	if (!guard_total_pass(g, c, s, now)) {
		g->stats.drop_rate_total++;
		return guard_drop(d, s, L2TP_GUARD_DROP_RATE_TOTAL, now);
	}
	g->stats.sccrq_passed++;
	return L2TP_GUARD_PASS;
}

void l2tp_guard_auth_failed(struct l2tpd *d, struct in_addr addr)
{
	const struct config_guard *c = &d->cfg.guard;
	struct l2tp_guard *g = &d->guard;
	struct l2tp_guard_src *s;
	uint64_t now = clock_now(&d->clk);

	g->stats.auth_failures++;
	if (c->ip_failures == 0 || guard_prefix_list_has(c->trusted, c->n_trusted, addr))
		return;
	s = guard_src_get(g, addr.s_addr, now);
	if (s->fails == 0 || now - s->fail_start_ms > (uint64_t)c->ip_within * 1000) {
		s->fails = 0;
		s->fail_start_ms = now;
	}
	if (++s->fails < c->ip_failures)
		return;
	s->fails = 0;
	s->blocked_until_ms = now + (uint64_t)c->ip_block * 1000;
	s->blocked_wall_ms = clock_wall_ms(&d->clk);
	s->blocks++;
	g->stats.sources_blocked++;
	log_msg(&d->log, LOG_WARNING, "guard: %s blocked for %u s: %u tunnel authentication "
		"failures within %u s", inet_ntoa(addr), c->ip_block, c->ip_failures, c->ip_within);
}

int l2tp_guard_blocked(struct l2tpd *d, struct in_addr addr)
{
	const struct l2tp_guard_src *s = guard_src_find(&d->guard, addr.s_addr);

	return s != NULL && s->blocked_until_ms > clock_now(&d->clk);
}

unsigned l2tp_guard_unblock(struct l2tpd *d, struct in_addr addr)
{
	struct l2tp_guard *g = &d->guard;
	uint64_t now = clock_now(&d->clk);
	unsigned i, n = 0;

	for (i = 0; i < L2TP_GUARD_SRC_SETS * L2TP_GUARD_SRC_WAYS; i++) {
		struct l2tp_guard_src *s = &g->src[i];

		if (s->addr == 0 || s->blocked_until_ms <= now ||
		    (addr.s_addr != INADDR_ANY && s->addr != addr.s_addr))
			continue;
		s->blocked_until_ms = 0;
		s->fails = 0;
		n++;
	}
	return n;
}

void l2tp_guard_foreach_blocked(struct l2tpd *d,
				void (*fn)(void *arg, const struct l2tp_guard_src *s,
					   uint64_t left_ms),
				void *arg)
{
	struct l2tp_guard *g = &d->guard;
	uint64_t now = clock_now(&d->clk);
	unsigned i;

	for (i = 0; i < L2TP_GUARD_SRC_SETS * L2TP_GUARD_SRC_WAYS; i++)
		if (g->src[i].addr != 0 && g->src[i].blocked_until_ms > now)
			fn(arg, &g->src[i], g->src[i].blocked_until_ms - now);
}

/* --- the half-open table ------------------------------------------------- */

void l2tp_guard_half_open_make_room(struct l2tpd *d)
{
	struct l2tp_guard *g = &d->guard;
	unsigned max = d->cfg.guard.half_open_max ? d->cfg.guard.half_open_max : 1;
	uint64_t now = clock_now(&d->clk), n;

	while (g->n_half_open >= max) {
		struct l2tp_tunnel *t = TAILQ_FIRST(&g->half_open);

		/* Nothing said to it: it proved nothing, and a StopCCN would
		 * cost what the table is there to save. */
		g->stats.half_open_evicted++;
		tunnel_debug(t, LOG_DBG_EVENT, "half-open table full: evicted");
		if (guard_logrl_due(&g->log_evict, now, &n))
			log_msg(&d->log, LOG_WARNING, "guard: half-open table full (%u): %llu "
				"unauthenticated tunnel%s evicted in %u s (the last from %s)", max,
				(unsigned long long)n, n == 1 ? "" : "s", L2TP_GUARD_LOG_MS / 1000,
				inet_ntoa(t->peer.sin_addr));
		l2tp_tunnel_destroy(t);	/* takes it out of the table */
	}
}

void l2tp_guard_half_open_add(struct l2tpd *d, struct l2tp_tunnel *t)
{
	struct l2tp_guard *g = &d->guard;

	if (t->half_open)
		return;
	t->half_open = 1;
	TAILQ_INSERT_TAIL(&g->half_open, t, half_open_link);
	if (++g->n_half_open > g->stats.half_open_peak)
		g->stats.half_open_peak = g->n_half_open;
}

void l2tp_guard_half_open_del(struct l2tpd *d, struct l2tp_tunnel *t)
{
	if (!t->half_open)
		return;
	t->half_open = 0;
	TAILQ_REMOVE(&d->guard.half_open, t, half_open_link);
	d->guard.n_half_open--;
}

/* --- LNS tunnels by peer ------------------------------------------------- */

static struct l2tp_guard_bucket *guard_bucket(struct l2tp_guard *g, const struct sockaddr_in *p)
{
	uint32_t h = guard_mix(p->sin_addr.s_addr ^ guard_mix(p->sin_port));

	return &g->peers[h % L2TP_GUARD_PEER_BUCKETS];
}

void l2tp_guard_peer_add(struct l2tpd *d, struct l2tp_tunnel *t)
{
	if (t->in_peer_hash)
		return;
	t->in_peer_hash = 1;
	t->peer_key = t->peer;
	LIST_INSERT_HEAD(guard_bucket(&d->guard, &t->peer_key), t, peer_link);
}

void l2tp_guard_peer_del(struct l2tpd *d, struct l2tp_tunnel *t)
{
	if (!t->in_peer_hash)
		return;
	t->in_peer_hash = 0;
	LIST_REMOVE(t, peer_link);
}

static int guard_same_peer(const struct l2tp_tunnel *t, const struct sockaddr_in *from)
{
	return !t->dead && t->peer_key.sin_addr.s_addr == from->sin_addr.s_addr &&
	       t->peer_key.sin_port == from->sin_port;
}

struct l2tp_tunnel *l2tp_guard_peer_find(struct l2tpd *d, const struct sockaddr_in *from,
					 uint16_t peer_tid)
{
	struct l2tp_tunnel *t;

	if (peer_tid == 0)
		return NULL;
	LIST_FOREACH(t, guard_bucket(&d->guard, from), peer_link)
		if (guard_same_peer(t, from) && t->peer_tid == peer_tid)
			return t;
	return NULL;
}

void l2tp_guard_peer_state(struct l2tpd *d, const struct sockaddr_in *from,
			   const struct sockaddr_in *local, int *established, int *pending)
{
	struct l2tp_tunnel *t;

	*established = *pending = 0;
	LIST_FOREACH(t, guard_bucket(&d->guard, from), peer_link) {
		if (!guard_same_peer(t, from))
			continue;
		if (t->state == L2TP_TUNNEL_ESTABLISHED &&
		    t->local.sin_addr.s_addr == local->sin_addr.s_addr &&
		    t->local.sin_port == local->sin_port)
			*established = 1;
		else if (t->half_open && t->via_listen && t->state != L2TP_TUNNEL_CLOSING)
			*pending = 1;
	}
}

/* --- new calls ----------------------------------------------------------- */

static unsigned guard_group_calls(struct l2tpd *d, const struct vpdn_group *g)
{
	const struct l2tp_tunnel *t;
	unsigned n = 0;

	LIST_FOREACH(t, &d->tunnels, link)
		if (!t->dead && t->grp == g)
			n += t->n_sessions;
	return n;
}

static void guard_refuse_call(struct l2tp_tunnel *t, const struct l2tp_msg *m, uint16_t peer_sid,
			      const char *why)
{
	struct l2tpd *d = t->d;
	char calling[64] = "";
	uint64_t n;

	l2tp_msg_get_str(m, L2TP_AVP_CALLING_NUMBER, calling, sizeof(calling));
	if (guard_logrl_due(&d->guard.log_call, clock_now(&d->clk), &n))
		tunnel_log(t, LOG_WARNING, "%s refused: %s (%llu call%s refused by limits in %u s)",
			   l2tp_msg_type_name(m->type), why, (unsigned long long)n,
			   n == 1 ? "" : "s", L2TP_GUARD_LOG_MS / 1000);
	history_failure_add(d->history, calling, t->tid, t->peer_tid, 0, peer_sid,
			    t->peer.sin_addr.s_addr, L2TP_CDN_NO_FACILITIES_TEMP, why);
	/* §4.4.2: result 4, a temporary lack of facilities: the LAC may retry. */
	l2tp_session_refuse(t, peer_sid, L2TP_CDN_NO_FACILITIES_TEMP, -1, why);
}

int l2tp_guard_call(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	struct l2tpd *d = t->d;
	const struct config_guard *c = &d->cfg.guard;
	uint16_t peer_sid = 0;

	/* The session code answers what it must refuse anyway (no Assigned
	 * Session ID, a tunnel in HA resync). */
	if (t->resyncing || l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &peer_sid) < 0 ||
	    peer_sid == 0)
		return 0;
	if (m->type == L2TP_MSG_ICRQ &&
	    !l2tp_rate_take(&t->icrq_rate, clock_now(&d->clk), c->icrq_tunnel, 1000)) {
		d->guard.stats.calls_rate_refused++;
		guard_refuse_call(t, m, peer_sid, "ICRQ rate limit of the tunnel");
		return 1;
	}
	if (d->cfg.softshut) {
		guard_refuse_call(t, m, peer_sid, "vpdn softshut: new sessions refused");
		return 1;
	}
	if (t->grp != NULL && t->grp->removed) {
		d->guard.stats.calls_limit_refused++;
		guard_refuse_call(t, m, peer_sid, "vpdn-group removed from the configuration");
		return 1;
	}
	if (c->session_limit != 0 && d->n_sessions >= c->session_limit) {
		d->guard.stats.calls_limit_refused++;
		guard_refuse_call(t, m, peer_sid, "vpdn session-limit reached");
		return 1;
	}
	if (t->grp != NULL && t->grp->session_limit != 0 &&
	    guard_group_calls(d, t->grp) >= t->grp->session_limit) {
		d->guard.stats.calls_limit_refused++;
		guard_refuse_call(t, m, peer_sid, "vpdn-group session-limit reached");
		return 1;
	}
	return 0;
}

/* --- descriptors --------------------------------------------------------- */

int l2tp_guard_fd(struct l2tpd *d, int fd)
{
	uint64_t n;

	if (d->guard.fd_limit <= 0 || fd < d->guard.fd_limit)
		return 0;
	d->guard.stats.fd_budget_refused++;
	if (guard_logrl_due(&d->guard.log_fd, clock_now(&d->clk), &n))
		log_msg(&d->log, LOG_ERR, "guard: %llu tunnel socket%s refused in %u s: descriptor "
			"%d is in the %u kept for the control socket, RADIUS and the checkpoint link",
			(unsigned long long)n, n == 1 ? "" : "s", L2TP_GUARD_LOG_MS / 1000, fd,
			L2TP_GUARD_FD_RESERVE);
	return -EMFILE;
}
