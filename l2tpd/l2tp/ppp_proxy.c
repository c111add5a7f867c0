/*
 * The LNS's PPP from what the LAC proxied (RFC 2661 §4.4.5): `lcp
 * renegotiation` of the vpdn-group decides (see l2tp_ppp_open_lns() in
 * l2tp/ppp.h); the counters are `show l2tp statistics`'s.  And why a
 * link went down, as RADIUS (RFC 2866) and the CDN (RFC 3145) say it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "l2tpd.h"
#include "core/rand.h"
#include "l2tp/call_info.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"

/* RFC 2661 §4.4.5: the proxied authentication as PPP would have received
 * it; 0 when there is none we can check (MS-CHAPv2 has no type). */
static int ppp_proxy_auth(const struct l2tp_call_info *ci, struct ppp_auth_req *r)
{
	memset(r, 0, sizeof(*r));
	if (!(ci->flags & L2TP_CI_PROXY_AUTH))
		return 0;
	snprintf(r->user, sizeof(r->user), "%s", ci->auth_name);
	r->id = ci->auth_id;
	if (ci->auth_type == L2TP_PROXY_AUTH_PAP && ci->auth_response_len <= sizeof(r->password)) {
		r->method = PPP_AUTH_PAP;
		memcpy(r->password, ci->auth_response, ci->auth_response_len);
		r->password_len = ci->auth_response_len;
		return 1;
	}
	if (ci->auth_type == L2TP_PROXY_AUTH_CHAP && ci->auth_response_len == sizeof(r->response) &&
	    ci->auth_challenge_len > 0 && ci->auth_challenge_len <= sizeof(r->challenge)) {
		r->method = PPP_AUTH_CHAP_MD5;
		memcpy(r->challenge, ci->auth_challenge, ci->auth_challenge_len);
		r->challenge_len = ci->auth_challenge_len;
		memcpy(r->response, ci->auth_response, sizeof(r->response));
		return 1;
	}
	return 0;
}

/*
 * LNS: open PPP from the LAC's proxy when the group allows it (`lcp
 * renegotiation`), else negotiate.  0, or -EPROTO when the proxy is not
 * acceptable and the group renegotiates never (the call is refused).
 */
int l2tp_ppp_open_lns(struct l2tp_session *s, int *proxied)
{
	struct l2tpd *d = s->t->d;
	const struct l2tp_call_info *ci = s->ci;
	unsigned reneg = s->t->grp != NULL ? s->t->grp->lcp_reneg : VPDN_LCP_RENEG_NEVER;
	struct ppp_proxy px;
	char why[128] = "";

	if (ci == NULL || !(ci->flags & L2TP_CI_PROXY_LCP))
		return ppp_open(s->ppp);
	if (reneg == VPDN_LCP_RENEG_ALWAYS) {
		d->stats.proxy_renegotiated++;
		session_debug(s, LOG_DBG_EVENT, "proxy LCP ignored: lcp renegotiation always");
		return ppp_open(s->ppp);
	}
	px.our_req = ci->lcp_last_sent;
	px.our_len = ci->lcp_last_sent_len;
	px.peer_req = ci->lcp_last_rcvd;
	px.peer_len = ci->lcp_last_rcvd_len;
	px.has_auth = ppp_proxy_auth(ci, &px.auth);
	*proxied = 1;
	if (ppp_open_proxy(s->ppp, &px, why, sizeof(why)) == 0) {
		d->stats.proxy_accepted++;
		return 0;
	}
	*proxied = 0;
	if (reneg == VPDN_LCP_RENEG_ON_MISMATCH) {
		d->stats.proxy_renegotiated++;
		session_log(s, LOG_INFO, "proxy LCP not taken (%s): renegotiating", why);
		return ppp_open(s->ppp);
	}
	d->stats.proxy_refused++;
	session_log(s, LOG_NOTICE, "proxy LCP not acceptable (%s) and lcp renegotiation is off: "
		    "call refused", why);
	/* RFC 3145: "LCP renegotiation at LNS disabled" */
	l2tp_session_ppp_disc(s, L2TP_PPP_DISC_RENEG_DISABLED, 0, L2TP_PPP_DISC_AT_LOCAL);
	return -EPROTO;
}

