/*
 * A session record's body written straight from the record (struct
 * ha_session_rec), the active's side of the stream's most frequent
 * record: ckpt.c fills protobuf-c's L2tpha__Session from the record (its
 * initialiser copied, six text lengths, 60-odd assignments) only for
 * ckpt_hand.c to walk it again field by field, about 400 of the 1,300
 * instructions a session record took (callgrind).  Here each field goes
 * from the record to the wire, in field-number order, with ckpt.c's own
 * mapping (ckpt_session_fill(), ckpt_session_fill_v6()): addresses to host
 * order, names as their text, an all-zero interface identifier left out,
 * the IPv6 fields only for a session that has IPv6.  The octets are
 * protobuf-c's for the message ckpt.c would fill
 * (tests/unit/haproto/test_ckpt_flat.c compares them on random records of
 * every shape; test_ckpt_hand.c holds the field numbers to the schema).
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "haproto/ckpt_int.h"
#include "haproto/ckpt_put.h"

/* The fields written below, in their order (tests/unit/haproto/
 * test_ckpt_hand.c holds them to the schema's: a field added to Session
 * fails there until it is written here). */
const uint32_t ckpt_session_rec_ids[] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41,
	50, 51, 52, 53, 54, 55, 56,
	80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101,
};
const size_t ckpt_session_rec_n_ids = sizeof(ckpt_session_rec_ids) / sizeof(ckpt_session_rec_ids[0]);

/* Names travel without their NUL; one that fills its field has none and
 * is refused, as ckpt.c refuses it. */
static inline uint8_t *put_text(uint8_t *p, uint32_t key, const char *t, size_t max, int *bad)
{
	size_t len = strnlen(t, max);

	*bad |= len == max;
	return put_BYTES(p, key, ckpt_blob(t, len));
}

/* A text that ckpt_session_fill_v6() takes as it is (strnlen). */
static inline uint8_t *put_text6(uint8_t *p, uint32_t key, const char *t, size_t max)
{
	return put_BYTES(p, key, ckpt_blob(t, strnlen(t, max)));
}

static inline uint8_t *put_ifid(uint8_t *p, uint32_t key, const uint8_t ifid[8])
{
	static const uint8_t zero[8];

	if (memcmp(ifid, zero, 8) == 0)
		return p;
	return put_BYTES(p, key, ckpt_blob(ifid, 8));
}

/* Fields 86..91 (the delegated prefix's binding) or 95..100 (the
 * address's), from first. */
static uint8_t *put_lease(uint8_t *p, uint32_t first, const struct ha_v6_lease *l)
{
	p = put_BOOL(p, KEY(first, BOOL), l->bound);
	p = put_BYTES(p, KEY(first + 1, BYTES), ckpt_blob(l->client_duid, l->client_duid_len));
	p = put_UINT32(p, KEY(first + 2, UINT32), l->iaid);
	p = put_UINT64(p, KEY(first + 3, UINT64), l->start_ms);
	p = put_UINT32(p, KEY(first + 4, UINT32), l->valid);
	return put_UINT32(p, KEY(first + 5, UINT32), l->preferred);
}

/* Fields 80..101, for a session with IPv6. */
static uint8_t *put_v6(uint8_t *p, const struct ha_session_rec *s)
{
	p = put_BOOL(p, KEY(80, BOOL), 1);
	if (s->v6_has_prefix)
		p = put_BYTES(p, KEY(81, BYTES), ckpt_blob(s->v6_prefix, 16));
	p = put_text6(p, KEY(82, BYTES), s->v6_pool, sizeof(s->v6_pool));
	if (s->v6_has_pd)
		p = put_BYTES(p, KEY(83, BYTES), ckpt_blob(s->v6_pd, 16));
	p = put_UINT32(p, KEY(84, UINT32), s->v6_pd_len);
	p = put_text6(p, KEY(85, BYTES), s->v6_pd_pool, sizeof(s->v6_pd_pool));
	p = put_lease(p, 86, &s->v6_lease);
	p = put_BYTES(p, KEY(92, BYTES), ckpt_blob(s->v6_server_duid, s->v6_server_duid_len));
	if (s->v6_has_na)
		p = put_BYTES(p, KEY(93, BYTES), ckpt_blob(s->v6_na, 16));
	p = put_text6(p, KEY(94, BYTES), s->v6_na_pool, sizeof(s->v6_na_pool));
	p = put_lease(p, 95, &s->v6_na_lease);
	for (unsigned i = 0; i < s->v6_n_routes && i < HA_V6_ROUTES; i++) {
		p = put_key(p, KEY(101, BYTES));
		*p++ = CKPT_V6_ROUTE_LEN;
		ckpt_v6_route_put(p, &s->v6_route[i]);
		p += CKPT_V6_ROUTE_LEN;
	}
	return p;
}

