/*
 * Netlink for the kernel data path: the generic netlink family "l2tp" over
 * libmnl, and the reply checks every netlink exchange of kernel_glue goes
 * through.  See nl_l2tp.h for the split between the pure layer (the
 * parsers here, the request builders in nl_l2tp_build.c) and the socket
 * layer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/l2tp.h>
#include "common/util.h"
#include "kernel_glue/nl_l2tp.h"

#define NL_L2TP_RCVBUF		32768	/* the largest datagram a dump sends */
#define NL_L2TP_TIMEOUT_S	2	/* the kernel answers at once; never hang the daemon */
#define NL_L2TP_DUMP_TRIES	3	/* a dump interrupted by a change is restarted */


/* ---- attribute tables ------------------------------------------------- */

static const struct nl_l2tp_policy nl_l2tp_ctrl_policy[CTRL_ATTR_MCAST_GROUPS + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { MNL_TYPE_U16, 0, 0 },
	[CTRL_ATTR_FAMILY_NAME] = { MNL_TYPE_NUL_STRING, 1, GENL_NAMSIZ },
	[CTRL_ATTR_VERSION] = { MNL_TYPE_U32, 0, 0 },
	[CTRL_ATTR_HDRSIZE] = { MNL_TYPE_U32, 0, 0 },
	[CTRL_ATTR_MAXATTR] = { MNL_TYPE_U32, 0, 0 },
	[CTRL_ATTR_OPS] = { MNL_TYPE_NESTED, 0, 0 },
	[CTRL_ATTR_MCAST_GROUPS] = { MNL_TYPE_NESTED, 0, 0 },
};

static const struct nl_l2tp_policy nl_l2tp_attr_policy[L2TP_ATTR_MAX + 1] = {
	[L2TP_ATTR_PW_TYPE] = { MNL_TYPE_U16, 0, 0 },
	[L2TP_ATTR_ENCAP_TYPE] = { MNL_TYPE_U16, 0, 0 },
	[L2TP_ATTR_OFFSET] = { MNL_TYPE_U16, 0, 0 },
	[L2TP_ATTR_DATA_SEQ] = { MNL_TYPE_U16, 0, 0 },
	[L2TP_ATTR_L2SPEC_TYPE] = { MNL_TYPE_U8, 0, 0 },
	[L2TP_ATTR_L2SPEC_LEN] = { MNL_TYPE_U8, 0, 0 },
	[L2TP_ATTR_PROTO_VERSION] = { MNL_TYPE_U8, 0, 0 },
	[L2TP_ATTR_IFNAME] = { MNL_TYPE_NUL_STRING, 1, 16 },
	[L2TP_ATTR_CONN_ID] = { MNL_TYPE_U32, 0, 0 },
	[L2TP_ATTR_PEER_CONN_ID] = { MNL_TYPE_U32, 0, 0 },
	[L2TP_ATTR_SESSION_ID] = { MNL_TYPE_U32, 0, 0 },
	[L2TP_ATTR_PEER_SESSION_ID] = { MNL_TYPE_U32, 0, 0 },
	[L2TP_ATTR_UDP_CSUM] = { MNL_TYPE_U8, 0, 0 },
	[L2TP_ATTR_VLAN_ID] = { MNL_TYPE_U16, 0, 0 },
	/* 0, 4 or 8 bytes: never copied by the payload length alone */
	[L2TP_ATTR_COOKIE] = { MNL_TYPE_BINARY, 0, 8 },
	[L2TP_ATTR_PEER_COOKIE] = { MNL_TYPE_BINARY, 0, 8 },
	[L2TP_ATTR_DEBUG] = { MNL_TYPE_U32, 0, 0 },
	[L2TP_ATTR_RECV_SEQ] = { MNL_TYPE_U8, 0, 0 },
	[L2TP_ATTR_SEND_SEQ] = { MNL_TYPE_U8, 0, 0 },
	[L2TP_ATTR_LNS_MODE] = { MNL_TYPE_U8, 0, 0 },
	[L2TP_ATTR_USING_IPSEC] = { MNL_TYPE_U8, 0, 0 },
	[L2TP_ATTR_RECV_TIMEOUT] = { MNL_TYPE_U64, 0, 0 },
	[L2TP_ATTR_FD] = { MNL_TYPE_U32, 0, 0 },
	[L2TP_ATTR_IP_SADDR] = { MNL_TYPE_U32, 0, 0 },
	[L2TP_ATTR_IP_DADDR] = { MNL_TYPE_U32, 0, 0 },
	[L2TP_ATTR_UDP_SPORT] = { MNL_TYPE_U16, 0, 0 },
	[L2TP_ATTR_UDP_DPORT] = { MNL_TYPE_U16, 0, 0 },
	[L2TP_ATTR_MTU] = { MNL_TYPE_U16, 0, 0 },
	[L2TP_ATTR_MRU] = { MNL_TYPE_U16, 0, 0 },
	[L2TP_ATTR_STATS] = { MNL_TYPE_NESTED, 0, 0 },
	[L2TP_ATTR_IP6_SADDR] = { MNL_TYPE_BINARY, 16, 16 },
	[L2TP_ATTR_IP6_DADDR] = { MNL_TYPE_BINARY, 16, 16 },
	[L2TP_ATTR_UDP_ZERO_CSUM6_TX] = { MNL_TYPE_FLAG, 0, 0 },
	[L2TP_ATTR_UDP_ZERO_CSUM6_RX] = { MNL_TYPE_FLAG, 0, 0 },
	/* L2TP_ATTR_PAD: alignment filler, skipped */
};

