/*
 * Debugging and the failure history (cli/cmd_debug.c): `debug`, `undebug`
 * and `show debugging` of the log's categories (core/log.c), and `show` /
 * `clear vpdn history failure` (core/history.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_check.h"
#include "core/history.h"
#include "core/log.h"

static void test_exec_debug(void **state)
{
	struct l2tpd *d = *state;

	d->log.debug = 0;
	cli_expect_ok(d, "debug l2tp fsm", "L2TP fsm debugging is on", "{\"debug\":[\"fsm\"]}");
	assert_int_equal(d->log.debug, LOG_DBG_FSM);
	cli_expect_ok(d, "debug l2tp sequence", "L2TP sequence debugging is on", NULL);
	assert_int_equal(d->log.debug, LOG_DBG_FSM | LOG_DBG_SEQ);
	cli_expect_ok(d, "show debugging",
		      "L2TP fsm debugging is on\nL2TP sequence debugging is on\n",
		      "{\"debug\":[\"fsm\",\"sequence\"]}");
	cli_expect_ok(d, "no debug l2tp fsm", "L2TP sequence", NULL);
	assert_int_equal(d->log.debug, LOG_DBG_SEQ);
	cli_expect_ok(d, "undebug l2tp sequence", "All L2TP debugging is off", NULL);
	assert_int_equal(d->log.debug, 0);
	cli_expect_ok(d, "debug l2tp all", NULL, NULL);
	assert_int_equal(d->log.debug, LOG_DBG_EVENT | LOG_DBG_ERROR | LOG_DBG_FSM |
			 LOG_DBG_PACKET | LOG_DBG_SEQ | LOG_DBG_HA_CF | LOG_DBG_HA_DETAIL |
			 LOG_DBG_HA_ERROR | LOG_DBG_HA_EVENT | LOG_DBG_HA_FSM |
			 LOG_DBG_HA_RESYNC | LOG_DBG_HA_RF);
	cli_expect_ok(d, "undebug all", "All L2TP debugging is off", NULL);
	assert_int_equal(d->log.debug, 0);
	cli_expect_ok(d, "debug pppoe error", "PPPoE error debugging is on",
		      "{\"debug\":[\"pppoe error\"]}");
	assert_int_equal(d->log.debug, LOG_DBG_PPPOE_ERROR);
	cli_expect_ok(d, "debug pppoe all", NULL, NULL);
	assert_int_equal(d->log.debug, LOG_DBG_PPPOE_ALL);
	cli_expect_ok(d, "undebug pppoe packet", "PPPoE event debugging is on", NULL);
	assert_int_equal(d->log.debug, LOG_DBG_PPPOE_EVENT | LOG_DBG_PPPOE_ERROR);
	cli_expect_ok(d, "debug l2tp all", NULL, NULL);	/* L2TP's alone */
	assert_int_equal(d->log.debug & LOG_DBG_PPPOE_PACKET, 0);
	cli_expect_ok(d, "undebug all", "All L2TP debugging is off", NULL);
	assert_int_equal(d->log.debug, 0);
	cli_expect_ok(d, "debug l2tp event", NULL, NULL);
	cli_expect_ok(d, "debug l2tp error", NULL, NULL);
	cli_expect_ok(d, "debug l2tp packet", NULL, NULL);
	cli_expect_ok(d, "no debug all", "All L2TP debugging is off", NULL);
	assert_int_equal(d->log.debug, 0);

	/* the names the categories go by */
	unsigned cat;

	assert_int_equal(log_debug_parse("sequence", &cat), 0);
	assert_int_equal(cat, LOG_DBG_SEQ);
	assert_int_equal(log_debug_parse("redundancy", &cat), -EINVAL);
	assert_string_equal(log_debug_name(LOG_DBG_PACKET), "packet");
	assert_null(log_debug_name(1u << 20));
}

