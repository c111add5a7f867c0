/*
 * High availability: the daemon's role in an active/standby pair, what it
 * hears of the protocol machines (an observer of tunnels and sessions,
 * l2tp/observer.h) and the gate their packets leave through (DESIGN.md,
 * "HA contract").
 *
 * Roles.  Without a `redundancy` block the daemon is STANDALONE (it acts,
 * checkpoints nothing).  With one it starts in INIT and follows keepalived:
 * `redundancy state master|backup|fault` (l2tpctl, from keepalived's notify
 * script).  BACKUP makes it a STANDBY: it connects to the peer, applies the
 * checkpoint stream to its shadow store and opens no socket.  MASTER makes a
 * STANDBY (or INIT) ACTIVE: it rebuilds every checkpointed tunnel and
 * session (sockets on the virtual address, kernel objects with the same IDs,
 * pppN with the same names) and resynchronises each tunnel.  An ACTIVE told
 * BACKUP or FAULT goes silent at once, drops its state without a word to the
 * peers (they belong to the new active) and becomes a STANDBY.
 *
 * Checkpoint before acknowledge (output commit): while a standby is in
 * sync, every control packet the active sends (new message, retransmission,
 * ZLB, piggy-backed acknowledgement) waits in the egress queue until the
 * standby has acknowledged every record emitted before it.  Records are
 * emitted at the end of each event-loop turn for the objects that changed
 * during it, so a packet leaves only once the state that caused it, and the
 * message itself, are on the standby.  Without a standby nothing waits.
 */
#ifndef L2TPD_HA_H
#define L2TPD_HA_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <ev.h>
#include "core/clock.h"
#include "core/hist.h"
#include "core/hist_fine.h"

struct l2tpd;
struct l2tp_tunnel;
struct l2tp_session;
struct ha_link;
struct ha_shadow;
struct ha_rec;
struct vpdn_group;

/* struct l2tp_tunnel.ha_dirty */
#define HA_DIRTY_TUNNEL		0x1	/* its identity/state record */
#define HA_DIRTY_SEQ		0x2	/* Ns/Nr/una may have moved */

enum ha_role {
	HA_ROLE_STANDALONE = 0,	/* no `redundancy` block */
	HA_ROLE_INIT,		/* configured, waiting for keepalived */
	HA_ROLE_STANDBY,
	HA_ROLE_ACTIVE,
	HA_ROLE_FAULT,		/* keepalived says FAULT: silent, not a standby */
};

/* A packet held until the standby acknowledges record `seq`. */
struct ha_egress {
	STAILQ_ENTRY(ha_egress) link;
	uint64_t seq;		/* 0: tagged at the next flush */
	uint64_t queued_us;	/* monotonic, for the latency figures */
	uint64_t tagged_us;	/* when its records left (0: not yet) */
	uint16_t tid;		/* the tunnel (it may be gone when released) */
	size_t len;
	uint8_t buf[];
};
STAILQ_HEAD(ha_egressq, ha_egress);

struct ha_stats {
	uint64_t records_tx;		/* records streamed (active) */
	uint64_t records_rx;		/* records applied (standby) */
	uint64_t egress_held;		/* packets that waited for the standby */
	uint64_t egress_wait_us_total;	/* their waiting, summed */
	uint64_t egress_wait_us_max;
	struct hist egress_wait;	/* the same waits, as a histogram (metrics) */
	struct hist egress_ack_wait;	/* of each, the part after its records left:
					 * the standby's round trip, the rest being
					 * the active's own loop turn */
	/* Both again, log-linear (within 3.2 %): the percentiles the show
	 * prints, where a coarse bucket 500 us .. 1 ms wide cannot say < 1 ms. */
	struct hist_fine egress_wait_fine;
	struct hist_fine egress_ack_wait_fine;
	uint64_t egress_released_unacked;	/* released because the standby went away */
	uint64_t takeovers;		/* STANDBY -> ACTIVE */
	uint64_t demotions;		/* ACTIVE -> silent */
	uint64_t takeover_tunnels, takeover_sessions;	/* rebuilt at the last takeover */
	uint64_t takeover_waiting;	/* half-made calls rebuilt to wait for the peer */
	uint64_t takeover_completed;	/* ... that the peer finished (ICCN/OCCN) */
	uint64_t takeover_cleared;	/* half-made sessions cleared at the last takeover
					 * (not finished in time, or not rebuilt) */
	uint64_t takeover_errors;	/* objects that could not be rebuilt */
	uint64_t takeover_rebuild_ms;	/* last takeover: rebuild time (tunnels) */
	uint64_t takeover_sessions_ms;	/* ... until the last session was rebuilt */
	uint64_t takeover_on_demand;	/* ... tunnels whose sessions a packet rebuilt */
	uint64_t takeover_held;		/* ... data packets held until their session was */
	uint64_t takeover_pppoe;	/* PPPoE sessions rebuilt at the last takeover */
	uint64_t takeover_pppoe_errors;	/* ... not rebuilt (PADT sent) */
	uint64_t resync_ok, resync_fail;	/* tunnels, since start */
	uint64_t resync_duration_ms;	/* last takeover: until the last tunnel resynced */
	uint64_t resync_refused;	/* calls refused with cause 611 */
	uint64_t standby_ups, standby_downs;
	uint64_t vip_takeovers;		/* takeovers started by the virtual address (ha/vip.c) */
};

