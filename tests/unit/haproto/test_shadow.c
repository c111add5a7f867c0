/*
 * Unit tests of the standby's shadow store (haproto/ha_shadow.c): upserts,
 * the copy of the retransmit queue (kept in Ns order, trimmed by una
 * modulo 2^16), deletes, ascending iteration, and 100,000 sessions.
 */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <setjmp.h>
#include <cmocka.h>

#include "haproto/ha_shadow.h"

static struct ha_rec tunnel_rec(uint16_t tid, uint16_t peer_tid)
{
	struct ha_rec r;

	memset(&r, 0, sizeof(r));
	r.type = HA_REC_TUNNEL;
	r.u.tunnel.tid = tid;
	r.u.tunnel.peer_tid = peer_tid;
	return r;
}

static struct ha_rec session_rec(uint16_t tid, uint16_t sid, uint16_t peer_sid)
{
	struct ha_rec r;

	memset(&r, 0, sizeof(r));
	r.type = HA_REC_SESSION;
	r.u.session.tid = tid;
	r.u.session.sid = sid;
	r.u.session.peer_sid = peer_sid;
	return r;
}

static struct ha_rec seq_rec(uint16_t tid, uint16_t ns, uint16_t nr, uint16_t una)
{
	struct ha_rec r;

	memset(&r, 0, sizeof(r));
	r.type = HA_REC_SEQ;
	r.u.seq.tid = tid;
	r.u.seq.ns = ns;
	r.u.seq.nr = nr;
	r.u.seq.una = una;
	return r;
}

/* A message whose content says its Ns (and a version byte), to check
 * that a replacement really replaced. */
static struct ha_rec msg_rec(uint16_t tid, uint16_t ns, uint8_t *buf, uint8_t version)
{
	struct ha_rec r;

	memset(&r, 0, sizeof(r));
	r.type = HA_REC_CTRL_MSG;
	r.u.msg.tid = tid;
	r.u.msg.ns = ns;
	buf[0] = (uint8_t)(ns >> 8);
	buf[1] = (uint8_t)ns;
	buf[2] = version;
	r.u.msg.buf = buf;
	r.u.msg.len = 3;
	return r;
}

static struct ha_rec del_rec(uint16_t tid, uint16_t sid)
{
	struct ha_rec r;

	memset(&r, 0, sizeof(r));
	r.type = HA_REC_DELETE;
	r.u.del.tid = tid;
	r.u.del.sid = sid;
	return r;
}

static int apply(struct ha_shadow *s, struct ha_rec r)
{
	return ha_shadow_apply(s, &r);
}

static void check_msgs(const struct ha_shadow_tunnel *t, const uint16_t *ns, size_t n)
{
	size_t i;

	assert_non_null(t);
	assert_int_equal(t->n_msgs, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(t->msgs[i].ns, ns[i]);
		assert_int_equal(t->msgs[i].len, 3);
		assert_int_equal(t->msgs[i].buf[0] << 8 | t->msgs[i].buf[1], ns[i]);
	}
}

static void test_shadow_upsert(void **state)
{
	struct ha_shadow *s = ha_shadow_new();
	const struct ha_shadow_tunnel *t;
	const struct ha_shadow_session *ss;
	struct ha_shadow_stats st;
	struct ha_rec r;

	(void)state;
	assert_non_null(s);
	assert_null(ha_shadow_tunnel(s, 5));
	assert_int_equal(apply(s, tunnel_rec(5, 50)), 0);
	t = ha_shadow_tunnel(s, 5);
	assert_non_null(t);
	assert_true(t->have_tunnel);
	assert_false(t->have_seq);
	assert_int_equal(t->rec.peer_tid, 50);

	/* A later record for the same key replaces the earlier one. */
	r = tunnel_rec(5, 51);
	strcpy(r.u.tunnel.peer_host, "lac2");
	assert_int_equal(ha_shadow_apply(s, &r), 0);
	assert_ptr_equal(ha_shadow_tunnel(s, 5), t);
	assert_int_equal(t->rec.peer_tid, 51);
	assert_string_equal(t->rec.peer_host, "lac2");

	assert_int_equal(apply(s, session_rec(5, 9, 90)), 0);
	ss = ha_shadow_session(t, 9);
	assert_non_null(ss);
	assert_int_equal(ss->rec.peer_sid, 90);
	r = session_rec(5, 9, 91);
	strcpy(r.u.session.user, "bob");
	r.u.session.peer_ip = 0x01020304;
	assert_int_equal(ha_shadow_apply(s, &r), 0);
	assert_ptr_equal(ha_shadow_session(t, 9), ss);
	assert_int_equal(ss->rec.peer_sid, 91);
	assert_string_equal(ss->rec.user, "bob");
	assert_int_equal(ss->rec.peer_ip, 0x01020304);
	assert_null(ha_shadow_session(t, 10));
	assert_null(ha_shadow_session(t, 9 + 256));	/* another page */
	assert_int_equal(t->n_sessions, 1);

	/* Applying the same record twice leaves the same store. */
	assert_int_equal(ha_shadow_apply(s, &r), 0);
	ha_shadow_get_stats(s, &st);
	assert_int_equal(st.tunnels, 1);
	assert_int_equal(st.sessions, 1);
	assert_int_equal(st.applied, 5);
	assert_int_equal(st.ignored, 0);
	ha_shadow_free(s);
}

