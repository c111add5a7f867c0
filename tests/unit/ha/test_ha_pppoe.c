/*
 * HA of the access side (ha/pppoe.c, pppoe/restore.c): a PPPoE subscriber
 * relayed into a call of an SSO tunnel is checkpointed before the ICCN
 * leaves; the active dies; the standby rebuilds the session with the same
 * ID and MAC on the rebuilt call, relays the subscriber's LCP echoes,
 * holds discovery until its tunnel has resynchronised.  A subscriber
 * played by our own PPP stack (peer role) behind a fake access port
 * (fake_pppoe_sub.h), the LNS by a scripted L2TP peer (tests/unit/lib/harness.h), the standby by
 * fake_standby.h.  The hitless restart of a LAC alone (no pair, no SSO):
 * the session is in its records, rebuilt by the new process on the same
 * call, relaying at once.
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
#include <sys/socket.h>
#include <unistd.h>

#include "fake_pppoe_sub.h"
#include "fake_standby.h"
#include "golden.h"
#include "harness.h"
#include "core/ippool.h"
#include "l2tp/msg.h"
#include "l2tp/proto.h"
#include "l2tp/relay.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"
#include "ppp/proto.h"
#include "pppoe/access.h"
#include "haproto/ha_shadow.h"

static const uint8_t port_mac[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x05 };	/* VRRP's */

static struct fake_sub S;

static const char cfg_lac_ha[] =
	FAKE_SUB_CFG_LAC
	" l2tp tunnel hello 0\n"
	" l2tp tunnel resync 3\n"
	FAKE_SUB_CFG_ACCESS
	"redundancy\n"
	" mode sso\n"
	" checkpoint local 10.99.0.1\n"
	" checkpoint peer 10.99.0.2\n"
	" checkpoint security none\n";

static void access_start(struct harness *h)
{
	char err[256];

	assert_int_equal(pppoe_access_start(&h->d, &fake_sub_port_ops, &S, err, sizeof err), 0);
}

/* The subscriber S behind h's access port, the LNS's end of its calls
 * read by fake_sub_lns_rx; freed with h. */
static void sub_attach(struct harness *h)
{
	memset(&S, 0, sizeof S);
	S.h = h;
	S.port_mac = port_mac;
	h->data_rx = fake_sub_lns_rx;
	h->data_arg = &S;
	h_at_free(h, fake_sub_free, &S);
}

/* The LAC, active of a pair whose standby is b (auto_ack: acknowledging
 * each record at once). */
static struct harness *lac_new(void **state, struct fake_standby **b, int auto_ack)
{
	struct harness *h = h_new(state, cfg_lac_ha);

	sub_attach(h);
	*b = fake_standby_new(h, auto_ack);
	access_start(h);
	return h;
}

/* The subscriber dials; the LNS answers the tunnel and the ICRQ (the ICCN
 * is then the LAC's to send). */
static void call_placed(struct harness *h, struct h_peer *p)
{
	struct l2tp_msg *m;

	fake_sub_dial(&S, 0x21, 0, "alice@isp.example", "wonderland");
	h_lac_answer(h, p, "lns1");
	m = h_expect(h, p, L2TP_MSG_ICRQ);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &S.lns_sid), 0);
	S.lns_tid = p->dtid;
	h_icrp(p, S.lns_sid, 501);
	h_send(p);
}

static const struct pppoe_session *only_session(struct harness *h)
{
	return TAILQ_FIRST(&h->d.access->ac->sessions);
}

/* The call is up at the LNS: its PAP-Ack reaches the subscriber, whose
 * IPCP (relayed) goes to the LNS. */
static void call_up(struct h_peer *p)
{
	uint8_t pap_ack[] = { 0xc0, 0x23, 0x02, 0x00, 0x00, 0x05, 0x00 };
	struct l2tp_msg *m = h_expect(S.h, p, L2TP_MSG_ICCN);
	uint16_t id;

	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_PROXY_AUTHEN_ID, &id), 0);
	pap_ack[3] = (uint8_t)id;
	fake_sub_lns_send(&S, p, pap_ack, sizeof pap_ack);
	assert_int_equal(ppp_get_phase(S.ppp), PPP_PHASE_NETWORK);
}

