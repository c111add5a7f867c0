/*
 * MS-CHAPv2 (RFC 2759): the hashes and messages.  The packet exchange is
 * CHAP's (ppp/chap.c, algorithm 0x81); this file is the cryptography of §8
 * and the text of the Success (§5) and Failure (§6) messages.
 */
#ifndef L2TP_PPP_MSCHAP_H
#define L2TP_PPP_MSCHAP_H

#include <stddef.h>
#include <stdint.h>

#define PPP_MSCHAP_CHALLENGE_LEN	16
#define PPP_MSCHAP_NTRESP_LEN		24
#define PPP_MSCHAP_RESPONSE_LEN		49	/* §4: peer challenge, 8 reserved, NT-Response, flags */
#define PPP_MSCHAP_HASH_LEN		16
#define PPP_MSCHAP_AUTHRESP_LEN		42	/* "S=" and 40 hex digits */
#define PPP_MSCHAP_ERR_AUTH_FAILURE	691

/* §8.2: the part of a user name that is hashed (without a "DOMAIN\" prefix). */
const char *ppp_mschap_user_part(const char *user);
/* §8.2 ChallengeHash */
void ppp_mschap_challenge_hash(const uint8_t peer_chal[16], const uint8_t auth_chal[16],
			       const char *user, uint8_t out[8]);
/* §8.3 NtPasswordHash: MD4 of the password in UTF-16LE (the password is
 * UTF-8; bytes that are not valid UTF-8 count as Latin-1). */
void ppp_mschap_nt_password_hash(const char *password, uint8_t out[16]);
/* §8.4 HashNtPasswordHash */
void ppp_mschap_hash_hash(const uint8_t hash[16], uint8_t out[16]);
/* §8.5 ChallengeResponse: three DES encryptions under the zero-padded hash */
void ppp_mschap_challenge_response(const uint8_t chal[8], const uint8_t hash[16],
				   uint8_t out[24]);
/* §8.1 GenerateNTResponse */
void ppp_mschap_nt_response(const uint8_t auth_chal[16], const uint8_t peer_chal[16],
			    const char *user, const char *password, uint8_t out[24]);
/* §8.7 GenerateAuthenticatorResponse: "S=" + 40 upper-case hex digits. */
void ppp_mschap_authenticator_response(const char *password, const uint8_t nt_resp[24],
				       const uint8_t peer_chal[16], const uint8_t auth_chal[16],
				       const char *user, char out[PPP_MSCHAP_AUTHRESP_LEN + 1]);
/* §6 Failure message "E=691 R=0 C=<32 hex> V=3 M=<text>" into buf. */
int ppp_mschap_failure_message(char *buf, size_t size, unsigned error, const uint8_t chal[16],
			       const char *text);
/* §5 Success message "S=<40 hex> M=<text>" into buf. */
int ppp_mschap_success_message(char *buf, size_t size, const char *auth_resp, const char *text);
/* Does a Success message carry this authenticator response? 1 if so. */
int ppp_mschap_success_matches(const uint8_t *msg, size_t len, const char *auth_resp);
/* Constant-time comparison; 0 if equal. */
int ppp_mschap_memcmp(const void *a, const void *b, size_t len);

#endif
