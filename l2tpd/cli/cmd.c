/*
 * The command engine: the table walk that finds a line's command (and
 * says, when there is none, which word is wrong and what was expected),
 * the modes, `help`, and the dispatch of configuration lines and EXEC
 * commands (see cmd.h, cmd_engine.h; DESIGN.md "One grammar for
 * configuration and CLI").  Patterns are matched by cli/cmd_pat.c;
 * configuration values and the running configuration are cli/cmd_field.c's.
 * The commands themselves are the topic files' (cli/cmd_topics.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/cmd.h"
#include "cli/cmd_engine.h"
#include "cli/cmd_topics.h"
#include "core/out.h"
#include "l2tpd.h"

uint64_t cmd_since(const struct l2tpd *d, uint64_t then)
{
	uint64_t now = clock_now(&d->clk);

	return now > then ? now - then : 0;
}

static const char *const cmd_mode_names[CMD_MODE_COUNT] = {
	[CMD_MODE_NONE] = "no",
	[CMD_MODE_EXEC] = "EXEC",
	[CMD_MODE_CONFIG] = "top-level",
	[CMD_MODE_VPDN_GROUP] = "vpdn-group",
	[CMD_MODE_ACCEPT_DIALIN] = "accept-dialin",
	[CMD_MODE_REQUEST_DIALIN] = "request-dialin",
	[CMD_MODE_REDUNDANCY] = "redundancy",
	[CMD_MODE_VTEMPLATE] = "interface",
	[CMD_MODE_DYNAUTH] = "dynamic-author",
	[CMD_MODE_BBA_GROUP] = "bba-group",
	[CMD_MODE_ACCESS_IF] = "access interface",
};

const char *cmd_mode_name(enum cmd_mode m)
{
	return (unsigned)m < CMD_MODE_COUNT ? cmd_mode_names[m] : "?";
}

/* One command of the help: the pattern, and its description under it. */
static void cmd_help_entry(struct out *o, const char *mode, const struct cmd_entry *e)
{
	out_obj_open(o, NULL);
	if (mode)
		out_str(o, "mode", NULL, mode);
	out_str(o, "command", "  %s\n", e->pattern);
	out_str(o, "help", "      %s\n", e->help);
	out_obj_close(o);
}

static int cmd_help(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct out *o = x->o;
	static const enum cmd_mode cfg_modes[] = {
		CMD_MODE_CONFIG, CMD_MODE_VPDN_GROUP, CMD_MODE_ACCEPT_DIALIN,
		CMD_MODE_REQUEST_DIALIN, CMD_MODE_VTEMPLATE, CMD_MODE_REDUNDANCY,
		CMD_MODE_DYNAUTH, CMD_MODE_BBA_GROUP, CMD_MODE_ACCESS_IF,
	};

	out_text(o, "Commands (send them with l2tpctl; --json for JSON output):\n");
	out_arr_open(o, "commands");
	CMD_FOREACH(tp, ce) {
		if (!(ce->modes & M(CMD_MODE_EXEC)) || (ce->modes & CMD_HIDDEN))
			continue;
		cmd_help_entry(o, NULL, ce);
	}
	out_arr_close(o);
	out_text(o, "\nConfiguration commands (l2tpd.conf(5)), by mode:\n");
	out_arr_open(o, "config_commands");
	for (size_t m = 0; m < sizeof cfg_modes / sizeof cfg_modes[0]; m++) {
		out_text(o, "%s %s mode:\n", m ? "\n" : "", cmd_mode_name(cfg_modes[m]));
		CMD_FOREACH(tp, ce) {
			if (!(ce->modes & M(cfg_modes[m])) || (ce->modes & CMD_HIDDEN))
				continue;
			cmd_help_entry(o, cmd_mode_name(cfg_modes[m]), ce);
		}
	}
	out_arr_close(o);
	return 0;
}

static int cmd_exit(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	x->cc->exit = 1;
	return 0;
}

