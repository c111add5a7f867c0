/*
 * RADIUS packet codec (see radius.h).
 *
 * Building appends attributes to a struct radius_pkt; nothing secret is
 * computed until radius_pkt_finish(), which the client runs on a copy per
 * server (each has its own secret).  Parsing checks every length before
 * reading and never writes into the packet; verification works on a copy.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <nettle/hmac.h>
#include <nettle/md5.h>

#include "aaa/radius.h"

static void radius_put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static size_t radius_get16(const uint8_t *p)
{
	return (size_t)p[0] << 8 | p[1];
}

/* Constant time: the time taken does not tell where they differ. */
static int radius_memeq(const uint8_t *a, const uint8_t *b, size_t len)
{
	unsigned diff = 0;

	for (size_t i = 0; i < len; i++)
		diff |= (unsigned)(a[i] ^ b[i]);
	return diff == 0;
}

/* ---------------------------------------------------------------- */
/* Building                                                          */
/* ---------------------------------------------------------------- */

void radius_pkt_init(struct radius_pkt *p, uint8_t code)
{
	memset(p->buf, 0, RADIUS_HDR_LEN);
	p->buf[0] = code;
	p->len = RADIUS_HDR_LEN;
	radius_put16(p->buf + 2, p->len);
}

uint8_t radius_pkt_code(const struct radius_pkt *p)
{
	return p->buf[0];
}

int radius_put(struct radius_pkt *p, uint8_t type, const void *val, size_t len)
{
	if (len > RADIUS_ATTR_MAX_VAL || (len > 0 && val == NULL))
		return -EINVAL;
	if (p->len < RADIUS_HDR_LEN || p->len > RADIUS_MAX_LEN ||
	    RADIUS_MAX_LEN - p->len < len + 2)
		return -ENOSPC;
	p->buf[p->len] = type;
	p->buf[p->len + 1] = (uint8_t)(len + 2);
	if (len)
		memcpy(p->buf + p->len + 2, val, len);
	p->len += len + 2;
	radius_put16(p->buf + 2, p->len);
	return 0;
}

int radius_put_u32(struct radius_pkt *p, uint8_t type, uint32_t v)
{
	uint32_t n = htonl(v);

	return radius_put(p, type, &n, 4);
}

int radius_put_str(struct radius_pkt *p, uint8_t type, const char *s)
{
	/* RFC 2865 §5: a string attribute is at least one octet */
	if (s == NULL || !*s)
		return -EINVAL;
	return radius_put(p, type, s, strlen(s));
}

int radius_put_addr(struct radius_pkt *p, uint8_t type, struct in_addr a)
{
	return radius_put(p, type, &a.s_addr, 4);
}

int radius_put_vsa(struct radius_pkt *p, uint32_t vendor, uint8_t vtype, const void *val,
		   size_t len)
{
	uint8_t v[RADIUS_ATTR_MAX_VAL];
	uint32_t n = htonl(vendor);

	/* Vendor-Id (4), vendor type (1), vendor length (1), value */
	if (len > RADIUS_ATTR_MAX_VAL - 6 || (len > 0 && val == NULL))
		return -EINVAL;
	memcpy(v, &n, 4);
	v[4] = vtype;
	v[5] = (uint8_t)(len + 2);
	if (len)
		memcpy(v + 6, val, len);
	return radius_put(p, RADIUS_ATTR_VENDOR_SPECIFIC, v, len + 6);
}

int radius_put_password(struct radius_pkt *p, const uint8_t *pw, size_t len)
{
	uint8_t v[RADIUS_PASSWORD_MAX];
	size_t padded = len == 0 ? 16 : (len + 15) & ~(size_t)15;
	int rc;

	if (len > RADIUS_PASSWORD_MAX || (len > 0 && pw == NULL))
		return -EINVAL;
	memset(v, 0, sizeof v);
	if (len)
		memcpy(v, pw, len);
	rc = radius_put(p, RADIUS_ATTR_USER_PASSWORD, v, padded);
	memset(v, 0, sizeof v);
	return rc;
}

int radius_put_msgauth(struct radius_pkt *p)
{
	static const uint8_t zero[RADIUS_AUTH_LEN];

	return radius_put(p, RADIUS_ATTR_MESSAGE_AUTHENTICATOR, zero, sizeof zero);
}

