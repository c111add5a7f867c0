/*
 * Live configuration changes (cli/config_reload.c): a reload applied to a
 * daemon carrying tunnels and calls, each category of change, the
 * refusals (nothing applied, the running configuration as it was), the
 * removed group that keeps its tunnels, the audit log, and the `reload`
 * command.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_check.h"
#include "harness.h"
#include "aaa/radius_client.h"
#include "cli/config_load.h"
#include "cli/config_reload.h"
#include "ha/ha.h"
#include "ha/ha_int.h"
#include "ha/status.h"
#include "haproto/ha_rec.h"
#include "core/config.h"
#include "core/history.h"
#include "core/ippool.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

#define CFG_HEAD \
	"hostname lns1\n" \
	"vpdn enable\n" \
	"username alice password a1ice\n" \
	"ip local pool P 10.0.0.1 10.0.0.9\n"
#define CFG_LNS \
	"vpdn-group LNS\n" \
	" accept-dialin\n" \
	"  protocol l2tp\n" \
	" terminate-from hostname lac1\n" \
	" local name lns1\n" \
	" l2tp tunnel password s3cret\n"
#define CFG_OTHER \
	"vpdn-group OTHER\n" \
	" accept-dialin\n" \
	"  protocol l2tp\n" \
	" terminate-from hostname lac9\n" \
	" l2tp tunnel password s3cret\n"
#define CFG_BASE CFG_HEAD CFG_LNS CFG_OTHER

static int reload(struct harness *h, const char *text, char *err, size_t errsz)
{
	err[0] = '\0';
	return config_reload_string(&h->d, text, "uid 0 (test)", err, errsz);
}

static struct harness *daemon_up(void **state)
{
	struct harness *h = h_new(state, CFG_BASE);

	assert_int_equal(ippool_setup(&h->d.pools, &h->d.cfg), 0);
	assert_int_equal(radius_client_init(&h->d), 0);
	return h;
}

static unsigned n_groups(const struct harness *h)
{
	const struct vpdn_group *g;
	unsigned n = 0;

	TAILQ_FOREACH(g, &h->d.cfg.groups, link)
		n++;
	return n;
}

/* A group removed with a tunnel up: the tunnel and its calls stay, new
 * calls get CDN result 4 with a failure record, new tunnels from its LAC
 * are refused, `show vpdn` says so; it goes with its last tunnel. */
static void test_group_removed(void **state)
{
	struct harness *h = daemon_up(state);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.10", 10, "lac1");
	struct vpdn_group *g = h_group(h, "LNS");
	const struct history_rec *r;
	struct l2tp_tunnel *t;
	struct h_peer *q;
	struct l2tp_msg *m;
	uint16_t s1, s2;
	char err[512], *text;

	s1 = h_lns_call(h, p, 1);
	s2 = h_lns_call(h, p, 2);
	h_flush_acks(h);
	h_drain(h);
	assert_true(reload(h, CFG_HEAD CFG_OTHER, err, sizeof err) > 0);
	t = h_tunnel(p);
	assert_non_null(t);
	assert_ptr_equal(t->grp, g);
	assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
	assert_int_equal(g->removed, 1);
	assert_int_equal(l2tp_session_find(t, s1)->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(l2tp_session_find(t, s2)->state, L2TP_SESSION_ESTABLISHED);
	assert_null(config_group_find(&h->d.cfg, "LNS"));
	assert_int_equal(n_groups(h), 2);
	text = cli_running(&h->d.cfg);
	assert_null(strstr(text, "vpdn-group LNS"));
	assert_non_null(strstr(text, "vpdn-group OTHER"));
	free(text);
	cli_expect_ok(&h->d, "show vpdn", "LNS              LNS  1       2        ",
		      "\"removed\":true");
	assert_int_equal(cli_run(&h->d, "show vpdn", 0, &text), 0);
	assert_non_null(strstr(text, "(removed from the configuration: its tunnels stay"));
	free(text);

	/* a new call on it: CDN result 4 (§4.4.2), recorded */
	h_icrq(p, 3, 3);
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_CDN, L2TP_CDN_NO_FACILITIES_TEMP, H_ANY);
	assert_int_equal(m->hdr.session_id, 3);
	r = history_failure_nth(h->d.history, 0);
	assert_non_null(r);
	assert_non_null(strstr(r->text, "vpdn-group removed"));
	assert_int_equal(h->d.n_sessions, 2);

	/* a new tunnel from its LAC: no group takes it */
	q = h_peer_new(h, "192.0.2.11", 11, H_SECRET);
	h_sccrq(q, "lac1");
	h_send(q);
	h_expect(h, q, L2TP_MSG_STOPCCN);

	/* the tunnel ends: the group with it */
	h_stopccn(p, L2TP_STOPCCN_GENERAL);
	h_send(p);
	clock_advance(&h->d.clk, 120000);
	l2tp_tunnel_reap(&h->d);
	assert_int_equal(config_reload_reap(&h->d), 1);
	assert_int_equal(n_groups(h), 1);
	assert_int_equal(config_reload_reap(&h->d), 0);
}

