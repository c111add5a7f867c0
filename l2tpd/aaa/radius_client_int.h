/*
 * Inside the RADIUS client: its servers, sockets and requests, shared by
 * the request side (radius_client.c) and the reply side
 * (radius_client_reply.c).  Nothing outside them includes this.
 */
#ifndef AAA_RADIUS_CLIENT_INT_H
#define AAA_RADIUS_CLIENT_INT_H

#include <ev.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/queue.h>
#include "l2tpd.h"
#include "aaa/radius.h"
#include "aaa/radius_client.h"

#define RADIUS_SOCKS_MAX	16	/* per server and kind: 4096 requests in flight */
#define RADIUS_RX_BURST		64	/* datagrams read per wakeup */
#define RADIUS_WARN_MS		10000	/* at most one warning per server this often */

struct radius_client;
struct radius_server;

struct radius_sock {
	struct radius_client *c;
	struct radius_server *srv;
	enum radius_kind kind;
	int fd;
	ev_io io;
	struct radius_req *req[256];	/* by Identifier */
	unsigned busy;
	uint8_t next_id;
};

struct radius_server {
	unsigned idx;			/* configuration order */
	struct sockaddr_in sa[RADIUS_KINDS];	/* port 0: not used for that kind */
	char key[CONFIG_SECRET_MAX];
	struct radius_sock *socks[RADIUS_KINDS][RADIUS_SOCKS_MAX];
	unsigned n_socks[RADIUS_KINDS];
	struct radius_stats st[RADIUS_KINDS];
	int dead;
	uint64_t dead_until;		/* ms on the clock */
	uint64_t since;			/* ms: dead or alive since */
	uint64_t last_warn;		/* ms, when warned */
	int warned;
	char name[32];			/* "A" for log lines */
};

/* One transmission's Identifier and the authenticator its reply is checked against. */
struct radius_slot {
	struct radius_sock *sock;	/* NULL: none */
	uint8_t id;
	uint8_t auth[RADIUS_AUTH_LEN];
};

struct radius_req {
	TAILQ_ENTRY(radius_req) link;	/* c->reqs */
	TAILQ_ENTRY(radius_req) wlink;	/* c->waiting, when waiting */
	struct radius_client *c;
	enum radius_kind kind;
	uint8_t *body;			/* the caller's packet, in clear */
	size_t len;
	radius_cb cb;
	void *arg;
	struct radius_server *srv;	/* the server it is at */
	struct radius_slot cur, prev;	/* prev: accounting's previous transmission */
	unsigned tx;			/* transmissions to srv */
	uint32_t tried;			/* servers tried, by index */
	uint32_t delay_base;		/* the caller's Acct-Delay-Time */
	int has_delay;
	int waiting;
	uint64_t created, sent;		/* ms */
	struct l2tp_timer timer;
};

struct radius_client {
	struct l2tpd *d;
	struct radius_server srv[CONFIG_RADIUS_SERVERS];
	unsigned n_srv;
	TAILQ_HEAD(, radius_req) reqs;
	TAILQ_HEAD(, radius_req) waiting;
	unsigned n_reqs;
	uint64_t no_id;			/* requests that had to wait for an Identifier */
	uint64_t stats_since;
	struct radius_dict *dict;
	char dict_note[256];
	/* while a reply's callback runs (radius_client_reply_auth) */
	const struct radius_server *cb_srv;
	uint8_t cb_auth[RADIUS_AUTH_LEN];
};

extern const char *const radius_kind_names[RADIUS_KINDS];

uint64_t radius_now(const struct radius_client *c);
int radius_debug_on(const struct radius_client *c);
/* A warning about a server, at most one per RADIUS_WARN_MS (every drop is counted). */
void radius_server_warn(struct radius_client *c, struct radius_server *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void radius_server_mark_alive(struct radius_client *c, struct radius_server *s);
void radius_log_packet(struct radius_client *c, const char *what, const struct radius_server *s, enum radius_kind kind, const uint8_t *buf, size_t len, const char *extra);
void radius_req_detach(struct radius_req *r);
void radius_req_free(struct radius_req *r);
/* The reply side: a datagram from a server (radius_client_reply.c). */
void radius_sock_read(struct ev_loop *loop, ev_io *w, int revents);

#endif
