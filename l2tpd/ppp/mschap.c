/*
 * MS-CHAPv2 cryptography and messages (RFC 2759 §5, §6, §8).
 */
#include <stdio.h>
#include <string.h>

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/sha1.h>

#include "ppp/mschap.h"

/* §8.7 */
static const char ppp_mschap_magic1[] = "Magic server to client signing constant";
static const char ppp_mschap_magic2[] = "Pad to make it do more than one iteration";

/* §8.3: at most 256 Unicode characters; surrogate pairs count twice */
#define PPP_MSCHAP_PW_UNITS	512

int ppp_mschap_memcmp(const void *a, const void *b, size_t len)
{
	const uint8_t *x = a, *y = b;
	uint8_t d = 0;

	for (size_t i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d != 0;
}

const char *ppp_mschap_user_part(const char *user)
{
	const char *bs = strrchr(user, '\\');

	return bs != NULL ? bs + 1 : user;
}

void ppp_mschap_challenge_hash(const uint8_t peer_chal[16], const uint8_t auth_chal[16],
			       const char *user, uint8_t out[8])
{
	struct sha1_ctx ctx;
	uint8_t digest[SHA1_DIGEST_SIZE];
	const char *u = ppp_mschap_user_part(user);

	sha1_init(&ctx);
	sha1_update(&ctx, 16, peer_chal);
	sha1_update(&ctx, 16, auth_chal);
	sha1_update(&ctx, strlen(u), (const uint8_t *)u);
	sha1_digest(&ctx, sizeof(digest), digest);
	memcpy(out, digest, 8);
}

/* Decode one UTF-8 character at s (n octets left) into *cp; returns the
 * octets used.  An invalid sequence yields its first octet as Latin-1. */
static size_t ppp_mschap_utf8(const uint8_t *s, size_t n, uint32_t *cp)
{
	size_t need, i;
	uint32_t c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		need = 1;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		need = 2;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		need = 3;
		c &= 0x07;
		min = 0x10000;
	} else {
		goto latin1;
	}
	if (n < need + 1)
		goto latin1;
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto latin1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto latin1;
	*cp = c;
	return need + 1;
latin1:
	*cp = s[0];
	return 1;
}

void ppp_mschap_nt_password_hash(const char *password, uint8_t out[16])
{
	uint8_t u16[PPP_MSCHAP_PW_UNITS * 2];
	const uint8_t *s = (const uint8_t *)password;
	size_t n = strlen(password), units = 0, used;
	struct md4_ctx ctx;
	uint32_t cp;

	while (n > 0 && units < PPP_MSCHAP_PW_UNITS) {
		used = ppp_mschap_utf8(s, n, &cp);
		s += used;
		n -= used;
		if (cp >= 0x10000) {
			if (units + 2 > PPP_MSCHAP_PW_UNITS)
				break;
			cp -= 0x10000;
			u16[2 * units] = (uint8_t)(0xd800 | (cp >> 10));
			u16[2 * units + 1] = (uint8_t)((0xd800 | (cp >> 10)) >> 8);
			units++;
			cp = 0xdc00 | (cp & 0x3ff);
		}
		u16[2 * units] = (uint8_t)cp;
		u16[2 * units + 1] = (uint8_t)(cp >> 8);
		units++;
	}
	md4_init(&ctx);
	md4_update(&ctx, units * 2, u16);
	md4_digest(&ctx, 16, out);
	memset(u16, 0, sizeof(u16));
}

void ppp_mschap_hash_hash(const uint8_t hash[16], uint8_t out[16])
{
	struct md4_ctx ctx;

	md4_init(&ctx);
	md4_update(&ctx, 16, hash);
	md4_digest(&ctx, 16, out);
}

/* §8.6 DesEncrypt: a 7-octet key spread over 8 octets, 7 bits each (the
 * low bit, DES parity, is ignored by the cipher). */
static void ppp_mschap_des(const uint8_t clear[8], const uint8_t key7[7], uint8_t out[8])
{
	uint8_t key[8];
	struct des_ctx ctx;

	key[0] = key7[0] & 0xfe;
	key[1] = (uint8_t)((key7[0] << 7) | (key7[1] >> 1));
	key[2] = (uint8_t)((key7[1] << 6) | (key7[2] >> 2));
	key[3] = (uint8_t)((key7[2] << 5) | (key7[3] >> 3));
	key[4] = (uint8_t)((key7[3] << 4) | (key7[4] >> 4));
	key[5] = (uint8_t)((key7[4] << 3) | (key7[5] >> 5));
	key[6] = (uint8_t)((key7[5] << 2) | (key7[6] >> 6));
	key[7] = (uint8_t)(key7[6] << 1);
	for (int i = 0; i < 8; i++)
		key[i] &= 0xfe;
	/* A weak key still gives a key schedule; MS-CHAP uses whatever the
	 * hash gives, so the weak-key verdict is ignored. */
	(void)des_set_key(&ctx, key);
	des_encrypt(&ctx, 8, out, clear);
	memset(&ctx, 0, sizeof(ctx));
	memset(key, 0, sizeof(key));
}

