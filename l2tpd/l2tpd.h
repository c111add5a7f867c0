/*
 * The daemon's one context.  Everything mutable lives here and is handed
 * around; there are no mutable globals.
 */
#ifndef L2TPD_H
#define L2TPD_H

#include <ev.h>
#include <stdint.h>
#include <sys/queue.h>
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/rand_pool.h"
#include "kernel_glue/dp.h"
#include "l2tp/observer.h"
#include "ha/ha.h"
#include "aaa/aaa.h"
#include "l2tp/guard.h"
#include "l2tp/txq.h"
#include "l2tp/counters.h"
#include "ppp/ppp.h"
#include "service/notify.h"
#include "ipv6/dhcp6.h"
#include "ipv6/server.h"

/* How many states a tunnel and a session have (enum l2tp_tunnel_state,
 * l2tp_session_state; l2tp/tunnel.c and session_state.c check it): the
 * sizes of d->tunnels_in and d->sessions_in. */
#define L2TPD_TUNNEL_STATES	5
#define L2TPD_SESSION_STATES	5

/* Distinct `ip tcp adjust-mss` values clamped in the kernel (l2tp/mss.h). */
#define L2TP_MSS_VALUES_MAX	32

struct l2tp_tunnel;
struct ctl_server;
struct ippool;
struct ipv6_pool;
struct vpdn_history;
struct radius_client;
struct radius_das;
struct l2tp_dial_ops;
struct l2tp_relay_chooser_ops;
struct l2tp_ppp_auth_ops;
struct metrics;
struct pppoe_access;
struct pppoe_observer_ops;
struct pppoe_aaa_ops;

struct l2tpd_stats {
	uint64_t rx_packets;		/* UDP datagrams read */
	uint64_t rx_bad;		/* undecodable headers */
	uint64_t rx_bad_version;	/* not L2TPv2: discarded (§3.1) */
	uint64_t rx_no_tunnel;		/* control message for an unknown Tunnel ID */
	uint64_t rx_data;		/* data messages (null data path: counted, dropped) */
	uint64_t tx_packets, tx_errors;
	uint64_t tunnels_created, tunnels_refused, tunnels_failed;
	uint64_t tunnels_own_port;	/* LNS: answered from a port of their own (§8.1) */
	uint64_t tunnels_port_not_followed;	/* ... whose peer kept to the SCCRQ's port */
	uint64_t sessions_created, sessions_refused;
	uint64_t tunnel_auth_failures;
	uint64_t ppp_auth_ok, ppp_auth_failures;
	uint64_t ppp_up;		/* sessions whose IPCP opened */
	uint64_t ppp_no_address;	/* refused: pool empty or missing */
	uint64_t rx_data_no_session;	/* data message for an unknown session */
	uint64_t rx_data_early;		/* PPP frames held until their call connected */
	uint64_t rx_data_no_ppp;	/* data for a session that runs no PPP (dropped) */
	uint64_t ppp_after_iccn;	/* LAC: calls whose PPP waited for their ICCN to leave */
	uint64_t rx_stopccn, rx_cdn;	/* tunnels and calls cleared by peers */
	/* RFC 2661 §4.4.5 proxy LCP and authentication */
	uint64_t proxy_sent;		/* LAC: calls placed with proxy LCP/auth */
	uint64_t proxy_accepted;	/* LNS: LCP taken from the proxy, not renegotiated */
	uint64_t proxy_renegotiated;	/* LNS: proxy there, LCP negotiated again */
	uint64_t proxy_refused;		/* LNS: proxied credentials refused (CDN) */
	uint64_t proxy_bad;		/* LNS: proxy AVPs that cannot be used */
};

/* The receive socket of the subscribers' IPv6 control traffic under the
 * linux path (l2tp/ppp_ipv6_rx.c), as `show ipv6 dhcp statistics` shows it. */
struct l2tp_v6rx_stats {
	uint64_t packets;		/* read from it */
	uint64_t outgoing;		/* ours, seen leaving pppN: skipped */
	uint64_t malformed;		/* not an IPv6 packet (short, version): dropped */
	uint64_t no_session;		/* of a pppN no IPv6 link of ours has: dropped */
	uint64_t read_errors;		/* recvfrom failed other than EAGAIN */
	uint64_t kernel_packets;	/* PACKET_STATISTICS tp_packets, summed */
	uint64_t kernel_drops;		/* ... tp_drops: the socket's queue was full */
};
#define L2TP_V6_IFINDEX_BUCKETS	1024

