/*
 * The IPv6 server of a PPP link: router advertisements and DHCPv6 prefix
 * delegation (see ipv6/server.h).
 */
#include <errno.h>
#include <string.h>

#include "ipv6/server_int.h"

/* The link /64's lifetimes in Prefix Information (RFC 4861 §6.2.1's
 * defaults: AdvValidLifetime 30 days, AdvPreferredLifetime 7 days). */
#define IPV6_SRV_PREFIX_VALID		2592000
#define IPV6_SRV_PREFIX_PREFERRED	604800
#define IPV6_SRV_HOP_LIMIT		64
#define IPV6_SRV_BUF			1280

static void ipv6_server_ra_cb(struct l2tp_timer *t, void *arg);
static void ipv6_server_lease_cb(struct l2tp_timer *t, void *arg);
static void ipv6_server_na_cb(struct l2tp_timer *t, void *arg);

void ipv6_server_init(struct ipv6_server *s, const struct ipv6_server_ops *ops, void *arg,
		      struct l2tp_clock *clk, const struct ipv6_server_cfg *cfg,
		      const uint8_t our_ifid[8], const uint8_t peer_ifid[8])
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->arg = arg;
	s->clk = clk;
	s->cfg = *cfg;
	ipv6_link_local(s->ll, our_ifid);
	ipv6_link_local(s->peer_ll, peer_ifid);
	clock_timer_init(&s->ra_timer, ipv6_server_ra_cb, s);
	clock_timer_init(&s->lease_timer, ipv6_server_lease_cb, s);
	clock_timer_init(&s->na_timer, ipv6_server_na_cb, s);
}

void ipv6_server_set_prefixes(struct ipv6_server *s, const uint8_t *prefix64, const uint8_t *pd,
			      uint8_t pd_len)
{
	s->has_prefix = prefix64 != NULL;
	if (prefix64 != NULL)
		memcpy(s->prefix, prefix64, IPV6_ADDR_LEN);
	s->has_pd = pd != NULL;
	if (pd != NULL) {
		memcpy(s->pd, pd, IPV6_ADDR_LEN);
		s->pd_len = pd_len;
	}
}

void ipv6_server_set_address(struct ipv6_server *s, const uint8_t *na)
{
	s->has_na = na != NULL;
	s->na_declined_until_ms = 0;
	if (na != NULL)
		memcpy(s->na, na, IPV6_ADDR_LEN);
}

static void ipv6_server_build_ra(const struct ipv6_server *s, int final, struct nd_ra *ra)
{
	memset(ra, 0, sizeof(*ra));
	ra->cur_hop_limit = IPV6_SRV_HOP_LIMIT;
	ra->flags = s->cfg.ra_flags;
	ra->router_lifetime = final ? 0 : (uint16_t)s->cfg.ra_lifetime;
	ra->mtu = s->cfg.mtu;
	if (s->has_prefix) {
		struct nd_prefix *p = &ra->prefix[ra->n_prefix++];

		memcpy(p->prefix, s->prefix, IPV6_ADDR_LEN);
		p->len = 64;
		p->flags = ND_PREFIX_ONLINK | ND_PREFIX_AUTO;
		p->valid = final ? 0 : IPV6_SRV_PREFIX_VALID;
		p->preferred = final ? 0 : IPV6_SRV_PREFIX_PREFERRED;
	}
	for (unsigned i = 0; i < 2; i++)
		if (!ipv6_is_unspecified(s->cfg.dns[i]))
			memcpy(ra->rdnss[ra->n_rdnss++], s->cfg.dns[i], IPV6_ADDR_LEN);
	/* RFC 8106 §5.1: at least 3 x MaxRtrAdvInterval */
	ra->rdnss_lifetime = final ? 0 : 3 * s->cfg.ra_interval;
}

void ipv6_server_send_ra(struct ipv6_server *s, int final)
{
	uint8_t buf[IPV6_SRV_BUF];
	struct nd_ra ra;
	size_t n;

	ipv6_server_build_ra(s, final, &ra);
	n = nd_ra_build(buf, sizeof(buf), s->ll, ipv6_all_nodes, &ra);
	if (n == 0)
		return;
	IPV6_SRV_COUNT(s, ra_tx);
	s->ops->send(s->arg, buf, n);
}

static void ipv6_server_ra_cb(struct l2tp_timer *t, void *arg)
{
	struct ipv6_server *s = arg;
	uint64_t next = (uint64_t)s->cfg.ra_interval * 1000;

	ipv6_server_send_ra(s, 0);
	/* RFC 4861 §6.2.4: the first few at most 16 s apart */
	if (s->initial_left > 0) {
		s->initial_left--;
		if (next > IPV6_SRV_INITIAL_INTERVAL_MS)
			next = IPV6_SRV_INITIAL_INTERVAL_MS;
	}
	clock_timer_start(s->clk, t, next);
}

int ipv6_server_start(struct ipv6_server *s)
{
	s->initial_left = IPV6_SRV_INITIAL_RAS - 1;
	return clock_timer_start(s->clk, &s->ra_timer, 0);
}

void ipv6_server_stop(struct ipv6_server *s)
{
	clock_timer_stop(s->clk, &s->ra_timer);
	clock_timer_stop(s->clk, &s->lease_timer);
	clock_timer_stop(s->clk, &s->na_timer);
}

struct ipv6_lease *ipv6_server_lease(struct ipv6_server *s, uint16_t code)
{
	return code == DHCP6_OPT_IA_NA ? &s->na_lease : &s->lease;
}

static struct l2tp_timer *ipv6_server_timer(struct ipv6_server *s, uint16_t code)
{
	return code == DHCP6_OPT_IA_NA ? &s->na_timer : &s->lease_timer;
}

