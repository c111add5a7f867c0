/*
 * AAA of the access side's PPPoE sessions terminated here (the ops of
 * pppoe/local_aaa.h): the method list of `aaa authentication ppp default`
 * (RADIUS, the local users) with the LNS's semantics (aaa.h: the next
 * method only when one gives no answer), the Access-Accept's address,
 * pool, Class and interim interval, and accounting (RFC 2866, RFC 2869)
 * from IPCP up to the end, with the RADIUS client and the attribute code
 * the LNS's sessions use.
 *
 * What RADIUS hears of the line: NAS-Port the PPPoE session ID,
 * NAS-Port-Type Ethernet (RFC 2865 §5.41), NAS-Port-Id the access
 * interface and its VLANs (RFC 2869 §5.17), Calling-Station-Id the
 * Agent-Circuit-Id else the MAC, and the TR-101 Agent-Circuit-Id and
 * Agent-Remote-Id as RFC 4679 §4 attributes.
 *
 * A hitless restart or a takeover carries the record's accounting (the
 * checkpoint's PppoeLocal, written once the Start is sent): the rebuilt
 * session's record (local_restore) keeps its Acct-Session-Id, Class and
 * start, sends Interim-Updates and one Stop, and no second Start.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2tpd.h"
#include "aaa/aaa_int.h"
#include "ppp/ppp.h"
#include "pppoe/local_aaa.h"
#include "aaa/radius.h"
#include "aaa/radius_client.h"

#define AAA_PORT_ETHERNET	15	/* RFC 2865 §5.41 */
#define AAA_VENDOR_DSL_FORUM	3561	/* RFC 4679 §3 */
#define AAA_DSL_CIRCUIT_ID	1
#define AAA_DSL_REMOTE_ID	2

/* One subscriber's AAA record (pppoe_aaa_ops' h). */
struct aaa_local {
	struct l2tpd *d;
	void (*done)(void *darg, const struct pppoe_aaa_verdict *v);
	void (*counters)(void *darg, uint64_t out[PPPOE_AAA_CNT]);
	void *darg;
	struct ppp_auth_req req;	/* while the methods are walked */
	unsigned next;			/* the next method */
	struct radius_req *rreq;	/* in flight */
	uint16_t sid;
	char nas_port_id[64], calling[64], circuit_id[64], remote_id[64];
	char user[PPP_NAME_MAX + 1];
	char acct_session_id[PPPOE_AAA_ID_MAX];
	char pool[CONFIG_NAME_MAX];	/* Framed-Pool ("") */
	uint8_t class_attr[PPPOE_AAA_CLASS_MAX];	/* RADIUS Class, sent back in accounting */
	size_t class_len;
	unsigned acct_interval;		/* Acct-Interim-Interval, 0: the configured */
	unsigned authentic;		/* Acct-Authentic: 1 RADIUS, 2 local */
	struct in_addr addr;
	struct l2tp_timer acct_timer;
	int started;
	uint64_t up_ms;
	uint64_t reported[AAA_CNT_MAX];	/* never backwards */
};

