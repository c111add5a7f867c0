/*
 * Unit tests of the checkpoint codec (haproto/ckpt.c).
 *
 * Every record kind round-trips field by field; truncated, garbage,
 * out-of-range and oversized input is refused without a crash (the suite
 * runs under ASan/UBSan in CI).  Rolling upgrade: the schema of the next
 * version (checkpoint_v2.proto: one field and one record kind more,
 * compiled here under package l2tpha.v2) decodes what this version
 * encodes, and this version decodes what the next one encodes, skipping
 * what it does not know.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "haproto/ckpt.h"
#include "checkpoint_v2.pb-c.h"
#include "haproto/checkpoint.pb-c.h"

static void fill_tunnel(struct ha_rec *r)
{
	struct ha_tunnel_rec *t = &r->u.tunnel;

	memset(r, 0, sizeof(*r));
	r->type = HA_REC_TUNNEL;
	t->tid = 33003;
	t->peer_tid = 26355;
	t->local_addr = htonl(0xc0a80101);
	t->peer_addr = htonl(0x0a000002);
	t->local_port = htons(1701);
	t->peer_port = htons(50123);
	strcpy(t->group, "lns-group-1");
	strcpy(t->peer_host, "lac.example.net");
	strcpy(t->peer_vendor, "Cisco Systems, Inc.");
	t->lns = 1;
	t->originator = 0;
	t->state = 4;
	t->peer_rws = 8;
	t->rws = 10;
	t->ha_enabled = 1;
	t->resync = 7;
	t->next_call_serial = 0xdeadbeef;
	t->created_ms = 1700000000123ULL;
	t->established_ms = 1700000000456ULL;
}

static void fill_session(struct ha_rec *r)
{
	struct ha_session_rec *s = &r->u.session;
	unsigned i;

	memset(r, 0, sizeof(*r));
	r->type = HA_REC_SESSION;
	s->tid = 33003;
	s->sid = 28017;
	s->peer_sid = 10;
	s->state = 3;
	s->kind = 1;
	s->lns = 1;
	s->call_serial = 123456789;
	s->tx_speed = 100000000;
	s->rx_speed = 50000000;
	s->framing_type = 3;
	s->bearer_type = 2;
	strcpy(s->calling, "0123456789");
	strcpy(s->called, "9876");
	s->created_ms = 1700000001000ULL;
	s->established_ms = 1700000001200ULL;
	s->has_ppp = 1;
	s->ppp_up = 1;
	s->ppp_phase = 5;
	s->mru = 1492;
	s->peer_mru = 1460;
	s->magic = 0x11223344;
	s->peer_magic = 0x55667788;
	s->auth = 2;
	strcpy(s->user, "alice@isp.example");
	s->ipcp_open = 1;
	s->local_ip = htonl(0x0a000001);
	s->peer_ip = htonl(0x0a000105);
	s->dns[0] = htonl(0x08080808);
	s->dns[1] = htonl(0x01010101);
	s->ipv6cp_open = 1;
	for (i = 0; i < 8; i++) {
		s->local_ifid[i] = (uint8_t)(0x10 + i);
		s->peer_ifid[i] = (uint8_t)(0xa0 + i);
	}
	strcpy(s->ifname, "ppp1234");
	strcpy(s->pool, "pool-a");
	s->ppp_up_ms = 1700000001500ULL;
	s->session_timeout = 86400;
	s->idle_timeout = 600;
	strcpy(s->acct_session_id, "5F3A0001");
	s->class_len = HA_CLASS_MAX;
	for (i = 0; i < HA_CLASS_MAX; i++)
		s->class_attr[i] = (uint8_t)(i * 7);
	s->acct_in_octets = 1ULL << 40;
	s->acct_out_octets = (1ULL << 41) + 3;
	s->acct_in_packets = 123456;
	s->acct_out_packets = 654321;
	s->acct_started = 1;
	s->v6 = 1;
	s->v6_has_prefix = 1;
	s->v6_prefix[0] = 0x20;
	s->v6_prefix[7] = 0x42;
	strcpy(s->v6_pool, "LINKS");
	s->v6_has_pd = 1;
	s->v6_pd[0] = 0x20;
	s->v6_pd[6] = 0x17;
	s->v6_pd_len = 56;
	strcpy(s->v6_pd_pool, "PD");
	s->v6_lease.bound = 1;
	s->v6_lease.client_duid_len = HA_DUID_MAX;
	for (i = 0; i < HA_DUID_MAX; i++)
		s->v6_lease.client_duid[i] = (uint8_t)(i * 3 + 1);
	s->v6_lease.iaid = 0xdeadbeef;
	s->v6_lease.start_ms = 1700000002500ULL;
	s->v6_lease.valid = 86400;
	s->v6_lease.preferred = 14400;
	s->v6_server_duid_len = 18;
	s->v6_has_na = 1;
	s->v6_na[0] = 0x20;
	s->v6_na[15] = 0x21;
	strcpy(s->v6_na_pool, "NA");
	s->v6_na_lease.bound = 1;
	s->v6_na_lease.client_duid_len = 10;
	for (i = 0; i < 10; i++)
		s->v6_na_lease.client_duid[i] = (uint8_t)(i + 5);
	s->v6_na_lease.iaid = 0x0badcafe;
	s->v6_na_lease.start_ms = 1700000003500ULL;
	s->v6_na_lease.valid = 7200;
	s->v6_na_lease.preferred = 3600;
	s->v6_server_duid[1] = 4;
	s->v6_server_duid[17] = 0x99;
	s->v6_n_routes = 2;
	s->v6_route[0].dst[0] = 0x20;
	s->v6_route[0].plen = 48;
	s->v6_route[0].metric = 1;
	s->v6_route[1].dst[1] = 0x01;
	s->v6_route[1].plen = 128;
	s->v6_route[1].gw[0] = 0xfe;
	s->v6_route[1].gw[15] = 0x99;
	s->v6_route[1].metric = 0xfedcba98;
}

static void check_tunnel(const struct ha_tunnel_rec *a, const struct ha_tunnel_rec *b)
{
	assert_int_equal(a->tid, b->tid);
	assert_int_equal(a->peer_tid, b->peer_tid);
	assert_int_equal(a->local_addr, b->local_addr);
	assert_int_equal(a->peer_addr, b->peer_addr);
	assert_int_equal(a->local_port, b->local_port);
	assert_int_equal(a->peer_port, b->peer_port);
	assert_string_equal(a->group, b->group);
	assert_string_equal(a->peer_host, b->peer_host);
	assert_string_equal(a->peer_vendor, b->peer_vendor);
	assert_int_equal(a->lns, b->lns);
	assert_int_equal(a->originator, b->originator);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->peer_rws, b->peer_rws);
	assert_int_equal(a->rws, b->rws);
	assert_int_equal(a->ha_enabled, b->ha_enabled);
	assert_int_equal(a->resync, b->resync);
	assert_int_equal(a->next_call_serial, b->next_call_serial);
	assert_int_equal(a->created_ms, b->created_ms);
	assert_int_equal(a->established_ms, b->established_ms);
}

static void check_lease(const struct ha_v6_lease *a, const struct ha_v6_lease *b)
{
	assert_int_equal(a->bound, b->bound);
	assert_int_equal(a->client_duid_len, b->client_duid_len);
	assert_memory_equal(a->client_duid, b->client_duid, a->client_duid_len);
	assert_int_equal(a->iaid, b->iaid);
	assert_int_equal(a->start_ms, b->start_ms);
	assert_int_equal(a->valid, b->valid);
	assert_int_equal(a->preferred, b->preferred);
}

static void check_session(const struct ha_session_rec *a, const struct ha_session_rec *b)
{
	assert_int_equal(a->tid, b->tid);
	assert_int_equal(a->sid, b->sid);
	assert_int_equal(a->peer_sid, b->peer_sid);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->lns, b->lns);
	assert_int_equal(a->call_serial, b->call_serial);
	assert_int_equal(a->tx_speed, b->tx_speed);
	assert_int_equal(a->rx_speed, b->rx_speed);
	assert_int_equal(a->framing_type, b->framing_type);
	assert_int_equal(a->bearer_type, b->bearer_type);
	assert_string_equal(a->calling, b->calling);
	assert_string_equal(a->called, b->called);
	assert_int_equal(a->created_ms, b->created_ms);
	assert_int_equal(a->established_ms, b->established_ms);
	assert_int_equal(a->has_ppp, b->has_ppp);
	assert_int_equal(a->ppp_up, b->ppp_up);
	assert_int_equal(a->ppp_phase, b->ppp_phase);
	assert_int_equal(a->mru, b->mru);
	assert_int_equal(a->peer_mru, b->peer_mru);
	assert_int_equal(a->magic, b->magic);
	assert_int_equal(a->peer_magic, b->peer_magic);
	assert_int_equal(a->auth, b->auth);
	assert_string_equal(a->user, b->user);
	assert_int_equal(a->ipcp_open, b->ipcp_open);
	assert_int_equal(a->local_ip, b->local_ip);
	assert_int_equal(a->peer_ip, b->peer_ip);
	assert_int_equal(a->dns[0], b->dns[0]);
	assert_int_equal(a->dns[1], b->dns[1]);
	assert_int_equal(a->ipv6cp_open, b->ipv6cp_open);
	assert_memory_equal(a->local_ifid, b->local_ifid, 8);
	assert_memory_equal(a->peer_ifid, b->peer_ifid, 8);
	assert_string_equal(a->ifname, b->ifname);
	assert_string_equal(a->pool, b->pool);
	assert_int_equal(a->ppp_up_ms, b->ppp_up_ms);
	assert_int_equal(a->session_timeout, b->session_timeout);
	assert_int_equal(a->idle_timeout, b->idle_timeout);
	assert_string_equal(a->acct_session_id, b->acct_session_id);
	assert_int_equal(a->class_len, b->class_len);
	assert_memory_equal(a->class_attr, b->class_attr, a->class_len);
	assert_int_equal(a->acct_in_octets, b->acct_in_octets);
	assert_int_equal(a->acct_out_octets, b->acct_out_octets);
	assert_int_equal(a->acct_in_packets, b->acct_in_packets);
	assert_int_equal(a->acct_out_packets, b->acct_out_packets);
	assert_int_equal(a->acct_started, b->acct_started);
	assert_int_equal(a->v6, b->v6);
	assert_int_equal(a->v6_has_prefix, b->v6_has_prefix);
	assert_memory_equal(a->v6_prefix, b->v6_prefix, 16);
	assert_string_equal(a->v6_pool, b->v6_pool);
	assert_int_equal(a->v6_has_pd, b->v6_has_pd);
	assert_memory_equal(a->v6_pd, b->v6_pd, 16);
	assert_int_equal(a->v6_pd_len, b->v6_pd_len);
	assert_string_equal(a->v6_pd_pool, b->v6_pd_pool);
	check_lease(&a->v6_lease, &b->v6_lease);
	assert_int_equal(a->v6_server_duid_len, b->v6_server_duid_len);
	assert_int_equal(a->v6_has_na, b->v6_has_na);
	assert_memory_equal(a->v6_na, b->v6_na, 16);
	assert_string_equal(a->v6_na_pool, b->v6_na_pool);
	check_lease(&a->v6_na_lease, &b->v6_na_lease);
	assert_memory_equal(a->v6_server_duid, b->v6_server_duid, a->v6_server_duid_len);
	assert_int_equal(a->v6_n_routes, b->v6_n_routes);
	for (unsigned i = 0; i < a->v6_n_routes; i++) {
		assert_memory_equal(a->v6_route[i].dst, b->v6_route[i].dst, 16);
		assert_int_equal(a->v6_route[i].plen, b->v6_route[i].plen);
		assert_memory_equal(a->v6_route[i].gw, b->v6_route[i].gw, 16);
		assert_int_equal(a->v6_route[i].metric, b->v6_route[i].metric);
	}
}

/* Encode r with seq, check the size function agrees, decode into out. */
static int roundtrip(const struct ha_rec *r, uint64_t seq, struct ha_rec *out)
{
	static uint8_t buf[HA_CKPT_MAX_LEN];
	uint64_t seq2 = 0;
	uint32_t ver = 0;
	int n, sz;

	sz = ckpt_encode_size(r, seq);
	assert_true(sz > 0);
	n = ckpt_encode(r, seq, buf, sizeof(buf));
	assert_int_equal(n, sz);
	/* One byte short is refused, not truncated. */
	assert_int_equal(ckpt_encode(r, seq, buf, (size_t)n - 1), -ENOSPC);
	n = ckpt_encode(r, seq, buf, (size_t)n);
	assert_int_equal(n, sz);
	assert_int_equal(ckpt_decode(buf, (size_t)n, out, &seq2, &ver), 0);
	assert_int_equal(seq2, seq);
	assert_int_equal(ver, HA_SCHEMA_VERSION);
	assert_int_equal(out->type, r->type);
	return n;
}

