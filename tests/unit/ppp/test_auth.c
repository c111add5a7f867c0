/*
 * Authentication: MS-CHAPv2 against the RFC 2759 §9.2 test vectors, CHAP-MD5
 * against a hand computation, the local check of every method, the failure
 * packets for a wrong password, the asynchronous AAA answer, bounded
 * Challenge retransmission, and two links (authenticator and peer)
 * authenticating each other end to end with PAP, CHAP-MD5 and MS-CHAPv2.
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

#include <nettle/md4.h>
#include <nettle/md5.h>

#include "core/clock.h"
#include "core/log.h"
#include "ppp/ppp.h"

#include "ppp_twolink.h"

/* --- RFC 2759 §9.2 ------------------------------------------------------------- */

static const uint8_t v_auth_chal[16] = {
	0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E, 0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28,
};
static const uint8_t v_peer_chal[16] = {
	0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A, 0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E,
};
static const uint8_t v_challenge[8] = { 0xD0, 0x2E, 0x43, 0x86, 0xBC, 0xE9, 0x12, 0x26 };
static const uint8_t v_nt_response[24] = {
	0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E, 0xA0, 0x8F, 0xAA, 0x39,
	0x81, 0xCD, 0x83, 0x54, 0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF,
};
static const uint8_t v_pw_hash[16] = {
	0x44, 0xEB, 0xBA, 0x8D, 0x53, 0x12, 0xB8, 0xD6, 0x11, 0x47, 0x44, 0x11, 0xF5, 0x69, 0x89, 0xAE,
};
static const uint8_t v_pw_hash_hash[16] = {
	0x41, 0xC0, 0x0C, 0x58, 0x4B, 0xD2, 0xD9, 0x1C, 0x40, 0x17, 0xA2, 0xA1, 0x2F, 0xA5, 0x9F, 0x3F,
};
static const char v_auth_resp[] = "S=407A5589115FD0D6209F510FE9C04566932CDA56";

static void test_mschapv2_vectors(void **state)
{
	uint8_t out[24];
	char resp[PPP_MSCHAP_AUTHRESP_LEN + 1];

	(void)state;
	ppp_mschap_challenge_hash(v_peer_chal, v_auth_chal, "User", out);
	assert_memory_equal(out, v_challenge, 8);
	ppp_mschap_nt_password_hash("clientPass", out);
	assert_memory_equal(out, v_pw_hash, 16);
	ppp_mschap_hash_hash(v_pw_hash, out);
	assert_memory_equal(out, v_pw_hash_hash, 16);
	ppp_mschap_challenge_response(v_challenge, v_pw_hash, out);
	assert_memory_equal(out, v_nt_response, 24);
	memset(out, 0, sizeof(out));
	ppp_mschap_nt_response(v_auth_chal, v_peer_chal, "User", "clientPass", out);
	assert_memory_equal(out, v_nt_response, 24);
	ppp_mschap_authenticator_response("clientPass", v_nt_response, v_peer_chal, v_auth_chal,
					  "User", resp);
	assert_string_equal(resp, v_auth_resp);
	/* §8.2: a domain prefix is not hashed */
	ppp_mschap_challenge_hash(v_peer_chal, v_auth_chal, "CORP\\User", out);
	assert_memory_equal(out, v_challenge, 8);
	assert_string_equal(ppp_mschap_user_part("A\\B\\User"), "User");
}

/* §8.3: the password is Unicode; ours comes in UTF-8. */
static void test_nt_hash_unicode(void **state)
{
	struct md4_ctx ctx;
	uint8_t want[16], got[16];
	/* "é" U+00E9, "€" U+20AC, "𝄞" U+1D11E (a surrogate pair D834 DD1E) */
	const uint8_t u16[] = { 0xe9, 0x00, 0xac, 0x20, 0x34, 0xd8, 0x1e, 0xdd };

	(void)state;
	md4_init(&ctx);
	md4_update(&ctx, sizeof(u16), u16);
	md4_digest(&ctx, 16, want);
	ppp_mschap_nt_password_hash("\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e", got);
	assert_memory_equal(got, want, 16);
	/* not UTF-8: Latin-1, one octet one character */
	ppp_mschap_nt_password_hash("\xe9", got);
	md4_init(&ctx);
	md4_update(&ctx, 2, u16);
	md4_digest(&ctx, 16, want);
	assert_memory_equal(got, want, 16);
}