/* The engine's own commands. */
static const struct cmd_entry cmd_builtin_entries[] = {
	{ CMD_GROUP_MODES | M(CMD_MODE_VTEMPLATE) | M(CMD_MODE_REDUNDANCY) | M(CMD_MODE_DYNAUTH) |
	  M(CMD_MODE_BBA_GROUP) | M(CMD_MODE_ACCESS_IF),
	  "exit", cmd_exit, NULL, { 0 }, "leave the sub-mode" },
	{ M(CMD_MODE_EXEC), "help", cmd_help, NULL, { 0 }, "this list" },
};

const struct cmd_table cmd_builtin_table = CMD_TABLE("built-in", cmd_builtin_entries);

/* ---------------------------------------------------------------- */
/* Dispatch                                                          */
/* ---------------------------------------------------------------- */

int cmd_split(char *line, char **words, int max)
{
	int n = 0;
	char *p = line;

	for (const unsigned char *c = (const unsigned char *)line; *c; c++)
		if ((*c < 0x20 && *c != '\t' && *c != '\n' && *c != '\r') || *c == 0x7f)
			return -EILSEQ;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			*p++ = '\0';
		if (!*p)
			return n;
		if (n >= max)
			return -E2BIG;
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
	}
}

/* "l2tp tunnel" for the words matched before a failure. */
static void cmd_prefix(char *buf, size_t size, char **words, int depth)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < depth && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "", words[i]);
}

static void cmd_expected(char *buf, size_t size, const struct cmd_fail *f)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < f->nexp && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%.*s", i ? ", " : "",
					(int)f->exp[i].len, f->exp[i].s);
}

/*
 * The modes other than `mode` in which the line is a command: *full gets
 * those where it matches completely, the result those where at least its
 * first word starts a command.
 */
static unsigned cmd_other_modes(enum cmd_mode mode, char **words, int n, unsigned *full)
{
	unsigned modes = 0;
	struct cmd_args a;
	struct cmd_fail f;
	struct cmd_pat pat;

	*full = 0;
	CMD_FOREACH(tp, e) {
		if (e->modes & M(mode))
			continue;
		cmd_pat_parse(e->pattern, &pat);
		if (cmd_pat_match(&pat, words, n, &a, &f)) {
			*full |= e->modes & ~(CMD_HIDDEN | CMD_ROOT);
			modes |= e->modes & ~(CMD_HIDDEN | CMD_ROOT);
		} else if (f.depth > (a.neg ? 1 : 0)) {
			modes |= e->modes & ~(CMD_HIDDEN | CMD_ROOT);
		}
	}
	return modes;
}

/*
 * The entry of `mode` that matches the words (its arguments in *args), or
 * NULL with *best telling how far the closest ones got.
 */
static const struct cmd_entry *cmd_match_mode(enum cmd_mode mode, char **words, int n,
					      struct cmd_args *args, struct cmd_fail *best)
{
	struct cmd_fail f;
	struct cmd_args a;
	struct cmd_pat pat;

	memset(best, 0, sizeof *best);
	best->depth = -1;
	CMD_FOREACH(tp, e) {
		if (!(e->modes & M(mode)))
			continue;
		cmd_pat_parse(e->pattern, &pat);
		if (cmd_pat_match(&pat, words, n, &a, &f)) {
			*args = a;
			return e;
		}
		/* a hidden command is not suggested to whoever did not name it */
		if ((e->modes & CMD_HIDDEN) && f.depth < 2)
			continue;
		if (f.depth > best->depth || (f.depth == best->depth && best->kind != FAIL_BAD &&
					      f.kind == FAIL_BAD)) {
			*best = f;
		} else if (f.depth == best->depth && f.kind != FAIL_BAD && best->kind != FAIL_BAD) {
			for (int k = 0; k < f.nexp; k++)
				cmd_fail_expect(best, &f.exp[k]);
			if (f.kind == FAIL_MISSING)
				best->kind = FAIL_MISSING;
		}
	}
	return NULL;
}

/*
 * The line is a command of another mode (and not one of this mode badly
 * written): say where it belongs.  1 with the reason in err, else 0.
 */
