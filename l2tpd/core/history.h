/*
 * The failure history: the last calls and tunnels that failed, with the
 * cause, for `show vpdn history failure` (as IOS keeps its "VPDN user
 * failure table").  A bounded ring (struct l2tpd's d->history); its size
 * is `vpdn history failure table-size N` (default CONFIG_DEF_HISTORY), read
 * from where the configuration keeps it and taken up at the next record
 * after a change.  When the ring is full the oldest record goes.  A failure
 * that repeats the newest record (same user, peer and cause) bumps that
 * record's repeat count instead of taking a slot, so a subscriber retrying
 * in a loop cannot push everything else out.
 */
#ifndef L2TPD_HISTORY_H
#define L2TPD_HISTORY_H

#include <stdint.h>
#include <time.h>

#include "core/clock.h"

/* Cisco disconnect cause for a call refused while its tunnel resyncs. */
#define HISTORY_CAUSE_HA_RESYNC		611

#define HISTORY_USER_MAX	64
#define HISTORY_TEXT_MAX	96

/* One failure. */
struct history_rec {
	time_t wall;			/* for the operator: when, on the wall clock */
	uint64_t mono_ms;		/* the clock's monotonic time: how long ago */
	char user[HISTORY_USER_MAX];
	uint16_t tid, peer_tid, sid, peer_sid;
	uint32_t peer_addr;		/* network order */
	unsigned cause;
	unsigned repeat;		/* 1 + the repeats folded into it */
	char text[HISTORY_TEXT_MAX];
};

struct vpdn_history;

/*
 * Create *hp (times from clk; its size is *size, 0 meaning the default),
 * or, when it exists, take up the size *size says now.  0, or -ENOMEM
 * (an existing ring keeps its size).
 */
int history_init(struct vpdn_history **hp, const struct l2tp_clock *clk, const unsigned *size);
/* Free *hp and set it to NULL (nothing when it is NULL). */
void history_free(struct vpdn_history **hp);

/*
 * Record one failure.  user may be NULL or "" (a call refused before PPP
 * authenticated anyone); IDs are 0 when unknown; peer_addr_n is the peer's
 * IPv4 address in network order; text says why in words ("Tunnel in HA
 * resync").  Never fails: without memory the record is dropped (and
 * counted).  h NULL: nothing.
 */
void history_failure_add(struct vpdn_history *h, const char *user, uint16_t tid,
			 uint16_t peer_tid, uint16_t sid, uint16_t peer_sid, uint32_t peer_addr_n,
			 unsigned cause, const char *text);

/* Records held now (0 for NULL). */
unsigned history_failure_count(const struct vpdn_history *h);
void history_failure_clear(struct vpdn_history *h);

/* For the show: the i-th newest record (0 = newest; i < the count), the
 * slots of the ring, and the failures recorded since start (repeats
 * included) and dropped for want of memory. */
const struct history_rec *history_failure_nth(const struct vpdn_history *h, unsigned i);
unsigned history_table_size(const struct vpdn_history *h);
uint64_t history_recorded(const struct vpdn_history *h);
uint64_t history_dropped(const struct vpdn_history *h);

#endif
