/*
 * `show l2tp redundancy` and `show vpdn redundancy`: what the HA engine,
 * the checkpoint link and the standby's shadow store say (ha/status.h),
 * through the one print path (core/out.c) in IOS-like text or JSON.  The
 * JSON keys are listed in l2tpctl(8); the output is pinned by
 * tests/golden/ha_*.
 */
#ifndef L2TP_CMD_REDUNDANCY_SHOW_H
#define L2TP_CMD_REDUNDANCY_SHOW_H

#include <stdint.h>

struct l2tpd;
struct out;

struct cmd_redundancy_req {
	int vpdn;		/* `show vpdn redundancy`: "VPDN" where the text says "L2TP" */
	int all;		/* the summary, then every tunnel and session */
	int detail;		/* the checkpoint link's counters, or one object in full */
	uint16_t tid;		/* `id T`: one local tunnel, 0 = every one */
	uint16_t sid;		/* `id T S`: one of its sessions, 0 = every one */
};

/* 0, or -ENOENT (with the error printed) for an unknown tunnel or session. */
int cmd_redundancy_show(struct l2tpd *d, struct out *o, const struct cmd_redundancy_req *rq);

#endif
