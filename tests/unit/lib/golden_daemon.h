/*
 * The daemon of the golden scenarios (test_golden.c, test_golden_ha.c) and
 * what it talks to: harness.c's socketless daemon and scripted LACs, the
 * RADIUS server of fake_radius.h (requests kept and answered by the test,
 * oldest first) and the PPP subscribers of fake_subscriber.h.
 */
#ifndef TEST_GOLDEN_DAEMON_H
#define TEST_GOLDEN_DAEMON_H

#include <stdint.h>
#include "harness.h"
#include "fake_radius.h"
#include "fake_subscriber.h"

/* A socketless daemon (harness.c) configured with `config`: its pools,
 * failure history and RADIUS client set up as l2tpd_start() does, RADIUS
 * requests going to a fake server (h->radius; a kind is configured when
 * the configuration names a RADIUS server), data messages to fake
 * subscribers (h->subscribers), and the clock at 01:00:00 (so times are
 * not 0).  cmocka's h_teardown() frees it all. */
struct harness *g_daemon(void **state, const char *config);
/* Move the clock from timer to timer, g_settle() after each. */
void g_advance(struct harness *h, uint64_t ms);
/* Carry PPP frames and acknowledge what the daemon sent every peer (a ZLB
 * from the peer), until nothing moves.  The clock stands still. */
void g_settle(struct harness *h);

/* --- the RADIUS server ------------------------------------------------------ */

/* Answer the oldest request of this kind (RADIUS_AUTH, RADIUS_ACCT) not
 * yet answered with reply (code and attributes set), or with
 * no answer at all (the client gave up: -ETIMEDOUT); then g_settle(). */
void g_radius_answer(struct harness *h, int kind, const struct radius_pkt *reply);
void g_radius_timeout(struct harness *h, int kind);

/* --- calls and subscribers ------------------------------------------------- */

/* An incoming call from the LAC p with these numbers: ICRQ, ICRP, ICCN.
 * Returns the daemon's Session ID. */
uint16_t g_call(struct harness *h, struct h_peer *p, uint16_t peer_sid, const char *calling,
		const char *called);
/* The same, then a subscriber on it that authenticates as user/password
 * with whatever method the LNS asks (PAP, CHAP or MS-CHAPv2); pumps until
 * the LNS waits for AAA or the link is up.  Returns the daemon's Session
 * ID. */
uint16_t g_subscriber(struct harness *h, struct h_peer *p, uint16_t peer_sid,
		      const char *calling, const char *user, const char *password);

#endif
