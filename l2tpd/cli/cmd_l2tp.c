/*
 * L2TP tunnels and sessions: `show l2tp tunnel`, `show l2tp session`, the
 * names IOS gives them (`show vpdn tunnel`, `show vpdn session`), `clear
 * l2tp tunnel|session`, and the entry of `show l2tp statistics` (whose
 * counters are cli/cmd_l2tp_stats.c's).  What l2tp/ (tunnel.h, session.h,
 * ctrl.h), AAA and the data path hold, through the one print path
 * (core/out.c), in IOS-like text or JSON.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd_engine.h"
#include "cli/cmd_l2tp.h"
#include "cli/cmd_ipv6.h"
#include "l2tp/ppp.h"
#include "cli/cmd_topics.h"
#include "aaa/aaa.h"
#include "core/config.h"
#include "core/out.h"
#include "l2tp/msg.h"
#include "l2tp/proto.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "l2tpd.h"

/* The live tunnel with local ID id, or NULL with the error printed. */
static struct l2tp_tunnel *cmd_l2tp_tunnel(struct cmd_ctx *x, unsigned long id)
{
	struct l2tp_tunnel *t = NULL;

	if (x->d->tunnel_by_id && id != 0 && id <= 65535)
		t = x->d->tunnel_by_id[id];
	if (t && !t->dead)
		return t;
	out_error(x->o, "No such tunnel %lu", id);
	return NULL;
}

unsigned cmd_l2tp_count(const struct l2tpd *d, unsigned *ntun)
{
	const struct l2tp_tunnel *t;
	unsigned ns = 0;

	*ntun = 0;
	LIST_FOREACH(t, &d->tunnels, link) {
		if (t->dead)
			continue;
		(*ntun)++;
		ns += t->n_sessions;
	}
	return ns;
}

static void cmd_l2tp_tunnel_row(struct l2tpd *d, struct out *o, const struct l2tp_tunnel *t)
{
	char addr[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &t->peer.sin_addr, addr, sizeof addr);
	out_obj_open(o, NULL);
	out_uint(o, "local_tunnel_id", "%-9u ", t->tid);
	out_uint(o, "remote_tunnel_id", "%-9u ", t->peer_tid);
	out_str(o, "remote_name", "%-16.16s ", t->peer_host[0] ? t->peer_host : "-");
	out_str(o, "state", "%-14.14s ", l2tp_tunnel_state_string(t->state));
	out_str(o, "remote_address", "%-15s ", addr);
	out_uint(o, "remote_port", "%-5u ", ntohs(t->peer.sin_port));
	out_uint(o, "sessions", "%-8u ", t->n_sessions);
	out_str(o, "vpdn_group", "%s", t->grp ? t->grp->name : "-");
	out_str(o, "role", NULL, t->lns ? "LNS" : "LAC");
	out_text(o, "\n");
	out_obj_close(o);
}

/*
 * The windows of a tunnel (`show vpdn tunnel detail`): the receive window
 * we advertise, which HA adjusts to the resync window (`l2tp tunnel
 * resync`, as IOS does), and the send window we use, bounded by the peer's.
 */
static void cmd_l2tp_tunnel_windows(struct out *o, const struct l2tp_tunnel *t)
{
	const struct l2tp_ctrl *c = &t->ctrl;
	unsigned configured = t->grp ? t->grp->rws : CONFIG_DEF_RWS;
	int adjusted = c->cfg.rws != configured;

	out_obj_open(o, "windows");
	out_uint(o, "receive_window", "    Receive window %u", c->cfg.rws);
	out_bool(o, "adjusted", NULL, adjusted);
	out_uint(o, "configured_receive_window", adjusted ? " (adjusted for HA from "
		 "receive-window %u to the resync window)" : NULL, configured);
	out_uint(o, "send_window", ", send window %u", c->swnd);
	out_uint(o, "peer_receive_window", " (the peer's receive window %u)\n",
		 t->peer_rws ? t->peer_rws : 4);
	out_obj_close(o);
}

