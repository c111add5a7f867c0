/*
 * Logging (see log.h): one line per event, to syslog or, in the
 * foreground, to stderr with a timestamp.  A line is formatted once into a
 * bounded buffer, control characters (which a peer can put in a host name
 * or a Result Code message) are replaced, and it is written in one call so
 * lines from one process never interleave.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"
#include "core/log.h"

#define LOG_LINE_MAX	1024

static const struct {
	unsigned cat;
	const char *name;
} log_debug_names[] = {
	{ LOG_DBG_EVENT, "event" },
	{ LOG_DBG_ERROR, "error" },
	{ LOG_DBG_FSM, "fsm" },
	{ LOG_DBG_PACKET, "packet" },
	{ LOG_DBG_SEQ, "sequence" },
	{ LOG_DBG_RADIUS, "radius" },	/* `debug radius` */
	/* `debug l2tp|vpdn redundancy <category>` */
	{ LOG_DBG_HA_CF, "redundancy cf" },
	{ LOG_DBG_HA_DETAIL, "redundancy detail" },
	{ LOG_DBG_HA_ERROR, "redundancy error" },
	{ LOG_DBG_HA_EVENT, "redundancy event" },
	{ LOG_DBG_HA_FSM, "redundancy fsm" },
	{ LOG_DBG_HA_RESYNC, "redundancy resync" },
	{ LOG_DBG_HA_RF, "redundancy rf" },
	/* `debug pppoe <category>` */
	{ LOG_DBG_PPPOE_PACKET, "pppoe packet" },
	{ LOG_DBG_PPPOE_EVENT, "pppoe event" },
	{ LOG_DBG_PPPOE_ERROR, "pppoe error" },
};

static const char *const log_level_names[] = {
	"emerg", "alert", "crit", "error", "warning", "notice", "info", "debug",
};

/*
 * Is stderr the journal?  systemd sets $JOURNAL_STREAM to "DEV:INODE" of
 * the stream it connected (systemd.exec(5)); only when stderr is that very
 * stream do lines go out as "<prio>message", which journald turns into
 * the entry's priority.
 */
static int log_stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2)
		return 0;
	if (fstat(STDERR_FILENO, &st) < 0)
		return 0;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_init(struct l2tp_log *lg, const char *ident, int to_stderr)
{
	lg->level = LOG_INFO;
	lg->to_stderr = to_stderr;
	lg->journal = to_stderr && log_stderr_is_journal();
	lg->debug = 0;
	lg->ident = ident ? ident : "l2tpd";
	lg->stamp_store.len = 0;
	lg->stamp = &lg->stamp_store;
	lg->buf = NULL;
	if (!to_stderr)
		openlog(lg->ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_close(struct l2tp_log *lg)
{
	log_flush(lg);
	lg->buf = NULL;
	if (!lg->to_stderr)
		closelog();
}

void log_buffer_on(struct l2tp_log *lg, struct log_buf *b)
{
	log_flush(lg);
	if (b != NULL)
		b->len = 0;
	lg->buf = b;
}

static void log_write(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDERR_FILENO, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;	/* a failing stderr is not worth dying for */
		p += w;
		n -= (size_t)w;
	}
}

void log_flush(const struct l2tp_log *lg)
{
	struct log_buf *b = lg->buf;

	if (b == NULL || b->len == 0)
		return;
	log_write(b->text, b->len);
	b->len = 0;
}

/* One whole line (ending in a newline) to stderr: into the buffer when
 * there is one, which is written first when the line does not fit or
 * when the line is urgent. */
static void log_put(const struct l2tp_log *lg, int prio, const char *line, size_t n)
{
	struct log_buf *b = lg->buf;

	if (b == NULL) {
		log_write(line, n);
		return;
	}
	if (b->len + n > sizeof(b->text))
		log_flush(lg);
	if (n > sizeof(b->text) || prio <= LOG_BUF_URGENT) {
		log_flush(lg);
		log_write(line, n);
		return;
	}
	memcpy(b->text + b->len, line, n);
	b->len += n;
}

/* Replace bytes that would break the one-line format or a terminal in the
 * n bytes at s.  Eight bytes at a time while none is one of them: a line
 * is a hundred bytes, and a byte at a time cost more than formatting it. */
static void log_sanitize_n(char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w, low, del;

		memcpy(&w, s + i, 8);
		/* a byte < 0x20 (no byte is >= 0x80 in these terms: ~w masks
		 * them out), or a byte 0x7f */
		low = (w - 0x20 * ones) & ~w & highs;
		del = ((w ^ 0x7f * ones) - ones) & ~(w ^ 0x7f * ones) & highs;
		if ((low | del) != 0)
			break;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			s[i] = '?';
	}
}