uint8_t *radius_pkt_find(struct radius_pkt *p, uint8_t type, size_t *len)
{
	size_t off = RADIUS_HDR_LEN;

	while (off + 2 <= p->len && off + 2 <= RADIUS_MAX_LEN) {
		size_t alen = p->buf[off + 1];

		if (alen < 2 || off + alen > p->len)
			return NULL;
		if (p->buf[off] == type) {
			if (len)
				*len = alen - 2;
			return p->buf + off + 2;
		}
		off += alen;
	}
	return NULL;
}

int radius_pkt_set_u32(struct radius_pkt *p, uint8_t type, uint32_t v)
{
	size_t len;
	uint8_t *val = radius_pkt_find(p, type, &len);
	uint32_t n = htonl(v);

	if (val == NULL)
		return -ENOENT;
	if (len != 4)
		return -EINVAL;
	memcpy(val, &n, 4);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Finishing: hiding, Message-Authenticator, Authenticator           */
/* ---------------------------------------------------------------- */

/*
 * RFC 2865 §5.2: b1 = MD5(S + RA), c1 = p1 xor b1; bi = MD5(S + c(i-1)),
 * ci = pi xor bi.  In place; len a multiple of 16.  reveal: the inverse.
 */
static void radius_hide(uint8_t *v, size_t len, const char *secret, const uint8_t *ra,
			size_t ra_len, int reveal)
{
	uint8_t b[MD5_DIGEST_SIZE], c_prev[16];
	struct md5_ctx ctx;
	size_t slen = strlen(secret);

	for (size_t off = 0; off + 16 <= len; off += 16) {
		md5_init(&ctx);
		md5_update(&ctx, slen, (const uint8_t *)secret);
		if (off == 0)
			md5_update(&ctx, ra_len, ra);
		else
			md5_update(&ctx, 16, c_prev);
		md5_digest(&ctx, sizeof b, b);
		/* the next block chains on the ciphertext of this one */
		if (reveal)
			memcpy(c_prev, v + off, 16);
		for (size_t i = 0; i < 16; i++)
			v[off + i] ^= b[i];
		if (!reveal)
			memcpy(c_prev, v + off, 16);
	}
	memset(b, 0, sizeof b);
}

static void radius_md5_auth(const uint8_t *buf, size_t len, const uint8_t *auth,
			    const char *secret, uint8_t out[RADIUS_AUTH_LEN])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, 4, buf);
	md5_update(&ctx, RADIUS_AUTH_LEN, auth);
	md5_update(&ctx, len - RADIUS_HDR_LEN, buf + RADIUS_HDR_LEN);
	md5_update(&ctx, strlen(secret), (const uint8_t *)secret);
	md5_digest(&ctx, RADIUS_AUTH_LEN, out);
}

static void radius_hmac(const uint8_t *buf, size_t len, const char *secret,
			uint8_t out[RADIUS_AUTH_LEN])
{
	struct hmac_md5_ctx ctx;

	hmac_md5_set_key(&ctx, strlen(secret), (const uint8_t *)secret);
	hmac_md5_update(&ctx, len, buf);
	hmac_md5_digest(&ctx, RADIUS_AUTH_LEN, out);
}

int radius_code_is_request(uint8_t code)
{
	return code == RADIUS_ACCESS_REQUEST || code == RADIUS_ACCOUNTING_REQUEST ||
	       code == RADIUS_DISCONNECT_REQUEST || code == RADIUS_COA_REQUEST;
}

