/*
 * Unit tests of the HA engine (ha/) with the state machines and a scripted
 * peer (harness.c): checkpoint before acknowledge, the records a standby
 * gets, and takeover with resynchronisation.
 *
 * The standby is fake_standby.h's: every record the daemon emits goes
 * through the checkpoint codec into a shadow store, and is acknowledged
 * when the test says so.  A failover is the daemon dropping everything it
 * has without a word and rebuilding from that shadow store, while the same
 * peer goes on as if nothing happened.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <setjmp.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "harness.h"
#include "fake_standby.h"
#include "core/clock.h"
#include "core/hist.h"
#include "core/history.h"
#include "ha/ha_int.h"
#include "l2tp/avp.h"
#include "l2tp/msg.h"
#include "l2tp/net.h"
#include "l2tp/observer.h"
#include "l2tp/proto.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "l2tp/txq.h"

static const char cfg_ha[] = H_CFG_HA;

/* Nothing leaves before the standby has the state it reflects. */
static void test_ha_ack_waits_for_checkpoint(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	struct fake_standby *b;
	struct h_peer *p;
	struct l2tp_tunnel *t;

	p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");
	t = h_tunnel(p);
	assert_true(t->sso);
	assert_int_equal(t->ctrl.cfg.rws, 3);	/* the resync window is the RWS */
	h_flush_acks(h);
	h_drain(h);
	b = fake_standby_new(h, 0);
	/* A new call: the ICRP waits for the checkpoint. */
	h_icrq(p, 5, 5);
	h_send(p);
	assert_int_equal(h_waiting(h, p, 1), 0);
	assert_true(h->d.ha.egress_n > 0);
	assert_true(b->seq > 0);
	assert_int_equal(b->by_type[HA_REC_CTRL_MSG], 1);	/* the ICRP, before it left */
	ha_test_ack(&h->d, b->seq - 1);
	assert_int_equal(h_waiting(h, p, 1), 0);	/* not all of it yet */
	ha_test_ack(&h->d, b->seq);
	h_expect(h, p, L2TP_MSG_ICRP);
	assert_int_equal(h->d.ha.egress_n, 0);
	/* The ICCN's acknowledgement too: the session record comes first. */
	b->auto_ack = 0;
	{
		struct l2tp_session *s = LIST_FIRST(&t->session_list);

		assert_non_null(s);
		h_iccn(p, s->sid);
		h_send(p);
		h_flush_acks(h);
		assert_int_equal(h_waiting(h, p, 1), 0);
		assert_true(b->by_type[HA_REC_SESSION] >= 2);	/* WAIT_CONNECT, then ESTABLISHED */
		ha_test_ack(&h->d, b->seq);
		h_expect_only_ack(h, p);
		assert_true(ha_session_established(s));
	}
	/* The standby goes: held packets go without waiting. */
	h_hello(p);
	h_send(p);
	h_flush_acks(h);
	assert_int_equal(h_waiting(h, p, 1), 0);
	h->d.ha.standby_in_sync = 0;
	ha_flush(&h->d);
	h_expect_only_ack(h, p);
	fake_standby_detach(b);
}

/* The texts of a tunnel's and a session's records: copied whole and
 * terminated, the longest a source field holds too (no source field is
 * longer than the record's). */
