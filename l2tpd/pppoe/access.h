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
};

#define PPPOE_PORTS_MAX	64

struct pppoe_port {
	char name[PPPOE_IFNAME_MAX];
	int ifindex;
	void *handle;
};

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
/* A frame read on a port (the port's reader calls this). */
void pppoe_access_input(struct l2tpd *d, int ifindex, const uint8_t *frame, size_t len);
/* NAS-Port-Id of an access interface: "eth1", "eth1:100", "eth1:100-10"
 * (the port, then the outer and inner VLAN, as IOS XE writes it). */
void pppoe_access_nas_port_id(const struct pppoe_if *ifp, char *buf, size_t size);
/* The physical interface of an access interface: "eth1.100" with
 * `encapsulation dot1Q` is read on "eth1". */
void pppoe_access_parent(const char *name, int tagged, char *buf, size_t size);

#endif
