/*
 * The live configuration.  It is filled by the command table (cmd.c) from
 * the configuration file and printed back by the same table for
 * `show running-config`.  Times are in seconds as the operator writes them.
 */
#ifndef L2TP_CONFIG_H
#define L2TP_CONFIG_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#define CONFIG_NAME_MAX		64
#define CONFIG_SECRET_MAX	128
#define CONFIG_DEFAULT_FILE	"/etc/l2tpd/l2tpd.conf"
#define CONFIG_DEFAULT_SOCKET	"/run/l2tpd/control"

/* Defaults (Cisco IOS where it has one; RFC 2661 §5.8 otherwise). */
#define CONFIG_DEF_HELLO	60	/* l2tp tunnel hello */
#define CONFIG_DEF_RETRIES	5	/* l2tp tunnel retransmit retries */
#define CONFIG_DEF_RTO_MIN	1	/* l2tp tunnel retransmit timeout min */
#define CONFIG_DEF_RTO_MAX	8	/* l2tp tunnel retransmit timeout max */
#define CONFIG_DEF_RWS		4	/* l2tp tunnel receive-window */

enum vpdn_dialin {
	VPDN_NONE = 0,
	VPDN_ACCEPT_DIALIN,	/* LNS: accept tunnels and incoming calls */
	VPDN_REQUEST_DIALIN	/* LAC: initiate tunnels and incoming calls */
};

struct vpdn_group {
	TAILQ_ENTRY(vpdn_group) link;
	char name[CONFIG_NAME_MAX];
	enum vpdn_dialin dialin;
	int protocol_l2tp;		/* `protocol l2tp` under accept-/request-dialin */
	int virtual_template;		/* accept-dialin: `virtual-template N`, 0 = none */
	char domain[CONFIG_NAME_MAX];	/* request-dialin: `domain D` */
	struct in_addr initiate_to;	/* `initiate-to ip A [port P]` (LAC) */
	uint16_t initiate_port;		/* 0 = 1701 */
	char terminate_from[CONFIG_NAME_MAX];	/* `terminate-from hostname H` (LNS); "" = any */
	char local_name[CONFIG_NAME_MAX];	/* `local name N`; "" = the hostname */
	char password[CONFIG_SECRET_MAX];	/* `l2tp tunnel password P`; "" = none */
	int authentication;		/* `[no] l2tp tunnel authentication` (default on) */
	int hide_avps;			/* `l2tp hidden`: hide sensitive AVPs (needs a password) */
	unsigned hello;			/* s, 0 = off */
	unsigned retries;
	unsigned rto_min, rto_max;	/* s */
	unsigned rws;			/* our receive window */
	unsigned cfg_line;		/* line of its first `vpdn-group` (errors at end of file) */
	/* counters kept with the group for `show vpdn` */
	uint64_t tunnels_up, sessions_up, tunnels_refused, sessions_refused;
};
TAILQ_HEAD(vpdn_group_list, vpdn_group);

struct l2tpd_config {
	char hostname[CONFIG_NAME_MAX];
	int vpdn_enabled;		/* `vpdn enable` */
	struct in_addr source_ip;	/* `vpdn source-ip A`: listen / source address; any if 0 */
	uint16_t port;			/* `l2tp port P` (default 1701) */
	struct vpdn_group_list groups;
};

void config_init(struct l2tpd_config *cfg);
void config_free(struct l2tpd_config *cfg);
struct vpdn_group *config_group_find(const struct l2tpd_config *cfg, const char *name);
/* Create a group with every default set, appended to the list. */
struct vpdn_group *config_group_add(struct l2tpd_config *cfg, const char *name);
void config_group_defaults(struct vpdn_group *g);
/* The hostname used when none is configured: the system's, else "l2tpd". */
void config_default_hostname(char *buf, size_t size);

/*
 * Read a configuration file / text into cfg (initialised by the caller).
 * On error returns a negative errno and writes "line N: reason" to err.
 */
int config_load_file(struct l2tpd_config *cfg, const char *path, char *err, size_t errsz);
int config_load_string(struct l2tpd_config *cfg, const char *text, char *err, size_t errsz);

/*
 * The group an LNS uses for a tunnel from peer hostname `host`: the
 * accept-dialin group whose terminate-from matches, else one without
 * terminate-from; NULL if none.
 */
struct vpdn_group *config_group_for_peer(const struct l2tpd_config *cfg, const char *host);

#endif
