/*
 * kernel_glue without a kernel: netlink requests checked byte for byte,
 * replies parsed from hand-built buffers (good and malformed), the
 * PPPoL2TP address layout, PPP frame I/O over a socketpair, the rtnetlink
 * requests libnl builds for us, and the null backend's PPP operations.
 * A few tests talk to this host's kernel through netlink families every
 * Linux has (nlctrl, rtnetlink); none needs L2TP or PPP.
 */
#define _GNU_SOURCE	/* unshare() */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "t_netns.h"
#include "kernel_glue/ppp_chan.h"
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/l2tp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_addr.h>
#include "kernel_glue/dp.h"
#include "kernel_glue/nl_l2tp.h"
#include "kernel_glue/rtnl.h"

#define FAM	0x1d		/* a plausible "l2tp" family id */
#define SEQ	0x01020304u
#define PORTID	0x00003039u

/* Netlink is host byte order; the expected bytes below are little-endian. */
#define U16(x)	(uint8_t)((x) & 0xff), (uint8_t)(((x) >> 8) & 0xff)
#define U32(x)	U16((x) & 0xffff), U16(((uint32_t)(x) >> 16) & 0xffff)
#define NLHDR(len, type, flags, seq, pid)	U32(len), U16(type), U16(flags), U32(seq), U32(pid)
#define NLA(len, type)	U16(len), U16(type)
#define GENL(cmd, ver)	(cmd), (ver), 0, 0

static int little_endian(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 1;
}

#define LE_ONLY()	do { if (!little_endian()) skip(); } while (0)

/* ---- a hand builder for replies, able to lie about lengths ---------------- */

struct tb {
	uint32_t w[1024];	/* 4-byte aligned, as a receive buffer is */
	size_t len;
};

static uint8_t *tb_at(struct tb *b, size_t off)
{
	return (uint8_t *)b->w + off;
}

static void tb_put(struct tb *b, const void *p, size_t n)
{
	assert_true(b->len + n <= sizeof(b->w));
	memcpy(tb_at(b, b->len), p, n);
	b->len += n;
}

static void tb_pad(struct tb *b)
{
	static const uint8_t z[4];

	tb_put(b, z, (4 - (b->len & 3)) & 3);
}

static size_t tb_msg(struct tb *b, uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid)
{
	struct nlmsghdr h = { 0, type, flags, seq, pid };
	size_t off = b->len;

	tb_put(b, &h, sizeof(h));
	return off;
}

static void tb_end(struct tb *b, size_t off)
{
	struct nlmsghdr h;

	memcpy(&h, tb_at(b, off), sizeof(h));
	h.nlmsg_len = (uint32_t)(b->len - off);
	memcpy(tb_at(b, off), &h, sizeof(h));
}

static void tb_genl(struct tb *b, uint8_t cmd)
{
	struct genlmsghdr g = { cmd, 1, 0 };

	tb_put(b, &g, sizeof(g));
}

/* An attribute whose header says nla_len, followed by n bytes of data. */
static void tb_attr_raw(struct tb *b, uint16_t nla_len, uint16_t type, const void *p, size_t n)
{
	struct nlattr a = { nla_len, type };

	tb_put(b, &a, sizeof(a));
	if (n)
		tb_put(b, p, n);
	tb_pad(b);
}

static void tb_attr(struct tb *b, uint16_t type, const void *p, size_t n)
{
	tb_attr_raw(b, (uint16_t)(4 + n), type, p, n);
}

static void tb_u8(struct tb *b, uint16_t type, uint8_t v) { tb_attr(b, type, &v, 1); }
static void tb_u16(struct tb *b, uint16_t type, uint16_t v) { tb_attr(b, type, &v, 2); }
static void tb_u32(struct tb *b, uint16_t type, uint32_t v) { tb_attr(b, type, &v, 4); }
static void tb_u64(struct tb *b, uint16_t type, uint64_t v) { tb_attr(b, type, &v, 8); }
static void tb_str(struct tb *b, uint16_t type, const char *s) { tb_attr(b, type, s, strlen(s) + 1); }

static size_t tb_nest(struct tb *b, uint16_t type)
{
	size_t off = b->len;

	tb_attr_raw(b, 0, type, NULL, 0);
	return off;
}

static void tb_nest_end(struct tb *b, size_t off)
{
	uint16_t len = (uint16_t)(b->len - off);

	memcpy(tb_at(b, off), &len, sizeof(len));
}

static void tb_ack(struct tb *b, int err, uint32_t seq, uint32_t pid)
{
	struct nlmsgerr e = { .error = err };
	size_t off = tb_msg(b, NLMSG_ERROR, 0, seq, pid);

	e.msg.nlmsg_len = 28;
	e.msg.nlmsg_seq = seq;
	tb_put(b, &e, sizeof(e));
	tb_end(b, off);
}

static void tb_done(struct tb *b, int err, uint32_t seq, uint32_t pid)
{
	size_t off = tb_msg(b, NLMSG_DONE, NLM_F_MULTI, seq, pid);

	tb_put(b, &err, sizeof(err));
	tb_end(b, off);
}

static const struct nlmsghdr *tb_nlh(struct tb *b, size_t off)
{
	return (const struct nlmsghdr *)tb_at(b, off);
}

static struct nl_l2tp_reply reply(void)
{
	struct nl_l2tp_reply r;

	memset(&r, 0, sizeof(r));
	r.seq = SEQ;
	r.portid = PORTID;
	return r;
}

/* ---- request builders, byte for byte --------------------------------------- */

static void check_bytes(const uint32_t *buf, int len, const uint8_t *exp, size_t explen)
{
	assert_int_equal(len, (int)explen);
	assert_memory_equal(buf, exp, explen);
}

static void test_build_getfamily(void **state)
{
	static const uint8_t exp[] = {
		NLHDR(32, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0),
		GENL(CTRL_CMD_GETFAMILY, 1),
		NLA(9, CTRL_ATTR_FAMILY_NAME), 'l', '2', 't', 'p', 0, 0, 0, 0,
	};
	uint32_t buf[64];

	LE_ONLY();
	memset(buf, 0xa5, sizeof(buf));	/* padding must be written, not inherited */
	check_bytes(buf, nl_l2tp_build_getfamily(buf, sizeof(buf), SEQ, "l2tp"), exp, sizeof(exp));
	assert_int_equal(nl_l2tp_build_getfamily(buf, sizeof(buf), SEQ,
						 "a-name-longer-than-sixteen"), -EMSGSIZE);
	assert_int_equal(nl_l2tp_build_getfamily(buf, 24, SEQ, "l2tp"), -EMSGSIZE);
}

static void test_build_tunnel_create(void **state)
{
	static const uint8_t exp[] = {
		NLHDR(60, FAM, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0),
		GENL(L2TP_CMD_TUNNEL_CREATE, L2TP_GENL_VERSION),
		NLA(8, L2TP_ATTR_CONN_ID), U32(33003),
		NLA(8, L2TP_ATTR_PEER_CONN_ID), U32(26355),
		NLA(5, L2TP_ATTR_PROTO_VERSION), 2, 0, 0, 0,
		NLA(6, L2TP_ATTR_ENCAP_TYPE), U16(L2TP_ENCAPTYPE_UDP), 0, 0,
		NLA(8, L2TP_ATTR_FD), U32(17),
	};
	struct nl_l2tp_tunnel_cfg c = { .conn_id = 33003, .peer_conn_id = 26355, .fd = 17 };
	uint32_t buf[64];

	LE_ONLY();
	memset(buf, 0xa5, sizeof(buf));
	check_bytes(buf, nl_l2tp_build_tunnel_create(buf, sizeof(buf), FAM, SEQ, &c),
		    exp, sizeof(exp));
	/* Every prefix too short for the whole message is refused. */
	for (size_t n = 0; n < sizeof(exp); n += 4)
		assert_int_equal(nl_l2tp_build_tunnel_create(buf, n, FAM, SEQ, &c), -EMSGSIZE);
}

static void test_build_tunnel_delete(void **state)
{
	static const uint8_t exp[] = {
		NLHDR(28, FAM, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0),
		GENL(L2TP_CMD_TUNNEL_DELETE, 1),
		NLA(8, L2TP_ATTR_CONN_ID), U32(7),
	};
	uint32_t buf[64];

	LE_ONLY();
	check_bytes(buf, nl_l2tp_build_tunnel_delete(buf, sizeof(buf), FAM, SEQ, 7),
		    exp, sizeof(exp));
}

static void test_build_session_create(void **state)
{
	static const uint8_t plain[] = {
		NLHDR(52, FAM, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0),
		GENL(L2TP_CMD_SESSION_CREATE, 1),
		NLA(8, L2TP_ATTR_CONN_ID), U32(100),
		NLA(8, L2TP_ATTR_SESSION_ID), U32(200),
		NLA(8, L2TP_ATTR_PEER_SESSION_ID), U32(300),
		NLA(6, L2TP_ATTR_PW_TYPE), U16(L2TP_PWTYPE_PPP), 0, 0,
	};
	static const uint8_t opts[] = {
		NLHDR(88, FAM, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0),
		GENL(L2TP_CMD_SESSION_CREATE, 1),
		NLA(8, L2TP_ATTR_CONN_ID), U32(100),
		NLA(8, L2TP_ATTR_SESSION_ID), U32(200),
		NLA(8, L2TP_ATTR_PEER_SESSION_ID), U32(300),
		NLA(6, L2TP_ATTR_PW_TYPE), U16(L2TP_PWTYPE_PPP), 0, 0,
		NLA(5, L2TP_ATTR_RECV_SEQ), 1, 0, 0, 0,
		NLA(5, L2TP_ATTR_SEND_SEQ), 0, 0, 0, 0,
		NLA(5, L2TP_ATTR_LNS_MODE), 1, 0, 0, 0,
		NLA(12, L2TP_ATTR_RECV_TIMEOUT), U32(250), U32(0),
	};
	struct nl_l2tp_session_cfg c = {
		.conn_id = 100, .session_id = 200, .peer_session_id = 300,
		.recv_seq = -1, .send_seq = -1, .lns_mode = -1, .recv_timeout_ms = -1,
	};
	uint32_t buf[64];

	LE_ONLY();
	memset(buf, 0xa5, sizeof(buf));
	check_bytes(buf, nl_l2tp_build_session_create(buf, sizeof(buf), FAM, SEQ, &c),
		    plain, sizeof(plain));
	c.recv_seq = 7;		/* any non-zero is 1 on the wire */
	c.send_seq = 0;
	c.lns_mode = 1;
	c.recv_timeout_ms = 250;
	memset(buf, 0xa5, sizeof(buf));
	check_bytes(buf, nl_l2tp_build_session_create(buf, sizeof(buf), FAM, SEQ, &c),
		    opts, sizeof(opts));
	assert_int_equal(nl_l2tp_build_session_create(buf, 84, FAM, SEQ, &c), -EMSGSIZE);
}

