/*
 * The tunnel's establishment, RFC 2661 §5.1 (see l2tp/tunnel.c for the
 * state machine it is part of):
 *   LAC  l2tp_tunnel_open_to: SCCRQ (§6.1); the SCCRP (§6.2) is checked
 *        and answered with SCCCN (§6.3), following the responder's port
 *        (§8.1);
 *   LNS  l2tp_tunnel_accept: an SCCRQ with Tunnel ID 0 on a listening
 *        socket makes a tunnel (from a port of its own when another of ours
 *        has the peer's address and port, §8.1), answered with SCCRP; the
 *        SCCCN completes it.
 * Colliding SCCRQs are settled by the Tie Breaker (§4.4.3); a peer that
 * fails tunnel authentication (§4.2, l2tp/tunnel_auth.c) or speaks another
 * version gets the StopCCN §4.4.2 asks for.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/history.h"
#include "core/rand.h"
#include "core/rand_pool.h"
#include "l2tpd.h"
#include "l2tp/avp.h"
#include "l2tp/guard.h"
#include "l2tp/net.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "l2tp/tunnel_int.h"

#define L2TP_VENDOR_NAME	"l2tpd-ha"
#define L2TP_FIRMWARE_REV	0x0100

static const char *tunnel_local_name(const struct l2tp_tunnel *t)
{
	if (t->aaa_client_name[0] != '\0')	/* RFC 2868 §3.9 */
		return t->aaa_client_name;
	if (t->grp != NULL && t->grp->local_name[0] != '\0')
		return t->grp->local_name;
	if (t->d->cfg.hostname[0] != '\0')
		return t->d->cfg.hostname;
	return "l2tpd";
}

static void tunnel_put_common(struct l2tp_tunnel *t, struct l2tp_msgbuf *b)
{
	l2tp_avp_put_version(b);
	l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_CAP, L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC, 0);
	l2tp_avp_put_u32(b, L2TP_AVP_BEARER_CAP, L2TP_BEARER_DIGITAL | L2TP_BEARER_ANALOG, 0);
	l2tp_avp_put_u16(b, L2TP_AVP_FIRMWARE_REV, L2TP_FIRMWARE_REV, 0);
	l2tp_avp_put_str(b, L2TP_AVP_HOST_NAME, tunnel_local_name(t), 0);
	l2tp_avp_put_str(b, L2TP_AVP_VENDOR_NAME, L2TP_VENDOR_NAME, 0);
	l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_TUNNEL_ID, t->tid, 0);
	l2tp_avp_put_u16(b, L2TP_AVP_RECV_WINDOW_SIZE, t->ctrl.cfg.rws, 0);
}

static void tunnel_auth_failed(struct l2tp_tunnel *t)
{
	t->d->stats.tunnel_auth_failures++;
	if (t->lns)
		l2tp_guard_auth_failed(t->d, t->peer.sin_addr);
	if (t->grp != NULL)
		t->grp->tunnels_refused++;
	l2tp_tunnel_clear(t, L2TP_STOPCCN_NOT_AUTHORIZED, -1, "tunnel authentication failed");
}

