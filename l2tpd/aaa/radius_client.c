/*
 * The RADIUS client (see radius_client.h).
 *
 * Each server has, per kind (authentication, accounting), up to
 * RADIUS_SOCKS_MAX UDP sockets connected to it, each with its own space of
 * 256 Identifiers: a request takes the next free Identifier of the first
 * socket that has one (a new socket is opened when all are busy), so a
 * thousand subscribers authenticating at once after a failover do not wait
 * on one another.  A request that finds no Identifier waits in a queue
 * until one is released.
 *
 * Requests keep the caller's packet in clear; every transmission is a copy
 * finished for the server it goes to (its secret, its Identifier, a new
 * Request Authenticator).  An Access-Request retransmitted to the same
 * server is the same datagram (same Identifier and authenticator, RFC 5080
 * §2.2.1); an Accounting-Request's Acct-Delay-Time grows, so it gets a new
 * Identifier and the previous one stays reserved (a late answer to it is
 * still taken) until the next transmission.
 *
 * Timers run on the daemon's clock (tests drive it); sockets on its loop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/rand.h"
#include "l2tpd.h"
#include "aaa/radius.h"
#include "aaa/radius_client.h"
#include "aaa/radius_dict.h"

#include "aaa/radius_client_int.h"

const char *const radius_kind_names[RADIUS_KINDS] = { "auth", "acct" };

uint64_t radius_now(const struct radius_client *c)
{
	return clock_now(&c->d->clk);
}

int radius_debug_on(const struct radius_client *c)
{
	return (c->d->log.debug & LOG_DBG_RADIUS) != 0;
}

/* A warning about a server, at most one per RADIUS_WARN_MS (every drop is counted). */
void radius_server_warn(struct radius_client *c, struct radius_server *s, const char *fmt, ...)
{
	uint64_t now = radius_now(c);
	char msg[256];
	va_list ap;

	if (s->warned && now - s->last_warn < RADIUS_WARN_MS)
		return;
	s->warned = 1;
	s->last_warn = now;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_msg(&c->d->log, LOG_WARNING, "radius server %s: %s", s->name, msg);
}

/* A dead server whose deadtime is over is alive again. */
static int radius_server_alive(struct radius_client *c, struct radius_server *s)
{
	uint64_t now = radius_now(c);

	if (s->dead && now >= s->dead_until) {
		s->dead = 0;
		s->since = s->dead_until;
		log_msg(&c->d->log, LOG_NOTICE, "radius server %s: deadtime over, in use again",
			s->name);
	}
	return !s->dead;
}

static void radius_server_mark_dead(struct radius_client *c, struct radius_server *s)
{
	unsigned deadtime = c->d->cfg.radius.deadtime;
	uint64_t now = radius_now(c);

	if (deadtime == 0 || s->dead)
		return;
	s->dead = 1;
	s->since = now;
	s->dead_until = now + (uint64_t)deadtime * 60000;
	log_msg(&c->d->log, LOG_WARNING, "radius server %s: not responding, dead for %u min",
		s->name, deadtime);
}

void radius_server_mark_alive(struct radius_client *c, struct radius_server *s)
{
	if (!s->dead)
		return;
	s->dead = 0;
	s->since = radius_now(c);
	log_msg(&c->d->log, LOG_NOTICE, "radius server %s: responding again", s->name);
}

/* ---------------------------------------------------------------- */
/* Sockets and Identifiers                                           */
/* ---------------------------------------------------------------- */


static struct radius_sock *radius_sock_open(struct radius_client *c, struct radius_server *s,
					    enum radius_kind kind)
{
	const struct config_radius *cr = &c->d->cfg.radius;
	struct radius_sock *k;
	int one = 1;

	if (s->n_socks[kind] >= RADIUS_SOCKS_MAX)
		return NULL;
	k = calloc(1, sizeof *k);
	if (k == NULL)
		return NULL;
	k->c = c;
	k->srv = s;
	k->kind = kind;
	rand_bytes(&k->next_id, 1);
	k->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (k->fd < 0)
		goto fail;
	if (cr->source.s_addr) {
		struct sockaddr_in src = { .sin_family = AF_INET, .sin_addr = cr->source };

		/* the VRRP address may not be ours yet (a standby): bind anyway */
		(void)setsockopt(k->fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof one);
		if (bind(k->fd, (struct sockaddr *)&src, sizeof src) < 0)
			goto fail;
	}
	if (connect(k->fd, (struct sockaddr *)&s->sa[kind], sizeof s->sa[kind]) < 0)
		goto fail;
	ev_io_init(&k->io, radius_sock_read, k->fd, EV_READ);
	k->io.data = k;
	if (c->d->loop)
		ev_io_start(c->d->loop, &k->io);
	s->socks[kind][s->n_socks[kind]++] = k;
	return k;
fail:
	log_msg(&c->d->log, LOG_ERR, "radius server %s: cannot open a %s socket: %s", s->name,
		radius_kind_names[kind], strerror(errno));
	if (k->fd >= 0)
		close(k->fd);
	free(k);
	return NULL;
}