/* lac_new with an auto-acknowledging standby, and one call up through the
 * LNS *pp, its records acknowledged. */
static struct harness *lac_call_up(void **state, struct fake_standby **b, struct h_peer **pp)
{
	struct harness *h = lac_new(state, b, 1);

	*pp = h_peer_new(h, "192.0.2.2", 901, H_SECRET);
	call_placed(h, *pp);
	call_up(*pp);
	h_flush_acks(h);
	return h;
}

/* The subscriber's LCP Echo-Request goes to the LNS; the LNS's reply
 * comes back to the subscriber.  Returns whether both happened. */
static int echo_through(struct h_peer *p, uint8_t id)
{
	const uint8_t req[] = { 0xc0, 0x21, PPP_ECHO_REQ, id, 0x00, 0x08, 1, 2, 3, 4 };
	const uint8_t rep[] = { 0xc0, 0x21, PPP_ECHO_REP, id, 0x00, 0x08, 5, 6, 7, 8 };
	unsigned to_lns = S.echo_to_lns, back = S.echo_reply_rx;

	pppoe_buf_init(&S.b, port_mac, S.mac, NULL, 0, PPPOE_ETH_P_SESS, PPPOE_CODE_SESS, S.sid);
	pppoe_put(&S.b, req, sizeof req);
	fake_sub_port_in(&S);
	if (S.echo_to_lns != to_lns + 1)
		return 0;
	fake_sub_lns_send(&S, p, rep, sizeof rep);
	return S.echo_reply_rx == back + 1;
}

/* --- the record ------------------------------------------------------------ */

/*
 * Checkpoint before acknowledge: the ICCN (which tells the LNS the call is
 * up) waits until the standby has acknowledged the PPPoE session's record:
 * its ID, MAC, access interface, the call it is relayed into, the user.
 * The subscriber's PADT deletes it from the standby.
 */
static void test_ha_pppoe_record(void **state)
{
	struct fake_standby *b;
	struct harness *h = lac_new(state, &b, 0);
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 901, H_SECRET);
	const struct ha_pppoe_rec *r;
	struct pppoe_lac_info li;

	fake_standby_ack(b);
	/* The LNS has the tunnel; its ICRP arrives: the call is up here. */
	fake_sub_dial(&S, 0x21, 0, "alice@isp.example", "wonderland");
	h_lac_answer(h, p, "lns1");
	fake_standby_ack(b);
	h_flush_acks(h);
	{
		struct l2tp_msg *m = h_expect(h, p, L2TP_MSG_ICRQ);

		assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &S.lns_sid),
				 0);
	}
	S.lns_tid = p->dtid;
	fake_standby_ack(b);
	h_icrp(p, S.lns_sid, 501);
	h_send(p);
	assert_int_equal(pppoe_lac_info(only_session(h), &li), 0);
	assert_int_equal(li.state, PPPOE_LAC_RELAYING);
	/* the record is on the standby, the ICCN is not on the wire */
	assert_int_equal(b->by_type[HA_REC_PPPOE], 1);
	r = ha_shadow_pppoe(b->shadow, S.sid);
	assert_non_null(r);
	assert_memory_equal(r->mac, S.mac, 6);
	assert_string_equal(r->ifname, "eth1");
	assert_int_equal(r->nvlan, 0);
	assert_int_equal(r->tid, li.tunnel_id);
	assert_int_equal(r->sid, li.session_id);
	assert_int_equal(r->state, PPPOE_LAC_RELAYING);
	assert_string_equal(r->user, "alice@isp.example");
	assert_non_null(ha_shadow_session(ha_shadow_tunnel(b->shadow, li.tunnel_id),
					  li.session_id));
	assert_null(h_next(h, p));
	fake_standby_ack(b);
	ha_flush(&h->d);
	call_up(p);
	/* the subscriber hangs up: the standby forgets the session */
	fake_sub_padt(&S);
	assert_int_equal(b->by_type[HA_REC_PPPOE_DELETE], 1);
	assert_null(ha_shadow_pppoe(b->shadow, S.sid));
	fake_standby_detach(b);
}

/* --- the takeover ---------------------------------------------------------- */

