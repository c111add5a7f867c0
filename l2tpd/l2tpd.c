/*
 * The daemon's root: the context's life (init, start, run, shutdown, fini)
 * and the glue between the event loop and the rooms.  The root calls the
 * rooms; no room calls it.
 */
#include <errno.h>
#include <sys/resource.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "l2tpd.h"
#include "cli/config_reload.h"
#include "cli/config_sync.h"
#include "cli/ctl.h"
#include "cli/restart.h"
#include "core/history.h"
#include "core/ippool.h"
#include "ipv6/pool.h"
#include "l2tp/net.h"
#include "l2tp/mss.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/dial.h"
#include "l2tp/tunnel.h"
#include "aaa/aaa.h"
#include "aaa/tunnel.h"
#include "aaa/radius_client.h"
#include "aaa/radius_das.h"
#include "metrics/metrics.h"
#include "service/notify.h"
#include "pppoe/access.h"
#include "pppoe/port.h"

#define SHUTDOWN_MAX_MS	10000	/* longest wait for StopCCN acknowledgements */

static int l2tpd_xmit_default(struct l2tp_tunnel *t, const uint8_t *buf, size_t len)
{
	return l2tp_net_xmit(t, buf, len);
}

static void l2tpd_clock_changed(struct l2tp_clock *c, void *arg)
{
	struct l2tpd *d = arg;
	int64_t ms;

	if (d->loop == NULL)
		return;
	ms = clock_next_timeout(c);
	ev_timer_stop(d->loop, &d->clk_watcher);
	if (ms >= 0) {
		ev_timer_set(&d->clk_watcher, (double)ms / 1000.0, 0.);
		ev_timer_start(d->loop, &d->clk_watcher);
	}
}

static void l2tpd_clock_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct l2tpd *d = w->data;

	clock_run(&d->clk);
	l2tpd_clock_changed(&d->clk, d);
}

/* Shutting down and nothing left to say: every peer has its StopCCN
 * acknowledged and every Accounting-Stop its answer (or the client gave
 * up on it). */
static int l2tpd_shutdown_done(const struct l2tpd *d)
{
	return d->shutting_down && d->loop != NULL && d->n_tunnels == 0 &&
	       radius_client_pending(d) == 0;
}

/* The last accounting answers arrive with no tunnel event to notice them. */
static void l2tpd_shutdown_poll(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct l2tpd *d = w->data;

	if (l2tpd_shutdown_done(d))
		ev_break(loop, EVBREAK_ALL);
}

/* Each loop turn, before the loop sleeps: what died during the turn is
 * freed (objects may still have been on the stack), and a shutdown with
 * nothing left to wait for ends the loop. */
static void l2tpd_turn_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct l2tpd *d = w->data;

	if (l2tp_tunnel_reap(d) > 0) {
		l2tpd_clock_changed(&d->clk, d);	/* timers may have moved */
		config_reload_reap(d);		/* removed groups whose last tunnel went */
	}
	if (l2tpd_shutdown_done(d))
		ev_break(loop, EVBREAK_ALL);
	if (d->restart_exit)
		restart_exit(d);	/* the new process has everything */
}

/* The last thing each loop turn does before the loop sleeps: the turn's
 * log lines leave in one write. */
static void l2tpd_log_turn_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct l2tpd *d = w->data;

	l2tp_net_flush(d);
	log_flush(&d->log);
}

static void l2tpd_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct l2tpd *d = w->data;

	if (w->signum == SIGPIPE)
		return;
	if (d->shutting_down) {
		log_msg(&d->log, LOG_NOTICE, "second signal: exiting now");
		ev_break(loop, EVBREAK_ALL);
		return;
	}
	log_msg(&d->log, LOG_NOTICE, "signal %d: shutting down", w->signum);
	l2tpd_shutdown(d);
}

/* SIGHUP: systemctl reload (ExecReload=), or an operator's kill -HUP. */
static void l2tpd_hup_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct l2tpd *d = w->data;
	char err[256] = "";

	if (d->shutting_down)
		return;
	svc_notify_reloading(&d->notify);
	if (l2tpd_reload(d, err, sizeof err) < 0)
		log_msg(&d->log, LOG_ERR, "reload refused: %s; the running configuration stays",
			err);
	svc_notify_send(&d->notify, "READY=1");
}

