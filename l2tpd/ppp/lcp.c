/*
 * LCP (see ppp_lcp.h): the Link Control Protocol's options and extra codes
 * on top of the RFC 1661 automaton.
 *
 * Options we ask for: MRU (§6.1, always, the configured value), Magic-Number
 * (§6.4, random), and as authenticator the Authentication-Protocol (§6.2):
 * the configured methods in order; a Nak naming another method we allow
 * moves to it, any other Nak to the next method on our list, and a Reject
 * (or running out of methods) closes the link: an authenticator does not let
 * an unauthenticated peer through.
 *
 * Options the peer asks for:
 *   MRU             128..our MRU acknowledged; smaller or larger Nak'd with
 *                   the nearest bound.
 *   ACCM            acknowledged and ignored.  Over L2TP the LAC does the
 *                   async HDLC framing and learns the ACCM from our SLI
 *                   (RFC 2661 §6.15); the LNS never escapes a byte, so the
 *                   map costs nothing to accept, and Windows clients ask it.
 *   Auth-Protocol   authenticator: rejected (we do not authenticate to
 *                   subscribers); peer: acknowledged when we allow the
 *                   method, else Nak'd with one we allow.
 *   Magic-Number    zero or equal to ours Nak'd with a fresh number (§6.4);
 *                   after Max-Failure collisions the link is looped back and
 *                   closed.
 *   PFC, ACFC       rejected: L2TP carries each PPP frame whole in its own
 *                   datagram, compressing two header octets buys nothing,
 *                   and both ends then keep the full fields (RFC 1661 §6.5,
 *                   §6.6 make both optional).
 *   anything else   rejected (§5.4), as are known options of a wrong length.
 */
#include <errno.h>
#include <string.h>

#include "ppp/ppp.h"

static uint32_t ppp_lcp_new_magic(const struct ppp *p, uint32_t avoid1, uint32_t avoid2)
{
	uint32_t m;

	do
		ppp_random(p, &m, sizeof(m));
	while (m == 0 || m == avoid1 || m == avoid2);
	return m;
}

size_t ppp_lcp_auth_opt(enum ppp_auth_method m, uint8_t out[3])
{
	switch (m) {
	case PPP_AUTH_PAP:
		ppp_put16(out, PPP_PROTO_PAP);
		return 2;
	case PPP_AUTH_CHAP_MD5:
		ppp_put16(out, PPP_PROTO_CHAP);
		out[2] = PPP_CHAP_ALG_MD5;
		return 3;
	case PPP_AUTH_MSCHAPV2:
		ppp_put16(out, PPP_PROTO_CHAP);
		out[2] = PPP_CHAP_ALG_MSCHAPV2;
		return 3;
	default:
		return 0;
	}
}

enum ppp_auth_method ppp_lcp_auth_parse(const uint8_t *data, size_t len)
{
	if (len == 2 && ppp_get16(data) == PPP_PROTO_PAP)
		return PPP_AUTH_PAP;
	if (len == 3 && ppp_get16(data) == PPP_PROTO_CHAP) {
		if (data[2] == PPP_CHAP_ALG_MD5)
			return PPP_AUTH_CHAP_MD5;
		if (data[2] == PPP_CHAP_ALG_MSCHAPV2)
			return PPP_AUTH_MSCHAPV2;
	}
	return PPP_AUTH_NONE;
}

static int ppp_lcp_auth_allowed(const struct ppp *p, enum ppp_auth_method m)
{
	for (unsigned i = 0; i < p->cfg.n_auth; i++)
		if (p->cfg.auth[i] == m)
			return 1;
	return 0;
}

uint16_t ppp_lcp_our_mru(const struct ppp_lcp *l)
{
	return l->neg_mru ? l->want_mru : PPP_MRU_DEFAULT;
}

/* --- our requests ----------------------------------------------------------- */

static void ppp_lcp_resetci(struct ppp_fsm *f)
{
	struct ppp_lcp *l = f->ctx;
	struct ppp *p = l->ppp;

	l->neg_mru = 1;
	l->want_mru = p->cfg.mru;
	l->neg_magic = 1;
	l->magic = ppp_lcp_new_magic(l->ppp, 0, 0);
	l->neg_auth = p->cfg.role == PPP_ROLE_AUTHENTICATOR && p->cfg.n_auth > 0;
	l->auth = l->neg_auth ? p->cfg.auth[0] : PPP_AUTH_NONE;
	l->auth_tried = 0;
	l->magic_collisions = 0;
}

/* MRU (4), Authentication-Protocol (at most 5), Magic-Number (6) */
_Static_assert(4 + 5 + 6 <= PPP_FSM_REQ_MAX, "LCP Configure-Request options must fit");

