/*
 * The hitless restart (cli/restart.h): the process before and the new
 * one, each end of the handover.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli/ctl.h"
#include "cli/restart.h"
#include "l2tpd.h"
#include "aaa/radius_das.h"
#include "haproto/ha_rec.h"
#include "haproto/ha_shadow.h"
#include "l2tp/net.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "metrics/metrics.h"
#include "pppoe/access.h"
#include "pppoe/port.h"
#include "service/fdpass.h"

enum restart_msg {
	RESTART_HELLO = 'H',
	RESTART_START = 'S',
	RESTART_KINDS = 'K',
	RESTART_RECORDS = 'R',
	RESTART_END = 'E',
	RESTART_RUNNING = 'O',
	RESTART_FAILED = 'F',
};

/* What each descriptor handed over is: RESTART_FD_DP + enum dp_held_kind
 * for the data path's (dp_held_list). */
enum restart_kind { RESTART_FD_LISTEN = 1, RESTART_FD_CTL, RESTART_FD_TUNNEL,
		    RESTART_FD_PPPOE_PORT, RESTART_FD_DP = 16 };

struct restart_fd {
	uint16_t kind, id;	/* id: the tunnel's; a PPPoE port's ifindex, low half */
	uint16_t sid, pad;	/* the session's (the data path's); ifindex, high half */
};

#define RESTART_KINDS_PER_MSG	((SVC_FDPASS_MSG_MAX - 8) / sizeof(struct restart_fd))

struct restart_start {
	uint8_t type;
	uint8_t role;
	uint16_t pad;
	uint32_t n_fds;
};

/* A HELLO of 5 octets (type, PID) is from a binary of checkpoint schema 4
 * or older; 9: the schema follows. */
#define RESTART_SCHEMA_UNSAID	4

struct restart_running {
	uint8_t type;
	uint8_t pad[3];
	uint32_t pid, tunnels, sessions;
};

/* --- the process before ---------------------------------------------------- */

/* Records, packed into messages of at most SVC_FDPASS_MSG_MAX octets:
 * type, then [u32 length][record]... */
struct restart_out {
	int sock;
	uint8_t buf[SVC_FDPASS_MSG_MAX];
	size_t len;
};

static int restart_out_flush(struct restart_out *o)
{
	int rc = 0;

	if (o->len > 1)
		rc = svc_fdpass_send(o->sock, o->buf, o->len, NULL, 0);
	o->buf[0] = RESTART_RECORDS;
	o->len = 1;
	return rc;
}

static int restart_out_put(void *arg, const uint8_t *buf, size_t len)
{
	struct restart_out *o = arg;
	uint32_t l = (uint32_t)len;
	int rc;

	if (len + 4 + 1 > sizeof(o->buf))
		return -EMSGSIZE;
	if (o->len + 4 + len > sizeof(o->buf)) {
		rc = restart_out_flush(o);
		if (rc < 0)
			return rc;
	}
	memcpy(o->buf + o->len, &l, 4);
	memcpy(o->buf + o->len + 4, buf, len);
	o->len += 4 + len;
	return 0;
}

/* The descriptors: listening socket, control socket, each established
 * tunnel's, the data path's (the order ha_restart_export records them in
 * does not matter: the kinds say whose each is). */
