/*
 * The TCP MSS clamp table (kernel_glue/nft_mss.c) as nft(8) text: the
 * interface group of each value, the whole table for a set of values, the
 * text that removes it, and the values refused.  Nothing reaches nftables
 * here (tests/integration/t_mss_clamp_table.sh runs the text through it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>
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
	/* The most values the daemon asks for fit the text buffer. */
	for (unsigned i = 0; i < NFT_MSS_VALUES_MAX; i++)
		many[i] = (uint16_t)(NFT_MSS_MAX - i);
	assert_true(nft_mss_ruleset(buf, sizeof(buf), many, NFT_MSS_VALUES_MAX) > 0);
	assert_non_null(strstr(buf, "iifgroup 101429 "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nft_mss_group),
		cmocka_unit_test(test_nft_mss_ruleset),
		cmocka_unit_test(test_nft_mss_remove),
		cmocka_unit_test(test_nft_mss_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
