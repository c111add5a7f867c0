/*
 * VPDN groups: `vpdn-group NAME` and its modes (accept-dialin for an LNS,
 * request-dialin for a LAC) with the tunnel parameters of the group;
 * `show vpdn`, the groups with their tunnels, sessions and counters; and
 * the LAC's `test vpdn dial`.  Groups are checked as a whole at the end of
 * the file (cli/config_load.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_engine.h"
#include "cli/cmd_l2tp.h"
#include "cli/cmd_topics.h"
#include "core/config.h"
#include "core/out.h"
#include "l2tp/dial.h"
#include "l2tp/proto.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "l2tpd.h"

#define DIALIN_ENTRY(pat, want, help_) \
	{ M(CMD_MODE_VPDN_GROUP), pat, cmd_vpdn_dialin, cmd_vpdn_print_dialin, \
	  { .arg = (want) }, help_ }

/* The counters kept with a group (struct vpdn_group, core/config.h), as
 * columns of `show vpdn`. */
static const struct out_counter cmd_vpdn_group_counters[] = {
	OUT_COUNTER(struct vpdn_group, tunnels_up, "tunnels_up", "%-8u "),
	OUT_COUNTER(struct vpdn_group, sessions_up, "sessions_up", "%-8u "),
	OUT_COUNTER(struct vpdn_group, tunnels_refused, "tunnels_refused", "%-8u "),
	OUT_COUNTER(struct vpdn_group, sessions_refused, "sessions_refused", "%-8u "),
};

static int cmd_vpdn_group(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct cmd_cfg_ctx *cc = x->cc;
	struct vpdn_group *g;

	if (!a->var[0])
		return cmd_cfg_fail(x, "no vpdn-group: missing argument NAME");
	g = config_group_find(cc->cfg, a->var[0]);
	if (a->neg) {
		if (!g)
			return cmd_cfg_fail(x, "no vpdn-group: no group named '%s'", a->var[0]);
		TAILQ_REMOVE(&cc->cfg->groups, g, link);
		free(g);
		return 0;
	}
	if (!g) {
		if (strlen(a->var[0]) >= CONFIG_NAME_MAX)
			return cmd_cfg_fail(x, "vpdn-group: name '%.20s...' is too long "
					    "(at most %d characters)", a->var[0], CONFIG_NAME_MAX - 1);
		g = config_group_add(cc->cfg, a->var[0]);
		if (!g)
			return cmd_cfg_fail(x, "vpdn-group: out of memory");
	}
	/* re-entering an existing group edits it (as IOS does) */
	cc->entered = CMD_MODE_VPDN_GROUP;
	cc->entered_grp = g;
	return 0;
}

static void cmd_vpdn_print_group(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct vpdn_group *g;

	TAILQ_FOREACH(g, &p->cfg->groups, link) {
		const char *v = g->name;
		struct cmd_pr sub = *p;

		if (g->removed)
			continue;	/* only its tunnels hold it: `show vpdn` says so */

		cmd_pr_line(p, "!");
		cmd_pr_pattern(p, e->pattern, 0, &v, 1);
		sub.g = g;
		sub.indent = p->indent + 1;
		cmd_print_mode(CMD_MODE_VPDN_GROUP, &sub);
	}
	cmd_pr_line(p, "!");
}

static int cmd_vpdn_dialin(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct vpdn_group *g = x->cc->grp;
	enum vpdn_dialin want = (enum vpdn_dialin)e->f.arg;
	const char *mine = want == VPDN_ACCEPT_DIALIN ? "accept-dialin" : "request-dialin";
	const char *other = want == VPDN_ACCEPT_DIALIN ? "request-dialin" : "accept-dialin";

	if (a->neg) {
		if (g->dialin == want) {
			g->dialin = VPDN_NONE;
			g->protocol_l2tp = 0;
			g->virtual_template = 0;
			g->domain[0] = '\0';
		}
		return 0;
	}
	if (g->dialin != VPDN_NONE && g->dialin != want)
		return cmd_cfg_fail(x, "%s: vpdn-group %s already has %s; a group is either "
				    "accept-dialin (LNS) or request-dialin (LAC), not both",
				    mine, g->name, other);
	g->dialin = want;
	x->cc->entered = want == VPDN_ACCEPT_DIALIN ? CMD_MODE_ACCEPT_DIALIN
						    : CMD_MODE_REQUEST_DIALIN;
	x->cc->entered_grp = g;
	return 0;
}