static void cmd_l2tp_tunnel_detail(struct l2tpd *d, struct out *o, const struct l2tp_tunnel *t,
				   int windows)
{
	const struct l2tp_ctrl *c = &t->ctrl;
	char addr[INET_ADDRSTRLEN], laddr[INET_ADDRSTRLEN], age[32];
	int up = t->state == L2TP_TUNNEL_ESTABLISHED, auth, hidden;

	inet_ntop(AF_INET, &t->peer.sin_addr, addr, sizeof addr);
	inet_ntop(AF_INET, &t->local.sin_addr, laddr, sizeof laddr);
	out_obj_open(o, NULL);
	out_uint(o, "local_tunnel_id", "Tunnel %u", t->tid);
	out_uint(o, "remote_tunnel_id", "/%u", t->peer_tid);
	out_str(o, "state", ", state %s", l2tp_tunnel_state_string(t->state));
	out_str(o, "role", ", %s", t->lns ? "LNS" : "LAC");
	out_bool(o, "originator", NULL, t->originator);
	out_str(o, "vpdn_group", ", vpdn-group %s\n", t->grp ? t->grp->name : "-");

	out_str(o, "local_name", "  Local host %s", t->grp && t->grp->local_name[0]
		? t->grp->local_name : d->cfg.hostname);
	out_str(o, "local_address", ", address %s", laddr);
	out_uint(o, "local_port", " port %u\n", ntohs(t->local.sin_port));
	out_str(o, "remote_name", "  Remote host %s", t->peer_host[0] ? t->peer_host : "-");
	out_str(o, "remote_address", ", address %s", addr);
	out_uint(o, "remote_port", " port %u\n", ntohs(t->peer.sin_port));
	out_str(o, "remote_vendor", "  Remote vendor \"%s\"", t->peer_vendor);
	out_uint(o, "remote_firmware", ", firmware 0x%04x\n", t->peer_firmware);

	out_fmt_age(age, sizeof age, cmd_since(d, t->created_ms));
	out_uint(o, "age_seconds", NULL, cmd_since(d, t->created_ms) / 1000);
	out_text(o, "  Created %s ago", age);
	if (up) {
		out_fmt_age(age, sizeof age, cmd_since(d, t->established_ms));
		out_text(o, ", up %s", age);
		out_uint(o, "uptime_seconds", NULL, cmd_since(d, t->established_ms) / 1000);
	}
	out_uint(o, "sessions", ", %u sessions\n", t->n_sessions);

	out_uint(o, "ns", "  Control channel: Ns %u", c->ns);
	out_uint(o, "nr", ", Nr %u", c->nr);
	out_uint(o, "una", ", una %u", c->una);
	out_uint(o, "outstanding", ", outstanding %u\n", l2tp_ctrl_outstanding(c));
	out_uint(o, "peer_rws", "    Peer RWS %u", t->peer_rws ? t->peer_rws : 4);
	out_uint(o, "send_window", " (send window %u)", c->swnd);
	out_uint(o, "local_rws", ", our RWS %u\n", c->cfg.rws);
	out_uint(o, "rto_ms", "    Retransmit timeout %u ms", c->rto_ms);
	out_uint(o, "rtx_count", ", retransmissions of the oldest %u", c->rtx_count);
	out_uint(o, "retries", " of %u", c->cfg.retries);
	out_uint(o, "rto_min_ms", ", backoff %u", c->cfg.rto_min_ms);
	out_uint(o, "rto_max_ms", "-%u ms\n", c->cfg.rto_max_ms);
	if (windows)
		cmd_l2tp_tunnel_windows(o, t);
	out_obj_open(o, "ctrl_stats");
	cmd_l2tp_stats_ctrl(o, &c->stats);
	out_obj_close(o);
	out_obj_open(o, "tunnel_stats");
	cmd_l2tp_stats_tunnel(o, &t->stats);
	out_obj_close(o);

	auth = t->grp && t->grp->authentication && t->grp->password[0];
	hidden = t->grp && t->grp->hide_avps && t->grp->password[0];
	out_bool(o, "authentication", NULL, auth);
	out_bool(o, "hidden_avps", NULL, hidden);
	out_text(o, "  Tunnel authentication %s, hidden AVPs %s", auth ? "on" : "off",
		 hidden ? "on" : "off");
	out_uint(o, "hello_seconds", ", hello %u s\n", c->cfg.hello_ms / 1000);
	if (t->stop_result) {
		out_obj_open(o, "stop");
		out_uint(o, "result", "  Last StopCCN: result %u", t->stop_result);
		out_str(o, "result_text", " (%s)",
			l2tp_result_string(L2TP_MSG_STOPCCN, t->stop_result));
		out_uint(o, "error", ", error %u", t->stop_error);
		out_str(o, "message", ", \"%s\"", t->stop_msg);
		out_str(o, "by", ", by %s\n", t->stop_by_peer ? "peer" : "us");
		out_obj_close(o);
	}
	out_text(o, "\n");
	out_obj_close(o);
}

