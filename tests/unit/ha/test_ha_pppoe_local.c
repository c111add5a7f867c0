/*
 * A PPPoE subscriber terminated here (pppoe/lac.c, local-up) across a
 * hitless restart (ha/restart.c, pppoe/restore.c) and in the checkpoint to
 * a standby (ha/pppoe.c): its record carries its PPP's negotiated state
 * (HA_REC_PPPOE_LOCAL); the new process goes on with it: the same session
 * ID and MAC, no frame to the subscriber, its address still taken in the
 * pool, LCP echoes both ways with the same magic numbers, no LCP or IPCP
 * Configure-Request.  Under a faked kernel path the channel and pppN are
 * adopted and configured again.  A new binary whose HELLO says an older
 * schema is refused while such sessions exist (cli/restart.c).  The
 * subscriber is played by our own PPP stack (fake_pppoe_sub.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_pppoe_sub.h"
#include "fake_radius.h"
#include "fake_standby.h"
#include "harness.h"
#include "aaa/radius.h"
#include "cli/restart.h"
#include "core/ippool.h"
#include "ppp/ppp.h"
#include "ppp/proto.h"
#include "pppoe/access.h"
#include "haproto/checkpoint.pb-c.h"
#include "haproto/ckpt.h"
#include "haproto/ha_rec.h"
#include "haproto/ha_shadow.h"

static const uint8_t port_mac[6] = { 0x02, 0xac, 0x00, 0x00, 0x00, 0x01 };

static struct fake_sub S;

#define CFG_LOCAL \
	"hostname bras1\n" \
	FAKE_SUB_CFG_LOCAL_USER \
	FAKE_SUB_CFG_LOCAL_VT \
	" ppp authentication pap\n" \
	" keepalive 10\n" \
	FAKE_SUB_CFG_BBA \
	FAKE_SUB_CFG_ETH1

static const char cfg_local[] = CFG_LOCAL;

static const char cfg_local_ha[] = CFG_LOCAL
	"redundancy\n"
	" mode sso\n"
	" checkpoint local 10.99.0.1\n"
	" checkpoint peer 10.99.0.2\n"
	" checkpoint security none\n";

static struct harness *box_new(void **state, const char *cfg)
{
	struct harness *h = h_new(state, cfg);

	assert_int_equal(ippool_setup(&h->d.pools, &h->d.cfg), 0);
	return h;
}

static void access_start(struct harness *h)
{
	char err[256];

	assert_int_equal(pppoe_access_start(&h->d, &fake_sub_port_ops, &S, err, sizeof err), 0);
}

static const struct pppoe_session *only_session(struct harness *h)
{
	return TAILQ_FIRST(&h->d.access->ac->sessions);
}

/* The subscriber dials and is terminated here, up with 10.99.0.1. */
static struct harness *local_up(void **state, const char *cfg, int kernel)
{
	struct harness *h = box_new(state, cfg);
	struct pppoe_lac_info li;

	memset(&S, 0, sizeof S);
	S.h = h;
	S.port_mac = port_mac;
	if (kernel) {
		S.dp = fake_dp_attach(h);
		fake_dp_pppoe(S.dp);
	}
	h_at_free(h, fake_sub_free, &S);
	access_start(h);
	fake_sub_dial(&S, 0x41, 0, "loc@home.example", "lpw");
	assert_true(S.up);
	assert_int_equal(pppoe_lac_info(only_session(h), &li), 0);
	assert_int_equal(li.state, PPPOE_LAC_LOCAL_UP);
	return h;
}

static int restart_put(void *arg, const uint8_t *buf, size_t len)
{
	return ha_restart_apply(arg, buf, len);
}

static void restart_free_new(void *arg)
{
	h_free(arg);
}

/* h with a standby (fake_standby.h) and its access port, no subscriber yet. */
static struct fake_standby *standby_box(struct harness *h)
{
	struct fake_standby *b;

