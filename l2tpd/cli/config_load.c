/*
 * The configuration file reader (see config_load.h).
 *
 * The reader knows lines, comments and indentation; what a line means is
 * the command engine's business (cli/cmd.c and the topic tables), the same
 * tables that print `show running-config`.  The file:
 *
 *	! or # first on a line: a comment; blank lines are ignored
 *	top-level commands start in column 0
 *	vpdn-group NAME opens a sub-mode whose lines are indented deeper,
 *	and so do accept-dialin / request-dialin inside a group, redundancy,
 *	interface Virtual-Template N and aaa server radius dynamic-author
 *	a line indented like an enclosing mode's lines returns to that mode;
 *	`exit` leaves the mode its line is in
 *
 * Indentation is compared as strings: a sub-mode's indentation must start
 * with its parent's, so a file that indents one level with a tab and
 * another with spaces is refused rather than guessed at.
 *
 * A file is applied all or nothing: it is first run against a copy of the
 * configuration, and only when the copy takes every line (and passes the
 * end-of-file checks) is it run against the real one.  The second run edits
 * groups in place, so pointers to existing groups stay valid.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/config_load.h"
#include "core/config.h"

#define CONFIG_FILE_MAX		(1024 * 1024)
#define CONFIG_MAX_LEVELS	4	/* top, vpdn-group, *-dialin, and one spare */
#define CONFIG_INDENT_MAX	64
#define CONFIG_VTEMPLATE_MAX	65535	/* interface Virtual-Template <1-65535> */

struct config_level {
	enum cmd_mode mode;
	struct vpdn_group *grp;
	struct config_vtemplate *vt;
	void *obj;			/* bba-group, access interface */
	size_t ilen;
	char indent[CONFIG_INDENT_MAX];
};

struct config_parser {
	struct l2tpd_config *cfg;
	struct config_level lv[CONFIG_MAX_LEVELS];
	int depth;			/* levels in use, >= 1 */
	enum cmd_mode pending;		/* mode opened by the previous command */
	struct vpdn_group *pending_grp;
	struct config_vtemplate *pending_vt;
	void *pending_obj;
	unsigned line;
	unsigned exit_line;		/* the previous command was `exit`, on this line */
	unsigned red_line;		/* line of the first `redundancy` */
	unsigned *vt_line;		/* [N]: line of the first `interface Virtual-Template N`,
					 * allocated with the first one */
	char *err;
	size_t errsz;
	int no_lines;			/* a configuration not read from a file: no line numbers */
};

static int config_fail(struct config_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int config_fail(struct config_parser *p, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->no_lines)
		snprintf(p->err, p->errsz, "%s", msg);
	else
		snprintf(p->err, p->errsz, "line %u: %s", p->line, msg);
	return -EINVAL;
}

/*
 * Choose the level a line of indentation ind (n bytes) belongs to: an
 * open level with exactly this indentation, or a new sub-mode when the
 * previous command opened one and the line is indented deeper.
 */
static int config_indent(struct config_parser *p, const char *ind, size_t n)
{
	struct config_level *top;

	for (int j = p->depth - 1; j >= 0; j--) {
		if (p->lv[j].ilen == n && memcmp(p->lv[j].indent, ind, n) == 0) {
			p->depth = j + 1;
			p->pending = CMD_MODE_NONE;
			return 0;
		}
	}
	top = &p->lv[p->depth - 1];
	if (n > top->ilen && memcmp(top->indent, ind, top->ilen) == 0) {
		struct config_level *nl;

		if (p->pending == CMD_MODE_NONE && p->exit_line)
			return config_fail(p, "unexpected indentation: the mode was left with "
					   "'exit' on line %u (%s mode is open here)", p->exit_line,
					   cmd_mode_name(top->mode));
		if (p->pending == CMD_MODE_NONE)
			return config_fail(p, "unexpected indentation: the line above does not "
					   "open a sub-mode (%s mode is open here)",
					   cmd_mode_name(top->mode));
		if (p->depth >= CONFIG_MAX_LEVELS)
			return config_fail(p, "too many nested modes");
		if (n >= CONFIG_INDENT_MAX)
			return config_fail(p, "indentation too deep");
		nl = &p->lv[p->depth++];
		nl->mode = p->pending;
		nl->grp = p->pending_grp;
		nl->vt = p->pending_vt;
		nl->obj = p->pending_obj;
		nl->ilen = n;
		memcpy(nl->indent, ind, n);
		p->pending = CMD_MODE_NONE;
		return 0;
	}
	/* Neither an open level nor a deeper one: say why. */
	for (int j = 0; j < p->depth; j++) {
		size_t m = p->lv[j].ilen < n ? p->lv[j].ilen : n;

		for (size_t k = 0; k < m; k++)
			if (p->lv[j].indent[k] != ind[k])
				return config_fail(p, "indentation mixes tabs and spaces "
						   "differently from the enclosing lines");
	}
	return config_fail(p, "indentation does not match any enclosing mode "
			   "(%s mode is indented by %zu, this line by %zu)",
			   cmd_mode_name(top->mode), top->ilen, n);
}

