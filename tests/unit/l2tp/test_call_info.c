/*
 * A call's line, proxy LCP and proxy authentication (l2tp/call_info.c):
 * RFC 2661 §4.4.5 (types 26-33), Calling Number and the connect speeds,
 * RFC 5515's access-line AVPs (Broadband Forum vendor), RFC 3145's PPP
 * Disconnect Cause Code.  Hand-built messages, malformed ones refused and
 * counted, and the LAC and LNS ends through the scripted peer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "l2tp/avp.h"
#include "l2tp/call_info.h"
#include "l2tp/dial.h"
#include "l2tp/msg.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

static const uint8_t secret[] = "s3cr3t";
#define SECRET_LEN (sizeof(secret) - 1)

/* LCP options: MRU 1492, Magic 0x01020304 / MRU 1500, auth PAP, magic */
static const uint8_t lcp_sub[] = { 1, 4, 0x05, 0xd4, 5, 6, 1, 2, 3, 4 };
static const uint8_t lcp_ours[] = { 1, 4, 0x05, 0xdc, 3, 4, 0xc0, 0x23, 5, 6, 9, 9, 9, 9 };

static void sample_ci(struct l2tp_call_info *ci, uint16_t auth)
{
	memset(ci, 0, sizeof(*ci));
	ci->flags = L2TP_CI_PROXY_LCP | L2TP_CI_PROXY_AUTH | L2TP_CI_SPEEDS | L2TP_CI_RATES;
	memcpy(ci->lcp_init_rcvd, lcp_sub, sizeof(lcp_sub));
	ci->lcp_init_rcvd_len = sizeof(lcp_sub);
	memcpy(ci->lcp_last_rcvd, lcp_sub, sizeof(lcp_sub));
	ci->lcp_last_rcvd_len = sizeof(lcp_sub);
	memcpy(ci->lcp_last_sent, lcp_ours, sizeof(lcp_ours));
	ci->lcp_last_sent_len = sizeof(lcp_ours);
	ci->auth_type = auth;
	ci->auth_id = 7;
	strcpy(ci->auth_name, "alice@isp.example");
	if (auth == L2TP_PROXY_AUTH_CHAP) {
		memset(ci->auth_challenge, 0x5a, 16);
		ci->auth_challenge_len = 16;
		memset(ci->auth_response, 0xa5, 16);
		ci->auth_response_len = 16;
	} else {
		memcpy(ci->auth_response, "secret-pw", 9);
		ci->auth_response_len = 9;
	}
	strcpy(ci->calling, "dslam1 eth 2/1:100");
	ci->tx_speed = 20000000;
	ci->rx_speed = 1000000;
	strcpy(ci->circuit_id, "dslam1 eth 2/1:100");
	strcpy(ci->remote_id, "cpe-0001");
	ci->rate[L2TP_RATE_ACTUAL_UP] = 1000000;
	ci->rate[L2TP_RATE_ACTUAL_DOWN] = UINT64_C(20000000000);	/* > 32 bits */
	ci->rate[L2TP_RATE_MAX_DOWN] = UINT64_C(30000000000);
}

/* Encode b into an exact-size copy and decode it (unhidden with secret). */
static int codec(struct l2tp_msgbuf *b, struct l2tp_msg *m, uint8_t **copy)
{
	int n = l2tp_msgbuf_finish(b), rc;

	assert_true(n > L2TP_HDR_LEN_CTRL);
	*copy = malloc((size_t)n);
	assert_non_null(*copy);
	memcpy(*copy, b->buf, (size_t)n);
	rc = l2tp_msg_decode(*copy, (size_t)n, m);
	if (rc == 0 && m->n_hidden)
		rc = l2tp_msg_unhide(m, secret, SECRET_LEN);
	return rc;
}