static const struct nl_l2tp_policy nl_l2tp_stats_policy[L2TP_ATTR_STATS_MAX + 1] = {
	[L2TP_ATTR_TX_PACKETS] = { MNL_TYPE_U64, 0, 0 },
	[L2TP_ATTR_TX_BYTES] = { MNL_TYPE_U64, 0, 0 },
	[L2TP_ATTR_TX_ERRORS] = { MNL_TYPE_U64, 0, 0 },
	[L2TP_ATTR_RX_PACKETS] = { MNL_TYPE_U64, 0, 0 },
	[L2TP_ATTR_RX_BYTES] = { MNL_TYPE_U64, 0, 0 },
	[L2TP_ATTR_RX_SEQ_DISCARDS] = { MNL_TYPE_U64, 0, 0 },
	[L2TP_ATTR_RX_OOS_PACKETS] = { MNL_TYPE_U64, 0, 0 },
	[L2TP_ATTR_RX_ERRORS] = { MNL_TYPE_U64, 0, 0 },
	[L2TP_ATTR_RX_COOKIE_DISCARDS] = { MNL_TYPE_U64, 0, 0 },
	[L2TP_ATTR_RX_INVALID] = { MNL_TYPE_U64, 0, 0 },
};

static const struct nl_l2tp_policy nl_l2tp_extack_policy[NLMSGERR_ATTR_MSG + 1] = {
	[NLMSGERR_ATTR_MSG] = { MNL_TYPE_NUL_STRING, 1, 255 },
};

/* ---- attribute parsing ---------------------------------------------------- */

static int nl_l2tp_attr_check(const struct nlattr *a, const struct nl_l2tp_policy *p)
{
	uint16_t plen = mnl_attr_get_payload_len(a);

	errno = 0;
	if (mnl_attr_validate(a, (enum mnl_attr_data_type)p->type) < 0)
		return errno == EINVAL ? -EINVAL : -ERANGE;
	switch (p->type) {
	case MNL_TYPE_NUL_STRING:
	case MNL_TYPE_STRING:
	case MNL_TYPE_BINARY:
		if (plen < p->min || plen > p->max)
			return -ERANGE;
		break;
	default:
		break;
	}
	return 0;
}

int nl_l2tp_attr_parse(const void *start, size_t len, const struct nl_l2tp_policy *pol,
		       unsigned int npol, const struct nlattr **tb)
{
	const uint8_t *p = start;
	size_t off = 0;

	memset(tb, 0, npol * sizeof(*tb));
	while (off < len) {
		const struct nlattr *a = (const struct nlattr *)(p + off);
		size_t rem = len - off;
		uint16_t type;
		int rc;

		if (rem < sizeof(*a) || a->nla_len < sizeof(*a) || a->nla_len > rem)
			return -EBADMSG;
		type = mnl_attr_get_type(a);
		if (type < npol && pol[type].type != MNL_TYPE_UNSPEC) {
			rc = nl_l2tp_attr_check(a, &pol[type]);
			if (rc < 0)
				return rc;
			tb[type] = a;
		}
		off += MNL_ALIGN(a->nla_len);
	}
	return 0;
}

