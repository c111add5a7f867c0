/*
 * Data-path front end: picks a backend and forwards calls to it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel_glue/dp.h"
#include "kernel_glue/ppp_chan.h"

static void dp_adopt_close(struct dp *dp);

/* Pick the ops for `name`; note says why, err why not. */
static int dp_pick(const char *name, const struct dp_ops **ops, char *note, size_t notesz,
		   char *err, size_t errsz)
{
	char why[160] = "";
	int rc;

	if (name == NULL || strcmp(name, "null") == 0) {
		*ops = &dp_null_ops;
		snprintf(note, notesz, "null backend: no kernel objects; PPP is carried in user "
			 "space, IP is counted and dropped");
		return 0;
	}
	if (strcmp(name, "linux") == 0) {
		rc = dp_linux_probe(why, sizeof(why));
		if (rc < 0) {
			snprintf(err, errsz, "linux data path unavailable: %s", why);
			return rc;
		}
		*ops = &dp_linux_ops;
		snprintf(note, notesz, "linux backend: kernel L2TP/PPP");
		return 0;
	}
	if (strcmp(name, "auto") == 0) {
		rc = dp_linux_probe(why, sizeof(why));
		if (rc == 0) {
			*ops = &dp_linux_ops;
			snprintf(note, notesz, "auto: linux backend (kernel L2TP/PPP present)");
		} else {
			*ops = &dp_null_ops;
			snprintf(note, notesz, "auto: null backend, the kernel lacks L2TP/PPP: %s",
				 why);
		}
		return 0;
	}
	snprintf(err, errsz, "unknown data-path backend '%s' (known: null, linux, auto)", name);
	return -EINVAL;
}

int dp_create(const char *name, struct dp **out, char *err, size_t errsz)
{
	const struct dp_ops *ops = NULL;
	char note[sizeof(((struct dp *)0)->note)] = "";
	struct dp *dp;
	int rc;

	*out = NULL;
	rc = dp_pick(name, &ops, note, sizeof(note), err, errsz);
	if (rc < 0)
		return rc;
	dp = calloc(1, sizeof(*dp));
	if (dp == NULL) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	dp->ops = ops;
	snprintf(dp->note, sizeof(dp->note), "%s", note);
	if (ops->init) {
		rc = ops->init(dp, err, errsz);
		if (rc < 0) {
			free(dp);
			return rc;
		}
	}
	snprintf(err, errsz, "%s", dp->note);
	*out = dp;
	return 0;
}

void dp_destroy(struct dp *dp)
{
	if (dp == NULL)
		return;
	if (dp->ops->destroy)
		dp->ops->destroy(dp);	/* while adopting: forgets what it adopted */
	dp_adopt_close(dp);
	free(dp);
}

int dp_can(const struct dp *dp, unsigned caps)
{
	return dp != NULL && (dp->ops->caps & caps) == caps;
}

void dp_set_err(struct dp *dp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dp->err, sizeof(dp->err), fmt, ap);
	va_end(ap);
}

/* An optional op a backend lacks. */
static int dp_unsupported(struct dp *dp, const char *what)
{
	dp_set_err(dp, "%s: not supported by the %s backend", what, dp->ops->name);
	return -EOPNOTSUPP;
}

int dp_tunnel_create(struct dp *dp, const struct dp_tunnel_params *p)
{
	return dp->ops->tunnel_create(dp, p);
}

int dp_tunnel_delete(struct dp *dp, uint16_t tunnel_id)
{
	return dp->ops->tunnel_delete(dp, tunnel_id);
}

int dp_session_create(struct dp *dp, const struct dp_session_params *p)
{
	return dp->ops->session_create(dp, p);
}

int dp_session_delete(struct dp *dp, uint16_t tunnel_id, uint16_t session_id)
{
	return dp->ops->session_delete(dp, tunnel_id, session_id);
}

int dp_session_stats(struct dp *dp, uint16_t tunnel_id, uint16_t session_id, struct dp_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (dp->ops->session_stats == NULL)
		return -EOPNOTSUPP;
	return dp->ops->session_stats(dp, tunnel_id, session_id, st);
}

int dp_session_modify(struct dp *dp, const struct dp_session_params *p)
{
	if (dp->ops->session_modify == NULL)
		return dp_unsupported(dp, "session modify");
	return dp->ops->session_modify(dp, p);
}

static void dp_ppp_clear(struct dp_ppp *pp)
{
	memset(pp, 0, sizeof(*pp));
	pp->chan_fd = pp->unit_fd = pp->unit = -1;
}

int dp_ppp_open(struct dp *dp, const struct dp_ppp_params *p, struct dp_ppp *out)
{
	dp_ppp_clear(out);
	if (dp->ops->ppp_open == NULL)
		return dp_unsupported(dp, "PPP channel");
	return dp->ops->ppp_open(dp, p, out);
}

int dp_ppp_socket_open(struct dp *dp, const struct dp_ppp_params *p)
{
	if (dp->ops->ppp_socket_open == NULL)
		return dp_unsupported(dp, "PPPoL2TP socket");
	return dp->ops->ppp_socket_open(dp, p);
}

