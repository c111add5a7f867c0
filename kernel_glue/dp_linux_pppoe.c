/*
 * The linux data path's PPPoE sessions and their switching into L2TP
 * sessions with PPPIOCBRIDGECHAN (kernel_glue/dp.h, kernel-api.md).
 *
 * A session terminated here (not switched) gets a unit pppN on its
 * channel instead of a bridge, as an LNS session's PPPoL2TP channel does.
 *
 * One record per PPPoE session the kernel holds for us; a bridged pair is
 * linked both ways (the record names its L2TP session, the L2TP session's
 * record names it), so that whichever side ends first unlinks the pair.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common/idmap.h"
#include "kernel_glue/dp_linux_int.h"
#include "kernel_glue/pppoe_chan.h"
#include "kernel_glue/rtnl.h"

static struct dp_linux_pppoe *dp_linux_pppoe(struct dp *dp, uint16_t sid)
{
	return idmap_get(dp_linux_of(dp)->pppoe, sid);
}

static int dp_linux_pppoe_fail(struct dp *dp, int rc, const char *what, uint16_t sid,
			       const char *detail)
{
	dp->count.errors++;
	dp_set_err(dp, "PPPoE session %u: %s%s%s", sid, what, detail && detail[0] ? ": " : "",
		   detail ? detail : "");
	return rc;
}

int dp_linux_pppoe_open(struct dp *dp, const struct dp_pppoe_params *p, int *chan_fd)
{
	struct dp_linux_pppoe *pe;
	char err[160];
	int rc;

	if (dp_linux_pppoe(dp, p->sid) != NULL)
		return dp_linux_pppoe_fail(dp, -EBUSY, "PPPoE socket", p->sid, "already open");
	pe = calloc(1, sizeof(*pe));
	if (pe == NULL)
		return -ENOMEM;
	pe->sid = p->sid;
	rc = dp_linux_pppoe_adopt(dp, p->sid, &pe->ch, err, sizeof(err));
	if (rc == 1)
		pe->adopted = 1;
	else if (rc == 0)
		rc = pppoe_chan_open(&pe->ch, p->sid, p->peer_mac, p->ifname, err, sizeof(err));
	if (rc > 0)
		rc = 0;
	if (rc == 0 && idmap_put(dp_linux_of(dp)->pppoe, p->sid, pe) < 0) {
		pppoe_chan_close(&pe->ch);
		snprintf(err, sizeof(err), "out of memory");
		rc = -ENOMEM;
	}
	if (rc < 0) {
		free(pe);
		return dp_linux_pppoe_fail(dp, rc, "PPPoE socket", p->sid, err);
	}
	*chan_fd = pe->ch.pc.chan_fd;
	dp->count.pppoe_open++;
	dp->count.pppoe_channels++;
	return 0;
}

/* The bridge the process before made, as it is in the kernel: the call's
 * PPPoL2TP socket handed over (its channel the one bridged). */
static int dp_linux_pppoe_bridge_adopt(struct dp *dp, struct dp_linux_pppoe *pe,
				       struct dp_linux_sess *s)
{
	int fd = dp_adopt_take(dp, s->tid, s->sid, DP_HELD_PPPOX);
	int idx = fd >= 0 ? pppoe_chan_index(fd) : -ENOENT;

	if (idx < 0) {
		if (fd >= 0)
			close(fd);
		return dp_linux_fail(dp, idx, "channel bridge", s->tid, s->sid, idx == -ENOENT ?
				     "its PPPoL2TP socket was not handed over" :
				     "PPPIOCGCHAN on the PPPoL2TP socket handed over");
	}
	s->ch.pppox_fd = fd;
	s->ch.chan_index = idx;
	s->bridge = 1;
	s->pppoe_sid = pe->sid;
	pe->ch.bridged = 1;
	pe->tid = s->tid;
	pe->l2tp_sid = s->sid;
	dp->count.bridge_open++;
	dp->count.bridges++;
	return 0;
}

