/*
 * Checkpoint records <-> checkpoint.proto.  The wire form is protobuf-c's;
 * this file is the only one that knows the field numbers' C names, and
 * the decoder checks every value against the width of the C field it lands
 * in (a tunnel ID of 70000 is a bad record, not a truncated one), so what
 * reaches the shadow store is always representable.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "haproto/ckpt_int.h"

static const char *const ckpt_ctl_type_names[] = {
	[HA_CTL_NONE] = "none",
	[HA_CTL_HELLO] = "hello",
	[HA_CTL_BULK_BEGIN] = "bulk-begin",
	[HA_CTL_BULK_END] = "bulk-end",
	[HA_CTL_ACK] = "ack",
	[HA_CTL_HEARTBEAT] = "heartbeat",
	[HA_CTL_RESET] = "reset",
	[HA_CTL_TAKEOVER] = "takeover",
};

const char *ckpt_ctl_type_string(enum ha_ctl_type t)
{
	if ((unsigned)t >= ARRAY_SIZE(ckpt_ctl_type_names) || !ckpt_ctl_type_names[t])
		return "unknown";
	return ckpt_ctl_type_names[t];
}

/* ------------------------------------------------------------------ */
/* Encoding: C struct -> protobuf-c message (pointing into the struct). */

/* Text fields are NUL-terminated in a fixed array.  An unterminated one
 * is refused (-EINVAL) rather than sent: the decoder would refuse it. */
static int ckpt_text(ProtobufCBinaryData *b, const char *s, size_t max)
{
	size_t len = strnlen(s, max);

	if (len == max)
		return -EINVAL;
	b->len = len;
	b->data = (uint8_t *)s;
	return 0;
}


static int ckpt_ifid_set(const uint8_t ifid[8])
{
	static const uint8_t zero[8];

	return memcmp(ifid, zero, 8) != 0;
}

static int ckpt_tunnel_fill(L2tpha__Tunnel *m, const struct ha_tunnel_rec *t)
{
	int err = 0;

	m->tid = t->tid;
	m->peer_tid = t->peer_tid;
	m->local_addr = ntohl(t->local_addr);
	m->peer_addr = ntohl(t->peer_addr);
	m->local_port = ntohs(t->local_port);
	m->peer_port = ntohs(t->peer_port);
	err |= ckpt_text(&m->group, t->group, sizeof(t->group));
	err |= ckpt_text(&m->peer_host, t->peer_host, sizeof(t->peer_host));
	err |= ckpt_text(&m->peer_vendor, t->peer_vendor, sizeof(t->peer_vendor));
	m->lns = !!t->lns;
	m->originator = !!t->originator;
	m->state = t->state;
	m->peer_rws = t->peer_rws;
	m->rws = t->rws;
	m->ha_enabled = !!t->ha_enabled;
	m->resync = t->resync;
	m->next_call_serial = t->next_call_serial;
	m->created_ms = t->created_ms;
	m->established_ms = t->established_ms;
	return err ? -EINVAL : 0;
}

