/*
 * TCP MSS clamping (see core/tcp_mss.h).
 */
#include "core/tcp_mss.h"

#define IPPROTO_TCP_	6
#define TCP_FLAG_SYN	0x02
#define TCP_OPT_END	0
#define TCP_OPT_NOP	1
#define TCP_OPT_MSS	2

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), one's complement sums. */
static void csum_replace(uint8_t *ck, uint16_t old, uint16_t new)
{
	uint32_t s = (uint16_t)~get16(ck) + (uint32_t)(uint16_t)~old + new;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	put16(ck, (uint16_t)~s);
}

/*
 * The option's value at tcp[off] (any alignment: the checksum's 16-bit
 * words start at the TCP header, so an odd offset straddles two words)
 * becomes mss, each word changed fixed in the checksum (tcp[16]).
 */
static void mss_rewrite(uint8_t *tcp, size_t off, uint16_t mss)
{
	size_t w0 = off & ~(size_t)1, w;
	uint16_t old[2];

	for (w = 0; w < 2 + (off & 1); w += 2)
		old[w / 2] = get16(tcp + w0 + w);
	put16(tcp + off, mss);
	for (w = 0; w < 2 + (off & 1); w += 2)
		csum_replace(tcp + 16, old[w / 2], get16(tcp + w0 + w));
}

/* The TCP segment tcp[0..len). */
static enum tcp_mss_result mss_tcp(uint8_t *tcp, size_t len, uint16_t mss)
{
	size_t hl, i;

	if (len < 20)
		return TCP_MSS_MALFORMED;
	hl = (size_t)(tcp[12] >> 4) * 4;
	if (hl < 20 || hl > len)
		return TCP_MSS_MALFORMED;
	if (!(tcp[13] & TCP_FLAG_SYN))
		return TCP_MSS_UNTOUCHED;
	for (i = 20; i < hl;) {
		if (tcp[i] == TCP_OPT_END)
			break;
		if (tcp[i] == TCP_OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= hl || tcp[i + 1] < 2 || i + tcp[i + 1] > hl)
			return TCP_MSS_MALFORMED;
		if (tcp[i] == TCP_OPT_MSS) {
			if (tcp[i + 1] != 4)
				return TCP_MSS_MALFORMED;
			if (get16(tcp + i + 2) <= mss)
				return TCP_MSS_UNTOUCHED;
			mss_rewrite(tcp, i + 2, mss);
			return TCP_MSS_CLAMPED;
		}
		i += tcp[i + 1];
	}
	return TCP_MSS_UNTOUCHED;
}

static enum tcp_mss_result mss_ipv4(uint8_t *pkt, size_t len, uint16_t mss)
{
	size_t hl, tot;

	if (len < 20)
		return TCP_MSS_MALFORMED;
	hl = (size_t)(pkt[0] & 0x0f) * 4;
	tot = get16(pkt + 2);
	if (hl < 20 || tot < hl || tot > len)
		return TCP_MSS_MALFORMED;
	if (pkt[9] != IPPROTO_TCP_ || (get16(pkt + 6) & 0x1fff) != 0)
		return TCP_MSS_UNTOUCHED;	/* not TCP, or not the first fragment */
	return mss_tcp(pkt + hl, tot - hl, mss);
}

/* RFC 8200 §4: the headers before TCP that say their own length. */
static enum tcp_mss_result mss_ipv6(uint8_t *pkt, size_t len, uint16_t mss)
{
	size_t off = 40, end;
	uint8_t nh;

	if (len < 40)
		return TCP_MSS_MALFORMED;
	end = 40 + (size_t)get16(pkt + 4);
	if (end > len)
		return TCP_MSS_MALFORMED;
	nh = pkt[6];
	for (;;) {
		switch (nh) {
		case IPPROTO_TCP_:
			return mss_tcp(pkt + off, end - off, mss);
		case 0:		/* Hop-by-Hop Options */
		case 43:	/* Routing */
		case 60:	/* Destination Options */
			if (off + 8 > end || off + ((size_t)pkt[off + 1] + 1) * 8 > end)
				return TCP_MSS_MALFORMED;
			nh = pkt[off];
			off += ((size_t)pkt[off + 1] + 1) * 8;
			break;
		case 44:	/* Fragment: the first one only */
			if (off + 8 > end)
				return TCP_MSS_MALFORMED;
			if ((get16(pkt + off + 2) & 0xfff8) != 0)
				return TCP_MSS_UNTOUCHED;
			nh = pkt[off];
			off += 8;
			break;
		default:
			return TCP_MSS_UNTOUCHED;
		}
	}
}

enum tcp_mss_result tcp_mss_clamp_ip(uint8_t *pkt, size_t len, uint16_t mss)
{
	if (len < 1)
		return TCP_MSS_MALFORMED;
	switch (pkt[0] >> 4) {
	case 4:
		return mss_ipv4(pkt, len, mss);
	case 6:
		return mss_ipv6(pkt, len, mss);
	default:
		return TCP_MSS_MALFORMED;
	}
}

enum tcp_mss_result tcp_mss_clamp_ppp(uint8_t *frame, size_t len, uint16_t mss)
{
	uint16_t proto;
	size_t h = 0;

	if (len >= 2 && frame[0] == 0xff && frame[1] == 0x03)
		h = 2;
	if (h >= len)
		return TCP_MSS_UNTOUCHED;
	if (frame[h] & 1) {		/* RFC 1661 §6.5: a compressed protocol field */
		proto = frame[h];
		h += 1;
	} else {
		if (h + 2 > len)
			return TCP_MSS_UNTOUCHED;
		proto = get16(frame + h);
		h += 2;
	}
	if (proto != 0x0021 && proto != 0x0057)
		return TCP_MSS_UNTOUCHED;
	return tcp_mss_clamp_ip(frame + h, len - h, mss);
}
