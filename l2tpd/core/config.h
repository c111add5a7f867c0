/*
 * The live configuration: the model (structures, defaults, lookups).  It is
 * filled from the configuration file by cli/config_load.c through the
 * command tables of cli/, and printed back by the same tables for `show
 * running-config`.  Times are in seconds as the operator writes them.
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
#define CONFIG_DEF_L2TP_PORT	1701	/* l2tp port (RFC 2661 §8.1: UDP port 1701) */
#define CONFIG_DEF_HELLO	60	/* l2tp tunnel hello */
#define CONFIG_DEF_RETRIES	5	/* l2tp tunnel retransmit retries */
#define CONFIG_DEF_RTO_MIN	1	/* l2tp tunnel retransmit timeout min */
#define CONFIG_DEF_RTO_MAX	8	/* l2tp tunnel retransmit timeout max */
#define CONFIG_DEF_RWS		4	/* l2tp tunnel receive-window */
#define CONFIG_DEF_RESYNC	20	/* l2tp tunnel resync (packets) */
#define CONFIG_DEF_CKPT_PORT	17010	/* redundancy: checkpoint local/peer port */
#define CONFIG_DEF_HEARTBEAT_MS	100	/* redundancy: checkpoint heartbeat */
#define CONFIG_DEF_DEAD_MS	1000	/* redundancy: checkpoint dead-interval */
#define CONFIG_DEF_HISTORY	500	/* vpdn history failure table-size */

enum vpdn_dialin {
	VPDN_NONE = 0,
	VPDN_ACCEPT_DIALIN,	/* LNS: accept tunnels and incoming calls */
	VPDN_REQUEST_DIALIN	/* LAC: initiate tunnels and incoming calls */
};

/* LNS: what becomes of the LCP a LAC proxied (RFC 2661 §4.4.5), as IOS's
 * `lcp renegotiation {always|on-mismatch}`. */
enum vpdn_lcp_reneg {
	VPDN_LCP_RENEG_NEVER = 0,	/* not configured: the proxy, or the call is refused */
	VPDN_LCP_RENEG_ON_MISMATCH,	/* the proxy when acceptable, else negotiate */
	VPDN_LCP_RENEG_ALWAYS,		/* negotiate LCP again, always */
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
	unsigned source_port;		/* `l2tp tunnel source-port P` (LAC); 0 = an ephemeral port */
	char terminate_from[CONFIG_NAME_MAX];	/* `terminate-from hostname H` (LNS); "" = any */
	char local_name[CONFIG_NAME_MAX];	/* `local name N`; "" = the hostname */
	char password[CONFIG_SECRET_MAX];	/* `l2tp tunnel password P`; "" = none */
	int authentication;		/* `[no] l2tp tunnel authentication` (default on) */
	int hide_avps;			/* `l2tp hidden`: hide sensitive AVPs (needs a password) */
	unsigned hello;			/* s, 0 = off */
	unsigned retries;
	unsigned rto_min, rto_max;	/* s */
	unsigned rws;			/* our receive window */
	int sso;			/* `[no] sso enable` (default on) */
	unsigned resync;		/* `l2tp tunnel resync N`: packets in flight while
					 * resynchronising, and the receive window of HA tunnels */
	unsigned cfg_line;		/* line of its first `vpdn-group` (errors at end of file) */
	/* counters kept with the group for `show vpdn` */
	uint64_t tunnels_up, sessions_up, tunnels_refused, sessions_refused;
	unsigned session_limit;		/* `session-limit N`: calls at once; 0 = no limit */
	int removed;			/* gone from the configuration (a reload): kept while
					 * its tunnels last, refusing new tunnels and calls */
	unsigned lcp_reneg;		/* `lcp renegotiation`: enum vpdn_lcp_reneg */
	int subscriber_ipv6;		/* `l2tp subscriber ipv6` (LAC): test subscribers run
					 * IPv6CP, solicit an RA and a delegated prefix */
	int subscriber_ipv6_na;		/* `l2tp subscriber ipv6 address`: and an IA_NA */
	int subscriber_ipv6_rapid;	/* `l2tp subscriber ipv6 rapid-commit`: Solicit
					 * with Rapid Commit (RFC 8415 §18.2.1) */
};
TAILQ_HEAD(vpdn_group_list, vpdn_group);

