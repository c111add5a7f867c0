/*
 * RFC 5176 Dynamic Authorization Server (see radius_das.h).
 *
 * One UDP socket on the configured port.  Each datagram goes through the
 * checks in RFC order, each with its own counter; what fails one is
 * discarded silently (§3.5: a request whose authenticator does not verify
 * MUST be silently discarded), so that the sender of a forged request
 * learns nothing.  What session a verified request names, and what to do
 * with it, is aaa/aaa.c's business.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "l2tpd.h"
#include "aaa/radius.h"
#include "aaa/radius_client.h"
#include "aaa/radius_das.h"
#include "aaa/radius_dict.h"

#define DAS_WINDOW_S		300	/* Event-Timestamp: seconds either way */
#define DAS_DUP_MS		30000	/* a duplicate is answered from the cache this long */
#define DAS_CACHE		64	/* answers kept for duplicates */
#define DAS_ANSWER_MAX		128	/* an answer is at most 20 + 6 + 18 + Proxy-States */
#define DAS_RX_BURST		64

struct das_cached {
	struct sockaddr_in from;
	uint8_t id;
	uint8_t auth[RADIUS_AUTH_LEN];
	uint64_t when;			/* ms on the clock */
	int used;
	size_t len;
	uint8_t answer[DAS_ANSWER_MAX];
};

struct radius_das {
	struct l2tpd *d;
	int fd;
	ev_io io;
	uint16_t port;
	struct radius_das_stats st;
	struct das_cached cache[DAS_CACHE];
	unsigned cache_next;
	uint64_t stats_since;
};

static void das_debug(struct radius_das *das, const char *what, const struct sockaddr_in *peer,
		      const uint8_t *buf, size_t len)
{
	const struct l2tp_log *lg = &das->d->log;
	char ip[INET_ADDRSTRLEN], attrs[768];
	struct radius_msg m;

	if (!(lg->debug & LOG_DBG_RADIUS))
		return;
	inet_ntop(AF_INET, &peer->sin_addr, ip, sizeof ip);
	if (radius_parse(buf, len, &m) < 0) {
		log_debug(lg, LOG_DBG_RADIUS, "radius dynamic-author: %s %zu octets %s %s:%u", what,
			  len, *what == 's' ? "to" : "from", ip, ntohs(peer->sin_port));
		return;
	}
	radius_dict_format_msg(radius_client_dict(das->d), &m, attrs, sizeof attrs);
	log_debug(lg, LOG_DBG_RADIUS, "radius dynamic-author: %s %s id=%u %s %s:%u: %s", what,
		  radius_code_name(m.code), m.id, *what == 's' ? "to" : "from", ip,
		  ntohs(peer->sin_port), attrs);
}

static const struct config_das_client *das_client(const struct radius_das *das,
						  struct in_addr addr)
{
	const struct config_radius *cr = &das->d->cfg.radius;

	for (unsigned i = 0; i < cr->n_clients; i++)
		if (cr->clients[i].addr.s_addr == addr.s_addr)
			return &cr->clients[i];
	return NULL;
}

static struct das_cached *das_cache_find(struct radius_das *das, const struct sockaddr_in *from,
					 const struct radius_msg *m)
{
	uint64_t now = clock_now(&das->d->clk);

	for (unsigned i = 0; i < DAS_CACHE; i++) {
		struct das_cached *e = &das->cache[i];

		if (e->used && now - e->when < DAS_DUP_MS && e->id == m->id &&
		    e->from.sin_addr.s_addr == from->sin_addr.s_addr &&
		    e->from.sin_port == from->sin_port &&
		    memcmp(e->auth, m->auth, RADIUS_AUTH_LEN) == 0)
			return e;
	}
	return NULL;
}

static void das_cache_add(struct radius_das *das, const struct sockaddr_in *from,
			  const struct radius_msg *m, const uint8_t *answer, size_t len)
{
	struct das_cached *e = &das->cache[das->cache_next];

	if (len > sizeof e->answer)
		return;
	das->cache_next = (das->cache_next + 1) % DAS_CACHE;
	e->from = *from;
	e->id = m->id;
	memcpy(e->auth, m->auth, RADIUS_AUTH_LEN);
	e->when = clock_now(&das->d->clk);
	e->used = 1;
	memcpy(e->answer, answer, len);
	e->len = len;
}