/* How tunnels are shown: a table, or each in full (with its windows). */
enum cmd_l2tp_view { CMD_L2TP_TABLE, CMD_L2TP_DETAIL, CMD_L2TP_WINDOWS };

/*
 * The opening of the tunnel and session shows: the tunnel asked for (id,
 * 0 for all) and the totals line.  -ENOENT (with the error printed) for an
 * unknown tunnel.
 */
static int cmd_l2tp_totals(struct cmd_ctx *x, unsigned long id, const char *what,
			   const struct l2tp_tunnel **only)
{
	unsigned ntun, nsess;

	*only = NULL;
	if (id) {
		*only = cmd_l2tp_tunnel(x, id);
		if (!*only)
			return -ENOENT;
	}
	nsess = cmd_l2tp_count(x->d, &ntun);
	out_text(x->o, "L2TP %s Information Total tunnels %u sessions %u\n\n", what, ntun, nsess);
	out_uint(x->o, "total_tunnels", NULL, ntun);
	out_uint(x->o, "total_sessions", NULL, nsess);
	return 0;
}

static int cmd_l2tp_tunnels(struct cmd_ctx *x, unsigned long id, enum cmd_l2tp_view view)
{
	struct l2tpd *d = x->d;
	struct out *o = x->o;
	const struct l2tp_tunnel *t, *only;

	if (cmd_l2tp_totals(x, id, "Tunnel", &only) < 0)
		return -ENOENT;
	if (view == CMD_L2TP_TABLE)
		out_text(o, "LocTunID  RemTunID  Remote Name      State          Remote Address  "
			 "Port  Sessions VPDN Group\n");
	out_arr_open(o, "tunnels");
	LIST_FOREACH(t, &d->tunnels, link) {
		if (t->dead || (only && t != only))
			continue;
		if (view == CMD_L2TP_TABLE)
			cmd_l2tp_tunnel_row(d, o, t);
		else
			cmd_l2tp_tunnel_detail(d, o, t, view == CMD_L2TP_WINDOWS);
	}
	out_arr_close(o);
	return 0;
}

/* `show l2tp session detail`: what AAA holds for the session. */
static void cmd_l2tp_session_aaa(struct l2tpd *d, struct out *o, const struct l2tp_session *s)
{
	const struct l2tp_session_rare *rare = l2tp_session_rare_get(s);
	uint64_t cnt[AAA_CNT_MAX];
	char cls[2 * sizeof(rare->class_attr) + 1];
	unsigned i;

	out_obj_open(o, "aaa");
	out_str(o, "acct_session_id", "  Acct-Session-Id %s", s->acct_session_id);
	out_bool(o, "acct_started", NULL, s->acct_started);
	out_text(o, ", accounting %s", s->acct_started ? "started" : "not started");
	out_uint(o, "acct_interim_interval", ", interim %u s\n", aaa_acct_interval(s));
	aaa_session_counters((struct l2tp_session *)s, cnt);
	out_uint(o, "acct_input_octets", "  Accounting in %u octets", cnt[AAA_CNT_IN_OCTETS]);
	out_uint(o, "acct_input_packets", " %u packets", cnt[AAA_CNT_IN_PACKETS]);
	out_uint(o, "acct_output_octets", ", out %u octets", cnt[AAA_CNT_OUT_OCTETS]);
	out_uint(o, "acct_output_packets", " %u packets", cnt[AAA_CNT_OUT_PACKETS]);
	out_uint(o, "acct_reported_input_octets", " (reported in %u", s->acct_reported[0]);
	out_uint(o, "acct_reported_output_octets", ", out %u octets)\n", s->acct_reported[1]);
	out_uint(o, "session_timeout", "  Session-Timeout %u s", s->session_timeout);
	out_uint(o, "idle_timeout", ", Idle-Timeout %u s", s->idle_timeout);
	out_uint(o, "framed_mtu", ", Framed-MTU %u\n", s->framed_mtu);
	for (i = 0; i < rare->class_len; i++)
		snprintf(cls + 2 * i, sizeof(cls) - 2 * i, "%02x", rare->class_attr[i]);
	cls[2 * rare->class_len] = '\0';
	out_str(o, "class", "  Class %s", rare->class_len ? cls : "-");
	out_str(o, "filter_id", ", Filter-Id %s", rare->filter_id[0] ? rare->filter_id : "-");
	out_text(o, "%s\n", rare->filter_id[0] ? " (recorded only: no data-path filter)" : "");
	out_arr_open(o, "framed_routes");
	for (i = 0; i < s->n_framed_routes; i++) {
		char r[INET_ADDRSTRLEN + 8], ip[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &s->framed_route[i], ip, sizeof ip);
		snprintf(r, sizeof r, "%s/%u", ip, s->framed_plen[i]);
		out_str(o, NULL, i ? ", %s" : "  Framed-Route %s", r);
		out_text(o, "%s", s->framed_route_added[i] ? "" : " (not installed)");
	}
	out_arr_close(o);
	if (s->n_framed_routes)
		out_text(o, "\n");
	out_obj_close(o);
}