static void test_ha_fill_texts(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");
	struct l2tp_tunnel *t = h_tunnel(p);
	struct l2tp_session *s;
	struct ha_tunnel_rec tr;
	struct ha_session_rec *sr = calloc(1, sizeof(*sr));
	char big[64];

	assert_non_null(sr);
	h_lns_call(h, p, 5);
	s = LIST_FIRST(&t->session_list);
	assert_non_null(s);
	snprintf(t->peer_vendor, sizeof(t->peer_vendor), "Vendor X");
	snprintf(s->calling, sizeof(s->calling), "0123456789");
	snprintf(s->called, sizeof(s->called), "c");
	snprintf(s->user, sizeof(s->user), "alice@isp.example");
	snprintf(s->pool, sizeof(s->pool), "pool-a");
	snprintf(s->acct_session_id, sizeof(s->acct_session_id), "0000002A");
	/* an interface name of 15 octets into a record field of 16 */
	snprintf(s->ifname, sizeof(s->ifname), "ppp012345678901");
	ha_fill_tunnel(&h->d, t, &tr);
	assert_string_equal(tr.peer_host, "lac1");
	assert_string_equal(tr.peer_vendor, "Vendor X");
	assert_string_equal(tr.group, t->grp->name);
	ha_fill_session(&h->d, s, sr);
	assert_string_equal(sr->calling, "0123456789");
	assert_string_equal(sr->called, "c");
	assert_string_equal(sr->user, "alice@isp.example");
	assert_string_equal(sr->pool, "pool-a");
	assert_string_equal(sr->acct_session_id, "0000002A");
	assert_string_equal(sr->ifname, "ppp012345678901");
	/* Longest: 63 octets into 64, whole. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(s->calling, big, sizeof(big));
	memcpy(t->peer_host, big, sizeof(big));
	ha_fill_session(&h->d, s, sr);
	ha_fill_tunnel(&h->d, t, &tr);
	assert_string_equal(sr->calling, big);
	assert_string_equal(tr.peer_host, big);
	/* Empty stays empty. */
	s->called[0] = '\0';
	ha_fill_session(&h->d, s, sr);
	assert_string_equal(sr->called, "");
	free(sr);
}

/* Messages sent to p and captured, without ending the turn (h_waiting's
 * ha_flush would). */
static unsigned sent_to(struct harness *h, struct h_peer *p)
{
	struct h_pkt *pk;
	unsigned n = 0;

	TAILQ_FOREACH(pk, &h->q, link)
		if (pk->peer == p && !pk->zlb)
			n++;
	return n;
}

/* One datagram from p, handled inside a loop turn that goes on. */
static void deliver_in_turn(struct h_peer *p)
{
	uint8_t buf[L2TP_MAX_MSG_LEN];
	size_t len = h_seal(p, buf, sizeof(buf));

	l2tp_net_input(&p->h->d, -1, buf, len, &p->addr, &p->local);
}

/*
 * A long loop turn commits as it goes (l2tp/'s rx_batch point): a packet
 * held early in the turn leaves once HA_TURN_MSGS datagrams were read, or
 * once it has waited HA_TURN_US, as soon as the standby acknowledges; not
 * at the turn's end.
 */
static void test_ha_commit_point(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	struct fake_standby *b;
	struct h_peer *p;
	unsigned held;

	p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");
	h_flush_acks(h);
	h_drain(h);
	b = fake_standby_new(h, 1);	/* it acknowledges each record at once */
	h_icrq(p, 5, 5);
	deliver_in_turn(p);
	held = h->d.ha.egress_n;
	assert_true(held > 0);		/* the ICRP */
	/* Fewer datagrams than HA_TURN_MSGS, no time gone: the turn goes on. */
	l2tp_observer_rx_batch(&h->d, HA_TURN_MSGS - 1);
	assert_int_equal(h->d.ha.egress_n, held);
	assert_int_equal(sent_to(h, p), 0);
	/* The HA_TURN_MSGS-th: its records leave, are acknowledged, and the
	 * ICRP goes within the turn. */
	l2tp_observer_rx_batch(&h->d, 1);
	assert_int_equal(h->d.ha.egress_n, 0);
	assert_int_equal(sent_to(h, p), 1);
	h_expect(h, p, L2TP_MSG_ICRP);
	/* One datagram, then time: HA_TURN_US later the next batch commits. */
	h_icrq(p, 6, 6);
	deliver_in_turn(p);
	l2tp_observer_rx_batch(&h->d, 1);
	assert_true(h->d.ha.egress_n > 0);
	assert_int_equal(sent_to(h, p), 0);
	clock_advance(&h->d.clk, (HA_TURN_US + 999) / 1000);
	l2tp_observer_rx_batch(&h->d, 1);
	assert_int_equal(h->d.ha.egress_n, 0);
	assert_int_equal(sent_to(h, p), 1);
	h_expect(h, p, L2TP_MSG_ICRP);
	/* A standby that has not acknowledged: committed early, still held. */
	b->auto_ack = 0;
	h_icrq(p, 7, 7);
	deliver_in_turn(p);
	l2tp_observer_rx_batch(&h->d, HA_TURN_MSGS);
	assert_true(h->d.ha.egress_n > 0);
	assert_int_equal(sent_to(h, p), 0);
	fake_standby_ack(b);
	assert_int_equal(h->d.ha.egress_n, 0);
	h_expect(h, p, L2TP_MSG_ICRP);
	fake_standby_detach(b);
}

