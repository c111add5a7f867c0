/*
 * The checkpoint link (ha_link.h) over ZeroMQ, on the daemon's libev loop:
 * what both roles share (the roles' own parts: ha_link_int.h).
 *
 * Sockets, one ZeroMQ context per link (so the ZAP endpoint, which is
 * per context, is this link's alone):
 *   router  ROUTER bound at cfg.bind; serves the standby when ACTIVE.  It
 *           stays bound in every role, so a message queued just before a
 *           role change (the TAKEOVER of a switchover) still leaves.
 *   zap     REP bound at inproc://zeromq.zap.01: the ZAP handler (RFC 27)
 *           that admits only cfg.peer_key to the CURVE server.
 *   dealer  DEALER connected to cfg.connect while STANDBY.
 *
 * Every ZeroMQ message is one checkpoint.proto Envelope: a record with its
 * sequence number, or a control message (ckpt.h, struct ha_ctl).
 *
 * Sequence numbers count records on the link, 1, 2, ..., and never go back
 * while the process lives, so the daemon can wait for ha_link_active_acked()
 * >= the number ha_link_active_send() gave it across re-syncs and standby
 * changes.
 * An epoch counts bulk syncs.  The active answers a HELLO with BULK_BEGIN
 * (epoch, first seq), the records of ops->bulk, BULK_END (epoch, last seq,
 * count); the stream follows.  The standby applies records strictly in
 * order; a sequence number other than the next expected one, or an active
 * heartbeat announcing more than it has, is a gap: it says HELLO with
 * want_bulk and ignores records until the next BULK_BEGIN.  It sends a
 * cumulative ACK once each message it reads is applied (and every
 * LINK_ACK_RECORDS records inside a large one), with synced set once it
 * has the whole bulk of the epoch; that ACK makes the standby "up" for the
 * active.  A drain stops after LINK_DRAIN_RECORDS, so neither the active's
 * wait nor the standby's loop turn grows with a burst.
 *
 * A HELLO from a routing identity the active does not serve is a new
 * standby (ROUTER gives every new connection a new identity, so a
 * restarted or reconnected standby is new): it replaces the current one
 * and gets a bulk.  A HELLO with want_bulk from the current standby gets a
 * new bulk unless it names an older epoch (it crossed our BULK_BEGIN on
 * the wire).  Anything else from a stranger gets RESET, which makes it say
 * HELLO: a standby the active had given up on learns it must resync.
 *
 * libev and ZeroMQ: ZMQ_FD is edge-triggered and only says "look at
 * ZMQ_EVENTS"; a send can consume the edge of pending input.  So the
 * ev_io callbacks drain in batches, and an ev_prepare looks at ZMQ_EVENTS
 * before the loop sleeps and starts an ev_idle (which keeps the loop from
 * sleeping) while any socket has input left.  Each look at ZMQ_EVENTS, and
 * each receive that finds nothing, costs a getpid and a poll inside
 * libzmq: a socket whose last such call found nothing, with no send or
 * receive since, is quiet and not looked at again (its ZMQ_FD speaks for
 * anything new).  The ev_idle has the highest
 * priority: it runs on every turn, however many other watchers are pending.  Nothing blocks: every call
 * is ZMQ_DONTWAIT, queues are unbounded (HWM 0) so a bulk of 100,000
 * records is never dropped, and ZMQ_ROUTER_MANDATORY makes a send to a
 * vanished standby fail with EHOSTUNREACH instead of vanishing silently.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <zmq.h>

#include "haproto/ha_link_int.h"

/* ------------------------------------------------------------------ */
/* Logging and time                                                    */

void ha_link_log(struct ha_link *l, int prio, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	if (!l->ops.log)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	l->ops.log(l->arg, prio, buf);
}

uint64_t ha_link_now_ms(const struct ha_link *l)
{
	return l->ops.now_ms(l->arg);
}

uint64_t ha_link_since_ms(const struct ha_link *l, uint64_t t)
{
	uint64_t now = ha_link_now_ms(l);

	return now > t ? now - t : 0;
}