/* Configured again while its tunnels last: the same group, taking calls. */
static void test_group_readded(void **state)
{
	struct harness *h = daemon_up(state);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.12", 12, "lac1");
	struct vpdn_group *g = h_group(h, "LNS");
	char err[512];

	assert_true(reload(h, CFG_HEAD CFG_OTHER, err, sizeof err) > 0);
	assert_int_equal(g->removed, 1);
	assert_true(reload(h, CFG_BASE, err, sizeof err) > 0);
	assert_ptr_equal(config_group_find(&h->d.cfg, "LNS"), g);
	assert_int_equal(g->removed, 0);
	assert_int_equal(n_groups(h), 2);
	h_lns_call(h, p, 1);
	assert_int_equal(h->d.n_sessions, 1);
}

/* hello and retransmission knobs reach new tunnels only; the group keeps
 * its counters; a new group takes tunnels at once. */
static void test_knobs_new_tunnels(void **state)
{
	struct harness *h = daemon_up(state);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.13", 13, "lac1");
	struct vpdn_group *g = h_group(h, "LNS");
	struct h_peer *q;
	char err[512];

	assert_int_equal(h_tunnel(p)->ctrl.cfg.hello_ms, 60000);
	assert_int_equal(g->tunnels_up, 1);
	assert_true(reload(h, CFG_HEAD CFG_LNS " l2tp tunnel hello 30\n"
			   " l2tp tunnel retransmit retries 7\n" CFG_OTHER
			   "vpdn-group NEW\n accept-dialin\n  protocol l2tp\n"
			   " terminate-from hostname lac2\n l2tp tunnel password s3cret\n",
			   err, sizeof err) > 0);
	assert_string_equal(err, "");
	assert_ptr_equal(h_group(h, "LNS"), g);
	assert_int_equal(g->hello, 30);
	assert_int_equal(g->tunnels_up, 1);
	assert_int_equal(h_tunnel(p)->ctrl.cfg.hello_ms, 60000);
	assert_int_equal(h_tunnel(p)->ctrl.cfg.retries, 5);
	q = h_lns_tunnel(h, "192.0.2.14", 14, "lac1");
	assert_int_equal(h_tunnel(q)->ctrl.cfg.hello_ms, 30000);
	assert_int_equal(h_tunnel(q)->ctrl.cfg.retries, 7);
	q = h_lns_tunnel(h, "192.0.2.15", 15, "lac2");
	assert_ptr_equal(h_tunnel(q)->grp, h_group(h, "NEW"));
}

/* A pool cannot shrink or go under addresses in use: refused whole (the
 * hello change with it), the running configuration as it was. */
