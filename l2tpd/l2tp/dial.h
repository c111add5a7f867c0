/*
 * LAC: placing calls (`test vpdn dial`).  Sessions go on a vpdn-group's
 * tunnels toward its initiate-to, on one given tunnel, or for a user whose
 * LNS is chosen by the room registered with l2tp_dial_set_chooser() (AAA:
 * RADIUS tunnel authorization, RFC 2868, aaa/tunnel.h).
 */
#ifndef L2TP_DIAL_H
#define L2TP_DIAL_H

#include <stddef.h>

struct l2tpd;
struct l2tp_tunnel;
struct vpdn_group;

/*
 * Who chooses the tunnel of a user's calls.  Same arguments and result as
 * l2tp_dial_user(); g may be NULL (the group of the user's domain).
 */
struct l2tp_dial_ops {
	int (*dial_user)(void *arg, struct vpdn_group *g, unsigned sessions,
			 unsigned per_tunnel, const char *user, const char *password,
			 char *err, size_t errsz);
};

void l2tp_dial_set_chooser(struct l2tpd *d, const struct l2tp_dial_ops *ops, void *arg);

/*
 * Place `sessions` calls on group g, opening a new tunnel every
 * `per_tunnel` sessions (0: all on one tunnel).  Returns the number of
 * sessions placed, or a negative errno with err set.
 */
int l2tp_dial(struct l2tpd *d, struct vpdn_group *g, unsigned sessions, unsigned per_tunnel,
	      char *err, size_t errsz);
/* Place `sessions` calls on the tunnel t (established or coming up). */
int l2tp_dial_on(struct l2tpd *d, struct l2tp_tunnel *t, unsigned sessions, char *err,
		 size_t errsz);
/*
 * The same as l2tp_dial(), each session carrying a PPP subscriber played by
 * this daemon (peer role) that authenticates as user/password once the
 * session is up (`test vpdn dial ... username U password P`).  user NULL:
 * no PPP.
 */
int l2tp_dial_ppp(struct l2tpd *d, struct vpdn_group *g, unsigned sessions,
		  unsigned per_tunnel, const char *user, const char *password,
		  char *err, size_t errsz);
/*
 * The same, each call carrying proxy LCP and authentication (RFC 2661
 * §4.4.5) as if this LAC had negotiated them with the subscriber:
 * L2TP_DIAL_PROXY_PAP its PAP request, L2TP_DIAL_PROXY_CHAP its CHAP-MD5
 * Response; the subscriber's PPP starts in that state when the call is
 * up (`test vpdn dial ... proxy pap|chap`).
 */
enum l2tp_dial_proxy { L2TP_DIAL_PROXY_NONE, L2TP_DIAL_PROXY_PAP, L2TP_DIAL_PROXY_CHAP };
int l2tp_dial_proxy(struct l2tpd *d, struct vpdn_group *g, unsigned sessions,
		    unsigned per_tunnel, const char *user, const char *password,
		    enum l2tp_dial_proxy proxy, char *err, size_t errsz);
/*
 * Calls for user@domain, on the tunnel the chooser picks (with `aaa
 * authorization network default group radius`, RADIUS's), else on group
 * g's; g NULL: the request-dialin group whose `domain` is the user's.
 * Returns the calls placed now, 0 when they wait for the chooser (RADIUS),
 * or -errno with err.
 */
int l2tp_dial_user(struct l2tpd *d, struct vpdn_group *g, unsigned sessions,
		   unsigned per_tunnel, const char *user, const char *password,
		   char *err, size_t errsz);

/*
 * A paced dial (`test vpdn dial ... interval MS`): the first of `sessions`
 * calls now, each next one interval_ms later from a daemon timer, a new
 * tunnel every `per_tunnel` calls (0: all on one), and a new one too when
 * the tunnel shared ends (logged).  One at a time: a second while one runs
 * is refused (-EBUSY).  It ends by itself after the last call, or when a
 * call cannot be placed or its timer started (logged), the group is
 * removed or no longer request-dialin (l2tp_dial_paced_check), or the
 * daemon shuts down (l2tp_dial_paced_stop).  Returns the calls placed now
 * (1), or -errno with err (saying how many were placed: the first call
 * stays when only the timer failed).
 */
int l2tp_dial_paced(struct l2tpd *d, struct vpdn_group *g, unsigned sessions,
		    unsigned per_tunnel, unsigned interval_ms, char *err, size_t errsz);
/* The configuration changed: a paced dial whose group is gone stops now. */
void l2tp_dial_paced_check(struct l2tpd *d);
/* Stop the paced dial, if any, logging why; its timer and memory go. */
void l2tp_dial_paced_stop(struct l2tpd *d, const char *why);

#endif
