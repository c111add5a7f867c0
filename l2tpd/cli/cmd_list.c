/*
 * The EXEC commands as shell completion wants them (`l2tpd -L`): every
 * visible command of the table, with each [optional group] both taken and
 * left out and the `no` form of a [no] command, one line each, words
 * separated by blanks; {a|b} and the arguments (WORD, <lo-hi>, A.B.C.D)
 * stay as they are.  The bash completion of l2tpctl is generated from it
 * at build time, so it cannot drift from the table.
 *
 * The interactive shell of l2tpctl asks for the same list of the mode it
 * is in, with each command's help after a tab (`help lines MODE`, hidden):
 * its `?` and Tab completion are the table's, read from the daemon.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cmd.h"
#include "cli/cmd_engine.h"
#include "cli/config_session.h"
#include "cli/ctl.h"
#include "core/out.h"
#include "l2tpd.h"

/* Tokens from i on; `taken` holds the tokens chosen so far. */
static void cmd_list_expand(FILE *f, const struct cmd_pat *p, int i, const char *prefix,
			    const int *taken, int ntaken, const char *help)
{
	int chosen[CMD_MAX_TOK];

	if (i == p->n) {
		fputs(prefix, f);
		for (int k = 0; k < ntaken; k++)
			fprintf(f, "%s%.*s", k || prefix[0] ? " " : "",
				(int)p->t[taken[k]].len, p->t[taken[k]].s);
		if (help)
			fprintf(f, "\t%s", help);
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
		cmd_list_expand(f, p, end + 1, prefix, chosen, ntaken, help);
		/* taken: its tokens, then the rest */
		for (int k = i; k <= end; k++)
			chosen[ntaken++] = k;
		cmd_list_expand(f, p, end + 1, prefix, chosen, ntaken, help);
		return;
	}
	chosen[ntaken++] = i;
	cmd_list_expand(f, p, i + 1, prefix, chosen, ntaken, help);
}

/* The visible commands of one mode; their help after a tab with `help`. */
static void cmd_list_mode(FILE *f, enum cmd_mode mode, int help)
{
	struct cmd_pat p;

	CMD_FOREACH(tp, e) {
		const char *h = help ? e->help : NULL;

		if (!(e->modes & M(mode)) || (e->modes & CMD_HIDDEN))
			continue;
		cmd_pat_parse(e->pattern, &p);
		cmd_list_expand(f, &p, 0, "", NULL, 0, h);
		if (p.neg_ok)
			cmd_list_expand(f, &p, 0, "no", NULL, 0, h);
	}
}

void cmd_list_exec(FILE *f)
{
	cmd_list_mode(f, CMD_MODE_EXEC, 0);
}

/* `help lines MODE`: MODE is "exec" or the mode's name in the prompt
 * ("config", "config-vpdn", ...); the EXEC prompt ("host#") last, in a
 * prompt record as a configuration session's answers have (ctl.h). */
static int cmd_list_lines(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	const char *name = a->var[0];
	enum cmd_mode mode = CMD_MODE_NONE;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (strcasecmp(name, "exec") == 0)
		mode = CMD_MODE_EXEC;
	for (int m = 0; m < CMD_MODE_COUNT && mode == CMD_MODE_NONE; m++) {
		const char *pr = cfg_session_mode_prompt(m);

		if (pr && strcasecmp(pr, name) == 0)
			mode = (enum cmd_mode)m;
	}
	if (mode == CMD_MODE_NONE) {
		out_error(x->o, "help lines: no mode named %s", name);
		return -EINVAL;
	}
	f = open_memstream(&buf, &len);
	if (f == NULL) {
		out_error(x->o, "help lines: %s", strerror(errno));
		return -ENOMEM;
	}
	cmd_list_mode(f, mode, 1);
	if (fclose(f) != 0 || buf == NULL) {
		free(buf);
		out_error(x->o, "help lines: out of memory");
		return -ENOMEM;
	}
	out_text(x->o, "%s%c%s#\n", buf, CTL_PROMPT_RECORD,
		 x->d->cfg.hostname[0] ? x->d->cfg.hostname : "l2tpd");
	free(buf);
	return 0;
}

static const struct cmd_entry cmd_list_entries[] = {
	{ M(CMD_MODE_EXEC) | CMD_HIDDEN, "help lines WORD", cmd_list_lines, NULL, { 0 },
	  "the commands of a mode (exec, config, config-vpdn, ...) with their help, a line "
	  "each: the l2tpctl shell's ? and Tab" },
};

const struct cmd_table cmd_list_table = CMD_TABLE("command list", cmd_list_entries);
