/*
 * IPv6 for LNS sessions (cli/cmd_ipv6.c): `ipv6 local pool`, the
 * Virtual-Template's `peer default ipv6 pool`, `ipv6 nd ...` and `ipv6
 * dhcp server ...`, printed back and loaded again to the same
 * configuration, each refusal (bad prefixes, overlaps, sizes, references
 * checked at the end of the file), and `show ipv6 local pool` with prefixes
 * taken from the pools (ipv6/pool.c).
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
#include "ipv6/pool.h"

static const char cfg_ipv6[] =
	"ipv6 local pool LINKS 2001:db8:1::/48 64\n"
	"ipv6 local pool PD 2001:db8:100::/40 56\n"
	"ipv6 local pool SMALL 2001:db8:2::/62 64\n"
	"interface Virtual-Template 1\n"
	" ipv6 enable\n"
	" peer default ipv6 pool LINKS\n"
	" ipv6 nd ra interval 30\n"
	" ipv6 nd ra lifetime 900\n"
	" ipv6 nd managed-config-flag\n"
	" ipv6 nd other-config-flag\n"
	" ipv6 dhcp server prefix-delegation pool PD lifetime 7200 3600\n"
	" ipv6 dhcp server dns-server 2001:db8::53 2001:db8::54\n"
	" ipv6 dhcp server rapid-commit\n"
	"interface Virtual-Template 2\n"
	" ipv6 enable\n"
	" ipv6 dhcp server prefix-delegation pool PD\n";

static void test_ipv6_commands(void **state)
{
	struct l2tpd_config cfg, again;
	const struct config_pool6 *p;
	const struct config_vtemplate *vt;
	uint8_t a[16];
	char err[256] = "";
	char *run;

	(void)state;
	assert_int_equal(cli_load(&cfg, cfg_ipv6, err, sizeof err), 0);
	assert_string_equal(err, "");
	p = config_pool6_find(&cfg, "PD");
	assert_non_null(p);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:100::", a), 1);
	assert_memory_equal(p->prefix, a, 16);
	assert_int_equal(p->len, 40);
	assert_int_equal(p->assign, 56);
	vt = config_vtemplate_find(&cfg, 1);
	assert_string_equal(vt->pool6, "LINKS");
	assert_int_equal(vt->ra_interval, 30);
	assert_int_equal(vt->ra_lifetime, 900);
	assert_true(vt->nd_managed);
	assert_true(vt->nd_other);
	assert_string_equal(vt->pd_pool, "PD");
	assert_int_equal(vt->pd_valid, 7200);
	assert_int_equal(vt->pd_preferred, 3600);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::54", a), 1);
	assert_memory_equal(vt->dns6[1], a, 16);
	assert_true(vt->rapid_commit);
	/* defaults */
	vt = config_vtemplate_find(&cfg, 2);
	assert_int_equal(vt->ra_interval, CONFIG_DEF_RA_INTERVAL);
	assert_int_equal(vt->ra_lifetime, CONFIG_DEF_RA_LIFETIME);
	assert_int_equal(vt->pd_valid, CONFIG_DEF_PD_VALID);
	assert_int_equal(vt->pd_preferred, CONFIG_DEF_PD_PREFERRED);
	assert_false(vt->nd_managed);
	assert_true(ipv6_is_unspecified(vt->dns6[0]));

	/* printed as given (defaults left out), and loaded back the same */
	run = cli_running(&cfg);
	assert_non_null(strstr(run, "\ninterface Virtual-Template 1\n ipv6 enable\n"));
	assert_non_null(strstr(run, " peer default ipv6 pool LINKS\n ipv6 nd ra interval 30\n"
			       " ipv6 nd ra lifetime 900\n ipv6 nd managed-config-flag\n"
			       " ipv6 nd other-config-flag\n ipv6 dhcp server prefix-delegation "
			       "pool PD lifetime 7200 3600\n ipv6 dhcp server dns-server "
			       "2001:db8::53 2001:db8::54\n ipv6 dhcp server rapid-commit\n!\n"));
	assert_non_null(strstr(run, "interface Virtual-Template 2\n ipv6 enable\n ipv6 dhcp "
			       "server prefix-delegation pool PD\n!\n"));
	assert_non_null(strstr(run, "\nipv6 local pool LINKS 2001:db8:1::/48 64\n"
			       "ipv6 local pool PD 2001:db8:100::/40 56\n"
			       "ipv6 local pool SMALL 2001:db8:2::/62 64\n"));
	assert_int_equal(cli_load(&again, run, err, sizeof err), 0);
	cli_assert_config_equal(&cfg, &again);
	free(run);
	config_free(&again);

	/* `no` forms restore the defaults and delete the pool */
	assert_int_equal(config_load_string(&cfg, "interface Virtual-Template 1\n"
					    " no ipv6 nd ra interval\n no ipv6 nd managed-config-flag\n"
					    " no ipv6 dhcp server dns-server\n"
					    " no ipv6 dhcp server prefix-delegation pool PD\n"
					    " no peer default ipv6 pool\n exit\n"
					    "no ipv6 local pool SMALL\n", err, sizeof err), 0);
	vt = config_vtemplate_find(&cfg, 1);
	assert_int_equal(vt->ra_interval, CONFIG_DEF_RA_INTERVAL);
	assert_false(vt->nd_managed);
	assert_true(ipv6_is_unspecified(vt->dns6[0]));
	assert_string_equal(vt->pd_pool, "");
	assert_int_equal(vt->pd_valid, CONFIG_DEF_PD_VALID);
	assert_string_equal(vt->pool6, "");
	assert_null(config_pool6_find(&cfg, "SMALL"));
	config_free(&cfg);
}

