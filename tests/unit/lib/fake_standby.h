/*
 * A standby played by the test, for the daemon of harness.h as the active
 * of an HA pair.
 *
 * The standby is a function (ha_test_attach): every record the daemon
 * emits is encoded and decoded by the checkpoint codec (haproto/ckpt.c)
 * and applied to a shadow store (haproto/ha_shadow.c), as the real standby
 * does, and acknowledged at once or when the test says.  A failover is the
 * active dying without a word (ha_test_crash) and the same daemon
 * rebuilding itself from that shadow store (ha_takeover), while its peers
 * go on as if nothing happened.
 *
 *	struct fake_standby *b = fake_standby_new(h, 1);
 *	... tunnels and calls: b->shadow follows them ...
 *	fake_standby_fail_over(b);
 *	... the daemon resynchronises with its peers ...
 *
 * The standby belongs to the harness: h_free() frees it (and its shadow
 * store, unless it was handed to the daemon) once the daemon is gone.
 */
#ifndef TEST_FAKE_STANDBY_H
#define TEST_FAKE_STANDBY_H

#include <stdint.h>
#include "harness.h"
#include "haproto/ha_rec.h"

#define FAKE_STANDBY_REC_TYPES	(HA_REC_PPPOE_LOCAL + 1)

struct fake_standby {
	struct harness *h;		/* whose daemon is the active */
	struct ha_shadow *shadow;	/* what the standby knows; NULL once handed over */
	uint64_t seq;			/* records received: the last one's number */
	uint64_t bytes;			/* their encoded size */
	int auto_ack;			/* acknowledge each record as it comes */
	unsigned by_type[FAKE_STANDBY_REC_TYPES];	/* records received, by type */
	uint64_t lose_after;		/* nonzero: records past this number are lost
					 * in flight (the active dies while sending) */
};

/* A standby in sync with h's daemon, which becomes the active of the
 * pair; auto_ack: it acknowledges each record as it comes (else
 * fake_standby_ack(), or ha_test_ack() for part of them). */
struct fake_standby *fake_standby_new(struct harness *h, int auto_ack);
/* The standby acknowledges every record it has. */
void fake_standby_ack(struct fake_standby *b);
/* The standby goes: the daemon's records go nowhere from now on (its
 * shadow store stays, for a takeover). */
void fake_standby_detach(struct fake_standby *b);

/* The active dies: nothing said, nothing left of it (no tunnel, nothing
 * in the data path), and what it had sent is lost in flight (the
 * harness's captured messages are dropped). */
void fake_standby_crash(struct fake_standby *b);
/* The same daemon, as the standby, takes over: everything in b's shadow
 * store rebuilt, resynchronisation started (ha_takeover). */
void fake_standby_take_over(struct fake_standby *b);
/* fake_standby_crash(), then fake_standby_take_over(). */
void fake_standby_fail_over(struct fake_standby *b);
/* After fake_standby_crash(): the daemon becomes the box that was the
 * standby, b's shadow store its own (d->ha.shadow, which ha_fini() frees;
 * b keeps none, so nothing is freed twice), for a standby's show commands
 * and a later ha_takeover().  b receives nothing more. */
void fake_standby_hand_over(struct fake_standby *b);

#endif
