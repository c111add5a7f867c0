/*
 * The PPP of a PPPoE session (see pppoe/lac.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ippool.h"
#include "core/tcp_mss.h"
#include "l2tpd.h"
#include "l2tp/call_info.h"
#include "l2tp/proto.h"
#include "l2tp/relay.h"
#include "ppp/ppp.h"
#include "pppoe/access.h"
#include "pppoe/lac.h"
#include "pppoe/lac_int.h"
#include "pppoe/proxy.h"


static const char *const lac_state_names[PPPOE_LAC_STATES] = {
	[PPPOE_LAC_NEGOTIATING] = "negotiating",
	[PPPOE_LAC_AUTHORIZING] = "authorizing",
	[PPPOE_LAC_DIALING] = "dialing",
	[PPPOE_LAC_RELAYING] = "relaying",
	[PPPOE_LAC_BRIDGED] = "bridged",
	[PPPOE_LAC_LOCAL] = "local",
	[PPPOE_LAC_LOCAL_UP] = "local-up",
};

const char *pppoe_lac_state_name(enum pppoe_lac_state st)
{
	return st < PPPOE_LAC_STATES ? lac_state_names[st] : "?";
}


/* --- the group and the virtual template ------------------------------------ */

const struct config_vtemplate *pppoe_lac_vtemplate(const struct pppoe_lac *l)
{
	const struct l2tpd_config *cfg = &l->a->d->cfg;
	const struct config_bba_group *bg = config_bba_find(cfg, l->ps->ifp->group);

	return bg && bg->virtual_template ? config_vtemplate_find(cfg, bg->virtual_template) :
	       NULL;
}

static unsigned lac_lcp_timeout(const struct pppoe_lac *l)
{
	const struct config_bba_group *bg = config_bba_find(&l->a->d->cfg, l->ps->ifp->group);

	return bg && bg->lcp_timeout ? bg->lcp_timeout : CONFIG_DEF_PPPOE_LCP_TIMEOUT;
}

/* The request-dialin group of the user's domain (`vpdn search-order
 * domain`: the part after the last '@'). */
static struct vpdn_group *lac_domain_group(struct l2tpd *d, const char *user)
{
	const char *at = strrchr(user, '@');
	struct vpdn_group *g;

	if (at == NULL || at[1] == '\0')
		return NULL;
	TAILQ_FOREACH(g, &d->cfg.groups, link)
		if (!g->removed && g->dialin == VPDN_REQUEST_DIALIN && g->domain[0] != '\0' &&
		    strcasecmp(g->domain, at + 1) == 0)
			return g;
	return NULL;
}

/* --- closing ------------------------------------------------------------------- */

static void lac_close_cb(struct l2tp_timer *tm, void *arg)
{
	struct pppoe_lac *l = arg;

	(void)tm;
	pppoe_session_close(l->a->ac, l->ps, PPPOE_END_LOCAL);	/* frees l */
}

/* End the PPPoE session (PADT) from outside the current callbacks. */
void pppoe_lac_close_later(struct pppoe_lac *l)
{
	l->closing = 1;
	clock_timer_start(&l->a->d->clk, &l->close_timer, 0);
}

static void lac_lcp_timeout_cb(struct l2tp_timer *tm, void *arg)
{
	struct pppoe_lac *l = arg;

	(void)tm;
	l->a->lac.lcp_timeouts++;
	lac_log(l, LOG_NOTICE, "LCP not finished after %u s: cleared", lac_lcp_timeout(l));
	pppoe_session_close(l->a->ac, l->ps, PPPOE_END_LOCAL);
}

/* --- PPP's ops --------------------------------------------------------------- */

