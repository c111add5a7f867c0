/*
 * Netlink for the kernel data path, over libmnl.
 *
 * Two layers.  The pure layer builds requests into caller buffers and
 * parses replies from buffers; it never touches a socket, so the tests feed
 * it hand-built messages.  The socket layer sends one request, reads until
 * the acknowledgement or the end of the dump, and runs every received
 * datagram through the pure walker, which checks each message's sequence
 * number, port id, lengths and errors.
 *
 * The generic netlink family "l2tp" (linux/l2tp.h): tunnels and sessions of
 * L2TPv2 over the tunnel's own connected UDP socket (kernel-api.md).
 *
 * Every function returns 0 (or a length) or a negative errno.
 */
#ifndef NL_L2TP_H
#define NL_L2TP_H

#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;
struct nlattr;

/* Large enough for any request built here. */
#define NL_L2TP_REQ_MAX		256

/* ---- reply walking -------------------------------------------------- */

/* nl_l2tp_reply_parse(): the reply is not complete, read another datagram. */
#define NL_L2TP_MORE		1

struct nl_l2tp_reply {
	uint32_t seq, portid;		/* what every message must carry */
	/* Each data message (type >= NLMSG_MIN_TYPE); 0 or a negative errno. */
	int (*cb)(const struct nlmsghdr *nlh, void *arg);
	void *arg;
	unsigned int msgs;		/* data messages seen */
	char ext_msg[128];		/* the kernel's extended-ack text, if any */
};

/*
 * Walk one received datagram.  0: the reply is complete (an acknowledgement,
 * NLMSG_DONE); NL_L2TP_MORE: no terminator yet; -EBADMSG: a truncated or
 * overlong header, a short NLMSG_ERROR; -EPROTO: wrong sequence number;
 * -ESRCH: wrong port id; -EINTR: the kernel flagged the dump as
 * inconsistent; the errno of an NLMSG_ERROR or of a failed dump; or what
 * the callback returned.
 */
int nl_l2tp_reply_parse(struct nl_l2tp_reply *r, const void *buf, size_t len);

/*
 * Attribute validation, table-driven (the libmnl idiom): the table is indexed
 * by attribute type and says the mnl data type; for NUL_STRING and BINARY
 * the payload must be within [min, max] bytes.  Types beyond the table or
 * without an entry are skipped.  An attribute shorter than its header or
 * running past the end, or trailing bytes that are not an attribute, make
 * the whole message -EBADMSG; a wrong length for its type, -ERANGE.
 */
struct nl_l2tp_policy {
	uint8_t type;			/* enum mnl_attr_data_type; 0 = not checked, skipped */
	uint8_t min, max;
};

int nl_l2tp_attr_parse(const void *start, size_t len, const struct nl_l2tp_policy *pol,
		       unsigned int npol, const struct nlattr **tb);

/* ---- the families ---------------------------------------------------- */

struct nl_l2tp_family {
	uint16_t id;
	uint32_t version, maxattr;
	char name[32];
};

struct nl_l2tp_tunnel_cfg {
	uint32_t conn_id, peer_conn_id;
	int fd;				/* the tunnel's connected UDP socket */
};

/* Optional fields: < 0 leaves the attribute out (the kernel default stays). */
struct nl_l2tp_session_cfg {
	uint32_t conn_id, session_id, peer_session_id;
	int recv_seq, send_seq, lns_mode;
	int64_t recv_timeout_ms;	/* reorder timeout; < 0: not sent */
};

struct nl_l2tp_stats {
	uint64_t tx_packets, tx_bytes, tx_errors;
	uint64_t rx_packets, rx_bytes, rx_errors;
	uint64_t rx_seq_discards, rx_oos_packets;
	uint64_t rx_cookie_discards, rx_invalid;
};

struct nl_l2tp_tunnel {
	uint32_t conn_id, peer_conn_id;
	uint8_t proto_version;
	uint16_t encap_type;
	uint32_t ip_saddr, ip_daddr;	/* network byte order, 0 if absent */
	uint16_t udp_sport, udp_dport;	/* host byte order, as the kernel sends them */
	struct nl_l2tp_stats stats;
};

struct nl_l2tp_session {
	uint32_t conn_id, session_id, peer_conn_id, peer_session_id;
	uint16_t pw_type;
	char ifname[16];
	uint8_t cookie[8], peer_cookie[8];
	uint8_t cookie_len, peer_cookie_len;
	uint8_t recv_seq, send_seq, lns_mode;
	uint64_t recv_timeout_ms;
	struct nl_l2tp_stats stats;
};

/*
 * Request builders: write one message into buf (size bytes), return its
 * length or -EMSGSIZE.  family is the resolved "l2tp" id.  Non-dump requests
 * ask for an acknowledgement (NLM_F_ACK).
 */
