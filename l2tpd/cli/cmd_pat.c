/*
 * Patterns (cmd_engine.h lists their tokens): parsed from the tables'
 * strings, and matched against the words of a line.  A failed match says
 * how far it got and what would have fitted, for the engine's error
 * messages (cli/cmd.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cmd_engine.h"

static int cmd_is_var_word(const char *s, size_t len)
{
	if (len == 0 || s[0] < 'A' || s[0] > 'Z')
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

/* Patterns are constants of the tables: a malformed one is a bug caught by
 * the tests, so parsing them needs no error path beyond truncation. */
void cmd_pat_parse(const char *pattern, struct cmd_pat *p)
{
	const char *s = pattern;

	memset(p, 0, sizeof *p);
	if (strncmp(s, "[no] ", 5) == 0) {
		p->neg_ok = 1;
		s += 5;
	}
	while (*s && p->n < CMD_MAX_TOK) {
		struct cmd_tok *t = &p->t[p->n];
		size_t len;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		len = strcspn(s, " ");
		if (*s == '[') {
			t->opt_start = 1;
			s++;
			len--;
		}
		if (len && s[len - 1] == ']') {
			t->opt_end = 1;
			len--;
		}
		t->s = s;
		t->len = len;
		if (s[0] == '<') {
			t->kind = TOK_RANGE;
			t->lo = strtoul(s + 1, NULL, 10);
			t->hi = strtoul(memchr(s, '-', len) ? (const char *)memchr(s, '-', len) + 1
				: s + 1, NULL, 10);
		} else if (len == 7 && strncmp(s, "A.B.C.D", 7) == 0) {
			t->kind = TOK_IP;
		} else if (len == 6 && strncmp(s, "X:X::X", 6) == 0) {
			t->kind = TOK_IP6;
		} else if (len == 8 && strncmp(s, "X:X::X/M", 8) == 0) {
			t->kind = TOK_IP6PFX;
		} else if (s[0] == '{') {
			t->kind = TOK_ALT;
		} else if (cmd_is_var_word(s, len)) {
			t->kind = TOK_WORD;
		} else {
			t->kind = TOK_LIT;
		}
		s += len + (t->opt_end ? 1 : 0);
		p->n++;
	}
}

void cmd_fail_expect(struct cmd_fail *f, const struct cmd_tok *t)
{
	for (int i = 0; i < f->nexp; i++)
		if (f->exp[i].len == t->len && strncmp(f->exp[i].s, t->s, t->len) == 0)
			return;
	if (f->nexp < CMD_MAX_EXPECT)
		f->exp[f->nexp++] = *t;
}

static int cmd_lit_eq(const struct cmd_tok *t, const char *w)
{
	return strlen(w) == t->len && strncasecmp(t->s, w, t->len) == 0;
}

static int cmd_alt_eq(const struct cmd_tok *t, const char *w)
{
	const char *s = t->s + 1, *end = t->s + t->len - 1;	/* inside the braces */
	size_t wl = strlen(w);

	while (s < end) {
		size_t l = strcspn(s, "|}");

		if (l == wl && strncasecmp(s, w, l) == 0)
			return 1;
		s += l + 1;
	}
	return 0;
}

/* Strict unsigned decimal: digits only, no sign, no overflow. */
int cmd_parse_ulong(const char *w, unsigned long *v)
{
	unsigned long r = 0;

	if (!*w || strlen(w) > 10)
		return -EINVAL;
	for (; *w; w++) {
		if (*w < '0' || *w > '9')
			return -EINVAL;
		r = r * 10 + (unsigned long)(*w - '0');
	}
	*v = r;
	return 0;
}

int cmd_parse_ip6(const char *w, uint8_t out[16], int *plen)
{
	const char *slash = strchr(w, '/');
	char a[INET6_ADDRSTRLEN];
	unsigned long len;

	if (!slash) {
		*plen = -1;
		return inet_pton(AF_INET6, w, out) == 1 ? 0 : -EINVAL;
	}
	if ((size_t)(slash - w) >= sizeof a || cmd_parse_ulong(slash + 1, &len) || len > 128)
		return -EINVAL;
	memcpy(a, w, (size_t)(slash - w));
	a[slash - w] = '\0';
	if (inet_pton(AF_INET6, a, out) != 1)
		return -EINVAL;
	*plen = (int)len;
	return 0;
}

