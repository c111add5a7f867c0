/*
 * The checkpoint-before-acknowledge wait in `show l2tp|vpdn redundancy
 * detail` (cmd_redundancy_show.c): the percentiles of the packets the
 * active held, from the fine histograms (core/hist_fine.h), and both
 * histograms in JSON.
 */
#ifndef L2TP_CMD_REDUNDANCY_WAIT_H
#define L2TP_CMD_REDUNDANCY_WAIT_H

struct ha_stats;
struct out;

/* ", wait p50 <= N us, p99 <= N us (after the records left: ...)" in
 * text; in JSON the coarse percentiles and each fine histogram. */
void cmd_redundancy_wait_pct(struct out *o, const struct ha_stats *st);
/* JSON only: the coarse histograms, bucket by bucket. */
void cmd_redundancy_wait_hists(struct out *o, const struct ha_stats *st);

#endif
