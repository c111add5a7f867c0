/*
 * The access concentrator: PPPoE discovery (RFC 2516 §5) and the session
 * table of the access interfaces, with the limits and rates that keep a
 * flood from costing more than a bounded amount (DESIGN.md, "Holding up
 * under attack").
 *
 * It knows neither sockets nor PPP: frames leave through ops->send, and a
 * session's life is told through ops->session_up / _rx / _down, so the unit
 * tests drive it with a fake and the daemon puts a PF_PACKET socket and
 * the LAC behind it.
 */
#ifndef PPPOE_AC_H
#define PPPOE_AC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include "core/clock.h"
#include "core/log.h"
#include "pppoe/cookie.h"
#include "pppoe/disc.h"

#define PPPOE_AC_NAME_MAX	64
#define PPPOE_IFNAME_MAX	16
#define PPPOE_MAC_SLOTS		4096	/* PADI rate per MAC: a fixed table */
#define PPPOE_MAC_BUCKETS	1024	/* sessions by MAC */
#define PPPOE_LINE_ID_MAX	64	/* Agent-Circuit-Id, Agent-Remote-Id kept */
#define PPPOE_RELAY_SID_MAX	12	/* Relay-Session-Id kept (relays use 4-12) */
#define PPPOE_COOKIE_LIFETIME	60	/* s a PADO's cookie is good for */
#define PPPOE_PADO_QUEUE	256	/* PADOs held for `pado delay` */
#define PPPOE_UNKNOWN_PADT_RATE	100	/* PADTs per second for unknown sessions */

/* Why a session ended (`show pppoe statistics`, the log). */
enum pppoe_end {
	PPPOE_END_PADT = 0,	/* the subscriber sent a PADT */
	PPPOE_END_CLEAR,	/* `clear pppoe ...` */
	PPPOE_END_LOCAL,	/* the upper layer closed it (PPP down, call cleared) */
	PPPOE_END_SHUTDOWN,	/* the interface or the daemon went away */
	PPPOE_END_MAX
};
const char *pppoe_end_name(enum pppoe_end e);

/* Daemon-wide counters, only ever growing. */
struct pppoe_stats {
	uint64_t rx_frames;		/* read from the access interfaces */
	uint64_t rx_err[PPPOE_ERR_MAX];	/* refused by the codec, by reason */
	uint64_t rx_no_if;		/* for a VLAN no access interface serves */
	uint64_t rx_padi, rx_padr, rx_padt;
	uint64_t rx_unexpected;		/* PADO or PADS sent to the AC */
	uint64_t padi_rate_mac, padi_rate_total;	/* PADIs over the rates: dropped */
	uint64_t padi_limit;		/* PADIs unanswered: a session limit is reached */
	uint64_t pado_tx, pado_queue_full;
	uint64_t padr_no_cookie, padr_bad_cookie, padr_stale_cookie;
	uint64_t padr_dup;		/* a PADR again: its PADS sent again */
	uint64_t pads_tx, pads_refused;	/* PADS with a session; with AC-System-Error */
	uint64_t padt_tx, padt_rx_unknown;
	uint64_t rx_sess, tx_sess;	/* session frames of known sessions */
	uint64_t rx_sess_unknown;	/* session frames for no session */
	uint64_t padt_unknown_tx;	/* PADTs answering them */
	uint64_t tx_errors;
	uint64_t sessions_created;
	uint64_t sessions_ended[PPPOE_END_MAX];
	uint64_t disc_held;		/* PADI/PADR dropped while a takeover rebuilds */
	uint64_t sessions_restored;	/* rebuilt from the checkpoint (HA takeover) */
};

struct pppoe_ac;
struct pppoe_session;

/* An access interface: a port (ifindex, MAC) and the VLAN tags it serves,
 * with its bba-group's settings. */
struct pppoe_if {
	TAILQ_ENTRY(pppoe_if) link;
	char name[PPPOE_IFNAME_MAX];	/* eth1, eth1.100 */
	char group[PPPOE_AC_NAME_MAX];	/* the bba-group */
	int ifindex;			/* of the port the frames arrive on */
	uint8_t mac[PPPOE_ETH_ALEN];
	uint8_t nvlan;
	uint16_t vlan[PPPOE_MAX_VLANS];
	char ac_name[PPPOE_AC_NAME_MAX];
	unsigned per_mac_limit;		/* 0: none */
	unsigned max_sessions;		/* 0: none */
	unsigned pado_delay_ms;
	unsigned n_sessions;
	void *io;			/* the owner's (a socket) */
};

struct pppoe_session {
	LIST_ENTRY(pppoe_session) by_mac;
	TAILQ_ENTRY(pppoe_session) link;
	struct pppoe_if *ifp;
	uint16_t id;
	uint8_t mac[PPPOE_ETH_ALEN];	/* the subscriber's */
	uint8_t cookie[PPPOE_COOKIE_LEN];	/* of its PADR: a retransmission is known */
	uint8_t relay_sid[PPPOE_RELAY_SID_MAX];
	uint8_t relay_sid_len, has_relay_sid;
	uint16_t max_payload;		/* RFC 4638, 0: none */
	char service[PPPOE_AC_NAME_MAX];
	char circuit_id[PPPOE_LINE_ID_MAX], remote_id[PPPOE_LINE_ID_MAX];
	uint32_t rate_up, rate_down;	/* kbit/s, TR-101 */
	uint64_t created_ms;
	uint64_t rx_frames, tx_frames, rx_bytes, tx_bytes;
	void *upper;			/* the owner's (PPP, the LAC's call) */
};

