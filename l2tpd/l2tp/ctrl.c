/*
 * The reliable control channel of one tunnel (RFC 2661 §5.8, Appendix A).
 *
 * Sequence space, all modulo 2^16:
 *
 *     una ........ ns            sent: in flight, awaiting an Nr past them
 *     (pending)                  not numbered yet: waiting for the window
 *     nr                         next Ns we expect from the peer
 *     nr+1 .. nr+rws             ooo[]: arrived early, held for delivery
 *
 * A message takes its Ns when it enters the send window, not when the
 * tunnel hands it over: c->ns is then always the next Ns on the wire, which
 * is what a ZLB must carry (§5.8), and "Nr beyond c->ns" is exactly "Nr
 * acknowledging a message never sent".
 *
 * Reentrancy: the deliver callback may call l2tp_ctrl_send() and
 * l2tp_ctrl_set_peer(); no list iterator or cached pointer into the queues
 * is held across any callback, and the dead and hello callbacks are the
 * last thing their timer does, so they may even destroy the channel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "l2tp/avp.h"
#include "l2tp/ctrl.h"

#define L2TP_CTRL_DEFAULT_WINDOW	4	/* §5.8, §4.4.3: RWS absent */
#define L2TP_CTRL_MAX_WINDOW		32767	/* keeps modulo 2^16 comparisons unambiguous */

void l2tp_ctrl_cfg_default(struct l2tp_ctrl_cfg *cfg)
{
	cfg->rws = L2TP_CTRL_DEFAULT_WINDOW;
	cfg->retries = 5;
	cfg->rto_min_ms = 1000;
	cfg->rto_max_ms = 8000;
	cfg->ack_delay_ms = 100;
	cfg->hello_ms = 60000;
	cfg->resync_gap_ms = 9000;
	cfg->resync_rto_ms = 100;
	cfg->resync_first_ms = 20;
}

int l2tp_seq_before(uint16_t a, uint16_t b)
{
	uint16_t d = (uint16_t)(b - a);

	return d >= 1 && d <= 32767;
}

static uint16_t l2tp_ctrl_window(uint16_t w)
{
	if (w == 0)
		return L2TP_CTRL_DEFAULT_WINDOW;
	return w > L2TP_CTRL_MAX_WINDOW ? L2TP_CTRL_MAX_WINDOW : w;
}

/* Computed from the queue, so code that moves c->ns while nothing is in
 * flight (tests, resynchronisation) cannot confuse the window. */
static unsigned l2tp_ctrl_in_flight(const struct l2tp_ctrl *c)
{
	const struct l2tp_ctrl_pkt *p = TAILQ_FIRST(&c->sent);

	return p ? (uint16_t)(c->ns - p->ns) : 0;
}

static void l2tp_ctrl_timer_start(struct l2tp_ctrl *c, struct l2tp_timer *t, uint64_t ms)
{
	/* Only fails to grow the heap; a missed timer is a lost packet the
	 * next event recovers from, so count it with the send errors. */
	if (clock_timer_start(c->clk, t, ms) < 0)
		c->stats.tx_errors++;
}

/*
 * When the oldest unacknowledged message is next resent.  Resynchronising
 * (DESIGN.md, resync step 2), a probe may be lost while the address moves
 * (the peer still sends to the dead box until the gratuitous ARP lands): it
 * is resent resync_first_ms after its first sending (the peer acknowledges
 * a duplicate at once, §5.8, where it may delay the acknowledgement of the
 * first copy), then every resync_rto_ms until rto_min_ms after its first
 * sending, where the ordinary schedule (§5.8) takes over.
 */
static uint64_t l2tp_ctrl_rtx_delay(const struct l2tp_ctrl *c)
{
	const struct l2tp_ctrl_pkt *p = TAILQ_FIRST(&c->sent);
	uint64_t now, due, step;

	if (!c->resync || c->cfg.resync_rto_ms == 0 || p == NULL || c->rtx_count > 0 ||
	    c->cfg.resync_rto_ms >= c->rto_ms)
		return c->rto_ms;
	now = clock_now(c->clk);
	due = p->first_tx_ms + c->rto_ms;	/* the first ordinary retransmission */
	if (due <= now)
		return c->rto_ms;
	step = c->cfg.resync_rto_ms;
	if (p->tries <= 1 && c->cfg.resync_first_ms != 0 && c->cfg.resync_first_ms < step)
		step = c->cfg.resync_first_ms;
	return due - now < step ? due - now : step;
}

