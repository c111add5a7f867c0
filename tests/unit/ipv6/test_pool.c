/*
 * IPv6 prefix pools (ipv6/pool.c): every prefix of a pool given once and
 * distinct, the exhausted pool refusing and counting, prefixes given back
 * and taken again, a given prefix reserved (RADIUS, checkpoint) and
 * refused when it is not one of the pool's, and the pools built from a
 * configuration.  The allocation order, shared with the IPv4 address
 * pools (core/ippool.c): a slot given back is given again last.
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

#include "core/config.h"
#include "core/ippool.h"
#include "ipv6/pool.h"

static void t_pfx(const char *s, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

/* A configuration with pools LINKS (2001:db8:1::/60 in /64s: 16) and PD
 * (2001:db8:100::/54 in /56s: 4). */
static void t_cfg(struct l2tpd_config *cfg)
{
	struct config_pool6 *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));

	assert_non_null(a);
	assert_non_null(b);
	config_init(cfg);
	strcpy(a->name, "LINKS");
	t_pfx("2001:db8:1::", a->prefix);
	a->len = 60;
	a->assign = 64;
	strcpy(b->name, "PD");
	t_pfx("2001:db8:100::", b->prefix);
	b->len = 54;
	b->assign = 56;
	TAILQ_INSERT_TAIL(&cfg->pools6, a, link);
	TAILQ_INSERT_TAIL(&cfg->pools6, b, link);
}

static void test_alloc_distinct(void **state)
{
	struct l2tpd_config cfg;
	struct ipv6_pool *pools = NULL;
	uint8_t got[16][16], p[16], base[16];
	uint8_t plen;
	char s[64];

	(void)state;
	t_cfg(&cfg);
	assert_int_equal(ipv6_pool_setup(&pools, &cfg), 0);
	assert_int_equal(ipv6_pool_find(pools, "LINKS")->size, 16);
	assert_int_equal(ipv6_pool_find(pools, "PD")->size, 4);
	t_pfx("2001:db8:1::", base);
	for (int i = 0; i < 16; i++) {
		assert_int_equal(ipv6_pool_alloc(pools, "LINKS", got[i], &plen), 0);
		assert_int_equal(plen, 64);
		assert_true(ipv6_prefix_match(got[i], base, 60));
		for (int j = 8; j < 16; j++)
			assert_int_equal(got[i][j], 0);
		for (int j = 0; j < i; j++)
			assert_memory_not_equal(got[i], got[j], 16);
	}
	/* in order: the first is the pool's prefix itself, the last ::f:0:0:0:0 */
	ipv6_prefix_format(got[0], 64, s, sizeof s);
	assert_string_equal(s, "2001:db8:1::/64");
	ipv6_prefix_format(got[15], 64, s, sizeof s);
	assert_string_equal(s, "2001:db8:1:f::/64");
	assert_int_equal(ipv6_pool_in_use(pools, "LINKS"), 16);
	/* exhausted: refused and counted */
	assert_int_equal(ipv6_pool_alloc(pools, "LINKS", p, &plen), -ENOSPC);
	assert_int_equal(ipv6_pool_alloc(pools, "LINKS", p, &plen), -ENOSPC);
	assert_int_equal(ipv6_pool_find(pools, "LINKS")->exhausted, 2);
	/* one back, and it is the one given next */
	assert_int_equal(ipv6_pool_free(pools, "LINKS", got[5], 64), 0);
	assert_int_equal(ipv6_pool_in_use(pools, "LINKS"), 15);
	assert_int_equal(ipv6_pool_free(pools, "LINKS", got[5], 64), -EALREADY);
	assert_int_equal(ipv6_pool_alloc(pools, "LINKS", p, &plen), 0);
	assert_memory_equal(p, got[5], 16);
	/* the /56s */
	assert_int_equal(ipv6_pool_alloc(pools, "PD", p, &plen), 0);
	assert_int_equal(plen, 56);
	assert_int_equal(ipv6_pool_alloc(pools, "PD", p, &plen), 0);
	ipv6_prefix_format(p, plen, s, sizeof s);
	assert_string_equal(s, "2001:db8:100:100::/56");
	assert_int_equal(ipv6_pool_alloc(pools, "NOPE", p, &plen), -ENOENT);
	assert_int_equal(ipv6_pool_in_use(pools, "NOPE"), -ENOENT);
	ipv6_pool_teardown(&pools);
	assert_null(pools);
	config_free(&cfg);
}

