/*
 * PPP for LNS sessions: `interface Virtual-Template N` (our address, the
 * pool, authentication methods, DNS, MTU, keepalive, timeouts, IPv6CP),
 * `ip local pool`, and `show ip local pool`.  Templates and pools are
 * checked as a whole at the end of the file (cli/config_load.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cmd_engine.h"
#include "cli/cmd_pppoe.h"
#include "cli/cmd_topics.h"
#include "core/config.h"
#include "core/ippool.h"
#include "core/out.h"
#include "l2tpd.h"

static const char *const cmd_ppp_auth_names[CONFIG_AUTH_MAX + 1] = {
	[CONFIG_AUTH_PAP] = "pap",
	[CONFIG_AUTH_CHAP] = "chap",
	[CONFIG_AUTH_MSCHAPV2] = "ms-chap-v2",
};

static int cmd_ppp_pool(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct l2tpd_config *cfg = x->cc->cfg;
	struct config_pool *cp, *o;
	uint32_t first, last;

	if (!a->var[0])
		return cmd_cfg_fail(x, "no ip local pool: missing argument WORD (the pool name)");
	cp = config_pool_find(cfg, a->var[0]);
	if (a->neg) {
		if (!cp)
			return cmd_cfg_fail(x, "no ip local pool: no pool named '%s'", a->var[0]);
		TAILQ_REMOVE(&cfg->pools, cp, link);
		free(cp);
		return 0;
	}
	if (strlen(a->var[0]) >= sizeof cp->name)
		return cmd_cfg_fail(x, "ip local pool: name '%.20s...' is too long (at most %zu "
				    "characters)", a->var[0], sizeof cp->name - 1);
	first = ntohl(a->ip[1].s_addr);
	last = a->var[2] ? ntohl(a->ip[2].s_addr) : first;
	if (last < first)
		return cmd_cfg_fail(x, "ip local pool %s: the first address %s is above the last "
				    "%s", a->var[0], a->var[1], a->var[2]);
	if (last - first > 65535)
		return cmd_cfg_fail(x, "ip local pool %s: %s-%s holds %lu addresses (at most 65536)",
				    a->var[0], a->var[1], a->var[2],
				    (unsigned long)(last - first) + 1);
	if (first == 0 || last == 0xffffffffu)
		return cmd_cfg_fail(x, "ip local pool %s: %s cannot be given to a subscriber",
				    a->var[0], first == 0 ? "0.0.0.0" : "255.255.255.255");
	TAILQ_FOREACH(o, &cfg->pools, link) {
		char of[INET_ADDRSTRLEN], ol[INET_ADDRSTRLEN];

		if (o == cp || ntohl(o->last.s_addr) < first || ntohl(o->first.s_addr) > last)
			continue;
		inet_ntop(AF_INET, &o->first, of, sizeof of);
		inet_ntop(AF_INET, &o->last, ol, sizeof ol);
		return cmd_cfg_fail(x, "ip local pool %s: overlaps pool %s (%s-%s); an address "
				    "would be given twice", a->var[0], o->name, of, ol);
	}
	if (!cp) {
		cp = calloc(1, sizeof *cp);
		if (!cp)
			return cmd_cfg_fail(x, "ip local pool: out of memory");
		memcpy(cp->name, a->var[0], strlen(a->var[0]) + 1);
		TAILQ_INSERT_TAIL(&cfg->pools, cp, link);
	}
	/* naming a pool again replaces its range */
	cp->first.s_addr = htonl(first);
	cp->last.s_addr = htonl(last);
	return 0;
}

static void cmd_ppp_print_pool(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_pool *cp;

	TAILQ_FOREACH(cp, &p->cfg->pools, link) {
		char f[INET_ADDRSTRLEN], l[INET_ADDRSTRLEN];
		const char *vals[3] = { cp->name, f, NULL };

		inet_ntop(AF_INET, &cp->first, f, sizeof f);
		if (cp->last.s_addr != cp->first.s_addr) {
			inet_ntop(AF_INET, &cp->last, l, sizeof l);
			vals[2] = l;
		}
		cmd_pr_pattern(p, e->pattern, 0, vals, 3);
	}
}

