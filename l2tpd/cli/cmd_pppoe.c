/*
 * The PPPoE access side (pppoe/): `bba-group pppoe NAME` and its lines,
 * the access interfaces (`interface eth1`, `interface eth1.100` with
 * `encapsulation dot1Q`, `pppoe enable group`), the PADI rates; `show
 * pppoe session|summary|statistics` and `clear pppoe ...`.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_engine.h"
#include "cli/cmd_pppoe.h"
#include "cli/cmd_topics.h"
#include "core/config.h"
#include "core/out.h"
#include "ha/status.h"
#include "haproto/ha_shadow.h"
#include "l2tpd.h"
#include "pppoe/access.h"
#include "pppoe/lac.h"

static int cmd_pppoe_bba(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct l2tpd_config *cfg = x->cc->cfg;
	struct config_bba_group *b;

	if (!a->var[0])
		return cmd_cfg_fail(x, "no bba-group pppoe: missing argument NAME");
	b = config_bba_find(cfg, a->var[0]);
	if (a->neg) {
		if (!b)
			return cmd_cfg_fail(x, "no bba-group pppoe: no group named '%s'", a->var[0]);
		TAILQ_REMOVE(&cfg->bba_groups, b, link);
		free(b);
		return 0;
	}
	if (!b) {
		if (strlen(a->var[0]) >= CONFIG_NAME_MAX)
			return cmd_cfg_fail(x, "bba-group pppoe: name '%.20s...' is too long "
					    "(at most %d characters)", a->var[0], CONFIG_NAME_MAX - 1);
		b = calloc(1, sizeof *b);
		if (!b)
			return cmd_cfg_fail(x, "bba-group pppoe: out of memory");
		memcpy(b->name, a->var[0], strlen(a->var[0]) + 1);
		b->per_mac_limit = CONFIG_DEF_PPPOE_PER_MAC;
		b->lcp_timeout = CONFIG_DEF_PPPOE_LCP_TIMEOUT;
		TAILQ_INSERT_TAIL(&cfg->bba_groups, b, link);
	}
	x->cc->entered = CMD_MODE_BBA_GROUP;
	x->cc->entered_obj = b;
	return 0;
}

static void cmd_pppoe_print_bba(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_bba_group *b;

	TAILQ_FOREACH(b, &p->cfg->bba_groups, link) {
		const char *v = b->name;
		struct cmd_pr sub = *p;

		cmd_pr_pattern(p, e->pattern, 0, &v, 1);
		sub.obj = b;
		sub.indent = p->indent + 1;
		cmd_print_mode(CMD_MODE_BBA_GROUP, &sub);
		cmd_pr_line(p, "!");
	}
}

/* An access interface's name: a word an interface may have, not too long. */
static int cmd_pppoe_ifname_ok(const char *w)
{
	size_t n = strlen(w);

	if (n == 0 || n >= CONFIG_IFNAME_MAX)
		return 0;
	for (; *w; w++)
		if (*w == '/' || *w == ':' || (unsigned char)*w <= ' ')
			return 0;
	return 1;
}

int cmd_pppoe_interface(struct cmd_ctx *x, int neg, const char *name)
{
	struct l2tpd_config *cfg = x->cc->cfg;
	struct config_access_if *ai = config_access_if_find(cfg, name);

	if (!cmd_pppoe_ifname_ok(name))
		return cmd_cfg_fail(x, "%sinterface: '%.40s' is not an interface name "
				    "(Virtual-Template <1-65535>, or a network interface of at "
				    "most %d characters)", neg ? "no " : "", name,
				    CONFIG_IFNAME_MAX - 1);
	if (neg) {
		if (!ai)
			return cmd_cfg_fail(x, "no interface: %s is not configured", name);
		TAILQ_REMOVE(&cfg->access_ifs, ai, link);
		free(ai);
		return 0;
	}
	if (!ai) {
		ai = calloc(1, sizeof *ai);
		if (!ai)
			return cmd_cfg_fail(x, "interface: out of memory");
		memcpy(ai->name, name, strlen(name) + 1);
		TAILQ_INSERT_TAIL(&cfg->access_ifs, ai, link);
	}
	x->cc->entered = CMD_MODE_ACCESS_IF;
	x->cc->entered_obj = ai;
	return 0;
}

