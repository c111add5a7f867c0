/*
 * `show l2tp|vpdn redundancy [all | [detail] [id T [S]]]` (see
 * cmd_redundancy_show.h).
 *
 * The layout follows IOS's L2TP HA Session SSO output: a summary (HA
 * support, checkpoint messaging, standby up, messages received, tunnels and
 * sessions total/HA-enabled/HA-established, resynced tunnels, resync
 * duration), then with `all` a tunnel table ("CC checkpoint status") and a
 * session table ("waiting for VPDN application / L2TP protocol"), and with
 * `detail id T S` one session in full.  To it we add what an operator of a
 * pair asks next: the role and since when, where the other box is, the
 * checkpoint link's counters and the last takeover.
 *
 * The active (or a daemon without a pair) reports its live tunnels.  A
 * standby has none: it reports its role, the link and what its shadow store
 * holds, never totals only the active knows.  What HA knows comes through
 * its read accessors (ha/status.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd_redundancy_show.h"
#include "cli/cmd_redundancy_wait.h"
#include "core/out.h"
#include "ha/status.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "l2tpd.h"
#include "pppoe/access.h"

struct cmd_redundancy_counts {
	unsigned tunnels, t_ha, t_est, t_resync;
	unsigned sessions, s_ha, s_est;
	unsigned lac_tunnels, lac_t_est, lac_sessions, lac_s_est;	/* ours as LAC */
	unsigned pppoe, pppoe_est;	/* the access side's, checkpointed */
};

/* One rendering: the request, and what HA said when it began. */
struct cmd_redundancy_view {
	struct l2tpd *d;
	struct out *o;
	const struct cmd_redundancy_req *rq;
	const char *proto;		/* "L2TP" or "VPDN" */
	struct ha_status hs;
};

/* ---- counters (the text of each in its show's layout) ---- */

/* struct ha_link_stats (haproto/ha_link.h): the checkpoint link, in two
 * parts around the sequence numbers and the egress queue. */
enum { CMD_RED_LINK_MSGS = 1, CMD_RED_LINK_MORE };

