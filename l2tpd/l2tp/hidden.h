/*
 * Hidden AVPs (RFC 2661 §4.3): value hiding with MD5, the tunnel secret and
 * the Random Vector AVP.
 */
#ifndef L2TP_HIDDEN_H
#define L2TP_HIDDEN_H

#include <stddef.h>
#include <stdint.h>

/*
 * Hide val (vlen bytes) of AVP attr_type.  The hidden subformat is
 * Original Length (2 bytes) | value | pad random bytes.  Writes
 * 2 + vlen + pad bytes to out; returns that or -ENOSPC.
 */
int l2tp_hidden_encode(uint16_t attr_type, const uint8_t *secret, size_t secret_len,
		       const uint8_t *rv, size_t rv_len, const uint8_t *val, size_t vlen,
		       size_t pad, uint8_t *out, size_t outsz);

/*
 * Reveal an AVP value of inlen bytes.  Writes the original value to out and
 * returns its length, or -EBADMSG (inlen < 2, or Original Length greater
 * than inlen - 2), -ENOSPC.
 */
int l2tp_hidden_decode(uint16_t attr_type, const uint8_t *secret, size_t secret_len,
		       const uint8_t *rv, size_t rv_len, const uint8_t *in, size_t inlen,
		       uint8_t *out, size_t outsz);

#endif