/* `username NAME password SECRET`: the local user database. */
struct config_user {
	TAILQ_ENTRY(config_user) link;
	char name[CONFIG_NAME_MAX];
	char password[CONFIG_SECRET_MAX];
};
TAILQ_HEAD(config_user_list, config_user);

/* `ip local pool NAME FIRST [LAST]` (host order compares: first <= last). */
struct config_pool {
	TAILQ_ENTRY(config_pool) link;
	char name[CONFIG_NAME_MAX];
	struct in_addr first, last;
};
TAILQ_HEAD(config_pool_list, config_pool);

/* `ipv6 local pool NAME PREFIX/LEN ASSIGN-LEN`: prefixes of ASSIGN-LEN
 * bits cut from PREFIX/LEN (a /64 per session for its RA, a /56 to
 * delegate); the bits of prefix past len are zero. */
struct config_pool6 {
	TAILQ_ENTRY(config_pool6) link;
	char name[CONFIG_NAME_MAX];
	uint8_t prefix[16];
	uint8_t len;
	uint8_t assign;
};
TAILQ_HEAD(config_pool6_list, config_pool6);
/* at most 2^20 prefixes in one pool (a bitmap of 128 KiB) */
#define CONFIG_POOL6_MAX_BITS	20

/* PPP authentication methods, as `ppp authentication` lists them. */
enum config_auth {
	CONFIG_AUTH_PAP = 1,
	CONFIG_AUTH_CHAP = 2,		/* CHAP-MD5 */
	CONFIG_AUTH_MSCHAPV2 = 3,	/* ms-chap-v2 */
};
#define CONFIG_AUTH_MAX		3

/* Defaults of an `interface Virtual-Template N` profile. */
#define CONFIG_DEF_MTU		1460	/* 1500 - IP/UDP/L2TP/PPP overhead, rounded */
#define CONFIG_DEF_KEEPALIVE	10	/* LCP echo interval, s */
#define CONFIG_DEF_KEEPALIVE_RETRIES 5
/* RFC 4861 §6.2.1: MaxRtrAdvInterval 4..1800 s, default 600; we default
 * to 200 s, IOS's interval */
#define CONFIG_DEF_RA_INTERVAL	200
#define CONFIG_DEF_RA_LIFETIME	1800	/* s, AdvDefaultLifetime (§6.2.1: 3 x 600) */
#define CONFIG_DEF_PD_VALID	86400	/* s, delegated prefix valid lifetime */
#define CONFIG_DEF_PD_PREFERRED	14400	/* s */