	memset(&S, 0, sizeof S);
	S.h = h;
	S.port_mac = port_mac;
	h_at_free(h, fake_sub_free, &S);
	b = fake_standby_new(h, 1);
	access_start(h);
	return b;
}

/* A store holding what the standby holds of r (a new active's, on another
 * box). */
static struct ha_shadow *shadow_of(const struct ha_pppoe_rec *r)
{
	struct ha_shadow *sh = ha_shadow_new();
	struct ha_rec rec = { .type = HA_REC_PPPOE_LOCAL };

	assert_non_null(sh);
	rec.u.pppoe = *r;
	assert_int_equal(ha_shadow_apply(sh, &rec), 0);
	return sh;
}

/* h2 (freed with h) rebuilds the subscriber's session from sh and takes
 * its port; h's standby b, if any, is gone.  sh is freed.  The session is
 * rebuilt, or with refused, counted as an error (nothing rebuilt). */
static void rebuilt_as(struct harness *h, struct harness *h2, struct fake_standby *b,
		       struct ha_shadow *sh, int refused)
{
	uint64_t n, errors;

	h_at_free(h, restart_free_new, h2);
	if (b != NULL)
		fake_standby_detach(b);
	S.h = h2;
	access_start(h2);
	ha_restart_pppoe(&h2->d, sh, &n, &errors);
	ha_shadow_free(sh);
	assert_int_equal(n, refused ? 0 : 1);
	assert_int_equal(errors, refused ? 1 : 0);
}

static void rebuilt(struct harness *h, struct harness *h2, struct fake_standby *b,
		    struct ha_shadow *sh)
{
	rebuilt_as(h, h2, b, sh, 0);
}

/* The record the process before made (through the codec), checked. */
static struct ha_shadow *export_checked(struct harness *h)
{
	struct ha_shadow *sh = ha_shadow_new();
	const struct ha_pppoe_rec *r;
	unsigned nt, ns;
	struct ppp_state st;

	assert_non_null(sh);
	assert_int_equal(ppp_export(S.ppp, &st), 0);
	assert_int_equal(ha_restart_export(&h->d, restart_put, sh, &nt, &ns), 0);
	assert_int_equal(nt, 0);
	r = ha_shadow_pppoe(sh, S.sid);
	assert_non_null(r);
	assert_int_equal(r->local, 1);
	assert_int_equal(r->tid, 0);
	assert_memory_equal(r->mac, S.mac, 6);
	assert_string_equal(r->user, "loc@home.example");
	assert_string_equal(r->ppp.pool, "LOCAL");
	assert_int_equal(r->ppp.peer_ip, S.addr.s_addr);
	/* the subscriber's magic is the daemon's peer magic, and back */
	assert_int_equal(r->ppp.peer_magic, st.magic);
	assert_int_equal(r->ppp.magic, st.peer_magic);
	assert_int_not_equal(r->ppp.magic, 0);
	assert_int_equal(r->ppp.ipcp_open, 1);
	return sh;
}

/* The new process: the same configuration, the port, the session. */
static struct harness *restarted(struct harness *h, const char *cfg, struct ha_shadow *sh,
				 int kernel)
{
	void *state2 = NULL;
	struct harness *h2 = box_new(&state2, cfg);

	if (kernel) {
		S.dp = fake_dp_attach(h2);
		fake_dp_pppoe(S.dp);
	}
	rebuilt(h, h2, NULL, sh);
	return h2;
}

/* After the restart: the same session, nothing said, the address taken,
 * echoes both ways, no Configure-Request. */
