/*
 * A map from 16-bit IDs (never 0) to pointers: the sessions of a tunnel, in
 * the daemon and in the data-path backends.  Open addressing with linear
 * probing and backward-shift deletion; grows at 50 % load, so a tunnel with
 * 10,000 sessions costs about 256 KiB.
 */
#ifndef COMMON_IDMAP_H
#define COMMON_IDMAP_H

#include <stddef.h>
#include <stdint.h>

struct idmap;

struct idmap *idmap_create(void);
void idmap_destroy(struct idmap *m);
void *idmap_get(const struct idmap *m, uint16_t id);
/* 0, -EEXIST, -EINVAL (id 0 or NULL value), -ENOMEM */
int idmap_put(struct idmap *m, uint16_t id, void *val);
void *idmap_del(struct idmap *m, uint16_t id);
/* A free ID (not 0) of m, chosen at random with draw (the caller's source
 * of unpredictable bytes); 0 if the map is full. */
uint16_t idmap_alloc_id(const struct idmap *m, void (*draw)(void *buf, size_t len));
/* The same over any set of IDs: taken(ctx, id) says whether id is in use.
 * 32 random draws, then the first free ID from 1 up; 0 if none is free. */
uint16_t idmap_pick(int (*taken)(const void *ctx, uint16_t id), const void *ctx,
		    void (*draw)(void *buf, size_t len));

#endif