int l2tpd_reload(struct l2tpd *d, char *err, size_t errsz)
{
	return config_reload_file(d, d->cfg_path, "SIGHUP", err, errsz);
}

static void l2tpd_shutdown_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct l2tpd *d = w->data;

	log_msg(&d->log, LOG_WARNING, "shutdown: %u tunnels did not acknowledge StopCCN and %u "
		"RADIUS requests got no answer in time", d->n_tunnels, radius_client_pending(d));
	ev_break(loop, EVBREAK_ALL);
}

int l2tpd_init(struct l2tpd *d, int simulated_clock)
{
	int rc;

	memset(d, 0, sizeof(*d));
	clock_init(&d->clk, simulated_clock);
	d->clk.changed = l2tpd_clock_changed;
	d->clk.changed_arg = d;
	clock_timer_init(&d->heap_trim, l2tp_ppp_heap_trim_cb, d);
	log_init(&d->log, "l2tpd", 1);
	config_init(&d->cfg);
	snprintf(d->cfg_path, sizeof(d->cfg_path), "%s", CONFIG_DEFAULT_FILE);
	snprintf(d->ctl_path, sizeof(d->ctl_path), "%s", CONFIG_DEFAULT_SOCKET);
	snprintf(d->dp_name, sizeof(d->dp_name), "auto");
	d->tunnel_by_id = calloc(65536, sizeof(*d->tunnel_by_id));
	if (d->tunnel_by_id == NULL)
		return -ENOMEM;
	/* at the default size until l2tpd_start() takes up the configured one */
	if (history_init(&d->history, &d->clk, &d->cfg.history_size) < 0)
		return -ENOMEM;
	LIST_INIT(&d->tunnels);
	if (l2tp_guard_init(&d->guard) < 0)
		return -ENOMEM;
	d->listen_fd = -1;
	l2tp_net_init(d);
	d->handover_listen_fd = d->handover_ctl_fd = -1;
	d->v6rx_fd = -1;
	d->xmit = l2tpd_xmit_default;
	/* The rooms above l2tp/ register their hooks. */
	d->notify.fd = -1;
	rc = ha_init(d);
	if (rc == 0)
		config_sync_init(d);	/* the pair's configurations in step */
	if (rc == 0)
		rc = aaa_init(d);
	if (rc == 0)
		rc = metrics_init(d);
	return rc;
}

/*
 * The descriptor budget: tunnel sockets stop short of the last
 * L2TP_GUARD_FD_RESERVE descriptors of the open-files limit, which stay
 * for the control socket's clients, RADIUS, the DAS port and the
 * checkpoint link, whatever the limit.
 */
static void l2tpd_fd_budget(struct l2tpd *d)
{
	struct rlimit rl;

	d->guard.fd_limit = 0;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return;
	if (rl.rlim_cur > 2 * L2TP_GUARD_FD_RESERVE && rl.rlim_cur < (rlim_t)1 << 30)
		d->guard.fd_limit = (int)(rl.rlim_cur - L2TP_GUARD_FD_RESERVE);
	else
		d->guard.fd_limit = L2TP_GUARD_FD_RESERVE;
	log_msg(&d->log, LOG_INFO, "tunnel sockets take descriptors below %d (%u kept for the "
		"control socket, RADIUS and the checkpoint link)", d->guard.fd_limit,
		L2TP_GUARD_FD_RESERVE);
}

