/*
 * Live configuration changes (see config_reload.h).
 *
 * A reload is a transaction: the file is read into a configuration of its
 * own (config_load.c, from nothing, as at start), checked against what
 * runs, and only then applied; a refusal leaves the running configuration
 * and every tunnel as they were.
 *
 *	checked (refused with the reason)	applied in place
 *	-----------------------------------	----------------------------------
 *	l2tp port, vpdn source-ip, the		groups: edited in place (the tunnels'
 *	redundancy block, the DAS socket,	pointers stay), added, removed (a
 *	metrics listen: sockets open at start	group with tunnels up stays, marked
 *	a pool shrunk or removed under		removed, until they end); templates;
 *	addresses in use (core/ippool.c)	users; pools (grown); RADIUS (servers
 *	RADIUS servers removed while requests	added, keys; aaa/radius_client.c);
 *	are in flight (aaa/radius_client.c)	every global knob
 *
 * The hello and retransmission knobs of a group are copied into a tunnel
 * when it is made (l2tp/tunnel.c), so a change reaches new tunnels only.
 * A removed Virtual-Template stays allocated (marked removed) while any
 * session runs: a PPP link keeps a pointer to its template.
 *
 * Every accepted change is logged once, at LOG_NOTICE, with its author:
 * the lines of `show running-config` that differ, secrets masked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/config_load.h"
#include "cli/config_reload.h"
#include "core/config.h"
#include "core/history.h"
#include "core/ippool.h"
#include "core/out.h"
#include "aaa/radius_client.h"
#include "ha/ha.h"
#include "l2tp/dial.h"
#include "l2tp/mss.h"
#include "l2tp/tunnel.h"
#include "l2tpd.h"

#define RELOAD_DEPTH	8	/* modes deep a running-config line can be */

/* Tunnels (live or waiting to be reaped) that point at g. */
static unsigned reload_group_tunnels(const struct l2tpd *d, const struct vpdn_group *g)
{
	const struct l2tp_tunnel *t;
	unsigned n = 0;

	LIST_FOREACH(t, &d->tunnels, link)
		n += t->grp == g;
	return n;
}

static int reload_same_red(const struct config_redundancy *a, const struct config_redundancy *b)
{
	return a->configured == b->configured && a->mode_sso == b->mode_sso &&
	       a->local.s_addr == b->local.s_addr && a->peer.s_addr == b->peer.s_addr &&
	       a->local_port == b->local_port && a->peer_port == b->peer_port &&
	       a->curve == b->curve && a->security_none == b->security_none &&
	       strcmp(a->public_key, b->public_key) == 0 &&
	       strcmp(a->secret_key, b->secret_key) == 0 &&
	       strcmp(a->peer_key, b->peer_key) == 0 && a->heartbeat_ms == b->heartbeat_ms &&
	       a->dead_ms == b->dead_ms && a->vip.s_addr == b->vip.s_addr;
}

static int reload_same_pools6(const struct l2tpd_config *o, const struct l2tpd_config *n)
{
	const struct config_pool6 *a = TAILQ_FIRST(&o->pools6), *b = TAILQ_FIRST(&n->pools6);

	for (; a != NULL && b != NULL; a = TAILQ_NEXT(a, link), b = TAILQ_NEXT(b, link))
		if (strcmp(a->name, b->name) != 0 || memcmp(a->prefix, b->prefix, 16) != 0 ||
		    a->len != b->len || a->assign != b->assign)
			return 0;
	return a == NULL && b == NULL;
}

static int reload_same_access(const struct l2tpd_config *o, const struct l2tpd_config *n)
{
	const struct config_bba_group *a = TAILQ_FIRST(&o->bba_groups);
	const struct config_bba_group *b = TAILQ_FIRST(&n->bba_groups);
	const struct config_access_if *x = TAILQ_FIRST(&o->access_ifs);
	const struct config_access_if *y = TAILQ_FIRST(&n->access_ifs);

	for (; a != NULL && b != NULL; a = TAILQ_NEXT(a, link), b = TAILQ_NEXT(b, link))
		if (strcmp(a->name, b->name) != 0 || a->virtual_template != b->virtual_template ||
		    strcmp(a->ac_name, b->ac_name) != 0 || a->per_mac_limit != b->per_mac_limit ||
		    a->pado_delay_ms != b->pado_delay_ms || a->lcp_timeout != b->lcp_timeout)
			return 0;
	for (; x != NULL && y != NULL; x = TAILQ_NEXT(x, link), y = TAILQ_NEXT(y, link))
		if (strcmp(x->name, y->name) != 0 || x->vlan != y->vlan || x->vlan2 != y->vlan2 ||
		    strcmp(x->group, y->group) != 0 || x->max_sessions != y->max_sessions)
			return 0;
	return a == NULL && b == NULL && x == NULL && y == NULL &&
	       memcmp(&o->pppoe, &n->pppoe, sizeof o->pppoe) == 0;
}

