/*
 * l2tpd: L2TPv2 LAC/LNS.
 *   l2tpd [-f] [-c FILE] [-s SOCKET] [-d BACKEND]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "cli/config_load.h"
#include "l2tpd.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: l2tpd [-f] [-c FILE] [-s SOCKET] [-d BACKEND]\n"
		"  -f          stay in the foreground and log to stderr\n"
		"  -c FILE     configuration file (default %s)\n"
		"  -s SOCKET   control socket (default %s)\n"
		"  -d BACKEND  data path: linux, null or auto (default auto: linux when the\n"
		"              kernel has L2TP/PPP, else null, saying why)\n"
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

int main(int argc, char **argv)
{
	struct l2tpd *d;
	char err[256];
	int foreground = 0, c, rc;

	d = malloc(sizeof(*d));
	if (d == NULL || l2tpd_init(d, 0) < 0) {
		fprintf(stderr, "l2tpd: out of memory\n");
		return 1;
	}
	while ((c = getopt(argc, argv, "fc:s:d:h")) != -1) {
		switch (c) {
		case 'f':
			foreground = 1;
			break;
		case 'c':
			snprintf(d->cfg_path, sizeof(d->cfg_path), "%s", optarg);
			break;
		case 's':
			if (strlen(optarg) >= sizeof(d->ctl_path)) {
				fprintf(stderr, "l2tpd: control socket path too long: %s\n", optarg);
				return 1;
			}
			snprintf(d->ctl_path, sizeof(d->ctl_path), "%s", optarg);
			break;
		case 'd':
			snprintf(d->dp_name, sizeof(d->dp_name), "%s", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}
	log_close(&d->log);
	log_init(&d->log, "l2tpd", foreground);
	rc = config_load_file(&d->cfg, d->cfg_path, err, sizeof(err));
	if (rc < 0) {
		log_msg(&d->log, LOG_ERR, "%s: %s", d->cfg_path, err);
		if (!foreground)
			fprintf(stderr, "l2tpd: %s: %s\n", d->cfg_path, err);
		return 1;
	}
	if (!foreground && daemon(0, 0) < 0) {
		fprintf(stderr, "l2tpd: daemon: %s\n", strerror(errno));
		return 1;
	}
	raise_fd_limit(d);
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
