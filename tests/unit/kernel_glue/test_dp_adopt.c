/*
 * The data path across a hitless restart (dp.h), on the host: the
 * descriptors handed over are taken once each by the session and kind they
 * belong to, those nobody takes are closed by dp_adopt_end (and by
 * dp_destroy), a backend with kernel objects and no way to list them
 * refuses, a backend's failing adopt_begin leaves nothing open; the linux
 * backend lists each session's PPPoL2TP socket, channel and unit under
 * their IDs and each PPPoE session's socket and channel under its ID,
 * refuses a PPPoE session handed over incomplete or not a PPPoE socket, and
 * refuses a channel handed over without its socket, or a descriptor that
 * is no PPPoL2TP socket (here a pipe), closing what it took; it adopts the
 * kernel's tunnels and sessions without a request to the kernel and, while
 * adopting, deletes them by forgetting them only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/idmap.h"
#include "kernel_glue/dp.h"
#include "kernel_glue/dp_linux_int.h"

static int t_fd_open(int fd)
{
	return fd >= 0 && fcntl(fd, F_GETFD) >= 0;
}

/* n descriptors (pipe ends), open. */
static void t_fds(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i += 2) {
		int p[2];

		assert_int_equal(pipe(p), 0);
		fds[i] = p[0];
		if (i + 1 < n)
			fds[i + 1] = p[1];
		else
			close(p[1]);
	}
}

static void test_null_holds_nothing(void **state)
{
	struct dp_held *h = (struct dp_held *)1;
	char err[256];
	struct dp *dp;
	size_t n = 7;

	(void)state;
	assert_int_equal(dp_create("null", &dp, err, sizeof(err)), 0);
	assert_int_equal(dp_held_list(dp, &h, &n), 0);
	assert_null(h);
	assert_int_equal(n, 0);
	dp_destroy(dp);
}

/* A backend with kernel objects and no held_list cannot be restarted. */
static void test_kernel_without_list_refuses(void **state)
{
	struct dp_ops ops = dp_null_ops;
	struct dp_held *h = NULL;
	struct dp dp = { .ops = &ops };
	size_t n = 0;

	(void)state;
	ops.caps = DP_CAP_KERNEL;
	ops.held_list = NULL;
	assert_int_equal(dp_held_list(&dp, &h, &n), -EOPNOTSUPP);
	assert_non_null(strstr(dp.err, "not supported"));
}

static void test_take_once_each(void **state)
{
	int fds[5];
	struct dp_held held[5];
	struct dp_adopt_counts c;
	char err[256];
	struct dp *dp;

	(void)state;
	t_fds(fds, 5);
	held[0] = (struct dp_held){ 3, 4, DP_HELD_PPPOX, fds[0] };
	held[1] = (struct dp_held){ 1, 2, DP_HELD_UNIT, fds[1] };
	held[2] = (struct dp_held){ 1, 2, DP_HELD_CHAN, fds[2] };
	held[3] = (struct dp_held){ 1, 2, DP_HELD_PPPOX, fds[3] };
	held[4] = (struct dp_held){ 2, 1, DP_HELD_CHAN, fds[4] };
	assert_int_equal(dp_create("null", &dp, err, sizeof(err)), 0);
	assert_false(dp_adopting(dp));
	assert_int_equal(dp_adopt_take(dp, 1, 2, DP_HELD_CHAN), -1);	/* not adopting */
	assert_int_equal(dp_adopt_begin(dp, held, 5), 0);
	assert_true(dp_adopting(dp));
	assert_int_equal(dp_adopt_take(dp, 1, 2, DP_HELD_CHAN), fds[2]);
	assert_int_equal(dp_adopt_take(dp, 1, 2, DP_HELD_CHAN), -1);	/* once */
	assert_int_equal(dp_adopt_take(dp, 1, 2, DP_HELD_PPPOX), fds[3]);
	assert_int_equal(dp_adopt_take(dp, 1, 2, DP_HELD_UNIT), fds[1]);
	assert_int_equal(dp_adopt_take(dp, 2, 1, DP_HELD_UNIT), -1);	/* another kind */
	assert_int_equal(dp_adopt_take(dp, 2, 2, DP_HELD_CHAN), -1);	/* another session */
	assert_int_equal(dp_adopt_take(dp, 3, 4, DP_HELD_PPPOX), fds[0]);
	/* 2/1's channel is nobody's: closed at the end, the taken ones not. */
	assert_true(t_fd_open(fds[4]));
	dp_adopt_end(dp, &c);
	assert_false(dp_adopting(dp));
	assert_false(t_fd_open(fds[4]));
	for (int i = 0; i < 4; i++) {
		assert_true(t_fd_open(fds[i]));
		close(fds[i]);
	}
	assert_int_equal(c.fds, 5);
	assert_int_equal(c.taken, 4);
	assert_int_equal(c.closed, 1);
	assert_int_equal(dp_adopt_take(dp, 3, 4, DP_HELD_PPPOX), -1);
	dp_destroy(dp);
}

