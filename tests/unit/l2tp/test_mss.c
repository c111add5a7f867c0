/*
 * `ip tcp adjust-mss` in the kernel (l2tp/mss.c): which values the kernel's
 * clamp table holds at start, after reloads, while a session's interface
 * still carries a value its template no longer names, and at exit; a
 * refused write is logged, counted, shown and tried again.  The kernel
 * data path is fake_dp.h's (the null backend's records, DP_CAP_KERNEL).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <errno.h>
#include <cmocka.h>

#include "harness.h"
#include "fake_dp.h"
#include "fake_subscriber.h"
#include "cli/config_reload.h"
#include "core/ippool.h"
#include "l2tp/mss.h"
#include "l2tp/ppp_int.h"
#include "l2tp/session.h"

#define CFG_HEAD \
	"hostname lns1\n" \
	"vpdn enable\n" \
	"username local1 password lpass\n" \
	"ip local pool P1 10.1.0.1 10.1.0.50\n" \
	"vpdn-group LNS\n" \
	" accept-dialin\n" \
	"  protocol l2tp\n" \
	"  virtual-template 1\n" \
	" local name lns1\n" \
	" l2tp tunnel password s3cret\n" \
	" l2tp tunnel hello 0\n" \
	"interface Virtual-Template 1\n" \
	" ip address 10.0.0.1 255.255.255.255\n" \
	" peer default ip address pool P1\n" \
	" no keepalive\n" \
	" ppp authentication pap\n"

static const char cfg_1400[] = CFG_HEAD " ip tcp adjust-mss 1400\n";
/* A second template (no group uses it) with another value. */
static const char cfg_two[] = CFG_HEAD " ip tcp adjust-mss 1400\n"
	"interface Virtual-Template 2\n ip tcp adjust-mss 1300\n";
static const char cfg_1300[] = CFG_HEAD " ip tcp adjust-mss 1300\n";
static const char cfg_none[] = CFG_HEAD;

static void t_reload(struct harness *h, const char *text)
{
	char err[256] = "";

	assert_true(config_reload_string(&h->d, text, "test", err, sizeof(err)) >= 0);
}

