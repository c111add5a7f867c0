/*
 * The link's DHCPv6 server (RFC 8415 §18.3; see ipv6/server.h): one
 * delegated prefix, the session's, bound to the client that asks.
 */
#include <errno.h>
#include <string.h>

#include "ipv6/server_int.h"

#define IPV6_SRV_BUF	1280

/* Does the binding belong to m's client and this IAID? */
static int ipv6_srv_is_binding(const struct ipv6_server *s, const struct dhcp6_msg *m,
			       uint32_t iaid)
{
	return s->lease.bound && s->lease.iaid == iaid &&
	       dhcp6_duid_equal(&s->lease.client, &m->client);
}

/* The session's prefix in out, with T1/T2 (RFC 8415 §21.21: 0.5 and 0.8
 * of the preferred lifetime, as §14.2 recommends). */
static void ipv6_srv_give(const struct ipv6_server *s, struct dhcp6_ia *out)
{
	struct dhcp6_lease *l = &out->lease[0];

	out->n_lease = 1;
	memset(l, 0, sizeof(*l));
	memcpy(l->addr, s->pd, IPV6_ADDR_LEN);
	l->plen = s->pd_len;
	l->valid = s->cfg.pd_valid;
	l->preferred = s->cfg.pd_preferred;
	l->status = DHCP6_ST_NONE;
	out->t1 = s->cfg.pd_preferred / 2;
	out->t2 = (uint32_t)((uint64_t)s->cfg.pd_preferred * 4 / 5);
}

/* One IA of m answered into out.  commit: the Reply binds (Request,
 * Solicit with Rapid Commit); renew: only an existing binding is
 * extended (Renew, Rebind). */
static void ipv6_srv_ia(struct ipv6_server *s, const struct dhcp6_msg *m,
			const struct dhcp6_ia *in, struct dhcp6_ia *out, int commit, int renew)
{
	memset(out, 0, sizeof(*out));
	out->code = in->code;
	out->iaid = in->iaid;
	out->status = DHCP6_ST_NONE;
	if (in->code == DHCP6_OPT_IA_NA) {
		out->status = DHCP6_ST_NO_ADDRS_AVAIL;	/* we give no addresses (SLAAC does) */
		return;
	}
	if (renew) {
		if (!ipv6_srv_is_binding(s, m, in->iaid)) {
			s->st.dhcp_no_binding++;
			out->status = DHCP6_ST_NO_BINDING;	/* §18.3.4, §18.3.5 */
			return;
		}
	} else if (!s->has_pd || (s->lease.bound && !ipv6_srv_is_binding(s, m, in->iaid))) {
		/* one prefix per session, held by one IA */
		s->st.dhcp_no_prefix++;
		out->status = DHCP6_ST_NO_PREFIX_AVAIL;	/* §18.3.1, §18.3.2 */
		return;
	}
	ipv6_srv_give(s, out);
	if (commit || renew)
		ipv6_server_bind(s, m, in->iaid);
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
	s->st.dhcp_tx[r->type]++;
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

/* Confirm (§18.3.3): are the client's addresses on our link?  No
 * addresses: no Reply (returns 0). */
static int ipv6_srv_confirm(const struct ipv6_server *s, const struct dhcp6_msg *m,
			    struct dhcp6_msg *r)
{
	unsigned n = 0, off = 0;

	for (unsigned i = 0; i < m->n_ia; i++) {
		for (unsigned j = 0; j < m->ia[i].n_lease; j++) {
			n++;
			if (!s->has_prefix || !ipv6_prefix_match(m->ia[i].lease[j].addr, s->prefix, 64))
				off++;
		}
	}
	if (n == 0)
		return 0;
	ipv6_srv_answer(s, m, DHCP6_REPLY, r);
	r->status = off ? DHCP6_ST_NOT_ON_LINK : DHCP6_ST_SUCCESS;
	return 1;
}

/* Release (§18.3.7): the binding goes; Success either way. */
static void ipv6_srv_release(struct ipv6_server *s, const struct dhcp6_msg *m,
			     struct dhcp6_msg *r)
{
	ipv6_srv_answer(s, m, DHCP6_REPLY, r);
	for (unsigned i = 0; i < m->n_ia; i++) {
		if (m->ia[i].code != DHCP6_OPT_IA_PD)
			continue;
		if (ipv6_srv_is_binding(s, m, m->ia[i].iaid)) {
			s->lease.bound = 0;
			clock_timer_stop(s->clk, &s->lease_timer);
			ipv6_server_changed(s);
		} else {
			s->st.dhcp_no_binding++;
		}
	}
	r->status = DHCP6_ST_SUCCESS;
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
	case DHCP6_INFORMATION_REQUEST:
		ipv6_srv_answer(s, m, DHCP6_REPLY, r);
		return 1;
	default:	/* Decline: we delegate prefixes, not addresses */
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
		s->st.dhcp_rx[m.type]++;
	rc = dhcp6_server_check(&m, &s->st.parse);
	if (rc < 0)
		return rc;
	/* §16.4, §16.6, §16.9: a message naming another server is not ours */
	if (m.server.len != 0 && !dhcp6_duid_equal(&m.server, &s->cfg.duid)) {
		s->st.dhcp_wrong_server++;
		return -EPERM;
	}
	if (ipv6_srv_handle(s, &m, &r))
		ipv6_srv_send(s, p, &r);
	return 0;
}
