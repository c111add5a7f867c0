/*
 * Helpers every part of the tree may use (the daemon's rooms, kernel_glue/,
 * haproto/).  common/ knows nothing of L2TP and includes only the C
 * library.
 */
#ifndef COMMON_UTIL_H
#define COMMON_UTIL_H

#include <string.h>

/* The number of elements of an array (not of a pointer). */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* src (terminated) into dst (size > 0), cut to size - 1 and terminated:
 * what snprintf(dst, size, "%s", src) writes, without its thousand
 * instructions a copy (the set-up paths copy several texts a session).
 * strlen, not strnlen: src may be shorter than size, and GCC's bound
 * check refuses a strnlen bound past the source's array. */
static inline void str_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n > size - 1)
		n = size - 1;

	memcpy(dst, src, n);
	dst[n] = '\0';
}

#endif