static void cmd_ppp_vtemplate_defaults(struct config_vtemplate *vt)
{
	vt->local_addr.s_addr = 0;
	vt->pool[0] = '\0';
	vt->n_auth = 0;
	vt->mtu = CONFIG_DEF_MTU;
	vt->dns[0].s_addr = 0;
	vt->dns[1].s_addr = 0;
	vt->keepalive = CONFIG_DEF_KEEPALIVE;
	vt->keepalive_retries = CONFIG_DEF_KEEPALIVE_RETRIES;
	vt->ipv6 = 0;
	vt->ra_interval = CONFIG_DEF_RA_INTERVAL;
	vt->ra_lifetime = CONFIG_DEF_RA_LIFETIME;
	vt->pd_valid = CONFIG_DEF_PD_VALID;
	vt->pd_preferred = CONFIG_DEF_PD_PREFERRED;
	vt->idle_timeout = 0;
	vt->absolute_timeout = 0;
}

static int cmd_ppp_interface_num(struct cmd_ctx *x, int neg, unsigned long num)
{
	struct l2tpd_config *cfg = x->cc->cfg;
	struct config_vtemplate *vt = config_vtemplate_find(cfg, (int)num);

	if (neg) {
		if (!vt)
			return cmd_cfg_fail(x, "no interface Virtual-Template: Virtual-Template %lu "
					    "does not exist", num);
		TAILQ_REMOVE(&cfg->vtemplates, vt, link);
		free(vt);
		return 0;
	}
	if (vt) {
		/* edited in place; it goes last in the list, where a template
		 * edited again always went (the end-of-file checks report the
		 * templates in list order) */
		TAILQ_REMOVE(&cfg->vtemplates, vt, link);
	} else {
		vt = calloc(1, sizeof *vt);
		if (!vt)
			return cmd_cfg_fail(x, "interface Virtual-Template: out of memory");
		vt->num = (int)num;
		cmd_ppp_vtemplate_defaults(vt);
	}
	TAILQ_INSERT_TAIL(&cfg->vtemplates, vt, link);
	x->cc->entered = CMD_MODE_VTEMPLATE;
	x->cc->entered_grp = NULL;
	x->cc->entered_vt = vt;
	return 0;
}

static int cmd_ppp_interface(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	if (!a->var[0])
		return cmd_cfg_fail(x, "no interface Virtual-Template: missing argument <1-65535>");
	return cmd_ppp_interface_num(x, a->neg, a->num[0]);
}

/* `interface Virtual-Template1`, as IOS writes it. */
static int cmd_ppp_interface_joined(struct cmd_ctx *x, const struct cmd_entry *e,
				    const struct cmd_args *a)
{
	static const char vtpl[] = "Virtual-Template";
	const char *w = a->var[0];
	const char *no = a->neg ? "no " : "";
	unsigned long num;

	if (!w)
		return cmd_cfg_fail(x, "no interface: incomplete command (expected "
				    "Virtual-Template or an interface name)");
	if (strncasecmp(w, vtpl, sizeof vtpl - 1) != 0)
		return cmd_pppoe_interface(x, a->neg, w);	/* an access interface */
	w += sizeof vtpl - 1;
	if (!*w)
		return cmd_cfg_fail(x, "%sinterface Virtual-Template: missing argument "
				    "<1-65535>", no);
	if (cmd_parse_ulong(w, &num))
		return cmd_cfg_fail(x, "%sinterface Virtual-Template: '%.40s' is not a number "
				    "(expected <1-65535>)", no, w);
	if (num < 1 || num > 65535)
		return cmd_cfg_fail(x, "%sinterface Virtual-Template: %s is out of range "
				    "1-65535", no, w);
	return cmd_ppp_interface_num(x, a->neg, num);
}

static int cmd_ppp_vt_cmp(const void *a, const void *b)
{
	const struct config_vtemplate *va = *(const struct config_vtemplate *const *)a;
	const struct config_vtemplate *vb = *(const struct config_vtemplate *const *)b;

	return (va->num > vb->num) - (va->num < vb->num);
}

