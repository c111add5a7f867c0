/*
 * IPv6 for LNS sessions: `ipv6 local pool`, the Virtual-Template's router
 * advertisements (`peer default ipv6 pool`, `ipv6 nd ...`) and DHCPv6
 * server (`ipv6 dhcp server ...`), and `show ipv6 local pool`.  The
 * template's references are checked at the end of the file
 * (cli/config_load.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_engine.h"
#include "cli/cmd_topics.h"
#include "core/config.h"
#include "core/out.h"
#include "ipv6/pool.h"
#include "l2tpd.h"

/* Does pool a overlap pool b? */
static int cmd_ipv6_overlap(const struct config_pool6 *a, const uint8_t *prefix, unsigned len)
{
	unsigned l = a->len < len ? a->len : len;

	return ipv6_prefix_match(a->prefix, prefix, l);
}

static int cmd_ipv6_pool_check(struct cmd_ctx *x, const char *name, const uint8_t *prefix,
			       int len, unsigned long assign)
{
	uint8_t masked[16];

	memcpy(masked, prefix, 16);
	for (int b = len; b < 128; b++)
		masked[b / 8] &= (uint8_t)~(0x80 >> (b % 8));
	if (memcmp(masked, prefix, 16) != 0)
		return cmd_cfg_fail(x, "ipv6 local pool %s: the prefix has bits set past its "
				    "length /%d", name, len);
	if (assign < (unsigned long)len)
		return cmd_cfg_fail(x, "ipv6 local pool %s: assigned length /%lu is shorter "
				    "than the pool's /%d", name, assign, len);
	if (assign - (unsigned long)len > CONFIG_POOL6_MAX_BITS)
		return cmd_cfg_fail(x, "ipv6 local pool %s: /%d cut into /%lu holds 2^%lu "
				    "prefixes (at most 2^%d)", name, len, assign,
				    assign - (unsigned long)len, CONFIG_POOL6_MAX_BITS);
	return 0;
}

static int cmd_ipv6_pool(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct l2tpd_config *cfg = x->cc->cfg;
	struct config_pool6 *cp, *o;
	uint8_t prefix[16];
	int len;

	if (!a->var[0])
		return cmd_cfg_fail(x, "no ipv6 local pool: missing argument WORD (the pool name)");
	cp = config_pool6_find(cfg, a->var[0]);
	if (a->neg) {
		if (!cp)
			return cmd_cfg_fail(x, "no ipv6 local pool: no pool named '%s'", a->var[0]);
		TAILQ_REMOVE(&cfg->pools6, cp, link);
		free(cp);
		return 0;
	}
	if (strlen(a->var[0]) >= sizeof cp->name)
		return cmd_cfg_fail(x, "ipv6 local pool: name '%.20s...' is too long (at most %zu "
				    "characters)", a->var[0], sizeof cp->name - 1);
	if (cmd_parse_ip6(a->var[1], prefix, &len) || len < 0)
		return cmd_cfg_fail(x, "ipv6 local pool %s: '%s' is not a prefix", a->var[0],
				    a->var[1]);
	if (cmd_ipv6_pool_check(x, a->var[0], prefix, len, a->num[2]))
		return -EINVAL;
	TAILQ_FOREACH(o, &cfg->pools6, link) {
		char op[64];

		if (o == cp || !cmd_ipv6_overlap(o, prefix, (unsigned)len))
			continue;
		ipv6_prefix_format(o->prefix, o->len, op, sizeof op);
		return cmd_cfg_fail(x, "ipv6 local pool %s: overlaps pool %s (%s); a prefix would "
				    "be given twice", a->var[0], o->name, op);
	}
	if (!cp) {
		cp = calloc(1, sizeof *cp);
		if (!cp)
			return cmd_cfg_fail(x, "ipv6 local pool: out of memory");
		memcpy(cp->name, a->var[0], strlen(a->var[0]) + 1);
		TAILQ_INSERT_TAIL(&cfg->pools6, cp, link);
	}
	memcpy(cp->prefix, prefix, 16);
	cp->len = (uint8_t)len;
	cp->assign = (uint8_t)a->num[2];
	return 0;
}

