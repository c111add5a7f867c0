/*
 * AAA for PPP subscribers (see aaa.h): the method list, the session glue
 * (identity, IPCP up, the end, Framed-Routes) and the helpers the other
 * AAA files share (aaa_int.h).  RADIUS authentication is aaa/auth.c,
 * accounting aaa/acct.c, the RFC 5176 actions aaa/das.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "common/util.h"
#include "l2tpd.h"
#include "aaa/aaa_int.h"
#include "core/ippool.h"
#include "aaa/tunnel.h"
#include "l2tp/dial.h"
#include "l2tp/observer.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"
#include "aaa/radius.h"
#include "aaa/radius_client.h"

static const enum config_aaa_method aaa_local_only[] = { CONFIG_AAA_LOCAL };

const enum config_aaa_method *aaa_authen_methods(const struct l2tpd *d, unsigned *n)
{
	*n = d->cfg.aaa.n_authen;
	if (*n == 0) {
		*n = 1;
		return aaa_local_only;
	}
	return d->cfg.aaa.authen;
}

/* --- the RADIUS client, or the tests' double ---------------------------- */

int aaa_radius_send(struct l2tpd *d, enum radius_kind kind, const struct radius_pkt *p,
		    void (*cb)(void *arg, int status, const struct radius_msg *m), void *arg,
		    struct radius_req **out)
{
	if (d->aaa.ops.send != NULL)
		return d->aaa.ops.send(d, (int)kind, p, cb, arg, out);
	return radius_send(d, kind, p, cb, arg, out);
}

void aaa_radius_cancel(struct l2tpd *d, struct radius_req *r)
{
	if (r == NULL)
		return;
	if (d->aaa.ops.cancel != NULL)
		d->aaa.ops.cancel(r);
	else
		radius_cancel(r);
}

int aaa_radius_configured(const struct l2tpd *d, enum radius_kind kind)
{
	if (d->aaa.ops.configured != NULL)
		return d->aaa.ops.configured(d, (int)kind);
	return radius_configured(d, kind);
}

int aaa_radius_reply_auth(const struct l2tpd *d, uint8_t req_auth[RADIUS_AUTH_LEN],
			  const char **secret)
{
	if (d->aaa.ops.reply_auth != NULL)
		return d->aaa.ops.reply_auth(d, req_auth, secret);
	return radius_client_reply_auth(d, req_auth, secret);
}

/* --- the room's life ----------------------------------------------------------- */

static int aaa_dial_user(void *arg, struct vpdn_group *g, unsigned sessions,
			 unsigned per_tunnel, const char *user, const char *password,
			 char *err, size_t errsz)
{
	return aaa_tunnel_dial(arg, g, sessions, per_tunnel, user, password, err, errsz);
}

static const struct l2tp_dial_ops aaa_dial_ops = {
	.dial_user = aaa_dial_user,
};

static void aaa_auth_req(void *arg, struct l2tp_session *s, const struct ppp_auth_req *req)
{
	aaa_auth_request(s, req);
}

static const struct l2tp_ppp_auth_ops aaa_auth_ops = {
	.request = aaa_auth_req,
};

/* A tunnel opened for RADIUS's choice was established, or closes, or goes. */
static void aaa_obs_tunnel(void *arg, struct l2tp_tunnel *t)
{
	if (t->aaa_chosen)
		aaa_tunnel_changed(t);
}

static void aaa_obs_ppp_starting(void *arg, struct l2tp_session *s)
{
	aaa_session_init(s);
}

static void aaa_obs_ppp_up(void *arg, struct l2tp_session *s)
{
	if (s->lns)
		aaa_session_up(s);
}

/* A LAC's call relayed for the access side: accounted from its ICCN to its
 * end, as Cisco's LAC does (there is no PPP link of ours to hang it on). */
static void aaa_obs_session_changed(void *arg, struct l2tp_session *s)
{
	if (s->relayed && !s->lns && s->state == L2TP_SESSION_ESTABLISHED &&
	    s->acct_timer.cb == NULL) {
		s->ppp_up_ms = clock_now(&s->t->d->clk);	/* Acct-Session-Time from here */
		aaa_session_up(s);
	}
}

static void aaa_obs_session_deleted(void *arg, struct l2tp_session *s)
{
	if (s->relayed && !s->lns)
		aaa_session_end(s);
}

static void aaa_obs_ppp_restored(void *arg, struct l2tp_session *s)
{
	aaa_session_restored(s);
}

static void aaa_obs_ppp_stopping(void *arg, struct l2tp_session *s)
{
	aaa_session_end(s);
}

