/*
 * Addresses appearing on and leaving this box's interfaces, as rtnetlink
 * announces them (RTMGRP_IPV4_IFADDR): how the standby learns that
 * keepalived has given it the virtual address, without waiting for the
 * notify script (a shell and an l2tpctl process later).
 *
 * The caller owns the event loop: addr_watch_open() gives a non-blocking
 * descriptor to watch for reading, addr_watch_read() drains it.  Every
 * call returns >= 0 or a negative errno; err, when not NULL, receives one
 * line saying what failed.
 */
#ifndef ADDR_WATCH_H
#define ADDR_WATCH_H

#include <netinet/in.h>
#include <stddef.h>

/* added 1 for RTM_NEWADDR, 0 for RTM_DELADDR; a is the interface's own
 * address (IFA_LOCAL, else IFA_ADDRESS). */
typedef void (*addr_watch_cb)(void *arg, int added, int ifindex, struct in_addr a);

int addr_watch_open(char *err, size_t errsz);

/* Reads what is queued on fd (until EAGAIN): the number of events passed
 * to cb, or a negative errno (-ENOBUFS: the kernel dropped announcements,
 * the caller should look at the addresses itself). */
int addr_watch_read(int fd, addr_watch_cb cb, void *arg, char *err, size_t errsz);

/* One datagram of rtnetlink messages: the events in it, or -EINVAL when a
 * message is malformed (those before it have been passed to cb). */
int addr_watch_parse(const void *buf, size_t len, addr_watch_cb cb, void *arg);

#endif
