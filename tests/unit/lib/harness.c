/*
 * The test harness of harness.h: a socketless daemon whose control messages
 * are captured, and fake peers with their own sequence numbers.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"
#include "cli/cmd.h"
#include "cli/config_load.h"
#include "core/out.h"
#include "l2tp/auth.h"
#include "l2tp/net.h"
#include "l2tp/tunnel.h"

#define H_LOCAL_IP	"198.51.100.1"

/* --- the daemon's side ----------------------------------------------------- */

/* Which peer a message from tunnel t goes to (binding it on first sight). */
static struct h_peer *h_peer_for(struct harness *h, const struct l2tp_tunnel *t, uint16_t hdr_tid)
{
	struct h_peer *p;
	unsigned i;

	if (hdr_tid != 0) {
		for (i = 0; i < h->n_peers; i++) {
			p = &h->peers[i];
			if (p->tid == hdr_tid) {
				if (p->dtid == 0)
					p->dtid = t->tid;
				return p;
			}
		}
		return NULL;
	}
	/* Tunnel ID 0: the daemon's SCCRQ, before it knows the peer's ID. */
	for (i = 0; i < h->n_peers; i++)
		if (h->peers[i].dtid == t->tid)
			return &h->peers[i];
	for (i = 0; i < h->n_peers; i++) {
		p = &h->peers[i];
		if (p->dtid == 0 && p->addr.sin_addr.s_addr == t->peer.sin_addr.s_addr) {
			p->dtid = t->tid;
			return p;
		}
	}
	return NULL;
}

static int h_xmit(struct l2tp_tunnel *t, const uint8_t *buf, size_t len)
{
	struct harness *h = (struct harness *)t->d;
	struct l2tp_hdr hdr;
	struct h_pkt *pk;

	assert_int_equal(l2tp_hdr_parse(buf, len, &hdr), 0);
	if (!hdr.is_ctrl && h->data_rx != NULL) {
		h->data_rx(h->data_arg, hdr.tunnel_id, hdr.session_id, buf + hdr.hdr_len,
			   len - hdr.hdr_len);
		return 0;
	}
	/* Else whatever the daemon sends must at least be a control message. */
	assert_true(hdr.is_ctrl);
	pk = malloc(sizeof(*pk) + len);
	assert_non_null(pk);
	pk->dtid = t->tid;
	pk->len = len;
	pk->zlb = hdr.length == hdr.hdr_len;
	pk->ns = hdr.ns;
	pk->nr = hdr.nr;
	memcpy(pk->buf, buf, len);
	pk->peer = h_peer_for(h, t, hdr.tunnel_id);
	TAILQ_INSERT_TAIL(&h->q, pk, link);
	h->n_sent++;
	/* The peer receives it at once: its next message acknowledges it. */
	if (pk->peer != NULL && !pk->zlb && hdr.ns == pk->peer->nr)
		pk->peer->nr++;
	return 0;
}

int h_setup(void **state)
{
	*state = NULL;
	return 0;
}

int h_teardown(void **state)
{
	if (*state != NULL)
		h_free(*state);
	*state = NULL;
	return 0;
}

struct harness *h_new(void **state, const char *config)
{
	struct harness *h = calloc(1, sizeof(*h));
	char err[256];
	const char *v;

	assert_non_null(h);
	*state = h;
	TAILQ_INIT(&h->q);
	h->m = malloc(sizeof(*h->m));
	assert_non_null(h->m);
	assert_int_equal(l2tpd_init(&h->d, 1), 0);
	h->d.no_sockets = 1;
	h->d.xmit = h_xmit;
	v = getenv("L2TPD_TEST_VERBOSE");
	if (v != NULL && *v != '\0') {
		h->d.log.level = LOG_DEBUG;
		h->d.log.debug = LOG_DBG_EVENT | LOG_DBG_ERROR | LOG_DBG_FSM | LOG_DBG_PACKET;
	} else {
		h->d.log.level = LOG_CRIT;
	}
	err[0] = '\0';
	if (config_load_string(&h->d.cfg, config, err, sizeof(err)) < 0)
		fail_msg("configuration refused: %s", err);
	if (dp_create("null", &h->d.dp, err, sizeof(err)) < 0)
		fail_msg("null data path: %s", err);
	return h;
}

void h_drain(struct harness *h)
{
	struct h_pkt *pk;

	while ((pk = TAILQ_FIRST(&h->q)) != NULL) {
		TAILQ_REMOVE(&h->q, pk, link);
		free(pk);
	}
}

