/*
 * The RFC 1661 §4 automaton (ppp/fsm.c) against the §4.1 state transition
 * table: every event in every state, through a fake protocol that records
 * the actions (tlu/tld/tls/tlf from its callbacks, scr/sca/scn/str/sta/scj/
 * ser from the packets it is made to send, irc/zrc from the Restart
 * counter).  Then the Restart timer and counters, the Max-Failure bound on
 * Nak loops, Identifier matching, Code-Reject and malformed packets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "ppp/fsm.h"

/* Fake protocol options: 1 acceptable, 2 Nak'd (suggest 0x22), 3 Rejected,
 * 4 Nak'd with an appended option 5 only (not in the request). */
#define FAKE_OK		1
#define FAKE_NAK	2
#define FAKE_REJ	3
#define FAKE_APPEND	4
#define FAKE_ECHO	9
#define FAKE_ECHO_REP	10

struct fake {
	struct l2tp_clock clk;
	struct ppp_fsm_io io;
	struct ppp_fsm f;
	char acts[256];		/* "tld,scr,sca" */
	uint8_t last[PPP_MAX_PACKET];	/* the last packet sent */
	size_t last_len;
	unsigned n_sent[16];	/* per code */
	unsigned resets;
	int nak_close;		/* nakci closes the automaton */
};

static void fake_act(struct fake *fk, const char *a)
{
	if (fk->acts[0] != '\0')
		strncat(fk->acts, ",", sizeof(fk->acts) - strlen(fk->acts) - 1);
	strncat(fk->acts, a, sizeof(fk->acts) - strlen(fk->acts) - 1);
}

static void fake_output(void *arg, uint16_t proto, const uint8_t *buf, size_t len)
{
	struct fake *fk = arg;
	static const char *const names[] = {
		[PPP_CONF_REQ] = "scr", [PPP_CONF_ACK] = "sca", [PPP_CONF_NAK] = "scn",
		[PPP_CONF_REJ] = "scn", [PPP_TERM_REQ] = "str", [PPP_TERM_ACK] = "sta",
		[PPP_CODE_REJ] = "scj", [FAKE_ECHO_REP] = "ser",
	};

	assert_int_equal(proto, 0x8123);
	assert_true(len >= PPP_HDRLEN && len <= sizeof(fk->last));
	/* every packet the automaton sends has a true Length */
	assert_int_equal((buf[2] << 8) | buf[3], len);
	memcpy(fk->last, buf, len);
	fk->last_len = len;
	if (buf[0] < 16)
		fk->n_sent[buf[0]]++;
	assert_true(buf[0] < sizeof(names) / sizeof(names[0]) && names[buf[0]] != NULL);
	fake_act(fk, names[buf[0]]);
}

static struct fake *fake_of(struct ppp_fsm *f)
{
	return f->ctx;
}

static void fake_resetci(struct ppp_fsm *f)
{
	fake_of(f)->resets++;
}

static size_t fake_addci(struct ppp_fsm *f, uint8_t *buf, size_t cap)
{
	uint8_t v = 0xaa;
	size_t len = 0;

	(void)f;
	assert_int_equal(ppp_opt_put(buf, cap, &len, FAKE_OK, &v, 1), 0);
	return len;
}

static void fake_reqci(struct ppp_fsm *f, const uint8_t *opts, size_t len, struct ppp_fsm_reply *r)
{
	struct ppp_opt o;
	size_t off = 0;
	uint8_t v = 0x22;

	(void)f;
	while (ppp_opt_next(opts, len, &off, &o) > 0) {
		if (o.type == FAKE_NAK)
			ppp_fsm_reply_nak(r, &o, o.type, &v, 1);
		else if (o.type == FAKE_REJ)
			ppp_fsm_reply_rej(r, &o);
		else if (o.type == FAKE_APPEND)
			ppp_fsm_reply_nak(r, NULL, 5, &v, 1);
	}
}

static int fake_nakci(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	(void)opts;
	(void)len;
	if (fake_of(f)->nak_close)
		ppp_fsm_close(f, "give up");
	return 0;
}

static int fake_rejci(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	(void)f;
	(void)opts;
	(void)len;
	return 0;
}

static void fake_up(struct ppp_fsm *f)
{
	/* §4.4: This-Layer-Up is signalled in the new state */
	assert_int_equal(f->state, PPP_FSM_OPENED);
	fake_act(fake_of(f), "tlu");
}

static void fake_down(struct ppp_fsm *f)
{
	fake_act(fake_of(f), "tld");
}

static void fake_started(struct ppp_fsm *f)
{
	fake_act(fake_of(f), "tls");
}