/* The line opened `interface Virtual-Template N`: note the line of the
 * template's first one for the end-of-file checks. */
static int config_note_vtemplate(struct config_parser *p, const struct config_vtemplate *vt)
{
	if (!vt || vt->num < 1 || vt->num > CONFIG_VTEMPLATE_MAX)
		return 0;
	if (!p->vt_line) {
		p->vt_line = calloc(CONFIG_VTEMPLATE_MAX + 1, sizeof *p->vt_line);
		if (!p->vt_line)
			return config_fail(p, "out of memory");
	}
	if (!p->vt_line[vt->num])
		p->vt_line[vt->num] = p->line;
	return 0;
}

static int config_line(struct config_parser *p, char *line)
{
	struct cmd_cfg_ctx cc;
	struct config_level *top;
	char *words[CMD_MAX_WORDS];
	char reason[384];
	size_t ind = strspn(line, " \t");
	char *text = line + ind;
	int n, r;

	if (!*text || *text == '!' || *text == '#')
		return 0;
	r = config_indent(p, line, ind);
	if (r)
		return r;
	n = cmd_split(text, words, CMD_MAX_WORDS);
	if (n == -EILSEQ)
		return config_fail(p, "control character in the line");
	if (n < 0)
		return config_fail(p, "too many words (at most %d)", CMD_MAX_WORDS);

	top = &p->lv[p->depth - 1];
	memset(&cc, 0, sizeof cc);
	cc.cfg = p->cfg;
	cc.mode = top->mode;
	cc.grp = top->grp;
	cc.vt = top->vt;
	cc.obj = top->obj;
	if (cmd_config_line(&cc, words, n, reason, sizeof reason))
		return config_fail(p, "%s", reason);
	p->exit_line = cc.exit ? p->line : 0;
	if (cc.exit) {
		p->depth--;	/* `exit` is only valid in a sub-mode: depth stays >= 1 */
		p->pending = CMD_MODE_NONE;
	} else if (cc.entered != CMD_MODE_NONE) {
		p->pending = cc.entered;
		p->pending_grp = cc.entered_grp;
		p->pending_vt = cc.entered_vt;
		p->pending_obj = cc.entered_obj;
		if (cc.entered == CMD_MODE_VPDN_GROUP && cc.entered_grp && !cc.entered_grp->cfg_line)
			cc.entered_grp->cfg_line = p->line;
		if (cc.entered == CMD_MODE_ACCESS_IF) {
			struct config_access_if *ai = cc.entered_obj;

			if (!ai->cfg_line)
				ai->cfg_line = p->line;
		}
		if (cc.entered == CMD_MODE_REDUNDANCY && !p->red_line)
			p->red_line = p->line;
		if (cc.entered == CMD_MODE_VTEMPLATE)
			return config_note_vtemplate(p, cc.entered_vt);
	}
	return 0;
}

/*
 * The redundancy block, once complete: a pair needs both ends of the
 * checkpoint link and a decision about its security (DESIGN.md: "a peer
 * without the key gets nothing", so plain ZeroMQ must be asked for).
 */
