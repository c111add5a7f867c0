/*
 * Two PPP ends on a simulated clock with the frames queued between them
 * (loss, dropping and tapping under the test's control): the harness the
 * PPP unit tests share.  Included by one test file each (static helpers).
 */
#ifndef TESTS_PPP_TWOLINK_H
#define TESTS_PPP_TWOLINK_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "ppp/ppp.h"

#define T_UNUSED __attribute__((unused))

/* --- two PPP ends on a simulated clock, frames queued between them ------- */

struct tframe {
	struct tframe *next;
	size_t len;
	uint8_t buf[];		/* protocol field first */
};

struct tnet;

struct tend {
	struct tnet *net;
	struct ppp *p;
	struct ppp_config cfg;
	struct tframe *head, **tail;
	unsigned n_sent;
	unsigned ups, ups_ipcp, ups_ipv6cp;
	uint16_t up_proto;
	struct ppp_state up_st;
	unsigned downs;
	char down_reason[128];
	unsigned auth_reqs;
	struct ppp_auth_req req;
	const char *secret;	/* checks requests with it; NULL: the test answers */
	struct in_addr assign;	/* the address "AAA" gives */
};

struct tnet {
	struct l2tp_clock clk;
	struct l2tp_log log;
	struct tend a, b;
	unsigned seed;
	unsigned loss;		/* percent of frames lost */
	unsigned lost;
	/* drop the next drop_n frames of drop_proto/drop_code that drop_from sends */
	struct tend *drop_from;
	uint16_t drop_proto;
	uint8_t drop_code;
	unsigned drop_n;
	/* keep a copy of the last frame of tap_proto/tap_code that tap_from sends */
	struct tend *tap_from;
	uint16_t tap_proto;
	uint8_t tap_code;
	uint8_t tap[1600];
	size_t tap_len;
	unsigned tapped;
};

T_UNUSED static void t_output(void *arg, uint16_t proto, const uint8_t *buf, size_t len)
{
	struct tend *e = arg;
	struct tframe *f = malloc(sizeof(*f) + len + 2);

	assert_non_null(f);
	f->next = NULL;
	f->len = len + 2;
	f->buf[0] = (uint8_t)(proto >> 8);
	f->buf[1] = (uint8_t)proto;
	memcpy(f->buf + 2, buf, len);
	*e->tail = f;
	e->tail = &f->next;
	e->n_sent++;
}

T_UNUSED static void t_auth_request(void *arg, const struct ppp_auth_req *req)
{
	struct tend *e = arg;
	struct ppp_auth_reply r;
	int rc;

	e->auth_reqs++;
	e->req = *req;
	if (e->secret == NULL)
		return;
	memset(&r, 0, sizeof(r));
	r.peer_addr = e->assign;
	rc = ppp_auth_check_local(req, e->secret, &r);
	assert_int_equal(ppp_auth_done(e->p, rc == 0, rc == 0 ? "Welcome" : "Wrong password", &r),
			 0);
}

T_UNUSED static void t_up(void *arg, uint16_t proto, const struct ppp_state *st)
{
	struct tend *e = arg;

	e->ups++;
	if (proto == PPP_PROTO_IPCP)
		e->ups_ipcp++;
	else if (proto == PPP_PROTO_IPV6CP)
		e->ups_ipv6cp++;
	e->up_proto = proto;
	e->up_st = *st;
}

T_UNUSED static void t_down(void *arg, const char *reason)
{
	struct tend *e = arg;

	e->downs++;
	snprintf(e->down_reason, sizeof(e->down_reason), "%s", reason);
}

static const struct ppp_ops t_ops = {
	.output = t_output,
	.auth_request = t_auth_request,
	.up = t_up,
	.down = t_down,
};

T_UNUSED static void t_net_init(struct tnet *n)
{
	const char *v = getenv("L2TPD_TEST_VERBOSE");

	memset(n, 0, sizeof(*n));
	clock_init(&n->clk, 1);
	n->log.to_stderr = 1;
	n->log.ident = "test";
	n->log.level = LOG_CRIT;
	if (v != NULL && *v != '\0') {
		n->log.level = LOG_DEBUG;
		n->log.debug = LOG_DBG_EVENT | LOG_DBG_ERROR | LOG_DBG_FSM | LOG_DBG_PACKET;
	}
	n->a.net = n->b.net = n;
	n->a.tail = &n->a.head;
	n->b.tail = &n->b.head;
	ppp_config_init(&n->a.cfg);
	ppp_config_init(&n->b.cfg);
	n->b.cfg.role = PPP_ROLE_PEER;
	n->a.cfg.echo_interval = 0;
	n->b.cfg.echo_interval = 0;
}

T_UNUSED static void t_end_start(struct tend *e, const char *prefix)
{
	e->p = ppp_new(&e->cfg, &t_ops, e, &e->net->clk, &e->net->log, prefix);
	assert_non_null(e->p);
}

