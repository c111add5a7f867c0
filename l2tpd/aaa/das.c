/*
 * Dynamic Authorization (RFC 5176) as AAA acts on it: aaa/radius_das.c
 * receives and verifies the Disconnect- and CoA-Requests, and asks here
 * which sessions they name (§3 session identification) and what to do:
 * clear them, or change their Session-Timeout, Idle-Timeout or Filter-Id.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2tpd.h"
#include "aaa/aaa_int.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "aaa/radius.h"

#define AAA_DAS_MAX_MATCH	1024

/* The attributes that name sessions (§3: session identification). */
struct aaa_das_id {
	const struct radius_attr *acct_id, *user, *framed_ip, *nas_port, *calling;
	int any;
};

static int aaa_das_attr_ok_id(const struct radius_attr *at, struct aaa_das_id *id)
{
	switch (at->type) {
	case RADIUS_ATTR_ACCT_SESSION_ID: id->acct_id = at; id->any = 1; return 1;
	case RADIUS_ATTR_USER_NAME: id->user = at; id->any = 1; return 1;
	case RADIUS_ATTR_FRAMED_IP_ADDRESS: id->framed_ip = at; id->any = 1; return 1;
	case RADIUS_ATTR_NAS_PORT: id->nas_port = at; id->any = 1; return 1;
	case RADIUS_ATTR_CALLING_STATION_ID: id->calling = at; id->any = 1; return 1;
	/* NAS identification and request bookkeeping: accepted, not matched */
	case RADIUS_ATTR_NAS_IP_ADDRESS:
	case RADIUS_ATTR_NAS_IDENTIFIER:
	case RADIUS_ATTR_EVENT_TIMESTAMP:
	case RADIUS_ATTR_MESSAGE_AUTHENTICATOR:	/* checked by the DAS */
	case RADIUS_ATTR_STATE:
	case RADIUS_ATTR_REPLY_MESSAGE:
		return 1;
	default:
		return 0;
	}
}

static int aaa_das_str_eq(const struct radius_attr *at, const char *s)
{
	return strlen(s) == at->len && memcmp(s, at->val, at->len) == 0;
}

static int aaa_das_match(const struct l2tp_session *s, const struct aaa_das_id *id)
{
	uint32_t v;

	if (!s->lns || s->ppp_link == NULL || s->state != L2TP_SESSION_ESTABLISHED)
		return 0;
	if (id->acct_id && !aaa_das_str_eq(id->acct_id, s->acct_session_id))
		return 0;
	if (id->user && !aaa_das_str_eq(id->user, s->user))
		return 0;
	if (id->calling && !aaa_das_str_eq(id->calling, s->calling))
		return 0;
	if (id->framed_ip && (id->framed_ip->len != 4 ||
			      memcmp(id->framed_ip->val, &s->peer_ip.s_addr, 4) != 0))
		return 0;
	if (id->nas_port && (radius_get_u32(id->nas_port, &v) < 0 || v != aaa_nas_port(s)))
		return 0;
	return 1;
}

/* The sessions a request names; -errno with the Error-Cause set. */
static int aaa_das_find(struct l2tpd *d, const struct aaa_das_id *id,
			struct l2tp_session **out, size_t max, size_t *n, uint32_t *error_cause)
{
	struct l2tp_tunnel *t;
	struct l2tp_session *s;

	*n = 0;
	if (!id->any) {
		*error_cause = RADIUS_ERR_MISSING_ATTRIBUTE;
		return -EINVAL;
	}
	LIST_FOREACH(t, &d->tunnels, link) {
		if (t->dead)
			continue;
		LIST_FOREACH(s, &t->session_list, link)
			if (aaa_das_match(s, id) && *n < max)
				out[(*n)++] = s;
	}
	if (*n == 0) {
		*error_cause = RADIUS_ERR_SESSION_NOT_FOUND;
		return -ENOENT;
	}
	return 0;
}

/* NAK for an attribute the request may not carry (what: the request). */
static int aaa_das_unsupported(struct l2tpd *d, const char *what, const struct radius_attr *at,
			       uint32_t *error_cause)
{
	d->aaa.stats.das_nak++;
	*error_cause = RADIUS_ERR_UNSUPPORTED_ATTRIBUTE;
	log_msg(&d->log, LOG_NOTICE, "RADIUS: %s with attribute %u: NAK (unsupported attribute)",
		what, at->type);
	return -EOPNOTSUPP;
}

/*
 * The sessions a request (what) names, in a new array *found of *n; or
 * -errno with the Error-Cause set, the NAK counted and logged, *found
 * NULL.
 */
static int aaa_das_lookup(struct l2tpd *d, const char *what, const struct aaa_das_id *id,
			  struct l2tp_session ***found, size_t *n, uint32_t *error_cause)
{
	int rc;