static void test_build_session_delete_modify(void **state)
{
	static const uint8_t del[] = {
		NLHDR(36, FAM, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0),
		GENL(L2TP_CMD_SESSION_DELETE, 1),
		NLA(8, L2TP_ATTR_CONN_ID), U32(5),
		NLA(8, L2TP_ATTR_SESSION_ID), U32(6),
	};
	static const uint8_t mod[] = {
		NLHDR(44, FAM, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0),
		GENL(L2TP_CMD_SESSION_MODIFY, 1),
		NLA(8, L2TP_ATTR_CONN_ID), U32(5),
		NLA(8, L2TP_ATTR_SESSION_ID), U32(6),
		NLA(5, L2TP_ATTR_SEND_SEQ), 1, 0, 0, 0,
	};
	struct nl_l2tp_session_cfg c = {
		.conn_id = 5, .session_id = 6, .peer_session_id = 99,
		.recv_seq = -1, .send_seq = 1, .lns_mode = -1, .recv_timeout_ms = -1,
	};
	uint32_t buf[64];

	LE_ONLY();
	check_bytes(buf, nl_l2tp_build_session_delete(buf, sizeof(buf), FAM, SEQ, 5, 6),
		    del, sizeof(del));
	check_bytes(buf, nl_l2tp_build_session_modify(buf, sizeof(buf), FAM, SEQ, &c),
		    mod, sizeof(mod));
}

static void test_build_gets(void **state)
{
	static const uint8_t tdump[] = {
		NLHDR(20, FAM, NLM_F_REQUEST | NLM_F_DUMP, SEQ, 0),
		GENL(L2TP_CMD_TUNNEL_GET, 1),
	};
	static const uint8_t tone[] = {
		NLHDR(28, FAM, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0),
		GENL(L2TP_CMD_TUNNEL_GET, 1),
		NLA(8, L2TP_ATTR_CONN_ID), U32(9),
	};
	static const uint8_t sdump[] = {
		NLHDR(20, FAM, NLM_F_REQUEST | NLM_F_DUMP, SEQ, 0),
		GENL(L2TP_CMD_SESSION_GET, 1),
	};
	static const uint8_t sone[] = {
		NLHDR(36, FAM, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0),
		GENL(L2TP_CMD_SESSION_GET, 1),
		NLA(8, L2TP_ATTR_CONN_ID), U32(9),
		NLA(8, L2TP_ATTR_SESSION_ID), U32(10),
	};
	uint32_t buf[64];

	LE_ONLY();
	check_bytes(buf, nl_l2tp_build_tunnel_get(buf, sizeof(buf), FAM, SEQ, 0),
		    tdump, sizeof(tdump));
	check_bytes(buf, nl_l2tp_build_tunnel_get(buf, sizeof(buf), FAM, SEQ, 9),
		    tone, sizeof(tone));
	check_bytes(buf, nl_l2tp_build_session_get(buf, sizeof(buf), FAM, SEQ, 0, 0),
		    sdump, sizeof(sdump));
	check_bytes(buf, nl_l2tp_build_session_get(buf, sizeof(buf), FAM, SEQ, 9, 10),
		    sone, sizeof(sone));
}

static void test_build_newlink_ppp(void **state)
{
	static const uint8_t exp[] = {
		NLHDR(68, RTM_NEWLINK,
		      NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, SEQ, 0),
		/* struct ifinfomsg: all zero, AF_UNSPEC */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		NLA(10, IFLA_IFNAME), 'p', 'p', 'p', '4', '2', 0, 0, 0,
		NLA(24, NLA_F_NESTED | IFLA_LINKINFO),
		  NLA(8, IFLA_INFO_KIND), 'p', 'p', 'p', 0,
		  NLA(12, NLA_F_NESTED | IFLA_INFO_DATA),
		    NLA(8, IFLA_PPP_DEV_FD), U32(11),
	};
	uint32_t buf[64];

	LE_ONLY();
	memset(buf, 0xa5, sizeof(buf));
	check_bytes(buf, ppp_chan_newlink_build(buf, sizeof(buf), SEQ, "ppp42", 11),
		    exp, sizeof(exp));
	assert_int_equal(ppp_chan_newlink_build(buf, sizeof(buf), SEQ, "", 11), -EINVAL);
	assert_int_equal(ppp_chan_newlink_build(buf, sizeof(buf), SEQ, "sixteen-chars-xx", 11),
			 -EINVAL);
	assert_int_equal(ppp_chan_newlink_build(buf, 60, SEQ, "ppp42", 11), -EMSGSIZE);
}

/* A unit's MTU and IFF_UP in one RTM_NEWLINK on its index; its /32 pair in
 * one RTM_NEWADDR (what every PPP session's pppN gets). */
static void test_build_unit_config(void **state)
{
	static const uint8_t mtu_up[] = {
		NLHDR(40, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0),
		/* struct ifinfomsg: AF_UNSPEC, index 7, flags IFF_UP, change IFF_UP */
		0, 0, 0, 0, U32(7), U32(IFF_UP), U32(IFF_UP),
		NLA(8, IFLA_MTU), U32(1400),
	};
	static const uint8_t down[] = {
		NLHDR(32, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0),
		0, 0, 0, 0, U32(7), U32(0), U32(IFF_UP),
	};
	static const uint8_t mtu_only[] = {
		NLHDR(40, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, SEQ, 0),
		0, 0, 0, 0, U32(7), U32(0), U32(0),
		NLA(8, IFLA_MTU), U32(1400),
	};
	static const uint8_t addr[] = {
		NLHDR(40, RTM_NEWADDR,
		      NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, SEQ, 0),
		/* struct ifaddrmsg: AF_INET, /32, no flags, scope global, index 7 */
		AF_INET, 32, 0, RT_SCOPE_UNIVERSE, U32(7),
		NLA(8, IFA_LOCAL), 10, 0, 0, 1,
		NLA(8, IFA_ADDRESS), 10, 1, 0, 5,
	};
	uint32_t buf[64];
	uint32_t local = htonl(0x0a000001), peer = htonl(0x0a010005);

	LE_ONLY();
	check_bytes(buf, ppp_chan_setlink_build(buf, sizeof(buf), SEQ, 7, 1400, 1),
		    mtu_up, sizeof(mtu_up));
	check_bytes(buf, ppp_chan_setlink_build(buf, sizeof(buf), SEQ, 7, 0, 0),
		    down, sizeof(down));
	check_bytes(buf, ppp_chan_setlink_build(buf, sizeof(buf), SEQ, 7, 1400, -1),
		    mtu_only, sizeof(mtu_only));
	check_bytes(buf, ppp_chan_addr4_build(buf, sizeof(buf), SEQ, 7, local, peer),
		    addr, sizeof(addr));
	/* nothing to change, no interface, no room */
	assert_int_equal(ppp_chan_setlink_build(buf, sizeof(buf), SEQ, 7, 0, -1), -EINVAL);
	assert_int_equal(ppp_chan_setlink_build(buf, sizeof(buf), SEQ, 0, 1400, 1), -EINVAL);
	assert_int_equal(ppp_chan_setlink_build(buf, 36, SEQ, 7, 1400, 1), -EMSGSIZE);
	assert_int_equal(ppp_chan_addr4_build(buf, sizeof(buf), SEQ, 0, local, peer), -EINVAL);
	assert_int_equal(ppp_chan_addr4_build(buf, sizeof(buf), SEQ, 7, 0, peer), -EINVAL);
	assert_int_equal(ppp_chan_addr4_build(buf, sizeof(buf), SEQ, 7, local, 0), -EINVAL);
	assert_int_equal(ppp_chan_addr4_build(buf, 36, SEQ, 7, local, peer), -EMSGSIZE);
}

/* lo's MTU (0 on failure) and whether it is up, through ioctl. */
static unsigned int lo_mtu(int *up)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	unsigned int mtu = 0;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return 0;
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0)
		mtu = (unsigned int)ifr.ifr_mtu;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0)
		*up = (ifr.ifr_flags & IFF_UP) != 0;
	else
		mtu = 0;
	close(fd);
	return mtu;
}

/* The child's part of test_kernel_unit_config: its exit status says what
 * went wrong. */