/* SEQ, message copies and sessions may come before the TUNNEL record. */
static void test_shadow_early_records(void **state)
{
	struct ha_shadow *s = ha_shadow_new();
	const struct ha_shadow_tunnel *t;
	uint8_t b[3];

	(void)state;
	assert_int_equal(apply(s, session_rec(7, 1, 2)), 0);
	t = ha_shadow_tunnel(s, 7);
	assert_non_null(t);
	assert_false(t->have_tunnel);
	assert_non_null(ha_shadow_session(t, 1));
	assert_int_equal(apply(s, seq_rec(8, 1, 1, 1)), 0);
	assert_false(ha_shadow_tunnel(s, 8)->have_tunnel);
	assert_true(ha_shadow_tunnel(s, 8)->have_seq);
	assert_int_equal(apply(s, msg_rec(9, 1, b, 0)), 0);
	assert_int_equal(ha_shadow_tunnel(s, 9)->n_msgs, 1);
	assert_int_equal(apply(s, tunnel_rec(7, 70)), 0);
	assert_ptr_equal(ha_shadow_tunnel(s, 7), t);
	assert_true(t->have_tunnel);
	assert_non_null(ha_shadow_session(t, 1));	/* kept */
	ha_shadow_free(s);
}

static void test_shadow_msgs(void **state)
{
	struct ha_shadow *s = ha_shadow_new();
	const struct ha_shadow_tunnel *t;
	struct ha_shadow_stats st;
	uint8_t b[8][3];

	(void)state;
	assert_int_equal(apply(s, tunnel_rec(1, 2)), 0);
	assert_int_equal(apply(s, seq_rec(1, 10, 0, 10)), 0);
	/* Out of order in, Ns order out. */
	assert_int_equal(apply(s, msg_rec(1, 12, b[0], 0)), 0);
	assert_int_equal(apply(s, msg_rec(1, 10, b[1], 0)), 0);
	assert_int_equal(apply(s, msg_rec(1, 13, b[2], 0)), 0);
	assert_int_equal(apply(s, msg_rec(1, 11, b[3], 0)), 0);
	t = ha_shadow_tunnel(s, 1);
	check_msgs(t, (const uint16_t[]){ 10, 11, 12, 13 }, 4);

	/* Same Ns again: replaced, not duplicated. */
	assert_int_equal(apply(s, msg_rec(1, 12, b[4], 7)), 0);
	check_msgs(t, (const uint16_t[]){ 10, 11, 12, 13 }, 4);
	assert_int_equal(t->msgs[2].buf[2], 7);
	/* Stored copies, not the caller's buffer. */
	assert_ptr_not_equal(t->msgs[2].buf, b[4]);

	/* una 12: 10 and 11 are acknowledged. */
	assert_int_equal(apply(s, seq_rec(1, 14, 5, 12)), 0);
	check_msgs(t, (const uint16_t[]){ 12, 13 }, 2);
	assert_int_equal(t->seq.ns, 14);
	assert_int_equal(t->seq.nr, 5);
	assert_int_equal(t->seq.una, 12);

	/* A copy of an acknowledged message is stale: ignored. */
	assert_int_equal(apply(s, msg_rec(1, 11, b[5], 0)), 0);
	check_msgs(t, (const uint16_t[]){ 12, 13 }, 2);
	ha_shadow_get_stats(s, &st);
	assert_int_equal(st.ignored, 1);
	assert_int_equal(st.msgs, 2);

	/* una == ns: everything acknowledged. */
	assert_int_equal(apply(s, seq_rec(1, 14, 5, 14)), 0);
	assert_int_equal(t->n_msgs, 0);
	ha_shadow_get_stats(s, &st);
	assert_int_equal(st.msgs, 0);
	ha_shadow_free(s);
}

