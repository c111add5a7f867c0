/*
 * The hitless restart (l2tpd(8), "Restarting without loss"): `l2tpctl
 * restart [binary PATH]` starts a new daemon (the installed binary, or
 * PATH) with the same arguments and --takeover-from FD, FD its end of a
 * Unix SOCK_SEQPACKET pair.  On it:
 *
 *	old		waits (reads nothing: the command is answered at the end)
 *	new -> old	HELLO (its PID): configuration read, ready to take over
 *	old		stops watching its sockets, closes the checkpoint link
 *	old -> new	START (role, number of descriptors), the descriptors'
 *			kinds, the descriptors (service/fdpass.h: batches of
 *			at most 253), RECORDS (ha/restart.c's), END
 *	new		takes the sockets, rebuilds, tells systemd MAINPID=
 *	new -> old	RUNNING (PID, tunnels, sessions) or FAILED (why)
 *	old		answers the command; exits (RUNNING) or reads its
 *			sockets again and reopens what it closed (anything else,
 *			the new process killed)
 *
 * The old process says nothing to the peers and deletes nothing: the
 * tunnels' sockets, and what they hold unread, are the new one's.
 */
#ifndef L2TPD_CLI_RESTART_H
#define L2TPD_CLI_RESTART_H

#include <stddef.h>
#include <stdint.h>

struct l2tpd;
struct restart_in;

#define RESTART_HELLO_MS	10000	/* for the new process to read its configuration */
#define RESTART_RUN_MS		15000	/* for it to rebuild and say it runs */

/* The process before: path NULL is the installed binary (the one running,
 * as /proc/self/exe names it).  0: the new process runs, this one exits at
 * the end of the loop turn (d->restart_exit), the summary in msg; or a
 * negative errno with the reason in msg, this process serving on. */
int restart_run(struct l2tpd *d, const char *path, char *msg, size_t msgsz);
/* Refused before anything is started: -EOPNOTSUPP with the reason in msg
 * (a standby, a data path or access ports that cannot hand over, the
 * LAC's test subscribers, shutting down); else 0. */
int restart_refused(struct l2tpd *d, char *msg, size_t msgsz);
/* The new binary said its checkpoint schema in its HELLO (4 when it did
 * not): -EPROTONOSUPPORT with the reason in msg when it does not know the
 * records of PPPoE sessions terminated here and there are some (they
 * would be dropped); else 0. */
int restart_schema_refused(struct l2tpd *d, uint32_t schema, char *msg, size_t msgsz);
/* The exit itself: nothing said, nothing deleted. */
void restart_exit(struct l2tpd *d);

/* The new process, before l2tpd_start(): the state and descriptors on fd;
 * d->handover_listen_fd and handover_ctl_fd set.  0 or a negative errno. */
int restart_receive(struct l2tpd *d, int fd, struct restart_in **in, char *err, size_t errsz);
/* ... after it: rebuild, tell the process before.  0 or a negative errno. */
int restart_finish(struct l2tpd *d, struct restart_in *in, char *err, size_t errsz);
/* ... failed: tell the process before why, and exit (no cleanup: the
 * sockets and the control socket's path are still the other one's). */
void restart_abort(struct restart_in *in, int fd, const char *why) __attribute__((noreturn));

#endif
