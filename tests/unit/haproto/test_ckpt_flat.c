/*
 * The flat codec of the stream's records (haproto/ckpt_flat.c): a record
 * is packed into the octets protobuf-c packs, and read back as protobuf-c
 * reads it.  For every record kind of the stream, with random values: the
 * batch's octets against protobuf-c's own pack of the envelope; the flat
 * reader is what reads them (not a silent fallback), but for a session's
 * Framed-IPv6-Routes (repeated: protobuf-c's); and for the encoding,
 * every truncation of it and every octet of it corrupted four ways, the
 * flat reader and protobuf-c give the same answer and the same record.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "haproto/ckpt_int.h"

static uint32_t rnd_state = 0x2545f491u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* 0 one time in four (left out on the wire), else any width. */
static uint64_t rnd_val(unsigned bits)
{
	uint64_t v = ((uint64_t)rnd() << 32 | rnd()) >> (rnd() % 64);

	if (rnd() % 4 == 0)
		return 0;
	return bits >= 64 ? v : v & ((1ull << bits) - 1);
}

static void rnd_text(char *dst, size_t size)
{
	size_t n = rnd() % size;

	for (size_t i = 0; i < n; i++)
		dst[i] = (char)(' ' + 1 + rnd() % 94);
	dst[n] = '\0';
}

static void rnd_bytes(uint8_t *dst, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (uint8_t)rnd();
}

static uint16_t rnd_id(void)
{
	return (uint16_t)(1 + rnd() % 65535);
}

static void rnd_lease(struct ha_v6_lease *l)
{
	l->bound = rnd() & 1;
	l->client_duid_len = (uint8_t)(rnd() % (HA_DUID_MAX + 1));
	rnd_bytes(l->client_duid, l->client_duid_len);
	l->iaid = (uint32_t)rnd_val(32);
	l->start_ms = rnd_val(64);
	l->valid = (uint32_t)rnd_val(32);
	l->preferred = (uint32_t)rnd_val(32);
}

static void rnd_session(struct ha_session_rec *s)
{
	s->tid = rnd_id();
	s->sid = rnd_id();
	s->peer_sid = (uint16_t)rnd_val(16);
	s->state = (uint8_t)rnd_val(8);
	s->kind = (uint8_t)rnd_val(8);
	s->lns = rnd() & 1;
	s->call_serial = (uint32_t)rnd_val(32);
	s->tx_speed = (uint32_t)rnd_val(32);
	s->rx_speed = (uint32_t)rnd_val(32);
	s->framing_type = (uint32_t)rnd_val(32);
	s->bearer_type = (uint32_t)rnd_val(32);
	rnd_text(s->calling, sizeof(s->calling));
	rnd_text(s->called, sizeof(s->called));
	s->created_ms = rnd_val(64);
	s->established_ms = rnd_val(64);
	s->has_ppp = rnd() & 1;
	s->ppp_up = rnd() & 1;
	s->ppp_phase = (uint8_t)rnd_val(8);
	s->mru = (uint16_t)rnd_val(16);
	s->peer_mru = (uint16_t)rnd_val(16);
	s->magic = (uint32_t)rnd_val(32);
	s->peer_magic = (uint32_t)rnd_val(32);
	s->auth = (uint8_t)rnd_val(8);
	rnd_text(s->user, sizeof(s->user));
	s->ipcp_open = rnd() & 1;
	s->local_ip = (uint32_t)rnd_val(32);
	s->peer_ip = (uint32_t)rnd_val(32);
	s->dns[0] = (uint32_t)rnd_val(32);
	s->dns[1] = (uint32_t)rnd_val(32);
	s->ipv6cp_open = rnd() & 1;
	if (rnd() & 1)
		rnd_bytes(s->local_ifid, 8);
	if (rnd() & 1)
		rnd_bytes(s->peer_ifid, 8);
	rnd_text(s->ifname, sizeof(s->ifname));
	rnd_text(s->pool, sizeof(s->pool));
	s->ppp_up_ms = rnd_val(64);
	s->session_timeout = (uint32_t)rnd_val(32);
	s->idle_timeout = (uint32_t)rnd_val(32);
	rnd_text(s->acct_session_id, sizeof(s->acct_session_id));
	s->class_len = (uint8_t)(rnd() % (HA_CLASS_MAX + 1));
	rnd_bytes(s->class_attr, s->class_len);
	s->acct_in_octets = rnd_val(64);
	s->acct_out_octets = rnd_val(64);
	s->acct_in_packets = rnd_val(64);
	s->acct_out_packets = rnd_val(64);
	s->acct_started = rnd() & 1;
	if (rnd() % 3 == 0)
		return;
	s->v6 = 1;
	s->v6_has_prefix = rnd() & 1;
	rnd_bytes(s->v6_prefix, 16);
	s->v6_has_pd = rnd() & 1;
	rnd_bytes(s->v6_pd, 16);
	s->v6_pd_len = (uint8_t)(rnd() % 129);
	rnd_text(s->v6_pool, sizeof(s->v6_pool));
	rnd_text(s->v6_pd_pool, sizeof(s->v6_pd_pool));
	rnd_lease(&s->v6_lease);
	s->v6_server_duid_len = (uint8_t)(rnd() % (HA_DUID_MAX + 1));
	rnd_bytes(s->v6_server_duid, s->v6_server_duid_len);
	s->v6_has_na = rnd() & 1;
	rnd_bytes(s->v6_na, 16);
	rnd_text(s->v6_na_pool, sizeof(s->v6_na_pool));
	rnd_lease(&s->v6_na_lease);
	s->v6_n_routes = (uint8_t)(rnd() % (HA_V6_ROUTES + 1));
	for (unsigned i = 0; i < s->v6_n_routes; i++) {
		rnd_bytes(s->v6_route[i].dst, 16);
		s->v6_route[i].plen = (uint8_t)(1 + rnd() % 128);
		rnd_bytes(s->v6_route[i].gw, 16);
		s->v6_route[i].metric = rnd();
	}
}

