/*
 * Tunnel authentication (RFC 2661 §4.2, §5.1.1): the response to a
 * challenge and its check (a tunnel's use of them: l2tp/tunnel_auth.c).
 */
#include <errno.h>
#include <nettle/md5.h>

#include "l2tp/auth.h"

/*
 * §4.2: the response is MD5 over the one-octet Message Type of the message
 * carrying it (SCCRP or SCCCN), the shared secret and the challenge, like
 * CHAP (RFC 1994) with the message type in place of the identifier.
 */
void l2tp_auth_response(uint8_t msg_type, const uint8_t *secret, size_t secret_len,
			const uint8_t *challenge, size_t challenge_len, uint8_t out[16])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, 1, &msg_type);
	md5_update(&ctx, secret_len, secret);
	md5_update(&ctx, challenge_len, challenge);
	md5_digest(&ctx, MD5_DIGEST_SIZE, out);
}

int l2tp_auth_check(uint8_t msg_type, const uint8_t *secret, size_t secret_len,
		    const uint8_t *challenge, size_t challenge_len,
		    const uint8_t *response, size_t response_len)
{
	uint8_t expect[MD5_DIGEST_SIZE];
	unsigned diff = 0;
	size_t i;

	/* §4.4.3: the Challenge Response value is exactly 16 octets */
	if (response == NULL || response_len != MD5_DIGEST_SIZE)
		return -EBADMSG;
	l2tp_auth_response(msg_type, secret, secret_len, challenge, challenge_len, expect);
	/* no early exit: the time taken does not depend on where they differ */
	for (i = 0; i < MD5_DIGEST_SIZE; i++)
		diff |= (unsigned)(expect[i] ^ response[i]);
	return diff == 0 ? 0 : -EACCES;
}
