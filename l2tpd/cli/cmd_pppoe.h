/*
 * What cli/cmd_ppp.c's `interface WORD` hands to the access side: an
 * interface that is not a Virtual-Template is an access interface.
 */
#ifndef L2TP_CMD_PPPOE_H
#define L2TP_CMD_PPPOE_H

#include "cli/cmd_engine.h"

/* `[no] interface NAME` for a network interface: enters its mode. */
int cmd_pppoe_interface(struct cmd_ctx *x, int neg, const char *name);
/* The access interfaces' blocks of the running configuration. */
void cmd_pppoe_print_if(const struct cmd_entry *e, struct cmd_pr *p);

#endif
