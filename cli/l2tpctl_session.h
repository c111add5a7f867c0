/*
 * A `configure terminal` session of the control socket, the client's side
 * (l2tpctl_session.c), for `l2tpctl configure` and the interactive shell.
 */
#ifndef L2TPCTL_SESSION_H
#define L2TPCTL_SESSION_H

#include <stddef.h>

struct l2tpctl_sess {
	int fd;
	long timeout;			/* s for each answer */
	char *buf;			/* what came after the last answer */
	size_t len, cap;
	char prompt[128];		/* of the last answer: "host(config)#", "host#" */
};

/* Connect (-1, said on stderr, if not). */
int l2tpctl_sess_open(struct l2tpctl_sess *s, const char *path, long timeout);
void l2tpctl_sess_close(struct l2tpctl_sess *s);
/* Send `configure terminal` / one line; its answer's text in *text
 * (malloc'd), the prompt in s->prompt.  0 or -errno. */
int l2tpctl_sess_start(struct l2tpctl_sess *s, char **text);
int l2tpctl_sess_line(struct l2tpctl_sess *s, const char *line, char **text);
/* The daemon ended the session (end, exit from the top). */
int l2tpctl_sess_ended(const struct l2tpctl_sess *s);

#endif
