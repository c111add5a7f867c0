/*
 * The data-path interface: what the control plane asks of the kernel (or of
 * a stand-in).  Backends: `null` (records calls; hosts without the L2TP
 * modules, unit tests) and `linux` (genl l2tp, PPPoL2TP, /dev/ppp,
 * rtnetlink; kernel-api.md).
 *
 * Every call returns 0 or a negative errno; a failing call never leaves a
 * half-made object behind, and says why in dp->err.
 *
 * A session's life under either backend:
 *   dp_tunnel_create        once the tunnel is established
 *   dp_session_create       ICRQ/ICRP/ICCN done
 *   dp_ppp_open             the PPP channel: LCP and authentication run on
 *                           dp_ppp.chan_fd (under null chan_fd is -1: the
 *                           daemon carries PPP frames in L2TP data messages
 *                           on the tunnel's UDP socket itself, DESIGN.md)
 *   dp_ppp_unit_open        network phase: pppN (IPCP/IPv6CP on unit_fd)
 *   dp_ppp_configure        MRU, MTU, the /32 pair, up
 *   dp_route_add            framed routes via pppN (dp_route6_add: the
 *                           session's IPv6 prefixes)
 *   dp_ppp_close            unit, channel, PPPoL2TP socket, in that order
 *   dp_session_delete       closes the PPP plumbing first if still open
 *   dp_tunnel_delete        closes its sessions' plumbing, then the tunnel
 * A standby rebuilding after takeover calls the same sequence with the
 * checkpointed IDs and interface names, dp_ppp_open and dp_ppp_unit_open
 * back to back.
 *
 * A LAC's PPPoE subscriber switched into an L2TP session (DP_CAP_BRIDGE):
 *   dp_pppoe_open           after the PADS: the kernel takes the PPPoE
 *                           session; its frames (LCP, authentication) are
 *                           read and written on the returned channel fd
 *   dp_session_create       the call is up (ICCN sent)
 *   dp_pppoe_bridge         the two channels joined in the kernel: from
 *                           here no frame of the subscriber reaches user
 *                           space
 *   dp_pppoe_close          the PPPoE session ends (unbridges, closes)
 *   dp_session_delete       the call ends (its PPPoL2TP socket closes)
 * A PPPoE subscriber terminated by our own PPP (DP_CAP_BRIDGE: the BNG
 * case, not switched into L2TP), as an LNS session over PPPoL2TP:
 *   dp_pppoe_open           after the PADS: LCP, authentication on chan_fd
 *   dp_pppoe_unit_open      terminated here (authenticated): pppN, the
 *                           channel connected to it; IPCP/IPv6CP on unit_fd
 *   dp_pppoe_configure      IPCP or IPv6CP open: MRU, MTU, the /32 pair,
 *                           up, the MSS group
 *   dp_pppoe_close          PADT or clear: unit (pppN), channel, socket
 * Under null (no DP_CAP_BRIDGE) the access side reads the session frames
 * off its own PF_PACKET port and relays them in L2TP data messages
 * itself (l2tp/relay.h): the same life, in user space.
 *
 * The hitless restart (l2tpd(8)): the process before lists the descriptors
 * that keep its kernel objects alive (dp_held_list) and hands them over;
 * the new one gives them to its backend (dp_adopt_begin) and rebuilds with
 * the standby's sequence above, which then adopts instead of creating:
 *   dp_tunnel_create, dp_session_create   the kernel's tunnel or session
 *                           of that ID is taken as it is
 *   dp_ppp_open, dp_ppp_unit_open          the PPPoL2TP socket, channel and
 *                           unit descriptors handed over are taken: pppN
 *                           keeps its name, addresses and routes
 *   dp_pppoe_open, dp_pppoe_bridge         the PPPoE session's socket and
 *                           channel, and the bridged call's PPPoL2TP socket,
 *                           are taken: the kernel's bridge stays as it is
 *   dp_ppp_configure, dp_route_add, dp_route6_add   an address or route
 *                           already there is not an error
 *   dp_session_delete, dp_tunnel_delete    only forget (a failed restart
 *                           leaves the process before serving them)
 * until dp_adopt_end, which closes the descriptors nobody took.
 */