/* show / clear vpdn history failure */
static void test_history(void **state)
{
	struct l2tpd *d = *state;
	char *s;

	cli_expect_ok(d, "show vpdn history failure", "Table size: 500\nNumber of entries in "
		      "table: 0\nVPDN user failure table is empty\n",
		      "{\"table_size\":500,\"entries\":0,\"recorded\":0,\"dropped\":0,"
		      "\"failures\":[]}");
	history_failure_add(d->history, NULL, 33003, 26355, 0, 7, cli_ip4("192.0.2.9"),
			    HISTORY_CAUSE_HA_RESYNC, "Tunnel in HA resync");
	clock_advance(&d->clk, 65000);
	history_failure_add(d->history, "alice@example.net", 33003, 26355, 10, 20,
			    cli_ip4("192.0.2.9"), 6, "PPP authentication failed");
	history_failure_add(d->history, "alice@example.net", 33003, 26355, 11, 21,
			    cli_ip4("192.0.2.9"), 6, "PPP authentication failed");
	assert_int_equal(history_failure_count(d->history), 2);
	cli_expect_ok(d, "show vpdn history failure", "Table size: 500\nNumber of entries in "
		      "table: 2\n\nUser: alice@example.net\nLocal tunnel ID: 33003, local session "
		      "ID: 11\nRemote tunnel ID: 26355, remote session ID: 21\nPeer address: "
		      "192.0.2.9\nLog time: ", "\"entries\":2,\"recorded\":3,");
	cli_expect_ok(d, "show vpdn history failure", " (00:00:00 ago), Error repeat count: 2\n"
		      "Failure cause: 6\nFailure reason: PPP authentication failed\n\nUser: -\n",
		      "{\"user\":\"alice@example.net\",\"local_tunnel_id\":33003,"
		      "\"local_session_id\":11,\"remote_tunnel_id\":26355,\"remote_session_id\":21,"
		      "\"peer_address\":\"192.0.2.9\",\"log_time\":\"");
	cli_expect_ok(d, "show vpdn history failure", " (00:01:05 ago), Error repeat count: 1\n"
		      "Failure cause: 611\nFailure reason: Tunnel in HA resync\n",
		      "\"age_seconds\":65,\"repeat_count\":1,\"cause\":611,\"reason\":\"Tunnel in "
		      "HA resync\"}]}");

	/* a smaller table keeps the newest */
	d->cfg.history_size = 2;
	for (unsigned i = 1; i <= 5; i++)
		history_failure_add(d->history, "", (uint16_t)i, 0, 0, 0, 0, 611,
				    "Tunnel in HA resync");
	assert_int_equal(history_failure_count(d->history), 2);
	assert_int_equal(cli_run(d, "show vpdn history failure", 0, &s), 0);
	assert_non_null(strstr(s, "Table size: 2\nNumber of entries in table: 2\n\nUser: -\n"
			       "Local tunnel ID: 5,"));
	assert_non_null(strstr(s, "\nLocal tunnel ID: 4,"));
	assert_null(strstr(s, "\nLocal tunnel ID: 3,"));
	free(s);
	d->cfg.history_size = 3;
	history_failure_add(d->history, "bob", 6, 0, 0, 0, 0, 611, "x");
	assert_int_equal(history_failure_count(d->history), 3);
	assert_int_equal(cli_run(d, "show vpdn history failure", 0, &s), 0);
	assert_non_null(strstr(s, "\nUser: bob\nLocal tunnel ID: 6,"));
	assert_non_null(strstr(s, "\nLocal tunnel ID: 4,"));
	free(s);

	cli_expect_ok(d, "clear vpdn history failure", "Cleared 3 failure records\n", NULL);
	assert_int_equal(history_failure_count(d->history), 0);
	cli_expect_ok(d, "show vpdn history failure", "Number of entries in table: 0\n", NULL);
	cli_expect_ok(d, "help", "show vpdn history failure", NULL);
	history_free(&d->history);
	assert_null(d->history);
	history_free(&d->history);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exec_debug, cli_daemon_setup,
						cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_history, cli_daemon_setup,
						cli_daemon_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
