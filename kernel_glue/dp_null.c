/*
 * The null data path: no kernel objects, only a record of what the control
 * plane asked for.  It refuses what the kernel would refuse (a duplicate
 * tunnel or session ID, a session on a tunnel that does not exist), so the
 * control plane's bookkeeping is checked on hosts without L2TP modules.
 */
#include <errno.h>
#include <stdlib.h>
#include "dp.h"
#include "idmap.h"

struct dp_null {
	struct l2tp_idmap *sessions[65536];	/* per tunnel ID; non-NULL = tunnel exists */
};

static struct dp_null *dp_null_priv(struct dp *dp)
{
	if (dp->priv == NULL)
		dp->priv = calloc(1, sizeof(struct dp_null));
	return dp->priv;
}

static int dp_null_tunnel_create(struct dp *dp, const struct dp_tunnel_params *p)
{
	struct dp_null *n = dp_null_priv(dp);

	if (n == NULL)
		return -ENOMEM;
	if (p->tunnel_id == 0 || n->sessions[p->tunnel_id] != NULL) {
		dp->null.errors++;
		return p->tunnel_id == 0 ? -EINVAL : -EEXIST;
	}
	n->sessions[p->tunnel_id] = idmap_create();
	if (n->sessions[p->tunnel_id] == NULL)
		return -ENOMEM;
	dp->null.tunnel_create++;
	dp->null.tunnels++;
	return 0;
}

static int dp_null_tunnel_delete(struct dp *dp, uint16_t tid)
{
	struct dp_null *n = dp_null_priv(dp);
	struct l2tp_idmap *m;

	if (n == NULL)
		return -ENOMEM;
	m = n->sessions[tid];
	if (m == NULL) {
		dp->null.errors++;
		return -ENOENT;
	}
	/* As in the kernel, deleting a tunnel deletes its sessions. */
	dp->null.sessions -= idmap_count(m);
	idmap_destroy(m);
	n->sessions[tid] = NULL;
	dp->null.tunnel_delete++;
	dp->null.tunnels--;
	return 0;
}

static int dp_null_session_create(struct dp *dp, const struct dp_session_params *p)
{
	struct dp_null *n = dp_null_priv(dp);
	struct l2tp_idmap *m;
	int rc;

	if (n == NULL)
		return -ENOMEM;
	m = n->sessions[p->tunnel_id];
	if (m == NULL) {
		dp->null.errors++;
		return -ENOENT;
	}
	/* The value only marks presence. */
	rc = idmap_put(m, p->session_id, dp);
	if (rc < 0) {
		dp->null.errors++;
		return rc;
	}
	dp->null.session_create++;
	dp->null.sessions++;
	return 0;
}

static int dp_null_session_delete(struct dp *dp, uint16_t tid, uint16_t sid)
{
	struct dp_null *n = dp_null_priv(dp);

	if (n == NULL)
		return -ENOMEM;
	if (n->sessions[tid] == NULL || idmap_del(n->sessions[tid], sid) == NULL) {
		dp->null.errors++;
		return -ENOENT;
	}
	dp->null.session_delete++;
	dp->null.sessions--;
	return 0;
}

static int dp_null_session_stats(struct dp *dp, uint16_t tid, uint16_t sid, struct dp_stats *st)
{
	struct dp_null *n = dp_null_priv(dp);

	if (n == NULL || n->sessions[tid] == NULL || idmap_get(n->sessions[tid], sid) == NULL)
		return -ENOENT;
	return 0;	/* no traffic crosses the null data path */
}

static void dp_null_destroy(struct dp *dp)
{
	struct dp_null *n = dp->priv;
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < 65536; i++)
		idmap_destroy(n->sessions[i]);
	free(n);
	dp->priv = NULL;
}

const struct dp_ops dp_null_ops = {
	.name = "null",
	.tunnel_create = dp_null_tunnel_create,
	.tunnel_delete = dp_null_tunnel_delete,
	.session_create = dp_null_session_create,
	.session_delete = dp_null_session_delete,
	.session_stats = dp_null_session_stats,
	.destroy = dp_null_destroy,
};