/* A relayed subscriber; the active dies; the standby takes over. */
static struct harness *failed_over(void **state, struct h_peer **pp, struct fake_standby **bp)
{
	struct fake_standby *b;
	struct harness *h = lac_new(state, &b, 1);
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 901, H_SECRET);

	call_placed(h, p);
	call_up(p);
	assert_true(echo_through(p, 1));
	h_flush_acks(h);
	h_drain(h);
	fake_standby_crash(b);
	assert_null(h->d.access);		/* dropped ... */
	assert_int_equal(S.padt_rx, 0);		/* ... without a PADT */
	assert_int_equal(S.lcp_term_rx, 0);
	access_start(h);			/* the new active's ports */
	fake_standby_take_over(b);
	*pp = p;
	*bp = b;
	return h;
}

/*
 * The same session ID and MAC, relaying into the rebuilt call: the
 * subscriber's echoes reach the LNS and its replies come back; nothing
 * was said to the subscriber (no PADT, no LCP Terminate); the LNS got no
 * CDN, no StopCCN.
 */
static void test_ha_pppoe_takeover(void **state)
{
	struct h_peer *p;
	struct fake_standby *b;
	struct harness *h = failed_over(state, &p, &b);
	const struct pppoe_session *s = only_session(h);
	struct pppoe_lac_info li;
	struct l2tp_msg *m;
	unsigned tx = S.tx;

	assert_int_equal(h->d.ha.stats.takeover_pppoe, 1);
	assert_int_equal(h->d.ha.stats.takeover_pppoe_errors, 0);
	assert_non_null(s);
	assert_int_equal(s->id, S.sid);
	assert_memory_equal(s->mac, S.mac, 6);
	assert_int_equal(pppoe_lac_info(s, &li), 0);
	assert_int_equal(li.state, PPPOE_LAC_RELAYING);
	assert_int_equal(li.tunnel_id, p->dtid);
	assert_string_equal(li.user, "alice@isp.example");
	assert_int_equal(h->d.access->ac->stats.sessions_restored, 1);
	assert_int_equal(S.tx, tx);		/* nothing to the subscriber */
	/* echoes while the tunnel resynchronises, and after */
	assert_true(echo_through(p, 2));
	m = h_next(h, p);	/* the probe: the ICCN the LNS never acknowledged */
	assert_non_null(m);
	assert_int_equal(m->type, L2TP_MSG_ICCN);
	h_send_zlb(p);
	assert_false(h_tunnel(p)->resyncing);
	assert_true(echo_through(p, 3));
	assert_int_equal(S.padt_rx, 0);
	assert_int_equal(S.lcp_term_rx, 0);
	assert_int_equal(ppp_get_phase(S.ppp), PPP_PHASE_NETWORK);
	h_flush_acks(h);
	while ((m = h_next(h, p)) != NULL)
		assert_true(m->type != L2TP_MSG_CDN && m->type != L2TP_MSG_STOPCCN);
	fake_standby_detach(b);
}

/* Discovery during the rebuild (the tunnel resynchronising) is dropped and
 * counted; once it is over a PADI is answered. */