static void cmd_l2tp_session_out(struct l2tpd *d, struct out *o, const struct l2tp_session *s,
				 int detail)
{
	char age[32], peer[INET_ADDRSTRLEN] = "-", local[INET_ADDRSTRLEN] = "-";
	int up = s->state == L2TP_SESSION_ESTABLISHED;

	if (s->peer_ip.s_addr)
		inet_ntop(AF_INET, &s->peer_ip, peer, sizeof peer);
	if (s->local_ip.s_addr)
		inet_ntop(AF_INET, &s->local_ip, local, sizeof local);
	if (up)
		out_fmt_age(age, sizeof age, cmd_since(d, s->established_ms));
	else
		snprintf(age, sizeof age, "-");
	out_obj_open(o, NULL);
	if (!detail) {
		out_uint(o, "local_session_id", "%-7u ", s->sid);
		out_uint(o, "remote_session_id", "%-7u ", s->peer_sid);
		out_uint(o, "tunnel_id", "%-7u ", s->t->tid);
		out_str(o, "state", "%-14.14s ", l2tp_session_state_string(s->state));
		out_uint(o, "call_serial", "%-11u ", s->call_serial);
		out_str(o, "calling", "%-16.16s ", s->calling[0] ? s->calling : "-");
		out_str(o, "called", "%-16.16s ", s->called[0] ? s->called : "-");
		out_str(o, "user", "%-16.16s ", s->user[0] ? s->user : "-");
		out_str(o, "peer_ip", "%-15s ", peer);
		out_str(o, "interface", "%-9.9s ", s->ifname[0] ? s->ifname : "-");
		out_bool(o, "ppp_up", NULL, s->ppp_up);
		out_text(o, "%-3s ", s->ppp_up ? "up" : "-");
		out_text(o, "%s\n", age);
		if (up)
			out_uint(o, "uptime_seconds", NULL, cmd_since(d, s->established_ms) / 1000);
		out_obj_close(o);
		return;
	}
	out_uint(o, "local_session_id", "Session %u", s->sid);
	out_uint(o, "remote_session_id", "/%u", s->peer_sid);
	out_uint(o, "tunnel_id", " on tunnel %u", s->t->tid);
	out_uint(o, "remote_tunnel_id", "/%u", s->t->peer_tid);
	out_str(o, "state", ", state %s", l2tp_session_state_string(s->state));
	out_str(o, "role", ", %s", s->lns ? "LNS" : "LAC");
	out_str(o, "call_type", ", %s call\n", s->kind == L2TP_CALL_OUTGOING ? "outgoing"
									    : "incoming");
	out_uint(o, "call_serial", "  Call serial %u", s->call_serial);
	out_str(o, "calling", ", calling \"%s\"", s->calling);
	out_str(o, "called", ", called \"%s\"", s->called);
	out_str(o, "sub_address", ", sub-address \"%s\"\n",
		l2tp_session_rare_get(s)->sub_address);
	out_uint(o, "tx_speed", "  Tx speed %u", s->tx_speed);
	out_uint(o, "rx_speed", ", rx speed %u", s->rx_speed);
	out_uint(o, "framing_type", ", framing 0x%x", s->framing_type);
	out_uint(o, "bearer_type", ", bearer 0x%x", s->bearer_type);
	out_bool(o, "sequencing", ", sequencing %s\n", s->seq_required);
	if (l2tp_session_rare_get(s)->proxy_name[0])
		out_str(o, "proxy_auth_name", "  Proxy authentication name \"%s\"\n",
			l2tp_session_rare_get(s)->proxy_name);
	out_bool(o, "ppp_up", NULL, s->ppp_up);
	out_text(o, "  PPP %s", s->ppp_up ? "up" : s->ppp ? "negotiating" : "-");
	out_str(o, "user", ", user \"%s\"", s->user);
	out_str(o, "interface", ", interface %s\n", s->ifname[0] ? s->ifname : "-");
	out_str(o, "peer_ip", "  Peer address %s", peer);
	out_str(o, "local_ip", ", our address %s", local);
	out_str(o, "pool", ", pool %s\n", s->pool[0] ? s->pool : "-");
	if (l2tp_ppp_ipv6(s) != NULL)
		cmd_ipv6_session(d, o, l2tp_ppp_ipv6(s));
	if (l2tp_ppp_ipv6_lac(s) != NULL)
		cmd_ipv6_subscriber(d, o, l2tp_ppp_ipv6_lac(s));
	if (s->lns && s->acct_session_id[0])
		cmd_l2tp_session_aaa(d, o, s);
	if (s->dp_created && d->dp != NULL) {
		/* The data path's own counters (kernel session stats on linux). */
		struct dp_stats st;

		if (dp_session_stats(d->dp, s->t->tid, s->sid, &st) == 0) {
			out_obj_open(o, "counters");
			cmd_l2tp_stats_session(o, &st);
			out_obj_close(o);
		}
	}
	out_text(o, "  Up %s", age);
	if (up)
		out_uint(o, "uptime_seconds", NULL, cmd_since(d, s->established_ms) / 1000);
	out_fmt_age(age, sizeof age, cmd_since(d, s->created_ms));
	out_text(o, ", created %s ago\n\n", age);
	out_obj_close(o);
}

