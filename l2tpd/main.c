/*
 * l2tpd: L2TPv2 LAC/LNS.
 *   l2tpd [-f] [-c FILE] [-s SOCKET] [-d BACKEND] [-u USER]
 *   l2tpd -t [-c FILE]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cmd.h"
#include "cli/config_load.h"
#include "cli/restart.h"
#include "l2tpd.h"
#include "service/notify.h"
#include "service/privs.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: l2tpd [-f] [-c FILE] [-s SOCKET] [-d BACKEND] [-u USER]\n"
		"       l2tpd -t [-c FILE]\n"
		"  -f          stay in the foreground and log to stderr\n"
		"  -c FILE     configuration file (default %s)\n"
		"  -s SOCKET   control socket (default %s)\n"
		"  -d BACKEND  data path: linux, null or auto (default auto: linux when the\n"
		"              kernel has L2TP/PPP, else null, saying why)\n"
		"  -u USER     started as root: run as USER (and its groups) keeping only\n"
		"              CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE\n"
		"  -t          check the configuration file and exit: 0 when it is good, 1\n"
		"              with the line and the reason on standard error\n"
		"  -L          list the l2tpctl commands (for shell completion) and exit\n"
		"  --takeover-from FD  (started by `l2tpctl restart`) take the running\n"
		"              daemon's state and sockets over the socket FD\n"
		"  -h          this help\n", CONFIG_DEFAULT_FILE, CONFIG_DEFAULT_SOCKET);
}

/*
 * Every kernel session holds three descriptors (PPPoL2TP socket, PPP
 * channel, PPP unit) and every tunnel one: the usual 1024 would stop an
 * LNS at about 300 subscribers.  Take what the system allows.
 */
static void raise_fd_limit(struct l2tpd *d)
{
	struct rlimit rl = { 1u << 20, 1u << 20 };

	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 && getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		log_msg(&d->log, rl.rlim_cur < 65536 ? LOG_WARNING : LOG_INFO,
			"open files limit %llu (three per kernel session)",
			(unsigned long long)rl.rlim_cur);
}

/* The control socket's directory, made by root for the user it becomes:
 * 0750, the user's and its group's.  One that exists is left as it is (the
 * user must be able to write in it). */
static int prepare_ctl_dir(const char *path, uid_t uid, gid_t gid, char *err, size_t errsz)
{
	char dir[108];
	char *slash;

	snprintf(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0750) < 0) {
		if (errno == EEXIST)
			return 0;
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	if (chown(dir, uid, gid) < 0) {
		snprintf(err, errsz, "%s: chown: %s", dir, strerror(errno));
		return -errno;
	}
	return 0;
}

/* -u USER: become USER with only the capabilities the daemon needs. */
static int drop_privileges(struct l2tpd *d, const char *user)
{
	char err[256], caps[128];
	uid_t uid;
	gid_t gid;

	if (svc_privs_lookup(user, &uid, &gid, err, sizeof err) < 0 ||
	    prepare_ctl_dir(d->ctl_path, uid, gid, err, sizeof err) < 0 ||
	    svc_privs_drop(uid, gid, err, sizeof err) < 0) {
		log_msg(&d->log, LOG_ERR, "-u %s: %s", user, err);
		return -1;
	}
	svc_privs_format(svc_privs_effective(), caps, sizeof caps);
	log_msg(&d->log, LOG_NOTICE, "running as %s (uid %u gid %u) with %s", user, (unsigned)uid,
		(unsigned)gid, caps);
	if (access("/dev/ppp", R_OK | W_OK) < 0 && errno != ENOENT)
		log_msg(&d->log, LOG_WARNING, "/dev/ppp: %s: the linux data path cannot open PPP "
			"channels (give the group %u read-write access, as the package's udev rule "
			"does)", strerror(errno), (unsigned)gid);
	return 0;
}

static int absolute_path(char *path, size_t size)
{
	char cwd[4096], abs[4096 + 256];

	if (getcwd(cwd, sizeof cwd) == NULL)
		return -1;
	if ((size_t)snprintf(abs, sizeof abs, "%s/%s", cwd, path) >= size)
		return -1;
	memcpy(path, abs, strlen(abs) + 1);
	return 0;
}

/* -t: read the file as a start (or a reload) would, and say what is wrong. */
static int check_config(struct l2tpd *d)
{
	char err[384];

	if (config_load_file(&d->cfg, d->cfg_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "l2tpd: %s: %s\n", d->cfg_path, err);
		return 1;
	}
	printf("l2tpd: %s: configuration OK\n", d->cfg_path);
	return 0;
}

struct main_opts {
	int foreground, check;
	const char *user;
	int takeover_fd;	/* --takeover-from, -1: none */
};

/* The options: 0 to run on, 1 when done (-L, -h: exit 0), -1 on an error
 * (exit 1; said on stderr). */
