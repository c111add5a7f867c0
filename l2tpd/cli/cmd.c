/*
 * The command engine: the table walk that finds a line's command (and
 * says, when there is none, which word is wrong and what was expected),
 * the modes, `help`, and the dispatch of configuration lines and EXEC
 * commands (see cmd.h, cmd_engine.h; DESIGN.md "One grammar for
 * configuration and CLI").  Patterns are matched by cli/cmd_pat.c;
 * configuration values and the running configuration are cli/cmd_field.c's.
 * The commands themselves are the topic files' (cli/cmd_topics.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cmd.h"
#include "cli/cmd_debug.h"
#include "cli/cmd_engine.h"
#include "cli/cmd_l2tp.h"
#include "cli/cmd_topics.h"
#include "core/config.h"
#include "haproto/ha_link.h"
#include "core/history.h"
#include "core/ippool.h"
#include "l2tpd.h"
#include "l2tp/proto.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "core/out.h"
#include "ppp/ppp.h"
#include "aaa/radius_client.h"
#include "aaa/radius_das.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- configuration: commands with their own handlers ---- */

static int cmd_exit(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	x->cc->exit = 1;
	return 0;
}

/* ---- users, address pools, Virtual-Template interfaces ---- */

/* ---- AAA (aaa/aaa.c) ---- */

/* `aaa authentication ppp default {group radius | local}...` */
static int cmd_aaa_authen(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct config_aaa *aaa = &x->cc->cfg->aaa;
	enum config_aaa_method m[CONFIG_AAA_METHODS_MAX];
	unsigned n = 0;
	int i;

	if (a->neg) {
		aaa->n_authen = 0;
		return 0;
	}
	for (i = 0; i < a->nvar; i++) {
		enum config_aaa_method k;

		if (!a->var[i])
			continue;
		if (strcasecmp(a->var[i], "local") == 0) {
			k = CONFIG_AAA_LOCAL;
		} else if (strcasecmp(a->var[i], "group") == 0 && i + 1 < a->nvar && a->var[i + 1] &&
			   strcasecmp(a->var[i + 1], "radius") == 0) {
			k = CONFIG_AAA_RADIUS;
			i++;
		} else {
			return cmd_cfg_fail(x, "aaa authentication ppp default: '%s' is not a method "
					    "(group radius, local)", a->var[i]);
		}
		for (unsigned j = 0; j < n; j++)
			if (m[j] == k)
				return cmd_cfg_fail(x, "aaa authentication ppp default: %s is given "
						    "twice", k == CONFIG_AAA_LOCAL ? "local" :
						    "group radius");
		if (n == CONFIG_AAA_METHODS_MAX)
			return cmd_cfg_fail(x, "aaa authentication ppp default: at most %d methods",
					    CONFIG_AAA_METHODS_MAX);
		m[n++] = k;
	}
	if (n == 0)
		return cmd_cfg_fail(x, "aaa authentication ppp default: no method given");
	memcpy(aaa->authen, m, n * sizeof(m[0]));
	aaa->n_authen = n;
	return 0;
}

static void cmd_print_aaa_authen(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_aaa *aaa = &p->cfg->aaa;
	char line[128];
	size_t len;

	if (!aaa->n_authen)
		return;
	len = (size_t)snprintf(line, sizeof(line), "aaa authentication ppp default");
	for (unsigned i = 0; i < aaa->n_authen && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %s",
					aaa->authen[i] == CONFIG_AAA_LOCAL ? "local" :
					"group radius");
	cmd_pr_line(p, "%s", line);
}

/* ---- RADIUS servers and RFC 5176 (aaa/radius_client.c, aaa/radius_das.c) ---- */

static int cmd_radius_addr_ok(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return h != 0 && h != 0xffffffffu && (h >> 28) != 0xe;
}

