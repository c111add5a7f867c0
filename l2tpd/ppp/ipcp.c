/*
 * IPCP, RFC 1332 and RFC 1877 (see ppp_ipcp.h).
 */
#include <arpa/inet.h>
#include <string.h>

#include "ppp/ppp.h"

static int ppp_ipcp_lns(const struct ppp_ipcp *c)
{
	return c->ppp->cfg.role == PPP_ROLE_AUTHENTICATOR;
}

static int ppp_ipcp_dns_index(uint8_t type)
{
	return type == PPP_IPCP_OPT_DNS1 ? 0 : 1;
}

static void ppp_ipcp_resetci(struct ppp_fsm *f)
{
	struct ppp_ipcp *c = f->ctx;
	const struct ppp_link_cfg *cfg = &c->ppp->cfg;

	/* not the peer's address: reqci sets it, and on an RCR in Stopped or
	 * Opened it runs before this reset */
	c->addr = cfg->local_addr;
	if (ppp_ipcp_lns(c)) {
		c->neg_addr = cfg->local_addr.s_addr != 0;
		c->neg_dns[0] = c->neg_dns[1] = 0;
	} else {
		/* 0.0.0.0: "please give me an address" (RFC 1332 §3.3) */
		c->neg_addr = 1;
		c->neg_dns[0] = c->neg_dns[1] = 1;
		c->dns[0].s_addr = c->dns[1].s_addr = 0;
	}
}

/* IP-Address and two DNS servers, 6 octets each */
_Static_assert(3 * 6 <= PPP_FSM_REQ_MAX, "IPCP Configure-Request options must fit");

static size_t ppp_ipcp_addci(struct ppp_fsm *f, uint8_t *buf, size_t cap)
{
	struct ppp_ipcp *c = f->ctx;
	size_t len = 0;

	if (c->neg_addr)
		ppp_opt_put(buf, cap, &len, PPP_IPCP_OPT_ADDR, &c->addr.s_addr, 4);
	if (c->neg_dns[0])
		ppp_opt_put(buf, cap, &len, PPP_IPCP_OPT_DNS1, &c->dns[0].s_addr, 4);
	if (c->neg_dns[1])
		ppp_opt_put(buf, cap, &len, PPP_IPCP_OPT_DNS2, &c->dns[1].s_addr, 4);
	return len;
}

static int ppp_ipcp_nakci(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	struct ppp_ipcp *c = f->ctx;
	struct ppp_opt o;
	size_t off = 0;
	struct in_addr a;

	while (ppp_opt_next(opts, len, &off, &o) > 0) {
		if (o.dlen != 4)
			continue;
		memcpy(&a.s_addr, o.data, 4);
		switch (o.type) {
		case PPP_IPCP_OPT_ADDR:
			/* the LNS keeps its own address; a client takes the one given */
			if (c->neg_addr && !ppp_ipcp_lns(c) && a.s_addr != 0)
				c->addr = a;
			break;
		case PPP_IPCP_OPT_DNS1:
		case PPP_IPCP_OPT_DNS2:
			if (c->neg_dns[ppp_ipcp_dns_index(o.type)])
				c->dns[ppp_ipcp_dns_index(o.type)] = a;
			break;
		default:
			break;
		}
	}
	return 0;
}

static int ppp_ipcp_rejci(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	struct ppp_ipcp *c = f->ctx;
	struct ppp_opt o;
	size_t off = 0;

	while (ppp_opt_next(opts, len, &off, &o) > 0) {
		switch (o.type) {
		case PPP_IPCP_OPT_ADDR:
			c->neg_addr = 0;
			if (!ppp_ipcp_lns(c) && c->addr.s_addr == 0) {
				ppp_fsm_log(f, LOG_NOTICE, "the peer gives us no address");
				ppp_fsm_close(f, "no address");
				return 0;
			}
			break;
		case PPP_IPCP_OPT_DNS1:
		case PPP_IPCP_OPT_DNS2:
			c->neg_dns[ppp_ipcp_dns_index(o.type)] = 0;
			c->dns[ppp_ipcp_dns_index(o.type)].s_addr = 0;
			break;
		default:
			break;
		}
	}
	return 0;
}

static void ppp_ipcp_reqci(struct ppp_fsm *f, const uint8_t *opts, size_t len,
			   struct ppp_fsm_reply *r)
{
	struct ppp_ipcp *c = f->ctx;
	struct ppp *p = c->ppp;
	struct in_addr a, want = ppp_assigned_addr(p);
	char buf[INET_ADDRSTRLEN], wbuf[INET_ADDRSTRLEN];
	struct ppp_opt o;
	size_t off = 0;
	int seen_addr = 0, lns = ppp_ipcp_lns(c);