static void radius_sock_close(struct radius_client *c, struct radius_sock *k)
{
	if (c->d->loop)
		ev_io_stop(c->d->loop, &k->io);
	close(k->fd);
	free(k);
}

/* Take a free Identifier on srv for r into slot: 0, or -EAGAIN when none is free. */
static int radius_id_take(struct radius_req *r, struct radius_slot *slot)
{
	struct radius_server *s = r->srv;
	struct radius_sock *k = NULL;

	for (unsigned i = 0; i < s->n_socks[r->kind]; i++) {
		if (s->socks[r->kind][i]->busy < 256) {
			k = s->socks[r->kind][i];
			break;
		}
	}
	if (k == NULL)
		k = radius_sock_open(r->c, s, r->kind);
	if (k == NULL)
		return -EAGAIN;
	/* the next Identifier in turn, so a fresh one for every request */
	for (unsigned n = 0; n < 256; n++) {
		uint8_t id = (uint8_t)(k->next_id + n);

		if (k->req[id] == NULL) {
			k->req[id] = r;
			k->busy++;
			k->next_id = (uint8_t)(id + 1);
			slot->sock = k;
			slot->id = id;
			return 0;
		}
	}
	return -EAGAIN;		/* not reached: busy < 256 */
}

static void radius_send_first(struct radius_req *r);

/* A waiting request for this server and kind gets the Identifier just freed. */
static void radius_kick(struct radius_client *c, struct radius_server *s, enum radius_kind kind)
{
	struct radius_req *w;

	TAILQ_FOREACH(w, &c->waiting, wlink) {
		if (w->srv == s && w->kind == kind) {
			TAILQ_REMOVE(&c->waiting, w, wlink);
			w->waiting = 0;
			radius_send_first(w);
			return;
		}
	}
}

static void radius_id_release(struct radius_req *r, struct radius_slot *slot)
{
	struct radius_sock *k = slot->sock;

	if (k == NULL)
		return;
	if (k->req[slot->id] == r) {
		k->req[slot->id] = NULL;
		k->busy--;
	}
	slot->sock = NULL;
	radius_kick(r->c, k->srv, k->kind);
}

/* ---------------------------------------------------------------- */
/* Transmission                                                      */
/* ---------------------------------------------------------------- */

void radius_log_packet(struct radius_client *c, const char *what,
			      const struct radius_server *s, enum radius_kind kind,
			      const uint8_t *buf, size_t len, const char *extra)
{
	struct radius_msg m;
	char attrs[768];

	if (!radius_debug_on(c))
		return;
	if (radius_parse(buf, len, &m) < 0) {
		log_debug(&c->d->log, LOG_DBG_RADIUS, "radius: %s %zu octets %s %s:%u%s: malformed",
			  what, len, *what == 's' ? "to" : "from", s->name,
			  ntohs(s->sa[kind].sin_port), extra ? extra : "");
		return;
	}
	radius_dict_format_msg(c->dict, &m, attrs, sizeof attrs);
	log_debug(&c->d->log, LOG_DBG_RADIUS, "radius: %s %s id=%u %s %s:%u%s: %s", what,
		  radius_code_name(m.code), m.id, *what == 's' ? "to" : "from", s->name,
		  ntohs(s->sa[kind].sin_port), extra ? extra : "", attrs);
}

/*
 * Build and send the transmission for r->cur.  Access-Request: the same
 * authenticator for every transmission with this Identifier.
 */