/* Templates in the order of their numbers, whatever order they were edited in. */
static void cmd_ppp_print_interface(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_vtemplate *vt, **sorted;
	size_t n = 0, i = 0;

	TAILQ_FOREACH(vt, &p->cfg->vtemplates, link)
		n += !vt->removed;
	if (!n)
		return;
	sorted = calloc(n, sizeof *sorted);
	if (!sorted) {
		p->o->err = -ENOMEM;
		return;
	}
	TAILQ_FOREACH(vt, &p->cfg->vtemplates, link)
		if (!vt->removed)
			sorted[i++] = vt;
	qsort(sorted, n, sizeof *sorted, cmd_ppp_vt_cmp);
	for (i = 0; i < n; i++) {
		struct cmd_pr sub = *p;
		char num[8];
		const char *v = num;

		snprintf(num, sizeof num, "%d", sorted[i]->num);
		cmd_pr_pattern(p, e->pattern, 0, &v, 1);
		sub.vt = sorted[i];
		sub.indent = p->indent + 1;
		cmd_print_mode(CMD_MODE_VTEMPLATE, &sub);
		cmd_pr_line(p, "!");
	}
	free(sorted);
}

static int cmd_ppp_ip_address(struct cmd_ctx *x, const struct cmd_entry *e,
			      const struct cmd_args *a)
{
	struct config_vtemplate *vt = x->cc->vt;

	if (a->neg) {
		vt->local_addr.s_addr = 0;
		return 0;
	}
	if (a->ip[0].s_addr == 0 || a->ip[0].s_addr == INADDR_BROADCAST)
		return cmd_cfg_fail(x, "ip address: %s is not a usable address", a->var[0]);
	if (a->ip[1].s_addr != INADDR_BROADCAST)
		return cmd_cfg_fail(x, "ip address: mask %s is not accepted, only 255.255.255.255 "
				    "(the address is the LNS's end of each PPP link, not a subnet)",
				    a->var[1]);
	vt->local_addr = a->ip[0];
	return 0;
}

static void cmd_ppp_print_ip_address(const struct cmd_entry *e, struct cmd_pr *p)
{
	char ip[INET_ADDRSTRLEN];
	const char *vals[2] = { ip, "255.255.255.255" };

	if (!p->vt || !p->vt->local_addr.s_addr)
		return;
	inet_ntop(AF_INET, &p->vt->local_addr, ip, sizeof ip);
	cmd_pr_pattern(p, e->pattern, 0, vals, 2);
}

static int cmd_ppp_auth(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct config_vtemplate *vt = x->cc->vt;
	enum config_auth m[CONFIG_AUTH_MAX];
	unsigned n = 0;

	if (a->neg) {
		vt->n_auth = 0;
		return 0;
	}
	for (int i = 0; i < a->nvar && i < CONFIG_AUTH_MAX; i++) {
		enum config_auth k = 0;

		if (!a->var[i])
			continue;
		for (int j = 1; j <= CONFIG_AUTH_MAX; j++)
			if (strcasecmp(a->var[i], cmd_ppp_auth_names[j]) == 0)
				k = (enum config_auth)j;
		for (unsigned j = 0; j < n; j++)
			if (m[j] == k)
				return cmd_cfg_fail(x, "ppp authentication: %s is given twice",
						    cmd_ppp_auth_names[k]);
		m[n++] = k;
	}
	memcpy(vt->auth, m, n * sizeof m[0]);
	vt->n_auth = n;
	return 0;
}

static void cmd_ppp_print_auth(const struct cmd_entry *e, struct cmd_pr *p)
{
	const char *vals[CONFIG_AUTH_MAX] = { NULL };

	if (!p->vt || !p->vt->n_auth)
		return;
	for (unsigned i = 0; i < p->vt->n_auth && i < CONFIG_AUTH_MAX; i++)
		vals[i] = (unsigned)p->vt->auth[i] <= CONFIG_AUTH_MAX ? cmd_ppp_auth_names[p->vt->auth[i]]
								      : NULL;
	cmd_pr_pattern(p, e->pattern, 0, vals, CONFIG_AUTH_MAX);
}

