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
	expect(s, " request-dialin", "", "bras-2(config-vpdn-req-in)#");
	expect(s, "protocol l2tp", "", "bras-2(config-vpdn-req-in)#");
	expect(s, "domain example.org", "", "bras-2(config-vpdn-req-in)#");
	assert_ptr_equal(config_group_find(&d->cfg, "NEWG"), g);	/* edited in place */
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

	/* a configuration that would not load back is not written */
	s = cfg_session_new(d, 0);
	expect(s, "vpdn-group HALF", "", "bras-2(config-vpdn)#");
	expect(s, "request-dialin", "", "bras-2(config-vpdn-req-in)#");
	cfg_session_free(s);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_modes, cli_daemon_setup, cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_refused, cli_daemon_setup, cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_group_gone, cli_daemon_setup,
						cli_daemon_teardown),
		cmocka_unit_test_setup_teardown(test_write_memory, cli_daemon_setup,
						cli_daemon_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
