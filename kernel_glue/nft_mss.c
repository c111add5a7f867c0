/*
 * The daemon's nftables table for TCP MSS clamping (see nft_mss.h).
 */
#include "kernel_glue/nft_mss.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <nftables/libnftables.h>

uint32_t nft_mss_group(unsigned mss)
{
	if (mss < NFT_MSS_MIN || mss > NFT_MSS_MAX)
		return 0;
	return NFT_MSS_GROUP_BASE + mss;
}

struct nft_mss_buf {
	char *p;
	size_t size, len;
	int over;
};

static void __attribute__((format(printf, 2, 3))) nft_mss_put(struct nft_mss_buf *b,
							       const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->over)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->size - b->len)
		b->over = 1;
	else
		b->len += (size_t)n;
}

static int nft_mss_check(const uint16_t *mss, size_t n)
{
	if (n > NFT_MSS_VALUES_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (nft_mss_group(mss[i]) == 0)
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			if (mss[j] == mss[i])
				return -EINVAL;
	}
	return 0;
}

int nft_mss_ruleset(char *buf, size_t size, const uint16_t *mss, size_t n)
{
	static const char *const dir[] = { "oifgroup", "iifgroup" };
	struct nft_mss_buf b = { .p = buf, .size = size };

	if (buf == NULL || size == 0 || (n && mss == NULL) || nft_mss_check(mss, n) < 0)
		return -EINVAL;
	/* `table` first, so that `delete table` finds one to delete. */
	nft_mss_put(&b, "table inet %s\ndelete table inet %s\n", NFT_MSS_TABLE, NFT_MSS_TABLE);
	if (n) {
		nft_mss_put(&b, "table inet %s {\n\tchain %s {\n\t\ttype filter hook forward "
			    "priority mangle; policy accept;\n", NFT_MSS_TABLE, NFT_MSS_CHAIN);
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < 2; k++)
				nft_mss_put(&b, "\t\t%s %u tcp flags & syn == syn tcp option "
					    "maxseg size > %u counter tcp option maxseg size "
					    "set %u\n", dir[k], nft_mss_group(mss[i]), mss[i],
					    mss[i]);
		nft_mss_put(&b, "\t}\n}\n");
	}
	return b.over ? -EMSGSIZE : (int)b.len;
}

/* nft's message: its first line, without the trailing newline. */
static void nft_mss_errline(const char *msg, char *err, size_t errsz)
{
	size_t l = msg ? strcspn(msg, "\n") : 0;

	if (l == 0)
		snprintf(err, errsz, "nftables refused the table (no message)");
	else
		snprintf(err, errsz, "%.*s", (int)l, msg);
}

int nft_mss_apply(const char *text, char *err, size_t errsz)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	int rc;

	if (nft == NULL) {
		snprintf(err, errsz, "libnftables: cannot make a context");
		return -ENOMEM;
	}
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	rc = nft_run_cmd_from_buffer(nft, text);
	if (rc != 0) {
		nft_mss_errline(nft_ctx_get_error_buffer(nft), err, errsz);
		rc = -EIO;
	}
	nft_ctx_free(nft);
	return rc;
}

int nft_mss_set(const uint16_t *mss, size_t n, char *err, size_t errsz)
{
	char text[NFT_MSS_TEXT_MAX];
	int rc = nft_mss_ruleset(text, sizeof(text), mss, n);

	if (rc < 0) {
		snprintf(err, errsz, "%s", n > NFT_MSS_VALUES_MAX ? "too many values" :
			 "a value out of range or given twice");
		return rc == -EMSGSIZE ? -EINVAL : rc;
	}
	return nft_mss_apply(text, err, errsz);
}
