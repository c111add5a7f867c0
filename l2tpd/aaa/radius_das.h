/*
 * RFC 5176 Dynamic Authorization Server: `aaa server radius dynamic-author`
 * with ` client A [server-key K]`, ` server-key K` and ` port P` (default
 * 3799).  UDP on a port of our own; requests from a configured client only,
 * the Request Authenticator verified (RFC 5176 §3.5: MD5 over the packet
 * with a zero authenticator and the secret), the Message-Authenticator
 * verified when present; a request with an Event-Timestamp more than 300 s
 * off is discarded (§4.2); a duplicate (same source, Identifier and
 * authenticator within 30 s) is answered from a cache without acting
 * twice.  The answer is an ACK, or a NAK with Error-Cause, with its
 * Response Authenticator (and a Message-Authenticator when the request
 * had one).
 */
#ifndef L2TP_RADIUS_DAS_H
#define L2TP_RADIUS_DAS_H

#include <stdint.h>
#include "aaa/radius.h"

struct l2tpd;

int radius_das_init(struct l2tpd *d);	/* d->das; nothing when not configured */
void radius_das_free(struct l2tpd *d);

/*
 * Implemented by aaa/aaa.c; the DAS calls them with a verified request: they
 * return 0 (ACK) or a negative errno and set *error_cause (NAK; RFC 5176
 * §3.5 values, enum radius_error_cause).
 */
int aaa_das_disconnect(struct l2tpd *d, const struct radius_msg *m, uint32_t *error_cause);
int aaa_das_coa(struct l2tpd *d, const struct radius_msg *m, uint32_t *error_cause);

struct radius_das_stats {
	uint64_t disconnect_requests, coa_requests;	/* verified, handed to aaa/aaa.c */
	uint64_t disconnect_acks, disconnect_naks, coa_acks, coa_naks;
	uint64_t unknown_clients;	/* from an address that is no `client` */
	uint64_t bad_authenticators;	/* Request Authenticator wrong (wrong key) */
	uint64_t bad_msgauth;		/* Message-Authenticator wrong */
	uint64_t malformed;
	uint64_t unknown_codes;		/* not a Disconnect- or CoA-Request */
	uint64_t stale;			/* Event-Timestamp outside the window */
	uint64_t duplicates;		/* answered from the cache */
	uint64_t send_errors;
};

const struct radius_das_stats *radius_das_stats(const struct l2tpd *d);	/* NULL: no DAS */
/* The port it listens on (host order), 0 without a DAS. */
uint16_t radius_das_port(const struct l2tpd *d);
void radius_das_clear_stats(struct l2tpd *d);

#endif
