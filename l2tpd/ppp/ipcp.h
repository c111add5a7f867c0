/*
 * IPCP (RFC 1332) with the DNS options of RFC 1877.
 *
 * Authenticator (LNS): we ask for our own IP-Address; the peer's address is
 * the one AAA assigned: 0.0.0.0 or any other address is Nak'd with it, and
 * a request without the option gets it appended to a Nak (RFC 1332 §3.3).
 * With no address assigned the option is rejected.  Primary/secondary DNS
 * (129/131) are Nak'd with ours, or rejected when we have none.
 * IP-Compression-Protocol, IP-Addresses, NBNS and unknown options are
 * rejected.
 * Peer (client): we ask for 0.0.0.0 (or our configured address) and both
 * DNS servers, take what the authenticator Naks, and acknowledge its
 * non-zero address.
 */
#ifndef L2TP_PPP_IPCP_H
#define L2TP_PPP_IPCP_H

#include <netinet/in.h>

#include "ppp/fsm.h"

struct ppp;
struct ppp_state;

struct ppp_ipcp {
	struct ppp_fsm fsm;
	struct ppp *ppp;
	/* ours */
	int neg_addr;
	struct in_addr addr;
	int neg_dns[2];
	struct in_addr dns[2];		/* peer role: the servers we were given */
	/* the peer's, as acknowledged */
	struct in_addr peer_addr;
};

void ppp_ipcp_init(struct ppp_ipcp *c, struct ppp *p);
void ppp_ipcp_stop(struct ppp_ipcp *c);
void ppp_ipcp_import(struct ppp_ipcp *c, const struct ppp_state *st);

#endif
