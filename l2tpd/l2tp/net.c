/*
 * UDP sockets of the control plane: the listening socket and one socket
 * per tunnel.  Every datagram from any of them goes through
 * l2tp_net_input(), which dispatches by Tunnel ID, so a datagram that
 * lands on the "wrong" socket (before a connect, say) is still handled.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* recvmmsg */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "l2tpd.h"
#include "l2tp/guard.h"
#include "l2tp/msg.h"
#include "l2tp/net.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

#define NET_BATCH	64	/* datagrams read per wake-up and socket */
#define NET_RX_VEC	8	/* datagrams read per system call */
#define NET_LISTEN_RCVBUF	(4 << 20)	/* bytes: the listening socket's receive buffer */
#define NET_SHARED_RCVBUF	(1 << 20)	/* bytes: a socket bound to a shared port (l2tp_net_bind) */

/* fd's receive buffer at least bytes (the kernel doubles it); FORCE needs
 * CAP_NET_ADMIN, without it net.core.rmem_max caps it. */
static void l2tp_net_rcvbuf(int fd, int bytes)
{
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

/* A UDP socket of ours; reuse 0: without SO_REUSEADDR, for a bind to
 * port 0 (l2tp_net_bind() sets it once the port is chosen). */
static int l2tp_net_socket(int reuse)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	int one = 1;

	if (fd < 0)
		return -errno;
	/* SO_REUSEADDR, not SO_REUSEPORT: the kernel then delivers a peer's
	 * datagrams to the socket connected to it (kernel-api.md). */
	/* IP_FREEBIND: a standby taking over binds the virtual address
	 * before (or without) keepalived having put it on an interface. */
	if ((reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) ||
	    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one)) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	/* IP_TRANSPARENT (CAP_NET_ADMIN): the route lookup of connect() and
	 * send() accepts that source too, so a switchover can rebuild before
	 * VRRP has moved the address.  Without the capability FREEBIND alone
	 * still serves once the address is here. */
	(void)setsockopt(fd, IPPROTO_IP, IP_TRANSPARENT, &one, sizeof(one));
	return fd;
}

/* The local address a datagram was sent to (IP_PKTINFO), port ours. */
static void l2tp_net_dest(const struct l2tpd *d, struct msghdr *mh, struct sockaddr_in *to)
{
	struct cmsghdr *c;

	memset(to, 0, sizeof(*to));
	to->sin_family = AF_INET;
	to->sin_port = htons(d->cfg.port ? d->cfg.port : L2TP_PORT);
	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			to->sin_addr = pi.ipi_addr;
		}
	}
}

/*
 * Up to NET_BATCH datagrams, NET_RX_VEC a system call (recvmmsg): a burst
 * of control and PPP messages took a recvmsg each, and one more to find
 * the socket empty.  A short read means the socket was empty: no call
 * more.  0 if the socket may hold more, -1 when it is drained or failed.
 */
static int l2tp_net_read_vec(struct l2tpd *d, int fd)
{
	struct net_rx_slot {
		uint8_t buf[L2TP_MAX_MSG_LEN + 512];
		union {
			struct cmsghdr c;
			uint8_t b[CMSG_SPACE(sizeof(struct in_pktinfo))];
		} cbuf;
		struct sockaddr_in from;
		struct iovec iov;
	} slot[NET_RX_VEC];
	struct mmsghdr mm[NET_RX_VEC];
	int i, n;

	memset(mm, 0, sizeof(mm));
	for (i = 0; i < NET_RX_VEC; i++) {
		slot[i].iov.iov_base = slot[i].buf;
		slot[i].iov.iov_len = sizeof(slot[i].buf);
		mm[i].msg_hdr.msg_name = &slot[i].from;
		mm[i].msg_hdr.msg_namelen = sizeof(slot[i].from);
		mm[i].msg_hdr.msg_iov = &slot[i].iov;
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_control = slot[i].cbuf.b;
		mm[i].msg_hdr.msg_controllen = sizeof(slot[i].cbuf.b);
	}
	n = recvmmsg(fd, mm, NET_RX_VEC, MSG_DONTWAIT, NULL);
	if (n < 0) {
		/* ECONNREFUSED: an ICMP port unreachable from a peer that
		 * went away; the retransmission budget decides. */
		if (errno == ECONNREFUSED)
			log_debug(&d->log, LOG_DBG_ERROR, "net: peer port unreachable");
		else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			log_msg(&d->log, LOG_WARNING, "net: recvmmsg: %s", strerror(errno));
		return errno == ECONNREFUSED || errno == EINTR ? 0 : -1;
	}
	for (i = 0; i < n; i++) {
		struct sockaddr_in to;

		if (mm[i].msg_hdr.msg_namelen < sizeof(slot[i].from) ||
		    slot[i].from.sin_family != AF_INET)
			continue;
		l2tp_net_dest(d, &mm[i].msg_hdr, &to);
		d->stats.rx_packets++;
		l2tp_net_input(d, fd, slot[i].buf, mm[i].msg_len, &slot[i].from, &to);
	}
	/* A turn of many sockets' bursts is long: ha/ commits as it goes. */
	if (n > 0)
		l2tp_observer_rx_batch(d, (unsigned)n);
	return n == NET_RX_VEC ? 0 : -1;
}

