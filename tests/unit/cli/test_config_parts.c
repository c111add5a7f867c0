/*
 * A configuration larger than one checkpoint record (ha/config.c): the
 * active sends it in parts whose envelopes each fit an older standby's
 * largest (65535 + 1024 octets); the standby applies it only whole, when
 * every part came in order and the joined text has the active's digest.
 * A lost or damaged part leaves the standby's configuration as it was and
 * the mismatch shown.
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

#include "cli_check.h"
#include "cli/config_load.h"
#include "core/config.h"
#include "ha/ha.h"
#include "ha/ha_int.h"
#include "ha/status.h"
#include "haproto/ckpt.h"
#include "haproto/ha_rec.h"
#include "l2tpd.h"

#define USERS		2000
#define PARTS_MAX	8
#define ENVELOPE_MAX	(65535 + 1024)	/* a schema 1 standby's ZMQ_MAXMSGSIZE */

/* The records the active sent, each through the codec as the link carries
 * it (decoded copies). */
struct sink {
	unsigned n_config, n_parts;
	struct ha_rec parts[PARTS_MAX];
	size_t max_envelope;
	uint64_t seq;
};

static uint64_t sink_rec(void *arg, const struct ha_rec *r)
{
	struct sink *s = arg;
	uint8_t *buf = malloc(HA_CKPT_MAX_LEN);
	uint64_t seq;
	uint32_t ver;
	int len;

	assert_non_null(buf);
	len = ckpt_encode(r, s->seq + 1, buf, HA_CKPT_MAX_LEN);
	assert_true(len > 0);
	if ((size_t)len > s->max_envelope)
		s->max_envelope = (size_t)len;
	if (r->type == HA_REC_CONFIG)
		s->n_config++;
	if (r->type == HA_REC_CONFIG_PART) {
		assert_true(s->n_parts < PARTS_MAX);
		assert_int_equal(ckpt_decode(buf, (size_t)len, &s->parts[s->n_parts], &seq, &ver),
				 0);
		assert_int_equal(s->parts[s->n_parts].type, HA_REC_CONFIG_PART);
		s->n_parts++;
	}
	free(buf);
	return ++s->seq;
}

static void sink_clear(struct sink *s)
{
	for (unsigned i = 0; i < s->n_parts; i++)
		ha_rec_clear(&s->parts[i]);
	memset(s, 0, sizeof *s);
}

/* A configuration of n users (and a group), as text. */
static char *big_config(int n, const char *tag)
{
	size_t size = 256 + (size_t)n * 128, len;
	char *t = malloc(size);

	assert_non_null(t);
	len = (size_t)snprintf(t, size, "hostname pair\nvpdn-group LNS\n accept-dialin\n"
			       "  protocol l2tp\n");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(t + len, size - len, "username %s%04d password secret-%05d-of-the-subscriber-at-the-lns\n",
					tag, i, i);
	return t;
}

static struct l2tpd *daemon_new(void)
{
	struct l2tpd *d = calloc(1, sizeof *d);

	assert_non_null(d);
	assert_int_equal(l2tpd_init(d, 1), 0);
	d->log.level = LOG_CRIT;
	return d;
}

static void daemon_free(struct l2tpd *d)
{
	l2tpd_fini(d);
	free(d);
}

struct pair {
	struct l2tpd *a, *b;
	struct sink s;
};

/* The active runs a configuration of USERS users named tag...: its parts in s. */
static void active_sends(struct pair *p, const char *tag)
{
	char err[512], *text = big_config(USERS, tag);

	sink_clear(&p->s);
	config_free(&p->a->cfg);
	config_init(&p->a->cfg);
	assert_int_equal(config_load_string(&p->a->cfg, text, err, sizeof err), 0);
	free(text);
	ha_config_changed(p->a, 0);
}

static int setup(void **state)
{
	struct pair *p = calloc(1, sizeof *p);

	assert_non_null(p);
	p->a = daemon_new();
	p->b = daemon_new();
	p->b->ha.role = HA_ROLE_STANDBY;
	ha_test_attach(p->a, sink_rec, &p->s);
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct pair *p = *state;

	sink_clear(&p->s);
	daemon_free(p->a);
	daemon_free(p->b);
	free(p);
	return 0;
}

static void expect_status(struct l2tpd *b, int mismatch, const char *why)
{
	struct ha_status st;
	char *text = NULL;

	ha_status_get(b, &st);
	assert_int_equal(st.cfg_received, 1);
	assert_int_equal(st.cfg_mismatch, mismatch);
	assert_int_equal(cli_run(b, "show l2tp redundancy", 0, &text), 0);
	if (!strstr(text, mismatch ? "Configuration: MISMATCH with the active" :
			 "Configuration: in step with the active") ||
	    (why && !strstr(text, why)))
		fail_msg("show l2tp redundancy:\n%s", text);
	free(text);
}

