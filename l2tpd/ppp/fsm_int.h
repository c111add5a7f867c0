/*
 * Inside the RFC 1661 automaton: the §4.4 actions fsm.c performs, for the
 * receive side (fsm_input.c).  Nothing outside ppp/fsm*.c includes this.
 */
#ifndef PPP_FSM_INT_H
#define PPP_FSM_INT_H

#include <stddef.h>
#include <stdint.h>
#include "ppp/fsm.h"

void ppp_fsm_set_state(struct ppp_fsm *f, enum ppp_fsm_state s, const char *ev);
void ppp_fsm_irc(struct ppp_fsm *f, int terminate);
void ppp_fsm_zrc(struct ppp_fsm *f);
void ppp_fsm_tlu(struct ppp_fsm *f);
void ppp_fsm_tld(struct ppp_fsm *f);
void ppp_fsm_tlf(struct ppp_fsm *f);
void ppp_fsm_scr(struct ppp_fsm *f, int retransmit);
void ppp_fsm_str(struct ppp_fsm *f, int retransmit);
void ppp_fsm_sta(struct ppp_fsm *f, uint8_t id);
void ppp_fsm_sca(struct ppp_fsm *f, uint8_t id, const uint8_t *opts, size_t len);
void ppp_fsm_scn(struct ppp_fsm *f, uint8_t id, uint8_t code, const uint8_t *opts,
			size_t len);
void ppp_fsm_scj(struct ppp_fsm *f, const uint8_t *pkt, size_t len);
void ppp_fsm_illegal(struct ppp_fsm *f, const char *ev);

/* f->term_reason = a copy of reason cut at PPP_FSM_TERM_REASON_MAX - 1
 * octets ("" or NULL: none). */
void ppp_fsm_set_term_reason(struct ppp_fsm *f, const char *reason);

#endif
