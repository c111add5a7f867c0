/*
 * A PPPoE subscriber played by the test, behind a fake access port of the
 * daemon of harness.h: discovery built frame by frame, then our own PPP
 * stack in the peer role (tests/unit/pppoe/test_lac.c, tests/unit/ha/
 * test_ha_pppoe.c).  One subscriber at a time behind the port.
 *
 * The LNS end of its call (lns_tid, lns_sid) is the test's to fill; with
 * fake_sub_lns_rx as the harness's data_rx the frames the LAC relays wait
 * in to_lns, and fake_sub_lns_send plays the LNS's.
 *
 * A session the daemon terminates in a faked kernel (fake_dp_pppoe) writes
 * its frames on the session's channel and unit: with dp set, fake_sub_pump
 * reads them there too, counted by the descriptor that carried them.
 *
 *	memset(&S, 0, sizeof S);
 *	S.h = h;
 *	S.port_mac = the access port's MAC;
 *	pppoe_access_start(&h->d, &fake_sub_port_ops, &S, ...);
 *	fake_sub_dial(&S, 1, 0, "user", "password");
 *	...
 *	fake_sub_free(&S);
 */
#ifndef TEST_FAKE_PPPOE_SUB_H
#define TEST_FAKE_PPPOE_SUB_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include "fake_dp.h"
#include "harness.h"
#include "pppoe/access.h"

#define FAKE_SUB_IFINDEX	3	/* the access port's */
#define FAKE_SUB_PORT_FD	1000	/* its descriptor, as the port lists it */
#define FAKE_SUB_QMAX		64

/* The start of a LAC's configuration the tests share: the vpdn-group that
 * tunnels the subscribers of isp.example to an LNS at 192.0.2.2. */
#define FAKE_SUB_CFG_LAC			\
	"hostname bras1\n"			\
	"vpdn enable\n"				\
	"vpdn-group LAC\n"			\
	" request-dialin\n"			\
	"  protocol l2tp\n"			\
	"  domain isp.example\n"		\
	" initiate-to ip 192.0.2.2\n"		\
	" local name lac1\n"			\
	" l2tp tunnel password s3cret\n"

/* The PPPoE group on template 1 (a test may add the group's own lines
 * after FAKE_SUB_CFG_BBA), then eth1 in it. */
#define FAKE_SUB_CFG_BBA			\
	"bba-group pppoe global\n"		\
	" virtual-template 1\n"
#define FAKE_SUB_CFG_ETH1			\
	"interface eth1\n"			\
	" pppoe enable group global\n"

/* Its access side: PAP on eth1, no LCP echoes. */
#define FAKE_SUB_CFG_ACCESS			\
	"interface Virtual-Template1\n"		\
	" ppp authentication pap\n"		\
	" no keepalive\n"			\
	FAKE_SUB_CFG_BBA			\
	FAKE_SUB_CFG_ETH1

/* A subscriber terminated here (local-up): the local user, the pool LOCAL
 * and the template that takes its address from it (a test adds the
 * template's authentication and keepalive lines). */
#define FAKE_SUB_CFG_LOCAL_USER				\
	"username loc@home.example password lpw\n"	\
	"ip local pool LOCAL 10.99.0.1 10.99.0.9\n"
#define FAKE_SUB_CFG_LOCAL_VT				\
	"interface Virtual-Template1\n"			\
	" ip address 10.99.255.254 255.255.255.255\n"	\
	" peer default ip address pool LOCAL\n"

struct fake_sub_frame {
	size_t len;
	uint8_t b[PPPOE_FRAME_MAX];
};

/* The access port and one subscriber at a time behind it. */
struct fake_sub {
	struct harness *h;
	const uint8_t *port_mac;	/* the access port's MAC (6 bytes) */
	struct fake_dp *dp;		/* the fake kernel path; NULL: the null path */
	uint8_t mac[6];
	uint16_t sid;			/* PPPoE session */
	uint16_t mru;			/* the subscriber's; 0: 1492 */
	uint8_t disc[PPPOE_FRAME_MAX];	/* the last discovery frame to it */
	size_t disc_len;
	/* frames the port sent (tx), by kind */
	unsigned padt_rx, pado_rx, tx, lcp_term_rx, echo_reply_rx;
	unsigned reading_off;		/* the port told to stop reading */
	/* frames to the subscriber on the kernel's channel [0] and unit [1],
	 * LCP and authentication (>= 0xc000) or NCP */
	unsigned lcp_on[2], ncp_on[2];
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
	unsigned echo_to_lns;		/* LCP Echo-Requests among them */
	struct pppoe_buf b;
};

/* The access port's ops (with the handover's fd and reading); their arg is
 * the struct fake_sub. */
extern const struct pppoe_port_ops fake_sub_port_ops;

/* Append a frame to queue q of *n frames. */
void fake_sub_push(struct fake_sub_frame *q, unsigned *n, const uint8_t *p, size_t len);
/* The frame built in u->b into the daemon's access port. */
void fake_sub_port_in(struct fake_sub *u);
/* PPP frames each way (and from the fake kernel path) until none is left. */
void fake_sub_pump(struct fake_sub *u);
/* Discovery (PADI, PADO, PADR with its cookie; TR-101 line tags if line)
 * from MAC 02:00:00:00:00:last: the code of the last discovery frame the
 * subscriber got (PADS, or a PADT after it). */
uint8_t fake_sub_discover(struct fake_sub *u, uint8_t last, int line);
/* Discovery to the PADS, then the subscriber's PPP as user/password (NULL:
 * it stays silent). */
void fake_sub_dial(struct fake_sub *u, uint8_t last, int line, const char *user,
		   const char *password);
/* The subscriber's PADT: the session ends at its word. */
void fake_sub_padt(struct fake_sub *u);
/* The subscriber's PPP freed (h_at_free's shape: arg is the fake_sub). */
void fake_sub_free(void *arg);

/* The harness's data_rx, data_arg the fake_sub: the LAC's frames to the LNS. */
void fake_sub_lns_rx(void *arg, uint16_t tid, uint16_t sid, const uint8_t *frame, size_t len);
/* A PPP frame (protocol first) from the LNS p to the LAC's call, then pumped. */
void fake_sub_lns_send(struct fake_sub *u, struct h_peer *p, const uint8_t *ppp, size_t len);

#endif