static void lac_output(void *arg, uint16_t proto, const uint8_t *buf, size_t len)
{
	struct pppoe_lac *l = arg;
	uint8_t frame[PPPOE_FRAME_MAX];

	if (len + 2 > sizeof(frame))
		return;
	frame[0] = (uint8_t)(proto >> 8);
	frame[1] = (uint8_t)proto;
	memcpy(frame + 2, buf, len);
	if (l->px != NULL)
		pppoe_proxy_note(l->px, 0, frame, len + 2);
	if (l->chan_fd >= 0)
		pppoe_lac_chan_send(l, proto, buf, len);
	else
		pppoe_session_send(l->a->ac, l->ps, frame, len + 2);
}

static void lac_dial(struct pppoe_lac *l, struct vpdn_group *g,
		     const struct l2tp_relay_target *tg, size_t n);

/* The local configuration's choice: the domain's vpdn-group, else here. */
static void lac_decide_local(struct pppoe_lac *l, const struct ppp_auth_req *req)
{
	struct vpdn_group *g = lac_domain_group(l->a->d, req->user);

	if (g != NULL)
		lac_dial(l, g, NULL, 0);
	else
		pppoe_lac_local_auth(l, req);
}

static void lac_free_req(struct pppoe_lac *l)
{
	if (l->req != NULL)
		memset(l->req, 0, sizeof(*l->req));	/* the password */
	free(l->req);
	l->req = NULL;
}

static void lac_drop_targets(struct pppoe_lac *l)
{
	if (l->tg != NULL)
		memset(l->tg, 0, l->n_tg * sizeof(*l->tg));	/* the secrets */
	free(l->tg);
	l->tg = NULL;
	l->n_tg = 0;
}

/* The sets after the one dialled, kept (with the proxy, to build the
 * next call) until the call is up; none kept if memory is short. */
static void lac_keep_targets(struct pppoe_lac *l, const struct l2tp_relay_target *tg, size_t n)
{
	lac_drop_targets(l);
	l->tg = malloc(n * sizeof(*tg));
	if (l->tg == NULL)
		return;
	memcpy(l->tg, tg, n * sizeof(*tg));
	l->n_tg = n;
}

/* RADIUS's answer (l2tp/relay.h's chooser, aaa/tunnel_choose.c). */
static void lac_chosen(void *arg, enum l2tp_relay_verdict v, const struct l2tp_relay_target *tg,
		       size_t n, const char *why)
{
	struct pppoe_lac *l = arg;

	l->choice = NULL;
	l->state = PPPOE_LAC_NEGOTIATING;
	if (l->closing || l->ppp == NULL) {	/* PPP gave up waiting (auth timeout) */
		lac_free_req(l);
		return;
	}
	switch (v) {
	case L2TP_RELAY_TARGETS:
		lac_dial(l, lac_domain_group(l->a->d, l->user), tg, n);
		break;
	case L2TP_RELAY_REFUSED:
		l->a->lac.radius_refused++;
		lac_log(l, LOG_WARNING, "user %s: refused by RADIUS tunnel authorization: %s",
			l->user, why);
		ppp_auth_done(l->ppp, 0, "Tunnel authorization refused", NULL);
		break;
	default:
		l->a->lac.radius_none++;
		lac_log(l, LOG_INFO, "user %s: %s: the vpdn-group of the domain decides", l->user,
			why);
		lac_decide_local(l, l->req);
		break;
	}
	lac_free_req(l);
}

static void lac_auth_request(void *arg, const struct ppp_auth_req *req)
{
	struct pppoe_lac *l = arg;
	int rc;

	clock_timer_stop(&l->a->d->clk, &l->lcp_timer);	/* LCP is done */
	snprintf(l->user, sizeof(l->user), "%s", req->user);
	l->req = malloc(sizeof(*l->req));
	if (l->req == NULL) {
		lac_decide_local(l, req);
		return;
	}
	*l->req = *req;
	rc = l2tp_relay_choose(l->a->d, req->user, lac_chosen, l, &l->choice);
	if (rc == 0) {
		l->state = PPPOE_LAC_AUTHORIZING;
		l->a->lac.radius_asked++;
		lac_log(l, LOG_DEBUG, "user %s: asking RADIUS for its tunnel", l->user);
		return;
	}
	if (rc != -ENOENT) {
		l->a->lac.radius_none++;
		lac_log(l, LOG_WARNING, "user %s: RADIUS tunnel authorization not asked (%s): "
			"the vpdn-group of the domain decides", l->user, strerror(-rc));
	}
	lac_free_req(l);
	lac_decide_local(l, req);
}

