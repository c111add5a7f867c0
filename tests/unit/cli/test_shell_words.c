/*
 * The words of the l2tpctl shell's `?` and Tab: the daemon's `help lines
 * MODE` (l2tpd/cli/cmd_list.c) read by the client's matcher
 * (cli/l2tpctl_words.c), both as they run, on the daemon's real table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/l2tpctl_shell.h"
#include "cli_check.h"

/* The words of mode, loaded as the shell loads them (the prompt record cut). */
static void words_of(struct l2tpd *d, const char *mode, struct l2tpctl_words *w)
{
	char line[64], *text = NULL, *rec;

	snprintf(line, sizeof line, "help lines %s", mode);
	assert_int_equal(cli_run(d, line, 0, &text), 0);
	rec = strrchr(text, '\x1e');
	assert_non_null(rec);
	*rec = '\0';
	assert_int_equal(l2tpctl_words_load(w, text), 0);
	assert_true(w->n > 0);
}

/* The candidates for the words of line (the last one partial unless line
 * ends with a blank), as "a,b,c,". */
static void cands(const struct l2tpctl_words *w, const char *line, char *out, size_t size)
{
	char buf[256], *words[16], *save = NULL;
	const char *partial = "";
	struct l2tpctl_cands c;
	int n = 0;

	snprintf(buf, sizeof buf, "%s", line);
	for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		words[n++] = t;
	if (n > 0 && line[strlen(line) - 1] != ' ')
		partial = words[--n];
	l2tpctl_words_cands(w, words, n, partial, &c);
	out[0] = '\0';
	for (size_t i = 0; i < c.n; i++) {
		strncat(out, c.c[i].word, size - strlen(out) - 2);
		strcat(out, ",");
	}
}

static void test_exec_words(void **state)
{
	struct l2tpd *d = *state;
	struct l2tpctl_words w;
	char out[2048], *text = NULL;

	words_of(d, "exec", &w);
	cands(&w, "sh", out, sizeof out);
	assert_string_equal(out, "show,");
	cands(&w, "write ", out, sizeof out);
	assert_string_equal(out, "memory,");
	cands(&w, "write memory ", out, sizeof out);
	assert_string_equal(out, "<cr>,");
	/* {a|b} alternatives, and an abbreviated word before */
	cands(&w, "sh vpdn ", out, sizeof out);
	assert_non_null(strstr(out, "tunnel,"));
	assert_non_null(strstr(out, "<cr>,"));
	/* hidden commands are not offered */
	cands(&w, "help ", out, sizeof out);
	assert_null(strstr(out, "lines"));
	cands(&w, "nonsense ", out, sizeof out);
	assert_string_equal(out, "");
	l2tpctl_words_free(&w);

	/* the EXEC prompt, from the hostname, closes the answer */
	assert_int_equal(cli_run(d, "help lines exec", 0, &text), 0);
	assert_non_null(strstr(text, "\n\x1e"));
	assert_string_equal(strrchr(text, '\x1e') + 1 + strcspn(strrchr(text, '\x1e') + 1, "#"),
			    "#\n");
	free(text);
}

static void test_config_words(void **state)
{
	struct l2tpd *d = *state;
	struct l2tpctl_words w;
	char out[2048];

	words_of(d, "config-vpdn", &w);
	cands(&w, "l2tp tunnel hel", out, sizeof out);
	assert_string_equal(out, "hello,");
	/* an argument is shown, never completed */
	cands(&w, "l2tp tunnel hello ", out, sizeof out);
	assert_string_equal(out, "<0-1000>,");
	/* what is EXEC only is not in a configuration mode */
	cands(&w, "sh", out, sizeof out);
	assert_string_equal(out, "");
	l2tpctl_words_free(&w);

	words_of(d, "config", &w);
	cands(&w, "vpdn-gr", out, sizeof out);
	assert_string_equal(out, "vpdn-group,");
	l2tpctl_words_free(&w);

	cli_expect_err(d, "help lines config-nothing", -22, "help lines: no mode named config-nothing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exec_words, cli_daemon_setup,
						cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_config_words, cli_daemon_setup,
						cli_daemon_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
