/*
 * The daemon's RADIUS client, on the event loop (no threads, nothing
 * blocks): the servers of `radius-server host`, in order; per request a
 * fresh Identifier on the server's socket, retransmission after
 * `radius-server timeout S` (default 5) up to `radius-server retransmit N`
 * (default 3) times, then the next server; a server that timed out is
 * dead for `radius-server deadtime MIN` (default 0 = never marked dead)
 * and skipped while others live.
 *
 * Access-Request always carries a Message-Authenticator (RFC 3579 §3.2,
 * RFC 5080 §2.2.2).  Replies: the Response Authenticator is verified, the
 * Message-Authenticator verified when present and REQUIRED on
 * Access-Accept/Reject/Challenge; anything wrong (bad authenticator,
 * unknown id, malformed, wrong code) is dropped and counted, and the
 * request keeps waiting.  Unknown attributes in replies are kept (the
 * caller ignores them) and counted.
 */
#ifndef L2TP_RADIUS_CLIENT_H
#define L2TP_RADIUS_CLIENT_H

#include <stdint.h>
#include "aaa/radius.h"
#include "core/hist.h"

struct l2tpd;
struct config_radius;

enum radius_kind { RADIUS_AUTH = 0, RADIUS_ACCT = 1 };
#define RADIUS_KINDS	2

struct radius_req;

/* status 0: reply (verified) in *m; -ETIMEDOUT: no server answered; -ENOENT: no server. */
typedef void (*radius_cb)(void *arg, int status, const struct radius_msg *m);

/* d->radius, from d->cfg.radius; called by l2tpd.c after the configuration is loaded. */
int radius_client_init(struct l2tpd *d);
void radius_client_free(struct l2tpd *d);
/*
 * A new RADIUS block (a reload).  Servers may be appended and keys changed
 * at any time; removing, reordering or re-addressing them, or changing the
 * source address, rebuilds the client, which needs it idle.  check: 0, or
 * -EBUSY with the reason; reconfigure (once d->cfg.radius is the new one):
 * 0 or -ENOMEM.
 */
int radius_client_check(const struct l2tpd *d, const struct config_radius *n, char *err,
			size_t errsz);
int radius_client_reconfigure(struct l2tpd *d);

/*
 * Takes a copy of p (attributes filled; code set); the client sets the
 * Identifier, the authenticator, the Message-Authenticator, Acct-Delay-Time
 * on retransmissions of accounting (with a new Identifier, RFC 5080
 * §2.2.1), and hides User-Password per server.  Returns 0 and *out (out may
 * be NULL if the caller never cancels) or a negative errno (-ENOENT: no
 * server for this kind).  The callback runs from the event loop, never
 * inside radius_send; after it the handle is gone.
 */
int radius_send(struct l2tpd *d, enum radius_kind kind, const struct radius_pkt *p, radius_cb cb,
		void *arg, struct radius_req **out);
void radius_cancel(struct radius_req *r);	/* the callback never runs */
int radius_configured(const struct l2tpd *d, enum radius_kind kind);	/* a server exists */
/*
 * Only inside a callback given a reply (status 0): the Request
 * Authenticator the reply was verified against and the secret of the
 * server that sent it, to decrypt its Tunnel-Password (RFC 2868 §3.5).
 * 0, or -ENOENT anywhere else.
 */
int radius_client_reply_auth(const struct l2tpd *d, uint8_t req_auth[RADIUS_AUTH_LEN],
			     const char **secret);

/* Counters of one server for one kind (`show radius server`). */
struct radius_stats {
	uint64_t requests;		/* requests handed to this server (first transmissions) */
	uint64_t retransmissions;
	uint64_t timeouts;		/* requests given up on this server */
	uint64_t accepts, rejects, challenges;	/* authentication */
	uint64_t responses;		/* Accounting-Response */
	uint64_t bad_authenticators;	/* Response Authenticator wrong */
	uint64_t bad_msgauth;		/* Message-Authenticator wrong */
	uint64_t missing_msgauth;	/* none on an Access-Accept/Reject/Challenge */
	uint64_t malformed;		/* did not parse */
	uint64_t unknown_ids;		/* no request waits with this Identifier */
	uint64_t wrong_codes;		/* a code that does not answer the request */
	uint64_t unknown_attrs;		/* attributes l2tpd does not know, in taken replies */
	uint64_t send_errors;		/* sendto() failed */
	uint64_t rtt_ms_sum;		/* for the average round-trip time of taken replies */
	struct hist latency;		/* round-trip times of taken replies (metrics) */
};

/* Server i (configuration order) for `kind`: NULL if there is none. */
const struct radius_stats *radius_client_stats(const struct l2tpd *d, unsigned i,
					       enum radius_kind kind);
/* Is server i dead (skipped) now? */
int radius_client_server_dead(const struct l2tpd *d, unsigned i);
/* Requests waiting for an answer (or for a free Identifier). */
unsigned radius_client_pending(const struct l2tpd *d);

/* The attribute dictionary (radius_dict.h), for the DAS's debug lines; NULL: built-in. */
struct radius_dict;
const struct radius_dict *radius_client_dict(const struct l2tpd *d);

/* What `show radius server|statistics` print of the client and of server
 * i (cli/cmd_aaa.c); -ENOENT without a client or such a server (zeros). */
struct radius_client_info {
	unsigned servers;		/* configured */
	unsigned pending;		/* requests waiting for an answer */
	uint64_t waited_for_id;		/* requests that had to wait for an Identifier */
	uint64_t counters_ms;		/* since the counters were cleared */
	const char *dictionary;		/* where the attribute names come from */
};

struct radius_server_info {
	const char *address;
	uint16_t auth_port, acct_port;	/* host order; 0: not used for that */
	int alive;
	uint64_t state_ms;		/* alive, or dead, for */
	uint64_t dead_remaining_ms;	/* dead: in use again in */
};

int radius_client_info(const struct l2tpd *d, struct radius_client_info *ci);
int radius_client_server_info(struct l2tpd *d, unsigned i, struct radius_server_info *si);
/* `clear radius statistics` */
void radius_client_clear_stats(struct l2tpd *d);

#endif