void h_at_free(struct harness *h, void (*fn)(void *arg), void *arg)
{
	assert_true(h->n_at_free < H_MAX_AT_FREE);
	h->at_free[h->n_at_free].fn = fn;
	h->at_free[h->n_at_free].arg = arg;
	h->n_at_free++;
}

void h_free(struct harness *h)
{
	l2tpd_fini(&h->d);
	while (h->n_at_free > 0) {
		h->n_at_free--;
		h->at_free[h->n_at_free].fn(h->at_free[h->n_at_free].arg);
	}
	h_drain(h);
	free(h->last);
	free(h->m);
	free(h);
}

struct vpdn_group *h_group(struct harness *h, const char *name)
{
	struct vpdn_group *g = config_group_find(&h->d.cfg, name);

	assert_non_null(g);
	return g;
}

struct h_peer *h_peer_new(struct harness *h, const char *ip, uint16_t tid, const char *secret)
{
	struct h_peer *p;
	unsigned i;

	assert_true(h->n_peers < H_MAX_PEERS);
	assert_int_not_equal(tid, 0);
	for (i = 0; i < h->n_peers; i++)
		assert_int_not_equal(h->peers[i].tid, tid);
	p = &h->peers[h->n_peers++];
	memset(p, 0, sizeof(*p));
	p->h = h;
	p->tid = tid;
	p->secret = secret;
	p->addr.sin_family = AF_INET;
	p->addr.sin_port = htons(L2TP_PORT);
	assert_int_equal(inet_pton(AF_INET, ip, &p->addr.sin_addr), 1);
	p->local.sin_family = AF_INET;
	p->local.sin_port = htons(L2TP_PORT);
	assert_int_equal(inet_pton(AF_INET, H_LOCAL_IP, &p->local.sin_addr), 1);
	return p;
}

struct l2tp_tunnel *h_tunnel(const struct h_peer *p)
{
	if (p->dtid == 0)
		return NULL;
	return l2tp_tunnel_find(&p->h->d, p->dtid);
}

/* --- the peer's side ------------------------------------------------------- */

struct l2tp_msgbuf *h_msg(struct h_peer *p, uint16_t type, uint16_t sid)
{
	l2tp_msgbuf_init(&p->b, type, type == L2TP_MSG_SCCRQ ? 0 : p->dtid, sid);
	if (p->secret != NULL)
		l2tp_msgbuf_set_secret(&p->b, (const uint8_t *)p->secret, strlen(p->secret));
	return &p->b;
}

struct l2tp_msgbuf *h_msg_flags(struct h_peer *p, uint16_t type, uint16_t avp_flags, uint16_t sid)
{
	uint8_t v[2] = { (uint8_t)(type >> 8), (uint8_t)type };

	l2tp_msgbuf_init_zlb(&p->b, p->dtid);
	/* a ZLB header has Session ID 0; a real message may carry one */
	p->b.buf[6] = (uint8_t)(sid >> 8);
	p->b.buf[7] = (uint8_t)sid;
	l2tp_avp_put_raw(&p->b, 0, L2TP_AVP_MESSAGE_TYPE, avp_flags, v, sizeof(v));
	return &p->b;
}

size_t h_seal(struct h_peer *p, uint8_t *out, size_t outsz)
{
	int len = l2tp_msgbuf_finish(&p->b);

	assert_true(len > 0);
	assert_true((size_t)len <= outsz);
	l2tp_hdr_set_seq(p->b.buf, p->ns++, p->nr);
	memcpy(out, p->b.buf, (size_t)len);
	return (size_t)len;
}

void h_deliver(struct h_peer *p, const uint8_t *buf, size_t len)
{
	l2tp_net_input(&p->h->d, -1, buf, len, &p->addr, &p->local);
	/* The end of the event-loop turn: checkpoints go (HA tests). */
	ha_flush(&p->h->d);
}

void h_send(struct h_peer *p)
{
	uint8_t buf[L2TP_MAX_MSG_LEN];
	size_t len = h_seal(p, buf, sizeof(buf));

	h_deliver(p, buf, len);
}

void h_send_zlb(struct h_peer *p)
{
	struct l2tp_msgbuf b;
	int len;

	l2tp_msgbuf_init_zlb(&b, p->dtid);
	len = l2tp_msgbuf_finish(&b);
	assert_int_equal(len, L2TP_HDR_LEN_CTRL);
	l2tp_hdr_set_seq(b.buf, p->ns, p->nr);
	h_deliver(p, b.buf, (size_t)len);
}