static void goes_on(struct harness *h2, unsigned tx)
{
	const struct pppoe_session *s = only_session(h2);
	struct ppp_stats before, after;
	struct pppoe_lac_info li;
	struct in_addr a;
	unsigned replies = S.echo_reply_rx;

	assert_non_null(s);
	assert_int_equal(s->id, S.sid);
	assert_memory_equal(s->mac, S.mac, 6);
	assert_int_equal(pppoe_lac_info(s, &li), 0);
	assert_int_equal(li.state, PPPOE_LAC_LOCAL_UP);
	assert_int_equal(li.peer_addr, S.addr.s_addr);
	assert_int_equal(S.tx, tx);		/* nothing to the subscriber */
	assert_int_equal(ippool_in_use(h2->d.pools, "LOCAL"), 1);
	/* a new subscriber would get another address */
	assert_int_equal(ippool_alloc(h2->d.pools, "LOCAL", &a), 0);
	assert_int_not_equal(a.s_addr, S.addr.s_addr);
	ippool_free(h2->d.pools, "LOCAL", a);
	ppp_get_stats(S.ppp, &before);
	/* the daemon's LCP echo (keepalive 10): the subscriber answers it,
	 * its magic is the one the subscriber knows */
	clock_advance(&h2->d.clk, 10500);
	fake_sub_pump(&S);
	ppp_get_stats(S.ppp, &after);
	assert_true(after.lcp_ext.echo_rep_tx > before.lcp_ext.echo_rep_tx);
	assert_int_equal(after.lcp_ext.echo_bad, before.lcp_ext.echo_bad);
	/* the subscriber's echo (its magic) is answered by the new process */
	{
		uint8_t req[] = { 0xc0, 0x21, PPP_ECHO_REQ, 9, 0x00, 0x08, 0, 0, 0, 0 };
		struct ppp_state st;

		assert_int_equal(ppp_export(S.ppp, &st), 0);
		req[6] = (uint8_t)(st.magic >> 24);
		req[7] = (uint8_t)(st.magic >> 16);
		req[8] = (uint8_t)(st.magic >> 8);
		req[9] = (uint8_t)st.magic;

		pppoe_buf_init(&S.b, port_mac, S.mac, NULL, 0, PPPOE_ETH_P_SESS, PPPOE_CODE_SESS,
			       S.sid);
		pppoe_put(&S.b, req, sizeof req);
		fake_sub_port_in(&S);
		fake_sub_pump(&S);
	}
	ppp_get_stats(S.ppp, &after);
	assert_int_equal(after.lcp_ext.echo_rep_rx, before.lcp_ext.echo_rep_rx + 1);
	assert_int_equal(S.echo_reply_rx, replies + (S.dp == NULL));	/* on the port */
	/* no renegotiation: the subscriber acknowledged no Configure-Request */
	assert_int_equal(after.lcp.tx_conf_ack, before.lcp.tx_conf_ack);
	assert_int_equal(after.ipcp.tx_conf_ack, before.ipcp.tx_conf_ack);
	assert_int_equal(after.lcp.rx_packets - before.lcp.rx_packets,
			 after.lcp_ext.echo_req_rx - before.lcp_ext.echo_req_rx +
			 after.lcp_ext.echo_rep_rx - before.lcp_ext.echo_rep_rx);
	assert_int_equal(S.padt_rx, 0);
	assert_int_equal(S.lcp_term_rx, 0);
	assert_int_equal(ppp_get_phase(S.ppp), PPP_PHASE_NETWORK);
	assert_true(S.up);
}

/* `l2tpctl restart` (null path): the record round trip and the restore. */
static void test_ha_pppoe_local_restart(void **state)
{
	struct harness *h = local_up(state, cfg_local, 0), *h2;
	struct ha_shadow *sh;
	unsigned local, relayed, tx;

	assert_int_equal(pppoe_access_count(&h->d, &local, &relayed), 1);
	assert_int_equal(local, 1);
	pppoe_access_reading(&h->d, 0);
	sh = export_checked(h);
	tx = S.tx;
	h2 = restarted(h, cfg_local, sh, 0);
	goes_on(h2, tx);
	/* the subscriber hangs up: the address goes back to the pool */
	fake_sub_padt(&S);
	clock_advance(&h2->d.clk, 1);
	assert_null(only_session(h2));
	assert_int_equal(ippool_in_use(h2->d.pools, "LOCAL"), 0);
}

