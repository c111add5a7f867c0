/*
 * The live configuration (see config.h): defaults, lookups, copies.  It is
 * read from the configuration file by cli/config_load.c, through the
 * command tables of cli/, which also print it back.
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

#include "core/config.h"

void config_default_hostname(char *buf, size_t size)
{
	if (size == 0)
		return;
	if (gethostname(buf, size) != 0 || !buf[0]) {
		snprintf(buf, size, "l2tpd");
		return;
	}
	buf[size - 1] = '\0';
	/* a word of the configuration grammar: no blanks */
	for (char *p = buf; *p; p++)
		if (*p == ' ' || *p == '\t' || (unsigned char)*p < 0x20)
			*p = '-';
}

void config_redundancy_defaults(struct config_redundancy *r)
{
	memset(r, 0, sizeof *r);
	r->local_port = CONFIG_DEF_CKPT_PORT;
	r->peer_port = CONFIG_DEF_CKPT_PORT;
	r->heartbeat_ms = CONFIG_DEF_HEARTBEAT_MS;
	r->dead_ms = CONFIG_DEF_DEAD_MS;
}

void config_radius_defaults(struct config_radius *r)
{
	memset(r, 0, sizeof *r);
	r->timeout = CONFIG_DEF_RADIUS_TIMEOUT;
	r->retransmit = CONFIG_DEF_RADIUS_RETRANSMIT;
	r->deadtime = CONFIG_DEF_RADIUS_DEADTIME;
	r->das_port = CONFIG_DEF_DAS_PORT;
	r->require_msgauth = 1;
}

void config_guard_defaults(struct config_guard *g)
{
	memset(g, 0, sizeof *g);
	g->half_open_max = CONFIG_DEF_HALF_OPEN;
	g->sccrq_source = CONFIG_DEF_SCCRQ_SOURCE;
	g->sccrq_source_interval = CONFIG_DEF_SCCRQ_INTERVAL;
	g->sccrq_total = CONFIG_DEF_SCCRQ_TOTAL;
	g->sccrq_total_interval = CONFIG_DEF_SCCRQ_INTERVAL;
	g->icrq_tunnel = CONFIG_DEF_ICRQ_TUNNEL;
	g->ip_failures = CONFIG_DEF_IP_FAILURES;
	g->ip_within = CONFIG_DEF_IP_WITHIN;
	g->ip_block = CONFIG_DEF_IP_BLOCK;
}

int config_prefix_match(const struct config_prefix *p, struct in_addr addr)
{
	uint32_t mask = p->len == 0 ? 0 : htonl(0xffffffffu << (32 - p->len));

	return (addr.s_addr & mask) == p->addr.s_addr;
}

void config_init(struct l2tpd_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	config_default_hostname(cfg->hostname, sizeof cfg->hostname);
	cfg->vpdn_enabled = 0;
	cfg->port = CONFIG_DEF_L2TP_PORT;
	TAILQ_INIT(&cfg->groups);
	TAILQ_INIT(&cfg->users);
	TAILQ_INIT(&cfg->pools);
	TAILQ_INIT(&cfg->vtemplates);
	cfg->sso = 1;
	config_redundancy_defaults(&cfg->red);
	cfg->history_size = CONFIG_DEF_HISTORY;
	config_radius_defaults(&cfg->radius);
	config_guard_defaults(&cfg->guard);
	TAILQ_INIT(&cfg->bba_groups);
	TAILQ_INIT(&cfg->access_ifs);
	config_pppoe_defaults(&cfg->pppoe);
}

void config_pppoe_defaults(struct config_pppoe *pc)
{
	pc->padi_mac = CONFIG_DEF_PADI_MAC;
	pc->padi_mac_interval = CONFIG_DEF_PADI_INTERVAL;
	pc->padi_total = CONFIG_DEF_PADI_TOTAL;
	pc->padi_total_interval = CONFIG_DEF_PADI_INTERVAL;
}

struct config_bba_group *config_bba_find(const struct l2tpd_config *cfg, const char *name)
{
	struct config_bba_group *b;

	TAILQ_FOREACH(b, &cfg->bba_groups, link)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

struct config_access_if *config_access_if_find(const struct l2tpd_config *cfg,
						const char *name)
{
	struct config_access_if *ai;

	TAILQ_FOREACH(ai, &cfg->access_ifs, link)
		if (strcmp(ai->name, name) == 0)
			return ai;
	return NULL;
}

void config_free(struct l2tpd_config *cfg)
{
	struct vpdn_group *g;
	struct config_user *u;
	struct config_pool *p;
	struct config_vtemplate *vt;
	struct config_bba_group *b;
	struct config_access_if *ai;

	while ((b = TAILQ_FIRST(&cfg->bba_groups))) {
		TAILQ_REMOVE(&cfg->bba_groups, b, link);
		free(b);
	}
	while ((ai = TAILQ_FIRST(&cfg->access_ifs))) {
		TAILQ_REMOVE(&cfg->access_ifs, ai, link);
		free(ai);
	}
	while ((g = TAILQ_FIRST(&cfg->groups))) {
		TAILQ_REMOVE(&cfg->groups, g, link);
		free(g);
	}
	while ((u = TAILQ_FIRST(&cfg->users))) {
		TAILQ_REMOVE(&cfg->users, u, link);
		/* a secret: not left behind in freed memory */
		memset(u->password, 0, sizeof u->password);
		free(u);
	}
	while ((p = TAILQ_FIRST(&cfg->pools))) {
		TAILQ_REMOVE(&cfg->pools, p, link);
		free(p);
	}
	while ((vt = TAILQ_FIRST(&cfg->vtemplates))) {
		TAILQ_REMOVE(&cfg->vtemplates, vt, link);
		free(vt);
	}
	/* the checkpoint link's secret key: not left behind either */
	memset(cfg->red.secret_key, 0, sizeof cfg->red.secret_key);
	/* nor the RADIUS keys */
	memset(&cfg->radius, 0, sizeof cfg->radius);
}

struct config_user *config_user_find(const struct l2tpd_config *cfg, const char *name)
{
	struct config_user *u;

