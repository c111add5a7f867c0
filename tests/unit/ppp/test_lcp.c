/*
 * LCP (ppp/lcp.c) through a whole link (ppp/ppp.c): option negotiation edge
 * cases (MRU bounds, unknown and malformed options, Magic-Number and
 * loopback, Authentication-Protocol Naks, the Nak-loop bound), echo and
 * dead-peer detection on the simulated clock, Protocol-Reject, Terminate,
 * and malformed frames, which must never crash and are counted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "ppp/ppp.h"

#include "ppp_twolink.h"

/* --- LCP helpers ------------------------------------------------------------ */

#define LCP	PPP_PROTO_LCP

/* The data of option `type` in a control packet frame, NULL if absent. */
static const uint8_t *t_opt(const struct tframe *f, uint8_t type, size_t *dlen)
{
	struct ppp_opt o;
	size_t off = 0, plen = (size_t)((f->buf[4] << 8) | f->buf[5]) - 4;

	assert_true(plen <= f->len - 6);
	while (ppp_opt_next(f->buf + 6, plen, &off, &o) > 0) {
		if (o.type == type) {
			if (dlen)
				*dlen = o.dlen;
			return o.data;
		}
	}
	return NULL;
}

static size_t t_opts_len(const struct tframe *f)
{
	return (size_t)((f->buf[4] << 8) | f->buf[5]) - 4;
}

/* A: authenticator without authentication; LCP up by hand: our request
 * acknowledged, the peer's (MRU 1500, magic) acknowledged. */
static void t_lcp_open_by_hand(struct tend *e, uint32_t peer_magic)
{
	struct ppp_fsm *f = &e->p->lcp.fsm;
	uint8_t opts[] = { 1, 4, 0x05, 0xdc, 5, 6, 0, 0, 0, 0 };
	struct tframe *fr;

	assert_int_equal(t_send(e, LCP, PPP_CONF_ACK, f->req_id, f->req, f->req_len), 0);
	t_drain(e);
	ppp_put32(opts + 6, peer_magic);
	assert_int_equal(t_send(e, LCP, PPP_CONF_REQ, 0x42, opts, sizeof(opts)), 0);
	fr = t_expect(e, LCP, PPP_CONF_ACK);
	free(fr);
	assert_int_equal(f->state, PPP_FSM_OPENED);
}

/* IPCP up by hand too, so that no NCP retransmits disturb the test. */
static void t_ipcp_open_by_hand(struct tend *e)
{
	struct tframe *f = t_expect(e, PPP_PROTO_IPCP, PPP_CONF_REQ);
	uint8_t opts[] = { 3, 6, 10, 0, 0, 2 };

	t_send(e, PPP_PROTO_IPCP, PPP_CONF_ACK, f->buf[3], f->buf + 6, t_opts_len(f));
	free(f);
	t_send(e, PPP_PROTO_IPCP, PPP_CONF_REQ, 1, opts, sizeof(opts));
	free(t_expect(e, PPP_PROTO_IPCP, PPP_CONF_ACK));
	assert_int_equal(e->p->ipcp.fsm.state, PPP_FSM_OPENED);
}

static struct tnet *t_setup_a(void)
{
	struct tnet *n = malloc(sizeof(*n));

	assert_non_null(n);
	t_net_init(n);
	inet_pton(AF_INET, "10.0.0.1", &n->a.cfg.local_addr);
	inet_pton(AF_INET, "10.0.0.2", &n->a.cfg.peer_addr);
	return n;
}

static void t_teardown(struct tnet *n)
{
	t_net_free(n);
	free(n);
}

/* An end started and opened, its LCP opened by hand with a peer of magic
 * peer_magic. */
static struct tnet *t_setup_up(uint32_t peer_magic)
{
	struct tnet *n = t_setup_a();

	t_end_start(&n->a, "");
	ppp_open(n->a.p);
	t_lcp_open_by_hand(&n->a, peer_magic);
	return n;
}

/* Our end allows the methods given, in that order (the first asked for);
 * it is started and opened: its first Configure-Request waits. */
static void t_open_auth(struct tnet *n, const enum ppp_auth_method *auth, unsigned count)
{
	assert_true(count <= PPP_AUTH_METHODS_MAX);
	for (unsigned i = 0; i < count; i++)
		n->a.cfg.auth[i] = auth[i];
	n->a.cfg.n_auth = count;
	t_end_start(&n->a, "");
	ppp_open(n->a.p);
}

#define T_OPEN_AUTH(n, ...)                                                         \
	t_open_auth(n, (const enum ppp_auth_method[]){ __VA_ARGS__ },                 \
		    sizeof((const enum ppp_auth_method[]){ __VA_ARGS__ }) /           \
			    sizeof(enum ppp_auth_method))

/* --- our request ------------------------------------------------------------- */

