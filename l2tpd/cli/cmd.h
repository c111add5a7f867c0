/*
 * The command engine: one grammar for the configuration file and for the
 * EXEC commands arriving on the control socket (show, clear, debug, test).
 * `show running-config` is printed from the live configuration by the same
 * tables, so what the parser accepts and what it prints cannot drift apart.
 * The tables are the topic files' (cmd_engine.h, cmd_topics.c).
 */
#ifndef L2TP_CMD_H
#define L2TP_CMD_H

#include <stddef.h>
#include <stdio.h>

struct l2tpd;
struct l2tpd_config;
struct out;

/* Run one EXEC command line; output (or "% error") goes to o.  0 or -errno. */
int cmd_exec(struct l2tpd *d, const char *line, struct out *o);
/* The same for a client that is (privileged 1) or is not (0) root or the
 * daemon's own user: commands marked CMD_ROOT are refused to the others
 * with -EPERM.  cmd_exec() is cmd_exec_as(..., 1). */
int cmd_exec_as(struct l2tpd *d, const char *line, struct out *o, int privileged);
/* The same with the client's user ID (SO_PEERCRED) for the audit log of
 * configuration changes; -1: not known (cmd_exec_as). */
int cmd_exec_cred(struct l2tpd *d, const char *line, struct out *o, int privileged, long uid);

/* Is the line the EXEC command `pattern` (keywords only: "configure
 * terminal"), its keywords abbreviated or not (`conf t`)?  1 or 0. */
int cmd_exec_is(const char *line, const char *pattern);

/* Every visible EXEC command, optional groups expanded, one per line
 * (cli/cmd_list.c: `l2tpd -L`, for the shell completion of l2tpctl). */
void cmd_list_exec(FILE *f);

/* Print the running configuration through the command table. */
void cmd_running_config(const struct l2tpd_config *cfg, struct out *o);

/*
 * The modes of the configuration file (for its reader).  A mode-entering
 * command (`vpdn-group`, `accept-dialin`, `request-dialin`, `redundancy`,
 * `interface Virtual-Template`, `aaa server radius dynamic-author`,
 * `bba-group pppoe`, `interface IF`) opens
 * the next mode; its lines are indented deeper.
 */
enum cmd_mode {
	CMD_MODE_NONE = 0,
	CMD_MODE_EXEC,			/* control socket: show, clear, debug, test */
	CMD_MODE_CONFIG,		/* top level of the configuration */
	CMD_MODE_VPDN_GROUP,		/* vpdn-group NAME */
	CMD_MODE_ACCEPT_DIALIN,		/* vpdn-group > accept-dialin */
	CMD_MODE_REQUEST_DIALIN,	/* vpdn-group > request-dialin */
	CMD_MODE_REDUNDANCY,		/* redundancy (the HA pair, no group) */
	CMD_MODE_DYNAUTH,		/* aaa server radius dynamic-author (RFC 5176) */
	CMD_MODE_VTEMPLATE,		/* interface Virtual-Template N */
	CMD_MODE_BBA_GROUP,		/* bba-group pppoe NAME */
	CMD_MODE_ACCESS_IF,		/* interface IF (an access interface) */
	CMD_MODE_COUNT
};

struct vpdn_group;
struct config_vtemplate;

/* One configuration line as the file's reader hands it to the engine. */
struct cmd_cfg_ctx {
	struct l2tpd_config *cfg;
	enum cmd_mode mode;		/* in: the mode the line is in */
	struct vpdn_group *grp;		/* in: the group of a group mode */
	struct config_vtemplate *vt;	/* in: the template of the interface mode */
	enum cmd_mode entered;		/* out: mode the command opened, or NONE */
	struct vpdn_group *entered_grp;	/* out: the group of that mode */
	struct config_vtemplate *entered_vt;	/* out: the template of that mode */
	void *obj;			/* in: the bba-group or access interface of its mode */
	void *entered_obj;		/* out: the same of the mode opened */
	int exit;			/* out: the command was `exit` */
};

#define CMD_MAX_WORDS	32
#define CMD_LINE_MAX	4096

/*
 * Split a line in place into words separated by blanks.  Returns the
 * number of words, -E2BIG for more than max, -EILSEQ for a control
 * character.
 */
int cmd_split(char *line, char **words, int max);
/* Run one configuration line (keywords may be abbreviated as in IOS).  0,
 * or -EINVAL with the reason in err (-ENOTUNIQ: an abbreviation that
 * starts several keywords, err "Ambiguous command: ..."). */
int cmd_config_line(struct cmd_cfg_ctx *c, char **words, int n, char *err, size_t errsz);
const char *cmd_mode_name(enum cmd_mode m);

#endif