int nl_l2tp_build_getfamily(void *buf, size_t size, uint32_t seq, const char *name);
int nl_l2tp_build_tunnel_create(void *buf, size_t size, uint16_t family, uint32_t seq,
				const struct nl_l2tp_tunnel_cfg *c);
int nl_l2tp_build_tunnel_delete(void *buf, size_t size, uint16_t family, uint32_t seq,
				uint32_t conn_id);
int nl_l2tp_build_session_create(void *buf, size_t size, uint16_t family, uint32_t seq,
				 const struct nl_l2tp_session_cfg *c);
int nl_l2tp_build_session_delete(void *buf, size_t size, uint16_t family, uint32_t seq,
				 uint32_t conn_id, uint32_t session_id);
/* Only the optional fields of c that are >= 0 are sent. */
int nl_l2tp_build_session_modify(void *buf, size_t size, uint16_t family, uint32_t seq,
				 const struct nl_l2tp_session_cfg *c);
/* conn_id 0: dump every tunnel (NLM_F_DUMP). */
int nl_l2tp_build_tunnel_get(void *buf, size_t size, uint16_t family, uint32_t seq,
			     uint32_t conn_id);
/* session_id 0: dump every session of every tunnel (NLM_F_DUMP). */
int nl_l2tp_build_session_get(void *buf, size_t size, uint16_t family, uint32_t seq,
			      uint32_t conn_id, uint32_t session_id);

/*
 * Parsers of one data message whose length the walker has checked.  The
 * message must be of the expected family and command (-EPROTO otherwise)
 * and carry its identifying attributes (-EBADMSG otherwise).
 */
int nl_l2tp_parse_family(const struct nlmsghdr *nlh, struct nl_l2tp_family *out);
int nl_l2tp_parse_tunnel(const struct nlmsghdr *nlh, uint16_t family, struct nl_l2tp_tunnel *out);
int nl_l2tp_parse_session(const struct nlmsghdr *nlh, uint16_t family,
			  struct nl_l2tp_session *out);
/* The L2TP_ATTR_STATS nest. */
int nl_l2tp_parse_stats(const struct nlattr *nest, struct nl_l2tp_stats *out);

/* ---- sockets ----------------------------------------------------------- */

struct nl_l2tp_sock;

/* bus: NETLINK_GENERIC, NETLINK_ROUTE.  Close-on-exec, 2 s receive timeout. */
int nl_l2tp_sock_open(int bus, struct nl_l2tp_sock **out);
void nl_l2tp_sock_close(struct nl_l2tp_sock *s);
uint32_t nl_l2tp_sock_seq(struct nl_l2tp_sock *s);	/* the next sequence number */
/*
 * Send req (whose nlmsg_seq must be nl_l2tp_sock_seq()'s) and read the whole
 * answer through r (seq and portid are filled in here).  Anything left in
 * the socket by an earlier, failed exchange is discarded first.
 */
int nl_l2tp_sock_transact(struct nl_l2tp_sock *s, const struct nlmsghdr *req,
			  struct nl_l2tp_reply *r);

struct nl_l2tp {
	struct nl_l2tp_sock *sk;
	struct nl_l2tp_family fam;
};

/* Open a generic netlink socket and resolve "l2tp"; -ENOENT without the module. */
int nl_l2tp_open(struct nl_l2tp **out, char *err, size_t errsz);
void nl_l2tp_close(struct nl_l2tp *nl);
/* Resolve any generic netlink family by name. */
int nl_l2tp_resolve(struct nl_l2tp_sock *s, const char *name, struct nl_l2tp_family *out,
		    char *err, size_t errsz);

/* The commands; err (may be NULL) receives the kernel's own words on failure. */
int nl_l2tp_tunnel_create(struct nl_l2tp *nl, const struct nl_l2tp_tunnel_cfg *c,
			  char *err, size_t errsz);
int nl_l2tp_tunnel_delete(struct nl_l2tp *nl, uint32_t conn_id, char *err, size_t errsz);
int nl_l2tp_session_create(struct nl_l2tp *nl, const struct nl_l2tp_session_cfg *c,
			   char *err, size_t errsz);
int nl_l2tp_session_delete(struct nl_l2tp *nl, uint32_t conn_id, uint32_t session_id,
			   char *err, size_t errsz);
int nl_l2tp_session_modify(struct nl_l2tp *nl, const struct nl_l2tp_session_cfg *c,
			   char *err, size_t errsz);
int nl_l2tp_session_get(struct nl_l2tp *nl, uint32_t conn_id, uint32_t session_id,
			struct nl_l2tp_session *out);
/* Dumps: a malloc'd array the caller frees (NULL when empty). */
int nl_l2tp_tunnel_dump(struct nl_l2tp *nl, struct nl_l2tp_tunnel **out, size_t *n);
int nl_l2tp_session_dump(struct nl_l2tp *nl, struct nl_l2tp_session **out, size_t *n);

#endif