static int restart_collect(struct l2tpd *d, int **fds, struct restart_fd **kinds, size_t *n)
{
	struct l2tp_tunnel *t;
	struct dp_held *held = NULL;
	struct pppoe_port_fd *ports = NULL;
	size_t n_held = 0, n_ports = 0, cap, i = 0;
	int rc;

	rc = dp_held_list(d->dp, &held, &n_held);
	if (rc == 0)
		rc = pppoe_access_port_fds(d, &ports, &n_ports);
	cap = 2 + d->n_tunnels + n_held + n_ports;
	*fds = rc < 0 ? NULL : malloc(cap * sizeof(**fds));
	*kinds = rc < 0 ? NULL : malloc(cap * sizeof(**kinds));
	if (rc == 0 && (*fds == NULL || *kinds == NULL))
		rc = -ENOMEM;
	if (rc < 0) {
		free(held);
		free(ports);
		return rc;
	}
	for (size_t k = 0; k < n_held; k++) {
		(*fds)[i] = held[k].fd;
		(*kinds)[i++] = (struct restart_fd){ RESTART_FD_DP + held[k].kind,
						     held[k].tunnel_id, held[k].session_id, 0 };
	}
	for (size_t k = 0; k < n_ports; k++) {
		(*fds)[i] = ports[k].fd;
		(*kinds)[i++] = (struct restart_fd){ RESTART_FD_PPPOE_PORT,
						     (uint16_t)ports[k].ifindex,
						     (uint16_t)((unsigned)ports[k].ifindex >> 16), 0 };
	}
	free(held);
	free(ports);
	if (d->listen_fd >= 0) {
		(*fds)[i] = d->listen_fd;
		(*kinds)[i++] = (struct restart_fd){ RESTART_FD_LISTEN, 0, 0, 0 };
	}
	(*fds)[i] = ctl_fd(d);
	(*kinds)[i++] = (struct restart_fd){ RESTART_FD_CTL, 0, 0, 0 };
	LIST_FOREACH(t, &d->tunnels, link) {
		if (t->dead || t->state != L2TP_TUNNEL_ESTABLISHED || t->fd < 0 || i == cap)
			continue;
		(*fds)[i] = t->fd;
		(*kinds)[i++] = (struct restart_fd){ RESTART_FD_TUNNEL, t->tid, 0, 0 };
	}
	*n = i;
	return 0;
}

static int restart_send_fds(int sock, const int *fds, const struct restart_fd *kinds, size_t n)
{
	uint8_t buf[SVC_FDPASS_MSG_MAX];
	size_t i;
	int rc;

	for (i = 0; i < n; i += RESTART_KINDS_PER_MSG) {
		size_t k = n - i < RESTART_KINDS_PER_MSG ? n - i : RESTART_KINDS_PER_MSG;

		buf[0] = RESTART_KINDS;
		memcpy(buf + 1, kinds + i, k * sizeof(*kinds));
		rc = svc_fdpass_send(sock, buf, 1 + k * sizeof(*kinds), NULL, 0);
		if (rc < 0)
			return rc;
	}
	return svc_fdpass_send_list(sock, fds, n);
}

/* START, the descriptors, the records, END. */
static int restart_send_state(struct l2tpd *d, int sock, unsigned *nt, unsigned *ns)
{
	struct restart_start st = { RESTART_START, (uint8_t)d->ha.role, 0, 0 };
	struct restart_fd *kinds = NULL;
	struct restart_out *o = NULL;
	int *fds = NULL, rc;
	size_t n = 0;
	uint8_t end = RESTART_END;

	rc = restart_collect(d, &fds, &kinds, &n);
	if (rc == 0) {
		st.n_fds = (uint32_t)n;
		rc = svc_fdpass_send(sock, &st, sizeof(st), NULL, 0);
	}
	if (rc == 0)
		rc = restart_send_fds(sock, fds, kinds, n);
	if (rc == 0) {
		o = malloc(sizeof(*o));
		rc = o == NULL ? -ENOMEM : 0;
	}
	if (rc == 0) {
		o->sock = sock;
		o->buf[0] = RESTART_RECORDS;
		o->len = 1;
		rc = ha_restart_export(d, restart_out_put, o, nt, ns);
	}
	if (rc == 0)
		rc = restart_out_flush(o);
	if (rc == 0)
		rc = svc_fdpass_send(sock, &end, 1, NULL, 0);
	free(o);
	free(fds);
	free(kinds);
	return rc;
}