int dp_linux_pppoe_bridge(struct dp *dp, uint16_t pppoe_sid, const struct dp_ppp_params *p)
{
	struct dp_linux_pppoe *pe = dp_linux_pppoe(dp, pppoe_sid);
	struct dp_linux_sess *s = dp_linux_sess(dp, p->tunnel_id, p->session_id);
	struct ppp_chan_addr a = {
		.tunnel_id = p->tunnel_id, .session_id = p->session_id,
		.peer_tunnel_id = p->peer_tunnel_id, .peer_session_id = p->peer_session_id,
		.peer_addr = p->peer_addr, .peer_port = p->peer_port,
	};
	char err[160];
	int fd, idx, rc;

	if (pe == NULL)
		return dp_linux_pppoe_fail(dp, -ENOENT, "channel bridge", pppoe_sid,
					   "no such PPPoE session");
	if (s == NULL)
		return dp_linux_fail(dp, -ENOENT, "channel bridge", p->tunnel_id, p->session_id,
				     "no such session");
	if (s->ch.pppox_fd >= 0 || pe->tid != 0 || pe->ch.pc.unit_fd >= 0)
		return dp_linux_fail(dp, -EBUSY, "channel bridge", p->tunnel_id, p->session_id,
				     "PPP or a bridge open already");
	if (pe->adopted && s->adopted && dp_adopting(dp))
		return dp_linux_pppoe_bridge_adopt(dp, pe, s);
	fd = ppp_chan_socket_open(&a, err, sizeof(err));
	if (fd < 0)
		return dp_linux_fail(dp, fd, "channel bridge", p->tunnel_id, p->session_id, err);
	idx = pppoe_chan_index(fd);
	rc = idx < 0 ? idx : pppoe_chan_bridge(&pe->ch, idx, err, sizeof(err));
	if (idx < 0)
		snprintf(err, sizeof(err), "PPPIOCGCHAN: %s", strerror(-idx));
	if (rc < 0) {
		close(fd);
		dp->count.bridge_refused++;
		return dp_linux_fail(dp, rc, "channel bridge", p->tunnel_id, p->session_id, err);
	}
	s->ch.pppox_fd = fd;
	s->ch.chan_index = idx;
	s->bridge = 1;
	s->pppoe_sid = pppoe_sid;
	pe->tid = p->tunnel_id;
	pe->l2tp_sid = p->session_id;
	dp->count.bridge_open++;
	dp->count.bridges++;
	return 0;
}

void dp_linux_bridge_gone(struct dp *dp, struct dp_linux_sess *s)
{
	struct dp_linux_pppoe *pe;

	if (s->bridge != 1)
		return;
	pe = dp_linux_pppoe(dp, s->pppoe_sid);
	if (pe != NULL && pe->tid == s->tid && pe->l2tp_sid == s->sid) {
		pe->tid = pe->l2tp_sid = 0;
		pe->ch.bridged = 0;	/* the channel's end undoes it in the kernel */
	}
	s->bridge = 2;
	dp->count.bridges--;
}

/* Unlink pe from its L2TP session (the PPPoE side ends first). */
static void dp_linux_pppoe_unlink(struct dp *dp, struct dp_linux_pppoe *pe)
{
	struct dp_linux_sess *s;

	if (pe->tid == 0)
		return;
	s = dp_linux_sess(dp, pe->tid, pe->l2tp_sid);
	if (s != NULL && s->bridge == 1 && s->pppoe_sid == pe->sid)
		s->bridge = 2;	/* its socket stays until the session goes */
	pe->tid = pe->l2tp_sid = 0;
	dp->count.bridges--;
}

/* The PPPoE session open and the unit of a session terminated here. */
static struct dp_linux_pppoe *dp_linux_pppoe_unit(struct dp *dp, uint16_t sid, const char *what,
						  int want_unit, int *rc)
{
	struct dp_linux_pppoe *pe = dp_linux_pppoe(dp, sid);

	*rc = 0;
	if (pe == NULL)
		*rc = dp_linux_pppoe_fail(dp, -ENOENT, what, sid, "not open");
	else if (want_unit && pe->ch.pc.unit_fd < 0)
		*rc = dp_linux_pppoe_fail(dp, -ENOTCONN, what, sid, "no PPP unit");
	else if (!want_unit && (pe->ch.pc.unit_fd >= 0 || pe->tid != 0 || pe->ch.bridged))
		*rc = dp_linux_pppoe_fail(dp, -EBUSY, what, sid, "a unit or a bridge exists");
	return *rc ? NULL : pe;
}

int dp_linux_pppoe_unit_open(struct dp *dp, uint16_t sid, const char *ifname,
			     struct dp_ppp *out)
{
	struct dp_linux *l = dp_linux_of(dp);
	struct dp_linux_pppoe *pe;
	char err[160];
	int rc;

