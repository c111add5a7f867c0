/*
 * A LAC test subscriber's IPv6 (see l2tp/ppp.h): once IPv6CP opens, the
 * subscriber our own PPP plays (`test vpdn dial` with the group's
 * `l2tp subscriber ipv6`) acts as a router on the customer side would:
 * a Router Solicitation (RFC 4861 §6.3.7) for the link's /64, and a
 * DHCPv6 client for a delegated prefix (RFC 8415 §18.2: Solicit with
 * IA_PD, and IA_NA with `l2tp subscriber ipv6 address`, and Rapid Commit
 * with `l2tp subscriber ipv6 rapid-commit`; Request after an Advertise,
 * Renew at T1, Rebind at T2).  What it learnt is shown per session.  Only the null
 * data path carries the packets: every PPP frame of the subscriber is
 * ours there.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "l2tpd.h"
#include "core/rand.h"
#include "ipv6/dhcp6.h"
#include "ipv6/nd.h"
#include "l2tp/ppp.h"
#include "l2tp/ppp_int.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"

#define V6C_IAID		1
#define V6C_IAID_NA		2
#define V6C_RETRANS_MS		1000	/* RFC 8415 §7.6 SOL_TIMEOUT */
#define V6C_RETRANS_MAX_MS	30000

static struct l2tpd *v6c_d(const struct l2tp_ppp_link *pl)
{
	return pl->s->t->d;
}

static void v6c_send(struct l2tp_ppp_link *pl, const uint8_t *pkt, size_t len)
{
	if (len == 0 || pl->s->ppp == NULL || ppp_send_ipv6(pl->s->ppp, pkt, len) < 0)
		pl->v6c->send_failed++;
}

static void v6c_send_rs(struct l2tp_ppp_link *pl)
{
	uint8_t pkt[IPV6_MIN_MTU];

	v6c_send(pl, pkt, nd_rs_build(pkt, sizeof(pkt), pl->v6c->ll));
	pl->v6c->rs_tx++;
}

/* An IA of m: code, IAID, and the prefix or address we hold or were
 * offered (hint, plen; NULL: none). */
static void v6c_put_ia(struct dhcp6_msg *m, uint16_t code, uint32_t iaid, const uint8_t *hint,
		       uint8_t plen)
{
	struct dhcp6_ia *ia = &m->ia[m->n_ia++];

	ia->code = code;
	ia->iaid = iaid;
	ia->status = DHCP6_ST_NONE;
	if (hint == NULL)
		return;
	ia->n_lease = 1;
	memcpy(ia->lease[0].addr, hint, IPV6_ADDR_LEN);
	ia->lease[0].plen = plen;
	ia->lease[0].status = DHCP6_ST_NONE;
}

/* A client message of the current exchange: our DUID, the server's when
 * the type names one (RFC 8415 §18.2.2, §18.2.4), Rapid Commit in a
 * Solicit when configured (§18.2.1), IA_PD (and IA_NA when asked) with
 * what we hold (Renew, Rebind, Request after the Advertise's). */
static void v6c_send_dhcp(struct l2tp_ppp_link *pl, uint8_t type)
{
	struct l2tp_ppp_v6c *c = pl->v6c;
	int hint = type != DHCP6_SOLICIT;
	struct dhcp6_msg m;
	uint8_t buf[DHCP6_MSG_MAX], pkt[IPV6_MIN_MTU];
	size_t n;

	dhcp6_msg_init(&m, type, c->xid);
	m.client = c->duid;
	if (type == DHCP6_REQUEST || type == DHCP6_RENEW)
		m.server = c->server;
	m.rapid_commit = type == DHCP6_SOLICIT && c->rapid;
	m.has_elapsed = 1;
	v6c_put_ia(&m, DHCP6_OPT_IA_PD, V6C_IAID, hint && c->offer_len ? c->offer : NULL,
		   c->offer_len);
	if (c->want_na)
		v6c_put_ia(&m, DHCP6_OPT_IA_NA, V6C_IAID_NA,
			   hint && c->has_na_offer ? c->na_offer : NULL, 128);
	n = dhcp6_build(buf, sizeof(buf), &m);
	n = n ? ipv6_udp_build(pkt, sizeof(pkt), c->ll, ipv6_all_dhcp, DHCP6_CLIENT_PORT,
			       DHCP6_SERVER_PORT, buf, n) : 0;
	v6c_send(pl, pkt, n);
	c->dhcp_tx[type < DHCP6_TYPES ? type : 0]++;
}

/* A new exchange of this type: a new transaction ID (§16.1), sent now and
 * again with a doubling timeout until answered. */
static void v6c_exchange(struct l2tp_ppp_link *pl, uint8_t type)
{
	struct l2tp_ppp_v6c *c = pl->v6c;

	uint8_t x[3];

	rand_bytes(x, sizeof(x));
	c->state = type;
	c->xid = (uint32_t)x[0] << 16 | (uint32_t)x[1] << 8 | x[2];
	c->rto_ms = V6C_RETRANS_MS;
	v6c_send_dhcp(pl, type);
	clock_timer_start(&v6c_d(pl)->clk, &c->timer, c->rto_ms);
}