/* RFC 8415 §18.3.4's valid lifetime ran out without a Renew or Rebind:
 * the binding goes (the prefix or address stays the session's). */
static void ipv6_server_expire(struct ipv6_server *s, struct ipv6_lease *l)
{
	l->bound = 0;
	IPV6_SRV_COUNT(s, leases_expired);
	ipv6_server_changed(s);
}

static void ipv6_server_lease_cb(struct l2tp_timer *t, void *arg)
{
	(void)t;
	ipv6_server_expire(arg, &((struct ipv6_server *)arg)->lease);
}

static void ipv6_server_na_cb(struct l2tp_timer *t, void *arg)
{
	(void)t;
	ipv6_server_expire(arg, &((struct ipv6_server *)arg)->na_lease);
}

int ipv6_server_unbind(struct ipv6_server *s, uint16_t code)
{
	struct ipv6_lease *l = ipv6_server_lease(s, code);

	if (!l->bound)
		return -ENOENT;
	l->bound = 0;
	clock_timer_stop(s->clk, ipv6_server_timer(s, code));
	ipv6_server_changed(s);
	return 0;
}

void ipv6_server_changed(struct ipv6_server *s)
{
	if (s->ops->changed != NULL)
		s->ops->changed(s->arg);
}

void ipv6_server_bind(struct ipv6_server *s, const struct dhcp6_msg *m, uint16_t code,
		      uint32_t iaid)
{
	struct ipv6_lease *l = ipv6_server_lease(s, code);

	l->bound = 1;
	l->client = m->client;
	l->iaid = iaid;
	l->start_ms = clock_now(s->clk);
	l->valid = s->cfg.pd_valid;
	l->preferred = s->cfg.pd_preferred;
	clock_timer_start(s->clk, ipv6_server_timer(s, code), (uint64_t)l->valid * 1000);
	ipv6_server_changed(s);
}

static void ipv6_server_restore(struct ipv6_server *s, uint16_t code, const struct ipv6_lease *l)
{
	uint64_t now = clock_now(s->clk), end;

	*ipv6_server_lease(s, code) = *l;
	if (!l->bound)
		return;
	end = l->start_ms + (uint64_t)l->valid * 1000;
	clock_timer_start(s->clk, ipv6_server_timer(s, code), end > now ? end - now : 0);
}

void ipv6_server_restore_lease(struct ipv6_server *s, const struct ipv6_lease *l)
{
	ipv6_server_restore(s, DHCP6_OPT_IA_PD, l);
}

void ipv6_server_restore_na_lease(struct ipv6_server *s, const struct ipv6_lease *l)
{
	ipv6_server_restore(s, DHCP6_OPT_IA_NA, l);
}

static int ipv6_server_rs(struct ipv6_server *s, const struct ipv6_pkt *p)
{
	uint64_t now = clock_now(s->clk);
	int rc = nd_rs_parse(p, &s->st.parse);

	if (rc == -ENOMSG)
		IPV6_SRV_COUNT(s, other_rx);
	if (rc < 0)
		return rc;
	IPV6_SRV_COUNT(s, rs_rx);
	/* RFC 4861 §6.2.6: no two advertisements answering solicitations
	 * closer than MIN_DELAY_BETWEEN_RAS; the periodic one will do */
	if (s->solicited_ra_sent && now - s->last_solicited_ra_ms < IPV6_SRV_MIN_DELAY_RAS_MS) {
		IPV6_SRV_COUNT(s, rs_rate_limited);
		return 0;
	}
	s->solicited_ra_sent = 1;
	s->last_solicited_ra_ms = now;
	ipv6_server_send_ra(s, 0);
	return 0;
}

void ipv6_server_stats_fold(struct ipv6_server_stats *sum, const struct ipv6_server_stats *st,
			    int sign)
{
	uint64_t *a = (uint64_t *)sum;
	const uint64_t *b = (const uint64_t *)st;

	_Static_assert(sizeof(*st) % sizeof(uint64_t) == 0, "ipv6_server_stats: uint64_t only");
	for (size_t i = 0; i < sizeof(*st) / sizeof(uint64_t); i++)
		a[i] = sign > 0 ? a[i] + b[i] : a[i] - b[i];
}

static int ipv6_server_input_one(struct ipv6_server *s, const uint8_t *pkt, size_t len)
{
	struct ipv6_pkt p;
	struct ipv6_udp u;
	int rc = ipv6_pkt_parse(pkt, len, &p, &s->st.parse);

	if (rc < 0)
		return rc;
	if (p.next == IPV6_NH_ICMPV6)
		return ipv6_server_rs(s, &p);
	rc = ipv6_udp_parse(&p, &u, &s->st.parse);
	if (rc < 0)
		return rc;
	if (u.dport != DHCP6_SERVER_PORT) {
		IPV6_SRV_COUNT(s, other_rx);
		return -ENOMSG;
	}
	return ipv6_server_dhcp(s, &p, &u);
}

/* The parsers count refusals into st.parse through a pointer: what this
 * packet added goes to the totals from here. */
int ipv6_server_input(struct ipv6_server *s, const uint8_t *pkt, size_t len)
{
	struct ipv6_stats before = s->st.parse;
	int rc = ipv6_server_input_one(s, pkt, len);

	if (s->totals != NULL) {
		for (unsigned i = 0; i < IPV6_ERR_COUNT; i++)
			s->totals->parse.err[i] += s->st.parse.err[i] - before.err[i];
		s->totals->parse.unknown_opts += s->st.parse.unknown_opts - before.unknown_opts;
	}
	return rc;
}
