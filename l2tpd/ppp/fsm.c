/*
 * The RFC 1661 §4 option-negotiation automaton (see ppp/fsm.h); the receive side is fsm_input.c.
 *
 * One function per event; each follows its row of the §4.1 table:
 *
 *        | 0 Initial 1 Starting 2 Closed  3 Stopped     4 Closing 5 Stopping
 *   Up   |   2       irc,scr/6    -         -             -         -
 *   Down |   -         -          0       tls/1           0         1
 *   Open | tls/1       1       irc,scr/6    3r            5r        5r
 *   Close|   0       tlf/0        2         2             4         4
 *   TO+  |   -         -          -         -           str/4     str/5
 *   TO-  |   -         -          -         -           tlf/2     tlf/3
 *   RCR+ |   -         -        sta/2  irc,scr,sca/8      4         5
 *   RCR- |   -         -        sta/2  irc,scr,scn/6      4         5
 *   RCA  |   -         -        sta/2     sta/3           4         5
 *   RCN  |   -         -        sta/2     sta/3           4         5
 *   RTR  |   -         -        sta/2     sta/3         sta/4     sta/5
 *   RTA  |   -         -          2         3           tlf/2     tlf/3
 *   RUC  |   -         -        scj/2     scj/3         scj/4     scj/5
 *   RXJ+ |   -         -          2         3             4         5
 *   RXJ- |   -         -        tlf/2     tlf/3         tlf/2     tlf/3
 *   RXR  |   -         -          2         3             4         5
 *
 *        | 6 Req-Sent  7 Ack-Rcvd  8 Ack-Sent  9 Opened
 *   Up   |    -           -           -           -
 *   Down |    1           1           1         tld/1
 *   Open |    6           7           8           9r
 *   Close| irc,str/4   irc,str/4   irc,str/4  tld,irc,str/4
 *   TO+  |  scr/6       scr/6       scr/8         -
 *   TO-  |  tlf/3p      tlf/3p      tlf/3p        -
 *   RCR+ |  sca/8     sca,tlu/9     sca/8    tld,scr,sca/8
 *   RCR- |  scn/6       scn/7       scn/6    tld,scr,scn/6
 *   RCA  |  irc/7       scr/6x    irc,tlu/9   tld,scr/6x
 *   RCN  | irc,scr/6    scr/6x    irc,scr/8   tld,scr/6x
 *   RTR  |  sta/6       sta/6       sta/6    tld,zrc,sta/5
 *   RTA  |    6           6           8       tld,scr/6
 *   RUC  |  scj/6       scj/7       scj/8       scj/9
 *   RXJ+ |    6           6           8           9
 *   RXJ- |  tlf/3       tlf/3       tlf/3    tld,irc,str/5
 *   RXR  |    6           7           8         ser/9
 *
 * "-" events cannot happen in that state; they are logged and ignored.  The
 * restart ("r") and passive ("p") options are not implemented: an L2TP
 * session's PPP is opened once, actively, and its lower layer never comes
 * back once down.
 *
 * Ordering: tld always comes first, then the counter and send actions, then
 * the new state is entered, then tlu/tlf/tls, so that a layer callback sees
 * the automaton in its new state.  A callback may start events on other
 * automata; the only event it may start on its own automaton is Close,
 * from nakci/rejci (negotiation cannot succeed), after which the automaton
 * stops working on the packet at hand.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ppp/fsm.h"
#include "ppp/fsm_int.h"

static const char *const ppp_fsm_state_names[PPP_FSM_NSTATES] = {
	"Initial", "Starting", "Closed", "Stopped", "Closing",
	"Stopping", "Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened",
};

const char *ppp_fsm_state_string(enum ppp_fsm_state s)
{
	if ((unsigned)s >= PPP_FSM_NSTATES)
		return "?";
	return ppp_fsm_state_names[s];
}

const char *ppp_fsm_code_string(uint8_t code)
{
	static const char *const names[] = {
		"Code-0", "Configure-Request", "Configure-Ack", "Configure-Nak",
		"Configure-Reject", "Terminate-Request", "Terminate-Ack", "Code-Reject",
		"Protocol-Reject", "Echo-Request", "Echo-Reply", "Discard-Request",
		"Identification", "Time-Remaining",
	};

	if (code < sizeof(names) / sizeof(names[0]))
		return names[code];
	return "unknown code";
}

/* --- logging ------------------------------------------------------------------ */