/* The new process: argv as this one was started, and --takeover-from. */
static void restart_child(struct l2tpd *d, const char *path, int sock)
{
	char fdarg[16], wdpid[24], why[4200];
	char *argv[64];
	sigset_t none;
	int n = 0;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (char **a = d->argv; a != NULL && *a != NULL && n < 60; a++) {
		/* a restarted daemon's own handover is not the next one's */
		if (strcmp(*a, "--takeover-from") == 0) {
			if (a[1] != NULL)
				a++;
			continue;
		}
		if (strncmp(*a, "--takeover-from=", 16) == 0)
			continue;
		argv[n++] = *a;
	}
	if (n == 0)
		argv[n++] = (char *)"l2tpd";
	snprintf(fdarg, sizeof(fdarg), "%d", sock);
	argv[n++] = (char *)"--takeover-from";
	argv[n++] = fdarg;
	argv[n] = NULL;
	/* systemd's watchdog is the new process's to feed ($WATCHDOG_PID names
	 * the process it is meant for: this one, once it has exec'd). */
	if (getenv("WATCHDOG_PID") != NULL) {
		snprintf(wdpid, sizeof(wdpid), "%ld", (long)getpid());
		setenv("WATCHDOG_PID", wdpid, 1);
	}
	/* Nothing else of this process goes with it: what it needs comes over
	 * sock, and a socket inherited twice would outlive its tunnel. */
	(void)close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	fcntl(sock, F_SETFD, 0);
	execv(path, argv);
	why[0] = RESTART_FAILED;
	snprintf(why + 1, sizeof(why) - 1, "cannot run %s: %s", path, strerror(errno));
	(void)svc_fdpass_send(sock, why, strlen(why), NULL, 0);
	_exit(127);
}

/* The installed binary: the one running (a package upgrade replaced the
 * file: the new one at the same path). */
static int restart_self(char *path, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", path, size - 1);
	const char *del = " (deleted)";

	if (n < 0)
		return -errno;
	path[n] = '\0';
	if ((size_t)n > strlen(del) && strcmp(path + n - strlen(del), del) == 0)
		path[n - strlen(del)] = '\0';
	return 0;
}

/* Wait for the new process's answer of this type; its text in msg when it
 * says it failed. */
static int restart_wait(int sock, uint8_t want, void *buf, size_t size, int ms, char *msg,
			size_t msgsz, const char *what)
{
	int fds[SVC_FDPASS_BATCH];
	size_t nfds;
	int r = svc_fdpass_recv(sock, buf, size - 1, fds, &nfds, ms);

	for (size_t i = 0; i < nfds; i++)
		close(fds[i]);
	if (r > 0 && ((uint8_t *)buf)[0] == RESTART_FAILED) {
		((char *)buf)[r] = '\0';
		snprintf(msg, msgsz, "the new daemon refused: %s", (char *)buf + 1);
		return -ECANCELED;
	}
	if (r > 0 && ((uint8_t *)buf)[0] == want)
		return r;
	if (r == -ETIMEDOUT)
		snprintf(msg, msgsz, "the new daemon did not %s within %d ms", what, ms);
	else if (r == -EPIPE)
		snprintf(msg, msgsz, "the new daemon exited before it could %s", what);
	else
		snprintf(msg, msgsz, "the new daemon did not %s: %s", what,
			 r < 0 ? strerror(-r) : "unexpected message");
	return r < 0 ? r : -EPROTO;
}

/* What the process before closed for the new one, or stopped reading. */
static void restart_pause(struct l2tpd *d, int pause)
{
	char err[256];

	l2tp_net_reading(d, !pause);
	pppoe_access_reading(d, !pause);
	ctl_accepting(d, !pause);
	if (pause) {
		ha_restart_link(d, 0, err, sizeof(err));
		radius_das_free(d);
		metrics_close(d);
		return;
	}
	if (ha_restart_link(d, 1, err, sizeof(err)) < 0)
		log_msg(&d->log, LOG_ERR, "restart: checkpoint link not reopened: %s", err);
	if (radius_das_init(d) < 0)
		log_msg(&d->log, LOG_ERR, "restart: RADIUS dynamic authorization not reopened");
	if (metrics_apply(d, err, sizeof(err)) < 0)
		log_msg(&d->log, LOG_ERR, "restart: metrics endpoint not reopened: %s", err);
}