static void roundtrip(uint16_t auth, int hide)
{
	struct l2tp_call_info in, out;
	struct l2tp_msgbuf b;
	struct l2tp_msg *m = calloc(1, sizeof(*m));
	uint8_t *copy;
	uint64_t r;

	assert_non_null(m);
	sample_ci(&in, auth);
	memset(&out, 0, sizeof(out));
	/* ICRQ: Calling Number and the access line */
	l2tp_msgbuf_init(&b, L2TP_MSG_ICRQ, 1, 0);
	l2tp_msgbuf_set_secret(&b, secret, SECRET_LEN);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_SESSION_ID, 5, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_CALL_SERIAL_NUMBER, 5, 0);
	l2tp_call_info_put_icrq(&in, &b, hide);
	assert_int_equal(b.err, 0);
	assert_int_equal(codec(&b, m, &copy), 0);
	/* RFC 5515 §4: vendor 3561, M bit clear */
	assert_non_null(l2tp_msg_vavp(m, L2TP_VENDOR_BBF, L2TP_BBF_AGENT_CIRCUIT_ID));
	assert_int_equal(l2tp_msg_vavp(m, L2TP_VENDOR_BBF, L2TP_BBF_AGENT_CIRCUIT_ID)->flags &
			 L2TP_AVP_M, 0);
	assert_int_equal(l2tp_msg_get_vu64(m, L2TP_VENDOR_BBF, L2TP_BBF_ACTUAL_RATE_DOWN, &r), 0);
	assert_true(r == UINT64_C(20000000000));
	assert_int_equal(m->n_unknown_skipped, 0);
	assert_int_equal(l2tp_call_info_read(&out, m), 0);
	free(copy);
	/* ICCN: speeds, proxy LCP and authentication */
	l2tp_msgbuf_init(&b, L2TP_MSG_ICCN, 1, 9);
	l2tp_msgbuf_set_secret(&b, secret, SECRET_LEN);
	l2tp_avp_put_u32(&b, L2TP_AVP_TX_CONNECT_SPEED, in.tx_speed, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_FRAMING_TYPE, L2TP_FRAMING_SYNC, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_RX_CONNECT_SPEED, in.rx_speed, 0);
	l2tp_call_info_put_iccn(&in, &b, hide);
	assert_int_equal(b.err, 0);
	assert_int_equal(codec(&b, m, &copy), 0);
	if (hide)
		assert_true(m->n_hidden >= 7);
	/* §4.4.5: M bit 0 on every proxy AVP */
	assert_int_equal(l2tp_msg_avp(m, L2TP_AVP_PROXY_AUTHEN_RESPONSE)->flags & L2TP_AVP_M, 0);
	assert_int_equal(l2tp_call_info_read(&out, m), 0);
	free(copy);
	free(m);

	assert_int_equal(out.flags, in.flags);
	assert_int_equal(out.lcp_init_rcvd_len, sizeof(lcp_sub));
	assert_memory_equal(out.lcp_init_rcvd, lcp_sub, sizeof(lcp_sub));
	assert_int_equal(out.lcp_last_sent_len, sizeof(lcp_ours));
	assert_memory_equal(out.lcp_last_sent, lcp_ours, sizeof(lcp_ours));
	assert_int_equal(out.lcp_last_rcvd_len, sizeof(lcp_sub));
	assert_int_equal(out.auth_type, auth);
	assert_int_equal(out.auth_id, 7);
	assert_string_equal(out.auth_name, in.auth_name);
	assert_int_equal(out.auth_challenge_len, in.auth_challenge_len);
	assert_memory_equal(out.auth_challenge, in.auth_challenge, in.auth_challenge_len);
	assert_int_equal(out.auth_response_len, in.auth_response_len);
	assert_memory_equal(out.auth_response, in.auth_response, in.auth_response_len);
	/* the ICCN (no Calling Number) did not wipe the ICRQ's */
	assert_string_equal(out.calling, in.calling);
	assert_int_equal(out.tx_speed, in.tx_speed);
	assert_int_equal(out.rx_speed, in.rx_speed);
	assert_string_equal(out.circuit_id, in.circuit_id);
	assert_string_equal(out.remote_id, in.remote_id);
	assert_memory_equal(out.rate, in.rate, sizeof(in.rate));
}