static void test_ha_pppoe_discovery_held(void **state)
{
	struct h_peer *p;
	struct fake_standby *b;
	struct harness *h = failed_over(state, &p, &b);
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	unsigned pado = S.pado_rx;

	pppoe_buf_init(&S.b, bcast, other, NULL, 0, PPPOE_ETH_P_DISC, PPPOE_CODE_PADI, 0);
	pppoe_put_tag(&S.b, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	fake_sub_port_in(&S);
	assert_int_equal(S.pado_rx, pado);
	assert_int_equal(h->d.access->ac->stats.disc_held, 1);
	h_expect(h, p, L2TP_MSG_ICCN);	/* the probe */
	h_send_zlb(p);
	assert_false(h_tunnel(p)->resyncing);
	pppoe_buf_init(&S.b, bcast, other, NULL, 0, PPPOE_ETH_P_DISC, PPPOE_CODE_PADI, 0);
	pppoe_put_tag(&S.b, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	fake_sub_port_in(&S);	/* the subscriber retries */
	assert_int_equal(S.pado_rx, pado + 1);
	assert_int_equal(h->d.access->ac->stats.disc_held, 1);
	fake_standby_detach(b);
}

/* A checkpointed session whose call is not in the checkpoint: not rebuilt,
 * counted, and the subscriber told (PADT) so that it dials again. */
static void test_ha_pppoe_no_call(void **state)
{
	struct fake_standby *b;
	struct harness *h = lac_new(state, &b, 1);
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 901, H_SECRET);
	struct ha_rec del = { .type = HA_REC_DELETE };
	struct pppoe_lac_info li;

	call_placed(h, p);
	call_up(p);
	assert_int_equal(pppoe_lac_info(only_session(h), &li), 0);
	/* the standby lost the call (but not the PPPoE session) */
	del.u.del.tid = li.tunnel_id;
	del.u.del.sid = li.session_id;
	assert_int_equal(ha_shadow_apply(b->shadow, &del), 0);
	fake_standby_crash(b);
	access_start(h);
	fake_standby_take_over(b);
	assert_int_equal(h->d.ha.stats.takeover_pppoe, 0);
	assert_int_equal(h->d.ha.stats.takeover_pppoe_errors, 1);
	assert_null(only_session(h));
	assert_int_equal(S.padt_rx, 1);
	fake_standby_detach(b);
}

/* The shows of a LAC pair (golden "pppoe_lac_ha"): the active's counts of
 * LAC tunnels, sessions and PPPoE sessions checkpointed; the standby's
 * store; the new active after the takeover. */
static void test_ha_pppoe_show(void **state)
{
	struct fake_standby *b;
	struct h_peer *p;
	struct harness *h = lac_call_up(state, &b, &p);

	golden_begin("pppoe_lac_ha");
	golden_show(&h->d, "active_show_pppoe_summary", "show pppoe summary");
	golden_show(&h->d, "active_show_pppoe_session", "show pppoe session");
	golden_show(&h->d, "active_show_l2tp_redundancy", "show l2tp redundancy");
	fake_standby_crash(b);
	fake_standby_hand_over(b);
	golden_show(&h->d, "standby_show_pppoe_summary", "show pppoe summary");
	golden_show(&h->d, "standby_show_l2tp_redundancy", "show l2tp redundancy");
	access_start(h);
	ha_takeover(&h->d, "test");
	golden_show(&h->d, "new_active_show_pppoe_summary", "show pppoe summary");
	golden_show(&h->d, "new_active_show_l2tp_redundancy", "show l2tp redundancy");
	golden_end();
}

/* --- the hitless restart ---------------------------------------------------- */

/* The same LAC alone (no pair: its tunnels are not SSO). */
static const char cfg_lac_alone[] =
	FAKE_SUB_CFG_LAC
	" l2tp tunnel hello 0\n"
	FAKE_SUB_CFG_ACCESS;

static int restart_put(void *arg, const uint8_t *buf, size_t len)
{
	return ha_restart_apply(arg, buf, len);
}

static int restart_tunnel_fd(void *arg, uint16_t tid)
{
	return FAKE_SUB_PORT_FD + 1;	/* no sockets in the tests: never read */
}

static void restart_free_new(void *arg)
{
	h_free(arg);
}

/*
 * `l2tpctl restart` with a PPPoE subscriber relayed into a call of our
 * LAC (cli/restart.c does the same across two processes): the process
 * before stops reading its port and lists it, its records carry the
 * session after its call; the new process rebuilds the call, opens its
 * port, rebuilds the session: same ID and MAC, relaying into the same
 * call, the subscriber told nothing, its echoes answered through the LNS
 * at once (no resync: the channel goes on), no CDN, no StopCCN.
 */
static void test_ha_pppoe_restart(void **state)
{
	struct harness *h = h_new(state, cfg_lac_alone), *h2;
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 901, H_SECRET), *p2;
	struct ha_shadow *sh = ha_shadow_new();
	const struct ha_pppoe_rec *r;
	const struct pppoe_session *s;
	struct pppoe_port_fd *ports = NULL;
	struct pppoe_lac_info li;
	struct l2tp_msg *m;
	unsigned nt, ns, tx, local, relayed;
	uint64_t n, errors;
	size_t nports;
	void *state2 = NULL;
	char err[256];

	sub_attach(h);
	access_start(h);
	call_placed(h, p);
	call_up(p);
	assert_true(echo_through(p, 1));
	h_flush_acks(h);
	h_drain(h);
	assert_int_equal(pppoe_access_count(&h->d, &local, &relayed), 1);
	assert_int_equal(local, 0);
	assert_int_equal(relayed, 1);
	/* the process before: its port, stopped, listed; its records */
	pppoe_access_reading(&h->d, 0);
	assert_int_equal(S.reading_off, 1);
	assert_int_equal(pppoe_access_port_fds(&h->d, &ports, &nports), 0);
	assert_int_equal(nports, 1);
	assert_int_equal(ports[0].ifindex, FAKE_SUB_IFINDEX);
	assert_int_equal(ports[0].fd, FAKE_SUB_PORT_FD);
	free(ports);
	assert_non_null(sh);
	assert_int_equal(ha_restart_export(&h->d, restart_put, sh, &nt, &ns), 0);
	assert_int_equal(nt, 1);
	assert_int_equal(ns, 1);
	r = ha_shadow_pppoe(sh, S.sid);
	assert_non_null(r);
	assert_memory_equal(r->mac, S.mac, 6);
	assert_int_equal(r->tid, p->dtid);
	tx = S.tx;
	/* the new process */
	h2 = h_new(&state2, cfg_lac_alone);
	h_at_free(h, restart_free_new, h2);
	h2->data_rx = fake_sub_lns_rx;
	h2->data_arg = &S;
	assert_int_equal(ha_restart_rebuild(&h2->d, sh, HA_ROLE_STANDALONE, restart_tunnel_fd,
					    NULL, &nt, &ns, err, sizeof err), 0);
	assert_int_equal(nt, 1);
	S.h = h2;
	access_start(h2);
	ha_restart_pppoe(&h2->d, sh, &n, &errors);
	ha_shadow_free(sh);
	assert_int_equal(n, 1);
	assert_int_equal(errors, 0);
	p2 = &h2->peers[h2->n_peers++];
	*p2 = *p;
	p2->h = h2;
	s = TAILQ_FIRST(&h2->d.access->ac->sessions);
	assert_non_null(s);
	assert_int_equal(s->id, S.sid);
	assert_memory_equal(s->mac, S.mac, 6);
	assert_int_equal(pppoe_lac_info(s, &li), 0);
	assert_int_equal(li.state, PPPOE_LAC_RELAYING);
	assert_int_equal(li.tunnel_id, p2->dtid);
	assert_int_equal(S.tx, tx);		/* nothing to the subscriber */
	assert_true(echo_through(p2, 2));
	assert_false(h_tunnel(p2)->resyncing);
	h_flush_acks(h2);
	while ((m = h_next(h2, p2)) != NULL)
		assert_true(m->type != L2TP_MSG_CDN && m->type != L2TP_MSG_STOPCCN &&
			    m->type != L2TP_MSG_ICCN);
	assert_int_equal(S.padt_rx, 0);
	assert_int_equal(S.lcp_term_rx, 0);
	assert_int_equal(ppp_get_phase(S.ppp), PPP_PHASE_NETWORK);
}

