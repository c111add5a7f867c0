/*
 * The LAC's paced test dial (`test vpdn dial ... interval MS`, l2tp/dial.c):
 * the first call at once, each next one exactly one interval later from the
 * daemon's timer (none early, none late), a new tunnel every per-tunnel
 * calls, the count asked for and no more; one paced dial at a time; the
 * dial stops, its timer gone and a line logged, when its group leaves the
 * configuration, when a call cannot be placed (vpdn softshut), when its
 * timer cannot be started, or the daemon shuts down; the tunnel it shares
 * ending sends the next calls to a new one.  Nobody answers the SCCRQs:
 * the calls only have to be placed (the first retransmission is 1 s away,
 * past every check here).
 *
 * The timer's failure is made by the link: this test is linked with
 * --wrap=clock_timer_start, and the wrapper below fails the start of the
 * paced dial's own timer when asked to (the only allocation it makes).
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
#include <unistd.h>

#include "harness.h"
#include "cli/config_reload.h"
#include "l2tp/dial.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "l2tp/proto.h"

static const char cfg_lac[] =
	H_CFG_LAC
	" l2tp tunnel hello 0\n";

/* The wrapper: the paced dial's timer is the one whose argument is the
 * dial (d->dial_paced is set before it starts); fail_paced_timer of its
 * starts fail from the next one on (0: none), with -ENOMEM as the heap's
 * growth would. */
static const struct l2tpd *wrap_d;
static unsigned fail_paced_timer;

int __real_clock_timer_start(struct l2tp_clock *c, struct l2tp_timer *t, uint64_t delay_ms);
int __wrap_clock_timer_start(struct l2tp_clock *c, struct l2tp_timer *t, uint64_t delay_ms);

int __wrap_clock_timer_start(struct l2tp_clock *c, struct l2tp_timer *t, uint64_t delay_ms)
{
	if (fail_paced_timer > 0 && wrap_d != NULL && wrap_d->dial_paced != NULL &&
	    t->arg == (void *)wrap_d->dial_paced) {
		if (--fail_paced_timer == 0)
			return -ENOMEM;
	}
	return __real_clock_timer_start(c, t, delay_ms);
}

/*
 * A daemon as LAC whose log (LOG_INFO and up) goes to a file while the test
 * runs: the notices are written at once, past any buffer (core/log.c), so
 * stderr itself is redirected.  t_log_read() copies what was written so
 * far into b for h_log_lines_with(); t_log_off() (or the teardown, when a
 * test fails first) gives stderr back.
 */
static FILE *log_file;
static int saved_stderr = -1;

static struct harness *t_new_logged(void **state)
{
	struct harness *h = h_new(state, cfg_lac);

	h->d.log.level = LOG_INFO;
	h->d.log.to_stderr = 1;
	log_file = tmpfile();
	assert_non_null(log_file);
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	assert_true(saved_stderr >= 0);
	assert_true(dup2(fileno(log_file), STDERR_FILENO) >= 0);
	wrap_d = &h->d;
	fail_paced_timer = 0;
	return h;
}

static void t_log_read(struct log_buf *b)
{
	ssize_t n;

	fflush(stderr);
	n = pread(fileno(log_file), b->text, sizeof b->text, 0);
	assert_true(n >= 0 && (size_t)n < sizeof b->text);
	b->len = (size_t)n;
}

static void t_log_restore(void)
{
	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	fclose(log_file);
	log_file = NULL;
}

/* The whole log into b; stderr back; the daemon quiet from here. */
static void t_log_off(struct harness *h, struct log_buf *b)
{
	t_log_read(b);
	t_log_restore();
	h->d.log.level = LOG_CRIT;
	wrap_d = NULL;
}

static int t_teardown(void **state)
{
	t_log_restore();
	wrap_d = NULL;
	fail_paced_timer = 0;
	return h_teardown(state);
}

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
	static struct log_buf b;
	struct harness *h = t_new_logged(state);
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
	t_log_off(h, &b);
	assert_int_equal(h_log_lines_with(&b, "test dial on vpdn-group LAC stopped after 3 of 10 "
					  "sessions: its vpdn-group was removed from the "
					  "configuration"), 1);
	assert_int_equal(h_log_lines_with(&b, "test dial"), 1);
}

