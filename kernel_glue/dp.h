/*
 * The data-path interface: what the control plane asks of the kernel (or of
 * a stand-in).  Backends: `null` (records calls; hosts without the L2TP
 * modules, unit tests) and, later, `linux` (genl l2tp, PPPoL2TP, /dev/ppp).
 *
 * Every call returns 0 or a negative errno; a failing call never leaves a
 * half-made object behind.
 */
#ifndef DP_H
#define DP_H

#include <stdint.h>
#include <stddef.h>

struct dp;

struct dp_tunnel_params {
	uint16_t tunnel_id, peer_tunnel_id;
	int fd;				/* the tunnel's connected UDP socket */
};

struct dp_session_params {
	uint16_t tunnel_id, session_id;
	uint16_t peer_tunnel_id, peer_session_id;
	int lns_mode;
	int send_seq, recv_seq;
};

struct dp_stats {
	uint64_t tx_packets, tx_bytes, tx_errors;
	uint64_t rx_packets, rx_bytes, rx_errors;
};

struct dp_ops {
	const char *name;
	int (*tunnel_create)(struct dp *dp, const struct dp_tunnel_params *p);
	int (*tunnel_delete)(struct dp *dp, uint16_t tunnel_id);
	int (*session_create)(struct dp *dp, const struct dp_session_params *p);
	int (*session_delete)(struct dp *dp, uint16_t tunnel_id, uint16_t session_id);
	int (*session_stats)(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
			     struct dp_stats *st);
	void (*destroy)(struct dp *dp);
};

/* What the null backend remembers, for `show` and the tests. */
struct dp_null_counters {
	uint64_t tunnel_create, tunnel_delete, session_create, session_delete;
	uint64_t tunnels, sessions;	/* live objects */
	uint64_t errors;		/* calls refused (unknown or duplicate IDs) */
};

struct dp {
	const struct dp_ops *ops;
	struct dp_null_counters null;	/* null backend state */
	void *priv;
};

/* Create the backend called `name` ("null"; "auto" picks what the host has). */
int dp_create(const char *name, struct dp **out, char *err, size_t errsz);
void dp_destroy(struct dp *dp);

int dp_tunnel_create(struct dp *dp, const struct dp_tunnel_params *p);
int dp_tunnel_delete(struct dp *dp, uint16_t tunnel_id);
int dp_session_create(struct dp *dp, const struct dp_session_params *p);
int dp_session_delete(struct dp *dp, uint16_t tunnel_id, uint16_t session_id);
int dp_session_stats(struct dp *dp, uint16_t tunnel_id, uint16_t session_id, struct dp_stats *st);

extern const struct dp_ops dp_null_ops;

#endif
