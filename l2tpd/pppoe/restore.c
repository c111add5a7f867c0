/*
 * A PPPoE session rebuilt at an HA takeover or a hitless restart
 * (pppoe/access.h, pppoe_access_restore): the same session ID and peer MAC
 * on the same access interface, so that the subscriber, whose frames now
 * reach this box at the pair's shared MAC, sees no discovery, no PADT, no
 * LCP renegotiation.  The LAC's own PPP was over once the call was up (the
 * LNS runs the subscriber's): the session goes straight to relaying
 * (null data path) or, under a data path that switches the frames in the
 * kernel, its channel is opened and bridged to the rebuilt call's again.
 *
 * A session terminated here (local-up) carries its PPP's negotiated state
 * (ppp_export): its PPP goes on from it (ppp_import_opened: nothing sent,
 * LCP echo with the same magic numbers), its address is taken out of the
 * pool again, its accounting goes on (the same Acct-Session-Id, no second
 * Start).  Under a data path with PPPoE channels its channel and pppN
 * are adopted (a restart: the descriptors handed over) or made (a
 * takeover on another box) and configured again.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ippool.h"
#include "l2tpd.h"
#include "l2tp/relay.h"
#include "pppoe/lac_int.h"

/* The interface as configured here carries the checkpointed VLANs. */
static int restore_if_matches(const struct pppoe_if *ifp, const struct pppoe_restore *r)
{
	if (ifp->nvlan != r->nvlan)
		return 0;
	for (unsigned i = 0; i < r->nvlan; i++)
		if (ifp->vlan[i] != r->vlan[i])
			return 0;
	return 1;
}

/* The session's PPP side as the checkpoint left it: in state, for r's user;
 * NULL (err says why) when out of memory. */