void ha_link_version_seen(struct ha_link *l, uint32_t version, const char *who)
{
	if (version == l->cfg.schema_version)
		return;
	l->st.version_mismatch++;
	if (l->warned_version)
		return;
	l->warned_version = 1;
	ha_link_log(l, LOG_NOTICE, "%s speaks schema version %u, we %u: fields either side does "
		    "not know are ignored", who, (unsigned)version,
		    (unsigned)l->cfg.schema_version);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */

int ha_link_key_valid(const char *s)
{
	uint8_t bin[32];

	/* Z85 (ZeroMQ RFC 32): 40 characters for 32 octets. */
	if (!s || strnlen(s, HA_KEY_LEN + 1) != HA_KEY_LEN)
		return 0;
	return zmq_z85_decode(bin, s) != NULL;
}

int ha_link_keygen(char *public_key, char *secret_key)
{
	if (!public_key || !secret_key)
		return -EINVAL;
	if (zmq_curve_keypair(public_key, secret_key) < 0)
		return -errno;	/* ENOTSUP: libzmq built without CURVE */
	return 0;
}

/* ------------------------------------------------------------------ */
/* Messages and sockets                                                */

int ha_link_setopt_int(void *s, int opt, int v)
{
	return zmq_setsockopt(s, opt, &v, sizeof(v));
}

int ha_link_ctl_msg(const struct ha_link *l, const struct ha_ctl *c, void *msg)
{
	zmq_msg_t *m = msg;
	uint8_t buf[LINK_CTL_MAX];
	int n = ckpt_ctl_encode(c, l->cfg.schema_version, buf, sizeof(buf));

	if (n < 0)
		return n;
	if (zmq_msg_init_size(m, (size_t)n) < 0)
		return -ENOMEM;
	memcpy(zmq_msg_data(m), buf, (size_t)n);
	return 0;
}

int ha_link_common_opts(struct ha_link *l, void *s)
{
	int64_t maxmsg = HA_CKPT_MAX_LEN + 64;

	/* Unbounded queues: a bulk is never dropped for a high-water mark;
	 * linger 0: closing never waits for a gone peer. */
	if (ha_link_setopt_int(s, ZMQ_SNDHWM, 0) < 0 || ha_link_setopt_int(s, ZMQ_RCVHWM, 0) < 0 ||
	    ha_link_setopt_int(s, ZMQ_LINGER, 0) < 0 ||
	    zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxmsg, sizeof(maxmsg)) < 0)
		return -errno;
	/* ZMTP heartbeats find a dead TCP peer even when we have nothing
	 * to send (optional: libzmq >= 4.2). */
	ha_link_setopt_int(s, ZMQ_HEARTBEAT_IVL, (int)l->cfg.heartbeat_ms);
	ha_link_setopt_int(s, ZMQ_HEARTBEAT_TIMEOUT, (int)l->cfg.dead_ms);
	return 0;
}

/* The quiet flag of l's socket s (NULL: none of l's). */
static uint8_t *link_quiet(struct ha_link *l, void *s)
{
	if (s == NULL)
		return NULL;
	if (s == l->router)
		return &l->quiet_router;
	if (s == l->zap)
		return &l->quiet_zap;
	if (s == l->dealer)
		return &l->quiet_dealer;
	return NULL;
}

/* libzmq takes a socket's pending commands in on every receive that
 * finds nothing and on every look at ZMQ_EVENTS (a getpid and a poll
 * each), and may on any send: the flag remembers which of these left
 * nothing to read. */
static void link_set_quiet(struct ha_link *l, void *s, int quiet)
{
	uint8_t *q = link_quiet(l, s);

	if (q)
		*q = (uint8_t)quiet;
}

int ha_link_events(struct ha_link *l, void *s)
{
	int ev = 0;
	size_t sz = sizeof(ev);

	if (!s || zmq_getsockopt(s, ZMQ_EVENTS, &ev, &sz) < 0)
		return 0;
	link_set_quiet(l, s, !(ev & ZMQ_POLLIN));
	return ev;
}

