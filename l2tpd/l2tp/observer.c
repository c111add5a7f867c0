/*
 * The observer list (see l2tp/observer.h).
 */
#include <errno.h>
#include "l2tpd.h"
#include "l2tp/observer.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

int l2tp_observer_add(struct l2tpd *d, const struct l2tp_observer_ops *ops, void *arg)
{
	struct l2tp_observers *ob = &d->observers;

	if (ob->n >= L2TP_OBSERVERS_MAX)
		return -ENOSPC;
	ob->o[ob->n].ops = ops;
	ob->o[ob->n].arg = arg;
	ob->n++;
	return 0;
}

/* Call `cb` of every observer of d that has one, with its arg and the rest. */
#define OBSERVE(d, cb, ...) do { \
		const struct l2tp_observers *ob_ = &(d)->observers; \
		unsigned i_; \
		for (i_ = 0; i_ < ob_->n; i_++) \
			if (ob_->o[i_].ops->cb != NULL) \
				ob_->o[i_].ops->cb(ob_->o[i_].arg, __VA_ARGS__); \
	} while (0)

void l2tp_observer_tunnel_changed(struct l2tp_tunnel *t)
{
	OBSERVE(t->d, tunnel_changed, t);
}

void l2tp_observer_tunnel_seq(struct l2tp_tunnel *t)
{
	OBSERVE(t->d, tunnel_seq, t);
}

void l2tp_observer_tunnel_numbered(struct l2tp_tunnel *t, uint16_t ns, const uint8_t *buf,
				   size_t len)
{
	OBSERVE(t->d, tunnel_numbered, t, ns, buf, len);
}

void l2tp_observer_tunnel_queued(struct l2tp_tunnel *t, uint16_t ns, const uint8_t *buf,
				 size_t len)
{
	OBSERVE(t->d, tunnel_queued, t, ns, buf, len);
}

void l2tp_observer_tunnel_resynced(struct l2tp_tunnel *t, int ok)
{
	OBSERVE(t->d, tunnel_resynced, t, ok);
}

void l2tp_observer_tunnel_resync_refused(struct l2tp_tunnel *t)
{
	OBSERVE(t->d, tunnel_resync_refused, t);
}

void l2tp_observer_sessions_missing(struct l2tp_tunnel *t)
{
	OBSERVE(t->d, sessions_missing, t);
}

int l2tp_observer_sessions_wanted(struct l2tp_tunnel *t)
{
	const struct l2tp_observers *ob = &t->d->observers;
	unsigned i;

	for (i = 0; i < ob->n; i++)
		if (ob->o[i].ops->sessions_wanted != NULL &&
		    ob->o[i].ops->sessions_wanted(ob->o[i].arg, t) == 0)
			return 0;
	return -ENOENT;
}

void l2tp_observer_tunnel_deleted(struct l2tp_tunnel *t)
{
	OBSERVE(t->d, tunnel_deleted, t);
}

void l2tp_observer_session_changed(struct l2tp_session *s)
{
	OBSERVE(s->t->d, session_changed, s);
}

void l2tp_observer_session_deleted(struct l2tp_session *s)
{
	OBSERVE(s->t->d, session_deleted, s);
}

void l2tp_observer_ppp_starting(struct l2tp_session *s)
{
	OBSERVE(s->t->d, ppp_starting, s);
}

void l2tp_observer_ppp_restored(struct l2tp_session *s)
{
	OBSERVE(s->t->d, ppp_restored, s);
}

void l2tp_observer_ppp_up(struct l2tp_session *s)
{
	OBSERVE(s->t->d, ppp_up, s);
}

void l2tp_observer_ppp_stopping(struct l2tp_session *s)
{
	OBSERVE(s->t->d, ppp_stopping, s);
}

void l2tp_observer_rx_batch(struct l2tpd *d, unsigned n)
{
	OBSERVE(d, rx_batch, d, n);
}
