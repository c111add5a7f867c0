/*
 * The standby's shadow store (ha_shadow.h).
 *
 * Tunnels sit in a table of 65536 pointers indexed by tunnel ID; each
 * tunnel's sessions in a two-level table (256 pages of 256 slots, a page
 * allocated on first use), so every apply is a couple of array lookups and
 * a walk in ascending ID order needs no sort.  Tunnel and session IDs are
 * chosen at random by the active (idmap_alloc_id), which rules out a dense
 * array per tunnel: 10,000 single-session tunnels would cost 5 GB.
 *
 * Each tunnel keeps the copies of its unacknowledged control messages in
 * Ns order; a SEQ record drops those the peer has acknowledged.  Ns
 * compares modulo 2^16 as in RFC 2661 §5.8 ("a before b" when b - a is in
 * 1..32767), the same test l2tp/ctrl.c uses.
 *
 * The access side's PPPoE sessions (HA_REC_PPPOE) sit in a table of 65536
 * pointers by session ID, allocated with the first one: their IDs are the
 * AC's, drawn at random like tunnel IDs.
 *
 * The session records and the pages of slots (most of the store: about
 * 1.8 KiB a session) come from the store's own pool of 64 KiB mappings,
 * not from malloc: a takeover frees them one by one while it allocates
 * the rebuilt sessions, and on malloc's heap the two interleaved, so that
 * the freed records were left as holes between live sessions that
 * malloc_trim could not give back (676 bytes a session at 200,000).  A
 * mapping whose last object goes is unmapped at once.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "haproto/ha_shadow.h"

#define SHADOW_NTUNNELS		65536
#define SHADOW_PAGES		256
#define SHADOW_PAGE_SLOTS	256

/* A pool of fixed-size objects in SHADOW_SLAB_SIZE mappings aligned to
 * their size (an object's slab is its address rounded down). */
#define SHADOW_SLAB_SIZE	((size_t)64 * 1024)

struct shadow_slab {
	struct shadow_slab *next, *prev;	/* in the pool's partial list */
	void *free;				/* freed objects, linked through them */
	unsigned used;				/* live objects */
	unsigned bumped;			/* objects ever handed out from the end */
};

struct shadow_pool {
	size_t obj;				/* object size, a multiple of 16 */
	unsigned per_slab;
	struct shadow_slab *partial;		/* slabs with a free object */
	size_t slabs;				/* mapped */
};

struct ha_shadow {
	struct shadow_pool sessions;		/* struct ha_shadow_session */
	struct shadow_pool pages;		/* pages of SHADOW_PAGE_SLOTS pointers */
	struct ha_shadow_tunnel **tunnels;	/* SHADOW_NTUNNELS slots */
	struct ha_pppoe_rec **pppoe;		/* SHADOW_NTUNNELS slots, or NULL */
	struct ha_shadow_stats stats;
};

/* RFC 2661 §5.8: sequence numbers compare modulo 2^16. */
static int shadow_ns_before(uint16_t a, uint16_t b)
{
	uint16_t d = (uint16_t)(b - a);

	return d != 0 && d < 32768;
}

#define SHADOW_SLAB_HDR		((sizeof(struct shadow_slab) + 15) & ~(size_t)15)

static void shadow_pool_init(struct shadow_pool *p, size_t obj)
{
	p->obj = (obj + 15) & ~(size_t)15;
	p->per_slab = (unsigned)((SHADOW_SLAB_SIZE - SHADOW_SLAB_HDR) / p->obj);
	p->partial = NULL;
	p->slabs = 0;
}

static void shadow_partial_add(struct shadow_pool *p, struct shadow_slab *sl)
{
	sl->prev = NULL;
	sl->next = p->partial;
	if (p->partial)
		p->partial->prev = sl;
	p->partial = sl;
}

static void shadow_partial_del(struct shadow_pool *p, struct shadow_slab *sl)
{
	if (sl->prev)
		sl->prev->next = sl->next;
	else
		p->partial = sl->next;
	if (sl->next)
		sl->next->prev = sl->prev;
	sl->next = sl->prev = NULL;
}