/* "PREFIX" "LCP: " into pre: a line's start, made once. */
static void ppp_fsm_prefix(const struct ppp_fsm *f, char *pre, size_t size)
{
	const char *part[3] = { f->io->prefix ? f->io->prefix : "", f->cb->name, ": " };
	size_t n = 0;

	/* By hand: snprintf cost more than the line it starts. */
	for (int i = 0; i < 3; i++) {
		size_t k = strlen(part[i]);

		if (k > size - 1 - n)
			k = size - 1 - n;
		memcpy(pre + n, part[i], k);
		n += k;
	}
	pre[n] = '\0';
}

void ppp_fsm_log(const struct ppp_fsm *f, int prio, const char *fmt, ...)
{
	char pre[160];
	va_list ap;

	if (f->io->log == NULL || (prio & 7) > f->io->log->level)
		return;
	ppp_fsm_prefix(f, pre, sizeof pre);
	va_start(ap, fmt);
	log_vmsg_pre(f->io->log, prio, pre, fmt, ap);
	va_end(ap);
}

void ppp_fsm_debug(const struct ppp_fsm *f, unsigned cat, const char *fmt, ...)
{
	char pre[160];
	va_list ap;

	if (f->io->log == NULL || !(f->io->log->debug & cat))
		return;
	ppp_fsm_prefix(f, pre, sizeof pre);
	va_start(ap, fmt);
	log_vdebug_pre(f->io->log, cat, pre, fmt, ap);
	va_end(ap);
}

/* --- options ----------------------------------------------------------------- */

int ppp_opt_next(const uint8_t *buf, size_t len, size_t *off, struct ppp_opt *o)
{
	size_t at = *off;

	if (at >= len)
		return 0;
	/* §6: Type, Length (which counts Type and Length), Data */
	if (len - at < 2 || buf[at + 1] < 2 || buf[at + 1] > len - at)
		return -EBADMSG;
	o->type = buf[at];
	o->len = buf[at + 1];
	o->raw = buf + at;
	o->data = buf + at + 2;
	o->dlen = (size_t)o->len - 2;
	*off = at + o->len;
	return 1;
}

int ppp_opts_check(const uint8_t *buf, size_t len)
{
	struct ppp_opt o;
	size_t off = 0;
	int rc;

	while ((rc = ppp_opt_next(buf, len, &off, &o)) > 0)
		;
	return rc;
}

int ppp_opt_put(uint8_t *buf, size_t cap, size_t *len, uint8_t type, const void *data, size_t dlen)
{
	if (dlen > 253 || *len > cap || cap - *len < dlen + 2)
		return -ENOSPC;
	buf[*len] = type;
	buf[*len + 1] = (uint8_t)(dlen + 2);
	if (dlen > 0)
		memcpy(buf + *len + 2, data, dlen);
	*len += dlen + 2;
	return 0;
}

void ppp_fsm_reply_nak(struct ppp_fsm_reply *r, const struct ppp_opt *o, uint8_t type,
		       const void *data, size_t dlen)
{
	if (ppp_opt_put(r->nak, sizeof(r->nak), &r->nak_len, type, data, dlen) < 0)
		return;
	r->n_nak++;
	if (o != NULL && r->nak_orig_len + o->len <= sizeof(r->nak_orig)) {
		memcpy(r->nak_orig + r->nak_orig_len, o->raw, o->len);
		r->nak_orig_len += o->len;
	}
}

void ppp_fsm_reply_rej(struct ppp_fsm_reply *r, const struct ppp_opt *o)
{
	if (r->rej_len + o->len > sizeof(r->rej))
		return;
	memcpy(r->rej + r->rej_len, o->raw, o->len);
	r->rej_len += o->len;
	r->n_rej++;
}

/* --- sending -------------------------------------------------------------------- */

uint8_t ppp_fsm_new_id(struct ppp_fsm *f)
{
	return f->next_id++;
}

void ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	uint8_t pkt[PPP_MAX_PACKET];
	size_t max = f->io->mtu;

	if (max < PPP_MRU_MIN || max > sizeof(pkt))
		max = max < PPP_MRU_MIN ? PPP_MRU_MIN : sizeof(pkt);
	if (len > max - PPP_HDRLEN)
		len = max - PPP_HDRLEN;	/* Code-Reject, Echo: §5.6-§5.8 truncate to the MRU */
	pkt[0] = code;
	pkt[1] = id;
	ppp_put16(pkt + 2, (uint16_t)(len + PPP_HDRLEN));
	if (len > 0)
		memcpy(pkt + PPP_HDRLEN, data, len);
	PPP_FSM_COUNT(f, tx_packets);
	ppp_fsm_debug(f, LOG_DBG_PACKET, "sent %s id %u len %zu", ppp_fsm_code_string(code), id,
		      len + PPP_HDRLEN);
	f->io->output(f->io->arg, f->cb->proto, pkt, len + PPP_HDRLEN);
}

