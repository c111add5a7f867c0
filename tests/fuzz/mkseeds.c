/*
 * Write a seed corpus for fuzz_msg into the directory argv[1]: one message
 * of each type of RFC 2661 §6, plain and with hidden AVPs, a ZLB, and a few
 * malformed ones.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/rand.h"
#include "l2tp/avp.h"
#include "l2tp/msg.h"
#include "l2tp/auth.h"

/* the secret fuzz_msg.c unhides with */
static const uint8_t seed_secret[] = "fuzz-secret";
#define SEED_SECRET_LEN (sizeof(seed_secret) - 1)

static int seed_write(const char *dir, const char *name, const uint8_t *p, size_t len)
{
	char path[4096];
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "wb");
	if (f == NULL)
		return -errno;
	if (len && fwrite(p, 1, len, f) != len) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) == 0 ? 0 : -EIO;
}

/* The AVPs of a message of type t; hide where the RFC allows it. */
static void seed_fill(struct l2tp_msgbuf *b, uint16_t t, unsigned h)
{
	static const uint8_t call_errors[26] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 2 };
	static const uint8_t accm[10] = { 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0 };
	static const uint8_t lcp[] = { 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06, 0x12, 0x34, 0x56, 0x78 };
	uint8_t chal[16], resp[16];

	switch (t) {
	case L2TP_MSG_SCCRQ:
	case L2TP_MSG_SCCRP:
		l2tp_avp_put_version(b);
		l2tp_avp_put_str(b, L2TP_AVP_HOST_NAME, t == L2TP_MSG_SCCRQ ? "lac1" : "lns1", 0);
		l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_CAP, L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC, h);
		l2tp_avp_put_u32(b, L2TP_AVP_BEARER_CAP, L2TP_BEARER_DIGITAL, h);
		l2tp_avp_put_u16(b, L2TP_AVP_FIRMWARE_REV, 0x0100, h);
		l2tp_avp_put_str(b, L2TP_AVP_VENDOR_NAME, "seed", h);
		l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_TUNNEL_ID, 33003, h);
		l2tp_avp_put_u16(b, L2TP_AVP_RECV_WINDOW_SIZE, 16, 0);
		rand_bytes(chal, sizeof(chal));
		l2tp_avp_put(b, L2TP_AVP_CHALLENGE, chal, sizeof(chal), h);
		if (t == L2TP_MSG_SCCRQ) {
			l2tp_avp_put_u64(b, L2TP_AVP_TIE_BREAKER, 0x0102030405060708ULL, 0);
		} else {
			l2tp_auth_response(L2TP_MSG_SCCRP, seed_secret, SEED_SECRET_LEN, chal,
					   sizeof(chal), resp);
			l2tp_avp_put(b, L2TP_AVP_CHALLENGE_RESPONSE, resp, sizeof(resp), h);
		}
		break;
	case L2TP_MSG_SCCCN:
		rand_bytes(resp, sizeof(resp));
		l2tp_avp_put(b, L2TP_AVP_CHALLENGE_RESPONSE, resp, sizeof(resp), h);
		break;
	case L2TP_MSG_STOPCCN:
		l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_TUNNEL_ID, 33003, h);
		l2tp_avp_put_result(b, L2TP_STOPCCN_SHUTDOWN, 0, "shutting down");
		break;
	case L2TP_MSG_OCRQ:
		l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_SESSION_ID, 10, h);
		l2tp_avp_put_u32(b, L2TP_AVP_CALL_SERIAL_NUMBER, 1, h);
		l2tp_avp_put_u32(b, L2TP_AVP_MINIMUM_BPS, 9600, h);
		l2tp_avp_put_u32(b, L2TP_AVP_MAXIMUM_BPS, 100000000, h);
		l2tp_avp_put_u32(b, L2TP_AVP_BEARER_TYPE, L2TP_BEARER_DIGITAL, h);
		l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_TYPE, L2TP_FRAMING_SYNC, h);
		l2tp_avp_put_str(b, L2TP_AVP_CALLED_NUMBER, "5551234", h);
		l2tp_avp_put_str(b, L2TP_AVP_SUB_ADDRESS, "7", h);
		break;
	case L2TP_MSG_OCRP:
	case L2TP_MSG_ICRP:
		l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_SESSION_ID, 20, h);
		l2tp_avp_put_u32(b, L2TP_AVP_PHYSICAL_CHANNEL_ID, 3, h);
		break;
	case L2TP_MSG_ICRQ:
		l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_SESSION_ID, 10, h);
		l2tp_avp_put_u32(b, L2TP_AVP_CALL_SERIAL_NUMBER, 77, h);
		l2tp_avp_put_u32(b, L2TP_AVP_BEARER_TYPE, L2TP_BEARER_ANALOG, h);
		l2tp_avp_put_str(b, L2TP_AVP_CALLING_NUMBER, "00:11:22:33:44:55", h);
		l2tp_avp_put_str(b, L2TP_AVP_CALLED_NUMBER, "eth0", h);
		l2tp_avp_put(b, L2TP_AVP_PRIVATE_GROUP_ID, "grp", 3, h);
		/* RFC 5515 §4: the access line (Broadband Forum vendor) */
		l2tp_avp_put_vendor(b, L2TP_VENDOR_BBF, L2TP_BBF_AGENT_CIRCUIT_ID, "dslam1 eth 2/1", 14);
		l2tp_avp_put_vendor(b, L2TP_VENDOR_BBF, L2TP_BBF_AGENT_REMOTE_ID, "cpe1", 4);
		l2tp_avp_put_vendor_u64(b, L2TP_VENDOR_BBF, L2TP_BBF_ACTUAL_RATE_DOWN, 20000000);
		l2tp_avp_put_vendor_u32(b, L2TP_VENDOR_BBF, L2TP_BBF_ACT_INTERLEAVING_DELAY_UP, 8);
		break;
	case L2TP_MSG_OCCN:
	case L2TP_MSG_ICCN:
		l2tp_avp_put_u32(b, L2TP_AVP_TX_CONNECT_SPEED, 100000000, h);
		l2tp_avp_put_u32(b, L2TP_AVP_RX_CONNECT_SPEED, 20000000, h);
		l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_TYPE, L2TP_FRAMING_SYNC, h);
		if (t == L2TP_MSG_ICCN) {
			l2tp_avp_put(b, L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ, lcp, sizeof(lcp), h);
			l2tp_avp_put(b, L2TP_AVP_LAST_SENT_LCP_CONFREQ, lcp, sizeof(lcp), h);
			l2tp_avp_put(b, L2TP_AVP_LAST_RCVD_LCP_CONFREQ, lcp, sizeof(lcp), h);
			l2tp_avp_put_u16(b, L2TP_AVP_PROXY_AUTHEN_TYPE, L2TP_PROXY_AUTH_CHAP, h);
			l2tp_avp_put_str(b, L2TP_AVP_PROXY_AUTHEN_NAME, "user@isp", h);
			l2tp_avp_put(b, L2TP_AVP_PROXY_AUTHEN_CHALLENGE, lcp, sizeof(lcp), h);
			l2tp_avp_put_u16(b, L2TP_AVP_PROXY_AUTHEN_ID, 1, h);
			l2tp_avp_put(b, L2TP_AVP_PROXY_AUTHEN_RESPONSE, lcp, sizeof(lcp), h);
		}
		l2tp_avp_put(b, L2TP_AVP_SEQUENCING_REQUIRED, NULL, 0, 0);
		break;
	case L2TP_MSG_CDN:
		l2tp_avp_put_result(b, L2TP_CDN_ADMIN, -1, NULL);
		l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_SESSION_ID, 10, h);
		l2tp_avp_put(b, L2TP_AVP_Q931_CAUSE, "\x00\x10\x05" "advisory", 11, 0);
		l2tp_avp_put_ppp_disc(b, 16, 0xc023, 2, "authentication failed");	/* RFC 3145 */
		break;
	case L2TP_MSG_WEN:
		l2tp_avp_put(b, L2TP_AVP_CALL_ERRORS, call_errors, sizeof(call_errors), h);
		break;
	case L2TP_MSG_SLI:
		l2tp_avp_put(b, L2TP_AVP_ACCM, accm, sizeof(accm), h);
		break;
	default:
		break;
	}
}

