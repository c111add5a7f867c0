/*
 * The PPP of a PPPoE session on this box (one per session: s->upper).
 * After the PADS, LCP and PAP or CHAP run with our own PPP stack (ppp/),
 * the subscriber's Configure-Requests and credentials noted for the proxy
 * (pppoe/proxy.h).  Then, in this order (doc/l2tpd.conf.5, "vpdn
 * search-order"):
 *  - with `aaa authorization network default group radius`, a RADIUS
 *    server and a domain in the user name (user@domain): the tunnel asked
 *    of RADIUS for the domain (RFC 2868, l2tp/relay.h's chooser, as IOS's
 *    VPDN authorization); usable tunnel sets: the call goes to the most
 *    preferred one that can be opened, and to the next when it goes
 *    before it is up (the proxy is kept for it); an Access-Reject, or tunnel
 *    attributes none usable: the subscriber is refused (authentication
 *    failure, LCP Terminate, PADT); no answer, or an Access-Accept naming
 *    no tunnel: the steps below;
 *  - the domain (`vpdn search-order domain`, the only key): a request-dialin vpdn-group with `domain D`: a call to its LNS
 *    (l2tp/relay.h) carrying proxy LCP and authentication (RFC 2661
 *    §4.4.5), the line (Calling Number from the Agent-Circuit-Id else the
 *    MAC, connect speeds and RFC 5515 rates from the TR-101 tag); once the
 *    call is up every frame is relayed both ways (null data path) or the
 *    kernel switches them (a data path with DP_CAP_BRIDGE: the PPPoE
 *    session is the kernel's from the PADS on, its frames read and written
 *    on its channel until the call is up, then the channel is bridged to
 *    the call's), and the LNS answers the authentication;
 *  - no group: local termination, as the LNS terminates a session (the
 *    local user base, an address from the bba-group's virtual template's
 *    pool, IPCP); a template without an address source refuses.
 * A subscriber that has not finished LCP after the bba-group's `lcp
 * timeout` is cleared (PADT).  A CDN clears the PPPoE session (PADT), a
 * PADT or `clear pppoe` clears the call with the RFC 3145 cause.
 */
#ifndef PPPOE_LAC_H
#define PPPOE_LAC_H

#include <stddef.h>
#include <stdint.h>

struct pppoe_access;
struct pppoe_session;

enum pppoe_lac_state {
	PPPOE_LAC_NEGOTIATING = 0,	/* LCP, then authentication */
	PPPOE_LAC_AUTHORIZING,		/* its tunnel asked of RADIUS */
	PPPOE_LAC_DIALING,		/* the call is placed, not yet up */
	PPPOE_LAC_RELAYING,		/* the call is up: frames relayed */
	PPPOE_LAC_BRIDGED,		/* the call is up: frames switched by the kernel */
	PPPOE_LAC_LOCAL,		/* terminated here: authenticated, IPCP */
	PPPOE_LAC_LOCAL_UP,		/* terminated here: IPCP open */
	PPPOE_LAC_STATES
};
const char *pppoe_lac_state_name(enum pppoe_lac_state st);

/* Counters of the access side's PPP, only ever growing. */
struct pppoe_lac_stats {
	uint64_t started;		/* PPP started after a PADS */
	uint64_t lcp_timeouts;		/* cleared: LCP unfinished after `lcp timeout` */
	uint64_t calls_placed, calls_up, call_failed;	/* to an LNS */
	uint64_t cleared_by_cdn;	/* PPPoE sessions ended by their call */
	uint64_t local_up, local_refused;	/* terminated here; refused (auth, address) */
	uint64_t local_unit_failed;	/* terminated here: the kernel refused its pppN
					 * or its configuration (cleared, PADT) */
	uint64_t radius_asked;		/* tunnel asked of RADIUS (RFC 2868) */
	uint64_t radius_chosen;		/* calls placed on RADIUS's tunnel */
	uint64_t radius_next;		/* a call went before it was up: the next set */
	uint64_t radius_refused;	/* refused: Reject, or no usable tunnel set */
	uint64_t radius_none;		/* no answer, no tunnel named: local configuration */
	uint64_t relayed_up, relayed_down;	/* frames subscriber->LNS, LNS->subscriber */
	uint64_t relay_dropped;		/* subscriber frames while the call was coming up */
	uint64_t relay_tx_errors;
	uint64_t mss_clamped;		/* TCP SYNs whose MSS was lowered (adjust-mss) */
	uint64_t mss_malformed;		/* IP frames too broken to look at: relayed as they are */
	uint64_t bridged, bridge_failed;	/* calls switched in the kernel; refused */
	uint64_t bridged_up, bridged_down;	/* frames of the bridged calls that ended */
	uint64_t kernel_open_failed;	/* PPPoE sessions the kernel would not take */
};

/* What `show pppoe session` prints of one: its state, its call (0 0: none),
 * the subscriber's user and address (local termination). */
struct ppp_state;

struct pppoe_lac_info {
	enum pppoe_lac_state state;
	uint16_t tunnel_id, session_id;
	const char *user;
	uint32_t peer_addr;		/* network order, 0: none */
	const char *ifname;		/* terminated here under -d linux: its pppN; "" */
	int has_frames;			/* a call is up: frames_up, frames_down */
	uint64_t frames_up, frames_down;	/* relayed by us or (bridged) by the kernel */
};

/* PADS sent: s's PPP starts (s->upper). 0 or -ENOMEM. */
int pppoe_lac_start(struct pppoe_access *a, struct pppoe_session *s);
/* A PPP frame from the subscriber (protocol field first). */
void pppoe_lac_input(struct pppoe_access *a, struct pppoe_session *s, const uint8_t *ppp,
		     size_t len);
/* s is going (its PADT was sent or received): the call is cleared, PPP freed. */
void pppoe_lac_stop(struct pppoe_access *a, struct pppoe_session *s, int padt_from_peer);
/* 0 with *info, or -ENOENT: s runs no PPP. */
int pppoe_lac_info(const struct pppoe_session *s, struct pppoe_lac_info *info);
/* l2tp/mss.h's collect (pppoe/access.c registers it): the adjust-mss
 * values of the live pppN of the sessions terminated here (arg: the access
 * side), kept by a reload that edits or removes their template until they
 * end. */
void pppoe_lac_mss_collect(void *arg, void (*add)(void *set, unsigned v), void *set);
/* A session terminated here and up (local-up): its PPP's negotiated
 * state, the pool its address came from ("" none) and its pppN ("" none),
 * for the checkpoint (pppoe/restore.c).  0, or -ENOENT (not local-up). */
int pppoe_lac_local_state(const struct pppoe_session *s, struct ppp_state *st,
			  const char **pool, const char **unit);
/* Its AAA record's accounting, for the checkpoint (pppoe/local_aaa.h).
 * 0, or -ENOENT (not local-up, nothing accounted). */
struct pppoe_aaa_acct;
int pppoe_lac_local_acct(const struct pppoe_session *s, struct pppoe_aaa_acct *out);
/* Frames of the live bridged calls, added to what the ended ones left in
 * a->lac (bridged_up, bridged_down). */
void pppoe_lac_bridged_frames(const struct pppoe_access *a, uint64_t *up, uint64_t *down);

#endif