	*found = calloc(AAA_DAS_MAX_MATCH, sizeof(**found));
	if (*found == NULL) {
		*error_cause = RADIUS_ERR_RESOURCES_UNAVAILABLE;
		return -ENOMEM;
	}
	rc = aaa_das_find(d, id, *found, AAA_DAS_MAX_MATCH, n, error_cause);
	if (rc < 0) {
		d->aaa.stats.das_nak++;
		log_msg(&d->log, LOG_NOTICE, "RADIUS: %s: NAK (%s)", what,
			*error_cause == RADIUS_ERR_SESSION_NOT_FOUND ? "no such session" :
			"no session identification");
		free(*found);
		*found = NULL;
	}
	return rc;
}

int aaa_das_disconnect(struct l2tpd *d, const struct radius_msg *m, uint32_t *error_cause)
{
	struct l2tp_session **found;
	struct aaa_das_id id;
	size_t i, n;
	int rc;

	memset(&id, 0, sizeof(id));
	for (i = 0; i < m->n; i++)
		if (!aaa_das_attr_ok_id(&m->a[i], &id))
			return aaa_das_unsupported(d, "Disconnect-Request", &m->a[i], error_cause);
	rc = aaa_das_lookup(d, "Disconnect-Request", &id, &found, &n, error_cause);
	if (rc < 0)
		return rc;
	/* Every match goes (IOS clears all the sessions of the user). */
	for (i = 0; i < n; i++) {
		d->aaa.stats.das_disconnect++;
		session_log(found[i], LOG_NOTICE, "user \"%s\" disconnected by RADIUS "
			    "(Disconnect-Request)", found[i]->user);
		l2tp_session_cause(found[i], L2TP_TC_ADMIN_RESET);
		l2tp_session_clear(found[i], L2TP_CDN_ADMIN, -1, "RADIUS Disconnect-Request");
	}
	free(found);
	return 0;
}

int aaa_das_coa(struct l2tpd *d, const struct radius_msg *m, uint32_t *error_cause)
{
	const struct radius_attr *st = NULL, *it = NULL, *fi = NULL;
	struct l2tp_session **found;
	struct aaa_das_id id;
	char filter[64] = "";
	uint32_t st_v = 0, it_v = 0;
	size_t i, n;
	int rc;

	memset(&id, 0, sizeof(id));
	for (i = 0; i < m->n; i++) {
		const struct radius_attr *at = &m->a[i];

		if (at->type == RADIUS_ATTR_SESSION_TIMEOUT)
			st = at;
		else if (at->type == RADIUS_ATTR_IDLE_TIMEOUT)
			it = at;
		else if (at->type == RADIUS_ATTR_FILTER_ID)
			fi = at;
		else if (!aaa_das_attr_ok_id(at, &id))
			return aaa_das_unsupported(d, "CoA-Request", at, error_cause);
	}
	if ((st && (radius_get_u32(st, &st_v) < 0 || st_v > 4294967)) ||
	    (it && (radius_get_u32(it, &it_v) < 0 || it_v > 4294967)) ||
	    (fi && aaa_attr_str(fi, filter, sizeof(filter)) < 0)) {
		d->aaa.stats.das_nak++;
		*error_cause = RADIUS_ERR_INVALID_ATTRIBUTE_VALUE;
		log_msg(&d->log, LOG_NOTICE, "RADIUS: CoA-Request with a value out of range: NAK");
		return -ERANGE;
	}
	if (!st && !it && !fi) {
		d->aaa.stats.das_nak++;
		*error_cause = RADIUS_ERR_MISSING_ATTRIBUTE;
		log_msg(&d->log, LOG_NOTICE, "RADIUS: CoA-Request changes nothing we support: NAK");
		return -EINVAL;
	}
	rc = aaa_das_lookup(d, "CoA-Request", &id, &found, &n, error_cause);
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++) {
		struct l2tp_session *s = found[i];
		uint64_t now = clock_now(&d->clk);

		d->aaa.stats.das_coa++;
		if (st) {
			/* a new absolute limit from now; 0 removes it */
			s->session_timeout = st_v ? (unsigned)((now - s->established_ms) / 1000) +
				st_v : 0;
			session_log(s, LOG_INFO, "CoA: Session-Timeout %u s from now", st_v);
		}
		if (it) {
			s->idle_timeout = it_v;
			session_log(s, LOG_INFO, "CoA: Idle-Timeout %u s", it_v);
		}
		if (fi) {
			/* Stored and shown; no data-path filter exists to apply it. */
			struct l2tp_session_rare *r = l2tp_session_rare(s);

			if (r != NULL)
				snprintf(r->filter_id, sizeof(r->filter_id), "%s", filter);
			session_log(s, LOG_INFO, "CoA: Filter-Id \"%s\" recorded (no filter is "
				    "applied by the data path)", filter);
		}
		l2tp_ppp_timeouts_changed(s);
		l2tp_session_changed(s);
	}
	free(found);
	return 0;
}