static int ckpt_session_fill(L2tpha__Session *m, struct ckpt_parts *p,
			     const struct ha_session_rec *s)
{
	int err = 0;

	m->tid = s->tid;
	m->sid = s->sid;
	m->peer_sid = s->peer_sid;
	m->state = s->state;
	m->kind = s->kind;
	m->lns = !!s->lns;
	m->call_serial = s->call_serial;
	m->tx_speed = s->tx_speed;
	m->rx_speed = s->rx_speed;
	m->framing_type = s->framing_type;
	m->bearer_type = s->bearer_type;
	err |= ckpt_text(&m->calling, s->calling, sizeof(s->calling));
	err |= ckpt_text(&m->called, s->called, sizeof(s->called));
	m->created_ms = s->created_ms;
	m->established_ms = s->established_ms;

	m->has_ppp = !!s->has_ppp;
	m->ppp_up = !!s->ppp_up;
	m->ppp_phase = s->ppp_phase;
	m->mru = s->mru;
	m->peer_mru = s->peer_mru;
	m->magic = s->magic;
	m->peer_magic = s->peer_magic;
	m->auth = s->auth;
	err |= ckpt_text(&m->user, s->user, sizeof(s->user));
	m->ipcp_open = !!s->ipcp_open;
	m->local_ip = ntohl(s->local_ip);
	m->peer_ip = ntohl(s->peer_ip);
	m->dns0 = ntohl(s->dns[0]);
	m->dns1 = ntohl(s->dns[1]);
	m->ipv6cp_open = !!s->ipv6cp_open;
	/* An all-zero interface identifier is "none" (RFC 5072 §4.1 forbids
	 * zero as a negotiated value), so it costs nothing on the wire. */
	if (ckpt_ifid_set(s->local_ifid))
		m->local_ifid = ckpt_blob(s->local_ifid, 8);
	if (ckpt_ifid_set(s->peer_ifid))
		m->peer_ifid = ckpt_blob(s->peer_ifid, 8);
	err |= ckpt_text(&m->ifname, s->ifname, sizeof(s->ifname));
	err |= ckpt_text(&m->pool, s->pool, sizeof(s->pool));
	m->ppp_up_ms = s->ppp_up_ms;
	m->session_timeout = s->session_timeout;
	m->idle_timeout = s->idle_timeout;

	err |= ckpt_text(&m->acct_session_id, s->acct_session_id, sizeof(s->acct_session_id));
	m->class_attr = ckpt_blob(s->class_attr, s->class_len);
	m->acct_in_octets = s->acct_in_octets;
	m->acct_out_octets = s->acct_out_octets;
	m->acct_in_packets = s->acct_in_packets;
	m->acct_out_packets = s->acct_out_packets;
	m->acct_started = !!s->acct_started;
	ckpt_session_fill_v6(m, &p->v6, s);
	return err ? -EINVAL : 0;
}

/* A part of a configuration: its bytes fit the part size, its place fits
 * the whole. */
static int ckpt_part_ok(size_t len, const struct ha_config_rec *c)
{
	return len <= HA_CONFIG_PART_MAX && c->total_len <= HA_CONFIG_MAX && c->count > 0 &&
	       c->count <= HA_CONFIG_PARTS_MAX && c->index < c->count;
}

static int ckpt_part_fill(L2tpha__Envelope *env, L2tpha__ConfigPart *m,
			  const struct ha_config_rec *c)
{
	if (!ckpt_part_ok(c->len, c) || (c->len && !c->text))
		return -EINVAL;
	l2tpha__config_part__init(m);
	m->text = ckpt_blob(c->text, c->len);
	m->digest = c->digest;
	m->save = !!c->save;
	m->index = c->index;
	m->count = c->count;
	m->total_len = c->total_len;
	env->body_case = L2TPHA__ENVELOPE__BODY_CONFIG_PART;
	env->config_part = m;
	return 0;
}