static int t_unit_config_child(void)
{
	struct nl_l2tp_sock *route;
	char err[160] = "";
	int up = -1;

	if (nl_l2tp_sock_open(NETLINK_ROUTE, &route) < 0)
		return 1;
	/* lo of a new namespace: index 1, down, MTU 65536 */
	if (ppp_chan_link_set(route, 1, 1400, -1, err, sizeof(err)) < 0 ||
	    lo_mtu(&up) != 1400 || up != 0)
		return 2;
	if (ppp_chan_link_set(route, 1, 0, 1, err, sizeof(err)) < 0 || lo_mtu(&up) != 1400 ||
	    up != 1)
		return 3;
	if (ppp_chan_addr4_add(route, 1, htonl(0x0a000001), htonl(0x0a010005), err,
			       sizeof(err)) < 0)
		return 4;
	/* the same pair again: EEXIST, said */
	if (ppp_chan_addr4_add(route, 1, htonl(0x0a000001), htonl(0x0a010005), err,
			       sizeof(err)) != -EEXIST || strstr(err, "add address: ") != err)
		return 5;
	if (ppp_chan_link_set(route, 1, 0, 0, err, sizeof(err)) < 0 || lo_mtu(&up) != 1400 ||
	    up != 0)
		return 6;
	if (ppp_chan_link_set(route, 999, 1400, -1, err, sizeof(err)) != -ENODEV ||
	    strstr(err, "set mtu: ") != err)
		return 7;
	/* a unit's index by its name */
	if (ppp_chan_ifindex("lo", err, sizeof(err)) != 1)
		return 8;
	if (ppp_chan_ifindex("ppp4242", err, sizeof(err)) != -ENODEV ||
	    strcmp(err, "link ppp4242: No such device") != 0)
		return 9;
	if (ppp_chan_ifindex("", err, sizeof(err)) != -EINVAL ||
	    ppp_chan_ifindex("sixteen-chars-xx", err, sizeof(err)) != -EINVAL)
		return 10;
	nl_l2tp_sock_close(route);
	return 0;
}

/* In a network namespace of its own (a child process: root only), the
 * requests that configure every PPP unit, against the kernel, on lo. */
static void test_kernel_unit_config(void **state)
{
	(void)state;
	t_in_netns(t_unit_config_child);
}

/* ---- the reply walker ------------------------------------------------------- */

static int count_cb(const struct nlmsghdr *nlh, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int fail_cb(const struct nlmsghdr *nlh, void *arg)
{
	return -ENOMEM;
}

static void test_walk_ack_and_errors(void **state)
{
	struct nl_l2tp_reply r = reply();
	struct tb b = { .len = 0 };
	struct nlmsgerr e = { .error = -EEXIST };
	size_t off;

	tb_ack(&b, 0, SEQ, PORTID);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), 0);

	b.len = 0;
	tb_ack(&b, -EPERM, SEQ, PORTID);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -EPERM);
	assert_string_equal(r.ext_msg, "");

	/* A positive or absurd error is a malformed message, not an errno. */
	b.len = 0;
	tb_ack(&b, 5, SEQ, PORTID);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -EBADMSG);
	b.len = 0;
	tb_ack(&b, -100000, SEQ, PORTID);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -EBADMSG);

	/* NLMSG_ERROR too short for struct nlmsgerr. */
	b.len = 0;
	off = tb_msg(&b, NLMSG_ERROR, 0, SEQ, PORTID);
	tb_put(&b, &e, 12);
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -EBADMSG);

	/* Extended ack, capped: the TLVs follow struct nlmsgerr. */
	b.len = 0;
	off = tb_msg(&b, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, SEQ, PORTID);
	e.msg.nlmsg_len = 60;
	tb_put(&b, &e, sizeof(e));
	tb_u32(&b, NLMSGERR_ATTR_OFFS, 20);
	tb_str(&b, NLMSGERR_ATTR_MSG, "Tunnel already exists");
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -EEXIST);
	assert_string_equal(r.ext_msg, "Tunnel already exists");

	/* Not capped: the request (here 24 bytes) is echoed before the TLVs. */
	r = reply();
	b.len = 0;
	off = tb_msg(&b, NLMSG_ERROR, NLM_F_ACK_TLVS, SEQ, PORTID);
	e.msg.nlmsg_len = 24;
	tb_put(&b, &e, sizeof(e));
	tb_u32(&b, L2TP_ATTR_CONN_ID, 7);	/* the echoed payload */
	tb_str(&b, NLMSGERR_ATTR_MSG, "echoed");
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -EEXIST);
	assert_string_equal(r.ext_msg, "echoed");

	/* An echo claiming more than the message holds: the errno still stands. */
	r = reply();
	b.len = 0;
	off = tb_msg(&b, NLMSG_ERROR, NLM_F_ACK_TLVS, SEQ, PORTID);
	e.msg.nlmsg_len = 4000;
	tb_put(&b, &e, sizeof(e));
	tb_str(&b, NLMSGERR_ATTR_MSG, "lost");
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -EEXIST);
	assert_string_equal(r.ext_msg, "");
}

static void test_walk_malformed_headers(void **state)
{
	struct nl_l2tp_reply r = reply();
	struct tb b = { .len = 0 };
	struct nlmsghdr h;
	size_t off;

	/* Truncated header. */
	tb_ack(&b, 0, SEQ, PORTID);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, 10), -EBADMSG);
	/* A whole message followed by half a header. */
	b.len = 0;
	off = tb_msg(&b, FAM, NLM_F_MULTI, SEQ, PORTID);
	tb_genl(&b, L2TP_CMD_TUNNEL_GET);
	tb_end(&b, off);
	tb_put(&b, "\x10\0\0\0\0\0\0\0", 8);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -EBADMSG);
	/* nlmsg_len past the buffer. */
	b.len = 0;
	tb_ack(&b, 0, SEQ, PORTID);
	memcpy(&h, b.w, sizeof(h));
	h.nlmsg_len = (uint32_t)b.len + 4;
	memcpy(b.w, &h, sizeof(h));
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -EBADMSG);
	/* nlmsg_len shorter than a header (would loop forever if trusted). */
	h.nlmsg_len = 0;
	memcpy(b.w, &h, sizeof(h));
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -EBADMSG);
	h.nlmsg_len = 15;
	memcpy(b.w, &h, sizeof(h));
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -EBADMSG);
}

static void test_walk_seq_portid(void **state)
{
	struct nl_l2tp_reply r = reply();
	struct tb b = { .len = 0 };

	tb_ack(&b, 0, SEQ + 1, PORTID);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -EPROTO);
	b.len = 0;
	tb_ack(&b, 0, SEQ, PORTID + 1);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -ESRCH);
	/* Port id 0 is a kernel notification, not our answer. */
	b.len = 0;
	tb_ack(&b, 0, SEQ, 0);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -ESRCH);
	b.len = 0;
	tb_ack(&b, 0, 0, PORTID);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -EPROTO);
}

static void test_walk_dump(void **state)
{
	struct nl_l2tp_reply r = reply();
	struct tb b = { .len = 0 };
	int n = 0;
	size_t off;

	r.cb = count_cb;
	r.arg = &n;
	for (int i = 0; i < 2; i++) {
		off = tb_msg(&b, FAM, NLM_F_MULTI, SEQ, PORTID);
		tb_genl(&b, L2TP_CMD_TUNNEL_GET);
		tb_end(&b, off);
	}
	off = tb_msg(&b, NLMSG_NOOP, 0, SEQ, PORTID);	/* skipped */
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), NL_L2TP_MORE);
	assert_int_equal(n, 2);
	assert_int_equal(r.msgs, 2);

	b.len = 0;
	off = tb_msg(&b, FAM, NLM_F_MULTI, SEQ, PORTID);
	tb_genl(&b, L2TP_CMD_TUNNEL_GET);
	tb_end(&b, off);
	tb_done(&b, 0, SEQ, PORTID);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), 0);
	assert_int_equal(n, 3);

	/* A dump that failed says so in NLMSG_DONE. */
	b.len = 0;
	tb_done(&b, -ENOBUFS, SEQ, PORTID);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -ENOBUFS);

	/* The kernel flags an inconsistent dump. */
	b.len = 0;
	off = tb_msg(&b, FAM, NLM_F_MULTI | NLM_F_DUMP_INTR, SEQ, PORTID);
	tb_genl(&b, L2TP_CMD_TUNNEL_GET);
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -EINTR);

	/* The callback's error stops the walk. */
	b.len = 0;
	off = tb_msg(&b, FAM, NLM_F_MULTI, SEQ, PORTID);
	tb_genl(&b, L2TP_CMD_TUNNEL_GET);
	tb_end(&b, off);
	tb_done(&b, 0, SEQ, PORTID);
	r.cb = fail_cb;
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -ENOMEM);
}

/* ---- attributes ---------------------------------------------------------------- */

static const struct nl_l2tp_policy pol[4] = {
	[1] = { MNL_TYPE_U32, 0, 0 },
	[2] = { MNL_TYPE_NUL_STRING, 1, 8 },
	/* [3]: known to the caller, not checked: skipped */
};

