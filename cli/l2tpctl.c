/*
 * l2tpctl: the l2tpd command-line client.
 *
 *	l2tpctl [-s PATH] [-j|--json] [-t SECONDS] WORDS...
 *	l2tpctl [-s PATH] [-t SECONDS] configure	(lines on standard input)
 *	l2tpctl [-s PATH] [-t SECONDS]		(on a terminal: the shell, l2tpctl_shell.c)
 *
 * It joins WORDS into one command line, sends it over the daemon's control
 * socket ("json " in front for --json), prints the answer and exits:
 *	0  the command ran
 *	1  the daemon refused it ("% ..." or a JSON object with "error"),
 *	   or the command line itself is unusable
 *	2  the daemon could not be reached or did not answer
 * The commands themselves live in the daemon (`l2tpctl help` lists them);
 * this program knows only the protocol.  One command runs here, without a
 * daemon: `l2tpctl redundancy keygen` makes the CURVE keypair of the HA
 * checkpoint link (libzmq), so keys can be made before l2tpd is configured.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "l2tpctl.h"
#include "l2tpctl_shell.h"


static void l2tpctl_usage(FILE *f)
{
	fprintf(f,
		"usage: l2tpctl [-s PATH] [-j|--json] [-t SECONDS] COMMAND...\n"
		"       l2tpctl [-s PATH] [-t SECONDS]   (on a terminal: the interactive shell)\n"
		"  -s, --socket PATH   control socket (default %s)\n"
		"  -j, --json          ask for JSON output\n"
		"  -t, --timeout SECS  wait at most this long for the answer (default %d)\n"
		"  -h, --help          this help\n"
		"\n"
		"Examples:\n"
		"  l2tpctl show l2tp tunnel\n"
		"  l2tpctl --json show l2tp session detail\n"
		"  l2tpctl clear l2tp tunnel id 28407\n"
		"  l2tpctl redundancy state master   (from keepalived's notify script)\n"
		"  l2tpctl show l2tp redundancy all\n"
		"  l2tpctl help            (the daemon's list of commands)\n"
		"  l2tpctl configure < changes.txt   (configure terminal, a line at a time;\n"
		"                          stops at the first refused line)\n"
		"\n"
		"Run here, without the daemon:\n"
		"  l2tpctl redundancy keygen   a CURVE keypair for `checkpoint curve` (l2tpd.conf(5))\n",
		L2TPCTL_DEFAULT_SOCKET, L2TPCTL_TIMEOUT);
}

/*
 * `l2tpctl redundancy keygen`: a fresh CURVE keypair for this box, as the
 * configuration line that takes it, and its public key alone for the other
 * box's peer-key.  The secret key goes to stdout only: redirect it into a
 * file of mode 0600.
 */
static int l2tpctl_keygen(int json)
{
	char public_key[41], secret_key[41];

	if (zmq_curve_keypair(public_key, secret_key) != 0) {
		fprintf(stderr, "l2tpctl: redundancy keygen: %s%s\n", zmq_strerror(zmq_errno()),
			zmq_errno() == ENOTSUP ? " (libzmq was built without CURVE)" : "");
		return EXIT_REFUSED;
	}
	if (json)
		printf("{\"public_key\":\"%s\",\"secret_key\":\"%s\"}\n", public_key,
		       secret_key);
	else
		printf("! This box's checkpoint link keys: in its l2tpd.conf (mode 0600),\n"
		       "! under `redundancy`, with the other box's public key as peer-key:\n"
		       " checkpoint curve public-key %s secret-key %s peer-key "
		       "<the other box's public key>\n"
		       "! The public key, for the other box's peer-key:\n"
		       "%s\n", public_key, secret_key, public_key);
	explicit_bzero(secret_key, sizeof secret_key);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_UNREACHABLE;
}

long l2tpctl_ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? ms : 0;
}

/* Wait for fd to be ready for events; 0 when it is, -ETIMEDOUT, or -errno. */
int l2tpctl_wait(int fd, short events, const struct timespec *deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		long left = l2tpctl_ms_left(deadline);
		int r;

		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&p, 1, left > 1000000 ? 1000000 : (int)left);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

