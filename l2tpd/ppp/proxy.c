/*
 * Opening a link from what a LAC proxied (RFC 2661 §4.4.5): LCP as the LAC
 * negotiated it with the subscriber, when we can live with every option
 * of it, and the subscriber's authentication, checked as if it had come
 * to us (see ppp_open_proxy() in ppp/ppp.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ppp/ppp.h"

/* What one Configure-Request asked (RFC 1661 §6): 0 for what it did not. */
struct proxy_side {
	uint16_t mru;
	uint32_t magic;
	enum ppp_auth_method auth;	/* only in the authenticator's (the LAC's) */
};

/* What the two Configure-Requests settled. */
struct proxy_lcp {
	uint16_t our_mru, peer_mru;	/* 0: not asked (1500) */
	uint32_t our_magic, peer_magic;	/* 0: not asked */
	enum ppp_auth_method auth;	/* what the LAC asked the subscriber for */
};

/*
 * Walk one Configure-Request's options; 0, or -EPROTO with why set for an
 * option this link would not have agreed to.  lac: the LAC's request (it
 * may ask for authentication), else the subscriber's.
 */
static int proxy_parse(const uint8_t *o, size_t len, int lac, struct proxy_side *ps, char *why,
		       size_t whysz)
{
	size_t off = 0, olen = 0;

	memset(ps, 0, sizeof(*ps));
	while (off < len) {
		if (len - off < 2 || (olen = o[off + 1]) < 2 || olen > len - off) {
			snprintf(why, whysz, "malformed LCP option at offset %zu", off);
			return -EPROTO;
		}
		switch (o[off]) {
		case PPP_LCP_OPT_MRU:
			if (olen != 4)
				goto bad;
			ps->mru = ppp_get16(o + off + 2);
			break;
		case PPP_LCP_OPT_MAGIC:
			if (olen != 6)
				goto bad;
			ps->magic = ppp_get32(o + off + 2);
			break;
		case PPP_LCP_OPT_ACCM:
			if (olen != 6)
				goto bad;
			break;	/* acknowledged and ignored, as ppp/lcp.c does */
		case PPP_LCP_OPT_AUTH:
			/* the subscriber asking the LAC to authenticate: not done */
			if (!lac)
				goto bad;
			ps->auth = ppp_lcp_auth_parse(o + off + 2, olen - 2);
			if (ps->auth == PPP_AUTH_NONE)
				goto bad;
			break;
		default:
			goto bad;	/* PFC, ACFC, callback, MRRU...: ppp/lcp.c rejects them */
		}
		off += olen;
	}
	return 0;
bad:
	snprintf(why, whysz, "%s LCP option %u (length %zu) not acceptable",
		 lac ? "LAC's" : "subscriber's", o[off], olen);
	return -EPROTO;
}

/* Both requests: the LAC's (lac_req) and the subscriber's (sub_req). */
static int proxy_parse_both(const struct ppp_proxy *px, const uint8_t *lac_req, size_t lac_len,
			    const uint8_t *sub_req, size_t sub_len, struct proxy_side *lac,
			    struct proxy_side *sub, char *why, size_t whysz)
{
	(void)px;
	if (proxy_parse(lac_req, lac_len, 1, lac, why, whysz) < 0 ||
	    proxy_parse(sub_req, sub_len, 0, sub, why, whysz) < 0)
		return -EPROTO;
	if ((lac->mru && lac->mru < PPP_MRU_MIN) || (sub->mru && sub->mru < PPP_MRU_MIN)) {
		snprintf(why, whysz, "MRU %u/%u out of range", lac->mru, sub->mru);
		return -EPROTO;
	}
	if (lac->magic != 0 && lac->magic == sub->magic) {
		snprintf(why, whysz, "equal magic numbers (loopback?)");
		return -EPROTO;
	}
	return 0;
}

/* Whether this link would have settled the same (its configuration). */
static int proxy_acceptable(const struct ppp *p, const struct ppp_proxy *px, struct proxy_lcp *pl,
			    char *why, size_t whysz)
{
	struct proxy_side lac, sub;
	unsigned i;
	int ok = 0;

	if (proxy_parse_both(px, px->our_req, px->our_len, px->peer_req, px->peer_len, &lac, &sub,
			     why, whysz) < 0)
		return -EPROTO;
	/* we, the LNS, stand for the LAC: its request is ours */
	pl->our_mru = lac.mru;
	pl->our_magic = lac.magic;
	pl->auth = lac.auth;
	pl->peer_mru = sub.mru;
	pl->peer_magic = sub.magic;
	if (p->cfg.n_auth == 0)
		return pl->auth == PPP_AUTH_NONE ? 0 : (snprintf(why, whysz, "no authentication "
								 "configured here"), -EPROTO);
	for (i = 0; i < p->cfg.n_auth; i++)
		if (p->cfg.auth[i] == pl->auth)
			ok = 1;
	/* MS-CHAPv2 has no Proxy Authen Type (§4.4.5): it cannot be proxied */
	if (!ok || pl->auth == PPP_AUTH_MSCHAPV2) {
		snprintf(why, whysz, "authentication %s not acceptable by proxy",
			 ppp_auth_method_string(pl->auth));
		return -EPROTO;
	}
	if (!px->has_auth || px->auth.method != pl->auth) {
		snprintf(why, whysz, "no proxy authentication for %s",
			 ppp_auth_method_string(pl->auth));
		return -EPROTO;
	}
	return 0;
}

