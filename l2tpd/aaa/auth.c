/*
 * RADIUS authentication of PPP subscribers (RFC 2865; RFC 2548 for
 * MS-CHAPv2): the Access-Request for PAP, CHAP-MD5 and MS-CHAPv2
 * credentials, and what an Access-Accept says about the session: address,
 * pool, routes, MTU, timeouts, Class, Filter-Id and the Cisco AV-pairs.
 * Values out of range are refused with a log line and counted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "l2tpd.h"
#include "aaa/aaa_int.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"
#include "aaa/radius.h"
#include "aaa/radius_client.h"

/* An Access-Request with q's credentials (no NAS attributes yet). */
int aaa_access_credentials(const struct ppp_auth_req *q, struct radius_pkt *p)
{
	uint8_t buf[64];
	int rc = 0;

	radius_pkt_init(p, RADIUS_ACCESS_REQUEST);
	rc |= radius_put_str(p, RADIUS_ATTR_USER_NAME, q->user);
	switch (q->method) {
	case PPP_AUTH_PAP:
		rc |= radius_put_password(p, q->password, q->password_len);
		break;
	case PPP_AUTH_CHAP_MD5:
		/* RFC 2865 §5.3: the CHAP Identifier, then the Response */
		buf[0] = q->id;
		memcpy(buf + 1, q->response, 16);
		rc |= radius_put(p, RADIUS_ATTR_CHAP_PASSWORD, buf, 17);
		if (q->challenge_len == 0 || q->challenge_len > PPP_CHAP_CHALLENGE_MAX)
			return -EINVAL;
		rc |= radius_put(p, RADIUS_ATTR_CHAP_CHALLENGE, q->challenge, q->challenge_len);
		break;
	case PPP_AUTH_MSCHAPV2:
		/* RFC 2548 §2.3.2: Ident, Flags, Peer-Challenge, Reserved, Response */
		if (q->challenge_len != PPP_MSCHAP_CHALLENGE_LEN)
			return -EINVAL;
		rc |= radius_put_vsa(p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_CHALLENGE,
				     q->challenge, q->challenge_len);
		memset(buf, 0, sizeof(buf));
		buf[0] = q->id;
		memcpy(buf + 2, q->peer_challenge, PPP_MSCHAP_CHALLENGE_LEN);
		memcpy(buf + 26, q->nt_response, PPP_MSCHAP_NTRESP_LEN);
		rc |= radius_put_vsa(p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_RESPONSE, buf, 50);
		break;
	default:
		return -EINVAL;
	}
	memset(buf, 0, sizeof(buf));
	return rc < 0 ? -EMSGSIZE : 0;
}

/* The Access-Request for a's credentials. */
int aaa_access_request(struct aaa_auth *a, struct radius_pkt *p)
{
	int rc = aaa_access_credentials(&a->req, p);

	if (rc == 0)
		aaa_put_nas(p, a->s);
	return rc;
}