/* --- actions (§4.4) --------------------------------------------------------------- */

static int ppp_fsm_timer_runs(enum ppp_fsm_state s)
{
	/* §4.6: the Restart timer runs in Closing, Stopping, Req-Sent,
	 * Ack-Rcvd and Ack-Sent */
	return s >= PPP_FSM_CLOSING && s <= PPP_FSM_ACK_SENT;
}

void ppp_fsm_set_state(struct ppp_fsm *f, enum ppp_fsm_state s, const char *ev)
{
	if (f->state != s)
		ppp_fsm_debug(f, LOG_DBG_FSM, "%s -> %s (%s)", ppp_fsm_state_string(f->state),
			      ppp_fsm_state_string(s), ev);
	f->state = s;
	if (!ppp_fsm_timer_runs(s))
		clock_timer_stop(f->io->clk, &f->timer);
}

static void ppp_fsm_start_timer(struct ppp_fsm *f)
{
	clock_timer_start(f->io->clk, &f->timer, f->restart_ms);
}

void ppp_fsm_irc(struct ppp_fsm *f, int terminate)
{
	f->restart_count = terminate ? f->max_terminate : f->max_configure;
}

void ppp_fsm_zrc(struct ppp_fsm *f)
{
	/* §4.4: zero the counter, and still wait one timeout so the peer
	 * sees our Terminate-Ack before we finish */
	f->restart_count = 0;
	ppp_fsm_start_timer(f);
}

void ppp_fsm_tlu(struct ppp_fsm *f)
{
	/* At info, the link's one line is its "PPP up" (l2tp/ppp.c). */
	ppp_fsm_debug(f, LOG_DBG_EVENT, "opened");
	if (f->cb->up)
		f->cb->up(f);
}

void ppp_fsm_tld(struct ppp_fsm *f)
{
	if (f->cb->down)
		f->cb->down(f);
}

static void ppp_fsm_tls(struct ppp_fsm *f)
{
	if (f->cb->started)
		f->cb->started(f);
}

void ppp_fsm_tlf(struct ppp_fsm *f)
{
	if (f->cb->finished)
		f->cb->finished(f);
}

/*
 * scr: retransmit is set on TO+: the same options under the same
 * Identifier while no valid reply has come (§5.1: it MUST change when the
 * options change or a reply was received, MAY stay for a retransmission).
 * A peer that starts late finds every copy queued and answers each; with
 * one Identifier its first answer is current and the rest are duplicates.
 * With a fresh Identifier a copy only the last answer counted, and a peer
 * that counts its Naks (Max-Failure) gave up before reaching it: pppd,
 * after five Naks of queued copies, rejects our authentication.  A late
 * Ack of an earlier copy carries the same options (checked exactly).
 */
void ppp_fsm_scr(struct ppp_fsm *f, int retransmit)
{
	/* A new negotiation (not a retransmission nor the answer to a Nak)
	 * starts from the configured wishes. */
	if (f->state != PPP_FSM_REQ_SENT && f->state != PPP_FSM_ACK_RCVD &&
	    f->state != PPP_FSM_ACK_SENT) {
		if (f->cb->resetci)
			f->cb->resetci(f);
		f->nak_count = 0;
	}
	if (!retransmit) {
		size_t n = f->cb->addci ? f->cb->addci(f, f->req, sizeof(f->req)) : 0;

		f->req_len = n > sizeof(f->req) ? 0 : (uint8_t)n;
	}
	if (!retransmit || f->req_answered)
		f->req_id = ppp_fsm_new_id(f);
	f->req_answered = 0;
	if (f->restart_count > 0)
		f->restart_count--;
	PPP_FSM_COUNT(f, tx_conf_req);
	if (retransmit)
		PPP_FSM_COUNT(f, tx_retransmits);
	ppp_fsm_send(f, PPP_CONF_REQ, f->req_id, f->req, f->req_len);
	ppp_fsm_start_timer(f);
}