static void l2tp_ctrl_rtx_arm(struct l2tp_ctrl *c)
{
	l2tp_ctrl_timer_start(c, &c->rtx_timer, l2tp_ctrl_rtx_delay(c));
}

static void l2tp_ctrl_pktq_free(struct l2tp_ctrl_pktq *q)
{
	struct l2tp_ctrl_pkt *p;

	while ((p = TAILQ_FIRST(q)) != NULL) {
		TAILQ_REMOVE(q, p, link);
		free(p);
	}
}

static struct l2tp_ctrl_pkt *l2tp_ctrl_pkt_new(const uint8_t *buf, size_t len)
{
	struct l2tp_ctrl_pkt *p = malloc(sizeof(*p) + len);

	if (!p)
		return NULL;
	memset(p, 0, sizeof(*p));
	p->len = len;
	memcpy(p->buf, buf, len);
	return p;
}

/* A message we send carries our Nr: nothing is left to acknowledge. */
static void l2tp_ctrl_ack_sent(struct l2tp_ctrl *c)
{
	c->ack_pending = 0;
	c->ack_owed = 0;
	clock_timer_stop(c->clk, &c->ack_timer);
}

/* (Re)transmit p with the Nr of this moment (§5.8: Nr in every message). */
static void l2tp_ctrl_xmit_pkt(struct l2tp_ctrl *c, struct l2tp_ctrl_pkt *p)
{
	l2tp_hdr_set_seq(p->buf, p->ns, c->nr);
	p->tries++;
	p->last_tx_ms = clock_now(c->clk);
	l2tp_ctrl_ack_sent(c);
	if (c->ops->xmit(c->arg, p->buf, p->len) < 0)
		c->stats.tx_errors++;
}

/* §5.8: a ZLB carries our next Ns (not incremented) and our Nr; it is
 * never queued nor retransmitted. */
static void l2tp_ctrl_send_zlb(struct l2tp_ctrl *c)
{
	struct l2tp_msgbuf b;
	int len;

	l2tp_ctrl_ack_sent(c);
	l2tp_msgbuf_init_zlb(&b, c->peer_tunnel_id);
	len = l2tp_msgbuf_finish(&b);
	if (len < 0) {
		c->stats.tx_errors++;
		return;
	}
	l2tp_hdr_set_seq(b.buf, c->ns, c->nr);
	c->stats.tx_zlb++;
	if (c->ops->xmit(c->arg, b.buf, (size_t)len) < 0)
		c->stats.tx_errors++;
}

/*
 * Move waiting messages into the send window while it has room: at most
 * swnd (the peer's RWS) unacknowledged messages in flight (§5.8).
 */
static void l2tp_ctrl_fill_window(struct l2tp_ctrl *c)
{
	struct l2tp_ctrl_pkt *p;

	while (!c->dead && (p = TAILQ_FIRST(&c->pending)) != NULL &&
	       l2tp_ctrl_in_flight(c) < c->swnd) {
		/* Resynchronising: new messages wait, but for a probe. */
		if (c->resync) {
			if (c->probe_allow == 0)
				break;
			c->probe_allow--;
		}
		TAILQ_REMOVE(&c->pending, p, link);
		c->n_pending--;
		if (TAILQ_EMPTY(&c->sent))
			c->una = c->ns;
		p->ns = c->ns++;
		p->first_tx_ms = clock_now(c->clk);
		TAILQ_INSERT_TAIL(&c->sent, p, link);
		c->stats.tx_msgs++;
		if (c->ops->numbered) {
			/* The checkpoint copy carries the Ns it has on the wire. */
			l2tp_hdr_set_seq(p->buf, p->ns, c->nr);
			c->ops->numbered(c->arg, p->ns, p->buf, p->len);
		}
		l2tp_ctrl_xmit_pkt(c, p);
		if (!clock_timer_pending(&c->rtx_timer))
			l2tp_ctrl_rtx_arm(c);
	}
}

