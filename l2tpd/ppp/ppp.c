/*
 * One PPP link (see ppp.h): phases, demultiplexing, the glue between LCP,
 * authentication and the NCPs, export/import of the negotiated state.
 *
 *   Dead --open--> Establish --LCP up--> Authenticate --ok--> Network
 *     ^                ^   (no auth: straight to Network)        |
 *     |                +-------------- LCP down -----------------+
 *     +--- LCP finished / lower down / dead peer --- Terminate <-- close
 *
 * RFC 1661 §3.2: in Establish only LCP is accepted; in Authenticate, LCP
 * and the authentication protocol (§3.5: network packets are silently
 * discarded); in Network, everything, and a protocol we do not know is
 * answered with a Protocol-Reject (§5.7).
 *
 * Callbacks to the owner (ops) may free the link: ppp_free() then only
 * marks it, and the last ppp_leave() on the way out destroys it.  The
 * owner's down() is likewise called on the way out, once.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "core/rand.h"
#include "ppp/ppp.h"

static const char *const ppp_phase_names[] = {
	"Dead", "Establish", "Authenticate", "Network", "Terminate",
};

const char *ppp_phase_string(enum ppp_phase ph)
{
	if ((unsigned)ph >= ARRAY_SIZE(ppp_phase_names))
		return "?";
	return ppp_phase_names[ph];
}

enum ppp_phase ppp_get_phase(const struct ppp *p)
{
	return p->phase;
}

/* --- logging, output, life cycle ----------------------------------------------- */

void ppp_log(const struct ppp *p, int prio, const char *fmt, ...)
{
	va_list ap;

	if (p->io.log == NULL)
		return;
	va_start(ap, fmt);
	log_vmsg_pre(p->io.log, prio, p->prefix, fmt, ap);
	va_end(ap);
}

void ppp_debug(const struct ppp *p, unsigned cat, const char *fmt, ...)
{
	va_list ap;

	if (p->io.log == NULL)
		return;
	va_start(ap, fmt);
	log_vdebug_pre(p->io.log, cat, p->prefix, fmt, ap);
	va_end(ap);
}

void ppp_output(struct ppp *p, uint16_t proto, const uint8_t *buf, size_t len)
{
	PPP_COUNT(p, tx_frames);
	if (p->ops.output != NULL)
		p->ops.output(p->arg, proto, buf, len);
}

static void ppp_io_output(void *arg, uint16_t proto, const uint8_t *buf, size_t len)
{
	ppp_output(arg, proto, buf, len);
}

static void ppp_set_phase(struct ppp *p, enum ppp_phase ph)
{
	if (p->phase != ph)
		ppp_debug(p, LOG_DBG_FSM, "phase %s -> %s", ppp_phase_string(p->phase),
			  ppp_phase_string(ph));
	p->phase = ph;
}

int ppp_str_set(char **dst, const char *src, size_t max)
{
	char *c = strndup(src, max - 1);

	if (c == NULL)
		return -ENOMEM;
	free(*dst);
	*dst = c;
	return 0;
}

const char *ppp_auth_user(const struct ppp *p)
{
	return p->auth_user != NULL ? p->auth_user : "";
}

/* The first reason stays (allocated: most links never go down). */
void ppp_set_reason(struct ppp *p, const char *reason)
{
	if (p->down_reason == NULL && reason != NULL && reason[0] != '\0' &&
	    ppp_str_set(&p->down_reason, reason, PPP_REASON_MAX) < 0)
		ppp_log(p, LOG_ERR, "out of memory: link down reason lost: %s", reason);
}

static const char *ppp_down_reason(const struct ppp *p)
{
	return p->down_reason != NULL ? p->down_reason : "";
}

static void ppp_stop_timers(struct ppp *p)
{
	ppp_lcp_stop(&p->lcp);
	ppp_ipcp_stop(&p->ipcp);
	if (p->ipv6cp != NULL)
		ppp_ipv6cp_stop(p->ipv6cp);
	ppp_pap_stop(&p->pap);
	ppp_chap_stop(&p->chap);
	clock_timer_stop(p->io.clk, &p->auth_timer);
}

