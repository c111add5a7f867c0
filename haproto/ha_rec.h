/*
 * Checkpoint records, as the daemon and the standby's shadow store see them.
 * ckpt.c converts them to and from the protobuf messages of
 * checkpoint.proto (the wire form); nothing outside haproto/ sees protobuf.
 *
 * Records are state, not deltas: applying the same record twice leaves the
 * same store, and a later record for the same key replaces the earlier one
 * (except HA_REC_CTRL_MSG, keyed by tunnel and Ns, and HA_REC_SEQ, which
 * also trims the tunnel's copy of the retransmit queue).
 *
 * Addresses and ports are in network byte order; times are wall-clock
 * milliseconds (CLOCK_REALTIME), so they mean the same on both boxes.
 */
#ifndef HA_REC_H
#define HA_REC_H

#include <stddef.h>
#include <stdint.h>

/* Bumped when checkpoint.proto gains fields; a newer standby accepts an
 * older active's records (missing fields read as zero). */
#define HA_SCHEMA_VERSION	5	/* 2: the Config record; 3: ConfigPart, batches, IA_NA;
					 * 4: PppoeSession, PppoeDelete;
					 * 5: PppoeLocal */
/* The first version that knows the PPPoE sessions terminated here. */
#define HA_SCHEMA_PPPOE_LOCAL	5
/* The first version whose standby takes records in batches. */
#define HA_SCHEMA_BATCH		3

#define HA_NAME_MAX		64
#define HA_IFNAME_MAX		16
#define HA_USER_MAX		256
#define HA_ACCT_ID_MAX		64
#define HA_CLASS_MAX		253

enum ha_rec_type {
	HA_REC_NONE = 0,
	HA_REC_TUNNEL,		/* a tunnel's identity and negotiated parameters */
	HA_REC_SEQ,		/* a tunnel's Ns/Nr/una */
	HA_REC_CTRL_MSG,	/* an unacknowledged control message we sent */
	HA_REC_SESSION,		/* a session with its PPP and AAA state */
	HA_REC_DELETE,		/* a tunnel (sid 0) or a session is gone */
	HA_REC_CONFIG,		/* the running configuration (no redundancy block) */
	HA_REC_CONFIG_PART,	/* a part of one larger than HA_CONFIG_SEND_MAX */
	HA_REC_PPPOE,		/* a PPPoE session relayed into a call */
	HA_REC_PPPOE_DELETE,	/* ... is gone (either kind) */
	HA_REC_PPPOE_LOCAL,	/* a PPPoE session terminated here, with its PPP */
};

#define HA_CONFIG_MAX		(1024 * 1024)	/* the configuration file's limit */
/* What an active sends in one Config record: a standby of schema 1 takes
 * no envelope over 65535 + 1024 octets (its ZMQ_MAXMSGSIZE would drop the
 * link).  A larger configuration goes in HA_REC_CONFIG_PART records of at
 * most HA_CONFIG_PART_MAX octets of text each, so every envelope fits. */
#define HA_CONFIG_SEND_MAX	65535
#define HA_CONFIG_PART_MAX	60000
#define HA_CONFIG_PARTS_MAX	((HA_CONFIG_MAX + HA_CONFIG_PART_MAX - 1) / HA_CONFIG_PART_MAX)

struct ha_tunnel_rec {
	uint16_t tid, peer_tid;
	uint32_t local_addr, peer_addr;		/* network order */
	uint16_t local_port, peer_port;		/* network order */
	char group[HA_NAME_MAX];		/* vpdn-group name */
	char peer_host[HA_NAME_MAX];
	char peer_vendor[HA_NAME_MAX];
	uint8_t lns, originator;
	uint8_t state;				/* enum l2tp_tunnel_state */
	uint16_t peer_rws;			/* the peer's receive window (our send window) */
	uint16_t rws;				/* ours, as advertised */
	uint8_t ha_enabled;			/* sso on for this tunnel */
	uint16_t resync;			/* resync window (packets) */
	uint32_t next_call_serial;
	uint64_t created_ms, established_ms;	/* wall clock */
};

struct ha_seq_rec {
	uint16_t tid;
	uint16_t ns;		/* next Ns of a new message */
	uint16_t nr;		/* next Ns expected from the peer */
	uint16_t una;		/* oldest Ns the peer has not acknowledged */
};

