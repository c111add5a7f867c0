/*
 * The failure history: the last calls and tunnels that failed, with the
 * cause, for `show vpdn history failure` (as IOS keeps its "VPDN user
 * failure table").  A bounded ring in struct l2tpd (d->history); its size is
 * `vpdn history failure table-size N` (default CONFIG_DEF_HISTORY), taken up
 * at the next record after a change.  When the ring is full the oldest
 * record goes.  A failure that repeats the newest record (same user, peer
 * and cause) bumps that record's repeat count instead of taking a slot, so a
 * subscriber retrying in a loop cannot push everything else out.
 */
#ifndef L2TPD_HISTORY_H
#define L2TPD_HISTORY_H

#include <stdint.h>

struct l2tpd;
struct out;

/* Cisco disconnect cause for a call refused while its tunnel resyncs. */
#define HISTORY_CAUSE_HA_RESYNC		611

/* 0, or -ENOMEM.  l2tpd.c calls it once the configuration is loaded. */
int history_init(struct l2tpd *d);
void history_free(struct l2tpd *d);

/*
 * Record one failure.  user may be NULL or "" (a call refused before PPP
 * authenticated anyone); IDs are 0 when unknown; peer_addr_n is the peer's
 * IPv4 address in network order; text says why in words ("Tunnel in HA
 * resync").  Never fails: without memory the record is dropped (and
 * counted).
 */
void history_failure_add(struct l2tpd *d, const char *user, uint16_t tid, uint16_t peer_tid,
			 uint16_t sid, uint16_t peer_sid, uint32_t peer_addr_n, unsigned cause,
			 const char *text);

/* Records held now. */
unsigned history_failure_count(const struct l2tpd *d);
void history_failure_clear(struct l2tpd *d);
/* `show vpdn history failure`, newest first. */
void history_failure_show(struct l2tpd *d, struct out *o);

#endif
