/*
 * The checkpoint link, active side (ha_link_int.h): the ROUTER bound at
 * cfg.bind serves one standby.  A HELLO from a routing identity it does not
 * serve is a new standby: it replaces the current one and gets a bulk
 * (BULK_BEGIN, the records of ops->bulk, BULK_END); the stream follows, and
 * the standby's cumulative ACKs move ha_link_active_acked().  Anything else
 * from a stranger gets RESET, which makes it say HELLO.  A standby silent for
 * dead_ms, or unreachable, is lost: ops->standby(0) is delivered from the
 * loop, never from inside ha_link_active_send().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <zmq.h>

#include "haproto/ha_link_int.h"

static void active_peer_lost(struct ha_link *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* To the standby the active serves: identity frame, then the envelope.
 * 0, or -errno (EHOSTUNREACH: the standby's connection is gone). */
static int active_send(struct ha_link *l, zmq_msg_t *m)
{
	size_t len = zmq_msg_size(m);

	ha_link_touched(l, l->router);
	if (zmq_send(l->router, l->peer.id, l->peer.id_len, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0)
		return -errno;
	if (zmq_msg_send(m, l->router, ZMQ_DONTWAIT) < 0)
		return -errno;
	l->st.tx_bytes += len;
	ha_link_sent(l, l->router);
	return 0;
}

static int active_send_ctl(struct ha_link *l, const struct ha_ctl *c)
{
	zmq_msg_t m;
	int rc;

	if (l->peer.state == PEER_NONE)
		return -ENOTCONN;
	/* Records queued before this message go before it (a BULK_END or a
	 * heartbeat counts them). */
	rc = ha_link_active_flush(l);
	if (rc < 0)
		return rc;
	rc = ha_link_ctl_msg(l, c, &m);
	if (rc < 0)
		return rc;
	rc = active_send(l, &m);
	zmq_msg_close(&m);
	if (rc == -EHOSTUNREACH)
		active_peer_lost(l, "standby unreachable");
	return rc;
}

/* A control message to some identity other than the served standby. */
static void active_send_to(struct ha_link *l, const uint8_t *id, size_t id_len,
				const struct ha_ctl *c)
{
	zmq_msg_t m;

	if (ha_link_ctl_msg(l, c, &m) < 0)
		return;
	if (zmq_send(l->router, id, id_len, ZMQ_SNDMORE | ZMQ_DONTWAIT) == 0)
		zmq_msg_send(&m, l->router, ZMQ_DONTWAIT);
	ha_link_touched(l, l->router);
	zmq_msg_close(&m);
}

/*
 * The standby is gone (unreachable, silent, replaced).  ops->standby(0) is
 * delivered from the loop, not from here: this may run inside
 * ha_link_active_send(), called by the daemon in the middle of its own work.
 */
static void active_peer_lost(struct ha_link *l, const char *fmt, ...)
{
	va_list ap;

	if (l->peer.state == PEER_NONE)
		return;
	va_start(ap, fmt);
	vsnprintf(l->down_reason, sizeof(l->down_reason), fmt, ap);
	va_end(ap);
	ha_link_log(l, LOG_WARNING, "standby lost: %s", l->down_reason);
	l->peer.state = PEER_NONE;
	l->peer.id_len = 0;
	l->batch_len = 0;
	l->batch_n = 0;
	l->down_pending = 1;
	if (l->loop)
		ev_idle_start(l->loop, &l->idle);
}

void ha_link_active_deliver(struct ha_link *l)
{
	if (!l->down_pending)
		return;
	l->down_pending = 0;
	if (l->ops.standby)
		l->ops.standby(l->arg, 0, l->down_reason);
}

static void active_bulk(struct ha_link *l)
{
	struct ha_ctl c = { .type = HA_CTL_BULK_BEGIN };

	l->epoch++;
	l->peer.state = PEER_BULK;
	l->peer.bulk_start_ms = ha_link_now_ms(l);
	c.epoch = l->epoch;
	c.seq = l->seq + 1;
	if (active_send_ctl(l, &c) < 0)
		return;
	ha_link_log(l, LOG_INFO, "bulk sync %llu to the standby begins at record %llu",
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
	active_send_ctl(l, &c);
}

static void active_hello(struct ha_link *l, const uint8_t *id, size_t id_len,
			      const struct ha_ctl *c, uint32_t version)
{
	int current = l->peer.state != PEER_NONE && id_len == l->peer.id_len &&
		      memcmp(id, l->peer.id, id_len) == 0;

	ha_link_version_seen(l, version, "standby");
	if (current) {
		l->peer.last_rx_ms = ha_link_now_ms(l);
		/* A HELLO sent before our BULK_BEGIN reached it: that bulk
		 * is on its way. */
		if (!c->want_bulk || c->epoch < l->epoch)
			return;
		l->st.gaps++;
		ha_link_log(l, LOG_NOTICE, "standby asks for a new bulk sync (epoch %llu)",
			    (unsigned long long)c->epoch);
		active_bulk(l);
		return;
	}
	if (l->peer.state != PEER_NONE)
		active_peer_lost(l, "replaced by a new standby");
	ha_link_active_deliver(l);
	memcpy(l->peer.id, id, id_len);
	l->peer.id_len = id_len;
	l->peer.version = version;
	l->peer.last_rx_ms = ha_link_now_ms(l);
	ha_link_log(l, LOG_INFO, "standby says hello (schema version %u)", (unsigned)version);
	active_bulk(l);
}

static void active_ack(struct ha_link *l, const struct ha_ctl *c)
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
		l->st.bulk_ms = ha_link_since_ms(l, l->peer.bulk_start_ms);
		ha_link_log(l, LOG_INFO, "standby in sync: bulk of %llu records acknowledged in "
			    "%llu ms", (unsigned long long)l->st.bulk_records,
			    (unsigned long long)l->st.bulk_ms);
		if (l->ops.standby)
			l->ops.standby(l->arg, 1, "in sync");
	}
}

