/*
 * Logging: one line per event, syslog levels, `tunnel L/P:` and
 * `session T/S:` prefixes, runtime debug categories (`debug l2tp ...`).
 * The log state lives in struct l2tpd; nothing here is global.
 */
#ifndef L2TP_LOG_H
#define L2TP_LOG_H

#include <stdarg.h>
#include <stdint.h>
#include <syslog.h>

/* Debug categories, switched by `debug l2tp|vpdn <category>`. */
enum log_debug {
	LOG_DBG_EVENT = 1u << 0,	/* debug l2tp event */
	LOG_DBG_ERROR = 1u << 1,	/* debug l2tp error */
	LOG_DBG_FSM = 1u << 2,		/* debug l2tp fsm */
	LOG_DBG_PACKET = 1u << 3,	/* debug l2tp packet: every control message, decoded */
	LOG_DBG_SEQ = 1u << 4,		/* debug l2tp sequence: Ns/Nr, acks, retransmits */
	LOG_DBG_RADIUS = 1u << 5,	/* debug radius: every RADIUS packet, decoded */
	/* debug l2tp|vpdn redundancy <category> */
	LOG_DBG_HA_CF = 1u << 8,	/* checkpoint records sent and applied */
	LOG_DBG_HA_DETAIL = 1u << 9,	/* every field of them */
	LOG_DBG_HA_ERROR = 1u << 10,	/* checkpoint and resync failures */
	LOG_DBG_HA_EVENT = 1u << 11,	/* link up/down, bulk sync, takeover */
	LOG_DBG_HA_FSM = 1u << 12,	/* role changes */
	LOG_DBG_HA_RESYNC = 1u << 13,	/* per-tunnel resynchronisation */
	LOG_DBG_HA_RF = 1u << 14,	/* redundancy facility: keepalived, switchover */
	/* debug pppoe <category> */
	LOG_DBG_PPPOE_PACKET = 1u << 16,	/* every discovery frame each way */
	LOG_DBG_PPPOE_EVENT = 1u << 17,		/* sessions up and down */
	LOG_DBG_PPPOE_ERROR = 1u << 18,		/* frames refused, and why */
};
#define LOG_DBG_PPPOE_ALL	(LOG_DBG_PPPOE_PACKET | LOG_DBG_PPPOE_EVENT | LOG_DBG_PPPOE_ERROR)

/* The timestamp of stderr lines, formatted once a second (log.c). */
struct log_stamp {
	long long sec;		/* the second text is of */
	size_t len;		/* 0: none yet */
	char text[32];		/* "YYYY-mm-dd HH:MM:SS" */
};

/*
 * Lines to stderr (or the journal) gathered for one write: a busy LNS logs
 * several lines a session, and a write each cost more than the session's
 * packets.  The daemon flushes at the end of every loop turn (log_flush);
 * a line of priority LOG_NOTICE or higher is written at once, with what
 * waits before it, so a line announcing an exit is never left behind.
 */
#define LOG_BUF_SIZE	16384
#define LOG_BUF_URGENT	LOG_NOTICE	/* this priority and above: no wait */

struct log_buf {
	size_t len;
	char text[LOG_BUF_SIZE];
};

struct l2tp_log {
	int level;		/* highest syslog priority printed (LOG_INFO by default) */
	int to_stderr;		/* -f: stderr with timestamps; else syslog */
	int journal;		/* stderr is the journal ($JOURNAL_STREAM): "<prio>line",
				 * no timestamp (sd-daemon(3)) */
	unsigned debug;		/* enum log_debug bits */
	const char *ident;
	/* log_init points stamp at stamp_store: the print functions take the
	 * log const, the cache is theirs to update.  NULL: no cache. */
	struct log_stamp *stamp;
	struct log_stamp stamp_store;
	/* NULL (log_init's choice): one write a line; log_buffer_on points it
	 * at a buffer of the caller's, the print functions fill it. */
	struct log_buf *buf;
};

void log_init(struct l2tp_log *lg, const char *ident, int to_stderr);
void log_close(struct l2tp_log *lg);
/* Gather stderr lines in b (cleared) until log_flush; NULL: no more. */
void log_buffer_on(struct l2tp_log *lg, struct log_buf *b);
/* Write what the buffer holds (nothing to do without one). */
void log_flush(const struct l2tp_log *lg);
void log_msg(const struct l2tp_log *lg, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_vmsg(const struct l2tp_log *lg, int prio, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* The same with pre's text before fmt's (a prefix the caller has made
 * once: "session 1/2: "), in one formatting pass. */
void log_vmsg_pre(const struct l2tp_log *lg, int prio, const char *pre, const char *fmt,
		  va_list ap) __attribute__((format(printf, 4, 0)));
void log_vdebug_pre(const struct l2tp_log *lg, unsigned cat, const char *pre, const char *fmt,
		    va_list ap) __attribute__((format(printf, 4, 0)));
/* A debug line, printed only when category `cat` is on. */
void log_debug(const struct l2tp_log *lg, unsigned cat, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Would a line of priority prio be written?  For callers whose arguments
 * cost more than a filtered call (an address formatted, a name looked up):
 * check first, build the arguments only then.  session_log and the PPP
 * loggers do.
 */
static inline int log_on(const struct l2tp_log *lg, int prio)
{
	return lg != NULL && (prio & 7) <= lg->level;
}

/* Is debug category cat on? */
static inline int log_debug_on(const struct l2tp_log *lg, unsigned cat)
{
	return lg != NULL && (lg->debug & cat) != 0;
}

/* Dotted quad of the IPv4 address be (network byte order) into out, which
 * holds LOG_IPV4_LEN bytes; returns out.  inet_ntoa/inet_ntop go through
 * sprintf and cost as much as the rest of a log line. */
#define LOG_IPV4_LEN	16
const char *log_ipv4(uint32_t be, char out[LOG_IPV4_LEN]);

const char *log_debug_name(unsigned cat);
int log_debug_parse(const char *name, unsigned *cat);

#endif