static void v6c_timer(struct l2tp_timer *t, void *arg)
{
	struct l2tp_ppp_link *pl = arg;
	struct l2tp_ppp_v6c *c = pl->v6c;
	uint64_t now = clock_now(&v6c_d(pl)->clk);

	if (c->state == DHCP6_REPLY) {	/* bound: T1 or T2 is here */
		v6c_exchange(pl, now >= c->t2_ms ? DHCP6_REBIND : DHCP6_RENEW);
		c->renews++;
		return;
	}
	if (c->state == DHCP6_RENEW && now >= c->t2_ms) {
		v6c_exchange(pl, DHCP6_REBIND);
		return;
	}
	if (!c->has_prefix)
		v6c_send_rs(pl);	/* RFC 4861 §6.3.7: solicit again */
	c->retrans++;
	c->rto_ms = c->rto_ms * 2 > V6C_RETRANS_MAX_MS ? V6C_RETRANS_MAX_MS : c->rto_ms * 2;
	v6c_send_dhcp(pl, c->state);
	clock_timer_start(&v6c_d(pl)->clk, &c->timer, c->rto_ms);
}

/* The Router Advertisement's first /64 is the link's prefix. */
static void v6c_ra(struct l2tp_ppp_link *pl, const struct ipv6_pkt *p)
{
	struct l2tp_ppp_v6c *c = pl->v6c;
	struct nd_ra ra;

	if (nd_ra_parse(p, &ra, &c->st) < 0)
		return;
	c->ra_rx++;
	for (unsigned i = 0; i < ra.n_prefix; i++) {
		if (ra.prefix[i].len != 64 || ra.prefix[i].valid == 0)
			continue;
		memcpy(c->prefix, ra.prefix[i].prefix, IPV6_ADDR_LEN);
		c->has_prefix = 1;
		return;
	}
}

/* The IA_NA's address, when asked for: offered or bound, or none (a
 * status such as NoAddrsAvail or NoBinding, counted; the prefix goes on
 * without it). */
static void v6c_take_na(struct l2tp_ppp_v6c *c, struct dhcp6_msg *m)
{
	struct dhcp6_ia *ia = dhcp6_find_ia(m, DHCP6_OPT_IA_NA, V6C_IAID_NA);

	c->has_na_offer = 0;
	if (!c->want_na)
		return;
	if (ia == NULL || (ia->status != DHCP6_ST_NONE && ia->status != DHCP6_ST_SUCCESS) ||
	    ia->n_lease == 0 || ia->lease[0].valid == 0 || ia->lease[0].plen != 128) {
		c->dhcp_refused++;
		return;
	}
	memcpy(c->na_offer, ia->lease[0].addr, IPV6_ADDR_LEN);
	c->has_na_offer = 1;
}

/* The IA_PD's first prefix: the one offered (Advertise) or bound (Reply),
 * and the IA_NA's address; 0, or -ENOENT: no prefix (a status such as
 * NoPrefixAvail, counted). */
static int v6c_take_ia(struct l2tp_ppp_v6c *c, struct dhcp6_msg *m)
{
	struct dhcp6_ia *ia = dhcp6_find_ia(m, DHCP6_OPT_IA_PD, V6C_IAID);

	if (m->status != DHCP6_ST_NONE && m->status != DHCP6_ST_SUCCESS)
		ia = NULL;
	if (ia == NULL || (ia->status != DHCP6_ST_NONE && ia->status != DHCP6_ST_SUCCESS) ||
	    ia->n_lease == 0 || ia->lease[0].valid == 0) {
		c->dhcp_refused++;
		return -ENOENT;
	}
	memcpy(c->offer, ia->lease[0].addr, IPV6_ADDR_LEN);
	c->offer_len = ia->lease[0].plen;
	c->t1 = ia->t1 ? ia->t1 : ia->lease[0].preferred / 2;	/* §21.21: 0 leaves it to us */
	c->t2 = ia->t2 ? ia->t2 : ia->lease[0].preferred / 10 * 8;
	c->valid = ia->lease[0].valid;
	v6c_take_na(c, m);
	return 0;
}

/* Bound (a Reply to Solicit with Rapid Commit, Request, Renew or Rebind):
 * the prefix is ours until T1. */