/* Peer parameters common to SCCRQ and SCCRP (§6.1, §6.2). */
static int tunnel_read_peer(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	const struct l2tp_avp *a;
	const uint8_t *chal;
	size_t clen;
	uint16_t rws = 0;

	/* The Assigned Tunnel ID first: even a refusal (bad version) is a
	 * StopCCN addressed to it. */
	if (l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &t->peer_tid) < 0 || t->peer_tid == 0)
		return -EINVAL;
	l2tp_ctrl_set_peer(&t->ctrl, t->peer_tid, 0);
	a = l2tp_msg_avp(m, L2TP_AVP_PROTOCOL_VERSION);
	if (a == NULL || a->len != 2 || a->val[0] != 1 || a->val[1] != 0)
		return -EPROTONOSUPPORT;
	l2tp_msg_get_str(m, L2TP_AVP_HOST_NAME, t->peer_host, sizeof(t->peer_host));
	l2tp_msg_get_str(m, L2TP_AVP_VENDOR_NAME, t->peer_vendor, sizeof(t->peer_vendor));
	l2tp_msg_get_u16(m, L2TP_AVP_FIRMWARE_REV, &t->peer_firmware);
	l2tp_msg_get_u32(m, L2TP_AVP_FRAMING_CAP, &t->peer_framing);
	l2tp_msg_get_u32(m, L2TP_AVP_BEARER_CAP, &t->peer_bearer);
	l2tp_msg_get_u16(m, L2TP_AVP_RECV_WINDOW_SIZE, &rws);
	if (l2tp_msg_has(m, L2TP_AVP_RECV_WINDOW_SIZE) && rws == 0)
		return -EINVAL;	/* §4.4.3: a window of 0 is not allowed */
	t->peer_rws = rws ? rws : L2TP_DEFAULT_RWS;
	t->peer_has_tie_breaker = l2tp_msg_get_u64(m, L2TP_AVP_TIE_BREAKER, &t->peer_tie_breaker) == 0;
	if (l2tp_msg_get_bytes(m, L2TP_AVP_CHALLENGE, &chal, &clen) == 0) {
		if (clen > sizeof(t->peer_challenge))
			clen = sizeof(t->peer_challenge);
		memcpy(t->peer_challenge, chal, clen);
		t->peer_challenge_len = clen;
	}
	l2tp_ctrl_set_peer(&t->ctrl, t->peer_tid, t->peer_rws);
	return 0;
}

static void tunnel_established(struct l2tp_tunnel *t)
{
	struct dp_tunnel_params p = { .tunnel_id = t->tid, .peer_tunnel_id = t->peer_tid, .fd = t->fd };
	char addr[INET_ADDRSTRLEN];
	int rc;

	rc = dp_tunnel_create(t->d->dp, &p);
	if (rc < 0) {
		tunnel_log(t, LOG_ERR, "data path refused the tunnel: %s", strerror(-rc));
		l2tp_tunnel_clear(t, L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_NO_RESOURCE,
				  "data path error");
		return;
	}
	t->dp_created = 1;
	l2tp_guard_half_open_del(t->d, t);
	l2tp_tunnel_set_state(t, L2TP_TUNNEL_ESTABLISHED);
	t->established_ms = clock_now(&t->d->clk);
	if (t->grp != NULL)
		t->grp->tunnels_up++;
	tunnel_log(t, LOG_INFO, "established with %s (%s:%u, vendor \"%s\") as %s", t->peer_host,
		   l2tp_net_addr_str(t->peer.sin_addr, addr), ntohs(t->peer.sin_port), t->peer_vendor,
		   t->lns ? "LNS" : "LAC");
	l2tp_session_tunnel_up(t);
}

/*
 * The port a LAC tunnel leaves from.  RFC 2661 §8.1 lets the initiator use
 * any; Cisco's LAC uses 1701, and some LNSes and many firewalls take L2TP
 * only from 1701 to 1701.  So the first tunnel to an LNS leaves from our
 * L2TP port; while one of ours from that port to that LNS lives, further
 * ones take an ephemeral port (0): the kernel keeps one tunnel per UDP
 * 4-tuple, and an LNS may answer them all from 1701.  `l2tp tunnel
 * source-port P` fixes the port of every tunnel of the group.
 */
static uint16_t tunnel_lac_port(struct l2tpd *d, const struct vpdn_group *g,
				const struct sockaddr_in *peer)
{
	uint16_t port = d->cfg.port ? d->cfg.port : L2TP_PORT;
	const struct l2tp_tunnel *o;

	if (g != NULL && g->source_port != 0)
		return (uint16_t)g->source_port;
	o = d->lac_on_port;	/* a mass dial: the first tunnel holds it */
	if (o != NULL && o->peer.sin_addr.s_addr == peer->sin_addr.s_addr)
		return 0;
	LIST_FOREACH(o, &d->tunnels, link)
		if (!o->dead && !o->lns && ntohs(o->local.sin_port) == port &&
		    o->peer.sin_addr.s_addr == peer->sin_addr.s_addr)
			return 0;
	return port;
}

/* The tunnel's socket from its port; our L2TP port chosen by us and taken
 * by someone else falls back to an ephemeral one. */
