/*
 * CHAP, RFC 1994 §4, with MD5 or MS-CHAPv2 (see ppp_chap.h).
 *
 *   Challenge/Response: Code 1/2, Id, Length, Value-Size, Value, Name
 *   Success/Failure:    Code 3/4, Id, Length, Message
 *
 * MS-CHAPv2 (RFC 2759 §3-§6): the Challenge value is 16 octets, the
 * Response value 49 (peer challenge, 8 reserved, NT-Response, flags), the
 * Success message "S=<authenticator response> M=<text>", the Failure
 * message "E=691 R=0 C=<challenge> V=3 M=<text>".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/md5.h>

#include "ppp/ppp.h"

void ppp_chap_md5(uint8_t id, const uint8_t *secret, size_t secret_len, const uint8_t *chal,
		  size_t chal_len, uint8_t out[16])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, 1, &id);
	md5_update(&ctx, secret_len, secret);
	md5_update(&ctx, chal_len, chal);
	md5_digest(&ctx, 16, out);
}

static const char *ppp_chap_name(const struct ppp_chap *c)
{
	return c->method == PPP_AUTH_MSCHAPV2 ? "MS-CHAPv2" : "CHAP";
}

static void ppp_chap_send(struct ppp_chap *c, uint8_t code, uint8_t id, const uint8_t *data,
			  size_t len)
{
	uint8_t pkt[PPP_HDRLEN + 512];

	if (len > sizeof(pkt) - PPP_HDRLEN)
		len = sizeof(pkt) - PPP_HDRLEN;
	pkt[0] = code;
	pkt[1] = id;
	ppp_put16(pkt + 2, (uint16_t)(len + PPP_HDRLEN));
	memcpy(pkt + PPP_HDRLEN, data, len);
	ppp_debug(c->ppp, LOG_DBG_PACKET, "%s: sent code %u id %u len %zu", ppp_chap_name(c), code,
		  id, len + PPP_HDRLEN);
	ppp_output(c->ppp, PPP_PROTO_CHAP, pkt, len + PPP_HDRLEN);
}

static int ppp_chap_bad(struct ppp_chap *c, const char *why)
{
	PPP_COUNT(c->ppp, auth_rx_bad);
	ppp_log(c->ppp, LOG_NOTICE, "%s: %s: dropped", ppp_chap_name(c), why);
	return -EBADMSG;
}

/* --- authenticator ---------------------------------------------------------------- */

/* §4.1: a fresh Identifier and a fresh value every time. */
static void ppp_chap_send_challenge(struct ppp_chap *c)
{
	struct ppp *p = c->ppp;
	uint8_t data[1 + PPP_CHAP_CHALLENGE_LEN + PPP_NAME_MAX];
	size_t nlen = strlen(p->cfg.hostname);

	c->id = c->next_id++;
	ppp_random(p, c->challenge, sizeof(c->challenge));
	data[0] = PPP_CHAP_CHALLENGE_LEN;
	memcpy(data + 1, c->challenge, PPP_CHAP_CHALLENGE_LEN);
	memcpy(data + 1 + PPP_CHAP_CHALLENGE_LEN, p->cfg.hostname, nlen);
	ppp_chap_send(c, PPP_CHAP_CHALLENGE, c->id, data, 1 + PPP_CHAP_CHALLENGE_LEN + nlen);
	clock_timer_start(p->io.clk, &c->timer, p->cfg.restart_ms);
}

static void ppp_chap_send_result(struct ppp_chap *c)
{
	static const char none[] = "";
	const char *m = c->result_msg != NULL ? c->result_msg : none;

	ppp_chap_send(c, c->result_code, c->id, (const uint8_t *)m, strlen(m));
}