static void active_msg(struct ha_link *l, const uint8_t *id, size_t id_len,
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
		active_hello(l, id, id_len, &c, version);
		return;
	}
	current = l->peer.state != PEER_NONE && id_len == l->peer.id_len &&
		  memcmp(id, l->peer.id, id_len) == 0;
	if (!current) {
		/* A standby we do not serve (one we gave up on, or the
		 * active before us had): make it say HELLO. */
		struct ha_ctl reset = { .type = HA_CTL_RESET };

		active_send_to(l, id, id_len, &reset);
		return;
	}
	l->peer.last_rx_ms = ha_link_now_ms(l);
	switch (c.type) {
	case HA_CTL_ACK:
		active_ack(l, &c);
		break;
	case HA_CTL_HEARTBEAT:
		l->st.heartbeats_rx++;
		break;
	default:
		break;		/* not for an active; a newer kind: ignored */
	}
}

int ha_link_active_read(struct ha_link *l)
{
	zmq_msg_t id, m;
	int rc = 1;

	zmq_msg_init(&id);
	if (zmq_msg_recv(&id, l->router, ZMQ_DONTWAIT) < 0) {
		ha_link_received(l, l->router, 0);
		zmq_msg_close(&id);
		return 0;
	}
	ha_link_received(l, l->router, 1);
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
		active_msg(l, zmq_msg_data(&id), zmq_msg_size(&id), zmq_msg_data(&m),
				zmq_msg_size(&m));
out:
	zmq_msg_close(&m);
	zmq_msg_close(&id);
	return rc;
}

void ha_link_active_heartbeat(struct ha_link *l, uint64_t now)
{
	struct ha_ctl c = { .type = HA_CTL_HEARTBEAT };

	if (l->peer.state == PEER_NONE)
		return;
	if (now > l->peer.last_rx_ms && now - l->peer.last_rx_ms > l->cfg.dead_ms) {
		l->st.peer_timeouts++;
		active_peer_lost(l, "no word for %u ms", l->cfg.dead_ms);
		return;
	}
	c.epoch = l->epoch;
	c.seq = l->seq;
	if (active_send_ctl(l, &c) == 0)
		l->st.heartbeats_tx++;
}

