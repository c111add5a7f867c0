/*
 * Unit tests of the checkpoint link (haproto/ha_link*.c): a real active and a
 * real standby over ZeroMQ on tcp://127.0.0.1, with CURVE unless a test
 * says otherwise.
 *
 * Each end runs on its own libev loop; the test drives both loops with
 * EVRUN_NOWAIT until a condition holds or a deadline passes (polling, no
 * sleeping in place of synchronisation).  Not driving the standby's loop
 * is a standby that hangs: its socket stays connected, it just says
 * nothing, which is what the active's dead timer is for.
 *
 * The active's state is a table of session records (struct model); its
 * ops->bulk sends them all, and every streamed record also updates it, so
 * at any time "the standby is consistent" means the standby's shadow store
 * holds exactly the model.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/clock.h"
#include "haproto/ha_link.h"
#include "haproto/ha_link_int.h"	/* LINK_ACK_RECORDS, LINK_DRAIN_RECORDS */
#include "haproto/ha_shadow.h"

#define TID		7
#define MAX_SIDS	65536

/* ------------------------------------------------------------------ */
/* The two ends                                                        */

struct model {
	uint16_t peer_sid[MAX_SIDS];	/* 0: no session */
	unsigned n;
};

struct end {
	struct ev_loop *loop;
	struct ha_link *l;
	struct ha_link_cfg cfg;
	int stalled;			/* its loop is not driven */

	/* active */
	struct model *m;
	unsigned bulk_calls;
	unsigned ups, downs;
	char down_reason[128];
	uint64_t acked_cb;

	/* standby */
	struct ha_shadow *shadow;
	unsigned bulk_begins, bulk_ends;
	uint64_t records;
	uint16_t *order;		/* sids in arrival order since bulk_begin */
	size_t n_order;
	unsigned active_ups, active_downs;
	unsigned takeovers;
	int bad_order;			/* a record arrived outside BEGIN..END/stream */
	uint64_t seen_acks;		/* the link's tx_acks at the last record */
	unsigned unacked_run, unacked_max;	/* records applied with no ack sent between */
	unsigned turn_recs, turn_max;	/* records applied in one loop turn */

	/* both */
	unsigned logs;
	char last_log[256];
	unsigned log_refused, log_plain;
};

static struct ha_rec session(uint16_t sid, uint16_t peer_sid)
{
	struct ha_rec r;

	memset(&r, 0, sizeof(r));
	r.type = HA_REC_SESSION;
	r.u.session.tid = TID;
	r.u.session.sid = sid;
	r.u.session.peer_sid = peer_sid;
	snprintf(r.u.session.user, sizeof(r.u.session.user), "user%u", sid);
	return r;
}

static struct ha_rec tunnel(void)
{
	struct ha_rec r;

	memset(&r, 0, sizeof(r));
	r.type = HA_REC_TUNNEL;
	r.u.tunnel.tid = TID;
	r.u.tunnel.peer_tid = 70;
	return r;
}

static void cb_log(void *arg, int prio, const char *msg)
{
	struct end *e = arg;

	(void)prio;
	e->logs++;
	snprintf(e->last_log, sizeof(e->last_log), "%s", msg);
	if (strstr(msg, "refused"))
		e->log_refused++;
	if (strstr(msg, "security none"))
		e->log_plain++;
	if (getenv("TEST_LINK_VERBOSE"))
		fprintf(stderr, "[%p] %s\n", arg, msg);
}

static void cb_bulk(void *arg)
{
	struct end *e = arg;
	struct ha_rec r = tunnel();
	unsigned sid;

	e->bulk_calls++;
	ha_link_active_send(e->l, &r);
	for (sid = 1; sid < MAX_SIDS; sid++) {
		if (!e->m->peer_sid[sid])
			continue;
		r = session((uint16_t)sid, e->m->peer_sid[sid]);
		ha_link_active_send(e->l, &r);
	}
}

static void cb_acked(void *arg, uint64_t seq)
{
	struct end *e = arg;

	assert_true(seq > e->acked_cb);		/* cumulative: only forward */
	e->acked_cb = seq;
}

static void cb_standby(void *arg, int up, const char *reason)
{
	struct end *e = arg;

	if (up) {
		e->ups++;
	} else {
		e->downs++;
		snprintf(e->down_reason, sizeof(e->down_reason), "%s", reason);
	}
}

static void cb_bulk_begin(void *arg)
{
	struct end *e = arg;

	e->bulk_begins++;
	e->n_order = 0;
	ha_shadow_clear(e->shadow);
}

static void cb_bulk_end(void *arg)
{
	struct end *e = arg;

	e->bulk_ends++;
}

static void cb_record(void *arg, const struct ha_rec *r)
{
	struct end *e = arg;

	if (e->bulk_begins == 0)
		e->bad_order = 1;
	e->records++;
	assert_int_equal(ha_shadow_apply(e->shadow, r), 0);
	{
		struct ha_link_stats st;

		ha_link_get_stats(e->l, &st);
		if (st.tx_acks != e->seen_acks)
			e->unacked_run = 0;
		e->seen_acks = st.tx_acks;
		if (++e->unacked_run > e->unacked_max)
			e->unacked_max = e->unacked_run;
		if (++e->turn_recs > e->turn_max)
			e->turn_max = e->turn_recs;
	}
	if (r->type == HA_REC_SESSION && e->n_order < MAX_SIDS * 2)
		e->order[e->n_order++] = r->u.session.sid;
}

static void cb_active(void *arg, int up, const char *reason)
{
	struct end *e = arg;

	(void)reason;
	if (up)
		e->active_ups++;
	else
		e->active_downs++;
}

static void cb_takeover(void *arg)
{
	struct end *e = arg;

	e->takeovers++;
}

/* The link's clock: real time here (ZeroMQ runs in real time), read
 * through the daemon's clock interface. */
static const struct l2tp_clock real_clock;

static uint64_t cb_now_ms(void *arg)
{
	return clock_now(&real_clock);
}

static const struct ha_link_ops ops = {
	.bulk = cb_bulk,
	.acked = cb_acked,
	.standby = cb_standby,
	.bulk_begin = cb_bulk_begin,
	.bulk_end = cb_bulk_end,
	.record = cb_record,
	.active = cb_active,
	.takeover = cb_takeover,
	.log = cb_log,
	.now_ms = cb_now_ms,
};

/* Keys: A is the active's box, S the standby's, X a stranger. */
static char pub_a[41], sec_a[41], pub_s[41], sec_s[41], pub_x[41], sec_x[41];

static void keys_init(void)
{
	if (pub_a[0])
		return;
	assert_int_equal(ha_link_keygen(pub_a, sec_a), 0);
	assert_int_equal(ha_link_keygen(pub_s, sec_s), 0);
	assert_int_equal(ha_link_keygen(pub_x, sec_x), 0);
}