static void test_pool_refused_then_grown(void **state)
{
	struct harness *h = daemon_up(state);
	struct in_addr a;
	char err[512], *before, *after;

	for (int i = 0; i < 3; i++)
		assert_int_equal(ippool_alloc(h->d.pools, "P", &a), 0);
	before = cli_running(&h->d.cfg);
	assert_int_equal(reload(h, "hostname lns1\nvpdn enable\nusername alice password a1ice\n"
				"ip local pool P 10.0.0.1 10.0.0.2\n" CFG_LNS
				" l2tp tunnel hello 30\n" CFG_OTHER, err, sizeof err), -EBUSY);
	assert_non_null(strstr(err, "ip local pool P: address 10.0.0.3 is in use"));
	after = cli_running(&h->d.cfg);
	assert_string_equal(before, after);
	free(after);
	assert_int_equal(h_group(h, "LNS")->hello, 60);
	assert_int_equal(ippool_in_use(h->d.pools, "P"), 3);

	/* removed under them: refused too */
	assert_int_equal(reload(h, "hostname lns1\nvpdn enable\n" CFG_LNS CFG_OTHER, err,
				sizeof err), -EBUSY);
	assert_non_null(strstr(err, "ip local pool P: 3 addresses are in use"));
	after = cli_running(&h->d.cfg);
	assert_string_equal(before, after);
	free(after);
	free(before);

	/* grown: taken, the addresses in use stay taken */
	assert_true(reload(h, "hostname lns1\nvpdn enable\nusername alice password a1ice\n"
			   "ip local pool P 10.0.0.1 10.0.0.20\n" CFG_LNS CFG_OTHER, err,
			   sizeof err) > 0);
	assert_int_equal(ippool_in_use(h->d.pools, "P"), 3);
	for (int i = 0; i < 17; i++) {
		assert_int_equal(ippool_alloc(h->d.pools, "P", &a), 0);
		assert_true(ntohl(a.s_addr) > ntohl(inet_addr("10.0.0.3")));
	}
	assert_int_equal(ippool_alloc(h->d.pools, "P", &a), -ENOSPC);
}