static uint8_t msg_buf[300];

/* A random record of the stream's kind k (0..4). */
static void rnd_rec(struct ha_rec *r, unsigned k)
{
	memset(r, 0, sizeof(*r));
	switch (k) {
	case 0:
		r->type = HA_REC_TUNNEL;
		r->u.tunnel.tid = rnd_id();
		r->u.tunnel.peer_tid = (uint16_t)rnd_val(16);
		r->u.tunnel.local_addr = (uint32_t)rnd_val(32);
		r->u.tunnel.peer_addr = (uint32_t)rnd_val(32);
		r->u.tunnel.local_port = (uint16_t)rnd_val(16);
		r->u.tunnel.peer_port = (uint16_t)rnd_val(16);
		rnd_text(r->u.tunnel.group, sizeof(r->u.tunnel.group));
		rnd_text(r->u.tunnel.peer_host, sizeof(r->u.tunnel.peer_host));
		rnd_text(r->u.tunnel.peer_vendor, sizeof(r->u.tunnel.peer_vendor));
		r->u.tunnel.lns = rnd() & 1;
		r->u.tunnel.originator = rnd() & 1;
		r->u.tunnel.state = (uint8_t)rnd_val(8);
		r->u.tunnel.peer_rws = (uint16_t)rnd_val(16);
		r->u.tunnel.rws = (uint16_t)rnd_val(16);
		r->u.tunnel.ha_enabled = rnd() & 1;
		r->u.tunnel.resync = (uint16_t)rnd_val(16);
		r->u.tunnel.next_call_serial = (uint32_t)rnd_val(32);
		r->u.tunnel.created_ms = rnd_val(64);
		r->u.tunnel.established_ms = rnd_val(64);
		break;
	case 1:
		r->type = HA_REC_SEQ;
		r->u.seq.tid = rnd_id();
		r->u.seq.ns = (uint16_t)rnd_val(16);
		r->u.seq.nr = (uint16_t)rnd_val(16);
		r->u.seq.una = (uint16_t)rnd_val(16);
		break;
	case 2:
		r->type = HA_REC_CTRL_MSG;
		r->u.msg.tid = rnd_id();
		r->u.msg.ns = (uint16_t)rnd_val(16);
		r->u.msg.len = 1 + rnd() % sizeof(msg_buf);
		rnd_bytes(msg_buf, r->u.msg.len);
		r->u.msg.buf = msg_buf;
		break;
	case 3:
		r->type = HA_REC_SESSION;
		rnd_session(&r->u.session);
		break;
	default:
		r->type = HA_REC_DELETE;
		r->u.del.tid = rnd_id();
		r->u.del.sid = (uint16_t)rnd_val(16);
		break;
	}
}

