/*
 * `show l2tp redundancy` and `show vpdn redundancy`: what the HA engine
 * (ha/ha.c), the checkpoint link and the standby's shadow store say, through
 * the one print path (core/out.c) in IOS-like text or JSON.  The field names are
 * listed in l2tpctl(8); tests grep them, so they stay as they are.
 */
#ifndef L2TPD_HA_SHOW_H
#define L2TPD_HA_SHOW_H

#include <stdint.h>

struct l2tpd;
struct out;

struct ha_show_req {
	int vpdn;		/* `show vpdn redundancy`: "VPDN" where the text says "L2TP" */
	int all;		/* the summary, then every tunnel and session */
	int detail;		/* the checkpoint link's counters, or one object in full */
	uint16_t tid;		/* `id T`: one local tunnel, 0 = every one */
	uint16_t sid;		/* `id T S`: one of its sessions, 0 = every one */
};

/* 0, or -ENOENT (with the error printed) for an unknown tunnel or session. */
int ha_show_redundancy(struct l2tpd *d, struct out *o, const struct ha_show_req *rq);

#endif
