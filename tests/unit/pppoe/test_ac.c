/*
 * The access concentrator (pppoe/ac.c, pppoe/session.c) behind a fake
 * port: discovery answered as RFC 2516 §5 says, the keyed cookie, the
 * limits and rates, PADT both ways, session frames both ways, and bad
 * input (floods, forged cookies, unknown sessions) leaving established
 * sessions untouched.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "pppoe/ac.h"

#define IFX		7
#define MAX_SENT	64

static const uint8_t ac_mac[6] = { 0x02, 0xac, 0, 0, 0, 1 };

struct sent {
	uint8_t buf[PPPOE_FRAME_MAX];
	size_t len;
};

struct fake {
	struct l2tp_clock clk;
	struct pppoe_ac *ac;
	struct pppoe_if *ifp;
	struct sent sent[MAX_SENT];
	unsigned n_sent, total_sent;
	unsigned ups, downs, rxs;
	enum pppoe_end last_end;
	uint8_t last_rx[64];
	size_t last_rx_len;
	struct pppoe_buf b;
	unsigned seed;
};

static int f_send(void *arg, struct pppoe_if *ifp, const uint8_t *frame, size_t len)
{
	struct fake *f = arg;

	assert_true(len <= PPPOE_FRAME_MAX);
	f->total_sent++;
	if (f->n_sent < MAX_SENT) {
		memcpy(f->sent[f->n_sent].buf, frame, len);
		f->sent[f->n_sent++].len = len;
	}
	return 0;
}

static void f_up(void *arg, struct pppoe_session *s)
{
	((struct fake *)arg)->ups++;
}

static void f_rx(void *arg, struct pppoe_session *s, const uint8_t *ppp, size_t len)
{
	struct fake *f = arg;

	f->rxs++;
	f->last_rx_len = len < sizeof f->last_rx ? len : sizeof f->last_rx;
	memcpy(f->last_rx, ppp, f->last_rx_len);
}

static void f_down(void *arg, struct pppoe_session *s, enum pppoe_end why)
{
	struct fake *f = arg;

	f->downs++;
	f->last_end = why;
}

static const struct pppoe_ac_ops f_ops = { f_send, f_up, f_rx, f_down };

/* Deterministic "random" bytes for the tests. */
static void draw(void *buf, size_t len)
{
	static const uint8_t pat[] = { 0x3c, 0x91, 0x5e, 0x07, 0xd2, 0x68, 0xaf, 0x14 };

	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = (uint8_t)(pat[i % sizeof pat] + i);
}

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof *f);

	assert_non_null(f);
	clock_init(&f->clk, 1);
	clock_advance(&f->clk, 5000);
	f->ac = pppoe_ac_create(&f->clk, &f_ops, f, draw);
	assert_non_null(f->ac);
	f->ifp = pppoe_ac_if_add(f->ac, "eth1", IFX, ac_mac, NULL, 0);
	assert_non_null(f->ifp);
	snprintf(f->ifp->ac_name, sizeof f->ifp->ac_name, "BRAS1");
	f->ifp->per_mac_limit = 2;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;

	pppoe_ac_destroy(f->ac);
	clock_destroy(&f->clk);
	free(f);
	return 0;
}

static void host_mac(uint8_t mac[6], unsigned n)
{
	mac[0] = 0x02;
	mac[1] = 0x10;
	mac[2] = (uint8_t)(n >> 24);
	mac[3] = (uint8_t)(n >> 16);
	mac[4] = (uint8_t)(n >> 8);
	mac[5] = (uint8_t)n;
}

static void in(struct fake *f, int ifindex)
{
	int n = pppoe_buf_finish(&f->b);
	uint8_t *copy;

	assert_true(n > 0);
	copy = malloc((size_t)n);	/* exactly its size: ASan sees a read past it */
	memcpy(copy, f->b.buf, (size_t)n);
	pppoe_ac_input(f->ac, ifindex, copy, (size_t)n);
	free(copy);
}

static void padi(struct fake *f, const uint8_t mac[6], const uint16_t *vl, unsigned nvl)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	pppoe_buf_init(&f->b, bcast, mac, vl, nvl, PPPOE_ETH_P_DISC, PPPOE_CODE_PADI, 0);
	pppoe_put_tag(&f->b, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_put_tag(&f->b, PPPOE_TAG_HOST_UNIQ, "hu42", 4);
	in(f, IFX);
}

