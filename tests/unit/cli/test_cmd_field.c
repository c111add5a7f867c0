/*
 * Configuration values and the running configuration (cli/cmd_field.c):
 * the defaults (core/config.c) and that they print nothing, every `no`
 * form restoring its default, and the round trip of a full configuration
 * through `show running-config`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_check.h"
#include "cli/config_load.h"
#include "core/config.h"

/* How cli_full_config's PPP part prints. */
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

static void test_defaults(void **state)
{
	struct l2tpd_config cfg;
	struct vpdn_group *g;

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
	char *rc = cli_running(&cfg);
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

	assert_int_equal(cli_load(&cfg, "interface Virtual-Template 65535\n", err, sizeof err), 0);
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
	rc = cli_running(&cfg);
	snprintf(expect, sizeof expect, "hostname %s\n!\ninterface Virtual-Template 65535\n!\n",
		 cfg.hostname);
	assert_string_equal(rc, expect);
	free(rc);
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

	assert_int_equal(cli_load(&cfg, cli_full_config, err, sizeof err), 0);
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
	a = cli_running(&cfg);
	b = cli_running(&ref);
	assert_string_equal(a, b);
	cli_assert_config_equal(&cfg, &ref);
	free(a);
	free(b);
	config_free(&ref);

	/* and the templates go */
	assert_int_equal(config_load_string(&cfg, "no interface Virtual-Template 7\n"
					    "no interface Virtual-Template2\n", err, sizeof err), 0);
	assert_true(TAILQ_EMPTY(&cfg.vtemplates));
	config_free(&cfg);
}

static void test_roundtrip(void **state)
{
	struct l2tpd_config a, b;
	char err[256];
	char *p1, *p2;

	assert_int_equal(cli_load(&a, cli_full_config, err, sizeof err), 0);
	p1 = cli_running(&a);
	assert_int_equal(cli_load(&b, p1, err, sizeof err), 0);
	p2 = cli_running(&b);
	assert_string_equal(p1, p2);
	cli_assert_config_equal(&a, &b);	/* nothing was lost in print */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_no_forms),
		cmocka_unit_test(test_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