/* Terminated here: pppN comes up at IPCP or IPv6CP (whichever opens
 * first; the kernel refuses routes through a unit that is down), with the
 * /32 pair once IPCP is open; a unit the kernel will not configure clears
 * the session (PADT). */
static void lac_up(void *arg, uint16_t proto, const struct ppp_state *st)
{
	struct pppoe_lac *l = arg;
	char a[INET_ADDRSTRLEN];

	if (l->state != PPPOE_LAC_LOCAL && l->state != PPPOE_LAC_LOCAL_UP)
		return;
	if (proto != PPP_PROTO_IPCP && proto != PPP_PROTO_IPV6CP)
		return;
	if (pppoe_lac_unit_up(l, st) < 0) {
		pppoe_lac_close_later(l);
		return;
	}
	if (proto != PPP_PROTO_IPCP || l->state != PPPOE_LAC_LOCAL)
		return;
	l->state = PPPOE_LAC_LOCAL_UP;
	l->a->lac.local_up++;
	inet_ntop(AF_INET, &st->peer_addr, a, sizeof(a));
	lac_log(l, LOG_INFO, "terminated here: user %s, address %s%s%s", l->user, a,
		l->ifname[0] ? " on " : "", l->ifname);
	pppoe_lac_local_up(l);	/* Accounting-Start, before the record that carries it */
	pppoe_access_changed(l->a, l->ps);	/* checkpointed (HA) */
}

static void lac_down(void *arg, const char *reason)
{
	struct pppoe_lac *l = arg;

	if (l->state == PPPOE_LAC_DIALING || l->state == PPPOE_LAC_RELAYING)
		return;		/* our PPP handed over to the LNS */
	lac_log(l, LOG_INFO, "PPP down: %s", reason);
	pppoe_lac_local_down(l, reason);
	pppoe_lac_close_later(l);
}

static const struct ppp_ops lac_ppp_ops = {
	.output = lac_output,
	.auth_request = lac_auth_request,
	.up = lac_up,
	.down = lac_down,
};

/* --- the call -------------------------------------------------------------------- */

static void lac_proxy_bytes(uint8_t *dst, uint16_t *dlen, const uint8_t *src,
			    const struct pppoe_proxy_bytes *b)
{
	*dlen = b->len <= L2TP_CALL_LCP_MAX ? b->len : 0;
	memcpy(dst, src, *dlen);
}

/*
 * What the ICRQ and ICCN carry of the subscriber (RFC 2661 §4.4.4, §4.4.5;
 * RFC 5515 §4): the proxy as noted, Calling Number from the Agent-Circuit-Id
 * else the MAC, the connect speeds from the TR-101 line rates (Tx: toward
 * the subscriber, downstream), the access line's identifiers and rates.
 */