int radius_pkt_finish(struct radius_pkt *p, uint8_t id, const char *secret,
		      const uint8_t auth[RADIUS_AUTH_LEN])
{
	static const uint8_t zero[RADIUS_AUTH_LEN];
	uint8_t code = p->buf[0], *ma = NULL, digest[RADIUS_AUTH_LEN];
	size_t off = RADIUS_HDR_LEN;

	if (secret == NULL || !*secret)
		return -EINVAL;
	if (p->len < RADIUS_HDR_LEN || p->len > RADIUS_MAX_LEN)
		return -EINVAL;
	if (auth == NULL && (code == RADIUS_ACCESS_REQUEST || !radius_code_is_request(code)))
		return -EINVAL;
	p->buf[1] = id;
	radius_put16(p->buf + 2, p->len);
	/* the Authenticator the hiding and the Message-Authenticator see */
	if (code == RADIUS_ACCESS_REQUEST || !radius_code_is_request(code))
		memcpy(p->buf + 4, auth, RADIUS_AUTH_LEN);
	else
		memset(p->buf + 4, 0, RADIUS_AUTH_LEN);

	while (off + 2 <= p->len) {
		uint8_t type = p->buf[off];
		size_t alen = p->buf[off + 1];

		if (alen < 2 || off + alen > p->len)
			return -EINVAL;
		if (type == RADIUS_ATTR_USER_PASSWORD && code == RADIUS_ACCESS_REQUEST) {
			if ((alen - 2) % 16 != 0 || alen - 2 == 0)
				return -EINVAL;
			radius_hide(p->buf + off + 2, alen - 2, secret, p->buf + 4, RADIUS_AUTH_LEN, 0);
		} else if (type == RADIUS_ATTR_MESSAGE_AUTHENTICATOR && alen == 18 && !ma) {
			ma = p->buf + off + 2;
			memset(ma, 0, RADIUS_AUTH_LEN);
		}
		off += alen;
	}
	/* RFC 3579 §3.2: HMAC-MD5 over the packet with the field zeroed */
	if (ma != NULL) {
		radius_hmac(p->buf, p->len, secret, digest);
		memcpy(ma, digest, RADIUS_AUTH_LEN);
	}
	if (code == RADIUS_ACCESS_REQUEST)
		return 0;
	radius_md5_auth(p->buf, p->len, radius_code_is_request(code) ? zero : auth, secret, digest);
	memcpy(p->buf + 4, digest, RADIUS_AUTH_LEN);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Parsing                                                           */
/* ---------------------------------------------------------------- */

static int radius_parse_vsa(struct radius_msg *m, const uint8_t *v, size_t len)
{
	uint32_t vendor;
	size_t off = 4;
	unsigned first = m->n;

	if (len < 4 || m->n >= RADIUS_MAX_ATTRS)
		return -EBADMSG;
	vendor = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];
	/* the suggested format: type (1), length (>= 2), value, back to back */
	while (len > 4 && off < len) {
		size_t vlen;

		if (len - off < 2 || (vlen = v[off + 1]) < 2 || vlen > len - off ||
		    m->n >= RADIUS_MAX_ATTRS)
			break;
		m->a[m->n] = (struct radius_attr){ .type = RADIUS_ATTR_VENDOR_SPECIFIC,
			.vendor = vendor, .vtype = v[off], .len = (uint8_t)(vlen - 2),
			.val = v + off + 2 };
		m->n++;
		off += vlen;
	}
	if (off == len && len > 4)
		return 0;
	/* not in the suggested format: one opaque entry */
	m->n = first;
	if (m->n >= RADIUS_MAX_ATTRS)
		return -EBADMSG;
	m->a[m->n++] = (struct radius_attr){ .type = RADIUS_ATTR_VENDOR_SPECIFIC, .vendor = vendor,
		.vtype = 0, .len = (uint8_t)(len - 4), .val = v + 4 };
	return 0;
}

int radius_parse(const uint8_t *buf, size_t len, struct radius_msg *m)
{
	size_t plen, off = RADIUS_HDR_LEN;

	m->n = 0;
	m->buf = NULL;
	if (buf == NULL || len < RADIUS_HDR_LEN)
		return -EBADMSG;
	plen = radius_get16(buf + 2);
	/* RFC 2865 §3: shorter than Length: discard; longer: padding, ignored */
	if (plen < RADIUS_HDR_LEN || plen > RADIUS_MAX_LEN || plen > len)
		return -EBADMSG;
	m->code = buf[0];
	m->id = buf[1];
	memcpy(m->auth, buf + 4, RADIUS_AUTH_LEN);
	m->len = plen;
	while (off < plen) {
		uint8_t type;
		size_t alen;

		if (plen - off < 2)
			return -EBADMSG;
		type = buf[off];
		alen = buf[off + 1];
		if (alen < 2 || alen > plen - off)
			return -EBADMSG;
		/* RFC 3579 §3.2: exactly 16 octets */
		if (type == RADIUS_ATTR_MESSAGE_AUTHENTICATOR && alen != 18)
			return -EBADMSG;
		if (type == RADIUS_ATTR_VENDOR_SPECIFIC) {
			if (radius_parse_vsa(m, buf + off + 2, alen - 2) < 0)
				return -EBADMSG;
		} else {
			if (m->n >= RADIUS_MAX_ATTRS)
				return -EBADMSG;
			m->a[m->n++] = (struct radius_attr){ .type = type, .len = (uint8_t)(alen - 2),
							     .val = buf + off + 2 };
		}
		off += alen;
	}
	m->buf = buf;
	return 0;
}