static int tunnel_lac_socket(struct l2tp_tunnel *t, const struct vpdn_group *g)
{
	uint16_t port = htons(t->d->cfg.port ? t->d->cfg.port : L2TP_PORT);
	int rc;

	t->port_alone = t->local.sin_port == 0;
	rc = l2tp_net_tunnel_open(t);
	if (rc == 0 && t->local.sin_port == port && (g == NULL || g->source_port == 0))
		t->d->lac_on_port = t;
	if (rc != -EADDRINUSE || (g != NULL && g->source_port != 0) || t->local.sin_port == 0)
		return rc;
	tunnel_log(t, LOG_NOTICE, "UDP port %u in use: this tunnel leaves from an ephemeral port",
		   ntohs(t->local.sin_port));
	t->local.sin_port = 0;
	t->port_alone = 1;
	return l2tp_net_tunnel_open(t);
}

struct l2tp_tunnel *l2tp_tunnel_open(struct l2tpd *d, struct vpdn_group *g, int *err)
{
	struct sockaddr_in peer;

	memset(&peer, 0, sizeof(peer));
	peer.sin_family = AF_INET;
	peer.sin_addr = g->initiate_to;
	peer.sin_port = htons(g->initiate_port ? g->initiate_port : L2TP_PORT);
	return l2tp_tunnel_open_to(d, g, &peer, NULL, NULL, err);
}

struct l2tp_tunnel *l2tp_tunnel_open_to(struct l2tpd *d, struct vpdn_group *g,
					const struct sockaddr_in *peer, const char *secret,
					const char *host, int *err)
{
	const char *gname = g != NULL ? g->name : "-";
	char addr[INET_ADDRSTRLEN];
	struct l2tp_tunnel *t;
	struct l2tp_msgbuf b;
	int rc;

	if ((secret != NULL && strlen(secret) >= sizeof(t->aaa_secret)) ||
	    (host != NULL && strlen(host) >= sizeof(t->aaa_client_name))) {
		*err = -EINVAL;
		return NULL;
	}
	t = l2tp_tunnel_alloc(d, g, 0, 0, 0, err);
	if (t == NULL)
		return NULL;
	if (secret != NULL)
		snprintf(t->aaa_secret, sizeof(t->aaa_secret), "%s", secret);
	if (host != NULL)
		snprintf(t->aaa_client_name, sizeof(t->aaa_client_name), "%s", host);
	t->peer.sin_family = AF_INET;
	t->peer.sin_addr = peer->sin_addr;
	t->peer.sin_port = peer->sin_port;
	t->local.sin_family = AF_INET;
	t->local.sin_addr = d->cfg.source_ip;
	t->local.sin_port = htons(tunnel_lac_port(d, g, peer));
	rc = tunnel_lac_socket(t, g);
	if (rc < 0) {
		log_msg(&d->log, LOG_ERR, "vpdn-group %s: cannot open a socket toward %s: %s",
			gname, inet_ntoa(peer->sin_addr), strerror(-rc));
		l2tp_tunnel_destroy(t);
		*err = rc;
		return NULL;
	}
	/* §6.1 SCCRQ */
	l2tp_tunnel_msg_init(t, &b, L2TP_MSG_SCCRQ, 0);
	tunnel_put_common(t, &b);
	rand_pool_bytes(&d->rand, &t->tie_breaker, sizeof(t->tie_breaker));
	l2tp_avp_put_u64(&b, L2TP_AVP_TIE_BREAKER, t->tie_breaker, 0);
	l2tp_tunnel_auth_put_challenge(t, &b);
	l2tp_tunnel_set_state(t, L2TP_TUNNEL_WAIT_CTL_REPLY);
	tunnel_log(t, LOG_INFO, "vpdn-group %s: sending SCCRQ to %s:%u", gname,
		   l2tp_net_addr_str(t->peer.sin_addr, addr), ntohs(t->peer.sin_port));
	if (l2tp_tunnel_send(t, &b) < 0) {
		l2tp_tunnel_destroy(t);
		*err = -EIO;
		return NULL;
	}
	return t;
}