/* The send path that queues a turn's datagrams (l2tp/txq.h), to the
 * socket the test reads. */
static int txq_test_fd = -1;

static int txq_xmit(struct l2tp_tunnel *t, const uint8_t *buf, size_t len)
{
	return l2tp_txq_add(&t->d->txq, txq_test_fd, NULL, buf, len);
}

/*
 * A packet the commit point releases inside a loop turn leaves the box
 * then: the send queue, which holds the turn's datagrams until its end,
 * is flushed when an acknowledgement releases packets.
 */
static void test_ha_commit_flush(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	int (*xmit)(struct l2tp_tunnel *, const uint8_t *, size_t);
	struct fake_standby *b;
	struct l2tp_hdr hdr;
	struct h_peer *p;
	uint8_t buf[L2TP_MAX_MSG_LEN];
	ssize_t n;
	int sv[2];

	p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");
	h_flush_acks(h);
	h_drain(h);
	b = fake_standby_new(h, 1);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv), 0);
	txq_test_fd = sv[0];
	xmit = h->d.ha.xmit_next;
	h->d.ha.xmit_next = txq_xmit;
	h_icrq(p, 5, 5);
	deliver_in_turn(p);
	assert_true(h->d.ha.egress_n > 0);	/* the ICRP, held */
	l2tp_observer_rx_batch(&h->d, HA_TURN_MSGS - 1);
	assert_true(recv(sv[1], buf, sizeof(buf), 0) < 0);	/* nothing yet */
	/* The commit point: acknowledged, released, and on the wire. */
	l2tp_observer_rx_batch(&h->d, 1);
	assert_int_equal(h->d.ha.egress_n, 0);
	assert_int_equal(h->d.txq.n, 0);
	n = recv(sv[1], buf, sizeof(buf), 0);
	assert_true(n > 0);
	assert_int_equal(l2tp_hdr_parse(buf, (size_t)n, &hdr), 0);
	assert_true(hdr.is_ctrl);
	assert_int_equal(hdr.tunnel_id, p->tid);
	/* Acknowledged later in the turn (read by itself): on the wire then. */
	b->auto_ack = 0;
	h_icrq(p, 6, 6);
	deliver_in_turn(p);
	l2tp_observer_rx_batch(&h->d, HA_TURN_MSGS);
	assert_true(h->d.ha.egress_n > 0);
	assert_true(recv(sv[1], buf, sizeof(buf), 0) < 0);
	fake_standby_ack(b);
	assert_int_equal(h->d.ha.egress_n, 0);
	assert_true(recv(sv[1], buf, sizeof(buf), 0) > 0);
	h->d.ha.xmit_next = xmit;
	l2tp_net_flush(&h->d);
	close(sv[0]);
	close(sv[1]);
	txq_test_fd = -1;
	fake_standby_detach(b);
}

/*
 * A held packet's wait in two parts: until its records left (the active's
 * own loop turn) and after (the standby's round trip): egress_ack_wait
 * holds the second.
 */
