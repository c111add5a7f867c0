/*
 * The hook of the proxy AVPs (RFC 2661 §4.4.5): what a LAC learns from a
 * subscriber's PPP before it chooses the tunnel, in the form the AVPs of
 * the call (ICCN) carry it, so the LNS can skip LCP and authenticate from
 * it:
 *   Initial Received LCP CONFREQ (26)  the subscriber's first Configure-Request
 *   Last Sent LCP CONFREQ (27)         ours, the last one
 *   Last Received LCP CONFREQ (28)     the subscriber's, the last one
 *     (each: the options, from the first option of the message's body on)
 *   Proxy Authen Type (29)             PAP 3, CHAP 2, none 4
 *   Proxy Authen Name (30)             the PAP Peer-ID or the CHAP Name
 *   Proxy Authen Challenge (31)        our CHAP challenge
 *   Proxy Authen ID (32)               the CHAP Identifier
 *   Proxy Authen Response (33)         the CHAP response, or the PAP password
 * pppoe_proxy_note() reads every PPP frame of the session each way and
 * keeps these; the call's builder (l2tp/) reads the struct.
 */
#ifndef PPPOE_PROXY_H
#define PPPOE_PROXY_H

#include <stddef.h>
#include <stdint.h>

#define PPPOE_PROXY_CONFREQ_MAX	256	/* LCP options kept per Configure-Request */
#define PPPOE_PROXY_NAME_MAX	255
#define PPPOE_PROXY_CHAL_MAX	64
#define PPPOE_PROXY_RESP_MAX	255

/* Proxy Authen Type values (RFC 2661 §4.4.5). */
enum pppoe_proxy_auth {
	PPPOE_PROXY_AUTH_NONE_YET = 0,	/* nothing seen (0 is Reserved on the wire) */
	PPPOE_PROXY_AUTH_CHAP = 2,
	PPPOE_PROXY_AUTH_PAP = 3,
	PPPOE_PROXY_AUTH_NONE = 4,
};

struct pppoe_proxy_bytes {
	uint16_t len;
	uint8_t present;
};

struct pppoe_lac_proxy {
	uint8_t initial_rx[PPPOE_PROXY_CONFREQ_MAX];
	uint8_t last_tx[PPPOE_PROXY_CONFREQ_MAX];
	uint8_t last_rx[PPPOE_PROXY_CONFREQ_MAX];
	struct pppoe_proxy_bytes initial_rx_len, last_tx_len, last_rx_len;
	enum pppoe_proxy_auth auth_type;
	char auth_name[PPPOE_PROXY_NAME_MAX + 1];
	uint8_t challenge[PPPOE_PROXY_CHAL_MAX];
	uint16_t challenge_len;
	uint8_t auth_id;
	uint8_t response[PPPOE_PROXY_RESP_MAX];
	uint16_t response_len;
	unsigned malformed;		/* frames of these protocols too short to read */
};

/*
 * A PPP frame of the session (protocol field first, FF 03 allowed before
 * it): from_peer 1 when the subscriber sent it, 0 when we did.  LCP
 * Configure-Requests, PAP Authenticate-Requests, CHAP Challenges and
 * Responses are kept; anything else is ignored; a frame cut short is
 * counted and changes nothing.
 */
void pppoe_proxy_note(struct pppoe_lac_proxy *p, int from_peer, const uint8_t *frame,
		      size_t len);

#endif
