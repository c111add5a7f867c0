/*
 * A daemon without sockets and the peers it talks to, for the tests of the
 * tunnel and session state machines (l2tp/tunnel.c, l2tp/session.c).
 *
 * The daemon context runs on the simulated clock with d->no_sockets set and
 * d->xmit replaced: every control message it sends lands, in order, in a
 * capture queue.  d->loop stays NULL, so dead tunnels are freed when the
 * test calls l2tp_tunnel_reap().
 *
 * A peer (struct h_peer) is the other end of one tunnel.  It numbers what it
 * sends (Ns) and acknowledges what the daemon sent it (Nr) as a real peer
 * would: a message the daemon sends is taken as received by its peer at
 * once, so every message a peer sends afterwards acknowledges it.  A peer
 * is matched to the daemon's tunnel by the Tunnel ID in the header of what
 * the daemon sends (the peer's own ID), or, for an SCCRQ from the daemon
 * (Tunnel ID 0), by address.
 *
 * Building: h_msg() (or one of the h_<type>() helpers, which put the AVPs a
 * well-behaved peer puts) returns the peer's message buffer; add AVPs with
 * the l2tp_avp_put*() functions, then h_send().  h_seal() + h_deliver()
 * split the two for reordered, duplicated or corrupted datagrams.
 *
 * Reading: h_next()/h_expect*() pop the next non-ZLB message sent to a
 * peer, decoded (ZLBs before it are dropped); ZLB acknowledgements go out
 * after the channel's ack delay, which h_flush_acks() lets pass.
 *
 * Test doubles (fake_radius.h, fake_standby.h, fake_subscriber.h) attach
 * to a harness: it finds them for the daemon's hooks, which are handed
 * only the daemon, and frees them after the daemon (h_at_free).
 */
#ifndef TEST_HARNESS_H
#define TEST_HARNESS_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include "l2tpd.h"
#include "l2tp/avp.h"
#include "l2tp/msg.h"

struct l2tp_tunnel;
struct harness;
struct fake_radius;
struct fake_subscribers;

#define H_MAX_PEERS	8
#define H_ANY		(-2)	/* h_expect_result(): error code not checked */
#define H_ACK_DELAY_MS	100	/* the control channel's delayed-ack default */
#define H_SECRET	"s3cret"
#define H_MAX_AT_FREE	8

/*
 * The daemon of the HA tests: an active (lns1) whose standby is the fake
 * one of fake_standby.h, plain ZeroMQ; H_CFG_HA_HEAD is what every HA test
 * and fuzz target starts from, H_CFG_HA adds the LNS group it dials.
 */
#define H_CFG_HA_HEAD \
	"hostname lns1\n" \
	"vpdn enable\n" \
	"redundancy\n" \
	" mode sso\n" \
	" checkpoint local 10.99.0.1\n" \
	" checkpoint peer 10.99.0.2\n" \
	" checkpoint security none\n" \
	"!\n"
#define H_CFG_HA \
	H_CFG_HA_HEAD \
	"vpdn-group LNS\n" \
	" accept-dialin\n" \
	"  protocol l2tp\n" \
	" local name lns1\n" \
	" l2tp tunnel password s3cret\n" \
	" l2tp tunnel resync 3\n"

/* A redundancy block (the same fake standby) after a configuration whose
 * last block is its vpdn-group: that group's resync window, then the block. */
#define H_CFG_HA_TAIL \
	" l2tp tunnel resync 3\n" \
	"redundancy\n" \
	" mode sso\n" \
	" checkpoint local 10.99.0.1\n" \
	" checkpoint peer 10.99.0.2\n" \
	" checkpoint security none\n" \
	" virtual-address 198.51.100.1\n"

/* The daemon as LAC (lac1): group LAC dials 192.0.2.2, secret H_SECRET;
 * a test adds the group's own lines after it. */
#define H_CFG_LAC \
	"hostname lac1\n" \
	"vpdn enable\n" \
	"vpdn-group LAC\n" \
	" request-dialin\n" \
	"  protocol l2tp\n" \
	" initiate-to ip 192.0.2.2\n" \
	" local name lac1\n" \
	" l2tp tunnel password s3cret\n"