static void test_ckpt_tunnel(void **state)
{
	struct ha_rec r, out;

	(void)state;
	fill_tunnel(&r);
	roundtrip(&r, 1, &out);
	check_tunnel(&r.u.tunnel, &out.u.tunnel);
	ha_rec_clear(&out);

	/* Zero values and empty strings come back as zero and empty. */
	memset(&r.u.tunnel, 0, sizeof(r.u.tunnel));
	r.u.tunnel.tid = 1;
	roundtrip(&r, UINT64_MAX, &out);
	check_tunnel(&r.u.tunnel, &out.u.tunnel);
	ha_rec_clear(&out);

	/* The widest values each field can hold. */
	fill_tunnel(&r);
	r.u.tunnel.tid = r.u.tunnel.peer_tid = 65535;
	r.u.tunnel.local_addr = r.u.tunnel.peer_addr = 0xffffffff;
	r.u.tunnel.local_port = r.u.tunnel.peer_port = 0xffff;
	r.u.tunnel.state = 255;
	r.u.tunnel.peer_rws = r.u.tunnel.rws = r.u.tunnel.resync = 65535;
	memset(r.u.tunnel.peer_host, 'h', HA_NAME_MAX - 1);
	r.u.tunnel.peer_host[HA_NAME_MAX - 1] = '\0';
	roundtrip(&r, 7, &out);
	check_tunnel(&r.u.tunnel, &out.u.tunnel);
	ha_rec_clear(&out);
}

