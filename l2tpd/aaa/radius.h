/*
 * RADIUS packets: RFC 2865 (authentication), 2866 (accounting), 2868
 * (tunnel attributes), 2869 / 3579 (Message-Authenticator), 5176 (dynamic
 * authorization).  A codec only: building, finishing (identifier,
 * authenticators, hidden passwords), bounds-checked parsing and
 * verification.  The transport is aaa/radius_client.c, the RFC 5176 server
 * aaa/radius_das.c.
 */
#ifndef L2TP_RADIUS_H
#define L2TP_RADIUS_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define RADIUS_HDR_LEN		20
#define RADIUS_MAX_LEN		4096	/* RFC 2865 §3: 20..4096 octets */
#define RADIUS_AUTH_LEN		16	/* the Authenticator field */
#define RADIUS_ATTR_MAX_VAL	253	/* an attribute's value: 255 - type - length */
#define RADIUS_PASSWORD_MAX	128	/* RFC 2865 §5.2 */
#define RADIUS_AUTH_PORT	1812
#define RADIUS_ACCT_PORT	1813
#define RADIUS_DAS_PORT		3799	/* RFC 5176 §3 */

enum radius_code {
	RADIUS_ACCESS_REQUEST = 1,
	RADIUS_ACCESS_ACCEPT = 2,
	RADIUS_ACCESS_REJECT = 3,
	RADIUS_ACCOUNTING_REQUEST = 4,
	RADIUS_ACCOUNTING_RESPONSE = 5,
	RADIUS_ACCESS_CHALLENGE = 11,
	RADIUS_DISCONNECT_REQUEST = 40,
	RADIUS_DISCONNECT_ACK = 41,
	RADIUS_DISCONNECT_NAK = 42,
	RADIUS_COA_REQUEST = 43,
	RADIUS_COA_ACK = 44,
	RADIUS_COA_NAK = 45,
};

/* Attribute types (RFC 2865, 2866, 2868, 2869, 3162, 5176). */
enum radius_attr_type {
	RADIUS_ATTR_USER_NAME = 1,
	RADIUS_ATTR_USER_PASSWORD = 2,
	RADIUS_ATTR_CHAP_PASSWORD = 3,
	RADIUS_ATTR_NAS_IP_ADDRESS = 4,
	RADIUS_ATTR_NAS_PORT = 5,
	RADIUS_ATTR_SERVICE_TYPE = 6,
	RADIUS_ATTR_FRAMED_PROTOCOL = 7,
	RADIUS_ATTR_FRAMED_IP_ADDRESS = 8,
	RADIUS_ATTR_FRAMED_IP_NETMASK = 9,
	RADIUS_ATTR_FILTER_ID = 11,
	RADIUS_ATTR_FRAMED_MTU = 12,
	RADIUS_ATTR_REPLY_MESSAGE = 18,
	RADIUS_ATTR_FRAMED_ROUTE = 22,
	RADIUS_ATTR_STATE = 24,
	RADIUS_ATTR_CLASS = 25,
	RADIUS_ATTR_VENDOR_SPECIFIC = 26,
	RADIUS_ATTR_SESSION_TIMEOUT = 27,
	RADIUS_ATTR_IDLE_TIMEOUT = 28,
	RADIUS_ATTR_CALLED_STATION_ID = 30,
	RADIUS_ATTR_CALLING_STATION_ID = 31,
	RADIUS_ATTR_NAS_IDENTIFIER = 32,
	RADIUS_ATTR_PROXY_STATE = 33,
	RADIUS_ATTR_ACCT_STATUS_TYPE = 40,
	RADIUS_ATTR_ACCT_DELAY_TIME = 41,
	RADIUS_ATTR_ACCT_INPUT_OCTETS = 42,
	RADIUS_ATTR_ACCT_OUTPUT_OCTETS = 43,
	RADIUS_ATTR_ACCT_SESSION_ID = 44,
	RADIUS_ATTR_ACCT_AUTHENTIC = 45,
	RADIUS_ATTR_ACCT_SESSION_TIME = 46,
	RADIUS_ATTR_ACCT_INPUT_PACKETS = 47,
	RADIUS_ATTR_ACCT_OUTPUT_PACKETS = 48,
	RADIUS_ATTR_ACCT_TERMINATE_CAUSE = 49,
	RADIUS_ATTR_ACCT_MULTI_SESSION_ID = 50,
	RADIUS_ATTR_ACCT_INPUT_GIGAWORDS = 52,
	RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS = 53,
	RADIUS_ATTR_EVENT_TIMESTAMP = 55,
	RADIUS_ATTR_CHAP_CHALLENGE = 60,
	RADIUS_ATTR_NAS_PORT_TYPE = 61,
	RADIUS_ATTR_TUNNEL_TYPE = 64,
	RADIUS_ATTR_TUNNEL_MEDIUM_TYPE = 65,
	RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT = 66,
	RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT = 67,
	RADIUS_ATTR_ACCT_TUNNEL_CONNECTION = 68,	/* RFC 2867 §4.1 */
	RADIUS_ATTR_TUNNEL_PASSWORD = 69,
	RADIUS_ATTR_CONNECT_INFO = 77,
	RADIUS_ATTR_MESSAGE_AUTHENTICATOR = 80,
	RADIUS_ATTR_TUNNEL_PRIVATE_GROUP_ID = 81,
	RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID = 82,
	RADIUS_ATTR_TUNNEL_PREFERENCE = 83,
	RADIUS_ATTR_ACCT_INTERIM_INTERVAL = 85,
	RADIUS_ATTR_NAS_PORT_ID = 87,
	RADIUS_ATTR_FRAMED_POOL = 88,
	RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID = 90,
	RADIUS_ATTR_TUNNEL_SERVER_AUTH_ID = 91,
	RADIUS_ATTR_NAS_IPV6_ADDRESS = 95,
	RADIUS_ATTR_FRAMED_INTERFACE_ID = 96,
	RADIUS_ATTR_FRAMED_IPV6_PREFIX = 97,
	RADIUS_ATTR_FRAMED_IPV6_ROUTE = 99,		/* RFC 3162 */
	RADIUS_ATTR_FRAMED_IPV6_POOL = 100,
	RADIUS_ATTR_ERROR_CAUSE = 101,
	RADIUS_ATTR_DELEGATED_IPV6_PREFIX = 123,	/* RFC 4818 */
	RADIUS_ATTR_FRAMED_IPV6_ADDRESS = 168,		/* RFC 6911 */
	RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS = 169,	/* RFC 6911 */
	RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL = 171,	/* RFC 6911 */
	RADIUS_ATTR_STATEFUL_IPV6_ADDRESS_POOL = 172,	/* RFC 6911 */
};