/* Authenticator: a Response. */
static int ppp_chap_rresponse(struct ppp_chap *c, uint8_t id, const uint8_t *d, size_t len)
{
	struct ppp *p = c->ppp;
	struct ppp_auth_req req;
	size_t vs, nlen, want;

	if (!c->authenticator)
		return ppp_chap_bad(c, "Response to the peer");
	if (len < 1 || (vs = d[0]) > len - 1)
		return ppp_chap_bad(c, "malformed Response");
	want = c->method == PPP_AUTH_MSCHAPV2 ? PPP_MSCHAP_RESPONSE_LEN : 16;
	if (vs != want)
		return ppp_chap_bad(c, "Response value of a wrong size");
	nlen = len - 1 - vs;
	if (nlen > PPP_NAME_MAX || memchr(d + 1 + vs, 0, nlen) != NULL)
		return ppp_chap_bad(c, "Response with an unusable Name");
	if (id != c->id)
		return ppp_chap_bad(c, "Response with a wrong Identifier");
	switch (c->state) {
	case PPP_CHAP_WAIT:
		break;
	case PPP_CHAP_PENDING:
		return 0;	/* a repeat while AAA decides */
	case PPP_CHAP_DONE:
		/* §4.2: our Success was lost, say it again */
		ppp_chap_send_result(c);
		return 0;
	default:
		return ppp_chap_bad(c, "unexpected Response");
	}
	clock_timer_stop(p->io.clk, &c->timer);
	memset(&req, 0, sizeof(req));
	req.method = c->method;
	memcpy(req.user, d + 1 + vs, nlen);
	req.user[nlen] = '\0';
	req.id = id;
	memcpy(req.challenge, c->challenge, PPP_CHAP_CHALLENGE_LEN);
	req.challenge_len = PPP_CHAP_CHALLENGE_LEN;
	if (c->method == PPP_AUTH_MSCHAPV2) {
		memcpy(req.peer_challenge, d + 1, PPP_MSCHAP_CHALLENGE_LEN);
		memcpy(req.nt_response, d + 1 + PPP_MSCHAP_CHALLENGE_LEN + 8, PPP_MSCHAP_NTRESP_LEN);
	} else {
		memcpy(req.response, d + 1, 16);
	}
	c->state = PPP_CHAP_PENDING;
	ppp_auth_submit(p, &req);
	return 0;
}

void ppp_chap_auth_done(struct ppp_chap *c, int ok, const char *msg, const char *auth_resp)
{
	struct ppp *p = c->ppp;
	uint8_t chal[16];
	char res[PPP_CHAP_MSG_MAX];

	if (c->state != PPP_CHAP_PENDING)
		return;
	if (ok && c->method == PPP_AUTH_MSCHAPV2 &&
	    (auth_resp == NULL || strlen(auth_resp) != PPP_MSCHAP_AUTHRESP_LEN ||
	     auth_resp[0] != 'S' || auth_resp[1] != '=')) {
		ppp_log(p, LOG_ERR, "MS-CHAPv2: accepted without an authenticator response: refused");
		ok = 0;
		msg = "no authenticator response";
	}
	if (c->method == PPP_AUTH_MSCHAPV2) {
		if (ok) {
			ppp_mschap_success_message(res, sizeof(res), auth_resp,
						   msg ? msg : "Access granted");
		} else {
			ppp_random(c->ppp, chal, sizeof(chal));
			ppp_mschap_failure_message(res, sizeof(res),
						   PPP_MSCHAP_ERR_AUTH_FAILURE, chal,
						   msg ? msg : "Authentication failed");
		}
	} else {
		const char *m = msg ? msg : ok ? "Access granted" : "Authentication failed";
		size_t n = strnlen(m, sizeof(res) - 1);

		memcpy(res, m, n);	/* snprintf("%s") cost more than the rest */
		res[n] = '\0';
	}
	if (ppp_str_set(&c->result_msg, res, sizeof(res)) < 0) {
		/* kept for a repeated Response: without it, refuse */
		ppp_log(p, LOG_ERR, "%s: out of memory: refused", ppp_chap_name(c));
		ok = 0;
		free(c->result_msg);
		c->result_msg = NULL;
	}
	c->result_code = ok ? PPP_CHAP_SUCCESS : PPP_CHAP_FAILURE;
	c->state = ok ? PPP_CHAP_DONE : PPP_CHAP_FAILED;
	ppp_chap_send_result(c);
	ppp_auth_finished(p, ok, ok ? NULL : "CHAP authentication failed");
}

/* --- peer ----------------------------------------------------------------------- */

