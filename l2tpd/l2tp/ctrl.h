/*
 * The reliable control channel of one tunnel (RFC 2661 §5.8, Appendix A).
 *
 * It owns sequence numbers and nothing else: it numbers what the tunnel
 * sends, keeps it until acknowledged, retransmits with exponential backoff,
 * holds what exceeds the peer's receive window, acknowledges (piggy-backed
 * or with a delayed ZLB), re-acknowledges duplicates, queues out-of-order
 * messages that fall inside our receive window, and hands the tunnel every
 * message exactly once and in order.  It knows nothing of message types.
 *
 * Ns/Nr are 16-bit and compared modulo 2^16 (§5.8): a is "before" b when
 * (uint16_t)(b - a) is in 1..32767.
 */
#ifndef L2TP_CTRL_H
#define L2TP_CTRL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include "core/clock.h"
#include "l2tp/msg.h"

struct l2tp_ctrl_cfg {
	uint16_t rws;		/* our receive window, advertised in the RWS AVP (default 4) */
	unsigned retries;	/* retransmissions before the peer is declared dead (default 5) */
	unsigned rto_min_ms;	/* first retransmission timeout (default 1000) */
	unsigned rto_max_ms;	/* backoff cap (default 8000, §5.8: at least 8 s) */
	unsigned ack_delay_ms;	/* delayed ZLB acknowledgement (default 100) */
	unsigned hello_ms;	/* HELLO after this long without a message from the peer; 0 = off */
	unsigned resync_gap_ms;	/* resync: a gap before the peer's messages that lasts this
				 * long is not the peer's to fill (default 9000: past the
				 * 8 s backoff cap of §5.8, so a retransmission comes first) */
	unsigned resync_rto_ms;	/* resync: the oldest probe is resent this often until
				 * rto_min_ms has passed since it was first sent (default
				 * 100; 0 = off): a probe lost while the peer still sends
				 * to the dead box costs 100 ms, not rto_min_ms */
	unsigned resync_first_ms;	/* ... the first time this soon (default 20): a
					 * duplicate the peer acknowledges at once (§5.8),
					 * where it may delay the ack of the first copy */
};

void l2tp_ctrl_cfg_default(struct l2tp_ctrl_cfg *cfg);

struct l2tp_ctrl_ops {
	/* Put an encoded message on the wire.  Errors are counted, not fatal
	 * (the retransmission timer covers a lost send). */
	int (*xmit)(void *arg, const uint8_t *buf, size_t len);
	/* A new non-ZLB message, in order, exactly once.  The callback may
	 * call l2tp_ctrl_send() but must not destroy the channel (defer it). */
	void (*deliver)(void *arg, const uint8_t *buf, size_t len, const struct l2tp_hdr *h);
	/* Retransmissions exhausted: the peer is gone (§5.8). */
	void (*dead)(void *arg);
	/* hello_ms passed with nothing received: the tunnel sends a HELLO. */
	void (*hello)(void *arg);
	/* Optional (HA): a new message took Ns `ns` and is about to leave;
	 * buf holds it with that Ns.  Called before ops->xmit. */
	void (*numbered)(void *arg, uint16_t ns, const uint8_t *buf, size_t len);
	/* Optional (HA): a new message waits for room in the peer's window;
	 * buf holds it with the Ns it will take (messages are numbered in
	 * the order they are queued).  Not called while resynchronising, when
	 * that Ns may still move. */
	void (*queued)(void *arg, uint16_t ns, const uint8_t *buf, size_t len);
	/* Optional (HA): resync has nothing checkpointed to probe with: send
	 * one message (a HELLO) with l2tp_ctrl_send(); it is let through. */
	void (*probe)(void *arg);
	/* Optional (HA): resynchronisation is complete. */
	void (*resynced)(void *arg);
};

struct l2tp_ctrl_pkt {
	TAILQ_ENTRY(l2tp_ctrl_pkt) link;
	uint16_t ns;		/* sent: taken when it enters the send window */
	unsigned tries;		/* transmissions so far */
	uint64_t first_tx_ms;
	uint64_t last_tx_ms;
	struct l2tp_hdr hdr;	/* out-of-order queue: the header as parsed */
	size_t len;
	uint8_t buf[];
};
TAILQ_HEAD(l2tp_ctrl_pktq, l2tp_ctrl_pkt);

