/*
 * Configuration, command table and output tests: every configuration
 * command, the defaults, refused files (line number and reason), the
 * running-config round trip, text and JSON output, and the EXEC commands
 * on a daemon context without sockets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ev.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/config_load.h"
#include "common/idmap.h"
#include "core/config.h"
#include "cli/ctl.h"
#include "ha/ha.h"
#include "haproto/ha_shadow.h"
#include "core/history.h"
#include "core/ippool.h"
#include "l2tpd.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "core/log.h"
#include "core/out.h"

/* ------------------------------------------------------------------ */
/* A small JSON validator (RFC 8259), to check what core/out.c produces.    */
/* ------------------------------------------------------------------ */

static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20)
			return NULL;	/* raw control characters are not allowed */
		if (c == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 5;
				continue;
			}
			if (!*p || !strchr("\"\\/bfnrt", *p))
				return NULL;
		}
		p++;
	}
	return p + 1;
}

static const char *json_number(const char *p)
{
	const char *s = p;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return p > s ? p : NULL;
}

static const char *json_container(const char *p, char close, int obj, int depth)
{
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (obj) {
			p = json_string(json_ws(p));
			if (!p)
				return NULL;
			p = json_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = json_value(p, depth + 1);
		if (!p)
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p, int depth)
{
	if (depth > 64)
		return NULL;
	p = json_ws(p);
	switch (*p) {
	case '{': return json_container(p, '}', 1, depth);
	case '[': return json_container(p, ']', 0, depth);
	case '"': return json_string(p);
	case 't': return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f': return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n': return strncmp(p, "null", 4) ? NULL : p + 4;
	default: return json_number(p);
	}
}

static int json_valid(const char *doc)
{
	const char *end = json_value(doc, 0);

	return end && *json_ws(end) == '\0';
}

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

static char *running(const struct l2tpd_config *cfg)
{
	struct out o;
	char *s;

	out_init(&o, 0);
	cmd_running_config(cfg, &o);
	assert_int_equal(o.err, 0);
	s = strdup(o.buf);
	out_free(&o);
	return s;
}

/* Same configuration: every field of the global part and of each group. */
static void assert_config_equal(const struct l2tpd_config *a, const struct l2tpd_config *b)
{
	const struct vpdn_group *ga, *gb;

	assert_string_equal(a->hostname, b->hostname);
	assert_int_equal(a->vpdn_enabled, b->vpdn_enabled);
	assert_int_equal(a->source_ip.s_addr, b->source_ip.s_addr);
	assert_int_equal(a->port, b->port);
	assert_int_equal(a->sso, b->sso);
	assert_int_equal(a->history_size, b->history_size);
	assert_int_equal(a->red.configured, b->red.configured);
	assert_int_equal(a->red.mode_sso, b->red.mode_sso);
	assert_int_equal(a->red.local.s_addr, b->red.local.s_addr);
	assert_int_equal(a->red.peer.s_addr, b->red.peer.s_addr);
	assert_int_equal(a->red.local_port, b->red.local_port);
	assert_int_equal(a->red.peer_port, b->red.peer_port);
	assert_int_equal(a->red.curve, b->red.curve);
	assert_int_equal(a->red.security_none, b->red.security_none);
	assert_string_equal(a->red.public_key, b->red.public_key);
	assert_string_equal(a->red.secret_key, b->red.secret_key);
	assert_string_equal(a->red.peer_key, b->red.peer_key);
	assert_int_equal(a->red.heartbeat_ms, b->red.heartbeat_ms);
	assert_int_equal(a->red.dead_ms, b->red.dead_ms);
	assert_int_equal(a->red.vip.s_addr, b->red.vip.s_addr);
	for (ga = TAILQ_FIRST(&a->groups), gb = TAILQ_FIRST(&b->groups); ga && gb;
	     ga = TAILQ_NEXT(ga, link), gb = TAILQ_NEXT(gb, link)) {
		assert_string_equal(ga->name, gb->name);
		assert_int_equal(ga->dialin, gb->dialin);
		assert_int_equal(ga->protocol_l2tp, gb->protocol_l2tp);
		assert_int_equal(ga->virtual_template, gb->virtual_template);
		assert_string_equal(ga->domain, gb->domain);
		assert_int_equal(ga->initiate_to.s_addr, gb->initiate_to.s_addr);
		assert_int_equal(ga->initiate_port, gb->initiate_port);
		assert_string_equal(ga->terminate_from, gb->terminate_from);
		assert_string_equal(ga->local_name, gb->local_name);
		assert_string_equal(ga->password, gb->password);
		assert_int_equal(ga->authentication, gb->authentication);
		assert_int_equal(ga->hide_avps, gb->hide_avps);
		assert_int_equal(ga->hello, gb->hello);
		assert_int_equal(ga->retries, gb->retries);
		assert_int_equal(ga->rto_min, gb->rto_min);
		assert_int_equal(ga->rto_max, gb->rto_max);
		assert_int_equal(ga->rws, gb->rws);
		assert_int_equal(ga->sso, gb->sso);
		assert_int_equal(ga->resync, gb->resync);
	}
	assert_null(ga);
	assert_null(gb);

	const struct config_user *ua, *ub;

	for (ua = TAILQ_FIRST(&a->users), ub = TAILQ_FIRST(&b->users); ua && ub;
	     ua = TAILQ_NEXT(ua, link), ub = TAILQ_NEXT(ub, link)) {
		assert_string_equal(ua->name, ub->name);
		assert_string_equal(ua->password, ub->password);
	}
	assert_null(ua);
	assert_null(ub);

	const struct config_pool *pa, *pb;

	for (pa = TAILQ_FIRST(&a->pools), pb = TAILQ_FIRST(&b->pools); pa && pb;
	     pa = TAILQ_NEXT(pa, link), pb = TAILQ_NEXT(pb, link)) {
		assert_string_equal(pa->name, pb->name);
		assert_int_equal(pa->first.s_addr, pb->first.s_addr);
		assert_int_equal(pa->last.s_addr, pb->last.s_addr);
	}
	assert_null(pa);
	assert_null(pb);

	/* templates: the same set (the list order is not kept, the numbers are) */
	const struct config_vtemplate *va, *vb;
	unsigned na = 0, nb = 0;

	TAILQ_FOREACH(vb, &b->vtemplates, link)
		nb++;
	TAILQ_FOREACH(va, &a->vtemplates, link) {
		na++;
		vb = config_vtemplate_find(b, va->num);
		assert_non_null(vb);
		assert_int_equal(va->local_addr.s_addr, vb->local_addr.s_addr);
		assert_string_equal(va->pool, vb->pool);
		assert_int_equal(va->n_auth, vb->n_auth);
		for (unsigned i = 0; i < va->n_auth; i++)
			assert_int_equal(va->auth[i], vb->auth[i]);
		assert_int_equal(va->mtu, vb->mtu);
		assert_int_equal(va->dns[0].s_addr, vb->dns[0].s_addr);
		assert_int_equal(va->dns[1].s_addr, vb->dns[1].s_addr);
		assert_int_equal(va->keepalive, vb->keepalive);
		assert_int_equal(va->keepalive_retries, vb->keepalive_retries);
		assert_int_equal(va->ipv6, vb->ipv6);
		assert_int_equal(va->idle_timeout, vb->idle_timeout);
		assert_int_equal(va->absolute_timeout, vb->absolute_timeout);
	}
	assert_int_equal(na, nb);
}

static in_addr_t ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static int load(struct l2tpd_config *cfg, const char *text, char *err, size_t errsz)
{
	config_init(cfg);
	return config_load_string(cfg, text, err, errsz);
}

/* Every configuration command, each away from its default. */
static const char full_config[] =
	"! a comment\n"
	"# another comment\n"
	"\n"
	"hostname bras-1\n"
	"vpdn enable\n"
	"vpdn source-ip 192.0.2.1\n"
	"l2tp port 1702\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	"  virtual-template 7\n"
	" terminate-from hostname lac-1\n"
	" local name lns-1\n"
	" l2tp tunnel password s3cr\"et\\\n"
	" no l2tp tunnel authentication\n"
	" l2tp hidden\n"
	" l2tp tunnel hello 0\n"
	" l2tp tunnel retransmit retries 9\n"
	" l2tp tunnel retransmit timeout min 2\n"
	" l2tp tunnel retransmit timeout max 6\n"
	" l2tp tunnel receive-window 64\n"
	"!\n"
	"vpdn-group LAC\n"
	"\trequest-dialin\n"
	"\t\tprotocol l2tp\n"
	"\t\tdomain example.net\n"
	"\tinitiate-to ip 198.51.100.7 port 1799\n"
	"\tl2tp tunnel password x\n"
	"\tl2tp tunnel hello 1000\n"
	"vpdn-group LAC2\n"
	" request-dialin\n"
	"  protocol l2tp\n"
	"  exit\n"
	" initiate-to ip 198.51.100.8\n"
	" exit\n"
	"hostname bras-2\n"
	/* line 39: the PPP side of an LNS */
	"username alice password wonder!land\n"
	"username bob password x\n"
	"username alice password changed\"pw\n"
	"interface Virtual-Template 7\n"
	" ip address 10.200.255.254 255.255.255.255\n"
	" peer default ip address pool SUBS\n"
	" ppp authentication ms-chap-v2 CHAP pap\n"
	" ppp ipcp dns 192.0.2.53 192.0.2.54\n"
	" keepalive 20 3\n"
	" ipv6 enable\n"
	" ppp timeout idle 600\n"
	" ppp timeout absolute 4294967\n"
	"interface Virtual-Template2\n"
	"\tno keepalive\n"
	"\tppp ipcp dns 192.0.2.53\n"
	"\texit\n"
	"interface virtual-template 7\n"
	"  mtu 1400\n"
	"ip local pool SUBS 10.200.0.1 10.200.0.254\n"
	"ip local pool ONE 10.201.0.1\n"
	"ip local pool BIG 10.100.0.0 10.100.255.255\n"
	"ip local pool BIG 10.100.0.0 10.100.0.255\n";

/* How full_config's PPP part prints. */
static const char full_config_ppp[] =
	"hostname bras-2\n"
	"username alice password changed\"pw\n"
	"username bob password x\n"
	"vpdn enable\n";
static const char full_config_tail[] =
	"!\n"
	"interface Virtual-Template 2\n"
	" ppp ipcp dns 192.0.2.53\n"
	" no keepalive\n"
	"!\n"
	"interface Virtual-Template 7\n"
	" ip address 10.200.255.254 255.255.255.255\n"
	" ipv6 enable\n"
	" mtu 1400\n"
	" peer default ip address pool SUBS\n"
	" ppp ipcp dns 192.0.2.53 192.0.2.54\n"
	" keepalive 20 3\n"
	" ppp authentication ms-chap-v2 chap pap\n"
	" ppp timeout idle 600\n"
	" ppp timeout absolute 4294967\n"
	"!\n"
	"ip local pool SUBS 10.200.0.1 10.200.0.254\n"
	"ip local pool ONE 10.201.0.1\n"
	"ip local pool BIG 10.100.0.0 10.100.0.255\n";

/* ------------------------------------------------------------------ */
/* Configuration                                                        */
/* ------------------------------------------------------------------ */

static void test_defaults(void **state)
{
	struct l2tpd_config cfg;
	struct vpdn_group *g;

	(void)state;
	config_init(&cfg);
	assert_true(cfg.hostname[0] != '\0');
	assert_int_equal(cfg.vpdn_enabled, 0);
	assert_int_equal(cfg.port, 1701);
	assert_int_equal(cfg.source_ip.s_addr, 0);
	assert_true(TAILQ_EMPTY(&cfg.groups));
	assert_true(TAILQ_EMPTY(&cfg.users));
	assert_true(TAILQ_EMPTY(&cfg.pools));
	assert_true(TAILQ_EMPTY(&cfg.vtemplates));
	assert_null(config_user_find(&cfg, "alice"));
	assert_null(config_pool_find(&cfg, "P"));
	assert_null(config_vtemplate_find(&cfg, 1));

	g = config_group_add(&cfg, "G");
	assert_non_null(g);
	assert_ptr_equal(config_group_find(&cfg, "G"), g);
	assert_null(config_group_find(&cfg, "g"));
	assert_int_equal(g->dialin, VPDN_NONE);
	assert_int_equal(g->hello, CONFIG_DEF_HELLO);
	assert_int_equal(g->hello, 60);
	assert_int_equal(g->retries, 5);
	assert_int_equal(g->rto_min, 1);
	assert_int_equal(g->rto_max, 8);
	assert_int_equal(g->rws, 4);
	assert_int_equal(g->authentication, 1);
	assert_int_equal(g->hide_avps, 0);
	assert_int_equal(g->initiate_port, 0);
	assert_string_equal(g->password, "");
	/* nothing but the hostname and the group line differ from the defaults */
	char *rc = running(&cfg);
	char expect[256];

	snprintf(expect, sizeof expect, "hostname %s\n!\nvpdn-group G\n!\n", cfg.hostname);
	assert_string_equal(rc, expect);
	free(rc);
	assert_null(config_group_add(&cfg, "a-name-that-is-much-too-long-for-the-group-name-field-"
				     "of-sixty-four"));
	config_free(&cfg);

	/* a template made by its interface line alone has every default */
	char err[256];
	struct config_vtemplate *vt;

	assert_int_equal(load(&cfg, "interface Virtual-Template 65535\n", err, sizeof err), 0);
	vt = config_vtemplate_find(&cfg, 65535);
	assert_non_null(vt);
	assert_int_equal(vt->local_addr.s_addr, 0);
	assert_string_equal(vt->pool, "");
	assert_int_equal(vt->n_auth, 0);
	assert_int_equal(vt->mtu, CONFIG_DEF_MTU);
	assert_int_equal(vt->mtu, 1460);
	assert_int_equal(vt->dns[0].s_addr, 0);
	assert_int_equal(vt->dns[1].s_addr, 0);
	assert_int_equal(vt->keepalive, CONFIG_DEF_KEEPALIVE);
	assert_int_equal(vt->keepalive_retries, CONFIG_DEF_KEEPALIVE_RETRIES);
	assert_int_equal(vt->ipv6, 0);
	assert_int_equal(vt->idle_timeout, 0);
	assert_int_equal(vt->absolute_timeout, 0);
	rc = running(&cfg);
	snprintf(expect, sizeof expect, "hostname %s\n!\ninterface Virtual-Template 65535\n!\n",
		 cfg.hostname);
	assert_string_equal(rc, expect);
	free(rc);
	config_free(&cfg);
}

static void test_every_command(void **state)
{
	struct l2tpd_config cfg;
	struct vpdn_group *g;
	char err[256] = "";
	struct in_addr a;

	(void)state;
	assert_int_equal(load(&cfg, full_config, err, sizeof err), 0);
	assert_string_equal(err, "");
	assert_string_equal(cfg.hostname, "bras-2");
	assert_int_equal(cfg.vpdn_enabled, 1);
	inet_pton(AF_INET, "192.0.2.1", &a);
	assert_int_equal(cfg.source_ip.s_addr, a.s_addr);
	assert_int_equal(cfg.port, 1702);

	g = config_group_find(&cfg, "LNS");
	assert_non_null(g);
	assert_int_equal(g->dialin, VPDN_ACCEPT_DIALIN);
	assert_int_equal(g->protocol_l2tp, 1);
	assert_int_equal(g->virtual_template, 7);
	assert_string_equal(g->terminate_from, "lac-1");
	assert_string_equal(g->local_name, "lns-1");
	assert_string_equal(g->password, "s3cr\"et\\");
	assert_int_equal(g->authentication, 0);
	assert_int_equal(g->hide_avps, 1);
	assert_int_equal(g->hello, 0);
	assert_int_equal(g->retries, 9);
	assert_int_equal(g->rto_min, 2);
	assert_int_equal(g->rto_max, 6);
	assert_int_equal(g->rws, 64);
	assert_int_equal(g->cfg_line, 8);

	g = config_group_find(&cfg, "LAC");
	assert_non_null(g);
	assert_int_equal(g->dialin, VPDN_REQUEST_DIALIN);
	assert_int_equal(g->protocol_l2tp, 1);
	assert_string_equal(g->domain, "example.net");
	inet_pton(AF_INET, "198.51.100.7", &a);
	assert_int_equal(g->initiate_to.s_addr, a.s_addr);
	assert_int_equal(g->initiate_port, 1799);
	assert_int_equal(g->hello, 1000);
	assert_int_equal(g->authentication, 1);

	g = config_group_find(&cfg, "LAC2");
	assert_non_null(g);
	assert_int_equal(g->initiate_port, 0);
	assert_int_equal(g->dialin, VPDN_REQUEST_DIALIN);

	/* LNS selection by the peer's host name */
	assert_ptr_equal(config_group_for_peer(&cfg, "lac-1"), config_group_find(&cfg, "LNS"));
	assert_null(config_group_for_peer(&cfg, "other"));
	assert_int_equal(config_load_string(&cfg, "vpdn-group ANY\n accept-dialin\n", err,
					    sizeof err), 0);
	assert_ptr_equal(config_group_for_peer(&cfg, "other"), config_group_find(&cfg, "ANY"));
	assert_ptr_equal(config_group_for_peer(&cfg, NULL), config_group_find(&cfg, "ANY"));
	assert_ptr_equal(config_group_for_peer(&cfg, "lac-1"), config_group_find(&cfg, "LNS"));
	config_free(&cfg);
}

static void test_ppp_commands(void **state)
{
	struct l2tpd_config cfg;
	const struct config_user *u;
	const struct config_pool *p;
	const struct config_vtemplate *vt;
	char err[256] = "";

	(void)state;
	assert_int_equal(load(&cfg, full_config, err, sizeof err), 0);
	assert_string_equal(err, "");

	/* users, in the order first named; naming one again replaced its password */
	u = TAILQ_FIRST(&cfg.users);
	assert_non_null(u);
	assert_string_equal(u->name, "alice");
	assert_string_equal(u->password, "changed\"pw");
	assert_ptr_equal(config_user_find(&cfg, "alice"), u);
	u = TAILQ_NEXT(u, link);
	assert_non_null(u);
	assert_string_equal(u->name, "bob");
	assert_string_equal(u->password, "x");
	assert_null(TAILQ_NEXT(u, link));
	assert_null(config_user_find(&cfg, "Alice"));	/* names are case-sensitive */

	/* pools: one address when LAST is left out; naming one again replaced it */
	p = config_pool_find(&cfg, "SUBS");
	assert_non_null(p);
	assert_int_equal(p->first.s_addr, ip4("10.200.0.1"));
	assert_int_equal(p->last.s_addr, ip4("10.200.0.254"));
	p = config_pool_find(&cfg, "ONE");
	assert_non_null(p);
	assert_int_equal(p->first.s_addr, ip4("10.201.0.1"));
	assert_int_equal(p->last.s_addr, ip4("10.201.0.1"));
	p = config_pool_find(&cfg, "BIG");	/* was 65536 addresses: the most */
	assert_non_null(p);
	assert_int_equal(p->last.s_addr, ip4("10.100.0.255"));
	assert_ptr_equal(TAILQ_LAST(&cfg.pools, config_pool_list), p);
	/* first <= last in host order: a range across a byte boundary is fine */
	assert_int_equal(config_load_string(&cfg, "ip local pool X 9.255.255.255 10.0.0.0\n", err,
					    sizeof err), 0);
	p = config_pool_find(&cfg, "X");
	assert_int_equal(ntohl(p->last.s_addr) - ntohl(p->first.s_addr), 1);
	assert_int_equal(config_load_string(&cfg, "no ip local pool X\n", err, sizeof err), 0);

	/* template 7, left for template 2 and entered again (lower case): edited in place */
	vt = config_vtemplate_find(&cfg, 7);
	assert_non_null(vt);
	assert_int_equal(vt->num, 7);
	assert_int_equal(vt->local_addr.s_addr, ip4("10.200.255.254"));
	assert_string_equal(vt->pool, "SUBS");
	assert_int_equal(vt->n_auth, 3);
	assert_int_equal(vt->auth[0], CONFIG_AUTH_MSCHAPV2);
	assert_int_equal(vt->auth[1], CONFIG_AUTH_CHAP);
	assert_int_equal(vt->auth[2], CONFIG_AUTH_PAP);
	assert_int_equal(vt->mtu, 1400);
	assert_int_equal(vt->dns[0].s_addr, ip4("192.0.2.53"));
	assert_int_equal(vt->dns[1].s_addr, ip4("192.0.2.54"));
	assert_int_equal(vt->keepalive, 20);
	assert_int_equal(vt->keepalive_retries, 3);
	assert_int_equal(vt->ipv6, 1);
	assert_int_equal(vt->idle_timeout, 600);
	assert_int_equal(vt->absolute_timeout, 4294967);

	/* template 2, written as IOS prints it (Virtual-Template2) */
	vt = config_vtemplate_find(&cfg, 2);
	assert_non_null(vt);
	assert_int_equal(vt->keepalive, 0);
	assert_int_equal(vt->keepalive_retries, CONFIG_DEF_KEEPALIVE_RETRIES);
	assert_int_equal(vt->dns[0].s_addr, ip4("192.0.2.53"));
	assert_int_equal(vt->dns[1].s_addr, 0);
	assert_int_equal(vt->mtu, CONFIG_DEF_MTU);
	assert_int_equal(vt->n_auth, 0);
	assert_string_equal(vt->pool, "");
	assert_null(config_vtemplate_find(&cfg, 3));

	/* the group's virtual-template names a defined template */
	assert_non_null(config_vtemplate_find(&cfg,
					      config_group_find(&cfg, "LNS")->virtual_template));

	/* each command again, one at a time, on what is there */
	static const struct {
		const char *text;
		unsigned off;		/* offsetof the field in struct config_vtemplate */
		unsigned long want;
	} one[] = {
		{ "interface Virtual-Template 7\n mtu 576\n",
		  offsetof(struct config_vtemplate, mtu), 576 },
		{ "interface Virtual-Template 7\n mtu 9000\n",
		  offsetof(struct config_vtemplate, mtu), 9000 },
		{ "interface Virtual-Template 7\n keepalive 0\n",
		  offsetof(struct config_vtemplate, keepalive), 0 },
		{ "interface Virtual-Template 7\n keepalive 32767 255\n",
		  offsetof(struct config_vtemplate, keepalive_retries), 255 },
		{ "interface Virtual-Template 7\n keepalive 30\n",	/* retries back to 5 */
		  offsetof(struct config_vtemplate, keepalive_retries), 5 },
		{ "interface Virtual-Template 7\n ppp timeout idle 0\n",
		  offsetof(struct config_vtemplate, idle_timeout), 0 },
		{ "interface Virtual-Template 7\n ppp timeout absolute 1\n",
		  offsetof(struct config_vtemplate, absolute_timeout), 1 },
		{ "interface Virtual-Template 7\n ppp authentication pap\n",
		  offsetof(struct config_vtemplate, n_auth), 1 },
		{ "interface Virtual-Template 7\n no ppp authentication\n",
		  offsetof(struct config_vtemplate, n_auth), 0 },
		{ "interface Virtual-Template 7\n no ipv6 enable\n",
		  offsetof(struct config_vtemplate, ipv6), 0 },
	};
	vt = config_vtemplate_find(&cfg, 7);
	for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) {
		unsigned v;

		if (config_load_string(&cfg, one[i].text, err, sizeof err))
			fail_msg("%s: %s", one[i].text, err);
		assert_ptr_equal(config_vtemplate_find(&cfg, 7), vt);
		memcpy(&v, (const char *)vt + one[i].off, sizeof v);
		if (v != one[i].want)
			fail_msg("%s: %u, want %lu", one[i].text, v, one[i].want);
	}
	assert_int_equal(config_load_string(&cfg, "interface Virtual-Template 7\n"
					    " ppp authentication chap ms-chap-v2\n"
					    " ppp ipcp dns 198.51.100.1\n", err, sizeof err), 0);
	assert_int_equal(vt->n_auth, 2);
	assert_int_equal(vt->auth[0], CONFIG_AUTH_CHAP);
	assert_int_equal(vt->auth[1], CONFIG_AUTH_MSCHAPV2);
	assert_int_equal(vt->dns[0].s_addr, ip4("198.51.100.1"));
	assert_int_equal(vt->dns[1].s_addr, 0);	/* the second server went with the command */
	config_free(&cfg);
}

