/*
 * service/notify.c against a real NOTIFY_SOCKET: a datagram socket the
 * test binds (a path, and an abstract name) reads what the daemon's side
 * sends, in order; the watchdog runs on a real libev loop, and a loop
 * blocked by one of its callbacks sends nothing until it runs again.
 */
#include <errno.h>
#include <ev.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "service/notify.h"

struct listener {
	int fd;
	char path[108];
};

/* A datagram socket at path ("@x": abstract), non-blocking. */
static void listener_open(struct listener *l, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(path);

	l->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(l->fd >= 0);
	memcpy(sa.sun_path, path, len);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	else
		unlink(path);
	assert_int_equal(bind(l->fd, (struct sockaddr *)&sa,
			      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len +
					  (path[0] == '@' ? 0 : 1))), 0);
	snprintf(l->path, sizeof l->path, "%s", path);
}

static void listener_close(struct listener *l)
{
	close(l->fd);
	if (l->path[0] == '/')
		unlink(l->path);
}

/* The next datagram, or NULL if none is queued. */
static char *listener_next(struct listener *l, char *buf, size_t size)
{
	ssize_t n = recv(l->fd, buf, size - 1, 0);

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

static unsigned listener_count(struct listener *l, const char *what)
{
	char buf[512];
	unsigned n = 0;

	while (listener_next(l, buf, sizeof buf))
		if (strcmp(buf, what) == 0)
			n++;
	return n;
}

static void test_no_manager(void **state)
{
	struct svc_notify n;
	char err[256];

	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	assert_int_equal(svc_notify_init(&n, err, sizeof err), 0);
	assert_false(svc_notify_enabled(&n));
	assert_int_equal(svc_notify_send(&n, "READY=1"), 0);
	assert_int_equal(n.sent, 0);
	svc_notify_close(&n);
}

/* READY, RELOADING (with MONOTONIC_USEC), READY, STOPPING: in order. */
static void test_sequence(void **state)
{
	struct listener l;
	struct svc_notify n;
	char err[256], buf[512];
	char path[64];

	snprintf(path, sizeof path, "/tmp/l2tpd-test-notify-%d", (int)getpid());
	listener_open(&l, path);
	setenv("NOTIFY_SOCKET", path, 1);
	unsetenv("WATCHDOG_USEC");
	assert_int_equal(svc_notify_init(&n, err, sizeof err), 0);
	assert_true(svc_notify_enabled(&n));
	assert_int_equal(n.watchdog_us, 0);
	assert_int_equal(svc_notify_sendf(&n, "READY=1\nSTATUS=%s", "standalone"), 0);
	assert_int_equal(svc_notify_reloading(&n), 0);
	assert_int_equal(svc_notify_send(&n, "READY=1"), 0);
	assert_int_equal(svc_notify_send(&n, "STOPPING=1"), 0);
	assert_string_equal(listener_next(&l, buf, sizeof buf), "READY=1\nSTATUS=standalone");
	assert_non_null(listener_next(&l, buf, sizeof buf));
	assert_true(strncmp(buf, "RELOADING=1\nMONOTONIC_USEC=", 27) == 0);
	assert_true(strtoull(buf + 27, NULL, 10) > 0);
	assert_string_equal(listener_next(&l, buf, sizeof buf), "READY=1");
	assert_string_equal(listener_next(&l, buf, sizeof buf), "STOPPING=1");
	assert_null(listener_next(&l, buf, sizeof buf));
	assert_int_equal(n.sent, 4);
	svc_notify_close(&n);
	/* the manager went away: counted, not fatal */
	listener_close(&l);
	assert_int_equal(svc_notify_init(&n, err, sizeof err), 0);
	assert_true(svc_notify_send(&n, "READY=1") < 0);
	assert_int_equal(n.errors, 1);
	svc_notify_close(&n);
	unsetenv("NOTIFY_SOCKET");
}

static void test_abstract(void **state)
{
	struct listener l;
	struct svc_notify n;
	char err[256], buf[64], name[64];

	snprintf(name, sizeof name, "@l2tpd-test-notify-%d", (int)getpid());
	listener_open(&l, name);
	setenv("NOTIFY_SOCKET", name, 1);
	assert_int_equal(svc_notify_init(&n, err, sizeof err), 0);
	assert_int_equal(svc_notify_send(&n, "READY=1"), 0);
	assert_string_equal(listener_next(&l, buf, sizeof buf), "READY=1");
	svc_notify_close(&n);
	listener_close(&l);
	unsetenv("NOTIFY_SOCKET");
}

static void test_bad_environment(void **state)
{
	struct svc_notify n;
	char err[256];

	setenv("NOTIFY_SOCKET", "relative/path", 1);
	assert_int_equal(svc_notify_init(&n, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "NOTIFY_SOCKET"));
	setenv("NOTIFY_SOCKET", "/run/x", 1);
	setenv("WATCHDOG_USEC", "ten", 1);
	assert_int_equal(svc_notify_init(&n, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "WATCHDOG_USEC"));
	/* another process's watchdog is not ours */
	setenv("WATCHDOG_USEC", "1000000", 1);
	setenv("WATCHDOG_PID", "1", 1);
	assert_int_equal(svc_notify_init(&n, err, sizeof err), 0);
	assert_int_equal(n.watchdog_us, 0);
	svc_notify_close(&n);
	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
	unsetenv("NOTIFY_SOCKET");
}

struct wd_run {
	struct listener *l;
	struct svc_notify *n;
	unsigned during_block;		/* WATCHDOG=1 sent while the loop was blocked */
	ev_timer block, stop;
};

/* A callback that wedges the loop for 600 ms (3 watchdog periods). */
static void wd_block_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct wd_run *r = w->data;

	listener_count(r->l, "WATCHDOG=1");	/* what came before */
	usleep(600 * 1000);
	r->during_block = listener_count(r->l, "WATCHDOG=1");
}

