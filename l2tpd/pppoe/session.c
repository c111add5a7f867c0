/*
 * PPPoE sessions (RFC 2516 §6): the table by ID and by MAC, session
 * frames both ways, the PADT that ends one, and the rates of discovery.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/idmap.h"
#include "pppoe/ac.h"
#include "pppoe/ac_int.h"

int pppoe_rate_take(struct pppoe_rate *r, uint64_t now_ms, unsigned max, unsigned window_ms)
{
	if (now_ms - r->start_ms >= window_ms || now_ms < r->start_ms) {
		r->start_ms = now_ms;
		r->n = 0;
	}
	if (r->n >= max)
		return 0;
	r->n++;
	return 1;
}

/* FNV-1a over the salt and the MAC: a flood cannot aim at one slot. */
static uint32_t mac_hash(const struct pppoe_ac *ac, const uint8_t mac[PPPOE_ETH_ALEN])
{
	uint32_t h = 2166136261u ^ ac->salt;

	for (unsigned i = 0; i < PPPOE_ETH_ALEN; i++)
		h = (h ^ mac[i]) * 16777619u;
	return h ^ (h >> 15);
}

int pppoe_mac_rate_take(struct pppoe_ac *ac, const uint8_t mac[PPPOE_ETH_ALEN])
{
	struct pppoe_mac_rate *m = &ac->mac_rate[mac_hash(ac, mac) % PPPOE_MAC_SLOTS];
	uint64_t now = clock_now(ac->clk);

	/* a slot whose window is over goes to whichever MAC comes next */
	if (memcmp(m->mac, mac, PPPOE_ETH_ALEN) != 0 && now - m->r.start_ms >= ac->lim.padi_mac_ms) {
		memcpy(m->mac, mac, PPPOE_ETH_ALEN);
		m->r.start_ms = now;
		m->r.n = 0;
	}
	return pppoe_rate_take(&m->r, now, ac->lim.padi_mac, ac->lim.padi_mac_ms);
}

unsigned pppoe_sessions_of_mac(const struct pppoe_ac *ac, const uint8_t mac[PPPOE_ETH_ALEN])
{
	const struct pppoe_session *s;
	unsigned n = 0;

	LIST_FOREACH(s, &ac->by_mac[mac_hash(ac, mac) % PPPOE_MAC_BUCKETS], by_mac)
		n += memcmp(s->mac, mac, PPPOE_ETH_ALEN) == 0;
	return n;
}

struct pppoe_session *pppoe_session_by_cookie(const struct pppoe_ac *ac,
					      const struct pppoe_if *ifp,
					      const uint8_t mac[PPPOE_ETH_ALEN],
					      const uint8_t *cookie)
{
	struct pppoe_session *s;

	LIST_FOREACH(s, &ac->by_mac[mac_hash(ac, mac) % PPPOE_MAC_BUCKETS], by_mac)
		if (s->ifp == ifp && memcmp(s->mac, mac, PPPOE_ETH_ALEN) == 0 &&
		    memcmp(s->cookie, cookie, PPPOE_COOKIE_LEN) == 0)
			return s;
	return NULL;
}

struct pppoe_session *pppoe_session_find(const struct pppoe_ac *ac, uint16_t id)
{
	return id ? idmap_get(ac->by_id, id) : NULL;
}

/* A printable copy of an identifier from the wire (TR-101 ids are text). */
static void copy_id(char *dst, size_t size, const struct pppoe_bytes *b)
{
	size_t n = 0;

	for (; b->present && n < b->len && n + 1 < size; n++)
		dst[n] = b->p[n] >= 0x20 && b->p[n] < 0x7f ? (char)b->p[n] : '?';
	dst[n] = '\0';
}

static void session_fill(struct pppoe_session *s, const struct pppoe_frame *f,
			 const struct pppoe_tags *t)
{
	memcpy(s->mac, f->src, PPPOE_ETH_ALEN);
	memcpy(s->cookie, t->cookie.p, PPPOE_COOKIE_LEN);
	if (t->relay_sid.present && t->relay_sid.len <= PPPOE_RELAY_SID_MAX) {
		s->has_relay_sid = 1;
		s->relay_sid_len = (uint8_t)t->relay_sid.len;
		memcpy(s->relay_sid, t->relay_sid.p, t->relay_sid.len);
	}
	s->max_payload = t->max_payload <= PPPOE_ETH_MTU - 8 ? t->max_payload : 0;
	copy_id(s->service, sizeof s->service, &t->service_name);
	copy_id(s->circuit_id, sizeof s->circuit_id, &t->line.circuit_id);
	copy_id(s->remote_id, sizeof s->remote_id, &t->line.remote_id);
	s->rate_up = t->line.rate_up;
	s->rate_down = t->line.rate_down;
}

struct pppoe_session *pppoe_session_new(struct pppoe_ac *ac, struct pppoe_if *ifp,
					const struct pppoe_frame *f,
					const struct pppoe_tags *t)
{
	struct pppoe_session *s;
	uint16_t id = idmap_alloc_id(ac->by_id, ac->draw);

	if (!id || id == 0xffff)	/* §4: 0xffff is reserved */
		return NULL;
	s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	if (idmap_put(ac->by_id, id, s) < 0) {
		free(s);
		return NULL;
	}
	s->id = id;
	s->ifp = ifp;
	session_fill(s, f, t);
	s->created_ms = clock_now(ac->clk);
	LIST_INSERT_HEAD(&ac->by_mac[mac_hash(ac, s->mac) % PPPOE_MAC_BUCKETS], s, by_mac);
	TAILQ_INSERT_TAIL(&ac->sessions, s, link);
	ifp->n_sessions++;
	ac->n_sessions++;
	ac->stats.sessions_created++;
	return s;
}