static struct end *end_new(void)
{
	struct end *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->loop = ev_loop_new(EVFLAG_AUTO);
	assert_non_null(e->loop);
	e->shadow = ha_shadow_new();
	assert_non_null(e->shadow);
	e->order = calloc(MAX_SIDS * 2, sizeof(*e->order));
	assert_non_null(e->order);
	e->m = calloc(1, sizeof(*e->m));
	assert_non_null(e->m);
	e->cfg.heartbeat_ms = 50;
	e->cfg.dead_ms = 400;
	return e;
}

/* The active: curve with its keypair, admitting peer_key. */
static struct end *active_new(int curve, const char *peer_key)
{
	struct end *e = end_new();
	char err[128];

	keys_init();
	snprintf(e->cfg.bind, sizeof(e->cfg.bind), "tcp://127.0.0.1:*");
	e->cfg.curve = curve;
	strcpy(e->cfg.public_key, pub_a);
	strcpy(e->cfg.secret_key, sec_a);
	strcpy(e->cfg.peer_key, peer_key ? peer_key : pub_s);
	assert_int_equal(ha_link_new(e->loop, &e->cfg, &ops, e, &e->l, err, sizeof(err)), 0);
	assert_int_equal(ha_link_set_role(e->l, HA_LINK_ACTIVE), 0);
	assert_int_equal(ha_link_role(e->l), HA_LINK_ACTIVE);
	return e;
}

static void endpoint_of(const struct end *a, char *buf, size_t size)
{
	assert_int_equal(ha_link_active_endpoint(a->l, buf, size), 0);
	assert_non_null(strstr(buf, "tcp://127.0.0.1:"));
}

/* e speaks CURVE with the keypair pub/sec, admitting the peer key peer. */
static void end_curve(struct end *e, const char *pub, const char *sec, const char *peer)
{
	e->cfg.curve = 1;
	strcpy(e->cfg.public_key, pub);
	strcpy(e->cfg.secret_key, sec);
	strcpy(e->cfg.peer_key, peer);
}

/* A standby of a, with the keypair given (default: S's), admitting
 * peer_key (default: A's), of schema version schema (0: this one's). */
static struct end *standby_with(const struct end *a, int curve, const char *pub,
				const char *sec, const char *peer_key, uint32_t schema)
{
	struct end *e = end_new();
	char err[128];

	endpoint_of(a, e->cfg.connect, sizeof(e->cfg.connect));
	e->cfg.curve = curve;
	strcpy(e->cfg.public_key, pub ? pub : pub_s);
	strcpy(e->cfg.secret_key, sec ? sec : sec_s);
	strcpy(e->cfg.peer_key, peer_key ? peer_key : pub_a);
	e->cfg.schema_version = schema;
	assert_int_equal(ha_link_new(e->loop, &e->cfg, &ops, e, &e->l, err, sizeof(err)), 0);
	assert_int_equal(ha_link_set_role(e->l, HA_LINK_STANDBY), 0);
	return e;
}

/* A standby of a, with the keypair given (default: S's). */
static struct end *standby_new(const struct end *a, int curve, const char *pub,
			       const char *sec)
{
	return standby_with(a, curve, pub, sec, NULL, 0);
}

