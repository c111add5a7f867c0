/*
 * The checkpoint link (ha_link.h) over ZeroMQ, on the daemon's libev loop.
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
 * while the process lives, so the daemon can wait for ha_link_acked() >=
 * the number ha_link_send() gave it across re-syncs and standby changes.
 * An epoch counts bulk syncs.  The active answers a HELLO with BULK_BEGIN
 * (epoch, first seq), the records of ops->bulk, BULK_END (epoch, last seq,
 * count); the stream follows.  The standby applies records strictly in
 * order; a sequence number other than the next expected one, or an active
 * heartbeat announcing more than it has, is a gap: it says HELLO with
 * want_bulk and ignores records until the next BULK_BEGIN.  It sends one
 * cumulative ACK after each batch of input it drains, with synced set
 * once it has the whole bulk of the epoch; that ACK makes the standby
 * "up" for the active.
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
 * sleeping) while any socket has input left.  Nothing blocks: every call
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

#include "haproto/ckpt.h"
#include "haproto/ha_link.h"

#define LINK_ZAP_ENDPOINT	"inproc://zeromq.zap.01"
#define LINK_ZAP_DOMAIN		"l2tpd-ha"
#define LINK_BATCH		1024	/* messages per socket per drain */
#define LINK_ID_MAX		256	/* ZeroMQ routing identities are <= 255 octets */
#define LINK_CTL_MAX		64	/* an encoded control message */
#define LINK_REFUSAL_LOG_S	10.0	/* at most one refusal line per 10 s */
#define LINK_REDIAL_DEAD	5	/* standby: a new connection after 5 x dead_ms alone */

enum link_peer_state {
	PEER_NONE = 0,		/* no standby */
	PEER_BULK,		/* bulk sent, BULK_END not yet acknowledged */
	PEER_STREAM,		/* in sync */
};

enum link_sb_state {
	SB_HELLO = 0,		/* wants a bulk: says HELLO, ignores records */
	SB_BULK,		/* between BULK_BEGIN and BULK_END */
	SB_SYNCED,		/* stream */
};

struct ha_link {
	struct ev_loop *loop;
	struct ha_link_cfg cfg;
	struct ha_link_ops ops;
	void *arg;
	enum ha_link_role role;

	void *ctx;
	void *router, *zap, *dealer;
	uint8_t peer_pub[32];		/* cfg.peer_key, decoded */
	ev_io router_io, zap_io, dealer_io;
	ev_prepare prepare;
	ev_idle idle;
	ev_timer hb;

	/* active */
	struct {
		uint8_t id[LINK_ID_MAX];
		size_t id_len;
		enum link_peer_state state;
		double last_rx;		/* ev_now */
		double bulk_start;	/* ev_time */
		uint64_t bulk_end_seq;
	} peer;
	uint64_t seq;			/* last sequence number given out */
	uint64_t acked;
	uint64_t epoch;			/* last bulk's */
	int in_bulk;			/* inside ops->bulk */
	uint64_t bulk_count;
	unsigned skip_seq;		/* test hook */
	int down_pending;		/* ops->standby(0) to deliver from the loop */
	char down_reason[96];

	/* standby */
	enum link_sb_state sb;
	int active_up;
	double active_last_rx;		/* ev_now */
	uint64_t sb_epoch;		/* epoch of the bulk held or being received */
	uint64_t expect;		/* next sequence number */
	uint64_t applied;		/* last applied: the cumulative ack */
	uint64_t ack_sent;
	int ack_synced_sent;
	uint64_t rx_count;
	double sb_bulk_start;		/* ev_time */
	double dealer_opened;		/* ev_now */
	int hello_due;			/* a HELLO found no connection: send when one is up */

	struct ha_link_stats st;
	int warned_version;
	double refusal_logged;		/* ev_now of the last refusal line */
	uint64_t refusals_quiet;	/* refusals since, not logged */
};

/* ------------------------------------------------------------------ */
/* Logging                                                             */

