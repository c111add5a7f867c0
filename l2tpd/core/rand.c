/*
 * Unpredictable bytes: challenges, magic numbers, IDs, RADIUS
 * authenticators.  One function in a file of its own, so that a test that
 * must be repeatable (the golden output files) can link its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>
#include "core/rand.h"

/* Fallback for kernels without getrandom(2). */
static int rand_urandom(uint8_t *p, size_t len)
{
	ssize_t n;
	int fd;

	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len > 0) {
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -EIO;
		}
		p += n;
		len -= (size_t)n;
	}
	close(fd);
	return 0;
}

void rand_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* Never hand out predictable bytes: without a random
			 * source, challenges and hiding are worthless. */
			if (errno == ENOSYS && rand_urandom(p, len) == 0)
				return;
			abort();
		}
		p += n;
		len -= (size_t)n;
	}
}
