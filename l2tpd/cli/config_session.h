/*
 * `configure terminal` on the control socket (see config_session.c): one
 * connection's configuration mode, its stack of sub-modes, and each line
 * applied live as its own transaction.
 */
#ifndef L2TP_CONFIG_SESSION_H
#define L2TP_CONFIG_SESSION_H

#include <stddef.h>

struct l2tpd;
struct out;
struct cfg_session;

/* A session in (config) mode for a client (uid -1: not known). */
struct cfg_session *cfg_session_new(struct l2tpd *d, long uid);
void cfg_session_free(struct cfg_session *s);
/*
 * Run one line in the session: a configuration command of the current
 * mode (applied at once, or refused whole with the reason), `exit` (leave
 * the sub-mode; at the top, the session), `end` (leave the session), `do
 * COMMAND` (an EXEC command).  Output and errors go to o.  Returns 1 while
 * the session goes on, 0 once it has ended.
 */
int cfg_session_line(struct cfg_session *s, const char *line, struct out *o);
/* The prompt of the current mode: "HOSTNAME(config-vpdn)#". */
void cfg_session_prompt(const struct cfg_session *s, char *buf, size_t size);
/* The mode names of IOS's prompts: "config", "config-vpdn", ... */
const char *cfg_session_mode_prompt(int mode);

/* `write memory`: the running configuration to path, atomically, the
 * previous file kept as path.bak.  0, or -errno with the reason in err. */
int config_write_file(struct l2tpd *d, const char *path, char *err, size_t errsz);

#endif
