/*
 * The global commands and VPDN groups (cli/cmd_global.c, cli/cmd_vpdn.c):
 * every command of the daemon and of its groups, the group for a peer,
 * re-entering a group, and the LAC's `test vpdn dial`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_check.h"
#include "cli/config_load.h"
#include "core/config.h"
#include "core/log.h"
#include "l2tp/call_info.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

static void test_every_command(void **state)
{
	struct l2tpd_config cfg;
	struct vpdn_group *g;
	char err[256] = "";
	struct in_addr a;

	assert_int_equal(cli_load(&cfg, cli_full_config, err, sizeof err), 0);
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

/* Re-entering a group edits it; the group keeps its identity. */
static void test_reenter_group(void **state)
{
	struct l2tpd_config cfg;
	struct vpdn_group *g;
	char err[256];

	assert_int_equal(cli_load(&cfg, "vpdn-group A\n l2tp tunnel hello 5\n"
				  "vpdn-group B\nvpdn-group A\n local name x\n", err,
				  sizeof err), 0);
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

static int dial_xmit(struct l2tp_tunnel *t, const uint8_t *buf, size_t len)
{
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

	assert_non_null(d);
	assert_int_equal(l2tpd_init(d, 1), 0);
	d->no_sockets = 1;
	d->xmit = dial_xmit;
	d->log.level = LOG_CRIT;
	if (config_load_string(&d->cfg, cli_full_config, err, sizeof err))
		fail_msg("%s", err);
	cli_expect_ok(d, "test vpdn dial vpdn-group LAC sessions 3 per-tunnel 2 username alice "
		      "password changed\"pw", "placed 3 sessions", NULL);
	cli_expect_ok(d, "test vpdn dial vpdn-group LAC sessions 1", "placed 1 sessions", NULL);
	LIST_FOREACH(t, &d->tunnels, link) {
		LIST_FOREACH(s, &t->session_list, link) {
			if (s->user[0]) {
				assert_string_equal(s->user, "alice");
				assert_string_equal(l2tp_session_rare_get(s)->password, "changed\"pw");
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

/* `lcp renegotiation always|on-mismatch`: one setting, `no` of the other
 * spelling leaves it. */
static void test_lcp_renegotiation(void **state)
{
	struct l2tpd_config cfg;
	struct vpdn_group *g;
	char err[256] = "";

	assert_int_equal(cli_load(&cfg, "vpdn-group L\n accept-dialin\n  protocol l2tp\n", err,
				  sizeof err), 0);
	g = config_group_find(&cfg, "L");
	assert_int_equal(g->lcp_reneg, VPDN_LCP_RENEG_NEVER);
	assert_int_equal(config_load_string(&cfg, "vpdn-group L\n accept-dialin\n"
					    "  lcp renegotiation on-mismatch\n", err, sizeof err), 0);
	assert_int_equal(g->lcp_reneg, VPDN_LCP_RENEG_ON_MISMATCH);
	assert_int_equal(config_load_string(&cfg, "vpdn-group L\n accept-dialin\n"
					    "  no lcp renegotiation always\n", err, sizeof err), 0);
	assert_int_equal(g->lcp_reneg, VPDN_LCP_RENEG_ON_MISMATCH);
	assert_int_equal(config_load_string(&cfg, "vpdn-group L\n accept-dialin\n"
					    "  lcp renegotiation always\n", err, sizeof err), 0);
	assert_int_equal(g->lcp_reneg, VPDN_LCP_RENEG_ALWAYS);
	assert_int_equal(config_load_string(&cfg, "vpdn-group L\n accept-dialin\n"
					    "  no lcp renegotiation always\n", err, sizeof err), 0);
	assert_int_equal(g->lcp_reneg, VPDN_LCP_RENEG_NEVER);
	/* an LNS setting: not in request-dialin mode */
	assert_int_not_equal(config_load_string(&cfg, "vpdn-group C\n request-dialin\n"
						"  lcp renegotiation always\n", err, sizeof err), 0);
	config_free(&cfg);
}

/* test vpdn dial ... proxy pap|chap: the calls carry the proxy */
static void test_exec_dial_proxy(void **state)
{
	struct l2tpd *d = calloc(1, sizeof *d);
	const struct l2tp_tunnel *t;
	const struct l2tp_session *s;
	unsigned pap = 0, chap = 0;
	char err[256];

	assert_non_null(d);
	assert_int_equal(l2tpd_init(d, 1), 0);
	d->no_sockets = 1;
	d->xmit = dial_xmit;
	d->log.level = LOG_CRIT;
	if (config_load_string(&d->cfg, cli_full_config, err, sizeof err))
		fail_msg("%s", err);
	cli_expect_ok(d, "test vpdn dial vpdn-group LAC sessions 2 username alice password pw "
		      "proxy pap", "placed 2 sessions", NULL);
	cli_expect_ok(d, "test vpdn dial vpdn-group LAC sessions 1 username bob password pw "
		      "proxy chap per-tunnel 1", "placed 1 sessions", NULL);
	cli_expect_err(d, "test vpdn dial vpdn-group LAC sessions 1 username bob password pw "
		       "proxy mschap", -EINVAL, "proxy: mschap is neither pap nor chap");
	/* the LNS setting is in the running configuration */
	if (config_load_string(&d->cfg, "vpdn-group LNS\n accept-dialin\n"
			       "  lcp renegotiation on-mismatch\n", err, sizeof err))
		fail_msg("%s", err);
	cli_expect_ok(d, "show running-config", "  lcp renegotiation on-mismatch\n", NULL);
	LIST_FOREACH(t, &d->tunnels, link) {
		LIST_FOREACH(s, &t->session_list, link) {
			assert_non_null(s->ci);
			assert_true(s->ci->flags & L2TP_CI_PROXY_LCP);
			assert_true(s->ci->flags & L2TP_CI_PROXY_AUTH);
			if (s->ci->auth_type == L2TP_PROXY_AUTH_PAP) {
				assert_string_equal(s->ci->auth_name, "alice");
				assert_int_equal(s->ci->auth_response_len, 2);
				pap++;
			} else {
				assert_int_equal(s->ci->auth_type, L2TP_PROXY_AUTH_CHAP);
				assert_int_equal(s->ci->auth_response_len, 16);
				chap++;
			}
		}
	}
	/* text and JSON each dialled */
	assert_int_equal(pap, 4);
	assert_int_equal(chap, 2);
	l2tpd_fini(d);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command),
		cmocka_unit_test(test_reenter_group),
		cmocka_unit_test(test_exec_dial),
		cmocka_unit_test(test_lcp_renegotiation),
		cmocka_unit_test(test_exec_dial_proxy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