/* §4.4.3 Tie Breaker: we have an SCCRQ outstanding to the peer that sent one. */
static int tunnel_tie_break(struct l2tpd *d, const struct sockaddr_in *from, uint64_t theirs)
{
	struct l2tp_tunnel *t, *mine = NULL;

	if (d->n_lac_tunnels == 0)
		return 0;		/* no SCCRQ of ours anywhere: no race */
	LIST_FOREACH(t, &d->tunnels, link) {
		if (!t->dead && t->state == L2TP_TUNNEL_WAIT_CTL_REPLY &&
		    t->peer.sin_addr.s_addr == from->sin_addr.s_addr) {
			mine = t;
			break;
		}
	}
	if (mine == NULL)
		return 0;		/* no race: accept */
	uint64_t ours = mine->tie_breaker;

	if (ours < theirs) {
		log_msg(&d->log, LOG_NOTICE, "tunnel %u: tie breaker with %s won: their SCCRQ discarded",
			mine->tid, inet_ntoa(from->sin_addr));
		return -EEXIST;
	}
	/* We lost, or a draw (both discard; §4.4.3): our SCCRQ goes silently. */
	tunnel_log(mine, LOG_NOTICE, "tie breaker with %s %s: our SCCRQ withdrawn",
		   inet_ntoa(from->sin_addr), ours == theirs ? "drawn" : "lost");
	l2tp_tunnel_destroy(mine);
	return ours == theirs ? -EEXIST : 0;
}

/* Refuse an SCCRQ: a tunnel is made only to carry the StopCCN reliably. */
static void tunnel_refuse(struct l2tp_tunnel *t, uint16_t result, int error, const char *msg)
{
	t->d->stats.tunnels_refused++;
	if (t->grp != NULL)
		t->grp->tunnels_refused++;
	l2tp_tunnel_clear(t, result, error, msg);
}

/*
 * Read the peer's SCCRQ/SCCRP parameters; on failure answer with the
 * StopCCN §4.4.2 asks for (counted as a refusal for an SCCRQ) and return
 * the error.
 */
static int tunnel_accept_peer(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	void (*stop)(struct l2tp_tunnel *, uint16_t, int, const char *) =
		t->lns ? tunnel_refuse : l2tp_tunnel_clear;
	int rc = tunnel_read_peer(t, m);

	if (rc == -EPROTONOSUPPORT)
		stop(t, L2TP_STOPCCN_BAD_VERSION, -1, "protocol version 1.0 only");
	else if (rc < 0)
		stop(t, L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_BAD_VALUE,
		     "bad Assigned Tunnel ID or Receive Window Size");
	return rc;
}

/* `vpdn softshut`: no new tunnel.  StopCCN result 6, "being shut down"
 * (§4.4.2): the peer may try another LNS. */
static void tunnel_softshut(struct l2tp_tunnel *t)
{
	static const char why[] = "vpdn softshut: new tunnels refused";

	tunnel_log(t, LOG_NOTICE, "SCCRQ from %s (%s): refused, %s", t->peer_host,
		   inet_ntoa(t->peer.sin_addr), why);
	history_failure_add(t->d->history, t->peer_host, t->tid, t->peer_tid, 0, 0,
			    t->peer.sin_addr.s_addr, L2TP_STOPCCN_SHUTDOWN, why);
	tunnel_refuse(t, L2TP_STOPCCN_SHUTDOWN, -1, why);
}

/* The peer challenged us (§4.2) and we hold no secret to answer with. */
static int tunnel_cannot_answer(struct l2tp_tunnel *t)
{
	if (t->peer_challenge_len == 0 || l2tp_tunnel_auth_secret(t, &(size_t){0}) != NULL)
		return 0;
	tunnel_log(t, LOG_WARNING, "%s challenges us but %s%s has no tunnel password",
		   t->peer_host, t->grp ? "vpdn-group " : "this end", t->grp ? t->grp->name : "");
	t->d->stats.tunnel_auth_failures++;
	(t->lns ? tunnel_refuse : l2tp_tunnel_clear)(t, L2TP_STOPCCN_NOT_AUTHORIZED, -1,
						     "no tunnel secret");
	return 1;
}