static void lac_call_info(const struct pppoe_lac *l, struct l2tp_call_info *ci)
{
	const struct pppoe_lac_proxy *px = l->px;
	const struct pppoe_session *s = l->ps;

	memset(ci, 0, sizeof(*ci));
	if (px->initial_rx_len.present && px->last_tx_len.present && px->last_rx_len.present) {
		ci->flags |= L2TP_CI_PROXY_LCP;
		lac_proxy_bytes(ci->lcp_init_rcvd, &ci->lcp_init_rcvd_len, px->initial_rx,
				&px->initial_rx_len);
		lac_proxy_bytes(ci->lcp_last_sent, &ci->lcp_last_sent_len, px->last_tx,
				&px->last_tx_len);
		lac_proxy_bytes(ci->lcp_last_rcvd, &ci->lcp_last_rcvd_len, px->last_rx,
				&px->last_rx_len);
	}
	if (px->auth_type == PPPOE_PROXY_AUTH_PAP || px->auth_type == PPPOE_PROXY_AUTH_CHAP) {
		ci->flags |= L2TP_CI_PROXY_AUTH;
		ci->auth_type = px->auth_type == PPPOE_PROXY_AUTH_PAP ? L2TP_PROXY_AUTH_PAP :
				L2TP_PROXY_AUTH_CHAP;
		ci->auth_id = px->auth_id;
		snprintf(ci->auth_name, sizeof(ci->auth_name), "%s", px->auth_name);
		ci->auth_challenge_len = px->challenge_len;
		memcpy(ci->auth_challenge, px->challenge, px->challenge_len);
		ci->auth_response_len = px->response_len;
		memcpy(ci->auth_response, px->response, px->response_len);
	}
	pppoe_session_calling_number(s, ci->calling, sizeof(ci->calling));
	if (s->rate_up != 0 || s->rate_down != 0) {
		ci->flags |= L2TP_CI_SPEEDS | L2TP_CI_RATES;
		ci->tx_speed = s->rate_down * 1000u;
		ci->rx_speed = s->rate_up * 1000u;
		ci->rate[L2TP_RATE_ACTUAL_UP] = (uint64_t)s->rate_up * 1000;
		ci->rate[L2TP_RATE_ACTUAL_DOWN] = (uint64_t)s->rate_down * 1000;
	}
	snprintf(ci->circuit_id, sizeof(ci->circuit_id), "%s", s->circuit_id);
	snprintf(ci->remote_id, sizeof(ci->remote_id), "%s", s->remote_id);
}

static void relay_up(void *arg, struct l2tp_session *s)
{
	struct pppoe_lac *l = arg;
	uint16_t tid, sid;

	l2tp_relay_ids(s, &tid, &sid);
	lac_drop_targets(l);	/* the choice is final */
	free(l->px);
	l->px = NULL;
	l->a->lac.calls_up++;
	if (l->chan_fd >= 0) {
		pppoe_lac_bridge(l, s, tid, sid);
	} else {
		l->state = PPPOE_LAC_RELAYING;
		lac_log(l, LOG_INFO, "user %s: call %u/%u up", l->user, tid, sid);
	}
	/* in this turn, so that the ICCN waits for the record (HA) */
	if (l->state == PPPOE_LAC_RELAYING || l->state == PPPOE_LAC_BRIDGED)
		pppoe_access_changed(l->a, l->ps);
}

/*
 * `ip tcp adjust-mss`: frame copied into buf with the SYN's MSS lowered
 * (both ways); frame itself when there is nothing to clamp.
 */
static const uint8_t *lac_clamp(struct pppoe_lac *l, const uint8_t *frame, size_t len,
				uint8_t *buf, size_t size)
{
	if (l->mss == 0 || len > size)
		return frame;
	memcpy(buf, frame, len);
	switch (tcp_mss_clamp_ppp(buf, len, l->mss)) {
	case TCP_MSS_CLAMPED:
		l->a->lac.mss_clamped++;
		return buf;
	case TCP_MSS_MALFORMED:
		l->a->lac.mss_malformed++;
		return frame;
	default:
		return frame;
	}
}

static void relay_frame(void *arg, struct l2tp_session *s, const uint8_t *frame, size_t len)
{
	struct pppoe_lac *l = arg;
	uint8_t buf[PPPOE_FRAME_MAX];

	(void)s;
	frame = lac_clamp(l, frame, len, buf, sizeof(buf));
	if (len >= 2 && frame[0] == 0xff && frame[1] == 0x03) {
		frame += 2;	/* PPPoE carries no address and control (RFC 2516 §7) */
		len -= 2;
	}
	if (pppoe_session_send(l->a->ac, l->ps, frame, len) == 0)
		l->a->lac.relayed_down++;
	else
		l->a->lac.relay_tx_errors++;
}

