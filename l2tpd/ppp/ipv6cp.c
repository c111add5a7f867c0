/*
 * IPv6CP, RFC 5072 (see ppp_ipv6cp.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ppp/ppp.h"

static const uint8_t ppp_ipv6cp_zero[PPP_IFID_LEN];

void ppp_ipv6cp_random_ifid(const struct ppp *p, uint8_t out[PPP_IFID_LEN],
			    const uint8_t *avoid1, const uint8_t *avoid2)
{
	for (;;) {
		ppp_random(p, out, PPP_IFID_LEN);
		out[0] &= (uint8_t)~0x02;	/* u bit: not a universal identifier */
		if (memcmp(out, ppp_ipv6cp_zero, PPP_IFID_LEN) == 0)
			continue;
		if (avoid1 != NULL && memcmp(out, avoid1, PPP_IFID_LEN) == 0)
			continue;
		if (avoid2 != NULL && memcmp(out, avoid2, PPP_IFID_LEN) == 0)
			continue;
		return;
	}
}

static void ppp_ipv6cp_resetci(struct ppp_fsm *f)
{
	struct ppp_ipv6cp *c = f->ctx;

	c->neg_ifid = 1;
	if (memcmp(c->ifid, ppp_ipv6cp_zero, PPP_IFID_LEN) == 0)
		ppp_ipv6cp_random_ifid(c->ppp, c->ifid, NULL, NULL);
	/* the peer's identifier is reqci's: a Configure-Request from the peer
	 * is judged before our new request goes out (RCR in Stopped/Opened) */
}

/* Interface-Identifier */
_Static_assert(2 + PPP_IFID_LEN <= PPP_FSM_REQ_MAX, "IPv6CP Configure-Request options must fit");

static size_t ppp_ipv6cp_addci(struct ppp_fsm *f, uint8_t *buf, size_t cap)
{
	struct ppp_ipv6cp *c = f->ctx;
	size_t len = 0;

	if (c->neg_ifid)
		ppp_opt_put(buf, cap, &len, PPP_IPV6CP_OPT_IFID, c->ifid, PPP_IFID_LEN);
	return len;
}

static int ppp_ipv6cp_nakci(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	struct ppp_ipv6cp *c = f->ctx;
	struct ppp_opt o;
	size_t off = 0;

	while (ppp_opt_next(opts, len, &off, &o) > 0) {
		if (o.type != PPP_IPV6CP_OPT_IFID || o.dlen != PPP_IFID_LEN || !c->neg_ifid)
			continue;
		/* §4.1: take the suggestion unless it is zero or the peer's own */
		if (memcmp(o.data, ppp_ipv6cp_zero, PPP_IFID_LEN) != 0 &&
		    memcmp(o.data, c->peer_ifid, PPP_IFID_LEN) != 0)
			memcpy(c->ifid, o.data, PPP_IFID_LEN);
		else {
			uint8_t old[PPP_IFID_LEN];

			memcpy(old, c->ifid, PPP_IFID_LEN);
			ppp_ipv6cp_random_ifid(c->ppp, c->ifid, old, c->peer_ifid);
		}
	}
	return 0;
}

static int ppp_ipv6cp_rejci(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	struct ppp_ipv6cp *c = f->ctx;
	struct ppp_opt o;
	size_t off = 0;

	while (ppp_opt_next(opts, len, &off, &o) > 0)
		if (o.type == PPP_IPV6CP_OPT_IFID)
			c->neg_ifid = 0;
	return 0;
}

static void ppp_ipv6cp_reqci(struct ppp_fsm *f, const uint8_t *opts, size_t len,
			     struct ppp_fsm_reply *r)
{
	struct ppp_ipv6cp *c = f->ctx;
	struct ppp_opt o;
	size_t off = 0;
	uint8_t fresh[PPP_IFID_LEN];

