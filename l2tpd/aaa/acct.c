/*
 * Accounting (RFC 2866; RFC 2869 Interim-Update and Gigawords): Start when
 * IPCP opens, Interim-Updates on the interval's grid, Stop with the
 * Acct-Terminate-Cause when the session goes; the counters from the data
 * path, never going backwards.  The state is checkpointed with the session
 * (ha/emit.c): after a takeover aaa_session_restored() carries the Interim-Updates
 * on, with no second Start.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2tpd.h"
#include "aaa/aaa_int.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "aaa/radius.h"
#include "aaa/radius_client.h"

static int aaa_acct_on(const struct l2tp_session *s)
{
	return (s->lns || s->relayed) && s->t->d->cfg.aaa.acct_network;
}

unsigned aaa_acct_interval(const struct l2tp_session *s)
{
	if (s->t->d->aaa.test_interim_s)
		return s->t->d->aaa.test_interim_s;
	if (s->acct_interval)
		return s->acct_interval;
	return s->t->d->cfg.aaa.acct_update_min * 60;
}

void aaa_session_counters(struct l2tp_session *s, uint64_t out[AAA_CNT_MAX])
{
	struct l2tpd *d = s->t->d;
	uint64_t cur[AAA_CNT_MAX] = { s->up_rx_octets, s->up_tx_octets, s->up_rx_packets,
				      s->up_tx_packets };
	struct dp_stats st;
	unsigned i;

	/* The kernel counts everything under linux; under null only what
	 * user space carried exists. */
	if (dp_can(d->dp, DP_CAP_KERNEL) && s->dp_created &&
	    dp_session_stats(d->dp, s->t->tid, s->sid, &st) == 0) {
		cur[AAA_CNT_IN_OCTETS] = st.rx_bytes;
		cur[AAA_CNT_OUT_OCTETS] = st.tx_bytes;
		cur[AAA_CNT_IN_PACKETS] = st.rx_packets;
		cur[AAA_CNT_OUT_PACKETS] = st.tx_packets;
	}
	for (i = 0; i < AAA_CNT_MAX; i++) {
		out[i] = s->acct_base[i] + cur[i];
		if (out[i] < s->acct_reported[i])
			out[i] = s->acct_reported[i];	/* never backwards */
	}
}

void aaa_acct_cb(void *arg, int status, const struct radius_msg *m)
{
	struct l2tpd *d = arg;

	if (status < 0) {
		d->aaa.stats.acct_no_answer++;
		log_msg(&d->log, LOG_WARNING, "RADIUS: an accounting request got no answer (%s)",
			status == -ENOENT ? "no server configured" : "no server answered");
	}
}

/*
 * A LAC's call: its tunnel as RFC 2867 §4 reports it (tag 0 each):
 * Tunnel-Type L2TP, Tunnel-Medium-Type IPv4, the endpoints, the tunnel's
 * and LNS's names, Acct-Tunnel-Connection (our tunnel and session IDs).
 */
static int aaa_acct_put_tunnel(struct radius_pkt *p, const struct l2tp_session *s)
{
	static const uint8_t l2tp[4] = { 0, 0, 0, 3 }, ipv4[4] = { 0, 0, 0, 1 };
	char v[80];
	int rc = 0;

	rc |= radius_put(p, RADIUS_ATTR_TUNNEL_TYPE, l2tp, sizeof(l2tp));
	rc |= radius_put(p, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, ipv4, sizeof(ipv4));
	v[0] = '\0';	/* the tag, then the text (RFC 2868 §3.3, §3.4) */
	inet_ntop(AF_INET, &s->t->local.sin_addr, v + 1, sizeof(v) - 1);
	rc |= radius_put(p, RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT, v, strlen(v + 1) + 1);
	inet_ntop(AF_INET, &s->t->peer.sin_addr, v + 1, sizeof(v) - 1);
	rc |= radius_put(p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, v, strlen(v + 1) + 1);
	if (s->t->peer_host[0] != '\0') {
		snprintf(v + 1, sizeof(v) - 1, "%s", s->t->peer_host);
		rc |= radius_put(p, RADIUS_ATTR_TUNNEL_SERVER_AUTH_ID, v, strlen(v + 1) + 1);
	}
	snprintf(v, sizeof(v), "%u/%u", s->t->tid, s->sid);
	rc |= radius_put_str(p, RADIUS_ATTR_ACCT_TUNNEL_CONNECTION, v);
	return rc;
}

