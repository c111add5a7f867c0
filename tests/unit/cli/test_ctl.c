/*
 * The control socket (cli/ctl.c), on a real event loop: one command a
 * connection in text or JSON, refused lines, many clients at once, a
 * second daemon refused, a stale socket replaced; a configure terminal
 * session: lines sent all at once answered one by one with their prompt
 * records, a refused line not ending it, `end` closing it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ev.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli_check.h"
#include "json_valid.h"
#include "cli/ctl.h"
#include "core/config.h"

static int ctl_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return fd;
}

/* Turn the loop until every client has its whole answer (EOF). */
static void ctl_pump(struct l2tpd *d, const int *fds, char **answers, int n)
{
	size_t *len = calloc((size_t)n, sizeof *len);
	int open_left = n;

	assert_non_null(len);
	for (int i = 0; i < n; i++) {
		answers[i] = calloc(1, 1);
		assert_non_null(answers[i]);
	}
	for (int round = 0; open_left && round < 100000; round++) {
		ev_run(d->loop, EVRUN_NOWAIT);
		for (int i = 0; i < n; i++) {
			char buf[65536];
			ssize_t r;

			if (fds[i] < 0)
				continue;
			r = recv(fds[i], buf, sizeof buf, MSG_DONTWAIT);
			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (r < 0)
				fail_msg("client %d: %s", i, strerror(errno));	/* a reset */
			if (r == 0) {
				close(fds[i]);
				((int *)fds)[i] = -1;
				open_left--;
				continue;
			}
			answers[i] = realloc(answers[i], len[i] + (size_t)r + 1);
			assert_non_null(answers[i]);
			memcpy(answers[i] + len[i], buf, (size_t)r);
			len[i] += (size_t)r;
			answers[i][len[i]] = '\0';
		}
	}
	assert_int_equal(open_left, 0);
	free(len);
}

static char *ctl_ask(struct l2tpd *d, const char *path, const char *req, size_t reqlen)
{
	int fd = ctl_connect(path);
	char *answer;

	assert_int_equal(send(fd, req, reqlen, 0), (ssize_t)reqlen);
	ctl_pump(d, &fd, &answer, 1);
	return answer;
}

