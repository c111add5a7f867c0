/*
 * DHCPv6 messages (RFC 8415) as a server for prefix delegation and
 * addresses on a PPP link, and a client of it, uses them: the
 * client/server message format (§8), the Client and Server Identifiers
 * (§21.2, §21.3), IA_NA with IA Address (§21.4, §21.6), IA_PD with IA
 * Prefix (§21.21, §21.22), Option Request (§21.7), Preference (§21.8),
 * Elapsed Time (§21.9), Status Code (§21.13), Rapid Commit (§21.14) and
 * the DNS Recursive Name Server option (RFC 3646 §3).
 *
 * One struct holds a message both ways: dhcp6_parse() fills it from the
 * octets of a UDP datagram, dhcp6_build() writes it back.  The parser is
 * strict: an option cut short, an option's length past the message (or
 * past the IA holding it), a known option of the wrong length, a second
 * copy of a single option, more IAs or leases than we keep: refused,
 * counted.  Options we do not know are skipped and counted (a server
 * MUST ignore them, RFC 8415 §16).
 */
#ifndef L2TP_IPV6_DHCP6_H
#define L2TP_IPV6_DHCP6_H

#include <stddef.h>
#include <stdint.h>

#include "ipv6/pkt.h"

#define DHCP6_CLIENT_PORT	546
#define DHCP6_SERVER_PORT	547

enum dhcp6_type {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE = 2,
	DHCP6_REQUEST = 3,
	DHCP6_CONFIRM = 4,
	DHCP6_RENEW = 5,
	DHCP6_REBIND = 6,
	DHCP6_REPLY = 7,
	DHCP6_RELEASE = 8,
	DHCP6_DECLINE = 9,
	DHCP6_RECONFIGURE = 10,
	DHCP6_INFORMATION_REQUEST = 11,
};

enum dhcp6_opt {
	DHCP6_OPT_CLIENTID = 1,
	DHCP6_OPT_SERVERID = 2,
	DHCP6_OPT_IA_NA = 3,
	DHCP6_OPT_IAADDR = 5,
	DHCP6_OPT_ORO = 6,
	DHCP6_OPT_PREFERENCE = 7,
	DHCP6_OPT_ELAPSED_TIME = 8,
	DHCP6_OPT_STATUS_CODE = 13,
	DHCP6_OPT_RAPID_COMMIT = 14,
	DHCP6_OPT_DNS_SERVERS = 23,
	DHCP6_OPT_IA_PD = 25,
	DHCP6_OPT_IAPREFIX = 26,
};

/* RFC 8415 §21.13 */
enum dhcp6_status {
	DHCP6_ST_SUCCESS = 0,
	DHCP6_ST_UNSPEC_FAIL = 1,
	DHCP6_ST_NO_ADDRS_AVAIL = 2,
	DHCP6_ST_NO_BINDING = 3,
	DHCP6_ST_NOT_ON_LINK = 4,
	DHCP6_ST_USE_MULTICAST = 5,
	DHCP6_ST_NO_PREFIX_AVAIL = 6,
	DHCP6_ST_NONE = 0xffff,	/* no Status Code option */
};

/* §11.1: a DUID is 2 octets of type and up to 128 of data */
#define DHCP6_DUID_MAX		130
#define DHCP6_IA_MAX		4	/* IAs in one message */
#define DHCP6_LEASE_MAX		4	/* addresses or prefixes in one IA */
#define DHCP6_ORO_MAX		16
#define DHCP6_DNS_MAX		4
#define DHCP6_MSG_MAX		1232	/* 1280 - IPv6 - UDP: what we build */

struct dhcp6_duid {
	uint8_t len;		/* 0: absent */
	uint8_t b[DHCP6_DUID_MAX];
};

/* An IA Address (plen 128) or an IA Prefix. */
struct dhcp6_lease {
	uint8_t addr[IPV6_ADDR_LEN];
	uint8_t plen;
	uint32_t preferred;
	uint32_t valid;
	uint16_t status;	/* DHCP6_ST_NONE when it carries none */
};

struct dhcp6_ia {
	uint16_t code;		/* DHCP6_OPT_IA_NA or DHCP6_OPT_IA_PD */
	uint32_t iaid;
	uint32_t t1;
	uint32_t t2;
	uint16_t status;	/* DHCP6_ST_NONE when it carries none */
	struct dhcp6_lease lease[DHCP6_LEASE_MAX];
	unsigned n_lease;
};

struct dhcp6_msg {
	uint8_t type;
	uint32_t xid;		/* 24 bits */
	struct dhcp6_duid client;
	struct dhcp6_duid server;
	int rapid_commit;
	int has_elapsed;
	uint16_t elapsed;	/* hundredths of a second */
	int has_preference;
	uint8_t preference;
	uint16_t status;	/* DHCP6_ST_NONE when absent */
	uint16_t oro[DHCP6_ORO_MAX];
	unsigned n_oro;
	struct dhcp6_ia ia[DHCP6_IA_MAX];
	unsigned n_ia;
	uint8_t dns[DHCP6_DNS_MAX][IPV6_ADDR_LEN];
	unsigned n_dns;
};

const char *dhcp6_type_name(uint8_t type);
const char *dhcp6_status_name(uint16_t status);

/* Zero m and set what "absent" means (statuses DHCP6_ST_NONE). */
void dhcp6_msg_init(struct dhcp6_msg *m, uint8_t type, uint32_t xid);
/* Parse a DHCPv6 message (the UDP payload): 0 or -EINVAL, counted. */
int dhcp6_parse(const uint8_t *buf, size_t len, struct dhcp6_msg *m, struct ipv6_stats *st);
/* What a server takes (RFC 8415 §16): a client message type, a Client
 * Identifier, and a Server Identifier exactly where §16.2-§16.12 ask for
 * one (Request, Renew, Release, Decline) and none where they forbid it
 * (Solicit, Confirm, Rebind).  0 or -EINVAL (counted). */
int dhcp6_server_check(const struct dhcp6_msg *m, struct ipv6_stats *st);
/* Write m: its length, or 0 when it does not fit cap (or m is out of its
 * bounds). */
size_t dhcp6_build(uint8_t *buf, size_t cap, const struct dhcp6_msg *m);
/* The IA of m with this code and IAID, or NULL. */
struct dhcp6_ia *dhcp6_find_ia(struct dhcp6_msg *m, uint16_t code, uint32_t iaid);
/* A DUID-UUID (RFC 6355 §4: type 4 and 16 octets), the form of the server
 * DUID both boxes of a pair share. */
void dhcp6_duid_uuid(struct dhcp6_duid *d, const uint8_t uuid[16]);
int dhcp6_duid_equal(const struct dhcp6_duid *a, const struct dhcp6_duid *b);
/* "00:04:..." into out (cap >= 3 * len); "" for an absent DUID. */
void dhcp6_duid_format(const struct dhcp6_duid *d, char *out, size_t cap);

#endif
