/*
 * The subscribers' Router Solicitations and DHCPv6 under the linux data
 * path (see l2tp/ppp.h): IPv6 goes to the kernel's pppN, so one packet
 * socket filtered to ICMPv6 RS and UDP port 547 on PPP interfaces
 * (kernel_glue/v6rx.h) reads them for every pppN at once; each goes to the
 * session whose unit has the packet's interface index, as the null path's
 * PPP frames do (l2tp_ppp_ipv6_input).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "l2tpd.h"
#include "kernel_glue/v6rx.h"
#include "l2tp/ppp.h"
#include "l2tp/ppp_int.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

#define V6RX_BUDGET	64	/* packets read per loop turn */
#define V6RX_BUF	1500

/* The LNS link whose pppN has this index, or NULL. */
static struct l2tp_ppp_link *v6rx_link(struct l2tpd *d, int ifindex)
{
	struct l2tp_tunnel *t;
	struct l2tp_session *s;

	LIST_FOREACH(t, &d->tunnels, link) {
		LIST_FOREACH(s, &t->session_list, link) {
			struct l2tp_ppp_link *pl = s->ppp_link;

			if (pl != NULL && s->lns && pl->dp_open && pl->dpp.ifindex == ifindex)
				return pl;
		}
	}
	return NULL;
}

static void v6rx_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct l2tpd *d = w->data;
	uint8_t buf[V6RX_BUF];

	(void)loop;
	(void)revents;
	for (int i = 0; i < V6RX_BUDGET; i++) {
		struct l2tp_ppp_link *pl;
		int ifindex = 0;
		ssize_t n = v6rx_recv(d->v6rx_fd, buf, sizeof(buf), &ifindex);

		if (n == -ENOMSG)
			continue;
		if (n < 0)
			return;	/* -EAGAIN: nothing more this turn */
		d->v6rx_packets++;
		pl = v6rx_link(d, ifindex);
		if (pl == NULL) {
			d->v6rx_no_session++;
			continue;
		}
		l2tp_ppp_ipv6_input(pl, buf, (size_t)n);
	}
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
