/*
 * Holding up under attack (l2tp/guard.c): the half-open table's size, the
 * access list of LAC sources, SCCRQ and ICRQ rates, intrusion protection
 * (block a source after repeated tunnel authentication failures, never a
 * trusted one), session limits; `show l2tp security` (counters and the
 * blocked sources) and `clear l2tp security blocked`.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd_engine.h"
#include "cli/cmd_topics.h"
#include "core/config.h"
#include "core/out.h"
#include "l2tp/guard.h"
#include "l2tpd.h"

/* A wildcard mask (IOS: 0.0.0.255) as a prefix length, or -1 if its ones
 * are not contiguous from the right. */
static int cmd_security_wildcard_len(struct in_addr w)
{
	uint32_t m = ntohl(w.s_addr);
	int len = 32;

	while (m & 1) {
		m >>= 1;
		len--;
	}
	return m == 0 ? len : -1;
}

static int cmd_security_prefix(struct cmd_ctx *x, const struct cmd_entry *e,
			       const struct cmd_args *a)
{
	struct config_guard *g = &x->cc->cfg->guard;
	struct config_prefix *list = e->f.arg ? g->trusted : g->acl, p;
	unsigned *n = e->f.arg ? &g->n_trusted : &g->n_acl, i;
	int len = a->var[1] ? cmd_security_wildcard_len(a->ip[1]) : 32;
	uint32_t mask;

	if (len < 0)
		return cmd_cfg_fail(x, "%s: %s is not a wildcard mask (like 0.0.0.255)",
				    e->f.arg ? "trusted" : "access-list", a->var[1]);
	mask = len == 0 ? 0 : htonl(0xffffffffu << (32 - len));
	p.addr.s_addr = a->ip[0].s_addr & mask;
	p.len = (unsigned)len;
	for (i = 0; i < *n; i++)
		if (list[i].addr.s_addr == p.addr.s_addr && list[i].len == p.len)
			break;
	if (a->neg) {
		if (i == *n)
			return cmd_cfg_fail(x, "no such entry: %s", a->var[0]);
		memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof(list[0]));
		(*n)--;
		return 0;
	}
	if (i < *n)
		return 0;
	if (*n >= CONFIG_GUARD_PREFIXES)
		return cmd_cfg_fail(x, "at most %d entries", CONFIG_GUARD_PREFIXES);
	list[(*n)++] = p;
	return 0;
}

static void cmd_security_print_prefix(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_guard *g = &p->cfg->guard;
	const struct config_prefix *list = e->f.arg ? g->trusted : g->acl;
	unsigned n = e->f.arg ? g->n_trusted : g->n_acl, i;

	for (i = 0; i < n; i++) {
		char ip[INET_ADDRSTRLEN], wc[INET_ADDRSTRLEN];
		struct in_addr w;
		const char *vals[2] = { ip, NULL };

		inet_ntop(AF_INET, &list[i].addr, ip, sizeof ip);
		if (list[i].len < 32) {
			w.s_addr = htonl(list[i].len == 0 ? 0xffffffffu :
					 0xffffffffu >> list[i].len);
			inet_ntop(AF_INET, &w, wc, sizeof wc);
			vals[1] = wc;
		}
		cmd_pr_pattern(p, e->pattern, 0, vals, 2);
	}
}

/* `l2tp rate-limit sccrq {per-source|total} N [interval S]` */
static int cmd_security_sccrq_rate(struct cmd_ctx *x, const struct cmd_entry *e,
				   const struct cmd_args *a)
{
	struct config_guard *g = &x->cc->cfg->guard;
	unsigned *rate = e->f.arg ? &g->sccrq_total : &g->sccrq_source;
	unsigned *ival = e->f.arg ? &g->sccrq_total_interval : &g->sccrq_source_interval;

	if (a->neg) {
		*rate = e->f.arg ? CONFIG_DEF_SCCRQ_TOTAL : CONFIG_DEF_SCCRQ_SOURCE;
		*ival = CONFIG_DEF_SCCRQ_INTERVAL;
		return 0;
	}
	*rate = (unsigned)a->num[0];
	*ival = a->var[1] ? (unsigned)a->num[1] : CONFIG_DEF_SCCRQ_INTERVAL;
	return 0;
}

static void cmd_security_print_sccrq_rate(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_guard *g = &p->cfg->guard;
	unsigned rate = e->f.arg ? g->sccrq_total : g->sccrq_source;
	unsigned ival = e->f.arg ? g->sccrq_total_interval : g->sccrq_source_interval;
	unsigned def = e->f.arg ? CONFIG_DEF_SCCRQ_TOTAL : CONFIG_DEF_SCCRQ_SOURCE;
	char r[16], i[16];
	const char *vals[2] = { r, NULL };

	if (rate == def && ival == CONFIG_DEF_SCCRQ_INTERVAL)
		return;
	snprintf(r, sizeof r, "%u", rate);
	if (ival != CONFIG_DEF_SCCRQ_INTERVAL) {
		snprintf(i, sizeof i, "%u", ival);
		vals[1] = i;
	}
	cmd_pr_pattern(p, e->pattern, 0, vals, 2);
}

