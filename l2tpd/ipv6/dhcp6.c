/*
 * DHCPv6 message parser (RFC 8415 §8, §21; see ipv6/dhcp6.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "ipv6/dhcp6.h"

#define DHCP6_HDR_LEN	4	/* msg-type, transaction-id */
#define DHCP6_OPT_HDR	4	/* option-code, option-len */
#define DHCP6_IA_LEN	12	/* IAID, T1, T2 */
#define DHCP6_IAADDR_LEN	24
#define DHCP6_IAPREFIX_LEN	25

/* The options of one level: message, IA, or IA Address/Prefix. */
struct dhcp6_walk {
	const uint8_t *p;
	size_t len;
	size_t off;
};

static const char *const dhcp6_type_names[] = {
	[DHCP6_SOLICIT] = "SOLICIT",
	[DHCP6_ADVERTISE] = "ADVERTISE",
	[DHCP6_REQUEST] = "REQUEST",
	[DHCP6_CONFIRM] = "CONFIRM",
	[DHCP6_RENEW] = "RENEW",
	[DHCP6_REBIND] = "REBIND",
	[DHCP6_REPLY] = "REPLY",
	[DHCP6_RELEASE] = "RELEASE",
	[DHCP6_DECLINE] = "DECLINE",
	[DHCP6_RECONFIGURE] = "RECONFIGURE",
	[DHCP6_INFORMATION_REQUEST] = "INFORMATION-REQUEST",
};

static const char *const dhcp6_status_names[] = {
	[DHCP6_ST_SUCCESS] = "Success",
	[DHCP6_ST_UNSPEC_FAIL] = "UnspecFail",
	[DHCP6_ST_NO_ADDRS_AVAIL] = "NoAddrsAvail",
	[DHCP6_ST_NO_BINDING] = "NoBinding",
	[DHCP6_ST_NOT_ON_LINK] = "NotOnLink",
	[DHCP6_ST_USE_MULTICAST] = "UseMulticast",
	[DHCP6_ST_NO_PREFIX_AVAIL] = "NoPrefixAvail",
};

const char *dhcp6_type_name(uint8_t type)
{
	if (type >= ARRAY_SIZE(dhcp6_type_names) || dhcp6_type_names[type] == NULL)
		return "UNKNOWN";
	return dhcp6_type_names[type];
}

const char *dhcp6_status_name(uint16_t status)
{
	if (status >= ARRAY_SIZE(dhcp6_status_names) || dhcp6_status_names[status] == NULL)
		return "Unknown";
	return dhcp6_status_names[status];
}

void dhcp6_msg_init(struct dhcp6_msg *m, uint8_t type, uint32_t xid)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->xid = xid & 0xffffff;
	m->status = DHCP6_ST_NONE;
}

/* The next option of w: 1 with its code and body, 0 at the end, or
 * -EINVAL (counted) when its header or body is cut by the end.  (The
 * callers initialise what this sets only on 1, for the compiler's sake.) */
static int dhcp6_next(struct dhcp6_walk *w, uint16_t *code, const uint8_t **body, size_t *blen,
		      struct ipv6_stats *st)
{
	size_t olen;

	if (w->off == w->len)
		return 0;
	if (w->len - w->off < DHCP6_OPT_HDR)
		return ipv6_refuse(st, IPV6_ERR_DHCP_OPT_TRUNC);
	*code = ipv6_get16(w->p + w->off);
	olen = ipv6_get16(w->p + w->off + 2);
	if (olen > w->len - w->off - DHCP6_OPT_HDR)
		return ipv6_refuse(st, IPV6_ERR_DHCP_OPT_PAST);
	*body = w->p + w->off + DHCP6_OPT_HDR;
	*blen = olen;
	w->off += DHCP6_OPT_HDR + olen;
	return 1;
}