int ckpt_envelope_fill(L2tpha__Envelope *env, struct ckpt_parts *p, const struct ha_rec *r,
		       uint64_t seq)
{
	/* The decoder refuses a key of ID 0, so the encoder does not send it. */
	if (!ha_rec_key_valid(r))
		return -EINVAL;
	l2tpha__envelope__init(env);
	env->schema_version = HA_SCHEMA_VERSION;
	env->seq = seq;

	switch (r->type) {
	case HA_REC_TUNNEL:
		l2tpha__tunnel__init(&p->tunnel);
		env->body_case = L2TPHA__ENVELOPE__BODY_TUNNEL;
		env->tunnel = &p->tunnel;
		return ckpt_tunnel_fill(&p->tunnel, &r->u.tunnel);
	case HA_REC_SEQ:
		l2tpha__seq__init(&p->seq);
		p->seq.tid = r->u.seq.tid;
		p->seq.ns = r->u.seq.ns;
		p->seq.nr = r->u.seq.nr;
		p->seq.una = r->u.seq.una;
		env->body_case = L2TPHA__ENVELOPE__BODY_SEQ_REC;
		env->seq_rec = &p->seq;
		return 0;
	case HA_REC_CTRL_MSG:
		/* An L2TP message is at most 65535 octets (§3.1 Length). */
		if (r->u.msg.len == 0 || r->u.msg.len > 65535 || !r->u.msg.buf)
			return -EINVAL;
		l2tpha__ctrl_msg__init(&p->msg);
		p->msg.tid = r->u.msg.tid;
		p->msg.ns = r->u.msg.ns;
		p->msg.msg = ckpt_blob(r->u.msg.buf, r->u.msg.len);
		env->body_case = L2TPHA__ENVELOPE__BODY_CTRL_MSG;
		env->ctrl_msg = &p->msg;
		return 0;
	case HA_REC_SESSION:
		if (r->u.session.class_len > HA_CLASS_MAX)
			return -EINVAL;
		l2tpha__session__init(&p->session);
		env->body_case = L2TPHA__ENVELOPE__BODY_SESSION;
		env->session = &p->session;
		return ckpt_session_fill(&p->session, p, &r->u.session);
	case HA_REC_DELETE:
		l2tpha__delete__init(&p->del);
		p->del.tid = r->u.del.tid;
		p->del.sid = r->u.del.sid;
		env->body_case = L2TPHA__ENVELOPE__BODY_DEL;
		env->del = &p->del;
		return 0;
	case HA_REC_CONFIG:
		if (r->u.config.len > HA_CONFIG_MAX || (r->u.config.len && !r->u.config.text))
			return -EINVAL;
		l2tpha__config__init(&p->config);
		p->config.text = ckpt_blob(r->u.config.text, r->u.config.len);
		p->config.digest = r->u.config.digest;
		p->config.save = !!r->u.config.save;
		env->body_case = L2TPHA__ENVELOPE__BODY_CONFIG;
		env->config = &p->config;
		return 0;
	case HA_REC_CONFIG_PART:
		return ckpt_part_fill(env, &p->part, &r->u.config);
	case HA_REC_PPPOE:
		env->body_case = L2TPHA__ENVELOPE__BODY_PPPOE;
		env->pppoe = &p->pppoe;
		return ckpt_pppoe_fill(&p->pppoe, p->vlan, &r->u.pppoe);
	case HA_REC_PPPOE_LOCAL:
		env->body_case = L2TPHA__ENVELOPE__BODY_PPPOE_LOCAL;
		env->pppoe_local = &p->pppoe_local;
		return ckpt_pppoe_local_fill(&p->pppoe_local, &p->pppoe, p->vlan, &r->u.pppoe);
	case HA_REC_PPPOE_DELETE:
		l2tpha__pppoe_delete__init(&p->pppoe_del);
		p->pppoe_del.id = r->u.pppoe_del.id;
		env->body_case = L2TPHA__ENVELOPE__BODY_PPPOE_DEL;
		env->pppoe_del = &p->pppoe_del;
		return 0;
	case HA_REC_NONE:
		break;
	}
	return -EINVAL;
}

int ckpt_encode_size(const struct ha_rec *r, uint64_t seq)
{
	L2tpha__Envelope env;
	struct ckpt_parts p;
	int rc;

	if (!r)
		return -EINVAL;
	rc = ckpt_envelope_fill(&env, &p, r, seq);
	if (rc < 0)
		return rc;
	return (int)l2tpha__envelope__get_packed_size(&env);
}

int ckpt_encode(const struct ha_rec *r, uint64_t seq, uint8_t *buf, size_t size)
{
	L2tpha__Envelope env;
	struct ckpt_parts p;
	size_t n;
	int rc;

	if (!r || !buf)
		return -EINVAL;
	rc = ckpt_envelope_fill(&env, &p, r, seq);
	if (rc < 0)
		return rc;
	n = l2tpha__envelope__get_packed_size(&env);
	if (n > size)
		return -ENOSPC;
	return (int)l2tpha__envelope__pack(&env, buf);
}