/* The envelope inside a batch of one record: its offset in buf. */
static size_t batched(const struct ha_rec *r, uint64_t seq, uint8_t *buf, size_t size,
		      size_t *len)
{
	int n = ckpt_batch_add(buf, size, r, seq);
	size_t pos = 1, shift = 0;
	uint64_t v = 0;

	assert_true(n > 0);
	assert_int_equal(buf[0], CKPT_TAG_BATCH);
	do {
		v |= (uint64_t)(buf[pos] & 0x7f) << shift;
		shift += 7;
	} while (buf[pos++] & 0x80);
	assert_int_equal(pos + v, (size_t)n);
	*len = (size_t)v;
	return pos;
}

/* The member of a record's union that its kind fills (the decoder writes
 * no other). */
static size_t rec_member_size(enum ha_rec_type t)
{
	struct ha_rec r;

	switch (t) {
	case HA_REC_TUNNEL:
		return sizeof(r.u.tunnel);
	case HA_REC_SEQ:
		return sizeof(r.u.seq);
	case HA_REC_SESSION:
		return sizeof(r.u.session);
	case HA_REC_DELETE:
		return sizeof(r.u.del);
	default:
		return 0;
	}
}

/* The flat reader and protobuf-c on the same octets: the same answer, the
 * same record. */
static void same_reading(const uint8_t *buf, size_t len)
{
	struct ha_rec a, b;
	uint64_t seq_a = 0, seq_b = 0;
	uint32_t ver_a = 0, ver_b = 0;
	int ra, rb;

	/* a refused record is of no kind and owns nothing, from either */
	memset(&a, 0xa5, sizeof(a));
	memset(&b, 0xa5, sizeof(b));
	ra = ckpt_decode_msg(buf, len, &a, NULL, &seq_a, &ver_a);
	rb = ckpt_decode_msg_pbc(buf, len, &b, NULL, &seq_b, &ver_b);
	assert_int_equal(ra, rb);
	if (ra != CKPT_RECORD) {
		assert_int_equal(a.type, HA_REC_NONE);
		assert_int_equal(b.type, HA_REC_NONE);
		assert_null(a.owned);
		assert_null(b.owned);
		return;
	}
	assert_int_equal(seq_a, seq_b);
	assert_int_equal(ver_a, ver_b);
	assert_int_equal(a.type, b.type);
	if (a.type == HA_REC_CTRL_MSG) {
		assert_int_equal(a.u.msg.tid, b.u.msg.tid);
		assert_int_equal(a.u.msg.ns, b.u.msg.ns);
		assert_int_equal(a.u.msg.len, b.u.msg.len);
		assert_memory_equal(a.u.msg.buf, b.u.msg.buf, a.u.msg.len);
	} else {
		assert_int_equal(rec_member_size(a.type), rec_member_size(b.type));
		assert_memory_equal(&a.u, &b.u, rec_member_size(a.type));
	}
	ha_rec_clear(&a);
	ha_rec_clear(&b);
}

/* The batch writes protobuf-c's octets for every kind, random values. */
static void test_flat_same_octets(void **state)
{
	static uint8_t buf[16384], ref[16384];
	struct ha_rec r;

	(void)state;
	for (unsigned i = 0; i < 2000; i++) {
		uint64_t seq = rnd_val(64) | 1;
		size_t off, len;
		int n;

		rnd_rec(&r, i % 5);
		off = batched(&r, seq, buf, sizeof(buf), &len);
		n = ckpt_encode(&r, seq, ref, sizeof(ref));
		assert_int_equal(n, (int)len);
		assert_memory_equal(buf + off, ref, len);
	}
}

/* A session record ckpt.c refuses (a name without its NUL, a Class
 * longer than RFC 2865 §5 allows, ID 0) is refused by the batch too, and
 * a batch without room for a record says so. */
