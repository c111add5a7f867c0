/*
 * LAC: placing calls (see l2tp/dial.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "l2tpd.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "l2tp/call_info.h"
#include "l2tp/dial.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

void l2tp_dial_set_chooser(struct l2tpd *d, const struct l2tp_dial_ops *ops, void *arg)
{
	d->dial_ops = ops;
	d->dial_arg = arg;
}

int l2tp_dial(struct l2tpd *d, struct vpdn_group *g, unsigned sessions, unsigned per_tunnel,
	      char *err, size_t errsz)
{
	return l2tp_dial_ppp(d, g, sessions, per_tunnel, NULL, NULL, err, errsz);
}

int l2tp_dial_ppp(struct l2tpd *d, struct vpdn_group *g, unsigned sessions,
		  unsigned per_tunnel, const char *user, const char *password,
		  char *err, size_t errsz)
{
	return l2tp_dial_proxy(d, g, sessions, per_tunnel, user, password, L2TP_DIAL_PROXY_NONE,
			       err, errsz);
}

/* One call on t: with the test subscriber's proxy when asked. */
static struct l2tp_session *dial_one(struct l2tp_tunnel *t, const char *user,
				     const char *password, enum l2tp_dial_proxy proxy, int *rc)
{
	struct l2tp_call_info *ci;
	struct l2tp_session *s;

	if (proxy == L2TP_DIAL_PROXY_NONE || user == NULL)
		return l2tp_session_dial(t, rc);
	ci = calloc(1, sizeof(*ci));
	if (ci == NULL) {
		*rc = -ENOMEM;
		return NULL;
	}
	*rc = l2tp_ppp_proxy_play(ci, user, password ? password : "",
				  proxy == L2TP_DIAL_PROXY_CHAP);
	s = *rc < 0 ? NULL : l2tp_session_dial_call(t, ci, rc);
	free(ci);
	return s;
}

/* Whether calls may be placed on g now: 0, or -errno with err. */
static int dial_check(struct l2tpd *d, const struct vpdn_group *g, char *err, size_t errsz)
{
	if (g->dialin != VPDN_REQUEST_DIALIN) {
		snprintf(err, errsz, "vpdn-group %s is not a request-dialin group", g->name);
		return -EINVAL;
	}
	if (g->initiate_to.s_addr == 0) {
		snprintf(err, errsz, "vpdn-group %s has no initiate-to address", g->name);
		return -EINVAL;
	}
	if (d->shutting_down || d->cfg.softshut) {
		snprintf(err, errsz, d->shutting_down ? "shutting down" :
			 "vpdn softshut: no new tunnels or sessions");
		return -ESHUTDOWN;
	}
	return 0;
}

/*
 * The tunnel the next call of a dial goes on: t while it can take one more
 * (it lives, is ours as LAC on group g, is not closing, and has had fewer
 * than per_tunnel calls of this dial), else a new one, *on_tunnel back to
 * 0.  NULL with *rc when none can be opened.  t may be dead (not yet
 * reaped): a dial on a tunnel that ended goes on on a new one.
 */
static struct l2tp_tunnel *dial_tunnel(struct l2tpd *d, struct vpdn_group *g,
				       struct l2tp_tunnel *t, unsigned per_tunnel,
				       unsigned *on_tunnel, int *rc)
{
	if (t != NULL && !t->dead && !t->lns && t->grp == g &&
	    t->state != L2TP_TUNNEL_CLOSING && (per_tunnel == 0 || *on_tunnel < per_tunnel))
		return t;
	t = l2tp_tunnel_open(d, g, rc);
	if (t != NULL)
		*on_tunnel = 0;
	return t;
}

int l2tp_dial_proxy(struct l2tpd *d, struct vpdn_group *g, unsigned sessions,
		    unsigned per_tunnel, const char *user, const char *password,
		    enum l2tp_dial_proxy proxy, char *err, size_t errsz)
{
	struct l2tp_session *s;
	struct l2tp_tunnel *t = NULL;
	unsigned placed = 0, on_tunnel = 0;
	int rc = dial_check(d, g, err, errsz);