/* The attributes after a generic netlink header of the given family and command. */
static int nl_l2tp_genl_attrs(const struct nlmsghdr *nlh, uint16_t family, uint8_t cmd,
			      const struct nl_l2tp_policy *pol, unsigned int npol,
			      const struct nlattr **tb)
{
	const struct genlmsghdr *g;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + GENL_HDRLEN)
		return -EBADMSG;
	if (nlh->nlmsg_type != family)
		return -EPROTO;
	g = mnl_nlmsg_get_payload(nlh);
	if (g->cmd != cmd)
		return -EPROTO;
	return nl_l2tp_attr_parse((const uint8_t *)g + GENL_HDRLEN,
				  nlh->nlmsg_len - MNL_NLMSG_HDRLEN - GENL_HDRLEN, pol, npol, tb);
}

/* ---- reply walking ---------------------------------------------------------- */

static void nl_l2tp_extack(struct nl_l2tp_reply *r, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[ARRAY_SIZE(nl_l2tp_extack_policy)];
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t plen = nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		/* The whole request is echoed before the TLVs. */
		if (e->msg.nlmsg_len < MNL_NLMSG_HDRLEN)
			return;
		off += e->msg.nlmsg_len - MNL_NLMSG_HDRLEN;
	}
	off = MNL_ALIGN(off);
	if (off >= plen)
		return;
	if (nl_l2tp_attr_parse((const uint8_t *)e + off, plen - off, nl_l2tp_extack_policy,
			       ARRAY_SIZE(nl_l2tp_extack_policy), tb) < 0)
		return;		/* the error code still stands */
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(r->ext_msg, sizeof(r->ext_msg), "%s",
			 mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
}

static int nl_l2tp_error(struct nl_l2tp_reply *r, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*e))
		return -EBADMSG;
	e = mnl_nlmsg_get_payload(nlh);
	if (e->error > 0 || e->error < -4095)
		return -EBADMSG;
	if (e->error < 0)
		nl_l2tp_extack(r, nlh);
	return e->error;	/* 0: the acknowledgement */
}

int nl_l2tp_reply_parse(struct nl_l2tp_reply *r, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t off = 0;
	int rc;

	while (off < len) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)(p + off);
		size_t rem = len - off;

		if (rem < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > rem)
			return -EBADMSG;
		if (nlh->nlmsg_pid != r->portid)
			return -ESRCH;
		if (nlh->nlmsg_seq != r->seq)
			return -EPROTO;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			return -EINTR;
		switch (nlh->nlmsg_type) {
		case NLMSG_ERROR:
			return nl_l2tp_error(r, nlh);
		case NLMSG_DONE:
			if (nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + sizeof(int)) {
				int err;

				memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
				if (err < 0 && err >= -4095)
					return err;
			}
			return 0;
		case NLMSG_OVERRUN:
			return -EOVERFLOW;
		default:
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
				break;	/* NLMSG_NOOP and reserved types */
			r->msgs++;
			if (r->cb) {
				rc = r->cb(nlh, r->arg);
				if (rc < 0)
					return rc;
			}
			break;
		}
		off += MNL_ALIGN(nlh->nlmsg_len);
	}
	return NL_L2TP_MORE;
}

/* ---- parsers ---------------------------------------------------------------- */

int nl_l2tp_parse_family(const struct nlmsghdr *nlh, struct nl_l2tp_family *out)
{
	const struct nlattr *tb[ARRAY_SIZE(nl_l2tp_ctrl_policy)];
	int rc;

	memset(out, 0, sizeof(*out));
	rc = nl_l2tp_genl_attrs(nlh, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, nl_l2tp_ctrl_policy,
				ARRAY_SIZE(nl_l2tp_ctrl_policy), tb);
	if (rc < 0)
		return rc;
	if (!tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_FAMILY_NAME])
		return -EBADMSG;
	out->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (out->id < NLMSG_MIN_TYPE)
		return -EBADMSG;
	snprintf(out->name, sizeof(out->name), "%s", mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]));
	if (tb[CTRL_ATTR_VERSION])
		out->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_MAXATTR])
		out->maxattr = mnl_attr_get_u32(tb[CTRL_ATTR_MAXATTR]);
	return 0;
}

