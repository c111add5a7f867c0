/* What the fuzz targets check of a daemon (fuzz_daemon.c). */
#ifndef TEST_FUZZ_DAEMON_H
#define TEST_FUZZ_DAEMON_H

struct l2tpd;

/* Every live tunnel is where its ID finds it, every session in its
 * tunnel, the counts are what the lists hold; a dead tunnel holds
 * nothing.  Aborts otherwise. */
void fuzz_check_daemon(struct l2tpd *d);

#endif
