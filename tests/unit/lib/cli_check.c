/*
 * The configuration and command-line helpers of cli_check.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_check.h"
#include "json_valid.h"
#include "cli/cmd.h"
#include "cli/config_load.h"
#include "core/history.h"
#include "core/ippool.h"
#include "core/log.h"
#include "core/out.h"
#include "common/idmap.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

/* Every configuration command, each away from its default. */
const char cli_full_config[] =
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

char *cli_running(const struct l2tpd_config *cfg)
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
void cli_assert_config_equal(const struct l2tpd_config *a, const struct l2tpd_config *b)
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

	const struct config_pool6 *qa, *qb;

	for (qa = TAILQ_FIRST(&a->pools6), qb = TAILQ_FIRST(&b->pools6); qa && qb;
	     qa = TAILQ_NEXT(qa, link), qb = TAILQ_NEXT(qb, link)) {
		assert_string_equal(qa->name, qb->name);
		assert_memory_equal(qa->prefix, qb->prefix, 16);
		assert_int_equal(qa->len, qb->len);
		assert_int_equal(qa->assign, qb->assign);
	}
	assert_null(qa);
	assert_null(qb);

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
		assert_string_equal(va->pool6, vb->pool6);
		assert_int_equal(va->ra_interval, vb->ra_interval);
		assert_int_equal(va->ra_lifetime, vb->ra_lifetime);
		assert_int_equal(va->nd_managed, vb->nd_managed);
		assert_int_equal(va->nd_other, vb->nd_other);
		assert_string_equal(va->pd_pool, vb->pd_pool);
		assert_int_equal(va->pd_valid, vb->pd_valid);
		assert_int_equal(va->pd_preferred, vb->pd_preferred);
		assert_memory_equal(va->dns6, vb->dns6, sizeof va->dns6);
		assert_int_equal(va->rapid_commit, vb->rapid_commit);
		assert_int_equal(va->idle_timeout, vb->idle_timeout);
		assert_int_equal(va->absolute_timeout, vb->absolute_timeout);
	}
	assert_int_equal(na, nb);
}

in_addr_t cli_ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

int cli_load(struct l2tpd_config *cfg, const char *text, char *err, size_t errsz)
{
	config_init(cfg);
	return config_load_string(cfg, text, err, errsz);
}

void cli_expect_refused(const struct cli_bad_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct l2tpd_config cfg;
		char err[512] = "";
		int r = cli_load(&cfg, cases[i].text, err, sizeof err);

		if (r != -EINVAL || !strstr(err, cases[i].expect))
			fail_msg("case %zu: r=%d\n  text: %s\n  got:  %s\n  want: %s", i, r,
				 cases[i].text, err, cases[i].expect);
		config_free(&cfg);
	}
}

int cli_daemon_setup(void **state)
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
	if (!d->tunnel_by_id || config_load_string(&d->cfg, cli_full_config, err, sizeof err))
		return -1;
	if (history_init(&d->history, &d->clk, &d->cfg.history_size))
		return -1;
	*state = d;
	return 0;
}

int cli_daemon_teardown(void **state)
{
	struct l2tpd *d = *state;

	history_free(&d->history);
	ippool_teardown(&d->pools);	/* a live change (configure terminal) builds them */
	config_free(&d->cfg);
	free(d->tunnel_by_id);
	clock_destroy(&d->clk);
	log_close(&d->log);
	free(d);
	return 0;
}

/* Run a command; returns its status, the output in *text (malloc'd). */
int cli_run(struct l2tpd *d, const char *line, int json, char **text)
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

void cli_expect_ok(struct l2tpd *d, const char *line, const char *text_has,
		   const char *json_has)
{
	char *s;

	if (cli_run(d, line, 0, &s) != 0 || (text_has && !strstr(s, text_has)) || s[0] == '%')
		fail_msg("'%s' text: %s (want %s)", line, s, text_has ? text_has : "");
	free(s);
	if (cli_run(d, line, 1, &s) != 0 || (json_has && !strstr(s, json_has)) ||
	    strncmp(s, "{\"error\"", 8) == 0)
		fail_msg("'%s' json: %s (want %s)", line, s, json_has ? json_has : "");
	free(s);
}

void cli_expect_err(struct l2tpd *d, const char *line, int rc, const char *text)
{
	char *s;
	char want[512];
	int r = cli_run(d, line, 0, &s);

	snprintf(want, sizeof want, "%% %s\n", text);
	if (r != rc || strcmp(s, want) != 0)
		fail_msg("'%s': r=%d text: %s (want %d %s)", line, r, s, rc, want);
	free(s);
	r = cli_run(d, line, 1, &s);
	if (r != rc || strncmp(s, "{\"error\":\"", 10) != 0)
		fail_msg("'%s': r=%d json: %s", line, r, s);
	free(s);
}

struct l2tp_tunnel *cli_tunnel_new(struct l2tpd *d, uint16_t tid, uint16_t peer_tid,
				   struct l2tp_session **sp)
{
	struct l2tp_tunnel *t = calloc(1, sizeof *t);
	struct l2tp_session *s = calloc(1, sizeof *s);

	assert_non_null(t);
	assert_non_null(s);
	t->d = d;
	t->grp = config_group_find(&d->cfg, "LNS");
	t->tid = tid;
	t->peer_tid = peer_tid;
	t->state = L2TP_TUNNEL_ESTABLISHED;
	t->lns = 1;
	t->peer.sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.9", &t->peer.sin_addr);
	TAILQ_INIT(&t->ctrl.sent);
	TAILQ_INIT(&t->ctrl.pending);
	LIST_INIT(&t->session_list);
	t->sessions = idmap_create();
	assert_non_null(t->sessions);
	assert_int_equal(idmap_put(t->sessions, 10, s), 0);
	t->peer_sessions = idmap_create();
	assert_non_null(t->peer_sessions);
	assert_int_equal(idmap_put(t->peer_sessions, 20, s), 0);
	t->n_sessions = 1;
	s->t = t;
	s->sid = 10;
	s->peer_sid = 20;
	s->state = L2TP_SESSION_ESTABLISHED;
	LIST_INSERT_HEAD(&t->session_list, s, link);
	LIST_INSERT_HEAD(&d->tunnels, t, link);
	d->tunnel_by_id[t->tid] = t;
	*sp = s;
	return t;
}

void cli_tunnel_free(struct l2tpd *d, struct l2tp_tunnel *t, struct l2tp_session *s)
{
	LIST_REMOVE(t, link);
	d->tunnel_by_id[t->tid] = NULL;
	idmap_destroy(t->sessions);
	idmap_destroy(t->peer_sessions);
	free(s);
	free(t);
}