/* The configuration kept in step (ha/config.c), through the command room's
 * hooks: text, the running configuration to send (malloc'd, its length in
 * *len; NULL on no memory); apply, the active's text on the standby (0, or
 * a negative errno with the reason in why), written to the file if save. */
struct ha_config_ops {
	char *(*text)(struct l2tpd *d, size_t *len);
	int (*apply)(struct l2tpd *d, const char *text, size_t len, int save, char *why,
		     size_t whysz);
};

struct l2tpd_ha {
	enum ha_role role;
	struct ha_link *link;
	struct ha_shadow *shadow;	/* standby: the checkpointed state */
	int standby_in_sync;		/* active: the standby has acknowledged its bulk */
	int shadow_complete;		/* standby: a bulk sync finished into the shadow */
	uint64_t last_seq;		/* active: last record emitted */
	uint64_t acked_seq;		/* active: standby's cumulative ack */
	struct ha_egressq egress;
	unsigned egress_n;
	struct ha_egressq egress_new;	/* held, not yet tagged with a seq */
	unsigned turn_msgs;		/* datagrams handled since the last commit (ha_flush) */
	/* objects whose records are owed (emitted at the end of the loop turn) */
	TAILQ_HEAD(, l2tp_tunnel) dirty_tunnels;
	TAILQ_HEAD(, l2tp_session) dirty_sessions;
	/* takeover and resync in progress */
	uint64_t takeover_start_ms;	/* monotonic */
	unsigned tunnels_resyncing;
	/* Tunnels whose sessions are still in the shadow store, rebuilt a
	 * batch a loop turn after the tunnels (ha/takeover.c). */
	struct {
		uint16_t *tids;
		size_t n, next;
		/* Tunnels a data packet is waiting for: first (ha_urgent). */
		uint16_t *urgent;
		size_t n_urgent, next_urgent;
		int running;
		struct l2tp_timer timer;
	} rebuild;
	uint64_t role_since_ms;		/* monotonic */
	char crash_point[32];		/* `test redundancy crash-point NAME` */
	int crash_msg;			/* ... `message TYPE`: its L2TP type, -1 any */
	ev_prepare flush_watcher;
	int vip_fd;			/* rtnetlink address announcements, -1 none (ha/vip.c) */
	int vrrp_fault;			/* a switchover's fault is in the fault file */
	int vrrp_fault_released;	/* ... and the address has left this box since */
	int vrrp_fault_notified;	/* ... and keepalived's script has said fault */
	int active_up;			/* standby: the active is reachable on the link */
	struct l2tp_timer fault_hold;	/* ... cleared at the latest when this fires */
	ev_io vip_watcher;
	/* How packets leave past the output-commit gate (the gate is d->xmit
	 * while this box is a member of a pair). */
	int (*xmit_next)(struct l2tp_tunnel *t, const uint8_t *buf, size_t len);
	/* Unit tests: records go here instead of a link (ha_test_attach). */
	uint64_t (*test_sink)(void *arg, const struct ha_rec *r);
	void *test_arg;
	struct ha_stats stats;
	/* the configuration (ha/config.c) */
	const struct ha_config_ops *cfg_ops;
	uint64_t cfg_digest;		/* active: of the last sent; standby: the active's */
	uint64_t cfg_local_digest;	/* standby: its own, after applying the active's */
	int cfg_received;		/* standby: the active's has come */
	int cfg_mismatch;		/* standby: it differs from the active's */
	char cfg_why[256];		/* standby: why */
	/* standby: the parts of a configuration larger than one record
	 * (HA_REC_CONFIG_PART), joined in buf until the last one */
	struct {
		char *buf;			/* total_len + 1 octets; NULL: none */
		uint64_t digest;
		uint32_t count, next, total_len, have;
		uint8_t save;
	} cfg_parts;
};

const char *ha_role_string(enum ha_role r);

/* The configuration kept in step: the command room's hooks; the active's
 * configuration changed (save: write memory ran), send it to the standby. */
void ha_config_set_ops(struct l2tpd *d, const struct ha_config_ops *ops);
void ha_config_changed(struct l2tpd *d, int save);