void cmd_pppoe_print_if(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_access_if *ai;

	TAILQ_FOREACH(ai, &p->cfg->access_ifs, link) {
		struct cmd_pr sub = *p;

		cmd_pr_line(p, "interface %s", ai->name);
		sub.obj = ai;
		sub.indent = p->indent + 1;
		cmd_print_mode(CMD_MODE_ACCESS_IF, &sub);
		cmd_pr_line(p, "!");
	}
}

/* `encapsulation dot1Q V [second-dot1q V2]`: on a sub-interface only. */
static int cmd_pppoe_encap(struct cmd_ctx *x, const struct cmd_entry *e,
			   const struct cmd_args *a)
{
	struct config_access_if *ai = x->cc->obj;

	if (a->neg) {
		ai->vlan = ai->vlan2 = 0;
		return 0;
	}
	if (!strchr(ai->name, '.'))
		return cmd_cfg_fail(x, "encapsulation dot1Q: %s is not a sub-interface (write "
				    "'interface %s.%lu')", ai->name, ai->name, a->num[0]);
	ai->vlan = (uint16_t)a->num[0];
	ai->vlan2 = a->var[1] ? (uint16_t)a->num[1] : 0;
	return 0;
}

static void cmd_pppoe_print_encap(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_access_if *ai = p->obj;
	char v1[8], v2[8];
	const char *vals[2] = { v1, NULL };

	if (!ai->vlan)
		return;
	snprintf(v1, sizeof v1, "%u", ai->vlan);
	if (ai->vlan2) {
		snprintf(v2, sizeof v2, "%u", ai->vlan2);
		vals[1] = v2;
	}
	cmd_pr_pattern(p, e->pattern, 0, vals, 2);
}

/* `pppoe rate-limit padi {per-mac|total} N [interval S]` */
static int cmd_pppoe_rate(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct config_pppoe *pc = &x->cc->cfg->pppoe;
	unsigned *rate = e->f.arg ? &pc->padi_total : &pc->padi_mac;
	unsigned *ival = e->f.arg ? &pc->padi_total_interval : &pc->padi_mac_interval;

	if (a->neg) {
		*rate = e->f.arg ? CONFIG_DEF_PADI_TOTAL : CONFIG_DEF_PADI_MAC;
		*ival = CONFIG_DEF_PADI_INTERVAL;
		return 0;
	}
	*rate = (unsigned)a->num[0];
	*ival = a->var[1] ? (unsigned)a->num[1] : CONFIG_DEF_PADI_INTERVAL;
	return 0;
}

static void cmd_pppoe_print_rate(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_pppoe *pc = &p->cfg->pppoe;
	unsigned rate = e->f.arg ? pc->padi_total : pc->padi_mac;
	unsigned ival = e->f.arg ? pc->padi_total_interval : pc->padi_mac_interval;
	unsigned def = e->f.arg ? CONFIG_DEF_PADI_TOTAL : CONFIG_DEF_PADI_MAC;
	char r[16], i[16];
	const char *vals[2] = { r, NULL };

	if (rate == def && ival == CONFIG_DEF_PADI_INTERVAL)
		return;
	snprintf(r, sizeof r, "%u", rate);
	if (ival != CONFIG_DEF_PADI_INTERVAL) {
		snprintf(i, sizeof i, "%u", ival);
		vals[1] = i;
	}
	cmd_pr_pattern(p, e->pattern, 0, vals, 2);
}

/* ---- show and clear ---- */

/* A standby (or a box waiting for keepalived) serves no subscriber: its
 * access side starts at the takeover, from what it holds. */
static void cmd_pppoe_standby(struct cmd_ctx *x)
{
	struct ha_shadow_stats ss = { 0 };
	const struct ha_shadow *sh = ha_status_shadow(x->d);

	if (sh != NULL)
		ha_shadow_get_stats(sh, &ss);
	out_bool(x->o, "configured", NULL, 1);
	out_str(x->o, "redundancy_role", "PPPoE: redundancy %s: no subscriber served here "
		"until a takeover", ha_role_string(ha_status_role(x->d)));
	out_uint(x->o, "checkpointed_sessions", "; %u sessions checkpointed\n", ss.pppoe);
}

