/*
 * The link's DHCPv6 server (RFC 8415 §18.3; see ipv6/server.h): one
 * delegated prefix and one address, the session's, bound to the client
 * that asks.
 */
#include <errno.h>
#include <string.h>

#include "ipv6/server_int.h"

#define IPV6_SRV_BUF	1280

/* Does the lease of IA type code belong to m's client and this IAID? */
static int ipv6_srv_is_binding(struct ipv6_server *s, const struct dhcp6_msg *m, uint16_t code,
			       uint32_t iaid)
{
	const struct ipv6_lease *l = ipv6_server_lease(s, code);

	return l->bound && l->iaid == iaid && dhcp6_duid_equal(&l->client, &m->client);
}

/* The session's prefix (IA_PD) or address (IA_NA, §21.6) in out, with
 * T1/T2 (RFC 8415 §21.4, §21.21: 0.5 and 0.8 of the preferred lifetime,
 * as §14.2 recommends). */
static void ipv6_srv_give(const struct ipv6_server *s, struct dhcp6_ia *out)
{
	struct dhcp6_lease *l = &out->lease[0];
	int na = out->code == DHCP6_OPT_IA_NA;

	out->n_lease = 1;
	memset(l, 0, sizeof(*l));
	memcpy(l->addr, na ? s->na : s->pd, IPV6_ADDR_LEN);
	l->plen = na ? 128 : s->pd_len;
	l->valid = s->cfg.pd_valid;
	l->preferred = s->cfg.pd_preferred;
	l->status = DHCP6_ST_NONE;
	out->t1 = s->cfg.pd_preferred / 2;
	out->t2 = (uint32_t)((uint64_t)s->cfg.pd_preferred * 4 / 5);
}

/* Nothing to give for this IA (§18.3.1, §18.3.2): the link has no
 * address (prefix), or another IA holds it (one per session). */
static void ipv6_srv_none(struct ipv6_server *s, struct dhcp6_ia *out)
{
	if (out->code == DHCP6_OPT_IA_NA) {
		IPV6_SRV_COUNT(s, dhcp_no_addr);
		out->status = DHCP6_ST_NO_ADDRS_AVAIL;
	} else {
		IPV6_SRV_COUNT(s, dhcp_no_prefix);
		out->status = DHCP6_ST_NO_PREFIX_AVAIL;
	}
}

/* One IA of m answered into out.  commit: the Reply binds (Request,
 * Solicit with Rapid Commit); renew: only an existing binding is
 * extended (Renew, Rebind). */
/* The link has an address to give by IA_NA: one, not held back after a
 * Decline. */
static int ipv6_srv_has_na(const struct ipv6_server *s)
{
	return s->has_na && clock_now(s->clk) >= s->na_declined_until_ms;
}

static void ipv6_srv_ia(struct ipv6_server *s, const struct dhcp6_msg *m,
			const struct dhcp6_ia *in, struct dhcp6_ia *out, int commit, int renew)
{
	int have = in->code == DHCP6_OPT_IA_NA ? ipv6_srv_has_na(s) : s->has_pd;

	memset(out, 0, sizeof(*out));
	out->code = in->code;
	out->iaid = in->iaid;
	out->status = DHCP6_ST_NONE;
	if (renew) {
		if (!ipv6_srv_is_binding(s, m, in->code, in->iaid)) {
			IPV6_SRV_COUNT(s, dhcp_no_binding);
			out->status = DHCP6_ST_NO_BINDING;	/* §18.3.4, §18.3.5 */
			return;
		}
	} else if (!have || (ipv6_server_lease(s, in->code)->bound &&
			     !ipv6_srv_is_binding(s, m, in->code, in->iaid))) {
		ipv6_srv_none(s, out);
		return;
	}
	ipv6_srv_give(s, out);
	if (commit || renew)
		ipv6_server_bind(s, m, in->code, in->iaid);
}

