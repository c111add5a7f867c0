/*
 * A tunnel's held data: packets for sessions a takeover has not rebuilt
 * yet (see l2tp_session_hold_data in l2tp/session.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "l2tpd.h"
#include "l2tp/observer.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

/*
 * Data for calls a takeover has not rebuilt yet.  Rebuilding a tunnel's
 * sessions the moment a data packet names one of them (as a control
 * message still does) cost, with the kernel's data path, a PPP unit per
 * session inside the socket's read: the other tunnels' answers to their
 * resync probes, read in the same loop turn, waited behind it, and the
 * resync of the last tunnel behind every session of the others.  The
 * packet is held instead, the tunnel goes first in the rebuild, and the
 * packet reaches its session when it is there: none is dropped for it.
 */
struct l2tp_held_data {
	struct l2tp_held_data *next;
	uint16_t sid;
	size_t len, hdr_len;
	uint8_t buf[];
};

int l2tp_session_hold_data(struct l2tp_tunnel *t, uint16_t sid, const uint8_t *buf,
			   size_t len, size_t hdr_len)
{
	struct l2tp_held_data *h, **pp;
	int rc;

	if (!t->sessions_pending || t->dead)
		return -ENOENT;
	if (t->n_held >= L2TP_HELD_MAX || hdr_len > len)
		return -ENOBUFS;
	rc = l2tp_observer_sessions_wanted(t);
	if (rc < 0)
		return rc;
	h = malloc(sizeof(*h) + len);
	if (h == NULL)
		return -ENOMEM;
	h->next = NULL;
	h->sid = sid;
	h->len = len;
	h->hdr_len = hdr_len;
	memcpy(h->buf, buf, len);
	for (pp = &t->held; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = h;
	t->n_held++;
	return 0;
}

void l2tp_session_release_held(struct l2tp_tunnel *t)
{
	struct l2tp_held_data **pp = &t->held, *h;

	while (!t->dead && (h = *pp) != NULL) {
		struct l2tp_session *s = l2tp_session_find(t, h->sid);

		if (s == NULL && t->sessions_pending) {
			pp = &h->next;	/* its session is still to come */
			continue;
		}
		*pp = h->next;
		t->n_held--;
		if (s == NULL)
			t->d->stats.rx_data_no_session++;
		else
			l2tp_ppp_data_input(s, h->buf + h->hdr_len, h->len - h->hdr_len);
		free(h);
	}
	if (t->dead)
		l2tp_session_drop_held(t);
}

void l2tp_session_drop_held(struct l2tp_tunnel *t)
{
	struct l2tp_held_data *h;

	while ((h = t->held) != NULL) {
		t->held = h->next;
		free(h);
	}
	t->n_held = 0;
}
