/*
 * A call's line, proxy LCP and proxy authentication on the wire (see
 * l2tp/call_info.h): RFC 2661 §4.4.4, §4.4.5, RFC 5515 §4.
 */
#include <errno.h>
#include <string.h>

#include "common/util.h"
#include "l2tp/avp.h"
#include "l2tp/call_info.h"
#include "l2tp/msg.h"

/* --- LAC: into the ICRQ and the ICCN -------------------------------------- */

void l2tp_call_info_put_icrq(const struct l2tp_call_info *ci, struct l2tp_msgbuf *b, int hide)
{
	unsigned i;

	if (ci->calling[0] != '\0')
		l2tp_avp_put_str(b, L2TP_AVP_CALLING_NUMBER, ci->calling, hide ? L2TP_PUT_HIDE : 0);
	/* RFC 5515 §4: the access-line AVPs go in the ICRQ */
	if (ci->circuit_id[0] != '\0')
		l2tp_avp_put_vendor(b, L2TP_VENDOR_BBF, L2TP_BBF_AGENT_CIRCUIT_ID, ci->circuit_id,
				    strlen(ci->circuit_id));
	if (ci->remote_id[0] != '\0')
		l2tp_avp_put_vendor(b, L2TP_VENDOR_BBF, L2TP_BBF_AGENT_REMOTE_ID, ci->remote_id,
				    strlen(ci->remote_id));
	for (i = 0; i < L2TP_RATE_COUNT; i++)
		if (ci->rate[i] != 0)
			l2tp_avp_put_vendor_u64(b, L2TP_VENDOR_BBF,
						(uint16_t)(L2TP_BBF_ACTUAL_RATE_UP + i), ci->rate[i]);
}

static void call_info_put_proxy_auth(const struct l2tp_call_info *ci, struct l2tp_msgbuf *b,
				     unsigned flags)
{
	/* §4.4.5: Type, then Name, Challenge (CHAP), ID, Response */
	l2tp_avp_put_u16(b, L2TP_AVP_PROXY_AUTHEN_TYPE, ci->auth_type, flags);
	if (ci->auth_type == L2TP_PROXY_AUTH_NONE)
		return;
	l2tp_avp_put_str(b, L2TP_AVP_PROXY_AUTHEN_NAME, ci->auth_name, flags);
	if (ci->auth_challenge_len > 0)
		l2tp_avp_put(b, L2TP_AVP_PROXY_AUTHEN_CHALLENGE, ci->auth_challenge,
			     ci->auth_challenge_len, flags);
	/* §4.4.5: the ID is 2 octets, the PPP Identifier in the low one */
	l2tp_avp_put_u16(b, L2TP_AVP_PROXY_AUTHEN_ID, ci->auth_id, flags);
	/* a PAP password is worth hiding, whatever else is */
	l2tp_avp_put(b, L2TP_AVP_PROXY_AUTHEN_RESPONSE, ci->auth_response, ci->auth_response_len,
		     flags);
}

void l2tp_call_info_put_iccn(const struct l2tp_call_info *ci, struct l2tp_msgbuf *b, int hide)
{
	unsigned flags = hide ? L2TP_PUT_HIDE : 0;

	if (ci->flags & L2TP_CI_PROXY_LCP) {
		l2tp_avp_put(b, L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ, ci->lcp_init_rcvd,
			     ci->lcp_init_rcvd_len, flags);
		l2tp_avp_put(b, L2TP_AVP_LAST_SENT_LCP_CONFREQ, ci->lcp_last_sent,
			     ci->lcp_last_sent_len, flags);
		l2tp_avp_put(b, L2TP_AVP_LAST_RCVD_LCP_CONFREQ, ci->lcp_last_rcvd,
			     ci->lcp_last_rcvd_len, flags);
	}
	if (ci->flags & L2TP_CI_PROXY_AUTH)
		call_info_put_proxy_auth(ci, b, flags);
}

/* --- LNS: out of the ICRQ and the ICCN --------------------------------------- */

/* An octet string into out (outsz octets at most): 1 copied, 0 absent,
 * -EINVAL too long or still hidden. */
static int call_info_bytes(const struct l2tp_msg *m, uint16_t type, uint8_t *out, size_t outsz,
			   uint16_t *lenp)
{
	const uint8_t *v;
	size_t len;
	int rc = l2tp_msg_get_bytes(m, type, &v, &len);

	if (rc == -ENOENT)
		return 0;
	if (rc < 0 || len > outsz)
		return -EINVAL;
	if (len)
		memcpy(out, v, len);
	*lenp = (uint16_t)len;
	return 1;
}