static void test_request_contents(void **state)
{
	struct tnet *n = t_setup_a();
	struct tframe *f;
	const uint8_t *v;
	size_t dl;

	(void)state;
	n->a.cfg.mru = 1460;
	n->a.cfg.auth[0] = PPP_AUTH_CHAP_MD5;
	n->a.cfg.auth[1] = PPP_AUTH_MSCHAPV2;
	n->a.cfg.n_auth = 2;
	t_end_start(&n->a, "session 1/1: ");
	assert_int_equal(ppp_get_phase(n->a.p), PPP_PHASE_DEAD);
	t_expect_nothing(&n->a);
	assert_int_equal(ppp_open(n->a.p), 0);
	assert_int_equal(ppp_open(n->a.p), -EALREADY);
	assert_int_equal(ppp_get_phase(n->a.p), PPP_PHASE_ESTABLISH);
	f = t_expect(&n->a, LCP, PPP_CONF_REQ);
	v = t_opt(f, PPP_LCP_OPT_MRU, &dl);
	assert_non_null(v);
	assert_int_equal(dl, 2);
	assert_int_equal(ppp_get16(v), 1460);
	v = t_opt(f, PPP_LCP_OPT_AUTH, &dl);
	assert_non_null(v);
	assert_int_equal(dl, 3);
	assert_int_equal(ppp_get16(v), PPP_PROTO_CHAP);
	assert_int_equal(v[2], PPP_CHAP_ALG_MD5);
	v = t_opt(f, PPP_LCP_OPT_MAGIC, &dl);
	assert_non_null(v);
	assert_int_equal(dl, 4);
	assert_int_not_equal(ppp_get32(v), 0);
	assert_int_equal(ppp_get32(v), n->a.p->lcp.magic);
	/* we never ask for ACCM, PFC or ACFC */
	assert_null(t_opt(f, PPP_LCP_OPT_ACCM, NULL));
	assert_null(t_opt(f, PPP_LCP_OPT_PFC, NULL));
	assert_null(t_opt(f, PPP_LCP_OPT_ACFC, NULL));
	free(f);
	t_teardown(n);
}

/* --- the peer's options ------------------------------------------------------- */

static void test_mru_bounds(void **state)
{
	struct tnet *n = t_setup_a();
	uint8_t small[] = { 1, 4, 0, 64 }, large[] = { 1, 4, 0x23, 0x28 }, ok[] = { 1, 4, 0x05, 0x78 };
	struct tframe *f;
	const uint8_t *v;

	(void)state;
	n->a.cfg.mru = 1500;
	t_end_start(&n->a, "");
	ppp_open(n->a.p);
	free(t_expect(&n->a, LCP, PPP_CONF_REQ));
	/* too small: Nak with the smallest we grant */
	t_send(&n->a, LCP, PPP_CONF_REQ, 1, small, sizeof(small));
	f = t_expect(&n->a, LCP, PPP_CONF_NAK);
	assert_int_equal(f->buf[3], 1);
	v = t_opt(f, PPP_LCP_OPT_MRU, NULL);
	assert_non_null(v);
	assert_int_equal(ppp_get16(v), PPP_MRU_MIN);
	free(f);
	/* too large (9000): Nak with our largest */
	t_send(&n->a, LCP, PPP_CONF_REQ, 2, large, sizeof(large));
	f = t_expect(&n->a, LCP, PPP_CONF_NAK);
	v = t_opt(f, PPP_LCP_OPT_MRU, NULL);
	assert_non_null(v);
	assert_int_equal(ppp_get16(v), 1500);
	free(f);
	/* 1400: fine */
	t_send(&n->a, LCP, PPP_CONF_REQ, 3, ok, sizeof(ok));
	f = t_expect(&n->a, LCP, PPP_CONF_ACK);
	assert_int_equal(t_opts_len(f), sizeof(ok));
	assert_memory_equal(f->buf + 6, ok, sizeof(ok));
	free(f);
	assert_int_equal(n->a.p->lcp.peer_mru, 1400);
	t_teardown(n);
}

static void test_unknown_options_rejected(void **state)
{
	struct tnet *n = t_setup_a();
	/* ACCM (acked), PFC, ACFC, Quality, Callback, 99: rejected in order */
	uint8_t req[] = { 2, 6, 0, 0, 0, 0, 7, 2, 8, 2, 4, 4, 0xc0, 0x25, 13, 3, 6, 99, 4, 1, 2 };
	uint8_t rej[] = { 7, 2, 8, 2, 4, 4, 0xc0, 0x25, 13, 3, 6, 99, 4, 1, 2 };
	uint8_t accm[] = { 2, 6, 0, 0, 0, 0 };
	struct tframe *f;

	(void)state;
	t_end_start(&n->a, "");
	ppp_open(n->a.p);
	free(t_expect(&n->a, LCP, PPP_CONF_REQ));
	t_send(&n->a, LCP, PPP_CONF_REQ, 7, req, sizeof(req));
	f = t_expect(&n->a, LCP, PPP_CONF_REJ);
	assert_int_equal(f->buf[3], 7);
	assert_int_equal(t_opts_len(f), sizeof(rej));
	assert_memory_equal(f->buf + 6, rej, sizeof(rej));
	free(f);
	t_send(&n->a, LCP, PPP_CONF_REQ, 8, accm, sizeof(accm));
	free(t_expect(&n->a, LCP, PPP_CONF_ACK));
	assert_int_equal(n->a.p->lcp.fsm.stats.opts_rejected, 5);
	t_teardown(n);
}

