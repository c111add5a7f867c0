/*
 * The sessions' IPv6 (l2tp/ppp_ipv6.c): `show ipv6 dhcp binding`, `clear
 * ipv6 dhcp binding`, and the IPv6 part of `show l2tp session detail`.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd_engine.h"
#include "cli/cmd_ipv6.h"
#include "cli/cmd_topics.h"
#include "core/clock.h"
#include "core/out.h"
#include "ipv6/pool.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "l2tpd.h"

void cmd_ipv6_subscriber(const struct l2tpd *d, struct out *o, const struct l2tp_ppp_v6c *c)
{
	char ll[INET6_ADDRSTRLEN], p[64] = "-", pd[64] = "-";
	uint64_t now = clock_now(&d->clk), refused = 0;

	inet_ntop(AF_INET6, c->ll, ll, sizeof ll);
	if (c->has_prefix)
		ipv6_prefix_format(c->prefix, 64, p, sizeof p);
	if (c->has_pd)
		ipv6_prefix_format(c->pd, c->pd_len, pd, sizeof pd);
	for (unsigned i = 0; i < IPV6_ERR_COUNT; i++)
		refused += c->st.err[i];
	out_obj_open(o, "ipv6_subscriber");
	out_str(o, "link_local", "  IPv6 subscriber link-local %s", ll);
	out_str(o, "prefix", ", prefix %s", p);
	out_str(o, "delegated_prefix", ", delegated %s\n", pd);
	if (c->want_na) {
		char na[INET6_ADDRSTRLEN] = "-";

		if (c->has_na)
			inet_ntop(AF_INET6, c->na, na, sizeof na);
		out_str(o, "address", "  IPv6 address %s\n", na);
	}
	out_str(o, "dhcp_state", "  DHCPv6 %s", c->state == DHCP6_REPLY ? "bound" :
		dhcp6_type_name(c->state));
	out_uint(o, "renew_in", ", renew in %u s",
		 c->state == DHCP6_REPLY && c->t1_ms > now ? (c->t1_ms - now) / 1000 : 0);
	out_uint(o, "bindings", ", bindings %u", c->bound);
	out_uint(o, "bindings_rapid_commit", " (rapid commit %u)", c->bound_rapid);
	out_uint(o, "renews", ", renews %u", c->renews);
	out_uint(o, "retransmissions", ", retransmissions %u\n", c->retrans);
	out_uint(o, "rs_sent", "  IPv6 RS sent %u", c->rs_tx);
	out_uint(o, "ra_received", ", RAs received %u", c->ra_rx);
	out_uint(o, "dhcp_replies", ", DHCPv6 replies %u",
		 c->dhcp_rx[DHCP6_REPLY] + c->dhcp_rx[DHCP6_ADVERTISE]);
	out_uint(o, "refused", ", refused %u", refused + c->dhcp_refused);
	out_uint(o, "ignored", ", ignored %u", c->dhcp_ignored);
	out_uint(o, "send_failures", ", send failures %u", c->send_failed);
	out_uint(o, "unknown_options", ", unknown options %u\n", c->st.unknown_opts);
	out_obj_close(o);
}

/* Seconds left of the binding's valid lifetime (0 once past). */
static uint64_t cmd_ipv6_lease_left(const struct l2tpd *d, const struct ipv6_lease *l)
{
	uint64_t end = l->start_ms + (uint64_t)l->valid * 1000, now = clock_now(&d->clk);

	return end > now ? (end - now) / 1000 : 0;
}

/* RADIUS's Framed-IPv6-Routes (RFC 3162 §2.5): each with its gateway (the
 * subscriber's link-local address for ::) and whether pppN carries it
 * (the linux path) or it is only recorded (the null path has no pppN). */
static void cmd_ipv6_framed(struct out *o, const struct l2tp_ppp_v6 *v)
{
	out_arr_open(o, "framed_routes");
	for (unsigned i = 0; i < v->n_framed; i++) {
		const struct ipv6_route *r = &v->framed[i];
		char p[64], gw[INET6_ADDRSTRLEN];

		ipv6_prefix_format(r->dst, r->plen, p, sizeof p);
		inet_ntop(AF_INET6, ipv6_is_unspecified(r->gw) ? v->srv.peer_ll : r->gw, gw,
			  sizeof gw);
		out_obj_open(o, NULL);
		out_str(o, "prefix", "  IPv6 Framed-Route %s", p);
		out_str(o, "gateway", " via %s", gw);
		out_uint(o, "metric", " metric %u", r->metric);
		out_bool(o, "installed", NULL, !!(v->routes & PPP_V6_ROUTE_FRAMED(i)));
		out_text(o, ", %s\n", v->routes & PPP_V6_ROUTE_FRAMED(i) ? "installed" :
			 "not installed (recorded)");
		out_obj_close(o);
	}
	out_arr_close(o);
}