static const L2tpha__Ctl__Kind ckpt_ctl_kinds[] = {
	[HA_CTL_NONE] = L2TPHA__CTL__KIND__NONE,
	[HA_CTL_HELLO] = L2TPHA__CTL__KIND__HELLO,
	[HA_CTL_BULK_BEGIN] = L2TPHA__CTL__KIND__BULK_BEGIN,
	[HA_CTL_BULK_END] = L2TPHA__CTL__KIND__BULK_END,
	[HA_CTL_ACK] = L2TPHA__CTL__KIND__ACK,
	[HA_CTL_HEARTBEAT] = L2TPHA__CTL__KIND__HEARTBEAT,
	[HA_CTL_RESET] = L2TPHA__CTL__KIND__RESET,
	[HA_CTL_TAKEOVER] = L2TPHA__CTL__KIND__TAKEOVER,
};

int ckpt_ctl_encode(const struct ha_ctl *c, uint32_t version, uint8_t *buf, size_t size)
{
	L2tpha__Envelope env = L2TPHA__ENVELOPE__INIT;
	L2tpha__Ctl ctl = L2TPHA__CTL__INIT;

	if (!c || !buf || c->type == HA_CTL_NONE || (unsigned)c->type >= ARRAY_SIZE(ckpt_ctl_kinds))
		return -EINVAL;
	ctl.kind = ckpt_ctl_kinds[c->type];
	ctl.epoch = c->epoch;
	ctl.seq = c->seq;
	ctl.count = c->count;
	ctl.want_bulk = !!c->want_bulk;
	ctl.synced = !!c->synced;
	env.schema_version = version;
	env.body_case = L2TPHA__ENVELOPE__BODY_CTL;
	env.ctl = &ctl;
	if (l2tpha__envelope__get_packed_size(&env) > size)
		return -ENOSPC;
	return (int)l2tpha__envelope__pack(&env, buf);
}

/* ------------------------------------------------------------------ */
/* Decoding: every value checked against the C field that receives it.  */

static int ckpt_u16(uint32_t v, uint16_t *out)
{
	if (v > UINT16_MAX)
		return -EBADMSG;
	*out = (uint16_t)v;
	return 0;
}

static int ckpt_u8(uint32_t v, uint8_t *out)
{
	if (v > UINT8_MAX)
		return -EBADMSG;
	*out = (uint8_t)v;
	return 0;
}

/* Into a NUL-terminated array: the text and its terminator must fit. */
int ckpt_text_get(const ProtobufCBinaryData *b, char *dst, size_t dstsz)
{
	if (b->len >= dstsz || (b->len && !b->data))
		return -EBADMSG;
	if (b->len)
		memcpy(dst, b->data, b->len);
	dst[b->len] = '\0';
	return 0;
}

int ckpt_ifid_get(const ProtobufCBinaryData *b, uint8_t dst[8])
{
	if (b->len == 0)
		return 0;
	if (b->len != 8 || !b->data)
		return -EBADMSG;
	memcpy(dst, b->data, 8);
	return 0;
}

static int ckpt_port_get(uint32_t v, uint16_t *out)
{
	uint16_t p;

	if (ckpt_u16(v, &p) < 0)
		return -EBADMSG;
	*out = htons(p);
	return 0;
}