static void test_wrong_length_options(void **state)
{
	struct tnet *n = t_setup_a();
	uint8_t req[] = { 1, 3, 5, 5, 5, 1, 2, 3, 2, 4, 0, 0, 3, 3, 0xc0 };
	struct tframe *f;

	(void)state;
	n->a.cfg.role = PPP_ROLE_PEER;
	T_OPEN_AUTH(n, PPP_AUTH_PAP);
	free(t_expect(&n->a, LCP, PPP_CONF_REQ));
	/* MRU of 1 octet, Magic of 3, ACCM of 2: rejected; Auth of 1 octet: Nak'd */
	t_send(&n->a, LCP, PPP_CONF_REQ, 9, req, sizeof(req));
	f = t_expect(&n->a, LCP, PPP_CONF_REJ);
	assert_int_equal(t_opts_len(f), 12);
	assert_memory_equal(f->buf + 6, req, 12);
	free(f);
	assert_int_equal(n->a.p->lcp.stats.opts_bad_len, 3);
	t_teardown(n);
}

static void test_magic_collision_and_zero(void **state)
{
	struct tnet *n = t_setup_a();
	uint8_t req[] = { 5, 6, 0, 0, 0, 0 };
	struct tframe *f;
	const uint8_t *v;
	uint32_t ours;

	(void)state;
	t_end_start(&n->a, "");
	ppp_open(n->a.p);
	free(t_expect(&n->a, LCP, PPP_CONF_REQ));
	ours = n->a.p->lcp.magic;
	/* zero: illegal, always Nak'd (§6.4) */
	t_send(&n->a, LCP, PPP_CONF_REQ, 1, req, sizeof(req));
	f = t_expect(&n->a, LCP, PPP_CONF_NAK);
	v = t_opt(f, PPP_LCP_OPT_MAGIC, NULL);
	assert_non_null(v);
	assert_int_not_equal(ppp_get32(v), 0);
	assert_int_not_equal(ppp_get32(v), ours);
	free(f);
	/* ours: maybe looped back: Nak with another number */
	ppp_put32(req + 2, ours);
	t_send(&n->a, LCP, PPP_CONF_REQ, 2, req, sizeof(req));
	f = t_expect(&n->a, LCP, PPP_CONF_NAK);
	v = t_opt(f, PPP_LCP_OPT_MAGIC, NULL);
	assert_int_not_equal(ppp_get32(v), 0);
	assert_int_not_equal(ppp_get32(v), ours);
	free(f);
	assert_int_equal(n->a.p->lcp.stats.loopback, 1);
	/* a Nak of our magic makes us pick another */
	f = NULL;
	{
		uint8_t nak[] = { 5, 6, 0, 0, 0, 0 };

		ppp_put32(nak + 2, ours);
		t_send(&n->a, LCP, PPP_CONF_NAK, n->a.p->lcp.fsm.req_id, nak, sizeof(nak));
		f = t_expect(&n->a, LCP, PPP_CONF_REQ);
		v = t_opt(f, PPP_LCP_OPT_MAGIC, NULL);
		assert_non_null(v);
		assert_int_not_equal(ppp_get32(v), ours);
		assert_int_not_equal(ppp_get32(v), 0);
		free(f);
	}
	t_teardown(n);
}

/* A link whose frames come back to itself. */
static void test_looped_back_link(void **state)
{
	struct tnet *n = t_setup_a();
	int i;

	(void)state;
	t_end_start(&n->a, "");
	ppp_open(n->a.p);
	for (i = 0; i < 200 && n->a.downs == 0; i++) {
		t_deliver(n, &n->a, &n->a);
		clock_advance(&n->clk, 100);
	}
	assert_int_equal(n->a.downs, 1);
	assert_string_equal(n->a.down_reason, "loopback detected");
	assert_true(n->a.p->lcp.stats.loopback > PPP_FSM_MAX_FAILURE);
	assert_int_equal(ppp_get_phase(n->a.p), PPP_PHASE_DEAD);
	t_teardown(n);
}