static void cmd_vpdn_print_dialin(const struct cmd_entry *e, struct cmd_pr *p)
{
	enum vpdn_dialin want = (enum vpdn_dialin)e->f.arg;
	struct cmd_pr sub = *p;

	if (!p->g || p->g->dialin != want)
		return;
	cmd_pr_pattern(p, e->pattern, 0, NULL, 0);
	sub.indent = p->indent + 1;
	cmd_print_mode(want == VPDN_ACCEPT_DIALIN ? CMD_MODE_ACCEPT_DIALIN
						  : CMD_MODE_REQUEST_DIALIN, &sub);
}

static int cmd_vpdn_initiate_to(struct cmd_ctx *x, const struct cmd_entry *e,
				const struct cmd_args *a)
{
	struct vpdn_group *g = x->cc->grp;

	if (a->neg) {
		g->initiate_to.s_addr = 0;
		g->initiate_port = 0;
		return 0;
	}
	if (a->ip[0].s_addr == 0 || a->ip[0].s_addr == INADDR_BROADCAST)
		return cmd_cfg_fail(x, "initiate-to ip: %s is not a usable peer address",
				    a->var[0]);
	g->initiate_to = a->ip[0];
	g->initiate_port = a->var[1] ? (uint16_t)a->num[1] : 0;
	return 0;
}

static void cmd_vpdn_print_initiate_to(const struct cmd_entry *e, struct cmd_pr *p)
{
	char ip[INET_ADDRSTRLEN], port[8];
	const char *vals[2] = { ip, NULL };

	if (!p->g || !p->g->initiate_to.s_addr)
		return;
	inet_ntop(AF_INET, &p->g->initiate_to, ip, sizeof ip);
	if (p->g->initiate_port) {
		snprintf(port, sizeof port, "%u", p->g->initiate_port);
		vals[1] = port;
	}
	cmd_pr_pattern(p, e->pattern, 0, vals, 2);
}

/* retransmit timeout min/max: the generic setter, then min <= max. */
static int cmd_vpdn_rto(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct vpdn_group *g = x->cc->grp;
	int is_min = e->f.off == offsetof(struct vpdn_group, rto_min);
	unsigned v = a->neg ? (unsigned)e->f.def : (unsigned)a->num[0];

	if (is_min && v > g->rto_max)
		return cmd_cfg_fail(x, "l2tp tunnel retransmit timeout min: %u is above the "
				    "timeout max (%u)", v, g->rto_max);
	if (!is_min && v < g->rto_min)
		return cmd_cfg_fail(x, "l2tp tunnel retransmit timeout max: %u is below the "
				    "timeout min (%u)", v, g->rto_min);
	if (is_min)
		g->rto_min = v;
	else
		g->rto_max = v;
	return 0;
}

static int cmd_vpdn_show(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct l2tpd *d = x->d;
	struct out *o = x->o;
	const struct vpdn_group *g;
	unsigned ntun, nsess, ngroups = 0;

	TAILQ_FOREACH(g, &d->cfg.groups, link)
		ngroups++;
	nsess = cmd_l2tp_count(d, &ntun);
	out_bool(o, "vpdn_enabled", NULL, d->cfg.vpdn_enabled);
	out_text(o, "VPDN is %s", d->cfg.vpdn_enabled ? "enabled" : "disabled");
	out_bool(o, "softshut", NULL, d->cfg.softshut);
	if (d->cfg.softshut)
		out_text(o, " (soft shutdown: new tunnels and sessions are refused, the "
			 "established ones go on)");
	out_uint(o, "groups", ", %u groups", ngroups);
	out_uint(o, "tunnels", ", %u tunnels", ntun);
	out_uint(o, "sessions", ", %u sessions\n\n", nsess);
	out_text(o, "VPDN Group       Role Tunnels Sessions Tun-up   Sess-up  Tun-ref  Sess-ref "
		 "Peer\n");
	out_arr_open(o, "vpdn_groups");
	TAILQ_FOREACH(g, &d->cfg.groups, link) {
		const struct l2tp_tunnel *t;
		unsigned gt = 0, gs = 0;
		char peer[64];

		LIST_FOREACH(t, &d->tunnels, link) {
			if (t->dead || t->grp != g)
				continue;
			gt++;
			gs += t->n_sessions;
		}
		if (g->dialin == VPDN_REQUEST_DIALIN && g->initiate_to.s_addr) {
			char ip[INET_ADDRSTRLEN];

			inet_ntop(AF_INET, &g->initiate_to, ip, sizeof ip);
			snprintf(peer, sizeof peer, "%s:%u", ip,
				 g->initiate_port ? g->initiate_port : L2TP_PORT);
		} else if (g->dialin == VPDN_ACCEPT_DIALIN) {
			snprintf(peer, sizeof peer, "%s", g->terminate_from[0] ? g->terminate_from
									       : "any");
		} else {
			snprintf(peer, sizeof peer, "-");
		}
		out_obj_open(o, NULL);
		out_str(o, "name", "%-16.16s ", g->name);
		out_str(o, "role", "%-4s ", g->dialin == VPDN_ACCEPT_DIALIN ? "LNS"
					   : g->dialin == VPDN_REQUEST_DIALIN ? "LAC" : "-");
		out_uint(o, "tunnels", "%-7u ", gt);
		out_uint(o, "sessions", "%-8u ", gs);
		out_counters(o, OUT_COUNTERS(cmd_vpdn_group_counters), g, OUT_ALL);
		out_str(o, "peer", "%s\n", peer);
		out_bool(o, "removed", NULL, g->removed);
		if (g->removed)
			out_text(o, "  (removed from the configuration: its tunnels stay until "
				 "they end, new tunnels and calls are refused)\n");
		out_obj_close(o);
	}
	out_arr_close(o);
	out_obj_open(o, "totals");
	out_text(o, "\nTotals:\n");
	cmd_l2tp_stats_totals(o, &d->stats);
	out_obj_close(o);
	return 0;
}