/* Vendors (SMI Network Management Private Enterprise Codes) and theirs. */
#define RADIUS_VENDOR_CISCO		9
#define RADIUS_VENDOR_MICROSOFT		311
#define RADIUS_CISCO_AVPAIR		1
#define RADIUS_MS_CHAP_RESPONSE		1	/* RFC 2548 */
#define RADIUS_MS_CHAP_ERROR		2
#define RADIUS_MS_CHAP_CHALLENGE	11
#define RADIUS_MS_MPPE_SEND_KEY		16
#define RADIUS_MS_MPPE_RECV_KEY		17
#define RADIUS_MS_CHAP2_RESPONSE	25
#define RADIUS_MS_CHAP2_SUCCESS		26

/* Error-Cause values (RFC 5176 §3.5). */
enum radius_error_cause {
	RADIUS_ERR_RESIDUAL_CONTEXT_REMOVED = 201,
	RADIUS_ERR_INVALID_EAP_PACKET = 202,
	RADIUS_ERR_UNSUPPORTED_ATTRIBUTE = 401,
	RADIUS_ERR_MISSING_ATTRIBUTE = 402,
	RADIUS_ERR_NAS_ID_MISMATCH = 403,
	RADIUS_ERR_INVALID_REQUEST = 404,
	RADIUS_ERR_UNSUPPORTED_SERVICE = 405,
	RADIUS_ERR_UNSUPPORTED_EXTENSION = 406,
	RADIUS_ERR_INVALID_ATTRIBUTE_VALUE = 407,
	RADIUS_ERR_ADMIN_PROHIBITED = 501,
	RADIUS_ERR_NOT_ROUTABLE = 502,
	RADIUS_ERR_SESSION_NOT_FOUND = 503,
	RADIUS_ERR_SESSION_NOT_REMOVABLE = 504,
	RADIUS_ERR_PROXY_ERROR = 505,
	RADIUS_ERR_RESOURCES_UNAVAILABLE = 506,
	RADIUS_ERR_REQUEST_INITIATED = 507,
	RADIUS_ERR_MULTIPLE_SESSIONS = 508,
};

/* A packet being built: header first, attributes appended. */
struct radius_pkt {
	uint8_t buf[RADIUS_MAX_LEN];
	size_t len;
};

/* Code set; the identifier and the authenticator are set when it is finished. */
void radius_pkt_init(struct radius_pkt *p, uint8_t code);
uint8_t radius_pkt_code(const struct radius_pkt *p);
/* 0, -ENOSPC (the packet is full) or -EINVAL (a value over 253 octets). */
int radius_put(struct radius_pkt *p, uint8_t type, const void *val, size_t len);
int radius_put_u32(struct radius_pkt *p, uint8_t type, uint32_t v);
int radius_put_str(struct radius_pkt *p, uint8_t type, const char *s);
int radius_put_addr(struct radius_pkt *p, uint8_t type, struct in_addr a);
int radius_put_vsa(struct radius_pkt *p, uint32_t vendor, uint8_t vtype, const void *val,
		   size_t len);
/*
 * User-Password as cleartext (at most 128 octets): stored padded with NULs
 * to a multiple of 16 and hidden (§5.2) when the packet is finished for a
 * server, since that needs the secret and the Request Authenticator.
 */
