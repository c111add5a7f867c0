/*
 * L2TPv2 protocol constants: RFC 2661.
 * Message types: §3.2 and §6; AVP types: §4.4; result and error codes: §4.4.2.
 */
#ifndef L2TP_PROTO_H
#define L2TP_PROTO_H

#include <stdint.h>

#define L2TP_PORT		1701
#define L2TP_VERSION		2
#define L2TP_HDR_LEN_CTRL	12	/* T L x x S x O P Ver, Length, Tid, Sid, Ns, Nr */
#define L2TP_AVP_HDR_LEN	6	/* M H rsvd Length(10), Vendor ID, Attribute Type */
#define L2TP_AVP_MAX_LEN	1023	/* the Length field is 10 bits (§4.1) */
#define L2TP_MAX_MSG_LEN	4096	/* largest control message we build or accept */

/* Header flag bits (§3.1), in the first 16-bit word. */
#define L2TP_HDR_T		0x8000
#define L2TP_HDR_L		0x4000
#define L2TP_HDR_S		0x0800
#define L2TP_HDR_O		0x0200
#define L2TP_HDR_P		0x0100
#define L2TP_HDR_VER_MASK	0x000f

/* AVP header flag bits (§4.1). */
#define L2TP_AVP_M		0x8000
#define L2TP_AVP_H		0x4000
#define L2TP_AVP_RSVD		0x3c00
#define L2TP_AVP_LEN_MASK	0x03ff

enum l2tp_msg_type {
	L2TP_MSG_ZLB = 0,	/* not a real type: a control header with no AVPs (§5.8) */
	L2TP_MSG_SCCRQ = 1,
	L2TP_MSG_SCCRP = 2,
	L2TP_MSG_SCCCN = 3,
	L2TP_MSG_STOPCCN = 4,
	/* 5 reserved */
	L2TP_MSG_HELLO = 6,
	L2TP_MSG_OCRQ = 7,
	L2TP_MSG_OCRP = 8,
	L2TP_MSG_OCCN = 9,
	L2TP_MSG_ICRQ = 10,
	L2TP_MSG_ICRP = 11,
	L2TP_MSG_ICCN = 12,
	/* 13 reserved */
	L2TP_MSG_CDN = 14,
	L2TP_MSG_WEN = 15,
	L2TP_MSG_SLI = 16,
	L2TP_MSG_MAX = 16
};

enum l2tp_avp_type {
	L2TP_AVP_MESSAGE_TYPE = 0,
	L2TP_AVP_RESULT_CODE = 1,
	L2TP_AVP_PROTOCOL_VERSION = 2,
	L2TP_AVP_FRAMING_CAP = 3,
	L2TP_AVP_BEARER_CAP = 4,
	L2TP_AVP_TIE_BREAKER = 5,
	L2TP_AVP_FIRMWARE_REV = 6,
	L2TP_AVP_HOST_NAME = 7,
	L2TP_AVP_VENDOR_NAME = 8,
	L2TP_AVP_ASSIGNED_TUNNEL_ID = 9,
	L2TP_AVP_RECV_WINDOW_SIZE = 10,
	L2TP_AVP_CHALLENGE = 11,
	L2TP_AVP_Q931_CAUSE = 12,
	L2TP_AVP_CHALLENGE_RESPONSE = 13,
	L2TP_AVP_ASSIGNED_SESSION_ID = 14,
	L2TP_AVP_CALL_SERIAL_NUMBER = 15,
	L2TP_AVP_MINIMUM_BPS = 16,
	L2TP_AVP_MAXIMUM_BPS = 17,
	L2TP_AVP_BEARER_TYPE = 18,
	L2TP_AVP_FRAMING_TYPE = 19,
	/* 20 reserved */
	L2TP_AVP_CALLED_NUMBER = 21,
	L2TP_AVP_CALLING_NUMBER = 22,
	L2TP_AVP_SUB_ADDRESS = 23,
	L2TP_AVP_TX_CONNECT_SPEED = 24,
	L2TP_AVP_PHYSICAL_CHANNEL_ID = 25,
	L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ = 26,
	L2TP_AVP_LAST_SENT_LCP_CONFREQ = 27,
	L2TP_AVP_LAST_RCVD_LCP_CONFREQ = 28,
	L2TP_AVP_PROXY_AUTHEN_TYPE = 29,
	L2TP_AVP_PROXY_AUTHEN_NAME = 30,
	L2TP_AVP_PROXY_AUTHEN_CHALLENGE = 31,
	L2TP_AVP_PROXY_AUTHEN_ID = 32,
	L2TP_AVP_PROXY_AUTHEN_RESPONSE = 33,
	L2TP_AVP_CALL_ERRORS = 34,
	L2TP_AVP_ACCM = 35,
	L2TP_AVP_RANDOM_VECTOR = 36,
	L2TP_AVP_PRIVATE_GROUP_ID = 37,
	L2TP_AVP_RX_CONNECT_SPEED = 38,
	L2TP_AVP_SEQUENCING_REQUIRED = 39,
	/* 40-45: other extensions, not implemented (unknown to the decoder) */
	L2TP_AVP_PPP_DISCONNECT_CAUSE = 46,	/* RFC 3145 §2, CDN only */
	L2TP_AVP_MAX = 46
};