/* `l2tp intrusion-protection failures K within T block B`; `no`: off. */
static int cmd_security_ip(struct cmd_ctx *x, const struct cmd_entry *e,
			   const struct cmd_args *a)
{
	struct config_guard *g = &x->cc->cfg->guard;

	if (a->neg) {
		g->ip_failures = 0;
		g->ip_within = CONFIG_DEF_IP_WITHIN;
		g->ip_block = CONFIG_DEF_IP_BLOCK;
		return 0;
	}
	g->ip_failures = (unsigned)a->num[0];
	g->ip_within = (unsigned)a->num[1];
	g->ip_block = (unsigned)a->num[2];
	return 0;
}

static void cmd_security_print_ip(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_guard *g = &p->cfg->guard;
	char k[16], t[16], b[16];
	const char *vals[3] = { k, t, b };

	if (g->ip_failures == 0) {
		cmd_pr_line(p, "no l2tp intrusion-protection failures");
		return;
	}
	if (g->ip_failures == CONFIG_DEF_IP_FAILURES && g->ip_within == CONFIG_DEF_IP_WITHIN &&
	    g->ip_block == CONFIG_DEF_IP_BLOCK)
		return;
	snprintf(k, sizeof k, "%u", g->ip_failures);
	snprintf(t, sizeof t, "%u", g->ip_within);
	snprintf(b, sizeof b, "%u", g->ip_block);
	cmd_pr_pattern(p, e->pattern, 0, vals, 3);
}

/* --- show and clear ------------------------------------------------------ */

static const struct out_counter cmd_security_counters[] = {
	OUT_COUNTER(struct l2tp_guard_stats, half_open_peak, "half_open_peak", " (peak %u)"),
	OUT_COUNTER(struct l2tp_guard_stats, half_open_evicted, "half_open_evicted",
		    ", %u evicted\n"),
	OUT_COUNTER(struct l2tp_guard_stats, sccrq_passed, "sccrq_passed", "  SCCRQs passed %u"),
	OUT_COUNTER(struct l2tp_guard_stats, drop_acl, "drop_acl", ", dropped: %u access-list"),
	OUT_COUNTER(struct l2tp_guard_stats, drop_blocked, "drop_blocked", ", %u blocked"),
	OUT_COUNTER(struct l2tp_guard_stats, drop_rate_source, "drop_rate_source",
		    ", %u source rate"),
	OUT_COUNTER(struct l2tp_guard_stats, drop_rate_total, "drop_rate_total",
		    ", %u total rate"),
	OUT_COUNTER(struct l2tp_guard_stats, drop_deferred, "drop_deferred",
		    ", %u waiting for their port's first tunnel\n"),
	OUT_COUNTER(struct l2tp_guard_stats, auth_failures, "auth_failures",
		    "  Tunnel authentication failures %u"),
	OUT_COUNTER(struct l2tp_guard_stats, sources_blocked, "sources_blocked",
		    ", sources blocked %u times"),
	OUT_COUNTER(struct l2tp_guard_stats, sources_recycled, "sources_recycled",
		    ", source entries recycled %u\n"),
	OUT_COUNTER(struct l2tp_guard_stats, calls_limit_refused, "calls_limit_refused",
		    "  Calls refused: %u session limit"),
	OUT_COUNTER(struct l2tp_guard_stats, calls_rate_refused, "calls_rate_refused",
		    ", %u ICRQ rate"),
	OUT_COUNTER(struct l2tp_guard_stats, fd_budget_refused, "fd_budget_refused",
		    "; tunnel sockets refused for want of descriptors %u\n"),
};

struct cmd_security_walk {
	struct out *o;
	unsigned n;
};

static void cmd_security_count_blocked(void *arg, const struct l2tp_guard_src *s,
				       uint64_t left_ms)
{
	((struct cmd_security_walk *)arg)->n++;
}

static void cmd_security_row(void *arg, const struct l2tp_guard_src *s, uint64_t left_ms)
{
	struct out *o = ((struct cmd_security_walk *)arg)->o;
	struct in_addr a = { s->addr };
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, ip, sizeof ip);
	out_obj_open(o, NULL);
	out_str(o, "source", "  %-16s", ip);
	out_uint(o, "left_s", " %7u", (left_ms + 999) / 1000);
	out_uint(o, "blocks", " %6u", s->blocks);
	out_uint(o, "dropped", " %8u\n", s->dropped);
	out_obj_close(o);
}

