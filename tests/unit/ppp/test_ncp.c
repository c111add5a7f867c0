/*
 * The NCPs and the whole link: IPCP address assignment (0.0.0.0 Nak'd with
 * AAA's address, a wrong address refused), DNS options, IPv6CP interface
 * identifiers, a complete LCP + authentication + IPCP + IPv6CP bring-up of
 * two links under random (seeded) frame loss, and export/import of the
 * negotiated state: an imported link answers LCP echo with the right magic
 * and sends no Configure-Request.
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

#define LCP	PPP_PROTO_LCP
#define IPCP	PPP_PROTO_IPCP
#define IPV6CP	PPP_PROTO_IPV6CP

static uint32_t ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static size_t t_opts_len(const struct tframe *f)
{
	return (size_t)((f->buf[4] << 8) | f->buf[5]) - 4;
}

static const uint8_t *t_opt(const struct tframe *f, uint8_t type, size_t *dlen)
{
	struct ppp_opt o;
	size_t off = 0;

	while (ppp_opt_next(f->buf + 6, t_opts_len(f), &off, &o) > 0) {
		if (o.type == type) {
			if (dlen)
				*dlen = o.dlen;
			return o.data;
		}
	}
	return NULL;
}

/* A: LNS with PAP, assigned 198.51.100.7 by "AAA"; LCP and PAP done by
 * hand, so that A is in the Network phase with its IPCP request sent. */
static struct tnet *t_lns_in_network(int ipv6, const char *dns1, const char *dns2)
{
	struct tnet *n = malloc(sizeof(*n));
	uint8_t lcp[] = { 1, 4, 0x05, 0xdc, 5, 6, 0x0a, 0x0b, 0x0c, 0x0d };
	uint8_t pap[] = { 3, 'b', 'o', 'b', 2, 'p', 'w' };
	struct ppp_fsm *f;

	assert_non_null(n);
	t_net_init(n);
	n->a.cfg.auth[0] = PPP_AUTH_PAP;
	n->a.cfg.n_auth = 1;
	n->a.cfg.ipv6 = ipv6;
	n->a.cfg.local_addr.s_addr = ip("10.0.0.1");
	if (dns1)
		n->a.cfg.dns[0].s_addr = ip(dns1);
	if (dns2)
		n->a.cfg.dns[1].s_addr = ip(dns2);
	n->a.secret = "pw";
	n->a.assign.s_addr = ip("198.51.100.7");
	t_end_start(&n->a, "lns: ");
	ppp_open(n->a.p);
	f = &n->a.p->lcp.fsm;
	t_send(&n->a, LCP, PPP_CONF_ACK, f->req_id, f->req, f->req_len);
	t_send(&n->a, LCP, PPP_CONF_REQ, 1, lcp, sizeof(lcp));
	assert_int_equal(ppp_get_phase(n->a.p), PPP_PHASE_AUTHENTICATE);
	/* network packets before the Network phase: silently discarded */
	assert_int_equal(t_send(&n->a, IPCP, PPP_CONF_REQ, 1, NULL, 0), -EAGAIN);
	assert_int_equal(n->a.p->stats.rx_dropped_phase, 1);
	t_send(&n->a, PPP_PROTO_PAP, PPP_PAP_AUTH_REQ, 1, pap, sizeof(pap));
	assert_int_equal(ppp_get_phase(n->a.p), PPP_PHASE_NETWORK);
	t_drain(&n->a);
	return n;
}

static void t_free_net(struct tnet *n)
{
	t_net_free(n);
	free(n);
}

/* --- IPCP ---------------------------------------------------------------------- */