/* With accounting: the Start before the restart, the record carries it. */
static const char cfg_acct[] = CFG_LOCAL
	"aaa new-model\n"
	"aaa authentication ppp default local\n"
	"aaa accounting network default start-stop group radius\n"
	"aaa accounting update periodic 5\n"
	"radius-server host 192.0.2.9 key k\n";

static uint32_t acct_u32(const struct radius_msg *m, uint8_t type)
{
	uint32_t v = 0;

	assert_non_null(radius_find(m, type));
	assert_int_equal(radius_get_u32(radius_find(m, type), &v), 0);
	return v;
}

/* ms go by, the subscriber answering the daemon's LCP echoes (keepalive 10). */
static void run_for(struct harness *h, uint64_t ms)
{
	for (; ms >= 5000; ms -= 5000) {
		clock_advance(&h->d.clk, 5000);
		fake_sub_pump(&S);
	}
	clock_advance(&h->d.clk, ms);
	fake_sub_pump(&S);
}

/* Request nth of rad's accounting: its type, its Acct-Session-Id in id. */
static uint32_t acct_nth(struct fake_radius *rad, unsigned nth, struct radius_msg *m, char *id,
			 size_t idsz)
{
	fake_radius_parse(fake_radius_nth(rad, RADIUS_ACCT, nth), m);
	assert_non_null(radius_find(m, RADIUS_ATTR_ACCT_SESSION_ID));
	assert_int_equal(radius_get_str(radius_find(m, RADIUS_ATTR_ACCT_SESSION_ID), id, idsz), 0);
	return acct_u32(m, RADIUS_ATTR_ACCT_STATUS_TYPE);
}

/* A session accounted, restarted, then ended: one Start in all (before),
 * the new process's Interim-Update and Stop with the same Acct-Session-Id,
 * a Session-Time from the first IPCP up (the time before the restart in
 * it), counters never below what was reported. */
static void test_ha_pppoe_local_restart_acct(void **state)
{
	struct harness *h = box_new(state, cfg_acct), *h2;
	struct fake_radius *rad = fake_radius_new(h), *rad2;
	char id[64], id2[64];
	struct radius_msg m;
	const struct ha_pppoe_rec *r;
	struct ha_shadow *sh;
	void *state2 = NULL;
	uint64_t up_wall, in_oct;

	memset(&S, 0, sizeof S);
	S.h = h;
	S.port_mac = port_mac;
	h_at_free(h, fake_sub_free, &S);
	access_start(h);
	clock_advance(&h->d.clk, 1000);
	fake_sub_dial(&S, 0x43, 0, "loc@home.example", "lpw");
	assert_true(S.up);
	up_wall = clock_wall_ms(&h->d.clk);
	assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 1);
	assert_int_equal(acct_nth(rad, 0, &m, id, sizeof id), 1);	/* Start */
	run_for(h, 60000);
	/* `l2tpctl restart`: the record carries the accounting */
	pppoe_access_reading(&h->d, 0);
	sh = export_checked(h);
	r = ha_shadow_pppoe(sh, S.sid);
	assert_int_equal(r->ppp.acct_started, 1);
	assert_string_equal(r->ppp.acct_session_id, id);
	assert_true(r->ppp.acct_up_ms <= up_wall && r->ppp.acct_up_ms + 5000 > up_wall);
	/* the new process: its clock where the old one's is (one wall clock) */
	up_wall = r->ppp.acct_up_ms;
	h2 = box_new(&state2, cfg_acct);
	rad2 = fake_radius_new(h2);
	clock_advance(&h2->d.clk, clock_now(&h->d.clk) - clock_now(&h2->d.clk));
	rebuilt(h, h2, NULL, sh);
	assert_int_equal(fake_radius_count(rad2, RADIUS_ACCT), 0);	/* no second Start */
	/* the interval (5 min) from the restore: an Interim-Update */
	run_for(h2, 300000);
	assert_int_equal(fake_radius_count(rad2, RADIUS_ACCT), 1);
	assert_int_equal(acct_nth(rad2, 0, &m, id2, sizeof id2), 3);
	assert_string_equal(id2, id);
	assert_int_equal(acct_u32(&m, RADIUS_ATTR_ACCT_SESSION_TIME),
			 (clock_wall_ms(&h2->d.clk) - up_wall) / 1000);
	assert_true(acct_u32(&m, RADIUS_ATTR_ACCT_SESSION_TIME) >= 360);
	in_oct = acct_u32(&m, RADIUS_ATTR_ACCT_INPUT_OCTETS);
	/* the subscriber hangs up: one Stop, the same record */
	run_for(h2, 30000);
	fake_sub_padt(&S);
	clock_advance(&h2->d.clk, 1);
	assert_null(only_session(h2));
	assert_int_equal(fake_radius_count(rad2, RADIUS_ACCT), 2);
	assert_int_equal(acct_nth(rad2, 1, &m, id2, sizeof id2), 2);	/* Stop */
	assert_string_equal(id2, id);
	assert_int_equal(acct_u32(&m, RADIUS_ATTR_ACCT_SESSION_TIME),
			 (clock_wall_ms(&h2->d.clk) - up_wall) / 1000);
	assert_true(acct_u32(&m, RADIUS_ATTR_ACCT_SESSION_TIME) >= 390);
	assert_true(acct_u32(&m, RADIUS_ATTR_ACCT_INPUT_OCTETS) >= in_oct);
	assert_int_equal(acct_u32(&m, RADIUS_ATTR_ACCT_TERMINATE_CAUSE), 1);	/* User Request */
	/* one Start in all: the old process sent it, the new one none */
	assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 1);
	assert_int_equal(h2->d.aaa.stats.acct_start, 0);
	assert_int_equal(h2->d.aaa.stats.acct_stop, 1);
	clock_advance(&h2->d.clk, 600000);
	assert_int_equal(fake_radius_count(rad2, RADIUS_ACCT), 2);
}