static void test_attr_parse(void **state)
{
	const struct nlattr *tb[4];
	struct tb b = { .len = 0 };
	uint32_t v = 42;

	tb_u32(&b, 1, 42);
	tb_str(&b, 2, "abc");
	tb_u16(&b, 3, 9);
	tb_u64(&b, 200, 1);			/* beyond the table: skipped */
	tb_u32(&b, NLA_F_NESTED | 1, 43);	/* flags masked off; the last one wins */
	assert_int_equal(nl_l2tp_attr_parse(b.w, b.len, pol, 4, tb), 0);
	assert_non_null(tb[1]);
	assert_int_equal(mnl_attr_get_u32(tb[1]), 43);
	assert_string_equal(mnl_attr_get_str(tb[2]), "abc");
	assert_null(tb[3]);
	assert_null(tb[0]);

	/* Attribute length below its header, or 0 (would never advance). */
	b.len = 0;
	tb_attr_raw(&b, 3, 1, &v, 4);
	assert_int_equal(nl_l2tp_attr_parse(b.w, b.len, pol, 4, tb), -EBADMSG);
	b.len = 0;
	tb_attr_raw(&b, 0, 1, &v, 4);
	assert_int_equal(nl_l2tp_attr_parse(b.w, b.len, pol, 4, tb), -EBADMSG);
	/* Length past the end. */
	b.len = 0;
	tb_attr_raw(&b, 12, 1, &v, 4);
	assert_int_equal(nl_l2tp_attr_parse(b.w, b.len, pol, 4, tb), -EBADMSG);
	/* Trailing bytes that cannot be an attribute. */
	b.len = 0;
	tb_u32(&b, 1, 1);
	assert_int_equal(nl_l2tp_attr_parse(b.w, b.len + 2, pol, 4, tb), -EBADMSG);
	/* Wrong size for the type. */
	b.len = 0;
	tb_u16(&b, 1, 1);
	assert_int_equal(nl_l2tp_attr_parse(b.w, b.len, pol, 4, tb), -ERANGE);
	b.len = 0;
	tb_u64(&b, 1, 1);
	assert_int_equal(nl_l2tp_attr_parse(b.w, b.len, pol, 4, tb), -ERANGE);
	/* Strings: NUL-terminated, within bounds. */
	b.len = 0;
	tb_attr(&b, 2, "abc", 3);
	assert_int_equal(nl_l2tp_attr_parse(b.w, b.len, pol, 4, tb), -EINVAL);
	b.len = 0;
	tb_str(&b, 2, "abcdefghij");
	assert_int_equal(nl_l2tp_attr_parse(b.w, b.len, pol, 4, tb), -ERANGE);
	b.len = 0;
	tb_attr(&b, 2, NULL, 0);
	assert_int_equal(nl_l2tp_attr_parse(b.w, b.len, pol, 4, tb), -ERANGE);
	/* An empty payload is fine. */
	assert_int_equal(nl_l2tp_attr_parse(b.w, 0, pol, 4, tb), 0);
}

/* ---- replies of the l2tp family ---------------------------------------------- */

static void tb_stats(struct tb *b, uint64_t base)
{
	size_t nest = tb_nest(b, L2TP_ATTR_STATS);

	tb_attr(b, L2TP_ATTR_STATS_PAD, NULL, 0);	/* the kernel's 64-bit alignment filler */
	tb_u64(b, L2TP_ATTR_TX_PACKETS, base + 1);
	tb_u64(b, L2TP_ATTR_TX_BYTES, base + 2);
	tb_u64(b, L2TP_ATTR_TX_ERRORS, base + 3);
	tb_u64(b, L2TP_ATTR_RX_PACKETS, base + 4);
	tb_u64(b, L2TP_ATTR_RX_BYTES, base + 5);
	tb_u64(b, L2TP_ATTR_RX_SEQ_DISCARDS, base + 6);
	tb_u64(b, L2TP_ATTR_RX_COOKIE_DISCARDS, base + 9);
	tb_u64(b, L2TP_ATTR_RX_OOS_PACKETS, base + 7);
	tb_u64(b, L2TP_ATTR_RX_ERRORS, base + 8);
	tb_u64(b, L2TP_ATTR_RX_INVALID, base + 10);
	tb_u64(b, 99, 12345);				/* a counter from a newer kernel */
	tb_nest_end(b, nest);
}

static size_t tb_tunnel(struct tb *b, uint32_t conn_id, int with_stats)
{
	size_t off = tb_msg(b, FAM, NLM_F_MULTI, SEQ, PORTID);

	tb_genl(b, L2TP_CMD_TUNNEL_GET);
	tb_u32(b, L2TP_ATTR_CONN_ID, conn_id);
	tb_u32(b, L2TP_ATTR_PEER_CONN_ID, 26355);
	tb_u8(b, L2TP_ATTR_PROTO_VERSION, 2);
	tb_u16(b, L2TP_ATTR_ENCAP_TYPE, L2TP_ENCAPTYPE_UDP);
	tb_u32(b, L2TP_ATTR_DEBUG, 0);
	tb_u32(b, 250, 0xdeadbeef);			/* unknown: skipped */
	if (with_stats)
		tb_stats(b, 1000);
	tb_u16(b, L2TP_ATTR_UDP_SPORT, 1701);
	tb_u16(b, L2TP_ATTR_UDP_DPORT, 1702);
	tb_u8(b, L2TP_ATTR_UDP_CSUM, 0);
	tb_u32(b, L2TP_ATTR_IP_SADDR, htonl(0xc0000201));
	tb_u32(b, L2TP_ATTR_IP_DADDR, htonl(0xc0000202));
	tb_end(b, off);
	return off;
}

static void test_parse_tunnel(void **state)
{
	struct nl_l2tp_tunnel t;
	struct tb b = { .len = 0 };
	size_t off;

	off = tb_tunnel(&b, 33003, 1);
	assert_int_equal(nl_l2tp_parse_tunnel(tb_nlh(&b, off), FAM, &t), 0);
	assert_int_equal(t.conn_id, 33003);
	assert_int_equal(t.peer_conn_id, 26355);
	assert_int_equal(t.proto_version, 2);
	assert_int_equal(t.encap_type, L2TP_ENCAPTYPE_UDP);
	assert_int_equal(t.udp_sport, 1701);
	assert_int_equal(t.udp_dport, 1702);
	assert_int_equal(t.ip_saddr, htonl(0xc0000201));
	assert_int_equal(t.ip_daddr, htonl(0xc0000202));
	assert_int_equal(t.stats.tx_packets, 1001);
	assert_int_equal(t.stats.tx_bytes, 1002);
	assert_int_equal(t.stats.tx_errors, 1003);
	assert_int_equal(t.stats.rx_packets, 1004);
	assert_int_equal(t.stats.rx_bytes, 1005);
	assert_int_equal(t.stats.rx_seq_discards, 1006);
	assert_int_equal(t.stats.rx_oos_packets, 1007);
	assert_int_equal(t.stats.rx_errors, 1008);
	assert_int_equal(t.stats.rx_cookie_discards, 1009);
	assert_int_equal(t.stats.rx_invalid, 1010);

	/* Not our family, not the command asked. */
	assert_int_equal(nl_l2tp_parse_tunnel(tb_nlh(&b, off), FAM + 1, &t), -EPROTO);
	b.len = 0;
	off = tb_msg(&b, FAM, 0, SEQ, PORTID);
	tb_genl(&b, L2TP_CMD_SESSION_GET);
	tb_u32(&b, L2TP_ATTR_CONN_ID, 1);
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_parse_tunnel(tb_nlh(&b, off), FAM, &t), -EPROTO);
	/* No CONN_ID. */
	b.len = 0;
	off = tb_msg(&b, FAM, 0, SEQ, PORTID);
	tb_genl(&b, L2TP_CMD_TUNNEL_GET);
	tb_u32(&b, L2TP_ATTR_PEER_CONN_ID, 1);
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_parse_tunnel(tb_nlh(&b, off), FAM, &t), -EBADMSG);
	/* Shorter than the generic netlink header. */
	b.len = 0;
	off = tb_msg(&b, FAM, 0, SEQ, PORTID);
	tb_put(&b, "\x04\x01", 2);
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_parse_tunnel(tb_nlh(&b, off), FAM, &t), -EBADMSG);
	/* CONN_ID of the wrong size. */
	b.len = 0;
	off = tb_msg(&b, FAM, 0, SEQ, PORTID);
	tb_genl(&b, L2TP_CMD_TUNNEL_GET);
	tb_u16(&b, L2TP_ATTR_CONN_ID, 1);
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_parse_tunnel(tb_nlh(&b, off), FAM, &t), -ERANGE);
}

static void test_parse_stats_malformed(void **state)
{
	struct nl_l2tp_stats st;
	struct tb b = { .len = 0 };
	uint64_t v = 1;
	size_t nest;

	/* An inner attribute running past the end of its nest. */
	nest = tb_nest(&b, L2TP_ATTR_STATS);
	tb_attr_raw(&b, 20, L2TP_ATTR_TX_PACKETS, &v, 8);
	tb_nest_end(&b, nest);
	assert_int_equal(nl_l2tp_parse_stats((const struct nlattr *)b.w, &st), -EBADMSG);
	/* A 64-bit counter in 4 bytes. */
	b.len = 0;
	nest = tb_nest(&b, L2TP_ATTR_STATS);
	tb_u32(&b, L2TP_ATTR_RX_BYTES, 1);
	tb_nest_end(&b, nest);
	assert_int_equal(nl_l2tp_parse_stats((const struct nlattr *)b.w, &st), -ERANGE);
	/* An empty nest is all zeroes. */
	b.len = 0;
	nest = tb_nest(&b, L2TP_ATTR_STATS);
	tb_nest_end(&b, nest);
	assert_int_equal(nl_l2tp_parse_stats((const struct nlattr *)b.w, &st), 0);
	assert_int_equal(st.rx_bytes, 0);
	/* A bad nest fails the whole tunnel. */
	b.len = 0;
	{
		size_t off = tb_msg(&b, FAM, 0, SEQ, PORTID);
		struct nl_l2tp_tunnel t;

		tb_genl(&b, L2TP_CMD_TUNNEL_GET);
		tb_u32(&b, L2TP_ATTR_CONN_ID, 1);
		nest = tb_nest(&b, L2TP_ATTR_STATS);
		tb_u32(&b, L2TP_ATTR_TX_BYTES, 1);
		tb_nest_end(&b, nest);
		tb_end(&b, off);
		assert_int_equal(nl_l2tp_parse_tunnel(tb_nlh(&b, off), FAM, &t), -ERANGE);
	}
}