static void das_send(struct radius_das *das, const struct sockaddr_in *to, const uint8_t *buf,
		     size_t len)
{
	das_debug(das, "sent", to, buf, len);
	if (sendto(das->fd, buf, len, 0, (const struct sockaddr *)to, sizeof *to) < 0)
		das->st.send_errors++;
}

/* A verified request: act, answer, remember the answer. */
static void das_handle(struct radius_das *das, const struct sockaddr_in *from,
		       const struct radius_msg *m, const char *key)
{
	struct radius_pkt *p;
	uint32_t cause = 0;
	int disconnect = m->code == RADIUS_DISCONNECT_REQUEST;
	char ip[INET_ADDRSTRLEN];
	uint8_t code;
	int rc;

	if (disconnect) {
		das->st.disconnect_requests++;
		rc = aaa_das_disconnect(das->d, m, &cause);
	} else {
		das->st.coa_requests++;
		rc = aaa_das_coa(das->d, m, &cause);
	}
	if (rc < 0 && cause == 0)
		cause = rc == -ENOENT ? RADIUS_ERR_SESSION_NOT_FOUND :
			RADIUS_ERR_RESOURCES_UNAVAILABLE;
	if (disconnect)
		code = rc < 0 ? RADIUS_DISCONNECT_NAK : RADIUS_DISCONNECT_ACK;
	else
		code = rc < 0 ? RADIUS_COA_NAK : RADIUS_COA_ACK;
	switch (code) {
	case RADIUS_DISCONNECT_ACK: das->st.disconnect_acks++; break;
	case RADIUS_DISCONNECT_NAK: das->st.disconnect_naks++; break;
	case RADIUS_COA_ACK: das->st.coa_acks++; break;
	default: das->st.coa_naks++; break;
	}
	inet_ntop(AF_INET, &from->sin_addr, ip, sizeof ip);
	if (rc < 0)
		log_msg(&das->d->log, LOG_INFO, "radius dynamic-author: %s id=%u from %s: %s, "
			"Error-Cause %u (%s)", radius_code_name(m->code), m->id, ip,
			radius_code_name(code), cause, radius_error_cause_name(cause));
	else
		log_msg(&das->d->log, LOG_INFO, "radius dynamic-author: %s id=%u from %s: %s",
			radius_code_name(m->code), m->id, ip, radius_code_name(code));

	p = malloc(sizeof *p);
	if (p == NULL)
		return;
	radius_pkt_init(p, code);
	if (radius_find(m, RADIUS_ATTR_MESSAGE_AUTHENTICATOR))
		radius_put_msgauth(p);
	if (rc < 0)
		radius_put_u32(p, RADIUS_ATTR_ERROR_CAUSE, cause);
	/* RFC 2865 §5.33, RFC 5176 §3: Proxy-State copied, in order */
	for (const struct radius_attr *a = radius_find(m, RADIUS_ATTR_PROXY_STATE); a;
	     a = radius_find_next(m, a, RADIUS_ATTR_PROXY_STATE))
		radius_put(p, RADIUS_ATTR_PROXY_STATE, a->val, a->len);
	if (radius_pkt_finish(p, m->id, key, m->auth) == 0) {
		das_cache_add(das, from, m, p->buf, p->len);
		das_send(das, from, p->buf, p->len);
	}
	free(p);
}