/* l2tpd.c calls these.  ha_init: the queues, HA's observer of tunnels and
 * sessions (l2tp/observer.h), role STANDALONE; 0 or a negative errno.
 * ha_start: with a `redundancy` block, the shadow store, the link, the
 * output-commit gate on d->xmit, role INIT. */
int ha_init(struct l2tpd *d);
int ha_start(struct l2tpd *d, char *err, size_t errsz);
void ha_fini(struct l2tpd *d);

/* keepalived and the operator (`redundancy state ...`, `redundancy switchover`). */
int ha_set_state(struct l2tpd *d, const char *state, char *err, size_t errsz);
int ha_switchover(struct l2tpd *d, char *err, size_t errsz);
/* 1 when the daemon may act on the network (STANDALONE or ACTIVE).  The
 * packet path asks it in one place, the output-commit gate; accounting
 * in one, aaa/acct.c's send. */
int ha_may_act(const struct l2tpd *d);

/* Counting per tunnel/session for `show l2tp redundancy`. */
int ha_tunnel_established(const struct l2tp_tunnel *t);	/* checkpoint acknowledged */
int ha_session_established(const struct l2tp_session *s);

/* `test redundancy crash-point NAME [message TYPE]`: die (SIGKILL) at that
 * point:
 *   tx-before-ckpt  the next new control message leaves before its checkpoint
 *   ckpt-before-tx  a held packet's checkpoint is acknowledged, it never leaves
 *   resync          a standby comes in sync while tunnels still resync
 *   none            disarm.
 * msg: the L2TP message type name (ICRP, HELLO, ...) the first two points
 * wait for, other messages passing as usual; NULL: the first one.  0, or
 * -EINVAL for another name or type. */
int ha_crash_point(struct l2tpd *d, const char *name, const char *msg);

/* Emit the owed records and tag held packets (the loop does it at the end
 * of each turn; tests call it). */
void ha_flush(struct l2tpd *d);
/* Rebuild everything in the shadow store and start resynchronising: the
 * body of STANDBY -> ACTIVE (tests call it with a hand-filled store). */
void ha_takeover(struct l2tpd *d, const char *why);
/* The sessions follow the tunnels a batch a loop turn: those not rebuilt
 * yet, now (before a bulk sync; tests). */
void ha_takeover_rebuild_all(struct l2tpd *d);

/*
 * The hitless restart (cli/restart.c; ha/restart.c).  ha_restart_export,
 * in the process before, once it reads no socket: the owed
 * acknowledgements sent, the records of every established tunnel (its
 * channel exactly: Ns, Nr, unacknowledged messages) and of its sessions,
 * each encoded as the checkpoint link encodes it, to put (0 or a negative
 * errno, which ends the export).  ha_restart_apply, in the new process: one
 * into a shadow store.  ha_restart_rebuild: every tunnel in it on the
 * socket fd_of gives for its ID, its sessions, the channels going on with
 * no resync; the role of the process before (STANDALONE, or ACTIVE with
 * the link made active: the standby reconnects and takes a bulk sync).
 * The records end with those of the PPPoE sessions relayed into the calls.
 * 0 or a negative errno with the reason in err.
 */
struct ha_shadow;
int ha_restart_link(struct l2tpd *d, int on, char *err, size_t errsz);
int ha_restart_export(struct l2tpd *d, int (*put)(void *arg, const uint8_t *buf, size_t len),
		      void *arg, unsigned *n_tunnels, unsigned *n_sessions);
int ha_restart_apply(struct ha_shadow *sh, const uint8_t *buf, size_t len);
int ha_restart_rebuild(struct l2tpd *d, const struct ha_shadow *sh, enum ha_role role,
		       int (*fd_of)(void *arg, uint16_t tid), void *arg, unsigned *n_tunnels,
		       unsigned *n_sessions, char *err, size_t errsz);
/* ... then, the access side started on the ports handed over, the PPPoE
 * sessions relayed into the calls rebuilt: *n; *errors not (each logged,
 * its subscriber told to dial again). */
void ha_restart_pppoe(struct l2tpd *d, const struct ha_shadow *sh, uint64_t *n,
		      uint64_t *errors);

/* Unit tests: become ACTIVE with a standby in sync that is the function
 * `sink` (it returns each record's sequence number); ha_test_ack() is the
 * standby's acknowledgement; ha_test_crash() is this box dying (nothing
 * said, nothing kept). */
void ha_test_attach(struct l2tpd *d, uint64_t (*sink)(void *arg, const struct ha_rec *r),
		    void *arg);
void ha_test_ack(struct l2tpd *d, uint64_t seq);
void ha_test_crash(struct l2tpd *d);

#endif
