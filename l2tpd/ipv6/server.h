/*
 * The IPv6 server of one PPP link once IPv6CP is open (RFC 5072 §5): our
 * link-local address from our interface identifier, router advertisements
 * (RFC 4861 §6.2: a few at once, then every `ipv6 nd ra interval`, and an
 * answer to each Router Solicitation, rate-limited) with the link's /64,
 * M/O, MTU and RDNSS (RFC 8106), and a DHCPv6 server (RFC 8415 §18.3) that
 * delegates the session's prefix (IA_PD) and gives the session's address
 * (IA_NA) to the client that asks (its DUID and IAID kept, with each
 * lease's lifetimes) and answers its Renew, Rebind, Release, Confirm,
 * Decline and Information-request.
 *
 * The prefixes and the address are the session's: the caller takes them
 * from its pools (or RADIUS) and gives them back when the session goes;
 * the server only binds them to the client.  Packets leave by the ops' send
 * (an IPv6 packet, for PPP protocol 0x0057); time is the caller's clock.
 */
#ifndef L2TP_IPV6_SERVER_H
#define L2TP_IPV6_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "core/clock.h"
#include "ipv6/dhcp6.h"
#include "ipv6/nd.h"
#include "ipv6/pkt.h"

/* RFC 4861 §10: the first advertisements, and the least time between two
 * advertisements answering solicitations */
#define IPV6_SRV_INITIAL_RAS		3
#define IPV6_SRV_INITIAL_INTERVAL_MS	16000
#define IPV6_SRV_MIN_DELAY_RAS_MS	3000
/* RFC 8415 §18.3.8: a declined address is not given again for a while */
#define IPV6_SRV_DECLINE_HOLD_MS	(3600 * 1000)

struct ipv6_server_ops {
	/* An IPv6 packet for the subscriber. */
	void (*send)(void *arg, const uint8_t *pkt, size_t len);
	/* The binding changed (given, renewed, released, expired): HA
	 * checkpoints it.  May be NULL. */
	void (*changed)(void *arg);
	/* The client declined the address (RFC 8415 §18.3.8: another node
	 * uses it): the caller may give the link another one
	 * (ipv6_server_set_address).  May be NULL. */
	void (*declined)(void *arg);
};

struct ipv6_server_cfg {
	uint8_t ra_flags;		/* ND_RA_MANAGED, ND_RA_OTHER */
	unsigned ra_interval;		/* s */
	unsigned ra_lifetime;		/* s */
	uint32_t mtu;			/* 0: no MTU option */
	uint8_t dns[2][IPV6_ADDR_LEN];	/* :: = none */
	int rapid_commit;
	uint32_t pd_valid;		/* s, of the delegated prefix and the address */
	uint32_t pd_preferred;		/* s */
	struct dhcp6_duid duid;		/* ours: both boxes of a pair share it */
};

/* The binding of the delegated prefix (IA_PD) or of the address (IA_NA)
 * to a client (RFC 8415 §6.3, §18.3.2). */
struct ipv6_lease {
	int bound;
	struct dhcp6_duid client;
	uint32_t iaid;
	uint64_t start_ms;		/* the last Reply that gave or renewed it */
	uint32_t valid;			/* s, from start_ms */
	uint32_t preferred;
};

struct ipv6_server_stats {
	uint64_t rs_rx;
	uint64_t rs_rate_limited;	/* answered by the next advertisement instead */
	uint64_t ra_tx;
	uint64_t dhcp_rx[DHCP6_INFORMATION_REQUEST + 1];	/* by message type */
	uint64_t dhcp_tx[DHCP6_INFORMATION_REQUEST + 1];
	uint64_t dhcp_wrong_server;	/* RFC 8415 §16: names another server, dropped */
	uint64_t dhcp_no_binding;	/* Renew/Rebind/Release of a binding we do not hold */
	uint64_t dhcp_no_prefix;	/* asked for a prefix the link has none to give */
	uint64_t dhcp_no_addr;		/* asked for an address the link has none to give */
	uint64_t dhcp_declined;		/* addresses the client declined (§18.3.8) */
	uint64_t other_rx;		/* IPv6 neither RS nor DHCPv6 to us: dropped */
	uint64_t leases_expired;
	struct ipv6_stats parse;	/* refusals of malformed packets, by reason */
};	/* uint64_t only: ipv6_server_stats_fold() adds them as an array */