static int cmd_ppp_dns(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct config_vtemplate *vt = x->cc->vt;

	if (a->neg) {
		vt->dns[0].s_addr = 0;
		vt->dns[1].s_addr = 0;
		return 0;
	}
	for (int i = 0; i < 2; i++)
		if (a->var[i] && (a->ip[i].s_addr == 0 || a->ip[i].s_addr == INADDR_BROADCAST))
			return cmd_cfg_fail(x, "ppp ipcp dns: %s is not a usable server address",
					    a->var[i]);
	vt->dns[0] = a->ip[0];
	vt->dns[1].s_addr = a->var[1] ? a->ip[1].s_addr : 0;
	return 0;
}

static void cmd_ppp_print_dns(const struct cmd_entry *e, struct cmd_pr *p)
{
	char d0[INET_ADDRSTRLEN], d1[INET_ADDRSTRLEN];
	const char *vals[2] = { d0, NULL };

	if (!p->vt || !p->vt->dns[0].s_addr)
		return;
	inet_ntop(AF_INET, &p->vt->dns[0], d0, sizeof d0);
	if (p->vt->dns[1].s_addr) {
		inet_ntop(AF_INET, &p->vt->dns[1], d1, sizeof d1);
		vals[1] = d1;
	}
	cmd_pr_pattern(p, e->pattern, 0, vals, 2);
}

static int cmd_ppp_keepalive(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct config_vtemplate *vt = x->cc->vt;

	if (a->neg) {
		vt->keepalive = 0;
		vt->keepalive_retries = CONFIG_DEF_KEEPALIVE_RETRIES;
		return 0;
	}
	vt->keepalive = (unsigned)a->num[0];
	vt->keepalive_retries = a->var[1] ? (unsigned)a->num[1] : CONFIG_DEF_KEEPALIVE_RETRIES;
	return 0;
}

static void cmd_ppp_print_keepalive(const struct cmd_entry *e, struct cmd_pr *p)
{
	char s[16], r[16];
	const char *vals[2] = { s, NULL };

	if (!p->vt)
		return;
	if (p->vt->keepalive_retries == CONFIG_DEF_KEEPALIVE_RETRIES) {
		if (p->vt->keepalive == CONFIG_DEF_KEEPALIVE)
			return;
		if (p->vt->keepalive == 0) {
			cmd_pr_line(p, "no keepalive");
			return;
		}
	} else {
		snprintf(r, sizeof r, "%u", p->vt->keepalive_retries);
		vals[1] = r;
	}
	snprintf(s, sizeof s, "%u", p->vt->keepalive);
	cmd_pr_pattern(p, e->pattern, 0, vals, 2);
}

static int cmd_ppp_show_pool(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct l2tpd *d = x->d;
	struct out *o = x->o;
	const struct config_pool *cp;
	const char *only = a->var[0];

	if (only && !config_pool_find(&d->cfg, only)) {
		out_error(o, "No such pool %s", only);
		return -ENOENT;
	}
	out_text(o, "Pool             Begin           End             Size     In use   Free\n");
	out_arr_open(o, "pools");
	TAILQ_FOREACH(cp, &d->cfg.pools, link) {
		char f[INET_ADDRSTRLEN], l[INET_ADDRSTRLEN];
		uint32_t size = ntohl(cp->last.s_addr) - ntohl(cp->first.s_addr) + 1;
		unsigned used;

		if (only && strcmp(cp->name, only) != 0)
			continue;
		used = ippool_in_use(d->pools, cp->name);
		inet_ntop(AF_INET, &cp->first, f, sizeof f);
		inet_ntop(AF_INET, &cp->last, l, sizeof l);
		out_obj_open(o, NULL);
		out_str(o, "name", "%-16.16s ", cp->name);
		out_str(o, "first", "%-15s ", f);
		out_str(o, "last", "%-15s ", l);
		out_uint(o, "size", "%-8u ", size);
		out_uint(o, "in_use", "%-8u ", used);
		out_uint(o, "free", "%u\n", used < size ? size - used : 0);
		out_obj_close(o);
	}
	out_arr_close(o);
	return 0;
}