static int ppp_chap_rchallenge(struct ppp_chap *c, uint8_t id, const uint8_t *d, size_t len)
{
	struct ppp *p = c->ppp;
	const struct ppp_link_cfg *cfg = &p->cfg;
	struct ppp_chap_peer *r = c->peer;
	uint8_t *v;
	size_t vs, ulen = strlen(cfg->user);
	uint8_t peer_chal[PPP_MSCHAP_CHALLENGE_LEN];

	if (c->authenticator)
		return ppp_chap_bad(c, "Challenge to the authenticator");
	if (len < 1 || (vs = d[0]) > len - 1 || vs == 0)
		return ppp_chap_bad(c, "malformed Challenge");
	if (c->state == PPP_CHAP_FAILED)
		return 0;
	if (r == NULL && (r = c->peer = calloc(1, sizeof(*r))) == NULL) {
		ppp_log(p, LOG_ERR, "%s: out of memory: Challenge dropped", ppp_chap_name(c));
		return -ENOMEM;
	}
	v = r->resp + 1;
	if (c->method == PPP_AUTH_MSCHAPV2) {
		if (vs != PPP_MSCHAP_CHALLENGE_LEN)
			return ppp_chap_bad(c, "MS-CHAPv2 Challenge of a wrong size");
		ppp_random(c->ppp, peer_chal, sizeof(peer_chal));
		memcpy(v, peer_chal, 16);
		memset(v + 16, 0, 8);
		ppp_mschap_nt_response(d + 1, peer_chal, cfg->user, cfg->password, v + 24);
		v[48] = 0;	/* flags */
		ppp_mschap_authenticator_response(cfg->password, v + 24, peer_chal, d + 1, cfg->user,
						  r->expect_auth);
		r->resp[0] = PPP_MSCHAP_RESPONSE_LEN;
	} else {
		ppp_chap_md5(id, (const uint8_t *)cfg->password, strlen(cfg->password), d + 1, vs, v);
		r->resp[0] = 16;
	}
	memcpy(r->resp + 1 + r->resp[0], cfg->user, ulen);
	r->resp_len = 1 + (size_t)r->resp[0] + ulen;
	c->id = id;
	ppp_chap_send(c, PPP_CHAP_RESPONSE, id, r->resp, r->resp_len);
	if (c->state == PPP_CHAP_DONE)
		return 0;	/* a rechallenge (§4.1) of an authenticated link */
	c->state = PPP_CHAP_RESPONDED;
	c->tries = 0;
	clock_timer_start(p->io.clk, &c->timer, p->cfg.restart_ms);
	return 0;
}

static int ppp_chap_rresult(struct ppp_chap *c, uint8_t code, uint8_t id, const uint8_t *d,
			    size_t len)
{
	struct ppp *p = c->ppp;

	if (c->authenticator)
		return ppp_chap_bad(c, "Success/Failure to the authenticator");
	if (c->state != PPP_CHAP_RESPONDED)
		return 0;	/* late duplicate */
	if (id != c->id)
		return ppp_chap_bad(c, "Success/Failure with a wrong Identifier");
	clock_timer_stop(p->io.clk, &c->timer);
	if (code == PPP_CHAP_SUCCESS && c->method == PPP_AUTH_MSCHAPV2 &&
	    !ppp_mschap_success_matches(d, len, c->peer != NULL ? c->peer->expect_auth : "")) {
		/* RFC 2759 §5: the authenticator did not prove it knows the password */
		c->state = PPP_CHAP_FAILED;
		ppp_log(p, LOG_WARNING, "MS-CHAPv2: the authenticator's response is wrong");
		ppp_auth_finished(p, 0, "MS-CHAPv2 authenticator response wrong");
		return 0;
	}
	if (code == PPP_CHAP_SUCCESS) {
		c->state = PPP_CHAP_DONE;
		ppp_debug(p, LOG_DBG_EVENT, "%s: authenticated", ppp_chap_name(c));
		ppp_auth_finished(p, 1, NULL);
	} else {
		c->state = PPP_CHAP_FAILED;
		ppp_log(p, LOG_NOTICE, "%s: refused: %.*s", ppp_chap_name(c), (int)(len > 128 ? 128 : len),
			(const char *)d);
		ppp_auth_finished(p, 0, "CHAP authentication refused by the peer");
	}
	return 0;
}

/* --- timers, life cycle, input --------------------------------------------------- */

static void ppp_chap_timeout(struct l2tp_timer *t, void *arg)
{
	struct ppp_chap *c = arg;
	struct ppp *p = c->ppp;

	ppp_enter(p);
	if (c->state != PPP_CHAP_WAIT && c->state != PPP_CHAP_RESPONDED)
		goto out;
	if (++c->tries >= PPP_FSM_MAX_CONFIGURE) {
		c->state = PPP_CHAP_FAILED;
		ppp_log(p, LOG_NOTICE, "%s: no answer after %u tries", ppp_chap_name(c), c->tries);
		ppp_auth_finished(p, 0, c->authenticator ? "no CHAP Response" : "no CHAP result");
		goto out;
	}
	PPP_COUNT(p, auth_retransmits);
	if (c->authenticator) {
		ppp_chap_send_challenge(c);
	} else {
		/* a proxied subscriber (ppp_open_proxied_peer) has none */
		static const uint8_t none[1];

		if (c->peer != NULL)
			ppp_chap_send(c, PPP_CHAP_RESPONSE, c->id, c->peer->resp, c->peer->resp_len);
		else
			ppp_chap_send(c, PPP_CHAP_RESPONSE, c->id, none, 0);
		clock_timer_start(p->io.clk, &c->timer, p->cfg.restart_ms);
	}
out:
	ppp_leave(p);
}