static int cmd_pppoe_none(struct cmd_ctx *x)
{
	if (x->d->access)
		return 0;
	if (pppoe_access_configured(&x->d->cfg) && !ha_may_act(x->d)) {
		cmd_pppoe_standby(x);
		return 1;
	}
	out_bool(x->o, "configured", NULL, 0);
	out_text(x->o, "PPPoE is not configured (no interface has 'pppoe enable group')\n");
	return 1;
}

/* The sessions whose checkpoint the standby holds, and this box's role. */
static void cmd_pppoe_redundancy(struct cmd_ctx *x)
{
	const struct pppoe_session *s;
	unsigned n = 0;

	TAILQ_FOREACH(s, &x->d->access->ac->sessions, link)
		n += (unsigned)ha_status_pppoe_checkpointed(x->d, s);
	out_str(x->o, "redundancy_role", "Redundancy: %s",
		ha_role_string(ha_status_role(x->d)));
	out_uint(x->o, "checkpointed_sessions", ", %u sessions checkpointed", n);
	out_uint(x->o, "discovery_held", ", discovery held during takeovers %u",
		 x->d->access->ac->stats.disc_held);
	out_uint(x->o, "restored_sessions", ", sessions rebuilt %u\n",
		 x->d->access->ac->stats.sessions_restored);
}

static void cmd_pppoe_vlans(const struct pppoe_if *ifp, char *buf, size_t size)
{
	if (ifp->nvlan == 0)
		snprintf(buf, size, "-");
	else if (ifp->nvlan == 1)
		snprintf(buf, size, "%u", ifp->vlan[0]);
	else
		snprintf(buf, size, "%u-%u", ifp->vlan[0], ifp->vlan[1]);
}

/* How the calls' frames travel: relayed by us, or bridged in the kernel
 * (the frames the kernel sessions counted, the ended ones' included). */
static void cmd_pppoe_switching(struct cmd_ctx *x)
{
	const struct pppoe_access *a = x->d->access;
	struct out *o = x->o;
	uint64_t up, down;

	pppoe_lac_bridged_frames(a, &up, &down);
	out_str(o, "switching", "Switching: %s\n",
		dp_can(x->d->dp, DP_CAP_BRIDGE) ? "kernel" : "user space");
	out_uint(o, "relayed_to_lns", "Relayed frames: to the LNS %u", a->lac.relayed_up);
	out_uint(o, "relayed_to_subscriber", ", to subscribers %u\n", a->lac.relayed_down);
	out_uint(o, "bridged_calls", "Bridged calls: %u", a->lac.bridged);
	out_uint(o, "bridge_refused", ", refused %u", a->lac.bridge_failed);
	out_uint(o, "bridged_to_lns", "; frames to the LNS %u", up);
	out_uint(o, "bridged_to_subscriber", ", to subscribers %u\n\n", down);
}

