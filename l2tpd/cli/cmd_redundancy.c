/*
 * Redundancy, the active/standby pair: the `redundancy` block (mode sso,
 * the checkpoint link's ends, keys, heartbeat, virtual address), what
 * keepalived and the operator say (`redundancy state`, `redundancy
 * switchover`), the HA tests' crash points, and `show l2tp|vpdn
 * redundancy` (its show code: cli/cmd_redundancy_show.c).  The block is
 * checked as a whole at the end of the file (cli/config_load.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd_engine.h"
#include "cli/cmd_redundancy_show.h"
#include "cli/cmd_topics.h"
#include "core/config.h"
#include "core/out.h"
#include "ha/ha.h"
#include "ha/status.h"
#include "haproto/ha_link.h"

static int cmd_redundancy_block(struct cmd_ctx *x, const struct cmd_entry *e,
				const struct cmd_args *a)
{
	struct config_redundancy *r = &x->cc->cfg->red;

	if (a->neg) {
		memset(r->secret_key, 0, sizeof r->secret_key);
		config_redundancy_defaults(r);
		return 0;
	}
	r->configured = 1;
	x->cc->entered = CMD_MODE_REDUNDANCY;
	x->cc->entered_grp = NULL;
	return 0;
}

static void cmd_redundancy_print_block(const struct cmd_entry *e, struct cmd_pr *p)
{
	struct cmd_pr sub = *p;

	if (!p->cfg->red.configured)
		return;
	/* the "!" after it is the one vpdn-group always prints next */
	cmd_pr_pattern(p, e->pattern, 0, NULL, 0);
	sub.indent = p->indent + 1;
	cmd_print_mode(CMD_MODE_REDUNDANCY, &sub);
}

/* `checkpoint local|peer A [port P]`: e->f.arg says which (0 local, 1 peer). */
static int cmd_redundancy_addr(struct cmd_ctx *x, const struct cmd_entry *e,
			       const struct cmd_args *a)
{
	struct config_redundancy *r = &x->cc->cfg->red;
	struct in_addr *addr = e->f.arg ? &r->peer : &r->local;
	uint16_t *port = e->f.arg ? &r->peer_port : &r->local_port;
	uint32_t h = ntohl(a->ip[0].s_addr);

	if (a->neg) {
		addr->s_addr = 0;
		*port = CONFIG_DEF_CKPT_PORT;
		return 0;
	}
	if (h == 0 || h == 0xffffffffu || (h >> 28) == 0xe)
		return cmd_cfg_fail(x, "checkpoint %s: %s is not a usable address",
				    e->f.arg ? "peer" : "local", a->var[0]);
	*addr = a->ip[0];
	*port = a->var[1] ? (uint16_t)a->num[1] : CONFIG_DEF_CKPT_PORT;
	return 0;
}

static void cmd_redundancy_print_addr(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_redundancy *r = &p->cfg->red;
	const struct in_addr *addr = e->f.arg ? &r->peer : &r->local;
	uint16_t port = e->f.arg ? r->peer_port : r->local_port;
	char ip[INET_ADDRSTRLEN], num[8];
	const char *vals[2] = { ip, NULL };

	if (!addr->s_addr)
		return;
	inet_ntop(AF_INET, addr, ip, sizeof ip);
	if (port != CONFIG_DEF_CKPT_PORT) {
		snprintf(num, sizeof num, "%u", port);
		vals[1] = num;
	}
	cmd_pr_pattern(p, e->pattern, 0, vals, 2);
}

static int cmd_redundancy_curve(struct cmd_ctx *x, const struct cmd_entry *e,
				const struct cmd_args *a)
{
	static const char *const names[3] = { "public-key", "secret-key", "peer-key" };
	struct config_redundancy *r = &x->cc->cfg->red;

	if (a->neg) {
		memset(r->public_key, 0, sizeof r->public_key);
		memset(r->secret_key, 0, sizeof r->secret_key);
		memset(r->peer_key, 0, sizeof r->peer_key);
		r->curve = 0;
		return 0;
	}
	if (!a->var[0])
		return cmd_cfg_fail(x, "checkpoint curve: incomplete command (expected "
				    "public-key)");
	for (int i = 0; i < 3; i++)
		if (strlen(a->var[i]) != HA_KEY_LEN || !ha_link_key_valid(a->var[i]))
			return cmd_cfg_fail(x, "checkpoint curve: %s '%.12s...' is not a CURVE "
					    "key (%d characters of Z85; `l2tpctl redundancy keygen` "
					    "makes a pair)", names[i], a->var[i], HA_KEY_LEN);
	if (strcmp(a->var[0], a->var[2]) == 0)
		return cmd_cfg_fail(x, "checkpoint curve: peer-key is this box's own public-key "
				    "(give the other box's)");
	if (strcmp(a->var[0], a->var[1]) == 0)
		return cmd_cfg_fail(x, "checkpoint curve: secret-key is the public-key");
	memcpy(r->public_key, a->var[0], HA_KEY_LEN + 1);
	memcpy(r->secret_key, a->var[1], HA_KEY_LEN + 1);
	memcpy(r->peer_key, a->var[2], HA_KEY_LEN + 1);
	r->curve = 1;
	return 0;
}