void ppp_fsm_str(struct ppp_fsm *f, int retransmit)
{
	if (f->restart_count > 0)
		f->restart_count--;
	if (retransmit)
		PPP_FSM_COUNT(f, tx_retransmits);
	ppp_fsm_send(f, PPP_TERM_REQ, ppp_fsm_new_id(f), (const uint8_t *)f->term_reason,
		     f->term_reason != NULL ? strlen(f->term_reason) : 0);
	ppp_fsm_start_timer(f);
}

void ppp_fsm_sta(struct ppp_fsm *f, uint8_t id)
{
	ppp_fsm_send(f, PPP_TERM_ACK, id, NULL, 0);
}

void ppp_fsm_sca(struct ppp_fsm *f, uint8_t id, const uint8_t *opts, size_t len)
{
	f->nak_count = 0;	/* §4.6: Max-Failure counts Naks since the last Ack */
	PPP_FSM_COUNT(f, tx_conf_ack);
	ppp_fsm_send(f, PPP_CONF_ACK, id, opts, len);
}

void ppp_fsm_scn(struct ppp_fsm *f, uint8_t id, uint8_t code, const uint8_t *opts,
			size_t len)
{
	if (code == PPP_CONF_NAK) {
		f->nak_count++;
		PPP_FSM_COUNT(f, tx_conf_nak);
	} else {
		PPP_FSM_COUNT(f, tx_conf_rej);
	}
	ppp_fsm_send(f, code, id, opts, len);
}

void ppp_fsm_scj(struct ppp_fsm *f, const uint8_t *pkt, size_t len)
{
	PPP_FSM_COUNT(f, rx_unknown_code);
	/* §5.6: the rejected packet, from its Code, truncated to the MRU */
	ppp_fsm_send(f, PPP_CODE_REJ, ppp_fsm_new_id(f), pkt, len);
}

void ppp_fsm_illegal(struct ppp_fsm *f, const char *ev)
{
	ppp_fsm_debug(f, LOG_DBG_ERROR, "event %s cannot happen in state %s: ignored", ev,
		      ppp_fsm_state_string(f->state));
}

/* --- administrative and lower-layer events (§4.3) ----------------------------- */

void ppp_fsm_lower_up(struct ppp_fsm *f)
{
	switch (f->state) {
	case PPP_FSM_INITIAL:
		ppp_fsm_set_state(f, PPP_FSM_CLOSED, "Up");
		break;
	case PPP_FSM_STARTING:
		ppp_fsm_irc(f, 0);
		ppp_fsm_scr(f, 0);
		ppp_fsm_set_state(f, PPP_FSM_REQ_SENT, "Up");
		break;
	default:
		ppp_fsm_illegal(f, "Up");
		break;
	}
}

void ppp_fsm_lower_down(struct ppp_fsm *f)
{
	switch (f->state) {
	case PPP_FSM_CLOSED:
	case PPP_FSM_CLOSING:
		ppp_fsm_set_state(f, PPP_FSM_INITIAL, "Down");
		break;
	case PPP_FSM_STOPPED:
		ppp_fsm_set_state(f, PPP_FSM_STARTING, "Down");
		ppp_fsm_tls(f);
		break;
	case PPP_FSM_STOPPING:
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
		ppp_fsm_set_state(f, PPP_FSM_STARTING, "Down");
		break;
	case PPP_FSM_OPENED:
		ppp_fsm_tld(f);
		ppp_fsm_set_state(f, PPP_FSM_STARTING, "Down");
		break;
	default:
		ppp_fsm_illegal(f, "Down");
		break;
	}
}

void ppp_fsm_open(struct ppp_fsm *f)
{
	switch (f->state) {
	case PPP_FSM_INITIAL:
		ppp_fsm_set_state(f, PPP_FSM_STARTING, "Open");
		ppp_fsm_tls(f);
		break;
	case PPP_FSM_CLOSED:
		ppp_fsm_irc(f, 0);
		ppp_fsm_scr(f, 0);
		ppp_fsm_set_state(f, PPP_FSM_REQ_SENT, "Open");
		break;
	case PPP_FSM_CLOSING:
		ppp_fsm_set_state(f, PPP_FSM_STOPPING, "Open");
		break;
	default:
		/* Starting, Stopped, Stopping, Req-Sent..Opened: no change */
		break;
	}
}