/* The most a body takes: every octet of the record once (the byte
 * strings are parts of it; a DUID's length may say up to 255), and a key
 * and a length or a varint for each field. */
#define SESSION_REC_BOUND \
	(sizeof(struct ha_session_rec) + 3 * 255 + 102 * FIELD_MAX)

int ckpt_session_rec_pack(const struct ha_session_rec *s, uint8_t *out, size_t size)
{
	uint8_t *p = out;
	int bad = 0;

	if (s->tid == 0 || s->sid == 0 || s->class_len > HA_CLASS_MAX)
		return -EINVAL;
	if (size < SESSION_REC_BOUND)
		return -ENOSPC;
	p = put_UINT32(p, KEY(1, UINT32), s->tid);
	p = put_UINT32(p, KEY(2, UINT32), s->sid);
	p = put_UINT32(p, KEY(3, UINT32), s->peer_sid);
	p = put_UINT32(p, KEY(4, UINT32), s->state);
	p = put_UINT32(p, KEY(5, UINT32), s->kind);
	p = put_BOOL(p, KEY(6, BOOL), s->lns);
	p = put_UINT32(p, KEY(7, UINT32), s->call_serial);
	p = put_UINT32(p, KEY(8, UINT32), s->tx_speed);
	p = put_UINT32(p, KEY(9, UINT32), s->rx_speed);
	p = put_UINT32(p, KEY(10, UINT32), s->framing_type);
	p = put_UINT32(p, KEY(11, UINT32), s->bearer_type);
	p = put_text(p, KEY(12, BYTES), s->calling, sizeof(s->calling), &bad);
	p = put_text(p, KEY(13, BYTES), s->called, sizeof(s->called), &bad);
	p = put_UINT64(p, KEY(14, UINT64), s->created_ms);
	p = put_UINT64(p, KEY(15, UINT64), s->established_ms);

	p = put_BOOL(p, KEY(20, BOOL), s->has_ppp);
	p = put_BOOL(p, KEY(21, BOOL), s->ppp_up);
	p = put_UINT32(p, KEY(22, UINT32), s->ppp_phase);
	p = put_UINT32(p, KEY(23, UINT32), s->mru);
	p = put_UINT32(p, KEY(24, UINT32), s->peer_mru);
	p = put_FIXED32(p, KEY(25, FIXED32), s->magic);
	p = put_FIXED32(p, KEY(26, FIXED32), s->peer_magic);
	p = put_UINT32(p, KEY(27, UINT32), s->auth);
	p = put_text(p, KEY(28, BYTES), s->user, sizeof(s->user), &bad);
	p = put_BOOL(p, KEY(29, BOOL), s->ipcp_open);
	p = put_FIXED32(p, KEY(30, FIXED32), ntohl(s->local_ip));
	p = put_FIXED32(p, KEY(31, FIXED32), ntohl(s->peer_ip));
	p = put_FIXED32(p, KEY(32, FIXED32), ntohl(s->dns[0]));
	p = put_FIXED32(p, KEY(33, FIXED32), ntohl(s->dns[1]));
	p = put_BOOL(p, KEY(34, BOOL), s->ipv6cp_open);
	p = put_ifid(p, KEY(35, BYTES), s->local_ifid);
	p = put_ifid(p, KEY(36, BYTES), s->peer_ifid);
	p = put_text(p, KEY(37, BYTES), s->ifname, sizeof(s->ifname), &bad);
	p = put_text(p, KEY(38, BYTES), s->pool, sizeof(s->pool), &bad);
	p = put_UINT64(p, KEY(39, UINT64), s->ppp_up_ms);
	p = put_UINT32(p, KEY(40, UINT32), s->session_timeout);
	p = put_UINT32(p, KEY(41, UINT32), s->idle_timeout);

	p = put_text(p, KEY(50, BYTES), s->acct_session_id, sizeof(s->acct_session_id), &bad);
	p = put_BYTES(p, KEY(51, BYTES), ckpt_blob(s->class_attr, s->class_len));
	p = put_UINT64(p, KEY(52, UINT64), s->acct_in_octets);
	p = put_UINT64(p, KEY(53, UINT64), s->acct_out_octets);
	p = put_UINT64(p, KEY(54, UINT64), s->acct_in_packets);
	p = put_UINT64(p, KEY(55, UINT64), s->acct_out_packets);
	p = put_BOOL(p, KEY(56, BOOL), s->acct_started);
	if (s->v6)
		p = put_v6(p, s);
	if (bad)
		return -EINVAL;
	return (int)(p - out);
}
