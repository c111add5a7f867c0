/*
 * The access concentrator's discovery stage (RFC 2516 §5): PADI answered
 * by a PADO with a keyed cookie, PADR with a valid cookie answered by a
 * PADS and a new session, PADT ending one.  Every frame refused is
 * counted by reason (struct pppoe_stats).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/idmap.h"
#include "pppoe/ac.h"
#include "pppoe/ac_int.h"

static const char *const end_names[PPPOE_END_MAX] = {
	[PPPOE_END_PADT] = "padt",
	[PPPOE_END_CLEAR] = "clear",
	[PPPOE_END_LOCAL] = "local",
	[PPPOE_END_SHUTDOWN] = "shutdown",
};

const char *pppoe_end_name(enum pppoe_end e)
{
	return (unsigned)e < PPPOE_END_MAX ? end_names[e] : "?";
}

static void pado_timer_cb(struct l2tp_timer *t, void *arg);

static const char *code_name(uint8_t code)
{
	switch (code) {
	case PPPOE_CODE_PADI: return "PADI";
	case PPPOE_CODE_PADO: return "PADO";
	case PPPOE_CODE_PADR: return "PADR";
	case PPPOE_CODE_PADS: return "PADS";
	case PPPOE_CODE_PADT: return "PADT";
	case PPPOE_CODE_SESS: return "session frame";
	default: return "frame";
	}
}

/* `debug pppoe error`: a frame refused, why, from whom. */
static void refused(const struct pppoe_ac *ac, const struct pppoe_frame *f, const char *why)
{
	char mac[18];

	if (!ac->log || !(ac->log->debug & LOG_DBG_PPPOE_ERROR))
		return;
	pppoe_mac_fmt(mac, sizeof mac, f->src);
	log_debug(ac->log, LOG_DBG_PPPOE_ERROR, "pppoe: %s from %s (session %u) refused: %s",
		  code_name(f->code), mac, f->session_id, why);
}

/* `debug pppoe packet`: a discovery frame each way. */
static void trace(const struct pppoe_ac *ac, const char *dir, const struct pppoe_if *ifp,
		  const uint8_t mac[PPPOE_ETH_ALEN], uint8_t code, uint16_t sid, size_t len)
{
	char m[18];

	if (!ac->log || !(ac->log->debug & LOG_DBG_PPPOE_PACKET))
		return;
	pppoe_mac_fmt(m, sizeof m, mac);
	log_debug(ac->log, LOG_DBG_PPPOE_PACKET, "pppoe: %s %s %s %s on %s, session %u, %zu octets",
		  dir, code_name(code), dir[0] == 'r' ? "from" : "to", m, ifp->name, sid, len);
}

struct pppoe_ac *pppoe_ac_create(struct l2tp_clock *clk, const struct pppoe_ac_ops *ops,
				 void *arg, void (*draw)(void *buf, size_t len))
{
	struct pppoe_ac *ac = calloc(1, sizeof *ac);

	if (!ac)
		return NULL;
	ac->clk = clk;
	ac->ops = ops;
	ac->arg = arg;
	ac->draw = draw;
	TAILQ_INIT(&ac->ifs);
	TAILQ_INIT(&ac->sessions);
	for (unsigned i = 0; i < PPPOE_MAC_BUCKETS; i++)
		LIST_INIT(&ac->by_mac[i]);
	ac->by_id = idmap_create();
	ac->mac_rate = calloc(PPPOE_MAC_SLOTS, sizeof *ac->mac_rate);
	if (!ac->by_id || !ac->mac_rate) {
		idmap_destroy(ac->by_id);
		free(ac->mac_rate);
		free(ac);
		return NULL;
	}
	draw(&ac->salt, sizeof ac->salt);
	pppoe_cookie_init(&ac->key, PPPOE_COOKIE_LIFETIME, draw);
	ac->lim = (struct pppoe_limits){ 10, 1000, 2000, 1000 };
	clock_timer_init(&ac->pado_timer, pado_timer_cb, ac);
	return ac;
}

void pppoe_ac_destroy(struct pppoe_ac *ac)
{
	struct pppoe_session *s;
	struct pppoe_if *ifp;

	if (!ac)
		return;
	while ((s = TAILQ_FIRST(&ac->sessions)))
		pppoe_session_close(ac, s, PPPOE_END_SHUTDOWN);
	while ((ifp = TAILQ_FIRST(&ac->ifs))) {
		TAILQ_REMOVE(&ac->ifs, ifp, link);
		free(ifp);
	}
	clock_timer_stop(ac->clk, &ac->pado_timer);
	idmap_destroy(ac->by_id);
	free(ac->mac_rate);
	free(ac->pado_q);
	memset(&ac->key, 0, sizeof ac->key);
	free(ac);
}

