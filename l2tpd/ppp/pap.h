/*
 * PAP (RFC 1334 §2): both ends.  The authenticator waits for an
 * Authenticate-Request, hands the credentials to AAA and answers with
 * Authenticate-Ack/Nak; the peer sends its Authenticate-Request until an
 * answer comes (bounded).
 */
#ifndef L2TP_PPP_PAP_H
#define L2TP_PPP_PAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/clock.h"

struct ppp;

enum ppp_pap_state {
	PPP_PAP_IDLE,
	PPP_PAP_WAIT,		/* authenticator: for a request; peer: for the answer */
	PPP_PAP_PENDING,	/* authenticator: AAA is deciding */
	PPP_PAP_DONE,
	PPP_PAP_FAILED,
};

struct ppp_pap {
	struct ppp *ppp;
	enum ppp_pap_state state;
	int authenticator;
	struct l2tp_timer timer;	/* peer: retransmission */
	unsigned tries;
	uint8_t id;
	uint8_t next_id;
	uint8_t result_code;		/* authenticator: what we answered */
	char *result_msg;		/* ... allocated, kept for a repeated request */
};

#define PPP_PAP_MSG_MAX		128	/* result messages are cut there */

void ppp_pap_init(struct ppp_pap *pap, struct ppp *p);
void ppp_pap_start(struct ppp_pap *pap, int authenticator);
void ppp_pap_stop(struct ppp_pap *pap);
/* Free what the module allocated (the link goes). */
void ppp_pap_free(struct ppp_pap *pap);
/* A PAP packet (Code onwards); 0 or negative errno when dropped. */
int ppp_pap_input(struct ppp_pap *pap, const uint8_t *buf, size_t len);
void ppp_pap_auth_done(struct ppp_pap *pap, int ok, const char *msg);

#endif
