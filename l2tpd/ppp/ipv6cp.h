/*
 * IPv6CP (RFC 5072): Interface-Identifier negotiation.  Ours is random
 * (non-zero, the universal/local bit clear as for any identifier not
 * derived from a hardware address, RFC 4291 appendix A); a peer identifier
 * that is zero or equal to ours is Nak'd with a fresh one (§4.1).
 * IPv6-Compression-Protocol and unknown options are rejected.
 */
#ifndef L2TP_PPP_IPV6CP_H
#define L2TP_PPP_IPV6CP_H

#include <stdint.h>

#include "ppp/fsm.h"

struct ppp;
struct ppp_state;

struct ppp_ipv6cp {
	struct ppp_fsm fsm;
	struct ppp *ppp;
	int neg_ifid;
	uint8_t ifid[PPP_IFID_LEN];
	uint8_t peer_ifid[PPP_IFID_LEN];
};

void ppp_ipv6cp_init(struct ppp_ipv6cp *c, struct ppp *p);
/* p->ipv6cp for a link configured to run IPv6CP (it stays NULL
 * otherwise): 0, or -ENOMEM. */
int ppp_ipv6cp_create(struct ppp *p);
void ppp_ipv6cp_stop(struct ppp_ipv6cp *c);
void ppp_ipv6cp_import(struct ppp_ipv6cp *c, const struct ppp_state *st);
/* A random identifier, non-zero, u bit clear, different from avoid1 and
 * avoid2 (may be NULL; neither may be out itself). */
void ppp_ipv6cp_random_ifid(const struct ppp *p, uint8_t out[PPP_IFID_LEN],
			    const uint8_t *avoid1, const uint8_t *avoid2);

#endif