/* The standby's record is written after the Start (IPCP up: Start, then
 * the record): it carries the Acct-Session-Id; a takeover from it sends
 * no Start, and the Stop with that Acct-Session-Id. */
static void test_ha_pppoe_local_standby_acct(void **state)
{
	static const char cfg_ha[] = CFG_LOCAL
		"aaa new-model\n"
		"aaa authentication ppp default local\n"
		"aaa accounting network default start-stop group radius\n"
		"aaa accounting update periodic 5\n"
		"radius-server host 192.0.2.9 key k\n"
		"redundancy\n"
		" mode sso\n"
		" checkpoint local 10.99.0.1\n"
		" checkpoint peer 10.99.0.2\n"
		" checkpoint security none\n";
	struct harness *h = box_new(state, cfg_ha), *h2;
	struct fake_radius *rad = fake_radius_new(h), *rad2;
	struct fake_standby *b;
	const struct ha_pppoe_rec *r;
	struct ha_shadow *sh;
	struct radius_msg m;
	char id[64], id2[64];
	void *state2 = NULL;

	b = standby_box(h);
	clock_advance(&h->d.clk, 1000);
	fake_sub_dial(&S, 0x44, 0, "loc@home.example", "lpw");
	assert_true(S.up);
	ha_flush(&h->d);
	assert_int_equal(acct_nth(rad, 0, &m, id, sizeof id), 1);	/* Start */
	assert_int_equal(b->by_type[HA_REC_PPPOE_LOCAL], 1);
	r = ha_shadow_pppoe(b->shadow, S.sid);
	assert_non_null(r);
	assert_int_equal(r->ppp.acct_started, 1);
	assert_string_equal(r->ppp.acct_session_id, id);
	sh = shadow_of(r);
	run_for(h, 20000);
	h2 = box_new(&state2, cfg_acct);
	rad2 = fake_radius_new(h2);
	clock_advance(&h2->d.clk, clock_now(&h->d.clk) - clock_now(&h2->d.clk));
	rebuilt(h, h2, b, sh);	/* the takeover's rebuild */
	assert_int_equal(fake_radius_count(rad2, RADIUS_ACCT), 0);	/* no second Start */
	run_for(h2, 10000);
	fake_sub_padt(&S);
	clock_advance(&h2->d.clk, 1);
	assert_int_equal(fake_radius_count(rad2, RADIUS_ACCT), 1);
	assert_int_equal(acct_nth(rad2, 0, &m, id2, sizeof id2), 2);	/* Stop */
	assert_string_equal(id2, id);
	assert_true(acct_u32(&m, RADIUS_ATTR_ACCT_SESSION_TIME) >= 30);
}