static int ckpt_tunnel_get(const L2tpha__Tunnel *m, struct ha_tunnel_rec *t)
{
	if (ckpt_u16(m->tid, &t->tid) || ckpt_u16(m->peer_tid, &t->peer_tid) ||
	    ckpt_port_get(m->local_port, &t->local_port) ||
	    ckpt_port_get(m->peer_port, &t->peer_port) ||
	    ckpt_text_get(&m->group, t->group, sizeof(t->group)) ||
	    ckpt_text_get(&m->peer_host, t->peer_host, sizeof(t->peer_host)) ||
	    ckpt_text_get(&m->peer_vendor, t->peer_vendor, sizeof(t->peer_vendor)) ||
	    ckpt_u8(m->state, &t->state) || ckpt_u16(m->peer_rws, &t->peer_rws) ||
	    ckpt_u16(m->rws, &t->rws) || ckpt_u16(m->resync, &t->resync))
		return -EBADMSG;
	/* Tunnel ID 0 is the "no tunnel yet" value of §3.1: never a record key. */
	if (t->tid == 0)
		return -EBADMSG;
	t->local_addr = htonl(m->local_addr);
	t->peer_addr = htonl(m->peer_addr);
	t->lns = !!m->lns;
	t->originator = !!m->originator;
	t->ha_enabled = !!m->ha_enabled;
	t->next_call_serial = m->next_call_serial;
	t->created_ms = m->created_ms;
	t->established_ms = m->established_ms;
	return 0;
}

static int ckpt_session_get(const L2tpha__Session *m, struct ha_session_rec *s)
{
	if (ckpt_u16(m->tid, &s->tid) || ckpt_u16(m->sid, &s->sid) ||
	    ckpt_u16(m->peer_sid, &s->peer_sid) || ckpt_u8(m->state, &s->state) ||
	    ckpt_u8(m->kind, &s->kind) ||
	    ckpt_text_get(&m->calling, s->calling, sizeof(s->calling)) ||
	    ckpt_text_get(&m->called, s->called, sizeof(s->called)) ||
	    ckpt_u8(m->ppp_phase, &s->ppp_phase) || ckpt_u16(m->mru, &s->mru) ||
	    ckpt_u16(m->peer_mru, &s->peer_mru) || ckpt_u8(m->auth, &s->auth) ||
	    ckpt_text_get(&m->user, s->user, sizeof(s->user)) ||
	    ckpt_ifid_get(&m->local_ifid, s->local_ifid) ||
	    ckpt_ifid_get(&m->peer_ifid, s->peer_ifid) ||
	    ckpt_text_get(&m->ifname, s->ifname, sizeof(s->ifname)) ||
	    ckpt_text_get(&m->pool, s->pool, sizeof(s->pool)) ||
	    ckpt_text_get(&m->acct_session_id, s->acct_session_id, sizeof(s->acct_session_id)))
		return -EBADMSG;
	/* Session ID 0 addresses the tunnel itself (§3.1): not a session. */
	if (s->tid == 0 || s->sid == 0)
		return -EBADMSG;
	/* RADIUS Class: an attribute value is at most 253 octets (RFC 2865 §5). */
	if (m->class_attr.len > HA_CLASS_MAX || (m->class_attr.len && !m->class_attr.data))
		return -EBADMSG;
	s->class_len = (uint8_t)m->class_attr.len;
	if (s->class_len)
		memcpy(s->class_attr, m->class_attr.data, s->class_len);

	s->lns = !!m->lns;
	s->call_serial = m->call_serial;
	s->tx_speed = m->tx_speed;
	s->rx_speed = m->rx_speed;
	s->framing_type = m->framing_type;
	s->bearer_type = m->bearer_type;
	s->created_ms = m->created_ms;
	s->established_ms = m->established_ms;
	s->has_ppp = !!m->has_ppp;
	s->ppp_up = !!m->ppp_up;
	s->magic = m->magic;
	s->peer_magic = m->peer_magic;
	s->ipcp_open = !!m->ipcp_open;
	s->local_ip = htonl(m->local_ip);
	s->peer_ip = htonl(m->peer_ip);
	s->dns[0] = htonl(m->dns0);
	s->dns[1] = htonl(m->dns1);
	s->ipv6cp_open = !!m->ipv6cp_open;
	s->ppp_up_ms = m->ppp_up_ms;
	s->session_timeout = m->session_timeout;
	s->idle_timeout = m->idle_timeout;
	s->acct_in_octets = m->acct_in_octets;
	s->acct_out_octets = m->acct_out_octets;
	s->acct_in_packets = m->acct_in_packets;
	s->acct_out_packets = m->acct_out_packets;
	s->acct_started = !!m->acct_started;
	return ckpt_session_get_v6(m, s);
}

