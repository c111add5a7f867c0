/*
 * HA's insides, shared by its files and by nothing else (ha.h is the
 * interface):
 *   ha/ha.c        the role (keepalived's states, switchover), what HA hears
 *                  of tunnels and sessions (the observer), the link's
 *                  callbacks, the end of each loop turn (ha_flush), life,
 *                  crash points, the tests' seams;
 *   ha/emit.c      the checkpoint records of tunnels, their sequence
 *                  numbers and messages, and sessions: owed ones at the end
 *                  of a loop turn, everything for a bulk sync;
 *   ha/commit.c    output commit: the gate on d->xmit and the packets it
 *                  holds until the standby acknowledges;
 *   ha/takeover.c  STANDBY -> ACTIVE: every tunnel and session rebuilt from
 *                  the shadow store, then resynchronised;
 *   ha/pppoe.c     the access side's PPPoE sessions: their records, their
 *                  rebuild.
 */
#ifndef L2TPD_HA_INT_H
#define L2TPD_HA_INT_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

struct l2tpd;
struct l2tp_tunnel;
struct l2tp_session;

/* ha/ha.c */
/* Records are worth making: this box is the active of a pair. */
int ha_streaming(const struct l2tpd *d);
/* An SSO tunnel, established and alive: its records may be made. */
int ha_tunnel_recordable(const struct l2tp_tunnel *t);
/* Records of t are owed (HA_DIRTY_* bits), made at the end of the turn. */
void ha_mark(struct l2tp_tunnel *t, unsigned bits);
/* A time of the daemon's clock as wall-clock milliseconds, and back: the
 * two boxes share the wall clock, not their monotonic ones. */
uint64_t ha_to_wall(const struct l2tpd *d, uint64_t t);
/* The same with both clocks already read (several times of one record). */
uint64_t ha_to_wall_at(uint64_t now, uint64_t wall, uint64_t t);
uint64_t ha_from_wall(struct l2tpd *d, uint64_t w);
/* `test redundancy crash-point`: armed at this point; die there. */
int ha_crash_armed(const struct l2tpd *d, const char *point);
int ha_crash_at(const struct l2tpd *d, const char *point, const uint8_t *buf, size_t len);
void ha_crash(struct l2tpd *d, const char *point);

/* ha/emit.c */
/* The records of a tunnel and of a session, as the checkpoint carries them
 * (the hitless restart, ha/restart.c, makes the same). */
struct ha_tunnel_rec;
struct ha_session_rec;
void ha_fill_tunnel(const struct l2tpd *d, const struct l2tp_tunnel *t, struct ha_tunnel_rec *r);
void ha_fill_session(const struct l2tpd *d, const struct l2tp_session *s,
		     struct ha_session_rec *r);
void ha_fill_session_v6(struct l2tpd *d, const struct l2tp_session *s, struct ha_session_rec *r);
void ha_emit_tunnel(struct l2tpd *d, struct l2tp_tunnel *t);
/* The channel's Ns/Nr/una, when they moved (or always: force). */
void ha_emit_seq(struct l2tpd *d, struct l2tp_tunnel *t, int force);
/* A message the channel numbered (ha_emit_msg) or queued for the window
 * with the Ns it will take (ha_emit_msg_queued): recorded unless the
 * standby has it or the end of the turn records it. */
void ha_emit_msg(struct l2tpd *d, struct l2tp_tunnel *t, uint16_t ns, const uint8_t *buf,
		 size_t len);
void ha_emit_msg_queued(struct l2tpd *d, struct l2tp_tunnel *t, uint16_t ns,
			const uint8_t *buf, size_t len);
void ha_emit_session(struct l2tpd *d, struct l2tp_session *s);
/* sid 0: the tunnel and all its sessions. */
void ha_emit_delete(struct l2tpd *d, uint16_t tid, uint16_t sid);
/* The records owed by the objects marked during the loop turn. */
void ha_emit_dirty(struct l2tpd *d);
/* Everything, for a standby's bulk sync. */
void ha_emit_bulk(struct l2tpd *d);
/* Send one record now (ha/emit.c). */
void ha_emit_record(struct l2tpd *d, const struct ha_rec *r);
/* Standby: the active's Config record (ha/config.c). */
struct ha_config_rec;
void ha_config_received(struct l2tpd *d, const struct ha_config_rec *c);
/* Standby: a part of one (HA_REC_CONFIG_PART): the whole is applied once
 * every part came in order and its digest is the active's. */
void ha_config_part_received(struct l2tpd *d, const struct ha_config_rec *c);
/* Drop a configuration half received (ha_fini). */
void ha_config_parts_drop(struct l2tpd *d);

