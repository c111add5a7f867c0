/*
 * Holding up under attack (DESIGN.md): what an unauthenticated peer may
 * cost, and who may not try again for a while.
 *
 *  - The access list (`l2tp access-list permit`): an SCCRQ from any other
 *    source is dropped before any state is made.
 *  - Per-source and total SCCRQ rates (token buckets on the daemon's
 *    clock).  Once the total is spent in an interval, only sources that
 *    sent fewer than L2TP_GUARD_LIGHT SCCRQs in it get through, so a few
 *    flooding hosts cannot starve a LAC that asks once.
 *  - Intrusion protection: a source whose tunnel authentication fails K
 *    times within T seconds is blocked for B seconds (trusted prefixes
 *    never are).
 *  - The half-open table: LNS tunnels not yet authenticated, answered from
 *    the listening socket (no descriptor, no kernel tunnel), at most
 *    `l2tp tunnel half-open-limit`; when it is full the oldest goes,
 *    silently, never an established tunnel.
 *  - New calls: `vpdn session-limit`, a vpdn-group's `session-limit`, and
 *    ICRQs per tunnel per second, refused with CDN result 4 (RFC 2661
 *    §4.4.2, temporary lack of facilities) and a failure record.
 *  - The descriptor budget: tunnel sockets never take the last
 *    L2TP_GUARD_FD_RESERVE descriptors (control socket, RADIUS, DAS,
 *    checkpoint link).
 * The source table (rates, failures, blocks) has a fixed size: a flood
 * from spoofed addresses recycles its least recently seen entries, never
 * a blocked one while another can go.  None of this is checkpointed: each
 * box keeps its own.  Drops are counted and logged at most once per
 * L2TP_GUARD_LOG_MS per source (or per cause), with a count.
 */
#ifndef L2TP_GUARD_H
#define L2TP_GUARD_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/queue.h>

struct l2tpd;
struct l2tp_tunnel;
struct l2tp_msg;
struct config_guard;

#define L2TP_GUARD_SRC_SETS	1024	/* source table: sets ... */
#define L2TP_GUARD_SRC_WAYS	8	/* ... of this many entries */
#define L2TP_GUARD_PEER_BUCKETS	4096	/* LNS tunnels by peer address and port */
#define L2TP_GUARD_LIGHT	4	/* SCCRQs per interval that pass a spent total */
#define L2TP_GUARD_LOG_MS	10000	/* one log line per source (or cause) per this */
#define L2TP_GUARD_FD_RESERVE	64	/* descriptors tunnels leave to the rest */

/* A token bucket: `rate` tokens per `period_ms`, holding at most `rate`. */
struct l2tp_rate {
	uint64_t last_ms;
	uint64_t milli;		/* tokens x 1000 */
	int primed;
};

/* Take a token at time now: 1 if there was one, 0 if not. */
int l2tp_rate_take(struct l2tp_rate *r, uint64_t now, unsigned rate, unsigned period_ms);

/* Why an SCCRQ was dropped. */
enum l2tp_guard_verdict {
	L2TP_GUARD_PASS = 0,
	L2TP_GUARD_DROP_ACL,
	L2TP_GUARD_DROP_BLOCKED,
	L2TP_GUARD_DROP_RATE_SOURCE,
	L2TP_GUARD_DROP_RATE_TOTAL,
};

/* One source address. */
struct l2tp_guard_src {
	uint32_t addr;			/* network order; 0: a free slot */
	uint64_t seen_ms;
	struct l2tp_rate sccrq;
	uint64_t win;			/* the total's interval it last passed in ... */
	unsigned win_passed;		/* ... and how many times */
	unsigned fails;			/* tunnel authentication failures ... */
	uint64_t fail_start_ms;		/* ... since this time */
	uint64_t blocked_until_ms;	/* 0: not blocked */
	uint64_t blocked_wall_ms;	/* when it was blocked, for people */
	uint64_t blocks;		/* times blocked */
	uint64_t dropped;		/* SCCRQs dropped from it */
	uint64_t unlogged;		/* ... not yet in a log line */
	uint64_t logged_ms;
	int logged;
};

