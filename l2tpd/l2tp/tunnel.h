/*
 * The L2TP tunnel (control connection) state machine, both roles
 * (RFC 2661 §7.2): the originator sends SCCRQ, the responder answers SCCRP.
 *
 *   IDLE --send SCCRQ--> WAIT_CTL_REPLY --SCCRP ok / send SCCCN--> ESTABLISHED
 *   IDLE --recv SCCRQ ok / send SCCRP--> WAIT_CTL_CONN --SCCCN ok--> ESTABLISHED
 *   any --StopCCN sent or received--> CLOSING (hold for a full retransmit
 *                                      cycle, §5.7) --> destroyed
 */
#ifndef L2TP_TUNNEL_H
#define L2TP_TUNNEL_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/queue.h>
#include "core/clock.h"
#include "l2tp/ctrl.h"
#include "l2tp/msg.h"
#include "l2tp/auth.h"
#include "l2tp/guard.h"

struct l2tpd;
struct vpdn_group;
struct l2tp_session;
struct idmap;
struct l2tp_msgbuf;

enum l2tp_tunnel_state {
	L2TP_TUNNEL_IDLE = 0,
	L2TP_TUNNEL_WAIT_CTL_REPLY,	/* originator: SCCRQ sent */
	L2TP_TUNNEL_WAIT_CTL_CONN,	/* responder: SCCRP sent */
	L2TP_TUNNEL_ESTABLISHED,
	L2TP_TUNNEL_CLOSING,		/* StopCCN sent or received */
};

struct l2tp_tunnel_stats {
	uint64_t sessions_created, sessions_refused;
	uint64_t rx_data, rx_data_bytes;	/* data messages seen on the control socket */
	uint64_t rx_bad;			/* undecodable control messages */
	uint64_t rx_unexpected;			/* messages unexpected in the state */
};

struct l2tp_tunnel {
	struct l2tpd *d;
	struct vpdn_group *grp;
	uint16_t tid;			/* ours */
	uint16_t peer_tid;		/* theirs (Assigned Tunnel ID) */
	enum l2tp_tunnel_state state;
	int originator;			/* we sent SCCRQ (LAC side in this daemon) */
	int lns;			/* we are the LNS on this tunnel */

	struct sockaddr_in peer;	/* may change port once (the SCCRP's source, §8.1) */
	struct sockaddr_in local;
	int fd;				/* our own UDP socket for this tunnel */
	int peer_connected;		/* fd is connect()ed to peer */
	int own_port;			/* LNS: answered from a port of its own (§8.1), until
					 * the peer is seen to follow it */
	int port_alone;			/* LAC: the kernel chose local's port for this
					 * socket, no other socket of ours holds it */
	void *io;			/* event-loop watcher (l2tp_net) */

	struct l2tp_ctrl ctrl;

	/* What the peer told us (SCCRQ/SCCRP). */
	char peer_host[64];
	char peer_vendor[64];
	uint16_t peer_firmware;
	uint32_t peer_framing, peer_bearer;
	uint16_t peer_rws;
	uint64_t peer_tie_breaker;
	int peer_has_tie_breaker;
	uint64_t tie_breaker;		/* ours, when we originate */

	/* §4.2 tunnel authentication */
	uint8_t challenge[L2TP_CHALLENGE_LEN];	/* what we sent */
	int challenge_sent;
	uint8_t peer_challenge[64];		/* what the peer sent, to answer */
	size_t peer_challenge_len;

	/* sessions */
	struct idmap *sessions;		/* local session ID -> session */
	struct idmap *peer_sessions;	/* peer's session ID -> session (session_peer.c) */
	unsigned peer_unindexed;	/* sessions with a peer ID not in that index */
	LIST_HEAD(, l2tp_session) session_list;
	unsigned n_sessions;
	uint32_t next_call_serial;
	unsigned iccn_waiting;		/* calls whose ICCN waits for the window (iccn_wait.c) */
	uint16_t *iccn_left;		/* our session IDs of calls whose ICCN left */
	unsigned n_iccn_left, iccn_left_cap;

