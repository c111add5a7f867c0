/*
 * The EXEC commands as shell completion wants them (`l2tpd -L`): every
 * visible command of the table, with each [optional group] both taken and
 * left out and the `no` form of a [no] command, one line each, words
 * separated by blanks; {a|b} and the arguments (WORD, <lo-hi>, A.B.C.D)
 * stay as they are.  The bash completion of l2tpctl is generated from it
 * at build time, so it cannot drift from the table.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/cmd_engine.h"

/* Tokens from i on; `taken` holds the tokens chosen so far. */
static void cmd_list_expand(FILE *f, const struct cmd_pat *p, int i, const char *prefix,
			    const int *taken, int ntaken)
{
	int chosen[CMD_MAX_TOK];

	if (i == p->n) {
		fputs(prefix, f);
		for (int k = 0; k < ntaken; k++)
			fprintf(f, "%s%.*s", k || prefix[0] ? " " : "",
				(int)p->t[taken[k]].len, p->t[taken[k]].s);
		fputc('\n', f);
		return;
	}
	if (ntaken > 0)
		memcpy(chosen, taken, sizeof(int) * (size_t)ntaken);
	if (p->t[i].opt_start) {
		int end = i;

		while (end < p->n - 1 && !p->t[end].opt_end)
			end++;
		/* left out */
		cmd_list_expand(f, p, end + 1, prefix, chosen, ntaken);
		/* taken: its tokens, then the rest */
		for (int k = i; k <= end; k++)
			chosen[ntaken++] = k;
		cmd_list_expand(f, p, end + 1, prefix, chosen, ntaken);
		return;
	}
	chosen[ntaken++] = i;
	cmd_list_expand(f, p, i + 1, prefix, chosen, ntaken);
}

void cmd_list_exec(FILE *f)
{
	struct cmd_pat p;

	CMD_FOREACH(tp, e) {
		if (!(e->modes & M(CMD_MODE_EXEC)) || (e->modes & CMD_HIDDEN))
			continue;
		cmd_pat_parse(e->pattern, &p);
		cmd_list_expand(f, &p, 0, "", NULL, 0);
		if (p.neg_ok)
			cmd_list_expand(f, &p, 0, "no", NULL, 0);
	}
}
