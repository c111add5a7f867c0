/*
 * The value of one series of a Prometheus exposition, for the metrics'
 * unit tests.  Included by one test file each (a static helper).
 */
#ifndef TESTS_PROM_SERIES_H
#define TESTS_PROM_SERIES_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

/* The value of `name` (`name{labels}` exactly as written); the test fails
 * when it is missing (never read as 0). */
static uint64_t series(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p = text;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return strtoull(p + n + 1, NULL, 10);
		p += n;
	}
	fail_msg("series %s is not in the exposition", name);
	return 0;
}

#endif