int nl_l2tp_parse_stats(const struct nlattr *nest, struct nl_l2tp_stats *out)
{
	const struct nlattr *tb[ARRAY_SIZE(nl_l2tp_stats_policy)];
	int rc;

	memset(out, 0, sizeof(*out));
	rc = nl_l2tp_attr_parse(mnl_attr_get_payload(nest), mnl_attr_get_payload_len(nest),
				nl_l2tp_stats_policy, ARRAY_SIZE(nl_l2tp_stats_policy), tb);
	if (rc < 0)
		return rc;
#define NL_L2TP_STAT(attr, field) \
	do { if (tb[attr]) out->field = mnl_attr_get_u64(tb[attr]); } while (0)
	NL_L2TP_STAT(L2TP_ATTR_TX_PACKETS, tx_packets);
	NL_L2TP_STAT(L2TP_ATTR_TX_BYTES, tx_bytes);
	NL_L2TP_STAT(L2TP_ATTR_TX_ERRORS, tx_errors);
	NL_L2TP_STAT(L2TP_ATTR_RX_PACKETS, rx_packets);
	NL_L2TP_STAT(L2TP_ATTR_RX_BYTES, rx_bytes);
	NL_L2TP_STAT(L2TP_ATTR_RX_ERRORS, rx_errors);
	NL_L2TP_STAT(L2TP_ATTR_RX_SEQ_DISCARDS, rx_seq_discards);
	NL_L2TP_STAT(L2TP_ATTR_RX_OOS_PACKETS, rx_oos_packets);
	NL_L2TP_STAT(L2TP_ATTR_RX_COOKIE_DISCARDS, rx_cookie_discards);
	NL_L2TP_STAT(L2TP_ATTR_RX_INVALID, rx_invalid);
#undef NL_L2TP_STAT
	return 0;
}

int nl_l2tp_parse_tunnel(const struct nlmsghdr *nlh, uint16_t family, struct nl_l2tp_tunnel *out)
{
	const struct nlattr *tb[ARRAY_SIZE(nl_l2tp_attr_policy)];
	int rc;

	memset(out, 0, sizeof(*out));
	rc = nl_l2tp_genl_attrs(nlh, family, L2TP_CMD_TUNNEL_GET, nl_l2tp_attr_policy,
				ARRAY_SIZE(nl_l2tp_attr_policy), tb);
	if (rc < 0)
		return rc;
	if (!tb[L2TP_ATTR_CONN_ID])
		return -EBADMSG;
	out->conn_id = mnl_attr_get_u32(tb[L2TP_ATTR_CONN_ID]);
	if (tb[L2TP_ATTR_PEER_CONN_ID])
		out->peer_conn_id = mnl_attr_get_u32(tb[L2TP_ATTR_PEER_CONN_ID]);
	if (tb[L2TP_ATTR_PROTO_VERSION])
		out->proto_version = mnl_attr_get_u8(tb[L2TP_ATTR_PROTO_VERSION]);
	if (tb[L2TP_ATTR_ENCAP_TYPE])
		out->encap_type = mnl_attr_get_u16(tb[L2TP_ATTR_ENCAP_TYPE]);
	if (tb[L2TP_ATTR_IP_SADDR])
		out->ip_saddr = mnl_attr_get_u32(tb[L2TP_ATTR_IP_SADDR]);
	if (tb[L2TP_ATTR_IP_DADDR])
		out->ip_daddr = mnl_attr_get_u32(tb[L2TP_ATTR_IP_DADDR]);
	if (tb[L2TP_ATTR_UDP_SPORT])
		out->udp_sport = mnl_attr_get_u16(tb[L2TP_ATTR_UDP_SPORT]);
	if (tb[L2TP_ATTR_UDP_DPORT])
		out->udp_dport = mnl_attr_get_u16(tb[L2TP_ATTR_UDP_DPORT]);
	if (tb[L2TP_ATTR_STATS])
		return nl_l2tp_parse_stats(tb[L2TP_ATTR_STATS], &out->stats);
	return 0;
}