static size_t tb_session(struct tb *b, uint32_t tid, uint32_t sid, const void *cookie,
			 size_t cookie_len)
{
	size_t off = tb_msg(b, FAM, NLM_F_MULTI, SEQ, PORTID);

	tb_genl(b, L2TP_CMD_SESSION_GET);
	tb_u32(b, L2TP_ATTR_CONN_ID, tid);
	tb_u32(b, L2TP_ATTR_SESSION_ID, sid);
	tb_u32(b, L2TP_ATTR_PEER_CONN_ID, 26355);
	tb_u32(b, L2TP_ATTR_PEER_SESSION_ID, sid + 1000);
	tb_u32(b, L2TP_ATTR_DEBUG, 0);
	tb_u16(b, L2TP_ATTR_PW_TYPE, L2TP_PWTYPE_PPP);
	tb_str(b, L2TP_ATTR_IFNAME, "l2tpeth0");
	if (cookie)
		tb_attr(b, L2TP_ATTR_COOKIE, cookie, cookie_len);
	tb_attr(b, L2TP_ATTR_PEER_COOKIE, "\x01\x02\x03\x04", 4);
	tb_u8(b, L2TP_ATTR_RECV_SEQ, 1);
	tb_u8(b, L2TP_ATTR_SEND_SEQ, 0);
	tb_u8(b, L2TP_ATTR_LNS_MODE, 1);
	tb_attr(b, L2TP_ATTR_PAD, NULL, 0);
	tb_u64(b, L2TP_ATTR_RECV_TIMEOUT, 300);
	tb_stats(b, 0);
	tb_end(b, off);
	return off;
}

static void test_parse_session(void **state)
{
	static const uint8_t c8[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t c12[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	struct nl_l2tp_session s;
	struct tb b = { .len = 0 };
	size_t off;

	off = tb_session(&b, 40000, 10, c8, 8);
	assert_int_equal(nl_l2tp_parse_session(tb_nlh(&b, off), FAM, &s), 0);
	assert_int_equal(s.conn_id, 40000);
	assert_int_equal(s.session_id, 10);
	assert_int_equal(s.peer_conn_id, 26355);
	assert_int_equal(s.peer_session_id, 1010);
	assert_int_equal(s.pw_type, L2TP_PWTYPE_PPP);
	assert_string_equal(s.ifname, "l2tpeth0");
	assert_int_equal(s.cookie_len, 8);
	assert_memory_equal(s.cookie, c8, 8);
	assert_int_equal(s.peer_cookie_len, 4);
	assert_memory_equal(s.peer_cookie, "\x01\x02\x03\x04", 4);
	assert_int_equal(s.recv_seq, 1);
	assert_int_equal(s.send_seq, 0);
	assert_int_equal(s.lns_mode, 1);
	assert_int_equal(s.recv_timeout_ms, 300);
	assert_int_equal(s.stats.rx_packets, 4);
	assert_int_equal(s.stats.rx_oos_packets, 7);

	/* A cookie longer than 8 bytes is never copied into the 8-byte array. */
	b.len = 0;
	memset(&s, 0x5a, sizeof(s));
	off = tb_session(&b, 1, 2, c12, sizeof(c12));
	assert_int_equal(nl_l2tp_parse_session(tb_nlh(&b, off), FAM, &s), -ERANGE);
	/* Nor one of a size no cookie has. */
	b.len = 0;
	off = tb_session(&b, 1, 2, c8, 6);
	assert_int_equal(nl_l2tp_parse_session(tb_nlh(&b, off), FAM, &s), -ERANGE);
	/* An empty cookie is allowed. */
	b.len = 0;
	off = tb_session(&b, 1, 2, c8, 0);
	assert_int_equal(nl_l2tp_parse_session(tb_nlh(&b, off), FAM, &s), 0);
	assert_int_equal(s.cookie_len, 0);
	/* No SESSION_ID. */
	b.len = 0;
	off = tb_msg(&b, FAM, 0, SEQ, PORTID);
	tb_genl(&b, L2TP_CMD_SESSION_GET);
	tb_u32(&b, L2TP_ATTR_CONN_ID, 1);
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_parse_session(tb_nlh(&b, off), FAM, &s), -EBADMSG);
	/* An interface name that does not fit, or is not terminated. */
	b.len = 0;
	off = tb_msg(&b, FAM, 0, SEQ, PORTID);
	tb_genl(&b, L2TP_CMD_SESSION_GET);
	tb_u32(&b, L2TP_ATTR_CONN_ID, 1);
	tb_u32(&b, L2TP_ATTR_SESSION_ID, 1);
	tb_str(&b, L2TP_ATTR_IFNAME, "seventeen-chars-x");
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_parse_session(tb_nlh(&b, off), FAM, &s), -ERANGE);
	b.len = 0;
	off = tb_msg(&b, FAM, 0, SEQ, PORTID);
	tb_genl(&b, L2TP_CMD_SESSION_GET);
	tb_u32(&b, L2TP_ATTR_CONN_ID, 1);
	tb_u32(&b, L2TP_ATTR_SESSION_ID, 1);
	tb_attr(&b, L2TP_ATTR_IFNAME, "ppp0", 4);
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_parse_session(tb_nlh(&b, off), FAM, &s), -EINVAL);
}

struct sess_list {
	struct nl_l2tp_session s[4];
	int n;
};

static int sess_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct sess_list *l = arg;

	if (l->n == 4)
		return -ENOSPC;
	return nl_l2tp_parse_session(nlh, FAM, &l->s[l->n++]);
}

static void test_walk_session_dump(void **state)
{
	struct nl_l2tp_reply r = reply();
	struct sess_list l = { .n = 0 };
	struct tb b = { .len = 0 };

	r.cb = sess_cb;
	r.arg = &l;
	tb_session(&b, 5, 1, NULL, 0);
	tb_session(&b, 5, 2, NULL, 0);
	tb_session(&b, 6, 1, NULL, 0);
	tb_done(&b, 0, SEQ, PORTID);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.s[1].session_id, 2);
	assert_int_equal(l.s[2].conn_id, 6);

	/* A malformed message in the middle fails the dump. */
	l.n = 0;
	b.len = 0;
	tb_session(&b, 5, 1, NULL, 0);
	tb_session(&b, 5, 2, "123456789", 9);
	tb_done(&b, 0, SEQ, PORTID);
	assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), -ERANGE);
}

static void test_parse_family(void **state)
{
	struct nl_l2tp_family f;
	struct tb b = { .len = 0 };
	size_t off, nest, grp;

	off = tb_msg(&b, GENL_ID_CTRL, 0, SEQ, PORTID);
	tb_genl(&b, CTRL_CMD_NEWFAMILY);
	tb_str(&b, CTRL_ATTR_FAMILY_NAME, "l2tp");
	tb_u16(&b, CTRL_ATTR_FAMILY_ID, FAM);
	tb_u32(&b, CTRL_ATTR_VERSION, 1);
	tb_u32(&b, CTRL_ATTR_HDRSIZE, 0);
	tb_u32(&b, CTRL_ATTR_MAXATTR, L2TP_ATTR_MAX);
	nest = tb_nest(&b, CTRL_ATTR_OPS);
	grp = tb_nest(&b, 1);
	tb_u32(&b, CTRL_ATTR_OP_ID, L2TP_CMD_TUNNEL_CREATE);
	tb_nest_end(&b, grp);
	tb_nest_end(&b, nest);
	nest = tb_nest(&b, CTRL_ATTR_MCAST_GROUPS);
	grp = tb_nest(&b, 1);
	tb_str(&b, CTRL_ATTR_MCAST_GRP_NAME, "l2tp");
	tb_u32(&b, CTRL_ATTR_MCAST_GRP_ID, 7);
	tb_nest_end(&b, grp);
	tb_nest_end(&b, nest);
	tb_u32(&b, 77, 1);				/* a newer kernel's attribute */
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_parse_family(tb_nlh(&b, off), &f), 0);
	assert_int_equal(f.id, FAM);
	assert_string_equal(f.name, "l2tp");
	assert_int_equal(f.version, 1);
	assert_int_equal(f.maxattr, L2TP_ATTR_MAX);

	/* Through the walker, with its acknowledgement. */
	{
		struct nl_l2tp_reply r = reply();
		int n = 0;

		r.cb = count_cb;
		r.arg = &n;
		tb_ack(&b, 0, SEQ, PORTID);
		assert_int_equal(nl_l2tp_reply_parse(&r, b.w, b.len), 0);
		assert_int_equal(n, 1);
	}

	/* Not the controller's answer. */
	b.len = 0;
	off = tb_msg(&b, GENL_ID_CTRL, 0, SEQ, PORTID);
	tb_genl(&b, CTRL_CMD_GETFAMILY);
	tb_str(&b, CTRL_ATTR_FAMILY_NAME, "l2tp");
	tb_u16(&b, CTRL_ATTR_FAMILY_ID, FAM);
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_parse_family(tb_nlh(&b, off), &f), -EPROTO);
	/* No id; an id in the reserved range; a name without its NUL. */
	b.len = 0;
	off = tb_msg(&b, GENL_ID_CTRL, 0, SEQ, PORTID);
	tb_genl(&b, CTRL_CMD_NEWFAMILY);
	tb_str(&b, CTRL_ATTR_FAMILY_NAME, "l2tp");
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_parse_family(tb_nlh(&b, off), &f), -EBADMSG);
	b.len = 0;
	off = tb_msg(&b, GENL_ID_CTRL, 0, SEQ, PORTID);
	tb_genl(&b, CTRL_CMD_NEWFAMILY);
	tb_str(&b, CTRL_ATTR_FAMILY_NAME, "l2tp");
	tb_u16(&b, CTRL_ATTR_FAMILY_ID, NLMSG_ERROR);
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_parse_family(tb_nlh(&b, off), &f), -EBADMSG);
	b.len = 0;
	off = tb_msg(&b, GENL_ID_CTRL, 0, SEQ, PORTID);
	tb_genl(&b, CTRL_CMD_NEWFAMILY);
	tb_attr(&b, CTRL_ATTR_FAMILY_NAME, "l2tp", 4);
	tb_u16(&b, CTRL_ATTR_FAMILY_ID, FAM);
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_parse_family(tb_nlh(&b, off), &f), -EINVAL);
	/* A 32-bit family id. */
	b.len = 0;
	off = tb_msg(&b, GENL_ID_CTRL, 0, SEQ, PORTID);
	tb_genl(&b, CTRL_CMD_NEWFAMILY);
	tb_str(&b, CTRL_ATTR_FAMILY_NAME, "l2tp");
	tb_u32(&b, CTRL_ATTR_FAMILY_ID, FAM);
	tb_end(&b, off);
	assert_int_equal(nl_l2tp_parse_family(tb_nlh(&b, off), &f), -ERANGE);
}

