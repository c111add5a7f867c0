/*
 * TCP MSS clamping in the kernel (see l2tp/mss.h).
 */
#include <stdlib.h>
#include "l2tpd.h"
#include "l2tp/mss.h"
#include "l2tp/ppp_int.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

struct mss_set {
	uint16_t v[L2TP_MSS_VALUES_MAX];
	size_t n;
	unsigned dropped;		/* values beyond L2TP_MSS_VALUES_MAX */
};

unsigned l2tp_mss_for(const struct l2tpd *d, unsigned adjust_mss)
{
	return d->dp != NULL && dp_can(d->dp, DP_CAP_KERNEL) ? adjust_mss : 0;
}

void l2tp_mss_link(struct l2tp_ppp_link *pl)
{
	struct l2tp_session *s = pl->s;
	struct l2tpd *d = s->t->d;
	struct dp_ppp_config c = { .mss = pl->vt ? l2tp_mss_for(d, pl->vt->adjust_mss) : 0 };

	if (c.mss == 0)
		return;
	if (dp_ppp_configure(d->dp, s->t->tid, s->sid, &c) < 0) {
		session_log(s, LOG_ERR, "ip tcp adjust-mss %u: %s not clamped: %s", c.mss,
			    pl->dpp.ifname, d->dp->err);
		return;
	}
	pl->mss = c.mss;
}

static void mss_add(struct mss_set *set, unsigned v)
{
	if (v == 0)
		return;
	for (size_t i = 0; i < set->n; i++)
		if (set->v[i] == v)
			return;
	if (set->n == L2TP_MSS_VALUES_MAX) {
		set->dropped++;
		return;
	}
	set->v[set->n++] = (uint16_t)v;
}

static int mss_cmp(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

void l2tp_mss_set_users(struct l2tpd *d, void (*collect)(void *arg, l2tp_mss_add_fn add,
							 void *set), void *arg)
{
	d->mss_users = collect;
	d->mss_users_arg = arg;
}

static void mss_add_cb(void *set, unsigned v)
{
	mss_add(set, v);
}

/* The templates' values (removed templates too: their sessions run on) and
 * the values live interfaces carry (a template edited by a reload), the
 * access side's included. */
static void mss_collect(struct l2tpd *d, struct mss_set *set)
{
	const struct config_vtemplate *vt;
	struct l2tp_tunnel *t;
	struct l2tp_session *s;

	TAILQ_FOREACH(vt, &d->cfg.vtemplates, link)
		mss_add(set, vt->adjust_mss);
	LIST_FOREACH(t, &d->tunnels, link)
		LIST_FOREACH(s, &t->session_list, link)
			if (s->ppp_link != NULL)
				mss_add(set, s->ppp_link->mss);
	if (d->mss_users != NULL)
		d->mss_users(d->mss_users_arg, mss_add_cb, set);
	qsort(set->v, set->n, sizeof(set->v[0]), mss_cmp);
}

static void mss_write(struct l2tpd *d, const struct mss_set *set)
{
	int rc = dp_mss_clamp(d->dp, set->v, set->n);

	if (rc < 0) {
		d->mss_ok = 0;
		log_msg(&d->log, LOG_ERR, "ip tcp adjust-mss: the kernel's clamp rules are not "
			"written (%s): sessions come up unclamped; a reload tries again",
			d->dp->err);
		return;
	}
	d->mss_ok = 1;
	d->mss_n = set->n;
	log_msg(&d->log, LOG_INFO, "ip tcp adjust-mss: %zu value%s clamped in the kernel",
		set->n, set->n == 1 ? "" : "s");
}

void l2tp_mss_sync(struct l2tpd *d)
{
	struct mss_set set = { .n = 0 };

	if (l2tp_mss_for(d, 1) == 0)
		return;
	mss_collect(d, &set);
	if (set.dropped)
		log_msg(&d->log, LOG_WARNING, "ip tcp adjust-mss: more than %d distinct values: "
			"%u not clamped", L2TP_MSS_VALUES_MAX, set.dropped);
	/* Written again even when the values are the same: an operator's
	 * `nft flush ruleset` (a firewall reload) took it away, and a reload
	 * puts it back; nftables replaces it in one transaction. */
	if (set.n == 0 && !d->mss_ok && d->mss_n == 0 && d->dp->count.mss_table_failed == 0)
		return;		/* never written: nothing to remove */
	mss_write(d, &set);
}

void l2tp_mss_stop(struct l2tpd *d)
{
	if (l2tp_mss_for(d, 1) == 0 || d->restart_exit || (!d->mss_ok && d->mss_n == 0))
		return;
	if (dp_mss_clamp(d->dp, NULL, 0) < 0)
		log_msg(&d->log, LOG_ERR, "ip tcp adjust-mss: the kernel's clamp rules are not "
			"removed: %s", d->dp->err);
	d->mss_ok = 0;
	d->mss_n = 0;
}