/* -d linux (faked): pppN is adopted, not made; configured again. */
static void test_ha_pppoe_local_restart_kernel(void **state)
{
	struct harness *h = local_up(state, cfg_local, 1), *h2;
	struct ha_shadow *sh;
	char want[64];
	unsigned tx;

	sh = export_checked(h);
	assert_string_equal(ha_shadow_pppoe(sh, S.sid)->ppp.unit, "ppp40");
	tx = S.tx;
	h2 = restarted(h, cfg_local, sh, 1);
	snprintf(want, sizeof want, "open %u unit %u configure %u ", S.sid, S.sid, S.sid);
	assert_string_equal(S.dp->log, want);
	assert_int_equal(h2->d.dp->count.ppp_units, 1);
	assert_int_equal(S.dp->pppoe_cfg.peer, S.addr.s_addr);
	assert_int_equal(S.dp->pppoe_cfg.up, 1);
	goes_on(h2, tx);
}

/* A restore that fails (the pool has no such address here) tells the
 * subscriber (PADT) and leaves nothing. */
static void test_ha_pppoe_local_restore_refused(void **state)
{
	struct harness *h = local_up(state, cfg_local, 0), *h2;
	struct ha_shadow *sh = export_checked(h);
	void *state2 = NULL;

	h2 = box_new(&state2, "hostname bras1\n"
		     "username loc@home.example password lpw\n"
		     "ip local pool LOCAL 10.98.0.1 10.98.0.9\n"
		     "interface Virtual-Template1\n"
		     " ip address 10.98.255.254 255.255.255.255\n"
		     " peer default ip address pool LOCAL\n"
		     "bba-group pppoe global\n"
		     " virtual-template 1\n"
		     "interface eth1\n"
		     " pppoe enable group global\n");
	rebuilt_as(h, h2, NULL, sh, 1);
	clock_advance(&h2->d.clk, 1);
	assert_int_equal(S.padt_rx, 1);
	assert_null(only_session(h2));
	assert_int_equal(ippool_in_use(h2->d.pools, "LOCAL"), 0);
}

/* The new binary's HELLO said schema 4 (or nothing): refused while a
 * session is terminated here, with the count; schema 5 is not. */
static void test_ha_pppoe_local_old_binary(void **state)
{
	struct harness *h = local_up(state, cfg_local, 0);
	char msg[256] = "";

	assert_int_equal(restart_schema_refused(&h->d, 4, msg, sizeof msg), -EPROTONOSUPPORT);
	assert_string_equal(msg, "the new binary (checkpoint schema 4) does not know PPPoE "
			    "sessions terminated here (schema 5): 1 such sessions would be "
			    "dropped");
	assert_int_equal(restart_schema_refused(&h->d, HA_SCHEMA_VERSION, msg, sizeof msg), 0);
	fake_sub_padt(&S);
	clock_advance(&h->d.clk, 1);
	assert_int_equal(restart_schema_refused(&h->d, 4, msg, sizeof msg), 0);
}

/* With a standby: the record goes to it once IPCP is open (through the
 * codec, as the link carries it), the PADT deletes it; a takeover from
 * its shadow store goes on with the subscriber's PPP. */
