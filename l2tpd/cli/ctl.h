/*
 * The control socket: a Unix stream socket (default /run/l2tpd/control).
 * Protocol: the client writes one command line ending in '\n'; a line
 * starting with "json " asks for JSON.  The daemon answers with the
 * command's output and closes the connection.  Output beginning with "% "
 * (text) or an object with an "error" key (JSON) is an error.
 *
 * A connection whose first line is `configure terminal` (root only) is a
 * configuration session: it stays open, and every line (the first
 * included) is answered by its output followed by one record line,
 * CTL_PROMPT_RECORD then the prompt of the mode the session is in
 * ("lns1(config-vpdn)#"; "lns1#" once `end`, or `exit` from the top, has
 * ended it, and the daemon closes the connection after that answer).
 */
#ifndef L2TP_CTL_H
#define L2TP_CTL_H

#include <stddef.h>

struct l2tpd;

#define CTL_PROMPT_RECORD	'\x1e'	/* ASCII RS: starts a session's prompt record */

int ctl_open(struct l2tpd *d, const char *path, char *err, size_t errsz);
void ctl_close(struct l2tpd *d);
/* The hitless restart (cli/restart.c): the listening socket to hand over,
 * accepting stopped (0) or again (1), and the new process taking the
 * handed socket as it is (connections waiting in its backlog included). */
int ctl_fd(const struct l2tpd *d);
void ctl_accepting(struct l2tpd *d, int on);
int ctl_adopt(struct l2tpd *d, const char *path, int fd, char *err, size_t errsz);

#endif
