/*
 * The access side in the daemon (pppoe/access.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "core/log.h"
#include "core/rand.h"
#include "l2tpd.h"
#include "l2tp/mss.h"
#include "pppoe/access.h"

static int port_send(void *arg, struct pppoe_if *ifp, const uint8_t *frame, size_t len)
{
	struct pppoe_access *a = arg;
	struct pppoe_port *p = ifp->io;

	if (a->silent) {
		a->tx_silenced++;
		return -ENETDOWN;
	}
	return a->pops->send(a->parg, p->handle, frame, len);
}

static void session_up(void *arg, struct pppoe_session *s)
{
	struct pppoe_access *a = arg;
	char mac[18];

	pppoe_mac_fmt(mac, sizeof mac, s->mac);
	log_debug(&a->d->log, LOG_DBG_PPPOE_EVENT, "pppoe session %u: up on %s for %s", s->id,
		  s->ifp->name, mac);
	if (pppoe_lac_start(a, s) < 0) {
		/* no PPP (the kernel would not take the session, no memory):
		 * counted, and the subscriber told at once (PADT, RFC 2516
		 * §5.5) instead of waiting on a session that cannot carry
		 * anything; the last thing on_padr does, so s may go */
		a->ppp_start_failed++;
		pppoe_session_close(a->ac, s, PPPOE_END_LOCAL);
	}
}

static void session_rx(void *arg, struct pppoe_session *s, const uint8_t *ppp, size_t len)
{
	struct pppoe_access *a = arg;

	pppoe_lac_input(a, s, ppp, len);
}

void pppoe_access_set_observer(struct l2tpd *d, const struct pppoe_observer_ops *ops, void *arg)
{
	d->pppoe_obs = ops;
	d->pppoe_obs_arg = arg;
}

void pppoe_access_changed(struct pppoe_access *a, const struct pppoe_session *s)
{
	if (a->d->pppoe_obs != NULL)
		a->d->pppoe_obs->relayed(a->d->pppoe_obs_arg, s);
}

static void session_down(void *arg, struct pppoe_session *s, enum pppoe_end why)
{
	struct pppoe_access *a = arg;
	struct pppoe_lac_info li;

	if (a->d->pppoe_obs != NULL && pppoe_lac_info(s, &li) == 0 &&
	    (li.state == PPPOE_LAC_RELAYING || li.state == PPPOE_LAC_BRIDGED ||
	     li.state == PPPOE_LAC_LOCAL_UP))
		a->d->pppoe_obs->gone(a->d->pppoe_obs_arg, s);

	pppoe_lac_stop(a, s, why == PPPOE_END_PADT);
	log_msg(&a->d->log, LOG_INFO, "pppoe session %u: down on %s (%s)", s->id, s->ifp->name,
		pppoe_end_name(why));
}

static const struct pppoe_ac_ops access_ac_ops = {
	.send = port_send,
	.session_up = session_up,
	.session_rx = session_rx,
	.session_down = session_down,
};

void pppoe_access_parent(const char *name, int tagged, char *buf, size_t size)
{
	size_t n = strcspn(name, ".");

	if (!tagged)
		n = strlen(name);
	snprintf(buf, size, "%.*s", (int)n, name);
}

void pppoe_access_nas_port_id(const struct pppoe_if *ifp, char *buf, size_t size)
{
	char parent[PPPOE_IFNAME_MAX];

	pppoe_access_parent(ifp->name, ifp->nvlan > 0, parent, sizeof parent);
	if (ifp->nvlan == 0)
		snprintf(buf, size, "%s", parent);
	else if (ifp->nvlan == 1)
		snprintf(buf, size, "%s:%u", parent, ifp->vlan[0]);
	else
		snprintf(buf, size, "%s:%u-%u", parent, ifp->vlan[0], ifp->vlan[1]);
}

/* The port of a physical interface, opened once for all its sub-interfaces. */
static struct pppoe_port *port_get(struct pppoe_access *a, const char *parent,
				   uint8_t mac[PPPOE_ETH_ALEN], char *err, size_t errsz)
{
	struct pppoe_port *p;
	int r;

	for (unsigned i = 0; i < a->n_ports; i++) {
		p = &a->ports[i];
		if (strcmp(p->name, parent) == 0) {
			struct pppoe_if *ifp;

			TAILQ_FOREACH(ifp, &a->ac->ifs, link)
				if (ifp->io == p)
					memcpy(mac, ifp->mac, PPPOE_ETH_ALEN);
			return p;
		}
	}
	if (a->n_ports == PPPOE_PORTS_MAX) {
		snprintf(err, errsz, "more than %d access ports", PPPOE_PORTS_MAX);
		return NULL;
	}
	p = &a->ports[a->n_ports];
	snprintf(p->name, sizeof p->name, "%s", parent);
	r = a->pops->open(a->parg, a->d, parent, &p->ifindex, mac, &p->handle);
	if (r < 0) {
		snprintf(err, errsz, "interface %s: cannot open its PPPoE port: %s", parent,
			 strerror(-r));
		return NULL;
	}
	a->n_ports++;
	return p;
}