static void ppp_destroy(struct ppp *p)
{
	ppp_stop_timers(p);
	explicit_bzero(p->cfg.password, strlen(p->cfg.password));
	free(p->ipv6cp);
	ppp_pap_free(&p->pap);
	ppp_chap_free(&p->chap);
	free(p->auth_user);
	free(p->down_reason);
	free(p);
}

void ppp_enter(struct ppp *p)
{
	p->depth++;
}

void ppp_leave(struct ppp *p)
{
	if (--p->depth > 0)
		return;
	if (p->down_pending && !p->down_called) {
		p->down_pending = 0;
		p->down_called = 1;
		ppp_log(p, LOG_INFO, "link down: %s", ppp_down_reason(p));
		if (p->ops.down != NULL) {
			p->depth++;
			p->ops.down(p->arg, ppp_down_reason(p));
			p->depth--;
		}
	}
	if (p->dead)
		ppp_destroy(p);
}

static void ppp_io_enter(void *arg)
{
	ppp_enter(arg);
}

static void ppp_io_leave(void *arg)
{
	ppp_leave(arg);
}

/* The link is over: Dead, every timer stopped, down() on the way out. */
static void ppp_finish(struct ppp *p)
{
	ppp_stop_timers(p);
	p->auth_pending = 0;
	ppp_set_phase(p, PPP_PHASE_DEAD);
	ppp_set_reason(p, "link finished");
	if (!p->down_called)
		p->down_pending = 1;
}

/* --- configuration and creation ---------------------------------------------- */

void ppp_config_init(struct ppp_config *c)
{
	memset(c, 0, sizeof(*c));
	c->role = PPP_ROLE_AUTHENTICATOR;
	c->mru = PPP_MRU_DEFAULT;
	snprintf(c->hostname, sizeof(c->hostname), "l2tpd");
	c->echo_interval = 10;
	c->echo_failures = 5;
	c->restart_ms = PPP_FSM_RESTART_MS;
	c->auth_timeout_ms = 30000;
}

static int ppp_config_check(const struct ppp_config *cfg)
{
	if (cfg->n_auth > PPP_AUTH_METHODS_MAX || cfg->mru < PPP_MRU_MIN ||
	    cfg->mru > PPP_MAX_PACKET)
		return -EINVAL;
	for (unsigned i = 0; i < cfg->n_auth; i++)
		if (cfg->auth[i] != PPP_AUTH_PAP && cfg->auth[i] != PPP_AUTH_CHAP_MD5 &&
		    cfg->auth[i] != PPP_AUTH_MSCHAPV2)
			return -EINVAL;
	if (memchr(cfg->hostname, 0, sizeof(cfg->hostname)) == NULL ||
	    memchr(cfg->user, 0, sizeof(cfg->user)) == NULL ||
	    memchr(cfg->password, 0, sizeof(cfg->password)) == NULL)
		return -EINVAL;
	return 0;
}

static void ppp_auth_timeout(struct l2tp_timer *t, void *arg);

/* p->cfg from cfg: the strings go to p->strings after the prefix. */
static void ppp_cfg_copy(struct ppp *p, const struct ppp_config *cfg, size_t off)
{
	const char *src[3] = { cfg->hostname, cfg->user, cfg->password };
	char *dst[3];

	for (int i = 0; i < 3; i++) {
		size_t n = strlen(src[i]) + 1;

		dst[i] = p->strings + off;
		memcpy(dst[i], src[i], n);
		off += n;
	}
	p->cfg = (struct ppp_link_cfg){
		.role = cfg->role,
		.mru = cfg->mru,
		.n_auth = (uint8_t)cfg->n_auth,
		.hostname = dst[0],
		.user = dst[1],
		.password = dst[2],
		.local_addr = cfg->local_addr,
		.peer_addr = cfg->peer_addr,
		.dns = { cfg->dns[0], cfg->dns[1] },
		.echo_interval = cfg->echo_interval,
		.echo_failures = cfg->echo_failures,
		.ipv6 = cfg->ipv6 != 0,
		.restart_ms = cfg->restart_ms ? cfg->restart_ms : PPP_FSM_RESTART_MS,
		.auth_timeout_ms = cfg->auth_timeout_ms ? cfg->auth_timeout_ms : 30000,
		.rand = cfg->rand,
	};
	memcpy(p->cfg.auth, cfg->auth, sizeof(p->cfg.auth));
}