int aaa_acct_put_counters(struct radius_pkt *p, uint64_t up_ms, const uint64_t cnt[AAA_CNT_MAX])
{
	int rc = 0;

	rc |= radius_put_u32(p, RADIUS_ATTR_ACCT_SESSION_TIME, (uint32_t)(up_ms / 1000));
	rc |= radius_put_u32(p, RADIUS_ATTR_ACCT_INPUT_OCTETS, (uint32_t)cnt[AAA_CNT_IN_OCTETS]);
	rc |= radius_put_u32(p, RADIUS_ATTR_ACCT_INPUT_GIGAWORDS,
			     (uint32_t)(cnt[AAA_CNT_IN_OCTETS] >> 32));
	rc |= radius_put_u32(p, RADIUS_ATTR_ACCT_OUTPUT_OCTETS, (uint32_t)cnt[AAA_CNT_OUT_OCTETS]);
	rc |= radius_put_u32(p, RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS,
			     (uint32_t)(cnt[AAA_CNT_OUT_OCTETS] >> 32));
	rc |= radius_put_u32(p, RADIUS_ATTR_ACCT_INPUT_PACKETS, (uint32_t)cnt[AAA_CNT_IN_PACKETS]);
	rc |= radius_put_u32(p, RADIUS_ATTR_ACCT_OUTPUT_PACKETS,
			     (uint32_t)cnt[AAA_CNT_OUT_PACKETS]);
	return rc;
}

/*
 * One accounting request; cnt gets the counters it reports (zeros for a
 * Start).  0 sent, a negative errno (logged), or 1: this box may not act
 * (a standby, or an active that lost mastership: the new active carries
 * the session on and reports it), nothing sent and nothing in cnt.
 */
static int aaa_acct_send(struct l2tp_session *s, uint32_t type, uint64_t cnt[AAA_CNT_MAX])
{
	struct l2tpd *d = s->t->d;
	uint64_t now = clock_now(&d->clk);
	struct radius_pkt p;
	int rc = 0;

	if (!ha_may_act(d))
		return 1;
	if (type == AAA_ACCT_START)
		memset(cnt, 0, sizeof(uint64_t) * AAA_CNT_MAX);
	else
		aaa_session_counters(s, cnt);
	radius_pkt_init(&p, RADIUS_ACCOUNTING_REQUEST);
	rc |= radius_put_u32(&p, RADIUS_ATTR_ACCT_STATUS_TYPE, type);
	if (s->user[0])
		rc |= radius_put_str(&p, RADIUS_ATTR_USER_NAME, s->user);
	aaa_put_nas(&p, s);
	if (s->peer_ip.s_addr)
		rc |= radius_put_addr(&p, RADIUS_ATTR_FRAMED_IP_ADDRESS, s->peer_ip);
	rc |= aaa_acct_put_ipv6(&p, s);
	if (l2tp_session_rare_get(s)->class_len)
		rc |= radius_put(&p, RADIUS_ATTR_CLASS, l2tp_session_rare_get(s)->class_attr,
				 l2tp_session_rare_get(s)->class_len);
	if (s->acct_authentic)
		rc |= radius_put_u32(&p, RADIUS_ATTR_ACCT_AUTHENTIC, s->acct_authentic);
	rc |= radius_put_u32(&p, RADIUS_ATTR_ACCT_DELAY_TIME, 0);
	rc |= radius_put_u32(&p, RADIUS_ATTR_EVENT_TIMESTAMP, (uint32_t)clock_wall_s(&d->clk));
	if (type != AAA_ACCT_START)
		rc |= aaa_acct_put_counters(&p, s->ppp_up_ms && now > s->ppp_up_ms ?
					    now - s->ppp_up_ms : 0, cnt);
	if (!s->lns)
		rc |= aaa_acct_put_tunnel(&p, s);
	if (type == AAA_ACCT_STOP)
		rc |= radius_put_u32(&p, RADIUS_ATTR_ACCT_TERMINATE_CAUSE,
				     s->term_cause ? s->term_cause : L2TP_TC_NAS_REQUEST);
	if (rc < 0) {
		session_log(s, LOG_ERR, "RADIUS: accounting request does not fit: not sent");
		return -EMSGSIZE;
	}
	/* The client retransmits and fails over by itself; nothing waits. */
	rc = aaa_radius_send(d, RADIUS_ACCT, &p, aaa_acct_cb, d, NULL);
	if (rc < 0)
		session_log(s, LOG_WARNING, "RADIUS: Accounting-%s not sent: %s",
			    type == AAA_ACCT_START ? "Start" : type == AAA_ACCT_STOP ? "Stop" :
			    "Interim-Update", strerror(-rc));
	return rc;
}