struct ipv6_server {
	const struct ipv6_server_ops *ops;
	void *arg;
	struct l2tp_clock *clk;
	struct ipv6_server_cfg cfg;
	uint8_t ll[IPV6_ADDR_LEN];	/* ours */
	uint8_t peer_ll[IPV6_ADDR_LEN];
	int has_prefix;			/* the link's /64, advertised */
	uint8_t prefix[IPV6_ADDR_LEN];
	int has_pd;			/* the session's delegated prefix */
	uint8_t pd[IPV6_ADDR_LEN];
	uint8_t pd_len;
	struct ipv6_lease lease;	/* the delegated prefix's */
	int has_na;			/* the session's address, for IA_NA */
	uint8_t na[IPV6_ADDR_LEN];
	struct ipv6_lease na_lease;
	uint64_t na_declined_until_ms;	/* declined: na not given by IA_NA till then */
	unsigned initial_left;		/* initial advertisements still to send */
	uint64_t last_solicited_ra_ms;
	int solicited_ra_sent;
	struct l2tp_timer ra_timer;
	struct l2tp_timer lease_timer;
	struct l2tp_timer na_timer;	/* na_lease's valid lifetime */
	struct ipv6_server_stats st;
	/* The owner's sum over its servers, counted with st (IPV6_SRV_COUNT),
	 * or NULL: its show reads one sum, not every server. */
	struct ipv6_server_stats *totals;
};

/* One more in the server's counter m, and in its owner's totals. */
#define IPV6_SRV_COUNT(s, m) do { \
		(s)->st.m++; \
		if ((s)->totals != NULL) \
			(s)->totals->m++; \
	} while (0)

/* sum += st (sign > 0) or sum -= st (a server that goes takes its
 * counts out of its owner's totals). */
void ipv6_server_stats_fold(struct ipv6_server_stats *sum, const struct ipv6_server_stats *st,
			    int sign);

/* Set up (nothing sent yet): our and the peer's interface identifiers
 * (IPv6CP's), the configuration copied. */
void ipv6_server_init(struct ipv6_server *s, const struct ipv6_server_ops *ops, void *arg,
		      struct l2tp_clock *clk, const struct ipv6_server_cfg *cfg,
		      const uint8_t our_ifid[8], const uint8_t peer_ifid[8]);
/* The link's /64 and the prefix to delegate (NULL: none). */
void ipv6_server_set_prefixes(struct ipv6_server *s, const uint8_t *prefix64, const uint8_t *pd,
			      uint8_t pd_len);
/* The address to give by IA_NA (NULL: none, IA_NA gets NoAddrsAvail);
 * a hold on a declined one ends. */
void ipv6_server_set_address(struct ipv6_server *s, const uint8_t *na);
/* Start advertising: one RA now, the initial ones, then periodic ones. */
int ipv6_server_start(struct ipv6_server *s);
/* Stop the timers (a last RA with router lifetime 0 is the caller's
 * choice: ipv6_server_send_ra(s, 1)). */
void ipv6_server_stop(struct ipv6_server *s);
/* An IPv6 packet from the subscriber: 0 (handled, maybe answered),
 * -EINVAL (malformed: counted in st.parse), -ENOMSG (not for us, counted),
 * -EPERM (a DHCPv6 message we drop by RFC 8415's rules, counted). */
int ipv6_server_input(struct ipv6_server *s, const uint8_t *pkt, size_t len);
/* An RA to all nodes now; final: router and prefix lifetimes 0. */
void ipv6_server_send_ra(struct ipv6_server *s, int final);
/* The binding changed: tell ops->changed. */
void ipv6_server_changed(struct ipv6_server *s);
/* A lease as checkpointed, on the new active after a takeover (its
 * start time on this box's clock). */
void ipv6_server_restore_lease(struct ipv6_server *s, const struct ipv6_lease *l);
/* The same for the address's lease (IA_NA). */
void ipv6_server_restore_na_lease(struct ipv6_server *s, const struct ipv6_lease *l);
/* The lease of IA type code (DHCP6_OPT_IA_PD or DHCP6_OPT_IA_NA). */
struct ipv6_lease *ipv6_server_lease(struct ipv6_server *s, uint16_t code);
/* `clear ipv6 dhcp binding`: the lease of code goes (not the prefix or
 * address, still the session's).  0, or -ENOENT: it was not bound. */
int ipv6_server_unbind(struct ipv6_server *s, uint16_t code);

#endif