void cmd_ipv6_session(const struct l2tpd *d, struct out *o, const struct l2tp_ppp_v6 *v)
{
	const struct ipv6_server *s = &v->srv;
	char ll[INET6_ADDRSTRLEN], peer[INET6_ADDRSTRLEN], p[64] = "-", pd[64] = "-";
	uint64_t refused = 0;

	inet_ntop(AF_INET6, s->ll, ll, sizeof ll);
	inet_ntop(AF_INET6, s->peer_ll, peer, sizeof peer);
	if (s->has_prefix)
		ipv6_prefix_format(s->prefix, 64, p, sizeof p);
	if (s->has_pd)
		ipv6_prefix_format(s->pd, s->pd_len, pd, sizeof pd);
	for (unsigned i = 0; i < IPV6_ERR_COUNT; i++)
		refused += s->st.parse.err[i];
	out_obj_open(o, "ipv6");
	out_str(o, "link_local", "  IPv6 link-local %s", ll);
	out_str(o, "peer_link_local", ", peer %s\n", peer);
	out_str(o, "prefix", "  IPv6 prefix %s", p);
	out_str(o, "prefix_pool", " (pool %s)", v->pool6[0] ? v->pool6 : "-");
	out_str(o, "delegated_prefix", ", delegated %s", pd);
	out_str(o, "delegated_pool", " (pool %s)", v->pd_pool[0] ? v->pd_pool : "-");
	out_bool(o, "delegated_bound", NULL, s->lease.bound);
	out_text(o, ", %s\n", s->lease.bound ? "bound" : "not bound");
	if (s->has_na) {
		char na[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, s->na, na, sizeof na);
		out_str(o, "address", "  IPv6 address %s", na);
		out_str(o, "address_pool", " (pool %s)", v->na_pool[0] ? v->na_pool : "-");
		out_bool(o, "address_bound", NULL, s->na_lease.bound);
		out_text(o, ", %s\n", s->na_lease.bound ? "bound" : "not bound");
	}
	cmd_ipv6_framed(o, v);
	out_uint(o, "ra_sent", "  IPv6 RAs sent %u", s->st.ra_tx);
	out_uint(o, "rs_received", ", RS received %u", s->st.rs_rx);
	out_uint(o, "dhcp_replies", ", DHCPv6 replies %u",
		 s->st.dhcp_tx[DHCP6_REPLY] + s->st.dhcp_tx[DHCP6_ADVERTISE]);
	out_uint(o, "refused", ", refused %u", refused + s->st.dhcp_wrong_server);
	out_uint(o, "declined", ", declined %u", s->st.dhcp_declined);
	out_uint(o, "unknown_options", ", unknown options %u\n", s->st.parse.unknown_opts);
	out_obj_close(o);
}

/* An IA's lease: its IAID, prefix or address, lifetimes, what is left. */
static void cmd_ipv6_lease(const struct l2tpd *d, struct out *o, const struct ipv6_lease *l)
{
	out_uint(o, "preferred_lifetime", ", preferred %u s", l->preferred);
	out_uint(o, "valid_lifetime", ", valid %u s", l->valid);
	out_uint(o, "expires_seconds", ", expires in %u s\n", cmd_ipv6_lease_left(d, l));
}

/* A session's bindings: the delegated prefix's (IA_PD, at the row's
 * level) and the address's (IA_NA, in "ia_na"), those bound. */
static void cmd_ipv6_binding(const struct l2tpd *d, struct out *o, const struct l2tp_session *s,
			     const struct l2tp_ppp_v6 *v)
{
	const struct ipv6_server *srv = &v->srv;
	const struct ipv6_lease *l = srv->lease.bound ? &srv->lease : &srv->na_lease;
	char peer[INET6_ADDRSTRLEN], duid[3 * DHCP6_DUID_MAX + 1], pd[64], na[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, srv->peer_ll, peer, sizeof peer);
	dhcp6_duid_format(&l->client, duid, sizeof duid);
	out_obj_open(o, NULL);
	out_str(o, "client", "Client %s", peer);
	out_uint(o, "tunnel_id", " (session %u", s->t->tid);
	out_uint(o, "session_id", "/%u", s->sid);
	out_str(o, "user", ", user \"%s\")\n", s->user);
	out_str(o, "duid", "  DUID %s\n", duid);
	if (srv->lease.bound) {
		ipv6_prefix_format(srv->pd, srv->pd_len, pd, sizeof pd);
		out_uint(o, "iaid", "  IA_PD IAID 0x%08x", srv->lease.iaid);
		out_str(o, "prefix", ", prefix %s", pd);
		cmd_ipv6_lease(d, o, &srv->lease);
	}
	if (srv->na_lease.bound) {
		inet_ntop(AF_INET6, srv->na, na, sizeof na);
		out_obj_open(o, "ia_na");
		out_uint(o, "iaid", "  IA_NA IAID 0x%08x", srv->na_lease.iaid);
		out_str(o, "address", ", address %s", na);
		cmd_ipv6_lease(d, o, &srv->na_lease);
		out_obj_close(o);
	}
	out_obj_close(o);
}