static int nl_l2tp_cookie(const struct nlattr *a, uint8_t *dst, uint8_t *dstlen)
{
	uint16_t len = mnl_attr_get_payload_len(a);

	/* The table already bounds it by 8; only these sizes exist. */
	if (len != 0 && len != 4 && len != 8)
		return -ERANGE;
	memcpy(dst, mnl_attr_get_payload(a), len);
	*dstlen = (uint8_t)len;
	return 0;
}

int nl_l2tp_parse_session(const struct nlmsghdr *nlh, uint16_t family,
			  struct nl_l2tp_session *out)
{
	const struct nlattr *tb[ARRAY_SIZE(nl_l2tp_attr_policy)];
	int rc;

	memset(out, 0, sizeof(*out));
	rc = nl_l2tp_genl_attrs(nlh, family, L2TP_CMD_SESSION_GET, nl_l2tp_attr_policy,
				ARRAY_SIZE(nl_l2tp_attr_policy), tb);
	if (rc < 0)
		return rc;
	if (!tb[L2TP_ATTR_CONN_ID] || !tb[L2TP_ATTR_SESSION_ID])
		return -EBADMSG;
	out->conn_id = mnl_attr_get_u32(tb[L2TP_ATTR_CONN_ID]);
	out->session_id = mnl_attr_get_u32(tb[L2TP_ATTR_SESSION_ID]);
	if (tb[L2TP_ATTR_PEER_CONN_ID])
		out->peer_conn_id = mnl_attr_get_u32(tb[L2TP_ATTR_PEER_CONN_ID]);
	if (tb[L2TP_ATTR_PEER_SESSION_ID])
		out->peer_session_id = mnl_attr_get_u32(tb[L2TP_ATTR_PEER_SESSION_ID]);
	if (tb[L2TP_ATTR_PW_TYPE])
		out->pw_type = mnl_attr_get_u16(tb[L2TP_ATTR_PW_TYPE]);
	if (tb[L2TP_ATTR_IFNAME])	/* NUL-terminated, <= 16 bytes: checked */
		snprintf(out->ifname, sizeof(out->ifname), "%s",
			 mnl_attr_get_str(tb[L2TP_ATTR_IFNAME]));
	if (tb[L2TP_ATTR_COOKIE]) {
		rc = nl_l2tp_cookie(tb[L2TP_ATTR_COOKIE], out->cookie, &out->cookie_len);
		if (rc < 0)
			return rc;
	}
	if (tb[L2TP_ATTR_PEER_COOKIE]) {
		rc = nl_l2tp_cookie(tb[L2TP_ATTR_PEER_COOKIE], out->peer_cookie,
				    &out->peer_cookie_len);
		if (rc < 0)
			return rc;
	}
	if (tb[L2TP_ATTR_RECV_SEQ])
		out->recv_seq = mnl_attr_get_u8(tb[L2TP_ATTR_RECV_SEQ]);
	if (tb[L2TP_ATTR_SEND_SEQ])
		out->send_seq = mnl_attr_get_u8(tb[L2TP_ATTR_SEND_SEQ]);
	if (tb[L2TP_ATTR_LNS_MODE])
		out->lns_mode = mnl_attr_get_u8(tb[L2TP_ATTR_LNS_MODE]);
	if (tb[L2TP_ATTR_RECV_TIMEOUT])
		out->recv_timeout_ms = mnl_attr_get_u64(tb[L2TP_ATTR_RECV_TIMEOUT]);
	if (tb[L2TP_ATTR_STATS])
		return nl_l2tp_parse_stats(tb[L2TP_ATTR_STATS], &out->stats);
	return 0;
}

/* ---- sockets -------------------------------------------------------------------- */

struct nl_l2tp_sock {
	struct mnl_socket *nl;
	uint32_t portid, seq;
	size_t bufsz;
	void *buf;
};

