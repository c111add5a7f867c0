/*
 * Golden files of the PPPoE access side: `show pppoe summary|session|
 * statistics`, the running configuration of bba-groups and access
 * interfaces, and `clear pppoe ...`: scenario "pppoe" in tests/golden/.
 * Subscribers dial through a fake port: PADI, PADO, PADR with its
 * cookie, PADS; one on a QinQ sub-interface behind an access node that
 * inserts TR-101 access-line information.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "golden.h"
#include "golden_daemon.h"
#include "cli/cmd.h"
#include "core/out.h"
#include "pppoe/access.h"

#define PORT_IFINDEX	3

static const uint8_t port_mac[6] = { 0x02, 0xac, 0x00, 0x00, 0x00, 0x01 };

/* The fake port: what was sent last. */
struct gport {
	uint8_t last[PPPOE_FRAME_MAX];
	size_t last_len;
	unsigned opened, closed;
	unsigned sess_tx;	/* session frames sent (LCP) */
	struct pppoe_buf b;
};

static int gp_open(void *arg, struct l2tpd *d, const char *ifname, int *ifindex,
		   uint8_t mac[PPPOE_ETH_ALEN], void **handle)
{
	struct gport *g = arg;

	assert_string_equal(ifname, "eth1");	/* eth1.100 is read on eth1 */
	g->opened++;
	*ifindex = PORT_IFINDEX;
	memcpy(mac, port_mac, PPPOE_ETH_ALEN);
	*handle = g;
	return 0;
}

static int gp_send(void *arg, void *handle, const uint8_t *frame, size_t len)
{
	struct gport *g = arg;
	struct pppoe_frame f;
	enum pppoe_err why;

	/* the last discovery frame; the session's PPP (LCP) is counted */
	if (pppoe_frame_parse(frame, len, &f, &why) == 0 && f.code == PPPOE_CODE_SESS) {
		g->sess_tx++;
		return 0;
	}
	memcpy(g->last, frame, len);
	g->last_len = len;
	return 0;
}

static void gp_close(void *arg, void *handle)
{
	((struct gport *)arg)->closed++;
}

static const struct pppoe_port_ops gp_ops = { gp_open, gp_send, gp_close, NULL, NULL };

static void gp_in(struct harness *h, struct gport *g)
{
	int n = pppoe_buf_finish(&g->b);

	assert_true(n > 0);
	pppoe_access_input(&h->d, PORT_IFINDEX, g->b.buf, (size_t)n);
}

static void tr101(struct pppoe_buf *b)
{
	static const uint8_t v[] = {
		0x00, 0x00, 0x0d, 0xe9,
		0x01, 0x0c, 'd', 's', 'l', 'a', 'm', '1', ' ', 'a', 't', 'm', ' ', '7',
		0x02, 0x06, 'c', 'p', 'e', '-', '4', '2',
		0x81, 0x04, 0x00, 0x00, 0x03, 0xe8,
		0x82, 0x04, 0x00, 0x00, 0x3e, 0x80,
	};

	pppoe_put_tag(b, PPPOE_TAG_VENDOR, v, sizeof v);
}

/* PADI, PADO, PADR with the PADO's cookie, PADS: the session's ID. */
static uint16_t dial(struct harness *h, struct gport *g, uint8_t last_octet,
		     const uint16_t *vl, unsigned nvl, int line)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, last_octet };
	uint8_t cookie[PPPOE_COOKIE_LEN];
	struct pppoe_frame f;
	struct pppoe_tags t;
	enum pppoe_err why;

	pppoe_buf_init(&g->b, bcast, mac, vl, nvl, PPPOE_ETH_P_DISC, PPPOE_CODE_PADI, 0);
	pppoe_put_tag(&g->b, PPPOE_TAG_SERVICE_NAME, "internet", 8);
	if (line)
		tr101(&g->b);
	gp_in(h, g);
	assert_int_equal(pppoe_frame_parse(g->last, g->last_len, &f, &why), 0);
	assert_int_equal(pppoe_tags_parse(&f, &t, &why), 0);
	assert_int_equal(f.code, PPPOE_CODE_PADO);
	memcpy(cookie, t.cookie.p, sizeof cookie);
	pppoe_buf_init(&g->b, port_mac, mac, vl, nvl, PPPOE_ETH_P_DISC, PPPOE_CODE_PADR, 0);
	pppoe_put_tag(&g->b, PPPOE_TAG_SERVICE_NAME, "internet", 8);
	pppoe_put_tag(&g->b, PPPOE_TAG_AC_COOKIE, cookie, sizeof cookie);
	pppoe_put_u16_tag(&g->b, PPPOE_TAG_MAX_PAYLOAD, 1492);
	if (line)
		tr101(&g->b);
	gp_in(h, g);
	assert_int_equal(pppoe_frame_parse(g->last, g->last_len, &f, &why), 0);
	assert_int_equal(f.code, PPPOE_CODE_PADS);
	assert_int_not_equal(f.session_id, 0);
	return f.session_id;
}

