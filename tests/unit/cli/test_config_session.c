/*
 * configure terminal and write memory (cli/config_session.c): the modes
 * and their prompts, exit and end, each line applied or refused whole,
 * `do`, a mode whose group went away, and the file written atomically with
 * the previous one kept, or not written when it would not load back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_check.h"
#include "cli/config_load.h"
#include "cli/config_reload.h"
#include "cli/config_session.h"
#include "core/config.h"
#include "core/out.h"
#include "l2tpd.h"

/* Run a line; the prompt after it in prompt, the output returned (malloc'd). */
static char *line(struct cfg_session *s, const char *l, int want_going, char *prompt)
{
	struct out o;
	char *text;

	out_init(&o, 0);
	assert_int_equal(cfg_session_line(s, l, &o), want_going);
	cfg_session_prompt(s, prompt, 128);
	text = strdup(o.buf ? o.buf : "");
	out_free(&o);
	assert_non_null(text);
	return text;
}

static void expect(struct cfg_session *s, const char *l, const char *out, const char *prompt)
{
	char p[128], *t = line(s, l, 1, p);

	assert_string_equal(t, out);
	assert_string_equal(p, prompt);
	free(t);
}

static void test_modes(void **state)
{
	struct l2tpd *d = *state;
	struct cfg_session *s = cfg_session_new(d, 0);
	struct vpdn_group *g;
	char p[128], *t;

	assert_non_null(s);
	cfg_session_prompt(s, p, sizeof p);
	assert_string_equal(p, "bras-2(config)#");
	expect(s, "vpdn-group NEWG", "", "bras-2(config-vpdn)#");
	g = config_group_find(&d->cfg, "NEWG");
	assert_non_null(g);		/* applied at once */
	/* request-dialin without initiate-to: held (the end-of-file checks),
	 * with the lines after it, until the configuration is complete */
	expect(s, " request-dialin", "Held, not applied yet: vpdn-group NEWG: request-dialin "
	       "needs 'initiate-to ip A.B.C.D' (none by the end of the file); this line and "
	       "the next are applied together once the configuration is complete (end before "
	       "that applies none of them)\n", "bras-2(config-vpdn-req-in)#");
	expect(s, "protocol l2tp", "", "bras-2(config-vpdn-req-in)#");
	expect(s, "domain example.org", "", "bras-2(config-vpdn-req-in)#");
	assert_int_not_equal(g->dialin, VPDN_REQUEST_DIALIN);
	assert_string_equal(g->domain, "");
	expect(s, "initiate-to ip 198.51.100.9", "", "bras-2(config-vpdn)#");
	assert_ptr_equal(config_group_find(&d->cfg, "NEWG"), g);	/* edited in place */
	assert_int_equal(g->dialin, VPDN_REQUEST_DIALIN);
	assert_string_equal(g->domain, "example.org");
	/* a line of an enclosing mode returns to it (IOS) */
	expect(s, "l2tp tunnel hello 45", "", "bras-2(config-vpdn)#");
	assert_int_equal(g->hello, 45);
	/* a refused line: the reason, the mode kept, nothing applied */
	expect(s, "l2tp tunnel hello 4500",
	       "% Invalid input: l2tp tunnel hello: 4500 is out of range 0-1000\n",
	       "bras-2(config-vpdn)#");
	assert_int_equal(g->hello, 45);
	expect(s, "interface Virtual-Template 9", "", "bras-2(config-if)#");
	expect(s, "mtu 1400", "", "bras-2(config-if)#");
	assert_int_equal(config_vtemplate_find(&d->cfg, 9)->mtu, 1400);
	expect(s, "exit", "", "bras-2(config)#");
	expect(s, "vpdn-group NEWG", "", "bras-2(config-vpdn)#");
	t = line(s, "end", 0, p);
	assert_string_equal(t, "");
	assert_string_equal(p, "bras-2#");
	free(t);
	t = line(s, "hostname x", 0, p);	/* ended: nothing more runs */
	free(t);
	assert_string_equal(d->cfg.hostname, "bras-2");
	cfg_session_free(s);

	/* exit from the top ends the session too; `do` runs an EXEC command */
	s = cfg_session_new(d, 0);
	t = line(s, "do show running-config", 1, p);
	assert_non_null(strstr(t, "vpdn-group NEWG\n request-dialin\n  protocol l2tp\n"));
	free(t);
	t = line(s, "exit", 0, p);
	assert_string_equal(p, "bras-2#");
	free(t);
	cfg_session_free(s);
}

/* What cannot change live: refused whole, the reason said. */
static void test_refused(void **state)
{
	struct l2tpd *d = *state;
	struct cfg_session *s = cfg_session_new(d, 0);
	char *before = cli_running(&d->cfg), *after;

	expect(s, "l2tp port 1999", "% Refused: l2tp port cannot change while l2tpd runs (its "
	       "socket is open): change it in the file and restart; nothing of the command was "
	       "applied\n", "bras-2(config)#");
	after = cli_running(&d->cfg);
	assert_string_equal(before, after);
	free(before);
	free(after);
	cfg_session_free(s);
}