const struct radius_attr *radius_find_next(const struct radius_msg *m,
					   const struct radius_attr *prev, uint8_t type)
{
	unsigned i = prev ? (unsigned)(prev - m->a) + 1 : 0;

	for (; i < m->n; i++)
		if (m->a[i].type == type && m->a[i].vendor == 0)
			return &m->a[i];
	return NULL;
}

const struct radius_attr *radius_find(const struct radius_msg *m, uint8_t type)
{
	/* a Vendor-Specific is found by radius_find_vsa(); by type: the first */
	if (type == RADIUS_ATTR_VENDOR_SPECIFIC) {
		for (unsigned i = 0; i < m->n; i++)
			if (m->a[i].type == type)
				return &m->a[i];
		return NULL;
	}
	return radius_find_next(m, NULL, type);
}

const struct radius_attr *radius_find_vsa(const struct radius_msg *m, uint32_t vendor,
					  uint8_t vtype)
{
	for (unsigned i = 0; i < m->n; i++)
		if (m->a[i].type == RADIUS_ATTR_VENDOR_SPECIFIC && m->a[i].vendor == vendor &&
		    m->a[i].vtype == vtype)
			return &m->a[i];
	return NULL;
}

int radius_get_u32(const struct radius_attr *a, uint32_t *v)
{
	if (a == NULL || a->len != 4)
		return -EBADMSG;
	*v = (uint32_t)a->val[0] << 24 | (uint32_t)a->val[1] << 16 | (uint32_t)a->val[2] << 8 |
	     a->val[3];
	return 0;
}

int radius_get_str(const struct radius_attr *a, char *out, size_t outsz)
{
	if (a == NULL || outsz == 0)
		return -EINVAL;
	if ((size_t)a->len >= outsz)
		return -ENOSPC;
	memcpy(out, a->val, a->len);
	out[a->len] = '\0';
	return 0;
}

/* ---------------------------------------------------------------- */
/* Verification                                                      */
/* ---------------------------------------------------------------- */

int radius_verify_response(const struct radius_msg *m, const uint8_t req_auth[RADIUS_AUTH_LEN],
			   const char *secret)
{
	uint8_t digest[RADIUS_AUTH_LEN];

	if (m->buf == NULL || secret == NULL)
		return -EBADMSG;
	radius_md5_auth(m->buf, m->len, req_auth, secret, digest);
	return radius_memeq(digest, m->auth, RADIUS_AUTH_LEN) ? 0 : -EBADMSG;
}

int radius_verify_request(const struct radius_msg *m, const char *secret)
{
	static const uint8_t zero[RADIUS_AUTH_LEN];

	return radius_verify_response(m, zero, secret);
}

