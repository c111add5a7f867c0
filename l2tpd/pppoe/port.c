/*
 * PF_PACKET access ports (pppoe/port.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <ev.h>

#include "core/log.h"
#include "kernel_glue/dp.h"
#include "l2tpd.h"
#include "pppoe/port.h"

#define PORT_BURST	64	/* frames read per wakeup: other sockets get their turn */
#define PORT_RCVBUF	(4 << 20)	/* a burst of discovery (subscribers coming back
					 * after an outage) waits here, not on the floor */

struct packet_port {
	struct l2tpd *d;
	int fd, ifindex;
	ev_io io;
	uint8_t buf[PPPOE_FRAME_MAX + 2 * PPPOE_VLAN_HLEN];
};

/* PPPoE: the EtherType at 12 (after any tag the kernel left in the data),
 * or at 16 under one tag, or at 20 under two. */
static struct sock_filter port_bpf[] = {
	/* 0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_DISC, 10, 0),
	/* 2 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_SESS, 9, 0),
	/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_8021Q, 1, 0),
	/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_8021AD, 0, 8),
	/* 5 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 16),
	/* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_DISC, 5, 0),
	/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_SESS, 4, 0),
	/* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_8021Q, 0, 4),
	/* 9 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 20),
	/* 10 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_DISC, 1, 0),
	/* 11 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_SESS, 0, 1),
	/* 12 */ BPF_STMT(BPF_RET | BPF_K, 0x40000),	/* accept */
	/* 13 */ BPF_STMT(BPF_RET | BPF_K, 0),		/* drop */
};

/* Discovery only: the session frames are the kernel's (a data path that
 * switches PPPoE sessions itself, kernel_glue/dp.h DP_CAP_BRIDGE). */
static struct sock_filter port_bpf_disc[] = {
	/* 0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_DISC, 7, 0),
	/* 2 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_8021Q, 1, 0),
	/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_8021AD, 0, 6),
	/* 4 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 16),
	/* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_DISC, 3, 0),
	/* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_8021Q, 0, 3),
	/* 7 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 20),
	/* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETH_P_DISC, 0, 1),
	/* 9 */ BPF_STMT(BPF_RET | BPF_K, 0x40000),	/* accept */
	/* 10 */ BPF_STMT(BPF_RET | BPF_K, 0),		/* drop */
};

/* Put back at 12 the tag the kernel took off into the auxiliary data. */
static int port_retag(struct msghdr *mh, uint8_t *f, size_t n)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		struct tpacket_auxdata aux;
		uint16_t tpid = PPPOE_ETH_P_8021Q;

		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof aux);
		if (!(aux.tp_status & TP_STATUS_VLAN_VALID) || n < 12)
			return 0;
		if (aux.tp_status & TP_STATUS_VLAN_TPID_VALID)
			tpid = aux.tp_vlan_tpid;
		memmove(f, f + PPPOE_VLAN_HLEN, 12);
		f[12] = (uint8_t)(tpid >> 8);
		f[13] = (uint8_t)tpid;
		f[14] = (uint8_t)(aux.tp_vlan_tci >> 8);
		f[15] = (uint8_t)aux.tp_vlan_tci;
		return 1;
	}
	return 0;
}

/* One frame into p->buf: its start in *frame, its length, or -errno. */
static ssize_t port_recv(struct packet_port *p, const uint8_t **frame)
{
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct iovec iov = { p->buf + PPPOE_VLAN_HLEN, sizeof p->buf - PPPOE_VLAN_HLEN };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &ctl,
			     .msg_controllen = sizeof ctl };
	ssize_t n = recvmsg(p->fd, &mh, MSG_DONTWAIT | MSG_TRUNC);

	if (n < 0)
		return -errno;
	if ((size_t)n > iov.iov_len)
		return -EMSGSIZE;
	if (port_retag(&mh, p->buf, (size_t)n)) {
		*frame = p->buf;
		return n + PPPOE_VLAN_HLEN;
	}
	*frame = p->buf + PPPOE_VLAN_HLEN;
	return n;
}

static void port_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct packet_port *p = w->data;

	(void)loop;
	(void)revents;
	for (int i = 0; i < PORT_BURST; i++) {
		const uint8_t *frame = NULL;
		ssize_t n = port_recv(p, &frame);

		if (n >= 0) {
			pppoe_access_input(p->d, p->ifindex, frame, (size_t)n);
			continue;
		}
		if (n == -EMSGSIZE)
			continue;	/* larger than any PPPoE frame: dropped */
		if (n != -EAGAIN)
			log_msg(&p->d->log, LOG_WARNING, "pppoe: reading port %d: %s", p->ifindex,
				strerror((int)-n));
		return;
	}
}

/* The interface's MAC. */
static int port_mac(int fd, const char *ifname, uint8_t mac[PPPOE_ETH_ALEN])
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, PPPOE_ETH_ALEN);
	return 0;
}

