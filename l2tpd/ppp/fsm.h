/*
 * The PPP option-negotiation automaton of RFC 1661 §4, shared by LCP, IPCP
 * and IPv6CP.  A protocol plugs in through struct ppp_fsm_cbs: it builds its
 * Configure-Requests, judges the peer's options one by one, digests the
 * peer's Acks/Naks/Rejects and hears the four layer events (tlu/tld/tls/tlf).
 * The automaton does the rest: the state table of §4.1, the Restart timer
 * and counters (§4.6), Identifier matching (§5.2-§5.4), Max-Failure
 * (Naks turned into Rejects), Terminate and Code-Reject.
 *
 *   Events: Up/Down (lower layer), Open/Close (administrative), TO+/TO-
 *   (Restart timer), RCR+/RCR-/RCA/RCN/RTR/RTA/RUC/RXJ+/RXJ- (packets,
 *   from ppp_fsm_input() or, for a Protocol-Reject, ppp_fsm_rxj()), RXR
 *   (Echo/Discard, answered by the protocol when ppp_fsm_rxr() says so).
 */
#ifndef L2TP_PPP_FSM_H
#define L2TP_PPP_FSM_H

#include <stddef.h>
#include <stdint.h>

#include "core/clock.h"
#include "core/log.h"
#include "ppp/proto.h"

/* §4.2 states, numbered as in the §4.1 table */
enum ppp_fsm_state {
	PPP_FSM_INITIAL = 0,
	PPP_FSM_STARTING = 1,
	PPP_FSM_CLOSED = 2,
	PPP_FSM_STOPPED = 3,
	PPP_FSM_CLOSING = 4,
	PPP_FSM_STOPPING = 5,
	PPP_FSM_REQ_SENT = 6,
	PPP_FSM_ACK_RCVD = 7,
	PPP_FSM_ACK_SENT = 8,
	PPP_FSM_OPENED = 9,
};
#define PPP_FSM_NSTATES		10

/* §4.6 defaults */
#define PPP_FSM_RESTART_MS	3000
#define PPP_FSM_MAX_TERMINATE	2
#define PPP_FSM_MAX_CONFIGURE	10
#define PPP_FSM_MAX_FAILURE	5

/* The largest option list of our own Configure-Requests: LCP's is 15
 * octets (MRU, Authentication-Protocol, Magic-Number), IPCP's 18, IPv6CP's
 * 10; each protocol asserts that its own fits.  Kept small: every link
 * holds three (issue 16's 4 KiB per session budget). */
#define PPP_FSM_REQ_MAX		32
/* Terminate-Request reasons are cut there. */
#define PPP_FSM_TERM_REASON_MAX	64

/* What every protocol of one link shares: the clock, the log, the way out. */
struct ppp_stats;

struct ppp_fsm_io {
	struct l2tp_clock *clk;
	const struct l2tp_log *log;	/* may be NULL: no logging */
	const char *prefix;		/* "session 33003/10: " */
	uint16_t mtu;			/* the peer's MRU: the largest packet we send */
	/* buf is the information field (Code, Identifier, Length, data) */
	void (*output)(void *arg, uint16_t proto, const uint8_t *buf, size_t len);
	/* Around a Restart timer's event (may be NULL): lets the link defer its
	 * own destruction until the event is over. */
	void (*enter)(void *arg);
	void (*leave)(void *arg);
	void *arg;
	/* The owner's running totals over many links (ppp/ppp.h's struct
	 * ppp_config.totals), or NULL: each automaton counts into its part
	 * (ppp_fsm_cbs.totals_off) as well as into its own stats. */
	struct ppp_stats *totals;
};

/* One configuration option (§6): type, total length, data. */
struct ppp_opt {
	uint8_t type;
	uint8_t len;			/* the Length field: 2 + dlen */
	const uint8_t *raw;		/* the option, from its Type octet */
	const uint8_t *data;
	size_t dlen;
};

/* Walk an option list: 1 with *o filled, 0 at the end, -EBADMSG when an
 * option's Length is below 2 or runs past the end. */
