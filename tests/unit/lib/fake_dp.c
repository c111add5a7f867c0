/*
 * A kernel data path played by the test (see fake_dp.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
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

static void fake_dp_log(struct fake_dp *f, const char *what, uint16_t sid, int rc)
{
	size_t n = strlen(f->log);

	snprintf(f->log + n, sizeof(f->log) - n, "%s%s %u ", what, rc < 0 ? "!" : "", sid);
}

static struct fake_dp_pppoe *fake_dp_find(struct fake_dp *f, uint16_t sid)
{
	for (size_t i = 0; i < sizeof(f->pppoe) / sizeof(f->pppoe[0]); i++)
		if (f->pppoe[i].sid == sid)
			return &f->pppoe[i];
	return NULL;
}

static void fake_dp_close_pair(int p[2])
{
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0)
			close(p[i]);
	p[0] = p[1] = -1;
}

static int fake_dp_pair(int p[2])
{
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, p) < 0 ?
	       -errno : 0;
}

static int fake_dp_pppoe_open(struct dp *dp, const struct dp_pppoe_params *p, int *chan_fd)
{
	struct fake_dp *f = fake_dp_of(dp);
	struct fake_dp_pppoe *e = fake_dp_find(f, 0);
	int rc = f->pppoe_fail;

	f->pppoe_fail = 0;
	if (rc == 0 && (fake_dp_find(f, p->sid) != NULL || e == NULL))
		rc = -EBUSY;
	if (rc == 0)
		rc = fake_dp_pair(e->chan);
	fake_dp_log(f, "open", p->sid, rc);
	if (rc < 0) {
		dp->count.errors++;
		dp_set_err(dp, "PPPoE session %u: PPPoE connect: %s (the test says so)", p->sid,
			   strerror(-rc));
		return rc;
	}
	e->sid = p->sid;
	e->unit[0] = e->unit[1] = -1;
	*chan_fd = e->chan[0];
	dp->count.pppoe_open++;
	dp->count.pppoe_channels++;
	return 0;
}

static int fake_dp_pppoe_unit_open(struct dp *dp, uint16_t sid, const char *ifname,
				   struct dp_ppp *out)
{
	struct fake_dp *f = fake_dp_of(dp);
	struct fake_dp_pppoe *e = fake_dp_find(f, sid);
	int rc = f->unit_fail;

	f->unit_fail = 0;
	if (rc == 0 && (e == NULL || e->unit[0] >= 0))
		rc = e == NULL ? -ENOENT : -EBUSY;
	if (rc == 0)
		rc = fake_dp_pair(e->unit);
	fake_dp_log(f, "unit", sid, rc);
	if (rc < 0) {
		dp->count.errors++;
		dp_set_err(dp, "PPPoE session %u: PPP unit: %s (the test says so)", sid,
			   strerror(-rc));
		return rc;
	}
	out->chan_fd = e->chan[0];
	out->unit_fd = e->unit[0];
	out->unit = 40 + (int)(e - f->pppoe);
	out->ifindex = 100 + out->unit;
	if (ifname != NULL && ifname[0] != '\0')
		snprintf(out->ifname, sizeof(out->ifname), "%s", ifname);
	else
		snprintf(out->ifname, sizeof(out->ifname), "ppp%d", out->unit);
	dp->count.ppp_unit_open++;
	dp->count.ppp_units++;
	return 0;
}

static int fake_dp_pppoe_configure(struct dp *dp, uint16_t sid, const struct dp_ppp_config *c)
{
	struct fake_dp *f = fake_dp_of(dp);
	struct fake_dp_pppoe *e = fake_dp_find(f, sid);
	int rc = f->pppoe_configure_fail;

	f->pppoe_configure_fail = 0;
	if (rc == 0 && (e == NULL || e->unit[0] < 0))
		rc = -ENOTCONN;
	fake_dp_log(f, "configure", sid, rc);
	if (rc < 0) {
		dp->count.errors++;
		dp_set_err(dp, "PPPoE session %u: PPP configure: %s (the test says so)", sid,
			   strerror(-rc));
		return rc;
	}
	f->pppoe_cfg = *c;
	return 0;
}

static int fake_dp_pppoe_close(struct dp *dp, uint16_t sid)
{
	struct fake_dp *f = fake_dp_of(dp);
	struct fake_dp_pppoe *e = fake_dp_find(f, sid);

	fake_dp_log(f, "close", sid, e == NULL ? -ENOENT : 0);
	if (e == NULL)
		return -ENOENT;
	if (e->unit[0] >= 0)
		dp->count.ppp_units--;
	fake_dp_close_pair(e->unit);
	fake_dp_close_pair(e->chan);
	e->sid = 0;
	dp->count.pppoe_channels--;
	dp->count.pppoe_close++;
	return 0;
}

int fake_dp_sub_fd(const struct fake_dp *f, uint16_t sid, int unit)
{
	for (size_t i = 0; i < sizeof(f->pppoe) / sizeof(f->pppoe[0]); i++)
		if (f->pppoe[i].sid == sid && sid != 0)
			return unit ? f->pppoe[i].unit[1] : f->pppoe[i].chan[1];
	return -1;
}

/* What the daemon left open when the harness goes. */
static void fake_dp_free(void *arg)
{
	struct fake_dp *f = arg;

	for (size_t i = 0; i < sizeof(f->pppoe) / sizeof(f->pppoe[0]); i++) {
		fake_dp_close_pair(f->pppoe[i].unit);
		fake_dp_close_pair(f->pppoe[i].chan);
	}
	free(f);
}

void fake_dp_pppoe(struct fake_dp *f)
{
	f->ops.caps |= DP_CAP_BRIDGE;
	f->ops.pppoe_open = fake_dp_pppoe_open;
	f->ops.pppoe_unit_open = fake_dp_pppoe_unit_open;
	f->ops.pppoe_configure = fake_dp_pppoe_configure;
	f->ops.pppoe_close = fake_dp_pppoe_close;
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
	for (size_t i = 0; i < sizeof(f->pppoe) / sizeof(f->pppoe[0]); i++)
		f->pppoe[i].chan[0] = f->pppoe[i].chan[1] = f->pppoe[i].unit[0] =
			f->pppoe[i].unit[1] = -1;
	h->d.dp->ops = &f->ops;
	h_at_free(h, fake_dp_free, f);
	return f;
}
