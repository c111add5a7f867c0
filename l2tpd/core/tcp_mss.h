/*
 * TCP MSS clamping (IOS `ip tcp adjust-mss N`): the Maximum Segment Size
 * option (RFC 9293 §3.7.1, kind 2, length 4) of a TCP segment with SYN set
 * is lowered to N when larger, so that hosts behind a PPPoE link (MTU
 * 1492) and a tunnel do not send segments the path cannot carry.  The TCP
 * checksum is fixed incrementally (RFC 1624 §3, eqn. 3), not recomputed.
 *
 * IPv4 and IPv6 (its Hop-by-Hop, Routing and Destination Options headers
 * are walked); fragments other than the first, and anything malformed (a
 * header or an option running past the packet), are left as they are.
 */
#ifndef CORE_TCP_MSS_H
#define CORE_TCP_MSS_H

#include <stddef.h>
#include <stdint.h>

enum tcp_mss_result {
	TCP_MSS_MALFORMED = -1,	/* an IP or TCP header or an option cut short */
	TCP_MSS_UNTOUCHED = 0,	/* not TCP, not a SYN, no MSS option, or MSS <= N */
	TCP_MSS_CLAMPED = 1,	/* the option now says N, the checksum follows */
};

/* pkt: an IPv4 or IPv6 packet of len octets, changed in place. */
enum tcp_mss_result tcp_mss_clamp_ip(uint8_t *pkt, size_t len, uint16_t mss);
/* frame: a PPP frame (FF 03 optional, the protocol field, 0x0021 IPv4 or
 * 0x0057 IPv6, compressed or not); other protocols are untouched. */
enum tcp_mss_result tcp_mss_clamp_ppp(uint8_t *frame, size_t len, uint16_t mss);

#endif
