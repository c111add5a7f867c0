/*
 * Checkpoint records (ha_rec.h): what the codec (ckpt.c), the link and the
 * shadow store (ha_shadow.c) all ask of one.
 */
#include <stdlib.h>

#include "common/util.h"
#include "haproto/ha_rec.h"

static const char *const ha_rec_type_names[] = {
	[HA_REC_NONE] = "none",
	[HA_REC_TUNNEL] = "tunnel",
	[HA_REC_SEQ] = "seq",
	[HA_REC_CTRL_MSG] = "ctrl-msg",
	[HA_REC_SESSION] = "session",
	[HA_REC_DELETE] = "delete",
	[HA_REC_CONFIG] = "config",
	[HA_REC_CONFIG_PART] = "config-part",
	[HA_REC_PPPOE] = "pppoe",
	[HA_REC_PPPOE_DELETE] = "pppoe-delete",
	[HA_REC_PPPOE_LOCAL] = "pppoe-local",
};

uint64_t ha_rec_digest(const char *text, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a 64: offset basis, prime */

	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)text[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

const char *ha_rec_type_string(enum ha_rec_type t)
{
	if ((unsigned)t >= ARRAY_SIZE(ha_rec_type_names) || !ha_rec_type_names[t])
		return "unknown";
	return ha_rec_type_names[t];
}

/* Not the whole record zeroed: a session's is some 2 KiB, and the standby
 * clears one for every record it applies (callgrind: a tenth of what it
 * spent a record).  Its type says it holds nothing. */
void ha_rec_clear(struct ha_rec *r)
{
	if (!r)
		return;
	free(r->owned);
	r->owned = NULL;
	r->type = HA_REC_NONE;
}

int ha_rec_key_valid(const struct ha_rec *r)
{
	switch (r->type) {
	case HA_REC_TUNNEL:
		return r->u.tunnel.tid != 0;
	case HA_REC_SEQ:
		return r->u.seq.tid != 0;
	case HA_REC_CTRL_MSG:
		return r->u.msg.tid != 0;
	case HA_REC_SESSION:
		return r->u.session.tid != 0 && r->u.session.sid != 0;
	case HA_REC_DELETE:
		return r->u.del.tid != 0;
	case HA_REC_PPPOE:
	case HA_REC_PPPOE_LOCAL:
		return r->u.pppoe.id != 0 && r->u.pppoe.id != 0xffff;
	case HA_REC_PPPOE_DELETE:
		return r->u.pppoe_del.id != 0 && r->u.pppoe_del.id != 0xffff;
	case HA_REC_CONFIG:
	case HA_REC_CONFIG_PART:
		return 1;		/* one of its kind: no key */
	case HA_REC_NONE:
		break;
	}
	return 0;
}
