/*
 * libFuzzer target for the standby's apply path: checkpoint envelopes
 * decoded (haproto/ckpt.c), records applied to the shadow store
 * (haproto/ha_shadow.c) as the link's record callback does, a bulk sync's
 * beginning clearing it, then the takeover (ha/takeover.c) rebuilding the
 * daemon of tests/unit/lib/harness.h from what the store holds, and the
 * rebuilt tunnels left to resynchronise with peers that never answer.
 *
 * Input: envelopes, each a 2-octet length (network order) and that many
 * octets.  The seeds (written by this program when FUZZ_WRITE_SEEDS names
 * a directory) are the record streams of a real active: tunnels,
 * established PPP sessions, a half-made call, a cleared one.
 *
 * What must hold: the store's counts agree with what it holds, in
 * ascending order; after the takeover every tunnel is where its ID finds
 * it, every session where its tunnel finds it; when the box dies again
 * nothing is left in the data path; nothing leaks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fuzz.h"
#include "fuzz_daemon.h"
#include "fuzz_rand.h"
#include "harness.h"
#include "fake_subscriber.h"
#include "core/ippool.h"
#include "ha/ha.h"
#include "haproto/ckpt.h"
#include "haproto/ha_shadow.h"
#include "kernel_glue/dp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

#define FUZZ_MAX_ENVELOPES	256

static const char fuzz_cfg[] =
	H_CFG_HA_HEAD
	"username alice password secret\n"
	"ip local pool P1 10.1.0.1 10.1.0.50\n"
	"interface Virtual-Template 1\n"
	" ip address 10.0.0.1 255.255.255.255\n"
	" peer default ip address pool P1\n"
	" ppp authentication pap\n"
	" ipv6 enable\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	"  virtual-template 1\n"
	" local name lns1\n"
	" l2tp tunnel password s3cret\n"
	" l2tp tunnel resync 3\n";

static struct harness *fuzz_daemon(void)
{
	struct harness *h;
	void *state;

	h = h_new(&state, fuzz_cfg);
	(void)fake_subscribers_new(h);	/* the daemon's PPP frames: to nobody */
	FUZZ_CHECK(ippool_setup(&h->d.pools, &h->d.cfg) == 0);
	clock_advance(&h->d.clk, 1000000);
	return h;
}

/* The store's counts are what it holds, tunnels and sessions ascending. */
static void fuzz_check_shadow(const struct ha_shadow *sh)
{
	const struct ha_shadow_tunnel *t;
	const struct ha_shadow_session *s;
	struct ha_shadow_stats st;
	uint64_t nt = 0, ns = 0, nm = 0;
	unsigned prev_t = 0, prev_s;

	ha_shadow_get_stats(sh, &st);
	for (t = ha_shadow_next_tunnel(sh, 0); t != NULL; t = ha_shadow_next_tunnel(sh, t->rec.tid)) {
		FUZZ_CHECK(t->rec.tid > prev_t && ha_shadow_tunnel(sh, t->rec.tid) == t);
		prev_t = t->rec.tid;
		nt++;
		nm += t->n_msgs;
		prev_s = 0;
		for (s = ha_shadow_next_session(t, 0); s != NULL;
		     s = ha_shadow_next_session(t, s->rec.sid)) {
			FUZZ_CHECK(s->rec.sid > prev_s && ha_shadow_session(t, s->rec.sid) == s);
			prev_s = s->rec.sid;
			ns++;
		}
		FUZZ_CHECK(ns <= st.sessions);
	}
	FUZZ_CHECK(nt == st.tunnels && ns == st.sessions && nm == st.msgs);
}