/* `radius-server host A [auth-port P] [acct-port P] [key K]`: a server is its address and ports. */
static int cmd_radius_host(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct config_radius *r = &x->cc->cfg->radius;
	uint16_t auth = a->var[1] ? (uint16_t)a->num[1] : CONFIG_DEF_RADIUS_AUTH_PORT;
	uint16_t acct = a->var[2] ? (uint16_t)a->num[2] : CONFIG_DEF_RADIUS_ACCT_PORT;
	struct config_radius_server *s = NULL;
	unsigned i, removed = 0;

	if (a->neg) {
		/* `no radius-server host A` removes every server at A; with ports, that one */
		for (i = 0; i < r->n_servers;) {
			s = &r->servers[i];
			if (s->addr.s_addr == a->ip[0].s_addr &&
			    (!a->var[1] || s->auth_port == auth) && (!a->var[2] || s->acct_port == acct)) {
				memset(s->key, 0, sizeof s->key);
				memmove(s, s + 1, (r->n_servers - i - 1) * sizeof *s);
				r->n_servers--;
				memset(&r->servers[r->n_servers], 0, sizeof *s);
				removed++;
				continue;
			}
			i++;
		}
		if (!removed)
			return cmd_cfg_fail(x, "no radius-server host: no server %s", a->var[0]);
		return 0;
	}
	if (!cmd_radius_addr_ok(a->ip[0]))
		return cmd_cfg_fail(x, "radius-server host: %s is not a usable address", a->var[0]);
	if (auth == 0 && acct == 0)
		return cmd_cfg_fail(x, "radius-server host %s: auth-port 0 and acct-port 0 leave "
				    "nothing to use it for", a->var[0]);
	for (i = 0; i < r->n_servers; i++) {
		s = &r->servers[i];
		if (s->addr.s_addr == a->ip[0].s_addr && s->auth_port == auth && s->acct_port == acct)
			break;
	}
	if (i == r->n_servers) {
		if (r->n_servers >= CONFIG_RADIUS_SERVERS)
			return cmd_cfg_fail(x, "radius-server host: at most %d servers",
					    CONFIG_RADIUS_SERVERS);
		s = &r->servers[r->n_servers];
		memset(s, 0, sizeof *s);
		s->addr = a->ip[0];
		s->auth_port = auth;
		s->acct_port = acct;
		if (a->var[3] && cmd_set_str(x, e, s->key, sizeof s->key, a->var[3]))
			return -EINVAL;
		r->n_servers++;
		return 0;
	}
	/* the same server again: its key changes */
	if (a->var[3])
		return cmd_set_str(x, e, s->key, sizeof s->key, a->var[3]);
	memset(s->key, 0, sizeof s->key);
	return 0;
}

static void cmd_print_radius_host(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_radius *r = &p->cfg->radius;

	for (unsigned i = 0; i < r->n_servers; i++) {
		const struct config_radius_server *s = &r->servers[i];
		char ip[INET_ADDRSTRLEN], auth[8], acct[8];
		const char *vals[4] = { ip, NULL, NULL, s->key[0] ? s->key : NULL };

		inet_ntop(AF_INET, &s->addr, ip, sizeof ip);
		if (s->auth_port != CONFIG_DEF_RADIUS_AUTH_PORT) {
			snprintf(auth, sizeof auth, "%u", s->auth_port);
			vals[1] = auth;
		}
		if (s->acct_port != CONFIG_DEF_RADIUS_ACCT_PORT) {
			snprintf(acct, sizeof acct, "%u", s->acct_port);
			vals[2] = acct;
		}
		cmd_pr_pattern(p, e->pattern, 0, vals, 4);
	}
}

/* `aaa server radius dynamic-author`: enters the mode; `no` removes the block. */
static int cmd_dynauth(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct config_radius *r = &x->cc->cfg->radius;

	if (a->neg) {
		memset(r->clients, 0, sizeof r->clients);
		memset(r->das_key, 0, sizeof r->das_key);
		r->n_clients = 0;
		r->das = 0;
		r->das_port = CONFIG_DEF_DAS_PORT;
		return 0;
	}
	r->das = 1;
	x->cc->entered = CMD_MODE_DYNAUTH;
	x->cc->entered_grp = NULL;
	return 0;
}