#ifndef DP_H
#define DP_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

struct dp;

struct dp_tunnel_params {
	uint16_t tunnel_id, peer_tunnel_id;
	int fd;				/* the tunnel's connected UDP socket */
};

struct dp_session_params {
	uint16_t tunnel_id, session_id;
	uint16_t peer_tunnel_id, peer_session_id;
	int lns_mode;
	int send_seq, recv_seq;
	uint32_t reorder_timeout_ms;	/* 0: no reordering (the kernel's default) */
};

struct dp_stats {
	uint64_t tx_packets, tx_bytes, tx_errors;
	uint64_t rx_packets, rx_bytes, rx_errors;
	uint64_t rx_seq_discards, rx_oos_packets;
};

/* What dp_ppp_open needs to reach the kernel session (IPv4, L2TPv2). */
struct dp_ppp_params {
	uint16_t tunnel_id, session_id;
	uint16_t peer_tunnel_id, peer_session_id;
	uint32_t peer_addr;		/* the tunnel's peer, network byte order */
	uint16_t peer_port;		/* network byte order */
};

/* A session's PPP plumbing, as the PPP layer sees it; dp owns the fds. */
struct dp_ppp {
	int chan_fd;			/* LCP, PAP, CHAP; every protocol before the unit
					 * exists; -1 under null */
	int unit_fd;			/* IPCP, IPv6CP, CCP; -1 without a unit or under null */
	int unit;			/* N of pppN; -1 */
	int ifindex;			/* 0 without an interface */
	char ifname[16];		/* "" without a unit; under null, the name asked for */
};

struct dp_ppp_config {
	unsigned int mru;		/* PPPIOCSMRU on the unit; 0: leave it */
	unsigned int mtu;		/* the interface MTU; 0: leave it */
	uint32_t local, peer;		/* the /32 pair, network order; both 0: none */
	int up;				/* > 0 up, < 0 down, 0 leave it */
	unsigned int mss;		/* `ip tcp adjust-mss`: the interface joins that
					 * value's group (dp_mss_clamp); 0: leave it */
};

/* An IPv6 route via the session's interface: to gw (the subscriber's
 * link-local address, or RADIUS's gateway) when has_gw, else on-link;
 * metric 0: the kernel's default. */
struct dp_route6 {
	uint8_t dst[16];
	unsigned int plen;
	int has_gw;
	uint8_t gw[16];
	uint32_t metric;
};

struct dp_tunnel_info {
	uint16_t tunnel_id, peer_tunnel_id;
	uint32_t local_addr, peer_addr;	/* network byte order; 0 if not known */
	uint16_t local_port, peer_port;	/* network byte order; 0 if not known */
	struct dp_stats stats;
};

struct dp_session_info {
	uint16_t tunnel_id, session_id;
	uint16_t peer_tunnel_id, peer_session_id;
	int lns_mode, send_seq, recv_seq;
	uint32_t reorder_timeout_ms;
	int ppp_open;			/* a PPP channel is open */
	char ifname[16];		/* its unit's interface, "" if none */
	struct dp_stats stats;
};

/* What a backend does (dp_ops.caps): the daemon asks dp_can(), never the
 * backend's name. */
#define DP_CAP_KERNEL	0x1	/* kernel objects carry the sessions' frames and count
				 * them (dp_session_stats); user space sees none */
#define DP_CAP_PPPD	0x2	/* dp_ppp_socket_open gives a PPPoL2TP socket pppd runs on */
#define DP_CAP_BRIDGE	0x4	/* dp_pppoe_open, dp_pppoe_bridge: PPPoE sessions in the
				 * kernel, switched into L2TP sessions there */