/*
 * The answer to `test vpdn dial`: r is the calls placed, 0 when they wait
 * for RADIUS's tunnel (of `sessions` calls), or -errno with err.
 */
static int cmd_vpdn_dialled(struct cmd_ctx *x, int r, const char *err, unsigned sessions)
{
	if (r < 0) {
		out_error(x->o, "%s", err[0] ? err : strerror(-r));
		return r;
	}
	if (r == 0) {
		out_uint(x->o, "authorizing", "asked RADIUS for the tunnel of %u sessions (see the "
			 "log)\n", sessions);
		return 0;
	}
	out_uint(x->o, "placed", "placed %u sessions\n", (unsigned)r);
	return 0;
}

static int cmd_vpdn_test_dial(struct cmd_ctx *x, const struct cmd_entry *e,
			      const struct cmd_args *a)
{
	struct vpdn_group *g = config_group_find(&x->d->cfg, a->var[0]);
	unsigned n = (unsigned)a->num[1];
	unsigned per = a->var[2] ? (unsigned)a->num[2] : 0;
	const char *user = a->var[4], *pass = a->var[5];
	char err[256] = "";
	int r;

	if (!g) {
		out_error(x->o, "No such vpdn-group %s", a->var[0]);
		return -ENOENT;
	}
	if (g->dialin != VPDN_REQUEST_DIALIN) {
		out_error(x->o, "vpdn-group %s is not a request-dialin (LAC) group", g->name);
		return -EINVAL;
	}
	if (user && strlen(user) >= sizeof(((struct l2tp_session *)0)->user)) {
		out_error(x->o, "username: '%.20s...' is too long (at most %zu characters)", user,
			  sizeof(((struct l2tp_session *)0)->user) - 1);
		return -EINVAL;
	}
	if (pass && strlen(pass) >= L2TP_SESSION_PASSWORD_MAX) {
		out_error(x->o, "password: '%.20s...' is too long (at most %zu characters)", pass,
			  L2TP_SESSION_PASSWORD_MAX - 1);
		return -EINVAL;
	}
	if (a->var[3]) {
		unsigned ms = (unsigned)a->num[3];

		if (user) {
			out_error(x->o, "interval: a paced dial places calls without PPP; "
				  "leave out username or interval");
			return -EINVAL;
		}
		r = l2tp_dial_paced(x->d, g, n, per, ms, err, sizeof err);
		if (r < 0) {
			out_error(x->o, "%s", err[0] ? err : strerror(-r));
			return r;
		}
		out_uint(x->o, "placing", "placing %u sessions, one every ", n);
		out_uint(x->o, "interval_ms", "%u ms (see the log for the end)\n", ms);
		return 0;
	}
	if (user)
		r = l2tp_dial_user(x->d, g, n, per, user, pass, err, sizeof err);
	else
		r = l2tp_dial(x->d, g, n, per, err, sizeof err);
	return cmd_vpdn_dialled(x, r, err, n);
}

