/*
 * Tunnel authentication (RFC 2661 §4.2, §5.1.1) as a tunnel uses it: its
 * secret, the Challenge it sends, the Challenge Response it puts and the
 * one it checks (the computation itself is l2tp/auth.c).
 */
#include <errno.h>
#include <string.h>

#include "core/rand_pool.h"
#include "l2tpd.h"
#include "l2tp/auth.h"
#include "l2tp/avp.h"
#include "l2tp/msg.h"
#include "l2tp/tunnel.h"
#include "l2tp/tunnel_int.h"

const uint8_t *l2tp_tunnel_auth_secret(const struct l2tp_tunnel *t, size_t *len)
{
	if (t->aaa_secret[0] != '\0') {
		*len = strlen(t->aaa_secret);
		return (const uint8_t *)t->aaa_secret;
	}
	if (t->grp == NULL || t->grp->password[0] == '\0') {
		*len = 0;
		return NULL;
	}
	*len = strlen(t->grp->password);
	return (const uint8_t *)t->grp->password;
}

static int auth_wanted(const struct l2tp_tunnel *t)
{
	/* a secret from RADIUS is used for authentication unless the group says no */
	if (l2tp_tunnel_auth_secret(t, &(size_t){ 0 }) == NULL)
		return 0;
	return t->grp == NULL || t->grp->authentication;
}

void l2tp_tunnel_auth_put_challenge(struct l2tp_tunnel *t, struct l2tp_msgbuf *b)
{
	if (!auth_wanted(t))
		return;
	rand_pool_bytes(&t->d->rand, t->challenge, sizeof(t->challenge));
	t->challenge_sent = 1;
	l2tp_avp_put(b, L2TP_AVP_CHALLENGE, t->challenge, sizeof(t->challenge), 0);
}

int l2tp_tunnel_auth_put_response(struct l2tp_tunnel *t, struct l2tp_msgbuf *b, uint8_t type)
{
	const uint8_t *secret;
	uint8_t resp[16];
	size_t slen;

	if (t->peer_challenge_len == 0)
		return 0;
	secret = l2tp_tunnel_auth_secret(t, &slen);
	if (secret == NULL)
		return -ENOKEY;
	l2tp_auth_response(type, secret, slen, t->peer_challenge, t->peer_challenge_len, resp);
	l2tp_avp_put(b, L2TP_AVP_CHALLENGE_RESPONSE, resp, sizeof(resp), 0);
	return 0;
}

int l2tp_tunnel_auth_check(struct l2tp_tunnel *t, const struct l2tp_msg *m, uint8_t type)
{
	const uint8_t *resp, *secret;
	size_t rlen, slen;

	if (!t->challenge_sent)
		return 0;
	if (l2tp_msg_get_bytes(m, L2TP_AVP_CHALLENGE_RESPONSE, &resp, &rlen) < 0) {
		tunnel_log(t, LOG_WARNING, "authentication failed: %s carries no Challenge Response",
			   l2tp_msg_type_name(type));
		return -EACCES;
	}
	secret = l2tp_tunnel_auth_secret(t, &slen);
	if (l2tp_auth_check(type, secret, slen, t->challenge, sizeof(t->challenge), resp, rlen) != 0) {
		tunnel_log(t, LOG_WARNING, "authentication failed: wrong Challenge Response from %s "
			   "(tunnel secrets differ)", t->peer_host[0] ? t->peer_host : "peer");
		return -EACCES;
	}
	return 0;
}