/* A PPPoE session for dp_pppoe_open (RFC 2516 §4: ID, the subscriber's
 * MAC, the access interface as the kernel names it: "eth1.100" for a VLAN). */
struct dp_pppoe_params {
	uint16_t sid;			/* host order */
	uint8_t peer_mac[6];
	char ifname[16];
};

/* A descriptor keeping a kernel object alive (the hitless restart). */
enum dp_held_kind {
	DP_HELD_PPPOX = 1,		/* a session's PPPoL2TP socket */
	DP_HELD_CHAN,			/* its /dev/ppp channel */
	DP_HELD_UNIT,			/* its /dev/ppp unit (pppN) */
	DP_HELD_PPPOE_SOCK,		/* a PPPoE session's AF_PPPOX socket (tunnel 0,
					 * session: the PPPoE session ID) */
	DP_HELD_PPPOE_CHAN,		/* its /dev/ppp channel, bridged or not */
	DP_HELD_PPPOE_UNIT,		/* its /dev/ppp unit (pppN): terminated here */
};

struct dp_held {
	uint16_t tunnel_id, session_id;
	uint16_t kind;			/* enum dp_held_kind */
	int fd;
};

/* What the descriptors handed over became (dp_adopt_end). */
struct dp_adopt_counts {
	uint64_t fds;			/* handed in */
	uint64_t taken;			/* taken by a session */
	uint64_t closed;		/* nobody took them: closed */
	uint64_t tunnels, sessions;	/* kernel objects adopted, not created */
};

struct dp_ops {
	const char *name;
	unsigned caps;			/* DP_CAP_* */
	int (*tunnel_create)(struct dp *dp, const struct dp_tunnel_params *p);
	int (*tunnel_delete)(struct dp *dp, uint16_t tunnel_id);
	int (*session_create)(struct dp *dp, const struct dp_session_params *p);
	int (*session_delete)(struct dp *dp, uint16_t tunnel_id, uint16_t session_id);
	int (*session_stats)(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
			     struct dp_stats *st);
	void (*destroy)(struct dp *dp);
	/* Optional: set up dp->priv when the backend is created. */
	int (*init)(struct dp *dp, char *err, size_t errsz);
	int (*session_modify)(struct dp *dp, const struct dp_session_params *p);
	int (*ppp_open)(struct dp *dp, const struct dp_ppp_params *p, struct dp_ppp *out);
	int (*ppp_unit_open)(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
			     const char *ifname, struct dp_ppp *out);
	int (*ppp_configure)(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
			     const struct dp_ppp_config *c);
	int (*route_add)(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
			 uint32_t dst, unsigned int plen);
	int (*route_del)(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
			 uint32_t dst, unsigned int plen);
	int (*route6_add)(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
			  const struct dp_route6 *r);
	int (*route6_del)(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
			  const struct dp_route6 *r);
	int (*ppp_close)(struct dp *dp, uint16_t tunnel_id, uint16_t session_id);
	int (*tunnel_dump)(struct dp *dp, struct dp_tunnel_info **out, size_t *n);
	int (*session_dump)(struct dp *dp, uint16_t tunnel_id, struct dp_session_info **out,
			    size_t *n);
	/* Optional: a connected PPPoL2TP socket only, for pppd (LAC client mode). */
	int (*ppp_socket_open)(struct dp *dp, const struct dp_ppp_params *p);
	/* Optional (DP_CAP_BRIDGE): PPPoE sessions switched into L2TP sessions. */
	int (*pppoe_open)(struct dp *dp, const struct dp_pppoe_params *p, int *chan_fd);
	int (*pppoe_bridge)(struct dp *dp, uint16_t pppoe_sid, const struct dp_ppp_params *l2tp);
	int (*pppoe_close)(struct dp *dp, uint16_t pppoe_sid);
	int (*pppoe_unit_open)(struct dp *dp, uint16_t pppoe_sid, const char *ifname,
			       struct dp_ppp *out);
	int (*pppoe_configure)(struct dp *dp, uint16_t pppoe_sid, const struct dp_ppp_config *c);
	/* Optional (DP_CAP_KERNEL): the kernel's TCP MSS clamp rules. */
	int (*mss_clamp)(struct dp *dp, const uint16_t *mss, size_t n);
	/* Optional (the hitless restart): the descriptors the backend holds
	 * (held_list, the array malloc'd); adopt_begin readies the backend to
	 * adopt (linux: reads which tunnels and sessions the kernel has),
	 * adopt_end leaves that mode. */
	int (*held_list)(struct dp *dp, struct dp_held **out, size_t *n);
	int (*adopt_begin)(struct dp *dp);
	void (*adopt_end)(struct dp *dp);
};