int nl_l2tp_sock_open(int bus, struct nl_l2tp_sock **out)
{
	struct timeval tv = { .tv_sec = NL_L2TP_TIMEOUT_S };
	struct nl_l2tp_sock *s;
	int one = 1, fd, rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	s->bufsz = NL_L2TP_RCVBUF;
	s->buf = malloc(s->bufsz);
	s->nl = mnl_socket_open(bus);
	if (s->buf == NULL || s->nl == NULL) {
		rc = s->buf == NULL ? -ENOMEM : -errno;
		goto fail;
	}
	fd = mnl_socket_get_fd(s->nl);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		goto fail;
	}
	/* The kernel's own words on errors, without the echoed request; older
	 * kernels lack both, which costs only the words. */
	(void)mnl_socket_setsockopt(s->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)mnl_socket_setsockopt(s->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	s->portid = mnl_socket_get_portid(s->nl);
	s->seq = (uint32_t)time(NULL);
	*out = s;
	return 0;
fail:
	nl_l2tp_sock_close(s);
	return rc;
}

void nl_l2tp_sock_close(struct nl_l2tp_sock *s)
{
	if (s == NULL)
		return;
	if (s->nl)
		mnl_socket_close(s->nl);
	free(s->buf);
	free(s);
}

uint32_t nl_l2tp_sock_seq(struct nl_l2tp_sock *s)
{
	return s->seq;
}

/* Whatever an aborted exchange left behind must not answer the next one. */
static void nl_l2tp_sock_drain(struct nl_l2tp_sock *s)
{
	int fd = mnl_socket_get_fd(s->nl);

	while (recv(fd, s->buf, s->bufsz, MSG_DONTWAIT) >= 0 || errno == EINTR)
		;
}

int nl_l2tp_sock_transact(struct nl_l2tp_sock *s, const struct nlmsghdr *req,
			  struct nl_l2tp_reply *r)
{
	ssize_t n;
	int rc;

	nl_l2tp_sock_drain(s);
	r->seq = req->nlmsg_seq;
	r->portid = s->portid;
	r->msgs = 0;
	r->ext_msg[0] = '\0';
	s->seq = req->nlmsg_seq + 1;
	n = mnl_socket_sendto(s->nl, req, req->nlmsg_len);
	if (n < 0)
		return -errno;
	if ((size_t)n != req->nlmsg_len)
		return -EIO;
	for (;;) {
		n = mnl_socket_recvfrom(s->nl, s->buf, s->bufsz);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
		}
		rc = nl_l2tp_reply_parse(r, s->buf, (size_t)n);
		if (rc != NL_L2TP_MORE)
			return rc;
	}
}

/* ---- the l2tp family ---------------------------------------------------------- */

static void nl_l2tp_errtext(char *err, size_t errsz, const char *what, int rc,
			    const struct nl_l2tp_reply *r)
{
	if (err == NULL || errsz == 0)
		return;
	if (r && r->ext_msg[0])
		snprintf(err, errsz, "%s: %s (%s)", what, strerror(-rc), r->ext_msg);
	else
		snprintf(err, errsz, "%s: %s", what, strerror(-rc));
}

struct nl_l2tp_family_arg {
	struct nl_l2tp_family *out;
	int found;
};

static int nl_l2tp_family_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_l2tp_family_arg *a = arg;
	int rc = nl_l2tp_parse_family(nlh, a->out);

	if (rc == 0)
		a->found = 1;
	return rc;
}

int nl_l2tp_resolve(struct nl_l2tp_sock *s, const char *name, struct nl_l2tp_family *out,
		    char *err, size_t errsz)
{
	uint32_t req[NL_L2TP_REQ_MAX / 4];
	struct nl_l2tp_family_arg a = { .out = out };
	struct nl_l2tp_reply r = { .cb = nl_l2tp_family_cb, .arg = &a };
	char what[64];
	int rc;

	snprintf(what, sizeof(what), "generic netlink family '%s'", name);
	rc = nl_l2tp_build_getfamily(req, sizeof(req), nl_l2tp_sock_seq(s), name);
	if (rc >= 0)
		rc = nl_l2tp_sock_transact(s, (const struct nlmsghdr *)req, &r);
	if (rc == 0 && !a.found)
		rc = -EBADMSG;
	if (rc == 0 && strcmp(out->name, name) != 0)
		rc = -EPROTO;
	if (rc < 0)
		nl_l2tp_errtext(err, errsz, what, rc, &r);
	return rc;
}