	while (ppp_opt_next(opts, len, &off, &o) > 0) {
		if (o.type != PPP_IPV6CP_OPT_IFID || o.dlen != PPP_IFID_LEN) {
			/* IPv6-Compression-Protocol, unknown, wrong length */
			ppp_fsm_reply_rej(r, &o);
			continue;
		}
		if (memcmp(o.data, ppp_ipv6cp_zero, PPP_IFID_LEN) == 0 ||
		    memcmp(o.data, c->ifid, PPP_IFID_LEN) == 0) {
			/* §4.1: zero, or the same as ours: suggest another */
			ppp_ipv6cp_random_ifid(c->ppp, fresh, c->ifid, o.data);
			ppp_fsm_reply_nak(r, &o, o.type, fresh, PPP_IFID_LEN);
			continue;
		}
		memcpy(c->peer_ifid, o.data, PPP_IFID_LEN);
	}
}

static void ppp_ipv6cp_up(struct ppp_fsm *f)
{
	struct ppp_ipv6cp *c = f->ctx;

	ppp_fsm_log(f, LOG_INFO,
		    "local fe80::%02x%02x:%02x%02x:%02x%02x:%02x%02x remote "
		    "fe80::%02x%02x:%02x%02x:%02x%02x:%02x%02x",
		    c->ifid[0], c->ifid[1], c->ifid[2], c->ifid[3], c->ifid[4], c->ifid[5],
		    c->ifid[6], c->ifid[7], c->peer_ifid[0], c->peer_ifid[1], c->peer_ifid[2],
		    c->peer_ifid[3], c->peer_ifid[4], c->peer_ifid[5], c->peer_ifid[6],
		    c->peer_ifid[7]);
	ppp_on_ncp_up(c->ppp, PPP_PROTO_IPV6CP);
}

static void ppp_ipv6cp_finished(struct ppp_fsm *f)
{
	struct ppp_ipv6cp *c = f->ctx;

	ppp_on_ncp_finished(c->ppp, PPP_PROTO_IPV6CP);
}

static const struct ppp_fsm_cbs ppp_ipv6cp_cbs = {
	.name = "IPV6CP",
	.proto = PPP_PROTO_IPV6CP,
	.totals_off = offsetof(struct ppp_stats, ipv6cp),
	.resetci = ppp_ipv6cp_resetci,
	.addci = ppp_ipv6cp_addci,
	.reqci = ppp_ipv6cp_reqci,
	.nakci = ppp_ipv6cp_nakci,
	.rejci = ppp_ipv6cp_rejci,
	.up = ppp_ipv6cp_up,
	.finished = ppp_ipv6cp_finished,
};

void ppp_ipv6cp_init(struct ppp_ipv6cp *c, struct ppp *p)
{
	memset(c, 0, sizeof(*c));
	c->ppp = p;
	ppp_fsm_init(&c->fsm, &ppp_ipv6cp_cbs, c, &p->io);
	c->fsm.restart_ms = p->cfg.restart_ms;
	ppp_ipv6cp_random_ifid(c->ppp, c->ifid, NULL, NULL);
}

int ppp_ipv6cp_create(struct ppp *p)
{
	if (!p->cfg.ipv6) {
		/* the identifier IPv6CP would have offered, drawn all the same:
		 * a link exports it (ppp_state.local_ifid) and the random stream
		 * stays as it was (tests seed it; golden files hold what follows) */
		ppp_ipv6cp_random_ifid(p, p->ifid, NULL, NULL);
		return 0;
	}
	p->ipv6cp = malloc(sizeof(*p->ipv6cp));
	if (p->ipv6cp == NULL)
		return -ENOMEM;
	ppp_ipv6cp_init(p->ipv6cp, p);
	return 0;
}

void ppp_ipv6cp_stop(struct ppp_ipv6cp *c)
{
	ppp_fsm_stop(&c->fsm);
}

void ppp_ipv6cp_import(struct ppp_ipv6cp *c, const struct ppp_state *st)
{
	memcpy(c->ifid, st->local_ifid, PPP_IFID_LEN);
	memcpy(c->peer_ifid, st->peer_ifid, PPP_IFID_LEN);
	c->neg_ifid = 1;
	ppp_fsm_set_opened(&c->fsm);
}