	pe = dp_linux_pppoe_unit(dp, sid, "PPP unit", 0, &rc);
	if (pe == NULL)
		return rc;
	/* a restart: pppN as the process before left it, connected */
	rc = pe->adopted ? dp_linux_pppoe_adopt_unit(dp, pe, ifname, err, sizeof(err)) : 0;
	if (rc < 0)
		return dp_linux_pppoe_fail(dp, rc, "PPP unit", sid, err);
	if (rc == 0) {
		rc = ppp_chan_unit_open(&pe->ch.pc, ifname, l->route, err, sizeof(err));
		if (rc < 0)
			return dp_linux_pppoe_fail(dp, rc, "PPP unit", sid, err);
		rc = ppp_chan_ifindex(pe->ch.pc.ifname, err, sizeof(err));
		if (rc < 0) {
			ppp_chan_unit_close(&pe->ch.pc);
			return dp_linux_pppoe_fail(dp, rc, "PPP unit", sid, err);
		}
		pe->ifindex = rc;
	}
	out->chan_fd = pe->ch.pc.chan_fd;
	out->unit_fd = pe->ch.pc.unit_fd;
	out->unit = pe->ch.pc.unit;
	out->ifindex = pe->ifindex;
	snprintf(out->ifname, sizeof(out->ifname), "%s", pe->ch.pc.ifname);
	dp->count.ppp_unit_open++;
	dp->count.ppp_units++;
	return 0;
}

int dp_linux_pppoe_configure(struct dp *dp, uint16_t sid, const struct dp_ppp_config *c)
{
	struct dp_linux_pppoe *pe;
	char err[160] = "";
	int rc;

	pe = dp_linux_pppoe_unit(dp, sid, "PPP configure", 1, &rc);
	if (pe == NULL)
		return rc;
	rc = dp_linux_link_configure(dp, &pe->ch.pc, pe->ifindex, c, err, sizeof(err));
	if (rc < 0)
		return dp_linux_pppoe_fail(dp, rc, "PPP configure", sid, err);
	return 0;
}

static void dp_linux_pppoe_free(struct dp *dp, struct dp_linux_pppoe *pe)
{
	if (pe->adopted && dp_adopting(dp))
		pe->ch.bridged = 0;	/* only forgotten: the process before's bridge stays */
	dp_linux_pppoe_unlink(dp, pe);
	if (pe->ch.pc.unit_fd >= 0)
		dp->count.ppp_units--;	/* pppN goes with the unit's fd */
	pppoe_chan_close(&pe->ch);	/* PPPIOCUNBRIDGECHAN first if bridged */
	idmap_del(dp_linux_of(dp)->pppoe, pe->sid);
	free(pe);
	dp->count.pppoe_channels--;
	dp->count.pppoe_close++;
}

int dp_linux_pppoe_close(struct dp *dp, uint16_t pppoe_sid)
{
	struct dp_linux_pppoe *pe = dp_linux_pppoe(dp, pppoe_sid);

	if (pe == NULL) {
		dp_set_err(dp, "PPPoE session %u: not open", pppoe_sid);
		return -ENOENT;
	}
	dp_linux_pppoe_free(dp, pe);
	return 0;
}

void dp_linux_pppoe_destroy(struct dp *dp)
{
	struct dp_linux *l = dp_linux_of(dp);
	struct dp_linux_pppoe *pe;

	if (l->pppoe == NULL)
		return;
	for (unsigned sid = 1; sid < 0xffff; sid++)
		if ((pe = idmap_get(l->pppoe, (uint16_t)sid)) != NULL)
			dp_linux_pppoe_free(dp, pe);
	idmap_destroy(l->pppoe);
	l->pppoe = NULL;
}

size_t dp_linux_pppoe_held(struct dp *dp, struct dp_held *v)
{
	struct dp_linux *l = dp_linux_of(dp);
	const struct dp_linux_pppoe *pe;
	size_t k = 0;

	if (l->pppoe == NULL)
		return 0;
	for (unsigned sid = 1; sid < 0xffff; sid++) {
		pe = idmap_get(l->pppoe, (uint16_t)sid);
		if (pe == NULL || pe->ch.pc.pppox_fd < 0 || pe->ch.pc.chan_fd < 0)
			continue;
		v[k++] = (struct dp_held){ 0, pe->sid, DP_HELD_PPPOE_SOCK, pe->ch.pc.pppox_fd };
		v[k++] = (struct dp_held){ 0, pe->sid, DP_HELD_PPPOE_CHAN, pe->ch.pc.chan_fd };
		if (pe->ch.pc.unit_fd >= 0)
			v[k++] = (struct dp_held){ 0, pe->sid, DP_HELD_PPPOE_UNIT,
						   pe->ch.pc.unit_fd };
	}
	return k;
}