static void test_roundtrip_pap(void **state)
{
	(void)state;
	roundtrip(L2TP_PROXY_AUTH_PAP, 0);
}

static void test_roundtrip_chap_hidden(void **state)
{
	(void)state;
	roundtrip(L2TP_PROXY_AUTH_CHAP, 1);
}

/* A message with one raw AVP after the Message Type: the decoder's verdict. */
static int decode_raw(uint16_t msg_type, uint16_t vendor, uint16_t type, const void *v,
		      size_t len, struct l2tp_msg *m, uint8_t **copy)
{
	struct l2tp_msgbuf b;

	l2tp_msgbuf_init(&b, msg_type, 1, 9);
	if (msg_type == L2TP_MSG_ICCN) {
		l2tp_avp_put_u32(&b, L2TP_AVP_TX_CONNECT_SPEED, 1, 0);
		l2tp_avp_put_u32(&b, L2TP_AVP_FRAMING_TYPE, L2TP_FRAMING_SYNC, 0);
	}
	l2tp_avp_put_raw(&b, vendor, type, 0, v, len);
	assert_int_equal(b.err, 0);
	return codec(&b, m, copy);
}

/* Wrong lengths: refused, with the CDN answer §4.1/§4.4.2 asks for. */
static void test_wrong_lengths_refused(void **state)
{
	static const struct {
		uint16_t vendor, type;
		size_t len;
	} bad[] = {
		{ 0, L2TP_AVP_PROXY_AUTHEN_TYPE, 1 },
		{ 0, L2TP_AVP_PROXY_AUTHEN_TYPE, 4 },
		{ 0, L2TP_AVP_PROXY_AUTHEN_ID, 3 },
		{ 0, L2TP_AVP_PROXY_AUTHEN_CHALLENGE, 0 },
		{ 0, L2TP_AVP_RX_CONNECT_SPEED, 2 },
		{ 0, L2TP_AVP_PPP_DISCONNECT_CAUSE, 4 },
		{ L2TP_VENDOR_BBF, L2TP_BBF_AGENT_CIRCUIT_ID, 0 },
		{ L2TP_VENDOR_BBF, L2TP_BBF_AGENT_CIRCUIT_ID, 64 },
		{ L2TP_VENDOR_BBF, L2TP_BBF_ACTUAL_RATE_UP, 4 },
		{ L2TP_VENDOR_BBF, L2TP_BBF_MAX_RATE_DOWN, 9 },
		{ L2TP_VENDOR_BBF, L2TP_BBF_ACT_INTERLEAVING_DELAY_DOWN, 8 },
		{ L2TP_VENDOR_BBF, L2TP_BBF_ACCESS_LOOP_ENCAP, 2 },
	};
	struct l2tp_msg *m = calloc(1, sizeof(*m));
	uint8_t v[80], *copy;
	size_t i;

	(void)state;
	assert_non_null(m);
	memset(v, 'x', sizeof(v));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(decode_raw(L2TP_MSG_ICCN, bad[i].vendor, bad[i].type, v, bad[i].len,
					    m, &copy), -EBADMSG);
		assert_int_equal(m->err.result, L2TP_CDN_GENERAL_ERROR);
		assert_int_equal(m->err.error, L2TP_ERR_BAD_LENGTH);
		assert_int_equal(m->err.avp_vendor, bad[i].vendor);
		assert_int_equal(m->err.avp_type, bad[i].type);
		assert_true(m->err.session_level);
		free(copy);
	}
	/* the lengths just inside the bounds pass */
	assert_int_equal(decode_raw(L2TP_MSG_ICCN, L2TP_VENDOR_BBF, L2TP_BBF_AGENT_CIRCUIT_ID, v,
				    63, m, &copy), 0);
	free(copy);
	assert_int_equal(decode_raw(L2TP_MSG_CDN, 0, L2TP_AVP_PPP_DISCONNECT_CAUSE, v, 5, m,
				    &copy), -EBADMSG);	/* a CDN needs its Result Code */
	free(copy);
	free(m);
}