static void test_ha_wait_split(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	const struct ha_stats *st = &h->d.ha.stats;
	struct fake_standby *b;
	struct h_peer *p;
	uint64_t n0, a0;

	p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");
	h_flush_acks(h);
	h_drain(h);
	b = fake_standby_new(h, 0);
	n0 = st->egress_wait.count;
	a0 = st->egress_ack_wait.count;
	h_icrq(p, 5, 5);
	deliver_in_turn(p);
	assert_true(h->d.ha.egress_n > 0);
	clock_advance(&h->d.clk, 30);		/* a long turn: 30 ms to the commit point */
	l2tp_observer_rx_batch(&h->d, HA_TURN_MSGS);
	assert_true(h->d.ha.egress_n > 0);
	clock_advance(&h->d.clk, 2);		/* the standby answers 2 ms later */
	fake_standby_ack(b);
	assert_int_equal(h->d.ha.egress_n, 0);
	assert_true(st->egress_wait.count > n0);
	assert_int_equal(st->egress_ack_wait.count - a0, st->egress_wait.count - n0);
	/* 32 ms in all (the 50 ms bucket), 2 ms of it after the records left */
	assert_int_equal(hist_quantile_us(&st->egress_wait, 990, st->egress_wait_us_max), 32000);
	assert_int_equal(hist_quantile_us(&st->egress_ack_wait, 990, st->egress_wait_us_max), 2500);
	/* the fine histograms hold the same waits: 32 ms and 2 ms exactly
	 * at their largest */
	assert_int_equal(st->egress_wait_fine.count, st->egress_wait.count);
	assert_int_equal(st->egress_ack_wait_fine.count, st->egress_ack_wait.count);
	assert_int_equal(hist_fine_quantile_us(&st->egress_wait_fine, 1000), 32000);
	assert_int_equal(hist_fine_quantile_us(&st->egress_ack_wait_fine, 1000), 2000);
	h_expect(h, p, L2TP_MSG_ICRP);
	fake_standby_detach(b);
}

/*
 * 3 tunnels with calls; a failover while one call is half made and one
 * message of ours is unacknowledged.  The new active keeps every
 * established call, resends the unacknowledged message first, refuses a
 * new call during resync with cause 611, keeps the half-made one waiting
 * for the peer (test_ha_halfmade.c follows it to its end), and then goes
 * on with the peer's sequence numbers.
 */