static size_t ppp_lcp_addci(struct ppp_fsm *f, uint8_t *buf, size_t cap)
{
	struct ppp_lcp *l = f->ctx;
	uint8_t v[4];
	size_t len = 0, n;

	if (l->neg_mru) {
		ppp_put16(v, l->want_mru);
		ppp_opt_put(buf, cap, &len, PPP_LCP_OPT_MRU, v, 2);
	}
	if (l->neg_auth && (n = ppp_lcp_auth_opt(l->auth, v)) > 0)
		ppp_opt_put(buf, cap, &len, PPP_LCP_OPT_AUTH, v, n);
	if (l->neg_magic) {
		ppp_put32(v, l->magic);
		ppp_opt_put(buf, cap, &len, PPP_LCP_OPT_MAGIC, v, 4);
	}
	return len;
}

/* The next method of ours the peer has not refused, NONE if none. */
static enum ppp_auth_method ppp_lcp_next_auth(const struct ppp_lcp *l)
{
	const struct ppp *p = l->ppp;

	for (unsigned i = 0; i < p->cfg.n_auth; i++)
		if (!(l->auth_tried & (1u << p->cfg.auth[i])))
			return p->cfg.auth[i];
	return PPP_AUTH_NONE;
}

static int ppp_lcp_nakci(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	struct ppp_lcp *l = f->ctx;
	struct ppp *p = l->ppp;
	struct ppp_opt o;
	size_t off = 0;
	enum ppp_auth_method m;
	uint16_t mru, max;

	while (ppp_opt_next(opts, len, &off, &o) > 0) {
		switch (o.type) {
		case PPP_LCP_OPT_MRU:
			if (!l->neg_mru || o.dlen != 2)
				break;
			mru = ppp_get16(o.data);
			max = p->cfg.mru > PPP_MRU_DEFAULT ? p->cfg.mru : PPP_MRU_DEFAULT;
			if (mru >= PPP_MRU_MIN && mru <= max) {
				l->want_mru = mru;
			} else {
				/* §6.1: the default 1500 always works */
				ppp_fsm_debug(f, LOG_DBG_FSM, "peer suggests MRU %u: MRU not asked any more",
					      mru);
				l->neg_mru = 0;
			}
			break;
		case PPP_LCP_OPT_AUTH:
			if (!l->neg_auth)
				break;
			l->auth_tried |= 1u << l->auth;
			m = ppp_lcp_auth_parse(o.data, o.dlen);
			if (m != PPP_AUTH_NONE && ppp_lcp_auth_allowed(p, m) &&
			    !(l->auth_tried & (1u << m)))
				l->auth = m;
			else
				l->auth = ppp_lcp_next_auth(l);
			if (l->auth == PPP_AUTH_NONE) {
				ppp_fsm_log(f, LOG_NOTICE, "peer refuses every authentication method we allow");
				ppp_close_link(p, "peer refuses every authentication method we allow");
				return 0;
			}
			ppp_fsm_debug(f, LOG_DBG_FSM, "peer Nak'd our authentication: trying %s",
				      ppp_auth_method_string(l->auth));
			break;
		case PPP_LCP_OPT_MAGIC:
			if (!l->neg_magic || o.dlen != 4)
				break;
			/* §6.4: a Nak of our magic: choose another */
			l->magic = ppp_lcp_new_magic(l->ppp, l->magic, ppp_get32(o.data));
			break;
		default:
			/* options we did not ask for: we keep not asking */
			break;
		}
	}
	return 0;
}

static int ppp_lcp_rejci(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	struct ppp_lcp *l = f->ctx;
	struct ppp *p = l->ppp;
	struct ppp_opt o;
	size_t off = 0;

	while (ppp_opt_next(opts, len, &off, &o) > 0) {
		switch (o.type) {
		case PPP_LCP_OPT_MRU:
			l->neg_mru = 0;
			break;
		case PPP_LCP_OPT_MAGIC:
			l->neg_magic = 0;
			l->magic = 0;
			break;
		case PPP_LCP_OPT_AUTH:
			ppp_fsm_log(f, LOG_NOTICE, "peer rejects authentication: closing");
			ppp_close_link(p, "peer refuses to authenticate");
			return 0;
		default:
			break;
		}
	}
	return 0;
}

/* --- the peer's requests --------------------------------------------------- */

static void ppp_lcp_reqci(struct ppp_fsm *f, const uint8_t *opts, size_t len,
			  struct ppp_fsm_reply *r)
{
	struct ppp_lcp *l = f->ctx;
	struct ppp *p = l->ppp;
	struct ppp_opt o;
	size_t off = 0;
	enum ppp_auth_method m;
	uint8_t v[4];
	uint16_t mru;
	uint32_t magic;
	size_t n;