void ppp_random(const struct ppp *p, void *buf, size_t len)
{
	if (p->cfg.rand != NULL)
		rand_pool_bytes(p->cfg.rand, buf, len);
	else
		rand_bytes(buf, len);
}

struct ppp *ppp_new(const struct ppp_config *cfg, const struct ppp_ops *ops, void *arg,
		    struct l2tp_clock *clk, const struct l2tp_log *log, const char *prefix)
{
	struct ppp *p;
	size_t plen;

	if (cfg == NULL || ops == NULL || clk == NULL || ppp_config_check(cfg) < 0) {
		errno = EINVAL;
		return NULL;
	}
	if (prefix == NULL)
		prefix = "";
	plen = strnlen(prefix, PPP_PREFIX_MAX - 1);
	p = calloc(1, sizeof(*p) + plen + 1 + strlen(cfg->hostname) + 1 + strlen(cfg->user) + 1 +
			      strlen(cfg->password) + 1);
	if (p == NULL)
		return NULL;
	memcpy(p->strings, prefix, plen);
	p->prefix = p->strings;
	ppp_cfg_copy(p, cfg, plen + 1);
	p->ops = *ops;
	p->arg = arg;
	p->io.clk = clk;
	p->io.log = log;
	p->io.prefix = p->prefix;
	p->io.mtu = PPP_MRU_DEFAULT;
	p->io.output = ppp_io_output;
	p->io.enter = ppp_io_enter;
	p->io.leave = ppp_io_leave;
	p->io.arg = p;
	p->io.totals = cfg->totals;	/* every counter of the link counts there too */
	p->phase = PPP_PHASE_DEAD;
	ppp_lcp_init(&p->lcp, p);
	ppp_pap_init(&p->pap, p);
	ppp_chap_init(&p->chap, p);
	ppp_ipcp_init(&p->ipcp, p);
	if (ppp_ipv6cp_create(p) < 0) {
		free(p);
		return NULL;
	}
	clock_timer_init(&p->auth_timer, ppp_auth_timeout, p);
	return p;
}

void ppp_free(struct ppp *p)
{
	if (p == NULL)
		return;
	if (p->depth > 0) {
		p->dead = 1;
		p->down_called = 1;	/* the owner is done with it: no down() */
		return;
	}
	ppp_destroy(p);
}

int ppp_open(struct ppp *p)
{
	if (p->phase != PPP_PHASE_DEAD || p->down_called || p->down_pending)
		return -EALREADY;
	ppp_enter(p);
	ppp_set_phase(p, PPP_PHASE_ESTABLISH);
	ppp_fsm_open(&p->lcp.fsm);
	ppp_fsm_lower_up(&p->lcp.fsm);
	ppp_leave(p);
	return 0;
}

void ppp_close_link(struct ppp *p, const char *reason)
{
	ppp_set_reason(p, reason);
	if (p->phase == PPP_PHASE_DEAD) {
		if (!p->down_called)
			p->down_pending = 1;
		return;
	}
	ppp_set_phase(p, PPP_PHASE_TERMINATE);
	ppp_log(p, LOG_INFO, "closing: %s", reason);
	ppp_fsm_close(&p->lcp.fsm, reason);
	/* LCP already Closed/Stopped: nothing more will come */
	if (p->lcp.fsm.state == PPP_FSM_CLOSED || p->lcp.fsm.state == PPP_FSM_INITIAL)
		ppp_finish(p);
}

