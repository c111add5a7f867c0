/*
 * The control socket: a Unix stream socket (default /run/l2tpd/control).
 * Protocol: the client writes one command line ending in '\n'; a line
 * starting with "json " asks for JSON.  The daemon answers with the
 * command's output and closes the connection.  Output beginning with "% "
 * (text) or an object with an "error" key (JSON) is an error.
 */
#ifndef L2TP_CTL_H
#define L2TP_CTL_H

#include <stddef.h>

struct l2tpd;

int ctl_open(struct l2tpd *d, const char *path, char *err, size_t errsz);
void ctl_close(struct l2tpd *d);

#endif