/* --- the takeover under kernel switching (DP_CAP_BRIDGE) ---------------------- */

/* A data path that switches PPPoE sessions in the kernel, faked: the null
 * data path's calls, and PPPoE channels and bridges recorded. */
static struct {
	struct dp_ops ops;
	unsigned opened, bridged, closed;
	struct dp_pppoe_params open;
	uint16_t bridge_sid, bridge_tid, bridge_lsid;
	int bridge_rc;			/* what the bridge answers */
	int fd[2];
} K;

static int kb_open(struct dp *dp, const struct dp_pppoe_params *p, int *chan_fd)
{
	(void)dp;
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, K.fd) < 0)
		return -errno;
	K.opened++;
	K.open = *p;
	*chan_fd = K.fd[0];
	return 0;
}

static int kb_bridge(struct dp *dp, uint16_t pppoe_sid, const struct dp_ppp_params *l2tp)
{
	if (K.bridge_rc < 0) {
		dp_set_err(dp, "refused");
		return K.bridge_rc;
	}
	K.bridged++;
	K.bridge_sid = pppoe_sid;
	K.bridge_tid = l2tp->tunnel_id;
	K.bridge_lsid = l2tp->session_id;
	return 0;
}

static int kb_close(struct dp *dp, uint16_t pppoe_sid)
{
	(void)dp;
	(void)pppoe_sid;
	K.closed++;
	close(K.fd[0]);
	close(K.fd[1]);
	return 0;
}

