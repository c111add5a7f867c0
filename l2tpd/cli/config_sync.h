/*
 * The pair's configurations kept in step: the command room's hooks of
 * ha/config.c (the text sent, its application on the standby).
 */
#ifndef L2TP_CONFIG_SYNC_H
#define L2TP_CONFIG_SYNC_H

struct l2tpd;

/* Register the hooks (l2tpd_init). */
void config_sync_init(struct l2tpd *d);

#endif
