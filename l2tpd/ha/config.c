/*
 * The pair's configurations kept in step (see ha.h, ha_config_*).
 *
 * The active sends its running configuration (its redundancy block left
 * out: each box keeps its own) in a Config record at every bulk sync and
 * after every accepted change; the standby applies it as a reload would,
 * then compares the digest of its own with the active's.  What it could
 * not take (a port, a source address: the sockets of the box) leaves the
 * two different: the mismatch is logged and shown, never silent.  HA knows
 * neither the text nor how to apply it: the command room registers the
 * two hooks (cli/config_sync.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ha/ha.h"
#include "ha/ha_int.h"
#include "haproto/ha_rec.h"
#include "l2tpd.h"

void ha_config_set_ops(struct l2tpd *d, const struct ha_config_ops *ops)
{
	d->ha.cfg_ops = ops;
}

void ha_config_changed(struct l2tpd *d, int save)
{
	struct ha_rec r;
	size_t len = 0;
	char *text;

	if (!ha_streaming(d) || d->ha.cfg_ops == NULL)
		return;
	text = d->ha.cfg_ops->text(d, &len);
	if (text == NULL) {
		log_msg(&d->log, LOG_ERR, "redundancy: out of memory for the configuration record; "
			"the standby's configuration may lag");
		return;
	}
	if (len > HA_CONFIG_SEND_MAX) {
		log_msg(&d->log, LOG_WARNING, "redundancy: the running configuration (%zu bytes) is "
			"larger than a checkpoint record may be (%u): not sent; compare the "
			"standby's by hand", len, HA_CONFIG_SEND_MAX);
		d->ha.cfg_digest = 0;
		free(text);
		return;
	}
	memset(&r, 0, sizeof r);
	r.type = HA_REC_CONFIG;
	r.u.config.text = text;
	r.u.config.len = len;
	r.u.config.digest = ha_rec_digest(text, len);
	r.u.config.save = !!save;
	d->ha.cfg_digest = r.u.config.digest;
	ha_emit_record(d, &r);
	free(text);
}

/* Standby: the active's configuration arrived. */
void ha_config_received(struct l2tpd *d, const struct ha_config_rec *c)
{
	char why[384] = "", *mine;
	size_t len = 0;
	int was = d->ha.cfg_mismatch, r;

	if (d->ha.cfg_ops == NULL)
		return;
	d->ha.cfg_received = 1;
	d->ha.cfg_digest = c->digest;
	r = d->ha.cfg_ops->apply(d, c->text, c->len, c->save, why, sizeof why);
	mine = d->ha.cfg_ops->text(d, &len);
	d->ha.cfg_local_digest = mine ? ha_rec_digest(mine, len) : 0;
	free(mine);
	d->ha.cfg_mismatch = r < 0 || d->ha.cfg_local_digest != c->digest;
	if (d->ha.cfg_mismatch && why[0] == '\0')
		snprintf(why, sizeof why, "the configurations differ after applying the active's");
	snprintf(d->ha.cfg_why, sizeof d->ha.cfg_why, "%s", d->ha.cfg_mismatch ? why : "");
	if (d->ha.cfg_mismatch)
		log_msg(&d->log, LOG_WARNING, "redundancy: configuration MISMATCH with the active "
			"(digest %016llx, ours %016llx): %s", (unsigned long long)c->digest,
			(unsigned long long)d->ha.cfg_local_digest, why);
	else if (was)
		log_msg(&d->log, LOG_NOTICE, "redundancy: configuration in step with the active "
			"again (digest %016llx)", (unsigned long long)c->digest);
}
