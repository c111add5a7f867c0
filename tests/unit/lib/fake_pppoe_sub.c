/*
 * A PPPoE subscriber played by the test behind a fake access port: see
 * fake_pppoe_sub.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fake_pppoe_sub.h"
#include "l2tp/proto.h"
#include "ppp/ppp.h"
#include "ppp/proto.h"

void fake_sub_push(struct fake_sub_frame *q, unsigned *n, const uint8_t *p, size_t len)
{
	assert_true(*n < FAKE_SUB_QMAX);
	assert_true(len <= sizeof(q[0].b));
	memcpy(q[*n].b, p, len);
	q[*n].len = len;
	(*n)++;
}

/* --- the access port -------------------------------------------------------- */

static int fp_open(void *arg, struct l2tpd *d, const char *ifname, int *ifindex,
		   uint8_t mac[PPPOE_ETH_ALEN], void **handle)
{
	*ifindex = FAKE_SUB_IFINDEX;
	memcpy(mac, ((struct fake_sub *)arg)->port_mac, PPPOE_ETH_ALEN);
	*handle = arg;
	return 0;
}

static int fp_send(void *arg, void *handle, const uint8_t *frame, size_t len)
{
	struct fake_sub *u = arg;
	struct pppoe_frame f;
	enum pppoe_err why;

	assert_int_equal(pppoe_frame_parse(frame, len, &f, &why), 0);
	u->tx++;
	if (f.code == PPPOE_CODE_SESS) {
		if (f.len >= 3 && (f.payload[0] << 8 | f.payload[1]) == PPP_PROTO_LCP) {
			u->lcp_term_rx += f.payload[2] == PPP_TERM_REQ;
			u->echo_reply_rx += f.payload[2] == PPP_ECHO_REP;
		}
		fake_sub_push(u->to_sub, &u->n_to_sub, f.payload, f.len);
		return 0;
	}
	if (f.code == PPPOE_CODE_PADT)
		u->padt_rx++;
	if (f.code == PPPOE_CODE_PADO)
		u->pado_rx++;
	memcpy(u->disc, frame, len);
	u->disc_len = len;
	return 0;
}

static void fp_close(void *arg, void *handle)
{
}

static int fp_fd(void *arg, void *handle)
{
	return FAKE_SUB_PORT_FD;
}

static void fp_reading(void *arg, void *handle, int on)
{
	struct fake_sub *u = arg;

	u->reading_off += !on;
}

const struct pppoe_port_ops fake_sub_port_ops = { fp_open, fp_send, fp_close, fp_fd,
						  fp_reading };

void fake_sub_port_in(struct fake_sub *u)
{
	int n = pppoe_buf_finish(&u->b);

	assert_true(n > 0);
	pppoe_access_input(&u->h->d, FAKE_SUB_IFINDEX, u->b.buf, (size_t)n);
}

/* --- the subscriber's PPP ------------------------------------------------- */

static void sub_output(void *arg, uint16_t proto, const uint8_t *buf, size_t len)
{
	struct fake_sub *u = arg;
	uint8_t f[PPPOE_FRAME_MAX];

	f[0] = (uint8_t)(proto >> 8);
	f[1] = (uint8_t)proto;
	memcpy(f + 2, buf, len);
	fake_sub_push(u->to_ac, &u->n_to_ac, f, len + 2);
}

static void sub_up(void *arg, uint16_t proto, const struct ppp_state *st)
{
	struct fake_sub *u = arg;

	if (proto == PPP_PROTO_IPCP) {
		u->up = 1;
		u->addr = st->local_addr;
	}
}

static const struct ppp_ops sub_ops = { .output = sub_output, .up = sub_up };

/* The fake kernel path: what the daemon wrote on the session's channel
 * and unit, to the subscriber, counted by the fd that carried it. */
static void drain_kernel(struct fake_sub *u)
{
	uint8_t b[PPPOE_FRAME_MAX];
	ssize_t n;

	for (int unit = 0; u->dp != NULL && unit < 2; unit++) {
		int fd = fake_dp_sub_fd(u->dp, u->sid, unit);

		while (fd >= 0 && (n = read(fd, b, sizeof b)) >= 2) {
			if ((b[0] << 8 | b[1]) >= 0xc000)
				u->lcp_on[unit]++;
			else
				u->ncp_on[unit]++;
			fake_sub_push(u->to_sub, &u->n_to_sub, b, (size_t)n);
		}
	}
}

void fake_sub_pump(struct fake_sub *u)
{
	for (drain_kernel(u); u->n_to_ac || u->n_to_sub; drain_kernel(u)) {
		struct fake_sub_frame f;

		if (u->n_to_ac) {
			f = u->to_ac[0];
			memmove(u->to_ac, u->to_ac + 1, --u->n_to_ac * sizeof(f));
			pppoe_buf_init(&u->b, u->port_mac, u->mac, NULL, 0, PPPOE_ETH_P_SESS,
				       PPPOE_CODE_SESS, u->sid);
			pppoe_put(&u->b, f.b, f.len);
			fake_sub_port_in(u);
		}
		if (u->n_to_sub) {
			f = u->to_sub[0];
			memmove(u->to_sub, u->to_sub + 1, --u->n_to_sub * sizeof(f));
			if (u->ppp != NULL)
				ppp_input(u->ppp, f.b, f.len);
		}
	}
}