static void test_flat_session_refused(void **state)
{
	static uint8_t buf[16384];
	struct ha_rec r;
	struct ha_session_rec *s = &r.u.session;
	char *texts[] = { s->calling, s->called, s->user, s->ifname, s->pool, s->acct_session_id };
	size_t sizes[] = { sizeof(s->calling), sizeof(s->called), sizeof(s->user),
			   sizeof(s->ifname), sizeof(s->pool), sizeof(s->acct_session_id) };
	int n;

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		rnd_rec(&r, 3);
		memset(texts[i], 'x', sizes[i]);
		assert_int_equal(ckpt_encode(&r, 1, buf, sizeof(buf)), -EINVAL);
		assert_int_equal(ckpt_batch_add(buf, sizeof(buf), &r, 1), -EINVAL);
	}
	rnd_rec(&r, 3);
	s->class_len = HA_CLASS_MAX + 1;
	assert_int_equal(ckpt_batch_add(buf, sizeof(buf), &r, 1), -EINVAL);
	rnd_rec(&r, 3);
	s->sid = 0;
	assert_int_equal(ckpt_batch_add(buf, sizeof(buf), &r, 1), -EINVAL);
	rnd_rec(&r, 3);
	s->tid = 0;
	assert_int_equal(ckpt_batch_add(buf, sizeof(buf), &r, 1), -EINVAL);
	rnd_rec(&r, 3);
	n = ckpt_batch_add(buf, sizeof(buf), &r, 1);
	assert_true(n > 0);
	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(ckpt_batch_add(buf, (size_t)n - 1, &r, 1), -ENOSPC);
	for (size_t i = (size_t)n - 1; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xa5);
	assert_int_equal(ckpt_batch_add(buf, (size_t)n, &r, 1), n);
}

/* Packed into less room than it needs, a body is refused whole (-1), and
 * nothing is written past the room it was given; a repeated field other
 * than bytes (a PPPoE session's VLAN tags) is protobuf-c's to pack. */
static void test_flat_pack_room(void **state)
{
	static const uint8_t user[] = "alice@isp.example";
	uint8_t route[33] = { 0x20 }, out[512];
	ProtobufCBinaryData routes[2] = { { sizeof(route), route }, { sizeof(route), route } };
	L2tpha__Session m;
	L2tpha__PppoeSession pm;
	/* One tag, and room after it, so that a packer taking the tags for
	 * byte strings would read 16 octets of them (and copy from NULL). */
	uint32_t vlan[4] = { 1, 0, 0, 0 };
	int n;

	(void)state;
	l2tpha__session__init(&m);
	m.tid = 300;
	m.sid = 70000;
	m.created_ms = UINT64_MAX;
	m.user.data = (uint8_t *)user;
	m.user.len = sizeof(user) - 1;
	m.n_v6_route = 2;
	m.v6_route = routes;
	n = ckpt_flat_pack(&m.base, out, sizeof(out));
	assert_int_equal(n, (int)l2tpha__session__get_packed_size(&m));
	for (size_t room = 0; room < (size_t)n; room++) {
		memset(out, 0xa5, sizeof(out));
		assert_int_equal(ckpt_flat_pack(&m.base, out, room), -1);
		for (size_t i = room; i < sizeof(out); i++)
			assert_int_equal(out[i], 0xa5);
	}
	l2tpha__pppoe_session__init(&pm);
	pm.n_vlan = 1;
	pm.vlan = vlan;
	assert_int_equal(ckpt_flat_pack(&pm.base, out, sizeof(out)), -1);
}

/* What the batch wrote is read by the flat reader, into the record that
 * was written (the fields that travel). */