static int ipv6_srv_wants(const struct dhcp6_msg *m, uint16_t opt)
{
	for (unsigned i = 0; i < m->n_oro; i++)
		if (m->oro[i] == opt)
			return 1;
	return 0;
}

static void ipv6_srv_send(struct ipv6_server *s, const struct ipv6_pkt *p,
			  const struct dhcp6_msg *r)
{
	uint8_t msg[DHCP6_MSG_MAX], buf[IPV6_SRV_BUF];
	size_t n = dhcp6_build(msg, sizeof(msg), r);

	if (n == 0)
		return;
	n = ipv6_udp_build(buf, sizeof(buf), s->ll, p->src, DHCP6_SERVER_PORT, DHCP6_CLIENT_PORT,
			   msg, n);
	if (n == 0)
		return;
	IPV6_SRV_COUNT(s, dhcp_tx[r->type]);
	s->ops->send(s->arg, buf, n);
}

/* The answer's common part: client and server identifiers, DNS if asked. */
static void ipv6_srv_answer(const struct ipv6_server *s, const struct dhcp6_msg *m, uint8_t type,
			    struct dhcp6_msg *r)
{
	dhcp6_msg_init(r, type, m->xid);
	r->client = m->client;
	r->server = s->cfg.duid;
	if (ipv6_srv_wants(m, DHCP6_OPT_DNS_SERVERS))
		for (unsigned i = 0; i < 2; i++)
			if (!ipv6_is_unspecified(s->cfg.dns[i]))
				memcpy(r->dns[r->n_dns++], s->cfg.dns[i], IPV6_ADDR_LEN);
}

/* Confirm (§18.3.3): are the client's addresses on our link (in its /64,
 * or the address we give)?  No addresses: no Reply (returns 0). */
static int ipv6_srv_confirm(const struct ipv6_server *s, const struct dhcp6_msg *m,
			    struct dhcp6_msg *r)
{
	unsigned n = 0, off = 0;

	for (unsigned i = 0; i < m->n_ia; i++) {
		for (unsigned j = 0; j < m->ia[i].n_lease; j++) {
			const uint8_t *a = m->ia[i].lease[j].addr;

			n++;
			if (s->has_na && memcmp(a, s->na, IPV6_ADDR_LEN) == 0)
				continue;
			if (!s->has_prefix || !ipv6_prefix_match(a, s->prefix, 64))
				off++;
		}
	}
	if (n == 0)
		return 0;
	ipv6_srv_answer(s, m, DHCP6_REPLY, r);
	r->status = off ? DHCP6_ST_NOT_ON_LINK : DHCP6_ST_SUCCESS;
	return 1;
}

/* Release (§18.3.7): the bindings of its IAs go; Success either way. */
static void ipv6_srv_release(struct ipv6_server *s, const struct dhcp6_msg *m,
			     struct dhcp6_msg *r)
{
	ipv6_srv_answer(s, m, DHCP6_REPLY, r);
	for (unsigned i = 0; i < m->n_ia; i++) {
		if (ipv6_srv_is_binding(s, m, m->ia[i].code, m->ia[i].iaid)) {
			(void)ipv6_server_unbind(s, m->ia[i].code);
		} else {
			IPV6_SRV_COUNT(s, dhcp_no_binding);
		}
	}
	r->status = DHCP6_ST_SUCCESS;
}

/* Does the IA carry the link's address? */
static int ipv6_srv_ia_has_na(const struct ipv6_server *s, const struct dhcp6_ia *ia)
{
	for (unsigned j = 0; j < ia->n_lease; j++)
		if (memcmp(ia->lease[j].addr, s->na, IPV6_ADDR_LEN) == 0)
			return 1;
	return 0;
}

/* Decline (§18.3.8): the client found its address in use on the link.
 * The binding goes and the address is held back (IPV6_SRV_DECLINE_HOLD_MS,
 * or until the caller gives the link another: ops->declined); the Reply
 * says Success, with NoBinding for each IA_NA we hold no binding of (other
 * IAs, a delegated prefix's, are not declined: left out of the Reply). */
