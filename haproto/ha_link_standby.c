/*
 * The checkpoint link, standby side (ha_link_int.h): the DEALER connected to
 * cfg.connect follows an active.  It says HELLO (schema version, the last
 * record applied, want_bulk while it needs a bulk), applies the bulk and
 * then the stream strictly in order, and acknowledges cumulatively after
 * each message, with synced set once it holds the whole bulk of the epoch.  A
 * gap (a sequence number other than the next, an active heartbeat
 * announcing more than it has) makes it ask for a new bulk and ignore
 * records until the next BULK_BEGIN.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <zmq.h>

#include "haproto/ha_link_int.h"

static int standby_send_ctl(struct ha_link *l, const struct ha_ctl *c)
{
	zmq_msg_t m;
	int rc;

	if (!l->dealer)
		return -ENOTCONN;
	rc = ha_link_ctl_msg(l, c, &m);
	if (rc < 0)
		return rc;
	/* ZMQ_IMMEDIATE: EAGAIN while no connection is up; the next
	 * heartbeat tries again. */
	rc = zmq_msg_send(&m, l->dealer, ZMQ_DONTWAIT) < 0 ? -errno : 0;
	ha_link_touched(l, l->dealer);
	if (rc == 0)
		l->st.tx_bytes += zmq_msg_size(&m);
	zmq_msg_close(&m);
	return rc;
}

void ha_link_standby_hello(struct ha_link *l)
{
	struct ha_ctl c = { .type = HA_CTL_HELLO };

	c.epoch = l->sb_epoch;
	c.seq = l->applied;
	c.want_bulk = l->sb == SB_HELLO;
	/* EAGAIN (no connection yet, ZMQ_IMMEDIATE): the drain sends it
	 * the moment the connection is up, not a heartbeat later. */
	l->hello_due = standby_send_ctl(l, &c) < 0;
}

static void standby_want_bulk(struct ha_link *l, const char *why)
{
	if (l->sb == SB_HELLO)
		return;
	l->st.gaps++;
	ha_link_log(l, LOG_WARNING, "%s: asking the active for a new bulk sync", why);
	l->sb = SB_HELLO;
	ha_link_standby_hello(l);
}

void ha_link_standby_ack(struct ha_link *l)
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
	if (standby_send_ctl(l, &c) == 0) {
		l->ack_sent = l->applied;
		l->ack_synced_sent = synced;
		l->st.tx_acks++;
	}
}

/* Prompt: the active's held packets wait for this acknowledgement, not
 * for the end of a long drain. */
static void standby_ack_due(struct ha_link *l)
{
	if (l->role == HA_LINK_STANDBY && l->applied >= l->ack_sent + LINK_ACK_RECORDS)
		ha_link_standby_ack(l);
}

/* rc, r, seq, version: what ckpt_decode_msg made of the message. */
static void standby_record(struct ha_link *l, int rc, struct ha_rec *r, uint64_t seq,
			   uint32_t version)
{
	char why[96];

	if (l->sb == SB_HELLO)
		return;		/* waiting for a bulk: the stream means nothing until then */
	if (rc < 0 && seq == 0) {
		/* Not even an envelope: its sequence number is lost with it. */
		l->st.decode_errors++;
		standby_want_bulk(l, "undecodable message");
		return;
	}
	if (seq != l->expect) {
		snprintf(why, sizeof(why), "sequence gap: record %llu, expected %llu",
			 (unsigned long long)seq, (unsigned long long)l->expect);
		standby_want_bulk(l, why);
		return;
	}
	l->expect++;
	l->applied = seq;
	l->turn_records++;
	if (l->sb == SB_BULK)
		l->st.bulk_records++;
	if (rc < 0) {
		/* A well-framed record with a value out of range: counted,
		 * skipped, and not a gap (a new bulk would bring it back). */
		l->st.decode_errors++;
		ha_link_log(l, LOG_ERR, "record %llu does not decode: skipped",
			    (unsigned long long)seq);
		return;
	}
	ha_link_version_seen(l, version, "active");
	l->st.rx_records++;
	/* A record kind of a newer schema: counted in sequence, not applied. */
	if (r->type != HA_REC_NONE) {
		l->rx_count++;
		if (l->ops.record)
			l->ops.record(l->arg, r);
	}
}