static void cmd_print_dynauth(const struct cmd_entry *e, struct cmd_pr *p)
{
	struct cmd_pr sub = *p;

	if (!p->cfg->radius.das)
		return;
	cmd_pr_line(p, "!");
	cmd_pr_pattern(p, e->pattern, 0, NULL, 0);
	sub.indent = p->indent + 1;
	cmd_print_mode(CMD_MODE_DYNAUTH, &sub);
	cmd_pr_line(p, "!");
}

/* ` client A [server-key K]` */
static int cmd_das_client(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct config_radius *r = &x->cc->cfg->radius;
	struct config_das_client *c = NULL;
	unsigned i;

	for (i = 0; i < r->n_clients; i++)
		if (r->clients[i].addr.s_addr == a->ip[0].s_addr)
			c = &r->clients[i];
	if (a->neg) {
		if (!c)
			return cmd_cfg_fail(x, "no client: no client %s", a->var[0]);
		i = (unsigned)(c - r->clients);
		memset(c->key, 0, sizeof c->key);
		memmove(c, c + 1, (r->n_clients - i - 1) * sizeof *c);
		r->n_clients--;
		memset(&r->clients[r->n_clients], 0, sizeof *c);
		return 0;
	}
	if (!cmd_radius_addr_ok(a->ip[0]))
		return cmd_cfg_fail(x, "client: %s is not a usable address", a->var[0]);
	if (!c) {
		if (r->n_clients >= CONFIG_DAS_CLIENTS)
			return cmd_cfg_fail(x, "client: at most %d clients", CONFIG_DAS_CLIENTS);
		c = &r->clients[r->n_clients];
		memset(c, 0, sizeof *c);
		c->addr = a->ip[0];
		if (a->var[1] && cmd_set_str(x, e, c->key, sizeof c->key, a->var[1]))
			return -EINVAL;
		r->n_clients++;
		return 0;
	}
	if (a->var[1])
		return cmd_set_str(x, e, c->key, sizeof c->key, a->var[1]);
	memset(c->key, 0, sizeof c->key);
	return 0;
}

static void cmd_print_das_client(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_radius *r = &p->cfg->radius;

	for (unsigned i = 0; i < r->n_clients; i++) {
		char ip[INET_ADDRSTRLEN];
		const char *vals[2] = { ip, r->clients[i].key[0] ? r->clients[i].key : NULL };

		inet_ntop(AF_INET, &r->clients[i].addr, ip, sizeof ip);
		cmd_pr_pattern(p, e->pattern, 0, vals, 2);
	}
}

/* ---- redundancy (the HA pair; core/config.c checks the block at end of file) ---- */

/* ---------------------------------------------------------------- */
/* EXEC commands                                                     */
/* ---------------------------------------------------------------- */

uint64_t cmd_since(const struct l2tpd *d, uint64_t then)
{
	uint64_t now = clock_now(&d->clk);

	return now > then ? now - then : 0;
}

/*
 * Tests only: RFC 2869 §5.16 keeps Acct-Interim-Interval at 60 s or more,
 * and `aaa accounting update periodic` counts minutes; tests of interims
 * would wait minutes for each.
 */
static int cmd_test_interim(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	x->d->aaa.test_interim_s = (unsigned)a->num[0];
	out_uint(x->o, "interim_interval", "accounting interim interval for tests: %u s\n",
		 x->d->aaa.test_interim_s);
	return 0;
}

/* ---- redundancy: keepalived and the operator ---- */

/* ---- RADIUS: show, clear, debug ---- */

