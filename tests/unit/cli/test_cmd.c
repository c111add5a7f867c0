/*
 * The command engine (cli/cmd.c, cli/cmd_pat.c): EXEC commands on a daemon
 * with no tunnel, in text and JSON (case and blanks, `help`, `show
 * running-config`), and what it says of a line it cannot run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_check.h"
#include "cli/cmd.h"

static void test_exec_empty(void **state)
{
	struct l2tpd *d = *state;
	char *s;

	cli_expect_ok(d, "show l2tp tunnel", "Total tunnels 0 sessions 0",
		      "{\"total_tunnels\":0,\"total_sessions\":0,\"tunnels\":[]}");
	cli_expect_ok(d, "show l2tp tunnel detail", "Total tunnels 0", "\"tunnels\":[]");
	cli_expect_ok(d, "show l2tp session", "LocID", "\"sessions\":[]");
	cli_expect_ok(d, "show l2tp session detail", "Total tunnels 0", "\"sessions\":[]");
	cli_expect_ok(d, "show vpdn", "VPDN is enabled, 3 groups, 0 tunnels, 0 sessions",
		      "\"vpdn_enabled\":true");
	cli_expect_ok(d, "show vpdn", "\nLAC              LAC  0       0", "\"peer\":\"198.51.100.7:1799\"");
	cli_expect_ok(d, "show l2tp statistics", "Received 0 packets", "\"rx_packets\":0");
	cli_expect_ok(d, "SHOW L2TP STATISTICS", "L2TP statistics", NULL);
	cli_expect_ok(d, "  show   vpdn  ", "VPDN is enabled", NULL);
	cli_expect_ok(d, "show debugging", "All L2TP debugging is off", "{\"debug\":[]}");
	cli_expect_ok(d, "help", "show l2tp tunnel [id <1-65535>] [detail]", "\"commands\":[");
	cli_expect_ok(d, "help", "l2tp tunnel retransmit timeout min <1-8>",
		      "\"config_commands\":[");

	/* show running-config is the table's print of the live configuration */
	assert_int_equal(cli_run(d, "show running-config", 0, &s), 0);
	char *direct = cli_running(&d->cfg);

	assert_string_equal(s, direct);
	free(direct);
	free(s);
	cli_expect_ok(d, "show running-config", NULL, "{\"running_config\":[\"hostname bras-2\",");

	cli_expect_err(d, "clear l2tp tunnel id 123", -ENOENT, "No such tunnel 123");
	cli_expect_err(d, "show l2tp tunnel id 5", -ENOENT, "No such tunnel 5");
	cli_expect_err(d, "show l2tp session tunnel 5 detail", -ENOENT, "No such tunnel 5");
	cli_expect_err(d, "clear l2tp session tunnel 4 id 2", -ENOENT, "No such tunnel 4");
	cli_expect_err(d, "test vpdn dial vpdn-group NOPE sessions 1", -ENOENT, "No such vpdn-group NOPE");
	cli_expect_err(d, "test vpdn dial vpdn-group LNS sessions 1", -EINVAL,
		       "vpdn-group LNS is not a request-dialin (LAC) group");
	cli_expect_err(d, "test vpdn dial vpdn-group LNS sessions 1 username u password p", -EINVAL,
		       "vpdn-group LNS is not a request-dialin (LAC) group");
	cli_expect_err(d, "test vpdn dial vpdn-group LAC sessions 1 username u", -EINVAL,
		       "Invalid input: test vpdn dial vpdn-group LAC sessions 1 username u: "
		       "incomplete command (expected password)");
	cli_expect_err(d, "test vpdn dial vpdn-group LAC sessions 1 per-tunnel 2 password p",
		       -EINVAL, "Invalid input: unknown word 'password' after 'test vpdn dial "
		       "vpdn-group LAC sessions 1 per-tunnel 2' (expected interval, username)");
	cli_expect_err(d, "test vpdn dial vpdn-group LAC sessions 1 username "
		       "u123456789u123456789u123456789u123456789u123456789u123456789u123 "
		       "password p",
		       -EINVAL,
		       "username: 'u123456789u123456789...' is too long (at most 63 characters)");
	cli_expect_ok(d, "help", "\n interface mode:\n  [no] ip address A.B.C.D A.B.C.D\n",
		      "\"mode\":\"interface\",\"command\":\"[no] keepalive <0-32767> [<1-255>]\"");
	cli_expect_ok(d, "help", "test vpdn dial vpdn-group WORD sessions <1-1000000> [per-tunnel "
		      "<1-65535>] [interval <1-60000>] [username WORD password WORD]", NULL);
}

