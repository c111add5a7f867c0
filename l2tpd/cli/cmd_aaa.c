/*
 * AAA and RADIUS: the method lists (`aaa authentication|accounting|
 * authorization`), the RADIUS servers (`radius-server`), the RFC 5176
 * server (`aaa server radius dynamic-author` and its clients); `show radius
 * statistics|server`, `show aaa statistics`, `clear radius statistics`,
 * `debug radius`, and the tests' interim interval.  The counters come from
 * aaa/radius_client.c and aaa/radius_das.c through their read accessors,
 * and from struct aaa (aaa/aaa.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/cmd_debug.h"
#include "cli/cmd_engine.h"
#include "cli/cmd_topics.h"
#include "aaa/aaa.h"
#include "aaa/radius_client.h"
#include "aaa/radius_das.h"
#include "core/config.h"
#include "core/log.h"
#include "core/out.h"
#include "l2tpd.h"

/* `aaa authentication ppp default {group radius | local}...` */
static int cmd_aaa_authen(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct config_aaa *aaa = &x->cc->cfg->aaa;
	enum config_aaa_method m[CONFIG_AAA_METHODS_MAX];
	unsigned n = 0;
	int i;

	if (a->neg) {
		aaa->n_authen = 0;
		return 0;
	}
	for (i = 0; i < a->nvar; i++) {
		enum config_aaa_method k;

		if (!a->var[i])
			continue;
		if (strcasecmp(a->var[i], "local") == 0) {
			k = CONFIG_AAA_LOCAL;
		} else if (strcasecmp(a->var[i], "group") == 0 && i + 1 < a->nvar && a->var[i + 1] &&
			   strcasecmp(a->var[i + 1], "radius") == 0) {
			k = CONFIG_AAA_RADIUS;
			i++;
		} else {
			return cmd_cfg_fail(x, "aaa authentication ppp default: '%s' is not a method "
					    "(group radius, local)", a->var[i]);
		}
		for (unsigned j = 0; j < n; j++)
			if (m[j] == k)
				return cmd_cfg_fail(x, "aaa authentication ppp default: %s is given "
						    "twice", k == CONFIG_AAA_LOCAL ? "local" :
						    "group radius");
		if (n == CONFIG_AAA_METHODS_MAX)
			return cmd_cfg_fail(x, "aaa authentication ppp default: at most %d methods",
					    CONFIG_AAA_METHODS_MAX);
		m[n++] = k;
	}
	if (n == 0)
		return cmd_cfg_fail(x, "aaa authentication ppp default: no method given");
	memcpy(aaa->authen, m, n * sizeof(m[0]));
	aaa->n_authen = n;
	return 0;
}

static void cmd_aaa_print_authen(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_aaa *aaa = &p->cfg->aaa;
	char line[128];
	size_t len;

	if (!aaa->n_authen)
		return;
	len = (size_t)snprintf(line, sizeof(line), "aaa authentication ppp default");
	for (unsigned i = 0; i < aaa->n_authen && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %s",
					aaa->authen[i] == CONFIG_AAA_LOCAL ? "local" :
					"group radius");
	cmd_pr_line(p, "%s", line);
}

static int cmd_aaa_addr_ok(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return h != 0 && h != 0xffffffffu && (h >> 28) != 0xe;
}

