/*
 * Inside the link's IPv6 server (ipv6/server.c, ipv6/server_dhcp.c).
 */
#ifndef L2TP_IPV6_SERVER_INT_H
#define L2TP_IPV6_SERVER_INT_H

#include "ipv6/server.h"

/* A DHCPv6 message to our port (RFC 8415 §18.3): answered or dropped. */
int ipv6_server_dhcp(struct ipv6_server *s, const struct ipv6_pkt *p, const struct ipv6_udp *u);
/* The lease of code (IA_PD: the delegated prefix, IA_NA: the address) now
 * bound to m's client, IAID iaid, from now. */
void ipv6_server_bind(struct ipv6_server *s, const struct dhcp6_msg *m, uint16_t code,
		      uint32_t iaid);

#endif