static void radius_transmit(struct radius_req *r, int fresh_auth)
{
	struct radius_client *c = r->c;
	struct radius_server *s = r->srv;
	struct radius_pkt wire;
	char extra[64];
	ssize_t n;
	int rc;

	memcpy(wire.buf, r->body, r->len);
	wire.len = r->len;
	if (r->kind == RADIUS_ACCT && r->tx > 0) {
		/* RFC 2866 §5.2: the seconds this record has been trying */
		uint32_t delay = r->delay_base + (uint32_t)((radius_now(c) - r->created) / 1000);

		if (r->has_delay)
			radius_pkt_set_u32(&wire, RADIUS_ATTR_ACCT_DELAY_TIME, delay);
		else
			radius_put_u32(&wire, RADIUS_ATTR_ACCT_DELAY_TIME, delay);
	}
	if (radius_pkt_code(&wire) == RADIUS_ACCESS_REQUEST) {
		if (fresh_auth)
			rand_bytes(r->cur.auth, RADIUS_AUTH_LEN);
		rc = radius_pkt_finish(&wire, r->cur.id, s->key, r->cur.auth);
	} else {
		rc = radius_pkt_finish(&wire, r->cur.id, s->key, NULL);
		memcpy(r->cur.auth, wire.buf + 4, RADIUS_AUTH_LEN);
	}
	snprintf(extra, sizeof extra, " (try %u/%u, %zu octets)", r->tx + 1,
		 c->d->cfg.radius.retransmit + 1, wire.len);
	if (rc == 0)
		radius_log_packet(c, "sent", s, r->kind, wire.buf, wire.len, extra);
	/* rc < 0: no key (the configuration check prevents it); as if it were lost */
	n = rc < 0 ? -1 : send(r->cur.sock->fd, wire.buf, wire.len, 0);
	if (n < 0) {
		s->st[r->kind].send_errors++;
		radius_server_warn(c, s, "cannot send to %s port %u: %s", radius_kind_names[r->kind],
				   ntohs(s->sa[r->kind].sin_port), strerror(errno));
	}
	memset(&wire, 0, sizeof wire);	/* the password, hidden or not */
	r->tx++;
	r->sent = radius_now(c);
	clock_timer_start(&c->d->clk, &r->timer, (uint64_t)c->d->cfg.radius.timeout * 1000);
}

/* The first transmission to r->srv (which is set). */
static void radius_send_first(struct radius_req *r)
{
	struct radius_client *c = r->c;

	r->tx = 0;
	if (radius_id_take(r, &r->cur) < 0) {
		if (r->srv->n_socks[r->kind] == 0) {
			/* no socket at all: nothing will free an Identifier; as if silent */
			r->tx = c->d->cfg.radius.retransmit + 1;
			clock_timer_start(&c->d->clk, &r->timer,
					  (uint64_t)c->d->cfg.radius.timeout * 1000);
			return;
		}
		/* every Identifier of every socket is in use: wait for one */
		r->waiting = 1;
		c->no_id++;
		TAILQ_INSERT_TAIL(&c->waiting, r, wlink);
		return;
	}
	r->srv->st[r->kind].requests++;
	radius_transmit(r, 1);
}

/*
 * The next server to try: the first untried one that is alive, else (all
 * that are left are dead) the first untried one.  NULL when none is left.
 */
static struct radius_server *radius_pick(struct radius_client *c, enum radius_kind kind,
					 uint32_t tried)
{
	struct radius_server *fallback = NULL;

	for (unsigned i = 0; i < c->n_srv; i++) {
		struct radius_server *s = &c->srv[i];

		if (s->sa[kind].sin_port == 0 || (tried & (1u << i)))
			continue;
		if (radius_server_alive(c, s))
			return s;
		if (fallback == NULL)
			fallback = s;
	}
	return fallback;
}

void radius_req_detach(struct radius_req *r)
{
	struct radius_client *c = r->c;

	clock_timer_stop(&c->d->clk, &r->timer);
	if (r->waiting) {
		TAILQ_REMOVE(&c->waiting, r, wlink);
		r->waiting = 0;
	}
	TAILQ_REMOVE(&c->reqs, r, link);
	c->n_reqs--;
	radius_id_release(r, &r->prev);
	radius_id_release(r, &r->cur);
}

void radius_req_free(struct radius_req *r)
{
	memset(r->body, 0, r->len);
	free(r->body);
	free(r);
}

