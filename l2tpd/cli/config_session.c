/*
 * `configure terminal` (see config_session.h).
 *
 * A session holds its stack of modes by name (the group's name, the
 * template's number), never by pointer: each line is run against a copy
 * of the running configuration and applied by config_apply() as a reload
 * is, so a line either changes the daemon whole (and is logged once with
 * its author) or is refused with the reason and changes nothing.
 *
 * The checks the file reader makes at its end (a request-dialin group needs
 * its initiate-to, a group's virtual-template must exist, ...) are made
 * after every line too, so the running configuration always passes them.
 * A line that leaves the configuration incomplete (`request-dialin` typed
 * before `initiate-to`) is held: it and the lines after it build on the
 * held configuration, which is applied whole once it passes the checks.
 * `end` (or `exit` from the top, or the connection closed) while lines are
 * held applies none of them and says why.  A held configuration was made
 * from the running one of its first line: when that one changed in between
 * (a reload, another session), the held lines are refused rather than
 * applied over the change.
 *
 * `write memory` writes the running configuration to a temporary file in
 * the same directory, flushes it, keeps the previous file as FILE.bak (a
 * hard link) and renames the new one over FILE: a crash leaves the old
 * file or the new one, never half of one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/config_load.h"
#include "cli/config_reload.h"
#include "cli/config_session.h"
#include "core/config.h"
#include "core/out.h"
#include "l2tpd.h"

#define CFG_SESSION_DEPTH	4	/* config, vpdn-group, *-dialin, one spare */

struct cfg_level {
	enum cmd_mode mode;
	char grp[CONFIG_NAME_MAX];	/* the group of a group mode */
	int vt;				/* the template of the interface mode, 0 = none */
};

struct cfg_session {
	struct l2tpd *d;
	long uid;
	int depth;			/* 0: ended */
	struct cfg_level lv[CFG_SESSION_DEPTH];
	char who[64];
	struct l2tpd_config *held;	/* lines taken, not applied: the incomplete
					 * configuration they make (NULL: none) */
	unsigned nheld;			/* how many */
	char held_why[384];		/* what it lacks */
	char *held_base;		/* the running configuration (text) it was made from */
};

static const char *const cfg_mode_prompts[CMD_MODE_COUNT] = {
	[CMD_MODE_CONFIG] = "config",
	[CMD_MODE_VPDN_GROUP] = "config-vpdn",
	[CMD_MODE_ACCEPT_DIALIN] = "config-vpdn-acc-in",
	[CMD_MODE_REQUEST_DIALIN] = "config-vpdn-req-in",
	[CMD_MODE_REDUNDANCY] = "config-red",
	[CMD_MODE_DYNAUTH] = "config-locsvr-da-radius",
	[CMD_MODE_VTEMPLATE] = "config-if",
};

const char *cfg_session_mode_prompt(int mode)
{
	if (mode < 0 || mode >= CMD_MODE_COUNT || !cfg_mode_prompts[mode])
		return NULL;
	return cfg_mode_prompts[mode];
}

struct cfg_session *cfg_session_new(struct l2tpd *d, long uid)
{
	struct cfg_session *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->d = d;
	s->uid = uid;
	s->depth = 1;
	s->lv[0].mode = CMD_MODE_CONFIG;
	if (uid >= 0)
		snprintf(s->who, sizeof s->who, "uid %ld (configure terminal)", uid);
	else
		snprintf(s->who, sizeof s->who, "configure terminal");
	return s;
}

static void cfg_session_drop_held(struct cfg_session *s)
{
	if (s->held != NULL) {
		config_free(s->held);
		free(s->held);
	}
	s->held = NULL;
	s->nheld = 0;
	s->held_why[0] = '\0';
	free(s->held_base);
	s->held_base = NULL;
}

/* The running configuration as `show running-config` prints it (malloc'd;
 * NULL: out of memory). */