/* What is built once at start and not rebuilt live yet: the IPv6 prefix
 * pools (their bitmaps hold the prefixes in use) and the PPPoE access side
 * (its ports and sessions). */
static int reload_check_static(const struct l2tpd_config *o, const struct l2tpd_config *n,
			       char *err, size_t errsz)
{
	const char *what = NULL;

	if (!reload_same_pools6(o, n))
		what = "ipv6 local pool";
	else if (!reload_same_access(o, n))
		what = "the PPPoE access side (bba-group, interface, pppoe rate-limit)";
	if (what == NULL)
		return 0;
	snprintf(err, errsz, "%s cannot change while l2tpd runs yet: change it in the file and "
		 "restart", what);
	return -EBUSY;
}

/* What holds a socket opened at start cannot change under it. */
static int reload_check_fixed(const struct l2tpd_config *o, const struct l2tpd_config *n,
			      char *err, size_t errsz)
{
	const char *what = NULL;

	if (o->port != n->port)
		what = "l2tp port";
	else if (o->source_ip.s_addr != n->source_ip.s_addr)
		what = "vpdn source-ip";
	else if (!reload_same_red(&o->red, &n->red))
		what = "the redundancy block";
	else if (o->radius.das != n->radius.das || o->radius.das_port != n->radius.das_port)
		what = "aaa server radius dynamic-author (on or off, its port)";
	else if (o->metrics.addr.s_addr != n->metrics.addr.s_addr ||
		 o->metrics.port != n->metrics.port)
		what = "metrics listen";
	if (what == NULL)
		return 0;
	snprintf(err, errsz, "%s cannot change while l2tpd runs (its socket is open): change "
		 "it in the file and restart", what);
	return -EBUSY;
}

static struct vpdn_group *reload_group_any(const struct l2tpd_config *cfg, const char *name)
{
	struct vpdn_group *g;

	TAILQ_FOREACH(g, &cfg->groups, link)
		if (strcmp(g->name, name) == 0)
			return g;
	return NULL;
}

/* og takes ng's settings; its list place and counters stay. */
static void reload_group_copy(struct vpdn_group *og, const struct vpdn_group *ng)
{
	struct vpdn_group keep = *og;

	*og = *ng;
	og->link = keep.link;
	og->tunnels_up = keep.tunnels_up;
	og->sessions_up = keep.sessions_up;
	og->tunnels_refused = keep.tunnels_refused;
	og->sessions_refused = keep.sessions_refused;
	og->removed = 0;
}

static void reload_groups(struct l2tpd *d, struct l2tpd_config *n)
{
	struct vpdn_group_list keep;
	struct vpdn_group *g, *og;

	TAILQ_INIT(&keep);
	while ((g = TAILQ_FIRST(&n->groups)) != NULL) {
		TAILQ_REMOVE(&n->groups, g, link);
		og = reload_group_any(&d->cfg, g->name);
		if (og != NULL) {
			if (og->removed)
				log_msg(&d->log, LOG_NOTICE, "vpdn-group %s: configured again; its "
					"tunnels take new calls", og->name);
			TAILQ_REMOVE(&d->cfg.groups, og, link);
			reload_group_copy(og, g);
			free(g);
			g = og;
		}
		TAILQ_INSERT_TAIL(&keep, g, link);
	}
	/* What is left is gone from the configuration. */
	while ((g = TAILQ_FIRST(&d->cfg.groups)) != NULL) {
		unsigned nt = reload_group_tunnels(d, g);

		TAILQ_REMOVE(&d->cfg.groups, g, link);
		if (nt == 0) {
			free(g);
			continue;
		}
		if (!g->removed)
			log_msg(&d->log, LOG_NOTICE, "vpdn-group %s: removed with %u tunnels up; "
				"they stay until they end, new tunnels and calls are refused",
				g->name, nt);
		g->removed = 1;
		TAILQ_INSERT_TAIL(&keep, g, link);
	}
	TAILQ_CONCAT(&d->cfg.groups, &keep, link);
}