struct ha_ctrl_msg_rec {
	uint16_t tid;
	uint16_t ns;
	size_t len;
	const uint8_t *buf;	/* the encoded message; on decode it points into
				 * storage owned by the decoded record (ha_rec_clear) */
};

/* RFC 8415 §11.1: a DUID is at most 130 octets */
#define HA_DUID_MAX	130

#define HA_V6_ROUTES		4	/* Framed-IPv6-Route per session */

/* A DHCPv6 binding (RFC 8415 §6.3), of the delegated prefix or of the
 * address: its client, IAID and lifetimes. */
struct ha_v6_lease {
	uint8_t bound;
	uint8_t client_duid_len;
	uint8_t client_duid[HA_DUID_MAX];
	uint32_t iaid;
	uint64_t start_ms;			/* wall clock */
	uint32_t valid, preferred;		/* s */
};

/* A Framed-IPv6-Route (RFC 3162 §2.5): gw :: is the subscriber's
 * link-local address. */
struct ha_v6_route {
	uint8_t dst[16];
	uint8_t plen;				/* 1..128 */
	uint8_t gw[16];
	uint32_t metric;
};

struct ha_session_rec {
	uint16_t tid, sid, peer_sid;
	uint8_t state;				/* enum l2tp_session_state */
	uint8_t kind;				/* enum l2tp_session_kind */
	uint8_t lns;
	uint32_t call_serial;
	uint32_t tx_speed, rx_speed, framing_type, bearer_type;
	char calling[HA_NAME_MAX], called[HA_NAME_MAX];
	uint64_t created_ms, established_ms;	/* wall clock */
	/* PPP, as ppp_export() gives it */
	uint8_t has_ppp;			/* a PPP link runs on the session */
	uint8_t ppp_up;				/* IPCP opened */
	uint8_t ppp_phase;			/* enum ppp_phase */
	uint16_t mru, peer_mru;
	uint32_t magic, peer_magic;
	uint8_t auth;				/* enum ppp_auth_method */
	char user[HA_USER_MAX];
	uint8_t ipcp_open;
	uint32_t local_ip, peer_ip;		/* network order */
	uint32_t dns[2];
	uint8_t ipv6cp_open;
	uint8_t local_ifid[8], peer_ifid[8];
	char ifname[HA_IFNAME_MAX];		/* pppN */
	char pool[HA_NAME_MAX];			/* where peer_ip came from */
	uint64_t ppp_up_ms;			/* wall clock */
	uint32_t session_timeout, idle_timeout;	/* s, 0 = none */
	/* AAA and accounting */
	char acct_session_id[HA_ACCT_ID_MAX];
	uint8_t class_len;
	uint8_t class_attr[HA_CLASS_MAX];
	uint64_t acct_in_octets, acct_out_octets;	/* counters already reported */
	uint64_t acct_in_packets, acct_out_packets;
	uint8_t acct_started;			/* Accounting-Start was sent */
	/* IPv6: prefixes, the DHCPv6 binding, the server DUID */
	uint8_t v6;				/* the link's IPv6 server runs */
	uint8_t v6_has_prefix, v6_has_pd;
	uint8_t v6_prefix[16], v6_pd[16];
	uint8_t v6_pd_len;
	char v6_pool[HA_NAME_MAX], v6_pd_pool[HA_NAME_MAX];
	struct ha_v6_lease v6_lease;		/* the delegated prefix's (IA_PD) */
	uint8_t v6_server_duid_len;
	uint8_t v6_server_duid[HA_DUID_MAX];
	/* the address given by IA_NA and its binding */
	uint8_t v6_has_na;
	uint8_t v6_na[16];
	char v6_na_pool[HA_NAME_MAX];
	struct ha_v6_lease v6_na_lease;		/* the address's (IA_NA) */
	/* RADIUS's Framed-IPv6-Route, reinstalled by the new active */
	uint8_t v6_n_routes;
	struct ha_v6_route v6_route[HA_V6_ROUTES];
};

#define HA_MAC_LEN		6
#define HA_PPPOE_VLANS		2	/* QinQ: outer, inner */
#define HA_PPPOE_RELAY_SID_MAX	12

