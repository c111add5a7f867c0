/*
 * LAC: placing calls (see l2tp/dial.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "l2tpd.h"
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

int l2tp_dial_proxy(struct l2tpd *d, struct vpdn_group *g, unsigned sessions,
		    unsigned per_tunnel, const char *user, const char *password,
		    enum l2tp_dial_proxy proxy, char *err, size_t errsz)
{
	struct l2tp_session *s;
	struct l2tp_tunnel *t = NULL;
	unsigned placed = 0, on_tunnel = 0;
	int rc = 0;

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
	while (placed < sessions) {
		if (t == NULL || (per_tunnel > 0 && on_tunnel >= per_tunnel)) {
			t = l2tp_tunnel_open(d, g, &rc);
			if (t == NULL)
				break;
			on_tunnel = 0;
		}
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