int ha_link_active_open(struct ha_link *l, char *err, size_t errsz)
{
	void *s;
	int rc;

	s = l->router = zmq_socket(l->ctx, ZMQ_ROUTER);
	if (!s) {
		snprintf(err, errsz, "socket: %s", zmq_strerror(errno));
		return -EIO;
	}
	rc = ha_link_common_opts(l, s);
	if (rc == 0 && ha_link_setopt_int(s, ZMQ_ROUTER_MANDATORY, 1) < 0)
		rc = -errno;
	if (rc == 0 && l->cfg.curve &&
	    (ha_link_setopt_int(s, ZMQ_CURVE_SERVER, 1) < 0 ||
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
	ha_link_io_watch(l, &l->router_io, s);
	return 0;
}

void ha_link_active_forget(struct ha_link *l)
{
	l->peer.state = PEER_NONE;
	l->peer.id_len = 0;
	l->down_pending = 0;
	l->batch_len = 0;
	l->batch_n = 0;
}

int ha_link_active_pending(const struct ha_link *l)
{
	return l->batch_n > 0;
}

/* Both ends speak batches: the standby said so in its HELLO, and we are
 * not pretending to be older (tests). */
static int active_batching(const struct ha_link *l)
{
	return l->peer.version >= HA_SCHEMA_BATCH && l->cfg.schema_version >= HA_SCHEMA_BATCH;
}

int ha_link_active_flush(struct ha_link *l)
{
	zmq_msg_t m;
	int rc;

	if (!l || l->batch_n == 0)
		return 0;
	if (zmq_msg_init_size(&m, l->batch_len) < 0)
		return -ENOMEM;
	memcpy(zmq_msg_data(&m), l->batch, l->batch_len);
	l->batch_len = 0;
	l->batch_n = 0;
	rc = active_send(l, &m);
	zmq_msg_close(&m);
	if (rc < 0) {
		active_peer_lost(l, "standby unreachable (%s)", zmq_strerror(-rc));
		return rc;
	}
	l->st.tx_msgs++;
	return 0;
}

/* r as record seq in the batch: 0, -ENOSPC (alone it does not fit a
 * batch: send it on its own), or another -errno. */
static int active_batch_add(struct ha_link *l, const struct ha_rec *r, uint64_t seq)
{
	int n;

	if (!l->batch && (l->batch = malloc(LINK_BATCH_BYTES)) == NULL)
		return -ENOMEM;
	if (l->batch_n == 0)
		l->batch_len = (size_t)ckpt_batch_begin(l->batch, LINK_BATCH_BYTES,
							 l->cfg.schema_version);
	n = ckpt_batch_add(l->batch + l->batch_len, LINK_BATCH_BYTES - l->batch_len, r, seq);
	if (n == -ENOSPC && l->batch_n > 0) {
		/* Full: this one starts the next batch. */
		if (ha_link_active_flush(l) < 0)
			return -EHOSTUNREACH;
		return active_batch_add(l, r, seq);
	}
	if (n < 0)
		return n;
	l->batch_len += (size_t)n;
	l->batch_n++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The active's API                                                    */

/* Record seq is on its way (queued or sent). */
static uint64_t active_sent(struct ha_link *l, uint64_t seq)
{
	if (l->skip_seq)
		l->skip_seq--;
	l->seq = seq;
	l->st.tx_records++;
	if (l->in_bulk)
		l->bulk_count++;
	return seq;
}

uint64_t ha_link_active_send(struct ha_link *l, const struct ha_rec *r)
{
	zmq_msg_t m;
	uint64_t seq;
	int n, rc;

	if (!l || !r || l->role != HA_LINK_ACTIVE || l->peer.state == PEER_NONE)
		return 0;
	/* Test hook (ha_link_active_test_skip_seq): one number lost on the way. */
	seq = l->seq + 1 + (l->skip_seq ? 1 : 0);
	n = active_batching(l) ? active_batch_add(l, r, seq) : -ENOSPC;
	if (n == 0)
		return active_sent(l, seq);
	if (n == -EHOSTUNREACH)
		return 0;	/* the standby is lost */
	/* Alone (no batches, or too large for one): after what is queued. */
	if (ha_link_active_flush(l) < 0)
		return 0;
	n = ckpt_encode_size(r, seq);
	if (n < 0) {
		l->st.decode_errors++;
		ha_link_log(l, LOG_ERR, "%s record does not encode (%s): not sent",
			    ha_rec_type_string(r->type), strerror(-n));
		return 0;
	}
	if (zmq_msg_init_size(&m, (size_t)n) < 0)
		return 0;
	ckpt_encode(r, seq, zmq_msg_data(&m), (size_t)n);
	rc = active_send(l, &m);
	zmq_msg_close(&m);
	if (rc < 0) {
		active_peer_lost(l, "standby unreachable (%s)", zmq_strerror(-rc));
		return 0;
	}
	l->st.tx_msgs++;
	return active_sent(l, seq);
}

uint64_t ha_link_active_acked(const struct ha_link *l)
{
	return l ? l->acked : 0;
}

uint64_t ha_link_active_last_seq(const struct ha_link *l)
{
	return l ? l->seq : 0;
}

int ha_link_active_synced(const struct ha_link *l)
{
	return l && l->role == HA_LINK_ACTIVE && l->peer.state == PEER_STREAM;
}

int ha_link_active_request_takeover(struct ha_link *l)
{
	struct ha_ctl c = { .type = HA_CTL_TAKEOVER };

	if (!l || l->role != HA_LINK_ACTIVE)
		return -EINVAL;
	if (l->peer.state == PEER_NONE)
		return -ENOTCONN;
	c.epoch = l->epoch;
	c.seq = l->seq;
	return active_send_ctl(l, &c);
}

void ha_link_active_test_skip_seq(struct ha_link *l)
{
	if (l)
		l->skip_seq++;
}

int ha_link_active_endpoint(const struct ha_link *l, char *buf, size_t size)
{
	size_t len = size;

	if (!l || !l->router || !buf || !size)
		return -EINVAL;
	if (zmq_getsockopt(l->router, ZMQ_LAST_ENDPOINT, buf, &len) < 0)
		return -errno;
	return 0;
}