static int ckpt_msg_get(const L2tpha__CtrlMsg *m, struct ha_rec *r)
{
	struct ha_ctrl_msg_rec *c = &r->u.msg;
	uint8_t *copy;

	if (ckpt_u16(m->tid, &c->tid) || ckpt_u16(m->ns, &c->ns) || c->tid == 0)
		return -EBADMSG;
	/* Not empty, and at most what the 16-bit Length field can say (§3.1). */
	if (m->msg.len == 0 || m->msg.len > 65535 || !m->msg.data)
		return -EBADMSG;
	copy = malloc(m->msg.len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, m->msg.data, m->msg.len);
	r->owned = copy;
	c->buf = copy;
	c->len = m->msg.len;
	return 0;
}

static int ckpt_seq_get(const L2tpha__Seq *m, struct ha_seq_rec *q)
{
	if (ckpt_u16(m->tid, &q->tid) || ckpt_u16(m->ns, &q->ns) || ckpt_u16(m->nr, &q->nr) ||
	    ckpt_u16(m->una, &q->una) || q->tid == 0)
		return -EBADMSG;
	return 0;
}

static int ckpt_del_get(const L2tpha__Delete *m, struct ha_delete_rec *d)
{
	if (ckpt_u16(m->tid, &d->tid) || ckpt_u16(m->sid, &d->sid) || d->tid == 0)
		return -EBADMSG;
	return 0;
}

/* A configuration's text (a whole, or a part of at most max octets),
 * NUL-terminated in storage the record owns; no NUL inside. */
static int ckpt_config_text_get(const ProtobufCBinaryData *t, uint64_t digest, int save,
				size_t max, struct ha_rec *r)
{
	struct ha_config_rec *c = &r->u.config;
	char *copy;

	if (t->len > max || (t->len && !t->data) || (t->len && memchr(t->data, '\0', t->len)))
		return -EBADMSG;
	copy = malloc(t->len + 1);
	if (!copy)
		return -ENOMEM;
	if (t->len)
		memcpy(copy, t->data, t->len);
	copy[t->len] = '\0';
	r->owned = copy;
	c->text = copy;
	c->len = t->len;
	c->digest = digest;
	c->save = save;
	return 0;
}

static int ckpt_config_get(const L2tpha__Config *m, struct ha_rec *r)
{
	return ckpt_config_text_get(&m->text, m->digest, m->save, HA_CONFIG_MAX, r);
}

/* A part: its place fits the whole, its bytes the part size. */
static int ckpt_part_get(const L2tpha__ConfigPart *m, struct ha_rec *r)
{
	struct ha_config_rec *c = &r->u.config;

	c->index = m->index;
	c->count = m->count;
	c->total_len = m->total_len;
	if (!ckpt_part_ok(m->text.len, c))
		return -EBADMSG;
	return ckpt_config_text_get(&m->text, m->digest, m->save, HA_CONFIG_PART_MAX, r);
}

/* The record's kind, and its member of r->u zeroed (only that: a session
 * record's is 1,792 octets, a Seq's 8, and the stream is mostly those
 * small ones), then filled. */
#define CKPT_REC_ZERO(r, kind, member)					\
	((r)->type = (kind), memset(&(r)->u.member, 0, sizeof((r)->u.member)))

