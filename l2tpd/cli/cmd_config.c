/*
 * Configuration changes on the running daemon: `reload` (the file read
 * again and the difference applied, cli/config_reload.c), `configure
 * terminal` (a session of the control socket, cli/config_session.c) and
 * `write memory`.  The author of a change is the client's user ID, read by
 * the control socket (SO_PEERCRED), for the audit log.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd_engine.h"
#include "cli/cmd_topics.h"
#include "cli/config_reload.h"
#include "cli/config_session.h"
#include "core/out.h"
#include "ha/ha.h"
#include "l2tpd.h"

/* "uid N" for the audit log, or what the change came through. */
static void cmd_config_who(const struct cmd_ctx *x, const char *how, char *buf, size_t size)
{
	if (x->uid >= 0)
		snprintf(buf, size, "uid %ld (%s)", x->uid, how);
	else
		snprintf(buf, size, "%s", how);
}

static int cmd_config_reload(struct cmd_ctx *x, const struct cmd_entry *e,
			     const struct cmd_args *a)
{
	struct l2tpd *d = x->d;
	char who[64], err[512];
	int r;

	cmd_config_who(x, "l2tpctl reload", who, sizeof who);
	r = config_reload_file(d, d->cfg_path, who, err, sizeof err);
	if (r < 0) {
		log_msg(&d->log, LOG_ERR, "reload by %s refused: %s; the running configuration "
			"stays", who, err);
		out_error(x->o, "Reload refused: %s; the running configuration stays", err);
		return r;
	}
	out_str(x->o, "file", "Configuration reloaded from %s", d->cfg_path);
	out_uint(x->o, "lines_changed", ": %u lines changed\n", (unsigned)r);
	return 0;
}

/* Reached only when the line came alone: the control socket opens the
 * session itself when `configure terminal` starts a connection. */
static int cmd_config_terminal(struct cmd_ctx *x, const struct cmd_entry *e,
			       const struct cmd_args *a)
{
	out_error(x->o, "configure terminal opens a session on its connection: use 'l2tpctl "
		  "configure' (the lines on standard input) or the l2tpctl shell");
	return -EINVAL;
}

static int cmd_config_write(struct cmd_ctx *x, const struct cmd_entry *e,
			    const struct cmd_args *a)
{
	struct l2tpd *d = x->d;
	char who[64], err[512];

	cmd_config_who(x, "l2tpctl", who, sizeof who);
	if (config_write_file(d, d->cfg_path, err, sizeof err) < 0) {
		log_msg(&d->log, LOG_ERR, "write memory by %s failed: %s", who, err);
		out_error(x->o, "Write failed: %s", err);
		return -EIO;
	}
	log_msg(&d->log, LOG_NOTICE, "write memory by %s: the running configuration saved to %s "
		"(the previous file kept as %s.bak)", who, d->cfg_path, d->cfg_path);
	ha_config_changed(d, 1);	/* the standby writes its file too */
	out_str(x->o, "file", "Building configuration...\n[OK] saved to %s\n", d->cfg_path);
	return 0;
}

static const struct cmd_entry cmd_config_entries[] = {
	{ M(CMD_MODE_EXEC), "reload", cmd_config_reload, NULL, { 0 },
	  "read the configuration file again and apply the difference (not a restart: "
	  "established tunnels and sessions stay; what cannot change live is refused whole)" },
	{ M(CMD_MODE_EXEC) | CMD_ROOT, "configure terminal", cmd_config_terminal, NULL, { 0 },
	  "enter configuration mode: each line applied live or refused whole (l2tpctl "
	  "configure, the l2tpctl shell); end or exit leaves it" },
	{ M(CMD_MODE_EXEC) | CMD_ROOT, "write memory", cmd_config_write, NULL, { 0 },
	  "save the running configuration to the file it came from (atomic replace, the "
	  "previous one kept as FILE.bak)" },
};

const struct cmd_table cmd_config_table = CMD_TABLE("configuration", cmd_config_entries);