/* Everything stops; ops->dead is called once, last (it may destroy c). */
static void l2tp_ctrl_die(struct l2tp_ctrl *c)
{
	l2tp_ctrl_stop(c);
	if (c->ops->dead)
		c->ops->dead(c->arg);
}

/*
 * Retransmission timeout for the oldest unacknowledged message.
 *
 * Only the oldest is resent: after a timeout Appendix A drops the
 * congestion window to one message, and a peer that queues out-of-order
 * messages (as we do) acknowledges everything it holds once the gap is
 * filled, so resending the whole window would mostly add duplicates to a
 * path that is already losing packets.  The next message gets its own
 * timer (from rto_min) once the oldest is acknowledged, or is resent at
 * once if it has already waited that long (l2tp_ctrl_rtx_next).
 *
 * §5.8: the timeout doubles up to rto_max; after `retries` retransmissions
 * without progress the peer is declared dead.
 */
static void l2tp_ctrl_rtx_expired(struct l2tp_timer *t, void *arg)
{
	struct l2tp_ctrl *c = arg;
	struct l2tp_ctrl_pkt *p = TAILQ_FIRST(&c->sent);

	if (c->dead || !p)
		return;
	if (c->resync && c->rtx_count == 0 && c->cfg.resync_rto_ms != 0 &&
	    c->cfg.resync_rto_ms < c->rto_ms && clock_now(c->clk) < p->first_tx_ms + c->rto_ms) {
		/* Resynchronising: the short resend of a probe; the ordinary
		 * schedule is untouched (l2tp_ctrl_rtx_delay). */
		c->stats.tx_retransmits++;
		c->stats.resync_fast_rtx++;
		l2tp_ctrl_xmit_pkt(c, p);
		l2tp_ctrl_rtx_arm(c);
		return;
	}
	if (c->rtx_count >= c->cfg.retries) {
		l2tp_ctrl_die(c);
		return;
	}
	c->rtx_count++;
	c->stats.tx_retransmits++;
	c->rto_ms = c->rto_ms > c->cfg.rto_max_ms / 2 ? c->cfg.rto_max_ms : c->rto_ms * 2;
	l2tp_ctrl_xmit_pkt(c, p);
	l2tp_ctrl_timer_start(c, &c->rtx_timer, c->rto_ms);
}

static void l2tp_ctrl_ack_expired(struct l2tp_timer *t, void *arg)
{
	struct l2tp_ctrl *c = arg;

	if (!c->dead && c->ack_pending)
		l2tp_ctrl_send_zlb(c);
}

static void l2tp_ctrl_deliver_in_order(struct l2tp_ctrl *c, const struct l2tp_hdr *h,
				       const uint8_t *buf, size_t len);

/*
 * Resync (DESIGN.md, step 3): the peer's messages begin past our Nr and
 * nothing filled the gap in resync_gap_ms, though a peer retransmits what
 * it has not seen acknowledged within its backoff cap (§5.8: 8 s).  So the old
 * active acknowledged them before they were checkpointed: our Nr moves to
 * the first message held, and delivery goes on from there.
 */
static void l2tp_ctrl_gap_expired(struct l2tp_timer *t, void *arg)
{
	struct l2tp_ctrl *c = arg;
	struct l2tp_ctrl_pkt *p;
	unsigned i = 0;

	if (c->dead || !c->learn_nr || c->ooo_n == 0)
		return;
	while (c->ooo[i] == NULL)
		i++;
	p = c->ooo[i];
	/* ooo[k] holds Ns nr+1+k: with nr at p's Ns, ooo[0] is p's successor. */
	memmove(&c->ooo[0], &c->ooo[i + 1], (size_t)(c->cfg.rws - i - 1) * sizeof(*c->ooo));
	memset(&c->ooo[c->cfg.rws - i - 1], 0, (size_t)(i + 1) * sizeof(*c->ooo));
	c->ooo_n--;
	c->nr = p->ns;
	c->learn_nr = 0;
	c->stats.resync_nr_jumps++;
	l2tp_ctrl_deliver_in_order(c, &p->hdr, p->buf, p->len);
	free(p);
}