static uint64_t restart_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* After HELLO: stop, hand over, wait for RUNNING. */
static int restart_handover(struct l2tpd *d, int sock, pid_t pid, uint64_t t_cmd, char *msg,
			    size_t msgsz)
{
	struct restart_running run;
	uint8_t buf[512];
	unsigned nt = 0, ns = 0;
	uint64_t t0 = restart_ms();
	struct timeval tv = { RESTART_RUN_MS / 1000, 0 };
	int rc;

	setsockopt(sock, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	restart_pause(d, 1);
	rc = restart_send_state(d, sock, &nt, &ns);
	if (rc < 0)
		snprintf(msg, msgsz, "handing the state over: %s", strerror(-rc));
	else
		rc = restart_wait(sock, RESTART_RUNNING, buf, sizeof(buf), RESTART_RUN_MS, msg,
				  msgsz, "run");
	if (rc >= 0 && (size_t)rc < sizeof(run)) {
		snprintf(msg, msgsz, "the new daemon's answer is short");
		rc = -EPROTO;
	}
	if (rc < 0) {
		kill(pid, SIGKILL);
		restart_pause(d, 0);
		return rc;
	}
	memcpy(&run, buf, sizeof(run));
	snprintf(msg, msgsz, "Restarted: PID %ld -> %u, %u tunnels and %u sessions handed over "
		 "(%u and %u taken), serving again %llu ms after the command (handover %llu ms)",
		 (long)getpid(), run.pid, nt, ns, run.tunnels, run.sessions,
		 (unsigned long long)(restart_ms() - t_cmd), (unsigned long long)(restart_ms() - t0));
	return 0;
}

/* Before anything is started: what is refused, the binary. */
static int restart_check(struct l2tpd *d, const char **path, char *self, size_t selfsz,
			 char *msg, size_t msgsz)
{
	int rc;

	if (restart_refused(d, msg, msgsz) < 0)
		return -EOPNOTSUPP;
	if (*path == NULL) {
		rc = restart_self(self, selfsz);
		if (rc < 0) {
			snprintf(msg, msgsz, "/proc/self/exe: %s", strerror(-rc));
			return rc;
		}
		*path = self;
	}
	if (access(*path, X_OK) < 0) {
		rc = -errno;
		snprintf(msg, msgsz, "binary %s: %s", *path, strerror(errno));
		return rc;
	}
	return 0;
}

int restart_run(struct l2tpd *d, const char *path, char *msg, size_t msgsz)
{
	char self[4096];
	uint8_t buf[512];
	int sv[2], rc, status;
	pid_t pid, npid;
	uint32_t schema;
	uint64_t t_cmd = restart_ms();

	rc = restart_check(d, &path, self, sizeof(self), msg, msgsz);
	if (rc == 0 && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		rc = -errno;
		snprintf(msg, msgsz, "socketpair: %s", strerror(errno));
	}
	if (rc < 0) {
		log_msg(&d->log, LOG_ERR, "restart failed: %s; this daemon serves on", msg);
		return rc;
	}
	log_flush(&d->log);	/* the child must not write the parent's lines */
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		restart_child(d, path, sv[1]);
	}
	close(sv[1]);
	if (pid < 0) {
		rc = -errno;
		close(sv[0]);
		snprintf(msg, msgsz, "fork: %s", strerror(-rc));
		log_msg(&d->log, LOG_ERR, "restart failed: %s; this daemon serves on", msg);
		return rc;
	}
	log_msg(&d->log, LOG_NOTICE, "restart: starting %s (PID %ld)", path, (long)pid);
	rc = restart_wait(sv[0], RESTART_HELLO, buf, sizeof(buf), RESTART_HELLO_MS, msg, msgsz,
			  "start");
	npid = pid;
	schema = RESTART_SCHEMA_UNSAID;
	if (rc >= 5)
		memcpy(&npid, buf + 1, sizeof(uint32_t));
	if (rc >= 9)
		memcpy(&schema, buf + 5, sizeof(uint32_t));
	if (rc >= 0 && rc < 5)
		rc = -EPROTO;
	if (rc >= 0)
		rc = restart_schema_refused(d, schema, msg, msgsz);
	if (rc >= 0)
		rc = restart_handover(d, sv[0], npid, t_cmd, msg, msgsz);
	else
		kill(pid, SIGKILL);
	close(sv[0]);
	if (rc < 0)
		(void)waitpid(pid, &status, 0);
	else
		(void)waitpid(pid, &status, WNOHANG);	/* -f: it runs on */
	if (rc < 0) {
		log_msg(&d->log, LOG_ERR, "restart failed: %s; this daemon serves on", msg);
		return rc;
	}
	log_msg(&d->log, LOG_NOTICE, "restart: %s", msg);
	d->restart_exit = 1;
	return 0;
}