static void test_mschapv2_messages(void **state)
{
	char buf[192];
	uint8_t chal[16];

	(void)state;
	for (int i = 0; i < 16; i++)
		chal[i] = (uint8_t)(0xa0 + i);
	ppp_mschap_failure_message(buf, sizeof(buf), 691, chal, "Wrong password");
	assert_string_equal(buf, "E=691 R=0 C=A0A1A2A3A4A5A6A7A8A9AAABACADAEAF V=3 M=Wrong password");
	ppp_mschap_success_message(buf, sizeof(buf), v_auth_resp, "Welcome");
	assert_string_equal(buf, "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=Welcome");
	assert_true(ppp_mschap_success_matches((const uint8_t *)buf, strlen(buf), v_auth_resp));
	assert_true(ppp_mschap_success_matches((const uint8_t *)v_auth_resp, 42, v_auth_resp));
	buf[10] = '0';
	assert_false(ppp_mschap_success_matches((const uint8_t *)buf, strlen(buf), v_auth_resp));
	assert_false(ppp_mschap_success_matches((const uint8_t *)v_auth_resp, 41, v_auth_resp));
	assert_false(ppp_mschap_success_matches((const uint8_t *)"S=407A5589115FD0D6209F510FE9C04566932CDA56X",
						43, v_auth_resp));
}

/* --- CHAP-MD5, RFC 1994 §4.1 ----------------------------------------------------- */

static void test_chap_md5_by_hand(void **state)
{
	/* MD5(0x42 | "secret" | 00 01 .. 0f), computed by hand (one buffer) */
	static const uint8_t want[16] = {
		0x31, 0x98, 0x4c, 0xa7, 0x02, 0xa9, 0xb5, 0xc2,
		0xaa, 0xcc, 0xe5, 0x91, 0x01, 0x2c, 0x43, 0x52,
	};
	uint8_t chal[16], got[16], buf[1 + 6 + 16];
	struct md5_ctx ctx;

	(void)state;
	for (int i = 0; i < 16; i++)
		chal[i] = (uint8_t)i;
	ppp_chap_md5(0x42, (const uint8_t *)"secret", 6, chal, 16, got);
	assert_memory_equal(got, want, 16);
	buf[0] = 0x42;
	memcpy(buf + 1, "secret", 6);
	memcpy(buf + 7, chal, 16);
	md5_init(&ctx);
	md5_update(&ctx, sizeof(buf), buf);
	md5_digest(&ctx, 16, got);
	assert_memory_equal(got, want, 16);
}

/* --- ppp_auth_check_local ---------------------------------------------------------- */