static int cmd_l2tp_sessions(struct cmd_ctx *x, unsigned long id, int detail)
{
	struct l2tpd *d = x->d;
	struct out *o = x->o;
	const struct l2tp_tunnel *t, *only;
	const struct l2tp_session *s;

	if (cmd_l2tp_totals(x, id, "Session", &only) < 0)
		return -ENOENT;
	if (!detail)
		out_text(o, "LocID   RemID   TunID   State          Call-serial Calling          "
			 "Called           User             Peer IP         Interface PPP Uptime\n");
	out_arr_open(o, "sessions");
	LIST_FOREACH(t, &d->tunnels, link) {
		if (t->dead || (only && t != only))
			continue;
		LIST_FOREACH(s, &t->session_list, link)
			cmd_l2tp_session_out(d, o, s, detail);
	}
	out_arr_close(o);
	return 0;
}

/* `show l2tp tunnel [id T] [detail]` */
static int cmd_l2tp_show_tunnel(struct cmd_ctx *x, const struct cmd_entry *e,
				const struct cmd_args *a)
{
	return cmd_l2tp_tunnels(x, a->var[0] ? a->num[0] : 0,
				cmd_has(a, "detail") ? CMD_L2TP_DETAIL : CMD_L2TP_TABLE);
}

/* `show l2tp session [tunnel T] [detail]` */
static int cmd_l2tp_show_session(struct cmd_ctx *x, const struct cmd_entry *e,
				 const struct cmd_args *a)
{
	return cmd_l2tp_sessions(x, a->var[0] ? a->num[0] : 0, cmd_has(a, "detail"));
}

/* `show vpdn tunnel [l2tp] [all|detail]`, as IOS names it: all tunnels in
 * full with `all`, and with their windows with `detail`. */