static void relay_gone(void *arg, struct l2tp_session *s)
{
	struct pppoe_lac *l = arg;
	uint16_t tid, sid;

	l2tp_relay_ids(s, &tid, &sid);
	pppoe_lac_bridge_count(l);
	l->ls = NULL;
	if (l->state == PPPOE_LAC_DIALING && l->tg != NULL && l->px != NULL) {
		/* its tunnel was not established (SCCRQ unanswered, StopCCN)
		 * or the LNS refused the call: RADIUS's next set */
		l->a->lac.radius_next++;
		lac_log(l, LOG_NOTICE, "user %s: call %u/%u gone before it was up: trying the "
			"next LNS RADIUS named", l->user, tid, sid);
		clock_timer_start(&l->a->d->clk, &l->retry_timer, 0);
		return;
	}
	lac_log(l, LOG_INFO, "user %s: call %u/%u gone: PADT", l->user, tid, sid);
	l->a->lac.cleared_by_cdn++;
	pppoe_lac_close_later(l);
}

const struct l2tp_relay_ops pppoe_lac_relay_ops = {
	.up = relay_up,
	.frame = relay_frame,
	.gone = relay_gone,
};

/* The call on RADIUS's targets, the most preferred that opens (NULL
 * with *rc when none does); *tgi the one used. */
static struct l2tp_session *lac_dial_targets(struct pppoe_lac *l, struct vpdn_group *g,
					     const struct l2tp_relay_target *tg, size_t n,
					     const struct l2tp_call_info *ci, size_t *tgi, int *rc)
{
	struct l2tp_session *s = NULL;
	char a[INET_ADDRSTRLEN];

	for (*tgi = 0; *tgi < n; ++*tgi) {
		s = l2tp_relay_dial_to(l->a->d, g, &tg[*tgi], ci, l->user, &pppoe_lac_relay_ops, l, rc);
		if (s != NULL)
			return s;
		inet_ntop(AF_INET, &tg[*tgi].server, a, sizeof(a));
		lac_log(l, LOG_WARNING, "user %s: no call to %s (RADIUS tag %u): %s", l->user, a,
			tg[*tgi].tag, strerror(-*rc));
	}
	return NULL;
}

/* Our PPP goes quietly (its last word was the subscriber's credentials):
 * the LNS answers them and runs PPP from here on.  The call goes to
 * RADIUS's targets (n > 0) else to group g's LNS. */
static void lac_dial(struct pppoe_lac *l, struct vpdn_group *g,
		     const struct l2tp_relay_target *tg, size_t n)
{
	struct l2tp_call_info *ci = malloc(sizeof(*ci));
	char where[96] = "";
	uint16_t tid, sid;
	int rc = -ENOMEM;
	size_t i = 0;

	if (ci != NULL) {
		lac_call_info(l, ci);
		if (n > 0)
			l->ls = lac_dial_targets(l, g, tg, n, ci, &i, &rc);
		else
			l->ls = l2tp_relay_dial(l->a->d, g, ci, l->user, &pppoe_lac_relay_ops, l, &rc);
		free(ci);
	}
	if (l->ls == NULL) {
		l->a->lac.call_failed++;
		lac_log(l, LOG_WARNING, "user %s: no call to %s: %s", l->user,
			n > 0 ? "the LNS RADIUS named" : g->name,
			rc == -EOPNOTSUPP ? "this data path neither relays nor switches PPPoE "
			"calls" : strerror(-rc));
		ppp_auth_done(l->ppp, 0, "No tunnel", NULL);
		return;
	}
	l->state = PPPOE_LAC_DIALING;
	l->a->lac.calls_placed++;
	if (n > 0) {
		l->a->lac.radius_chosen++;
		inet_ntop(AF_INET, &tg[i].server, where, INET_ADDRSTRLEN);
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
			 " (RADIUS tag %u%s%s)", tg[i].tag,
			 tg[i].assignment_id[0] ? ", assignment " : "", tg[i].assignment_id);
	} else {
		snprintf(where, sizeof(where), "vpdn-group %s", g->name);
	}
	l2tp_relay_ids(l->ls, &tid, &sid);
	lac_log(l, LOG_INFO, "user %s: call %u/%u to %s", l->user, tid, sid, where);
	ppp_free(l->ppp);	/* deferred: we are in its callback */
	l->ppp = NULL;
	if (n > i + 1)
		lac_keep_targets(l, tg + i + 1, n - i - 1);
	if (l->tg == NULL) {
		free(l->px);	/* in the call now */
		l->px = NULL;
	}
}

