/*
 * The L2TP session (call) state machines (RFC 2661 §7.4 LAC, §7.5 LNS):
 *
 *  incoming call, LAC:  IDLE -send ICRQ-> WAIT_REPLY -ICRP / send ICCN-> ESTABLISHED
 *  incoming call, LNS:  IDLE -ICRQ / send ICRP-> WAIT_CONNECT -ICCN-> ESTABLISHED
 *  outgoing call, LNS:  IDLE -send OCRQ-> WAIT_REPLY -OCRP-> WAIT_CONNECT -OCCN-> ESTABLISHED
 *  outgoing call, LAC:  IDLE -OCRQ / send OCRP, OCCN-> ESTABLISHED
 *  any: CDN sent or received -> gone (§5.7 for the CDN, Result Code §4.4.2)
 */
#ifndef L2TP_SESSION_H
#define L2TP_SESSION_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/queue.h>
#include "core/clock.h"
#include "ipv6/route.h"
#include "l2tp/msg.h"

struct l2tp_tunnel;
struct ppp;
struct l2tp_ppp_link;
struct aaa_auth;
struct l2tp_call_info;
struct l2tp_relay_ops;

enum l2tp_session_state {
	L2TP_SESSION_IDLE = 0,
	L2TP_SESSION_WAIT_TUNNEL,	/* LAC: the tunnel is still coming up */
	L2TP_SESSION_WAIT_REPLY,	/* ICRQ or OCRQ sent */
	L2TP_SESSION_WAIT_CONNECT,	/* ICRP or OCRP sent/received, waiting for ICCN/OCCN */
	L2TP_SESSION_ESTABLISHED,
};

/* Why a session ended: the values of RFC 2866 §5.10 (Acct-Terminate-Cause),
 * which AAA reports as they are. */
enum l2tp_term_cause {
	L2TP_TC_USER_REQUEST = 1,	/* the subscriber: LCP Terminate, CDN from the LAC */
	L2TP_TC_LOST_CARRIER = 2,	/* echoes unanswered, the tunnel went */
	L2TP_TC_LOST_SERVICE = 3,
	L2TP_TC_IDLE_TIMEOUT = 4,
	L2TP_TC_SESSION_TIMEOUT = 5,
	L2TP_TC_ADMIN_RESET = 6,	/* clear l2tp ..., Disconnect-Request */
	L2TP_TC_ADMIN_REBOOT = 7,
	L2TP_TC_PORT_ERROR = 8,
	L2TP_TC_NAS_ERROR = 9,
	L2TP_TC_NAS_REQUEST = 10,
	L2TP_TC_NAS_REBOOT = 11,	/* the daemon stops */
	L2TP_TC_USER_ERROR = 17,
};

/* Cisco's disconnect cause for a call refused while its tunnel resyncs
 * after a takeover (`show vpdn history failure`). */
#define L2TP_DISC_CAUSE_RESYNC	611

enum l2tp_session_kind {
	L2TP_CALL_INCOMING = 0,		/* ICRQ/ICRP/ICCN */
	L2TP_CALL_OUTGOING,		/* OCRQ/OCRP/OCCN */
};

/* What RADIUS says of a session's IPv6 (RFC 3162, RFC 4818, RFC 6911):
 * used by its IPv6 server (l2tp/ppp_ipv6.c) before the template's pools and
 * DNS servers.  Lengths 0 and "" when RADIUS said nothing. */
#define L2TP_AAA_V6_ROUTES	IPV6_ROUTE_MAX
struct l2tp_aaa_v6 {
	uint8_t prefix[16];		/* Framed-IPv6-Prefix (a /64) */
	uint8_t prefix_len;
	uint8_t pd[16];			/* Delegated-IPv6-Prefix */
	uint8_t pd_len;
	uint8_t addr[16];		/* Framed-IPv6-Address (RFC 6911), given by IA_NA */
	int has_addr;
	char pool[64];			/* Framed-IPv6-Pool */
	char pd_pool[64];		/* Delegated-IPv6-Prefix-Pool */
	char na_pool[64];		/* Stateful-IPv6-Address-Pool (RFC 6911) */
	uint8_t dns[2][16];		/* DNS-Server-IPv6-Address (:: none) */
	uint8_t ifid[8];		/* Framed-Interface-Id (recorded) */
	int has_ifid;
	struct ipv6_route route[L2TP_AAA_V6_ROUTES];	/* Framed-IPv6-Route, checked */
	unsigned n_routes;
};

/* A session's rarely set fields, allocated only when one is set (most
 * sessions have none: a local CHAP subscriber, no proxy authentication). */
