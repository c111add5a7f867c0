/*
 * Where a PPP link's random bytes come from: with cfg.rand, the owner's
 * pool (ppp_random), which asks core/rand.h for a block at a time; without
 * it, core/rand.h for every magic number, Challenge and Identifier.  This
 * file's rand_bytes() replaces rand.c's and counts the calls: a call each
 * was a getrandom system call each, four a PPP session.
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

#include "core/clock.h"
#include "core/log.h"
#include "core/rand.h"
#include "core/rand_pool.h"
#include "ppp/ppp.h"

#include "ppp_twolink.h"

#define LINKS	32

static unsigned rand_calls;
static uint32_t rand_state = 0x12345678u;

void rand_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	rand_calls++;
	for (size_t i = 0; i < len; i++) {
		rand_state = rand_state * 1103515245u + 12345u;
		p[i] = (uint8_t)(rand_state >> 16);
	}
}

/* LINKS pairs (CHAP-MD5) brought to IPCP up, each end's cfg.rand = pool;
 * the calls to rand_bytes they made. */
static unsigned links_up(struct rand_pool *pool)
{
	unsigned before = rand_calls;

	for (int i = 0; i < LINKS; i++) {
		struct tnet *n = malloc(sizeof(*n));

		assert_non_null(n);
		t_net_init(n);
		n->a.cfg.auth[0] = PPP_AUTH_CHAP_MD5;
		n->a.cfg.n_auth = 1;
		n->a.cfg.rand = pool;
		n->b.cfg.rand = pool;
		inet_pton(AF_INET, "192.0.2.1", &n->a.cfg.local_addr);
		inet_pton(AF_INET, "198.51.100.7", &n->a.assign);
		n->a.secret = "wonderland";
		snprintf(n->b.cfg.user, sizeof(n->b.cfg.user), "alice");
		snprintf(n->b.cfg.password, sizeof(n->b.cfg.password), "wonderland");
		n->b.cfg.auth[0] = PPP_AUTH_CHAP_MD5;
		n->b.cfg.n_auth = 1;
		t_end_start(&n->a, "lns: ");
		t_end_start(&n->b, "client: ");
		assert_int_equal(ppp_open(n->a.p), 0);
		assert_int_equal(ppp_open(n->b.p), 0);
		t_run(n, 100);
		assert_int_equal(n->a.ups_ipcp, 1);
		assert_int_equal(n->b.ups_ipcp, 1);
		t_net_free(n);
		free(n);
	}
	return rand_calls - before;
}

static void test_pool_draws_in_blocks(void **state)
{
	struct rand_pool pool;
	unsigned direct, pooled;

	(void)state;
	memset(&pool, 0, sizeof(pool));
	direct = links_up(NULL);
	/* each end: a magic number, an Identifier, an Interface-Identifier;
	 * the authenticator: a Challenge too */
	assert_true(direct >= LINKS * 7);
	pooled = links_up(&pool);
	/* about 60 bytes a pair: a block of RAND_POOL_SIZE serves four */
	assert_true(pooled > 0);
	assert_true(pooled <= LINKS * 60 / RAND_POOL_SIZE + 2);
}

/* The bytes a link is handed are the pool's, and each only once. */
static void test_pool_bytes_handed_once(void **state)
{
	struct rand_pool pool;
	uint8_t a[8], b[8];

	(void)state;
	memset(&pool, 0, sizeof(pool));
	rand_pool_bytes(&pool, a, sizeof(a));
	rand_pool_bytes(&pool, b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(pool.used, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_draws_in_blocks),
		cmocka_unit_test(test_pool_bytes_handed_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
