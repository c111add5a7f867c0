/*
 * The counters of L2TP tunnels, sessions, the daemon and the data path,
 * each struct described once (core/out.h: JSON key, text, member), and
 * `show l2tp statistics`.  The tunnel and session details of cmd_l2tp.c and
 * the totals of `show vpdn` print their structs through the tables here.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmd_engine.h"
#include "cli/cmd_l2tp.h"
#include "core/out.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "l2tpd.h"
#include "ppp/ppp.h"

/* struct l2tp_ctrl_stats (l2tp/ctrl.h): a tunnel's control channel; the
 * last round-trip time is a measure, not a counter: it is not summed. */
enum { CMD_L2TP_CTRL_COUNT = 1, CMD_L2TP_CTRL_RTT };

#define CMD_L2TP_CTRL(member, fmt, group) \
	OUT_COUNTER_GROUP(struct l2tp_ctrl_stats, member, #member, fmt, CMD_L2TP_CTRL_##group)

static const struct out_counter cmd_l2tp_stats_ctrl_counters[] = {
	CMD_L2TP_CTRL(tx_msgs, "    Sent %u messages", COUNT),
	CMD_L2TP_CTRL(tx_retransmits, ", %u retransmissions", COUNT),
	CMD_L2TP_CTRL(tx_zlb, ", %u ZLB", COUNT),
	CMD_L2TP_CTRL(tx_errors, ", %u errors\n", COUNT),
	CMD_L2TP_CTRL(rx_msgs, "    Received %u messages", COUNT),
	CMD_L2TP_CTRL(rx_zlb, ", %u ZLB", COUNT),
	CMD_L2TP_CTRL(rx_duplicates, ", %u duplicates", COUNT),
	CMD_L2TP_CTRL(rx_out_of_order, ", %u out of order", COUNT),
	CMD_L2TP_CTRL(rx_out_of_window, ", %u out of window", COUNT),
	CMD_L2TP_CTRL(rx_bad_nr, ", %u bad Nr\n", COUNT),
	CMD_L2TP_CTRL(resync_jumps, "    Resync: the peer's Nr past our Ns %u times", COUNT),
	CMD_L2TP_CTRL(resync_nr_jumps, ", our Nr moved to the peer's Ns %u times", COUNT),
	CMD_L2TP_CTRL(resync_fast_rtx, ", probes resent on the short timer %u times\n", COUNT),
	CMD_L2TP_CTRL(rtt_last_ms, "    Last RTT %u ms\n", RTT),
};

/* struct l2tp_tunnel_stats (l2tp/tunnel.h) */
static const struct out_counter cmd_l2tp_stats_tunnel_counters[] = {
	OUT_COUNTER(struct l2tp_tunnel_stats, sessions_created, "sessions_created",
		    "  Sessions created %u"),
	OUT_COUNTER(struct l2tp_tunnel_stats, sessions_refused, "sessions_refused",
		    ", refused %u"),
	OUT_COUNTER(struct l2tp_tunnel_stats, rx_bad, "rx_bad", "; bad messages %u"),
	OUT_COUNTER(struct l2tp_tunnel_stats, rx_unexpected, "rx_unexpected", ", unexpected %u"),
	OUT_COUNTER(struct l2tp_tunnel_stats, rx_data, "rx_data", "; data messages %u"),
	OUT_COUNTER(struct l2tp_tunnel_stats, rx_data_bytes, "rx_data_bytes", " (%u bytes)\n"),
};

/* struct dp_stats (kernel_glue/dp.h): a session's data path. */
static const struct out_counter cmd_l2tp_stats_session_counters[] = {
	OUT_COUNTER(struct dp_stats, rx_packets, "rx_packets", "  Packets in %u"),
	OUT_COUNTER(struct dp_stats, rx_bytes, "rx_bytes", " (%u bytes)"),
	OUT_COUNTER(struct dp_stats, tx_packets, "tx_packets", ", out %u"),
	OUT_COUNTER(struct dp_stats, tx_bytes, "tx_bytes", " (%u bytes)"),
	OUT_COUNTER(struct dp_stats, rx_errors, "rx_errors", ", errors in %u"),
	OUT_COUNTER(struct dp_stats, tx_errors, "tx_errors", ", out %u"),
	OUT_COUNTER(struct dp_stats, rx_seq_discards, "rx_seq_discards",
		    "; sequence discards %u"),
	OUT_COUNTER(struct dp_stats, rx_oos_packets, "rx_oos_packets", ", out of order %u\n"),
};

/* struct l2tpd_stats (l2tpd.h): the daemon's; `show vpdn` prints the
 * tunnel and session groups as its totals. */
enum { CMD_L2TP_D_PACKETS = 1, CMD_L2TP_D_TUNNELS, CMD_L2TP_D_SESSIONS, CMD_L2TP_D_PPP };

#define CMD_L2TP_D(member, fmt, group) \
	OUT_COUNTER_GROUP(struct l2tpd_stats, member, #member, fmt, CMD_L2TP_D_##group)

static const struct out_counter cmd_l2tp_stats_daemon_counters[] = {
	CMD_L2TP_D(rx_packets, "  Received %u packets", PACKETS),
	CMD_L2TP_D(rx_bad, ", %u bad headers", PACKETS),
	CMD_L2TP_D(rx_bad_version, ", %u not L2TPv2", PACKETS),
	CMD_L2TP_D(rx_no_tunnel, ", %u for unknown tunnels", PACKETS),
	CMD_L2TP_D(rx_data, ", %u data messages\n", PACKETS),
	CMD_L2TP_D(tx_packets, "  Sent %u packets", PACKETS),
	CMD_L2TP_D(tx_errors, ", %u errors\n", PACKETS),
	CMD_L2TP_D(tunnels_created, "  Tunnels: %u created", TUNNELS),
	CMD_L2TP_D(tunnels_refused, ", %u refused", TUNNELS),
	CMD_L2TP_D(tunnels_failed, ", %u failed", TUNNELS),
	CMD_L2TP_D(tunnels_own_port, ", %u answered from a port of their own", TUNNELS),
	CMD_L2TP_D(tunnels_port_not_followed, " (%u peers did not follow it)", TUNNELS),
	CMD_L2TP_D(tunnel_auth_failures, ", %u authentication failures\n", TUNNELS),
	CMD_L2TP_D(sessions_created, "  Sessions: %u created", SESSIONS),
	CMD_L2TP_D(sessions_refused, ", %u refused\n", SESSIONS),
	CMD_L2TP_D(ppp_auth_ok, "  PPP: %u authenticated", PPP),
	CMD_L2TP_D(ppp_auth_failures, ", %u authentication failures", PPP),
	CMD_L2TP_D(ppp_no_address, ", %u refused for want of an address", PPP),
	CMD_L2TP_D(ppp_up, ", %u reached IPCP up\n", PPP),
	CMD_L2TP_D(rx_data_no_session, "  Data messages for unknown sessions: %u", PPP),
	CMD_L2TP_D(rx_data_no_ppp, ", for sessions without PPP %u", PPP),
	CMD_L2TP_D(rx_data_early, ", held until the call connected %u\n", PPP),
	CMD_L2TP_D(ppp_after_iccn, "  LAC calls whose PPP waited for the ICCN to leave: %u\n", PPP),
	CMD_L2TP_D(rx_stopccn, "  From peers: %u StopCCN", PPP),
	CMD_L2TP_D(rx_cdn, ", %u CDN\n", PPP),
	CMD_L2TP_D(proxy_sent, "  Proxy LCP/authentication: %u sent", PPP),
	CMD_L2TP_D(proxy_accepted, ", %u accepted", PPP),
	CMD_L2TP_D(proxy_renegotiated, ", %u renegotiated", PPP),
	CMD_L2TP_D(proxy_refused, ", %u refused", PPP),
	CMD_L2TP_D(proxy_bad, ", %u unusable\n", PPP),
};

/* struct dp_counts (kernel_glue/dp.h): the data path's objects. */
static const struct out_counter cmd_l2tp_stats_dp_counters[] = {
	OUT_COUNTER(struct dp_counts, tunnels, "tunnels", "  tunnels %u live"),
	OUT_COUNTER(struct dp_counts, tunnel_create, "tunnel_create", " (%u created"),
	OUT_COUNTER(struct dp_counts, tunnel_delete, "tunnel_delete", ", %u deleted)\n"),
	OUT_COUNTER(struct dp_counts, sessions, "sessions", "  sessions %u live"),
	OUT_COUNTER(struct dp_counts, session_create, "session_create", " (%u created"),
	OUT_COUNTER(struct dp_counts, session_delete, "session_delete",
		    ", %u deleted)\n"),
	OUT_COUNTER(struct dp_counts, ppp_channels, "ppp_channels",
		    "  PPP channels %u live"),
	OUT_COUNTER(struct dp_counts, ppp_open, "ppp_open", " (%u opened"),
	OUT_COUNTER(struct dp_counts, ppp_close, "ppp_close", ", %u closed)"),
	OUT_COUNTER(struct dp_counts, ppp_units, "ppp_units", ", units %u live"),
	OUT_COUNTER(struct dp_counts, ppp_unit_open, "ppp_unit_open", " (%u opened)\n"),
	OUT_COUNTER(struct dp_counts, pppoe_channels, "pppoe_channels",
		    "  PPPoE channels %u live"),
	OUT_COUNTER(struct dp_counts, pppoe_open, "pppoe_open", " (%u opened"),
	OUT_COUNTER(struct dp_counts, pppoe_close, "pppoe_close", ", %u closed)"),
	OUT_COUNTER(struct dp_counts, bridges, "bridges", ", bridged %u live"),
	OUT_COUNTER(struct dp_counts, bridge_open, "bridge_open", " (%u made"),
	OUT_COUNTER(struct dp_counts, bridge_refused, "bridge_refused", ", %u refused)\n"),
	OUT_COUNTER(struct dp_counts, routes, "routes", "  routes %u live\n"),
	OUT_COUNTER(struct dp_counts, mss_values, "mss_values",
		    "  TCP MSS clamp: %u values in the kernel's table"),
	OUT_COUNTER(struct dp_counts, mss_table_set, "mss_table_set", " (%u writes"),
	OUT_COUNTER(struct dp_counts, mss_table_failed, "mss_table_failed", ", %u refused)"),
	OUT_COUNTER(struct dp_counts, mss_links, "mss_links", ", %u interfaces grouped\n"),
	OUT_COUNTER(struct dp_counts, errors, "errors", "  %u calls refused\n"),
};

/* struct ppp_stats (ppp/ppp.h), without its per-protocol parts below. */
static const struct out_counter cmd_l2tp_stats_ppp_counters[] = {
	OUT_COUNTER(struct ppp_stats, rx_frames, "rx_frames", "    Frames in %u"),
	OUT_COUNTER(struct ppp_stats, tx_frames, "tx_frames", ", out %u"),
	OUT_COUNTER(struct ppp_stats, rx_malformed, "rx_malformed", "; dropped: %u malformed"),
	OUT_COUNTER(struct ppp_stats, rx_proto_rejected, "rx_proto_rejected",
		    ", %u of unknown protocols"),
	OUT_COUNTER(struct ppp_stats, rx_dropped_phase, "rx_dropped_phase",
		    ", %u outside their phase"),
	OUT_COUNTER(struct ppp_stats, rx_data_dropped, "rx_data_dropped",
		    ", %u data on the control plane\n"),
	OUT_COUNTER(struct ppp_stats, auth_rx_bad, "auth_rx_bad",
		    "    Authentication: %u bad packets"),
	OUT_COUNTER(struct ppp_stats, auth_retransmits, "auth_retransmits",
		    ", %u retransmissions"),
	OUT_COUNTER(struct ppp_stats, auth_failures, "auth_failures", ", %u failures\n"),
};

/* struct ppp_fsm_stats (ppp/fsm.h): LCP's, IPCP's, IPv6CP's. */
#define CMD_L2TP_FSM(member, fmt) OUT_COUNTER(struct ppp_fsm_stats, member, #member, fmt)

static const struct out_counter cmd_l2tp_stats_fsm_counters[] = {
	CMD_L2TP_FSM(rx_packets, " %u in"),
	CMD_L2TP_FSM(tx_packets, ", %u out"),
	CMD_L2TP_FSM(rx_malformed, "; %u malformed"),
	CMD_L2TP_FSM(rx_bad_id, ", %u with a wrong Identifier"),
	CMD_L2TP_FSM(rx_unexpected, ", %u unexpected"),
	CMD_L2TP_FSM(rx_unknown_code, ", %u unknown codes"),
	CMD_L2TP_FSM(rx_code_rej, ", %u Code-Rejects\n"),
	CMD_L2TP_FSM(tx_conf_req, "      Configure-Requests %u"),
	CMD_L2TP_FSM(tx_retransmits, " (%u sent again)"),
	CMD_L2TP_FSM(tx_conf_ack, ", Acks %u"),
	CMD_L2TP_FSM(tx_conf_nak, ", Naks %u"),
	CMD_L2TP_FSM(tx_conf_rej, ", Rejects %u"),
	CMD_L2TP_FSM(opts_naked, "; options naked %u"),
	CMD_L2TP_FSM(opts_rejected, ", rejected %u"),
	CMD_L2TP_FSM(nak_to_rej, ", Naks turned Rejects %u"),
	CMD_L2TP_FSM(timeouts, "; timeouts %u\n"),
};

/* struct ppp_lcp_stats (ppp/lcp.h): LCP beyond its state machine. */
#define CMD_L2TP_LCP(member, fmt) OUT_COUNTER(struct ppp_lcp_stats, member, #member, fmt)

static const struct out_counter cmd_l2tp_stats_lcp_counters[] = {
	CMD_L2TP_LCP(echo_req_tx, "    LCP echo: requests sent %u"),
	CMD_L2TP_LCP(echo_req_rx, ", received %u"),
	CMD_L2TP_LCP(echo_rep_tx, "; replies sent %u"),
	CMD_L2TP_LCP(echo_rep_rx, ", received %u"),
	CMD_L2TP_LCP(echo_bad, "; %u bad"),
	CMD_L2TP_LCP(echo_timeouts, ", %u unanswered"),
	CMD_L2TP_LCP(loopback, ", %u loopbacks\n"),
	CMD_L2TP_LCP(discard_rx, "    LCP Discard-Requests in %u"),
	CMD_L2TP_LCP(ident_rx, ", Identification in %u"),
	CMD_L2TP_LCP(proto_rej_rx, ", Protocol-Rejects in %u"),
	CMD_L2TP_LCP(proto_rej_tx, ", out %u"),
	CMD_L2TP_LCP(opts_bad_len, ", options of a wrong length %u\n"),
};

void cmd_l2tp_stats_ctrl(struct out *o, const struct l2tp_ctrl_stats *cs)
{
	out_counters(o, OUT_COUNTERS(cmd_l2tp_stats_ctrl_counters), cs, OUT_ALL);
}

void cmd_l2tp_stats_tunnel(struct out *o, const struct l2tp_tunnel_stats *ts)
{
	out_counters(o, OUT_COUNTERS(cmd_l2tp_stats_tunnel_counters), ts, OUT_ALL);
}

void cmd_l2tp_stats_session(struct out *o, const struct dp_stats *st)
{
	out_counters(o, OUT_COUNTERS(cmd_l2tp_stats_session_counters), st, OUT_ALL);
}

void cmd_l2tp_stats_totals(struct out *o, const struct l2tpd_stats *st)
{
	out_counters(o, OUT_COUNTERS(cmd_l2tp_stats_daemon_counters), st, CMD_L2TP_D_TUNNELS);
	out_counters(o, OUT_COUNTERS(cmd_l2tp_stats_daemon_counters), st, CMD_L2TP_D_SESSIONS);
}

/* The control channels of the live tunnels, summed. */
static void cmd_l2tp_stats_ctrl_sum(struct l2tpd *d, struct out *o)
{
	struct l2tp_ctrl_stats sum;
	const struct l2tp_tunnel *t;

	memset(&sum, 0, sizeof sum);
	LIST_FOREACH(t, &d->tunnels, link)
		out_counters_add(OUT_COUNTERS(cmd_l2tp_stats_ctrl_counters), &sum, &t->ctrl.stats);
	out_obj_open(o, "control_channels");
	out_text(o, "  Control channels (live tunnels):\n");
	out_counters(o, OUT_COUNTERS(cmd_l2tp_stats_ctrl_counters), &sum, CMD_L2TP_CTRL_COUNT);
	out_obj_close(o);
}

/* The PPP links of L2TP sessions: how many live, and the counters of
 * every link since the daemon started (the running totals, d->ppp_totals:
 * read as they are, whatever the number of links).  A Restart-timer
 * expiry (Configure-Request sent again) shows as a retransmission. */
static void cmd_l2tp_stats_ppp_sum(struct l2tpd *d, struct out *o)
{
	static const char *const names[3] = { "LCP", "IPCP", "IPv6CP" };
	static const char *const keys[3] = { "lcp", "ipcp", "ipv6cp" };
	const struct ppp_fsm_stats *fsm[3];
	const struct ppp_stats *sum = &d->ppp_totals;

	out_obj_open(o, "ppp_links");
	out_uint(o, "links", "  PPP links %u live; every link's since the start:",
		 d->ppp_links);
	out_uint(o, "lcp_tx_conf_req", " LCP Configure-Requests %u", sum->lcp.tx_conf_req);
	out_uint(o, "lcp_tx_retransmits", ", sent again on the Restart timer %u",
		 sum->lcp.tx_retransmits);
	out_uint(o, "ncp_tx_retransmits", " (NCP %u",
		 sum->ipcp.tx_retransmits + sum->ipv6cp.tx_retransmits);
	out_uint(o, "auth_tx_retransmits", ", authentication %u)\n", sum->auth_retransmits);
	out_counters(o, OUT_COUNTERS(cmd_l2tp_stats_ppp_counters), sum, OUT_ALL);
	fsm[0] = &sum->lcp;
	fsm[1] = &sum->ipcp;
	fsm[2] = &sum->ipv6cp;
	for (int i = 0; i < 3; i++) {
		out_obj_open(o, keys[i]);
		out_text(o, "    %s:", names[i]);
		out_counters(o, OUT_COUNTERS(cmd_l2tp_stats_fsm_counters), fsm[i], OUT_ALL);
		out_obj_close(o);
	}
	out_obj_open(o, "lcp_ext");
	out_counters(o, OUT_COUNTERS(cmd_l2tp_stats_lcp_counters), &sum->lcp_ext, OUT_ALL);
	out_obj_close(o);
	out_obj_close(o);
}

int cmd_l2tp_stats_show(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct l2tpd *d = x->d;
	struct out *o = x->o;

	out_text(o, "L2TP statistics:\n");
	out_counters(o, OUT_COUNTERS(cmd_l2tp_stats_daemon_counters), &d->stats, OUT_ALL);
	cmd_l2tp_stats_ctrl_sum(d, o);
	cmd_l2tp_stats_ppp_sum(d, o);
	if (d->dp) {
		out_obj_open(o, "data_path");
		out_str(o, "backend", "Data path (%s):\n",
			d->dp->ops && d->dp->ops->name ? d->dp->ops->name : "?");
		out_counters(o, OUT_COUNTERS(cmd_l2tp_stats_dp_counters), &d->dp->count, OUT_ALL);
		out_obj_close(o);
	}
	return 0;
}