static int cmd_show_radius_stats(struct cmd_ctx *x, const struct cmd_entry *e,
				 const struct cmd_args *a)
{
	radius_client_show_stats(x->d, x->o);
	radius_das_show(x->d, x->o);
	return 0;
}

static int cmd_show_radius_server(struct cmd_ctx *x, const struct cmd_entry *e,
				  const struct cmd_args *a)
{
	radius_client_show_servers(x->d, x->o);
	return 0;
}

static int cmd_clear_radius(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	radius_client_clear_stats(x->d);
	radius_das_clear_stats(x->d);
	out_text(x->o, "RADIUS counters cleared\n");
	return 0;
}

/* `[no] debug radius`, `undebug radius` */
static int cmd_debug_radius(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	if (a->neg || e->f.arg)
		x->d->log.debug &= ~(unsigned)LOG_DBG_RADIUS;
	else
		x->d->log.debug |= LOG_DBG_RADIUS;
	cmd_debug_show_state(x);
	return 0;
}

static int cmd_help(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a);

/* ---------------------------------------------------------------- */

static const struct cmd_entry cmd_entries_b[] = {
	/* AAA and RADIUS */
	{ M(CMD_MODE_CONFIG), "[no] aaa new-model", cmd_set_field, cmd_print_field,
	  GFIELD(FT_BOOL, aaa.new_model, 0), "accepted as IOS has it; changes nothing" },
	{ M(CMD_MODE_CONFIG), "[no] aaa authentication ppp default WORD [WORD] [WORD] [WORD]",
	  cmd_aaa_authen, cmd_print_aaa_authen, { 0 },
	  "PPP authentication methods in order: `group radius`, `local`; the next is tried "
	  "only when RADIUS gives no answer (default: local)" },
	{ M(CMD_MODE_CONFIG), "[no] aaa accounting network default start-stop group radius",
	  cmd_set_field, cmd_print_field, GFIELD(FT_BOOL, aaa.acct_network, 0),
	  "RADIUS accounting of PPP sessions: Start, Interim-Update, Stop" },
	{ M(CMD_MODE_CONFIG), "[no] aaa accounting update periodic <1-71582>", cmd_set_field,
	  cmd_print_field, GFIELD(FT_UINT, aaa.acct_update_min, 0),
	  "minutes between Interim-Updates (Acct-Interim-Interval from RADIUS wins; "
	  "default none)" },
	{ M(CMD_MODE_CONFIG), "[no] aaa authorization network default group radius",
	  cmd_set_field, cmd_print_field, GFIELD(FT_BOOL, aaa.authz_network, 0),
	  "LAC: ask RADIUS for the tunnel of a user's domain (RFC 2868 attributes); no "
	  "answer: the vpdn-group's initiate-to" },
	{ M(CMD_MODE_CONFIG), "[no] radius-server host A.B.C.D [auth-port <0-65535>] "
	  "[acct-port <0-65535>] [key WORD]", cmd_radius_host, cmd_print_radius_host, { 0 },
	  "a RADIUS server, tried in the order given (ports 1812 1813 by default, 0 = not "
	  "for that); `no` removes it" },
	{ M(CMD_MODE_CONFIG), "[no] radius-server key WORD", cmd_set_field, cmd_print_field,
	  GFIELD(FT_STR, radius.key, 0), "shared secret of servers given without a key" },
	{ M(CMD_MODE_CONFIG), "[no] radius-server timeout <1-1000>", cmd_set_field,
	  cmd_print_field, GFIELD(FT_UINT, radius.timeout, CONFIG_DEF_RADIUS_TIMEOUT),
	  "seconds to wait for an answer before retransmitting (default 5)" },
	{ M(CMD_MODE_CONFIG), "[no] radius-server retransmit <0-100>", cmd_set_field,
	  cmd_print_field, GFIELD(FT_UINT, radius.retransmit, CONFIG_DEF_RADIUS_RETRANSMIT),
	  "retransmissions to a server before the next one is tried (default 3)" },
	{ M(CMD_MODE_CONFIG), "[no] radius-server deadtime <0-1440>", cmd_set_field,
	  cmd_print_field, GFIELD(FT_UINT, radius.deadtime, CONFIG_DEF_RADIUS_DEADTIME),
	  "minutes a server that did not answer is skipped while others live "
	  "(default 0: never)" },
	{ M(CMD_MODE_CONFIG), "[no] radius-server require-message-authenticator", cmd_set_field,
	  cmd_print_field, GFIELD(FT_BOOL, radius.require_msgauth, 1),
	  "drop an Access-Accept/Reject/Challenge without Message-Authenticator (default on; "
	  "`no` for servers that do not send one)" },
	{ M(CMD_MODE_CONFIG), "[no] radius-server source-ip A.B.C.D", cmd_set_field,
	  cmd_print_field, GFIELD(FT_IP, radius.source, 0),
	  "address RADIUS requests are sent from (the virtual address of a pair; default "
	  "the route's)" },
	{ M(CMD_MODE_CONFIG), "[no] aaa server radius dynamic-author", cmd_dynauth,
	  cmd_print_dynauth, { 0 },
	  "enter the RFC 5176 mode: Disconnect- and CoA-Requests from RADIUS clients "
	  "(`no` removes it)" },
	{ M(CMD_MODE_DYNAUTH), "[no] client A.B.C.D [server-key WORD]", cmd_das_client,
	  cmd_print_das_client, { 0 },
	  "a client allowed to send requests, with its secret (default: server-key)" },
	{ M(CMD_MODE_DYNAUTH), "[no] server-key WORD", cmd_set_field, cmd_print_field,
	  GFIELD(FT_STR, radius.das_key, 0), "the secret of clients given without one" },
	{ M(CMD_MODE_DYNAUTH), "[no] port <1-65535>", cmd_set_field, cmd_print_field,
	  GFIELD(FT_U16, radius.das_port, CONFIG_DEF_DAS_PORT),
	  "UDP port to listen on (default 3799)" },
	{ M(CMD_MODE_EXEC), "show radius statistics", cmd_show_radius_stats, NULL, { 0 },
	  "RADIUS client counters of every server summed, and the RFC 5176 server's" },
	{ M(CMD_MODE_EXEC), "show radius server", cmd_show_radius_server, NULL, { 0 },
	  "RADIUS servers: alive or dead and since when, counters per server" },
	{ M(CMD_MODE_EXEC), "clear radius statistics", cmd_clear_radius, NULL, { 0 },
	  "zero the RADIUS counters" },
	{ M(CMD_MODE_EXEC), "[no] debug radius", cmd_debug_radius, NULL, { 0 },
	  "log every RADIUS packet, decoded (off with no)" },
	{ M(CMD_MODE_EXEC), "undebug radius", cmd_debug_radius, NULL, { .arg = 1 },
	  "stop logging RADIUS packets" },
	{ M(CMD_MODE_EXEC) | CMD_HIDDEN, "test aaa interim-interval <0-86400>", cmd_test_interim,
	  NULL, { 0 }, "accounting interim interval in seconds, over everything (tests; 0 = off)" },
};

