/*
 * The control socket (see ctl.h): a Unix stream socket on the daemon's
 * event loop.  Each connection carries one command line and its answer:
 *
 *	accept -> read up to '\n' (at most CTL_LINE_MAX bytes, within
 *	CTL_TIMEOUT) -> cmd_exec -> write the answer -> close
 *
 * A connection whose first line is `configure terminal` (root only) is a
 * configuration session instead (cli/config_session.c): it stays open,
 * each line is answered with its output and a prompt record (ctl.h), and
 * it ends with `end`, `exit` from the top, EOF or CTL_SESSION_IDLE of
 * silence.
 *
 * Nothing here blocks: sockets are non-blocking, a reply that does not fit
 * in the socket buffer waits in memory for an ev_io write watcher, and
 * every connection has a deadline, so a slow or silent client costs a file
 * descriptor for a few seconds and nothing more.  Connections beyond
 * CTL_MAX_CLIENTS are answered with an error and closed at once.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* accept4 */
#endif
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/config_session.h"
#include "cli/ctl.h"
#include "l2tpd.h"
#include "core/out.h"

#define CTL_LINE_MAX		4096	/* bytes, newline included */
#define CTL_TIMEOUT		5.0	/* s to send the line, and again to take the answer */
#define CTL_MAX_CLIENTS		256
#define CTL_ACCEPT_BACKOFF	1.0	/* s without accepting after EMFILE */
#define CTL_DRAIN_TIMEOUT	2.0	/* s to wait for the client's close */
#define CTL_DRAIN_MAX		(256 * 1024)	/* bytes discarded before giving up */
#define CTL_GROUP		"l2tpd"		/* the operators: the socket is 0660 for them */
#define CTL_SESSION_IDLE	600.0	/* s of silence that end a configuration session */

struct ctl_client {
	struct ctl_server *srv;
	int fd;
	ev_io rio, wio;
	ev_timer timer;
	size_t inlen;
	char in[CTL_LINE_MAX + 1];
	char *out;			/* the answer, from core/out.c */
	size_t outlen, outoff;
	size_t drained;
	size_t used;			/* bytes of in[] the line being answered took */
	struct cfg_session *cs;		/* a configuration session, or NULL */
	int keep;			/* the answer going out is not the last */
	int privileged;			/* root or the daemon's own user (SO_PEERCRED) */
	long uid;			/* SO_PEERCRED, -1 if it could not be read */
	LIST_ENTRY(ctl_client) link;
};

struct ctl_server {
	struct l2tpd *d;
	int fd;
	ev_io accept_io;
	ev_timer backoff;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	unsigned n_clients;
	LIST_HEAD(, ctl_client) clients;
	/* counters, for the log line at close */
	unsigned long served, refused, timeouts;
};

static void ctl_client_free(struct ctl_client *c)
{
	struct ev_loop *loop = c->srv->d->loop;

	ev_io_stop(loop, &c->rio);
	ev_io_stop(loop, &c->wio);
	ev_timer_stop(loop, &c->timer);
	close(c->fd);
	LIST_REMOVE(c, link);
	c->srv->n_clients--;
	cfg_session_free(c->cs);
	free(c->out);
	free(c);
}

/* Write what we can; returns 1 when all is sent, 0 to wait, -1 on error. */
static int ctl_client_flush(struct ctl_client *c)
{
	while (c->outoff < c->outlen) {
		ssize_t n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1;
		c->outoff += (size_t)n;
	}
	return 1;
}

/* After the answer: discard what the client still sends until it closes. */
static void ctl_client_drain_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_client *c = w->data;
	char scratch[4096];
	ssize_t n;

	n = recv(c->fd, scratch, sizeof scratch, 0);
	if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	c->drained += n > 0 ? (size_t)n : 0;
	if (n <= 0 || c->drained > CTL_DRAIN_MAX)
		ctl_client_free(c);
}

/*
 * The answer is out.  Closing a socket with unread input makes the kernel
 * send a reset, which can destroy the answer before the client reads it
 * (a client that sent more than one line, or too long a line): so signal
 * the end with a half-close and drain until the client closes, briefly.
 */
static void ctl_client_done(struct ctl_client *c)
{
	struct ev_loop *loop = c->srv->d->loop;

	ev_io_stop(loop, &c->wio);
	if (shutdown(c->fd, SHUT_WR) < 0) {
		ctl_client_free(c);
		return;
	}
	ev_set_cb(&c->rio, ctl_client_drain_cb);
	ev_io_start(loop, &c->rio);
	ev_timer_stop(loop, &c->timer);
	ev_timer_set(&c->timer, CTL_DRAIN_TIMEOUT, 0.);
	ev_timer_start(loop, &c->timer);
}