static void test_auth_nak_moves_to_allowed(void **state)
{
	struct tnet *n = t_setup_a();
	uint8_t nak_ms[] = { 3, 5, 0xc2, 0x23, 0x81 };
	struct tframe *f;
	const uint8_t *v;
	size_t dl;

	(void)state;
	T_OPEN_AUTH(n, PPP_AUTH_CHAP_MD5, PPP_AUTH_MSCHAPV2, PPP_AUTH_PAP);
	f = t_expect(&n->a, LCP, PPP_CONF_REQ);
	/* the peer prefers MS-CHAPv2, which we allow */
	t_send(&n->a, LCP, PPP_CONF_NAK, f->buf[3], nak_ms, sizeof(nak_ms));
	free(f);
	f = t_expect(&n->a, LCP, PPP_CONF_REQ);
	v = t_opt(f, PPP_LCP_OPT_AUTH, &dl);
	assert_int_equal(dl, 3);
	assert_int_equal(ppp_get16(v), PPP_PROTO_CHAP);
	assert_int_equal(v[2], PPP_CHAP_ALG_MSCHAPV2);
	/* then it wants EAP, which we do not do: the next of ours not refused, PAP */
	{
		uint8_t nak_eap[] = { 3, 4, 0xc2, 0x27 };

		t_send(&n->a, LCP, PPP_CONF_NAK, f->buf[3], nak_eap, sizeof(nak_eap));
	}
	free(f);
	f = t_expect(&n->a, LCP, PPP_CONF_REQ);
	v = t_opt(f, PPP_LCP_OPT_AUTH, &dl);
	assert_int_equal(dl, 2);
	assert_int_equal(ppp_get16(v), PPP_PROTO_PAP);
	/* then CHAP-MD5, which it refused first: nothing is left, the link is closed */
	{
		uint8_t nak_md5[] = { 3, 5, 0xc2, 0x23, 0x05 };

		t_send(&n->a, LCP, PPP_CONF_NAK, f->buf[3], nak_md5, sizeof(nak_md5));
	}
	free(f);
	f = t_expect(&n->a, LCP, PPP_TERM_REQ);
	free(f);
	assert_int_equal(ppp_get_phase(n->a.p), PPP_PHASE_TERMINATE);
	clock_advance(&n->clk, 2 * PPP_FSM_RESTART_MS);
	assert_int_equal(n->a.downs, 1);
	assert_string_equal(n->a.down_reason, "peer refuses every authentication method we allow");
	t_teardown(n);
}

static void test_auth_nak_not_allowed_and_reject(void **state)
{
	struct tnet *n = t_setup_a();
	uint8_t nak_pap[] = { 3, 4, 0xc0, 0x23 };
	struct tframe *f;
	const uint8_t *v;

	(void)state;
	T_OPEN_AUTH(n, PPP_AUTH_MSCHAPV2, PPP_AUTH_CHAP_MD5);
	f = t_expect(&n->a, LCP, PPP_CONF_REQ);
	/* PAP is not ours to give: the next method on our list */
	t_send(&n->a, LCP, PPP_CONF_NAK, f->buf[3], nak_pap, sizeof(nak_pap));
	free(f);
	f = t_expect(&n->a, LCP, PPP_CONF_REQ);
	v = t_opt(f, PPP_LCP_OPT_AUTH, NULL);
	assert_int_equal(v[2], PPP_CHAP_ALG_MD5);
	/* a Reject of authentication: an authenticator does not go on */
	{
		size_t dl;
		const uint8_t *a = t_opt(f, PPP_LCP_OPT_AUTH, &dl);
		uint8_t rej[5];

		rej[0] = 3;
		rej[1] = (uint8_t)(dl + 2);
		memcpy(rej + 2, a, dl);
		t_send(&n->a, LCP, PPP_CONF_REJ, f->buf[3], rej, dl + 2);
	}
	free(f);
	free(t_expect(&n->a, LCP, PPP_TERM_REQ));
	t_send(&n->a, LCP, PPP_TERM_ACK, 0, NULL, 0);
	assert_int_equal(n->a.downs, 1);
	assert_string_equal(n->a.down_reason, "peer refuses to authenticate");
	t_teardown(n);
}

/*
 * A subscriber whose PPP starts 15 s after the call: six copies of our
 * request (MS-CHAPv2 first) wait in its queue; it Naks each with PAP, and
 * after five Naks (pppd's Max-Failure) rejects the sixth.  Its first Nak
 * answers our request: we move to PAP, and the later answers, to copies
 * already answered, change nothing.
 */
static void test_late_peer_naks_queued_copies(void **state)
{
	struct tnet *n = t_setup_a();
	uint8_t nak_pap[] = { 3, 4, 0xc0, 0x23 };
	uint8_t ids[6], rej[5];
	struct tframe *f;
	const uint8_t *a;
	size_t dl;

	(void)state;
	T_OPEN_AUTH(n, PPP_AUTH_MSCHAPV2, PPP_AUTH_CHAP_MD5, PPP_AUTH_PAP);
	for (int i = 0; i < 6; i++) {
		if (i > 0)
			clock_advance(&n->clk, PPP_FSM_RESTART_MS);
		f = t_expect(&n->a, LCP, PPP_CONF_REQ);
		ids[i] = f->buf[3];
		a = t_opt(f, PPP_LCP_OPT_AUTH, &dl);
		assert_int_equal(dl, 3);
		assert_int_equal(a[2], PPP_CHAP_ALG_MSCHAPV2);
		rej[0] = 3;
		rej[1] = (uint8_t)(dl + 2);
		memcpy(rej + 2, a, dl);
		free(f);
	}
	for (int i = 0; i < 5; i++)
		t_send(&n->a, LCP, PPP_CONF_NAK, ids[i], nak_pap, sizeof(nak_pap));
	t_send(&n->a, LCP, PPP_CONF_REJ, ids[5], rej, sizeof(rej));
	assert_int_equal(n->a.downs, 0);
	assert_int_equal(ppp_get_phase(n->a.p), PPP_PHASE_ESTABLISH);
	f = t_expect(&n->a, LCP, PPP_CONF_REQ);
	a = t_opt(f, PPP_LCP_OPT_AUTH, &dl);
	assert_int_equal(dl, 2);
	assert_int_equal(ppp_get16(a), PPP_PROTO_PAP);
	free(f);
	t_teardown(n);
}