static void test_ha_takeover_resync(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	struct h_peer *p[3];
	uint16_t dsid[3][4];
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	struct l2tp_msg *m;
	struct fake_standby *b;
	uint8_t buf[1024];
	size_t len;
	unsigned i, j;
	uint16_t half_sid;

	b = fake_standby_new(h, 1);
	for (i = 0; i < 3; i++) {
		p[i] = h_lns_tunnel(h, i == 0 ? "192.0.2.7" : i == 1 ? "192.0.2.8" : "192.0.2.9",
				    (uint16_t)(70 + i), "lac1");
		for (j = 0; j < 4; j++)
			dsid[i][j] = h_lns_call(h, p[i], (uint16_t)(100 + j));
	}
	h_flush_acks(h);
	h_drain(h);
	assert_int_equal(b->by_type[HA_REC_TUNNEL] >= 3, 1);
	/* Tunnel 0: a half-made call (ICRP sent, no ICCN) ... */
	h_icrq(p[0], 200, 200);
	h_send(p[0]);
	m = h_expect(h, p[0], L2TP_MSG_ICRP);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &half_sid), 0);
	/* ... whose ICRP the peer never acknowledged.  Tunnel 1: the peer
	 * clears a call; tunnel 2: idle. */
	h_cdn(p[1], dsid[1][3], 103, 3);
	h_send(p[1]);
	h_flush_acks(h);
	h_drain(h);

	fake_standby_fail_over(b);
	assert_int_equal(h->d.n_tunnels, 3);
	assert_int_equal(h->d.ha.stats.takeover_tunnels, 3);
	assert_int_equal(h->d.ha.stats.takeover_sessions, 11);
	assert_int_equal(h->d.dp->count.sessions, 11);
	for (i = 0; i < 3; i++) {
		t = h_tunnel(p[i]);
		assert_non_null(t);
		assert_int_equal(t->tid, p[i]->dtid);
		assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
		assert_true(t->resyncing);
		for (j = 0; j < 4; j++) {
			s = l2tp_session_find(t, dsid[i][j]);
			if (i == 1 && j == 3) {
				assert_null(s);
				continue;
			}
			assert_non_null(s);
			assert_int_equal(s->peer_sid, 100 + j);
			assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
		}
	}
	/* Tunnel 0 probes with the unacknowledged ICRP (same Ns as before). */
	m = h_next(h, p[0]);
	assert_non_null(m);
	assert_int_equal(m->type, L2TP_MSG_ICRP);
	assert_int_equal(m->hdr.session_id, 200);
	/* Tunnels 1 and 2 have nothing outstanding: a HELLO each. */
	h_expect(h, p[1], L2TP_MSG_HELLO);
	h_expect(h, p[2], L2TP_MSG_HELLO);
	h_expect_nothing(h, NULL);

	/* A new call on tunnel 2 before its probe is acknowledged: 611. */
	h_icrq(p[2], 300, 300);
	len = h_seal(p[2], buf, sizeof(buf));
	l2tp_hdr_set_seq(buf, (uint16_t)(p[2]->ns - 1), (uint16_t)(p[2]->nr - 1));
	h_deliver(p[2], buf, len);
	assert_int_equal(h->d.ha.stats.resync_refused, 1);
	assert_int_equal(history_failure_count(h->d.history), 1);
	h_flush_acks(h);
	/* The CDN waits for the commit; the probe is resent (every 100 ms
	 * while resynchronising, l2tp/ctrl.c). */
	while ((m = h_next(h, p[2])) != NULL)
		assert_int_equal(m->type, L2TP_MSG_HELLO);
	assert_true(h_tunnel(p[2])->ctrl.stats.resync_fast_rtx > 0);
	h_send_zlb(p[2]);
	assert_false(h_tunnel(p[2])->resyncing);
	m = h_expect_result(h, p[2], L2TP_MSG_CDN, L2TP_CDN_NO_FACILITIES_TEMP, H_ANY);
	assert_int_equal(m->hdr.session_id, 300);

	/* Tunnel 0: the ack commits; the half-made call waits for the peer. */
	h_send_zlb(p[0]);
	assert_false(h_tunnel(p[0])->resyncing);
	s = l2tp_session_find(h_tunnel(p[0]), half_sid);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_WAIT_CONNECT);
	assert_int_equal(h->d.ha.stats.takeover_waiting, 1);
	h_send_zlb(p[1]);
	/* Nothing but the resent probes went to tunnels 0 and 1: no CDN. */
	for (i = 0; i < 2; i++)
		while ((m = h_next(h, p[i])) != NULL)
			assert_true(m->type == (i == 0 ? L2TP_MSG_ICRP : L2TP_MSG_HELLO));
	assert_int_equal(h->d.ha.stats.takeover_cleared, 0);
	assert_int_equal(h->d.ha.stats.resync_ok, 3);
	assert_int_equal(h->d.ha.stats.resync_fail, 0);
	assert_int_equal(h->d.ha.tunnels_resyncing, 0);

	/* Sequence numbers agree: a new call and a HELLO on every tunnel. */
	for (i = 0; i < 3; i++) {
		h_lns_call(h, p[i], 400);
		h_hello(p[i]);
		h_send(p[i]);
		h_flush_acks(h);
		h_expect_only_ack(h, p[i]);
		assert_int_equal(h_tunnel(p[i])->ctrl.stats.rx_bad_nr, 0);
	}
	fake_standby_detach(b);
}