void ppp_close(struct ppp *p, const char *reason)
{
	ppp_enter(p);
	ppp_close_link(p, reason ? reason : "closed");
	ppp_leave(p);
}

void ppp_lower_down(struct ppp *p, const char *reason)
{
	ppp_enter(p);
	ppp_set_reason(p, reason ? reason : "lower layer down");
	if (p->phase != PPP_PHASE_DEAD) {
		ppp_fsm_lower_down(&p->lcp.fsm);
		ppp_finish(p);
	}
	ppp_leave(p);
}

void ppp_link_dead(struct ppp *p, const char *reason)
{
	ppp_set_reason(p, reason);
	ppp_log(p, LOG_NOTICE, "%s", reason);
	/* no Terminate-Request to a peer that does not answer */
	ppp_fsm_lower_down(&p->lcp.fsm);
	ppp_finish(p);
}

/* --- LCP and the phases ---------------------------------------------------------- */

static void ppp_network_start(struct ppp *p)
{
	ppp_set_phase(p, PPP_PHASE_NETWORK);
	ppp_fsm_open(&p->ipcp.fsm);
	ppp_fsm_lower_up(&p->ipcp.fsm);
	if (p->cfg.ipv6) {
		ppp_fsm_open(&p->ipv6cp->fsm);
		ppp_fsm_lower_up(&p->ipv6cp->fsm);
	}
}

void ppp_on_lcp_up(struct ppp *p)
{
	enum ppp_auth_method m = PPP_AUTH_NONE;
	int authenticator = p->cfg.role == PPP_ROLE_AUTHENTICATOR;

	if (p->phase == PPP_PHASE_TERMINATE || p->phase == PPP_PHASE_DEAD)
		return;
	if (authenticator && p->lcp.neg_auth)
		m = p->lcp.auth;
	else if (!authenticator)
		m = p->lcp.peer_auth;
	p->auth_method = m;
	p->auth_ok = 0;
	p->auth_pending = 0;
	if (m == PPP_AUTH_NONE) {
		if (authenticator && p->cfg.n_auth > 0) {
			/* cannot happen: LCP does not open without our method */
			ppp_close_link(p, "authentication not negotiated");
			return;
		}
		ppp_network_start(p);
		return;
	}
	ppp_set_phase(p, PPP_PHASE_AUTHENTICATE);
	clock_timer_start(p->io.clk, &p->auth_timer, p->cfg.auth_timeout_ms);
	if (m == PPP_AUTH_PAP)
		ppp_pap_start(&p->pap, authenticator);
	else
		ppp_chap_start(&p->chap, authenticator, m);
}

void ppp_on_lcp_down(struct ppp *p)
{
	ppp_pap_stop(&p->pap);
	ppp_chap_stop(&p->chap);
	clock_timer_stop(p->io.clk, &p->auth_timer);
	p->auth_pending = 0;
	ppp_fsm_lower_down(&p->ipcp.fsm);
	if (p->ipv6cp != NULL)
		ppp_fsm_lower_down(&p->ipv6cp->fsm);
	if (p->phase == PPP_PHASE_AUTHENTICATE || p->phase == PPP_PHASE_NETWORK)
		ppp_set_phase(p, PPP_PHASE_ESTABLISH);
}

void ppp_on_lcp_finished(struct ppp *p)
{
	const struct ppp_fsm_stats *s = &p->lcp.fsm.stats;

	if (p->lcp.fsm.state == PPP_FSM_STOPPED && s->timeouts > 0)
		ppp_set_reason(p, "LCP negotiation timed out");
	else if (p->phase != PPP_PHASE_TERMINATE)
		ppp_set_reason(p, "peer terminated the link");
	ppp_finish(p);
}