/* RADIUS's next set, once the call to the previous one went. */
static void lac_retry_cb(struct l2tp_timer *tm, void *arg)
{
	struct pppoe_lac *l = arg;
	struct l2tp_relay_target *tg = l->tg;
	size_t n = l->n_tg, i = 0;
	struct l2tp_call_info *ci;
	int rc = -ENOMEM;

	(void)tm;
	l->tg = NULL;
	l->n_tg = 0;
	ci = malloc(sizeof(*ci));
	if (ci != NULL) {
		lac_call_info(l, ci);
		l->ls = lac_dial_targets(l, lac_domain_group(l->a->d, l->user), tg, n, ci, &i,
					 &rc);
		free(ci);
	}
	if (l->ls == NULL) {
		l->a->lac.call_failed++;
		lac_log(l, LOG_WARNING, "user %s: no call to the next LNS RADIUS named: %s: PADT",
			l->user, strerror(-rc));
		pppoe_lac_close_later(l);
	} else {
		uint16_t tid, sid;
		char a[INET_ADDRSTRLEN];

		l->a->lac.calls_placed++;
		l->a->lac.radius_chosen++;
		l2tp_relay_ids(l->ls, &tid, &sid);
		inet_ntop(AF_INET, &tg[i].server, a, sizeof(a));
		lac_log(l, LOG_INFO, "user %s: call %u/%u to %s (RADIUS tag %u%s%s)", l->user, tid,
			sid, a, tg[i].tag, tg[i].assignment_id[0] ? ", assignment " : "",
			tg[i].assignment_id);
		if (n > i + 1)
			lac_keep_targets(l, tg + i + 1, n - i - 1);
	}
	memset(tg, 0, n * sizeof(*tg));
	free(tg);
	if (l->tg == NULL) {
		free(l->px);
		l->px = NULL;
	}
}

/* --- the session's life ---------------------------------------------------- */

void pppoe_lac_timers_init(struct pppoe_lac *l)
{
	l->unit_fd = -1;	/* only a session terminated here gets a pppN */
	clock_timer_init(&l->lcp_timer, lac_lcp_timeout_cb, l);
	clock_timer_init(&l->close_timer, lac_close_cb, l);
	clock_timer_init(&l->retry_timer, lac_retry_cb, l);
}