static int cmd_pppoe_show_summary(struct cmd_ctx *x, const struct cmd_entry *e,
				  const struct cmd_args *a)
{
	struct out *o = x->o;
	const struct pppoe_if *ifp;
	const struct pppoe_ac *ac;

	if (cmd_pppoe_none(x))
		return 0;
	ac = x->d->access->ac;
	out_bool(o, "configured", NULL, 1);
	out_uint(o, "total_sessions", "PPPoE: %u sessions", ac->n_sessions);
	out_uint(o, "ports", " on %u ports\n", x->d->access->n_ports);
	cmd_pppoe_redundancy(x);
	cmd_pppoe_switching(x);
	out_text(o, "%-16s %-12s %-12s %-9s %-8s %-6s %s\n", "Interface", "BBA-Group", "AC-Name",
		 "VLANs", "Sessions", "Max", "NAS-Port-Id");
	out_arr_open(o, "interfaces");
	TAILQ_FOREACH(ifp, &ac->ifs, link) {
		char vl[16], npi[48], max[12];

		cmd_pppoe_vlans(ifp, vl, sizeof vl);
		pppoe_access_nas_port_id(ifp, npi, sizeof npi);
		snprintf(max, sizeof max, ifp->max_sessions ? "%u" : "-", ifp->max_sessions);
		out_obj_open(o, NULL);
		out_str(o, "interface", "%-16s ", ifp->name);
		out_str(o, "bba_group", "%-12s ", ifp->group);
		out_str(o, "ac_name", "%-12s ", ifp->ac_name);
		out_uint(o, "outer_vlan", NULL, ifp->nvlan > 0 ? ifp->vlan[0] : 0);
		out_uint(o, "inner_vlan", NULL, ifp->nvlan > 1 ? ifp->vlan[1] : 0);
		out_text(o, "%-9s ", vl);
		out_uint(o, "sessions", "%-8u ", ifp->n_sessions);
		out_uint(o, "max_sessions", NULL, ifp->max_sessions);
		out_uint(o, "per_mac_limit", NULL, ifp->per_mac_limit);
		out_uint(o, "pado_delay_ms", NULL, ifp->pado_delay_ms);
		out_text(o, "%-6s ", max);
		out_str(o, "nas_port_id", "%s\n", npi);
		out_obj_close(o);
	}
	out_arr_close(o);
	return 0;
}

/* The session's PPP: its state, user, call (tunnel and session IDs of the
 * LAC's side) or address (terminated here). */
static void cmd_pppoe_session_ppp(const struct l2tpd *d, struct out *o,
				  const struct pppoe_session *s)
{
	struct pppoe_lac_info li = { .state = PPPOE_LAC_NEGOTIATING, .user = "", .ifname = "" };
	char addr[INET_ADDRSTRLEN] = "-";

	pppoe_lac_info(s, &li);
	if (li.peer_addr != 0)
		inet_ntop(AF_INET, &li.peer_addr, addr, sizeof addr);
	out_str(o, "ppp_state", "       ppp %s", pppoe_lac_state_name(li.state));
	out_str(o, "user", ", user %s", li.user[0] ? li.user : "-");
	out_uint(o, "l2tp_tunnel_id", ", l2tp tunnel %u", li.tunnel_id);
	out_uint(o, "l2tp_session_id", " session %u", li.session_id);
	out_str(o, "peer_address", ", address %s", addr);
	out_str(o, "ppp_interface", ", interface %s\n", li.ifname[0] ? li.ifname : "-");
	out_str(o, "switching", "       switched %s",
		li.state == PPPOE_LAC_BRIDGED ? "kernel" : li.has_frames ? "user" : "-");
	out_uint(o, "frames_to_lns", ", frames to the LNS %u", li.frames_up);
	out_uint(o, "frames_to_subscriber", ", to the subscriber %u", li.frames_down);
	out_bool(o, "checkpointed", NULL, ha_status_pppoe_checkpointed(d, s));
	out_text(o, ", %s\n", ha_status_pppoe_checkpointed(d, s) ? "checkpointed" :
		 "not checkpointed");
}

static void cmd_pppoe_session_row(struct cmd_ctx *x, const struct pppoe_session *s)
{
	struct out *o = x->o;
	char mac[18], up[24];

	pppoe_mac_fmt(mac, sizeof mac, s->mac);
	out_fmt_age(up, sizeof up, cmd_since(x->d, s->created_ms));
	out_obj_open(o, NULL);
	out_uint(o, "session_id", "%-6u ", s->id);
	out_str(o, "interface", "%-12s ", s->ifp->name);
	out_str(o, "mac", "%-17s ", mac);
	out_str(o, "uptime", "%-9s ", up);
	out_uint(o, "uptime_seconds", NULL, cmd_since(x->d, s->created_ms) / 1000);
	out_uint(o, "rx_frames", "%-8u ", s->rx_frames);
	out_uint(o, "tx_frames", "%-8u ", s->tx_frames);
	out_uint(o, "rx_bytes", NULL, s->rx_bytes);
	out_uint(o, "tx_bytes", NULL, s->tx_bytes);
	out_str(o, "service_name", "%s\n", s->service[0] ? s->service : "-");
	out_str(o, "circuit_id", "       circuit-id %s", s->circuit_id[0] ? s->circuit_id : "-");
	out_str(o, "remote_id", ", remote-id %s", s->remote_id[0] ? s->remote_id : "-");
	out_uint(o, "rate_up_kbps", ", line %u", s->rate_up);
	out_uint(o, "rate_down_kbps", "/%u kbit/s", s->rate_down);
	out_uint(o, "max_payload", ", ppp-max-payload %u\n", s->max_payload);
	cmd_pppoe_session_ppp(x->d, o, s);
	out_obj_close(o);
}

