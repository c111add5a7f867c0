/*
 * Helpers every part of the tree may use (the daemon's rooms, kernel_glue/,
 * haproto/).  common/ knows nothing of L2TP and includes only the C
 * library.
 */
#ifndef COMMON_UTIL_H
#define COMMON_UTIL_H

/* The number of elements of an array (not of a pointer). */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif
