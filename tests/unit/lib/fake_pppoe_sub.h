/*
 * A PPPoE subscriber played by the test, behind a fake access port of the
 * daemon of harness.h: discovery built frame by frame, then our own PPP
 * stack in the peer role (tests/unit/pppoe/test_lac.c, tests/unit/ha/
 * test_ha_pppoe.c).  One subscriber at a time behind the port; the LNS end
 * of its call (to_lns, lns_tid, lns_sid) is the test's to fill.
 *
 *	memset(&S, 0, sizeof S);
 *	S.h = h;
 *	S.port_mac = the access port's MAC;
 *	pppoe_access_start(&h->d, &fake_sub_port_ops, &S, ...);
 *	fake_sub_dial(&S, 1, 0, "user", "password");
 */
#ifndef TEST_FAKE_PPPOE_SUB_H
#define TEST_FAKE_PPPOE_SUB_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include "harness.h"
#include "pppoe/access.h"

#define FAKE_SUB_IFINDEX	3	/* the access port's */
#define FAKE_SUB_QMAX		64

struct fake_sub_frame {
	size_t len;
	uint8_t b[PPPOE_FRAME_MAX];
};

/* The access port and one subscriber at a time behind it. */
struct fake_sub {
	struct harness *h;
	const uint8_t *port_mac;	/* the access port's MAC (6 bytes) */
	uint8_t mac[6];
	uint16_t sid;			/* PPPoE session */
	uint8_t disc[PPPOE_FRAME_MAX];	/* the last discovery frame to it */
	size_t disc_len;
	unsigned padt_rx, pado_rx, tx, lcp_term_rx, echo_reply_rx;
	unsigned echo_to_lns;		/* LCP Echo-Requests the LAC relayed to the LNS */
	struct fake_sub_frame to_sub[FAKE_SUB_QMAX], to_ac[FAKE_SUB_QMAX];	/* PPP frames,
										 * protocol first */
	unsigned n_to_sub, n_to_ac;
	struct ppp *ppp;
	int up;				/* IPCP open */
	struct in_addr addr;
	/* the LNS end of the call */
	uint16_t lns_tid, lns_sid;	/* the daemon's IDs */
	struct fake_sub_frame to_lns[FAKE_SUB_QMAX];	/* PPP frames (FF 03 first) the LAC relayed */
	unsigned n_to_lns;
	struct pppoe_buf b;
};

/* The access port's ops; their arg is the struct fake_sub. */
extern const struct pppoe_port_ops fake_sub_port_ops;

/* Append a frame to queue q of *n frames. */
void fake_sub_push(struct fake_sub_frame *q, unsigned *n, const uint8_t *p, size_t len);
/* The frame built in u->b into the daemon's access port. */
void fake_sub_port_in(struct fake_sub *u);
/* PPP frames each way until none is left. */
void fake_sub_pump(struct fake_sub *u);
/* Discovery (PADI, PADO, PADR with its cookie, PADS; TR-101 line tags if
 * line) from MAC 02:00:00:00:00:last, then the subscriber's PPP as
 * user/password (NULL: it stays silent). */
void fake_sub_dial(struct fake_sub *u, uint8_t last, int line, const char *user,
		   const char *password);

#endif