int ppp_opt_next(const uint8_t *buf, size_t len, size_t *off, struct ppp_opt *o);
/* 0 if the whole list is well formed, else -EBADMSG. */
int ppp_opts_check(const uint8_t *buf, size_t len);
/* Append an option to buf (capacity cap, used *len); -ENOSPC if it does not fit. */
int ppp_opt_put(uint8_t *buf, size_t cap, size_t *len, uint8_t type, const void *data, size_t dlen);

/* The answer being built to one Configure-Request (§5.2-§5.4).  A protocol's
 * reqci() says, option by option, what it thinks; options it says nothing
 * about are acknowledged. */
struct ppp_fsm_reply {
	uint8_t nak[PPP_MAX_PACKET];
	size_t nak_len;
	uint8_t rej[PPP_MAX_PACKET];
	size_t rej_len;
	uint8_t nak_orig[PPP_MAX_PACKET];	/* the Nak'd options as the peer sent them */
	size_t nak_orig_len;
	unsigned n_nak, n_rej;
};

/* Nak option o (NULL: an option the peer did not send, appended to prompt
 * it, §5.3) suggesting data. */
void ppp_fsm_reply_nak(struct ppp_fsm_reply *r, const struct ppp_opt *o, uint8_t type,
		       const void *data, size_t dlen);
/* Reject option o, unmodified (§5.4). */
void ppp_fsm_reply_rej(struct ppp_fsm_reply *r, const struct ppp_opt *o);

struct ppp_fsm;

struct ppp_fsm_cbs {
	const char *name;		/* "LCP" */
	uint16_t proto;
	/* Where this protocol's counters are in struct ppp_stats (the
	 * owner's totals, ppp_fsm_io.totals); 0: not counted there. */
	size_t totals_off;
	/* A new negotiation starts: our wishes back to the configuration. */
	void (*resetci)(struct ppp_fsm *f);
	/* Our Configure-Request options into buf; returns their length. */
	size_t (*addci)(struct ppp_fsm *f, uint8_t *buf, size_t cap);
	/* Judge the peer's Configure-Request (framing already checked). */
	void (*reqci)(struct ppp_fsm *f, const uint8_t *opts, size_t len, struct ppp_fsm_reply *r);
	/* The peer acknowledged our last request (may be NULL). */
	void (*ackci)(struct ppp_fsm *f, const uint8_t *opts, size_t len);
	/* The peer Nak'd / Rejected options of our last request; adjust what
	 * the next request asks.  Negative: the packet is invalid, ignore it.
	 * A callback may close the automaton (ppp_fsm_close) when negotiation
	 * cannot succeed. */
	int (*nakci)(struct ppp_fsm *f, const uint8_t *opts, size_t len);
	int (*rejci)(struct ppp_fsm *f, const uint8_t *opts, size_t len);
	void (*up)(struct ppp_fsm *f);		/* tlu */
	void (*down)(struct ppp_fsm *f);	/* tld */
	void (*started)(struct ppp_fsm *f);	/* tls */
	void (*finished)(struct ppp_fsm *f);	/* tlf */
	/* Codes beyond 7 (LCP's Protocol-Reject, Echo, Discard...): 0 if the
	 * protocol knows the code, -ENOENT to have it Code-Rejected (RUC).
	 * May be NULL (every such code is unknown). */
	int (*extcode)(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len);
	/* The peer Code-Rejected one of our extended codes (RXJ+). */
	void (*coderej)(struct ppp_fsm *f, uint8_t code);
};

struct ppp_fsm_stats {
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t rx_malformed;		/* header or option framing broken */
	uint64_t rx_bad_id;		/* Ack/Nak/Reject not answering our last request */
	uint64_t rx_unexpected;		/* dropped: no action in this state */
	uint64_t rx_unknown_code;	/* answered with Code-Reject */
	uint64_t rx_code_rej;		/* Code-Rejects received */
	uint64_t tx_conf_req;
	uint64_t tx_retransmits;	/* Configure/Terminate-Requests sent again on TO+ */
	uint64_t tx_conf_ack;
	uint64_t tx_conf_nak;
	uint64_t tx_conf_rej;
	uint64_t opts_naked;
	uint64_t opts_rejected;
	uint64_t nak_to_rej;		/* Naks turned into Rejects after Max-Failure */
	uint64_t timeouts;		/* TO- events: the peer went silent */
};