static void wd_stop_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	ev_break(loop, EVBREAK_ALL);
}

/* WATCHDOG_USEC=400 ms: WATCHDOG=1 at start and every 200 ms from the
 * loop; none while a callback blocks it; again once it runs. */
static void test_watchdog(void **state)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct listener l;
	struct svc_notify n;
	struct wd_run r = { &l, &n, 99, { 0 }, { 0 } };
	char err[256], path[64];
	unsigned before, after;

	snprintf(path, sizeof path, "/tmp/l2tpd-test-wd-%d", (int)getpid());
	listener_open(&l, path);
	setenv("NOTIFY_SOCKET", path, 1);
	setenv("WATCHDOG_USEC", "400000", 1);
	assert_int_equal(svc_notify_init(&n, err, sizeof err), 0);
	assert_int_equal(n.watchdog_us, 400000);
	svc_notify_watchdog_start(&n, loop);
	assert_int_equal(listener_count(&l, "WATCHDOG=1"), 1);	/* the first, at once */
	/* 1 s of loop: about 5 more */
	ev_timer_init(&r.stop, wd_stop_cb, 1.0, 0.);
	ev_timer_start(loop, &r.stop);
	ev_run(loop, 0);
	before = listener_count(&l, "WATCHDOG=1");
	assert_true(before >= 2);	/* generous: 2 shared cores under sanitizers */
	/* a blocked loop sends nothing */
	ev_timer_init(&r.block, wd_block_cb, 0.05, 0.);
	r.block.data = &r;
	ev_timer_start(loop, &r.block);
	ev_timer_set(&r.stop, 0.1, 0.);
	ev_timer_start(loop, &r.stop);
	ev_run(loop, 0);
	assert_int_equal(r.during_block, 0);
	/* and feeds it again once it runs */
	ev_timer_set(&r.stop, 1.0, 0.);
	ev_timer_start(loop, &r.stop);
	ev_run(loop, 0);
	after = listener_count(&l, "WATCHDOG=1");
	assert_true(after >= 2);
	svc_notify_close(&n);
	listener_close(&l);
	ev_loop_destroy(loop);
	unsetenv("WATCHDOG_USEC");
	unsetenv("NOTIFY_SOCKET");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_manager),
		cmocka_unit_test(test_sequence),
		cmocka_unit_test(test_abstract),
		cmocka_unit_test(test_bad_environment),
		cmocka_unit_test(test_watchdog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