/* ---- this host's kernel, through families every Linux has ----------------- */

static void test_resolve_live(void **state)
{
	struct nl_l2tp_family f;
	struct nl_l2tp_sock *s;
	char err[160] = "";
	int rc;

	if (nl_l2tp_sock_open(NETLINK_GENERIC, &s) < 0)
		skip();		/* no netlink here at all */
	assert_int_equal(nl_l2tp_resolve(s, "nlctrl", &f, err, sizeof(err)), 0);
	assert_int_equal(f.id, GENL_ID_CTRL);
	assert_string_equal(f.name, "nlctrl");
	rc = nl_l2tp_resolve(s, "no-such-family", &f, err, sizeof(err));
	assert_int_equal(rc, -ENOENT);
	assert_non_null(strstr(err, "no-such-family"));
	/* The socket stays usable after a failed exchange. */
	assert_int_equal(nl_l2tp_resolve(s, "nlctrl", &f, err, sizeof(err)), 0);
	nl_l2tp_sock_close(s);
}

static void test_rtnl_live(void **state)
{
	struct rtnl_ctx *r;
	char err[160] = "";

	if (rtnl_ctx_open(&r, err, sizeof(err)) < 0)
		skip();
	assert_int_equal(rtnl_ctx_ifindex(r, "lo", err, sizeof(err)), (int)if_nametoindex("lo"));
	assert_int_equal(rtnl_ctx_ifindex(r, "nosuchif0", err, sizeof(err)), -ENODEV);
	assert_non_null(strstr(err, "nosuchif0"));
	assert_int_equal(rtnl_ctx_ifindex(r, "", err, sizeof(err)), -EINVAL);
	rtnl_ctx_close(r);
}

/* ---- rtnetlink requests (built by libnl, checked here) ---------------------- */

static const struct nl_l2tp_policy ifa_pol[IFA_MAX + 1] = {
	[IFA_ADDRESS] = { MNL_TYPE_U32, 0, 0 },
	[IFA_LOCAL] = { MNL_TYPE_U32, 0, 0 },
};

static void test_rtnl_addr_msg(void **state)
{
	const uint32_t local = htonl(0x0a000001), peer = htonl(0x0a000102);
	const struct nlattr *tb[IFA_MAX + 1];
	uint32_t buf[128];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	struct ifaddrmsg *ifa;
	int len;

	len = rtnl_ctx_addr4_build(buf, sizeof(buf), 1, 7, local, peer);
	assert_true(len > 0);
	assert_int_equal(nlh->nlmsg_len, len);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWADDR);
	assert_true(nlh->nlmsg_flags & NLM_F_CREATE);
	assert_true(nlh->nlmsg_flags & NLM_F_EXCL);
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifa->ifa_family, AF_INET);
	assert_int_equal(ifa->ifa_prefixlen, 32);
	assert_int_equal(ifa->ifa_index, 7);
	assert_int_equal(nl_l2tp_attr_parse((uint8_t *)ifa + NLMSG_ALIGN(sizeof(*ifa)),
					    nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(sizeof(*ifa)),
					    ifa_pol, IFA_MAX + 1, tb), 0);
	assert_non_null(tb[IFA_LOCAL]);
	assert_non_null(tb[IFA_ADDRESS]);
	assert_int_equal(mnl_attr_get_u32(tb[IFA_LOCAL]), local);	/* ours */
	assert_int_equal(mnl_attr_get_u32(tb[IFA_ADDRESS]), peer);	/* the peer's */

	assert_true(rtnl_ctx_addr4_build(buf, sizeof(buf), 0, 7, local, peer) > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_DELADDR);
	assert_int_equal(rtnl_ctx_addr4_build(buf, sizeof(buf), 1, 0, local, peer), -EINVAL);
	assert_int_equal(rtnl_ctx_addr4_build(buf, sizeof(buf), 1, 7, local, 0), -EINVAL);
	assert_int_equal(rtnl_ctx_addr4_build(buf, 20, 1, 7, local, peer), -EMSGSIZE);
}

static const struct nl_l2tp_policy rta_pol[RTA_MAX + 1] = {
	[RTA_DST] = { MNL_TYPE_U32, 0, 0 },
	[RTA_OIF] = { MNL_TYPE_U32, 0, 0 },
	[RTA_GATEWAY] = { MNL_TYPE_U32, 0, 0 },
};

static void test_rtnl_route_msg(void **state)
{
	const struct nlattr *tb[RTA_MAX + 1];
	uint32_t buf[128];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	struct rtmsg *rtm;

	/* Host bits are cleared: the kernel refuses 10.1.2.3/24. */
	assert_true(rtnl_ctx_route4_build(buf, sizeof(buf), 1, 9, htonl(0x0a010203), 24) > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWROUTE);
	assert_true(nlh->nlmsg_flags & NLM_F_CREATE);
	rtm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(rtm->rtm_family, AF_INET);
	assert_int_equal(rtm->rtm_dst_len, 24);
	assert_int_equal(rtm->rtm_table, RT_TABLE_MAIN);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_LINK);
	assert_int_equal(rtm->rtm_protocol, RTPROT_STATIC);
	assert_int_equal(rtm->rtm_type, RTN_UNICAST);
	assert_int_equal(nl_l2tp_attr_parse((uint8_t *)rtm + NLMSG_ALIGN(sizeof(*rtm)),
					    nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(sizeof(*rtm)),
					    rta_pol, RTA_MAX + 1, tb), 0);
	assert_non_null(tb[RTA_DST]);
	assert_int_equal(mnl_attr_get_u32(tb[RTA_DST]), htonl(0x0a010200));
	assert_non_null(tb[RTA_OIF]);
	assert_int_equal(mnl_attr_get_u32(tb[RTA_OIF]), 9);
	assert_null(tb[RTA_GATEWAY]);

	assert_true(rtnl_ctx_route4_build(buf, sizeof(buf), 0, 9, htonl(0x0a010203), 32) > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_DELROUTE);
	assert_int_equal(rtnl_ctx_route4_build(buf, sizeof(buf), 1, 9, 0, 33), -EINVAL);
	assert_int_equal(rtnl_ctx_route4_build(buf, sizeof(buf), 1, 0, 0, 0), -EINVAL);
}

static const struct nl_l2tp_policy ifla_pol[IFLA_GROUP + 1] = {
	[IFLA_MTU] = { MNL_TYPE_U32, 0, 0 },
	[IFLA_GROUP] = { MNL_TYPE_U32, 0, 0 },
};

static void test_rtnl_link_msg(void **state)
{
	const struct nlattr *tb[IFLA_GROUP + 1];
	uint32_t buf[128];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	struct ifinfomsg *ifi;

	assert_true(rtnl_ctx_link_build(buf, sizeof(buf), 12, 1460, 1, 0) > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWLINK);
	assert_false(nlh->nlmsg_flags & NLM_F_CREATE);	/* a change, not a new link */
	ifi = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifi->ifi_index, 12);
	assert_int_equal(ifi->ifi_flags & IFF_UP, IFF_UP);
	assert_int_equal(ifi->ifi_change & IFF_UP, IFF_UP);
	assert_int_equal(nl_l2tp_attr_parse((uint8_t *)ifi + NLMSG_ALIGN(sizeof(*ifi)),
					    nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(sizeof(*ifi)),
					    ifla_pol, IFLA_GROUP + 1, tb), 0);
	assert_non_null(tb[IFLA_MTU]);
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_MTU]), 1460);

	assert_true(rtnl_ctx_link_build(buf, sizeof(buf), 12, 0, 0, 0) > 0);
	ifi = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifi->ifi_flags & IFF_UP, 0);
	assert_int_equal(ifi->ifi_change & IFF_UP, IFF_UP);
	assert_int_equal(nl_l2tp_attr_parse((uint8_t *)ifi + NLMSG_ALIGN(sizeof(*ifi)),
					    nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(sizeof(*ifi)),
					    ifla_pol, IFLA_GROUP + 1, tb), 0);
	assert_null(tb[IFLA_MTU]);
	assert_null(tb[IFLA_GROUP]);

	/* `ip tcp adjust-mss`: the interface joins a group (kernel_glue/nft_mss.h);
	 * nothing else changes. */
	assert_true(rtnl_ctx_link_build(buf, sizeof(buf), 12, 0, -1, 101400) > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWLINK);
	ifi = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifi->ifi_index, 12);
	assert_int_equal(ifi->ifi_change & IFF_UP, 0);
	assert_int_equal(nl_l2tp_attr_parse((uint8_t *)ifi + NLMSG_ALIGN(sizeof(*ifi)),
					    nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(sizeof(*ifi)),
					    ifla_pol, IFLA_GROUP + 1, tb), 0);
	assert_null(tb[IFLA_MTU]);
	assert_non_null(tb[IFLA_GROUP]);
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_GROUP]), 101400);
	assert_int_equal(rtnl_ctx_link_build(buf, sizeof(buf), 0, 1500, 1, 0), -EINVAL);
}

