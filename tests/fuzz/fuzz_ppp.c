/*
 * libFuzzer target for the PPP link of a session (l2tp/ppp.c, ppp/: LCP,
 * PAP, CHAP, MS-CHAPv2, IPCP, IPv6CP) on the null data path: the daemon of
 * tests/unit/lib/harness.h as LNS, a tunnel from its LAC with two calls,
 * each with a real PPP subscriber (fake_subscriber.h).  Subscriber B comes
 * up first; on call A the input plays the subscriber's side, frames of its
 * own between the honest subscriber's.
 *
 * Input: one byte of configuration (bits 0-1: the LNS asks PAP, CHAP,
 * MS-CHAPv2 or all three; bit 2: IPv6CP), then operations:
 *   op % 4 == 0  a frame on call A: a length byte and that many bytes
 *                (protocol field first; op bit 2: FF 03 put before it)
 *   op % 4 == 1  the honest subscriber A sends its next frame, and takes
 *                the daemon's next one
 *   op % 4 == 2  both subscribers' frames move until nothing moves
 *   op % 4 == 3  the clock moves (op >> 2) x 250 ms: timers run
 * After each operation the LAC acknowledges what the daemon sent it (a
 * live LAC: its tunnel never times out).
 *
 * What must hold after each input: the tunnel and subscriber B are
 * untouched (B's session established, its IPCP up); call A's daemon side
 * reaches the Network phase only with the user authenticated, as local1,
 * and its peer gets an address of the pool that B does not have; the
 * pool holds at least the addresses in use; nothing leaks (LeakSanitizer,
 * after the daemon is freed).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fuzz.h"
#include "fuzz_rand.h"
#include "harness.h"
#include "fake_subscriber.h"
#include "core/ippool.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"

#define FUZZ_MAX_OPS	64

static const char *const fuzz_auth[4] = {
	"pap", "chap", "ms-chap-v2", "pap chap ms-chap-v2",
};

static struct harness *fuzz_lns(uint8_t conf)
{
	char cfg[1024];
	void *state;

	snprintf(cfg, sizeof(cfg),
		 "hostname lns1\n"
		 "vpdn enable\n"
		 "username local1 password lpass\n"
		 "ip local pool P1 10.1.0.1 10.1.0.50\n"
		 "interface Virtual-Template 1\n"
		 " ip address 10.0.0.1 255.255.255.255\n"
		 " peer default ip address pool P1\n"
		 " no keepalive\n"
		 " ppp authentication %s\n"
		 "%s"
		 "vpdn-group LNS\n"
		 " accept-dialin\n"
		 "  protocol l2tp\n"
		 "  virtual-template 1\n"
		 " local name lns1\n"
		 " l2tp tunnel password s3cret\n"
		 " l2tp tunnel hello 0\n",
		 fuzz_auth[conf & 3], (conf & 4) ? " ipv6 enable\n" : "");
	return h_new(&state, cfg);
}

static struct fake_subscriber *fuzz_subscriber(struct harness *h, struct h_peer *lac,
					       uint16_t peer_sid)
{
	struct fake_subscriber *u = fake_subscriber_add(h->subscribers, lac, peer_sid);
	struct ppp_config c;

	u->sid = h_lns_call(h, lac, peer_sid);
	fake_subscriber_config(&c, "local1", "lpass");
	c.ipv6 = 1;
	fake_subscriber_open(u, &c);
	return u;
}

/* A frame of the input, as a data message of call A (T=0, no length). */
static void fuzz_frame(struct fake_subscriber *u, uint8_t op, struct fuzz_in *in)
{
	uint8_t pkt[8 + 2 + 255];
	size_t got, hdr = 6;
	const uint8_t *f = fuzz_bytes(in, fuzz_u8(in), &got);

	pkt[0] = 0x00;
	pkt[1] = 0x02;
	pkt[2] = (uint8_t)(u->lac->dtid >> 8);
	pkt[3] = (uint8_t)u->lac->dtid;
	pkt[4] = (uint8_t)(u->sid >> 8);
	pkt[5] = (uint8_t)u->sid;
	if (op & 4) {
		pkt[hdr++] = 0xff;
		pkt[hdr++] = 0x03;
	}
	memcpy(pkt + hdr, f, got);
	h_deliver(u->lac, pkt, hdr + got);
}

/* The LAC acknowledges what the daemon sent it (a CDN for call A), as a
 * live peer does: its tunnel never times out. */