static int config_check_redundancy(struct config_parser *p)
{
	const struct config_redundancy *r = &p->cfg->red;

	if (!r->configured)
		return 0;
	if (p->red_line)
		p->line = p->red_line;
	if (!r->mode_sso)
		return config_fail(p, "redundancy: mode sso is required");
	if (!r->local.s_addr)
		return config_fail(p, "redundancy: 'checkpoint local A.B.C.D' is required "
				   "(the address this box serves the checkpoint link on)");
	if (!r->peer.s_addr)
		return config_fail(p, "redundancy: 'checkpoint peer A.B.C.D' is required "
				   "(the other box of the pair)");
	if (r->local.s_addr == r->peer.s_addr && r->local_port == r->peer_port)
		return config_fail(p, "redundancy: checkpoint local and peer are the same "
				   "address and port");
	if (r->curve && r->security_none)
		return config_fail(p, "redundancy: 'checkpoint curve' and 'checkpoint security "
				   "none' exclude each other");
	if (!r->curve && !r->security_none)
		return config_fail(p, "redundancy: checkpoint link needs curve keys or security "
				   "none");
	return 0;
}

/* Every RADIUS server and RFC 5176 client needs a key, its own or the default. */
static int config_check_radius(struct config_parser *p)
{
	const struct config_radius *r = &p->cfg->radius;
	char ip[INET_ADDRSTRLEN];

	for (unsigned i = 0; i < r->n_servers; i++) {
		if (config_radius_key(r, i)[0])
			continue;
		inet_ntop(AF_INET, &r->servers[i].addr, ip, sizeof ip);
		return config_fail(p, "radius-server host %s has no key (give 'key K' or "
				   "'radius-server key K')", ip);
	}
	for (unsigned i = 0; r->das && i < r->n_clients; i++) {
		if (config_das_key(r, &r->clients[i])[0])
			continue;
		inet_ntop(AF_INET, &r->clients[i].addr, ip, sizeof ip);
		return config_fail(p, "aaa server radius dynamic-author: client %s has no key "
				   "(give 'server-key K' on its line or in the block)", ip);
	}
	return 0;
}

/* Access interfaces name bba-groups that exist; a sub-interface's tags
 * are given (the daemon reads them on its parent). */
static int config_check_access(struct config_parser *p)
{
	const struct config_access_if *ai;
	const struct config_bba_group *b;

	TAILQ_FOREACH(ai, &p->cfg->access_ifs, link) {
		p->line = ai->cfg_line ? ai->cfg_line : p->line;
		if (ai->group[0] && !config_bba_find(p->cfg, ai->group))
			return config_fail(p, "interface %s: 'pppoe enable group %s' names no "
					   "bba-group (no 'bba-group pppoe %s' by the end of the "
					   "file)", ai->name, ai->group, ai->group);
	}
	TAILQ_FOREACH(b, &p->cfg->bba_groups, link) {
		if (b->virtual_template && !config_vtemplate_find(p->cfg, b->virtual_template))
			return config_fail(p, "bba-group pppoe %s: virtual-template %d is not "
					   "defined (no 'interface Virtual-Template %d' by the end "
					   "of the file)", b->name, b->virtual_template,
					   b->virtual_template);
	}
	return 0;
}

/* What a single line cannot tell: checked once the whole file is read. */

/* A template's IPv6 references: the pools exist, a link's prefix is a /64
 * (RFC 4862 §5.5.3 forms addresses from a 64-bit interface identifier), a
 * delegated prefix is no longer than that, an address pool gives /128s. */