static void fake_finished(struct ppp_fsm *f)
{
	fake_act(fake_of(f), "tlf");
}

static int fake_extcode(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	if (code == FAKE_ECHO) {
		if (ppp_fsm_rxr(f))
			ppp_fsm_send(f, FAKE_ECHO_REP, id, data, len);
		return 0;
	}
	return -ENOENT;
}

static const struct ppp_fsm_cbs fake_cbs = {
	.name = "FAKE",
	.proto = 0x8123,
	.resetci = fake_resetci,
	.addci = fake_addci,
	.reqci = fake_reqci,
	.nakci = fake_nakci,
	.rejci = fake_rejci,
	.up = fake_up,
	.down = fake_down,
	.started = fake_started,
	.finished = fake_finished,
	.extcode = fake_extcode,
};

static struct fake *fake_new(void)
{
	struct fake *fk = calloc(1, sizeof(*fk));

	assert_non_null(fk);
	clock_init(&fk->clk, 1);
	fk->io.clk = &fk->clk;
	fk->io.log = NULL;
	fk->io.prefix = "";
	fk->io.mtu = 1500;
	fk->io.output = fake_output;
	fk->io.arg = fk;
	ppp_fsm_init(&fk->f, &fake_cbs, fk, &fk->io);
	return fk;
}

static void fake_free(struct fake *fk)
{
	ppp_fsm_stop(&fk->f);
	clock_destroy(&fk->clk);
	free(fk);
}

static void fake_clear(struct fake *fk)
{
	fk->acts[0] = '\0';
	memset(fk->n_sent, 0, sizeof(fk->n_sent));
}

static int rx(struct fake *fk, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	uint8_t *pkt = malloc(PPP_HDRLEN + len);
	int rc;

	assert_non_null(pkt);
	pkt[0] = code;
	pkt[1] = id;
	pkt[2] = (uint8_t)((PPP_HDRLEN + len) >> 8);
	pkt[3] = (uint8_t)(PPP_HDRLEN + len);
	if (len)
		memcpy(pkt + PPP_HDRLEN, data, len);
	rc = ppp_fsm_input(&fk->f, pkt, PPP_HDRLEN + len);	/* exact size: ASan sees overreads */
	free(pkt);
	return rc;
}

static const uint8_t opt_ok[] = { FAKE_OK, 3, 0x11 };
static const uint8_t opt_nak[] = { FAKE_NAK, 3, 0x11 };
static const uint8_t opt_rej[] = { FAKE_REJ, 2 };

/* --- the events ------------------------------------------------------------ */

enum ev {
	EV_UP, EV_DOWN, EV_OPEN, EV_CLOSE, EV_TOP, EV_TOM, EV_RCRP, EV_RCRM, EV_RCA, EV_RCN,
	EV_RTR, EV_RTA, EV_RUC, EV_RXJP, EV_RXJM, EV_RXR, EV_N
};

static const char *const ev_names[EV_N] = {
	"Up", "Down", "Open", "Close", "TO+", "TO-", "RCR+", "RCR-", "RCA", "RCN",
	"RTR", "RTA", "RUC", "RXJ+", "RXJ-", "RXR",
};

/* RFC 1661 §4.1, verbatim: "actions/state", "-" = cannot happen (nothing
 * done); the r, p, x footnotes are options we do not implement. */