/* One envelope into the store, as the standby's link hands it over. */
static void fuzz_envelope(struct ha_shadow *sh, const uint8_t *buf, size_t len)
{
	struct ha_rec r;
	struct ha_ctl c;
	uint64_t seq = 0;
	uint32_t version = 0;
	int rc;

	memset(&r, 0, sizeof(r));
	rc = ckpt_decode_msg(buf, len, &r, &c, &seq, &version);
	if (rc == CKPT_CTL) {
		if (c.type == HA_CTL_BULK_BEGIN)
			ha_shadow_clear(sh);
	} else if (rc == CKPT_RECORD) {
		if (r.type != HA_REC_NONE) {
			rc = ha_shadow_apply(sh, &r);
			FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM);
		}
		ha_rec_clear(&r);
	} else {
		FUZZ_CHECK(rc == -EBADMSG || rc == -EMSGSIZE);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct harness *h;
	struct ha_shadow *sh;
	const uint8_t *env;
	size_t len, got;

	fuzz_rand_reset();
	h = fuzz_daemon();
	sh = ha_shadow_new();
	FUZZ_CHECK(sh != NULL);
	for (unsigned i = 0; i < FUZZ_MAX_ENVELOPES && in.n >= 2; i++) {
		len = (size_t)fuzz_u8(&in) << 8;
		len |= fuzz_u8(&in);
		env = fuzz_bytes(&in, len, &got);
		fuzz_envelope(sh, env, got);
	}
	fuzz_check_shadow(sh);

	/* The takeover: the daemon owns the store from now on (ha_fini frees it). */
	h->d.ha.shadow = sh;
	ha_takeover(&h->d, "fuzz");
	fuzz_check_daemon(&h->d);
	/* Nobody answers: the resynchronisation runs its course. */
	for (unsigned i = 0; i < 40; i++) {
		clock_advance(&h->d.clk, 1000);
		h_drain(h);
		fuzz_check_daemon(&h->d);
	}
	l2tp_tunnel_reap(&h->d);
	fuzz_check_daemon(&h->d);
	/* The box dies: nothing of it stays in the data path. */
	ha_test_crash(&h->d);
	FUZZ_CHECK(h->d.n_tunnels == 0);
	FUZZ_CHECK(h->d.dp->count.tunnels == 0 && h->d.dp->count.sessions == 0);
	FUZZ_CHECK(h->d.dp->count.ppp_channels == 0 && h->d.dp->count.ppp_units == 0);
	h_free(h);
	return 0;
}

/* --- the seeds: what a real active checkpoints ------------------------------- */

struct fuzz_seed {
	uint8_t buf[256 * 1024];
	size_t len;
	uint64_t seq;
	struct harness *h;
};

static void fuzz_seed_put(struct fuzz_seed *sd, const uint8_t *env, int n)
{
	FUZZ_CHECK(n > 0 && (size_t)n <= 0xffff && sd->len + 2 + (size_t)n <= sizeof(sd->buf));
	sd->buf[sd->len++] = (uint8_t)(n >> 8);
	sd->buf[sd->len++] = (uint8_t)n;
	memcpy(sd->buf + sd->len, env, (size_t)n);
	sd->len += (size_t)n;
}

static uint64_t fuzz_seed_sink(void *arg, const struct ha_rec *r)
{
	static uint8_t env[HA_CKPT_MAX_LEN];
	struct fuzz_seed *sd = arg;

	sd->seq++;
	fuzz_seed_put(sd, env, ckpt_encode(r, sd->seq, env, sizeof(env)));
	ha_test_ack(&sd->h->d, sd->seq);	/* a standby in sync, acknowledging at once */
	return sd->seq;
}

static void fuzz_seed_write(const char *dir, const char *name, struct fuzz_seed *sd)
{
	char path[4096];
	FILE *f;

	ha_flush(&sd->h->d);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(fwrite(sd->buf, 1, sd->len, f) == sd->len);
	FUZZ_CHECK(fclose(f) == 0);
}

static void fuzz_write_seeds(const char *dir)
{
	struct fuzz_seed *sd = calloc(1, sizeof(*sd));
	struct ha_ctl bulk = { .type = HA_CTL_BULK_BEGIN, .epoch = 1, .seq = 1 };
	struct fake_subscriber *u;
	struct ppp_config c;
	struct h_peer *lac;
	uint8_t env[64];
	struct harness *h;

	FUZZ_CHECK(sd != NULL);
	fuzz_rand_reset();
	h = sd->h = fuzz_daemon();
	ha_test_attach(&h->d, fuzz_seed_sink, sd);
	fuzz_seed_put(sd, env, ckpt_ctl_encode(&bulk, 1, env, sizeof(env)));
	lac = h_lns_tunnel(h, "192.0.2.2", 100, "lac1");
	fuzz_seed_write(dir, "tunnel", sd);
	fake_subscriber_config(&c, "alice", "secret");
	c.ipv6 = 1;
	for (uint16_t psid = 5; psid <= 6; psid++) {
		u = fake_subscriber_add(h->subscribers, lac, psid);
		u->sid = h_lns_call(h, lac, psid);
		fake_subscriber_open(u, &c);
		fake_subscribers_pump(h->subscribers, lac);
		ha_flush(&h->d);
	}
	fuzz_seed_write(dir, "ppp-up", sd);
	/* a half-made call: ICRP sent, no ICCN */
	h_icrq(lac, 7, 7);
	h_send(lac);
	(void)h_expect(h, lac, L2TP_MSG_ICRP);
	fuzz_seed_write(dir, "half-made", sd);
	h_cdn(lac, u->sid, 6, L2TP_CDN_ADMIN);
	h_send(lac);
	h_flush_acks(h);
	fuzz_seed_write(dir, "cleared", sd);
	h_free(h);
	free(sd);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_WRITE_SEEDS");

	fuzz_cmocka_abort();
	if (dir != NULL && *dir != '\0') {
		fuzz_write_seeds(dir);
		exit(0);
	}
	return 0;
}