/* A new slab: twice the size mapped, the aligned half kept. */
static struct shadow_slab *shadow_slab_new(struct shadow_pool *p)
{
	uint8_t *m = mmap(NULL, 2 * SHADOW_SLAB_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t a;
	size_t head;

	if (m == MAP_FAILED)
		return NULL;
	a = ((uintptr_t)m + SHADOW_SLAB_SIZE - 1) & ~(uintptr_t)(SHADOW_SLAB_SIZE - 1);
	head = a - (uintptr_t)m;
	if (head > 0)
		munmap(m, head);
	munmap((uint8_t *)a + SHADOW_SLAB_SIZE, SHADOW_SLAB_SIZE - head);
	p->slabs++;
	return (struct shadow_slab *)a;	/* fresh mapping: zeroed */
}

/* A zeroed object, or NULL. */
/* An object of p, zeroed or not (zero: 0 when the caller writes all of
 * it at once, as a session's record: 1,792 octets not written twice). */
static void *shadow_pool_get(struct shadow_pool *p, int zero)
{
	struct shadow_slab *sl = p->partial;
	void *o;

	if (!sl) {
		sl = shadow_slab_new(p);
		if (!sl)
			return NULL;
		shadow_partial_add(p, sl);
	}
	if (sl->free) {
		o = sl->free;
		memcpy(&sl->free, o, sizeof(void *));
	} else {
		o = (uint8_t *)sl + SHADOW_SLAB_HDR + (size_t)sl->bumped++ * p->obj;
	}
	if (++sl->used == p->per_slab)
		shadow_partial_del(p, sl);
	if (zero)
		memset(o, 0, p->obj);
	return o;
}

static void *shadow_pool_alloc(struct shadow_pool *p)
{
	return shadow_pool_get(p, 1);
}

static void shadow_pool_free(struct shadow_pool *p, void *o)
{
	struct shadow_slab *sl;

	if (!o)
		return;
	sl = (struct shadow_slab *)((uintptr_t)o & ~(uintptr_t)(SHADOW_SLAB_SIZE - 1));
	if (sl->used-- == p->per_slab)
		shadow_partial_add(p, sl);
	if (sl->used == 0) {
		shadow_partial_del(p, sl);
		munmap(sl, SHADOW_SLAB_SIZE);
		p->slabs--;
		return;
	}
	memcpy(o, &sl->free, sizeof(void *));
	sl->free = o;
}

struct ha_shadow *ha_shadow_new(void)
{
	struct ha_shadow *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->tunnels = calloc(SHADOW_NTUNNELS, sizeof(*s->tunnels));
	if (!s->tunnels) {
		free(s);
		return NULL;
	}
	shadow_pool_init(&s->sessions, sizeof(struct ha_shadow_session));
	shadow_pool_init(&s->pages, SHADOW_PAGE_SLOTS * sizeof(struct ha_shadow_session *));
	return s;
}

/* ------------------------------------------------------------------ */
/* Tunnels                                                             */

static void shadow_msgs_free(struct ha_shadow *s, struct ha_shadow_tunnel *t)
{
	size_t i;

	for (i = 0; i < t->n_msgs; i++)
		free(t->msgs[i].buf);
	s->stats.msgs -= t->n_msgs;
	free(t->msgs);
	t->msgs = NULL;
	t->n_msgs = t->cap_msgs = 0;
}

static void shadow_sessions_free(struct ha_shadow *s, struct ha_shadow_tunnel *t)
{
	size_t p, i;

	if (!t->pages)
		return;
	for (p = 0; p < SHADOW_PAGES; p++) {
		if (!t->pages[p])
			continue;
		for (i = 0; i < SHADOW_PAGE_SLOTS; i++)
			shadow_pool_free(&s->sessions, t->pages[p][i]);
		shadow_pool_free(&s->pages, t->pages[p]);
	}
	free(t->pages);
	t->pages = NULL;
	s->stats.sessions -= t->n_sessions;
	t->n_sessions = 0;
	memset(t->page_used, 0, sizeof(t->page_used));
}

static void shadow_tunnel_free(struct ha_shadow *s, uint16_t tid)
{
	struct ha_shadow_tunnel *t = s->tunnels[tid];

	if (!t)
		return;
	shadow_msgs_free(s, t);
	shadow_sessions_free(s, t);
	free(t);
	s->tunnels[tid] = NULL;
	s->stats.tunnels--;
}

/* The tunnel's entry, created empty (have_tunnel 0) if it is not there:
 * a SEQ, a message copy or a session may precede its TUNNEL record. */
static struct ha_shadow_tunnel *shadow_tunnel_get(struct ha_shadow *s, uint16_t tid)
{
	struct ha_shadow_tunnel *t = s->tunnels[tid];

