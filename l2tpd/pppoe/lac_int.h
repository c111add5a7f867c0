/*
 * The PPP of a PPPoE session (pppoe/lac.h), between its files and nothing
 * else: lac.c (the session's PPP and its call), lac_chan.c (the kernel's
 * PPPoE channel, DP_CAP_BRIDGE), restore.c (a session rebuilt at an HA
 * takeover or a hitless restart: relayed, or terminated here).
 */
#ifndef PPPOE_LAC_INT_H
#define PPPOE_LAC_INT_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <ev.h>

#include "core/clock.h"
#include "ppp/ppp.h"
#include "pppoe/access.h"
#include "pppoe/lac.h"

#define PPPOE_PPP_MTU	(PPPOE_ETH_MTU - 8)	/* RFC 2516 §7: 1492 */

struct l2tp_relay_target;
struct l2tp_relay_ops;
struct l2tp_session;
struct config_vtemplate;

struct pppoe_lac {
	struct pppoe_access *a;
	struct pppoe_session *ps;
	struct ppp *ppp;		/* until the call is placed; local termination */
	struct pppoe_lac_proxy *px;	/* until the call is placed (1.3 kB) */
	struct l2tp_session *ls;	/* the call, NULL when none */
	void *choice;			/* the question to RADIUS in flight */
	int closing;			/* the PADT is on its way */
	struct ppp_auth_req *req;	/* the credentials, while RADIUS is asked */
	struct l2tp_relay_target *tg;	/* RADIUS's sets not tried yet, while dialing */
	size_t n_tg;
	struct l2tp_timer retry_timer;	/* the next set, from the event loop */
	int chan_fd;			/* the kernel's PPPoE channel (dp_pppoe_open); -1 */
	ev_io chan_io;
	int unit_fd;			/* terminated here: pppN (dp_pppoe_unit_open); -1 */
	ev_io unit_io;
	char ifname[16];		/* that unit's interface, "" */
	enum pppoe_lac_state state;
	struct l2tp_timer lcp_timer;	/* LCP must finish before it fires */
	struct l2tp_timer close_timer;	/* closes outside PPP's callbacks */
	char user[PPP_NAME_MAX + 1];
	char pool[64];			/* where peer_addr came from ("": none) */
	struct in_addr peer_addr;
	uint16_t mss;			/* `ip tcp adjust-mss` of the template, 0: none */
	void *aaa;			/* terminated here: AAA's record (pppoe/local_aaa.h) */
	unsigned term_cause;		/* terminated here: why PPP went (RFC 2866), 0 */
};

#define lac_log(l, prio, fmt, ...) \
	log_msg(&(l)->a->d->log, prio, "pppoe session %u: " fmt, (l)->ps->id, ##__VA_ARGS__)

/* lac.c */
/* The bba-group's virtual template, NULL: none. */
const struct config_vtemplate *pppoe_lac_vtemplate(const struct pppoe_lac *l);
/* End the PPPoE session (PADT) from outside the current callbacks. */
void pppoe_lac_close_later(struct pppoe_lac *l);
/* What a call's ends tell the session (l2tp/relay.h). */
extern const struct l2tp_relay_ops pppoe_lac_relay_ops;
/* The timers of a new l (lcp, close, retry), none started; no unit yet. */
void pppoe_lac_timers_init(struct pppoe_lac *l);
/* A session terminated here, rebuilt (restore.c): its PPP goes on from st
 * (nothing sent, LCP echo with st's magic numbers).  0 or -errno. */
int pppoe_lac_local_resume(struct pppoe_lac *l, const struct ppp_state *st);

/* lac_local.c: terminated here */
/* The credentials to AAA; PPP hears the verdict (and the address). */
void pppoe_lac_local_auth(struct pppoe_lac *l, const struct ppp_auth_req *req);
/* IPCP opened: accounting starts. */
void pppoe_lac_local_up(struct pppoe_lac *l);
/* PPP went for reason: the Acct-Terminate-Cause noted. */
void pppoe_lac_local_down(struct pppoe_lac *l, const char *reason);
/* A session rebuilt up (restore.c): AAA's record goes on from acct (no
 * Start; NULL or not started: nothing accounted).  0 or -errno (logged). */
struct pppoe_aaa_acct;
int pppoe_lac_local_acct_restore(struct pppoe_lac *l, const struct pppoe_aaa_acct *acct);
/* The session ends: AAA's record closed (Accounting-Stop). */
void pppoe_lac_local_end(struct pppoe_lac *l, int padt_from_peer);

/* lac_chan.c */
/* A frame to the subscriber on the channel: counted as the port counts it. */
void pppoe_lac_chan_send(struct pppoe_lac *l, uint16_t proto, const uint8_t *buf, size_t len);
/* The kernel takes the PPPoE session: 0 or -errno (logged). */
int pppoe_lac_chan_open(struct pppoe_lac *l);
void pppoe_lac_chan_close(struct pppoe_lac *l);
/* Terminated here (authenticated): the unit pppN connected to the
 * session's channel (ifname: its name, NULL or "": the kernel's; a
 * restart adopts the one handed over); NCP frames come and go on it.
 * 0 or -errno (logged, counted). */
int pppoe_lac_unit_open(struct pppoe_lac *l, const char *ifname);
/* IPCP or IPv6CP open: the unit's MRU, MTU, addresses (once IPCP is open),
 * up, the MSS group.  Nothing without a unit; 0 or -errno (logged,
 * counted). */
int pppoe_lac_unit_up(struct pppoe_lac *l, const struct ppp_state *st);
/* The call is up: its channel and the subscriber's joined in the kernel;
 * refused (a kernel before 5.11), the session is cleared. */
void pppoe_lac_bridge(struct pppoe_lac *l, struct l2tp_session *s, uint16_t tid, uint16_t sid);
/* Frames of a bridged call that ends go into the totals. */
void pppoe_lac_bridge_count(struct pppoe_lac *l);

#endif
