/*
 * One print path for text and JSON (the iproute2 idiom): every show
 * command calls these once per field with a JSON key and a text format;
 * the same calls produce IOS-like text or a JSON document.
 */
#ifndef L2TP_OUT_H
#define L2TP_OUT_H

#include <stddef.h>
#include <stdint.h>

struct out {
	int json;
	char *buf;		/* growing output buffer, always NUL-terminated */
	size_t len, cap;
	int err;		/* -ENOMEM once allocation failed */
	int failed;		/* out_error() ran: the answer is final */
	int depth;
	uint8_t first[32];	/* JSON: no comma needed yet at this depth */
	uint8_t in_array[32];
};

void out_init(struct out *o, int json);
void out_free(struct out *o);

/* Text only (ignored in JSON). */
void out_text(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fields: the key is used in JSON, the format (one conversion) in text.
 * A NULL text format prints nothing in text mode. */
void out_uint(struct out *o, const char *key, const char *fmt, uint64_t v);
void out_int(struct out *o, const char *key, const char *fmt, int64_t v);
void out_str(struct out *o, const char *key, const char *fmt, const char *s);
void out_bool(struct out *o, const char *key, const char *fmt, int v);

/* Structure (JSON only; text ignores them).  key is NULL inside arrays. */
void out_obj_open(struct out *o, const char *key);
void out_obj_close(struct out *o);
void out_arr_open(struct out *o, const char *key);
void out_arr_close(struct out *o);

/*
 * Counters described once: a table per stats struct, a row per counter
 * with its JSON key, its text (one conversion with the words and
 * separators around it, as out_uint takes it) and where it lives in the
 * struct.  out_counters() prints a table; a show that puts other values
 * between its counters gives the rows groups and prints one group at a
 * time.  Members are uint64_t or unsigned (size tells).
 */
struct out_counter {
	const char *key;	/* JSON */
	const char *fmt;	/* text; NULL: JSON only */
	size_t off, size;	/* the member */
	int group;		/* 0 unless the table is printed in parts */
};

#define OUT_COUNTER_GROUP(type, member, key, fmt, group) \
	{ (key), (fmt), offsetof(type, member), sizeof(((type *)0)->member), (group) }
#define OUT_COUNTER(type, member, key, fmt) OUT_COUNTER_GROUP(type, member, key, fmt, 0)
/* A table and its length, for the functions below. */
#define OUT_COUNTERS(table)	(table), (sizeof(table) / sizeof((table)[0]))
/* Every group. */
#define OUT_ALL			(-1)

uint64_t out_counter_value(const struct out_counter *c, const void *base);
/* The rows of `group` (OUT_ALL: every row), in table order. */
void out_counters(struct out *o, const struct out_counter *t, size_t n, const void *base,
		  int group);
/* Add base's counters to sum's, row by row (totals over tunnels, servers). */
void out_counters_add(const struct out_counter *t, size_t n, void *sum, const void *base);

/* An age or uptime as the show commands print it: "hh:mm:ss", or "NdNNh"
 * past a day (as IOS does). */
void out_fmt_age(char *buf, size_t size, uint64_t ms);

/* An error reply: "% message" in text; {"error": "message"} in JSON. */
void out_error(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