static void link_log(struct ha_link *l, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void link_log(struct ha_link *l, int prio, const char *fmt, ...)
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

static double link_now(const struct ha_link *l)
{
	return l->loop ? ev_now(l->loop) : 0.0;
}

static double link_time(void)
{
	return ev_time();
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
/* Sending                                                             */

static int link_setopt_int(void *s, int opt, int v)
{
	return zmq_setsockopt(s, opt, &v, sizeof(v));
}

/* To the standby the active serves: identity frame, then the envelope.
 * 0, or -errno (EHOSTUNREACH: the standby's connection is gone). */
static int link_router_send(struct ha_link *l, zmq_msg_t *m)
{
	size_t len = zmq_msg_size(m);

	if (zmq_send(l->router, l->peer.id, l->peer.id_len, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0)
		return -errno;
	if (zmq_msg_send(m, l->router, ZMQ_DONTWAIT) < 0)
		return -errno;
	l->st.tx_bytes += len;
	return 0;
}

static int link_ctl_msg(const struct ha_link *l, const struct ha_ctl *c, zmq_msg_t *m)
{
	uint8_t buf[LINK_CTL_MAX];
	int n = ckpt_ctl_encode(c, l->cfg.schema_version, buf, sizeof(buf));

	if (n < 0)
		return n;
	if (zmq_msg_init_size(m, (size_t)n) < 0)
		return -ENOMEM;
	memcpy(zmq_msg_data(m), buf, (size_t)n);
	return 0;
}

static void link_peer_lost(struct ha_link *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int link_active_send_ctl(struct ha_link *l, const struct ha_ctl *c)
{
	zmq_msg_t m;
	int rc;

	if (l->peer.state == PEER_NONE)
		return -ENOTCONN;
	rc = link_ctl_msg(l, c, &m);
	if (rc < 0)
		return rc;
	rc = link_router_send(l, &m);
	zmq_msg_close(&m);
	if (rc == -EHOSTUNREACH)
		link_peer_lost(l, "standby unreachable");
	return rc;
}

/* A control message to some identity other than the served standby. */
static void link_router_send_to(struct ha_link *l, const uint8_t *id, size_t id_len,
				const struct ha_ctl *c)
{
	zmq_msg_t m;

	if (link_ctl_msg(l, c, &m) < 0)
		return;
	if (zmq_send(l->router, id, id_len, ZMQ_SNDMORE | ZMQ_DONTWAIT) == 0)
		zmq_msg_send(&m, l->router, ZMQ_DONTWAIT);
	zmq_msg_close(&m);
}

static int link_dealer_send_ctl(struct ha_link *l, const struct ha_ctl *c)
{
	zmq_msg_t m;
	int rc;

	if (!l->dealer)
		return -ENOTCONN;
	rc = link_ctl_msg(l, c, &m);
	if (rc < 0)
		return rc;
	/* ZMQ_IMMEDIATE: EAGAIN while no connection is up; the next
	 * heartbeat tries again. */
	rc = zmq_msg_send(&m, l->dealer, ZMQ_DONTWAIT) < 0 ? -errno : 0;
	if (rc == 0)
		l->st.tx_bytes += zmq_msg_size(&m);
	zmq_msg_close(&m);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Active: the standby it serves                                       */

/*
 * The standby is gone (unreachable, silent, replaced).  ops->standby(0) is
 * delivered from the loop, not from here: this may run inside
 * ha_link_send(), called by the daemon in the middle of its own work.
 */
static void link_peer_lost(struct ha_link *l, const char *fmt, ...)
{
	va_list ap;

	if (l->peer.state == PEER_NONE)
		return;
	va_start(ap, fmt);
	vsnprintf(l->down_reason, sizeof(l->down_reason), fmt, ap);
	va_end(ap);
	link_log(l, LOG_WARNING, "standby lost: %s", l->down_reason);
	l->peer.state = PEER_NONE;
	l->peer.id_len = 0;
	l->down_pending = 1;
	if (l->loop)
		ev_idle_start(l->loop, &l->idle);
}

static void link_deliver_pending(struct ha_link *l)
{
	if (!l->down_pending)
		return;
	l->down_pending = 0;
	if (l->ops.standby)
		l->ops.standby(l->arg, 0, l->down_reason);
}

static void link_bulk(struct ha_link *l)
{
	struct ha_ctl c = { .type = HA_CTL_BULK_BEGIN };

	l->epoch++;
	l->peer.state = PEER_BULK;
	l->peer.bulk_start = link_time();
	c.epoch = l->epoch;
	c.seq = l->seq + 1;
	if (link_active_send_ctl(l, &c) < 0)
		return;
	link_log(l, LOG_INFO, "bulk sync %llu to the standby begins at record %llu",
		 (unsigned long long)l->epoch, (unsigned long long)c.seq);
	l->bulk_count = 0;
	l->in_bulk = 1;
	if (l->ops.bulk)
		l->ops.bulk(l->arg);
	l->in_bulk = 0;
	/* The standby may have vanished during the bulk. */
	if (l->peer.state != PEER_BULK)
		return;
	l->peer.bulk_end_seq = l->seq;
	l->st.bulks++;
	l->st.bulk_records = l->bulk_count;
	c.type = HA_CTL_BULK_END;
	c.seq = l->seq;
	c.count = l->bulk_count;
	link_active_send_ctl(l, &c);
}

static void link_active_hello(struct ha_link *l, const uint8_t *id, size_t id_len,
			      const struct ha_ctl *c, uint32_t version)
{
	int current = l->peer.state != PEER_NONE && id_len == l->peer.id_len &&
		      memcmp(id, l->peer.id, id_len) == 0;

	if (version != l->cfg.schema_version) {
		l->st.version_mismatch++;
		if (!l->warned_version) {
			l->warned_version = 1;
			link_log(l, LOG_NOTICE, "standby speaks schema version %u, we %u: "
				 "fields either side does not know are ignored",
				 (unsigned)version, (unsigned)l->cfg.schema_version);
		}
	}
	if (current) {
		l->peer.last_rx = link_now(l);
		/* A HELLO sent before our BULK_BEGIN reached it: that bulk
		 * is on its way. */
		if (!c->want_bulk || c->epoch < l->epoch)
			return;
		l->st.gaps++;
		link_log(l, LOG_NOTICE, "standby asks for a new bulk sync (epoch %llu)",
			 (unsigned long long)c->epoch);
		link_bulk(l);
		return;
	}
	if (l->peer.state != PEER_NONE)
		link_peer_lost(l, "replaced by a new standby");
	link_deliver_pending(l);
	memcpy(l->peer.id, id, id_len);
	l->peer.id_len = id_len;
	l->peer.last_rx = link_now(l);
	link_log(l, LOG_INFO, "standby says hello (schema version %u)", (unsigned)version);
	link_bulk(l);
}

static void link_active_ack(struct ha_link *l, const struct ha_ctl *c)
{
	l->st.rx_acks++;
	/* Only for this epoch: a standby that has not yet seen our latest
	 * BULK_BEGIN may still count in another active's numbers. */
	if (c->epoch != l->epoch)
		return;
	/* Cumulative, and never beyond what we sent. */
	if (c->seq > l->acked && c->seq <= l->seq) {
		l->acked = c->seq;
		if (l->ops.acked)
			l->ops.acked(l->arg, l->acked);
	}
	if (l->peer.state == PEER_BULK && c->synced && c->epoch == l->epoch &&
	    c->seq >= l->peer.bulk_end_seq) {
		l->peer.state = PEER_STREAM;
		l->st.bulk_ms = (uint64_t)((link_time() - l->peer.bulk_start) * 1000.0);
		link_log(l, LOG_INFO, "standby in sync: bulk of %llu records acknowledged in %llu ms",
			 (unsigned long long)l->st.bulk_records, (unsigned long long)l->st.bulk_ms);
		if (l->ops.standby)
			l->ops.standby(l->arg, 1, "in sync");
	}
}

static void link_active_msg(struct ha_link *l, const uint8_t *id, size_t id_len,
			    const uint8_t *buf, size_t len)
{
	struct ha_ctl c;
	uint32_t version = 0;
	int current, rc;

	rc = ckpt_decode_msg(buf, len, NULL, &c, NULL, &version);
	if (rc != CKPT_CTL) {
		/* A standby sends no records. */
		l->st.decode_errors++;
		return;
	}
	if (c.type == HA_CTL_HELLO) {
		link_active_hello(l, id, id_len, &c, version);
		return;
	}
	current = l->peer.state != PEER_NONE && id_len == l->peer.id_len &&
		  memcmp(id, l->peer.id, id_len) == 0;
	if (!current) {
		/* A standby we do not serve (one we gave up on, or the
		 * active before us had): make it say HELLO. */
		struct ha_ctl reset = { .type = HA_CTL_RESET };

		link_router_send_to(l, id, id_len, &reset);
		return;
	}
	l->peer.last_rx = link_now(l);
	switch (c.type) {
	case HA_CTL_ACK:
		link_active_ack(l, &c);
		break;
	case HA_CTL_HEARTBEAT:
		l->st.heartbeats_rx++;
		break;
	default:
		break;		/* not for an active; a newer kind: ignored */
	}
}

/* ------------------------------------------------------------------ */
/* ZAP (ZeroMQ RFC 27): admit the peer's CURVE key, no other.          */

static void link_zap_log_refusal(struct ha_link *l, const char *addr, const uint8_t *key,
				 size_t key_len)
{
	char z85[HA_KEY_LEN + 1] = "?";
	double now = link_now(l);

	l->st.auth_refused++;
	/* Rate-limited: a misconfigured standby retries every 100 ms. */
	if (l->st.auth_refused > 1 && now - l->refusal_logged < LINK_REFUSAL_LOG_S) {
		l->refusals_quiet++;
		return;
	}
	if (key_len == 32)
		zmq_z85_encode(z85, key, 32);
	link_log(l, LOG_WARNING, "refused checkpoint client %s: CURVE key %s is not the peer's"
		 " (%llu more refusals not logged)", addr, z85,
		 (unsigned long long)l->refusals_quiet);
	l->refusal_logged = now;
	l->refusals_quiet = 0;
}

#define ZAP_FRAMES	7	/* version, id, domain, address, identity, mechanism, key */

static int link_zap_one(struct ha_link *l)
{
	zmq_msg_t f[ZAP_FRAMES + 1];
	char addr[64] = "";
	int n = 0, more = 1, ok, i;
	size_t len;

	/* Read every frame of the request, keeping the first ZAP_FRAMES. */
	while (more) {
		zmq_msg_t *m = &f[n < ZAP_FRAMES ? n : ZAP_FRAMES];

		zmq_msg_init(m);
		if (zmq_msg_recv(m, l->zap, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(m);
			if (n == 0)
				return 0;	/* EAGAIN: nothing there */
			break;
		}
		more = zmq_msg_more(m);
		if (n >= ZAP_FRAMES)
			zmq_msg_close(m);
		n++;
	}
	if (n > ZAP_FRAMES)
		n = ZAP_FRAMES;

	if (n >= 4) {
		len = zmq_msg_size(&f[3]);
		if (len >= sizeof(addr))
			len = sizeof(addr) - 1;
		memcpy(addr, zmq_msg_data(&f[3]), len);
		addr[len] = '\0';
	}
	ok = n == 7 && zmq_msg_size(&f[0]) == 3 && memcmp(zmq_msg_data(&f[0]), "1.0", 3) == 0 &&
	     zmq_msg_size(&f[5]) == 5 && memcmp(zmq_msg_data(&f[5]), "CURVE", 5) == 0 &&
	     zmq_msg_size(&f[6]) == 32 && memcmp(zmq_msg_data(&f[6]), l->peer_pub, 32) == 0;
	if (!ok)
		link_zap_log_refusal(l, addr, n == 7 ? zmq_msg_data(&f[6]) : NULL,
				     n == 7 ? zmq_msg_size(&f[6]) : 0);

	/* A REP socket must answer before it can read the next request, so
	 * even a malformed one gets its 400.  Reply: version, request id,
	 * status code, status text, user id, metadata. */
	zmq_send(l->zap, "1.0", 3, ZMQ_SNDMORE | ZMQ_DONTWAIT);
	if (n >= 2)
		zmq_send(l->zap, zmq_msg_data(&f[1]), zmq_msg_size(&f[1]),
			 ZMQ_SNDMORE | ZMQ_DONTWAIT);
	else
		zmq_send(l->zap, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT);
	zmq_send(l->zap, ok ? "200" : "400", 3, ZMQ_SNDMORE | ZMQ_DONTWAIT);
	zmq_send(l->zap, ok ? "OK" : "not the peer's key", ok ? 2 : 18,
		 ZMQ_SNDMORE | ZMQ_DONTWAIT);
	zmq_send(l->zap, ok ? "peer" : "", ok ? 4 : 0, ZMQ_SNDMORE | ZMQ_DONTWAIT);
	zmq_send(l->zap, "", 0, ZMQ_DONTWAIT);
	for (i = 0; i < n; i++)
		zmq_msg_close(&f[i]);
	return 1;
}

/* ------------------------------------------------------------------ */
/* Receiving on the ROUTER                                             */

static int link_router_one(struct ha_link *l)
{
	zmq_msg_t id, m;
	int rc = 1;

	zmq_msg_init(&id);
	if (zmq_msg_recv(&id, l->router, ZMQ_DONTWAIT) < 0) {
		zmq_msg_close(&id);
		return 0;
	}
	zmq_msg_init(&m);
	if (!zmq_msg_more(&id) || zmq_msg_recv(&m, l->router, ZMQ_DONTWAIT) < 0) {
		l->st.decode_errors++;
		goto out;
	}
	/* One envelope per message: drop any further frames. */
	while (zmq_msg_more(&m)) {
		zmq_msg_t extra;

		zmq_msg_init(&extra);
		if (zmq_msg_recv(&extra, l->router, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&extra);
			break;
		}
		zmq_msg_close(&extra);
		l->st.decode_errors++;
		if (!zmq_msg_more(&extra))
			break;
	}
	l->st.rx_bytes += zmq_msg_size(&m);
	/* Only the active answers; IDLE and STANDBY answer nobody. */
	if (l->role == HA_LINK_ACTIVE && zmq_msg_size(&id) <= LINK_ID_MAX)
		link_active_msg(l, zmq_msg_data(&id), zmq_msg_size(&id), zmq_msg_data(&m),
				zmq_msg_size(&m));
out:
	zmq_msg_close(&m);
	zmq_msg_close(&id);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Standby                                                             */

static void link_sb_hello(struct ha_link *l)
{
	struct ha_ctl c = { .type = HA_CTL_HELLO };

	c.epoch = l->sb_epoch;
	c.seq = l->applied;
	c.want_bulk = l->sb == SB_HELLO;
	/* EAGAIN (no connection yet, ZMQ_IMMEDIATE): link_drain sends it
	 * the moment the connection is up, not a heartbeat later. */
	l->hello_due = link_dealer_send_ctl(l, &c) < 0;
}

static void link_sb_want_bulk(struct ha_link *l, const char *why)
{
	if (l->sb == SB_HELLO)
		return;
	l->st.gaps++;
	link_log(l, LOG_WARNING, "%s: asking the active for a new bulk sync", why);
	l->sb = SB_HELLO;
	link_sb_hello(l);
}

static void link_sb_ack(struct ha_link *l)
{
	struct ha_ctl c = { .type = HA_CTL_ACK };
	int synced = l->sb == SB_SYNCED;

	/* Waiting for a bulk, we hold nothing this active can count on. */
	if (l->sb == SB_HELLO)
		return;
	if (l->applied == l->ack_sent && synced == l->ack_synced_sent)
		return;
	c.epoch = l->sb_epoch;
	c.seq = l->applied;
	c.synced = (uint8_t)synced;
	if (link_dealer_send_ctl(l, &c) == 0) {
		l->ack_sent = l->applied;
		l->ack_synced_sent = synced;
		l->st.tx_acks++;
	}
}

/* rc, r, seq, version: what ckpt_decode_msg made of the message. */
static void link_sb_record(struct ha_link *l, int rc, struct ha_rec *r, uint64_t seq,
			   uint32_t version)
{
	char why[96];

	if (l->sb == SB_HELLO)
		return;		/* waiting for a bulk: the stream means nothing until then */
	if (rc < 0 && seq == 0) {
		/* Not even an envelope: its sequence number is lost with it. */
		l->st.decode_errors++;
		link_sb_want_bulk(l, "undecodable message");
		return;
	}
	if (seq != l->expect) {
		snprintf(why, sizeof(why), "sequence gap: record %llu, expected %llu",
			 (unsigned long long)seq, (unsigned long long)l->expect);
		link_sb_want_bulk(l, why);
		return;
	}
	l->expect++;
	l->applied = seq;
	if (l->sb == SB_BULK)
		l->st.bulk_records++;
	if (rc < 0) {
		/* A well-framed record with a value out of range: counted,
		 * skipped, and not a gap (a new bulk would bring it back). */
		l->st.decode_errors++;
		link_log(l, LOG_ERR, "record %llu does not decode: skipped",
			 (unsigned long long)seq);
		return;
	}
	if (version != l->cfg.schema_version) {
		l->st.version_mismatch++;
		if (!l->warned_version) {
			l->warned_version = 1;
			link_log(l, LOG_NOTICE, "active speaks schema version %u, we %u: fields "
				 "either side does not know are ignored", (unsigned)version,
				 (unsigned)l->cfg.schema_version);
		}
	}
	l->st.rx_records++;
	/* A record kind of a newer schema: counted in sequence, not applied. */
	if (r->type != HA_REC_NONE) {
		l->rx_count++;
		if (l->ops.record)
			l->ops.record(l->arg, r);
	}
}

static void link_sb_ctl(struct ha_link *l, const struct ha_ctl *c)
{
	char why[96];

	switch (c->type) {
	case HA_CTL_BULK_BEGIN:
		l->sb = SB_BULK;
		l->sb_epoch = c->epoch;
		l->expect = c->seq;
		l->applied = c->seq ? c->seq - 1 : 0;
		l->sb_bulk_start = link_time();
		l->st.bulks++;
		l->st.bulk_records = 0;
		l->ack_synced_sent = 0;
		link_log(l, LOG_INFO, "bulk sync %llu begins", (unsigned long long)c->epoch);
		if (l->ops.bulk_begin)
			l->ops.bulk_begin(l->arg);
		break;
	case HA_CTL_BULK_END:
		if (l->sb != SB_BULK || c->epoch != l->sb_epoch)
			break;
		if (c->seq != l->applied || c->count != l->st.bulk_records) {
			snprintf(why, sizeof(why), "bulk %llu ends at record %llu, we have %llu",
				 (unsigned long long)c->epoch, (unsigned long long)c->seq,
				 (unsigned long long)l->applied);
			link_sb_want_bulk(l, why);
			break;
		}
		l->sb = SB_SYNCED;
		l->st.bulk_ms = (uint64_t)((link_time() - l->sb_bulk_start) * 1000.0);
		link_log(l, LOG_INFO, "bulk sync %llu complete: %llu records in %llu ms",
			 (unsigned long long)c->epoch, (unsigned long long)c->count,
			 (unsigned long long)l->st.bulk_ms);
		if (l->ops.bulk_end)
			l->ops.bulk_end(l->arg);
		break;
	case HA_CTL_HEARTBEAT:
		l->st.heartbeats_rx++;
		/* Everything up to c->seq left the active before this
		 * heartbeat, on the same ordered connection: if we have less,
		 * the tail of the stream was lost. */
		if (l->sb != SB_HELLO && c->epoch == l->sb_epoch && c->seq > l->applied) {
			snprintf(why, sizeof(why), "sequence gap: the active sent %llu, we have %llu",
				 (unsigned long long)c->seq, (unsigned long long)l->applied);
			link_sb_want_bulk(l, why);
		}
		break;
	case HA_CTL_RESET:
		l->ack_sent = 0;
		l->ack_synced_sent = 0;
		if (l->sb != SB_HELLO) {
			l->sb = SB_HELLO;
			link_log(l, LOG_NOTICE, "the active does not know us: asking for a bulk sync");
		}
		link_sb_hello(l);
		break;
	case HA_CTL_TAKEOVER:
		link_log(l, LOG_NOTICE, "the active asks us to take over");
		if (l->ops.takeover)
			l->ops.takeover(l->arg);
		break;
	default:
		break;	/* not for a standby, or a kind of a newer schema */
	}
}

static int link_dealer_one(struct ha_link *l)
{
	zmq_msg_t m;
	struct ha_ctl c;
	struct ha_rec r;
	uint64_t seq = 0;
	uint32_t version = 0;
	int rc;

	zmq_msg_init(&m);
	if (zmq_msg_recv(&m, l->dealer, ZMQ_DONTWAIT) < 0) {
		zmq_msg_close(&m);
		return 0;
	}
	l->st.rx_bytes += zmq_msg_size(&m);
	l->active_last_rx = link_now(l);
	if (!l->active_up) {
		l->active_up = 1;
		if (l->ops.active)
			l->ops.active(l->arg, 1, "connected");
	}
	if (l->role != HA_LINK_STANDBY)
		goto out;	/* the callback changed our role */
	rc = ckpt_decode_msg(zmq_msg_data(&m), zmq_msg_size(&m), &r, &c, &seq, &version);
	if (rc == CKPT_CTL) {
		link_sb_ctl(l, &c);
	} else {
		link_sb_record(l, rc, &r, seq, version);
		if (rc == CKPT_RECORD)
			ha_rec_clear(&r);
	}
out:
	zmq_msg_close(&m);
	return 1;
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */

static int link_events(void *s)
{
	int ev = 0;
	size_t sz = sizeof(ev);

	if (!s || zmq_getsockopt(s, ZMQ_EVENTS, &ev, &sz) < 0)
		return 0;
	return ev;
}

static int link_readable(void *s)
{
	return (link_events(s) & ZMQ_POLLIN) != 0;
}

/* One batch from each socket; 1 if input is left. */
static int link_drain(struct ha_link *l)
{
	int n;

	link_deliver_pending(l);
	for (n = 0; l->zap && n < LINK_BATCH && link_zap_one(l); n++)
		;
	for (n = 0; l->router && n < LINK_BATCH && link_router_one(l); n++)
		link_deliver_pending(l);
	for (n = 0; l->dealer && n < LINK_BATCH && link_dealer_one(l); n++)
		;
	/* With ZMQ_IMMEDIATE a DEALER is writable once a connection is up
	 * (and, with CURVE, authenticated): the first HELLO goes then. */
	if (l->dealer && l->hello_due && (link_events(l->dealer) & ZMQ_POLLOUT))
		link_sb_hello(l);
	/* One cumulative acknowledgement per batch: prompt, and one
	 * message for many records. */
	if (l->dealer && l->role == HA_LINK_STANDBY)
		link_sb_ack(l);
	link_deliver_pending(l);
	return link_readable(l->zap) || link_readable(l->router) || link_readable(l->dealer);
}

static void link_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ha_link *l = w->data;

	(void)revents;
	if (link_drain(l))
		ev_idle_start(loop, &l->idle);
}

static void link_idle_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	struct ha_link *l = w->data;

	(void)revents;
	if (!link_drain(l) && !l->down_pending)
		ev_idle_stop(loop, w);
}

/* Before the loop sleeps: input a send consumed the edge of must not
 * wait, nor a HELLO for a connection that has just come up. */
static void link_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct ha_link *l = w->data;

	(void)revents;
	if (l->down_pending || link_readable(l->zap) || link_readable(l->router) ||
	    link_readable(l->dealer) ||
	    (l->dealer && l->hello_due && (link_events(l->dealer) & ZMQ_POLLOUT)))
		ev_idle_start(loop, &l->idle);
}

static void link_hb_active(struct ha_link *l, double now)
{
	struct ha_ctl c = { .type = HA_CTL_HEARTBEAT };

	if (l->peer.state == PEER_NONE)
		return;
	if ((now - l->peer.last_rx) * 1000.0 > l->cfg.dead_ms) {
		l->st.peer_timeouts++;
		link_peer_lost(l, "no word for %u ms", l->cfg.dead_ms);
		return;
	}
	c.epoch = l->epoch;
	c.seq = l->seq;
	if (link_active_send_ctl(l, &c) == 0)
		l->st.heartbeats_tx++;
}

static void link_dealer_close(struct ha_link *l);
static int link_dealer_open(struct ha_link *l);

static void link_hb_standby(struct ha_link *l, double now)
{
	struct ha_ctl c = { .type = HA_CTL_HEARTBEAT };

	if (l->active_up && (now - l->active_last_rx) * 1000.0 > l->cfg.dead_ms) {
		l->active_up = 0;
		l->st.peer_timeouts++;
		if (l->ops.active)
			l->ops.active(l->arg, 0, "no word from the active");
		if (l->role != HA_LINK_STANDBY)
			return;
	}
	/* ZeroMQ reconnects by itself, except after an authentication
	 * failure (a ZAP 400 is final for the connection): a standby alone
	 * for long starts afresh, so fixing the keys on the active is
	 * enough to bring it back. */
	if (!l->active_up && now - l->dealer_opened > LINK_REDIAL_DEAD * l->cfg.dead_ms / 1000.0 &&
	    now - l->active_last_rx > LINK_REDIAL_DEAD * l->cfg.dead_ms / 1000.0) {
		link_dealer_close(l);
		if (link_dealer_open(l) < 0)
			return;
	}
	/* Until an active answers, HELLO (want_bulk only while we need a
	 * bulk: a merely slow active keeps streaming to us). */
	if (l->sb == SB_HELLO || !l->active_up) {
		link_sb_hello(l);
		return;
	}
	c.epoch = l->sb_epoch;
	c.seq = l->applied;
	if (link_dealer_send_ctl(l, &c) == 0)
		l->st.heartbeats_tx++;
}

static void link_hb_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ha_link *l = w->data;

	(void)revents;
	/* Count what is already queued as heard before judging silence. */
	if (link_drain(l))
		ev_idle_start(loop, &l->idle);
	if (l->role == HA_LINK_ACTIVE)
		link_hb_active(l, ev_now(loop));
	else if (l->role == HA_LINK_STANDBY)
		link_hb_standby(l, ev_now(loop));
	link_deliver_pending(l);
}

static void link_io_watch(struct ha_link *l, ev_io *io, void *sock)
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
/* Sockets                                                             */

static int link_common_opts(struct ha_link *l, void *s)
{
	int64_t maxmsg = HA_CKPT_MAX_LEN + 64;

	/* Unbounded queues: a bulk is never dropped for a high-water mark;
	 * linger 0: closing never waits for a gone peer. */
	if (link_setopt_int(s, ZMQ_SNDHWM, 0) < 0 || link_setopt_int(s, ZMQ_RCVHWM, 0) < 0 ||
	    link_setopt_int(s, ZMQ_LINGER, 0) < 0 ||
	    zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxmsg, sizeof(maxmsg)) < 0)
		return -errno;
	/* ZMTP heartbeats find a dead TCP peer even when we have nothing
	 * to send (optional: libzmq >= 4.2). */
	link_setopt_int(s, ZMQ_HEARTBEAT_IVL, (int)l->cfg.heartbeat_ms);
	link_setopt_int(s, ZMQ_HEARTBEAT_TIMEOUT, (int)l->cfg.dead_ms);
	return 0;
}

static int link_zap_open(struct ha_link *l, char *err, size_t errsz)
{
	l->zap = zmq_socket(l->ctx, ZMQ_REP);
	if (!l->zap || link_setopt_int(l->zap, ZMQ_LINGER, 0) < 0 ||
	    zmq_bind(l->zap, LINK_ZAP_ENDPOINT) < 0) {
		snprintf(err, errsz, "ZAP handler: %s", zmq_strerror(errno));
		return -EIO;
	}
	link_io_watch(l, &l->zap_io, l->zap);
	return 0;
}

static int link_router_open(struct ha_link *l, char *err, size_t errsz)
{
	void *s;
	int rc;

	s = l->router = zmq_socket(l->ctx, ZMQ_ROUTER);
	if (!s) {
		snprintf(err, errsz, "socket: %s", zmq_strerror(errno));
		return -EIO;
	}
	rc = link_common_opts(l, s);
	if (rc == 0 && link_setopt_int(s, ZMQ_ROUTER_MANDATORY, 1) < 0)
		rc = -errno;
	if (rc == 0 && l->cfg.curve &&
	    (link_setopt_int(s, ZMQ_CURVE_SERVER, 1) < 0 ||
	     zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, l->cfg.secret_key, HA_KEY_LEN + 1) < 0 ||
	     zmq_setsockopt(s, ZMQ_ZAP_DOMAIN, LINK_ZAP_DOMAIN, strlen(LINK_ZAP_DOMAIN)) < 0))
		rc = -errno;
	if (rc < 0) {
		snprintf(err, errsz, "socket options: %s", zmq_strerror(-rc));
		return rc;
	}
	if (zmq_bind(s, l->cfg.bind) < 0) {
		rc = -errno;
		snprintf(err, errsz, "bind %s: %s", l->cfg.bind, zmq_strerror(errno));
		return rc;
	}
	link_io_watch(l, &l->router_io, s);
	return 0;
}

static void link_dealer_close(struct ha_link *l)
{
	if (!l->dealer)
		return;
	if (l->loop)
		ev_io_stop(l->loop, &l->dealer_io);
	zmq_close(l->dealer);
	l->dealer = NULL;
	l->active_up = 0;
}

static int link_dealer_open(struct ha_link *l)
{
	void *s;
	int rc;

	s = zmq_socket(l->ctx, ZMQ_DEALER);
	if (!s)
		return -errno;
	rc = link_common_opts(l, s);
	/* Queue nothing for a connection that is not up (and, with CURVE,
	 * authenticated): HELLO is repeated each heartbeat instead. */
	if (rc == 0 && link_setopt_int(s, ZMQ_IMMEDIATE, 1) < 0)
		rc = -errno;
	if (rc == 0 && l->cfg.curve &&
	    (zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, l->cfg.peer_key, HA_KEY_LEN + 1) < 0 ||
	     zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, l->cfg.public_key, HA_KEY_LEN + 1) < 0 ||
	     zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, l->cfg.secret_key, HA_KEY_LEN + 1) < 0))
		rc = -errno;
	if (rc == 0 && zmq_connect(s, l->cfg.connect) < 0)
		rc = -errno;
	if (rc < 0) {
		link_log(l, LOG_ERR, "cannot connect to %s: %s", l->cfg.connect, zmq_strerror(-rc));
		zmq_close(s);
		return rc;
	}
	l->dealer = s;
	l->dealer_opened = link_now(l);
	link_io_watch(l, &l->dealer_io, s);
	return 0;
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
	l = calloc(1, sizeof(*l));
	if (!l) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	l->loop = loop;
	l->cfg = *cfg;
	if (ops)
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
		ev_idle_init(&l->idle, link_idle_cb);
		l->idle.data = l;
		ev_timer_init(&l->hb, link_hb_cb, l->cfg.heartbeat_ms / 1000.0,
			      l->cfg.heartbeat_ms / 1000.0);
		l->hb.data = l;
	}
	/* The ZAP handler must be there before the CURVE server accepts. */
	rc = l->cfg.curve ? link_zap_open(l, err, errsz) : 0;
	if (rc == 0 && l->cfg.bind[0])
		rc = link_router_open(l, err, errsz);
	if (rc < 0) {
		ha_link_free(l);
		return rc;
	}
	if (!l->cfg.curve)
		link_log(l, LOG_WARNING, "security none: the checkpoint link is neither "
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
		ev_idle_stop(l->loop, &l->idle);
		ev_timer_stop(l->loop, &l->hb);
		if (l->router)
			ev_io_stop(l->loop, &l->router_io);
		if (l->zap)
			ev_io_stop(l->loop, &l->zap_io);
	}
	link_dealer_close(l);
	if (l->router)
		zmq_close(l->router);
	if (l->zap)
		zmq_close(l->zap);
	if (l->ctx)
		zmq_ctx_term(l->ctx);
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
	l->peer.state = PEER_NONE;
	l->peer.id_len = 0;
	l->down_pending = 0;
	link_dealer_close(l);
	l->sb = SB_HELLO;
	l->ack_sent = 0;
	l->ack_synced_sent = 0;

	l->role = role;
	if (role == HA_LINK_STANDBY) {
		rc = link_dealer_open(l);
		if (rc < 0) {
			l->role = HA_LINK_IDLE;
			return rc;
		}
		link_sb_hello(l);
	}
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

