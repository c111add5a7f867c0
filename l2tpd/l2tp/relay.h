/*
 * LAC: a call whose PPP is not ours but a subscriber's the access side
 * (pppoe/) holds.  The access side places the call with the subscriber's
 * line, proxy LCP and authentication (l2tp/call_info.h) and hears of it
 * through an ops struct: the call is up (ICCN sent), a PPP frame came from
 * the LNS, the call is gone (a CDN either way, the tunnel went).  Under the
 * null data path the frames travel in L2TP data messages carried in user
 * space (RFC 2661 §3.1), so the daemon relays them; each is counted.
 * Under a data path that switches them (kernel_glue/dp.h DP_CAP_BRIDGE)
 * the access side asks, once the call is up, for the call's channel to be
 * bridged to the subscriber's PPPoE channel: the kernel carries the frames.
 *
 * l2tp/ knows nothing of who relays: pppoe/ registers the ops per call.
 */
#ifndef L2TP_RELAY_H
#define L2TP_RELAY_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct l2tpd;
struct l2tp_session;
struct l2tp_call_info;
struct vpdn_group;

struct l2tp_relay_ops {
	/* The call is established (ICCN sent): frames may go both ways. */
	void (*up)(void *arg, struct l2tp_session *s);
	/* A PPP frame (FF 03 and the protocol first, as the LNS sent it). */
	void (*frame)(void *arg, struct l2tp_session *s, const uint8_t *frame, size_t len);
	/* The call is going (s freed on return): a CDN either way, the tunnel
	 * went; s->ppp_disc_code and the peer's result say why. */
	void (*gone)(void *arg, struct l2tp_session *s);
};

/*
 * Place a call to g's LNS for a relayed subscriber: on a tunnel of g that
 * is up or coming up (at most L2TP_RELAY_PER_TUNNEL calls each), else on
 * a new one.  ci goes into the ICRQ and the ICCN; user is the subscriber's
 * (shown, and accounted when `aaa accounting network` is on: Start once
 * the call is up, Stop when it goes).  NULL with *err:
 * -EOPNOTSUPP under a data path whose kernel objects carry the frames but
 * cannot switch them (DP_CAP_KERNEL without DP_CAP_BRIDGE).
 */
#define L2TP_RELAY_PER_TUNNEL	4000
struct l2tp_session *l2tp_relay_dial(struct l2tpd *d, struct vpdn_group *g,
				     const struct l2tp_call_info *ci, const char *user,
				     const struct l2tp_relay_ops *ops, void *arg, int *err);
/*
 * A tunnel the chooser named for a subscriber (RADIUS: RFC 2868 §3, one
 * tagged set).  Calls with the same Tunnel-Assignment-Id to the same LNS
 * share a tunnel (§3.7); calls without one share the LNS's tunnel opened
 * for calls without one.
 */
struct l2tp_relay_target {
	struct in_addr server;			/* the LNS (port 1701) */
	uint8_t tag;
	uint32_t preference;			/* > 0xffffff: none given */
	char secret[128];			/* "" = the group's */
	char assignment_id[64];			/* "" = none */
	char client_auth_id[64];		/* our Host Name (§3.9), "" = the group's */
};

/* The chooser's answer. */
enum l2tp_relay_verdict {
	L2TP_RELAY_TARGETS,	/* targets[0..n), the most preferred first */
	L2TP_RELAY_NO_CHOICE,	/* no answer, or one naming no tunnel: the
				 * local configuration decides */
	L2TP_RELAY_REFUSED,	/* refused (Access-Reject, or tunnel
				 * attributes none of which is usable) */
};
typedef void (*l2tp_relay_chosen_fn)(void *arg, enum l2tp_relay_verdict v,
				     const struct l2tp_relay_target *targets, size_t n,
				     const char *why);

/*
 * Who names the tunnel of a subscriber's call (AAA registers it: RADIUS
 * tunnel authorization, aaa/tunnel.h).  choose(): 0 when the answer comes
 * later through done (never from within choose) and *handle cancels it;
 * -ENOENT when no choice is wanted for this user (no `aaa authorization
 * network`, no domain, no RADIUS server); another -errno when the request
 * could not leave.
 */
