/*
 * PPP numbers: protocol field values (RFC 1661 §2, the IANA PPP DLL
 * protocol registry), control-protocol codes (RFC 1661 §5), option types
 * (RFC 1661 §6, RFC 1332, RFC 1877, RFC 5072) and the authentication
 * protocols' codes (RFC 1334, RFC 1994, RFC 2759).
 */
#ifndef L2TP_PPP_PROTO_H
#define L2TP_PPP_PROTO_H

#include <stdint.h>

/* --- protocol field (RFC 1661 §2) --------------------------------------- */
#define PPP_PROTO_IP		0x0021
#define PPP_PROTO_IPV6		0x0057
#define PPP_PROTO_IPCP		0x8021
#define PPP_PROTO_IPV6CP	0x8057
#define PPP_PROTO_CCP		0x80fd
#define PPP_PROTO_LCP		0xc021
#define PPP_PROTO_PAP		0xc023
#define PPP_PROTO_LQR		0xc025
#define PPP_PROTO_CHAP		0xc223
#define PPP_PROTO_EAP		0xc227

/* §2: the protocol field's low octet is odd, its high octet even. */
#define PPP_PROTO_VALID(p)	(((p) & 0x0101) == 0x0001)

/* RFC 1662 §3.1: the HDLC-like Address and Control octets a frame may
 * still carry (the LAC strips them; a kernel channel may not). */
#define PPP_ALLSTATIONS		0xff
#define PPP_UI			0x03

/* RFC 1661 §6.1: the default MRU, and the smallest we agree to. */
#define PPP_MRU_DEFAULT		1500
#define PPP_MRU_MIN		128
/* The largest PPP packet (information field) we build or accept. */
#define PPP_MAX_PACKET		1500

/* --- control protocol packets (RFC 1661 §5) -------------------------------- */
#define PPP_HDRLEN		4	/* Code, Identifier, Length */

#define PPP_CONF_REQ		1
#define PPP_CONF_ACK		2
#define PPP_CONF_NAK		3
#define PPP_CONF_REJ		4
#define PPP_TERM_REQ		5
#define PPP_TERM_ACK		6
#define PPP_CODE_REJ		7
/* LCP only (§5.7-§5.9, RFC 1570 §2) */
#define PPP_PROTO_REJ		8
#define PPP_ECHO_REQ		9
#define PPP_ECHO_REP		10
#define PPP_DISCARD_REQ		11
#define PPP_IDENTIFICATION	12
#define PPP_TIME_REMAINING	13

/* --- LCP options (RFC 1661 §6, RFC 1662 §7) ---------------------------------- */
#define PPP_LCP_OPT_MRU		1
#define PPP_LCP_OPT_ACCM	2
#define PPP_LCP_OPT_AUTH	3
#define PPP_LCP_OPT_QUALITY	4
#define PPP_LCP_OPT_MAGIC	5
#define PPP_LCP_OPT_PFC		7
#define PPP_LCP_OPT_ACFC	8
#define PPP_LCP_OPT_CALLBACK	13
#define PPP_LCP_OPT_MRRU	17
#define PPP_LCP_OPT_EPDISC	19

/* CHAP algorithms carried in the Authentication-Protocol option (RFC 1994
 * §3, RFC 2759 §2). */
#define PPP_CHAP_ALG_MD5	0x05
#define PPP_CHAP_ALG_MSCHAPV2	0x81

/* --- IPCP options (RFC 1332 §3, RFC 1877 §1) ---------------------------------- */
#define PPP_IPCP_OPT_ADDRS	1	/* deprecated IP-Addresses */
#define PPP_IPCP_OPT_COMP	2
#define PPP_IPCP_OPT_ADDR	3
#define PPP_IPCP_OPT_DNS1	129
#define PPP_IPCP_OPT_NBNS1	130
#define PPP_IPCP_OPT_DNS2	131
#define PPP_IPCP_OPT_NBNS2	132

/* --- IPv6CP options (RFC 5072 §4) ----------------------------------------- */
#define PPP_IPV6CP_OPT_IFID	1
#define PPP_IPV6CP_OPT_COMP	2
#define PPP_IFID_LEN		8

/* --- PAP (RFC 1334 §2.2) ------------------------------------------------------ */
#define PPP_PAP_AUTH_REQ	1
#define PPP_PAP_AUTH_ACK	2
#define PPP_PAP_AUTH_NAK	3

/* --- CHAP (RFC 1994 §4) ----------------------------------------------------- */
#define PPP_CHAP_CHALLENGE	1
#define PPP_CHAP_RESPONSE	2
#define PPP_CHAP_SUCCESS	3
#define PPP_CHAP_FAILURE	4

/* The authentication methods a link can run, in the order of preference an
 * operator lists them (`ppp authentication pap chap ms-chap-v2`). */
enum ppp_auth_method {
	PPP_AUTH_NONE = 0,
	PPP_AUTH_PAP,
	PPP_AUTH_CHAP_MD5,
	PPP_AUTH_MSCHAPV2,
};

static inline const char *ppp_auth_method_string(enum ppp_auth_method m)
{
	switch (m) {
	case PPP_AUTH_NONE:
		return "none";
	case PPP_AUTH_PAP:
		return "pap";
	case PPP_AUTH_CHAP_MD5:
		return "chap";
	case PPP_AUTH_MSCHAPV2:
		return "ms-chap-v2";
	}
	return "?";
}

static inline uint16_t ppp_get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t ppp_get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void ppp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void ppp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