static void test_ctl(void **state)
{
	struct l2tpd *d = *state, d2;
	char dir[] = "/tmp/l2tpd-ctl-XXXXXX", path[128], err[256];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	enum { NCLIENTS = 100 };
	int fds[NCLIENTS], fd;
	char *answers[NCLIENTS], *a, big[10000];
	struct stat st;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/run/l2tpd/control", dir);
	d->loop = ev_loop_new(EVFLAG_AUTO);
	assert_non_null(d->loop);
	assert_int_equal(ctl_open(d, path, err, sizeof err), 0);	/* makes the directories */
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0660);	/* the daemon's user and the operators */

	/* a second daemon on the same socket is refused */
	memset(&d2, 0, sizeof d2);
	d2.loop = d->loop;
	assert_int_equal(ctl_open(&d2, path, err, sizeof err), -EADDRINUSE);
	assert_non_null(strstr(err, "another l2tpd is answering"));

	a = ctl_ask(d, path, "show vpdn\n", 10);
	assert_true(strncmp(a, "VPDN is enabled", 15) == 0);
	free(a);
	a = ctl_ask(d, path, "json show vpdn\r\n", 16);
	assert_true(strncmp(a, "{\"vpdn_enabled\":true", 20) == 0);
	assert_true(json_valid(a));
	free(a);
	a = ctl_ask(d, path, "json clear l2tp tunnel id 9\n", 28);
	assert_string_equal(a, "{\"error\":\"No such tunnel 9\"}\n");
	free(a);
	/* no newline, then EOF: still one command */
	fd = ctl_connect(path);
	assert_int_equal(send(fd, "show debugging", 14, 0), 14);
	shutdown(fd, SHUT_WR);
	ctl_pump(d, &fd, &a, 1);
	assert_string_equal(a, "All L2TP debugging is off\n");
	free(a);
	/* too long, NUL, nothing at all */
	memset(big, 'x', sizeof big);
	a = ctl_ask(d, path, big, sizeof big);
	assert_string_equal(a, "% Invalid input: command line too long\n");
	free(a);
	a = ctl_ask(d, path, "show\0vpdn\n", 10);
	assert_string_equal(a, "% Invalid input: NUL byte in the command\n");
	free(a);
	fd = ctl_connect(path);
	shutdown(fd, SHUT_WR);
	ctl_pump(d, &fd, &a, 1);
	assert_string_equal(a, "");
	free(a);

	/* many clients at once, one of them silent */
	int silent = ctl_connect(path);

	for (int i = 0; i < NCLIENTS; i++) {
		fds[i] = ctl_connect(path);
		assert_int_equal(send(fds[i], "show l2tp statistics\n", 21, 0), 21);
		ev_run(d->loop, EVRUN_NOWAIT);	/* accept: the listen backlog is finite */
	}
	ctl_pump(d, fds, answers, NCLIENTS);
	for (int i = 0; i < NCLIENTS; i++) {
		assert_true(strncmp(answers[i], "L2TP statistics:\n", 17) == 0);
		free(answers[i]);
	}
	close(silent);

	ctl_close(d);
	assert_null(d->ctl);
	assert_int_equal(stat(path, &st), -1);		/* removed */

	/* a stale socket (its daemon died) is replaced */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(strlen(path) < sizeof sa.sun_path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	close(fd);
	assert_int_equal(ctl_open(d, path, err, sizeof err), 0);
	ctl_close(d);
	/* something else at the path is left alone */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	assert_int_equal(ctl_open(d, path, err, sizeof err), -EEXIST);
	assert_non_null(strstr(err, "not a socket"));
	unlink(path);

	ev_loop_destroy(d->loop);
	d->loop = NULL;
	snprintf(path, sizeof path, "%s/run/l2tpd", dir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/run", dir);
	rmdir(path);
	rmdir(dir);
}

static void test_ctl_session(void **state)
{
	struct l2tpd *d = *state;
	char dir[] = "/tmp/l2tpd-ctl-XXXXXX", path[128], err[256];
	static const char lines[] = "configure terminal\nvpdn-group Z\n accept-dialin\nfrobnicate\n"
				    "  protocol l2tp\nexit\nexit\nend\nshow vpdn\n";
	static const char want[] =
		"Enter configuration commands, one per line.  End with end.\n\x1e" "bras-2(config)#\n"
		"\x1e" "bras-2(config-vpdn)#\n"
		"\x1e" "bras-2(config-vpdn-acc-in)#\n"
		"% Invalid input: unknown command 'frobnicate'\n\x1e" "bras-2(config-vpdn-acc-in)#\n"
		"\x1e" "bras-2(config-vpdn-acc-in)#\n"
		"\x1e" "bras-2(config-vpdn)#\n"
		"\x1e" "bras-2(config)#\n"
		"\x1e" "bras-2#\n";
	struct vpdn_group *g;
	char *a;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/control", dir);
	d->loop = ev_loop_new(EVFLAG_AUTO);
	assert_non_null(d->loop);
	assert_int_equal(ctl_open(d, path, err, sizeof err), 0);
	/* every line at once: answered one by one, the session closed by end
	 * (the show after it is not run: the connection is over) */
	a = ctl_ask(d, path, lines, sizeof lines - 1);
	assert_string_equal(a, want);
	free(a);
	g = config_group_find(&d->cfg, "Z");
	assert_non_null(g);
	assert_int_equal(g->dialin, VPDN_ACCEPT_DIALIN);
	assert_int_equal(g->protocol_l2tp, 1);
	/* a session whose last line has no newline: refused, nothing run */
	fd = ctl_connect(path);
	assert_int_equal(send(fd, "configure terminal\nvpdn-group Y", 31, 0), 31);
	shutdown(fd, SHUT_WR);
	ctl_pump(d, &fd, &a, 1);
	assert_non_null(strstr(a, "% Invalid input: the session ended without a newline"));
	assert_null(config_group_find(&d->cfg, "Y"));
	free(a);
	ctl_close(d);
	ev_loop_destroy(d->loop);
	d->loop = NULL;
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ctl, cli_daemon_setup, cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_ctl_session, cli_daemon_setup,
						cli_daemon_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
