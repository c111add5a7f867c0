/*
 * One line describing a control message and its AVPs, for `debug l2tp
 * packet` (l2tp_msg_format, msg.h): the message's name, its header's IDs
 * and sequence numbers, and each AVP's name and value as its definition
 * reads it (a hidden one as hidden).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "l2tp/avp.h"
#include "l2tp/msg.h"

struct l2tp_msg_out {
	char *p;
	size_t sz;
	size_t used;
};

__attribute__((format(printf, 2, 3)))
static void l2tp_msg_out(struct l2tp_msg_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->used + 1 >= o->sz)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->used, o->sz - o->used, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= o->sz - o->used)
		o->used = o->sz - 1;
	else
		o->used += (size_t)n;
}

static void l2tp_msg_out_str(struct l2tp_msg_out *o, const uint8_t *v, size_t len)
{
	size_t i, n = len > 64 ? 64 : len;

	l2tp_msg_out(o, "\"");
	for (i = 0; i < n; i++) {
		if (v[i] >= 0x20 && v[i] < 0x7f && v[i] != '"' && v[i] != '\\')
			l2tp_msg_out(o, "%c", v[i]);
		else
			l2tp_msg_out(o, "\\x%02x", v[i]);
	}
	l2tp_msg_out(o, "%s\"", n < len ? "..." : "");
}

static void l2tp_msg_out_hex(struct l2tp_msg_out *o, const uint8_t *v, size_t len)
{
	size_t i, n = len > 16 ? 16 : len;

	for (i = 0; i < n; i++)
		l2tp_msg_out(o, "%02x", v[i]);
	if (n < len)
		l2tp_msg_out(o, "...(%zu bytes)", len);
	if (len == 0)
		l2tp_msg_out(o, "(empty)");
}

static void l2tp_msg_out_value(struct l2tp_msg_out *o, const struct l2tp_avp_def *d,
			       const uint8_t *v, size_t len)
{
	switch (d->kind) {
	case L2TP_AVP_KIND_U16:
		if (len != 2)
			break;
		if (d->vendor == 0 && d->type == L2TP_AVP_MESSAGE_TYPE)
			l2tp_msg_out(o, "%s", l2tp_msg_type_name(l2tp_msg_rd16(v)));
		else
			l2tp_msg_out(o, "%u", l2tp_msg_rd16(v));
		return;
	case L2TP_AVP_KIND_U32:
		if (len != 4)
			break;
		l2tp_msg_out(o, "%u", l2tp_msg_rd32(v));
		return;
	case L2TP_AVP_KIND_U64:
		if (len != 8)
			break;
		if (d->vendor != 0)	/* RFC 5515's rates: bits/s */
			l2tp_msg_out(o, "%llu", (unsigned long long)((uint64_t)l2tp_msg_rd32(v) << 32 |
								  l2tp_msg_rd32(v + 4)));
		else
			l2tp_msg_out(o, "0x%08x%08x", l2tp_msg_rd32(v), l2tp_msg_rd32(v + 4));
		return;
	case L2TP_AVP_KIND_STRING:
		l2tp_msg_out_str(o, v, len);
		return;
	case L2TP_AVP_KIND_RESULT:
		if (len < 2)
			break;
		l2tp_msg_out(o, "%u", l2tp_msg_rd16(v));
		if (len >= 4)
			l2tp_msg_out(o, "/%u", l2tp_msg_rd16(v + 2));
		if (len > 4) {
			l2tp_msg_out(o, " ");
			l2tp_msg_out_str(o, v + 4, len - 4);
		}
		return;
	case L2TP_AVP_KIND_VERSION:
		if (len != 2)
			break;
		l2tp_msg_out(o, "%u.%u", v[0], v[1]);
		return;
	case L2TP_AVP_KIND_Q931:
		if (len < 3)
			break;
		l2tp_msg_out(o, "cause=%u msg=%u", l2tp_msg_rd16(v), v[2]);
		if (len > 3) {
			l2tp_msg_out(o, " ");
			l2tp_msg_out_str(o, v + 3, len - 3);
		}
		return;
	case L2TP_AVP_KIND_CALL_ERRORS:
		if (len != 26)
			break;
		l2tp_msg_out(o, "crc=%u framing=%u hw_overruns=%u buf_overruns=%u timeouts=%u "
			     "alignment=%u", l2tp_msg_rd32(v + 2), l2tp_msg_rd32(v + 6),
			     l2tp_msg_rd32(v + 10), l2tp_msg_rd32(v + 14), l2tp_msg_rd32(v + 18),
			     l2tp_msg_rd32(v + 22));
		return;
	case L2TP_AVP_KIND_ACCM:
		if (len != 10)
			break;
		l2tp_msg_out(o, "send=0x%08x recv=0x%08x", l2tp_msg_rd32(v + 2),
			     l2tp_msg_rd32(v + 6));
		return;
	case L2TP_AVP_KIND_EMPTY:
		if (len != 0)
			break;
		l2tp_msg_out(o, "yes");
		return;
	case L2TP_AVP_KIND_PPP_DISC:
		if (len < 5)
			break;
		l2tp_msg_out(o, "code=%u proto=0x%04x dir=%u", l2tp_msg_rd16(v), l2tp_msg_rd16(v + 2),
			     v[4]);
		if (len > 5) {
			l2tp_msg_out(o, " ");
			l2tp_msg_out_str(o, v + 5, len - 5);
		}
		return;
	case L2TP_AVP_KIND_BYTES:
	default:
		break;
	}
	l2tp_msg_out_hex(o, v, len);
}

void l2tp_msg_format(const struct l2tp_msg *m, char *out, size_t outsz)
{
	struct l2tp_msg_out o = { out, outsz, 0 };
	const struct l2tp_avp_def *d;
	const struct l2tp_avp *a;
	unsigned i;

	if (out == NULL || outsz == 0)
		return;
	out[0] = '\0';
	l2tp_msg_out(&o, "%s", m->type_known ? l2tp_msg_type_name(m->type) : "unknown");
	if (!m->type_known)
		l2tp_msg_out(&o, "(%u)", m->type);
	l2tp_msg_out(&o, " tunnel=%u session=%u ns=%u nr=%u len=%u", m->hdr.tunnel_id,
		     m->hdr.session_id, m->hdr.ns, m->hdr.nr, m->hdr.length);
	for (i = 0; i < m->n_avps && i < L2TP_MSG_MAX_AVPS; i++) {
		a = &m->avps[i];
		d = (a->flags & L2TP_AVP_RSVD) ? NULL : l2tp_avp_def_get(a->vendor, a->type);
		if (d == NULL)
			l2tp_msg_out(&o, "%s vendor=%u type=%u%s%s=", i ? "," : ":", a->vendor,
				     a->type, (a->flags & L2TP_AVP_M) ? " M" : "",
				     (a->flags & L2TP_AVP_H) ? " H" : "");
		else
			l2tp_msg_out(&o, "%s %s=", i ? "," : ":", d->name);
		if (a->hidden_pending)
			l2tp_msg_out(&o, "(hidden)");
		else if (d == NULL)
			l2tp_msg_out_hex(&o, a->val, a->len);
		else
			l2tp_msg_out_value(&o, d, a->val, a->len);
	}
	if (m->n_unknown_skipped)
		l2tp_msg_out(&o, " unknown_skipped=%u", m->n_unknown_skipped);
}
