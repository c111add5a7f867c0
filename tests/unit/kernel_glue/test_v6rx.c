/*
 * The linux data path's IPv6 pieces checked on the host, without the
 * kernel: the receive filter (kernel_glue/v6rx.c) run by a small classic
 * BPF interpreter against hand-built packets (a Router Solicitation and a
 * DHCPv6 Solicit kept; an RA, DHCPv6 to the client port, IPv4, a packet on
 * an Ethernet interface, a cut RS, an RS behind an extension header
 * dropped), and the IPv6 route requests (kernel_glue/rtnl.c) built and
 * parsed back: the delegated prefix via the subscriber's link-local
 * address, the /64 on-link, host bits cleared; dp_route6_* as the null
 * backend records them (a unit needed, a prefix routed once, counted,
 * gone with the unit).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <net/if_arp.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "ipv6/dhcp6.h"
#include "ipv6/nd.h"
#include "ipv6/pkt.h"
#include "kernel_glue/dp.h"
#include "kernel_glue/nl_l2tp.h"
#include "kernel_glue/rtnl.h"
#include "kernel_glue/v6rx.h"

/* Classic BPF as the kernel runs the opcodes the filter uses; a load past
 * the packet drops it (returns 0), as the kernel does. */
static uint32_t t_bpf(const struct sock_filter *f, int n, const uint8_t *pkt, size_t len,
		      uint32_t hatype)
{
	uint32_t a = 0;

	for (int pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			assert_int_equal(i->k, (uint32_t)(SKF_AD_OFF + SKF_AD_HATYPE));
			a = hatype;
			break;
		case BPF_LD | BPF_H | BPF_ABS:
			if (i->k + 2 > len)
				return 0;
			a = (uint32_t)pkt[i->k] << 8 | pkt[i->k + 1];
			break;
		case BPF_LD | BPF_B | BPF_ABS:
			if (i->k + 1 > len)
				return 0;
			a = pkt[i->k];
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= i->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == i->k ? i->jt : i->jf;
			break;
		case BPF_RET | BPF_K:
			return i->k;
		default:
			fail_msg("opcode 0x%x at %d", i->code, pc);
		}
	}
	fail_msg("the filter runs off its end");
	return 0;
}

static const uint8_t peer_ifid[8] = { 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55 };

static uint32_t t_run(const uint8_t *pkt, size_t len, uint32_t hatype)
{
	struct sock_filter f[V6RX_BPF_LEN];
	int n = v6rx_filter(f, V6RX_BPF_LEN);

	assert_int_equal(n, V6RX_BPF_LEN);
	return t_bpf(f, n, pkt, len, hatype);
}

static void test_filter(void **state)
{
	uint8_t ll[16], pkt[600], msg[64];
	struct sock_filter small[4];
	struct dhcp6_msg m;
	struct nd_ra ra = { .cur_hop_limit = 64, .router_lifetime = 1800 };
	size_t n, mn;

	(void)state;
	assert_int_equal(v6rx_filter(small, 4), -ENOSPC);
	ipv6_link_local(ll, peer_ifid);
	/* a Router Solicitation on pppN: kept, whole */
	n = nd_rs_build(pkt, sizeof(pkt), ll);
	assert_true(n > 40);
	assert_int_equal(t_run(pkt, n, ARPHRD_PPP), V6RX_SNAPLEN);
	/* the same on an Ethernet interface, or cut before its type: dropped */
	assert_int_equal(t_run(pkt, n, ARPHRD_ETHER), 0);
	assert_int_equal(t_run(pkt, 40, ARPHRD_PPP), 0);
	/* behind a Hop-by-Hop header (next header 0): dropped */
	pkt[6] = 0;
	assert_int_equal(t_run(pkt, n, ARPHRD_PPP), 0);
	/* a version-4 packet: dropped */
	n = nd_rs_build(pkt, sizeof(pkt), ll);
	pkt[0] = 0x45;
	assert_int_equal(t_run(pkt, n, ARPHRD_PPP), 0);
	/* a Router Advertisement (134): dropped */
	n = nd_ra_build(pkt, sizeof(pkt), ll, ipv6_all_nodes, &ra);
	assert_true(n > 40);
	assert_int_equal(t_run(pkt, n, ARPHRD_PPP), 0);
	/* a DHCPv6 Solicit to port 547: kept; to 546: dropped */
	dhcp6_msg_init(&m, DHCP6_SOLICIT, 7);
	m.client.len = 4;
	mn = dhcp6_build(msg, sizeof(msg), &m);
	assert_true(mn > 0);
	n = ipv6_udp_build(pkt, sizeof(pkt), ll, ipv6_all_dhcp, 546, 547, msg, mn);
	assert_int_equal(t_run(pkt, n, ARPHRD_PPP), V6RX_SNAPLEN);
	assert_int_equal(t_run(pkt, 43, ARPHRD_PPP), 0);
	n = ipv6_udp_build(pkt, sizeof(pkt), ll, ipv6_all_dhcp, 547, 546, msg, mn);
	assert_int_equal(t_run(pkt, n, ARPHRD_PPP), 0);
}

