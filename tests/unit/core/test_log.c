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

#include <arpa/inet.h>

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

/* log_ipv4 writes what inet_ntop writes. */
static void test_log_ipv4(void **state)
{
	static const char *const addrs[] = {
		"0.0.0.0", "255.255.255.255", "10.200.0.1", "1.22.133.9", "100.10.1.0",
		"192.168.99.254", "9.90.109.200",
	};
	char out[LOG_IPV4_LEN], want[INET_ADDRSTRLEN];
	struct in_addr a;

	(void)state;
	for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
		assert_int_equal(inet_pton(AF_INET, addrs[i], &a), 1);
		assert_non_null(inet_ntop(AF_INET, &a, want, sizeof want));
		assert_ptr_equal(log_ipv4(a.s_addr, out), out);
		assert_string_equal(out, want);
	}
}

/* The line's text after "t: info: " in b (the last line), as a string. */
static const char *last_text(const struct log_buf *b, char *out, size_t size)
{
	const char *p, *start = b->text, *end = b->text + b->len;

	assert_true(b->len > 0 && b->text[b->len - 1] == '\n');
	for (p = end - 1; p > b->text; p--)
		if (p[-1] == '\n') {
			start = p;
			break;
		}
	p = strstr(start, "t: info: ");
	assert_non_null(p);
	p += strlen("t: info: ");
	assert_true((size_t)(end - 1 - p) < size);
	memcpy(out, p, (size_t)(end - 1 - p));
	out[end - 1 - p] = '\0';
	return out;
}

/* A line reads as snprintf would write it (control characters aside),
 * whatever the conversions: those formatted by hand and the others. */
#define CHECK_FORMAT(fmt, ...) do { \
		char want_[600], got_[1100]; \
		snprintf(want_, sizeof want_, fmt, __VA_ARGS__); \
		log_msg(&lg, LOG_INFO, fmt, __VA_ARGS__); \
		assert_string_equal(last_text(&b, got_, sizeof got_), want_); \
	} while (0)

static void test_log_formats(void **state)
{
	static struct log_buf b;
	struct l2tp_log lg;
	char big[1500];

	(void)state;
	unsetenv("JOURNAL_STREAM");
	log_init(&lg, "t", 1);
	log_buffer_on(&lg, &b);
	CHECK_FORMAT("user \"%s\" local %s%s%s", "alice", "10.0.0.1", "", "x");
	CHECK_FORMAT("%u %u %u %d %d %i", 0u, 7u, 4294967295u, -1, -2147483647 - 1, 42);
	CHECK_FORMAT("magic 0x%08x/0x%08x %x %X %04X", 0u, 0xdeadbeefu, 0xabcu, 0xabcu, 0x1u);
	CHECK_FORMAT("%lu %ld %llu %lld %zu", 123456789012ul, -5l, 18446744073709551615ull,
		     -9223372036854775807ll - 1, (size_t)99);
	CHECK_FORMAT("%.*s|%.3s|%.*s|%c|%%|%05d|%03u", 4, "abcdefgh", "xyzzy", 0, "q", 'Z', -42, 7u);
	CHECK_FORMAT("%s", (const char *)NULL == NULL ? "(null)" : "");
	/* what is not formatted by hand: vsnprintf's */
	CHECK_FORMAT("%5s|%-4d|%p|%#x|%.2f|%hhu", "ab", 3, (void *)0, 255u, 1.5, 300);
	/* cut at the line's bound, like vsnprintf */
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	log_msg(&lg, LOG_INFO, "%s%u", big, 12345u);
	{
		char got[1100];

		last_text(&b, got, sizeof got);
		assert_true(strlen(got) > 900);
		assert_int_equal(strspn(got, "a"), strlen(got));
	}
	/* control bytes anywhere in a line (a peer's text), eight at a time
	 * or one: each replaced, bytes >= 0x80 (UTF-8) kept */
	for (size_t at = 0; at < 40; at++) {
		char in[64], want[64], got[1100];
		static const char bad[] = { 0x01, 0x1f, 0x7f, '\n', '\t' };

		memset(in, 'x', sizeof in);
		memcpy(in + 41, "\xc3\xa9\x80\xff\x20\x7e", 6);
		in[47] = '\0';
		in[at] = bad[at % sizeof bad];
		memcpy(want, in, sizeof in);
		want[at] = '?';
		log_msg(&lg, LOG_INFO, "%s", in);
		assert_string_equal(last_text(&b, got, sizeof got), want);
	}
	CHECK_FORMAT("%s", "no control byte: \x80\xfe\x7e~ 0123456789abcdef");
	b.len = 0;	/* nothing for stderr */
	log_close(&lg);
}

/* log_on: a priority is written up to the level; no log, nothing. */
static void test_log_on(void **state)
{
	struct l2tp_log lg;

	(void)state;
	log_init(&lg, "t", 1);
	assert_true(log_on(&lg, LOG_INFO));
	assert_true(log_on(&lg, LOG_ERR));
	assert_false(log_on(&lg, LOG_DEBUG));
	lg.level = LOG_DEBUG;
	assert_true(log_on(&lg, LOG_DEBUG));
	lg.level = LOG_NOTICE;
	assert_false(log_on(&lg, LOG_INFO));
	assert_true(log_on(&lg, LOG_NOTICE));
	assert_false(log_on(NULL, LOG_ERR));
	assert_false(log_debug_on(&lg, LOG_DBG_FSM));
	lg.debug = LOG_DBG_FSM;
	assert_true(log_debug_on(&lg, LOG_DBG_FSM));
	assert_false(log_debug_on(&lg, LOG_DBG_PACKET));
	log_close(&lg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_stderr),
		cmocka_unit_test(test_log_stamp_other_second),
		cmocka_unit_test(test_log_buffered),
		cmocka_unit_test(test_log_prefix),
		cmocka_unit_test(test_log_ipv4),
		cmocka_unit_test(test_log_on),
		cmocka_unit_test(test_log_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
