/*
 * Data-path front end: picks a backend and forwards calls to it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dp.h"

int dp_create(const char *name, struct dp **out, char *err, size_t errsz)
{
	const struct dp_ops *ops = NULL;
	struct dp *dp;

	*out = NULL;
	if (name == NULL || strcmp(name, "null") == 0 || strcmp(name, "auto") == 0)
		ops = &dp_null_ops;	/* the linux backend arrives with the kernel glue */
	if (ops == NULL) {
		snprintf(err, errsz, "unknown data-path backend '%s' (known: null, auto)", name);
		return -EINVAL;
	}
	dp = calloc(1, sizeof(*dp));
	if (dp == NULL) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	dp->ops = ops;
	*out = dp;
	return 0;
}

void dp_destroy(struct dp *dp)
{
	if (dp == NULL)
		return;
	if (dp->ops->destroy)
		dp->ops->destroy(dp);
	free(dp);
}

int dp_tunnel_create(struct dp *dp, const struct dp_tunnel_params *p)
{
	return dp->ops->tunnel_create(dp, p);
}

int dp_tunnel_delete(struct dp *dp, uint16_t tunnel_id)
{
	return dp->ops->tunnel_delete(dp, tunnel_id);
}

int dp_session_create(struct dp *dp, const struct dp_session_params *p)
{
	return dp->ops->session_create(dp, p);
}

int dp_session_delete(struct dp *dp, uint16_t tunnel_id, uint16_t session_id)
{
	return dp->ops->session_delete(dp, tunnel_id, session_id);
}

int dp_session_stats(struct dp *dp, uint16_t tunnel_id, uint16_t session_id, struct dp_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (dp->ops->session_stats == NULL)
		return -EOPNOTSUPP;
	return dp->ops->session_stats(dp, tunnel_id, session_id, st);
}
