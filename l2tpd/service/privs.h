/*
 * Least privilege.  The daemon needs, and keeps, only:
 *   CAP_NET_ADMIN         genl l2tp, opening /dev/ppp (ppp_generic checks it
 *                         at open), links, addresses and routes over
 *                         rtnetlink, IP_TRANSPARENT for the takeover's
 *                         sockets on the virtual address
 *   CAP_NET_RAW           PF_PACKET sockets (PPPoE discovery on a LAC, IPv6
 *                         RS and DHCPv6 on every pppN under the linux path)
 *   CAP_NET_BIND_SERVICE  ports below 1024 (l2tp port, DAS, metrics)
 * /dev/ppp itself is root:root 0600 on Debian (no udev rule names it): the
 * user needs read-write access to it, which the package's udev rule gives
 * to the group l2tpd.
 *
 * Started as root with `-u USER`, the daemon becomes USER (its groups
 * too) keeping those three capabilities, through libcap-ng, and clears
 * the bounding set.  Under systemd the unit does it (User=,
 * AmbientCapabilities=, CapabilityBoundingSet=) and -u is not given.
 */
#ifndef L2TPD_SERVICE_PRIVS_H
#define L2TPD_SERVICE_PRIVS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The capabilities kept, as a mask of CAP_* bits (for logs and tests). */
uint64_t svc_privs_wanted(void);

/* Look USER up: its uid and primary gid.  0, or -ENOENT with the reason. */
int svc_privs_lookup(const char *user, uid_t *uid, gid_t *gid, char *err, size_t errsz);

/*
 * Become uid/gid (with USER's supplementary groups) keeping only the
 * capabilities above, effective and permitted; the bounding set is
 * cleared of everything else.  Needs root (CAP_SETUID, CAP_SETGID,
 * CAP_SETPCAP).  0, or a negative errno with the reason in err.
 */
int svc_privs_drop(uid_t uid, gid_t gid, char *err, size_t errsz);

/* The effective capabilities of this process now, as a mask. */
uint64_t svc_privs_effective(void);
/* "cap_net_admin,cap_net_raw" for a mask (the names capng gives them). */
void svc_privs_format(uint64_t mask, char *buf, size_t size);

#endif
