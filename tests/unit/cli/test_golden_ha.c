/*
 * Golden files of `show l2tp|vpdn redundancy` in every variant, and of the
 * shows a takeover changes, in the roles of an HA pair (golden.h says how
 * the files are made; test_golden.c has the daemon without redundancy).
 *
 * Scenarios (each renders into tests/golden/<scenario>/):
 *   ha_active      the active, its standby connected and in sync: two
 *                  tunnels with three PPP subscribers and a call still being
 *                  set up, one packet that waited for the standby
 *   ha_no_standby  the same active once its standby has gone away
 *   ha_standby     the standby: its shadow store holds the checkpointed
 *                  tunnels and sessions of that active
 *   ha_takeover    the standby after the active died: tunnels and sessions
 *                  rebuilt, one tunnel resynchronised, one still resyncing
 *                  while calls on it are refused with cause 611; then all
 *                  resynchronised
 *
 * The standby is fake_standby.h's, as in test_ha.c: each record is encoded
 * and decoded by the checkpoint codec, applied to a shadow store and
 * (unless the test holds it) acknowledged at once; ha_test_attach() makes
 * the daemon active with it.  `show l2tp redundancy` says the standby is
 * up only when there is also a checkpoint link (d->ha.link;
 * cli/cmd_redundancy_show.c): the link here is a fake, the functions of
 * haproto/ha_link.h defined below in place of link.c (which is then not
 * linked), with the counters of the records the standby received.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fake_standby.h"
#include "golden.h"
#include "golden_daemon.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "haproto/ha_link.h"

static const char cfg_ha[] =
	"hostname lns-a\n"
	"vpdn enable\n"
	"username alice password wonderland\n"
	"username bob password b0b-secret\n"
	"username carol password c4rol\n"
	"ip local pool SUBSCRIBERS 10.200.0.1 10.200.0.254\n"
	"interface Virtual-Template 1\n"
	" ip address 10.200.255.254 255.255.255.255\n"
	" peer default ip address pool SUBSCRIBERS\n"
	" ppp authentication chap\n"
	" no keepalive\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	"  virtual-template 1\n"
	" local name lns-a\n"
	" l2tp tunnel password s3cret\n"
	" l2tp tunnel resync 8\n"
	"redundancy\n"
	" mode sso\n"
	" checkpoint local 192.0.2.1\n"
	" checkpoint peer 192.0.2.2\n"
	" checkpoint curve public-key YWq*o@zoY5}Y45ZP?AjD-N^kI/W>qs6d{&o-MFYu "
	"secret-key A^Y4&eov2b}LKVo]#^jL:u:VaM:(-%Iv=[P361q3 "
	"peer-key 5}EgBJre%-n6QM0k8QQ*fcs&FC$RhsG5G1oH*j75\n"
	" checkpoint heartbeat 100 dead-interval 1000\n"
	" virtual-address 198.51.100.1\n";

/* --- the checkpoint link, faked ----------------------------------------------- */

struct ha_link {
	enum ha_link_role role;
	int synced;			/* standby: in sync with the active */
	uint64_t rx_count;		/* standby: records applied */
	struct ha_link_stats st;
};

static struct ha_link fake_link;

int ha_link_new(struct ev_loop *loop, const struct ha_link_cfg *cfg,
		const struct ha_link_ops *ops, void *arg, struct ha_link **out,
		char *err, size_t errsz)
{
	(void)loop;
	(void)cfg;
	(void)ops;
	(void)arg;
	*out = NULL;
	snprintf(err, errsz, "no checkpoint link in this test");
	return -ENOTSUP;
}

void ha_link_free(struct ha_link *l)
{
	(void)l;	/* fake_link is static */
}

int ha_link_set_role(struct ha_link *l, enum ha_link_role role)
{
	l->role = role;
	return 0;
}

/* Without the function of ha_test_attach(): no standby to wait for. */
uint64_t ha_link_active_send(struct ha_link *l, const struct ha_rec *r)
{
	(void)l;
	(void)r;
	return 0;
}

/* Nothing is queued by the send above. */
int ha_link_active_flush(struct ha_link *l)
{
	(void)l;
	return 0;
}

/* Nothing comes from the fake standby between turns. */
int ha_link_poll(struct ha_link *l)
{
	(void)l;
	return 0;
}

int ha_link_active_request_takeover(struct ha_link *l)
{
	(void)l;
	return -ENOTCONN;
}

int ha_link_standby_synced(const struct ha_link *l)
{
	return l->synced;
}

uint64_t ha_link_standby_rx_count(const struct ha_link *l)
{
	return l->rx_count;
}

void ha_link_get_stats(const struct ha_link *l, struct ha_link_stats *st)
{
	*st = l->st;
}