void pppoe_ac_set_limits(struct pppoe_ac *ac, const struct pppoe_limits *lim)
{
	ac->lim = *lim;
}

struct pppoe_if *pppoe_ac_if_add(struct pppoe_ac *ac, const char *name, int ifindex,
				 const uint8_t mac[PPPOE_ETH_ALEN], const uint16_t *vlan,
				 unsigned nvlan)
{
	struct pppoe_if *ifp;

	if (nvlan > PPPOE_MAX_VLANS || strlen(name) >= PPPOE_IFNAME_MAX)
		return NULL;
	ifp = calloc(1, sizeof *ifp);
	if (!ifp)
		return NULL;
	memcpy(ifp->name, name, strlen(name) + 1);
	ifp->ifindex = ifindex;
	memcpy(ifp->mac, mac, PPPOE_ETH_ALEN);
	ifp->nvlan = (uint8_t)nvlan;
	for (unsigned i = 0; i < nvlan; i++)
		ifp->vlan[i] = vlan[i];
	TAILQ_INSERT_TAIL(&ac->ifs, ifp, link);
	return ifp;
}

struct pppoe_if *pppoe_ac_if_find(const struct pppoe_ac *ac, const char *name)
{
	struct pppoe_if *ifp;

	TAILQ_FOREACH(ifp, &ac->ifs, link)
		if (strcmp(ifp->name, name) == 0)
			return ifp;
	return NULL;
}

/* The access interface of a frame: its port and exactly its VLAN tags. */
static struct pppoe_if *if_of_frame(struct pppoe_ac *ac, int ifindex,
				    const struct pppoe_frame *f)
{
	struct pppoe_if *ifp;

	TAILQ_FOREACH(ifp, &ac->ifs, link) {
		if (ifp->ifindex != ifindex || ifp->nvlan != f->nvlan)
			continue;
		if (memcmp(ifp->vlan, f->vlan, f->nvlan * sizeof f->vlan[0]) == 0)
			return ifp;
	}
	return NULL;
}

static int xmit(struct pppoe_ac *ac, struct pppoe_if *ifp, struct pppoe_buf *b)
{
	int n = pppoe_buf_finish(b);

	if (n >= 0) {
		trace(ac, "sent", ifp, b->buf, b->buf[b->hdr + 1],
		      (uint16_t)(b->buf[b->hdr + 2] << 8 | b->buf[b->hdr + 3]), (size_t)n);
		n = ac->ops->send(ac->arg, ifp, b->buf, (size_t)n);
	}
	if (n < 0)
		ac->stats.tx_errors++;
	return n < 0 ? n : 0;
}

/* A discovery answer to the frame's sender, on its VLANs. */
static void answer_init(struct pppoe_buf *b, const struct pppoe_if *ifp,
			const struct pppoe_frame *f, uint8_t code, uint16_t sid)
{
	pppoe_buf_init(b, f->src, ifp->mac, ifp->vlan, ifp->nvlan, PPPOE_ETH_P_DISC, code, sid);
}

/* The tags every answer echoes (§5.2, §5.4, Appendix A: Host-Uniq and
 * Relay-Session-Id "MUST" be included unmodified). */
static void put_echoes(struct pppoe_buf *b, const struct pppoe_tags *t)
{
	pppoe_put_echo(b, PPPOE_TAG_SERVICE_NAME, &t->service_name);
	pppoe_put_echo(b, PPPOE_TAG_HOST_UNIQ, &t->host_uniq);
	pppoe_put_echo(b, PPPOE_TAG_RELAY_SID, &t->relay_sid);
	/* RFC 4638 §5: echoed when we can carry it; our ports are 1500 */
	if (t->max_payload && t->max_payload <= PPPOE_ETH_MTU - 8)
		pppoe_put_u16_tag(b, PPPOE_TAG_MAX_PAYLOAD, t->max_payload);
}

static uint32_t now_s(const struct pppoe_ac *ac)
{
	return (uint32_t)(clock_now(ac->clk) / 1000);
}

/* Would one more session of this MAC on ifp break a limit? */
static int over_limit(const struct pppoe_ac *ac, const struct pppoe_if *ifp,
		      const uint8_t mac[PPPOE_ETH_ALEN])
{
	if (ifp->max_sessions && ifp->n_sessions >= ifp->max_sessions)
		return 1;
	if (ifp->per_mac_limit && pppoe_sessions_of_mac(ac, mac) >= ifp->per_mac_limit)
		return 1;
	return ac->n_sessions >= 65535;
}

static void pado_send(struct pppoe_ac *ac, struct pppoe_if *ifp, struct pppoe_buf *b)
{
	if (!ifp->pado_delay_ms) {
		if (xmit(ac, ifp, b) == 0)
			ac->stats.pado_tx++;
		return;
	}
	pppoe_pado_defer(ac, ifp, b);
}