static void end_free(struct end *e)
{
	if (!e)
		return;
	ha_link_free(e->l);
	ev_loop_destroy(e->loop);
	ha_shadow_free(e->shadow);
	free(e->order);
	free(e->m);
	free(e);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Drive the loops until cond(a, s) holds; 0 if the deadline passed. */
static int run_until(struct end *a, struct end *s, int (*cond)(struct end *, struct end *),
		     double timeout)
{
	double deadline = now_s() + timeout;

	while (!cond(a, s)) {
		if (now_s() > deadline)
			return 0;
		if (a && !a->stalled)
			ev_run(a->loop, EVRUN_NOWAIT);
		if (s && !s->stalled)
			ev_run(s->loop, EVRUN_NOWAIT);
		usleep(100);	/* polling interval, not synchronisation */
	}
	return 1;
}

static int never(struct end *a, struct end *s)
{
	(void)a;
	(void)s;
	return 0;
}

/* Run both loops for a while (to show that something does NOT happen). */
static void run_for(struct end *a, struct end *s, double seconds)
{
	run_until(a, s, never, seconds);
}

static int cond_synced(struct end *a, struct end *s)
{
	return ha_link_active_synced(a->l) && ha_link_standby_synced(s->l) &&
	       ha_link_active_acked(a->l) == ha_link_active_last_seq(a->l);
}

static int cond_acked(struct end *a, struct end *s)
{
	(void)s;
	return ha_link_active_acked(a->l) == ha_link_active_last_seq(a->l);
}

/* The standby's shadow holds exactly the active's model. */
static void check_consistent(const struct end *a, const struct end *s)
{
	const struct ha_shadow_tunnel *t = ha_shadow_tunnel(s->shadow, TID);
	const struct ha_shadow_session *ss;
	unsigned sid, n = 0;

	assert_non_null(t);
	assert_true(t->have_tunnel);
	for (sid = 1; sid < MAX_SIDS; sid++) {
		ss = ha_shadow_session(t, (uint16_t)sid);
		if (!a->m->peer_sid[sid]) {
			assert_null(ss);
			continue;
		}
		assert_non_null(ss);
		assert_int_equal(ss->rec.peer_sid, a->m->peer_sid[sid]);
		n++;
	}
	assert_int_equal(t->n_sessions, n);
	assert_int_equal(n, a->m->n);
}

static void model_add(struct end *a, unsigned first, unsigned n)
{
	unsigned i;

	for (i = first; i < first + n; i++) {
		if (!a->m->peer_sid[i])
			a->m->n++;
		a->m->peer_sid[i] = (uint16_t)(i ^ 0x5555) ? (uint16_t)(i ^ 0x5555) : 1;
	}
}

/* An active (curve on) holding records 1..nrec and a standby (*sp) that has
 * them all.  The active. */
static struct end *pair_synced(unsigned nrec, struct end **sp)
{
	struct end *a = active_new(1, NULL);

	model_add(a, 1, nrec);
	*sp = standby_new(a, 1, NULL, NULL);
	assert_true(run_until(a, *sp, cond_synced, 10));
	return a;
}

/* Stream: update the model and send; the sequence numbers it returns. */
static uint64_t stream(struct end *a, unsigned sid, uint16_t peer_sid)
{
	struct ha_rec r = session((uint16_t)sid, peer_sid);

	if (!a->m->peer_sid[sid])
		a->m->n++;
	a->m->peer_sid[sid] = peer_sid;
	return ha_link_active_send(a->l, &r);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

static void test_link_keys(void **state)
{
	char pub[41], sec[41], bad[41], err[128];
	struct ha_link_cfg cfg;
	struct ha_link *l = NULL;

	(void)state;
	assert_int_equal(ha_link_keygen(pub, sec), 0);
	assert_int_equal(strlen(pub), 40);
	assert_true(ha_link_key_valid(pub));
	assert_true(ha_link_key_valid(sec));
	assert_string_not_equal(pub, sec);
	assert_false(ha_link_key_valid(NULL));
	assert_false(ha_link_key_valid(""));
	memcpy(bad, pub, 41);
	bad[39] = '\0';					/* 39 characters */
	assert_false(ha_link_key_valid(bad));
	memcpy(bad, pub, 41);
	bad[5] = '"';					/* not in Z85's alphabet */
	assert_false(ha_link_key_valid(bad));
	assert_false(ha_link_key_valid("0123456789012345678901234567890123456789X"));

	memset(&cfg, 0, sizeof(cfg));
	strcpy(cfg.bind, "tcp://127.0.0.1:*");
	cfg.curve = 1;
	strcpy(cfg.public_key, pub);
	strcpy(cfg.secret_key, sec);
	strcpy(cfg.peer_key, "not a key");
	err[0] = '\0';
	assert_int_equal(ha_link_new(NULL, &cfg, &ops, NULL, &l, err, sizeof(err)), -EINVAL);
	assert_null(l);
	assert_non_null(strstr(err, "peer"));
	strcpy(cfg.peer_key, pub);
	cfg.secret_key[0] = '\0';
	assert_int_equal(ha_link_new(NULL, &cfg, &ops, NULL, &l, err, sizeof(err)), -EINVAL);
	strcpy(cfg.secret_key, sec);
	strcpy(cfg.bind, "127.0.0.1:1");		/* no transport */
	assert_int_equal(ha_link_new(NULL, &cfg, &ops, NULL, &l, err, sizeof(err)), -EINVAL);
	strcpy(cfg.bind, "tcp://256.0.0.1:1");		/* does not bind */
	assert_true(ha_link_new(NULL, &cfg, &ops, NULL, &l, err, sizeof(err)) < 0);
	assert_null(l);
	assert_non_null(strstr(err, "bind"));

	/* Without a loop, without a bind address: a link that cannot be
	 * active, and says so. */
	cfg.bind[0] = '\0';
	assert_int_equal(ha_link_new(NULL, &cfg, &ops, NULL, &l, err, sizeof(err)), 0);
	assert_int_equal(ha_link_set_role(l, HA_LINK_ACTIVE), -EINVAL);
	assert_int_equal(ha_link_set_role(l, HA_LINK_STANDBY), -EINVAL);	/* no peer */
	assert_int_equal(ha_link_role(l), HA_LINK_IDLE);
	assert_int_equal(ha_link_active_send(l, NULL), 0);
	ha_link_free(l);
}

static int cond_bulk_sent(struct end *a, struct end *s)
{
	(void)s;
	return a->bulk_calls > 0;
}

/*
 * CURVE: a bulk of 2,000 sessions arrives complete and in order between
 * BULK_BEGIN and BULK_END; records sent while the bulk is unacknowledged
 * and after it follow in order; the cumulative ack reaches the last
 * sequence number.
 */
static void test_link_bulk_and_stream(void **state)
{
	struct end *a, *s;
	struct ha_link_stats sta, sts;
	uint64_t seq, prev;
	unsigned i, sid;
	size_t k;

	(void)state;
	a = active_new(1, NULL);
	model_add(a, 1, 2000);
	/* No standby yet: nothing is sent, nothing to wait for. */
	{
		struct ha_rec r = session(1, 1);

		assert_int_equal(ha_link_active_send(a->l, &r), 0);
	}
	assert_int_equal(ha_link_active_request_takeover(a->l), -ENOTCONN);
	s = standby_new(a, 1, NULL, NULL);

	/* Until the active has sent the bulk... */
	assert_true(run_until(a, s, cond_bulk_sent, 10));
	/* ...then 10 records while the standby is still taking it in. */
	assert_false(ha_link_active_synced(a->l));
	prev = ha_link_active_last_seq(a->l);
	for (i = 0; i < 10; i++) {
		seq = stream(a, 3000 + i, (uint16_t)(100 + i));
		assert_int_equal(seq, prev + 1);
		prev = seq;
	}
	assert_true(run_until(a, s, cond_synced, 10));
	assert_int_equal(a->ups, 1);
	assert_int_equal(a->downs, 0);
	assert_int_equal(s->bulk_begins, 1);
	assert_int_equal(s->bulk_ends, 1);
	assert_false(s->bad_order);
	assert_int_equal(s->active_ups, 1);
	/* Bulk in ascending sid order as cb_bulk sent it, then the stream. */
	assert_int_equal(s->n_order, 2010);
	for (k = 0; k < 2000; k++)
		assert_int_equal(s->order[k], k + 1);
	for (k = 2000; k < 2010; k++)
		assert_int_equal(s->order[k], 3000 + (k - 2000));
	check_consistent(a, s);
	/* 1 tunnel + 2000 sessions in the bulk, 10 after it. */
	assert_int_equal(ha_link_active_last_seq(a->l), 2011);
	assert_int_equal(ha_link_active_acked(a->l), 2011);
	assert_int_equal(a->acked_cb, 2011);

	/* The stream: 5,000 updates and new sessions. */
	for (i = 0; i < 5000; i++) {
		sid = 1 + (i * 7919) % 6000;
		seq = stream(a, sid, (uint16_t)(i + 1));
		assert_int_equal(seq, prev + 1);
		prev = seq;
	}
	assert_true(run_until(a, s, cond_acked, 20));
	assert_int_equal(ha_link_active_acked(a->l), prev);
	assert_int_equal(a->acked_cb, prev);
	assert_int_equal(ha_link_standby_rx_count(s->l), prev);
	check_consistent(a, s);
	for (k = 0; k < 5000; k++)
		assert_int_equal(s->order[2010 + k], 1 + (k * 7919) % 6000);

	ha_link_get_stats(a->l, &sta);
	ha_link_get_stats(s->l, &sts);
	assert_int_equal(sta.tx_records, prev);
	assert_int_equal(sts.rx_records, prev);
	assert_int_equal(sta.bulks, 1);
	assert_int_equal(sta.bulk_records, 2001);
	assert_int_equal(sts.bulks, 1);
	assert_int_equal(sts.bulk_records, 2001);
	assert_int_equal(sta.gaps + sts.gaps, 0);
	assert_int_equal(sta.auth_refused, 0);
	assert_int_equal(sts.decode_errors + sta.decode_errors, 0);
	assert_true(sts.tx_acks > 0 && sta.rx_acks > 0);
	/* Acks are cumulative per batch: far fewer than records. */
	assert_true(sts.tx_acks < prev);
	assert_int_equal(a->downs, 0);
	assert_int_equal(s->active_downs, 0);

	/* Heartbeats both ways while idle. */
	run_for(a, s, 0.3);
	ha_link_get_stats(a->l, &sta);
	ha_link_get_stats(s->l, &sts);
	assert_true(sta.heartbeats_tx >= 2 && sta.heartbeats_rx >= 2);
	assert_true(sts.heartbeats_tx >= 2 && sts.heartbeats_rx >= 2);
	assert_true(ha_link_standby_synced(s->l));
	assert_int_equal(a->downs, 0);

	end_free(s);
	end_free(a);
}

static int cond_refused(struct end *a, struct end *s)
{
	struct ha_link_stats st;

	(void)s;
	ha_link_get_stats(a->l, &st);
	return st.auth_refused >= 2;
}

/* A standby whose key the active does not admit gets nothing. */
static void test_link_wrong_key(void **state)
{
	struct end *a, *s;
	struct ha_link_stats sta, sts;
	struct ha_rec r = session(5, 5);

	(void)state;
	a = active_new(1, NULL);
	model_add(a, 1, 100);
	s = standby_new(a, 1, pub_x, sec_x);	/* X's keypair, not S's */
	assert_true(run_until(a, s, cond_refused, 10));
	run_for(a, s, 0.5);
	ha_link_get_stats(a->l, &sta);
	ha_link_get_stats(s->l, &sts);
	assert_true(sta.auth_refused >= 2);
	/* Rate-limited: one line for the refusals of 10 s. */
	assert_int_equal(a->log_refused, 1);
	assert_non_null(strstr(a->last_log, "127.0.0.1"));
	assert_int_equal(a->bulk_calls, 0);
	assert_int_equal(a->ups, 0);
	assert_int_equal(ha_link_active_send(a->l, &r), 0);
	assert_int_equal(s->bulk_begins, 0);
	assert_int_equal(s->records, 0);
	assert_int_equal(sts.rx_bytes, 0);
	assert_int_equal(s->active_ups, 0);
	assert_false(ha_link_standby_synced(s->l));
	end_free(s);

	/* A plain (no CURVE) client is not admitted by a CURVE server. */
	s = standby_new(a, 0, NULL, NULL);
	run_for(a, s, 0.5);
	assert_int_equal(s->records, 0);
	assert_int_equal(a->bulk_calls, 0);
	end_free(s);

	/* The right key after all that: admitted. */
	s = standby_new(a, 1, NULL, NULL);
	assert_true(run_until(a, s, cond_synced, 10));
	check_consistent(a, s);
	end_free(s);
	end_free(a);
}

/* The standby knows the wrong server key: it never talks to an impostor. */
static void test_link_wrong_server_key(void **state)
{
	struct end *a, *s;

	(void)state;
	a = active_new(1, NULL);
	model_add(a, 1, 10);
	s = standby_with(a, 1, NULL, NULL, pub_x, 0);	/* not the active's */
	run_for(a, s, 0.7);
	assert_int_equal(s->records, 0);
	assert_int_equal(s->active_ups, 0);
	assert_int_equal(a->bulk_calls, 0);
	end_free(s);
	end_free(a);
}

/* An active with state and no standby; a standby that joins late gets it
 * all by bulk. */
static void test_link_late_standby(void **state)
{
	struct end *a, *s;
	unsigned i;

	(void)state;
	a = active_new(1, NULL);
	model_add(a, 1, 500);
	run_for(a, NULL, 0.2);
	for (i = 0; i < 300; i++)
		assert_int_equal(stream(a, 600 + i, (uint16_t)(i + 1)), 0);
	assert_int_equal(ha_link_active_last_seq(a->l), 0);
	s = standby_new(a, 1, NULL, NULL);
	assert_true(run_until(a, s, cond_synced, 10));
	assert_int_equal(s->bulk_begins, 1);
	assert_int_equal(s->n_order, 800);
	check_consistent(a, s);
	end_free(s);
	end_free(a);
}

static int cond_rebulked(struct end *a, struct end *s)
{
	return a->bulk_calls >= 2 && cond_synced(a, s);
}

/* A lost sequence number: the standby asks for a new bulk and ends up
 * consistent; nothing after the gap is applied before the bulk. */
static void test_link_gap(void **state)
{
	struct end *a, *s;
	struct ha_link_stats sta, sts;
	uint64_t s1, s2;
	unsigned i;

	(void)state;
	a = pair_synced(1000, &s);
	assert_int_equal(a->bulk_calls, 1);

	s1 = stream(a, 2000, 1);
	ha_link_active_test_skip_seq(a->l);
	s2 = stream(a, 2001, 2);
	assert_int_equal(s2, s1 + 2);		/* s1 + 1 never left */
	for (i = 0; i < 50; i++)
		stream(a, 2002 + i, (uint16_t)(3 + i));
	assert_true(run_until(a, s, cond_rebulked, 10));
	assert_int_equal(a->bulk_calls, 2);
	assert_int_equal(s->bulk_begins, 2);
	assert_int_equal(s->bulk_ends, 2);
	check_consistent(a, s);
	/* A re-bulk is not a standby change. */
	assert_int_equal(a->downs, 0);
	ha_link_get_stats(a->l, &sta);
	ha_link_get_stats(s->l, &sts);
	assert_int_equal(sts.gaps, 1);
	assert_int_equal(sta.gaps, 1);
	assert_int_equal(sta.bulks, 2);

	/* And the stream goes on. */
	s1 = stream(a, 1, 999);
	assert_int_equal(s1, ha_link_active_last_seq(a->l));
	assert_true(run_until(a, s, cond_acked, 10));
	check_consistent(a, s);
	end_free(s);
	end_free(a);
}

static int cond_down(struct end *a, struct end *s)
{
	(void)s;
	return a->downs > 0;
}

/* The standby process dies (its socket closes). */
static void test_link_standby_death(void **state)
{
	struct end *a, *s;
	struct ha_rec r = session(1, 1);
	double t0;

	(void)state;
	a = pair_synced(100, &s);
	assert_true(ha_link_active_send(a->l, &r) > 0);
	end_free(s);
	t0 = now_s();
	assert_true(run_until(a, NULL, cond_down, 5));
	assert_true(now_s() - t0 < a->cfg.dead_ms / 1000.0 + 1.0);
	assert_int_equal(a->downs, 1);
	assert_false(ha_link_active_synced(a->l));
	assert_int_equal(ha_link_active_send(a->l, &r), 0);
	assert_int_equal(ha_link_active_request_takeover(a->l), -ENOTCONN);
	end_free(a);
}

static int cond_stalled_down(struct end *a, struct end *s)
{
	(void)s;
	return a->downs > 0;
}

static int cond_resynced(struct end *a, struct end *s)
{
	return a->ups >= 2 && cond_synced(a, s);
}

/*
 * The standby hangs (connected, silent): after dead_ms the active gives
 * up on it and stops streaming; when it comes back it learns (RESET) that
 * it must resync, and gets a new bulk.
 */
static void test_link_standby_stall(void **state)
{
	struct end *a, *s;
	struct ha_link_stats sta;
	double t0, waited;
	unsigned i;

	(void)state;
	a = pair_synced(200, &s);
	s->stalled = 1;
	t0 = now_s();
	assert_true(run_until(a, s, cond_stalled_down, 5));
	waited = now_s() - t0;
	assert_true(waited >= a->cfg.dead_ms / 1000.0 - 0.1);
	assert_true(waited < a->cfg.dead_ms / 1000.0 + 1.0);
	assert_non_null(strstr(a->down_reason, "no word"));
	ha_link_get_stats(a->l, &sta);
	assert_int_equal(sta.peer_timeouts, 1);
	for (i = 0; i < 20; i++)
		assert_int_equal(stream(a, 300 + i, 1), 0);	/* no standby: not sent */

	s->stalled = 0;
	assert_true(run_until(a, s, cond_resynced, 10));
	assert_int_equal(s->bulk_begins, 2);
	check_consistent(a, s);
	end_free(s);
	end_free(a);
}

static int cond_takeover(struct end *a, struct end *s)
{
	(void)a;
	return s->takeovers > 0;
}

static void test_link_takeover(void **state)
{
	struct end *a, *s;
	unsigned i;

	(void)state;
	a = pair_synced(10, &s);
	for (i = 0; i < 5; i++)
		stream(a, 100 + i, 1);
	assert_int_equal(ha_link_active_request_takeover(a->l), 0);
	/* As in a switchover: the active steps down at once; what it had
	 * queued (the records, then TAKEOVER) still reaches the standby. */
	assert_int_equal(ha_link_set_role(a->l, HA_LINK_IDLE), 0);
	assert_int_equal(ha_link_active_send(a->l, &(struct ha_rec){ .type = HA_REC_NONE }), 0);
	assert_true(run_until(a, s, cond_takeover, 10));
	assert_int_equal(s->takeovers, 1);
	check_consistent(a, s);
	end_free(s);
	end_free(a);
}

static int cond_second_synced(struct end *a, struct end *s)
{
	return a->ups >= 2 && cond_synced(a, s);
}

/* A restarted standby (a new identity) replaces the old one and gets a
 * fresh bulk. */
static void test_link_replace(void **state)
{
	struct end *a, *s1, *s2;

	(void)state;
	a = pair_synced(300, &s1);
	stream(a, 400, 4);
	assert_true(run_until(a, s1, cond_acked, 10));
	end_free(s1);
	s2 = standby_new(a, 1, NULL, NULL);
	assert_true(run_until(a, s2, cond_second_synced, 10));
	assert_int_equal(a->downs, 1);	/* the old one, before the new one's up */
	assert_int_equal(a->bulk_calls, 2);
	assert_int_equal(s2->bulk_begins, 1);
	check_consistent(a, s2);
	end_free(s2);
	end_free(a);
}

static int cond_active_down(struct end *a, struct end *s)
{
	(void)a;
	return s->active_downs > 0;
}

/* The active dies; the standby notices after dead_ms, keeps its store,
 * and syncs from the next active on the same address. */
static void test_link_active_death(void **state)
{
	struct end *a, *a2, *s;
	const struct ha_shadow_tunnel *t;
	char ep[128], err[128];
	double t0;

	(void)state;
	a = pair_synced(50, &s);
	endpoint_of(a, ep, sizeof(ep));
	end_free(a);
	t0 = now_s();
	assert_true(run_until(NULL, s, cond_active_down, 5));
	assert_true(now_s() - t0 < s->cfg.dead_ms / 1000.0 + 1.0);
	assert_false(ha_link_standby_synced(s->l));
	t = ha_shadow_tunnel(s->shadow, TID);
	assert_non_null(t);
	assert_int_equal(t->n_sessions, 50);		/* kept for a takeover */

	a2 = end_new();
	strcpy(a2->cfg.bind, ep);
	end_curve(a2, pub_a, sec_a, pub_s);
	assert_int_equal(ha_link_new(a2->loop, &a2->cfg, &ops, a2, &a2->l, err, sizeof(err)), 0);
	assert_int_equal(ha_link_set_role(a2->l, HA_LINK_ACTIVE), 0);
	model_add(a2, 1000, 70);
	assert_true(run_until(a2, s, cond_synced, 10));
	assert_int_equal(s->bulk_begins, 2);
	assert_int_equal(s->active_ups, 2);
	check_consistent(a2, s);
	end_free(s);
	end_free(a2);
}

/* An active end a and a standby end s (the keys made) whose timers keep
 * out of the test's way: no heartbeat for 3 s, and a peer silent for less
 * than 30 s (a stalled standby) is not dead. */
static void quiet_ends(struct end **a, struct end **s)
{
	keys_init();
	*a = end_new();
	*s = end_new();
	(*a)->cfg.heartbeat_ms = (*s)->cfg.heartbeat_ms = 3000;
	(*a)->cfg.dead_ms = (*s)->cfg.dead_ms = 30000;
}

/*
 * Nothing waits for a heartbeat: with heartbeats 3 s apart, 10,000
 * records queued at a standby are taken in at once, and 300 records sent
 * one at a time, each waiting for its acknowledgement, take far less
 * than one heartbeat interval.  Input stranded by ZMQ_FD's edge trigger
 * (a send that consumed the edge of pending input) or an ack held back
 * until a timer would show up here as seconds.
 */
static void test_link_prompt(void **state)
{
	struct end *a, *s;
	char err[128];
	double t0, worst = 0, t;
	unsigned i;

	(void)state;
	quiet_ends(&a, &s);
	strcpy(a->cfg.bind, "tcp://127.0.0.1:*");
	end_curve(a, pub_a, sec_a, pub_s);
	assert_int_equal(ha_link_new(a->loop, &a->cfg, &ops, a, &a->l, err, sizeof(err)), 0);
	assert_int_equal(ha_link_set_role(a->l, HA_LINK_ACTIVE), 0);
	endpoint_of(a, s->cfg.connect, sizeof(s->cfg.connect));
	end_curve(s, pub_s, sec_s, pub_a);
	assert_int_equal(ha_link_new(s->loop, &s->cfg, &ops, s, &s->l, err, sizeof(err)), 0);
	/* The first HELLO goes as soon as the connection is up, not a
	 * heartbeat later. */
	t = now_s();
	assert_int_equal(ha_link_set_role(s->l, HA_LINK_STANDBY), 0);
	model_add(a, 1, 5000);
	assert_true(run_until(a, s, cond_bulk_sent, 15));
	assert_true(now_s() - t < 1.5);
	/* Let 5,000 more records queue up at a standby that is busy
	 * elsewhere: more than one drain takes, and nothing will wake its
	 * loop for them but its own bookkeeping. */
	s->stalled = 1;
	for (i = 0; i < 5000; i++)
		assert_true(stream(a, 10000 + i, (uint16_t)(i + 1)) > 0);
	run_for(a, s, 0.3);
	s->stalled = 0;
	t = now_s();
	assert_true(run_until(a, s, cond_synced, 15));
	assert_true(now_s() - t < 1.5);
	t0 = now_s();
	for (i = 0; i < 300; i++) {
		t = now_s();
		assert_true(stream(a, 100 + i, (uint16_t)(i + 1)) > 0);
		assert_true(run_until(a, s, cond_acked, 5));
		if (now_s() - t > worst)
			worst = now_s() - t;
	}
	assert_true(worst < 1.0);
	assert_true(now_s() - t0 < 2.5);
	/* A takeover request is delivered at once too. */
	t = now_s();
	assert_int_equal(ha_link_active_request_takeover(a->l), 0);
	assert_true(run_until(a, s, cond_takeover, 5));
	assert_true(now_s() - t < 1.0);
	check_consistent(a, s);
	end_free(s);
	end_free(a);
}

/* security none: plain ZeroMQ, said once in the log. */
static void test_link_plain(void **state)
{
	struct end *a, *s;

	(void)state;
	a = active_new(0, NULL);
	assert_int_equal(a->log_plain, 1);
	model_add(a, 1, 100);
	s = standby_new(a, 0, NULL, NULL);
	assert_int_equal(s->log_plain, 1);
	assert_true(run_until(a, s, cond_synced, 10));
	check_consistent(a, s);
	stream(a, 7, 7);
	assert_true(run_until(a, s, cond_acked, 10));
	check_consistent(a, s);
	assert_int_equal(a->log_plain, 1);
	end_free(s);
	end_free(a);
}

/* Rolling upgrade on the link: a standby one schema version newer syncs
 * from this active and counts (not refuses) the difference. */
static void test_link_versions(void **state)
{
	struct end *a, *s;
	struct ha_link_stats sta, sts;

	(void)state;
	a = active_new(1, NULL);
	model_add(a, 1, 20);
	s = standby_with(a, 1, NULL, NULL, NULL, HA_SCHEMA_VERSION + 1);
	assert_true(run_until(a, s, cond_synced, 10));
	check_consistent(a, s);
	ha_link_get_stats(a->l, &sta);
	ha_link_get_stats(s->l, &sts);
	assert_true(sta.version_mismatch >= 1);
	assert_int_equal(sts.version_mismatch, 21);	/* every record */
	end_free(s);
	end_free(a);
}

/* A session record of about 300 octets (a long user name), as the
 * daemon's are: a 64 KiB batch holds some 200 of them. */
static uint64_t stream_big(struct end *a, unsigned sid, uint16_t peer_sid)
{
	struct ha_rec r = session((uint16_t)sid, peer_sid);

	memset(r.u.session.user, 'u', 250);
	r.u.session.user[250] = '\0';
	if (!a->m->peer_sid[sid])
		a->m->n++;
	a->m->peer_sid[sid] = peer_sid;
	return ha_link_active_send(a->l, &r);
}

static void turn_reset_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct end *e = w->data;

	(void)loop;
	(void)revents;
	e->turn_recs = 0;
}

/* The active a (model: one tunnel of ten sessions) and the standby s
 * linked on loopback, CURVE or plain; a and s keep the timers the test
 * gave their configurations. */
static void slow_pair_start(struct end *a, struct end *s, int curve)
{
	char err[128];

	strcpy(a->cfg.bind, "tcp://127.0.0.1:*");
	if (curve)
		end_curve(a, pub_a, sec_a, pub_s);
	assert_int_equal(ha_link_new(a->loop, &a->cfg, &ops, a, &a->l, err, sizeof(err)), 0);
	assert_int_equal(ha_link_set_role(a->l, HA_LINK_ACTIVE), 0);
	model_add(a, 1, 10);
	endpoint_of(a, s->cfg.connect, sizeof(s->cfg.connect));
	if (curve)
		end_curve(s, pub_s, sec_s, pub_a);
	assert_int_equal(ha_link_new(s->loop, &s->cfg, &ops, s, &s->l, err, sizeof(err)), 0);
	assert_int_equal(ha_link_set_role(s->l, HA_LINK_STANDBY), 0);
}

/* 20,000 records queued at a standby that was busy elsewhere: it
 * acknowledges at least every LINK_ACK_RECORDS records applied (the
 * active's held packets wait for that, not for the whole backlog), and
 * applies at most LINK_DRAIN_RECORDS (plus the batch in hand) a loop
 * turn. */
static void test_link_drain_bounded(void **state)
{
	struct end *a, *s;
	struct ha_link_stats sta;
	ev_prepare turn;
	uint64_t msgs;
	unsigned i, per_msg;

	(void)state;
	/* No heartbeat in the way (only the stream drives the standby), and
	 * no dead timer: the standby's stall below is longer than 400 ms. */
	quiet_ends(&a, &s);
	slow_pair_start(a, s, 1);
	ev_prepare_init(&turn, turn_reset_cb);
	turn.data = s;
	ev_prepare_start(s->loop, &turn);
	assert_true(run_until(a, s, cond_synced, 10));
	ha_link_get_stats(a->l, &sta);
	s->stalled = 1;
	for (i = 0; i < 20000; i++)
		assert_true(stream_big(a, 100 + i, (uint16_t)(i + 1)) > 0);
	assert_int_equal(ha_link_active_flush(a->l), 0);
	run_for(a, s, 1.0);	/* the backlog reaches the standby's socket */
	s->stalled = 0;
	s->unacked_max = s->turn_max = 0;
	s->unacked_run = 0;
	assert_true(run_until(a, s, cond_acked, 20));
	check_consistent(a, s);
	/* Batches of some 200 records; a turn may end inside one (it is
	 * applied whole), hence twice the mean as the slack. */
	msgs = sta.tx_msgs;
	ha_link_get_stats(a->l, &sta);
	msgs = sta.tx_msgs - msgs;
	assert_true(msgs >= 50);
	per_msg = 2 * (unsigned)((20000 + msgs - 1) / msgs);
	assert_true(s->unacked_max <= LINK_ACK_RECORDS);
	assert_true(s->turn_max <= LINK_DRAIN_RECORDS + per_msg);
	/* It was a backlog: more than one turn's worth was waiting. */
	assert_true(s->turn_max > LINK_ACK_RECORDS);
	ev_prepare_stop(s->loop, &turn);
	end_free(s);
	end_free(a);
}

/* A backlog of small messages (a daemon's loop turns, a few records each)
 * at a standby that was busy elsewhere: each message is acknowledged once
 * applied, before the next is read, so the packets held for the first
 * do not wait for the whole backlog's reading and applying. */
static void test_link_ack_each_message(void **state)
{
	struct end *a, *s;
	struct ha_link_stats sta, sts0, sts;
	uint64_t msgs;
	unsigned i;

	(void)state;
	/* No heartbeat in the way, no dead timer for the stall below. */
	quiet_ends(&a, &s);
	slow_pair_start(a, s, 0);
	assert_true(run_until(a, s, cond_synced, 10));
	ha_link_get_stats(a->l, &sta);
	msgs = sta.tx_msgs;
	ha_link_get_stats(s->l, &sts0);
	s->stalled = 1;
	/* 200 messages of 3 records: 600 records, more than LINK_ACK_RECORDS
	 * and less than a turn's LINK_DRAIN_RECORDS. */
	for (i = 0; i < 600; i++) {
		assert_true(stream(a, 100 + i, (uint16_t)(i + 1)) > 0);
		if (i % 3 == 2)
			assert_int_equal(ha_link_active_flush(a->l), 0);
	}
	ha_link_get_stats(a->l, &sta);
	assert_int_equal(sta.tx_msgs - msgs, 200);
	run_for(a, s, 1.0);	/* the backlog reaches the standby's socket */
	s->stalled = 0;
	s->unacked_max = 0;
	s->unacked_run = 0;
	assert_true(run_until(a, s, cond_acked, 20));
	check_consistent(a, s);
	/* Never more than one message's records applied without an ack. */
	assert_true(s->unacked_max <= 3);
	ha_link_get_stats(s->l, &sts);
	assert_true(sts.tx_acks - sts0.tx_acks >= 200);
	end_free(s);
	end_free(a);
}

/* Both ends' loops stalled (one thread drives both here, as a loaded host
 * may stop a whole process): neither end may blame the other for the
 * silence it did not listen to. */
static void test_link_own_stall(void **state)
{
	struct end *a, *s;

	(void)state;
	a = pair_synced(10, &s);
	assert_int_equal(a->ups, 1);
	usleep(3 * a->cfg.dead_ms * 1000);
	run_for(a, s, 0.5);
	assert_int_equal(a->downs, 0);
	assert_int_equal(a->ups, 1);
	assert_int_equal(s->active_downs, 0);
	assert_int_equal(s->bulk_begins, 1);
	/* A standby that really is silent is still found out. */
	s->stalled = 1;
	assert_true(run_until(a, s, cond_down, 5));
	end_free(s);
	end_free(a);
}

/* Stream 300 records to s and check the standby holds the model; the
 * active's counters then. */
static void stream_300(struct end *a, struct end *s, struct ha_link_stats *sta)
{
	unsigned i;

	for (i = 0; i < 300; i++)
		stream(a, 3000 + i, (uint16_t)(7 + i));
	assert_true(run_until(a, s, cond_acked, 10));
	check_consistent(a, s);
	ha_link_get_stats(a->l, sta);
}

/* Records leave in batches (schema HA_SCHEMA_BATCH): a bulk of 2001 and a
 * stream of 300 in a few messages, applied in order, every record counted
 * by both ends. */
static void test_link_batches(void **state)
{
	struct end *a, *s;
	struct ha_link_stats sta, sts;

	(void)state;
	a = pair_synced(2000, &s);
	check_consistent(a, s);
	ha_link_get_stats(a->l, &sta);
	assert_int_equal(sta.tx_records, 2001);
	/* 2001 records of ~20 octets: one or two 64 KiB batches */
	assert_true(sta.tx_msgs >= 1 && sta.tx_msgs <= 3);
	stream_300(a, s, &sta);
	assert_int_equal(sta.tx_records, 2301);
	assert_true(sta.tx_msgs <= 6);
	ha_link_get_stats(s->l, &sts);
	assert_int_equal(sts.rx_records, 2301);
	assert_int_equal(sts.decode_errors, 0);
	assert_int_equal(sts.gaps, 0);
	assert_int_equal(s->bad_order, 0);
	end_free(s);
	end_free(a);
}

/* Rolling upgrade: a standby of the schema before batches says so in its
 * HELLO and gets one record a message, as its decoder expects. */
static void test_link_older_standby(void **state)
{
	struct end *a, *s;
	struct ha_link_stats sta, sts;

	(void)state;
	a = active_new(1, NULL);
	model_add(a, 1, 200);
	s = standby_with(a, 1, NULL, NULL, NULL, HA_SCHEMA_BATCH - 1);
	assert_true(run_until(a, s, cond_synced, 10));
	check_consistent(a, s);
	stream_300(a, s, &sta);
	assert_int_equal(sta.tx_records, 501);
	assert_int_equal(sta.tx_msgs, 501);
	ha_link_get_stats(s->l, &sts);
	assert_int_equal(sts.rx_records, 501);
	end_free(s);
	end_free(a);
}

/*
 * A send late in a loop turn, after the link's prepare looked at
 * ZMQ_EVENTS, takes the edge of input that arrived meanwhile (ZMQ_FD is
 * edge-triggered).  It is the daemon's end-of-turn flush when the link was
 * made after the daemon's prepare watcher: a link recreated after a
 * hitless restart.  The acknowledgement must still be read in that turn,
 * not at the next heartbeat.
 */
struct late_send {
	ev_prepare w;			/* started before the link's: runs after it */
	struct end *a, *s;
	int armed;
};

static void late_send_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct late_send *ls = w->data;

	(void)loop;
	(void)revents;
	if (!ls->armed)
		return;
	ls->armed = 0;
	/* The standby applies what was sent and acknowledges it... */
	run_for(NULL, ls->s, 0.1);
	/* ...and then the daemon's flush sends. */
	assert_true(stream(ls->a, 21, 21) > 0);
	assert_int_equal(ha_link_active_flush(ls->a->l), 0);
}

