/*
 * Golden files of the operator's output (see golden.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "golden.h"
#include "cli/cmd.h"
#include "core/out.h"
#include "core/rand.h"

#ifndef GOLDEN_DIR
#error "GOLDEN_DIR (the absolute path of tests/golden) must be defined"
#endif

/* --- repeatable "random" bytes --------------------------------------------- */

/*
 * Every random byte of the daemon (and of the subscribers' PPP) comes from
 * rand_bytes(); this definition replaces rand.c's, which is then never
 * linked.  xorshift64*, reseeded by golden_begin().
 */
#define G_SEED	0x9e3779b97f4a7c15ULL

static uint64_t g_rng = G_SEED;

void rand_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		uint64_t v;

		g_rng ^= g_rng >> 12;
		g_rng ^= g_rng << 25;
		g_rng ^= g_rng >> 27;
		v = g_rng * 0x2545f4914f6cdd1dULL;
		for (unsigned i = 0; i < 8 && len > 0; i++, len--)
			*p++ = (uint8_t)(v >> (8 * i));
	}
}

/* --- golden files ---------------------------------------------------------- */

#define G_MAX_FILES	128
#define G_MAX_MASKS	8
#define G_CONTEXT	2	/* lines shown before the first difference */
#define G_SHOWN		4	/* lines shown from it */

static struct {
	char scenario[64];
	int update;
	unsigned mismatches;
	char *rendered[G_MAX_FILES];	/* file names written or compared */
	unsigned n_rendered;
	struct { char *prefix, *stops, *repl; } mask[G_MAX_MASKS];
	unsigned n_masks;
} G;

/* A growing string. */
struct g_buf {
	char *s;
	size_t len, cap;
};

static void g_put(struct g_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		assert_non_null(b->s);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void g_puts(struct g_buf *b, const char *s)
{
	g_put(b, s, strlen(s));
}

static void g_indent(struct g_buf *b, int depth)
{
	g_puts(b, "\n");
	for (int i = 0; i < depth; i++)
		g_puts(b, "  ");
}

/* The layout of a .json file (golden.h): the output's bytes, a newline and
 * indentation inserted around structure outside strings. */
static char *g_json_layout(const char *j)
{
	struct g_buf b = { 0 };
	int depth = 0, in_str = 0;

	for (const char *p = j; *p; p++) {
		char c = *p;

		if (in_str) {
			g_put(&b, p, 1);
			if (c == '\\' && p[1])
				g_put(&b, ++p, 1);
			else if (c == '"')
				in_str = 0;
			continue;
		}
		switch (c) {
		case '"':
			in_str = 1;
			g_put(&b, p, 1);
			break;
		case '{':
		case '[':
			g_put(&b, p, 1);
			if (p[1] == (c == '{' ? '}' : ']')) {
				g_put(&b, ++p, 1);	/* empty: {} or [] */
				break;
			}
			g_indent(&b, ++depth);
			break;
		case '}':
		case ']':
			g_indent(&b, --depth);
			g_put(&b, p, 1);
			break;
		case ',':
			g_put(&b, p, 1);
			g_indent(&b, depth);
			break;
		default:
			g_put(&b, p, 1);
			break;
		}
	}
	assert_int_equal(depth, 0);
	assert_false(in_str);
	g_puts(&b, "\n");
	return b.s;
}

/* The masks of golden_mask(), applied to s (which is replaced). */
static char *g_apply_masks(char *s)
{
	for (unsigned m = 0; m < G.n_masks; m++) {
		struct g_buf b = { 0 };
		const char *p = s, *hit;
		size_t plen = strlen(G.mask[m].prefix);

		g_puts(&b, "");
		while ((hit = strstr(p, G.mask[m].prefix)) != NULL) {
			g_put(&b, p, (size_t)(hit - p) + plen);
			p = hit + plen;
			p += strcspn(p, G.mask[m].stops);
			g_puts(&b, G.mask[m].repl);
		}
		g_puts(&b, p);
		free(s);
		s = b.s;
	}
	return s;
}

void golden_mask(const char *prefix, const char *stops, const char *replacement)
{
	assert_true(G.n_masks < G_MAX_MASKS);
	G.mask[G.n_masks].prefix = strdup(prefix);
	G.mask[G.n_masks].stops = strdup(stops);
	G.mask[G.n_masks].repl = strdup(replacement);
	G.n_masks++;
}

static char *g_read_file(const char *path)
{
	struct g_buf b = { 0 };
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return NULL;
	g_puts(&b, "");
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		g_put(&b, chunk, n);
	fclose(f);
	return b.s;
}

static void g_write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(s, 1, strlen(s), f) != strlen(s) || fclose(f) != 0)
		fail_msg("golden: cannot write %s: %s", path, strerror(errno));
	print_message("golden: wrote %s\n", path);
}

