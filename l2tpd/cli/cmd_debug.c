/*
 * Debugging and the failure history: `debug` / `undebug` of the log's
 * categories, `show debugging`, `show vpdn history failure` (the records of
 * core/history.c, newest first) and `clear vpdn history failure`.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli/cmd_debug.h"
#include "cli/cmd_engine.h"
#include "cli/cmd_topics.h"
#include "core/config.h"
#include "core/history.h"
#include "core/log.h"
#include "core/out.h"
#include "l2tpd.h"

#define CMD_DBG_MAX_BITS	32

void cmd_debug_show_state(struct cmd_ctx *x)
{
	unsigned dbg = x->d->log.debug;
	struct out *o = x->o;

	out_arr_open(o, "debug");
	for (unsigned b = 0; b < CMD_DBG_MAX_BITS; b++) {
		const char *name = log_debug_name(1u << b);

		if (name && (dbg & (1u << b))) {
			out_str(o, NULL, NULL, name);
			if (1u << b == LOG_DBG_RADIUS)
				out_text(o, "RADIUS debugging is on\n");
			else if ((1u << b) & LOG_DBG_PPPOE_ALL)
				out_text(o, "PPPoE %s debugging is on\n", name + 6);
			else
				out_text(o, "L2TP %s debugging is on\n", name);
		}
	}
	out_arr_close(o);
	if (!dbg)
		out_text(o, "All L2TP debugging is off\n");
}

/* Every category, or those whose name starts with prefix
 * ("redundancy ", "pppoe "). */
static unsigned cmd_debug_all(const char *prefix)
{
	unsigned all = 0;

	for (unsigned b = 0; b < CMD_DBG_MAX_BITS; b++) {
		const char *name = log_debug_name(1u << b);

		if (name && strncmp(name, prefix, strlen(prefix)) == 0)
			all |= 1u << b;
	}
	return all;
}

static int cmd_debug_set(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	int off = a->neg || e->f.arg;
	const char *prefix = cmd_has(a, "redundancy") ? "redundancy " :
			     cmd_has(a, "pppoe") ? "pppoe " : "";
	char name[64];
	unsigned cat;

	snprintf(name, sizeof name, "%s%s", prefix, a->var[0] ? a->var[0] : "");
	if (!a->var[0] || strcasecmp(a->var[0], "all") == 0) {
		cat = cmd_debug_all(prefix);
		/* `debug l2tp all` is L2TP's; `debug all` adds `debug radius`
		 * and `debug pppoe` */
		if ((cmd_has(a, "l2tp") || cmd_has(a, "vpdn")) && !cmd_has(a, "redundancy"))
			cat &= ~(unsigned)(LOG_DBG_RADIUS | LOG_DBG_PPPOE_ALL);
	} else if (log_debug_parse(name, &cat)) {
		out_error(x->o, "Invalid input: unknown debug category '%s'", a->var[0]);
		return -EINVAL;
	}
	if (off)
		x->d->log.debug &= ~cat;
	else
		x->d->log.debug |= cat;
	cmd_debug_show_state(x);
	return 0;
}

static int cmd_debug_show(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	cmd_debug_show_state(x);
	return 0;
}