/* One record of a batch (ckpt_batch_walk). */
static void standby_batch_record(void *arg, const uint8_t *buf, size_t len)
{
	struct ha_link *l = arg;
	struct ha_rec r;
	uint64_t seq = 0;
	uint32_t version = 0;
	int rc;

	/* ops->record may have changed our role (a takeover): the rest of
	 * the batch is no longer ours to apply. */
	if (l->role != HA_LINK_STANDBY)
		return;
	rc = ckpt_decode_msg(buf, len, &r, NULL, &seq, &version);
	standby_record(l, rc, &r, seq, version);
	if (rc == CKPT_RECORD)
		ha_rec_clear(&r);
	standby_ack_due(l);
}

static void standby_ctl(struct ha_link *l, const struct ha_ctl *c)
{
	char why[96];

	switch (c->type) {
	case HA_CTL_BULK_BEGIN:
		l->sb = SB_BULK;
		l->sb_epoch = c->epoch;
		l->expect = c->seq;
		l->applied = c->seq ? c->seq - 1 : 0;
		l->sb_bulk_start_ms = ha_link_now_ms(l);
		l->st.bulks++;
		l->st.bulk_records = 0;
		l->ack_synced_sent = 0;
		ha_link_log(l, LOG_INFO, "bulk sync %llu begins", (unsigned long long)c->epoch);
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
			standby_want_bulk(l, why);
			break;
		}
		l->sb = SB_SYNCED;
		l->st.bulk_ms = ha_link_since_ms(l, l->sb_bulk_start_ms);
		ha_link_log(l, LOG_INFO, "bulk sync %llu complete: %llu records in %llu ms",
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
			standby_want_bulk(l, why);
		}
		break;
	case HA_CTL_RESET:
		l->ack_sent = 0;
		l->ack_synced_sent = 0;
		if (l->sb != SB_HELLO) {
			l->sb = SB_HELLO;
			ha_link_log(l, LOG_NOTICE, "the active does not know us: asking for a bulk "
				    "sync");
		}
		ha_link_standby_hello(l);
		break;
	case HA_CTL_TAKEOVER:
		ha_link_log(l, LOG_NOTICE, "the active asks us to take over");
		if (l->ops.takeover)
			l->ops.takeover(l->arg);
		break;
	default:
		break;	/* not for a standby, or a kind of a newer schema */
	}
}

int ha_link_standby_read(struct ha_link *l)
{
	zmq_msg_t m;
	struct ha_ctl c;
	struct ha_rec r;
	uint64_t seq = 0;
	uint32_t version = 0;
	int rc;

	zmq_msg_init(&m);
	if (zmq_msg_recv(&m, l->dealer, ZMQ_DONTWAIT) < 0) {
		ha_link_received(l, l->dealer, 0);
		zmq_msg_close(&m);
		return 0;
	}
	ha_link_received(l, l->dealer, 1);
	l->st.rx_bytes += zmq_msg_size(&m);
	l->active_last_rx_ms = ha_link_now_ms(l);
	if (!l->active_up) {
		l->active_up = 1;
		if (l->ops.active)
			l->ops.active(l->arg, 1, "connected");
	}
	if (l->role != HA_LINK_STANDBY)
		goto out;	/* the callback changed our role */
	/* A batch: its records one by one, each with its own sequence number. */
	rc = ckpt_batch_walk(zmq_msg_data(&m), zmq_msg_size(&m), standby_batch_record, l);
	if (rc < 0) {
		memset(&r, 0, sizeof(r));
		standby_record(l, rc, &r, 0, 0);	/* undecodable: a new bulk */
		goto out;
	}
	if (rc > 0)
		goto out;
	rc = ckpt_decode_msg(zmq_msg_data(&m), zmq_msg_size(&m), &r, &c, &seq, &version);
	if (rc == CKPT_CTL) {
		standby_ctl(l, &c);
	} else {
		standby_record(l, rc, &r, seq, version);
		if (rc == CKPT_RECORD)
			ha_rec_clear(&r);
	}
out:
	zmq_msg_close(&m);
	return 1;
}