static void fuzz_lac_ack(struct harness *h, struct h_peer *lac)
{
	if (h_waiting(h, lac, 1) > 0) {
		h_drain(h);
		h_send_zlb(lac);
	}
}

static void fuzz_op(struct harness *h, struct fake_subscriber *a, struct fuzz_in *in)
{
	uint8_t op = fuzz_u8(in);
	unsigned steps;

	switch (op & 3) {
	case 0:
		fuzz_frame(a, op, in);
		break;
	case 1:
		(void)fake_subscriber_send_one(a);
		(void)fake_subscriber_take_one(a);
		break;
	case 2:
		(void)fake_subscribers_pump(h->subscribers, a->lac);
		break;
	default:
		for (steps = op >> 2; steps > 0; steps--) {
			clock_advance(&h->d.clk, 250);
			fuzz_lac_ack(h, a->lac);
		}
		break;
	}
	fuzz_lac_ack(h, a->lac);
}

/* The daemon's side of a call reaches the Network phase only authenticated;
 * its IPCP open, the peer has an address of the pool that no other call
 * has (B's, *taken); the pool counts what the open calls hold. */
static void fuzz_check_link(struct harness *h, const struct fake_subscriber *u,
			    struct in_addr *taken, unsigned *holding)
{
	const struct l2tp_session *s = fake_subscriber_session(u);
	struct ppp_state st;
	uint32_t a;

	if (s == NULL || s->ppp == NULL || ppp_get_phase(s->ppp) != PPP_PHASE_NETWORK)
		return;
	FUZZ_CHECK(s->ppp->auth_ok);
	FUZZ_CHECK(strcmp(s->ppp->auth_user, "local1") == 0);
	FUZZ_CHECK(ppp_export(s->ppp, &st) == 0);
	if (!st.ipcp_open)
		return;
	a = ntohl(st.peer_addr.s_addr);
	FUZZ_CHECK(a >= 0x0a010001 && a <= 0x0a010032);	/* pool P1 */
	FUZZ_CHECK(taken == NULL || taken->s_addr != st.peer_addr.s_addr);
	if (holding != NULL)
		(*holding)++;
}

static void fuzz_check(struct harness *h, const struct fake_subscriber *a,
		       const struct fake_subscriber *b)
{
	const struct l2tp_session *sb = fake_subscriber_session(b);
	struct ppp_state st;
	unsigned holding = 0;

	FUZZ_CHECK(sb != NULL && sb->ppp != NULL && ppp_export(sb->ppp, &st) == 0);
	fuzz_check_link(h, b, NULL, &holding);
	fuzz_check_link(h, a, &st.peer_addr, &holding);
	FUZZ_CHECK(ippool_in_use(h->d.pools, "P1") >= holding);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_cmocka_abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct fake_subscriber *a, *b;
	const struct l2tp_session *sb;
	struct harness *h;
	struct h_peer *lac;

	fuzz_rand_reset();
	h = fuzz_lns(fuzz_u8(&in));
	(void)fake_subscribers_new(h);
	FUZZ_CHECK(ippool_setup(&h->d.pools, &h->d.cfg) == 0);
	clock_advance(&h->d.clk, 1000000);
	lac = h_lns_tunnel(h, "192.0.2.2", 100, "lac1");
	b = fuzz_subscriber(h, lac, 8);
	fake_subscribers_pump(h->subscribers, lac);
	FUZZ_CHECK(b->up && b->ups == 1);
	a = fuzz_subscriber(h, lac, 9);

	for (unsigned i = 0; i < FUZZ_MAX_OPS && in.n > 0; i++) {
		fuzz_op(h, a, &in);
		fuzz_check(h, a, b);
	}
	fake_subscribers_pump(h->subscribers, lac);
	fuzz_check(h, a, b);

	/* Nothing sent on call A touches the tunnel or call B. */
	FUZZ_CHECK(h_tunnel(lac) != NULL);
	sb = fake_subscriber_session(b);
	FUZZ_CHECK(sb != NULL && sb->state == L2TP_SESSION_ESTABLISHED);
	FUZZ_CHECK(sb->ppp != NULL && ppp_get_phase(sb->ppp) == PPP_PHASE_NETWORK);
	FUZZ_CHECK(b->up && b->ups == 1 && b->downs == 0);

	h_free(h);
	return 0;
}