void restart_exit(struct l2tpd *d)
{
	log_msg(&d->log, LOG_NOTICE, "restart: the new daemon runs: exiting");
	l2tp_net_flush(d);	/* the turn's datagrams, before _exit drops them */
	_exit(0);
}

/* --- the new process ---------------------------------------------------------- */

struct restart_in {
	int sock;
	enum ha_role role;
	int *fds;
	struct restart_fd *kinds;
	size_t n_fds;
	int *used;
	struct ha_shadow *shadow;
};

static void restart_in_free(struct restart_in *in)
{
	if (in == NULL)
		return;
	for (size_t i = 0; in->fds != NULL && i < in->n_fds; i++)
		if (in->used == NULL || !in->used[i])
			close(in->fds[i]);
	free(in->fds);
	free(in->kinds);
	free(in->used);
	if (in->shadow != NULL)
		ha_shadow_free(in->shadow);
	free(in);
}

/* The kinds (before the descriptors they name), then the descriptors. */
static int restart_recv_fds(struct restart_in *in, size_t n, char *err, size_t errsz)
{
	uint8_t *buf = malloc(SVC_FDPASS_MSG_MAX);
	size_t have = 0, nfds;
	int fds[SVC_FDPASS_BATCH], r = 0;

	in->kinds = calloc(n ? n : 1, sizeof(*in->kinds));
	in->used = calloc(n ? n : 1, sizeof(*in->used));
	if (buf == NULL || in->kinds == NULL || in->used == NULL)
		r = -ENOMEM;
	while (r == 0 && have < n) {
		r = svc_fdpass_recv(in->sock, buf, SVC_FDPASS_MSG_MAX, fds, &nfds, RESTART_RUN_MS);
		if (r > 0 && (buf[0] != RESTART_KINDS || nfds != 0 ||
			      (size_t)(r - 1) % sizeof(struct restart_fd) != 0 ||
			      have + (size_t)(r - 1) / sizeof(struct restart_fd) > n))
			r = -EPROTO;
		if (r > 0) {
			memcpy(in->kinds + have, buf + 1, (size_t)r - 1);
			have += (size_t)(r - 1) / sizeof(struct restart_fd);
			r = 0;
		}
	}
	free(buf);
	if (r == 0)
		r = svc_fdpass_recv_list(in->sock, &in->fds, &in->n_fds, RESTART_RUN_MS);
	if (r == 0 && in->n_fds != n)
		r = -EPROTO;
	if (r < 0)
		snprintf(err, errsz, "descriptors: %s", strerror(-r));
	return r;
}

