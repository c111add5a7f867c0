/*
 * Golden files of `show metrics` (text and JSON), the running configuration
 * with `metrics listen`, and the refusal of a root-only command to an
 * operator: scenario "service" in tests/golden/.  The harness daemon has
 * no event loop, so the endpoint is configured and not listening; its
 * counters are set by hand to pin the format.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "golden.h"
#include "golden_daemon.h"
#include "cli/cmd.h"
#include "core/out.h"
#include "metrics/metrics.h"

static const char cfg_service[] =
	"hostname lns0\n"
	"vpdn enable\n"
	"metrics listen 192.0.2.1 port 9101\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n";

static void test_golden_service(void **state)
{
	struct harness *h;
	struct metrics_http_stats *st;

	golden_begin("service");
	h = g_daemon(state, cfg_service);
	st = &h->d.metrics->http_stats;
	st->connections = 12;
	st->scrapes = 7;
	st->bytes = 123456;
	st->not_found = 2;
	st->bad_method = 1;
	st->bad_body = 1;
	st->dropped = 1;
	golden_show(&h->d, "show_metrics", "show metrics");
	golden_show(&h->d, "show_running_config", "show running-config");
	golden_end();
}

/* Not configured: says how to. */
static void test_golden_service_none(void **state)
{
	struct harness *h;

	golden_begin("service_none");
	h = g_daemon(state, "hostname lns0\n");
	golden_show(&h->d, "show_metrics", "show metrics");
	golden_end();
}

/* A CMD_ROOT command: refused to an operator (not root), run for root. */
static void test_root_only(void **state)
{
	struct harness *h = g_daemon(state, "hostname lns0\n");
	struct out o;

	out_init(&o, 0);
	assert_int_equal(cmd_exec_as(&h->d, "test redundancy crash-point none", &o, 0), -EPERM);
	assert_non_null(strstr(o.buf, "% Permission denied"));
	out_free(&o);
	out_init(&o, 0);
	assert_int_equal(cmd_exec_as(&h->d, "show metrics", &o, 0), 0);
	assert_null(strstr(o.buf, "Permission"));
	out_free(&o);
	out_init(&o, 0);
	assert_int_equal(cmd_exec_as(&h->d, "test redundancy crash-point none", &o, 1), 0);
	out_free(&o);
}

/* `restart`: an operator may not; the daemon's own user (privileged, not
 * root) may not name another binary; a standby is refused before anything
 * is started, and says why. */
static void test_restart_refused(void **state)
{
	struct harness *h = g_daemon(state, "hostname lns0\n");
	struct out o;

	out_init(&o, 0);
	assert_int_equal(cmd_exec_as(&h->d, "restart", &o, 0), -EPERM);
	assert_non_null(strstr(o.buf, "% Permission denied"));
	out_free(&o);
	out_init(&o, 0);
	assert_int_equal(cmd_exec_cred(&h->d, "restart binary /bin/true", &o, 1, 1000), -EPERM);
	assert_non_null(strstr(o.buf, "'restart binary' is for root only"));
	out_free(&o);
	h->d.ha.role = HA_ROLE_STANDBY;
	out_init(&o, 0);
	assert_true(cmd_exec_cred(&h->d, "restart binary /bin/true", &o, 1, 0) < 0);
	assert_non_null(strstr(o.buf, "Restart failed, this daemon serves on: this daemon is "
			       "standby"));
	out_free(&o);
	h->d.ha.role = HA_ROLE_STANDALONE;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_golden_service, h_teardown),
		cmocka_unit_test_teardown(test_golden_service_none, h_teardown),
		cmocka_unit_test_teardown(test_root_only, h_teardown),
		cmocka_unit_test_teardown(test_restart_refused, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
