/*
 * The daemon's access ports: a PF_PACKET socket per physical interface,
 * bound to it, filtered (classic BPF) to PPPoE discovery and session
 * frames, untagged or under one or two VLAN tags; a tag the kernel took
 * off (it does so whether or not a VLAN device exists) is put back from
 * the packet's auxiliary data, so the codec always sees the frame as it
 * was on the wire.
 */
#ifndef PPPOE_PORT_H
#define PPPOE_PORT_H

#include "pppoe/access.h"

extern const struct pppoe_port_ops pppoe_port_packet_ops;

/*
 * The hitless restart: the ports the process before handed over, as
 * pppoe_port_packet_ops's arg (NULL: every port is opened).  take gives
 * the descriptor handed over for ifindex (the port's from then on) or -1
 * (none: the port is opened).  A descriptor that is not a packet socket
 * bound to that interface is refused (-EBADF).
 */
struct pppoe_port_handed {
	int (*take)(void *arg, int ifindex);
	void *arg;
};

#endif
