/*
 * The one print path (core/out.c): text with printf-like formats, JSON with
 * its escaping (RFC 8259; invalid UTF-8 replaced), nesting, errors that
 * replace what was printed, and a buffer that grows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "json_valid.h"
#include "core/out.h"

static void test_out_text(void **state)
{
	struct out o;

	out_init(&o, 0);
	out_uint(&o, "a", "[%-6u]", 42);
	out_uint(&o, "b", "[%6u]", 42);
	out_uint(&o, "c", "[%06lu]", 42);
	out_uint(&o, "d", "[%x]", 255);
	out_uint(&o, "e", "[%llu]", UINT64_MAX);
	out_int(&o, "f", "[%d]", -5);
	out_int(&o, "g", "[%05d]", -5);
	out_str(&o, "h", "[%-5s]", "ab");
	out_str(&o, "i", "[%.3s]", "abcdef");
	out_str(&o, "j", "[%s] 100%%", "x\ty\x7f");
	out_bool(&o, "k", "[%s]", 1);
	out_bool(&o, "l", "[%u]", 0);
	out_str(&o, "m", NULL, "hidden in text");
	out_obj_open(&o, "n");
	out_text(&o, "{%d}", 7);
	out_obj_close(&o);
	assert_int_equal(o.err, 0);
	assert_string_equal(o.buf, "[42    ][    42][000042][ff][18446744073709551615][-5][-0005]"
			    "[ab   ][abc][x?y?] 100%[yes][0]{7}");
	out_error(&o, "No such tunnel %d", 9);
	assert_string_equal(o.buf, "% No such tunnel 9\n");
	out_uint(&o, "late", "%u", 1);	/* nothing after an error */
	assert_string_equal(o.buf, "% No such tunnel 9\n");
	out_free(&o);

	/* the buffer grows */
	out_init(&o, 0);
	for (int i = 0; i < 10000; i++)
		out_str(&o, "s", "%s", "0123456789");
	assert_int_equal(o.len, 100000);
	assert_int_equal(strlen(o.buf), 100000);
	out_free(&o);
}

static void test_out_json(void **state)
{
	struct out o;

	out_init(&o, 1);
	out_obj_open(&o, NULL);
	out_uint(&o, "u", "%u", UINT64_MAX);
	out_int(&o, "i", "%d", INT64_MIN);
	out_str(&o, "q", "%s", "quote\" backslash\\ slash/");
	out_str(&o, "c", "%s", "nl\n cr\r tab\t bs\b ff\f nul\001 esc\033 del\177");
	out_str(&o, "utf8", "%s", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	out_str(&o, "bad", "%s", "\xff\xc3(\xe0\x80\x80\xed\xa0\x80\xc0\xaf");
	out_str(&o, "null", "%s", NULL);
	out_bool(&o, "t", "%s", 1);
	out_text(&o, "text is not JSON");
	out_arr_open(&o, "arr");
	out_uint(&o, NULL, NULL, 1);
	out_obj_open(&o, NULL);
	out_obj_close(&o);
	out_arr_open(&o, NULL);
	out_arr_close(&o);
	out_str(&o, "ignored-key-in-array", NULL, "x");
	out_arr_close(&o);
	out_obj_open(&o, "empty");
	out_obj_close(&o);
	out_obj_close(&o);
	assert_int_equal(o.err, 0);
	assert_string_equal(o.buf,
		"{\"u\":18446744073709551615,\"i\":-9223372036854775808,"
		"\"q\":\"quote\\\" backslash\\\\ slash/\","
		"\"c\":\"nl\\n cr\\r tab\\t bs\\b ff\\f nul\\u0001 esc\\u001b del\\u007f\","
		"\"utf8\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\","
		"\"bad\":\"\\ufffd\\ufffd(\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\","
		"\"null\":null,\"t\":true,\"arr\":[1,{},[],\"x\"],\"empty\":{}}\n");
	assert_true(json_valid(o.buf));
	out_free(&o);

	out_init(&o, 1);
	out_obj_open(&o, NULL);
	out_uint(&o, "partial", "%u", 1);
	out_error(&o, "bad \"thing\"\n");
	assert_string_equal(o.buf, "{\"error\":\"bad \\\"thing\\\"\\n\"}\n");
	assert_true(json_valid(o.buf));
	out_obj_close(&o);	/* the caller's close is harmless */
	assert_string_equal(o.buf, "{\"error\":\"bad \\\"thing\\\"\\n\"}\n");
	out_free(&o);

	/* the validator itself rejects what it should */
	assert_false(json_valid("{\"a\":1,}"));
	assert_false(json_valid("{\"a\":\"raw\ttab\"}"));
	assert_false(json_valid("{\"a\":1}{"));
	assert_false(json_valid("{\"a\":\"\\x\"}"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_text),
		cmocka_unit_test(test_out_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
