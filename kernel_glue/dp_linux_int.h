/*
 * The linux data path's records, shared by dp_linux.c (tunnels, sessions,
 * PPP) and dp_linux_pppoe.c (PPPoE sessions switched into L2TP sessions).
 */
#ifndef DP_LINUX_INT_H
#define DP_LINUX_INT_H

#include <stdint.h>
#include <sys/queue.h>
#include "kernel_glue/dp.h"
#include "kernel_glue/ppp_chan.h"
#include "kernel_glue/pppoe_chan.h"

struct idmap;
struct nl_l2tp;
struct nl_l2tp_sock;
struct rtnl_ctx;

struct dp_linux_sess {
	uint16_t tid, sid;
	struct ppp_chan ch;		/* fds -1 until dp_ppp_open or dp_pppoe_bridge */
	int ifindex;
	size_t nroutes;
	int bridge;			/* ch.pppox_fd is a bridge's leg: 1 bridged to
					 * PPPoE session pppoe_sid, 2 that one has gone */
	uint16_t pppoe_sid;
	int pppox_closed;		/* a PPPoX socket of it was closed: the kernel
					 * deleted the session with it */
	int adopted;			/* the kernel's, taken over (dp_adopt_begin) */
	LIST_ENTRY(dp_linux_sess) link;
};

struct dp_linux_tun {
	struct idmap *map;		/* session ID -> struct dp_linux_sess */
	LIST_HEAD(, dp_linux_sess) sessions;
	size_t nsessions;
	int adopted;			/* the kernel's, taken over (dp_adopt_begin) */
};

struct dp_linux {
	struct nl_l2tp *nl;		/* genl "l2tp" */
	struct nl_l2tp_sock *route;	/* rtnetlink for naming PPP units */
	struct rtnl_ctx *rt;		/* libnl-route: links, addresses, routes */
	struct idmap *pppoe;		/* PPPoE session ID -> struct dp_linux_pppoe */
	struct dp_linux_tun *tunnels[65536];
	/* While adopting: the kernel's L2TPv2 tunnels and sessions (tunnel
	 * << 16 | session, sorted) when dp_adopt_begin looked. */
	uint8_t *k_tunnels;		/* 65536 bits */
	uint32_t *k_sessions;
	size_t n_k_sessions;
};

static inline struct dp_linux *dp_linux_of(struct dp *dp)
{
	return dp->priv;
}

struct dp_linux_sess *dp_linux_sess(struct dp *dp, uint16_t tid, uint16_t sid);
int dp_linux_fail(struct dp *dp, int rc, const char *what, uint16_t tid, uint16_t sid,
		  const char *detail);

/* A unit's MRU, MTU, /32 pair, up, MSS group, in that order (dp_ppp_configure
 * on the interface ifindex whose unit is ch's): 0 or -errno, err says why. */
int dp_linux_link_configure(struct dp *dp, const struct ppp_chan *ch, int ifindex,
			    const struct dp_ppp_config *c, char *err, size_t errsz);

/* dp_linux_adopt.c: the hitless restart */
int dp_linux_held_list(struct dp *dp, struct dp_held **out, size_t *n);
int dp_linux_adopt_begin(struct dp *dp);
void dp_linux_adopt_end(struct dp *dp);
/* 1 if the kernel had the tunnel (session) when adopting began. */
int dp_linux_kernel_has(struct dp *dp, uint16_t tid, uint16_t sid);
/* Adopt the PPP plumbing handed over for s: 1 taken, 0 none handed over,
 * or a negative errno (nothing taken). */
int dp_linux_adopt_chan(struct dp *dp, struct dp_linux_sess *s, char *err, size_t errsz);
int dp_linux_adopt_unit(struct dp *dp, struct dp_linux_sess *s, const char *ifname, char *err,
			size_t errsz);

/* A PPPoE session the kernel holds for us (dp_linux_pppoe.c). */
struct dp_linux_pppoe {
	uint16_t sid;
	struct pppoe_chan ch;		/* ch.pc.unit_fd: terminated here */
	int ifindex;			/* its unit's interface; 0 */
	uint16_t tid, l2tp_sid;		/* the bridged L2TP session; 0 0: none */
	int adopted;			/* handed over by the process before */
};

/* A PPPoE session's socket and channel handed over (ch filled): 1 taken,
 * 0 none handed over, or a negative errno (nothing taken). */
int dp_linux_pppoe_adopt(struct dp *dp, uint16_t sid, struct pppoe_chan *ch, char *err,
			 size_t errsz);
/* The unit handed over for a PPPoE session terminated here (pe->ch.pc,
 * pe->ifindex filled): 1 taken, 0 none handed over, or a negative errno. */
int dp_linux_pppoe_adopt_unit(struct dp *dp, struct dp_linux_pppoe *pe, const char *ifname,
			      char *err, size_t errsz);
/* The PPPoE sessions' descriptors onto v (room for 3 each): how many. */
size_t dp_linux_pppoe_held(struct dp *dp, struct dp_held *v);

/* dp_linux_pppoe.c */
int dp_linux_pppoe_open(struct dp *dp, const struct dp_pppoe_params *p, int *chan_fd);
int dp_linux_pppoe_bridge(struct dp *dp, uint16_t pppoe_sid, const struct dp_ppp_params *l2tp);
int dp_linux_pppoe_close(struct dp *dp, uint16_t pppoe_sid);
int dp_linux_pppoe_unit_open(struct dp *dp, uint16_t pppoe_sid, const char *ifname,
			     struct dp_ppp *out);
int dp_linux_pppoe_configure(struct dp *dp, uint16_t pppoe_sid, const struct dp_ppp_config *c);
/* s's PPPoL2TP socket, a bridge's leg, is closing: the pair is no more. */
void dp_linux_bridge_gone(struct dp *dp, struct dp_linux_sess *s);
/* Close every PPPoE session (the backend goes). */
void dp_linux_pppoe_destroy(struct dp *dp);

#endif
