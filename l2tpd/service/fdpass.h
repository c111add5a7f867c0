/*
 * Descriptors across a Unix socket (SCM_RIGHTS, unix(7)), for the hitless
 * restart: the running daemon hands its sockets to the process replacing
 * it.  The socket is a SOCK_SEQPACKET pair, so each message keeps its
 * bounds and its descriptors arrive with it.
 *
 * The kernel takes at most SCM_MAX_FD (253) descriptors in one message
 * (net/core/scm.c: more and sendmsg fails with EINVAL), so a list is sent
 * in batches of at most SVC_FDPASS_BATCH, each saying where it starts and
 * how many there are in all: the receiver checks that every batch comes,
 * in order, whole (MSG_CTRUNC: its descriptor table was full).
 *
 * Knows nothing of L2TP; no globals.
 */
#ifndef L2TPD_SERVICE_FDPASS_H
#define L2TPD_SERVICE_FDPASS_H

#include <stddef.h>
#include <stdint.h>

#define SVC_FDPASS_BATCH	253	/* SCM_MAX_FD */
#define SVC_FDPASS_MSG_MAX	65536	/* one message's payload, octets */

/* One message: len octets (at most SVC_FDPASS_MSG_MAX) and nfds
 * descriptors (at most SVC_FDPASS_BATCH).  0 or a negative errno. */
int svc_fdpass_send(int sock, const void *buf, size_t len, const int *fds, size_t nfds);
/*
 * One message into buf (size octets), its descriptors into fds (room for
 * SVC_FDPASS_BATCH), their number in *nfds; received close-on-exec.
 * Waits at most timeout_ms.  The length, or -ETIMEDOUT, -EPIPE (the other
 * end closed), -EMSGSIZE (the message or its descriptors did not fit:
 * those that came are closed), another negative errno.
 */
int svc_fdpass_recv(int sock, void *buf, size_t size, int *fds, size_t *nfds, int timeout_ms);

/* A list of n descriptors, in batches.  0 or a negative errno. */
int svc_fdpass_send_list(int sock, const int *fds, size_t n);
/* The list the other end sends: *fds (malloc'd; free it, close them) and
 * *n.  0, or a negative errno (-EPROTO: a batch missing, out of order, or
 * not a batch); nothing is left open on an error. */
int svc_fdpass_recv_list(int sock, int **fds, size_t *n, int timeout_ms);

#endif