/* The group of the mode removed under it (a reload): said, nothing run. */
static void test_group_gone(void **state)
{
	struct l2tpd *d = *state;
	struct cfg_session *s = cfg_session_new(d, 0);
	struct l2tpd_config n;
	char err[256], *text;

	expect(s, "vpdn-group GONE", "", "bras-2(config-vpdn)#");
	text = cli_running(&d->cfg);
	config_init(&n);
	assert_int_equal(config_load_string(&n, text, err, sizeof err), 0);
	free(text);
	{
		struct vpdn_group *g = config_group_find(&n, "GONE");

		TAILQ_REMOVE(&n.groups, g, link);
		free(g);
	}
	assert_true(config_apply(d, &n, "test", err, sizeof err) > 0);
	assert_null(config_group_find(&d->cfg, "GONE"));
	expect(s, "l2tp tunnel hello 9", "% The vpdn-group this mode edits is gone (a reload or "
	       "another session removed it): leave the mode with exit\n", "bras-2(config-vpdn)#");
	assert_null(config_group_find(&d->cfg, "GONE"));
	expect(s, "exit", "", "bras-2(config)#");
	cfg_session_free(s);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[65536];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_write_memory(void **state)
{
	struct l2tpd *d = *state;
	struct cfg_session *s;
	char dir[] = "/tmp/l2tpd-wm-XXXXXX", path[128], bak[140], err[512], *running;
	struct l2tpd_config back;
	struct stat st;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/l2tpd.conf", dir);
	snprintf(bak, sizeof bak, "%s.bak", path);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("! the old file\n", f);
	fclose(f);
	assert_int_equal(chmod(path, 0604), 0);

	assert_int_equal(config_write_file(d, path, err, sizeof err), 0);
	assert_string_equal(slurp(bak), "! the old file\n");
	running = cli_running(&d->cfg);
	assert_string_equal(slurp(path), running);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0604);	/* the file's mode kept */
	/* it loads back to the running configuration */
	config_init(&back);
	assert_int_equal(config_load_file(&back, path, err, sizeof err), 0);
	cli_assert_config_equal(&back, &d->cfg);
	config_free(&back);
	free(running);

	/* no file beside it can be made: the reason, the file untouched */
	assert_int_equal(config_write_file(d, "/nonexistent-dir/l2tpd.conf", err, sizeof err),
			 -ENOENT);
	assert_non_null(strstr(err, "cannot create a file beside /nonexistent-dir/l2tpd.conf"));

	/* a configuration that would not load back is not written (a session
	 * cannot make one: the group is made incomplete by hand) */
	s = cfg_session_new(d, 0);
	expect(s, "vpdn-group HALF", "", "bras-2(config-vpdn)#");
	cfg_session_free(s);
	config_group_find(&d->cfg, "HALF")->dialin = VPDN_REQUEST_DIALIN;
	running = strdup(slurp(path));
	assert_int_equal(config_write_file(d, path, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "the running configuration would not load back (line "));
	assert_non_null(strstr(err, "vpdn-group HALF: request-dialin needs 'initiate-to ip"));
	assert_string_equal(slurp(path), running);	/* untouched */
	free(running);

	unlink(path);
	unlink(bak);
	rmdir(dir);
}

/* The end-of-file checks at `end`: what is held incomplete is not applied,
 * the reason said; a table of the checks, each through a session (its
 * lines up to the first held one applied, the rest held). */
struct incomplete_case {
	const char *lines[4];
	const char *why;
};

static const struct incomplete_case incomplete[] = {
	{ { "vpdn-group H1", " request-dialin" },
	  "vpdn-group H1: request-dialin needs 'initiate-to ip A.B.C.D'" },
	{ { "vpdn-group H2", " accept-dialin", "  virtual-template 77" },
	  "vpdn-group H2: virtual-template 77 is not defined" },
	{ { "interface Virtual-Template 78", " peer default ip address pool NOPOOL" },
	  "interface Virtual-Template 78: 'peer default ip address pool NOPOOL' names no pool" },
	{ { "vpdn-group H3", " l2tp hidden" }, "vpdn-group H3: 'l2tp hidden' needs 'l2tp tunnel "
	  "password'" },
};