static void ipv6_srv_decline(struct ipv6_server *s, const struct dhcp6_msg *m,
			     struct dhcp6_msg *r)
{
	int declined = 0;

	ipv6_srv_answer(s, m, DHCP6_REPLY, r);
	r->status = DHCP6_ST_SUCCESS;
	for (unsigned i = 0; i < m->n_ia; i++) {
		const struct dhcp6_ia *ia = &m->ia[i];
		struct dhcp6_ia *out;

		if (ia->code != DHCP6_OPT_IA_NA)
			continue;	/* §18.2.8: only addresses are declined */
		if (ipv6_srv_is_binding(s, m, ia->code, ia->iaid)) {
			declined |= ipv6_srv_ia_has_na(s, ia);
			continue;
		}
		IPV6_SRV_COUNT(s, dhcp_no_binding);
		out = &r->ia[r->n_ia++];
		memset(out, 0, sizeof(*out));
		out->code = ia->code;
		out->iaid = ia->iaid;
		out->status = DHCP6_ST_NO_BINDING;
	}
	if (!declined)
		return;
	IPV6_SRV_COUNT(s, dhcp_declined);
	s->na_declined_until_ms = clock_now(s->clk) + IPV6_SRV_DECLINE_HOLD_MS;
	(void)ipv6_server_unbind(s, DHCP6_OPT_IA_NA);
	if (s->ops->declined != NULL)
		s->ops->declined(s->arg);
}

/* The Reply or Advertise to m, in r: 1 to send, 0 for none. */
static int ipv6_srv_handle(struct ipv6_server *s, const struct dhcp6_msg *m, struct dhcp6_msg *r)
{
	int commit = 0, renew = 0;
	uint8_t type = DHCP6_REPLY;

	switch (m->type) {
	case DHCP6_SOLICIT:
		commit = s->cfg.rapid_commit && m->rapid_commit;	/* §18.3.1 */
		type = commit ? DHCP6_REPLY : DHCP6_ADVERTISE;
		break;
	case DHCP6_REQUEST:
		commit = 1;
		break;
	case DHCP6_RENEW:
	case DHCP6_REBIND:
		renew = 1;
		break;
	case DHCP6_CONFIRM:
		return ipv6_srv_confirm(s, m, r);
	case DHCP6_RELEASE:
		ipv6_srv_release(s, m, r);
		return 1;
	case DHCP6_DECLINE:
		ipv6_srv_decline(s, m, r);
		return 1;
	case DHCP6_INFORMATION_REQUEST:
		ipv6_srv_answer(s, m, DHCP6_REPLY, r);
		return 1;
	default:
		return 0;
	}
	ipv6_srv_answer(s, m, type, r);
	r->rapid_commit = commit && m->type == DHCP6_SOLICIT;
	for (unsigned i = 0; i < m->n_ia; i++)
		ipv6_srv_ia(s, m, &m->ia[i], &r->ia[r->n_ia++], commit, renew);
	return 1;
}

int ipv6_server_dhcp(struct ipv6_server *s, const struct ipv6_pkt *p, const struct ipv6_udp *u)
{
	struct dhcp6_msg m, r;
	int rc = dhcp6_parse(u->data, u->len, &m, &s->st.parse);

	if (rc < 0)
		return rc;
	if (m.type <= DHCP6_INFORMATION_REQUEST)
		IPV6_SRV_COUNT(s, dhcp_rx[m.type]);
	rc = dhcp6_server_check(&m, &s->st.parse);
	if (rc < 0)
		return rc;
	/* §16.4, §16.6, §16.9: a message naming another server is not ours */
	if (m.server.len != 0 && !dhcp6_duid_equal(&m.server, &s->cfg.duid)) {
		IPV6_SRV_COUNT(s, dhcp_wrong_server);
		return -EPERM;
	}
	if (ipv6_srv_handle(s, &m, &r))
		ipv6_srv_send(s, p, &r);
	return 0;
}