/* RECORDS ... END into the shadow store. */
static int restart_recv_records(struct restart_in *in, char *err, size_t errsz)
{
	uint8_t *buf = malloc(SVC_FDPASS_MSG_MAX);
	int fds[SVC_FDPASS_BATCH], r;
	size_t nfds, off;
	unsigned n = 0;

	in->shadow = ha_shadow_new();
	if (buf == NULL || in->shadow == NULL) {
		free(buf);
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	for (;;) {
		r = svc_fdpass_recv(in->sock, buf, SVC_FDPASS_MSG_MAX, fds, &nfds, RESTART_RUN_MS);
		if (r > 0 && nfds != 0)
			r = -EPROTO;
		if (r <= 0 || buf[0] == RESTART_END)
			break;
		if (buf[0] != RESTART_RECORDS) {
			r = -EPROTO;
			break;
		}
		for (off = 1; r > 0 && off + 4 <= (size_t)r; n++) {
			uint32_t l;

			memcpy(&l, buf + off, 4);
			if (l > (size_t)r - off - 4 ||
			    ha_restart_apply(in->shadow, buf + off + 4, l) < 0) {
				r = -EPROTO;
				break;
			}
			off += 4 + l;
		}
		if (r < 0)
			break;
	}
	free(buf);
	if (r < 0)
		snprintf(err, errsz, "record %u: %s", n, strerror(-r));
	return r < 0 ? r : 0;
}

static int restart_fd_of(struct restart_in *in, unsigned kind, uint16_t id)
{
	for (size_t i = 0; i < in->n_fds; i++)
		if (in->kinds[i].kind == kind && in->kinds[i].id == id && !in->used[i]) {
			in->used[i] = 1;
			return in->fds[i];
		}
	return -1;
}

static int restart_tunnel_fd(void *arg, uint16_t tid)
{
	return restart_fd_of(arg, RESTART_FD_TUNNEL, tid);
}

/* The PPPoE port the process before read ifindex on (pppoe/port.h). */
static int restart_port_fd(void *arg, int ifindex)
{
	struct restart_in *in = arg;

	for (size_t i = 0; i < in->n_fds; i++)
		if (in->kinds[i].kind == RESTART_FD_PPPOE_PORT && !in->used[i] &&
		    in->kinds[i].id == (uint16_t)ifindex &&
		    in->kinds[i].sid == (uint16_t)((unsigned)ifindex >> 16)) {
			in->used[i] = 1;
			return in->fds[i];
		}
	return -1;
}

/* Once the calls are rebuilt: the access side on the ports handed over
 * (a port not handed over is opened), then the PPPoE sessions relayed
 * into the calls and those terminated here. */
static int restart_access(struct l2tpd *d, struct restart_in *in, char *err, size_t errsz)
{
	struct pppoe_port_handed handed = { restart_port_fd, in };
	uint64_t n = 0, errors = 0;
	unsigned local, relayed;
	int rc;

	d->handover_access = 0;
	if (!ha_may_act(d))
		return 0;
	rc = pppoe_access_start(d, &pppoe_port_packet_ops, &handed, err, errsz);
	pppoe_access_ports_opened(d);
	if (rc < 0 || d->access == NULL)
		return rc;
	ha_restart_pppoe(d, in->shadow, &n, &errors);
	pppoe_access_count(d, &local, &relayed);
	log_msg(&d->log, errors > 0 ? LOG_ERR : LOG_NOTICE, "restart: took over %u PPPoE "
		"sessions relayed into calls (%llu not rebuilt: told to dial again)", relayed,
		(unsigned long long)errors);
	log_msg(&d->log, LOG_NOTICE, "restart: took over %u PPPoE sessions terminated here "
		"(their PPP goes on; %llu rebuilt in all)", local, (unsigned long long)n);
	return 0;
}

int restart_receive(struct l2tpd *d, int fd, struct restart_in **inp, char *err, size_t errsz)
{
	uint8_t hello[9] = { RESTART_HELLO };
	uint32_t pid = (uint32_t)getpid(), schema = HA_SCHEMA_VERSION;
	struct restart_start st;
	struct restart_in *in;
	int fds[SVC_FDPASS_BATCH], r;
	size_t nfds;

	*inp = in = calloc(1, sizeof(*in));
	if (in == NULL)
		return -ENOMEM;
	in->sock = fd;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	memcpy(hello + 1, &pid, 4);
	memcpy(hello + 5, &schema, 4);	/* what its records may be (4 and older: absent) */
	r = svc_fdpass_send(fd, hello, sizeof(hello), NULL, 0);
	if (r == 0)
		r = svc_fdpass_recv(fd, &st, sizeof(st), fds, &nfds, RESTART_RUN_MS);
	if (r >= 0 && ((size_t)r != sizeof(st) || st.type != RESTART_START || nfds != 0))
		r = -EPROTO;
	if (r < 0) {
		snprintf(err, errsz, "no state from the process before: %s", strerror(-r));
		return r;
	}
	in->role = (enum ha_role)st.role;
	r = restart_recv_fds(in, st.n_fds, err, errsz);
	if (r == 0)
		r = restart_recv_records(in, err, errsz);
	if (r < 0)
		return r;
	d->handover_listen_fd = restart_fd_of(in, RESTART_FD_LISTEN, 0);
	d->handover_ctl_fd = restart_fd_of(in, RESTART_FD_CTL, 0);
	d->handover_access = 1;
	return 0;
}

/* The data path's descriptors, the backend's from here. */
static int restart_adopt_begin(struct l2tpd *d, struct restart_in *in, char *err, size_t errsz)
{
	struct dp_held *held = calloc(in->n_fds ? in->n_fds : 1, sizeof(*held));
	size_t n = 0;
	int rc;

	if (held == NULL) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < in->n_fds; i++) {
		if (in->used[i] || in->kinds[i].kind <= RESTART_FD_DP)
			continue;
		held[n++] = (struct dp_held){ in->kinds[i].id, in->kinds[i].sid,
					      (uint16_t)(in->kinds[i].kind - RESTART_FD_DP),
					      in->fds[i] };
		in->used[i] = 1;
	}
	rc = dp_adopt_begin(d->dp, held, n);
	free(held);
	if (rc < 0)
		snprintf(err, errsz, "the data path cannot adopt: %s", d->dp->err);
	return rc;
}

