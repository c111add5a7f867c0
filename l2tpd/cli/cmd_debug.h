/*
 * What cli/cmd_debug.c shares with the other topic files: the answer of
 * every debug command (`debug radius` is cmd_aaa.c's).
 */
#ifndef L2TP_CMD_DEBUG_H
#define L2TP_CMD_DEBUG_H

struct cmd_ctx;

/* The categories that are on, as `show debugging` prints them. */
void cmd_debug_show_state(struct cmd_ctx *x);

#endif