static void test_end_incomplete(void **state)
{
	struct l2tpd *d = *state;
	char p[128], *t, *before, *after;

	for (size_t i = 0; i < sizeof incomplete / sizeof incomplete[0]; i++) {
		const struct incomplete_case *c = &incomplete[i];
		struct cfg_session *s = cfg_session_new(d, 0);
		unsigned n = 0;

		before = NULL;
		for (; n < 4 && c->lines[n]; n++) {
			char *snap = cli_running(&d->cfg);

			t = line(s, c->lines[n], 1, p);
			if (strncmp(t, "% ", 2) == 0)
				fail_msg("case %zu: '%s' refused: %s", i, c->lines[n], t);
			if (before == NULL && strstr(t, "Held, not applied yet: "))
				before = snap;	/* as it was before the first held line */
			else
				free(snap);
			free(t);
		}
		t = line(s, "end", 0, p);
		if (!strstr(t, "% Incomplete configuration: ") || !strstr(t, c->why) ||
		    !strstr(t, "was applied"))
			fail_msg("case %zu: end said '%s'", i, t);
		free(t);
		assert_string_equal(p, "bras-2#");
		after = cli_running(&d->cfg);
		assert_non_null(before);
		if (strcmp(before, after) != 0)
			fail_msg("case %zu: applied:\n%s", i, after);
		free(after);
		free(before);
		cfg_session_free(s);
	}
}

/* Held lines made complete are applied; `exit` from the top ends like end;
 * an ambiguous abbreviation changes nothing. */
static void test_held_then_complete(void **state)
{
	struct l2tpd *d = *state;
	struct cfg_session *s = cfg_session_new(d, 0);
	char p[128], *t;

	t = line(s, "vpdn-group H4", 1, p);	/* complete: applied */
	free(t);
	assert_non_null(config_group_find(&d->cfg, "H4"));
	t = line(s, " accept-dialin", 1, p);
	free(t);
	t = line(s, "  virtual-template 79", 1, p);	/* held */
	assert_non_null(strstr(t, "Held, not applied yet: vpdn-group H4: virtual-template 79"));
	free(t);
	expect(s, "interface Virtual-Template 79", "", "bras-2(config-if)#");	/* complete */
	assert_int_equal(config_group_find(&d->cfg, "H4")->virtual_template, 79);
	assert_non_null(config_vtemplate_find(&d->cfg, 79));
	/* held again, then the session left with exit from the top */
	expect(s, "exit", "", "bras-2(config)#");
	t = line(s, "vpdn-group H5", 1, p);
	free(t);
	t = line(s, " request-dialin", 1, p);
	free(t);
	expect(s, "exit", "", "bras-2(config-vpdn)#");
	t = line(s, "exit", 1, p);
	free(t);
	t = line(s, "exit", 0, p);
	assert_non_null(strstr(t, "% Incomplete configuration: vpdn-group H5: request-dialin"));
	assert_non_null(strstr(t, "nothing of the last 1 line was applied"));
	free(t);
	assert_int_not_equal(config_group_find(&d->cfg, "H5")->dialin, VPDN_REQUEST_DIALIN);
	cfg_session_free(s);

	/* the running configuration changed while lines were held (another
	 * session): the held lines are not applied over the change */
	s = cfg_session_new(d, 0);
	expect(s, "vpdn-group H5", "", "bras-2(config-vpdn)#");
	t = line(s, " request-dialin", 1, p);
	assert_non_null(strstr(t, "Held, not applied yet: "));
	free(t);
	{
		struct cfg_session *other = cfg_session_new(d, 0);

		expect(other, "username dave password d", "", "bras-2(config)#");
		cfg_session_free(other);
	}
	expect(s, "exit", "", "bras-2(config-vpdn)#");
	expect(s, "initiate-to ip 198.51.100.9", "% Refused: the running configuration changed "
	       "while 1 line was held (a reload or another session): nothing of them or of "
	       "this one was applied; type them again\n", "bras-2(config-vpdn)#");
	assert_non_null(config_user_find(&d->cfg, "dave"));		/* kept */
	assert_int_not_equal(config_group_find(&d->cfg, "H5")->dialin, VPDN_REQUEST_DIALIN);
	/* typed again, on the running configuration as it is now: applied */
	t = line(s, "request-dialin", 1, p);
	free(t);
	expect(s, "exit", "", "bras-2(config-vpdn)#");
	expect(s, "initiate-to ip 198.51.100.9", "", "bras-2(config-vpdn)#");
	assert_int_equal(config_group_find(&d->cfg, "H5")->dialin, VPDN_REQUEST_DIALIN);
	assert_non_null(config_user_find(&d->cfg, "dave"));
	cfg_session_free(s);

	/* abbreviated keywords in the session; an ambiguous one refused */
	s = cfg_session_new(d, 0);
	expect(s, "vpdn-g H6", "", "bras-2(config-vpdn)#");
	expect(s, "l2tp tun hel 33", "", "bras-2(config-vpdn)#");
	assert_int_equal(config_group_find(&d->cfg, "H6")->hello, 33);
	expect(s, "l2tp tunnel re 5", "% Ambiguous command: \"l2tp tunnel re 5\"\n",
	       "bras-2(config-vpdn)#");
	cfg_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_modes, cli_daemon_setup, cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_refused, cli_daemon_setup, cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_group_gone, cli_daemon_setup,
						cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_write_memory, cli_daemon_setup,
						cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_end_incomplete, cli_daemon_setup,
						cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_held_then_complete, cli_daemon_setup,
						cli_daemon_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