T_UNUSED static void t_drain(struct tend *e)
{
	struct tframe *f;

	while ((f = e->head) != NULL) {
		e->head = f->next;
		free(f);
	}
	e->tail = &e->head;
}

T_UNUSED static void t_net_free(struct tnet *n)
{
	ppp_free(n->a.p);
	ppp_free(n->b.p);
	t_drain(&n->a);
	t_drain(&n->b);
	clock_destroy(&n->clk);
}

/* The next frame e sent (NULL if none); the caller frees it. */
T_UNUSED static struct tframe *t_pop(struct tend *e)
{
	struct tframe *f = e->head;

	if (f == NULL)
		return NULL;
	e->head = f->next;
	if (e->head == NULL)
		e->tail = &e->head;
	return f;
}

/* The next frame e sent, which must be of this protocol and code. */
T_UNUSED static struct tframe *t_expect(struct tend *e, uint16_t proto, uint8_t code)
{
	struct tframe *f = t_pop(e);

	if (f == NULL)
		fail_msg("expected protocol 0x%04x code %u, nothing was sent", proto, code);
	if (f->len < 6 || ((f->buf[0] << 8) | f->buf[1]) != proto || f->buf[2] != code)
		fail_msg("expected protocol 0x%04x code %u, got 0x%02x%02x code %u", proto, code,
			 f->buf[0], f->buf[1], f->len > 2 ? f->buf[2] : 0);
	return f;
}

T_UNUSED static void t_expect_nothing(struct tend *e)
{
	struct tframe *f = e->head;

	if (f != NULL)
		fail_msg("expected nothing, got protocol 0x%02x%02x code %u", f->buf[0], f->buf[1],
			 f->len > 2 ? f->buf[2] : 0);
}

/* Hand e a frame: the protocol, then a control packet code/id/data. */
T_UNUSED static int t_send(struct tend *e, uint16_t proto, uint8_t code, uint8_t id, const void *data,
		  size_t len)
{
	uint8_t *buf = malloc(6 + len);
	int rc;

	assert_non_null(buf);
	buf[0] = (uint8_t)(proto >> 8);
	buf[1] = (uint8_t)proto;
	buf[2] = code;
	buf[3] = id;
	buf[4] = (uint8_t)((4 + len) >> 8);
	buf[5] = (uint8_t)(4 + len);
	if (len)
		memcpy(buf + 6, data, len);
	rc = ppp_input(e->p, buf, 6 + len);
	free(buf);
	return rc;
}

T_UNUSED static int t_send_raw(struct tend *e, const void *data, size_t len)
{
	uint8_t *buf = malloc(len ? len : 1);
	int rc;

	assert_non_null(buf);
	memcpy(buf, data, len);
	rc = ppp_input(e->p, buf, len);
	free(buf);
	return rc;
}

T_UNUSED static unsigned t_rand(struct tnet *n)
{
	n->seed = n->seed * 1103515245u + 12345u;
	return (n->seed >> 16) & 0x7fff;
}

/* Deliver what from sent to to (frames lost at the loss rate). */
T_UNUSED static unsigned t_deliver(struct tnet *n, struct tend *from, struct tend *to)
{
	struct tframe *f;
	unsigned k = 0;

	while ((f = t_pop(from)) != NULL) {
		uint16_t proto = (uint16_t)((f->buf[0] << 8) | f->buf[1]);
		uint8_t code = f->len > 2 ? f->buf[2] : 0;

		k++;
		if (from == n->tap_from && proto == n->tap_proto && code == n->tap_code &&
		    f->len <= sizeof(n->tap)) {
			memcpy(n->tap, f->buf, f->len);
			n->tap_len = f->len;
			n->tapped++;
		}
		if (from == n->drop_from && proto == n->drop_proto && code == n->drop_code &&
		    n->drop_n > 0) {
			n->drop_n--;
			n->lost++;
		} else if (n->loss > 0 && t_rand(n) % 100 < n->loss)
			n->lost++;
		else if (to->p != NULL)
			ppp_input(to->p, f->buf, f->len);	/* exact-size buffer */
		free(f);
	}
	return k;
}

/* Exchange frames until both ends are quiet. */
T_UNUSED static void t_pump(struct tnet *n)
{
	for (int i = 0; i < 1000; i++)
		if (t_deliver(n, &n->a, &n->b) + t_deliver(n, &n->b, &n->a) == 0)
			return;
	fail_msg("the two ends never stop talking");
}

/* Let ms of simulated time pass, exchanging frames as they come. */
T_UNUSED static void t_run(struct tnet *n, uint64_t ms)
{
	t_pump(n);
	for (uint64_t t = 0; t < ms; t += 10) {
		clock_advance(&n->clk, 10);
		t_pump(n);
	}
}

#endif