/* §4.4.5: what cannot serve as a proxy is not used (the flags stay clear). */
static void test_unusable_proxy(void **state)
{
	struct l2tp_call_info ci;
	struct l2tp_msgbuf b;
	struct l2tp_msg *m = calloc(1, sizeof(*m));
	uint8_t big[300], *copy;

	(void)state;
	assert_non_null(m);
	memset(big, 1, sizeof(big));
	/* two of the three CONFREQs */
	l2tp_msgbuf_init(&b, L2TP_MSG_ICCN, 1, 9);
	l2tp_avp_put_u32(&b, L2TP_AVP_TX_CONNECT_SPEED, 1, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_FRAMING_TYPE, 1, 0);
	l2tp_avp_put(&b, L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ, lcp_sub, sizeof(lcp_sub), 0);
	l2tp_avp_put(&b, L2TP_AVP_LAST_SENT_LCP_CONFREQ, lcp_ours, sizeof(lcp_ours), 0);
	assert_int_equal(codec(&b, m, &copy), 0);
	memset(&ci, 0, sizeof(ci));
	assert_int_equal(l2tp_call_info_read(&ci, m), -EINVAL);
	assert_int_equal(ci.flags & L2TP_CI_PROXY_LCP, 0);
	assert_true(ci.flags & L2TP_CI_SPEEDS);
	free(copy);
	/* a CONFREQ longer than we keep */
	l2tp_msgbuf_init(&b, L2TP_MSG_ICCN, 1, 9);
	l2tp_avp_put_u32(&b, L2TP_AVP_TX_CONNECT_SPEED, 1, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_FRAMING_TYPE, 1, 0);
	l2tp_avp_put(&b, L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ, big, sizeof(big), 0);
	l2tp_avp_put(&b, L2TP_AVP_LAST_SENT_LCP_CONFREQ, lcp_ours, sizeof(lcp_ours), 0);
	l2tp_avp_put(&b, L2TP_AVP_LAST_RCVD_LCP_CONFREQ, lcp_sub, sizeof(lcp_sub), 0);
	assert_int_equal(codec(&b, m, &copy), 0);
	memset(&ci, 0, sizeof(ci));
	assert_int_equal(l2tp_call_info_read(&ci, m), -EINVAL);
	assert_int_equal(ci.flags & L2TP_CI_PROXY_LCP, 0);
	free(copy);
	/* PAP without its Response */
	l2tp_msgbuf_init(&b, L2TP_MSG_ICCN, 1, 9);
	l2tp_avp_put_u32(&b, L2TP_AVP_TX_CONNECT_SPEED, 1, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_FRAMING_TYPE, 1, 0);
	l2tp_avp_put_u16(&b, L2TP_AVP_PROXY_AUTHEN_TYPE, L2TP_PROXY_AUTH_PAP, 0);
	l2tp_avp_put_str(&b, L2TP_AVP_PROXY_AUTHEN_NAME, "bob", 0);
	assert_int_equal(codec(&b, m, &copy), 0);
	memset(&ci, 0, sizeof(ci));
	assert_int_equal(l2tp_call_info_read(&ci, m), -EINVAL);
	assert_int_equal(ci.flags & L2TP_CI_PROXY_AUTH, 0);
	assert_int_equal(ci.auth_type, 0);
	free(copy);
	free(m);
}

