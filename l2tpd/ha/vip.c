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
 *
 * The other way round, a switchover (`redundancy switchover`) must make
 * keepalived move the address, which with `nopreempt` no priority change
 * does.  keepalived tracks a file (track_file, weight 0: a non-zero value
 * is a fault); `vrrp fault-file` names it.  The old active writes 1 there
 * once it has handed the state over, its VRRP instance goes to FAULT and
 * releases the address, the other box becomes master; once the address
 * has left this box, the notify script has said fault and the new active
 * has reached this box over the checkpoint link (or HA_FAULT_HOLD_MS after
 * the switchover, whatever happened) the file says 0 again, keepalived
 * makes this box backup, and it follows the new active as its standby.
 * Clearing the fault earlier could leave the address where it was
 * (keepalived reads the file when inotify says it changed, and may read
 * only the last value), or let the script's backup overtake its fault:
 * keepalived starts each script without waiting for the one before.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
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

	if (d->cfg.red.vip.s_addr == 0 || a.s_addr != d->cfg.red.vip.s_addr)
		return;
	if (!added) {
		if (h->vrrp_fault) {
			h->vrrp_fault_released = 1;
			ha_vrrp_fault_progress(d);
		}
		return;
	}
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

/* Writes "1" or "0" to the fault file: 0, or a negative errno (logged). */
static int ha_fault_file_write(struct l2tpd *d, int fault)
{
	const char *path = d->cfg.red.fault_file;
	const char *v = fault ? "1\n" : "0\n";
	int fd, e = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, v, 2) != 2)
		e = errno;
	if (fd >= 0 && close(fd) < 0 && e == 0)
		e = errno;
	if (e != 0) {
		log_msg(&d->log, LOG_ERR, "redundancy: cannot write %s to the VRRP fault file %s: %s",
			v[0] == '1' ? "1" : "0", path, strerror(e));
		return -e;
	}
	return 0;
}

static void ha_fault_hold_expired(struct l2tp_timer *tm, void *arg)
{
	struct l2tpd *d = arg;

	(void)tm;
	log_msg(&d->log, LOG_WARNING, "redundancy: no new active reached this box within %u ms "
		"of the switchover: VRRP fault cleared all the same", HA_FAULT_HOLD_MS);
	ha_vrrp_fault_clear(d);
}

int ha_vrrp_fault_set(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;
	int rc;

	if (d->cfg.red.fault_file[0] == '\0')
		return 0;
	if (h->vrrp_fault)
		clock_timer_stop(&d->clk, &h->fault_hold);	/* restarted below */
	h->vrrp_fault = 0;
	rc = ha_fault_file_write(d, 1);
	if (rc < 0)
		return rc;
	h->vrrp_fault = 1;
	h->vrrp_fault_released = 0;
	h->vrrp_fault_notified = 0;
	h->active_up = 0;	/* the new active has yet to reach this box */
	clock_timer_init(&h->fault_hold, ha_fault_hold_expired, d);
	clock_timer_start(&d->clk, &h->fault_hold, HA_FAULT_HOLD_MS);
	log_msg(&d->log, LOG_NOTICE, "redundancy: VRRP fault set in %s: keepalived moves the "
		"address to the new active", d->cfg.red.fault_file);
	return 1;
}

void ha_vrrp_fault_clear(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;

	if (!h->vrrp_fault)
		return;
	h->vrrp_fault = 0;
	clock_timer_stop(&d->clk, &h->fault_hold);
	if (ha_fault_file_write(d, 0) == 0)
		log_msg(&d->log, LOG_NOTICE, "redundancy: VRRP fault cleared in %s: this box "
			"goes back to backup", d->cfg.red.fault_file);
}

void ha_vrrp_fault_progress(struct l2tpd *d)
{
	struct l2tpd_ha *h = &d->ha;

	if (h->vrrp_fault && h->vrrp_fault_released && h->vrrp_fault_notified && h->active_up)
		ha_vrrp_fault_clear(d);
}

void ha_vrrp_fault_init(struct l2tpd *d)
{
	/* A fault a killed daemon left behind would keep the box out of
	 * every election. */
	if (d->cfg.red.fault_file[0] != '\0')
		ha_fault_file_write(d, 0);
}
