/*
 * What a LAC knows of a call before it places it, and passes to the LNS
 * (RFC 2661 §4.4.4, §4.4.5; RFC 5515 §4): the subscriber's line (Calling
 * Number, connect speeds, the access-line information of the TR-101 tag),
 * the LCP Configure-Requests it negotiated with the subscriber and the
 * subscriber's authentication (proxy LCP and proxy authentication), so
 * the LNS need not negotiate again.
 *
 * The access side fills one (it depends on nothing but the C library) and
 * hands it to l2tp_session_dial_call(); the LAC puts it in the ICRQ and
 * the ICCN; the LNS reads it back from them (l2tp_call_info_read()).
 *
 * HA: not checkpointed.  The LNS needs it only between the ICCN and the
 * end of PPP authentication; what survives a takeover is an established
 * session with its negotiated PPP state (MRU, magic numbers, user), which
 * the checkpoint already carries, and a session caught before that point
 * starts PPP again on the new active.  The LAC's ICRQ and ICCN, until
 * acknowledged, are in the checkpointed retransmit queue as sent, proxy
 * AVPs included, so a takeover resends them unchanged.
 */
#ifndef L2TP_CALL_INFO_H
#define L2TP_CALL_INFO_H

#include <stddef.h>
#include <stdint.h>

/* as large as what pppoe/proxy.h keeps of a subscriber */
#define L2TP_CALL_LCP_MAX	256	/* options of one LCP Configure-Request */
#define L2TP_CALL_NAME_MAX	256	/* Proxy Authen Name, NUL included */
#define L2TP_CALL_CHAL_MAX	64	/* Proxy Authen Challenge */
#define L2TP_CALL_RESP_MAX	255	/* Proxy Authen Response (PAP: the password) */
#define L2TP_CALL_LINE_ID_MAX	64	/* Agent-Circuit-Id, Agent-Remote-Id, NUL included */

/* What is present (flags). */
#define L2TP_CI_PROXY_LCP	0x01	/* the three LCP CONFREQs (§4.4.5: all or none) */
#define L2TP_CI_PROXY_AUTH	0x02	/* auth_type and what it needs */
#define L2TP_CI_SPEEDS		0x04	/* tx_speed and rx_speed */
#define L2TP_CI_RATES		0x08	/* RFC 5515 actual rates (at least) */

/* RFC 5515 data rates, bits/s, in the order of their AVP types 129-138. */
enum l2tp_call_rate {
	L2TP_RATE_ACTUAL_UP, L2TP_RATE_ACTUAL_DOWN,
	L2TP_RATE_MIN_UP, L2TP_RATE_MIN_DOWN,
	L2TP_RATE_ATTAINABLE_UP, L2TP_RATE_ATTAINABLE_DOWN,
	L2TP_RATE_MAX_UP, L2TP_RATE_MAX_DOWN,
	L2TP_RATE_MIN_UP_LOW_POWER, L2TP_RATE_MIN_DOWN_LOW_POWER,
	L2TP_RATE_COUNT
};

struct l2tp_call_info {
	unsigned flags;			/* L2TP_CI_* */
	/* RFC 2661 §4.4.5: the options of each Configure-Request, as sent
	 * (from the first option on, without the LCP header) */
	uint8_t lcp_init_rcvd[L2TP_CALL_LCP_MAX];	/* the subscriber's first */
	uint8_t lcp_last_sent[L2TP_CALL_LCP_MAX];	/* ours, acknowledged */
	uint8_t lcp_last_rcvd[L2TP_CALL_LCP_MAX];	/* the subscriber's, acknowledged */
	uint16_t lcp_init_rcvd_len, lcp_last_sent_len, lcp_last_rcvd_len;
	/* §4.4.5 proxy authentication: enum l2tp_proxy_auth_type (0: none) */
	uint16_t auth_type;
	uint8_t auth_id;		/* the PPP Identifier of the exchange */
	char auth_name[L2TP_CALL_NAME_MAX];
	uint8_t auth_challenge[L2TP_CALL_CHAL_MAX];
	uint8_t auth_response[L2TP_CALL_RESP_MAX];
	uint16_t auth_challenge_len, auth_response_len;
	/* §4.4.4 */
	char calling[64];		/* Calling Number ("": the LAC's own) */
	uint32_t tx_speed, rx_speed;	/* bits/s (L2TP_CI_SPEEDS) */
	/* RFC 5515 §4 */
	char circuit_id[L2TP_CALL_LINE_ID_MAX];	/* Agent-Circuit-Id ("": none) */
	char remote_id[L2TP_CALL_LINE_ID_MAX];	/* Agent-Remote-Id ("": none) */
	uint64_t rate[L2TP_RATE_COUNT];		/* bits/s, 0: not sent */
};

struct l2tp_msgbuf;
struct l2tp_msg;

/* What the ICRQ carries of ci (§6.6: Calling Number; RFC 5515 §4 the
 * access-line AVPs); hide: hide what may be hidden (a tunnel secret). */
void l2tp_call_info_put_icrq(const struct l2tp_call_info *ci, struct l2tp_msgbuf *b, int hide);
/* What the ICCN carries (§6.8: the connect speeds, proxy LCP and
 * authentication, the Proxy Authen Response hidden when hide). */
void l2tp_call_info_put_iccn(const struct l2tp_call_info *ci, struct l2tp_msgbuf *b, int hide);
/*
 * LNS: add what message m (an ICRQ or ICCN, decoded, unhidden) carries to
 * ci.  0, or -EINVAL when what is there cannot be used as a proxy (§4.4.5:
 * some of the LCP CONFREQs without the others, a value longer than we
 * keep, an authentication type without its name or response): ci's proxy
 * flags are then left clear, so the LNS negotiates as if none came.
 */
int l2tp_call_info_read(struct l2tp_call_info *ci, const struct l2tp_msg *m);

#endif