/* RFC 3145 §2: code, protocol, direction, text; M bit 0; printed. */
static void test_ppp_disconnect_cause(void **state)
{
	struct l2tp_msgbuf b;
	struct l2tp_msg *m = calloc(1, sizeof(*m));
	const uint8_t *v;
	uint8_t *copy;
	size_t len;
	char line[512];

	(void)state;
	assert_non_null(m);
	l2tp_msgbuf_init(&b, L2TP_MSG_CDN, 1, 9);
	l2tp_avp_put_result(&b, L2TP_CDN_ADMIN, -1, NULL);
	l2tp_avp_put_u16(&b, L2TP_AVP_ASSIGNED_SESSION_ID, 3, 0);
	l2tp_avp_put_ppp_disc(&b, L2TP_PPP_DISC_AUTH_FAILED, 0xc023, L2TP_PPP_DISC_AT_LOCAL,
			      "bad password");
	assert_int_equal(codec(&b, m, &copy), 0);
	assert_int_equal(l2tp_msg_get_bytes(m, L2TP_AVP_PPP_DISCONNECT_CAUSE, &v, &len), 0);
	assert_int_equal(len, 5 + strlen("bad password"));
	assert_int_equal(v[0] << 8 | v[1], 16);
	assert_int_equal(v[2] << 8 | v[3], 0xc023);
	assert_int_equal(v[4], 2);
	assert_memory_equal(v + 5, "bad password", 12);
	assert_int_equal(l2tp_msg_avp(m, L2TP_AVP_PPP_DISCONNECT_CAUSE)->flags & L2TP_AVP_M, 0);
	l2tp_msg_format(m, line, sizeof(line));
	assert_non_null(strstr(line, "PPP Disconnect Cause Code=code=16 proto=0xc023 dir=2 "
				     "\"bad password\""));
	free(copy);
	free(m);
}

/* --- the two ends ------------------------------------------------------------ */

static const char cfg_lac[] =
	H_CFG_LAC;

static const char cfg_lns[] =
	"hostname lns1\n"
	"vpdn enable\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	" local name lns1\n"
	" l2tp tunnel password s3cret\n";

/* LAC: a call of the access side carries its line in the ICRQ, its
 * speeds and proxies in the ICCN; a CDN of ours carries the RFC 3145
 * cause. */
static void test_lac_puts_call_info(void **state)
{
	struct harness *h = h_new(state, cfg_lac);
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 901, H_SECRET);
	struct l2tp_call_info ci;
	struct l2tp_session *s;
	struct l2tp_tunnel *t;
	struct l2tp_msg *m;
	const uint8_t *v;
	size_t len;
	char str[80];
	uint32_t u32;
	uint16_t u16, dsid;
	int err = 0;

	sample_ci(&ci, L2TP_PROXY_AUTH_PAP);
	t = l2tp_tunnel_open(&h->d, h_group(h, "LAC"), &err);
	assert_non_null(t);
	s = l2tp_session_dial_call(t, &ci, &err);
	assert_non_null(s);
	h_lac_answer(h, p, "lns1");
	m = h_expect(h, p, L2TP_MSG_ICRQ);
	dsid = 0;
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &dsid), 0);
	assert_int_equal(dsid, s->sid);
	assert_int_equal(l2tp_msg_get_str(m, L2TP_AVP_CALLING_NUMBER, str, sizeof(str)), 0);
	assert_string_equal(str, ci.calling);
	assert_int_equal(l2tp_msg_get_vstr(m, L2TP_VENDOR_BBF, L2TP_BBF_AGENT_REMOTE_ID, str,
					   sizeof(str)), 0);
	assert_string_equal(str, "cpe-0001");
	assert_false(l2tp_msg_has(m, L2TP_AVP_PROXY_AUTHEN_TYPE));	/* ICCN's */
	h_icrp(p, s->sid, 77);
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_ICCN);
	assert_int_equal(l2tp_msg_get_u32(m, L2TP_AVP_TX_CONNECT_SPEED, &u32), 0);
	assert_int_equal(u32, 20000000);
	assert_int_equal(l2tp_msg_get_u32(m, L2TP_AVP_RX_CONNECT_SPEED, &u32), 0);
	assert_int_equal(u32, 1000000);
	assert_int_equal(l2tp_msg_get_bytes(m, L2TP_AVP_LAST_SENT_LCP_CONFREQ, &v, &len), 0);
	assert_int_equal(len, sizeof(lcp_ours));
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_PROXY_AUTHEN_TYPE, &u16), 0);
	assert_int_equal(u16, L2TP_PROXY_AUTH_PAP);
	assert_int_equal(l2tp_msg_get_bytes(m, L2TP_AVP_PROXY_AUTHEN_RESPONSE, &v, &len), 0);
	assert_int_equal(len, 9);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	/* our CDN: Result Code and the PPP Disconnect Cause */
	l2tp_session_ppp_disc(s, L2TP_PPP_DISC_NORMAL, 0xc021, L2TP_PPP_DISC_AT_PEER);
	l2tp_session_clear(s, L2TP_CDN_LOST_CARRIER, -1, "subscriber left");
	m = h_expect_result(h, p, L2TP_MSG_CDN, L2TP_CDN_LOST_CARRIER, H_ANY);
	assert_int_equal(l2tp_msg_get_bytes(m, L2TP_AVP_PPP_DISCONNECT_CAUSE, &v, &len), 0);
	assert_int_equal(v[1], L2TP_PPP_DISC_NORMAL);
	assert_int_equal(v[4], L2TP_PPP_DISC_AT_PEER);
}

