/*
 * Checkpoint records of the access side <-> checkpoint.proto (schema 4):
 * a PPPoE session relayed into a call (PppoeSession), one terminated here
 * with its PPP and its accounting (PppoeLocal, schema 5) and their end (PppoeDelete).  As in ckpt.c, every decoded value is checked against
 * the C field it lands in.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "haproto/ckpt_int.h"

/* Text of a fixed array, NUL-terminated: refused when it is not. */
static int ckpt_pppoe_text(ProtobufCBinaryData *b, const char *s, size_t max)
{
	size_t len = strnlen(s, max);

	if (len == max)
		return -EINVAL;
	*b = ckpt_blob(s, len);
	return 0;
}

int ckpt_pppoe_fill(L2tpha__PppoeSession *m, uint32_t *vlan, const struct ha_pppoe_rec *p)
{
	int err = 0;

	if (p->nvlan > HA_PPPOE_VLANS || p->relay_sid_len > HA_PPPOE_RELAY_SID_MAX)
		return -EINVAL;
	l2tpha__pppoe_session__init(m);
	m->id = p->id;
	m->mac = ckpt_blob(p->mac, HA_MAC_LEN);
	err |= ckpt_pppoe_text(&m->ifname, p->ifname, sizeof(p->ifname));
	for (unsigned i = 0; i < p->nvlan; i++)
		vlan[i] = p->vlan[i];
	m->n_vlan = p->nvlan;
	m->vlan = vlan;
	m->tid = p->tid;
	m->sid = p->sid;
	m->state = p->state;
	err |= ckpt_pppoe_text(&m->user, p->user, sizeof(p->user));
	err |= ckpt_pppoe_text(&m->service, p->service, sizeof(p->service));
	err |= ckpt_pppoe_text(&m->circuit_id, p->circuit_id, sizeof(p->circuit_id));
	err |= ckpt_pppoe_text(&m->remote_id, p->remote_id, sizeof(p->remote_id));
	m->rate_up = p->rate_up;
	m->rate_down = p->rate_down;
	m->max_payload = p->max_payload;
	m->relay_sid = ckpt_blob(p->relay_sid, p->relay_sid_len);
	m->created_ms = p->created_ms;
	m->rx_frames = p->rx_frames;
	m->tx_frames = p->tx_frames;
	m->rx_bytes = p->rx_bytes;
	m->tx_bytes = p->tx_bytes;
	return err ? -EINVAL : 0;
}

static int ckpt_pppoe_u16(uint32_t v, uint16_t *out)
{
	if (v > UINT16_MAX)
		return -EBADMSG;
	*out = (uint16_t)v;
	return 0;
}

/* RFC 2516 §4: SESSION_ID 0 is discovery's, 0xffff reserved: no session. */
static int ckpt_pppoe_id_ok(uint16_t id)
{
	return id != 0 && id != 0xffff;
}

/* The session part, whichever kind. */
static int ckpt_pppoe_session_get(const L2tpha__PppoeSession *m, struct ha_pppoe_rec *p)
{
	if (ckpt_pppoe_u16(m->id, &p->id) || !ckpt_pppoe_id_ok(p->id) ||
	    ckpt_pppoe_u16(m->tid, &p->tid) || ckpt_pppoe_u16(m->sid, &p->sid) ||
	    ckpt_pppoe_u16(m->max_payload, &p->max_payload) || m->state > UINT8_MAX ||
	    m->mac.len != HA_MAC_LEN || !m->mac.data || m->n_vlan > HA_PPPOE_VLANS ||
	    m->relay_sid.len > HA_PPPOE_RELAY_SID_MAX ||
	    (m->relay_sid.len && !m->relay_sid.data) ||
	    ckpt_text_get(&m->ifname, p->ifname, sizeof(p->ifname)) ||
	    ckpt_text_get(&m->user, p->user, sizeof(p->user)) ||
	    ckpt_text_get(&m->service, p->service, sizeof(p->service)) ||
	    ckpt_text_get(&m->circuit_id, p->circuit_id, sizeof(p->circuit_id)) ||
	    ckpt_text_get(&m->remote_id, p->remote_id, sizeof(p->remote_id)))
		return -EBADMSG;
	if (p->ifname[0] == '\0')
		return -EBADMSG;
	memcpy(p->mac, m->mac.data, HA_MAC_LEN);
	p->nvlan = (uint8_t)m->n_vlan;
	for (unsigned i = 0; i < p->nvlan; i++) {
		if (m->vlan[i] == 0 || m->vlan[i] > 4094)	/* 802.1Q VID */
			return -EBADMSG;
		p->vlan[i] = (uint16_t)m->vlan[i];
	}
	p->state = (uint8_t)m->state;
	p->rate_up = m->rate_up;
	p->rate_down = m->rate_down;
	p->relay_sid_len = (uint8_t)m->relay_sid.len;
	if (p->relay_sid_len)
		memcpy(p->relay_sid, m->relay_sid.data, p->relay_sid_len);
	p->created_ms = m->created_ms;
	p->rx_frames = m->rx_frames;
	p->tx_frames = m->tx_frames;
	p->rx_bytes = m->rx_bytes;
	p->tx_bytes = m->tx_bytes;
	return 0;
}

int ckpt_pppoe_get(const L2tpha__PppoeSession *m, struct ha_pppoe_rec *p)
{
	int rc = ckpt_pppoe_session_get(m, p);

	/* the call it is relayed into: a real tunnel and session (§3.1) */
	if (rc == 0 && (p->tid == 0 || p->sid == 0))
		rc = -EBADMSG;
	return rc;
}