static void test_peer_role_auth_option(void **state)
{
	struct tnet *n = t_setup_a();
	uint8_t want_md5[] = { 3, 5, 0xc2, 0x23, 0x05 };
	uint8_t want_v1[] = { 3, 5, 0xc2, 0x23, 0x80 };
	struct tframe *f;
	const uint8_t *v;

	(void)state;
	n->a.cfg.role = PPP_ROLE_PEER;
	T_OPEN_AUTH(n, PPP_AUTH_MSCHAPV2, PPP_AUTH_CHAP_MD5);
	f = t_expect(&n->a, LCP, PPP_CONF_REQ);
	assert_null(t_opt(f, PPP_LCP_OPT_AUTH, NULL));	/* a peer asks for none */
	free(f);
	t_send(&n->a, LCP, PPP_CONF_REQ, 1, want_md5, sizeof(want_md5));
	free(t_expect(&n->a, LCP, PPP_CONF_ACK));
	assert_int_equal(n->a.p->lcp.peer_auth, PPP_AUTH_CHAP_MD5);
	/* MS-CHAPv1 (0x80): we do not do it, Nak with our first */
	t_send(&n->a, LCP, PPP_CONF_REQ, 2, want_v1, sizeof(want_v1));
	f = t_expect(&n->a, LCP, PPP_CONF_NAK);
	v = t_opt(f, PPP_LCP_OPT_AUTH, NULL);
	assert_non_null(v);
	assert_int_equal(v[2], PPP_CHAP_ALG_MSCHAPV2);
	free(f);
	t_teardown(n);
}

/* The peer insists on an MRU we refuse: Max-Failure Naks, then a Reject. */
static void test_lcp_nak_loop_bound(void **state)
{
	struct tnet *n = t_setup_a();
	uint8_t small[] = { 1, 4, 0, 10 };
	struct tframe *f;
	int i;

	(void)state;
	t_end_start(&n->a, "");
	ppp_open(n->a.p);
	free(t_expect(&n->a, LCP, PPP_CONF_REQ));
	for (i = 0; i < PPP_FSM_MAX_FAILURE; i++) {
		t_send(&n->a, LCP, PPP_CONF_REQ, (uint8_t)i, small, sizeof(small));
		free(t_expect(&n->a, LCP, PPP_CONF_NAK));
	}
	t_send(&n->a, LCP, PPP_CONF_REQ, 99, small, sizeof(small));
	f = t_expect(&n->a, LCP, PPP_CONF_REJ);
	assert_int_equal(t_opts_len(f), sizeof(small));
	assert_memory_equal(f->buf + 6, small, sizeof(small));
	free(f);
	assert_int_equal(n->a.p->lcp.fsm.stats.nak_to_rej, 1);
	t_teardown(n);
}

/* --- echo -------------------------------------------------------------------- */

static void test_echo_answers(void **state)
{
	struct tnet *n = t_setup_a();
	uint8_t echo[8] = { 0x12, 0x34, 0x56, 0x78, 'd', 'a', 't', 'a' };
	struct tframe *f;
	struct ppp_stats st;

	(void)state;
	t_end_start(&n->a, "");
	ppp_open(n->a.p);
	/* before Opened: no answer (RXR outside Opened) */
	t_send(&n->a, LCP, PPP_ECHO_REQ, 1, echo, sizeof(echo));
	free(t_expect(&n->a, LCP, PPP_CONF_REQ));
	t_expect_nothing(&n->a);
	t_teardown(n);

	n = t_setup_up(0x12345678);
	free(t_expect(&n->a, PPP_PROTO_IPCP, PPP_CONF_REQ));
	/* §5.8: answered with our magic and the data back, same Identifier */
	t_send(&n->a, LCP, PPP_ECHO_REQ, 77, echo, sizeof(echo));
	f = t_expect(&n->a, LCP, PPP_ECHO_REP);
	assert_int_equal(f->buf[3], 77);
	assert_int_equal(f->len, 6 + sizeof(echo));
	assert_int_equal(ppp_get32(f->buf + 6), n->a.p->lcp.magic);
	assert_memory_equal(f->buf + 10, "data", 4);
	free(f);
	/* the peer's magic is wrong: dropped */
	ppp_put32(echo, 0x11111111);
	t_send(&n->a, LCP, PPP_ECHO_REQ, 78, echo, sizeof(echo));
	/* our own magic: looped back, dropped */
	ppp_put32(echo, n->a.p->lcp.magic);
	t_send(&n->a, LCP, PPP_ECHO_REQ, 79, echo, sizeof(echo));
	/* no magic at all */
	t_send(&n->a, LCP, PPP_ECHO_REQ, 80, echo, 3);
	t_expect_nothing(&n->a);
	/* Discard-Request, Identification: no answer */
	t_send(&n->a, LCP, PPP_DISCARD_REQ, 81, echo, 4);
	t_send(&n->a, LCP, PPP_IDENTIFICATION, 82, "MSRASV5.20", 10);
	t_expect_nothing(&n->a);
	ppp_get_stats(n->a.p, &st);
	assert_int_equal(st.lcp_ext.echo_bad, 2);
	assert_int_equal(st.lcp_ext.loopback, 1);
	assert_int_equal(st.lcp_ext.echo_rep_tx, 1);
	assert_int_equal(st.lcp_ext.discard_rx, 1);
	assert_int_equal(st.lcp_ext.ident_rx, 1);
	assert_int_equal(n->a.p->lcp.fsm.state, PPP_FSM_OPENED);
	t_teardown(n);
}