static void radius_timeout(struct l2tp_timer *t, void *arg)
{
	struct radius_req *r = arg;
	struct radius_client *c = r->c;
	struct radius_server *s = r->srv;
	radius_cb cb;
	void *cbarg;

	(void)t;
	if (r->tx <= c->d->cfg.radius.retransmit) {
		s->st[r->kind].retransmissions++;
		if (r->kind == RADIUS_ACCT) {
			/* new contents, new Identifier; the previous one may still be answered */
			radius_id_release(r, &r->prev);
			r->prev = r->cur;
			r->cur.sock = NULL;
			if (radius_id_take(r, &r->cur) < 0) {
				r->cur = r->prev;	/* none free: send the old one again */
				r->prev.sock = NULL;
			}
		}
		radius_transmit(r, 0);
		return;
	}
	s->st[r->kind].timeouts++;
	log_msg(&c->d->log, LOG_INFO, "radius server %s: no answer to %s id=%u after %u tries",
		s->name, radius_code_name(r->body[0]), r->cur.id, r->tx);
	radius_server_mark_dead(c, s);
	radius_id_release(r, &r->prev);
	radius_id_release(r, &r->cur);
	r->srv = radius_pick(c, r->kind, r->tried);
	if (r->srv != NULL) {
		r->tried |= 1u << r->srv->idx;
		log_msg(&c->d->log, LOG_INFO, "radius: %s failing over to server %s",
			radius_code_name(r->body[0]), r->srv->name);
		radius_send_first(r);
		return;
	}
	log_msg(&c->d->log, LOG_WARNING, "radius: no %s server answered %s",
		r->kind == RADIUS_AUTH ? "authentication" : "accounting",
		radius_code_name(r->body[0]));
	cb = r->cb;
	cbarg = r->arg;
	radius_req_detach(r);
	radius_req_free(r);
	if (cb)
		cb(cbarg, -ETIMEDOUT, NULL);
}

int radius_send(struct l2tpd *d, enum radius_kind kind, const struct radius_pkt *p, radius_cb cb,
		void *arg, struct radius_req **out)
{
	static const uint8_t zero_auth[RADIUS_AUTH_LEN];
	struct radius_client *c = d->radius;
	struct radius_req *r;
	struct radius_server *s;
	struct radius_pkt copy;
	size_t dlen;
	uint8_t *dv;

	if (out)
		*out = NULL;
	if (c == NULL || (unsigned)kind >= RADIUS_KINDS)
		return -ENOENT;
	if (p == NULL || p->len < RADIUS_HDR_LEN || p->len > RADIUS_MAX_LEN ||
	    !radius_code_is_request(p->buf[0]))
		return -EINVAL;
	s = radius_pick(c, kind, 0);
	if (s == NULL)
		return -ENOENT;
	memcpy(copy.buf, p->buf, p->len);
	copy.len = p->len;
	/* what cannot be finished (a User-Password not made by radius_put_password) */
	if (radius_pkt_finish(&copy, 0, "x", zero_auth) < 0) {
		memset(&copy, 0, sizeof copy);
		return -EINVAL;
	}
	memcpy(copy.buf, p->buf, p->len);
	/* RFC 3579 §3.2, RFC 5080 §2.2.2: on every Access-Request */
	if (copy.buf[0] == RADIUS_ACCESS_REQUEST &&
	    radius_pkt_find(&copy, RADIUS_ATTR_MESSAGE_AUTHENTICATOR, NULL) == NULL &&
	    radius_put_msgauth(&copy) < 0)
		return -ENOSPC;
	/* room for the Acct-Delay-Time of retransmissions */
	if (kind == RADIUS_ACCT && radius_pkt_find(&copy, RADIUS_ATTR_ACCT_DELAY_TIME, NULL) == NULL &&
	    RADIUS_MAX_LEN - copy.len < 6)
		return -ENOSPC;
	r = calloc(1, sizeof *r);
	if (r == NULL)
		return -ENOMEM;
	r->body = malloc(copy.len);
	if (r->body == NULL) {
		free(r);
		return -ENOMEM;
	}
	memcpy(r->body, copy.buf, copy.len);
	r->len = copy.len;
	dv = radius_pkt_find(&copy, RADIUS_ATTR_ACCT_DELAY_TIME, &dlen);
	if (dv != NULL && dlen == 4) {
		r->has_delay = 1;
		r->delay_base = (uint32_t)dv[0] << 24 | (uint32_t)dv[1] << 16 |
				(uint32_t)dv[2] << 8 | dv[3];
	}
	memset(&copy, 0, sizeof copy);	/* the password */
	r->c = c;
	r->kind = kind;
	r->cb = cb;
	r->arg = arg;
	r->created = radius_now(c);
	clock_timer_init(&r->timer, radius_timeout, r);
	TAILQ_INSERT_TAIL(&c->reqs, r, link);
	c->n_reqs++;
	r->srv = s;
	r->tried = 1u << s->idx;
	radius_send_first(r);
	if (out)
		*out = r;
	return 0;
}