struct l2tp_guard_stats {
	uint64_t sccrq_passed;
	uint64_t drop_acl, drop_blocked, drop_rate_source, drop_rate_total;
	uint64_t drop_deferred;		/* a second SCCRQ from a peer port with one half-open */
	uint64_t half_open_evicted;
	uint64_t half_open_peak;
	uint64_t auth_failures;		/* tunnel authentication failures of LNS tunnels */
	uint64_t sources_blocked;	/* times a source was blocked */
	uint64_t sources_recycled;	/* source entries reused for another address */
	uint64_t calls_limit_refused;	/* vpdn or vpdn-group session-limit */
	uint64_t calls_rate_refused;	/* ICRQs over the per-tunnel rate */
	uint64_t fd_budget_refused;	/* tunnel sockets refused: into the reserve */
};

/* A rate-limited log line for one cause without a source entry. */
struct l2tp_guard_logrl {
	uint64_t unlogged, logged_ms;
	int logged;
};

struct l2tp_guard {
	struct l2tp_guard_src *src;	/* SETS x WAYS */
	uint64_t total_win;		/* the total's current interval (number) */
	unsigned total_passed;		/* SCCRQs passed in it */
	TAILQ_HEAD(, l2tp_tunnel) half_open;	/* oldest first */
	unsigned n_half_open;
	LIST_HEAD(l2tp_guard_bucket, l2tp_tunnel) *peers;
	int fd_limit;			/* tunnel sockets take fds below this; 0: any */
	struct l2tp_guard_logrl log_acl, log_evict, log_fd, log_call;
	struct l2tp_guard_stats stats;
};

int l2tp_guard_init(struct l2tp_guard *g);
void l2tp_guard_fini(struct l2tp_guard *g);

/* An SCCRQ (a control message with Tunnel ID 0) from `from`: may it go
 * on?  Dropped ones are counted and logged (rate-limited). */
enum l2tp_guard_verdict l2tp_guard_sccrq(struct l2tpd *d, const struct sockaddr_in *from);
/* The tunnel authentication of an LNS tunnel from addr failed. */
void l2tp_guard_auth_failed(struct l2tpd *d, struct in_addr addr);
/* Is addr blocked now? */
int l2tp_guard_blocked(struct l2tpd *d, struct in_addr addr);
/* Unblock addr (INADDR_ANY: every source); how many were. */
unsigned l2tp_guard_unblock(struct l2tpd *d, struct in_addr addr);
/* The blocked sources, for the show: fn(arg, entry, ms left). */
void l2tp_guard_foreach_blocked(struct l2tpd *d,
				void (*fn)(void *arg, const struct l2tp_guard_src *s,
					   uint64_t left_ms),
				void *arg);

/* The half-open table.  make_room evicts the oldest entries until one
 * more fits; add appends t; del (idempotent) takes it out when it is
 * established or destroyed. */
void l2tp_guard_half_open_make_room(struct l2tpd *d);
void l2tp_guard_half_open_add(struct l2tpd *d, struct l2tp_tunnel *t);
void l2tp_guard_half_open_del(struct l2tpd *d, struct l2tp_tunnel *t);

/* LNS tunnels by peer address and port (accept's look-ups). */
void l2tp_guard_peer_add(struct l2tpd *d, struct l2tp_tunnel *t);
void l2tp_guard_peer_del(struct l2tpd *d, struct l2tp_tunnel *t);
/* The live LNS tunnel from `from` with that Assigned Tunnel ID, or NULL. */
struct l2tp_tunnel *l2tp_guard_peer_find(struct l2tpd *d, const struct sockaddr_in *from,
					 uint16_t peer_tid);
/* From `from` to local: *established, an established tunnel on that
 * 4-tuple; *pending, a half-open answered from the listening socket. */
void l2tp_guard_peer_state(struct l2tpd *d, const struct sockaddr_in *from,
			   const struct sockaddr_in *local, int *established, int *pending);

/* A new call (ICRQ/OCRQ) on t: 0 to go on, or 1 when it was refused here
 * (CDN result 4, counted, recorded in the failure history). */
int l2tp_guard_call(struct l2tp_tunnel *t, const struct l2tp_msg *m);

/* fd is a new tunnel socket: 0 if it fits the budget, -EMFILE (counted,
 * logged; the caller closes it) if it eats into the reserve. */
int l2tp_guard_fd(struct l2tpd *d, int fd);

#endif