/* §6.1/§6.2: what SCCRQ and SCCRP have in common. */
static struct l2tp_msgbuf *h_sccrx(struct h_peer *p, uint16_t type, const char *host)
{
	struct l2tp_msgbuf *b = h_msg(p, type, 0);

	l2tp_avp_put_version(b);
	l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_CAP, L2TP_FRAMING_SYNC, 0);
	l2tp_avp_put_u32(b, L2TP_AVP_BEARER_CAP, L2TP_BEARER_DIGITAL, 0);
	l2tp_avp_put_str(b, L2TP_AVP_HOST_NAME, host, 0);
	l2tp_avp_put_str(b, L2TP_AVP_VENDOR_NAME, "test peer", 0);
	l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_TUNNEL_ID, p->tid, 0);
	l2tp_avp_put_u16(b, L2TP_AVP_RECV_WINDOW_SIZE, 4, 0);
	return b;
}

struct l2tp_msgbuf *h_sccrq(struct h_peer *p, const char *host)
{
	return h_sccrx(p, L2TP_MSG_SCCRQ, host);
}

struct l2tp_msgbuf *h_sccrp(struct h_peer *p, const char *host)
{
	return h_sccrx(p, L2TP_MSG_SCCRP, host);
}

struct l2tp_msgbuf *h_scccn(struct h_peer *p)
{
	return h_msg(p, L2TP_MSG_SCCCN, 0);
}

struct l2tp_msgbuf *h_stopccn(struct h_peer *p, uint16_t result)
{
	struct l2tp_msgbuf *b = h_msg(p, L2TP_MSG_STOPCCN, 0);

	l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_TUNNEL_ID, p->tid, 0);
	l2tp_avp_put_result(b, result, -1, NULL);
	return b;
}

struct l2tp_msgbuf *h_hello(struct h_peer *p)
{
	return h_msg(p, L2TP_MSG_HELLO, 0);
}

struct l2tp_msgbuf *h_icrq(struct h_peer *p, uint16_t peer_sid, uint32_t serial)
{
	struct l2tp_msgbuf *b = h_msg(p, L2TP_MSG_ICRQ, 0);

	l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_SESSION_ID, peer_sid, 0);
	l2tp_avp_put_u32(b, L2TP_AVP_CALL_SERIAL_NUMBER, serial, 0);
	l2tp_avp_put_u32(b, L2TP_AVP_BEARER_TYPE, L2TP_BEARER_DIGITAL, 0);
	return b;
}

struct l2tp_msgbuf *h_icrp(struct h_peer *p, uint16_t dsid, uint16_t peer_sid)
{
	struct l2tp_msgbuf *b = h_msg(p, L2TP_MSG_ICRP, dsid);

	l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_SESSION_ID, peer_sid, 0);
	return b;
}

struct l2tp_msgbuf *h_iccn(struct h_peer *p, uint16_t dsid)
{
	struct l2tp_msgbuf *b = h_msg(p, L2TP_MSG_ICCN, dsid);

	l2tp_avp_put_u32(b, L2TP_AVP_TX_CONNECT_SPEED, 10000000, 0);
	l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_TYPE, L2TP_FRAMING_SYNC, 0);
	return b;
}

struct l2tp_msgbuf *h_ocrq(struct h_peer *p, uint16_t peer_sid, uint32_t serial, const char *number)
{
	struct l2tp_msgbuf *b = h_msg(p, L2TP_MSG_OCRQ, 0);

	l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_SESSION_ID, peer_sid, 0);
	l2tp_avp_put_u32(b, L2TP_AVP_CALL_SERIAL_NUMBER, serial, 0);
	l2tp_avp_put_u32(b, L2TP_AVP_MINIMUM_BPS, 0, 0);
	l2tp_avp_put_u32(b, L2TP_AVP_MAXIMUM_BPS, 10000000, 0);
	l2tp_avp_put_u32(b, L2TP_AVP_BEARER_TYPE, L2TP_BEARER_DIGITAL, 0);
	l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_TYPE, L2TP_FRAMING_SYNC, 0);
	l2tp_avp_put_str(b, L2TP_AVP_CALLED_NUMBER, number, 0);
	return b;
}

struct l2tp_msgbuf *h_ocrp(struct h_peer *p, uint16_t dsid, uint16_t peer_sid)
{
	struct l2tp_msgbuf *b = h_msg(p, L2TP_MSG_OCRP, dsid);

