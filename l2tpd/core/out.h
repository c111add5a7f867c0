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

/* An age or uptime as the show commands print it: "hh:mm:ss", or "NdNNh"
 * past a day (as IOS does). */
void out_fmt_age(char *buf, size_t size, uint64_t ms);

/* An error reply: "% message" in text; {"error": "message"} in JSON. */
void out_error(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