/* The last frame sent, parsed (its tags point into f->sent). */
static void last(struct fake *f, struct pppoe_frame *fr, struct pppoe_tags *t)
{
	enum pppoe_err why;
	struct sent *s;

	assert_true(f->n_sent > 0);
	s = &f->sent[f->n_sent - 1];
	assert_int_equal(pppoe_frame_parse(s->buf, s->len, fr, &why), 0);
	if (fr->ethertype == PPPOE_ETH_P_DISC)
		assert_int_equal(pppoe_tags_parse(fr, t, &why), 0);
}

static void padr(struct fake *f, const uint8_t mac[6], const uint8_t *cookie, size_t clen)
{
	pppoe_buf_init(&f->b, ac_mac, mac, NULL, 0, PPPOE_ETH_P_DISC, PPPOE_CODE_PADR, 0);
	pppoe_put_tag(&f->b, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_put_tag(&f->b, PPPOE_TAG_HOST_UNIQ, "hu42", 4);
	if (cookie)
		pppoe_put_tag(&f->b, PPPOE_TAG_AC_COOKIE, cookie, clen);
	in(f, IFX);
}

/* PADI, PADO, PADR with its cookie, PADS: the new session's ID. */
static uint16_t dial(struct fake *f, const uint8_t mac[6])
{
	struct pppoe_frame fr;
	struct pppoe_tags t;
	uint8_t cookie[PPPOE_COOKIE_LEN];
	unsigned before = f->n_sent;

	padi(f, mac, NULL, 0);
	assert_int_equal(f->n_sent, before + 1);
	last(f, &fr, &t);
	assert_int_equal(fr.code, PPPOE_CODE_PADO);
	assert_int_equal(t.cookie.len, PPPOE_COOKIE_LEN);
	memcpy(cookie, t.cookie.p, sizeof cookie);
	padr(f, mac, cookie, sizeof cookie);
	assert_int_equal(f->n_sent, before + 2);
	last(f, &fr, &t);
	assert_int_equal(fr.code, PPPOE_CODE_PADS);
	return fr.session_id;
}

static void test_discovery(void **state)
{
	struct fake *f = *state;
	struct pppoe_frame fr;
	struct pppoe_tags t;
	struct pppoe_session *s;
	uint8_t mac[6], cookie[PPPOE_COOKIE_LEN];
	char calling[PPPOE_LINE_ID_MAX];
	uint16_t sid;

	host_mac(mac, 1);
	padi(f, mac, NULL, 0);
	last(f, &fr, &t);
	assert_int_equal(fr.code, PPPOE_CODE_PADO);
	assert_memory_equal(fr.dst, mac, 6);
	assert_memory_equal(fr.src, ac_mac, 6);
	assert_int_equal(fr.session_id, 0);
	assert_int_equal(t.ac_name.len, 5);
	assert_memory_equal(t.ac_name.p, "BRAS1", 5);
	assert_int_equal(t.host_uniq.len, 4);
	assert_memory_equal(t.host_uniq.p, "hu42", 4);
	assert_true(t.service_name.present);
	memcpy(cookie, t.cookie.p, sizeof cookie);
	assert_int_equal(f->ac->n_sessions, 0);	/* nothing kept for a PADO */

	padr(f, mac, cookie, sizeof cookie);
	last(f, &fr, &t);
	assert_int_equal(fr.code, PPPOE_CODE_PADS);
	sid = fr.session_id;
	assert_int_not_equal(sid, 0);
	assert_memory_equal(t.host_uniq.p, "hu42", 4);
	assert_int_equal(f->ups, 1);
	s = pppoe_session_find(f->ac, sid);
	assert_non_null(s);
	assert_memory_equal(s->mac, mac, 6);
	assert_int_equal(f->ifp->n_sessions, 1);
	/* no access-line information: the MAC is the Calling Number */
	pppoe_session_calling_number(s, calling, sizeof calling);
	assert_string_equal(calling, "02:10:00:00:00:01");
	snprintf(s->circuit_id, sizeof s->circuit_id, "dslam1 atm 7");
	pppoe_session_calling_number(s, calling, sizeof calling);
	assert_string_equal(calling, "dslam1 atm 7");

	/* the PADS was lost: the same PADR gets the same session, once */
	padr(f, mac, cookie, sizeof cookie);
	last(f, &fr, &t);
	assert_int_equal(fr.session_id, sid);
	assert_int_equal(f->ups, 1);
	assert_int_equal(f->ac->stats.padr_dup, 1);
	assert_int_equal(f->ac->n_sessions, 1);
	assert_int_equal(f->ac->stats.pado_tx, 1);
	assert_int_equal(f->ac->stats.pads_tx, 2);
}

/* A PADR without a PADO of ours gets nothing: no cookie, a forged one,
 * another MAC's, a stale one. */
static void test_cookie_refused(void **state)
{
	struct fake *f = *state;
	struct pppoe_frame fr;
	struct pppoe_tags t;
	uint8_t mac[6], other[6], cookie[PPPOE_COOKIE_LEN];
	unsigned sent;

	host_mac(mac, 2);
	host_mac(other, 3);
	padi(f, mac, NULL, 0);
	last(f, &fr, &t);
	memcpy(cookie, t.cookie.p, sizeof cookie);
	sent = f->n_sent;
	padr(f, mac, NULL, 0);
	assert_int_equal(f->ac->stats.padr_no_cookie, 1);
	cookie[10] ^= 1;
	padr(f, mac, cookie, sizeof cookie);
	cookie[10] ^= 1;
	assert_int_equal(f->ac->stats.padr_bad_cookie, 1);
	padr(f, other, cookie, sizeof cookie);
	assert_int_equal(f->ac->stats.padr_bad_cookie, 2);
	padr(f, mac, cookie, 8);
	assert_int_equal(f->ac->stats.padr_bad_cookie, 3);
	clock_advance(&f->clk, (PPPOE_COOKIE_LIFETIME + 1) * 1000);
	padr(f, mac, cookie, sizeof cookie);
	assert_int_equal(f->ac->stats.padr_stale_cookie, 1);
	assert_int_equal(f->n_sent, sent);
	assert_int_equal(f->ac->n_sessions, 0);
	assert_int_equal(f->ups, 0);
}

/* sessions per-mac limit 2: the third PADI is not answered; a third PADR
 * (on a cookie got before the limit was reached) gets a PADS with
 * SESSION_ID 0 and AC-System-Error (§5.4). */
static void test_per_mac_limit(void **state)
{
	struct fake *f = *state;
	struct pppoe_frame fr;
	struct pppoe_tags t;
	uint8_t mac[6], cookie[PPPOE_COOKIE_LEN];
	unsigned sent;

	host_mac(mac, 4);
	padi(f, mac, NULL, 0);
	last(f, &fr, &t);
	memcpy(cookie, t.cookie.p, sizeof cookie);
	dial(f, mac);
	dial(f, mac);
	assert_int_equal(pppoe_sessions_of_mac(f->ac, mac), 2);
	sent = f->n_sent;
	padi(f, mac, NULL, 0);
	assert_int_equal(f->n_sent, sent);
	assert_int_equal(f->ac->stats.padi_limit, 1);
	padr(f, mac, cookie, sizeof cookie);
	last(f, &fr, &t);
	assert_int_equal(fr.code, PPPOE_CODE_PADS);
	assert_int_equal(fr.session_id, 0);
	assert_true(t.error);
	assert_int_equal(f->ac->stats.pads_refused, 1);
	assert_int_equal(f->ac->n_sessions, 2);

	/* per interface: a limit of 2 stops another MAC too */
	f->ifp->max_sessions = 2;
	host_mac(mac, 5);
	sent = f->n_sent;
	padi(f, mac, NULL, 0);
	assert_int_equal(f->n_sent, sent);
	assert_int_equal(f->ac->stats.padi_limit, 2);
}

/* PADIs over the per-MAC rate are dropped; the next window answers again. */
static void test_padi_rate_mac(void **state)
{
	struct fake *f = *state;
	struct pppoe_limits lim = { 3, 1000, 1000, 1000 };
	uint8_t mac[6];

	pppoe_ac_set_limits(f->ac, &lim);
	host_mac(mac, 6);
	for (int i = 0; i < 5; i++)
		padi(f, mac, NULL, 0);
	assert_int_equal(f->ac->stats.pado_tx, 3);
	assert_int_equal(f->ac->stats.padi_rate_mac, 2);
	clock_advance(&f->clk, 1000);
	padi(f, mac, NULL, 0);
	assert_int_equal(f->ac->stats.pado_tx, 4);
}

/* A PADI flood from 10,000 MACs: at most the total rate answered, memory
 * bounded (nothing kept per PADI), the established session untouched. */
static void test_padi_flood(void **state)
{
	struct fake *f = *state;
	struct pppoe_limits lim = { 10, 1000, 500, 1000 };
	uint8_t mac[6], ppp[] = { 0xc0, 0x21, 0x09, 0x01, 0x00, 0x08, 1, 2, 3, 4 };
	uint16_t sid;

	host_mac(mac, 7);
	sid = dial(f, mac);
	pppoe_ac_set_limits(f->ac, &lim);
	clock_advance(&f->clk, 1000);	/* a window of its own */
	f->ac->stats.pado_tx = 0;
	for (unsigned i = 0; i < 10000; i++) {
		uint8_t m[6];

		host_mac(m, 100000 + i);
		padi(f, m, NULL, 0);
	}
	assert_int_equal(f->ac->stats.pado_tx, 500);
	assert_int_equal(f->ac->stats.padi_rate_total, 10000 - 500);
	assert_int_equal(f->ac->n_sessions, 1);
	/* the subscriber's frames still go up */
	pppoe_buf_init(&f->b, ac_mac, mac, NULL, 0, PPPOE_ETH_P_SESS, PPPOE_CODE_SESS, sid);
	pppoe_put(&f->b, ppp, sizeof ppp);
	in(f, IFX);
	assert_int_equal(f->rxs, 1);
	assert_int_equal(f->last_rx_len, sizeof ppp);
	assert_memory_equal(f->last_rx, ppp, sizeof ppp);
	assert_int_equal(f->downs, 0);
}

/* Session frames both ways, PADT both ways. */
static void test_session_frames_padt(void **state)
{
	struct fake *f = *state;
	struct pppoe_frame fr;
	struct pppoe_tags t;
	struct pppoe_session *s;
	uint8_t mac[6], other[6], ppp[] = { 0xc0, 0x21, 0x09, 0x01, 0x00, 0x04 };
	uint16_t sid, sid2;

	host_mac(mac, 8);
	host_mac(other, 9);
	sid = dial(f, mac);
	s = pppoe_session_find(f->ac, sid);
	assert_int_equal(pppoe_session_send(f->ac, s, ppp, sizeof ppp), 0);
	last(f, &fr, &t);
	assert_int_equal(fr.ethertype, PPPOE_ETH_P_SESS);
	assert_int_equal(fr.session_id, sid);
	assert_memory_equal(fr.dst, mac, 6);
	assert_int_equal(fr.len, sizeof ppp);
	assert_memory_equal(fr.payload, ppp, sizeof ppp);

	/* a PADT from another MAC for this session: not its to end */
	pppoe_buf_init(&f->b, ac_mac, other, NULL, 0, PPPOE_ETH_P_DISC, PPPOE_CODE_PADT, sid);
	in(f, IFX);
	assert_int_equal(f->ac->stats.padt_rx_unknown, 1);
	assert_non_null(pppoe_session_find(f->ac, sid));
	/* a session frame from another MAC: unknown, answered with a PADT */
	pppoe_buf_init(&f->b, ac_mac, other, NULL, 0, PPPOE_ETH_P_SESS, PPPOE_CODE_SESS, sid);
	pppoe_put(&f->b, ppp, sizeof ppp);
	in(f, IFX);
	assert_int_equal(f->ac->stats.rx_sess_unknown, 1);
	last(f, &fr, &t);
	assert_int_equal(fr.code, PPPOE_CODE_PADT);
	assert_memory_equal(fr.dst, other, 6);
	assert_int_equal(f->rxs, 0);

	/* the subscriber ends it */
	pppoe_buf_init(&f->b, ac_mac, mac, NULL, 0, PPPOE_ETH_P_DISC, PPPOE_CODE_PADT, sid);
	in(f, IFX);
	assert_int_equal(f->downs, 1);
	assert_int_equal(f->last_end, PPPOE_END_PADT);
	assert_null(pppoe_session_find(f->ac, sid));
	assert_int_equal(f->ifp->n_sessions, 0);

	/* we end one: a PADT to the subscriber */
	sid2 = dial(f, mac);
	pppoe_session_close(f->ac, pppoe_session_find(f->ac, sid2), PPPOE_END_CLEAR);
	last(f, &fr, &t);
	assert_int_equal(fr.code, PPPOE_CODE_PADT);
	assert_int_equal(fr.session_id, sid2);
	assert_memory_equal(fr.dst, mac, 6);
	assert_int_equal(f->last_end, PPPOE_END_CLEAR);
	assert_int_equal(f->ac->stats.sessions_ended[PPPOE_END_CLEAR], 1);
}

/* Frames for unknown sessions: each counted, PADTs at a bounded rate. */
static void test_unknown_sessions(void **state)
{
	struct fake *f = *state;
	uint8_t mac[6];

	host_mac(mac, 10);
	for (unsigned i = 1; i <= 300; i++) {
		pppoe_buf_init(&f->b, ac_mac, mac, NULL, 0, PPPOE_ETH_P_SESS, PPPOE_CODE_SESS,
			       (uint16_t)i);
		pppoe_put(&f->b, "\xc0\x21", 2);
		in(f, IFX);
	}
	assert_int_equal(f->ac->stats.rx_sess_unknown, 300);
	assert_int_equal(f->ac->stats.padt_unknown_tx, PPPOE_UNKNOWN_PADT_RATE);
	/* a PADT for an unknown session: counted, not answered (§5.5) */
	f->n_sent = 0;
	pppoe_buf_init(&f->b, ac_mac, mac, NULL, 0, PPPOE_ETH_P_DISC, PPPOE_CODE_PADT, 77);
	in(f, IFX);
	assert_int_equal(f->ac->stats.padt_rx_unknown, 1);
	assert_int_equal(f->n_sent, 0);
}

/* QinQ: the interface answers its own tags only, with them. */
static void test_vlan(void **state)
{
	struct fake *f = *state;
	const uint16_t vl[2] = { 100, 10 }, wrong[2] = { 100, 11 };
	struct pppoe_if *sub;
	struct pppoe_frame fr;
	struct pppoe_tags t;
	uint8_t mac[6];

	sub = pppoe_ac_if_add(f->ac, "eth1.100", IFX, ac_mac, vl, 2);
	assert_non_null(sub);
	host_mac(mac, 11);
	padi(f, mac, wrong, 2);
	assert_int_equal(f->ac->stats.rx_no_if, 1);
	padi(f, mac, vl, 1);	/* the outer tag alone is not the sub-interface */
	assert_int_equal(f->ac->stats.rx_no_if, 2);
	assert_int_equal(f->n_sent, 0);
	padi(f, mac, vl, 2);
	last(f, &fr, &t);
	assert_int_equal(fr.code, PPPOE_CODE_PADO);
	assert_int_equal(fr.nvlan, 2);
	assert_int_equal(fr.vlan[0], 100);
	assert_int_equal(fr.vlan[1], 10);
	/* another port's frames are not this interface's */
	padi(f, mac, NULL, 0);
	assert_int_equal(f->n_sent, 2);
	pppoe_buf_finish(&f->b);
	pppoe_ac_input(f->ac, IFX + 1, f->b.buf, f->b.len);
	assert_int_equal(f->ac->stats.rx_no_if, 3);
}

/* `pado delay`: the PADO leaves after the delay, not before. */
static void test_pado_delay(void **state)
{
	struct fake *f = *state;
	uint8_t mac[6];

	f->ifp->pado_delay_ms = 300;
	host_mac(mac, 12);
	padi(f, mac, NULL, 0);
	assert_int_equal(f->n_sent, 0);
	clock_advance(&f->clk, 299);
	assert_int_equal(f->n_sent, 0);
	clock_advance(&f->clk, 1);
	assert_int_equal(f->n_sent, 1);
	assert_int_equal(f->ac->stats.pado_tx, 1);
}

/* Malformed discovery: counted by reason, never answered. */
static void test_malformed_counted(void **state)
{
	struct fake *f = *state;
	struct l2tp_log log;
	uint8_t mac[6];

	/* with every `debug pppoe` line on (the sanitizers read them) */
	log_init(&log, "test_ac", 1);
	log.level = LOG_DEBUG;
	log.debug = LOG_DBG_PPPOE_ALL;
	f->ac->log = &log;

	host_mac(mac, 13);
	/* a PADI whose Host-Uniq length runs past the frame */
	pppoe_buf_init(&f->b, ac_mac, mac, NULL, 0, PPPOE_ETH_P_DISC, PPPOE_CODE_PADI, 0);
	pppoe_put_tag(&f->b, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_put(&f->b, "\x01\x03\x00\x09\x01", 5);
	in(f, IFX);
	assert_int_equal(f->ac->stats.rx_err[PPPOE_ERR_TAG_LEN], 1);
	/* a PADR cut inside a tag header */
	pppoe_buf_init(&f->b, ac_mac, mac, NULL, 0, PPPOE_ETH_P_DISC, PPPOE_CODE_PADR, 0);
	pppoe_put_tag(&f->b, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_put(&f->b, "\x01\x04", 2);
	in(f, IFX);
	assert_int_equal(f->ac->stats.rx_err[PPPOE_ERR_TAG_TRUNC], 1);
	/* a PADO sent to us */
	pppoe_buf_init(&f->b, ac_mac, mac, NULL, 0, PPPOE_ETH_P_DISC, PPPOE_CODE_PADO, 0);
	in(f, IFX);
	assert_int_equal(f->ac->stats.rx_unexpected, 1);
	assert_int_equal(f->n_sent, 0);
	assert_int_equal(f->ac->stats.rx_frames, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_discovery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookie_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_mac_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_padi_rate_mac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_padi_flood, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_frames_padt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vlan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pado_delay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_counted, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