static void test_link_late_send(void **state)
{
	struct late_send ls;
	struct end *a, *s;
	uint64_t first;
	double t;

	(void)state;
	/* No heartbeat wakes either loop during the test. */
	quiet_ends(&a, &s);
	memset(&ls, 0, sizeof(ls));
	ev_prepare_init(&ls.w, late_send_cb);
	ls.w.data = &ls;
	/* Started before the link is made, so that it runs after the
	 * link's own prepare watcher. */
	ev_prepare_start(a->loop, &ls.w);
	slow_pair_start(a, s, 1);
	assert_true(run_until(a, s, cond_synced, 10));
	run_for(a, s, 0.2);
	first = stream(a, 20, 20);
	assert_true(first > 0);
	assert_int_equal(ha_link_active_flush(a->l), 0);
	ls.a = a;
	ls.s = s;
	ls.armed = 1;
	/* The active's loop reads the acknowledgement without sleeping until
	 * the heartbeat (a turn woken by something else goes on). */
	t = now_s();
	do
		ev_run(a->loop, EVRUN_ONCE);
	while (ha_link_active_acked(a->l) < first && now_s() - t < 1.0);
	assert_int_equal(ls.armed, 0);
	assert_true(ha_link_active_acked(a->l) >= first);
	assert_true(now_s() - t < 1.0);
	ev_prepare_stop(a->loop, &ls.w);
	end_free(s);
	end_free(a);
}