void ppp_protocol_rejected(struct ppp *p, uint16_t proto)
{
	switch (proto) {
	case PPP_PROTO_IPCP:
	case PPP_PROTO_IP:
		ppp_fsm_rxj(&p->ipcp.fsm, 1);
		break;
	case PPP_PROTO_IPV6CP:
	case PPP_PROTO_IPV6:
		if (p->ipv6cp != NULL)
			ppp_fsm_rxj(&p->ipv6cp->fsm, 1);
		break;
	case PPP_PROTO_PAP:
	case PPP_PROTO_CHAP:
		if (p->phase == PPP_PHASE_AUTHENTICATE)
			ppp_auth_finished(p, 0, "peer rejects the authentication protocol");
		break;
	default:
		break;
	}
}

/* --- authentication --------------------------------------------------------------- */

struct in_addr ppp_assigned_addr(const struct ppp *p)
{
	return p->reply.peer_addr.s_addr != 0 ? p->reply.peer_addr : p->cfg.peer_addr;
}

struct in_addr ppp_assigned_dns(const struct ppp *p, int i)
{
	return p->reply.dns[i].s_addr != 0 ? p->reply.dns[i] : p->cfg.dns[i];
}

static void ppp_auth_timeout(struct l2tp_timer *t, void *arg)
{
	struct ppp *p = arg;

	(void)t;
	ppp_enter(p);
	if (p->phase == PPP_PHASE_AUTHENTICATE) {
		p->auth_pending = 0;
		ppp_pap_stop(&p->pap);
		ppp_chap_stop(&p->chap);
		ppp_auth_finished(p, 0, "authentication timed out");
	}
	ppp_leave(p);
}

void ppp_auth_submit(struct ppp *p, const struct ppp_auth_req *req)
{
	if (ppp_str_set(&p->auth_user, req->user, PPP_NAME_MAX + 1) < 0) {
		ppp_auth_finished(p, 0, "out of memory");
		return;
	}
	p->auth_pending = 1;
	ppp_debug(p, LOG_DBG_EVENT, "%s: checking user \"%s\"", ppp_auth_method_string(req->method),
		req->user);
	if (p->ops.auth_request != NULL)
		p->ops.auth_request(p->arg, req);
	else
		ppp_auth_done(p, 0, "no authentication service", NULL);
}

int ppp_auth_done(struct ppp *p, int ok, const char *msg, const struct ppp_auth_reply *r)
{
	char auth_resp[PPP_MSCHAP_AUTHRESP_LEN + 1] = "";

	if (!p->auth_pending || p->phase != PPP_PHASE_AUTHENTICATE)
		return -EALREADY;
	ppp_enter(p);
	p->auth_pending = 0;
	memset(&p->reply, 0, sizeof(p->reply));
	if (r != NULL) {
		p->reply.peer_addr = r->peer_addr;
		p->reply.dns[0] = r->dns[0];
		p->reply.dns[1] = r->dns[1];
		memcpy(auth_resp, r->mschap_auth_response, PPP_MSCHAP_AUTHRESP_LEN);
	}
	if (p->auth_method == PPP_AUTH_PAP)
		ppp_pap_auth_done(&p->pap, ok, msg);
	else
		ppp_chap_auth_done(&p->chap, ok, msg, auth_resp);
	ppp_leave(p);
	return 0;
}

