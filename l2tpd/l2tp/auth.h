/*
 * Tunnel authentication (RFC 2661 §4.2, §5.1.1): CHAP-like challenge and
 * response over the Challenge (11) and Challenge Response (13) AVPs.
 */
#ifndef L2TP_AUTH_H
#define L2TP_AUTH_H

#include <stddef.h>
#include <stdint.h>


#define L2TP_CHALLENGE_LEN	16

/* response = MD5(msg_type octet | secret | challenge); msg_type is the type of
 * the message that carries the response: SCCRP (2) or SCCCN (3). */
void l2tp_auth_response(uint8_t msg_type, const uint8_t *secret, size_t secret_len,
			const uint8_t *challenge, size_t challenge_len, uint8_t out[16]);
/* Constant-time check of a received response; 0 if it matches. */
int l2tp_auth_check(uint8_t msg_type, const uint8_t *secret, size_t secret_len,
		    const uint8_t *challenge, size_t challenge_len,
		    const uint8_t *response, size_t response_len);

#endif