static void ctl_client_next(struct ctl_client *c);

/* The answer is out: the end of the connection, or the session's next line. */
static void ctl_client_sent(struct ctl_client *c)
{
	if (c->keep)
		ctl_client_next(c);
	else
		ctl_client_done(c);
}

static void ctl_client_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_client *c = w->data;
	int r = ctl_client_flush(c);

	if (r < 0)
		ctl_client_free(c);
	else if (r > 0)
		ctl_client_sent(c);
}

/* Send the answer now, or leave the rest to the write watcher. */
static void ctl_client_answer(struct ctl_client *c, struct out *o)
{
	struct ev_loop *loop = c->srv->d->loop;

	ev_io_stop(loop, &c->rio);
	if (o->err && !o->buf) {
		static const char oom[] = "% Out of memory\n";

		c->out = malloc(sizeof oom);
		if (c->out) {
			memcpy(c->out, oom, sizeof oom - 1);
			c->outlen = sizeof oom - 1;
		}
	} else {
		c->out = o->buf;	/* take the buffer over */
		c->outlen = o->len;
		o->buf = NULL;
	}
	out_free(o);
	c->outoff = 0;
	switch (ctl_client_flush(c)) {
	case 1:
		ctl_client_sent(c);
		return;
	case -1:
		ctl_client_free(c);
		return;
	}
	/* a fresh deadline for a client that reads slowly */
	ev_timer_stop(loop, &c->timer);
	ev_timer_set(&c->timer, CTL_TIMEOUT, 0.);
	ev_timer_start(loop, &c->timer);
	ev_io_start(loop, &c->wio);
}

/* A session's answer: the output, then the record with the prompt. */
static void ctl_session_answer(struct ctl_client *c, struct out *o, int going)
{
	char prompt[CONFIG_NAME_MAX + 32];

	cfg_session_prompt(c->cs, prompt, sizeof prompt);
	o->failed = 0;		/* an error is one line of the session, not its end */
	out_text(o, "%c%s\n", CTL_PROMPT_RECORD, prompt);
	c->keep = going;
	if (!going) {
		cfg_session_free(c->cs);
		c->cs = NULL;
	}
	ctl_client_answer(c, o);
}

static void ctl_session_open(struct ctl_client *c)
{
	struct out o;

	out_init(&o, 0);
	if (!c->privileged) {
		out_error(&o, "Permission denied: 'configure terminal' is for root only");
		ctl_client_answer(c, &o);
		return;
	}
	c->cs = cfg_session_new(c->srv->d, c->uid);
	if (c->cs == NULL) {
		out_error(&o, "Out of memory");
		ctl_client_answer(c, &o);
		return;
	}
	out_text(&o, "Enter configuration commands, one per line.  End with end.\n");
	ctl_session_answer(c, &o, 1);
}

static void ctl_client_run(struct ctl_client *c, char *line)
{
	struct l2tpd *d = c->srv->d;
	struct out o;
	int json = 0;
	size_t len = strlen(line);

	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		line[--len] = '\0';
	if (c->cs) {
		out_init(&o, 0);
		json = cfg_session_line(c->cs, line, &o);
		c->srv->served++;
		ctl_session_answer(c, &o, json);
		return;
	}
	if (cmd_exec_is(line, "configure terminal")) {
		ctl_session_open(c);
		return;
	}
	if (strncmp(line, "json ", 5) == 0 || strcmp(line, "json") == 0) {
		json = 1;
		line += line[4] ? 5 : 4;
	}
	out_init(&o, json);
	cmd_exec_cred(d, line, &o, c->privileged, c->uid);
	c->srv->served++;
	ctl_client_answer(c, &o);
}

static void ctl_client_error(struct ctl_client *c, const char *msg)
{
	struct out o;

	out_init(&o, 0);
	out_error(&o, "%s", msg);
	ctl_client_answer(c, &o);
}

/* A whole line in in[]: run it (NUL bytes refused). */
static int ctl_client_take_line(struct ctl_client *c)
{
	char *nl = memchr(c->in, '\n', c->inlen);

	if (!nl)
		return 0;
	*nl = '\0';
	c->used = (size_t)(nl - c->in) + 1;
	if (memchr(c->in, '\0', (size_t)(nl - c->in)))
		ctl_client_error(c, "Invalid input: NUL byte in the command");
	else
		ctl_client_run(c, c->in);
	return 1;
}