/* The kernel checks a classic BPF program when it is attached: ours must
 * pass (skipped without CAP_NET_RAW). */
static void test_open(void **state)
{
	char err[128] = "";
	int fd = v6rx_open(err, sizeof(err));

	(void)state;
	if (fd == -EPERM || fd == -EACCES)
		skip();
	assert_true(fd >= 0);
	close(fd);
}

static const struct nl_l2tp_policy rta6_pol[RTA_MAX + 1] = {
	[RTA_DST] = { MNL_TYPE_BINARY, 16, 16 },
	[RTA_OIF] = { MNL_TYPE_U32, 0, 0 },
	[RTA_GATEWAY] = { MNL_TYPE_BINARY, 16, 16 },
	[RTA_PRIORITY] = { MNL_TYPE_U32, 0, 0 },
};

/* The request in buf parsed: its rtmsg, its attributes in tb. */
static struct rtmsg *t_route(const uint32_t *buf, const struct nlattr **tb)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	assert_int_equal(nl_l2tp_attr_parse((uint8_t *)rtm + NLMSG_ALIGN(sizeof(*rtm)),
					    nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(sizeof(*rtm)),
					    rta6_pol, RTA_MAX + 1, tb), 0);
	return rtm;
}

#define R6(d, l, g, m)	((struct rtnl_route6){ (d), (l), (g), (m) })

static void test_route6(void **state)
{
	const struct nlattr *tb[RTA_MAX + 1];
	uint32_t buf[128];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	uint8_t pd[16], want[16], ll[16], p64[16];
	struct rtmsg *rtm;

	(void)state;
	/* the delegated /56 via the subscriber's link-local address: a
	 * host bit set in the request is cleared */
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:100:2ff::", pd), 1);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:100:200::", want), 1);
	ipv6_link_local(ll, peer_ifid);
	assert_true(rtnl_ctx_route6_build(buf, sizeof(buf), 1, 7, &R6(pd, 56, ll, 0)) > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWROUTE);
	assert_true(nlh->nlmsg_flags & NLM_F_CREATE);
	assert_true(nlh->nlmsg_flags & NLM_F_EXCL);
	rtm = t_route(buf, tb);
	assert_int_equal(rtm->rtm_family, AF_INET6);
	assert_int_equal(rtm->rtm_dst_len, 56);
	assert_int_equal(rtm->rtm_table, RT_TABLE_MAIN);
	assert_int_equal(rtm->rtm_protocol, RTPROT_STATIC);
	assert_int_equal(rtm->rtm_type, RTN_UNICAST);
	assert_non_null(tb[RTA_DST]);
	assert_memory_equal(mnl_attr_get_payload(tb[RTA_DST]), want, 16);
	assert_non_null(tb[RTA_OIF]);
	assert_int_equal(mnl_attr_get_u32(tb[RTA_OIF]), 7);
	assert_non_null(tb[RTA_GATEWAY]);
	assert_memory_equal(mnl_attr_get_payload(tb[RTA_GATEWAY]), ll, 16);
	assert_null(tb[RTA_PRIORITY]);	/* no metric: the kernel's default */
	/* a Framed-IPv6-Route with its metric (RFC 3162 §2.5) */
	assert_true(rtnl_ctx_route6_build(buf, sizeof(buf), 1, 7, &R6(want, 48, ll, 7)) > 0);
	rtm = t_route(buf, tb);
	assert_int_equal(rtm->rtm_dst_len, 48);
	assert_non_null(tb[RTA_PRIORITY]);
	assert_int_equal(mnl_attr_get_u32(tb[RTA_PRIORITY]), 7);
	/* the link's /64 on-link: no gateway; its removal */
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:1:2::", p64), 1);
	assert_true(rtnl_ctx_route6_build(buf, sizeof(buf), 0, 7, &R6(p64, 64, NULL, 0)) > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_DELROUTE);
	rtm = t_route(buf, tb);
	assert_int_equal(rtm->rtm_dst_len, 64);
	assert_memory_equal(mnl_attr_get_payload(tb[RTA_DST]), p64, 16);
	assert_null(tb[RTA_GATEWAY]);
	/* refused: no interface, a length past 128, a buffer too small */
	assert_int_equal(rtnl_ctx_route6_build(buf, sizeof(buf), 1, 0, &R6(p64, 64, NULL, 0)), -EINVAL);
	assert_int_equal(rtnl_ctx_route6_build(buf, sizeof(buf), 1, 7, &R6(p64, 129, NULL, 0)), -EINVAL);
	assert_int_equal(rtnl_ctx_route6_build(buf, 16, 1, 7, &R6(p64, 64, NULL, 0)), -EMSGSIZE);
}