/* hello_ms of silence.  A message since the timer was armed moved the
 * silence's start (last_rx_ms) without moving the timer: it is armed again
 * for what is left.  Otherwise not re-armed: the HELLO the tunnel sends is
 * itself reliable, so its acknowledgement arms this timer again and its
 * loss ends in ops->dead. */
static void l2tp_ctrl_hello_expired(struct l2tp_timer *t, void *arg)
{
	struct l2tp_ctrl *c = arg;
	uint64_t quiet;

	if (c->dead)
		return;
	quiet = clock_now(c->clk) - c->last_rx_ms;
	if (quiet < c->cfg.hello_ms) {
		l2tp_ctrl_timer_start(c, &c->hello_timer, c->cfg.hello_ms - quiet);
		return;
	}
	if (c->ops->hello)
		c->ops->hello(c->arg);
}

int l2tp_ctrl_init(struct l2tp_ctrl *c, struct l2tp_clock *clk, const struct l2tp_ctrl_cfg *cfg,
		   const struct l2tp_ctrl_ops *ops, void *arg)
{
	if (!c || !clk || !ops || !ops->xmit || !ops->deliver)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->clk = clk;
	c->ops = ops;
	c->arg = arg;
	if (cfg)
		c->cfg = *cfg;
	else
		l2tp_ctrl_cfg_default(&c->cfg);
	c->cfg.rws = l2tp_ctrl_window(c->cfg.rws);
	if (c->cfg.rto_min_ms == 0)
		c->cfg.rto_min_ms = 1000;
	if (c->cfg.rto_max_ms < c->cfg.rto_min_ms)
		c->cfg.rto_max_ms = c->cfg.rto_min_ms;

	c->swnd = L2TP_CTRL_DEFAULT_WINDOW;
	c->rto_ms = c->cfg.rto_min_ms;
	TAILQ_INIT(&c->sent);
	TAILQ_INIT(&c->pending);
	c->ooo = calloc(c->cfg.rws, sizeof(*c->ooo));
	if (!c->ooo)
		return -ENOMEM;
	clock_timer_init(&c->rtx_timer, l2tp_ctrl_rtx_expired, c);
	clock_timer_init(&c->ack_timer, l2tp_ctrl_ack_expired, c);
	clock_timer_init(&c->hello_timer, l2tp_ctrl_hello_expired, c);
	clock_timer_init(&c->gap_timer, l2tp_ctrl_gap_expired, c);
	if (c->cfg.resync_gap_ms == 0)
		c->cfg.resync_gap_ms = 9000;
	if (c->cfg.hello_ms) {
		c->last_rx_ms = clock_now(c->clk);
		l2tp_ctrl_timer_start(c, &c->hello_timer, c->cfg.hello_ms);
	}
	return 0;
}

void l2tp_ctrl_destroy(struct l2tp_ctrl *c)
{
	uint16_t i;

	if (!c->clk)
		return;
	clock_timer_stop(c->clk, &c->rtx_timer);
	clock_timer_stop(c->clk, &c->ack_timer);
	clock_timer_stop(c->clk, &c->hello_timer);
	clock_timer_stop(c->clk, &c->gap_timer);
	l2tp_ctrl_pktq_free(&c->sent);
	l2tp_ctrl_pktq_free(&c->pending);
	c->n_pending = 0;
	if (c->ooo) {
		for (i = 0; i < c->cfg.rws; i++)
			free(c->ooo[i]);
		free(c->ooo);
		c->ooo = NULL;
	}
	c->ooo_n = 0;
	c->ack_pending = 0;
	c->clk = NULL;
}

void l2tp_ctrl_set_peer(struct l2tp_ctrl *c, uint16_t peer_tunnel_id, uint16_t peer_rws)
{
	c->peer_tunnel_id = peer_tunnel_id;
	c->swnd = l2tp_ctrl_window(peer_rws);
	/* A wider window lets waiting messages go. */
	l2tp_ctrl_fill_window(c);
}