/* `test vpdn dial vpdn-group G sessions N username U password P proxy
 * pap|chap [per-tunnel M]`: calls with proxy LCP and authentication. */
static int cmd_vpdn_test_dial_proxy(struct cmd_ctx *x, const struct cmd_entry *e,
				    const struct cmd_args *a)
{
	struct vpdn_group *g = config_group_find(&x->d->cfg, a->var[0]);
	const char *mode = a->var[4];
	unsigned per = a->var[5] ? (unsigned)a->num[5] : 0;
	enum l2tp_dial_proxy px;
	char err[256] = "";
	int r;

	if (!g || g->dialin != VPDN_REQUEST_DIALIN) {
		out_error(x->o, "No request-dialin vpdn-group %s", a->var[0]);
		return -ENOENT;
	}
	if (strcmp(mode, "pap") == 0) {
		px = L2TP_DIAL_PROXY_PAP;
	} else if (strcmp(mode, "chap") == 0) {
		px = L2TP_DIAL_PROXY_CHAP;
	} else {
		out_error(x->o, "proxy: %s is neither pap nor chap", mode);
		return -EINVAL;
	}
	if (strlen(a->var[2]) >= sizeof(((struct l2tp_session *)0)->user) ||
	    strlen(a->var[3]) >= L2TP_SESSION_PASSWORD_MAX) {
		out_error(x->o, "username or password too long");
		return -EINVAL;
	}
	r = l2tp_dial_proxy(x->d, g, (unsigned)a->num[1], per, a->var[2], a->var[3], px, err,
			    sizeof err);
	return cmd_vpdn_dialled(x, r, err, (unsigned)a->num[1]);
}

/* `test vpdn dial username U password P sessions N`: the tunnel from
 * RADIUS (aaa/tunnel.c), else the group of the user's domain. */
static int cmd_vpdn_test_dial_user(struct cmd_ctx *x, const struct cmd_entry *e,
				   const struct cmd_args *a)
{
	const char *user = a->var[0], *pass = a->var[1];
	unsigned per = a->var[3] ? (unsigned)a->num[3] : 0;
	char err[256] = "";
	int r;

	if (strlen(user) >= sizeof(((struct l2tp_session *)0)->user) ||
	    strlen(pass) >= L2TP_SESSION_PASSWORD_MAX) {
		out_error(x->o, "username or password too long (at most %zu and %zu characters)",
			  sizeof(((struct l2tp_session *)0)->user) - 1,
			  L2TP_SESSION_PASSWORD_MAX - 1);
		return -EINVAL;
	}
	r = l2tp_dial_user(x->d, NULL, (unsigned)a->num[2], per, user, pass, err, sizeof err);
	return cmd_vpdn_dialled(x, r, err, (unsigned)a->num[2]);
}

/* Calls on one existing tunnel (the LAC side of the HA tests: a call on a
 * tunnel that is resynchronising is refused with cause 611). */
static int cmd_vpdn_test_dial_tunnel(struct cmd_ctx *x, const struct cmd_entry *e,
				     const struct cmd_args *a)
{
	struct vpdn_group *g = config_group_find(&x->d->cfg, a->var[0]);
	struct l2tp_tunnel *t = l2tp_tunnel_find(x->d, (uint16_t)a->num[2]);
	char err[256] = "";
	int r;

	if (!g || g->dialin != VPDN_REQUEST_DIALIN) {
		out_error(x->o, "No request-dialin vpdn-group %s", a->var[0]);
		return -ENOENT;
	}
	if (!t || t->grp != g) {
		out_error(x->o, "No tunnel %lu of vpdn-group %s", (unsigned long)a->num[2], g->name);
		return -ENOENT;
	}
	r = l2tp_dial_on(x->d, t, (unsigned)a->num[1], err, sizeof err);
	if (r < 0) {
		out_error(x->o, "%s", err[0] ? err : strerror(-r));
		return r;
	}
	out_uint(x->o, "placed", "placed %u sessions\n", (unsigned)r);
	return 0;
}

/* `lcp renegotiation always|on-mismatch`: one value, two spellings. */
static int cmd_vpdn_lcp_reneg(struct cmd_ctx *x, const struct cmd_entry *e,
			      const struct cmd_args *a)
{
	struct vpdn_group *g = x->cc->grp;

	if (a->neg) {
		if (g->lcp_reneg == (unsigned)e->f.def)
			g->lcp_reneg = VPDN_LCP_RENEG_NEVER;
		return 0;
	}
	g->lcp_reneg = (unsigned)e->f.def;
	return 0;
}