/*
 * Does word w fit token t?  1 yes (values stored in a), 0 no, -1 it is the
 * right place but a bad value (f->msg says why).
 */
static int cmd_tok_match(const struct cmd_tok *t, const char *w, struct cmd_args *a,
			 struct cmd_fail *f)
{
	unsigned long v;
	uint8_t ip6[16];
	int plen;

	switch (t->kind) {
	case TOK_LIT:
		if (!cmd_lit_eq(t, w))
			return 0;
		if (a->nlit < CMD_MAX_TOK)
			a->lit[a->nlit++] = w;
		return 1;
	case TOK_ALT:
		if (!cmd_alt_eq(t, w))
			return 0;
		/* one of the keywords: an argument, and a keyword for cmd_has() */
		if (a->nlit < CMD_MAX_TOK)
			a->lit[a->nlit++] = w;
		break;
	case TOK_WORD:
		break;
	case TOK_RANGE:
		if (cmd_parse_ulong(w, &v)) {
			snprintf(f->msg, sizeof f->msg, "'%.40s' is not a number (expected %.*s)", w,
				 (int)t->len, t->s);
			return -1;
		}
		if (v < t->lo || v > t->hi) {
			snprintf(f->msg, sizeof f->msg, "%.40s is out of range %lu-%lu", w, t->lo,
				 t->hi);
			return -1;
		}
		a->num[a->nvar] = v;
		break;
	case TOK_IP:
		if (inet_pton(AF_INET, w, &a->ip[a->nvar]) != 1) {
			snprintf(f->msg, sizeof f->msg, "'%.40s' is not an IPv4 address (A.B.C.D)", w);
			return -1;
		}
		break;
	case TOK_IP6:
	case TOK_IP6PFX:
		if (cmd_parse_ip6(w, ip6, &plen) || (plen < 0) != (t->kind == TOK_IP6)) {
			snprintf(f->msg, sizeof f->msg, "'%.40s' is not an IPv6 %s", w,
				 t->kind == TOK_IP6 ? "address (X:X::X)" : "prefix (X:X::X/M)");
			return -1;
		}
		break;
	}
	a->var[a->nvar++] = w;
	return 1;
}

/* A variable (not a skipped optional one) was matched. */
static int cmd_args_any(const struct cmd_args *a)
{
	for (int i = 0; i < a->nvar; i++)
		if (a->var[i])
			return 1;
	return 0;
}

/*
 * The match stopped at a word that an optional argument refused for its
 * value (`keepalive 10 300`): that is the reason to give.  Returns 0.
 */
static int cmd_fail_bad_opt(struct cmd_fail *f, int bad_depth, const char *bad_msg,
			    const struct cmd_tok *bad_tok)
{
	if (bad_depth < 0 || f->depth != bad_depth || f->kind != FAIL_WORD)
		return 0;
	f->kind = FAIL_BAD;
	snprintf(f->msg, sizeof f->msg, "%s", bad_msg);
	f->nexp = 0;
	cmd_fail_expect(f, bad_tok);
	return 0;
}

enum { CMD_STEP_OK, CMD_STEP_DONE, CMD_STEP_MISSING, CMD_STEP_FAIL };

/*
 * Word wi against token t: CMD_STEP_OK (matched), CMD_STEP_DONE (no words
 * left, and a `no` form may leave the rest out: `no l2tp tunnel hello`,
 * `no username NAME`), CMD_STEP_MISSING (no words left) or CMD_STEP_FAIL
 * (the word does not fit); f says where and why.
 */
static int cmd_pat_step(const struct cmd_tok *t, char **words, int n, int wi,
			struct cmd_args *a, struct cmd_fail *f)
{
	int r;

