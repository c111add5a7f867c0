/*
 * Hidden AVP values (RFC 2661 §4.3).
 *
 * The hidden subformat is Original Length (2 octets) | value | padding.  It
 * is cut into 16-octet chunks p1, p2, ... and each is xored with an MD5
 * digest:
 *	b1 = MD5(AVP type | secret | RV)	c1 = p1 xor b1
 *	bi = MD5(secret | c(i-1))		ci = pi xor bi
 * AVP type is the two-octet Attribute Type in network order, RV the value
 * of the Random Vector AVP in force.  The last chunk may be shorter than 16
 * octets; it is xored with the head of its digest.
 */
#include <errno.h>
#include <string.h>
#include <nettle/md5.h>

#include "core/rand.h"
#include "l2tp/hidden.h"

/* b1 = MD5(AVP type | secret | RV) (§4.3) */
static void l2tp_hidden_first_key(uint16_t attr_type, const uint8_t *secret, size_t secret_len,
				  const uint8_t *rv, size_t rv_len, uint8_t key[MD5_DIGEST_SIZE])
{
	struct md5_ctx ctx;
	uint8_t t[2] = { (uint8_t)(attr_type >> 8), (uint8_t)attr_type };

	md5_init(&ctx);
	md5_update(&ctx, sizeof(t), t);
	md5_update(&ctx, secret_len, secret);
	md5_update(&ctx, rv_len, rv);
	md5_digest(&ctx, MD5_DIGEST_SIZE, key);
}

/* bi = MD5(secret | c(i-1)) (§4.3); prev is always a whole 16-octet chunk */
static void l2tp_hidden_next_key(const uint8_t *secret, size_t secret_len,
				 const uint8_t prev[MD5_DIGEST_SIZE], uint8_t key[MD5_DIGEST_SIZE])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, secret_len, secret);
	md5_update(&ctx, MD5_DIGEST_SIZE, prev);
	md5_digest(&ctx, MD5_DIGEST_SIZE, key);
}

int l2tp_hidden_encode(uint16_t attr_type, const uint8_t *secret, size_t secret_len,
		       const uint8_t *rv, size_t rv_len, const uint8_t *val, size_t vlen,
		       size_t pad, uint8_t *out, size_t outsz)
{
	uint8_t key[MD5_DIGEST_SIZE];
	size_t total, pos, j, n;

	/* the Original Length field is 16 bits wide */
	if (vlen > UINT16_MAX || pad > UINT16_MAX)
		return -ENOSPC;
	total = 2 + vlen + pad;
	if (total > outsz || total > INT32_MAX)
		return -ENOSPC;

	out[0] = (uint8_t)(vlen >> 8);
	out[1] = (uint8_t)vlen;
	if (vlen)
		memmove(out + 2, val, vlen);
	if (pad)
		rand_bytes(out + 2 + vlen, pad);

	for (pos = 0; pos < total; pos += MD5_DIGEST_SIZE) {
		if (pos == 0)
			l2tp_hidden_first_key(attr_type, secret, secret_len, rv, rv_len, key);
		else
			l2tp_hidden_next_key(secret, secret_len, out + pos - MD5_DIGEST_SIZE, key);
		n = total - pos < MD5_DIGEST_SIZE ? total - pos : MD5_DIGEST_SIZE;
		for (j = 0; j < n; j++)
			out[pos + j] ^= key[j];
	}
	return (int)total;
}

int l2tp_hidden_decode(uint16_t attr_type, const uint8_t *secret, size_t secret_len,
		       const uint8_t *rv, size_t rv_len, const uint8_t *in, size_t inlen,
		       uint8_t *out, size_t outsz)
{
	uint8_t key[MD5_DIGEST_SIZE];
	size_t orig_len = 0, end, pos, j, n;

	if (inlen < 2)
		return -EBADMSG;

	l2tp_hidden_first_key(attr_type, secret, secret_len, rv, rv_len, key);
	orig_len = (size_t)((in[0] ^ key[0]) << 8 | (in[1] ^ key[1]));
	/* §4.3: the original value and its padding must fit in what was sent */
	if (orig_len > inlen - 2)
		return -EBADMSG;
	if (orig_len > outsz)
		return -ENOSPC;

	/* Only the chunks that carry the value are revealed; padding is skipped. */
	end = 2 + orig_len;
	for (pos = 0; pos < end; pos += MD5_DIGEST_SIZE) {
		if (pos != 0)
			l2tp_hidden_next_key(secret, secret_len, in + pos - MD5_DIGEST_SIZE, key);
		n = end - pos < MD5_DIGEST_SIZE ? end - pos : MD5_DIGEST_SIZE;
		for (j = 0; j < n; j++) {
			if (pos + j >= 2)
				out[pos + j - 2] = in[pos + j] ^ key[j];
		}
	}
	return (int)orig_len;
}
