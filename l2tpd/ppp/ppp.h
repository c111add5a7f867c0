/*
 * One PPP link (RFC 1661): the control plane of one L2TP session.
 *
 * Phases (§3.2): Dead -> Establish (LCP) -> Authenticate (PAP, CHAP-MD5,
 * MS-CHAPv2) -> Network (IPCP, IPv6CP) -> Terminate -> Dead.
 *
 * The link is driven from outside:
 *   ppp_new()         a link in the Dead phase, nothing sent;
 *   ppp_open()        the lower layer (the L2TP session) is up: LCP starts;
 *   ppp_input()       a PPP frame from the peer;
 *   ppp_auth_done()   the answer to ops->auth_request (authenticator role);
 *   ppp_close()       terminate the link (LCP Terminate-Request);
 *   ppp_lower_down()  the session is gone: finish at once, nothing sent;
 *   ppp_free()        destroy (deferred when called from a callback).
 * and talks back through struct ppp_ops: output() for every frame,
 * auth_request() for a credential check, up() when an NCP opens, down()
 * once when the link is finished.
 *
 * It decides nothing about subscribers: who is let in and which address
 * they get is AAA's answer (struct ppp_auth_reply).
 *
 * HA: ppp_export() captures the negotiated state; ppp_import_opened()
 * rebuilds a link in the Network phase from it without sending anything,
 * and LCP echo carries on with the same magic numbers, so the peer sees no
 * renegotiation.
 */
#ifndef L2TP_PPP_H
#define L2TP_PPP_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/rand_pool.h"
#include "ppp/proto.h"
#include "ppp/fsm.h"
#include "ppp/lcp.h"
#include "ppp/pap.h"
#include "ppp/chap.h"
#include "ppp/mschap.h"
#include "ppp/ipcp.h"
#include "ppp/ipv6cp.h"

#define PPP_NAME_MAX		255	/* PAP Peer-ID, CHAP Name */
#define PPP_SECRET_MAX		255
#define PPP_AUTH_METHODS_MAX	4
#define PPP_CHAP_CHALLENGE_MAX	64

enum ppp_role {
	PPP_ROLE_AUTHENTICATOR,	/* LNS: asks the peer to authenticate */
	PPP_ROLE_PEER,		/* client: authenticates itself when asked */
};

enum ppp_phase {
	PPP_PHASE_DEAD,
	PPP_PHASE_ESTABLISH,
	PPP_PHASE_AUTHENTICATE,
	PPP_PHASE_NETWORK,
	PPP_PHASE_TERMINATE,
};

struct ppp_config {
	enum ppp_role role;
	uint16_t mru;		/* what we ask; also the largest MRU we grant the peer */
	/* authenticator: the methods we ask for, in order; peer: the methods
	 * we agree to */
	enum ppp_auth_method auth[PPP_AUTH_METHODS_MAX];
	unsigned n_auth;
	char hostname[PPP_NAME_MAX + 1];	/* our Name in CHAP Challenges */
	char user[PPP_NAME_MAX + 1];		/* peer role */
	char password[PPP_SECRET_MAX + 1];	/* peer role */
	struct in_addr local_addr;	/* IPCP: our address (0: peer role, ask for one) */
	struct in_addr peer_addr;	/* authenticator: the peer's address when AAA gives none */
	struct in_addr dns[2];		/* authenticator: DNS servers offered (RFC 1877) */
	unsigned echo_interval;		/* s between LCP Echo-Requests, 0: none */
	unsigned echo_failures;		/* unanswered Echo-Requests before the link is dead */
	int ipv6;			/* run IPv6CP */
	unsigned restart_ms;		/* §4.6 Restart timer */
	unsigned auth_timeout_ms;	/* authentication phase limit */
	/* Where magic numbers, Challenges and Identifiers come from: the
	 * owner's pool of random bytes drawn ahead (a getrandom call each
	 * was four system calls a session); NULL: core/rand.h each time. */
	struct rand_pool *rand;
	/* The owner's running totals: every counter of the link is added
	 * there too as it counts, so a sum over many links costs nothing to
	 * read and keeps what links that went away counted.  NULL: none. */
	struct ppp_stats *totals;
};