int l2tp_ctrl_send(struct l2tp_ctrl *c, const uint8_t *buf, size_t len)
{
	struct l2tp_ctrl_pkt *p;

	if (c->dead)
		return -EPIPE;
	/* A non-ZLB control message: T bit, header and at least one AVP. */
	if (!buf || len <= L2TP_HDR_LEN_CTRL || len > L2TP_MAX_MSG_LEN ||
	    !(buf[0] & (L2TP_HDR_T >> 8)))
		return -EINVAL;
	p = l2tp_ctrl_pkt_new(buf, len);
	if (!p)
		return -ENOMEM;
	TAILQ_INSERT_TAIL(&c->pending, p, link);
	c->n_pending++;
	l2tp_ctrl_fill_window(c);
	if (c->n_pending > 0 && TAILQ_LAST(&c->pending, l2tp_ctrl_pktq) == p && !c->resync &&
	    !c->dead && c->ops->queued) {
		/* Still waiting: it takes the Ns after those waiting before it
		 * (HA checkpoints it now, so a failover cannot lose it). */
		uint16_t ns = (uint16_t)(c->ns + c->n_pending - 1);

		l2tp_hdr_set_seq(p->buf, ns, c->nr);
		c->ops->queued(c->arg, ns, p->buf, p->len);
	}
	return 0;
}

/* --- HA resynchronisation ------------------------------------------------ */

void l2tp_ctrl_restore(struct l2tp_ctrl *c, uint16_t ns, uint16_t nr, uint16_t una,
		       uint16_t peer_rws)
{
	uint16_t i;

	l2tp_ctrl_pktq_free(&c->sent);
	for (i = 0; c->ooo != NULL && i < c->cfg.rws; i++) {
		free(c->ooo[i]);
		c->ooo[i] = NULL;
	}
	c->ooo_n = 0;
	c->ns = ns;
	c->nr = nr;
	c->una = una;
	c->swnd = l2tp_ctrl_window(peer_rws);
	c->rto_ms = c->cfg.rto_min_ms;
	c->rtx_count = 0;
	clock_timer_stop(c->clk, &c->rtx_timer);
}

int l2tp_ctrl_restore_msg(struct l2tp_ctrl *c, uint16_t ns, const uint8_t *buf, size_t len)
{
	struct l2tp_ctrl_pkt *p, *last = TAILQ_LAST(&c->sent, l2tp_ctrl_pktq);
	struct l2tp_hdr h;

	/* It goes out as it is: a control message whose header holds (§3.1:
	 * T, L and S set, version 2) and whose Length is its length. */
	if (!buf || len <= L2TP_HDR_LEN_CTRL || len > L2TP_MAX_MSG_LEN ||
	    l2tp_hdr_parse(buf, len, &h) < 0 || !h.is_ctrl || h.length != len)
		return -EINVAL;
	/* Inside una .. ns-1, after the previous one. */
	if ((ns != c->una && !l2tp_seq_before(c->una, ns)) || !l2tp_seq_before(ns, c->ns))
		return -EINVAL;
	if (last != NULL && !l2tp_seq_before(last->ns, ns))
		return -EINVAL;
	p = l2tp_ctrl_pkt_new(buf, len);
	if (!p)
		return -ENOMEM;
	p->ns = ns;
	p->tries = 0;		/* not sent by us yet */
	TAILQ_INSERT_TAIL(&c->sent, p, link);
	return 0;
}

void l2tp_ctrl_continue(struct l2tp_ctrl *c)
{
	struct l2tp_ctrl_pkt *p;

	TAILQ_FOREACH(p, &c->sent, link)
		if (p->tries == 0)
			p->tries = 1;
	if (!TAILQ_EMPTY(&c->sent) && !clock_timer_pending(&c->rtx_timer))
		l2tp_ctrl_rtx_arm(c);
}

/* Send restored messages not sent yet, keeping at most resync_window of
 * the oldest in flight. */
static void l2tp_ctrl_resync_send(struct l2tp_ctrl *c)
{
	struct l2tp_ctrl_pkt *p;
	unsigned n = 0;

	TAILQ_FOREACH(p, &c->sent, link) {
		if (n++ >= c->resync_window || c->dead)
			break;
		if (p->tries == 0) {
			p->first_tx_ms = clock_now(c->clk);
			l2tp_ctrl_xmit_pkt(c, p);
		}
	}
	if (!TAILQ_EMPTY(&c->sent) && !clock_timer_pending(&c->rtx_timer))
		l2tp_ctrl_rtx_arm(c);
}

