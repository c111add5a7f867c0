/*
 * The l2tpctl client's parts (l2tpctl.c: one command a connection;
 * l2tpctl_session.c: `configure terminal` sessions).
 */
#ifndef L2TPCTL_H
#define L2TPCTL_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#define L2TPCTL_DEFAULT_SOCKET	"/run/l2tpd/control"	/* CONFIG_DEFAULT_SOCKET */
#define L2TPCTL_LINE_MAX	4096			/* the daemon's limit, '\n' included */
#define L2TPCTL_ANSWER_MAX	(64u << 20)
#define L2TPCTL_TIMEOUT		30
#define L2TPCTL_PROMPT_RECORD	'\x1e'		/* CTL_PROMPT_RECORD of the daemon */

enum { EXIT_OK = 0, EXIT_REFUSED = 1, EXIT_UNREACHABLE = 2 };

/* A connected socket to the daemon, or -1 (said on stderr). */
int l2tpctl_connect(const char *path);
void l2tpctl_deadline(struct timespec *deadline, long timeout);
long l2tpctl_ms_left(const struct timespec *deadline);
int l2tpctl_wait(int fd, short events, const struct timespec *deadline);
int l2tpctl_send(int fd, const char *buf, size_t len, const struct timespec *deadline);
/* Read to EOF into a growing buffer (*out, malloc'd). */
int l2tpctl_recv(int fd, char **out, size_t *outlen, const struct timespec *deadline);
/* An error answer: "% ..." in text, {"error": ...} in JSON. */
int l2tpctl_is_error(const char *a, int json);
/* One command line (newline included) to the daemon, its answer to out
 * (a refusal in text to stderr); the exit status. */
int l2tpctl_exchange(const char *path, const char *line, size_t len, long timeout, int json,
		     FILE *out);

/* `l2tpctl configure`: standard input's lines in a configure terminal
 * session, stopping at the first refused one; the exit status. */
int l2tpctl_configure(const char *path, long timeout);

#endif
