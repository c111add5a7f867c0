/*
 * The configuration file reader: lines, comments and indentation into
 * modes, each line run by the command engine (cli/cmd.h) against the
 * configuration model (core/config.h).
 */
#ifndef L2TP_CONFIG_LOAD_H
#define L2TP_CONFIG_LOAD_H

#include <stddef.h>

struct l2tpd_config;

/*
 * Read a configuration file / text into cfg (initialised by the caller),
 * all or nothing.  On error returns a negative errno and writes "line N:
 * reason" to err.
 */
int config_load_file(struct l2tpd_config *cfg, const char *path, char *err, size_t errsz);
int config_load_string(struct l2tpd_config *cfg, const char *text, char *err, size_t errsz);
/*
 * The checks a file gets at its end (what one line cannot tell: a
 * request-dialin group's initiate-to, the templates, pools and bba-groups
 * that lines name, the redundancy block, RADIUS keys), on a configuration
 * built otherwise (`configure terminal`).  0, or -EINVAL with the reason,
 * without a line number, in err.
 */
int config_check_complete(struct l2tpd_config *cfg, char *err, size_t errsz);

#endif
