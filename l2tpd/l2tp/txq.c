/*
 * Datagrams leaving in batches (see l2tp/txq.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "l2tp/txq.h"

static int txq_send_now(int fd, const struct sockaddr_in *peer, const void *buf, size_t len)
{
	ssize_t n = peer != NULL ? sendto(fd, buf, len, 0, (const struct sockaddr *)peer,
					  sizeof(*peer))
				 : send(fd, buf, len, 0);

	return n < 0 ? -errno : 0;
}

int l2tp_txq_add(struct l2tp_txq *q, int fd, const struct sockaddr_in *peer, const void *buf,
		 size_t len)
{
	return l2tp_txq_add_for(q, NULL, fd, peer, buf, len);
}

int l2tp_txq_add_for(struct l2tp_txq *q, void *owner, int fd, const struct sockaddr_in *peer,
		     const void *buf, size_t len)
{
	struct l2tp_txq_ent *e;

	if (len > L2TP_TXQ_BYTES)
		return txq_send_now(fd, peer, buf, len);
	if (q->arena == NULL) {
		q->arena = malloc(L2TP_TXQ_BYTES);
		if (q->arena == NULL)
			return txq_send_now(fd, peer, buf, len);
	}
	if (q->n == L2TP_TXQ_MAX || q->used + len > L2TP_TXQ_BYTES)
		q->unreported += l2tp_txq_flush(q);	/* the owner hears at its flush */
	e = &q->ent[q->n++];
	e->owner = owner;
	e->fd = fd;
	e->has_peer = peer != NULL;
	if (peer != NULL)
		e->peer = *peer;
	e->off = q->used;
	e->len = len;
	memcpy(q->arena + q->used, buf, len);
	q->used += len;
	return 0;
}

/* Send the k datagrams of one socket (v, iov filled; v[i] is q->ent[idx[i]]);
 * the ones the kernel refuses are skipped, and their owners told.  The
 * number refused. */
static unsigned txq_send_batch(struct l2tp_txq *q, int fd, struct mmsghdr *v,
			       const uint8_t *idx, unsigned k)
{
	unsigned done = 0, refused = 0;

	while (done < k) {
		int n = sendmmsg(fd, v + done, k - done, 0);

		q->calls++;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* the first one failed: drop it, go on */
			void *owner = q->ent[idx[done]].owner;

			if (q->refused != NULL && owner != NULL)
				q->refused(owner);
			refused++;
			done++;
			continue;
		}
		q->datagrams += (unsigned)n;
		done += (unsigned)n;
	}
	return refused;
}

unsigned l2tp_txq_flush(struct l2tp_txq *q)
{
	struct mmsghdr v[L2TP_TXQ_MAX];
	struct iovec iov[L2TP_TXQ_MAX];
	uint8_t taken[L2TP_TXQ_MAX], idx[L2TP_TXQ_MAX];
	unsigned i, j, refused = 0, earlier = q->unreported;

	q->unreported = 0;
	if (q->n == 0)
		return earlier;
	memset(taken, 0, sizeof(taken));
	for (i = 0; i < q->n; i++) {
		unsigned k = 0;

		if (taken[i])
			continue;
		/* every datagram of this socket, in the order queued */
		for (j = i; j < q->n; j++) {
			struct l2tp_txq_ent *e = &q->ent[j];

			if (taken[j] || e->fd != q->ent[i].fd)
				continue;
			taken[j] = 1;
			idx[k] = (uint8_t)j;
			iov[k].iov_base = q->arena + e->off;
			iov[k].iov_len = e->len;
			memset(&v[k], 0, sizeof(v[k]));
			v[k].msg_hdr.msg_iov = &iov[k];
			v[k].msg_hdr.msg_iovlen = 1;
			if (e->has_peer) {
				v[k].msg_hdr.msg_name = &e->peer;
				v[k].msg_hdr.msg_namelen = sizeof(e->peer);
			}
			k++;
		}
		refused += txq_send_batch(q, q->ent[i].fd, v, idx, k);
	}
	q->errors += refused;
	q->n = 0;
	q->used = 0;
	return earlier + refused;
}

void l2tp_txq_fini(struct l2tp_txq *q)
{
	l2tp_txq_flush(q);
	free(q->arena);
	q->arena = NULL;
}
