/*
 * A kernel data path played by the test: the null backend's records
 * (kernel_glue/dp_null.c) under a backend that says DP_CAP_KERNEL, whose
 * TCP MSS clamp table (dp_mss_clamp) and PPP interface configuration
 * (dp_ppp_configure) are records the test reads, and whose next calls the
 * test can make fail.
 *
 *	struct fake_dp *f = fake_dp_attach(h);   (h->d.dp now uses it)
 *	l2tp_mss_sync(&h->d);
 *	assert f->writes, f->mss[0 .. f->n)
 *
 * fake_dp_pppoe() adds DP_CAP_BRIDGE: PPPoE sessions whose channel and
 * unit are socket pairs (the daemon writes PPP frames, protocol first, on
 * its end; the test reads them on the subscriber's end), every call
 * written into a log the test compares ("open 7 unit 7 configure 7 close
 * 7 "), and open, unit and configure calls the test can make fail.
 *
 * The fake belongs to the harness: h_free() frees it once the daemon (and
 * its data path) is gone.
 */
#ifndef TEST_FAKE_DP_H
#define TEST_FAKE_DP_H

#include <stddef.h>
#include <stdint.h>
#include "harness.h"
#include "kernel_glue/dp.h"

#define FAKE_DP_MSS_MAX	64

struct fake_dp {
	struct dp_ops ops;		/* dp_null_ops, DP_CAP_KERNEL, mss_clamp */
	unsigned writes;		/* dp_mss_clamp calls, refused ones too */
	int fail;			/* the next writes return it (a negative errno); 0 */
	uint16_t mss[FAKE_DP_MSS_MAX];	/* the table as the last accepted write left it */
	size_t n;
	int table;			/* a table exists (written with values, not removed) */
	/* dp_ppp_configure: recorded (the null backend's records untouched) */
	unsigned configures;		/* calls */
	unsigned last_mss;		/* the last call's mss */
	int configure_fail;		/* the next calls return it; 0 */

	/* DP_CAP_BRIDGE (fake_dp_pppoe) */
	char log[512];			/* the PPPoE calls in order */
	int pppoe_fail, unit_fail, pppoe_configure_fail;	/* next calls return it */
	struct dp_ppp_config pppoe_cfg;	/* the last dp_pppoe_configure's */
	struct fake_dp_pppoe {
		uint16_t sid;		/* 0: free */
		int chan[2], unit[2];	/* [0] the daemon's, [1] the subscriber's; -1 */
	} pppoe[4];
};

struct fake_dp *fake_dp_attach(struct harness *h);
void fake_dp_pppoe(struct fake_dp *f);
/* The subscriber's end of session sid's channel (unit 0) or unit (1); -1. */
int fake_dp_sub_fd(const struct fake_dp *f, uint16_t sid, int unit);

#endif