/* "YYYY-mm-dd HH:MM:SS" of sec into out (size > 20), its length (0: none).
 * localtime_r and strftime cost more than the rest of a line: a busy LNS
 * logs thousands of lines a second, so the text is kept for its second. */
static size_t log_stamp(const struct l2tp_log *lg, time_t sec, char *out, size_t size)
{
	struct log_stamp *c = lg->stamp;
	struct tm tm;
	size_t n;

	if (c != NULL && c->len > 0 && c->sec == (long long)sec && c->len < size) {
		memcpy(out, c->text, c->len + 1);
		return c->len;
	}
	if (!localtime_r(&sec, &tm))
		return 0;
	n = strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm);
	if (c != NULL && n > 0 && n < sizeof(c->text)) {
		memcpy(c->text, out, n + 1);
		c->len = n;
		c->sec = (long long)sec;
	}
	return n;
}

/* src's bytes (at most room) at out: how many. */
static size_t log_cat(char *out, size_t room, const char *src)
{
	size_t n = strlen(src);

	if (n > room)
		n = room;
	memcpy(out, src, n);
	return n;
}

/* ".mmm IDENT: LEVEL: " at out (at most room bytes, no terminator): its
 * length.  By hand: snprintf cost more than the rest of a log line. */
static size_t log_head(char *out, size_t room, unsigned ms, const char *ident,
		       const char *level)
{
	char ms_text[5] = { '.', (char)('0' + ms / 100 % 10), (char)('0' + ms / 10 % 10),
			    (char)('0' + ms % 10), ' ' };
	size_t n = 0;

	if (room - n >= sizeof ms_text) {
		memcpy(out + n, ms_text, sizeof ms_text);
		n += sizeof ms_text;
	}
	n += log_cat(out + n, room - n, ident);
	n += log_cat(out + n, room - n, ": ");
	n += log_cat(out + n, room - n, level);
	n += log_cat(out + n, room - n, ": ");
	return n;
}

/* v in base (10 or 16, upper: A-F) at least width digits ('0'-padded) at
 * *o, not past end. */
static char *log_num(char *o, const char *end, unsigned long long v, unsigned base, int upper,
		     unsigned width)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char t[24];
	unsigned k = 0;

	if (base == 10) {
		do {
			t[k++] = (char)('0' + v % 10);	/* a constant divisor: no division */
			v /= 10;
		} while (v != 0 && k < sizeof t);
	} else {
		do {
			t[k++] = digits[v & 0xf];
			v >>= 4;
		} while (v != 0 && k < sizeof t);
	}
	while (k < width && k < sizeof t)
		t[k++] = '0';
	while (k > 0 && o < end)
		*o++ = t[--k];
	return o;
}

/*
 * fmt's text into out (size > 0, terminated), by hand for the conversions
 * log lines use (%s %.*s %.Ns %c %d %i %u %x %X, the lengths l ll z, a
 * '0'-padded width on integers, %%): its length, or -1 for anything else
 * (the caller then asks vsnprintf, with its own copy of ap).  glibc's
 * vsnprintf costs about a thousand instructions a line before any output.
 */