/* A Cisco-AVPair "proto:name=value" (or name*value: optional). */
int aaa_avpair_apply(struct l2tp_session *s, const char *avpair, char *pool, size_t poolsz)
{
	struct l2tp_tunnel *t = s->t;
	struct l2tpd *d = t->d;
	const char *eq = strpbrk(avpair, "=*");
	char name[64], *end;
	const char *val;
	unsigned long v;
	size_t nlen;

	if (eq == NULL || (nlen = (size_t)(eq - avpair)) == 0 || nlen >= sizeof(name)) {
		session_debug(s, LOG_DBG_RADIUS, "RADIUS: Cisco-AVPair \"%s\" not understood: ignored",
			      avpair);
		return 1;
	}
	memcpy(name, avpair, nlen);
	name[nlen] = '\0';
	val = eq + 1;
	if (strcasecmp(name, "vpdn:l2tp-silent-switchover") == 0) {
		if (strcmp(val, "1") != 0) {
			d->aaa.stats.attr_refused++;
			session_log(s, LOG_WARNING, "RADIUS: Cisco-AVPair %s=%s refused: only 1 "
				    "(on) is allowed", name, val);
			return -ERANGE;
		}
		if (!s->lns)
			return 1;
		if (l2tp_tunnel_set_sso(t, 1))
			tunnel_log(t, LOG_INFO, "HA (silent switchover) on, from RADIUS for user "
				   "\"%s\"", s->user[0] ? s->user : "-");
		return 0;
	}
	if (strcasecmp(name, "vpdn:l2tp-tunnel-resync-packet") == 0) {
		errno = 0;
		v = strtoul(val, &end, 10);
		if (errno != 0 || end == val || *end != '\0' || v < 1 || v > 65535 ||
		    val[0] == '-' || val[0] == '+') {
			d->aaa.stats.attr_refused++;
			session_log(s, LOG_WARNING, "RADIUS: Cisco-AVPair %s=%s refused: not in "
				    "1..65535", name, val);
			return -ERANGE;
		}
		if (!s->lns)
			return 1;
		if (l2tp_tunnel_set_resync_window(t, (uint16_t)v))
			tunnel_log(t, LOG_INFO, "HA resync window %lu packets, from RADIUS", v);
		return 0;
	}
	if (strcasecmp(name, "ip:addr-pool") == 0) {
		if (val[0] == '\0' || strlen(val) >= poolsz || strlen(val) >= CONFIG_NAME_MAX) {
			d->aaa.stats.attr_refused++;
			session_log(s, LOG_WARNING, "RADIUS: Cisco-AVPair %s=\"%.40s\" refused: "
				    "not a pool name", name, val);
			return -EINVAL;
		}
		snprintf(pool, poolsz, "%s", val);
		return 0;
	}
	session_debug(s, LOG_DBG_RADIUS, "RADIUS: Cisco-AVPair \"%s\" not supported: ignored",
		      avpair);
	return 1;
}

