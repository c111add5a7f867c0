/*
 * The standby's shadow store: the checkpointed state of every tunnel and
 * session, as records, with each tunnel's copy of the retransmit queue.
 * It opens no socket and touches no kernel object; on takeover the daemon
 * walks it to rebuild (l2tpd/ha/).
 */
#ifndef HA_SHADOW_H
#define HA_SHADOW_H

#include <stddef.h>
#include <stdint.h>
#include "haproto/ha_rec.h"

struct ha_shadow_msg {
	uint16_t ns;
	size_t len;
	uint8_t *buf;
};

struct ha_shadow_session {
	struct ha_session_rec rec;
};

struct ha_shadow_tunnel {
	struct ha_tunnel_rec rec;
	int have_tunnel;		/* a HA_REC_TUNNEL arrived (SEQ/MSG may come first) */
	struct ha_seq_rec seq;
	int have_seq;
	struct ha_shadow_msg *msgs;	/* unacknowledged, in Ns order */
	size_t n_msgs, cap_msgs;
	struct ha_shadow_session **sessions;	/* unused, always NULL: sessions live in
						 * pages (below); use ha_shadow_session() */
	size_t n_sessions;			/* live sessions */
	/* By sid: 256 pages of 256 slots, each allocated on first use, so a
	 * tunnel with one session (IDs are random) costs 4 KiB, not 512. */
	struct ha_shadow_session ***pages;
	uint16_t page_used[256];		/* live slots per page */
};

struct ha_shadow_stats {
	uint64_t applied;		/* records applied */
	uint64_t ignored;		/* records for unknown tunnels/sessions, bad */
	uint64_t tunnels, sessions;	/* live */
	uint64_t msgs;			/* live copies of unacknowledged messages */
	uint64_t pppoe;			/* live PPPoE sessions (HA_REC_PPPOE) */
	uint64_t pool_bytes;		/* mapped for the session records and their
					 * pages of slots (outside malloc's heap) */
};

struct ha_shadow;

struct ha_shadow *ha_shadow_new(void);
void ha_shadow_free(struct ha_shadow *s);
/* Drop everything (a bulk sync begins). */
void ha_shadow_clear(struct ha_shadow *s);
/* 0, or -EINVAL (malformed) / -ENOMEM; the record is copied. */
int ha_shadow_apply(struct ha_shadow *s, const struct ha_rec *r);

/* Lookups and iteration in ascending tunnel ID, then session ID order. */
const struct ha_shadow_tunnel *ha_shadow_tunnel(const struct ha_shadow *s, uint16_t tid);
const struct ha_shadow_tunnel *ha_shadow_next_tunnel(const struct ha_shadow *s, uint16_t after_tid);
const struct ha_shadow_session *ha_shadow_session(const struct ha_shadow_tunnel *t, uint16_t sid);
const struct ha_shadow_session *ha_shadow_next_session(const struct ha_shadow_tunnel *t,
							 uint16_t after_sid);
/* PPPoE sessions by their ID, in ascending ID order. */
const struct ha_pppoe_rec *ha_shadow_pppoe(const struct ha_shadow *s, uint16_t id);
const struct ha_pppoe_rec *ha_shadow_next_pppoe(const struct ha_shadow *s, uint16_t after_id);
void ha_shadow_get_stats(const struct ha_shadow *s, struct ha_shadow_stats *st);

#endif