static int ckpt_rec_get(const L2tpha__Envelope *env, struct ha_rec *r)
{
	switch (env->body_case) {
	case L2TPHA__ENVELOPE__BODY_TUNNEL:
		CKPT_REC_ZERO(r, HA_REC_TUNNEL, tunnel);
		return ckpt_tunnel_get(env->tunnel, &r->u.tunnel);
	case L2TPHA__ENVELOPE__BODY_SEQ_REC:
		CKPT_REC_ZERO(r, HA_REC_SEQ, seq);
		return ckpt_seq_get(env->seq_rec, &r->u.seq);
	case L2TPHA__ENVELOPE__BODY_CTRL_MSG:
		CKPT_REC_ZERO(r, HA_REC_CTRL_MSG, msg);
		return ckpt_msg_get(env->ctrl_msg, r);
	case L2TPHA__ENVELOPE__BODY_SESSION:
		CKPT_REC_ZERO(r, HA_REC_SESSION, session);
		return ckpt_session_get(env->session, &r->u.session);
	case L2TPHA__ENVELOPE__BODY_DEL:
		CKPT_REC_ZERO(r, HA_REC_DELETE, del);
		return ckpt_del_get(env->del, &r->u.del);
	case L2TPHA__ENVELOPE__BODY_CONFIG:
		CKPT_REC_ZERO(r, HA_REC_CONFIG, config);
		return ckpt_config_get(env->config, r);
	case L2TPHA__ENVELOPE__BODY_CONFIG_PART:
		CKPT_REC_ZERO(r, HA_REC_CONFIG_PART, config);
		return ckpt_part_get(env->config_part, r);
	case L2TPHA__ENVELOPE__BODY_PPPOE:
		CKPT_REC_ZERO(r, HA_REC_PPPOE, pppoe);
		return ckpt_pppoe_get(env->pppoe, &r->u.pppoe);
	case L2TPHA__ENVELOPE__BODY_PPPOE_LOCAL:
		CKPT_REC_ZERO(r, HA_REC_PPPOE_LOCAL, pppoe);
		return ckpt_pppoe_local_get(env->pppoe_local, &r->u.pppoe);
	case L2TPHA__ENVELOPE__BODY_PPPOE_DEL:
		CKPT_REC_ZERO(r, HA_REC_PPPOE_DELETE, pppoe_del);
		return ckpt_pppoe_del_get(env->pppoe_del, &r->u.pppoe_del);
	default:
		/* A body member a newer schema added: the envelope is
		 * well-formed, the record is not ours to apply. */
		r->type = HA_REC_NONE;
		return 0;
	}
}

static int ckpt_ctl_get(const L2tpha__Ctl *m, struct ha_ctl *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 1; i < ARRAY_SIZE(ckpt_ctl_kinds); i++)
		if (ckpt_ctl_kinds[i] == m->kind)
			break;
	/* An unknown kind from a newer peer decodes as NONE: the link
	 * ignores it rather than dropping the connection. */
	c->type = i < ARRAY_SIZE(ckpt_ctl_kinds) ? (enum ha_ctl_type)i : HA_CTL_NONE;
	c->epoch = m->epoch;
	c->seq = m->seq;
	c->count = m->count;
	c->want_bulk = !!m->want_bulk;
	c->synced = !!m->synced;
	return 0;
}

/*
 * The decoder's memory: protobuf-c allocates the envelope, every nested
 * message and every string of a record one by one, and frees them one by
 * one after.  A record of the stream (a session: about 2 KiB unpacked,
 * 5.5 KiB with every field at its largest) is unpacked into a buffer on
 * the caller's stack instead, and dropped whole (callgrind, 50,000 session
 * records: 12,700 -> 10,100 instructions a record decoded, free_unpacked's
 * walk no longer run).  What does not fit (a configuration, a long control
 * message) is malloc'ed as before and freed, alone, by free_unpacked.
 */
#define CKPT_ARENA_SIZE	8192

struct ckpt_arena {
	uint8_t *mem;
	size_t used;
	unsigned spilled;	/* allocations outside mem */
};

static void *ckpt_arena_alloc(void *data, size_t size)
{
	struct ckpt_arena *a = data;
	size_t n = (size + 15) & ~(size_t)15;

	if (n >= size && n <= CKPT_ARENA_SIZE - a->used) {
		void *p = a->mem + a->used;

		a->used += n;
		return p;
	}
	a->spilled++;
	return malloc(size);
}

