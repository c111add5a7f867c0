/*
 * PPP for LNS sessions (cli/cmd_ppp.c): users, `ip local pool`, `interface
 * Virtual-Template N` and each of its commands, templates left and entered
 * again, and `show ip local pool` with addresses taken from the pools
 * (core/ippool.c).
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
#include "core/ippool.h"

static void test_ppp_commands(void **state)
{
	struct l2tpd_config cfg;
	const struct config_user *u;
	const struct config_pool *p;
	const struct config_vtemplate *vt;
	char err[256] = "";

	assert_int_equal(cli_load(&cfg, cli_full_config, err, sizeof err), 0);
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
	assert_int_equal(p->first.s_addr, cli_ip4("10.200.0.1"));
	assert_int_equal(p->last.s_addr, cli_ip4("10.200.0.254"));
	p = config_pool_find(&cfg, "ONE");
	assert_non_null(p);
	assert_int_equal(p->first.s_addr, cli_ip4("10.201.0.1"));
	assert_int_equal(p->last.s_addr, cli_ip4("10.201.0.1"));
	p = config_pool_find(&cfg, "BIG");	/* was 65536 addresses: the most */
	assert_non_null(p);
	assert_int_equal(p->last.s_addr, cli_ip4("10.100.0.255"));
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
	assert_int_equal(vt->local_addr.s_addr, cli_ip4("10.200.255.254"));
	assert_string_equal(vt->pool, "SUBS");
	assert_int_equal(vt->n_auth, 3);
	assert_int_equal(vt->auth[0], CONFIG_AUTH_MSCHAPV2);
	assert_int_equal(vt->auth[1], CONFIG_AUTH_CHAP);
	assert_int_equal(vt->auth[2], CONFIG_AUTH_PAP);
	assert_int_equal(vt->mtu, 1400);
	assert_int_equal(vt->dns[0].s_addr, cli_ip4("192.0.2.53"));
	assert_int_equal(vt->dns[1].s_addr, cli_ip4("192.0.2.54"));
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
	assert_int_equal(vt->dns[0].s_addr, cli_ip4("192.0.2.53"));
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
	assert_int_equal(vt->dns[0].s_addr, cli_ip4("198.51.100.1"));
	assert_int_equal(vt->dns[1].s_addr, 0);	/* the second server went with the command */
	config_free(&cfg);
}

/* A template left and entered again is the one its lines edit. */
static void test_vtemplate_reenter(void **state)
{
	struct l2tpd_config cfg;
	char err[256];
	char *rc;

	assert_int_equal(cli_load(&cfg, "interface Virtual-Template 3\n mtu 1000\n"
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
	rc = cli_running(&cfg);
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

/* show ip local pool: what the configuration says, and what is taken */
static void test_exec_pool(void **state)
{
	struct l2tpd *d = *state;
	struct in_addr a;
	char *s;

	cli_expect_ok(d, "show ip local pool", "Pool             Begin           End             "
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
	cli_expect_ok(d, "show ip local pool SUBS", "\nSUBS             10.200.0.1      10.200.0.254    "
		      "254      3        251\n", "\"size\":254,\"in_use\":3,\"free\":251}]}");
	assert_int_equal(cli_run(d, "show ip local pool ONE", 0, &s), 0);
	assert_null(strstr(s, "SUBS"));
	assert_non_null(strstr(s, "\nONE              10.201.0.1      10.201.0.1      1        "
			       "1        0\n"));
	free(s);
	ippool_teardown(&d->pools);
	cli_expect_err(d, "show ip local pool NOPE", -ENOENT, "No such pool NOPE");
	cli_expect_err(d, "show ip local pool SUBS x", -EINVAL,
		       "Invalid input: unexpected word 'x' after 'show ip local pool SUBS'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ppp_commands),
		cmocka_unit_test(test_vtemplate_reenter),
		cmocka_unit_test_setup_teardown(test_exec_pool, cli_daemon_setup,
						cli_daemon_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
