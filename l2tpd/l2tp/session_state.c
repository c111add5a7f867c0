/*
 * A session's states: their names, and the daemon's count of sessions in
 * each (d->sessions_in), kept by every change of state (l2tp/session.c
 * and a takeover's rebuilt calls) so that totals need no walk.
 */
#include <stddef.h>
#include "common/util.h"
#include "l2tpd.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

static const char *const session_state_names[] = {
	[L2TP_SESSION_IDLE] = "idle",
	[L2TP_SESSION_WAIT_TUNNEL] = "wait-tunnel",
	[L2TP_SESSION_WAIT_REPLY] = "wait-reply",
	[L2TP_SESSION_WAIT_CONNECT] = "wait-connect",
	[L2TP_SESSION_ESTABLISHED] = "established",
};

const char *l2tp_session_state_string(enum l2tp_session_state s)
{
	if ((size_t)s >= ARRAY_SIZE(session_state_names))
		return "unknown";
	return session_state_names[s];
}

_Static_assert(L2TP_SESSION_ESTABLISHED + 1 == L2TPD_SESSION_STATES,
	       "d->sessions_in: one a state");

void l2tp_session_state_move(struct l2tp_session *s, enum l2tp_session_state st)
{
	s->t->d->sessions_in[s->state]--;
	s->t->d->sessions_in[st]++;
	s->state = st;
}