void ppp_auth_finished(struct ppp *p, int ok, const char *why)
{
	if (p->phase != PPP_PHASE_AUTHENTICATE)
		return;
	clock_timer_stop(p->io.clk, &p->auth_timer);
	if (!ok) {
		PPP_COUNT(p, auth_failures);
		ppp_log(p, LOG_NOTICE, "%s: authentication failed%s%s%s",
			ppp_auth_method_string(p->auth_method),
			p->cfg.role == PPP_ROLE_AUTHENTICATOR ? " for user \"" : "",
			p->cfg.role == PPP_ROLE_AUTHENTICATOR ? ppp_auth_user(p) : "",
			p->cfg.role == PPP_ROLE_AUTHENTICATOR ? "\"" : "");
		ppp_close_link(p, why ? why : "authentication failed");
		return;
	}
	if (p->cfg.role == PPP_ROLE_PEER &&
	    ppp_str_set(&p->auth_user, p->cfg.user, PPP_NAME_MAX + 1) < 0) {
		ppp_close_link(p, "out of memory");
		return;
	}
	p->auth_ok = 1;
	/* At info: the link's "PPP up" line names the user and the method. */
	ppp_debug(p, LOG_DBG_EVENT, "%s: user \"%s\" authenticated", ppp_auth_method_string(p->auth_method),
		ppp_auth_user(p));
	ppp_network_start(p);
}

/* --- NCPs ----------------------------------------------------------------------- */

void ppp_on_ncp_up(struct ppp *p, uint16_t proto)
{
	struct ppp_state st;

	if (p->ops.up == NULL)
		return;
	ppp_export(p, &st);
	p->ops.up(p->arg, proto, &st);
}

static int ppp_on_ncp_running(const struct ppp_fsm *f)
{
	return f->state >= PPP_FSM_CLOSING;
}

void ppp_on_ncp_finished(struct ppp *p, uint16_t proto)
{
	(void)proto;
	if (p->phase != PPP_PHASE_NETWORK)
		return;
	if (ppp_on_ncp_running(&p->ipcp.fsm) || (p->ipv6cp != NULL && ppp_on_ncp_running(&p->ipv6cp->fsm)))
		return;
	ppp_close_link(p, "no network protocol left");
}

/* --- input ---------------------------------------------------------------------- */

static int ppp_drop_phase(struct ppp *p, uint16_t proto)
{
	PPP_COUNT(p, rx_dropped_phase);
	ppp_debug(p, LOG_DBG_ERROR, "protocol 0x%04x in phase %s: dropped", proto,
		  ppp_phase_string(p->phase));
	return -EAGAIN;
}

static int ppp_input_auth(struct ppp *p, uint16_t proto, const uint8_t *buf, size_t len)
{
	if (p->phase != PPP_PHASE_AUTHENTICATE && p->phase != PPP_PHASE_NETWORK)
		return ppp_drop_phase(p, proto);
	if (proto == PPP_PROTO_PAP && p->auth_method == PPP_AUTH_PAP)
		return ppp_pap_input(&p->pap, buf, len);
	if (proto == PPP_PROTO_CHAP &&
	    (p->auth_method == PPP_AUTH_CHAP_MD5 || p->auth_method == PPP_AUTH_MSCHAPV2))
		return ppp_chap_input(&p->chap, buf, len);
	PPP_COUNT(p, auth_rx_bad);
	ppp_debug(p, LOG_DBG_ERROR, "protocol 0x%04x is not the negotiated authentication: dropped",
		  proto);
	return -EPROTO;
}

static int ppp_input_unknown(struct ppp *p, uint16_t proto, const uint8_t *buf, size_t len)
{
	if (p->phase != PPP_PHASE_NETWORK)
		return ppp_drop_phase(p, proto);
	/* §5.7 */
	PPP_COUNT(p, rx_proto_rejected);
	ppp_log(p, LOG_INFO, "unknown protocol 0x%04x: Protocol-Reject", proto);
	ppp_lcp_send_protrej(&p->lcp, proto, buf, len);
	return -EPROTONOSUPPORT;
}

