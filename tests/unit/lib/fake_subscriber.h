/*
 * PPP subscribers played by the test, for the daemon of harness.h as LNS.
 *
 * A subscriber is a PPP link (ppp/ppp.c) in the peer role on one call of
 * a LAC (a harness peer).  Its frames travel in L2TP data messages as the
 * null data path carries them: the daemon's reach the subscriber of their
 * session (by the LAC's Tunnel ID and Session ID in the header, through
 * the harness's data_rx), the subscriber's are delivered to the daemon
 * from its LAC.  Frames wait in queues until the test moves them
 * (fake_subscribers_pump, or one by one), so a test can also reorder them.
 *
 *	struct fake_subscribers *subs = fake_subscribers_new(h);
 *	struct fake_subscriber *u = fake_subscriber_add(subs, lac, 5);
 *	u->sid = h_lns_call(h, lac, 5);
 *	fake_subscriber_config(&c, "alice", "secret");
 *	fake_subscriber_open(u, &c);
 *	fake_subscribers_pump(subs, lac);	(LCP, authentication, IPCP)
 *	assert_int_equal(u->ups, 1);
 *
 * The subscribers belong to the harness: h_free() frees them once the
 * daemon is gone.
 */
#ifndef TEST_FAKE_SUBSCRIBER_H
#define TEST_FAKE_SUBSCRIBER_H

#include <stddef.h>
#include <stdint.h>
#include "harness.h"
#include "ppp/ppp.h"

#define FAKE_SUBSCRIBERS_MAX	16
#define FAKE_V6_KEEP		4

struct fake_frame;			/* a frame on its way */
struct fake_subscribers;

struct fake_subscriber {
	struct fake_subscribers *set;
	struct h_peer *lac;		/* the LAC whose call carries it */
	uint16_t peer_sid;		/* the LAC's Session ID of the call */
	uint16_t sid;			/* the daemon's (0 until the test sets it) */
	struct ppp *ppp;		/* NULL until fake_subscriber_open() */
	struct fake_frame *to_sub;	/* the daemon's frames, oldest first */
	struct fake_frame *to_lns;	/* the subscriber's */
	int up;				/* IPCP is up */
	unsigned ups, downs;		/* times IPCP came up, the link went down */
	struct ppp_state st;		/* as IPCP last came up */
	int v6_up;			/* IPv6CP is up */
	struct ppp_state st6;		/* as IPv6CP last came up */
	/* IPv6 packets from the daemon (RAs, DHCPv6), the last
	 * FAKE_V6_KEEP of them, oldest first; v6_rx counts them all */
	uint8_t v6_pkt[FAKE_V6_KEEP][1280];
	size_t v6_len[FAKE_V6_KEEP];
	unsigned v6_n;
	unsigned v6_rx;
	/* frames of this PPP protocol wait in to_lns while set (0: none
	 * held): the test orders the NCPs (IPv6CP open before IPCP) */
	uint16_t hold_proto;
};

struct fake_subscribers {
	struct harness *h;
	struct fake_subscriber sub[FAKE_SUBSCRIBERS_MAX];
	unsigned n;			/* sub[0..n) */
	unsigned dropped;		/* data messages for no subscriber */
};

/* The subscribers of h's daemon (none yet): the harness's data_rx, and
 * h->subscribers. */
struct fake_subscribers *fake_subscribers_new(struct harness *h);
/* Free every subscriber (PPP link and frames); then there are none. */
void fake_subscribers_clear(struct fake_subscribers *set);
/* Subscribers whose IPCP is up. */
unsigned fake_subscribers_up(const struct fake_subscribers *set);
/* Frames both ways (one a subscriber each way in turn) and the timers
 * due now, until nothing moves; when nothing else moves, lac (unless
 * NULL) acknowledges with a ZLB whatever the daemon sent it, and the
 * harness's captured messages are dropped.  The clock stands still.
 * Fails the test if it never settles; returns 1 if anything moved. */
int fake_subscribers_pump(struct fake_subscribers *set, struct h_peer *lac);

/* A subscriber on the call peer_sid of lac, its link not open yet: the
 * daemon's frames for the call wait for it.  Set ->sid to the daemon's
 * Session ID before it sends anything. */
struct fake_subscriber *fake_subscriber_add(struct fake_subscribers *set, struct h_peer *lac,
					    uint16_t peer_sid);
/* What a subscriber brings: the peer role, user and password for
 * whichever of PAP, CHAP-MD5 and MS-CHAPv2 the LNS asks, no LCP echo. */
void fake_subscriber_config(struct ppp_config *c, const char *user, const char *password);
/* Its PPP link with c (ppp_new, ppp_open): its first frame is queued. */
void fake_subscriber_open(struct fake_subscriber *u, const struct ppp_config *c);
/* Its PPP link in the state a LAC's proxy left it (ppp_open_proxied_peer):
 * LCP Opened, its credentials with the LAC, nothing sent. */
void fake_subscriber_open_proxied(struct fake_subscriber *u, const struct ppp_config *c,
				  const struct ppp_proxy *px);
/* Hand its oldest frame to the daemon; 0 if it had none. */
int fake_subscriber_send_one(struct fake_subscriber *u);
/* Send an IPv6 packet on its link (IPv6CP open): 0 or -ENOTCONN. */
int fake_subscriber_send_ipv6(struct fake_subscriber *u, const uint8_t *pkt, size_t len);
/* Hand the daemon's oldest frame to its PPP link; 0 if it had none. */
int fake_subscriber_take_one(struct fake_subscriber *u);
/* The daemon's session of its call, NULL if there is none (any more). */
struct l2tp_session *fake_subscriber_session(const struct fake_subscriber *u);

#endif
