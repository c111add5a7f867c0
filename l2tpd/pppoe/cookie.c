/*
 * The keyed AC-Cookie (pppoe/cookie.h).
 */
#include <errno.h>
#include <string.h>

#include <nettle/hmac.h>
#include <nettle/memops.h>

#include "pppoe/cookie.h"

#define STAMP_LEN	8	/* time, nonce */
#define MAC_LEN	(PPPOE_COOKIE_LEN - STAMP_LEN)

void pppoe_cookie_init(struct pppoe_cookie_key *k, uint32_t lifetime_s,
		       void (*draw)(void *buf, size_t len))
{
	draw(k->secret, sizeof k->secret);
	k->lifetime_s = lifetime_s;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void digest(const struct pppoe_cookie_key *k, const uint8_t stamp[STAMP_LEN],
		   uint32_t ifindex,
		   const uint8_t mac[PPPOE_ETH_ALEN], uint8_t out[MAC_LEN])
{
	struct hmac_sha256_ctx ctx;
	uint8_t ifx[4];

	put32(ifx, ifindex);
	hmac_sha256_set_key(&ctx, sizeof k->secret, k->secret);
	hmac_sha256_update(&ctx, sizeof ifx, ifx);
	hmac_sha256_update(&ctx, PPPOE_ETH_ALEN, mac);
	hmac_sha256_update(&ctx, STAMP_LEN, stamp);
	hmac_sha256_digest(&ctx, MAC_LEN, out);
}

void pppoe_cookie_make(const struct pppoe_cookie_key *k, uint32_t now_s, uint32_t nonce,
		       uint32_t ifindex, const uint8_t mac[PPPOE_ETH_ALEN],
		       uint8_t out[PPPOE_COOKIE_LEN])
{
	put32(out, now_s);
	put32(out + 4, nonce);
	digest(k, out, ifindex, mac, out + STAMP_LEN);
}

int pppoe_cookie_check(const struct pppoe_cookie_key *k, uint32_t now_s, uint32_t ifindex,
		       const uint8_t mac[PPPOE_ETH_ALEN], const uint8_t *cookie, size_t len)
{
	uint8_t want[MAC_LEN];
	uint32_t stamp;

	if (len != PPPOE_COOKIE_LEN)
		return -EBADMSG;
	digest(k, cookie, ifindex, mac, want);
	if (!memeql_sec(want, cookie + STAMP_LEN, MAC_LEN))
		return -EBADMSG;
	stamp = (uint32_t)cookie[0] << 24 | (uint32_t)cookie[1] << 16 |
		(uint32_t)cookie[2] << 8 | cookie[3];
	/* Ours, so never from the future; older than the lifetime: stale. */
	if (now_s - stamp > k->lifetime_s)
		return -ETIMEDOUT;
	return 0;
}