static void test_check_local(void **state)
{
	struct ppp_auth_req req;
	struct ppp_auth_reply r;

	(void)state;
	memset(&req, 0, sizeof(req));
	req.method = PPP_AUTH_PAP;
	snprintf(req.user, sizeof(req.user), "alice");
	memcpy(req.password, "s3cret", 6);
	req.password_len = 6;
	assert_int_equal(ppp_auth_check_local(&req, "s3cret", NULL), 0);
	assert_int_equal(ppp_auth_check_local(&req, "s3cre", NULL), -EACCES);
	assert_int_equal(ppp_auth_check_local(&req, "s3cret!", NULL), -EACCES);
	assert_int_equal(ppp_auth_check_local(&req, "S3cret", NULL), -EACCES);
	req.password_len = 0;
	assert_int_equal(ppp_auth_check_local(&req, "", NULL), 0);
	assert_int_equal(ppp_auth_check_local(&req, "x", NULL), -EACCES);

	memset(&req, 0, sizeof(req));
	req.method = PPP_AUTH_CHAP_MD5;
	req.id = 0x42;
	for (int i = 0; i < 16; i++)
		req.challenge[i] = (uint8_t)i;
	req.challenge_len = 16;
	ppp_chap_md5(0x42, (const uint8_t *)"secret", 6, req.challenge, 16, req.response);
	assert_int_equal(ppp_auth_check_local(&req, "secret", NULL), 0);
	assert_int_equal(ppp_auth_check_local(&req, "Secret", NULL), -EACCES);
	req.id = 0x43;
	assert_int_equal(ppp_auth_check_local(&req, "secret", NULL), -EACCES);

	memset(&req, 0, sizeof(req));
	memset(&r, 0, sizeof(r));
	req.method = PPP_AUTH_MSCHAPV2;
	snprintf(req.user, sizeof(req.user), "User");
	memcpy(req.challenge, v_auth_chal, 16);
	req.challenge_len = 16;
	memcpy(req.peer_challenge, v_peer_chal, 16);
	memcpy(req.nt_response, v_nt_response, 24);
	assert_int_equal(ppp_auth_check_local(&req, "clientPass", &r), 0);
	assert_string_equal(r.mschap_auth_response, v_auth_resp);
	memset(&r, 0, sizeof(r));
	assert_int_equal(ppp_auth_check_local(&req, "clientpass", &r), -EACCES);
	assert_string_equal(r.mschap_auth_response, "");
	req.challenge_len = 8;
	assert_int_equal(ppp_auth_check_local(&req, "clientPass", &r), -EINVAL);
	req.method = PPP_AUTH_NONE;
	assert_int_equal(ppp_auth_check_local(&req, "clientPass", &r), -EINVAL);
}

/* --- two links --------------------------------------------------------------------- */

static struct tnet *t_pair(enum ppp_auth_method m, const char *peer_password)
{
	struct tnet *n = malloc(sizeof(*n));

	assert_non_null(n);
	t_net_init(n);
	n->a.cfg.auth[0] = m;
	n->a.cfg.n_auth = 1;
	inet_pton(AF_INET, "192.0.2.1", &n->a.cfg.local_addr);
	inet_pton(AF_INET, "198.51.100.7", &n->a.assign);
	n->a.secret = "correct horse";
	snprintf(n->b.cfg.user, sizeof(n->b.cfg.user), "bob@example.net");
	snprintf(n->b.cfg.password, sizeof(n->b.cfg.password), "%s", peer_password);
	n->b.cfg.auth[0] = PPP_AUTH_MSCHAPV2;
	n->b.cfg.auth[1] = PPP_AUTH_CHAP_MD5;
	n->b.cfg.auth[2] = PPP_AUTH_PAP;
	n->b.cfg.n_auth = 3;
	t_end_start(&n->a, "lns: ");
	t_end_start(&n->b, "client: ");
	return n;
}

static void t_pair_free(struct tnet *n)
{
	t_net_free(n);
	free(n);
}

static void check_end_to_end(enum ppp_auth_method m)
{
	struct tnet *n = t_pair(m, "correct horse");
	struct ppp_state st;
	char buf[INET_ADDRSTRLEN];

	assert_int_equal(ppp_open(n->a.p), 0);
	assert_int_equal(ppp_open(n->b.p), 0);
	t_run(n, 1000);
	assert_int_equal(n->a.auth_reqs, 1);
	assert_int_equal(n->a.req.method, m);
	assert_string_equal(n->a.req.user, "bob@example.net");
	assert_int_equal(ppp_get_phase(n->a.p), PPP_PHASE_NETWORK);
	assert_int_equal(ppp_get_phase(n->b.p), PPP_PHASE_NETWORK);
	assert_int_equal(n->a.ups, 1);
	assert_int_equal(n->a.up_proto, PPP_PROTO_IPCP);
	assert_int_equal(n->b.ups, 1);
	assert_string_equal(inet_ntop(AF_INET, &n->b.up_st.local_addr, buf, sizeof(buf)),
			    "198.51.100.7");
	assert_int_equal(ppp_export(n->a.p, &st), 0);
	assert_int_equal(st.auth, m);
	assert_string_equal(st.user, "bob@example.net");
	assert_int_equal(ppp_export(n->b.p, &st), 0);
	assert_int_equal(st.auth, m);
	assert_string_equal(st.user, "bob@example.net");
	assert_int_equal(n->a.downs + n->b.downs, 0);
	assert_int_equal(n->lost, 0);
	t_pair_free(n);
}

