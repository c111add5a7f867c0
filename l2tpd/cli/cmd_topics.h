/*
 * The topic tables (each defined in its cli/cmd_<topic>.c) and the
 * engine's own, as cli/cmd_topics.c lists them.
 */
#ifndef L2TP_CMD_TOPICS_H
#define L2TP_CMD_TOPICS_H

#include "cli/cmd_engine.h"

extern const struct cmd_table cmd_l2tp_table;
extern const struct cmd_table cmd_global_table;
extern const struct cmd_table cmd_redundancy_table;
extern const struct cmd_table cmd_vpdn_table;
extern const struct cmd_table cmd_ppp_table;
extern const struct cmd_table cmd_pppoe_table;
extern const struct cmd_table cmd_ipv6_table;
extern const struct cmd_table cmd_ipv6_show_table;
extern const struct cmd_table cmd_debug_table;
extern const struct cmd_table cmd_aaa_table;
extern const struct cmd_table cmd_security_table;
extern const struct cmd_table cmd_service_table;
extern const struct cmd_table cmd_config_table;
/* the engine's: show running-config (cmd_field.c); exit, help (cmd.c) */
extern const struct cmd_table cmd_running_table;
extern const struct cmd_table cmd_builtin_table;
extern const struct cmd_table cmd_list_table;

#endif