int dp_pppoe_open(struct dp *dp, const struct dp_pppoe_params *p, int *chan_fd)
{
	*chan_fd = -1;
	if (dp->ops->pppoe_open == NULL)
		return dp_unsupported(dp, "PPPoE session");
	if (p->sid == 0 || p->sid == 0xffff || memchr(p->ifname, 0, sizeof(p->ifname)) == NULL ||
	    p->ifname[0] == '\0') {
		dp_set_err(dp, "PPPoE session %u: bad session ID or interface name", p->sid);
		return -EINVAL;
	}
	return dp->ops->pppoe_open(dp, p, chan_fd);
}

int dp_pppoe_bridge(struct dp *dp, uint16_t pppoe_sid, const struct dp_ppp_params *l2tp)
{
	if (dp->ops->pppoe_bridge == NULL)
		return dp_unsupported(dp, "channel bridge");
	return dp->ops->pppoe_bridge(dp, pppoe_sid, l2tp);
}

int dp_pppoe_unit_open(struct dp *dp, uint16_t pppoe_sid, const char *ifname,
		       struct dp_ppp *out)
{
	if (dp->ops->pppoe_unit_open == NULL)
		return dp_unsupported(dp, "PPP unit of a PPPoE session");
	if (ifname != NULL && strlen(ifname) >= sizeof(out->ifname)) {
		dp_set_err(dp, "PPPoE session %u: interface name '%s' too long", pppoe_sid,
			   ifname);
		return -EINVAL;
	}
	return dp->ops->pppoe_unit_open(dp, pppoe_sid, ifname, out);
}

int dp_pppoe_configure(struct dp *dp, uint16_t pppoe_sid, const struct dp_ppp_config *c)
{
	if (dp->ops->pppoe_configure == NULL)
		return dp_unsupported(dp, "PPP unit configuration of a PPPoE session");
	if ((c->local == 0) != (c->peer == 0)) {
		dp_set_err(dp, "PPPoE session %u: an address needs both ends", pppoe_sid);
		return -EINVAL;
	}
	return dp->ops->pppoe_configure(dp, pppoe_sid, c);
}

int dp_pppoe_close(struct dp *dp, uint16_t pppoe_sid)
{
	if (dp->ops->pppoe_close == NULL)
		return dp_unsupported(dp, "PPPoE session");
	return dp->ops->pppoe_close(dp, pppoe_sid);
}

int dp_mss_clamp(struct dp *dp, const uint16_t *mss, size_t n)
{
	int rc;

	if (dp->ops->mss_clamp == NULL)
		return dp_unsupported(dp, "TCP MSS clamping in the kernel");
	if (n && mss == NULL)
		return -EINVAL;
	rc = dp->ops->mss_clamp(dp, mss, n);
	if (rc < 0) {
		dp->count.mss_table_failed++;
		return rc;
	}
	dp->count.mss_table_set++;
	dp->count.mss_values = n;
	return 0;
}

int dp_ppp_unit_open(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
		     const char *ifname, struct dp_ppp *out)
{
	if (dp->ops->ppp_unit_open == NULL)
		return dp_unsupported(dp, "PPP unit");
	if (ifname != NULL && strlen(ifname) >= sizeof(out->ifname)) {
		dp_set_err(dp, "session %u/%u: interface name '%s' too long", tunnel_id,
			   session_id, ifname);
		return -EINVAL;
	}
	return dp->ops->ppp_unit_open(dp, tunnel_id, session_id, ifname, out);
}

int dp_ppp_configure(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
		     const struct dp_ppp_config *c)
{
	if (dp->ops->ppp_configure == NULL)
		return dp_unsupported(dp, "PPP unit configuration");
	if ((c->local == 0) != (c->peer == 0)) {
		dp_set_err(dp, "session %u/%u: an address needs both ends", tunnel_id,
			   session_id);
		return -EINVAL;
	}
	return dp->ops->ppp_configure(dp, tunnel_id, session_id, c);
}

int dp_route_add(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
		 uint32_t dst, unsigned int plen)
{
	if (dp->ops->route_add == NULL)
		return dp_unsupported(dp, "routes");
	if (plen > 32)
		return -EINVAL;
	return dp->ops->route_add(dp, tunnel_id, session_id, dst, plen);
}

int dp_route_del(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
		 uint32_t dst, unsigned int plen)
{
	if (dp->ops->route_del == NULL)
		return dp_unsupported(dp, "routes");
	if (plen > 32)
		return -EINVAL;
	return dp->ops->route_del(dp, tunnel_id, session_id, dst, plen);
}

int dp_route6_add(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
		  const struct dp_route6 *r)
{
	if (dp->ops->route6_add == NULL)
		return dp_unsupported(dp, "IPv6 routes");
	if (r->plen > 128)
		return -EINVAL;
	return dp->ops->route6_add(dp, tunnel_id, session_id, r);
}