static void test_end_to_end_pap(void **state)
{
	(void)state;
	check_end_to_end(PPP_AUTH_PAP);
}

static void test_end_to_end_chap(void **state)
{
	(void)state;
	check_end_to_end(PPP_AUTH_CHAP_MD5);
}

/* CHAP's Success carries AAA's message whole (RFC 1994 §4.2: Message). */
static void test_chap_success_message(void **state)
{
	struct tnet *n = t_pair(PPP_AUTH_CHAP_MD5, "correct horse");

	(void)state;
	n->tap_from = &n->a;
	n->tap_proto = PPP_PROTO_CHAP;
	n->tap_code = PPP_CHAP_SUCCESS;
	assert_int_equal(ppp_open(n->a.p), 0);
	assert_int_equal(ppp_open(n->b.p), 0);
	t_run(n, 1000);
	assert_int_equal(n->tapped, 1);
	/* protocol, code, identifier, length, then the message */
	assert_int_equal(n->tap_len, 2 + 4 + strlen("Welcome"));
	assert_memory_equal(n->tap + 6, "Welcome", strlen("Welcome"));
	t_pair_free(n);
}

static void test_end_to_end_mschapv2(void **state)
{
	(void)state;
	check_end_to_end(PPP_AUTH_MSCHAPV2);
}

/* A wrong password: the failure packet the authenticator sends, both ends down. */
static void check_wrong_password(enum ppp_auth_method m, uint16_t proto, uint8_t code)
{
	struct tnet *n = t_pair(m, "battery staple");
	struct ppp_stats st;
	size_t mlen;
	const char *msg;

	n->tap_from = &n->a;
	n->tap_proto = proto;
	n->tap_code = code;
	ppp_open(n->a.p);
	ppp_open(n->b.p);
	t_run(n, 10000);
	assert_int_equal(n->tapped, 1);
	assert_int_equal(n->a.auth_reqs, 1);
	if (proto == PPP_PROTO_PAP) {
		/* RFC 1334 §2.2.2: Msg-Length, Message */
		mlen = n->tap[6];
		assert_int_equal(n->tap_len, 7 + mlen);
		assert_memory_equal(n->tap + 7, "Wrong password", mlen);
	} else {
		msg = (const char *)n->tap + 6;
		mlen = n->tap_len - 6;
		if (m == PPP_AUTH_MSCHAPV2) {
			/* RFC 2759 §6 */
			assert_int_equal(mlen, strlen("E=691 R=0 C=") + 32 +
					       strlen(" V=3 M=Wrong password"));
			assert_memory_equal(msg, "E=691 R=0 C=", 12);
			for (int i = 0; i < 32; i++)
				assert_non_null(strchr("0123456789ABCDEF", msg[12 + i]));
			assert_memory_equal(msg + 44, " V=3 M=Wrong password", 21);
		} else {
			assert_int_equal(mlen, 14);
			assert_memory_equal(msg, "Wrong password", 14);
		}
	}
	assert_int_equal(n->a.downs, 1);
	assert_int_equal(n->b.downs, 1);
	assert_int_equal(n->a.ups + n->b.ups, 0);
	ppp_get_stats(n->a.p, &st);
	assert_int_equal(st.auth_failures, 1);
	ppp_get_stats(n->b.p, &st);
	assert_int_equal(st.auth_failures, 1);
	assert_non_null(strstr(n->a.down_reason, "authentication failed"));
	assert_non_null(strstr(n->b.down_reason, "refused by the peer"));
	t_pair_free(n);
}

static void test_wrong_password_pap(void **state)
{
	(void)state;
	check_wrong_password(PPP_AUTH_PAP, PPP_PROTO_PAP, PPP_PAP_AUTH_NAK);
}

static void test_wrong_password_chap(void **state)
{
	(void)state;
	check_wrong_password(PPP_AUTH_CHAP_MD5, PPP_PROTO_CHAP, PPP_CHAP_FAILURE);
}

