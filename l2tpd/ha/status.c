/*
 * Read accessors of the HA state for the operator's show commands (see
 * status.h).
 */
#include <string.h>

#include "ha/status.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "l2tpd.h"

static uint64_t ha_status_since(const struct l2tpd *d, uint64_t then)
{
	uint64_t now = clock_now(&d->clk);

	return now > then ? now - then : 0;
}

void ha_status_get(const struct l2tpd *d, struct ha_status *st)
{
	const struct l2tpd_ha *ha = &d->ha;

	memset(st, 0, sizeof *st);
	st->role = ha->role;
	st->role_ms = ha_status_since(d, ha->role_since_ms);
	st->link = ha->link != NULL;
	st->standby_in_sync = ha->standby_in_sync;
	st->synced = ha->link && ha_link_standby_synced(ha->link);
	st->rx_records = ha->link ? ha_link_standby_rx_count(ha->link) : ha->stats.records_rx;
	st->tunnels_resyncing = ha->tunnels_resyncing;
	st->sessions_rebuilding = ha->rebuild.running;
	st->last_seq = ha->last_seq;
	st->acked_seq = ha->acked_seq;
	st->egress_queued = ha->egress_n;
	st->stats = ha->stats;
	st->cfg_digest = ha->cfg_digest;
	st->cfg_local_digest = ha->cfg_local_digest;
	st->cfg_received = ha->cfg_received;
	st->cfg_mismatch = ha->cfg_mismatch;
	memcpy(st->cfg_why, ha->cfg_why, sizeof st->cfg_why);
	if (ha->link)
		ha_link_get_stats(ha->link, &st->link_stats);
	if (ha->shadow)
		ha_shadow_get_stats(ha->shadow, &st->shadow_stats);
}

enum ha_role ha_status_role(const struct l2tpd *d)
{
	return d->ha.role;
}

const struct ha_shadow *ha_status_shadow(const struct l2tpd *d)
{
	return d->ha.shadow;
}

void ha_status_tunnel(const struct l2tpd *d, const struct l2tp_tunnel *t,
		      struct ha_tunnel_status *ts)
{
	memset(ts, 0, sizeof *ts);
	ts->enabled = t->sso != 0;
	ts->established = ha_tunnel_established(t) != 0;
	ts->resyncing = t->resyncing != 0;
	ts->resync_result = t->resync_result;
	ts->resync_ms = t->resyncing ? ha_status_since(d, t->resync_start_ms) : t->resync_ms;
	ts->resync_window = t->resync_window;
}

int ha_status_session_established(const struct l2tp_session *s)
{
	return ha_session_established(s) != 0;
}

int ha_status_session_rebuilt(const struct l2tp_session *s)
{
	return s->ha_rebuilt != 0;
}