static struct config_vtemplate *reload_vt_any(const struct l2tpd_config *cfg, int num)
{
	struct config_vtemplate *vt;

	TAILQ_FOREACH(vt, &cfg->vtemplates, link)
		if (vt->num == num)
			return vt;
	return NULL;
}

/* Templates edited in place: a PPP link keeps a pointer to its own. */
static void reload_vtemplates(struct l2tpd *d, struct l2tpd_config *n)
{
	struct config_vtemplate_list keep;
	struct config_vtemplate *vt, *ov;

	TAILQ_INIT(&keep);
	while ((vt = TAILQ_FIRST(&n->vtemplates)) != NULL) {
		TAILQ_REMOVE(&n->vtemplates, vt, link);
		ov = reload_vt_any(&d->cfg, vt->num);
		if (ov != NULL) {
			TAILQ_REMOVE(&d->cfg.vtemplates, ov, link);
			vt->link = ov->link;
			*ov = *vt;
			free(vt);
			vt = ov;
		}
		TAILQ_INSERT_TAIL(&keep, vt, link);
	}
	while ((vt = TAILQ_FIRST(&d->cfg.vtemplates)) != NULL) {
		TAILQ_REMOVE(&d->cfg.vtemplates, vt, link);
		if (d->n_sessions == 0) {
			free(vt);
			continue;
		}
		vt->removed = 1;
		TAILQ_INSERT_TAIL(&keep, vt, link);
	}
	TAILQ_CONCAT(&d->cfg.vtemplates, &keep, link);
}

/* Users and pools: nothing points into them; the new lists replace the old. */
static void reload_lists(struct l2tpd *d, struct l2tpd_config *n)
{
	struct config_user *u;
	struct config_pool *p;

	while ((u = TAILQ_FIRST(&d->cfg.users)) != NULL) {
		TAILQ_REMOVE(&d->cfg.users, u, link);
		memset(u->password, 0, sizeof u->password);
		free(u);
	}
	while ((p = TAILQ_FIRST(&d->cfg.pools)) != NULL) {
		TAILQ_REMOVE(&d->cfg.pools, p, link);
		free(p);
	}
	TAILQ_CONCAT(&d->cfg.users, &n->users, link);
	TAILQ_CONCAT(&d->cfg.pools, &n->pools, link);
}

/* Every scalar of n at once (so a new field cannot be forgotten here); the
 * lists, already merged into d->cfg, stay. */
static void reload_scalars(struct l2tpd *d, struct l2tpd_config *n)
{
	struct l2tpd_config *c = &d->cfg;
	struct vpdn_group_list g;
	struct config_user_list u;
	struct config_pool_list p;
	struct config_vtemplate_list v;
	struct config_pool6_list p6;
	struct config_bba_list bba;
	struct config_access_if_list ai;

	/* The lists of c stay c's (a struct copy would leave c's heads pointing
	 * into n, which is freed); those of reload_check_static are equal. */
	TAILQ_INIT(&p6);
	TAILQ_INIT(&bba);
	TAILQ_INIT(&ai);
	TAILQ_CONCAT(&p6, &c->pools6, link);
	TAILQ_CONCAT(&bba, &c->bba_groups, link);
	TAILQ_CONCAT(&ai, &c->access_ifs, link);
	TAILQ_INIT(&g);
	TAILQ_INIT(&u);
	TAILQ_INIT(&p);
	TAILQ_INIT(&v);
	TAILQ_CONCAT(&g, &c->groups, link);
	TAILQ_CONCAT(&u, &c->users, link);
	TAILQ_CONCAT(&p, &c->pools, link);
	TAILQ_CONCAT(&v, &c->vtemplates, link);
	memset(&c->radius, 0, sizeof c->radius);
	*c = *n;
	TAILQ_INIT(&c->groups);
	TAILQ_INIT(&c->users);
	TAILQ_INIT(&c->pools);
	TAILQ_INIT(&c->vtemplates);
	TAILQ_INIT(&c->pools6);
	TAILQ_INIT(&c->bba_groups);
	TAILQ_INIT(&c->access_ifs);
	TAILQ_CONCAT(&c->pools6, &p6, link);
	TAILQ_CONCAT(&c->bba_groups, &bba, link);
	TAILQ_CONCAT(&c->access_ifs, &ai, link);
	TAILQ_CONCAT(&c->groups, &g, link);
	TAILQ_CONCAT(&c->users, &u, link);
	TAILQ_CONCAT(&c->pools, &p, link);
	TAILQ_CONCAT(&c->vtemplates, &v, link);
	TAILQ_INIT(&n->groups);
	TAILQ_INIT(&n->users);
	TAILQ_INIT(&n->pools);
	TAILQ_INIT(&n->vtemplates);
}

