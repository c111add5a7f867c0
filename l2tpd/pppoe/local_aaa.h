/*
 * AAA of the PPPoE sessions terminated here (pppoe/lac_local.c): who is
 * let in (the method list of `aaa authentication ppp default`: RADIUS, the
 * local users), the address RADIUS gives, and accounting from IPCP up to
 * the session's end (`aaa accounting network`), as the LNS does for its
 * L2TP sessions.  AAA registers the ops at init (aaa/local.c), as it
 * registers the LNS's authenticator (l2tp/ppp.h); pppoe/ never names aaa/.
 * Without them the local users decide and nothing is accounted.
 */
#ifndef PPPOE_LOCAL_AAA_H
#define PPPOE_LOCAL_AAA_H

#include <netinet/in.h>
#include <stdint.h>

struct l2tpd;
struct ppp_auth_req;

/* What RADIUS hears of the subscriber's line. */
struct pppoe_aaa_line {
	uint16_t sid;			/* NAS-Port: the PPPoE session ID */
	const char *nas_port_id;	/* NAS-Port-Id: "eth1", "eth1:100", "eth1:100-10" */
	const char *calling;		/* Calling-Station-Id: Agent-Circuit-Id, else the MAC */
	const char *circuit_id;		/* TR-101 Agent-Circuit-Id, "" */
	const char *remote_id;		/* Agent-Remote-Id, "" */
};

/* The verdict: ok, the message for the subscriber (PAP/CHAP), and what an
 * Access-Accept gave: Framed-IP-Address (0: none, or "the NAS chooses"),
 * Framed-Pool or ip:addr-pool ("": the template's). */
struct pppoe_aaa_verdict {
	int ok;
	const char *msg;
	struct in_addr framed;
	const char *pool;
	const char *how;		/* "RADIUS", "local" */
};

/* Counter slots of pppoe_aaa_ops.counters (as aaa.h's). */
enum { PPPOE_AAA_IN_OCTETS = 0, PPPOE_AAA_OUT_OCTETS, PPPOE_AAA_IN_PACKETS,
       PPPOE_AAA_OUT_PACKETS, PPPOE_AAA_CNT };

/* The accounting a hitless restart or a takeover carries (the checkpoint,
 * ha/pppoe.c): the new process's record goes on with the same
 * Acct-Session-Id and Class, its start (up_ms, the daemon's clock: the
 * Acct-Session-Time goes on) and what was reported already (never
 * backwards); no second Start. */
#define PPPOE_AAA_ID_MAX	64		/* as the checkpoint's */
#define PPPOE_AAA_CLASS_MAX	253
struct pppoe_aaa_acct {
	char session_id[PPPOE_AAA_ID_MAX];
	uint8_t class_attr[PPPOE_AAA_CLASS_MAX];
	uint8_t class_len;
	uint8_t authentic;		/* Acct-Authentic: 1 RADIUS, 2 local, 0 */
	uint8_t started;		/* Accounting-Start was sent */
	uint32_t interval;		/* Acct-Interim-Interval, 0: the configured */
	uint64_t up_ms;			/* IPCP up, the daemon's clock */
	uint64_t reported[PPPOE_AAA_CNT];
};

struct pppoe_aaa_ops {
	/* Credentials of the subscriber on line: *h gets the session's AAA
	 * record first (it lives until end), then the verdict comes through
	 * done(darg, v), now or later (never after end).  counters(darg, out)
	 * reads the session's counters for accounting.  0, or -ENOMEM (no
	 * record, nothing called). */
	int (*start)(void *arg, void **h, const struct pppoe_aaa_line *line,
		     const struct ppp_auth_req *req,
		     void (*done)(void *darg, const struct pppoe_aaa_verdict *v),
		     void (*counters)(void *darg, uint64_t out[PPPOE_AAA_CNT]), void *darg);
	/* IPCP opened with the subscriber's address: Accounting-Start, then
	 * Interim-Updates. */
	void (*up)(void *arg, void *h, struct in_addr addr);
	/* The session ends (cause: RFC 2866 Acct-Terminate-Cause): a question
	 * in flight cancelled, Accounting-Stop if it started; h is freed. */
	void (*end)(void *arg, void *h, unsigned cause);
	/* The record's accounting, for the checkpoint: 0, or -ENOENT (none
	 * to carry: not started). */
	int (*save)(void *arg, const void *h, struct pppoe_aaa_acct *out);
	/* A session rebuilt up (a restart, a takeover), user at addr: *h
	 * gets a record that goes on from acct (Interim-Updates, one Stop at
	 * end; no Start).  0, or -ENOMEM (no record, nothing accounted). */
	int (*restore)(void *arg, void **h, const struct pppoe_aaa_line *line, const char *user,
		       struct in_addr addr, const struct pppoe_aaa_acct *acct,
		       void (*counters)(void *darg, uint64_t out[PPPOE_AAA_CNT]), void *darg);
};

void pppoe_local_set_aaa(struct l2tpd *d, const struct pppoe_aaa_ops *ops, void *arg);

#endif
