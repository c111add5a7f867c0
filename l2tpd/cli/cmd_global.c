/*
 * The daemon as a whole: hostname, the local users, `vpdn enable`, the
 * address and port it listens on, `l2tp sso enable`, the size of the
 * failure history.  Configuration only; each value is a field of struct
 * l2tpd_config (core/config.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cmd_engine.h"
#include "cli/cmd_topics.h"
#include "core/config.h"

static int cmd_global_hostname(struct cmd_ctx *x, const struct cmd_entry *e,
			       const struct cmd_args *a)
{
	struct l2tpd_config *cfg = x->cc->cfg;

	if (a->neg) {
		config_default_hostname(cfg->hostname, sizeof cfg->hostname);
		return 0;
	}
	return cmd_set_str(x, e, cfg->hostname, sizeof cfg->hostname, a->var[0]);
}

static void cmd_global_print_hostname(const struct cmd_entry *e, struct cmd_pr *p)
{
	const char *v = p->cfg->hostname;

	if (v[0])
		cmd_pr_pattern(p, e->pattern, 0, &v, 1);
}

static int cmd_global_username(struct cmd_ctx *x, const struct cmd_entry *e,
			       const struct cmd_args *a)
{
	struct l2tpd_config *cfg = x->cc->cfg;
	struct config_user *u;

	if (!a->var[0])
		return cmd_cfg_fail(x, "no username: missing argument WORD (the user name)");
	u = config_user_find(cfg, a->var[0]);
	if (a->neg) {
		if (!u)
			return cmd_cfg_fail(x, "no username: no user named '%s'", a->var[0]);
		TAILQ_REMOVE(&cfg->users, u, link);
		memset(u->password, 0, sizeof u->password);
		free(u);
		return 0;
	}
	if (strlen(a->var[0]) >= sizeof u->name)
		return cmd_cfg_fail(x, "username: name '%.20s...' is too long (at most %zu "
				    "characters)", a->var[0], sizeof u->name - 1);
	if (strlen(a->var[1]) >= sizeof u->password)
		return cmd_cfg_fail(x, "username %s password: '%.20s...' is too long (at most %zu "
				    "characters)", a->var[0], a->var[1], sizeof u->password - 1);
	if (!u) {
		u = calloc(1, sizeof *u);
		if (!u)
			return cmd_cfg_fail(x, "username: out of memory");
		memcpy(u->name, a->var[0], strlen(a->var[0]) + 1);
		TAILQ_INSERT_TAIL(&cfg->users, u, link);
	}
	/* naming a user again replaces the password */
	memcpy(u->password, a->var[1], strlen(a->var[1]) + 1);
	return 0;
}

/* Passwords are printed as written (IOS would show them encrypted). */
static void cmd_global_print_username(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_user *u;

	TAILQ_FOREACH(u, &p->cfg->users, link) {
		const char *vals[2] = { u->name, u->password };

		cmd_pr_pattern(p, e->pattern, 0, vals, 2);
	}
}

/*
 * `vpdn search-order domain`: which key of a PPPoE subscriber finds its
 * request-dialin vpdn-group (pppoe/lac.c).  IOS also searches by DNIS and
 * by the multihop hostname; a PPPoE call has no Called Number and no
 * multihop is built, so those are refused rather than ignored.
 */
static int cmd_global_search_order(struct cmd_ctx *x, const struct cmd_entry *e,
				   const struct cmd_args *a)
{
	struct l2tpd_config *cfg = x->cc->cfg;
	int i, domain = 0;

	if (a->neg) {
		cfg->search_order_domain = 0;
		return 0;
	}
	for (i = 0; i < a->nvar; i++) {
		if (!a->var[i])
			continue;
		if (strcasecmp(a->var[i], "domain") == 0 && !domain) {
			domain = 1;
		} else if (strcasecmp(a->var[i], "domain") == 0) {
			return cmd_cfg_fail(x, "vpdn search-order: domain is given twice");
		} else if (strcasecmp(a->var[i], "dnis") == 0) {
			return cmd_cfg_fail(x, "vpdn search-order: dnis is not supported: PPPoE "
					    "calls carry no DNIS (Called Number); the domain is the "
					    "only key (vpdn search-order domain)");
		} else if (strcasecmp(a->var[i], "multihop-hostname") == 0) {
			return cmd_cfg_fail(x, "vpdn search-order: multihop-hostname is not "
					    "supported: multihop is not built; the domain is the only "
					    "key (vpdn search-order domain)");
		} else {
			return cmd_cfg_fail(x, "vpdn search-order: '%s' is not a key (domain; IOS's "
					    "dnis and multihop-hostname are not supported)",
					    a->var[i]);
		}
	}
	cfg->search_order_domain = domain;
	return 0;
}

static void cmd_global_print_search_order(const struct cmd_entry *e, struct cmd_pr *p)
{
	if (p->cfg->search_order_domain)
		cmd_pr_line(p, "vpdn search-order domain");
}

static const struct cmd_entry cmd_global_entries[] = {
	{ M(CMD_MODE_CONFIG), "[no] hostname WORD", cmd_global_hostname,
	  cmd_global_print_hostname, { 0 },
	  "name sent in the Host Name AVP (default: the system's)" },
	{ M(CMD_MODE_CONFIG), "[no] username WORD password WORD", cmd_global_username,
	  cmd_global_print_username, { 0 },
	  "a PPP user and its password (PAP, CHAP, MS-CHAPv2); `no` deletes it" },
	{ M(CMD_MODE_CONFIG), "[no] vpdn enable", cmd_set_field, cmd_print_field,
	  GFIELD(FT_BOOL, vpdn_enabled, 0), "accept and place tunnels" },
	{ M(CMD_MODE_CONFIG), "[no] vpdn softshut", cmd_set_field, cmd_print_field,
	  GFIELD(FT_BOOL, softshut, 0), "soft shutdown: refuse new tunnels (StopCCN 6) and "
	  "sessions (CDN 4), each with a failure record; the established ones go on" },
	{ M(CMD_MODE_CONFIG), "[no] vpdn search-order WORD [WORD] [WORD]",
	  cmd_global_search_order, cmd_global_print_search_order, { 0 },
	  "the keys finding a PPPoE subscriber's vpdn-group: domain (the default; dnis "
	  "and multihop-hostname are refused)" },
	{ M(CMD_MODE_CONFIG), "[no] vpdn source-ip A.B.C.D", cmd_set_field, cmd_print_field,
	  GFIELD(FT_IP, source_ip, 0), "local address to listen on and send from (default any)" },
	{ M(CMD_MODE_CONFIG), "[no] l2tp port <1-65535>", cmd_set_field, cmd_print_field,
	  GFIELD(FT_U16, port, CONFIG_DEF_L2TP_PORT), "UDP port to listen on (default 1701)" },
	{ M(CMD_MODE_CONFIG), "[no] l2tp sso enable", cmd_set_field, cmd_print_field,
	  GFIELD(FT_BOOL, sso, 1), "checkpoint tunnels and sessions to the standby "
	  "(default on; needs a redundancy block)" },
	{ M(CMD_MODE_CONFIG), "[no] vpdn history failure table-size <1-100000>", cmd_set_field,
	  cmd_print_field, GFIELD(FT_UINT, history_size, CONFIG_DEF_HISTORY),
	  "failure records kept for `show vpdn history failure` (default 500)" },
};

const struct cmd_table cmd_global_table = CMD_TABLE("global", cmd_global_entries);
