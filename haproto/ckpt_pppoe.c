/*
 * Checkpoint records of the access side <-> checkpoint.proto (schema 4):
 * a PPPoE session relayed into a call (PppoeSession) and its end
 * (PppoeDelete).  As in ckpt.c, every decoded value is checked against
 * the C field it lands in.
 */
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

int ckpt_pppoe_get(const L2tpha__PppoeSession *m, struct ha_pppoe_rec *p)
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
	/* the call it is relayed into: a real tunnel and session (§3.1) */
	if (p->tid == 0 || p->sid == 0 || p->ifname[0] == '\0')
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

int ckpt_pppoe_del_get(const L2tpha__PppoeDelete *m, struct ha_pppoe_delete_rec *p)
{
	if (ckpt_pppoe_u16(m->id, &p->id) || !ckpt_pppoe_id_ok(p->id))
		return -EBADMSG;
	return 0;
}