static void l2tp_net_read(struct l2tpd *d, int fd)
{
	unsigned i;

	for (i = 0; i < NET_BATCH / NET_RX_VEC; i++)
		if (l2tp_net_read_vec(d, fd) < 0)
			return;
}

static void l2tp_net_listen_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct l2tpd *d = w->data;

	l2tp_net_read(d, w->fd);
}

struct net_io {
	ev_io io;
	struct l2tp_tunnel *t;
};

static void l2tp_net_tunnel_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct net_io *nio = (struct net_io *)w;

	l2tp_net_read(nio->t->d, w->fd);
}

int l2tp_net_listen(struct l2tpd *d, char *err, size_t errsz)
{
	struct sockaddr_in sa;
	int fd;

	fd = l2tp_net_socket(1);
	if (fd < 0) {
		snprintf(err, errsz, "socket: %s", strerror(-fd));
		return fd;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr = d->cfg.source_ip;
	if (sa.sin_addr.s_addr == 0)
		sa.sin_addr = d->cfg.red.vip;
	sa.sin_port = htons(d->cfg.port ? d->cfg.port : L2TP_PORT);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = -errno;

		snprintf(err, errsz, "bind %s:%u: %s", inet_ntoa(sa.sin_addr),
			 ntohs(sa.sin_port), strerror(errno));
		close(fd);
		return e;
	}
	/* A burst of SCCRQs (a LAC re-establishing a thousand tunnels) must
	 * not overflow the default buffer: each drop costs that tunnel the
	 * peer's 1 s retransmission.  FORCE needs CAP_NET_ADMIN; without it
	 * the kernel caps SO_RCVBUF at net.core.rmem_max. */
	l2tp_net_rcvbuf(fd, NET_LISTEN_RCVBUF);
	d->listen_fd = fd;
	ev_io_init(&d->listen_io, l2tp_net_listen_cb, fd, EV_READ);
	d->listen_io.data = d;
	ev_io_start(d->loop, &d->listen_io);
	log_msg(&d->log, LOG_INFO, "listening on %s:%u", inet_ntoa(sa.sin_addr), ntohs(sa.sin_port));
	return 0;
}

/* A datagram of t's the kernel refused at a flush: the tunnel's send
 * errors (`show l2tp tunnel`), as a refused direct send would be.  t is
 * alive: a tunnel's socket closes (l2tp_net_tunnel_close, before it is
 * freed) or changes (l2tp_net_tunnel_rebind) only after a flush. */
static void l2tp_net_refused(void *owner)
{
	struct l2tp_tunnel *t = owner;

	t->ctrl.stats.tx_errors++;
}

void l2tp_net_init(struct l2tpd *d)
{
	d->txq.refused = l2tp_net_refused;
}

void l2tp_net_flush(struct l2tpd *d)
{
	d->stats.tx_errors += l2tp_txq_flush(&d->txq);
}

void l2tp_net_close(struct l2tpd *d)
{
	l2tp_txq_fini(&d->txq);
	if (d->listen_fd >= 0) {
		ev_io_stop(d->loop, &d->listen_io);
		close(d->listen_fd);
		d->listen_fd = -1;
	}
}

