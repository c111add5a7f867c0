/*
 * The command engine as the topic files see it (FRR's lib/command.h to
 * each daemon's *_vty.c): what an entry of a table is, what a handler gets,
 * and the engine's helpers for handlers and running-config printers.
 *
 * The engine (cli/cmd.c, cli/cmd_pat.c, cli/cmd_field.c) holds no topic's
 * command.  Each topic file in cli/ (cmd_l2tp.c, cmd_vpdn.c, cmd_ppp.c, ...)
 * declares one table: its configuration commands with the printers of
 * their `show running-config` lines, and its EXEC commands with their
 * show code, calling the rooms' APIs.  cli/cmd_topics.c lists the tables
 * in the order the engine walks them.
 *
 * Pattern tokens:
 *	word		a keyword (matched without regard to case)
 *	WORD		any word (a name, a password)
 *	<lo-hi>		a decimal number in lo..hi
 *	A.B.C.D		an IPv4 address
 *	{a|b|c}		one of the keywords
 *	[x y]		an optional group, taken when its first token matches;
 *			its arguments keep their positions when it is left out
 *	[no]		first token only: the command has a `no` form; in it,
 *			trailing arguments may be left out, and so may anything
 *			after the first argument (`no username NAME`)
 */
#ifndef L2TP_CMD_ENGINE_H
#define L2TP_CMD_ENGINE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/cmd.h"

struct l2tpd;
struct out;

#define CMD_MAX_TOK	24

/* In an entry's modes: the bit of a mode. */
#define M(mode)		(1u << (mode))
/* In modes: a command left out of `help` and of the "expected" lists. */
#define CMD_HIDDEN	(1u << 31)
/* In modes: an EXEC command only root (or the daemon's own user) may run
 * on the control socket; the group's operators are refused (cli/ctl.c
 * reads the peer's credentials).  For what runs another binary or stops
 * the daemon's loop. */
#define CMD_ROOT	(1u << 30)
/* The three modes of a vpdn-group. */
#define CMD_GROUP_MODES	(M(CMD_MODE_VPDN_GROUP) | M(CMD_MODE_ACCEPT_DIALIN) | \
			 M(CMD_MODE_REQUEST_DIALIN))

/* The words a pattern matched, for the handler. */
struct cmd_args {
	int neg;				/* `no ...` */
	int nvar;
	const char *var[CMD_MAX_TOK];		/* variables in pattern order, NULL if absent */
	unsigned long num[CMD_MAX_TOK];		/* <lo-hi> values */
	struct in_addr ip[CMD_MAX_TOK];		/* A.B.C.D values */
	const char *lit[CMD_MAX_TOK];		/* keywords matched, for cmd_has() */
	int nlit;
};

/* Where a configuration value lives, its type and its default: one line of
 * a table both sets it (cmd_set_field) and prints it (cmd_print_field). */
enum cmd_obj { OBJ_NONE = 0, OBJ_GLOBAL, OBJ_GROUP, OBJ_VTEMPLATE, OBJ_BBA, OBJ_ACCESS_IF };
enum cmd_ftype { FT_NONE = 0, FT_UINT, FT_INT, FT_U16, FT_STR, FT_BOOL, FT_IP };

struct cmd_field {
	enum cmd_obj obj;
	enum cmd_ftype type;
	size_t off, size;
	long def;
	long arg;		/* entries with handlers of their own: which of the
				 * entries sharing the handler this is */
};

#define FIELD(o, t, type_, member, d) \
	{ .obj = (o), .type = (type_), .off = offsetof(t, member), \
	  .size = sizeof(((t *)0)->member), .def = (d) }
#define GFIELD(type_, member, d)	FIELD(OBJ_GLOBAL, struct l2tpd_config, type_, member, d)
#define VFIELD(type_, member, d)	FIELD(OBJ_GROUP, struct vpdn_group, type_, member, d)
#define TFIELD(type_, member, d)	FIELD(OBJ_VTEMPLATE, struct config_vtemplate, type_, member, d)
#define BFIELD(type_, member, d)	FIELD(OBJ_BBA, struct config_bba_group, type_, member, d)
#define IFIELD(type_, member, d)	FIELD(OBJ_ACCESS_IF, struct config_access_if, type_, member, d)

/* What a handler runs in: EXEC (d, o) or a configuration line (cc). */
struct cmd_ctx {
	struct l2tpd *d;		/* EXEC */
	struct out *o;			/* EXEC */
	struct cmd_cfg_ctx *cc;		/* configuration */
	char *err;			/* configuration: the reason for a refusal */
	size_t errsz;
};