static void test_destroy_closes_untaken(void **state)
{
	int fds[2];
	struct dp_held held[2];
	char err[256];
	struct dp *dp;

	(void)state;
	t_fds(fds, 2);
	held[0] = (struct dp_held){ 1, 1, DP_HELD_PPPOX, fds[0] };
	held[1] = (struct dp_held){ 1, 1, DP_HELD_CHAN, fds[1] };
	assert_int_equal(dp_create("null", &dp, err, sizeof(err)), 0);
	assert_int_equal(dp_adopt_begin(dp, held, 2), 0);
	dp_destroy(dp);
	assert_false(t_fd_open(fds[0]));
	assert_false(t_fd_open(fds[1]));
}

static void test_begin_twice(void **state)
{
	int fds[2];
	struct dp_held a = { 1, 1, DP_HELD_PPPOX, -1 }, b = { 2, 2, DP_HELD_PPPOX, -1 };
	char err[256];
	struct dp *dp;

	(void)state;
	t_fds(fds, 2);
	a.fd = fds[0];
	b.fd = fds[1];
	assert_int_equal(dp_create("null", &dp, err, sizeof(err)), 0);
	assert_int_equal(dp_adopt_begin(dp, &a, 1), 0);
	assert_int_equal(dp_adopt_begin(dp, &b, 1), -EBUSY);
	assert_false(t_fd_open(fds[1]));		/* the refused batch: closed */
	assert_true(dp_adopting(dp));
	assert_int_equal(dp_adopt_take(dp, 1, 1, DP_HELD_PPPOX), fds[0]);
	close(fds[0]);
	dp_destroy(dp);
}

static int t_begin_fails(struct dp *dp)
{
	(void)dp;
	return -EIO;
}

static void test_backend_begin_fails(void **state)
{
	struct dp_ops ops = dp_null_ops;
	struct dp dp = { .ops = &ops };
	struct dp_held h = { 1, 1, DP_HELD_UNIT, -1 };
	int fds[1];

	(void)state;
	ops.adopt_begin = t_begin_fails;
	t_fds(fds, 1);
	h.fd = fds[0];
	assert_int_equal(dp_adopt_begin(&dp, &h, 1), -EIO);
	assert_false(dp_adopting(&dp));
	assert_false(t_fd_open(fds[0]));
}

/* --- the linux backend's pieces that need no kernel ----------------------- */

struct t_linux {
	struct dp dp;
	struct dp_linux *l;
	struct dp_linux_sess s[3];
};

static void t_linux_init(struct t_linux *t)
{
	struct dp_linux_tun *tun = calloc(1, sizeof(*tun));

	memset(t, 0, sizeof(*t));
	t->l = calloc(1, sizeof(*t->l));
	assert_non_null(t->l);
	assert_non_null(tun);
	t->dp.ops = &dp_linux_ops;
	t->dp.priv = t->l;
	LIST_INIT(&tun->sessions);
	t->l->tunnels[7] = tun;
	for (int i = 0; i < 3; i++) {
		ppp_chan_init(&t->s[i].ch);
		t->s[i].tid = 7;
		t->s[i].sid = (uint16_t)(10 + i);
		LIST_INSERT_HEAD(&tun->sessions, &t->s[i], link);
		tun->nsessions++;
	}
}

static void t_linux_fini(struct t_linux *t)
{
	free(t->l->tunnels[7]);
	free(t->l);
}