static int access_if_add(struct pppoe_access *a, const struct config_access_if *ci,
			 const struct config_bba_group *bg, char *err, size_t errsz)
{
	const struct l2tpd_config *cfg = &a->d->cfg;
	uint16_t vl[2] = { ci->vlan, ci->vlan2 };
	unsigned nvl = ci->vlan2 ? 2 : ci->vlan ? 1 : 0;
	char parent[PPPOE_IFNAME_MAX];
	uint8_t mac[PPPOE_ETH_ALEN];
	struct pppoe_port *p;
	struct pppoe_if *ifp;

	pppoe_access_parent(ci->name, nvl > 0, parent, sizeof parent);
	p = port_get(a, parent, mac, err, errsz);
	if (!p)
		return -EINVAL;
	ifp = pppoe_ac_if_add(a->ac, ci->name, p->ifindex, mac, vl, nvl);
	if (!ifp) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	ifp->io = p;
	snprintf(ifp->group, sizeof ifp->group, "%s", bg->name);
	snprintf(ifp->ac_name, sizeof ifp->ac_name, "%s", bg->ac_name[0] ? bg->ac_name :
		 cfg->hostname);
	ifp->per_mac_limit = bg->per_mac_limit;
	ifp->max_sessions = ci->max_sessions;
	ifp->pado_delay_ms = bg->pado_delay_ms;
	return 0;
}

static void access_limits(struct pppoe_access *a)
{
	const struct config_pppoe *pc = &a->d->cfg.pppoe;
	struct pppoe_limits lim = {
		.padi_mac = pc->padi_mac,
		.padi_mac_ms = pc->padi_mac_interval * 1000,
		.padi_total = pc->padi_total,
		.padi_total_ms = pc->padi_total_interval * 1000,
	};

	pppoe_ac_set_limits(a->ac, &lim);
}

int pppoe_access_configured(const struct l2tpd_config *cfg)
{
	const struct config_access_if *ci;

	TAILQ_FOREACH(ci, &cfg->access_ifs, link)
		if (ci->group[0])
			return 1;
	return 0;
}

/* Switching in the kernel needs PPPIOCBRIDGECHAN (Linux 5.11): said at
 * start, so that an operator need not wait for the first refused call. */
static void access_kernel_check(struct l2tpd *d)
{
	struct utsname u;
	unsigned maj = 0, min = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &maj, &min) != 2)
		return;
	if (maj > 5 || (maj == 5 && min >= 11))
		log_msg(&d->log, LOG_INFO, "pppoe: calls switched in the kernel (Linux %s)",
			u.release);
	else
		log_msg(&d->log, LOG_WARNING, "pppoe: Linux %s cannot bridge PPP channels "
			"(PPPIOCBRIDGECHAN, 5.11 or later): PPPoE calls will be refused",
			u.release);
}

int pppoe_access_start(struct l2tpd *d, const struct pppoe_port_ops *pops, void *parg,
		       char *err, size_t errsz)
{
	const struct config_access_if *ci;
	struct pppoe_access *a;
	int r = 0;

	if (!pppoe_access_configured(&d->cfg))
		return 0;
	a = calloc(1, sizeof *a);
	if (!a) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	a->d = d;
	a->pops = pops;
	a->parg = parg;
	a->ac = pppoe_ac_create(&d->clk, &access_ac_ops, a, rand_bytes);
	d->access = a;
	l2tp_mss_set_users(d, pppoe_lac_mss_collect, a);
	if (!a->ac) {
		snprintf(err, errsz, "out of memory");
		pppoe_access_stop(d);
		return -ENOMEM;
	}
	a->ac->log = &d->log;
	access_limits(a);
	TAILQ_FOREACH(ci, &d->cfg.access_ifs, link) {
		const struct config_bba_group *bg;

		if (!ci->group[0])
			continue;
		bg = config_bba_find(&d->cfg, ci->group);
		if (!bg) {
			snprintf(err, errsz, "interface %s: bba-group %s does not exist", ci->name,
				 ci->group);
			r = -EINVAL;
		} else {
			r = access_if_add(a, ci, bg, err, errsz);
		}
		if (r < 0) {
			pppoe_access_stop(d);
			return r;
		}
	}
	log_msg(&d->log, LOG_INFO, "pppoe: %u access ports", a->n_ports);
	if (dp_can(d->dp, DP_CAP_BRIDGE))
		access_kernel_check(d);
	return 0;
}

void pppoe_access_stop(struct l2tpd *d)
{
	struct pppoe_access *a = d->access;

	if (!a)
		return;
	pppoe_ac_destroy(a->ac);	/* PADT to every subscriber */
	for (unsigned i = 0; i < a->n_ports; i++)
		a->pops->close(a->parg, a->ports[i].handle);
	l2tp_mss_set_users(d, NULL, NULL);
	free(a);
	d->access = NULL;
}

void pppoe_access_drop(struct l2tpd *d)
{
	if (!d->access)
		return;
	d->access->silent = 1;
	log_msg(&d->log, LOG_NOTICE, "pppoe: %u sessions dropped here without a PADT",
		d->access->ac->n_sessions);
	pppoe_access_stop(d);
}

void pppoe_access_hold(struct l2tpd *d, int on)
{
	if (d->access)
		d->access->ac->hold_discovery = on != 0;
}

void pppoe_access_input(struct l2tpd *d, int ifindex, const uint8_t *frame, size_t len)
{
	if (d->access)
		pppoe_ac_input(d->access->ac, ifindex, frame, len);
}
