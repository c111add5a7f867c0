/*
 * PPPoE session sockets and channel bridging (see kernel_glue/pppoe_chan.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>		/* before the linux headers: libc-compat */
#include <linux/if_pppox.h>
#include <linux/ppp-ioctl.h>
#include "kernel_glue/pppoe_chan.h"

static void pppoe_chan_err(char *err, size_t errsz, const char *what, int rc)
{
	if (err != NULL && errsz > 0)
		snprintf(err, errsz, "%s: %s", what, strerror(-rc));
}

void pppoe_chan_init(struct pppoe_chan *c)
{
	ppp_chan_init(&c->pc);
	c->bridged = 0;
}

int pppoe_chan_index(int pppox_fd)
{
	int idx;

	if (ioctl(pppox_fd, PPPIOCGCHAN, &idx) < 0)
		return -errno;
	return idx;
}

int pppoe_chan_open(struct pppoe_chan *c, uint16_t sid, const uint8_t mac[6],
		    const char *ifname, char *err, size_t errsz)
{
	union {
		struct sockaddr_pppox px;	/* packed: reached through the union */
		struct sockaddr sa;
	} u;

	pppoe_chan_init(c);
	if (strlen(ifname) >= sizeof(u.px.sa_addr.pppoe.dev)) {
		pppoe_chan_err(err, errsz, "PPPoE interface name", -ENAMETOOLONG);
		return -ENAMETOOLONG;
	}
	memset(&u, 0, sizeof(u));
	u.px.sa_family = AF_PPPOX;
	u.px.sa_protocol = PX_PROTO_OE;
	u.px.sa_addr.pppoe.sid = htons(sid);
	memcpy(u.px.sa_addr.pppoe.remote, mac, 6);
	memcpy(u.px.sa_addr.pppoe.dev, ifname, strlen(ifname) + 1);
	return ppp_chan_attach(&c->pc, SOCK_STREAM, PX_PROTO_OE, &u.sa, sizeof(u.px), "PPPoE",
			       err, errsz);
}

int pppoe_chan_bridge(struct pppoe_chan *c, int peer_index, char *err, size_t errsz)
{
	int rc;

	if (c->pc.chan_fd < 0) {
		pppoe_chan_err(err, errsz, "PPPIOCBRIDGECHAN", -ENOTCONN);
		return -ENOTCONN;
	}
	if (c->pc.unit_fd >= 0) {	/* the kernel: EALREADY; say why */
		pppoe_chan_err(err, errsz, "PPPIOCBRIDGECHAN (the channel has a unit)",
			       -EALREADY);
		return -EALREADY;
	}
	if (ioctl(c->pc.chan_fd, PPPIOCBRIDGECHAN, &peer_index) < 0) {
		rc = -errno;
		if ((rc == -ENOTTY || rc == -EINVAL) && err != NULL && errsz > 0)
			snprintf(err, errsz, "PPPIOCBRIDGECHAN: %s (channel bridging needs "
				 "Linux 5.11 or later)", strerror(-rc));
		else
			pppoe_chan_err(err, errsz, "PPPIOCBRIDGECHAN", rc);
		return rc;
	}
	c->bridged = 1;
	return 0;
}

void pppoe_chan_close(struct pppoe_chan *c)
{
	if (c->bridged && c->pc.chan_fd >= 0)
		(void)ioctl(c->pc.chan_fd, PPPIOCUNBRIDGECHAN);	/* EINVAL: already undone */
	c->bridged = 0;
	ppp_chan_close(&c->pc);	/* unit (pppN), channel, socket */
}
