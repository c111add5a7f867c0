/*
 * The linux data path across a hitless restart (dp.h): the descriptors
 * that keep the kernel's sessions, PPP channels and units alive, listed by
 * the process before and adopted by the new one.  A kernel tunnel lives as
 * long as its UDP socket, which the daemon hands over itself; a session
 * with PPP as long as its PPPoL2TP socket; a channel and pppN as long as
 * their /dev/ppp descriptors (kernel-api.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/ppp-ioctl.h>
#include "kernel_glue/dp.h"
#include "common/idmap.h"
#include "kernel_glue/nl_l2tp.h"
#include "kernel_glue/ppp_chan.h"
#include "kernel_glue/pppoe_chan.h"
#include "kernel_glue/rtnl.h"
#include "kernel_glue/dp_linux_int.h"

/* One session's descriptors onto the list (those it has). */
static void dp_linux_held_put(struct dp_held *v, size_t *k, const struct dp_linux_sess *s)
{
	const struct {
		int fd;
		enum dp_held_kind kind;
	} f[] = {
		{ s->ch.pppox_fd, DP_HELD_PPPOX },
		{ s->ch.chan_fd, DP_HELD_CHAN },
		{ s->ch.unit_fd, DP_HELD_UNIT },
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].fd >= 0)
			v[(*k)++] = (struct dp_held){ s->tid, s->sid, (uint16_t)f[i].kind,
						      f[i].fd };
}