	if (t)
		return t;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->rec.tid = tid;
	s->tunnels[tid] = t;
	s->stats.tunnels++;
	return t;
}

void ha_shadow_clear(struct ha_shadow *s)
{
	size_t tid;

	if (!s)
		return;
	for (tid = 0; tid < SHADOW_NTUNNELS; tid++)
		if (s->tunnels[tid])
			shadow_tunnel_free(s, (uint16_t)tid);
	for (tid = 0; s->pppoe && tid < SHADOW_NTUNNELS; tid++) {
		free(s->pppoe[tid]);
		s->pppoe[tid] = NULL;
	}
	s->stats.pppoe = 0;
}

void ha_shadow_free(struct ha_shadow *s)
{
	if (!s)
		return;
	ha_shadow_clear(s);
	free(s->pppoe);
	free(s->tunnels);
	free(s);
}

/* ------------------------------------------------------------------ */
/* Records                                                             */

static int shadow_apply_tunnel(struct ha_shadow *s, const struct ha_tunnel_rec *r)
{
	struct ha_shadow_tunnel *t = shadow_tunnel_get(s, r->tid);

	if (!t)
		return -ENOMEM;
	t->rec = *r;
	t->have_tunnel = 1;
	return 0;
}

/* Drop the copies of messages the peer has acknowledged: Ns before una. */
static void shadow_msgs_trim(struct ha_shadow *s, struct ha_shadow_tunnel *t, uint16_t una)
{
	size_t i, kept = 0;

	for (i = 0; i < t->n_msgs; i++) {
		if (shadow_ns_before(t->msgs[i].ns, una)) {
			free(t->msgs[i].buf);
			s->stats.msgs--;
			continue;
		}
		t->msgs[kept++] = t->msgs[i];
	}
	t->n_msgs = kept;
}

static int shadow_apply_seq(struct ha_shadow *s, const struct ha_seq_rec *r)
{
	struct ha_shadow_tunnel *t = shadow_tunnel_get(s, r->tid);

	if (!t)
		return -ENOMEM;
	t->seq = *r;
	t->have_seq = 1;
	shadow_msgs_trim(s, t, r->una);
	return 0;
}

static int shadow_msgs_reserve(struct ha_shadow_tunnel *t)
{
	struct ha_shadow_msg *m;
	size_t cap;

	if (t->n_msgs < t->cap_msgs)
		return 0;
	cap = t->cap_msgs ? t->cap_msgs * 2 : 8;
	m = realloc(t->msgs, cap * sizeof(*m));
	if (!m)
		return -ENOMEM;
	t->msgs = m;
	t->cap_msgs = cap;
	return 0;
}

static int shadow_apply_msg(struct ha_shadow *s, const struct ha_ctrl_msg_rec *r)
{
	struct ha_shadow_tunnel *t;
	uint8_t *copy;
	size_t i;

	if (!r->buf || r->len == 0 || r->len > 65535)
		return -EINVAL;
	t = shadow_tunnel_get(s, r->tid);
	if (!t)
		return -ENOMEM;
	/* A copy of a message the peer already acknowledged would be sent
	 * again at resync: keep the store to what is outstanding. */
	if (t->have_seq && shadow_ns_before(r->ns, t->seq.una)) {
		s->stats.ignored++;
		return 1;
	}
	copy = malloc(r->len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, r->buf, r->len);

	/* Outstanding messages span less than a window, so "before" is a
	 * total order among them; the newest usually goes last. */
	i = t->n_msgs;
	while (i > 0 && shadow_ns_before(r->ns, t->msgs[i - 1].ns))
		i--;
	if (i > 0 && t->msgs[i - 1].ns == r->ns) {
		/* The same Ns again (a retransmission with a new Nr): replace. */
		free(t->msgs[i - 1].buf);
		t->msgs[i - 1].buf = copy;
		t->msgs[i - 1].len = r->len;
		return 0;
	}
	if (shadow_msgs_reserve(t) < 0) {
		free(copy);
		return -ENOMEM;
	}
	memmove(&t->msgs[i + 1], &t->msgs[i], (t->n_msgs - i) * sizeof(*t->msgs));
	t->msgs[i].ns = r->ns;
	t->msgs[i].len = r->len;
	t->msgs[i].buf = copy;
	t->n_msgs++;
	s->stats.msgs++;
	return 0;
}

static struct ha_shadow_session **shadow_slot(struct shadow_pool *pages,
					      struct ha_shadow_tunnel *t, uint16_t sid, int create)
{
	unsigned p = sid >> 8;