static void test_flat_reads_stream(void **state)
{
	static uint8_t buf[16384];
	L2tpha__Envelope env;
	union ckpt_flat_body body;
	struct ha_rec r, got;
	uint64_t seq;

	(void)state;
	for (unsigned i = 0; i < 2000; i++) {
		size_t off, len;

		rnd_rec(&r, i % 5);
		off = batched(&r, 1000 + i, buf, sizeof(buf), &len);
		/* Framed-IPv6-Routes (a repeated field) are protobuf-c's to read. */
		if (r.type == HA_REC_SESSION && r.u.session.v6 && r.u.session.v6_n_routes) {
			assert_int_equal(ckpt_flat_envelope(buf + off, len, &env, &body), 1);
		} else {
			assert_int_equal(ckpt_flat_envelope(buf + off, len, &env, &body), 0);
			assert_int_equal(env.seq, 1000 + i);
		}
		assert_int_equal(ckpt_decode_msg(buf + off, len, &got, NULL, &seq, NULL),
				 CKPT_RECORD);
		assert_int_equal(seq, 1000 + i);
		assert_int_equal(got.type, r.type);
		switch (r.type) {
		case HA_REC_SESSION:
			assert_int_equal(got.u.session.tid, r.u.session.tid);
			assert_int_equal(got.u.session.sid, r.u.session.sid);
			assert_int_equal(got.u.session.magic, r.u.session.magic);
			assert_int_equal(got.u.session.acct_out_packets, r.u.session.acct_out_packets);
			assert_string_equal(got.u.session.user, r.u.session.user);
			assert_int_equal(got.u.session.class_len, r.u.session.class_len);
			assert_memory_equal(got.u.session.class_attr, r.u.session.class_attr,
					    r.u.session.class_len);
			assert_int_equal(got.u.session.v6_n_routes, r.u.session.v6 ? r.u.session.v6_n_routes : 0);
			break;
		case HA_REC_TUNNEL:
			assert_memory_equal(&got.u.tunnel, &r.u.tunnel, sizeof(r.u.tunnel));
			break;
		case HA_REC_SEQ:
			assert_memory_equal(&got.u.seq, &r.u.seq, sizeof(r.u.seq));
			break;
		case HA_REC_CTRL_MSG:
			assert_int_equal(got.u.msg.len, r.u.msg.len);
			assert_memory_equal(got.u.msg.buf, r.u.msg.buf, r.u.msg.len);
			break;
		default:
			assert_memory_equal(&got.u.del, &r.u.del, sizeof(r.u.del));
			break;
		}
		ha_rec_clear(&got);
	}
}

/* Every truncation, and every octet corrupted four ways: the flat reader
 * answers as protobuf-c does. */
static void test_flat_same_as_protobuf_c(void **state)
{
	static const uint8_t xors[] = { 0x01, 0x80, 0x7f, 0xff };
	static uint8_t buf[16384], bad[16384];
	struct ha_rec r;

	(void)state;
	for (unsigned i = 0; i < 60; i++) {
		size_t off, len;

		rnd_rec(&r, i % 5);
		off = batched(&r, 77 + i, buf, sizeof(buf), &len);
		same_reading(buf + off, len);
		for (size_t cut = 0; cut < len; cut++)
			same_reading(buf + off, cut);
		for (size_t at = 0; at < len; at++) {
			for (unsigned x = 0; x < sizeof(xors); x++) {
				memcpy(bad, buf + off, len);
				bad[at] ^= xors[x];
				same_reading(bad, len);
			}
		}
	}
}

/* The body of a record's envelope cut short at every octet, its length
 * prefix saying so (the envelope itself well-formed): the same answer. */
static void test_flat_body_cut(void **state)
{
	static uint8_t buf[16384], cut[16384];
	struct ha_rec r;

	(void)state;
	for (unsigned i = 0; i < 100; i++) {
		size_t off, len, pos = 0, head, blen, shift = 0;

		rnd_rec(&r, i % 5);
		off = batched(&r, 5 + i, buf, sizeof(buf), &len);
		/* version (field 1), seq (field 2): varints; then the body's
		 * key (one octet for fields 10 to 15) and its length */
		while (buf[off + pos] == 0x08 || buf[off + pos] == 0x10) {
			pos++;
			while (buf[off + pos] & 0x80)
				pos++;
			pos++;
		}
		assert_true(buf[off + pos] >= (10 << 3 | 2) && buf[off + pos] <= (14 << 3 | 2));
		head = ++pos;
		blen = 0;
		do {
			blen |= (size_t)(buf[off + pos] & 0x7f) << shift;
			shift += 7;
		} while (buf[off + pos++] & 0x80);
		assert_int_equal(pos + blen, len);
		for (size_t b = 0; b < blen && b < 300; b++) {
			size_t n = head;

			memcpy(cut, buf + off, head);
			/* a length of at most 300: two octets at most */
			if (b >= 0x80) {
				cut[n++] = (uint8_t)(b | 0x80);
				cut[n++] = (uint8_t)(b >> 7);
			} else {
				cut[n++] = (uint8_t)b;
			}
			memcpy(cut + n, buf + off + pos, b);
			same_reading(cut, n + b);
		}
	}
}

