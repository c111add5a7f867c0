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

#include "fake_pppoe_sub.h"
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

const struct pppoe_port_ops fake_sub_port_ops = { fp_open, fp_send, fp_close };

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

void fake_sub_pump(struct fake_sub *u)
{
	while (u->n_to_ac || u->n_to_sub) {
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

void fake_sub_dial(struct fake_sub *u, uint8_t last, int line, const char *user,
		   const char *password)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t cookie[PPPOE_COOKIE_LEN];
	struct pppoe_frame f;
	struct pppoe_tags t;
	enum pppoe_err why;
	struct ppp_config c;

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
	assert_int_equal(f.code, PPPOE_CODE_PADS);
	u->sid = f.session_id;
	if (user == NULL)
		return;
	ppp_config_init(&c);
	c.role = PPP_ROLE_PEER;
	c.mru = 1492;
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

