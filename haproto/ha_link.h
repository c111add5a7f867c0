/*
 * The checkpoint link between an active and its standby, over ZeroMQ.
 *
 *   active:  a ROUTER socket bound to `checkpoint local A port P`; serves one
 *            standby at a time.
 *   standby: a DEALER socket connected to the peer's address; says HELLO
 *            (schema version, last sequence number applied), receives a bulk
 *            sync (BULK_BEGIN, every record, BULK_END) and then the ordered
 *            incremental stream; acknowledges cumulatively.
 *
 * Every record on the stream has a sequence number (1, 2, ... per epoch);
 * a standby that sees a gap asks for a new bulk sync.  Both ends send a
 * heartbeat every heartbeat_ms; silence for dead_ms means the other end is
 * gone (active: it stops waiting for acknowledgements; standby: it keeps
 * saying HELLO until an active answers).  ZeroMQ reconnects by itself.
 *
 * Authentication: ZeroMQ CURVE.  The active is the CURVE server with its own
 * secret key and admits, through a ZAP handler, only the client whose public
 * key is configured as the peer's; a refusal is logged and counted.  The
 * standby is the CURVE client with its own keypair and the active's public
 * key.  Each box has one keypair (ha_link_keygen) and knows the other's
 * public key, so the roles can swap.  security none (no keys) is plain ZeroMQ
 * for benchmarks and labs, and says so in the log.
 *
 * The link runs on the daemon's libev loop; it never blocks.
 */
#ifndef HA_LINK_H
#define HA_LINK_H

#include <stddef.h>
#include <stdint.h>
#include <ev.h>
#include "haproto/ha_rec.h"

#define HA_KEY_LEN	40	/* Z85 text of a CURVE key */

enum ha_link_role {
	HA_LINK_IDLE = 0,	/* bound, answers nobody */
	HA_LINK_ACTIVE,
	HA_LINK_STANDBY,
};

struct ha_link_cfg {
	char bind[128];		/* "tcp://A:P": where this box serves as active */
	char connect[128];	/* "tcp://A:P": the peer, when this box is standby */
	int curve;		/* 1: CURVE with the keys below; 0: plain */
	char public_key[HA_KEY_LEN + 1];	/* ours */
	char secret_key[HA_KEY_LEN + 1];	/* ours */
	char peer_key[HA_KEY_LEN + 1];		/* the peer's public key */
	unsigned heartbeat_ms;	/* default 100 */
	unsigned dead_ms;	/* default 1000 */
	uint32_t schema_version;	/* 0: HA_SCHEMA_VERSION (tests pretend other versions) */
};

struct ha_link_ops {
	/* active: a standby asked for the full state.  Call
	 * ha_link_active_send() for every record, then return; the link wraps
	 * them in BULK_BEGIN/END. */
	void (*bulk)(void *arg);
	/* active: the standby's cumulative acknowledgement moved to seq. */
	void (*acked)(void *arg, uint64_t seq);
	/* active: a standby is connected and in sync (its bulk acknowledged)
	 * or gone (up = 0, reason says why).  up = 0 also comes for a
	 * standby lost before its bulk was acknowledged (records sent to it
	 * may be waited for), and is delivered from the loop, never from
	 * inside ha_link_active_send(). */
	void (*standby)(void *arg, int up, const char *reason);
	/* standby: a bulk sync starts: drop the shadow state. */
	void (*bulk_begin)(void *arg);
	/* standby: the bulk is complete; the stream follows. */
	void (*bulk_end)(void *arg);
	/* standby: apply one record (the link frees it after the call). */
	void (*record)(void *arg, const struct ha_rec *r);
	/* standby: the active is up (connected, heartbeats) or gone. */
	void (*active)(void *arg, int up, const char *reason);
	/* standby: the active asked us to take over (manual switchover). */
	void (*takeover)(void *arg);
	/* One log line (prio as syslog). */
	void (*log)(void *arg, int prio, const char *msg);
	/* Required: the time now, in milliseconds on a monotonic clock (the
	 * daemon's clock.h; tests drive it).  The link reads no other clock. */
	uint64_t (*now_ms)(void *arg);
};