static void lac_ppp_config(struct pppoe_lac *l, struct ppp_config *c)
{
	const struct config_vtemplate *vt = pppoe_lac_vtemplate(l);
	const struct l2tpd *d = l->a->d;
	unsigned i;

	ppp_config_init(c);
	c->role = PPP_ROLE_AUTHENTICATOR;
	/* RFC 2516 §7: an MRU of at most 1492 (RFC 4638: more when agreed) */
	c->mru = l->ps->max_payload > PPPOE_PPP_MTU ? l->ps->max_payload : PPPOE_PPP_MTU;
	for (i = 0; vt != NULL && i < vt->n_auth && c->n_auth < PPP_AUTH_METHODS_MAX; i++)
		if (vt->auth[i] != CONFIG_AUTH_MSCHAPV2)	/* cannot be proxied */
			c->auth[c->n_auth++] = vt->auth[i] == CONFIG_AUTH_PAP ? PPP_AUTH_PAP :
					       PPP_AUTH_CHAP_MD5;
	if (c->n_auth == 0) {
		c->auth[c->n_auth++] = PPP_AUTH_CHAP_MD5;
		c->auth[c->n_auth++] = PPP_AUTH_PAP;
	}
	if (vt != NULL) {
		c->local_addr = vt->local_addr;
		l->mss = (uint16_t)vt->adjust_mss;
		c->dns[0] = vt->dns[0];
		c->dns[1] = vt->dns[1];
		c->echo_interval = vt->keepalive;
		c->echo_failures = vt->keepalive_retries;
		if (vt->mtu != 0 && vt->mtu < c->mru)
			c->mru = (uint16_t)vt->mtu;
	}
	snprintf(c->hostname, sizeof(c->hostname), "%s",
		 d->cfg.hostname[0] ? d->cfg.hostname : "l2tpd");
	/* RFC 1661 §4.6: our Configure-Requests go unanswered for at most
	 * Max-Configure Restart periods; the `lcp timeout` is the bound a
	 * silent subscriber meets (counted), so the periods last at least
	 * that long together: 3 s, longer for a long timeout (30 s at most) */
	c->restart_ms = lac_lcp_timeout(l) * 1000 / PPP_FSM_MAX_CONFIGURE + 1000;
	if (c->restart_ms < 3000)
		c->restart_ms = 3000;
	if (c->restart_ms > 30000)
		c->restart_ms = 30000;
}

int pppoe_lac_local_resume(struct pppoe_lac *l, const struct ppp_state *st)
{
	struct ppp_config c;
	char prefix[32];

	lac_ppp_config(l, &c);
	snprintf(prefix, sizeof(prefix), "pppoe session %u: ", l->ps->id);
	l->ppp = ppp_import_opened(&c, &lac_ppp_ops, l, &l->a->d->clk, &l->a->d->log, prefix,
				   st);
	return l->ppp != NULL ? 0 : -errno;
}

int pppoe_lac_start(struct pppoe_access *a, struct pppoe_session *s)
{
	struct pppoe_lac *l = calloc(1, sizeof(*l));
	struct ppp_config c;
	char prefix[32];

	if (l == NULL)
		return -ENOMEM;
	l->px = calloc(1, sizeof(*l->px));
	if (l->px == NULL) {
		free(l);
		return -ENOMEM;
	}
	l->a = a;
	l->ps = s;
	l->chan_fd = l->unit_fd = -1;	/* pppoe_lac_chan_close needs both */
	if (dp_can(a->d->dp, DP_CAP_BRIDGE) && pppoe_lac_chan_open(l) < 0) {
		free(l->px);
		free(l);
		return -EIO;
	}
	pppoe_lac_timers_init(l);
	lac_ppp_config(l, &c);
	snprintf(prefix, sizeof(prefix), "pppoe session %u: ", s->id);
	l->ppp = ppp_new(&c, &lac_ppp_ops, l, &a->d->clk, &a->d->log, prefix);
	if (l->ppp == NULL) {
		pppoe_lac_chan_close(l);
		free(l->px);
		free(l);
		return -ENOMEM;
	}
	s->upper = l;
	a->lac.started++;
	clock_timer_start(&a->d->clk, &l->lcp_timer, lac_lcp_timeout(l) * 1000ull);
	ppp_open(l->ppp);
	return 0;
}