static const struct l2tp_observer_ops aaa_observer_ops = {
	.tunnel_changed = aaa_obs_tunnel,
	.tunnel_deleted = aaa_obs_tunnel,
	.session_changed = aaa_obs_session_changed,
	.session_deleted = aaa_obs_session_deleted,
	.ppp_starting = aaa_obs_ppp_starting,
	.ppp_restored = aaa_obs_ppp_restored,
	.ppp_up = aaa_obs_ppp_up,
	.ppp_stopping = aaa_obs_ppp_stopping,
};

int aaa_init(struct l2tpd *d)
{
	LIST_INIT(&d->aaa.dials);
	l2tp_dial_set_chooser(d, &aaa_dial_ops, d);
	aaa_tunnel_choose_init(d);
	l2tp_ppp_set_auth(d, &aaa_auth_ops, d);
	aaa_local_init(d);
	return l2tp_observer_add(d, &aaa_observer_ops, d);
}

/* --- identity ----------------------------------------------------------------- */

/* Draw the boot id (getrandom; time and pid if that fails). */
static void aaa_boot_id_draw(struct l2tpd *d)
{
	uint32_t r = 0;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (uint32_t)clock_wall_s(&d->clk) ^ ((uint32_t)getpid() << 16);
	d->aaa.boot_id = r ? r : 1;
	d->aaa.next_id = 0;
}

uint32_t aaa_nas_port(const struct l2tp_session *s)
{
	return (uint32_t)s->t->tid << 16 | s->sid;
}

void aaa_session_init(struct l2tp_session *s)
{
	struct l2tpd *d = s->t->d;

	if (d->aaa.boot_id == 0)
		aaa_boot_id_draw(d);
	if (s->acct_timer.cb == NULL)
		clock_timer_init(&s->acct_timer, NULL, NULL);
	/* Restored sessions keep theirs (checkpointed). */
	if (s->acct_session_id[0] == '\0')
		aaa_acct_session_id(d, s->acct_session_id, sizeof(s->acct_session_id));
}

/* "%08X%08X" of hi and lo into buf, by hand: snprintf cost more than the
 * rest of a session's accounting set-up.  Cut to size like snprintf. */
static void aaa_hex_id(char *buf, size_t size, uint32_t hi, uint32_t lo)
{
	static const char hex[] = "0123456789ABCDEF";
	char t[17];

	if (size == 0)
		return;
	for (int i = 0; i < 8; i++) {
		t[i] = hex[(hi >> (28 - 4 * i)) & 0xf];
		t[8 + i] = hex[(lo >> (28 - 4 * i)) & 0xf];
	}
	t[16] = '\0';
	memcpy(buf, t, size < sizeof t ? size - 1 : sizeof t - 1);
	buf[size < sizeof t ? size - 1 : sizeof t - 1] = '\0';
}

void aaa_acct_session_id(struct l2tpd *d, char *buf, size_t size)
{
	if (d->aaa.boot_id == 0)
		aaa_boot_id_draw(d);
	aaa_hex_id(buf, size, d->aaa.boot_id, ++d->aaa.next_id);
}

/* NAS-IP-Address: the source address, else the pair's virtual address
 * (the same on both boxes), else nas (the tunnel's local address). */
void aaa_put_nas_ident(struct radius_pkt *p, const struct l2tpd *d, struct in_addr nas)
{
	if (d->cfg.source_ip.s_addr)
		nas = d->cfg.source_ip;
	else if (d->cfg.red.configured && d->cfg.red.vip.s_addr)
		nas = d->cfg.red.vip;
	if (nas.s_addr)
		radius_put_addr(p, RADIUS_ATTR_NAS_IP_ADDRESS, nas);
	radius_put_str(p, RADIUS_ATTR_NAS_IDENTIFIER,
		       d->cfg.hostname[0] ? d->cfg.hostname : "l2tpd");
}

void aaa_put_nas(struct radius_pkt *p, const struct l2tp_session *s)
{
	aaa_put_nas_ident(p, s->t->d, s->t->local.sin_addr);
	radius_put_u32(p, RADIUS_ATTR_NAS_PORT, aaa_nas_port(s));
	radius_put_u32(p, RADIUS_ATTR_NAS_PORT_TYPE, AAA_PORT_VIRTUAL);
	radius_put_u32(p, RADIUS_ATTR_SERVICE_TYPE, AAA_SERVICE_FRAMED);
	radius_put_u32(p, RADIUS_ATTR_FRAMED_PROTOCOL, AAA_PROTO_PPP);
	if (s->calling[0])
		radius_put_str(p, RADIUS_ATTR_CALLING_STATION_ID, s->calling);
	if (s->called[0])
		radius_put_str(p, RADIUS_ATTR_CALLED_STATION_ID, s->called);
	radius_put_str(p, RADIUS_ATTR_ACCT_SESSION_ID, s->acct_session_id);
}