static int log_fast_format(char *out, size_t size, const char *fmt, va_list ap)
{
	char *o = out;
	const char *end = out + size - 1;
	const char *f;

	for (f = fmt; *f != '\0'; f++) {
		unsigned width = 0, lng = 0;
		int prec = -1, zero = 0;

		if (*f != '%') {
			/* the run of text up to the next conversion, at once */
			const char *pc = strchr(f, '%');
			size_t k;

			if (pc == NULL)
				pc = f + strlen(f);
			k = (size_t)(pc - f);
			if (k > (size_t)(end - o))
				k = (size_t)(end - o);
			memcpy(o, f, k);
			o += k;
			f = pc - 1;
			continue;
		}
		f++;
		if (*f == '%') {
			if (o < end)
				*o++ = '%';
			continue;
		}
		if (*f == '0') {
			zero = 1;
			f++;
		}
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (unsigned)(*f++ - '0');
		if (width > 20 || (width > 0 && !zero))
			return -1;	/* space padding: vsnprintf's */
		if (*f == '.') {
			f++;
			if (*f == '*') {
				prec = va_arg(ap, int);
				f++;
			} else {
				prec = 0;
				while (*f >= '0' && *f <= '9')
					prec = prec * 10 + (*f++ - '0');
			}
		}
		if (*f == 'z') {
			lng = 3;
			f++;
		} else {
			while (*f == 'l' && lng < 2) {
				lng++;
				f++;
			}
		}
		switch (*f) {
		case 's': {
			const char *str = va_arg(ap, const char *);

			if (width || lng)
				return -1;
			size_t k;

			if (str == NULL)
				str = "(null)";
			k = prec < 0 ? strlen(str) : strnlen(str, (size_t)prec);
			if (k > (size_t)(end - o))
				k = (size_t)(end - o);
			memcpy(o, str, k);
			o += k;
			break;
		}
		case 'c':
			if (width || lng || prec >= 0)
				return -1;
			if (o < end)
				*o++ = (char)va_arg(ap, int);
			break;
		case 'd':
		case 'i': {
			long long v;

			if (prec >= 0)
				return -1;
			v = lng == 0 ? va_arg(ap, int) : lng == 1 ? va_arg(ap, long) :
			    lng == 2 ? va_arg(ap, long long) : (long long)va_arg(ap, ssize_t);
			if (v < 0) {
				if (o < end)
					*o++ = '-';
				o = log_num(o, end, 0ULL - (unsigned long long)v, 10, 0,
					    width > 0 ? width - 1 : 0);
			} else {
				o = log_num(o, end, (unsigned long long)v, 10, 0, width);
			}
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			unsigned long long v;

			if (prec >= 0)
				return -1;
			v = lng == 0 ? va_arg(ap, unsigned) : lng == 1 ? va_arg(ap, unsigned long) :
			    lng == 2 ? va_arg(ap, unsigned long long) : va_arg(ap, size_t);
			o = log_num(o, end, v, *f == 'u' ? 10 : 16, *f == 'X', width);
			break;
		}
		default:
			return -1;
		}
	}
	*o = '\0';
	return (int)(o - out);
}

/*
 * pre (NULL: none), then fmt's text, into out (size > 1), sanitized: its
 * length.  Written in place, once: a busy LNS logs several lines a
 * session, and formatting a line twice cost more than its packets.
 */