static void test_ha_pppoe_local_standby(void **state)
{
	struct harness *h, *h2;
	struct fake_standby *b;
	const struct ha_pppoe_rec *r;
	struct ha_shadow *sh;
	void *state2 = NULL;
	unsigned tx;

	h = box_new(state, cfg_local_ha);
	b = standby_box(h);
	fake_sub_dial(&S, 0x42, 0, "loc@home.example", "lpw");
	assert_true(S.up);
	ha_flush(&h->d);
	assert_int_equal(b->by_type[HA_REC_PPPOE_LOCAL], 1);
	r = ha_shadow_pppoe(b->shadow, S.sid);
	assert_non_null(r);
	assert_int_equal(r->local, 1);
	assert_int_equal(r->ppp.peer_ip, S.addr.s_addr);
	/* a new active from that store (another box: another harness) */
	sh = shadow_of(r);
	tx = S.tx;
	h2 = box_new(&state2, cfg_local);
	rebuilt(h, h2, b, sh);	/* the takeover's rebuild */
	goes_on(h2, tx);
}

/* The PADT deletes the standby's record. */
static void test_ha_pppoe_local_standby_delete(void **state)
{
	struct harness *h = box_new(state, cfg_local_ha);
	struct fake_standby *b;

	b = standby_box(h);
	fake_sub_dial(&S, 0x43, 0, "loc@home.example", "lpw");
	ha_flush(&h->d);
	assert_non_null(ha_shadow_pppoe(b->shadow, S.sid));
	fake_sub_padt(&S);
	ha_flush(&h->d);
	assert_int_equal(b->by_type[HA_REC_PPPOE_DELETE], 1);
	assert_null(ha_shadow_pppoe(b->shadow, S.sid));
	fake_standby_detach(b);
}

/* The record through the codec: every field back; what does not fit its
 * field, or names a call, is refused. */
static void test_ha_pppoe_local_codec(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x44 };
	static uint8_t ifid7[7] = { 1, 2, 3, 4, 5, 6, 7 };
	struct ha_rec r = { .type = HA_REC_PPPOE_LOCAL }, out;
	struct ha_pppoe_rec *p = &r.u.pppoe;
	L2tpha__PppoeSession sm = L2TPHA__PPPOE_SESSION__INIT;
	L2tpha__PppoeLocal m = L2TPHA__PPPOE_LOCAL__INIT;
	L2tpha__Envelope env = L2TPHA__ENVELOPE__INIT;
	uint8_t buf[2048];
	uint64_t seq;
	uint32_t ver;
	int len;

	(void)state;
	p->id = 0x1234;
	memcpy(p->mac, mac, 6);
	snprintf(p->ifname, sizeof p->ifname, "eth1");
	p->nvlan = 1;
	p->vlan[0] = 7;
	p->state = PPPOE_LAC_LOCAL_UP;
	snprintf(p->user, sizeof p->user, "loc@home.example");
	p->created_ms = 1765000000000ULL;
	p->local = 1;
	p->ppp.mru = 1492;
	p->ppp.peer_mru = 1480;
	p->ppp.magic = 0xdeadbeef;
	p->ppp.peer_magic = 0x01020304;
	p->ppp.auth = 2;
	p->ppp.ipcp_open = 1;
	p->ppp.ipv6cp_open = 1;
	p->ppp.local_ip = htonl(0x0a63fffe);
	p->ppp.peer_ip = htonl(0x0a630001);
	p->ppp.dns[0] = htonl(0x08080808);
	p->ppp.dns[1] = htonl(0x01010101);
	memset(p->ppp.local_ifid, 0x11, 8);
	memset(p->ppp.peer_ifid, 0x22, 8);
	snprintf(p->ppp.pool, sizeof p->ppp.pool, "LOCAL");
	snprintf(p->ppp.unit, sizeof p->ppp.unit, "ppp7");
	p->ppp.acct_started = 1;
	snprintf(p->ppp.acct_session_id, sizeof p->ppp.acct_session_id, "5F0A0001");
	p->ppp.class_len = 3;
	memcpy(p->ppp.class_attr, "cls", 3);
	p->ppp.acct_authentic = 1;
	p->ppp.acct_interval = 120;
	p->ppp.acct_up_ms = 1765000001000ULL;
	p->ppp.acct_in_octets = 1000;
	p->ppp.acct_out_octets = 2000;
	p->ppp.acct_in_packets = 10;
	p->ppp.acct_out_packets = 20;
	len = ckpt_encode(&r, 5, buf, sizeof buf);
	assert_true(len > 0);
	assert_int_equal(ckpt_decode(buf, (size_t)len, &out, &seq, &ver), 0);
	assert_int_equal(out.type, HA_REC_PPPOE_LOCAL);
	assert_int_equal(ver, HA_SCHEMA_VERSION);
	assert_memory_equal(&out.u.pppoe, p, sizeof *p);
	ha_rec_clear(&out);
	assert_string_equal(ha_rec_type_string(HA_REC_PPPOE_LOCAL), "pppoe-local");
	/* the encoder: a local record names no call */
	p->tid = 3;
	assert_true(ckpt_encode(&r, 6, buf, sizeof buf) < 0);
	p->tid = 0;
	/* the decoder */
	sm.id = 9;
	sm.mac.data = (uint8_t *)mac;
	sm.mac.len = 6;
	sm.ifname.data = (uint8_t *)"eth1";
	sm.ifname.len = 4;
	m.session = &sm;
	m.mru = 1492;
	env.schema_version = HA_SCHEMA_VERSION;
	env.seq = 1;
	env.body_case = L2TPHA__ENVELOPE__BODY_PPPOE_LOCAL;
	env.pppoe_local = &m;
