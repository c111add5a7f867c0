/*
 * The sessions of a tunnel by the peer's Session ID (session.h): an ICRQ is
 * checked against every live call of its tunnel (a second call with the
 * same Assigned Session ID is refused, RFC 2661 §5.6 and §6.6; one the old
 * active answered before a takeover is answered again), and a CDN sent to
 * Session ID 0 names its call by the peer's ID (§5.6).  A walk of the
 * tunnel's list made each ICRQ cost as much as the calls already up: 10,000
 * calls on one tunnel were 50 million comparisons.  The index (t->peer_sessions)
 * holds the first session of each peer ID; a second one with the same ID
 * (a hostile peer's ICRP on our LAC, a takeover's rebuilt call) or one the
 * index had no memory for is counted in t->peer_unindexed, and a lookup
 * that misses walks the list only while that count is not zero.
 */
#include <errno.h>
#include "common/idmap.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

void l2tp_session_set_peer_sid(struct l2tp_session *s, uint16_t peer_sid)
{
	struct l2tp_tunnel *t = s->t;

	l2tp_session_peer_forget(s);
	s->peer_sid = peer_sid;
	if (peer_sid == 0)
		return;
	if (idmap_put(t->peer_sessions, peer_sid, s) < 0)
		t->peer_unindexed++;	/* -EEXIST or -ENOMEM: found by the walk */
}

void l2tp_session_peer_forget(struct l2tp_session *s)
{
	struct l2tp_tunnel *t = s->t;

	if (s->peer_sid == 0)
		return;
	if (idmap_get(t->peer_sessions, s->peer_sid) == s)
		idmap_del(t->peer_sessions, s->peer_sid);
	else if (t->peer_unindexed > 0)
		t->peer_unindexed--;
	s->peer_sid = 0;
}

struct l2tp_session *l2tp_session_find_peer(struct l2tp_tunnel *t, uint16_t peer_sid,
					    int (*match)(const struct l2tp_session *s))
{
	struct l2tp_session *s;

	if (peer_sid == 0)
		return NULL;
	s = idmap_get(t->peer_sessions, peer_sid);
	if (s != NULL && (match == NULL || match(s)))
		return s;
	if (t->peer_unindexed == 0)
		return NULL;
	LIST_FOREACH(s, &t->session_list, link)
		if (s->peer_sid == peer_sid && (match == NULL || match(s)))
			return s;
	return NULL;
}
