/*
 * Redundancy (cli/cmd_redundancy.c, cli/cmd_redundancy_show.c): the
 * `redundancy` block, sso and resync, their refusals; `show l2tp|vpdn
 * redundancy` on a standalone daemon with a hand-made HA tunnel and on a
 * standby with its shadow store; the redundancy debug categories and EXEC
 * commands.  The text's labels (Cisco's) are pinned by the golden files
 * (tests/golden, cli/test_golden_ha.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_check.h"
#include "cli/config_load.h"
#include "core/config.h"
#include "core/log.h"
#include "ha/ha.h"
#include "haproto/ha_shadow.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

/* Two boxes' CURVE keypairs (l2tpctl redundancy keygen), for the tests only. */
#define KEY_A_PUB	")te?jj$l@0AbF^2VnXVCi*@3x>G[W&2@Xc0kTh?!"
#define KEY_A_SEC	"UXJSI3{n:7pdwhwexD4}M-]($JaWL!*pRO(+}&jZ"
#define KEY_B_PUB	"Hc^naC]r}bNhVH!p:N++KX1Hwq{HfPF2l2VZiE^p"

static const char red_config[] =
	"hostname bras-a\n"
	"no l2tp sso enable\n"
	"vpdn history failure table-size 50\n"
	"redundancy\n"
	" mode sso\n"
	" checkpoint local 192.0.2.1 port 17011\n"
	" checkpoint peer 192.0.2.2\n"
	" checkpoint curve public-key " KEY_A_PUB " secret-key " KEY_A_SEC " peer-key "
	KEY_B_PUB "\n"
	" checkpoint heartbeat 200 dead-interval 2000\n"
	" virtual-address 192.0.2.10\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	" no sso enable\n"
	" l2tp tunnel resync 100\n"
	"vpdn-group LNS2\n"
	" l2tp tunnel resync 20\n"
	" sso enable\n";

/* How it prints: defaults left out, keys as written. */
static const char red_running[] =
	"hostname bras-a\n"
	"no l2tp sso enable\n"
	"vpdn history failure table-size 50\n"
	"redundancy\n"
	" mode sso\n"
	" checkpoint local 192.0.2.1 port 17011\n"
	" checkpoint peer 192.0.2.2\n"
	" checkpoint curve public-key " KEY_A_PUB " secret-key " KEY_A_SEC " peer-key "
	KEY_B_PUB "\n"
	" checkpoint heartbeat 200 dead-interval 2000\n"
	" virtual-address 192.0.2.10\n"
	"!\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	" no sso enable\n"
	" l2tp tunnel resync 100\n"
	"!\n"
	"vpdn-group LNS2\n"
	"!\n";