/* `interface Virtual-Template N`: the PPP profile an LNS group clones. */
struct config_vtemplate {
	TAILQ_ENTRY(config_vtemplate) link;
	int num;
	struct in_addr local_addr;	/* `ip address A 255.255.255.255`: our IPCP address */
	char pool[CONFIG_NAME_MAX];	/* `peer default ip address pool NAME` */
	enum config_auth auth[CONFIG_AUTH_MAX];	/* `ppp authentication M...` in order */
	unsigned n_auth;		/* 0: no authentication asked */
	unsigned mtu;			/* `mtu N` (also the MRU we ask) */
	struct in_addr dns[2];		/* `ppp ipcp dns A [B]` */
	unsigned keepalive;		/* `keepalive S [RETRIES]`, `no keepalive` = 0 */
	unsigned keepalive_retries;
	int ipv6;			/* `ipv6 enable`: run IPv6CP */
	char pool6[CONFIG_NAME_MAX];	/* `peer default ipv6 pool NAME`: the link's /64 */
	unsigned ra_interval;		/* `ipv6 nd ra interval S` */
	unsigned ra_lifetime;		/* `ipv6 nd ra lifetime S` */
	int nd_managed;			/* `ipv6 nd managed-config-flag` (M) */
	int nd_other;			/* `ipv6 nd other-config-flag` (O) */
	char pd_pool[CONFIG_NAME_MAX];	/* `ipv6 dhcp server prefix-delegation pool NAME` */
	char na_pool[CONFIG_NAME_MAX];	/* `ipv6 dhcp server address pool NAME` (IA_NA) */
	unsigned pd_valid, pd_preferred;	/* `... lifetime VALID PREFERRED` */
	uint8_t dns6[2][16];		/* `ipv6 dhcp server dns-server A [B]` (:: = none) */
	int rapid_commit;		/* `ipv6 dhcp server rapid-commit` */
	unsigned idle_timeout;		/* `ppp timeout idle S`, 0 = none */
	unsigned absolute_timeout;	/* `ppp timeout absolute S`, 0 = none */
	unsigned adjust_mss;		/* `ip tcp adjust-mss N`, 0 = none (core/tcp_mss.h) */
	int removed;			/* gone from the configuration (a reload), kept
					 * while sessions run: their links point to it */
};
TAILQ_HEAD(config_vtemplate_list, config_vtemplate);

/*
 * `redundancy` block:
 *   redundancy
 *    mode sso
 *    checkpoint local A [port P]        (bind here; serve as active)
 *    checkpoint peer A [port P]         (connect here as standby)
 *    checkpoint curve public-key K secret-key K peer-key K
 *    checkpoint security none           (plain ZeroMQ: benchmarks, labs)
 *    checkpoint heartbeat MS dead-interval MS
 *    virtual-address A                  (the VRRP address tunnels live on)
 */
struct config_redundancy {
	int configured;			/* a `redundancy` block was given */
	int mode_sso;			/* `mode sso` */
	struct in_addr local, peer;
	uint16_t local_port, peer_port;	/* host order; CONFIG_DEF_CKPT_PORT */
	int curve;			/* keys given */
	int security_none;		/* `checkpoint security none` */
	char public_key[41], secret_key[41], peer_key[41];	/* Z85 */
	unsigned heartbeat_ms, dead_ms;
	struct in_addr vip;		/* `virtual-address A`; 0 = none */
	char fault_file[128];		/* `vrrp fault-file PATH`: keepalived's track_file
					 * (weight 0); "" = none */
};

/*
 * AAA (aaa/aaa.c), as IOS writes it:
 *   aaa new-model
 *   aaa authentication ppp default {group radius|local} [...]
 *   aaa accounting network default start-stop group radius
 *   aaa accounting update periodic MINUTES
 *   aaa authorization network default group radius   (LAC, aaa/tunnel.c)
 * With no authentication list, PPP users are checked against `username`
 * (local) only.
 */
enum config_aaa_method {
	CONFIG_AAA_NONE = 0,
	CONFIG_AAA_RADIUS,		/* group radius */
	CONFIG_AAA_LOCAL,		/* local */
};
#define CONFIG_AAA_METHODS_MAX	2

struct config_aaa {
	int new_model;			/* `aaa new-model` (accepted, changes nothing) */
	enum config_aaa_method authen[CONFIG_AAA_METHODS_MAX];	/* in order */
	unsigned n_authen;		/* 0: local only */
	int acct_network;		/* `aaa accounting network default start-stop group radius` */
	unsigned acct_update_min;	/* `aaa accounting update periodic M`, 0 = none */
	int authz_network;		/* `aaa authorization network default group radius`:
					 * the LAC asks RADIUS for a domain's tunnel */
};