/* As link.c has it (the configuration's curve keys are checked with it). */
int ha_link_key_valid(const char *s)
{
	uint8_t bin[32];

	return s != NULL && strnlen(s, HA_KEY_LEN + 1) == HA_KEY_LEN &&
	       zmq_z85_decode(bin, s) != NULL;
}

/* The active's link counters at this moment: the records b received (in
 * batches), all acknowledged, and heartbeats every 100 ms since the standby came up at
 * t0. */
static void link_active(struct harness *h, const struct fake_standby *b, uint64_t t0)
{
	uint64_t beats = (clock_now(&h->d.clk) - t0) / 100;

	fake_link.st.tx_records = b->seq;
	fake_link.st.tx_bytes = b->bytes;
	fake_link.st.tx_msgs = (b->seq + 9) / 10;	/* batches of about ten */
	fake_link.st.rx_acks = b->seq;
	fake_link.st.heartbeats_tx = beats;
	fake_link.st.heartbeats_rx = beats;
	fake_link.st.tx_acks = 0;
	fake_link.st.rx_records = fake_link.st.rx_bytes = 0;
}

/* --- the state ---------------------------------------------------------------- */

struct ha_state {
	struct fake_standby *b;
	struct h_peer *a, *c;		/* lac1 and lac2 */
	uint16_t alice, carol;		/* a session of a, of c */
	uint16_t half;			/* c's call without its ICCN */
	uint64_t t0;			/* the standby came up */
};

/*
 * The active with its standby in sync: lac1 with alice and bob, lac2 with
 * carol and a call that got its ICRP (which waited 4 ms for the standby)
 * but no ICCN yet.
 */
static void ha_build(struct harness *h, struct ha_state *s)
{
	struct l2tp_msg *m;

	memset(s, 0, sizeof *s);
	memset(&fake_link, 0, sizeof fake_link);
	fake_link.role = HA_LINK_ACTIVE;
	fake_link.st.bulks = 1;		/* its bulk sync, of nothing, took 3 ms */
	fake_link.st.bulk_ms = 3;
	h->d.ha.link = &fake_link;
	s->b = fake_standby_new(h, 1);
	h->d.ha.role_since_ms = clock_now(&h->d.clk);
	h->d.ha.stats.standby_ups = 1;
	s->t0 = clock_now(&h->d.clk);
	g_advance(h, 5000);

	s->a = h_lns_tunnel(h, "192.0.2.11", 101, "lac1");
	s->alice = g_subscriber(h, s->a, 11, "0611111111", "alice", "wonderland");
	g_subscriber(h, s->a, 12, "0622222222", "bob", "b0b-secret");
	s->c = h_lns_tunnel(h, "192.0.2.12", 102, "lac2");
	s->carol = g_subscriber(h, s->c, 21, "0633333333", "carol", "c4rol");
	assert_int_equal(fake_subscribers_up(h->subscribers), 3);
	g_advance(h, 30000);

	s->b->auto_ack = 0;
	h_icrq(s->c, 22, 1022);
	l2tp_avp_put_str(&s->c->b, L2TP_AVP_CALLING_NUMBER, "0644444444", 0);
	h_send(s->c);
	assert_int_equal(h_waiting(h, s->c, 0), 0);	/* the ICRP waits for the standby */
	clock_advance(&h->d.clk, 4);
	fake_standby_ack(s->b);
	m = h_expect(h, s->c, L2TP_MSG_ICRP);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &s->half), 0);
	s->b->auto_ack = 1;
	g_advance(h, 2000);
	fake_standby_ack(s->b);
	link_active(h, s->b, s->t0);
}

/* The seven variants of `show <proto> redundancy`. */
static void show_redundancy(struct harness *h, const char *proto, uint16_t tid, uint16_t sid)
{
	char name[64];

#define RED_SHOW(suffix, fmt, ...) do { \
		snprintf(name, sizeof name, "show_%s_redundancy%s", proto, suffix); \
		golden_show(&h->d, name, "show %s redundancy" fmt, proto, ##__VA_ARGS__); \
	} while (0)
	RED_SHOW("", "");
	RED_SHOW("_all", " all");
	RED_SHOW("_detail", " detail");
	RED_SHOW("_id", " id %u", tid);
	RED_SHOW("_id_session", " id %u %u", tid, sid);
	RED_SHOW("_detail_id", " detail id %u", tid);
	RED_SHOW("_detail_id_session", " detail id %u %u", tid, sid);
#undef RED_SHOW
}

/* --- active, then without its standby ---------------------------------------- */