int aaa_attr_str(const struct radius_attr *at, char *buf, size_t size)
{
	if (at->len >= size || memchr(at->val, '\0', at->len) != NULL)
		return -EINVAL;
	memcpy(buf, at->val, at->len);
	buf[at->len] = '\0';
	return 0;
}

/* --- authentication: the verdict, the method list ------------------------- */

static void aaa_auth_free(struct aaa_auth *a)
{
	if (a->s != NULL && a->s->aaa_auth == a)
		a->s->aaa_auth = NULL;
	memset(&a->req, 0, sizeof(a->req));	/* credentials */
	free(a);
}

void aaa_auth_finish(struct aaa_auth *a, int ok, const char *msg,
		     const struct ppp_auth_reply *r)
{
	struct l2tp_session *s = a->s;

	aaa_auth_free(a);
	if (ok) {
		s->t->d->stats.ppp_auth_ok++;
	} else {
		s->t->d->stats.ppp_auth_failures++;
		l2tp_session_cause(s, L2TP_TC_USER_ERROR);
	}
	if (s->ppp != NULL)
		ppp_auth_done(s->ppp, ok, msg, r);
}

void aaa_auth_accept(struct aaa_auth *a, struct ppp_auth_reply *r, struct in_addr framed,
		     const char *pool, const char *how)
{
	struct l2tp_session *s = a->s;
	struct l2tpd *d = s->t->d;
	const struct config_vtemplate *vt = NULL;
	char user[sizeof(s->user)];
	struct in_addr addr;
	int rc;

	str_copy(user, sizeof(user), a->req.user);
	if (s->t->grp != NULL && s->t->grp->virtual_template)
		vt = config_vtemplate_find(&d->cfg, s->t->grp->virtual_template);
	if (pool == NULL || pool[0] == '\0')
		pool = vt != NULL ? vt->pool : "";
	/* Framed-IP-Address 255.255.255.254 (NAS chooses) or .255 (the
	 * user may choose; we do not let it): the pool. */
	if (framed.s_addr != 0 && framed.s_addr != htonl(0xfffffffe) &&
	    framed.s_addr != htonl(0xffffffff)) {
		if (s->pool[0] != '\0' && s->peer_ip.s_addr != 0)
			ippool_free(d->pools, s->pool, s->peer_ip);
		s->pool[0] = '\0';
		s->peer_ip = framed;
	} else if (pool[0] != '\0' && s->peer_ip.s_addr == 0) {
		rc = ippool_alloc(d->pools, pool, &addr);
		if (rc < 0) {
			d->stats.ppp_no_address++;
			session_log(s, LOG_WARNING, "user \"%s\" refused: pool %s %s", user, pool,
				    rc == -ENOSPC ? "exhausted" : "missing");
			aaa_auth_finish(a, 0, "No address available", NULL);
			return;
		}
		s->peer_ip = addr;
		str_copy(s->pool, sizeof(s->pool), pool);
	}
	r->peer_addr = s->peer_ip;
	str_copy(s->user, sizeof(s->user), user);
	/* At info, the link's "PPP up" line tells of the user once it is up. */
	if (log_debug_on(&d->log, LOG_DBG_EVENT)) {
		char ip[LOG_IPV4_LEN];

		session_debug(s, LOG_DBG_EVENT, "PPP user \"%s\" authenticated (%s)%s%s", user, how,
			    s->peer_ip.s_addr ? ", address " : "",
			    s->peer_ip.s_addr ? log_ipv4(s->peer_ip.s_addr, ip) : "");
	}
	aaa_auth_finish(a, 1, "Welcome", r);
}

static void aaa_auth_local(struct aaa_auth *a)
{
	struct l2tp_session *s = a->s;
	struct l2tpd *d = s->t->d;
	const struct config_user *u = config_user_find(&d->cfg, a->req.user);
	struct ppp_auth_reply r;
	int rc;

	memset(&r, 0, sizeof(r));
	rc = u ? ppp_auth_check_local(&a->req, u->password, &r) : -ENOENT;
	if (rc < 0) {
		d->aaa.stats.auth_local_fail++;
		session_log(s, LOG_NOTICE, "PPP authentication of \"%s\" failed: %s", a->req.user,
			    u ? "wrong password" : "no such user");
		aaa_auth_finish(a, 0, "Authentication failed", NULL);
		return;
	}
	d->aaa.stats.auth_local_ok++;
	s->acct_authentic = 2;
	aaa_auth_accept(a, &r, (struct in_addr){ 0 }, NULL, "local");
}