/* The PPP of a PPPoE session terminated here (HA_REC_PPPOE_LOCAL), as
 * ppp_export() gives it, and its address's pool. */
struct ha_pppoe_ppp {
	uint16_t mru, peer_mru;
	uint32_t magic, peer_magic;
	uint8_t auth;				/* enum ppp_auth_method */
	uint8_t ipcp_open, ipv6cp_open;
	uint32_t local_ip, peer_ip;		/* network order */
	uint32_t dns[2];
	uint8_t local_ifid[8], peer_ifid[8];
	char pool[HA_NAME_MAX];			/* where peer_ip came from, "" none */
	char unit[HA_IFNAME_MAX];		/* pppN, "" none */
	/* accounting (acct_started 0: none carried) */
	uint8_t acct_started;			/* Accounting-Start was sent */
	char acct_session_id[HA_ACCT_ID_MAX];
	uint8_t class_len;
	uint8_t class_attr[HA_CLASS_MAX];
	uint8_t acct_authentic;			/* Acct-Authentic, 0 none */
	uint32_t acct_interval;			/* s, 0: the configured */
	uint64_t acct_up_ms;			/* wall clock: Acct-Session-Time from */
	uint64_t acct_in_octets, acct_out_octets;	/* counters already reported */
	uint64_t acct_in_packets, acct_out_packets;
};

/* A PPPoE session relayed into an L2TP call of ours (tid, sid), or
 * (local) terminated here with its PPP (tid, sid 0). */
struct ha_pppoe_rec {
	uint16_t id;				/* PPPoE SESSION_ID, never 0 or 0xffff */
	uint8_t mac[HA_MAC_LEN];		/* the subscriber's */
	char ifname[HA_IFNAME_MAX];		/* the access interface */
	uint8_t nvlan;
	uint16_t vlan[HA_PPPOE_VLANS];
	uint16_t tid, sid;			/* the call */
	uint8_t state;				/* enum pppoe_lac_state */
	char user[HA_USER_MAX];
	char service[HA_NAME_MAX];
	char circuit_id[HA_NAME_MAX], remote_id[HA_NAME_MAX];
	uint32_t rate_up, rate_down;		/* kbit/s */
	uint16_t max_payload;
	uint8_t relay_sid_len;
	uint8_t relay_sid[HA_PPPOE_RELAY_SID_MAX];
	uint64_t created_ms;			/* wall clock */
	uint64_t rx_frames, tx_frames, rx_bytes, tx_bytes;
	uint8_t local;				/* HA_REC_PPPOE_LOCAL: ppp is set */
	struct ha_pppoe_ppp ppp;
};

struct ha_pppoe_delete_rec {
	uint16_t id;
};

struct ha_delete_rec {
	uint16_t tid, sid;	/* sid 0: the tunnel and all its sessions */
};

struct ha_config_rec {
	const char *text;	/* NUL-terminated; on decode it points into owned */
	size_t len;
	uint64_t digest;	/* ha_rec_digest(text, len) on the active */
	uint8_t save;		/* write memory ran on the active */
	/* HA_REC_CONFIG_PART: text is part index of count (0-based), of a
	 * whole of total_len octets whose digest is digest */
	uint32_t index, count, total_len;
};

struct ha_rec {
	enum ha_rec_type type;
	union {
		struct ha_tunnel_rec tunnel;
		struct ha_seq_rec seq;
		struct ha_ctrl_msg_rec msg;
		struct ha_session_rec session;
		struct ha_delete_rec del;
		struct ha_config_rec config;
		struct ha_pppoe_rec pppoe;
		struct ha_pppoe_delete_rec pppoe_del;
	} u;
	void *owned;		/* decode-owned storage (ha_rec_clear frees it) */
};

const char *ha_rec_type_string(enum ha_rec_type t);
/* FNV-1a 64 of a configuration text: the pair compares theirs. */
uint64_t ha_rec_digest(const char *text, size_t len);
/* Release what a decoded record owns (ckpt_decode); it is HA_REC_NONE
 * after, its other fields left as they were. */
void ha_rec_clear(struct ha_rec *r);
/* 1 if the record's key is a real ID: 0 means "none" (RFC 2661 §3.1), so a
 * tunnel ID (and a session's session ID) of 0 keys nothing. */
int ha_rec_key_valid(const struct ha_rec *r);

#endif