/* A template left and entered again is the one its lines edit. */
static void test_vtemplate_reenter(void **state)
{
	struct l2tpd_config cfg;
	char err[256];
	char *rc;

	(void)state;
	assert_int_equal(load(&cfg, "interface Virtual-Template 3\n mtu 1000\n"
			      "interface Virtual-Template 1\n mtu 1100\n"
			      "interface Virtual-Template 2\n mtu 1200\n"
			      "interface Virtual-Template 1\n ipv6 enable\n"
			      "interface Virtual-Template 3\n"
			      "interface Virtual-Template 2\n keepalive 5\n"
			      "no interface Virtual-Template 2\n"
			      "interface Virtual-Template 3\n no mtu\n"
			      "interface Virtual-Template 1\n", err, sizeof err), 0);
	assert_int_equal(config_vtemplate_find(&cfg, 3)->mtu, CONFIG_DEF_MTU);
	assert_int_equal(config_vtemplate_find(&cfg, 1)->mtu, 1100);
	assert_int_equal(config_vtemplate_find(&cfg, 1)->ipv6, 1);
	assert_int_equal(config_vtemplate_find(&cfg, 1)->keepalive, CONFIG_DEF_KEEPALIVE);
	assert_null(config_vtemplate_find(&cfg, 2));
	/* printed by number, whatever the order of editing */
	rc = running(&cfg);
	assert_non_null(strstr(rc, "\n!\ninterface Virtual-Template 1\n ipv6 enable\n mtu 1100\n"
			       "!\ninterface Virtual-Template 3\n!\n"));
	free(rc);
	/* a later file edits the same template in place */
	struct config_vtemplate *vt = config_vtemplate_find(&cfg, 1);

	assert_int_equal(config_load_string(&cfg, "interface Virtual-Template 3\n"
					    "interface Virtual-Template1\n mtu 1300\n", err,
					    sizeof err), 0);
	assert_ptr_equal(config_vtemplate_find(&cfg, 1), vt);
	assert_int_equal(vt->mtu, 1300);
	assert_int_equal(config_vtemplate_find(&cfg, 3)->mtu, CONFIG_DEF_MTU);
	config_free(&cfg);
}

static void test_no_forms(void **state)
{
	struct l2tpd_config cfg, ref;
	struct vpdn_group *g;
	char err[256];
	char *a, *b;
	static const char undo[] =
		"no vpdn enable\n"
		"no vpdn source-ip\n"
		"no l2tp port\n"
		"no hostname\n"
		"vpdn-group LNS\n"
		" accept-dialin\n"
		"  no virtual-template\n"
		"  no protocol l2tp\n"
		" no terminate-from hostname\n"
		" no local name\n"
		" no l2tp hidden\n"
		" no l2tp tunnel password\n"
		" l2tp tunnel authentication\n"
		" no l2tp tunnel hello\n"
		" no l2tp tunnel retransmit retries 3\n"
		" no l2tp tunnel retransmit timeout min\n"
		" no l2tp tunnel retransmit timeout max\n"
		" no l2tp tunnel receive-window\n"
		" no accept-dialin\n"
		"vpdn-group LAC\n"
		" no request-dialin\n"
		" no initiate-to ip\n"
		" no l2tp tunnel password\n"
		" no l2tp tunnel hello\n"
		"no vpdn-group LAC2\n"
		"no username bob\n"
		"no username alice password changed\"pw\n"
		"no ip local pool ONE\n"
		"no ip local pool BIG 10.100.0.0\n"
		"no ip local pool SUBS 10.200.0.1 10.200.0.254\n"
		"interface Virtual-Template 7\n"
		" no ip address\n"
		" no peer default ip address pool\n"
		" no ppp authentication\n"
		" no mtu\n"
		" no ppp ipcp dns\n"
		" keepalive 10\n"
		" no ipv6 enable\n"
		" no ppp timeout idle\n"
		" no ppp timeout absolute 5\n"
		"interface Virtual-Template 2\n"
		" keepalive 10 5\n"
		" no ppp ipcp dns 192.0.2.53\n";

	(void)state;
	assert_int_equal(load(&cfg, full_config, err, sizeof err), 0);
	assert_int_equal(config_load_string(&cfg, undo, err, sizeof err), 0);
	g = config_group_find(&cfg, "LNS");
	assert_int_equal(g->dialin, VPDN_NONE);
	assert_int_equal(g->hello, 60);
	assert_int_equal(g->authentication, 1);
	assert_null(config_group_find(&cfg, "LAC2"));

	assert_true(TAILQ_EMPTY(&cfg.users));
	assert_true(TAILQ_EMPTY(&cfg.pools));
	assert_int_equal(config_vtemplate_find(&cfg, 7)->keepalive_retries,
			 CONFIG_DEF_KEEPALIVE_RETRIES);

	/* the result prints like freshly made groups and templates */
	config_init(&ref);
	config_group_add(&ref, "LNS");
	config_group_add(&ref, "LAC");
	assert_int_equal(config_load_string(&ref, "interface Virtual-Template 2\n"
					    "interface Virtual-Template 7\n", err, sizeof err), 0);
	a = running(&cfg);
	b = running(&ref);
	assert_string_equal(a, b);
	assert_config_equal(&cfg, &ref);
	free(a);
	free(b);
	config_free(&ref);

	/* and the templates go */
	assert_int_equal(config_load_string(&cfg, "no interface Virtual-Template 7\n"
					    "no interface Virtual-Template2\n", err, sizeof err), 0);
	assert_true(TAILQ_EMPTY(&cfg.vtemplates));
	config_free(&cfg);
}

struct bad_case {
	const char *text;
	const char *expect;	/* "line N: " and a part of the reason */
};