/* ---- the audit log: the running-config lines that changed ---- */

struct reload_lines {
	char **v;
	size_t n;
};

static void reload_lines_free(struct reload_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Each line of the running configuration with the modes it is in:
 * "vpdn-group A > accept-dialin > virtual-template 1".  0 or -ENOMEM. */
static int reload_lines_of(const struct l2tpd_config *cfg, struct reload_lines *l)
{
	const char *head[RELOAD_DEPTH] = { 0 };
	size_t hlen[RELOAD_DEPTH] = { 0 };
	struct out o;
	char *line, *next;
	int r = 0;

	out_init(&o, 0);
	cmd_running_config(cfg, &o);
	l->v = calloc(o.len + 1, sizeof *l->v);
	if (o.err || l->v == NULL) {
		out_free(&o);
		free(l->v);
		l->v = NULL;
		return -ENOMEM;
	}
	for (line = o.buf; line && *line && !r; line = next) {
		size_t lv = strspn(line, " "), len = 0;
		char key[1024];

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (lv >= RELOAD_DEPTH || strcmp(line + lv, "!") == 0)
			continue;
		head[lv] = line + lv;
		hlen[lv] = strlen(line + lv);
		for (size_t i = 0; i <= lv && len < sizeof key; i++)
			len += (size_t)snprintf(key + len, sizeof key - len, "%s%.*s",
						i ? " > " : "", (int)hlen[i],
						head[i] ? head[i] : "?");
		l->v[l->n] = strdup(key);
		if (l->v[l->n] == NULL)
			r = -ENOMEM;
		else
			l->n++;
	}
	out_free(&o);
	if (r)
		reload_lines_free(l);
	return r;
}

/* The line with every secret replaced by *****. */
static void reload_mask(const char *s, char *out, size_t size)
{
	static const char *const secret[] = { "password", "key", "server-key", "secret-key" };
	size_t len = 0;
	int hide = 0;

	out[0] = '\0';
	while (*s && len + 1 < size) {
		size_t w = strcspn(s, " ");
		int was = 0;

		len += (size_t)snprintf(out + len, size - len, "%.*s", hide ? 5 : (int)w,
					hide ? "*****" : s);
		for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++)
			was |= strlen(secret[i]) == w && strncmp(s, secret[i], w) == 0;
		hide = was;
		s += w;
		while (*s == ' ' && len + 1 < size) {
			out[len++] = *s++;
			out[len] = '\0';
		}
	}
}

static int reload_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Log the lines of a not in b with mark; returns how many. */
static unsigned reload_log_side(struct l2tpd *d, const struct reload_lines *a,
				const struct reload_lines *b_sorted, char mark, const char *who)
{
	unsigned n = 0;

	for (size_t i = 0; i < a->n; i++) {
		char masked[1024];

		if (b_sorted->n && bsearch(&a->v[i], b_sorted->v, b_sorted->n, sizeof *a->v,
					   reload_cmp))
			continue;
		reload_mask(a->v[i], masked, sizeof masked);
		log_msg(&d->log, LOG_NOTICE, "configuration change by %s: %c %s", who, mark,
			masked);
		n++;
	}
	return n;
}

/* Log once each line that changed between before and d's configuration. */
static int reload_log(struct l2tpd *d, struct reload_lines *before, const char *who)
{
	struct reload_lines after = { 0 }, sb = { 0 }, sa = { 0 };
	unsigned n = 0;

	if (reload_lines_of(&d->cfg, &after) < 0) {
		log_msg(&d->log, LOG_WARNING, "configuration changed by %s (out of memory to say "
			"what changed)", who);
		return 1;
	}
	/* sorted views, for the lookups (the logs keep the file's order) */
	sb.v = malloc((before->n + 1) * sizeof *sb.v);
	sa.v = malloc((after.n + 1) * sizeof *sa.v);
	if (sb.v && sa.v) {
		memcpy(sb.v, before->v, before->n * sizeof *sb.v);
		memcpy(sa.v, after.v, after.n * sizeof *sa.v);
		sb.n = before->n;
		sa.n = after.n;
		qsort(sb.v, sb.n, sizeof *sb.v, reload_cmp);
		qsort(sa.v, sa.n, sizeof *sa.v, reload_cmp);
		n = reload_log_side(d, before, &sa, '-', who);
		n += reload_log_side(d, &after, &sb, '+', who);
	} else {
		log_msg(&d->log, LOG_WARNING, "configuration changed by %s (out of memory to say "
			"what changed)", who);
		n = 1;
	}
	free(sb.v);
	free(sa.v);
	reload_lines_free(&after);
	return (int)n;
}