/* Ns wraps at 65535 -> 0 (RFC 2661 §5.8): order and trim modulo 2^16. */
static void test_shadow_msgs_wrap(void **state)
{
	struct ha_shadow *s = ha_shadow_new();
	const struct ha_shadow_tunnel *t;
	uint8_t b[8][3];

	(void)state;
	assert_int_equal(apply(s, seq_rec(3, 65534, 0, 65534)), 0);
	assert_int_equal(apply(s, msg_rec(3, 1, b[0], 0)), 0);
	assert_int_equal(apply(s, msg_rec(3, 65534, b[1], 0)), 0);
	assert_int_equal(apply(s, msg_rec(3, 0, b[2], 0)), 0);
	assert_int_equal(apply(s, msg_rec(3, 65535, b[3], 0)), 0);
	t = ha_shadow_tunnel(s, 3);
	check_msgs(t, (const uint16_t[]){ 65534, 65535, 0, 1 }, 4);
	/* una 0: 65534 and 65535 are before it, 0 and 1 are not. */
	assert_int_equal(apply(s, seq_rec(3, 2, 0, 0)), 0);
	check_msgs(t, (const uint16_t[]){ 0, 1 }, 2);
	assert_int_equal(apply(s, seq_rec(3, 2, 0, 1)), 0);
	check_msgs(t, (const uint16_t[]){ 1 }, 1);
	/* Exactly half the space away is not "before" (b - a == 32768). */
	assert_int_equal(apply(s, seq_rec(3, 2, 0, 32769)), 0);
	check_msgs(t, (const uint16_t[]){ 1 }, 1);
	assert_int_equal(apply(s, seq_rec(3, 2, 0, 32768)), 0);
	check_msgs(t, NULL, 0);
	ha_shadow_free(s);
}

static void test_shadow_delete(void **state)
{
	struct ha_shadow *s = ha_shadow_new();
	const struct ha_shadow_tunnel *t;
	struct ha_shadow_stats st;
	uint8_t b[3];

	(void)state;
	assert_int_equal(apply(s, tunnel_rec(10, 1)), 0);
	assert_int_equal(apply(s, session_rec(10, 100, 1)), 0);
	assert_int_equal(apply(s, session_rec(10, 200, 2)), 0);
	assert_int_equal(apply(s, seq_rec(10, 5, 5, 4)), 0);
	assert_int_equal(apply(s, msg_rec(10, 4, b, 0)), 0);
	assert_int_equal(apply(s, tunnel_rec(11, 1)), 0);
	assert_int_equal(apply(s, session_rec(11, 100, 1)), 0);

	assert_int_equal(apply(s, del_rec(10, 100)), 0);
	t = ha_shadow_tunnel(s, 10);
	assert_null(ha_shadow_session(t, 100));
	assert_non_null(ha_shadow_session(t, 200));
	assert_int_equal(t->n_sessions, 1);
	/* The other tunnel's session 100 is untouched. */
	assert_non_null(ha_shadow_session(ha_shadow_tunnel(s, 11), 100));

	/* Unknown session or tunnel: nothing happens, counted. */
	assert_int_equal(apply(s, del_rec(10, 100)), 0);
	assert_int_equal(apply(s, del_rec(12, 0)), 0);
	ha_shadow_get_stats(s, &st);
	assert_int_equal(st.ignored, 2);
	assert_int_equal(st.sessions, 2);

	/* sid 0: the tunnel with its sessions and message copies. */
	assert_int_equal(apply(s, del_rec(10, 0)), 0);
	assert_null(ha_shadow_tunnel(s, 10));
	ha_shadow_get_stats(s, &st);
	assert_int_equal(st.tunnels, 1);
	assert_int_equal(st.sessions, 1);
	assert_int_equal(st.msgs, 0);

	/* A deleted tunnel can come back, empty. */
	assert_int_equal(apply(s, tunnel_rec(10, 2)), 0);
	t = ha_shadow_tunnel(s, 10);
	assert_int_equal(t->n_sessions, 0);
	assert_int_equal(t->n_msgs, 0);
	assert_false(t->have_seq);
	assert_null(ha_shadow_session(t, 200));

	ha_shadow_clear(s);
	ha_shadow_get_stats(s, &st);
	assert_int_equal(st.tunnels, 0);
	assert_int_equal(st.sessions, 0);
	assert_null(ha_shadow_next_tunnel(s, 0));
	ha_shadow_free(s);
}

