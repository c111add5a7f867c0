/*
 * The tables the engine walks, in this order.  The order is visible:
 *  - within each configuration mode it is the order of `show
 *    running-config` and of `help` (global before redundancy, before
 *    vpdn-group, before interface and ip local pool, before aaa and
 *    radius-server, as the file has always been printed);
 *  - the first command that matches a line is the one run, and an error
 *    lists the words that would have fitted in this order ("show:
 *    incomplete command (expected l2tp, vpdn, ip, ipv6, running-config,
 *    debugging, radius, aaa)");
 *  - `help` lists the EXEC commands in it.
 */
#include <stddef.h>

#include "cli/cmd_engine.h"
#include "cli/cmd_topics.h"

const struct cmd_table *const cmd_tables[] = {
	&cmd_l2tp_table,
	&cmd_global_table,
	&cmd_redundancy_table,
	&cmd_vpdn_table,
	&cmd_ppp_table,
	&cmd_pppoe_table,
	&cmd_ipv6_table,
	&cmd_ipv6_show_table,
	&cmd_running_table,
	&cmd_debug_table,
	&cmd_aaa_table,
	&cmd_security_table,
	&cmd_service_table,
	&cmd_config_table,
	&cmd_builtin_table,
	&cmd_list_table,
	NULL
};