/* `radius-server host A [auth-port P] [acct-port P] [key K]`: a server is its address and ports. */
static int cmd_aaa_radius_host(struct cmd_ctx *x, const struct cmd_entry *e,
			       const struct cmd_args *a)
{
	struct config_radius *r = &x->cc->cfg->radius;
	uint16_t auth = a->var[1] ? (uint16_t)a->num[1] : CONFIG_DEF_RADIUS_AUTH_PORT;
	uint16_t acct = a->var[2] ? (uint16_t)a->num[2] : CONFIG_DEF_RADIUS_ACCT_PORT;
	struct config_radius_server *s = NULL;
	unsigned i, removed = 0;

	if (a->neg) {
		/* `no radius-server host A` removes every server at A; with ports, that one */
		for (i = 0; i < r->n_servers;) {
			s = &r->servers[i];
			if (s->addr.s_addr == a->ip[0].s_addr &&
			    (!a->var[1] || s->auth_port == auth) && (!a->var[2] || s->acct_port == acct)) {
				memset(s->key, 0, sizeof s->key);
				memmove(s, s + 1, (r->n_servers - i - 1) * sizeof *s);
				r->n_servers--;
				memset(&r->servers[r->n_servers], 0, sizeof *s);
				removed++;
				continue;
			}
			i++;
		}
		if (!removed)
			return cmd_cfg_fail(x, "no radius-server host: no server %s", a->var[0]);
		return 0;
	}
	if (!cmd_aaa_addr_ok(a->ip[0]))
		return cmd_cfg_fail(x, "radius-server host: %s is not a usable address", a->var[0]);
	if (auth == 0 && acct == 0)
		return cmd_cfg_fail(x, "radius-server host %s: auth-port 0 and acct-port 0 leave "
				    "nothing to use it for", a->var[0]);
	for (i = 0; i < r->n_servers; i++) {
		s = &r->servers[i];
		if (s->addr.s_addr == a->ip[0].s_addr && s->auth_port == auth && s->acct_port == acct)
			break;
	}
	if (i == r->n_servers) {
		if (r->n_servers >= CONFIG_RADIUS_SERVERS)
			return cmd_cfg_fail(x, "radius-server host: at most %d servers",
					    CONFIG_RADIUS_SERVERS);
		s = &r->servers[r->n_servers];
		memset(s, 0, sizeof *s);
		s->addr = a->ip[0];
		s->auth_port = auth;
		s->acct_port = acct;
		if (a->var[3] && cmd_set_str(x, e, s->key, sizeof s->key, a->var[3]))
			return -EINVAL;
		r->n_servers++;
		return 0;
	}
	/* the same server again: its key changes */
	if (a->var[3])
		return cmd_set_str(x, e, s->key, sizeof s->key, a->var[3]);
	memset(s->key, 0, sizeof s->key);
	return 0;
}

static void cmd_aaa_print_radius_host(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_radius *r = &p->cfg->radius;

	for (unsigned i = 0; i < r->n_servers; i++) {
		const struct config_radius_server *s = &r->servers[i];
		char ip[INET_ADDRSTRLEN], auth[8], acct[8];
		const char *vals[4] = { ip, NULL, NULL, s->key[0] ? s->key : NULL };

		inet_ntop(AF_INET, &s->addr, ip, sizeof ip);
		if (s->auth_port != CONFIG_DEF_RADIUS_AUTH_PORT) {
			snprintf(auth, sizeof auth, "%u", s->auth_port);
			vals[1] = auth;
		}
		if (s->acct_port != CONFIG_DEF_RADIUS_ACCT_PORT) {
			snprintf(acct, sizeof acct, "%u", s->acct_port);
			vals[2] = acct;
		}
		cmd_pr_pattern(p, e->pattern, 0, vals, 4);
	}
}

/* `aaa server radius dynamic-author`: enters the mode; `no` removes the block. */
static int cmd_aaa_dynauth(struct cmd_ctx *x, const struct cmd_entry *e, const struct cmd_args *a)
{
	struct config_radius *r = &x->cc->cfg->radius;

	if (a->neg) {
		memset(r->clients, 0, sizeof r->clients);
		memset(r->das_key, 0, sizeof r->das_key);
		r->n_clients = 0;
		r->das = 0;
		r->das_port = CONFIG_DEF_DAS_PORT;
		return 0;
	}
	r->das = 1;
	x->cc->entered = CMD_MODE_DYNAUTH;
	x->cc->entered_grp = NULL;
	return 0;
}

