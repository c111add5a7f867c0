/*
 * Prometheus metrics: `metrics listen A.B.C.D port P` serves /metrics in
 * the text format (version 0.0.4) from the event loop (metrics/http.c, on
 * libmicrohttpd in its external-select mode: its epoll descriptor is a
 * libev watcher).  The values are read, at each scrape, through the
 * rooms' read APIs, the same the show commands print (metrics/collect*.c);
 * what no room keeps and Prometheus needs to go on growing (the data path
 * of sessions that ended, PPP endings by cause, resync durations) this
 * room accumulates through an observer of l2tp/ (metrics.c).
 *
 * The room may include anything but cli/; the root (l2tpd.c) creates it,
 * cli/cmd_metrics.c configures and shows it.
 */
#ifndef L2TPD_METRICS_H
#define L2TPD_METRICS_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "core/hist.h"
#include "kernel_glue/dp.h"

struct l2tpd;
struct metrics_http;
struct prom;

/* RFC 2866 §5.10 causes 1..20; 0 unknown. */
#define METRICS_CAUSES	21

/* The endpoint's own counters (`show metrics`, and exported). */
struct metrics_http_stats {
	uint64_t connections;		/* accepted */
	uint64_t scrapes;		/* GET /metrics answered 200 */
	uint64_t not_found;		/* another path: 404 */
	uint64_t bad_method;		/* not GET or HEAD: 405 */
	uint64_t bad_body;		/* a request with a body: 413 */
	uint64_t failed;		/* ended in an error, a timeout, or by the client */
	uint64_t dropped;		/* connections closed with no request answered
					 * (malformed, too large, silent) */
	uint64_t render_errors;		/* out of memory: 500 */
	uint64_t bytes;			/* /metrics bodies sent */
	uint64_t render_us_last;	/* the last rendering took */
};

struct metrics {
	struct l2tpd *d;
	struct metrics_http *http;	/* NULL: not listening */
	struct in_addr addr;		/* listening on, when http */
	uint16_t port;
	struct metrics_http_stats http_stats;
	uint64_t log_ms, log_unlogged;	/* rate-limited log of bad requests */
	/* What the endpoint accumulates (the observer in metrics.c) */
	struct dp_stats dp_ended;	/* data path of the sessions gone */
	struct dp_stats dp_reported;	/* the highest totals exported (never go back) */
	uint64_t ppp_ended[METRICS_CAUSES];	/* PPP sessions ended, by cause */
	struct hist resync;		/* tunnel resynchronisations after a takeover */
};

/* l2tpd_init: the observer; 0 or -ENOMEM/-ENOSPC. */
int metrics_init(struct l2tpd *d);
/* l2tpd_start and after a reload: listen as configured (close, reopen,
 * or nothing to do); 0 or a negative errno with err. */
int metrics_apply(struct l2tpd *d, char *err, size_t errsz);
void metrics_fini(struct l2tpd *d);
/* The endpoint's listening socket closed (the hitless restart: the new
 * process binds the port); metrics_apply() opens it again. */
void metrics_close(struct l2tpd *d);

/* The whole exposition into p (collect*.c). */
void metrics_render(struct l2tpd *d, struct prom *p);
/* The data path totals: ended sessions plus the live ones, never lower
 * than what was exported before. */
void metrics_dp_totals(struct l2tpd *d, struct dp_stats *st);

/* metrics/http.c */
int metrics_http_open(struct metrics *m, struct in_addr addr, uint16_t port, char *err,
		      size_t errsz);
void metrics_http_close(struct metrics *m);
/* A request refused or dropped: counted by the caller, logged here at most
 * once per 10 s with the count since the last line. */
void metrics_log_bad(struct metrics *m, const char *what);

/* collect_*.c: the families of each room. */
void metrics_collect_l2tp(struct l2tpd *d, struct prom *p);
void metrics_collect_ha(struct l2tpd *d, struct prom *p);
void metrics_collect_aaa(struct l2tpd *d, struct prom *p);

#endif