#define DECODE() ckpt_decode(buf, l2tpha__envelope__pack(&env, buf), &out, NULL, NULL)
	assert_int_equal(DECODE(), 0);
	assert_int_equal(out.u.pppoe.local, 1);
	ha_rec_clear(&out);
	m.mru = 70000;			/* wider than an MRU */
	assert_int_equal(DECODE(), -EBADMSG);
	m.mru = 1492;
	m.local_ifid.data = ifid7;	/* RFC 5072 §4.1: 8 octets */
	m.local_ifid.len = 7;
	assert_int_equal(DECODE(), -EBADMSG);
	m.local_ifid.len = 0;
	m.acct_started = 1;		/* accounted: an Acct-Session-Id there is */
	assert_int_equal(DECODE(), -EBADMSG);
	m.acct_session_id.data = (uint8_t *)"5F0A0001";
	m.acct_session_id.len = 8;
	assert_int_equal(DECODE(), 0);
	assert_string_equal(out.u.pppoe.ppp.acct_session_id, "5F0A0001");
	ha_rec_clear(&out);
	m.acct_authentic = 256;
	assert_int_equal(DECODE(), -EBADMSG);
	m.acct_authentic = 0;
	m.acct_started = 0;
	sm.tid = 1;			/* a call: not terminated here */
	sm.sid = 1;
	assert_int_equal(DECODE(), -EBADMSG);
	sm.tid = sm.sid = 0;
	m.session = NULL;
	assert_int_equal(DECODE(), -EBADMSG);
#undef DECODE
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ha_pppoe_local_codec),
		cmocka_unit_test_teardown(test_ha_pppoe_local_restart, h_teardown),
		cmocka_unit_test_teardown(test_ha_pppoe_local_restart_kernel, h_teardown),
		cmocka_unit_test_teardown(test_ha_pppoe_local_restart_acct, h_teardown),
		cmocka_unit_test_teardown(test_ha_pppoe_local_restore_refused, h_teardown),
		cmocka_unit_test_teardown(test_ha_pppoe_local_old_binary, h_teardown),
		cmocka_unit_test_teardown(test_ha_pppoe_local_standby, h_teardown),
		cmocka_unit_test_teardown(test_ha_pppoe_local_standby_acct, h_teardown),
		cmocka_unit_test_teardown(test_ha_pppoe_local_standby_delete, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