static void test_redundancy_config(void **state)
{
	struct l2tpd_config a, b;
	const struct vpdn_group *g;
	char err[512], *p1, *p2;

	/* the defaults: sso on everywhere, resync 20, no pair, nothing printed */
	config_init(&a);
	assert_int_equal(a.sso, 1);
	assert_int_equal(a.history_size, CONFIG_DEF_HISTORY);
	assert_int_equal(a.red.configured, 0);
	assert_int_equal(a.red.local_port, CONFIG_DEF_CKPT_PORT);
	assert_int_equal(a.red.heartbeat_ms, CONFIG_DEF_HEARTBEAT_MS);
	assert_int_equal(a.red.dead_ms, CONFIG_DEF_DEAD_MS);
	assert_int_equal(CONFIG_DEF_RESYNC, 20);
	config_free(&a);
	assert_int_equal(cli_load(&a, "l2tp sso enable\nvpdn-group G\n sso enable\n"
				  " l2tp tunnel resync 20\n", err, sizeof err), 0);
	g = config_group_find(&a, "G");
	assert_int_equal(g->sso, 1);
	assert_int_equal(g->resync, CONFIG_DEF_RESYNC);
	p1 = cli_running(&a);
	assert_null(strstr(p1, "sso"));
	assert_null(strstr(p1, "resync"));
	assert_null(strstr(p1, "redundancy"));
	free(p1);
	config_free(&a);

	/* every command, away from its default */
	if (cli_load(&a, red_config, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(a.sso, 0);
	assert_int_equal(a.history_size, 50);
	assert_int_equal(a.red.configured, 1);
	assert_int_equal(a.red.mode_sso, 1);
	assert_int_equal(a.red.local.s_addr, cli_ip4("192.0.2.1"));
	assert_int_equal(a.red.local_port, 17011);
	assert_int_equal(a.red.peer.s_addr, cli_ip4("192.0.2.2"));
	assert_int_equal(a.red.peer_port, CONFIG_DEF_CKPT_PORT);
	assert_int_equal(a.red.curve, 1);
	assert_int_equal(a.red.security_none, 0);
	assert_string_equal(a.red.public_key, KEY_A_PUB);
	assert_string_equal(a.red.secret_key, KEY_A_SEC);
	assert_string_equal(a.red.peer_key, KEY_B_PUB);
	assert_int_equal(a.red.heartbeat_ms, 200);
	assert_int_equal(a.red.dead_ms, 2000);
	assert_int_equal(a.red.vip.s_addr, cli_ip4("192.0.2.10"));
	g = config_group_find(&a, "LNS");
	assert_int_equal(g->sso, 0);
	assert_int_equal(g->resync, 100);
	g = config_group_find(&a, "LNS2");
	assert_int_equal(g->sso, 1);
	assert_int_equal(g->resync, 20);

	/* running-config prints exactly what differs, and reads back the same */
	p1 = cli_running(&a);
	assert_string_equal(p1, red_running);
	assert_int_equal(cli_load(&b, p1, err, sizeof err), 0);
	p2 = cli_running(&b);
	assert_string_equal(p1, p2);
	cli_assert_config_equal(&a, &b);
	free(p2);
	config_free(&b);

	/* the no forms restore the defaults */
	assert_int_equal(config_load_string(&a, "l2tp sso enable\nno vpdn history failure "
					    "table-size\nredundancy\n no checkpoint heartbeat\n"
					    " no checkpoint curve\n checkpoint security none\n"
					    " checkpoint local 192.0.2.1\n no virtual-address\n"
					    "vpdn-group LNS\n sso enable\n no l2tp tunnel resync\n",
					    err, sizeof err), 0);
	assert_int_equal(a.sso, 1);
	assert_int_equal(a.history_size, CONFIG_DEF_HISTORY);
	assert_int_equal(a.red.curve, 0);
	assert_string_equal(a.red.secret_key, "");
	assert_int_equal(a.red.security_none, 1);
	assert_int_equal(a.red.local_port, CONFIG_DEF_CKPT_PORT);
	assert_int_equal(a.red.heartbeat_ms, CONFIG_DEF_HEARTBEAT_MS);
	assert_int_equal(a.red.vip.s_addr, 0);
	assert_int_equal(config_group_find(&a, "LNS")->resync, CONFIG_DEF_RESYNC);
	free(p1);
	p1 = cli_running(&a);
	assert_non_null(strstr(p1, "\nredundancy\n mode sso\n checkpoint local 192.0.2.1\n"
			       " checkpoint peer 192.0.2.2\n checkpoint security none\n!\n"));
	assert_null(strstr(p1, "sso enable"));
	free(p1);
	/* `no redundancy` removes the pair */
	assert_int_equal(config_load_string(&a, "no redundancy\n", err, sizeof err), 0);
	assert_int_equal(a.red.configured, 0);
	assert_int_equal(a.red.local.s_addr, 0);
	p1 = cli_running(&a);
	assert_null(strstr(p1, "redundancy"));
	assert_null(strstr(p1, "checkpoint"));
	free(p1);
	config_free(&a);
}

/* The redundancy block's refusals, each with its line and reason. */
static void test_redundancy_bad(void **state)
{
	static const struct cli_bad_case cases[] = {
		{ "redundancy\n checkpoint local 192.0.2.1\n checkpoint peer 192.0.2.2\n"
		  " checkpoint security none\n", "line 1: redundancy: mode sso is required" },
		{ "hostname a\nredundancy\n mode sso\n checkpoint peer 192.0.2.2\n"
		  " checkpoint security none\n",
		  "line 2: redundancy: 'checkpoint local A.B.C.D' is required" },
		{ "redundancy\n mode sso\n checkpoint local 192.0.2.1\n"
		  " checkpoint security none\n",
		  "line 1: redundancy: 'checkpoint peer A.B.C.D' is required" },
		{ "redundancy\n mode sso\n checkpoint local 192.0.2.1\n checkpoint peer 192.0.2.2\n",
		  "line 1: redundancy: checkpoint link needs curve keys or security none" },
		{ "redundancy\n mode sso\n checkpoint local 192.0.2.1\n checkpoint peer 192.0.2.2\n"
		  " checkpoint security none\n checkpoint curve public-key " KEY_A_PUB
		  " secret-key " KEY_A_SEC " peer-key " KEY_B_PUB "\n",
		  "line 1: redundancy: 'checkpoint curve' and 'checkpoint security none' exclude "
		  "each other" },
		{ "redundancy\n mode sso\n checkpoint local 192.0.2.1\n checkpoint peer 192.0.2.1\n"
		  " checkpoint security none\n",
		  "line 1: redundancy: checkpoint local and peer are the same address and port" },
		{ "redundancy\n checkpoint local 192.0.2.1 port 0\n",
		  "line 2: checkpoint local 192.0.2.1 port: 0 is out of range 1-65535" },
		{ "redundancy\n checkpoint peer 192.0.2.2 port 65536\n",
		  "line 2: checkpoint peer 192.0.2.2 port: 65536 is out of range 1-65535" },
		{ "redundancy\n checkpoint local 0.0.0.0\n",
		  "line 2: checkpoint local: 0.0.0.0 is not a usable address" },
		{ "redundancy\n checkpoint peer 224.0.0.18\n",
		  "line 2: checkpoint peer: 224.0.0.18 is not a usable address" },
		{ "redundancy\n checkpoint peer 192.0.2\n",
		  "line 2: checkpoint peer: '192.0.2' is not an IPv4 address (A.B.C.D)" },
		{ "redundancy\n checkpoint curve public-key short secret-key " KEY_A_SEC
		  " peer-key " KEY_B_PUB "\n",
		  "line 2: checkpoint curve: public-key 'short...' is not a CURVE key (40 characters "
		  "of Z85; `l2tpctl redundancy keygen` makes a pair)" },
		{ "redundancy\n checkpoint curve public-key " KEY_A_PUB " secret-key "
		  "UXJSI3{n:7pdwhwexD4}M-]($JaWL!*pRO(+}&jZ~ peer-key " KEY_B_PUB "\n",
		  "line 2: checkpoint curve: secret-key 'UXJSI3{n:7pd...' is not a CURVE key" },
		{ "redundancy\n checkpoint curve public-key " KEY_A_PUB " secret-key "
		  "UXJSI3{n:7pdwhwexD4}M-]($JaWL!*pRO(+}&j, peer-key " KEY_B_PUB "\n",
		  "line 2: checkpoint curve: secret-key 'UXJSI3{n:7pd...' is not a CURVE key" },
		{ "redundancy\n checkpoint curve public-key " KEY_A_PUB " secret-key " KEY_A_SEC
		  " peer-key " KEY_A_PUB "\n",
		  "line 2: checkpoint curve: peer-key is this box's own public-key" },
		{ "redundancy\n checkpoint curve public-key " KEY_A_PUB "\n",
		  "line 2: checkpoint curve public-key " KEY_A_PUB ": incomplete command "
		  "(expected secret-key)" },
		{ "redundancy\n checkpoint curve\n",
		  "line 2: checkpoint curve: incomplete command (expected public-key)" },
		{ "redundancy\n checkpoint heartbeat 100 dead-interval 150\n",
		  "line 2: checkpoint heartbeat: dead-interval 150 ms is less than twice the "
		  "heartbeat (100 ms)" },
		{ "redundancy\n checkpoint heartbeat 5 dead-interval 1000\n",
		  "line 2: checkpoint heartbeat: 5 is out of range 10-10000" },
		{ "redundancy\n checkpoint security all\n",
		  "line 2: unknown word 'all' after 'checkpoint security' (expected none)" },
		{ "redundancy\n mode rpr\n", "line 2: unknown word 'rpr' after 'mode' (expected sso)" },
		{ "mode sso\n", "line 1: 'mode' is not valid in top-level mode (it belongs in "
		  "redundancy mode; indent it under its command)" },
		{ "redundancy\n vpdn enable\n", "line 2: 'vpdn' is not valid in redundancy mode "
		  "(it belongs in top-level mode)" },
		{ "redundancy state master\n", "line 1: 'redundancy' is an EXEC command (l2tpctl), "
		  "not a configuration command" },
		{ "vpdn-group A\n l2tp tunnel resync 0\n",
		  "line 2: l2tp tunnel resync: 0 is out of range 1-65535" },
		{ "vpdn-group A\n l2tp tunnel resync 65536\n",
		  "line 2: l2tp tunnel resync: 65536 is out of range 1-65535" },
		{ "vpdn-group A\n l2tp tunnel resync\n",
		  "line 2: l2tp tunnel resync: missing argument <1-65535>" },
		{ "vpdn-group A\n sso enable now\n",
		  "line 2: unexpected word 'now' after 'sso enable'" },
		{ "l2tp sso\n", "line 1: l2tp sso: incomplete command (expected enable)" },
		{ "vpdn history failure table-size 0\n",
		  "line 1: vpdn history failure table-size: 0 is out of range 1-100000" },
	};

	cli_expect_refused(cases, sizeof cases / sizeof cases[0]);
}

/* A hand-made HA tunnel with one session, on the daemon of cli_daemon_setup. */
static struct l2tp_tunnel *ha_tunnel_new(struct l2tpd *d, struct l2tp_session **sp)
{
	struct l2tp_tunnel *t = cli_tunnel_new(d, 33003, 26355, sp);

	t->sso = 1;
	t->resync_window = 20;
	t->local.sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.10", &t->local.sin_addr);
	t->local.sin_port = htons(1701);
	t->peer.sin_port = htons(1702);
	(*sp)->lns = 1;
	return t;
}

/* show l2tp|vpdn redundancy on a daemon without a pair (STANDALONE). */
static void test_exec_redundancy(void **state)
{
	struct l2tpd *d = *state;
	struct l2tp_session *s;
	struct l2tp_tunnel *t;
	char want[128], *txt;

	assert_int_equal(d->ha.role, HA_ROLE_STANDALONE);
	snprintf(want, sizeof want, "Redundancy role: %s (no redundancy configured)\n",
		 ha_role_string(HA_ROLE_STANDALONE));
	cli_expect_ok(d, "show l2tp redundancy", "L2TP HA support: Silent Failover\n", NULL);
	cli_expect_ok(d, "show l2tp redundancy", want, NULL);
	/* the text's labels (Cisco's) are pinned by tests/golden/bras and ha_* */
	cli_expect_ok(d, "show l2tp redundancy", NULL, "\"ha_support\":\"silent_failover\"");
	cli_expect_ok(d, "show l2tp redundancy", NULL, "\"checkpoint_messaging\":false,"
		      "\"standby_up\":false,\"received_messages\":0,\"tunnel_totals\":{\"total\":0,"
		      "\"ha_enabled\":0,");
	cli_expect_ok(d, "show vpdn redundancy", NULL, NULL);
	cli_expect_ok(d, "show l2tp redundancy detail", "\nCheckpoint link counters:\n"
		      "  Records sent 0 (0 bytes in 0 messages), received 0 (0 bytes)\n", "\"link_stats\":{");
	cli_expect_ok(d, "show l2tp redundancy detail", "\nCalls refused while resyncing "
		      "(cause 611): 0\n", "\"resync_refused\":0");
	cli_expect_ok(d, "show l2tp redundancy all", "\nL2TP HA CC checkpoint status:\nLocTunID  "
		      "RemTunID  State", "\"tunnels\":[],\"sessions\":[]");

	/* one HA-enabled tunnel with an established session */
	t = ha_tunnel_new(d, &s);
	cli_expect_ok(d, "show l2tp redundancy", NULL, "\"tunnel_totals\":{\"total\":1,"
		      "\"ha_enabled\":1,");
	cli_expect_ok(d, "show l2tp redundancy", NULL, "\"session_totals\":{\"total\":1,"
		      "\"ha_enabled\":1,");
	cli_expect_ok(d, "show l2tp redundancy all", "\n33003     26355     established    yes ",
		      "{\"local_tunnel_id\":33003,\"remote_tunnel_id\":26355,\"state\":"
		      "\"established\",\"ha_enabled\":true,");
	cli_expect_ok(d, "show l2tp redundancy all", "\nL2TP HA session status:\nLocID   RemID   "
		      "TunID   State          HA-est Waiting for VPDN app  "
		      "Waiting for L2TP protocol\n"
		      "10      20      33003   established    ",
		      "\"waiting_for_vpdn_application\":false,"
		      "\"waiting_for_l2tp_protocol\":false}");
	cli_expect_ok(d, "show l2tp redundancy all", " no                    no\n", NULL);
	cli_expect_ok(d, "show l2tp redundancy id 33003", "\n33003     26355     established ",
		      "\"tunnels\":[{\"local_tunnel_id\":33003");
	cli_expect_ok(d, "show l2tp redundancy detail id 33003", "Tunnel 33003/26355, state "
		      "established, vpdn-group LNS\n  Local address 192.0.2.10 port 1701, remote "
		      "address 192.0.2.9 port 1702\n  HA enabled yes", "\"resync_window\":20");
	cli_expect_ok(d, "show l2tp redundancy detail id 33003 10",
		      "\nLocal session ID:             10\n"
		      "Remote session ID:            20\n"
		      "Local CC ID:                  33003\n"
		      "Remote CC ID:                 26355\n"
		      "Local UDP port:               1701\n"
		      "Remote UDP port:              1702\n"
		      "Waiting for VPDN application: no\n"
		      "Waiting for L2TP protocol:    no\n",
		      "{\"sessions\":[{\"local_session_id\":10,\"remote_session_id\":20,"
		      "\"local_cc_id\":33003,\"remote_cc_id\":26355,\"local_udp_port\":1701,"
		      "\"remote_udp_port\":1702,\"waiting_for_vpdn_application\":false,"
		      "\"waiting_for_l2tp_protocol\":false,");
	assert_int_equal(cli_run(d, "show l2tp redundancy detail id 33003 10", 0, &txt), 0);
	assert_null(strstr(txt, "HA support"));	/* the session alone */
	assert_null(strstr(txt, "Tunnel 33003"));
	free(txt);
	/* the tunnel resyncs after a takeover: its sessions wait for L2TP */
	t->resyncing = 1;
	s->state = L2TP_SESSION_WAIT_CONNECT;
	cli_expect_ok(d, "show vpdn redundancy detail id 33003 10",
		      "\nWaiting for VPDN application: yes\nWaiting for L2TP protocol:    yes\n",
		      NULL);
	cli_expect_ok(d, "show l2tp redundancy", NULL, "\"resyncing\":1}");
	cli_expect_ok(d, "show l2tp redundancy all", " running ", "\"resync\":\"running\"");
	t->resyncing = 0;
	t->resync_result = -1;
	t->resync_ms = 8000;
	cli_expect_ok(d, "show l2tp redundancy all", " failed  8000 ", "\"resync_ms\":8000");
	/* no l2tp sso enable */
	d->cfg.sso = 0;
	cli_expect_ok(d, "show l2tp redundancy", "L2TP HA support: off (no l2tp sso enable)\n",
		      "\"ha_support\":\"off\"");
	d->cfg.sso = 1;

	cli_expect_err(d, "show l2tp redundancy id 5", -ENOENT, "No such tunnel 5");
	cli_expect_err(d, "show vpdn redundancy detail id 33003 11", -ENOENT,
		       "No such session 11 on tunnel 33003");
	cli_expect_err(d, "show l2tp redundancy foo", -EINVAL, "Invalid input: unknown word 'foo' "
		       "after 'show l2tp redundancy' (expected all, detail, id)");
	cli_expect_err(d, "show l2tp redundancy id 1 x", -EINVAL, "Invalid input: show l2tp "
		       "redundancy id 1: 'x' is not a number (expected <1-65535>)");
	cli_tunnel_free(d, t, s);
}

/* The checkpoint-before-acknowledge wait in the detail: the text's
 * percentiles and the JSON's fine histograms come from the fine buckets
 * (a coarse one would say p99 <= 942 us, the largest wait). */
static void test_exec_redundancy_wait(void **state)
{
	struct l2tpd *d = *state;
	struct ha_stats *st = &d->ha.stats;
	unsigned i;

	cli_expect_ok(d, "show l2tp redundancy detail", ", wait p50 <= 0 us, p99 <= 0 us",
		      "\"egress_wait_fine\":{\"count\":0,\"p50_us\":0,\"p99_us\":0,"
		      "\"max_us\":0,\"error_permille\":32,\"buckets\":[]}");
	/* 982 waits from 150 to 399 us, 18 from 500 to 942 us */
	for (i = 0; i < 1000; i++) {
		uint64_t us = i < 982 ? 150 + i % 250 : 500 + (i - 982) * 26;

		hist_observe_us(&st->egress_wait, us);
		hist_fine_observe_us(&st->egress_wait_fine, us);
		hist_fine_observe_us(&st->egress_ack_wait_fine, 40);
	}
	st->egress_wait_us_max = 942;
	cli_expect_ok(d, "show l2tp redundancy detail", ", wait p50 <= 279 us, p99 <= 687 us "
		      "(after the records left: p50 <= 40 us, p99 <= 40 us; bounds within 3.2 %), "
		      "max 942 us",
		      "\"egress_wait_us_p99\":942,");
	/* 150 .. 151 us eight times, 152 .. 155 sixteen times (148 .. 255
	 * us are 4 us wide); 682 us alone in 672 .. 687 */
	cli_expect_ok(d, "show l2tp redundancy detail", NULL,
		      "\"egress_wait_fine\":{\"count\":1000,\"p50_us\":279,\"p99_us\":687,"
		      "\"max_us\":942,\"error_permille\":32,\"buckets\":[[151,8],[155,16],");
	cli_expect_ok(d, "show l2tp redundancy detail", NULL, ",[671,1],[687,1],[719,1],");
	cli_expect_ok(d, "show l2tp redundancy detail", NULL, ",[943,1]]}");
	cli_expect_ok(d, "show l2tp redundancy detail", NULL,
		      "\"egress_ack_wait_fine\":{\"count\":1000,\"p50_us\":40,\"p99_us\":40,"
		      "\"max_us\":40,\"error_permille\":32,\"buckets\":[[40,1000]]}");
}

/* A standby shows its role, the link and its shadow store, never live totals. */
static void test_exec_redundancy_standby(void **state)
{
	struct l2tpd *d = *state;
	struct ha_rec r;
	char *s;

	d->ha.role = HA_ROLE_STANDBY;
	d->ha.shadow = ha_shadow_new();
	assert_non_null(d->ha.shadow);
	memset(&r, 0, sizeof r);
	r.type = HA_REC_TUNNEL;
	r.u.tunnel.tid = 33003;
	r.u.tunnel.peer_tid = 26355;
	r.u.tunnel.local_addr = cli_ip4("192.0.2.10");
	r.u.tunnel.peer_addr = cli_ip4("192.0.2.9");
	r.u.tunnel.local_port = htons(1701);
	r.u.tunnel.peer_port = htons(1702);
	r.u.tunnel.state = L2TP_TUNNEL_ESTABLISHED;
	r.u.tunnel.ha_enabled = 1;
	r.u.tunnel.resync = 20;
	snprintf(r.u.tunnel.group, sizeof r.u.tunnel.group, "LNS");
	assert_int_equal(ha_shadow_apply(d->ha.shadow, &r), 0);
	memset(&r, 0, sizeof r);
	r.type = HA_REC_SESSION;
	r.u.session.tid = 33003;
	r.u.session.sid = 10;
	r.u.session.peer_sid = 20;
	r.u.session.state = L2TP_SESSION_ESTABLISHED;
	r.u.session.ppp_up = 1;
	r.u.session.peer_ip = cli_ip4("10.200.0.7");
	snprintf(r.u.session.user, sizeof r.u.session.user, "alice");
	snprintf(r.u.session.ifname, sizeof r.u.session.ifname, "ppp3");
	assert_int_equal(ha_shadow_apply(d->ha.shadow, &r), 0);

	cli_expect_ok(d, "show l2tp redundancy", NULL,
		      "\"in_sync\":false,\"received_messages\":0,\"checkpointed\":{\"tunnels\":1,"
		      "\"sessions\":1,");
	assert_int_equal(cli_run(d, "show l2tp redundancy", 0, &s), 0);
	assert_null(strstr(s, "L2TP tunnels:"));	/* only the active knows those */
	assert_null(strstr(s, "resynced"));
	free(s);
	cli_expect_ok(d, "show l2tp redundancy all", "\nCheckpointed tunnels:\nLocTunID  RemTunID  "
		      "State          Remote Address  Port  Sessions Ns     Nr     "
		      "Unacked VPDN Group\n"
		      "33003     26355     established    192.0.2.9       1702  1        0      "
		      "0      0       LNS\n", "\"tunnels\":[{\"local_tunnel_id\":33003,");
	cli_expect_ok(d, "show l2tp redundancy all",
		      "\n10      20      33003   established    alice"
		      "            10.200.0.7      ppp3\n", "\"user\":\"alice\"");
	cli_expect_ok(d, "show vpdn redundancy detail id 33003 10",
		      "\nLocal session ID:             10\nRemote session ID:            20\n"
		      "Local CC ID:                  33003\nRemote CC ID:                 26355\n"
		      "Local UDP port:               1701\nRemote UDP port:              1702\n",
		      NULL);
	cli_expect_ok(d, "show l2tp redundancy detail id 33003", "Tunnel 33003/26355, state "
		      "established, vpdn-group LNS\n", "\"resync_window\":20");
	cli_expect_err(d, "show l2tp redundancy id 4", -ENOENT, "No such checkpointed tunnel 4");
	cli_expect_err(d, "show l2tp redundancy id 33003 11", -ENOENT,
		       "No such checkpointed session 11 on tunnel 33003");
	ha_shadow_free(d->ha.shadow);
	d->ha.shadow = NULL;
	d->ha.role = HA_ROLE_STANDALONE;
}

static void test_exec_redundancy_cmds(void **state)
{
	struct l2tpd *d = *state;
	char *s;

	/* debug categories, under both names */
	d->log.debug = 0;
	cli_expect_ok(d, "debug l2tp redundancy resync", "L2TP redundancy resync debugging is on\n",
		      "{\"debug\":[\"redundancy resync\"]}");
	assert_int_equal(d->log.debug, LOG_DBG_HA_RESYNC);
	cli_expect_ok(d, "debug vpdn redundancy rf", NULL, NULL);
	assert_int_equal(d->log.debug, LOG_DBG_HA_RESYNC | LOG_DBG_HA_RF);
	cli_expect_ok(d, "no debug vpdn redundancy resync", NULL, NULL);
	cli_expect_ok(d, "undebug l2tp redundancy rf", "All L2TP debugging is off", NULL);
	assert_int_equal(d->log.debug, 0);
	cli_expect_ok(d, "debug l2tp redundancy all", NULL, NULL);
	assert_int_equal(d->log.debug, LOG_DBG_HA_CF | LOG_DBG_HA_DETAIL | LOG_DBG_HA_ERROR |
			 LOG_DBG_HA_EVENT | LOG_DBG_HA_FSM | LOG_DBG_HA_RESYNC | LOG_DBG_HA_RF);
	cli_expect_ok(d, "debug l2tp fsm", NULL, NULL);
	cli_expect_ok(d, "undebug vpdn redundancy all", "L2TP fsm debugging is on\n", NULL);
	assert_int_equal(d->log.debug, LOG_DBG_FSM);
	d->log.debug = 0;
	for (const char *const *c = (const char *const[]){ "cf", "detail", "error", "event",
							  "fsm", "resync", "rf", NULL };
	     *c; c++) {
		char line[64], name[64];
		unsigned cat;

		snprintf(line, sizeof line, "debug l2tp redundancy %s", *c);
		snprintf(name, sizeof name, "redundancy %s", *c);
		cli_expect_ok(d, line, NULL, NULL);
		assert_int_equal(log_debug_parse(name, &cat), 0);
		assert_true(d->log.debug & cat);
	}
	cli_expect_err(d, "debug l2tp redundancy bogus", -EINVAL, "Invalid input: unknown word "
		       "'bogus' after 'debug l2tp redundancy' "
		       "(expected {cf|detail|error|event|fsm|resync|rf|all})");
	d->log.debug = 0;

	/* the commands are in help; the crash points are not */
	cli_expect_ok(d, "help", "redundancy state {master|backup|fault}", NULL);
	cli_expect_ok(d, "help", "show l2tp redundancy [detail] id <1-65535> [<1-65535>]", NULL);
	cli_expect_ok(d, "help", "\n redundancy mode:\n  [no] mode sso\n", NULL);
	cli_expect_ok(d, "help", "[no] l2tp tunnel resync <1-65535>", NULL);
	assert_int_equal(cli_run(d, "help", 0, &s), 0);
	assert_null(strstr(s, "crash-point"));
	assert_null(strstr(s, "[no] checkpoint curve\n"));
	free(s);
	cli_expect_err(d, "test foo", -EINVAL, "Invalid input: unknown word 'foo' after 'test' "
		       "(expected vpdn)");
	cli_expect_err(d, "test redundancy crash-point later", -EINVAL, "Invalid input: unknown "
		       "word 'later' after 'test redundancy crash-point' "
		       "(expected {none|tx-before-ckpt|ckpt-before-tx|resync})");
	cli_expect_ok(d, "test redundancy crash-point ckpt-before-tx message ICRP",
		      "Crash point ckpt-before-tx\nAt message ICRP\n", NULL);
	assert_int_equal(d->ha.crash_msg, L2TP_MSG_ICRP);
	cli_expect_err(d, "test redundancy crash-point tx-before-ckpt message ICRX", -EINVAL,
		       "ICRX: no control message of that type at crash point tx-before-ckpt");
	cli_expect_err(d, "test redundancy crash-point resync message HELLO", -EINVAL,
		       "HELLO: no control message of that type at crash point resync");
	cli_expect_ok(d, "test redundancy crash-point none", "Crash point none\n", NULL);
	assert_int_equal(d->ha.crash_point[0], '\0');
	cli_expect_err(d, "redundancy state standby", -EINVAL, "Invalid input: unknown word "
		       "'standby' after 'redundancy state' (expected {master|backup|fault})");
	cli_expect_err(d, "redundancy", -EINVAL, "Invalid input: 'redundancy' is a configuration "
		       "command; put it in the configuration file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redundancy_config),
		cmocka_unit_test(test_redundancy_bad),
		cmocka_unit_test_setup_teardown(test_exec_redundancy, cli_daemon_setup,
						cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_exec_redundancy_wait, cli_daemon_setup,
						cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_exec_redundancy_standby, cli_daemon_setup,
						cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_exec_redundancy_cmds, cli_daemon_setup,
						cli_daemon_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