struct ha_link_stats {
	uint64_t tx_records, rx_records;
	uint64_t tx_msgs;		/* messages that carried records (batches count once) */
	uint64_t tx_bytes, rx_bytes;
	uint64_t tx_acks, rx_acks;
	uint64_t heartbeats_tx, heartbeats_rx;
	uint64_t bulks;			/* bulk syncs sent (active) or received (standby) */
	uint64_t bulk_records;		/* records in the last bulk */
	uint64_t bulk_ms;		/* duration of the last bulk, until acknowledged */
	uint64_t gaps;			/* sequence gaps seen (standby) or reported (active) */
	uint64_t auth_refused;		/* ZAP refusals (active) */
	uint64_t peer_timeouts;		/* dead_ms of silence */
	uint64_t decode_errors;		/* undecodable messages, dropped */
	uint64_t version_mismatch;	/* records from another schema version */
};

struct ha_link;

/* 0, or a negative errno with err set (bad address, bad key, bind failed,
 * no ops->now_ms). */
int ha_link_new(struct ev_loop *loop, const struct ha_link_cfg *cfg,
		const struct ha_link_ops *ops, void *arg, struct ha_link **out,
		char *err, size_t errsz);
void ha_link_free(struct ha_link *l);

/*
 * Read what the peer has sent (an active: the standby's acknowledgements,
 * ops->acked), as the loop would: for a daemon inside a long loop turn
 * that wants its held packets released now.  Callbacks may fire.  0 or
 * -EINVAL.
 */
int ha_link_poll(struct ha_link *l);

/* IDLE <-> ACTIVE <-> STANDBY; the standby connects, the others do not.
 * No callback fires from here. */
int ha_link_set_role(struct ha_link *l, enum ha_link_role role);
enum ha_link_role ha_link_role(const struct ha_link *l);

/* --- active (ha_link_active.c) --- */
/*
 * Queue a record for the standby.  Returns its sequence number, or 0 when
 * no standby is connected (nothing to wait for).
 */
uint64_t ha_link_active_send(struct ha_link *l, const struct ha_rec *r);
/*
 * Send the records a batching standby's batch holds now (0, or -errno: the
 * standby is then lost, ops->standby(0) from the loop).  The daemon calls
 * it once its turn's records are queued; the link itself sends a batch
 * when it is full, before any control message and before the loop sleeps.
 */
int ha_link_active_flush(struct ha_link *l);
/* The highest sequence number the standby acknowledged. */
uint64_t ha_link_active_acked(const struct ha_link *l);
/* The sequence number of the last record sent (0: none). */
uint64_t ha_link_active_last_seq(const struct ha_link *l);
/* A standby is connected and has acknowledged its bulk. */
int ha_link_active_synced(const struct ha_link *l);
/* Ask the standby to take over (it then calls ops->takeover). */
int ha_link_active_request_takeover(struct ha_link *l);
/* The address the active's socket is bound to, with the port the kernel
 * chose for "tcp://A:*" (tests).  0 or -errno. */
int ha_link_active_endpoint(const struct ha_link *l, char *buf, size_t size);
/* Tests only: the next record sent skips one sequence number, as if a
 * record were lost on the way (the standby must ask for a new bulk). */
void ha_link_active_test_skip_seq(struct ha_link *l);

/* --- standby (ha_link_standby.c) --- */
/* Connected to an active and in sync (bulk complete). */
int ha_link_standby_synced(const struct ha_link *l);
/* Records applied since start. */
uint64_t ha_link_standby_rx_count(const struct ha_link *l);

void ha_link_get_stats(const struct ha_link *l, struct ha_link_stats *st);

/* A fresh CURVE keypair in Z85 (41-byte buffers).  0 or -errno. */
int ha_link_keygen(char *public_key, char *secret_key);
/* 1 if s is a well-formed Z85 CURVE key. */
int ha_link_key_valid(const char *s);

#endif
