/*
 * libFuzzer target for the configuration file reader (cli/config_load.c)
 * and, through it, every configuration command of the engine (cli/cmd*.c)
 * and the model's checks (core/config.c): the input is the text of a file.
 *
 * What must hold: a refused file says why ("line N: ..." or a reason)
 * and leaves the configuration as it was (all or nothing: its running
 * configuration is still the defaults'); an accepted one prints a running
 * configuration that loads again into the same model, field by field
 * (cli_check.h), and prints the same: the parser accepts what the printer
 * writes, and nothing is lost in between; nothing leaks.
 *
 * The seeds (written by this program when FUZZ_WRITE_SEEDS names a
 * directory) are the unit tests' configuration with every command away
 * from its default; run.sh adds the example files of doc/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fuzz.h"
#include "fuzz_rand.h"
#include "cli_check.h"
#include "cli/cmd.h"
#include "cli/config_load.h"
#include "core/config.h"
#include "core/out.h"

/* The running configuration of cfg (malloc'd). */
static char *fuzz_running(const struct l2tpd_config *cfg)
{
	struct out o;
	char *s;

	out_init(&o, 0);
	cmd_running_config(cfg, &o);
	FUZZ_CHECK(o.err == 0);
	s = strdup(o.buf);
	FUZZ_CHECK(s != NULL);
	out_free(&o);
	return s;
}

/* Loaded from its own running configuration, cfg prints the same. */
static void fuzz_check_reload(const struct l2tpd_config *cfg)
{
	struct l2tpd_config *again = malloc(sizeof(*again));
	char *first = fuzz_running(cfg), *second;
	char err[512] = "";
	int rc;

	FUZZ_CHECK(again != NULL);
	config_init(again);
	rc = config_load_string(again, first, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "the running configuration does not load: %s\n%s", err, first);
		abort();
	}
	cli_assert_config_equal(cfg, again);	/* the print lost nothing of the model */
	second = fuzz_running(again);
	if (strcmp(first, second) != 0) {
		fprintf(stderr, "the running configuration changes on reload:\n%s---\n%s",
			first, second);
		abort();
	}
	free(first);
	free(second);
	config_free(again);
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct l2tpd_config *cfg = malloc(sizeof(*cfg));
	char *text = malloc(size + 1), *before, *after;
	char err[512] = "";
	int rc;

	FUZZ_CHECK(cfg != NULL && text != NULL);
	fuzz_rand_reset();
	memcpy(text, data, size);
	text[size] = '\0';
	config_init(cfg);
	before = fuzz_running(cfg);
	rc = config_load_string(cfg, text, err, sizeof(err));
	if (rc == 0) {
		fuzz_check_reload(cfg);
	} else {
		FUZZ_CHECK(rc < 0 && err[0] != '\0');
		after = fuzz_running(cfg);
		FUZZ_CHECK(strcmp(before, after) == 0);
		free(after);
	}
	free(before);
	config_free(cfg);
	free(cfg);
	free(text);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_WRITE_SEEDS");
	char path[4096];
	FILE *f;

	fuzz_cmocka_abort();
	if (dir == NULL || *dir == '\0')
		return 0;
	snprintf(path, sizeof(path), "%s/full.conf", dir);
	f = fopen(path, "w");
	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(fputs(cli_full_config, f) >= 0);
	FUZZ_CHECK(fclose(f) == 0);
	exit(0);
}