static void test_ipcp_address_assignment(void **state)
{
	struct tnet *n = t_lns_in_network(0, NULL, NULL);
	uint8_t zero[] = { 3, 6, 0, 0, 0, 0 }, wrong[6] = { 3, 6 }, right[6] = { 3, 6 };
	uint8_t none[] = { 2, 6, 0, 0x2d, 0x0f, 0x01 };	/* VJ compression only */
	struct ppp_fsm *f = &n->a.p->ipcp.fsm;
	struct tframe *fr;
	const uint8_t *v;
	size_t dl;
	uint32_t a;

	(void)state;
	/* our request: our address */
	fr = NULL;
	t_send(&n->a, IPCP, PPP_CONF_ACK, (uint8_t)(f->req_id + 1), f->req, f->req_len);
	assert_int_equal(f->stats.rx_bad_id, 1);
	v = NULL;
	{
		struct ppp_opt o;
		size_t off = 0;

		assert_int_equal(ppp_opt_next(f->req, f->req_len, &off, &o), 1);
		assert_int_equal(o.type, PPP_IPCP_OPT_ADDR);
		memcpy(&a, o.data, 4);
		assert_int_equal(a, ip("10.0.0.1"));
	}
	/* 0.0.0.0: Nak with the address AAA assigned */
	t_send(&n->a, IPCP, PPP_CONF_REQ, 1, zero, sizeof(zero));
	fr = t_expect(&n->a, IPCP, PPP_CONF_NAK);
	v = t_opt(fr, PPP_IPCP_OPT_ADDR, &dl);
	assert_non_null(v);
	assert_int_equal(dl, 4);
	memcpy(&a, v, 4);
	assert_int_equal(a, ip("198.51.100.7"));
	assert_int_equal(t_opts_len(fr), 6);
	free(fr);
	/* an address it was not given: refused, Nak with the assigned one */
	a = ip("198.51.100.99");
	memcpy(wrong + 2, &a, 4);
	t_send(&n->a, IPCP, PPP_CONF_REQ, 2, wrong, sizeof(wrong));
	fr = t_expect(&n->a, IPCP, PPP_CONF_NAK);
	memcpy(&a, t_opt(fr, PPP_IPCP_OPT_ADDR, NULL), 4);
	assert_int_equal(a, ip("198.51.100.7"));
	free(fr);
	/* no address at all: RFC 1332 §3.3, appended to a Nak; VJ rejected first */
	t_send(&n->a, IPCP, PPP_CONF_REQ, 3, none, sizeof(none));
	fr = t_expect(&n->a, IPCP, PPP_CONF_REJ);
	assert_int_equal(t_opts_len(fr), sizeof(none));
	free(fr);
	t_send(&n->a, IPCP, PPP_CONF_REQ, 4, NULL, 0);
	fr = t_expect(&n->a, IPCP, PPP_CONF_NAK);
	memcpy(&a, t_opt(fr, PPP_IPCP_OPT_ADDR, NULL), 4);
	assert_int_equal(a, ip("198.51.100.7"));
	free(fr);
	/* the assigned address: Ack; with our request acknowledged, IPCP is up */
	a = ip("198.51.100.7");
	memcpy(right + 2, &a, 4);
	t_send(&n->a, IPCP, PPP_CONF_REQ, 5, right, sizeof(right));
	free(t_expect(&n->a, IPCP, PPP_CONF_ACK));
	assert_int_equal(n->a.ups, 0);
	t_send(&n->a, IPCP, PPP_CONF_ACK, f->req_id, f->req, f->req_len);
	assert_int_equal(f->state, PPP_FSM_OPENED);
	assert_int_equal(n->a.ups_ipcp, 1);
	assert_int_equal(n->a.up_st.peer_addr.s_addr, ip("198.51.100.7"));
	assert_int_equal(n->a.up_st.local_addr.s_addr, ip("10.0.0.1"));
	assert_int_equal(n->a.up_st.ipcp_open, 1);
	assert_string_equal(n->a.up_st.user, "bob");
	assert_int_equal(n->a.up_st.auth, PPP_AUTH_PAP);
	/* data reaching the control plane is counted, not answered */
	{
		uint8_t ipdata[] = { 0x00, 0x21, 0x45, 0, 0, 20 };

		assert_int_equal(t_send_raw(&n->a, ipdata, sizeof(ipdata)), -EAGAIN);
		assert_int_equal(n->a.p->stats.rx_data_dropped, 1);
		t_expect_nothing(&n->a);
	}
	t_free_net(n);
}