static int ppp_input_frame(struct ppp *p, const uint8_t *frame, size_t len)
{
	uint16_t proto;

	PPP_COUNT(p, rx_frames);
	if (p->phase == PPP_PHASE_DEAD) {
		PPP_COUNT(p, rx_dropped_phase);
		return -EAGAIN;
	}
	/* RFC 1662 §3.1: Address and Control, if the frame still has them */
	if (len >= 2 && frame[0] == PPP_ALLSTATIONS && frame[1] == PPP_UI) {
		frame += 2;
		len -= 2;
	}
	/* two-octet protocol field: we reject Protocol-Field-Compression */
	if (len < 2 || (frame[0] & 1) || !PPP_PROTO_VALID(ppp_get16(frame))) {
		PPP_COUNT(p, rx_malformed);
		ppp_log(p, LOG_NOTICE, "frame of %zu octets without a valid protocol field: dropped",
			len);
		return -EBADMSG;
	}
	proto = ppp_get16(frame);
	frame += 2;
	len -= 2;
	switch (proto) {
	case PPP_PROTO_LCP:
		return ppp_fsm_input(&p->lcp.fsm, frame, len);
	case PPP_PROTO_PAP:
	case PPP_PROTO_CHAP:
		return ppp_input_auth(p, proto, frame, len);
	case PPP_PROTO_IPCP:
		if (p->phase != PPP_PHASE_NETWORK)
			return ppp_drop_phase(p, proto);
		return ppp_fsm_input(&p->ipcp.fsm, frame, len);
	case PPP_PROTO_IPV6CP:
		if (!p->cfg.ipv6)
			return ppp_input_unknown(p, proto, frame, len);
		if (p->phase != PPP_PHASE_NETWORK)
			return ppp_drop_phase(p, proto);
		return ppp_fsm_input(&p->ipv6cp->fsm, frame, len);
	case PPP_PROTO_IPV6:
		if (!p->cfg.ipv6)
			return ppp_input_unknown(p, proto, frame, len);
		if (p->phase == PPP_PHASE_NETWORK && p->ipv6cp->fsm.state == PPP_FSM_OPENED &&
		    p->ops.ipv6_input != NULL) {
			p->ops.ipv6_input(p->arg, frame, len);
			return 0;
		}
		/* fall through */
	case PPP_PROTO_IP:
		if (p->phase != PPP_PHASE_NETWORK)
			return ppp_drop_phase(p, proto);
		/* the data path is the kernel's; here IP is only counted */
		PPP_COUNT(p, rx_data_dropped);
		return -EAGAIN;
	default:
		return ppp_input_unknown(p, proto, frame, len);
	}
}

int ppp_send_ipv6(struct ppp *p, const uint8_t *pkt, size_t len)
{
	if (p->phase != PPP_PHASE_NETWORK || p->ipv6cp == NULL ||
	    p->ipv6cp->fsm.state != PPP_FSM_OPENED)
		return -ENOTCONN;
	ppp_output(p, PPP_PROTO_IPV6, pkt, len);
	return 0;
}

int ppp_input(struct ppp *p, const uint8_t *frame, size_t len)
{
	int rc;

	ppp_enter(p);
	rc = ppp_input_frame(p, frame, len);
	ppp_leave(p);
	return rc;
}

/* --- state -------------------------------------------------------------------- */

void ppp_get_stats(const struct ppp *p, struct ppp_stats *s)
{
	*s = (struct ppp_stats){
		.rx_frames = p->stats.rx_frames,
		.tx_frames = p->stats.tx_frames,
		.rx_malformed = p->stats.rx_malformed,
		.rx_proto_rejected = p->stats.rx_proto_rejected,
		.rx_dropped_phase = p->stats.rx_dropped_phase,
		.rx_data_dropped = p->stats.rx_data_dropped,
		.auth_rx_bad = p->stats.auth_rx_bad,
		.auth_retransmits = p->stats.auth_retransmits,
		.auth_failures = p->stats.auth_failures,
	};
	s->lcp = p->lcp.fsm.stats;
	s->ipcp = p->ipcp.fsm.stats;
	if (p->ipv6cp != NULL)
		s->ipv6cp = p->ipv6cp->fsm.stats;
	s->lcp_ext = p->lcp.stats;
}