	struct l2tp_timer close_timer;		/* CLOSING hold / deferred free */
	uint64_t created_ms, established_ms;
	uint16_t stop_result, stop_error;	/* why it went down (ours or theirs) */
	char stop_msg[128];
	int stop_by_peer;
	int dead;				/* freed at the next loop turn */
	int dp_created;
	struct l2tp_tunnel_stats stats;
	/* Silent switchover (l2tp_tunnel_set_sso): the tunnel is kept on a
	 * standby and, after a takeover, resynchronises its control channel
	 * sending at most resync_window messages unacknowledged. */
	int sso;
	uint16_t resync_window;			/* packets */
	int resyncing;				/* after a takeover, until resynced */
	uint64_t resync_start_ms, resync_ms;	/* monotonic; duration when done */
	int resync_result;			/* 1 ok, -1 failed, 0 never resynced */
	/* After a takeover: some of its sessions are still to be rebuilt (the
	 * observers rebuild them when asked, l2tp_session_complete). */
	int sessions_pending;
	/* ... and data packets for them, held until they are rebuilt
	 * (l2tp_session_hold_data). */
	struct l2tp_held_data *held;
	unsigned n_held;
	/* HA's bookkeeping: only ha/ reads or writes these. */
	int ha_urgent;				/* in the rebuild's urgent list */
	unsigned ha_dirty;			/* HA_DIRTY_* bits: records owed */
	uint64_t ha_seq;			/* stream seq of its last record */
	uint16_t ha_last_ns, ha_last_nr, ha_last_una;	/* in its last SEQ record */
	int ha_seq_sent;			/* a SEQ record went to this standby */
	uint16_t ha_q_next, ha_q_end;	/* Ns recorded while waiting, not numbered yet */
	TAILQ_ENTRY(l2tp_tunnel) ha_dirty_link;
	/* LAC: the LNS chosen by RADIUS (aaa/tunnel.c, RFC 2868) */
	int aaa_chosen;
	char aaa_secret[128];			/* Tunnel-Password, instead of the group's */
	char aaa_assignment_id[64];		/* Tunnel-Assignment-Id: shared by calls */
	char aaa_client_name[64];		/* Tunnel-Client-Auth-Id: our Host Name */
	LIST_ENTRY(l2tp_tunnel) link;		/* d->tunnels */
	const struct sockaddr_in *rx_from;	/* source of the datagram being read */
	int rx_fd;				/* ... and the socket it came on */
	/* l2tp/guard.c: an LNS tunnel not yet authenticated is half-open
	 * (in d->guard's bounded table); one answered from the listening
	 * socket (via_listen) has no socket of its own until its SCCCN. */
	int half_open;
	int via_listen;
	TAILQ_ENTRY(l2tp_tunnel) half_open_link;
	int in_peer_hash;
	struct sockaddr_in peer_key;		/* the peer as hashed */
	LIST_ENTRY(l2tp_tunnel) peer_link;
	struct l2tp_rate icrq_rate;		/* ICRQs per second */
};

const char *l2tp_tunnel_state_string(enum l2tp_tunnel_state s);

/* LAC: open a tunnel for group g toward its initiate-to address (SCCRQ). */
struct l2tp_tunnel *l2tp_tunnel_open(struct l2tpd *d, struct vpdn_group *g, int *err);
/* The same toward peer, with this secret and this Host Name ("" or NULL:
 * the group's); g may be NULL (default parameters). */
struct l2tp_tunnel *l2tp_tunnel_open_to(struct l2tpd *d, struct vpdn_group *g,
					const struct sockaddr_in *peer, const char *secret,
					const char *host, int *err);
/* LNS: an SCCRQ (tunnel ID 0) arrived on a listening socket. */
void l2tp_tunnel_accept(struct l2tpd *d, int listen_fd, const struct sockaddr_in *from,
			const struct sockaddr_in *to, const uint8_t *buf, size_t len,
			const struct l2tp_hdr *h);
/* A control message for this tunnel (already matched by Tunnel ID). */
void l2tp_tunnel_input(struct l2tp_tunnel *t, int fd, const struct sockaddr_in *from,
		       const uint8_t *buf, size_t len, const struct l2tp_hdr *h);