/*
 * A busy loop still reads the acknowledgement: while the daemon's other
 * sockets are ready on every turn (a burst), libev runs no idle watcher of
 * their priority, and input the loop's own look at ZMQ_EVENTS took the
 * edge of (the prepare, a send) would wait for the next heartbeat.
 */
static void busy_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	(*(unsigned *)w->data)++;	/* ready again on the next turn: never read */
}

static void test_link_busy_loop(void **state)
{
	struct end *a, *s;
	char err[128];
	uint64_t first;
	unsigned turns = 0, busy = 0;
	int fds[2];
	ev_io io;
	double t;

	(void)state;
	keys_init();
	a = end_new();
	s = end_new();
	/* No heartbeat wakes either loop during the test. */
	a->cfg.heartbeat_ms = s->cfg.heartbeat_ms = 3000;
	a->cfg.dead_ms = s->cfg.dead_ms = 30000;
	strcpy(a->cfg.bind, "tcp://127.0.0.1:*");
	a->cfg.curve = s->cfg.curve = 1;
	strcpy(a->cfg.public_key, pub_a);
	strcpy(a->cfg.secret_key, sec_a);
	strcpy(a->cfg.peer_key, pub_s);
	assert_int_equal(ha_link_new(a->loop, &a->cfg, &ops, a, &a->l, err, sizeof(err)), 0);
	assert_int_equal(ha_link_set_role(a->l, HA_LINK_ACTIVE), 0);
	endpoint_of(a, s->cfg.connect, sizeof(s->cfg.connect));
	strcpy(s->cfg.public_key, pub_s);
	strcpy(s->cfg.secret_key, sec_s);
	strcpy(s->cfg.peer_key, pub_a);
	assert_int_equal(ha_link_new(s->loop, &s->cfg, &ops, s, &s->l, err, sizeof(err)), 0);
	assert_int_equal(ha_link_set_role(s->l, HA_LINK_STANDBY), 0);
	model_add(a, 1, 10);
	assert_true(run_until(a, s, cond_synced, 10));
	run_for(a, s, 0.2);
	/* A socket that is ready on every turn, at the default priority. */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "x", 1), 1);
	ev_io_init(&io, busy_cb, fds[0], EV_READ);
	io.data = &busy;
	ev_io_start(a->loop, &io);
	first = stream(a, 20, 20);
	assert_true(first > 0);
	assert_int_equal(ha_link_active_flush(a->l), 0);
	/* The standby applies it and acknowledges; the acknowledgement
	 * reaches the active's ZeroMQ socket meanwhile. */
	run_for(NULL, s, 0.2);
	t = now_s();
	do {
		ev_run(a->loop, EVRUN_ONCE);
		turns++;
	} while (ha_link_active_acked(a->l) < first && now_s() - t < 1.0);
	assert_true(busy > 0);		/* the loop was busy all along */
	assert_true(ha_link_active_acked(a->l) >= first);
	assert_true(now_s() - t < 1.0);
	assert_true(turns < 1000);
	ev_io_stop(a->loop, &io);
	close(fds[0]);
	close(fds[1]);
	end_free(s);
	end_free(a);
}