static struct pppoe_lac *restore_lac_new(struct pppoe_access *a, struct pppoe_session *s,
					 const struct pppoe_restore *r, enum pppoe_lac_state state,
					 char *err, size_t errsz)
{
	struct pppoe_lac *l = calloc(1, sizeof(*l));

	if (l == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	l->a = a;
	l->ps = s;
	l->chan_fd = -1;
	l->state = state;
	snprintf(l->user, sizeof(l->user), "%s", r->user);
	pppoe_lac_timers_init(l);
	return l;
}

/* The session's PPP side, relaying into call ls.  0 or -errno. */
static int restore_lac(struct pppoe_access *a, struct pppoe_session *s,
		       const struct pppoe_restore *r, char *err, size_t errsz)
{
	const struct config_vtemplate *vt;
	struct pppoe_lac *l = restore_lac_new(a, s, r, PPPOE_LAC_RELAYING, err, errsz);
	int rc;

	if (l == NULL)
		return -ENOMEM;
	vt = pppoe_lac_vtemplate(l);
	l->mss = vt != NULL ? (uint16_t)vt->adjust_mss : 0;
	rc = l2tp_relay_adopt(a->d, r->tid, r->sid, &pppoe_lac_relay_ops, l, &l->ls);
	if (rc < 0) {
		snprintf(err, errsz, "call %u/%u %s", r->tid, r->sid,
			 rc == -ENOENT ? "not in the checkpoint" : "not up or taken");
		free(l);
		return rc;
	}
	s->upper = l;
	if (!dp_can(a->d->dp, DP_CAP_BRIDGE))
		return 0;
	rc = pppoe_lac_chan_open(l);
	if (rc == 0 && l2tp_relay_bridge(l->ls, s->id) == 0) {
		if (a->d->loop != NULL)
			ev_io_stop(a->d->loop, &l->chan_io);	/* nothing more comes to us */
		l->state = PPPOE_LAC_BRIDGED;
		a->lac.bridged++;
		return 0;
	}
	snprintf(err, errsz, "the kernel did not take it back: %s", a->d->dp->err);
	return rc < 0 ? rc : -EIO;	/* the caller ends s: its stop frees l */
}

int pppoe_lac_local_state(const struct pppoe_session *s, struct ppp_state *st,
			  const char **pool, const char **unit)
{
	const struct pppoe_lac *l = s->upper;

	if (l == NULL || l->state != PPPOE_LAC_LOCAL_UP || l->ppp == NULL ||
	    ppp_export(l->ppp, st) < 0)
		return -ENOENT;
	*pool = l->pool;
	*unit = l->ifname;
	return 0;
}

/* The address stays the subscriber's: out of its pool again. */
static int restore_local_addr(struct pppoe_lac *l, const struct pppoe_restore *r, char *err,
			      size_t errsz)
{
	int rc;

	l->peer_addr = r->ppp->peer_addr;
	if (r->pool == NULL || r->pool[0] == '\0')
		return 0;
	rc = ippool_reserve(l->a->d->pools, r->pool, l->peer_addr);
	if (rc < 0) {
		snprintf(err, errsz, "address %s not taken in pool %s: %s",
			 inet_ntoa(l->peer_addr), r->pool, strerror(-rc));
		return rc;
	}
	snprintf(l->pool, sizeof(l->pool), "%s", r->pool);	/* freed with l */
	return 0;
}

/* The kernel's channel and pppN: adopted, else made, then configured. */
static int restore_local_unit(struct pppoe_lac *l, const struct pppoe_restore *r, char *err,
			      size_t errsz)
{
	struct l2tpd *d = l->a->d;
	int rc;

	if (!dp_can(d->dp, DP_CAP_BRIDGE))
		return 0;
	rc = pppoe_lac_chan_open(l);
	if (rc == 0)
		rc = pppoe_lac_unit_open(l, r->unit);
	if (rc == 0 && (r->ppp->ipcp_open || r->ppp->ipv6cp_open))
		rc = pppoe_lac_unit_up(l, r->ppp);
	if (rc < 0)
		snprintf(err, errsz, "the kernel did not take it back: %s", d->dp->err);
	return rc;
}

/* A session terminated here: its PPP where it was.  0 or -errno (the
 * caller ends s: its stop frees l and gives the address back). */
static int restore_local(struct pppoe_access *a, struct pppoe_session *s,
			 const struct pppoe_restore *r, char *err, size_t errsz)
{
	struct pppoe_lac *l = restore_lac_new(a, s, r, PPPOE_LAC_LOCAL_UP, err, errsz);
	int rc;

	if (l == NULL)
		return -ENOMEM;
	s->upper = l;
	rc = restore_local_addr(l, r, err, errsz);
	if (rc == 0) {
		rc = pppoe_lac_local_resume(l, r->ppp);
		if (rc < 0)
			snprintf(err, errsz, "its PPP state is not one a link can be in");
	}
	if (rc == 0)
		rc = restore_local_unit(l, r, err, errsz);
	if (rc == 0)	/* a record it cannot have is logged: the subscriber stays */
		(void)pppoe_lac_local_acct_restore(l, r->acct);
	if (rc < 0)
		return rc;
	a->lac.local_up++;
	lac_log(l, LOG_INFO, "terminated here: user %s, address %s%s%s: PPP taken over",
		l->user, inet_ntoa(l->peer_addr), l->ifname[0] ? " on " : "", l->ifname);
	return 0;
}

int pppoe_access_restore(struct l2tpd *d, const struct pppoe_restore *r, char *err,
			 size_t errsz)
{
	struct pppoe_access *a = d->access;
	struct pppoe_session *s;
	struct pppoe_if *ifp;
	int rc;

	if (a == NULL || (ifp = pppoe_ac_if_find(a->ac, r->ifname)) == NULL) {
		snprintf(err, errsz, "no access interface %s here", r->ifname);
		return -ENODEV;
	}
	if (!restore_if_matches(ifp, r)) {
		snprintf(err, errsz, "access interface %s has other VLANs here", r->ifname);
		return -EINVAL;
	}
	s = pppoe_session_adopt(a->ac, ifp, &r->s, &rc);
	if (s == NULL) {
		snprintf(err, errsz, "%s", rc == -EEXIST ? "its ID is taken" : "out of memory");
		return rc;
	}
	rc = r->ppp != NULL ? restore_local(a, s, r, err, errsz) : restore_lac(a, s, r, err, errsz);
	if (rc < 0) {
		/* The subscriber must dial again: told so (PADT) now. */
		pppoe_session_close(a->ac, s, PPPOE_END_LOCAL);
		return rc;
	}
	return 0;
}