static void test_wrong_password_mschapv2(void **state)
{
	(void)state;
	check_wrong_password(PPP_AUTH_MSCHAPV2, PPP_PROTO_CHAP, PPP_CHAP_FAILURE);
}

/* AAA answers later; the request carries what a RADIUS server needs. */
static void test_async_answer(void **state)
{
	struct tnet *n = t_pair(PPP_AUTH_MSCHAPV2, "correct horse");
	struct ppp_auth_reply r;
	uint8_t want[24];

	(void)state;
	n->a.secret = NULL;
	ppp_open(n->a.p);
	ppp_open(n->b.p);
	t_run(n, 500);
	assert_int_equal(n->a.auth_reqs, 1);
	assert_int_equal(ppp_get_phase(n->a.p), PPP_PHASE_AUTHENTICATE);
	assert_int_equal(n->a.req.method, PPP_AUTH_MSCHAPV2);
	assert_int_equal(n->a.req.challenge_len, 16);
	assert_memory_equal(n->a.req.challenge, n->a.p->chap.challenge, 16);
	ppp_mschap_nt_response(n->a.req.challenge, n->a.req.peer_challenge, "bob@example.net",
			       "correct horse", want);
	assert_memory_equal(n->a.req.nt_response, want, 24);
	/* the peer repeats its Response meanwhile: no second request */
	t_run(n, 5000);
	assert_int_equal(n->a.auth_reqs, 1);
	memset(&r, 0, sizeof(r));
	inet_pton(AF_INET, "203.0.113.9", &r.peer_addr);
	assert_int_equal(ppp_auth_check_local(&n->a.req, "correct horse", &r), 0);
	assert_int_equal(ppp_auth_done(n->a.p, 1, "hello", &r), 0);
	assert_int_equal(ppp_auth_done(n->a.p, 1, "again", &r), -EALREADY);
	t_run(n, 1000);
	assert_int_equal(n->a.ups, 1);
	assert_int_equal(n->b.ups, 1);
	assert_int_equal(n->b.up_st.local_addr.s_addr, r.peer_addr.s_addr);
	assert_int_equal(n->a.up_st.peer_addr.s_addr, r.peer_addr.s_addr);
	t_pair_free(n);
}

/* MS-CHAPv2: a Success whose authenticator response is wrong is refused. */
static void test_mschapv2_bad_authenticator(void **state)
{
	struct tnet *n = t_pair(PPP_AUTH_MSCHAPV2, "correct horse");
	struct ppp_auth_reply r;

	(void)state;
	n->a.secret = NULL;
	ppp_open(n->a.p);
	ppp_open(n->b.p);
	t_run(n, 500);
	memset(&r, 0, sizeof(r));
	inet_pton(AF_INET, "203.0.113.9", &r.peer_addr);
	snprintf(r.mschap_auth_response, sizeof(r.mschap_auth_response),
		 "S=0000000000000000000000000000000000000000");
	assert_int_equal(ppp_auth_done(n->a.p, 1, NULL, &r), 0);
	t_run(n, 10000);
	assert_int_equal(n->b.downs, 1);
	assert_string_equal(n->b.down_reason, "MS-CHAPv2 authenticator response wrong");
	assert_int_equal(n->b.ups, 0);
	t_pair_free(n);

	/* accepted without any authenticator response: the LNS refuses instead */
	n = t_pair(PPP_AUTH_MSCHAPV2, "correct horse");
	n->a.secret = NULL;
	ppp_open(n->a.p);
	ppp_open(n->b.p);
	t_run(n, 500);
	assert_int_equal(ppp_auth_done(n->a.p, 1, NULL, NULL), 0);
	t_run(n, 10000);
	assert_int_equal(n->a.downs, 1);
	assert_int_equal(n->a.ups + n->b.ups, 0);
	t_pair_free(n);
}