static void test_shadow_invalid(void **state)
{
	struct ha_shadow *s = ha_shadow_new();
	struct ha_shadow_stats st;
	struct ha_rec r;

	(void)state;
	assert_int_equal(apply(s, tunnel_rec(0, 1)), -EINVAL);
	assert_int_equal(apply(s, session_rec(1, 0, 1)), -EINVAL);
	assert_int_equal(apply(s, session_rec(0, 1, 1)), -EINVAL);
	assert_int_equal(apply(s, seq_rec(0, 1, 1, 1)), -EINVAL);
	assert_int_equal(apply(s, del_rec(0, 1)), -EINVAL);
	memset(&r, 0, sizeof(r));
	r.type = HA_REC_CTRL_MSG;
	r.u.msg.tid = 1;
	assert_int_equal(ha_shadow_apply(s, &r), -EINVAL);	/* no buffer */
	r.type = (enum ha_rec_type)77;
	assert_int_equal(ha_shadow_apply(s, &r), -EINVAL);
	assert_int_equal(ha_shadow_apply(s, NULL), -EINVAL);
	assert_int_equal(ha_shadow_apply(NULL, &r), -EINVAL);
	/* A record kind of a newer schema: ignored, not an error. */
	r.type = HA_REC_NONE;
	assert_int_equal(ha_shadow_apply(s, &r), 0);
	assert_null(ha_shadow_next_tunnel(s, 0));
	ha_shadow_get_stats(s, &st);
	assert_int_equal(st.applied, 0);
	assert_int_equal(st.tunnels, 0);
	assert_true(st.ignored >= 7);
	ha_shadow_free(s);
}

static void test_shadow_iterate(void **state)
{
	static const uint16_t tids[] = { 65535, 1, 300, 256, 255, 40000 };
	static const uint16_t sids[] = { 65535, 1, 2, 255, 256, 257, 511, 4096, 60000 };
	struct ha_shadow *s = ha_shadow_new();
	const struct ha_shadow_tunnel *t;
	const struct ha_shadow_session *ss;
	uint16_t last;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(tids) / sizeof(tids[0]); i++)
		assert_int_equal(apply(s, tunnel_rec(tids[i], 1)), 0);
	for (i = 0; i < sizeof(sids) / sizeof(sids[0]); i++)
		assert_int_equal(apply(s, session_rec(300, sids[i], 1)), 0);

	n = 0;
	last = 0;
	for (t = ha_shadow_next_tunnel(s, 0); t; t = ha_shadow_next_tunnel(s, t->rec.tid)) {
		assert_true(t->rec.tid > last);
		last = t->rec.tid;
		n++;
	}
	assert_int_equal(n, 6);
	assert_int_equal(last, 65535);
	assert_int_equal(ha_shadow_next_tunnel(s, 256)->rec.tid, 300);
	assert_null(ha_shadow_next_tunnel(s, 65535));

	t = ha_shadow_tunnel(s, 300);
	n = 0;
	last = 0;
	for (ss = ha_shadow_next_session(t, 0); ss; ss = ha_shadow_next_session(t, ss->rec.sid)) {
		assert_true(ss->rec.sid > last);
		last = ss->rec.sid;
		n++;
	}
	assert_int_equal(n, 9);
	assert_int_equal(last, 65535);
	assert_int_equal(ha_shadow_next_session(t, 511)->rec.sid, 4096);
	assert_null(ha_shadow_next_session(t, 65535));
	assert_null(ha_shadow_next_session(ha_shadow_tunnel(s, 1), 0));
	assert_null(ha_shadow_next_session(NULL, 0));

	/* Iteration skips what was deleted. */
	assert_int_equal(apply(s, del_rec(300, 4096)), 0);
	assert_int_equal(ha_shadow_next_session(t, 511)->rec.sid, 60000);
	assert_int_equal(apply(s, del_rec(256, 0)), 0);
	assert_int_equal(ha_shadow_next_tunnel(s, 255)->rec.tid, 300);
	ha_shadow_free(s);
}