int nl_l2tp_open(struct nl_l2tp **out, char *err, size_t errsz)
{
	struct nl_l2tp *nl;
	int rc;

	*out = NULL;
	nl = calloc(1, sizeof(*nl));
	if (nl == NULL)
		return -ENOMEM;
	rc = nl_l2tp_sock_open(NETLINK_GENERIC, &nl->sk);
	if (rc < 0) {
		nl_l2tp_errtext(err, errsz, "generic netlink socket", rc, NULL);
		goto fail;
	}
	rc = nl_l2tp_resolve(nl->sk, L2TP_GENL_NAME, &nl->fam, err, errsz);
	if (rc < 0)
		goto fail;
	*out = nl;
	return 0;
fail:
	nl_l2tp_close(nl);
	return rc;
}

void nl_l2tp_close(struct nl_l2tp *nl)
{
	if (nl == NULL)
		return;
	nl_l2tp_sock_close(nl->sk);
	free(nl);
}

/* Send a built request (rc: its length or an error) and wait for the ack. */
static int nl_l2tp_command(struct nl_l2tp *nl, const uint32_t *req, int rc, const char *what,
			   char *err, size_t errsz)
{
	struct nl_l2tp_reply r = { 0 };

	if (rc >= 0)
		rc = nl_l2tp_sock_transact(nl->sk, (const struct nlmsghdr *)req, &r);
	if (rc < 0)
		nl_l2tp_errtext(err, errsz, what, rc, &r);
	return rc;
}

int nl_l2tp_tunnel_create(struct nl_l2tp *nl, const struct nl_l2tp_tunnel_cfg *c,
			  char *err, size_t errsz)
{
	uint32_t req[NL_L2TP_REQ_MAX / 4];
	int rc = nl_l2tp_build_tunnel_create(req, sizeof(req), nl->fam.id,
					     nl_l2tp_sock_seq(nl->sk), c);

	return nl_l2tp_command(nl, req, rc, "tunnel create", err, errsz);
}

int nl_l2tp_tunnel_delete(struct nl_l2tp *nl, uint32_t conn_id, char *err, size_t errsz)
{
	uint32_t req[NL_L2TP_REQ_MAX / 4];
	int rc = nl_l2tp_build_tunnel_delete(req, sizeof(req), nl->fam.id,
					     nl_l2tp_sock_seq(nl->sk), conn_id);

	return nl_l2tp_command(nl, req, rc, "tunnel delete", err, errsz);
}

int nl_l2tp_session_create(struct nl_l2tp *nl, const struct nl_l2tp_session_cfg *c,
			   char *err, size_t errsz)
{
	uint32_t req[NL_L2TP_REQ_MAX / 4];
	int rc = nl_l2tp_build_session_create(req, sizeof(req), nl->fam.id,
					      nl_l2tp_sock_seq(nl->sk), c);

	return nl_l2tp_command(nl, req, rc, "session create", err, errsz);
}

int nl_l2tp_session_delete(struct nl_l2tp *nl, uint32_t conn_id, uint32_t session_id,
			   char *err, size_t errsz)
{
	uint32_t req[NL_L2TP_REQ_MAX / 4];
	int rc = nl_l2tp_build_session_delete(req, sizeof(req), nl->fam.id,
					      nl_l2tp_sock_seq(nl->sk), conn_id, session_id);

	return nl_l2tp_command(nl, req, rc, "session delete", err, errsz);
}

int nl_l2tp_session_modify(struct nl_l2tp *nl, const struct nl_l2tp_session_cfg *c,
			   char *err, size_t errsz)
{
	uint32_t req[NL_L2TP_REQ_MAX / 4];
	int rc = nl_l2tp_build_session_modify(req, sizeof(req), nl->fam.id,
					      nl_l2tp_sock_seq(nl->sk), c);

	return nl_l2tp_command(nl, req, rc, "session modify", err, errsz);
}

struct nl_l2tp_get_arg {
	uint16_t family;
	struct nl_l2tp_session *out;
	int found;
};