static void test_reserve(void **state)
{
	struct l2tpd_config cfg;
	struct ipv6_pool *pools = NULL;
	uint8_t p[16], q[16];
	uint8_t plen;

	(void)state;
	t_cfg(&cfg);
	assert_int_equal(ipv6_pool_setup(&pools, &cfg), 0);
	t_pfx("2001:db8:100:200::", p);
	assert_int_equal(ipv6_pool_reserve(pools, "PD", p, 56), 0);
	assert_int_equal(ipv6_pool_reserve(pools, "PD", p, 56), -EEXIST);
	assert_int_equal(ipv6_pool_in_use(pools, "PD"), 1);
	/* the wrong length, a bit past the length, outside the pool */
	assert_int_equal(ipv6_pool_reserve(pools, "PD", p, 64), -ERANGE);
	t_pfx("2001:db8:100:201::", q);
	assert_int_equal(ipv6_pool_reserve(pools, "PD", q, 56), -ERANGE);
	t_pfx("2001:db8:200::", q);
	assert_int_equal(ipv6_pool_reserve(pools, "PD", q, 56), -ERANGE);
	assert_int_equal(ipv6_pool_free(pools, "PD", q, 56), -ERANGE);
	assert_int_equal(ipv6_pool_reserve(pools, "NOPE", p, 56), -ENOENT);
	assert_int_equal(ipv6_pool_free(pools, "NOPE", p, 56), -ENOENT);
	/* the reserved one is skipped by the allocator */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ipv6_pool_alloc(pools, "PD", q, &plen), 0);
		assert_memory_not_equal(q, p, 16);
	}
	assert_int_equal(ipv6_pool_alloc(pools, "PD", q, &plen), -ENOSPC);
	ipv6_pool_teardown(&pools);
	config_free(&cfg);
}

static void test_setup_refused(void **state)
{
	struct l2tpd_config cfg;
	struct ipv6_pool *pools = NULL;

	(void)state;
	t_cfg(&cfg);
	TAILQ_LAST(&cfg.pools6, config_pool6_list)->len = 30;	/* 2^26 /56s */
	assert_int_equal(ipv6_pool_setup(&pools, &cfg), -EINVAL);
	assert_null(pools);
	TAILQ_LAST(&cfg.pools6, config_pool6_list)->len = 60;	/* /60 into /56 */
	assert_int_equal(ipv6_pool_setup(&pools, &cfg), -EINVAL);
	assert_null(pools);
	config_free(&cfg);
}

/* A pool of /128s (IA_NA addresses): the Subnet-Router anycast address
 * (a zero interface identifier, RFC 4291 §2.6.1) is never given, reserved
 * or freed; the others are, each once; a pool whose identifiers are not
 * zero gives all of them. */