static int config_check_vt_ipv6(struct config_parser *p, const struct config_vtemplate *vt)
{
	const struct config_pool6 *pool;

	if (vt->pool6[0]) {
		pool = config_pool6_find(p->cfg, vt->pool6);
		if (!pool)
			return config_fail(p, "interface Virtual-Template %d: 'peer default ipv6 "
					   "pool %s' names no pool (no 'ipv6 local pool %s' by the "
					   "end of the file)", vt->num, vt->pool6, vt->pool6);
		if (pool->assign != 64)
			return config_fail(p, "interface Virtual-Template %d: ipv6 local pool %s "
					   "gives /%u prefixes; a link's advertised prefix is a /64 "
					   "(SLAAC, RFC 4862)", vt->num, pool->name, pool->assign);
	}
	if (vt->pd_pool[0]) {
		pool = config_pool6_find(p->cfg, vt->pd_pool);
		if (!pool)
			return config_fail(p, "interface Virtual-Template %d: 'ipv6 dhcp server "
					   "prefix-delegation pool %s' names no pool (no 'ipv6 local "
					   "pool %s' by the end of the file)", vt->num, vt->pd_pool,
					   vt->pd_pool);
		if (pool->assign > 64)
			return config_fail(p, "interface Virtual-Template %d: ipv6 local pool %s "
					   "gives /%u prefixes; a delegated prefix is /64 or shorter",
					   vt->num, pool->name, pool->assign);
	}
	if (vt->na_pool[0]) {
		pool = config_pool6_find(p->cfg, vt->na_pool);
		if (!pool)
			return config_fail(p, "interface Virtual-Template %d: 'ipv6 dhcp server "
					   "address pool %s' names no pool (no 'ipv6 local pool %s' "
					   "by the end of the file)", vt->num, vt->na_pool,
					   vt->na_pool);
		if (pool->assign != 128)
			return config_fail(p, "interface Virtual-Template %d: ipv6 local pool %s "
					   "gives /%u prefixes; an address (IA_NA) is a /128",
					   vt->num, pool->name, pool->assign);
	}
	/* RFC 4861 §6.2.1: AdvDefaultLifetime is 0 or MaxRtrAdvInterval..9000 */
	if (vt->ra_lifetime != 0 && vt->ra_lifetime < vt->ra_interval)
		return config_fail(p, "interface Virtual-Template %d: 'ipv6 nd ra lifetime %u' "
				   "is below the ra interval %u s (RFC 4861 6.2.1: 0, or at "
				   "least the interval)", vt->num, vt->ra_lifetime, vt->ra_interval);
	if ((vt->pool6[0] || vt->pd_pool[0] || vt->na_pool[0]) && !vt->ipv6)
		return config_fail(p, "interface Virtual-Template %d: IPv6 prefixes need "
				   "'ipv6 enable' (IPv6CP)", vt->num);
	return 0;
}

static int config_check(struct config_parser *p)
{
	const struct vpdn_group *g;
	const struct config_vtemplate *vt;
	unsigned last = p->line;
	int r = config_check_redundancy(p);

	if (!r)
		r = config_check_radius(p);
	if (r)
		return r;
	p->line = last;
	TAILQ_FOREACH(g, &p->cfg->groups, link) {
		p->line = g->cfg_line ? g->cfg_line : last;
		if (g->dialin == VPDN_REQUEST_DIALIN && !g->initiate_to.s_addr)
			return config_fail(p, "vpdn-group %s: request-dialin needs "
					   "'initiate-to ip A.B.C.D' (none by the end of the file)",
					   g->name);
		/* RFC 2661 §4.3: hiding needs the tunnel's shared secret */
		if (g->hide_avps && !g->password[0])
			return config_fail(p, "vpdn-group %s: 'l2tp hidden' needs "
					   "'l2tp tunnel password'", g->name);
		if (g->dialin == VPDN_ACCEPT_DIALIN && g->virtual_template &&
		    !config_vtemplate_find(p->cfg, g->virtual_template))
			return config_fail(p, "vpdn-group %s: virtual-template %d is not defined "
					   "(no 'interface Virtual-Template %d' by the end of the "
					   "file)", g->name, g->virtual_template,
					   g->virtual_template);
	}
	r = config_check_access(p);
	if (r)
		return r;
	TAILQ_FOREACH(vt, &p->cfg->vtemplates, link) {
		const struct config_pool *pool;
		uint32_t a = ntohl(vt->local_addr.s_addr);

		p->line = p->vt_line && p->vt_line[vt->num] ? p->vt_line[vt->num] : last;
		if (config_check_vt_ipv6(p, vt))
			return -EINVAL;
		if (!vt->pool[0])
			continue;
		pool = config_pool_find(p->cfg, vt->pool);
		if (!pool)
			return config_fail(p, "interface Virtual-Template %d: 'peer default ip "
					   "address pool %s' names no pool (no 'ip local pool %s' "
					   "by the end of the file)", vt->num, vt->pool, vt->pool);
		/* IPCP needs our own address to give the peer addresses */
		if (!vt->local_addr.s_addr)
			return config_fail(p, "interface Virtual-Template %d: a pool needs "
					   "'ip address A.B.C.D 255.255.255.255', our IPCP address "
					   "(none by the end of the file)", vt->num);
		if (a >= ntohl(pool->first.s_addr) && a <= ntohl(pool->last.s_addr))
			return config_fail(p, "interface Virtual-Template %d: our ip address is "
					   "inside pool %s, which would give it to a subscriber",
					   vt->num, pool->name);
	}
	p->line = last;
	return 0;
}

