/*
 * The PPPoE codec (pppoe/disc.h).
 */
#include <errno.h>
#include <string.h>

#include "pppoe/disc.h"

static const char *const err_names[PPPOE_ERR_MAX] = {
	[PPPOE_ERR_NONE] = "none",
	[PPPOE_ERR_SHORT] = "short",
	[PPPOE_ERR_VLAN] = "vlan",
	[PPPOE_ERR_ETHERTYPE] = "ethertype",
	[PPPOE_ERR_VER_TYPE] = "ver-type",
	[PPPOE_ERR_LENGTH] = "length",
	[PPPOE_ERR_CODE] = "code",
	[PPPOE_ERR_SESSION_ID] = "session-id",
	[PPPOE_ERR_TAG_TRUNC] = "tag-truncated",
	[PPPOE_ERR_TAG_LEN] = "tag-length",
	[PPPOE_ERR_SERVICE] = "service-name",
	[PPPOE_ERR_TAG_VALUE] = "tag-value",
	[PPPOE_ERR_VENDOR] = "vendor-tag",
	[PPPOE_ERR_TOO_BIG] = "too-big",
};

const char *pppoe_err_name(enum pppoe_err e)
{
	return (unsigned)e < PPPOE_ERR_MAX ? err_names[e] : "?";
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int refuse(enum pppoe_err *why, enum pppoe_err e)
{
	*why = e;
	return -EBADMSG;
}

int pppoe_frame_parse(const uint8_t *buf, size_t len, struct pppoe_frame *f,
		      enum pppoe_err *why)
{
	size_t off = 2 * PPPOE_ETH_ALEN;
	uint16_t et;

	memset(f, 0, sizeof *f);
	*why = PPPOE_ERR_NONE;
	if (len < PPPOE_ETH_HLEN)
		return refuse(why, PPPOE_ERR_SHORT);
	memcpy(f->dst, buf, PPPOE_ETH_ALEN);
	memcpy(f->src, buf + PPPOE_ETH_ALEN, PPPOE_ETH_ALEN);
	et = get16(buf + off);
	while (et == PPPOE_ETH_P_8021Q || et == PPPOE_ETH_P_8021AD) {
		if (f->nvlan == PPPOE_MAX_VLANS)
			return refuse(why, PPPOE_ERR_VLAN);
		if (len < off + 2 + PPPOE_VLAN_HLEN)
			return refuse(why, PPPOE_ERR_SHORT);
		f->vlan[f->nvlan++] = get16(buf + off + 2) & 0x0fff;
		off += PPPOE_VLAN_HLEN;
		et = get16(buf + off);
	}
	off += 2;
	f->ethertype = et;
	if (et != PPPOE_ETH_P_DISC && et != PPPOE_ETH_P_SESS)
		return refuse(why, PPPOE_ERR_ETHERTYPE);
	if (len < off + PPPOE_HLEN)
		return refuse(why, PPPOE_ERR_SHORT);
	if (buf[off] != PPPOE_VER_TYPE)
		return refuse(why, PPPOE_ERR_VER_TYPE);
	f->code = buf[off + 1];
	f->session_id = get16(buf + off + 2);
	f->len = get16(buf + off + 4);
	off += PPPOE_HLEN;
	if (f->len > len - off)
		return refuse(why, PPPOE_ERR_LENGTH);
	f->payload = buf + off;
	if (et == PPPOE_ETH_P_SESS && f->code != PPPOE_CODE_SESS)
		return refuse(why, PPPOE_ERR_CODE);	/* §6: CODE 0x00 */
	return 0;
}

/* TR-101's vendor tag: the vendor ID, then sub-options of one octet type
 * and one octet length (RFC 4679 §3). */
static int parse_vendor(const uint8_t *p, uint16_t len, struct pppoe_line *l)
{
	size_t off = 4;

	if (len < 4 || get32(p) != PPPOE_TR101_VENDOR)
		return 0;	/* another vendor's tag: ignored (§5, Appendix A) */
	l->present = 1;
	while (off < len) {
		uint8_t type, sl;

		if (len - off < 2)
			return -EBADMSG;
		type = p[off];
		sl = p[off + 1];
		off += 2;
		if (sl > len - off)
			return -EBADMSG;
		if (type == PPPOE_TR101_CIRCUIT_ID && !l->circuit_id.present)
			l->circuit_id = (struct pppoe_bytes){ p + off, sl, 1 };
		else if (type == PPPOE_TR101_REMOTE_ID && !l->remote_id.present)
			l->remote_id = (struct pppoe_bytes){ p + off, sl, 1 };
		else if (type == PPPOE_TR101_RATE_UP || type == PPPOE_TR101_RATE_DOWN) {
			if (sl != 4)
				return -EBADMSG;
			*(type == PPPOE_TR101_RATE_UP ? &l->rate_up : &l->rate_down) = get32(p + off);
		}
		off += sl;
	}
	return 0;
}

static void keep_first(struct pppoe_bytes *b, const uint8_t *p, uint16_t len)
{
	if (!b->present)
		*b = (struct pppoe_bytes){ p, len, 1 };
}

/* One tag; -EBADMSG with *why set when its value is wrong. */
static int parse_tag(uint16_t type, const uint8_t *p, uint16_t len, struct pppoe_tags *t,
		     enum pppoe_err *why)
{
	switch (type) {
	case PPPOE_TAG_SERVICE_NAME:
		t->n_service++;
		keep_first(&t->service_name, p, len);
		break;
	case PPPOE_TAG_AC_NAME:
		keep_first(&t->ac_name, p, len);
		break;
	case PPPOE_TAG_HOST_UNIQ:
		keep_first(&t->host_uniq, p, len);
		break;
	case PPPOE_TAG_AC_COOKIE:
		keep_first(&t->cookie, p, len);
		break;
	case PPPOE_TAG_RELAY_SID:
		keep_first(&t->relay_sid, p, len);
		break;
	case PPPOE_TAG_MAX_PAYLOAD:
		if (len != 2)
			return refuse(why, PPPOE_ERR_TAG_VALUE);
		t->max_payload = get16(p);
		break;
	case PPPOE_TAG_VENDOR:
		if (parse_vendor(p, len, &t->line) < 0)
			return refuse(why, PPPOE_ERR_VENDOR);
		break;
	case PPPOE_TAG_SERVICE_ERR:
	case PPPOE_TAG_AC_ERR:
	case PPPOE_TAG_GENERIC_ERR:
		t->error = 1;
		break;
	default:
		break;	/* unknown tags are ignored (Appendix A) */
	}
	return 0;
}

/* The SESSION_ID each CODE carries (§5.1-5.5). */
static int check_code(const struct pppoe_frame *f, const struct pppoe_tags *t,
		      enum pppoe_err *why)
{
	switch (f->code) {
	case PPPOE_CODE_PADI:
		if (PPPOE_HLEN + (size_t)f->len > PPPOE_PADI_MAX)
			return refuse(why, PPPOE_ERR_TOO_BIG);
		/* fall through */
	case PPPOE_CODE_PADR:
		if (t->n_service != 1)
			return refuse(why, PPPOE_ERR_SERVICE);
		/* fall through */
	case PPPOE_CODE_PADO:
		if (f->session_id != 0)
			return refuse(why, PPPOE_ERR_SESSION_ID);
		return 0;
	case PPPOE_CODE_PADS:
		if (f->session_id == 0 && !t->error)
			return refuse(why, PPPOE_ERR_SESSION_ID);
		return 0;
	case PPPOE_CODE_PADT:
		if (f->session_id == 0)
			return refuse(why, PPPOE_ERR_SESSION_ID);
		return 0;
	default:
		return refuse(why, PPPOE_ERR_CODE);
	}
}

int pppoe_tags_parse(const struct pppoe_frame *f, struct pppoe_tags *t, enum pppoe_err *why)
{
	size_t off = 0;

	memset(t, 0, sizeof *t);
	*why = PPPOE_ERR_NONE;
	if (f->ethertype != PPPOE_ETH_P_DISC)
		return refuse(why, PPPOE_ERR_ETHERTYPE);
	while (off < f->len) {
		uint16_t type, tl;

		if (f->len - off < PPPOE_TAG_HLEN)
			return refuse(why, PPPOE_ERR_TAG_TRUNC);
		type = get16(f->payload + off);
		tl = get16(f->payload + off + 2);
		off += PPPOE_TAG_HLEN;
		if (tl > f->len - off)
			return refuse(why, PPPOE_ERR_TAG_LEN);
		if (type == PPPOE_TAG_END)
			break;	/* End-Of-List: "MAY be ignored" past it (Appendix A) */
		if (parse_tag(type, f->payload + off, tl, t, why) < 0)
			return -EBADMSG;
		off += tl;
	}
	return check_code(f, t, why);
}

static void put_raw(struct pppoe_buf *b, const void *p, size_t len)
{
	if (b->err)
		return;
	if (len > sizeof b->buf - b->len) {
		b->err = -EMSGSIZE;
		return;
	}
	if (len)
		memcpy(b->buf + b->len, p, len);
	b->len += len;
}

static void put16(struct pppoe_buf *b, uint16_t v)
{
	uint8_t p[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put_raw(b, p, 2);
}

void pppoe_buf_init(struct pppoe_buf *b, const uint8_t dst[PPPOE_ETH_ALEN],
		    const uint8_t src[PPPOE_ETH_ALEN], const uint16_t *vlan, unsigned nvlan,
		    uint16_t ethertype, uint8_t code, uint16_t session_id)
{
	b->len = 0;
	b->err = nvlan > PPPOE_MAX_VLANS ? -EINVAL : 0;
	put_raw(b, dst, PPPOE_ETH_ALEN);
	put_raw(b, src, PPPOE_ETH_ALEN);
	for (unsigned i = 0; i < nvlan && !b->err; i++) {
		put16(b, nvlan == 2 && i == 0 ? PPPOE_ETH_P_8021AD : PPPOE_ETH_P_8021Q);
		put16(b, vlan[i] & 0x0fff);
	}
	put16(b, ethertype);
	b->hdr = b->len;
	put_raw(b, (uint8_t[]){ PPPOE_VER_TYPE, code }, 2);
	put16(b, session_id);
	put16(b, 0);	/* LENGTH, set by pppoe_buf_finish() */
}

void pppoe_put(struct pppoe_buf *b, const void *p, size_t len)
{
	put_raw(b, p, len);
}

void pppoe_put_tag(struct pppoe_buf *b, uint16_t type, const void *val, size_t len)
{
	if (len > UINT16_MAX) {
		b->err = b->err ? b->err : -EMSGSIZE;
		return;
	}
	put16(b, type);
	put16(b, (uint16_t)len);
	put_raw(b, val, len);
}

void pppoe_put_echo(struct pppoe_buf *b, uint16_t type, const struct pppoe_bytes *v)
{
	if (v->present)
		pppoe_put_tag(b, type, v->p, v->len);
}

void pppoe_put_u16_tag(struct pppoe_buf *b, uint16_t type, uint16_t v)
{
	uint8_t p[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	pppoe_put_tag(b, type, p, 2);
}

int pppoe_buf_finish(struct pppoe_buf *b)
{
	size_t plen;

	if (b->err)
		return b->err;
	plen = b->len - b->hdr - PPPOE_HLEN;
	b->buf[b->hdr + 4] = (uint8_t)(plen >> 8);
	b->buf[b->hdr + 5] = (uint8_t)plen;
	return (int)b->len;
}