static uint32_t xorshift(uint32_t *st)
{
	uint32_t x = *st;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *st = x;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * 10,000 tunnels with 10 sessions each at random IDs (as idmap_alloc_id
 * picks them): 100,000 sessions applied, iterated, half deleted.  The
 * bound on time is loose (sanitizers, a busy CI box) but catches an
 * apply that is linear in the store.
 */
static void test_shadow_100k(void **state)
{
	struct ha_shadow *s = ha_shadow_new();
	struct ha_shadow_stats st;
	const struct ha_shadow_tunnel *t;
	const struct ha_shadow_session *ss;
	uint32_t rnd = 0xc0ffee;
	uint16_t *tids;
	size_t i, j, n_t = 0, n_s = 0;
	double t0;
	int k;

	(void)state;
	tids = calloc(10000, sizeof(*tids));
	assert_non_null(tids);
	t0 = now_s();
	/* distinct random tunnel IDs */
	for (i = 0; i < 10000; i++) {
		uint16_t tid;

		do
			tid = (uint16_t)xorshift(&rnd);
		while (tid == 0 || ha_shadow_tunnel(s, tid));
		tids[i] = tid;
		assert_int_equal(apply(s, tunnel_rec(tid, (uint16_t)i)), 0);
		for (j = 0; j < 10; j++) {
			uint16_t sid;

			do
				sid = (uint16_t)xorshift(&rnd);
			while (sid == 0 || ha_shadow_session(ha_shadow_tunnel(s, tid), sid));
			assert_int_equal(apply(s, session_rec(tid, sid, (uint16_t)j)), 0);
		}
	}
	ha_shadow_get_stats(s, &st);
	assert_int_equal(st.tunnels, 10000);
	assert_int_equal(st.sessions, 100000);

	for (t = ha_shadow_next_tunnel(s, 0); t; t = ha_shadow_next_tunnel(s, t->rec.tid)) {
		n_t++;
		for (ss = ha_shadow_next_session(t, 0); ss;
		     ss = ha_shadow_next_session(t, ss->rec.sid)) {
			assert_int_equal(ss->rec.tid, t->rec.tid);
			n_s++;
		}
	}
	assert_int_equal(n_t, 10000);
	assert_int_equal(n_s, 100000);

	/* Delete every second tunnel (sid 0): half the sessions go. */
	for (i = 0; i < 10000; i += 2)
		assert_int_equal(apply(s, del_rec(tids[i], 0)), 0);
	ha_shadow_get_stats(s, &st);
	assert_int_equal(st.tunnels, 5000);
	assert_int_equal(st.sessions, 50000);
	k = 0;
	for (t = ha_shadow_next_tunnel(s, 0); t; t = ha_shadow_next_tunnel(s, t->rec.tid))
		k += (int)t->n_sessions;
	assert_int_equal(k, 50000);
	assert_true(now_s() - t0 < 30.0);

	/* A bulk sync begins: all gone. */
	ha_shadow_clear(s);
	ha_shadow_get_stats(s, &st);
	assert_int_equal(st.sessions, 0);
	assert_null(ha_shadow_next_tunnel(s, 0));
	free(tids);
	ha_shadow_free(s);
}

/* 60,000 sessions in one tunnel (the 16-bit space nearly full). */
static void test_shadow_one_big_tunnel(void **state)
{
	struct ha_shadow *s = ha_shadow_new();
	const struct ha_shadow_tunnel *t;
	const struct ha_shadow_session *ss;
	unsigned sid, n = 0, last = 0;

	(void)state;
	for (sid = 65535; sid > 5535; sid--)
		assert_int_equal(apply(s, session_rec(42, (uint16_t)sid, 1)), 0);
	t = ha_shadow_tunnel(s, 42);
	assert_int_equal(t->n_sessions, 60000);
	for (ss = ha_shadow_next_session(t, 0); ss; ss = ha_shadow_next_session(t, ss->rec.sid)) {
		assert_true(ss->rec.sid > last);
		last = ss->rec.sid;
		n++;
	}
	assert_int_equal(n, 60000);
	assert_int_equal(ha_shadow_next_session(t, 0)->rec.sid, 5536);
	ha_shadow_free(s);
}

/* The records and their pages live in the store's own mappings, not on
 * malloc's heap (a takeover frees them among the rebuilt sessions' blocks,
 * leaving holes malloc_trim could not return), and every mapping goes with
 * its last record, in the order a takeover consumes them. */
static void test_shadow_pool(void **state)
{
	enum { TUNNELS = 20, PER = 200 };
	struct ha_shadow *s = ha_shadow_new();
	struct ha_shadow_stats st;
	void *rebuilt[TUNNELS * PER];
	size_t heap0, heap1, n = 0;
	uint16_t tid, i;

	(void)state;
	assert_non_null(s);
	heap0 = mallinfo2().uordblks;
	for (tid = 1; tid <= TUNNELS; tid++) {
		assert_int_equal(apply(s, tunnel_rec(tid, tid)), 0);
		for (i = 0; i < PER; i++)	/* spread over many pages of slots */
			assert_int_equal(apply(s, session_rec(tid, (uint16_t)(i * 331 + 7), 1)), 0);
	}
	heap1 = mallinfo2().uordblks;
	ha_shadow_get_stats(s, &st);
	assert_int_equal(st.sessions, TUNNELS * PER);
	assert_true(st.pool_bytes >= (uint64_t)TUNNELS * PER * sizeof(struct ha_shadow_session));
	/* malloc holds the tunnels (3 KiB each with their index), not the records */
	assert_true(heap1 - heap0 < (size_t)TUNNELS * 4096);
	/* A takeover: each record leaves as its session is made. */
	for (tid = 1; tid <= TUNNELS; tid++) {
		for (i = 0; i < PER; i++) {
			assert_int_equal(apply(s, del_rec(tid, (uint16_t)(i * 331 + 7))), 0);
			rebuilt[n] = malloc(1400);
			assert_non_null(rebuilt[n]);
			n++;
		}
		assert_int_equal(apply(s, del_rec(tid, 0)), 0);
	}
	ha_shadow_get_stats(s, &st);
	assert_int_equal(st.sessions, 0);
	assert_int_equal(st.tunnels, 0);
	assert_int_equal(st.pool_bytes, 0);
	while (n > 0)
		free(rebuilt[--n]);
	ha_shadow_free(s);
}

static struct ha_rec pppoe_rec(uint16_t id, uint16_t sid)
{
	struct ha_rec r;

	memset(&r, 0, sizeof(r));
	r.type = HA_REC_PPPOE;
	r.u.pppoe.id = id;
	r.u.pppoe.tid = 9;
	r.u.pppoe.sid = sid;
	r.u.pppoe.mac[5] = (uint8_t)id;
	return r;
}

/* PPPoE sessions: by ID, replaced by a later record, in ID order, gone
 * with their delete (a second delete ignored) and with a clear. */
static void test_shadow_pppoe(void **state)
{
	struct ha_shadow *sh = ha_shadow_new();
	struct ha_rec r = pppoe_rec(300, 1), del = { .type = HA_REC_PPPOE_DELETE };
	struct ha_shadow_stats st;

	(void)state;
	assert_null(ha_shadow_next_pppoe(sh, 0));
	assert_int_equal(ha_shadow_apply(sh, &r), 0);
	r = pppoe_rec(300, 2);
	assert_int_equal(ha_shadow_apply(sh, &r), 0);
	r = pppoe_rec(7, 3);
	assert_int_equal(ha_shadow_apply(sh, &r), 0);
	r = pppoe_rec(0, 3);			/* no session */
	assert_int_equal(ha_shadow_apply(sh, &r), -EINVAL);
	ha_shadow_get_stats(sh, &st);
	assert_int_equal(st.pppoe, 2);
	assert_int_equal(ha_shadow_pppoe(sh, 300)->sid, 2);
	assert_int_equal(ha_shadow_next_pppoe(sh, 0)->id, 7);
	assert_int_equal(ha_shadow_next_pppoe(sh, 7)->id, 300);
	assert_null(ha_shadow_next_pppoe(sh, 300));
	del.u.pppoe_del.id = 7;
	assert_int_equal(ha_shadow_apply(sh, &del), 0);
	assert_null(ha_shadow_pppoe(sh, 7));
	assert_int_equal(ha_shadow_apply(sh, &del), 0);	/* stale: ignored */
	ha_shadow_get_stats(sh, &st);
	assert_int_equal(st.pppoe, 1);
	assert_int_equal(st.ignored, 2);
	ha_shadow_clear(sh);
	assert_null(ha_shadow_pppoe(sh, 300));
	ha_shadow_get_stats(sh, &st);
	assert_int_equal(st.pppoe, 0);
	ha_shadow_free(sh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shadow_upsert),
		cmocka_unit_test(test_shadow_early_records),
		cmocka_unit_test(test_shadow_msgs),
		cmocka_unit_test(test_shadow_msgs_wrap),
		cmocka_unit_test(test_shadow_delete),
		cmocka_unit_test(test_shadow_invalid),
		cmocka_unit_test(test_shadow_iterate),
		cmocka_unit_test(test_shadow_100k),
		cmocka_unit_test(test_shadow_one_big_tunnel),
		cmocka_unit_test(test_shadow_pppoe),
		cmocka_unit_test(test_shadow_pool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