static int config_parse(struct l2tpd_config *cfg, const char *text, char *err, size_t errsz)
{
	struct config_parser p;
	struct vpdn_group *g;
	struct config_access_if *ai;
	const char *s = text;
	char line[CMD_LINE_MAX];
	int r;

	memset(&p, 0, sizeof p);
	p.cfg = cfg;
	p.err = err;
	p.errsz = errsz;
	p.depth = 1;
	p.lv[0].mode = CMD_MODE_CONFIG;
	TAILQ_FOREACH(g, &cfg->groups, link)
		g->cfg_line = 0;
	TAILQ_FOREACH(ai, &cfg->access_ifs, link)
		ai->cfg_line = 0;

	r = 0;
	while (*s && !r) {
		size_t len = strcspn(s, "\n");

		p.line++;
		if (len >= sizeof line) {
			r = config_fail(&p, "line too long (at most %zu characters)",
					sizeof line - 1);
			break;
		}
		memcpy(line, s, len);
		line[len] = '\0';
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		s += len + (s[len] == '\n');
		r = config_line(&p, line);
	}
	if (!r)
		r = config_check(&p);
	free(p.vt_line);
	return r;
}

int config_check_complete(struct l2tpd_config *cfg, char *err, size_t errsz)
{
	struct config_parser p;

	memset(&p, 0, sizeof p);
	p.cfg = cfg;
	p.err = err;
	p.errsz = errsz;
	p.no_lines = 1;
	if (errsz)
		err[0] = '\0';
	return config_check(&p);
}

int config_load_string(struct l2tpd_config *cfg, const char *text, char *err, size_t errsz)
{
	struct l2tpd_config trial;
	int r;

	if (errsz)
		err[0] = '\0';
	r = config_clone(&trial, cfg);
	if (r) {
		snprintf(err, errsz, "out of memory");
		return r;
	}
	r = config_parse(&trial, text, err, errsz);
	config_free(&trial);
	if (r)
		return r;
	/* The trial took it: the same lines cannot fail on the real thing. */
	return config_parse(cfg, text, err, errsz);
}

int config_load_file(struct l2tpd_config *cfg, const char *path, char *err, size_t errsz)
{
	struct stat st;
	char *text;
	ssize_t n;
	size_t len = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errsz, "cannot open: %s", strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, errsz, "not a regular file");
		return -EINVAL;
	}
	if (st.st_size > CONFIG_FILE_MAX) {
		close(fd);
		snprintf(err, errsz, "too large (more than %d bytes)", CONFIG_FILE_MAX);
		return -EFBIG;
	}
	text = malloc((size_t)st.st_size + 1);
	if (!text) {
		close(fd);
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	while (len < (size_t)st.st_size) {
		n = read(fd, text + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			snprintf(err, errsz, "cannot read: %s", strerror(-r));
			close(fd);
			free(text);
			return r;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	text[len] = '\0';
	if (memchr(text, '\0', len)) {
		unsigned line = 1;

		for (const char *c = text; *c; c++)
			line += *c == '\n';
		free(text);
		snprintf(err, errsz, "line %u: NUL byte in the file", line);
		return -EINVAL;
	}
	r = config_load_string(cfg, text, err, errsz);
	free(text);
	return r;
}