static void test_exec_errors(void **state)
{
	struct l2tpd *d = *state;
	char line[5000];

	cli_expect_err(d, "", -EINVAL, "Invalid input: empty command");
	cli_expect_err(d, "bogus", -EINVAL, "Invalid input: unknown command 'bogus'");
	cli_expect_err(d, "show l2tp foo", -EINVAL, "Invalid input: unknown word 'foo' after "
		       "'show l2tp' (expected tunnel, session, statistics, redundancy, security)");
	cli_expect_err(d, "show", -EINVAL, "Invalid input: show: incomplete command "
		       "(expected l2tp, vpdn, ip, pppoe, ipv6, running-config, debugging, radius, aaa, metrics)");
	cli_expect_err(d, "show l2tp tunnel id", -EINVAL,
		       "Invalid input: show l2tp tunnel id: missing argument <1-65535>");
	cli_expect_err(d, "show l2tp tunnel id 70000", -EINVAL,
		       "Invalid input: show l2tp tunnel id: 70000 is out of range 1-65535");
	cli_expect_err(d, "show l2tp tunnel id x", -EINVAL, "Invalid input: show l2tp tunnel id: 'x' is "
		       "not a number (expected <1-65535>)");
	cli_expect_err(d, "show l2tp tunnel detail more", -EINVAL,
		       "Invalid input: unexpected word 'more' after 'show l2tp tunnel detail'");
	cli_expect_err(d, "clear l2tp tunnel", -EINVAL,
		       "Invalid input: clear l2tp tunnel: incomplete command (expected id)");
	cli_expect_err(d, "debug l2tp nonsense", -EINVAL, "Invalid input: unknown word 'nonsense' "
		       "after 'debug l2tp' (expected redundancy, {event|error|fsm|packet|sequence|all})");
	cli_expect_err(d, "hostname x", -EINVAL, "Invalid input: 'hostname' is a configuration "
		       "command; put it in the configuration file");
	cli_expect_err(d, "show \001vpdn", -EILSEQ,
		       "Invalid input: control character in the command");
	memset(line, 'a', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	cli_expect_err(d, line, -E2BIG, "Invalid input: line too long (at most 4095 characters)");
	strcpy(line, "show");
	for (int i = 0; i < 40; i++)
		strcat(line, " x");
	cli_expect_err(d, line, -E2BIG, "Invalid input: too many words (at most 32)");
}

/* Keywords abbreviated as IOS takes them: a unique start stands for the
 * keyword, in EXEC commands and configuration lines alike; the start of
 * several is refused as ambiguous; free words are never expanded. */
struct abbrev_case {
	const char *line;
	int rc;
	const char *text;	/* in the answer (the same command's, spelled out) */
};

static const struct abbrev_case abbrev_exec[] = {
	{ "sh vpdn", 0, "VPDN is enabled, 3 groups" },
	{ "SH VPDN", 0, "VPDN is enabled, 3 groups" },
	{ "sh l2tp tun", 0, "Total tunnels 0 sessions 0" },
	{ "sh l2tp stat", 0, "L2TP statistics" },
	{ "sh deb", 0, "All L2TP debugging is off" },
	{ "sh run", 0, "hostname bras-2" },
	{ "sh l2tp red", 0, "redundancy" },
	{ "s vpdn", 0, "VPDN is enabled, 3 groups" },	/* show alone starts with s */
	{ "c l2tp tun id 9", -ENOTUNIQ, "% Ambiguous command: \"c l2tp tun id 9\"" },
	{ "sh l2tp s", -ENOTUNIQ, "% Ambiguous command: \"sh l2tp s\"" },
	{ "sh i", -ENOTUNIQ, "% Ambiguous command: \"sh i\"" },
	{ "sh vpdnx", -EINVAL, "% Invalid input: unknown word 'vpdnx' after 'show'" },
	{ "shox vpdn", -EINVAL, "% Invalid input: unknown command 'shox'" },
	{ "clear l2tp tun id 9", -ENOENT, "No such tunnel 9" },
	{ "cl l2tp tun id 9", -ENOENT, "No such tunnel 9" },
	{ "sh l2tp tun id 5", -ENOENT, "No such tunnel 5" },
	{ "test vpdn dial vpdn-group NO sessions 1", -ENOENT, "No such vpdn-group NO" },
	/* the group's name is a free word: LN is not LNS */
	{ "test vpdn dial vpdn-g LN sess 1", -ENOENT, "No such vpdn-group LN" },
	{ "test vpdn dial vpdn-g LNS sess 1", -EINVAL, "vpdn-group LNS is not a request-dialin" },
};

static void test_exec_abbrev(void **state)
{
	struct l2tpd *d = *state;
	char *s;

	for (size_t i = 0; i < sizeof abbrev_exec / sizeof abbrev_exec[0]; i++) {
		const struct abbrev_case *c = &abbrev_exec[i];
		int rc = cli_run(d, c->line, 0, &s);

		if (rc != c->rc || !strstr(s, c->text))
			fail_msg("'%s': %d '%s', expected %d '%s'", c->line, rc, s, c->rc, c->text);
		free(s);
	}
	/* debug: the flags set by the abbreviated line, shown spelled out */
	if (cli_run(d, "deb l2tp ev", 0, &s) != 0)
		fail_msg("%s", s);
	free(s);
	cli_expect_ok(d, "show debugging", "L2TP event debugging is on", NULL);
	assert_int_equal(cli_run(d, "no deb l2tp ev", 0, &s), 0);
	free(s);
	cli_expect_ok(d, "show debugging", "All L2TP debugging is off", NULL);
	assert_int_equal(cmd_exec_is("conf t", "configure terminal"), 1);
	assert_int_equal(cmd_exec_is("configure terminal", "configure terminal"), 1);
	assert_int_equal(cmd_exec_is("c t", "configure terminal"), 0);	/* clear, configure */
	assert_int_equal(cmd_exec_is("wr mem", "configure terminal"), 0);
	assert_int_equal(cmd_exec_is("wr mem", "write memory"), 1);
}

/* Configuration lines abbreviated: stored and printed with the keywords in
 * full; a name that starts a keyword stays the name. */
static void test_config_abbrev(void **state)
{
	struct l2tpd_config c;
	char err[512], *run;
	static const struct cli_bad_case bad[] = {
		{ "vpdn-group A\n l2tp tunnel re 30\n", "line 2: Ambiguous command: "
		  "\"l2tp tunnel re 30\"" },
		{ "vpdn-grou A\n acc\n  protocol l2tpx\n", "line 3: " },
		{ "i\n", "line 1: Ambiguous command: \"i\"" },
	};

	(void)state;
	assert_int_equal(cli_load(&c, "hostn bras-x\n"
				  "vpdn-g sh\n"
				  " acc\n"
				  "  prot l2tp\n"
				  "  virtual-t 3\n"
				  " l2tp tunnel hello 30\n"
				  " l2tp tun pass sec\n"
				  "int Virtual-Template 3\n"
				  " mt 1400\n"
				  "usern acc pass pa\n", err, sizeof err), 0);
	run = cli_running(&c);
	for (const char *const *w = (const char *const[]){
		"hostname bras-x\n", "vpdn-group sh\n accept-dialin\n  protocol l2tp\n"
		"  virtual-template 3\n", " l2tp tunnel hello 30\n", " l2tp tunnel password sec\n",
		"interface Virtual-Template 3\n mtu 1400\n", "username acc password pa\n", NULL };
	     *w; w++)
		if (!strstr(run, *w))
			fail_msg("'%s' not in:\n%s", *w, run);
	free(run);
	config_free(&c);
	cli_expect_refused(bad, sizeof bad / sizeof bad[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exec_empty, cli_daemon_setup,
						cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_exec_errors, cli_daemon_setup,
						cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_exec_abbrev, cli_daemon_setup,
						cli_daemon_teardown),
		cmocka_unit_test(test_config_abbrev),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
