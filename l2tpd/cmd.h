/*
 * The command table: one grammar for the configuration file and for the
 * EXEC commands arriving on the control socket (show, clear, debug, test).
 * `show running-config` is printed from the live configuration by the same
 * table, so what the parser accepts and what it prints cannot drift apart.
 */
#ifndef L2TP_CMD_H
#define L2TP_CMD_H

#include <stddef.h>

struct l2tpd;
struct l2tpd_config;
struct out;

/* Run one EXEC command line; output (or "% error") goes to o.  0 or -errno. */
int cmd_exec(struct l2tpd *d, const char *line, struct out *o);

/* Print the running configuration through the command table. */
void cmd_running_config(const struct l2tpd_config *cfg, struct out *o);

#endif
