/*
 * LAC tunnel authorization from RADIUS (see aaa_tunnel.h): the
 * Access-Request for a user's domain, the RFC 2868 tunnel attributes of
 * the answer, and the dial that follows them, from the most preferred LNS
 * to the next while tunnels fail.
 *
 * A dial (struct aaa_tunnel_dial) lives from the request until its calls
 * are on an established tunnel, or every set failed:
 *
 *   RADIUS --no answer--> the group's initiate-to (l2tp_dial_ppp), done
 *          --Reject-----> done (no calls)
 *          --Accept-----> try set 0 --tunnel up--> done
 *                                   --tunnel fails (timer, 0 ms)--> try set 1 ...
 *                                   --no set left--> done (no calls)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "l2tpd.h"
#include "aaa/aaa_int.h"
#include "aaa/tunnel.h"
#include "l2tp/dial.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "aaa/radius.h"
#include "aaa/radius_client.h"

struct aaa_tunnel_dial {
	LIST_ENTRY(aaa_tunnel_dial) link;	/* d->aaa.dials */
	struct l2tpd *d;
	char group[CONFIG_NAME_MAX];		/* its vpdn-group, "" = none */
	char user[64], password[128];		/* as l2tp_session's */
	char domain[64];
	unsigned sessions, per_tunnel;
	struct radius_req *rreq;		/* the Access-Request in flight */
	struct aaa_tunnel_set sets[AAA_TUNNEL_SETS_MAX];
	size_t n_sets, next;			/* next: the set to try next */
	struct l2tp_tunnel *t;			/* the tunnel it waits for */
	struct l2tp_timer timer;		/* the next set, from the event loop */
};