#define L2TP_SESSION_PASSWORD_MAX	((size_t)128)
struct l2tp_session_rare {
	char sub_address[64];		/* ICRQ's Sub-Address AVP */
	char proxy_name[64];		/* ICCN's Proxy Authen Name AVP */
	char password[L2TP_SESSION_PASSWORD_MAX];	/* LAC test subscriber only */
	char filter_id[64];		/* Filter-Id (stored and shown: no data-path filter) */
	/* AAA (aaa/aaa.c), checkpointed: RADIUS Class, sent back in accounting */
	uint8_t class_len;
	uint8_t class_attr[253];
};

struct l2tp_session {
	struct l2tp_tunnel *t;
	uint16_t sid;			/* ours */
	uint16_t peer_sid;		/* theirs, 0 until known */
	enum l2tp_session_state state;
	enum l2tp_session_kind kind;
	int lns;			/* we are the LNS end */
	uint32_t call_serial;
	uint32_t tx_speed, rx_speed;
	uint32_t framing_type, bearer_type;
	uint32_t min_bps, max_bps;
	char calling[64], called[64];
	/* The subscriber's line, proxy LCP and authentication (l2tp/call_info.h):
	 * LAC: what the access side gave l2tp_session_dial_call(); LNS: what
	 * the ICRQ and ICCN carried.  NULL when none. */
	struct l2tp_call_info *ci;
	/* LAC: the access side relays this call's PPP (l2tp/relay.h); NULL
	 * when not; frames relayed each way, dropped before the call was up */
	const struct l2tp_relay_ops *relay_ops;
	void *relay_arg;
	int relayed;			/* placed by l2tp_relay_dial() (stays set) */
	int bridged;			/* its kernel session bridged to a PPPoE session */
	uint64_t relay_rx, relay_tx, relay_dropped;
	/* RFC 3145: the PPP Disconnect Cause a CDN of ours carries (code 0
	 * and proto 0: none known, the AVP is left out) */
	uint16_t ppp_disc_code, ppp_disc_proto;
	uint8_t ppp_disc_dir;
	/* LAC (l2tp/iccn_wait.c): 1 while its ICCN waits for the peer's window,
	 * 2 once it left and PPP is due to start (listed in t->iccn_left) */
	uint8_t iccn_wait;
	int seq_required;
	uint64_t created_ms, established_ms;
	int dp_created;

	/* The PPP link carried by the session (LNS: authenticator; LAC test
	 * subscriber: peer).  NULL when none runs. */
	struct ppp *ppp;
	struct l2tp_ppp_link *ppp_link;	/* l2tp/ppp.c */
	struct l2tp_ppp_early *early;	/* l2tp/ppp.c: frames that came before the ICCN/OCCN */
	uint64_t idle_mark;		/* frames counted at the last idle check */
	char user[64];			/* authenticated user (LNS); our user (LAC subscriber) */
	struct in_addr peer_ip;		/* IPCP: the subscriber's address */
	struct in_addr local_ip;	/* IPCP: ours */
	char ifname[16];		/* pppN, or "" (null data path) */
	int ppp_up;			/* IPCP opened */
	uint64_t ppp_up_ms;
	char pool[64];			/* where peer_ip came from ("" = AAA or none) */
	struct l2tp_timer sess_timer;	/* absolute / idle timeout */
	unsigned term_cause;		/* why it ends (enum l2tp_term_cause), 0 until known */
	/* HA's bookkeeping: only ha/ reads or writes these. */
	int ha_dirty;			/* a session record is owed */
	uint64_t ha_seq;		/* stream seq of its last record */
	int ha_rebuilt;			/* rebuilt from the checkpoint at takeover */
	int ha_half;			/* rebuilt half made (WAIT_CONNECT): the peer may
					 * still finish it (its ICCN/OCCN) */
	struct l2tp_timer ha_connect_timer;	/* armed (ha/takeover.c) once the
					 * tunnel resynced: the peer's budget */
	char acct_session_id[64];	/* accounting: given at session start (aaa/aaa.c) */
	/* AAA (aaa/aaa.c): authorization from RADIUS and the accounting state.
	 * Checkpointed: Class, timeouts, acct_started, the reported counters. */
	unsigned session_timeout;	/* s after established_ms, 0 = the template's */
	unsigned idle_timeout;		/* s, 0 = the template's */
	unsigned framed_mtu;		/* Framed-MTU, 0 = the template's */
	struct in_addr framed_route[8];	/* Framed-Route destinations ... */
	uint8_t framed_plen[8];		/* ... and prefix lengths */
	uint8_t framed_route_added[8];	/* dp_route_add succeeded */
	unsigned n_framed_routes;
	/* RADIUS's IPv6 for the link (aaa/ipv6.c): allocated at the first
	 * IPv6 attribute, NULL when none came (most sessions: issue 16's
	 * 4 KiB per session budget); read it with l2tp_session_aaa_v6_get() */
	struct l2tp_aaa_v6 *aaa_v6;
	/* What few sessions carry (struct l2tp_session_rare): allocated at the
	 * first write, NULL for most (issue 16's 4 KiB per session: 576 bytes
	 * each would hold); read it with l2tp_session_rare_get() */
	struct l2tp_session_rare *rare;
	uint8_t acct_authentic;		/* Acct-Authentic: 1 RADIUS, 2 local, 0 unknown */
	int acct_started;		/* Accounting-Start sent (no second one, ever) */
	uint64_t acct_base[4];		/* counters reported before a takeover: in/out
					 * octets, in/out packets (AAA_CNT_*) */
	uint64_t acct_reported[4];	/* totals in the last Start/Interim */
	uint64_t acct_last_ms;		/* last Start/Interim sent (clock) */
	unsigned acct_interval;		/* s; Acct-Interim-Interval, 0 = the configured one */
	struct l2tp_timer acct_timer;	/* Interim-Updates */
	struct aaa_auth *aaa_auth;	/* an authentication in flight */
	/* Frames the null data path carries in user space (the kernel
	 * counts them under linux): the accounting counters there. */
	uint64_t up_rx_octets, up_tx_octets, up_rx_packets, up_tx_packets;
	TAILQ_ENTRY(l2tp_session) ha_dirty_link;
	LIST_ENTRY(l2tp_session) link;	/* t->session_list */
};