/*
 * RADIUS servers and the RFC 5176 Dynamic Authorization Server:
 *   radius-server host A [auth-port P] [acct-port P] [key K]   (in order of use)
 *   radius-server key K | timeout S | retransmit N | deadtime MIN | source-ip A
 *   aaa server radius dynamic-author
 *    client A [server-key K]
 *    server-key K
 *    port P
 * Fixed arrays: the whole block is copied with the configuration.
 */
#define CONFIG_RADIUS_SERVERS		8
#define CONFIG_DAS_CLIENTS		16
#define CONFIG_DEF_RADIUS_AUTH_PORT	1812
#define CONFIG_DEF_RADIUS_ACCT_PORT	1813
#define CONFIG_DEF_RADIUS_TIMEOUT	5	/* s before a retransmission */
#define CONFIG_DEF_RADIUS_RETRANSMIT	3	/* retransmissions before the next server */
#define CONFIG_DEF_RADIUS_DEADTIME	0	/* min a silent server is skipped; 0 = never */
#define CONFIG_DEF_DAS_PORT		3799

struct config_radius_server {
	struct in_addr addr;
	uint16_t auth_port, acct_port;	/* host order; 0 = not used for that */
	char key[CONFIG_SECRET_MAX];	/* "" = radius-server key */
};

struct config_das_client {
	struct in_addr addr;
	char key[CONFIG_SECRET_MAX];	/* "" = the dynamic-author server-key */
};

struct config_radius {
	struct config_radius_server servers[CONFIG_RADIUS_SERVERS];
	unsigned n_servers;
	char key[CONFIG_SECRET_MAX];	/* `radius-server key K`: hosts without their own */
	unsigned timeout, retransmit, deadtime;
	struct in_addr source;		/* `radius-server source-ip A`; 0 = any */
	int require_msgauth;		/* `[no] radius-server require-message-authenticator` */
	int das;			/* `aaa server radius dynamic-author` given */
	uint16_t das_port;		/* `port P` (0: any free port, tests only) */
	char das_key[CONFIG_SECRET_MAX];	/* `server-key K` */
	struct config_das_client clients[CONFIG_DAS_CLIENTS];
	unsigned n_clients;
};

/*
 * Holding up under attack (l2tp/guard.c), as the global lines say it:
 *   l2tp tunnel half-open-limit N                 (tunnels not yet authenticated)
 *   l2tp access-list permit A.B.C.D [LEN]         (accepted LAC sources; none: any)
 *   l2tp rate-limit sccrq per-source N [interval S]
 *   l2tp rate-limit sccrq total N [interval S]
 *   l2tp rate-limit icrq per-tunnel N             (per second)
 *   l2tp intrusion-protection failures K within T block B   (no ...: off)
 *   l2tp intrusion-protection trusted A.B.C.D [LEN]
 *   vpdn session-limit N
 * Fixed arrays: the whole block is copied with the configuration.
 */
#define CONFIG_GUARD_PREFIXES		32
#define CONFIG_DEF_HALF_OPEN		4096
/* The SCCRQ rates' defaults cap no legitimate mass reconnect (a LAC pair
 * failing over brings every tunnel back at once): one address may ask
 * above the rate the LNS can establish tunnels at all (about 10,000 a
 * second), all of them together for every Tunnel ID there is (16 bits,
 * RFC 2661 3.1).  A flood from one host passes at most the per-source
 * rate, too little to spend the total: the half-open table
 * (half-open-limit) is the first line, the rates the second. */
#define CONFIG_DEF_SCCRQ_SOURCE		20000	/* per interval, per source address */
#define CONFIG_DEF_SCCRQ_TOTAL		65535	/* per interval, all sources */
#define CONFIG_DEF_SCCRQ_INTERVAL	1	/* s */
#define CONFIG_DEF_ICRQ_TUNNEL		50000	/* per second and tunnel */
#define CONFIG_DEF_IP_FAILURES		10	/* tunnel authentication failures ... */
#define CONFIG_DEF_IP_WITHIN		60	/* ... within this many s ... */
#define CONFIG_DEF_IP_BLOCK		300	/* ... block the source this many s */