static const char *const table[EV_N][PPP_FSM_NSTATES] = {
	[EV_UP] = { "2", "irc,scr/6", "-", "-", "-", "-", "-", "-", "-", "-" },
	[EV_DOWN] = { "-", "-", "0", "tls/1", "0", "1", "1", "1", "1", "tld/1" },
	[EV_OPEN] = { "tls/1", "1", "irc,scr/6", "3r", "5r", "5r", "6", "7", "8", "9r" },
	[EV_CLOSE] = { "0", "tlf/0", "2", "2", "4", "4", "irc,str/4", "irc,str/4", "irc,str/4",
		       "tld,irc,str/4" },
	[EV_TOP] = { "-", "-", "-", "-", "str/4", "str/5", "scr/6", "scr/6", "scr/8", "-" },
	[EV_TOM] = { "-", "-", "-", "-", "tlf/2", "tlf/3", "tlf/3p", "tlf/3p", "tlf/3p", "-" },
	[EV_RCRP] = { "-", "-", "sta/2", "irc,scr,sca/8", "4", "5", "sca/8", "sca,tlu/9", "sca/8",
		      "tld,scr,sca/8" },
	[EV_RCRM] = { "-", "-", "sta/2", "irc,scr,scn/6", "4", "5", "scn/6", "scn/7", "scn/6",
		      "tld,scr,scn/6" },
	[EV_RCA] = { "-", "-", "sta/2", "sta/3", "4", "5", "irc/7", "scr/6x", "irc,tlu/9",
		     "tld,scr/6x" },
	[EV_RCN] = { "-", "-", "sta/2", "sta/3", "4", "5", "irc,scr/6", "scr/6x", "irc,scr/8",
		     "tld,scr/6x" },
	[EV_RTR] = { "-", "-", "sta/2", "sta/3", "sta/4", "sta/5", "sta/6", "sta/6", "sta/6",
		     "tld,zrc,sta/5" },
	[EV_RTA] = { "-", "-", "2", "3", "tlf/2", "tlf/3", "6", "6", "8", "tld,scr/6" },
	[EV_RUC] = { "-", "-", "scj/2", "scj/3", "scj/4", "scj/5", "scj/6", "scj/7", "scj/8",
		     "scj/9" },
	[EV_RXJP] = { "-", "-", "2", "3", "4", "5", "6", "6", "8", "9" },
	[EV_RXJM] = { "-", "-", "tlf/2", "tlf/3", "tlf/2", "tlf/3", "tlf/3", "tlf/3", "tlf/3",
		      "tld,irc,str/5" },
	[EV_RXR] = { "-", "-", "2", "3", "4", "5", "6", "7", "8", "ser/9" },
};

/* Bring a fresh automaton into state s by real events. */
static void reach(struct fake *fk, enum ppp_fsm_state s)
{
	struct ppp_fsm *f = &fk->f;

	switch (s) {
	case PPP_FSM_INITIAL:
		break;
	case PPP_FSM_STARTING:
		ppp_fsm_open(f);
		break;
	case PPP_FSM_CLOSED:
		ppp_fsm_lower_up(f);
		break;
	case PPP_FSM_STOPPED:
		ppp_fsm_open(f);
		ppp_fsm_lower_up(f);
		ppp_fsm_rxj(f, 1);
		break;
	case PPP_FSM_CLOSING:
		ppp_fsm_open(f);
		ppp_fsm_lower_up(f);
		ppp_fsm_close(f, "test");
		break;
	case PPP_FSM_STOPPING:
		reach(fk, PPP_FSM_OPENED);
		rx(fk, PPP_TERM_REQ, 77, NULL, 0);
		break;
	case PPP_FSM_REQ_SENT:
		ppp_fsm_open(f);
		ppp_fsm_lower_up(f);
		break;
	case PPP_FSM_ACK_RCVD:
		reach(fk, PPP_FSM_REQ_SENT);
		rx(fk, PPP_CONF_ACK, f->req_id, f->req, f->req_len);
		break;
	case PPP_FSM_ACK_SENT:
		reach(fk, PPP_FSM_REQ_SENT);
		rx(fk, PPP_CONF_REQ, 1, opt_ok, sizeof(opt_ok));
		break;
	case PPP_FSM_OPENED:
		reach(fk, PPP_FSM_ACK_RCVD);
		rx(fk, PPP_CONF_REQ, 1, opt_ok, sizeof(opt_ok));
		break;
	}
	assert_int_equal(f->state, s);
}

#define SENTINEL 3

static void inject(struct fake *fk, enum ev e)
{
	struct ppp_fsm *f = &fk->f;
	uint8_t rejected[] = { PPP_CONF_REQ, 1, 0, 4 };
	uint8_t ext_rejected[] = { FAKE_ECHO, 1, 0, 4 };

	switch (e) {
	case EV_UP:
		ppp_fsm_lower_up(f);
		break;
	case EV_DOWN:
		ppp_fsm_lower_down(f);
		break;
	case EV_OPEN:
		ppp_fsm_open(f);
		break;
	case EV_CLOSE:
		ppp_fsm_close(f, "test");
		break;
	case EV_TOP:
	case EV_TOM:
		clock_advance(&fk->clk, f->restart_ms);
		break;
	case EV_RCRP:
		rx(fk, PPP_CONF_REQ, 50, opt_ok, sizeof(opt_ok));
		break;
	case EV_RCRM:
		rx(fk, PPP_CONF_REQ, 50, opt_nak, sizeof(opt_nak));
		break;
	case EV_RCA:
		/* In Ack-Rcvd and Opened our request is already answered, so a
		 * real Ack is a duplicate and dropped (tested below); the row is
		 * exercised as if the Ack were the first answer. */
		f->req_answered = 0;
		rx(fk, PPP_CONF_ACK, f->req_id, f->req, f->req_len);
		break;
	case EV_RCN:
		f->req_answered = 0;
		rx(fk, PPP_CONF_NAK, f->req_id, opt_ok, sizeof(opt_ok));
		break;
	case EV_RTR:
		rx(fk, PPP_TERM_REQ, 60, NULL, 0);
		break;
	case EV_RTA:
		rx(fk, PPP_TERM_ACK, 61, NULL, 0);
		break;
	case EV_RUC:
		rx(fk, 42, 62, (const uint8_t *)"xyz", 3);
		break;
	case EV_RXJP:
		rx(fk, PPP_CODE_REJ, 63, ext_rejected, sizeof(ext_rejected));
		break;
	case EV_RXJM:
		rx(fk, PPP_CODE_REJ, 64, rejected, sizeof(rejected));
		break;
	case EV_RXR:
		rx(fk, FAKE_ECHO, 65, (const uint8_t *)"ping", 4);
		break;
	default:
		fail();
	}
}

static unsigned count_word(const char *s, const char *w)
{
	unsigned n = 0;
	size_t wl = strlen(w);

	for (const char *p = s; (p = strstr(p, w)) != NULL; p += wl)
		n++;
	return n;
}

static void check_cell(enum ev e, enum ppp_fsm_state s)
{
	const char *cell = table[e][s];
	struct fake *fk = fake_new();
	struct ppp_fsm *f = &fk->f;
	char want[64], acts[64];
	unsigned want_state, before, sends, want_count;
	const char *slash;
	size_t i, j;

	reach(fk, s);
	fake_clear(fk);
	before = f->restart_count = e == EV_TOM ? 0 : SENTINEL;
	inject(fk, e);

	if (strcmp(cell, "-") == 0) {
		/* cannot happen: nothing done */
		if (strcmp(fk->acts, "") != 0 || f->state != s)
			fail_msg("%s in %s: expected nothing, got \"%s\" -> %s", ev_names[e],
				 ppp_fsm_state_string(s), fk->acts, ppp_fsm_state_string(f->state));
		fake_free(fk);
		return;
	}
	slash = strchr(cell, '/');
	acts[0] = '\0';
	if (slash != NULL) {
		snprintf(acts, sizeof(acts), "%.*s", (int)(slash - cell), cell);
		want_state = (unsigned)(slash[1] - '0');
	} else {
		want_state = (unsigned)(cell[0] - '0');
	}
	/* the observable actions: irc/zrc show in the counter only */
	for (i = j = 0; acts[i] != '\0';) {
		const char *a = acts + i;
		size_t n = strcspn(a, ",");

		if (!(n == 3 && (strncmp(a, "irc", 3) == 0 || strncmp(a, "zrc", 3) == 0))) {
			if (j > 0)
				want[j++] = ',';
			memcpy(want + j, a, n);
			j += n;
		}
		i += n + (a[n] == ',');
	}
	want[j] = '\0';
	if (strcmp(fk->acts, want) != 0 || f->state != want_state)
		fail_msg("%s in %s: expected \"%s\" -> %s, got \"%s\" -> %s", ev_names[e],
			 ppp_fsm_state_string(s), cell, ppp_fsm_state_string(want_state), fk->acts,
			 ppp_fsm_state_string(f->state));

	/* the Restart counter: irc sets it (to Max-Terminate before str,
	 * else Max-Configure), zrc zeroes it, scr/str decrement it */
	sends = count_word(want, "scr") + count_word(want, "str");
	if (strstr(acts, "zrc"))
		want_count = 0;
	else if (strstr(acts, "irc"))
		want_count = (strstr(acts, "str") ? f->max_terminate : f->max_configure) - sends;
	else
		want_count = before > sends ? before - sends : 0;
	if (f->restart_count != want_count)
		fail_msg("%s in %s: Restart counter %u, expected %u (\"%s\")", ev_names[e],
			 ppp_fsm_state_string(s), f->restart_count, want_count, cell);

	/* §4.6: the Restart timer runs in Closing..Ack-Sent and only there */
	assert_int_equal(clock_timer_pending(&f->timer),
			 f->state >= PPP_FSM_CLOSING && f->state <= PPP_FSM_ACK_SENT);
	fake_free(fk);
}

static void test_state_table(void **state)
{
	(void)state;
	for (int e = 0; e < EV_N; e++)
		for (int s = 0; s < PPP_FSM_NSTATES; s++)
			check_cell((enum ev)e, (enum ppp_fsm_state)s);
}

/* --- timers and counters --------------------------------------------------- */