/* Shutdown stops the dial before the tunnels are cleared. */
static void test_paced_shutdown(void **state)
{
	static struct log_buf b;
	struct harness *h = t_new_logged(state);
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
	t_log_off(h, &b);
	assert_int_equal(h_log_lines_with(&b, "test dial on vpdn-group LAC stopped after 2 of 10 "
					  "sessions: l2tpd shutting down"), 1);
	assert_int_equal(h_log_lines_with(&b, "test dial"), 1);
}

/* vpdn softshut while it runs: the next call is not placed, and the dial
 * stops there instead of trying again every interval. */
static void test_paced_softshut(void **state)
{
	static struct log_buf b;
	struct harness *h = t_new_logged(state);
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
	t_log_off(h, &b);
	assert_int_equal(h_log_lines_with(&b, "test dial on vpdn-group LAC stopped after 2 of 10 "
					  "sessions: vpdn softshut: no new calls"), 1);
	assert_int_equal(h_log_lines_with(&b, "test dial"), 1);
}

/* The dial's timer cannot be started after its first call: the command
 * fails saying so, the call placed stays, the dial is gone (logged; a new
 * one may start) and nothing more is placed. */
static void test_paced_timer_fails_first(void **state)
{
	static struct log_buf b;
	struct harness *h = t_new_logged(state);
	struct l2tpd *d = &h->d;
	uint64_t t0 = clock_now(&d->clk);
	size_t timers = d->clk.n;
	char *out;

	fail_paced_timer = 1;
	out = h_cmd(h, "test vpdn dial vpdn-group LAC sessions 5 interval 20", -ENOMEM);
	assert_non_null(strstr(out, "placed 1 of 5 sessions, then stopped: out of memory for "
			       "the dial's timer"));
	assert_null(strstr(out, "placing"));
	free(out);
	assert_null(d->dial_paced);
	assert_int_equal(calls(d), 1);
	advance_to(h, t0 + 500);
	assert_int_equal(calls(d), 1);
	t_log_read(&b);
	assert_int_equal(h_log_lines_with(&b, "test dial on vpdn-group LAC stopped after 1 of 5 "
					  "sessions: out of memory for its timer"), 1);
	/* nothing of it is left: a new dial runs */
	assert_true(d->clk.n > timers);		/* the tunnel's, not the dial's */
	free(h_cmd(h, "test vpdn dial vpdn-group LAC sessions 2 interval 10", 0));
	advance_to(h, t0 + 510);
	assert_int_equal(calls(d), 3);
	assert_null(d->dial_paced);
	t_log_off(h, &b);
	assert_int_equal(h_log_lines_with(&b, "test dial"), 2);	/* the stop, the second's end */
}

/* Its timer cannot be started again after the third call: the dial stops
 * there, logged, as if it had been stopped. */
static void test_paced_timer_fails_later(void **state)
{
	static struct log_buf b;
	struct harness *h = t_new_logged(state);
	struct l2tpd *d = &h->d;
	uint64_t t0 = clock_now(&d->clk);
	char err[256] = "";

	fail_paced_timer = 3;		/* the command's start, the second call's, then fail */
	assert_int_equal(l2tp_dial_paced(d, h_group(h, "LAC"), 10, 0, 25, err, sizeof err), 1);
	advance_to(h, t0 + 50);
	assert_int_equal(calls(d), 3);
	assert_null(d->dial_paced);
	advance_to(h, t0 + 500);
	assert_int_equal(calls(d), 3);
	t_log_off(h, &b);
	assert_int_equal(h_log_lines_with(&b, "test dial on vpdn-group LAC stopped after 3 of 10 "
					  "sessions: out of memory for its timer"), 1);
	assert_int_equal(h_log_lines_with(&b, "test dial"), 1);
}

/* The live tunnel of the dial other than `not`, with its session count. */
static struct l2tp_tunnel *other_tunnel(struct l2tpd *d, const struct l2tp_tunnel *not)
{
	struct l2tp_tunnel *t, *found = NULL;