/* ------------------------------------------------------------------ */
/* Active API                                                          */

uint64_t ha_link_send(struct ha_link *l, const struct ha_rec *r)
{
	zmq_msg_t m;
	uint64_t seq;
	int n, rc;

	if (!l || !r || l->role != HA_LINK_ACTIVE || l->peer.state == PEER_NONE)
		return 0;
	/* Test hook (ha_link_test_skip_seq): one number lost on the way. */
	seq = l->seq + 1 + (l->skip_seq ? 1 : 0);
	n = ckpt_encode_size(r, seq);
	if (n < 0) {
		l->st.decode_errors++;
		link_log(l, LOG_ERR, "%s record does not encode (%s): not sent",
			 ha_rec_type_string(r->type), strerror(-n));
		return 0;
	}
	if (zmq_msg_init_size(&m, (size_t)n) < 0)
		return 0;
	if (l->skip_seq)
		l->skip_seq--;
	l->seq = seq;
	ckpt_encode(r, seq, zmq_msg_data(&m), (size_t)n);
	rc = link_router_send(l, &m);
	zmq_msg_close(&m);
	if (rc < 0) {
		link_peer_lost(l, "standby unreachable (%s)", zmq_strerror(-rc));
		return 0;
	}
	l->st.tx_records++;
	if (l->in_bulk)
		l->bulk_count++;
	return seq;
}