static char *cfg_session_running(const struct l2tpd *d)
{
	struct out o;
	char *text;

	out_init(&o, 0);
	cmd_running_config(&d->cfg, &o);
	if (o.err) {
		out_free(&o);
		return NULL;
	}
	text = o.buf ? o.buf : strdup("");
	o.buf = NULL;
	out_free(&o);
	return text;
}

/* The running configuration is still the one the held lines were made
 * from (1), or it changed, or that cannot be told (0). */
static int cfg_session_base_same(const struct cfg_session *s)
{
	char *now = cfg_session_running(s->d);
	int same = now != NULL && s->held_base != NULL && strcmp(now, s->held_base) == 0;

	free(now);
	return same;
}

void cfg_session_free(struct cfg_session *s)
{
	if (s == NULL)
		return;
	if (s->held != NULL)
		log_msg(&s->d->log, LOG_NOTICE, "configure terminal by %s closed with %u lines "
			"held, not applied: %s", s->who, s->nheld, s->held_why);
	cfg_session_drop_held(s);
	free(s);
}

void cfg_session_prompt(const struct cfg_session *s, char *buf, size_t size)
{
	const char *host = s->d->cfg.hostname[0] ? s->d->cfg.hostname : "l2tpd";

	if (s->depth == 0) {
		snprintf(buf, size, "%s#", host);
		return;
	}
	snprintf(buf, size, "%s(%s)#", host, cfg_mode_prompts[s->lv[s->depth - 1].mode]);
}

/* A copy of the configuration the next line builds on: the held one, or
 * the running one as the file would give it (without the removed groups
 * and templates that only live tunnels still hold). */
static struct l2tpd_config *cfg_session_copy(const struct cfg_session *s)
{
	struct l2tpd_config *n = malloc(sizeof *n);
	struct vpdn_group *g, *gn;
	struct config_vtemplate *vt, *vn;

	if (n == NULL || config_clone(n, s->held ? s->held : &s->d->cfg) < 0) {
		free(n);
		return NULL;
	}
	for (g = TAILQ_FIRST(&n->groups); g != NULL; g = gn) {
		gn = TAILQ_NEXT(g, link);
		if (g->removed) {
			TAILQ_REMOVE(&n->groups, g, link);
			free(g);
		}
	}
	for (vt = TAILQ_FIRST(&n->vtemplates); vt != NULL; vt = vn) {
		vn = TAILQ_NEXT(vt, link);
		if (vt->removed) {
			TAILQ_REMOVE(&n->vtemplates, vt, link);
			free(vt);
		}
	}
	return n;
}

/* The mode the line opened, noted by name before the copy goes. */
static void cfg_session_enter(struct cfg_session *s, int i, const struct cmd_cfg_ctx *cc,
			      struct cfg_level *next)
{
	const struct cfg_level *cur = &s->lv[i];

	memset(next, 0, sizeof *next);
	next->mode = cc->entered;
	if (cc->entered_grp)
		snprintf(next->grp, sizeof next->grp, "%s", cc->entered_grp->name);
	else
		memcpy(next->grp, cur->grp, sizeof next->grp);
	next->vt = cc->entered_vt ? cc->entered_vt->num : 0;
}

/* Run the line at level i of the stack against a fresh copy: 0 with the
 * copy in *np, or -errno with the reason in why. */
static int cfg_session_try(struct cfg_session *s, int i, char **words, int nw,
			   struct l2tpd_config **np, struct cmd_cfg_ctx *cc, char *why, size_t whysz)
{
	const struct cfg_level *lv = &s->lv[i];
	struct l2tpd_config *n = cfg_session_copy(s);
	int r;