/* Decoded into a record that held something else, either reader fills its
 * kind's member as into a zeroed one: what the record leaves out is zero,
 * not what was there. */
static void test_flat_reused_rec(void **state)
{
	static uint8_t buf[16384];
	struct ha_rec r, used, clean;

	(void)state;
	for (unsigned i = 0; i < 200; i++) {
		size_t off, len;

		rnd_rec(&r, i % 5);
		off = batched(&r, 9 + i, buf, sizeof(buf), &len);
		for (int pbc = 0; pbc < 2; pbc++) {
			int (*dec)(const uint8_t *, size_t, struct ha_rec *, struct ha_ctl *,
				   uint64_t *, uint32_t *) = pbc ? ckpt_decode_msg_pbc : ckpt_decode_msg;

			memset(&used, 0xa5, sizeof(used));
			used.owned = NULL;
			memset(&clean, 0, sizeof(clean));
			assert_int_equal(dec(buf + off, len, &used, NULL, NULL, NULL), CKPT_RECORD);
			assert_int_equal(dec(buf + off, len, &clean, NULL, NULL, NULL), CKPT_RECORD);
			assert_int_equal(used.type, clean.type);
			assert_memory_equal(&used.u, &clean.u, rec_member_size(clean.type));
			ha_rec_clear(&used);
			ha_rec_clear(&clean);
		}
	}
}

/* Octets protobuf-c would read differently, or refuse, from what a
 * careless reader makes of them: a uint32 field given a 64-bit varint, a
 * bool of value 2, a varint of 11 octets, a field of the wrong wire type,
 * a field number the schema does not know, the body twice. */
static void test_flat_odd_octets(void **state)
{
	static const uint8_t odd[][24] = {
		/* Seq (11) tid = 2^32 + 5: 6-octet varint into a uint32 */
		{ 0x08, 0x03, 0x5a, 0x07, 0x08, 0x85, 0x80, 0x80, 0x80, 0x10, 0x10, 0x01 },
		/* Session (13) tid 1 sid 1, lns (6) = 2 */
		{ 0x08, 0x03, 0x6a, 0x06, 0x08, 0x01, 0x10, 0x01, 0x30, 0x02 },
		/* Seq tid as an 11-octet varint */
		{ 0x08, 0x03, 0x5a, 0x0c, 0x08, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
		  0x80, 0x80, 0x00 },
		/* Seq tid given as fixed32 */
		{ 0x08, 0x03, 0x5a, 0x05, 0x0d, 0x01, 0x00, 0x00, 0x00 },
		/* Seq tid 1, then field 9 (unknown) varint 5 */
		{ 0x08, 0x03, 0x5a, 0x04, 0x08, 0x01, 0x48, 0x05 },
		/* Delete (14) tid 1 sid 7, then Delete tid 2: two bodies (protobuf-c
		 * keeps the last, whole) */
		{ 0x08, 0x03, 0x72, 0x04, 0x08, 0x01, 0x10, 0x07, 0x72, 0x02, 0x08, 0x02 },
		/* Seq tid 1 ns = 2^16: a value too wide for the record */
		{ 0x08, 0x03, 0x5a, 0x05, 0x08, 0x01, 0x10, 0x80, 0x80, 0x04 },
		/* Delete with a group (wire type 3) */
		{ 0x08, 0x03, 0x72, 0x03, 0x08, 0x01, 0x1b },
		/* Session tid 1, sid 2 as a 6-octet varint (value < 2^32) */
		{ 0x08, 0x03, 0x6a, 0x09, 0x08, 0x01, 0x10, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00 },
		/* Session tid 1 sid 1, magic (25, fixed32) as a varint */
		{ 0x08, 0x03, 0x6a, 0x07, 0x08, 0x01, 0x10, 0x01, 0xc8, 0x01, 0x05 },
	};
	static const size_t lens[] = { 12, 10, 16, 9, 8, 12, 10, 7, 13, 11 };

	(void)state;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		same_reading(odd[i], lens[i]);
}

