/*
 * The TCP MSS clamp table (kernel_glue/nft_mss.c) as nft(8) text: the
 * interface group of each value, the whole table for a set of values, the
 * text that removes it, and the values refused; then the same through
 * libnftables into this host's kernel, in a network namespace of the
 * test's own (skipped without the right to make one): written, listed,
 * rewritten, removed, and nft's refusal of bad text reported.
 */
#define _GNU_SOURCE	/* unshare */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <nftables/libnftables.h>
#include "kernel_glue/nft_mss.h"

static void test_nft_mss_group(void **state)
{
	(void)state;
	assert_int_equal(nft_mss_group(1400), NFT_MSS_GROUP_BASE + 1400);
	assert_int_equal(nft_mss_group(500), 100500);
	assert_int_equal(nft_mss_group(1460), 101460);
	assert_int_equal(nft_mss_group(499), 0);
	assert_int_equal(nft_mss_group(1461), 0);
	assert_int_equal(nft_mss_group(0), 0);
}

/* Two values: one transaction that replaces the table whole, a rule each
 * way per value, both matching SYN (and SYN-ACK: & syn == syn), lowering
 * only a larger MSS, counted. */
static void test_nft_mss_ruleset(void **state)
{
	static const char exp[] =
		"table inet l2tpd\n"
		"delete table inet l2tpd\n"
		"table inet l2tpd {\n"
		"\tchain mss_clamp {\n"
		"\t\ttype filter hook forward priority mangle; policy accept;\n"
		"\t\toifgroup 101300 tcp flags & syn == syn tcp option maxseg size > 1300 "
		"counter tcp option maxseg size set 1300\n"
		"\t\tiifgroup 101300 tcp flags & syn == syn tcp option maxseg size > 1300 "
		"counter tcp option maxseg size set 1300\n"
		"\t\toifgroup 101452 tcp flags & syn == syn tcp option maxseg size > 1452 "
		"counter tcp option maxseg size set 1452\n"
		"\t\tiifgroup 101452 tcp flags & syn == syn tcp option maxseg size > 1452 "
		"counter tcp option maxseg size set 1452\n"
		"\t}\n"
		"}\n";
	const uint16_t mss[] = { 1300, 1452 };
	char buf[NFT_MSS_TEXT_MAX];

	(void)state;
	assert_int_equal(nft_mss_ruleset(buf, sizeof(buf), mss, 2), (int)strlen(exp));
	assert_string_equal(buf, exp);
}

/* No value: the table goes (`table` first, so that deleting it never fails
 * on a table that is not there). */
static void test_nft_mss_remove(void **state)
{
	static const char exp[] = "table inet l2tpd\ndelete table inet l2tpd\n";
	char buf[256];

	(void)state;
	assert_int_equal(nft_mss_ruleset(buf, sizeof(buf), NULL, 0), (int)strlen(exp));
	assert_string_equal(buf, exp);
}

static void test_nft_mss_refused(void **state)
{
	const uint16_t dup[] = { 1400, 1300, 1400 }, low[] = { 499 }, high[] = { 1461 };
	uint16_t many[NFT_MSS_VALUES_MAX];
	char buf[NFT_MSS_TEXT_MAX];

	(void)state;
	assert_int_equal(nft_mss_ruleset(buf, sizeof(buf), dup, 3), -EINVAL);
	assert_int_equal(nft_mss_ruleset(buf, sizeof(buf), low, 1), -EINVAL);
	assert_int_equal(nft_mss_ruleset(buf, sizeof(buf), high, 1), -EINVAL);
	assert_int_equal(nft_mss_ruleset(buf, sizeof(buf), NULL, 1), -EINVAL);
	assert_int_equal(nft_mss_ruleset(buf, 60, dup, 1), -EMSGSIZE);
	assert_int_equal(nft_mss_ruleset(buf, sizeof(buf), dup, NFT_MSS_VALUES_MAX + 1), -EINVAL);
	/* The most values the daemon asks for fit the text buffer. */
	for (unsigned i = 0; i < NFT_MSS_VALUES_MAX; i++)
		many[i] = (uint16_t)(NFT_MSS_MAX - i);
	assert_true(nft_mss_ruleset(buf, sizeof(buf), many, NFT_MSS_VALUES_MAX) > 0);
	assert_non_null(strstr(buf, "iifgroup 101429 "));
}

/* `nft list table inet l2tpd` in this namespace: the text (malloc'd), or
 * NULL when nft says there is no such table. */
static char *t_list(void)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	char *out = NULL;

	assert_non_null(nft);
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	if (nft_run_cmd_from_buffer(nft, "list table inet " NFT_MSS_TABLE) == 0)
		out = strdup(nft_ctx_get_output_buffer(nft));
	nft_ctx_free(nft);
	return out;
}

static int t_has_rule(const char *list, const char *dir, unsigned mss)
{
	char want[160];

	snprintf(want, sizeof(want), "%s %u tcp flags & syn == syn tcp option maxseg size > %u "
		 "counter packets 0 bytes 0 tcp option maxseg size set %u", dir,
		 nft_mss_group(mss), mss, mss);
	return strstr(list, want) != NULL;
}

/* This process moves to a network namespace of its own: the host's
 * rules are never touched. */
static void test_nft_mss_kernel(void **state)
{
	const uint16_t two[] = { 1300, 1452 }, one[] = { 1400 };
	char err[200], *l;

	(void)state;
	if (unshare(CLONE_NEWNET) < 0) {
		print_message("no network namespace of our own (%s): skipped\n",
			      strerror(errno));
		skip();
	}
	assert_null(t_list());
	assert_int_equal(nft_mss_set(NULL, 0, err, sizeof(err)), 0);	/* none to remove */
	assert_int_equal(nft_mss_set(two, 2, err, sizeof(err)), 0);
	l = t_list();
	assert_non_null(l);
	assert_non_null(strstr(l, "type filter hook forward priority mangle; policy accept;"));
	assert_true(t_has_rule(l, "oifgroup", 1300) && t_has_rule(l, "iifgroup", 1300));
	assert_true(t_has_rule(l, "oifgroup", 1452) && t_has_rule(l, "iifgroup", 1452));
	free(l);
	/* Rewritten whole: 1300 and 1452 gone, 1400 there. */
	assert_int_equal(nft_mss_set(one, 1, err, sizeof(err)), 0);
	l = t_list();
	assert_non_null(l);
	assert_true(t_has_rule(l, "oifgroup", 1400) && t_has_rule(l, "iifgroup", 1400));
	assert_false(t_has_rule(l, "oifgroup", 1300) || t_has_rule(l, "iifgroup", 1452));
	free(l);
	assert_int_equal(nft_mss_set(NULL, 0, err, sizeof(err)), 0);
	assert_null(t_list());
	/* What nftables refuses comes back as nft's own words. */
	assert_int_equal(nft_mss_apply("table inet l2tpd { chain c { bogus; } }\n", err,
				       sizeof(err)), -EIO);
	assert_non_null(strstr(err, "Error"));
	assert_null(t_list());		/* a refused transaction leaves nothing */
	assert_int_equal(nft_mss_set(two, NFT_MSS_VALUES_MAX + 1, err, sizeof(err)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nft_mss_group),
		cmocka_unit_test(test_nft_mss_ruleset),
		cmocka_unit_test(test_nft_mss_remove),
		cmocka_unit_test(test_nft_mss_refused),
		cmocka_unit_test(test_nft_mss_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
