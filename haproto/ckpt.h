/*
 * Records <-> checkpoint.proto (protobuf-c).  The envelope carries the
 * schema version and the stream sequence number; the link (haproto/ha_link.c) frames
 * one envelope per ZeroMQ message, a batch of records being one envelope.
 */
#ifndef HA_CKPT_H
#define HA_CKPT_H

#include <stddef.h>
#include <stdint.h>
#include "haproto/ha_rec.h"

/* Encoded size of r, or a negative errno. */
int ckpt_encode_size(const struct ha_rec *r, uint64_t seq);
/* Encode r with sequence number seq into buf; returns the length or -ENOSPC/-EINVAL. */
int ckpt_encode(const struct ha_rec *r, uint64_t seq, uint8_t *buf, size_t size);
/* Decode (bounded by len); fills r (release with ha_rec_clear) and *seq,
 * *version: r->type and the member of r->u of that type, zeroed where the
 * record says nothing (the rest of r->u is not written).  0, or -EBADMSG for anything malformed (a control message is
 * not a record: -EBADMSG too).  A record kind this schema does not know
 * decodes as HA_REC_NONE. */
int ckpt_decode(const uint8_t *buf, size_t len, struct ha_rec *r, uint64_t *seq,
		uint32_t *version);

/*
 * Largest envelope accepted: the configuration record, at most the size of
 * a configuration file (HA_CONFIG_MAX), plus the record's own fields; a
 * control message is far smaller (65535 octets, RFC 2661 §3.1, 16-bit
 * Length).  Anything larger is refused before protobuf-c sees it (and by
 * the link's ZMQ_MAXMSGSIZE), so a hostile length cannot make the decoder
 * allocate more.
 */
#define HA_CKPT_MAX_LEN		(HA_CONFIG_MAX + 4096)

/* Link control messages (haproto/ha_link*.c), carried in the same envelope. */
enum ha_ctl_type {
	HA_CTL_NONE = 0,
	HA_CTL_HELLO,		/* standby -> active; want_bulk */
	HA_CTL_BULK_BEGIN,	/* epoch, seq = first record of the bulk */
	HA_CTL_BULK_END,	/* epoch, seq = last record of the bulk, count */
	HA_CTL_ACK,		/* epoch, seq = cumulative ack, synced */
	HA_CTL_HEARTBEAT,	/* active's: seq = last record sent */
	HA_CTL_RESET,		/* active -> a standby it does not serve */
	HA_CTL_TAKEOVER,	/* active -> standby */
};

struct ha_ctl {
	enum ha_ctl_type type;
	uint64_t epoch;
	uint64_t seq;
	uint64_t count;
	uint8_t want_bulk;
	uint8_t synced;
};

/* What ckpt_decode_msg found in an envelope. */
enum ckpt_kind {
	CKPT_RECORD = 1,	/* r filled (type HA_REC_NONE: a record kind of a newer schema) */
	CKPT_CTL = 2,		/* c filled */
};

/* Encode a control message; the length or -ENOSPC/-EINVAL. */
int ckpt_ctl_encode(const struct ha_ctl *c, uint32_t version, uint8_t *buf, size_t size);
/*
 * Decode any envelope: CKPT_RECORD (release r with ha_rec_clear; r as
 * ckpt_decode() fills it) or
 * CKPT_CTL, with *seq and *version; -EBADMSG for anything malformed,
 * -EMSGSIZE above HA_CKPT_MAX_LEN.
 */
int ckpt_decode_msg(const uint8_t *buf, size_t len, struct ha_rec *r, struct ha_ctl *c,
		    uint64_t *seq, uint32_t *version);
const char *ckpt_ctl_type_string(enum ha_ctl_type t);

/*
 * Batches (schema HA_SCHEMA_BATCH): one envelope holding records, each an
 * encoded envelope of its own (checkpoint.proto, Envelope.batch).  The
 * encoder writes into the caller's buffer: ckpt_batch_begin() the head,
 * then ckpt_batch_add() per record; each returns the octets written, or
 * -ENOSPC (nothing written) / -EINVAL.
 */
#define CKPT_TAG_VERSION	0x08	/* Envelope.schema_version: field 1, varint */
#define CKPT_TAG_BATCH		0x1a	/* Envelope.batch: field 3, length-delimited */
int ckpt_batch_begin(uint8_t *buf, size_t size, uint32_t version);
int ckpt_batch_add(uint8_t *buf, size_t size, const struct ha_rec *r, uint64_t seq);
/*
 * Walk a batch (ckpt_batch.c): each(arg, record, len) for every record in
 * order, and the count of records; 0 when buf is not a batch (decode it
 * with ckpt_decode_msg); -EBADMSG when it is malformed (each not called),
 * -EMSGSIZE above HA_CKPT_MAX_LEN.
 */
int ckpt_batch_walk(const uint8_t *buf, size_t len,
		    void (*each)(void *arg, const uint8_t *rec, size_t len), void *arg);

#endif