/* A Status Code option (§21.13): the code; its message is not kept. */
static int dhcp6_status(const uint8_t *b, size_t len, uint16_t *out, struct ipv6_stats *st)
{
	if (len < 2)
		return ipv6_refuse(st, IPV6_ERR_DHCP_OPT_LEN);
	if (*out != DHCP6_ST_NONE)
		return ipv6_refuse(st, IPV6_ERR_DHCP_DUP);
	*out = ipv6_get16(b);
	return 0;
}

/* The options inside an IA Address or IA Prefix: a Status Code. */
static int dhcp6_lease_opts(const uint8_t *b, size_t len, struct dhcp6_lease *l,
			    struct ipv6_stats *st)
{
	struct dhcp6_walk w = { b, len, 0 };
	const uint8_t *ob = NULL;
	uint16_t code = 0;
	size_t olen = 0;
	int rc;

	while ((rc = dhcp6_next(&w, &code, &ob, &olen, st)) > 0) {
		if (code == DHCP6_OPT_STATUS_CODE)
			rc = dhcp6_status(ob, olen, &l->status, st);
		else if (st != NULL)
			st->unknown_opts++;
		if (rc < 0)
			return rc;
	}
	return rc;
}

static int dhcp6_lease(const uint8_t *b, size_t len, uint16_t code, struct dhcp6_ia *ia,
		       struct ipv6_stats *st)
{
	struct dhcp6_lease *l;

	if (ia->n_lease == DHCP6_LEASE_MAX)
		return ipv6_refuse(st, IPV6_ERR_DHCP_TOO_MANY);
	l = &ia->lease[ia->n_lease];
	memset(l, 0, sizeof(*l));
	l->status = DHCP6_ST_NONE;
	if (code == DHCP6_OPT_IAADDR) {	/* §21.6: address, preferred, valid */
		if (len < DHCP6_IAADDR_LEN)
			return ipv6_refuse(st, IPV6_ERR_DHCP_OPT_LEN);
		memcpy(l->addr, b, IPV6_ADDR_LEN);
		l->plen = 128;
		l->preferred = ipv6_get32(b + 16);
		l->valid = ipv6_get32(b + 20);
	} else {			/* §21.22: preferred, valid, length, prefix */
		if (len < DHCP6_IAPREFIX_LEN || b[8] > 128)
			return ipv6_refuse(st, IPV6_ERR_DHCP_OPT_LEN);
		l->preferred = ipv6_get32(b);
		l->valid = ipv6_get32(b + 4);
		l->plen = b[8];
		memcpy(l->addr, b + 9, IPV6_ADDR_LEN);
	}
	ia->n_lease++;
	if (code == DHCP6_OPT_IAADDR)
		return dhcp6_lease_opts(b + DHCP6_IAADDR_LEN, len - DHCP6_IAADDR_LEN, l, st);
	return dhcp6_lease_opts(b + DHCP6_IAPREFIX_LEN, len - DHCP6_IAPREFIX_LEN, l, st);
}

/* An IA_NA (§21.4) or IA_PD (§21.21): its fixed part, then IA Addresses
 * (IA_NA) or IA Prefixes (IA_PD) and a Status Code. */
static int dhcp6_ia(const uint8_t *b, size_t len, uint16_t code, struct dhcp6_msg *m,
		    struct ipv6_stats *st)
{
	uint16_t want = code == DHCP6_OPT_IA_NA ? DHCP6_OPT_IAADDR : DHCP6_OPT_IAPREFIX;
	struct dhcp6_walk w;
	struct dhcp6_ia *ia;
	const uint8_t *ob = NULL;
	uint16_t oc = 0;
	size_t olen = 0;
	int rc;