static const char cfg_pppoe[] =
	"hostname bras1\n"
	"bba-group pppoe global\n"
	" ac name BRAS1\n"
	" sessions per-mac limit 2\n"
	" pado delay 0\n"
	" lcp timeout 120\n"
	"interface eth1\n"
	" pppoe enable group global\n"
	"interface eth1.100\n"
	" encapsulation dot1Q 100 second-dot1q 10\n"
	" pppoe enable group global\n"
	" pppoe max-sessions 500\n"
	"pppoe rate-limit padi per-mac 5\n"
	"pppoe rate-limit padi total 1000 interval 2\n";

static void test_golden_pppoe(void **state)
{
	static struct gport g;
	const uint16_t qinq[2] = { 100, 10 };
	struct harness *h;
	struct out o;
	char err[256];
	uint16_t sid;

	memset(&g, 0, sizeof g);
	golden_begin("pppoe");
	h = g_daemon(state, cfg_pppoe);
	assert_int_equal(pppoe_access_start(&h->d, &gp_ops, &g, err, sizeof err), 0);
	assert_int_equal(g.opened, 1);
	g_advance(h, 5000);
	dial(h, &g, 0x11, NULL, 0, 0);
	g_advance(h, 65000);
	sid = dial(h, &g, 0x22, qinq, 2, 1);
	dial(h, &g, 0x11, NULL, 0, 0);
	g_advance(h, 3000);
	/* bad input: a PADI whose tag runs past the frame, a PADR without cookie */
	pppoe_buf_init(&g.b, port_mac, (const uint8_t *)"\x02\0\0\0\0\x33", NULL, 0,
		       PPPOE_ETH_P_DISC, PPPOE_CODE_PADI, 0);
	pppoe_put(&g.b, "\x01\x01\x00\x09", 4);
	gp_in(h, &g);
	pppoe_buf_init(&g.b, port_mac, (const uint8_t *)"\x02\0\0\0\0\x33", NULL, 0,
		       PPPOE_ETH_P_DISC, PPPOE_CODE_PADR, 0);
	pppoe_put_tag(&g.b, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	gp_in(h, &g);
	/* a frame of the QinQ subscriber's session */
	pppoe_buf_init(&g.b, port_mac, (const uint8_t *)"\x02\0\0\0\0\x22", qinq, 2,
		       PPPOE_ETH_P_SESS, PPPOE_CODE_SESS, sid);
	pppoe_put(&g.b, "\xc0\x21\x09\x01\x00\x08\0\0\0\0", 10);
	gp_in(h, &g);

	golden_show(&h->d, "show_pppoe_summary", "show pppoe summary");
	golden_show(&h->d, "show_pppoe_session", "show pppoe session");
	golden_show(&h->d, "show_pppoe_session_interface", "show pppoe session interface eth1.100");
	golden_show(&h->d, "show_pppoe_statistics", "show pppoe statistics");
	golden_show(&h->d, "show_running_config", "show running-config");
	golden_show(&h->d, "clear_pppoe_mac", "clear pppoe mac 02:00:00:00:00:11");
	golden_show(&h->d, "show_pppoe_session_after_clear", "show pppoe session");
	golden_end();
	/* an unknown session is refused, and nothing is cleared */
	out_init(&o, 0);
	assert_int_equal(cmd_exec(&h->d, "clear pppoe session 9", &o), -ENOENT);
	assert_non_null(strstr(o.buf, "No such PPPoE session 9"));
	out_free(&o);
	assert_int_equal(h->d.access->ac->n_sessions, 1);
}

/* No access interface: the shows say so. */
static void test_golden_pppoe_none(void **state)
{
	struct harness *h;

	golden_begin("pppoe_none");
	h = g_daemon(state, "hostname lns0\n");
	golden_show(&h->d, "show_pppoe_summary", "show pppoe summary");
	golden_end();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_golden_pppoe, h_teardown),
		cmocka_unit_test_teardown(test_golden_pppoe_none, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