static void v6c_bound(struct l2tp_ppp_link *pl, const struct dhcp6_msg *m)
{
	struct l2tp_ppp_v6c *c = pl->v6c;
	struct l2tpd *d = v6c_d(pl);
	uint64_t now = clock_now(&d->clk);

	memcpy(c->pd, c->offer, IPV6_ADDR_LEN);
	c->pd_len = c->offer_len;
	c->has_na = c->has_na_offer;
	memcpy(c->na, c->na_offer, IPV6_ADDR_LEN);
	if (c->state == DHCP6_SOLICIT)
		c->bound_rapid++;	/* §18.2.1: two messages, not four */
	c->server = m->server;
	c->state = DHCP6_REPLY;
	c->bound++;
	c->t1_ms = now + (uint64_t)c->t1 * 1000;
	c->t2_ms = now + (uint64_t)c->t2 * 1000;
	clock_timer_start(&d->clk, &c->timer, (uint64_t)c->t1 * 1000);
	l2tp_session_changed(pl->s);
}

static void v6c_dhcp(struct l2tp_ppp_link *pl, const struct ipv6_udp *u)
{
	struct l2tp_ppp_v6c *c = pl->v6c;
	struct dhcp6_msg m;

	if (u->sport != DHCP6_SERVER_PORT || u->dport != DHCP6_CLIENT_PORT ||
	    dhcp6_parse(u->data, u->len, &m, &c->st) < 0)
		return;
	/* RFC 8415 §16: ours (transaction, our DUID), from a server */
	if (m.xid != c->xid || !dhcp6_duid_equal(&m.client, &c->duid) || m.server.len == 0 ||
	    c->state == DHCP6_REPLY) {
		c->dhcp_ignored++;
		return;
	}
	c->dhcp_rx[m.type < DHCP6_TYPES ? m.type : 0]++;
	if (m.type == DHCP6_ADVERTISE && c->state == DHCP6_SOLICIT) {
		if (v6c_take_ia(c, &m) < 0)
			return;	/* §18.2.9: wait for a better one, soliciting again */
		c->server = m.server;
		v6c_exchange(pl, DHCP6_REQUEST);
		return;
	}
	/* §18.2.10: a Reply to a Solicit only with the Rapid Commit we sent */
	if (m.type != DHCP6_REPLY ||
	    (c->state == DHCP6_SOLICIT && (!c->rapid || !m.rapid_commit))) {
		c->dhcp_ignored++;
		return;
	}
	if (v6c_take_ia(c, &m) < 0) {
		/* NoBinding and the like (§18.2.10.1): start over */
		c->has_pd = 0;
		v6c_exchange(pl, DHCP6_SOLICIT);
		return;
	}
	c->has_pd = 1;
	v6c_bound(pl, &m);
}

void l2tp_ppp_ipv6_lac_input(struct l2tp_ppp_link *pl, const uint8_t *pkt, size_t len)
{
	struct l2tp_ppp_v6c *c = pl->v6c;
	struct ipv6_pkt p;
	struct ipv6_udp u;

	if (c == NULL || ipv6_pkt_parse(pkt, len, &p, &c->st) < 0)
		return;
	if (p.next == IPV6_NH_ICMPV6) {
		v6c_ra(pl, &p);
		return;
	}
	if (ipv6_udp_parse(&p, &u, &c->st) == 0)
		v6c_dhcp(pl, &u);
}

void l2tp_ppp_ipv6_lac_up(struct l2tp_ppp_link *pl, const struct ppp_state *st)
{
	struct l2tp_ppp_v6c *c;
	uint8_t uuid[16];

	if (pl->v6c != NULL)
		return;
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		session_log(pl->s, LOG_ERR, "IPv6: out of memory");
		return;
	}
	/* RFC 5072 §5: our link-local from our negotiated identifier */
	ipv6_link_local(c->ll, st->local_ifid);
	rand_bytes(uuid, sizeof(uuid));
	dhcp6_duid_uuid(&c->duid, uuid);
	c->want_na = pl->s->t->grp != NULL && pl->s->t->grp->subscriber_ipv6_na;
	c->rapid = pl->s->t->grp != NULL && pl->s->t->grp->subscriber_ipv6_rapid;
	clock_timer_init(&c->timer, v6c_timer, pl);
	pl->v6c = c;
	v6c_send_rs(pl);
	v6c_exchange(pl, DHCP6_SOLICIT);
}

void l2tp_ppp_ipv6_lac_stop(struct l2tp_ppp_link *pl)
{
	if (pl->v6c == NULL)
		return;
	clock_timer_stop(&v6c_d(pl)->clk, &pl->v6c->timer);
	free(pl->v6c);
	pl->v6c = NULL;
}

const struct l2tp_ppp_v6c *l2tp_ppp_ipv6_lac(const struct l2tp_session *s)
{
	return s->ppp_link != NULL ? s->ppp_link->v6c : NULL;
}

int l2tp_ppp_ipv6_lac_renew(struct l2tp_session *s)
{
	struct l2tp_ppp_v6c *c = s->ppp_link != NULL ? s->ppp_link->v6c : NULL;

	if (c == NULL || c->state != DHCP6_REPLY)
		return -ENOENT;
	clock_timer_start(&s->t->d->clk, &c->timer, 0);	/* v6c_timer: a Renew */
	return 0;
}