struct h_pkt {
	TAILQ_ENTRY(h_pkt) link;
	struct h_peer *peer;	/* whom it was sent to, NULL if nobody we know */
	uint16_t dtid;		/* the daemon's tunnel that sent it */
	int zlb;
	uint16_t ns, nr;
	size_t len;
	uint8_t buf[];
};
TAILQ_HEAD(h_pktq, h_pkt);

struct h_peer {
	struct harness *h;
	uint16_t tid;		/* the peer's own Tunnel ID (its Assigned Tunnel ID) */
	uint16_t dtid;		/* the daemon's Tunnel ID, 0 until known */
	uint16_t ns;		/* Ns of the next message the peer sends */
	uint16_t nr;		/* next Ns the peer expects from the daemon */
	struct sockaddr_in addr;	/* the peer's address */
	struct sockaddr_in local;	/* the daemon's address it sends to */
	const char *secret;	/* tunnel secret, NULL for none */
	uint8_t challenge[16];	/* what h_put_challenge() sent */
	struct l2tp_msgbuf b;	/* the message being built */
};

struct harness {
	struct l2tpd d;		/* first: the xmit hook finds the harness from t->d */
	struct h_pktq q;	/* captured, oldest first */
	unsigned n_sent;	/* everything the daemon transmitted */
	struct h_peer peers[H_MAX_PEERS];
	unsigned n_peers;
	struct l2tp_msg *m;	/* the last message h_next() decoded */
	struct h_pkt *last;	/* its datagram: m's values point into it */
	/* Data messages (T=0) the daemon sends: with the Tunnel and Session
	 * IDs of their header and the PPP frame after it (fake_subscriber.c);
	 * while it is NULL, one fails the test. */
	void (*data_rx)(void *arg, uint16_t tid, uint16_t sid, const uint8_t *frame,
			size_t len);
	void *data_arg;
	struct fake_radius *radius;	/* the RADIUS server in d->aaa.ops, or NULL */
	struct fake_subscribers *subscribers;	/* data_rx's PPP subscribers, or NULL */
	struct h_cleanup {
		void (*fn)(void *arg);
		void *arg;
	} at_free[H_MAX_AT_FREE];
	unsigned n_at_free;
};

/* cmocka setup/teardown: *state holds the harness h_new() made. */
int h_setup(void **state);
int h_teardown(void **state);

/* A daemon configured with `config` (the text of a configuration file). */
struct harness *h_new(void **state, const char *config);
/* The daemon, then what h_at_free() was given (the latest first), then h. */
void h_free(struct harness *h);
/* fn(arg) when h is freed, once the daemon is gone: for the test doubles,
 * which the daemon may still call while it goes. */
void h_at_free(struct harness *h, void (*fn)(void *arg), void *arg);
struct vpdn_group *h_group(struct harness *h, const char *name);
/* The text answer of command line (malloc'd), which must return want. */
char *h_cmd(struct harness *h, const char *line, int want);

/* A peer at ip:1701 (the daemon at 198.51.100.1:1701) using Tunnel ID tid. */
struct h_peer *h_peer_new(struct harness *h, const char *ip, uint16_t tid, const char *secret);
/* The daemon's tunnel with this peer, NULL if none (or dead). */
struct l2tp_tunnel *h_tunnel(const struct h_peer *p);

/* --- what the peer sends --------------------------------------------- */

/* Start a message (header Tunnel ID: 0 for SCCRQ, else the daemon's). */
struct l2tp_msgbuf *h_msg(struct h_peer *p, uint16_t type, uint16_t sid);
/* Start a message whose Message Type AVP carries exactly these M/H flags. */
struct l2tp_msgbuf *h_msg_flags(struct h_peer *p, uint16_t type, uint16_t avp_flags, uint16_t sid);
/* Finish the message being built, number it (next Ns, current Nr) and copy
 * it to out; returns its length. */
size_t h_seal(struct h_peer *p, uint8_t *out, size_t outsz);
/* Hand a datagram from the peer to the daemon (l2tp_net_input). */
void h_deliver(struct h_peer *p, const uint8_t *buf, size_t len);
/* h_seal() + h_deliver(). */
void h_send(struct h_peer *p);
/* A ZLB acknowledging everything the daemon sent the peer. */
void h_send_zlb(struct h_peer *p);