int dp_route6_del(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
		  const struct dp_route6 *r)
{
	if (dp->ops->route6_del == NULL)
		return dp_unsupported(dp, "IPv6 routes");
	if (r->plen > 128)
		return -EINVAL;
	return dp->ops->route6_del(dp, tunnel_id, session_id, r);
}

int dp_ppp_close(struct dp *dp, uint16_t tunnel_id, uint16_t session_id)
{
	if (dp->ops->ppp_close == NULL)
		return dp_unsupported(dp, "PPP close");
	return dp->ops->ppp_close(dp, tunnel_id, session_id);
}

int dp_tunnel_dump(struct dp *dp, struct dp_tunnel_info **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (dp->ops->tunnel_dump == NULL)
		return dp_unsupported(dp, "tunnel dump");
	return dp->ops->tunnel_dump(dp, out, n);
}

int dp_session_dump(struct dp *dp, uint16_t tunnel_id, struct dp_session_info **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (dp->ops->session_dump == NULL)
		return dp_unsupported(dp, "session dump");
	return dp->ops->session_dump(dp, tunnel_id, out, n);
}

ssize_t dp_ppp_read(int fd, uint16_t *proto, uint8_t *buf, size_t size)
{
	if (fd < 0)
		return -ENOTCONN;
	return ppp_chan_read(fd, proto, buf, size);
}

int dp_ppp_write(const struct dp_ppp *pp, uint16_t proto, const uint8_t *payload, size_t len)
{
	int fd = proto >= 0xc000 || pp->unit_fd < 0 ? pp->chan_fd : pp->unit_fd;

	if (fd < 0)
		return -ENOTCONN;
	return ppp_chan_write(fd, proto, payload, len);
}

/* ---- the hitless restart ------------------------------------------------------ */

int dp_held_list(struct dp *dp, struct dp_held **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (dp->ops->held_list != NULL)
		return dp->ops->held_list(dp, out, n);
	if (dp_can(dp, DP_CAP_KERNEL))
		return dp_unsupported(dp, "handing kernel objects over");
	return 0;	/* no kernel object: nothing keeps one alive */
}

/* By session, then kind (the order dp_adopt_take looks them up in). */
static int dp_held_cmp(const void *a, const void *b)
{
	const struct dp_held *x = a, *y = b;
	uint64_t kx = (uint64_t)x->tunnel_id << 32 | (uint64_t)x->session_id << 16 | x->kind;
	uint64_t ky = (uint64_t)y->tunnel_id << 32 | (uint64_t)y->session_id << 16 | y->kind;

	return kx < ky ? -1 : kx > ky;
}

static void dp_adopt_close(struct dp *dp)
{
	for (size_t i = 0; i < dp->adopt.n; i++)
		if (dp->adopt.held[i].fd >= 0) {
			close(dp->adopt.held[i].fd);
			dp->adopt.held[i].fd = -1;
			dp->adopt.count.closed++;
		}
	free(dp->adopt.held);
	dp->adopt.held = NULL;
	dp->adopt.n = 0;
}

int dp_adopt_begin(struct dp *dp, const struct dp_held *held, size_t n)
{
	int rc;

	if (dp->adopt.active) {
		dp_set_err(dp, "adopting already");
		for (size_t i = 0; i < n; i++)
			close(held[i].fd);
		return -EBUSY;
	}
	memset(&dp->adopt, 0, sizeof(dp->adopt));
	if (n > 0) {
		dp->adopt.held = malloc(n * sizeof(*held));
		if (dp->adopt.held == NULL) {
			for (size_t i = 0; i < n; i++)
				close(held[i].fd);
			return -ENOMEM;
		}
		memcpy(dp->adopt.held, held, n * sizeof(*held));
		qsort(dp->adopt.held, n, sizeof(*held), dp_held_cmp);
	}
	dp->adopt.n = n;
	dp->adopt.count.fds = n;
	dp->adopt.active = 1;
	rc = dp->ops->adopt_begin != NULL ? dp->ops->adopt_begin(dp) : 0;
	if (rc < 0) {
		dp_adopt_close(dp);
		dp->adopt.active = 0;
	}
	return rc;
}

int dp_adopt_take(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
		  enum dp_held_kind kind)
{
	struct dp_held key = { tunnel_id, session_id, (uint16_t)kind, -1 }, *h;
	int fd;

	if (!dp->adopt.active || dp->adopt.n == 0)
		return -1;
	h = bsearch(&key, dp->adopt.held, dp->adopt.n, sizeof(key), dp_held_cmp);
	if (h == NULL || h->fd < 0)
		return -1;
	fd = h->fd;
	h->fd = -1;
	dp->adopt.count.taken++;
	return fd;
}

void dp_adopt_end(struct dp *dp, struct dp_adopt_counts *counts)
{
	if (dp->adopt.active && dp->ops->adopt_end != NULL)
		dp->ops->adopt_end(dp);
	dp_adopt_close(dp);
	dp->adopt.active = 0;
	if (counts != NULL)
		*counts = dp->adopt.count;
}

int dp_adopting(const struct dp *dp)
{
	return dp != NULL && dp->adopt.active;
}