	l->peer_mru = PPP_MRU_DEFAULT;
	l->peer_neg_magic = 0;
	l->peer_magic = 0;
	l->peer_auth = PPP_AUTH_NONE;
	while (ppp_opt_next(opts, len, &off, &o) > 0) {
		switch (o.type) {
		case PPP_LCP_OPT_MRU:
			if (o.dlen != 2)
				goto bad_len;
			mru = ppp_get16(o.data);
			if (mru < PPP_MRU_MIN || mru > p->cfg.mru) {
				ppp_put16(v, mru < PPP_MRU_MIN ? PPP_MRU_MIN : p->cfg.mru);
				ppp_fsm_reply_nak(r, &o, o.type, v, 2);
				break;
			}
			l->peer_mru = mru;
			break;
		case PPP_LCP_OPT_ACCM:
			if (o.dlen != 4)
				goto bad_len;
			break;	/* acknowledged, see the top of the file */
		case PPP_LCP_OPT_AUTH:
			if (p->cfg.role == PPP_ROLE_AUTHENTICATOR) {
				ppp_fsm_reply_rej(r, &o);
				break;
			}
			m = ppp_lcp_auth_parse(o.data, o.dlen);
			if (m != PPP_AUTH_NONE && ppp_lcp_auth_allowed(p, m)) {
				l->peer_auth = m;
				break;
			}
			if (p->cfg.n_auth == 0) {
				ppp_fsm_reply_rej(r, &o);
				break;
			}
			n = ppp_lcp_auth_opt(p->cfg.auth[0], v);
			ppp_fsm_reply_nak(r, &o, o.type, v, n);
			break;
		case PPP_LCP_OPT_MAGIC:
			if (o.dlen != 4)
				goto bad_len;
			magic = ppp_get32(o.data);
			if (magic != 0 && !(l->neg_magic && magic == l->magic)) {
				l->peer_neg_magic = 1;
				l->peer_magic = magic;
				break;
			}
			if (magic != 0) {
				/* §6.4: our own number: maybe a looped-back link */
				PPP_LCP_COUNT(l, loopback);
				if (++l->magic_collisions > f->max_failure) {
					ppp_fsm_log(f, LOG_WARNING,
						    "magic number collided %u times: link looped back",
						    l->magic_collisions);
					ppp_close_link(p, "loopback detected");
					return;
				}
			}
			/* §6.4: zero is illegal and always Nak'd */
			ppp_put32(v, ppp_lcp_new_magic(l->ppp, l->magic, magic));
			ppp_fsm_reply_nak(r, &o, o.type, v, 4);
			break;
		default:
			/* PFC, ACFC, Quality, Callback, MRRU, ... and unknown */
			ppp_fsm_debug(f, LOG_DBG_FSM, "rejecting option %u", o.type);
			ppp_fsm_reply_rej(r, &o);
			break;
		}
		continue;
bad_len:
		PPP_LCP_COUNT(l, opts_bad_len);
		ppp_fsm_log(f, LOG_NOTICE, "option %u with a wrong length %u: rejected", o.type, o.len);
		ppp_fsm_reply_rej(r, &o);
	}
}

/* --- layer events ------------------------------------------------------------- */

static void ppp_lcp_up(struct ppp_fsm *f)
{
	struct ppp_lcp *l = f->ctx;

	f->io->mtu = l->peer_mru;
	l->magic_collisions = 0;
	ppp_fsm_debug(f, LOG_DBG_EVENT, "MRU %u/%u magic 0x%08x/0x%08x auth %s", ppp_lcp_our_mru(l),
		    l->peer_mru, l->magic, l->peer_magic,
		    ppp_auth_method_string(l->ppp->cfg.role == PPP_ROLE_AUTHENTICATOR ? l->auth
										: l->peer_auth));
	ppp_lcp_echo_start(l);
	ppp_on_lcp_up(l->ppp);
}

static void ppp_lcp_down(struct ppp_fsm *f)
{
	struct ppp_lcp *l = f->ctx;

	ppp_lcp_echo_stop(l);
	f->io->mtu = PPP_MRU_DEFAULT;
	ppp_on_lcp_down(l->ppp);
}

static void ppp_lcp_finished(struct ppp_fsm *f)
{
	struct ppp_lcp *l = f->ctx;

	ppp_on_lcp_finished(l->ppp);
}

/* --- echo and dead-peer detection ------------------------------------------ */