static void test_null_route6(void **state)
{
	struct dp_tunnel_params t = { .tunnel_id = 10, .peer_tunnel_id = 20, .fd = -1 };
	struct dp_session_params sp = { .tunnel_id = 10, .session_id = 1, .peer_tunnel_id = 20,
					.peer_session_id = 101, .lns_mode = 1 };
	struct dp_ppp_params pp = { .tunnel_id = 10, .session_id = 1, .peer_tunnel_id = 20,
				    .peer_session_id = 101 };
	struct dp_route6 link = { .plen = 64 }, pd = { .plen = 56, .has_gw = 1 };
	struct dp_ppp_config up = { .up = 1 };
	struct dp_ppp p1, p2;
	char err[256];
	struct dp *dp;

	(void)state;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:1:2::", link.dst), 1);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:100:200::", pd.dst), 1);
	ipv6_link_local(pd.gw, peer_ifid);
	assert_int_equal(dp_create("null", &dp, err, sizeof(err)), 0);
	assert_int_equal(dp_tunnel_create(dp, &t), 0);
	assert_int_equal(dp_session_create(dp, &sp), 0);
	sp.session_id = 2;
	sp.peer_session_id = 102;
	assert_int_equal(dp_session_create(dp, &sp), 0);
	assert_int_equal(dp_ppp_open(dp, &pp, &p1), 0);
	/* no unit yet: refused */
	assert_int_equal(dp_route6_add(dp, 10, 1, &pd), -ENOTCONN);
	assert_int_equal(dp_ppp_unit_open(dp, 10, 1, "ppp7", &p1), 0);
	/* the unit not up: refused, as the kernel does (ENETDOWN) */
	assert_int_equal(dp_route6_add(dp, 10, 1, &link), -ENETDOWN);
	assert_int_equal(dp_ppp_configure(dp, 10, 1, &up), 0);
	assert_int_equal(dp_route6_add(dp, 10, 1, &link), 0);
	assert_int_equal(dp_route6_add(dp, 10, 1, &pd), 0);
	assert_int_equal(dp->count.routes, 2);
	/* the same prefix again, from this session or another: refused */
	assert_int_equal(dp_route6_add(dp, 10, 1, &pd), -EEXIST);
	pp.session_id = 2;
	pp.peer_session_id = 102;
	assert_int_equal(dp_ppp_open(dp, &pp, &p2), 0);
	assert_int_equal(dp_ppp_unit_open(dp, 10, 2, "ppp8", &p2), 0);
	assert_int_equal(dp_ppp_configure(dp, 10, 2, &up), 0);
	assert_int_equal(dp_route6_add(dp, 10, 2, &pd), -EEXIST);
	pd.plen = 129;
	assert_int_equal(dp_route6_add(dp, 10, 2, &pd), -EINVAL);
	pd.plen = 56;
	/* another /56 on the other session: its own */
	pd.dst[6] = 0x03;
	assert_int_equal(dp_route6_add(dp, 10, 2, &pd), 0);
	assert_int_equal(dp->count.routes, 3);
	pd.dst[6] = 0x02;
	/* deleted once; a second time: no such route */
	assert_int_equal(dp_route6_del(dp, 10, 1, &pd), 0);
	assert_int_equal(dp_route6_del(dp, 10, 1, &pd), -ESRCH);
	assert_int_equal(dp->count.routes, 2);
	/* the units go with their routes */
	assert_int_equal(dp_ppp_close(dp, 10, 1), 0);
	assert_int_equal(dp->count.routes, 1);
	assert_int_equal(dp_ppp_close(dp, 10, 2), 0);
	assert_int_equal(dp->count.routes, 0);
	dp_destroy(dp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_route6),
		cmocka_unit_test(test_null_route6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