static void test_ckpt_seq(void **state)
{
	struct ha_rec r = { .type = HA_REC_SEQ }, out;

	(void)state;
	r.u.seq.tid = 4242;
	r.u.seq.ns = 65535;
	r.u.seq.nr = 3;
	r.u.seq.una = 65530;
	roundtrip(&r, 99, &out);
	assert_int_equal(out.u.seq.tid, 4242);
	assert_int_equal(out.u.seq.ns, 65535);
	assert_int_equal(out.u.seq.nr, 3);
	assert_int_equal(out.u.seq.una, 65530);
	ha_rec_clear(&out);
}

/* A record cleared is reused: ha_rec_clear() frees what it owns and leaves
 * it of no type (not zeroed whole: the standby clears one a record), and
 * the next decode into it fills its kind's member from zero, the same as
 * into a fresh one (the decoder writes no other member: ckpt.h). */
static void test_ckpt_rec_reuse(void **state)
{
	struct ha_rec r, seq = { .type = HA_REC_SEQ }, *out = malloc(sizeof(*out)),
			 *fresh = calloc(1, sizeof(*fresh));
	uint8_t buf[8192];
	uint64_t s;
	uint32_t ver;
	int n;

	(void)state;
	assert_non_null(out);
	assert_non_null(fresh);
	fill_session(&r);
	roundtrip(&r, 7, out);
	ha_rec_clear(out);
	assert_int_equal(out->type, HA_REC_NONE);
	assert_null(out->owned);
	ha_rec_clear(out);		/* twice: nothing freed twice */
	seq.u.seq.tid = 9;
	seq.u.seq.ns = 3;
	n = ckpt_encode(&seq, 8, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(ckpt_decode(buf, (size_t)n, out, &s, &ver), 0);
	assert_int_equal(ckpt_decode(buf, (size_t)n, fresh, &s, &ver), 0);
	assert_int_equal(out->type, fresh->type);
	assert_null(out->owned);
	assert_memory_equal(&out->u.seq, &fresh->u.seq, sizeof(out->u.seq));
	ha_rec_clear(out);
	ha_rec_clear(fresh);
	free(out);
	free(fresh);
}

static void test_ckpt_ctrl_msg(void **state)
{
	static uint8_t big[65535];
	uint8_t msg[40];
	struct ha_rec r = { .type = HA_REC_CTRL_MSG }, out;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(0xc8 ^ i);
	r.u.msg.tid = 33003;
	r.u.msg.ns = 12;
	r.u.msg.buf = msg;
	r.u.msg.len = sizeof(msg);
	roundtrip(&r, 5, &out);
	assert_int_equal(out.u.msg.tid, 33003);
	assert_int_equal(out.u.msg.ns, 12);
	assert_int_equal(out.u.msg.len, sizeof(msg));
	/* A copy owned by the decoded record, not a pointer into the input. */
	assert_ptr_equal(out.u.msg.buf, out.owned);
	assert_memory_equal(out.u.msg.buf, msg, sizeof(msg));
	ha_rec_clear(&out);
	assert_null(out.owned);
	assert_int_equal(out.type, HA_REC_NONE);

	/* The largest message §3.1's Length can describe. */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 31);
	r.u.msg.buf = big;
	r.u.msg.len = sizeof(big);
	roundtrip(&r, 6, &out);
	assert_int_equal(out.u.msg.len, sizeof(big));
	assert_memory_equal(out.u.msg.buf, big, sizeof(big));
	ha_rec_clear(&out);
}

static void test_ckpt_session(void **state)
{
	struct ha_rec r, out;

	(void)state;
	fill_session(&r);
	roundtrip(&r, 1234567890123ULL, &out);
	check_session(&r.u.session, &out.u.session);
	ha_rec_clear(&out);

	/* No PPP yet: no interface identifiers, no class, zero addresses. */
	memset(&r.u.session, 0, sizeof(r.u.session));
	r.u.session.tid = 1;
	r.u.session.sid = 1;
	roundtrip(&r, 2, &out);
	check_session(&r.u.session, &out.u.session);
	ha_rec_clear(&out);
}

/* c[0 .. size - 2] of one letter, NUL at the end: a string at its limit. */
static void fill_max(char *c, size_t size, char letter)
{
	memset(c, letter, size - 1);
	c[size - 1] = '\0';
}

/*
 * Every string and octet string of a session at its largest: more than the
 * decoder's buffer holds, so part of the unpacked record lives there and
 * part is allocated (and must be freed, and only it).  And a thousand of
 * them in a row: the buffer is the decoder's own each time.
 */
static void test_ckpt_session_largest(void **state)
{
	struct ha_rec r, out;
	struct ha_session_rec *s = &r.u.session;
	unsigned i;

	(void)state;
	fill_session(&r);
	fill_max(s->calling, sizeof(s->calling), 'c');
	fill_max(s->called, sizeof(s->called), 'd');
	fill_max(s->user, sizeof(s->user), 'u');
	fill_max(s->ifname, sizeof(s->ifname), 'i');
	fill_max(s->pool, sizeof(s->pool), 'p');
	fill_max(s->acct_session_id, sizeof(s->acct_session_id), 'a');
	fill_max(s->v6_pool, sizeof(s->v6_pool), 'v');
	fill_max(s->v6_pd_pool, sizeof(s->v6_pd_pool), 'w');
	fill_max(s->v6_na_pool, sizeof(s->v6_na_pool), 'n');
	s->v6_server_duid_len = HA_DUID_MAX;
	s->v6_na_lease.client_duid_len = HA_DUID_MAX;
	s->v6_n_routes = HA_V6_ROUTES;
	for (i = 0; i < HA_V6_ROUTES; i++) {
		s->v6_route[i].dst[0] = 0x20;
		s->v6_route[i].dst[15] = (uint8_t)i;
		s->v6_route[i].plen = 64;
		s->v6_route[i].metric = i;
	}
	assert_true(ckpt_encode_size(&r, 1) > 1024);
	for (i = 0; i < 1000; i++) {
		s->sid = (uint16_t)(i + 1);
		s->user[i % (sizeof(s->user) - 1)] = (char)('A' + i % 26);
		roundtrip(&r, i + 1, &out);
		check_session(&r.u.session, &out.u.session);
		ha_rec_clear(&out);
	}
}

