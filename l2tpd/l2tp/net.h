/*
 * UDP sockets: the listening socket (port 1701 by default) and one socket
 * per tunnel, connected to the peer once its address is known.
 */
#ifndef L2TP_NET_H
#define L2TP_NET_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct l2tpd;
struct l2tp_tunnel;

int l2tp_net_listen(struct l2tpd *d, char *err, size_t errsz);
void l2tp_net_close(struct l2tpd *d);
/* l2tpd_init: the send queue tells a tunnel of its datagrams the kernel
 * refused (its send errors). */
void l2tp_net_init(struct l2tpd *d);
/* Send the datagrams queued in this loop turn (l2tp/txq.h): at the end of
 * every turn, and before a socket of ours is closed or handed over. */
void l2tp_net_flush(struct l2tpd *d);
/*
 * Give tunnel t its own socket.  LNS: bound to the local address and port
 * the SCCRQ arrived on (SO_REUSEADDR) and connected to the peer.  LAC:
 * bound to an ephemeral port, connected once the peer answers.
 */
int l2tp_net_tunnel_open(struct l2tp_tunnel *t);
/* Bind a socket of ours to sa; port 0 takes a port no other socket holds
 * (SO_REUSEADDR would let Linux hand one out twice: a socket for port 0
 * is made without it, and it is set once bound).  0 or a negative errno. */
int l2tp_net_bind(int fd, const struct sockaddr_in *sa);
/* A UDP socket of ours bound to sa (an ephemeral port: written back to
 * sa), or a negative errno. */
int l2tp_net_socket_bound(struct sockaddr_in *sa);
/* The hitless restart: the process before's sockets, taken as they are
 * (bound, connected or not, what they hold unread).  0 or a negative errno
 * (fd is then the caller's to close). */
int l2tp_net_tunnel_adopt(struct l2tp_tunnel *t, int fd);
int l2tp_net_listen_adopt(struct l2tpd *d, int fd);
/* ... and in the process before: stop reading every socket (on 0), or
 * read them again (on 1: the restart failed). */
void l2tp_net_reading(struct l2tpd *d, int on);
int l2tp_net_tunnel_connect(struct l2tp_tunnel *t);
/* Move the tunnel to a new socket on its local address and this port
 * (network order), connected as the old one was.  0 or a negative errno
 * (the old socket then stays). */
int l2tp_net_tunnel_rebind(struct l2tp_tunnel *t, uint16_t port);
/* Stop watching the socket (the tunnel is dying); close it later. */
void l2tp_net_tunnel_stop(struct l2tp_tunnel *t);
void l2tp_net_tunnel_close(struct l2tp_tunnel *t);
/* The default d->xmit: send on the tunnel's socket. */
int l2tp_net_xmit(struct l2tp_tunnel *t, const uint8_t *buf, size_t len);
/* a as dotted quad in buf (INET_ADDRSTRLEN bytes), returned: what
 * inet_ntoa() gives, without its snprintf (some 1,700 instructions, on
 * the log lines of every tunnel set up) nor its static buffer. */
const char *l2tp_net_addr_str(struct in_addr a, char *buf);
/* One datagram from any of our sockets. */
void l2tp_net_input(struct l2tpd *d, int fd, const uint8_t *buf, size_t len,
		    const struct sockaddr_in *from, const struct sockaddr_in *to);

#endif
