/*
 * PPP over the kernel's L2TP sessions: the PPPoL2TP socket, the PPP channel
 * and unit behind /dev/ppp, and the frames read from and written to them
 * (kernel-api.md, steps 3 to 6 and tear-down).
 *
 * A session's PPP plumbing, in the order it is made:
 *   pppox_fd  socket(AF_PPPOX, SOCK_DGRAM, PX_PROTO_OL2TP) connected to the
 *             kernel session; closing it deletes the session.
 *   chan_fd   /dev/ppp attached to the socket's channel (PPPIOCATTCHAN):
 *             LCP, PAP, CHAP (protocol >= 0xc000) are read and written here.
 *   unit_fd   /dev/ppp owning the unit pppN (PPPIOCNEWUNIT or RTM_NEWLINK
 *             kind "ppp"), the channel connected to it (PPPIOCCONNECT):
 *             IPCP, IPv6CP, CCP here; IP on the netdev.  Closing it removes
 *             pppN with its addresses and routes.
 * Every fd is non-blocking and close-on-exec.  Functions return 0 or a
 * negative errno, and a failed call leaves nothing half-made.
 */
#ifndef PPP_CHAN_H
#define PPP_CHAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>		/* before the linux headers: libc-compat */
#include <linux/if_pppox.h>

struct nl_l2tp_sock;

#define PPP_CHAN_IFNAMSIZ	16

struct ppp_chan_addr {
	uint16_t tunnel_id, session_id;		/* ours: incoming packets */
	uint16_t peer_tunnel_id, peer_session_id;	/* the peer's: outgoing */
	uint32_t peer_addr;			/* IPv4, network byte order */
	uint16_t peer_port;			/* network byte order */
};

struct ppp_chan {
	int pppox_fd, chan_fd, unit_fd;
	int chan_index;				/* PPPIOCGCHAN */
	int unit;				/* N of pppN; -1 without a unit */
	char ifname[PPP_CHAN_IFNAMSIZ];
};

/* Every fd -1, no unit. */
void ppp_chan_init(struct ppp_chan *c);

/*
 * The exact IPv4 L2TPv2 address (the kernel tells v2 from v3 and IPv4 from
 * IPv6 by its length): pid 0, fd -1 (the tunnel already exists).
 */
void ppp_chan_sockaddr(struct sockaddr_pppol2tp *sa, const struct ppp_chan_addr *a);

/*
 * A PPPoX socket of this type (SOCK_CLOEXEC added) and protocol connected
 * to sa, then its channel attached to a /dev/ppp fd: socket, connect,
 * PPPIOCGCHAN, /dev/ppp + PPPIOCATTCHAN.  name ("PPPoL2TP", "PPPoE") names
 * the socket in err.  The same for every PPPoX protocol: c's unit, frames
 * and close work alike on all of them.
 */
int ppp_chan_attach(struct ppp_chan *c, int type, int proto, const struct sockaddr *sa,
		    socklen_t salen, const char *name, char *err, size_t errsz);
/* ppp_chan_attach of a PPPoL2TP socket (non-blocking) connected to a. */
int ppp_chan_open(struct ppp_chan *c, const struct ppp_chan_addr *a, char *err, size_t errsz);
/* Only the connected PPPoL2TP socket (blocking, close-on-exec): its fd or -errno. */
int ppp_chan_socket_open(const struct ppp_chan_addr *a, char *err, size_t errsz);

/*
 * RTM_NEWLINK kind "ppp" naming the unit that /dev/ppp fd `fd` will own:
 * the request's length, or -EMSGSIZE / -EINVAL (empty or too long a name).
 */
int ppp_chan_newlink_build(void *buf, size_t size, uint32_t seq, const char *ifname, int fd);

/*
 * A unit's interface configured through rtnetlink by hand-built requests
 * (every PPP session sets its unit up: libnl-route's objects would cost
 * allocations and code touched for each).  RTM_NEWLINK on ifindex: the
 * MTU (0: unchanged) and IFF_UP set (up > 0), cleared (up == 0) or
 * unchanged (up < 0); RTM_NEWADDR (create, exclusive): local with peer
 * (network byte order), /32, scope global.  The builders return the
 * request's length, or -EINVAL / -EMSGSIZE; the senders 0 or -errno (an
 * existing address: -EEXIST), said in err.
 */
int ppp_chan_setlink_build(void *buf, size_t size, uint32_t seq, int ifindex, unsigned int mtu,
			   int up);
int ppp_chan_addr4_build(void *buf, size_t size, uint32_t seq, int ifindex, uint32_t local,
			 uint32_t peer);
int ppp_chan_link_set(struct nl_l2tp_sock *route, int ifindex, unsigned int mtu, int up,
		      char *err, size_t errsz);
int ppp_chan_addr4_add(struct nl_l2tp_sock *route, int ifindex, uint32_t local, uint32_t peer,
		       char *err, size_t errsz);

/* The interface index of a unit named ifname (SIOCGIFINDEX, not an
 * rtnetlink dump parsed by libnl-route: every PPP session asks), or
 * -EINVAL, -ENODEV (no such interface), -errno; said in err. */
int ppp_chan_ifindex(const char *ifname, char *err, size_t errsz);

/* "ppp17" -> 17; -1 for any other name. */
int ppp_chan_name_unit(const char *ifname);

/*
 * Create the unit and connect the channel to it.  ifname NULL or "": the
 * kernel picks pppN.  A name is asked of rtnetlink through `route` (a
 * NETLINK_ROUTE socket); if the kernel lacks RTM_NEWLINK for ppp, or route
 * is NULL, a name "pppN" falls back to PPPIOCNEWUNIT with unit N.
 */
int ppp_chan_unit_open(struct ppp_chan *c, const char *ifname, struct nl_l2tp_sock *route,
		       char *err, size_t errsz);
/* PPPIOCSMRU on the unit. */
int ppp_chan_set_mru(const struct ppp_chan *c, int mru);

/*
 * One frame, which begins with its 2-byte protocol (a 1-byte compressed one
 * is accepted).  buf receives the payload after the protocol; size must
 * hold the whole frame (a larger frame is dropped by the kernel:
 * -EOVERFLOW).  Returns the payload length, -EAGAIN when nothing is
 * queued, -EPIPE when the channel or unit has gone, -EBADMSG for a frame
 * too short to hold a protocol.
 */
ssize_t ppp_chan_read(int fd, uint16_t *proto, uint8_t *buf, size_t size);
/* One frame in one write(): -EAGAIN when the queue is full. */
int ppp_chan_write(int fd, uint16_t proto, const uint8_t *payload, size_t len);
/* The fd that carries proto: the channel for >= 0xc000, else the unit. */
int ppp_chan_fd_for(const struct ppp_chan *c, uint16_t proto);

/* Close the unit only (pppN goes; the channel and session stay). */
void ppp_chan_unit_close(struct ppp_chan *c);
/* Close this process's fds and undo nothing: another process holds the
 * same channel, unit and socket (the hitless restart), which stay. */
void ppp_chan_forget(struct ppp_chan *c);
/* Disconnect, then close unit, channel, socket (the session goes last). */
void ppp_chan_close(struct ppp_chan *c);

#endif