static void test_ckpt_delete(void **state)
{
	struct ha_rec r = { .type = HA_REC_DELETE }, out;

	(void)state;
	r.u.del.tid = 65535;
	r.u.del.sid = 0;
	roundtrip(&r, 3, &out);
	assert_int_equal(out.u.del.tid, 65535);
	assert_int_equal(out.u.del.sid, 0);
	ha_rec_clear(&out);
	r.u.del.sid = 777;
	roundtrip(&r, 4, &out);
	assert_int_equal(out.u.del.sid, 777);
	ha_rec_clear(&out);
}

/* A PPPoE session relayed into a call (schema 4): every field back. */
static void test_ckpt_pppoe(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x21 };
	static const uint8_t rsid[4] = { 1, 2, 3, 4 };
	struct ha_rec r = { .type = HA_REC_PPPOE }, out;
	struct ha_pppoe_rec *p = &r.u.pppoe;

	(void)state;
	p->id = 0xfffe;
	memcpy(p->mac, mac, 6);
	snprintf(p->ifname, sizeof(p->ifname), "vrrp.5");
	p->nvlan = 2;
	p->vlan[0] = 100;
	p->vlan[1] = 4094;
	p->tid = 4242;
	p->sid = 17;
	p->state = 3;
	snprintf(p->user, sizeof(p->user), "alice@isp.example");
	snprintf(p->service, sizeof(p->service), "internet");
	snprintf(p->circuit_id, sizeof(p->circuit_id), "dslam1 atm 7");
	snprintf(p->remote_id, sizeof(p->remote_id), "cpe-42");
	p->rate_up = 1000;
	p->rate_down = 16000;
	p->max_payload = 1500;
	p->relay_sid_len = sizeof(rsid);
	memcpy(p->relay_sid, rsid, sizeof(rsid));
	p->created_ms = 1765000000000ULL;
	p->rx_frames = 1;
	p->tx_frames = 2;
	p->rx_bytes = 1ULL << 40;
	p->tx_bytes = 4;
	roundtrip(&r, 9, &out);
	assert_memory_equal(&out.u.pppoe, p, sizeof(*p));
	ha_rec_clear(&out);
	r.type = HA_REC_PPPOE_DELETE;
	memset(&r.u, 0, sizeof(r.u));
	r.u.pppoe_del.id = 33;
	roundtrip(&r, 10, &out);
	assert_int_equal(out.u.pppoe_del.id, 33);
	ha_rec_clear(&out);
	/* the encoder refuses what the decoder would */
	r.u.pppoe_del.id = 0xffff;	/* RFC 2516 §4: reserved */
	assert_int_equal(ckpt_encode_size(&r, 1), -EINVAL);
	r.type = HA_REC_PPPOE;
	memset(&r.u, 0, sizeof(r.u));
	p->id = 5;
	p->tid = p->sid = 1;
	snprintf(p->ifname, sizeof(p->ifname), "eth1");
	p->nvlan = 3;
	assert_int_equal(ckpt_encode_size(&r, 1), -EINVAL);
}

/* Decode a PppoeSession envelope. */
static int pppoe_decode(const L2tpha__PppoeSession *m)
{
	static uint8_t buf[1024];
	L2tpha__Envelope env = L2TPHA__ENVELOPE__INIT;
	struct ha_rec out;
	int rc;

	env.schema_version = HA_SCHEMA_VERSION;
	env.seq = 1;
	env.body_case = L2TPHA__ENVELOPE__BODY_PPPOE;
	env.pppoe = (L2tpha__PppoeSession *)m;
	assert_true(l2tpha__envelope__get_packed_size(&env) <= sizeof(buf));
	rc = ckpt_decode(buf, l2tpha__envelope__pack(&env, buf), &out, NULL, NULL);
	ha_rec_clear(&out);
	return rc;
}

/* What a PppoeSession may not carry: each value refused on its own. */
static void test_ckpt_pppoe_bad(void **state)
{
	static uint8_t mac[7] = { 2, 0, 0, 0, 0, 1, 9 };
	static char name[HA_USER_MAX + 1];
	uint32_t vlan[3] = { 100, 200, 300 };
	L2tpha__PppoeSession m = L2TPHA__PPPOE_SESSION__INIT;

	(void)state;
	m.id = 7;
	m.tid = 1;
	m.sid = 2;
	m.mac.data = mac;
	m.mac.len = 6;
	m.ifname.data = (uint8_t *)"eth1";
	m.ifname.len = 4;
	m.vlan = vlan;
	m.n_vlan = 2;
	assert_int_equal(pppoe_decode(&m), 0);
	m.id = 0;			/* discovery's */
	assert_int_equal(pppoe_decode(&m), -EBADMSG);
	m.id = 0xffff;			/* reserved */
	assert_int_equal(pppoe_decode(&m), -EBADMSG);
	m.id = 70000;			/* wider than the field */
	assert_int_equal(pppoe_decode(&m), -EBADMSG);
	m.id = 7;
	m.mac.len = 7;
	assert_int_equal(pppoe_decode(&m), -EBADMSG);
	m.mac.len = 0;
	assert_int_equal(pppoe_decode(&m), -EBADMSG);
	m.mac.len = 6;
	m.n_vlan = 3;
	assert_int_equal(pppoe_decode(&m), -EBADMSG);
	m.n_vlan = 2;
	vlan[1] = 4095;			/* not a VID */
	assert_int_equal(pppoe_decode(&m), -EBADMSG);
	vlan[1] = 200;
	m.tid = 0;			/* no call */
	assert_int_equal(pppoe_decode(&m), -EBADMSG);
	m.tid = 1;
	m.sid = 65536;
	assert_int_equal(pppoe_decode(&m), -EBADMSG);
	m.sid = 2;
	m.state = 256;
	assert_int_equal(pppoe_decode(&m), -EBADMSG);
	m.state = 0;
	m.ifname.len = 0;		/* no interface */
	assert_int_equal(pppoe_decode(&m), -EBADMSG);
	m.ifname.len = 4;
	memset(name, 'u', sizeof(name));
	m.user.data = (uint8_t *)name;
	m.user.len = HA_USER_MAX;	/* no room for the terminator */
	assert_int_equal(pppoe_decode(&m), -EBADMSG);
	m.user.len = HA_USER_MAX - 1;
	assert_int_equal(pppoe_decode(&m), 0);
	m.relay_sid.data = (uint8_t *)name;
	m.relay_sid.len = HA_PPPOE_RELAY_SID_MAX + 1;
	assert_int_equal(pppoe_decode(&m), -EBADMSG);
}

