/*
 * libFuzzer target for the control socket's dispatcher (cli/cmd.c and
 * every topic's EXEC commands): command lines run as a client that is not
 * root would run them, on the daemon of tests/unit/lib/harness.h as LNS
 * with a tunnel and a PPP subscriber up, output discarded after checks.
 *
 * Input: one byte (bit 0: JSON output), then command lines separated by
 * newlines.  The seeds (written by this program when FUZZ_WRITE_SEEDS
 * names a directory) are every EXEC command of the table (`l2tpd -L`),
 * their arguments filled in with the IDs and names of this daemon.
 *
 * What must hold after each line: the output was built (no allocation
 * failure), is valid JSON when JSON was asked, and a refusal is an error
 * ("% ..." or {"error": ...}); a command only root may run (CMD_ROOT) has
 * not run; the daemon's tables agree with its lists; nothing leaks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fuzz.h"
#include "fuzz_daemon.h"
#include "fuzz_rand.h"
#include "harness.h"
#include "fake_subscriber.h"
#include "json_valid.h"
#include "cli/cmd.h"
#include "common/util.h"
#include "core/ippool.h"
#include "core/out.h"
#include "l2tp/tunnel.h"

#define FUZZ_MAX_LINES	16

static const char fuzz_cfg[] =
	H_CFG_HA_HEAD
	"username alice password secret\n"
	"ip local pool P1 10.1.0.1 10.1.0.50\n"
	"interface Virtual-Template 1\n"
	" ip address 10.0.0.1 255.255.255.255\n"
	" peer default ip address pool P1\n"
	" ppp authentication pap chap\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	"  virtual-template 1\n"
	" local name lns1\n"
	" l2tp tunnel password s3cret\n"
	"vpdn-group LAC\n"
	" request-dialin\n"
	"  protocol l2tp\n"
	"  domain example.net\n"
	" initiate-to ip 192.0.2.7\n"
	" local name lac9\n"
	" l2tp tunnel password s3cret\n";

struct fuzz_lns {
	struct harness *h;
	uint16_t tid, sid;
};

/* The daemon with tunnel tid and PPP session sid up. */
static void fuzz_lns_new(struct fuzz_lns *x)
{
	struct fake_subscriber *u;
	struct ppp_config c;
	struct h_peer *lac;
	void *state;

	fuzz_rand_reset();
	x->h = h_new(&state, fuzz_cfg);
	x->h->d.log.to_stderr = 0;	/* `debug` commands: their lines go to syslog */
	(void)fake_subscribers_new(x->h);
	FUZZ_CHECK(ippool_setup(&x->h->d.pools, &x->h->d.cfg) == 0);
	clock_advance(&x->h->d.clk, 1000000);
	lac = h_lns_tunnel(x->h, "192.0.2.2", 100, "lac1");
	u = fake_subscriber_add(x->h->subscribers, lac, 5);
	u->sid = h_lns_call(x->h, lac, 5);
	fake_subscriber_config(&c, "alice", "secret");
	fake_subscriber_open(u, &c);
	fake_subscribers_pump(x->h->subscribers, lac);
	FUZZ_CHECK(u->up);
	x->tid = lac->dtid;
	x->sid = u->sid;
}