	*np = NULL;
	if (n == NULL) {
		snprintf(why, whysz, "Out of memory");
		return -ENOMEM;
	}
	memset(cc, 0, sizeof *cc);
	cc->cfg = n;
	cc->mode = lv->mode;
	cc->grp = lv->grp[0] ? config_group_find(n, lv->grp) : NULL;
	cc->vt = lv->vt ? config_vtemplate_find(n, lv->vt) : NULL;
	if ((lv->grp[0] && cc->grp == NULL) || (lv->vt && cc->vt == NULL)) {
		snprintf(why, whysz, "The %s this mode edits is gone (a reload or another session "
			 "removed it): leave the mode with exit",
			 lv->grp[0] ? "vpdn-group" : "interface");
		config_free(n);
		free(n);
		return -ENOENT;
	}
	r = cmd_config_line(cc, words, nw, why, whysz);
	if (r < 0) {
		config_free(n);
		free(n);
		return r;	/* -EINVAL, or -ENOTUNIQ: an ambiguous abbreviation */
	}
	*np = n;
	return 0;
}

/* The line leaves the configuration incomplete: n is held (the lines
 * before it in it), said once, when holding starts. */
static void cfg_session_hold(struct cfg_session *s, struct l2tpd_config *n, const char *why,
			     struct out *o)
{
	if (s->held == NULL) {
		out_text(o, "Held, not applied yet: %s; this line and the next are applied "
			 "together once the configuration is complete (end before that applies "
			 "none of them)\n", why);
		s->held_base = cfg_session_running(s->d);
	} else {
		config_free(s->held);
		free(s->held);
	}
	s->held = n;
	s->nheld++;
	snprintf(s->held_why, sizeof s->held_why, "%s", why);
}

/* `end`, or `exit` from the top: the session ends; held lines are not
 * applied, and the client is told why. */
static int cfg_session_end(struct cfg_session *s, struct out *o)
{
	if (s->held != NULL) {
		out_error(o, "Incomplete configuration: %s; nothing of the last %u line%s was "
			  "applied", s->held_why, s->nheld, s->nheld == 1 ? "" : "s");
		log_msg(&s->d->log, LOG_NOTICE, "configure terminal by %s ended with %u lines "
			"held, not applied: %s", s->who, s->nheld, s->held_why);
		cfg_session_drop_held(s);
	}
	s->depth = 0;
	return 0;
}

/*
 * A configuration line: in the current mode, else (as IOS does) in the
 * first enclosing mode that takes it, which the session returns to.
 * Applied whole, or refused with the current mode's reason.
 */
static int cfg_session_config(struct cfg_session *s, char **words, int nw, struct out *o)
{
	struct l2tpd_config *n = NULL;
	struct cmd_cfg_ctx cc;
	struct cfg_level next;
	char reason[384], other[384], err[512];
	int r, i = s->depth - 1;

	r = cfg_session_try(s, i, words, nw, &n, &cc, reason, sizeof reason);
	while (r == -EINVAL && i > 0) {
		i--;
		if (cfg_session_try(s, i, words, nw, &n, &cc, other, sizeof other) == 0)
			r = 0;
	}
	if (r < 0) {
		if (r == -EINVAL)
			out_error(o, "Invalid input: %s", reason);
		else
			out_error(o, "%s", reason);
		return r;
	}
	if (cc.entered != CMD_MODE_NONE)
		cfg_session_enter(s, i, &cc, &next);
	if (config_check_complete(n, reason, sizeof reason) < 0) {
		cfg_session_hold(s, n, reason, o);
	} else if (s->held != NULL && !cfg_session_base_same(s)) {
		out_error(o, "Refused: the running configuration changed while %u line%s held "
			  "(a reload or another session): nothing of them or of this one was "
			  "applied; type them again", s->nheld, s->nheld == 1 ? " was" : "s were");
		config_free(n);
		free(n);
		cfg_session_drop_held(s);
		return -ESTALE;
	} else {
		r = config_apply(s->d, n, s->who, err, sizeof err);	/* n emptied */
		free(n);
		if (r < 0) {
			out_error(o, "Refused: %s; nothing of the command was applied", err);
			return r;
		}
		cfg_session_drop_held(s);	/* applied with the line */
	}
	s->depth = i + 1;
	if (cc.entered != CMD_MODE_NONE && s->depth < CFG_SESSION_DEPTH)
		s->lv[s->depth++] = next;
	return 0;
}