/* LNS: the call's information kept on the session; a malformed proxy
 * AVP clears that call (CDN, General error, Length is wrong), counted,
 * and leaves the other call alone. */
static void test_lns_reads_and_refuses(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.9", 301, "lac1");
	struct l2tp_call_info ci;
	struct l2tp_tunnel *t = h_tunnel(p);
	struct l2tp_session *s;
	struct l2tp_msgbuf *b;
	struct l2tp_msg *m;
	uint16_t good, dsid = 0;
	uint8_t three[3] = { 0, 0, 1 };
	uint64_t bad0;

	sample_ci(&ci, L2TP_PROXY_AUTH_CHAP);
	good = h_lns_call(h, p, 41);
	/* a second call whose ICRQ carries the line and whose ICCN the proxies */
	b = h_icrq(p, 42, 42);
	l2tp_call_info_put_icrq(&ci, b, 0);
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_ICRP);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &dsid), 0);
	b = h_iccn(p, dsid);
	l2tp_call_info_put_iccn(&ci, b, 0);
	h_send(p);
	s = l2tp_session_find(t, dsid);
	assert_non_null(s);
	assert_non_null(s->ci);
	assert_string_equal(s->ci->circuit_id, ci.circuit_id);
	assert_int_equal(s->ci->flags & (L2TP_CI_PROXY_LCP | L2TP_CI_PROXY_AUTH),
			 L2TP_CI_PROXY_LCP | L2TP_CI_PROXY_AUTH);
	assert_int_equal(s->ci->auth_type, L2TP_PROXY_AUTH_CHAP);
	assert_string_equal(s->calling, ci.calling);
	assert_null(l2tp_session_find(t, good)->ci);	/* nothing sent, nothing kept */

	/* a third call, its Proxy Authen ID 3 octets long */
	b = h_icrq(p, 43, 43);
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_ICRP);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &dsid), 0);
	b = h_iccn(p, dsid);
	l2tp_avp_put_raw(b, 0, L2TP_AVP_PROXY_AUTHEN_ID, 0, three, sizeof(three));
	bad0 = t->stats.rx_bad;
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_CDN, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_BAD_LENGTH);
	assert_int_equal(m->hdr.session_id, 43);
	assert_true(t->stats.rx_bad == bad0 + 1);
	assert_null(l2tp_session_find(t, dsid));
	assert_non_null(l2tp_session_find(t, good));
	assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
}

#define T(fn) cmocka_unit_test(fn)
#define TH(fn) cmocka_unit_test_setup_teardown(fn, h_setup, h_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_roundtrip_pap),
		T(test_roundtrip_chap_hidden),
		T(test_wrong_lengths_refused),
		T(test_unusable_proxy),
		T(test_ppp_disconnect_cause),
		TH(test_lac_puts_call_info),
		TH(test_lns_reads_and_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
