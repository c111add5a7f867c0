/*
 * The RFC 1661 automaton's receive side: a packet of the protocol, parsed
 * and turned into its §4.3 event (RCR+/-, RCA, RCN, RTR, RTA, RUC, RXJ+/-,
 * RXR), each handled by its row of the §4.1 table (at the top of fsm.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ppp/fsm.h"
#include "ppp/fsm_int.h"

/* --- received packets (§4.3, §5) --------------------------------------------- */

/* RCR+ / RCR- */
static int ppp_fsm_rcr(struct ppp_fsm *f, uint8_t id, const uint8_t *opts, size_t len)
{
	struct ppp_fsm_reply r;
	enum ppp_fsm_state before = f->state;
	const uint8_t *ans = opts;
	size_t ans_len = len;
	uint8_t code = PPP_CONF_ACK;

	switch (f->state) {
	case PPP_FSM_CLOSED:
		ppp_fsm_sta(f, id);
		return 0;
	case PPP_FSM_CLOSING:
	case PPP_FSM_STOPPING:
		PPP_FSM_COUNT(f, rx_unexpected);
		return -EAGAIN;
	default:
		break;
	}
	if (ppp_opts_check(opts, len) < 0) {
		PPP_FSM_COUNT(f, rx_malformed);
		ppp_fsm_log(f, LOG_WARNING, "malformed options in Configure-Request id %u: dropped",
			    id);
		return -EBADMSG;
	}
	r.nak_len = r.rej_len = r.nak_orig_len = 0;
	r.n_nak = r.n_rej = 0;
	if (f->cb->reqci)
		f->cb->reqci(f, opts, len, &r);
	if (f->state != before)
		return 0;	/* the protocol closed the automaton */
	if (r.rej_len > 0) {
		code = PPP_CONF_REJ;
		ans = r.rej;
		ans_len = r.rej_len;
	} else if (r.nak_len > 0 && f->nak_count >= f->max_failure) {
		/* §4.6 Max-Failure: the configuration is not converging;
		 * the options we would Nak again are Rejected instead (and
		 * options we only suggested are dropped). */
		PPP_FSM_COUNT(f, nak_to_rej);
		ppp_fsm_log(f, LOG_NOTICE, "%u Configure-Naks without convergence: rejecting instead",
			    f->nak_count);
		if (r.nak_orig_len > 0) {
			code = PPP_CONF_REJ;
			ans = r.nak_orig;
			ans_len = r.nak_orig_len;
			r.n_rej = r.n_nak;
		}
		r.n_nak = 0;
	} else if (r.nak_len > 0) {
		code = PPP_CONF_NAK;
		ans = r.nak;
		ans_len = r.nak_len;
	}
	if (code == PPP_CONF_NAK)
		PPP_FSM_ADD(f, opts_naked, r.n_nak);
	if (code == PPP_CONF_REJ)
		PPP_FSM_ADD(f, opts_rejected, r.n_rej);

	switch (f->state) {
	case PPP_FSM_STOPPED:
		ppp_fsm_irc(f, 0);
		ppp_fsm_scr(f, 0);
		break;
	case PPP_FSM_OPENED:
		ppp_fsm_tld(f);
		ppp_fsm_scr(f, 0);
		break;
	default:
		break;
	}
	if (code == PPP_CONF_ACK) {
		ppp_fsm_sca(f, id, ans, ans_len);
		if (before == PPP_FSM_ACK_RCVD) {
			ppp_fsm_set_state(f, PPP_FSM_OPENED, "RCR+");
			ppp_fsm_tlu(f);
		} else {
			ppp_fsm_set_state(f, PPP_FSM_ACK_SENT, "RCR+");
		}
	} else {
		ppp_fsm_scn(f, id, code, ans, ans_len);
		ppp_fsm_set_state(f, before == PPP_FSM_ACK_RCVD ? PPP_FSM_ACK_RCVD : PPP_FSM_REQ_SENT,
				  "RCR-");
	}
	return 0;
}