/* ha/commit.c */
/* The gate goes on d->xmit (a member of a pair), or comes off (fini). */
void ha_commit_install(struct l2tpd *d);
void ha_commit_uninstall(struct l2tpd *d);
/* Past the gate: how packets left before HA wrapped d->xmit. */
int ha_commit_xmit_raw(struct l2tpd *d, struct l2tp_tunnel *t, const uint8_t *buf,
		       size_t len);
/* Packets held this turn wait for the records emitted up to now. */
void ha_commit_tag(struct l2tpd *d);
/* Send what the standby has acknowledged (all: everything, it is gone);
 * the number sent. */
unsigned ha_commit_release(struct l2tpd *d, int all);
/* The standby acknowledged up to seq. */
void ha_commit_acked(struct l2tpd *d, uint64_t seq);
/* Drop every held packet unsent (a demoted box says nothing). */
void ha_commit_drop(struct l2tpd *d);
/* Inside a loop turn, n more datagrams handled: commit as at the turn's
 * end every HA_TURN_MSGS datagrams, or once a packet held this turn has
 * waited HA_TURN_US, and read the standby's acknowledgements. */
#define HA_TURN_MSGS	32
#define HA_TURN_US	500
void ha_commit_point(struct l2tpd *d, unsigned n);

/* ha/takeover.c */
struct ha_shadow_tunnel;
/* Rebuild one checkpointed tunnel and its sessions (adopt_fd >= 0: on that
 * socket, the hitless restart's); sessions not rebuilt are collected in
 * *half to be cleared.  NULL: not rebuilt (logged). */
struct l2tp_tunnel *ha_restore_tunnel(struct l2tpd *d, const struct ha_shadow_tunnel *st,
				      int adopt_fd, struct l2tp_session ***half, size_t *n_half,
				      size_t *cap_half);
struct l2tp_timer;
/* A tunnel finished its resync, ok or not (the observer). */
void ha_takeover_resynced(void *arg, struct l2tp_tunnel *t, int ok);
/* Half-made calls rebuilt at the takeover (s->ha_half): the observer's
 * session changes and deletions, and the timer of the peer's budget. */
void ha_takeover_session_changed(struct l2tp_session *s);
void ha_takeover_session_deleted(struct l2tp_session *s);
void ha_takeover_connect_expired(struct l2tp_timer *tm, void *arg);
/* A half-made call on a tunnel that resynchronised: the peer's budget
 * starts now. */
void ha_takeover_wait_call(struct l2tp_session *s);
/* The observer: a peer's message or packet for t, whose sessions are not
 * all rebuilt yet: the rest of them now. */
void ha_takeover_sessions_missing(void *arg, struct l2tp_tunnel *t);
int ha_takeover_sessions_wanted(void *arg, struct l2tp_tunnel *t);
/* The sessions' rebuild stops (the box goes silent, or HA ends). */
void ha_takeover_stop(struct l2tpd *d);

/* ha/pppoe.c: the access side's sessions.  init: the observer that
 * checkpoints them (pppoe/access.h); bulk: every one, for a bulk sync
 * (how many); takeover: every one in the shadow store rebuilt on its call
 * (after the calls), counted in the stats. */
void ha_pppoe_init(struct l2tpd *d);
unsigned ha_pppoe_bulk(struct l2tpd *d);
void ha_pppoe_takeover(struct l2tpd *d);
/* Every session in sh rebuilt, on its call or (terminated here) with its
 * PPP: *n rebuilt, *errors not, logged under what (the takeover's and the
 * hitless restart's).  restart_record: r filled (HA_REC_PPPOE or
 * HA_REC_PPPOE_LOCAL) for a session relayed into an established call (SSO
 * or not) or terminated here and up, 1; else 0. */
void ha_pppoe_rebuild(struct l2tpd *d, const struct ha_shadow *sh, const char *what,
		      uint64_t *n, uint64_t *errors);
struct ha_rec;
struct pppoe_session;
int ha_pppoe_restart_record(const struct l2tpd *d, const struct pppoe_session *s,
			    struct ha_rec *r);

/* ha/vip.c: the virtual address appearing starts the takeover (a
 * standby only); ha_vip_event is the rtnetlink callback, for the tests. */
void ha_vip_start(struct l2tpd *d);
void ha_vip_stop(struct l2tpd *d);
void ha_vip_event(void *arg, int added, int ifindex, struct in_addr a);
/* The switchover's VRRP fault (`vrrp fault-file`): set, 1 when written,
 * 0 without a fault file, or a negative errno; cleared (progress) once
 * the address has left this box, keepalived has said fault and the new
 * active reaches it, or
 * HA_FAULT_HOLD_MS after; init clears a stale one. */
#define HA_FAULT_HOLD_MS	10000
int ha_vrrp_fault_set(struct l2tpd *d);
void ha_vrrp_fault_clear(struct l2tpd *d);
void ha_vrrp_fault_progress(struct l2tpd *d);
void ha_vrrp_fault_init(struct l2tpd *d);

#endif
