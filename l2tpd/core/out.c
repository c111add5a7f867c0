/*
 * One print path for text and JSON (see out.h), the iproute2 idiom:
 *
 *	out_uint(o, "local_tunnel_id", "%-10u ", t->tid);
 *
 * prints "28407      " in text and "local_tunnel_id":28407 in JSON.
 *
 * The text format holds one conversion.  It is interpreted here rather
 * than handed to printf, so a caller can write "%5u" for a 64-bit value
 * without a length modifier going wrong: flags (- 0 + space), width and
 * precision are honoured, length modifiers are ignored, and the value is
 * rendered as its field type says.  JSON strings are escaped per RFC 8259
 * §7; bytes that are not valid UTF-8 become U+FFFD so that a peer's host
 * name cannot make the document invalid.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/out.h"

#define OUT_INIT_CAP	1024
#define OUT_MAX_DEPTH	((int)sizeof(((struct out *)0)->first) - 1)

void out_init(struct out *o, int json)
{
	memset(o, 0, sizeof *o);
	o->json = json;
	o->buf = malloc(OUT_INIT_CAP);
	if (!o->buf) {
		o->err = -ENOMEM;
		return;
	}
	o->cap = OUT_INIT_CAP;
	o->buf[0] = '\0';
}

void out_free(struct out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

static int out_reserve(struct out *o, size_t n)
{
	size_t cap;
	char *nb;

	if (o->err)
		return o->err;
	if (o->len + n + 1 <= o->cap)
		return 0;
	cap = o->cap ? o->cap : OUT_INIT_CAP;
	while (cap < o->len + n + 1) {
		if (cap > SIZE_MAX / 2) {
			o->err = -ENOMEM;
			return o->err;
		}
		cap *= 2;
	}
	nb = realloc(o->buf, cap);
	if (!nb) {
		o->err = -ENOMEM;
		return o->err;
	}
	o->buf = nb;
	o->cap = cap;
	return 0;
}

static void out_put(struct out *o, const char *s, size_t n)
{
	if (n == 0 || out_reserve(o, n))
		return;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void out_puts(struct out *o, const char *s)
{
	out_put(o, s, strlen(s));
}

static void out_putc(struct out *o, char c)
{
	out_put(o, &c, 1);
}

static void out_pad(struct out *o, char c, size_t n)
{
	while (n--)
		out_putc(o, c);
}

static void out_vprintf(struct out *o, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void out_vprintf(struct out *o, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0 || out_reserve(o, (size_t)n))
		return;
	vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
	o->len += (size_t)n;
}

void out_text(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json || o->failed)
		return;
	va_start(ap, fmt);
	out_vprintf(o, fmt, ap);
	va_end(ap);
}

/* ---- the text side: one conversion, interpreted here ---- */

struct out_conv {
	int left, zero, plus, space;
	size_t width;
	long prec;		/* -1: none */
	char conv;		/* u d i x X o s c */
};

/*
 * Split fmt at its conversion: text before (with %% unescaped) goes out
 * now, *rest points after the conversion.  Returns 0 when there is none.
 */
static int out_fmt_begin(struct out *o, const char *fmt, struct out_conv *c, const char **rest)
{
	const char *p = fmt;

	memset(c, 0, sizeof *c);
	c->prec = -1;
	while (*p) {
		if (*p != '%') {
			out_putc(o, *p++);
			continue;
		}
		if (p[1] == '%') {
			out_putc(o, '%');
			p += 2;
			continue;
		}
		p++;
		for (;; p++) {
			if (*p == '-')
				c->left = 1;
			else if (*p == '0')
				c->zero = 1;
			else if (*p == '+')
				c->plus = 1;
			else if (*p == ' ')
				c->space = 1;
			else if (*p != '#')
				break;
		}
		while (*p >= '0' && *p <= '9' && c->width < 1000)
			c->width = c->width * 10 + (size_t)(*p++ - '0');
		if (*p == '.') {
			p++;
			c->prec = 0;
			while (*p >= '0' && *p <= '9' && c->prec < 1000)
				c->prec = c->prec * 10 + (*p++ - '0');
		}
		while (*p && strchr("hlLqjzt", *p))
			p++;
		c->conv = *p ? *p++ : 's';
		*rest = p;
		return 1;
	}
	*rest = p;
	return 0;
}

/* The conversion character of fmt, '\0' when there is none. */
static char out_fmt_conv(const char *fmt)
{
	for (const char *p = fmt; (p = strchr(p, '%')); ) {
		if (p[1] == '%') {
			p += 2;
			continue;
		}
		p += 1 + strspn(p + 1, "-0+ #0123456789.hlLqjzt");
		return *p;
	}
	return '\0';
}

/* The rest of the format after the conversion: plain text, %% unescaped. */
static void out_fmt_end(struct out *o, const char *rest)
{
	while (*rest) {
		if (rest[0] == '%' && rest[1] == '%')
			rest++;
		out_putc(o, *rest++);
	}
}

