/*
 * The subscribers' Router Solicitations and DHCPv6 under the linux data
 * path (see l2tp/ppp.h): IPv6 goes to the kernel's pppN, so one packet
 * socket filtered to ICMPv6 RS and UDP port 547 on PPP interfaces
 * (kernel_glue/v6rx.h) reads them for every pppN at once; each goes to the
 * link whose pppN has the packet's interface index, as the null path's
 * PPP frames do (l2tp_ppp_ipv6_input).  The links are found by a hash of
 * the interface index (d->v6_by_ifindex): a packet costs the same with
 * 10 sessions as with 10,000.  What the socket read and dropped is
 * counted (d->v6rx), the kernel's own count of packets it dropped for a
 * full queue (PACKET_STATISTICS) summed in at each show.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "l2tpd.h"
#include "ipv6/pkt.h"
#include "kernel_glue/v6rx.h"
#include "l2tp/ppp.h"
#include "l2tp/ppp_int.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

#define V6RX_BUDGET	64	/* packets read per loop turn */
#define V6RX_BUF	1500

static unsigned v6rx_bucket(int ifindex)
{
	uint32_t h = (uint32_t)ifindex * 2654435761u;	/* Knuth's multiplicative hash */

	return (h >> 16) % L2TP_V6_IFINDEX_BUCKETS;
}

void l2tp_ppp_ipv6_index(struct l2tpd *d, struct l2tp_ppp_link *pl)
{
	if (pl->v6_ifindex != 0 || !pl->dp_open || pl->dpp.ifindex <= 0)
		return;
	pl->v6_ifindex = pl->dpp.ifindex;
	LIST_INSERT_HEAD(&d->v6_by_ifindex[v6rx_bucket(pl->v6_ifindex)], pl, v6_link);
	d->v6_indexed++;
}

void l2tp_ppp_ipv6_unindex(struct l2tpd *d, struct l2tp_ppp_link *pl)
{
	if (pl->v6_ifindex == 0)
		return;
	LIST_REMOVE(pl, v6_link);
	pl->v6_ifindex = 0;
	d->v6_indexed--;
}

struct l2tp_ppp_link *l2tp_ppp_ipv6_by_ifindex(struct l2tpd *d, int ifindex)
{
	struct l2tp_ppp_link *pl;

	if (ifindex <= 0)
		return NULL;
	LIST_FOREACH(pl, &d->v6_by_ifindex[v6rx_bucket(ifindex)], v6_link)
		if (pl->v6_ifindex == ifindex)
			return pl;
	return NULL;
}

/* One packet read: to its link, or counted as dropped. */
static void v6rx_deliver(struct l2tpd *d, const uint8_t *buf, size_t n, int ifindex)
{
	struct l2tp_ppp_link *pl;

	d->v6rx.packets++;
	if (n < IPV6_HDR_LEN || (buf[0] >> 4) != 6) {
		d->v6rx.malformed++;
		return;
	}
	pl = l2tp_ppp_ipv6_by_ifindex(d, ifindex);
	if (pl == NULL) {
		d->v6rx.no_session++;
		return;
	}
	l2tp_ppp_ipv6_input(pl, buf, n);
}

static void v6rx_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct l2tpd *d = w->data;
	uint8_t buf[V6RX_BUF];

	(void)loop;
	(void)revents;
	for (int i = 0; i < V6RX_BUDGET; i++) {
		int ifindex = 0;
		ssize_t n = v6rx_recv(d->v6rx_fd, buf, sizeof(buf), &ifindex);

		if (n == -ENOMSG) {
			d->v6rx.outgoing++;
			continue;
		}
		if (n == -EAGAIN || n == -EWOULDBLOCK || n == -EINTR)
			return;	/* nothing more this turn */
		if (n < 0) {
			d->v6rx.read_errors++;
			return;
		}
		v6rx_deliver(d, buf, (size_t)n, ifindex);
	}
}

void l2tp_ppp_ipv6_rx_counters(struct l2tpd *d)
{
	uint64_t packets = 0, drops = 0;

	if (d->v6rx_fd < 0 || v6rx_kernel_stats(d->v6rx_fd, &packets, &drops) < 0)
		return;
	d->v6rx.kernel_packets += packets;
	d->v6rx.kernel_drops += drops;
}

int l2tp_ppp_ipv6_rx_start(struct l2tpd *d)
{
	char err[128];
	int fd;

	if (d->v6rx_fd >= 0 || d->loop == NULL)
		return 0;
	fd = v6rx_open(err, sizeof(err));
	if (fd < 0) {
		log_msg(&d->log, LOG_WARNING, "%s: Router Solicitations and DHCPv6 on pppN go "
			"unanswered", err);
		return fd;
	}
	d->v6rx_fd = fd;
	ev_io_init(&d->v6rx_io, v6rx_cb, fd, EV_READ);
	d->v6rx_io.data = d;
	ev_io_start(d->loop, &d->v6rx_io);
	return 0;
}

void l2tp_ppp_ipv6_rx_stop(struct l2tpd *d)
{
	if (d->v6rx_fd < 0)
		return;
	if (d->loop != NULL)
		ev_io_stop(d->loop, &d->v6rx_io);
	close(d->v6rx_fd);
	d->v6rx_fd = -1;
}
