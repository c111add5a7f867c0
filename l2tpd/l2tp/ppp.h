/*
 * The PPP link of an L2TP session: the LNS authenticates its subscriber
 * through the room registered with l2tp_ppp_set_auth() (AAA: RADIUS, local
 * users), gives it the address AAA or the virtual-template's pool gives and
 * brings the interface up; the LAC can play a test subscriber (peer role).
 * The link's life reaches the observers (l2tp/observer.h: ppp_starting,
 * ppp_restored, ppp_up, ppp_stopping): AAA's accounting hangs there.
 *
 * Frames travel on the session's PPP channel and unit fds (linux data
 * path) or, under the null data path, in L2TP data messages on the
 * tunnel's UDP socket (RFC 2661 §3.1, T bit clear), carried in user space.
 */
#ifndef L2TP_PPP_LINK_H
#define L2TP_PPP_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "ipv6/route.h"
#include "ipv6/server.h"

struct l2tpd;
struct l2tp_timer;
struct l2tp_session;
struct ppp_auth_req;
struct ppp_state;

/* Who authenticates the LNS's subscribers. */
struct l2tp_ppp_auth_ops {
	/* Credentials from PPP (authenticator role): the verdict goes to
	 * ppp_auth_done(s->ppp, ...), now or later. */
	void (*request)(void *arg, struct l2tp_session *s, const struct ppp_auth_req *req);
};

/* Without one every subscriber is refused. */
void l2tp_ppp_set_auth(struct l2tpd *d, const struct l2tp_ppp_auth_ops *ops, void *arg);

/* The session is established: start PPP if its group asks for it (an LNS
 * group with a virtual-template, or a LAC session dialled with a user).
 * 0 (also when no PPP runs), or a negative errno (the caller clears). */
int l2tp_ppp_start(struct l2tp_session *s);
/* The session is going: PPP stops at once (nothing sent), the address
 * goes back to its pool, the interface and channel are closed. */
void l2tp_ppp_stop(struct l2tp_session *s);
/* HA takeover: the LNS session's PPP as checkpointed, already in the
 * Network phase (nothing is sent, no LCP renegotiation); the unit keeps
 * its name ifname and its addresses; the peer's address leaves its pool
 * (s->pool).  0 or a negative errno (the caller clears the session). */
int l2tp_ppp_restore(struct l2tp_session *s, const struct ppp_state *st, const char *ifname);
/*
 * A PPP link up arms d->heap_trim (when not armed): L2TP_PPP_HEAP_TRIM_MS
 * later, malloc_trim(0) gives the heap's wholly free pages back to the
 * kernel.  Setting a session up allocates more than it keeps (control
 * messages, PPP frames, netlink requests); freed among the blocks the
 * sessions keep, those pages stayed resident: about 200 bytes a session
 * after a burst of 1,000 set-ups.  One trim per burst, never more than one
 * per period.
 */
#define L2TP_PPP_HEAP_TRIM_MS	200
void l2tp_ppp_heap_trim_cb(struct l2tp_timer *t, void *arg);
/* The session's timeouts changed (RADIUS Session-/Idle-Timeout, CoA):
 * re-arm its timer with the values in effect. */
void l2tp_ppp_timeouts_changed(struct l2tp_session *s);
#define PPP_V6_DECLINED_MAX	4
/* A link's IPv6 once IPv6CP is up (l2tp/ppp_ipv6.c), as the shows read it. */
struct l2tp_ppp_v6 {
	struct ipv6_server srv;		/* its prefixes, lease, counters */
	char pool6[64];			/* where srv.prefix came from ("" none) */
	char pd_pool[64];		/* where srv.pd came from ("" none) */
	char na_pool[64];		/* where srv.na came from ("" none) */
	struct ipv6_route framed[IPV6_ROUTE_MAX];	/* RADIUS's Framed-IPv6-Route */
	unsigned n_framed;
	uint8_t declined[PPP_V6_DECLINED_MAX][16];	/* addresses of na_pool the
							 * subscriber declined: out
							 * of the pool till the end */
	unsigned n_declined;
	unsigned routes;		/* PPP_V6_ROUTE_*: installed via pppN (linux) */
};
#define PPP_V6_ROUTE_LINK	0x1	/* the /64, on-link */
#define PPP_V6_ROUTE_PD		0x2	/* the delegated prefix, via the peer's link-local */
#define PPP_V6_ROUTE_FRAMED(i)	(0x4u << (i))	/* framed[i], via its gateway */
#define PPP_V6_ROUTES_MAX	(2 + IPV6_ROUTE_MAX)

/* A LAC test subscriber's IPv6 (l2tp/ppp_ipv6_lac.c): what it learnt
 * from the LNS by Router Solicitation and DHCPv6 (IA_PD, and IA_NA when
 * asked), as shown. */