	l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_SESSION_ID, peer_sid, 0);
	return b;
}

struct l2tp_msgbuf *h_occn(struct h_peer *p, uint16_t dsid)
{
	struct l2tp_msgbuf *b = h_msg(p, L2TP_MSG_OCCN, dsid);

	l2tp_avp_put_u32(b, L2TP_AVP_TX_CONNECT_SPEED, 10000000, 0);
	l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_TYPE, L2TP_FRAMING_SYNC, 0);
	return b;
}

struct l2tp_msgbuf *h_cdn(struct h_peer *p, uint16_t dsid, uint16_t peer_sid, uint16_t result)
{
	struct l2tp_msgbuf *b = h_msg(p, L2TP_MSG_CDN, dsid);

	l2tp_avp_put_result(b, result, -1, NULL);
	l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_SESSION_ID, peer_sid, 0);
	return b;
}

void h_put_challenge(struct h_peer *p)
{
	size_t i;

	/* Fixed bytes: the tests must not depend on luck. */
	for (i = 0; i < sizeof(p->challenge); i++)
		p->challenge[i] = (uint8_t)(0xa0 + i * 7 + p->tid);
	l2tp_avp_put(&p->b, L2TP_AVP_CHALLENGE, p->challenge, sizeof(p->challenge), 0);
}

void h_put_response(struct h_peer *p, uint8_t type, const char *secret, const uint8_t *chal,
		    size_t chal_len)
{
	uint8_t resp[16];

	l2tp_auth_response(type, (const uint8_t *)secret, strlen(secret), chal, chal_len, resp);
	l2tp_avp_put(&p->b, L2TP_AVP_CHALLENGE_RESPONSE, resp, sizeof(resp), 0);
}

/* --- reading what the daemon sent ---------------------------------------- */

void h_flush_acks(struct harness *h)
{
	clock_advance(&h->d.clk, H_ACK_DELAY_MS);
	ha_flush(&h->d);
}

static int h_pkt_for(const struct h_pkt *pk, const struct h_peer *p)
{
	return p == NULL || pk->peer == p;
}

struct l2tp_msg *h_next(struct harness *h, struct h_peer *p)
{
	struct h_pkt *pk, *next;
	struct l2tp_msg *m = h->m;
	const char *secret;
	int rc;

	ha_flush(&h->d);
	for (pk = TAILQ_FIRST(&h->q); pk != NULL; pk = next) {
		next = TAILQ_NEXT(pk, link);
		if (!h_pkt_for(pk, p))
			continue;
		TAILQ_REMOVE(&h->q, pk, link);
		if (pk->zlb) {
			free(pk);
			continue;
		}
		rc = l2tp_msg_decode(pk->buf, pk->len, m);
		if (rc == 0 && m->n_hidden > 0) {
			secret = pk->peer != NULL ? pk->peer->secret : NULL;
			rc = l2tp_msg_unhide(m, (const uint8_t *)secret, secret ? strlen(secret) : 0);
		}
		free(h->last);
		h->last = pk;
		if (rc != 0)
			fail_msg("the daemon sent an undecodable message (%d): %s", rc, m->err.text);
		return m;
	}
	return NULL;
}

struct l2tp_msg *h_expect(struct harness *h, struct h_peer *p, uint16_t type)
{
	struct l2tp_msg *m = h_next(h, p);

	if (m == NULL)
		fail_msg("expected %s, the daemon sent nothing more", l2tp_msg_type_name(type));
	if (m->type != type) {
		struct l2tp_result r;

		l2tp_msg_get_result(m, &r);
		fail_msg("expected %s, got %s (result %u error %d \"%s\")", l2tp_msg_type_name(type),
			 l2tp_msg_type_name(m->type), r.result, (int)r.error, r.msg);
	}
	return m;
}

struct l2tp_msg *h_expect_result(struct harness *h, struct h_peer *p, uint16_t type,
				 uint16_t result, int error)
{
	struct l2tp_msg *m = h_expect(h, p, type);
	struct l2tp_result r;

	assert_int_equal(l2tp_msg_get_result(m, &r), 0);
	if (r.result != result)
		fail_msg("%s result %u (error %d, \"%s\"), expected %u", l2tp_msg_type_name(type),
			 r.result, (int)r.error, r.msg, result);
	if (error != H_ANY && r.error != error)
		fail_msg("%s result %u error %d (\"%s\"), expected error %d",
			 l2tp_msg_type_name(type), r.result, (int)r.error, r.msg, error);
	return m;
}