/* The configuration: its text whole, the digest, save; a NUL inside refused. */
static void test_ckpt_config(void **state)
{
	static const char text[] = "hostname a\nvpdn enable\n!\nvpdn-group B\n accept-dialin\n";
	struct ha_rec r = { .type = HA_REC_CONFIG }, out;
	uint8_t buf[256];
	uint64_t seq;
	uint32_t ver;
	int n;

	(void)state;
	r.u.config.text = text;
	r.u.config.len = sizeof text - 1;
	r.u.config.digest = ha_rec_digest(text, sizeof text - 1);
	r.u.config.save = 1;
	roundtrip(&r, 5, &out);
	assert_int_equal(out.u.config.len, sizeof text - 1);
	assert_string_equal(out.u.config.text, text);
	assert_int_equal(out.u.config.digest, r.u.config.digest);
	assert_int_equal(out.u.config.save, 1);
	ha_rec_clear(&out);
	/* FNV-1a 64 (its published vectors), and a one-byte change moves it */
	assert_int_equal(ha_rec_digest("", 0), 0xcbf29ce484222325ull);
	assert_int_equal(ha_rec_digest("a", 1), 0xaf63dc4c8601ec8cull);
	assert_int_not_equal(ha_rec_digest("hostname a", 10), ha_rec_digest("hostname b", 10));
	/* a configuration far above one control message's size goes whole */
	{
		size_t big = 300 * 1024;
		char *t = malloc(big + 1);

		assert_non_null(t);
		for (size_t i = 0; i < big; i++)
			t[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
		t[big] = '\0';
		r.u.config.text = t;
		r.u.config.len = big;
		roundtrip(&r, 7, &out);
		assert_int_equal(out.u.config.len, big);
		assert_memory_equal(out.u.config.text, t, big);
		ha_rec_clear(&out);
		free(t);
	}
	/* a NUL inside the text: a bad record */
	r.u.config.text = "a\0b";
	r.u.config.len = 3;
	n = ckpt_encode(&r, 6, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, &seq, &ver), -EBADMSG);
}

