/*
 * The /metrics endpoint on libmicrohttpd in its external-select mode: MHD
 * owns no thread; its epoll descriptor is an ev_io of the daemon's loop
 * and its next timeout an ev_timer, and MHD_run() does the work on the
 * loop, so a scrape reads the rooms' state with nothing else running.
 *
 * Bounds: at most METRICS_HTTP_CONNS connections (METRICS_HTTP_PER_IP
 * from one address), METRICS_HTTP_MEM bytes of request per connection
 * (a longer request line or headers get 413/431 from MHD and are closed),
 * METRICS_HTTP_TIMEOUT s of idleness, one request per connection (every
 * answer says Connection: close), no request body.  Everything refused is
 * counted (struct metrics_http_stats) and logged at most once per 10 s.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ev.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2tpd.h"
#include "metrics/metrics.h"
#include "metrics/prom.h"

#define METRICS_HTTP_CONNS	16
#define METRICS_HTTP_PER_IP	4
#define METRICS_HTTP_MEM	(16 * 1024)
#define METRICS_HTTP_TIMEOUT	10	/* s */
#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

struct metrics_http {
	struct metrics *m;
	struct MHD_Daemon *mhd;
	ev_io io;			/* MHD's epoll descriptor */
	ev_timer timer;			/* MHD's next timeout */
};

/* Per connection: did it get an answer? */
struct metrics_conn {
	int answered;
};

static void metrics_http_arm(struct metrics_http *h)
{
	struct ev_loop *loop = h->m->d->loop;
	MHD_UNSIGNED_LONG_LONG ms;

	ev_timer_stop(loop, &h->timer);
	if (MHD_get_timeout(h->mhd, &ms) == MHD_YES) {
		ev_timer_set(&h->timer, (double)ms / 1000.0, 0.);
		ev_timer_start(loop, &h->timer);
	}
}

static void metrics_http_run(struct metrics_http *h)
{
	MHD_run(h->mhd);
	metrics_http_arm(h);
}

static void metrics_http_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	metrics_http_run(w->data);
}

static void metrics_http_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	metrics_http_run(w->data);
}

static enum MHD_Result metrics_http_reply(struct MHD_Connection *c, unsigned status,
					  const char *text)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result metrics_http_scrape(struct metrics *m, struct MHD_Connection *c)
{
	struct MHD_Response *r;
	struct prom p;
	enum MHD_Result ret;
	uint64_t t0 = clock_now_us(&m->d->clk);

	prom_init(&p);
	metrics_render(m->d, &p);
	if (p.err || p.buf == NULL) {
		prom_free(&p);
		m->http_stats.render_errors++;
		return metrics_http_reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	}
	m->http_stats.render_us_last = clock_now_us(&m->d->clk) - t0;
	r = MHD_create_response_from_buffer(p.len, p.buf, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		prom_free(&p);
		return MHD_NO;
	}
	m->http_stats.scrapes++;
	m->http_stats.bytes += p.len;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, METRICS_CONTENT_TYPE);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static void metrics_http_answered(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct metrics_conn *mc = ci ? ci->socket_context : NULL;

	if (mc)
		mc->answered = 1;
}

static enum MHD_Result metrics_http_request(void *cls, struct MHD_Connection *c, const char *url,
					    const char *method, const char *version,
					    const char *upload_data, size_t *upload_data_size,
					    void **req_cls)
{
	struct metrics *m = cls;

	metrics_http_answered(c);
	if (*upload_data_size != 0 || MHD_lookup_connection_value(c, MHD_HEADER_KIND,
				MHD_HTTP_HEADER_CONTENT_LENGTH) != NULL) {
		*upload_data_size = 0;
		if (*req_cls != NULL)
			return MHD_YES;	/* answered already; the rest is discarded */
		*req_cls = m;
		m->http_stats.bad_body++;
		metrics_log_bad(m, "a request with a body refused (413)");
		return metrics_http_reply(c, MHD_HTTP_CONTENT_TOO_LARGE, "no body, please\n");
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		m->http_stats.bad_method++;
		metrics_log_bad(m, "a request that is not GET or HEAD refused (405)");
		return metrics_http_reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "GET /metrics\n");
	}
	if (strcmp(url, "/metrics") != 0) {
		m->http_stats.not_found++;
		metrics_log_bad(m, "a request for another path than /metrics refused (404)");
		return metrics_http_reply(c, MHD_HTTP_NOT_FOUND, "GET /metrics\n");
	}
	return metrics_http_scrape(m, c);
}