static void test_golden_ha_active(void **state)
{
	struct harness *h;
	struct ha_state s;

	golden_begin("ha_active");
	h = g_daemon(state, cfg_ha);
	ha_build(h, &s);
	show_redundancy(h, "l2tp", s.a->dtid, s.alice);
	show_redundancy(h, "vpdn", s.a->dtid, s.alice);
	golden_show(&h->d, "show_running_config", "show running-config");
	/* HA tunnels: the receive window is the resync window */
	golden_show(&h->d, "show_vpdn_tunnel_detail", "show vpdn tunnel detail");
	golden_end();

	/* The standby goes (its dead interval passed): records go nowhere,
	 * nothing waits for it. */
	golden_begin("ha_no_standby");
	fake_standby_detach(s.b);
	h->d.ha.standby_in_sync = 0;
	h->d.ha.stats.standby_downs = 1;
	fake_link.st.peer_timeouts = 1;
	g_advance(h, 5000);
	link_active(h, s.b, s.t0);
	golden_show(&h->d, "show_l2tp_redundancy", "show l2tp redundancy");
	golden_show(&h->d, "show_l2tp_redundancy_all", "show l2tp redundancy all");
	golden_show(&h->d, "show_l2tp_redundancy_detail", "show l2tp redundancy detail");
	golden_end();
}

/* --- the standby, then its takeover -------------------------------------------- */

/* A call on a tunnel resynchronising, from a peer that has not acknowledged
 * the probe yet (its Nr as before it). */
static void call_during_resync(struct h_peer *p, uint16_t peer_sid, const char *calling)
{
	uint8_t buf[1024];
	size_t len;

	h_icrq(p, peer_sid, 1000u + peer_sid);
	l2tp_avp_put_str(&p->b, L2TP_AVP_CALLING_NUMBER, calling, 0);
	len = h_seal(p, buf, sizeof buf);
	l2tp_hdr_set_seq(buf, (uint16_t)(p->ns - 1), (uint16_t)(p->nr - 1));
	h_deliver(p, buf, len);
}

static void test_golden_ha_standby_takeover(void **state)
{
	struct harness *h;
	struct ha_state s;
	struct in_addr local;

	golden_begin("ha_standby");
	h = g_daemon(state, cfg_ha);
	ha_build(h, &s);
	/* This daemon is now the other box: the standby that received all of
	 * it (the active's records, as the checkpoint link delivered them). */
	fake_standby_crash(s.b);
	fake_standby_hand_over(s.b);	/* the daemon's now: ha_fini() frees it */
	h->d.ha.shadow_complete = 1;	/* its bulk sync finished */
	local = h->d.cfg.red.local;
	h->d.cfg.red.local = h->d.cfg.red.peer;
	h->d.cfg.red.peer = local;
	memset(&h->d.ha.stats, 0, sizeof h->d.ha.stats);	/* the active's own */
	memset(&h->d.ppp_totals, 0, sizeof h->d.ppp_totals);	/* its PPP links' */
	h->d.ha.stats.records_rx = s.b->seq;
	h->d.ha.last_seq = h->d.ha.acked_seq = 0;
	fake_link.synced = 1;
	fake_link.rx_count = s.b->seq;
	fake_link.st = (struct ha_link_stats){ .rx_records = s.b->seq, .rx_bytes = s.b->bytes,
					       .tx_acks = s.b->seq, .bulks = 1, .bulk_ms = 3,
					       .heartbeats_tx = fake_link.st.heartbeats_rx,
					       .heartbeats_rx = fake_link.st.heartbeats_tx };
	g_advance(h, 1000);
	show_redundancy(h, "l2tp", s.a->dtid, s.alice);
	golden_end();

	/* The active is gone: takeover.  lac1 answers the resync probe at
	 * once; lac2 does not yet, and calls twice from one number and once
	 * from another meanwhile (refused, 611). */
	golden_begin("ha_takeover");
	clock_advance(&h->d.clk, 1000);
	ha_takeover(&h->d, "VRRP master");
	clock_advance(&h->d.clk, 250);
	h_send_zlb(s.a);
	assert_false(h_tunnel(s.a)->resyncing);
	call_during_resync(s.c, 23, "0677777777");
	call_during_resync(s.c, 24, "0677777777");
	call_during_resync(s.c, 25, "0688888888");
	clock_advance(&h->d.clk, 500);
	assert_true(h_tunnel(s.c)->resyncing);
	assert_int_equal(h->d.ha.stats.resync_refused, 3);
	show_redundancy(h, "l2tp", s.c->dtid, s.carol);
	golden_show(&h->d, "show_l2tp_tunnel_detail", "show l2tp tunnel detail");
	golden_show(&h->d, "show_l2tp_session_detail", "show l2tp session detail");
	golden_show(&h->d, "show_vpdn_history_failure", "show vpdn history failure");
	golden_show(&h->d, "show_l2tp_statistics", "show l2tp statistics");

	/* lac2 acknowledges: resync complete, the half-made call cleared */
	h_send_zlb(s.c);
	assert_false(h_tunnel(s.c)->resyncing);
	g_advance(h, 3000);
	assert_int_equal(h->d.ha.stats.resync_ok, 2);
	golden_show(&h->d, "show_l2tp_redundancy_resynced", "show l2tp redundancy");
	golden_show(&h->d, "show_l2tp_redundancy_all_resynced", "show l2tp redundancy all");
	golden_show(&h->d, "show_l2tp_redundancy_detail_resynced", "show l2tp redundancy detail");
	golden_end();
}