static void test_dead_peer_detection(void **state)
{
	struct tnet *n = t_setup_a();
	struct tframe *f;
	uint8_t magic[4];
	int i;

	(void)state;
	n->a.cfg.echo_interval = 10;
	n->a.cfg.echo_failures = 3;
	t_end_start(&n->a, "session 7/8: ");
	ppp_open(n->a.p);
	t_lcp_open_by_hand(&n->a, 0xabcdef01);
	t_ipcp_open_by_hand(&n->a);
	/* a live peer answers: the link stays */
	for (i = 0; i < 5; i++) {
		clock_advance(&n->clk, 10000);
		f = t_expect(&n->a, LCP, PPP_ECHO_REQ);
		assert_int_equal(ppp_get32(f->buf + 6), n->a.p->lcp.magic);
		ppp_put32(magic, 0xabcdef01);
		t_send(&n->a, LCP, PPP_ECHO_REP, f->buf[3], magic, 4);
		free(f);
		t_drain(&n->a);
	}
	assert_int_equal(n->a.downs, 0);
	/* an answer with the wrong magic does not count */
	clock_advance(&n->clk, 10000);
	f = t_expect(&n->a, LCP, PPP_ECHO_REQ);
	ppp_put32(magic, 0xabcdef02);
	t_send(&n->a, LCP, PPP_ECHO_REP, f->buf[3], magic, 4);
	free(f);
	/* then silence: 3 requests unanswered in all, dead at the next tick */
	clock_advance(&n->clk, 10000);
	free(t_expect(&n->a, LCP, PPP_ECHO_REQ));
	clock_advance(&n->clk, 10000);
	free(t_expect(&n->a, LCP, PPP_ECHO_REQ));
	assert_int_equal(n->a.downs, 0);
	clock_advance(&n->clk, 9999);
	assert_int_equal(n->a.downs, 0);
	clock_advance(&n->clk, 1);
	assert_int_equal(n->a.downs, 1);
	assert_string_equal(n->a.down_reason, "peer not responding to LCP echo");
	assert_int_equal(ppp_get_phase(n->a.p), PPP_PHASE_DEAD);
	/* nothing sent to a dead peer, no timer left */
	t_expect_nothing(&n->a);
	assert_int_equal(clock_next_timeout(&n->clk), -1);
	assert_int_equal(n->a.p->lcp.stats.echo_bad, 1);
	t_teardown(n);
}

static void test_echo_code_rejected(void **state)
{
	struct tnet *n = t_setup_a();
	struct tframe *f;

	(void)state;
	n->a.cfg.echo_interval = 5;
	n->a.cfg.echo_failures = 2;
	t_end_start(&n->a, "");
	ppp_open(n->a.p);
	t_lcp_open_by_hand(&n->a, 0x01020304);
	t_ipcp_open_by_hand(&n->a);
	clock_advance(&n->clk, 5000);
	f = t_expect(&n->a, LCP, PPP_ECHO_REQ);
	/* the peer has no echo: Code-Reject (RXJ+), detection stops, link stays */
	t_send(&n->a, LCP, PPP_CODE_REJ, 5, f->buf + 2, f->len - 2);
	free(f);
	clock_advance(&n->clk, 60000);
	assert_int_equal(n->a.downs, 0);
	assert_int_equal(n->a.p->lcp.fsm.state, PPP_FSM_OPENED);
	t_teardown(n);
}

/* --- Protocol-Reject, Code-Reject, Terminate ---------------------------------- */