static void test_configure_timeout(void **state)
{
	struct fake *fk = fake_new();
	struct ppp_fsm *f = &fk->f;

	(void)state;
	reach(fk, PPP_FSM_REQ_SENT);
	assert_int_equal(fk->n_sent[PPP_CONF_REQ], 1);
	/* nobody answers: Max-Configure requests, 3 s apart, then tlf */
	clock_advance(&fk->clk, (uint64_t)(PPP_FSM_MAX_CONFIGURE - 1) * PPP_FSM_RESTART_MS);
	assert_int_equal(fk->n_sent[PPP_CONF_REQ], PPP_FSM_MAX_CONFIGURE);
	assert_int_equal(f->state, PPP_FSM_REQ_SENT);
	assert_int_equal(f->stats.tx_retransmits, PPP_FSM_MAX_CONFIGURE - 1);
	fake_clear(fk);
	clock_advance(&fk->clk, PPP_FSM_RESTART_MS);
	assert_string_equal(fk->acts, "tlf");
	assert_int_equal(f->state, PPP_FSM_STOPPED);
	assert_int_equal(f->stats.timeouts, 1);
	assert_int_equal(clock_next_timeout(&fk->clk), -1);
	/* unanswered, every copy kept its Identifier (§5.1 MAY) */
	assert_int_equal(f->next_id, 1);
	fake_free(fk);
}

/*
 * A peer that comes up late (its PPP started seconds after the call) finds
 * six copies of our Configure-Request queued and answers each with a Nak,
 * then (pppd: Max-Failure 5) with a Reject.  Its first Nak answers our
 * request; the other answers are duplicates.
 */
static void test_late_peer_answers_queued_copies(void **state)
{
	struct fake *fk = fake_new();
	struct ppp_fsm *f = &fk->f;
	uint8_t ids[6], first;

	(void)state;
	reach(fk, PPP_FSM_REQ_SENT);
	ids[0] = fk->last[1];
	for (int i = 1; i < 6; i++) {
		clock_advance(&fk->clk, PPP_FSM_RESTART_MS);
		ids[i] = fk->last[1];
	}
	assert_int_equal(fk->n_sent[PPP_CONF_REQ], 6);
	first = f->req_id;
	/* the peer answers each copy with that copy's Identifier */
	fake_clear(fk);
	assert_int_equal(rx(fk, PPP_CONF_NAK, ids[0], opt_ok, sizeof(opt_ok)), 0);
	assert_string_equal(fk->acts, "scr");		/* the first Nak was taken */
	assert_int_not_equal(f->req_id, first);		/* a new request, a new Identifier */
	fake_clear(fk);
	for (int i = 1; i < 5; i++)
		assert_int_equal(rx(fk, PPP_CONF_NAK, ids[i], opt_ok, sizeof(opt_ok)), -EPROTO);
	assert_int_equal(rx(fk, PPP_CONF_REJ, ids[5], opt_ok, sizeof(opt_ok)), -EPROTO);
	assert_string_equal(fk->acts, "");		/* duplicates: nothing done */
	assert_int_equal(f->stats.rx_bad_id, 5);
	assert_int_equal(f->state, PPP_FSM_REQ_SENT);
	fake_free(fk);
}

/* A retransmission after a valid reply (TO+ in Ack-Rcvd) is a new request. */
static void test_retransmit_after_ack_new_id(void **state)
{
	struct fake *fk = fake_new();
	struct ppp_fsm *f = &fk->f;
	uint8_t id;

	(void)state;
	reach(fk, PPP_FSM_ACK_RCVD);
	id = f->req_id;
	clock_advance(&fk->clk, PPP_FSM_RESTART_MS);
	assert_int_equal(f->state, PPP_FSM_REQ_SENT);
	assert_int_not_equal(f->req_id, id);
	/* the Ack of the earlier request no longer counts */
	assert_int_equal(rx(fk, PPP_CONF_ACK, id, f->req, f->req_len), -EPROTO);
	assert_int_equal(rx(fk, PPP_CONF_ACK, f->req_id, f->req, f->req_len), 0);
	assert_int_equal(f->state, PPP_FSM_ACK_RCVD);
	fake_free(fk);
}

static void test_terminate_timeout(void **state)
{
	struct fake *fk = fake_new();
	struct ppp_fsm *f = &fk->f;

	(void)state;
	reach(fk, PPP_FSM_OPENED);
	fake_clear(fk);
	ppp_fsm_close(f, "bye");
	assert_string_equal(fk->acts, "tld,str");
	/* the reason travels in the Terminate-Request */
	assert_int_equal(fk->last_len, PPP_HDRLEN + 3);
	assert_memory_equal(fk->last + PPP_HDRLEN, "bye", 3);
	clock_advance(&fk->clk, PPP_FSM_RESTART_MS);
	assert_int_equal(fk->n_sent[PPP_TERM_REQ], PPP_FSM_MAX_TERMINATE);
	assert_int_equal(f->state, PPP_FSM_CLOSING);
	fake_clear(fk);
	clock_advance(&fk->clk, PPP_FSM_RESTART_MS);
	assert_string_equal(fk->acts, "tlf");
	assert_int_equal(f->state, PPP_FSM_CLOSED);
	fake_free(fk);
}