const struct cmd_table cmd_table_b = CMD_TABLE("debug, aaa", cmd_entries_b);

/* The engine's own commands. */
static const struct cmd_entry cmd_builtin_entries[] = {
	{ CMD_GROUP_MODES | M(CMD_MODE_VTEMPLATE) | M(CMD_MODE_REDUNDANCY) | M(CMD_MODE_DYNAUTH),
	  "exit", cmd_exit, NULL,
	  { 0 },
	  "leave the sub-mode" },
	{ M(CMD_MODE_EXEC), "help", cmd_help, NULL, { 0 }, "this list" },
};

const struct cmd_table cmd_builtin_table = CMD_TABLE("built-in", cmd_builtin_entries);


static const char *const cmd_mode_names[CMD_MODE_COUNT] = {
	[CMD_MODE_NONE] = "no",
	[CMD_MODE_EXEC] = "EXEC",
	[CMD_MODE_CONFIG] = "top-level",
	[CMD_MODE_VPDN_GROUP] = "vpdn-group",
	[CMD_MODE_ACCEPT_DIALIN] = "accept-dialin",
	[CMD_MODE_REQUEST_DIALIN] = "request-dialin",
	[CMD_MODE_REDUNDANCY] = "redundancy",
	[CMD_MODE_VTEMPLATE] = "interface",
	[CMD_MODE_DYNAUTH] = "dynamic-author",
};