static void fuzz_line(struct harness *h, const char *line, int json)
{
	struct out o;
	int rc;

	out_init(&o, json);
	rc = cmd_exec_as(&h->d, line, &o, 0);
	FUZZ_CHECK(o.err == 0 && o.buf != NULL);
	if (json)
		FUZZ_CHECK(json_valid(o.buf));
	if (rc < 0)
		FUZZ_CHECK(json ? strncmp(o.buf, "{\"error\":", 9) == 0 : strncmp(o.buf, "% ", 2) == 0);
	out_free(&o);
	/* not root: `test redundancy crash-point` refused */
	FUZZ_CHECK(h->d.ha.crash_point[0] == '\0' || strcmp(h->d.ha.crash_point, "none") == 0);
	/* the loop's turn: what went is freed */
	h_drain(h);
	l2tp_tunnel_reap(&h->d);
	fuzz_check_daemon(&h->d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct fuzz_lns x;
	char line[CMD_LINE_MAX];
	int json = fuzz_u8(&in) & 1;
	unsigned n = 0;

	fuzz_lns_new(&x);
	while (in.n > 0 && n < FUZZ_MAX_LINES) {
		const uint8_t *nl = memchr(in.p, '\n', in.n);
		size_t len = nl != NULL ? (size_t)(nl - in.p) : in.n, got;
		const uint8_t *p = fuzz_bytes(&in, len, &got);

		(void)fuzz_u8(&in);	/* the newline */
		if (got >= sizeof(line))
			got = sizeof(line) - 1;
		memcpy(line, p, got);
		line[got] = '\0';
		fuzz_line(x.h, line, json);
		n++;
	}
	h_free(x.h);
	return 0;
}

/* --- the seeds: every EXEC command, its arguments filled in ------------------- */

static const char *const fuzz_root_only[] = {
	"test redundancy crash-point resync",
	"test aaa interim-interval 5",
	"test service block-loop 1",
};

/* word -> what this daemon answers to; NULL: the word as it is */
static const char *fuzz_arg(const char *prev, const char *w, const struct fuzz_lns *x,
			    unsigned *n_ids, char *buf, size_t size)
{
	if (strcmp(w, "<1-65535>") == 0 && strcmp(prev, "sessions") != 0) {
		snprintf(buf, size, "%u", (*n_ids)++ == 0 ? x->tid : x->sid);
		return buf;
	}
	if (w[0] == '<') {
		snprintf(buf, size, "%.*s", (int)strcspn(w + 1, "-"), w + 1);
		return buf;
	}
	if (w[0] == '{') {
		snprintf(buf, size, "%.*s", (int)strcspn(w + 1, "|}"), w + 1);
		return buf;
	}
	if (strcmp(w, "WORD") == 0)
		return "LAC";
	if (strcmp(w, "A.B.C.D") == 0)
		return "192.0.2.2";
	return NULL;
}

static void fuzz_write_seed(const char *dir, unsigned i, char *cmd, const struct fuzz_lns *x)
{
	char path[4096], buf[64], *w, *save = NULL;
	const char *prev = "";
	unsigned n_ids = 0;
	const char *a;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cmd-%03u", dir, i);
	f = fopen(path, "w");
	FUZZ_CHECK(f != NULL);
	fputc(i & 1 ? '1' : '0', f);	/* every other one in JSON */
	for (w = strtok_r(cmd, " \n", &save); w != NULL; w = strtok_r(NULL, " \n", &save)) {
		a = fuzz_arg(prev, w, x, &n_ids, buf, sizeof(buf));
		fprintf(f, "%s%s", w == cmd ? "" : " ", a ? a : w);
		prev = w;
	}
	fputc('\n', f);
	FUZZ_CHECK(fclose(f) == 0);
}

static void fuzz_write_seeds(const char *dir)
{
	struct fuzz_lns x;
	char *list = NULL, *line, *save = NULL;
	size_t len = 0;
	unsigned i = 0;
	FILE *f = open_memstream(&list, &len);

	FUZZ_CHECK(f != NULL);
	cmd_list_exec(f);
	FUZZ_CHECK(fclose(f) == 0);
	fuzz_lns_new(&x);
	for (line = strtok_r(list, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		fuzz_write_seed(dir, i++, line, &x);
	/* and the hidden commands only root may run (refused here) */
	for (unsigned k = 0; k < ARRAY_SIZE(fuzz_root_only); k++) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "%s", fuzz_root_only[k]);
		fuzz_write_seed(dir, i++, cmd, &x);
	}
	h_free(x.h);
	free(list);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_WRITE_SEEDS");

	fuzz_cmocka_abort();
	if (dir != NULL && *dir != '\0') {
		fuzz_write_seeds(dir);
		exit(0);
	}
	return 0;
}
