/*
 * Configuration values and the running configuration.
 *
 * Most configuration entries of the tables are pure data: a field
 * descriptor (where the value lives, its type, its default) serves both the
 * generic handler (set, or restore with `no`) and the generic printer of
 * `show running-config`, so what is accepted and what is printed come from
 * the same line of a table.  The running configuration is the walk over
 * the top-level mode's entries in the engine's order; a command that opens
 * a sub-mode prints that mode's block (cmd_print_mode) at one more level of
 * indentation.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_engine.h"
#include "cli/cmd_topics.h"
#include "core/config.h"
#include "core/out.h"
#include "l2tpd.h"

int cmd_cfg_fail(struct cmd_ctx *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->err, x->errsz, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void *cmd_field_ptr(const struct cmd_field *f, const struct l2tpd_config *cfg,
			   const struct vpdn_group *g, const struct config_vtemplate *vt,
			   const void *obj)
{
	const void *base;

	switch (f->obj) {
	case OBJ_GLOBAL: base = cfg; break;
	case OBJ_GROUP: base = g; break;
	case OBJ_VTEMPLATE: base = vt; break;
	case OBJ_BBA:
	case OBJ_ACCESS_IF: base = obj; break;
	default: base = NULL; break;
	}
	if (!base)
		return NULL;
	return (char *)(uintptr_t)base + f->off;
}

static long cmd_field_get(const struct cmd_field *f, const void *p)
{
	switch (f->type) {
	case FT_UINT: return (long)*(const unsigned *)p;
	case FT_INT:
	case FT_BOOL: return *(const int *)p;
	case FT_U16: return *(const uint16_t *)p;
	case FT_IP: return ((const struct in_addr *)p)->s_addr != 0;
	case FT_STR: return ((const char *)p)[0] != '\0';
	default: return 0;
	}
}

static void cmd_field_set_num(const struct cmd_field *f, void *p, long v)
{
	switch (f->type) {
	case FT_UINT: *(unsigned *)p = (unsigned)v; break;
	case FT_INT:
	case FT_BOOL: *(int *)p = (int)v; break;
	case FT_U16: *(uint16_t *)p = (uint16_t)v; break;
	default: break;
	}
}

int cmd_set_str(struct cmd_ctx *x, const struct cmd_entry *e, char *dst, size_t size,
		const char *v)
{
	char name[128];

	if (strlen(v) >= size) {
		cmd_pat_name(e->pattern, name, sizeof name);
		return cmd_cfg_fail(x, "%s: '%.20s...' is too long (at most %zu characters)",
				    name, v, size - 1);
	}
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* Set a field from the command's one argument; `no` restores the default. */
int cmd_set_field(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	const struct cmd_field *f = &e->f;
	void *p = cmd_field_ptr(f, x->cc->cfg, x->cc->grp, x->cc->vt, x->cc->obj);

	if (!p)
		return cmd_cfg_fail(x, "no %s is open",
				    f->obj == OBJ_VTEMPLATE ? "interface" : "vpdn-group");
	switch (f->type) {
	case FT_BOOL:
		*(int *)p = !a->neg;
		return 0;
	case FT_STR:
		if (a->neg) {
			((char *)p)[0] = '\0';
			return 0;
		}
		return cmd_set_str(x, e, p, f->size, a->var[0]);
	case FT_IP:
		if (a->neg)
			memset(p, 0, sizeof(struct in_addr));
		else
			*(struct in_addr *)p = a->ip[0];
		return 0;
	default:
		cmd_field_set_num(f, p, a->neg ? f->def : (long)a->num[0]);
		return 0;
	}
}

void cmd_pr_line(struct cmd_pr *p, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	out_text(p->o, "%*s%s\n", p->indent, "", line);
}

/*
 * Print a pattern with its arguments filled in: variables take vals[] in
 * order; an optional group is printed when its first variable has a value.
 */