	if (!t->pages) {
		if (!create)
			return NULL;
		t->pages = calloc(SHADOW_PAGES, sizeof(*t->pages));
		if (!t->pages)
			return NULL;
	}
	if (!t->pages[p]) {
		if (!create)
			return NULL;
		t->pages[p] = shadow_pool_alloc(pages);
		if (!t->pages[p])
			return NULL;
	}
	return &t->pages[p][sid & 0xff];
}

/* A new session's object is not zeroed: its record, all there is of it,
 * is written whole. */
_Static_assert(sizeof(struct ha_shadow_session) == sizeof(struct ha_session_rec),
	       "a shadow session is its record and nothing else");

static int shadow_apply_session(struct ha_shadow *s, const struct ha_session_rec *r)
{
	struct ha_shadow_tunnel *t = shadow_tunnel_get(s, r->tid);
	struct ha_shadow_session **slot;

	if (!t)
		return -ENOMEM;
	slot = shadow_slot(&s->pages, t, r->sid, 1);
	if (!slot)
		return -ENOMEM;
	if (!*slot) {
		*slot = shadow_pool_get(&s->sessions, 0);	/* written whole below */
		if (!*slot)
			return -ENOMEM;
		t->n_sessions++;
		t->page_used[r->sid >> 8]++;
		s->stats.sessions++;
	}
	(*slot)->rec = *r;
	return 0;
}

static int shadow_apply_delete(struct ha_shadow *s, const struct ha_delete_rec *r)
{
	struct ha_shadow_tunnel *t = s->tunnels[r->tid];
	struct ha_shadow_session **slot;

	if (!t) {
		s->stats.ignored++;
		return 1;
	}
	if (r->sid == 0) {
		shadow_tunnel_free(s, r->tid);
		return 0;
	}
	slot = shadow_slot(&s->pages, t, r->sid, 0);
	if (!slot || !*slot) {
		s->stats.ignored++;
		return 1;
	}
	shadow_pool_free(&s->sessions, *slot);
	*slot = NULL;
	t->n_sessions--;
	if (--t->page_used[r->sid >> 8] == 0) {
		shadow_pool_free(&s->pages, t->pages[r->sid >> 8]);
		t->pages[r->sid >> 8] = NULL;
	}
	s->stats.sessions--;
	return 0;
}

/* ------------------------------------------------------------------ */
/* PPPoE sessions                                                      */

static int shadow_apply_pppoe(struct ha_shadow *s, const struct ha_pppoe_rec *r)
{
	if (!s->pppoe) {
		s->pppoe = calloc(SHADOW_NTUNNELS, sizeof(*s->pppoe));
		if (!s->pppoe)
			return -ENOMEM;
	}
	if (!s->pppoe[r->id]) {
		s->pppoe[r->id] = malloc(sizeof(*r));
		if (!s->pppoe[r->id])
			return -ENOMEM;
		s->stats.pppoe++;
	}
	*s->pppoe[r->id] = *r;
	return 0;
}

static int shadow_apply_pppoe_delete(struct ha_shadow *s, const struct ha_pppoe_delete_rec *r)
{
	if (!s->pppoe || !s->pppoe[r->id]) {
		s->stats.ignored++;
		return 1;
	}
	free(s->pppoe[r->id]);
	s->pppoe[r->id] = NULL;
	s->stats.pppoe--;
	return 0;
}

int ha_shadow_apply(struct ha_shadow *s, const struct ha_rec *r)
{
	int rc;

	if (!s || !r)
		return -EINVAL;
	/* A record kind from a newer schema: not ours, not an error. */
	if (r->type == HA_REC_NONE) {
		s->stats.ignored++;
		return 0;
	}
	if (!ha_rec_key_valid(r)) {
		s->stats.ignored++;
		return -EINVAL;
	}
	switch (r->type) {
	case HA_REC_TUNNEL:
		rc = shadow_apply_tunnel(s, &r->u.tunnel);
		break;
	case HA_REC_SEQ:
		rc = shadow_apply_seq(s, &r->u.seq);
		break;
	case HA_REC_CTRL_MSG:
		rc = shadow_apply_msg(s, &r->u.msg);
		break;
	case HA_REC_SESSION:
		rc = shadow_apply_session(s, &r->u.session);
		break;
	case HA_REC_DELETE:
		rc = shadow_apply_delete(s, &r->u.del);
		break;
	case HA_REC_PPPOE:
	case HA_REC_PPPOE_LOCAL:	/* the same table: r->u.pppoe.local says which */
		rc = shadow_apply_pppoe(s, &r->u.pppoe);
		break;
	case HA_REC_PPPOE_DELETE:
		rc = shadow_apply_pppoe_delete(s, &r->u.pppoe_del);
		break;
	default:
		rc = -EINVAL;
		break;
	}
	if (rc == 0)
		s->stats.applied++;
	/* 1: well-formed but stale or for nothing we hold, counted as ignored. */
	return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ */
/* Lookups and iteration                                               */

const struct ha_shadow_tunnel *ha_shadow_tunnel(const struct ha_shadow *s, uint16_t tid)
{
	return s ? s->tunnels[tid] : NULL;
}

const struct ha_shadow_tunnel *ha_shadow_next_tunnel(const struct ha_shadow *s,
						     uint16_t after_tid)
{
	size_t tid;

	if (!s)
		return NULL;
	for (tid = (size_t)after_tid + 1; tid < SHADOW_NTUNNELS; tid++)
		if (s->tunnels[tid])
			return s->tunnels[tid];
	return NULL;
}

const struct ha_shadow_session *ha_shadow_session(const struct ha_shadow_tunnel *t, uint16_t sid)
{
	const struct ha_shadow_session *const *page;

	if (!t || !t->pages)
		return NULL;
	page = (const struct ha_shadow_session *const *)t->pages[sid >> 8];
	return page ? page[sid & 0xff] : NULL;
}

const struct ha_shadow_session *ha_shadow_next_session(const struct ha_shadow_tunnel *t,
							 uint16_t after_sid)
{
	size_t sid = (size_t)after_sid + 1;
	size_t p;

	if (!t || !t->pages)
		return NULL;
	while (sid < SHADOW_PAGES * SHADOW_PAGE_SLOTS) {
		p = sid >> 8;
		if (!t->pages[p] || t->page_used[p] == 0) {
			sid = (p + 1) << 8;	/* an empty page: skip it whole */
			continue;
		}
		if (t->pages[p][sid & 0xff])
			return t->pages[p][sid & 0xff];
		sid++;
	}
	return NULL;
}

const struct ha_pppoe_rec *ha_shadow_pppoe(const struct ha_shadow *s, uint16_t id)
{
	return s && s->pppoe ? s->pppoe[id] : NULL;
}

const struct ha_pppoe_rec *ha_shadow_next_pppoe(const struct ha_shadow *s, uint16_t after_id)
{
	size_t id;

	if (!s || !s->pppoe)
		return NULL;
	for (id = (size_t)after_id + 1; id < SHADOW_NTUNNELS; id++)
		if (s->pppoe[id])
			return s->pppoe[id];
	return NULL;
}

void ha_shadow_get_stats(const struct ha_shadow *s, struct ha_shadow_stats *st)
{
	if (!s || !st)
		return;
	*st = s->stats;
	st->pool_bytes = (uint64_t)(s->sessions.slabs + s->pages.slabs) * SHADOW_SLAB_SIZE;
}
