/*
 * PAP, RFC 1334 §2 (see ppp_pap.h).
 *
 *   Authenticate-Request: Code 1, Id, Length, Peer-ID-Length, Peer-ID,
 *                         Passwd-Length, Password
 *   Authenticate-Ack/Nak: Code 2/3, Id, Length, Msg-Length, Message
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ppp/ppp.h"

static void ppp_pap_send(struct ppp_pap *pap, uint8_t code, uint8_t id, const uint8_t *a,
			 size_t alen, const uint8_t *b, size_t blen, int two_fields)
{
	uint8_t pkt[PPP_HDRLEN + 2 + 255 + 255];
	size_t len = PPP_HDRLEN;

	if (alen > 255)
		alen = 255;
	if (blen > 255)
		blen = 255;
	pkt[0] = code;
	pkt[1] = id;
	pkt[len++] = (uint8_t)alen;
	memcpy(pkt + len, a, alen);
	len += alen;
	if (two_fields) {
		pkt[len++] = (uint8_t)blen;
		memcpy(pkt + len, b, blen);
		len += blen;
	}
	ppp_put16(pkt + 2, (uint16_t)len);
	ppp_debug(pap->ppp, LOG_DBG_PACKET, "PAP: sent code %u id %u len %zu", code, id, len);
	ppp_output(pap->ppp, PPP_PROTO_PAP, pkt, len);
}

static void ppp_pap_send_request(struct ppp_pap *pap)
{
	const struct ppp_link_cfg *cfg = &pap->ppp->cfg;

	ppp_pap_send(pap, PPP_PAP_AUTH_REQ, pap->id, (const uint8_t *)cfg->user, strlen(cfg->user),
		     (const uint8_t *)cfg->password, strlen(cfg->password), 1);
}

/* Peer: no answer yet, send the request again (same Identifier: the
 * request has not changed). */
static void ppp_pap_timeout(struct l2tp_timer *t, void *arg)
{
	struct ppp_pap *pap = arg;
	struct ppp *p = pap->ppp;

	ppp_enter(p);
	if (pap->state != PPP_PAP_WAIT || pap->authenticator)
		goto out;
	if (++pap->tries >= PPP_FSM_MAX_CONFIGURE) {
		pap->state = PPP_PAP_FAILED;
		ppp_log(p, LOG_NOTICE, "PAP: no answer to %u Authenticate-Requests", pap->tries);
		ppp_auth_finished(p, 0, "no answer to PAP Authenticate-Request");
		goto out;
	}
	PPP_COUNT(p, auth_retransmits);
	ppp_pap_send_request(pap);
	clock_timer_start(p->io.clk, &pap->timer, p->cfg.restart_ms);
out:
	ppp_leave(p);
}

void ppp_pap_init(struct ppp_pap *pap, struct ppp *p)
{
	memset(pap, 0, sizeof(*pap));
	pap->ppp = p;
	clock_timer_init(&pap->timer, ppp_pap_timeout, pap);
}

void ppp_pap_start(struct ppp_pap *pap, int authenticator)
{
	struct ppp *p = pap->ppp;

	pap->authenticator = authenticator;
	pap->state = PPP_PAP_WAIT;
	pap->tries = 0;
	if (authenticator)
		return;	/* §2.1: the peer speaks first */
	pap->id = pap->next_id++;
	ppp_pap_send_request(pap);
	clock_timer_start(p->io.clk, &pap->timer, p->cfg.restart_ms);
}

void ppp_pap_stop(struct ppp_pap *pap)
{
	clock_timer_stop(pap->ppp->io.clk, &pap->timer);
	pap->state = PPP_PAP_IDLE;
}

void ppp_pap_free(struct ppp_pap *pap)
{
	free(pap->result_msg);
	pap->result_msg = NULL;
}

static int ppp_pap_bad(struct ppp_pap *pap, const char *why)
{
	PPP_COUNT(pap->ppp, auth_rx_bad);
	ppp_log(pap->ppp, LOG_NOTICE, "PAP: %s: dropped", why);
	return -EBADMSG;
}

