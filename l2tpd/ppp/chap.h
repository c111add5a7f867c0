/*
 * CHAP (RFC 1994) with MD5 (algorithm 5) or MS-CHAPv2 (RFC 2759,
 * algorithm 0x81), both ends.  The authenticator challenges (a fresh
 * Identifier and value on every retransmission, §4.1, bounded), hands the
 * peer's Response to AAA and answers Success/Failure, and answers a
 * repeated Response after Success again (§4.2).  The peer answers
 * Challenges and repeats its Response until a result comes (bounded); as an
 * MS-CHAPv2 peer it checks the authenticator's response (RFC 2759 §5).
 */
#ifndef L2TP_PPP_CHAP_H
#define L2TP_PPP_CHAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/clock.h"
#include "ppp/mschap.h"
#include "ppp/proto.h"

struct ppp;

#define PPP_CHAP_CHALLENGE_LEN	16	/* the value we send, both algorithms */

enum ppp_chap_state {
	PPP_CHAP_IDLE,
	PPP_CHAP_WAIT,		/* authenticator: Challenge sent; peer: waiting for one */
	PPP_CHAP_PENDING,	/* authenticator: AAA is deciding */
	PPP_CHAP_RESPONDED,	/* peer: Response sent */
	PPP_CHAP_DONE,
	PPP_CHAP_FAILED,
};

struct ppp_chap {
	struct ppp *ppp;
	enum ppp_chap_state state;
	int authenticator;
	enum ppp_auth_method method;	/* CHAP_MD5 or MSCHAPV2 */
	struct l2tp_timer timer;
	unsigned tries;
	uint8_t id;			/* of the current Challenge */
	uint8_t next_id;
	uint8_t challenge[PPP_CHAP_CHALLENGE_LEN];
	/* authenticator: the result, sent again for a repeated Response
	 * (allocated) */
	uint8_t result_code;
	char *result_msg;
	/* peer: allocated at the first Challenge */
	struct ppp_chap_peer *peer;
};

#define PPP_CHAP_MSG_MAX	192	/* result messages are cut there */

/* The peer's side: our Response (Value-Size, Value, Name), sent again
 * until answered, and the MS-CHAPv2 authenticator response we expect. */
struct ppp_chap_peer {
	uint8_t resp[1 + PPP_MSCHAP_RESPONSE_LEN + 255];
	size_t resp_len;
	char expect_auth[PPP_MSCHAP_AUTHRESP_LEN + 1];	/* "S=..." */
};

void ppp_chap_init(struct ppp_chap *c, struct ppp *p);
void ppp_chap_start(struct ppp_chap *c, int authenticator, enum ppp_auth_method method);
void ppp_chap_stop(struct ppp_chap *c);
/* Free what the module allocated (the link goes). */
void ppp_chap_free(struct ppp_chap *c);
int ppp_chap_input(struct ppp_chap *c, const uint8_t *buf, size_t len);
/* auth_resp: MS-CHAPv2 authenticator response from AAA ("S=..."). */
void ppp_chap_auth_done(struct ppp_chap *c, int ok, const char *msg, const char *auth_resp);
/* RFC 1994 §4.1: MD5(Identifier | secret | challenge) */
void ppp_chap_md5(uint8_t id, const uint8_t *secret, size_t secret_len, const uint8_t *chal,
		  size_t chal_len, uint8_t out[16]);

#endif