int restart_finish(struct l2tpd *d, struct restart_in *in, char *err, size_t errsz)
{
	struct restart_running run = { RESTART_RUNNING, { 0 }, (uint32_t)getpid(), 0, 0 };
	struct dp_adopt_counts ac;
	unsigned nt = 0, ns = 0;
	int r;

	r = restart_adopt_begin(d, in, err, errsz);
	if (r == 0)
		r = ha_restart_rebuild(d, in->shadow, in->role, restart_tunnel_fd, in, &nt, &ns,
				       err, errsz);
	if (r == 0)
		r = restart_access(d, in, err, errsz);
	if (r < 0)
		return r;	/* adopting still: nothing of the process before's is undone */
	dp_adopt_end(d->dp, &ac);
	run.tunnels = nt;
	run.sessions = ns;
	/* The service manager follows the new main process (NotifyAccess=all). */
	if (svc_notify_enabled(&d->notify))
		svc_notify_sendf(&d->notify, "MAINPID=%ld", (long)getpid());
	r = svc_fdpass_send(in->sock, &run, sizeof(run), NULL, 0);
	if (r < 0) {
		snprintf(err, errsz, "cannot tell the process before: %s", strerror(-r));
		return r;
	}
	log_msg(&d->log, LOG_NOTICE, "restart: took over %u tunnels and %u sessions from the "
		"process before", nt, ns);
	if (ac.fds > 0 || ac.tunnels > 0)
		log_msg(&d->log, LOG_NOTICE, "restart: the data path adopted %llu kernel tunnels, "
			"%llu sessions and %llu of %llu descriptors (%llu unclaimed, closed)",
			(unsigned long long)ac.tunnels, (unsigned long long)ac.sessions,
			(unsigned long long)ac.taken, (unsigned long long)ac.fds,
			(unsigned long long)ac.closed);
	close(in->sock);
	restart_in_free(in);
	return 0;
}

void restart_abort(struct restart_in *in, int fd, const char *why)
{
	char buf[512];

	buf[0] = RESTART_FAILED;
	snprintf(buf + 1, sizeof(buf) - 1, "%s", why);
	(void)svc_fdpass_send(fd, buf, strlen(buf), NULL, 0);
	_exit(1);
}