/* Authenticator: an Authenticate-Request. */
static int ppp_pap_rauthreq(struct ppp_pap *pap, uint8_t id, const uint8_t *d, size_t len)
{
	struct ppp *p = pap->ppp;
	struct ppp_auth_req req;
	size_t ulen, plen;

	if (!pap->authenticator)
		return ppp_pap_bad(pap, "Authenticate-Request to the peer");
	if (len < 1 || (ulen = d[0]) > len - 1 || len - 1 - ulen < 1 ||
	    (plen = d[1 + ulen]) > len - 2 - ulen)
		return ppp_pap_bad(pap, "malformed Authenticate-Request");
	switch (pap->state) {
	case PPP_PAP_WAIT:
		break;
	case PPP_PAP_PENDING:
		return 0;	/* a repeat while AAA decides */
	case PPP_PAP_DONE:
		/* our Ack was lost: answer again (§2.2.1) */
		ppp_pap_send(pap, pap->result_code, id, (const uint8_t *)pap->result_msg,
			     pap->result_msg != NULL ? strlen(pap->result_msg) : 0, NULL, 0, 0);
		return 0;
	default:
		return ppp_pap_bad(pap, "unexpected Authenticate-Request");
	}
	if (memchr(d + 1, 0, ulen) != NULL)
		return ppp_pap_bad(pap, "Peer-ID with a NUL octet");
	memset(&req, 0, sizeof(req));
	req.method = PPP_AUTH_PAP;
	memcpy(req.user, d + 1, ulen);
	req.user[ulen] = '\0';
	memcpy(req.password, d + 2 + ulen, plen);
	req.password_len = plen;
	req.id = id;
	pap->id = id;
	pap->state = PPP_PAP_PENDING;
	ppp_auth_submit(p, &req);
	memset(&req, 0, sizeof(req));
	return 0;
}

void ppp_pap_auth_done(struct ppp_pap *pap, int ok, const char *msg)
{
	struct ppp *p = pap->ppp;

	if (pap->state != PPP_PAP_PENDING)
		return;
	if (ppp_str_set(&pap->result_msg, msg ? msg : ok ? "Login ok" : "Login incorrect",
			PPP_PAP_MSG_MAX) < 0) {
		ok = 0;
		ppp_str_set(&pap->result_msg, "", 1);
		ppp_log(p, LOG_ERR, "PAP: out of memory: refused");
	}
	pap->result_code = ok ? PPP_PAP_AUTH_ACK : PPP_PAP_AUTH_NAK;
	pap->state = ok ? PPP_PAP_DONE : PPP_PAP_FAILED;
	ppp_pap_send(pap, pap->result_code, pap->id, (const uint8_t *)pap->result_msg,
		     pap->result_msg != NULL ? strlen(pap->result_msg) : 0, NULL, 0, 0);
	ppp_auth_finished(p, ok, ok ? NULL : "PAP authentication failed");
}

/* Peer: Authenticate-Ack or -Nak. */
static int ppp_pap_rreply(struct ppp_pap *pap, uint8_t code, uint8_t id, const uint8_t *d,
			  size_t len)
{
	struct ppp *p = pap->ppp;
	size_t mlen;

	if (pap->authenticator)
		return ppp_pap_bad(pap, "Authenticate-Ack/Nak to the authenticator");
	if (len < 1 || (mlen = d[0]) > len - 1)
		return ppp_pap_bad(pap, "malformed Authenticate-Ack/Nak");
	if (pap->state != PPP_PAP_WAIT)
		return 0;	/* a late duplicate */
	if (id != pap->id)
		return ppp_pap_bad(pap, "Authenticate-Ack/Nak with a wrong Identifier");
	clock_timer_stop(p->io.clk, &pap->timer);
	if (code == PPP_PAP_AUTH_ACK) {
		pap->state = PPP_PAP_DONE;
		ppp_debug(p, LOG_DBG_EVENT, "PAP: authenticated");
		ppp_auth_finished(p, 1, NULL);
	} else {
		pap->state = PPP_PAP_FAILED;
		ppp_log(p, LOG_NOTICE, "PAP: refused: %.*s", (int)mlen, (const char *)d + 1);
		ppp_auth_finished(p, 0, "PAP authentication refused by the peer");
	}
	return 0;
}

int ppp_pap_input(struct ppp_pap *pap, const uint8_t *buf, size_t len)
{
	size_t plen;

	if (len < PPP_HDRLEN)
		return ppp_pap_bad(pap, "short packet");
	plen = ppp_get16(buf + 2);
	if (plen < PPP_HDRLEN || plen > len)
		return ppp_pap_bad(pap, "Length field past the packet");
	if (pap->state == PPP_PAP_IDLE)
		return ppp_pap_bad(pap, "PAP is not running");
	switch (buf[0]) {
	case PPP_PAP_AUTH_REQ:
		return ppp_pap_rauthreq(pap, buf[1], buf + PPP_HDRLEN, plen - PPP_HDRLEN);
	case PPP_PAP_AUTH_ACK:
	case PPP_PAP_AUTH_NAK:
		return ppp_pap_rreply(pap, buf[0], buf[1], buf + PPP_HDRLEN, plen - PPP_HDRLEN);
	default:
		return ppp_pap_bad(pap, "unknown code");
	}
}