static int cmd_ipv6_show_binding(struct cmd_ctx *x, const struct cmd_entry *e,
				 const struct cmd_args *a)
{
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	unsigned n = 0;

	out_arr_open(x->o, "bindings");
	LIST_FOREACH(t, &x->d->tunnels, link) {
		LIST_FOREACH(s, &t->session_list, link) {
			const struct l2tp_ppp_v6 *v = l2tp_ppp_ipv6(s);

			if (v == NULL || (!v->srv.lease.bound && !v->srv.na_lease.bound))
				continue;
			cmd_ipv6_binding(x->d, x->o, s, v);
			n++;
		}
	}
	out_arr_close(x->o);
	out_uint(x->o, "count", "%u DHCPv6 bindings\n", n);
	return 0;
}

static int cmd_ipv6_clear_binding(struct cmd_ctx *x, const struct cmd_entry *e,
				  const struct cmd_args *a)
{
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	unsigned n = 0;

	LIST_FOREACH(t, &x->d->tunnels, link) {
		if (a->var[0] && t->tid != a->num[0])
			continue;
		LIST_FOREACH(s, &t->session_list, link) {
			if (a->var[1] && s->sid != a->num[1])
				continue;
			if (l2tp_ppp_ipv6_clear_binding(s) == 0) {
				session_log(s, LOG_NOTICE, "DHCPv6 binding cleared by the operator");
				n++;
			}
		}
	}
	if (a->var[0] && n == 0) {
		out_error(x->o, "No DHCPv6 binding on session %lu/%lu", a->num[0], a->num[1]);
		return -ENOENT;
	}
	out_uint(x->o, "cleared", "%u DHCPv6 bindings cleared\n", n);
	return 0;
}

#define SRV(m, k, f)	OUT_COUNTER_GROUP(struct ipv6_server_stats, m, k, f, 0)
#define SRV_RX(t, k, f)	OUT_COUNTER_GROUP(struct ipv6_server_stats, dhcp_rx[t], k, f, 1)
#define SRV_TX(t, k, f)	OUT_COUNTER_GROUP(struct ipv6_server_stats, dhcp_tx[t], k, f, 2)

/* The LNS links' DHCPv6 servers, summed. */
static const struct out_counter cmd_ipv6_srv_counters[] = {
	SRV_RX(DHCP6_SOLICIT, "solicit", "  Received: SOLICIT %u"),
	SRV_RX(DHCP6_REQUEST, "request", ", REQUEST %u"),
	SRV_RX(DHCP6_CONFIRM, "confirm", ", CONFIRM %u"),
	SRV_RX(DHCP6_RENEW, "renew", ", RENEW %u"),
	SRV_RX(DHCP6_REBIND, "rebind", ", REBIND %u"),
	SRV_RX(DHCP6_RELEASE, "release", ", RELEASE %u"),
	SRV_RX(DHCP6_DECLINE, "decline", ", DECLINE %u"),
	SRV_RX(DHCP6_INFORMATION_REQUEST, "information_request", ", INFORMATION-REQUEST %u\n"),
	SRV_TX(DHCP6_ADVERTISE, "advertise", "  Sent: ADVERTISE %u"),
	SRV_TX(DHCP6_REPLY, "reply", ", REPLY %u\n"),
	SRV(dhcp_declined, "declined", "  Addresses declined %u"),
	SRV(dhcp_no_binding, "no_binding", ", no binding %u"),
	SRV(dhcp_no_prefix, "no_prefix", ", no prefix %u"),
	SRV(dhcp_no_addr, "no_address", ", no address %u"),
	SRV(dhcp_wrong_server, "wrong_server", ", wrong server %u"),
	SRV(leases_expired, "leases_expired", ", leases expired %u\n"),
	SRV(rs_rx, "rs_received", "  RS received %u"),
	SRV(ra_tx, "ra_sent", ", RAs sent %u"),
	SRV(other_rx, "other_dropped", ", other IPv6 dropped %u\n"),
};