/* What the authenticator hands AAA (valid during the auth_request call). */
struct ppp_auth_req {
	enum ppp_auth_method method;
	char user[PPP_NAME_MAX + 1];
	/* PAP (RFC 1334) */
	uint8_t password[PPP_SECRET_MAX];
	size_t password_len;
	/* CHAP-MD5 (RFC 1994): Identifier, our Challenge, the peer's Response */
	uint8_t id;
	uint8_t challenge[PPP_CHAP_CHALLENGE_MAX];	/* MS-CHAPv2: authenticator challenge */
	size_t challenge_len;
	uint8_t response[16];
	/* MS-CHAPv2 (RFC 2759) */
	uint8_t peer_challenge[PPP_MSCHAP_CHALLENGE_LEN];
	uint8_t nt_response[PPP_MSCHAP_NTRESP_LEN];
};

/* AAA's answer (ppp_auth_done), copied. */
struct ppp_auth_reply {
	struct in_addr peer_addr;	/* the peer's IPv4 address (0: the configured one) */
	struct in_addr dns[2];		/* 0: the configured ones */
	/* MS-CHAPv2: "S=<40 hex>", the authenticator response (RFC 2759 §5) */
	char mschap_auth_response[PPP_MSCHAP_AUTHRESP_LEN + 1];
};

/* The negotiated state, as the HA checkpoint carries it. */
struct ppp_state {
	enum ppp_phase phase;
	uint16_t mru;			/* ours: the largest packet the peer sends us */
	uint16_t peer_mru;		/* the peer's: the largest packet we send */
	uint32_t magic;			/* ours, 0 if not negotiated */
	uint32_t peer_magic;
	enum ppp_auth_method auth;
	char user[PPP_NAME_MAX + 1];	/* authenticated user (peer role: ours) */
	int ipcp_open;
	struct in_addr local_addr, peer_addr;
	struct in_addr dns[2];
	int ipv6cp_open;
	uint8_t local_ifid[PPP_IFID_LEN], peer_ifid[PPP_IFID_LEN];
};

struct ppp_ops {
	/* A frame for the peer: protocol number and information field. */
	void (*output)(void *arg, uint16_t proto, const uint8_t *buf, size_t len);
	/* Authenticator: check these credentials, answer with ppp_auth_done()
	 * (now or later).  May be NULL: everyone is refused. */
	void (*auth_request)(void *arg, const struct ppp_auth_req *req);
	/* An NCP opened (PPP_PROTO_IPCP or PPP_PROTO_IPV6CP); st has the
	 * addresses.  May be NULL. */
	void (*up)(void *arg, uint16_t proto, const struct ppp_state *st);
	/* The link is finished (once). May be NULL. */
	void (*down)(void *arg, const char *reason);
	/* An IPv6 packet (protocol 0x0057) while IPv6CP is open, for the
	 * control plane to answer (RS, DHCPv6: ipv6/server.h) where it
	 * reaches user space.  May be NULL: counted as data and dropped. */
	void (*ipv6_input)(void *arg, const uint8_t *pkt, size_t len);
};

struct ppp_stats {
	uint64_t rx_frames;
	uint64_t tx_frames;
	uint64_t rx_malformed;		/* too short, bad protocol field */
	uint64_t rx_proto_rejected;	/* unknown protocol: Protocol-Reject sent */
	uint64_t rx_dropped_phase;	/* a protocol's frame outside its phase */
	uint64_t rx_data_dropped;	/* IP/IPv6 reaching the control plane */
	uint64_t auth_rx_bad;		/* auth packets malformed, unexpected, wrong Identifier */
	uint64_t auth_retransmits;
	uint64_t auth_failures;
	struct ppp_fsm_stats lcp, ipcp, ipv6cp;
	struct ppp_lcp_stats lcp_ext;
};

struct ppp;

/* Defaults: authenticator, MRU 1500, no authentication method (list
 * them), hostname "l2tpd", LCP echo every 10 s with 5 failures allowed
 * (a Cisco keepalive), IPv6CP off, Restart timer 3 s, 30 s to authenticate. */
void ppp_config_init(struct ppp_config *c);

struct ppp *ppp_new(const struct ppp_config *cfg, const struct ppp_ops *ops, void *arg,
		    struct l2tp_clock *clk, const struct l2tp_log *log, const char *prefix);
int ppp_open(struct ppp *p);
/* A frame from the peer: the protocol field (2 octets) first, optionally
 * preceded by FF 03.  0, or negative errno if dropped (counted). */
int ppp_input(struct ppp *p, const uint8_t *frame, size_t len);
/* AAA's verdict on the pending request: ok != 0 lets the peer in; msg goes
 * in the Success/Failure message; r may be NULL. -EALREADY if none pending. */