static void cmd_debug_history_rec(struct l2tpd *d, struct out *o, const struct history_rec *r)
{
	char addr[INET_ADDRSTRLEN] = "-", when[32] = "-", age[32];
	struct in_addr a = { .s_addr = r->peer_addr };
	uint64_t ago = cmd_since(d, r->mono_ms);
	struct tm tm;

	if (r->peer_addr)
		inet_ntop(AF_INET, &a, addr, sizeof addr);
	if (localtime_r(&r->wall, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	out_fmt_age(age, sizeof age, ago);
	out_obj_open(o, NULL);
	out_str(o, "user", "\nUser: %s\n", r->user[0] ? r->user : "-");
	out_uint(o, "local_tunnel_id", "Local tunnel ID: %u", r->tid);
	out_uint(o, "local_session_id", ", local session ID: %u\n", r->sid);
	out_uint(o, "remote_tunnel_id", "Remote tunnel ID: %u", r->peer_tid);
	out_uint(o, "remote_session_id", ", remote session ID: %u\n", r->peer_sid);
	out_str(o, "peer_address", "Peer address: %s\n", addr);
	out_str(o, "log_time", "Log time: %s", when);
	out_uint(o, "time", NULL, (uint64_t)r->wall);
	out_text(o, " (%s ago)", age);
	out_uint(o, "age_seconds", NULL, ago / 1000);
	out_uint(o, "repeat_count", ", Error repeat count: %u\n", r->repeat);
	out_uint(o, "cause", "Failure cause: %u\n", r->cause);
	out_str(o, "reason", "Failure reason: %s\n", r->text[0] ? r->text : "-");
	out_obj_close(o);
}

/* `show vpdn history failure`, newest first. */
static int cmd_debug_show_history(struct cmd_ctx *x, const struct cmd_entry *e,
				  const struct cmd_args *a)
{
	const struct vpdn_history *h = x->d->history;
	unsigned n = history_failure_count(h), size = history_table_size(h);
	struct out *o = x->o;

	if (!h)
		size = x->d->cfg.history_size ? x->d->cfg.history_size : CONFIG_DEF_HISTORY;
	out_uint(o, "table_size", "Table size: %u\n", size);
	out_uint(o, "entries", "Number of entries in table: %u\n", n);
	out_uint(o, "recorded", NULL, history_recorded(h));
	out_uint(o, "dropped", NULL, history_dropped(h));
	if (!n)
		out_text(o, "VPDN user failure table is empty\n");
	out_arr_open(o, "failures");
	for (unsigned i = 0; i < n; i++)
		cmd_debug_history_rec(x->d, o, history_failure_nth(h, i));
	out_arr_close(o);
	return 0;
}

static int cmd_debug_clear_history(struct cmd_ctx *x, const struct cmd_entry *e,
				   const struct cmd_args *a)
{
	unsigned n = history_failure_count(x->d->history);

	history_failure_clear(x->d->history);
	out_uint(x->o, "cleared", "Cleared %u failure records\n", n);
	return 0;
}

static const struct cmd_entry cmd_debug_entries[] = {
	{ M(CMD_MODE_EXEC), "show vpdn history failure", cmd_debug_show_history, NULL, { 0 },
	  "the last calls and tunnels that failed, newest first, with the cause" },
	{ M(CMD_MODE_EXEC), "clear vpdn history failure", cmd_debug_clear_history, NULL, { 0 },
	  "empty the failure history" },
	{ M(CMD_MODE_EXEC), "show debugging", cmd_debug_show, NULL, { 0 },
	  "debug categories that are on" },
	{ M(CMD_MODE_EXEC), "[no] debug l2tp redundancy {cf|detail|error|event|fsm|resync|rf|all}",
	  cmd_debug_set, NULL, { 0 }, "switch an HA debug category on (off with no)" },
	{ M(CMD_MODE_EXEC), "undebug l2tp redundancy {cf|detail|error|event|fsm|resync|rf|all}",
	  cmd_debug_set, NULL, { .arg = 1 }, "switch an HA debug category off" },
	{ M(CMD_MODE_EXEC), "[no] debug vpdn redundancy {cf|detail|error|event|fsm|resync|rf|all}",
	  cmd_debug_set, NULL, { 0 }, "the same as debug l2tp redundancy" },
	{ M(CMD_MODE_EXEC), "undebug vpdn redundancy {cf|detail|error|event|fsm|resync|rf|all}",
	  cmd_debug_set, NULL, { .arg = 1 }, "the same as undebug l2tp redundancy" },
	{ M(CMD_MODE_EXEC), "[no] debug l2tp {event|error|fsm|packet|sequence|all}", cmd_debug_set,
	  NULL, { 0 }, "switch a debug log category on (off with no)" },
	{ M(CMD_MODE_EXEC), "undebug l2tp {event|error|fsm|packet|sequence|all}", cmd_debug_set,
	  NULL, { .arg = 1 }, "switch a debug log category off" },
	{ M(CMD_MODE_EXEC), "[no] debug pppoe {packet|event|error|all}", cmd_debug_set, NULL,
	  { 0 }, "PPPoE: every discovery frame, sessions up and down, frames refused" },
	{ M(CMD_MODE_EXEC), "undebug pppoe {packet|event|error|all}", cmd_debug_set, NULL,
	  { .arg = 1 }, "switch a PPPoE debug category off" },
	{ M(CMD_MODE_EXEC), "[no] debug all", cmd_debug_set, NULL, { 0 },
	  "switch every debug category on (off with no)" },
	{ M(CMD_MODE_EXEC), "undebug all", cmd_debug_set, NULL, { .arg = 1 },
	  "switch every debug category off" },
};

const struct cmd_table cmd_debug_table = CMD_TABLE("debug", cmd_debug_entries);