/* §5.2-§5.4: does this Ack/Nak/Reject answer our outstanding request? */
static int ppp_fsm_answers(struct ppp_fsm *f, uint8_t id, const char *what)
{
	if (id == f->req_id && !f->req_answered)
		return 1;
	PPP_FSM_COUNT(f, rx_bad_id);
	ppp_fsm_debug(f, LOG_DBG_ERROR, "%s id %u does not answer our request id %u%s: dropped",
		      what, id, f->req_id, f->req_answered ? " (already answered)" : "");
	return 0;
}

/* RCA */
static int ppp_fsm_rca(struct ppp_fsm *f, uint8_t id, const uint8_t *opts, size_t len)
{
	switch (f->state) {
	case PPP_FSM_CLOSED:
	case PPP_FSM_STOPPED:
		ppp_fsm_sta(f, id);
		return 0;
	case PPP_FSM_CLOSING:
	case PPP_FSM_STOPPING:
		PPP_FSM_COUNT(f, rx_unexpected);
		return -EAGAIN;
	default:
		break;
	}
	if (!ppp_fsm_answers(f, id, "Configure-Ack"))
		return -EPROTO;
	/* §5.2: the options must be exactly those we requested */
	if (len != f->req_len || (len > 0 && memcmp(opts, f->req, len) != 0)) {
		PPP_FSM_COUNT(f, rx_bad_id);
		ppp_fsm_log(f, LOG_WARNING, "Configure-Ack id %u does not match our request: dropped",
			    id);
		return -EPROTO;
	}
	f->req_answered = 1;
	if (f->cb->ackci)
		f->cb->ackci(f, opts, len);
	switch (f->state) {
	case PPP_FSM_REQ_SENT:
		ppp_fsm_irc(f, 0);
		ppp_fsm_set_state(f, PPP_FSM_ACK_RCVD, "RCA");
		break;
	case PPP_FSM_ACK_RCVD:
		/* crossed connection */
		ppp_fsm_scr(f, 0);
		ppp_fsm_set_state(f, PPP_FSM_REQ_SENT, "RCA");
		break;
	case PPP_FSM_ACK_SENT:
		ppp_fsm_irc(f, 0);
		ppp_fsm_set_state(f, PPP_FSM_OPENED, "RCA");
		ppp_fsm_tlu(f);
		break;
	case PPP_FSM_OPENED:
		ppp_fsm_tld(f);
		ppp_fsm_scr(f, 0);
		ppp_fsm_set_state(f, PPP_FSM_REQ_SENT, "RCA");
		break;
	default:
		break;
	}
	return 0;
}

/* §5.4: a Configure-Reject carries options of our request, in order and
 * unmodified. */
static int ppp_fsm_rej_is_subset(const struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	struct ppp_opt o, q;
	size_t off = 0, qoff = 0;
	int rc, found;

	while ((rc = ppp_opt_next(opts, len, &off, &o)) > 0) {
		found = 0;
		while (ppp_opt_next(f->req, f->req_len, &qoff, &q) > 0) {
			if (q.len == o.len && memcmp(q.raw, o.raw, o.len) == 0) {
				found = 1;
				break;
			}
		}
		if (!found)
			return 0;
	}
	return rc == 0;
}