static void cmd_aaa_print_dynauth(const struct cmd_entry *e, struct cmd_pr *p)
{
	struct cmd_pr sub = *p;

	if (!p->cfg->radius.das)
		return;
	cmd_pr_line(p, "!");
	cmd_pr_pattern(p, e->pattern, 0, NULL, 0);
	sub.indent = p->indent + 1;
	cmd_print_mode(CMD_MODE_DYNAUTH, &sub);
	cmd_pr_line(p, "!");
}

/* ` client A [server-key K]` */
static int cmd_aaa_das_client(struct cmd_ctx *x, const struct cmd_entry *e,
			      const struct cmd_args *a)
{
	struct config_radius *r = &x->cc->cfg->radius;
	struct config_das_client *c = NULL;
	unsigned i;

	for (i = 0; i < r->n_clients; i++)
		if (r->clients[i].addr.s_addr == a->ip[0].s_addr)
			c = &r->clients[i];
	if (a->neg) {
		if (!c)
			return cmd_cfg_fail(x, "no client: no client %s", a->var[0]);
		i = (unsigned)(c - r->clients);
		memset(c->key, 0, sizeof c->key);
		memmove(c, c + 1, (r->n_clients - i - 1) * sizeof *c);
		r->n_clients--;
		memset(&r->clients[r->n_clients], 0, sizeof *c);
		return 0;
	}
	if (!cmd_aaa_addr_ok(a->ip[0]))
		return cmd_cfg_fail(x, "client: %s is not a usable address", a->var[0]);
	if (!c) {
		if (r->n_clients >= CONFIG_DAS_CLIENTS)
			return cmd_cfg_fail(x, "client: at most %d clients", CONFIG_DAS_CLIENTS);
		c = &r->clients[r->n_clients];
		memset(c, 0, sizeof *c);
		c->addr = a->ip[0];
		if (a->var[1] && cmd_set_str(x, e, c->key, sizeof c->key, a->var[1]))
			return -EINVAL;
		r->n_clients++;
		return 0;
	}
	if (a->var[1])
		return cmd_set_str(x, e, c->key, sizeof c->key, a->var[1]);
	memset(c->key, 0, sizeof c->key);
	return 0;
}

static void cmd_aaa_print_das_client(const struct cmd_entry *e, struct cmd_pr *p)
{
	const struct config_radius *r = &p->cfg->radius;

	for (unsigned i = 0; i < r->n_clients; i++) {
		char ip[INET_ADDRSTRLEN];
		const char *vals[2] = { ip, r->clients[i].key[0] ? r->clients[i].key : NULL };

		inet_ntop(AF_INET, &r->clients[i].addr, ip, sizeof ip);
		cmd_pr_pattern(p, e->pattern, 0, vals, 2);
	}
}

/*
 * Tests only: RFC 2869 §5.16 keeps Acct-Interim-Interval at 60 s or more,
 * and `aaa accounting update periodic` counts minutes; tests of interims
 * would wait minutes for each.
 */
static int cmd_aaa_test_interim(struct cmd_ctx *x, const struct cmd_entry *e,
				const struct cmd_args *a)
{
	x->d->aaa.test_interim_s = (unsigned)a->num[0];
	out_uint(x->o, "interim_interval", "accounting interim interval for tests: %u s\n",
		 x->d->aaa.test_interim_s);
	return 0;
}

/* ---- show radius statistics|server ---- */

/* struct radius_stats (aaa/radius_client.h), per server and kind; the
 * groups are its parts in `show radius server|statistics`. */
enum { CMD_AAA_RS_REQ = 1, CMD_AAA_RS_AUTH, CMD_AAA_RS_ACCT, CMD_AAA_RS_DROP,
       CMD_AAA_RS_RTT_SUM /* shown as the average RTT */ };

