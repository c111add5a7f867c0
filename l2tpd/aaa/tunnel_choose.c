/*
 * The LNS of a PPPoE subscriber's call chosen by RADIUS (see
 * aaa/tunnel.h): the chooser AAA registers with l2tp/relay.h.  One
 * question (struct aaa_tunnel_choice) per subscriber, from the
 * Access-Request for the domain to the answer handed to the access side:
 *
 *   no answer, no server ----------------------> NO_CHOICE (vpdn-group)
 *   Access-Reject -----------------------------> REFUSED
 *   Access-Accept, no tunnel attribute --------> NO_CHOICE
 *                  tunnel attributes, none usable -> REFUSED
 *                  usable sets ----------------> TARGETS (most preferred first)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2tpd.h"
#include "aaa/aaa_int.h"
#include "aaa/radius.h"
#include "aaa/radius_client.h"
#include "aaa/tunnel.h"
#include "l2tp/relay.h"

#define CHOICE_TARGETS_MAX	8	/* the sets beyond are not tried */

struct aaa_tunnel_choice {
	LIST_ENTRY(aaa_tunnel_choice) link;	/* d->aaa.choices */
	struct l2tpd *d;
	struct radius_req *rreq;
	l2tp_relay_chosen_fn done;
	void *darg;
	char domain[64];
};

static void choice_free(struct aaa_tunnel_choice *c)
{
	aaa_radius_cancel(c->d, c->rreq);
	LIST_REMOVE(c, link);
	free(c);
}

/* The answer to the access side, the question gone first (done may ask
 * again, or cancel nothing). */
static void choice_answer(struct aaa_tunnel_choice *c, enum l2tp_relay_verdict v,
			  const struct l2tp_relay_target *tg, size_t n, const char *why)
{
	l2tp_relay_chosen_fn done = c->done;
	void *darg = c->darg;

	c->rreq = NULL;
	choice_free(c);
	done(darg, v, tg, n, why);
}

static int choice_has_tunnel_attrs(const struct radius_msg *m)
{
	unsigned i;

	for (i = 0; i < m->n; i++)
		if (aaa_tunnel_attr(&m->a[i]))
			return 1;
	return 0;
}

/* An Access-Accept: its usable sets become the targets. */
static void choice_accept(struct aaa_tunnel_choice *c, const struct radius_msg *m)
{
	struct l2tpd *d = c->d;
	struct aaa_tunnel_set *sets = calloc(AAA_TUNNEL_SETS_MAX, sizeof(*sets));
	struct l2tp_relay_target tg[CHOICE_TARGETS_MAX];
	uint8_t req_auth[RADIUS_AUTH_LEN];
	const char *secret = NULL;
	char what[96];
	size_t n, i;

	if (sets == NULL) {
		choice_answer(c, L2TP_RELAY_REFUSED, NULL, 0, "out of memory");
		return;
	}
	if (aaa_radius_reply_auth(d, req_auth, &secret) < 0)
		secret = NULL;
	snprintf(what, sizeof(what), "domain %s", c->domain);
	n = aaa_tunnel_parse(d, m, req_auth, secret, what, sets, AAA_TUNNEL_SETS_MAX);
	memset(req_auth, 0, sizeof(req_auth));
	memset(tg, 0, sizeof(tg));
	for (i = 0; i < n && i < CHOICE_TARGETS_MAX; i++) {
		tg[i].server = sets[i].server;
		tg[i].tag = sets[i].tag;
		tg[i].preference = sets[i].preference;
		snprintf(tg[i].secret, sizeof(tg[i].secret), "%s", sets[i].secret);
		snprintf(tg[i].assignment_id, sizeof(tg[i].assignment_id), "%s",
			 sets[i].assignment_id);
		snprintf(tg[i].client_auth_id, sizeof(tg[i].client_auth_id), "%s",
			 sets[i].client_auth_id);
	}
	memset(sets, 0, AAA_TUNNEL_SETS_MAX * sizeof(*sets));	/* the secrets */
	free(sets);
	if (i > 0)
		choice_answer(c, L2TP_RELAY_TARGETS, tg, i, "RADIUS");
	else if (choice_has_tunnel_attrs(m))
		choice_answer(c, L2TP_RELAY_REFUSED, NULL, 0,
			      "the Access-Accept's tunnel attributes are not usable (logged above)");
	else
		choice_answer(c, L2TP_RELAY_NO_CHOICE, NULL, 0,
			      "an Access-Accept without tunnel attributes");
	memset(tg, 0, sizeof(tg));
}

static void choice_cb(void *arg, int status, const struct radius_msg *m)
{
	struct aaa_tunnel_choice *c = arg;
	struct l2tpd *d = c->d;

	c->rreq = NULL;
	if (status < 0 || m == NULL) {
		d->aaa.stats.tunnel_no_answer++;
		choice_answer(c, L2TP_RELAY_NO_CHOICE, NULL, 0,
			      status == -ENOENT ? "no RADIUS server" : "no RADIUS answer");
		return;
	}
	if (m->code != RADIUS_ACCESS_ACCEPT) {
		d->aaa.stats.tunnel_reject++;
		choice_answer(c, L2TP_RELAY_REFUSED, NULL, 0, "tunnel authorization rejected");
		return;
	}
	d->aaa.stats.tunnel_accept++;
	choice_accept(c, m);
}

static int choice_ask(void *arg, const char *user, l2tp_relay_chosen_fn done, void *darg,
		      void **handle)
{
	struct l2tpd *d = arg;
	const char *dom = aaa_tunnel_domain(user);
	struct aaa_tunnel_choice *c;
	struct radius_pkt p;
	int rc;

	*handle = NULL;
	if (!aaa_tunnel_wanted(d, user))
		return -ENOENT;
	if (strlen(dom) >= sizeof(c->domain))
		return -ENAMETOOLONG;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -ENOMEM;
	c->d = d;
	c->done = done;
	c->darg = darg;
	snprintf(c->domain, sizeof(c->domain), "%s", dom);
	LIST_INSERT_HEAD(&d->aaa.choices, c, link);
	rc = aaa_tunnel_request(d, c->domain, &p);
	if (rc == 0)
		rc = aaa_radius_send(d, RADIUS_AUTH, &p, choice_cb, c, &c->rreq);
	memset(&p, 0, sizeof(p));
	if (rc < 0) {
		c->rreq = NULL;
		d->aaa.stats.tunnel_no_answer++;
		choice_free(c);
		return rc;
	}
	d->aaa.stats.tunnel_authz++;
	*handle = c;
	return 0;
}

static void choice_cancel(void *arg, void *handle)
{
	(void)arg;
	choice_free(handle);
}

static const struct l2tp_relay_chooser_ops aaa_choice_ops = {
	.choose = choice_ask,
	.cancel = choice_cancel,
};

void aaa_tunnel_choose_init(struct l2tpd *d)
{
	LIST_INIT(&d->aaa.choices);
	l2tp_relay_set_chooser(d, &aaa_choice_ops, d);
}

void aaa_tunnel_choose_fini(struct l2tpd *d)
{
	struct aaa_tunnel_choice *c;

	/* the access side cancels its questions as it stops: none is left
	 * unless it stopped first; these are dropped unanswered */
	while ((c = LIST_FIRST(&d->aaa.choices)) != NULL)
		choice_free(c);
}