const char *l2tp_session_state_string(enum l2tp_session_state s);
/* s->state becomes st, counted in d->sessions_in, nothing else done (the
 * state machine's changes also tell the observers; a takeover rebuilding
 * a call uses this). */
void l2tp_session_state_move(struct l2tp_session *s, enum l2tp_session_state st);

/* LAC: place an incoming call on an (establishing or established) tunnel. */
struct l2tp_session *l2tp_session_dial(struct l2tp_tunnel *t, int *err);
/* The same for a subscriber the access side knows: ci (copied) goes into
 * the ICRQ and the ICCN. */
struct l2tp_session *l2tp_session_dial_call(struct l2tp_tunnel *t,
					    const struct l2tp_call_info *ci, int *err);
/* RFC 3145: the PPP Disconnect Cause Code the next CDN for s carries. */
void l2tp_session_ppp_disc(struct l2tp_session *s, uint16_t code, uint16_t proto,
			   uint8_t direction);
/* LNS: place an outgoing call (OCRQ) to `number`. */
struct l2tp_session *l2tp_session_call_out(struct l2tp_tunnel *t, const char *number, int *err);
/* The tunnel became established: send what waited (ICRQs). */
void l2tp_session_tunnel_up(struct l2tp_tunnel *t);
/* A session-level message (ICRQ...SLI) delivered in order on the tunnel. */
void l2tp_session_input(struct l2tp_tunnel *t, const struct l2tp_msg *m);
/* Send CDN (§5.7) with this result, free the session. */
void l2tp_session_clear(struct l2tp_session *s, uint16_t result, int error, const char *msg);
/* CDN for a call the peer asked for and we hold no session for (§5.6:
 * the Assigned Session ID in the CDN is then 0). */
void l2tp_session_refuse(struct l2tp_tunnel *t, uint16_t peer_sid, uint16_t result, int error,
			 const char *msg);
/* Free without a word to the peer (the tunnel is going). */
void l2tp_session_destroy(struct l2tp_session *s);
/* Start the call's PPP (l2tp/ppp.c); a refusal clears the call with a CDN.
 * 0 or a negative errno (s is gone then). */
int l2tp_session_ppp_go(struct l2tp_session *s);
/*
 * LAC: a call's PPP starts once its ICCN has left, not when it is queued
 * behind the peer's receive window (l2tp/iccn_wait.c): otherwise the
 * subscriber's RFC 1661 Restart timer runs while the ICCN waits.
 * l2tp_iccn_wait: just after queueing the ICCN (nothing when it left at
 * once); l2tp_iccn_numbered: a message of the tunnel is leaving;
 * l2tp_iccn_run: start the PPP of the calls whose ICCN left (after the
 * control channel's input); l2tp_iccn_forget: the call goes.
 */
