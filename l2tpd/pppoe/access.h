/*
 * The access side in the daemon: the access concentrator built from the
 * configuration (`bba-group pppoe`, `interface IF` / `pppoe enable group`),
 * its ports (one per physical interface, shared by its VLAN
 * sub-interfaces) behind an ops struct, so that the unit tests put a fake
 * port where the daemon opens a PF_PACKET socket (pppoe/port.c).
 */
#ifndef PPPOE_ACCESS_H
#define PPPOE_ACCESS_H

#include <stddef.h>
#include <stdint.h>
#include "pppoe/ac.h"
#include "pppoe/lac.h"

struct l2tpd;
struct l2tpd_config;

/* Where frames are read and sent: one port per physical interface. */
struct pppoe_port_ops {
	/* Open ifname's port: its ifindex and MAC, and a handle.  0 or -errno. */
	int (*open)(void *arg, struct l2tpd *d, const char *ifname, int *ifindex,
		    uint8_t mac[PPPOE_ETH_ALEN], void **handle);
	int (*send)(void *arg, void *handle, const uint8_t *frame, size_t len);
	void (*close)(void *arg, void *handle);
	/* The hitless restart (may be NULL: no handover): the port's
	 * descriptor, and reading it stopped (on 0) or started again. */
	int (*fd)(void *arg, void *handle);
	void (*reading)(void *arg, void *handle, int on);
};

#define PPPOE_PORTS_MAX	64

struct pppoe_port {
	char name[PPPOE_IFNAME_MAX];
	int ifindex;
	void *handle;
};

/*
 * Who hears of the sessions relayed into a call (ha/ registers at init, so
 * that the pair checkpoints them; pppoe/ never names ha/): relayed, the
 * call is up (frames relayed or switched), said in the loop turn that
 * sends the ICCN, whose release waits for the record; gone, such a session
 * ends.
 */
struct pppoe_observer_ops {
	void (*relayed)(void *arg, const struct pppoe_session *s);
	void (*gone)(void *arg, const struct pppoe_session *s);
};
void pppoe_access_set_observer(struct l2tpd *d, const struct pppoe_observer_ops *ops, void *arg);

struct pppoe_access {
	struct l2tpd *d;
	struct pppoe_ac *ac;
	const struct pppoe_port_ops *pops;
	void *parg;
	struct pppoe_port ports[PPPOE_PORTS_MAX];
	unsigned n_ports;
	uint64_t rx_ppp_dropped;	/* PPP frames of sessions no PPP runs on yet */
	uint64_t ppp_start_failed;	/* sessions whose PPP could not start */
	struct pppoe_lac_stats lac;	/* the sessions' PPP (pppoe/lac.c) */
	int silent;			/* demoted (HA): nothing leaves the ports */
	uint64_t tx_silenced;		/* frames not sent because of it */
};

/*
 * Build the access side from d->cfg: every interface with `pppoe enable
 * group`.  No such interface: nothing is built (d->access stays NULL).
 * 0, or a negative errno with the reason in err.
 */
/* Does the configuration serve PPPoE on some interface? */
int pppoe_access_configured(const struct l2tpd_config *cfg);
int pppoe_access_start(struct l2tpd *d, const struct pppoe_port_ops *pops, void *parg,
		       char *err, size_t errsz);
void pppoe_access_stop(struct l2tpd *d);
/* HA: a demoted box drops every session without a word (the new active
 * answers its subscribers from the shared MAC), then stops as above. */
void pppoe_access_drop(struct l2tpd *d);
/* A session's call is up (pppoe/lac.c): the observer hears of it. */
void pppoe_access_changed(struct pppoe_access *a, const struct pppoe_session *s);
/* A takeover rebuilds (on): PADI and PADR are dropped, counted; off once
 * every tunnel has resynchronised. */
void pppoe_access_hold(struct l2tpd *d, int on);

/*
 * A takeover (HA): a PPPoE session relayed into the rebuilt call tid/sid,
 * as the dead active checkpointed it: tmpl's ID, MAC, line, counters and
 * (this box's clock) creation time on the access interface ifname, whose
 * VLAN tags must be vlan[0..nvlan).  0, or a negative errno with the
 * reason in err: -ENODEV (no such access interface), -EINVAL (its VLANs
 * differ), -EEXIST (the ID is taken), -ENOENT/-EBUSY (the call is not
 * there, not up), -ENOMEM, the data path's error (DP_CAP_BRIDGE).
 */
struct pppoe_restore {
	struct pppoe_session s;
	const char *ifname;
	uint16_t vlan[PPPOE_MAX_VLANS];
	unsigned nvlan;
	uint16_t tid, sid;
	const char *user;
	/* terminated here (tid, sid 0): its PPP, its address's pool ("" none)
	 * and pppN ("" none); NULL: relayed */
	const struct ppp_state *ppp;
	const char *pool, *unit;
	/* and its accounting (pppoe/local_aaa.h), NULL: none */
	const struct pppoe_aaa_acct *acct;
};
int pppoe_access_restore(struct l2tpd *d, const struct pppoe_restore *r, char *err,
			 size_t errsz);

/*
 * The hitless restart (pppoe/handover.c).  In the process before:
 * pppoe_access_port_fds lists each port's interface and descriptor (*out
 * malloc'd; -EOPNOTSUPP: the ports cannot give theirs); reading stops
 * (on 0) and starts again (a restart that failed).  In the new one, once
 * its ports are open on the descriptors handed over,
 * pppoe_access_ports_opened forgets the ports' argument (a port added by
 * a later reload is opened).  pppoe_access_count: the sessions, of which
 * terminated here (*local) and relayed into calls (*relayed).
 */
struct pppoe_port_fd {
	int ifindex, fd;
};
int pppoe_access_port_fds(struct l2tpd *d, struct pppoe_port_fd **out, size_t *n);
void pppoe_access_reading(struct l2tpd *d, int on);
void pppoe_access_ports_opened(struct l2tpd *d);
unsigned pppoe_access_count(const struct l2tpd *d, unsigned *local, unsigned *relayed);

/* A frame read on a port (the port's reader calls this). */
void pppoe_access_input(struct l2tpd *d, int ifindex, const uint8_t *frame, size_t len);
/* NAS-Port-Id of an access interface: "eth1", "eth1:100", "eth1:100-10"
 * (the port, then the outer and inner VLAN, as IOS XE writes it). */
void pppoe_access_nas_port_id(const struct pppoe_if *ifp, char *buf, size_t size);
/* The physical interface of an access interface: "eth1.100" with
 * `encapsulation dot1Q` is read on "eth1". */
void pppoe_access_parent(const char *name, int tagged, char *buf, size_t size);

#endif
