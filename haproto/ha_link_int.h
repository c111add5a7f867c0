/*
 * The checkpoint link's insides, shared by its files and by nothing else
 * (ha_link.h is the interface):
 *   ha_link.c          framing of control messages, heartbeats' timer, the
 *                      libev glue (drain, idle, prepare), sockets' common
 *                      options, life cycle and role changes;
 *   ha_link_active.c   the ROUTER that serves one standby: HELLO, bulk,
 *                      stream, acknowledgements, the active's heartbeat;
 *   ha_link_standby.c  the DEALER that follows an active: HELLO, applying
 *                      the stream in order, acks, the standby's heartbeat;
 *   ha_link_zap.c      the ZAP handler (ZeroMQ RFC 27) that admits only the
 *                      peer's CURVE key.
 * Time is the daemon's: ops.now_ms (milliseconds on a monotonic clock).
 */
#ifndef HA_LINK_INT_H
#define HA_LINK_INT_H

#include <stddef.h>
#include <stdint.h>
#include <ev.h>
#include "haproto/ckpt.h"
#include "haproto/ha_link.h"

#define LINK_ZAP_ENDPOINT	"inproc://zeromq.zap.01"
#define LINK_ZAP_DOMAIN		"l2tpd-ha"
#define LINK_BATCH		1024	/* messages per socket per drain */
#define LINK_ID_MAX		256	/* ZeroMQ routing identities are <= 255 octets */
#define LINK_CTL_MAX		64	/* an encoded control message */
#define LINK_REFUSAL_LOG_MS	10000	/* at most one refusal line per 10 s */
#define LINK_REDIAL_DEAD	5	/* standby: a new connection after 5 x dead_ms alone */
/* Active: records to a batching standby (schema HA_SCHEMA_BATCH) wait in
 * one envelope of at most this size, sent when the next would not fit,
 * before any control message, at the daemon's ha_link_active_flush() and
 * before the loop sleeps.  A larger record (the configuration) goes alone. */
#define LINK_BATCH_BYTES	(64 * 1024)
/* Standby: an acknowledgement once each message is applied, and inside a
 * large one at least every LINK_ACK_RECORDS records; no message read once LINK_DRAIN_RECORDS records were
 * applied in a loop turn (the rest in the next turn, through the idle
 * watcher).  A drain of LINK_BATCH batches is 250,000 records: the
 * active's held packets waited for all of them before the one
 * acknowledgement at its end. */
#define LINK_ACK_RECORDS	256
#define LINK_DRAIN_RECORDS	4096

enum link_peer_state {
	PEER_NONE = 0,		/* no standby */
	PEER_BULK,		/* bulk sent, BULK_END not yet acknowledged */
	PEER_STREAM,		/* in sync */
};

enum link_sb_state {
	SB_HELLO = 0,		/* wants a bulk: says HELLO, ignores records */
	SB_BULK,		/* between BULK_BEGIN and BULK_END */
	SB_SYNCED,		/* stream */
};

struct ha_link {
	struct ev_loop *loop;
	struct ha_link_cfg cfg;
	struct ha_link_ops ops;
	void *arg;
	enum ha_link_role role;

	void *ctx;
	void *router, *zap, *dealer;
	uint8_t peer_pub[32];		/* cfg.peer_key, decoded */
	ev_io router_io, zap_io, dealer_io;
	/* Per socket: the last call that took its commands in (a receive
	 * that found nothing, a ZMQ_EVENTS without POLLIN) left nothing to
	 * read, and no call since took any in: its ZMQ_FD is the truth
	 * again, so a look at ZMQ_EVENTS (a getpid and a poll inside
	 * libzmq) can be spared until a send or a receive clears it. */
	uint8_t quiet_router, quiet_zap, quiet_dealer;
	ev_prepare prepare;
	ev_check check;
	int prepared;			/* our prepare ran, the loop has not woken since */
	ev_idle idle;
	ev_timer hb;
	uint64_t hb_tick_ms;		/* the heartbeat timer's last run, or its start */

	/* active */
	struct {
		uint8_t id[LINK_ID_MAX];
		size_t id_len;
		enum link_peer_state state;
		uint64_t last_rx_ms;
		uint64_t bulk_start_ms;
		uint64_t bulk_end_seq;
		uint32_t version;	/* the schema its HELLO said */
	} peer;
	uint8_t *batch;			/* records not yet sent: one envelope */
	size_t batch_len;
	unsigned batch_n;		/* records in it */
	uint64_t seq;			/* last sequence number given out */
	uint64_t acked;
	uint64_t epoch;			/* last bulk's */
	int in_bulk;			/* inside ops->bulk */
	uint64_t bulk_count;
	unsigned skip_seq;		/* test hook */
	int down_pending;		/* ops->standby(0) to deliver from the loop */
	char down_reason[96];

