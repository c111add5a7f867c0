/*
 * The proxy LCP and authentication hook (pppoe/proxy.h).
 */
#include <string.h>

#include "pppoe/proxy.h"

#define PROTO_LCP	0xc021
#define PROTO_PAP	0xc023
#define PROTO_CHAP	0xc223
#define CODE_CONFREQ	1	/* RFC 1661 §5.1 */
#define PAP_AUTH_REQ	1	/* RFC 1334 §2.2.1 */
#define CHAP_CHALLENGE	1	/* RFC 1994 §4.1 */
#define CHAP_RESPONSE	2

static void keep(uint8_t *dst, struct pppoe_proxy_bytes *l, const uint8_t *src, size_t n)
{
	if (n > PPPOE_PROXY_CONFREQ_MAX)
		n = PPPOE_PROXY_CONFREQ_MAX;
	memcpy(dst, src, n);
	l->len = (uint16_t)n;
	l->present = 1;
}

static void note_confreq(struct pppoe_lac_proxy *p, int from_peer, const uint8_t *opt, size_t n)
{
	if (!from_peer) {
		keep(p->last_tx, &p->last_tx_len, opt, n);
		return;
	}
	if (!p->initial_rx_len.present)
		keep(p->initial_rx, &p->initial_rx_len, opt, n);
	keep(p->last_rx, &p->last_rx_len, opt, n);
}

static void set_name(struct pppoe_lac_proxy *p, const uint8_t *s, size_t n)
{
	if (n > PPPOE_PROXY_NAME_MAX)
		n = PPPOE_PROXY_NAME_MAX;
	memcpy(p->auth_name, s, n);
	p->auth_name[n] = '\0';
}

/* PAP Authenticate-Request: Peer-ID Length, Peer-ID, Passwd-Length, Password. */
static int note_pap(struct pppoe_lac_proxy *p, uint8_t id, const uint8_t *d, size_t n)
{
	size_t idl, pwl;

	if (n < 1 || (idl = d[0]) + 2 > n || (pwl = d[1 + idl]) + idl + 2 > n)
		return -1;
	p->auth_type = PPPOE_PROXY_AUTH_PAP;
	p->auth_id = id;	/* §4.4.5 Proxy Authen ID: the PPP Identifier, PAP too */
	set_name(p, d + 1, idl);
	memcpy(p->response, d + 2 + idl, pwl);
	p->response_len = (uint16_t)pwl;
	return 0;
}

/* CHAP Challenge (ours) or Response (the peer's): Value-Size, Value, Name. */
static int note_chap(struct pppoe_lac_proxy *p, int from_peer, uint8_t code, uint8_t id,
		     const uint8_t *d, size_t n)
{
	size_t vl;

	if (n < 1 || (vl = d[0]) + 1 > n)
		return -1;
	if (!from_peer && code == CHAP_CHALLENGE) {
		if (vl > PPPOE_PROXY_CHAL_MAX)
			return -1;
		memcpy(p->challenge, d + 1, vl);
		p->challenge_len = (uint16_t)vl;
		p->auth_id = id;
	} else if (from_peer && code == CHAP_RESPONSE) {
		p->auth_type = PPPOE_PROXY_AUTH_CHAP;
		memcpy(p->response, d + 1, vl);
		p->response_len = (uint16_t)vl;
		p->auth_id = id;
		set_name(p, d + 1 + vl, n - 1 - vl);
	}
	return 0;
}

void pppoe_proxy_note(struct pppoe_lac_proxy *p, int from_peer, const uint8_t *frame,
		      size_t len)
{
	uint16_t proto, plen;
	const uint8_t *d;
	int r = 0;

	if (len >= 2 && frame[0] == 0xff && frame[1] == 0x03) {
		frame += 2;
		len -= 2;
	}
	if (len < 2)
		return;
	proto = (uint16_t)(frame[0] << 8 | frame[1]);
	if (proto != PROTO_LCP && proto != PROTO_PAP && proto != PROTO_CHAP)
		return;
	/* code, identifier, length (RFC 1661 §5): the length covers the header */
	if (len < 6 || (plen = (uint16_t)(frame[4] << 8 | frame[5])) < 4 || plen > len - 2) {
		p->malformed++;
		return;
	}
	d = frame + 6;
	plen -= 4;
	if (proto == PROTO_LCP && frame[2] == CODE_CONFREQ)
		note_confreq(p, from_peer, d, plen);
	else if (proto == PROTO_PAP && from_peer && frame[2] == PAP_AUTH_REQ)
		r = note_pap(p, frame[3], d, plen);
	else if (proto == PROTO_CHAP)
		r = note_chap(p, from_peer, frame[2], frame[3], d, plen);
	if (r < 0)
		p->malformed++;
}