void ha_link_touched(struct ha_link *l, void *s)
{
	link_set_quiet(l, s, 0);
}

void ha_link_received(struct ha_link *l, void *s, int got)
{
	link_set_quiet(l, s, !got && errno == EAGAIN);
}

/* Input waits on s, or its edge may have been taken: a quiet socket
 * needs no look (a command that came since made its ZMQ_FD readable, and
 * the loop sees that). */
static int link_readable(struct ha_link *l, void *s)
{
	uint8_t *q = link_quiet(l, s);

	if (q == NULL || *q)
		return 0;
	return (ha_link_events(l, s) & ZMQ_POLLIN) != 0;
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */

void ha_link_sent(struct ha_link *l, void *s)
{
	link_set_quiet(l, s, 0);
	/* The loop's prepare looks at ZMQ_EVENTS before it sleeps, but a
	 * send from a prepare watcher that runs after it (the daemon's
	 * end-of-turn flush, when the link was made after that watcher:
	 * a link recreated after a restart) would not be seen.  Any other
	 * send is followed by a look: the end of a drain (a commit point's
	 * too) or the prepare. */
	if (l->loop && l->prepared && link_readable(l, s))
		ev_idle_start(l->loop, &l->idle);
}

/* Input left on any socket (each looked at unless quiet). */
static int link_input_left(struct ha_link *l)
{
	return link_readable(l, l->zap) || link_readable(l, l->router) ||
	       link_readable(l, l->dealer);
}

/* The standby's first HELLO waits for a connection (ZMQ_IMMEDIATE: a
 * DEALER is writable once one is up and, with CURVE, authenticated). */
static int link_hello_ready(struct ha_link *l)
{
	return l->dealer && l->hello_due && (ha_link_events(l, l->dealer) & ZMQ_POLLOUT);
}

/* One batch from each socket (the ZAP handler's only if zap); 1 if input
 * is left. */
static int link_drain(struct ha_link *l, int zap)
{
	int n;

	ha_link_active_deliver(l);
	for (n = 0; zap && l->zap && n < LINK_BATCH && ha_link_zap_read(l); n++)
		;
	for (n = 0; l->router && n < LINK_BATCH && ha_link_active_read(l); n++)
		ha_link_active_deliver(l);
	ha_link_standby_drain(l);
	if (link_hello_ready(l))
		ha_link_standby_hello(l);
	/* Whatever the drain left unacknowledged (a BULK_END's synced). */
	if (l->dealer && l->role == HA_LINK_STANDBY)
		ha_link_standby_ack(l);
	ha_link_active_deliver(l);
	return link_input_left(l);
}

static void link_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ha_link *l = w->data;

	if (link_drain(l, 1))
		ev_idle_start(loop, &l->idle);
}

static void link_idle_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	struct ha_link *l = w->data;

	if (!link_drain(l, 1) && !l->down_pending)
		ev_idle_stop(loop, w);
}

/* Before the loop sleeps: input a send consumed the edge of must not
 * wait, nor a HELLO for a connection that has just come up. */
static void link_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct ha_link *l = w->data;

	l->turn_records = 0;		/* a new turn, a new budget */
	l->prepared = 1;
	/* Records queued this turn leave before we sleep. */
	if (ha_link_active_pending(l))
		ha_link_active_flush(l);
	/* The HELLO's look first: a ZMQ_EVENTS takes commands in, and the
	 * look at the input after it sees what that brought. */
	if (link_hello_ready(l) || l->down_pending || link_input_left(l))
		ev_idle_start(loop, &l->idle);
}

/* The loop woke: the next prepare is a turn away. */
static void link_check_cb(struct ev_loop *loop, ev_check *w, int revents)
{
	struct ha_link *l = w->data;

	l->prepared = 0;
}

int ha_link_poll(struct ha_link *l)
{
	if (!l)
		return -EINVAL;
	/* The peer's messages only: a ZAP request (a connection being made)
	 * can wait for the loop, and a socket left untouched keeps its
	 * ZMQ_FD's word (the loop sees the request). */
	if (link_drain(l, 0) && l->loop)
		ev_idle_start(l->loop, &l->idle);
	return 0;
}