int dp_linux_held_list(struct dp *dp, struct dp_held **out, size_t *n)
{
	struct dp_linux *l = dp_linux_of(dp);
	struct dp_linux_sess *s;
	struct dp_held *v;
	size_t cap = 0, k = 0;

	cap = (size_t)dp->count.pppoe_channels * 3;
	for (size_t i = 0; i < 65536; i++)
		if (l->tunnels[i] != NULL)
			cap += l->tunnels[i]->nsessions * 3;
	v = calloc(cap ? cap : 1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < 65536; i++)
		if (l->tunnels[i] != NULL)
			LIST_FOREACH(s, &l->tunnels[i]->sessions, link)
				dp_linux_held_put(v, &k, s);
	k += dp_linux_pppoe_held(dp, v + k);
	if (k == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	*n = k;
	return 0;
}

static int dp_linux_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* What the kernel has: its L2TPv2 tunnels and sessions. */
int dp_linux_adopt_begin(struct dp *dp)
{
	struct dp_linux *l = dp_linux_of(dp);
	struct nl_l2tp_tunnel *kt = NULL;
	struct nl_l2tp_session *ks = NULL;
	size_t kn = 0, sn = 0;
	int rc;

	rc = nl_l2tp_tunnel_dump(l->nl, &kt, &kn);
	if (rc == 0)
		rc = nl_l2tp_session_dump(l->nl, &ks, &sn);
	l->k_tunnels = calloc(65536 / 8, 1);
	l->k_sessions = calloc(sn ? sn : 1, sizeof(uint32_t));
	if (rc == 0 && (l->k_tunnels == NULL || l->k_sessions == NULL))
		rc = -ENOMEM;
	for (size_t i = 0; rc == 0 && i < kn; i++)
		if (kt[i].proto_version == 2 && kt[i].conn_id <= 0xffff)
			l->k_tunnels[kt[i].conn_id / 8] |= (uint8_t)(1u << (kt[i].conn_id % 8));
	for (size_t i = 0; rc == 0 && i < sn; i++)
		if (ks[i].conn_id <= 0xffff && ks[i].session_id <= 0xffff)
			l->k_sessions[l->n_k_sessions++] = ks[i].conn_id << 16 | ks[i].session_id;
	free(kt);
	free(ks);
	if (rc < 0) {
		dp_set_err(dp, "adopting: reading the kernel's tunnels and sessions: %s",
			   strerror(-rc));
		dp_linux_adopt_end(dp);
		return rc;
	}
	qsort(l->k_sessions, l->n_k_sessions, sizeof(uint32_t), dp_linux_u32_cmp);
	return 0;
}

void dp_linux_adopt_end(struct dp *dp)
{
	struct dp_linux *l = dp_linux_of(dp);

	free(l->k_tunnels);
	free(l->k_sessions);
	l->k_tunnels = NULL;
	l->k_sessions = NULL;
	l->n_k_sessions = 0;
}

int dp_linux_kernel_has(struct dp *dp, uint16_t tid, uint16_t sid)
{
	struct dp_linux *l = dp_linux_of(dp);
	uint32_t key = (uint32_t)tid << 16 | sid;

	if (!dp_adopting(dp) || l->k_tunnels == NULL)
		return 0;
	if (sid == 0)
		return (l->k_tunnels[tid / 8] >> (tid % 8)) & 1;
	return bsearch(&key, l->k_sessions, l->n_k_sessions, sizeof(key),
		       dp_linux_u32_cmp) != NULL;
}

static void dp_linux_closefd(int fd)
{
	if (fd >= 0)
		close(fd);
}

int dp_linux_adopt_chan(struct dp *dp, struct dp_linux_sess *s, char *err, size_t errsz)
{
	int pppox = dp_adopt_take(dp, s->tid, s->sid, DP_HELD_PPPOX);
	int chan = dp_adopt_take(dp, s->tid, s->sid, DP_HELD_CHAN);
	int index = -1;

	if (pppox < 0 && chan < 0)
		return 0;
	if (pppox < 0 || chan < 0) {
		snprintf(err, errsz, "handed over without its %s", pppox < 0 ?
			 "PPPoL2TP socket" : "PPP channel");
		dp_linux_closefd(pppox);
		dp_linux_closefd(chan);
		return -EPROTO;
	}
	/* The socket is the session's and still has its channel. */
	if (ioctl(pppox, PPPIOCGCHAN, &index) < 0) {
		int rc = -errno;

		snprintf(err, errsz, "PPPIOCGCHAN on the PPPoL2TP socket handed over: %s",
			 strerror(errno));
		close(pppox);
		close(chan);
		return rc;
	}
	s->ch.pppox_fd = pppox;
	s->ch.chan_fd = chan;
	s->ch.chan_index = index;
	return 1;
}

/* The unit fd handed over (taken already, or -1: 0) into c and *ifindex:
 * 1, or a negative errno (fd closed). */
static int dp_linux_adopt_unit_fd(struct dp *dp, int fd, struct ppp_chan *c, int *ifindex,
				  const char *ifname, char *err, size_t errsz)
{
	struct dp_linux *l = dp_linux_of(dp);
	int unit = -1, rc;

	if (fd < 0)
		return 0;
	if (ioctl(fd, PPPIOCGUNIT, &unit) < 0) {
		rc = -errno;
		snprintf(err, errsz, "PPPIOCGUNIT on the unit handed over: %s", strerror(errno));
		close(fd);
		return rc;
	}
	/* The name it was given (a rename is the operator's), else the kernel's. */
	if (ifname != NULL && ifname[0] != '\0')
		snprintf(c->ifname, sizeof(c->ifname), "%s", ifname);
	else
		snprintf(c->ifname, sizeof(c->ifname), "ppp%d", unit);
	rc = rtnl_ctx_ifindex(l->rt, c->ifname, err, errsz);
	if (rc < 0) {
		close(fd);
		c->ifname[0] = '\0';
		return rc;
	}
	c->unit_fd = fd;
	c->unit = unit;
	*ifindex = rc;
	return 1;
}

int dp_linux_adopt_unit(struct dp *dp, struct dp_linux_sess *s, const char *ifname, char *err,
			size_t errsz)
{
	return dp_linux_adopt_unit_fd(dp, dp_adopt_take(dp, s->tid, s->sid, DP_HELD_UNIT), &s->ch,
				      &s->ifindex, ifname, err, errsz);
}

int dp_linux_pppoe_adopt_unit(struct dp *dp, struct dp_linux_pppoe *pe, const char *ifname,
			      char *err, size_t errsz)
{
	return dp_linux_adopt_unit_fd(dp, dp_adopt_take(dp, 0, pe->sid, DP_HELD_PPPOE_UNIT),
				      &pe->ch.pc, &pe->ifindex, ifname, err, errsz);
}

int dp_linux_pppoe_adopt(struct dp *dp, uint16_t sid, struct pppoe_chan *ch, char *err,
			 size_t errsz)
{
	int sock = dp_adopt_take(dp, 0, sid, DP_HELD_PPPOE_SOCK);
	int chan = dp_adopt_take(dp, 0, sid, DP_HELD_PPPOE_CHAN);
	int index;

	if (sock < 0 && chan < 0)
		return 0;
	if (sock < 0 || chan < 0) {
		snprintf(err, errsz, "handed over without its %s", sock < 0 ?
			 "PPPoE socket" : "PPP channel");
		dp_linux_closefd(sock);
		dp_linux_closefd(chan);
		return -EPROTO;
	}
	/* The socket is still connected to its session and has its channel. */
	index = pppoe_chan_index(sock);
	if (index < 0) {
		snprintf(err, errsz, "PPPIOCGCHAN on the PPPoE socket handed over: %s",
			 strerror(-index));
		close(sock);
		close(chan);
		return index;
	}
	pppoe_chan_init(ch);
	ch->pc.pppox_fd = sock;
	ch->pc.chan_fd = chan;
	ch->pc.chan_index = index;
	return 1;
}