int cfg_session_line(struct cfg_session *s, const char *line, struct out *o)
{
	char buf[CMD_LINE_MAX];
	char *words[CMD_MAX_WORDS];
	const char *t = line + strspn(line, " \t");
	int n;

	if (s->depth == 0)
		return 0;
	if (strlen(line) >= sizeof buf) {
		out_error(o, "Invalid input: line too long (at most %d characters)", CMD_LINE_MAX - 1);
		return 1;
	}
	if (strncasecmp(t, "do ", 3) == 0) {
		cmd_exec_cred(s->d, t + 3, o, 1, s->uid);
		return 1;
	}
	memcpy(buf, line, strlen(line) + 1);
	n = cmd_split(buf, words, CMD_MAX_WORDS);
	if (n == -EILSEQ || n < 0) {
		out_error(o, "Invalid input: %s", n == -EILSEQ ? "control character in the line"
							       : "too many words");
		return 1;
	}
	if (n == 0 || words[0][0] == '!' || words[0][0] == '#')
		return 1;
	if (n == 1 && strcasecmp(words[0], "end") == 0)
		return cfg_session_end(s, o);
	if (n == 1 && strcasecmp(words[0], "exit") == 0) {
		if (s->depth == 1)
			return cfg_session_end(s, o);
		s->depth--;
		return 1;
	}
	cfg_session_config(s, words, n, o);
	return 1;
}

/* ---- write memory ---- */

static int cfg_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* The text into a new file beside path (the mode of path's), flushed. */
static int cfg_write_tmp(const char *path, const char *text, size_t len, char *tmp,
			 size_t tmpsz, char *err, size_t errsz)
{
	struct stat st;
	int fd, r;

	snprintf(tmp, tmpsz, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errsz, "cannot create a file beside %s: %s", path, strerror(-r));
		return r;
	}
	r = fchmod(fd, stat(path, &st) == 0 ? (st.st_mode & 07777) : 0640) < 0 ? -errno : 0;
	if (r == 0)
		r = cfg_write_all(fd, text, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0) {
		snprintf(err, errsz, "%s: %s", tmp, strerror(-r));
		unlink(tmp);
	}
	return r;
}

int config_write_file(struct l2tpd *d, const char *path, char *err, size_t errsz)
{
	struct l2tpd_config check;
	char tmp[4096 + 16], bak[4096 + 8], why[384];
	struct out o;
	int r;

	out_init(&o, 0);
	cmd_running_config(&d->cfg, &o);
	if (o.err) {
		out_free(&o);
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	/* what start-up and a reload would say of it, end-of-file checks included */
	config_init(&check);
	r = config_load_string(&check, o.buf ? o.buf : "", why, sizeof why);
	config_free(&check);
	if (r < 0) {
		out_free(&o);
		snprintf(err, errsz, "the running configuration would not load back (%s): "
			 "complete it before saving", why);
		return r;
	}
	r = cfg_write_tmp(path, o.buf ? o.buf : "", o.len, tmp, sizeof tmp, err, errsz);
	out_free(&o);
	if (r < 0)
		return r;
	snprintf(bak, sizeof bak, "%s.bak", path);
	if ((unlink(bak) < 0 && errno != ENOENT) || (link(path, bak) < 0 && errno != ENOENT)) {
		r = -errno;
		snprintf(err, errsz, "cannot keep the previous file as %s: %s", bak, strerror(-r));
		unlink(tmp);
		return r;
	}
	if (rename(tmp, path) < 0) {
		r = -errno;
		snprintf(err, errsz, "cannot replace %s: %s", path, strerror(-r));
		unlink(tmp);
		return r;
	}
	return 0;
}