void ppp_chap_init(struct ppp_chap *c, struct ppp *p)
{
	memset(c, 0, sizeof(*c));
	c->ppp = p;
	ppp_random(p, &c->next_id, 1);
	clock_timer_init(&c->timer, ppp_chap_timeout, c);
}

void ppp_chap_start(struct ppp_chap *c, int authenticator, enum ppp_auth_method method)
{
	c->authenticator = authenticator;
	c->method = method;
	c->tries = 0;
	c->state = PPP_CHAP_WAIT;
	if (authenticator)
		ppp_chap_send_challenge(c);
}

void ppp_chap_stop(struct ppp_chap *c)
{
	clock_timer_stop(c->ppp->io.clk, &c->timer);
	c->state = PPP_CHAP_IDLE;
}

void ppp_chap_free(struct ppp_chap *c)
{
	free(c->result_msg);
	c->result_msg = NULL;
	if (c->peer != NULL)
		explicit_bzero(c->peer, sizeof(*c->peer));
	free(c->peer);
	c->peer = NULL;
}

int ppp_chap_input(struct ppp_chap *c, const uint8_t *buf, size_t len)
{
	size_t plen;

	if (len < PPP_HDRLEN)
		return ppp_chap_bad(c, "short packet");
	plen = ppp_get16(buf + 2);
	if (plen < PPP_HDRLEN || plen > len)
		return ppp_chap_bad(c, "Length field past the packet");
	if (c->state == PPP_CHAP_IDLE)
		return ppp_chap_bad(c, "CHAP is not running");
	buf += PPP_HDRLEN;
	plen -= PPP_HDRLEN;
	switch (buf[-PPP_HDRLEN]) {
	case PPP_CHAP_CHALLENGE:
		return ppp_chap_rchallenge(c, buf[-PPP_HDRLEN + 1], buf, plen);
	case PPP_CHAP_RESPONSE:
		return ppp_chap_rresponse(c, buf[-PPP_HDRLEN + 1], buf, plen);
	case PPP_CHAP_SUCCESS:
	case PPP_CHAP_FAILURE:
		return ppp_chap_rresult(c, buf[-PPP_HDRLEN], buf[-PPP_HDRLEN + 1], buf, plen);
	default:
		return ppp_chap_bad(c, "unknown code");
	}
}

/* --- the local user base (ppp.h) ------------------------------------------------ */

int ppp_auth_check_local(const struct ppp_auth_req *req, const char *password,
			 struct ppp_auth_reply *r)
{
	uint8_t want[PPP_MSCHAP_NTRESP_LEN];
	size_t pwlen;
	int bad;

	if (req == NULL || password == NULL)
		return -EINVAL;
	pwlen = strlen(password);
	switch (req->method) {
	case PPP_AUTH_PAP:
		/* constant time over the stored password's length */
		bad = req->password_len != pwlen;
		bad |= ppp_mschap_memcmp(req->password, password,
					 pwlen <= req->password_len ? pwlen : req->password_len);
		return bad ? -EACCES : 0;
	case PPP_AUTH_CHAP_MD5:
		if (req->challenge_len == 0 || req->challenge_len > sizeof(req->challenge))
			return -EINVAL;
		ppp_chap_md5(req->id, (const uint8_t *)password, pwlen, req->challenge,
			     req->challenge_len, want);
		return ppp_mschap_memcmp(want, req->response, 16) ? -EACCES : 0;
	case PPP_AUTH_MSCHAPV2:
		if (req->challenge_len != PPP_MSCHAP_CHALLENGE_LEN)
			return -EINVAL;
		ppp_mschap_nt_response(req->challenge, req->peer_challenge, req->user, password,
				       want);
		if (ppp_mschap_memcmp(want, req->nt_response, PPP_MSCHAP_NTRESP_LEN))
			return -EACCES;
		if (r != NULL)
			ppp_mschap_authenticator_response(password, req->nt_response,
							  req->peer_challenge, req->challenge,
							  req->user, r->mschap_auth_response);
		return 0;
	default:
		return -EINVAL;
	}
}