void h_expect_only_ack(struct harness *h, struct h_peer *p)
{
	struct h_pkt *pk, *next;
	unsigned zlbs = 0;
	uint16_t last_nr = 0;

	h_flush_acks(h);
	for (pk = TAILQ_FIRST(&h->q); pk != NULL; pk = next) {
		next = TAILQ_NEXT(pk, link);
		if (!h_pkt_for(pk, p))
			continue;
		if (!pk->zlb) {
			assert_int_equal(l2tp_msg_decode(pk->buf, pk->len, h->m), 0);
			fail_msg("expected only acknowledgements, the daemon sent %s",
				 l2tp_msg_type_name(h->m->type));
		}
		zlbs++;
		last_nr = pk->nr;
		TAILQ_REMOVE(&h->q, pk, link);
		free(pk);
	}
	assert_true(zlbs >= 1);
	assert_int_equal(last_nr, p->ns);
}

unsigned h_waiting(struct harness *h, struct h_peer *p, int count_zlbs)
{
	struct h_pkt *pk;
	unsigned n = 0;

	ha_flush(&h->d);
	TAILQ_FOREACH(pk, &h->q, link)
		if (h_pkt_for(pk, p) && (count_zlbs || !pk->zlb))
			n++;
	return n;
}

void h_expect_nothing(struct harness *h, struct h_peer *p)
{
	assert_int_equal(h_waiting(h, p, 1), 0);
}

void h_get_bytes(const struct l2tp_msg *m, uint16_t type, uint8_t *out, size_t len)
{
	const uint8_t *v;
	size_t vlen;

	assert_int_equal(l2tp_msg_get_bytes(m, type, &v, &vlen), 0);
	assert_int_equal(vlen, len);
	memcpy(out, v, len);
}

/* --- whole exchanges ---------------------------------------------------- */

struct h_peer *h_lns_tunnel(struct harness *h, const char *ip, uint16_t tid, const char *host)
{
	struct h_peer *p = h_peer_new(h, ip, tid, H_SECRET);
	struct l2tp_tunnel *t;
	struct l2tp_msg *m;
	uint8_t chal[16];
	uint16_t v;

	h_sccrq(p, host);
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_SCCRP);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &v), 0);
	assert_int_equal(v, p->dtid);
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, sizeof(chal));
	h_scccn(p);
	h_put_response(p, L2TP_MSG_SCCCN, H_SECRET, chal, sizeof(chal));
	h_send(p);
	t = h_tunnel(p);
	assert_non_null(t);
	assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
	return p;
}

uint16_t h_lns_call(struct harness *h, struct h_peer *p, uint16_t peer_sid)
{
	struct l2tp_msg *m;
	uint16_t dsid = 0;

	h_icrq(p, peer_sid, peer_sid);
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_ICRP);
	assert_int_equal(m->hdr.session_id, peer_sid);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &dsid), 0);
	assert_int_not_equal(dsid, 0);
	h_iccn(p, dsid);
	h_send(p);
	return dsid;
}

void h_lac_answer(struct harness *h, struct h_peer *p, const char *host)
{
	struct l2tp_msg *m;
	uint8_t chal[16], resp[16], want[16];

	m = h_expect(h, p, L2TP_MSG_SCCRQ);
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, sizeof(chal));
	h_sccrp(p, host);
	h_put_response(p, L2TP_MSG_SCCRP, H_SECRET, chal, sizeof(chal));
	h_put_challenge(p);
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_SCCCN);
	h_get_bytes(m, L2TP_AVP_CHALLENGE_RESPONSE, resp, sizeof(resp));
	l2tp_auth_response(L2TP_MSG_SCCCN, (const uint8_t *)H_SECRET, strlen(H_SECRET),
			   p->challenge, sizeof(p->challenge), want);
	assert_memory_equal(resp, want, sizeof(want));
}

char *h_cmd(struct harness *h, const char *line, int want)
{
	struct out o;
	char *r;

	out_init(&o, 0);
	assert_int_equal(cmd_exec(&h->d, line, &o), want);
	r = strdup(o.buf);
	assert_non_null(r);
	out_free(&o);
	return r;
}

unsigned h_log_lines_with(const struct log_buf *b, const char *needle)
{
	char text[LOG_BUF_SIZE + 1];
	unsigned n = 0;

	memcpy(text, b->text, b->len);
	text[b->len] = '\0';
	for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n"))
		if (strstr(line, needle) != NULL)
			n++;
	return n;
}