static int cmd_l2tp_show_vpdn_tunnel(struct cmd_ctx *x, const struct cmd_entry *e,
				     const struct cmd_args *a)
{
	return cmd_l2tp_tunnels(x, 0, cmd_has(a, "detail") ? CMD_L2TP_WINDOWS :
				cmd_has(a, "all") ? CMD_L2TP_DETAIL : CMD_L2TP_TABLE);
}

/* `show vpdn session [l2tp] [all|detail]`: every session in full with
 * either. */
static int cmd_l2tp_show_vpdn_session(struct cmd_ctx *x, const struct cmd_entry *e,
				      const struct cmd_args *a)
{
	return cmd_l2tp_sessions(x, 0, cmd_has(a, "all") || cmd_has(a, "detail"));
}

static int cmd_l2tp_clear_tunnel(struct cmd_ctx *x, const struct cmd_entry *e,
				 const struct cmd_args *a)
{
	struct l2tp_tunnel *t = cmd_l2tp_tunnel(x, a->num[0]);
	struct l2tp_session *s;

	if (!t)
		return -ENOENT;
	tunnel_log(t, LOG_NOTICE, "cleared by the operator");
	LIST_FOREACH(s, &t->session_list, link)
		l2tp_session_cause(s, L2TP_TC_ADMIN_RESET);
	l2tp_tunnel_clear(t, L2TP_STOPCCN_GENERAL, -1, "administratively cleared");
	out_uint(x->o, "cleared_tunnel_id", "Tunnel %u cleared\n", a->num[0]);
	return 0;
}

static int cmd_l2tp_clear_session(struct cmd_ctx *x, const struct cmd_entry *e,
				  const struct cmd_args *a)
{
	struct l2tp_tunnel *t = cmd_l2tp_tunnel(x, a->num[0]);
	struct l2tp_session *s;

	if (!t)
		return -ENOENT;
	s = a->num[1] <= 65535 ? l2tp_session_find(t, (uint16_t)a->num[1]) : NULL;
	if (!s) {
		out_error(x->o, "No such session %lu on tunnel %lu", a->num[1], a->num[0]);
		return -ENOENT;
	}
	session_log(s, LOG_NOTICE, "cleared by the operator");
	l2tp_session_cause(s, L2TP_TC_ADMIN_RESET);
	l2tp_session_clear(s, L2TP_CDN_ADMIN, -1, "administratively cleared");
	out_uint(x->o, "cleared_tunnel_id", "Session %u", a->num[0]);
	out_uint(x->o, "cleared_session_id", "/%u cleared\n", a->num[1]);
	return 0;
}

static const struct cmd_entry cmd_l2tp_entries[] = {
	{ M(CMD_MODE_EXEC), "show l2tp tunnel [id <1-65535>] [detail]", cmd_l2tp_show_tunnel, NULL,
	  { 0 }, "tunnels: a table, one tunnel, or the details" },
	{ M(CMD_MODE_EXEC), "show l2tp session [tunnel <1-65535>] [detail]", cmd_l2tp_show_session,
	  NULL, { 0 }, "sessions, of every tunnel or of one" },
	{ M(CMD_MODE_EXEC), "show vpdn tunnel [l2tp] [{all|detail}]", cmd_l2tp_show_vpdn_tunnel,
	  NULL, { 0 }, "the same as show l2tp tunnel, as IOS names it: all shows every tunnel "
	  "in full, detail adds its windows (the receive window HA adjusts, the send window)" },
	{ M(CMD_MODE_EXEC), "show vpdn session [l2tp] [{all|detail}]", cmd_l2tp_show_vpdn_session,
	  NULL, { 0 }, "the same as show l2tp session, as IOS names it: all or detail show "
	  "every session in full" },
	{ M(CMD_MODE_EXEC), "show l2tp statistics", cmd_l2tp_stats_show, NULL, { 0 },
	  "daemon, control channel and data path counters" },
	{ M(CMD_MODE_EXEC), "clear l2tp tunnel id <1-65535>", cmd_l2tp_clear_tunnel, NULL, { 0 },
	  "send StopCCN and remove the tunnel with its sessions" },
	{ M(CMD_MODE_EXEC), "clear l2tp session tunnel <1-65535> id <1-65535>",
	  cmd_l2tp_clear_session, NULL, { 0 }, "send CDN and remove one session" },
};

const struct cmd_table cmd_l2tp_table = CMD_TABLE("l2tp", cmd_l2tp_entries);