void l2tp_ppp_down_cause(struct l2tp_session *s, const char *reason, int proxied)
{
	/* unless a timeout or the operator said why first (the first stays) */
	if (strstr(reason, "peer terminated") != NULL) {
		l2tp_session_cause(s, L2TP_TC_USER_REQUEST);
		l2tp_session_ppp_disc(s, L2TP_PPP_DISC_NORMAL, 0, L2TP_PPP_DISC_AT_PEER);
	} else if (strstr(reason, "echo") != NULL) {
		l2tp_session_cause(s, L2TP_TC_LOST_CARRIER);
		l2tp_session_ppp_disc(s, L2TP_PPP_DISC_LCP_SILENT, PPP_PROTO_LCP,
				      L2TP_PPP_DISC_AT_PEER);
	} else if (strstr(reason, "authenticat") != NULL) {
		l2tp_session_cause(s, L2TP_TC_USER_ERROR);
		l2tp_session_ppp_disc(s, strstr(reason, "timed out") ? L2TP_PPP_DISC_AUTH_TIMEOUT :
				      L2TP_PPP_DISC_AUTH_FAILED, 0, L2TP_PPP_DISC_AT_LOCAL);
		if (proxied)
			s->t->d->stats.proxy_refused++;
	} else {
		l2tp_session_cause(s, L2TP_TC_NAS_REQUEST);
		l2tp_session_ppp_disc(s, L2TP_PPP_DISC_ADMIN, 0, L2TP_PPP_DISC_AT_LOCAL);
	}
}

/* --- LAC: the test subscriber as if the LAC had negotiated with it ------------ */

int l2tp_ppp_proxy_play(struct l2tp_call_info *ci, const char *user, const char *password,
			int chap)
{
	/* the LAC's request: MRU 1492 (PPPoE), PAP or CHAP-MD5, a magic */
	static const uint8_t lac_pap[] = { 1, 4, 0x05, 0xd4, 3, 4, 0xc0, 0x23, 5, 6, 0, 0, 0, 0 };
	static const uint8_t lac_chap[] = { 1, 4, 0x05, 0xd4, 3, 5, 0xc2, 0x23, 5, 5, 6, 0, 0, 0,
					    0 };
	/* the subscriber's: MRU 1492, a magic */
	static const uint8_t sub[] = { 1, 4, 0x05, 0xd4, 5, 6, 0, 0, 0, 0 };
	const uint8_t *lac = chap ? lac_chap : lac_pap;
	size_t lac_len = chap ? sizeof(lac_chap) : sizeof(lac_pap), plen = strlen(password);

	if (strlen(user) >= sizeof(ci->auth_name) || plen > sizeof(ci->auth_response))
		return -EINVAL;
	memcpy(ci->lcp_last_sent, lac, lac_len);
	ci->lcp_last_sent_len = (uint16_t)lac_len;
	memcpy(ci->lcp_init_rcvd, sub, sizeof(sub));
	ci->lcp_init_rcvd_len = sizeof(sub);
	do {
		rand_bytes(ci->lcp_last_sent + lac_len - 4, 4);
		rand_bytes(ci->lcp_init_rcvd + sizeof(sub) - 4, 4);
	} while (memcmp(ci->lcp_last_sent + lac_len - 4, ci->lcp_init_rcvd + sizeof(sub) - 4,
			4) == 0);
	memcpy(ci->lcp_last_rcvd, ci->lcp_init_rcvd, sizeof(sub));
	ci->lcp_last_rcvd_len = sizeof(sub);
	rand_bytes(&ci->auth_id, 1);
	snprintf(ci->auth_name, sizeof(ci->auth_name), "%s", user);
	if (chap) {
		/* RFC 1994 §4.1: the subscriber's answer to the LAC's Challenge */
		ci->auth_type = L2TP_PROXY_AUTH_CHAP;
		ci->auth_challenge_len = 16;
		rand_bytes(ci->auth_challenge, 16);
		ppp_chap_md5(ci->auth_id, (const uint8_t *)password, plen, ci->auth_challenge, 16,
			     ci->auth_response);
		ci->auth_response_len = 16;
	} else {
		ci->auth_type = L2TP_PROXY_AUTH_PAP;
		memcpy(ci->auth_response, password, plen);
		ci->auth_response_len = (uint16_t)plen;
	}
	ci->flags |= L2TP_CI_PROXY_LCP | L2TP_CI_PROXY_AUTH;
	return 0;
}

int l2tp_ppp_open_lac(struct l2tp_session *s)
{
	const struct l2tp_call_info *ci = s->ci;
	struct ppp_proxy px;
	char why[128] = "";
	int rc;

	if (ci == NULL || !(ci->flags & L2TP_CI_PROXY_LCP))
		return ppp_open(s->ppp);
	/* seen from the subscriber: its request is ours, the LAC's the peer's */
	px.our_req = ci->lcp_last_rcvd;
	px.our_len = ci->lcp_last_rcvd_len;
	px.peer_req = ci->lcp_last_sent;
	px.peer_len = ci->lcp_last_sent_len;
	px.has_auth = ppp_proxy_auth(ci, &px.auth);
	rc = ppp_open_proxied_peer(s->ppp, &px, why, sizeof(why));
	if (rc < 0)
		session_log(s, LOG_ERR, "test subscriber cannot start as proxied: %s", why);
	return rc;
}