const char *cmd_mode_name(enum cmd_mode m)
{
	return (unsigned)m < CMD_MODE_COUNT ? cmd_mode_names[m] : "?";
}

/* One command of the help: the pattern, and its description under it. */
static void cmd_help_entry(struct out *o, const char *mode, const struct cmd_entry *e)
{
	out_obj_open(o, NULL);
	if (mode)
		out_str(o, "mode", NULL, mode);
	out_str(o, "command", "  %s\n", e->pattern);
	out_str(o, "help", "      %s\n", e->help);
	out_obj_close(o);
}

static int cmd_help(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct out *o = x->o;
	static const enum cmd_mode cfg_modes[] = {
		CMD_MODE_CONFIG, CMD_MODE_VPDN_GROUP, CMD_MODE_ACCEPT_DIALIN,
		CMD_MODE_REQUEST_DIALIN, CMD_MODE_VTEMPLATE, CMD_MODE_REDUNDANCY,
		CMD_MODE_DYNAUTH,
	};

	out_text(o, "Commands (send them with l2tpctl; --json for JSON output):\n");
	out_arr_open(o, "commands");
	CMD_FOREACH(tp, ce) {
		if (!(ce->modes & M(CMD_MODE_EXEC)) || (ce->modes & CMD_HIDDEN))
			continue;
		cmd_help_entry(o, NULL, ce);
	}
	out_arr_close(o);
	out_text(o, "\nConfiguration commands (l2tpd.conf(5)), by mode:\n");
	out_arr_open(o, "config_commands");
	for (size_t m = 0; m < ARRAY_SIZE(cfg_modes); m++) {
		out_text(o, "%s %s mode:\n", m ? "\n" : "", cmd_mode_name(cfg_modes[m]));
		CMD_FOREACH(tp, ce) {
			if (!(ce->modes & M(cfg_modes[m])) || (ce->modes & CMD_HIDDEN))
				continue;
			cmd_help_entry(o, cmd_mode_name(cfg_modes[m]), ce);
		}
	}
	out_arr_close(o);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Dispatch                                                          */
/* ---------------------------------------------------------------- */

int cmd_split(char *line, char **words, int max)
{
	int n = 0;
	char *p = line;

	for (const unsigned char *c = (const unsigned char *)line; *c; c++)
		if ((*c < 0x20 && *c != '\t' && *c != '\n' && *c != '\r') || *c == 0x7f)
			return -EILSEQ;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			*p++ = '\0';
		if (!*p)
			return n;
		if (n >= max)
			return -E2BIG;
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
	}
}

/* "l2tp tunnel" for the words matched before a failure. */
static void cmd_prefix(char *buf, size_t size, char **words, int depth)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < depth && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "", words[i]);
}

static void cmd_expected(char *buf, size_t size, const struct cmd_fail *f)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < f->nexp && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%.*s", i ? ", " : "",
					(int)f->exp[i].len, f->exp[i].s);
}

/*
 * The modes other than `mode` in which the line is a command: *full gets
 * those where it matches completely, the result those where at least its
 * first word starts a command.
 */