/*
 * A commit point inside a long loop turn (ha_link_poll, the loop not
 * running) reads the acknowledgement that came meanwhile.  The send before
 * it found the socket without input and marked it quiet (a look at
 * ZMQ_EVENTS spared until a send or a receive): the commit point must
 * receive all the same, not trust the mark, which only the loop's look at
 * ZMQ_FD can overturn.
 */
static uint64_t acks_before;

static int cond_standby_acked(struct end *a, struct end *s)
{
	struct ha_link_stats st;

	(void)a;
	ha_link_get_stats(s->l, &st);
	return st.tx_acks > acks_before;
}

static void test_link_commit_point(void **state)
{
	struct end *a, *s;
	struct ha_link_stats st;
	uint64_t first;
	double t;

	(void)state;
	quiet_ends(&a, &s);
	slow_pair_start(a, s, 0);
	assert_true(run_until(a, s, cond_synced, 10));
	run_for(a, s, 0.2);
	ha_link_get_stats(s->l, &st);
	acks_before = st.tx_acks;
	/* The turn begins: a record goes out, nothing is there to read. */
	first = stream(a, 30, 30);
	assert_true(first > 0);
	assert_int_equal(ha_link_active_flush(a->l), 0);
	/* The standby acknowledges while the active's turn goes on. */
	assert_true(run_until(NULL, s, cond_standby_acked, 5));
	t = now_s();
	while (ha_link_active_acked(a->l) < first && now_s() - t < 5.0) {
		assert_int_equal(ha_link_poll(a->l), 0);
		usleep(100);	/* the acknowledgement crossing the wire */
	}
	assert_true(ha_link_active_acked(a->l) >= first);
	end_free(s);
	end_free(a);
}

