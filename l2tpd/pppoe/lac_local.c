/*
 * A PPPoE session terminated here (pppoe/lac_int.h): the subscriber's
 * credentials go to AAA (pppoe/local_aaa.h: RADIUS or the local users, in
 * the order of `aaa authentication ppp default`), the address comes from
 * RADIUS's Framed-IP-Address else a pool (RADIUS's, else the virtual
 * template's), and AAA accounts the session from IPCP up to its end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/ippool.h"
#include "l2tpd.h"
#include "ppp/ppp.h"
#include "pppoe/access.h"
#include "pppoe/lac_int.h"
#include "pppoe/local_aaa.h"

void pppoe_local_set_aaa(struct l2tpd *d, const struct pppoe_aaa_ops *ops, void *arg)
{
	d->pppoe_aaa = ops;
	d->pppoe_aaa_arg = arg;
}

/* One counter of the unit's interface (sysfs), added to *v; -errno when it
 * cannot be read (the interface went). */
static int local_if_counter(const char *ifname, const char *name, uint64_t *v)
{
	char path[96];
	unsigned long long n;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", ifname, name);
	f = fopen(path, "re");
	if (f == NULL)
		return -errno;
	rc = fscanf(f, "%llu", &n) == 1 ? 0 : -EIO;
	fclose(f);
	if (rc == 0)
		*v += n;
	return rc;
}

/*
 * The session's counters: the PPP frames user space carried (all of them
 * under null; LCP and authentication on the channel under -d linux), and
 * under -d linux what the kernel carried on pppN (its interface counters,
 * as the LNS reads its sessions' from the kernel).  AAA keeps them from
 * going backwards.
 */
static void local_counters(void *arg, uint64_t out[PPPOE_AAA_CNT])
{
	struct pppoe_lac *l = arg;
	const struct pppoe_session *s = l->ps;
	int rc = 0;

	out[PPPOE_AAA_IN_OCTETS] = s->rx_bytes;
	out[PPPOE_AAA_OUT_OCTETS] = s->tx_bytes;
	out[PPPOE_AAA_IN_PACKETS] = s->rx_frames;
	out[PPPOE_AAA_OUT_PACKETS] = s->tx_frames;
	if (l->unit_fd < 0 || l->ifname[0] == '\0')
		return;
	rc |= local_if_counter(l->ifname, "rx_bytes", &out[PPPOE_AAA_IN_OCTETS]);
	rc |= local_if_counter(l->ifname, "tx_bytes", &out[PPPOE_AAA_OUT_OCTETS]);
	rc |= local_if_counter(l->ifname, "rx_packets", &out[PPPOE_AAA_IN_PACKETS]);
	rc |= local_if_counter(l->ifname, "tx_packets", &out[PPPOE_AAA_OUT_PACKETS]);
	if (rc < 0)
		lac_log(l, LOG_WARNING, "%s: counters not read for accounting: %s", l->ifname,
			strerror(-rc));
}

static void local_refuse(struct pppoe_lac *l, const char *msg)
{
	l->a->lac.local_refused++;
	ppp_auth_done(l->ppp, 0, msg, NULL);
}

/* The address: RADIUS's Framed-IP-Address, else a pool (RADIUS's, else
 * the template's).  0, or -1 with the subscriber refused (logged). */
static int local_address(struct pppoe_lac *l, const struct pppoe_aaa_verdict *v)
{
	const struct config_vtemplate *vt = pppoe_lac_vtemplate(l);
	const char *pool = v->pool != NULL && v->pool[0] ? v->pool : vt ? vt->pool : "";
	int rc;

	if (v->framed.s_addr != 0) {
		l->peer_addr = v->framed;
		return 0;
	}
	if (pool[0] == '\0') {
		lac_log(l, LOG_WARNING, "user %s: no vpdn-group for its domain, and %s has no "
			"address source (peer default ip address pool): refused", l->user,
			vt ? "the bba-group's virtual template" : "the bba-group has no virtual "
			"template so it");
		local_refuse(l, "No address for this user");
		return -1;
	}
	rc = ippool_alloc(l->a->d->pools, pool, &l->peer_addr);
	if (rc < 0) {
		lac_log(l, LOG_WARNING, "user %s: pool %s %s: refused", l->user, pool,
			rc == -ENOSPC ? "exhausted" : "missing");
		local_refuse(l, "No address for this user");
		return -1;
	}
	snprintf(l->pool, sizeof(l->pool), "%s", pool);	/* freed with l */
	return 0;
}

/* AAA's verdict on the subscriber's credentials. */
static void local_done(void *arg, const struct pppoe_aaa_verdict *v)
{
	struct pppoe_lac *l = arg;
	struct ppp_auth_reply r = { 0 };

	if (l->closing || l->ppp == NULL)
		return;
	if (!v->ok) {
		lac_log(l, LOG_NOTICE, "user %s: authentication failed", l->user);
		local_refuse(l, v->msg != NULL ? v->msg : "Authentication failed");
		return;
	}
	if (local_address(l, v) < 0)
		return;
	/* -d linux: pppN before IPCP starts, so its frames come on the unit */
	if (l->chan_fd >= 0 && pppoe_lac_unit_open(l, NULL) < 0) {
		ppp_auth_done(l->ppp, 0, "No interface for this user", NULL);
		return;
	}
	lac_log(l, LOG_INFO, "user %s: authenticated (%s), address %s", l->user,
		v->how != NULL ? v->how : "local", inet_ntoa(l->peer_addr));
	r.peer_addr = l->peer_addr;
	ppp_auth_done(l->ppp, 1, "Authentication succeeded", &r);
}