/* What holds a socket opened at start is refused, with the reason. */
static void test_fixed_refused(void **state)
{
	struct harness *h = daemon_up(state);
	char err[512], *before, *after;

	before = cli_running(&h->d.cfg);
	assert_int_equal(reload(h, CFG_BASE "l2tp port 1702\n", err, sizeof err), -EBUSY);
	assert_non_null(strstr(err, "l2tp port cannot change while l2tpd runs"));
	assert_int_equal(reload(h, CFG_BASE "vpdn source-ip 192.0.2.1\n", err, sizeof err),
			 -EBUSY);
	assert_non_null(strstr(err, "vpdn source-ip cannot change"));
	assert_int_equal(reload(h, CFG_BASE "redundancy\n mode sso\n checkpoint local 10.9.0.1\n"
				" checkpoint peer 10.9.0.2\n checkpoint security none\n", err,
				sizeof err), -EBUSY);
	assert_non_null(strstr(err, "the redundancy block cannot change"));
	after = cli_running(&h->d.cfg);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* Built once at start (IPv6 prefix pools, the PPPoE access side): a reload
 * that changes them is refused whole; one that keeps them keeps them whole
 * (the lists are the running configuration's, not the freed new one's). */
static void test_static_parts(void **state)
{
	struct harness *h = h_new(state, CFG_BASE "ipv6 local pool L6 2001:db8:1::/48 64\n"
				  "bba-group pppoe global\n ac name BRAS1\n");
	char err[512], *before, *after;
	const struct config_pool6 *p6;

	assert_int_equal(ippool_setup(&h->d.pools, &h->d.cfg), 0);
	assert_int_equal(radius_client_init(&h->d), 0);
	before = cli_running(&h->d.cfg);
	assert_int_equal(reload(h, CFG_BASE "ipv6 local pool L6 2001:db8:2::/48 64\n"
				"bba-group pppoe global\n ac name BRAS1\n", err, sizeof err), -EBUSY);
	assert_non_null(strstr(err, "ipv6 local pool cannot change while l2tpd runs yet"));
	assert_int_equal(reload(h, CFG_BASE "ipv6 local pool L6 2001:db8:1::/48 64\n"
				"bba-group pppoe global\n ac name BRAS2\n", err, sizeof err), -EBUSY);
	assert_non_null(strstr(err, "the PPPoE access side"));
	after = cli_running(&h->d.cfg);
	assert_string_equal(before, after);
	free(after);

	/* A change elsewhere: applied, the static parts kept and readable. */
	assert_true(reload(h, CFG_BASE "username bob password b0b\n"
			   "ipv6 local pool L6 2001:db8:1::/48 64\n"
			   "bba-group pppoe global\n ac name BRAS1\n", err, sizeof err) > 0);
	p6 = TAILQ_FIRST(&h->d.cfg.pools6);
	assert_non_null(p6);
	assert_string_equal(p6->name, "L6");
	assert_null(TAILQ_NEXT(p6, link));
	assert_string_equal(TAILQ_FIRST(&h->d.cfg.bba_groups)->ac_name, "BRAS1");
	after = cli_running(&h->d.cfg);
	assert_non_null(strstr(after, "ipv6 local pool L6 2001:db8:1::/48 64\n"));
	assert_non_null(strstr(after, "username bob"));
	free(before);
	free(after);
}

/* A broken file: refused with its line, nothing applied. */
static void test_broken_file(void **state)
{
	struct harness *h = daemon_up(state);
	char err[512], *before, *after;

	before = cli_running(&h->d.cfg);
	assert_int_equal(reload(h, "hostname other\nvpdn-group LNS\n l2tp tunnel hello 5000\n",
				err, sizeof err), -EINVAL);
	assert_string_equal(err, "line 3: l2tp tunnel hello: 5000 is out of range 0-1000");
	after = cli_running(&h->d.cfg);
	assert_string_equal(before, after);
	assert_string_equal(h->d.cfg.hostname, "lns1");
	free(before);
	free(after);
}

/* Users and RADIUS servers: added, changed and removed live. */
static void test_users_radius(void **state)
{
	struct harness *h = daemon_up(state);
	char err[512];

	assert_null(radius_client_stats(&h->d, 0, RADIUS_AUTH));
	assert_true(reload(h, CFG_BASE "username bob password b0b\n"
			   "radius-server host 192.0.2.50 key k1\n", err, sizeof err) > 0);
	assert_non_null(config_user_find(&h->d.cfg, "bob"));
	assert_non_null(radius_client_stats(&h->d, 0, RADIUS_AUTH));
	assert_null(radius_client_stats(&h->d, 1, RADIUS_AUTH));
	/* one more appended, alice gone */
	assert_true(reload(h, "hostname lns1\nvpdn enable\nip local pool P 10.0.0.1 10.0.0.9\n"
			   CFG_LNS CFG_OTHER "username bob password b0b\n"
			   "radius-server host 192.0.2.50 key k1\n"
			   "radius-server host 192.0.2.51 key k2\n", err, sizeof err) > 0);
	assert_null(config_user_find(&h->d.cfg, "alice"));
	assert_non_null(radius_client_stats(&h->d, 1, RADIUS_AUTH));
	assert_int_equal(h->d.cfg.radius.n_servers, 2);
	/* the first removed (RADIUS idle): the client is rebuilt with one */
	assert_true(reload(h, CFG_BASE "radius-server host 192.0.2.51 key k2\n", err,
			   sizeof err) > 0);
	assert_non_null(radius_client_stats(&h->d, 0, RADIUS_AUTH));
	assert_null(radius_client_stats(&h->d, 1, RADIUS_AUTH));
	assert_int_equal(h->d.cfg.radius.servers[0].addr.s_addr, inet_addr("192.0.2.51"));
}

/* Read the file f from the start. */
static char *slurp(FILE *f)
{
	static char buf[16384];
	size_t n;

	fflush(f);
	rewind(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	return buf;
}

static unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (const char *s = hay; (s = strstr(s, needle)) != NULL; s++)
		n++;
	return n;
}

/* Every change logged once, with its author, secrets masked; a reload
 * that changes nothing logs no change. */
static void test_audit_log(void **state)
{
	struct harness *h = daemon_up(state);
	FILE *f = tmpfile();
	int saved = dup(STDERR_FILENO);
	char err[512], *log;

	assert_non_null(f);
	h->d.log.level = LOG_NOTICE;
	h->d.log.to_stderr = 1;
	fflush(stderr);
	assert_true(dup2(fileno(f), STDERR_FILENO) >= 0);
	assert_int_equal(reload(h, CFG_HEAD CFG_LNS " l2tp tunnel hello 30\n" CFG_OTHER
				"username bob password S3CRETB0B\n", err, sizeof err), 2);
	assert_int_equal(reload(h, CFG_HEAD CFG_LNS " l2tp tunnel hello 30\n" CFG_OTHER
				"username bob password S3CRETB0B\n", err, sizeof err), 0);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	log = slurp(f);
	assert_int_equal(count(log, "configuration change by uid 0 (test): + vpdn-group LNS > "
			       "l2tp tunnel hello 30\n"), 1);
	assert_int_equal(count(log, "configuration change by uid 0 (test): + username bob "
			       "password *****\n"), 1);
	assert_int_equal(count(log, "configuration change by"), 2);
	assert_null(strstr(log, "S3CRETB0B"));
	fclose(f);
}

/* vpdn softshut, set live: a new call gets CDN result 4 and a new tunnel
 * StopCCN result 6, each with a failure record; the established tunnel
 * keeps its calls and its HELLOs; `no vpdn softshut` takes calls again. */
static void test_softshut(void **state)
{
	struct harness *h = daemon_up(state);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.20", 20, "lac1");
	const struct history_rec *r;
	struct h_peer *q;
	struct l2tp_msg *m;
	char err[512], *text;
	uint16_t s1;

	s1 = h_lns_call(h, p, 1);
	h_flush_acks(h);
	h_drain(h);
	assert_int_equal(reload(h, CFG_BASE "vpdn softshut\n", err, sizeof err), 1);
	assert_int_equal(cli_run(&h->d, "show vpdn", 0, &text), 0);
	assert_non_null(strstr(text, "VPDN is enabled (soft shutdown: new tunnels and sessions "
			       "are refused, the established ones go on)"));
	free(text);
	cli_expect_ok(&h->d, "show vpdn", "soft shutdown", "\"softshut\":true");

	h_icrq(p, 2, 2);
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_CDN, L2TP_CDN_NO_FACILITIES_TEMP, H_ANY);
	assert_int_equal(m->hdr.session_id, 2);
	h_send_zlb(p);		/* the CDN acknowledged */
	r = history_failure_nth(h->d.history, 0);
	assert_non_null(r);
	assert_string_equal(r->text, "vpdn softshut: new sessions refused");

	q = h_peer_new(h, "192.0.2.21", 21, H_SECRET);
	h_sccrq(q, "lac1");
	h_send(q);
	h_expect_result(h, q, L2TP_MSG_STOPCCN, L2TP_STOPCCN_SHUTDOWN, H_ANY);
	r = history_failure_nth(h->d.history, 0);
	assert_string_equal(r->text, "vpdn softshut: new tunnels refused");
	assert_int_equal(r->cause, L2TP_STOPCCN_SHUTDOWN);

	/* the established tunnel goes on: its call, its HELLO (60 s idle) */
	h_flush_acks(h);
	h_drain(h);
	clock_advance(&h->d.clk, 61000);
	h_expect(h, p, L2TP_MSG_HELLO);
	assert_int_equal(l2tp_session_find(h_tunnel(p), s1)->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(h_tunnel(p)->state, L2TP_TUNNEL_ESTABLISHED);

	assert_int_equal(reload(h, CFG_BASE, err, sizeof err), 1);
	h_send_zlb(p);		/* the HELLO acknowledged */
	h_drain(h);
	h_lns_call(h, p, 3);
	assert_int_equal(h->d.n_sessions, 2);
}

/* A Virtual-Template removed while sessions run stays allocated (their
 * PPP links point to it), out of the configuration; it goes when no
 * session is left. */
static void test_vtemplate_removed(void **state)
{
	static const char vt[] = "interface Virtual-Template 1\n ip address 10.9.9.9 "
				 "255.255.255.255\n peer default ip address pool P\n";
	struct harness *h = daemon_up(state);
	struct config_vtemplate *v;
	struct h_peer *p;
	char err[512], *text;

	{
		char cfg[2048];

		snprintf(cfg, sizeof cfg, "%s%s", CFG_BASE, vt);
		assert_true(reload(h, cfg, err, sizeof err) > 0);
	}
	v = config_vtemplate_find(&h->d.cfg, 1);
	assert_non_null(v);
	p = h_lns_tunnel(h, "192.0.2.30", 30, "lac1");
	h_lns_call(h, p, 1);
	assert_int_equal(reload(h, CFG_BASE, err, sizeof err), 3);	/* its three lines */
	assert_null(config_vtemplate_find(&h->d.cfg, 1));
	assert_ptr_equal(TAILQ_FIRST(&h->d.cfg.vtemplates), v);	/* still allocated */
	assert_int_equal(v->removed, 1);
	assert_int_equal(v->mtu, CONFIG_DEF_MTU);
	text = cli_running(&h->d.cfg);
	assert_null(strstr(text, "Virtual-Template"));
	free(text);
	config_reload_reap(&h->d);
	assert_ptr_equal(TAILQ_FIRST(&h->d.cfg.vtemplates), v);	/* a session runs */
	h_stopccn(p, L2TP_STOPCCN_GENERAL);
	h_send(p);
	clock_advance(&h->d.clk, 120000);
	l2tp_tunnel_reap(&h->d);
	assert_int_equal(h->d.n_sessions, 0);
	config_reload_reap(&h->d);
	assert_true(TAILQ_EMPTY(&h->d.cfg.vtemplates));
}

/* The records the active sends: the last Config one kept (its text copied). */
struct pair_sink {
	unsigned n_config;
	struct ha_config_rec last;
	char text[8192];
	uint64_t seq;
};

static uint64_t pair_sink(void *arg, const struct ha_rec *r)
{
	struct pair_sink *ps = arg;

	if (r->type == HA_REC_CONFIG) {
		ps->n_config++;
		ps->last = r->u.config;
		assert_true(r->u.config.len < sizeof ps->text);
		memcpy(ps->text, r->u.config.text, r->u.config.len);
		ps->text[r->u.config.len] = '\0';
		ps->last.text = ps->text;
	}
	return ++ps->seq;
}

/* The pair: a change on the active reaches the standby, which runs it
 * (its own redundancy block kept) and is in step; one it cannot take
 * (a port) is a mismatch, shown with the reason, then in step again. */
static void test_pair_sync(void **state)
{
	static const char red_a[] = "redundancy\n mode sso\n checkpoint local 10.9.0.1\n"
				    " checkpoint peer 10.9.0.2\n checkpoint security none\n";
	struct harness *h = daemon_up(state);
	struct l2tpd *b = calloc(1, sizeof *b);
	struct pair_sink ps = { 0 };
	struct ha_status st;
	char err[512], cfg[2048], *text;

	assert_non_null(b);
	assert_int_equal(l2tpd_init(b, 1), 0);
	b->log.level = LOG_CRIT;
	assert_int_equal(config_load_string(&b->cfg, CFG_HEAD "redundancy\n mode sso\n"
					    " checkpoint local 10.9.0.2\n checkpoint peer 10.9.0.1\n"
					    " checkpoint security none\n", err, sizeof err), 0);
	b->ha.role = HA_ROLE_STANDBY;
	ha_test_attach(&h->d, pair_sink, &ps);
	assert_int_equal(config_load_string(&h->d.cfg, red_a, err, sizeof err), 0);

	/* a change on the active: one record, without the active's redundancy block */
	snprintf(cfg, sizeof cfg, "%s%svpdn-group NEW\n accept-dialin\n  protocol l2tp\n",
		 CFG_BASE, red_a);
	assert_true(reload(h, cfg, err, sizeof err) > 0);
	assert_int_equal(ps.n_config, 1);
	assert_non_null(strstr(ps.text, "vpdn-group NEW\n"));
	assert_null(strstr(ps.text, "redundancy"));
	assert_int_equal(ps.last.digest, ha_rec_digest(ps.text, strlen(ps.text)));
	assert_int_equal(ps.last.save, 0);
	ha_config_received(b, &ps.last);
	assert_non_null(config_group_find(&b->cfg, "NEW"));
	assert_non_null(config_group_find(&b->cfg, "LNS"));
	assert_int_equal(b->cfg.red.local.s_addr, inet_addr("10.9.0.2"));	/* its own */
	ha_status_get(b, &st);
	assert_int_equal(st.cfg_received, 1);
	assert_int_equal(st.cfg_mismatch, 0);
	assert_int_equal(st.cfg_local_digest, ps.last.digest);
	text = NULL;
	assert_int_equal(cli_run(b, "show l2tp redundancy", 0, &text), 0);
	assert_non_null(strstr(text, "Configuration: in step with the active (digest "));
	free(text);

	/* what the standby cannot take live: a mismatch, said */
	snprintf(cfg, sizeof cfg, "%sl2tp port 1799\n", ps.text);
	ps.last.text = cfg;
	ps.last.len = strlen(cfg);
	ps.last.digest = ha_rec_digest(cfg, ps.last.len);
	ha_config_received(b, &ps.last);
	ha_status_get(b, &st);
	assert_int_equal(st.cfg_mismatch, 1);
	assert_non_null(strstr(st.cfg_why, "refused here: l2tp port cannot change"));
	assert_int_equal(cli_run(b, "show l2tp redundancy", 0, &text), 0);
	assert_non_null(strstr(text, "Configuration: MISMATCH with the active (digest "));
	assert_non_null(strstr(text, "refused here: l2tp port cannot change"));
	free(text);
	assert_int_not_equal(b->cfg.port, 1799);

	/* in step again with the next one */
	snprintf(cfg, sizeof cfg, "%s%s", CFG_BASE, red_a);
	assert_true(reload(h, cfg, err, sizeof err) > 0);
	assert_int_equal(ps.n_config, 2);
	ha_config_received(b, &ps.last);
	ha_status_get(b, &st);
	assert_int_equal(st.cfg_mismatch, 0);
	assert_null(config_group_find(&b->cfg, "NEW"));
	l2tpd_fini(b);
	free(b);
}

/* The EXEC command: the file of -c again; a broken one refused. */
static void test_reload_command(void **state)
{
	struct harness *h = daemon_up(state);
	char path[] = "/tmp/l2tpd-reload-XXXXXX", *text, *before;
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(CFG_BASE "username carol password c\n", f);
	fclose(f);
	snprintf(h->d.cfg_path, sizeof h->d.cfg_path, "%s", path);
	cli_expect_ok(&h->d, "reload", ": 1 lines changed", "\"lines_changed\":");
	assert_non_null(config_user_find(&h->d.cfg, "carol"));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(CFG_BASE "vpdn-group X\n frobnicate\n", f);
	fclose(f);
	assert_int_equal(cli_run(&h->d, "reload", 0, &text), -EINVAL);
	assert_non_null(strstr(text, "% Reload refused: "));
	assert_non_null(strstr(text, ": line 17: unknown command 'frobnicate'"));
	assert_non_null(strstr(text, "the running configuration stays"));
	free(text);
	assert_null(config_group_find(&h->d.cfg, "X"));

	/* the end-of-file checks, for reload and SIGHUP alike: each line is
	 * good, the whole is not (a template no line defines) */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(CFG_BASE "vpdn-group Y\n accept-dialin\n  protocol l2tp\n  virtual-template 42\n",
	      f);
	fclose(f);
	text = cli_running(&h->d.cfg);
	assert_int_equal(cli_run(&h->d, "reload", 0, &before), -EINVAL);
	assert_non_null(strstr(before, "vpdn-group Y: virtual-template 42 is not defined"));
	free(before);
	{
		char err[512];

		assert_int_equal(l2tpd_reload(&h->d, err, sizeof err), -EINVAL);	/* SIGHUP */
		assert_non_null(strstr(err, "vpdn-group Y: virtual-template 42 is not defined"));
	}
	assert_null(config_group_find(&h->d.cfg, "Y"));
	before = cli_running(&h->d.cfg);
	assert_string_equal(before, text);	/* nothing of it applied */
	free(before);
	free(text);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_group_removed, h_teardown),
		cmocka_unit_test_teardown(test_group_readded, h_teardown),
		cmocka_unit_test_teardown(test_knobs_new_tunnels, h_teardown),
		cmocka_unit_test_teardown(test_pool_refused_then_grown, h_teardown),
		cmocka_unit_test_teardown(test_fixed_refused, h_teardown),
		cmocka_unit_test_teardown(test_static_parts, h_teardown),
		cmocka_unit_test_teardown(test_broken_file, h_teardown),
		cmocka_unit_test_teardown(test_users_radius, h_teardown),
		cmocka_unit_test_teardown(test_audit_log, h_teardown),
		cmocka_unit_test_teardown(test_reload_command, h_teardown),
		cmocka_unit_test_teardown(test_softshut, h_teardown),
		cmocka_unit_test_teardown(test_vtemplate_removed, h_teardown),
		cmocka_unit_test_teardown(test_pair_sync, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