struct l2tp_ctrl_stats {
	uint64_t tx_msgs;		/* new non-ZLB messages sent */
	uint64_t tx_retransmits;
	uint64_t tx_rtx_overdue;	/* resent at an acknowledgement, their own timeout
					 * already run out (also in tx_retransmits) */
	uint64_t tx_zlb;
	uint64_t tx_errors;
	uint64_t rx_msgs;		/* non-ZLB messages delivered */
	uint64_t rx_zlb;
	uint64_t rx_duplicates;		/* Ns already seen: dropped and re-acked */
	uint64_t rx_out_of_order;	/* queued inside the window */
	uint64_t rx_out_of_window;	/* dropped beyond the window */
	uint64_t rx_bad_nr;		/* Nr acknowledging what we never sent */
	uint64_t rtt_last_ms;
	uint64_t resync_jumps;		/* resync: the peer's Nr was past our checkpointed Ns */
	uint64_t resync_nr_jumps;	/* resync: our Nr moved to the peer's first message */
	uint64_t resync_fast_rtx;	/* resync: probes resent on the short timer (also
					 * counted in tx_retransmits) */
};

struct l2tp_ctrl {
	struct l2tp_clock *clk;
	const struct l2tp_ctrl_ops *ops;
	void *arg;
	struct l2tp_ctrl_cfg cfg;

	uint16_t peer_tunnel_id;	/* Tunnel ID written in our headers */
	uint16_t swnd;			/* peer's receive window: our send window */
	uint16_t ns;			/* Ns of the next new message */
	uint16_t nr;			/* next Ns we expect from the peer */
	uint16_t una;			/* oldest Ns not yet acknowledged */

	struct l2tp_ctrl_pktq sent;	/* in flight, unacknowledged, in Ns order */
	struct l2tp_ctrl_pktq pending;	/* waiting for room in the send window */
	unsigned n_pending;		/* messages in pending */
	struct l2tp_ctrl_pkt **ooo;	/* rws slots: out-of-order messages, by Ns - nr - 1 */
	unsigned ooo_n;			/* occupied ooo slots */

	struct l2tp_timer rtx_timer;
	struct l2tp_timer ack_timer;
	struct l2tp_timer hello_timer;	/* armed for hello_ms after a message, not moved
					 * by each one: last_rx_ms says when it is due */
	uint64_t last_rx_ms;		/* the peer's last message, ZLB or not */
	unsigned rto_ms;		/* current retransmission timeout */
	unsigned rtx_count;		/* retransmissions of the oldest message */
	uint8_t ack_pending;
	unsigned ack_owed;		/* messages delivered since our last ack */
	uint8_t dead;
	/* HA resynchronisation (DESIGN.md): probe with the checkpointed
	 * messages, at most resync_window in flight, hold new ones. */
	uint8_t resync;
	uint8_t probe_allow;		/* let this many pending messages through */
	uint16_t resync_window;
	uint8_t learn_nr;		/* our checkpointed Nr may be behind the peer's view */
	struct l2tp_timer gap_timer;
	struct l2tp_ctrl_stats stats;
};

/* Returns 0 or -ENOMEM. */
int l2tp_ctrl_init(struct l2tp_ctrl *c, struct l2tp_clock *clk, const struct l2tp_ctrl_cfg *cfg,
		   const struct l2tp_ctrl_ops *ops, void *arg);
void l2tp_ctrl_destroy(struct l2tp_ctrl *c);

/* Peer's Assigned Tunnel ID and Receive Window Size (0 = absent: use 4). */
void l2tp_ctrl_set_peer(struct l2tp_ctrl *c, uint16_t peer_tunnel_id, uint16_t peer_rws);

/*
 * Queue an encoded non-ZLB control message (the channel copies it), and
 * send it now if the send window allows; it takes its Ns (c->ns++) when it
 * enters the window, so c->ns is always the next Ns on the wire.  The
 * Tunnel ID in the header is the caller's; Ns/Nr are the channel's.
 * 0 or -ENOMEM/-EINVAL, -EPIPE once the peer is declared dead.
 */