/* §4.4.5: the three LCP CONFREQs come together, or the proxy is useless. */
static int call_info_read_lcp(struct l2tp_call_info *ci, const struct l2tp_msg *m)
{
	int a, b, c;

	a = call_info_bytes(m, L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ, ci->lcp_init_rcvd,
			    sizeof(ci->lcp_init_rcvd), &ci->lcp_init_rcvd_len);
	b = call_info_bytes(m, L2TP_AVP_LAST_SENT_LCP_CONFREQ, ci->lcp_last_sent,
			    sizeof(ci->lcp_last_sent), &ci->lcp_last_sent_len);
	c = call_info_bytes(m, L2TP_AVP_LAST_RCVD_LCP_CONFREQ, ci->lcp_last_rcvd,
			    sizeof(ci->lcp_last_rcvd), &ci->lcp_last_rcvd_len);
	if (a == 0 && b == 0 && c == 0)
		return 0;
	if (a != 1 || b != 1 || c != 1)
		return -EINVAL;
	ci->flags |= L2TP_CI_PROXY_LCP;
	return 0;
}

static int call_info_read_auth(struct l2tp_call_info *ci, const struct l2tp_msg *m)
{
	uint16_t type, id = 0;
	int rc;

	rc = l2tp_msg_get_u16(m, L2TP_AVP_PROXY_AUTHEN_TYPE, &type);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return -EINVAL;
	ci->auth_type = type;
	if (type != L2TP_PROXY_AUTH_NONE) {
		/* a name and a response at least (§4.4.5: "MUST be present" for
		 * the types that carry them) */
		if (l2tp_msg_get_str(m, L2TP_AVP_PROXY_AUTHEN_NAME, ci->auth_name,
				     sizeof(ci->auth_name)) < 0)
			return -EINVAL;
		if (call_info_bytes(m, L2TP_AVP_PROXY_AUTHEN_RESPONSE, ci->auth_response,
				    sizeof(ci->auth_response), &ci->auth_response_len) != 1)
			return -EINVAL;
		if (call_info_bytes(m, L2TP_AVP_PROXY_AUTHEN_CHALLENGE, ci->auth_challenge,
				    sizeof(ci->auth_challenge), &ci->auth_challenge_len) < 0)
			return -EINVAL;
		rc = l2tp_msg_get_u16(m, L2TP_AVP_PROXY_AUTHEN_ID, &id);
		if (rc < 0 && rc != -ENOENT)
			return -EINVAL;
		ci->auth_id = (uint8_t)id;
	}
	ci->flags |= L2TP_CI_PROXY_AUTH;
	return 0;
}

static void call_info_read_line(struct l2tp_call_info *ci, const struct l2tp_msg *m)
{
	unsigned i;

	/* the getters clear their output when the AVP is absent: an ICCN
	 * must not wipe what the ICRQ gave */
	if (l2tp_msg_has(m, L2TP_AVP_CALLING_NUMBER))
		l2tp_msg_get_str(m, L2TP_AVP_CALLING_NUMBER, ci->calling, sizeof(ci->calling));
	if (l2tp_msg_get_u32(m, L2TP_AVP_TX_CONNECT_SPEED, &ci->tx_speed) == 0) {
		ci->flags |= L2TP_CI_SPEEDS;
		/* §4.4.5: without Rx Connect Speed, Rx is the Tx one */
		if (l2tp_msg_get_u32(m, L2TP_AVP_RX_CONNECT_SPEED, &ci->rx_speed) < 0)
			ci->rx_speed = ci->tx_speed;
	}
	if (l2tp_msg_vavp(m, L2TP_VENDOR_BBF, L2TP_BBF_AGENT_CIRCUIT_ID) != NULL)
		l2tp_msg_get_vstr(m, L2TP_VENDOR_BBF, L2TP_BBF_AGENT_CIRCUIT_ID, ci->circuit_id,
				  sizeof(ci->circuit_id));
	if (l2tp_msg_vavp(m, L2TP_VENDOR_BBF, L2TP_BBF_AGENT_REMOTE_ID) != NULL)
		l2tp_msg_get_vstr(m, L2TP_VENDOR_BBF, L2TP_BBF_AGENT_REMOTE_ID, ci->remote_id,
				  sizeof(ci->remote_id));
	for (i = 0; i < L2TP_RATE_COUNT; i++)
		if (l2tp_msg_get_vu64(m, L2TP_VENDOR_BBF, (uint16_t)(L2TP_BBF_ACTUAL_RATE_UP + i),
				      &ci->rate[i]) == 0)
			ci->flags |= L2TP_CI_RATES;
}

int l2tp_call_info_read(struct l2tp_call_info *ci, const struct l2tp_msg *m)
{
	int rc;

	call_info_read_line(ci, m);
	rc = call_info_read_lcp(ci, m);
	if (rc < 0) {
		ci->flags &= ~(unsigned)L2TP_CI_PROXY_LCP;
		return rc;
	}
	rc = call_info_read_auth(ci, m);
	if (rc < 0) {
		ci->flags &= ~(unsigned)L2TP_CI_PROXY_AUTH;
		ci->auth_type = 0;
		return rc;
	}
	return 0;
}
