/*
 * The daemon as a service: the Prometheus endpoint's configuration
 * (`metrics listen A.B.C.D port P`) and its counters (`show metrics`), and
 * the hidden `test service block-loop N` that wedges the event loop on
 * purpose (the systemd watchdog's test: a blocked loop stops feeding it),
 * and `restart [binary PATH]`, the hitless restart (cli/restart.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd_engine.h"
#include "cli/cmd_topics.h"
#include "cli/restart.h"
#include "core/config.h"
#include "core/out.h"
#include "l2tpd.h"
#include "metrics/metrics.h"

static int cmd_service_metrics_listen(struct cmd_ctx *x, const struct cmd_entry *e,
				      const struct cmd_args *a)
{
	struct config_metrics *m = &x->cc->cfg->metrics;
	uint32_t h = ntohl(a->ip[0].s_addr);

	if (a->neg) {
		memset(m, 0, sizeof *m);
		return 0;
	}
	if (h == 0xffffffffu || (h >> 28) == 0xe)
		return cmd_cfg_fail(x, "metrics listen: %s is not an address to listen on",
				    a->var[0]);
	m->addr = a->ip[0];
	m->port = (uint16_t)a->num[1];
	return 0;
}

static void cmd_service_print_metrics(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_metrics *m = &p->cfg->metrics;
	char ip[INET_ADDRSTRLEN], num[8];
	const char *vals[2] = { ip, num };

	if (m->port == 0)
		return;
	inet_ntop(AF_INET, &m->addr, ip, sizeof ip);
	snprintf(num, sizeof num, "%u", m->port);
	cmd_pr_pattern(p, e->pattern, 0, vals, 2);
}

static const struct out_counter cmd_service_http_counters[] = {
	OUT_COUNTER(struct metrics_http_stats, connections, "connections", "  Connections %u"),
	OUT_COUNTER(struct metrics_http_stats, scrapes, "scrapes", ", scrapes %u"),
	OUT_COUNTER(struct metrics_http_stats, bytes, "bytes", " (%u bytes)\n"),
	OUT_COUNTER(struct metrics_http_stats, not_found, "not_found",
		    "  Refused: %u for another path"),
	OUT_COUNTER(struct metrics_http_stats, bad_method, "bad_method", ", %u not GET or HEAD"),
	OUT_COUNTER(struct metrics_http_stats, bad_body, "bad_body", ", %u with a body\n"),
	OUT_COUNTER(struct metrics_http_stats, dropped, "dropped",
		    "  Dropped: %u connections without a request answered"),
	OUT_COUNTER(struct metrics_http_stats, failed, "failed", ", %u requests failed"),
	OUT_COUNTER(struct metrics_http_stats, render_errors, "render_errors",
		    ", %u out of memory\n"),
};

static int cmd_service_show_metrics(struct cmd_ctx *x, const struct cmd_entry *e,
				    const struct cmd_args *a)
{
	const struct config_metrics *c = &x->d->cfg.metrics;
	const struct metrics *m = x->d->metrics;
	struct out *o = x->o;
	char ip[INET_ADDRSTRLEN];
	static const struct metrics_http_stats none;

	inet_ntop(AF_INET, &c->addr, ip, sizeof ip);
	out_bool(o, "listening", NULL, m != NULL && m->http != NULL);
	if (c->port == 0) {
		out_text(o, "Metrics endpoint: not configured (metrics listen A.B.C.D port P)\n");
	} else {
		out_str(o, "address", "Metrics endpoint: http://%s", ip);
		out_uint(o, "port", ":%u/metrics", c->port);
		out_text(o, "%s\n", m != NULL && m->http != NULL ? " (listening)" :
			 " (not listening)");
	}
	out_counters(o, OUT_COUNTERS(cmd_service_http_counters), m ? &m->http_stats : &none,
		     OUT_ALL);
	out_uint(o, "render_us_last", NULL, m ? m->http_stats.render_us_last : 0);
	return 0;
}

/* The watchdog's test: the loop is blocked, so nothing else runs (no
 * WATCHDOG=1, no packet, no other client). */
static int cmd_service_block_loop(struct cmd_ctx *x, const struct cmd_entry *e,
				  const struct cmd_args *a)
{
	log_msg(&x->d->log, LOG_WARNING, "test: blocking the event loop for %lu s", a->num[0]);
	for (unsigned left = (unsigned)a->num[0]; left > 0;)
		left = sleep(left);
	out_uint(x->o, "blocked_s", "Event loop blocked for %u s\n", a->num[0]);
	return 0;
}

/* Root (or the daemon's user) restarts the daemon; only root names
 * another binary: whoever may choose it chooses what runs with the
 * daemon's capabilities (SO_PEERCRED, cli/ctl.c). */
static int cmd_service_restart(struct cmd_ctx *x, const struct cmd_entry *e,
			       const struct cmd_args *a)
{
	const char *path = a->var[0];
	char msg[512];
	int r;

	if (path != NULL && x->uid != 0) {
		out_error(x->o, "Permission denied: 'restart binary' is for root only (uid %ld)",
			  x->uid);
		return -EPERM;
	}
	r = restart_run(x->d, path, msg, sizeof(msg));
	if (r < 0) {
		out_error(x->o, "Restart failed, this daemon serves on: %s", msg);
		return r;
	}
	out_str(x->o, "restart", "%s\n", msg);
	return 0;
}

static const struct cmd_entry cmd_service_entries[] = {
	{ M(CMD_MODE_CONFIG), "[no] metrics listen A.B.C.D port <1-65535>",
	  cmd_service_metrics_listen, cmd_service_print_metrics, { 0 },
	  "serve Prometheus metrics on http://A.B.C.D:P/metrics (0.0.0.0: every address)" },
	{ M(CMD_MODE_EXEC), "show metrics", cmd_service_show_metrics, NULL, { 0 },
	  "the metrics endpoint: where it listens, scrapes, requests refused and dropped" },
	{ M(CMD_MODE_EXEC) | CMD_ROOT, "restart [binary WORD]", cmd_service_restart, NULL, { 0 },
	  "start a new daemon (this binary, or another: root only) that takes the tunnels, "
	  "sessions and sockets over without a word to the peers; this one exits" },
	{ M(CMD_MODE_EXEC) | CMD_HIDDEN | CMD_ROOT, "test service block-loop <1-60>",
	  cmd_service_block_loop, NULL, { 0 },
	  "block the event loop for N seconds (tests the service watchdog)" },
};

const struct cmd_table cmd_service_table = CMD_TABLE("service", cmd_service_entries);