/*
 * Our own loop was stalled (a turn far longer than a heartbeat, a process
 * the host did not run): the peer may have spoken all along with nobody
 * reading, its messages still on the way in.  A box cannot judge silence
 * it did not listen to, so the silence counts from the end of the stall.
 */
static void link_stall_forgive(struct ha_link *l, uint64_t now)
{
	if (now <= l->hb_tick_ms + 2 * (uint64_t)l->cfg.heartbeat_ms)
		return;
	if (l->peer.state != PEER_NONE && l->peer.last_rx_ms < now)
		l->peer.last_rx_ms = now;
	if (l->active_up && l->active_last_rx_ms < now)
		l->active_last_rx_ms = now;
}

static void link_hb_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ha_link *l = w->data;
	uint64_t now;

	/* Count what is already queued as heard before judging silence. */
	if (link_drain(l, 1))
		ev_idle_start(loop, &l->idle);
	now = ha_link_now_ms(l);
	link_stall_forgive(l, now);
	l->hb_tick_ms = now;
	if (l->role == HA_LINK_ACTIVE)
		ha_link_active_heartbeat(l, now);
	else if (l->role == HA_LINK_STANDBY)
		ha_link_standby_heartbeat(l, now);
	ha_link_active_deliver(l);
}

void ha_link_io_watch(struct ha_link *l, ev_io *io, void *sock)
{
	int fd;
	size_t sz = sizeof(fd);

	if (!l->loop || zmq_getsockopt(sock, ZMQ_FD, &fd, &sz) < 0)
		return;
	ev_io_init(io, link_io_cb, fd, EV_READ);
	io->data = l;
	ev_io_start(l->loop, io);
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */

static int link_cfg_check(const struct ha_link_cfg *cfg, char *err, size_t errsz)
{
	if (cfg->bind[0] && !strstr(cfg->bind, "://")) {
		snprintf(err, errsz, "bad local address \"%s\"", cfg->bind);
		return -EINVAL;
	}
	if (cfg->connect[0] && !strstr(cfg->connect, "://")) {
		snprintf(err, errsz, "bad peer address \"%s\"", cfg->connect);
		return -EINVAL;
	}
	if (!cfg->curve)
		return 0;
	if (!ha_link_key_valid(cfg->public_key) || !ha_link_key_valid(cfg->secret_key)) {
		snprintf(err, errsz, "bad CURVE keypair (40 Z85 characters each)");
		return -EINVAL;
	}
	if (!ha_link_key_valid(cfg->peer_key)) {
		snprintf(err, errsz, "bad peer CURVE key (40 Z85 characters)");
		return -EINVAL;
	}
	if (!zmq_has("curve")) {
		snprintf(err, errsz, "libzmq has no CURVE support");
		return -ENOTSUP;
	}
	return 0;
}

int ha_link_new(struct ev_loop *loop, const struct ha_link_cfg *cfg,
		const struct ha_link_ops *ops, void *arg, struct ha_link **out,
		char *err, size_t errsz)
{
	struct ha_link *l;
	int rc;

	if (!cfg || !out) {
		snprintf(err, errsz, "no configuration");
		return -EINVAL;
	}
	*out = NULL;
	rc = link_cfg_check(cfg, err, errsz);
	if (rc < 0)
		return rc;
	if (!ops || !ops->now_ms) {
		snprintf(err, errsz, "no clock (ops.now_ms)");
		return -EINVAL;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	l->loop = loop;
	l->cfg = *cfg;
	l->ops = *ops;
	l->arg = arg;
	if (!l->cfg.heartbeat_ms)
		l->cfg.heartbeat_ms = 100;
	if (!l->cfg.dead_ms)
		l->cfg.dead_ms = 1000;
	if (!l->cfg.schema_version)
		l->cfg.schema_version = HA_SCHEMA_VERSION;
	if (l->cfg.curve)
		zmq_z85_decode(l->peer_pub, l->cfg.peer_key);

	l->ctx = zmq_ctx_new();
	if (!l->ctx) {
		snprintf(err, errsz, "zmq_ctx_new: %s", zmq_strerror(errno));
		free(l);
		return -ENOMEM;
	}
	if (loop) {
		ev_prepare_init(&l->prepare, link_prepare_cb);
		l->prepare.data = l;
		ev_prepare_start(loop, &l->prepare);
		ev_check_init(&l->check, link_check_cb);
		l->check.data = l;
		ev_check_start(loop, &l->check);
		ev_idle_init(&l->idle, link_idle_cb);
		/* libev runs an idle watcher only while nothing of its
		 * priority or above is pending: at the default priority, a
		 * loop with other sockets ready on every turn (a burst) would
		 * leave the link's input, and the acknowledgements that
		 * release held packets, until the next heartbeat. */
		ev_set_priority(&l->idle, EV_MAXPRI);
		l->idle.data = l;
		ev_timer_init(&l->hb, link_hb_cb, l->cfg.heartbeat_ms / 1000.0,
			      l->cfg.heartbeat_ms / 1000.0);
		l->hb.data = l;
	}
	/* The ZAP handler must be there before the CURVE server accepts. */
	rc = l->cfg.curve ? ha_link_zap_open(l, err, errsz) : 0;
	if (rc == 0 && l->cfg.bind[0])
		rc = ha_link_active_open(l, err, errsz);
	if (rc < 0) {
		ha_link_free(l);
		return rc;
	}
	if (!l->cfg.curve)
		ha_link_log(l, LOG_WARNING, "security none: the checkpoint link is neither "
			    "authenticated nor encrypted");
	*out = l;
	return 0;
}

void ha_link_free(struct ha_link *l)
{
	if (!l)
		return;
	if (l->loop) {
		ev_prepare_stop(l->loop, &l->prepare);
		ev_check_stop(l->loop, &l->check);
		ev_idle_stop(l->loop, &l->idle);
		ev_timer_stop(l->loop, &l->hb);
		if (l->router)
			ev_io_stop(l->loop, &l->router_io);
		if (l->zap)
			ev_io_stop(l->loop, &l->zap_io);
	}
	ha_link_standby_close(l);
	if (l->router)
		zmq_close(l->router);
	if (l->zap)
		zmq_close(l->zap);
	if (l->ctx)
		zmq_ctx_term(l->ctx);
	free(l->batch);
	free(l);
}

/*
 * No callback fires from here: the caller is changing roles and knows
 * the standby (or the active) is no longer its business.
 */
int ha_link_set_role(struct ha_link *l, enum ha_link_role role)
{
	int rc;

	if (!l || (role != HA_LINK_IDLE && role != HA_LINK_ACTIVE && role != HA_LINK_STANDBY))
		return -EINVAL;
	if (role == l->role)
		return 0;
	if (role == HA_LINK_ACTIVE && !l->router)
		return -EINVAL;		/* nowhere to serve from */
	if (role == HA_LINK_STANDBY && !l->cfg.connect[0])
		return -EINVAL;

	/* Leaving ACTIVE: forget the standby (it will say HELLO to whoever
	 * is active next). */
	ha_link_active_forget(l);
	ha_link_standby_close(l);
	ha_link_standby_forget(l);

	l->role = role;
	if (role == HA_LINK_STANDBY) {
		rc = ha_link_standby_open(l);
		if (rc < 0) {
			l->role = HA_LINK_IDLE;
			return rc;
		}
		ha_link_standby_hello(l);
	}
	l->hb_tick_ms = ha_link_now_ms(l);	/* the timer starts now */
	if (l->loop) {
		if (role == HA_LINK_IDLE)
			ev_timer_stop(l->loop, &l->hb);
		else
			ev_timer_again(l->loop, &l->hb);
		ev_idle_start(l->loop, &l->idle);
	}
	return 0;
}

enum ha_link_role ha_link_role(const struct ha_link *l)
{
	return l ? l->role : HA_LINK_IDLE;
}

void ha_link_get_stats(const struct ha_link *l, struct ha_link_stats *st)
{
	if (l && st)
		*st = l->st;
}