/* 2,000 users: parts that each fit, applied only with the last one. */
static void test_parts_applied_whole(void **state)
{
	struct pair *p = *state;
	size_t len;

	active_sends(p, "u");
	assert_int_equal(p->s.n_config, 0);		/* not one oversized record */
	assert_true(p->s.n_parts > 0);
	len = p->s.parts[0].u.config.total_len;
	assert_true(len > 2 * HA_CONFIG_PART_MAX);	/* three parts at least */
	assert_int_equal(p->s.n_parts, (len + HA_CONFIG_PART_MAX - 1) / HA_CONFIG_PART_MAX);
	assert_true(p->s.n_parts >= 2);
	assert_true(p->s.max_envelope <= ENVELOPE_MAX);
	for (unsigned i = 0; i < p->s.n_parts; i++) {
		ha_config_part_received(p->b, &p->s.parts[i].u.config);
		/* nothing applied before the last part */
		if (i + 1 < p->s.n_parts)
			assert_null(config_user_find(&p->b->cfg, "u0000"));
	}
	assert_non_null(config_user_find(&p->b->cfg, "u0000"));
	assert_non_null(config_user_find(&p->b->cfg, "u1999"));
	assert_int_equal(p->b->ha.cfg_local_digest, p->a->ha.cfg_digest);
	expect_status(p->b, 0, NULL);
	assert_null(p->b->ha.cfg_parts.buf);		/* the joined text freed */
}

/* A part lost (a link that went down in the middle): nothing applied, the
 * mismatch shown; the next whole set puts the standby in step again. */
static void test_part_lost(void **state)
{
	struct pair *p = *state;

	active_sends(p, "u");
	for (unsigned i = 0; i < p->s.n_parts; i++)
		ha_config_part_received(p->b, &p->s.parts[i].u.config);
	expect_status(p->b, 0, NULL);

	active_sends(p, "v");
	for (unsigned i = 0; i < p->s.n_parts; i++)
		if (i != 1)
			ha_config_part_received(p->b, &p->s.parts[i].u.config);
	assert_null(config_user_find(&p->b->cfg, "v0000"));
	assert_non_null(config_user_find(&p->b->cfg, "u0000"));	/* as it was */
	expect_status(p->b, 1, "came without the parts before it: not applied");

	/* the last part lost (the active gone before it): never applied, and
	 * the standby says what it holds */
	for (unsigned i = 0; i + 1 < p->s.n_parts; i++)
		ha_config_part_received(p->b, &p->s.parts[i].u.config);
	assert_null(config_user_find(&p->b->cfg, "v0000"));
	assert_non_null(config_user_find(&p->b->cfg, "u0000"));
	expect_status(p->b, 1, "incomplete");

	/* a set begun and not finished, then a new one: the new one applies */
	ha_config_part_received(p->b, &p->s.parts[0].u.config);
	for (unsigned i = 0; i < p->s.n_parts; i++)
		ha_config_part_received(p->b, &p->s.parts[i].u.config);
	assert_non_null(config_user_find(&p->b->cfg, "v1999"));
	assert_null(config_user_find(&p->b->cfg, "u0000"));
	expect_status(p->b, 0, NULL);
}

/* A part damaged on the way (its bytes, not its length): the joined text
 * is not the active's, nothing of it applied. */
static void test_part_damaged(void **state)
{
	struct pair *p = *state;
	struct ha_config_rec c;
	char *copy;

	active_sends(p, "w");
	c = p->s.parts[1].u.config;
	copy = strdup(c.text);
	assert_non_null(copy);
	copy[c.len / 2] ^= 0x01;
	c.text = copy;
	ha_config_part_received(p->b, &p->s.parts[0].u.config);
	ha_config_part_received(p->b, &c);
	for (unsigned i = 2; i < p->s.n_parts; i++)
		ha_config_part_received(p->b, &p->s.parts[i].u.config);
	assert_null(config_user_find(&p->b->cfg, "w0000"));
	expect_status(p->b, 1, "is not the one it sent");

	/* a part of another configuration of the same size (its digest
	 * differs): refused where it comes, not joined */
	memcpy(copy, p->s.parts[1].u.config.text, c.len);
	active_sends(p, "x");
	assert_int_equal(p->s.parts[1].u.config.len, c.len);
	assert_int_equal(p->s.parts[1].u.config.total_len, c.total_len);
	ha_config_part_received(p->b, &p->s.parts[0].u.config);
	ha_config_part_received(p->b, &c);
	assert_int_equal(p->b->ha.cfg_parts.next, 0);	/* dropped at once */
	for (unsigned i = 2; i < p->s.n_parts; i++)
		ha_config_part_received(p->b, &p->s.parts[i].u.config);
	free(copy);
	assert_null(config_user_find(&p->b->cfg, "x0000"));
	expect_status(p->b, 1, "came without the parts before it");
}

/* The codec refuses a part out of its set. */
static void test_part_codec(void **state)
{
	struct ha_rec r = { .type = HA_REC_CONFIG_PART };
	uint8_t buf[256];

	(void)state;
	r.u.config.text = "hostname x\n";
	r.u.config.len = strlen(r.u.config.text);
	r.u.config.total_len = 100;
	r.u.config.count = 2;
	r.u.config.index = 2;			/* of 0..1 */
	assert_int_equal(ckpt_encode(&r, 1, buf, sizeof buf), -EINVAL);
	r.u.config.index = 1;
	assert_true(ckpt_encode(&r, 1, buf, sizeof buf) > 0);
	r.u.config.count = HA_CONFIG_PARTS_MAX + 1;
	assert_int_equal(ckpt_encode(&r, 1, buf, sizeof buf), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parts_applied_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_part_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_part_damaged, setup, teardown),
		cmocka_unit_test(test_part_codec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