/* Keys are printed as written: the file holding them must be mode 0600. */
static void cmd_redundancy_print_curve(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_redundancy *r = &p->cfg->red;
	const char *vals[3] = { r->public_key, r->secret_key, r->peer_key };

	if (r->curve)
		cmd_pr_pattern(p, e->pattern, 0, vals, 3);
}

/* `no checkpoint curve`, without the keys (the full pattern needs them). */
static int cmd_redundancy_curve_off(struct cmd_ctx *x, const struct cmd_entry *e,
				    const struct cmd_args *a)
{
	if (!a->neg)
		return cmd_cfg_fail(x, "checkpoint curve: incomplete command (expected "
				    "public-key)");
	return cmd_redundancy_curve(x, e, a);
}

static int cmd_redundancy_heartbeat(struct cmd_ctx *x, const struct cmd_entry *e,
				    const struct cmd_args *a)
{
	struct config_redundancy *r = &x->cc->cfg->red;

	if (a->neg) {
		r->heartbeat_ms = CONFIG_DEF_HEARTBEAT_MS;
		r->dead_ms = CONFIG_DEF_DEAD_MS;
		return 0;
	}
	/* one lost heartbeat must not declare the other box dead */
	if (a->num[1] < 2 * a->num[0])
		return cmd_cfg_fail(x, "checkpoint heartbeat: dead-interval %lu ms is less than "
				    "twice the heartbeat (%lu ms)", a->num[1], a->num[0]);
	r->heartbeat_ms = (unsigned)a->num[0];
	r->dead_ms = (unsigned)a->num[1];
	return 0;
}

static void cmd_redundancy_print_heartbeat(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_redundancy *r = &p->cfg->red;
	char hb[16], dead[16];
	const char *vals[2] = { hb, dead };

	if (r->heartbeat_ms == CONFIG_DEF_HEARTBEAT_MS && r->dead_ms == CONFIG_DEF_DEAD_MS)
		return;
	snprintf(hb, sizeof hb, "%u", r->heartbeat_ms);
	snprintf(dead, sizeof dead, "%u", r->dead_ms);
	cmd_pr_pattern(p, e->pattern, 0, vals, 2);
}

static int cmd_redundancy_state(struct cmd_ctx *x, const struct cmd_entry *e,
				const struct cmd_args *a)
{
	char err[256] = "";
	int r;

	r = ha_set_state(x->d, a->var[0], err, sizeof err);
	if (r < 0) {
		out_error(x->o, "%s", err[0] ? err : strerror(-r));
		return r;
	}
	out_str(x->o, "role", "Redundancy role %s\n", ha_role_string(ha_status_role(x->d)));
	return 0;
}

static int cmd_redundancy_switchover(struct cmd_ctx *x, const struct cmd_entry *e,
				     const struct cmd_args *a)
{
	char err[256] = "";
	int r;

	r = ha_switchover(x->d, err, sizeof err);
	if (r < 0) {
		out_error(x->o, "%s", err[0] ? err : strerror(-r));
		return r;
	}
	out_str(x->o, "role", "Switchover started; redundancy role %s\n",
		ha_role_string(ha_status_role(x->d)));
	return 0;
}

/* Hidden: the HA tests kill the daemon at a chosen point of the protocol,
 * at the first message there or at the first of one type. */
static int cmd_redundancy_crash_point(struct cmd_ctx *x, const struct cmd_entry *e,
				      const struct cmd_args *a)
{
	const char *msg = a->nvar > 1 ? a->var[1] : NULL;

	if (ha_crash_point(x->d, a->var[0], msg) < 0) {
		out_error(x->o, "%s: no control message of that type at crash point %s", msg,
			  a->var[0]);
		return -EINVAL;
	}
	out_str(x->o, "crash_point", "Crash point %s\n", a->var[0]);
	if (msg != NULL)
		out_str(x->o, "crash_message", "At message %s\n", msg);
	return 0;
}

static int cmd_redundancy_show_cmd(struct cmd_ctx *x, const struct cmd_entry *e,
				   const struct cmd_args *a)
{
	struct cmd_redundancy_req rq;

	memset(&rq, 0, sizeof rq);
	rq.vpdn = cmd_has(a, "vpdn");
	rq.all = cmd_has(a, "all");
	rq.detail = cmd_has(a, "detail");
	if (a->nvar > 0 && a->var[0])
		rq.tid = (uint16_t)a->num[0];
	if (a->nvar > 1 && a->var[1])
		rq.sid = (uint16_t)a->num[1];
	return cmd_redundancy_show(x->d, x->o, &rq);
}