static void test_rtnl_errno(void **state)
{
	/* libnl's codes are part of its ABI (netlink/errno.h); the unit tests
	 * are built without libnl's include path, hence the numbers. */
	assert_int_equal(rtnl_ctx_errno(0), 0);
	assert_int_equal(rtnl_ctx_errno(-6), -EEXIST);		/* NLE_EXIST */
	assert_int_equal(rtnl_ctx_errno(-28), -EPERM);		/* NLE_PERM */
	assert_int_equal(rtnl_ctx_errno(-31), -ENODEV);		/* NLE_NODEV */
	assert_int_equal(rtnl_ctx_errno(-12), -ENOENT);		/* NLE_OBJ_NOTFOUND */
	assert_int_equal(rtnl_ctx_errno(-19), -EADDRNOTAVAIL);	/* NLE_NOADDR */
	assert_int_equal(rtnl_ctx_errno(-34), -ERANGE);		/* NLE_ATTRSIZE */
	assert_int_equal(rtnl_ctx_errno(-35), -EIO);		/* beyond NLE_MAX */
	assert_int_equal(rtnl_ctx_errno(-100000), -EIO);
}

/* ---- PPPoL2TP address and PPP frames ----------------------------------------- */

static void test_sockaddr_pppol2tp(void **state)
{
	static const uint8_t exp[38] = {
		U16(AF_PPPOX),				/* 0: sa_family */
		U32(PX_PROTO_OL2TP),			/* 2: sa_protocol */
		U32(0),					/* 6: pid: ours */
		0xff, 0xff, 0xff, 0xff,			/* 10: fd -1: the tunnel exists */
		U16(AF_INET), 0x06, 0xa5,		/* 14: sin_family, port 1701 */
		192, 0, 2, 1,				/* 18: peer address */
		0, 0, 0, 0, 0, 0, 0, 0,			/* 22: sin_zero */
		U16(33003), U16(10),			/* 30: s_tunnel, s_session */
		U16(26355), U16(28017),			/* 34: d_tunnel, d_session */
	};
	struct ppp_chan_addr a = {
		.tunnel_id = 33003, .session_id = 10,
		.peer_tunnel_id = 26355, .peer_session_id = 28017,
		.peer_addr = htonl(0xc0000201), .peer_port = htons(1701),
	};
	struct sockaddr_pppol2tp sa;

	/* The kernel tells L2TPv2/IPv4 from the address length: exactly 38. */
	assert_int_equal(sizeof(struct sockaddr_pppol2tp), 38);
	assert_int_equal(offsetof(struct sockaddr_pppol2tp, pppol2tp), 6);
	assert_int_equal(offsetof(struct sockaddr_pppol2tp, pppol2tp.s_tunnel), 30);
	assert_int_equal(offsetof(struct sockaddr_pppol2tp, pppol2tp.d_session), 36);
	assert_true(sizeof(struct sockaddr_pppol2tp) != sizeof(struct sockaddr_pppol2tpv3));
	assert_true(sizeof(struct sockaddr_pppol2tp) != sizeof(struct sockaddr_pppol2tpin6));
	LE_ONLY();
	memset(&sa, 0xa5, sizeof(sa));
	ppp_chan_sockaddr(&sa, &a);
	assert_memory_equal(&sa, exp, sizeof(exp));
}

static void test_name_unit(void **state)
{
	assert_int_equal(ppp_chan_name_unit("ppp0"), 0);
	assert_int_equal(ppp_chan_name_unit("ppp17"), 17);
	assert_int_equal(ppp_chan_name_unit("ppp"), -1);
	assert_int_equal(ppp_chan_name_unit("ppp07"), -1);
	assert_int_equal(ppp_chan_name_unit("ppp1a"), -1);
	assert_int_equal(ppp_chan_name_unit("pppoe0"), -1);
	assert_int_equal(ppp_chan_name_unit("sub7"), -1);
	assert_int_equal(ppp_chan_name_unit("ppp99999999999"), -1);
	assert_int_equal(ppp_chan_name_unit(NULL), -1);
}

static void test_frames(void **state)
{
	static const uint8_t lcp[] = { 1, 1, 0, 4 };	/* Configure-Request, no options */
	uint8_t buf[4096], big[3000];
	uint16_t proto;
	int sv[2];
	ssize_t n;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv), 0);
	/* Written: protocol then payload, in one datagram. */
	assert_int_equal(ppp_chan_write(sv[0], 0xc021, lcp, sizeof(lcp)), 0);
	n = read(sv[1], buf, sizeof(buf));
	assert_int_equal(n, 6);
	assert_memory_equal(buf, "\xc0\x21\x01\x01\x00\x04", 6);
	/* Read back. */
	assert_int_equal(ppp_chan_write(sv[1], 0x8021, lcp, sizeof(lcp)), 0);
	assert_int_equal(ppp_chan_read(sv[0], &proto, buf, sizeof(buf)), 4);
	assert_int_equal(proto, 0x8021);
	assert_memory_equal(buf, lcp, 4);
	/* Nothing queued. */
	assert_int_equal(ppp_chan_read(sv[0], &proto, buf, sizeof(buf)), -EAGAIN);
	/* A compressed (1-byte) protocol. */
	assert_int_equal(write(sv[1], "\x21\x45\x00", 3), 3);
	assert_int_equal(ppp_chan_read(sv[0], &proto, buf, sizeof(buf)), 2);
	assert_int_equal(proto, 0x21);
	assert_memory_equal(buf, "\x45\x00", 2);
	/* Too short, or an invalid protocol (low byte even). */
	assert_int_equal(write(sv[1], "\xc0", 1), 1);
	assert_int_equal(ppp_chan_read(sv[0], &proto, buf, sizeof(buf)), -EBADMSG);
	assert_int_equal(write(sv[1], "\xc0\x22\x01", 3), 3);
	assert_int_equal(ppp_chan_read(sv[0], &proto, buf, sizeof(buf)), -EBADMSG);
	/* A frame too big for the stack buffer goes through the heap. */
	memset(big, 0x7e, sizeof(big));
	assert_int_equal(ppp_chan_write(sv[0], 0x0021, big, sizeof(big)), 0);
	assert_int_equal(ppp_chan_read(sv[1], &proto, buf, sizeof(buf)), (ssize_t)sizeof(big));
	assert_int_equal(proto, 0x0021);
	assert_memory_equal(buf, big, sizeof(big));
	/* The other end gone. */
	close(sv[1]);
	assert_int_equal(ppp_chan_read(sv[0], &proto, buf, sizeof(buf)), -EPIPE);
	close(sv[0]);
	assert_int_equal(ppp_chan_read(-1, &proto, buf, sizeof(buf)), -EBADF);
}

static void test_fd_for(void **state)
{
	struct ppp_chan c;
	struct dp_ppp pp = { .chan_fd = 3, .unit_fd = -1 };

	ppp_chan_init(&c);
	assert_int_equal(c.pppox_fd, -1);
	assert_int_equal(c.unit, -1);
	c.chan_fd = 3;
	assert_int_equal(ppp_chan_fd_for(&c, 0xc021), 3);
	assert_int_equal(ppp_chan_fd_for(&c, 0x8021), 3);	/* no unit yet */
	c.unit_fd = 4;
	assert_int_equal(ppp_chan_fd_for(&c, 0xc223), 3);
	assert_int_equal(ppp_chan_fd_for(&c, 0x8021), 4);
	assert_int_equal(ppp_chan_fd_for(&c, 0x8057), 4);
	c.chan_fd = c.unit_fd = -1;
	ppp_chan_close(&c);	/* nothing open: harmless */
	pp.chan_fd = -1;
	assert_int_equal(dp_ppp_write(&pp, 0xc021, NULL, 0), -ENOTCONN);
}

/* ---- the data-path front end and the null backend ------------------------------- */

static void test_dp_create_choice(void **state)
{
	char err[256], why[160];
	struct dp *dp;
	int probe = dp_linux_probe(why, sizeof(why));

	assert_int_equal(dp_create("null", &dp, err, sizeof(err)), 0);
	assert_string_equal(dp->ops->name, "null");
	assert_non_null(strstr(err, "null"));
	dp_destroy(dp);
	assert_int_equal(dp_create("bogus", &dp, err, sizeof(err)), -EINVAL);
	assert_null(dp);
	assert_non_null(strstr(err, "bogus"));

	assert_int_equal(dp_create("auto", &dp, err, sizeof(err)), 0);
	if (probe < 0) {
		/* This host: no L2TP/PPP; "auto" says so, "linux" refuses with the reason. */
		assert_string_equal(dp->ops->name, "null");
		assert_non_null(strstr(dp->note, why));
		assert_non_null(strstr(err, "null"));
		dp_destroy(dp);
		assert_int_equal(dp_create("linux", &dp, err, sizeof(err)), probe);
		assert_null(dp);
		assert_non_null(strstr(err, why));
	} else {
		assert_string_equal(dp->ops->name, "linux");
		dp_destroy(dp);
	}
}

static struct dp *null_dp(void)
{
	struct dp_tunnel_params t = { .tunnel_id = 10, .peer_tunnel_id = 20, .fd = -1 };
	struct dp_session_params s = {
		.tunnel_id = 10, .session_id = 1, .peer_tunnel_id = 20, .peer_session_id = 101,
		.lns_mode = 1,
	};
	char err[256];
	struct dp *dp;

	assert_int_equal(dp_create("null", &dp, err, sizeof(err)), 0);
	assert_int_equal(dp_tunnel_create(dp, &t), 0);
	assert_int_equal(dp_session_create(dp, &s), 0);
	s.session_id = 2;
	s.peer_session_id = 102;
	assert_int_equal(dp_session_create(dp, &s), 0);
	return dp;
}

/* LAC client mode's PPPoL2TP socket: refused under null, nothing changed. */
static void test_null_ppp_socket(void **state)
{
	struct dp_ppp_params pp = {
		.tunnel_id = 10, .session_id = 1, .peer_tunnel_id = 20, .peer_session_id = 101,
	};
	struct dp *dp = null_dp();
	uint64_t errors = dp->count.errors;

	assert_int_equal(dp_ppp_socket_open(dp, &pp), -EOPNOTSUPP);
	assert_non_null(strstr(dp->err, "not supported"));
	assert_int_equal(dp->count.ppp_channels, 0);
	assert_int_equal(dp->count.errors, errors);
	dp_destroy(dp);
}