struct pppoe_session *pppoe_session_adopt(struct pppoe_ac *ac, struct pppoe_if *ifp,
					  const struct pppoe_session *tmpl, int *err)
{
	struct pppoe_session *s = calloc(1, sizeof *s);

	*err = -ENOMEM;
	if (!s)
		return NULL;
	*s = *tmpl;
	s->ifp = ifp;
	s->upper = NULL;
	*err = idmap_put(ac->by_id, s->id, s);
	if (*err < 0) {
		free(s);
		return NULL;
	}
	LIST_INSERT_HEAD(&ac->by_mac[mac_hash(ac, s->mac) % PPPOE_MAC_BUCKETS], s, by_mac);
	TAILQ_INSERT_TAIL(&ac->sessions, s, link);
	ifp->n_sessions++;
	ac->n_sessions++;
	ac->stats.sessions_restored++;
	return s;
}

/* A PADT for session sid to mac on ifp (§5.5), with the Relay-Session-Id
 * the session was set up with. */
static int padt_send(struct pppoe_ac *ac, struct pppoe_if *ifp, const uint8_t mac[PPPOE_ETH_ALEN],
		     uint16_t sid, const struct pppoe_session *s)
{
	struct pppoe_buf *b = &ac->txb;
	int n;

	pppoe_buf_init(b, mac, ifp->mac, ifp->vlan, ifp->nvlan, PPPOE_ETH_P_DISC,
		       PPPOE_CODE_PADT, sid);
	if (s && s->has_relay_sid)
		pppoe_put_tag(b, PPPOE_TAG_RELAY_SID, s->relay_sid, s->relay_sid_len);
	n = pppoe_buf_finish(b);
	if (n >= 0)
		n = ac->ops->send(ac->arg, ifp, b->buf, (size_t)n);
	if (n < 0)
		ac->stats.tx_errors++;
	return n < 0 ? n : 0;
}

void pppoe_session_end(struct pppoe_ac *ac, struct pppoe_session *s, enum pppoe_end why,
		       int padt)
{
	if (padt && padt_send(ac, s->ifp, s->mac, s->id, s) == 0)
		ac->stats.padt_tx++;
	ac->ops->session_down(ac->arg, s, why);
	idmap_del(ac->by_id, s->id);
	LIST_REMOVE(s, by_mac);
	TAILQ_REMOVE(&ac->sessions, s, link);
	s->ifp->n_sessions--;
	ac->n_sessions--;
	ac->stats.sessions_ended[why < PPPOE_END_MAX ? why : PPPOE_END_LOCAL]++;
	free(s);
}

void pppoe_session_close(struct pppoe_ac *ac, struct pppoe_session *s, enum pppoe_end why)
{
	pppoe_session_end(ac, s, why, 1);
}

void pppoe_session_input(struct pppoe_ac *ac, struct pppoe_if *ifp,
			 const struct pppoe_frame *f)
{
	struct pppoe_session *s = pppoe_session_find(ac, f->session_id);

	if (!s || s->ifp != ifp || memcmp(s->mac, f->src, PPPOE_ETH_ALEN) != 0) {
		/* No such session for this peer: tell it the session is gone
		 * (a PADT "MAY be sent anytime after a session is
		 * established", §5.5), at a bounded rate. */
		ac->stats.rx_sess_unknown++;
		if (f->session_id && f->session_id != 0xffff &&
		    pppoe_rate_take(&ac->unknown_rate, clock_now(ac->clk),
				    PPPOE_UNKNOWN_PADT_RATE, 1000) &&
		    padt_send(ac, ifp, f->src, f->session_id, NULL) == 0)
			ac->stats.padt_unknown_tx++;
		return;
	}
	ac->stats.rx_sess++;
	s->rx_frames++;
	s->rx_bytes += f->len;
	ac->ops->session_rx(ac->arg, s, f->payload, f->len);
}

int pppoe_session_send(struct pppoe_ac *ac, struct pppoe_session *s, const uint8_t *ppp,
		       size_t len)
{
	struct pppoe_buf *b = &ac->txb;
	int n;

	pppoe_buf_init(b, s->mac, s->ifp->mac, s->ifp->vlan, s->ifp->nvlan, PPPOE_ETH_P_SESS,
		       PPPOE_CODE_SESS, s->id);
	pppoe_put(b, ppp, len);
	n = pppoe_buf_finish(b);
	if (n >= 0)
		n = ac->ops->send(ac->arg, s->ifp, b->buf, (size_t)n);
	if (n < 0) {
		ac->stats.tx_errors++;
		return n;
	}
	ac->stats.tx_sess++;
	s->tx_frames++;
	s->tx_bytes += len;
	return 0;
}

void pppoe_session_calling_number(const struct pppoe_session *s, char *buf, size_t size)
{
	if (s->circuit_id[0])
		snprintf(buf, size, "%s", s->circuit_id);
	else
		pppoe_mac_fmt(buf, size, s->mac);
}

void pppoe_mac_fmt(char *buf, size_t size, const uint8_t mac[PPPOE_ETH_ALEN])
{
	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
}

int pppoe_mac_parse(const char *s, uint8_t mac[PPPOE_ETH_ALEN])
{
	unsigned v[PPPOE_ETH_ALEN];
	char tail;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &tail) != 6 || strlen(s) != 17)
		return -EINVAL;
	for (unsigned i = 0; i < PPPOE_ETH_ALEN; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}
