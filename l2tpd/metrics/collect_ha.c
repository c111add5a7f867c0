/*
 * The families of HA (`show l2tp redundancy [detail]`, through
 * ha/status.h): the role, the standby in sync, the checkpoint records and
 * lag, the waits of the output commit, takeovers and resyncs.
 */
#include "l2tpd.h"
#include "ha/status.h"
#include "metrics/metrics.h"
#include "metrics/prom.h"

static void metrics_ha_role(struct prom *p, const struct ha_status *st)
{
	prom_family(p, "l2tpd_ha_role", "gauge", "The HA role of this box: 1 for the role it "
		    "has, 0 for the others.");
	for (int r = HA_ROLE_STANDALONE; r <= HA_ROLE_FAULT; r++)
		prom_sample(p, st->role == (enum ha_role)r, "role",
			    ha_role_string((enum ha_role)r), NULL, NULL);
	prom_gauge1(p, "l2tpd_ha_role_seconds", "Time in the current HA role.",
		    st->role_ms / 1000);
	prom_gauge1(p, "l2tpd_ha_standby_in_sync", "1 when the pair is in sync: on the active, "
		    "a standby acknowledged its bulk copy; on the standby, it holds one.",
		    st->role == HA_ROLE_ACTIVE ? st->standby_in_sync :
		    st->role == HA_ROLE_STANDBY ? st->synced : 0);
}

static void metrics_ha_checkpoint(struct prom *p, const struct ha_status *st)
{
	prom_family(p, "l2tpd_ha_checkpoint_records_total", "counter",
		    "Checkpoint records streamed to the standby (active) and applied (standby).");
	prom_sample(p, st->stats.records_tx, "direction", "sent", NULL, NULL);
	prom_sample(p, st->stats.records_rx, "direction", "applied", NULL, NULL);
	prom_gauge1(p, "l2tpd_ha_checkpoint_lag_records", "Records emitted and not yet "
		    "acknowledged by the standby (active).",
		    st->last_seq > st->acked_seq ? st->last_seq - st->acked_seq : 0);
	prom_gauge1(p, "l2tpd_ha_checkpoint_held_packets", "Packets held now until the standby "
		    "acknowledges the state they reflect.", st->egress_queued);
	prom_family(p, "l2tpd_ha_checkpoint_wait_seconds", "histogram", "How long packets "
		    "waited for the standby's acknowledgement (output commit).");
	prom_histogram(p, &st->stats.egress_wait);
	prom_counter1(p, "l2tpd_ha_link_auth_refused_total", "Checkpoint link peers refused "
		      "(wrong CURVE key).", st->link_stats.auth_refused);
	prom_counter1(p, "l2tpd_ha_link_bulk_syncs_total", "Bulk copies sent (active) or "
		      "received (standby).", st->link_stats.bulks);
}

static void metrics_ha_takeover(struct l2tpd *d, struct prom *p, const struct ha_status *st)
{
	prom_counter1(p, "l2tpd_ha_takeovers_total", "Standby to active.", st->stats.takeovers);
	prom_counter1(p, "l2tpd_ha_demotions_total", "Active gone silent (told BACKUP or FAULT).",
		      st->stats.demotions);
	prom_family(p, "l2tpd_ha_tunnels_resynced_total", "counter", "Tunnels resynchronised "
		    "after a takeover, by result.");
	prom_sample(p, st->stats.resync_ok, "result", "success", NULL, NULL);
	prom_sample(p, st->stats.resync_fail, "result", "failure", NULL, NULL);
	prom_gauge1(p, "l2tpd_ha_tunnels_resyncing", "Tunnels still resynchronising.",
		    st->tunnels_resyncing);
	prom_counter1(p, "l2tpd_ha_resync_refused_calls_total", "New calls refused with cause "
		      "611 while their tunnel resynchronised.", st->stats.resync_refused);
	prom_family(p, "l2tpd_ha_resync_duration_seconds", "histogram", "How long each tunnel "
		    "took to resynchronise after a takeover.");
	prom_histogram(p, &d->metrics->resync);
}

void metrics_collect_ha(struct l2tpd *d, struct prom *p)
{
	struct ha_status st;

	ha_status_get(d, &st);
	metrics_ha_role(p, &st);
	metrics_ha_checkpoint(p, &st);
	metrics_ha_takeover(d, p, &st);
}