static void l2tp_ctrl_resync_commit(struct l2tp_ctrl *c)
{
	c->resync = 0;
	c->probe_allow = 0;
	if (c->ops->resynced)
		c->ops->resynced(c->arg);
	/* What waited goes now. */
	l2tp_ctrl_fill_window(c);
}

void l2tp_ctrl_resync_start(struct l2tp_ctrl *c, unsigned window)
{
	if (c->dead)
		return;
	if (window == 0)
		window = 1;
	c->resync = 1;
	c->learn_nr = 1;
	c->resync_window = (uint16_t)(window < c->swnd ? window : c->swnd);
	if (TAILQ_EMPTY(&c->sent)) {
		/* Nothing checkpointed is unacknowledged: one probe tells where
		 * the peer stands. */
		if (c->ops->probe) {
			c->probe_allow = 1;
			c->ops->probe(c->arg);
			c->probe_allow = 0;
		}
		if (TAILQ_EMPTY(&c->sent))
			l2tp_ctrl_resync_commit(c);
		return;
	}
	l2tp_ctrl_resync_send(c);
}

/*
 * The oldest was acknowledged and another is still in flight.  If that one
 * was last sent rto_min or longer ago, its own timeout has run out while it
 * waited behind the oldest: it is resent now, one message per
 * acknowledgement (Appendix A's window of one after a timeout).  Without
 * this, a whole window lost at once costs rto_min per message: a peer that
 * failed over had its predecessor receive our last window, and with 20
 * messages in flight the tunnel stalled for 20 s.  A message sent less
 * than rto_min ago keeps the ordinary timer.
 */
static void l2tp_ctrl_rtx_next(struct l2tp_ctrl *c)
{
	struct l2tp_ctrl_pkt *p = TAILQ_FIRST(&c->sent);

	if (!c->resync && clock_now(c->clk) - p->last_tx_ms >= c->cfg.rto_min_ms) {
		c->stats.tx_retransmits++;
		c->stats.tx_rtx_overdue++;
		l2tp_ctrl_xmit_pkt(c, p);
	}
	l2tp_ctrl_rtx_arm(c);
}

/*
 * The peer's Nr: the next Ns it expects, acknowledging every message
 * before it (§5.8).
 */
static int l2tp_ctrl_process_nr(struct l2tp_ctrl *c, uint16_t nr)
{
	struct l2tp_ctrl_pkt *p;
	int progress = 0;

	/*
	 * Resynchronising, an Nr past our Ns means the peer received messages
	 * the old active sent but never checkpointed: its Nr is our next Ns
	 * (DESIGN.md, resync step 3).  Bounded by the peer's window, which is
	 * all that could have been in flight; anything further is treated as
	 * the bad Nr it is.
	 */
	if (c->resync && l2tp_seq_before(c->ns, nr) && (uint16_t)(nr - c->ns) <= c->swnd) {
		c->stats.resync_jumps++;
		l2tp_ctrl_pktq_free(&c->sent);
		c->ns = nr;
		c->una = nr;
		c->rto_ms = c->cfg.rto_min_ms;
		c->rtx_count = 0;
		clock_timer_stop(c->clk, &c->rtx_timer);
		l2tp_ctrl_resync_commit(c);
		return 0;
	}

	/*
	 * An Nr beyond our next Ns acknowledges messages we never sent: the
	 * peer and we disagree about our sequence space (a corrupted or forged
	 * packet, or a peer out of step after a failover).  §5.8 defines no
	 * answer.  Freeing anything on its word could lose a message the peer
	 * never received, so the Nr is ignored and counted; the message's Ns is
	 * still processed (and acknowledged), because dropping the message
	 * would make the peer resend it with the same Nr until one side gives
	 * up: the tunnel decides what to do with -EBADMSG.
	 */
	if (l2tp_seq_before(c->ns, nr)) {
		c->stats.rx_bad_nr++;
		return -EBADMSG;
	}
	while ((p = TAILQ_FIRST(&c->sent)) != NULL && l2tp_seq_before(p->ns, nr)) {
		TAILQ_REMOVE(&c->sent, p, link);
		/* Karn: only a message sent once gives an unambiguous RTT. */
		if (p->tries == 1)
			c->stats.rtt_last_ms = clock_now(c->clk) - p->first_tx_ms;
		c->una = (uint16_t)(p->ns + 1);
		free(p);
		progress = 1;
	}
	if (!progress)
		return 0;
	/* The oldest outstanding was acknowledged: a fresh timeout for the
	 * next one, none if nothing is left in flight. */
	c->rto_ms = c->cfg.rto_min_ms;
	c->rtx_count = 0;
	if (TAILQ_EMPTY(&c->sent))
		clock_timer_stop(c->clk, &c->rtx_timer);
	else
		l2tp_ctrl_rtx_next(c);
	if (c->resync) {
		if (TAILQ_EMPTY(&c->sent))
			l2tp_ctrl_resync_commit(c);
		else
			l2tp_ctrl_resync_send(c);
		return 0;
	}
	l2tp_ctrl_fill_window(c);
	return 0;
}