static void test_addresses(void **state)
{
	struct l2tpd_config cfg;
	struct config_pool6 *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct ipv6_pool *pools = NULL;
	uint8_t got[4][16], p[16], anycast[16];
	uint8_t plen;
	char s[64];

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	config_init(&cfg);
	strcpy(a->name, "NA");
	t_pfx("2001:db8:ff::", a->prefix);
	a->len = 126;
	a->assign = 128;
	strcpy(b->name, "HOSTS");
	t_pfx("2001:db8:ff::1:0", b->prefix);
	b->len = 126;
	b->assign = 128;
	TAILQ_INSERT_TAIL(&cfg.pools6, a, link);
	TAILQ_INSERT_TAIL(&cfg.pools6, b, link);
	assert_int_equal(ipv6_pool_setup(&pools, &cfg), 0);
	assert_int_equal(ipv6_pool_find(pools, "NA")->size, 3);
	assert_int_equal(ipv6_pool_find(pools, "HOSTS")->size, 4);
	t_pfx("2001:db8:ff::", anycast);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ipv6_pool_alloc(pools, "NA", got[i], &plen), 0);
		assert_int_equal(plen, 128);
		assert_memory_not_equal(got[i], anycast, 16);
	}
	ipv6_prefix_format(got[0], 128, s, sizeof s);
	assert_string_equal(s, "2001:db8:ff::1/128");
	assert_int_equal(ipv6_pool_alloc(pools, "NA", p, &plen), -ENOSPC);
	assert_int_equal(ipv6_pool_in_use(pools, "NA"), 3);
	assert_int_equal(ipv6_pool_reserve(pools, "NA", anycast, 128), -ERANGE);
	assert_int_equal(ipv6_pool_free(pools, "NA", anycast, 128), -ERANGE);
	assert_int_equal(ipv6_pool_free(pools, "NA", got[1], 128), 0);
	assert_int_equal(ipv6_pool_in_use(pools, "NA"), 2);
	assert_int_equal(ipv6_pool_alloc(pools, "NA", p, &plen), 0);
	assert_memory_equal(p, got[1], 16);
	/* HOSTS: 2001:db8:ff::1:0 has a nonzero identifier, given first */
	assert_int_equal(ipv6_pool_alloc(pools, "HOSTS", p, &plen), 0);
	ipv6_prefix_format(p, 128, s, sizeof s);
	assert_string_equal(s, "2001:db8:ff::1:0/128");
	ipv6_pool_teardown(&pools);
	config_free(&cfg);
}

/* A prefix or address given back is the last given again: the next
 * allocations go on past the last one given (spreading reuse), and the
 * pool comes back to it only after the others. */
static void test_freed_given_last(void **state)
{
	struct l2tpd_config cfg;
	struct ipv6_pool *pools6 = NULL;
	struct ippool *pools = NULL;
	struct config_pool *cp = calloc(1, sizeof(*cp));
	uint8_t got[3][16], p[16], plen;
	struct in_addr a, b;
	char s[64];

	(void)state;
	t_cfg(&cfg);
	assert_int_equal(ipv6_pool_setup(&pools6, &cfg), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(ipv6_pool_alloc(pools6, "LINKS", got[i], &plen), 0);
	assert_int_equal(ipv6_pool_free(pools6, "LINKS", got[1], 64), 0);
	assert_int_equal(ipv6_pool_alloc(pools6, "LINKS", p, &plen), 0);
	ipv6_prefix_format(p, plen, s, sizeof s);
	assert_string_equal(s, "2001:db8:1:3::/64");
	for (int i = 4; i < 16; i++)
		assert_int_equal(ipv6_pool_alloc(pools6, "LINKS", p, &plen), 0);
	assert_int_equal(ipv6_pool_alloc(pools6, "LINKS", p, &plen), 0);
	assert_memory_equal(p, got[1], 16);
	ipv6_pool_teardown(&pools6);

	/* IPv4: 10.0.0.1 - 10.0.0.4 */
	assert_non_null(cp);
	strcpy(cp->name, "P4");
	assert_int_equal(inet_pton(AF_INET, "10.0.0.1", &cp->first), 1);
	assert_int_equal(inet_pton(AF_INET, "10.0.0.4", &cp->last), 1);
	TAILQ_INSERT_TAIL(&cfg.pools, cp, link);
	assert_int_equal(ippool_setup(&pools, &cfg), 0);
	assert_int_equal(ippool_alloc(pools, "P4", &a), 0);
	assert_int_equal(ippool_alloc(pools, "P4", &b), 0);
	ippool_free(pools, "P4", a);
	assert_int_equal(ippool_alloc(pools, "P4", &b), 0);
	assert_string_equal(inet_ntoa(b), "10.0.0.3");
	assert_int_equal(ippool_alloc(pools, "P4", &b), 0);
	assert_string_equal(inet_ntoa(b), "10.0.0.4");
	assert_int_equal(ippool_alloc(pools, "P4", &b), 0);
	assert_string_equal(inet_ntoa(b), "10.0.0.1");
	assert_int_equal(ippool_alloc(pools, "P4", &b), -ENOSPC);
	ippool_teardown(&pools);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_distinct),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_setup_refused),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_freed_given_last),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
