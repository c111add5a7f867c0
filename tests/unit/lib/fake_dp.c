/*
 * A kernel data path played by the test (see fake_dp.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fake_dp.h"

static struct fake_dp *fake_dp_of(struct dp *dp)
{
	/* dp->ops points at the fake's own ops, its first member */
	return (struct fake_dp *)(void *)(uintptr_t)dp->ops;
}

static int fake_dp_mss_clamp(struct dp *dp, const uint16_t *mss, size_t n)
{
	struct fake_dp *f = fake_dp_of(dp);

	f->writes++;
	if (f->fail) {
		dp_set_err(dp, "nftables refused the table (the test says so)");
		return f->fail;
	}
	if (n > FAKE_DP_MSS_MAX)
		return -EINVAL;
	if (n)
		memcpy(f->mss, mss, n * sizeof(*mss));
	f->n = n;
	f->table = n > 0;
	return 0;
}

static int fake_dp_ppp_configure(struct dp *dp, uint16_t tid, uint16_t sid,
				 const struct dp_ppp_config *c)
{
	struct fake_dp *f = fake_dp_of(dp);

	f->configures++;
	f->last_mss = c->mss;
	if (f->configure_fail) {
		dp_set_err(dp, "session %u/%u: set group: refused (the test says so)", tid, sid);
		return f->configure_fail;
	}
	return 0;
}

struct fake_dp *fake_dp_attach(struct harness *h)
{
	struct fake_dp *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->ops = dp_null_ops;
	f->ops.name = "fake-kernel";
	f->ops.caps |= DP_CAP_KERNEL;
	f->ops.mss_clamp = fake_dp_mss_clamp;
	f->ops.ppp_configure = fake_dp_ppp_configure;
	h->d.dp->ops = &f->ops;
	h_at_free(h, free, f);
	return f;
}