/* A peer that never answers the probe: cleared and counted as failed. */
static void test_ha_resync_fail(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	struct fake_standby *b = fake_standby_new(h, 1);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");

	h_lns_call(h, p, 1);
	h_flush_acks(h);
	h_drain(h);
	fake_standby_fail_over(b);
	assert_true(h_tunnel(p)->resyncing);
	clock_advance(&h->d.clk, 120000);
	l2tp_tunnel_reap(&h->d);
	assert_null(h_tunnel(p));
	assert_int_equal(h->d.ha.stats.resync_fail, 1);
	assert_int_equal(h->d.ha.tunnels_resyncing, 0);
	fake_standby_detach(b);
}

/* `test redundancy crash-point P message TYPE`: the point waits for that
 * message type; a ZLB or another type passes. */
static void test_ha_crash_at_message(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	struct l2tp_msgbuf icrp, hello, zlb;
	int n_icrp, n_hello, n_zlb;

	l2tp_msgbuf_init(&icrp, L2TP_MSG_ICRP, 7, 9);
	l2tp_avp_put_u16(&icrp, L2TP_AVP_ASSIGNED_SESSION_ID, 9, 0);
	n_icrp = l2tp_msgbuf_finish(&icrp);
	l2tp_msgbuf_init(&hello, L2TP_MSG_HELLO, 7, 0);
	n_hello = l2tp_msgbuf_finish(&hello);
	l2tp_msgbuf_init_zlb(&zlb, 7);
	n_zlb = l2tp_msgbuf_finish(&zlb);
	assert_true(n_icrp > 0 && n_hello > 0 && n_zlb > 0);

	assert_int_equal(ha_crash_point(&h->d, "ckpt-before-tx", "icrp"), 0);
	assert_int_equal(h->d.ha.crash_msg, L2TP_MSG_ICRP);
	assert_true(ha_crash_at(&h->d, "ckpt-before-tx", icrp.buf, (size_t)n_icrp));
	assert_false(ha_crash_at(&h->d, "ckpt-before-tx", hello.buf, (size_t)n_hello));
	assert_false(ha_crash_at(&h->d, "ckpt-before-tx", zlb.buf, (size_t)n_zlb));
	assert_false(ha_crash_at(&h->d, "tx-before-ckpt", icrp.buf, (size_t)n_icrp));
	assert_false(ha_crash_at(&h->d, "ckpt-before-tx", icrp.buf, 5));

	/* without a type, the first message of any kind */
	assert_int_equal(ha_crash_point(&h->d, "tx-before-ckpt", NULL), 0);
	assert_true(ha_crash_at(&h->d, "tx-before-ckpt", hello.buf, (size_t)n_hello));
	assert_true(ha_crash_at(&h->d, "tx-before-ckpt", zlb.buf, (size_t)n_zlb));

	assert_int_equal(ha_crash_point(&h->d, "ckpt-before-tx", "ZLB"), -EINVAL);
	assert_int_equal(ha_crash_point(&h->d, "ckpt-before-tx", "bogus"), -EINVAL);
	assert_int_equal(ha_crash_point(&h->d, "resync", "ICRP"), -EINVAL);
	assert_int_equal(ha_crash_point(&h->d, "none", NULL), 0);
	assert_false(ha_crash_at(&h->d, "tx-before-ckpt", hello.buf, (size_t)n_hello));
}

/*
 * The virtual address appearing (keepalived made this box master) starts
 * the takeover on a standby, before the notify script says master; the
 * script's master then changes nothing.  Any other address, an address
 * going away, or a box that is not a standby: nothing happens.
 */