static void aaa_acct_arm(struct l2tp_session *s)
{
	struct l2tpd *d = s->t->d;
	uint64_t iv = (uint64_t)aaa_acct_interval(s) * 1000, now = clock_now(&d->clk);
	uint64_t since;

	clock_timer_stop(&d->clk, &s->acct_timer);
	if (iv == 0 || !s->acct_started)
		return;
	/* On the interval's grid from the last report (or, when it is not
	 * known: after a takeover, from PPP up). */
	since = s->acct_last_ms ? s->acct_last_ms : s->ppp_up_ms;
	if (since > now)
		since = now;
	clock_timer_start(&d->clk, &s->acct_timer, iv - (now - since) % iv);
}

static void aaa_acct_timer_cb(struct l2tp_timer *tm, void *arg)
{
	struct l2tp_session *s = arg;
	struct l2tpd *d = s->t->d;
	uint64_t cnt[AAA_CNT_MAX];
	int rc;

	if (!aaa_acct_on(s) || !s->acct_started)
		return;
	rc = aaa_acct_send(s, AAA_ACCT_INTERIM, cnt);
	if (rc == 0) {
		memcpy(s->acct_reported, cnt, sizeof(cnt));
		d->aaa.stats.acct_interim++;
	}
	if (rc <= 0) {
		s->acct_last_ms = clock_now(&d->clk);
		l2tp_session_changed(s);
	}
	aaa_acct_arm(s);
}

void aaa_acct_timer_init(struct l2tp_session *s)
{
	clock_timer_init(&s->acct_timer, aaa_acct_timer_cb, s);
}

/* From IPCP up (aaa_session_up). */
void aaa_acct_start(struct l2tp_session *s)
{
	struct l2tpd *d = s->t->d;
	uint64_t cnt[AAA_CNT_MAX];
	int rc;

	if (!aaa_acct_on(s) || s->acct_started)
		return;
	rc = aaa_acct_send(s, AAA_ACCT_START, cnt);
	if (rc > 0)
		return;
	/* Started once, whatever the server says: the client retries, and a
	 * second Start would open a second record. */
	s->acct_started = 1;
	s->acct_last_ms = clock_now(&d->clk);
	memset(s->acct_reported, 0, sizeof(s->acct_reported));
	if (rc == 0)
		d->aaa.stats.acct_start++;
	session_debug(s, LOG_DBG_EVENT, "Accounting-Start, Acct-Session-Id %s",
		      s->acct_session_id);
	l2tp_session_changed(s);
	aaa_acct_arm(s);
}

void aaa_session_restored(struct l2tp_session *s)
{
	if (s->acct_timer.cb == NULL)
		aaa_session_init(s);
	clock_timer_init(&s->acct_timer, aaa_acct_timer_cb, s);
	s->acct_last_ms = 0;		/* not checkpointed: the grid from PPP up */
	if (s->ppp_up)
		aaa_routes_add(s);
	if (aaa_acct_on(s) && s->acct_started)
		aaa_acct_arm(s);
}

/* From the session's end (aaa_session_end). */
void aaa_acct_stop(struct l2tp_session *s)
{
	struct l2tpd *d = s->t->d;
	uint64_t cnt[AAA_CNT_MAX];
	int rc;

	if (!s->acct_started || !aaa_acct_on(s))
		return;
	if (d->shutting_down)
		l2tp_session_cause(s, L2TP_TC_NAS_REBOOT);
	l2tp_session_cause(s, L2TP_TC_LOST_CARRIER);
	/* The box that lost mastership says nothing (rc 1): the new active
	 * carries the session on, and sends its Stop. */
	rc = aaa_acct_send(s, AAA_ACCT_STOP, cnt);
	if (rc > 0)
		return;
	if (rc == 0)
		d->aaa.stats.acct_stop++;
	memcpy(s->acct_reported, cnt, sizeof(cnt));
	s->acct_started = 0;
	session_debug(s, LOG_DBG_EVENT, "Accounting-Stop, cause %u", s->term_cause);
}