static void cmd_vpdn_print_lcp_reneg(const struct cmd_entry *e, struct cmd_pr *p)
{
	if (p->g && p->g->lcp_reneg == (unsigned)e->f.def)
		cmd_pr_pattern(p, e->pattern, 0, NULL, 0);
}

static const struct cmd_entry cmd_vpdn_entries[] = {
	{ M(CMD_MODE_CONFIG), "[no] vpdn-group WORD", cmd_vpdn_group, cmd_vpdn_print_group, { 0 },
	  "enter (create or edit) a VPDN group; `no` deletes it" },
	DIALIN_ENTRY("[no] accept-dialin", VPDN_ACCEPT_DIALIN,
		     "LNS: accept tunnels and incoming calls (enters the sub-mode)"),
	DIALIN_ENTRY("[no] request-dialin", VPDN_REQUEST_DIALIN,
		     "LAC: place tunnels and incoming calls (enters the sub-mode)"),
	{ M(CMD_MODE_ACCEPT_DIALIN) | M(CMD_MODE_REQUEST_DIALIN), "[no] protocol l2tp",
	  cmd_set_field, cmd_print_field, VFIELD(FT_BOOL, protocol_l2tp, 0),
	  "tunnel protocol (L2TPv2 is the only one)" },
	{ M(CMD_MODE_ACCEPT_DIALIN), "[no] lcp renegotiation always", cmd_vpdn_lcp_reneg,
	  cmd_vpdn_print_lcp_reneg, VFIELD(FT_UINT, lcp_reneg, VPDN_LCP_RENEG_ALWAYS),
	  "LNS: negotiate LCP again even when the LAC proxied it (RFC 2661 4.4.5)" },
	{ M(CMD_MODE_ACCEPT_DIALIN), "[no] lcp renegotiation on-mismatch", cmd_vpdn_lcp_reneg,
	  cmd_vpdn_print_lcp_reneg, VFIELD(FT_UINT, lcp_reneg, VPDN_LCP_RENEG_ON_MISMATCH),
	  "LNS: take the LAC's proxy LCP and authentication when acceptable, else negotiate "
	  "again (default: take them, or refuse the call)" },
	{ M(CMD_MODE_ACCEPT_DIALIN), "[no] virtual-template <1-65535>", cmd_set_field,
	  cmd_print_field, VFIELD(FT_INT, virtual_template, 0),
	  "template the PPP interfaces are cloned from" },
	{ M(CMD_MODE_REQUEST_DIALIN), "[no] domain WORD", cmd_set_field, cmd_print_field,
	  VFIELD(FT_STR, domain, 0), "users of this domain are tunnelled by this group" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] initiate-to ip A.B.C.D [port <1-65535>]",
	  cmd_vpdn_initiate_to, cmd_vpdn_print_initiate_to, { 0 },
	  "LAC: the LNS to open tunnels to (port 1701 by default)" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] l2tp tunnel source-port <1-65535>", cmd_set_field,
	  cmd_print_field, VFIELD(FT_UINT, source_port, 0),
	  "LAC: the UDP port tunnels are opened from (default: the first tunnel to an LNS "
	  "from our L2TP port, 1701, further ones to it from ephemeral ports)" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] terminate-from hostname WORD", cmd_set_field,
	  cmd_print_field, VFIELD(FT_STR, terminate_from, 0),
	  "LNS: accept tunnels only from the LAC with this host name" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] local name WORD", cmd_set_field, cmd_print_field,
	  VFIELD(FT_STR, local_name, 0), "host name sent to peers of this group" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] l2tp tunnel password WORD", cmd_set_field, cmd_print_field,
	  VFIELD(FT_STR, password, 0), "shared secret: tunnel authentication, hidden AVPs" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] l2tp tunnel authentication", cmd_set_field,
	  cmd_print_field, VFIELD(FT_BOOL, authentication, 1),
	  "challenge the peer when a password is set (RFC 2661 4.2; default on)" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] l2tp hidden", cmd_set_field, cmd_print_field,
	  VFIELD(FT_BOOL, hide_avps, 0), "hide sensitive AVPs (RFC 2661 4.3; needs a password)" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] l2tp tunnel hello <0-1000>", cmd_set_field,
	  cmd_print_field, VFIELD(FT_UINT, hello, CONFIG_DEF_HELLO),
	  "seconds of silence before a HELLO (0 = off; default 60)" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] l2tp tunnel retransmit retries <1-1000>", cmd_set_field,
	  cmd_print_field, VFIELD(FT_UINT, retries, CONFIG_DEF_RETRIES),
	  "retransmissions before the peer is declared dead (default 5)" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] l2tp tunnel retransmit timeout min <1-8>", cmd_vpdn_rto,
	  cmd_print_field, VFIELD(FT_UINT, rto_min, CONFIG_DEF_RTO_MIN),
	  "first retransmission timeout, seconds (default 1)" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] l2tp tunnel retransmit timeout max <1-8>", cmd_vpdn_rto,
	  cmd_print_field, VFIELD(FT_UINT, rto_max, CONFIG_DEF_RTO_MAX),
	  "retransmission backoff cap, seconds (default 8)" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] l2tp tunnel receive-window <1-65535>", cmd_set_field,
	  cmd_print_field, VFIELD(FT_UINT, rws, CONFIG_DEF_RWS),
	  "receive window advertised to the peer (default 4)" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] sso enable", cmd_set_field, cmd_print_field,
	  VFIELD(FT_BOOL, sso, 1), "checkpoint this group's tunnels (default on)" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] l2tp tunnel resync <1-65535>", cmd_set_field,
	  cmd_print_field, VFIELD(FT_UINT, resync, CONFIG_DEF_RESYNC),
	  "packets sent without acknowledgement while resynchronising after a takeover, "
	  "and the receive window of HA tunnels (default 20)" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] l2tp subscriber ipv6", cmd_set_field, cmd_print_field,
	  VFIELD(FT_BOOL, subscriber_ipv6, 0),
	  "LAC: the test subscribers of `test vpdn dial` with a username negotiate IPv6CP, "
	  "solicit a router advertisement and a delegated prefix (DHCPv6 IA_PD), and renew "
	  "it (default off)" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] l2tp subscriber ipv6 address", cmd_set_field,
	  cmd_print_field, VFIELD(FT_BOOL, subscriber_ipv6_na, 0),
	  "LAC: the IPv6 test subscribers also ask DHCPv6 for an address (IA_NA)" },
	{ M(CMD_MODE_VPDN_GROUP), "[no] l2tp subscriber ipv6 rapid-commit", cmd_set_field,
	  cmd_print_field, VFIELD(FT_BOOL, subscriber_ipv6_rapid, 0),
	  "LAC: the IPv6 test subscribers solicit with Rapid Commit (RFC 8415, 18.2.1) and "
	  "take a Reply at once" },
	{ M(CMD_MODE_EXEC), "show vpdn", cmd_vpdn_show, NULL, { 0 },
	  "VPDN groups with their tunnels, sessions and counters" },
	{ M(CMD_MODE_EXEC), "test vpdn dial vpdn-group WORD sessions <1-1000000> "
	  "[per-tunnel <1-65535>] [interval <1-60000>] [username WORD password WORD]",
	  cmd_vpdn_test_dial, NULL, { 0 },
	  "LAC: place test calls, a new tunnel every per-tunnel sessions; with an interval, "
	  "one call every interval milliseconds from the daemon, the command returning at "
	  "once (one paced dial at a time); with a username, each runs PPP and "
	  "authenticates as that user" },
	{ M(CMD_MODE_EXEC), "test vpdn dial vpdn-group WORD sessions <1-1000000> username WORD "
	  "password WORD proxy WORD [per-tunnel <1-65535>]", cmd_vpdn_test_dial_proxy, NULL, { 0 },
	  "LAC: test calls whose subscriber the LAC has negotiated LCP with and received PAP "
	  "(proxy pap) or CHAP-MD5 (proxy chap) from: the ICCN carries proxy LCP and "
	  "authentication (RFC 2661 4.4.5), the subscriber's PPP waits for the LNS's verdict" },
	{ M(CMD_MODE_EXEC), "test vpdn dial vpdn-group WORD sessions <1-65535> tunnel <1-65535>",
	  cmd_vpdn_test_dial_tunnel, NULL, { 0 },
	  "LAC: place test calls on the existing tunnel with this local ID" },
	{ M(CMD_MODE_EXEC), "test vpdn dial username WORD password WORD sessions <1-1000000> "
	  "[per-tunnel <1-65535>]", cmd_vpdn_test_dial_user, NULL, { 0 },
	  "LAC: place test calls for user@domain, the tunnel from RADIUS (aaa authorization "
	  "network) or the vpdn-group whose domain it is" },
};

const struct cmd_table cmd_vpdn_table = CMD_TABLE("vpdn", cmd_vpdn_entries);