static void cmd_ipv6_print_pool(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_pool6 *cp;

	TAILQ_FOREACH(cp, &p->cfg->pools6, link) {
		char pf[64], as[8];
		const char *vals[3] = { cp->name, pf, as };

		ipv6_prefix_format(cp->prefix, cp->len, pf, sizeof pf);
		snprintf(as, sizeof as, "%u", cp->assign);
		cmd_pr_pattern(p, e->pattern, 0, vals, 3);
	}
}

static int cmd_ipv6_pd(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct config_vtemplate *vt = x->cc->vt;

	if (a->neg) {
		vt->pd_pool[0] = '\0';
		vt->pd_valid = CONFIG_DEF_PD_VALID;
		vt->pd_preferred = CONFIG_DEF_PD_PREFERRED;
		return 0;
	}
	if (a->var[1] && a->num[2] > a->num[1])
		return cmd_cfg_fail(x, "ipv6 dhcp server prefix-delegation: the preferred "
				    "lifetime %lu is above the valid lifetime %lu (RFC 8415 "
				    "§21.22)", a->num[2], a->num[1]);
	if (cmd_set_str(x, e, vt->pd_pool, sizeof vt->pd_pool, a->var[0]))
		return -EINVAL;
	vt->pd_valid = a->var[1] ? (unsigned)a->num[1] : CONFIG_DEF_PD_VALID;
	vt->pd_preferred = a->var[1] ? (unsigned)a->num[2] : CONFIG_DEF_PD_PREFERRED;
	return 0;
}

static void cmd_ipv6_print_pd(const struct cmd_entry *e, struct cmd_pr *p)
{
	char v[16], pr[16];
	const char *vals[3] = { NULL, NULL, NULL };

	if (!p->vt || !p->vt->pd_pool[0])
		return;
	vals[0] = p->vt->pd_pool;
	if (p->vt->pd_valid != CONFIG_DEF_PD_VALID ||
	    p->vt->pd_preferred != CONFIG_DEF_PD_PREFERRED) {
		snprintf(v, sizeof v, "%u", p->vt->pd_valid);
		snprintf(pr, sizeof pr, "%u", p->vt->pd_preferred);
		vals[1] = v;
		vals[2] = pr;
	}
	cmd_pr_pattern(p, e->pattern, 0, vals, 3);
}

static int cmd_ipv6_dns(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct config_vtemplate *vt = x->cc->vt;
	uint8_t d[2][16];
	int plen;

	memset(d, 0, sizeof d);
	if (!a->neg) {
		for (int i = 0; i < 2; i++) {
			if (!a->var[i])
				continue;
			if (cmd_parse_ip6(a->var[i], d[i], &plen) || plen >= 0 ||
			    ipv6_is_unspecified(d[i]) || d[i][0] == 0xff)
				return cmd_cfg_fail(x, "ipv6 dhcp server dns-server: %s is not a "
						    "usable server address", a->var[i]);
		}
	}
	memcpy(vt->dns6, d, sizeof d);
	return 0;
}

static void cmd_ipv6_print_dns(const struct cmd_entry *e, struct cmd_pr *p)
{
	char d0[INET6_ADDRSTRLEN], d1[INET6_ADDRSTRLEN];
	const char *vals[2] = { d0, NULL };

	if (!p->vt || ipv6_is_unspecified(p->vt->dns6[0]))
		return;
	inet_ntop(AF_INET6, p->vt->dns6[0], d0, sizeof d0);
	if (!ipv6_is_unspecified(p->vt->dns6[1])) {
		inet_ntop(AF_INET6, p->vt->dns6[1], d1, sizeof d1);
		vals[1] = d1;
	}
	cmd_pr_pattern(p, e->pattern, 0, vals, 2);
}