static void test_ckpt_ctl(void **state)
{
	uint8_t buf[128];
	struct ha_ctl c = {
		.type = HA_CTL_ACK, .epoch = 3, .seq = 1ULL << 33, .count = 9, .synced = 1,
	}, c2;
	struct ha_rec r;
	uint64_t seq;
	uint32_t ver;
	int n;

	(void)state;
	n = ckpt_ctl_encode(&c, 5, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(ckpt_decode_msg(buf, (size_t)n, &r, &c2, &seq, &ver), CKPT_CTL);
	assert_int_equal(ver, 5);
	assert_int_equal(c2.type, HA_CTL_ACK);
	assert_int_equal(c2.epoch, 3);
	assert_int_equal(c2.seq, 1ULL << 33);
	assert_int_equal(c2.count, 9);
	assert_int_equal(c2.synced, 1);
	assert_int_equal(c2.want_bulk, 0);
	/* A control message is not a record. */
	assert_int_equal(ckpt_decode(buf, (size_t)n, &r, &seq, &ver), -EBADMSG);
	assert_int_equal(ckpt_ctl_encode(&c, 5, buf, 2), -ENOSPC);
	c.type = HA_CTL_NONE;
	assert_int_equal(ckpt_ctl_encode(&c, 5, buf, sizeof(buf)), -EINVAL);
	assert_string_equal(ckpt_ctl_type_string(HA_CTL_BULK_END), "bulk-end");
	assert_string_equal(ckpt_ctl_type_string((enum ha_ctl_type)99), "unknown");
}

static void test_ckpt_type_string(void **state)
{
	(void)state;
	assert_string_equal(ha_rec_type_string(HA_REC_NONE), "none");
	assert_string_equal(ha_rec_type_string(HA_REC_TUNNEL), "tunnel");
	assert_string_equal(ha_rec_type_string(HA_REC_SEQ), "seq");
	assert_string_equal(ha_rec_type_string(HA_REC_CTRL_MSG), "ctrl-msg");
	assert_string_equal(ha_rec_type_string(HA_REC_SESSION), "session");
	assert_string_equal(ha_rec_type_string(HA_REC_DELETE), "delete");
	assert_string_equal(ha_rec_type_string(HA_REC_CONFIG), "config");
	assert_string_equal(ha_rec_type_string(HA_REC_CONFIG_PART), "config-part");
	assert_string_equal(ha_rec_type_string(HA_REC_PPPOE), "pppoe");
	assert_string_equal(ha_rec_type_string(HA_REC_PPPOE_DELETE), "pppoe-delete");
	assert_string_equal(ha_rec_type_string(HA_REC_PPPOE_LOCAL), "pppoe-local");
	assert_string_equal(ha_rec_type_string((enum ha_rec_type)11), "unknown");
}

/* What the encoder must refuse rather than send. */
static void test_ckpt_encode_invalid(void **state)
{
	uint8_t buf[4096];
	struct ha_rec r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(ckpt_encode(&r, 1, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(ckpt_encode_size(&r, 1), -EINVAL);
	r.type = (enum ha_rec_type)42;
	assert_int_equal(ckpt_encode(&r, 1, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(ckpt_encode(NULL, 1, buf, sizeof(buf)), -EINVAL);

	fill_tunnel(&r);
	r.u.tunnel.tid = 0;
	assert_int_equal(ckpt_encode(&r, 1, buf, sizeof(buf)), -EINVAL);
	fill_tunnel(&r);
	memset(r.u.tunnel.group, 'g', sizeof(r.u.tunnel.group));	/* unterminated */
	assert_int_equal(ckpt_encode(&r, 1, buf, sizeof(buf)), -EINVAL);

	fill_session(&r);
	r.u.session.sid = 0;
	assert_int_equal(ckpt_encode(&r, 1, buf, sizeof(buf)), -EINVAL);
	fill_session(&r);
	r.u.session.class_len = HA_CLASS_MAX + 1;
	assert_int_equal(ckpt_encode(&r, 1, buf, sizeof(buf)), -EINVAL);
	fill_session(&r);
	memset(r.u.session.ifname, 'p', sizeof(r.u.session.ifname));
	assert_int_equal(ckpt_encode(&r, 1, buf, sizeof(buf)), -EINVAL);

	memset(&r, 0, sizeof(r));
	r.type = HA_REC_CTRL_MSG;
	r.u.msg.tid = 1;
	r.u.msg.buf = buf;
	r.u.msg.len = 0;
	assert_int_equal(ckpt_encode(&r, 1, buf, sizeof(buf)), -EINVAL);
	r.u.msg.len = 65536;
	assert_int_equal(ckpt_encode_size(&r, 1), -EINVAL);
	r.u.msg.len = 10;
	r.u.msg.buf = NULL;
	assert_int_equal(ckpt_encode_size(&r, 1), -EINVAL);
}

/* Every prefix of a record cut inside its body is refused. */
static void test_ckpt_truncated(void **state)
{
	static uint8_t buf[HA_CKPT_MAX_LEN];
	struct ha_rec r, out;
	size_t cut, last_ok = 0;
	int n, rc;

	(void)state;
	fill_session(&r);
	n = ckpt_encode(&r, 1ULL << 50, buf, sizeof(buf));
	assert_true(n > 300);
	for (cut = 0; cut < (size_t)n; cut++) {
		/* A copy of exactly cut bytes, so ASan sees any over-read. */
		uint8_t *p = malloc(cut ? cut : 1);

		assert_non_null(p);
		memcpy(p, buf, cut);
		rc = ckpt_decode(p, cut, &out, NULL, NULL);
		if (rc == 0) {
			last_ok = cut;
			/* Only the envelope's own fields precede the body:
			 * without a body there is no record. */
			assert_int_equal(out.type, HA_REC_NONE);
			ha_rec_clear(&out);
		} else {
			assert_int_equal(rc, -EBADMSG);
		}
		free(p);
	}
	/* version (2) + seq (1 + 8) octets at most decode to an empty envelope */
	assert_true(last_ok <= 11);
}

static uint32_t xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/* Random bytes, and valid records with random bytes flipped. */
static void test_ckpt_garbage(void **state)
{
	static uint8_t valid[HA_CKPT_MAX_LEN];
	uint32_t rnd = 0x12345678;
	struct ha_rec r, out;
	struct ha_ctl c;
	int i, j, n, rc, refused = 0;

	(void)state;
	for (i = 0; i < 20000; i++) {
		size_t len = xorshift(&rnd) % 600;
		uint8_t *p = malloc(len ? len : 1);

		assert_non_null(p);
		for (j = 0; j < (int)len; j++)
			p[j] = (uint8_t)xorshift(&rnd);
		rc = ckpt_decode_msg(p, len, &out, &c, NULL, NULL);
		assert_true(rc == -EBADMSG || rc == CKPT_RECORD || rc == CKPT_CTL);
		if (rc < 0)
			refused++;
		if (rc == CKPT_RECORD)
			ha_rec_clear(&out);
		free(p);
	}
	assert_true(refused > 15000);

	fill_session(&r);
	n = ckpt_encode(&r, 77, valid, sizeof(valid));
	for (i = 0; i < 20000; i++) {
		uint8_t *p = malloc((size_t)n);

		assert_non_null(p);
		memcpy(p, valid, (size_t)n);
		for (j = 0; j < 1 + (int)(xorshift(&rnd) % 4); j++)
			p[xorshift(&rnd) % (uint32_t)n] = (uint8_t)xorshift(&rnd);
		rc = ckpt_decode_msg(p, (size_t)n, &out, &c, NULL, NULL);
		assert_true(rc == -EBADMSG || rc == CKPT_RECORD || rc == CKPT_CTL);
		if (rc == CKPT_RECORD) {
			/* Whatever decoded is within the C fields' bounds. */
			if (out.type == HA_REC_SESSION) {
				assert_true(strlen(out.u.session.user) < HA_NAME_MAX);
				assert_true(out.u.session.class_len <= HA_CLASS_MAX);
			}
			ha_rec_clear(&out);
		}
		free(p);
	}

	assert_int_equal(ckpt_decode(NULL, 5, &out, NULL, NULL), -EBADMSG);
	assert_int_equal(ckpt_decode(valid, (size_t)n, NULL, NULL, NULL), -EINVAL);
}

static void test_ckpt_oversized(void **state)
{
	uint8_t *p = calloc(1, HA_CKPT_MAX_LEN + 1);
	struct ha_rec out;

	(void)state;
	assert_non_null(p);
	assert_int_equal(ckpt_decode(p, HA_CKPT_MAX_LEN + 1, &out, NULL, NULL), -EMSGSIZE);
	assert_int_equal(ckpt_decode(p, SIZE_MAX, &out, NULL, NULL), -EMSGSIZE);
	free(p);
}

/* ------------------------------------------------------------------ */
/* Hand-built envelopes (through the next version's generated code) with
 * values this version's C structs cannot hold.                       */

static int pack_v2(L2tpha__V2__Envelope *env, uint8_t *buf, size_t size)
{
	size_t n = l2tpha__v2__envelope__get_packed_size(env);

	assert_true(n <= size);
	return (int)l2tpha__v2__envelope__pack(env, buf);
}

static void test_ckpt_out_of_range(void **state)
{
	static uint8_t buf[HA_CKPT_MAX_LEN + 16];
	static uint8_t blob[HA_CKPT_MAX_LEN];
	L2tpha__V2__Envelope env = L2TPHA__V2__ENVELOPE__INIT;
	L2tpha__V2__Tunnel t = L2TPHA__V2__TUNNEL__INIT;
	L2tpha__V2__Session s = L2TPHA__V2__SESSION__INIT;
	L2tpha__V2__CtrlMsg m = L2TPHA__V2__CTRL_MSG__INIT;
	L2tpha__V2__Seq q = L2TPHA__V2__SEQ__INIT;
	L2tpha__V2__Delete d = L2TPHA__V2__DELETE__INIT;
	struct ha_rec out;
	int n;

	(void)state;
	env.body_case = L2TPHA__V2__ENVELOPE__BODY_TUNNEL;
	env.tunnel = &t;
	t.tid = 1;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), 0);
	t.tid = 70000;			/* wider than a tunnel ID */
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	t.tid = 0;			/* "no tunnel" */
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	t.tid = 1;
	t.state = 256;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	t.state = 0;
	t.peer_port = 65536;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	t.peer_port = 0;
	memset(blob, 'x', sizeof(blob));
	t.group.data = blob;
	t.group.len = HA_NAME_MAX - 1;	/* fits with its terminator */
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), 0);
	assert_int_equal(strlen(out.u.tunnel.group), HA_NAME_MAX - 1);
	t.group.len = HA_NAME_MAX;	/* does not */
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);

	env.body_case = L2TPHA__V2__ENVELOPE__BODY_SESSION;
	env.session = &s;
	s.tid = 1;
	s.sid = 2;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), 0);
	s.class_attr.data = blob;
	s.class_attr.len = HA_CLASS_MAX + 1;	/* RFC 2865 §5: 253 at most */
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	s.class_attr.len = 0;
	s.local_ifid.data = blob;
	s.local_ifid.len = 7;			/* an interface identifier is 8 octets */
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	s.local_ifid.len = 0;
	s.ifname.data = blob;
	s.ifname.len = HA_IFNAME_MAX;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	s.ifname.len = 0;
	s.mru = 65536;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	s.mru = 0;
	/* IPv6: a prefix is 16 octets, a delegated length at most 128, a
	 * DUID at most 130 octets (RFC 8415 §11.1) */
	s.v6 = 1;
	s.v6_prefix.data = blob;
	s.v6_prefix.len = 16;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), 0);
	assert_true(out.u.session.v6_has_prefix);
	s.v6_prefix.len = 15;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	s.v6_prefix.len = 0;
	s.v6_pd_len = 129;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	s.v6_pd_len = 0;
	s.v6_client_duid.data = blob;
	s.v6_client_duid.len = HA_DUID_MAX + 1;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	s.v6_client_duid.len = 0;
	s.v6_na.data = blob;			/* an address is 16 octets */
	s.v6_na.len = 17;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	s.v6_na.len = 0;
	s.v6_na_client_duid.data = blob;
	s.v6_na_client_duid.len = HA_DUID_MAX + 1;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	s.v6_na_client_duid.len = 0;
	s.v6_server_duid.data = blob;
	s.v6_server_duid.len = HA_DUID_MAX + 1;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	s.v6_server_duid.len = 0;
	/* Framed-IPv6-Route: 37 octets each, a length 1..128, at most 4 */
	{
		ProtobufCBinaryData r[5];

		memset(blob, 0, 37);
		blob[16] = 48;
		for (unsigned i = 0; i < 5; i++)
			r[i] = (ProtobufCBinaryData){ .len = 37, .data = blob };
		s.v6_route = r;
		s.n_v6_route = 4;
		n = pack_v2(&env, buf, sizeof(buf));
		assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), 0);
		assert_int_equal(out.u.session.v6_n_routes, 4);
		s.n_v6_route = 5;
		n = pack_v2(&env, buf, sizeof(buf));
		assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
		s.n_v6_route = 1;
		r[0].len = 36;
		n = pack_v2(&env, buf, sizeof(buf));
		assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
		r[0].len = 37;
		blob[16] = 129;
		n = pack_v2(&env, buf, sizeof(buf));
		assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
		blob[16] = 0;
		n = pack_v2(&env, buf, sizeof(buf));
		assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
		s.n_v6_route = 0;
		s.v6_route = NULL;
	}
	s.v6 = 0;
	s.sid = 0;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);

	env.body_case = L2TPHA__V2__ENVELOPE__BODY_CTRL_MSG;
	env.ctrl_msg = &m;
	m.tid = 1;
	m.msg.data = blob;
	m.msg.len = 0;				/* an empty message */
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	m.msg.len = 65536;			/* more than §3.1's Length can say */
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	m.msg.len = 65535;
	m.ns = 65536;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	m.ns = 65535;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), 0);
	ha_rec_clear(&out);

	env.body_case = L2TPHA__V2__ENVELOPE__BODY_SEQ_REC;
	env.seq_rec = &q;
	q.tid = 1;
	q.una = 65536;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);

	env.body_case = L2TPHA__V2__ENVELOPE__BODY_DEL;
	env.del = &d;
	d.tid = 0;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
	d.tid = 5;
	d.sid = 65536;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, NULL, NULL), -EBADMSG);
}