/* Line n (from 1) of s, without its newline, into out. */
static int g_line(const char *s, unsigned n, char *out, size_t size)
{
	size_t len;

	for (unsigned i = 1; i < n; i++) {
		s = strchr(s, '\n');
		if (s == NULL)
			return 0;
		s++;
	}
	if (*s == '\0')
		return 0;
	len = strcspn(s, "\n");
	snprintf(out, size, "%.*s", (int)len, s);
	return 1;
}

/* A hunk like a unified diff's, from the first line that differs: the
 * lines before it, then line by line (lines that moved show as changed). */
static void g_diff_hint(const char *file, const char *what, const char *want, const char *got)
{
	char a[512], b[512];
	unsigned first = 1;
	int ha, hb;

	for (;; first++) {
		ha = g_line(want, first, a, sizeof a);
		hb = g_line(got, first, b, sizeof b);
		if (!ha || !hb || strcmp(a, b) != 0)
			break;
	}
	print_error("golden: %s differs from the output of %s\n", file, what);
	print_error("--- %s (expected)\n+++ output\n@@ line %u @@\n", file, first);
	for (unsigned i = first > G_CONTEXT ? first - G_CONTEXT : 1; i < first; i++)
		if (g_line(want, i, a, sizeof a))
			print_error(" %s\n", a);
	if (!ha && !hb)
		print_error("(they differ at the very end: a final newline?)\n");
	for (unsigned i = first; i < first + G_SHOWN; i++) {
		ha = g_line(want, i, a, sizeof a);
		hb = g_line(got, i, b, sizeof b);
		if (ha && hb && strcmp(a, b) == 0) {
			print_error(" %s\n", a);
			continue;
		}
		if (ha)
			print_error("-%s\n", a);
		if (hb)
			print_error("+%s\n", b);
	}
}

static void g_check(const char *name, const char *ext, const char *what, const char *got)
{
	char path[1024], file[256];
	char *want;

	snprintf(file, sizeof file, "%s.%s", name, ext);
	assert_true(G.n_rendered < G_MAX_FILES);
	for (unsigned i = 0; i < G.n_rendered; i++)
		if (strcmp(G.rendered[i], file) == 0)
			fail_msg("golden: %s/%s rendered twice", G.scenario, file);
	G.rendered[G.n_rendered++] = strdup(file);
	snprintf(path, sizeof path, "%s/%s/%s", GOLDEN_DIR, G.scenario, file);
	want = g_read_file(path);
	if (want != NULL && strcmp(want, got) == 0) {
		free(want);
		return;
	}
	if (G.update) {
		g_write_file(path, got);
	} else if (want == NULL) {
		print_error("golden: %s is missing (%s): run the test with GOLDEN_UPDATE=1 "
			    "to write it\n", path, what);
		G.mismatches++;
	} else {
		snprintf(file, sizeof file, "%s/%s.%s", G.scenario, name, ext);
		g_diff_hint(file, what, want, got);
		G.mismatches++;
	}
	free(want);
}

/* Forget the scenario (also one a failed test left behind). */
static void g_reset(void)
{
	for (unsigned i = 0; i < G.n_rendered; i++)
		free(G.rendered[i]);
	for (unsigned i = 0; i < G.n_masks; i++) {
		free(G.mask[i].prefix);
		free(G.mask[i].stops);
		free(G.mask[i].repl);
	}
	memset(&G, 0, sizeof G);
}

void golden_begin(const char *scenario)
{
	const char *u = getenv("GOLDEN_UPDATE");
	char path[1024];

	g_reset();
	snprintf(G.scenario, sizeof G.scenario, "%s", scenario);
	G.update = u != NULL && strcmp(u, "1") == 0;
	g_rng = G_SEED;
	/* the failure history prints local time */
	setenv("TZ", "UTC", 1);
	tzset();
	if (G.update) {
		snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, scenario);
		if ((mkdir(GOLDEN_DIR, 0777) < 0 && errno != EEXIST) ||
		    (mkdir(path, 0777) < 0 && errno != EEXIST))
			fail_msg("golden: cannot create %s: %s", path, strerror(errno));
	}
}

/* Run one command line; its output, or a failed test. */
static char *g_render(struct l2tpd *d, const char *line, int json)
{
	struct out o;
	char *s;
	int r;

	out_init(&o, json);
	r = cmd_exec(d, line, &o);
	if (r != 0 || o.err != 0 || o.failed)
		fail_msg("golden: `%s`%s failed (%d): %s", line, json ? " (JSON)" : "", r,
			 o.buf ? o.buf : "");
	s = strdup(o.buf);
	assert_non_null(s);
	out_free(&o);
	return g_apply_masks(s);
}

/*
 * The JSON keys are a documented contract: every key of an answer must be
 * in l2tpctl(8)'s JSON KEYS section, in the subsection (.SS) whose title
 * names the command (the longest title that is a prefix of the command's
 * words; a title may name several commands, separated by ", ").
 */
