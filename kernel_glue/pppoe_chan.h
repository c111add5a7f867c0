/*
 * PPPoE sessions in the kernel and their switching into L2TP sessions
 * (kernel-api.md, "LAC: PPPoE -> L2TP switching"):
 *   sock_fd   socket(AF_PPPOX, SOCK_STREAM, PX_PROTO_OE) connected to the
 *             session {ID, the subscriber's MAC, the access interface};
 *             from then on the kernel's pppoe module takes the session's
 *             frames (ETH_P_PPP_SES) off that interface.
 *   chan_fd   /dev/ppp attached to the socket's channel (PPPIOCATTCHAN):
 *             every frame of the session arrives here (no unit is ever
 *             connected) until the channel is bridged, and frames written
 *             here go to the subscriber.
 *   unit      or, for a session terminated here, a unit pppN connected to
 *             the channel (ppp_chan_unit_open on c->pc): LCP and
 *             authentication stay on chan_fd, IPCP/IPv6CP come on the
 *             unit's fd, IP on pppN.  A channel has a unit or a bridge,
 *             never both.
 *   bridge    PPPIOCBRIDGECHAN on chan_fd with the channel index of a
 *             PPPoL2TP socket (Linux >= 5.11): the kernel passes frames
 *             between the two channels; neither fd sees them any more.
 * The socket, channel and unit are a struct ppp_chan opened by
 * ppp_chan_attach, as a PPPoL2TP session's are (ppp_chan.h).
 * Every fd is close-on-exec; chan_fd is non-blocking.  Functions return 0
 * or a negative errno, and a failed call leaves nothing half-made.
 */
#ifndef PPPOE_CHAN_H
#define PPPOE_CHAN_H

#include <stddef.h>
#include <stdint.h>
#include "kernel_glue/ppp_chan.h"

struct pppoe_chan {
	struct ppp_chan pc;		/* pppox_fd: the PPPoE socket; chan_fd, chan_index;
					 * unit_fd when terminated here */
	int bridged;			/* PPPIOCBRIDGECHAN done */
};

/* Every fd -1, not bridged. */
void pppoe_chan_init(struct pppoe_chan *c);
/* Socket, connect to {sid (host order), mac, ifname}, PPPIOCGCHAN, /dev/ppp
 * + PPPIOCATTCHAN. */
int pppoe_chan_open(struct pppoe_chan *c, uint16_t sid, const uint8_t mac[6],
		    const char *ifname, char *err, size_t errsz);
/*
 * Bridge c's channel to the channel `peer_index` (PPPIOCGCHAN of another
 * PPPoX socket).  -ENOTTY or -EINVAL from a kernel older than 5.11 (no
 * PPPIOCBRIDGECHAN): err says so.
 */
int pppoe_chan_bridge(struct pppoe_chan *c, int peer_index, char *err, size_t errsz);
/* The channel index of a connected PPPoX socket (PPPIOCGCHAN), or -errno. */
int pppoe_chan_index(int pppox_fd);
/* PPPIOCUNBRIDGECHAN if bridged (the kernel may have undone it already: a
 * PADT or the other channel's end), then close the unit (pppN goes),
 * chan_fd and the socket. */
void pppoe_chan_close(struct pppoe_chan *c);

#endif