static const struct cli_bad_case bad_cases[] = {
	{ "ipv6 local pool A 2001:db8::1/48 64\n", "line 1: ipv6 local pool A: the prefix has "
	  "bits set past its length /48" },
	{ "ipv6 local pool A 2001:db8::/48 40\n", "assigned length /40 is shorter" },
	{ "ipv6 local pool A 2001:db8::/32 56\n", "holds 2^24 prefixes (at most 2^20)" },
	{ "ipv6 local pool A 2001:db8::/48 64\nipv6 local pool B 2001:db8::/40 56\n",
	  "line 2: ipv6 local pool B: overlaps pool A (2001:db8::/48)" },
	{ "ipv6 local pool A 2001:db8::/48 64\nipv6 local pool B 2001:db8:0:100::/56 64\n",
	  "overlaps pool A" },
	{ "ipv6 local pool A 2001:db8:: 64\n", "'2001:db8::' is not an IPv6 prefix (X:X::X/M)" },
	{ "ipv6 local pool A 10.0.0.0/8 64\n", "is not an IPv6 prefix" },
	{ "ipv6 local pool A 2001:db8::/129 64\n", "is not an IPv6 prefix" },
	{ "ipv6 local pool A 2001:db8::/48 129\n", "129 is out of range 1-128" },
	{ "no ipv6 local pool A\n", "no pool named 'A'" },
	{ "interface Virtual-Template 1\n ipv6 dhcp server dns-server 2001:db8::/64\n",
	  "is not an IPv6 address (X:X::X)" },
	{ "interface Virtual-Template 1\n ipv6 dhcp server dns-server ::\n",
	  ":: is not a usable server address" },
	{ "interface Virtual-Template 1\n ipv6 dhcp server dns-server ff02::1\n",
	  "ff02::1 is not a usable server address" },
	{ "interface Virtual-Template 1\n ipv6 nd ra interval 3\n", "3 is out of range 4-1800" },
	{ "interface Virtual-Template 1\n ipv6 dhcp server prefix-delegation pool P lifetime "
	  "3600 7200\n", "the preferred lifetime 7200 is above the valid lifetime 3600" },
	/* references, at the end of the file */
	{ "interface Virtual-Template 1\n ipv6 enable\n peer default ipv6 pool NOPE\n",
	  "interface Virtual-Template 1: 'peer default ipv6 pool NOPE' names no pool" },
	{ "ipv6 local pool PD 2001:db8::/40 56\ninterface Virtual-Template 1\n ipv6 enable\n"
	  " peer default ipv6 pool PD\n", "ipv6 local pool PD gives /56 prefixes; a link's "
	  "advertised prefix is a /64" },
	{ "interface Virtual-Template 1\n ipv6 enable\n ipv6 dhcp server prefix-delegation "
	  "pool NOPE\n", "'ipv6 dhcp server prefix-delegation pool NOPE' names no pool" },
	{ "ipv6 local pool L 2001:db8::/64 80\ninterface Virtual-Template 1\n ipv6 enable\n"
	  " ipv6 dhcp server prefix-delegation pool L\n", "gives /80 prefixes; a delegated "
	  "prefix is /64 or shorter" },
	{ "ipv6 local pool L 2001:db8::/48 64\ninterface Virtual-Template 1\n"
	  " peer default ipv6 pool L\n", "IPv6 prefixes need 'ipv6 enable'" },
	{ "interface Virtual-Template 1\n ipv6 nd ra interval 600\n ipv6 nd ra lifetime 300\n",
	  "'ipv6 nd ra lifetime 300' is below the ra interval 600 s" },
};