/* The WORD of `show pppoe session [{interface|mac}] [WORD]`: the keyword
 * chosen takes a variable of its own, before it. */
static const char *cmd_pppoe_session_word(const struct cmd_args *a, int keyword)
{
	const char *w = NULL;

	for (int i = keyword ? 1 : 0; i < a->nvar && i < CMD_MAX_TOK; i++)
		if (a->var[i])
			w = a->var[i];
	return w;
}

static int cmd_pppoe_show_session(struct cmd_ctx *x, const struct cmd_entry *e,
				  const struct cmd_args *a)
{
	const int by_if = cmd_has(a, "interface"), by_mac = cmd_has(a, "mac");
	const char *w = cmd_pppoe_session_word(a, by_if || by_mac);
	struct out *o = x->o;
	const struct pppoe_session *s;
	uint8_t mac[PPPOE_ETH_ALEN];
	unsigned n = 0;

	if ((by_if || by_mac) && !w) {
		out_error(o, "show pppoe session %s: missing argument WORD",
			  by_if ? "interface" : "mac");
		return -EINVAL;
	}
	if (!by_if && !by_mac && w) {
		out_error(o, "show pppoe session: '%s': expected interface or mac", w);
		return -EINVAL;
	}
	if (by_mac && pppoe_mac_parse(w, mac) < 0) {
		out_error(o, "show pppoe session mac: '%s' is not a MAC (aa:bb:cc:dd:ee:ff)", w);
		return -EINVAL;
	}
	if (cmd_pppoe_none(x))
		return 0;
	out_text(o, "%-6s %-12s %-17s %-9s %-8s %-8s %s\n", "ID", "Interface", "MAC", "Uptime",
		 "Rx", "Tx", "Service");
	out_arr_open(o, "sessions");
	TAILQ_FOREACH(s, &x->d->access->ac->sessions, link) {
		if (by_if && strcmp(s->ifp->name, w) != 0)
			continue;
		if (by_mac && memcmp(s->mac, mac, PPPOE_ETH_ALEN) != 0)
			continue;
		cmd_pppoe_session_row(x, s);
		n++;
	}
	out_arr_close(o);
	out_uint(o, "total_sessions", "%u sessions\n", n);
	return 0;
}

#define PS(member, key, text) OUT_COUNTER(struct pppoe_stats, member, key, text)
#define PE(reason, key) \
	PS(rx_err[reason], "rx_malformed_" key, "  malformed, " key ": %u\n")