/* A session's answer is out: drop its line, wait for (or run) the next. */
static void ctl_client_next(struct ctl_client *c)
{
	struct ev_loop *loop = c->srv->d->loop;

	free(c->out);
	c->out = NULL;
	c->outlen = c->outoff = 0;
	c->keep = 0;
	if (c->used > c->inlen)
		c->used = c->inlen;
	memmove(c->in, c->in + c->used, c->inlen - c->used);
	c->inlen -= c->used;
	c->used = 0;
	c->in[c->inlen] = '\0';
	ev_io_stop(loop, &c->wio);
	ev_timer_stop(loop, &c->timer);
	ev_timer_set(&c->timer, CTL_SESSION_IDLE, 0.);
	ev_timer_start(loop, &c->timer);
	ev_io_start(loop, &c->rio);
	ctl_client_take_line(c);
}

static void ctl_client_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_client *c = w->data;
	ssize_t n;

	n = recv(c->fd, c->in + c->inlen, CTL_LINE_MAX - c->inlen, 0);
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		ctl_client_free(c);
		return;
	}
	if (n == 0) {
		/* EOF: a line without its newline still counts; nothing at all does not */
		if (c->inlen == 0) {
			ctl_client_free(c);
			return;
		}
		c->in[c->inlen] = '\0';
		c->used = c->inlen;
		if (c->cs) {
			/* the session's last line: its answer is the last */
			cfg_session_free(c->cs);
			c->cs = NULL;
			ctl_client_error(c, "Invalid input: the session ended without a newline");
			return;
		}
		if (memchr(c->in, '\0', c->inlen))
			ctl_client_error(c, "Invalid input: NUL byte in the command");
		else
			ctl_client_run(c, c->in);
		return;
	}
	c->inlen += (size_t)n;
	c->in[c->inlen] = '\0';
	if (ctl_client_take_line(c))
		return;
	if (c->inlen >= CTL_LINE_MAX)
		ctl_client_error(c, "Invalid input: command line too long");
}

static void ctl_client_timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl_client *c = w->data;

	c->srv->timeouts++;
	ctl_client_free(c);
}

/*
 * Root, or the user the daemon runs as, may run every command; the other
 * members of the group the socket is open to (the operators) may not run
 * those marked CMD_ROOT.  Credentials that cannot be read are nobody's.
 */
static int ctl_peer_privileged(int fd, long *uid)
{
	struct ucred cr;
	socklen_t len = sizeof cr;

	*uid = -1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || len != sizeof cr)
		return 0;
	*uid = (long)cr.uid;
	return cr.uid == 0 || cr.uid == geteuid();
}

static void ctl_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_server *s = w->data;

	for (int i = 0; i < 32; i++) {
		struct ctl_client *c;
		int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM) {
				/* the pending connection would wake us at once: pause */
				log_msg(&s->d->log, LOG_WARNING, "control socket: accept: %s; "
					"pausing for %.0f s", strerror(errno), CTL_ACCEPT_BACKOFF);
				ev_io_stop(loop, &s->accept_io);
				ev_timer_start(loop, &s->backoff);
			}
			return;
		}
		if (s->n_clients >= CTL_MAX_CLIENTS) {
			static const char busy[] = "% Too many control connections, try again\n";

			s->refused++;
			if (send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
				(void)0;	/* nothing more to do for it */
			close(fd);
			continue;
		}
		c = calloc(1, sizeof *c);
		if (!c) {
			close(fd);
			continue;
		}
		c->srv = s;
		c->fd = fd;
		c->privileged = ctl_peer_privileged(fd, &c->uid);
		ev_io_init(&c->rio, ctl_client_read_cb, fd, EV_READ);
		ev_io_init(&c->wio, ctl_client_write_cb, fd, EV_WRITE);
		ev_timer_init(&c->timer, ctl_client_timeout_cb, CTL_TIMEOUT, 0.);
		c->rio.data = c->wio.data = c->timer.data = c;
		LIST_INSERT_HEAD(&s->clients, c, link);
		s->n_clients++;
		ev_io_start(loop, &c->rio);
		ev_timer_start(loop, &c->timer);
	}
}

static void ctl_backoff_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl_server *s = w->data;

	ev_io_start(loop, &s->accept_io);
}

/* mkdir -p of the directory holding path. */
static int ctl_mkdir_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(dir, 0755) < 0 && errno != EEXIST)
				return -errno;
			*p = c;
			if (!c)
				break;
		}
	}
	return 0;
}

/*
 * Is a daemon answering on path?  1 yes, 0 no (nothing there, or a stale
 * socket, which is removed), or a negative errno.
 */