unsigned ha_link_standby_drain(struct ha_link *l)
{
	unsigned n;

	/* Bounded: what is left waits for the next turn (the idle watcher).
	 * Each message's records are acknowledged once applied, before the
	 * next message is read: the active's held packets wait for their own
	 * records, not for a backlog read behind them (nor for a loop turn
	 * that the host may interrupt half way). */
	for (n = 0; l->dealer && n < LINK_BATCH &&
		    (!l->loop || l->turn_records < LINK_DRAIN_RECORDS) &&
		    ha_link_standby_read(l); n++)
		if (l->role == HA_LINK_STANDBY)
			ha_link_standby_ack(l);
	return n;
}

void ha_link_standby_heartbeat(struct ha_link *l, uint64_t now)
{
	struct ha_ctl c = { .type = HA_CTL_HEARTBEAT };

	if (l->active_up && now > l->active_last_rx_ms &&
	    now - l->active_last_rx_ms > l->cfg.dead_ms) {
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
	if (!l->active_up && now > l->dealer_opened_ms &&
	    now - l->dealer_opened_ms > (uint64_t)LINK_REDIAL_DEAD * l->cfg.dead_ms &&
	    now > l->active_last_rx_ms &&
	    now - l->active_last_rx_ms > (uint64_t)LINK_REDIAL_DEAD * l->cfg.dead_ms) {
		ha_link_standby_close(l);
		if (ha_link_standby_open(l) < 0)
			return;
	}
	/* Until an active answers, HELLO (want_bulk only while we need a
	 * bulk: a merely slow active keeps streaming to us). */
	if (l->sb == SB_HELLO || !l->active_up) {
		ha_link_standby_hello(l);
		return;
	}
	c.epoch = l->sb_epoch;
	c.seq = l->applied;
	if (standby_send_ctl(l, &c) == 0)
		l->st.heartbeats_tx++;
}

void ha_link_standby_close(struct ha_link *l)
{
	if (!l->dealer)
		return;
	if (l->loop)
		ev_io_stop(l->loop, &l->dealer_io);
	zmq_close(l->dealer);
	l->dealer = NULL;
	l->active_up = 0;
}

int ha_link_standby_open(struct ha_link *l)
{
	void *s;
	int rc;

	s = zmq_socket(l->ctx, ZMQ_DEALER);
	if (!s)
		return -errno;
	rc = ha_link_common_opts(l, s);
	/* Queue nothing for a connection that is not up (and, with CURVE,
	 * authenticated): HELLO is repeated each heartbeat instead. */
	if (rc == 0 && ha_link_setopt_int(s, ZMQ_IMMEDIATE, 1) < 0)
		rc = -errno;
	if (rc == 0 && l->cfg.curve &&
	    (zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, l->cfg.peer_key, HA_KEY_LEN + 1) < 0 ||
	     zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, l->cfg.public_key, HA_KEY_LEN + 1) < 0 ||
	     zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, l->cfg.secret_key, HA_KEY_LEN + 1) < 0))
		rc = -errno;
	if (rc == 0 && zmq_connect(s, l->cfg.connect) < 0)
		rc = -errno;
	if (rc < 0) {
		ha_link_log(l, LOG_ERR, "cannot connect to %s: %s", l->cfg.connect,
			    zmq_strerror(-rc));
		zmq_close(s);
		return rc;
	}
	l->dealer = s;
	l->quiet_dealer = 0;		/* connect took commands in */
	l->dealer_opened_ms = ha_link_now_ms(l);
	ha_link_io_watch(l, &l->dealer_io, s);
	return 0;
}

void ha_link_standby_forget(struct ha_link *l)
{
	l->sb = SB_HELLO;
	l->ack_sent = 0;
	l->ack_synced_sent = 0;
}

/* ------------------------------------------------------------------ */
/* The standby's API                                                   */

int ha_link_standby_synced(const struct ha_link *l)
{
	return l && l->role == HA_LINK_STANDBY && l->active_up && l->sb == SB_SYNCED;
}

uint64_t ha_link_standby_rx_count(const struct ha_link *l)
{
	return l ? l->rx_count : 0;
}