/*
 * More acknowledgements than one drain reads (LINK_BATCH messages: a
 * standby that acknowledges each record alone, the active busy meanwhile)
 * are all read in the next turns, not at the next heartbeat: a drain that
 * stopped at its bound leaves the socket's input to the idle watcher
 * (ZMQ_FD does not fire again for what is already queued), however quiet
 * the socket looked before those messages.
 */
static void test_link_active_drain_bounded(void **state)
{
	struct end *a, *s;
	struct ha_link_stats st;
	uint64_t last = 0;
	unsigned i;
	double t;

	(void)state;
	quiet_ends(&a, &s);
	s->cfg.schema_version = HA_SCHEMA_BATCH - 1;	/* a message a record */
	slow_pair_start(a, s, 0);
	assert_true(run_until(a, s, cond_synced, 10));
	run_for(a, s, 0.2);
	ha_link_get_stats(s->l, &st);
	acks_before = st.tx_acks + 1999;
	for (i = 0; i < 2000; i++)
		last = stream(a, 100 + i, (uint16_t)(i + 1));
	assert_true(last > 0);
	assert_true(run_until(NULL, s, cond_standby_acked, 10));
	run_for(NULL, s, 0.2);	/* the last of them crossing the wire */
	t = now_s();
	while (ha_link_active_acked(a->l) < last && now_s() - t < 5.0)
		ev_run(a->loop, EVRUN_ONCE);
	assert_int_equal(ha_link_active_acked(a->l), last);
	assert_true(now_s() - t < 1.0);
	end_free(s);
	end_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_keys),
		cmocka_unit_test(test_link_bulk_and_stream),
		cmocka_unit_test(test_link_wrong_key),
		cmocka_unit_test(test_link_wrong_server_key),
		cmocka_unit_test(test_link_late_standby),
		cmocka_unit_test(test_link_gap),
		cmocka_unit_test(test_link_standby_death),
		cmocka_unit_test(test_link_standby_stall),
		cmocka_unit_test(test_link_takeover),
		cmocka_unit_test(test_link_replace),
		cmocka_unit_test(test_link_active_death),
		cmocka_unit_test(test_link_prompt),
		cmocka_unit_test(test_link_plain),
		cmocka_unit_test(test_link_versions),
		cmocka_unit_test(test_link_batches),
		cmocka_unit_test(test_link_older_standby),
		cmocka_unit_test(test_link_drain_bounded),
		cmocka_unit_test(test_link_ack_each_message),
		cmocka_unit_test(test_link_own_stall),
		cmocka_unit_test(test_link_late_send),
		cmocka_unit_test(test_link_busy_loop),
		cmocka_unit_test(test_link_commit_point),
		cmocka_unit_test(test_link_active_drain_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