int main(int argc, char **argv)
{
	static const struct { uint16_t type; const char *name; } types[] = {
		{ L2TP_MSG_SCCRQ, "sccrq" }, { L2TP_MSG_SCCRP, "sccrp" }, { L2TP_MSG_SCCCN, "scccn" },
		{ L2TP_MSG_STOPCCN, "stopccn" }, { L2TP_MSG_HELLO, "hello" },
		{ L2TP_MSG_OCRQ, "ocrq" }, { L2TP_MSG_OCRP, "ocrp" }, { L2TP_MSG_OCCN, "occn" },
		{ L2TP_MSG_ICRQ, "icrq" }, { L2TP_MSG_ICRP, "icrp" }, { L2TP_MSG_ICCN, "iccn" },
		{ L2TP_MSG_CDN, "cdn" }, { L2TP_MSG_WEN, "wen" }, { L2TP_MSG_SLI, "sli" },
	};
	struct l2tp_msgbuf *b;
	char name[64];
	size_t i;
	unsigned h;
	int n, ret = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	if (mkdir(argv[1], 0755) < 0 && errno != EEXIST) {
		perror(argv[1]);
		return 1;
	}
	b = malloc(sizeof(*b));
	if (b == NULL)
		return 1;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		for (h = 0; h <= L2TP_PUT_HIDE; h += L2TP_PUT_HIDE) {
			l2tp_msgbuf_init(b, types[i].type, 33003, 10);
			l2tp_msgbuf_set_secret(b, seed_secret, SEED_SECRET_LEN);
			seed_fill(b, types[i].type, h);
			l2tp_hdr_set_seq(b->buf, (uint16_t)(i * 3), (uint16_t)(65535 - i));
			n = l2tp_msgbuf_finish(b);
			if (n < 0) {
				fprintf(stderr, "%s: build failed: %s\n", types[i].name, strerror(-n));
				ret = 1;
				continue;
			}
			snprintf(name, sizeof(name), "%s%s.bin", types[i].name, h ? "-hidden" : "");
			if (seed_write(argv[1], name, b->buf, (size_t)n) < 0)
				ret = 1;
		}
	}

	/* ZLB */
	l2tp_msgbuf_init_zlb(b, 33003);
	n = l2tp_msgbuf_finish(b);
	ret |= seed_write(argv[1], "zlb.bin", b->buf, (size_t)n) < 0;

	/* malformed: truncated header, Length past the end, bad version */
	l2tp_msgbuf_init(b, L2TP_MSG_HELLO, 1, 0);
	n = l2tp_msgbuf_finish(b);
	ret |= seed_write(argv[1], "bad-truncated.bin", b->buf, 7) < 0;
	b->buf[3] = (uint8_t)(n + 4);
	ret |= seed_write(argv[1], "bad-length.bin", b->buf, (size_t)n) < 0;
	b->buf[3] = (uint8_t)n;
	b->buf[1] = 0x03;
	ret |= seed_write(argv[1], "bad-version.bin", b->buf, (size_t)n) < 0;

	/* unknown mandatory AVP in a session message */
	l2tp_msgbuf_init(b, L2TP_MSG_ICRQ, 1, 0);
	seed_fill(b, L2TP_MSG_ICRQ, 0);
	l2tp_avp_put_raw(b, 0, 41, L2TP_AVP_M, "xx", 2);
	l2tp_avp_put_raw(b, 9, 1, 0, "vendor", 6);
	n = l2tp_msgbuf_finish(b);
	ret |= n < 0 || seed_write(argv[1], "bad-unknown-m.bin", b->buf, (size_t)n) < 0;

	/* hidden AVP with no Random Vector before it */
	l2tp_msgbuf_init(b, L2TP_MSG_ICRP, 1, 0);
	l2tp_avp_put_raw(b, 0, L2TP_AVP_ASSIGNED_SESSION_ID, L2TP_AVP_M | L2TP_AVP_H, "\x01\x02\x03\x04", 4);
	n = l2tp_msgbuf_finish(b);
	ret |= n < 0 || seed_write(argv[1], "bad-hidden-no-rv.bin", b->buf, (size_t)n) < 0;

	/* AVP length below the header */
	l2tp_msgbuf_init(b, L2TP_MSG_HELLO, 1, 0);
	l2tp_avp_put_raw(b, 0, L2TP_AVP_FIRMWARE_REV, 0, "\x01\x00", 2);
	n = l2tp_msgbuf_finish(b);
	if (n > 0) {
		b->buf[21] = 3;
		ret |= seed_write(argv[1], "bad-avp-len.bin", b->buf, (size_t)n) < 0;
	}

	free(b);
	return ret ? 1 : 0;
}