static void test_peer_terminate_waits(void **state)
{
	struct fake *fk = fake_new();
	struct ppp_fsm *f = &fk->f;

	(void)state;
	reach(fk, PPP_FSM_OPENED);
	fake_clear(fk);
	rx(fk, PPP_TERM_REQ, 9, NULL, 0);
	assert_string_equal(fk->acts, "tld,sta");
	assert_int_equal(fk->last[1], 9);	/* the Terminate-Ack echoes the Identifier */
	/* zrc: one Restart period, then finished, no Terminate-Request of ours */
	clock_advance(&fk->clk, PPP_FSM_RESTART_MS - 1);
	assert_int_equal(f->state, PPP_FSM_STOPPING);
	clock_advance(&fk->clk, 1);
	assert_string_equal(fk->acts, "tld,sta,tlf");
	assert_int_equal(f->state, PPP_FSM_STOPPED);
	fake_free(fk);
}

/* --- Nak loops, Identifiers, Rejects ---------------------------------------- */

static void test_nak_loop_bounded(void **state)
{
	struct fake *fk = fake_new();
	struct ppp_fsm *f = &fk->f;
	unsigned i;

	(void)state;
	reach(fk, PPP_FSM_REQ_SENT);
	for (i = 0; i < PPP_FSM_MAX_FAILURE; i++) {
		rx(fk, PPP_CONF_REQ, (uint8_t)(10 + i), opt_nak, sizeof(opt_nak));
		assert_int_equal(fk->last[0], PPP_CONF_NAK);
		assert_int_equal(fk->last[1], 10 + i);
		/* the Nak suggests the value, same type */
		assert_int_equal(fk->last_len, PPP_HDRLEN + 3);
		assert_int_equal(fk->last[PPP_HDRLEN], FAKE_NAK);
		assert_int_equal(fk->last[PPP_HDRLEN + 2], 0x22);
	}
	/* §4.6 Max-Failure: the next one is a Reject of the option as sent */
	rx(fk, PPP_CONF_REQ, 20, opt_nak, sizeof(opt_nak));
	assert_int_equal(fk->last[0], PPP_CONF_REJ);
	assert_int_equal(fk->last_len, PPP_HDRLEN + sizeof(opt_nak));
	assert_memory_equal(fk->last + PPP_HDRLEN, opt_nak, sizeof(opt_nak));
	assert_int_equal(f->stats.nak_to_rej, 1);
	assert_int_equal(f->stats.tx_conf_nak, PPP_FSM_MAX_FAILURE);
	/* an Ack resets the count */
	rx(fk, PPP_CONF_REQ, 21, opt_ok, sizeof(opt_ok));
	assert_int_equal(fk->last[0], PPP_CONF_ACK);
	assert_int_equal(f->state, PPP_FSM_ACK_SENT);
	rx(fk, PPP_CONF_REQ, 22, opt_nak, sizeof(opt_nak));
	assert_int_equal(fk->last[0], PPP_CONF_NAK);
	fake_free(fk);
}

static void test_nak_appended_only(void **state)
{
	struct fake *fk = fake_new();
	uint8_t opt_app[] = { FAKE_APPEND, 2 };
	unsigned i;

	(void)state;
	reach(fk, PPP_FSM_REQ_SENT);
	rx(fk, PPP_CONF_REQ, 1, opt_app, sizeof(opt_app));
	/* a Nak may carry an option the peer did not send (§5.3) */
	assert_int_equal(fk->last[0], PPP_CONF_NAK);
	assert_int_equal(fk->last[PPP_HDRLEN], 5);
	for (i = 1; i < PPP_FSM_MAX_FAILURE; i++)
		rx(fk, PPP_CONF_REQ, (uint8_t)(1 + i), opt_app, sizeof(opt_app));
	/* after Max-Failure the suggestion is dropped and the request acked */
	rx(fk, PPP_CONF_REQ, 9, opt_app, sizeof(opt_app));
	assert_int_equal(fk->last[0], PPP_CONF_ACK);
	fake_free(fk);
}

