#!/bin/bash
# Our LAC in client mode hands the session's PPPoL2TP socket to pppd (its
# pppol2tp plugin), which reaches our LNS; ping across (issue 3, item 4).
# Not implemented yet in the daemon: reported as SKIP, never counted as
# passed.  When it lands: copy t_l2tpd_lns_sessions.sh (kt_l2tpd for both
# ends, the LAC dialling with pppd's options, kt_ppp_pairs, pings with -I).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_lac_client
kt_skip "LAC client mode (pppd pppol2tp hand-off) not implemented"