struct pppoe_ac_ops {
	/* Send a frame on ifp's port.  0 or a negative errno. */
	int (*send)(void *arg, struct pppoe_if *ifp, const uint8_t *frame, size_t len);
	/* Discovery done (PADS sent): the session's PPP may start. */
	void (*session_up)(void *arg, struct pppoe_session *s);
	/* A PPP frame (protocol field first) of the session. */
	void (*session_rx)(void *arg, struct pppoe_session *s, const uint8_t *ppp, size_t len);
	/* The session is going (s freed on return). */
	void (*session_down)(void *arg, struct pppoe_session *s, enum pppoe_end why);
};

struct pppoe_rate {
	uint64_t start_ms;
	unsigned n;
};

struct pppoe_mac_rate {
	uint8_t mac[PPPOE_ETH_ALEN];
	struct pppoe_rate r;
};

struct pppoe_limits {
	unsigned padi_mac, padi_mac_ms;		/* PADIs per window and MAC */
	unsigned padi_total, padi_total_ms;	/* PADIs per window, every MAC */
};

struct pppoe_pending_pado {
	struct pppoe_if *ifp;
	uint64_t due_ms;
	uint16_t len;
	uint8_t frame[PPPOE_FRAME_MAX];
};

struct pppoe_ac {
	struct l2tp_clock *clk;
	const struct l2tp_log *log;		/* debug pppoe packet|error; NULL: none */
	const struct pppoe_ac_ops *ops;
	void *arg;
	void (*draw)(void *buf, size_t len);
	struct pppoe_cookie_key key;
	struct pppoe_limits lim;
	TAILQ_HEAD(, pppoe_if) ifs;
	TAILQ_HEAD(, pppoe_session) sessions;	/* in creation order */
	struct idmap *by_id;
	LIST_HEAD(, pppoe_session) by_mac[PPPOE_MAC_BUCKETS];
	uint32_t salt;				/* of the MAC hashes */
	uint32_t pado_seq;			/* the cookies' nonce */
	struct pppoe_mac_rate *mac_rate;	/* [PPPOE_MAC_SLOTS] */
	struct pppoe_rate total_rate, unknown_rate;
	unsigned n_sessions;
	struct pppoe_pending_pado *pado_q;	/* [PPPOE_PADO_QUEUE], a ring */
	unsigned pado_head, pado_n;
	struct l2tp_timer pado_timer;
	struct pppoe_stats stats;
	struct pppoe_buf txb;			/* the frame being built */
	int hold_discovery;			/* PADI, PADR dropped (an HA takeover rebuilds) */
};

struct pppoe_ac *pppoe_ac_create(struct l2tp_clock *clk, const struct pppoe_ac_ops *ops,
				 void *arg, void (*draw)(void *buf, size_t len));
/* Every session ends (PADT sent, ops->session_down), then the AC is freed. */
void pppoe_ac_destroy(struct pppoe_ac *ac);
void pppoe_ac_set_limits(struct pppoe_ac *ac, const struct pppoe_limits *lim);
/* An access interface; its settings are copied by the caller into the
 * returned struct.  NULL: -ENOMEM. */
struct pppoe_if *pppoe_ac_if_add(struct pppoe_ac *ac, const char *name, int ifindex,
				 const uint8_t mac[PPPOE_ETH_ALEN], const uint16_t *vlan,
				 unsigned nvlan);
struct pppoe_if *pppoe_ac_if_find(const struct pppoe_ac *ac, const char *name);
/* A frame read on port ifindex: counted, answered, or handed to the session. */
void pppoe_ac_input(struct pppoe_ac *ac, int ifindex, const uint8_t *frame, size_t len);

/* Sessions. */
struct pppoe_session *pppoe_session_find(const struct pppoe_ac *ac, uint16_t id);
/* A session as checkpointed (HA takeover): tmpl's ID, MAC, line and
 * counters on ifp, no discovery.  NULL: -EEXIST (the ID is taken) or
 * -ENOMEM in *err. */
struct pppoe_session *pppoe_session_adopt(struct pppoe_ac *ac, struct pppoe_if *ifp,
					  const struct pppoe_session *tmpl, int *err);
/* Send a PPP frame (protocol field first) to the subscriber: 0 or -errno. */
int pppoe_session_send(struct pppoe_ac *ac, struct pppoe_session *s, const uint8_t *ppp,
		       size_t len);
/* End a session: PADT to the subscriber, ops->session_down, freed. */
void pppoe_session_close(struct pppoe_ac *ac, struct pppoe_session *s, enum pppoe_end why);
/* Sessions of a MAC (on any interface). */
unsigned pppoe_sessions_of_mac(const struct pppoe_ac *ac, const uint8_t mac[PPPOE_ETH_ALEN]);
/* What the LAC's call says of the subscriber (RFC 2661 §4.4.5 Calling
 * Number): the TR-101 Agent-Circuit-Id when an access node gave one, else
 * the subscriber's MAC. */
void pppoe_session_calling_number(const struct pppoe_session *s, char *buf, size_t size);
/* "02:00:00:00:00:01" */
void pppoe_mac_fmt(char *buf, size_t size, const uint8_t mac[PPPOE_ETH_ALEN]);
int pppoe_mac_parse(const char *s, uint8_t mac[PPPOE_ETH_ALEN]);

#endif