uint64_t ha_link_acked(const struct ha_link *l)
{
	return l ? l->acked : 0;
}

uint64_t ha_link_last_seq(const struct ha_link *l)
{
	return l ? l->seq : 0;
}

int ha_link_standby_ready(const struct ha_link *l)
{
	return l && l->role == HA_LINK_ACTIVE && l->peer.state == PEER_STREAM;
}

int ha_link_request_takeover(struct ha_link *l)
{
	struct ha_ctl c = { .type = HA_CTL_TAKEOVER };

	if (!l || l->role != HA_LINK_ACTIVE)
		return -EINVAL;
	if (l->peer.state == PEER_NONE)
		return -ENOTCONN;
	c.epoch = l->epoch;
	c.seq = l->seq;
	return link_active_send_ctl(l, &c);
}

void ha_link_test_skip_seq(struct ha_link *l)
{
	if (l)
		l->skip_seq++;
}

/* ------------------------------------------------------------------ */
/* Standby API and both                                                */

int ha_link_synced(const struct ha_link *l)
{
	return l && l->role == HA_LINK_STANDBY && l->active_up && l->sb == SB_SYNCED;
}

uint64_t ha_link_rx_count(const struct ha_link *l)
{
	return l ? l->rx_count : 0;
}

void ha_link_get_stats(const struct ha_link *l, struct ha_link_stats *st)
{
	if (l && st)
		*st = l->st;
}

int ha_link_endpoint(const struct ha_link *l, char *buf, size_t size)
{
	size_t len = size;

	if (!l || !l->router || !buf || !size)
		return -EINVAL;
	if (zmq_getsockopt(l->router, ZMQ_LAST_ENDPOINT, buf, &len) < 0)
		return -errno;
	return 0;
}