	if (rc < 0)
		return rc;
	while (placed < sessions) {
		t = dial_tunnel(d, g, t, per_tunnel, &on_tunnel, &rc);
		if (t == NULL)
			break;
		s = dial_one(t, user, password, proxy, &rc);
		if (s == NULL)
			break;
		if (user != NULL) {
			snprintf(s->user, sizeof(s->user), "%s", user);
			l2tp_session_set_password(s, password);
		}
		placed++;
		on_tunnel++;
	}
	if (placed < sessions) {
		snprintf(err, errsz, "placed %u of %u sessions: %s", placed, sessions, strerror(-rc));
		return placed > 0 ? (int)placed : rc;
	}
	return (int)placed;
}

int l2tp_dial_user(struct l2tpd *d, struct vpdn_group *g, unsigned sessions,
		   unsigned per_tunnel, const char *user, const char *password,
		   char *err, size_t errsz)
{
	if (d->shutting_down) {
		snprintf(err, errsz, "shutting down");
		return -ESHUTDOWN;
	}
	if (g != NULL && g->dialin != VPDN_REQUEST_DIALIN) {
		snprintf(err, errsz, "vpdn-group %s is not a request-dialin group", g->name);
		return -EINVAL;
	}
	/* RADIUS, or the group (the user's domain's when g is NULL) */
	if (d->dial_ops != NULL)
		return d->dial_ops->dial_user(d->dial_arg, g, sessions, per_tunnel, user, password,
					      err, errsz);
	if (g == NULL) {
		snprintf(err, errsz, "no vpdn-group for \"%s\"", user);
		return -ENOENT;
	}
	return l2tp_dial_ppp(d, g, sessions, per_tunnel, user, password, err, errsz);
}

int l2tp_dial_on(struct l2tpd *d, struct l2tp_tunnel *t, unsigned sessions, char *err,
		 size_t errsz)
{
	unsigned placed = 0;
	int rc = 0;

	if (t->lns) {
		snprintf(err, errsz, "tunnel %u is an LNS tunnel", t->tid);
		return -EINVAL;
	}
	if (d->cfg.softshut) {
		snprintf(err, errsz, "vpdn softshut: no new sessions");
		return -ESHUTDOWN;
	}
	while (placed < sessions && l2tp_session_dial(t, &rc) != NULL)
		placed++;
	if (placed < sessions) {
		snprintf(err, errsz, "placed %u of %u sessions: %s", placed, sessions, strerror(-rc));
		return placed > 0 ? (int)placed : rc;
	}
	return (int)placed;
}

/* The paced dial: the group by name (a reload may free or replace it), the
 * tunnel by ID (it may end between two calls). */
struct l2tp_dial_paced {
	struct l2tpd *d;
	struct l2tp_timer timer;
	char group[CONFIG_NAME_MAX];
	unsigned sessions, per_tunnel, interval_ms;
	unsigned placed, on_tunnel;
	uint16_t tid;		/* the tunnel the next call may share, 0 if none */
};

static void paced_free(struct l2tpd *d)
{
	struct l2tp_dial_paced *p = d->dial_paced;

	clock_timer_stop(&d->clk, &p->timer);
	d->dial_paced = NULL;
	free(p);
}

/* One call of the paced dial: on the current tunnel while it has room and
 * lives, else on a new one (dial_tunnel).  The tunnel it shared ending is
 * logged: the calls placed on it went with it. */
static int paced_place(struct l2tpd *d, struct l2tp_dial_paced *p, struct vpdn_group *g)
{
	struct l2tp_tunnel *old = p->tid != 0 ? l2tp_tunnel_find(d, p->tid) : NULL, *t;
	int rc = 0;

	if (d->shutting_down || d->cfg.softshut)
		return -ESHUTDOWN;
	if (p->tid != 0 && (old == NULL || old->state == L2TP_TUNNEL_CLOSING))
		log_msg(&d->log, LOG_INFO, "test dial on vpdn-group %s: tunnel %u ended after "
			"%u of its calls; the next calls go on a new tunnel", p->group, p->tid,
			p->on_tunnel);
	t = dial_tunnel(d, g, old, p->per_tunnel, &p->on_tunnel, &rc);
	if (t == NULL)
		return rc;
	p->tid = t->tid;
	if (l2tp_session_dial(t, &rc) == NULL)
		return rc;
	p->placed++;
	p->on_tunnel++;
	return 0;
}

