/* What the fuzz targets check of a daemon: its tables agree with its lists. */
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include "fuzz.h"
#include "fuzz_daemon.h"
#include "l2tpd.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

void fuzz_check_daemon(struct l2tpd *d)
{
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	unsigned nt = 0, ns;

	LIST_FOREACH(t, &d->tunnels, link) {
		if (t->dead) {		/* gone, freed by the reaper */
			FUZZ_CHECK(d->tunnel_by_id[t->tid] != t && LIST_EMPTY(&t->session_list));
			continue;
		}
		nt++;
		FUZZ_CHECK(d->tunnel_by_id[t->tid] == t);
		ns = 0;
		LIST_FOREACH(s, &t->session_list, link) {
			ns++;
			FUZZ_CHECK(s->t == t);
			FUZZ_CHECK(l2tp_session_find(t, s->sid) == s);
		}
		FUZZ_CHECK(ns == t->n_sessions);
	}
	FUZZ_CHECK(nt == d->n_tunnels);
}