/* After nr moved by one: the slot of Ns == nr (ooo[0]) leaves the array. */
static struct l2tp_ctrl_pkt *l2tp_ctrl_ooo_shift(struct l2tp_ctrl *c)
{
	struct l2tp_ctrl_pkt *head;

	if (!c->ooo_n)
		return NULL;
	head = c->ooo[0];
	memmove(&c->ooo[0], &c->ooo[1], (size_t)(c->cfg.rws - 1) * sizeof(*c->ooo));
	c->ooo[c->cfg.rws - 1] = NULL;
	if (head)
		c->ooo_n--;
	return head;
}

/* nr moves past a message about to be delivered; its ack is due (the
 * delayed-ack timer is armed after the delivery, only if no reply sent
 * from it carried the ack: l2tp_ctrl_deliver_in_order). */
static void l2tp_ctrl_advance_nr(struct l2tp_ctrl *c)
{
	c->nr++;
	c->stats.rx_msgs++;
	c->ack_owed++;
	if (!c->dead)
		c->ack_pending = 1;
}

/*
 * Deliver the in-order message (Ns == nr), then every queued one it
 * unblocks.  Nothing is cached across a deliver callback.
 */
static void l2tp_ctrl_deliver_in_order(struct l2tp_ctrl *c, const struct l2tp_hdr *h,
				       const uint8_t *buf, size_t len)
{
	struct l2tp_ctrl_pkt *p;

	/* nr moves first, so a reply sent from the callback acknowledges
	 * the message it answers. */
	l2tp_ctrl_advance_nr(c);
	p = l2tp_ctrl_ooo_shift(c);
	c->ops->deliver(c->arg, buf, len, h);
	while (p) {
		struct l2tp_ctrl_pkt *next;

		if (c->dead) {
			/* Stopped from the callback: deliver nothing more. */
			free(p);
			break;
		}

		l2tp_ctrl_advance_nr(c);
		next = l2tp_ctrl_ooo_shift(c);
		c->ops->deliver(c->arg, p->buf, p->len, &p->hdr);
		free(p);
		p = next;
	}
	/*
	 * Acknowledge now, unless a reply did it, when no delay is configured
	 * or when half our receive window is unacknowledged: the peer may
	 * have no more than rws messages in flight, so a delayed ack would
	 * stall a peer with a full window for the whole delay (a burst of
	 * ICCNs, say).
	 */
	if (c->ack_pending && !c->dead &&
	    (!c->cfg.ack_delay_ms || c->ack_owed >= (c->cfg.rws > 1 ? c->cfg.rws / 2u : 1u)))
		l2tp_ctrl_send_zlb(c);
	/* §5.8: otherwise a ZLB after ack_delay_ms, unless a message of ours
	 * carries the ack first.  Armed here, not as each message is
	 * delivered: most are answered from the callback (SCCRQ by SCCRP,
	 * ICRQ by ICRP ...), and a timer started and stopped again is two
	 * heap operations for nothing. */
	if (c->ack_pending && !c->dead && !clock_timer_pending(&c->ack_timer))
		l2tp_ctrl_timer_start(c, &c->ack_timer, c->cfg.ack_delay_ms);
}

