/*
 * What cli/cmd_l2tp.c shares with the other topic files that show tunnels
 * and sessions (show vpdn).
 */
#ifndef L2TP_CMD_L2TP_H
#define L2TP_CMD_L2TP_H

struct l2tpd;

/* Sessions of the live tunnels (dead ones not yet freed are left out);
 * *ntun gets the number of those tunnels. */
unsigned cmd_l2tp_count(const struct l2tpd *d, unsigned *ntun);

#endif