/* Emit s (n bytes) padded to the conversion's width. */
static void out_fmt_field(struct out *o, const struct out_conv *c, const char *s, size_t n,
			  int numeric)
{
	size_t pad = c->width > n ? c->width - n : 0;

	if (c->left) {
		out_put(o, s, n);
		out_pad(o, ' ', pad);
	} else if (c->zero && numeric) {
		/* a sign stays in front of the zeros */
		if (n && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) {
			out_putc(o, s[0]);
			s++;
			n--;
		}
		out_pad(o, '0', pad);
		out_put(o, s, n);
	} else {
		out_pad(o, ' ', pad);
		out_put(o, s, n);
	}
}

static void out_text_num(struct out *o, const char *fmt, int is_signed, uint64_t u, int64_t i)
{
	struct out_conv c;
	const char *rest;
	char num[48];
	int n;

	if (!out_fmt_begin(o, fmt, &c, &rest))
		return;
	switch (c.conv) {
	case 'x':
		n = snprintf(num, sizeof num, "%" PRIx64, is_signed ? (uint64_t)i : u);
		break;
	case 'X':
		n = snprintf(num, sizeof num, "%" PRIX64, is_signed ? (uint64_t)i : u);
		break;
	case 'o':
		n = snprintf(num, sizeof num, "%" PRIo64, is_signed ? (uint64_t)i : u);
		break;
	default:
		if (is_signed)
			n = snprintf(num, sizeof num, c.plus ? "%+" PRId64 : c.space ? "% " PRId64
				     : "%" PRId64, i);
		else
			n = snprintf(num, sizeof num, "%" PRIu64, u);
		break;
	}
	if (n < 0)
		n = 0;
	out_fmt_field(o, &c, num, (size_t)n, 1);
	out_fmt_end(o, rest);
}

/* Text output of a string: bytes that would upset a terminal become '?'. */
static void out_text_str(struct out *o, const char *fmt, const char *s)
{
	struct out_conv c;
	const char *rest;
	char stack[256], *tmp = stack;
	size_t n;

	if (!out_fmt_begin(o, fmt, &c, &rest))
		return;
	n = strlen(s);
	if (c.prec >= 0 && (size_t)c.prec < n)
		n = (size_t)c.prec;
	if (n >= sizeof stack) {
		tmp = malloc(n + 1);
		if (!tmp) {
			o->err = -ENOMEM;
			return;
		}
	}
	for (size_t k = 0; k < n; k++) {
		unsigned char b = (unsigned char)s[k];

		tmp[k] = (b < 0x20 || b == 0x7f) ? '?' : (char)b;
	}
	out_fmt_field(o, &c, tmp, n, 0);
	if (tmp != stack)
		free(tmp);
	out_fmt_end(o, rest);
}

/* ---- the JSON side ---- */

static void out_json_str(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	out_putc(o, '"');
	while (*p) {
		unsigned char b = *p;
		size_t need = 0;

		if (b < 0x80) {
			switch (b) {
			case '"': out_puts(o, "\\\""); break;
			case '\\': out_puts(o, "\\\\"); break;
			case '\b': out_puts(o, "\\b"); break;
			case '\f': out_puts(o, "\\f"); break;
			case '\n': out_puts(o, "\\n"); break;
			case '\r': out_puts(o, "\\r"); break;
			case '\t': out_puts(o, "\\t"); break;
			default:
				if (b < 0x20 || b == 0x7f) {
					char e[7] = { '\\', 'u', '0', '0', hex[b >> 4], hex[b & 15], 0 };

					out_puts(o, e);
				} else {
					out_putc(o, (char)b);
				}
			}
			p++;
			continue;
		}
		/* UTF-8 (RFC 3629 §4): reject overlongs, surrogates, > U+10FFFF */
		if (b >= 0xc2 && b <= 0xdf)
			need = 1;
		else if (b >= 0xe0 && b <= 0xef)
			need = 2;
		else if (b >= 0xf0 && b <= 0xf4)
			need = 3;
		if (need) {
			unsigned char lo = 0x80, hi = 0xbf;
			size_t k;

			if (b == 0xe0)
				lo = 0xa0;
			else if (b == 0xed)
				hi = 0x9f;
			else if (b == 0xf0)
				lo = 0x90;
			else if (b == 0xf4)
				hi = 0x8f;
			for (k = 1; k <= need; k++) {
				unsigned char cb = p[k];

				if (k == 1 ? (cb < lo || cb > hi) : (cb < 0x80 || cb > 0xbf))
					break;
			}
			if (k > need) {
				out_put(o, (const char *)p, need + 1);
				p += need + 1;
				continue;
			}
		}
		out_puts(o, "\\ufffd");
		p++;
	}
	out_putc(o, '"');
}

/* Comma and key before a JSON value. */
static void out_json_key(struct out *o, const char *key)
{
	int d = o->depth;

	if (d > 0) {
		if (!o->first[d])
			out_putc(o, ',');
		o->first[d] = 0;
	}
	if (key && d > 0 && !o->in_array[d]) {
		out_json_str(o, key);
		out_putc(o, ':');
	}
}

