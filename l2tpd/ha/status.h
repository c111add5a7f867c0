/*
 * What the HA engine tells the operator (`show l2tp|vpdn redundancy`,
 * cli/cmd_redundancy_show.c): a snapshot of the role, the link, the
 * counters and the standby's store, and per tunnel and session their
 * checkpoint state.  Read only: the show code sees neither struct
 * l2tpd_ha nor the HA fields of tunnels and sessions.
 */
#ifndef L2TPD_HA_STATUS_H
#define L2TPD_HA_STATUS_H

#include <stdint.h>

#include "ha/ha.h"
#include "haproto/ha_link.h"
#include "haproto/ha_shadow.h"

struct l2tpd;
struct l2tp_tunnel;
struct l2tp_session;

struct ha_status {
	enum ha_role role;
	uint64_t role_ms;		/* in this role for, ms */
	int link;			/* a checkpoint link exists */
	int standby_in_sync;		/* active: a standby acknowledged its bulk */
	int synced;			/* standby: in sync with an active */
	uint64_t rx_records;		/* standby: records applied */
	unsigned tunnels_resyncing;	/* after a takeover, still resynchronising */
	int sessions_rebuilding;	/* after a takeover, sessions still to be rebuilt */
	uint64_t last_seq;		/* active: last record emitted */
	uint64_t acked_seq;		/* active: the standby's cumulative acknowledgement */
	unsigned egress_queued;		/* packets held for the standby now */
	struct ha_stats stats;
	struct ha_link_stats link_stats;	/* zeros without a link */
	struct ha_shadow_stats shadow_stats;	/* zeros without a store */
	/* the configuration kept in step (ha/config.c) */
	uint64_t cfg_digest;		/* active: last sent; standby: the active's */
	uint64_t cfg_local_digest;	/* standby: its own after applying */
	int cfg_received;		/* standby: the active's has come */
	int cfg_mismatch;		/* standby: they differ */
	char cfg_why[256];
};

void ha_status_get(const struct l2tpd *d, struct ha_status *st);
enum ha_role ha_status_role(const struct l2tpd *d);
/* The standby's store of checkpointed tunnels and sessions; NULL if none. */
const struct ha_shadow *ha_status_shadow(const struct l2tpd *d);

struct ha_tunnel_status {
	int enabled;			/* checkpointed (HA on for it) */
	int established;		/* its checkpoint is acknowledged */
	int resyncing;			/* after a takeover, until resynced */
	int resync_result;		/* 1 ok, -1 failed, 0 never resynchronised */
	uint64_t resync_ms;		/* running for, or took */
	unsigned resync_window;		/* packets */
};

void ha_status_tunnel(const struct l2tpd *d, const struct l2tp_tunnel *t,
		      struct ha_tunnel_status *ts);
/* The session's checkpoint is acknowledged (HA-established). */
int ha_status_session_established(const struct l2tp_session *s);
/* A PPPoE session relayed into a call whose checkpoint is acknowledged
 * (ha/pppoe.c: its own record left in the same loop turn). */
struct pppoe_session;
int ha_status_pppoe_checkpointed(const struct l2tpd *d, const struct pppoe_session *s);
/* The session was rebuilt from its checkpoint at the last takeover. */
int ha_status_session_rebuilt(const struct l2tp_session *s);

#endif