void l2tp_tunnel_recv_sccrq(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	char addr[INET_ADDRSTRLEN];
	struct l2tpd *d = t->d;
	struct l2tp_msgbuf b;

	if (tunnel_accept_peer(t, m) < 0)
		return;
	/* The group was chosen from the Host Name when the tunnel was made
	 * (its timers and window are the channel's); NULL: nobody accepts. */
	if (t->grp == NULL || !d->cfg.vpdn_enabled) {
		tunnel_log(t, LOG_WARNING, "SCCRQ from %s (%s): no accept-dialin vpdn-group %s; refused",
			   t->peer_host, inet_ntoa(t->peer.sin_addr),
			   d->cfg.vpdn_enabled ? "matches" : "(vpdn disabled)");
		tunnel_refuse(t, L2TP_STOPCCN_NOT_AUTHORIZED, -1, "no vpdn-group for this host");
		return;
	}
	if (d->cfg.softshut) {
		tunnel_softshut(t);
		return;
	}
	if (tunnel_cannot_answer(t))
		return;
	/* §6.2 SCCRP */
	l2tp_tunnel_msg_init(t, &b, L2TP_MSG_SCCRP, 0);
	tunnel_put_common(t, &b);
	l2tp_tunnel_auth_put_response(t, &b, L2TP_MSG_SCCRP);
	l2tp_tunnel_auth_put_challenge(t, &b);
	l2tp_tunnel_set_state(t, L2TP_TUNNEL_WAIT_CTL_CONN);
	tunnel_log(t, LOG_INFO, "SCCRQ from %s (%s:%u), vpdn-group %s: sending SCCRP", t->peer_host,
		   l2tp_net_addr_str(t->peer.sin_addr, addr), ntohs(t->peer.sin_port), t->grp->name);
	l2tp_tunnel_send(t, &b);
}

/* Another live tunnel of ours runs between the same addresses and ports
 * (none when the kernel gave t's socket a port of its own). */
static int tunnel_4tuple_taken(struct l2tpd *d, const struct l2tp_tunnel *t)
{
	const struct l2tp_tunnel *o;

	if (t->port_alone)
		return 0;
	LIST_FOREACH(o, &d->tunnels, link) {
		if (o != t && !o->dead && o->fd >= 0 &&
		    o->peer.sin_addr.s_addr == t->peer.sin_addr.s_addr &&
		    o->peer.sin_port == t->peer.sin_port &&
		    o->local.sin_addr.s_addr == t->local.sin_addr.s_addr &&
		    o->local.sin_port == t->local.sin_port)
			return 1;
	}
	return 0;
}

void l2tp_tunnel_recv_sccrp(struct l2tp_tunnel *t, const struct l2tp_msg *m,
			    const struct sockaddr_in *from)
{
	struct l2tp_msgbuf b;
	int rc;

	if (tunnel_accept_peer(t, m) < 0)
		return;
	/* §8.1: the responder may answer from another port; follow it once. */
	t->peer.sin_port = from->sin_port;
	if (tunnel_4tuple_taken(t->d, t))
		tunnel_log(t, LOG_WARNING, "%s:%u answered from the port of another of our tunnels "
			   "to it: on Linux their data may mix (l2tp tunnel source-port)",
			   inet_ntoa(t->peer.sin_addr), ntohs(t->peer.sin_port));
	rc = l2tp_net_tunnel_connect(t);
	if (rc < 0)
		tunnel_log(t, LOG_WARNING, "connect: %s", strerror(-rc));
	if (l2tp_tunnel_auth_check(t, m, L2TP_MSG_SCCRP) < 0) {
		tunnel_auth_failed(t);
		return;
	}
	if (tunnel_cannot_answer(t))
		return;
	/* §6.3 SCCCN */
	l2tp_tunnel_msg_init(t, &b, L2TP_MSG_SCCCN, 0);
	l2tp_tunnel_auth_put_response(t, &b, L2TP_MSG_SCCCN);
	if (l2tp_tunnel_send(t, &b) < 0)
		return;
	tunnel_established(t);
}

/*
 * A tunnel answered from a port of its own: a peer that follows §8.1 sends
 * its SCCCN there.  One that keeps sending to the port of its SCCRQ (xl2tpd
 * does) would leave the tunnel's socket deaf to its data: the tunnel goes
 * back to that port, sharing the 4-tuple with another tunnel of that peer,
 * and the operator is told that on Linux 6.1 only one of them can carry
 * data.  0, or a negative errno (the tunnel is then cleared).
 */