static unsigned cmd_other_modes(enum cmd_mode mode, char **words, int n, unsigned *full)
{
	unsigned modes = 0;
	struct cmd_args a;
	struct cmd_fail f;
	struct cmd_pat pat;

	*full = 0;
	CMD_FOREACH(tp, e) {
		if (e->modes & M(mode))
			continue;
		cmd_pat_parse(e->pattern, &pat);
		if (cmd_pat_match(&pat, words, n, &a, &f)) {
			*full |= e->modes & ~CMD_HIDDEN;
			modes |= e->modes & ~CMD_HIDDEN;
		} else if (f.depth > (a.neg ? 1 : 0)) {
			modes |= e->modes & ~CMD_HIDDEN;
		}
	}
	return modes;
}

/*
 * The entry of `mode` that matches the words (its arguments in *args), or
 * NULL with *best telling how far the closest ones got.
 */
static const struct cmd_entry *cmd_match_mode(enum cmd_mode mode, char **words, int n,
					      struct cmd_args *args, struct cmd_fail *best)
{
	struct cmd_fail f;
	struct cmd_args a;
	struct cmd_pat pat;

	memset(best, 0, sizeof *best);
	best->depth = -1;
	CMD_FOREACH(tp, e) {
		if (!(e->modes & M(mode)))
			continue;
		cmd_pat_parse(e->pattern, &pat);
		if (cmd_pat_match(&pat, words, n, &a, &f)) {
			*args = a;
			return e;
		}
		/* a hidden command is not suggested to whoever did not name it */
		if ((e->modes & CMD_HIDDEN) && f.depth < 2)
			continue;
		if (f.depth > best->depth || (f.depth == best->depth && best->kind != FAIL_BAD &&
					      f.kind == FAIL_BAD)) {
			*best = f;
		} else if (f.depth == best->depth && f.kind != FAIL_BAD && best->kind != FAIL_BAD) {
			for (int k = 0; k < f.nexp; k++)
				cmd_fail_expect(best, &f.exp[k]);
			if (f.kind == FAIL_MISSING)
				best->kind = FAIL_MISSING;
		}
	}
	return NULL;
}

/*
 * The line is a command of another mode (and not one of this mode badly
 * written): say where it belongs.  1 with the reason in err, else 0.
 */
static int cmd_err_mode(enum cmd_mode mode, char **words, int n, const struct cmd_fail *best,
			char *err, size_t errsz)
{
	char where[128] = "";
	size_t len = 0;
	int first = n > 1 && strcasecmp(words[0], "no") == 0 ? 1 : 0;
	unsigned other, full;

	other = cmd_other_modes(mode, words, n, &full);
	if (!full && best->depth > (strcasecmp(words[0], "no") == 0 ? 1 : 0))
		return 0;	/* a command of this mode, badly written */
	if (full)
		other = full;
	if (!other)
		return 0;
	if (mode == CMD_MODE_EXEC) {
		snprintf(err, errsz, "'%s' is a configuration command; put it in the "
			 "configuration file", words[first]);
		return 1;
	}
	if (other & M(CMD_MODE_EXEC)) {
		snprintf(err, errsz, "'%s' is an EXEC command (l2tpctl), not a "
			 "configuration command", words[first]);
		return 1;
	}
	if (mode == CMD_MODE_CONFIG && strcasecmp(words[0], "exit") == 0) {
		snprintf(err, errsz, "'exit' at top level: there is no sub-mode to leave");
		return 1;
	}
	for (int m = CMD_MODE_CONFIG; m < CMD_MODE_COUNT; m++)
		if (other & M(m))
			len += (size_t)snprintf(where + len, sizeof where - len, "%s%s",
						len ? " or " : "", cmd_mode_name(m));
	snprintf(err, errsz, "'%s' is not valid in %s mode (it belongs in %s mode%s)",
		 words[first], cmd_mode_name(mode), where,
		 mode == CMD_MODE_CONFIG ? "; indent it under its command" : "");
	return 1;
}