static void test_protocol_reject_sent(void **state)
{
	struct tnet *n = t_setup_a();
	uint8_t ccp[] = { 0x80, 0xfd, 1, 1, 0, 4 };
	uint8_t weird[] = { 0x82, 0x81, 1, 2, 3 };
	struct tframe *f;
	struct ppp_stats st;

	(void)state;
	t_end_start(&n->a, "");
	ppp_open(n->a.p);
	/* before the Network phase: silently discarded (§3.4) */
	assert_int_equal(t_send_raw(&n->a, ccp, sizeof(ccp)), -EAGAIN);
	assert_int_equal(n->a.n_sent, 1);	/* our Configure-Request only */
	t_lcp_open_by_hand(&n->a, 0x5555);
	free(t_expect(&n->a, PPP_PROTO_IPCP, PPP_CONF_REQ));
	/* Network phase: CCP and an unknown protocol are Protocol-Rejected */
	assert_int_equal(t_send_raw(&n->a, ccp, sizeof(ccp)), -EPROTONOSUPPORT);
	f = t_expect(&n->a, LCP, PPP_PROTO_REJ);
	assert_int_equal(f->len, 6 + 2 + 4);
	assert_int_equal(ppp_get16(f->buf + 6), PPP_PROTO_CCP);
	assert_memory_equal(f->buf + 8, ccp + 2, 4);
	free(f);
	t_send_raw(&n->a, weird, sizeof(weird));
	f = t_expect(&n->a, LCP, PPP_PROTO_REJ);
	assert_int_equal(ppp_get16(f->buf + 6), 0x8281);
	free(f);
	/* IPv6CP with IPv6 off: rejected as well */
	t_send(&n->a, PPP_PROTO_IPV6CP, PPP_CONF_REQ, 1, NULL, 0);
	free(t_expect(&n->a, LCP, PPP_PROTO_REJ));
	/* an unknown LCP code: Code-Reject */
	t_send(&n->a, LCP, 99, 3, "zz", 2);
	f = t_expect(&n->a, LCP, PPP_CODE_REJ);
	assert_int_equal(f->buf[6], 99);
	free(f);
	ppp_get_stats(n->a.p, &st);
	assert_int_equal(st.rx_proto_rejected, 3);
	assert_int_equal(st.lcp_ext.proto_rej_tx, 3);
	assert_int_equal(st.lcp.rx_unknown_code, 1);
	t_teardown(n);
}

static void test_protocol_reject_received(void **state)
{
	struct tnet *n = t_setup_up(0x7777);
	uint8_t rej[6];
	struct tframe *f;

	(void)state;
	f = t_expect(&n->a, PPP_PROTO_IPCP, PPP_CONF_REQ);
	/* the peer rejects IPCP: IPCP gets RXJ- and stops; no NCP is left */
	ppp_put16(rej, PPP_PROTO_IPCP);
	memcpy(rej + 2, f->buf + 2, 4);
	free(f);
	t_send(&n->a, LCP, PPP_PROTO_REJ, 1, rej, sizeof(rej));
	assert_int_equal(n->a.p->ipcp.fsm.stats.tx_conf_req, 1);
	assert_int_equal(n->a.p->lcp.stats.proto_rej_rx, 1);
	free(t_expect(&n->a, LCP, PPP_TERM_REQ));
	t_send(&n->a, LCP, PPP_TERM_ACK, 0, NULL, 0);
	assert_int_equal(n->a.downs, 1);
	assert_string_equal(n->a.down_reason, "no network protocol left");
	t_teardown(n);

	/* a Protocol-Reject of LCP itself is catastrophic */
	n = t_setup_up(0x7777);
	t_drain(&n->a);
	ppp_put16(rej, PPP_PROTO_LCP);
	t_send(&n->a, LCP, PPP_PROTO_REJ, 2, rej, 2);
	free(t_expect(&n->a, LCP, PPP_TERM_REQ));
	clock_advance(&n->clk, 2 * PPP_FSM_RESTART_MS);
	assert_int_equal(n->a.downs, 1);
	t_teardown(n);
}

static void test_peer_terminates(void **state)
{
	struct tnet *n = t_setup_up(0x2222);

	(void)state;
	t_ipcp_open_by_hand(&n->a);
	t_send(&n->a, LCP, PPP_TERM_REQ, 42, "bye", 3);
	{
		struct tframe *f = t_expect(&n->a, LCP, PPP_TERM_ACK);

		assert_int_equal(f->buf[3], 42);
		free(f);
	}
	assert_int_equal(n->a.downs, 0);
	clock_advance(&n->clk, PPP_FSM_RESTART_MS);
	assert_int_equal(n->a.downs, 1);
	assert_string_equal(n->a.down_reason, "peer terminated the link");
	t_expect_nothing(&n->a);
	t_teardown(n);
}

static void test_close_and_lower_down(void **state)
{
	struct tnet *n = t_setup_up(0x3333);

	(void)state;
	t_ipcp_open_by_hand(&n->a);
	ppp_close(n->a.p, "admin");
	free(t_expect(&n->a, LCP, PPP_TERM_REQ));
	assert_int_equal(ppp_get_phase(n->a.p), PPP_PHASE_TERMINATE);
	clock_advance(&n->clk, PPP_FSM_RESTART_MS);
	free(t_expect(&n->a, LCP, PPP_TERM_REQ));
	clock_advance(&n->clk, PPP_FSM_RESTART_MS);
	assert_int_equal(n->a.downs, 1);
	assert_string_equal(n->a.down_reason, "admin");
	/* once: another close does nothing */
	ppp_close(n->a.p, "again");
	assert_int_equal(n->a.downs, 1);
	t_teardown(n);

	n = t_setup_up(0x3333);
	t_ipcp_open_by_hand(&n->a);
	ppp_lower_down(n->a.p, "CDN received");
	t_expect_nothing(&n->a);
	assert_int_equal(n->a.downs, 1);
	assert_string_equal(n->a.down_reason, "CDN received");
	assert_int_equal(clock_next_timeout(&n->clk), -1);
	t_teardown(n);
}

/* --- malformed input ----------------------------------------------------------- */