	c->peer_addr.s_addr = 0;
	while (ppp_opt_next(opts, len, &off, &o) > 0) {
		switch (o.type) {
		case PPP_IPCP_OPT_ADDR:
			if (o.dlen != 4)
				goto reject;
			seen_addr = 1;
			memcpy(&a.s_addr, o.data, 4);
			if (!lns) {
				if (a.s_addr == 0)
					goto reject;	/* we have no address to give */
				c->peer_addr = a;
				break;
			}
			if (want.s_addr == 0) {
				ppp_fsm_log(f, LOG_WARNING, "no address assigned to the peer: "
					    "IP-Address rejected");
				goto reject;
			}
			if (a.s_addr == want.s_addr) {
				c->peer_addr = a;
				break;
			}
			if (a.s_addr != 0)
				ppp_fsm_log(f, LOG_NOTICE, "peer asks for %s, assigned %s: Nak",
					    inet_ntop(AF_INET, &a, buf, sizeof(buf)),
					    inet_ntop(AF_INET, &want, wbuf, sizeof(wbuf)));
			ppp_fsm_reply_nak(r, &o, o.type, &want.s_addr, 4);
			break;
		case PPP_IPCP_OPT_DNS1:
		case PPP_IPCP_OPT_DNS2: {
			struct in_addr s;

			if (!lns || o.dlen != 4)
				goto reject;
			s = ppp_assigned_dns(p, ppp_ipcp_dns_index(o.type));
			if (s.s_addr == 0)
				goto reject;	/* RFC 1877 §1: no server to offer */
			memcpy(&a.s_addr, o.data, 4);
			if (a.s_addr != s.s_addr)
				ppp_fsm_reply_nak(r, &o, o.type, &s.s_addr, 4);
			break;
		}
		default:
			/* IP-Compression-Protocol, IP-Addresses, NBNS, unknown */
			goto reject;
		}
		continue;
reject:
		ppp_fsm_reply_rej(r, &o);
	}
	/* RFC 1332 §3.3: the address we want the peer to use, appended */
	if (lns && !seen_addr && want.s_addr != 0)
		ppp_fsm_reply_nak(r, NULL, PPP_IPCP_OPT_ADDR, &want.s_addr, 4);
}

static void ppp_ipcp_up(struct ppp_fsm *f)
{
	struct ppp_ipcp *c = f->ctx;
	char a[LOG_IPV4_LEN], b[LOG_IPV4_LEN];

	if (ppp_ipcp_lns(c)) {
		c->addr = c->ppp->cfg.local_addr;
		if (c->peer_addr.s_addr == 0)
			c->peer_addr = ppp_assigned_addr(c->ppp);
	}
	/* At info the link's "PPP up" line carries the addresses. */
	if (log_debug_on(f->io->log, LOG_DBG_EVENT))
		ppp_fsm_debug(f, LOG_DBG_EVENT, "local %s remote %s", log_ipv4(c->addr.s_addr, a),
			    log_ipv4(c->peer_addr.s_addr, b));
	ppp_on_ncp_up(c->ppp, PPP_PROTO_IPCP);
}

static void ppp_ipcp_finished(struct ppp_fsm *f)
{
	struct ppp_ipcp *c = f->ctx;

	ppp_on_ncp_finished(c->ppp, PPP_PROTO_IPCP);
}

static const struct ppp_fsm_cbs ppp_ipcp_cbs = {
	.name = "IPCP",
	.proto = PPP_PROTO_IPCP,
	.totals_off = offsetof(struct ppp_stats, ipcp),
	.resetci = ppp_ipcp_resetci,
	.addci = ppp_ipcp_addci,
	.reqci = ppp_ipcp_reqci,
	.nakci = ppp_ipcp_nakci,
	.rejci = ppp_ipcp_rejci,
	.up = ppp_ipcp_up,
	.finished = ppp_ipcp_finished,
};

void ppp_ipcp_init(struct ppp_ipcp *c, struct ppp *p)
{
	memset(c, 0, sizeof(*c));
	c->ppp = p;
	ppp_fsm_init(&c->fsm, &ppp_ipcp_cbs, c, &p->io);
	c->fsm.restart_ms = p->cfg.restart_ms;
}

void ppp_ipcp_stop(struct ppp_ipcp *c)
{
	ppp_fsm_stop(&c->fsm);
}

void ppp_ipcp_import(struct ppp_ipcp *c, const struct ppp_state *st)
{
	c->addr = st->local_addr;
	c->peer_addr = st->peer_addr;
	c->dns[0] = st->dns[0];
	c->dns[1] = st->dns[1];
	c->neg_addr = 1;
	ppp_fsm_set_opened(&c->fsm);
}