int ppp_auth_done(struct ppp *p, int ok, const char *msg, const struct ppp_auth_reply *r);
void ppp_close(struct ppp *p, const char *reason);
void ppp_lower_down(struct ppp *p, const char *reason);
/* Send an IPv6 packet (protocol 0x0057): 0, or -ENOTCONN when IPv6CP is
 * not open (RFC 5072 §3: no IPv6 before it is). */
int ppp_send_ipv6(struct ppp *p, const uint8_t *pkt, size_t len);
void ppp_free(struct ppp *p);

enum ppp_phase ppp_get_phase(const struct ppp *p);
const char *ppp_phase_string(enum ppp_phase ph);
void ppp_get_stats(const struct ppp *p, struct ppp_stats *s);
int ppp_export(const struct ppp *p, struct ppp_state *st);
/* A link already in the Network phase with st's LCP/auth/NCP state:
 * nothing is sent; LCP echo goes on with st's magic numbers.  NULL with
 * errno EINVAL if st is not a state a link can be in, ENOMEM. */
struct ppp *ppp_import_opened(const struct ppp_config *cfg, const struct ppp_ops *ops, void *arg,
			      struct l2tp_clock *clk, const struct l2tp_log *log,
			      const char *prefix, const struct ppp_state *st);

/*
 * RFC 2661 §4.4.5: what a LAC negotiated with the subscriber before
 * handing the call over: the options of its last Configure-Request and of
 * the subscriber's last one (acknowledged both ways), and the subscriber's
 * authentication (has_auth: method PAP or CHAP-MD5, user, the PAP password
 * or CHAP Identifier/Challenge/Response, id the PPP Identifier used).
 */
struct ppp_proxy {
	const uint8_t *our_req;
	size_t our_len;
	const uint8_t *peer_req;
	size_t peer_len;
	int has_auth;
	struct ppp_auth_req auth;
};

/*
 * Instead of ppp_open(): LCP Opened as the proxy says, nothing sent, then
 * the proxied credentials go to AAA (the authenticator's ops) and the
 * verdict to the subscriber (Ack/Success or Nak/Failure with its
 * Identifier).  -EPROTO with why set when this link would not have agreed
 * to the proxied options or authentication (MS-CHAPv2 cannot be proxied):
 * nothing is done, the caller may ppp_open() to renegotiate.
 */
int ppp_open_proxy(struct ppp *p, const struct ppp_proxy *px, char *why, size_t whysz);
/*
 * The subscriber's end of the same (a test subscriber played by a LAC, a
 * test's): peer role, px seen from the subscriber (our_req its own, peer_req
 * the LAC's, auth what it sent the LAC): LCP Opened, nothing sent, waiting
 * for the LNS's verdict on the proxied credentials.  -EPROTO when px holds
 * what ppp_open_proxy() would parse as malformed.
 */
int ppp_open_proxied_peer(struct ppp *p, const struct ppp_proxy *px, char *why, size_t whysz);

/* Check credentials against a cleartext password (the local user base):
 * 0 if they match (for MS-CHAPv2, r->mschap_auth_response is filled),
 * -EACCES if not, -EINVAL for a request that cannot be checked. */
int ppp_auth_check_local(const struct ppp_auth_req *req, const char *password,
			 struct ppp_auth_reply *r);

/* --- internal: the protocol modules (ppp_*.c) and the link ---------------- */

/*
 * struct ppp_config as a link keeps it: the same scalars, and the three
 * strings copied to the end of the link's own allocation at their length
 * (not at PPP_NAME_MAX each: issue 16's 4 KiB per session budget).
 */
struct ppp_link_cfg {
	enum ppp_role role;
	uint16_t mru;
	uint8_t n_auth;			/* <= PPP_AUTH_METHODS_MAX */
	uint8_t ipv6;
	enum ppp_auth_method auth[PPP_AUTH_METHODS_MAX];
	const char *hostname;
	const char *user;
	char *password;			/* zeroed when the link goes */
	struct in_addr local_addr;
	struct in_addr peer_addr;
	struct in_addr dns[2];
	unsigned echo_interval;
	unsigned echo_failures;
	unsigned restart_ms;
	unsigned auth_timeout_ms;
	struct rand_pool *rand;
};

/* The link's own counters (struct ppp_stats without the protocols'). */
struct ppp_link_stats {
	uint64_t rx_frames;
	uint64_t tx_frames;
	uint64_t rx_malformed;
	uint64_t rx_proto_rejected;
	uint64_t rx_dropped_phase;
	uint64_t rx_data_dropped;
	uint64_t auth_rx_bad;
	uint64_t auth_retransmits;
	uint64_t auth_failures;
};

