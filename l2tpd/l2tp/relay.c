/*
 * LAC: calls relayed for the access side (see l2tp/relay.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel_glue/dp.h"
#include "l2tpd.h"
#include "l2tp/relay.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

/* A tunnel of g's this call may join: ours (LAC), not going, with room. */
static struct l2tp_tunnel *relay_tunnel(struct l2tpd *d, struct vpdn_group *g)
{
	struct l2tp_tunnel *t;

	LIST_FOREACH(t, &d->tunnels, link)
		if (t->grp == g && !t->lns && !t->aaa_chosen && !t->dead && t->state != L2TP_TUNNEL_CLOSING &&
		    t->n_sessions < L2TP_RELAY_PER_TUNNEL)
			return t;
	return NULL;
}

/* Hand the call to t; NULL with *err. */
static struct l2tp_session *relay_call(struct l2tp_tunnel *t, const struct l2tp_call_info *ci,
				       const char *user, const struct l2tp_relay_ops *ops,
				       void *arg, int *err)
{
	struct l2tp_session *s = l2tp_session_dial_call(t, ci, err);

	if (s == NULL)
		return NULL;
	s->relay_ops = ops;
	s->relay_arg = arg;
	s->relayed = 1;
	snprintf(s->user, sizeof(s->user), "%s", user);
	return s;
}

/* Can the daemon relay now?  0 or -errno. */
static int relay_possible(struct l2tpd *d)
{
	if (d->shutting_down || d->cfg.softshut)
		return -ESHUTDOWN;
	/* kernel objects take the call's frames: they must be able to switch
	 * them to the subscriber's PPPoE session (l2tp_relay_bridge) */
	if (dp_can(d->dp, DP_CAP_KERNEL) && !dp_can(d->dp, DP_CAP_BRIDGE))
		return -EOPNOTSUPP;
	return 0;
}

struct l2tp_session *l2tp_relay_dial(struct l2tpd *d, struct vpdn_group *g,
				     const struct l2tp_call_info *ci, const char *user,
				     const struct l2tp_relay_ops *ops, void *arg, int *err)
{
	struct l2tp_tunnel *t;

	*err = relay_possible(d);
	if (*err < 0)
		return NULL;
	if (g->dialin != VPDN_REQUEST_DIALIN || g->initiate_to.s_addr == 0) {
		*err = -EINVAL;
		return NULL;
	}
	t = relay_tunnel(d, g);
	if (t == NULL)
		t = l2tp_tunnel_open(d, g, err);
	if (t == NULL)
		return NULL;
	return relay_call(t, ci, user, ops, arg, err);
}

/* --- the tunnel a chooser names (RADIUS, RFC 2868) ---------------------------- */

void l2tp_relay_set_chooser(struct l2tpd *d, const struct l2tp_relay_chooser_ops *ops,
			    void *arg)
{
	d->relay_chooser = ops;
	d->relay_chooser_arg = arg;
}

int l2tp_relay_choose(struct l2tpd *d, const char *user, l2tp_relay_chosen_fn done, void *darg,
		      void **handle)
{
	*handle = NULL;
	if (d->relay_chooser == NULL)
		return -ENOENT;
	return d->relay_chooser->choose(d->relay_chooser_arg, user, done, darg, handle);
}

void l2tp_relay_choose_cancel(struct l2tpd *d, void *handle)
{
	if (handle != NULL && d->relay_chooser != NULL)
		d->relay_chooser->cancel(d->relay_chooser_arg, handle);
}

/*
 * A live tunnel of ours to the target: the same LNS and secret, the same
 * Tunnel-Assignment-Id (RFC 2868 §3.7: sessions with the same one share a
 * tunnel; none is a value of its own), not going, with room.
 */
static struct l2tp_tunnel *relay_target_tunnel(struct l2tpd *d,
					       const struct l2tp_relay_target *tg)
{
	struct l2tp_tunnel *t;

	LIST_FOREACH(t, &d->tunnels, link)
		if (t->aaa_chosen && !t->lns && !t->dead && t->state != L2TP_TUNNEL_CLOSING &&
		    t->n_sessions < L2TP_RELAY_PER_TUNNEL &&
		    t->peer.sin_addr.s_addr == tg->server.s_addr &&
		    strcmp(t->aaa_assignment_id, tg->assignment_id) == 0 &&
		    strcmp(t->aaa_client_name, tg->client_auth_id) == 0 &&
		    strcmp(t->aaa_secret, tg->secret) == 0)
			return t;
	return NULL;
}

struct l2tp_session *l2tp_relay_dial_to(struct l2tpd *d, struct vpdn_group *g,
					const struct l2tp_relay_target *tg,
					const struct l2tp_call_info *ci, const char *user,
					const struct l2tp_relay_ops *ops, void *arg, int *err)
{
	struct sockaddr_in peer;
	struct l2tp_tunnel *t;

	*err = relay_possible(d);
	if (*err < 0)
		return NULL;
	t = relay_target_tunnel(d, tg);
	if (t == NULL) {
		memset(&peer, 0, sizeof(peer));
		peer.sin_family = AF_INET;
		peer.sin_addr = tg->server;
		peer.sin_port = htons(L2TP_PORT);
		t = l2tp_tunnel_open_to(d, g, &peer, tg->secret[0] ? tg->secret : NULL,
					tg->client_auth_id, err);
		if (t == NULL)
			return NULL;
		t->aaa_chosen = 1;
		snprintf(t->aaa_assignment_id, sizeof(t->aaa_assignment_id), "%s",
			 tg->assignment_id);
	}
	return relay_call(t, ci, user, ops, arg, err);
}