/*
 * RFC 5515 §4: the access-line AVPs a BRAS LAC passes to the LNS carry the
 * Broadband Forum's Vendor ID; their types are the TR-101 sub-option codes
 * (the PPPoE vendor tag's).  M bit 0 (§4: "MUST be set to 0").
 */
#define L2TP_VENDOR_BBF		3561

enum l2tp_bbf_avp_type {
	L2TP_BBF_AGENT_CIRCUIT_ID = 1,
	L2TP_BBF_AGENT_REMOTE_ID = 2,
	L2TP_BBF_ACTUAL_RATE_UP = 129,		/* bits/s, 64-bit */
	L2TP_BBF_ACTUAL_RATE_DOWN = 130,
	L2TP_BBF_MIN_RATE_UP = 131,
	L2TP_BBF_MIN_RATE_DOWN = 132,
	L2TP_BBF_ATTAINABLE_RATE_UP = 133,
	L2TP_BBF_ATTAINABLE_RATE_DOWN = 134,
	L2TP_BBF_MAX_RATE_UP = 135,
	L2TP_BBF_MAX_RATE_DOWN = 136,
	L2TP_BBF_MIN_RATE_UP_LOW_POWER = 137,
	L2TP_BBF_MIN_RATE_DOWN_LOW_POWER = 138,
	L2TP_BBF_MAX_INTERLEAVING_DELAY_UP = 139,	/* ms, 32-bit */
	L2TP_BBF_ACT_INTERLEAVING_DELAY_UP = 140,
	L2TP_BBF_MAX_INTERLEAVING_DELAY_DOWN = 141,
	L2TP_BBF_ACT_INTERLEAVING_DELAY_DOWN = 142,
	L2TP_BBF_ACCESS_LOOP_ENCAP = 144,	/* data link, encaps 1, encaps 2 */
	L2TP_BBF_ANCP_LINE_TYPE = 145,
};

/* RFC 3145 §2: the Direction field of the PPP Disconnect Cause Code. */
enum l2tp_ppp_disc_direction {
	L2TP_PPP_DISC_GLOBAL = 0,	/* global error */
	L2TP_PPP_DISC_AT_PEER = 1,	/* at peer */
	L2TP_PPP_DISC_AT_LOCAL = 2,	/* at local */
};

/* RFC 3145 §3: the Disconnect Codes we send (Control Protocol Number 0
 * for the global ones, the PPP protocol otherwise). */
enum l2tp_ppp_disc_code {
	L2TP_PPP_DISC_NO_INFO = 0,
	L2TP_PPP_DISC_ADMIN = 1,		/* administrative disconnect */
	L2TP_PPP_DISC_RENEG_DISABLED = 2,	/* LCP renegotiation at LNS disabled */
	L2TP_PPP_DISC_NORMAL = 3,		/* LCP Terminate-Request */
	L2TP_PPP_DISC_LCP_NO_CONVERGE = 5,	/* LCP options never agreed */
	L2TP_PPP_DISC_LCP_SILENT = 6,		/* peer silent (LCP, echo) */
	L2TP_PPP_DISC_AUTH_TIMEOUT = 13,	/* authentication timed out */
	L2TP_PPP_DISC_AUTH_REFUSED = 15,	/* no acceptable authentication protocol */
	L2TP_PPP_DISC_AUTH_FAILED = 16,		/* authentication failed */
};