static void test_ipv6_refused(void **state)
{
	(void)state;
	cli_expect_refused(bad_cases, sizeof bad_cases / sizeof bad_cases[0]);
}

static int t_setup(void **state)
{
	struct l2tpd *d;
	char err[256];

	if (cli_daemon_setup(state))
		return -1;
	d = *state;
	if (config_load_string(&d->cfg, cfg_ipv6, err, sizeof err))
		return -1;
	return ipv6_pool_setup(&d->pools6, &d->cfg);
}

static int t_teardown(void **state)
{
	struct l2tpd *d = *state;

	ipv6_pool_teardown(&d->pools6);
	return cli_daemon_teardown(state);
}

/* show ipv6 local pool: what the configuration says, and what is taken */
static void test_exec_pool(void **state)
{
	struct l2tpd *d = *state;
	uint8_t p[16];
	uint8_t plen;

	cli_expect_ok(d, "show ipv6 local pool",
		      "Pool             Prefix                     Assign  Size     In use   "
		      "Free     Exhausted\n"
		      "LINKS            2001:db8:1::/48            /64     65536    0        "
		      "65536    0\n"
		      "PD               2001:db8:100::/40          /56     65536    0        "
		      "65536    0\n"
		      "SMALL            2001:db8:2::/62            /64     4        0        4        0\n",
		      "{\"pools\":[{\"name\":\"LINKS\",\"prefix\":\"2001:db8:1::/48\","
		      "\"assign_length\":64,\"size\":65536,\"in_use\":0,\"free\":65536,"
		      "\"exhausted\":0},");
	for (int i = 0; i < 4; i++)
		assert_int_equal(ipv6_pool_alloc(d->pools6, "SMALL", p, &plen), 0);
	assert_int_equal(ipv6_pool_alloc(d->pools6, "SMALL", p, &plen), -ENOSPC);
	assert_int_equal(ipv6_pool_alloc(d->pools6, "PD", p, &plen), 0);
	cli_expect_ok(d, "show ipv6 local pool SMALL",
		      "\nSMALL            2001:db8:2::/62            /64     4        4        0        1\n",
		      "\"size\":4,\"in_use\":4,\"free\":0,\"exhausted\":1}]}");
	cli_expect_ok(d, "show ipv6 local pool PD", "65536    1        65535    0\n",
		      "\"in_use\":1,\"free\":65535");
	cli_expect_err(d, "show ipv6 local pool NOPE", -ENOENT, "No such pool NOPE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv6_commands),
		cmocka_unit_test(test_ipv6_refused),
		cmocka_unit_test_setup_teardown(test_exec_pool, t_setup, t_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