static int tunnel_check_port_followed(struct l2tp_tunnel *t)
{
	uint16_t port = htons(t->d->cfg.port ? t->d->cfg.port : L2TP_PORT);
	int rc;

	if (!t->own_port || t->rx_fd == t->fd)
		return 0;
	t->own_port = 0;
	t->d->stats.tunnels_port_not_followed++;
	tunnel_log(t, LOG_WARNING, "%s:%u does not follow our reply port %u (RFC 2661 8.1): back "
		   "to port %u, shared with another of its tunnels; on Linux before 6.11 only one "
		   "of them carries data (give each tunnel of that LAC its own source port)",
		   inet_ntoa(t->peer.sin_addr), ntohs(t->peer.sin_port), ntohs(t->local.sin_port),
		   ntohs(port));
	rc = l2tp_net_tunnel_rebind(t, port);
	if (rc < 0)
		tunnel_log(t, LOG_ERR, "cannot move the tunnel socket to port %u: %s", ntohs(port),
			   strerror(-rc));
	return rc;
}

/* The peer proved the secret (or none is asked): the tunnel answered from
 * the listening socket gets its own, bound to the address and port its
 * SCCRQ came to and connected to the peer.  0 or a negative errno. */
static int tunnel_own_socket(struct l2tp_tunnel *t)
{
	int rc;

	if (!t->via_listen)
		return 0;
	rc = l2tp_net_tunnel_open(t);
	if (rc < 0) {
		tunnel_log(t, LOG_ERR, "cannot open the tunnel socket: %s", strerror(-rc));
		return rc;
	}
	t->via_listen = 0;
	return 0;
}

void l2tp_tunnel_recv_scccn(struct l2tp_tunnel *t, const struct l2tp_msg *m)
{
	if (l2tp_tunnel_auth_check(t, m, L2TP_MSG_SCCCN) < 0) {
		tunnel_auth_failed(t);
		return;
	}
	if (tunnel_own_socket(t) < 0 || tunnel_check_port_followed(t) < 0) {
		l2tp_tunnel_clear(t, L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_NO_RESOURCE,
				  "no socket for the tunnel");
		return;
	}
	tunnel_established(t);
}

/*
 * A half-open tunnel for an SCCRQ from `from` to `to`, or NULL (dropped,
 * counted).  It costs no descriptor: it is answered from the listening
 * socket and gets its own socket only at its SCCCN, once the peer has
 * proved the secret (l2tp_tunnel_recv_scccn).  §8.1: the recipient of an
 * SCCRQ may answer from any free port.  On Linux (6.1) the kernel finds a
 * tunnel's sessions through the UDP socket a data message lands on, and
 * datagrams of one 4-tuple all land on one socket: a second tunnel from
 * the same peer address and port would get the first one's data.  So a
 * tunnel from a peer port that holds an established tunnel with us is
 * answered from a port of its own: that socket is made now, but only for
 * a peer that has proved a secret on that port, and it counts in the
 * half-open table.  One from a peer port whose first tunnel is still
 * half-open waits: it is dropped, and the peer's retransmission finds the
 * first established.
 */
static struct l2tp_tunnel *tunnel_accept_new(struct l2tpd *d, const struct sockaddr_in *from,
					     const struct sockaddr_in *to, struct vpdn_group *g)
{
	struct l2tp_tunnel *t;
	int est, pending, err, rc;

	l2tp_guard_peer_state(d, from, to, &est, &pending);
	if (!est && pending) {
		d->guard.stats.drop_deferred++;
		log_debug(&d->log, LOG_DBG_EVENT, "net: SCCRQ from %s:%u waits for the tunnel that "
			  "peer port is setting up", inet_ntoa(from->sin_addr), ntohs(from->sin_port));
		return NULL;
	}
	l2tp_guard_half_open_make_room(d);
	t = l2tp_tunnel_alloc(d, g, 1, 0, 0, &err);
	if (t == NULL) {
		d->stats.tunnels_refused++;
		log_msg(&d->log, LOG_ERR, "net: SCCRQ from %s: cannot create a tunnel: %s",
			inet_ntoa(from->sin_addr), strerror(-err));
		return NULL;
	}
	t->peer = *from;
	t->local = *to;
	l2tp_guard_half_open_add(d, t);
	l2tp_guard_peer_add(d, t);
	if (!est) {
		t->via_listen = 1;
		return t;
	}
	t->local.sin_port = 0;
	t->own_port = 1;
	d->stats.tunnels_own_port++;
	rc = l2tp_net_tunnel_open(t);
	if (rc < 0) {
		tunnel_log(t, LOG_ERR, "cannot open the tunnel socket: %s", strerror(-rc));
		d->stats.tunnels_refused++;
		l2tp_tunnel_destroy(t);
		return NULL;
	}
	return t;
}