/* Random bytes for the link (its cfg.rand, or core/rand.h). */
void ppp_random(const struct ppp *p, void *buf, size_t len);

/* The longest result message kept for a repeated request (PAP, CHAP). */
#define PPP_RESULT_MSG_MAX	192
#define PPP_REASON_MAX		128	/* down reasons are cut there */
#define PPP_PREFIX_MAX		96	/* log prefixes are cut there */

struct ppp {
	struct ppp_link_cfg cfg;
	struct ppp_ops ops;
	void *arg;
	const char *prefix;		/* in the link's allocation */
	struct ppp_fsm_io io;
	struct ppp_lcp lcp;
	struct ppp_pap pap;
	struct ppp_chap chap;
	struct ppp_ipcp ipcp;
	/* allocated by ppp_new when cfg.ipv6, NULL otherwise (most links run
	 * no IPv6CP: issue 16's 4 KiB per session budget) */
	struct ppp_ipv6cp *ipv6cp;
	/* without IPv6CP: the Interface-Identifier it would have offered,
	 * drawn all the same (exported as ppp_state.local_ifid, as before) */
	uint8_t ifid[PPP_IFID_LEN];
	/* authentication */
	enum ppp_auth_method auth_method;	/* running or done */
	int auth_pending;			/* waiting for ppp_auth_done */
	int auth_ok;
	enum ppp_phase phase;		/* here, not before lcp: no padding */
	char *auth_user;			/* allocated; NULL until a user is known */
	struct {				/* AAA's addresses (struct ppp_auth_reply) */
		struct in_addr peer_addr;
		struct in_addr dns[2];
	} reply;
	struct l2tp_timer auth_timer;		/* the phase's time limit */
	/* life cycle */
	unsigned depth;				/* callbacks on the stack */
	int dead;				/* ppp_free() called while depth > 0 */
	int down_pending, down_called;
	char *down_reason;			/* allocated; NULL until one is set */
	struct ppp_link_stats stats;
	char strings[];				/* prefix, hostname, user, password */
};

/* One more in the link's counter m (struct ppp_link_stats), and in its
 * owner's totals; PPP_LCP_COUNT: LCP's own (struct ppp_lcp_stats). */
#define PPP_COUNT(p, m) do { \
		(p)->stats.m++; \
		if ((p)->io.totals != NULL) \
			(p)->io.totals->m++; \
	} while (0)
#define PPP_LCP_COUNT(l, m) do { \
		(l)->stats.m++; \
		if ((l)->ppp->io.totals != NULL) \
			(l)->ppp->io.totals->lcp_ext.m++; \
	} while (0)

/* *dst = a copy of src cut at max - 1 octets (the old copy freed): 0, or
 * -ENOMEM (*dst unchanged). */
int ppp_str_set(char **dst, const char *src, size_t max);
/* The authenticated user ("" until known). */
const char *ppp_auth_user(const struct ppp *p);

void ppp_enter(struct ppp *p);
void ppp_leave(struct ppp *p);
void ppp_log(const struct ppp *p, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ppp_debug(const struct ppp *p, unsigned cat, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ppp_output(struct ppp *p, uint16_t proto, const uint8_t *buf, size_t len);
/* Set the reason the link goes down, unless one is already set. */
void ppp_set_reason(struct ppp *p, const char *reason);

/* LCP -> link */
void ppp_on_lcp_up(struct ppp *p);
void ppp_on_lcp_down(struct ppp *p);
void ppp_on_lcp_finished(struct ppp *p);
void ppp_protocol_rejected(struct ppp *p, uint16_t proto);
void ppp_link_dead(struct ppp *p, const char *reason);
/* Terminate the link (LCP Close), from inside: no enter/leave. */
void ppp_close_link(struct ppp *p, const char *reason);
/* auth modules -> link */
void ppp_auth_submit(struct ppp *p, const struct ppp_auth_req *req);
void ppp_auth_finished(struct ppp *p, int ok, const char *why);
/* NCPs -> link */
void ppp_on_ncp_up(struct ppp *p, uint16_t proto);
void ppp_on_ncp_finished(struct ppp *p, uint16_t proto);
/* The peer's IPv4 address and DNS servers: AAA's, else the configuration's. */
struct in_addr ppp_assigned_addr(const struct ppp *p);
struct in_addr ppp_assigned_dns(const struct ppp *p, int i);

#endif