	if (len < DHCP6_IA_LEN)
		return ipv6_refuse(st, IPV6_ERR_DHCP_OPT_LEN);
	if (m->n_ia == DHCP6_IA_MAX)
		return ipv6_refuse(st, IPV6_ERR_DHCP_TOO_MANY);
	ia = &m->ia[m->n_ia++];
	memset(ia, 0, sizeof(*ia));
	ia->code = code;
	ia->iaid = ipv6_get32(b);
	ia->t1 = ipv6_get32(b + 4);
	ia->t2 = ipv6_get32(b + 8);
	ia->status = DHCP6_ST_NONE;
	w = (struct dhcp6_walk){ b + DHCP6_IA_LEN, len - DHCP6_IA_LEN, 0 };
	while ((rc = dhcp6_next(&w, &oc, &ob, &olen, st)) > 0) {
		if (oc == want)
			rc = dhcp6_lease(ob, olen, oc, ia, st);
		else if (oc == DHCP6_OPT_STATUS_CODE)
			rc = dhcp6_status(ob, olen, &ia->status, st);
		else if (st != NULL)
			st->unknown_opts++;
		if (rc < 0)
			return rc;
	}
	return rc;
}

static int dhcp6_duid(const uint8_t *b, size_t len, struct dhcp6_duid *d, struct ipv6_stats *st)
{
	/* §11.1: a type and at least one octet, at most 128 */
	if (len < 3 || len > DHCP6_DUID_MAX)
		return ipv6_refuse(st, IPV6_ERR_DHCP_OPT_LEN);
	if (d->len != 0)
		return ipv6_refuse(st, IPV6_ERR_DHCP_DUP);
	d->len = (uint8_t)len;
	memcpy(d->b, b, len);
	return 0;
}

static int dhcp6_oro(const uint8_t *b, size_t len, struct dhcp6_msg *m, struct ipv6_stats *st)
{
	size_t i;

	if (len % 2 != 0)
		return ipv6_refuse(st, IPV6_ERR_DHCP_OPT_LEN);
	if (m->n_oro != 0)
		return ipv6_refuse(st, IPV6_ERR_DHCP_DUP);
	for (i = 0; i < len; i += 2) {
		if (m->n_oro == DHCP6_ORO_MAX)
			return ipv6_refuse(st, IPV6_ERR_DHCP_TOO_MANY);
		m->oro[m->n_oro++] = ipv6_get16(b + i);
	}
	return 0;
}

static int dhcp6_dns(const uint8_t *b, size_t len, struct dhcp6_msg *m, struct ipv6_stats *st)
{
	size_t i;

	/* RFC 3646 §3: a multiple of 16 octets */
	if (len == 0 || len % IPV6_ADDR_LEN != 0)
		return ipv6_refuse(st, IPV6_ERR_DHCP_OPT_LEN);
	if (m->n_dns != 0)
		return ipv6_refuse(st, IPV6_ERR_DHCP_DUP);
	if (len / IPV6_ADDR_LEN > DHCP6_DNS_MAX)
		return ipv6_refuse(st, IPV6_ERR_DHCP_TOO_MANY);
	for (i = 0; i < len; i += IPV6_ADDR_LEN)
		memcpy(m->dns[m->n_dns++], b + i, IPV6_ADDR_LEN);
	return 0;
}

/* A fixed-length option that may appear once. */
static int dhcp6_once(size_t len, size_t want, int *seen, struct ipv6_stats *st)
{
	if (len != want)
		return ipv6_refuse(st, IPV6_ERR_DHCP_OPT_LEN);
	if (*seen)
		return ipv6_refuse(st, IPV6_ERR_DHCP_DUP);
	*seen = 1;
	return 0;
}

static int dhcp6_opt(uint16_t code, const uint8_t *b, size_t len, struct dhcp6_msg *m,
		     struct ipv6_stats *st)
{
	int rc;