/*
 * Bind fd (made by l2tp_net_socket(sa->sin_port != 0)) to sa.  Port 0: a
 * port no other socket holds.  Linux hands an ephemeral port out again to a
 * second socket when both carry SO_REUSEADDR; two tunnels on one 4-tuple
 * are not told apart (an LNS defers the second one's SCCRQ until the first
 * is up, a second of delay at every mass reconnect, and the kernel gives
 * one tunnel's data to the other).  So the port is chosen with
 * SO_REUSEADDR off (the socket was made without it: two system calls
 * fewer a LAC tunnel than turning it off) and it is set once bound: a
 * socket bound later to that very port (a restart, a takeover) still
 * shares it.  0 or a negative errno.
 *
 * A socket bound to a port we share (the LNS's tunnels on 1701 beside the
 * listening socket) and not yet connected is, for the kernel, the best
 * match for every datagram to that address and port that no connected
 * socket takes: the SCCCNs and ICRQs of every tunnel still half-open, new
 * SCCRQs.  If the daemon is preempted between bind() and connect() while a
 * LAC brings a thousand tunnels up, they pile up there (l2tp_net_input
 * still hands each one to its tunnel), and past the default receive buffer
 * (some 256 datagrams) the kernel drops them: each drop cost its tunnel
 * the peer's 1 s retransmission.  So such a socket gets a buffer that
 * holds a burst.
 */
int l2tp_net_bind(int fd, const struct sockaddr_in *sa)
{
	int one = 1;

	if (sa->sin_port != 0)
		l2tp_net_rcvbuf(fd, NET_SHARED_RCVBUF);
	if (bind(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0)
		return -errno;
	if (sa->sin_port == 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		return -errno;
	return 0;
}

int l2tp_net_socket_bound(struct sockaddr_in *sa)
{
	socklen_t sl = sizeof(*sa);
	int fd = l2tp_net_socket(sa->sin_port != 0), rc;

	if (fd < 0)
		return fd;
	rc = l2tp_net_bind(fd, sa);
	if (rc == 0 && sa->sin_port == 0 && getsockname(fd, (struct sockaddr *)sa, &sl) < 0)
		rc = -errno;
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

int l2tp_net_tunnel_open(struct l2tp_tunnel *t)
{
	struct l2tpd *d = t->d;
	struct net_io *nio;
	int fd, rc;

	if (d->no_sockets) {
		t->fd = -1;
		return 0;
	}
	fd = l2tp_net_socket(t->local.sin_port != 0);
	if (fd < 0)
		return fd;
	rc = l2tp_guard_fd(d, fd);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	rc = l2tp_net_bind(fd, &t->local);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	if (t->local.sin_port == 0) {
		/* An ephemeral port: the tunnel's (and its checkpoint's) own. */
		socklen_t sl = sizeof(t->local);

		if (getsockname(fd, (struct sockaddr *)&t->local, &sl) < 0) {
			rc = -errno;
			close(fd);
			return rc;
		}
	}
	if (t->lns) {
		if (connect(fd, (struct sockaddr *)&t->peer, sizeof(t->peer)) < 0) {
			rc = -errno;
			close(fd);
			return rc;
		}
		t->peer_connected = 1;
	}
	nio = calloc(1, sizeof(*nio));
	if (nio == NULL) {
		close(fd);
		return -ENOMEM;
	}
	nio->t = t;
	ev_io_init(&nio->io, l2tp_net_tunnel_cb, fd, EV_READ);
	ev_io_start(d->loop, &nio->io);
	t->io = nio;
	t->fd = fd;
	return 0;
}

int l2tp_net_tunnel_adopt(struct l2tp_tunnel *t, int fd)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	struct net_io *nio;
	int rc;

	if (t->d->no_sockets) {		/* tests: as l2tp_net_tunnel_open */
		t->fd = -1;
		return 0;
	}
	if (getsockname(fd, (struct sockaddr *)&sa, &sl) < 0)
		return -errno;
	if (sa.sin_family != AF_INET || sa.sin_port != t->local.sin_port)
		return -EINVAL;		/* not this tunnel's socket */
	rc = l2tp_guard_fd(t->d, fd);
	if (rc < 0)
		return rc;
	nio = calloc(1, sizeof(*nio));
	if (nio == NULL)
		return -ENOMEM;
	sl = sizeof(sa);
	t->peer_connected = getpeername(fd, (struct sockaddr *)&sa, &sl) == 0;
	nio->t = t;
	ev_io_init(&nio->io, l2tp_net_tunnel_cb, fd, EV_READ);
	ev_io_start(t->d->loop, &nio->io);
	t->io = nio;
	t->fd = fd;
	return 0;
}

int l2tp_net_listen_adopt(struct l2tpd *d, int fd)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &sl) < 0)
		return -errno;
	if (sa.sin_family != AF_INET)
		return -EINVAL;
	d->listen_fd = fd;
	ev_io_init(&d->listen_io, l2tp_net_listen_cb, fd, EV_READ);
	d->listen_io.data = d;
	ev_io_start(d->loop, &d->listen_io);
	log_msg(&d->log, LOG_INFO, "listening on %s:%u (handed over)", inet_ntoa(sa.sin_addr),
		ntohs(sa.sin_port));
	return 0;
}