int aaa_parse_framed_route(const char *txt, struct in_addr *dst, unsigned *plen)
{
	char buf[128], *sp, *slash, *tok, *save = NULL;
	struct in_addr a, m;
	unsigned long n;
	char *end;

	if (strlen(txt) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", txt);
	tok = strtok_r(buf, " ", &save);
	if (tok == NULL)
		return -EINVAL;
	slash = strchr(tok, '/');
	if (slash != NULL) {
		*slash = '\0';
		errno = 0;
		n = strtoul(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end != '\0' || n > 32)
			return -EINVAL;
	} else {
		/* RFC 2865 §5.22 also allows "dst mask ...", and a bare host */
		sp = strtok_r(NULL, " ", &save);
		n = 32;
		if (sp != NULL && inet_pton(AF_INET, sp, &m) == 1 && strchr(sp, '.') != NULL) {
			uint32_t mask = ntohl(m.s_addr);

			n = 0;
			while (n < 32 && (mask & (0x80000000u >> n)))
				n++;
			if (n < 32 && (mask << n) != 0)
				return -EINVAL;
		}
	}
	if (inet_pton(AF_INET, tok, &a) != 1)
		return -EINVAL;
	if (n < 32 && (ntohl(a.s_addr) & (n ? 0xffffffffu >> n : 0xffffffffu)) != 0)
		return -EINVAL;		/* host bits set */
	*dst = a;
	*plen = (unsigned)n;
	return 0;
}

/* What an Access-Accept gives beside the session's own fields. */
struct aaa_accept {
	struct in_addr framed;		/* Framed-IP-Address, 0 if none */
	char pool[CONFIG_NAME_MAX];	/* Framed-Pool or ip:addr-pool, "" if none */
	unsigned class_seen;
	uint64_t now;
};

/* RFC 2548 §2.3.3: the MS-CHAPv2 Authenticator Response RADIUS computed
 * for us (Ident, then "S=<40 hex>"); -EBADMSG without a valid one. */
static int aaa_accept_mschap(const struct radius_msg *m, struct ppp_auth_reply *r)
{
	const struct radius_attr *at = radius_find_vsa(m, RADIUS_VENDOR_MICROSOFT,
						       RADIUS_MS_CHAP2_SUCCESS);

	if (at == NULL || at->len < 1 + PPP_MSCHAP_AUTHRESP_LEN ||
	    at->val[1] != 'S' || at->val[2] != '=')
		return -EBADMSG;
	memcpy(r->mschap_auth_response, at->val + 1, PPP_MSCHAP_AUTHRESP_LEN);
	r->mschap_auth_response[PPP_MSCHAP_AUTHRESP_LEN] = '\0';
	return 0;
}

static void aaa_accept_route(struct l2tp_session *s, const struct radius_attr *at)
{
	char str[256];
	struct in_addr dst;
	unsigned plen;

	if (aaa_attr_str(at, str, sizeof(str)) < 0 ||
	    aaa_parse_framed_route(str, &dst, &plen) < 0) {
		AAA_REFUSE(s, "Framed-Route \"%.*s\" (not A.B.C.D/N [gw] [metric])",
			   (int)at->len, (const char *)at->val);
		return;
	}
	if (s->n_framed_routes >= sizeof(s->framed_plen)) {
		AAA_REFUSE(s, "Framed-Route %s/%u (more than %zu)", inet_ntoa(dst),
			   plen, sizeof(s->framed_plen));
		return;
	}
	s->framed_route[s->n_framed_routes] = dst;
	s->framed_plen[s->n_framed_routes] = (uint8_t)plen;
	s->framed_route_added[s->n_framed_routes] = 0;
	s->n_framed_routes++;
}

/* One attribute of an Access-Accept; a value out of range is refused. */
static void aaa_accept_attr(struct l2tp_session *s, const struct radius_attr *at,
			    struct aaa_accept *acc)
{
	struct l2tp_session_rare *rare;
	char str[256];
	uint32_t v;

	if (at->type == RADIUS_ATTR_VENDOR_SPECIFIC) {
		if (at->vendor != RADIUS_VENDOR_CISCO || at->vtype != RADIUS_CISCO_AVPAIR)
			return;
		if (aaa_attr_str(at, str, sizeof(str)) < 0) {
			AAA_REFUSE(s, "Cisco-AVPair (%u octets, not text)", at->len);
			return;
		}
		aaa_avpair_apply(s, str, acc->pool, sizeof(acc->pool));
		return;
	}
	switch (at->type) {
	case RADIUS_ATTR_FRAMED_IP_ADDRESS:
		if (at->len != 4) {
			AAA_REFUSE(s, "Framed-IP-Address of %u octets", at->len);
			break;
		}
		memcpy(&acc->framed.s_addr, at->val, 4);
		if (acc->framed.s_addr == 0)
			AAA_REFUSE(s, "Framed-IP-Address 0.0.0.0");
		break;
	case RADIUS_ATTR_FRAMED_POOL:
		if (aaa_attr_str(at, acc->pool, sizeof(acc->pool)) < 0 || acc->pool[0] == '\0') {
			acc->pool[0] = '\0';
			AAA_REFUSE(s, "Framed-Pool (%u octets)", at->len);
		}
		break;
	case RADIUS_ATTR_FRAMED_MTU:
		if (radius_get_u32(at, &v) < 0 || v < 576 || v > 9000) {
			AAA_REFUSE(s, "Framed-MTU not in 576..9000");
			break;
		}
		s->framed_mtu = v;
		break;
	case RADIUS_ATTR_SESSION_TIMEOUT:
		if (radius_get_u32(at, &v) < 0 || v == 0 || v > 4294967) {
			AAA_REFUSE(s, "Session-Timeout not in 1..4294967");
			break;
		}
		/* counted from now, kept relative to the session's start */
		s->session_timeout = (unsigned)((acc->now - s->established_ms) / 1000) + v;
		break;
	case RADIUS_ATTR_IDLE_TIMEOUT:
		if (radius_get_u32(at, &v) < 0 || v == 0 || v > 4294967) {
			AAA_REFUSE(s, "Idle-Timeout not in 1..4294967");
			break;
		}
		s->idle_timeout = v;
		break;
	case RADIUS_ATTR_ACCT_INTERIM_INTERVAL:
		if (radius_get_u32(at, &v) < 0 || v < AAA_INTERIM_MIN || v > 4294967) {
			AAA_REFUSE(s, "Acct-Interim-Interval not in %u..4294967 s", AAA_INTERIM_MIN);
			break;
		}
		s->acct_interval = v;
		break;
	case RADIUS_ATTR_CLASS:
		if (acc->class_seen++)
			break;	/* the first one is kept */
		if ((rare = l2tp_session_rare(s)) == NULL) {
			AAA_REFUSE(s, "Class: out of memory");
			break;
		}
		memcpy(rare->class_attr, at->val, at->len);
		rare->class_len = at->len;
		break;
	case RADIUS_ATTR_FILTER_ID:
		if ((rare = l2tp_session_rare(s)) == NULL) {
			AAA_REFUSE(s, "Filter-Id: out of memory");
			break;
		}
		if (aaa_attr_str(at, rare->filter_id, sizeof(rare->filter_id)) < 0) {
			rare->filter_id[0] = '\0';
			AAA_REFUSE(s, "Filter-Id (%u octets)", at->len);
		}
		break;
	case RADIUS_ATTR_FRAMED_ROUTE:
		aaa_accept_route(s, at);
		break;
	default:
		(void)aaa_accept_ipv6(s, at);	/* RFC 3162, 4818, 6911 (aaa/ipv6.c) */
		break;
	}
}

/* Access-Accept: take what it says, then let the subscriber in. */
static void aaa_radius_accept(struct aaa_auth *a, const struct radius_msg *m)
{
	struct l2tp_session *s = a->s;
	struct l2tpd *d = s->t->d;
	struct ppp_auth_reply r;
	struct aaa_accept acc;
	unsigned i;

	memset(&r, 0, sizeof(r));
	memset(&acc, 0, sizeof(acc));
	acc.now = clock_now(&d->clk);
	if (a->req.method == PPP_AUTH_MSCHAPV2 && aaa_accept_mschap(m, &r) < 0) {
		session_log(s, LOG_WARNING, "RADIUS: Access-Accept for user \"%s\" without "
			    "a valid MS-CHAP2-Success: refused (the client could not "
			    "authenticate us)", a->req.user);
		d->aaa.stats.auth_reject++;
		aaa_auth_finish(a, 0, "Authentication failed", NULL);
		return;
	}
	snprintf(s->user, sizeof(s->user), "%.*s", (int)sizeof(s->user) - 1, a->req.user);
	s->n_framed_routes = 0;
	free(s->aaa_v6);
	s->aaa_v6 = NULL;
	for (i = 0; i < m->n; i++)
		aaa_accept_attr(s, &m->a[i], &acc);
	d->aaa.stats.auth_accept++;
	s->acct_authentic = 1;
	if (s->session_timeout || s->idle_timeout)
		l2tp_ppp_timeouts_changed(s);
	aaa_auth_accept(a, &r, acc.framed, acc.pool, "RADIUS");
}

void aaa_auth_cb(void *arg, int status, const struct radius_msg *m)
{
	struct aaa_auth *a = arg;
	struct l2tp_session *s = a->s;
	struct l2tpd *d = s->t->d;
	const struct radius_attr *rm;
	char msg[128] = "";

	a->rreq = NULL;
	if (status < 0 || m == NULL) {
		d->aaa.stats.auth_no_answer++;
		session_log(s, LOG_WARNING, "RADIUS: no answer for user \"%s\" (%s)", a->req.user,
			    status == -ENOENT ? "no server configured" :
			    status == -ETIMEDOUT ? "no server answered" : strerror(-status));
		aaa_auth_next(a);
		return;
	}
	rm = radius_find(m, RADIUS_ATTR_REPLY_MESSAGE);
	if (rm != NULL && aaa_attr_str(rm, msg, sizeof(msg)) < 0)
		msg[0] = '\0';
	switch (m->code) {
	case RADIUS_ACCESS_ACCEPT:
		aaa_radius_accept(a, m);
		return;
	case RADIUS_ACCESS_REJECT:
		d->aaa.stats.auth_reject++;
		session_log(s, LOG_NOTICE, "PPP user \"%s\" rejected by RADIUS (Access-Reject%s%s%s)",
			    a->req.user, msg[0] ? ": \"" : "", msg, msg[0] ? "\"" : "");
		aaa_auth_finish(a, 0, msg[0] ? msg : "Authentication failed", NULL);
		return;
	default:
		/* Access-Challenge: PPP has no second round to give it */
		d->aaa.stats.auth_reject++;
		session_log(s, LOG_NOTICE, "PPP user \"%s\" refused: RADIUS answered with code %u, "
			    "which PPP cannot follow", a->req.user, m->code);
		aaa_auth_finish(a, 0, "Authentication failed", NULL);
		return;
	}
}
