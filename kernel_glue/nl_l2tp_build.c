/*
 * Netlink for the kernel data path: the requests of the generic netlink
 * family "l2tp" (and the controller's family lookup), built into a caller's
 * buffer with libmnl; nl_l2tp.c parses the answers and owns the sockets.
 * Each builder returns the message's length, or -EMSGSIZE when it does not
 * fit (nl_l2tp.h).
 */
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/l2tp.h>
#include "kernel_glue/nl_l2tp.h"

static struct nlmsghdr *nl_l2tp_put_genl(void *buf, size_t size, uint16_t type, uint16_t flags,
					 uint32_t seq, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	if (size < MNL_NLMSG_HDRLEN + GENL_HDRLEN)
		return NULL;
	memset(buf, 0, size);	/* attribute padding included */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static struct nlmsghdr *nl_l2tp_put_l2tp(void *buf, size_t size, uint16_t family, uint16_t flags,
					 uint32_t seq, uint8_t cmd)
{
	return nl_l2tp_put_genl(buf, size, family, NLM_F_REQUEST | flags, seq, cmd,
				L2TP_GENL_VERSION);
}

int nl_l2tp_build_getfamily(void *buf, size_t size, uint32_t seq, const char *name)
{
	struct nlmsghdr *nlh;

	nlh = nl_l2tp_put_genl(buf, size, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, seq,
			       CTRL_CMD_GETFAMILY, 1);
	if (nlh == NULL || strlen(name) >= GENL_NAMSIZ ||
	    !mnl_attr_put_strz_check(nlh, size, CTRL_ATTR_FAMILY_NAME, name))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int nl_l2tp_build_tunnel_create(void *buf, size_t size, uint16_t family, uint32_t seq,
				const struct nl_l2tp_tunnel_cfg *c)
{
	struct nlmsghdr *nlh;

	nlh = nl_l2tp_put_l2tp(buf, size, family, NLM_F_ACK, seq, L2TP_CMD_TUNNEL_CREATE);
	if (nlh == NULL ||
	    !mnl_attr_put_u32_check(nlh, size, L2TP_ATTR_CONN_ID, c->conn_id) ||
	    !mnl_attr_put_u32_check(nlh, size, L2TP_ATTR_PEER_CONN_ID, c->peer_conn_id) ||
	    !mnl_attr_put_u8_check(nlh, size, L2TP_ATTR_PROTO_VERSION, 2) ||
	    !mnl_attr_put_u16_check(nlh, size, L2TP_ATTR_ENCAP_TYPE, L2TP_ENCAPTYPE_UDP) ||
	    !mnl_attr_put_u32_check(nlh, size, L2TP_ATTR_FD, (uint32_t)c->fd))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int nl_l2tp_build_tunnel_delete(void *buf, size_t size, uint16_t family, uint32_t seq,
				uint32_t conn_id)
{
	struct nlmsghdr *nlh;

	nlh = nl_l2tp_put_l2tp(buf, size, family, NLM_F_ACK, seq, L2TP_CMD_TUNNEL_DELETE);
	if (nlh == NULL || !mnl_attr_put_u32_check(nlh, size, L2TP_ATTR_CONN_ID, conn_id))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

/* The optional session attributes, in the kernel's attribute order. */
static int nl_l2tp_put_session_opts(struct nlmsghdr *nlh, size_t size,
				    const struct nl_l2tp_session_cfg *c)
{
	if (c->recv_seq >= 0 &&
	    !mnl_attr_put_u8_check(nlh, size, L2TP_ATTR_RECV_SEQ, c->recv_seq != 0))
		return -EMSGSIZE;
	if (c->send_seq >= 0 &&
	    !mnl_attr_put_u8_check(nlh, size, L2TP_ATTR_SEND_SEQ, c->send_seq != 0))
		return -EMSGSIZE;
	if (c->lns_mode >= 0 &&
	    !mnl_attr_put_u8_check(nlh, size, L2TP_ATTR_LNS_MODE, c->lns_mode != 0))
		return -EMSGSIZE;
	if (c->recv_timeout_ms >= 0 &&
	    !mnl_attr_put_u64_check(nlh, size, L2TP_ATTR_RECV_TIMEOUT,
				    (uint64_t)c->recv_timeout_ms))
		return -EMSGSIZE;
	return 0;
}

int nl_l2tp_build_session_create(void *buf, size_t size, uint16_t family, uint32_t seq,
				 const struct nl_l2tp_session_cfg *c)
{
	struct nlmsghdr *nlh;

	nlh = nl_l2tp_put_l2tp(buf, size, family, NLM_F_ACK, seq, L2TP_CMD_SESSION_CREATE);
	if (nlh == NULL ||
	    !mnl_attr_put_u32_check(nlh, size, L2TP_ATTR_CONN_ID, c->conn_id) ||
	    !mnl_attr_put_u32_check(nlh, size, L2TP_ATTR_SESSION_ID, c->session_id) ||
	    !mnl_attr_put_u32_check(nlh, size, L2TP_ATTR_PEER_SESSION_ID, c->peer_session_id) ||
	    !mnl_attr_put_u16_check(nlh, size, L2TP_ATTR_PW_TYPE, L2TP_PWTYPE_PPP) ||
	    nl_l2tp_put_session_opts(nlh, size, c) < 0)
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int nl_l2tp_build_session_delete(void *buf, size_t size, uint16_t family, uint32_t seq,
				 uint32_t conn_id, uint32_t session_id)
{
	struct nlmsghdr *nlh;

	nlh = nl_l2tp_put_l2tp(buf, size, family, NLM_F_ACK, seq, L2TP_CMD_SESSION_DELETE);
	if (nlh == NULL ||
	    !mnl_attr_put_u32_check(nlh, size, L2TP_ATTR_CONN_ID, conn_id) ||
	    !mnl_attr_put_u32_check(nlh, size, L2TP_ATTR_SESSION_ID, session_id))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int nl_l2tp_build_session_modify(void *buf, size_t size, uint16_t family, uint32_t seq,
				 const struct nl_l2tp_session_cfg *c)
{
	struct nlmsghdr *nlh;

	nlh = nl_l2tp_put_l2tp(buf, size, family, NLM_F_ACK, seq, L2TP_CMD_SESSION_MODIFY);
	if (nlh == NULL ||
	    !mnl_attr_put_u32_check(nlh, size, L2TP_ATTR_CONN_ID, c->conn_id) ||
	    !mnl_attr_put_u32_check(nlh, size, L2TP_ATTR_SESSION_ID, c->session_id) ||
	    nl_l2tp_put_session_opts(nlh, size, c) < 0)
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int nl_l2tp_build_tunnel_get(void *buf, size_t size, uint16_t family, uint32_t seq,
			     uint32_t conn_id)
{
	struct nlmsghdr *nlh;

	nlh = nl_l2tp_put_l2tp(buf, size, family, conn_id ? NLM_F_ACK : NLM_F_DUMP, seq,
			       L2TP_CMD_TUNNEL_GET);
	if (nlh == NULL ||
	    (conn_id && !mnl_attr_put_u32_check(nlh, size, L2TP_ATTR_CONN_ID, conn_id)))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int nl_l2tp_build_session_get(void *buf, size_t size, uint16_t family, uint32_t seq,
			      uint32_t conn_id, uint32_t session_id)
{
	struct nlmsghdr *nlh;

	nlh = nl_l2tp_put_l2tp(buf, size, family, session_id ? NLM_F_ACK : NLM_F_DUMP, seq,
			       L2TP_CMD_SESSION_GET);
	if (nlh == NULL)
		return -EMSGSIZE;
	if (session_id &&
	    (!mnl_attr_put_u32_check(nlh, size, L2TP_ATTR_CONN_ID, conn_id) ||
	     !mnl_attr_put_u32_check(nlh, size, L2TP_ATTR_SESSION_ID, session_id)))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}