static void test_ha_vip_takeover(void **state)
{
	static const char cfg[] = H_CFG_HA_HEAD
		"redundancy\n"
		" virtual-address 198.51.100.1\n"
		"!\n"
		"vpdn-group LNS\n"
		" accept-dialin\n"
		"  protocol l2tp\n"
		" local name lns1\n"
		" l2tp tunnel password s3cret\n"
		" l2tp tunnel resync 3\n";
	struct harness *h = h_new(state, cfg);
	struct l2tpd *d = &h->d;
	struct fake_standby *b;
	struct h_peer *p;
	struct in_addr vip, other;
	char err[128];

	inet_pton(AF_INET, "198.51.100.1", &vip);
	inet_pton(AF_INET, "198.51.100.2", &other);
	assert_int_equal(d->cfg.red.vip.s_addr, vip.s_addr);
	b = fake_standby_new(h, 1);
	p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");
	h_lns_call(h, p, 100);
	h_flush_acks(h);
	h_drain(h);
	/* The active sees its own address come: nothing to take over. */
	ha_vip_event(d, 1, 3, vip);
	assert_int_equal(d->ha.role, HA_ROLE_ACTIVE);
	assert_int_equal(d->ha.stats.vip_takeovers, 0);
	fake_standby_crash(b);
	assert_int_equal(d->ha.role, HA_ROLE_STANDBY);
	d->ha.shadow = b->shadow;
	b->shadow = NULL;
	ha_vip_event(d, 1, 3, other);
	ha_vip_event(d, 0, 3, vip);
	assert_int_equal(d->ha.role, HA_ROLE_STANDBY);
	assert_int_equal(d->n_tunnels, 0);
	ha_vip_event(d, 1, 3, vip);
	assert_int_equal(d->ha.role, HA_ROLE_ACTIVE);
	assert_int_equal(d->ha.stats.vip_takeovers, 1);
	assert_int_equal(d->ha.stats.takeover_tunnels, 1);
	/* Its session follows in the next loop turn. */
	assert_int_equal(d->ha.stats.takeover_sessions, 0);
	clock_run(&d->clk);
	assert_int_equal(d->ha.stats.takeover_sessions, 1);
	assert_int_equal(d->n_tunnels, 1);
	b->shadow = d->ha.shadow;	/* the fake's, as fake_standby_take_over() does */
	d->ha.shadow = NULL;
	/* keepalived's notify script, a moment later */
	assert_int_equal(ha_set_state(d, "master", err, sizeof(err)), 0);
	assert_int_equal(d->ha.stats.takeovers, 1);
	assert_int_equal(d->n_tunnels, 1);
	/* A box that is not a standby (fault) does not take over on it. */
	assert_int_equal(ha_set_state(d, "fault", err, sizeof(err)), 0);
	ha_vip_event(d, 1, 3, vip);
	assert_int_equal(d->ha.role, HA_ROLE_FAULT);
	assert_int_equal(d->ha.stats.vip_takeovers, 1);
	fake_standby_detach(b);
}

