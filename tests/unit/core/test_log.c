/*
 * Logging to stderr (core/log.c): one line per event with its timestamp,
 * the timestamp text kept for its second (and only for it); with a
 * buffer, lines wait for log_flush, but urgent ones and a full buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"

/* What two lines logged to stderr read, captured through a pipe. */
static void capture(struct l2tp_log *lg, char *out, size_t size)
{
	int p[2], saved;
	ssize_t n;

	assert_int_equal(pipe(p), 0);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(p[1], STDERR_FILENO) >= 0);
	log_msg(lg, LOG_INFO, "first %d", 1);
	log_msg(lg, LOG_DEBUG, "not printed at level info");
	log_msg(lg, LOG_WARNING, "second\tline");
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	close(p[1]);
	n = read(p[0], out, size - 1);
	close(p[0]);
	assert_true(n > 0);
	out[n] = '\0';
}

/* "YYYY-mm-dd HH:MM:SS.mmm t: LEVEL: MSG" */
static void check_line(const char *line, const char *level, const char *msg)
{
	int y, mo, d, h, mi, s, ms, used = 0;
	char want[96];

	assert_int_equal(sscanf(line, "%4d-%2d-%2d %2d:%2d:%2d.%3d %n", &y, &mo, &d, &h, &mi, &s,
				&ms, &used), 7);
	assert_true(y >= 2000 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31);
	assert_int_equal(used, 24);
	snprintf(want, sizeof want, "t: %s: %s\n", level, msg);
	assert_memory_equal(line + used, want, strlen(want));
}

static void test_log_stderr(void **state)
{
	struct l2tp_log lg;
	char buf[512], *second;

	(void)state;
	unsetenv("JOURNAL_STREAM");
	log_init(&lg, "t", 1);
	capture(&lg, buf, sizeof buf);
	check_line(buf, "info", "first 1");
	second = strchr(buf, '\n');
	assert_non_null(second);
	check_line(second + 1, "warning", "second?line");	/* the tab replaced */
	assert_null(strstr(buf, "not printed"));
	/* the same second: the same text, kept */
	assert_int_equal(lg.stamp->len, 19);
	assert_memory_equal(buf, second + 1, 19);
	log_close(&lg);
}

/* A kept text of another second is not used. */
static void test_log_stamp_other_second(void **state)
{
	struct l2tp_log lg;
	char buf[512];

	(void)state;
	unsetenv("JOURNAL_STREAM");
	log_init(&lg, "t", 1);
	lg.stamp->sec = 1;
	lg.stamp->len = 19;
	memcpy(lg.stamp->text, "1999-01-01 00:00:00", 20);
	capture(&lg, buf, sizeof buf);
	check_line(buf, "info", "first 1");
	assert_memory_not_equal(buf, "1999-01-01 00:00:00", 19);
	assert_int_not_equal(lg.stamp->sec, 1);
	/* without a cache (a log not set up by log_init): the same lines */
	lg.stamp = NULL;
	capture(&lg, buf, sizeof buf);
	check_line(buf, "info", "first 1");
	log_close(&lg);
}

/* What stderr has received so far, through the pipe p (non-blocking read). */
static size_t drain(int fd, char *out, size_t size)
{
	ssize_t n = read(fd, out, size - 1);

	if (n < 0)
		n = 0;
	out[n] = '\0';
	return (size_t)n;
}

static void test_log_buffered(void **state)
{
	static struct log_buf b;
	struct l2tp_log lg;
	char buf[LOG_BUF_SIZE * 2];
	int p[2], saved;
	size_t n;

	(void)state;
	unsetenv("JOURNAL_STREAM");
	log_init(&lg, "t", 1);
	assert_null(lg.buf);
	assert_int_equal(pipe(p), 0);
	/* a pipe holds 64 KiB, more than the buffer twice: no write blocks */
	assert_int_equal(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(p[1], STDERR_FILENO) >= 0);

	log_buffer_on(&lg, &b);
	log_msg(&lg, LOG_INFO, "waits %d", 1);
	log_msg(&lg, LOG_INFO, "waits %d", 2);
	assert_int_equal(drain(p[0], buf, sizeof buf), 0);	/* nothing written yet */
	log_flush(&lg);
	n = drain(p[0], buf, sizeof buf);
	assert_true(n > 0);
	check_line(buf, "info", "waits 1");
	check_line(strchr(buf, '\n') + 1, "info", "waits 2");
	assert_int_equal(b.len, 0);
	log_flush(&lg);		/* empty: nothing */
	assert_int_equal(drain(p[0], buf, sizeof buf), 0);

	/* An urgent line goes at once, after what waited before it. */
	log_msg(&lg, LOG_INFO, "before");
	log_msg(&lg, LOG_NOTICE, "at once");
	n = drain(p[0], buf, sizeof buf);
	check_line(buf, "info", "before");
	check_line(strchr(buf, '\n') + 1, "notice", "at once");
	assert_int_equal(b.len, 0);

	/* A full buffer is written before the line that would not fit. */
	n = 0;
	while (b.len + 100 < sizeof(b.text))
		log_msg(&lg, LOG_INFO, "%060d", (int)n++);
	assert_int_equal(drain(p[0], buf, sizeof buf), 0);
	log_msg(&lg, LOG_INFO, "%060d", 0);
	assert_true(drain(p[0], buf, sizeof buf) > LOG_BUF_SIZE - 200);
	check_line(buf, "info", "000000000000000000000000000000000000000000000000000000000000");
	assert_true(b.len > 0 && b.len < 200);	/* the last line waits */

	/* log_close writes what waits, and the log writes at once again */
	log_close(&lg);
	assert_true(drain(p[0], buf, sizeof buf) > 0);
	assert_null(lg.buf);

	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	close(p[0]);
	close(p[1]);
}

static void log_pre(struct l2tp_log *lg, int prio, const char *pre, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void log_pre(struct l2tp_log *lg, int prio, const char *pre, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg_pre(lg, prio, pre, fmt, ap);
	va_end(ap);
}

/* A prefix is text, not a format; the line is cut, never left without
 * its newline; below the level nothing is written. */
static void test_log_prefix(void **state)
{
	static struct log_buf b;
	static char big[3000];
	struct l2tp_log lg;
	char *nl;

	(void)state;
	unsetenv("JOURNAL_STREAM");
	log_init(&lg, "t", 1);
	log_buffer_on(&lg, &b);
	log_pre(&lg, LOG_INFO, "session 1/2 %s\t: ", "up %d", 7);
	b.text[b.len] = '\0';
	check_line(b.text, "info", "session 1/2 %s?: up 7");
	b.len = 0;
	log_pre(&lg, LOG_DEBUG, "x: ", "hidden");
	assert_int_equal(b.len, 0);
	memset(big, 'a', sizeof big - 1);
	log_pre(&lg, LOG_INFO, "p: ", "%s", big);
	assert_true(b.len > 1000 && b.len < 1200);
	nl = memchr(b.text, '\n', b.len);
	assert_ptr_equal(nl, b.text + b.len - 1);	/* one line, whole */
	assert_memory_equal(b.text + 24, "t: info: p: aaaa", 16);
	b.len = 0;
	log_buffer_on(&lg, NULL);
	log_close(&lg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_stderr),
		cmocka_unit_test(test_log_stamp_other_second),
		cmocka_unit_test(test_log_buffered),
		cmocka_unit_test(test_log_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
