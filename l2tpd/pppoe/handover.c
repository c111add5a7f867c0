/*
 * The access side across a hitless restart (pppoe/access.h): the process
 * before stops reading its ports and lists their descriptors; the new one
 * opens its ports on them (pppoe/port.h, struct pppoe_port_handed), so
 * that frames queued during the handover are read, not lost, and the
 * PPPoE sessions relayed into calls are rebuilt as a takeover rebuilds
 * them (pppoe/restore.c).
 */
#include <errno.h>
#include <stdlib.h>

#include "l2tpd.h"
#include "pppoe/access.h"

int pppoe_access_port_fds(struct l2tpd *d, struct pppoe_port_fd **out, size_t *n)
{
	struct pppoe_access *a = d->access;

	*out = NULL;
	*n = 0;
	if (a == NULL || a->n_ports == 0)
		return 0;
	if (a->pops->fd == NULL || a->pops->reading == NULL)
		return -EOPNOTSUPP;
	*out = calloc(a->n_ports, sizeof(**out));
	if (*out == NULL)
		return -ENOMEM;
	for (unsigned i = 0; i < a->n_ports; i++) {
		(*out)[i].ifindex = a->ports[i].ifindex;
		(*out)[i].fd = a->pops->fd(a->parg, a->ports[i].handle);
		if ((*out)[i].fd < 0) {
			free(*out);
			*out = NULL;
			return -EBADF;
		}
	}
	*n = a->n_ports;
	return 0;
}

void pppoe_access_reading(struct l2tpd *d, int on)
{
	struct pppoe_access *a = d->access;

	if (a == NULL || a->pops->reading == NULL)
		return;
	for (unsigned i = 0; i < a->n_ports; i++)
		a->pops->reading(a->parg, a->ports[i].handle, on);
}

void pppoe_access_ports_opened(struct l2tpd *d)
{
	if (d->access != NULL)
		d->access->parg = NULL;
}

unsigned pppoe_access_count(const struct l2tpd *d, unsigned *local, unsigned *relayed)
{
	const struct pppoe_session *s;
	struct pppoe_lac_info li;

	*local = *relayed = 0;
	if (d->access == NULL)
		return 0;
	TAILQ_FOREACH(s, &d->access->ac->sessions, link) {
		if (pppoe_lac_info(s, &li) < 0)
			continue;
		if (li.state == PPPOE_LAC_LOCAL || li.state == PPPOE_LAC_LOCAL_UP)
			(*local)++;
		else if (li.state == PPPOE_LAC_RELAYING || li.state == PPPOE_LAC_BRIDGED)
			(*relayed)++;
	}
	return d->access->ac->n_sessions;
}