/* What a running-config printer prints from, at which indentation. */
struct cmd_pr {
	const struct l2tpd_config *cfg;
	const struct vpdn_group *g;
	const struct config_vtemplate *vt;
	const void *obj;		/* the bba-group or access interface */
	struct out *o;
	int indent;
};

struct cmd_entry;
typedef int (*cmd_run_fn)(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a);
typedef void (*cmd_print_fn)(const struct cmd_entry *e, struct cmd_pr *p);

struct cmd_entry {
	unsigned modes;			/* M(CMD_MODE_...) bits, CMD_HIDDEN */
	const char *pattern;
	cmd_run_fn run;
	cmd_print_fn print;		/* configuration: its running-config lines */
	struct cmd_field f;		/* configuration: the value, for the generic handlers;
					 * or { .arg = N } for a handler of its own */
	const char *help;
};

/* A topic's commands.  Within a mode, table order is running-config order. */
struct cmd_table {
	const char *topic;
	const struct cmd_entry *entries;
	size_t n;
};

#define CMD_TABLE(topic_, entries_) \
	{ .topic = (topic_), .entries = (entries_), \
	  .n = sizeof(entries_) / sizeof((entries_)[0]) }

/* cli/cmd_topics.c: every table, in the order the engine walks them;
 * NULL-terminated. */
extern const struct cmd_table *const cmd_tables[];

/* Every entry e of every table tp, in the engine's order. */
#define CMD_FOREACH(tp, e) \
	for (const struct cmd_table *const *tp = cmd_tables; *tp; tp++) \
		for (const struct cmd_entry *e = (*tp)->entries; e < (*tp)->entries + (*tp)->n; e++)

/* ---- for handlers ---- */

/* A keyword the command matched (`detail`, `vpdn`). */
int cmd_has(const struct cmd_args *a, const char *kw);
/* Strict unsigned decimal: digits only, no sign, no overflow.  0 or -EINVAL. */
int cmd_parse_ulong(const char *w, unsigned long *v);
/* A configuration line refused: the reason in x->err; returns -EINVAL. */
int cmd_cfg_fail(struct cmd_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copy a string value, refused (with the command's name) when too long. */
int cmd_set_str(struct cmd_ctx *x, const struct cmd_entry *e, char *dst, size_t size,
		const char *v);
/* Milliseconds from `then` to now on the daemon's clock (0 if in the future). */
uint64_t cmd_since(const struct l2tpd *d, uint64_t then);

/* The generic handler and printer of an entry's field: `no` restores the
 * default; the line is printed when the value is not the default. */
int cmd_set_field(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a);
void cmd_print_field(const struct cmd_entry *e, struct cmd_pr *p);

/* ---- for running-config printers ---- */

void cmd_pr_line(struct cmd_pr *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A pattern with its arguments filled in: variables take vals[] in order;
 * an optional group is printed when its first variable has a value. */
void cmd_pr_pattern(struct cmd_pr *p, const char *pattern, int neg, const char *const *vals,
		    int nvals);
/* Every line of a mode (a sub-mode's block, printed by its opening command). */
void cmd_print_mode(enum cmd_mode mode, struct cmd_pr *p);

/* ---- inside the engine (cli/cmd_pat.c) ---- */

enum cmd_tok_kind { TOK_LIT, TOK_WORD, TOK_RANGE, TOK_IP, TOK_ALT };

struct cmd_tok {
	const char *s;			/* into the pattern, without brackets */
	size_t len;
	enum cmd_tok_kind kind;
	unsigned long lo, hi;		/* TOK_RANGE */
	int opt_start, opt_end;		/* first / last token of an [optional group] */
};

struct cmd_pat {
	int neg_ok;			/* pattern starts with [no] */
	int n;
	struct cmd_tok t[CMD_MAX_TOK];
};

#define CMD_MAX_EXPECT	16

enum cmd_fail_kind { FAIL_NONE, FAIL_WORD, FAIL_MISSING, FAIL_BAD };

/* Why words did not match a pattern. */
struct cmd_fail {
	int depth;			/* input words matched before the failure */
	enum cmd_fail_kind kind;
	char msg[160];			/* FAIL_BAD */
	int nexp;
	struct cmd_tok exp[CMD_MAX_EXPECT];	/* what would have fitted (copies) */
};

void cmd_pat_parse(const char *pattern, struct cmd_pat *p);
/* 1 on a full match (a filled), 0 otherwise with f telling how far it got. */
int cmd_pat_match(const struct cmd_pat *p, char **words, int n, struct cmd_args *a,
		  struct cmd_fail *f);
/* Add t to the tokens f expected (once). */
void cmd_fail_expect(struct cmd_fail *f, const struct cmd_tok *t);
/* The keywords of a pattern, up to its first argument: "l2tp tunnel password". */
void cmd_pat_name(const char *pattern, char *buf, size_t size);

#endif
