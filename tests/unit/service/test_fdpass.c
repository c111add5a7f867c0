/*
 * service/fdpass.c over a real SOCK_SEQPACKET pair: 600 descriptors cross
 * in batches of at most SCM_MAX_FD (253) and each one received is the
 * object sent (fstat: device and inode, in order); a message with more
 * than 253 is refused before the kernel sees it; a batch missing, out of
 * order or a stranger's is refused and leaves nothing open.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* pipe2 */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "service/fdpass.h"

#define N_FDS	600

static void pair(int sv[2])
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
}

/* Open descriptors now (to find leaks). */
static int count_open(void)
{
	int n = 0;

	for (int fd = 0; fd < 4096; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

/* N_FDS distinct objects: the two ends of N_FDS / 2 pipes. */
static void open_many(int *fds)
{
	struct rlimit rl;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur < 2 * N_FDS + 64) {
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	}
	for (int i = 0; i < N_FDS; i += 2)
		assert_int_equal(pipe2(fds + i, O_CLOEXEC), 0);
}

/* 600 descriptors cross; a child sends them so the batches really wait
 * for the reader (the socket's buffer holds few). */
static void test_many(void **state)
{
	int sv[2], fds[N_FDS], *got = NULL;
	size_t n = 0;
	pid_t pid;
	int status, before;

	(void)state;
	before = count_open();
	open_many(fds);
	pair(sv);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(sv[0]);
		_exit(svc_fdpass_send_list(sv[1], fds, N_FDS) == 0 ? 0 : 1);
	}
	close(sv[1]);
	assert_int_equal(svc_fdpass_recv_list(sv[0], &got, &n, 5000), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(n, N_FDS);
	for (size_t i = 0; i < n; i++) {
		struct stat a, b;

		assert_int_equal(fstat(fds[i], &a), 0);
		assert_int_equal(fstat(got[i], &b), 0);
		assert_int_equal(a.st_dev, b.st_dev);
		assert_int_equal(a.st_ino, b.st_ino);
		/* the ends of one pipe share an inode: read end, write end */
		assert_int_equal(fcntl(got[i], F_GETFL) & O_ACCMODE, i % 2 ? O_WRONLY : O_RDONLY);
		assert_true(fcntl(got[i], F_GETFD) & FD_CLOEXEC);
		if (i % 2 == 0 && i > 0) {
			struct stat prev;

			assert_int_equal(fstat(got[i - 2], &prev), 0);
			assert_true(prev.st_ino != b.st_ino);
		}
	}
	/* a pipe written through a received end reads at the sent one */
	assert_int_equal(write(got[1], "x", 1), 1);
	{
		char c = 0;

		assert_int_equal(read(fds[0], &c, 1), 1);
		assert_int_equal(c, 'x');
	}
	for (size_t i = 0; i < n; i++) {
		close(got[i]);
		close(fds[i]);
	}
	free(got);
	close(sv[0]);
	assert_int_equal(count_open(), before);
}

/* An empty list is one batch saying so. */
static void test_empty(void **state)
{
	int sv[2], *got = NULL;
	size_t n = 99;

	(void)state;
	pair(sv);
	assert_int_equal(svc_fdpass_send_list(sv[1], NULL, 0), 0);
	assert_int_equal(svc_fdpass_recv_list(sv[0], &got, &n, 1000), 0);
	assert_int_equal(n, 0);
	free(got);
	close(sv[0]);
	close(sv[1]);
}

/* More than SCM_MAX_FD in one message: refused here (the kernel would
 * say EINVAL too). */
static void test_too_many(void **state)
{
	int sv[2], fds[SVC_FDPASS_BATCH + 1];

	(void)state;
	pair(sv);
	for (int i = 0; i < SVC_FDPASS_BATCH + 1; i++)
		fds[i] = sv[0];
	assert_int_equal(svc_fdpass_send(sv[1], "x", 1, fds, SVC_FDPASS_BATCH + 1), -EINVAL);
	close(sv[0]);
	close(sv[1]);
}

/* A hand-made batch: magic, first, count, total. */
static void send_batch(int sock, uint32_t first, uint32_t count, uint32_t total, int fd)
{
	uint32_t b[4] = { 0x46445042u, first, count, total };
	int fds[SVC_FDPASS_BATCH];

	for (uint32_t i = 0; i < count; i++)
		fds[i] = fd;
	assert_int_equal(svc_fdpass_send(sock, b, sizeof(b), fds, count), 0);
}

/* A batch skipped (the second of three missing), or a count that is not
 * what came, or the other end gone half-way: refused, nothing left open. */
static void test_bad_batches(void **state)
{
	int sv[2], *got = NULL, before, nul;
	size_t n = 0;

	(void)state;
	before = count_open();
	nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(nul >= 0);
	pair(sv);
	send_batch(sv[1], 0, 253, 600, nul);
	send_batch(sv[1], 506, 94, 600, nul);		/* 253..505 skipped */
	assert_int_equal(svc_fdpass_recv_list(sv[0], &got, &n, 1000), -EPROTO);
	close(sv[0]);
	close(sv[1]);
	assert_int_equal(count_open(), before + 1);

	pair(sv);
	{
		uint32_t b[4] = { 0x46445042u, 0, 3, 3 };	/* says 3, carries 1 */

		assert_int_equal(svc_fdpass_send(sv[1], b, sizeof(b), &nul, 1), 0);
	}
	assert_int_equal(svc_fdpass_recv_list(sv[0], &got, &n, 1000), -EPROTO);
	assert_int_equal(svc_fdpass_send(sv[1], "not a batch", 11, NULL, 0), 0);
	assert_int_equal(svc_fdpass_recv_list(sv[0], &got, &n, 1000), -EPROTO);
	send_batch(sv[1], 0, 253, 300, nul);
	close(sv[1]);
	assert_int_equal(svc_fdpass_recv_list(sv[0], &got, &n, 1000), -EPIPE);
	close(sv[0]);
	close(nul);
	assert_int_equal(count_open(), before);
}

/* Nothing sent: the wait ends. */
static void test_timeout(void **state)
{
	int sv[2], *got = NULL;
	size_t n = 0;

	(void)state;
	pair(sv);
	assert_int_equal(svc_fdpass_recv_list(sv[0], &got, &n, 50), -ETIMEDOUT);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_bad_batches),
		cmocka_unit_test(test_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