	LIST_FOREACH(t, &d->tunnels, link)
		if (!t->dead && t != not && t->state != L2TP_TUNNEL_CLOSING) {
			assert_null(found);	/* only one */
			found = t;
		}
	assert_non_null(found);
	return found;
}

/*
 * The tunnel the dial shares ends mid-dial (cleared by the operator with a
 * StopCCN, then gone; or gone at once, as when the peer stops answering):
 * the next call goes on a new tunnel, as a LAC's next subscriber would,
 * the dial goes on to its count, and each ending is logged once.
 */
static void test_paced_tunnel_ends(void **state)
{
	static struct log_buf b;
	struct harness *h = t_new_logged(state);
	struct l2tpd *d = &h->d;
	uint64_t t0 = clock_now(&d->clk);
	struct h_peer *lns = h_peer_new(h, "192.0.2.2", 100, H_SECRET);
	struct l2tp_tunnel *a, *bt, *c;
	char err[256] = "", line[128];

	assert_int_equal(l2tp_dial_paced(d, h_group(h, "LAC"), 6, 0, 10, err, sizeof err), 1);
	h_lac_answer(h, lns, "lns1");
	advance_to(h, t0 + 10);
	a = other_tunnel(d, NULL);
	assert_int_equal(a->state, L2TP_TUNNEL_ESTABLISHED);
	assert_int_equal(a->n_sessions, 2);
	l2tp_tunnel_clear(a, L2TP_STOPCCN_GENERAL, -1, "test");
	assert_int_equal(a->state, L2TP_TUNNEL_CLOSING);	/* until its StopCCN is acknowledged */
	advance_to(h, t0 + 20);
	bt = other_tunnel(d, a);
	assert_int_equal(bt->n_sessions, 1);	/* call 3, on a new tunnel */
	snprintf(line, sizeof line, "test dial on vpdn-group LAC: tunnel %u ended after 2 of "
		 "its calls; the next calls go on a new tunnel", a->tid);
	t_log_read(&b);
	assert_int_equal(h_log_lines_with(&b, line), 1);
	l2tp_tunnel_destroy(a);
	l2tp_tunnel_reap(d);
	advance_to(h, t0 + 30);
	assert_int_equal(bt->n_sessions, 2);	/* call 4: still the new one */
	snprintf(line, sizeof line, "tunnel %u ended after 2 of its calls", bt->tid);
	l2tp_tunnel_destroy(bt);		/* gone at once */
	l2tp_tunnel_reap(d);
	advance_to(h, t0 + 40);
	t_log_read(&b);
	assert_int_equal(h_log_lines_with(&b, line), 1);
	c = other_tunnel(d, NULL);
	assert_int_equal(c->n_sessions, 1);	/* call 5 */
	advance_to(h, t0 + 500);
	assert_int_equal(c->n_sessions, 2);	/* call 6, the last */
	assert_null(d->dial_paced);
	assert_int_equal(d->stats.tunnels_created, 3);
	t_log_off(h, &b);
	assert_int_equal(h_log_lines_with(&b, "ended after"), 2);
	assert_int_equal(h_log_lines_with(&b, "test dial on vpdn-group LAC: placed 6 sessions, "
					  "one every 10 ms"), 1);
	assert_int_equal(h_log_lines_with(&b, "stopped"), 0);
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
		cmocka_unit_test_teardown(test_paced_one_per_interval, t_teardown),
		cmocka_unit_test_teardown(test_paced_per_tunnel, t_teardown),
		cmocka_unit_test_teardown(test_paced_second_refused, t_teardown),
		cmocka_unit_test_teardown(test_paced_group_removed, t_teardown),
		cmocka_unit_test_teardown(test_paced_shutdown, t_teardown),
		cmocka_unit_test_teardown(test_paced_softshut, t_teardown),
		cmocka_unit_test_teardown(test_paced_errors, t_teardown),
		cmocka_unit_test_teardown(test_paced_timer_fails_first, t_teardown),
		cmocka_unit_test_teardown(test_paced_timer_fails_later, t_teardown),
		cmocka_unit_test_teardown(test_paced_tunnel_ends, t_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
