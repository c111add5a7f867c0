/*
 * What the tests of the configuration and the command line share
 * (tests/unit/cli/): a configuration with every command away from its
 * default, its load and print, the comparison of two configurations, the
 * refusals of a file, a daemon context without sockets to run EXEC
 * commands on, in text and JSON, and hand-made tunnels for them to show.
 *
 *	cmocka_unit_test_setup_teardown(test_x, cli_daemon_setup, cli_daemon_teardown)
 *	...
 *	cli_expect_ok(d, "show vpdn", "VPDN is enabled", "\"vpdn_enabled\":true");
 *	cli_expect_err(d, "show l2tp tunnel id 5", -ENOENT, "No such tunnel 5");
 */
#ifndef TEST_CLI_CHECK_H
#define TEST_CLI_CHECK_H

#include <netinet/in.h>
#include <stddef.h>

#include <stdint.h>

#include "core/config.h"
#include "l2tpd.h"

struct l2tp_session;
struct l2tp_tunnel;

/* Every configuration command, each away from its default: three groups
 * (LNS, LAC, LAC2), two users, two templates (7 and 2), three pools. */
extern const char cli_full_config[];

/* --- configurations -------------------------------------------------------- */

/* cfg initialised, then text loaded into it (config_load_string). */
int cli_load(struct l2tpd_config *cfg, const char *text, char *err, size_t errsz);
/* Its running configuration (malloc'd). */
char *cli_running(const struct l2tpd_config *cfg);
/* Same configuration: every field of the global part and of each group,
 * user, pool and template. */
void cli_assert_config_equal(const struct l2tpd_config *a, const struct l2tpd_config *b);
/* An IPv4 address (network order) from its text. */
in_addr_t cli_ip4(const char *s);

/* A file refused: the text and what the error says of it. */
struct cli_bad_case {
	const char *text;
	const char *expect;	/* "line N: " and a part of the reason */
};

/* Each case, loaded into a fresh configuration, is refused (-EINVAL) with
 * its expected words in the error. */
void cli_expect_refused(const struct cli_bad_case *cases, size_t n);

/* --- EXEC commands ------------------------------------------------------------ */

/* cmocka setup/teardown: *state is a daemon context without sockets or
 * event loop, cli_full_config loaded, the failure history set up. */
int cli_daemon_setup(void **state);
int cli_daemon_teardown(void **state);
/* Run a command; returns its status, the output in *text (malloc'd); JSON
 * output must be valid. */
int cli_run(struct l2tpd *d, const char *line, int json, char **text);
/* The command succeeds in text and in JSON, and its output has text_has,
 * json_has (unless NULL) and no error. */
void cli_expect_ok(struct l2tpd *d, const char *line, const char *text_has,
		   const char *json_has);
/* The command fails with rc, "% text" in text and an error object in JSON. */
void cli_expect_err(struct l2tpd *d, const char *line, int rc, const char *text);

/* A hand-made tunnel tid/peer_tid of group LNS on d, established, with the
 * LAC 192.0.2.9 (its port and the rest are the test's), where the show
 * commands find it, with one established session 10/20 (*sp).  Nothing
 * runs on it: no control channel, no timer. */
struct l2tp_tunnel *cli_tunnel_new(struct l2tpd *d, uint16_t tid, uint16_t peer_tid,
				   struct l2tp_session **sp);
/* Take it away from d and free it, with its session. */
void cli_tunnel_free(struct l2tpd *d, struct l2tp_tunnel *t, struct l2tp_session *s);

#endif