int l2tpd_start(struct l2tpd *d, char *err, size_t errsz)
{
	int rc;

	l2tpd_fd_budget(d);
	d->loop = ev_default_loop(EVFLAG_AUTO);
	if (d->loop == NULL) {
		snprintf(err, errsz, "cannot initialise the event loop");
		return -ENOMEM;
	}
	ev_timer_init(&d->clk_watcher, l2tpd_clock_cb, 0., 0.);
	d->clk_watcher.data = d;
	ev_prepare_init(&d->turn, l2tpd_turn_cb);
	d->turn.data = d;
	ev_prepare_start(d->loop, &d->turn);
	ev_prepare_init(&d->log_turn, l2tpd_log_turn_cb);
	ev_set_priority(&d->log_turn, EV_MINPRI);
	d->log_turn.data = d;
	ev_prepare_start(d->loop, &d->log_turn);
	log_buffer_on(&d->log, &d->log_buf);
	ev_signal_init(&d->sig_term, l2tpd_signal_cb, SIGTERM);
	ev_signal_init(&d->sig_int, l2tpd_signal_cb, SIGINT);
	ev_signal_init(&d->sig_pipe, l2tpd_signal_cb, SIGPIPE);
	ev_signal_init(&d->sig_hup, l2tpd_hup_cb, SIGHUP);
	d->sig_term.data = d->sig_int.data = d->sig_pipe.data = d->sig_hup.data = d;
	ev_signal_start(d->loop, &d->sig_term);
	ev_signal_start(d->loop, &d->sig_int);
	ev_signal_start(d->loop, &d->sig_pipe);
	ev_signal_start(d->loop, &d->sig_hup);
	ev_timer_init(&d->shutdown_timer, l2tpd_shutdown_timeout, SHUTDOWN_MAX_MS / 1000.0, 0.);
	d->shutdown_timer.data = d;
	ev_timer_init(&d->shutdown_poll, l2tpd_shutdown_poll, 0.1, 0.1);
	d->shutdown_poll.data = d;

	rc = dp_create(d->dp_name, &d->dp, err, errsz);
	if (rc < 0)
		return rc;
	log_msg(&d->log, LOG_INFO, "data path: %s backend%s%s%s", d->dp->ops->name,
		!dp_can(d->dp, DP_CAP_KERNEL) ?
		" (no kernel objects; data messages are counted and dropped)" : "",
		d->dp->note[0] ? ": " : "", d->dp->note);
	if (dp_can(d->dp, DP_CAP_KERNEL))
		l2tp_ppp_ipv6_rx_start(d);	/* a failure is logged: IPv6 RS unanswered */
	l2tp_mss_sync(d);	/* a failure is logged: sessions unclamped */
	rc = ippool_setup(&d->pools, &d->cfg);
	if (rc < 0) {
		snprintf(err, errsz, "cannot set up the address pools: %s", strerror(-rc));
		return rc;
	}
	rc = ipv6_pool_setup(&d->pools6, &d->cfg);
	if (rc < 0) {
		snprintf(err, errsz, "cannot set up the IPv6 pools: %s", strerror(-rc));
		return rc;
	}
	rc = history_init(&d->history, &d->clk, &d->cfg.history_size);
	if (rc < 0) {
		snprintf(err, errsz, "out of memory");
		return rc;
	}
	rc = radius_client_init(d);
	if (rc < 0) {
		snprintf(err, errsz, "cannot set up the RADIUS client: %s", strerror(-rc));
		return rc;
	}
	rc = radius_das_init(d);
	if (rc < 0) {
		snprintf(err, errsz, "cannot listen for RADIUS dynamic authorization on port %u: %s",
			 d->cfg.radius.das_port, strerror(-rc));
		return rc;
	}
	rc = ha_start(d, err, errsz);
	if (rc < 0)
		return rc;
	/* A member of a redundant pair listens once it becomes the active
	 * (its takeover opens the socket); a daemon alone may act now. */
	if (d->handover_listen_fd >= 0) {
		rc = l2tp_net_listen_adopt(d, d->handover_listen_fd);
		if (rc < 0) {
			snprintf(err, errsz, "the listening socket handed over: %s", strerror(-rc));
			return rc;
		}
	} else if (ha_may_act(d)) {
		rc = l2tp_net_listen(d, err, errsz);
		if (rc < 0)
			return rc;
	}
	if (d->handover_ctl_fd >= 0)
		rc = ctl_adopt(d, d->ctl_path, d->handover_ctl_fd, err, errsz);
	else
		rc = ctl_open(d, d->ctl_path, err, errsz);
	if (rc < 0)
		return rc;
	rc = metrics_apply(d, err, errsz);
	if (rc < 0)
		return rc;
	/* The access side answers subscribers as the active does (a standby
	 * sends nothing from the shared MAC: its takeover starts it). */
	if (ha_may_act(d) && !d->handover_access) {
		rc = pppoe_access_start(d, &pppoe_port_packet_ops, NULL, err, errsz);
		if (rc < 0)
			return rc;
	}
	d->started_ms = clock_now(&d->clk);
	d->started_wall_ms = clock_wall_ms(&d->clk);
	return 0;
}

