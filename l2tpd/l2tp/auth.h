/*
 * Tunnel authentication (RFC 2661 §4.2, §5.1.1): CHAP-like challenge and
 * response over the Challenge (11) and Challenge Response (13) AVPs.
 */
#ifndef L2TP_AUTH_H
#define L2TP_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct l2tp_tunnel;
struct l2tp_msg;
struct l2tp_msgbuf;

#define L2TP_CHALLENGE_LEN	16

/* response = MD5(msg_type octet | secret | challenge); msg_type is the type of
 * the message that carries the response: SCCRP (2) or SCCCN (3). */
void l2tp_auth_response(uint8_t msg_type, const uint8_t *secret, size_t secret_len,
			const uint8_t *challenge, size_t challenge_len, uint8_t out[16]);
/* Constant-time check of a received response; 0 if it matches. */
int l2tp_auth_check(uint8_t msg_type, const uint8_t *secret, size_t secret_len,
		    const uint8_t *challenge, size_t challenge_len,
		    const uint8_t *response, size_t response_len);

/* The tunnel's secret: the one RADIUS gave (Tunnel-Password), else its
 * group's; NULL (and *len 0) when it has none. */
const uint8_t *l2tp_auth_secret(const struct l2tp_tunnel *t, size_t *len);
/* A fresh Challenge in b, when the tunnel authenticates its peer (a secret,
 * and the group does not say `no l2tp tunnel authentication`). */
void l2tp_auth_put_challenge(struct l2tp_tunnel *t, struct l2tp_msgbuf *b);
/* The Challenge Response to the peer's Challenge, in a message of `type`
 * (SCCRP or SCCCN); nothing if it sent none; -ENOKEY without a secret. */
int l2tp_auth_put_response(struct l2tp_tunnel *t, struct l2tp_msgbuf *b, uint8_t type);
/* The peer's Challenge Response to ours, carried in `type`: 0, or -EACCES
 * (logged). */
int l2tp_auth_check_peer(struct l2tp_tunnel *t, const struct l2tp_msg *m, uint8_t type);

#endif