/* RCN: Configure-Nak or Configure-Reject */
static int ppp_fsm_rcn(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *opts, size_t len)
{
	enum ppp_fsm_state before = f->state;
	const char *what = ppp_fsm_code_string(code);
	int rc;

	switch (f->state) {
	case PPP_FSM_CLOSED:
	case PPP_FSM_STOPPED:
		ppp_fsm_sta(f, id);
		return 0;
	case PPP_FSM_CLOSING:
	case PPP_FSM_STOPPING:
		PPP_FSM_COUNT(f, rx_unexpected);
		return -EAGAIN;
	default:
		break;
	}
	if (!ppp_fsm_answers(f, id, what))
		return -EPROTO;
	if (ppp_opts_check(opts, len) < 0) {
		PPP_FSM_COUNT(f, rx_malformed);
		ppp_fsm_log(f, LOG_WARNING, "malformed options in %s id %u: dropped", what, id);
		return -EBADMSG;
	}
	if (code == PPP_CONF_REJ && !ppp_fsm_rej_is_subset(f, opts, len)) {
		PPP_FSM_COUNT(f, rx_malformed);
		ppp_fsm_log(f, LOG_WARNING,
			    "Configure-Reject id %u rejects options we did not request: dropped", id);
		return -EBADMSG;
	}
	if (code == PPP_CONF_NAK)
		rc = f->cb->nakci ? f->cb->nakci(f, opts, len) : 0;
	else
		rc = f->cb->rejci ? f->cb->rejci(f, opts, len) : 0;
	if (f->state != before)
		return 0;	/* the protocol gave up and closed */
	if (rc < 0) {
		PPP_FSM_COUNT(f, rx_malformed);
		ppp_fsm_log(f, LOG_WARNING, "invalid %s id %u: dropped", what, id);
		return rc;
	}
	f->req_answered = 1;
	switch (f->state) {
	case PPP_FSM_REQ_SENT:
		ppp_fsm_irc(f, 0);
		ppp_fsm_scr(f, 0);
		break;
	case PPP_FSM_ACK_RCVD:
		ppp_fsm_scr(f, 0);
		ppp_fsm_set_state(f, PPP_FSM_REQ_SENT, "RCN");
		break;
	case PPP_FSM_ACK_SENT:
		ppp_fsm_irc(f, 0);
		ppp_fsm_scr(f, 0);
		break;
	case PPP_FSM_OPENED:
		ppp_fsm_tld(f);
		ppp_fsm_scr(f, 0);
		ppp_fsm_set_state(f, PPP_FSM_REQ_SENT, "RCN");
		break;
	default:
		break;
	}
	return 0;
}

/* RTR */
static int ppp_fsm_rtr(struct ppp_fsm *f, uint8_t id, const uint8_t *data, size_t len)
{
	if (f->state == PPP_FSM_OPENED) {
		ppp_fsm_log(f, LOG_INFO, "peer sent Terminate-Request%s%.*s",
			    len > 0 ? ": " : "", (int)(len > 64 ? 64 : len), (const char *)data);
		ppp_fsm_tld(f);
		ppp_fsm_zrc(f);
		ppp_fsm_sta(f, id);
		ppp_fsm_set_state(f, PPP_FSM_STOPPING, "RTR");
		return 0;
	}
	ppp_fsm_sta(f, id);
	if (f->state == PPP_FSM_ACK_RCVD || f->state == PPP_FSM_ACK_SENT)
		ppp_fsm_set_state(f, PPP_FSM_REQ_SENT, "RTR");
	return 0;
}

/* RTA */
static int ppp_fsm_rta(struct ppp_fsm *f)
{
	switch (f->state) {
	case PPP_FSM_CLOSING:
		ppp_fsm_set_state(f, PPP_FSM_CLOSED, "RTA");
		ppp_fsm_tlf(f);
		break;
	case PPP_FSM_STOPPING:
		ppp_fsm_set_state(f, PPP_FSM_STOPPED, "RTA");
		ppp_fsm_tlf(f);
		break;
	case PPP_FSM_ACK_RCVD:
		ppp_fsm_set_state(f, PPP_FSM_REQ_SENT, "RTA");
		break;
	case PPP_FSM_OPENED:
		ppp_fsm_tld(f);
		ppp_fsm_scr(f, 0);
		ppp_fsm_set_state(f, PPP_FSM_REQ_SENT, "RTA");
		break;
	default:
		break;
	}
	return 0;
}

void ppp_fsm_rxj(struct ppp_fsm *f, int catastrophic)
{
	if (f->state == PPP_FSM_INITIAL || f->state == PPP_FSM_STARTING) {
		ppp_fsm_illegal(f, catastrophic ? "RXJ-" : "RXJ+");
		return;
	}
	if (!catastrophic) {
		if (f->state == PPP_FSM_ACK_RCVD)
			ppp_fsm_set_state(f, PPP_FSM_REQ_SENT, "RXJ+");
		return;
	}
	ppp_fsm_log(f, LOG_NOTICE, "rejected by the peer: the protocol cannot run");
	switch (f->state) {
	case PPP_FSM_CLOSED:
	case PPP_FSM_CLOSING:
		ppp_fsm_set_state(f, PPP_FSM_CLOSED, "RXJ-");
		ppp_fsm_tlf(f);
		break;
	case PPP_FSM_STOPPED:
	case PPP_FSM_STOPPING:
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
		ppp_fsm_set_state(f, PPP_FSM_STOPPED, "RXJ-");
		ppp_fsm_tlf(f);
		break;
	case PPP_FSM_OPENED:
		ppp_fsm_set_term_reason(f, "rejected by peer");
		ppp_fsm_tld(f);
		ppp_fsm_irc(f, 1);
		ppp_fsm_str(f, 0);
		ppp_fsm_set_state(f, PPP_FSM_STOPPING, "RXJ-");
		break;
	default:
		break;
	}
}