static int t_held_cmp(const void *a, const void *b)
{
	const struct dp_held *x = a, *y = b;

	return x->fd - y->fd;
}

static void test_linux_held_list(void **state)
{
	struct t_linux t;
	struct dp_held *h = NULL;
	size_t n = 0;

	(void)state;
	t_linux_init(&t);
	/* 7/10: socket, channel, unit; 7/11: socket, channel; 7/12: nothing */
	t.s[0].ch.pppox_fd = 100;
	t.s[0].ch.chan_fd = 101;
	t.s[0].ch.unit_fd = 102;
	t.s[1].ch.pppox_fd = 110;
	t.s[1].ch.chan_fd = 111;
	assert_int_equal(dp_held_list(&t.dp, &h, &n), 0);
	assert_int_equal(n, 5);
	qsort(h, n, sizeof(*h), t_held_cmp);
	assert_int_equal(h[0].fd, 100);
	assert_int_equal(h[0].kind, DP_HELD_PPPOX);
	assert_int_equal(h[0].tunnel_id, 7);
	assert_int_equal(h[0].session_id, 10);
	assert_int_equal(h[1].kind, DP_HELD_CHAN);
	assert_int_equal(h[2].kind, DP_HELD_UNIT);
	assert_int_equal(h[2].session_id, 10);
	assert_int_equal(h[3].fd, 110);
	assert_int_equal(h[3].session_id, 11);
	assert_int_equal(h[4].kind, DP_HELD_CHAN);
	assert_int_equal(h[4].session_id, 11);
	free(h);
	t_linux_fini(&t);
}

/* PPPoE sessions the kernel holds (switched into calls or not): each one's
 * socket and channel, under tunnel 0 and the PPPoE session ID. */
static void test_linux_held_list_pppoe(void **state)
{
	struct t_linux t;
	struct dp_linux_pppoe pe[2];
	struct dp_held *h = NULL;
	size_t n = 0;

	(void)state;
	t_linux_init(&t);
	t.l->pppoe = idmap_create();
	assert_non_null(t.l->pppoe);
	t.s[0].ch.pppox_fd = 100;	/* 7/10: a bridged call's PPPoL2TP socket */
	for (int i = 0; i < 2; i++) {
		memset(&pe[i], 0, sizeof(pe[i]));
		pppoe_chan_init(&pe[i].ch);
		pe[i].sid = (uint16_t)(0x1234 + i);
		pe[i].ch.pc.pppox_fd = 200 + 10 * i;
		pe[i].ch.pc.chan_fd = 201 + 10 * i;
		assert_int_equal(idmap_put(t.l->pppoe, pe[i].sid, &pe[i]), 0);
	}
	pe[1].ch.bridged = 1;
	t.dp.count.pppoe_channels = 2;
	assert_int_equal(dp_held_list(&t.dp, &h, &n), 0);
	assert_int_equal(n, 5);
	qsort(h, n, sizeof(*h), t_held_cmp);
	assert_int_equal(h[0].fd, 100);
	assert_int_equal(h[0].kind, DP_HELD_PPPOX);
	for (int i = 0; i < 2; i++) {
		const struct dp_held *k = &h[1 + 2 * i];

		assert_int_equal(k[0].fd, 200 + 10 * i);
		assert_int_equal(k[0].kind, DP_HELD_PPPOE_SOCK);
		assert_int_equal(k[0].tunnel_id, 0);
		assert_int_equal(k[0].session_id, 0x1234 + i);
		assert_int_equal(k[1].fd, 201 + 10 * i);
		assert_int_equal(k[1].kind, DP_HELD_PPPOE_CHAN);
		assert_int_equal(k[1].session_id, 0x1234 + i);
	}
	free(h);
	idmap_destroy(t.l->pppoe);
	t_linux_fini(&t);
}

/* A PPPoE session handed over without its channel, or with descriptors
 * that are no PPPoE socket (pipes): refused, what was taken closed, the
 * session not opened (nothing in the backend's map); none handed over:
 * 0 (opened as new). */
