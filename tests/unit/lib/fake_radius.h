/*
 * A RADIUS server played by the test: the double of aaa.c's RADIUS client
 * in d->aaa.ops.  Every request the daemon sends is kept, in the order it
 * was sent, with its packet and its callback; nothing is answered until
 * the test answers it (fake_radius_answer) or lets it time out
 * (fake_radius_no_answer), so a test decides when RADIUS thinks and what
 * it says.
 *
 *	struct fake_radius *rad = fake_radius_new(h);
 *	... the daemon asks ...
 *	struct fake_radius_req *r = fake_radius_pending(rad, RADIUS_AUTH);
 *	fake_radius_parse(r, &m);		(check what was asked)
 *	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT); ... attributes ...
 *	fake_radius_answer(r, &rp);
 *
 * The server belongs to the harness (h->radius): h_free() frees it once
 * the daemon is gone, since the daemon may cancel or send requests while
 * it goes.  The real client's counters are not moved by it.
 */
#ifndef TEST_FAKE_RADIUS_H
#define TEST_FAKE_RADIUS_H

#include <stdint.h>
#include "harness.h"
#include "aaa/radius.h"
#include "aaa/radius_client.h"

#define FAKE_RADIUS_MAX		64	/* requests in one test */
#define FAKE_RADIUS_KINDS	2	/* RADIUS_AUTH, RADIUS_ACCT */

struct fake_radius_req {
	int kind;			/* RADIUS_AUTH, RADIUS_ACCT */
	struct radius_pkt pkt;		/* as the daemon built it */
	void (*cb)(void *arg, int status, const struct radius_msg *m);
	void *arg;
	int cancelled;			/* the daemon withdrew it */
	int answered;			/* the test answered it, or let it time out */
};

struct fake_radius {
	struct harness *h;		/* whose daemon asks */
	struct fake_radius_req q[FAKE_RADIUS_MAX];
	unsigned n;			/* requests sent, q[0..n) */
	/* A server of this kind exists (d->aaa.ops.configured): else the
	 * daemon's send is refused with -ENOENT.  Both, to begin with. */
	int configured[FAKE_RADIUS_KINDS];
	/* What radius_client_reply_auth() says in a reply's callback, once
	 * fake_radius_reply_auth() set it. */
	uint8_t req_auth[16];
	const char *secret;
};

/* A server for h's daemon (h->radius), both kinds configured, no request
 * yet: its functions in d->aaa.ops (send, cancel, configured). */
struct fake_radius *fake_radius_new(struct harness *h);
/* d->aaa.ops.reply_auth too: every reply answers a request with this
 * Request Authenticator, from a server with this secret (RFC 2868 §3.5
 * Tunnel-Password is hidden with them). */
void fake_radius_reply_auth(struct fake_radius *rad, const uint8_t req_auth[16],
			    const char *secret);

/* --- the requests ------------------------------------------------------------ */

/* How many requests of this kind were sent. */
unsigned fake_radius_count(const struct fake_radius *rad, int kind);
/* Request nth (from 0) of this kind in the order of sending, NULL if none. */
struct fake_radius_req *fake_radius_nth(struct fake_radius *rad, int kind, unsigned nth);
/* The newest request of this kind neither answered nor cancelled, NULL if
 * none. */
struct fake_radius_req *fake_radius_pending(struct fake_radius *rad, int kind);
/* The oldest such request (the one a server answering in turn answers
 * next), NULL if none. */
struct fake_radius_req *fake_radius_oldest(struct fake_radius *rad, int kind);
/* The last request sent, of any kind; there must be one. */
struct fake_radius_req *fake_radius_last(struct fake_radius *rad);
/* The request's packet, parsed into m (it must parse). */
void fake_radius_parse(const struct fake_radius_req *r, struct radius_msg *m);

/* --- the answers ------------------------------------------------------------- */

/* Answer r, which must still be open, with reply (code and attributes
 * set; it must parse): its callback runs now. */
void fake_radius_answer(struct fake_radius_req *r, const struct radius_pkt *reply);
/* No answer to r: its callback runs now with status (-ETIMEDOUT: the
 * client gave up on every server) and no message. */
void fake_radius_no_answer(struct fake_radius_req *r, int status);
/* Add a Cisco-AVPair ("protocol:attribute=value", a Vendor-Specific
 * attribute of vendor 9) to a reply; it must fit. */
void fake_radius_put_avpair(struct radius_pkt *p, const char *avpair);

#endif