static int parse_args(struct l2tpd *d, int argc, char **argv, struct main_opts *o)
{
	static const struct option longopts[] = {
		{ "takeover-from", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "fc:s:d:u:tLh", longopts, NULL)) != -1) {
		switch (c) {
		case 'T':
			o->takeover_fd = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || o->takeover_fd < 3) {
				fprintf(stderr, "l2tpd: --takeover-from: not a descriptor: %s\n", optarg);
				return -1;
			}
			break;
		case 'f':
			o->foreground = 1;
			break;
		case 'c':
			snprintf(d->cfg_path, sizeof(d->cfg_path), "%s", optarg);
			break;
		case 's':
			if (strlen(optarg) >= sizeof(d->ctl_path)) {
				fprintf(stderr, "l2tpd: control socket path too long: %s\n", optarg);
				return -1;
			}
			snprintf(d->ctl_path, sizeof(d->ctl_path), "%s", optarg);
			break;
		case 'd':
			snprintf(d->dp_name, sizeof(d->dp_name), "%s", optarg);
			break;
		case 'u':
			o->user = optarg;
			break;
		case 't':
			o->check = 1;
			break;
		case 'L':
			cmd_list_exec(stdout);
			return 1;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	/* a reload and write memory use it after daemon() has left the directory */
	if (d->cfg_path[0] != '/' && absolute_path(d->cfg_path, sizeof(d->cfg_path)) < 0) {
		fprintf(stderr, "l2tpd: %s: cannot make the path absolute\n", d->cfg_path);
		return -1;
	}
	return 0;
}

/* Started by `l2tpctl restart`: the state and sockets of the process
 * before, then the loop.  A failure tells it why and exits without a
 * word to anyone (its sockets, and the control socket's path, are still
 * the other process's). */
static int main_takeover(struct l2tpd *d, int fd)
{
	struct restart_in *in = NULL;
	char err[256], why[320];
	int rc;

	rc = restart_receive(d, fd, &in, err, sizeof(err));
	if (rc == 0) {
		rc = l2tpd_start(d, err, sizeof(err));
		if (rc < 0)
			snprintf(why, sizeof(why), "cannot start: %s", err);
	} else {
		snprintf(why, sizeof(why), "%s", err);
	}
	if (rc == 0) {
		rc = restart_finish(d, in, err, sizeof(err));
		if (rc < 0)
			snprintf(why, sizeof(why), "cannot take over: %s", err);
	}
	if (rc < 0) {
		log_msg(&d->log, LOG_ERR, "restart: %s; the process before serves on", why);
		restart_abort(in, fd, why);
	}
	log_msg(&d->log, LOG_NOTICE, "started by restart (configuration %s, control socket %s)",
		d->cfg_path, d->ctl_path);
	l2tpd_run(d);
	log_msg(&d->log, LOG_NOTICE, "stopped");
	l2tpd_fini(d);
	free(d);
	return 0;
}

int main(int argc, char **argv)
{
	struct l2tpd *d;
	char err[256];
	struct main_opts o = { .takeover_fd = -1 };
	int rc;

	d = malloc(sizeof(*d));
	if (d == NULL || l2tpd_init(d, 0) < 0) {
		fprintf(stderr, "l2tpd: out of memory\n");
		return 1;
	}
	d->argv = argv;
	rc = parse_args(d, argc, argv, &o);
	if (rc != 0) {
		l2tpd_fini(d);
		free(d);
		return rc < 0;
	}
	if (o.check) {
		rc = check_config(d);
		l2tpd_fini(d);
		free(d);
		return rc;
	}
	log_close(&d->log);
	log_init(&d->log, "l2tpd", o.foreground);
	rc = config_load_file(&d->cfg, d->cfg_path, err, sizeof(err));
	if (rc < 0) {
		log_msg(&d->log, LOG_ERR, "%s: %s", d->cfg_path, err);
		if (o.takeover_fd >= 0)
			restart_abort(NULL, o.takeover_fd, err);
		if (!o.foreground)
			fprintf(stderr, "l2tpd: %s: %s\n", d->cfg_path, err);
		return 1;
	}
	if (!o.foreground && daemon(0, 0) < 0) {
		fprintf(stderr, "l2tpd: daemon: %s\n", strerror(errno));
		return 1;
	}
	raise_fd_limit(d);
	/* A restart under -u: the process before has already become USER. */
	if (o.user != NULL && !(o.takeover_fd >= 0 && geteuid() != 0) &&
	    drop_privileges(d, o.user) < 0) {
		if (o.takeover_fd >= 0)
			restart_abort(NULL, o.takeover_fd, "cannot drop privileges");
		l2tpd_fini(d);
		free(d);
		return 1;
	}
	rc = svc_notify_init(&d->notify, err, sizeof(err));
	if (rc < 0)
		log_msg(&d->log, LOG_WARNING, "service manager: %s; not notifying it", err);
	if (o.takeover_fd >= 0)
		return main_takeover(d, o.takeover_fd);
	rc = l2tpd_start(d, err, sizeof(err));
	if (rc < 0) {
		log_msg(&d->log, LOG_ERR, "cannot start: %s", err);
		l2tpd_fini(d);
		free(d);
		return 1;
	}
	log_msg(&d->log, LOG_NOTICE, "started (configuration %s, control socket %s)", d->cfg_path,
		d->ctl_path);
	l2tpd_run(d);
	log_msg(&d->log, LOG_NOTICE, "stopped");
	l2tpd_fini(d);
	free(d);
	return 0;
}