static void das_datagram(struct radius_das *das, const struct sockaddr_in *from,
			 const uint8_t *buf, size_t len)
{
	const struct config_das_client *cl = das_client(das, from->sin_addr);
	const struct radius_attr *ts;
	struct das_cached *dup;
	struct radius_msg *m;
	const char *key;
	uint32_t when;

	das_debug(das, "received", from, buf, len);
	if (cl == NULL) {
		das->st.unknown_clients++;
		return;
	}
	key = config_das_key(&das->d->cfg.radius, cl);
	if (!key[0]) {
		das->st.bad_authenticators++;	/* no key: nothing can verify */
		return;
	}
	m = malloc(sizeof *m);
	if (m == NULL)
		return;
	if (radius_parse(buf, len, m) < 0) {
		das->st.malformed++;
		goto out;
	}
	if (m->code != RADIUS_DISCONNECT_REQUEST && m->code != RADIUS_COA_REQUEST) {
		das->st.unknown_codes++;
		goto out;
	}
	/* §3.5: MD5(Code + Identifier + Length + 16 zero octets + Attributes + Secret) */
	if (radius_verify_request(m, key) < 0) {
		das->st.bad_authenticators++;
		goto out;
	}
	/* RFC 3579 §3.2 with the Request Authenticator zeroed, as §3.5 says */
	if (radius_verify_msgauth(m, NULL, key) == -EBADMSG) {
		das->st.bad_msgauth++;
		goto out;
	}
	dup = das_cache_find(das, from, m);
	if (dup != NULL) {
		das->st.duplicates++;
		das_send(das, from, dup->answer, dup->len);
		goto out;
	}
	/* §4.2: replay protection */
	ts = radius_find(m, RADIUS_ATTR_EVENT_TIMESTAMP);
	if (ts != NULL) {
		time_t now = clock_wall_s(&das->d->clk);

		if (radius_get_u32(ts, &when) < 0 ||
		    (when > (uint64_t)now ? when - (uint64_t)now : (uint64_t)now - when) >
		    DAS_WINDOW_S) {
			das->st.stale++;
			goto out;
		}
	}
	das_handle(das, from, m, key);
out:
	free(m);
}

static void das_read(struct ev_loop *loop, ev_io *w, int revents)
{
	struct radius_das *das = w->data;
	uint8_t buf[RADIUS_MAX_LEN + 1];

	for (unsigned i = 0; i < DAS_RX_BURST; i++) {
		struct sockaddr_in from;
		socklen_t fl = sizeof from;
		ssize_t n = recvfrom(das->fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);

		if (n < 0)
			return;
		if (fl != sizeof from || from.sin_family != AF_INET)
			continue;
		das_datagram(das, &from, buf, (size_t)n);
	}
}

int radius_das_init(struct l2tpd *d)
{
	const struct config_radius *cr = &d->cfg.radius;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof sa;
	struct radius_das *das;
	int rc;

	if (!cr->das || d->das != NULL)
		return 0;
	das = calloc(1, sizeof *das);
	if (das == NULL)
		return -ENOMEM;
	das->d = d;
	das->stats_since = clock_now(&d->clk);
	das->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (das->fd < 0)
		goto fail;
	sa.sin_port = htons(cr->das_port);
	if (bind(das->fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    getsockname(das->fd, (struct sockaddr *)&sa, &sl) < 0)
		goto fail;
	das->port = ntohs(sa.sin_port);
	ev_io_init(&das->io, das_read, das->fd, EV_READ);
	das->io.data = das;
	if (d->loop)
		ev_io_start(d->loop, &das->io);
	d->das = das;
	log_msg(&d->log, LOG_INFO, "radius dynamic-author: listening on UDP port %u, %u clients",
		das->port, cr->n_clients);
	return 0;
fail:
	rc = -errno;
	log_msg(&d->log, LOG_ERR, "radius dynamic-author: cannot listen on UDP port %u: %s",
		cr->das_port, strerror(errno));
	if (das->fd >= 0)
		close(das->fd);
	free(das);
	return rc;
}

void radius_das_free(struct l2tpd *d)
{
	struct radius_das *das = d->das;

	if (das == NULL)
		return;
	if (d->loop)
		ev_io_stop(d->loop, &das->io);
	close(das->fd);
	free(das);
	d->das = NULL;
}

const struct radius_das_stats *radius_das_stats(const struct l2tpd *d)
{
	return d->das ? &d->das->st : NULL;
}

uint16_t radius_das_port(const struct l2tpd *d)
{
	return d->das ? d->das->port : 0;
}

void radius_das_clear_stats(struct l2tpd *d)
{
	if (d->das == NULL)
		return;
	memset(&d->das->st, 0, sizeof d->das->st);
	d->das->stats_since = clock_now(&d->clk);
}