#define local_log(al, prio, fmt, ...) \
	log_msg(&(al)->d->log, prio, "pppoe session %u: " fmt, (al)->sid, ##__VA_ARGS__)

/* --- what RADIUS hears of the line ------------------------------------------- */

static int local_put_line(struct radius_pkt *p, const struct aaa_local *al)
{
	int rc = 0;

	aaa_put_nas_ident(p, al->d, (struct in_addr){ 0 });
	rc |= radius_put_u32(p, RADIUS_ATTR_NAS_PORT, al->sid);
	rc |= radius_put_u32(p, RADIUS_ATTR_NAS_PORT_TYPE, AAA_PORT_ETHERNET);
	rc |= radius_put_str(p, RADIUS_ATTR_NAS_PORT_ID, al->nas_port_id);
	rc |= radius_put_u32(p, RADIUS_ATTR_SERVICE_TYPE, AAA_SERVICE_FRAMED);
	rc |= radius_put_u32(p, RADIUS_ATTR_FRAMED_PROTOCOL, AAA_PROTO_PPP);
	if (al->calling[0])
		rc |= radius_put_str(p, RADIUS_ATTR_CALLING_STATION_ID, al->calling);
	if (al->circuit_id[0])
		rc |= radius_put_vsa(p, AAA_VENDOR_DSL_FORUM, AAA_DSL_CIRCUIT_ID, al->circuit_id,
				     strlen(al->circuit_id));
	if (al->remote_id[0])
		rc |= radius_put_vsa(p, AAA_VENDOR_DSL_FORUM, AAA_DSL_REMOTE_ID, al->remote_id,
				     strlen(al->remote_id));
	rc |= radius_put_str(p, RADIUS_ATTR_ACCT_SESSION_ID, al->acct_session_id);
	return rc;
}

/* --- authentication ------------------------------------------------------------ */

static void local_verdict(struct aaa_local *al, int ok, const char *msg, const char *how)
{
	struct pppoe_aaa_verdict v = {
		.ok = ok, .msg = msg, .framed = al->addr, .pool = al->pool, .how = how,
	};

	explicit_bzero(&al->req, sizeof(al->req));	/* credentials */
	if (ok)
		al->d->stats.ppp_auth_ok++;
	else
		al->d->stats.ppp_auth_failures++;
	al->done(al->darg, &v);
}

static void local_check_users(struct aaa_local *al)
{
	struct l2tpd *d = al->d;
	const struct config_user *u = config_user_find(&d->cfg, al->req.user);
	struct ppp_auth_reply r = { 0 };

	if (u == NULL || ppp_auth_check_local(&al->req, u->password, &r) < 0) {
		d->aaa.stats.auth_local_fail++;
		local_log(al, LOG_NOTICE, "PPP authentication of \"%s\" failed: %s", al->req.user,
			  u ? "wrong password" : "no such user");
		local_verdict(al, 0, "Authentication failed", "local");
		return;
	}
	d->aaa.stats.auth_local_ok++;
	al->authentic = 2;
	local_verdict(al, 1, "Welcome", "local");
}

static void local_auth_cb(void *arg, int status, const struct radius_msg *m);

/* The Access-Request: 0 sent, else -errno. */
static int local_access_request(struct aaa_local *al)
{
	struct radius_pkt p;
	int rc = aaa_access_credentials(&al->req, &p);

	if (rc == 0 && local_put_line(&p, al) < 0)
		rc = -EMSGSIZE;
	if (rc == 0)
		rc = aaa_radius_send(al->d, RADIUS_AUTH, &p, local_auth_cb, al, &al->rreq);
	explicit_bzero(&p, sizeof(p));	/* the password */
	return rc;
}

/* The methods from al->next on, until one answers. */
static void local_next(struct aaa_local *al)
{
	struct l2tpd *d = al->d;
	unsigned n;
	const enum config_aaa_method *list = aaa_authen_methods(d, &n);
	int rc;

	while (al->next < n) {
		enum config_aaa_method mth = list[al->next++];

		if (mth == CONFIG_AAA_LOCAL) {
			local_check_users(al);
			return;
		}
		if (mth != CONFIG_AAA_RADIUS)
			continue;
		if (!aaa_radius_configured(d, RADIUS_AUTH)) {
			d->aaa.stats.auth_fallback++;
			continue;
		}
		rc = local_access_request(al);
		if (rc < 0) {
			d->aaa.stats.auth_fallback++;
			local_log(al, LOG_WARNING, "RADIUS: Access-Request for \"%s\" not sent: %s",
				  al->req.user, strerror(-rc));
			continue;
		}
		d->aaa.stats.auth_radius++;
		log_debug(&d->log, LOG_DBG_RADIUS, "pppoe session %u: RADIUS: Access-Request for "
			  "\"%s\" (%s)", al->sid, al->req.user,
			  ppp_auth_method_string(al->req.method));
		return;
	}
	local_log(al, LOG_NOTICE, "PPP authentication of \"%s\" failed: no AAA method answered",
		  al->req.user);
	local_verdict(al, 0, "Authentication failed", "none");
}

/* One attribute of an Access-Accept; values out of range are refused,
 * logged and counted. */
static void local_accept_attr(struct aaa_local *al, const struct radius_attr *at, int *class_seen)
{
	struct aaa_stats *st = &al->d->aaa.stats;
	uint32_t v;

	switch (at->type) {
	case RADIUS_ATTR_FRAMED_IP_ADDRESS:
		if (at->len != 4 || memcmp(at->val, "\0\0\0\0", 4) == 0) {
			st->attr_refused++;
			local_log(al, LOG_WARNING, "RADIUS: Framed-IP-Address refused");
			break;
		}
		memcpy(&al->addr.s_addr, at->val, 4);
		/* 255.255.255.254 (the NAS chooses), .255 (the user may): the pool */
		if (al->addr.s_addr == htonl(0xfffffffe) || al->addr.s_addr == htonl(0xffffffff))
			al->addr.s_addr = 0;
		break;
	case RADIUS_ATTR_FRAMED_POOL:
		if (aaa_attr_str(at, al->pool, sizeof(al->pool)) < 0) {
			al->pool[0] = '\0';
			st->attr_refused++;
			local_log(al, LOG_WARNING, "RADIUS: Framed-Pool (%u octets) refused", at->len);
		}
		break;
	case RADIUS_ATTR_ACCT_INTERIM_INTERVAL:
		if (radius_get_u32(at, &v) < 0 || v < AAA_INTERIM_MIN || v > 4294967) {
			st->attr_refused++;
			local_log(al, LOG_WARNING, "RADIUS: Acct-Interim-Interval not in %u..4294967 "
				  "s refused", AAA_INTERIM_MIN);
			break;
		}
		al->acct_interval = v;
		break;
	case RADIUS_ATTR_CLASS:
		if ((*class_seen)++ == 0) {	/* the first one is kept */
			memcpy(al->class_attr, at->val, at->len);
			al->class_len = at->len;
		}
		break;
	default:
		break;
	}
}

static void local_auth_cb(void *arg, int status, const struct radius_msg *m)
{
	struct aaa_local *al = arg;
	struct aaa_stats *st = &al->d->aaa.stats;
	const struct radius_attr *rm;
	char msg[128] = "";
	int class_seen = 0;
	unsigned i;

	al->rreq = NULL;
	if (status < 0 || m == NULL) {
		st->auth_no_answer++;
		local_log(al, LOG_WARNING, "RADIUS: no answer for user \"%s\" (%s)", al->req.user,
			  status == -ENOENT ? "no server configured" :
			  status == -ETIMEDOUT ? "no server answered" : strerror(-status));
		local_next(al);
		return;
	}
	rm = radius_find(m, RADIUS_ATTR_REPLY_MESSAGE);
	if (rm != NULL && aaa_attr_str(rm, msg, sizeof(msg)) < 0)
		msg[0] = '\0';
	if (m->code != RADIUS_ACCESS_ACCEPT) {
		/* Access-Reject; an Access-Challenge PPP cannot follow */
		st->auth_reject++;
		local_log(al, LOG_NOTICE, "PPP user \"%s\" rejected by RADIUS (code %u%s%s%s)",
			  al->req.user, m->code, msg[0] ? ": \"" : "", msg, msg[0] ? "\"" : "");
		local_verdict(al, 0, msg[0] ? msg : "Authentication failed", "RADIUS");
		return;
	}
	for (i = 0; i < m->n; i++)
		local_accept_attr(al, &m->a[i], &class_seen);
	st->auth_accept++;
	al->authentic = 1;
	local_verdict(al, 1, "Welcome", "RADIUS");
}

/* --- accounting ---------------------------------------------------------------- */

static int local_acct_on(const struct aaa_local *al)
{
	return al->d->cfg.aaa.acct_network;
}

static unsigned local_interval(const struct aaa_local *al)
{
	if (al->d->aaa.test_interim_s)
		return al->d->aaa.test_interim_s;
	if (al->acct_interval)
		return al->acct_interval;
	return al->d->cfg.aaa.acct_update_min * 60;
}

static const char *const local_acct_names[] = {
	[AAA_ACCT_START] = "Start", [AAA_ACCT_STOP] = "Stop", [AAA_ACCT_INTERIM] = "Interim-Update",
};

/* One accounting request of this type: 0 sent, else -errno (logged). */
static int local_acct_send(struct aaa_local *al, uint32_t type, unsigned cause)
{
	struct l2tpd *d = al->d;
	uint64_t now = clock_now(&d->clk), cnt[AAA_CNT_MAX] = { 0 };
	struct radius_pkt p;
	int rc = 0;
	unsigned i;

	radius_pkt_init(&p, RADIUS_ACCOUNTING_REQUEST);
	rc |= radius_put_u32(&p, RADIUS_ATTR_ACCT_STATUS_TYPE, type);
	rc |= radius_put_str(&p, RADIUS_ATTR_USER_NAME, al->user);
	rc |= local_put_line(&p, al);
	rc |= radius_put_addr(&p, RADIUS_ATTR_FRAMED_IP_ADDRESS, al->addr);
	if (al->class_len)
		rc |= radius_put(&p, RADIUS_ATTR_CLASS, al->class_attr, al->class_len);
	if (al->authentic)
		rc |= radius_put_u32(&p, RADIUS_ATTR_ACCT_AUTHENTIC, al->authentic);
	rc |= radius_put_u32(&p, RADIUS_ATTR_ACCT_DELAY_TIME, 0);
	rc |= radius_put_u32(&p, RADIUS_ATTR_EVENT_TIMESTAMP, (uint32_t)clock_wall_s(&d->clk));
	if (type != AAA_ACCT_START) {
		al->counters(al->darg, cnt);
		for (i = 0; i < AAA_CNT_MAX; i++)
			if (cnt[i] < al->reported[i])
				cnt[i] = al->reported[i];	/* never backwards */
		rc |= aaa_acct_put_counters(&p, now > al->up_ms ? now - al->up_ms : 0, cnt);
	}
	if (type == AAA_ACCT_STOP)
		rc |= radius_put_u32(&p, RADIUS_ATTR_ACCT_TERMINATE_CAUSE, cause);
	if (rc < 0) {
		local_log(al, LOG_ERR, "RADIUS: accounting request does not fit: not sent");
		return -EMSGSIZE;
	}
	rc = aaa_radius_send(d, RADIUS_ACCT, &p, aaa_acct_cb, d, NULL);
	if (rc < 0) {
		local_log(al, LOG_WARNING, "RADIUS: Accounting-%s not sent: %s",
			  local_acct_names[type], strerror(-rc));
		return rc;
	}
	memcpy(al->reported, cnt, sizeof(cnt));
	log_debug(&d->log, LOG_DBG_EVENT, "pppoe session %u: Accounting-%s, Acct-Session-Id %s",
		  al->sid, local_acct_names[type], al->acct_session_id);
	return 0;
}

static void local_acct_arm(struct aaa_local *al)
{
	uint64_t iv = (uint64_t)local_interval(al) * 1000;

	if (iv != 0)
		clock_timer_start(&al->d->clk, &al->acct_timer, iv);
}

static void local_acct_timer_cb(struct l2tp_timer *tm, void *arg)
{
	struct aaa_local *al = arg;

	(void)tm;
	if (local_acct_send(al, AAA_ACCT_INTERIM, 0) == 0)
		al->d->aaa.stats.acct_interim++;
	local_acct_arm(al);
}

/* --- the ops ------------------------------------------------------------------- */

/* A new record for the subscriber on line, user; NULL: no memory. */
static struct aaa_local *local_new(struct l2tpd *d, const struct pppoe_aaa_line *line,
				   const char *user,
				   void (*counters)(void *darg, uint64_t out[PPPOE_AAA_CNT]),
				   void *darg)
{
	struct aaa_local *al = calloc(1, sizeof(*al));

	if (al == NULL)
		return NULL;
	al->d = d;
	al->counters = counters;
	al->darg = darg;
	al->sid = line->sid;
	snprintf(al->nas_port_id, sizeof(al->nas_port_id), "%s", line->nas_port_id);
	snprintf(al->calling, sizeof(al->calling), "%s", line->calling ? line->calling : "");
	snprintf(al->circuit_id, sizeof(al->circuit_id), "%s",
		 line->circuit_id ? line->circuit_id : "");
	snprintf(al->remote_id, sizeof(al->remote_id), "%s",
		 line->remote_id ? line->remote_id : "");
	snprintf(al->user, sizeof(al->user), "%s", user);
	clock_timer_init(&al->acct_timer, local_acct_timer_cb, al);
	return al;
}

static int local_start(void *arg, void **h, const struct pppoe_aaa_line *line,
		       const struct ppp_auth_req *req,
		       void (*done)(void *darg, const struct pppoe_aaa_verdict *v),
		       void (*counters)(void *darg, uint64_t out[PPPOE_AAA_CNT]), void *darg)
{
	struct aaa_local *al = local_new(arg, line, req->user, counters, darg);

	if (al == NULL)
		return -ENOMEM;
	al->done = done;
	al->req = *req;
	aaa_acct_session_id(al->d, al->acct_session_id, sizeof(al->acct_session_id));
	*h = al;
	local_next(al);
	return 0;
}

static void local_up(void *arg, void *h, struct in_addr addr)
{
	struct aaa_local *al = h;

	(void)arg;
	if (al->started || !local_acct_on(al))
		return;
	al->addr = addr;
	al->up_ms = clock_now(&al->d->clk);
	al->started = 1;	/* once, whatever the server says: the client retries */
	if (local_acct_send(al, AAA_ACCT_START, 0) == 0)
		al->d->aaa.stats.acct_start++;
	local_acct_arm(al);
}

static void local_end(void *arg, void *h, unsigned cause)
{
	struct aaa_local *al = h;
	struct l2tpd *d = al->d;

	(void)arg;
	aaa_radius_cancel(d, al->rreq);
	clock_timer_stop(&d->clk, &al->acct_timer);
	if (al->started && local_acct_send(al, AAA_ACCT_STOP,
					   d->shutting_down ? 11 /* NAS Reboot */ : cause) == 0)
		d->aaa.stats.acct_stop++;
	explicit_bzero(al, sizeof(*al));
	free(al);
}

static int local_save(void *arg, const void *h, struct pppoe_aaa_acct *out)
{
	const struct aaa_local *al = h;

	(void)arg;
	memset(out, 0, sizeof(*out));
	if (!al->started)
		return -ENOENT;
	snprintf(out->session_id, sizeof(out->session_id), "%s", al->acct_session_id);
	memcpy(out->class_attr, al->class_attr, al->class_len);
	out->class_len = (uint8_t)al->class_len;
	out->authentic = (uint8_t)al->authentic;
	out->started = 1;
	out->interval = al->acct_interval;
	out->up_ms = al->up_ms;
	for (unsigned i = 0; i < PPPOE_AAA_CNT; i++)
		out->reported[i] = al->reported[i];
	return 0;
}

/* The session rebuilt: its record goes on (no Start; Interim-Updates from
 * now at its interval; its Stop at the end). */
static int local_restore(void *arg, void **h, const struct pppoe_aaa_line *line,
			 const char *user, struct in_addr addr, const struct pppoe_aaa_acct *acct,
			 void (*counters)(void *darg, uint64_t out[PPPOE_AAA_CNT]), void *darg)
{
	struct aaa_local *al = local_new(arg, line, user, counters, darg);

	if (al == NULL)
		return -ENOMEM;
	snprintf(al->acct_session_id, sizeof(al->acct_session_id), "%s", acct->session_id);
	al->class_len = acct->class_len <= sizeof(al->class_attr) ? acct->class_len : 0;
	memcpy(al->class_attr, acct->class_attr, al->class_len);
	al->authentic = acct->authentic;
	al->acct_interval = acct->interval;
	al->addr = addr;
	al->up_ms = acct->up_ms;
	al->started = acct->started;
	for (unsigned i = 0; i < PPPOE_AAA_CNT; i++)
		al->reported[i] = acct->reported[i];
	*h = al;
	if (al->started && local_acct_on(al))
		local_acct_arm(al);
	return 0;
}

static const struct pppoe_aaa_ops local_ops = {
	.start = local_start,
	.up = local_up,
	.end = local_end,
	.save = local_save,
	.restore = local_restore,
};

void aaa_local_init(struct l2tpd *d)
{
	pppoe_local_set_aaa(d, &local_ops, d);
}