/* The AVPs a well-behaved peer puts in each message. */
struct l2tp_msgbuf *h_sccrq(struct h_peer *p, const char *host);
struct l2tp_msgbuf *h_sccrp(struct h_peer *p, const char *host);
struct l2tp_msgbuf *h_scccn(struct h_peer *p);
struct l2tp_msgbuf *h_stopccn(struct h_peer *p, uint16_t result);
struct l2tp_msgbuf *h_hello(struct h_peer *p);
struct l2tp_msgbuf *h_icrq(struct h_peer *p, uint16_t peer_sid, uint32_t serial);
struct l2tp_msgbuf *h_icrp(struct h_peer *p, uint16_t dsid, uint16_t peer_sid);
struct l2tp_msgbuf *h_iccn(struct h_peer *p, uint16_t dsid);
struct l2tp_msgbuf *h_ocrq(struct h_peer *p, uint16_t peer_sid, uint32_t serial,
			   const char *number);
struct l2tp_msgbuf *h_ocrp(struct h_peer *p, uint16_t dsid, uint16_t peer_sid);
struct l2tp_msgbuf *h_occn(struct h_peer *p, uint16_t dsid);
struct l2tp_msgbuf *h_cdn(struct h_peer *p, uint16_t dsid, uint16_t peer_sid, uint16_t result);
/* §4.2: a fresh 16-byte Challenge (kept in p->challenge). */
void h_put_challenge(struct h_peer *p);
/* §4.2: the Challenge Response to `chal`, as carried in a message of `type`. */
void h_put_response(struct h_peer *p, uint8_t type, const char *secret, const uint8_t *chal,
		    size_t chal_len);

/* --- what the daemon sent ----------------------------------------------- */

/* Let the delayed acknowledgements go out. */
void h_flush_acks(struct harness *h);
/* The next non-ZLB message to p (NULL: to anyone), decoded into h->m and
 * removed with the ZLBs before it; NULL if there is none. */
struct l2tp_msg *h_next(struct harness *h, struct h_peer *p);
/* h_next(), which must be a message of this type. */
struct l2tp_msg *h_expect(struct harness *h, struct h_peer *p, uint16_t type);
/* ... carrying this Result Code (and Error Code, unless error is H_ANY;
 * -1: no Error Code). */
struct l2tp_msg *h_expect_result(struct harness *h, struct h_peer *p, uint16_t type,
				 uint16_t result, int error);
/* Nothing but acknowledgements was sent to p: after the ack delay, at least
 * one ZLB and only ZLBs, the last acknowledging all the peer sent. */
void h_expect_only_ack(struct harness *h, struct h_peer *p);
/* Nothing at all is waiting for p (NULL: for anyone). */
void h_expect_nothing(struct harness *h, struct h_peer *p);
/* Captured messages waiting for p (NULL: for anyone); ZLBs counted or not. */
unsigned h_waiting(struct harness *h, struct h_peer *p, int count_zlbs);
/* Drop everything captured. */
void h_drain(struct harness *h);
/* Copy an AVP value of exactly `len` bytes out of a decoded message. */
void h_get_bytes(const struct l2tp_msg *m, uint16_t type, uint8_t *out, size_t len);

/* How many lines of a log buffer (log_buffer_on) hold needle. */
unsigned h_log_lines_with(const struct log_buf *b, const char *needle);

/* --- whole exchanges ------------------------------------------------------ */

/* The daemon as LNS: SCCRQ, SCCRP checked, SCCCN with the right response. */
struct h_peer *h_lns_tunnel(struct harness *h, const char *ip, uint16_t tid, const char *host);
/* An incoming call on it: ICRQ, ICRP, ICCN.  Returns the daemon's Session ID. */
uint16_t h_lns_call(struct harness *h, struct h_peer *p, uint16_t peer_sid);
/* The daemon as LAC has sent p an SCCRQ: answer with an SCCRP that passes
 * (and challenges), check the SCCCN. */
void h_lac_answer(struct harness *h, struct h_peer *p, const char *host);

#endif
