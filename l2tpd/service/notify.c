/*
 * sd_notify(3) and the watchdog (see notify.h).  The protocol is a few
 * lines: one datagram per notification, newline-separated KEY=VALUE
 * assignments, to the socket of $NOTIFY_SOCKET.  Sent non-blocking: a
 * service manager that does not read loses a notification, never the
 * daemon its loop.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "service/notify.h"

static int svc_notify_addr(struct svc_notify *n, const char *path, char *err, size_t errsz)
{
	size_t len = strlen(path);

	memset(&n->sa, 0, sizeof n->sa);
	n->sa.sun_family = AF_UNIX;
	if ((path[0] != '/' && path[0] != '@') || len < 2 || len >= sizeof n->sa.sun_path) {
		snprintf(err, errsz, "NOTIFY_SOCKET '%s' is neither an absolute path nor an "
			 "abstract name (at most %zu bytes)", path, sizeof n->sa.sun_path - 1);
		return -EINVAL;
	}
	memcpy(n->sa.sun_path, path, len);
	if (path[0] == '@')
		n->sa.sun_path[0] = '\0';	/* abstract namespace: no NUL at the end */
	n->salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len +
			       (path[0] == '@' ? 0 : 1));
	return 0;
}

/* $WATCHDOG_USEC, if it is meant for this process ($WATCHDOG_PID). */
static int svc_notify_watchdog_env(struct svc_notify *n, char *err, size_t errsz)
{
	const char *us = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	unsigned long long v;
	char *end;

	if (us == NULL || us[0] == '\0')
		return 0;
	if (pid != NULL && pid[0] != '\0') {
		errno = 0;
		v = strtoull(pid, &end, 10);
		if (errno || *end || v != (unsigned long long)getpid())
			return 0;	/* the watchdog of another process */
	}
	errno = 0;
	v = strtoull(us, &end, 10);
	if (errno || *end || us[0] == '-' || v == 0) {
		snprintf(err, errsz, "WATCHDOG_USEC '%s' is not a positive number", us);
		return -EINVAL;
	}
	n->watchdog_us = v;
	return 0;
}

int svc_notify_init(struct svc_notify *n, char *err, size_t errsz)
{
	const char *path = getenv("NOTIFY_SOCKET");
	int rc;

	memset(n, 0, sizeof *n);
	n->fd = -1;
	if (path == NULL || path[0] == '\0')
		return 0;
	rc = svc_notify_addr(n, path, err, errsz);
	if (rc == 0)
		rc = svc_notify_watchdog_env(n, err, errsz);
	if (rc < 0)
		return rc;
	n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (n->fd < 0) {
		rc = -errno;
		snprintf(err, errsz, "notification socket: %s", strerror(-rc));
		return rc;
	}
	return 0;
}

void svc_notify_close(struct svc_notify *n)
{
	svc_notify_watchdog_stop(n);
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}

int svc_notify_enabled(const struct svc_notify *n)
{
	return n->fd >= 0;
}

int svc_notify_send(struct svc_notify *n, const char *msg)
{
	ssize_t r;

	if (n->fd < 0)
		return 0;
	do {
		r = sendto(n->fd, msg, strlen(msg), MSG_NOSIGNAL, (const struct sockaddr *)&n->sa,
			   n->salen);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		n->errors++;
		return -errno;
	}
	n->sent++;
	return 0;
}

int svc_notify_sendf(struct svc_notify *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (n->fd < 0)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return svc_notify_send(n, msg);
}

int svc_notify_reloading(struct svc_notify *n)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return svc_notify_sendf(n, "RELOADING=1\nMONOTONIC_USEC=%llu",
				(unsigned long long)ts.tv_sec * 1000000ull +
				(unsigned long long)ts.tv_nsec / 1000ull);
}

static void svc_notify_watchdog_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct svc_notify *n = w->data;

	if (svc_notify_send(n, "WATCHDOG=1") == 0)
		n->watchdog_sent++;
}

void svc_notify_watchdog_start(struct svc_notify *n, struct ev_loop *loop)
{
	double every;

	if (n->fd < 0 || n->watchdog_us == 0 || n->loop != NULL)
		return;
	every = (double)n->watchdog_us / 2e6;
	n->loop = loop;
	ev_timer_init(&n->wd_timer, svc_notify_watchdog_cb, every, every);
	n->wd_timer.data = n;
	ev_timer_start(loop, &n->wd_timer);
	svc_notify_watchdog_cb(loop, &n->wd_timer, 0);
}

void svc_notify_watchdog_stop(struct svc_notify *n)
{
	if (n->loop != NULL)
		ev_timer_stop(n->loop, &n->wd_timer);
	n->loop = NULL;
}