void aaa_auth_next(struct aaa_auth *a)
{
	struct l2tp_session *s = a->s;
	struct l2tpd *d = s->t->d;
	unsigned n;
	const enum config_aaa_method *list = aaa_authen_methods(d, &n);
	struct radius_pkt p;
	int rc;

	while (a->next < n) {
		enum config_aaa_method mth = list[a->next++];

		if (mth == CONFIG_AAA_LOCAL) {
			if (a->next > 1)
				session_log(s, LOG_NOTICE, "user \"%s\": RADIUS gave no answer, "
					    "checking the local users", a->req.user);
			aaa_auth_local(a);
			return;
		}
		if (mth != CONFIG_AAA_RADIUS)
			continue;
		if (!aaa_radius_configured(d, RADIUS_AUTH)) {
			d->aaa.stats.auth_fallback++;
			session_debug(s, LOG_DBG_RADIUS, "no RADIUS authentication server: next "
				      "method");
			continue;
		}
		rc = aaa_access_request(a, &p);
		if (rc == 0)
			rc = aaa_radius_send(d, RADIUS_AUTH, &p, aaa_auth_cb, a, &a->rreq);
		memset(&p, 0, sizeof(p));	/* the password */
		if (rc < 0) {
			d->aaa.stats.auth_fallback++;
			session_log(s, LOG_WARNING, "RADIUS: Access-Request for \"%s\" not sent: %s",
				    a->req.user, strerror(-rc));
			continue;
		}
		d->aaa.stats.auth_radius++;
		session_debug(s, LOG_DBG_RADIUS, "RADIUS: Access-Request for \"%s\" (%s)",
			      a->req.user, ppp_auth_method_string(a->req.method));
		return;
	}
	session_log(s, LOG_NOTICE, "PPP authentication of \"%s\" failed: no AAA method answered",
		    a->req.user);
	aaa_auth_finish(a, 0, "Authentication failed", NULL);
}

void aaa_auth_request(struct l2tp_session *s, const struct ppp_auth_req *req)
{
	struct aaa_auth *a;

	if (s->aaa_auth != NULL) {
		/* a new request replaces one still in flight */
		aaa_radius_cancel(s->t->d, s->aaa_auth->rreq);
		aaa_auth_free(s->aaa_auth);
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL) {
		s->t->d->stats.ppp_auth_failures++;
		ppp_auth_done(s->ppp, 0, "Out of resources", NULL);
		return;
	}
	a->s = s;
	a->req = *req;
	s->aaa_auth = a;
	aaa_auth_next(a);
}

/* --- the session ---------------------------------------------------------- */

void aaa_routes_add(struct l2tp_session *s)
{
	struct l2tpd *d = s->t->d;
	unsigned i;

	for (i = 0; i < s->n_framed_routes; i++) {
		int rc;

		if (s->framed_route_added[i])
			continue;
		rc = dp_route_add(d->dp, s->t->tid, s->sid, s->framed_route[i].s_addr,
				  s->framed_plen[i]);
		if (rc == 0)
			s->framed_route_added[i] = 1;
		else
			session_log(s, rc == -ENOTCONN ? LOG_INFO : LOG_WARNING,
				    "Framed-Route %s/%u not installed: %s", inet_ntoa(s->framed_route[i]),
				    s->framed_plen[i], rc == -ENOTCONN ? "no PPP interface (null data "
				    "path)" : strerror(-rc));
	}
}

static void aaa_routes_del(struct l2tp_session *s)
{
	unsigned i;

	for (i = 0; i < s->n_framed_routes; i++) {
		if (!s->framed_route_added[i])
			continue;
		dp_route_del(s->t->d->dp, s->t->tid, s->sid, s->framed_route[i].s_addr,
			     s->framed_plen[i]);
		s->framed_route_added[i] = 0;
	}
}

void aaa_session_up(struct l2tp_session *s)
{
	if (s->acct_timer.cb == NULL)
		aaa_session_init(s);
	aaa_acct_timer_init(s);
	aaa_routes_add(s);
	aaa_acct_start(s);
}

void aaa_session_end(struct l2tp_session *s)
{
	struct l2tpd *d = s->t->d;

	if (s->acct_timer.cb == NULL && s->aaa_auth == NULL)
		return;		/* AAA never ran for it */
	if (s->aaa_auth != NULL) {
		aaa_radius_cancel(d, s->aaa_auth->rreq);
		s->aaa_auth->rreq = NULL;
		aaa_auth_free(s->aaa_auth);
	}
	clock_timer_stop(&d->clk, &s->acct_timer);
	aaa_routes_del(s);
	aaa_acct_stop(s);
}
