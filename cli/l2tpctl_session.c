/*
 * `configure terminal` sessions of the control socket, the client's side
 * (the protocol: l2tpd/cli/ctl.h).  A line is sent, its answer read up to
 * the prompt record that closes it, then the next line: lock step, so a
 * refused line stops what comes after it.
 *
 *	l2tpctl configure < FILE	the lines of FILE in configuration mode
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "l2tpctl.h"
#include "l2tpctl_session.h"

int l2tpctl_sess_open(struct l2tpctl_sess *s, const char *path, long timeout)
{
	memset(s, 0, sizeof *s);
	s->timeout = timeout;
	s->fd = l2tpctl_connect(path);
	return s->fd < 0 ? -1 : 0;
}

void l2tpctl_sess_close(struct l2tpctl_sess *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

/* The end of the answer in buf: the record's newline; NULL if not there yet. */
static char *l2tpctl_sess_record(const struct l2tpctl_sess *s, char **rec)
{
	for (size_t i = 0; i < s->len; i++) {
		char *nl;

		if (s->buf[i] != L2TPCTL_PROMPT_RECORD || (i > 0 && s->buf[i - 1] != '\n'))
			continue;
		nl = memchr(s->buf + i, '\n', s->len - i);
		if (nl == NULL)
			return NULL;
		*rec = s->buf + i;
		return nl;
	}
	return NULL;
}

/* Read the answer of the line sent: text (malloc'd) and prompt. */
static int l2tpctl_sess_answer(struct l2tpctl_sess *s, char **text)
{
	struct timespec deadline;
	char *rec, *nl;

	l2tpctl_deadline(&deadline, s->timeout);
	while ((nl = l2tpctl_sess_record(s, &rec)) == NULL) {
		ssize_t n;
		int r;

		if (s->len + 4096 > s->cap) {
			char *nb = realloc(s->buf, s->cap * 2 + 8192);

			if (nb == NULL)
				return -ENOMEM;
			s->buf = nb;
			s->cap = s->cap * 2 + 8192 - 1;
		}
		r = l2tpctl_wait(s->fd, POLLIN, &deadline);
		if (r)
			return r;
		n = recv(s->fd, s->buf + s->len, s->cap - s->len, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		s->len += (size_t)n;
	}
	*text = strndup(s->buf, (size_t)(rec - s->buf));
	snprintf(s->prompt, sizeof s->prompt, "%.*s", (int)(nl - rec - 1), rec + 1);
	s->len -= (size_t)(nl + 1 - s->buf);
	memmove(s->buf, nl + 1, s->len);
	return *text ? 0 : -ENOMEM;
}

/* The prompt of a session that has ended: "host#" (no mode in it). */
int l2tpctl_sess_ended(const struct l2tpctl_sess *s)
{
	return strchr(s->prompt, '(') == NULL;
}

int l2tpctl_sess_line(struct l2tpctl_sess *s, const char *line, char **text)
{
	struct timespec deadline;
	char buf[L2TPCTL_LINE_MAX + 1];
	size_t len = strlen(line);
	int r;

	if (len >= L2TPCTL_LINE_MAX || strchr(line, '\n'))
		return -E2BIG;
	memcpy(buf, line, len);
	buf[len++] = '\n';
	l2tpctl_deadline(&deadline, s->timeout);
	r = l2tpctl_send(s->fd, buf, len, &deadline);
	return r ? r : l2tpctl_sess_answer(s, text);
}

int l2tpctl_sess_start(struct l2tpctl_sess *s, char **text)
{
	return l2tpctl_sess_line(s, "configure terminal", text);
}

static int l2tpctl_sess_fail(const char *what, int r)
{
	fprintf(stderr, "l2tpctl: %s: %s\n", what,
		r == -ETIMEDOUT ? "no answer from l2tpd in time" :
		r == -E2BIG ? "line too long" : strerror(-r));
	return r == -E2BIG ? EXIT_REFUSED : EXIT_UNREACHABLE;
}

int l2tpctl_configure(const char *path, long timeout)
{
	struct l2tpctl_sess s;
	char *line = NULL, *text = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	ssize_t n;
	int r, rc = EXIT_OK;

	if (l2tpctl_sess_open(&s, path, timeout) < 0)
		return EXIT_UNREACHABLE;
	r = l2tpctl_sess_start(&s, &text);
	if (r || l2tpctl_is_error(text, 0) || l2tpctl_sess_ended(&s)) {
		rc = r ? l2tpctl_sess_fail("configure terminal", r) : EXIT_REFUSED;
		if (!r)
			fputs(text, stderr);
		goto out;
	}
	while (!l2tpctl_sess_ended(&s) && (n = getline(&line, &cap, stdin)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		free(text);
		text = NULL;
		r = l2tpctl_sess_line(&s, line, &text);
		if (r) {
			rc = l2tpctl_sess_fail("configure", r);
			goto out;
		}
		if (l2tpctl_is_error(text, 0)) {
			fprintf(stderr, "l2tpctl: line %u: %s: %s", lineno, line,
				text + strspn(text, " \t\r\n"));
			rc = EXIT_REFUSED;
			goto out;
		}
		fputs(text, stdout);
	}
	if (!l2tpctl_sess_ended(&s)) {
		free(text);
		text = NULL;
		r = l2tpctl_sess_line(&s, "end", &text);
		if (r) {
			rc = l2tpctl_sess_fail("configure", r);
		} else if (l2tpctl_is_error(text, 0)) {
			/* lines held incomplete at the end: none applied */
			fprintf(stderr, "l2tpctl: end of input: %s", text + strspn(text, " \t\r\n"));
			rc = EXIT_REFUSED;
		}
	}
out:
	free(text);
	free(line);
	l2tpctl_sess_close(&s);
	return rc;
}