	/* standby */
	enum link_sb_state sb;
	int active_up;
	uint64_t active_last_rx_ms;
	uint64_t sb_epoch;		/* epoch of the bulk held or being received */
	uint64_t expect;		/* next sequence number */
	uint64_t applied;		/* last applied: the cumulative ack */
	uint64_t ack_sent;
	int ack_synced_sent;
	uint64_t rx_count;
	unsigned turn_records;		/* applied this loop turn (reset before the loop sleeps) */
	uint64_t sb_bulk_start_ms;
	uint64_t dealer_opened_ms;
	int hello_due;			/* a HELLO found no connection: send when one is up */

	struct ha_link_stats st;
	int warned_version;
	uint64_t refusal_logged_ms;	/* the last refusal line */
	uint64_t refusals_quiet;	/* refusals since, not logged */
};

/* ha_link.c */
void ha_link_log(struct ha_link *l, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The daemon's clock (ops.now_ms), and how long ago t was on it. */
uint64_t ha_link_now_ms(const struct ha_link *l);
uint64_t ha_link_since_ms(const struct ha_link *l, uint64_t t);
int ha_link_setopt_int(void *s, int opt, int v);
/* Options every socket of the link gets. */
int ha_link_common_opts(struct ha_link *l, void *s);
/* An encoded control message in m (zmq_msg_t *). */
int ha_link_ctl_msg(const struct ha_link *l, const struct ha_ctl *c, void *m);
/* ZMQ_EVENTS of socket s of l (0 for none); keeps its quiet flag. */
int ha_link_events(struct ha_link *l, void *s);
/* A receive on s of l: got is 1 if it brought a message, 0 if it found
 * none (EAGAIN: every command taken in, nothing to read). */
void ha_link_received(struct ha_link *l, void *s, int got);
/* A send on s of l that the loop's next look (the end of a drain, the
 * prepare) covers: its quiet flag cleared, nothing looked at yet. */
void ha_link_touched(struct ha_link *l, void *s);
/* After a send on socket s: input whose edge the send took (ZMQ_FD is
 * edge-triggered) is read from the idle watcher, not left for the next
 * heartbeat, whatever the loop does next.  Every send on a link's socket
 * comes here (it clears the socket's quiet flag). */
void ha_link_sent(struct ha_link *l, void *s);
/* Watch a socket's ZMQ_FD on the loop. */
void ha_link_io_watch(struct ha_link *l, ev_io *io, void *sock);
/* A version other than ours: counted, said once. */
void ha_link_version_seen(struct ha_link *l, uint32_t version, const char *who);

/* ha_link_active.c */
int ha_link_active_open(struct ha_link *l, char *err, size_t errsz);
/* One message from the ROUTER: 1, or 0 when nothing was there. */
int ha_link_active_read(struct ha_link *l);
/* ops->standby(0) for a standby lost inside a call, from the loop. */
void ha_link_active_deliver(struct ha_link *l);
void ha_link_active_heartbeat(struct ha_link *l, uint64_t now);
/* Leaving ACTIVE: forget the standby, say nothing. */
void ha_link_active_forget(struct ha_link *l);
/* Records waiting in a batch (the loop's prepare sends them). */
int ha_link_active_pending(const struct ha_link *l);

/* ha_link_standby.c */
int ha_link_standby_open(struct ha_link *l);
void ha_link_standby_close(struct ha_link *l);
/* One message from the DEALER: 1, or 0 when nothing was there. */
int ha_link_standby_read(struct ha_link *l);
/* Up to LINK_BATCH messages, none once the turn applied LINK_DRAIN_RECORDS
 * records (a message in hand is applied whole); the messages read. */
unsigned ha_link_standby_drain(struct ha_link *l);
void ha_link_standby_hello(struct ha_link *l);
void ha_link_standby_ack(struct ha_link *l);
void ha_link_standby_heartbeat(struct ha_link *l, uint64_t now);
/* Entering a role: no bulk held, nothing acknowledged yet. */
void ha_link_standby_forget(struct ha_link *l);

/* ha_link_zap.c */
int ha_link_zap_open(struct ha_link *l, char *err, size_t errsz);
/* One ZAP request answered: 1, or 0 when none was there. */
int ha_link_zap_read(struct ha_link *l);

#endif