static int cmd_err_mode(enum cmd_mode mode, char **words, int n, const struct cmd_fail *best,
			char *err, size_t errsz)
{
	char where[128] = "";
	size_t len = 0;
	int first = n > 1 && strcasecmp(words[0], "no") == 0 ? 1 : 0;
	unsigned other, full;

	other = cmd_other_modes(mode, words, n, &full);
	if (!full && best->depth > (strcasecmp(words[0], "no") == 0 ? 1 : 0))
		return 0;	/* a command of this mode, badly written */
	if (full)
		other = full;
	if (!other)
		return 0;
	if (mode == CMD_MODE_EXEC) {
		snprintf(err, errsz, "'%s' is a configuration command; put it in the "
			 "configuration file", words[first]);
		return 1;
	}
	if (other & M(CMD_MODE_EXEC)) {
		snprintf(err, errsz, "'%s' is an EXEC command (l2tpctl), not a "
			 "configuration command", words[first]);
		return 1;
	}
	if (mode == CMD_MODE_CONFIG && strcasecmp(words[0], "exit") == 0) {
		snprintf(err, errsz, "'exit' at top level: there is no sub-mode to leave");
		return 1;
	}
	for (int m = CMD_MODE_CONFIG; m < CMD_MODE_COUNT; m++)
		if (other & M(m))
			len += (size_t)snprintf(where + len, sizeof where - len, "%s%s",
						len ? " or " : "", cmd_mode_name(m));
	snprintf(err, errsz, "'%s' is not valid in %s mode (it belongs in %s mode%s)",
		 words[first], cmd_mode_name(mode), where,
		 mode == CMD_MODE_CONFIG ? "; indent it under its command" : "");
	return 1;
}

/* The line is no command of this mode: which word is wrong, what was expected. */
static void cmd_err_words(char **words, const struct cmd_fail *best, char *err, size_t errsz)
{
	char prefix[256], exp[256];

	cmd_prefix(prefix, sizeof prefix, words, best->depth > 0 ? best->depth : 0);
	cmd_expected(exp, sizeof exp, best);
	switch (best->kind) {
	case FAIL_BAD:
		snprintf(err, errsz, "%s: %s", prefix, best->msg);
		break;
	case FAIL_MISSING:
		if (best->nexp == 1 && best->exp[0].kind != TOK_LIT && best->exp[0].kind != TOK_ALT)
			snprintf(err, errsz, "%s: missing argument %s", prefix, exp);
		else
			snprintf(err, errsz, "%s: incomplete command (expected %s)", prefix, exp);
		break;
	default:
		if (best->depth <= 0)
			snprintf(err, errsz, "unknown command '%s'", words[0]);
		else if (best->nexp)
			snprintf(err, errsz, "unknown word '%s' after '%s' (expected %s)",
				 words[best->depth], prefix, exp);
		else
			snprintf(err, errsz, "unexpected word '%s' after '%s'", words[best->depth],
				 prefix);
		break;
	}
}

/*
 * Abbreviated keywords, as IOS takes them (`sh vpdn`, `conf t`): a word
 * that is no keyword of the commands still possible at its place but the
 * start of exactly one stands for it; the start of several is ambiguous.
 * A place where some command takes a free word (a name, a password) is
 * never expanded: the word is that argument.  The expanded words are what
 * the handlers see, so the configuration keeps the full keywords.
 */
struct cmd_kw {
	int n, var;			/* keywords found; a free word fits here */
	int exact;			/* the word is one of them as it is */
	const char *s[CMD_MAX_EXPECT];
	size_t len[CMD_MAX_EXPECT];
};

static void cmd_kw_add(struct cmd_kw *k, const char *w, const char *s, size_t len)
{
	size_t wl = strlen(w);

	if (wl > len || strncasecmp(s, w, wl) != 0)
		return;
	if (wl == len)
		k->exact = 1;
	for (int i = 0; i < k->n; i++)
		if (k->len[i] == len && strncasecmp(k->s[i], s, len) == 0)
			return;
	if (k->n < CMD_MAX_EXPECT) {
		k->s[k->n] = s;
		k->len[k->n++] = len;
	}
}