/* A relayed subscriber; the active dies; the standby, whose data path
 * switches in the kernel (bridge answering bridge_rc), takes over. */
static struct harness *failed_over_kernel(void **state, int bridge_rc, struct fake_standby **bp)
{
	struct fake_standby *b;
	struct h_peer *p;
	struct harness *h = lac_call_up(state, &b, &p);

	h_drain(h);
	fake_standby_crash(b);
	memset(&K, 0, sizeof(K));
	K.ops = *h->d.dp->ops;
	K.ops.caps |= DP_CAP_BRIDGE;
	K.ops.pppoe_open = kb_open;
	K.ops.pppoe_bridge = kb_bridge;
	K.ops.pppoe_close = kb_close;
	K.bridge_rc = bridge_rc;
	h->d.dp->ops = &K.ops;
	access_start(h);
	fake_standby_take_over(b);
	*bp = b;
	return h;
}

/* The kernel takes the session back: its PPPoE channel with the same ID
 * and MAC on the same interface, bridged to the rebuilt call's channel,
 * counted as a bridged call; nothing said to the subscriber. */
static void test_ha_pppoe_takeover_kernel(void **state)
{
	struct fake_standby *b;
	struct harness *h = failed_over_kernel(state, 0, &b);
	struct pppoe_lac_info li;

	assert_int_equal(h->d.ha.stats.takeover_pppoe, 1);
	assert_int_equal(h->d.ha.stats.takeover_pppoe_errors, 0);
	assert_int_equal(pppoe_lac_info(only_session(h), &li), 0);
	assert_int_equal(li.state, PPPOE_LAC_BRIDGED);
	assert_int_equal(K.opened, 1);
	assert_int_equal(K.open.sid, S.sid);
	assert_memory_equal(K.open.peer_mac, S.mac, 6);
	assert_string_equal(K.open.ifname, "eth1");
	assert_int_equal(K.bridged, 1);
	assert_int_equal(K.bridge_sid, S.sid);
	assert_int_equal(K.bridge_tid, li.tunnel_id);
	assert_int_equal(K.bridge_lsid, li.session_id);
	assert_int_equal(h->d.access->lac.bridged, 1);
	assert_int_equal(K.closed, 0);
	assert_int_equal(S.padt_rx, 0);
	assert_int_equal(S.lcp_term_rx, 0);
	fake_standby_detach(b);
}

/* The kernel refuses the bridge: the channel is closed again, the session
 * ended with a PADT (the subscriber dials again), counted. */
static void test_ha_pppoe_takeover_kernel_refused(void **state)
{
	struct fake_standby *b;
	struct harness *h = failed_over_kernel(state, -ENOTTY, &b);

	assert_int_equal(h->d.ha.stats.takeover_pppoe, 0);
	assert_int_equal(h->d.ha.stats.takeover_pppoe_errors, 1);
	assert_null(only_session(h));
	assert_int_equal(K.opened, 1);
	assert_int_equal(K.closed, 1);
	assert_int_equal(h->d.access->lac.bridged, 0);
	assert_int_equal(S.padt_rx, 1);
	fake_standby_detach(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ha_pppoe_record, h_teardown),
		cmocka_unit_test_teardown(test_ha_pppoe_takeover, h_teardown),
		cmocka_unit_test_teardown(test_ha_pppoe_discovery_held, h_teardown),
		cmocka_unit_test_teardown(test_ha_pppoe_no_call, h_teardown),
		cmocka_unit_test_teardown(test_ha_pppoe_show, h_teardown),
		cmocka_unit_test_teardown(test_ha_pppoe_restart, h_teardown),
		/* after the golden show: they draw IDs from the same pool */
		cmocka_unit_test_teardown(test_ha_pppoe_takeover_kernel, h_teardown),
		cmocka_unit_test_teardown(test_ha_pppoe_takeover_kernel_refused, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
