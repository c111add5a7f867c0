/*
 * L2TP tunnels and sessions (cli/cmd_l2tp.c): `show l2tp tunnel|session`
 * and `show vpdn` of a hand-made tunnel and session, with the PPP side
 * down and up, names that need escaping, and a tunnel being freed.
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

#include "cli_check.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

/* Hand-made tunnel and session, to exercise the tables and JSON escaping. */
static void test_exec_tables(void **state)
{
	struct l2tpd *d = *state;
	struct l2tp_session *s;
	struct l2tp_tunnel *t = cli_tunnel_new(d, 28407, 1638, &s);

	t->peer.sin_port = htons(1701);
	snprintf(t->peer_host, sizeof t->peer_host, "evil\"lac\\\n\001name-longer-than-sixteen");
	snprintf(t->peer_vendor, sizeof t->peer_vendor, "Vendor \xff");
	t->ctrl.ns = 5;
	t->ctrl.nr = 7;
	t->ctrl.cfg.rws = 4;
	t->ctrl.stats.tx_retransmits = 3;
	t->stop_result = 2;
	snprintf(t->stop_msg, sizeof t->stop_msg, "bye");
	s->call_serial = 77;
	snprintf(s->calling, sizeof s->calling, "0123\"456");
	clock_advance(&d->clk, 3723000);	/* 1:02:03 */

	cli_expect_ok(d, "show l2tp tunnel", "\n28407     1638      evil\"lac\\??name- established",
		      "\"remote_name\":\"evil\\\"lac\\\\\\n\\u0001name-longer-than-sixteen\"");
	cli_expect_ok(d, "show l2tp tunnel", "192.0.2.9       1701  1        LNS\n",
		      "\"total_tunnels\":1,\"total_sessions\":1");
	cli_expect_ok(d, "show l2tp tunnel id 28407 detail", "Ns 5, Nr 7",
		      "\"remote_vendor\":\"Vendor \\ufffd\"");
	cli_expect_ok(d, "show l2tp tunnel id 28407 detail", "up 01:02:03", "\"tx_retransmits\":3");
	cli_expect_ok(d, "show l2tp tunnel detail", "Last StopCCN: result 2 (General error)",
		      "\"result\":2");
	cli_expect_ok(d, "show l2tp session",
		      "\n10      20      28407   established    77          "
		      "0123\"456", "\"calling\":\"0123\\\"456\"");
	cli_expect_ok(d, "show l2tp session tunnel 28407 detail",
		      "Session 10/20 on tunnel 28407/1638",
		      "\"call_serial\":77");
	/* PPP: nothing yet */
	cli_expect_ok(d, "show l2tp session",
		      "User             Peer IP         Interface PPP Uptime\n",
		      "\"user\":\"-\",\"peer_ip\":\"-\",\"interface\":\"-\",\"ppp_up\":false");
	cli_expect_ok(d, "show l2tp session", "0123\"456         -                -                "
		      "-               -         -   01:02:03\n", NULL);
	cli_expect_ok(d, "show l2tp session detail", "\n  PPP -, user \"\", interface -\n"
		      "  Peer address -, our address -, pool -\n",
		      "\"ppp_up\":false,\"user\":\"\",\"interface\":\"-\",\"peer_ip\":\"-\"");
	/* PPP up */
	snprintf(s->user, sizeof s->user, "alice@example.net");
	s->peer_ip.s_addr = cli_ip4("10.200.0.7");
	s->local_ip.s_addr = cli_ip4("10.200.255.254");
	snprintf(s->ifname, sizeof s->ifname, "ppp3");
	snprintf(s->pool, sizeof s->pool, "SUBS");
	s->ppp_up = 1;
	cli_expect_ok(d, "show l2tp session", "0123\"456         -                alice@example.ne "
		      "10.200.0.7      ppp3      up  01:02:03\n",
		      "\"user\":\"alice@example.net\",\"peer_ip\":\"10.200.0.7\",\"interface\":"
		      "\"ppp3\",\"ppp_up\":true");
	cli_expect_ok(d, "show l2tp session detail", "\n  PPP up, user \"alice@example.net\", "
		      "interface ppp3\n  Peer address 10.200.0.7, our address 10.200.255.254, pool SUBS\n",
		      "\"ppp_up\":true,\"user\":\"alice@example.net\",\"interface\":\"ppp3\","
		      "\"peer_ip\":\"10.200.0.7\",\"local_ip\":\"10.200.255.254\","
		      "\"pool\":\"SUBS\"");
	cli_expect_ok(d, "show vpdn", "\nLNS              LNS  1       1 ", NULL);
	cli_expect_err(d, "clear l2tp session tunnel 28407 id 11", -ENOENT,
		       "No such session 11 on tunnel 28407");

	/* a tunnel being freed is not shown */
	t->dead = 1;
	cli_expect_ok(d, "show l2tp tunnel", "Total tunnels 0", "\"tunnels\":[]");
	cli_expect_err(d, "show l2tp tunnel id 28407", -ENOENT, "No such tunnel 28407");

	cli_tunnel_free(d, t, s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exec_tables, cli_daemon_setup,
						cli_daemon_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
