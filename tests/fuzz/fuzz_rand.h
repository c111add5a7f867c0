/* The fuzz targets' rand_bytes() (fuzz_rand.c): the same bytes for each input. */
#ifndef TEST_FUZZ_RAND_H
#define TEST_FUZZ_RAND_H

void fuzz_rand_reset(void);

#endif