void l2tp_net_reading(struct l2tpd *d, int on)
{
	struct l2tp_tunnel *t;

	l2tp_net_flush(d);	/* what this process queued leaves from it */
	if (d->listen_fd >= 0)
		(on ? ev_io_start : ev_io_stop)(d->loop, &d->listen_io);
	LIST_FOREACH(t, &d->tunnels, link) {
		struct net_io *nio = t->io;

		if (nio != NULL && !t->dead)
			(on ? ev_io_start : ev_io_stop)(d->loop, &nio->io);
	}
}

int l2tp_net_tunnel_rebind(struct l2tp_tunnel *t, uint16_t port)
{
	struct net_io *nio = t->io;
	struct sockaddr_in local = t->local;
	int fd, rc;

	if (t->fd < 0 || nio == NULL)
		return 0;
	fd = l2tp_net_socket(port != 0);
	if (fd < 0)
		return fd;
	rc = l2tp_guard_fd(t->d, fd);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	local.sin_port = port;
	rc = l2tp_net_bind(fd, &local);
	if (rc == 0 && t->peer_connected &&
	    connect(fd, (struct sockaddr *)&t->peer, sizeof(t->peer)) < 0)
		rc = -errno;
	if (rc < 0) {
		close(fd);
		return rc;
	}
	ev_io_stop(t->d->loop, &nio->io);
	l2tp_net_flush(t->d);	/* what was queued on it leaves first */
	close(t->fd);
	t->fd = fd;
	t->local = local;
	ev_io_set(&nio->io, fd, EV_READ);
	ev_io_start(t->d->loop, &nio->io);
	return 0;
}

int l2tp_net_tunnel_connect(struct l2tp_tunnel *t)
{
	if (t->fd < 0 || t->peer_connected)
		return 0;
	if (connect(t->fd, (struct sockaddr *)&t->peer, sizeof(t->peer)) < 0)
		return -errno;
	t->peer_connected = 1;
	return 0;
}

void l2tp_net_tunnel_stop(struct l2tp_tunnel *t)
{
	struct net_io *nio = t->io;

	if (nio != NULL)
		ev_io_stop(t->d->loop, &nio->io);
}

void l2tp_net_tunnel_close(struct l2tp_tunnel *t)
{
	struct net_io *nio = t->io;

	if (nio != NULL) {
		ev_io_stop(t->d->loop, &nio->io);
		free(nio);
		t->io = NULL;
	}
	if (t->fd >= 0) {
		l2tp_net_flush(t->d);	/* its last datagrams (a StopCCN's ZLB) */
		close(t->fd);
		t->fd = -1;
	}
}

/*
 * A half-open tunnel has no socket: its SCCRP (and StopCCN) leave from the
 * listening socket, from the address its SCCRQ was sent to.
 */