	switch (code) {
	case DHCP6_OPT_CLIENTID:
		return dhcp6_duid(b, len, &m->client, st);
	case DHCP6_OPT_SERVERID:
		return dhcp6_duid(b, len, &m->server, st);
	case DHCP6_OPT_IA_NA:
	case DHCP6_OPT_IA_PD:
		return dhcp6_ia(b, len, code, m, st);
	case DHCP6_OPT_ORO:
		return dhcp6_oro(b, len, m, st);
	case DHCP6_OPT_PREFERENCE:
		rc = dhcp6_once(len, 1, &m->has_preference, st);
		if (rc == 0)
			m->preference = b[0];
		return rc;
	case DHCP6_OPT_ELAPSED_TIME:
		rc = dhcp6_once(len, 2, &m->has_elapsed, st);
		if (rc == 0)
			m->elapsed = ipv6_get16(b);
		return rc;
	case DHCP6_OPT_STATUS_CODE:
		return dhcp6_status(b, len, &m->status, st);
	case DHCP6_OPT_RAPID_COMMIT:
		return dhcp6_once(len, 0, &m->rapid_commit, st);
	case DHCP6_OPT_DNS_SERVERS:
		return dhcp6_dns(b, len, m, st);
	default:
		if (st != NULL)
			st->unknown_opts++;	/* RFC 8415 §16: ignored */
		return 0;
	}
}

int dhcp6_parse(const uint8_t *buf, size_t len, struct dhcp6_msg *m, struct ipv6_stats *st)
{
	struct dhcp6_walk w;
	const uint8_t *b = NULL;
	uint16_t code = 0;
	size_t blen = 0;
	int rc;

	if (len < DHCP6_HDR_LEN)
		return ipv6_refuse(st, IPV6_ERR_DHCP_SHORT);
	dhcp6_msg_init(m, buf[0], (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3]);
	w = (struct dhcp6_walk){ buf + DHCP6_HDR_LEN, len - DHCP6_HDR_LEN, 0 };
	while ((rc = dhcp6_next(&w, &code, &b, &blen, st)) > 0) {
		rc = dhcp6_opt(code, b, blen, m, st);
		if (rc < 0)
			return rc;
	}
	return rc;
}

int dhcp6_server_check(const struct dhcp6_msg *m, struct ipv6_stats *st)
{
	int server;

	switch (m->type) {
	case DHCP6_REQUEST:	/* §16.4 */
	case DHCP6_RENEW:	/* §16.6 */
	case DHCP6_RELEASE:	/* §16.9 */
	case DHCP6_DECLINE:	/* §16.8 */
		server = 1;
		break;
	case DHCP6_SOLICIT:	/* §16.2 */
	case DHCP6_CONFIRM:	/* §16.5 */
	case DHCP6_REBIND:	/* §16.7 */
		server = 0;
		break;
	case DHCP6_INFORMATION_REQUEST:	/* §16.12: a Server Identifier may be there */
		return 0;
	default:
		return ipv6_refuse(st, IPV6_ERR_DHCP_TYPE);
	}
	if (m->client.len == 0 || (m->server.len != 0) != server)
		return ipv6_refuse(st, IPV6_ERR_DHCP_IDS);
	return 0;
}

struct dhcp6_ia *dhcp6_find_ia(struct dhcp6_msg *m, uint16_t code, uint32_t iaid)
{
	unsigned i;

	for (i = 0; i < m->n_ia; i++)
		if (m->ia[i].code == code && m->ia[i].iaid == iaid)
			return &m->ia[i];
	return NULL;
}

void dhcp6_duid_uuid(struct dhcp6_duid *d, const uint8_t uuid[16])
{
	d->len = 18;
	ipv6_put16(d->b, 4);
	memcpy(d->b + 2, uuid, 16);
}

int dhcp6_duid_equal(const struct dhcp6_duid *a, const struct dhcp6_duid *b)
{
	return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

void dhcp6_duid_format(const struct dhcp6_duid *d, char *out, size_t cap)
{
	size_t i, o = 0;

	if (cap == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < d->len && o + 3 <= cap; i++)
		o += (size_t)snprintf(out + o, cap - o, i ? ":%02x" : "%02x", d->b[i]);
}