/* What the word at place i may stand for, after the (expanded) words before it. */
static void cmd_kw_at(enum cmd_mode mode, char **words, int i, struct cmd_kw *k)
{
	struct cmd_args a;
	struct cmd_fail f;
	struct cmd_pat pat;
	/* a `no` form's words are those of the command (without the `no`
	 * the match asks for what may follow instead of leaving it out) */
	int neg = i > 0 && strcasecmp(words[0], "no") == 0;

	memset(k, 0, sizeof *k);
	CMD_FOREACH(tp, e) {
		if (!(e->modes & M(mode)) || (e->modes & CMD_HIDDEN))
			continue;
		cmd_pat_parse(e->pattern, &pat);
		if (i == 0 && pat.neg_ok)
			cmd_kw_add(k, words[0], "no", 2);
		if (neg && !pat.neg_ok)
			continue;
		if (!cmd_pat_match(&pat, words + neg, i - neg, &a, &f) &&
		    (f.kind != FAIL_MISSING || f.depth != i - neg))
			continue;
		for (int j = 0; j < f.nexp; j++) {
			const struct cmd_tok *t = &f.exp[j];
			const char *s = t->s + 1, *end = t->s + t->len - 1;

			if (t->kind == TOK_LIT) {
				cmd_kw_add(k, words[i], t->s, t->len);
			} else if (t->kind == TOK_ALT) {
				for (size_t l; s < end; s += l + 1) {
					l = strcspn(s, "|}");
					cmd_kw_add(k, words[i], s, l);
				}
			} else if (t->kind == TOK_WORD) {
				k->var = 1;
			}
		}
	}
}

/* The line's words with their keywords spelled out: storage for them. */
struct cmd_xline {
	char *w[CMD_MAX_WORDS];
	char buf[2048];
	size_t used;
};

/* 1: x holds the line expanded; 0: nothing to expand; -ENOTUNIQ: an
 * ambiguous word (err says so, as IOS does). */
static int cmd_expand(enum cmd_mode mode, char **words, int n, struct cmd_xline *x, char *err,
		      size_t errsz)
{
	struct cmd_kw k;
	int changed = 0;

	x->used = 0;
	for (int i = 0; i < n; i++) {
		x->w[i] = words[i];
		cmd_kw_at(mode, x->w, i, &k);
		if (k.exact || k.n == 0 || k.var)
			continue;
		if (k.n > 1) {
			char line[256];

			cmd_prefix(line, sizeof line, words, n);
			snprintf(err, errsz, "Ambiguous command: \"%s\"", line);
			return -ENOTUNIQ;
		}
		if (x->used + k.len[0] + 1 > sizeof x->buf)
			return 0;	/* cannot happen (32 keywords fit): the line as typed */
		x->w[i] = x->buf + x->used;
		memcpy(x->w[i], k.s[0], k.len[0]);
		x->w[i][k.len[0]] = '\0';
		x->used += k.len[0] + 1;
		changed = 1;
	}
	return changed;
}

/*
 * Find the entry of `mode` that matches the words, keywords abbreviated or
 * not (the words the handler is to see in *wp: x's when expanded).  On
 * failure, err gets the reason an operator needs: which word, what was
 * expected, the range; -ENOTUNIQ in *rc for an ambiguous abbreviation.
 */
static const struct cmd_entry *cmd_lookup(enum cmd_mode mode, char ***wp, int n,
					  struct cmd_args *args, struct cmd_xline *x, int *rc,
					  char *err, size_t errsz)
{
	const struct cmd_entry *e;
	struct cmd_fail best, xbest;
	char **words = *wp;
	int r;

	*rc = -EINVAL;
	e = cmd_match_mode(mode, words, n, args, &best);
	if (e)
		return e;
	if (n == 0) {
		snprintf(err, errsz, "empty command");
		return NULL;
	}
	r = cmd_expand(mode, words, n, x, err, errsz);
	if (r < 0) {
		*rc = r;
		return NULL;
	}
	if (r > 0) {
		e = cmd_match_mode(mode, x->w, n, args, &xbest);
		if (e) {
			*wp = x->w;
			return e;
		}
		/* a command of another mode as typed (`ppp ...` at the top,
		 * not `pppoe`) says so; else the reason in the words spelled out */
		if (cmd_err_mode(mode, words, n, &best, err, errsz))
			return NULL;
		words = x->w;
		best = xbest;
	}
	if (!cmd_err_mode(mode, words, n, &best, err, errsz))
		cmd_err_words(words, &best, err, errsz);
	return NULL;
}