int radius_put_password(struct radius_pkt *p, const uint8_t *pw, size_t len);
/* An empty Message-Authenticator, filled when the packet is finished. */
int radius_put_msgauth(struct radius_pkt *p);
/* Replace the value of the first attribute of this type (same length only). */
int radius_pkt_set_u32(struct radius_pkt *p, uint8_t type, uint32_t v);
/* The value of the first attribute of this type in a packet being built. */
uint8_t *radius_pkt_find(struct radius_pkt *p, uint8_t type, size_t *len);

/*
 * Finish p in place for a peer holding `secret`: Identifier, User-Password
 * hidden (Access-Request), Message-Authenticator when the packet has one
 * (RFC 3579 §3.2), and the Authenticator:
 *   Access-Request: auth (16 random octets chosen by the caller);
 *   Accounting-, Disconnect-, CoA-Request: MD5 over the packet with a zero
 *     authenticator and the secret (RFC 2866 §3, RFC 5176 §3.5); auth unused;
 *   responses: MD5 over the packet with the request's authenticator `auth`
 *     and the secret (RFC 2865 §3).
 * Finishing twice hides the password twice: finish a copy.
 * Returns 0, or -EINVAL for an empty secret.
 */
int radius_pkt_finish(struct radius_pkt *p, uint8_t id, const char *secret,
		      const uint8_t auth[RADIUS_AUTH_LEN]);

/* A parsed attribute; vendor 0: standard (vtype unused). */
struct radius_attr {
	uint8_t type;
	uint32_t vendor;	/* Vendor-Specific: the vendor, 0 otherwise */
	uint8_t vtype;		/* Vendor-Specific, well formed: the vendor's type; 0 if not */
	uint8_t len;		/* of val */
	const uint8_t *val;
};

#define RADIUS_MAX_ATTRS	128

struct radius_msg {
	uint8_t code, id;
	uint8_t auth[RADIUS_AUTH_LEN];
	size_t len;		/* the Length field (octets after it are padding, ignored) */
	unsigned n;
	struct radius_attr a[RADIUS_MAX_ATTRS];
	const uint8_t *buf;	/* the packet: values point into it */
};

/*
 * Bounds-checked parse: header length in 20..4096 and within len, every
 * attribute at least 2 octets and within the Length, Message-Authenticator
 * exactly 16 octets, at most RADIUS_MAX_ATTRS attributes.  A Vendor-
 * Specific attribute whose value is a sequence of well-formed vendor
 * attributes (RFC 2865 §5.26 suggested format) gives one entry per vendor
 * attribute (type 26, vendor, vtype); any other gives one entry with vtype
 * 0 and the octets after the Vendor-Id.  0 or -EBADMSG.
 */
int radius_parse(const uint8_t *buf, size_t len, struct radius_msg *m);
const struct radius_attr *radius_find(const struct radius_msg *m, uint8_t type);
const struct radius_attr *radius_find_vsa(const struct radius_msg *m, uint32_t vendor,
					  uint8_t vtype);
/* The next attribute of this type after prev (NULL: the first). */
const struct radius_attr *radius_find_next(const struct radius_msg *m,
					   const struct radius_attr *prev, uint8_t type);
int radius_get_u32(const struct radius_attr *a, uint32_t *v);	/* -EBADMSG unless 4 octets */
/* Copy a string value with a NUL: 0, or -ENOSPC when it does not fit. */
int radius_get_str(const struct radius_attr *a, char *out, size_t outsz);

/*
 * Verification (each 0 or -EBADMSG; the comparisons take constant time):
 *  - a response's Authenticator, against the request's;
 *  - an Accounting-/Disconnect-/CoA-Request's Authenticator;
 *  - the Message-Authenticator of m, computed with `auth` in the
 *    Authenticator field (a request's own for requests, NULL for zeroes as
 *    RFC 5176 §3.5 and RFC 3579 want for Accounting/CoA/Disconnect; the
 *    request's for responses): -ENOENT when m has none.
 */
int radius_verify_response(const struct radius_msg *m, const uint8_t req_auth[RADIUS_AUTH_LEN],
			   const char *secret);
int radius_verify_request(const struct radius_msg *m, const char *secret);
int radius_verify_msgauth(const struct radius_msg *m, const uint8_t auth[RADIUS_AUTH_LEN],
			  const char *secret);

/*
 * User-Password of an Access-Request revealed (for a server, and tests):
 * 0 with a NUL-terminated password, -EBADMSG, -ENOSPC.
 */
int radius_user_password(const struct radius_attr *a, const char *secret,
			 const uint8_t req_auth[RADIUS_AUTH_LEN], char *out, size_t outsz);
/* Tunnel-Password (RFC 2868 §3.5) of a reply, decrypted with the secret and
 * the request authenticator. */
int radius_tunnel_password(const struct radius_attr *a, const char *secret,
			   const uint8_t req_auth[RADIUS_AUTH_LEN], char *out, size_t outsz);

const char *radius_code_name(uint8_t code);
const char *radius_error_cause_name(uint32_t cause);
/* Is this a request code (1, 4, 40, 43)? */
int radius_code_is_request(uint8_t code);

#endif
