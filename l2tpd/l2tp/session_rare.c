/*
 * A session's parts that most sessions never fill (allocated when first
 * set, read through a getter that never returns NULL), and the
 * parameters its PPP channel gives the data path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "l2tpd.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

struct l2tp_aaa_v6 *l2tp_session_aaa_v6(struct l2tp_session *s)
{
	if (s->aaa_v6 == NULL)
		s->aaa_v6 = calloc(1, sizeof(*s->aaa_v6));
	return s->aaa_v6;
}

struct l2tp_session_rare *l2tp_session_rare(struct l2tp_session *s)
{
	if (s->rare == NULL)
		s->rare = calloc(1, sizeof(*s->rare));
	return s->rare;
}

int l2tp_session_set_password(struct l2tp_session *s, const char *password)
{
	struct l2tp_session_rare *r = s->rare;

	if (password != NULL && password[0] != '\0' && (r = l2tp_session_rare(s)) == NULL)
		return -ENOMEM;
	if (r != NULL)
		snprintf(r->password, sizeof(r->password), "%s", password ? password : "");
	return 0;
}

const struct l2tp_session_rare *l2tp_session_rare_get(const struct l2tp_session *s)
{
	static const struct l2tp_session_rare none;

	return s->rare != NULL ? s->rare : &none;
}

const struct l2tp_aaa_v6 *l2tp_session_aaa_v6_get(const struct l2tp_session *s)
{
	static const struct l2tp_aaa_v6 none;

	return s->aaa_v6 != NULL ? s->aaa_v6 : &none;
}

void l2tp_session_dp_params(const struct l2tp_session *s, struct dp_ppp_params *pp)
{
	const struct l2tp_tunnel *t = s->t;

	memset(pp, 0, sizeof(*pp));
	pp->tunnel_id = t->tid;
	pp->session_id = s->sid;
	pp->peer_tunnel_id = t->peer_tid;
	pp->peer_session_id = s->peer_sid;
	pp->peer_addr = t->peer.sin_addr.s_addr;
	pp->peer_port = t->peer.sin_port;
}