static int nl_l2tp_session_get_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_l2tp_get_arg *a = arg;

	if (a->found)
		return -EBADMSG;	/* one session asked, one answer expected */
	a->found = 1;
	return nl_l2tp_parse_session(nlh, a->family, a->out);
}

int nl_l2tp_session_get(struct nl_l2tp *nl, uint32_t conn_id, uint32_t session_id,
			struct nl_l2tp_session *out)
{
	uint32_t req[NL_L2TP_REQ_MAX / 4];
	struct nl_l2tp_get_arg a = { .family = nl->fam.id, .out = out };
	struct nl_l2tp_reply r = { .cb = nl_l2tp_session_get_cb, .arg = &a };
	int rc;

	if (session_id == 0)
		return -EINVAL;
	rc = nl_l2tp_build_session_get(req, sizeof(req), nl->fam.id, nl_l2tp_sock_seq(nl->sk),
				       conn_id, session_id);
	if (rc >= 0)
		rc = nl_l2tp_sock_transact(nl->sk, (const struct nlmsghdr *)req, &r);
	if (rc == 0 && !a.found)
		rc = -ENOENT;
	return rc;
}

/* A dump collected into a growing array of elsz-byte records. */
struct nl_l2tp_dump_arg {
	uint16_t family;
	size_t elsz, n, cap;
	void *v;
	int (*parse)(const struct nlmsghdr *nlh, uint16_t family, void *out);
};

static int nl_l2tp_dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_l2tp_dump_arg *a = arg;

	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		void *v = realloc(a->v, cap * a->elsz);

		if (v == NULL)
			return -ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	return a->parse(nlh, a->family, (uint8_t *)a->v + a->n++ * a->elsz);
}

static int nl_l2tp_parse_tunnel_v(const struct nlmsghdr *nlh, uint16_t family, void *out)
{
	return nl_l2tp_parse_tunnel(nlh, family, out);
}

static int nl_l2tp_parse_session_v(const struct nlmsghdr *nlh, uint16_t family, void *out)
{
	return nl_l2tp_parse_session(nlh, family, out);
}

static int nl_l2tp_dump(struct nl_l2tp *nl, uint8_t cmd, struct nl_l2tp_dump_arg *a)
{
	uint32_t req[NL_L2TP_REQ_MAX / 4];
	int tries, rc = -EINTR;

	for (tries = 0; tries < NL_L2TP_DUMP_TRIES && rc == -EINTR; tries++) {
		struct nl_l2tp_reply r = { .cb = nl_l2tp_dump_cb, .arg = a };
		uint32_t seq = nl_l2tp_sock_seq(nl->sk);

		a->n = 0;
		rc = cmd == L2TP_CMD_TUNNEL_GET ?
			nl_l2tp_build_tunnel_get(req, sizeof(req), nl->fam.id, seq, 0) :
			nl_l2tp_build_session_get(req, sizeof(req), nl->fam.id, seq, 0, 0);
		if (rc >= 0)
			rc = nl_l2tp_sock_transact(nl->sk, (const struct nlmsghdr *)req, &r);
	}
	if (rc < 0) {
		free(a->v);
		a->v = NULL;
		a->n = 0;
	}
	return rc;
}

int nl_l2tp_tunnel_dump(struct nl_l2tp *nl, struct nl_l2tp_tunnel **out, size_t *n)
{
	struct nl_l2tp_dump_arg a = {
		.family = nl->fam.id, .elsz = sizeof(**out), .parse = nl_l2tp_parse_tunnel_v,
	};
	int rc = nl_l2tp_dump(nl, L2TP_CMD_TUNNEL_GET, &a);

	*out = a.v;
	*n = a.n;
	return rc;
}

int nl_l2tp_session_dump(struct nl_l2tp *nl, struct nl_l2tp_session **out, size_t *n)
{
	struct nl_l2tp_dump_arg a = {
		.family = nl->fam.id, .elsz = sizeof(**out), .parse = nl_l2tp_parse_session_v,
	};
	int rc = nl_l2tp_dump(nl, L2TP_CMD_SESSION_GET, &a);

	*out = a.v;
	*n = a.n;
	return rc;
}