struct l2tpd {
	struct l2tp_clock clk;
	struct l2tp_log log;
	struct l2tpd_config cfg;
	char cfg_path[256];
	char ctl_path[108];
	char dp_name[16];
	struct dp *dp;

	struct ev_loop *loop;
	ev_timer clk_watcher;
	ev_signal sig_term, sig_int, sig_pipe, sig_hup;
	ev_prepare turn;		/* the end of each loop turn: reaper, shutdown */
	ev_prepare log_turn;		/* after every other watcher: the log's lines */
	struct log_buf log_buf;		/* stderr lines of this loop turn (log.h) */
	struct rand_pool rand;		/* random bytes drawn ahead: session IDs */
	/* l2tp/ppp.c: the heap's free pages go back to the kernel
	 * L2TP_PPP_HEAP_TRIM_MS after PPP links came up (what their set-up
	 * allocated for a while: messages, netlink buffers), once a burst. */
	struct l2tp_timer heap_trim;
	uint64_t heap_trims;		/* how many times */
	ev_timer shutdown_timer;
	ev_timer shutdown_poll;		/* waits for the last accounting answers */

	int listen_fd;
	ev_io listen_io;
	int v6rx_fd;			/* l2tp/ppp_ipv6_rx.c: the subscribers' RS and
					 * DHCPv6 on every pppN (linux path); -1 */
	ev_io v6rx_io;
	struct l2tp_v6rx_stats v6rx;	/* what it read, and dropped */
	/* The links whose IPv6 server runs, by their pppN's interface index
	 * (l2tp/ppp_ipv6_rx.c): a received packet's session. */
	LIST_HEAD(, l2tp_ppp_link) v6_by_ifindex[L2TP_V6_IFINDEX_BUCKETS];
	unsigned v6_indexed;
	/* The IPv6 servers of the live links (l2tp/ppp_ipv6.c): how many, and
	 * their counters summed as they count (a link that goes takes its
	 * own out), for `show ipv6 dhcp statistics` without a walk. */
	unsigned v6_links;
	struct ipv6_server_stats v6_live;
	struct ctl_server *ctl;
	struct ippool *pools;		/* core/ippool.c, built from cfg.pools */
	struct ipv6_pool *pools6;	/* ipv6/pool.c, built from cfg.pools6 */
	struct dhcp6_duid dhcp6_duid;	/* our DHCPv6 server DUID (DUID-UUID, made at
					 * the first IPv6 session; len 0 until then) */

	/* Tunnels by local Tunnel ID (0 unused), and in creation order. */
	struct l2tp_tunnel **tunnel_by_id;
	struct l2tp_txq txq;		/* datagrams leaving at the end of the turn */
	LIST_HEAD(, l2tp_tunnel) tunnels;
	unsigned n_tunnels;
	unsigned n_lac_tunnels;		/* of them, ours as the LAC (alive) */
	/* The LAC tunnel that last took our L2TP port toward its LNS (NULL
	 * once it is gone): the next one to that LNS knows at once that it
	 * leaves from an ephemeral port (l2tp/tunnel_setup.c). */
	struct l2tp_tunnel *lac_on_port;
	unsigned n_dead;		/* destroyed, freed by l2tp_tunnel_reap() */
	unsigned n_sessions;
	/* The live tunnels and the sessions by state, counted where the state
	 * changes (l2tp/tunnel.c, l2tp/session.c): what `show`s and metrics
	 * total without a walk of 200,000 sessions.  Indexed by enum
	 * l2tp_tunnel_state and enum l2tp_session_state. */
	unsigned tunnels_in[L2TPD_TUNNEL_STATES];
	unsigned sessions_in[L2TPD_SESSION_STATES];

	/* How many MSS values the kernel's clamp rules hold (l2tp/mss.c);
	 * mss_ok: the last write succeeded. */
	size_t mss_n;
	int mss_ok;
	/* l2tp/mss.h: the access side's pppN values (pppoe/ registers it) */
	void (*mss_users)(void *arg, void (*add)(void *set, unsigned v), void *set);
	void *mss_users_arg;