static void ckpt_arena_free(void *data, void *p)
{
	struct ckpt_arena *a = data;
	uint8_t *q = p;

	/* Inside the arena: dropped with it. */
	if (q >= a->mem && q < a->mem + CKPT_ARENA_SIZE)
		return;
	free(p);
}

static int ckpt_decode_any(const uint8_t *buf, size_t len, struct ha_rec *r, struct ha_ctl *c,
			   uint64_t *seq, uint32_t *version, int flat)
{
	_Alignas(16) uint8_t mem[CKPT_ARENA_SIZE];
	struct ckpt_arena arena = { .mem = mem };
	ProtobufCAllocator alloc = {
		.alloc = ckpt_arena_alloc,
		.free = ckpt_arena_free,
		.allocator_data = &arena,
	};
	L2tpha__Envelope *env, flat_env;
	union ckpt_flat_body flat_body;
	int rc;

	/* r->u: its kind's member only, by ckpt_rec_get() */
	if (r) {
		r->type = HA_REC_NONE;
		r->owned = NULL;
	}
	if (c)
		memset(c, 0, sizeof(*c));
	if (!buf && len)
		return -EBADMSG;
	if (len > HA_CKPT_MAX_LEN)
		return -EMSGSIZE;
	/* A session record as we write it: straight into r. */
	if (flat && r != NULL) {
		rc = ckpt_session_rec_read(buf, len, r, seq, version);
		if (rc < 0)
			memset(r, 0, sizeof(*r));
		if (rc <= 0)
			return rc < 0 ? rc : CKPT_RECORD;
	}
	/* The stream's records (ckpt_flat.c), read in place; anything
	 * else, protobuf-c's. */
	if (flat && r != NULL && ckpt_flat_envelope(buf, len, &flat_env, &flat_body) == 0) {
		if (seq)
			*seq = flat_env.seq;
		if (version)
			*version = flat_env.schema_version;
		rc = ckpt_rec_get(&flat_env, r);
		if (rc < 0) {
			ha_rec_clear(r);
			memset(r, 0, sizeof(*r));
		}
		return rc < 0 ? rc : CKPT_RECORD;
	}
	env = l2tpha__envelope__unpack(&alloc, len, buf);
	if (!env)
		return -EBADMSG;
	if (seq)
		*seq = env->seq;
	if (version)
		*version = env->schema_version;

	if (env->body_case == L2TPHA__ENVELOPE__BODY_CTL) {
		rc = c ? ckpt_ctl_get(env->ctl, c) : -EBADMSG;
		if (rc == 0)
			rc = CKPT_CTL;
	} else if (r) {
		rc = ckpt_rec_get(env, r);
		if (rc < 0) {
			ha_rec_clear(r);
			memset(r, 0, sizeof(*r));
		} else
			rc = CKPT_RECORD;
	} else {
		rc = -EBADMSG;
	}
	/* All of it in the arena: nothing to walk. */
	if (arena.spilled)
		l2tpha__envelope__free_unpacked(env, &alloc);
	return rc;
}

int ckpt_decode_msg(const uint8_t *buf, size_t len, struct ha_rec *r, struct ha_ctl *c,
		    uint64_t *seq, uint32_t *version)
{
	return ckpt_decode_any(buf, len, r, c, seq, version, 1);
}

int ckpt_decode_msg_pbc(const uint8_t *buf, size_t len, struct ha_rec *r, struct ha_ctl *c,
			uint64_t *seq, uint32_t *version)
{
	return ckpt_decode_any(buf, len, r, c, seq, version, 0);
}

int ckpt_decode(const uint8_t *buf, size_t len, struct ha_rec *r, uint64_t *seq,
		uint32_t *version)
{
	int rc;

	if (!r)
		return -EINVAL;
	rc = ckpt_decode_msg(buf, len, r, NULL, seq, version);
	return rc < 0 ? rc : 0;
}