/* No answer to our Challenges: a fresh one every Restart period, bounded. */
static void test_challenge_retransmit_bounded(void **state)
{
	struct tnet *n = t_pair(PPP_AUTH_CHAP_MD5, "correct horse");
	struct tframe *f;
	uint8_t ids[PPP_FSM_MAX_CONFIGURE], vals[PPP_FSM_MAX_CONFIGURE][16];
	unsigned k = 0, i, j;

	(void)state;
	n->a.cfg.auth_timeout_ms = 600000;
	ppp_free(n->a.p);
	t_end_start(&n->a, "lns: ");
	ppp_open(n->a.p);
	ppp_open(n->b.p);
	/* LCP only: B stops hearing anything once LCP is up */
	n->tap_from = &n->a;
	for (i = 0; i < 100 && ppp_get_phase(n->a.p) != PPP_PHASE_AUTHENTICATE; i++) {
		t_deliver(n, &n->a, &n->b);
		t_deliver(n, &n->b, &n->a);
	}
	assert_int_equal(ppp_get_phase(n->a.p), PPP_PHASE_AUTHENTICATE);
	t_drain(&n->b);
	for (i = 0; i < 40 && n->a.downs == 0; i++) {
		while ((f = t_pop(&n->a)) != NULL) {
			if (((f->buf[0] << 8) | f->buf[1]) == PPP_PROTO_CHAP) {
				assert_int_equal(f->buf[2], PPP_CHAP_CHALLENGE);
				assert_true(k < PPP_FSM_MAX_CONFIGURE);
				assert_int_equal(f->buf[6], 16);
				ids[k] = f->buf[3];
				memcpy(vals[k], f->buf + 7, 16);
				k++;
			}
			free(f);
		}
		clock_advance(&n->clk, 1000);
	}
	assert_int_equal(k, PPP_FSM_MAX_CONFIGURE);
	/* RFC 1994 §4.1: Identifier and value change with every Challenge */
	for (i = 0; i < k; i++)
		for (j = i + 1; j < k; j++) {
			assert_int_not_equal(ids[i], ids[j]);
			assert_memory_not_equal(vals[i], vals[j], 16);
		}
	/* then the link is given up (Terminate-Requests unanswered: finished) */
	assert_int_equal(n->a.downs, 1);
	assert_string_equal(n->a.down_reason, "no CHAP Response");
	assert_int_equal(n->a.p->stats.auth_retransmits, PPP_FSM_MAX_CONFIGURE - 1);
	t_pair_free(n);
}

/* The authenticator's Ack/Success is lost: the peer repeats itself and the
 * authenticator answers again (RFC 1334 §2.2.1, RFC 1994 §4.2). */
static void check_lost_result(enum ppp_auth_method m, uint16_t proto, uint8_t code)
{
	struct tnet *n = t_pair(m, "correct horse");

	n->drop_from = &n->a;
	n->drop_proto = proto;
	n->drop_code = code;
	n->drop_n = 1;
	ppp_open(n->a.p);
	ppp_open(n->b.p);
	t_run(n, 10000);
	assert_int_equal(n->drop_n, 0);
	assert_int_equal(n->a.auth_reqs, 1);
	assert_int_equal(n->a.ups, 1);
	assert_int_equal(n->b.ups, 1);
	assert_true(n->b.p->stats.auth_retransmits >= 1);
	t_pair_free(n);
}

static void test_lost_result(void **state)
{
	(void)state;
	check_lost_result(PPP_AUTH_PAP, PPP_PROTO_PAP, PPP_PAP_AUTH_ACK);
	check_lost_result(PPP_AUTH_CHAP_MD5, PPP_PROTO_CHAP, PPP_CHAP_SUCCESS);
	check_lost_result(PPP_AUTH_MSCHAPV2, PPP_PROTO_CHAP, PPP_CHAP_SUCCESS);
}

