/* The daemon's control-message counters (see counters.h). */
#include <errno.h>

#include "l2tp/counters.h"
#include "l2tp/msg.h"

int l2tp_counters_peek_type(const uint8_t *buf, size_t len)
{
	struct l2tp_hdr h;
	const uint8_t *a;
	unsigned flags_len;

	if (l2tp_hdr_parse(buf, len, &h) < 0 || !h.is_ctrl)
		return -EBADMSG;
	if (h.hdr_len == h.length)
		return 0;	/* ZLB (§5.8) */
	/* §4.4.1: Message Type, 8 bytes, vendor 0, attribute 0, not hidden */
	if ((size_t)h.length < h.hdr_len + 8)
		return -EBADMSG;
	a = buf + h.hdr_len;
	flags_len = (unsigned)a[0] << 8 | a[1];
	if ((flags_len & 0x3ff) != 8 || (flags_len & L2TP_AVP_H) || a[2] || a[3] || a[4] || a[5])
		return -EBADMSG;
	return (int)((unsigned)a[6] << 8 | a[7]);
}

void l2tp_counters_xmit(struct l2tp_counters *c, const uint8_t *buf, size_t len)
{
	int type = l2tp_counters_peek_type(buf, len);
	int first = buf == c->numbered;

	if (first)
		c->numbered = NULL;
	if (type < 0 || type >= L2TP_COUNTERS_TYPES)
		return;
	if (type == 0 || first)
		c->tx[type]++;
	else
		c->retx[type]++;
}

void l2tp_counters_rx(struct l2tp_counters *c, unsigned type, int known)
{
	if (known && type < L2TP_COUNTERS_TYPES)
		c->rx[type]++;
	else
		c->rx_unknown++;
}