static void test_ipcp_dns(void **state)
{
	struct tnet *n = t_lns_in_network(0, "192.0.2.53", "192.0.2.54");
	uint8_t req[] = { 3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0 };
	uint8_t nbns[] = { 130, 6, 0, 0, 0, 0, 132, 6, 0, 0, 0, 0, 1, 10, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct tframe *fr;
	uint32_t a;

	(void)state;
	/* NBNS and the old IP-Addresses: rejected */
	t_send(&n->a, IPCP, PPP_CONF_REQ, 1, nbns, sizeof(nbns));
	fr = t_expect(&n->a, IPCP, PPP_CONF_REJ);
	assert_int_equal(t_opts_len(fr), sizeof(nbns));
	assert_memory_equal(fr->buf + 6, nbns, sizeof(nbns));
	free(fr);
	/* RFC 1877: 0.0.0.0 asks; Nak'd with ours, with the address */
	t_send(&n->a, IPCP, PPP_CONF_REQ, 2, req, sizeof(req));
	fr = t_expect(&n->a, IPCP, PPP_CONF_NAK);
	memcpy(&a, t_opt(fr, PPP_IPCP_OPT_DNS1, NULL), 4);
	assert_int_equal(a, ip("192.0.2.53"));
	memcpy(&a, t_opt(fr, PPP_IPCP_OPT_DNS2, NULL), 4);
	assert_int_equal(a, ip("192.0.2.54"));
	memcpy(&a, t_opt(fr, PPP_IPCP_OPT_ADDR, NULL), 4);
	assert_int_equal(a, ip("198.51.100.7"));
	/* the peer takes them all: Ack */
	memcpy(req, fr->buf + 6, t_opts_len(fr));
	assert_int_equal(t_opts_len(fr), sizeof(req));
	free(fr);
	t_send(&n->a, IPCP, PPP_CONF_REQ, 3, req, sizeof(req));
	free(t_expect(&n->a, IPCP, PPP_CONF_ACK));
	t_free_net(n);

	/* no DNS configured: the options are rejected */
	n = t_lns_in_network(0, NULL, NULL);
	memset(req + 2, 0, 4);
	t_send(&n->a, IPCP, PPP_CONF_REQ, 4, req, sizeof(req));
	fr = t_expect(&n->a, IPCP, PPP_CONF_REJ);
	assert_int_equal(t_opts_len(fr), 12);
	assert_memory_equal(fr->buf + 6, req + 6, 12);
	free(fr);
	t_free_net(n);
}

static void test_ipcp_nothing_assigned(void **state)
{
	struct tnet *n = t_lns_in_network(0, NULL, NULL);
	uint8_t zero[] = { 3, 6, 0, 0, 0, 0 };
	struct tframe *fr;

	(void)state;
	/* AAA gave no address and none is configured: nothing to Nak with */
	n->a.p->reply.peer_addr.s_addr = 0;
	t_send(&n->a, IPCP, PPP_CONF_REQ, 1, zero, sizeof(zero));
	fr = t_expect(&n->a, IPCP, PPP_CONF_REJ);
	assert_memory_equal(fr->buf + 6, zero, sizeof(zero));
	free(fr);
	t_free_net(n);
}

/* The client side: it asks 0.0.0.0 and DNS, takes the Nak'd values. */
static void test_ipcp_peer_role(void **state)
{
	struct tnet *n = malloc(sizeof(*n));
	uint8_t nak[] = { 3, 6, 198, 51, 100, 7, 129, 6, 192, 0, 2, 53, 131, 6, 192, 0, 2, 54 };
	uint8_t lns[] = { 3, 6, 10, 0, 0, 1 };
	uint8_t lcp[] = { 1, 4, 0x05, 0xdc, 5, 6, 1, 2, 3, 4 };
	struct ppp_fsm *f;
	struct tframe *fr;
	uint32_t a;

	(void)state;
	assert_non_null(n);
	t_net_init(n);
	t_end_start(&n->b, "client: ");
	ppp_open(n->b.p);
	f = &n->b.p->lcp.fsm;
	t_send(&n->b, LCP, PPP_CONF_ACK, f->req_id, f->req, f->req_len);
	t_send(&n->b, LCP, PPP_CONF_REQ, 1, lcp, sizeof(lcp));
	assert_int_equal(ppp_get_phase(n->b.p), PPP_PHASE_NETWORK);
	t_drain(&n->b);
	f = &n->b.p->ipcp.fsm;
	/* its request: 0.0.0.0 and both DNS at 0.0.0.0 */
	assert_int_equal(f->req_len, 18);
	assert_memory_equal(f->req, "\x03\x06\0\0\0\0\x81\x06\0\0\0\0\x83\x06\0\0\0\0", 18);
	t_send(&n->b, IPCP, PPP_CONF_NAK, f->req_id, nak, sizeof(nak));
	fr = t_expect(&n->b, IPCP, PPP_CONF_REQ);
	assert_int_equal(t_opts_len(fr), sizeof(nak));
	assert_memory_equal(fr->buf + 6, nak, sizeof(nak));
	free(fr);
	t_send(&n->b, IPCP, PPP_CONF_ACK, f->req_id, f->req, f->req_len);
	/* the LNS's address: any non-zero one is fine */
	t_send(&n->b, IPCP, PPP_CONF_REQ, 7, lns, sizeof(lns));
	free(t_expect(&n->b, IPCP, PPP_CONF_ACK));
	assert_int_equal(n->b.ups_ipcp, 1);
	assert_int_equal(n->b.up_st.local_addr.s_addr, ip("198.51.100.7"));
	assert_int_equal(n->b.up_st.peer_addr.s_addr, ip("10.0.0.1"));
	assert_int_equal(n->b.up_st.dns[0].s_addr, ip("192.0.2.53"));
	assert_int_equal(n->b.up_st.dns[1].s_addr, ip("192.0.2.54"));
	(void)a;
	t_free_net(n);
}

/* --- IPv6CP -------------------------------------------------------------------- */

static const uint8_t zero8[8];

static void test_ipv6cp_identifiers(void **state)
{
	struct tnet *n = t_lns_in_network(1, NULL, NULL);
	struct ppp_fsm *f = &n->a.p->ipv6cp->fsm;
	uint8_t req[10] = { 1, 10 }, ours[8], nak[10] = { 1, 10, 0x02, 0, 0, 0, 0, 0, 0, 0x99 };
	struct tframe *fr;
	const uint8_t *v;
	size_t dl;

	(void)state;
	/* our request: a non-zero identifier, u bit clear */
	assert_int_equal(f->req_len, 10);
	assert_int_equal(f->req[0], PPP_IPV6CP_OPT_IFID);
	memcpy(ours, f->req + 2, 8);
	assert_memory_not_equal(ours, zero8, 8);
	assert_int_equal(ours[0] & 0x02, 0);
	/* the peer's zero identifier: Nak with a fresh one */
	t_send(&n->a, IPV6CP, PPP_CONF_REQ, 1, req, sizeof(req));
	fr = t_expect(&n->a, IPV6CP, PPP_CONF_NAK);
	v = t_opt(fr, PPP_IPV6CP_OPT_IFID, &dl);
	assert_int_equal(dl, 8);
	assert_memory_not_equal(v, zero8, 8);
	assert_memory_not_equal(v, ours, 8);
	free(fr);
	/* the same as ours: Nak with another (RFC 5072 §4.1) */
	memcpy(req + 2, ours, 8);
	t_send(&n->a, IPV6CP, PPP_CONF_REQ, 2, req, sizeof(req));
	fr = t_expect(&n->a, IPV6CP, PPP_CONF_NAK);
	v = t_opt(fr, PPP_IPV6CP_OPT_IFID, NULL);
	assert_memory_not_equal(v, zero8, 8);
	assert_memory_not_equal(v, ours, 8);
	free(fr);
	/* compression: rejected */
	{
		uint8_t comp[] = { 2, 4, 0x00, 0x4f };

		t_send(&n->a, IPV6CP, PPP_CONF_REQ, 3, comp, sizeof(comp));
		free(t_expect(&n->a, IPV6CP, PPP_CONF_REJ));
	}
	/* a good one: Ack */
	memcpy(req + 2, "\x00\x11\x22\x33\x44\x55\x66\x77", 8);
	t_send(&n->a, IPV6CP, PPP_CONF_REQ, 4, req, sizeof(req));
	free(t_expect(&n->a, IPV6CP, PPP_CONF_ACK));
	/* the peer Naks ours with a suggestion: we take it */
	t_send(&n->a, IPV6CP, PPP_CONF_NAK, f->req_id, nak, sizeof(nak));
	fr = t_expect(&n->a, IPV6CP, PPP_CONF_REQ);
	assert_memory_equal(t_opt(fr, PPP_IPV6CP_OPT_IFID, NULL), nak + 2, 8);
	free(fr);
	/* a zero suggestion: we pick a fresh one ourselves */
	memset(nak + 2, 0, 8);
	t_send(&n->a, IPV6CP, PPP_CONF_NAK, f->req_id, nak, sizeof(nak));
	fr = t_expect(&n->a, IPV6CP, PPP_CONF_REQ);
	v = t_opt(fr, PPP_IPV6CP_OPT_IFID, NULL);
	assert_memory_not_equal(v, zero8, 8);
	assert_memory_not_equal(v, "\x00\x11\x22\x33\x44\x55\x66\x77", 8);
	free(fr);
	t_send(&n->a, IPV6CP, PPP_CONF_ACK, f->req_id, f->req, f->req_len);
	assert_int_equal(n->a.ups_ipv6cp, 1);
	assert_memory_equal(n->a.up_st.peer_ifid, "\x00\x11\x22\x33\x44\x55\x66\x77", 8);
	assert_memory_equal(n->a.up_st.local_ifid, f->req + 2, 8);
	assert_int_equal(n->a.up_st.ipv6cp_open, 1);
	t_free_net(n);
}

/* --- two whole links ---------------------------------------------------------------- */

static void t_pair_init(struct tnet *n, enum ppp_auth_method m)
{
	t_net_init(n);
	n->a.cfg.auth[0] = m;
	n->a.cfg.n_auth = 1;
	n->a.cfg.ipv6 = 1;
	n->a.cfg.local_addr.s_addr = ip("192.0.2.1");
	n->a.cfg.dns[0].s_addr = ip("192.0.2.53");
	n->a.cfg.echo_interval = 5;
	n->a.cfg.echo_failures = 4;
	n->a.secret = "sesame";
	n->a.assign.s_addr = ip("100.64.0.42");
	n->b.cfg.ipv6 = 1;
	n->b.cfg.echo_interval = 7;
	n->b.cfg.echo_failures = 4;
	snprintf(n->b.cfg.user, sizeof(n->b.cfg.user), "carol");
	snprintf(n->b.cfg.password, sizeof(n->b.cfg.password), "sesame");
	n->b.cfg.auth[0] = PPP_AUTH_PAP;
	n->b.cfg.auth[1] = PPP_AUTH_CHAP_MD5;
	n->b.cfg.auth[2] = PPP_AUTH_MSCHAPV2;
	n->b.cfg.n_auth = 3;
	t_end_start(&n->a, "lns: ");
	t_end_start(&n->b, "client: ");
}

/* Both NCPs Opened at both ends, and each end told its owner. */
static int t_both_up(const struct tnet *n)
{
	return n->a.ups_ipcp && n->a.ups_ipv6cp && n->b.ups_ipcp && n->b.ups_ipv6cp &&
	       n->a.p->ipcp.fsm.state == PPP_FSM_OPENED &&
	       n->a.p->ipv6cp->fsm.state == PPP_FSM_OPENED &&
	       n->b.p->ipcp.fsm.state == PPP_FSM_OPENED &&
	       n->b.p->ipv6cp->fsm.state == PPP_FSM_OPENED;
}

static void test_bringup_with_loss(void **state)
{
	static const enum ppp_auth_method methods[] = {
		PPP_AUTH_PAP, PPP_AUTH_CHAP_MD5, PPP_AUTH_MSCHAPV2,
	};
	unsigned seed, lost = 0, ms;
	struct ppp_state sa, sb;

	(void)state;
	for (seed = 1; seed <= 30; seed++) {
		struct tnet n;

		t_pair_init(&n, methods[seed % 3]);
		/* a quarter of the frames lost each way: an echo round trip fails
		 * 44% of the time, so allow 10 in a row before the peer is dead */
		n.a.p->cfg.echo_failures = 10;
		n.b.p->cfg.echo_failures = 10;
		n.seed = seed;
		n.loss = 25;
		ppp_open(n.a.p);
		ppp_open(n.b.p);
		for (ms = 0; ms < 120000 && !t_both_up(&n); ms += 100)
			t_run(&n, 100);
		if (!t_both_up(&n))
			fail_msg("seed %u (%s): not up after 120 s: A phase %s down \"%s\", B phase %s "
				 "down \"%s\"", seed, ppp_auth_method_string(methods[seed % 3]),
				 ppp_phase_string(ppp_get_phase(n.a.p)), n.a.down_reason,
				 ppp_phase_string(ppp_get_phase(n.b.p)), n.b.down_reason);
		/* both agree on everything */
		assert_int_equal(ppp_export(n.a.p, &sa), 0);
		assert_int_equal(ppp_export(n.b.p, &sb), 0);
		assert_int_equal(sa.peer_addr.s_addr, ip("100.64.0.42"));
		assert_int_equal(sb.local_addr.s_addr, ip("100.64.0.42"));
		assert_int_equal(sb.peer_addr.s_addr, ip("192.0.2.1"));
		assert_int_equal(sb.dns[0].s_addr, ip("192.0.2.53"));
		assert_memory_equal(sa.local_ifid, sb.peer_ifid, 8);
		assert_memory_equal(sa.peer_ifid, sb.local_ifid, 8);
		assert_int_equal(sa.magic, sb.peer_magic);
		assert_int_equal(sb.magic, sa.peer_magic);
		assert_string_equal(sa.user, "carol");
		assert_string_equal(sb.user, "carol");
		assert_int_equal(sa.auth, methods[seed % 3]);
		assert_int_equal(n.a.downs + n.b.downs, 0);
		/* and the link stays up under the same loss (echo tolerates it) */
		t_run(&n, 30000);
		if (n.a.downs + n.b.downs != 0)
			fail_msg("seed %u: went down: A \"%s\" B \"%s\"", seed, n.a.down_reason,
				 n.b.down_reason);
		lost += n.lost;
		t_net_free(&n);
	}
	assert_true(lost > 100);	/* the loss was real */
}

/* --- export / import ----------------------------------------------------------------- */

static void test_export_import(void **state)
{
	struct tnet n;
	struct ppp_state st, st2, bad;
	struct ppp *standby;
	struct ppp_stats bs;
	uint64_t echo_rep_before;

	(void)state;
	t_pair_init(&n, PPP_AUTH_MSCHAPV2);
	ppp_open(n.a.p);
	ppp_open(n.b.p);
	t_run(&n, 2000);
	assert_true(t_both_up(&n));
	assert_int_equal(ppp_export(n.a.p, &st), 0);
	assert_int_equal(st.phase, PPP_PHASE_NETWORK);
	assert_int_equal(st.magic, n.a.p->lcp.magic);
	assert_int_equal(st.peer_magic, n.b.p->lcp.magic);
	assert_int_equal(st.mru, 1500);
	assert_int_equal(st.peer_mru, 1500);
	assert_int_equal(st.auth, PPP_AUTH_MSCHAPV2);
	assert_string_equal(st.user, "carol");
	assert_int_equal(st.ipcp_open, 1);
	assert_int_equal(st.peer_addr.s_addr, ip("100.64.0.42"));
	assert_int_equal(st.local_addr.s_addr, ip("192.0.2.1"));
	assert_int_equal(st.dns[0].s_addr, ip("192.0.2.53"));
	assert_int_equal(st.ipv6cp_open, 1);

	/* states a link cannot be in are refused */
	bad = st;
	bad.phase = PPP_PHASE_ESTABLISH;
	assert_null(ppp_import_opened(&n.a.cfg, &t_ops, &n.a, &n.clk, &n.log, "", &bad));
	assert_int_equal(errno, EINVAL);
	bad = st;
	bad.peer_mru = 0;
	assert_null(ppp_import_opened(&n.a.cfg, &t_ops, &n.a, &n.clk, &n.log, "", &bad));
	bad = st;
	bad.user[sizeof(bad.user) - 1] = 'x';
	memset(bad.user, 'x', sizeof(bad.user));
	assert_null(ppp_import_opened(&n.a.cfg, &t_ops, &n.a, &n.clk, &n.log, "", &bad));

	/* failover: the active vanishes without a word, the standby rebuilds */
	ppp_free(n.a.p);
	t_drain(&n.a);
	n.a.n_sent = 0;
	standby = ppp_import_opened(&n.a.cfg, &t_ops, &n.a, &n.clk, &n.log, "standby: ", &st);
	assert_non_null(standby);
	n.a.p = standby;
	assert_int_equal(n.a.n_sent, 0);	/* nothing sent */
	assert_int_equal(ppp_get_phase(standby), PPP_PHASE_NETWORK);
	assert_int_equal(ppp_export(standby, &st2), 0);
	assert_int_equal(st2.magic, st.magic);
	assert_int_equal(st2.peer_magic, st.peer_magic);
	assert_int_equal(st2.peer_addr.s_addr, st.peer_addr.s_addr);
	assert_memory_equal(st2.local_ifid, st.local_ifid, 8);
	assert_memory_equal(st2.peer_ifid, st.peer_ifid, 8);
	assert_string_equal(st2.user, "carol");

	/* the peer keeps echoing: answered with the right magic; no
	 * Configure-Request from anyone, nobody goes down */
	n.tap_from = &n.a;
	n.tap_proto = LCP;
	n.tap_code = PPP_CONF_REQ;
	ppp_get_stats(n.b.p, &bs);
	echo_rep_before = bs.lcp_ext.echo_rep_rx;
	t_run(&n, 60000);
	assert_int_equal(n.tapped, 0);
	assert_int_equal(n.a.downs + n.b.downs, 0);
	ppp_get_stats(n.b.p, &bs);
	assert_true(bs.lcp_ext.echo_rep_rx >= echo_rep_before + 8);
	assert_int_equal(bs.lcp_ext.echo_bad, 0);
	assert_int_equal(bs.lcp.tx_conf_req, 1);	/* still its very first */
	assert_int_equal(bs.ipcp.tx_conf_req, n.b.p->ipcp.fsm.stats.tx_conf_req);
	ppp_get_stats(standby, &bs);
	assert_int_equal(bs.lcp.tx_conf_req, 0);
	assert_int_equal(bs.ipcp.tx_conf_req, 0);
	assert_int_equal(bs.ipv6cp.tx_conf_req, 0);
	assert_true(bs.lcp_ext.echo_rep_tx >= 8);
	assert_true(bs.lcp_ext.echo_rep_rx >= 10);	/* its own echoes answered too */
	assert_int_equal(bs.lcp_ext.echo_bad, 0);
	assert_int_equal(n.b.p->lcp.fsm.state, PPP_FSM_OPENED);

	/* the peer renegotiates IPCP: it gets the same address */
	{
		uint8_t req[6] = { 3, 6 };
		struct tframe *fr;

		memcpy(req + 2, &st.peer_addr.s_addr, 4);
		t_send(&n.a, IPCP, PPP_CONF_REQ, 200, req, sizeof(req));
		fr = t_expect(&n.a, IPCP, PPP_CONF_REQ);	/* tld, scr, sca */
		free(fr);
		free(t_expect(&n.a, IPCP, PPP_CONF_ACK));
	}
	t_net_free(&n);
}

/* An imported link still detects a dead peer. */
static void test_import_dead_peer(void **state)
{
	struct tnet n;
	struct ppp_state st;

	(void)state;
	t_pair_init(&n, PPP_AUTH_PAP);
	ppp_open(n.a.p);
	ppp_open(n.b.p);
	t_run(&n, 2000);
	assert_true(t_both_up(&n));
	assert_int_equal(ppp_export(n.a.p, &st), 0);
	ppp_free(n.a.p);
	n.a.p = ppp_import_opened(&n.a.cfg, &t_ops, &n.a, &n.clk, &n.log, "standby: ", &st);
	assert_non_null(n.a.p);
	ppp_free(n.b.p);
	n.b.p = NULL;
	/* 4 unanswered at 5 s apart, dead at the fifth tick */
	t_run(&n, 24000);
	assert_int_equal(n.a.downs, 0);
	t_run(&n, 2000);
	assert_int_equal(n.a.downs, 1);
	assert_string_equal(n.a.down_reason, "peer not responding to LCP echo");
	t_net_free(&n);
}

/* The owner may free the link from its down() callback. */
static struct ppp **free_me;

static void free_on_down(void *arg, const char *reason)
{
	(void)arg;
	(void)reason;
	ppp_free(*free_me);
	*free_me = NULL;
}

static void test_free_from_callback(void **state)
{
	struct tnet n;
	struct ppp_ops ops = t_ops;

	(void)state;
	t_net_init(&n);
	ops.down = free_on_down;
	n.a.cfg.local_addr.s_addr = ip("10.0.0.1");
	n.a.p = ppp_new(&n.a.cfg, &ops, &n.a, &n.clk, &n.log, "");
	assert_non_null(n.a.p);
	free_me = &n.a.p;
	ppp_open(n.a.p);
	/* nobody answers: LCP gives up inside a timer, down() frees the link */
	clock_advance(&n.clk, 60000);
	assert_null(n.a.p);
	assert_int_equal(clock_next_timeout(&n.clk), -1);
	t_net_free(&n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipcp_address_assignment),
		cmocka_unit_test(test_ipcp_dns),
		cmocka_unit_test(test_ipcp_nothing_assigned),
		cmocka_unit_test(test_ipcp_peer_role),
		cmocka_unit_test(test_ipv6cp_identifiers),
		cmocka_unit_test(test_bringup_with_loss),
		cmocka_unit_test(test_export_import),
		cmocka_unit_test(test_import_dead_peer),
		cmocka_unit_test(test_free_from_callback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
