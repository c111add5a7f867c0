/*
 * The daemon's control-message counters: messages by type in and out,
 * retransmissions by type, StopCCN and CDN by result code, each way.
 * Daemon-wide and only ever growing (the per-tunnel counters of
 * l2tp/ctrl.h go with their tunnel), so the metrics endpoint can export
 * them as Prometheus counters.  They live in struct l2tpd (d->counters);
 * l2tp/tunnel.c and l2tp/session.c count.
 */
#ifndef L2TP_COUNTERS_H
#define L2TP_COUNTERS_H

#include <stddef.h>
#include <stdint.h>
#include "l2tp/proto.h"

#define L2TP_COUNTERS_TYPES	(L2TP_MSG_MAX + 1)	/* index 0: ZLB */
#define L2TP_COUNTERS_RESULTS	16			/* result codes 0..14; 15: 15 and above */

struct l2tp_counters {
	uint64_t rx[L2TP_COUNTERS_TYPES];	/* delivered in order (ZLB: every one received) */
	uint64_t tx[L2TP_COUNTERS_TYPES];	/* first transmissions */
	uint64_t retx[L2TP_COUNTERS_TYPES];	/* sent again (timeout, or a resync probe) */
	uint64_t rx_unknown;			/* of a type RFC 2661 does not define */
	uint64_t stopccn_tx[L2TP_COUNTERS_RESULTS], stopccn_rx[L2TP_COUNTERS_RESULTS];
	uint64_t cdn_tx[L2TP_COUNTERS_RESULTS], cdn_rx[L2TP_COUNTERS_RESULTS];
	const uint8_t *numbered;		/* the message numbered last, until it leaves */
};

/*
 * The Message Type of an encoded control message (its first AVP, §4.4.1:
 * never hidden), 0 for a ZLB, -EBADMSG when it is none of these.
 */
int l2tp_counters_peek_type(const uint8_t *buf, size_t len);

/* A control message leaves (tunnel.c's xmit): a ZLB, a message numbered
 * just before (first transmission), or one sent again. */
void l2tp_counters_xmit(struct l2tp_counters *c, const uint8_t *buf, size_t len);
/* The control channel numbered buf; its transmission follows. */
static inline void l2tp_counters_numbered(struct l2tp_counters *c, const uint8_t *buf)
{
	c->numbered = buf;
}
/* A message delivered (type known or not), a ZLB received. */
void l2tp_counters_rx(struct l2tp_counters *c, unsigned type, int known);
/* A Result Code (StopCCN or CDN) into its slot. */
static inline void l2tp_counters_result(uint64_t *slots, unsigned result)
{
	slots[result < L2TP_COUNTERS_RESULTS ? result : L2TP_COUNTERS_RESULTS - 1]++;
}

#endif
