/*
 * Live configuration changes (see config_reload.c): a whole new
 * configuration (a reload of the file) built beside the running one,
 * checked against what is running, then applied without touching the
 * established tunnels and sessions, or refused whole with the reason.
 */
#ifndef L2TP_CONFIG_RELOAD_H
#define L2TP_CONFIG_RELOAD_H

#include <stddef.h>

struct l2tpd;
struct l2tpd_config;

/*
 * Re-read the file at path (or the text) and apply the difference.  who
 * names the author for the audit log ("uid 0", "SIGHUP").  Returns the
 * number of configuration lines changed (0: nothing to do), or a negative
 * errno with the reason in err ("line N: ..." for a broken file); on
 * error nothing was applied.
 */
int config_reload_file(struct l2tpd *d, const char *path, const char *who, char *err,
		       size_t errsz);
int config_reload_string(struct l2tpd *d, const char *text, const char *who, char *err,
			 size_t errsz);

/*
 * Apply the configuration n (read from nothing, config_init'ed and loaded)
 * in place of the running one.  n is emptied and freed by the call in
 * every case.  Same returns as config_reload_file().
 */
int config_apply(struct l2tpd *d, struct l2tpd_config *n, const char *who, char *err,
		 size_t errsz);

/* Free the removed groups whose last tunnel is gone (each loop turn that
 * reaped tunnels).  Returns how many were freed. */
unsigned config_reload_reap(struct l2tpd *d);

#endif