#define V6RX(m, k, f)	OUT_COUNTER(struct l2tp_v6rx_stats, m, k, f)

/* The linux path's receive socket (l2tp/ppp_ipv6_rx.c). */
static const struct out_counter cmd_ipv6_rx_counters[] = {
	V6RX(packets, "received", "  Frames received %u"),
	V6RX(outgoing, "outgoing", ", outgoing skipped %u"),
	V6RX(malformed, "malformed", ", malformed %u"),
	V6RX(no_session, "unknown_interface", ", unknown interface %u"),
	V6RX(read_errors, "read_errors", ", read errors %u\n"),
	V6RX(kernel_packets, "kernel_packets", "  Kernel: packets %u"),
	V6RX(kernel_drops, "kernel_drops", ", dropped (queue full) %u\n"),
};

/* `show ipv6 dhcp statistics`: the DHCPv6 servers of the sessions, and the
 * receive socket of the linux data path. */
static int cmd_ipv6_show_stats(struct cmd_ctx *x, const struct cmd_entry *e,
			       const struct cmd_args *a)
{
	/* the live links' sum, kept as they count (l2tp/ppp_ipv6.c): the
	 * same at 200,000 sessions as at one */
	const struct ipv6_server_stats *sum = &x->d->v6_live;
	uint64_t refused = 0;

	for (unsigned i = 0; i < IPV6_ERR_COUNT; i++)
		refused += sum->parse.err[i];
	out_uint(x->o, "links", "IPv6 links %u", x->d->v6_links);
	out_uint(x->o, "malformed", ", malformed packets refused %u\n", refused);
	out_obj_open(x->o, "dhcp");
	out_counters(x->o, OUT_COUNTERS(cmd_ipv6_srv_counters), sum, OUT_ALL);
	out_obj_close(x->o);
	l2tp_ppp_ipv6_rx_counters(x->d);
	out_obj_open(x->o, "receive_socket");
	out_bool(x->o, "open", NULL, x->d->v6rx_fd >= 0);
	out_text(x->o, "IPv6 receive socket (linux data path): %s\n",
		 x->d->v6rx_fd >= 0 ? "open" : "not open");
	out_uint(x->o, "links_indexed", "  Links by interface index %u\n", x->d->v6_indexed);
	out_counters(x->o, OUT_COUNTERS(cmd_ipv6_rx_counters), &x->d->v6rx, OUT_ALL);
	out_obj_close(x->o);
	return 0;
}

/* `test ipv6 dhcp renew`: every bound LAC test subscriber renews now. */
static int cmd_ipv6_test_renew(struct cmd_ctx *x, const struct cmd_entry *e,
			       const struct cmd_args *a)
{
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	unsigned n = 0;

	LIST_FOREACH(t, &x->d->tunnels, link) {
		LIST_FOREACH(s, &t->session_list, link)
			n += l2tp_ppp_ipv6_lac_renew(s) == 0;
	}
	out_uint(x->o, "renewing", "%u DHCPv6 clients renewing\n", n);
	return 0;
}

static const struct cmd_entry cmd_ipv6_show_entries[] = {
	{ M(CMD_MODE_EXEC), "show ipv6 dhcp binding", cmd_ipv6_show_binding, NULL, { 0 },
	  "delegated prefixes (IA_PD) and addresses (IA_NA) bound to DHCPv6 clients: DUID, "
	  "IAID, lifetimes" },
	{ M(CMD_MODE_EXEC), "show ipv6 dhcp statistics", cmd_ipv6_show_stats, NULL, { 0 },
	  "the sessions' DHCPv6 servers summed (messages by type, declined, refused) and "
	  "the linux data path's IPv6 receive socket (frames, drops, the kernel's count)" },
	{ M(CMD_MODE_EXEC), "clear ipv6 dhcp binding [tunnel <1-65535> session <1-65535>]",
	  cmd_ipv6_clear_binding, NULL, { 0 },
	  "forget the DHCPv6 bindings (of every session, or one): the client solicits again" },
	{ M(CMD_MODE_EXEC) | CMD_HIDDEN | CMD_ROOT, "test ipv6 dhcp renew", cmd_ipv6_test_renew,
	  NULL, { 0 }, "LAC: every bound test subscriber's DHCPv6 client renews now, before "
	  "T1 (tests)" },
};

const struct cmd_table cmd_ipv6_show_table = CMD_TABLE("ipv6", cmd_ipv6_show_entries);