struct l2tp_relay_chooser_ops {
	int (*choose)(void *arg, const char *user, l2tp_relay_chosen_fn done, void *darg,
		      void **handle);
	void (*cancel)(void *arg, void *handle);
};

void l2tp_relay_set_chooser(struct l2tpd *d, const struct l2tp_relay_chooser_ops *ops,
			    void *arg);
/* Ask the chooser (-ENOENT when none is registered), cancel a question. */
int l2tp_relay_choose(struct l2tpd *d, const char *user, l2tp_relay_chosen_fn done, void *darg,
		      void **handle);
void l2tp_relay_choose_cancel(struct l2tpd *d, void *handle);
/*
 * The same as l2tp_relay_dial(), on a tunnel to the chooser's target: a
 * live one of ours with the same LNS, secret and assignment (and room),
 * else a new one; g (may be NULL) gives the tunnel's other parameters.
 */
struct l2tp_session *l2tp_relay_dial_to(struct l2tpd *d, struct vpdn_group *g,
					const struct l2tp_relay_target *tg,
					const struct l2tp_call_info *ci, const char *user,
					const struct l2tp_relay_ops *ops, void *arg, int *err);

/* A PPP frame from the subscriber to the LNS (FF 03 added when missing):
 * 0, or -ENOTCONN (the call is not up), -EMSGSIZE, the xmit's error. */
int l2tp_relay_send(struct l2tp_session *s, const uint8_t *frame, size_t len);
/* The call is up: bridge its kernel session to PPPoE session pppoe_sid,
 * opened with dp_pppoe_open (DP_CAP_BRIDGE).  0, or -ENOTCONN (not up),
 * or the data path's error (l2tp_relay_error says it in words: -ENOTTY or
 * -EINVAL from a kernel before 5.11). */
int l2tp_relay_bridge(struct l2tp_session *s, uint16_t pppoe_sid);
const char *l2tp_relay_error(const struct l2tp_session *s);
/* Frames the call carried: to the LNS (up), to the subscriber (down);
 * relayed by us, or, bridged, the kernel session's packet counts.  0 or the
 * data path's error (the kernel session is gone). */
int l2tp_relay_frames(const struct l2tp_session *s, uint64_t *up, uint64_t *down);
/* The access side is done with s: no more callbacks. */
void l2tp_relay_detach(struct l2tp_session *s);
/* ... and the call is cleared: a CDN (RFC 2661 §5.7, result code `result`)
 * carrying the RFC 3145 PPP Disconnect Cause `ppp_code` seen from
 * `direction` (L2TP_PPP_DISC_AT_*), accounted with the RFC 2866
 * Acct-Terminate-Cause `term_cause`; s is freed. */
void l2tp_relay_hangup(struct l2tp_session *s, uint16_t result, uint16_t ppp_code,
		       uint8_t direction, unsigned term_cause, const char *msg);
/* The call's tunnel and session IDs (ours), as `show` prints them. */
void l2tp_relay_ids(const struct l2tp_session *s, uint16_t *tunnel_id, uint16_t *session_id);
/*
 * A takeover (HA): the LAC call tid/sid, rebuilt from the checkpoint,
 * relayed again for the access side's rebuilt PPPoE session.  The call
 * must be ours (not an LNS's), established and not relayed for another:
 * 0, or -ENOENT (no such call), -EBUSY (not up, or taken).
 */
int l2tp_relay_adopt(struct l2tpd *d, uint16_t tid, uint16_t sid,
		     const struct l2tp_relay_ops *ops, void *arg, struct l2tp_session **out);
/* Called by l2tp/: a data message's PPP frame for a relayed call (1: taken). */
int l2tp_relay_input(struct l2tp_session *s, const uint8_t *frame, size_t len);
/* Called by l2tp/: the relayed call is established; is going. */
void l2tp_relay_up(struct l2tp_session *s);
void l2tp_relay_gone(struct l2tp_session *s);

#endif