	TAILQ_FOREACH(u, &cfg->users, link)
		if (strcmp(u->name, name) == 0)
			return u;
	return NULL;
}

struct config_pool *config_pool_find(const struct l2tpd_config *cfg, const char *name)
{
	struct config_pool *p;

	TAILQ_FOREACH(p, &cfg->pools, link)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

struct config_vtemplate *config_vtemplate_find(const struct l2tpd_config *cfg, int num)
{
	struct config_vtemplate *vt;

	TAILQ_FOREACH(vt, &cfg->vtemplates, link)
		if (vt->num == num)
			return vt;
	return NULL;
}

void config_group_defaults(struct vpdn_group *g)
{
	g->dialin = VPDN_NONE;
	g->protocol_l2tp = 0;
	g->virtual_template = 0;
	g->domain[0] = '\0';
	g->initiate_to.s_addr = 0;
	g->initiate_port = 0;
	g->terminate_from[0] = '\0';
	g->local_name[0] = '\0';
	g->password[0] = '\0';
	g->authentication = 1;
	g->hide_avps = 0;
	g->hello = CONFIG_DEF_HELLO;
	g->retries = CONFIG_DEF_RETRIES;
	g->rto_min = CONFIG_DEF_RTO_MIN;
	g->rto_max = CONFIG_DEF_RTO_MAX;
	g->rws = CONFIG_DEF_RWS;
	g->sso = 1;
	g->resync = CONFIG_DEF_RESYNC;
	g->session_limit = 0;
}

struct vpdn_group *config_group_find(const struct l2tpd_config *cfg, const char *name)
{
	struct vpdn_group *g;

	TAILQ_FOREACH(g, &cfg->groups, link)
		if (strcmp(g->name, name) == 0)
			return g;
	return NULL;
}

struct vpdn_group *config_group_add(struct l2tpd_config *cfg, const char *name)
{
	struct vpdn_group *g;

	if (strlen(name) >= sizeof g->name)
		return NULL;
	g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	memcpy(g->name, name, strlen(name) + 1);
	config_group_defaults(g);
	TAILQ_INSERT_TAIL(&cfg->groups, g, link);
	return g;
}

struct vpdn_group *config_group_for_peer(const struct l2tpd_config *cfg, const char *host)
{
	struct vpdn_group *g, *any = NULL;

	TAILQ_FOREACH(g, &cfg->groups, link) {
		if (g->dialin != VPDN_ACCEPT_DIALIN)
			continue;
		if (!g->terminate_from[0]) {
			if (!any)
				any = g;
		} else if (host && strcmp(g->terminate_from, host) == 0) {
			return g;
		}
	}
	return any;
}

/* Append a copy of each element of list src to list dst (same order). */
#define CONFIG_CLONE_LIST(dst, src, type)				\
	do {								\
		const struct type *e_;					\
									\
		TAILQ_FOREACH(e_, (src), link) {			\
			struct type *c_ = malloc(sizeof *c_);		\
									\
			if (!c_)					\
				goto nomem;				\
			memcpy(c_, e_, sizeof *c_);			\
			TAILQ_INSERT_TAIL((dst), c_, link);		\
		}							\
	} while (0)

/*
 * A deep copy (for the trial run of a file): every scalar field at once (so
 * a new one cannot be forgotten here), then the lists element by element.
 */
int config_clone(struct l2tpd_config *dst, const struct l2tpd_config *src)
{
	memcpy(dst, src, sizeof *dst);
	TAILQ_INIT(&dst->groups);
	TAILQ_INIT(&dst->users);
	TAILQ_INIT(&dst->pools);
	TAILQ_INIT(&dst->vtemplates);
	TAILQ_INIT(&dst->bba_groups);
	TAILQ_INIT(&dst->access_ifs);
	CONFIG_CLONE_LIST(&dst->bba_groups, &src->bba_groups, config_bba_group);
	CONFIG_CLONE_LIST(&dst->access_ifs, &src->access_ifs, config_access_if);
	CONFIG_CLONE_LIST(&dst->groups, &src->groups, vpdn_group);
	CONFIG_CLONE_LIST(&dst->users, &src->users, config_user);
	CONFIG_CLONE_LIST(&dst->pools, &src->pools, config_pool);
	CONFIG_CLONE_LIST(&dst->vtemplates, &src->vtemplates, config_vtemplate);
	return 0;
nomem:
	config_free(dst);
	return -ENOMEM;
}