/* A session record as the batch writes it is read by the session reader
 * itself (not left to the longer path), into the record protobuf-c reads
 * (the packed one but for what the wire leaves out). */
static void test_session_read_direct(void **state)
{
	static uint8_t buf[16384];
	struct ha_rec r, a, b;

	(void)state;
	for (unsigned i = 0; i < 300; i++) {
		size_t off, len;
		uint64_t seq = 0;
		uint32_t ver = 0;

		rnd_rec(&r, 3);
		off = batched(&r, 1000 + i, buf, sizeof(buf), &len);
		memset(&a, 0xa5, sizeof(a));
		a.owned = NULL;
		assert_int_equal(ckpt_session_rec_read(buf + off, len, &a, &seq, &ver), 0);
		assert_int_equal(a.type, HA_REC_SESSION);
		assert_int_equal(seq, 1000 + i);
		assert_int_equal(ver, HA_SCHEMA_VERSION);
		assert_int_equal(a.u.session.sid, r.u.session.sid);
		assert_int_equal(ckpt_decode_msg_pbc(buf + off, len, &b, NULL, NULL, NULL),
				 CKPT_RECORD);
		assert_memory_equal(&a.u.session, &b.u.session, sizeof(b.u.session));
	}
}

/* Values ckpt.c refuses, each in octets the session reader reads itself:
 * refused there (-EBADMSG, not left to the longer path), and by the
 * decoder as by protobuf-c.  Octets it leaves to the longer path (a field
 * twice, out of order, IPv6 fields without v6): the same answer as
 * protobuf-c's. */
static void test_session_read_refused(void **state)
{
	static const struct {
		int direct;
		uint8_t b[48];
	} cases[] = {
		/* sid 0 written out */
		{ -EBADMSG, { 0x08, 0x03, 0x6a, 0x04, 0x08, 0x01, 0x10, 0x00 } },
		/* tid 70000 */
		{ -EBADMSG, { 0x08, 0x03, 0x6a, 0x06, 0x08, 0xf0, 0xa2, 0x04, 0x10, 0x01 } },
		/* state (4) 256 */
		{ -EBADMSG, { 0x08, 0x03, 0x6a, 0x07, 0x08, 0x01, 0x10, 0x01, 0x20, 0x80, 0x02 } },
		/* mru (23) 65536 */
		{ -EBADMSG, { 0x08, 0x03, 0x6a, 0x09, 0x08, 0x01, 0x10, 0x01, 0xb8, 0x01, 0x80, 0x80,
		  0x04 } },
		/* local_ifid (35) of 7 octets */
		{ -EBADMSG, { 0x08, 0x03, 0x6a, 0x0e, 0x08, 0x01, 0x10, 0x01, 0x9a, 0x02, 0x07, 1, 2, 3,
		  4, 5, 6, 7 } },
		/* ifname (37) of 16 octets: no room for its NUL */
		{ -EBADMSG, { 0x08, 0x03, 0x6a, 0x17, 0x08, 0x01, 0x10, 0x01, 0xaa, 0x02, 0x10, 'p', 'p',
		  'p', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b',
		  'c' } },
		/* v6, v6_pd_len (84) 129 */
		{ -EBADMSG, { 0x08, 0x03, 0x6a, 0x0b, 0x08, 0x01, 0x10, 0x01, 0x80, 0x05, 0x01, 0xa0,
		  0x05, 0x81, 0x01 } },
		/* v6, v6_prefix (81) of 3 octets */
		{ -EBADMSG, { 0x08, 0x03, 0x6a, 0x0d, 0x08, 0x01, 0x10, 0x01, 0x80, 0x05, 0x01, 0x8a,
		  0x05, 0x03, 1, 2, 3 } },
		/* v6, a route (101) of 2 octets */
		{ -EBADMSG, { 0x08, 0x03, 0x6a, 0x0c, 0x08, 0x01, 0x10, 0x01, 0x80, 0x05, 0x01, 0xaa,
		  0x06, 0x02, 1, 2 } },
		/* tid 1 twice (the last wins): the longer path's */
		{ 1, { 0x08, 0x03, 0x6a, 0x06, 0x08, 0x01, 0x10, 0x01, 0x08, 0x02 } },
		/* ifname of 16 octets, then ifname "p": the longer path's */
		{ 1, { 0x08, 0x03, 0x6a, 0x1b, 0x08, 0x01, 0x10, 0x01, 0xaa, 0x02, 0x10, 'p', 'p', 'p',
		  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c',
		  0xaa, 0x02, 0x01, 'p' } },
		/* created_ms (14) in 10 octets, the last 2: past 64 bits, the
		 * longer path's (protobuf-c's) to judge */
		{ 1, { 0x08, 0x03, 0x6a, 0x0f, 0x08, 0x01, 0x10, 0x01, 0x70, 0xff, 0xff, 0xff, 0xff,
		       0xff, 0xff, 0xff, 0xff, 0xff, 0x02 } },
		/* sid before tid */
		{ 1, { 0x08, 0x03, 0x6a, 0x04, 0x10, 0x01, 0x08, 0x01 } },
		/* no v6, a v6_pd_len of 129 (not looked at) */
		{ 1, { 0x08, 0x03, 0x6a, 0x08, 0x08, 0x01, 0x10, 0x01, 0xa0, 0x05, 0x81, 0x01 } },
	};
	struct ha_rec r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* a body of fewer than 128 octets: its length in one */
		size_t len = 4 + cases[i].b[3];

		memset(&r, 0, sizeof(r));
		assert_int_equal(ckpt_session_rec_read(cases[i].b, len, &r, NULL, NULL),
				 cases[i].direct);
		same_reading(cases[i].b, len);
	}
}