static void test_reject_wins_over_nak(void **state)
{
	struct fake *fk = fake_new();
	uint8_t both[sizeof(opt_nak) + sizeof(opt_rej)];

	(void)state;
	memcpy(both, opt_nak, sizeof(opt_nak));
	memcpy(both + sizeof(opt_nak), opt_rej, sizeof(opt_rej));
	reach(fk, PPP_FSM_REQ_SENT);
	rx(fk, PPP_CONF_REQ, 1, both, sizeof(both));
	assert_int_equal(fk->last[0], PPP_CONF_REJ);
	assert_int_equal(fk->last_len, PPP_HDRLEN + sizeof(opt_rej));
	assert_memory_equal(fk->last + PPP_HDRLEN, opt_rej, sizeof(opt_rej));
	assert_int_equal(fk->f.stats.opts_rejected, 1);
	fake_free(fk);
}

static void test_identifier_matching(void **state)
{
	struct fake *fk = fake_new();
	struct ppp_fsm *f = &fk->f;
	uint8_t other[] = { FAKE_OK, 3, 0xab };
	uint8_t notours[] = { FAKE_REJ, 2 };

	(void)state;
	reach(fk, PPP_FSM_REQ_SENT);
	fake_clear(fk);
	/* wrong Identifier */
	assert_int_equal(rx(fk, PPP_CONF_ACK, (uint8_t)(f->req_id + 1), f->req, f->req_len),
			 -EPROTO);
	assert_int_equal(rx(fk, PPP_CONF_NAK, (uint8_t)(f->req_id + 1), NULL, 0), -EPROTO);
	assert_int_equal(rx(fk, PPP_CONF_REJ, (uint8_t)(f->req_id - 1), f->req, f->req_len),
			 -EPROTO);
	/* right Identifier, options not ours (§5.2 exact match) */
	assert_int_equal(rx(fk, PPP_CONF_ACK, f->req_id, other, sizeof(other)), -EPROTO);
	assert_int_equal(f->stats.rx_bad_id, 4);
	/* a Reject of an option we never asked (§5.4) */
	assert_int_equal(rx(fk, PPP_CONF_REJ, f->req_id, notours, sizeof(notours)), -EBADMSG);
	assert_int_equal(f->state, PPP_FSM_REQ_SENT);
	assert_string_equal(fk->acts, "");
	/* the real Ack, then a duplicate of it */
	assert_int_equal(rx(fk, PPP_CONF_ACK, f->req_id, f->req, f->req_len), 0);
	assert_int_equal(f->state, PPP_FSM_ACK_RCVD);
	rx(fk, PPP_CONF_REQ, 3, opt_ok, sizeof(opt_ok));
	assert_int_equal(f->state, PPP_FSM_OPENED);
	fake_clear(fk);
	assert_int_equal(rx(fk, PPP_CONF_ACK, f->req_id, f->req, f->req_len), -EPROTO);
	assert_int_equal(f->state, PPP_FSM_OPENED);
	assert_string_equal(fk->acts, "");
	assert_int_equal(f->stats.rx_bad_id, 5);
	fake_free(fk);
}

static void test_reject_and_nak_answer(void **state)
{
	struct fake *fk = fake_new();
	struct ppp_fsm *f = &fk->f;
	uint8_t id;

	(void)state;
	reach(fk, PPP_FSM_REQ_SENT);
	id = f->req_id;
	fake_clear(fk);
	assert_int_equal(rx(fk, PPP_CONF_REJ, id, f->req, f->req_len), 0);
	assert_string_equal(fk->acts, "scr");
	assert_int_not_equal(f->req_id, id);	/* a new request, a new Identifier */
	/* a protocol may give up while digesting a Nak */
	fk->nak_close = 1;
	fake_clear(fk);
	assert_int_equal(rx(fk, PPP_CONF_NAK, f->req_id, opt_ok, sizeof(opt_ok)), 0);
	assert_string_equal(fk->acts, "str");
	assert_int_equal(f->state, PPP_FSM_CLOSING);
	fake_free(fk);
}

/* --- Code-Reject and malformed packets ------------------------------------- */

static void test_code_reject(void **state)
{
	struct fake *fk = fake_new();
	struct ppp_fsm *f = &fk->f;
	uint8_t big[1400];

	(void)state;
	reach(fk, PPP_FSM_OPENED);
	rx(fk, 200, 33, (const uint8_t *)"abc", 3);
	/* §5.6: the rejected packet whole, from its Code */
	assert_int_equal(fk->last[0], PPP_CODE_REJ);
	assert_int_equal(fk->last_len, PPP_HDRLEN + PPP_HDRLEN + 3);
	assert_int_equal(fk->last[PPP_HDRLEN], 200);
	assert_int_equal(fk->last[PPP_HDRLEN + 1], 33);
	assert_memory_equal(fk->last + 2 * PPP_HDRLEN, "abc", 3);
	assert_int_equal(f->stats.rx_unknown_code, 1);
	/* truncated to the peer's MRU */
	fk->io.mtu = 300;
	memset(big, 0x5a, sizeof(big));
	rx(fk, 201, 34, big, sizeof(big));
	assert_int_equal(fk->last[0], PPP_CODE_REJ);
	assert_int_equal(fk->last_len, 300);
	assert_int_equal(f->state, PPP_FSM_OPENED);
	fake_free(fk);
}

