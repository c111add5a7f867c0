/*
 * Datagrams leaving in batches: what a loop turn sends is queued and
 * leaves at the end of the turn with one sendmmsg(2) per socket, in the
 * order it was queued on that socket.  A PPP session's set-up sends about
 * ten datagrams on its tunnel's socket (L2TP control messages and, on the
 * null data path, the PPP frames): a send call each was most of the
 * LNS's system calls.  The queue is its owner's (struct l2tpd).
 */
#ifndef L2TP_TXQ_H
#define L2TP_TXQ_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define L2TP_TXQ_MAX	64		/* datagrams held; one more flushes first */
#define L2TP_TXQ_BYTES	(64 * 1024)	/* bytes held (allocated at the first datagram) */

struct l2tp_txq_ent {
	void *owner;			/* whose datagram (l2tp_txq_add_for), or NULL */
	int fd;
	int has_peer;			/* 0: the socket is connected */
	struct sockaddr_in peer;
	size_t off, len;		/* in the arena */
};

struct l2tp_txq {
	uint8_t *arena;			/* L2TP_TXQ_BYTES, NULL until needed */
	size_t used;
	unsigned n;
	struct l2tp_txq_ent ent[L2TP_TXQ_MAX];
	/* counters */
	uint64_t datagrams;		/* sent */
	uint64_t calls;			/* sendmmsg calls made */
	uint64_t errors;		/* datagrams the kernel refused (dropped) */
	unsigned unreported;		/* of those, dropped when a full queue left
					 * in l2tp_txq_add: l2tp_txq_flush returns them */
	/* Each datagram the kernel refuses, with its owner (not NULL), as it
	 * is dropped, wherever the queue left (l2tp_txq_add as well as
	 * l2tp_txq_flush); NULL: none.  Owners stay valid until a flush. */
	void (*refused)(void *owner);
};

/*
 * Queue a datagram for fd, to peer (NULL: fd is connected).  0, or a
 * negative errno when it could not be queued and a direct send failed
 * too (no memory for the queue, a datagram larger than it).
 */
int l2tp_txq_add(struct l2tp_txq *q, int fd, const struct sockaddr_in *peer, const void *buf,
		 size_t len);
/* The same for owner, told through q->refused if the kernel refuses it
 * (a direct send that fails is the caller's to count: a negative errno). */
int l2tp_txq_add_for(struct l2tp_txq *q, void *owner, int fd, const struct sockaddr_in *peer,
		     const void *buf, size_t len);
/* Send what is queued: one sendmmsg per socket (more when the kernel
 * takes part of a batch).  The datagrams the kernel refused are dropped
 * and counted; the number dropped since the last call is returned (those
 * of this call, and those of a full queue that left in l2tp_txq_add). */
unsigned l2tp_txq_flush(struct l2tp_txq *q);
/* Flush, then free the arena (allocated again when needed). */
void l2tp_txq_fini(struct l2tp_txq *q);

#endif