static const struct bad_case bad_cases[] = {
	/* unknown command: say which word */
	{ "hostname a\nfoo bar\n", "line 2: unknown command 'foo'" },
	{ "vpdn-group A\n l2tp tunnel foo 1\n",
	  "line 2: unknown word 'foo' after 'l2tp tunnel' (expected " },
	{ "vpdn enable now\n", "line 1: unexpected word 'now' after 'vpdn enable'" },
	{ "vpdn-group A\n accept-dialin\n  protocol pptp\n",
	  "line 3: unknown word 'pptp' after 'protocol' (expected l2tp)" },
	/* bad numbers and ranges */
	{ "vpdn-group A\n l2tp tunnel hello abc\n",
	  "line 2: l2tp tunnel hello: 'abc' is not a number (expected <0-1000>)" },
	{ "vpdn-group A\n l2tp tunnel hello -1\n", "line 2: l2tp tunnel hello: '-1' is not a number" },
	{ "vpdn-group A\n l2tp tunnel hello 1001\n",
	  "line 2: l2tp tunnel hello: 1001 is out of range 0-1000" },
	{ "vpdn-group A\n l2tp tunnel retransmit timeout min 9\n",
	  "line 2: l2tp tunnel retransmit timeout min: 9 is out of range 1-8" },
	{ "vpdn-group A\n l2tp tunnel retransmit retries 0\n", "out of range 1-1000" },
	{ "vpdn-group A\n l2tp tunnel receive-window 65536\n",
	  "line 2: l2tp tunnel receive-window: 65536 is out of range 1-65535" },
	{ "l2tp port 99999999999\n", "line 1: l2tp port: '99999999999' is not a number" },
	{ "\n\nvpdn-group A\n l2tp tunnel retransmit timeout max 2\n"
	  " l2tp tunnel retransmit timeout min 3\n", "line 5: l2tp tunnel retransmit timeout min: "
	  "3 is above the timeout max (2)" },
	{ "vpdn-group A\n l2tp tunnel retransmit timeout min 4\n"
	  " l2tp tunnel retransmit timeout max 3\n", "line 3: l2tp tunnel retransmit timeout max: "
	  "3 is below the timeout min (4)" },
	{ "vpdn source-ip 1.2.3\n", "line 1: vpdn source-ip: '1.2.3' is not an IPv4 address" },
	{ "vpdn-group A\n initiate-to ip 0.0.0.0\n", "line 2: initiate-to ip: 0.0.0.0 is not" },
	{ "vpdn-group A\n initiate-to ip 10.0.0.1 port 0\n",
	  "line 2: initiate-to ip 10.0.0.1 port: 0 is out of range 1-65535" },
	/* missing arguments */
	{ "vpdn-group A\n l2tp tunnel hello\n",
	  "line 2: l2tp tunnel hello: missing argument <0-1000>" },
	{ "vpdn-group\n", "line 1: vpdn-group: missing argument WORD" },
	{ "hostname\n", "line 1: hostname: missing argument WORD" },
	{ "vpdn-group A\n l2tp tunnel\n", "line 2: l2tp tunnel: incomplete command (expected " },
	{ "vpdn-group A\n initiate-to ip 10.0.0.1 port\n", "missing argument <1-65535>" },
	/* wrong mode */
	{ "l2tp tunnel hello 5\n", "line 1: 'l2tp' is not valid in top-level mode "
	  "(it belongs in vpdn-group mode" },
	{ "vpdn-group A\nlocal name x\n", "line 2: 'local' is not valid in top-level mode" },
	{ "vpdn-group A\n vpdn enable\n", "line 2: 'vpdn' is not valid in vpdn-group mode "
	  "(it belongs in top-level mode)" },
	{ "vpdn-group A\n l2tp port 1701\n", "line 2: 'l2tp' is not valid in vpdn-group mode" },
	{ "vpdn-group A\n protocol l2tp\n", "line 2: 'protocol' is not valid in vpdn-group mode "
	  "(it belongs in accept-dialin or request-dialin mode)" },
	{ "vpdn-group A\n accept-dialin\n  domain x\n",
	  "line 3: 'domain' is not valid in accept-dialin mode (it belongs in request-dialin" },
	{ "vpdn-group A\n accept-dialin\n  l2tp tunnel hello 5\n",
	  "line 3: 'l2tp' is not valid in accept-dialin mode (it belongs in vpdn-group mode)" },
	{ "show vpdn\n", "line 1: 'show' is an EXEC command" },
	{ "exit\n", "line 1: 'exit' at top level" },
	/* group rules */
	{ "vpdn-group A\n accept-dialin\n request-dialin\n",
	  "line 3: request-dialin: vpdn-group A already has accept-dialin" },
	{ "vpdn-group A\n request-dialin\n  protocol l2tp\n!\n",
	  "line 1: vpdn-group A: request-dialin needs 'initiate-to ip A.B.C.D'" },
	{ "hostname h\nvpdn-group A\n l2tp hidden\n",
	  "line 2: vpdn-group A: 'l2tp hidden' needs 'l2tp tunnel password'" },
	{ "no vpdn-group B\n", "line 1: no vpdn-group: no group named 'B'" },
	/* indentation */
	{ "hostname a\n vpdn enable\n", "line 2: unexpected indentation" },
	{ "vpdn-group A\n accept-dialin\n\tprotocol l2tp\n",
	  "line 3: indentation mixes tabs and spaces" },
	{ "vpdn-group A\n\taccept-dialin\n  \tprotocol l2tp\n",
	  "line 3: indentation mixes tabs and spaces" },
	{ "vpdn-group A\n\taccept-dialin\n\t\tprotocol l2tp\n        local name x\n",
	  "line 4: indentation mixes tabs and spaces" },
	{ "vpdn-group A\n  accept-dialin\n    protocol l2tp\n local name x\n",
	  "line 4: indentation does not match any enclosing mode" },
	{ "vpdn-group A\n accept-dialin\n  exit\n  protocol l2tp\n",
	  "line 4: unexpected indentation: the mode was left with 'exit' on line 3" },
	/* lexical */
	{ "hostname a\001b\n", "line 1: control character" },
	{ "hostname aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	  "line 1: hostname: 'aaaaaaaaaaaaaaaaaaaa...' is too long (at most 63 characters)" },
	{ "vpdn-group A\n l2tp tunnel password "
	  "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
	  "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\n",
	  "line 2: l2tp tunnel password: 'pppppppppppppppppppp...' is too long (at most 127" },
	{ "no\n", "line 1: no: incomplete command" },
	/* username */
	{ "username bob\n", "line 1: username bob: incomplete command (expected password)" },
	{ "username bob password\n", "line 1: username bob password: missing argument WORD" },
	{ "username bob password a b\n", "line 1: unexpected word 'b' after 'username bob "
	  "password a'" },
	{ "username\n", "line 1: username: missing argument WORD" },
	{ "no username\n", "line 1: no username: missing argument WORD (the user name)" },
	{ "username bob password x\nno username carol\n",
	  "line 2: no username: no user named 'carol'" },
	{ "username aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa password x\n",
	  "line 1: username: name 'aaaaaaaaaaaaaaaaaaaa...' is too long (at most 63 characters)" },
	{ "username bob password "
	  "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
	  "pppppppppppppppppppppppppppppppppppppppppppppppppp\n",
	  "line 1: username bob password: 'pppppppppppppppppppp...' is too long (at most 127" },
	{ "vpdn-group A\n username bob password x\n", "line 2: 'username' is not valid in "
	  "vpdn-group mode (it belongs in top-level mode)" },
	/* ip local pool */
	{ "ip local pool P\n", "line 1: ip local pool P: missing argument A.B.C.D" },
	{ "ip local pool P x\n", "line 1: ip local pool P: 'x' is not an IPv4 address" },
	{ "ip local pool P 10.0.0.1 10.0.0.x\n",
	  "line 1: ip local pool P 10.0.0.1: '10.0.0.x' is not an IPv4 address (A.B.C.D)" },
	{ "ip local pool P 10.0.0.1 10.0.0.2 10.0.0.3\n", "line 1: unexpected word '10.0.0.3'" },
	{ "ip local pool P 10.0.0.10 10.0.0.9\n",
	  "line 1: ip local pool P: the first address 10.0.0.10 is above the last 10.0.0.9" },
	{ "ip local pool P 10.0.0.1 9.255.255.255\n", "line 1: ip local pool P: the first "
	  "address 10.0.0.1 is above the last 9.255.255.255" },
	{ "ip local pool P 10.0.0.0 10.1.0.0\n",
	  "line 1: ip local pool P: 10.0.0.0-10.1.0.0 holds 65537 addresses (at most 65536)" },
	{ "ip local pool P 0.0.0.0 10.0.0.0\n",
	  "line 1: ip local pool P: 0.0.0.0-10.0.0.0 holds 167772161 addresses (at most 65536)" },
	{ "ip local pool P 0.0.0.0 0.0.0.9\n",
	  "line 1: ip local pool P: 0.0.0.0 cannot be given to a subscriber" },
	{ "ip local pool P 255.255.255.0 255.255.255.255\n",
	  "line 1: ip local pool P: 255.255.255.255 cannot be given to a subscriber" },
	{ "ip local pool A 10.0.0.1 10.0.0.10\n!\nip local pool B 10.0.0.10 10.0.0.20\n",
	  "line 3: ip local pool B: overlaps pool A (10.0.0.1-10.0.0.10)" },
	{ "ip local pool A 10.0.0.5 10.0.0.10\nip local pool B 10.0.0.1\n"
	  "ip local pool B 10.0.0.1 10.0.0.5\n", "line 3: ip local pool B: overlaps pool A" },
	{ "no ip local pool Z\n", "line 1: no ip local pool: no pool named 'Z'" },
	{ "no ip local pool\n", "line 1: no ip local pool: missing argument WORD (the pool name)" },
	{ "ip local pool aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 10.0.0.1\n",
	  "line 1: ip local pool: name 'aaaaaaaaaaaaaaaaaaaa...' is too long (at most 63" },
	{ "ip pool P 10.0.0.1\n", "line 1: unknown word 'pool' after 'ip' (expected local)" },
	/* interface Virtual-Template */
	{ "interface Virtual-Template 0\n",
	  "line 1: interface Virtual-Template: 0 is out of range 1-65535" },
	{ "interface Virtual-Template 65536\n",
	  "line 1: interface Virtual-Template: 65536 is out of range 1-65535" },
	{ "interface Virtual-Template0\n",
	  "line 1: interface Virtual-Template: 0 is out of range 1-65535" },
	{ "interface Virtual-Template1x\n",
	  "line 1: interface Virtual-Template: '1x' is not a number (expected <1-65535>)" },
	{ "interface Virtual-Template\n",
	  "line 1: interface Virtual-Template: missing argument <1-65535>" },
	{ "interface Loopback0\n",
	  "line 1: interface: 'Loopback0' is not an interface l2tpd has (only Virtual-Template" },
	{ "interface\n", "line 1: interface: incomplete command (expected Virtual-Template, WORD)" },
	{ "no interface Virtual-Template 3\n",
	  "line 1: no interface Virtual-Template: Virtual-Template 3 does not exist" },
	{ "no interface Virtual-Template3\n",
	  "line 1: no interface Virtual-Template: Virtual-Template 3 does not exist" },
	{ "no interface Virtual-Template\n",
	  "line 1: no interface Virtual-Template: missing argument <1-65535>" },
	{ "interface Virtual-Template 1\n ip address 10.0.0.1 255.255.255.0\n",
	  "line 2: ip address: mask 255.255.255.0 is not accepted, only 255.255.255.255" },
	{ "interface Virtual-Template 1\n ip address 10.0.0.1\n",
	  "line 2: ip address 10.0.0.1: missing argument A.B.C.D" },
	{ "interface Virtual-Template 1\n ip address 0.0.0.0 255.255.255.255\n",
	  "line 2: ip address: 0.0.0.0 is not a usable address" },
	{ "interface Virtual-Template 1\n ip address 10.0.0.1 255.255.255.256\n",
	  "line 2: ip address 10.0.0.1: '255.255.255.256' is not an IPv4 address" },
	{ "interface Virtual-Template 1\n mtu 575\n", "line 2: mtu: 575 is out of range 576-9000" },
	{ "interface Virtual-Template 1\n mtu 9001\n", "line 2: mtu: 9001 is out of range 576-9000" },
	{ "interface Virtual-Template 1\n mtu\n", "line 2: mtu: missing argument <576-9000>" },
	{ "interface Virtual-Template 1\n ppp authentication pap chap PAP\n",
	  "line 2: ppp authentication: pap is given twice" },
	{ "interface Virtual-Template 1\n ppp authentication chap chap\n",
	  "line 2: ppp authentication: chap is given twice" },
	{ "interface Virtual-Template 1\n ppp authentication eap\n",
	  "line 2: unknown word 'eap' after 'ppp authentication' (expected {pap|chap|ms-chap-v2})" },
	{ "interface Virtual-Template 1\n ppp authentication pap eap\n",
	  "line 2: unknown word 'eap' after 'ppp authentication pap' (expected {pap|chap|" },
	{ "interface Virtual-Template 1\n ppp authentication pap chap ms-chap-v2 pap\n",
	  "line 2: unexpected word 'pap' after 'ppp authentication pap chap ms-chap-v2'" },
	{ "interface Virtual-Template 1\n ppp authentication\n",
	  "line 2: ppp authentication: incomplete command (expected {pap|chap|ms-chap-v2})" },
	{ "interface Virtual-Template 1\n keepalive 32768\n",
	  "line 2: keepalive: 32768 is out of range 0-32767" },
	{ "interface Virtual-Template 1\n keepalive 10 0\n",
	  "line 2: keepalive 10: 0 is out of range 1-255" },
	{ "interface Virtual-Template 1\n keepalive 10 256\n",
	  "line 2: keepalive 10: 256 is out of range 1-255" },
	{ "interface Virtual-Template 1\n keepalive 10 x\n",
	  "line 2: keepalive 10: 'x' is not a number (expected <1-255>)" },
	{ "interface Virtual-Template 1\n keepalive\n",
	  "line 2: keepalive: missing argument <0-32767>" },
	{ "interface Virtual-Template 1\n ppp timeout idle 4294968\n",
	  "line 2: ppp timeout idle: 4294968 is out of range 0-4294967" },
	{ "interface Virtual-Template 1\n ppp timeout absolute -1\n",
	  "line 2: ppp timeout absolute: '-1' is not a number" },
	{ "interface Virtual-Template 1\n ppp timeout\n",
	  "line 2: ppp timeout: incomplete command (expected idle, absolute)" },
	{ "interface Virtual-Template 1\n ppp ipcp dns 0.0.0.0\n",
	  "line 2: ppp ipcp dns: 0.0.0.0 is not a usable server address" },
	{ "interface Virtual-Template 1\n ppp ipcp dns 192.0.2.1 255.255.255.255\n",
	  "line 2: ppp ipcp dns: 255.255.255.255 is not a usable server address" },
	{ "interface Virtual-Template 1\n ppp ipcp dns 192.0.2.1 192.0.2\n",
	  "line 2: ppp ipcp dns 192.0.2.1: '192.0.2' is not an IPv4 address" },
	{ "interface Virtual-Template 1\n peer default ip address pool\n",
	  "line 2: peer default ip address pool: missing argument WORD" },
	{ "interface Virtual-Template 1\n peer default ip address pool "
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	  "line 2: peer default ip address pool: 'aaaaaaaaaaaaaaaaaaaa...' is too long (at most 63" },
	{ "interface Virtual-Template 1\n ipv6 enable now\n",
	  "line 2: unexpected word 'now' after 'ipv6 enable'" },
	{ "mtu 1500\n", "line 1: 'mtu' is not valid in top-level mode (it belongs in interface "
	  "mode; indent it under its command)" },
	{ "interface Virtual-Template 1\nppp authentication pap\n",
	  "line 2: 'ppp' is not valid in top-level mode (it belongs in interface mode" },
	{ "interface Virtual-Template 1\n ip local pool P 10.0.0.1\n",
	  "line 2: 'ip' is not valid in interface mode (it belongs in top-level mode)" },
	{ "interface Virtual-Template 1\n vpdn-group A\n",
	  "line 2: 'vpdn-group' is not valid in interface mode (it belongs in top-level mode)" },
	{ "interface Virtual-Template 1\n local name x\n",
	  "line 2: 'local' is not valid in interface mode (it belongs in vpdn-group mode)" },
	{ "vpdn-group A\n accept-dialin\n  mtu 1500\n",
	  "line 3: 'mtu' is not valid in accept-dialin mode (it belongs in interface mode)" },
	{ "interface Virtual-Template 1\n exit\n mtu 1500\n",
	  "line 3: unexpected indentation: the mode was left with 'exit' on line 2" },
	{ "interface Virtual-Template 1\n mtu 1500\n  ipv6 enable\n",
	  "line 3: unexpected indentation: the line above does not open a sub-mode "
	  "(interface mode is open here)" },
	/* end of file: templates, pools and the groups that use them */
	{ "hostname h\nvpdn-group LNS\n accept-dialin\n  virtual-template 3\n",
	  "line 2: vpdn-group LNS: virtual-template 3 is not defined (no 'interface "
	  "Virtual-Template 3' by the end of the file)" },
	{ "interface Virtual-Template 1\nvpdn-group A\n accept-dialin\n  virtual-template 1\n"
	  "no interface Virtual-Template 1\n", "line 2: vpdn-group A: virtual-template 1 is "
	  "not defined" },
	{ "hostname h\ninterface Virtual-Template 4\n ip address 10.9.0.1 255.255.255.255\n"
	  " peer default ip address pool NOPE\n", "line 2: interface Virtual-Template 4: 'peer "
	  "default ip address pool NOPE' names no pool (no 'ip local pool NOPE' by the end of "
	  "the file)" },
	{ "ip local pool P 10.0.0.1 10.0.0.9\n!\ninterface Virtual-Template1\n"
	  " peer default ip address pool P\n", "line 3: interface Virtual-Template 1: a pool "
	  "needs 'ip address A.B.C.D 255.255.255.255', our IPCP address (none by the end" },
	{ "interface Virtual-Template 5\n!\ninterface Virtual-Template 6\n"
	  "interface Virtual-Template 5\n peer default ip address pool P\n"
	  " ip address 10.0.0.9 255.255.255.255\nip local pool P 10.0.0.1 10.0.0.9\n",
	  "line 1: interface Virtual-Template 5: our ip address is inside pool P" },
	{ "ip local pool P 10.0.0.1 10.0.0.9\ninterface Virtual-Template 5\n"
	  " ip address 10.0.0.10 255.255.255.255\n peer default ip address pool P\n"
	  "no ip local pool P\n", "line 2: interface Virtual-Template 5: 'peer default ip "
	  "address pool P' names no pool" },
};

static void test_bad_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		struct l2tpd_config cfg;
		char err[512] = "";
		int r = load(&cfg, bad_cases[i].text, err, sizeof err);

		if (r != -EINVAL || !strstr(err, bad_cases[i].expect))
			fail_msg("case %zu: r=%d\n  text: %s\n  got:  %s\n  want: %s", i, r,
				 bad_cases[i].text, err, bad_cases[i].expect);
		config_free(&cfg);
	}
}