static void test_malformed(void **state)
{
	struct fake *fk = fake_new();
	struct ppp_fsm *f = &fk->f;
	const uint8_t short_pkt[] = { PPP_CONF_REQ, 1, 0 };
	const uint8_t lies[] = { PPP_CONF_REQ, 1, 0, 9, 1, 3, 0 };	/* says 9, has 7 */
	const uint8_t too_small[] = { PPP_CONF_REQ, 1, 0, 3, 0 };
	const uint8_t opt0[] = { FAKE_OK, 0, 1, 2 };
	const uint8_t opt1[] = { FAKE_OK, 1 };
	const uint8_t past[] = { FAKE_OK, 9, 1 };
	const uint8_t padded[] = { PPP_CONF_REQ, 7, 0, 7, FAKE_OK, 3, 0x11, 0xee, 0xee };
	uint8_t *p;

	(void)state;
	reach(fk, PPP_FSM_REQ_SENT);
	fake_clear(fk);
	p = malloc(sizeof(short_pkt));
	memcpy(p, short_pkt, sizeof(short_pkt));
	assert_int_equal(ppp_fsm_input(f, p, sizeof(short_pkt)), -EBADMSG);
	free(p);
	p = malloc(sizeof(lies));
	memcpy(p, lies, sizeof(lies));
	assert_int_equal(ppp_fsm_input(f, p, sizeof(lies)), -EBADMSG);
	free(p);
	p = malloc(sizeof(too_small));
	memcpy(p, too_small, sizeof(too_small));
	assert_int_equal(ppp_fsm_input(f, p, sizeof(too_small)), -EBADMSG);
	free(p);
	assert_int_equal(rx(fk, PPP_CONF_REQ, 2, opt0, sizeof(opt0)), -EBADMSG);
	assert_int_equal(rx(fk, PPP_CONF_REQ, 3, opt1, sizeof(opt1)), -EBADMSG);
	assert_int_equal(rx(fk, PPP_CONF_REQ, 4, past, sizeof(past)), -EBADMSG);
	assert_int_equal(rx(fk, PPP_CONF_NAK, f->req_id, past, sizeof(past)), -EBADMSG);
	assert_int_equal(rx(fk, PPP_CODE_REJ, 5, NULL, 0), -EBADMSG);
	assert_int_equal(f->stats.rx_malformed, 8);
	assert_string_equal(fk->acts, "");
	assert_int_equal(f->state, PPP_FSM_REQ_SENT);
	/* octets past the Length field are padding (§5) */
	p = malloc(sizeof(padded));
	memcpy(p, padded, sizeof(padded));
	assert_int_equal(ppp_fsm_input(f, p, sizeof(padded)), 0);
	free(p);
	assert_string_equal(fk->acts, "sca");
	assert_int_equal(fk->last_len, PPP_HDRLEN + 3);
	fake_free(fk);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ppp_fsm_state_string(PPP_FSM_INITIAL), "Initial");
	assert_string_equal(ppp_fsm_state_string(PPP_FSM_STOPPING), "Stopping");
	assert_string_equal(ppp_fsm_state_string(PPP_FSM_OPENED), "Opened");
	assert_string_equal(ppp_fsm_state_string((enum ppp_fsm_state)10), "?");
	assert_string_equal(ppp_fsm_code_string(PPP_CODE_REJ), "Code-Reject");
	assert_string_equal(ppp_fsm_code_string(99), "unknown code");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_table),
		cmocka_unit_test(test_configure_timeout),
		cmocka_unit_test(test_late_peer_answers_queued_copies),
		cmocka_unit_test(test_retransmit_after_ack_new_id),
		cmocka_unit_test(test_terminate_timeout),
		cmocka_unit_test(test_peer_terminate_waits),
		cmocka_unit_test(test_nak_loop_bounded),
		cmocka_unit_test(test_nak_appended_only),
		cmocka_unit_test(test_reject_wins_over_nak),
		cmocka_unit_test(test_identifier_matching),
		cmocka_unit_test(test_reject_and_nak_answer),
		cmocka_unit_test(test_code_reject),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