int l2tpctl_send(int fd, const char *buf, size_t len, const struct timespec *deadline)
{
	while (len) {
		ssize_t n;
		int r = l2tpctl_wait(fd, POLLOUT, deadline);

		if (r)
			return r;
		n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read to EOF into a growing buffer. */
int l2tpctl_recv(int fd, char **out, size_t *outlen, const struct timespec *deadline)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap + 1);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;
		int r;

		if (len == cap) {
			char *nb;

			if (cap >= L2TPCTL_ANSWER_MAX) {
				free(buf);
				return -EFBIG;
			}
			nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		r = l2tpctl_wait(fd, POLLIN, deadline);
		if (r) {
			free(buf);
			return r;
		}
		n = recv(fd, buf + len, cap - len, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (n < 0) {
			r = -errno;
			free(buf);
			return r;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

/* An error answer: "% ..." in text, {"error": ...} in JSON. */
int l2tpctl_is_error(const char *a, int json)
{
	a += strspn(a, " \t\r\n");
	if (!json)
		return a[0] == '%';
	if (*a != '{')
		return 0;
	a++;
	a += strspn(a, " \t\r\n");
	return strncmp(a, "\"error\"", 7) == 0;
}

/* The command line sent to the daemon: the words joined by spaces, "json "
 * first with --json, a newline last.  -1 (said on stderr) if it cannot be. */
static int l2tpctl_line(char line[L2TPCTL_LINE_MAX], size_t *lenp, char **words, int n, int json)
{
	size_t len = 0;

	if (json)
		len = (size_t)snprintf(line, L2TPCTL_LINE_MAX, "json ");
	for (int i = 0; i < n; i++) {
		size_t wl = strlen(words[i]);

		if (len + wl + 2 > L2TPCTL_LINE_MAX) {
			fprintf(stderr, "l2tpctl: command too long (at most %d bytes)\n",
				L2TPCTL_LINE_MAX - 1);
			return -1;
		}
		if (strchr(words[i], '\n')) {
			fprintf(stderr, "l2tpctl: a newline cannot be part of a command\n");
			return -1;
		}
		if (i > 0)
			line[len++] = ' ';
		memcpy(line + len, words[i], wl);
		len += wl;
	}
	line[len++] = '\n';
	*lenp = len;
	return 0;
}

int l2tpctl_connect(const char *path)
{
	struct sockaddr_un sa;
	int fd, err;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "l2tpctl: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		err = errno;
		fprintf(stderr, "l2tpctl: cannot connect to %s: %s%s\n", path, strerror(err),
			err == ENOENT || err == ECONNREFUSED ? " (is l2tpd running?)" : "");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

void l2tpctl_deadline(struct timespec *deadline, long timeout)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += timeout;
}

int l2tpctl_exchange(const char *path, const char *line, size_t len, long timeout, int json,
		     FILE *out)
{
	struct timespec deadline;
	size_t alen = 0;
	char *answer = NULL;
	int fd, r;

	l2tpctl_deadline(&deadline, timeout);
	fd = l2tpctl_connect(path);
	if (fd < 0)
		return EXIT_UNREACHABLE;
	r = l2tpctl_send(fd, line, len, &deadline);
	if (r == 0)
		shutdown(fd, SHUT_WR);
	/* a daemon that refuses us at once may have closed before reading */
	if (r == 0 || r == -EPIPE || r == -ECONNRESET)
		r = l2tpctl_recv(fd, &answer, &alen, &deadline);
	close(fd);
	if (r) {
		fprintf(stderr, "l2tpctl: %s: %s\n", path,
			r == -ETIMEDOUT ? "no answer from l2tpd in time" : strerror(-r));
		return EXIT_UNREACHABLE;
	}

	if (l2tpctl_is_error(answer, json)) {
		/* JSON stays on stdout for scripts; text errors go to stderr */
		fwrite(answer, 1, alen, json ? out : stderr);
		free(answer);
		return EXIT_REFUSED;
	}
	if (alen && fwrite(answer, 1, alen, out) != alen) {
		free(answer);
		return EXIT_UNREACHABLE;
	}
	free(answer);
	return fflush(out) == 0 ? EXIT_OK : EXIT_UNREACHABLE;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = L2TPCTL_DEFAULT_SOCKET;
	char line[L2TPCTL_LINE_MAX];
	long timeout = L2TPCTL_TIMEOUT;
	size_t len = 0;
	char *end;
	int json = 0, c;

	/* '+': options stop at the first word, so commands can hold '-' */
	while ((c = getopt_long(argc, argv, "+s:jt:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			path = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 't':
			errno = 0;
			timeout = strtol(optarg, &end, 10);
			if (errno || *end || timeout <= 0 || timeout > 86400) {
				fprintf(stderr, "l2tpctl: bad timeout '%s' (1-86400 seconds)\n",
					optarg);
				return EXIT_REFUSED;
			}
			break;
		case 'h':
			l2tpctl_usage(stdout);
			return EXIT_OK;
		default:
			l2tpctl_usage(stderr);
			return EXIT_REFUSED;
		}
	}
	if (optind >= argc && !json && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return l2tpctl_shell(path, timeout);
	if (optind >= argc) {
		l2tpctl_usage(stderr);
		return EXIT_REFUSED;
	}
	if (argc - optind == 2 && strcasecmp(argv[optind], "redundancy") == 0 &&
	    strcasecmp(argv[optind + 1], "keygen") == 0)
		return l2tpctl_keygen(json);
	if (argc - optind == 1 && strcasecmp(argv[optind], "configure") == 0)
		return l2tpctl_configure(path, timeout);

	if (l2tpctl_line(line, &len, argv + optind, argc - optind, json) < 0)
		return EXIT_REFUSED;
	return l2tpctl_exchange(path, line, len, timeout, json, stdout);
}