/* The fault file's content: "1" or "0", or "" when it cannot be read. */
static const char *fault_file(const char *path)
{
	static char buf[8];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

/*
 * A switchover with `vrrp fault-file`: the old active writes 1 (keepalived
 * puts its instance in FAULT and releases the address), and 0 only once
 * the address has left the box and the new active has reached it; or, if
 * that never happens, HA_FAULT_HOLD_MS later.  A file that cannot be
 * written is an error; a daemon starting clears a stale fault.
 */
static void test_ha_vrrp_fault_file(void **state)
{
	char dir[] = "/tmp/l2tpd-fault.XXXXXX", path[64], cfg[1024], err[128];
	struct harness *h;
	struct l2tpd *d;
	struct in_addr vip;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/vrrp-fault", dir);
	snprintf(cfg, sizeof(cfg), "%s"
		 "redundancy\n"
		 " virtual-address 198.51.100.1\n"
		 " vrrp fault-file %s\n"
		 "!\n", H_CFG_HA, path);
	inet_pton(AF_INET, "198.51.100.1", &vip);
	h = h_new(state, cfg);
	d = &h->d;
	assert_string_equal(d->cfg.red.fault_file, path);
	d->ha.role = HA_ROLE_STANDBY;	/* the old active, demoted by its switchover */
	ha_vrrp_fault_init(d);
	assert_string_equal(fault_file(path), "0\n");

	assert_int_equal(ha_vrrp_fault_set(d), 1);
	assert_string_equal(fault_file(path), "1\n");
	/* the new active reaches this box before keepalived has acted */
	d->ha.active_up = 1;
	ha_vrrp_fault_progress(d);
	assert_string_equal(fault_file(path), "1\n");
	/* keepalived releases the address ... */
	ha_vip_event(d, 0, 3, vip);
	assert_string_equal(fault_file(path), "1\n");
	/* ... and its script says fault: now the fault goes */
	assert_int_equal(ha_set_state(d, "fault", err, sizeof(err)), 0);
	assert_string_equal(fault_file(path), "0\n");
	assert_int_equal(d->ha.vrrp_fault, 0);

	/* The other order: address gone and fault said first, then the new
	 * active. */
	assert_int_equal(ha_vrrp_fault_set(d), 1);
	ha_vip_event(d, 0, 3, vip);
	assert_int_equal(ha_set_state(d, "fault", err, sizeof(err)), 0);
	assert_string_equal(fault_file(path), "1\n");
	d->ha.active_up = 1;
	ha_vrrp_fault_progress(d);
	assert_string_equal(fault_file(path), "0\n");

	/* Fault said and the new active there, but the address still here
	 * (keepalived has not acted yet): the fault stays. */
	assert_int_equal(ha_vrrp_fault_set(d), 1);
	d->ha.role = HA_ROLE_STANDBY;
	assert_int_equal(ha_set_state(d, "fault", err, sizeof(err)), 0);
	d->ha.active_up = 1;
	ha_vrrp_fault_progress(d);
	assert_string_equal(fault_file(path), "1\n");
	ha_vip_event(d, 0, 3, vip);
	assert_string_equal(fault_file(path), "0\n");

	/* Neither comes: the hold ends it. */
	assert_int_equal(ha_vrrp_fault_set(d), 1);
	clock_advance(&d->clk, HA_FAULT_HOLD_MS - 1);
	assert_string_equal(fault_file(path), "1\n");
	clock_advance(&d->clk, 1);
	assert_string_equal(fault_file(path), "0\n");
	assert_int_equal(d->ha.vrrp_fault, 0);

	/* Set twice (a switchover back and forth within the hold), then a
	 * takeover by this box: the fault goes, keepalived may elect it. */
	assert_int_equal(ha_vrrp_fault_set(d), 1);
	clock_advance(&d->clk, 1000);
	assert_int_equal(ha_vrrp_fault_set(d), 1);
	clock_advance(&d->clk, HA_FAULT_HOLD_MS - 1);
	assert_string_equal(fault_file(path), "1\n");
	d->ha.role = HA_ROLE_STANDBY;
	ha_takeover(d, "test");
	assert_string_equal(fault_file(path), "0\n");
	assert_int_equal(d->ha.vrrp_fault, 0);
	assert_false(clock_timer_pending(&d->ha.fault_hold));
	assert_int_equal(d->clk.n, 0);	/* the hold was in the clock's heap once */

	/* A file that cannot be written. */
	unlink(path);
	rmdir(dir);
	assert_true(ha_vrrp_fault_set(d) < 0);
	assert_int_equal(d->ha.vrrp_fault, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ha_ack_waits_for_checkpoint, h_teardown),
		cmocka_unit_test_teardown(test_ha_fill_texts, h_teardown),
		cmocka_unit_test_teardown(test_ha_commit_point, h_teardown),
		cmocka_unit_test_teardown(test_ha_commit_flush, h_teardown),
		cmocka_unit_test_teardown(test_ha_wait_split, h_teardown),
		cmocka_unit_test_teardown(test_ha_takeover_resync, h_teardown),
		cmocka_unit_test_teardown(test_ha_resync_fail, h_teardown),
		cmocka_unit_test_teardown(test_ha_crash_at_message, h_teardown),
		cmocka_unit_test_teardown(test_ha_vip_takeover, h_teardown),
		cmocka_unit_test_teardown(test_ha_vrrp_fault_file, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