#define CMD_RED_LINK(member, fmt, group) \
	OUT_COUNTER_GROUP(struct ha_link_stats, member, #member, fmt, CMD_RED_LINK_##group)

static const struct out_counter cmd_redundancy_link_counters[] = {
	CMD_RED_LINK(tx_records, "  Records sent %u", MSGS),
	CMD_RED_LINK(tx_bytes, " (%u bytes", MSGS),
	CMD_RED_LINK(tx_msgs, " in %u messages)", MSGS),
	CMD_RED_LINK(rx_records, ", received %u", MSGS),
	CMD_RED_LINK(rx_bytes, " (%u bytes)\n", MSGS),
	CMD_RED_LINK(tx_acks, "  Acknowledgements sent %u", MSGS),
	CMD_RED_LINK(rx_acks, ", received %u", MSGS),
	CMD_RED_LINK(bulks, "  Bulk syncs %u", MORE),
	CMD_RED_LINK(bulk_records, ", last %u records", MORE),
	CMD_RED_LINK(bulk_ms, " in %u ms\n", MORE),
	CMD_RED_LINK(heartbeats_tx, "  Heartbeats sent %u", MORE),
	CMD_RED_LINK(heartbeats_rx, ", received %u", MORE),
	CMD_RED_LINK(peer_timeouts, "; peer timeouts %u\n", MORE),
	CMD_RED_LINK(auth_refused, "  Authentication refusals %u", MORE),
	CMD_RED_LINK(decode_errors, ", decode errors %u", MORE),
	CMD_RED_LINK(version_mismatch, ", version mismatches %u", MORE),
	CMD_RED_LINK(gaps, ", sequence gaps %u\n", MORE),
};

/* struct ha_stats (ha/ha.h): the HA engine's.  The summary prints the
 * resync and takeover figures (resync_ok, resync_fail, resync_duration_ms,
 * takeovers) in Cisco's layout, and the egress wait as percentiles of its
 * fine histogram (cmd_redundancy_wait.c). */
enum { CMD_RED_HA_EGRESS_HELD = 1, CMD_RED_HA_EGRESS_MAX, CMD_RED_HA_EGRESS_RELEASED,
       CMD_RED_HA_EVENTS };

#define CMD_RED_HA(member, fmt, group) \
	OUT_COUNTER_GROUP(struct ha_stats, member, #member, fmt, CMD_RED_HA_##group)

static const struct out_counter cmd_redundancy_ha_counters[] = {
	CMD_RED_HA(egress_held, "  Egress held %u packets", EGRESS_HELD),
	CMD_RED_HA(egress_wait_us_max, ", max %u us", EGRESS_MAX),
	CMD_RED_HA(egress_released_unacked, ", released unacknowledged %u\n", EGRESS_RELEASED),
	CMD_RED_HA(standby_ups, "Standby came up %u times", EVENTS),
	CMD_RED_HA(standby_downs, ", went down %u times", EVENTS),
	CMD_RED_HA(demotions, "; demoted %u times\n", EVENTS),
	CMD_RED_HA(takeover_tunnels, "Last takeover: rebuilt %u tunnels", EVENTS),
	CMD_RED_HA(takeover_sessions, " and %u sessions", EVENTS),
	CMD_RED_HA(takeover_rebuild_ms, " in %u ms", EVENTS),
	CMD_RED_HA(takeover_waiting, ", half-made %u", EVENTS),
	CMD_RED_HA(takeover_completed, " (finished by the peer %u)", EVENTS),
	CMD_RED_HA(takeover_cleared, ", cleared %u", EVENTS),
	CMD_RED_HA(takeover_errors, ", errors %u\n", EVENTS),
	CMD_RED_HA(resync_refused, "Calls refused while resyncing (cause 611): %u\n", EVENTS),
	CMD_RED_HA(records_tx, "Records emitted as active %u", EVENTS),
	CMD_RED_HA(records_rx, ", applied as standby %u\n", EVENTS),
};

/* struct ha_shadow_stats (haproto/ha_shadow.h): what a standby holds. */
static const struct out_counter cmd_redundancy_shadow_counters[] = {
	OUT_COUNTER(struct ha_shadow_stats, tunnels, "tunnels",
		    "Checkpointed tunnels:          %u\n"),
	OUT_COUNTER(struct ha_shadow_stats, sessions, "sessions",
		    "Checkpointed sessions:         %u\n"),
	OUT_COUNTER(struct ha_shadow_stats, msgs, "control_messages",
		    "Checkpointed control messages: %u\n"),
	OUT_COUNTER(struct ha_shadow_stats, pppoe, "pppoe_sessions",
		    "Checkpointed PPPoE sessions:   %u\n"),
	OUT_COUNTER(struct ha_shadow_stats, applied, "applied",
		    "Records applied:               %u\n"),
	OUT_COUNTER(struct ha_shadow_stats, ignored, "ignored",
		    "Records ignored:               %u\n"),
};

static const char *cmd_redundancy_show_bool(int v)
{
	return v ? "TRUE" : "FALSE";
}

/* The daemon acts on the network (and holds live tunnels) in these roles. */
static int cmd_redundancy_show_acting(const struct cmd_redundancy_view *v)
{
	return v->hs.role == HA_ROLE_STANDALONE || v->hs.role == HA_ROLE_ACTIVE;
}

static void cmd_redundancy_show_count(const struct l2tpd *d, struct cmd_redundancy_counts *c)
{
	const struct l2tp_tunnel *t;
	const struct l2tp_session *s;
	const struct pppoe_session *ps;
	struct ha_tunnel_status ts;

	memset(c, 0, sizeof *c);
	LIST_FOREACH(t, &d->tunnels, link) {
		if (t->dead)
			continue;
		ha_status_tunnel(d, t, &ts);
		c->tunnels++;
		c->t_ha += ts.enabled;
		c->t_est += ts.established;
		c->t_resync += ts.resyncing;
		c->lac_tunnels += !t->lns;
		c->lac_t_est += !t->lns && ts.established;
		LIST_FOREACH(s, &t->session_list, link) {
			int est = ha_status_session_established(s);

			c->sessions++;
			c->s_ha += ts.enabled;
			c->s_est += est;
			c->lac_sessions += !t->lns;
			c->lac_s_est += !t->lns && est;
		}
	}
	if (d->access == NULL)
		return;
	TAILQ_FOREACH(ps, &d->access->ac->sessions, link) {
		c->pppoe++;
		c->pppoe_est += ha_status_pppoe_checkpointed(d, ps);
	}
}

/* "ok", "failed", "running" or "-" (never resynchronised). */
static const char *cmd_redundancy_show_resync_state(const struct ha_tunnel_status *ts)
{
	if (ts->resyncing)
		return "running";
	if (ts->resync_result > 0)
		return "ok";
	if (ts->resync_result < 0)
		return "failed";
	return "-";
}

/* A session still being set up: nothing of it can survive a takeover yet. */
static int cmd_redundancy_show_waiting_app(const struct l2tp_session *s)
{
	return s->state != L2TP_SESSION_ESTABLISHED || (s->ppp && !s->ppp_up);
}

/* ---- the summary ---- */

static void cmd_redundancy_show_link_cfg(const struct cmd_redundancy_view *v)
{
	const struct config_redundancy *r = &v->d->cfg.red;
	struct out *o = v->o;
	char local[INET_ADDRSTRLEN], peer[INET_ADDRSTRLEN];

	if (!r->configured)
		return;
	inet_ntop(AF_INET, &r->local, local, sizeof local);
	inet_ntop(AF_INET, &r->peer, peer, sizeof peer);
	out_obj_open(o, "checkpoint_link");
	out_str(o, "local", "Checkpoint link: local %s", local);
	out_uint(o, "local_port", " port %u", r->local_port);
	out_str(o, "peer", ", peer %s", peer);
	out_uint(o, "peer_port", " port %u", r->peer_port);
	out_str(o, "security", ", security %s\n", r->curve ? "curve" : "none");
	out_obj_close(o);
}

/* The configurations of the pair (ha/config.c): sent, in step, or not. */
static void cmd_redundancy_show_config(const struct cmd_redundancy_view *v)
{
	struct out *o = v->o;
	const char *state;
	char hex[20];

	if (cmd_redundancy_show_acting(v))
		state = v->hs.cfg_digest ? "sent to the standby" : "not sent (no standby yet)";
	else if (!v->hs.cfg_received)
		state = "not received from an active";
	else
		state = v->hs.cfg_mismatch ? "MISMATCH with the active" : "in step with the active";
	snprintf(hex, sizeof hex, "%016llx", (unsigned long long)v->hs.cfg_digest);
	out_str(o, "config_state", "Configuration: %s", state);
	out_str(o, "config_digest", " (digest %s)", hex);
	if (v->hs.cfg_mismatch)
		out_str(o, "config_mismatch", ": %s", v->hs.cfg_why);
	out_text(o, "\n");
}

static void cmd_redundancy_show_role(const struct cmd_redundancy_view *v)
{
	struct out *o = v->o;
	char age[32];

	out_str(o, "role", "Redundancy role: %s", ha_role_string(v->hs.role));
	if (v->hs.role == HA_ROLE_STANDALONE) {
		out_text(o, " (no redundancy configured)\n");
		return;
	}
	out_fmt_age(age, sizeof age, v->hs.role_ms);
	out_text(o, ", for %s\n", age);
	out_uint(o, "role_seconds", NULL, v->hs.role_ms / 1000);
}

/*
 * The head of Cisco's summary, word for word (L2TP HA Session SSO/ISSU,
 * "Verifying the Checkpoint Status"): the HA support, then "L2TP HA
 * Status:", whether checkpoint messages flow, whether the standby is up;
 * the caller's JSON fields of those, then the checkpoint messages received.
 */
static void cmd_redundancy_show_status(const struct cmd_redundancy_view *v, int messaging,
				       int standby)
{
	struct out *o = v->o;
	int sso = v->d->cfg.sso;

	out_str(o, "ha_support", NULL, sso ? "silent_failover" : "off");
	out_text(o, "L2TP HA support: %s\n", sso ? "Silent Failover" : "off (no l2tp sso enable)");
	out_text(o, "L2TP HA Status:\n");
	out_text(o, "Checkpoint Messaging on: %s\n", cmd_redundancy_show_bool(messaging));
	out_text(o, "Standby RP is up: %s\n", cmd_redundancy_show_bool(standby));
}

/* After Cisco's lines, ours: a blank line, and without a standby first
 * Cisco's sentence. */
static void cmd_redundancy_show_no_standby(const struct cmd_redundancy_view *v, int standby)
{
	if (!standby)
		out_text(v->o, "\nNo HA CC of Session data to display until Standby RP is up.\n");
	out_text(v->o, "\n");
}

/*
 * The active (or a daemon without a pair): Cisco's summary, in which
 * "Checkpoint Messaging on" is the link streaming to a standby, "Standby RP
 * is up" a standby in sync, "Recv'd Message Count" the acknowledgements it
 * sent; then the role, the link, a warning without a standby, takeovers.
 */
static void cmd_redundancy_show_summary_active(const struct cmd_redundancy_view *v)
{
	const struct ha_stats *st = &v->hs.stats;
	struct out *o = v->o;
	struct cmd_redundancy_counts c;
	int messaging = v->hs.role == HA_ROLE_ACTIVE && v->hs.link;
	int standby = messaging && v->hs.standby_in_sync;
	/* A takeover is over once every tunnel resynced and every session
	 * was rebuilt (the sessions follow the tunnels, ha/takeover.c). */
	int busy = v->hs.tunnels_resyncing != 0 || v->hs.sessions_rebuilding;

	cmd_redundancy_show_count(v->d, &c);
	cmd_redundancy_show_status(v, messaging, standby);
	out_bool(o, "checkpoint_messaging", NULL, messaging);
	out_bool(o, "standby_up", NULL, standby);
	out_uint(o, "received_messages", "Recv'd Message Count: %u\n", v->hs.link_stats.rx_acks);
	out_obj_open(o, "tunnel_totals");
	out_uint(o, "total", "L2TP Tunnels: %u/", c.tunnels);
	out_uint(o, "ha_enabled", "%u/", c.t_ha);
	out_uint(o, "ha_established", "%u/", c.t_est);
	out_uint(o, "resyncing", "%u (total/HA-enabled/HA-est/resync)\n", c.t_resync);
	out_obj_close(o);
	out_obj_open(o, "session_totals");
	out_uint(o, "total", "L2TP Sessions: %u/", c.sessions);
	out_uint(o, "ha_enabled", "%u/", c.s_ha);
	out_uint(o, "ha_established", "%u (total/HA-enabled/HA-est)\n", c.s_est);
	out_obj_close(o);
	out_obj_open(o, "resynced_tunnels");
	out_uint(o, "success", "L2TP Resynced Tunnels: %u/", st->resync_ok);
	out_uint(o, "fail", "%u (success/fail)\n", st->resync_fail);
	out_obj_close(o);
	out_text(o, "Resync duration %u.%02u secs (%s)\n",
		 (unsigned)(st->resync_duration_ms / 1000),
		 (unsigned)(st->resync_duration_ms % 1000 / 10),
		 busy ? "in progress" : "complete");
	out_uint(o, "resync_duration_ms", NULL, st->resync_duration_ms);
	out_bool(o, "resync_in_progress", NULL, busy);
	cmd_redundancy_show_no_standby(v, standby);

	cmd_redundancy_show_role(v);
	cmd_redundancy_show_link_cfg(v);
	cmd_redundancy_show_config(v);
	/* Cisco's summary has no line of its own for the LAC's side */
	out_obj_open(o, "lac_totals");
	out_uint(o, "tunnels", "LAC Tunnels: %u/", c.lac_tunnels);
	out_uint(o, "tunnels_ha_established", "%u, ", c.lac_t_est);
	out_uint(o, "sessions", "Sessions: %u/", c.lac_sessions);
	out_uint(o, "sessions_ha_established", "%u, ", c.lac_s_est);
	out_uint(o, "pppoe_sessions", "PPPoE Sessions: %u/", c.pppoe);
	out_uint(o, "pppoe_ha_established", "%u (total/HA-est)\n", c.pppoe_est);
	out_obj_close(o);
	if (v->hs.role == HA_ROLE_STANDALONE)
		out_str(o, "warning", "Warning: %s\n",
			"no standby: tunnels and sessions will not survive a failover");
	else if (!standby)
		out_str(o, "warning", "Warning: %s\n",
			"standby not present: tunnels and sessions will not survive a failover");
	out_uint(o, "takeovers", "Takeovers: %u", st->takeovers);
	if (st->takeovers) {
		out_uint(o, "takeover_tunnels", ", last rebuilt %u tunnels", st->takeover_tunnels);
		out_uint(o, "takeover_sessions", ", %u sessions", st->takeover_sessions);
		out_uint(o, "takeover_pppoe_sessions", " and %u PPPoE sessions",
			 st->takeover_pppoe);
		out_uint(o, "takeover_pppoe_errors", " (%u not)", st->takeover_pppoe_errors);
		out_uint(o, "takeover_rebuild_ms", " in %u ms", st->takeover_rebuild_ms);
		out_uint(o, "takeovers_on_address", "; %u started by the virtual address",
			 st->vip_takeovers);
	}
	out_text(o, "\n");
}

/*
 * A standby (or a box waiting for keepalived, or in fault): the head of
 * Cisco's summary as it stands on this box ("Checkpoint Messaging on": in
 * sync with an active; "Standby RP is up": and this box its standby;
 * "Recv'd Message Count": the records applied), then what its store holds;
 * never the totals only the active knows.
 */
static void cmd_redundancy_show_summary_standby(const struct cmd_redundancy_view *v)
{
	const struct ha_shadow_stats *ss = &v->hs.shadow_stats;
	struct out *o = v->o;
	int synced = v->hs.synced;
	int up = synced && v->hs.role == HA_ROLE_STANDBY;

	cmd_redundancy_show_status(v, synced, up);
	out_bool(o, "in_sync", NULL, synced);
	out_uint(o, "received_messages", "Recv'd Message Count: %u (records applied)\n",
		 v->hs.rx_records);
	cmd_redundancy_show_no_standby(v, up);
	out_obj_open(o, "checkpointed");
	out_counters(o, OUT_COUNTERS(cmd_redundancy_shadow_counters), ss, OUT_ALL);
	out_obj_close(o);
	cmd_redundancy_show_role(v);
	cmd_redundancy_show_link_cfg(v);
	cmd_redundancy_show_config(v);
	if (v->hs.role == HA_ROLE_FAULT)
		out_str(o, "warning", "Warning: %s\n",
			"fault: silent, neither active nor standby");
	else if (v->hs.role == HA_ROLE_INIT)
		out_str(o, "warning", "Warning: %s\n",
			"waiting for keepalived: redundancy state master or backup");
	else if (!synced)
		out_str(o, "warning", "Warning: %s\n",
			"not in sync with an active: a takeover now would lose tunnels");
}

static void cmd_redundancy_show_link_stats(const struct cmd_redundancy_view *v)
{
	const struct ha_stats *st = &v->hs.stats;
	const struct ha_link_stats *ls = &v->hs.link_stats;
	struct out *o = v->o;
	out_obj_open(o, "link_stats");
	out_text(o, "\nCheckpoint link counters:\n");
	out_counters(o, OUT_COUNTERS(cmd_redundancy_link_counters), ls, CMD_RED_LINK_MSGS);
	out_uint(o, "last_seq", "; last seq %u", v->hs.last_seq);
	out_uint(o, "acked_seq", ", acknowledged %u\n", v->hs.acked_seq);
	out_counters(o, OUT_COUNTERS(cmd_redundancy_ha_counters), st, CMD_RED_HA_EGRESS_HELD);
	cmd_redundancy_wait_pct(o, st);
	out_counters(o, OUT_COUNTERS(cmd_redundancy_ha_counters), st, CMD_RED_HA_EGRESS_MAX);
	out_uint(o, "egress_queued", ", queued now %u", v->hs.egress_queued);
	out_counters(o, OUT_COUNTERS(cmd_redundancy_ha_counters), st,
		     CMD_RED_HA_EGRESS_RELEASED);
	out_counters(o, OUT_COUNTERS(cmd_redundancy_link_counters), ls, CMD_RED_LINK_MORE);
	cmd_redundancy_wait_hists(o, st);
	out_obj_close(o);
	out_obj_open(o, "events");
	out_counters(o, OUT_COUNTERS(cmd_redundancy_ha_counters), st, CMD_RED_HA_EVENTS);
	out_obj_close(o);
}

static void cmd_redundancy_show_summary(const struct cmd_redundancy_view *v)
{
	if (cmd_redundancy_show_acting(v))
		cmd_redundancy_show_summary_active(v);
	else
		cmd_redundancy_show_summary_standby(v);
}

/* ---- the active's tunnels and sessions ---- */

static void cmd_redundancy_show_tunnel_row(const struct cmd_redundancy_view *v,
					   const struct l2tp_tunnel *t)
{
	struct out *o = v->o;
	struct ha_tunnel_status ts;
	char ms[24] = "-";

	ha_status_tunnel(v->d, t, &ts);
	if (ts.resyncing || ts.resync_result)
		snprintf(ms, sizeof ms, "%llu", (unsigned long long)ts.resync_ms);
	out_obj_open(o, NULL);
	out_uint(o, "local_tunnel_id", "%-9u ", t->tid);
	out_uint(o, "remote_tunnel_id", "%-9u ", t->peer_tid);
	out_str(o, "state", "%-14.14s ", l2tp_tunnel_state_string(t->state));
	out_bool(o, "ha_enabled", NULL, ts.enabled);
	out_text(o, "%-3s ", ts.enabled ? "yes" : "no");
	out_bool(o, "ha_established", NULL, ts.established);
	out_text(o, "%-6s ", ts.established ? "yes" : "no");
	out_str(o, "resync", "%-7s ", cmd_redundancy_show_resync_state(&ts));
	out_text(o, "%-10s ", ms);
	out_uint(o, "resync_ms", NULL, ts.resync_ms);
	out_uint(o, "sessions", "%-8u ", t->n_sessions);
	out_str(o, "vpdn_group", "%s\n", t->grp ? t->grp->name : "-");
	out_obj_close(o);
}

static void cmd_redundancy_show_session_row(const struct cmd_redundancy_view *v,
					    const struct l2tp_session *s)
{
	struct out *o = v->o;
	struct ha_tunnel_status ts;
	int app = cmd_redundancy_show_waiting_app(s), est = ha_status_session_established(s);

	ha_status_tunnel(v->d, s->t, &ts);
	out_obj_open(o, NULL);
	out_uint(o, "local_session_id", "%-7u ", s->sid);
	out_uint(o, "remote_session_id", "%-7u ", s->peer_sid);
	out_uint(o, "tunnel_id", "%-7u ", s->t->tid);
	out_str(o, "state", "%-14.14s ", l2tp_session_state_string(s->state));
	out_bool(o, "ha_established", NULL, est);
	out_text(o, "%-6s ", est ? "yes" : "no");
	out_bool(o, "waiting_for_vpdn_application", NULL, app);
	out_text(o, "%-21s ", app ? "yes" : "no");
	out_bool(o, "waiting_for_l2tp_protocol", NULL, ts.resyncing);
	out_text(o, "%s\n", ts.resyncing ? "yes" : "no");
	out_obj_close(o);
}

static void cmd_redundancy_show_tunnel_detail(const struct cmd_redundancy_view *v,
					      const struct l2tp_tunnel *t)
{
	struct out *o = v->o;
	struct ha_tunnel_status ts;
	char laddr[INET_ADDRSTRLEN], raddr[INET_ADDRSTRLEN];

	ha_status_tunnel(v->d, t, &ts);
	inet_ntop(AF_INET, &t->local.sin_addr, laddr, sizeof laddr);
	inet_ntop(AF_INET, &t->peer.sin_addr, raddr, sizeof raddr);
	out_obj_open(o, NULL);
	out_uint(o, "local_tunnel_id", "Tunnel %u", t->tid);
	out_uint(o, "remote_tunnel_id", "/%u", t->peer_tid);
	out_str(o, "state", ", state %s", l2tp_tunnel_state_string(t->state));
	out_str(o, "vpdn_group", ", vpdn-group %s\n", t->grp ? t->grp->name : "-");
	out_str(o, "local_address", "  Local address %s", laddr);
	out_uint(o, "local_port", " port %u", ntohs(t->local.sin_port));
	out_str(o, "remote_address", ", remote address %s", raddr);
	out_uint(o, "remote_port", " port %u\n", ntohs(t->peer.sin_port));
	out_bool(o, "ha_enabled", "  HA enabled %s", ts.enabled);
	out_bool(o, "ha_established", ", HA established %s", ts.established);
	out_uint(o, "resync_window", ", resync window %u packets\n", ts.resync_window);
	out_str(o, "resync", NULL, cmd_redundancy_show_resync_state(&ts));
	out_uint(o, "resync_ms", NULL, ts.resync_ms);
	if (ts.resyncing)
		out_text(o, "  Resync running for %llu ms", (unsigned long long)ts.resync_ms);
	else if (ts.resync_result)
		out_text(o, "  Resync %s after %llu ms", ts.resync_result > 0 ? "ok" : "failed",
			 (unsigned long long)ts.resync_ms);
	else
		out_text(o, "  Never resynchronised");
	out_uint(o, "sessions", ", %u sessions\n", t->n_sessions);
	out_obj_close(o);
}

/* As IOS's `show l2tp redundancy detail id T S` lays out one session. */
static void cmd_redundancy_show_session_detail(const struct cmd_redundancy_view *v,
					       const struct l2tp_session *s)
{
	const struct l2tp_tunnel *t = s->t;
	struct out *o = v->o;
	struct ha_tunnel_status ts;

	ha_status_tunnel(v->d, t, &ts);
	out_obj_open(o, NULL);
	out_uint(o, "local_session_id", "\nLocal session ID:             %u\n", s->sid);
	out_uint(o, "remote_session_id", "Remote session ID:            %u\n", s->peer_sid);
	out_uint(o, "local_cc_id", "Local CC ID:                  %u\n", t->tid);
	out_uint(o, "remote_cc_id", "Remote CC ID:                 %u\n", t->peer_tid);
	out_uint(o, "local_udp_port", "Local UDP port:               %u\n",
		 ntohs(t->local.sin_port));
	out_uint(o, "remote_udp_port", "Remote UDP port:              %u\n",
		 ntohs(t->peer.sin_port));
	out_bool(o, "waiting_for_vpdn_application", "Waiting for VPDN application: %s\n",
		 cmd_redundancy_show_waiting_app(s));
	out_bool(o, "waiting_for_l2tp_protocol", "Waiting for L2TP protocol:    %s\n",
		 ts.resyncing);
	out_bool(o, "ha_established", "HA established:               %s\n",
		 ha_status_session_established(s));
	out_bool(o, "rebuilt", "Rebuilt at takeover:          %s\n",
		 ha_status_session_rebuilt(s));
	out_obj_close(o);
}

static void cmd_redundancy_show_active_objects(const struct cmd_redundancy_view *v)
{
	const struct cmd_redundancy_req *rq = v->rq;
	struct l2tpd *d = v->d;
	struct out *o = v->o;
	const struct l2tp_tunnel *t, *only = rq->tid ? d->tunnel_by_id[rq->tid] : NULL;
	const struct l2tp_session *s;

	if (only && rq->detail) {
		/* `detail id T [S]`: the tunnel, then its sessions, in full */
		if (!rq->sid) {
			out_arr_open(o, "tunnels");
			cmd_redundancy_show_tunnel_detail(v, only);
			out_arr_close(o);
		}
		out_arr_open(o, "sessions");
		LIST_FOREACH(s, &only->session_list, link)
			if (!rq->sid || s->sid == rq->sid)
				cmd_redundancy_show_session_detail(v, s);
		out_arr_close(o);
		return;
	}
	out_text(o, "\n%s HA CC checkpoint status:\n", v->proto);
	out_text(o, "LocTunID  RemTunID  State          HA  HA-est Resync  Resync-ms  Sessions "
		 "VPDN Group\n");
	out_arr_open(o, "tunnels");
	LIST_FOREACH(t, &d->tunnels, link)
		if (!t->dead && (!only || t == only))
			cmd_redundancy_show_tunnel_row(v, t);
	out_arr_close(o);
	out_text(o, "\n%s HA session status:\n", v->proto);
	out_text(o, "LocID   RemID   TunID   State          HA-est Waiting for VPDN app  "
		 "Waiting for L2TP protocol\n");
	out_arr_open(o, "sessions");
	LIST_FOREACH(t, &d->tunnels, link) {
		if (t->dead || (only && t != only))
			continue;
		LIST_FOREACH(s, &t->session_list, link)
			if (!rq->sid || s->sid == rq->sid)
				cmd_redundancy_show_session_row(v, s);
	}
	out_arr_close(o);
}

/* ---- the standby's shadow store ---- */

static void cmd_redundancy_show_shadow_tunnel(struct out *o, const struct ha_shadow_tunnel *st,
					      int detail)
{
	const struct ha_tunnel_rec *r = &st->rec;
	struct in_addr la = { .s_addr = r->local_addr }, pa = { .s_addr = r->peer_addr };
	char laddr[INET_ADDRSTRLEN], paddr[INET_ADDRSTRLEN];
	uint64_t nsess = st->n_sessions;

	inet_ntop(AF_INET, &la, laddr, sizeof laddr);
	inet_ntop(AF_INET, &pa, paddr, sizeof paddr);
	out_obj_open(o, NULL);
	if (!detail) {
		out_uint(o, "local_tunnel_id", "%-9u ", r->tid);
		out_uint(o, "remote_tunnel_id", "%-9u ", r->peer_tid);
		out_str(o, "state", "%-14.14s ",
			l2tp_tunnel_state_string((enum l2tp_tunnel_state)r->state));
		out_str(o, "remote_address", "%-15s ", paddr);
		out_uint(o, "remote_port", "%-5u ", ntohs(r->peer_port));
		out_uint(o, "sessions", "%-8u ", nsess);
		out_uint(o, "ns", "%-6u ", st->have_seq ? st->seq.ns : 0);
		out_uint(o, "nr", "%-6u ", st->have_seq ? st->seq.nr : 0);
		out_uint(o, "unacked", "%-7u ", st->n_msgs);
		out_str(o, "vpdn_group", "%s\n", r->group[0] ? r->group : "-");
		out_obj_close(o);
		return;
	}
	out_uint(o, "local_tunnel_id", "Tunnel %u", r->tid);
	out_uint(o, "remote_tunnel_id", "/%u", r->peer_tid);
	out_str(o, "state", ", state %s",
		l2tp_tunnel_state_string((enum l2tp_tunnel_state)r->state));
	out_str(o, "vpdn_group", ", vpdn-group %s\n", r->group[0] ? r->group : "-");
	out_str(o, "local_address", "  Local address %s", laddr);
	out_uint(o, "local_port", " port %u", ntohs(r->local_port));
	out_str(o, "remote_address", ", remote address %s", paddr);
	out_uint(o, "remote_port", " port %u\n", ntohs(r->peer_port));
	out_str(o, "remote_name", "  Remote host %s", r->peer_host[0] ? r->peer_host : "-");
	out_bool(o, "ha_enabled", ", HA enabled %s", r->ha_enabled);
	out_uint(o, "resync_window", ", resync window %u packets\n", r->resync);
	out_bool(o, "have_tunnel", NULL, st->have_tunnel);
	out_uint(o, "ns", "  Checkpointed Ns %u", st->have_seq ? st->seq.ns : 0);
	out_uint(o, "nr", ", Nr %u", st->have_seq ? st->seq.nr : 0);
	out_uint(o, "una", ", una %u", st->have_seq ? st->seq.una : 0);
	out_uint(o, "unacked", ", %u unacknowledged messages", st->n_msgs);
	out_uint(o, "sessions", ", %u sessions\n", nsess);
	out_obj_close(o);
}

static void cmd_redundancy_show_shadow_session(struct out *o, const struct ha_shadow_tunnel *st,
					       const struct ha_shadow_session *ss, int detail)
{
	const struct ha_session_rec *r = &ss->rec;
	struct in_addr pa = { .s_addr = r->peer_ip };
	char peer[INET_ADDRSTRLEN] = "-";

	if (r->peer_ip)
		inet_ntop(AF_INET, &pa, peer, sizeof peer);
	out_obj_open(o, NULL);
	if (!detail) {
		out_uint(o, "local_session_id", "%-7u ", r->sid);
		out_uint(o, "remote_session_id", "%-7u ", r->peer_sid);
		out_uint(o, "tunnel_id", "%-7u ", r->tid);
		out_str(o, "state", "%-14.14s ",
			l2tp_session_state_string((enum l2tp_session_state)r->state));
		out_str(o, "user", "%-16.16s ", r->user[0] ? r->user : "-");
		out_str(o, "peer_ip", "%-15s ", peer);
		out_str(o, "interface", "%s\n", r->ifname[0] ? r->ifname : "-");
		out_obj_close(o);
		return;
	}
	out_uint(o, "local_session_id", "\nLocal session ID:             %u\n", r->sid);
	out_uint(o, "remote_session_id", "Remote session ID:            %u\n", r->peer_sid);
	out_uint(o, "local_cc_id", "Local CC ID:                  %u\n", st->rec.tid);
	out_uint(o, "remote_cc_id", "Remote CC ID:                 %u\n", st->rec.peer_tid);
	out_uint(o, "local_udp_port", "Local UDP port:               %u\n",
		 ntohs(st->rec.local_port));
	out_uint(o, "remote_udp_port", "Remote UDP port:              %u\n",
		 ntohs(st->rec.peer_port));
	out_str(o, "state", "State:                        %s\n",
		l2tp_session_state_string((enum l2tp_session_state)r->state));
	out_str(o, "user", "User:                         %s\n", r->user[0] ? r->user : "-");
	out_str(o, "peer_ip", "Peer address:                 %s\n", peer);
	out_str(o, "interface", "Interface:                    %s\n",
		r->ifname[0] ? r->ifname : "-");
	out_bool(o, "ppp_up", "PPP up:                       %s\n", r->ppp_up);
	out_obj_close(o);
}

static void cmd_redundancy_show_standby_objects(const struct cmd_redundancy_view *v)
{
	const struct cmd_redundancy_req *rq = v->rq;
	const struct ha_shadow *sh = ha_status_shadow(v->d);
	const struct ha_shadow_tunnel *st;
	const struct ha_shadow_session *ss;
	struct out *o = v->o;
	int detail = rq->tid && rq->detail;

	if (!detail) {
		out_text(o, "\nCheckpointed tunnels:\n");
		out_text(o, "LocTunID  RemTunID  State          Remote Address  Port  Sessions "
			 "Ns     Nr     Unacked VPDN Group\n");
	}
	out_arr_open(o, "tunnels");
	for (st = sh ? ha_shadow_next_tunnel(sh, 0) : NULL; st;
	     st = ha_shadow_next_tunnel(sh, st->rec.tid)) {
		if ((rq->tid && st->rec.tid != rq->tid) || (detail && rq->sid))
			continue;
		cmd_redundancy_show_shadow_tunnel(o, st, detail);
	}
	out_arr_close(o);
	if (!detail) {
		out_text(o, "\nCheckpointed sessions:\n");
		out_text(o, "LocID   RemID   TunID   State          User             "
			 "Peer IP         Interface\n");
	}
	out_arr_open(o, "sessions");
	for (st = sh ? ha_shadow_next_tunnel(sh, 0) : NULL; st;
	     st = ha_shadow_next_tunnel(sh, st->rec.tid)) {
		if (rq->tid && st->rec.tid != rq->tid)
			continue;
		for (ss = ha_shadow_next_session(st, 0); ss;
		     ss = ha_shadow_next_session(st, ss->rec.sid))
			if (!rq->sid || ss->rec.sid == rq->sid)
				cmd_redundancy_show_shadow_session(o, st, ss, detail);
	}
	out_arr_close(o);
}

/* `id T [S]` names a live tunnel (a checkpointed one on a standby): else
 * the error, and -ENOENT. */
static int cmd_redundancy_show_check_id(const struct cmd_redundancy_view *v)
{
	const struct cmd_redundancy_req *rq = v->rq;
	const struct ha_shadow *sh = ha_status_shadow(v->d);
	const struct ha_shadow_tunnel *st;
	struct l2tp_tunnel *t;

	if (cmd_redundancy_show_acting(v)) {
		t = v->d->tunnel_by_id ? v->d->tunnel_by_id[rq->tid] : NULL;
		if (!t || t->dead) {
			out_error(v->o, "No such tunnel %u", rq->tid);
			return -ENOENT;
		}
		if (rq->sid && !l2tp_session_find(t, rq->sid)) {
			out_error(v->o, "No such session %u on tunnel %u", rq->sid, rq->tid);
			return -ENOENT;
		}
		return 0;
	}
	st = sh ? ha_shadow_tunnel(sh, rq->tid) : NULL;
	if (!st) {
		out_error(v->o, "No such checkpointed tunnel %u", rq->tid);
		return -ENOENT;
	}
	if (rq->sid && !ha_shadow_session(st, rq->sid)) {
		out_error(v->o, "No such checkpointed session %u on tunnel %u", rq->sid, rq->tid);
		return -ENOENT;
	}
	return 0;
}

int cmd_redundancy_show(struct l2tpd *d, struct out *o, const struct cmd_redundancy_req *rq)
{
	struct cmd_redundancy_view v = {
		.d = d, .o = o, .rq = rq, .proto = rq->vpdn ? "VPDN" : "L2TP",
	};

	ha_status_get(d, &v.hs);
	if (rq->tid && cmd_redundancy_show_check_id(&v) < 0)
		return -ENOENT;
	/* `id T [S]` alone: just those objects, as IOS prints them */
	if (!rq->tid) {
		cmd_redundancy_show_summary(&v);
		if (rq->detail)
			cmd_redundancy_show_link_stats(&v);
	}
	if (rq->tid || rq->all) {
		if (cmd_redundancy_show_acting(&v))
			cmd_redundancy_show_active_objects(&v);
		else
			cmd_redundancy_show_standby_objects(&v);
	}
	return 0;
}