void ppp_fsm_close(struct ppp_fsm *f, const char *reason)
{
	ppp_fsm_set_term_reason(f, reason);
	switch (f->state) {
	case PPP_FSM_STARTING:
		ppp_fsm_set_state(f, PPP_FSM_INITIAL, "Close");
		ppp_fsm_tlf(f);
		break;
	case PPP_FSM_STOPPED:
		ppp_fsm_set_state(f, PPP_FSM_CLOSED, "Close");
		break;
	case PPP_FSM_STOPPING:
		ppp_fsm_set_state(f, PPP_FSM_CLOSING, "Close");
		break;
	case PPP_FSM_OPENED:
		ppp_fsm_tld(f);
		/* fall through */
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
		ppp_fsm_irc(f, 1);
		ppp_fsm_str(f, 0);
		ppp_fsm_set_state(f, PPP_FSM_CLOSING, "Close");
		break;
	default:
		/* Initial, Closed, Closing: no change */
		break;
	}
}

/* TO+ / TO- (§4.6): the Restart timer expired. */
static void ppp_fsm_timeout_event(struct ppp_fsm *f)
{
	if (f->restart_count > 0) {
		switch (f->state) {
		case PPP_FSM_CLOSING:
		case PPP_FSM_STOPPING:
			ppp_fsm_str(f, 1);
			break;
		case PPP_FSM_REQ_SENT:
		case PPP_FSM_ACK_RCVD:
			ppp_fsm_scr(f, 1);
			ppp_fsm_set_state(f, PPP_FSM_REQ_SENT, "TO+");
			break;
		case PPP_FSM_ACK_SENT:
			ppp_fsm_scr(f, 1);
			break;
		default:
			ppp_fsm_illegal(f, "TO+");
			break;
		}
		return;
	}
	switch (f->state) {
	case PPP_FSM_CLOSING:
		ppp_fsm_set_state(f, PPP_FSM_CLOSED, "TO-");
		ppp_fsm_tlf(f);
		break;
	case PPP_FSM_STOPPING:
		ppp_fsm_set_state(f, PPP_FSM_STOPPED, "TO-");
		ppp_fsm_tlf(f);
		break;
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
		PPP_FSM_COUNT(f, timeouts);
		ppp_fsm_log(f, LOG_NOTICE, "no answer after %u Configure-Requests",
			    f->max_configure);
		ppp_fsm_set_state(f, PPP_FSM_STOPPED, "TO-");
		ppp_fsm_tlf(f);
		break;
	default:
		ppp_fsm_illegal(f, "TO-");
		break;
	}
}

static void ppp_fsm_timeout(struct l2tp_timer *t, void *arg)
{
	struct ppp_fsm *f = arg;
	struct ppp_fsm_io *io = f->io;
	void *io_arg = io->arg;
	void (*leave)(void *) = io->leave;

	(void)t;
	if (io->enter)
		io->enter(io_arg);
	ppp_fsm_timeout_event(f);
	/* f may be gone only once leave() returns */
	if (leave)
		leave(io_arg);
}

/* --- life cycle -------------------------------------------------------------- */

void ppp_fsm_init(struct ppp_fsm *f, const struct ppp_fsm_cbs *cb, void *ctx,
		  struct ppp_fsm_io *io)
{
	memset(f, 0, sizeof(*f));
	f->state = PPP_FSM_INITIAL;
	f->cb = cb;
	f->ctx = ctx;
	f->io = io;
	f->restart_ms = PPP_FSM_RESTART_MS;
	f->max_terminate = PPP_FSM_MAX_TERMINATE;
	f->max_configure = PPP_FSM_MAX_CONFIGURE;
	f->max_failure = PPP_FSM_MAX_FAILURE;
	clock_timer_init(&f->timer, ppp_fsm_timeout, f);
}

void ppp_fsm_stop(struct ppp_fsm *f)
{
	clock_timer_stop(f->io->clk, &f->timer);
	free(f->term_reason);
	f->term_reason = NULL;
}

void ppp_fsm_set_term_reason(struct ppp_fsm *f, const char *reason)
{
	free(f->term_reason);
	f->term_reason = NULL;
	if (reason == NULL || reason[0] == '\0')
		return;
	f->term_reason = strndup(reason, PPP_FSM_TERM_REASON_MAX - 1);
	if (f->term_reason == NULL)
		ppp_fsm_log(f, LOG_ERR, "out of memory: Terminate-Request without its reason");
}

void ppp_fsm_set_opened(struct ppp_fsm *f)
{
	ppp_fsm_set_state(f, PPP_FSM_OPENED, "import");
	f->req_answered = 1;
}