static int l2tp_net_xmit_listen(struct l2tp_tunnel *t, const uint8_t *buf, size_t len)
{
	union {
		struct cmsghdr c;
		uint8_t b[CMSG_SPACE(sizeof(struct in_pktinfo))];
	} cbuf;
	struct iovec iov = { (void *)buf, len };
	struct msghdr mh = {
		.msg_name = &t->peer, .msg_namelen = sizeof(t->peer),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	struct in_pktinfo pi;

	if (t->d->listen_fd < 0)
		return -EBADF;
	if (t->local.sin_addr.s_addr != INADDR_ANY) {
		struct cmsghdr *c;

		memset(&cbuf, 0, sizeof(cbuf));
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst = t->local.sin_addr;
		mh.msg_control = cbuf.b;
		mh.msg_controllen = sizeof(cbuf.b);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	if (sendmsg(t->d->listen_fd, &mh, 0) < 0)
		return -errno;
	return 0;
}

int l2tp_net_xmit(struct l2tp_tunnel *t, const uint8_t *buf, size_t len)
{
	if (t->fd < 0 && t->via_listen)
		return l2tp_net_xmit_listen(t, buf, len);
	if (t->fd < 0)
		return -EBADF;
	/* At the end of the loop turn, with the rest of the turn's datagrams
	 * on this socket (l2tp/txq.h). */
	return l2tp_txq_add_for(&t->d->txq, t, t->fd, t->peer_connected ? NULL : &t->peer, buf,
				len);
}

const char *l2tp_net_addr_str(struct in_addr a, char *buf)
{
	const uint8_t *b = (const uint8_t *)&a.s_addr;	/* network order */
	char *p = buf;
	unsigned i;

	for (i = 0; i < 4; i++) {
		unsigned v = b[i];

		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = i < 3 ? '.' : '\0';
	}
	return buf;
}

void l2tp_net_input(struct l2tpd *d, int fd, const uint8_t *buf, size_t len,
		    const struct sockaddr_in *from, const struct sockaddr_in *to)
{
	struct l2tp_hdr h;
	struct l2tp_tunnel *t;
	int rc;

	rc = l2tp_hdr_parse(buf, len, &h);
	if (rc == -EPROTONOSUPPORT) {
		/* §3.1: not L2TPv2 (L2F, L2TPv3): discard. */
		d->stats.rx_bad_version++;
		log_debug(&d->log, LOG_DBG_ERROR, "net: %s:%u: version %u message discarded",
			  inet_ntoa(from->sin_addr), ntohs(from->sin_port), buf[1] & 0x0f);
		return;
	}
	if (rc < 0) {
		d->stats.rx_bad++;
		log_debug(&d->log, LOG_DBG_ERROR, "net: %s:%u: malformed header (%zu bytes) dropped",
			  inet_ntoa(from->sin_addr), ntohs(from->sin_port), len);
		return;
	}
	if (!h.is_ctrl) {
		struct l2tp_session *s;

		/* Only the null data path sees data messages here: the kernel
		 * takes them once a tunnel is registered with it.  The PPP
		 * frame goes to the session's PPP in user space. */
		d->stats.rx_data++;
		t = d->tunnel_by_id[h.tunnel_id];
		if (t == NULL || t->dead || from->sin_addr.s_addr != t->peer.sin_addr.s_addr) {
			d->stats.rx_no_tunnel++;
			return;
		}
		t->stats.rx_data++;
		t->stats.rx_data_bytes += len;
		s = l2tp_session_find(t, h.session_id);
		if (s == NULL && t->sessions_pending) {
			/* Held until the rebuild reaches it, this tunnel
			 * first (l2tp_session_hold_data); else now. */
			if (l2tp_session_hold_data(t, h.session_id, buf, len, h.hdr_len) == 0)
				return;
			l2tp_session_complete(t);
			s = l2tp_session_find(t, h.session_id);
		}
		if (s == NULL) {
			d->stats.rx_data_no_session++;
			return;
		}
		if (h.hdr_len <= len)
			l2tp_ppp_data_input(s, buf + h.hdr_len, len - h.hdr_len);
		return;
	}
	if (h.tunnel_id == 0) {
		/* Before any state: the access list, the block list, the rates. */
		if (l2tp_guard_sccrq(d, from) != L2TP_GUARD_PASS)
			return;
		l2tp_tunnel_accept(d, fd, from, to, buf, len, &h);
		return;
	}
	t = d->tunnel_by_id[h.tunnel_id];
	if (t == NULL || t->dead) {
		d->stats.rx_no_tunnel++;
		log_debug(&d->log, LOG_DBG_ERROR, "net: %s:%u: message for unknown tunnel %u dropped",
			  inet_ntoa(from->sin_addr), ntohs(from->sin_port), h.tunnel_id);
		return;
	}
	if (from->sin_addr.s_addr != t->peer.sin_addr.s_addr ||
	    (t->peer_connected && from->sin_port != t->peer.sin_port)) {
		d->stats.rx_no_tunnel++;
		tunnel_debug(t, LOG_DBG_ERROR, "message from %s:%u, not the peer: dropped",
			     inet_ntoa(from->sin_addr), ntohs(from->sin_port));
		return;
	}
	l2tp_tunnel_input(t, fd, from, buf, len, &h);
}