void l2tp_tunnel_accept(struct l2tpd *d, int listen_fd, const struct sockaddr_in *from,
			const struct sockaddr_in *to, const uint8_t *buf, size_t len,
			const struct l2tp_hdr *h)
{
	struct l2tp_tunnel *t;
	struct l2tp_msg *m;
	uint16_t peer_tid = 0;
	char host[64];
	uint64_t tb;
	int rc;

	m = malloc(sizeof(*m));
	if (m == NULL)
		return;
	rc = l2tp_msg_decode(buf, len, m);
	/* Only an SCCRQ may open a tunnel (Tunnel ID 0, §3.1). */
	if ((rc == 0 || rc == -ENOKEY) && m->type != L2TP_MSG_SCCRQ) {
		d->stats.rx_no_tunnel++;
		log_debug(&d->log, LOG_DBG_ERROR, "net: %s:%u: %s with Tunnel ID 0 dropped",
			  inet_ntoa(from->sin_addr), ntohs(from->sin_port), l2tp_msg_type_name(m->type));
		goto out;
	}
	if (rc < 0 && rc != -ENOKEY && m->type != L2TP_MSG_SCCRQ) {
		d->stats.rx_bad++;
		log_msg(&d->log, LOG_WARNING, "net: %s:%u: malformed message with Tunnel ID 0: %s",
			inet_ntoa(from->sin_addr), ntohs(from->sin_port),
			m->err.text[0] ? m->err.text : strerror(-rc));
		goto out;
	}
	l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &peer_tid);
	/* A retransmitted SCCRQ belongs to the tunnel it already made: the
	 * channel acknowledges the duplicate, and the SCCRP (same Tunnel ID,
	 * same Challenge) comes again by its own retransmission (§5.8). */
	t = l2tp_guard_peer_find(d, from, peer_tid);
	if (t != NULL) {
		l2tp_tunnel_input(t, listen_fd, from, buf, len, h);
		goto out;
	}
	if (rc < 0 && peer_tid == 0) {
		/* Malformed and no Assigned Tunnel ID: there is nobody to answer. */
		d->stats.rx_bad++;
		d->stats.tunnels_refused++;
		log_msg(&d->log, LOG_WARNING, "net: %s:%u: malformed SCCRQ dropped: %s",
			inet_ntoa(from->sin_addr), ntohs(from->sin_port),
			m->err.text[0] ? m->err.text : strerror(-rc));
		goto out;
	}
	if (rc == 0 && l2tp_msg_get_u64(m, L2TP_AVP_TIE_BREAKER, &tb) == 0 &&
	    tunnel_tie_break(d, from, tb) < 0)
		goto out;
	if (d->shutting_down)
		goto out;
	host[0] = '\0';
	l2tp_msg_get_str(m, L2TP_AVP_HOST_NAME, host, sizeof(host));
	t = tunnel_accept_new(d, from, to, config_group_for_peer(&d->cfg, host));
	if (t == NULL)
		goto out;
	/* The channel numbers and acknowledges the SCCRQ like any message, then
	 * hands it back to tunnel_dispatch in order. */
	t->peer_tid = peer_tid;
	l2tp_ctrl_set_peer(&t->ctrl, peer_tid, 0);
	l2tp_tunnel_input(t, listen_fd, from, buf, len, h);
	/* A tunnel that got no further than IDLE refused nothing and has
	 * nothing to say: a malformed SCCRQ was answered by the decoder path. */
out:
	free(m);
}