int radius_verify_msgauth(const struct radius_msg *m, const uint8_t auth[RADIUS_AUTH_LEN],
			  const char *secret)
{
	uint8_t copy[RADIUS_MAX_LEN], digest[RADIUS_AUTH_LEN];
	const struct radius_attr *a = radius_find(m, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
	size_t off;

	if (a == NULL)
		return -ENOENT;
	if (m->buf == NULL || secret == NULL || a->len != RADIUS_AUTH_LEN || m->len > sizeof copy)
		return -EBADMSG;
	memcpy(copy, m->buf, m->len);
	if (auth)
		memcpy(copy + 4, auth, RADIUS_AUTH_LEN);
	else
		memset(copy + 4, 0, RADIUS_AUTH_LEN);
	off = (size_t)(a->val - m->buf);
	memset(copy + off, 0, RADIUS_AUTH_LEN);
	radius_hmac(copy, m->len, secret, digest);
	return radius_memeq(digest, a->val, RADIUS_AUTH_LEN) ? 0 : -EBADMSG;
}

/* ---------------------------------------------------------------- */
/* Hidden values                                                     */
/* ---------------------------------------------------------------- */

int radius_user_password(const struct radius_attr *a, const char *secret,
			 const uint8_t req_auth[RADIUS_AUTH_LEN], char *out, size_t outsz)
{
	uint8_t v[RADIUS_PASSWORD_MAX];
	size_t n;

	if (a == NULL || a->len == 0 || a->len % 16 || a->len > RADIUS_PASSWORD_MAX)
		return -EBADMSG;
	memcpy(v, a->val, a->len);
	radius_hide(v, a->len, secret, req_auth, RADIUS_AUTH_LEN, 1);
	n = strnlen((const char *)v, a->len);
	if (n >= outsz) {
		memset(v, 0, sizeof v);
		return -ENOSPC;
	}
	memcpy(out, v, n);
	out[n] = '\0';
	memset(v, 0, sizeof v);
	return 0;
}

/*
 * RFC 2868 §3.5: Tag (1), Salt (2, high bit set), then the string, its
 * first octet the length of the password, hidden as §5.2 hides
 * User-Password but with b(1) = MD5(S + R + A) over the Request
 * Authenticator R and the Salt A.
 */
int radius_tunnel_password(const struct radius_attr *a, const char *secret,
			   const uint8_t req_auth[RADIUS_AUTH_LEN], char *out, size_t outsz)
{
	uint8_t v[RADIUS_ATTR_MAX_VAL], ra[RADIUS_AUTH_LEN + 2];
	size_t clen, plen;

	if (a == NULL || secret == NULL || a->len < 3 + 16)
		return -EBADMSG;
	clen = a->len - 3;
	if (clen % 16 || !(a->val[1] & 0x80))
		return -EBADMSG;
	memcpy(ra, req_auth, RADIUS_AUTH_LEN);
	memcpy(ra + RADIUS_AUTH_LEN, a->val + 1, 2);
	memcpy(v, a->val + 3, clen);
	radius_hide(v, clen, secret, ra, sizeof ra, 1);
	plen = v[0];
	if (plen > clen - 1) {
		memset(v, 0, sizeof v);
		return -EBADMSG;
	}
	if (plen >= outsz) {
		memset(v, 0, sizeof v);
		return -ENOSPC;
	}
	memcpy(out, v + 1, plen);
	out[plen] = '\0';
	memset(v, 0, sizeof v);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Names                                                             */
/* ---------------------------------------------------------------- */

const char *radius_code_name(uint8_t code)
{
	switch (code) {
	case RADIUS_ACCESS_REQUEST: return "Access-Request";
	case RADIUS_ACCESS_ACCEPT: return "Access-Accept";
	case RADIUS_ACCESS_REJECT: return "Access-Reject";
	case RADIUS_ACCOUNTING_REQUEST: return "Accounting-Request";
	case RADIUS_ACCOUNTING_RESPONSE: return "Accounting-Response";
	case RADIUS_ACCESS_CHALLENGE: return "Access-Challenge";
	case RADIUS_DISCONNECT_REQUEST: return "Disconnect-Request";
	case RADIUS_DISCONNECT_ACK: return "Disconnect-ACK";
	case RADIUS_DISCONNECT_NAK: return "Disconnect-NAK";
	case RADIUS_COA_REQUEST: return "CoA-Request";
	case RADIUS_COA_ACK: return "CoA-ACK";
	case RADIUS_COA_NAK: return "CoA-NAK";
	default: return "unknown";
	}
}

const char *radius_error_cause_name(uint32_t cause)
{
	switch (cause) {
	case RADIUS_ERR_RESIDUAL_CONTEXT_REMOVED: return "Residual Session Context Removed";
	case RADIUS_ERR_INVALID_EAP_PACKET: return "Invalid EAP Packet (Ignored)";
	case RADIUS_ERR_UNSUPPORTED_ATTRIBUTE: return "Unsupported Attribute";
	case RADIUS_ERR_MISSING_ATTRIBUTE: return "Missing Attribute";
	case RADIUS_ERR_NAS_ID_MISMATCH: return "NAS Identification Mismatch";
	case RADIUS_ERR_INVALID_REQUEST: return "Invalid Request";
	case RADIUS_ERR_UNSUPPORTED_SERVICE: return "Unsupported Service";
	case RADIUS_ERR_UNSUPPORTED_EXTENSION: return "Unsupported Extension";
	case RADIUS_ERR_INVALID_ATTRIBUTE_VALUE: return "Invalid Attribute Value";
	case RADIUS_ERR_ADMIN_PROHIBITED: return "Administratively Prohibited";
	case RADIUS_ERR_NOT_ROUTABLE: return "Request Not Routable (Proxy)";
	case RADIUS_ERR_SESSION_NOT_FOUND: return "Session Context Not Found";
	case RADIUS_ERR_SESSION_NOT_REMOVABLE: return "Session Context Not Removable";
	case RADIUS_ERR_PROXY_ERROR: return "Other Proxy Processing Error";
	case RADIUS_ERR_RESOURCES_UNAVAILABLE: return "Resources Unavailable";
	case RADIUS_ERR_REQUEST_INITIATED: return "Request Initiated";
	case RADIUS_ERR_MULTIPLE_SESSIONS: return "Multiple Session Selection Unsupported";
	default: return "unknown";
	}
}
