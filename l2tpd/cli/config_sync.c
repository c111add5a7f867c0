/*
 * The command room's side of the pair's configurations (ha/config.c): the
 * text the active sends, its running configuration without the redundancy
 * block (each box keeps its own), and its application on the standby, the
 * way a reload applies a file, the standby's own redundancy block kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/config_load.h"
#include "cli/config_reload.h"
#include "cli/config_session.h"
#include "cli/config_sync.h"
#include "core/config.h"
#include "core/out.h"
#include "ha/ha.h"
#include "l2tpd.h"

static char *config_sync_text(struct l2tpd *d, size_t *len)
{
	struct l2tpd_config c;
	struct out o;
	char *text;

	if (config_clone(&c, &d->cfg) < 0)
		return NULL;
	config_redundancy_defaults(&c.red);
	out_init(&o, 0);
	cmd_running_config(&c, &o);
	config_free(&c);
	if (o.err) {
		out_free(&o);
		return NULL;
	}
	text = o.buf ? o.buf : strdup("");
	o.buf = NULL;
	*len = text ? strlen(text) : 0;
	out_free(&o);
	return text;
}

static int config_sync_apply(struct l2tpd *d, const char *text, size_t len, int save,
			     char *why, size_t whysz)
{
	struct l2tpd_config n;
	char err[384];
	int r;

	config_init(&n);
	r = config_load_string(&n, text, err, sizeof err);
	if (r < 0) {
		snprintf(why, whysz, "the active's configuration does not load here: %s", err);
		config_free(&n);
		return r;
	}
	n.red = d->cfg.red;		/* this box's own */
	r = config_apply(d, &n, "the active (checkpoint)", err, sizeof err);
	if (r < 0) {
		snprintf(why, whysz, "refused here: %s", err);
		return r;
	}
	if (save && config_write_file(d, d->cfg_path, err, sizeof err) < 0) {
		snprintf(why, whysz, "write memory of the active not done here: %s", err);
		log_msg(&d->log, LOG_ERR, "redundancy: %s", why);
		return -EIO;
	}
	if (save)
		log_msg(&d->log, LOG_NOTICE, "redundancy: write memory on the active: the running "
			"configuration saved to %s here too", d->cfg_path);
	return 0;
}

static const struct ha_config_ops config_sync_ops = {
	.text = config_sync_text,
	.apply = config_sync_apply,
};

void config_sync_init(struct l2tpd *d)
{
	ha_config_set_ops(d, &config_sync_ops);
}
