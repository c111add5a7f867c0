/*
 * The LAC's paced test dial (`test vpdn dial ... interval MS`, l2tp/dial.c):
 * the first call at once, each next one exactly one interval later from the
 * daemon's timer (none early, none late), a new tunnel every per-tunnel
 * calls, the count asked for and no more; one paced dial at a time; the
 * dial stops, its timer gone, when its group leaves the configuration,
 * when a call cannot be placed (vpdn softshut) or the daemon shuts down.  Nobody answers the SCCRQs: the calls only have to
 * be placed (the first retransmission is 1 s away, past every check here).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "cli/config_reload.h"
#include "l2tp/dial.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

static const char cfg_lac[] =
	H_CFG_LAC
	" l2tp tunnel hello 0\n";

static void advance_to(struct harness *h, uint64_t when)
{
	uint64_t now = clock_now(&h->d.clk);

	assert_true(when >= now);
	clock_advance(&h->d.clk, when - now);
}

/* Calls placed so far: one a tunnel with per-tunnel 1. */
static unsigned calls(const struct l2tpd *d)
{
	return d->n_sessions;
}

static void test_paced_one_per_interval(void **state)
{
	struct harness *h = h_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	uint64_t t0 = clock_now(&d->clk);
	char *out;
	unsigned k;

	out = h_cmd(h, "test vpdn dial vpdn-group LAC sessions 5 per-tunnel 1 interval 20", 0);
	assert_non_null(strstr(out, "placing 5 sessions, one every 20 ms"));
	free(out);
	assert_int_equal(calls(d), 1);		/* the first at once */
	assert_int_equal(d->n_tunnels, 1);
	for (k = 1; k < 5; k++) {
		advance_to(h, t0 + 20 * k - 1);
		assert_int_equal(calls(d), k);	/* none early */
		advance_to(h, t0 + 20 * k);
		assert_int_equal(calls(d), k + 1);	/* none late */
		assert_int_equal(d->n_tunnels, k + 1);	/* a tunnel each */
	}
	assert_null(d->dial_paced);		/* done: no timer kept */
	advance_to(h, t0 + 900);
	assert_int_equal(calls(d), 5);		/* and no more */
	assert_int_equal(d->n_tunnels, 5);
}

/* per-tunnel 2: calls 1-2, 3-4 and 5 share tunnels. */
static void test_paced_per_tunnel(void **state)
{
	struct harness *h = h_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	uint64_t t0 = clock_now(&d->clk);
	char err[256] = "";

	assert_int_equal(l2tp_dial_paced(d, h_group(h, "LAC"), 5, 2, 7, err, sizeof err), 1);
	advance_to(h, t0 + 7 * 4 - 1);
	assert_int_equal(calls(d), 4);
	assert_int_equal(d->n_tunnels, 2);
	advance_to(h, t0 + 7 * 4);
	assert_int_equal(calls(d), 5);
	assert_int_equal(d->n_tunnels, 3);
	advance_to(h, t0 + 500);
	assert_int_equal(calls(d), 5);
	assert_null(d->dial_paced);
}

/* A second paced dial while one runs is refused with the first's state;
 * the first goes on.  Left running here: the teardown (l2tpd_fini) must
 * free it (valgrind and the sanitizer build see a leak otherwise). */
static void test_paced_second_refused(void **state)
{
	struct harness *h = h_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	uint64_t t0 = clock_now(&d->clk);
	char *out;

	free(h_cmd(h, "test vpdn dial vpdn-group LAC sessions 10 interval 100", 0));
	out = h_cmd(h, "test vpdn dial vpdn-group LAC sessions 3 interval 10", -EBUSY);
	assert_non_null(strstr(out, "a paced dial is running on vpdn-group LAC (1 of 10"));
	free(out);
	assert_int_equal(calls(d), 1);
	assert_int_equal(d->n_tunnels, 1);	/* no per-tunnel: all on one */
	advance_to(h, t0 + 200);
	assert_int_equal(calls(d), 3);
	assert_int_equal(d->n_tunnels, 1);
	assert_non_null(d->dial_paced);
}

/* The group removed by a reload: the dial stops at once, its timer gone,
 * and nothing is placed afterwards. */
static void test_paced_group_removed(void **state)
{
	struct harness *h = h_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	uint64_t t0 = clock_now(&d->clk);
	char err[256] = "";
	size_t timers;

	assert_int_equal(l2tp_dial_paced(d, h_group(h, "LAC"), 10, 1, 50, err, sizeof err), 1);
	advance_to(h, t0 + 100);
	assert_int_equal(calls(d), 3);
	timers = d->clk.n;
	assert_true(config_reload_string(d, "hostname lac1\nvpdn enable\n", "test", err,
					 sizeof err) >= 0);
	assert_null(d->dial_paced);
	assert_int_equal(d->clk.n, timers - 1);	/* the dial's timer, and only it */
	advance_to(h, t0 + 900);
	assert_int_equal(calls(d), 3);
}

/* Shutdown stops the dial before the tunnels are cleared. */
static void test_paced_shutdown(void **state)
{
	struct harness *h = h_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	uint64_t t0 = clock_now(&d->clk);
	char err[256] = "";
	unsigned n;

	assert_int_equal(l2tp_dial_paced(d, h_group(h, "LAC"), 10, 1, 30, err, sizeof err), 1);
	advance_to(h, t0 + 30);
	assert_int_equal(calls(d), 2);
	l2tpd_shutdown(d);
	assert_null(d->dial_paced);
	n = d->stats.tunnels_created;
	advance_to(h, t0 + 600);
	assert_int_equal(d->stats.tunnels_created, n);
}

/* vpdn softshut while it runs: the next call is not placed, and the dial
 * stops there instead of trying again every interval. */
static void test_paced_softshut(void **state)
{
	struct harness *h = h_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	uint64_t t0 = clock_now(&d->clk);
	char err[256] = "";

	assert_int_equal(l2tp_dial_paced(d, h_group(h, "LAC"), 10, 1, 40, err, sizeof err), 1);
	advance_to(h, t0 + 40);
	assert_int_equal(calls(d), 2);
	d->cfg.softshut = 1;
	advance_to(h, t0 + 80);
	assert_int_equal(calls(d), 2);
	assert_null(d->dial_paced);
	d->cfg.softshut = 0;
	advance_to(h, t0 + 400);
	assert_int_equal(calls(d), 2);
}

/* The errors: no such group, and username with interval. */
static void test_paced_errors(void **state)
{
	struct harness *h = h_new(state, cfg_lac);
	char *out;

	out = h_cmd(h, "test vpdn dial vpdn-group NOPE sessions 3 interval 10", -ENOENT);
	assert_non_null(strstr(out, "No such vpdn-group NOPE"));
	free(out);
	out = h_cmd(h, "test vpdn dial vpdn-group LAC sessions 3 interval 10 username u "
		    "password p", -EINVAL);
	assert_non_null(strstr(out, "leave out username or interval"));
	free(out);
	assert_null(h->d.dial_paced);
	assert_int_equal(h->d.n_sessions, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_paced_one_per_interval, h_teardown),
		cmocka_unit_test_teardown(test_paced_per_tunnel, h_teardown),
		cmocka_unit_test_teardown(test_paced_second_refused, h_teardown),
		cmocka_unit_test_teardown(test_paced_group_removed, h_teardown),
		cmocka_unit_test_teardown(test_paced_shutdown, h_teardown),
		cmocka_unit_test_teardown(test_paced_softshut, h_teardown),
		cmocka_unit_test_teardown(test_paced_errors, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