static void metrics_http_completed(void *cls, struct MHD_Connection *c, void **req_cls,
				   enum MHD_RequestTerminationCode toe)
{
	struct metrics *m = cls;

	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK) {
		m->http_stats.failed++;
		metrics_log_bad(m, "a request ended in an error, a timeout or by the client");
	}
}

static void metrics_http_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
				    enum MHD_ConnectionNotificationCode toe)
{
	struct metrics *m = cls;
	struct metrics_conn *mc = *socket_ctx;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		m->http_stats.connections++;
		*socket_ctx = calloc(1, sizeof(struct metrics_conn));
		return;
	}
	if (mc == NULL || !mc->answered) {
		m->http_stats.dropped++;
		metrics_log_bad(m, "a connection closed with no request answered (malformed, "
				"too large or silent)");
	}
	free(mc);
	*socket_ctx = NULL;
}

static void metrics_http_logger(void *cls, const char *fmt, va_list ap)
{
	struct metrics *m = cls;
	char line[256];
	size_t n;

	vsnprintf(line, sizeof line, fmt, ap);
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	log_debug(&m->d->log, LOG_DBG_EVENT, "metrics: %s", line);
}

int metrics_http_open(struct metrics *m, struct in_addr addr, uint16_t port, char *err,
		      size_t errsz)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr = addr };
	const union MHD_DaemonInfo *info;
	struct metrics_http *h;

	h = calloc(1, sizeof *h);
	if (h == NULL) {
		snprintf(err, errsz, "metrics: out of memory");
		return -ENOMEM;
	}
	h->m = m;
	h->mhd = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG, port, NULL, NULL,
				  metrics_http_request, m,
				  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned)METRICS_HTTP_CONNS,
				  MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)METRICS_HTTP_PER_IP,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)METRICS_HTTP_MEM,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)METRICS_HTTP_TIMEOUT,
				  MHD_OPTION_NOTIFY_COMPLETED, metrics_http_completed, m,
				  MHD_OPTION_NOTIFY_CONNECTION, metrics_http_connection, m,
				  MHD_OPTION_EXTERNAL_LOGGER, metrics_http_logger, m,
				  MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
				  MHD_OPTION_END);
	info = h->mhd ? MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
	if (info == NULL) {
		int e = errno ? errno : EADDRINUSE;

		if (h->mhd)
			MHD_stop_daemon(h->mhd);
		free(h);
		snprintf(err, errsz, "metrics: cannot listen on %s port %u: %s", inet_ntoa(addr),
			 port, strerror(e));
		return -e;
	}
	ev_io_init(&h->io, metrics_http_io_cb, info->epoll_fd, EV_READ);
	ev_timer_init(&h->timer, metrics_http_timer_cb, 0., 0.);
	h->io.data = h->timer.data = h;
	ev_io_start(m->d->loop, &h->io);
	m->http = h;
	m->addr = addr;
	m->port = port;
	metrics_http_arm(h);
	log_msg(&m->d->log, LOG_INFO, "metrics: serving /metrics on %s port %u", inet_ntoa(addr),
		port);
	return 0;
}

void metrics_http_close(struct metrics *m)
{
	struct metrics_http *h = m->http;

	if (h == NULL)
		return;
	ev_io_stop(m->d->loop, &h->io);
	ev_timer_stop(m->d->loop, &h->timer);
	MHD_stop_daemon(h->mhd);
	free(h);
	m->http = NULL;
	m->port = 0;
}