#define CMD_AAA_RS(member, key, fmt, group) \
	OUT_COUNTER_GROUP(struct radius_stats, member, key, fmt, CMD_AAA_RS_##group)

static const struct out_counter cmd_aaa_radius_counters[] = {
	CMD_AAA_RS(requests, "requests", " %u requests", REQ),
	CMD_AAA_RS(retransmissions, "retransmissions", ", %u retransmissions", REQ),
	CMD_AAA_RS(timeouts, "timeouts", ", %u timeouts", REQ),
	CMD_AAA_RS(accepts, "accepts", ", %u accepts", AUTH),
	CMD_AAA_RS(rejects, "rejects", ", %u rejects", AUTH),
	CMD_AAA_RS(challenges, "challenges", ", %u challenges", AUTH),
	CMD_AAA_RS(responses, "responses", ", %u responses", ACCT),
	CMD_AAA_RS(bad_authenticators, "bad_authenticators", "    dropped: %u bad authenticators",
		   DROP),
	CMD_AAA_RS(bad_msgauth, "bad_message_authenticators", ", %u bad Message-Authenticators",
		   DROP),
	CMD_AAA_RS(missing_msgauth, "missing_message_authenticators",
		   ", %u without Message-Authenticator", DROP),
	CMD_AAA_RS(malformed, "malformed", ", %u malformed", DROP),
	CMD_AAA_RS(unknown_ids, "unknown_ids", ", %u unknown ids", DROP),
	CMD_AAA_RS(wrong_codes, "wrong_codes", ", %u wrong codes\n", DROP),
	CMD_AAA_RS(unknown_attrs, "unknown_attributes", "    %u unknown attributes in replies",
		   DROP),
	CMD_AAA_RS(send_errors, "send_errors", ", %u send errors\n", DROP),
	CMD_AAA_RS(rtt_ms_sum, "rtt_ms_sum", NULL, RTT_SUM),
};

static void cmd_aaa_radius_kind(struct out *o, const char *key, const char *label,
				const struct radius_stats *st, enum radius_kind kind)
{
	uint64_t taken = st->accepts + st->rejects + st->challenges + st->responses;

	out_obj_open(o, key);
	out_text(o, "  %s:", label);
	out_counters(o, OUT_COUNTERS(cmd_aaa_radius_counters), st, CMD_AAA_RS_REQ);
	out_counters(o, OUT_COUNTERS(cmd_aaa_radius_counters), st,
		     kind == RADIUS_AUTH ? CMD_AAA_RS_AUTH : CMD_AAA_RS_ACCT);
	out_uint(o, "rtt_avg_ms", ", average RTT %u ms\n", taken ? st->rtt_ms_sum / taken : 0);
	out_counters(o, OUT_COUNTERS(cmd_aaa_radius_counters), st, CMD_AAA_RS_DROP);
	out_obj_close(o);
}

/* The counters of every server, kind by kind. */
static void cmd_aaa_radius_sum(const struct l2tpd *d, unsigned n,
			       struct radius_stats sum[RADIUS_KINDS])
{
	memset(sum, 0, RADIUS_KINDS * sizeof sum[0]);
	for (unsigned i = 0; i < n; i++) {
		for (int k = 0; k < RADIUS_KINDS; k++) {
			const struct radius_stats *st;

			st = radius_client_stats(d, i, (enum radius_kind)k);
			if (st)
				out_counters_add(OUT_COUNTERS(cmd_aaa_radius_counters), &sum[k],
						 st);
		}
	}
}

static void cmd_aaa_radius_client(struct l2tpd *d, struct out *o)
{
	struct radius_stats sum[RADIUS_KINDS];
	const struct config_radius *cr = &d->cfg.radius;
	struct radius_client_info ci;
	int have = radius_client_info(d, &ci) == 0;
	char age[32];

	out_obj_open(o, "client");
	out_text(o, "RADIUS client:\n");
	out_uint(o, "servers", "  %u servers", ci.servers);
	out_uint(o, "timeout", ", timeout %u s", cr->timeout);
	out_uint(o, "retransmit", ", retransmit %u", cr->retransmit);
	out_uint(o, "deadtime", ", deadtime %u min\n", cr->deadtime);
	out_uint(o, "pending", "  %u requests waiting for an answer", ci.pending);
	out_uint(o, "waited_for_id", ", %u had to wait for a free Identifier\n", ci.waited_for_id);
	if (have) {
		out_fmt_age(age, sizeof age, ci.counters_ms);
		out_text(o, "  Counters cleared %s ago\n", age);
		out_uint(o, "counters_seconds", NULL, ci.counters_ms / 1000);
		out_str(o, "dictionary", "  Dictionary: %s\n", ci.dictionary);
	}
	cmd_aaa_radius_sum(d, ci.servers, sum);
	cmd_aaa_radius_kind(o, "auth", "Authentication (all servers)", &sum[RADIUS_AUTH],
			    RADIUS_AUTH);
	cmd_aaa_radius_kind(o, "acct", "Accounting (all servers)", &sum[RADIUS_ACCT], RADIUS_ACCT);
	out_obj_close(o);
}

/* struct radius_das_stats (aaa/radius_das.h): the RFC 5176 server's. */
static const struct out_counter cmd_aaa_das_counters[] = {
	OUT_COUNTER(struct radius_das_stats, disconnect_requests, "disconnect_requests",
		    "  Disconnect-Request: %u"),
	OUT_COUNTER(struct radius_das_stats, disconnect_acks, "disconnect_acks", ", %u ACK"),
	OUT_COUNTER(struct radius_das_stats, disconnect_naks, "disconnect_naks", ", %u NAK\n"),
	OUT_COUNTER(struct radius_das_stats, coa_requests, "coa_requests", "  CoA-Request: %u"),
	OUT_COUNTER(struct radius_das_stats, coa_acks, "coa_acks", ", %u ACK"),
	OUT_COUNTER(struct radius_das_stats, coa_naks, "coa_naks", ", %u NAK\n"),
	OUT_COUNTER(struct radius_das_stats, duplicates, "duplicates",
		    "  %u duplicates answered again\n"),
	OUT_COUNTER(struct radius_das_stats, unknown_clients, "unknown_clients",
		    "  dropped: %u from unknown clients"),
	OUT_COUNTER(struct radius_das_stats, bad_authenticators, "bad_authenticators",
		    ", %u bad authenticators"),
	OUT_COUNTER(struct radius_das_stats, bad_msgauth, "bad_message_authenticators",
		    ", %u bad Message-Authenticators"),
	OUT_COUNTER(struct radius_das_stats, malformed, "malformed", ", %u malformed"),
	OUT_COUNTER(struct radius_das_stats, unknown_codes, "unknown_codes", ", %u unknown codes"),
	OUT_COUNTER(struct radius_das_stats, stale, "stale", ", %u stale Event-Timestamps"),
	OUT_COUNTER(struct radius_das_stats, send_errors, "send_errors", ", %u send errors\n"),
};

static void cmd_aaa_das(struct l2tpd *d, struct out *o)
{
	const struct radius_das_stats *st = radius_das_stats(d);

	out_obj_open(o, "dynamic_author");
	if (st == NULL) {
		out_bool(o, "enabled", NULL, 0);
		out_text(o, "RADIUS dynamic authorization (RFC 5176): not configured\n");
		out_obj_close(o);
		return;
	}
	out_bool(o, "enabled", NULL, 1);
	out_uint(o, "port", "RADIUS dynamic authorization (RFC 5176), UDP port %u",
		 radius_das_port(d));
	out_uint(o, "clients", ", %u clients\n", d->cfg.radius.n_clients);
	out_counters(o, OUT_COUNTERS(cmd_aaa_das_counters), st, OUT_ALL);
	out_obj_close(o);
}

static int cmd_aaa_show_radius_stats(struct cmd_ctx *x, const struct cmd_entry *e,
				     const struct cmd_args *a)
{
	cmd_aaa_radius_client(x->d, x->o);
	cmd_aaa_das(x->d, x->o);
	return 0;
}

static int cmd_aaa_show_radius_server(struct cmd_ctx *x, const struct cmd_entry *e,
				      const struct cmd_args *a)
{
	struct radius_server_info si;
	struct out *o = x->o;
	char age[32];

	out_arr_open(o, "servers");
	if (radius_client_server_info(x->d, 0, &si) < 0) {
		out_arr_close(o);
		out_text(o, "No RADIUS server configured\n");
		return 0;
	}
	for (unsigned i = 0; radius_client_server_info(x->d, i, &si) == 0; i++) {
		out_obj_open(o, NULL);
		out_str(o, "address", "RADIUS server %s", si.address);
		out_uint(o, "auth_port", ", auth-port %u", si.auth_port);
		out_uint(o, "acct_port", ", acct-port %u", si.acct_port);
		out_str(o, "state", ": %s", si.alive ? "alive" : "dead");
		out_fmt_age(age, sizeof age, si.state_ms);
		out_text(o, " for %s", age);
		out_uint(o, "state_seconds", NULL, si.state_ms / 1000);
		if (!si.alive) {
			out_fmt_age(age, sizeof age, si.dead_remaining_ms);
			out_text(o, " (in use again in %s)", age);
			out_uint(o, "dead_remaining_seconds", NULL, si.dead_remaining_ms / 1000);
		}
		out_text(o, "\n");
		cmd_aaa_radius_kind(o, "auth", "Authentication",
				    radius_client_stats(x->d, i, RADIUS_AUTH), RADIUS_AUTH);
		cmd_aaa_radius_kind(o, "acct", "Accounting",
				    radius_client_stats(x->d, i, RADIUS_ACCT), RADIUS_ACCT);
		out_obj_close(o);
	}
	out_arr_close(o);
	return 0;
}

/* ---- show aaa statistics ---- */

/* struct aaa_stats (aaa/aaa.h): what AAA did with RADIUS and the local
 * users, whatever server answered. */
#define CMD_AAA_STAT(member, fmt) OUT_COUNTER(struct aaa_stats, member, #member, fmt)

static const struct out_counter cmd_aaa_counters[] = {
	CMD_AAA_STAT(auth_radius, "  PPP authentication: %u Access-Requests"),
	CMD_AAA_STAT(auth_accept, ", %u accepted"),
	CMD_AAA_STAT(auth_reject, ", %u rejected"),
	CMD_AAA_STAT(auth_no_answer, ", %u unanswered"),
	CMD_AAA_STAT(auth_fallback, ", %u not sent (no server, or an error)\n"),
	CMD_AAA_STAT(auth_local_ok, "    local users: %u accepted"),
	CMD_AAA_STAT(auth_local_fail, ", %u refused\n"),
	CMD_AAA_STAT(attr_refused,
		     "    reply attributes and AV-pairs refused (out of range): %u\n"),
	CMD_AAA_STAT(acct_start, "  Accounting: %u Start"),
	CMD_AAA_STAT(acct_interim, ", %u Interim-Update"),
	CMD_AAA_STAT(acct_stop, ", %u Stop"),
	CMD_AAA_STAT(acct_no_answer, "; %u no server acknowledged\n"),
	CMD_AAA_STAT(das_disconnect, "  Dynamic authorization: %u sessions disconnected"),
	CMD_AAA_STAT(das_coa, ", %u changed"),
	CMD_AAA_STAT(das_nak, ", %u requests refused\n"),
	CMD_AAA_STAT(tunnel_authz, "  LAC tunnel authorization: %u Access-Requests"),
	CMD_AAA_STAT(tunnel_accept, ", %u accepted"),
	CMD_AAA_STAT(tunnel_reject, ", %u rejected"),
	CMD_AAA_STAT(tunnel_no_answer, ", %u unanswered\n"),
	CMD_AAA_STAT(tunnel_refused, "    tunnel sets refused %u"),
	CMD_AAA_STAT(tunnel_next, ", next set tried %u"),
	CMD_AAA_STAT(tunnel_group, ", the vpdn-group's initiate-to used %u\n"),
};

static int cmd_aaa_show_stats(struct cmd_ctx *x, const struct cmd_entry *e,
			      const struct cmd_args *a)
{
	out_text(x->o, "AAA statistics:\n");
	out_counters(x->o, OUT_COUNTERS(cmd_aaa_counters), &x->d->aaa.stats, OUT_ALL);
	return 0;
}

static int cmd_aaa_clear_radius(struct cmd_ctx *x, const struct cmd_entry *e,
				const struct cmd_args *a)
{
	radius_client_clear_stats(x->d);
	radius_das_clear_stats(x->d);
	out_text(x->o, "RADIUS counters cleared\n");
	return 0;
}

/* `[no] debug radius`, `undebug radius` */
static int cmd_aaa_debug_radius(struct cmd_ctx *x, const struct cmd_entry *e,
				const struct cmd_args *a)
{
	if (a->neg || e->f.arg)
		x->d->log.debug &= ~(unsigned)LOG_DBG_RADIUS;
	else
		x->d->log.debug |= LOG_DBG_RADIUS;
	cmd_debug_show_state(x);
	return 0;
}

static const struct cmd_entry cmd_aaa_entries[] = {
	{ M(CMD_MODE_CONFIG), "[no] aaa new-model", cmd_set_field, cmd_print_field,
	  GFIELD(FT_BOOL, aaa.new_model, 0), "accepted as IOS has it; changes nothing" },
	{ M(CMD_MODE_CONFIG), "[no] aaa authentication ppp default WORD [WORD] [WORD] [WORD]",
	  cmd_aaa_authen, cmd_aaa_print_authen, { 0 },
	  "PPP authentication methods in order: `group radius`, `local`; the next is tried "
	  "only when RADIUS gives no answer (default: local)" },
	{ M(CMD_MODE_CONFIG), "[no] aaa accounting network default start-stop group radius",
	  cmd_set_field, cmd_print_field, GFIELD(FT_BOOL, aaa.acct_network, 0),
	  "RADIUS accounting of PPP sessions: Start, Interim-Update, Stop" },
	{ M(CMD_MODE_CONFIG), "[no] aaa accounting update periodic <1-71582>", cmd_set_field,
	  cmd_print_field, GFIELD(FT_UINT, aaa.acct_update_min, 0),
	  "minutes between Interim-Updates (Acct-Interim-Interval from RADIUS wins; "
	  "default none)" },
	{ M(CMD_MODE_CONFIG), "[no] aaa authorization network default group radius",
	  cmd_set_field, cmd_print_field, GFIELD(FT_BOOL, aaa.authz_network, 0),
	  "LAC: ask RADIUS for the tunnel of a user's domain (RFC 2868 attributes); no "
	  "answer: the vpdn-group's initiate-to" },
	{ M(CMD_MODE_CONFIG), "[no] radius-server host A.B.C.D [auth-port <0-65535>] "
	  "[acct-port <0-65535>] [key WORD]", cmd_aaa_radius_host, cmd_aaa_print_radius_host, { 0 },
	  "a RADIUS server, tried in the order given (ports 1812 1813 by default, 0 = not "
	  "for that); `no` removes it" },
	{ M(CMD_MODE_CONFIG), "[no] radius-server key WORD", cmd_set_field, cmd_print_field,
	  GFIELD(FT_STR, radius.key, 0), "shared secret of servers given without a key" },
	{ M(CMD_MODE_CONFIG), "[no] radius-server timeout <1-1000>", cmd_set_field,
	  cmd_print_field, GFIELD(FT_UINT, radius.timeout, CONFIG_DEF_RADIUS_TIMEOUT),
	  "seconds to wait for an answer before retransmitting (default 5)" },
	{ M(CMD_MODE_CONFIG), "[no] radius-server retransmit <0-100>", cmd_set_field,
	  cmd_print_field, GFIELD(FT_UINT, radius.retransmit, CONFIG_DEF_RADIUS_RETRANSMIT),
	  "retransmissions to a server before the next one is tried (default 3)" },
	{ M(CMD_MODE_CONFIG), "[no] radius-server deadtime <0-1440>", cmd_set_field,
	  cmd_print_field, GFIELD(FT_UINT, radius.deadtime, CONFIG_DEF_RADIUS_DEADTIME),
	  "minutes a server that did not answer is skipped while others live "
	  "(default 0: never)" },
	{ M(CMD_MODE_CONFIG), "[no] radius-server require-message-authenticator", cmd_set_field,
	  cmd_print_field, GFIELD(FT_BOOL, radius.require_msgauth, 1),
	  "drop an Access-Accept/Reject/Challenge without Message-Authenticator (default on; "
	  "`no` for servers that do not send one)" },
	{ M(CMD_MODE_CONFIG), "[no] radius-server source-ip A.B.C.D", cmd_set_field,
	  cmd_print_field, GFIELD(FT_IP, radius.source, 0),
	  "address RADIUS requests are sent from (the virtual address of a pair; default "
	  "the route's)" },
	{ M(CMD_MODE_CONFIG), "[no] aaa server radius dynamic-author", cmd_aaa_dynauth,
	  cmd_aaa_print_dynauth, { 0 },
	  "enter the RFC 5176 mode: Disconnect- and CoA-Requests from RADIUS clients "
	  "(`no` removes it)" },
	{ M(CMD_MODE_DYNAUTH), "[no] client A.B.C.D [server-key WORD]", cmd_aaa_das_client,
	  cmd_aaa_print_das_client, { 0 },
	  "a client allowed to send requests, with its secret (default: server-key)" },
	{ M(CMD_MODE_DYNAUTH), "[no] server-key WORD", cmd_set_field, cmd_print_field,
	  GFIELD(FT_STR, radius.das_key, 0), "the secret of clients given without one" },
	{ M(CMD_MODE_DYNAUTH), "[no] port <1-65535>", cmd_set_field, cmd_print_field,
	  GFIELD(FT_U16, radius.das_port, CONFIG_DEF_DAS_PORT),
	  "UDP port to listen on (default 3799)" },
	{ M(CMD_MODE_EXEC), "show radius statistics", cmd_aaa_show_radius_stats, NULL, { 0 },
	  "RADIUS client counters of every server summed, and the RFC 5176 server's" },
	{ M(CMD_MODE_EXEC), "show radius server", cmd_aaa_show_radius_server, NULL, { 0 },
	  "RADIUS servers: alive or dead and since when, counters per server" },
	{ M(CMD_MODE_EXEC), "show aaa statistics", cmd_aaa_show_stats, NULL, { 0 },
	  "PPP authentication, accounting, dynamic authorization and LAC tunnel "
	  "authorization, as AAA counted them" },
	{ M(CMD_MODE_EXEC), "clear radius statistics", cmd_aaa_clear_radius, NULL, { 0 },
	  "zero the RADIUS counters" },
	{ M(CMD_MODE_EXEC), "[no] debug radius", cmd_aaa_debug_radius, NULL, { 0 },
	  "log every RADIUS packet, decoded (off with no)" },
	{ M(CMD_MODE_EXEC), "undebug radius", cmd_aaa_debug_radius, NULL, { .arg = 1 },
	  "stop logging RADIUS packets" },
	{ M(CMD_MODE_EXEC) | CMD_HIDDEN | CMD_ROOT, "test aaa interim-interval <0-86400>",
	  cmd_aaa_test_interim, NULL, { 0 },
	  "accounting interim interval in seconds, over everything (tests; 0 = off)" },
};

const struct cmd_table cmd_aaa_table = CMD_TABLE("aaa", cmd_aaa_entries);