static const struct out_counter cmd_pppoe_counters[] = {
	PS(rx_frames, "rx_frames", "  frames received: %u\n"),
	PS(rx_no_if, "rx_no_interface", "  for no access interface (port, VLANs): %u\n"),
	PE(PPPOE_ERR_SHORT, "short"),
	PE(PPPOE_ERR_VLAN, "vlan"),
	PE(PPPOE_ERR_ETHERTYPE, "ethertype"),
	PE(PPPOE_ERR_VER_TYPE, "ver_type"),
	PE(PPPOE_ERR_LENGTH, "length"),
	PE(PPPOE_ERR_CODE, "code"),
	PE(PPPOE_ERR_SESSION_ID, "session_id"),
	PE(PPPOE_ERR_TAG_TRUNC, "tag_truncated"),
	PE(PPPOE_ERR_TAG_LEN, "tag_length"),
	PE(PPPOE_ERR_SERVICE, "service_name"),
	PE(PPPOE_ERR_TAG_VALUE, "tag_value"),
	PE(PPPOE_ERR_VENDOR, "vendor_tag"),
	PE(PPPOE_ERR_TOO_BIG, "too_big"),
	PS(rx_padi, "rx_padi", "  PADI received: %u"),
	PS(padi_rate_mac, "padi_rate_mac", ", over the per-MAC rate %u"),
	PS(padi_rate_total, "padi_rate_total", ", over the total rate %u"),
	PS(padi_limit, "padi_limit", ", at a session limit %u\n"),
	PS(pado_tx, "pado_tx", "  PADO sent: %u"),
	PS(pado_queue_full, "pado_queue_full", ", not delayed (queue full) %u\n"),
	PS(rx_padr, "rx_padr", "  PADR received: %u"),
	PS(padr_no_cookie, "padr_no_cookie", ", without a cookie %u"),
	PS(padr_bad_cookie, "padr_bad_cookie", ", forged cookie %u"),
	PS(padr_stale_cookie, "padr_stale_cookie", ", stale cookie %u"),
	PS(padr_dup, "padr_repeated", ", repeated %u\n"),
	PS(pads_tx, "pads_tx", "  PADS sent: %u"),
	PS(pads_refused, "pads_refused", ", refusing (AC-System-Error) %u\n"),
	PS(rx_padt, "rx_padt", "  PADT received: %u"),
	PS(padt_rx_unknown, "padt_rx_unknown", ", for no session of the sender %u"),
	PS(padt_tx, "padt_tx", "; sent: %u\n"),
	PS(rx_unexpected, "rx_unexpected", "  PADO or PADS received: %u\n"),
	PS(rx_sess, "rx_session_frames", "  session frames received: %u"),
	PS(tx_sess, "tx_session_frames", ", sent %u\n"),
	PS(rx_sess_unknown, "rx_session_unknown", "  session frames for no session: %u"),
	PS(padt_unknown_tx, "padt_unknown_tx", ", answered with a PADT %u\n"),
	PS(tx_errors, "tx_errors", "  send errors: %u\n"),
	PS(sessions_created, "sessions_created", "  sessions created: %u"),
	PS(sessions_ended[PPPOE_END_PADT], "sessions_ended_padt", ", ended by PADT %u"),
	PS(sessions_ended[PPPOE_END_CLEAR], "sessions_ended_clear", ", cleared %u"),
	PS(sessions_ended[PPPOE_END_LOCAL], "sessions_ended_local", ", by us %u"),
	PS(sessions_ended[PPPOE_END_SHUTDOWN], "sessions_ended_shutdown", ", at shutdown %u\n"),
};

#define PL(member, key, text) OUT_COUNTER(struct pppoe_lac_stats, member, key, text)

static const struct out_counter cmd_pppoe_lac_counters[] = {
	PL(started, "ppp_started", "  PPP started: %u"),
	PL(lcp_timeouts, "ppp_lcp_timeouts", ", cleared with LCP unfinished %u\n"),
	PL(calls_placed, "lac_calls_placed", "  calls to an LNS: %u"),
	PL(calls_up, "lac_calls_up", ", up %u"),
	PL(call_failed, "lac_calls_failed", ", not placed %u"),
	PL(cleared_by_cdn, "lac_cleared_by_call", ", sessions ended by their call %u\n"),
	PL(relayed_up, "relayed_to_lns", "  frames relayed to the LNS: %u"),
	PL(relayed_down, "relayed_to_subscriber", ", to the subscriber %u"),
	PL(relay_dropped, "relay_dropped", ", dropped while dialing %u"),
	PL(relay_tx_errors, "relay_errors", ", not sent %u\n"),
	PL(bridged, "lac_calls_bridged", "  calls switched in the kernel: %u"),
	PL(bridge_failed, "lac_bridge_refused", ", refused %u"),
	PL(kernel_open_failed, "kernel_pppoe_refused",
	   ", PPPoE sessions the kernel did not take %u\n"),
	PL(local_up, "local_up", "  terminated here: %u"),
	PL(local_refused, "local_refused", ", refused %u"),
	PL(local_unit_failed, "local_unit_refused", ", PPP interface refused %u\n"),
	PL(radius_asked, "radius_tunnel_asked", "  tunnels asked of RADIUS: %u"),
	PL(radius_chosen, "radius_tunnel_chosen", ", calls on RADIUS's tunnel %u"),
	PL(radius_next, "radius_tunnel_next", ", next set tried %u"),
	PL(radius_refused, "radius_tunnel_refused", ", refused %u"),
	PL(radius_none, "radius_tunnel_none", ", left to the vpdn-group %u\n"),
	PL(mss_clamped, "mss_clamped", "  TCP MSS clamped: %u"),
	PL(mss_malformed, "mss_malformed", ", IP frames too malformed to look at %u\n"),
};