static const struct cmd_entry cmd_ppp_entries[] = {
	{ M(CMD_MODE_CONFIG), "[no] interface Virtual-Template <1-65535>", cmd_ppp_interface,
	  cmd_ppp_print_interface, { 0 },
	  "enter (create or edit) the PPP profile of LNS sessions; `no` deletes it" },
	{ M(CMD_MODE_CONFIG), "[no] interface WORD", cmd_ppp_interface_joined, cmd_pppoe_print_if,
	  { 0 }, "the same, written `interface Virtual-Template1` (as IOS prints it); any "
	  "other name: an access interface (`pppoe enable group`)" },
	{ M(CMD_MODE_CONFIG), "[no] ip local pool WORD A.B.C.D [A.B.C.D]", cmd_ppp_pool,
	  cmd_ppp_print_pool, { 0 },
	  "addresses given to subscribers, first to last (at most 65536); `no` deletes it" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ip address A.B.C.D A.B.C.D", cmd_ppp_ip_address,
	  cmd_ppp_print_ip_address, { 0 },
	  "our IPCP address, mask 255.255.255.255 (needed with a pool)" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ipv6 enable", cmd_set_field, cmd_print_field,
	  TFIELD(FT_BOOL, ipv6, 0), "negotiate IPv6CP (interface identifiers)" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ip tcp adjust-mss <500-1460>", cmd_set_field,
	  cmd_print_field, TFIELD(FT_UINT, adjust_mss, 0),
	  "the MSS option of TCP SYNs both ways lowered to N (relayed PPPoE calls "
	  "under -d null; see l2tpd.conf(5) for the others)" },
	{ M(CMD_MODE_VTEMPLATE), "[no] mtu <576-9000>", cmd_set_field, cmd_print_field,
	  TFIELD(FT_UINT, mtu, CONFIG_DEF_MTU), "MTU, and the MRU asked of the peer "
	  "(default 1460)" },
	{ M(CMD_MODE_VTEMPLATE), "[no] peer default ip address pool WORD", cmd_set_field,
	  cmd_print_field, TFIELD(FT_STR, pool, 0),
	  "the ip local pool subscribers' addresses come from" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ppp ipcp dns A.B.C.D [A.B.C.D]", cmd_ppp_dns,
	  cmd_ppp_print_dns, { 0 }, "DNS servers given in IPCP (RFC 1877)" },
	{ M(CMD_MODE_VTEMPLATE), "[no] keepalive <0-32767> [<1-255>]", cmd_ppp_keepalive,
	  cmd_ppp_print_keepalive, { 0 },
	  "LCP echo interval, s, and misses before the link is dropped (default 10 5; "
	  "0 or `no` = off)" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ppp authentication {pap|chap|ms-chap-v2} "
	  "[{pap|chap|ms-chap-v2}] [{pap|chap|ms-chap-v2}]", cmd_ppp_auth, cmd_ppp_print_auth,
	  { 0 }, "authenticate subscribers, methods offered in this order (default none)" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ppp timeout idle <0-4294967>", cmd_set_field,
	  cmd_print_field, TFIELD(FT_UINT, idle_timeout, 0),
	  "drop a session without traffic for this many seconds (0 = never)" },
	{ M(CMD_MODE_VTEMPLATE), "[no] ppp timeout absolute <0-4294967>", cmd_set_field,
	  cmd_print_field, TFIELD(FT_UINT, absolute_timeout, 0),
	  "drop a session this many seconds after it came up (0 = never)" },
	{ M(CMD_MODE_EXEC), "show ip local pool [WORD]", cmd_ppp_show_pool, NULL, { 0 },
	  "address pools: range, size, addresses in use" },
};

const struct cmd_table cmd_ppp_table = CMD_TABLE("ppp", cmd_ppp_entries);