/* The accounting's interval, start and counters, field for field: the
 * record (ha_rec.h) and the message (checkpoint.proto) name them alike,
 * each of the same width, so the copy either way loses nothing. */
#define CKPT_PPPOE_ACCT_COPY(to, from)                               \
	do {                                                         \
		(to)->acct_interval = (from)->acct_interval;         \
		(to)->acct_up_ms = (from)->acct_up_ms;               \
		(to)->acct_in_octets = (from)->acct_in_octets;       \
		(to)->acct_out_octets = (from)->acct_out_octets;     \
		(to)->acct_in_packets = (from)->acct_in_packets;     \
		(to)->acct_out_packets = (from)->acct_out_packets;   \
	} while (0)

/* The accounting of a session terminated here, once started. */
static int ckpt_pppoe_acct_fill(L2tpha__PppoeLocal *m, const struct ha_pppoe_ppp *q)
{
	if (q->class_len > HA_CLASS_MAX)
		return -EINVAL;
	m->acct_started = 1;
	m->class_attr = ckpt_blob(q->class_attr, q->class_len);
	m->acct_authentic = q->acct_authentic;
	CKPT_PPPOE_ACCT_COPY(m, q);
	return ckpt_pppoe_text(&m->acct_session_id, q->acct_session_id,
			       sizeof(q->acct_session_id));
}

/* ... and back: an Acct-Session-Id there is, a Class that fits. */
static int ckpt_pppoe_acct_get(const L2tpha__PppoeLocal *m, struct ha_pppoe_ppp *q)
{
	if (!m->acct_started)
		return 0;
	if (ckpt_text_get(&m->acct_session_id, q->acct_session_id, sizeof(q->acct_session_id)) ||
	    q->acct_session_id[0] == '\0' || m->class_attr.len > HA_CLASS_MAX ||
	    (m->class_attr.len && !m->class_attr.data) || m->acct_authentic > UINT8_MAX)
		return -EBADMSG;
	q->acct_started = 1;
	q->class_len = (uint8_t)m->class_attr.len;
	if (q->class_len)
		memcpy(q->class_attr, m->class_attr.data, q->class_len);
	q->acct_authentic = (uint8_t)m->acct_authentic;
	CKPT_PPPOE_ACCT_COPY(q, m);
	return 0;
}

int ckpt_pppoe_local_fill(L2tpha__PppoeLocal *m, L2tpha__PppoeSession *sm, uint32_t *vlan,
			  const struct ha_pppoe_rec *p)
{
	const struct ha_pppoe_ppp *q = &p->ppp;
	int err;

	if (!p->local || p->tid != 0 || p->sid != 0)
		return -EINVAL;
	err = ckpt_pppoe_fill(sm, vlan, p);
	l2tpha__pppoe_local__init(m);
	m->session = sm;
	m->mru = q->mru;
	m->peer_mru = q->peer_mru;
	m->magic = q->magic;
	m->peer_magic = q->peer_magic;
	m->auth = q->auth;
	m->ipcp_open = !!q->ipcp_open;
	m->local_ip = ntohl(q->local_ip);
	m->peer_ip = ntohl(q->peer_ip);
	m->dns0 = ntohl(q->dns[0]);
	m->dns1 = ntohl(q->dns[1]);
	m->ipv6cp_open = !!q->ipv6cp_open;
	if (q->ipv6cp_open) {
		m->local_ifid = ckpt_blob(q->local_ifid, sizeof(q->local_ifid));
		m->peer_ifid = ckpt_blob(q->peer_ifid, sizeof(q->peer_ifid));
	}
	err |= ckpt_pppoe_text(&m->pool, q->pool, sizeof(q->pool));
	err |= ckpt_pppoe_text(&m->unit, q->unit, sizeof(q->unit));
	if (q->acct_started)
		err |= ckpt_pppoe_acct_fill(m, q);
	return err ? -EINVAL : 0;
}

int ckpt_pppoe_local_get(const L2tpha__PppoeLocal *m, struct ha_pppoe_rec *p)
{
	struct ha_pppoe_ppp *q = &p->ppp;

	if (m->session == NULL || ckpt_pppoe_session_get(m->session, p) < 0)
		return -EBADMSG;
	/* terminated here: no call; RFC 1661 §6.1: an MRU fits 16 bits */
	if (p->tid != 0 || p->sid != 0 || ckpt_pppoe_u16(m->mru, &q->mru) ||
	    ckpt_pppoe_u16(m->peer_mru, &q->peer_mru) || m->auth > UINT8_MAX ||
	    ckpt_ifid_get(&m->local_ifid, q->local_ifid) ||
	    ckpt_ifid_get(&m->peer_ifid, q->peer_ifid) ||
	    ckpt_text_get(&m->pool, q->pool, sizeof(q->pool)) ||
	    ckpt_text_get(&m->unit, q->unit, sizeof(q->unit)) || ckpt_pppoe_acct_get(m, q))
		return -EBADMSG;
	p->local = 1;
	q->magic = m->magic;
	q->peer_magic = m->peer_magic;
	q->auth = (uint8_t)m->auth;
	q->ipcp_open = !!m->ipcp_open;
	q->local_ip = htonl(m->local_ip);
	q->peer_ip = htonl(m->peer_ip);
	q->dns[0] = htonl(m->dns0);
	q->dns[1] = htonl(m->dns1);
	q->ipv6cp_open = !!m->ipv6cp_open;
	return 0;
}

int ckpt_pppoe_del_get(const L2tpha__PppoeDelete *m, struct ha_pppoe_delete_rec *p)
{
	if (ckpt_pppoe_u16(m->id, &p->id) || !ckpt_pppoe_id_ok(p->id))
		return -EBADMSG;
	return 0;
}
