/*
 * The words of the interactive shell's `?` and Tab: the commands of a
 * mode as the daemon lists them (`help lines MODE`, l2tpd/cli/cmd_list.c:
 * one command a line, optional groups expanded, its help after a tab),
 * matched against the words typed so far.  Nothing of the grammar is
 * known here but the token kinds of the daemon's patterns:
 *	word		a keyword (case does not matter; a prefix of it matches)
 *	{a|b}		one of the keywords
 *	WORD, <lo-hi>, A.B.C.D, X:X::X	an argument: any word
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "l2tpctl_shell.h"

void l2tpctl_words_free(struct l2tpctl_words *w)
{
	free(w->text);
	free(w->line);
	memset(w, 0, sizeof *w);
}

/* Split the daemon's answer (taken over) into lines; -1 if out of memory. */
int l2tpctl_words_load(struct l2tpctl_words *w, char *text)
{
	size_t n = 0;

	memset(w, 0, sizeof *w);
	w->text = text;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	w->line = calloc(n + 1, sizeof *w->line);
	if (w->line == NULL)
		return -1;
	for (char *p = text, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		*nl = '\0';
		if (*p)
			w->line[w->n++] = p;
	}
	return 0;
}

/* An argument token: no lowercase letter in it (WORD, A.B.C.D, X:X::X/M)
 * or a number range. */
static int l2tpctl_tok_is_arg(const char *t, size_t len)
{
	if (len && t[0] == '<')
		return 1;
	for (size_t i = 0; i < len; i++)
		if (islower((unsigned char)t[i]))
			return 0;
	return len > 0;
}

/* The next blank-separated token of *p (length in *len); NULL at the end. */
static const char *l2tpctl_tok_next(const char **p, size_t *len)
{
	const char *s = *p + strspn(*p, " ");

	if (*s == '\0' || *s == '\t')	/* the help follows the tab */
		return NULL;
	*len = strcspn(s, " \t");
	*p = s + *len;
	return s;
}

/* Does typed word w (whole, or a prefix when prefix) fit keyword k? */
static int l2tpctl_kw_fits(const char *k, size_t klen, const char *w, int prefix)
{
	size_t wl = strlen(w);

	if (wl > klen || strncasecmp(k, w, wl) != 0)
		return 0;
	return prefix || wl == klen || wl > 0;
}

/* Does the typed word fit the token?  For {a|b}, any alternative. */
static int l2tpctl_tok_fits(const char *t, size_t len, const char *w)
{
	if (l2tpctl_tok_is_arg(t, len))
		return 1;
	if (t[0] != '{')
		return l2tpctl_kw_fits(t, len, w, 0);
	for (size_t i = 1; i < len;) {
		size_t al = strcspn(t + i, "|}");

		if (l2tpctl_kw_fits(t + i, al, w, 0))
			return 1;
		i += al + 1;
	}
	return 0;
}

/* Add a candidate unless it is there already. */
static void l2tpctl_cand_add(struct l2tpctl_cands *c, const char *word, size_t len,
			     const char *help, int arg)
{
	if (c->n >= L2TPCTL_CANDS_MAX || len >= sizeof c->c[0].word)
		return;
	for (size_t i = 0; i < c->n; i++)
		if (strlen(c->c[i].word) == len && strncmp(c->c[i].word, word, len) == 0)
			return;
	memcpy(c->c[c->n].word, word, len);
	c->c[c->n].word[len] = '\0';
	c->c[c->n].help = help;
	c->c[c->n].arg = arg;
	c->n++;
}

/* The next token t of a command that fits the words so far: what it
 * offers for the partial word. */
static void l2tpctl_cand_tok(struct l2tpctl_cands *c, const char *t, size_t len,
			     const char *partial, const char *help)
{
	if (l2tpctl_tok_is_arg(t, len)) {
		l2tpctl_cand_add(c, t, len, help, 1);
		return;
	}
	if (t[0] != '{') {
		if (l2tpctl_kw_fits(t, len, partial, 1))
			l2tpctl_cand_add(c, t, len, help, 0);
		return;
	}
	for (size_t i = 1; i < len;) {
		size_t al = strcspn(t + i, "|}");

		if (l2tpctl_kw_fits(t + i, al, partial, 1))
			l2tpctl_cand_add(c, t + i, al, help, 0);
		i += al + 1;
	}
}

void l2tpctl_words_cands(const struct l2tpctl_words *w, char *const *typed, int ntyped,
			 const char *partial, struct l2tpctl_cands *c)
{
	c->n = 0;
	for (size_t i = 0; i < w->n; i++) {
		const char *p = w->line[i], *t, *tab = strchr(w->line[i], '\t');
		const char *help = tab ? tab + 1 : "";
		size_t len;
		int k;

		for (k = 0; k < ntyped; k++) {
			t = l2tpctl_tok_next(&p, &len);
			if (t == NULL || !l2tpctl_tok_fits(t, len, typed[k]))
				break;
		}
		if (k < ntyped)
			continue;
		t = l2tpctl_tok_next(&p, &len);
		if (t)
			l2tpctl_cand_tok(c, t, len, partial, help);
		else if (partial[0] == '\0')
			l2tpctl_cand_add(c, "<cr>", 4, "run the command", 1);
	}
}