#define DHCP6_TYPES	12		/* message types counted; 0: others */
struct l2tp_ppp_v6c {
	uint8_t ll[16];			/* our link-local address */
	int has_prefix;
	uint8_t prefix[16];		/* the /64 of the router advertisement */
	int has_pd;
	uint8_t pd[16];			/* the delegated prefix, bound */
	uint8_t pd_len;
	uint8_t offer[16];		/* the prefix of the exchange under way */
	uint8_t offer_len;
	int want_na;			/* asks for an address (IA_NA) too */
	int rapid;			/* solicits with Rapid Commit */
	int has_na;
	uint8_t na[16];			/* the address, bound */
	int has_na_offer;
	uint8_t na_offer[16];		/* the address of the exchange under way */
	uint32_t t1, t2, valid;		/* s, of the last Reply */
	uint64_t t1_ms, t2_ms;		/* when Renew, Rebind are due (clock) */
	struct dhcp6_duid duid;		/* ours */
	struct dhcp6_duid server;	/* the server's, bound to */
	uint8_t state;			/* the message type of the exchange under way;
					 * DHCP6_REPLY: bound, waiting for T1 */
	uint32_t xid;
	uint64_t rto_ms;
	struct l2tp_timer timer;	/* retransmission, then T1/T2 */
	uint32_t rs_tx, ra_rx, renews, retrans, bound, bound_rapid, send_failed;
	uint32_t dhcp_refused, dhcp_ignored;
	uint32_t dhcp_tx[DHCP6_TYPES], dhcp_rx[DHCP6_TYPES];
	struct ipv6_stats st;		/* refused packets, by reason */
};

/* The LAC test subscriber's IPv6, or NULL (no IPv6CP, not a LAC link). */
const struct l2tp_ppp_v6c *l2tp_ppp_ipv6_lac(const struct l2tp_session *s);
/* `test ipv6 dhcp renew`: a bound subscriber renews now instead of at T1.
 * 0, or -ENOENT: none bound on s. */
int l2tp_ppp_ipv6_lac_renew(struct l2tp_session *s);

/* A link's IPv6 as HA checkpoints it: its prefixes, where they came from,
 * the binding (lease.start_ms on this box's clock) and the server DUID. */
struct l2tp_ppp_v6_state {
	int has_prefix;
	uint8_t prefix[16];		/* the /64 */
	char pool6[64];
	int has_pd;
	uint8_t pd[16];
	uint8_t pd_len;
	char pd_pool[64];
	struct ipv6_lease lease;
	int has_na;			/* the address for IA_NA */
	uint8_t na[16];
	char na_pool[64];
	struct ipv6_lease na_lease;
	struct dhcp6_duid server_duid;
	struct ipv6_route framed[IPV6_ROUTE_MAX];	/* Framed-IPv6-Route */
	unsigned n_framed;
};

/* Under the linux data path, the subscribers' Router Solicitations and
 * DHCPv6 from every pppN (kernel_glue/v6rx.h) to their sessions' IPv6
 * servers: 0, or a negative errno (logged; IPv6 goes unanswered). */
int l2tp_ppp_ipv6_rx_start(struct l2tpd *d);
void l2tp_ppp_ipv6_rx_stop(struct l2tpd *d);
/* The kernel's counts of the receive socket (PACKET_STATISTICS, which a
 * read resets) summed into d->v6rx.  Nothing without the socket. */
void l2tp_ppp_ipv6_rx_counters(struct l2tpd *d);

/* 0 with st filled, or -ENOENT: the session has no IPv6. */
int l2tp_ppp_ipv6_export(const struct l2tp_session *s, struct l2tp_ppp_v6_state *st);
/* HA takeover, after l2tp_ppp_restore(): the link's IPv6 as checkpointed
 * (the prefixes taken out of their pools, the server DUID adopted as the
 * daemon's, the binding kept), advertising again at once.  0 or a
 * negative errno. */
int l2tp_ppp_ipv6_restore(struct l2tp_session *s, const struct l2tp_ppp_v6_state *st);
/* The session's IPv6, or NULL (no IPv6CP, not an LNS link). */
const struct l2tp_ppp_v6 *l2tp_ppp_ipv6(const struct l2tp_session *s);
/* `clear ipv6 dhcp binding`: the bindings of the delegated prefix and of
 * the address go (both stay the session's; the client's next Renew gets
 * NoBinding and it solicits again).  0, or -ENOENT when there was none. */
int l2tp_ppp_ipv6_clear_binding(struct l2tp_session *s);
/*
 * Internal to l2tp/ppp*.c: open the LNS session's PPP (s->ppp, new):
 * from the LAC's proxy LCP and authentication (s->ci) when the group's
 * `lcp renegotiation` allows and the proxy is acceptable (*proxied set),
 * else negotiating.  0, or -EPROTO: a proxy not acceptable and no
 * renegotiation allowed (the call is refused), or ppp_open()'s error.
 */
int l2tp_ppp_open_lns(struct l2tp_session *s, int *proxied);
/*
 * LAC test subscriber (`test vpdn dial ... proxy pap|chap`): ci filled as
 * if the LAC had negotiated LCP with the subscriber and received its
 * PAP request (chap 0) or its CHAP-MD5 Response to our Challenge; then
 * l2tp_ppp_open_lac() opens the subscriber's PPP in that state (s->ppp,
 * new), or negotiating when s->ci carries no proxy.  0 or negative errno.
 */
struct l2tp_call_info;
int l2tp_ppp_proxy_play(struct l2tp_call_info *ci, const char *user, const char *password,
			int chap);
int l2tp_ppp_open_lac(struct l2tp_session *s);
/* Internal: the link went down for this reason: the session's RADIUS
 * terminate cause and RFC 3145 PPP Disconnect Cause; a proxied
 * authentication refused is counted. */
void l2tp_ppp_down_cause(struct l2tp_session *s, const char *reason, int proxied);
/* Null data path: the PPP frame of a data message for this session. */
void l2tp_ppp_data_input(struct l2tp_session *s, const uint8_t *frame, size_t len);

#endif