int l2tp_relay_send(struct l2tp_session *s, const uint8_t *frame, size_t len)
{
	uint8_t pkt[L2TP_MAX_MSG_LEN];
	size_t h = 6;
	int rc;

	if (s->state != L2TP_SESSION_ESTABLISHED || s->relay_ops == NULL)
		return -ENOTCONN;
	if (len < 2 || frame[0] != 0xff || frame[1] != 0x03) {
		pkt[h++] = 0xff;	/* RFC 1662 framing, as pppd and the kernel send it */
		pkt[h++] = 0x03;
	}
	if (len + h > sizeof(pkt))
		return -EMSGSIZE;
	/* §3.1: a data message, T=0, no Length, no sequence numbers */
	pkt[0] = 0x00;
	pkt[1] = L2TP_VERSION;
	pkt[2] = (uint8_t)(s->t->peer_tid >> 8);
	pkt[3] = (uint8_t)s->t->peer_tid;
	pkt[4] = (uint8_t)(s->peer_sid >> 8);
	pkt[5] = (uint8_t)s->peer_sid;
	memcpy(pkt + h, frame, len);
	rc = s->t->d->xmit(s->t, pkt, len + h);
	if (rc < 0) {
		s->t->d->stats.tx_errors++;
		return rc;
	}
	if (rc == 0) {
		s->relay_tx++;
		s->up_tx_packets++;
		s->up_tx_octets += len;
	}
	return 0;
}

int l2tp_relay_bridge(struct l2tp_session *s, uint16_t pppoe_sid)
{
	struct l2tp_tunnel *t = s->t;
	struct dp_ppp_params pp;
	int rc;

	if (s->state != L2TP_SESSION_ESTABLISHED || !s->dp_created)
		return -ENOTCONN;
	l2tp_session_dp_params(s, &pp);
	rc = dp_pppoe_bridge(t->d->dp, pppoe_sid, &pp);
	if (rc == 0)
		s->bridged = 1;
	return rc;
}

const char *l2tp_relay_error(const struct l2tp_session *s)
{
	return s->t->d->dp->err;
}

int l2tp_relay_frames(const struct l2tp_session *s, uint64_t *up, uint64_t *down)
{
	struct dp_stats st;
	int rc;

	if (!s->bridged) {
		*up = s->relay_tx;
		*down = s->relay_rx;
		return 0;
	}
	rc = dp_session_stats(s->t->d->dp, s->t->tid, s->sid, &st);
	if (rc < 0)
		return rc;
	*up = st.tx_packets;
	*down = st.rx_packets;
	return 0;
}

int l2tp_relay_adopt(struct l2tpd *d, uint16_t tid, uint16_t sid,
		     const struct l2tp_relay_ops *ops, void *arg, struct l2tp_session **out)
{
	struct l2tp_tunnel *t = l2tp_tunnel_find(d, tid);
	struct l2tp_session *s = NULL;

	if (t != NULL && !t->dead) {
		l2tp_session_complete(t);
		s = l2tp_session_find(t, sid);
	}
	*out = NULL;
	if (s == NULL || s->lns)
		return -ENOENT;
	if (s->state != L2TP_SESSION_ESTABLISHED || s->relay_ops != NULL)
		return -EBUSY;
	s->relay_ops = ops;
	s->relay_arg = arg;
	s->relayed = 1;
	*out = s;
	return 0;
}

void l2tp_relay_detach(struct l2tp_session *s)
{
	s->relay_ops = NULL;
	s->relay_arg = NULL;
}

void l2tp_relay_hangup(struct l2tp_session *s, uint16_t result, uint16_t ppp_code,
		       uint8_t direction, unsigned term_cause, const char *msg)
{
	l2tp_relay_detach(s);
	l2tp_session_cause(s, (enum l2tp_term_cause)term_cause);
	l2tp_session_ppp_disc(s, ppp_code, 0, direction);
	l2tp_session_clear(s, result, -1, msg);
}

void l2tp_relay_ids(const struct l2tp_session *s, uint16_t *tunnel_id, uint16_t *session_id)
{
	*tunnel_id = s->t->tid;
	*session_id = s->sid;
}

int l2tp_relay_input(struct l2tp_session *s, const uint8_t *frame, size_t len)
{
	if (s->relay_ops == NULL)
		return 0;
	if (s->state != L2TP_SESSION_ESTABLISHED) {
		s->relay_dropped++;
		return 1;
	}
	s->relay_rx++;
	s->up_rx_packets++;
	s->up_rx_octets += len;
	s->relay_ops->frame(s->relay_arg, s, frame, len);
	return 1;
}

void l2tp_relay_up(struct l2tp_session *s)
{
	if (s->relay_ops == NULL)
		return;
	/* The ICCN is sent (a retransmission resends it as built): no PPP
	 * of ours reads the call's proxy, so it goes. */
	free(s->ci);
	s->ci = NULL;
	if (s->relay_ops->up != NULL)
		s->relay_ops->up(s->relay_arg, s);
}

void l2tp_relay_gone(struct l2tp_session *s)
{
	const struct l2tp_relay_ops *ops = s->relay_ops;
	void *arg = s->relay_arg;

	if (ops == NULL)
		return;
	l2tp_relay_detach(s);
	if (ops->gone != NULL)
		ops->gone(arg, s);
}
