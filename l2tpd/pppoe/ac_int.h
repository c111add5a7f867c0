/*
 * Between pppoe/ac.c (discovery) and pppoe/session.c (the session table,
 * session frames, rates): not for the other rooms.
 */
#ifndef PPPOE_AC_INT_H
#define PPPOE_AC_INT_H

#include "pppoe/ac.h"

/* A window of window_ms in which at most max events pass: 1 if this one
 * does (counted), 0 if not.  max 0: none passes. */
int pppoe_rate_take(struct pppoe_rate *r, uint64_t now_ms, unsigned max, unsigned window_ms);
/* The PADI rate of a MAC (a fixed table: MACs sharing a slot share a rate). */
int pppoe_mac_rate_take(struct pppoe_ac *ac, const uint8_t mac[PPPOE_ETH_ALEN]);
/* The session a PADR with this cookie made, if any. */
struct pppoe_session *pppoe_session_by_cookie(const struct pppoe_ac *ac,
					      const struct pppoe_if *ifp,
					      const uint8_t mac[PPPOE_ETH_ALEN],
					      const uint8_t *cookie);
/* A session for a PADR (an ID drawn at random); NULL when none is free. */
struct pppoe_session *pppoe_session_new(struct pppoe_ac *ac, struct pppoe_if *ifp,
					const struct pppoe_frame *f,
					const struct pppoe_tags *t);
/* End s: a PADT first when padt, then ops->session_down; s is freed. */
void pppoe_session_end(struct pppoe_ac *ac, struct pppoe_session *s, enum pppoe_end why,
		       int padt);
/* A session-stage frame on ifp. */
void pppoe_session_input(struct pppoe_ac *ac, struct pppoe_if *ifp,
			 const struct pppoe_frame *f);
void pppoe_pado_defer(struct pppoe_ac *ac, struct pppoe_if *ifp, struct pppoe_buf *b);

#endif