/* The line is no command of this mode: which word is wrong, what was expected. */
static void cmd_err_words(char **words, const struct cmd_fail *best, char *err, size_t errsz)
{
	char prefix[256], exp[256];

	cmd_prefix(prefix, sizeof prefix, words, best->depth > 0 ? best->depth : 0);
	cmd_expected(exp, sizeof exp, best);
	switch (best->kind) {
	case FAIL_BAD:
		snprintf(err, errsz, "%s: %s", prefix, best->msg);
		break;
	case FAIL_MISSING:
		if (best->nexp == 1 && best->exp[0].kind != TOK_LIT && best->exp[0].kind != TOK_ALT)
			snprintf(err, errsz, "%s: missing argument %s", prefix, exp);
		else
			snprintf(err, errsz, "%s: incomplete command (expected %s)", prefix, exp);
		break;
	default:
		if (best->depth <= 0)
			snprintf(err, errsz, "unknown command '%s'", words[0]);
		else if (best->nexp)
			snprintf(err, errsz, "unknown word '%s' after '%s' (expected %s)",
				 words[best->depth], prefix, exp);
		else
			snprintf(err, errsz, "unexpected word '%s' after '%s'", words[best->depth],
				 prefix);
		break;
	}
}

/*
 * Find the entry of `mode` that matches the words.  On failure, err gets
 * the reason an operator needs: which word, what was expected, the range.
 */
static const struct cmd_entry *cmd_lookup(enum cmd_mode mode, char **words, int n,
					  struct cmd_args *args, char *err, size_t errsz)
{
	const struct cmd_entry *e;
	struct cmd_fail best;

	e = cmd_match_mode(mode, words, n, args, &best);
	if (e)
		return e;
	if (n == 0) {
		snprintf(err, errsz, "empty command");
		return NULL;
	}
	if (!cmd_err_mode(mode, words, n, &best, err, errsz))
		cmd_err_words(words, &best, err, errsz);
	return NULL;
}

int cmd_config_line(struct cmd_cfg_ctx *c, char **words, int n, char *err, size_t errsz)
{
	const struct cmd_entry *e;
	struct cmd_args a;
	struct cmd_ctx x = { .cc = c, .err = err, .errsz = errsz };

	c->entered = CMD_MODE_NONE;
	c->entered_grp = NULL;
	c->entered_vt = NULL;
	c->exit = 0;
	e = cmd_lookup(c->mode, words, n, &a, err, errsz);
	if (!e)
		return -EINVAL;
	return e->run(&x, e, &a);
}

int cmd_exec(struct l2tpd *d, const char *line, struct out *o)
{
	char buf[CMD_LINE_MAX], err[512];
	char *words[CMD_MAX_WORDS];
	const struct cmd_entry *e;
	struct cmd_args a;
	struct cmd_ctx x = { .d = d, .o = o };
	int n, r;

	if (strlen(line) >= sizeof buf) {
		out_error(o, "Invalid input: line too long (at most %d characters)",
			  CMD_LINE_MAX - 1);
		return -E2BIG;
	}
	memcpy(buf, line, strlen(line) + 1);
	n = cmd_split(buf, words, CMD_MAX_WORDS);
	if (n == -EILSEQ) {
		out_error(o, "Invalid input: control character in the command");
		return n;
	}
	if (n < 0) {
		out_error(o, "Invalid input: too many words (at most %d)", CMD_MAX_WORDS);
		return n;
	}
	e = cmd_lookup(CMD_MODE_EXEC, words, n, &a, err, sizeof err);
	if (!e) {
		out_error(o, "Invalid input: %s", err);
		return -EINVAL;
	}
	out_obj_open(o, NULL);
	r = e->run(&x, e, &a);
	out_obj_close(o);
	if (o->err && !o->failed) {
		int json = o->json;

		out_free(o);		/* what was printed is useless now */
		out_init(o, json);
		out_error(o, "Out of memory");
		return -ENOMEM;
	}
	return r;
}