static void test_linux_adopt_pppoe_refusals(void **state)
{
	struct t_linux t;
	struct dp_held held[3];
	struct pppoe_chan ch;
	struct dp_pppoe_params p = { .sid = 0x22, .ifname = "acc0" };
	char err[160] = "";
	int fds[3], chan_fd = -1;

	(void)state;
	t_linux_init(&t);
	t.l->pppoe = idmap_create();
	assert_non_null(t.l->pppoe);
	t_fds(fds, 3);
	held[0] = (struct dp_held){ 0, 0x21, DP_HELD_PPPOE_SOCK, fds[0] };	/* no channel */
	held[1] = (struct dp_held){ 0, 0x22, DP_HELD_PPPOE_SOCK, fds[1] };	/* pipes */
	held[2] = (struct dp_held){ 0, 0x22, DP_HELD_PPPOE_CHAN, fds[2] };
	{
		struct dp_ops ops = dp_linux_ops;

		ops.adopt_begin = NULL;
		t.dp.ops = &ops;
		assert_int_equal(dp_adopt_begin(&t.dp, held, 3), 0);
		t.dp.ops = &dp_linux_ops;
	}
	pppoe_chan_init(&ch);
	assert_int_equal(dp_linux_pppoe_adopt(&t.dp, 0x23, &ch, err, sizeof(err)), 0);
	assert_int_equal(ch.pc.pppox_fd, -1);
	assert_int_equal(dp_linux_pppoe_adopt(&t.dp, 0x21, &ch, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "PPP channel"));
	assert_false(t_fd_open(fds[0]));
	assert_int_equal(ch.pc.pppox_fd, -1);
	/* through the backend's open: refused, counted, nothing kept */
	assert_int_equal(dp_linux_pppoe_open(&t.dp, &p, &chan_fd), -ENOTTY);
	assert_non_null(strstr(t.dp.err, "PPPIOCGCHAN"));
	assert_false(t_fd_open(fds[1]));
	assert_false(t_fd_open(fds[2]));
	assert_int_equal(chan_fd, -1);
	assert_null(idmap_get(t.l->pppoe, 0x22));
	assert_int_equal(t.dp.count.pppoe_channels, 0);
	assert_int_equal(t.dp.count.errors, 1);
	t.dp.ops = &dp_null_ops;
	dp_adopt_end(&t.dp, NULL);
	idmap_destroy(t.l->pppoe);
	t_linux_fini(&t);
}

static void test_linux_adopt_chan_refusals(void **state)
{
	struct t_linux t;
	struct dp_held held[3];
	char err[160] = "";
	int fds[3];

	(void)state;
	t_linux_init(&t);
	t_fds(fds, 3);
	held[0] = (struct dp_held){ 7, 10, DP_HELD_CHAN, fds[0] };	/* no socket */
	held[1] = (struct dp_held){ 7, 11, DP_HELD_PPPOX, fds[1] };	/* a pipe, */
	held[2] = (struct dp_held){ 7, 11, DP_HELD_CHAN, fds[2] };	/* not PPPoL2TP */
	t.dp.adopt.active = 0;
	/* the pool alone (no kernel to read): dp.c's begin without the op */
	{
		struct dp_ops ops = dp_linux_ops;

		ops.adopt_begin = NULL;
		t.dp.ops = &ops;
		assert_int_equal(dp_adopt_begin(&t.dp, held, 3), 0);
		t.dp.ops = &dp_linux_ops;
	}
	/* nothing handed over for 7/12: 0, open as new */
	assert_int_equal(dp_linux_adopt_chan(&t.dp, &t.s[2], err, sizeof(err)), 0);
	assert_int_equal(dp_linux_adopt_chan(&t.dp, &t.s[0], err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "PPPoL2TP socket"));
	assert_false(t_fd_open(fds[0]));
	assert_int_equal(t.s[0].ch.chan_fd, -1);
	assert_int_equal(dp_linux_adopt_chan(&t.dp, &t.s[1], err, sizeof(err)), -ENOTTY);
	assert_non_null(strstr(err, "PPPIOCGCHAN"));
	assert_false(t_fd_open(fds[1]));
	assert_false(t_fd_open(fds[2]));
	assert_int_equal(t.s[1].ch.pppox_fd, -1);
	assert_int_equal(t.s[1].ch.chan_fd, -1);
	/* a unit that is no /dev/ppp unit */
	t_fds(fds, 1);
	t.dp.adopt.held[0] = (struct dp_held){ 7, 12, DP_HELD_UNIT, fds[0] };
	t.dp.adopt.n = 1;
	assert_int_equal(dp_linux_adopt_unit(&t.dp, &t.s[2], "ppp9", err, sizeof(err)), -ENOTTY);
	assert_non_null(strstr(err, "PPPIOCGUNIT"));
	assert_false(t_fd_open(fds[0]));
	assert_int_equal(t.s[2].ch.unit_fd, -1);
	assert_int_equal(t.s[2].ch.ifname[0], '\0');
	t.dp.ops = &dp_null_ops;	/* no linux adopt_end on a backend never begun */
	dp_adopt_end(&t.dp, NULL);
	t_linux_fini(&t);
}