/* ------------------------------------------------------------------ */
/* Rolling upgrade                                                     */

/* An older active, a newer standby: v1's bytes through v2's decoder. */
static void test_ckpt_v1_to_v2(void **state)
{
	static uint8_t buf[HA_CKPT_MAX_LEN];
	L2tpha__V2__Envelope *env;
	L2tpha__V2__Session *s;
	struct ha_rec r;
	int n, i;

	(void)state;
	fill_session(&r);
	n = ckpt_encode(&r, 4711, buf, sizeof(buf));
	assert_true(n > 0);
	env = l2tpha__v2__envelope__unpack(NULL, (size_t)n, buf);
	assert_non_null(env);
	assert_int_equal(env->schema_version, HA_SCHEMA_VERSION);
	assert_int_equal(env->seq, 4711);
	assert_int_equal(env->body_case, L2TPHA__V2__ENVELOPE__BODY_SESSION);
	s = env->session;
	assert_int_equal(s->tid, 33003);
	assert_int_equal(s->sid, 28017);
	assert_int_equal(s->peer_sid, 10);
	assert_int_equal(s->mru, 1492);
	assert_int_equal(s->magic, 0x11223344);
	assert_int_equal(s->peer_ip, 0x0a000105);	/* host order on the wire */
	assert_int_equal(s->dns1, 0x01010101);
	assert_int_equal(s->user.len, strlen("alice@isp.example"));
	assert_memory_equal(s->user.data, "alice@isp.example", s->user.len);
	assert_int_equal(s->class_attr.len, HA_CLASS_MAX);
	for (i = 0; i < HA_CLASS_MAX; i++)
		assert_int_equal(s->class_attr.data[i], (uint8_t)(i * 7));
	assert_int_equal(s->acct_out_octets, (1ULL << 41) + 3);
	assert_true(s->acct_started);
	/* The field v1 does not know reads as zero. */
	assert_int_equal(s->vlan_id, 0);
	assert_int_equal(s->base.n_unknown_fields, 0);
	l2tpha__v2__envelope__free_unpacked(env, NULL);

	fill_tunnel(&r);
	n = ckpt_encode(&r, 1, buf, sizeof(buf));
	env = l2tpha__v2__envelope__unpack(NULL, (size_t)n, buf);
	assert_non_null(env);
	assert_int_equal(env->body_case, L2TPHA__V2__ENVELOPE__BODY_TUNNEL);
	assert_int_equal(env->tunnel->peer_port, 50123);
	assert_int_equal(env->tunnel->local_addr, 0xc0a80101);
	l2tpha__v2__envelope__free_unpacked(env, NULL);
}

/* A newer active, an older standby: v2's bytes (with the added field set)
 * through ckpt_decode, which skips the field and gets everything else. */
