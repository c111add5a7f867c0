/*
 * Who hears of what happens to tunnels and sessions.  The rooms above
 * l2tp/ register an ops struct when the context is made (l2tpd_init): ha/
 * (checkpoint records, resync bookkeeping) and aaa/ (accounting, tunnels
 * chosen by RADIUS).  l2tp/ walks the list at its event points (the
 * tunnel's and the session's set_state, the control channel's numbering
 * and its traffic, destruction, the PPP link's life) and knows nothing of
 * who listens.
 *
 * Callbacks run synchronously, in registration order, on the stack of the
 * event; any may be NULL.  They must not destroy the object they are told
 * about (a later observer, or the caller, still uses it).
 */
#ifndef L2TP_OBSERVER_H
#define L2TP_OBSERVER_H

#include <stddef.h>
#include <stdint.h>

struct l2tpd;
struct l2tp_tunnel;
struct l2tp_session;

#define L2TP_OBSERVERS_MAX	6

struct l2tp_observer_ops {
	/* Its state, or what is kept of it (SSO, resync window), changed. */
	void (*tunnel_changed)(void *arg, struct l2tp_tunnel *t);
	/* A control packet came in or goes out: Ns, Nr, una may have moved. */
	void (*tunnel_seq)(void *arg, struct l2tp_tunnel *t);
	/* The control channel gave a new message its Ns (buf: the message). */
	void (*tunnel_numbered)(void *arg, struct l2tp_tunnel *t, uint16_t ns,
				const uint8_t *buf, size_t len);
	/* A new message waits for room in the peer's window; it will take Ns
	 * ns (buf: the message with that Ns). */
	void (*tunnel_queued)(void *arg, struct l2tp_tunnel *t, uint16_t ns,
			      const uint8_t *buf, size_t len);
	/* The resync after a takeover ended: ok, or the peer never answered. */
	void (*tunnel_resynced)(void *arg, struct l2tp_tunnel *t, int ok);
	/* A new call was refused because the tunnel resynchronises (cause 611). */
	void (*tunnel_resync_refused)(void *arg, struct l2tp_tunnel *t);
	/* A peer's message or packet names a session of t while
	 * t->sessions_pending: rebuild the rest of t's sessions now. */
	void (*sessions_missing)(void *arg, struct l2tp_tunnel *t);
	/* A data packet names a session of t while t->sessions_pending: 0 if
	 * this observer rebuilds t's sessions soon, first (the packet is held
	 * until then), else a negative errno. */
	int (*sessions_wanted)(void *arg, struct l2tp_tunnel *t);
	/* Destroyed (t->dead is set): its sessions go next, each told as deleted. */
	void (*tunnel_deleted)(void *arg, struct l2tp_tunnel *t);
	/* Its state, or what is kept of it (PPP, accounting, timeouts), changed. */
	void (*session_changed)(void *arg, struct l2tp_session *s);
	/* About to be freed. */
	void (*session_deleted)(void *arg, struct l2tp_session *s);
	/* The LNS session's PPP link starts: before any authentication. */
	void (*ppp_starting)(void *arg, struct l2tp_session *s);
	/* ... was rebuilt at a takeover, in the Network phase (s->ppp_up as
	 * checkpointed). */
	void (*ppp_restored)(void *arg, struct l2tp_session *s);
	/* IPCP opened for the first time (s->ppp_up just set). */
	void (*ppp_up)(void *arg, struct l2tp_session *s);
	/* The link stops (the session goes), while the data path's counters
	 * still exist. */
	void (*ppp_stopping)(void *arg, struct l2tp_session *s);
	/* n datagrams were handled, each to its end, inside a loop turn that
	 * may go on: a point where what they changed may be committed. */
	void (*rx_batch)(void *arg, struct l2tpd *d, unsigned n);
};

struct l2tp_observers {
	struct {
		const struct l2tp_observer_ops *ops;
		void *arg;
	} o[L2TP_OBSERVERS_MAX];
	unsigned n;
};

/* Register; 0, or -ENOSPC past L2TP_OBSERVERS_MAX. */
int l2tp_observer_add(struct l2tpd *d, const struct l2tp_observer_ops *ops, void *arg);

/* The event points (l2tp/ calls them; see the ops above). */
void l2tp_observer_tunnel_changed(struct l2tp_tunnel *t);
void l2tp_observer_tunnel_seq(struct l2tp_tunnel *t);
void l2tp_observer_tunnel_numbered(struct l2tp_tunnel *t, uint16_t ns, const uint8_t *buf,
				   size_t len);
void l2tp_observer_tunnel_queued(struct l2tp_tunnel *t, uint16_t ns, const uint8_t *buf,
				 size_t len);
void l2tp_observer_tunnel_resynced(struct l2tp_tunnel *t, int ok);
void l2tp_observer_tunnel_resync_refused(struct l2tp_tunnel *t);
void l2tp_observer_tunnel_deleted(struct l2tp_tunnel *t);
void l2tp_observer_sessions_missing(struct l2tp_tunnel *t);
/* 0: an observer takes it on (sessions_wanted). */
int l2tp_observer_sessions_wanted(struct l2tp_tunnel *t);
void l2tp_observer_session_changed(struct l2tp_session *s);
void l2tp_observer_session_deleted(struct l2tp_session *s);
void l2tp_observer_ppp_starting(struct l2tp_session *s);
void l2tp_observer_ppp_restored(struct l2tp_session *s);
void l2tp_observer_ppp_up(struct l2tp_session *s);
void l2tp_observer_ppp_stopping(struct l2tp_session *s);
void l2tp_observer_rx_batch(struct l2tpd *d, unsigned n);

#endif
