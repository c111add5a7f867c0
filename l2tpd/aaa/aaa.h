/*
 * AAA for PPP subscribers: who is let in (the method list of `aaa
 * authentication ppp default`: RADIUS, the local `username` base), what
 * RADIUS says about the session (address, pool, routes, MTU, timeouts,
 * Class, Cisco AV-pairs), accounting (RFC 2866 Start, Interim-Update, Stop)
 * and the RFC 5176 Disconnect and CoA requests the DAS hands over.
 *
 * Lifecycle, driven by the PPP link (l2tp/ppp.c) through the hooks
 * aaa_init() registers (the observer list, l2tp/observer.h, and the PPP
 * link's authenticator, l2tp/ppp.h):
 *   ppp_starting   the session's PPP starts: the Acct-Session-Id is given,
 *                  once (aaa_session_init);
 *   auth request   PPP asks for a verdict: RADIUS and/or local, in the
 *                  configured order; the answer comes through
 *                  ppp_auth_done(), now or later (aaa_auth_request);
 *   ppp_up         IPCP opened: Framed-Routes, Accounting-Start;
 *   ppp_restored   rebuilt at a takeover: Interim-Updates go on, no Start;
 *   ppp_stopping   the session goes: a pending request is cancelled,
 *                  Accounting-Stop with the cause the session noted
 *                  (l2tp_session_cause).
 *
 * Method list semantics (IOS): the next method is tried only when a
 * method gives no answer (no RADIUS server configured, none answered); an
 * Access-Reject, or a wrong local password, is final.
 *
 * HA: the accounting state is in the session record (ha/emit.c), so a new
 * active sends no second Start, keeps the Acct-Session-Id, and reports
 * counters that continue from those already reported.
 *
 * The code: aaa/aaa.c (method list, session glue), aaa/auth.c (RADIUS
 * authentication), aaa/acct.c (accounting), aaa/das.c (RFC 5176), and for
 * the LAC aaa/tunnel.c (the tunnel chosen by RADIUS, aaa_tunnel.h).
 */
#ifndef L2TP_AAA_H
#define L2TP_AAA_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

struct l2tpd;
struct l2tp_session;
struct l2tp_tunnel;
struct ppp_auth_req;
struct radius_pkt;
struct radius_msg;
struct radius_req;
struct aaa_tunnel_dial;

/* Counter slots of acct_base[] / acct_reported[]. */
enum { AAA_CNT_IN_OCTETS = 0, AAA_CNT_OUT_OCTETS, AAA_CNT_IN_PACKETS, AAA_CNT_OUT_PACKETS,
       AAA_CNT_MAX };

struct aaa_stats {
	uint64_t auth_radius;		/* Access-Requests sent */
	uint64_t auth_accept, auth_reject, auth_no_answer;
	uint64_t auth_local_ok, auth_local_fail;
	uint64_t auth_fallback;		/* RADIUS gave no answer: next method */
	uint64_t attr_refused;		/* reply attributes/AV-pairs out of range */
	uint64_t acct_start, acct_interim, acct_stop;
	uint64_t acct_no_answer;	/* accounting requests no server acknowledged */
	uint64_t das_disconnect, das_coa, das_nak;
	/* LAC tunnel authorization (aaa/tunnel.c) */
	uint64_t tunnel_authz;		/* Access-Requests for a domain */
	uint64_t tunnel_accept, tunnel_reject, tunnel_no_answer;
	uint64_t tunnel_refused;	/* tunnel sets refused (values out of range) */
	uint64_t tunnel_next;		/* a tunnel failed: the next set tried */
	uint64_t tunnel_group;		/* the vpdn-group's initiate-to used instead */
};

/*
 * The RADIUS client as AAA uses it (radius_client.h).  NULL members mean
 * the real radius_send / radius_cancel / radius_configured; unit tests put
 * their doubles here.  kind is an enum radius_kind.
 */
struct aaa_radius_ops {
	int (*send)(struct l2tpd *d, int kind, const struct radius_pkt *p,
		    void (*cb)(void *arg, int status, const struct radius_msg *m), void *arg,
		    struct radius_req **out);
	void (*cancel)(struct radius_req *r);
	int (*configured)(const struct l2tpd *d, int kind);
	/* radius_client_reply_auth(): in a reply's callback, the request's
	 * authenticator and the answering server's secret. */
	int (*reply_auth)(const struct l2tpd *d, uint8_t req_auth[16], const char **secret);
};

struct aaa {
	uint32_t boot_id;		/* random, drawn once: Acct-Session-Ids differ across
					 * restarts and between the boxes of a pair */
	uint32_t next_id;
	struct aaa_radius_ops ops;
	struct aaa_stats stats;
	LIST_HEAD(, aaa_tunnel_dial) dials;	/* aaa/tunnel.c: waiting for RADIUS or a tunnel */
	LIST_HEAD(, aaa_tunnel_choice) choices;	/* aaa/tunnel_choose.c: subscribers' questions */
	unsigned test_interim_s;	/* `test aaa interim-interval S`: over everything */
};

/* The room's hooks in the context (l2tpd_init calls it): AAA hears of the
 * PPP links' life and of RADIUS-chosen tunnels (the observer list),
 * authenticates PPP subscribers and chooses the tunnel of a user's calls
 * (aaa/tunnel.c).  0 or a negative errno. */
int aaa_init(struct l2tpd *d);

/* Accounting counters now: the baseline plus this box's data path (or
 * the user-space frames under null); never below what was reported. */
void aaa_session_counters(struct l2tp_session *s, uint64_t out[AAA_CNT_MAX]);
/* Interim interval in effect for the session, s (0: none). */
unsigned aaa_acct_interval(const struct l2tp_session *s);

/* RFC 5176 (aaa/radius_das.c calls these with verified requests): 0 ACK,
 * negative NAK with *error_cause. */
int aaa_das_disconnect(struct l2tpd *d, const struct radius_msg *m, uint32_t *error_cause);
int aaa_das_coa(struct l2tpd *d, const struct radius_msg *m, uint32_t *error_cause);

/* NAS-Port of a session: tunnel ID << 16 | session ID. */
uint32_t aaa_nas_port(const struct l2tp_session *s);

/* One Cisco-AVPair value ("vpdn:l2tp-tunnel-resync-packet=20") applied to
 * a session's tunnel / address choice; 0 applied, 1 ignored (unknown),
 * -ERANGE / -EINVAL refused (logged).  pool receives ip:addr-pool. */
int aaa_avpair_apply(struct l2tp_session *s, const char *avpair, char *pool, size_t poolsz);
/* "A.B.C.D/N [gateway] [metric]" or "A.B.C.D M.M.M.M ..." -> dst, plen. */
int aaa_parse_framed_route(const char *txt, struct in_addr *dst, unsigned *plen);

#endif
