/*
 * 16-bit ID map: open addressing, linear probing, backward-shift deletion.
 */
#include <errno.h>
#include <stdlib.h>
#include "common/idmap.h"

struct idmap_slot {
	uint16_t id;		/* 0 = empty */
	void *val;
};

struct idmap {
	struct idmap_slot *slots;
	size_t cap;		/* power of two */
	size_t n;
};

static size_t idmap_hash(uint16_t id, size_t cap)
{
	/* Fibonacci hashing spreads sequential and random IDs alike. */
	return ((uint32_t)id * 2654435769u >> 16) & (cap - 1);
}

struct idmap *idmap_create(void)
{
	struct idmap *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	m->cap = 16;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	if (m->slots == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

void idmap_destroy(struct idmap *m)
{
	if (m == NULL)
		return;
	free(m->slots);
	free(m);
}

static struct idmap_slot *idmap_lookup(const struct idmap *m, uint16_t id)
{
	size_t i = idmap_hash(id, m->cap);

	for (;;) {
		struct idmap_slot *s = &m->slots[i];

		if (s->id == id)
			return s;
		if (s->id == 0)
			return NULL;
		i = (i + 1) & (m->cap - 1);
	}
}

void *idmap_get(const struct idmap *m, uint16_t id)
{
	struct idmap_slot *s;

	if (id == 0)
		return NULL;
	s = idmap_lookup(m, id);
	return s ? s->val : NULL;
}

static void idmap_insert(struct idmap_slot *slots, size_t cap, uint16_t id, void *val)
{
	size_t i = idmap_hash(id, cap);

	while (slots[i].id != 0)
		i = (i + 1) & (cap - 1);
	slots[i].id = id;
	slots[i].val = val;
}

static int idmap_grow(struct idmap *m)
{
	size_t ncap = m->cap * 2, i;
	struct idmap_slot *ns = calloc(ncap, sizeof(*ns));

	if (ns == NULL)
		return -ENOMEM;
	for (i = 0; i < m->cap; i++)
		if (m->slots[i].id != 0)
			idmap_insert(ns, ncap, m->slots[i].id, m->slots[i].val);
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int idmap_put(struct idmap *m, uint16_t id, void *val)
{
	if (id == 0 || val == NULL)
		return -EINVAL;
	if (idmap_lookup(m, id) != NULL)
		return -EEXIST;
	if ((m->n + 1) * 2 > m->cap && idmap_grow(m) < 0)
		return -ENOMEM;
	idmap_insert(m->slots, m->cap, id, val);
	m->n++;
	return 0;
}

void *idmap_del(struct idmap *m, uint16_t id)
{
	struct idmap_slot *s;
	size_t i, j, k;
	void *val;

	if (id == 0 || (s = idmap_lookup(m, id)) == NULL)
		return NULL;
	val = s->val;
	i = (size_t)(s - m->slots);
	/* Backward-shift: move later members of the probe run into the hole. */
	j = i;
	for (;;) {
		j = (j + 1) & (m->cap - 1);
		if (m->slots[j].id == 0)
			break;
		k = idmap_hash(m->slots[j].id, m->cap);
		/* Move j to i unless k lies cyclically in (i, j]. */
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		m->slots[i] = m->slots[j];
		i = j;
	}
	m->slots[i].id = 0;
	m->slots[i].val = NULL;
	m->n--;
	return val;
}

static int idmap_taken(const void *ctx, uint16_t id)
{
	return idmap_get(ctx, id) != NULL;
}

uint16_t idmap_alloc_id(const struct idmap *m, void (*draw)(void *buf, size_t len))
{
	if (m->n >= 65535)
		return 0;
	return idmap_pick(idmap_taken, m, draw);
}

uint16_t idmap_pick(int (*taken)(const void *ctx, uint16_t id), const void *ctx,
		    void (*draw)(void *buf, size_t len))
{
	uint16_t id;
	unsigned tries;

	/* Random IDs make blind injection into a tunnel harder;
	 * then a linear scan when the space is crowded. */
	for (tries = 0; tries < 32; tries++) {
		draw(&id, sizeof(id));
		if (id != 0 && !taken(ctx, id))
			return id;
	}
	for (id = 1; id != 0; id++)
		if (!taken(ctx, id))
			return id;
	return 0;
}