/* A refused file changes nothing. */
static void test_all_or_nothing(void **state)
{
	struct l2tpd_config cfg;
	char err[256];
	char *before, *after;

	(void)state;
	assert_int_equal(load(&cfg, full_config, err, sizeof err), 0);
	before = running(&cfg);
	assert_int_equal(config_load_string(&cfg, "hostname changed\nvpdn-group NEW\n"
					    " l2tp tunnel hello 5\nno vpdn-group LNS\n"
					    "vpdn-group LAC\n l2tp tunnel hello 7\n bogus\n",
					    err, sizeof err), -EINVAL);
	assert_string_equal(err, "line 7: unknown command 'bogus'");
	after = running(&cfg);
	assert_string_equal(before, after);
	free(before);
	free(after);
	config_free(&cfg);
}

/* Re-entering a group edits it; the group keeps its identity. */
static void test_reenter_group(void **state)
{
	struct l2tpd_config cfg;
	struct vpdn_group *g;
	char err[256];

	(void)state;
	assert_int_equal(load(&cfg, "vpdn-group A\n l2tp tunnel hello 5\n"
			      "vpdn-group B\nvpdn-group A\n local name x\n", err, sizeof err), 0);
	g = config_group_find(&cfg, "A");
	assert_int_equal(g->hello, 5);
	assert_string_equal(g->local_name, "x");
	assert_ptr_equal(TAILQ_FIRST(&cfg.groups), g);
	assert_int_equal(config_load_string(&cfg, "vpdn-group A\n l2tp tunnel hello 9\n", err,
					    sizeof err), 0);
	assert_ptr_equal(config_group_find(&cfg, "A"), g);	/* edited in place */
	assert_int_equal(g->hello, 9);
	config_free(&cfg);
}

static void test_syntax_variants(void **state)
{
	struct l2tpd_config cfg;
	char err[256];

	(void)state;
	/* CRLF, trailing blanks, indented comments, keywords in capitals, exit */
	assert_int_equal(load(&cfg, "HOSTNAME Lns\r\nvpdn-group A \r\n  ! comment\r\n"
			      " Accept-Dialin\r\n # comment\r\n  PROTOCOL L2TP\r\n exit\r\n"
			      "vpdn enable", err, sizeof err), 0);
	assert_string_equal(cfg.hostname, "Lns");	/* values keep their case */
	assert_int_equal(config_group_find(&cfg, "A")->dialin, VPDN_ACCEPT_DIALIN);
	assert_int_equal(config_group_find(&cfg, "A")->protocol_l2tp, 1);
	assert_int_equal(cfg.vpdn_enabled, 1);
	config_free(&cfg);
	/* an empty file and a file of comments are fine */
	assert_int_equal(load(&cfg, "", err, sizeof err), 0);
	config_free(&cfg);
	assert_int_equal(load(&cfg, "!\n#\n   \n\t\n", err, sizeof err), 0);
	config_free(&cfg);
}

static void test_roundtrip(void **state)
{
	struct l2tpd_config a, b;
	char err[256];
	char *p1, *p2;

	(void)state;
	assert_int_equal(load(&a, full_config, err, sizeof err), 0);
	p1 = running(&a);
	assert_int_equal(load(&b, p1, err, sizeof err), 0);
	p2 = running(&b);
	assert_string_equal(p1, p2);
	assert_config_equal(&a, &b);	/* nothing was lost in print */
	/* the printed form holds every non-default value */
	assert_non_null(strstr(p1, "\n l2tp tunnel password s3cr\"et\\\n"));
	assert_non_null(strstr(p1, "\n no l2tp tunnel authentication\n"));
	assert_non_null(strstr(p1, "\n initiate-to ip 198.51.100.7 port 1799\n"));
	assert_non_null(strstr(p1, "\n initiate-to ip 198.51.100.8\n"));
	assert_non_null(strstr(p1, "\n l2tp tunnel hello 0\n"));
	assert_non_null(strstr(p1, "\n  virtual-template 7\n"));
	assert_non_null(strstr(p1, "\nl2tp port 1702\n"));
	/* users after the hostname (passwords as written), then templates by number, pools */
	assert_true(strncmp(p1, full_config_ppp, strlen(full_config_ppp)) == 0);
	assert_true(strlen(p1) > strlen(full_config_tail));
	assert_string_equal(p1 + strlen(p1) - strlen(full_config_tail), full_config_tail);
	free(p1);
	free(p2);
	config_free(&a);
	config_free(&b);
}

/* The shipped example loads and round-trips. */
static void test_example_file(void **state)
{
	struct l2tpd_config a, b;
	char path[1024], err[256];
	const char *src = __FILE__;
	const char *tail = strstr(src, "tests/unit/test_config.c");
	char *p1, *p2;

	(void)state;
	snprintf(path, sizeof path, "%.*sdoc/l2tpd.conf.example", (int)(tail ? tail - src : 0), src);
	config_init(&a);
	if (config_load_file(&a, path, err, sizeof err))
		fail_msg("%s: %s", path, err);
	assert_non_null(config_group_find(&a, "LNS"));
	assert_non_null(config_group_find(&a, "TO-LNS"));
	/* the LNS profile: a user, a pool, a template the group uses */
	assert_non_null(config_user_find(&a, "alice"));
	assert_int_equal(config_group_find(&a, "LNS")->virtual_template, 1);
	assert_non_null(config_vtemplate_find(&a, 1));
	assert_non_null(config_pool_find(&a, config_vtemplate_find(&a, 1)->pool));
	assert_int_equal(config_vtemplate_find(&a, 1)->n_auth, 3);
	p1 = running(&a);
	assert_int_equal(load(&b, p1, err, sizeof err), 0);
	p2 = running(&b);
	assert_string_equal(p1, p2);
	assert_config_equal(&a, &b);
	free(p1);
	free(p2);
	config_free(&b);

	/*
	 * Its commented-out examples, uncommented: a block starts with a command
	 * right after the '!' ("!redundancy") and ends at a lone "!"; each of its
	 * lines loses its first character.
	 */
	FILE *f = fopen(path, "r");
	char line[512], text[4096] = "";
	int in_block = 0;

	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '!' && line[1] >= 'a' && line[1] <= 'z')
			in_block = 1;
		else if (strcmp(line, "!\n") == 0)
			in_block = 0;
		if (in_block)
			strncat(text, line + 1, sizeof text - strlen(text) - 1);
	}
	fclose(f);
	assert_non_null(strstr(text, "redundancy\n mode sso\n"));
	if (config_load_string(&a, text, err, sizeof err))
		fail_msg("%s (redundancy example): %s", path, err);
	assert_int_equal(a.red.configured, 1);
	assert_int_equal(a.red.curve, 1);
	assert_int_equal(a.red.vip.s_addr, ip4("192.0.2.10"));
	assert_int_equal(config_group_find(&a, "LNS")->resync, 20);
	config_free(&a);
}

static void test_load_file(void **state)
{
	struct l2tpd_config cfg;
	char path[] = "/tmp/test_config_XXXXXX", err[256];
	static const char nul[] = "hostname a\nhostname b\0c\n";
	int fd;

	(void)state;
	config_init(&cfg);
	assert_int_equal(config_load_file(&cfg, "/nonexistent/l2tpd.conf", err, sizeof err),
			 -ENOENT);
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(config_load_file(&cfg, "/tmp", err, sizeof err), -EINVAL);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, nul, sizeof nul - 1), (ssize_t)(sizeof nul - 1));
	close(fd);
	assert_int_equal(config_load_file(&cfg, path, err, sizeof err), -EINVAL);
	assert_string_equal(err, "line 2: NUL byte in the file");

	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hostname file\n", 14), 14);
	close(fd);
	assert_int_equal(config_load_file(&cfg, path, err, sizeof err), 0);
	assert_string_equal(cfg.hostname, "file");
	unlink(path);
	config_free(&cfg);
}

/* ------------------------------------------------------------------ */
/* core/out.c                                                                */
/* ------------------------------------------------------------------ */

static void test_out_text(void **state)
{
	struct out o;

	(void)state;
	out_init(&o, 0);
	out_uint(&o, "a", "[%-6u]", 42);
	out_uint(&o, "b", "[%6u]", 42);
	out_uint(&o, "c", "[%06lu]", 42);
	out_uint(&o, "d", "[%x]", 255);
	out_uint(&o, "e", "[%llu]", UINT64_MAX);
	out_int(&o, "f", "[%d]", -5);
	out_int(&o, "g", "[%05d]", -5);
	out_str(&o, "h", "[%-5s]", "ab");
	out_str(&o, "i", "[%.3s]", "abcdef");
	out_str(&o, "j", "[%s] 100%%", "x\ty\x7f");
	out_bool(&o, "k", "[%s]", 1);
	out_bool(&o, "l", "[%u]", 0);
	out_str(&o, "m", NULL, "hidden in text");
	out_obj_open(&o, "n");
	out_text(&o, "{%d}", 7);
	out_obj_close(&o);
	assert_int_equal(o.err, 0);
	assert_string_equal(o.buf, "[42    ][    42][000042][ff][18446744073709551615][-5][-0005]"
			    "[ab   ][abc][x?y?] 100%[yes][0]{7}");
	out_error(&o, "No such tunnel %d", 9);
	assert_string_equal(o.buf, "% No such tunnel 9\n");
	out_uint(&o, "late", "%u", 1);	/* nothing after an error */
	assert_string_equal(o.buf, "% No such tunnel 9\n");
	out_free(&o);

	/* the buffer grows */
	out_init(&o, 0);
	for (int i = 0; i < 10000; i++)
		out_str(&o, "s", "%s", "0123456789");
	assert_int_equal(o.len, 100000);
	assert_int_equal(strlen(o.buf), 100000);
	out_free(&o);
}