void l2tp_iccn_wait(struct l2tp_session *s);
void l2tp_iccn_numbered(struct l2tp_tunnel *t, const uint8_t *buf, size_t len);
void l2tp_iccn_run(struct l2tp_tunnel *t);
void l2tp_iccn_forget(struct l2tp_session *s);
struct l2tp_session *l2tp_session_find(struct l2tp_tunnel *t, uint16_t sid);
/* Before t's sessions are looked up for what its peer sent: after a
 * takeover that has not rebuilt all of them yet, the rest now (so that
 * none is answered as unknown). */
void l2tp_session_complete(struct l2tp_tunnel *t);
/* A data packet (buf: the whole L2TP message, its session sid) for a
 * session of t not rebuilt yet: held (at most L2TP_HELD_MAX a tunnel) when
 * an observer rebuilds t's sessions soon (sessions_wanted); 0, or a
 * negative errno (not held: the caller completes t's sessions at once). */
#define L2TP_HELD_MAX	16
int l2tp_session_hold_data(struct l2tp_tunnel *t, uint16_t sid, const uint8_t *buf,
			   size_t len, size_t hdr_len);
/* t's held packets to their sessions, in order; one whose session is not
 * there yet is kept while t->sessions_pending.  drop: freed unread (the
 * tunnel goes). */
void l2tp_session_release_held(struct l2tp_tunnel *t);
void l2tp_session_drop_held(struct l2tp_tunnel *t);
/* session_peer.c: the peer's Session ID of s, kept in the tunnel's index
 * (0: none yet); forget: out of the index (s is going); find: the session
 * of t with this peer ID for which match (NULL: any) holds, or NULL. */
void l2tp_session_set_peer_sid(struct l2tp_session *s, uint16_t peer_sid);
void l2tp_session_peer_forget(struct l2tp_session *s);
struct l2tp_session *l2tp_session_find_peer(struct l2tp_tunnel *t, uint16_t peer_sid,
					    int (*match)(const struct l2tp_session *s));
/* Something kept of s changed outside its state machine (AAA's accounting
 * state, a CoA's timeouts): the observers are told. */
void l2tp_session_changed(struct l2tp_session *s);
/* s->aaa_v6, allocated (zeroed) if none yet: NULL when out of memory. */
struct l2tp_aaa_v6 *l2tp_session_aaa_v6(struct l2tp_session *s);
/* s->aaa_v6, or an empty one (nothing from RADIUS) when none. */
const struct l2tp_aaa_v6 *l2tp_session_aaa_v6_get(const struct l2tp_session *s);
/* s->rare, allocated (zeroed) if none yet: NULL when out of memory. */
struct l2tp_session_rare *l2tp_session_rare(struct l2tp_session *s);
/* s->rare, or an empty one (every field empty, class_len 0) when none. */
const struct l2tp_session_rare *l2tp_session_rare_get(const struct l2tp_session *s);
/* s's password (LAC test subscriber): kept only when non-empty (NULL or
 * "" empties it); 0 or -ENOMEM. */
int l2tp_session_set_password(struct l2tp_session *s, const char *password);
/* Note why s ends, unless a cause is noted already (the first stays). */
void l2tp_session_cause(struct l2tp_session *s, enum l2tp_term_cause cause);
/* HA takeover: a session with this ID (IDLE; the caller fills it in),
 * then l2tp_session_adopt_up() makes the kernel session and marks it
 * established, without a message.  -EEXIST, -ENOMEM. */
struct l2tp_session *l2tp_session_adopt(struct l2tp_tunnel *t, uint16_t sid, int lns, int *err);
int l2tp_session_adopt_up(struct l2tp_session *s);
/* What the data path needs to name s's PPP channel (kernel_glue/dp.h):
 * its IDs, its peer's, the address and port of its tunnel's peer. */
struct dp_ppp_params;
void l2tp_session_dp_params(const struct l2tp_session *s, struct dp_ppp_params *pp);

/* The level (or category) is checked before the arguments are built: a
 * filtered line costs no inet_ntoa, no lookup.  s is evaluated twice. */
#define session_log(s, prio, fmt, ...) \
	(log_on(&(s)->t->d->log, prio) ? \
	 log_msg(&(s)->t->d->log, prio, "session %u/%u: " fmt, (s)->t->tid, (s)->sid, \
		 ##__VA_ARGS__) : (void)0)
#define session_debug(s, cat, fmt, ...) \
	(log_debug_on(&(s)->t->d->log, cat) ? \
	 log_debug(&(s)->t->d->log, cat, "session %u/%u: " fmt, (s)->t->tid, (s)->sid, \
		   ##__VA_ARGS__) : (void)0)

#endif