int cmd_config_line(struct cmd_cfg_ctx *c, char **words, int n, char *err, size_t errsz)
{
	const struct cmd_entry *e;
	struct cmd_args a;
	struct cmd_ctx x = { .cc = c, .err = err, .errsz = errsz };
	struct cmd_xline xl;
	int rc;

	c->entered = CMD_MODE_NONE;
	c->entered_grp = NULL;
	c->entered_vt = NULL;
	c->entered_obj = NULL;
	c->exit = 0;
	e = cmd_lookup(c->mode, &words, n, &a, &xl, &rc, err, errsz);
	if (!e)
		return rc;
	return e->run(&x, e, &a);
}

int cmd_exec(struct l2tpd *d, const char *line, struct out *o)
{
	return cmd_exec_as(d, line, o, 1);
}

int cmd_exec_as(struct l2tpd *d, const char *line, struct out *o, int privileged)
{
	return cmd_exec_cred(d, line, o, privileged, -1);
}

int cmd_exec_cred(struct l2tpd *d, const char *line, struct out *o, int privileged, long uid)
{
	char buf[CMD_LINE_MAX], err[512];
	char *wbuf[CMD_MAX_WORDS], **words = wbuf;
	const struct cmd_entry *e;
	struct cmd_args a;
	struct cmd_ctx x = { .d = d, .o = o, .uid = uid };
	struct cmd_xline xl;
	int n, r;

	if (strlen(line) >= sizeof buf) {
		out_error(o, "Invalid input: line too long (at most %d characters)",
			  CMD_LINE_MAX - 1);
		return -E2BIG;
	}
	memcpy(buf, line, strlen(line) + 1);
	n = cmd_split(buf, words, CMD_MAX_WORDS);
	if (n == -EILSEQ) {
		out_error(o, "Invalid input: control character in the command");
		return n;
	}
	if (n < 0) {
		out_error(o, "Invalid input: too many words (at most %d)", CMD_MAX_WORDS);
		return n;
	}
	e = cmd_lookup(CMD_MODE_EXEC, &words, n, &a, &xl, &r, err, sizeof err);
	if (!e && r == -ENOTUNIQ) {
		out_error(o, "%s", err);
		return r;
	}
	if (!e) {
		out_error(o, "Invalid input: %s", err);
		return -EINVAL;
	}
	if ((e->modes & CMD_ROOT) && !privileged) {
		out_error(o, "Permission denied: '%s' is for root only", e->pattern);
		return -EPERM;
	}
	out_obj_open(o, NULL);
	r = e->run(&x, e, &a);
	out_obj_close(o);
	if (o->err && !o->failed) {
		int json = o->json;

		out_free(o);		/* what was printed is useless now */
		out_init(o, json);
		out_error(o, "Out of memory");
		return -ENOMEM;
	}
	return r;
}

int cmd_exec_is(const char *line, const char *pattern)
{
	char buf[CMD_LINE_MAX], err[256];
	char *wbuf[CMD_MAX_WORDS], **words = wbuf;
	const struct cmd_entry *e;
	struct cmd_args a;
	struct cmd_xline xl;
	int n, rc;

	if (strlen(line) >= sizeof buf)
		return 0;
	memcpy(buf, line, strlen(line) + 1);
	n = cmd_split(buf, words, CMD_MAX_WORDS);
	if (n <= 0)
		return 0;
	e = cmd_lookup(CMD_MODE_EXEC, &words, n, &a, &xl, &rc, err, sizeof err);
	return e != NULL && strcmp(e->pattern, pattern) == 0;
}
