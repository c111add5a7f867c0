/*
 * A map from 16-bit IDs (never 0) to pointers: sessions of a tunnel.
 * Open addressing with linear probing and backward-shift deletion; grows
 * at 50 % load, so a tunnel with 10,000 sessions costs about 256 KiB.
 */
#ifndef L2TP_IDMAP_H
#define L2TP_IDMAP_H

#include <stddef.h>
#include <stdint.h>

struct l2tp_idmap;

struct l2tp_idmap *idmap_create(void);
void idmap_destroy(struct l2tp_idmap *m);
void *idmap_get(const struct l2tp_idmap *m, uint16_t id);
/* 0, -EEXIST, -EINVAL (id 0 or NULL value), -ENOMEM */
int idmap_put(struct l2tp_idmap *m, uint16_t id, void *val);
void *idmap_del(struct l2tp_idmap *m, uint16_t id);
size_t idmap_count(const struct l2tp_idmap *m);
/* A free ID (not 0), chosen at random; 0 if the map is full. */
uint16_t idmap_alloc_id(const struct l2tp_idmap *m);

#endif