void pppoe_lac_input(struct pppoe_access *a, struct pppoe_session *s, const uint8_t *ppp,
		     size_t len)
{
	struct pppoe_lac *l = s->upper;
	uint8_t buf[PPPOE_FRAME_MAX];

	if (l == NULL) {
		a->rx_ppp_dropped++;
		return;
	}
	switch (l->state) {
	case PPPOE_LAC_RELAYING:
		ppp = lac_clamp(l, ppp, len, buf, sizeof(buf));
		if (l2tp_relay_send(l->ls, ppp, len) == 0)
			a->lac.relayed_up++;
		else
			a->lac.relay_tx_errors++;
		return;
	case PPPOE_LAC_DIALING:
	case PPPOE_LAC_BRIDGED:	/* (read before the bridge was made) */
		a->lac.relay_dropped++;	/* the subscriber waits for the LNS's verdict */
		return;
	default:
		if (l->px != NULL)
			pppoe_proxy_note(l->px, 1, ppp, len);
		if (l->ppp != NULL)
			ppp_input(l->ppp, ppp, len);
	}
}

void pppoe_lac_stop(struct pppoe_access *a, struct pppoe_session *s, int padt_from_peer)
{
	struct pppoe_lac *l = s->upper;

	if (l == NULL)
		return;
	s->upper = NULL;
	clock_timer_stop(&a->d->clk, &l->lcp_timer);
	clock_timer_stop(&a->d->clk, &l->close_timer);
	clock_timer_stop(&a->d->clk, &l->retry_timer);
	lac_drop_targets(l);
	l2tp_relay_choose_cancel(a->d, l->choice);
	lac_free_req(l);
	pppoe_lac_bridge_count(l);
	/* RFC 3145: the subscriber hung up (PADT), else we cleared it */
	if (l->ls != NULL && padt_from_peer)
		l2tp_relay_hangup(l->ls, L2TP_CDN_LOST_CARRIER, L2TP_PPP_DISC_NORMAL,
				  L2TP_PPP_DISC_AT_PEER, 1 /* RFC 2866 User Request */,
				  "PPPoE PADT from the subscriber");
	else if (l->ls != NULL)
		l2tp_relay_hangup(l->ls, L2TP_CDN_ADMIN, L2TP_PPP_DISC_ADMIN,
				  L2TP_PPP_DISC_AT_LOCAL, 6 /* RFC 2866 Admin Reset */,
				  "PPPoE session cleared");
	pppoe_lac_local_end(l, padt_from_peer);	/* Accounting-Stop, before pppN goes */
	pppoe_lac_chan_close(l);	/* unbridged, the kernel's PPPoE session closed */
	ppp_free(l->ppp);	/* nothing sent, no down() */
	free(l->px);
	if (l->pool[0] != '\0')
		ippool_free(a->d->pools, l->pool, l->peer_addr);
	free(l);
}

int pppoe_lac_info(const struct pppoe_session *s, struct pppoe_lac_info *info)
{
	const struct pppoe_lac *l = s->upper;

	if (l == NULL)
		return -ENOENT;
	memset(info, 0, sizeof(*info));
	info->state = l->state;
	info->user = l->user;
	info->ifname = l->ifname;
	if (l->ls != NULL)
		l2tp_relay_ids(l->ls, &info->tunnel_id, &info->session_id);
	if ((l->state == PPPOE_LAC_RELAYING || l->state == PPPOE_LAC_BRIDGED) && l->ls != NULL &&
	    l2tp_relay_frames(l->ls, &info->frames_up, &info->frames_down) == 0)
		info->has_frames = 1;
	if (l->state == PPPOE_LAC_LOCAL_UP)
		info->peer_addr = l->peer_addr.s_addr;
	return 0;
}

void pppoe_lac_bridged_frames(const struct pppoe_access *a, uint64_t *up, uint64_t *down)
{
	const struct pppoe_session *s;

	*up = a->lac.bridged_up;
	*down = a->lac.bridged_down;
	TAILQ_FOREACH(s, &a->ac->sessions, link) {
		const struct pppoe_lac *l = s->upper;
		uint64_t u, dn;

		if (l != NULL && l->state == PPPOE_LAC_BRIDGED &&
		    l2tp_relay_frames(l->ls, &u, &dn) == 0) {
			*up += u;
			*down += dn;
		}
	}
}