/* Send StopCCN (§5.7) with this result and close.  Idempotent. */
void l2tp_tunnel_clear(struct l2tp_tunnel *t, uint16_t result, int error, const char *msg);
/* The tunnel goes now (shutdown, or after CLOSING): its sessions, kernel
 * objects and timers at once; its memory at the end of the loop turn
 * (callers up the stack may still hold it), by l2tp_tunnel_reap(). */
void l2tp_tunnel_destroy(struct l2tp_tunnel *t);
/* Free the tunnels destroyed since the last call (the daemon calls it at
 * the end of each loop turn; tests without a loop call it themselves).
 * Returns how many were freed. */
unsigned l2tp_tunnel_reap(struct l2tpd *d);
/* Build and queue a session-level or tunnel-level message on the channel. */
int l2tp_tunnel_send(struct l2tp_tunnel *t, struct l2tp_msgbuf *b);
/* Prepare a message builder with the tunnel's peer ID and secret. */
void l2tp_tunnel_msg_init(struct l2tp_tunnel *t, struct l2tp_msgbuf *b, uint16_t type,
			  uint16_t peer_sid);
struct l2tp_tunnel *l2tp_tunnel_find(struct l2tpd *d, uint16_t tid);
/* Silent switchover on or off for t; 1 if that changed it (the observers
 * are told), 0 if it was so already. */
int l2tp_tunnel_set_sso(struct l2tp_tunnel *t, int on);
/* The resync window (1..65535 packets); 1 if that changed it (told). */
int l2tp_tunnel_set_resync_window(struct l2tp_tunnel *t, uint16_t window);

/* What a tunnel is rebuilt from at a takeover (ha/ fills it from the
 * checkpoint). */
struct l2tp_tunnel_params {
	uint16_t tid, peer_tid;
	struct sockaddr_in local, peer;
	char peer_host[64], peer_vendor[64];
	int lns, originator;
	uint16_t rws;				/* ours, as the peer was told */
	uint16_t peer_rws;
	uint16_t resync_window;			/* 0: the default */
	uint32_t next_call_serial;
	/* The hitless restart: the running daemon's socket for the tunnel,
	 * taken as it is (bound, connected, its queue unread); 0 opens one. */
	int adopt_fd_set;
	int adopt_fd;
};
/*
 * HA takeover: an established SSO tunnel with these parameters, the same
 * IDs, its socket bound to the same local address and port (IP_FREEBIND:
 * the virtual address may not be here yet) and connected to the peer, and
 * its kernel tunnel.  Nothing is sent.  The caller restores the channel
 * (l2tp_ctrl_restore) and the sessions, then l2tp_tunnel_resync_start().
 */
struct l2tp_tunnel *l2tp_tunnel_restore(struct l2tpd *d, struct vpdn_group *g,
					const struct l2tp_tunnel_params *p, int *err);
/* Resynchronise the control channel within the resync window; the
 * observers hear tunnel_resynced when it ends. */
void l2tp_tunnel_resync_start(struct l2tp_tunnel *t);
/* The hitless restart: the channel, restored exactly (l2tp_ctrl_restore),
 * goes on as the process before left it: no resync; messages not yet
 * acknowledged wait for their retransmission timer, sso as it was. */
void l2tp_tunnel_continue(struct l2tp_tunnel *t, int sso);
/* A full retransmission cycle of the tunnel's channel (RFC 2661 §5.8:
 * rto_min doubling up to rto_max, `retries` times): how long a peer with
 * the same timers goes on resending what it has not seen acknowledged. */
uint64_t l2tp_tunnel_rtx_budget_ms(const struct l2tp_tunnel *t);

#define tunnel_log(t, prio, fmt, ...) \
	log_msg(&(t)->d->log, prio, "tunnel %u/%u: " fmt, (t)->tid, (t)->peer_tid, ##__VA_ARGS__)
#define tunnel_debug(t, cat, fmt, ...) \
	log_debug(&(t)->d->log, cat, "tunnel %u/%u: " fmt, (t)->tid, (t)->peer_tid, ##__VA_ARGS__)

#endif