/* ---- the transaction ---- */

int config_apply(struct l2tpd *d, struct l2tpd_config *n, const char *who, char *err,
		 size_t errsz)
{
	struct reload_lines before = { 0 };
	struct ippool *pools = NULL;
	int r;

	r = reload_check_fixed(&d->cfg, n, err, errsz);
	if (!r)
		r = reload_check_static(&d->cfg, n, err, errsz);
	if (!r)
		r = radius_client_check(d, &n->radius, err, errsz);
	if (!r)
		r = ippool_prepare(d->pools, n, &pools, err, errsz);
	if (!r && reload_lines_of(&d->cfg, &before) < 0) {
		snprintf(err, errsz, "out of memory");
		r = -ENOMEM;
	}
	if (r) {
		ippool_teardown(&pools);
		config_free(n);
		return r;
	}
	/* Nothing below refuses: the change is made. */
	reload_groups(d, n);
	l2tp_dial_paced_check(d);	/* a paced test dial on a group gone stops */
	reload_vtemplates(d, n);
	reload_lists(d, n);
	reload_scalars(d, n);
	config_free(n);
	l2tp_mss_sync(d);	/* adjust-mss values added or gone */
	ippool_teardown(&d->pools);
	d->pools = pools;
	if (radius_client_reconfigure(d) < 0)
		log_msg(&d->log, LOG_ERR, "radius: out of memory rebuilding the client; RADIUS "
			"is off until the next reload");
	if (history_init(&d->history, &d->clk, &d->cfg.history_size) < 0)
		log_msg(&d->log, LOG_WARNING, "vpdn history failure: out of memory for the new "
			"table-size; the table keeps its size");
	r = reload_log(d, &before, who);
	reload_lines_free(&before);
	if (r > 0)
		ha_config_changed(d, 0);	/* the standby follows */
	return r;
}

int config_reload_string(struct l2tpd *d, const char *text, const char *who, char *err,
			 size_t errsz)
{
	struct l2tpd_config n;
	int r;

	config_init(&n);
	r = config_load_string(&n, text, err, errsz);
	if (r < 0) {
		config_free(&n);
		return r;
	}
	return config_apply(d, &n, who, err, errsz);
}

int config_reload_file(struct l2tpd *d, const char *path, const char *who, char *err,
		       size_t errsz)
{
	struct l2tpd_config n;
	char why[384];
	int r;

	config_init(&n);
	r = config_load_file(&n, path, why, sizeof why);
	if (r < 0) {
		snprintf(err, errsz, "%s: %s", path, why);
		config_free(&n);
		return r;
	}
	r = config_apply(d, &n, who, err, errsz);
	if (r == 0)
		log_msg(&d->log, LOG_NOTICE, "configuration reloaded from %s by %s: no change",
			path, who);
	else if (r > 0)
		log_msg(&d->log, LOG_NOTICE, "configuration reloaded from %s by %s: %d lines "
			"changed", path, who, r);
	return r;
}

unsigned config_reload_reap(struct l2tpd *d)
{
	struct vpdn_group *g, *next;
	struct config_vtemplate *vt, *vnext;
	unsigned n = 0;

	for (g = TAILQ_FIRST(&d->cfg.groups); g != NULL; g = next) {
		next = TAILQ_NEXT(g, link);
		if (!g->removed || reload_group_tunnels(d, g) != 0)
			continue;
		log_msg(&d->log, LOG_NOTICE, "vpdn-group %s: the last tunnel of the removed group "
			"ended; it is gone", g->name);
		TAILQ_REMOVE(&d->cfg.groups, g, link);
		free(g);
		n++;
	}
	for (vt = TAILQ_FIRST(&d->cfg.vtemplates); d->n_sessions == 0 && vt != NULL; vt = vnext) {
		vnext = TAILQ_NEXT(vt, link);
		if (!vt->removed)
			continue;
		TAILQ_REMOVE(&d->cfg.vtemplates, vt, link);
		free(vt);
	}
	return n;
}