/* Framed-IPv6-Routes: four read, a fifth refused (the record holds four),
 * and one of prefix length 0 (RFC 3162 §2.5: 1 to 128), by the session
 * reader as by the longer path. */
static void test_session_read_routes(void **state)
{
	static const uint8_t head[] = { 0x08, 0x01, 0x10, 0x01, 0x80, 0x05, 0x01 };
	uint8_t buf[512];
	struct ha_rec r;

	(void)state;
	/* four, five, one of prefix length 0 */
	for (unsigned k = 0; k < 3; k++) {
		unsigned routes = k == 2 ? 1 : 4 + k;
		size_t body = sizeof(head) + routes * (3 + CKPT_V6_ROUTE_LEN), n = 0;

		buf[n++] = 0x08;
		buf[n++] = 0x03;
		buf[n++] = 0x6a;
		buf[n++] = (uint8_t)(body | 0x80);
		buf[n++] = (uint8_t)(body >> 7);
		memcpy(buf + n, head, sizeof(head));
		n += sizeof(head);
		for (unsigned i = 0; i < routes; i++) {
			buf[n++] = 0xaa;	/* field 101, bytes */
			buf[n++] = 0x06;
			buf[n++] = CKPT_V6_ROUTE_LEN;
			memset(buf + n, (int)i + 1, CKPT_V6_ROUTE_LEN);
			buf[n + 16] = k == 2 ? 0 : 64;	/* the prefix length */
			n += CKPT_V6_ROUTE_LEN;
		}
		memset(&r, 0, sizeof(r));
		if (k == 0) {
			assert_int_equal(ckpt_session_rec_read(buf, n, &r, NULL, NULL), 0);
			assert_int_equal(r.u.session.v6_n_routes, 4);
			assert_int_equal(r.u.session.v6_route[3].plen, 64);
			assert_int_equal(r.u.session.v6_route[3].metric, 0x04040404);
		} else {
			assert_int_equal(ckpt_session_rec_read(buf, n, &r, NULL, NULL), -EBADMSG);
		}
		same_reading(buf, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flat_same_octets),
		cmocka_unit_test(test_flat_pack_room),
		cmocka_unit_test(test_flat_session_refused),
		cmocka_unit_test(test_flat_reads_stream),
		cmocka_unit_test(test_flat_same_as_protobuf_c),
		cmocka_unit_test(test_flat_body_cut),
		cmocka_unit_test(test_flat_odd_octets),
		cmocka_unit_test(test_flat_reused_rec),
		cmocka_unit_test(test_session_read_direct),
		cmocka_unit_test(test_session_read_refused),
		cmocka_unit_test(test_session_read_routes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
