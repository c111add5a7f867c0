/*
 * LAC: the tunnel for a user's calls chosen by RADIUS (RFC 2868), as IOS's
 * VPDN authorization does it.  With `aaa authorization network default
 * group radius`, a call for user@domain sends an Access-Request for the
 * domain (User-Name = domain, User-Password "cisco", Service-Type
 * Outbound); the Access-Accept's tunnel attributes name the LNS:
 *
 *   Tunnel-Type            (64)  L2TP (3), else the set is refused
 *   Tunnel-Medium-Type     (65)  IPv4 (1), else the set is refused
 *   Tunnel-Server-Endpoint (67)  the LNS, "A.B.C.D"
 *   Tunnel-Password        (69)  the tunnel secret (§3.5, salt-encrypted)
 *   Tunnel-Assignment-Id   (82)  calls with the same one share a tunnel
 *   Tunnel-Client-Auth-Id  (90)  the Host Name we send (§3.9)
 *   Tunnel-Preference      (83)  lower first; 24 bits
 *
 * Attributes with the same Tag (§3: the first octet, 0x01..0x1F; 0 or
 * none for an untagged set) describe one tunnel.  A set with a value out
 * of range is refused as a whole, with a log line, and counted; the others
 * are used.  The calls go to the most preferred set's LNS; when that tunnel
 * cannot be established (SCCRQ unanswered, StopCCN) they go to the next.
 * No answer from RADIUS: the vpdn-group's initiate-to, if there is one.
 */
#ifndef L2TP_AAA_TUNNEL_H
#define L2TP_AAA_TUNNEL_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct l2tpd;
struct l2tp_tunnel;
struct radius_attr;
struct radius_msg;
struct radius_pkt;
struct vpdn_group;

#define AAA_TUNNEL_SETS_MAX	32		/* one per tag, 0 to 0x1F */
#define AAA_TUNNEL_TAG_MAX	0x1f
#define AAA_TUNNEL_PREF_MAX	0xffffffu	/* Tunnel-Preference is 24 bits */
#define AAA_TUNNEL_PREF_NONE	0x1000000u	/* none given: after those with one */
#define AAA_TUNNEL_SECRET_MAX	128		/* as `l2tp tunnel password` */
#define AAA_TUNNEL_ID_MAX	64

/* RFC 2868 values */
#define AAA_TUNNEL_TYPE_L2TP	3
#define AAA_TUNNEL_MEDIUM_IPV4	1
#define AAA_SERVICE_OUTBOUND	5		/* RFC 2865 §5.6 */
#define AAA_TUNNEL_AUTHZ_PASSWORD "cisco"	/* what IOS sends for a domain */

/* One usable tunnel of an Access-Accept. */
struct aaa_tunnel_set {
	uint8_t tag;
	uint32_t preference;			/* AAA_TUNNEL_PREF_NONE: none */
	struct in_addr server;			/* Tunnel-Server-Endpoint */
	char secret[AAA_TUNNEL_SECRET_MAX];	/* Tunnel-Password; "" = none */
	char assignment_id[AAA_TUNNEL_ID_MAX];	/* "" = none: a tunnel of its own */
	char client_auth_id[AAA_TUNNEL_ID_MAX];	/* Tunnel-Client-Auth-Id: our Host Name,
						 * "" = the group's local name */
};

/* "isp.example" of "alice@isp.example" (after the last @); NULL if none. */
const char *aaa_tunnel_domain(const char *user);
/* The request-dialin vpdn-group whose `domain` is the user's, NULL if none. */
struct vpdn_group *aaa_tunnel_group(struct l2tpd *d, const char *user);
/* Does a call for this user ask RADIUS for its tunnel (authorization on,
 * a domain, a RADIUS authentication server)? */
int aaa_tunnel_wanted(const struct l2tpd *d, const char *user);

/*
 * The tunnel sets of an Access-Accept, usable ones only, most preferred
 * first (equal preferences: in the order their tags first appear).
 * req_auth and secret (those of the request the reply answers) decrypt
 * Tunnel-Password; NULL secret: a set with a password is refused.  `what`
 * names the request in log lines.  Returns how many sets were written.
 */
size_t aaa_tunnel_parse(struct l2tpd *d, const struct radius_msg *m,
			const uint8_t req_auth[16], const char *secret, const char *what,
			struct aaa_tunnel_set *sets, size_t max);

/*
 * Place `sessions` calls for user (PPP with user/password), the tunnel
 * chosen by RADIUS; g (may be NULL: the group of the user's domain) gives
 * the tunnel's parameters and the fallback initiate-to.  Returns the
 * number of calls placed now (no RADIUS: the group's path), 0 when they
 * wait for the RADIUS answer (the outcome is logged), or -errno with err
 * filled.
 */
int aaa_tunnel_dial(struct l2tpd *d, struct vpdn_group *g, unsigned sessions,
		    unsigned per_tunnel, const char *user, const char *password,
		    char *err, size_t errsz);

/* The Access-Request for a domain, as IOS sends it for VPDN authorization
 * (User-Name the domain, the password "cisco", Service-Type Outbound);
 * 0 or -EMSGSIZE. */
int aaa_tunnel_request(const struct l2tpd *d, const char *domain, struct radius_pkt *p);
/* Is this one of the RFC 2868 attributes aaa_tunnel_parse() reads? */
int aaa_tunnel_attr(const struct radius_attr *at);

/*
 * The access side's calls (aaa/tunnel_choose.c): the chooser of
 * l2tp/relay.h.  A subscriber user@domain, with `aaa authorization
 * network default group radius` and a RADIUS server, costs one
 * Access-Request for the domain; the answer's sets become the targets of
 * the call, most preferred first.  An Access-Reject, or tunnel attributes
 * none of which is usable, refuse the subscriber; no answer, or an
 * Access-Accept without tunnel attributes, leave the choice to the
 * vpdn-group of the domain (and then local termination).
 */
void aaa_tunnel_choose_init(struct l2tpd *d);
void aaa_tunnel_choose_fini(struct l2tpd *d);

/* The observer (aaa.c): a tunnel opened for RADIUS (t->aaa_chosen) was
 * established, or closes or goes before it was. */
void aaa_tunnel_changed(struct l2tp_tunnel *t);
/* Dials still waiting: dropped (the daemon stops). */
void aaa_tunnel_fini(struct l2tpd *d);

#endif