/* The kernel objects a backend made (or, under null, stands in for), as
 * every backend counts them: calls, live objects, refusals; for `show` and
 * the tests. */
struct dp_counts {
	uint64_t tunnel_create, tunnel_delete, session_create, session_delete;
	uint64_t tunnels, sessions;	/* live objects */
	uint64_t errors;		/* calls refused (unknown or duplicate IDs, kernel errors) */
	uint64_t ppp_open, ppp_unit_open, ppp_close;
	uint64_t ppp_channels, ppp_units;	/* live */
	uint64_t routes;		/* live routes added through dp_route_add, dp_route6_add */
	uint64_t pppoe_open, pppoe_close, pppoe_channels;	/* PPPoE sessions; live */
	uint64_t bridge_open, bridges;	/* channels bridged (PPPIOCBRIDGECHAN); live pairs */
	uint64_t bridge_refused;	/* PPPIOCBRIDGECHAN refused (older kernel, ...) */
	uint64_t mss_values;		/* MSS values the clamp table holds (live) */
	uint64_t mss_table_set, mss_table_failed;	/* table writes done, refused */
	uint64_t mss_links;		/* interfaces put in an MSS group */
};

/* The descriptors handed over, until dp_adopt_end. */
struct dp_adopt {
	int active;
	struct dp_held *held;		/* fd -1 once taken or closed */
	size_t n;
	struct dp_adopt_counts count;
};

struct dp {
	const struct dp_ops *ops;
	struct dp_counts count;		/* kept by every backend */
	struct dp_adopt adopt;
	void *priv;
	char note[256];			/* why this backend (dp_create); for the start-up log */
	char err[256];			/* the last failure, in words */
};

/*
 * Create the backend called `name`:
 *   "null"   no kernel objects;
 *   "linux"  the kernel's L2TP/PPP; refused (-EPROTONOSUPPORT, -EPERM, ...)
 *            with dp_linux_probe()'s reason when the kernel lacks it;
 *   "auto"   linux if the probe passes, else null.
 * On failure err says why; on success err (and dp->note) says which backend
 * was chosen and, for "auto" falling back to null, why.
 */
int dp_create(const char *name, struct dp **out, char *err, size_t errsz);
void dp_destroy(struct dp *dp);
/* 1 if the backend has every capability in caps (DP_CAP_*). */
int dp_can(const struct dp *dp, unsigned caps);

int dp_tunnel_create(struct dp *dp, const struct dp_tunnel_params *p);
/* Also closes the PPP plumbing of the tunnel's sessions; the sessions go with it. */
int dp_tunnel_delete(struct dp *dp, uint16_t tunnel_id);
int dp_session_create(struct dp *dp, const struct dp_session_params *p);
/* Also closes the session's PPP plumbing if still open. */
int dp_session_delete(struct dp *dp, uint16_t tunnel_id, uint16_t session_id);
/* Zeroes under null (no traffic crosses it). */
int dp_session_stats(struct dp *dp, uint16_t tunnel_id, uint16_t session_id, struct dp_stats *st);

/* Change lns_mode, send_seq, recv_seq, reorder_timeout_ms of a live session. */
int dp_session_modify(struct dp *dp, const struct dp_session_params *p);