static int cmd_pppoe_show_stats(struct cmd_ctx *x, const struct cmd_entry *e,
				const struct cmd_args *a)
{
	if (cmd_pppoe_none(x))
		return 0;
	out_bool(x->o, "configured", NULL, 1);
	out_text(x->o, "PPPoE statistics:\n");
	out_counters(x->o, OUT_COUNTERS(cmd_pppoe_counters), &x->d->access->ac->stats, OUT_ALL);
	out_uint(x->o, "rx_ppp_dropped", "  PPP frames of sessions without PPP: %u\n",
		 x->d->access->rx_ppp_dropped);
	out_uint(x->o, "ppp_start_failed", "  sessions whose PPP could not start: %u\n",
		 x->d->access->ppp_start_failed);
	out_counters(x->o, OUT_COUNTERS(cmd_pppoe_lac_counters), &x->d->access->lac, OUT_ALL);
	return 0;
}

/* Does the clear command of kind `kind` (all, interface, mac, session) take s? */
static int cmd_pppoe_clear_match(const struct pppoe_session *s, long kind,
				 const struct cmd_args *a, const uint8_t mac[PPPOE_ETH_ALEN])
{
	switch (kind) {
	case 1: return strcmp(s->ifp->name, a->var[0]) == 0;
	case 2: return memcmp(s->mac, mac, PPPOE_ETH_ALEN) == 0;
	case 3: return s->id == a->num[0];
	default: return 1;
	}
}

static int cmd_pppoe_clear(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct pppoe_session *s, *next;
	uint8_t mac[PPPOE_ETH_ALEN] = { 0 };
	unsigned n = 0;

	if (e->f.arg == 2 && pppoe_mac_parse(a->var[0], mac) < 0) {
		out_error(x->o, "clear pppoe mac: '%s' is not a MAC (aa:bb:cc:dd:ee:ff)",
			  a->var[0]);
		return -EINVAL;
	}
	if (!x->d->access) {
		out_error(x->o, "PPPoE is not configured");
		return -ENOENT;
	}
	if (e->f.arg == 1 && !pppoe_ac_if_find(x->d->access->ac, a->var[0])) {
		out_error(x->o, "No such access interface %s", a->var[0]);
		return -ENOENT;
	}
	for (s = TAILQ_FIRST(&x->d->access->ac->sessions); s; s = next) {
		next = TAILQ_NEXT(s, link);
		if (!cmd_pppoe_clear_match(s, e->f.arg, a, mac))
			continue;
		pppoe_session_close(x->d->access->ac, s, PPPOE_END_CLEAR);
		n++;
	}
	if (e->f.arg == 3 && n == 0) {
		out_error(x->o, "No such PPPoE session %lu", a->num[0]);
		return -ENOENT;
	}
	out_uint(x->o, "cleared_sessions", "%u PPPoE sessions cleared\n", n);
	return 0;
}