static void ppp_lcp_send_echo(struct ppp_lcp *l)
{
	uint8_t v[4];

	ppp_put32(v, l->neg_magic ? l->magic : 0);
	PPP_LCP_COUNT(l, echo_req_tx);
	ppp_fsm_send(&l->fsm, PPP_ECHO_REQ, l->echo_id++, v, sizeof(v));
}

static void ppp_lcp_echo_tick(struct l2tp_timer *t, void *arg)
{
	struct ppp_lcp *l = arg;
	struct ppp *p = l->ppp;

	ppp_enter(p);
	if (l->fsm.state != PPP_FSM_OPENED)
		goto out;
	if (l->echo_outstanding > 0)
		PPP_LCP_COUNT(l, echo_timeouts);
	if (p->cfg.echo_failures > 0 && l->echo_outstanding >= p->cfg.echo_failures) {
		ppp_fsm_log(&l->fsm, LOG_NOTICE, "%u Echo-Requests unanswered: peer is dead",
			    l->echo_outstanding);
		ppp_link_dead(p, "peer not responding to LCP echo");
		goto out;
	}
	ppp_lcp_send_echo(l);
	l->echo_outstanding++;
	clock_timer_start(l->fsm.io->clk, &l->echo_timer, (uint64_t)p->cfg.echo_interval * 1000);
out:
	ppp_leave(p);
}

void ppp_lcp_echo_start(struct ppp_lcp *l)
{
	struct ppp *p = l->ppp;

	l->echo_outstanding = 0;
	if (p->cfg.echo_interval == 0 || l->echo_disabled)
		return;
	clock_timer_start(l->fsm.io->clk, &l->echo_timer, (uint64_t)p->cfg.echo_interval * 1000);
}

void ppp_lcp_echo_stop(struct ppp_lcp *l)
{
	clock_timer_stop(l->fsm.io->clk, &l->echo_timer);
}

/* §5.8: the Magic-Number of an Echo is the sender's, or zero when it
 * negotiated none; ours coming back means the link is looped. */
static int ppp_lcp_echo_magic_ok(struct ppp_lcp *l, const uint8_t *data, size_t len,
				 const char *what)
{
	uint32_t m;

	if (len < 4) {
		PPP_LCP_COUNT(l, echo_bad);
		ppp_fsm_log(&l->fsm, LOG_NOTICE, "%s without a Magic-Number: dropped", what);
		return 0;
	}
	m = ppp_get32(data);
	if (l->neg_magic && m == l->magic) {
		PPP_LCP_COUNT(l, loopback);
		ppp_fsm_log(&l->fsm, LOG_WARNING, "%s with our own magic 0x%08x: looped back, dropped",
			    what, m);
		return 0;
	}
	if (m != (l->peer_neg_magic ? l->peer_magic : 0)) {
		PPP_LCP_COUNT(l, echo_bad);
		ppp_fsm_log(&l->fsm, LOG_NOTICE, "%s with magic 0x%08x, expected 0x%08x: dropped",
			    what, m, l->peer_neg_magic ? l->peer_magic : 0);
		return 0;
	}
	return 1;
}

/* §5.7 */
static void ppp_lcp_rprotrej(struct ppp_lcp *l, const uint8_t *data, size_t len)
{
	uint16_t proto;

	if (l->fsm.state != PPP_FSM_OPENED) {
		/* §5.7: only meaningful in Opened; silently discarded */
		PPP_FSM_COUNT(&l->fsm, rx_unexpected);
		return;
	}
	if (len < 2) {
		PPP_FSM_COUNT(&l->fsm, rx_malformed);
		ppp_fsm_log(&l->fsm, LOG_NOTICE, "Protocol-Reject without a protocol: dropped");
		return;
	}
	proto = ppp_get16(data);
	PPP_LCP_COUNT(l, proto_rej_rx);
	ppp_fsm_log(&l->fsm, LOG_NOTICE, "peer rejects protocol 0x%04x", proto);
	if (proto == PPP_PROTO_LCP) {
		ppp_set_reason(l->ppp, "peer rejected LCP");
		ppp_fsm_rxj(&l->fsm, 1);
		return;
	}
	ppp_fsm_rxj(&l->fsm, 0);
	ppp_protocol_rejected(l->ppp, proto);
}