	if (wi >= n) {
		if (a->neg && (t->kind != TOK_LIT || cmd_args_any(a)))
			return CMD_STEP_DONE;
		f->depth = wi;
		f->kind = FAIL_MISSING;
		cmd_fail_expect(f, t);
		return CMD_STEP_MISSING;
	}
	r = cmd_tok_match(t, words[wi], a, f);
	if (r == 1)
		return CMD_STEP_OK;
	f->depth = wi;
	f->kind = r < 0 ? FAIL_BAD : FAIL_WORD;
	cmd_fail_expect(f, t);
	return CMD_STEP_FAIL;
}

/*
 * Match words against one pattern.  Returns 1 on a full match (a filled),
 * 0 otherwise with f telling how far it got and why it stopped.
 */
int cmd_pat_match(const struct cmd_pat *p, char **words, int n, struct cmd_args *a,
		  struct cmd_fail *f)
{
	int wi = 0, ti = 0;
	int bad_depth = -1;		/* an optional argument had a bad value at this word */
	char bad_msg[sizeof f->msg];
	struct cmd_tok bad_tok;

	memset(a, 0, sizeof *a);
	memset(f, 0, sizeof *f);
	memset(&bad_tok, 0, sizeof bad_tok);
	bad_msg[0] = '\0';
	if (n > 0 && strcasecmp(words[0], "no") == 0) {
		if (!p->neg_ok) {
			f->kind = n > 1 ? FAIL_WORD : FAIL_MISSING;
			return 0;
		}
		a->neg = 1;
		wi = 1;
	}
	while (ti < p->n) {
		const struct cmd_tok *t = &p->t[ti];
		int r;

		if (t->opt_start) {
			int end = ti;
			struct cmd_args save = *a;

			while (end < p->n - 1 && !p->t[end].opt_end)
				end++;
			r = wi < n ? cmd_tok_match(t, words[wi], a, f) : 0;
			if (r != 1) {
				if (r < 0 && bad_depth < 0) {
					/* `keepalive 10 300`: say why, should nothing else take it */
					bad_depth = wi;
					memcpy(bad_msg, f->msg, sizeof bad_msg);
					bad_tok = *t;
				}
				*a = save;
				f->msg[0] = '\0';
				cmd_fail_expect(f, t);
				/* the group's arguments are absent, in their places */
				for (; ti <= end; ti++)
					if (p->t[ti].kind != TOK_LIT && a->nvar < CMD_MAX_TOK)
						a->var[a->nvar++] = NULL;
				continue;
			}
			wi++;
			f->nexp = 0;
			for (ti++; ti <= end; ti++, wi++) {
				r = cmd_pat_step(&p->t[ti], words, n, wi, a, f);
				if (r != CMD_STEP_OK)
					return r == CMD_STEP_DONE;
			}
			continue;
		}
		r = cmd_pat_step(t, words, n, wi, a, f);
		if (r == CMD_STEP_DONE)
			return 1;
		if (r == CMD_STEP_MISSING)
			return 0;
		if (r == CMD_STEP_FAIL)
			return cmd_fail_bad_opt(f, bad_depth, bad_msg, &bad_tok);
		wi++;
		ti++;
		f->nexp = 0;
	}
	if (wi < n) {
		f->depth = wi;
		f->kind = FAIL_WORD;
		return cmd_fail_bad_opt(f, bad_depth, bad_msg, &bad_tok);
	}
	return 1;
}

int cmd_has(const struct cmd_args *a, const char *kw)
{
	for (int i = 0; i < a->nlit; i++)
		if (strcasecmp(a->lit[i], kw) == 0)
			return 1;
	return 0;
}

/* The keywords of a pattern, up to its first argument: "l2tp tunnel password". */
void cmd_pat_name(const char *pattern, char *buf, size_t size)
{
	struct cmd_pat pat;
	size_t len = 0;

	cmd_pat_parse(pattern, &pat);
	buf[0] = '\0';
	for (int i = 0; i < pat.n && pat.t[i].kind == TOK_LIT && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%.*s", i ? " " : "",
					(int)pat.t[i].len, pat.t[i].s);
}