static int cmd_ipv6_show_pool(struct cmd_ctx *x, const struct cmd_entry *e,
			      const struct cmd_args *a)
{
	struct l2tpd *d = x->d;
	struct out *o = x->o;
	const struct config_pool6 *cp;
	const char *only = a->var[0];

	if (only && !config_pool6_find(&d->cfg, only)) {
		out_error(o, "No such pool %s", only);
		return -ENOENT;
	}
	out_text(o, "Pool             Prefix                     Assign  Size     In use   "
		 "Free     Exhausted\n");
	out_arr_open(o, "pools");
	TAILQ_FOREACH(cp, &d->cfg.pools6, link) {
		const struct ipv6_pool *pp = ipv6_pool_find(d->pools6, cp->name);
		char pf[64];

		if (only && strcmp(cp->name, only) != 0)
			continue;
		if (!pp) {
			out_error(o, "pool %s is configured but was not built", cp->name);
			return -ENOENT;
		}
		ipv6_prefix_format(cp->prefix, cp->len, pf, sizeof pf);
		out_obj_open(o, NULL);
		out_str(o, "name", "%-16.16s ", cp->name);
		out_str(o, "prefix", "%-26s ", pf);
		out_uint(o, "assign_length", "/%-6u ", cp->assign);
		out_uint(o, "size", "%-8u ", pp->size);
		out_uint(o, "in_use", "%-8u ", pp->in_use);
		out_uint(o, "free", "%-8u ", pp->size - pp->in_use);
		out_uint(o, "exhausted", "%u\n", pp->exhausted);
		out_obj_close(o);
	}
	out_arr_close(o);
	return 0;
}

static const struct cmd_entry cmd_ipv6_entries[] = {
	{ M(CMD_MODE_CONFIG), "[no] ipv6 local pool WORD X:X::X/M <1-128>", cmd_ipv6_pool,
	  cmd_ipv6_print_pool, { 0 },
	  "IPv6 prefixes given to subscribers: PREFIX/LEN cut into prefixes of the last "
	  "length (64 for a link, 56 to delegate; at most 2^20); `no` deletes it" },
	{ M(CMD_MODE_VTEMPLATE), "[no] peer default ipv6 pool WORD", cmd_set_field,
	  cmd_print_field, TFIELD(FT_STR, pool6, 0),
	  "the ipv6 local pool (of /64s) each link's advertised prefix comes from" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ipv6 nd ra interval <4-1800>", cmd_set_field,
	  cmd_print_field, TFIELD(FT_UINT, ra_interval, CONFIG_DEF_RA_INTERVAL),
	  "seconds between unsolicited router advertisements (default 200)" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ipv6 nd ra lifetime <0-9000>", cmd_set_field,
	  cmd_print_field, TFIELD(FT_UINT, ra_lifetime, CONFIG_DEF_RA_LIFETIME),
	  "router lifetime advertised, s (default 1800; 0: not a default router)" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ipv6 nd managed-config-flag", cmd_set_field,
	  cmd_print_field, TFIELD(FT_BOOL, nd_managed, 0),
	  "advertise M: addresses by DHCPv6" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ipv6 nd other-config-flag", cmd_set_field,
	  cmd_print_field, TFIELD(FT_BOOL, nd_other, 0),
	  "advertise O: other configuration (DNS) by DHCPv6" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ipv6 dhcp server prefix-delegation pool WORD "
	  "[lifetime <60-4294967> <60-4294967>]", cmd_ipv6_pd, cmd_ipv6_print_pd, { 0 },
	  "delegate a prefix from this ipv6 local pool by DHCPv6; valid and preferred "
	  "lifetimes, s (default 86400 14400)" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ipv6 dhcp server address pool WORD", cmd_set_field,
	  cmd_print_field, TFIELD(FT_STR, na_pool, 0),
	  "give an address (IA_NA) from this ipv6 local pool of /128s by DHCPv6, with the "
	  "prefix-delegation lifetimes" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ipv6 dhcp server dns-server X:X::X [X:X::X]",
	  cmd_ipv6_dns, cmd_ipv6_print_dns, { 0 },
	  "DNS servers given by DHCPv6 (RFC 3646) and in router advertisements (RFC 8106)" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ipv6 dhcp server rapid-commit", cmd_set_field,
	  cmd_print_field, TFIELD(FT_BOOL, rapid_commit, 0),
	  "answer a Solicit with Rapid Commit by a Reply at once (RFC 8415, 18.3.1)" },
	{ M(CMD_MODE_EXEC), "show ipv6 local pool [WORD]", cmd_ipv6_show_pool, NULL, { 0 },
	  "IPv6 prefix pools: prefix, assigned length, prefixes in use" },
};

const struct cmd_table cmd_ipv6_table = CMD_TABLE("ipv6", cmd_ipv6_entries);
