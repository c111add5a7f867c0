/*
 * The service manager's notification protocol (sd_notify(3), written out:
 * a datagram to the Unix socket named by $NOTIFY_SOCKET), and the
 * watchdog fed from the event loop.  Under systemd (Type=notify) the
 * daemon says READY=1 once its configuration is loaded and its sockets
 * are open, RELOADING=1 ... READY=1 around a reload (SIGHUP), STOPPING=1
 * when it starts shutting down, and WATCHDOG=1 every half of
 * $WATCHDOG_USEC from a timer of the event loop: a loop that is wedged
 * stops feeding it, and systemd restarts the service.  Without
 * $NOTIFY_SOCKET everything here does nothing.
 *
 * No globals: the state lives in the caller's struct (struct l2tpd's
 * `notify`).  Knows nothing of L2TP.
 */
#ifndef L2TPD_SERVICE_NOTIFY_H
#define L2TPD_SERVICE_NOTIFY_H

#include <ev.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

struct svc_notify {
	int fd;				/* datagram socket, -1: no service manager */
	struct sockaddr_un sa;
	socklen_t salen;
	uint64_t watchdog_us;		/* $WATCHDOG_USEC meant for us; 0: no watchdog */
	ev_timer wd_timer;
	struct ev_loop *loop;
	uint64_t sent, errors;		/* datagrams */
	uint64_t watchdog_sent;
};

/*
 * Read $NOTIFY_SOCKET (a path, or "@name" in the abstract namespace) and
 * $WATCHDOG_USEC (taken only when $WATCHDOG_PID is unset or ours).
 * 0 (also when there is no service manager), or a negative errno with the
 * reason in err (a malformed variable, no socket).
 */
int svc_notify_init(struct svc_notify *n, char *err, size_t errsz);
void svc_notify_close(struct svc_notify *n);
/* Is there a service manager to tell? */
int svc_notify_enabled(const struct svc_notify *n);
/* Send one notification ("READY=1\nSTATUS=..."); 0, or a negative errno
 * (counted); 0 without a service manager. */
int svc_notify_send(struct svc_notify *n, const char *msg);
/* printf-like svc_notify_send. */
int svc_notify_sendf(struct svc_notify *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* RELOADING=1 with the MONOTONIC_USEC systemd asks for (systemd.service(5)). */
int svc_notify_reloading(struct svc_notify *n);
/* Start the watchdog timer on loop (every watchdog_us / 2), sending the
 * first WATCHDOG=1 now; nothing without a watchdog. */
void svc_notify_watchdog_start(struct svc_notify *n, struct ev_loop *loop);
void svc_notify_watchdog_stop(struct svc_notify *n);

#endif