int ppp_export(const struct ppp *p, struct ppp_state *st)
{
	int lns = p->cfg.role == PPP_ROLE_AUTHENTICATOR;

	memset(st, 0, sizeof(*st));
	st->phase = p->phase;
	st->mru = ppp_lcp_our_mru(&p->lcp);
	st->peer_mru = p->lcp.peer_mru;
	st->magic = p->lcp.neg_magic ? p->lcp.magic : 0;
	st->peer_magic = p->lcp.peer_neg_magic ? p->lcp.peer_magic : 0;
	if (p->auth_ok) {
		st->auth = p->auth_method;
		const char *u = ppp_auth_user(p);

		/* st is zeroed: the copy is terminated (snprintf cost more) */
		memcpy(st->user, u, strnlen(u, sizeof(st->user) - 1));
	}
	st->ipcp_open = p->ipcp.fsm.state == PPP_FSM_OPENED;
	st->local_addr = p->ipcp.addr;
	st->peer_addr = p->ipcp.peer_addr;
	for (int i = 0; i < 2; i++)
		st->dns[i] = lns ? ppp_assigned_dns(p, i) : p->ipcp.dns[i];
	if (p->ipv6cp != NULL) {
		st->ipv6cp_open = p->ipv6cp->fsm.state == PPP_FSM_OPENED;
		memcpy(st->local_ifid, p->ipv6cp->ifid, PPP_IFID_LEN);
		memcpy(st->peer_ifid, p->ipv6cp->peer_ifid, PPP_IFID_LEN);
	} else {
		memcpy(st->local_ifid, p->ifid, PPP_IFID_LEN);
	}
	return p->phase == PPP_PHASE_NETWORK ? 0 : -EAGAIN;
}

static int ppp_state_check(const struct ppp_state *st)
{
	if (st->phase != PPP_PHASE_NETWORK)
		return -EINVAL;
	if (st->mru < PPP_MRU_MIN || st->peer_mru < PPP_MRU_MIN)
		return -EINVAL;
	if ((unsigned)st->auth > PPP_AUTH_MSCHAPV2)
		return -EINVAL;
	if (memchr(st->user, 0, sizeof(st->user)) == NULL)
		return -EINVAL;
	if (!st->ipcp_open && !st->ipv6cp_open)
		return -EINVAL;
	if (st->ipcp_open && st->peer_addr.s_addr == 0)
		return -EINVAL;
	return 0;
}

struct ppp *ppp_import_opened(const struct ppp_config *cfg, const struct ppp_ops *ops, void *arg,
			      struct l2tp_clock *clk, const struct l2tp_log *log,
			      const char *prefix, const struct ppp_state *st)
{
	struct ppp *p;

	if (st == NULL || ppp_state_check(st) < 0) {
		errno = EINVAL;
		return NULL;
	}
	p = ppp_new(cfg, ops, arg, clk, log, prefix);
	if (p == NULL)
		return NULL;
	p->phase = PPP_PHASE_NETWORK;
	p->auth_method = st->auth;
	p->auth_ok = 1;
	if (ppp_str_set(&p->auth_user, st->user, PPP_NAME_MAX + 1) < 0) {
		ppp_free(p);
		errno = ENOMEM;
		return NULL;
	}
	/* a later IPCP renegotiation gives the peer the same address */
	if (cfg->role == PPP_ROLE_AUTHENTICATOR) {
		p->reply.peer_addr = st->peer_addr;
		p->reply.dns[0] = st->dns[0];
		p->reply.dns[1] = st->dns[1];
	}
	ppp_lcp_import(&p->lcp, st);
	if (st->ipcp_open)
		ppp_ipcp_import(&p->ipcp, st);
	if (st->ipv6cp_open && p->ipv6cp != NULL)
		ppp_ipv6cp_import(p->ipv6cp, st);
	ppp_log(p, LOG_INFO, "imported: user \"%s\", magic 0x%08x/0x%08x, MRU %u/%u", st->user,
		st->magic, st->peer_magic, st->mru, st->peer_mru);
	return p;
}