static const struct cmd_entry cmd_pppoe_entries[] = {
	{ M(CMD_MODE_CONFIG), "[no] bba-group pppoe WORD", cmd_pppoe_bba, cmd_pppoe_print_bba,
	  { 0 }, "enter (create or edit) a PPPoE profile of access interfaces; `no` deletes it" },
	{ M(CMD_MODE_CONFIG), "[no] pppoe rate-limit padi per-mac <1-1000000> "
	  "[interval <1-3600>]", cmd_pppoe_rate, cmd_pppoe_print_rate, { .arg = 0 },
	  "PADIs answered from one MAC per interval (default 10 per 1 s)" },
	{ M(CMD_MODE_CONFIG), "[no] pppoe rate-limit padi total <1-1000000> [interval <1-3600>]",
	  cmd_pppoe_rate, cmd_pppoe_print_rate, { .arg = 1 },
	  "PADIs answered from every MAC per interval (default 2000 per 1 s)" },
	{ M(CMD_MODE_BBA_GROUP), "[no] virtual-template <1-65535>", cmd_set_field,
	  cmd_print_field, BFIELD(FT_INT, virtual_template, 0),
	  "the PPP profile of sessions terminated here" },
	{ M(CMD_MODE_BBA_GROUP), "[no] ac name WORD", cmd_set_field, cmd_print_field,
	  BFIELD(FT_STR, ac_name, 0), "the AC-Name of our PADOs (default the hostname)" },
	{ M(CMD_MODE_BBA_GROUP), "[no] sessions per-mac limit <0-65535>", cmd_set_field,
	  cmd_print_field, BFIELD(FT_UINT, per_mac_limit, CONFIG_DEF_PPPOE_PER_MAC),
	  "sessions one MAC may hold on an interface of the group (default 100; 0 = no limit)" },
	{ M(CMD_MODE_BBA_GROUP), "[no] pado delay <0-10000>", cmd_set_field, cmd_print_field,
	  BFIELD(FT_UINT, pado_delay_ms, 0),
	  "milliseconds before our PADO leaves (another AC answers first; default 0)" },
	{ M(CMD_MODE_BBA_GROUP), "[no] lcp timeout <1-3600>", cmd_set_field, cmd_print_field,
	  BFIELD(FT_UINT, lcp_timeout, CONFIG_DEF_PPPOE_LCP_TIMEOUT),
	  "seconds a subscriber has to finish LCP before it is cleared (PADT; default 30)" },
	{ M(CMD_MODE_ACCESS_IF), "[no] encapsulation dot1Q <1-4094> [second-dot1q <1-4094>]",
	  cmd_pppoe_encap, cmd_pppoe_print_encap, { 0 },
	  "the sub-interface's 802.1Q tag, and the inner tag of QinQ" },
	{ M(CMD_MODE_ACCESS_IF), "[no] pppoe enable group WORD", cmd_set_field, cmd_print_field,
	  IFIELD(FT_STR, group, 0), "serve PPPoE on the interface with this bba-group" },
	{ M(CMD_MODE_ACCESS_IF), "[no] pppoe max-sessions <1-65535>", cmd_set_field,
	  cmd_print_field, IFIELD(FT_UINT, max_sessions, 0),
	  "sessions the interface holds at most (default no limit)" },
	{ M(CMD_MODE_EXEC), "show pppoe summary", cmd_pppoe_show_summary, NULL, { 0 },
	  "access interfaces: bba-group, AC name, VLANs, NAS-Port-Id, sessions" },
	{ M(CMD_MODE_EXEC), "show pppoe session [{interface|mac}] [WORD]", cmd_pppoe_show_session,
	  NULL, { 0 }, "PPPoE sessions (of an interface, of a MAC): subscriber, access line, "
	  "frames" },
	{ M(CMD_MODE_EXEC), "show pppoe statistics", cmd_pppoe_show_stats, NULL, { 0 },
	  "discovery and session frames by kind, refusals by reason" },
	{ M(CMD_MODE_EXEC), "clear pppoe all", cmd_pppoe_clear, NULL, { .arg = 0 },
	  "end every PPPoE session (a PADT to each subscriber)" },
	{ M(CMD_MODE_EXEC), "clear pppoe interface WORD", cmd_pppoe_clear, NULL, { .arg = 1 },
	  "end the PPPoE sessions of an access interface" },
	{ M(CMD_MODE_EXEC), "clear pppoe mac WORD", cmd_pppoe_clear, NULL, { .arg = 2 },
	  "end the PPPoE sessions of a MAC (aa:bb:cc:dd:ee:ff)" },
	{ M(CMD_MODE_EXEC), "clear pppoe session <1-65534>", cmd_pppoe_clear, NULL, { .arg = 3 },
	  "end one PPPoE session" },
};

const struct cmd_table cmd_pppoe_table = CMD_TABLE("pppoe", cmd_pppoe_entries);
