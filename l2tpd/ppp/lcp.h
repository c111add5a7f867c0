/*
 * LCP (RFC 1661 §5-§6): MRU, Magic-Number and loopback detection,
 * Authentication-Protocol; ACCM acknowledged, PFC/ACFC and the rest
 * rejected; Echo-Request/Reply and dead-peer detection; Discard-Request;
 * Protocol-Reject; Terminate (through the automaton).
 */
#ifndef L2TP_PPP_LCP_H
#define L2TP_PPP_LCP_H

#include <stdint.h>

#include "core/clock.h"
#include "ppp/fsm.h"
#include "ppp/proto.h"

struct ppp;
struct ppp_state;

struct ppp_lcp_stats {
	uint64_t echo_req_tx;
	uint64_t echo_req_rx;
	uint64_t echo_rep_tx;
	uint64_t echo_rep_rx;
	uint64_t echo_bad;		/* Echo with a wrong magic or too short: dropped */
	uint64_t echo_timeouts;		/* Echo-Requests left unanswered */
	uint64_t loopback;		/* our own magic seen coming back */
	uint64_t discard_rx;
	uint64_t ident_rx;		/* Identification, Time-Remaining: ignored */
	uint64_t proto_rej_rx;
	uint64_t proto_rej_tx;
	uint64_t opts_bad_len;		/* known options with a wrong length: rejected */
};

struct ppp_lcp {
	struct ppp_fsm fsm;
	struct ppp *ppp;
	/* (the narrow fields together: no padding; every link has one) */
	uint16_t want_mru;		/* what we ask of the peer */
	uint16_t peer_mru;		/* what the peer asked and we acknowledged */
	uint8_t echo_id;		/* dead-peer detection */
	/* what we ask of the peer */
	int neg_mru;
	int neg_magic;
	uint32_t magic;
	int neg_auth;
	enum ppp_auth_method auth;	/* the method we ask for */
	unsigned auth_tried;		/* bit per method already refused by the peer */
	/* what the peer asked and we acknowledged */
	int peer_neg_magic;
	uint32_t peer_magic;
	enum ppp_auth_method peer_auth;	/* the method the peer wants from us */
	unsigned magic_collisions;	/* §6.4 loopback suspicion */
	/* dead-peer detection */
	unsigned echo_outstanding;	/* Echo-Requests without a reply in a row */
	int echo_disabled;		/* the peer Code-Rejected Echo-Request */
	struct l2tp_timer echo_timer;
	struct ppp_lcp_stats stats;
};

void ppp_lcp_init(struct ppp_lcp *l, struct ppp *p);
void ppp_lcp_stop(struct ppp_lcp *l);
void ppp_lcp_echo_start(struct ppp_lcp *l);
void ppp_lcp_echo_stop(struct ppp_lcp *l);
/* §5.7: reject a frame of an unknown protocol (LCP must be Opened). */
void ppp_lcp_send_protrej(struct ppp_lcp *l, uint16_t proto, const uint8_t *info, size_t len);
/* Rebuild the Opened state from a checkpoint (nothing sent). */
void ppp_lcp_import(struct ppp_lcp *l, const struct ppp_state *st);
/* The MRU values once Opened: ours (the peer may send up to it) and the
 * peer's (we send up to it). */
uint16_t ppp_lcp_our_mru(const struct ppp_lcp *l);

/* The Authentication-Protocol option's data for a method (2 or 3 octets);
 * 0 for none. */
size_t ppp_lcp_auth_opt(enum ppp_auth_method m, uint8_t out[3]);
/* The method an Authentication-Protocol option's data names, NONE if none we know. */
enum ppp_auth_method ppp_lcp_auth_parse(const uint8_t *data, size_t len);

#endif