static int port_setup(struct packet_port *p, const char *ifname, uint8_t mac[PPPOE_ETH_ALEN])
{
	struct sock_fprog prog = { sizeof port_bpf / sizeof port_bpf[0], port_bpf };
	struct sock_fprog disc = { sizeof port_bpf_disc / sizeof port_bpf_disc[0], port_bpf_disc };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int one = 1, rcvbuf = PORT_RCVBUF, r;

	r = port_mac(p->fd, ifname, mac);
	if (r < 0)
		return r;
	/* more than net.core.rmem_max when we may (CAP_NET_ADMIN), else what it allows */
	if (setsockopt(p->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
		(void)setsockopt(p->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	if (dp_can(p->d->dp, DP_CAP_BRIDGE))
		prog = disc;	/* the kernel's pppoe takes the session frames */
	if (setsockopt(p->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0 ||
	    setsockopt(p->fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one) < 0)
		return -errno;
	sll.sll_ifindex = p->ifindex;
	if (bind(p->fd, (struct sockaddr *)&sll, sizeof sll) < 0)
		return -errno;
	return 0;
}

/* The hitless restart: the descriptor the process before read ifindex on. */
static int port_handed(void *arg, int ifindex)
{
	const struct pppoe_port_handed *h = arg;

	return h->take(h->arg, ifindex);
}

/* A port handed over is a packet socket bound to ifindex, filtered as
 * port_setup left it: taken as it is (rebinding would lose what it holds
 * unread). */
static int port_adopt(struct packet_port *p, const char *ifname, uint8_t mac[PPPOE_ETH_ALEN])
{
	struct sockaddr_ll sll;
	socklen_t len = sizeof sll;
	int type = 0;
	socklen_t tlen = sizeof type;

	memset(&sll, 0, sizeof sll);
	if (getsockname(p->fd, (struct sockaddr *)&sll, &len) < 0 ||
	    getsockopt(p->fd, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0)
		return -errno;
	if (sll.sll_family != AF_PACKET || type != SOCK_RAW || sll.sll_ifindex != p->ifindex)
		return -EBADF;
	if (fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK) < 0)
		return -errno;
	return port_mac(p->fd, ifname, mac);
}

static int port_open(void *arg, struct l2tpd *d, const char *ifname, int *ifindex,
		     uint8_t mac[PPPOE_ETH_ALEN], void **handle)
{
	struct packet_port *p = calloc(1, sizeof *p);
	int r;

	if (!p)
		return -ENOMEM;
	p->d = d;
	p->ifindex = (int)if_nametoindex(ifname);
	if (p->ifindex == 0) {
		r = -errno;
		free(p);
		return r;
	}
	p->fd = arg != NULL ? port_handed(arg, p->ifindex) : -1;
	if (p->fd >= 0) {
		r = port_adopt(p, ifname, mac);
	} else {
		p->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			       htons(ETH_P_ALL));
		r = p->fd < 0 ? -errno : port_setup(p, ifname, mac);
	}
	if (r < 0) {
		if (p->fd >= 0)
			close(p->fd);
		free(p);
		return r;
	}
	ev_io_init(&p->io, port_readable, p->fd, EV_READ);
	p->io.data = p;
	if (d->loop)
		ev_io_start(d->loop, &p->io);
	*ifindex = p->ifindex;
	*handle = p;
	return 0;
}

static int port_send(void *arg, void *handle, const uint8_t *frame, size_t len)
{
	struct packet_port *p = handle;
	uint8_t pad[60];

	(void)arg;
	if (len < sizeof pad) {	/* the minimum Ethernet frame, as a NIC pads it */
		memset(pad, 0, sizeof pad);
		memcpy(pad, frame, len);
		frame = pad;
		len = sizeof pad;
	}
	if (send(p->fd, frame, len, MSG_DONTWAIT) < 0)
		return -errno;
	return 0;
}

static void port_close(void *arg, void *handle)
{
	struct packet_port *p = handle;

	(void)arg;
	if (p->d->loop)
		ev_io_stop(p->d->loop, &p->io);
	close(p->fd);
	free(p);
}

static int port_fd(void *arg, void *handle)
{
	const struct packet_port *p = handle;

	(void)arg;
	return p->fd;
}

static void port_reading(void *arg, void *handle, int on)
{
	struct packet_port *p = handle;

	(void)arg;
	if (p->d->loop == NULL)
		return;
	if (on)
		ev_io_start(p->d->loop, &p->io);
	else
		ev_io_stop(p->d->loop, &p->io);
}

const struct pppoe_port_ops pppoe_port_packet_ops = {
	.open = port_open,
	.send = port_send,
	.close = port_close,
	.fd = port_fd,
	.reading = port_reading,
};
