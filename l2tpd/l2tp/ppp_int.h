/*
 * Inside the PPP link of an L2TP session (l2tp/ppp.c, l2tp/ppp_pppd.c for the
 * LAC's pppd, and l2tp/ppp_ipv6.c for its IPv6: router advertisements and
 * DHCPv6 once IPv6CP is open).
 */
#ifndef L2TP_PPP_INT_H
#define L2TP_PPP_INT_H

#include <ev.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/types.h>

#include "core/clock.h"
#include "kernel_glue/dp.h"

struct l2tpd;

struct config_vtemplate;
struct l2tp_ppp_v6;
struct l2tp_ppp_v6c;
struct ppp_state;

/* A pppd running a LAC session (l2tp/ppp_pppd.c). */
struct l2tp_ppp_pppd {
	struct l2tp_ppp_link *pl;
	int fd;				/* its PPPoL2TP socket */
	pid_t pid;			/* 0 once it has exited */
	ev_child watch;
};

struct l2tp_ppp_link {
	struct l2tp_session *s;
	struct dp_ppp dpp;		/* fds under the linux data path */
	int dp_open;			/* dp_ppp_open succeeded */
	unsigned mss;			/* the adjust-mss group its pppN joined (l2tp/mss.h) */
	ev_io chan_io, unit_io;
	struct l2tp_timer down_timer;	/* clears the session outside PPP's callbacks */
	char *down_reason;		/* allocated when it goes down (127 octets at most) */
	int down;
	int proxied;			/* PPP opened from the LAC's proxy */
	uint64_t rx_frames_seen;	/* frames from the peer */
	uint64_t idle_next_ms;		/* next idle check (clock) */
	const struct config_vtemplate *vt;
	/* LAC client mode: pppd runs PPP on our PPPoL2TP socket (allocated
	 * while it runs; NULL on an LNS and for the LAC's own PPP). */
	struct l2tp_ppp_pppd *pppd;
	struct l2tp_ppp_v6 *v6;		/* l2tp/ppp_ipv6.c: NULL until IPv6CP is up */
	LIST_ENTRY(l2tp_ppp_link) v6_link;	/* d->v6_by_ifindex, when v6_ifindex */
	int v6_ifindex;			/* indexed under it (0: not indexed) */
	struct l2tp_ppp_v6c *v6c;	/* l2tp/ppp_ipv6_lac.c: a LAC subscriber's */
};

/* A PPP frame for the subscriber (the ppp_ops output of the link). */
void l2tp_ppp_output(void *arg, uint16_t proto, const uint8_t *buf, size_t len);
/* IPv6CP opened on an LNS link: the session's prefixes from its pools and
 * the link's IPv6 server started (ipv6/server.h). */
void l2tp_ppp_ipv6_up(struct l2tp_ppp_link *pl, const struct ppp_state *st);
/* An IPv6 packet from the subscriber (the ppp_ops ipv6_input). */
void l2tp_ppp_ipv6_input(void *arg, const uint8_t *pkt, size_t len);
/* LAC client mode (l2tp/ppp_pppd.c): pppd started on a PPPoL2TP socket of
 * the session's (0 or a negative errno, logged); stopped and its socket
 * closed (nothing when none runs). */
int l2tp_ppp_pppd_start(struct l2tp_ppp_link *pl);
void l2tp_ppp_pppd_stop(struct l2tp_ppp_link *pl);
/* The link goes: the server stops (nothing sent), the prefixes go back. */
void l2tp_ppp_ipv6_stop(struct l2tp_ppp_link *pl);
/* The link's IPv6 server is reached by its pppN's interface index (the
 * linux path's receive socket, l2tp/ppp_ipv6_rx.c): indexed (when it has
 * one, pl->dpp.ifindex > 0) and no longer; the link of an index, or NULL. */
void l2tp_ppp_ipv6_index(struct l2tpd *d, struct l2tp_ppp_link *pl);
void l2tp_ppp_ipv6_unindex(struct l2tpd *d, struct l2tp_ppp_link *pl);
struct l2tp_ppp_link *l2tp_ppp_ipv6_by_ifindex(struct l2tpd *d, int ifindex);
/* The routes the link puts through its pppN (PPP_V6_ROUTES_MAX at most)
 * into r, each one's PPP_V6_ROUTE_* bit into bit: the count. */
unsigned l2tp_ppp_ipv6_route_list(const struct l2tp_ppp_v6 *v, struct dp_route6 *r,
				  unsigned *bit);
/* IPv6CP opened on a LAC test subscriber: it solicits a router
 * advertisement and a delegated prefix (l2tp/ppp_ipv6_lac.c). */
void l2tp_ppp_ipv6_lac_up(struct l2tp_ppp_link *pl, const struct ppp_state *st);
/* An IPv6 packet from the LNS to the LAC's subscriber. */
void l2tp_ppp_ipv6_lac_input(struct l2tp_ppp_link *pl, const uint8_t *pkt, size_t len);
/* The subscriber goes: its timer stops, what it learnt goes. */
void l2tp_ppp_ipv6_lac_stop(struct l2tp_ppp_link *pl);

#endif