/* --- discovery -------------------------------------------------------------- */

static void tr101(struct pppoe_buf *b)
{
	static const uint8_t v[] = {
		0x00, 0x00, 0x0d, 0xe9,
		0x01, 0x0c, 'd', 's', 'l', 'a', 'm', '1', ' ', 'a', 't', 'm', ' ', '7',
		0x02, 0x06, 'c', 'p', 'e', '-', '4', '2',
		0x81, 0x04, 0x00, 0x00, 0x03, 0xe8,	/* up 1000 kbit/s */
		0x82, 0x04, 0x00, 0x00, 0x3e, 0x80,	/* down 16000 kbit/s */
	};

	pppoe_put_tag(b, PPPOE_TAG_VENDOR, v, sizeof v);
}

uint8_t fake_sub_discover(struct fake_sub *u, uint8_t last, int line)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t cookie[PPPOE_COOKIE_LEN];
	struct pppoe_frame f;
	struct pppoe_tags t;
	enum pppoe_err why;

	memcpy(u->mac, (const uint8_t[]){ 0x02, 0, 0, 0, 0, last }, 6);
	pppoe_buf_init(&u->b, bcast, u->mac, NULL, 0, PPPOE_ETH_P_DISC, PPPOE_CODE_PADI, 0);
	pppoe_put_tag(&u->b, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	if (line)
		tr101(&u->b);
	fake_sub_port_in(u);
	assert_int_equal(pppoe_frame_parse(u->disc, u->disc_len, &f, &why), 0);
	assert_int_equal(pppoe_tags_parse(&f, &t, &why), 0);
	memcpy(cookie, t.cookie.p, sizeof cookie);
	pppoe_buf_init(&u->b, u->port_mac, u->mac, NULL, 0, PPPOE_ETH_P_DISC, PPPOE_CODE_PADR, 0);
	pppoe_put_tag(&u->b, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	pppoe_put_tag(&u->b, PPPOE_TAG_AC_COOKIE, cookie, sizeof cookie);
	if (line)
		tr101(&u->b);
	fake_sub_port_in(u);
	assert_int_equal(pppoe_frame_parse(u->disc, u->disc_len, &f, &why), 0);
	u->sid = f.session_id;
	return f.code;
}

void fake_sub_dial(struct fake_sub *u, uint8_t last, int line, const char *user,
		   const char *password)
{
	struct ppp_config c;

	assert_int_equal(fake_sub_discover(u, last, line), PPPOE_CODE_PADS);
	if (user == NULL)
		return;
	ppp_config_init(&c);
	c.role = PPP_ROLE_PEER;
	c.mru = u->mru ? u->mru : 1492;
	c.auth[0] = PPP_AUTH_PAP;
	c.auth[1] = PPP_AUTH_CHAP_MD5;
	c.n_auth = 2;
	c.echo_interval = 0;
	snprintf(c.user, sizeof c.user, "%s", user);
	snprintf(c.password, sizeof c.password, "%s", password);
	u->ppp = ppp_new(&c, &sub_ops, u, &u->h->d.clk, &u->h->d.log, "sub: ");
	assert_non_null(u->ppp);
	assert_int_equal(ppp_open(u->ppp), 0);
	fake_sub_pump(u);
}

void fake_sub_padt(struct fake_sub *u)
{
	pppoe_buf_init(&u->b, u->port_mac, u->mac, NULL, 0, PPPOE_ETH_P_DISC, PPPOE_CODE_PADT,
		       u->sid);
	fake_sub_port_in(u);
}

void fake_sub_free(void *arg)
{
	struct fake_sub *u = arg;

	ppp_free(u->ppp);
	u->ppp = NULL;
}

/* --- the LNS end of the call ---------------------------------------------------- */

void fake_sub_lns_rx(void *arg, uint16_t tid, uint16_t sid, const uint8_t *frame, size_t len)
{
	struct fake_sub *u = arg;

	fake_sub_push(u->to_lns, &u->n_to_lns, frame, len);
	/* FF 03, LCP, Echo-Request */
	if (len >= 5 && frame[2] == 0xc0 && frame[3] == 0x21 && frame[4] == PPP_ECHO_REQ)
		u->echo_to_lns++;
}

void fake_sub_lns_send(struct fake_sub *u, struct h_peer *p, const uint8_t *ppp, size_t len)
{
	uint8_t b[256] = { 0x00, L2TP_VERSION, (uint8_t)(u->lns_tid >> 8), (uint8_t)u->lns_tid,
			   (uint8_t)(u->lns_sid >> 8), (uint8_t)u->lns_sid, 0xff, 0x03 };

	assert_true(len <= sizeof b - 8);
	memcpy(b + 8, ppp, len);
	h_deliver(p, b, len + 8);
	fake_sub_pump(u);
}
