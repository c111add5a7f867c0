/*
 * A LAC call's PPP starts once its ICCN has left (see session.h).
 *
 * A LAC that starts its subscriber's PPP when it queues the ICCN starts
 * the RFC 1661 Restart timer (3 s) of the first LCP Configure-Request
 * while that ICCN may still wait for room in the peer's receive window
 * (RFC 2661 §5.8: 4 messages by default).  A hundred calls dialled at
 * once on a tunnel are two hundred messages through that window: when
 * the LNS is slow to acknowledge (a loaded host, a long loop turn), the
 * ICCN leaves seconds later, the LNS holds the early Configure-Request
 * until it comes, and the subscriber's timer fires first: the request is
 * sent again and one of the two answers is discarded (bad Identifier).
 * So the call is up when its ICCN is queued, but its PPP waits for the
 * ICCN to be numbered and sent.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "l2tp/ppp.h"
#include "l2tp/proto.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "l2tpd.h"

/* The header and the Message Type AVP of a control message we built:
 * its type, or -1. */
static int iccn_msg_type(const uint8_t *buf, size_t len)
{
	/* §3.1: flags, length, tunnel, session, Ns, Nr; §4.4.1: the first
	 * AVP (6 bytes of header) is Message Type, a 2-byte value */
	if (len < L2TP_HDR_LEN_CTRL + 8)
		return -1;
	return (buf[L2TP_HDR_LEN_CTRL + 6] << 8) | buf[L2TP_HDR_LEN_CTRL + 7];
}

int l2tp_session_ppp_go(struct l2tp_session *s)
{
	int rc = l2tp_ppp_start(s);

	if (rc == -EPROTO) {
		/* §4.4.5 proxy LCP refused and no renegotiation allowed */
		l2tp_session_clear(s, L2TP_CDN_NO_FACILITIES_PERM, -1, "proxy LCP not acceptable");
		return rc;
	}
	if (rc < 0) {
		l2tp_session_clear(s, L2TP_CDN_NO_FACILITIES_TEMP, -1, "cannot start PPP");
		return rc;
	}
	return 0;
}

/* Room in t->iccn_left for every call that waits, and one more: when
 * their ICCNs leave, listing them cannot fail.  0, or -ENOMEM. */
static int iccn_room(struct l2tp_tunnel *t)
{
	unsigned need = t->iccn_waiting + t->n_iccn_left + 1, cap;
	uint16_t *v;

	if (need <= t->iccn_left_cap)
		return 0;
	cap = t->iccn_left_cap ? 2 * t->iccn_left_cap : 8;
	while (cap < need)
		cap *= 2;
	v = realloc(t->iccn_left, cap * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	t->iccn_left = v;
	t->iccn_left_cap = cap;
	return 0;
}

void l2tp_iccn_wait(struct l2tp_session *s)
{
	/* The queue keeps order: when anything waits, the newest (the
	 * ICCN just queued) does.  Without memory PPP starts at once. */
	if (s->iccn_wait != 0 || s->t->ctrl.n_pending == 0 || iccn_room(s->t) < 0)
		return;
	s->iccn_wait = 1;
	s->t->iccn_waiting++;
	s->t->d->stats.ppp_after_iccn++;
}

void l2tp_iccn_numbered(struct l2tp_tunnel *t, const uint8_t *buf, size_t len)
{
	struct l2tp_session *s;

	if (t->iccn_waiting == 0 || iccn_msg_type(buf, len) != L2TP_MSG_ICCN)
		return;
	/* its header carries the peer's session ID */
	s = l2tp_session_find_peer(t, (uint16_t)((buf[6] << 8) | buf[7]), NULL);
	if (s == NULL || s->iccn_wait != 1)
		return;
	t->iccn_waiting--;
	s->iccn_wait = 2;
	t->iccn_left[t->n_iccn_left++] = s->sid;	/* room kept by iccn_room() */
}

/* The calls whose ICCN left: their PPP starts (each may clear its call). */
void l2tp_iccn_run(struct l2tp_tunnel *t)
{
	struct l2tp_session *s;
	unsigned i;

	for (i = 0; !t->dead && i < t->n_iccn_left; i++) {
		/* a call cleared meanwhile is gone (or its ID is another's) */
		s = l2tp_session_find(t, t->iccn_left[i]);
		if (s == NULL || s->iccn_wait != 2)
			continue;
		s->iccn_wait = 0;
		if (s->state == L2TP_SESSION_ESTABLISHED)
			(void)l2tp_session_ppp_go(s);	/* may clear s */
	}
	t->n_iccn_left = 0;
}

void l2tp_iccn_forget(struct l2tp_session *s)
{
	if (s->iccn_wait == 1)
		s->t->iccn_waiting--;
	s->iccn_wait = 0;
}