static size_t log_format(char *out, size_t size, const char *pre, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static size_t log_format(char *out, size_t size, const char *pre, const char *fmt, va_list ap)
{
	size_t n = 0;
	va_list fast;
	int r;

	if (pre != NULL) {
		n = strlen(pre);
		if (n > size - 1)
			n = size - 1;
		memcpy(out, pre, n);
	}
	out[n] = '\0';
	va_copy(fast, ap);
	r = log_fast_format(out + n, size - n, fmt, fast);
	va_end(fast);
	if (r >= 0) {
		n += (size_t)r;
	} else {
		r = vsnprintf(out + n, size - n, fmt, ap);
		if (r > 0)
			n += (size_t)r < size - n ? (size_t)r : size - n - 1;
	}
	log_sanitize_n(out, n);
	return n;
}

static void log_emit(const struct l2tp_log *lg, int prio, const char *pre, const char *fmt,
		     va_list ap) __attribute__((format(printf, 4, 0)));

static void log_emit(const struct l2tp_log *lg, int prio, const char *pre, const char *fmt,
		     va_list ap)
{
	int saved = errno;	/* callers may log before looking at errno again */

	if (lg->journal) {
		char line[LOG_LINE_MAX + 8];
		size_t n = (size_t)snprintf(line, sizeof line, "<%d>", prio & 7);

		n += log_format(line + n, LOG_LINE_MAX, pre, fmt, ap);
		line[n++] = '\n';
		/* journald takes each line of the stream as one entry. */
		log_put(lg, prio, line, n);
	} else if (lg->to_stderr) {
		char line[LOG_LINE_MAX + 96];
		struct timeval tv;
		size_t n, room;

		gettimeofday(&tv, NULL);
		n = log_stamp(lg, tv.tv_sec, line, sizeof line);
		n += log_head(line + n, sizeof line - n - 1, (unsigned)(tv.tv_usec / 1000),
			      lg->ident ? lg->ident : "l2tpd", log_level_names[prio & 7]);
		room = sizeof line - n - 1;	/* the newline's byte kept */
		n += log_format(line + n, room < LOG_LINE_MAX ? room : LOG_LINE_MAX, pre, fmt, ap);
		line[n++] = '\n';
		log_put(lg, prio, line, n);
	} else {
		char msg[LOG_LINE_MAX];

		log_format(msg, sizeof msg, pre, fmt, ap);
		syslog(prio, "%s", msg);
	}
	errno = saved;
}

void log_vmsg(const struct l2tp_log *lg, int prio, const char *fmt, va_list ap)
{
	if ((prio & 7) > lg->level)
		return;
	log_emit(lg, prio & 7, NULL, fmt, ap);
}

void log_vmsg_pre(const struct l2tp_log *lg, int prio, const char *pre, const char *fmt,
		  va_list ap)
{
	if ((prio & 7) > lg->level)
		return;
	log_emit(lg, prio & 7, pre, fmt, ap);
}

void log_vdebug_pre(const struct l2tp_log *lg, unsigned cat, const char *pre, const char *fmt,
		    va_list ap)
{
	if (lg->debug & cat)
		log_emit(lg, LOG_DEBUG, pre, fmt, ap);
}

void log_msg(const struct l2tp_log *lg, int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lg, prio, fmt, ap);
	va_end(ap);
}

/* A debug line is printed when its category is on, whatever the level:
 * `debug l2tp ...` is how an operator asks for it. */
void log_debug(const struct l2tp_log *lg, unsigned cat, const char *fmt, ...)
{
	va_list ap;

	if (!(lg->debug & cat))
		return;
	va_start(ap, fmt);
	log_emit(lg, LOG_DEBUG, NULL, fmt, ap);
	va_end(ap);
}

const char *log_ipv4(uint32_t be, char out[LOG_IPV4_LEN])
{
	const uint8_t *b = (const uint8_t *)&be;
	char *o = out;

	for (int i = 0; i < 4; i++) {
		unsigned v = b[i];

		if (v >= 100)
			*o++ = (char)('0' + v / 100);
		if (v >= 10)
			*o++ = (char)('0' + v / 10 % 10);
		*o++ = (char)('0' + v % 10);
		*o++ = i < 3 ? '.' : '\0';
	}
	return out;
}

const char *log_debug_name(unsigned cat)
{
	for (size_t i = 0; i < ARRAY_SIZE(log_debug_names); i++)
		if (log_debug_names[i].cat == cat)
			return log_debug_names[i].name;
	return NULL;
}

int log_debug_parse(const char *name, unsigned *cat)
{
	for (size_t i = 0; i < ARRAY_SIZE(log_debug_names); i++) {
		if (strcmp(log_debug_names[i].name, name) == 0) {
			*cat = log_debug_names[i].cat;
			return 0;
		}
	}
	return -EINVAL;
}