/* --- Cisco's summary ------------------------------------------------------------- */

/*
 * `show l2tp|vpdn redundancy` opens with the summary of Cisco's document of
 * this feature (L2TP HA Session SSO/ISSU on a LAC/LNS, "Example Displaying
 * L2TP Redundancy Information"), its labels word for word and in its order;
 * without a standby, Cisco's sentence follows it ("Troubleshooting L2TP or
 * VPDN Redundancy Sessions").  Checked on the golden files the tests above
 * compare the output with: numbers and TRUE/FALSE aside, the lines are
 * Cisco's.
 */
static const char *const cisco_summary[] = {
	"L2TP HA support: Silent Failover",
	"L2TP HA Status:",
	"Checkpoint Messaging on: TRUE",
	"Standby RP is up: TRUE",
	"Recv'd Message Count: 189",
	"L2TP Tunnels: 2/2/2/0 (total/HA-enabled/HA-est/resync)",
	"L2TP Sessions: 20/20/20 (total/HA-enabled/HA-est)",
	"L2TP Resynced Tunnels: 2/0 (success/fail)",
	"Resync duration 0.63 secs (complete)",
};
static const char cisco_no_standby[] =
	"No HA CC of Session data to display until Standby RP is up.";

/* A line with its numbers as N and TRUE/FALSE as B. */
static void cisco_shape(const char *line, char *out, size_t size)
{
	size_t n = 0;

	while (*line && n + 2 < size) {
		if (*line >= '0' && *line <= '9') {
			while (*line >= '0' && *line <= '9')
				line++;
			out[n++] = 'N';
		} else if (strncmp(line, "TRUE", 4) == 0 || strncmp(line, "FALSE", 5) == 0) {
			line += *line == 'T' ? 4 : 5;
			out[n++] = 'B';
		} else {
			out[n++] = *line++;
		}
	}
	out[n] = '\0';
}

static void check_cisco_summary(const char *file, int standby)
{
	char path[512], line[256], want[256], got[256];
	size_t i = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, file);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: cannot open", path);
	for (; i < sizeof cisco_summary / sizeof cisco_summary[0]; i++) {
		if (!fgets(line, sizeof line, f))
			fail_msg("%s: ends at line %zu", file, i + 1);
		line[strcspn(line, "\n")] = '\0';
		cisco_shape(cisco_summary[i], want, sizeof want);
		cisco_shape(line, got, sizeof got);
		if (strcmp(want, got) != 0)
			fail_msg("%s line %zu: \"%s\", not Cisco's \"%s\"", file, i + 1, line,
				 cisco_summary[i]);
	}
	/* a blank line, then without a standby Cisco's sentence */
	assert_non_null(fgets(line, sizeof line, f));
	assert_string_equal(line, "\n");
	assert_non_null(fgets(line, sizeof line, f));
	line[strcspn(line, "\n")] = '\0';
	if (standby && strcmp(line, cisco_no_standby) == 0)
		fail_msg("%s: says there is no standby", file);
	if (!standby && strcmp(line, cisco_no_standby) != 0)
		fail_msg("%s: \"%s\", not Cisco's \"%s\"", file, line, cisco_no_standby);
	fclose(f);
}

static void test_cisco_summary(void **state)
{
	check_cisco_summary("ha_active/show_l2tp_redundancy.txt", 1);
	check_cisco_summary("ha_active/show_vpdn_redundancy.txt", 1);
	check_cisco_summary("ha_active/show_l2tp_redundancy_all.txt", 1);
	check_cisco_summary("ha_active/show_l2tp_redundancy_detail.txt", 1);
	check_cisco_summary("ha_no_standby/show_l2tp_redundancy.txt", 0);
	check_cisco_summary("ha_takeover/show_l2tp_redundancy_resynced.txt", 0);
	check_cisco_summary("bras/show_l2tp_redundancy.txt", 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_golden_ha_active, h_teardown),
		cmocka_unit_test_teardown(test_golden_ha_standby_takeover, h_teardown),
		cmocka_unit_test(test_cisco_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