/* Result Code values for StopCCN (§4.4.2). */
enum l2tp_stopccn_result {
	L2TP_STOPCCN_GENERAL = 1,	/* General request to clear control connection */
	L2TP_STOPCCN_GENERAL_ERROR = 2,	/* General error--Error Code indicates the problem */
	L2TP_STOPCCN_EXISTS = 3,	/* Control channel already exists */
	L2TP_STOPCCN_NOT_AUTHORIZED = 4,/* Requester is not authorized to establish a control channel */
	L2TP_STOPCCN_BAD_VERSION = 5,	/* The protocol version of the requester is not supported */
	L2TP_STOPCCN_SHUTDOWN = 6,	/* Requester is being shut down */
	L2TP_STOPCCN_FSM_ERROR = 7	/* Finite State Machine error */
};

/* Result Code values for CDN (§4.4.2). */
enum l2tp_cdn_result {
	L2TP_CDN_LOST_CARRIER = 1,
	L2TP_CDN_GENERAL_ERROR = 2,	/* Error Code indicates the problem */
	L2TP_CDN_ADMIN = 3,		/* Session disconnected for administrative reasons */
	L2TP_CDN_NO_FACILITIES_TEMP = 4,
	L2TP_CDN_NO_FACILITIES_PERM = 5,
	L2TP_CDN_INVALID_DEST = 6,
	L2TP_CDN_NO_CARRIER = 7,
	L2TP_CDN_BUSY = 8,
	L2TP_CDN_NO_DIAL_TONE = 9,
	L2TP_CDN_TIMEOUT = 10,
	L2TP_CDN_NO_FRAMING = 11
};

/* General Error Codes (§4.4.2). */
enum l2tp_error_code {
	L2TP_ERR_NONE = 0,
	L2TP_ERR_NO_CONTROL = 1,	/* No control connection exists yet for this LAC-LNS pair */
	L2TP_ERR_BAD_LENGTH = 2,	/* Length is wrong */
	L2TP_ERR_BAD_VALUE = 3,		/* One of the field values was out of range or reserved field was non-zero */
	L2TP_ERR_NO_RESOURCE = 4,	/* Insufficient resources to handle this operation now */
	L2TP_ERR_BAD_SESSION_ID = 5,	/* The Session ID is invalid in this context */
	L2TP_ERR_VENDOR = 6,		/* A generic vendor-specific error occurred in the LAC */
	L2TP_ERR_TRY_ANOTHER = 7,	/* Try another */
	L2TP_ERR_UNKNOWN_MANDATORY = 8	/* Session or tunnel was shutdown due to receipt of an unknown AVP with the M-bit set */
};

/* Framing and bearer capability bits (§4.4.3). */
#define L2TP_FRAMING_SYNC	0x00000001
#define L2TP_FRAMING_ASYNC	0x00000002
#define L2TP_BEARER_DIGITAL	0x00000001
#define L2TP_BEARER_ANALOG	0x00000002

/* Proxy Authen Type values (§4.4.5). */
enum l2tp_proxy_auth_type {
	L2TP_PROXY_AUTH_RESERVED = 0,
	L2TP_PROXY_AUTH_TEXTUAL = 1,
	L2TP_PROXY_AUTH_CHAP = 2,
	L2TP_PROXY_AUTH_PAP = 3,
	L2TP_PROXY_AUTH_NONE = 4,
	L2TP_PROXY_AUTH_MSCHAPV1 = 5
};

#define L2TP_DEFAULT_RWS	4	/* §5.8: receive window when the RWS AVP is absent */

const char *l2tp_msg_type_name(int type);
const char *l2tp_result_string(int msg_type, int result);
const char *l2tp_error_string(int error);

#endif
