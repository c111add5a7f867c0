/*
 * Golden files of the operator's output (test_golden.c, test_golden_ha.c).
 *
 * Every `show` command is rendered from a daemon with known state, once as
 * text and once as JSON, and compared byte for byte with a file under
 * tests/golden/<scenario>/<name>.txt and .json.  GOLDEN_UPDATE=1 in the
 * environment (re)writes the files instead; a change of output is then a
 * visible change of a file in the commit.
 *
 * A .txt file holds the text output exactly.  A .json file holds the JSON
 * output exactly, laid out one value per line: a newline and indentation
 * are inserted after every `{`, `[` and `,` and before every `}` and `]`
 * outside strings, and one at the end.  Nothing is removed or reordered,
 * so the compact output is these bytes without the inserted layout, and a
 * diff names the field that changed.
 *
 * The JSON keys are a contract documented in l2tpctl(8): golden_show() also
 * fails when a key of the JSON answer is not listed in the page's JSON KEYS
 * section, in the subsection that names the command.
 *
 * Determinism: the daemon runs on the simulated clock (its wall clock is a
 * fixed epoch plus the simulated time, see clock.h); rand_bytes() is
 * defined in golden.c (a seeded PRNG, reseeded by golden_begin()), so the
 * archive's rand.o is not linked; TZ is UTC for the dates of the failure
 * history.  What still varies from run to run or machine to machine is
 * masked with golden_mask() (see the scenarios for which).
 *
 * golden_daemon.h has the daemon, RADIUS server and subscribers of the
 * scenarios.
 */
#ifndef TEST_GOLDEN_H
#define TEST_GOLDEN_H

struct l2tpd;

/* Start a scenario: its files are in tests/golden/<scenario>/; the PRNG
 * starts over from the same seed. */
void golden_begin(const char *scenario);
/* Render `command` (printf-like) as text and as JSON; both must succeed;
 * compare them with <name>.txt and <name>.json (or write them). */
void golden_show(struct l2tpd *d, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* From now on in this scenario, in every output: the characters after
 * each `prefix` up to (not including) the first of `stops` (or the end)
 * become `replacement`. */
void golden_mask(const char *prefix, const char *stops, const char *replacement);
/* End the scenario: fails the test if an output differed from its file or
 * a file of the scenario was not rendered (written/removed when updating). */
void golden_end(void);

#endif