void out_uint(struct out *o, const char *key, const char *fmt, uint64_t v)
{
	if (o->failed)
		return;
	if (o->json) {
		char num[24];

		out_json_key(o, key);
		snprintf(num, sizeof num, "%" PRIu64, v);
		out_puts(o, num);
	} else if (fmt) {
		out_text_num(o, fmt, 0, v, 0);
	}
}

void out_int(struct out *o, const char *key, const char *fmt, int64_t v)
{
	if (o->failed)
		return;
	if (o->json) {
		char num[24];

		out_json_key(o, key);
		snprintf(num, sizeof num, "%" PRId64, v);
		out_puts(o, num);
	} else if (fmt) {
		out_text_num(o, fmt, 1, (uint64_t)v, v);
	}
}

void out_str(struct out *o, const char *key, const char *fmt, const char *s)
{
	if (o->failed)
		return;
	if (o->json) {
		out_json_key(o, key);
		if (s)
			out_json_str(o, s);
		else
			out_puts(o, "null");
	} else if (fmt) {
		out_text_str(o, fmt, s ? s : "");
	}
}

void out_bool(struct out *o, const char *key, const char *fmt, int v)
{
	if (o->failed)
		return;
	if (o->json) {
		out_json_key(o, key);
		out_puts(o, v ? "true" : "false");
	} else if (fmt) {
		/* %s: yes/no; a numeric conversion: 1/0 */
		char conv = out_fmt_conv(fmt);

		if (conv && strchr("diuxXo", conv))
			out_text_num(o, fmt, 0, v ? 1 : 0, 0);
		else
			out_text_str(o, fmt, v ? "yes" : "no");
	}
}

static void out_open(struct out *o, const char *key, char brace, int array)
{
	if (o->failed || !o->json)
		return;
	out_json_key(o, key);
	out_putc(o, brace);
	if (o->depth >= OUT_MAX_DEPTH) {
		o->err = -EOVERFLOW;	/* a caller bug; the answer is unusable */
		o->failed = 1;
		return;
	}
	o->depth++;
	o->first[o->depth] = 1;
	o->in_array[o->depth] = (uint8_t)array;
}

static void out_close(struct out *o, char brace)
{
	if (o->failed || !o->json || o->depth == 0)
		return;
	out_putc(o, brace);
	o->depth--;
	if (o->depth == 0)
		out_putc(o, '\n');
}

void out_obj_open(struct out *o, const char *key)
{
	out_open(o, key, '{', 0);
}

void out_obj_close(struct out *o)
{
	out_close(o, '}');
}

void out_arr_open(struct out *o, const char *key)
{
	out_open(o, key, '[', 1);
}

void out_arr_close(struct out *o)
{
	out_close(o, ']');
}

void out_error(struct out *o, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (o->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);

	/* The error is the whole answer: drop what was printed before it. */
	o->len = 0;
	if (o->buf)
		o->buf[0] = '\0';
	o->depth = 0;
	if (o->json) {
		out_putc(o, '{');
		out_json_str(o, "error");
		out_putc(o, ':');
		out_json_str(o, msg);
		out_puts(o, "}\n");
	} else {
		out_puts(o, "% ");
		out_puts(o, msg);
		out_putc(o, '\n');
	}
	o->failed = 1;
}

void out_fmt_age(char *buf, size_t size, uint64_t ms)
{
	uint64_t s = ms / 1000;

	if (s >= 86400)
		snprintf(buf, size, "%ud%02uh", (unsigned)(s / 86400), (unsigned)(s % 86400 / 3600));
	else
		snprintf(buf, size, "%02u:%02u:%02u", (unsigned)(s / 3600),
			 (unsigned)(s % 3600 / 60), (unsigned)(s % 60));
}

uint64_t out_counter_value(const struct out_counter *c, const void *base)
{
	const char *p = (const char *)base + c->off;

	if (c->size == sizeof(uint64_t)) {
		uint64_t v;

		memcpy(&v, p, sizeof v);
		return v;
	}
	if (c->size == sizeof(unsigned)) {
		unsigned v;

		memcpy(&v, p, sizeof v);
		return v;
	}
	return 0;
}

void out_counters(struct out *o, const struct out_counter *t, size_t n, const void *base,
		  int group)
{
	for (size_t i = 0; i < n; i++)
		if (group == OUT_ALL || t[i].group == group)
			out_uint(o, t[i].key, t[i].fmt, out_counter_value(&t[i], base));
}

void out_counters_add(const struct out_counter *t, size_t n, void *sum, const void *base)
{
	for (size_t i = 0; i < n; i++) {
		char *p = (char *)sum + t[i].off;
		uint64_t v = out_counter_value(&t[i], sum) + out_counter_value(&t[i], base);

		if (t[i].size == sizeof(uint64_t)) {
			memcpy(p, &v, sizeof v);
		} else if (t[i].size == sizeof(unsigned)) {
			unsigned u = (unsigned)v;

			memcpy(p, &u, sizeof u);
		}
	}
}