static char *g_read_doc(void)
{
	FILE *f = fopen(GOLDEN_DOC, "r");
	char *buf;
	long n;

	if (!f)
		fail_msg("golden: cannot open %s", GOLDEN_DOC);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		fail_msg("golden: cannot read %s", GOLDEN_DOC);
	fclose(f);
	return buf;
}

/* Words of `title` (one of a .SS line's commands) that start `line`: their
 * number, or 0 when the title is no prefix of it. */
static size_t g_doc_prefix(const char *title, size_t tlen, const char *line)
{
	size_t words = 1;

	if (strncmp(title, line, tlen) != 0 || (line[tlen] != '\0' && line[tlen] != ' '))
		return 0;
	for (size_t i = 0; i < tlen; i++)
		words += title[i] == ' ';
	return words;
}

/* The section of `line` in the JSON KEYS section: start and end in doc. */
static void g_doc_section(const char *doc, const char *line, const char **start,
			  const char **end)
{
	const char *p = strstr(doc, "\n.SH JSON KEYS\n"), *best = NULL;
	size_t best_words = 0;

	if (!p)
		fail_msg("golden: %s has no JSON KEYS section", GOLDEN_DOC);
	for (p = strstr(p, "\n.SS \""); p; p = strstr(p + 1, "\n.SS \"")) {
		const char *t = p + 6, *close = strchr(t, '"');

		while (close && t < close) {
			size_t len = strcspn(t, ",\"");
			size_t w = g_doc_prefix(t, len, line);

			if (w > best_words) {
				best_words = w;
				best = close;
			}
			t += len;
			t += strspn(t, ", ");
		}
	}
	if (!best)
		fail_msg("golden: `%s`: no section of l2tpctl(8)'s JSON KEYS names it", line);
	*start = best;
	*end = strstr(best, "\n.S");
	if (!*end)
		*end = best + strlen(best);
}

/* Is `key` (n bytes) a word of [start, end)? */
static int g_doc_has(const char *start, const char *end, const char *key, size_t n)
{
	for (const char *p = start; p + n <= end; p++) {
		if (strncmp(p, key, n) != 0)
			continue;
		if ((p == start || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
				     (p[-1] >= '0' && p[-1] <= '9'))) &&
		    !(p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9')))
			return 1;
	}
	return 0;
}

/* Every key of the JSON answer to `line` is in its section of l2tpctl(8). */
static void g_doc_check(const char *line, const char *json)
{
	char *doc = g_read_doc();
	const char *start, *end, *p = json;

	g_doc_section(doc, line, &start, &end);
	while (*p) {
		const char *key;

		if (*p++ != '"')
			continue;
		key = p;
		while (*p && *p != '"')
			p += *p == '\\' && p[1] ? 2 : 1;
		if (!*p)
			break;
		if (p[1] == ':' && !g_doc_has(start, end, key, (size_t)(p - key))) {
			print_error("golden: `%s`: JSON key \"%.*s\" is not in its section of "
				    "%s (JSON KEYS)\n", line, (int)(p - key), key, GOLDEN_DOC);
			G.mismatches++;
		}
		p++;
	}
	free(doc);
}

void golden_show(struct l2tpd *d, const char *name, const char *fmt, ...)
{
	char line[256], what[300];
	char *text, *json, *laid;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	text = g_render(d, line, 0);
	json = g_render(d, line, 1);
	laid = g_json_layout(json);
	snprintf(what, sizeof what, "`%s` (text)", line);
	g_check(name, "txt", what, text);
	snprintf(what, sizeof what, "`%s` (JSON)", line);
	g_check(name, "json", what, laid);
	g_doc_check(line, json);
	free(text);
	free(json);
	free(laid);
}

void golden_end(void)
{
	char path[1024];
	struct dirent *e;
	DIR *dir;
	unsigned mismatches;

	snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, G.scenario);
	dir = opendir(path);
	while (dir != NULL && (e = readdir(dir)) != NULL) {
		const char *dot = strrchr(e->d_name, '.');
		int known = 0;

		if (dot == NULL || (strcmp(dot, ".txt") != 0 && strcmp(dot, ".json") != 0))
			continue;
		for (unsigned i = 0; i < G.n_rendered; i++)
			known |= strcmp(G.rendered[i], e->d_name) == 0;
		if (known)
			continue;
		if (G.update) {
			char file[1300];

			snprintf(file, sizeof file, "%s/%s", path, e->d_name);
			if (unlink(file) == 0)
				print_message("golden: removed %s (no longer rendered)\n", file);
		} else {
			print_error("golden: %s/%s is no longer rendered by the test\n", G.scenario,
				    e->d_name);
			G.mismatches++;
		}
	}
	if (dir != NULL)
		closedir(dir);
	mismatches = G.mismatches;
	snprintf(path, sizeof path, "%s", G.scenario);
	g_reset();
	if (mismatches)
		fail_msg("golden: %u files of scenario %s do not match the output (see above); "
			 "if the change is wanted, run the test with GOLDEN_UPDATE=1 and commit "
			 "the files", mismatches, path);
}