/* Malformed and misplaced authentication packets are dropped and counted. */
static void test_auth_malformed(void **state)
{
	struct tnet *n = t_pair(PPP_AUTH_PAP, "correct horse");
	uint8_t bad1[] = { 5, 'a', 'b' };			/* Peer-ID-Length past the end */
	uint8_t bad2[] = { 2, 'a', 'b' };			/* no Passwd-Length */
	uint8_t bad3[] = { 1, 'a', 4, 'x' };			/* Passwd-Length past the end */
	uint8_t nul[] = { 3, 'a', 0, 'b', 1, 'x' };		/* NUL in the Peer-ID */
	struct ppp_stats st;

	(void)state;
	n->a.secret = NULL;
	ppp_open(n->a.p);
	/* before LCP is up: not the phase for PAP */
	assert_int_equal(t_send(&n->a, PPP_PROTO_PAP, PPP_PAP_AUTH_REQ, 1, bad1, sizeof(bad1)),
			 -EAGAIN);
	ppp_open(n->b.p);
	n->drop_from = &n->b;
	n->drop_proto = PPP_PROTO_PAP;
	n->drop_code = PPP_PAP_AUTH_REQ;
	n->drop_n = 100;
	t_run(n, 100);
	assert_int_equal(ppp_get_phase(n->a.p), PPP_PHASE_AUTHENTICATE);
	assert_int_equal(t_send(&n->a, PPP_PROTO_PAP, PPP_PAP_AUTH_REQ, 1, bad1, sizeof(bad1)),
			 -EBADMSG);
	assert_int_equal(t_send(&n->a, PPP_PROTO_PAP, PPP_PAP_AUTH_REQ, 2, bad2, sizeof(bad2)),
			 -EBADMSG);
	assert_int_equal(t_send(&n->a, PPP_PROTO_PAP, PPP_PAP_AUTH_REQ, 3, bad3, sizeof(bad3)),
			 -EBADMSG);
	assert_int_equal(t_send(&n->a, PPP_PROTO_PAP, PPP_PAP_AUTH_REQ, 4, nul, sizeof(nul)),
			 -EBADMSG);
	assert_int_equal(t_send(&n->a, PPP_PROTO_PAP, PPP_PAP_AUTH_ACK, 5, "\0", 1), -EBADMSG);
	assert_int_equal(t_send(&n->a, PPP_PROTO_PAP, 9, 6, NULL, 0), -EBADMSG);
	/* CHAP was not negotiated */
	assert_int_equal(t_send(&n->a, PPP_PROTO_CHAP, PPP_CHAP_RESPONSE, 7, NULL, 0), -EPROTO);
	ppp_get_stats(n->a.p, &st);
	assert_int_equal(st.auth_rx_bad, 7);
	assert_int_equal(n->a.auth_reqs, 0);
	t_pair_free(n);
}

/* The phase has a time limit (here: AAA never answers). */
static void test_auth_timeout(void **state)
{
	struct tnet *n = t_pair(PPP_AUTH_CHAP_MD5, "correct horse");

	(void)state;
	n->a.secret = NULL;
	n->a.cfg.auth_timeout_ms = 20000;
	ppp_free(n->a.p);
	t_end_start(&n->a, "lns: ");
	ppp_open(n->a.p);
	ppp_open(n->b.p);
	t_run(n, 19000);
	assert_int_equal(n->a.downs, 0);
	t_run(n, 8000);
	assert_int_equal(n->a.downs, 1);
	assert_string_equal(n->a.down_reason, "authentication timed out");
	assert_int_equal(ppp_auth_done(n->a.p, 1, NULL, NULL), -EALREADY);
	t_pair_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mschapv2_vectors),
		cmocka_unit_test(test_nt_hash_unicode),
		cmocka_unit_test(test_mschapv2_messages),
		cmocka_unit_test(test_chap_md5_by_hand),
		cmocka_unit_test(test_check_local),
		cmocka_unit_test(test_end_to_end_pap),
		cmocka_unit_test(test_end_to_end_chap),
		cmocka_unit_test(test_chap_success_message),
		cmocka_unit_test(test_end_to_end_mschapv2),
		cmocka_unit_test(test_wrong_password_pap),
		cmocka_unit_test(test_wrong_password_chap),
		cmocka_unit_test(test_wrong_password_mschapv2),
		cmocka_unit_test(test_async_answer),
		cmocka_unit_test(test_mschapv2_bad_authenticator),
		cmocka_unit_test(test_challenge_retransmit_bounded),
		cmocka_unit_test(test_lost_result),
		cmocka_unit_test(test_auth_malformed),
		cmocka_unit_test(test_auth_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