static void test_ckpt_v2_to_v1(void **state)
{
	static uint8_t buf[HA_CKPT_MAX_LEN];
	L2tpha__V2__Envelope env = L2TPHA__V2__ENVELOPE__INIT;
	L2tpha__V2__Session s = L2TPHA__V2__SESSION__INIT;
	struct ha_rec want, out;
	const struct ha_session_rec *w;
	uint8_t rb[HA_V6_ROUTES][37];
	ProtobufCBinaryData rd[HA_V6_ROUTES];
	uint64_t seq;
	uint32_t ver;
	int n;

	(void)state;
	fill_session(&want);
	w = &want.u.session;
	s.tid = w->tid;
	s.sid = w->sid;
	s.peer_sid = w->peer_sid;
	s.state = w->state;
	s.kind = w->kind;
	s.lns = w->lns;
	s.call_serial = w->call_serial;
	s.tx_speed = w->tx_speed;
	s.rx_speed = w->rx_speed;
	s.framing_type = w->framing_type;
	s.bearer_type = w->bearer_type;
	s.calling.data = (uint8_t *)w->calling;
	s.calling.len = strlen(w->calling);
	s.called.data = (uint8_t *)w->called;
	s.called.len = strlen(w->called);
	s.created_ms = w->created_ms;
	s.established_ms = w->established_ms;
	s.has_ppp = w->has_ppp;
	s.ppp_up = w->ppp_up;
	s.ppp_phase = w->ppp_phase;
	s.mru = w->mru;
	s.peer_mru = w->peer_mru;
	s.magic = w->magic;
	s.peer_magic = w->peer_magic;
	s.auth = w->auth;
	s.user.data = (uint8_t *)w->user;
	s.user.len = strlen(w->user);
	s.ipcp_open = w->ipcp_open;
	s.local_ip = ntohl(w->local_ip);
	s.peer_ip = ntohl(w->peer_ip);
	s.dns0 = ntohl(w->dns[0]);
	s.dns1 = ntohl(w->dns[1]);
	s.ipv6cp_open = w->ipv6cp_open;
	s.local_ifid.data = (uint8_t *)w->local_ifid;
	s.local_ifid.len = 8;
	s.peer_ifid.data = (uint8_t *)w->peer_ifid;
	s.peer_ifid.len = 8;
	s.ifname.data = (uint8_t *)w->ifname;
	s.ifname.len = strlen(w->ifname);
	s.pool.data = (uint8_t *)w->pool;
	s.pool.len = strlen(w->pool);
	s.ppp_up_ms = w->ppp_up_ms;
	s.session_timeout = w->session_timeout;
	s.idle_timeout = w->idle_timeout;
	s.acct_session_id.data = (uint8_t *)w->acct_session_id;
	s.acct_session_id.len = strlen(w->acct_session_id);
	s.class_attr.data = (uint8_t *)w->class_attr;
	s.class_attr.len = w->class_len;
	s.acct_in_octets = w->acct_in_octets;
	s.acct_out_octets = w->acct_out_octets;
	s.acct_in_packets = w->acct_in_packets;
	s.acct_out_packets = w->acct_out_packets;
	s.acct_started = w->acct_started;
	s.v6 = w->v6;
	s.v6_prefix.data = (uint8_t *)w->v6_prefix;
	s.v6_prefix.len = 16;
	s.v6_pool.data = (uint8_t *)w->v6_pool;
	s.v6_pool.len = strlen(w->v6_pool);
	s.v6_pd.data = (uint8_t *)w->v6_pd;
	s.v6_pd.len = 16;
	s.v6_pd_len = w->v6_pd_len;
	s.v6_pd_pool.data = (uint8_t *)w->v6_pd_pool;
	s.v6_pd_pool.len = strlen(w->v6_pd_pool);
	s.v6_bound = w->v6_lease.bound;
	s.v6_client_duid.data = (uint8_t *)w->v6_lease.client_duid;
	s.v6_client_duid.len = w->v6_lease.client_duid_len;
	s.v6_iaid = w->v6_lease.iaid;
	s.v6_lease_start_ms = w->v6_lease.start_ms;
	s.v6_valid = w->v6_lease.valid;
	s.v6_preferred = w->v6_lease.preferred;
	s.v6_server_duid.data = (uint8_t *)w->v6_server_duid;
	s.v6_server_duid.len = w->v6_server_duid_len;
	s.v6_na.data = (uint8_t *)w->v6_na;
	s.v6_na.len = 16;
	s.v6_na_pool.data = (uint8_t *)w->v6_na_pool;
	s.v6_na_pool.len = strlen(w->v6_na_pool);
	s.v6_na_bound = w->v6_na_lease.bound;
	s.v6_na_client_duid.data = (uint8_t *)w->v6_na_lease.client_duid;
	s.v6_na_client_duid.len = w->v6_na_lease.client_duid_len;
	s.v6_na_iaid = w->v6_na_lease.iaid;
	s.v6_na_start_ms = w->v6_na_lease.start_ms;
	s.v6_na_valid = w->v6_na_lease.valid;
	s.v6_na_preferred = w->v6_na_lease.preferred;
	/* the routes as checkpoint.proto lays them out: prefix, length,
	 * gateway, metric in network order */
	for (unsigned i = 0; i < w->v6_n_routes; i++) {
		memcpy(rb[i], w->v6_route[i].dst, 16);
		rb[i][16] = w->v6_route[i].plen;
		memcpy(rb[i] + 17, w->v6_route[i].gw, 16);
		rb[i][33] = (uint8_t)(w->v6_route[i].metric >> 24);
		rb[i][34] = (uint8_t)(w->v6_route[i].metric >> 16);
		rb[i][35] = (uint8_t)(w->v6_route[i].metric >> 8);
		rb[i][36] = (uint8_t)w->v6_route[i].metric;
		rd[i] = (ProtobufCBinaryData){ .len = 37, .data = rb[i] };
	}
	s.v6_route = rd;
	s.n_v6_route = w->v6_n_routes;
	s.vlan_id = 4094;		/* the field version 1 does not know */

	env.schema_version = HA_SCHEMA_VERSION + 1;
	env.seq = 31337;
	env.body_case = L2TPHA__V2__ENVELOPE__BODY_SESSION;
	env.session = &s;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, &seq, &ver), 0);
	assert_int_equal(seq, 31337);
	assert_int_equal(ver, HA_SCHEMA_VERSION + 1);
	assert_int_equal(out.type, HA_REC_SESSION);
	check_session(w, &out.u.session);
	ha_rec_clear(&out);
}

/* A record kind the next version added decodes as HA_REC_NONE with its
 * sequence number, so the link counts it and reports no gap. */
static void test_ckpt_v2_new_kind(void **state)
{
	uint8_t buf[256];
	L2tpha__V2__Envelope env = L2TPHA__V2__ENVELOPE__INIT;
	L2tpha__V2__Interim in = L2TPHA__V2__INTERIM__INIT;
	struct ha_rec out;
	uint64_t seq;
	uint32_t ver;
	int n;

	(void)state;
	in.tid = 3;
	in.sid = 4;
	in.octets = 1ULL << 42;
	env.schema_version = HA_SCHEMA_VERSION + 1;
	env.seq = 8;
	env.body_case = L2TPHA__V2__ENVELOPE__BODY_INTERIM;
	env.interim = &in;
	n = pack_v2(&env, buf, sizeof(buf));
	assert_int_equal(ckpt_decode(buf, (size_t)n, &out, &seq, &ver), 0);
	assert_int_equal(out.type, HA_REC_NONE);
	assert_int_equal(seq, 8);
	assert_int_equal(ver, HA_SCHEMA_VERSION + 1);
	ha_rec_clear(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ckpt_tunnel),
		cmocka_unit_test(test_ckpt_seq),
		cmocka_unit_test(test_ckpt_ctrl_msg),
		cmocka_unit_test(test_ckpt_session),
		cmocka_unit_test(test_ckpt_session_largest),
		cmocka_unit_test(test_ckpt_delete),
		cmocka_unit_test(test_ckpt_config),
		cmocka_unit_test(test_ckpt_ctl),
		cmocka_unit_test(test_ckpt_type_string),
		cmocka_unit_test(test_ckpt_encode_invalid),
		cmocka_unit_test(test_ckpt_truncated),
		cmocka_unit_test(test_ckpt_garbage),
		cmocka_unit_test(test_ckpt_oversized),
		cmocka_unit_test(test_ckpt_out_of_range),
		cmocka_unit_test(test_ckpt_v1_to_v2),
		cmocka_unit_test(test_ckpt_v2_to_v1),
		cmocka_unit_test(test_ckpt_v2_new_kind),
		cmocka_unit_test(test_ckpt_pppoe),
		cmocka_unit_test(test_ckpt_pppoe_bad),
		cmocka_unit_test(test_ckpt_rec_reuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