struct config_prefix {
	struct in_addr addr;		/* masked to len */
	unsigned len;			/* 0..32 */
};

struct config_guard {
	unsigned half_open_max;
	struct config_prefix acl[CONFIG_GUARD_PREFIXES];
	unsigned n_acl;			/* 0: every source may open a tunnel */
	unsigned sccrq_source, sccrq_source_interval;
	unsigned sccrq_total, sccrq_total_interval;
	unsigned icrq_tunnel;
	unsigned ip_failures, ip_within, ip_block;	/* ip_failures 0: never block */
	struct config_prefix trusted[CONFIG_GUARD_PREFIXES];
	unsigned n_trusted;
	unsigned session_limit;		/* `vpdn session-limit N`; 0 = none */
};

/* Does prefix p hold addr (network order)? */
int config_prefix_match(const struct config_prefix *p, struct in_addr addr);
void config_guard_defaults(struct config_guard *g);

/* `metrics listen A.B.C.D port P`: the Prometheus endpoint (port 0: none). */
struct config_metrics {
	struct in_addr addr;
	uint16_t port;
};

/*
 * The PPPoE access side (pppoe/), as IOS writes it:
 *   bba-group pppoe NAME
 *    virtual-template N
 *    ac name NAME
 *    sessions per-mac limit N
 *    pado delay MS
 *   interface eth1 | interface eth1.100
 *    encapsulation dot1Q 100 [second-dot1q 10]
 *    pppoe enable group NAME
 *    pppoe max-sessions N
 *   pppoe rate-limit padi per-mac N [interval S]
 *   pppoe rate-limit padi total N [interval S]
 */
#define CONFIG_IFNAME_MAX		16	/* IFNAMSIZ */
#define CONFIG_DEF_PPPOE_PER_MAC	100	/* sessions per-mac limit (IOS) */
#define CONFIG_DEF_PPPOE_LCP_TIMEOUT	30	/* s a subscriber has to finish LCP */
#define CONFIG_DEF_PADI_MAC		10	/* PADIs per interval and MAC */
#define CONFIG_DEF_PADI_TOTAL		2000	/* PADIs per interval, every MAC */
#define CONFIG_DEF_PADI_INTERVAL	1	/* s */
#define CONFIG_PADO_DELAY_MAX		10000	/* ms */

struct config_bba_group {
	TAILQ_ENTRY(config_bba_group) link;
	char name[CONFIG_NAME_MAX];
	int virtual_template;		/* `virtual-template N`, 0 = none */
	char ac_name[CONFIG_NAME_MAX];	/* `ac name NAME`; "" = the hostname */
	unsigned per_mac_limit;		/* `sessions per-mac limit N`; 0 = none */
	unsigned pado_delay_ms;		/* `pado delay MS` */
	unsigned lcp_timeout;		/* `lcp timeout S`: LCP unfinished, PADT */
};
TAILQ_HEAD(config_bba_list, config_bba_group);

/* `interface IF`: an access interface (not a Virtual-Template). */
struct config_access_if {
	TAILQ_ENTRY(config_access_if) link;
	char name[CONFIG_IFNAME_MAX];	/* as written: eth1, eth1.100 */
	uint16_t vlan, vlan2;		/* `encapsulation dot1Q V [second-dot1q V2]`; 0 = none */
	char group[CONFIG_NAME_MAX];	/* `pppoe enable group NAME`; "" = PPPoE off */
	unsigned max_sessions;		/* `pppoe max-sessions N`; 0 = none */
	unsigned cfg_line;		/* line of its first `interface` (errors at end of file) */
};
TAILQ_HEAD(config_access_if_list, config_access_if);

struct config_pppoe {
	unsigned padi_mac, padi_mac_interval;
	unsigned padi_total, padi_total_interval;
};