int ppp_fsm_rxr(struct ppp_fsm *f)
{
	if (f->state == PPP_FSM_OPENED)
		return 1;
	if (f->state == PPP_FSM_INITIAL || f->state == PPP_FSM_STARTING)
		ppp_fsm_illegal(f, "RXR");
	PPP_FSM_COUNT(f, rx_unexpected);
	return 0;
}

/* Code-Reject received: RXJ+ or RXJ- (§5.6). */
static int ppp_fsm_rcodej(struct ppp_fsm *f, const uint8_t *data, size_t len)
{
	uint8_t code;

	if (len < 1) {
		PPP_FSM_COUNT(f, rx_malformed);
		return -EBADMSG;
	}
	code = data[0];
	PPP_FSM_COUNT(f, rx_code_rej);
	ppp_fsm_log(f, LOG_NOTICE, "peer rejected code %u (%s)", code, ppp_fsm_code_string(code));
	/* The codes every implementation must know are catastrophic to lose. */
	if (code >= PPP_CONF_REQ && code <= PPP_CODE_REJ) {
		ppp_fsm_rxj(f, 1);
		return 0;
	}
	if (f->cb->coderej)
		f->cb->coderej(f, code);
	ppp_fsm_rxj(f, 0);
	return 0;
}

int ppp_fsm_input(struct ppp_fsm *f, const uint8_t *buf, size_t len)
{
	uint8_t code, id;
	size_t plen;

	/* §5: Code, Identifier, Length; octets past Length are padding, a
	 * Length beyond the packet means it is truncated: discard. */
	if (len < PPP_HDRLEN) {
		PPP_FSM_COUNT(f, rx_malformed);
		ppp_fsm_log(f, LOG_WARNING, "packet of %zu octets is shorter than a header: dropped",
			    len);
		return -EBADMSG;
	}
	plen = ppp_get16(buf + 2);
	if (plen < PPP_HDRLEN || plen > len) {
		PPP_FSM_COUNT(f, rx_malformed);
		ppp_fsm_log(f, LOG_WARNING, "Length %zu does not fit the %zu octets received: dropped",
			    plen, len);
		return -EBADMSG;
	}
	code = buf[0];
	id = buf[1];
	PPP_FSM_COUNT(f, rx_packets);
	ppp_fsm_debug(f, LOG_DBG_PACKET, "received %s id %u len %zu in %s",
		      ppp_fsm_code_string(code), id, plen, ppp_fsm_state_string(f->state));
	if (f->state == PPP_FSM_INITIAL || f->state == PPP_FSM_STARTING) {
		/* the lower layer is not up for this protocol */
		PPP_FSM_COUNT(f, rx_unexpected);
		return -EAGAIN;
	}
	buf += PPP_HDRLEN;
	plen -= PPP_HDRLEN;
	switch (code) {
	case PPP_CONF_REQ:
		return ppp_fsm_rcr(f, id, buf, plen);
	case PPP_CONF_ACK:
		return ppp_fsm_rca(f, id, buf, plen);
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		return ppp_fsm_rcn(f, code, id, buf, plen);
	case PPP_TERM_REQ:
		return ppp_fsm_rtr(f, id, buf, plen);
	case PPP_TERM_ACK:
		return ppp_fsm_rta(f);
	case PPP_CODE_REJ:
		return ppp_fsm_rcodej(f, buf, plen);
	default:
		if (f->cb->extcode && f->cb->extcode(f, code, id, buf, plen) == 0)
			return 0;
		/* RUC: scj, same state */
		ppp_fsm_log(f, LOG_NOTICE, "unknown code %u: Code-Reject", code);
		ppp_fsm_scj(f, buf - PPP_HDRLEN, plen + PPP_HDRLEN);
		return 0;
	}
}

