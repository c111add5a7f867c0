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

#endif