void cmd_pr_pattern(struct cmd_pr *p, const char *pattern, int neg, const char *const *vals,
		    int nvals)
{
	struct cmd_pat pat;
	char line[512];
	size_t len = 0;
	int vi = 0, first = 1;

	cmd_pat_parse(pattern, &pat);
	line[0] = '\0';
	if (neg) {
		len += (size_t)snprintf(line + len, sizeof line - len, "no");
		first = 0;
	}
	for (int i = 0; i < pat.n && len < sizeof line; i++) {
		const struct cmd_tok *t = &pat.t[i];

		if (t->opt_start) {
			/* skip the group when its variable has no value */
			int j = i, hasval = 0, k = vi;

			for (; j < pat.n; j++) {
				if (pat.t[j].kind != TOK_LIT) {
					hasval = k < nvals && vals[k];
					break;
				}
				if (pat.t[j].opt_end)
					break;
			}
			if (!hasval) {
				while (i < pat.n && !pat.t[i].opt_end) {
					if (pat.t[i].kind != TOK_LIT)
						vi++;
					i++;
				}
				if (i < pat.n && pat.t[i].kind != TOK_LIT)
					vi++;
				continue;
			}
		}
		if (t->kind == TOK_LIT)
			len += (size_t)snprintf(line + len, sizeof line - len, "%s%.*s",
						first ? "" : " ", (int)t->len, t->s);
		else
			len += (size_t)snprintf(line + len, sizeof line - len, "%s%s",
						first ? "" : " ",
						vi < nvals && vals[vi] ? vals[vi] : "");
		first = 0;
		if (t->kind != TOK_LIT)
			vi++;
	}
	cmd_pr_line(p, "%s", line);
}

/* Print a field's command when its value is not the default. */
void cmd_print_field(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct cmd_field *f = &e->f;
	const void *v = cmd_field_ptr(f, p->cfg, p->g, p->vt, p->obj);
	char num[32], ip[INET_ADDRSTRLEN];
	const char *val = NULL;

	if (!v)
		return;
	switch (f->type) {
	case FT_BOOL:
		if (cmd_field_get(f, v) != f->def)
			cmd_pr_pattern(p, e->pattern, !cmd_field_get(f, v), NULL, 0);
		return;
	case FT_STR:
		val = v;
		if (!val[0])
			return;
		break;
	case FT_IP:
		if (!cmd_field_get(f, v))
			return;
		inet_ntop(AF_INET, v, ip, sizeof ip);
		val = ip;
		break;
	default:
		if (cmd_field_get(f, v) == f->def)
			return;
		snprintf(num, sizeof num, "%ld", cmd_field_get(f, v));
		val = num;
		break;
	}
	cmd_pr_pattern(p, e->pattern, 0, &val, 1);
}

void cmd_print_mode(enum cmd_mode mode, struct cmd_pr *p)
{
	CMD_FOREACH(t, e)
		if ((e->modes & M(mode)) && e->print)
			e->print(e, p);
}

void cmd_running_config(const struct l2tpd_config *cfg, struct out *o)
{
	struct cmd_pr p = { .cfg = cfg, .o = o, .indent = 0 };
	struct out text;
	char *line, *next;

	if (!o->json) {
		cmd_print_mode(CMD_MODE_CONFIG, &p);
		return;
	}
	/* JSON: the same text, one string per line */
	out_init(&text, 0);
	p.o = &text;
	cmd_print_mode(CMD_MODE_CONFIG, &p);
	if (text.err) {
		o->err = text.err;
		out_free(&text);
		return;
	}
	int root = o->depth == 0;

	if (root)
		out_obj_open(o, NULL);
	out_arr_open(o, "running_config");
	for (line = text.buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		out_str(o, NULL, NULL, line);
		if (!next)
			break;
	}
	out_arr_close(o);
	if (root)
		out_obj_close(o);
	out_free(&text);
}

static int cmd_show_running(struct cmd_ctx *x, const struct cmd_entry *e,
			    const struct cmd_args *a)
{
	cmd_running_config(&x->d->cfg, x->o);
	return 0;
}

static const struct cmd_entry cmd_running_entries[] = {
	{ M(CMD_MODE_EXEC), "show running-config", cmd_show_running, NULL, { 0 },
	  "the live configuration, in configuration file syntax" },
};

const struct cmd_table cmd_running_table = CMD_TABLE("running-config", cmd_running_entries);