/* Without AAA's ops: the local users decide. */
static void local_users(struct pppoe_lac *l, const struct ppp_auth_req *req)
{
	const struct config_user *u = config_user_find(&l->a->d->cfg, req->user);
	struct pppoe_aaa_verdict v = { .msg = "Authentication failed", .how = "local" };
	struct ppp_auth_reply r = { 0 };

	v.ok = u != NULL && ppp_auth_check_local(req, u->password, &r) == 0;
	local_done(l, &v);
}

/* What RADIUS hears of l's line (npi, calling: 64 octets each). */
static void local_line(const struct pppoe_lac *l, struct pppoe_aaa_line *line, char *npi,
		       char *calling)
{
	pppoe_access_nas_port_id(l->ps->ifp, npi, 64);
	pppoe_session_calling_number(l->ps, calling, 64);
	line->sid = l->ps->id;
	line->nas_port_id = npi;
	line->calling = calling;
	line->circuit_id = l->ps->circuit_id;
	line->remote_id = l->ps->remote_id;
}

void pppoe_lac_local_auth(struct pppoe_lac *l, const struct ppp_auth_req *req)
{
	const struct l2tpd *d = l->a->d;
	char npi[64], calling[64];
	struct pppoe_aaa_line line;

	l->state = PPPOE_LAC_LOCAL;
	snprintf(l->user, sizeof(l->user), "%s", req->user);
	if (d->pppoe_aaa == NULL) {
		local_users(l, req);
		return;
	}
	local_line(l, &line, npi, calling);
	if (d->pppoe_aaa->start(d->pppoe_aaa_arg, &l->aaa, &line, req, local_done,
				local_counters, l) < 0) {
		lac_log(l, LOG_WARNING, "user %s: no memory to authenticate: refused", l->user);
		local_refuse(l, "Out of resources");
	}
}

void pppoe_lac_local_up(struct pppoe_lac *l)
{
	const struct l2tpd *d = l->a->d;

	if (d->pppoe_aaa != NULL && l->aaa != NULL)
		d->pppoe_aaa->up(d->pppoe_aaa_arg, l->aaa, l->peer_addr);
}

int pppoe_lac_local_acct(const struct pppoe_session *s, struct pppoe_aaa_acct *out)
{
	const struct pppoe_lac *l = s->upper;
	const struct l2tpd *d;

	if (l == NULL || l->state != PPPOE_LAC_LOCAL_UP || l->aaa == NULL)
		return -ENOENT;
	d = l->a->d;
	if (d->pppoe_aaa == NULL || d->pppoe_aaa->save == NULL)
		return -ENOENT;
	return d->pppoe_aaa->save(d->pppoe_aaa_arg, l->aaa, out);
}

int pppoe_lac_local_acct_restore(struct pppoe_lac *l, const struct pppoe_aaa_acct *acct)
{
	const struct l2tpd *d = l->a->d;
	char npi[64], calling[64];
	struct pppoe_aaa_line line;
	int rc;

	if (acct == NULL || !acct->started)
		return 0;
	if (d->pppoe_aaa == NULL || d->pppoe_aaa->restore == NULL) {
		lac_log(l, LOG_WARNING, "user %s: accounting (Acct-Session-Id %s) not carried on: "
			"no AAA here", l->user, acct->session_id);
		return 0;
	}
	local_line(l, &line, npi, calling);
	rc = d->pppoe_aaa->restore(d->pppoe_aaa_arg, &l->aaa, &line, l->user, l->peer_addr, acct,
				   local_counters, l);
	if (rc < 0)
		lac_log(l, LOG_ERR, "user %s: accounting (Acct-Session-Id %s) not carried on: %s",
			l->user, acct->session_id, strerror(-rc));
	return rc;
}

/* Why PPP went (RFC 2866 §5.10), from its reason; the first one stays. */
void pppoe_lac_local_down(struct pppoe_lac *l, const char *reason)
{
	if (l->term_cause != 0)
		return;
	if (strstr(reason, "peer terminated") != NULL)
		l->term_cause = 1;		/* User Request */
	else if (strstr(reason, "echo") != NULL)
		l->term_cause = 2;		/* Lost Carrier */
	else if (strstr(reason, "authenticat") != NULL)
		l->term_cause = 17;		/* User Error */
}

void pppoe_lac_local_end(struct pppoe_lac *l, int padt_from_peer)
{
	const struct l2tpd *d = l->a->d;
	unsigned cause = l->term_cause ? l->term_cause : padt_from_peer ? 1 /* User Request */ :
			 6 /* Admin Reset: cleared */;

	if (d->pppoe_aaa != NULL && l->aaa != NULL)
		d->pppoe_aaa->end(d->pppoe_aaa_arg, l->aaa, cause);
	l->aaa = NULL;
}
