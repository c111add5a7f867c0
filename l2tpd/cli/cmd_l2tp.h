/*
 * What cli/cmd_l2tp.c and cli/cmd_l2tp_stats.c share with each other and
 * with the other topic files that show tunnels and sessions (show vpdn).
 */
#ifndef L2TP_CMD_L2TP_H
#define L2TP_CMD_L2TP_H

struct l2tpd;
struct out;
struct cmd_ctx;
struct cmd_entry;
struct cmd_args;
struct l2tp_ctrl_stats;
struct l2tp_tunnel_stats;
struct dp_stats;
struct l2tpd_stats;

/* Sessions of the live tunnels (dead ones not yet freed are left out);
 * *ntun gets the number of those tunnels. */
unsigned cmd_l2tp_count(const struct l2tpd *d, unsigned *ntun);

/* cli/cmd_l2tp_stats.c: the counters of a tunnel's control channel, of a
 * tunnel, of a session's data path; the daemon's tunnel and session
 * totals (show vpdn); and `show l2tp statistics`. */
void cmd_l2tp_stats_ctrl(struct out *o, const struct l2tp_ctrl_stats *cs);
void cmd_l2tp_stats_tunnel(struct out *o, const struct l2tp_tunnel_stats *ts);
void cmd_l2tp_stats_session(struct out *o, const struct dp_stats *st);
void cmd_l2tp_stats_totals(struct out *o, const struct l2tpd_stats *st);
int cmd_l2tp_stats_show(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a);

#endif