int l2tp_ctrl_input(struct l2tp_ctrl *c, const struct l2tp_hdr *h, const uint8_t *buf,
		    size_t len)
{
	uint16_t ahead;
	int ret;

	if (c->dead)
		return -EPIPE;
	if (!h || !buf || !h->is_ctrl)
		return -EINVAL;

	/* Any message from the peer, ZLB or not, shows it is alive.  The
	 * timer is not moved for each one (a heap operation a message, the
	 * hello timer's being the latest deadline of all): the time is noted
	 * and l2tp_ctrl_hello_expired arms it again for what is left. */
	if (c->cfg.hello_ms) {
		c->last_rx_ms = clock_now(c->clk);
		if (!clock_timer_pending(&c->hello_timer))
			l2tp_ctrl_timer_start(c, &c->hello_timer, c->cfg.hello_ms);
	}

	ret = l2tp_ctrl_process_nr(c, h->nr);

	/* §5.8: a ZLB does not consume an Ns; only its Nr counts. */
	if (h->length <= h->hdr_len) {
		c->stats.rx_zlb++;
		return ret;
	}

	ahead = (uint16_t)(h->ns - c->nr);
	if (ahead == 0) {
		if (c->learn_nr) {
			/* The checkpointed Nr was the peer's view. */
			c->learn_nr = 0;
			clock_timer_stop(c->clk, &c->gap_timer);
		}
		l2tp_ctrl_deliver_in_order(c, h, buf, len);
	} else if (ahead > 32767) {
		/* §5.8: an old Ns is a retransmission whose ack was lost; it
		 * must still be acknowledged, at once. */
		c->stats.rx_duplicates++;
		l2tp_ctrl_send_zlb(c);
	} else if (ahead - 1u < c->cfg.rws) {
		/* Early but inside our receive window: hold it and show the
		 * gap with an immediate ack (§5.8 allows queueing). */
		struct l2tp_ctrl_pkt **slot = &c->ooo[ahead - 1u];

		if (*slot) {
			c->stats.rx_duplicates++;
		} else {
			struct l2tp_ctrl_pkt *p = l2tp_ctrl_pkt_new(buf, len);

			if (!p)
				return -ENOMEM;	/* the peer retransmits it */
			p->ns = h->ns;
			p->hdr = *h;
			*slot = p;
			c->ooo_n++;
			c->stats.rx_out_of_order++;
		}
		if (c->learn_nr && !clock_timer_pending(&c->gap_timer))
			l2tp_ctrl_timer_start(c, &c->gap_timer, c->cfg.resync_gap_ms);
		l2tp_ctrl_send_zlb(c);
	} else {
		/* Beyond the window we advertised: drop, and ack so the peer
		 * sees what we expect. */
		c->stats.rx_out_of_window++;
		l2tp_ctrl_send_zlb(c);
	}
	return ret;
}

void l2tp_ctrl_flush_ack(struct l2tp_ctrl *c)
{
	if (!c->dead && c->ack_pending)
		l2tp_ctrl_send_zlb(c);
}

void l2tp_ctrl_stop(struct l2tp_ctrl *c)
{
	c->dead = 1;
	c->ack_pending = 0;
	clock_timer_stop(c->clk, &c->rtx_timer);
	clock_timer_stop(c->clk, &c->ack_timer);
	clock_timer_stop(c->clk, &c->hello_timer);
	clock_timer_stop(c->clk, &c->gap_timer);
}

int l2tp_ctrl_idle(const struct l2tp_ctrl *c)
{
	return TAILQ_EMPTY(&c->sent) && TAILQ_EMPTY(&c->pending);
}

unsigned l2tp_ctrl_outstanding(const struct l2tp_ctrl *c)
{
	const struct l2tp_ctrl_pkt *p;
	unsigned n = l2tp_ctrl_in_flight(c);

	TAILQ_FOREACH(p, &c->pending, link)
		n++;
	return n;
}