int l2tp_ctrl_send(struct l2tp_ctrl *c, const uint8_t *buf, size_t len);

/*
 * A control message from the peer whose header is parsed (h) and whose
 * tunnel is this one.  Processes Nr (acks), then Ns: delivers in order,
 * queues or drops out of order, re-acks duplicates.  Returns 0, or
 * -EBADMSG for an Nr acknowledging messages never sent (counted, ignored;
 * the Ns is still processed), -EPIPE once the peer is declared dead,
 * -EINVAL for a non-control header, -ENOMEM (message not queued).
 */
int l2tp_ctrl_input(struct l2tp_ctrl *c, const struct l2tp_hdr *h, const uint8_t *buf,
		    size_t len);

/* Go silent: no timer, no send, no further delivery (even from inside a
 * deliver callback); the memory stays until l2tp_ctrl_destroy(). */
void l2tp_ctrl_stop(struct l2tp_ctrl *c);
/* Send any pending acknowledgement now as a ZLB. */
void l2tp_ctrl_flush_ack(struct l2tp_ctrl *c);
/* Nothing sent is unacknowledged and nothing is waiting. */
int l2tp_ctrl_idle(const struct l2tp_ctrl *c);
/* Messages in flight plus waiting. */
unsigned l2tp_ctrl_outstanding(const struct l2tp_ctrl *c);
/*
 * HA: rebuild the channel's sequence state from a checkpoint (nothing is
 * sent): Ns of the next new message, Nr, the oldest unacknowledged Ns, and
 * the peer's receive window.  Then l2tp_ctrl_restore_msg() for each
 * checkpointed unacknowledged message, in Ns order (una .. ns-1).
 */
void l2tp_ctrl_restore(struct l2tp_ctrl *c, uint16_t ns, uint16_t nr, uint16_t una,
		       uint16_t peer_rws);
/* 0, -EINVAL (Ns outside una..ns-1, or not after the last one), -ENOMEM.
 * A message the old active had queued but not sent (ops->queued) is
 * restored the same way, with c->ns restored past it. */
int l2tp_ctrl_restore_msg(struct l2tp_ctrl *c, uint16_t ns, const uint8_t *buf, size_t len);
/* The hitless restart: the restored messages were sent by the process
 * before (each counts one try) and wait for the retransmission timer, armed
 * now; no resync. */
void l2tp_ctrl_continue(struct l2tp_ctrl *c);
/*
 * Start resynchronising with a peer that knows nothing of the failover:
 * send the restored messages (at most `window` in flight, each with the
 * checkpointed Nr), or one probe (ops->probe) if there are none; hold
 * every new message.  The peer's acknowledgements tell where its Nr is;
 * an Nr past our Ns (the peer has messages we never checkpointed) moves
 * our Ns there.  Likewise our Nr: if the peer's messages start past it and
 * the gap is not filled within resync_gap_ms (the peer would have
 * retransmitted what it still owes), the peer believes those acknowledged
 * and our Nr moves to its first message.  Once nothing restored is unacknowledged, ops->resynced
 * runs and held messages go.  A peer that never answers ends in ops->dead.
 *
 * The probe schedule (RFC 2661 §5.8 leaves the timer to the implementation):
 * while resynchronising, the oldest unacknowledged message is resent
 * resync_first_ms (20 ms) after it was first sent, then every resync_rto_ms
 * (100 ms) during the first rto_min_ms (1 s) after it was first sent, then
 * on the ordinary schedule (rto_min_ms doubling up to rto_max_ms, `retries`
 * times).  The short resends do not count against
 * `retries`, so a dead peer is declared dead exactly when it would have been
 * without them; the peer drops the duplicates and acknowledges them.
 */
void l2tp_ctrl_resync_start(struct l2tp_ctrl *c, unsigned window);
/* 1 if a is before b modulo 2^16 (§5.8). */
int l2tp_seq_before(uint16_t a, uint16_t b);

#endif