struct ppp_fsm {
	enum ppp_fsm_state state;
	const struct ppp_fsm_cbs *cb;
	void *ctx;			/* the protocol's object */
	struct ppp_fsm_io *io;
	struct l2tp_timer timer;	/* §4.6 Restart timer */
	unsigned restart_ms;
	unsigned max_terminate, max_configure, max_failure;
	unsigned restart_count;		/* the Restart counter */
	unsigned nak_count;		/* Naks sent since our last Configure-Ack */
	uint8_t next_id;		/* Identifier of the next packet we originate */
	uint8_t req_id;			/* Identifier of our last Configure-Request */
	uint8_t req_len;		/* of req (in the padding: every link has two) */
	int req_answered;		/* a valid Ack/Nak/Reject to it arrived */
	uint8_t req[PPP_FSM_REQ_MAX];	/* its options, to check an Ack against (§5.2) */
	char *term_reason;		/* carried in our Terminate-Requests: allocated
					 * by Close, freed by ppp_fsm_stop; NULL: none */
	struct ppp_fsm_stats stats;
};

/* The part of the link owner's running totals (io->totals) this automaton
 * counts into too; NULL: none. */
static inline struct ppp_fsm_stats *ppp_fsm_totals(const struct ppp_fsm *f)
{
	if (f->io->totals == NULL || f->cb->totals_off == 0)
		return NULL;
	return (struct ppp_fsm_stats *)(void *)((char *)f->io->totals + f->cb->totals_off);
}

/* n more in f's counter m, and in its owner's totals. */
#define PPP_FSM_ADD(f, m, n) do { \
		struct ppp_fsm_stats *tot_ = ppp_fsm_totals(f); \
		(f)->stats.m += (n); \
		if (tot_ != NULL) \
			tot_->m += (n); \
	} while (0)
#define PPP_FSM_COUNT(f, m)	PPP_FSM_ADD(f, m, 1)

void ppp_fsm_init(struct ppp_fsm *f, const struct ppp_fsm_cbs *cb, void *ctx,
		  struct ppp_fsm_io *io);
/* Stop the timer (before the object holding f goes away). */
void ppp_fsm_stop(struct ppp_fsm *f);

/* §4.3 events */
void ppp_fsm_lower_up(struct ppp_fsm *f);			/* Up */
void ppp_fsm_lower_down(struct ppp_fsm *f);			/* Down */
void ppp_fsm_open(struct ppp_fsm *f);				/* Open */
void ppp_fsm_close(struct ppp_fsm *f, const char *reason);	/* Close */
/* A packet of this protocol (the information field): RCR/RCA/RCN/RTR/RTA/
 * RUC/RXJ, or an extended code for cb->extcode.  0, or a negative errno
 * when the packet was dropped (-EBADMSG malformed, -EPROTO wrong
 * Identifier, -EAGAIN not expected in this state). */
int ppp_fsm_input(struct ppp_fsm *f, const uint8_t *buf, size_t len);
/* RXJ+ (catastrophic == 0) or RXJ- from a Protocol-Reject (§5.7). */
void ppp_fsm_rxj(struct ppp_fsm *f, int catastrophic);
/* RXR (§4.3): 1 if the protocol should act (ser, in Opened), else 0. */
int ppp_fsm_rxr(struct ppp_fsm *f);

/* Enter Opened without any exchange (a link rebuilt from a checkpoint). */
void ppp_fsm_set_opened(struct ppp_fsm *f);

/* Send one packet of this protocol. */
void ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len);
uint8_t ppp_fsm_new_id(struct ppp_fsm *f);

const char *ppp_fsm_state_string(enum ppp_fsm_state s);
const char *ppp_fsm_code_string(uint8_t code);

/* Log lines with the link's prefix and the protocol's name. */
void ppp_fsm_log(const struct ppp_fsm *f, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ppp_fsm_debug(const struct ppp_fsm *f, unsigned cat, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
