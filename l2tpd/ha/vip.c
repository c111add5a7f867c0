/*
 * The virtual address as the trigger of a takeover.  keepalived, when it
 * makes this box master, adds the VRRP address to the interface and sends
 * its gratuitous ARPs first, then runs the notify script, which starts a
 * shell, which starts l2tpctl, which tells the daemon `redundancy state
 * master`.  Those processes cost tens of milliseconds on an idle box and
 * far more on a loaded one, while the peers' packets already arrive here.
 * So a standby watches its addresses (rtnetlink) and takes over the
 * moment the `virtual-address` of its redundancy block appears: the
 * notify script's master then finds it active and changes nothing.
 * Becoming backup or fault still comes only from the notify script (an
 * address that goes away proves nothing about the other box).
 */
#include <errno.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <unistd.h>

#include "l2tpd.h"
#include "ha/ha.h"
#include "ha/ha_int.h"
#include "core/log.h"
#include "kernel_glue/addr_watch.h"

void ha_vip_event(void *arg, int added, int ifindex, struct in_addr a)
{
	struct l2tpd *d = arg;
	struct l2tpd_ha *h = &d->ha;
	char s[INET_ADDRSTRLEN];

	if (!added || d->cfg.red.vip.s_addr == 0 || a.s_addr != d->cfg.red.vip.s_addr)
		return;
	inet_ntop(AF_INET, &a, s, sizeof(s));
	if (h->role != HA_ROLE_STANDBY) {
		log_debug(&d->log, LOG_DBG_HA_RF, "redundancy: the virtual address %s appeared "
			  "(interface %d); role %s: nothing to do", s, ifindex,
			  ha_role_string(h->role));
		return;
	}
	log_msg(&d->log, LOG_NOTICE, "redundancy: the virtual address %s appeared on "
		"interface %d: keepalived made this box master; taking over before its "
		"notify script says so", s, ifindex);
	h->stats.vip_takeovers++;
	ha_takeover(d, "virtual address");
}

static void ha_vip_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct l2tpd *d = w->data;
	char err[160];
	int rc;

	(void)loop;
	(void)revents;
	rc = addr_watch_read(w->fd, ha_vip_event, d, err, sizeof(err));
	if (rc < 0)
		/* -ENOBUFS: announcements lost under a flood of address
		 * changes; the notify script still comes. */
		log_msg(&d->log, LOG_WARNING, "redundancy: %s (the notify script decides)", err);
}

void ha_vip_start(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;
	char err[160];
	int fd;

	h->vip_fd = -1;
	if (d->cfg.red.vip.s_addr == 0 || d->loop == NULL)
		return;
	fd = addr_watch_open(err, sizeof(err));
	if (fd < 0) {
		log_msg(&d->log, LOG_WARNING, "redundancy: %s: the takeover waits for the "
			"notify script", err);
		return;
	}
	h->vip_fd = fd;
	ev_io_init(&h->vip_watcher, ha_vip_cb, fd, EV_READ);
	h->vip_watcher.data = d;
	ev_io_start(d->loop, &h->vip_watcher);
}

void ha_vip_stop(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;

	if (h->vip_fd < 0)
		return;
	ev_io_stop(d->loop, &h->vip_watcher);
	close(h->vip_fd);
	h->vip_fd = -1;
}
