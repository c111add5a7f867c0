/*
 * What the two files of the tunnel object share (l2tp/tunnel.c: its life
 * and state machine; l2tp/tunnel_setup.c: its establishment) and nothing
 * else includes.
 */
#ifndef L2TP_TUNNEL_INT_H
#define L2TP_TUNNEL_INT_H

#include <netinet/in.h>
#include <stdint.h>
#include "l2tp/tunnel.h"

struct l2tp_msg;
struct l2tp_msgbuf;

/* l2tp/tunnel.c */
/* A new tunnel: tid 0 takes a free one; rws 0 the group's (or its resync
 * window with SSO).  NULL with *err set. */
struct l2tp_tunnel *l2tp_tunnel_alloc(struct l2tpd *d, struct vpdn_group *g, int lns,
				      uint16_t tid, uint16_t rws, int *err);
/* The one way a tunnel changes state: the observers are told. */
void l2tp_tunnel_set_state(struct l2tp_tunnel *t, enum l2tp_tunnel_state s);

/* l2tp/tunnel_auth.c: tunnel authentication (§4.2) */
/* The tunnel's secret: the one RADIUS gave (Tunnel-Password), else its
 * group's; NULL (and *len 0) when it has none. */
const uint8_t *l2tp_tunnel_auth_secret(const struct l2tp_tunnel *t, size_t *len);
/* A fresh Challenge in b, when the tunnel authenticates its peer (a secret,
 * and the group does not say `no l2tp tunnel authentication`). */
void l2tp_tunnel_auth_put_challenge(struct l2tp_tunnel *t, struct l2tp_msgbuf *b);
/* The Challenge Response to the peer's Challenge, in a message of `type`
 * (SCCRP or SCCCN); nothing if it sent none; -ENOKEY without a secret. */
int l2tp_tunnel_auth_put_response(struct l2tp_tunnel *t, struct l2tp_msgbuf *b, uint8_t type);
/* The peer's Challenge Response to ours, carried in `type`: 0, or -EACCES
 * (logged). */
int l2tp_tunnel_auth_check(struct l2tp_tunnel *t, const struct l2tp_msg *m, uint8_t type);

/* l2tp/tunnel_setup.c: the establishment's messages, in the states the
 * table of tunnel.c accepts them */
void l2tp_tunnel_recv_sccrq(struct l2tp_tunnel *t, const struct l2tp_msg *m);
void l2tp_tunnel_recv_sccrp(struct l2tp_tunnel *t, const struct l2tp_msg *m,
			    const struct sockaddr_in *from);
void l2tp_tunnel_recv_scccn(struct l2tp_tunnel *t, const struct l2tp_msg *m);

#endif
