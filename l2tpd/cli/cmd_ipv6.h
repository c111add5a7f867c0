/*
 * The IPv6 part of `show l2tp session detail` (cli/cmd_ipv6_show.c).
 */
#ifndef L2TP_CMD_IPV6_H
#define L2TP_CMD_IPV6_H

struct l2tpd;
struct out;
struct l2tp_ppp_v6;
struct l2tp_ppp_v6c;

void cmd_ipv6_session(const struct l2tpd *d, struct out *o, const struct l2tp_ppp_v6 *v);
/* A LAC test subscriber's IPv6 in `show l2tp session detail`. */
void cmd_ipv6_subscriber(const struct l2tpd *d, struct out *o, const struct l2tp_ppp_v6c *c);

#endif