static int cmd_security_show(struct cmd_ctx *x, const struct cmd_entry *e,
			     const struct cmd_args *a)
{
	struct l2tpd *d = x->d;
	const struct config_guard *c = &d->cfg.guard;
	struct cmd_security_walk w = { x->o, 0 };
	struct out *o = x->o;

	out_text(o, "L2TP security (this box only: not checkpointed)\n");
	out_uint(o, "half_open", "  Half-open tunnels %u", d->guard.n_half_open);
	out_uint(o, "half_open_limit", " of %u", c->half_open_max);
	out_counters(o, OUT_COUNTERS(cmd_security_counters), &d->guard.stats, OUT_ALL);
	out_uint(o, "sessions", "  Sessions %u", d->n_sessions);
	out_uint(o, "session_limit", NULL, c->session_limit);
	if (c->session_limit)
		out_text(o, " (vpdn session-limit %u)\n", c->session_limit);
	else
		out_text(o, " (no vpdn session-limit)\n");
	l2tp_guard_foreach_blocked(d, cmd_security_count_blocked, &w);
	out_uint(o, "blocked_count", "Blocked sources: %u\n", w.n);
	if (w.n > 0)
		out_text(o, "  Source            Left(s) Blocks  Dropped\n");
	out_arr_open(o, "blocked");
	l2tp_guard_foreach_blocked(d, cmd_security_row, &w);
	out_arr_close(o);
	return 0;
}

static int cmd_security_clear(struct cmd_ctx *x, const struct cmd_entry *e,
			      const struct cmd_args *a)
{
	struct in_addr any = { INADDR_ANY };
	unsigned n = l2tp_guard_unblock(x->d, a->var[0] ? a->ip[0] : any);

	if (n > 0)
		log_msg(&x->d->log, LOG_NOTICE, "guard: %u blocked source%s cleared by the operator",
			n, n == 1 ? "" : "s");
	out_uint(x->o, "unblocked", "%u sources unblocked\n", n);
	return 0;
}

static const struct cmd_entry cmd_security_entries[] = {
	{ M(CMD_MODE_CONFIG), "[no] l2tp tunnel half-open-limit <1-65535>", cmd_set_field,
	  cmd_print_field, GFIELD(FT_UINT, guard.half_open_max, CONFIG_DEF_HALF_OPEN),
	  "LNS: tunnels not yet authenticated held at once; the oldest goes when full "
	  "(default 4096)" },
	{ M(CMD_MODE_CONFIG), "[no] l2tp access-list permit A.B.C.D [A.B.C.D]",
	  cmd_security_prefix, cmd_security_print_prefix, { .arg = 0 },
	  "LNS: accept SCCRQs only from these sources (address and wildcard mask; none "
	  "listed: any)" },
	{ M(CMD_MODE_CONFIG), "[no] l2tp rate-limit sccrq per-source <1-1000000> "
	  "[interval <1-3600>]", cmd_security_sccrq_rate, cmd_security_print_sccrq_rate,
	  { .arg = 0 }, "SCCRQs accepted from one address per interval (default 1000 per 1 s)" },
	{ M(CMD_MODE_CONFIG), "[no] l2tp rate-limit sccrq total <1-1000000> [interval <1-3600>]",
	  cmd_security_sccrq_rate, cmd_security_print_sccrq_rate, { .arg = 1 },
	  "SCCRQs accepted from all addresses per interval, past which only addresses that "
	  "sent fewer than 4 get through (default 4000 per 1 s)" },
	{ M(CMD_MODE_CONFIG), "[no] l2tp rate-limit icrq per-tunnel <1-1000000>", cmd_set_field,
	  cmd_print_field, GFIELD(FT_UINT, guard.icrq_tunnel, CONFIG_DEF_ICRQ_TUNNEL),
	  "ICRQs accepted per tunnel per second; more get CDN result 4 (default 50000)" },
	{ M(CMD_MODE_CONFIG), "[no] l2tp intrusion-protection failures <1-1000> within <1-3600> "
	  "block <1-86400>", cmd_security_ip, cmd_security_print_ip, { 0 },
	  "block a source for B s after K tunnel authentication failures within T s "
	  "(default 10 within 60, 300 s; `no`: never block)" },
	{ M(CMD_MODE_CONFIG), "[no] l2tp intrusion-protection trusted A.B.C.D [A.B.C.D]",
	  cmd_security_prefix, cmd_security_print_prefix, { .arg = 1 },
	  "sources never blocked (address and wildcard mask)" },
	{ M(CMD_MODE_CONFIG), "[no] vpdn session-limit <1-1000000>", cmd_set_field,
	  cmd_print_field, GFIELD(FT_UINT, guard.session_limit, 0),
	  "calls at once on this box; more get CDN result 4 (default no limit)" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] session-limit <1-1000000>", cmd_set_field,
	  cmd_print_field, VFIELD(FT_UINT, session_limit, 0),
	  "calls at once in this group; more get CDN result 4 (default no limit)" },
	{ M(CMD_MODE_EXEC), "show l2tp security", cmd_security_show, NULL, { 0 },
	  "half-open tunnels, SCCRQs dropped and why, blocked sources, calls refused by limits" },
	{ M(CMD_MODE_EXEC), "clear l2tp security blocked [A.B.C.D]", cmd_security_clear, NULL,
	  { 0 }, "unblock one source, or every blocked source" },
};

const struct cmd_table cmd_security_table = CMD_TABLE("security", cmd_security_entries);