static int ctl_probe(const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, r;

	if (lstat(sa->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	/* non-blocking: a daemon with a full backlog must not hang us */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	r = connect(fd, (const struct sockaddr *)sa, sizeof *sa);
	if (r < 0)
		r = -errno;
	close(fd);
	if (r == 0 || r == -EAGAIN)
		return 1;
	errno = -r;
	if (errno == ECONNREFUSED || errno == ENOENT) {
		if (unlink(sa->sun_path) < 0 && errno != ENOENT)
			return -errno;
		return 0;
	}
	return -errno;
}

/* The socket belongs to the group CTL_GROUP when it exists (the package
 * creates it), else to the daemon's own group. */
static void ctl_set_group(struct l2tpd *d, const char *path)
{
	struct group *gr = getgrnam(CTL_GROUP);

	if (gr == NULL || gr->gr_gid == getegid())
		return;
	if (chown(path, (uid_t)-1, gr->gr_gid) < 0)
		log_msg(&d->log, LOG_WARNING, "control socket %s: cannot give it to group %s: %s",
			path, CTL_GROUP, strerror(errno));
}

int ctl_open(struct l2tpd *d, const char *path, char *err, size_t errsz)
{
	struct sockaddr_un sa;
	mode_t old;
	int fd, r;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (!path[0] || strlen(path) >= sizeof sa.sun_path) {
		snprintf(err, errsz, "control socket path '%s' is empty or too long (at most %zu)",
			 path, sizeof sa.sun_path - 1);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	r = ctl_mkdir_parent(path);
	if (r < 0) {
		snprintf(err, errsz, "control socket %s: cannot create its directory: %s", path,
			 strerror(-r));
		return r;
	}
	r = ctl_probe(&sa);
	if (r == 1) {
		snprintf(err, errsz, "control socket %s: another l2tpd is answering on it", path);
		return -EADDRINUSE;
	}
	if (r == -EEXIST) {
		snprintf(err, errsz, "control socket %s: exists and is not a socket", path);
		return r;
	}
	if (r < 0) {
		snprintf(err, errsz, "control socket %s: %s", path, strerror(-r));
		return r;
	}

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errsz, "control socket: %s", strerror(-r));
		return r;
	}
	old = umask(0117);		/* 0660: the daemon's user and the operators' group */
	r = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	if (r == 0)
		ctl_set_group(d, sa.sun_path);
	if (r < 0 || listen(fd, 64) < 0) {
		r = -errno;
		snprintf(err, errsz, "control socket %s: %s", path, strerror(-r));
		close(fd);
		return r;
	}
	r = ctl_adopt(d, path, fd, err, errsz);
	if (r < 0) {
		close(fd);
		unlink(path);
	}
	return r;
}

int ctl_adopt(struct l2tpd *d, const char *path, int fd, char *err, size_t errsz)
{
	struct ctl_server *s;

	s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errsz, "control socket: out of memory");
		return -ENOMEM;
	}
	s->d = d;
	s->fd = fd;
	snprintf(s->path, sizeof s->path, "%s", path);
	LIST_INIT(&s->clients);
	ev_io_init(&s->accept_io, ctl_accept_cb, fd, EV_READ);
	ev_timer_init(&s->backoff, ctl_backoff_cb, CTL_ACCEPT_BACKOFF, 0.);
	s->accept_io.data = s->backoff.data = s;
	ev_io_start(d->loop, &s->accept_io);
	d->ctl = s;
	return 0;
}

int ctl_fd(const struct l2tpd *d)
{
	return d->ctl != NULL ? d->ctl->fd : -1;
}

void ctl_accepting(struct l2tpd *d, int on)
{
	if (d->ctl == NULL)
		return;
	if (on)
		ev_io_start(d->loop, &d->ctl->accept_io);
	else
		ev_io_stop(d->loop, &d->ctl->accept_io);
}

void ctl_close(struct l2tpd *d)
{
	struct ctl_server *s = d->ctl;

	if (!s)
		return;
	while (!LIST_EMPTY(&s->clients))
		ctl_client_free(LIST_FIRST(&s->clients));
	ev_io_stop(d->loop, &s->accept_io);
	ev_timer_stop(d->loop, &s->backoff);
	close(s->fd);
	unlink(s->path);
	if (s->served || s->refused || s->timeouts)
		log_msg(&d->log, LOG_DEBUG, "control socket: %lu commands served, %lu connections "
			"refused, %lu timed out", s->served, s->refused, s->timeouts);
	free(s);
	d->ctl = NULL;
}