/* The configuration is loaded and every socket is open (a member of a
 * pair waits for keepalived to tell it its role, as it should: it is up). */
static void l2tpd_notify_ready(struct l2tpd *d)
{
	if (!svc_notify_enabled(&d->notify))
		return;
	svc_notify_sendf(&d->notify, "READY=1\nSTATUS=%s, control socket %s\nMAINPID=%ld",
			 ha_role_string(d->ha.role), d->ctl_path, (long)getpid());
	svc_notify_watchdog_start(&d->notify, d->loop);
	log_msg(&d->log, LOG_INFO, "service manager told READY%s", d->notify.watchdog_us ?
		"; feeding its watchdog from the event loop" : "");
}

void l2tpd_run(struct l2tpd *d)
{
	l2tpd_clock_changed(&d->clk, d);
	l2tpd_notify_ready(d);
	ev_run(d->loop, 0);
}

void l2tpd_shutdown(struct l2tpd *d)
{
	struct l2tp_tunnel *t;

	if (d->shutting_down)
		return;
	d->shutting_down = 1;
	svc_notify_send(&d->notify, "STOPPING=1");
	l2tp_dial_paced_stop(d, "l2tpd shutting down");
	l2tp_net_close(d);	/* no new tunnels */
	LIST_FOREACH(t, &d->tunnels, link) {
		if (t->dead)
			continue;
		if (t->state == L2TP_TUNNEL_CLOSING) {
			/* Only lingering to re-ack a StopCCN: nothing to wait for. */
			if (t->stop_by_peer)
				l2tp_tunnel_destroy(t);
			continue;
		}
		l2tp_tunnel_clear(t, L2TP_STOPCCN_SHUTDOWN, -1, "l2tpd shutting down");
	}
	if (d->loop != NULL) {
		ev_timer_start(d->loop, &d->shutdown_timer);
		ev_timer_start(d->loop, &d->shutdown_poll);
	}
}

void l2tpd_fini(struct l2tpd *d)
{
	struct l2tp_tunnel *t;

	aaa_tunnel_fini(d);	/* dials waiting: no fallback to tunnels going now */
	l2tp_dial_paced_stop(d, "l2tpd exiting");
	LIST_FOREACH(t, &d->tunnels, link)
		if (!t->dead)
			l2tp_tunnel_destroy(t);
	l2tp_tunnel_reap(d);
	if (d->loop != NULL) {
		ev_prepare_stop(d->loop, &d->turn);
		ev_prepare_stop(d->loop, &d->log_turn);
		ctl_close(d);
	}
	l2tp_net_close(d);
	l2tp_ppp_ipv6_rx_stop(d);
	metrics_fini(d);
	pppoe_access_stop(d);	/* a PADT to every subscriber */
	aaa_tunnel_choose_fini(d);	/* after the subscribers cancelled theirs */
	radius_das_free(d);
	radius_client_free(d);
	ha_fini(d);
	history_free(&d->history);
	ippool_teardown(&d->pools);
	ipv6_pool_teardown(&d->pools6);
	if (d->dp != NULL) {
		l2tp_mss_stop(d);
		dp_destroy(d->dp);
	}
	d->dp = NULL;
	config_free(&d->cfg);
	clock_destroy(&d->clk);
	free(d->tunnel_by_id);
	d->tunnel_by_id = NULL;
	l2tp_guard_fini(&d->guard);
	svc_notify_close(&d->notify);
	log_close(&d->log);
}
