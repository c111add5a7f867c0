/*
 * `ip tcp adjust-mss N` on the sessions the kernel carries (a data path
 * with DP_CAP_KERNEL): each such session's pppN joins N's interface group
 * as soon as it exists (dp_ppp_configure's mss), and the kernel's clamp rules (dp_mss_clamp)
 * cover every N the templates name or a live session's interface carries.
 * The rules are written at start, again at every reload (the values may
 * have changed, or the operator's firewall reload flushed them), and
 * removed at exit.  A refusal
 * (nftables missing, no CAP_NET_ADMIN) is logged and counted
 * (show l2tp statistics, data_path.mss_table_failed); sessions come up
 * unclamped, none is refused.
 *
 * The null data path clamps what the daemon relays itself (pppoe/lac.c).
 */
#ifndef L2TP_MSS_H
#define L2TP_MSS_H

struct l2tpd;
struct l2tp_session;

/* Start and reload: the rules brought in step with the templates and the
 * live sessions. */
void l2tp_mss_sync(struct l2tpd *d);
/* Exit: the rules removed (not on the hitless restart's exit: the new
 * process keeps them). */
void l2tp_mss_stop(struct l2tpd *d);
/* A session's new pppN joins its template's value's group (under a
 * kernel data path, when the template has one); a failure is logged, the
 * session runs on unclamped. */
struct l2tp_ppp_link;
void l2tp_mss_link(struct l2tp_ppp_link *pl);
/* Other pppN the table must cover: the access side's sessions terminated
 * here (pppoe/ registers it while it runs; NULL: none).  collect calls
 * add(set, value) for each value a live interface carries. */
typedef void (*l2tp_mss_add_fn)(void *set, unsigned v);
void l2tp_mss_set_users(struct l2tpd *d, void (*collect)(void *arg, l2tp_mss_add_fn add,
							 void *set), void *arg);
/* The value a session's interface should carry: its template's, under a
 * kernel data path; 0 otherwise. */
unsigned l2tp_mss_for(const struct l2tpd *d, unsigned adjust_mss);

#endif