struct l2tpd_config;
void config_pppoe_defaults(struct config_pppoe *pc);
struct config_bba_group *config_bba_find(const struct l2tpd_config *cfg, const char *name);
struct config_access_if *config_access_if_find(const struct l2tpd_config *cfg,
						const char *name);

struct l2tpd_config {
	char hostname[CONFIG_NAME_MAX];
	int vpdn_enabled;		/* `vpdn enable` */
	int softshut;			/* `vpdn softshut`: new tunnels and sessions refused,
					 * the established ones go on (draining a box) */
	int search_order_domain;	/* `vpdn search-order domain` written (the domain
					 * is the only key searched, written or not) */
	struct in_addr source_ip;	/* `vpdn source-ip A`: listen / source address; any if 0 */
	uint16_t port;			/* `l2tp port P` (default 1701) */
	struct vpdn_group_list groups;
	struct config_user_list users;
	struct config_pool_list pools;
	struct config_pool6_list pools6;
	struct config_vtemplate_list vtemplates;
	int sso;			/* `[no] l2tp sso enable` (default on) */
	struct config_redundancy red;
	unsigned history_size;		/* `vpdn history failure table-size N` */
	struct config_aaa aaa;		/* aaa/aaa.c */
	struct config_radius radius;	/* radius-server, aaa server radius dynamic-author */
	struct config_guard guard;	/* l2tp/guard.c: limits, rates, block list */
	struct config_metrics metrics;	/* metrics/: `metrics listen A port P` */
	struct config_bba_list bba_groups;	/* pppoe/: `bba-group pppoe NAME` */
	struct config_access_if_list access_ifs;	/* `interface IF` with PPPoE */
	struct config_pppoe pppoe;	/* `pppoe rate-limit ...` */
};

struct config_user *config_user_find(const struct l2tpd_config *cfg, const char *name);
struct config_pool *config_pool_find(const struct l2tpd_config *cfg, const char *name);
struct config_pool6 *config_pool6_find(const struct l2tpd_config *cfg, const char *name);
/* The configured template N (a removed one is not). */
struct config_vtemplate *config_vtemplate_find(const struct l2tpd_config *cfg, int num);

void config_init(struct l2tpd_config *cfg);
/* The `redundancy` block as `no redundancy` leaves it (configured = 0). */
void config_redundancy_defaults(struct config_redundancy *r);
/* RADIUS as it is with no radius-server / dynamic-author line. */
void config_radius_defaults(struct config_radius *r);
/* The key of server i / of a DAS client (its own, else the default; "" if none). */
static inline const char *config_radius_key(const struct config_radius *r, unsigned i)
{
	if (i >= r->n_servers)
		return "";
	return r->servers[i].key[0] ? r->servers[i].key : r->key;
}

static inline const char *config_das_key(const struct config_radius *r,
					 const struct config_das_client *c)
{
	return c->key[0] ? c->key : r->das_key;
}
void config_free(struct l2tpd_config *cfg);
/* The configured group of that name (a removed one is not). */
struct vpdn_group *config_group_find(const struct l2tpd_config *cfg, const char *name);
/* Create a group with every default set, appended to the list. */
struct vpdn_group *config_group_add(struct l2tpd_config *cfg, const char *name);
void config_group_defaults(struct vpdn_group *g);
/* The hostname used when none is configured: the system's, else "l2tpd". */
void config_default_hostname(char *buf, size_t size);

/* A deep copy of src into dst (not initialised): 0, or -ENOMEM (dst freed). */
int config_clone(struct l2tpd_config *dst, const struct l2tpd_config *src);

/*
 * The group an LNS uses for a tunnel from peer hostname `host`: the
 * accept-dialin group whose terminate-from matches, else one without
 * terminate-from; NULL if none.
 */
struct vpdn_group *config_group_for_peer(const struct l2tpd_config *cfg, const char *host);

#endif