/* The kernel's objects adopted with no genl request (the backend has no
 * netlink socket here: a request would crash), and, while adopting (a
 * restart failing part-way), deleted by forgetting them only. */
static void test_linux_adopt_kernel_objects(void **state)
{
	struct dp_ops ops = dp_linux_ops;
	struct dp dp = { .ops = &ops };
	struct dp_linux *l = calloc(1, sizeof(*l));
	struct dp_tunnel_params tp = { .tunnel_id = 5, .peer_tunnel_id = 50, .fd = -1 };
	struct dp_session_params sp = { .tunnel_id = 5, .session_id = 9, .peer_tunnel_id = 50,
					.peer_session_id = 90, .lns_mode = 1 };
	struct dp_adopt_counts c;

	(void)state;
	assert_non_null(l);
	dp.priv = l;
	ops.adopt_begin = NULL;		/* no kernel to read: said below */
	assert_int_equal(dp_adopt_begin(&dp, NULL, 0), 0);
	l->k_tunnels = calloc(65536 / 8, 1);
	l->k_sessions = calloc(1, sizeof(uint32_t));
	assert_non_null(l->k_tunnels);
	assert_non_null(l->k_sessions);
	l->k_tunnels[5 / 8] |= 1u << (5 % 8);
	l->k_sessions[0] = 5u << 16 | 9;
	l->n_k_sessions = 1;
	assert_true(dp_linux_kernel_has(&dp, 5, 0));
	assert_true(dp_linux_kernel_has(&dp, 5, 9));
	assert_false(dp_linux_kernel_has(&dp, 5, 8));
	assert_false(dp_linux_kernel_has(&dp, 6, 0));
	assert_int_equal(dp_tunnel_create(&dp, &tp), 0);
	assert_int_equal(dp_session_create(&dp, &sp), 0);
	assert_int_equal(dp.count.tunnels, 1);
	assert_int_equal(dp.count.sessions, 1);
	assert_int_equal(dp.adopt.count.tunnels, 1);
	assert_int_equal(dp.adopt.count.sessions, 1);
	assert_non_null(dp_linux_sess(&dp, 5, 9));
	assert_true(dp_linux_sess(&dp, 5, 9)->adopted);
	/* Forgotten, not deleted: the process before serves them on. */
	assert_int_equal(dp_session_delete(&dp, 5, 9), 0);
	assert_null(dp_linux_sess(&dp, 5, 9));
	assert_int_equal(dp_tunnel_delete(&dp, 5), 0);
	assert_null(l->tunnels[5]);
	assert_int_equal(dp.count.tunnels, 0);
	assert_int_equal(dp.count.sessions, 0);
	ops.adopt_end = dp_linux_adopt_end;
	dp_adopt_end(&dp, &c);
	assert_null(l->k_tunnels);
	assert_false(dp_linux_kernel_has(&dp, 5, 0));	/* not adopting any more */
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_holds_nothing),
		cmocka_unit_test(test_kernel_without_list_refuses),
		cmocka_unit_test(test_take_once_each),
		cmocka_unit_test(test_destroy_closes_untaken),
		cmocka_unit_test(test_begin_twice),
		cmocka_unit_test(test_backend_begin_fails),
		cmocka_unit_test(test_linux_held_list),
		cmocka_unit_test(test_linux_held_list_pppoe),
		cmocka_unit_test(test_linux_adopt_pppoe_refusals),
		cmocka_unit_test(test_linux_adopt_chan_refusals),
		cmocka_unit_test(test_linux_adopt_kernel_objects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
