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
 * two hooks (cli/config_sync.c).  A configuration larger than one record
 * may be (HA_CONFIG_SEND_MAX) goes in parts, joined on the standby and
 * applied only whole, when its digest is the one the active sent.
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

/* A text larger than one record, in parts that each fit an older
 * standby's largest envelope (ha_rec.h), index 0 first. */
static void ha_config_send_parts(struct l2tpd *d, const char *text, size_t len, uint64_t digest,
				 int save)
{
	struct ha_rec r;
	uint32_t count = (uint32_t)((len + HA_CONFIG_PART_MAX - 1) / HA_CONFIG_PART_MAX);

	for (uint32_t i = 0; i < count; i++) {
		size_t off = (size_t)i * HA_CONFIG_PART_MAX;

		memset(&r, 0, sizeof r);
		r.type = HA_REC_CONFIG_PART;
		r.u.config.text = text + off;
		r.u.config.len = len - off < HA_CONFIG_PART_MAX ? len - off : HA_CONFIG_PART_MAX;
		r.u.config.digest = digest;
		r.u.config.save = !!save;
		r.u.config.index = i;
		r.u.config.count = count;
		r.u.config.total_len = (uint32_t)len;
		ha_emit_record(d, &r);
	}
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
	if (len > HA_CONFIG_MAX) {
		log_msg(&d->log, LOG_WARNING, "redundancy: the running configuration (%zu bytes) is "
			"larger than a configuration file may be (%u): not sent", len,
			HA_CONFIG_MAX);
		d->ha.cfg_digest = 0;
		free(text);
		return;
	}
	d->ha.cfg_digest = ha_rec_digest(text, len);
	if (len > HA_CONFIG_SEND_MAX) {
		ha_config_send_parts(d, text, len, d->ha.cfg_digest, save);
		free(text);
		return;
	}
	memset(&r, 0, sizeof r);
	r.type = HA_REC_CONFIG;
	r.u.config.text = text;
	r.u.config.len = len;
	r.u.config.digest = d->ha.cfg_digest;
	r.u.config.save = !!save;
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

void ha_config_parts_drop(struct l2tpd *d)
{
	free(d->ha.cfg_parts.buf);
	memset(&d->ha.cfg_parts, 0, sizeof d->ha.cfg_parts);
}

/* A set of parts that cannot be joined: nothing of it is applied, and the
 * standby says so (the configurations may now differ). */
static void ha_config_parts_fail(struct l2tpd *d, const char *why)
{
	ha_config_parts_drop(d);
	d->ha.cfg_received = 1;
	d->ha.cfg_mismatch = 1;
	snprintf(d->ha.cfg_why, sizeof d->ha.cfg_why, "%s: not applied", why);
	log_msg(&d->log, LOG_WARNING, "redundancy: configuration MISMATCH with the active: %s",
		d->ha.cfg_why);
}

/* Part 0 opens a set (a set left half received is dropped: the active
 * sends the whole again, after a reconnection say). */
static int ha_config_parts_open(struct l2tpd *d, const struct ha_config_rec *c)
{
	if (d->ha.cfg_parts.buf != NULL)
		log_msg(&d->log, LOG_WARNING, "redundancy: configuration from the active: %u of %u "
			"parts came, then a new configuration: the incomplete one dropped",
			d->ha.cfg_parts.next, d->ha.cfg_parts.count);
	ha_config_parts_drop(d);
	d->ha.cfg_parts.buf = malloc((size_t)c->total_len + 1);
	if (d->ha.cfg_parts.buf == NULL) {
		ha_config_parts_fail(d, "out of memory for the active's configuration");
		return -1;
	}
	d->ha.cfg_parts.digest = c->digest;
	d->ha.cfg_parts.count = c->count;
	d->ha.cfg_parts.total_len = c->total_len;
	d->ha.cfg_parts.save = c->save;
	return 0;
}

void ha_config_part_received(struct l2tpd *d, const struct ha_config_rec *c)
{
	struct ha_config_rec whole;
	char why[160];

	if (d->ha.cfg_ops == NULL)
		return;
	if (c->index == 0 && ha_config_parts_open(d, c) < 0)
		return;
	if (d->ha.cfg_parts.buf == NULL || c->index != d->ha.cfg_parts.next ||
	    c->count != d->ha.cfg_parts.count || c->digest != d->ha.cfg_parts.digest ||
	    c->total_len != d->ha.cfg_parts.total_len ||
	    c->len > d->ha.cfg_parts.total_len - d->ha.cfg_parts.have) {
		snprintf(why, sizeof why, "configuration part %u of %u from the active came "
			 "without the parts before it", c->index + 1, c->count);
		ha_config_parts_fail(d, why);
		return;
	}
	memcpy(d->ha.cfg_parts.buf + d->ha.cfg_parts.have, c->text, c->len);
	d->ha.cfg_parts.have += (uint32_t)c->len;
	if (++d->ha.cfg_parts.next < d->ha.cfg_parts.count) {
		/* until the last part, the previous configuration runs: said */
		d->ha.cfg_received = 1;
		d->ha.cfg_mismatch = 1;
		snprintf(d->ha.cfg_why, sizeof d->ha.cfg_why, "the active's configuration is "
			 "incomplete here (%u of %u parts): the previous one runs",
			 d->ha.cfg_parts.next, d->ha.cfg_parts.count);
		return;
	}
	d->ha.cfg_parts.buf[d->ha.cfg_parts.have] = '\0';
	if (d->ha.cfg_parts.have != d->ha.cfg_parts.total_len ||
	    ha_rec_digest(d->ha.cfg_parts.buf, d->ha.cfg_parts.have) != d->ha.cfg_parts.digest) {
		snprintf(why, sizeof why, "the active's configuration joined from %u parts "
			 "is not the one it sent (%u of %u bytes, digest differs)",
			 d->ha.cfg_parts.count, d->ha.cfg_parts.have, d->ha.cfg_parts.total_len);
		ha_config_parts_fail(d, why);
		return;
	}
	memset(&whole, 0, sizeof whole);
	whole.text = d->ha.cfg_parts.buf;
	whole.len = d->ha.cfg_parts.have;
	whole.digest = d->ha.cfg_parts.digest;
	whole.save = d->ha.cfg_parts.save;
	ha_config_received(d, &whole);
	ha_config_parts_drop(d);
}
