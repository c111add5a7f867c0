/*
 * The metrics room's life and what it accumulates (see metrics.h): an
 * observer of l2tp/ that adds up, as sessions go, their last data-path
 * counters and why their PPP ended, and records each tunnel's
 * resynchronisation time after a takeover.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2tpd.h"
#include "l2tp/observer.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "metrics/metrics.h"
#include "metrics/prom.h"

static void metrics_dp_add(struct dp_stats *sum, const struct dp_stats *st)
{
	sum->rx_packets += st->rx_packets;
	sum->rx_bytes += st->rx_bytes;
	sum->rx_errors += st->rx_errors;
	sum->tx_packets += st->tx_packets;
	sum->tx_bytes += st->tx_bytes;
	sum->tx_errors += st->tx_errors;
	sum->rx_seq_discards += st->rx_seq_discards;
	sum->rx_oos_packets += st->rx_oos_packets;
}

/* About to be freed: its data path still exists (l2tp_session_destroy
 * tells the observers first). */
static void metrics_session_deleted(void *arg, struct l2tp_session *s)
{
	struct metrics *m = arg;
	struct dp_stats st;

	if (s->dp_created && m->d->dp != NULL &&
	    dp_session_stats(m->d->dp, s->t->tid, s->sid, &st) == 0)
		metrics_dp_add(&m->dp_ended, &st);
	if (s->ppp_link != NULL)
		m->ppp_ended[s->term_cause < METRICS_CAUSES ? s->term_cause : 0]++;
}

static void metrics_tunnel_resynced(void *arg, struct l2tp_tunnel *t, int ok)
{
	struct metrics *m = arg;

	hist_observe_us(&m->resync, t->resync_ms * 1000);
}

static const struct l2tp_observer_ops metrics_observer = {
	.session_deleted = metrics_session_deleted,
	.tunnel_resynced = metrics_tunnel_resynced,
};

int metrics_init(struct l2tpd *d)
{
	struct metrics *m = calloc(1, sizeof *m);

	if (m == NULL)
		return -ENOMEM;
	m->d = d;
	d->metrics = m;
	return l2tp_observer_add(d, &metrics_observer, m);
}

int metrics_apply(struct l2tpd *d, char *err, size_t errsz)
{
	struct metrics *m = d->metrics;
	const struct config_metrics *c = &d->cfg.metrics;

	if (m == NULL)
		return 0;
	if (m->http != NULL && c->port == m->port && c->addr.s_addr == m->addr.s_addr)
		return 0;
	metrics_http_close(m);
	if (c->port == 0)
		return 0;
	return metrics_http_open(m, c->addr, c->port, err, errsz);
}

void metrics_close(struct l2tpd *d)
{
	if (d->metrics != NULL)
		metrics_http_close(d->metrics);
}

void metrics_fini(struct l2tpd *d)
{
	if (d->metrics == NULL)
		return;
	metrics_http_close(d->metrics);
	free(d->metrics);
	d->metrics = NULL;
}

void metrics_dp_totals(struct l2tpd *d, struct dp_stats *st)
{
	struct metrics *m = d->metrics;
	const struct l2tp_tunnel *t;
	const struct l2tp_session *s;
	struct dp_stats one;

	*st = m->dp_ended;
	/* A walk, not a running sum: these counters grow in the kernel, per
	 * packet, and the daemon sees them only when it asks (one request a
	 * session); a sum kept here would be as old as its last read.  A
	 * scrape every 15 s or more pays it; the state totals
	 * (collect_l2tp.c) need no kernel and are counted as they change. */
	if (d->dp != NULL) {
		LIST_FOREACH(t, &d->tunnels, link)
			LIST_FOREACH(s, &t->session_list, link)
				if (s->dp_created &&
				    dp_session_stats(d->dp, t->tid, s->sid, &one) == 0)
					metrics_dp_add(st, &one);
	}
	/* A session whose counters could not be read as it went would make
	 * the totals go back: hold them until they pass the last export. */
#define METRICS_HOLD(f) do { \
		if (st->f < m->dp_reported.f) \
			st->f = m->dp_reported.f; \
		m->dp_reported.f = st->f; \
	} while (0)
	METRICS_HOLD(rx_packets);
	METRICS_HOLD(rx_bytes);
	METRICS_HOLD(rx_errors);
	METRICS_HOLD(tx_packets);
	METRICS_HOLD(tx_bytes);
	METRICS_HOLD(tx_errors);
	METRICS_HOLD(rx_seq_discards);
	METRICS_HOLD(rx_oos_packets);
#undef METRICS_HOLD
}

void metrics_log_bad(struct metrics *m, const char *what)
{
	uint64_t now = clock_now(&m->d->clk);

	if (m->log_ms != 0 && now - m->log_ms < 10000) {
		m->log_unlogged++;
		return;
	}
	log_msg(&m->d->log, LOG_NOTICE, "metrics: %s (%llu more since the last line)", what,
		(unsigned long long)m->log_unlogged);
	m->log_ms = now ? now : 1;
	m->log_unlogged = 0;
}

static void metrics_collect_self(struct l2tpd *d, struct prom *p)
{
	const struct metrics_http_stats *h = &d->metrics->http_stats;

	prom_family(p, "l2tpd_build_info", "gauge", "Always 1; the version of l2tpd.");
	prom_sample(p, 1, "version", L2TPD_VERSION, NULL, NULL);
	prom_gauge1(p, "l2tpd_start_time_seconds", "When the daemon started, seconds since the "
		    "Unix epoch.", d->started_wall_ms / 1000);
	prom_counter1(p, "l2tpd_metrics_scrapes_total", "GET /metrics answered.", h->scrapes);
	prom_family(p, "l2tpd_metrics_rejected_requests_total", "counter",
		    "HTTP requests of the metrics endpoint refused, by reason.");
	prom_sample(p, h->not_found, "reason", "not_found", NULL, NULL);
	prom_sample(p, h->bad_method, "reason", "method", NULL, NULL);
	prom_sample(p, h->bad_body, "reason", "body", NULL, NULL);
	prom_sample(p, h->dropped, "reason", "dropped", NULL, NULL);
	prom_sample(p, h->failed, "reason", "failed", NULL, NULL);
}

void metrics_render(struct l2tpd *d, struct prom *p)
{
	metrics_collect_self(d, p);
	metrics_collect_l2tp(d, p);
	metrics_collect_ha(d, p);
	metrics_collect_aaa(d, p);
}
