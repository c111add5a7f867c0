/*
 * The AC-Cookie (RFC 2516 Appendix A: "used by the Access Concentrator to
 * aid in protecting against denial of service attacks"): a PADO carries a
 * cookie keyed on the subscriber's MAC, the access interface and the time,
 * so that a PADR without a PADO of ours, or with a cookie older than its
 * lifetime, gets nothing, and the AC keeps no state between PADO and PADR.
 *
 * cookie = time (4 octets, seconds of the monotonic clock) || nonce (4)
 *        || HMAC-SHA256(secret, ifindex || MAC || time || nonce) cut to 16
 *
 * The nonce (a counter of the AC's PADOs) makes each PADO's cookie its
 * own: two hosts behind one MAC asking in the same second get two, so a
 * PADR sent again is told from a second session's by its cookie alone.
 */
#ifndef PPPOE_COOKIE_H
#define PPPOE_COOKIE_H

#include <stddef.h>
#include <stdint.h>
#include "pppoe/proto.h"

#define PPPOE_COOKIE_LEN	24
#define PPPOE_COOKIE_SECRET	32

struct pppoe_cookie_key {
	uint8_t secret[PPPOE_COOKIE_SECRET];
	uint32_t lifetime_s;	/* a cookie older than this is stale */
};

/* A fresh secret from draw (the caller's source of unpredictable bytes). */
void pppoe_cookie_init(struct pppoe_cookie_key *k, uint32_t lifetime_s,
		       void (*draw)(void *buf, size_t len));
void pppoe_cookie_make(const struct pppoe_cookie_key *k, uint32_t now_s, uint32_t nonce,
		       uint32_t ifindex, const uint8_t mac[PPPOE_ETH_ALEN],
		       uint8_t out[PPPOE_COOKIE_LEN]);
/* 0 when the cookie is ours for this MAC and interface and young enough;
 * -EBADMSG when forged (or of another length), -ETIMEDOUT when stale. */
int pppoe_cookie_check(const struct pppoe_cookie_key *k, uint32_t now_s, uint32_t ifindex,
		       const uint8_t mac[PPPOE_ETH_ALEN], const uint8_t *cookie, size_t len);

#endif