static void test_out_json(void **state)
{
	struct out o;

	(void)state;
	out_init(&o, 1);
	out_obj_open(&o, NULL);
	out_uint(&o, "u", "%u", UINT64_MAX);
	out_int(&o, "i", "%d", INT64_MIN);
	out_str(&o, "q", "%s", "quote\" backslash\\ slash/");
	out_str(&o, "c", "%s", "nl\n cr\r tab\t bs\b ff\f nul\001 esc\033 del\177");
	out_str(&o, "utf8", "%s", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	out_str(&o, "bad", "%s", "\xff\xc3(\xe0\x80\x80\xed\xa0\x80\xc0\xaf");
	out_str(&o, "null", "%s", NULL);
	out_bool(&o, "t", "%s", 1);
	out_text(&o, "text is not JSON");
	out_arr_open(&o, "arr");
	out_uint(&o, NULL, NULL, 1);
	out_obj_open(&o, NULL);
	out_obj_close(&o);
	out_arr_open(&o, NULL);
	out_arr_close(&o);
	out_str(&o, "ignored-key-in-array", NULL, "x");
	out_arr_close(&o);
	out_obj_open(&o, "empty");
	out_obj_close(&o);
	out_obj_close(&o);
	assert_int_equal(o.err, 0);
	assert_string_equal(o.buf,
		"{\"u\":18446744073709551615,\"i\":-9223372036854775808,"
		"\"q\":\"quote\\\" backslash\\\\ slash/\","
		"\"c\":\"nl\\n cr\\r tab\\t bs\\b ff\\f nul\\u0001 esc\\u001b del\\u007f\","
		"\"utf8\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\","
		"\"bad\":\"\\ufffd\\ufffd(\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\","
		"\"null\":null,\"t\":true,\"arr\":[1,{},[],\"x\"],\"empty\":{}}\n");
	assert_true(json_valid(o.buf));
	out_free(&o);

	out_init(&o, 1);
	out_obj_open(&o, NULL);
	out_uint(&o, "partial", "%u", 1);
	out_error(&o, "bad \"thing\"\n");
	assert_string_equal(o.buf, "{\"error\":\"bad \\\"thing\\\"\\n\"}\n");
	assert_true(json_valid(o.buf));
	out_obj_close(&o);	/* the caller's close is harmless */
	assert_string_equal(o.buf, "{\"error\":\"bad \\\"thing\\\"\\n\"}\n");
	out_free(&o);

	/* the validator itself rejects what it should */
	assert_false(json_valid("{\"a\":1,}"));
	assert_false(json_valid("{\"a\":\"raw\ttab\"}"));
	assert_false(json_valid("{\"a\":1}{"));
	assert_false(json_valid("{\"a\":\"\\x\"}"));
}

/* ------------------------------------------------------------------ */
/* EXEC commands                                                        */
/* ------------------------------------------------------------------ */

static int setup_daemon(void **state)
{
	struct l2tpd *d = calloc(1, sizeof *d);
	char err[256];

	if (!d)
		return -1;
	clock_init(&d->clk, 1);
	log_init(&d->log, "test", 1);
	d->log.level = LOG_ERR;		/* clear's notices stay quiet */
	config_init(&d->cfg);
	d->tunnel_by_id = calloc(65536, sizeof *d->tunnel_by_id);
	LIST_INIT(&d->tunnels);
	if (!d->tunnel_by_id || config_load_string(&d->cfg, full_config, err, sizeof err))
		return -1;
	if (history_init(&d->history, &d->clk, &d->cfg.history_size))
		return -1;
	*state = d;
	return 0;
}

static int teardown_daemon(void **state)
{
	struct l2tpd *d = *state;

	history_free(&d->history);
	config_free(&d->cfg);
	free(d->tunnel_by_id);
	clock_destroy(&d->clk);
	log_close(&d->log);
	free(d);
	return 0;
}

/* Run a command; returns its status, the output in *text (malloc'd). */
static int run(struct l2tpd *d, const char *line, int json, char **text)
{
	struct out o;
	int r;

	out_init(&o, json);
	r = cmd_exec(d, line, &o);
	assert_int_equal(o.err, 0);
	*text = strdup(o.buf);
	out_free(&o);
	if (json && !json_valid(*text))
		fail_msg("'%s': invalid JSON: %s", line, *text);
	return r;
}

static void expect_ok(struct l2tpd *d, const char *line, const char *text_has, const char *json_has)
{
	char *s;

	if (run(d, line, 0, &s) != 0 || (text_has && !strstr(s, text_has)) || s[0] == '%')
		fail_msg("'%s' text: %s (want %s)", line, s, text_has ? text_has : "");
	free(s);
	if (run(d, line, 1, &s) != 0 || (json_has && !strstr(s, json_has)) ||
	    strncmp(s, "{\"error\"", 8) == 0)
		fail_msg("'%s' json: %s (want %s)", line, s, json_has ? json_has : "");
	free(s);
}

static void expect_err(struct l2tpd *d, const char *line, int rc, const char *text)
{
	char *s;
	char want[512];
	int r = run(d, line, 0, &s);

	snprintf(want, sizeof want, "%% %s\n", text);
	if (r != rc || strcmp(s, want) != 0)
		fail_msg("'%s': r=%d text: %s (want %d %s)", line, r, s, rc, want);
	free(s);
	r = run(d, line, 1, &s);
	if (r != rc || strncmp(s, "{\"error\":\"", 10) != 0)
		fail_msg("'%s': r=%d json: %s", line, r, s);
	free(s);
}

static void test_exec_empty(void **state)
{
	struct l2tpd *d = *state;
	char *s;

	expect_ok(d, "show l2tp tunnel", "Total tunnels 0 sessions 0",
		  "{\"total_tunnels\":0,\"total_sessions\":0,\"tunnels\":[]}");
	expect_ok(d, "show l2tp tunnel detail", "Total tunnels 0", "\"tunnels\":[]");
	expect_ok(d, "show l2tp session", "LocID", "\"sessions\":[]");
	expect_ok(d, "show l2tp session detail", "Total tunnels 0", "\"sessions\":[]");
	expect_ok(d, "show vpdn", "VPDN is enabled, 3 groups, 0 tunnels, 0 sessions",
		  "\"vpdn_enabled\":true");
	expect_ok(d, "show vpdn", "\nLAC              LAC  0       0", "\"peer\":\"198.51.100.7:1799\"");
	expect_ok(d, "show l2tp statistics", "Received 0 packets", "\"rx_packets\":0");
	expect_ok(d, "SHOW L2TP STATISTICS", "L2TP statistics", NULL);
	expect_ok(d, "  show   vpdn  ", "VPDN is enabled", NULL);
	expect_ok(d, "show debugging", "All L2TP debugging is off", "{\"debug\":[]}");
	expect_ok(d, "help", "show l2tp tunnel [id <1-65535>] [detail]", "\"commands\":[");
	expect_ok(d, "help", "l2tp tunnel retransmit timeout min <1-8>", "\"config_commands\":[");

	/* show running-config is the table's print of the live configuration */
	assert_int_equal(run(d, "show running-config", 0, &s), 0);
	char *direct = running(&d->cfg);

	assert_string_equal(s, direct);
	free(direct);
	free(s);
	expect_ok(d, "show running-config", NULL, "{\"running_config\":[\"hostname bras-2\",");

	expect_err(d, "clear l2tp tunnel id 123", -ENOENT, "No such tunnel 123");
	expect_err(d, "show l2tp tunnel id 5", -ENOENT, "No such tunnel 5");
	expect_err(d, "show l2tp session tunnel 5 detail", -ENOENT, "No such tunnel 5");
	expect_err(d, "clear l2tp session tunnel 4 id 2", -ENOENT, "No such tunnel 4");
	expect_err(d, "test vpdn dial vpdn-group NOPE sessions 1", -ENOENT, "No such vpdn-group NOPE");
	expect_err(d, "test vpdn dial vpdn-group LNS sessions 1", -EINVAL,
		   "vpdn-group LNS is not a request-dialin (LAC) group");
	expect_err(d, "test vpdn dial vpdn-group LNS sessions 1 username u password p", -EINVAL,
		   "vpdn-group LNS is not a request-dialin (LAC) group");
	expect_err(d, "test vpdn dial vpdn-group LAC sessions 1 username u", -EINVAL,
		   "Invalid input: test vpdn dial vpdn-group LAC sessions 1 username u: "
		   "incomplete command (expected password)");
	expect_err(d, "test vpdn dial vpdn-group LAC sessions 1 per-tunnel 2 password p", -EINVAL,
		   "Invalid input: unknown word 'password' after 'test vpdn dial vpdn-group "
		   "LAC sessions 1 per-tunnel 2' (expected username)");
	expect_err(d, "test vpdn dial vpdn-group LAC sessions 1 username "
		   "u123456789u123456789u123456789u123456789u123456789u123456789u123 password p",
		   -EINVAL, "username: 'u123456789u123456789...' is too long (at most 63 characters)");
	expect_ok(d, "help", "\n interface mode:\n  [no] ip address A.B.C.D A.B.C.D\n",
		  "\"mode\":\"interface\",\"command\":\"[no] keepalive <0-32767> [<1-255>]\"");
	expect_ok(d, "help", "test vpdn dial vpdn-group WORD sessions <1-1000000> [per-tunnel "
		  "<1-65535>] [username WORD password WORD]", NULL);
}

/* show ip local pool: what the configuration says, and what is taken */
static void test_exec_pool(void **state)
{
	struct l2tpd *d = *state;
	struct in_addr a;
	char *s;

	expect_ok(d, "show ip local pool", "Pool             Begin           End             "
		  "Size     In use   Free\n"
		  "SUBS             10.200.0.1      10.200.0.254    254      0        254\n"
		  "ONE              10.201.0.1      10.201.0.1      1        0        1\n"
		  "BIG              10.100.0.0      10.100.0.255    256      0        256\n",
		  "{\"pools\":[{\"name\":\"SUBS\",\"first\":\"10.200.0.1\",\"last\":"
		  "\"10.200.0.254\",\"size\":254,\"in_use\":0,\"free\":254},{\"name\":\"ONE\"");
	/* addresses handed out by the daemon's pools */
	assert_int_equal(ippool_setup(&d->pools, &d->cfg), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(ippool_alloc(d->pools, "SUBS", &a), 0);
	assert_int_equal(ippool_alloc(d->pools, "ONE", &a), 0);
	expect_ok(d, "show ip local pool SUBS", "\nSUBS             10.200.0.1      10.200.0.254    "
		  "254      3        251\n", "\"size\":254,\"in_use\":3,\"free\":251}]}");
	assert_int_equal(run(d, "show ip local pool ONE", 0, &s), 0);
	assert_null(strstr(s, "SUBS"));
	assert_non_null(strstr(s, "\nONE              10.201.0.1      10.201.0.1      1        "
			       "1        0\n"));
	free(s);
	ippool_teardown(&d->pools);
	expect_err(d, "show ip local pool NOPE", -ENOENT, "No such pool NOPE");
	expect_err(d, "show ip local pool SUBS x", -EINVAL,
		   "Invalid input: unexpected word 'x' after 'show ip local pool SUBS'");
}

static int dial_xmit(struct l2tp_tunnel *t, const uint8_t *buf, size_t len)
{
	(void)t;
	(void)buf;
	(void)len;
	return 0;
}

/* test vpdn dial: with a username the sessions carry the subscriber's identity */
static void test_exec_dial(void **state)
{
	struct l2tpd *d = calloc(1, sizeof *d);
	const struct l2tp_tunnel *t;
	const struct l2tp_session *s;
	unsigned with_user = 0, without = 0;
	char err[256];

	(void)state;
	assert_non_null(d);
	assert_int_equal(l2tpd_init(d, 1), 0);
	d->no_sockets = 1;
	d->xmit = dial_xmit;
	d->log.level = LOG_CRIT;
	if (config_load_string(&d->cfg, full_config, err, sizeof err))
		fail_msg("%s", err);
	expect_ok(d, "test vpdn dial vpdn-group LAC sessions 3 per-tunnel 2 username alice "
		  "password changed\"pw", "placed 3 sessions", NULL);
	expect_ok(d, "test vpdn dial vpdn-group LAC sessions 1", "placed 1 sessions", NULL);
	LIST_FOREACH(t, &d->tunnels, link) {
		LIST_FOREACH(s, &t->session_list, link) {
			if (s->user[0]) {
				assert_string_equal(s->user, "alice");
				assert_string_equal(s->password, "changed\"pw");
				with_user++;
			} else {
				without++;
			}
		}
	}
	/* text and JSON each dialled: twice over */
	assert_int_equal(with_user, 6);
	assert_int_equal(without, 2);
	l2tpd_fini(d);
	free(d);
}

static void test_exec_errors(void **state)
{
	struct l2tpd *d = *state;
	char line[5000];

	expect_err(d, "", -EINVAL, "Invalid input: empty command");
	expect_err(d, "bogus", -EINVAL, "Invalid input: unknown command 'bogus'");
	expect_err(d, "show l2tp foo", -EINVAL, "Invalid input: unknown word 'foo' after "
		   "'show l2tp' (expected tunnel, session, statistics, redundancy)");
	expect_err(d, "show", -EINVAL, "Invalid input: show: incomplete command "
		   "(expected l2tp, vpdn, ip, running-config, debugging, radius, aaa)");
	expect_err(d, "show l2tp tunnel id", -EINVAL,
		   "Invalid input: show l2tp tunnel id: missing argument <1-65535>");
	expect_err(d, "show l2tp tunnel id 70000", -EINVAL,
		   "Invalid input: show l2tp tunnel id: 70000 is out of range 1-65535");
	expect_err(d, "show l2tp tunnel id x", -EINVAL, "Invalid input: show l2tp tunnel id: 'x' is "
		   "not a number (expected <1-65535>)");
	expect_err(d, "show l2tp tunnel detail more", -EINVAL,
		   "Invalid input: unexpected word 'more' after 'show l2tp tunnel detail'");
	expect_err(d, "clear l2tp tunnel", -EINVAL,
		   "Invalid input: clear l2tp tunnel: incomplete command (expected id)");
	expect_err(d, "debug l2tp nonsense", -EINVAL, "Invalid input: unknown word 'nonsense' "
		   "after 'debug l2tp' (expected redundancy, {event|error|fsm|packet|sequence|all})");
	expect_err(d, "hostname x", -EINVAL, "Invalid input: 'hostname' is a configuration "
		   "command; put it in the configuration file");
	expect_err(d, "show \001vpdn", -EILSEQ, "Invalid input: control character in the command");
	memset(line, 'a', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	expect_err(d, line, -E2BIG, "Invalid input: line too long (at most 4095 characters)");
	strcpy(line, "show");
	for (int i = 0; i < 40; i++)
		strcat(line, " x");
	expect_err(d, line, -E2BIG, "Invalid input: too many words (at most 32)");
}

static void test_exec_debug(void **state)
{
	struct l2tpd *d = *state;

	d->log.debug = 0;
	expect_ok(d, "debug l2tp fsm", "L2TP fsm debugging is on", "{\"debug\":[\"fsm\"]}");
	assert_int_equal(d->log.debug, LOG_DBG_FSM);
	expect_ok(d, "debug l2tp sequence", "L2TP sequence debugging is on", NULL);
	assert_int_equal(d->log.debug, LOG_DBG_FSM | LOG_DBG_SEQ);
	expect_ok(d, "show debugging", "L2TP fsm debugging is on\nL2TP sequence debugging is on\n",
		  "{\"debug\":[\"fsm\",\"sequence\"]}");
	expect_ok(d, "no debug l2tp fsm", "L2TP sequence", NULL);
	assert_int_equal(d->log.debug, LOG_DBG_SEQ);
	expect_ok(d, "undebug l2tp sequence", "All L2TP debugging is off", NULL);
	assert_int_equal(d->log.debug, 0);
	expect_ok(d, "debug l2tp all", NULL, NULL);
	assert_int_equal(d->log.debug, LOG_DBG_EVENT | LOG_DBG_ERROR | LOG_DBG_FSM |
			 LOG_DBG_PACKET | LOG_DBG_SEQ | LOG_DBG_HA_CF | LOG_DBG_HA_DETAIL |
			 LOG_DBG_HA_ERROR | LOG_DBG_HA_EVENT | LOG_DBG_HA_FSM |
			 LOG_DBG_HA_RESYNC | LOG_DBG_HA_RF);
	expect_ok(d, "undebug all", "All L2TP debugging is off", NULL);
	assert_int_equal(d->log.debug, 0);
	expect_ok(d, "debug l2tp event", NULL, NULL);
	expect_ok(d, "debug l2tp error", NULL, NULL);
	expect_ok(d, "debug l2tp packet", NULL, NULL);
	expect_ok(d, "no debug all", "All L2TP debugging is off", NULL);
	assert_int_equal(d->log.debug, 0);

	/* the names the categories go by */
	unsigned cat;

	assert_int_equal(log_debug_parse("sequence", &cat), 0);
	assert_int_equal(cat, LOG_DBG_SEQ);
	assert_int_equal(log_debug_parse("redundancy", &cat), -EINVAL);
	assert_string_equal(log_debug_name(LOG_DBG_PACKET), "packet");
	assert_null(log_debug_name(1u << 20));
}

/* Hand-made tunnel and session, to exercise the tables and JSON escaping. */
static void test_exec_tables(void **state)
{
	struct l2tpd *d = *state;
	struct l2tp_tunnel *t = calloc(1, sizeof *t);
	struct l2tp_session *s = calloc(1, sizeof *s);
	assert_non_null(t);
	assert_non_null(s);
	t->d = d;
	t->grp = config_group_find(&d->cfg, "LNS");
	t->tid = 28407;
	t->peer_tid = 1638;
	t->state = L2TP_TUNNEL_ESTABLISHED;
	t->lns = 1;
	t->peer.sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.9", &t->peer.sin_addr);
	t->peer.sin_port = htons(1701);
	snprintf(t->peer_host, sizeof t->peer_host, "evil\"lac\\\n\001name-longer-than-sixteen");
	snprintf(t->peer_vendor, sizeof t->peer_vendor, "Vendor \xff");
	TAILQ_INIT(&t->ctrl.sent);
	TAILQ_INIT(&t->ctrl.pending);
	t->ctrl.ns = 5;
	t->ctrl.nr = 7;
	t->ctrl.cfg.rws = 4;
	t->ctrl.stats.tx_retransmits = 3;
	t->n_sessions = 1;
	t->stop_result = 2;
	snprintf(t->stop_msg, sizeof t->stop_msg, "bye");
	LIST_INIT(&t->session_list);
	t->sessions = idmap_create();
	assert_non_null(t->sessions);
	assert_int_equal(idmap_put(t->sessions, 10, s), 0);
	s->t = t;
	s->sid = 10;
	s->peer_sid = 20;
	s->state = L2TP_SESSION_ESTABLISHED;
	s->call_serial = 77;
	snprintf(s->calling, sizeof s->calling, "0123\"456");
	LIST_INSERT_HEAD(&t->session_list, s, link);
	LIST_INSERT_HEAD(&d->tunnels, t, link);
	d->tunnel_by_id[t->tid] = t;
	clock_advance(&d->clk, 3723000);	/* 1:02:03 */

	expect_ok(d, "show l2tp tunnel", "\n28407     1638      evil\"lac\\??name- established",
		  "\"remote_name\":\"evil\\\"lac\\\\\\n\\u0001name-longer-than-sixteen\"");
	expect_ok(d, "show l2tp tunnel", "192.0.2.9       1701  1        LNS\n",
		  "\"total_tunnels\":1,\"total_sessions\":1");
	expect_ok(d, "show l2tp tunnel id 28407 detail", "Ns 5, Nr 7",
		  "\"remote_vendor\":\"Vendor \\ufffd\"");
	expect_ok(d, "show l2tp tunnel id 28407 detail", "up 01:02:03", "\"tx_retransmits\":3");
	expect_ok(d, "show l2tp tunnel detail", "Last StopCCN: result 2 (General error)",
		  "\"result\":2");
	expect_ok(d, "show l2tp session", "\n10      20      28407   established    77          "
		  "0123\"456", "\"calling\":\"0123\\\"456\"");
	expect_ok(d, "show l2tp session tunnel 28407 detail", "Session 10/20 on tunnel 28407/1638",
		  "\"call_serial\":77");
	/* PPP: nothing yet */
	expect_ok(d, "show l2tp session", "User             Peer IP         Interface PPP Uptime\n",
		  "\"user\":\"-\",\"peer_ip\":\"-\",\"interface\":\"-\",\"ppp_up\":false");
	expect_ok(d, "show l2tp session", "0123\"456         -                -                "
		  "-               -         -   01:02:03\n", NULL);
	expect_ok(d, "show l2tp session detail", "\n  PPP -, user \"\", interface -\n"
		  "  Peer address -, our address -, pool -\n",
		  "\"ppp_up\":false,\"user\":\"\",\"interface\":\"-\",\"peer_ip\":\"-\"");
	/* PPP up */
	snprintf(s->user, sizeof s->user, "alice@example.net");
	s->peer_ip.s_addr = ip4("10.200.0.7");
	s->local_ip.s_addr = ip4("10.200.255.254");
	snprintf(s->ifname, sizeof s->ifname, "ppp3");
	snprintf(s->pool, sizeof s->pool, "SUBS");
	s->ppp_up = 1;
	expect_ok(d, "show l2tp session", "0123\"456         -                alice@example.ne "
		  "10.200.0.7      ppp3      up  01:02:03\n",
		  "\"user\":\"alice@example.net\",\"peer_ip\":\"10.200.0.7\",\"interface\":"
		  "\"ppp3\",\"ppp_up\":true");
	expect_ok(d, "show l2tp session detail", "\n  PPP up, user \"alice@example.net\", "
		  "interface ppp3\n  Peer address 10.200.0.7, our address 10.200.255.254, pool SUBS\n",
		  "\"ppp_up\":true,\"user\":\"alice@example.net\",\"interface\":\"ppp3\","
		  "\"peer_ip\":\"10.200.0.7\",\"local_ip\":\"10.200.255.254\",\"pool\":\"SUBS\"");
	expect_ok(d, "show vpdn", "\nLNS              LNS  1       1 ", NULL);
	expect_err(d, "clear l2tp session tunnel 28407 id 11", -ENOENT,
		   "No such session 11 on tunnel 28407");

	/* a tunnel being freed is not shown */
	t->dead = 1;
	expect_ok(d, "show l2tp tunnel", "Total tunnels 0", "\"tunnels\":[]");
	expect_err(d, "show l2tp tunnel id 28407", -ENOENT, "No such tunnel 28407");

	LIST_REMOVE(t, link);
	d->tunnel_by_id[t->tid] = NULL;
	idmap_destroy(t->sessions);
	free(s);
	free(t);
}

/* ------------------------------------------------------------------ */
/* The control socket, on a real event loop                            */
/* ------------------------------------------------------------------ */

static int ctl_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return fd;
}

/* Turn the loop until every client has its whole answer (EOF). */
static void ctl_pump(struct l2tpd *d, const int *fds, char **answers, int n)
{
	size_t *len = calloc((size_t)n, sizeof *len);
	int open_left = n;

	assert_non_null(len);
	for (int i = 0; i < n; i++) {
		answers[i] = calloc(1, 1);
		assert_non_null(answers[i]);
	}
	for (int round = 0; open_left && round < 100000; round++) {
		ev_run(d->loop, EVRUN_NOWAIT);
		for (int i = 0; i < n; i++) {
			char buf[65536];
			ssize_t r;

			if (fds[i] < 0)
				continue;
			r = recv(fds[i], buf, sizeof buf, MSG_DONTWAIT);
			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (r < 0)
				fail_msg("client %d: %s", i, strerror(errno));	/* a reset */
			if (r == 0) {
				close(fds[i]);
				((int *)fds)[i] = -1;
				open_left--;
				continue;
			}
			answers[i] = realloc(answers[i], len[i] + (size_t)r + 1);
			assert_non_null(answers[i]);
			memcpy(answers[i] + len[i], buf, (size_t)r);
			len[i] += (size_t)r;
			answers[i][len[i]] = '\0';
		}
	}
	assert_int_equal(open_left, 0);
	free(len);
}

static char *ctl_ask(struct l2tpd *d, const char *path, const char *req, size_t reqlen)
{
	int fd = ctl_connect(path);
	char *answer;

	assert_int_equal(send(fd, req, reqlen, 0), (ssize_t)reqlen);
	ctl_pump(d, &fd, &answer, 1);
	return answer;
}

static void test_ctl(void **state)
{
	struct l2tpd *d = *state, d2;
	char dir[] = "/tmp/l2tpd-ctl-XXXXXX", path[128], err[256];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	enum { NCLIENTS = 100 };
	int fds[NCLIENTS], fd;
	char *answers[NCLIENTS], *a, big[10000];
	struct stat st;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/run/l2tpd/control", dir);
	d->loop = ev_loop_new(EVFLAG_AUTO);
	assert_non_null(d->loop);
	assert_int_equal(ctl_open(d, path, err, sizeof err), 0);	/* makes the directories */
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);

	/* a second daemon on the same socket is refused */
	memset(&d2, 0, sizeof d2);
	d2.loop = d->loop;
	assert_int_equal(ctl_open(&d2, path, err, sizeof err), -EADDRINUSE);
	assert_non_null(strstr(err, "another l2tpd is answering"));

	a = ctl_ask(d, path, "show vpdn\n", 10);
	assert_true(strncmp(a, "VPDN is enabled", 15) == 0);
	free(a);
	a = ctl_ask(d, path, "json show vpdn\r\n", 16);
	assert_true(strncmp(a, "{\"vpdn_enabled\":true", 20) == 0);
	assert_true(json_valid(a));
	free(a);
	a = ctl_ask(d, path, "json clear l2tp tunnel id 9\n", 28);
	assert_string_equal(a, "{\"error\":\"No such tunnel 9\"}\n");
	free(a);
	/* no newline, then EOF: still one command */
	fd = ctl_connect(path);
	assert_int_equal(send(fd, "show debugging", 14, 0), 14);
	shutdown(fd, SHUT_WR);
	ctl_pump(d, &fd, &a, 1);
	assert_string_equal(a, "All L2TP debugging is off\n");
	free(a);
	/* too long, NUL, nothing at all */
	memset(big, 'x', sizeof big);
	a = ctl_ask(d, path, big, sizeof big);
	assert_string_equal(a, "% Invalid input: command line too long\n");
	free(a);
	a = ctl_ask(d, path, "show\0vpdn\n", 10);
	assert_string_equal(a, "% Invalid input: NUL byte in the command\n");
	free(a);
	fd = ctl_connect(path);
	shutdown(fd, SHUT_WR);
	ctl_pump(d, &fd, &a, 1);
	assert_string_equal(a, "");
	free(a);

	/* many clients at once, one of them silent */
	int silent = ctl_connect(path);

	for (int i = 0; i < NCLIENTS; i++) {
		fds[i] = ctl_connect(path);
		assert_int_equal(send(fds[i], "show l2tp statistics\n", 21, 0), 21);
		ev_run(d->loop, EVRUN_NOWAIT);	/* accept: the listen backlog is finite */
	}
	ctl_pump(d, fds, answers, NCLIENTS);
	for (int i = 0; i < NCLIENTS; i++) {
		assert_true(strncmp(answers[i], "L2TP statistics:\n", 17) == 0);
		free(answers[i]);
	}
	close(silent);

	ctl_close(d);
	assert_null(d->ctl);
	assert_int_equal(stat(path, &st), -1);		/* removed */

	/* a stale socket (its daemon died) is replaced */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(strlen(path) < sizeof sa.sun_path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	close(fd);
	assert_int_equal(ctl_open(d, path, err, sizeof err), 0);
	ctl_close(d);
	/* something else at the path is left alone */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	assert_int_equal(ctl_open(d, path, err, sizeof err), -EEXIST);
	assert_non_null(strstr(err, "not a socket"));
	unlink(path);

	ev_loop_destroy(d->loop);
	d->loop = NULL;
	snprintf(path, sizeof path, "%s/run/l2tpd", dir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/run", dir);
	rmdir(path);
	rmdir(dir);
}

/* ------------------------------------------------------------------ */
/* High availability: redundancy, sso, resync, history                 */
/* ------------------------------------------------------------------ */

/* Two boxes' CURVE keypairs (l2tpctl redundancy keygen), for the tests only. */
#define KEY_A_PUB	")te?jj$l@0AbF^2VnXVCi*@3x>G[W&2@Xc0kTh?!"
#define KEY_A_SEC	"UXJSI3{n:7pdwhwexD4}M-]($JaWL!*pRO(+}&jZ"
#define KEY_B_PUB	"Hc^naC]r}bNhVH!p:N++KX1Hwq{HfPF2l2VZiE^p"

static const char red_config[] =
	"hostname bras-a\n"
	"no l2tp sso enable\n"
	"vpdn history failure table-size 50\n"
	"redundancy\n"
	" mode sso\n"
	" checkpoint local 192.0.2.1 port 17011\n"
	" checkpoint peer 192.0.2.2\n"
	" checkpoint curve public-key " KEY_A_PUB " secret-key " KEY_A_SEC " peer-key "
	KEY_B_PUB "\n"
	" checkpoint heartbeat 200 dead-interval 2000\n"
	" virtual-address 192.0.2.10\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	" no sso enable\n"
	" l2tp tunnel resync 100\n"
	"vpdn-group LNS2\n"
	" l2tp tunnel resync 20\n"
	" sso enable\n";

/* How it prints: defaults left out, keys as written. */
static const char red_running[] =
	"hostname bras-a\n"
	"no l2tp sso enable\n"
	"vpdn history failure table-size 50\n"
	"redundancy\n"
	" mode sso\n"
	" checkpoint local 192.0.2.1 port 17011\n"
	" checkpoint peer 192.0.2.2\n"
	" checkpoint curve public-key " KEY_A_PUB " secret-key " KEY_A_SEC " peer-key "
	KEY_B_PUB "\n"
	" checkpoint heartbeat 200 dead-interval 2000\n"
	" virtual-address 192.0.2.10\n"
	"!\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	" no sso enable\n"
	" l2tp tunnel resync 100\n"
	"!\n"
	"vpdn-group LNS2\n"
	"!\n";

static void test_redundancy_config(void **state)
{
	struct l2tpd_config a, b;
	const struct vpdn_group *g;
	char err[512], *p1, *p2;

	(void)state;
	/* the defaults: sso on everywhere, resync 20, no pair, nothing printed */
	config_init(&a);
	assert_int_equal(a.sso, 1);
	assert_int_equal(a.history_size, CONFIG_DEF_HISTORY);
	assert_int_equal(a.red.configured, 0);
	assert_int_equal(a.red.local_port, CONFIG_DEF_CKPT_PORT);
	assert_int_equal(a.red.heartbeat_ms, CONFIG_DEF_HEARTBEAT_MS);
	assert_int_equal(a.red.dead_ms, CONFIG_DEF_DEAD_MS);
	assert_int_equal(CONFIG_DEF_RESYNC, 20);
	config_free(&a);
	assert_int_equal(load(&a, "l2tp sso enable\nvpdn-group G\n sso enable\n"
			      " l2tp tunnel resync 20\n", err, sizeof err), 0);
	g = config_group_find(&a, "G");
	assert_int_equal(g->sso, 1);
	assert_int_equal(g->resync, CONFIG_DEF_RESYNC);
	p1 = running(&a);
	assert_null(strstr(p1, "sso"));
	assert_null(strstr(p1, "resync"));
	assert_null(strstr(p1, "redundancy"));
	free(p1);
	config_free(&a);

	/* every command, away from its default */
	if (load(&a, red_config, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(a.sso, 0);
	assert_int_equal(a.history_size, 50);
	assert_int_equal(a.red.configured, 1);
	assert_int_equal(a.red.mode_sso, 1);
	assert_int_equal(a.red.local.s_addr, ip4("192.0.2.1"));
	assert_int_equal(a.red.local_port, 17011);
	assert_int_equal(a.red.peer.s_addr, ip4("192.0.2.2"));
	assert_int_equal(a.red.peer_port, CONFIG_DEF_CKPT_PORT);
	assert_int_equal(a.red.curve, 1);
	assert_int_equal(a.red.security_none, 0);
	assert_string_equal(a.red.public_key, KEY_A_PUB);
	assert_string_equal(a.red.secret_key, KEY_A_SEC);
	assert_string_equal(a.red.peer_key, KEY_B_PUB);
	assert_int_equal(a.red.heartbeat_ms, 200);
	assert_int_equal(a.red.dead_ms, 2000);
	assert_int_equal(a.red.vip.s_addr, ip4("192.0.2.10"));
	g = config_group_find(&a, "LNS");
	assert_int_equal(g->sso, 0);
	assert_int_equal(g->resync, 100);
	g = config_group_find(&a, "LNS2");
	assert_int_equal(g->sso, 1);
	assert_int_equal(g->resync, 20);

	/* running-config prints exactly what differs, and reads back the same */
	p1 = running(&a);
	assert_string_equal(p1, red_running);
	assert_int_equal(load(&b, p1, err, sizeof err), 0);
	p2 = running(&b);
	assert_string_equal(p1, p2);
	assert_config_equal(&a, &b);
	free(p2);
	config_free(&b);

	/* the no forms restore the defaults */
	assert_int_equal(config_load_string(&a, "l2tp sso enable\nno vpdn history failure "
					    "table-size\nredundancy\n no checkpoint heartbeat\n"
					    " no checkpoint curve\n checkpoint security none\n"
					    " checkpoint local 192.0.2.1\n no virtual-address\n"
					    "vpdn-group LNS\n sso enable\n no l2tp tunnel resync\n",
					    err, sizeof err), 0);
	assert_int_equal(a.sso, 1);
	assert_int_equal(a.history_size, CONFIG_DEF_HISTORY);
	assert_int_equal(a.red.curve, 0);
	assert_string_equal(a.red.secret_key, "");
	assert_int_equal(a.red.security_none, 1);
	assert_int_equal(a.red.local_port, CONFIG_DEF_CKPT_PORT);
	assert_int_equal(a.red.heartbeat_ms, CONFIG_DEF_HEARTBEAT_MS);
	assert_int_equal(a.red.vip.s_addr, 0);
	assert_int_equal(config_group_find(&a, "LNS")->resync, CONFIG_DEF_RESYNC);
	free(p1);
	p1 = running(&a);
	assert_non_null(strstr(p1, "\nredundancy\n mode sso\n checkpoint local 192.0.2.1\n"
			       " checkpoint peer 192.0.2.2\n checkpoint security none\n!\n"));
	assert_null(strstr(p1, "sso enable"));
	free(p1);
	/* `no redundancy` removes the pair */
	assert_int_equal(config_load_string(&a, "no redundancy\n", err, sizeof err), 0);
	assert_int_equal(a.red.configured, 0);
	assert_int_equal(a.red.local.s_addr, 0);
	p1 = running(&a);
	assert_null(strstr(p1, "redundancy"));
	assert_null(strstr(p1, "checkpoint"));
	free(p1);
	config_free(&a);
}

/* The redundancy block's refusals, each with its line and reason. */
static void test_redundancy_bad(void **state)
{
	static const struct bad_case cases[] = {
		{ "redundancy\n checkpoint local 192.0.2.1\n checkpoint peer 192.0.2.2\n"
		  " checkpoint security none\n", "line 1: redundancy: mode sso is required" },
		{ "hostname a\nredundancy\n mode sso\n checkpoint peer 192.0.2.2\n"
		  " checkpoint security none\n",
		  "line 2: redundancy: 'checkpoint local A.B.C.D' is required" },
		{ "redundancy\n mode sso\n checkpoint local 192.0.2.1\n"
		  " checkpoint security none\n",
		  "line 1: redundancy: 'checkpoint peer A.B.C.D' is required" },
		{ "redundancy\n mode sso\n checkpoint local 192.0.2.1\n checkpoint peer 192.0.2.2\n",
		  "line 1: redundancy: checkpoint link needs curve keys or security none" },
		{ "redundancy\n mode sso\n checkpoint local 192.0.2.1\n checkpoint peer 192.0.2.2\n"
		  " checkpoint security none\n checkpoint curve public-key " KEY_A_PUB
		  " secret-key " KEY_A_SEC " peer-key " KEY_B_PUB "\n",
		  "line 1: redundancy: 'checkpoint curve' and 'checkpoint security none' exclude "
		  "each other" },
		{ "redundancy\n mode sso\n checkpoint local 192.0.2.1\n checkpoint peer 192.0.2.1\n"
		  " checkpoint security none\n",
		  "line 1: redundancy: checkpoint local and peer are the same address and port" },
		{ "redundancy\n checkpoint local 192.0.2.1 port 0\n",
		  "line 2: checkpoint local 192.0.2.1 port: 0 is out of range 1-65535" },
		{ "redundancy\n checkpoint peer 192.0.2.2 port 65536\n",
		  "line 2: checkpoint peer 192.0.2.2 port: 65536 is out of range 1-65535" },
		{ "redundancy\n checkpoint local 0.0.0.0\n",
		  "line 2: checkpoint local: 0.0.0.0 is not a usable address" },
		{ "redundancy\n checkpoint peer 224.0.0.18\n",
		  "line 2: checkpoint peer: 224.0.0.18 is not a usable address" },
		{ "redundancy\n checkpoint peer 192.0.2\n",
		  "line 2: checkpoint peer: '192.0.2' is not an IPv4 address (A.B.C.D)" },
		{ "redundancy\n checkpoint curve public-key short secret-key " KEY_A_SEC
		  " peer-key " KEY_B_PUB "\n",
		  "line 2: checkpoint curve: public-key 'short...' is not a CURVE key (40 characters "
		  "of Z85; `l2tpctl redundancy keygen` makes a pair)" },
		{ "redundancy\n checkpoint curve public-key " KEY_A_PUB " secret-key "
		  "UXJSI3{n:7pdwhwexD4}M-]($JaWL!*pRO(+}&jZ~ peer-key " KEY_B_PUB "\n",
		  "line 2: checkpoint curve: secret-key 'UXJSI3{n:7pd...' is not a CURVE key" },
		{ "redundancy\n checkpoint curve public-key " KEY_A_PUB " secret-key "
		  "UXJSI3{n:7pdwhwexD4}M-]($JaWL!*pRO(+}&j, peer-key " KEY_B_PUB "\n",
		  "line 2: checkpoint curve: secret-key 'UXJSI3{n:7pd...' is not a CURVE key" },
		{ "redundancy\n checkpoint curve public-key " KEY_A_PUB " secret-key " KEY_A_SEC
		  " peer-key " KEY_A_PUB "\n",
		  "line 2: checkpoint curve: peer-key is this box's own public-key" },
		{ "redundancy\n checkpoint curve public-key " KEY_A_PUB "\n",
		  "line 2: checkpoint curve public-key " KEY_A_PUB ": incomplete command "
		  "(expected secret-key)" },
		{ "redundancy\n checkpoint curve\n",
		  "line 2: checkpoint curve: incomplete command (expected public-key)" },
		{ "redundancy\n checkpoint heartbeat 100 dead-interval 150\n",
		  "line 2: checkpoint heartbeat: dead-interval 150 ms is less than twice the "
		  "heartbeat (100 ms)" },
		{ "redundancy\n checkpoint heartbeat 5 dead-interval 1000\n",
		  "line 2: checkpoint heartbeat: 5 is out of range 10-10000" },
		{ "redundancy\n checkpoint security all\n",
		  "line 2: unknown word 'all' after 'checkpoint security' (expected none)" },
		{ "redundancy\n mode rpr\n", "line 2: unknown word 'rpr' after 'mode' (expected sso)" },
		{ "mode sso\n", "line 1: 'mode' is not valid in top-level mode (it belongs in "
		  "redundancy mode; indent it under its command)" },
		{ "redundancy\n vpdn enable\n", "line 2: 'vpdn' is not valid in redundancy mode "
		  "(it belongs in top-level mode)" },
		{ "redundancy state master\n", "line 1: 'redundancy' is an EXEC command (l2tpctl), "
		  "not a configuration command" },
		{ "vpdn-group A\n l2tp tunnel resync 0\n",
		  "line 2: l2tp tunnel resync: 0 is out of range 1-65535" },
		{ "vpdn-group A\n l2tp tunnel resync 65536\n",
		  "line 2: l2tp tunnel resync: 65536 is out of range 1-65535" },
		{ "vpdn-group A\n l2tp tunnel resync\n",
		  "line 2: l2tp tunnel resync: missing argument <1-65535>" },
		{ "vpdn-group A\n sso enable now\n",
		  "line 2: unexpected word 'now' after 'sso enable'" },
		{ "l2tp sso\n", "line 1: l2tp sso: incomplete command (expected enable)" },
		{ "vpdn history failure table-size 0\n",
		  "line 1: vpdn history failure table-size: 0 is out of range 1-100000" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct l2tpd_config cfg;
		char err[512] = "";
		int r = load(&cfg, cases[i].text, err, sizeof err);

		if (r != -EINVAL || !strstr(err, cases[i].expect))
			fail_msg("case %zu: r=%d\n  text: %s\n  got:  %s\n  want: %s", i, r,
				 cases[i].text, err, cases[i].expect);
		config_free(&cfg);
	}
}

/* A hand-made HA tunnel with one session, on the daemon of setup_daemon. */
static struct l2tp_tunnel *ha_tunnel_new(struct l2tpd *d, struct l2tp_session **sp)
{
	struct l2tp_tunnel *t = calloc(1, sizeof *t);
	struct l2tp_session *s = calloc(1, sizeof *s);

	assert_non_null(t);
	assert_non_null(s);
	t->d = d;
	t->grp = config_group_find(&d->cfg, "LNS");
	t->tid = 33003;
	t->peer_tid = 26355;
	t->state = L2TP_TUNNEL_ESTABLISHED;
	t->lns = 1;
	t->sso = 1;
	t->resync_window = 20;
	t->local.sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.10", &t->local.sin_addr);
	t->local.sin_port = htons(1701);
	t->peer.sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.9", &t->peer.sin_addr);
	t->peer.sin_port = htons(1702);
	TAILQ_INIT(&t->ctrl.sent);
	TAILQ_INIT(&t->ctrl.pending);
	LIST_INIT(&t->session_list);
	t->sessions = idmap_create();
	assert_non_null(t->sessions);
	assert_int_equal(idmap_put(t->sessions, 10, s), 0);
	t->n_sessions = 1;
	s->t = t;
	s->sid = 10;
	s->peer_sid = 20;
	s->state = L2TP_SESSION_ESTABLISHED;
	s->lns = 1;
	LIST_INSERT_HEAD(&t->session_list, s, link);
	LIST_INSERT_HEAD(&d->tunnels, t, link);
	d->tunnel_by_id[t->tid] = t;
	*sp = s;
	return t;
}

static void ha_tunnel_free(struct l2tpd *d, struct l2tp_tunnel *t, struct l2tp_session *s)
{
	LIST_REMOVE(t, link);
	d->tunnel_by_id[t->tid] = NULL;
	idmap_destroy(t->sessions);
	free(s);
	free(t);
}

/* show l2tp|vpdn redundancy on a daemon without a pair (STANDALONE). */
static void test_exec_redundancy(void **state)
{
	struct l2tpd *d = *state;
	struct l2tp_session *s;
	struct l2tp_tunnel *t;
	char want[128], *txt;

	assert_int_equal(d->ha.role, HA_ROLE_STANDALONE);
	snprintf(want, sizeof want, "Redundancy role: %s (no redundancy configured)\n",
		 ha_role_string(HA_ROLE_STANDALONE));
	expect_ok(d, "show l2tp redundancy", "L2TP HA support: Silent Failover\n", NULL);
	expect_ok(d, "show l2tp redundancy", want, NULL);
	/* the text's labels (Cisco's) are pinned by tests/golden/bras and ha_* */
	expect_ok(d, "show l2tp redundancy", NULL, "\"ha_support\":\"silent_failover\"");
	expect_ok(d, "show l2tp redundancy", NULL, "\"checkpoint_messaging\":false,"
		  "\"standby_up\":false,\"received_messages\":0,\"tunnel_totals\":{\"total\":0,"
		  "\"ha_enabled\":0,");
	expect_ok(d, "show vpdn redundancy", NULL, NULL);
	expect_ok(d, "show l2tp redundancy detail", "\nCheckpoint link counters:\n"
		  "  Records sent 0 (0 bytes), received 0 (0 bytes)\n", "\"link_stats\":{");
	expect_ok(d, "show l2tp redundancy detail", "\nCalls refused while resyncing "
		  "(cause 611): 0\n", "\"resync_refused\":0");
	expect_ok(d, "show l2tp redundancy all", "\nL2TP HA CC checkpoint status:\nLocTunID  "
		  "RemTunID  State", "\"tunnels\":[],\"sessions\":[]");

	/* one HA-enabled tunnel with an established session */
	t = ha_tunnel_new(d, &s);
	expect_ok(d, "show l2tp redundancy", NULL, "\"tunnel_totals\":{\"total\":1,"
		  "\"ha_enabled\":1,");
	expect_ok(d, "show l2tp redundancy", NULL, "\"session_totals\":{\"total\":1,"
		  "\"ha_enabled\":1,");
	expect_ok(d, "show l2tp redundancy all", "\n33003     26355     established    yes ",
		  "{\"local_tunnel_id\":33003,\"remote_tunnel_id\":26355,\"state\":"
		  "\"established\",\"ha_enabled\":true,");
	expect_ok(d, "show l2tp redundancy all", "\nL2TP HA session status:\nLocID   RemID   "
		  "TunID   State          HA-est Waiting for VPDN app  Waiting for L2TP protocol\n"
		  "10      20      33003   established    ",
		  "\"waiting_for_vpdn_application\":false,\"waiting_for_l2tp_protocol\":false}");
	expect_ok(d, "show l2tp redundancy all", " no                    no\n", NULL);
	expect_ok(d, "show l2tp redundancy id 33003", "\n33003     26355     established ",
		  "\"tunnels\":[{\"local_tunnel_id\":33003");
	expect_ok(d, "show l2tp redundancy detail id 33003", "Tunnel 33003/26355, state "
		  "established, vpdn-group LNS\n  Local address 192.0.2.10 port 1701, remote "
		  "address 192.0.2.9 port 1702\n  HA enabled yes", "\"resync_window\":20");
	expect_ok(d, "show l2tp redundancy detail id 33003 10",
		  "\nLocal session ID:             10\n"
		  "Remote session ID:            20\n"
		  "Local CC ID:                  33003\n"
		  "Remote CC ID:                 26355\n"
		  "Local UDP port:               1701\n"
		  "Remote UDP port:              1702\n"
		  "Waiting for VPDN application: no\n"
		  "Waiting for L2TP protocol:    no\n",
		  "{\"sessions\":[{\"local_session_id\":10,\"remote_session_id\":20,"
		  "\"local_cc_id\":33003,\"remote_cc_id\":26355,\"local_udp_port\":1701,"
		  "\"remote_udp_port\":1702,\"waiting_for_vpdn_application\":false,"
		  "\"waiting_for_l2tp_protocol\":false,");
	assert_int_equal(run(d, "show l2tp redundancy detail id 33003 10", 0, &txt), 0);
	assert_null(strstr(txt, "HA support"));	/* the session alone */
	assert_null(strstr(txt, "Tunnel 33003"));
	free(txt);
	/* the tunnel resyncs after a takeover: its sessions wait for L2TP */
	t->resyncing = 1;
	s->state = L2TP_SESSION_WAIT_CONNECT;
	expect_ok(d, "show vpdn redundancy detail id 33003 10",
		  "\nWaiting for VPDN application: yes\nWaiting for L2TP protocol:    yes\n", NULL);
	expect_ok(d, "show l2tp redundancy", NULL, "\"resyncing\":1}");
	expect_ok(d, "show l2tp redundancy all", " running ", "\"resync\":\"running\"");
	t->resyncing = 0;
	t->resync_result = -1;
	t->resync_ms = 8000;
	expect_ok(d, "show l2tp redundancy all", " failed  8000 ", "\"resync_ms\":8000");
	/* no l2tp sso enable */
	d->cfg.sso = 0;
	expect_ok(d, "show l2tp redundancy", "L2TP HA support: off (no l2tp sso enable)\n",
		  "\"ha_support\":\"off\"");
	d->cfg.sso = 1;

	expect_err(d, "show l2tp redundancy id 5", -ENOENT, "No such tunnel 5");
	expect_err(d, "show vpdn redundancy detail id 33003 11", -ENOENT,
		   "No such session 11 on tunnel 33003");
	expect_err(d, "show l2tp redundancy foo", -EINVAL, "Invalid input: unknown word 'foo' "
		   "after 'show l2tp redundancy' (expected all, detail, id)");
	expect_err(d, "show l2tp redundancy id 1 x", -EINVAL, "Invalid input: show l2tp "
		   "redundancy id 1: 'x' is not a number (expected <1-65535>)");
	ha_tunnel_free(d, t, s);
}

/* A standby shows its role, the link and its shadow store, never live totals. */
static void test_exec_redundancy_standby(void **state)
{
	struct l2tpd *d = *state;
	struct ha_rec r;
	char *s;

	d->ha.role = HA_ROLE_STANDBY;
	d->ha.shadow = ha_shadow_new();
	assert_non_null(d->ha.shadow);
	memset(&r, 0, sizeof r);
	r.type = HA_REC_TUNNEL;
	r.u.tunnel.tid = 33003;
	r.u.tunnel.peer_tid = 26355;
	r.u.tunnel.local_addr = ip4("192.0.2.10");
	r.u.tunnel.peer_addr = ip4("192.0.2.9");
	r.u.tunnel.local_port = htons(1701);
	r.u.tunnel.peer_port = htons(1702);
	r.u.tunnel.state = L2TP_TUNNEL_ESTABLISHED;
	r.u.tunnel.ha_enabled = 1;
	r.u.tunnel.resync = 20;
	snprintf(r.u.tunnel.group, sizeof r.u.tunnel.group, "LNS");
	assert_int_equal(ha_shadow_apply(d->ha.shadow, &r), 0);
	memset(&r, 0, sizeof r);
	r.type = HA_REC_SESSION;
	r.u.session.tid = 33003;
	r.u.session.sid = 10;
	r.u.session.peer_sid = 20;
	r.u.session.state = L2TP_SESSION_ESTABLISHED;
	r.u.session.ppp_up = 1;
	r.u.session.peer_ip = ip4("10.200.0.7");
	snprintf(r.u.session.user, sizeof r.u.session.user, "alice");
	snprintf(r.u.session.ifname, sizeof r.u.session.ifname, "ppp3");
	assert_int_equal(ha_shadow_apply(d->ha.shadow, &r), 0);

	expect_ok(d, "show l2tp redundancy", NULL,
		  "\"in_sync\":false,\"received_messages\":0,\"checkpointed\":{\"tunnels\":1,"
		  "\"sessions\":1,");
	assert_int_equal(run(d, "show l2tp redundancy", 0, &s), 0);
	assert_null(strstr(s, "L2TP tunnels:"));	/* only the active knows those */
	assert_null(strstr(s, "resynced"));
	free(s);
	expect_ok(d, "show l2tp redundancy all", "\nCheckpointed tunnels:\nLocTunID  RemTunID  "
		  "State          Remote Address  Port  Sessions Ns     Nr     Unacked VPDN Group\n"
		  "33003     26355     established    192.0.2.9       1702  1        0      0      "
		  "0       LNS\n", "\"tunnels\":[{\"local_tunnel_id\":33003,");
	expect_ok(d, "show l2tp redundancy all", "\n10      20      33003   established    alice"
		  "            10.200.0.7      ppp3\n", "\"user\":\"alice\"");
	expect_ok(d, "show vpdn redundancy detail id 33003 10",
		  "\nLocal session ID:             10\nRemote session ID:            20\n"
		  "Local CC ID:                  33003\nRemote CC ID:                 26355\n"
		  "Local UDP port:               1701\nRemote UDP port:              1702\n", NULL);
	expect_ok(d, "show l2tp redundancy detail id 33003", "Tunnel 33003/26355, state "
		  "established, vpdn-group LNS\n", "\"resync_window\":20");
	expect_err(d, "show l2tp redundancy id 4", -ENOENT, "No such checkpointed tunnel 4");
	expect_err(d, "show l2tp redundancy id 33003 11", -ENOENT,
		   "No such checkpointed session 11 on tunnel 33003");
	ha_shadow_free(d->ha.shadow);
	d->ha.shadow = NULL;
	d->ha.role = HA_ROLE_STANDALONE;
}

static void test_exec_redundancy_cmds(void **state)
{
	struct l2tpd *d = *state;
	char *s;

	/* debug categories, under both names */
	d->log.debug = 0;
	expect_ok(d, "debug l2tp redundancy resync", "L2TP redundancy resync debugging is on\n",
		  "{\"debug\":[\"redundancy resync\"]}");
	assert_int_equal(d->log.debug, LOG_DBG_HA_RESYNC);
	expect_ok(d, "debug vpdn redundancy rf", NULL, NULL);
	assert_int_equal(d->log.debug, LOG_DBG_HA_RESYNC | LOG_DBG_HA_RF);
	expect_ok(d, "no debug vpdn redundancy resync", NULL, NULL);
	expect_ok(d, "undebug l2tp redundancy rf", "All L2TP debugging is off", NULL);
	assert_int_equal(d->log.debug, 0);
	expect_ok(d, "debug l2tp redundancy all", NULL, NULL);
	assert_int_equal(d->log.debug, LOG_DBG_HA_CF | LOG_DBG_HA_DETAIL | LOG_DBG_HA_ERROR |
			 LOG_DBG_HA_EVENT | LOG_DBG_HA_FSM | LOG_DBG_HA_RESYNC | LOG_DBG_HA_RF);
	expect_ok(d, "debug l2tp fsm", NULL, NULL);
	expect_ok(d, "undebug vpdn redundancy all", "L2TP fsm debugging is on\n", NULL);
	assert_int_equal(d->log.debug, LOG_DBG_FSM);
	d->log.debug = 0;
	for (const char *const *c = (const char *const[]){ "cf", "detail", "error", "event",
							  "fsm", "resync", "rf", NULL };
	     *c; c++) {
		char line[64], name[64];
		unsigned cat;

		snprintf(line, sizeof line, "debug l2tp redundancy %s", *c);
		snprintf(name, sizeof name, "redundancy %s", *c);
		expect_ok(d, line, NULL, NULL);
		assert_int_equal(log_debug_parse(name, &cat), 0);
		assert_true(d->log.debug & cat);
	}
	expect_err(d, "debug l2tp redundancy bogus", -EINVAL, "Invalid input: unknown word "
		   "'bogus' after 'debug l2tp redundancy' "
		   "(expected {cf|detail|error|event|fsm|resync|rf|all})");
	d->log.debug = 0;

	/* the commands are in help; the crash points are not */
	expect_ok(d, "help", "redundancy state {master|backup|fault}", NULL);
	expect_ok(d, "help", "show l2tp redundancy [detail] id <1-65535> [<1-65535>]", NULL);
	expect_ok(d, "help", "\n redundancy mode:\n  [no] mode sso\n", NULL);
	expect_ok(d, "help", "[no] l2tp tunnel resync <1-65535>", NULL);
	assert_int_equal(run(d, "help", 0, &s), 0);
	assert_null(strstr(s, "crash-point"));
	assert_null(strstr(s, "[no] checkpoint curve\n"));
	free(s);
	expect_err(d, "test foo", -EINVAL, "Invalid input: unknown word 'foo' after 'test' "
		   "(expected vpdn)");
	expect_err(d, "test redundancy crash-point later", -EINVAL, "Invalid input: unknown "
		   "word 'later' after 'test redundancy crash-point' "
		   "(expected {none|tx-before-ckpt|ckpt-before-tx|resync})");
	expect_err(d, "redundancy state standby", -EINVAL, "Invalid input: unknown word "
		   "'standby' after 'redundancy state' (expected {master|backup|fault})");
	expect_err(d, "redundancy", -EINVAL, "Invalid input: 'redundancy' is a configuration "
		   "command; put it in the configuration file");
}

/* show / clear vpdn history failure */
static void test_history(void **state)
{
	struct l2tpd *d = *state;
	char *s;

	expect_ok(d, "show vpdn history failure", "Table size: 500\nNumber of entries in "
		  "table: 0\nVPDN user failure table is empty\n",
		  "{\"table_size\":500,\"entries\":0,\"recorded\":0,\"dropped\":0,"
		  "\"failures\":[]}");
	history_failure_add(d->history, NULL, 33003, 26355, 0, 7, ip4("192.0.2.9"),
			    HISTORY_CAUSE_HA_RESYNC, "Tunnel in HA resync");
	clock_advance(&d->clk, 65000);
	history_failure_add(d->history, "alice@example.net", 33003, 26355, 10, 20,
			    ip4("192.0.2.9"), 6, "PPP authentication failed");
	history_failure_add(d->history, "alice@example.net", 33003, 26355, 11, 21,
			    ip4("192.0.2.9"), 6, "PPP authentication failed");
	assert_int_equal(history_failure_count(d->history), 2);
	expect_ok(d, "show vpdn history failure", "Table size: 500\nNumber of entries in "
		  "table: 2\n\nUser: alice@example.net\nLocal tunnel ID: 33003, local session "
		  "ID: 11\nRemote tunnel ID: 26355, remote session ID: 21\nPeer address: "
		  "192.0.2.9\nLog time: ", "\"entries\":2,\"recorded\":3,");
	expect_ok(d, "show vpdn history failure", " (00:00:00 ago), Error repeat count: 2\n"
		  "Failure cause: 6\nFailure reason: PPP authentication failed\n\nUser: -\n",
		  "{\"user\":\"alice@example.net\",\"local_tunnel_id\":33003,"
		  "\"local_session_id\":11,\"remote_tunnel_id\":26355,\"remote_session_id\":21,"
		  "\"peer_address\":\"192.0.2.9\",\"log_time\":\"");
	expect_ok(d, "show vpdn history failure", " (00:01:05 ago), Error repeat count: 1\n"
		  "Failure cause: 611\nFailure reason: Tunnel in HA resync\n",
		  "\"age_seconds\":65,\"repeat_count\":1,\"cause\":611,\"reason\":\"Tunnel in HA "
		  "resync\"}]}");

	/* a smaller table keeps the newest */
	d->cfg.history_size = 2;
	for (unsigned i = 1; i <= 5; i++)
		history_failure_add(d->history, "", (uint16_t)i, 0, 0, 0, 0, 611,
				    "Tunnel in HA resync");
	assert_int_equal(history_failure_count(d->history), 2);
	assert_int_equal(run(d, "show vpdn history failure", 0, &s), 0);
	assert_non_null(strstr(s, "Table size: 2\nNumber of entries in table: 2\n\nUser: -\n"
			       "Local tunnel ID: 5,"));
	assert_non_null(strstr(s, "\nLocal tunnel ID: 4,"));
	assert_null(strstr(s, "\nLocal tunnel ID: 3,"));
	free(s);
	d->cfg.history_size = 3;
	history_failure_add(d->history, "bob", 6, 0, 0, 0, 0, 611, "x");
	assert_int_equal(history_failure_count(d->history), 3);
	assert_int_equal(run(d, "show vpdn history failure", 0, &s), 0);
	assert_non_null(strstr(s, "\nUser: bob\nLocal tunnel ID: 6,"));
	assert_non_null(strstr(s, "\nLocal tunnel ID: 4,"));
	free(s);

	expect_ok(d, "clear vpdn history failure", "Cleared 3 failure records\n", NULL);
	assert_int_equal(history_failure_count(d->history), 0);
	expect_ok(d, "show vpdn history failure", "Number of entries in table: 0\n", NULL);
	expect_ok(d, "help", "show vpdn history failure", NULL);
	history_free(&d->history);
	assert_null(d->history);
	history_free(&d->history);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_command),
		cmocka_unit_test(test_ppp_commands),
		cmocka_unit_test(test_vtemplate_reenter),
		cmocka_unit_test(test_no_forms),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_all_or_nothing),
		cmocka_unit_test(test_reenter_group),
		cmocka_unit_test(test_syntax_variants),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_example_file),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_out_text),
		cmocka_unit_test(test_out_json),
		cmocka_unit_test_setup_teardown(test_exec_empty, setup_daemon, teardown_daemon),
		cmocka_unit_test_setup_teardown(test_exec_errors, setup_daemon, teardown_daemon),
		cmocka_unit_test_setup_teardown(test_exec_pool, setup_daemon, teardown_daemon),
		cmocka_unit_test(test_exec_dial),
		cmocka_unit_test_setup_teardown(test_exec_debug, setup_daemon, teardown_daemon),
		cmocka_unit_test_setup_teardown(test_exec_tables, setup_daemon, teardown_daemon),
		cmocka_unit_test_setup_teardown(test_ctl, setup_daemon, teardown_daemon),
		cmocka_unit_test(test_redundancy_config),
		cmocka_unit_test(test_redundancy_bad),
		cmocka_unit_test_setup_teardown(test_exec_redundancy, setup_daemon, teardown_daemon),
		cmocka_unit_test_setup_teardown(test_exec_redundancy_standby, setup_daemon,
						teardown_daemon),
		cmocka_unit_test_setup_teardown(test_exec_redundancy_cmds, setup_daemon,
						teardown_daemon),
		cmocka_unit_test_setup_teardown(test_history, setup_daemon, teardown_daemon),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
