/*
 * Descriptors across a Unix socket, in batches (service/fdpass.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "service/fdpass.h"

/* A batch's payload: where it starts in the list, its size, the list's. */
#define FDPASS_MAGIC	0x46445042u	/* "FDPB" */
struct fdpass_batch {
	uint32_t magic;
	uint32_t first, count, total;
};

int svc_fdpass_send(int sock, const void *buf, size_t len, const int *fds, size_t nfds)
{
	union {
		struct cmsghdr c;
		char b[CMSG_SPACE(sizeof(int) * SVC_FDPASS_BATCH)];
	} cb;
	struct iovec iov = { (void *)buf, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t r;

	if (nfds > SVC_FDPASS_BATCH || len > SVC_FDPASS_MSG_MAX || len == 0)
		return -EINVAL;
	if (nfds > 0) {
		struct cmsghdr *c;

		memset(&cb, 0, sizeof(cb));
		mh.msg_control = cb.b;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	do
		r = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return (size_t)r == len ? 0 : -EMSGSIZE;
}

static int fdpass_wait(int sock, int timeout_ms)
{
	struct pollfd p = { .fd = sock, .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return r == 0 ? -ETIMEDOUT : 0;
}

static void fdpass_close_all(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
}

/* The descriptors a received message carries, into fds. */
static size_t fdpass_take(struct msghdr *mh, int *fds)
{
	size_t n = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		size_t k;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		if (n + k > SVC_FDPASS_BATCH)
			k = SVC_FDPASS_BATCH - n;
		memcpy(fds + n, CMSG_DATA(c), k * sizeof(int));
		n += k;
	}
	return n;
}

int svc_fdpass_recv(int sock, void *buf, size_t size, int *fds, size_t *nfds, int timeout_ms)
{
	union {
		struct cmsghdr c;
		char b[CMSG_SPACE(sizeof(int) * SVC_FDPASS_BATCH)];
	} cb;
	struct iovec iov = { buf, size };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t r;
	int rc;

	*nfds = 0;
	rc = fdpass_wait(sock, timeout_ms);
	if (rc < 0)
		return rc;
	mh.msg_control = cb.b;
	mh.msg_controllen = sizeof(cb.b);
	do
		r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	*nfds = fdpass_take(&mh, fds);
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		fdpass_close_all(fds, *nfds);
		*nfds = 0;
		return -EMSGSIZE;
	}
	if (r == 0)
		return -EPIPE;	/* SOCK_SEQPACKET: 0 is the end (we never send empty) */
	return (int)r;
}

int svc_fdpass_send_list(int sock, const int *fds, size_t n)
{
	size_t first = 0;

	if (n > UINT32_MAX)
		return -EINVAL;
	do {
		struct fdpass_batch b;
		size_t k = n - first < SVC_FDPASS_BATCH ? n - first : SVC_FDPASS_BATCH;
		int rc;

		b.magic = FDPASS_MAGIC;
		b.first = (uint32_t)first;
		b.count = (uint32_t)k;
		b.total = (uint32_t)n;
		rc = svc_fdpass_send(sock, &b, sizeof(b), fds + first, k);
		if (rc < 0)
			return rc;
		first += k;
	} while (first < n);
	return 0;
}

/* One batch into the list: its place checked.  0, or a negative errno
 * (the batch's descriptors closed). */
static int fdpass_recv_batch(int sock, int **list, size_t *have, size_t *total, int timeout_ms)
{
	struct fdpass_batch b;
	int got[SVC_FDPASS_BATCH];
	size_t n;
	int r;

	r = svc_fdpass_recv(sock, &b, sizeof(b), got, &n, timeout_ms);
	if (r < 0)
		return r;
	if ((size_t)r != sizeof(b) || b.magic != FDPASS_MAGIC || b.count != n ||
	    b.first != *have || (*list != NULL && b.total != *total) ||
	    (size_t)b.first + b.count > b.total) {
		fdpass_close_all(got, n);
		return -EPROTO;
	}
	if (*list == NULL) {
		*total = b.total;
		*list = malloc((b.total ? b.total : 1) * sizeof(int));
		if (*list == NULL) {
			fdpass_close_all(got, n);
			return -ENOMEM;
		}
	}
	memcpy(*list + *have, got, n * sizeof(int));
	*have += n;
	return 0;
}

int svc_fdpass_recv_list(int sock, int **fds, size_t *n, int timeout_ms)
{
	int *list = NULL;
	size_t have = 0, total = 0;
	int rc;

	do {
		rc = fdpass_recv_batch(sock, &list, &have, &total, timeout_ms);
		if (rc < 0) {
			if (list != NULL)
				fdpass_close_all(list, have);
			free(list);
			return rc;
		}
	} while (have < total);
	*fds = list;
	*n = total;
	return 0;
}
