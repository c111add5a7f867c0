/*
 * The hitless restart (cli/restart.h): what refuses it, before anything is
 * started (restart_refused) and once the new binary has said its
 * checkpoint schema (restart_schema_refused).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/restart.h"
#include "l2tpd.h"
#include "haproto/ha_rec.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "pppoe/access.h"

/* The data path can list what keeps its kernel objects alive. */
static int restart_dp_refused(struct l2tpd *d)
{
	struct dp_held *held = NULL;
	size_t n = 0;
	int rc = dp_held_list(d->dp, &held, &n);

	free(held);
	return rc;
}

/* A LAC call whose PPP this daemon runs (a test subscriber, in process or
 * under pppd): not checkpointed, so not rebuilt (l2tp_ppp_restore). */
static int restart_lac_ppp(struct l2tpd *d)
{
	struct l2tp_tunnel *t;
	struct l2tp_session *s;

	LIST_FOREACH(t, &d->tunnels, link)
		LIST_FOREACH(s, &t->session_list, link)
			if (!s->lns && s->ppp_link != NULL)
				return 1;
	return 0;
}

/* The access ports must be handed over.  PPPoE sessions relayed into
 * calls and those terminated here and up are carried (their records);
 * those still in discovery or being authenticated are dropped: their
 * subscribers dial again. */
static int restart_pppoe_refused(struct l2tpd *d, char *msg, size_t msgsz)
{
	struct pppoe_port_fd *ports = NULL;
	size_t n;
	int rc;

	if (d->access == NULL)
		return 0;
	rc = pppoe_access_port_fds(d, &ports, &n);
	free(ports);
	if (rc < 0)
		snprintf(msg, msgsz, "the PPPoE access ports cannot be handed over: %s",
			 strerror(-rc));
	return rc < 0;
}

/* The new binary's checkpoint schema (its HELLO; a HELLO without one is
 * from a binary of schema 4 or older) must know the records of the PPPoE
 * sessions terminated here: else they would be dropped, so the restart is
 * refused. */
int restart_schema_refused(struct l2tpd *d, uint32_t schema, char *msg, size_t msgsz)
{
	unsigned local = 0, relayed = 0;

	if (d->access != NULL)
		pppoe_access_count(d, &local, &relayed);
	if (local == 0 || schema >= HA_SCHEMA_PPPOE_LOCAL)
		return 0;
	snprintf(msg, msgsz, "the new binary (checkpoint schema %u) does not know PPPoE "
		 "sessions terminated here (schema %u): %u such sessions would be dropped",
		 schema, HA_SCHEMA_PPPOE_LOCAL, local);
	return -EPROTONOSUPPORT;
}

int restart_refused(struct l2tpd *d, char *msg, size_t msgsz)
{
	if (d->ha.role != HA_ROLE_STANDALONE && d->ha.role != HA_ROLE_ACTIVE)
		snprintf(msg, msgsz, "this daemon is %s: it holds no subscriber, restart "
			 "it as a service", ha_role_string(d->ha.role));
	else if (restart_dp_refused(d) < 0)
		snprintf(msg, msgsz, "the data path cannot hand its objects over: %s", d->dp->err);
	else if (restart_lac_ppp(d))
		snprintf(msg, msgsz, "the LAC's test subscribers (their PPP runs here or "
			 "under pppd) are not handed over");
	else if (d->shutting_down)
		snprintf(msg, msgsz, "shutting down");
	else if (!restart_pppoe_refused(d, msg, msgsz))	/* msg says why it is */
		return 0;
	return -EOPNOTSUPP;
}
