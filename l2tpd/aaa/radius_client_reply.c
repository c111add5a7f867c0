/*
 * The RADIUS client's reply side: a datagram from a server, matched to
 * its request by socket and Identifier, checked (Response Authenticator,
 * RFC 2865 §3; Message-Authenticator, RFC 2869 §5.14; code and length),
 * dropped and counted when it fails, handed to the request's callback
 * when it passes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "aaa/radius_client_int.h"
#include "aaa/radius_dict.h"

/* ---------------------------------------------------------------- */
/* Replies                                                           */
/* ---------------------------------------------------------------- */

static int radius_code_answers(enum radius_kind kind, uint8_t code)
{
	if (kind == RADIUS_AUTH)
		return code == RADIUS_ACCESS_ACCEPT || code == RADIUS_ACCESS_REJECT ||
		       code == RADIUS_ACCESS_CHALLENGE;
	return code == RADIUS_ACCOUNTING_RESPONSE;
}

static void radius_drop(struct radius_sock *k, uint64_t *counter, const uint8_t *buf, size_t len,
			const char *why)
{
	struct radius_client *c = k->c;
	struct radius_server *s = k->srv;

	(*counter)++;
	if (radius_debug_on(c)) {
		char extra[96];

		snprintf(extra, sizeof extra, " dropped (%s)", why);
		radius_log_packet(c, "received", s, k->kind, buf, len, extra);
	}
	radius_server_warn(c, s, "reply dropped: %s", why);
}

static void radius_reply(struct radius_sock *k, const uint8_t *buf, size_t len)
{
	struct radius_client *c = k->c;
	struct radius_server *s = k->srv;
	struct radius_stats *st = &s->st[k->kind];
	struct radius_msg *m;
	struct radius_req *r;
	struct radius_slot *slot;
	radius_cb cb;
	void *cbarg;
	char extra[48];
	int rc;

	m = malloc(sizeof *m);
	if (m == NULL)
		return;
	if (radius_parse(buf, len, m) < 0) {
		radius_drop(k, &st->malformed, buf, len, "malformed");
		goto out;
	}
	r = k->req[m->id];
	if (r == NULL) {
		radius_drop(k, &st->unknown_ids, buf, len, "no request with this Identifier");
		goto out;
	}
	slot = r->cur.sock == k && r->cur.id == m->id ? &r->cur : &r->prev;
	if (radius_verify_response(m, slot->auth, s->key) < 0) {
		radius_drop(k, &st->bad_authenticators, buf, len, "bad Response Authenticator");
		goto out;
	}
	rc = radius_verify_msgauth(m, slot->auth, s->key);
	if (rc == -EBADMSG) {
		radius_drop(k, &st->bad_msgauth, buf, len, "bad Message-Authenticator");
		goto out;
	}
	if (rc == -ENOENT && k->kind == RADIUS_AUTH && c->d->cfg.radius.require_msgauth) {
		radius_drop(k, &st->missing_msgauth, buf, len, "no Message-Authenticator");
		goto out;
	}
	if (!radius_code_answers(k->kind, m->code)) {
		radius_drop(k, &st->wrong_codes, buf, len, "wrong code for the request");
		goto out;
	}
	for (unsigned i = 0; i < m->n; i++) {
		const struct radius_attr *a = &m->a[i];

		if (!radius_dict_known(a->vendor, a->vendor ? a->vtype : a->type))
			st->unknown_attrs++;
	}
	switch (m->code) {
	case RADIUS_ACCESS_ACCEPT: st->accepts++; break;
	case RADIUS_ACCESS_REJECT: st->rejects++; break;
	case RADIUS_ACCESS_CHALLENGE: st->challenges++; break;
	default: st->responses++; break;
	}
	st->rtt_ms_sum += radius_now(c) - r->sent;
	hist_observe_us(&st->latency, (radius_now(c) - r->sent) * 1000);
	radius_server_mark_alive(c, s);
	if (radius_debug_on(c)) {
		snprintf(extra, sizeof extra, " (%llu ms)",
			 (unsigned long long)(radius_now(c) - r->sent));
		radius_log_packet(c, "received", s, k->kind, buf, len, extra);
	}
	cb = r->cb;
	cbarg = r->arg;
	memcpy(c->cb_auth, slot->auth, RADIUS_AUTH_LEN);
	radius_req_detach(r);
	radius_req_free(r);
	c->cb_srv = s;
	if (cb)
		cb(cbarg, 0, m);
	c->cb_srv = NULL;
	memset(c->cb_auth, 0, RADIUS_AUTH_LEN);
out:
	free(m);
}

void radius_sock_read(struct ev_loop *loop, ev_io *w, int revents)
{
	struct radius_sock *k = w->data;
	uint8_t buf[RADIUS_MAX_LEN + 1];

	(void)loop;
	(void)revents;
	for (unsigned i = 0; i < RADIUS_RX_BURST; i++) {
		ssize_t n = recv(k->fd, buf, sizeof buf, 0);

		if (n < 0)
			return;		/* EAGAIN, or an ICMP error for a connected socket */
		radius_reply(k, buf, (size_t)n);
	}
}