void radius_cancel(struct radius_req *r)
{
	if (r == NULL)
		return;
	radius_req_detach(r);
	radius_req_free(r);
}

int radius_client_reply_auth(const struct l2tpd *d, uint8_t req_auth[RADIUS_AUTH_LEN],
			     const char **secret)
{
	const struct radius_client *c = d->radius;

	if (c == NULL || c->cb_srv == NULL)
		return -ENOENT;
	memcpy(req_auth, c->cb_auth, RADIUS_AUTH_LEN);
	*secret = c->cb_srv->key;
	return 0;
}

int radius_configured(const struct l2tpd *d, enum radius_kind kind)
{
	const struct config_radius *cr = &d->cfg.radius;

	for (unsigned i = 0; i < cr->n_servers; i++)
		if (kind == RADIUS_AUTH ? cr->servers[i].auth_port : cr->servers[i].acct_port)
			return 1;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Lifecycle                                                         */
/* ---------------------------------------------------------------- */

/* Server i of the configuration becomes c->srv[i] (the next one). */
static void radius_server_setup(struct radius_client *c, const struct config_radius *cr,
				unsigned i)
{
	const struct config_radius_server *cs = &cr->servers[i];
	struct radius_server *s = &c->srv[c->n_srv];

	memset(s, 0, sizeof *s);
	s->idx = c->n_srv;
	for (int k = 0; k < RADIUS_KINDS; k++) {
		s->sa[k].sin_family = AF_INET;
		s->sa[k].sin_addr = cs->addr;
		s->sa[k].sin_port = htons(k == RADIUS_AUTH ? cs->auth_port : cs->acct_port);
	}
	snprintf(s->key, sizeof s->key, "%s", config_radius_key(cr, i));
	inet_ntop(AF_INET, &cs->addr, s->name, sizeof s->name);
	s->since = radius_now(c);
	c->n_srv++;
}

/* Server i of n is the running server i: same address and ports. */
static int radius_server_same(const struct radius_client *c, const struct config_radius *n,
			      unsigned i)
{
	const struct config_radius_server *cs = &n->servers[i];
	const struct radius_server *s = &c->srv[i];

	return s->sa[RADIUS_AUTH].sin_addr.s_addr == cs->addr.s_addr &&
	       ntohs(s->sa[RADIUS_AUTH].sin_port) == cs->auth_port &&
	       ntohs(s->sa[RADIUS_ACCT].sin_port) == cs->acct_port;
}

/* The running servers are the first ones of n, and the sockets' source stays. */
static int radius_client_extends(const struct l2tpd *d, const struct config_radius *n)
{
	const struct radius_client *c = d->radius;

	if (c->n_srv > n->n_servers || n->source.s_addr != d->cfg.radius.source.s_addr)
		return 0;
	for (unsigned i = 0; i < c->n_srv; i++)
		if (!radius_server_same(c, n, i))
			return 0;
	return 1;
}

int radius_client_check(const struct l2tpd *d, const struct config_radius *n, char *err,
			size_t errsz)
{
	const struct radius_client *c = d->radius;

	if (c == NULL || c->n_srv == 0 || radius_client_extends(d, n) || c->n_reqs == 0)
		return 0;
	snprintf(err, errsz, "radius-server: hosts removed, reordered or re-addressed (or the "
		 "source-ip changed) while %u requests are in flight; servers can be added "
		 "and keys changed at any time, the rest when RADIUS is idle: try again",
		 c->n_reqs);
	return -EBUSY;
}

int radius_client_reconfigure(struct l2tpd *d)
{
	struct radius_client *c = d->radius;
	const struct config_radius *cr = &d->cfg.radius;

	if (c == NULL)
		return 0;	/* not started: l2tpd_start() makes it from the configuration */
	if (c->n_srv == 0 || !radius_client_extends(d, cr)) {
		radius_client_free(d);	/* idle (radius_client_check) */
		return radius_client_init(d);
	}
	for (unsigned i = 0; i < c->n_srv; i++)
		snprintf(c->srv[i].key, sizeof c->srv[i].key, "%s", config_radius_key(cr, i));
	while (c->n_srv < cr->n_servers && c->n_srv < CONFIG_RADIUS_SERVERS)
		radius_server_setup(c, cr, c->n_srv);
	return 0;
}

int radius_client_init(struct l2tpd *d)
{
	const struct config_radius *cr = &d->cfg.radius;
	struct radius_client *c;

	if (d->radius != NULL)
		return 0;
	c = calloc(1, sizeof *c);
	if (c == NULL)
		return -ENOMEM;
	c->d = d;
	TAILQ_INIT(&c->reqs);
	TAILQ_INIT(&c->waiting);
	c->stats_since = clock_now(&d->clk);
	for (unsigned i = 0; i < cr->n_servers && i < CONFIG_RADIUS_SERVERS; i++)
		radius_server_setup(c, cr, i);
	if (c->n_srv > 0 || cr->das) {
		c->dict = radius_dict_load(c->dict_note, sizeof c->dict_note);
		if (c->dict == NULL)
			log_msg(&d->log, LOG_NOTICE, "radius: %s; attributes named from the built-in "
				"table", c->dict_note);
	}
	d->radius = c;
	return 0;
}

void radius_client_free(struct l2tpd *d)
{
	struct radius_client *c = d->radius;
	struct radius_req *r;

	if (c == NULL)
		return;
	/* nothing waiting is sent while the others go */
	while ((r = TAILQ_FIRST(&c->waiting)) != NULL) {
		TAILQ_REMOVE(&c->waiting, r, wlink);
		r->waiting = 0;
	}
	while ((r = TAILQ_FIRST(&c->reqs)) != NULL)
		radius_cancel(r);
	for (unsigned i = 0; i < c->n_srv; i++) {
		for (int k = 0; k < RADIUS_KINDS; k++)
			for (unsigned j = 0; j < c->srv[i].n_socks[k]; j++)
				radius_sock_close(c, c->srv[i].socks[k][j]);
		memset(c->srv[i].key, 0, sizeof c->srv[i].key);
	}
	radius_dict_free(c->dict);
	free(c);
	d->radius = NULL;
}

/* ---------------------------------------------------------------- */
/* Counters and show                                                 */
/* ---------------------------------------------------------------- */

const struct radius_stats *radius_client_stats(const struct l2tpd *d, unsigned i,
					       enum radius_kind kind)
{
	const struct radius_client *c = d->radius;

	if (c == NULL || i >= c->n_srv || (unsigned)kind >= RADIUS_KINDS)
		return NULL;
	return &c->srv[i].st[kind];
}

int radius_client_server_dead(const struct l2tpd *d, unsigned i)
{
	struct radius_client *c = d->radius;

	if (c == NULL || i >= c->n_srv)
		return 0;
	return !radius_server_alive(c, &c->srv[i]);
}

unsigned radius_client_pending(const struct l2tpd *d)
{
	return d->radius ? d->radius->n_reqs : 0;
}

void radius_client_clear_stats(struct l2tpd *d)
{
	struct radius_client *c = d->radius;

	if (c == NULL)
		return;
	for (unsigned i = 0; i < c->n_srv; i++)
		memset(c->srv[i].st, 0, sizeof c->srv[i].st);
	c->no_id = 0;
	c->stats_since = radius_now(c);
}

int radius_client_info(const struct l2tpd *d, struct radius_client_info *ci)
{
	const struct radius_client *c = d->radius;

	memset(ci, 0, sizeof *ci);
	if (c == NULL)
		return -ENOENT;
	ci->servers = c->n_srv;
	ci->pending = c->n_reqs;
	ci->waited_for_id = c->no_id;
	ci->counters_ms = radius_now(c) - c->stats_since;
	ci->dictionary = c->dict ? c->dict_note : c->dict_note[0] ? c->dict_note
								  : "built-in names";
	return 0;
}

int radius_client_server_info(struct l2tpd *d, unsigned i, struct radius_server_info *si)
{
	struct radius_client *c = d->radius;
	struct radius_server *s;

	memset(si, 0, sizeof *si);
	if (c == NULL || i >= c->n_srv)
		return -ENOENT;
	s = &c->srv[i];
	si->address = s->name;
	si->auth_port = ntohs(s->sa[RADIUS_AUTH].sin_port);
	si->acct_port = ntohs(s->sa[RADIUS_ACCT].sin_port);
	si->alive = radius_server_alive(c, s);
	si->state_ms = radius_now(c) - s->since;
	if (!si->alive)
		si->dead_remaining_ms = s->dead_until - radius_now(c);
	return 0;
}

const struct radius_dict *radius_client_dict(const struct l2tpd *d)
{
	return d->radius ? d->radius->dict : NULL;
}
