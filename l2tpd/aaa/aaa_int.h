/*
 * AAA's insides, shared by its files and by nothing else (aaa.h is the
 * interface):
 *   aaa/aaa.c         the method list, the session glue (start, up, end,
 *                 Framed-Routes), the RADIUS client indirection, helpers;
 *   aaa/auth.c    the Access-Request (PAP, CHAP-MD5, MS-CHAPv2) and what an
 *                 Access-Accept says (attributes, Cisco AV-pairs);
 *   aaa/acct.c    accounting (RFC 2866, RFC 2869 Interim and Gigawords),
 *                 terminate causes, the HA restore hook;
 *   aaa/das.c     the RFC 5176 Disconnect and CoA actions;
 *   aaa/tunnel.c  the LAC's tunnel authorization (RFC 2868).
 */
#ifndef L2TP_AAA_INT_H
#define L2TP_AAA_INT_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "aaa/aaa.h"
#include "ppp/ppp.h"
#include "aaa/radius.h"
#include "aaa/radius_client.h"

/* RFC 2865 values */
#define AAA_SERVICE_FRAMED	2
#define AAA_PROTO_PPP		1
#define AAA_PORT_VIRTUAL	5
#define AAA_ACCT_START		1
#define AAA_ACCT_STOP		2
#define AAA_ACCT_INTERIM	3

#define AAA_INTERIM_MIN		60	/* RFC 2869 §5.16: not below 60 s */

/* One authentication in progress (s->aaa_auth). */
struct aaa_auth {
	struct l2tp_session *s;
	struct ppp_auth_req req;
	unsigned next;			/* index of the next method to try */
	struct radius_req *rreq;	/* in flight */
};

#define AAA_REFUSE(s, what, ...) do { \
		(s)->t->d->aaa.stats.attr_refused++; \
		session_log((s), LOG_WARNING, "RADIUS: " what " refused", ##__VA_ARGS__); \
	} while (0)

/* aaa/aaa.c: the session's life (the observers aaa_init registers) */
void aaa_session_init(struct l2tp_session *s);
/* Credentials from PPP (authenticator role): answer with ppp_auth_done(). */
void aaa_auth_request(struct l2tp_session *s, const struct ppp_auth_req *req);
void aaa_session_up(struct l2tp_session *s);
void aaa_session_end(struct l2tp_session *s);

/* aaa/aaa.c: the RADIUS client, or the tests' double (d->aaa.ops) */
int aaa_radius_send(struct l2tpd *d, enum radius_kind kind, const struct radius_pkt *p,
		    void (*cb)(void *arg, int status, const struct radius_msg *m), void *arg,
		    struct radius_req **out);
void aaa_radius_cancel(struct l2tpd *d, struct radius_req *r);
int aaa_radius_configured(const struct l2tpd *d, enum radius_kind kind);
/* In a reply's callback: the request's authenticator and the secret of the
 * server that answered (radius_client_reply_auth). */
int aaa_radius_reply_auth(const struct l2tpd *d, uint8_t req_auth[RADIUS_AUTH_LEN],
			  const char **secret);

/* aaa/aaa.c: helpers */
void aaa_put_nas(struct radius_pkt *p, const struct l2tp_session *s);
/* NAS-IP-Address (the source address, the pair's virtual address, else
 * nas when not 0) and NAS-Identifier. */
void aaa_put_nas_ident(struct radius_pkt *p, const struct l2tpd *d, struct in_addr nas);
/* A new Acct-Session-Id into buf (17 bytes or more). */
void aaa_acct_session_id(struct l2tpd *d, char *buf, size_t size);
/* A string attribute, NUL-terminated into buf; -EINVAL if it does not fit
 * or holds a NUL. */
int aaa_attr_str(const struct radius_attr *at, char *buf, size_t size);

/* aaa/ipv6.c: an Access-Accept's IPv6 attribute into s->aaa_v6 (1 when it
 * was one, refused ones counted), and the session's prefixes in an
 * Accounting-Request (radius_put's status). */
int aaa_accept_ipv6(struct l2tp_session *s, const struct radius_attr *at);
int aaa_acct_put_ipv6(struct radius_pkt *p, const struct l2tp_session *s);

/* aaa/aaa.c: the method list and the verdict */
/* The authentication methods in order (`aaa authentication ppp default
 * ...`), *n of them; local alone when none is configured. */
const enum config_aaa_method *aaa_authen_methods(const struct l2tpd *d, unsigned *n);
/* Try the methods from a->next on; an answer ends the walk. */
void aaa_auth_next(struct aaa_auth *a);
/* The verdict to PPP; a is freed first (ppp_auth_done may end the link). */
void aaa_auth_finish(struct aaa_auth *a, int ok, const char *msg,
		     const struct ppp_auth_reply *r);
/* The address and the user name of an accepted subscriber, then the
 * verdict.  pool: the pool RADIUS named ("" = the template's). */
void aaa_auth_accept(struct aaa_auth *a, struct ppp_auth_reply *r, struct in_addr framed,
		     const char *pool, const char *how);
void aaa_routes_add(struct l2tp_session *s);

/* aaa/auth.c */
/* An Access-Request with q's credentials, no NAS attributes yet. */
int aaa_access_credentials(const struct ppp_auth_req *q, struct radius_pkt *p);
/* The Access-Request for a's credentials. */
int aaa_access_request(struct aaa_auth *a, struct radius_pkt *p);
/* The answer to it (radius_cb). */
void aaa_auth_cb(void *arg, int status, const struct radius_msg *m);

/* aaa/acct.c */
/* The session's interim timer, set to its callback. */
void aaa_acct_timer_init(struct l2tp_session *s);
/* IPCP opened: Accounting-Start, once (not after a takeover). */
void aaa_acct_start(struct l2tp_session *s);
/* HA takeover: the session was rebuilt from its record (accounting state
 * included): Interim-Updates carry on, no Start. */
void aaa_session_restored(struct l2tp_session *s);
/* The session ends: Accounting-Stop, by the box that may act. */
void aaa_acct_stop(struct l2tp_session *s);
/* Acct-Session-Time (up_ms: ms of up time) and the counters of an
 * Interim-Update or Stop (RFC 2866, RFC 2869 Gigawords); radius_put's
 * status. */
int aaa_acct_put_counters(struct radius_pkt *p, uint64_t up_ms, const uint64_t cnt[AAA_CNT_MAX]);
/* The accounting callback: a request no server acknowledged is counted
 * and logged (arg: the context). */
void aaa_acct_cb(void *arg, int status, const struct radius_msg *m);

/* aaa/local.c: the access side's sessions terminated here */
void aaa_local_init(struct l2tpd *d);

#endif