void ppp_mschap_challenge_response(const uint8_t chal[8], const uint8_t hash[16], uint8_t out[24])
{
	uint8_t z[21];

	memset(z, 0, sizeof(z));
	memcpy(z, hash, 16);
	ppp_mschap_des(chal, z, out);
	ppp_mschap_des(chal, z + 7, out + 8);
	ppp_mschap_des(chal, z + 14, out + 16);
	memset(z, 0, sizeof(z));
}

void ppp_mschap_nt_response(const uint8_t auth_chal[16], const uint8_t peer_chal[16],
			    const char *user, const char *password, uint8_t out[24])
{
	uint8_t chal[8], hash[16];

	ppp_mschap_challenge_hash(peer_chal, auth_chal, user, chal);
	ppp_mschap_nt_password_hash(password, hash);
	ppp_mschap_challenge_response(chal, hash, out);
	memset(hash, 0, sizeof(hash));
}

void ppp_mschap_authenticator_response(const char *password, const uint8_t nt_resp[24],
				       const uint8_t peer_chal[16], const uint8_t auth_chal[16],
				       const char *user, char out[PPP_MSCHAP_AUTHRESP_LEN + 1])
{
	static const char hex[] = "0123456789ABCDEF";
	uint8_t hash[16], hh[16], digest[SHA1_DIGEST_SIZE], chal[8];
	struct sha1_ctx ctx;

	ppp_mschap_nt_password_hash(password, hash);
	ppp_mschap_hash_hash(hash, hh);
	sha1_init(&ctx);
	sha1_update(&ctx, 16, hh);
	sha1_update(&ctx, 24, nt_resp);
	sha1_update(&ctx, sizeof(ppp_mschap_magic1) - 1, (const uint8_t *)ppp_mschap_magic1);
	sha1_digest(&ctx, sizeof(digest), digest);
	ppp_mschap_challenge_hash(peer_chal, auth_chal, user, chal);
	sha1_init(&ctx);
	sha1_update(&ctx, sizeof(digest), digest);
	sha1_update(&ctx, 8, chal);
	sha1_update(&ctx, sizeof(ppp_mschap_magic2) - 1, (const uint8_t *)ppp_mschap_magic2);
	sha1_digest(&ctx, sizeof(digest), digest);
	out[0] = 'S';
	out[1] = '=';
	for (int i = 0; i < SHA1_DIGEST_SIZE; i++) {
		out[2 + 2 * i] = hex[digest[i] >> 4];
		out[3 + 2 * i] = hex[digest[i] & 15];
	}
	out[PPP_MSCHAP_AUTHRESP_LEN] = '\0';
	memset(hash, 0, sizeof(hash));
	memset(hh, 0, sizeof(hh));
}

int ppp_mschap_failure_message(char *buf, size_t size, unsigned error, const uint8_t chal[16],
			       const char *text)
{
	char c[33];

	for (int i = 0; i < 16; i++)
		snprintf(c + 2 * i, 3, "%02X", chal[i]);
	/* §6: R=0, no retry; V=3, the version of the password change protocol */
	return snprintf(buf, size, "E=%u R=0 C=%s V=3 M=%s", error, c, text ? text : "");
}

int ppp_mschap_success_message(char *buf, size_t size, const char *auth_resp, const char *text)
{
	return snprintf(buf, size, "%s M=%s", auth_resp, text ? text : "");
}

int ppp_mschap_success_matches(const uint8_t *msg, size_t len, const char *auth_resp)
{
	/* §5: the message starts "S=<40 hex>", optionally " M=..." after */
	if (len < PPP_MSCHAP_AUTHRESP_LEN)
		return 0;
	if (len > PPP_MSCHAP_AUTHRESP_LEN && msg[PPP_MSCHAP_AUTHRESP_LEN] != ' ')
		return 0;
	return ppp_mschap_memcmp(msg, auth_resp, PPP_MSCHAP_AUTHRESP_LEN) == 0;
}
