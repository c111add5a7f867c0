/*
 * The IPv6 part of `show l2tp session detail` (cli/cmd_ipv6_show.c).
 */
#ifndef L2TP_CMD_IPV6_H
#define L2TP_CMD_IPV6_H

struct l2tpd;
struct out;
struct l2tp_ppp_v6;

void cmd_ipv6_session(const struct l2tpd *d, struct out *o, const struct l2tp_ppp_v6 *v);

#endif