static void t_table(const struct fake_dp *f, size_t n, const uint16_t *v)
{
	assert_int_equal(f->n, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(f->mss[i], v[i]);
}

/* Start, reloads that add, keep and drop values, exit. */
static void test_mss_start_reload_exit(void **state)
{
	struct harness *h = h_new(state, cfg_1400);
	struct fake_dp *f = fake_dp_attach(h);
	static const uint16_t one[] = { 1400 }, two[] = { 1300, 1400 }, other[] = { 1300 };

	l2tp_mss_sync(&h->d);
	assert_int_equal(f->writes, 1);
	t_table(f, 1, one);
	assert_int_equal(h->d.dp->count.mss_values, 1);
	assert_int_equal(h->d.dp->count.mss_table_set, 1);

	t_reload(h, cfg_two);		/* sorted, whichever template came first */
	assert_int_equal(f->writes, 2);
	t_table(f, 2, two);
	/* The same values: written again all the same (an operator's `nft
	 * flush ruleset` may have taken the table away). */
	f->table = 0;
	f->n = 0;
	t_reload(h, cfg_two);
	assert_int_equal(f->writes, 3);
	assert_true(f->table);
	t_table(f, 2, two);
	t_reload(h, cfg_1300);		/* template 2 removed, template 1 edited */
	assert_int_equal(f->writes, 4);
	t_table(f, 1, other);
	t_reload(h, cfg_none);		/* no value left: the table goes */
	assert_int_equal(f->writes, 5);
	assert_int_equal(f->n, 0);
	assert_false(f->table);
	assert_int_equal(h->d.dp->count.mss_values, 0);

	t_reload(h, cfg_1400);
	assert_true(f->table);
	l2tp_mss_stop(&h->d);		/* exit: removed once */
	assert_int_equal(f->writes, 7);
	assert_false(f->table);
	l2tp_mss_stop(&h->d);
	assert_int_equal(f->writes, 7);
}

/* A daemon whose templates never named a value writes nothing, at start
 * or reload, and removes nothing at exit (nftables is never asked). */
static void test_mss_never(void **state)
{
	struct harness *h = h_new(state, cfg_none);
	struct fake_dp *f = fake_dp_attach(h);

	l2tp_mss_sync(&h->d);
	t_reload(h, cfg_none);
	l2tp_mss_stop(&h->d);
	assert_int_equal(f->writes, 0);
}

/* nftables refuses: logged and counted, shown, tried again by a reload. */
static void test_mss_refused(void **state)
{
	struct harness *h = h_new(state, cfg_1400);
	struct fake_dp *f = fake_dp_attach(h);
	static const uint16_t one[] = { 1400 };
	char *out;

	f->fail = -EIO;
	l2tp_mss_sync(&h->d);
	assert_int_equal(f->writes, 1);
	assert_false(f->table);
	assert_int_equal(h->d.dp->count.mss_table_failed, 1);
	assert_int_equal(h->d.dp->count.mss_table_set, 0);
	out = h_cmd(h, "show l2tp statistics", 0);
	assert_non_null(strstr(out, "TCP MSS clamp: 0 values in the kernel's table (0 writes, "
			       "1 refused)"));
	free(out);

	f->fail = 0;
	t_reload(h, cfg_1400);		/* the same file: the write is tried again */
	assert_int_equal(f->writes, 2);
	t_table(f, 1, one);
	assert_int_equal(h->d.dp->count.mss_table_set, 1);
	out = h_cmd(h, "show l2tp statistics", 0);
	assert_non_null(strstr(out, "TCP MSS clamp: 1 values in the kernel's table (1 writes, "
			       "1 refused)"));
	free(out);
}

/* The hitless restart's exit leaves the table to the new process; a
 * daemon that never wrote one removes none. */
static void test_mss_restart_exit(void **state)
{
	struct harness *h = h_new(state, cfg_1400);
	struct fake_dp *f = fake_dp_attach(h);

	l2tp_mss_sync(&h->d);
	h->d.restart_exit = 1;
	l2tp_mss_stop(&h->d);
	assert_int_equal(f->writes, 1);
	assert_true(f->table);
	h->d.restart_exit = 0;
	h->d.mss_ok = 0;
	h->d.mss_n = 0;			/* as if it had never written */
	l2tp_mss_stop(&h->d);
	assert_int_equal(f->writes, 1);
}

/* The null data path: no kernel table (the daemon clamps what it relays). */
static void test_mss_null(void **state)
{
	struct harness *h = h_new(state, cfg_1400);

	assert_int_equal(l2tp_mss_for(&h->d, 1400), 0);
	l2tp_mss_sync(&h->d);
	l2tp_mss_stop(&h->d);
	assert_int_equal(h->d.dp->count.mss_table_set, 0);
	assert_int_equal(h->d.dp->count.mss_table_failed, 0);
}

/* A session's interface keeps the group of the value it came up with: a
 * reload that edits its template keeps that value's rules until the
 * session ends. */
static void test_mss_live_session(void **state)
{
	struct harness *h = h_new(state, cfg_1400);
	struct fake_subscribers *subs = fake_subscribers_new(h);
	static const uint16_t both[] = { 1300, 1400 }, now[] = { 1300 };
	struct fake_subscriber *u;
	struct l2tp_session *s;
	struct ppp_config c;
	struct h_peer *lac;
	struct fake_dp *f;

	assert_int_equal(ippool_setup(&h->d.pools, &h->d.cfg), 0);
	lac = h_lns_tunnel(h, "192.0.2.2", 100, "lac1");
	fake_subscriber_config(&c, "local1", "lpass");
	c.n_auth = 1;
	h_icrq(lac, 9, 9);
	h_send(lac);
	u = fake_subscriber_add(subs, lac, 9);
	u->sid = 1;
	{
		struct l2tp_msg *m = h_expect(h, lac, L2TP_MSG_ICRP);
		uint16_t dsid = 0;

		assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &dsid), 0);
		u->sid = dsid;
	}
	fake_subscriber_open(u, &c);
	h_iccn(lac, u->sid);
	h_send(lac);
	fake_subscribers_pump(subs, lac);
	assert_int_equal(u->ups, 1);
	s = fake_subscriber_session(u);
	assert_non_null(s);
	assert_non_null(s->ppp_link);
	assert_int_equal(s->ppp_link->mss, 0);	/* null: no pppN, no group */
	/* Under a kernel path the link's unit joins 1400's group as it is
	 * created (l2tp/ppp.c link_open_dp); a refusal leaves it without. */
	f = fake_dp_attach(h);
	f->configure_fail = -EIO;
	l2tp_mss_link(s->ppp_link);
	assert_int_equal(f->configures, 1);
	assert_int_equal(s->ppp_link->mss, 0);
	f->configure_fail = 0;
	l2tp_mss_link(s->ppp_link);
	assert_int_equal(f->configures, 2);
	assert_int_equal(f->last_mss, 1400);
	assert_int_equal(s->ppp_link->mss, 1400);

	t_reload(h, cfg_1300);
	t_table(f, 2, both);
	h_cdn(lac, u->sid, 9, L2TP_CDN_ADMIN);
	h_send(lac);
	assert_null(fake_subscriber_session(u));
	t_reload(h, cfg_1300);		/* the session has gone: so has 1400 */
	t_table(f, 1, now);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_mss_start_reload_exit, h_teardown),
		cmocka_unit_test_teardown(test_mss_never, h_teardown),
		cmocka_unit_test_teardown(test_mss_refused, h_teardown),
		cmocka_unit_test_teardown(test_mss_restart_exit, h_teardown),
		cmocka_unit_test_teardown(test_mss_null, h_teardown),
		cmocka_unit_test_teardown(test_mss_live_session, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