/*
 * Open the session's PPP channel (linux: PPPoL2TP socket connected to the
 * session, /dev/ppp attached to its channel).  out->chan_fd is non-blocking;
 * read it promptly (the kernel queues 32 frames).  Under null: no fds, the
 * session is marked as having PPP.  -ENOENT: no such session; -EBUSY:
 * already open.
 */
int dp_ppp_open(struct dp *dp, const struct dp_ppp_params *p, struct dp_ppp *out);
/*
 * LAC client mode: a connected PPPoL2TP socket for the session and nothing
 * else (no /dev/ppp channel: pppd's pppol2tp plugin attaches it itself).
 * Returns the fd (close-on-exec; the caller owns it) or a negative errno;
 * -EOPNOTSUPP under null.
 */
int dp_ppp_socket_open(struct dp *dp, const struct dp_ppp_params *p);
/*
 * Create the session's unit and connect the channel to it; fills unit_fd,
 * unit, ifindex, ifname of out.  ifname NULL or "": the kernel picks pppN;
 * otherwise that name (the standby's rebuild keeps the names).  Under null:
 * no fds; ifname echoes the name asked for.  -ENOTCONN: no channel;
 * -EBUSY: a unit exists.
 */
int dp_ppp_unit_open(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
		     const char *ifname, struct dp_ppp *out);
/*
 * MRU on the unit, MTU, the /32 address pair (an address already there is
 * not an error), then up or down, in that order.  -ENOTCONN without a unit.
 * Under null: recorded only.
 */
int dp_ppp_configure(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
		     const struct dp_ppp_config *c);
/* A route dst/plen (network order) via the session's interface; -ENOTCONN without a unit. */
int dp_route_add(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
		 uint32_t dst, unsigned int plen);
int dp_route_del(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
		 uint32_t dst, unsigned int plen);
/* The same for IPv6 (r->plen at most 128). */
int dp_route6_add(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
		  const struct dp_route6 *r);
int dp_route6_del(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
		  const struct dp_route6 *r);
/*
 * Close unit, channel and PPPoL2TP socket, in that order (linux: pppN goes
 * with its addresses and routes; closing the socket also deletes the kernel
 * session, so dp_session_delete after it is still correct).  -ENOENT when
 * nothing is open.
 */
int dp_ppp_close(struct dp *dp, uint16_t tunnel_id, uint16_t session_id);

/*
 * Dumps for `show`: a malloc'd array the caller frees (NULL when empty),
 * taken from the kernel (linux) or the backend's records (null).
 * tunnel_id 0: the sessions of every tunnel.
 */
int dp_tunnel_dump(struct dp *dp, struct dp_tunnel_info **out, size_t *n);
int dp_session_dump(struct dp *dp, uint16_t tunnel_id, struct dp_session_info **out, size_t *n);

/*
 * LAC switching (DP_CAP_BRIDGE; -EOPNOTSUPP without it).
 * dp_pppoe_open: the kernel takes PPPoE session p->sid; *chan_fd (owned by
 * dp, non-blocking) carries its frames both ways until it is bridged (read
 * with dp_ppp_read, write with dp_ppp_write on a struct dp_ppp whose only
 * fd is it).  -EBUSY: the session is open already.
 * dp_pppoe_bridge: a PPPoL2TP socket for the L2TP session l2tp (made with
 * dp_session_create, no PPP open on it) and its channel bridged to the
 * PPPoE session's.  -ENOENT: either is unknown; -EBUSY: the L2TP session has
 * PPP or a bridge already; -ENOTTY / -EINVAL: the kernel cannot bridge
 * channels (before Linux 5.11), dp->err says so.  On failure the PPPoE
 * session stays open, unbridged.
 * dp_pppoe_close: unbridge, close the unit (pppN goes with its addresses),
 * the PPPoE channel and socket (the L2TP session's PPPoL2TP socket goes
 * with dp_session_delete or dp_ppp_close).  -ENOENT when not open.
 * dp_pppoe_unit_open: a session terminated here: its unit (ifname NULL or
 * "": the kernel's pppN) connected to its channel; out gets chan_fd,
 * unit_fd, unit, ifindex, ifname (dp_ppp_write then sends NCP frames on
 * the unit).  -ENOENT: not open; -EBUSY: a unit or a bridge exists.
 * dp_pppoe_configure: as dp_ppp_configure, on that unit; -ENOTCONN without
 * one.  Counted with the PPPoL2TP units (ppp_unit_open, ppp_units).
 */