#define dial_log(j, prio, fmt, ...) \
	log_msg(&(j)->d->log, prio, "RADIUS: domain %s: " fmt, (j)->domain, ##__VA_ARGS__)

/* --- the domain and its group ------------------------------------------------ */

const char *aaa_tunnel_domain(const char *user)
{
	const char *at = user != NULL ? strrchr(user, '@') : NULL;

	return at != NULL && at[1] != '\0' ? at + 1 : NULL;
}

struct vpdn_group *aaa_tunnel_group(struct l2tpd *d, const char *user)
{
	const char *dom = aaa_tunnel_domain(user);
	struct vpdn_group *g;

	if (dom == NULL)
		return NULL;
	TAILQ_FOREACH(g, &d->cfg.groups, link)
		if (!g->removed && g->dialin == VPDN_REQUEST_DIALIN &&
		    strcasecmp(g->domain, dom) == 0)
			return g;
	return NULL;
}

int aaa_tunnel_wanted(const struct l2tpd *d, const char *user)
{
	return d->cfg.aaa.authz_network && aaa_tunnel_domain(user) != NULL &&
	       aaa_radius_configured(d, RADIUS_AUTH);
}

/* --- RFC 2868 attributes ------------------------------------------------------ */

enum {
	TS_TYPE = 1 << 0, TS_MEDIUM = 1 << 1, TS_SERVER = 1 << 2, TS_PASSWORD = 1 << 3,
	TS_ASSIGN = 1 << 4, TS_PREF = 1 << 5, TS_CLIENT = 1 << 6,
};

/* A set being read: seen is the TS_* bits; refused once anything is wrong. */
struct ts_work {
	struct aaa_tunnel_set s;
	unsigned seen, order;
	int refused;
	uint32_t type, medium;
	char server[64];
};

static const char *ts_name(uint8_t type)
{
	switch (type) {
	case RADIUS_ATTR_TUNNEL_TYPE: return "Tunnel-Type";
	case RADIUS_ATTR_TUNNEL_MEDIUM_TYPE: return "Tunnel-Medium-Type";
	case RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT: return "Tunnel-Server-Endpoint";
	case RADIUS_ATTR_TUNNEL_PASSWORD: return "Tunnel-Password";
	case RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID: return "Tunnel-Assignment-Id";
	case RADIUS_ATTR_TUNNEL_PREFERENCE: return "Tunnel-Preference";
	case RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID: return "Tunnel-Client-Auth-Id";
	default: return "?";
	}
}

static unsigned ts_bit(uint8_t type)
{
	switch (type) {
	case RADIUS_ATTR_TUNNEL_TYPE: return TS_TYPE;
	case RADIUS_ATTR_TUNNEL_MEDIUM_TYPE: return TS_MEDIUM;
	case RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT: return TS_SERVER;
	case RADIUS_ATTR_TUNNEL_PASSWORD: return TS_PASSWORD;
	case RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID: return TS_ASSIGN;
	case RADIUS_ATTR_TUNNEL_PREFERENCE: return TS_PREF;
	case RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID: return TS_CLIENT;
	default: return 0;
	}
}

static void ts_refuse(struct l2tpd *d, const char *what, struct ts_work *w, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void ts_refuse(struct l2tpd *d, const char *what, struct ts_work *w, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (w->refused)
		return;		/* one line and one count per set */
	w->refused = 1;
	d->aaa.stats.tunnel_refused++;
	log_msg(&d->log, LOG_WARNING, "RADIUS: %s: tunnel tag %u refused: %s", what, w->s.tag, why);
}

/*
 * One tunnel attribute into its set (§3).  Integer attributes (Type,
 * Medium-Type, Preference) are a Tag octet, 0x00..0x1F, and a 24-bit value;
 * Tunnel-Password always begins with its Tag; for the string attributes a
 * first octet above 0x1F is the string's own (no tag: set 0).
 */
static void ts_read(struct l2tpd *d, const char *what, struct ts_work *work, unsigned *order,
		    const struct radius_attr *at, const uint8_t *req_auth, const char *secret)
{
	const char *name = ts_name(at->type);
	unsigned bit = ts_bit(at->type);
	const uint8_t *val = at->val;
	size_t len = at->len;
	struct ts_work *w;
	uint8_t tag = 0;
	uint32_t v = 0;
	int rc;

	if (at->type == RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT ||
	    at->type == RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID ||
	    at->type == RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID) {
		if (len > 0 && val[0] <= AAA_TUNNEL_TAG_MAX) {
			tag = val[0];
			val++;
			len--;
		}
	} else {
		if (len == 0 || val[0] > AAA_TUNNEL_TAG_MAX) {
			/* no set to charge it to: counted on its own */
			d->aaa.stats.tunnel_refused++;
			log_msg(&d->log, LOG_WARNING, "RADIUS: %s: %s refused: %s", what, name,
				len == 0 ? "empty" : at->type == RADIUS_ATTR_TUNNEL_PASSWORD ?
				"tag above 0x1F" : "tag above 0x1F (or a value beyond 24 bits)");
			return;
		}
		tag = val[0];
	}
	w = &work[tag];
	w->s.tag = tag;
	if (w->seen == 0)
		w->order = (*order)++;
	if (w->seen & bit) {
		ts_refuse(d, what, w, "%s given twice", name);
		return;
	}
	w->seen |= bit;
	switch (at->type) {
	case RADIUS_ATTR_TUNNEL_TYPE:
	case RADIUS_ATTR_TUNNEL_MEDIUM_TYPE:
	case RADIUS_ATTR_TUNNEL_PREFERENCE:
		if (len != 4) {
			ts_refuse(d, what, w, "%s of %zu octets (a tag and 24 bits)", name, len);
			return;
		}
		v = (uint32_t)val[1] << 16 | (uint32_t)val[2] << 8 | val[3];
		if (at->type == RADIUS_ATTR_TUNNEL_TYPE)
			w->type = v;
		else if (at->type == RADIUS_ATTR_TUNNEL_MEDIUM_TYPE)
			w->medium = v;
		else
			w->s.preference = v;
		return;
	case RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT:
		if (len == 0 || len >= sizeof(w->server) || memchr(val, '\0', len) != NULL) {
			ts_refuse(d, what, w, "Tunnel-Server-Endpoint %s", len == 0 ? "empty" :
				  "not an address");
			return;
		}
		memcpy(w->server, val, len);
		w->server[len] = '\0';
		return;
	case RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID:
		if (len >= sizeof(w->s.assignment_id) || memchr(val, '\0', len) != NULL) {
			ts_refuse(d, what, w, "Tunnel-Assignment-Id of %zu octets (at most %zu, "
				  "text)", len, sizeof(w->s.assignment_id) - 1);
			return;
		}
		memcpy(w->s.assignment_id, val, len);
		w->s.assignment_id[len] = '\0';
		return;
	case RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID:
		if (len == 0 || len >= sizeof(w->s.client_auth_id) ||
		    memchr(val, '\0', len) != NULL) {
			ts_refuse(d, what, w, "Tunnel-Client-Auth-Id of %zu octets (1 to %zu, text)",
				  len, sizeof(w->s.client_auth_id) - 1);
			return;
		}
		memcpy(w->s.client_auth_id, val, len);
		w->s.client_auth_id[len] = '\0';
		return;
	case RADIUS_ATTR_TUNNEL_PASSWORD:
		if (secret == NULL) {
			ts_refuse(d, what, w, "Tunnel-Password and no secret to decrypt it");
			return;
		}
		rc = radius_tunnel_password(at, secret, req_auth, w->s.secret, sizeof(w->s.secret));
		if (rc < 0 || w->s.secret[0] == '\0') {
			memset(w->s.secret, 0, sizeof(w->s.secret));
			ts_refuse(d, what, w, "Tunnel-Password %s", rc == -ENOSPC ? "longer than "
				  "127 characters" : rc < 0 ? "malformed" : "empty");
		}
		return;
	default:
		return;
	}
}

int aaa_tunnel_attr(const struct radius_attr *at)
{
	return ts_bit(at->type) != 0 && at->vendor == 0;
}

/* A complete set, or refused. */
static void ts_check(struct l2tpd *d, const char *what, struct ts_work *w)
{
	struct in_addr a;
	uint32_t h;

	if (w->refused)
		return;
	if (!(w->seen & TS_TYPE) || w->type != AAA_TUNNEL_TYPE_L2TP) {
		ts_refuse(d, what, w, "Tunnel-Type %s (L2TP, 3, is needed)",
			  (w->seen & TS_TYPE) ? "not L2TP" : "missing");
		return;
	}
	if (!(w->seen & TS_MEDIUM) || w->medium != AAA_TUNNEL_MEDIUM_IPV4) {
		ts_refuse(d, what, w, "Tunnel-Medium-Type %s (IPv4, 1, is needed)",
			  (w->seen & TS_MEDIUM) ? "not IPv4" : "missing");
		return;
	}
	if (!(w->seen & TS_SERVER)) {
		ts_refuse(d, what, w, "no Tunnel-Server-Endpoint");
		return;
	}
	/* inet_pton takes the dotted quad only (no "10.1", no names) */
	if (inet_pton(AF_INET, w->server, &a) != 1) {
		ts_refuse(d, what, w, "Tunnel-Server-Endpoint \"%s\" is not an address A.B.C.D",
			  w->server);
		return;
	}
	h = ntohl(a.s_addr);
	if (h == 0 || h == 0xffffffffu || (h >> 28) == 0xe || (h >> 24) == 127) {
		ts_refuse(d, what, w, "Tunnel-Server-Endpoint %s is not a unicast address",
			  w->server);
		return;
	}
	w->s.server = a;
	if (!(w->seen & TS_PREF))
		w->s.preference = AAA_TUNNEL_PREF_NONE;
}

size_t aaa_tunnel_parse(struct l2tpd *d, const struct radius_msg *m,
			const uint8_t req_auth[16], const char *secret, const char *what,
			struct aaa_tunnel_set *sets, size_t max)
{
	struct ts_work *work, *w, *ord[AAA_TUNNEL_SETS_MAX];
	unsigned order = 0, i, k, n = 0;
	size_t out = 0;

	work = calloc(AAA_TUNNEL_SETS_MAX, sizeof(*work));
	if (work == NULL)
		return 0;
	for (i = 0; i < m->n; i++)
		if (aaa_tunnel_attr(&m->a[i]))
			ts_read(d, what, work, &order, &m->a[i], req_auth, secret);
	/* the sets in order of first appearance, then sorted by preference
	 * (insertion sort: stable) */
	for (i = 0; i < AAA_TUNNEL_SETS_MAX; i++) {
		w = &work[i];
		if (w->seen == 0)
			continue;
		ts_check(d, what, w);
		if (w->refused)
			continue;
		for (k = n; k > 0 && ord[k - 1]->order > w->order; k--)
			ord[k] = ord[k - 1];
		ord[k] = w;
		n++;
	}
	for (i = 1; i < n; i++) {
		w = ord[i];
		for (k = i; k > 0 && ord[k - 1]->s.preference > w->s.preference; k--)
			ord[k] = ord[k - 1];
		ord[k] = w;
	}
	for (i = 0; i < n && out < max; i++)
		sets[out++] = ord[i]->s;
	for (i = 0; i < AAA_TUNNEL_SETS_MAX; i++)
		memset(work[i].s.secret, 0, sizeof(work[i].s.secret));
	free(work);
	return out;
}

/* --- the dial ----------------------------------------------------------------- */

static void dial_free(struct aaa_tunnel_dial *j)
{
	struct l2tpd *d = j->d;

	aaa_radius_cancel(d, j->rreq);
	clock_timer_stop(&d->clk, &j->timer);
	LIST_REMOVE(j, link);
	memset(j, 0, sizeof(*j));	/* the passwords */
	free(j);
}

static struct vpdn_group *dial_group(const struct aaa_tunnel_dial *j)
{
	return j->group[0] ? config_group_find(&j->d->cfg, j->group) : NULL;
}

/* RADIUS chose nothing usable: the group's initiate-to, if it has one. */
static void dial_by_group(struct aaa_tunnel_dial *j, const char *why)
{
	struct vpdn_group *g = dial_group(j);
	char err[256] = "";
	int r;

	if (g == NULL || g->initiate_to.s_addr == 0) {
		dial_log(j, LOG_WARNING, "%s and no vpdn-group with an initiate-to: %u calls for "
			 "\"%s\" not placed", why, j->sessions, j->user);
		dial_free(j);
		return;
	}
	j->d->aaa.stats.tunnel_group++;
	dial_log(j, LOG_NOTICE, "%s: calls for \"%s\" go to vpdn-group %s's initiate-to %s", why,
		 j->user, g->name, inet_ntoa(g->initiate_to));
	r = l2tp_dial_ppp(j->d, g, j->sessions, j->per_tunnel, j->user, j->password, err,
			  sizeof(err));
	if (r < 0 || (unsigned)r < j->sessions)
		dial_log(j, LOG_WARNING, "vpdn-group %s: %s", g->name, err[0] ? err : strerror(-r));
	dial_free(j);
}

/* A live tunnel of RADIUS's to this LNS with this Tunnel-Assignment-Id. */
static struct l2tp_tunnel *dial_shared(struct l2tpd *d, const struct aaa_tunnel_set *set)
{
	struct l2tp_tunnel *t;

	if (set->assignment_id[0] == '\0')
		return NULL;
	LIST_FOREACH(t, &d->tunnels, link)
		if (!t->dead && t->aaa_chosen && t->state != L2TP_TUNNEL_CLOSING &&
		    t->peer.sin_addr.s_addr == set->server.s_addr &&
		    strcmp(t->aaa_assignment_id, set->assignment_id) == 0 &&
		    strcmp(t->aaa_client_name, set->client_auth_id) == 0 &&
		    strcmp(t->aaa_secret, set->secret) == 0)
			return t;
	return NULL;
}

/* The calls on the next set's tunnel; the dial ends when they are on an
 * established one, or no set is left. */
static void dial_next(struct aaa_tunnel_dial *j)
{
	struct l2tpd *d = j->d;

	while (j->next < j->n_sets && !d->shutting_down) {
		const struct aaa_tunnel_set *set = &j->sets[j->next++];
		struct sockaddr_in peer;
		struct l2tp_tunnel *t;
		struct l2tp_session *s;
		unsigned placed = 0;
		int rc = 0, shared = 0;

		t = dial_shared(d, set);
		if (t != NULL) {
			shared = 1;
		} else {
			memset(&peer, 0, sizeof(peer));
			peer.sin_family = AF_INET;
			peer.sin_addr = set->server;
			peer.sin_port = htons(L2TP_PORT);
			t = l2tp_tunnel_open_to(d, dial_group(j), &peer, set->secret,
						set->client_auth_id, &rc);
			if (t == NULL) {
				dial_log(j, LOG_WARNING, "tunnel to %s (tag %u) not opened: %s",
					 inet_ntoa(set->server), set->tag, strerror(-rc));
				continue;
			}
			t->aaa_chosen = 1;
			snprintf(t->aaa_assignment_id, sizeof(t->aaa_assignment_id), "%s",
				 set->assignment_id);
		}
		while (placed < j->sessions && (s = l2tp_session_dial(t, &rc)) != NULL) {
			snprintf(s->user, sizeof(s->user), "%s", j->user);
			l2tp_session_set_password(s, j->password);
			placed++;
		}
		dial_log(j, LOG_INFO, "%u calls for \"%s\" on %s tunnel %u to %s (tag %u, "
			 "preference %u%s%s%s)", placed, j->user, shared ? "the shared" : "new",
			 t->tid, inet_ntoa(set->server), set->tag,
			 set->preference > AAA_TUNNEL_PREF_MAX ? 0 : set->preference,
			 set->preference > AAA_TUNNEL_PREF_MAX ? " (none)" : "",
			 set->assignment_id[0] ? ", assignment " : "", set->assignment_id);
		if (placed < j->sessions)
			dial_log(j, LOG_WARNING, "%u of %u calls not placed: %s",
				 j->sessions - placed, j->sessions, strerror(-rc));
		if (t->state == L2TP_TUNNEL_ESTABLISHED) {
			dial_free(j);
			return;
		}
		j->t = t;	/* aaa_tunnel_changed() tells */
		return;
	}
	if (!d->shutting_down)
		dial_log(j, LOG_WARNING, "no tunnel could be established (%zu tried): %u calls for "
			 "\"%s\" not placed", j->n_sets, j->sessions, j->user);
	dial_free(j);
}

static void dial_timer_cb(struct l2tp_timer *tm, void *arg)
{
	dial_next(arg);
}

void aaa_tunnel_changed(struct l2tp_tunnel *t)
{
	struct aaa_tunnel_dial *j, *next;

	for (j = LIST_FIRST(&t->d->aaa.dials); j != NULL; j = next) {
		next = LIST_NEXT(j, link);
		if (j->t != t)
			continue;
		if (!t->dead && t->state == L2TP_TUNNEL_ESTABLISHED) {
			dial_free(j);
			continue;
		}
		if (!t->dead && t->state != L2TP_TUNNEL_CLOSING)
			continue;
		/* §5.7 StopCCN, or the SCCRQ unanswered: its calls went with it */
		j->t = NULL;
		if (j->next < j->n_sets) {
			t->d->aaa.stats.tunnel_next++;
			dial_log(j, LOG_NOTICE, "tunnel %u to %s not established (%s): trying the "
				 "next LNS", t->tid, inet_ntoa(t->peer.sin_addr),
				 t->stop_msg[0] ? t->stop_msg : "closed");
		}
		/* from the event loop: the tunnel may be on the stack */
		clock_timer_start(&t->d->clk, &j->timer, 0);
	}
}

static void dial_cb(void *arg, int status, const struct radius_msg *m)
{
	struct aaa_tunnel_dial *j = arg;
	struct l2tpd *d = j->d;
	uint8_t req_auth[RADIUS_AUTH_LEN];
	const char *secret = NULL;
	char what[96];

	j->rreq = NULL;
	if (status < 0 || m == NULL) {
		d->aaa.stats.tunnel_no_answer++;
		dial_by_group(j, status == -ENOENT ? "no RADIUS server" : "no RADIUS answer");
		return;
	}
	if (m->code != RADIUS_ACCESS_ACCEPT) {
		d->aaa.stats.tunnel_reject++;
		dial_log(j, LOG_NOTICE, "tunnel authorization refused (%s): %u calls for \"%s\" "
			 "not placed", radius_code_name(m->code), j->sessions, j->user);
		dial_free(j);
		return;
	}
	d->aaa.stats.tunnel_accept++;
	if (aaa_radius_reply_auth(d, req_auth, &secret) < 0)
		secret = NULL;
	snprintf(what, sizeof(what), "domain %s", j->domain);
	j->n_sets = aaa_tunnel_parse(d, m, req_auth, secret, what, j->sets, AAA_TUNNEL_SETS_MAX);
	memset(req_auth, 0, sizeof(req_auth));
	if (j->n_sets == 0) {
		dial_by_group(j, "Access-Accept without a usable tunnel");
		return;
	}
	dial_next(j);
}

int aaa_tunnel_request(const struct l2tpd *d, const char *domain, struct radius_pkt *p)
{
	const char *pw = AAA_TUNNEL_AUTHZ_PASSWORD;
	int rc = 0;

	radius_pkt_init(p, RADIUS_ACCESS_REQUEST);
	rc |= radius_put_str(p, RADIUS_ATTR_USER_NAME, domain);
	rc |= radius_put_password(p, (const uint8_t *)pw, strlen(pw));
	rc |= radius_put_u32(p, RADIUS_ATTR_SERVICE_TYPE, AAA_SERVICE_OUTBOUND);
	if (d->cfg.source_ip.s_addr)
		rc |= radius_put_addr(p, RADIUS_ATTR_NAS_IP_ADDRESS, d->cfg.source_ip);
	else if (d->cfg.red.configured && d->cfg.red.vip.s_addr)
		rc |= radius_put_addr(p, RADIUS_ATTR_NAS_IP_ADDRESS, d->cfg.red.vip);
	rc |= radius_put_str(p, RADIUS_ATTR_NAS_IDENTIFIER,
			     d->cfg.hostname[0] ? d->cfg.hostname : "l2tpd");
	rc |= radius_put_u32(p, RADIUS_ATTR_NAS_PORT_TYPE, AAA_PORT_VIRTUAL);
	return rc < 0 ? -EMSGSIZE : 0;
}

int aaa_tunnel_dial(struct l2tpd *d, struct vpdn_group *g, unsigned sessions,
		    unsigned per_tunnel, const char *user, const char *password,
		    char *err, size_t errsz)
{
	const char *dom = aaa_tunnel_domain(user);
	struct aaa_tunnel_dial *j;
	struct radius_pkt p;
	int rc;

	if (g == NULL)
		g = aaa_tunnel_group(d, user);
	if (!aaa_tunnel_wanted(d, user)) {
		if (g == NULL) {
			snprintf(err, errsz, "no vpdn-group for \"%s\" (domain %s) and no RADIUS "
				 "tunnel authorization", user, dom ? dom : "none");
			return -ENOENT;
		}
		return l2tp_dial_ppp(d, g, sessions, per_tunnel, user, password, err, errsz);
	}
	if (strlen(user) >= sizeof(j->user) || (password && strlen(password) >= sizeof(j->password))) {
		snprintf(err, errsz, "username or password too long");
		return -EINVAL;
	}
	j = calloc(1, sizeof(*j));
	if (j == NULL) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	j->d = d;
	if (g != NULL)
		snprintf(j->group, sizeof(j->group), "%s", g->name);
	snprintf(j->user, sizeof(j->user), "%s", user);
	snprintf(j->password, sizeof(j->password), "%s", password ? password : "");
	snprintf(j->domain, sizeof(j->domain), "%.*s", (int)sizeof(j->domain) - 1, dom);
	j->sessions = sessions;
	j->per_tunnel = per_tunnel;
	clock_timer_init(&j->timer, dial_timer_cb, j);
	LIST_INSERT_HEAD(&d->aaa.dials, j, link);
	rc = aaa_tunnel_request(d, j->domain, &p);
	if (rc == 0)
		rc = aaa_radius_send(d, RADIUS_AUTH, &p, dial_cb, j, &j->rreq);
	memset(&p, 0, sizeof(p));
	if (rc < 0) {
		j->rreq = NULL;
		d->aaa.stats.tunnel_no_answer++;
		dial_log(j, LOG_WARNING, "Access-Request not sent: %s", strerror(-rc));
		if (g == NULL) {
			snprintf(err, errsz, "RADIUS request for domain %s not sent (%s) and no "
				 "vpdn-group for it", j->domain, strerror(-rc));
			dial_free(j);
			return rc;
		}
		dial_free(j);
		d->aaa.stats.tunnel_group++;
		return l2tp_dial_ppp(d, g, sessions, per_tunnel, user, password, err, errsz);
	}
	d->aaa.stats.tunnel_authz++;
	dial_log(j, LOG_INFO, "asking RADIUS for the tunnel of %u calls for \"%s\"", sessions,
		 user);
	return 0;
}

void aaa_tunnel_fini(struct l2tpd *d)
{
	struct aaa_tunnel_dial *j;

	while ((j = LIST_FIRST(&d->aaa.dials)) != NULL)
		dial_free(j);
}
