/*
 * LAC client mode: pppd runs the subscriber's PPP on our PPPoL2TP socket
 * (the link's l2tp_ppp_pppd_* in l2tp/ppp_int.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "l2tpd.h"
#include "l2tp/ppp_int.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

#define PPPD_PATH "/usr/sbin/pppd"

static void link_pppd_exit_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct l2tp_ppp_pppd *pp = w->data;
	struct l2tp_ppp_link *pl = pp->pl;
	struct l2tp_session *s = pl->s;
	char why[96];
	int st = w->rstatus;

	ev_child_stop(loop, w);
	pp->pid = 0;
	if (WIFEXITED(st))
		snprintf(why, sizeof(why), "pppd exited: status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(why, sizeof(why), "pppd exited: signal %d", WTERMSIG(st));
	else
		snprintf(why, sizeof(why), "pppd exited: status 0x%x", (unsigned)st);
	session_log(s, LOG_NOTICE, "pppd %d: %s", (int)w->rpid, why);
	if (pl->down)
		return;
	pl->down = 1;
	pl->down_reason = strdup(why);
	/* Clear from the next timer run, outside the loop's callback. */
	clock_timer_start(&pl->s->t->d->clk, &pl->down_timer, 0);
}

static void link_pppd_exec(const struct l2tp_session *s, int fd)
{
	char fds[16], tid[16], sid[16];
	const char *argv[40];
	int i, n = 0, maxfd;
	sigset_t all;

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	for (i = 1; i < NSIG; i++)
		signal(i, SIG_DFL);
	setsid();
	maxfd = (int)sysconf(_SC_OPEN_MAX);
	if (maxfd < 0 || maxfd > 65536)
		maxfd = 65536;
	for (i = 3; i < maxfd; i++)
		if (i != fd)
			close(i);
	if (fcntl(fd, F_SETFD, 0) < 0)
		_exit(126);
	snprintf(fds, sizeof(fds), "%d", fd);
	snprintf(tid, sizeof(tid), "%u", s->t->tid);
	snprintf(sid, sizeof(sid), "%u", s->sid);
	argv[n++] = "pppd";
	argv[n++] = "plugin";
	argv[n++] = "pppol2tp.so";
	argv[n++] = "pppol2tp";
	argv[n++] = fds;
	argv[n++] = "pppol2tp_tunnel_id";
	argv[n++] = tid;
	argv[n++] = "pppol2tp_session_id";
	argv[n++] = sid;
	argv[n++] = "nodetach";
	argv[n++] = "noauth";
	argv[n++] = "user";
	argv[n++] = s->user;
	argv[n++] = "password";
	argv[n++] = l2tp_session_rare_get(s)->password;
	argv[n++] = "noipdefault";
	argv[n++] = "ipcp-accept-local";
	argv[n++] = "ipcp-accept-remote";
	argv[n++] = "lcp-echo-interval";
	argv[n++] = "10";
	argv[n++] = "lcp-echo-failure";
	argv[n++] = "3";
	argv[n++] = "noccp";
	argv[n++] = "nodefaultroute";
	argv[n++] = "maxfail";
	argv[n++] = "1";
	argv[n] = NULL;
	execv(PPPD_PATH, (char *const *)argv);
	_exit(127);
}

/* Hand the session to pppd; 0 or a negative errno. */
int l2tp_ppp_pppd_start(struct l2tp_ppp_link *pl)
{
	struct l2tp_session *s = pl->s;
	struct l2tp_tunnel *t = s->t;
	struct l2tpd *d = t->d;
	struct dp_ppp_params dpp;
	struct l2tp_ppp_pppd *pp;
	pid_t pid;
	int fd;

	pp = calloc(1, sizeof(*pp));
	if (pp == NULL)
		return -ENOMEM;
	l2tp_session_dp_params(s, &dpp);
	fd = dp_ppp_socket_open(d->dp, &dpp);
	if (fd < 0) {
		session_log(s, LOG_ERR, "cannot open the PPPoL2TP socket for pppd: %s",
			    strerror(-fd));
		free(pp);
		return fd;
	}
	log_flush(&d->log);	/* the child must not write the parent's lines */
	pid = fork();
	if (pid < 0) {
		int rc = -errno;

		session_log(s, LOG_ERR, "cannot start pppd: %s", strerror(-rc));
		close(fd);
		free(pp);
		return rc;
	}
	if (pid == 0)
		link_pppd_exec(s, fd);	/* never returns */
	pp->pl = pl;
	pp->fd = fd;
	pp->pid = pid;
	ev_child_init(&pp->watch, link_pppd_exit_cb, pid, 0);
	pp->watch.data = pp;
	ev_child_start(d->loop, &pp->watch);
	pl->pppd = pp;
	session_log(s, LOG_INFO, "pppd %d started for user \"%s\" on PPPoL2TP fd %d", (int)pid,
		    s->user, fd);
	return 0;
}

void l2tp_ppp_pppd_stop(struct l2tp_ppp_link *pl)
{
	struct l2tpd *d = pl->s->t->d;
	struct l2tp_ppp_pppd *pp = pl->pppd;

	if (pp == NULL)
		return;
	if (pp->pid > 0) {
		ev_child_stop(d->loop, &pp->watch);
		session_log(pl->s, LOG_INFO, "stopping pppd %d", (int)pp->pid);
		kill(pp->pid, SIGTERM);
		/* pppd is not waited for here; reaped by libev's SIGCHLD
		 * handler with no watcher (it reaps every child). */
	}
	close(pp->fd);
	free(pp);
	pl->pppd = NULL;
}