static void on_padi(struct pppoe_ac *ac, struct pppoe_if *ifp, const struct pppoe_frame *f,
		    const struct pppoe_tags *t)
{
	struct pppoe_buf *b = &ac->txb;
	uint8_t cookie[PPPOE_COOKIE_LEN];
	const char *ac_name = ifp->ac_name;

	ac->stats.rx_padi++;
	if (!pppoe_rate_take(&ac->total_rate, clock_now(ac->clk), ac->lim.padi_total,
			     ac->lim.padi_total_ms)) {
		ac->stats.padi_rate_total++;
		refused(ac, f, "over the total PADI rate");
		return;
	}
	if (!pppoe_mac_rate_take(ac, f->src)) {
		ac->stats.padi_rate_mac++;
		refused(ac, f, "over the PADI rate of its MAC");
		return;
	}
	if (over_limit(ac, ifp, f->src)) {
		ac->stats.padi_limit++;
		refused(ac, f, "a session limit is reached");
		return;
	}
	pppoe_cookie_make(&ac->key, now_s(ac), ac->pado_seq++, (uint32_t)ifp->ifindex, f->src,
			  cookie);
	answer_init(b, ifp, f, PPPOE_CODE_PADO, 0);
	pppoe_put_tag(b, PPPOE_TAG_AC_NAME, ac_name, strlen(ac_name));
	put_echoes(b, t);
	pppoe_put_tag(b, PPPOE_TAG_AC_COOKIE, cookie, sizeof cookie);
	pado_send(ac, ifp, b);
}

/* §5.4: a PADS with SESSION_ID 0 and an error tag: no session. */
static void pads_refuse(struct pppoe_ac *ac, struct pppoe_if *ifp, const struct pppoe_frame *f,
			const struct pppoe_tags *t, const char *why)
{
	struct pppoe_buf *b = &ac->txb;

	answer_init(b, ifp, f, PPPOE_CODE_PADS, 0);
	put_echoes(b, t);
	pppoe_put_tag(b, PPPOE_TAG_AC_ERR, why, strlen(why));
	if (xmit(ac, ifp, b) == 0)
		ac->stats.pads_refused++;
}

static void pads_send(struct pppoe_ac *ac, struct pppoe_session *s, const struct pppoe_frame *f,
		      const struct pppoe_tags *t)
{
	struct pppoe_buf *b = &ac->txb;

	answer_init(b, s->ifp, f, PPPOE_CODE_PADS, s->id);
	put_echoes(b, t);
	if (xmit(ac, s->ifp, b) == 0)
		ac->stats.pads_tx++;
}

/* The cookie of a PADR: ours, for this MAC and interface, young enough. */
static int padr_cookie_ok(struct pppoe_ac *ac, struct pppoe_if *ifp,
			  const struct pppoe_frame *f, const struct pppoe_tags *t)
{
	int r;

	if (!t->cookie.present) {
		ac->stats.padr_no_cookie++;
		refused(ac, f, "no AC-Cookie");
		return 0;
	}
	r = pppoe_cookie_check(&ac->key, now_s(ac), (uint32_t)ifp->ifindex, f->src,
			       t->cookie.p, t->cookie.len);
	if (r == -ETIMEDOUT) {
		ac->stats.padr_stale_cookie++;
		refused(ac, f, "stale AC-Cookie");
	} else if (r < 0) {
		ac->stats.padr_bad_cookie++;
		refused(ac, f, "AC-Cookie not ours for this MAC and interface");
	}
	return r == 0;
}

static void on_padr(struct pppoe_ac *ac, struct pppoe_if *ifp, const struct pppoe_frame *f,
		    const struct pppoe_tags *t)
{
	struct pppoe_session *s;

	ac->stats.rx_padr++;
	if (!padr_cookie_ok(ac, ifp, f, t))
		return;	/* a PADR without a PADO of ours gets nothing */
	s = pppoe_session_by_cookie(ac, ifp, f->src, t->cookie.p);
	if (s) {
		/* our PADS was lost: the same session again (§5.4) */
		ac->stats.padr_dup++;
		pads_send(ac, s, f, t);
		return;
	}
	if (over_limit(ac, ifp, f->src)) {
		pads_refuse(ac, ifp, f, t, "session limit reached");
		return;
	}
	s = pppoe_session_new(ac, ifp, f, t);
	if (!s) {
		pads_refuse(ac, ifp, f, t, "out of resources");
		return;
	}
	pads_send(ac, s, f, t);
	ac->ops->session_up(ac->arg, s);
}

