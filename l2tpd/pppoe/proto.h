/*
 * PPPoE on the wire: RFC 2516 (discovery and session stages), RFC 4638
 * (PPP-Max-Payload), the Broadband Forum's TR-101 vendor tag (access-line
 * information an access node inserts), IEEE 802.1Q/802.1ad tags.
 */
#ifndef PPPOE_PROTO_H
#define PPPOE_PROTO_H

#define PPPOE_ETH_ALEN		6
#define PPPOE_ETH_HLEN		14	/* destination, source, EtherType */
#define PPPOE_VLAN_HLEN		4	/* TPID, TCI */
#define PPPOE_MAX_VLANS		2	/* 802.1Q, or QinQ (802.1ad outer, 802.1Q inner) */
#define PPPOE_HLEN		6	/* VER/TYPE, CODE, SESSION_ID, LENGTH (RFC 2516 §4) */
#define PPPOE_TAG_HLEN		4	/* TAG_TYPE, TAG_LENGTH (§4) */
#define PPPOE_ETH_MTU		1500
/* The largest frame we build or accept: header, two VLAN tags, 1500. */
#define PPPOE_FRAME_MAX		(PPPOE_ETH_HLEN + PPPOE_MAX_VLANS * PPPOE_VLAN_HLEN + PPPOE_ETH_MTU)
/* §5.1: "The PADI packet MUST NOT exceed 1484 octets" (PPPoE header and
 * payload, leaving room for a relay agent's Relay-Session-Id). */
#define PPPOE_PADI_MAX		1484

#define PPPOE_ETH_P_8021Q	0x8100
#define PPPOE_ETH_P_8021AD	0x88a8
#define PPPOE_ETH_P_DISC	0x8863	/* discovery stage (§4) */
#define PPPOE_ETH_P_SESS	0x8864	/* session stage (§4) */

#define PPPOE_VER_TYPE		0x11	/* VER 1, TYPE 1 (§4) */

/* CODE (§5) */
#define PPPOE_CODE_SESS		0x00
#define PPPOE_CODE_PADI		0x09
#define PPPOE_CODE_PADO		0x07
#define PPPOE_CODE_PADR		0x19
#define PPPOE_CODE_PADS		0x65
#define PPPOE_CODE_PADT		0xa7

/* TAG_TYPE (Appendix A; 0x0120 RFC 4638 §4) */
#define PPPOE_TAG_END		0x0000
#define PPPOE_TAG_SERVICE_NAME	0x0101
#define PPPOE_TAG_AC_NAME	0x0102
#define PPPOE_TAG_HOST_UNIQ	0x0103
#define PPPOE_TAG_AC_COOKIE	0x0104
#define PPPOE_TAG_VENDOR	0x0105
#define PPPOE_TAG_RELAY_SID	0x0110
#define PPPOE_TAG_MAX_PAYLOAD	0x0120
#define PPPOE_TAG_SERVICE_ERR	0x0201
#define PPPOE_TAG_AC_ERR	0x0202
#define PPPOE_TAG_GENERIC_ERR	0x0203

/* TR-101 §3.9.3: the vendor tag of the Broadband Forum (IANA enterprise
 * 3561, ADSL Forum) and its sub-options (RFC 4679 §3). */
#define PPPOE_TR101_VENDOR	3561u
#define PPPOE_TR101_CIRCUIT_ID	0x01
#define PPPOE_TR101_REMOTE_ID	0x02
#define PPPOE_TR101_RATE_UP	0x81	/* Actual Data Rate Upstream, kbit/s */
#define PPPOE_TR101_RATE_DOWN	0x82	/* Actual Data Rate Downstream, kbit/s */

/* PPP protocol numbers seen in session frames we answer ourselves. */
#define PPPOE_PPP_LCP		0xc021

#endif