int dp_pppoe_open(struct dp *dp, const struct dp_pppoe_params *p, int *chan_fd);
int dp_pppoe_bridge(struct dp *dp, uint16_t pppoe_sid, const struct dp_ppp_params *l2tp);
int dp_pppoe_close(struct dp *dp, uint16_t pppoe_sid);
int dp_pppoe_unit_open(struct dp *dp, uint16_t pppoe_sid, const char *ifname,
		       struct dp_ppp *out);
int dp_pppoe_configure(struct dp *dp, uint16_t pppoe_sid, const struct dp_ppp_config *c);

/*
 * TCP MSS clamping of the sessions the kernel carries (`ip tcp adjust-mss`,
 * kernel_glue/nft_mss.h): the kernel's clamp rules made to cover exactly
 * the n values of mss (each 500..1460, no duplicates); n 0 removes them.
 * A session's interface joins its value's group through
 * dp_ppp_configure's mss.  -EOPNOTSUPP without the op (null: the daemon
 * clamps what it relays itself); -EIO (nftables refused: dp->err says
 * why), -EINVAL.  A failure changes no session.
 */
int dp_mss_clamp(struct dp *dp, const uint16_t *mss, size_t n);

/*
 * PPP frames on a dp_ppp's fds (not backend operations: they work on the
 * fds alone).  A frame is the 2-byte protocol and its payload; buf gets
 * the payload; size must hold the whole frame.  dp_ppp_read: the payload
 * length, -EAGAIN when nothing is queued, -EPIPE when the channel has gone.
 * dp_ppp_write picks the channel for protocols >= 0xc000 and, once a unit
 * exists, the unit for the others: -ENOTCONN under null (no fds).
 */
ssize_t dp_ppp_read(int fd, uint16_t *proto, uint8_t *buf, size_t size);
int dp_ppp_write(const struct dp_ppp *pp, uint16_t proto, const uint8_t *payload, size_t len);

/*
 * The hitless restart.  dp_held_list: the descriptors the backend holds
 * (a malloc'd array the caller frees, NULL when none; the fds stay the
 * backend's: the caller hands copies on).  -EOPNOTSUPP: the backend keeps
 * kernel objects it cannot hand over.
 * dp_adopt_begin: the new process's backend takes these n descriptors
 * (they are its own from here, whatever the result) and adopts the
 * kernel's objects until dp_adopt_end (see the top of this file).
 * -EBUSY: adopting already; on failure the descriptors are closed.
 * dp_adopt_end: close the descriptors nobody took; *counts says what
 * became of them (may be NULL).
 */
int dp_held_list(struct dp *dp, struct dp_held **out, size_t *n);
int dp_adopt_begin(struct dp *dp, const struct dp_held *held, size_t n);
void dp_adopt_end(struct dp *dp, struct dp_adopt_counts *counts);
/* 1 while adopting. */
int dp_adopting(const struct dp *dp);

/* For backends: the descriptor of this kind handed over for the session,
 * now the caller's; -1 if none (or not adopting). */
int dp_adopt_take(struct dp *dp, uint16_t tunnel_id, uint16_t session_id,
		  enum dp_held_kind kind);

/* For backends: record the last failure in dp->err. */
void dp_set_err(struct dp *dp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether this kernel has what the linux backend needs; why not, in words. */
int dp_linux_probe(char *why, size_t whysz);

extern const struct dp_ops dp_null_ops;
extern const struct dp_ops dp_linux_ops;

#endif