static const struct cmd_entry cmd_redundancy_entries[] = {
	{ M(CMD_MODE_CONFIG), "[no] redundancy", cmd_redundancy_block, cmd_redundancy_print_block,
	  { 0 },
	  "enter the redundancy mode: the active/standby pair (`no` removes it)" },
	{ M(CMD_MODE_REDUNDANCY), "[no] mode sso", cmd_set_field, cmd_print_field,
	  GFIELD(FT_BOOL, red.mode_sso, 0), "stateful switchover (required)" },
	{ M(CMD_MODE_REDUNDANCY), "[no] checkpoint local A.B.C.D [port <1-65535>]",
	  cmd_redundancy_addr, cmd_redundancy_print_addr, { .arg = 0 },
	  "where this box serves the checkpoint link as active (port 17010 by default)" },
	{ M(CMD_MODE_REDUNDANCY), "[no] checkpoint peer A.B.C.D [port <1-65535>]",
	  cmd_redundancy_addr, cmd_redundancy_print_addr, { .arg = 1 },
	  "the other box of the pair, connected to as standby (port 17010 by default)" },
	{ M(CMD_MODE_REDUNDANCY), "[no] checkpoint curve public-key WORD secret-key WORD "
	  "peer-key WORD", cmd_redundancy_curve, cmd_redundancy_print_curve, { 0 },
	  "CURVE keys of the link: this box's pair and the peer's public key" },
	{ M(CMD_MODE_REDUNDANCY) | CMD_HIDDEN, "[no] checkpoint curve", cmd_redundancy_curve_off,
	  NULL, { 0 }, "remove the CURVE keys" },
	{ M(CMD_MODE_REDUNDANCY), "[no] checkpoint security none", cmd_set_field, cmd_print_field,
	  GFIELD(FT_BOOL, red.security_none, 0),
	  "an unauthenticated link (labs, benchmarks), instead of curve keys" },
	{ M(CMD_MODE_REDUNDANCY), "[no] checkpoint heartbeat <10-10000> dead-interval <20-60000>",
	  cmd_redundancy_heartbeat, cmd_redundancy_print_heartbeat, { 0 },
	  "ms between heartbeats, ms of silence before the other box is gone "
	  "(default 100 1000)" },
	{ M(CMD_MODE_REDUNDANCY), "[no] virtual-address A.B.C.D", cmd_set_field, cmd_print_field,
	  GFIELD(FT_IP, red.vip, 0), "the VRRP address the tunnels live on" },
	{ M(CMD_MODE_REDUNDANCY), "[no] vrrp fault-file WORD", cmd_set_field, cmd_print_field,
	  GFIELD(FT_STR, red.fault_file, 0),
	  "the file keepalived tracks (track_file, weight 0): a switchover writes 1 there so "
	  "that VRRP moves the address, then 0" },
	{ M(CMD_MODE_EXEC), "show l2tp redundancy all", cmd_redundancy_show_cmd, NULL, { 0 },
	  "HA summary, then every tunnel and session with its checkpoint state" },
	{ M(CMD_MODE_EXEC), "show l2tp redundancy [detail]", cmd_redundancy_show_cmd, NULL, { 0 },
	  "HA summary: role, standby, checkpointed and resynced tunnels and sessions; "
	  "detail adds the checkpoint link's counters" },
	{ M(CMD_MODE_EXEC), "show l2tp redundancy [detail] id <1-65535> [<1-65535>]",
	  cmd_redundancy_show_cmd, NULL, { 0 },
	  "the checkpoint state of one tunnel (local ID) or one of its sessions" },
	{ M(CMD_MODE_EXEC), "show vpdn redundancy all", cmd_redundancy_show_cmd, NULL, { 0 },
	  "the same as show l2tp redundancy all" },
	{ M(CMD_MODE_EXEC), "show vpdn redundancy [detail]", cmd_redundancy_show_cmd, NULL, { 0 },
	  "the same as show l2tp redundancy [detail]" },
	{ M(CMD_MODE_EXEC), "show vpdn redundancy [detail] id <1-65535> [<1-65535>]",
	  cmd_redundancy_show_cmd, NULL, { 0 },
	  "the same as show l2tp redundancy [detail] id ..." },
	{ M(CMD_MODE_EXEC), "redundancy state {master|backup|fault}", cmd_redundancy_state, NULL,
	  { 0 },
	  "the VRRP state keepalived reports: master takes over, backup becomes the "
	  "standby, fault goes silent" },
	{ M(CMD_MODE_EXEC), "redundancy switchover", cmd_redundancy_switchover, NULL, { 0 },
	  "hand the tunnels to the standby (run on the active) and, with a vrrp fault-file, "
	  "the address with them" },
	{ M(CMD_MODE_EXEC) | CMD_HIDDEN | CMD_ROOT, "test redundancy crash-point "
	  "{none|tx-before-ckpt|ckpt-before-tx|resync} [message WORD]", cmd_redundancy_crash_point,
	  NULL, { 0 },
	  "die at this point of the checkpoint protocol (HA tests), at the first control "
	  "message or the first of this type (ICRP, HELLO, ...)" },
};

const struct cmd_table cmd_redundancy_table = CMD_TABLE("redundancy", cmd_redundancy_entries);