static void test_malformed_never_crash(void **state)
{
	struct tnet *n = t_setup_a();
	uint8_t opt0[] = { 1, 0, 5, 6 }, opt1[] = { 5, 1 }, past[] = { 1, 4, 5 };
	uint8_t lies[] = { 0xc0, 0x21, 1, 1, 0, 20, 1, 4, 5, 0xdc };
	uint8_t tiny[] = { 0xc0, 0x21, 1, 1, 0 };
	uint8_t len3[] = { 0xc0, 0x21, 1, 1, 0, 3 };
	uint8_t onebyte[] = { 0x21 };
	uint8_t pfc[] = { 0x21, 0x45, 0 };
	uint8_t even[] = { 0xc0, 0x22, 1, 1, 0, 4 };
	uint8_t ff03[] = { 0xff, 0x03 };
	uint8_t fuzz[64];
	struct ppp_stats st;
	unsigned seed = 7, i, j;

	(void)state;
	t_end_start(&n->a, "");
	ppp_open(n->a.p);
	free(t_expect(&n->a, LCP, PPP_CONF_REQ));
	assert_int_equal(t_send(&n->a, LCP, PPP_CONF_REQ, 1, opt0, sizeof(opt0)), -EBADMSG);
	assert_int_equal(t_send(&n->a, LCP, PPP_CONF_REQ, 2, opt1, sizeof(opt1)), -EBADMSG);
	assert_int_equal(t_send(&n->a, LCP, PPP_CONF_REQ, 3, past, sizeof(past)), -EBADMSG);
	assert_int_equal(t_send_raw(&n->a, lies, sizeof(lies)), -EBADMSG);
	assert_int_equal(t_send_raw(&n->a, tiny, sizeof(tiny)), -EBADMSG);
	assert_int_equal(t_send_raw(&n->a, len3, sizeof(len3)), -EBADMSG);
	assert_int_equal(t_send_raw(&n->a, onebyte, sizeof(onebyte)), -EBADMSG);
	assert_int_equal(t_send_raw(&n->a, pfc, sizeof(pfc)), -EBADMSG);
	assert_int_equal(t_send_raw(&n->a, even, sizeof(even)), -EBADMSG);
	assert_int_equal(t_send_raw(&n->a, ff03, sizeof(ff03)), -EBADMSG);
	assert_int_equal(t_send_raw(&n->a, ff03, 0), -EBADMSG);
	t_expect_nothing(&n->a);
	ppp_get_stats(n->a.p, &st);
	assert_int_equal(st.lcp.rx_malformed, 6);
	assert_int_equal(st.rx_malformed, 5);
	assert_int_equal(n->a.p->lcp.fsm.state, PPP_FSM_REQ_SENT);
	/* with the FF 03 prefix a frame is fine */
	{
		uint8_t ok[] = { 0xff, 0x03, 0xc0, 0x21, 1, 9, 0, 8, 1, 4, 5, 0xdc };

		assert_int_equal(t_send_raw(&n->a, ok, sizeof(ok)), 0);
		free(t_expect(&n->a, LCP, PPP_CONF_ACK));
	}
	/* random garbage behind every protocol we know, in the Network phase */
	t_send(&n->a, LCP, PPP_CONF_ACK, n->a.p->lcp.fsm.req_id, n->a.p->lcp.fsm.req,
	       n->a.p->lcp.fsm.req_len);
	assert_int_equal(ppp_get_phase(n->a.p), PPP_PHASE_NETWORK);
	for (i = 0; i < 3000; i++) {
		static const uint16_t protos[] = { 0xc021, 0xc023, 0xc223, 0x8021, 0x8057, 0x0021 };
		size_t len = 2 + (seed = seed * 1103515245u + 12345u) % (sizeof(fuzz) - 2);

		ppp_put16(fuzz, protos[i % 6]);
		for (j = 2; j < len; j++)
			fuzz[j] = (uint8_t)((seed = seed * 1103515245u + 12345u) >> 16);
		if (i % 3 == 0 && len >= 6)
			ppp_put16(fuzz + 4, (uint16_t)(len - 2));	/* a true Length, garbage options */
		t_send_raw(&n->a, fuzz, len);
		t_drain(&n->a);
	}
	t_teardown(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_contents),
		cmocka_unit_test(test_mru_bounds),
		cmocka_unit_test(test_unknown_options_rejected),
		cmocka_unit_test(test_wrong_length_options),
		cmocka_unit_test(test_magic_collision_and_zero),
		cmocka_unit_test(test_looped_back_link),
		cmocka_unit_test(test_auth_nak_moves_to_allowed),
		cmocka_unit_test(test_auth_nak_not_allowed_and_reject),
		cmocka_unit_test(test_late_peer_naks_queued_copies),
		cmocka_unit_test(test_peer_role_auth_option),
		cmocka_unit_test(test_lcp_nak_loop_bound),
		cmocka_unit_test(test_echo_answers),
		cmocka_unit_test(test_dead_peer_detection),
		cmocka_unit_test(test_echo_code_rejected),
		cmocka_unit_test(test_protocol_reject_sent),
		cmocka_unit_test(test_protocol_reject_received),
		cmocka_unit_test(test_peer_terminates),
		cmocka_unit_test(test_close_and_lower_down),
		cmocka_unit_test(test_malformed_never_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