	/*
	 * How packets leave (control messages, and data messages under the
	 * null data path): the tunnel's UDP socket by default; the unit tests
	 * replace it to capture what the state machines send; ha/ wraps it
	 * with its output-commit gate (ha/commit.c).  0 sent, 1 not sent now
	 * (withheld by HA: it leaves later, or never; not counted here), or a
	 * negative errno.
	 */
	int (*xmit)(struct l2tp_tunnel *t, const uint8_t *buf, size_t len);
	/* Tests without sockets set this: tunnels get fd -1. */
	int no_sockets;
	/* The hitless restart (cli/restart.h): the arguments a new process is
	 * started with; in the new one, the sockets handed over (-1: open
	 * them); in the new one, handover_access: the access side starts once
	 * the tunnels are rebuilt, on the ports handed over (restart_finish),
	 * not in l2tpd_start; in the old one, exit at the end of the turn. */
	char **argv;
	int handover_listen_fd, handover_ctl_fd;
	int handover_access;
	int restart_exit;

	uint64_t started_ms;
	uint64_t started_wall_ms;
	int shutting_down;
	struct l2tpd_stats stats;
	struct l2tp_counters counters;	/* l2tp/counters.h: control messages by type, results */
	/* The PPP links of L2TP sessions (l2tp/ppp.c): their counters summed
	 * as they count (ppp/ppp.h's totals), so links that went away stay
	 * counted and `show l2tp statistics` reads them without a walk; and
	 * how many links there are. */
	struct ppp_stats ppp_totals;
	unsigned ppp_links;
	struct metrics *metrics;	/* metrics/: the Prometheus endpoint */
	struct pppoe_access *access;	/* pppoe/access.c: the PPPoE access side, or NULL */
	struct svc_notify notify;	/* service/notify.h: systemd's notifications, watchdog */
	struct l2tpd_ha ha;		/* ha/ha.c */
	struct l2tp_guard guard;	/* l2tp/guard.c: half-open table, rates, block list */
	struct vpdn_history *history;	/* core/history.c: `show vpdn history failure` */
	struct radius_client *radius;	/* aaa/radius_client.c: the servers, requests in flight */
	struct radius_das *das;		/* aaa/radius_das.c: RFC 5176 listener, NULL if none */
	struct aaa aaa;			/* aaa/aaa.c: PPP authentication, accounting */
	/* What l2tp/ asks of the rooms above it without knowing them; they
	 * register at l2tpd_init(). */
	struct l2tp_observers observers;	/* l2tp/observer.h: ha/, aaa/ */
	const struct l2tp_ppp_auth_ops *auth_ops;	/* l2tp/ppp.h: who authenticates PPP */
	void *auth_arg;
	const struct l2tp_dial_ops *dial_ops;	/* l2tp/dial.h: who chooses a user's LNS */
	void *dial_arg;
	struct l2tp_dial_paced *dial_paced;	/* l2tp/dial.h: a paced dial running, or NULL */
	const struct l2tp_relay_chooser_ops *relay_chooser;	/* l2tp/relay.h: a subscriber's LNS */
	void *relay_chooser_arg;
	const struct pppoe_observer_ops *pppoe_obs;	/* pppoe/access.h: ha/ */
	void *pppoe_obs_arg;
	const struct pppoe_aaa_ops *pppoe_aaa;	/* pppoe/local_aaa.h: aaa/ */
	void *pppoe_aaa_arg;
};

/* l2tpd.c */
int l2tpd_init(struct l2tpd *d, int simulated_clock);
int l2tpd_start(struct l2tpd *d, char *err, size_t errsz);	/* sockets, data path, control socket */
void l2tpd_run(struct l2tpd *d);
/* Graceful stop: StopCCN to every peer, then leave the loop once they are
 * acknowledged or after the retransmission budget. */
void l2tpd_shutdown(struct l2tpd *d);
void l2tpd_fini(struct l2tpd *d);
/*
 * SIGHUP (systemctl reload): the service manager hears RELOADING=1, then
 * this, then READY=1: the file is read again and the difference applied
 * (cli/config_reload.c).  The number of configuration lines changed, or a
 * negative errno with the reason in err (the running configuration stays,
 * whole).
 */
int l2tpd_reload(struct l2tpd *d, char *err, size_t errsz);

#endif