/* LCP Opened as the proxy says, nothing sent (as an import). */
static void proxy_lcp_open(struct ppp *p, const struct proxy_lcp *pl)
{
	struct ppp_lcp *l = &p->lcp;

	l->neg_mru = 1;
	l->want_mru = pl->our_mru ? pl->our_mru : PPP_MRU_DEFAULT;
	l->peer_mru = pl->peer_mru ? pl->peer_mru : PPP_MRU_DEFAULT;
	l->neg_magic = pl->our_magic != 0;
	l->magic = pl->our_magic;
	l->peer_neg_magic = pl->peer_magic != 0;
	l->peer_magic = pl->peer_magic;
	l->neg_auth = pl->auth != PPP_AUTH_NONE;
	l->auth = pl->auth;
	l->fsm.io->mtu = l->peer_mru;
	ppp_fsm_set_opened(&l->fsm);
	ppp_lcp_echo_start(l);
}

int ppp_open_proxy(struct ppp *p, const struct ppp_proxy *px, char *why, size_t whysz)
{
	struct proxy_lcp pl;

	if (p->phase != PPP_PHASE_DEAD || p->cfg.role != PPP_ROLE_AUTHENTICATOR)
		return -EALREADY;
	if (proxy_acceptable(p, px, &pl, why, whysz) < 0)
		return -EPROTO;
	ppp_enter(p);
	proxy_lcp_open(p, &pl);
	p->auth_method = pl.auth;
	p->auth_ok = 0;
	/* At info the link's "PPP up" line says it is up. */
	ppp_debug(p, LOG_DBG_EVENT, "LCP from the LAC's proxy: MRU %u/%u, magic 0x%08x/0x%08x, %s",
		p->lcp.want_mru, p->lcp.peer_mru, pl.our_magic, pl.peer_magic,
		ppp_auth_method_string(pl.auth));
	if (pl.auth == PPP_AUTH_NONE) {
		ppp_on_lcp_up(p);	/* straight to the Network phase */
		ppp_leave(p);
		return 0;
	}
	/* RFC 2661 §4.4.5: the subscriber's answer to the LAC is checked as
	 * ours; the verdict (Ack/Success or Nak/Failure) goes to the
	 * subscriber with the Identifier it used. */
	p->phase = PPP_PHASE_AUTHENTICATE;
	clock_timer_start(p->io.clk, &p->auth_timer, p->cfg.auth_timeout_ms);
	if (pl.auth == PPP_AUTH_PAP) {
		p->pap.authenticator = 1;
		p->pap.id = px->auth.id;
		p->pap.state = PPP_PAP_PENDING;
	} else {
		p->chap.authenticator = 1;
		p->chap.method = pl.auth;
		p->chap.id = px->auth.id;
		p->chap.state = PPP_CHAP_PENDING;
	}
	ppp_auth_submit(p, &px->auth);
	ppp_leave(p);
	return 0;
}

int ppp_open_proxied_peer(struct ppp *p, const struct ppp_proxy *px, char *why, size_t whysz)
{
	struct proxy_side lac, sub;
	struct proxy_lcp pl;

	if (p->phase != PPP_PHASE_DEAD || p->cfg.role != PPP_ROLE_PEER)
		return -EALREADY;
	/* the subscriber's request is ours here, the LAC's the peer's */
	if (proxy_parse_both(px, px->peer_req, px->peer_len, px->our_req, px->our_len, &lac, &sub,
			     why, whysz) < 0)
		return -EPROTO;
	if (lac.auth != PPP_AUTH_NONE && (!px->has_auth || px->auth.method != lac.auth)) {
		snprintf(why, whysz, "no authentication for %s", ppp_auth_method_string(lac.auth));
		return -EPROTO;
	}
	memset(&pl, 0, sizeof(pl));
	pl.our_mru = sub.mru;
	pl.our_magic = sub.magic;
	pl.peer_mru = lac.mru;
	pl.peer_magic = lac.magic;
	ppp_enter(p);
	proxy_lcp_open(p, &pl);
	p->lcp.neg_auth = 0;
	p->lcp.peer_auth = lac.auth;
	p->auth_method = lac.auth;
	if (lac.auth == PPP_AUTH_NONE) {
		ppp_on_lcp_up(p);
		ppp_leave(p);
		return 0;
	}
	/* the request (PAP) or response (CHAP) went to the LAC: the answer
	 * comes from the LNS, with the same Identifier */
	p->phase = PPP_PHASE_AUTHENTICATE;
	clock_timer_start(p->io.clk, &p->auth_timer, p->cfg.auth_timeout_ms);
	if (lac.auth == PPP_AUTH_PAP) {
		p->pap.authenticator = 0;
		p->pap.id = px->auth.id;
		p->pap.state = PPP_PAP_WAIT;
	} else {
		p->chap.authenticator = 0;
		p->chap.method = lac.auth;
		p->chap.id = px->auth.id;
		p->chap.state = PPP_CHAP_RESPONDED;
	}
	ppp_debug(p, LOG_DBG_EVENT, "opened as proxied by the LAC: %s Identifier %u sent",
		ppp_auth_method_string(lac.auth), px->auth.id);
	ppp_leave(p);
	return 0;
}
