/*
 * Unpredictable bytes (getrandom(2), /dev/urandom where it is missing).
 */
#ifndef RAND_H
#define RAND_H

#include <stddef.h>

/* Fill buf with unpredictable bytes; aborts rather than hand out
 * predictable ones. */
void rand_bytes(void *buf, size_t len);

#endif