static void test_null_ppp(void **state)
{
	struct dp_ppp_params pp = {
		.tunnel_id = 10, .session_id = 1, .peer_tunnel_id = 20, .peer_session_id = 101,
	};
	struct dp_ppp_config cfg = {
		.mru = 1460, .mtu = 1460, .local = htonl(0x0a000001), .peer = htonl(0x0a000102),
		.up = 1,
	};
	struct dp *dp = null_dp();
	struct dp_session_info *si;
	struct dp_ppp p1, p2;
	size_t n;

	/* Channel: no fds under null; the daemon carries PPP itself. */
	assert_int_equal(dp_ppp_open(dp, &pp, &p1), 0);
	assert_int_equal(p1.chan_fd, -1);
	assert_int_equal(p1.unit_fd, -1);
	assert_int_equal(dp_ppp_write(&p1, 0xc021, (const uint8_t *)"x", 1), -ENOTCONN);
	assert_int_equal(dp_ppp_read(p1.chan_fd, &(uint16_t){ 0 }, (uint8_t[8]){ 0 }, 8),
			 -ENOTCONN);
	assert_int_equal(dp_ppp_open(dp, &pp, &p1), -EBUSY);
	pp.session_id = 9;
	assert_int_equal(dp_ppp_open(dp, &pp, &p2), -ENOENT);
	/* A unit needs a channel first. */
	assert_int_equal(dp_ppp_unit_open(dp, 10, 2, "ppp8", &p2), -ENOTCONN);
	assert_int_equal(dp_ppp_configure(dp, 10, 1, &cfg), -ENOTCONN);
	assert_int_equal(dp_route_add(dp, 10, 1, htonl(0x0a640000), 24), -ENOTCONN);
	assert_int_equal(dp_ppp_unit_open(dp, 10, 1, "ppp7", &p1), 0);
	assert_string_equal(p1.ifname, "ppp7");
	assert_int_equal(p1.unit_fd, -1);
	assert_int_equal(p1.ifindex, 0);
	assert_int_equal(dp_ppp_unit_open(dp, 10, 1, "ppp7", &p1), -EBUSY);
	assert_int_equal(dp_ppp_unit_open(dp, 10, 1, "a-name-far-too-long", &p1), -EINVAL);
	/* The name is taken, as the kernel would say. */
	pp.session_id = 2;
	pp.peer_session_id = 102;
	assert_int_equal(dp_ppp_open(dp, &pp, &p2), 0);
	assert_int_equal(dp_ppp_unit_open(dp, 10, 2, "ppp7", &p2), -EEXIST);
	assert_int_equal(dp_ppp_unit_open(dp, 10, 2, NULL, &p2), 0);
	assert_string_equal(p2.ifname, "");
	/* Configure, routes. */
	assert_int_equal(dp_ppp_configure(dp, 10, 1, &cfg), 0);
	cfg.peer = 0;
	assert_int_equal(dp_ppp_configure(dp, 10, 1, &cfg), -EINVAL);
	assert_int_equal(dp_route_add(dp, 10, 1, htonl(0x0a640000), 24), 0);
	assert_int_equal(dp_route_add(dp, 10, 2, htonl(0x0a640000), 24), -EEXIST);
	assert_int_equal(dp_route_add(dp, 10, 1, htonl(0x0a650000), 33), -EINVAL);
	/* session 2's unit is not up: its routes refused, as the kernel's */
	assert_int_equal(dp_route_add(dp, 10, 2, htonl(0x0a650000), 24), -ENETDOWN);
	assert_int_equal(dp_ppp_configure(dp, 10, 2, &(struct dp_ppp_config){ .up = 1 }), 0);
	assert_int_equal(dp_route_add(dp, 10, 2, htonl(0x0a650000), 24), 0);
	assert_int_equal(dp->count.routes, 2);
	assert_int_equal(dp_route_del(dp, 10, 2, htonl(0x0a650000), 24), 0);
	assert_int_equal(dp_route_del(dp, 10, 2, htonl(0x0a650000), 24), -ESRCH);
	assert_int_equal(dp->count.routes, 1);
	assert_int_equal(dp->count.ppp_channels, 2);
	assert_int_equal(dp->count.ppp_units, 2);

	/* The dump shows what was asked. */
	assert_int_equal(dp_session_dump(dp, 10, &si, &n), 0);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(si[i].tunnel_id, 10);
		assert_int_equal(si[i].peer_tunnel_id, 20);
		assert_true(si[i].ppp_open);
		assert_int_equal(si[i].peer_session_id, si[i].session_id + 100);
		if (si[i].session_id == 1)
			assert_string_equal(si[i].ifname, "ppp7");
	}
	free(si);
	assert_int_equal(dp_session_dump(dp, 11, &si, &n), -ENOENT);

	/* Close: routes and unit go; a second close finds nothing. */
	assert_int_equal(dp_ppp_close(dp, 10, 1), 0);
	assert_int_equal(dp->count.routes, 0);
	assert_int_equal(dp->count.ppp_channels, 1);
	assert_int_equal(dp->count.ppp_units, 1);
	assert_int_equal(dp_ppp_close(dp, 10, 1), -ENOENT);
	/* ppp7 is free again. */
	pp.session_id = 1;
	assert_int_equal(dp_ppp_open(dp, &pp, &p1), 0);
	assert_int_equal(dp_ppp_unit_open(dp, 10, 1, "ppp7", &p1), 0);
	/* Deleting a session closes its PPP; deleting the tunnel closes the rest. */
	assert_int_equal(dp_session_delete(dp, 10, 2), 0);
	assert_int_equal(dp->count.ppp_channels, 1);
	assert_int_equal(dp_tunnel_delete(dp, 10), 0);
	assert_int_equal(dp->count.ppp_channels, 0);
	assert_int_equal(dp->count.ppp_units, 0);
	assert_int_equal(dp->count.sessions, 0);
	assert_int_equal(dp->count.ppp_close, 3);
	dp_destroy(dp);
}

static void test_null_dumps_modify_stats(void **state)
{
	struct dp_tunnel_params t2 = { .tunnel_id = 5, .peer_tunnel_id = 55, .fd = -1 };
	struct dp_session_params m = {
		.tunnel_id = 10, .session_id = 2, .send_seq = 1, .recv_seq = 1,
		.reorder_timeout_ms = 100,
	};
	struct dp *dp = null_dp();
	struct dp_tunnel_info *ti;
	struct dp_session_info *si;
	struct dp_stats st;
	size_t n;

	assert_int_equal(dp_tunnel_create(dp, &t2), 0);
	assert_int_equal(dp_tunnel_dump(dp, &ti, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ti[0].tunnel_id, 5);		/* by ID */
	assert_int_equal(ti[0].peer_tunnel_id, 55);
	assert_int_equal(ti[1].tunnel_id, 10);
	free(ti);
	assert_int_equal(dp_session_modify(dp, &m), 0);
	m.session_id = 3;
	assert_int_equal(dp_session_modify(dp, &m), -ENOENT);
	assert_int_equal(dp_session_dump(dp, 0, &si, &n), 0);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(si[i].send_seq, si[i].session_id == 2);
		assert_int_equal(si[i].reorder_timeout_ms, si[i].session_id == 2 ? 100 : 0);
		assert_false(si[i].ppp_open);
		assert_string_equal(si[i].ifname, "");
	}
	free(si);
	assert_int_equal(dp_session_dump(dp, 5, &si, &n), 0);
	assert_int_equal(n, 0);
	assert_null(si);
	assert_int_equal(dp_session_stats(dp, 10, 1, &st), 0);
	assert_int_equal(st.rx_packets + st.tx_packets + st.rx_oos_packets, 0);
	assert_int_equal(dp_session_stats(dp, 10, 9, &st), -ENOENT);
	assert_int_equal(dp_tunnel_delete(dp, 10), 0);
	assert_int_equal(dp_tunnel_delete(dp, 10), -ENOENT);
	assert_non_null(strstr(dp->err, "tunnel 10"));
	assert_int_equal(dp_tunnel_dump(dp, &ti, &n), 0);
	assert_int_equal(n, 1);
	free(ti);
	dp_destroy(dp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_getfamily),
		cmocka_unit_test(test_build_tunnel_create),
		cmocka_unit_test(test_build_tunnel_delete),
		cmocka_unit_test(test_build_session_create),
		cmocka_unit_test(test_build_session_delete_modify),
		cmocka_unit_test(test_build_gets),
		cmocka_unit_test(test_build_newlink_ppp),
		cmocka_unit_test(test_build_unit_config),
		cmocka_unit_test(test_kernel_unit_config),
		cmocka_unit_test(test_walk_ack_and_errors),
		cmocka_unit_test(test_walk_malformed_headers),
		cmocka_unit_test(test_walk_seq_portid),
		cmocka_unit_test(test_walk_dump),
		cmocka_unit_test(test_attr_parse),
		cmocka_unit_test(test_parse_tunnel),
		cmocka_unit_test(test_parse_stats_malformed),
		cmocka_unit_test(test_parse_session),
		cmocka_unit_test(test_walk_session_dump),
		cmocka_unit_test(test_parse_family),
		cmocka_unit_test(test_resolve_live),
		cmocka_unit_test(test_rtnl_live),
		cmocka_unit_test(test_rtnl_addr_msg),
		cmocka_unit_test(test_rtnl_route_msg),
		cmocka_unit_test(test_rtnl_link_msg),
		cmocka_unit_test(test_rtnl_errno),
		cmocka_unit_test(test_sockaddr_pppol2tp),
		cmocka_unit_test(test_name_unit),
		cmocka_unit_test(test_frames),
		cmocka_unit_test(test_fd_for),
		cmocka_unit_test(test_dp_create_choice),
		cmocka_unit_test(test_null_ppp),
		cmocka_unit_test(test_null_ppp_socket),
		cmocka_unit_test(test_null_dumps_modify_stats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