static void on_padt(struct pppoe_ac *ac, struct pppoe_if *ifp, const struct pppoe_frame *f)
{
	struct pppoe_session *s = pppoe_session_find(ac, f->session_id);

	ac->stats.rx_padt++;
	/* §5.5: only the session's peer ends it; no answer either way */
	if (!s || s->ifp != ifp || memcmp(s->mac, f->src, PPPOE_ETH_ALEN) != 0) {
		ac->stats.padt_rx_unknown++;
		refused(ac, f, "no such session of the sender");
		return;
	}
	pppoe_session_end(ac, s, PPPOE_END_PADT, 0);
}

static void on_discovery(struct pppoe_ac *ac, struct pppoe_if *ifp,
			 const struct pppoe_frame *f)
{
	struct pppoe_tags t;
	enum pppoe_err why;

	trace(ac, "received", ifp, f->src, f->code, f->session_id, f->len);
	if (pppoe_tags_parse(f, &t, &why) < 0) {
		ac->stats.rx_err[why]++;
		refused(ac, f, pppoe_err_name(why));
		return;
	}
	if (ac->hold_discovery && (f->code == PPPOE_CODE_PADI || f->code == PPPOE_CODE_PADR)) {
		/* the subscriber retries it once the rebuild is over */
		ac->stats.disc_held++;
		refused(ac, f, "held while a takeover rebuilds");
		return;
	}
	switch (f->code) {
	case PPPOE_CODE_PADI:
		on_padi(ac, ifp, f, &t);
		break;
	case PPPOE_CODE_PADR:
		on_padr(ac, ifp, f, &t);
		break;
	case PPPOE_CODE_PADT:
		on_padt(ac, ifp, f);
		break;
	default:
		ac->stats.rx_unexpected++;	/* PADO, PADS: a client's to receive */
		refused(ac, f, "a client's to receive");
		break;
	}
}

void pppoe_ac_input(struct pppoe_ac *ac, int ifindex, const uint8_t *frame, size_t len)
{
	struct pppoe_frame f;
	struct pppoe_if *ifp;
	enum pppoe_err why;

	ac->stats.rx_frames++;
	if (pppoe_frame_parse(frame, len, &f, &why) < 0) {
		ac->stats.rx_err[why]++;
		refused(ac, &f, pppoe_err_name(why));
		return;
	}
	ifp = if_of_frame(ac, ifindex, &f);
	if (!ifp) {
		ac->stats.rx_no_if++;
		refused(ac, &f, "no access interface for its port and VLANs");
		return;
	}
	if (f.ethertype == PPPOE_ETH_P_DISC)
		on_discovery(ac, ifp, &f);
	else
		pppoe_session_input(ac, ifp, &f);
}

/* ---- `pado delay`: PADOs held in a bounded ring, sent by one timer ---- */

void pppoe_pado_defer(struct pppoe_ac *ac, struct pppoe_if *ifp, struct pppoe_buf *b)
{
	struct pppoe_pending_pado *p;
	int n = pppoe_buf_finish(b);

	if (n < 0) {
		ac->stats.tx_errors++;
		return;
	}
	if (!ac->pado_q)
		ac->pado_q = calloc(PPPOE_PADO_QUEUE, sizeof *ac->pado_q);
	if (!ac->pado_q || ac->pado_n == PPPOE_PADO_QUEUE) {
		ac->stats.pado_queue_full++;
		return;
	}
	p = &ac->pado_q[(ac->pado_head + ac->pado_n++) % PPPOE_PADO_QUEUE];
	p->ifp = ifp;
	p->due_ms = clock_now(ac->clk) + ifp->pado_delay_ms;
	p->len = (uint16_t)n;
	memcpy(p->frame, b->buf, (size_t)n);
	if (ac->pado_n == 1)
		clock_timer_start(ac->clk, &ac->pado_timer, ifp->pado_delay_ms);
}

/* Due PADOs leave in order; delays differ by interface, so a later one
 * may be due first: the head waits, the timer re-arms for it. */
static void pado_timer_cb(struct l2tp_timer *t, void *arg)
{
	struct pppoe_ac *ac = arg;
	uint64_t now = clock_now(ac->clk);

	(void)t;
	while (ac->pado_n) {
		struct pppoe_pending_pado *p = &ac->pado_q[ac->pado_head];

		if (p->due_ms > now) {
			clock_timer_start(ac->clk, &ac->pado_timer, p->due_ms - now);
			return;
		}
		if (p->ifp && ac->ops->send(ac->arg, p->ifp, p->frame, p->len) == 0)
			ac->stats.pado_tx++;
		else
			ac->stats.tx_errors++;
		ac->pado_head = (ac->pado_head + 1) % PPPOE_PADO_QUEUE;
		ac->pado_n--;
	}
}