static int ppp_lcp_extcode(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data,
			   size_t len)
{
	struct ppp_lcp *l = f->ctx;
	uint8_t reply[PPP_MAX_PACKET];

	switch (code) {
	case PPP_PROTO_REJ:
		ppp_lcp_rprotrej(l, data, len);
		return 0;
	case PPP_ECHO_REQ:
		PPP_LCP_COUNT(l, echo_req_rx);
		if (!ppp_fsm_rxr(f) || !ppp_lcp_echo_magic_ok(l, data, len, "Echo-Request"))
			return 0;
		/* ser: our magic, then the peer's data back */
		if (len > sizeof(reply))
			len = sizeof(reply);
		ppp_put32(reply, l->neg_magic ? l->magic : 0);
		memcpy(reply + 4, data + 4, len - 4);
		PPP_LCP_COUNT(l, echo_rep_tx);
		ppp_fsm_send(f, PPP_ECHO_REP, id, reply, len);
		return 0;
	case PPP_ECHO_REP:
		if (!ppp_fsm_rxr(f) || !ppp_lcp_echo_magic_ok(l, data, len, "Echo-Reply"))
			return 0;
		PPP_LCP_COUNT(l, echo_rep_rx);
		l->echo_outstanding = 0;
		return 0;
	case PPP_DISCARD_REQ:
		PPP_LCP_COUNT(l, discard_rx);
		ppp_fsm_rxr(f);
		return 0;
	case PPP_IDENTIFICATION:
	case PPP_TIME_REMAINING:
		/* RFC 1570 §2: informational, no answer */
		PPP_LCP_COUNT(l, ident_rx);
		return 0;
	default:
		return -ENOENT;
	}
}

static void ppp_lcp_coderej(struct ppp_fsm *f, uint8_t code)
{
	struct ppp_lcp *l = f->ctx;

	if (code == PPP_ECHO_REQ) {
		/* the peer has no echo: dead-peer detection cannot work */
		ppp_fsm_log(f, LOG_NOTICE, "peer does not do LCP echo: dead-peer detection off");
		l->echo_disabled = 1;
		ppp_lcp_echo_stop(l);
	}
}

void ppp_lcp_send_protrej(struct ppp_lcp *l, uint16_t proto, const uint8_t *info, size_t len)
{
	uint8_t data[PPP_MAX_PACKET];

	if (l->fsm.state != PPP_FSM_OPENED)
		return;
	if (len > sizeof(data) - 2)
		len = sizeof(data) - 2;
	ppp_put16(data, proto);
	if (len > 0)
		memcpy(data + 2, info, len);
	PPP_LCP_COUNT(l, proto_rej_tx);
	ppp_fsm_send(&l->fsm, PPP_PROTO_REJ, ppp_fsm_new_id(&l->fsm), data, len + 2);
}

static const struct ppp_fsm_cbs ppp_lcp_cbs = {
	.name = "LCP",
	.proto = PPP_PROTO_LCP,
	.totals_off = offsetof(struct ppp_stats, lcp),
	.resetci = ppp_lcp_resetci,
	.addci = ppp_lcp_addci,
	.reqci = ppp_lcp_reqci,
	.nakci = ppp_lcp_nakci,
	.rejci = ppp_lcp_rejci,
	.up = ppp_lcp_up,
	.down = ppp_lcp_down,
	.finished = ppp_lcp_finished,
	.extcode = ppp_lcp_extcode,
	.coderej = ppp_lcp_coderej,
};

void ppp_lcp_init(struct ppp_lcp *l, struct ppp *p)
{
	memset(l, 0, sizeof(*l));
	l->ppp = p;
	ppp_fsm_init(&l->fsm, &ppp_lcp_cbs, l, &p->io);
	l->fsm.restart_ms = p->cfg.restart_ms;
	l->peer_mru = PPP_MRU_DEFAULT;
	l->want_mru = p->cfg.mru;
	clock_timer_init(&l->echo_timer, ppp_lcp_echo_tick, l);
}

void ppp_lcp_stop(struct ppp_lcp *l)
{
	ppp_lcp_echo_stop(l);
	ppp_fsm_stop(&l->fsm);
}

void ppp_lcp_import(struct ppp_lcp *l, const struct ppp_state *st)
{
	struct ppp *p = l->ppp;

	l->neg_mru = 1;
	l->want_mru = st->mru;
	l->peer_mru = st->peer_mru;
	l->neg_magic = st->magic != 0;
	l->magic = st->magic;
	l->peer_neg_magic = st->peer_magic != 0;
	l->peer_magic = st->peer_magic;
	if (p->cfg.role == PPP_ROLE_AUTHENTICATOR) {
		l->neg_auth = st->auth != PPP_AUTH_NONE;
		l->auth = st->auth;
	} else {
		l->peer_auth = st->auth;
	}
	l->fsm.io->mtu = st->peer_mru;
	ppp_fsm_set_opened(&l->fsm);
	ppp_lcp_echo_start(l);
}