static void paced_cb(struct l2tp_timer *tm, void *arg)
{
	struct l2tp_dial_paced *p = arg;
	struct l2tpd *d = p->d;
	struct vpdn_group *g = config_group_find(&d->cfg, p->group);
	uint64_t due = tm->deadline + p->interval_ms, now;
	char why[96];
	int rc;

	if (g == NULL || g->dialin != VPDN_REQUEST_DIALIN) {
		l2tp_dial_paced_stop(d, "its vpdn-group is gone");
		return;
	}
	rc = paced_place(d, p, g);
	if (rc == -ESHUTDOWN && !d->shutting_down) {
		l2tp_dial_paced_stop(d, "vpdn softshut: no new calls");
		return;
	}
	if (rc < 0) {
		snprintf(why, sizeof why, "a call failed: %s", strerror(-rc));
		l2tp_dial_paced_stop(d, why);
		return;
	}
	if (p->placed >= p->sessions) {
		log_msg(&d->log, LOG_INFO, "test dial on vpdn-group %s: placed %u sessions, one "
			"every %u ms", p->group, p->placed, p->interval_ms);
		paced_free(d);
		return;
	}
	/* from this call's deadline, not from now: a late turn does not
	 * push the later calls back */
	now = clock_now(&d->clk);
	if (clock_timer_start(&d->clk, tm, due > now ? due - now : 0) < 0)
		l2tp_dial_paced_stop(d, "out of memory for its timer");
}

int l2tp_dial_paced(struct l2tpd *d, struct vpdn_group *g, unsigned sessions,
		    unsigned per_tunnel, unsigned interval_ms, char *err, size_t errsz)
{
	struct l2tp_dial_paced *p;
	int rc;

	if (d->dial_paced != NULL) {
		p = d->dial_paced;
		snprintf(err, errsz, "a paced dial is running on vpdn-group %s (%u of %u "
			 "sessions placed, one every %u ms); wait for it to end", p->group,
			 p->placed, p->sessions, p->interval_ms);
		return -EBUSY;
	}
	rc = dial_check(d, g, err, errsz);
	if (rc < 0)
		return rc;
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	p->d = d;
	snprintf(p->group, sizeof p->group, "%s", g->name);
	p->sessions = sessions;
	p->per_tunnel = per_tunnel;
	p->interval_ms = interval_ms;
	clock_timer_init(&p->timer, paced_cb, p);
	rc = paced_place(d, p, g);
	if (rc < 0) {
		snprintf(err, errsz, "placed 0 of %u sessions: %s", sessions, strerror(-rc));
		free(p);
		return rc;
	}
	if (p->placed >= sessions) {
		free(p);
		return 1;
	}
	d->dial_paced = p;
	rc = clock_timer_start(&d->clk, &p->timer, interval_ms);
	if (rc < 0) {
		/* the call placed stays (the log and err say so); the dial goes */
		l2tp_dial_paced_stop(d, "out of memory for its timer");
		snprintf(err, errsz, "placed 1 of %u sessions, then stopped: out of memory "
			 "for the dial's timer", sessions);
		return rc;
	}
	return 1;
}

void l2tp_dial_paced_check(struct l2tpd *d)
{
	struct vpdn_group *g;

	if (d->dial_paced == NULL)
		return;
	g = config_group_find(&d->cfg, d->dial_paced->group);
	if (g == NULL || g->dialin != VPDN_REQUEST_DIALIN)
		l2tp_dial_paced_stop(d, "its vpdn-group was removed from the configuration");
}

void l2tp_dial_paced_stop(struct l2tpd *d, const char *why)
{
	struct l2tp_dial_paced *p = d->dial_paced;

	if (p == NULL)
		return;
	log_msg(&d->log, LOG_NOTICE, "test dial on vpdn-group %s stopped after %u of %u "
		"sessions: %s", p->group, p->placed, p->sessions, why);
	paced_free(d);
}
