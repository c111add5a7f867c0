#!/bin/bash
# Our LAC in client mode hands the session's PPPoL2TP socket to pppd, which
# reaches our LNS; ping across.
# Placeholder until l2tpd's Linux kernel backend and PPP control plane land
# (issue 3): reported as SKIP, never counted as passed.  Copy the structure
# of t_xl2tpd_pppd.sh (namespaces, xl2tpd + pppd subscribers, kernel checks)
# when it becomes real.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_lac_client
kt_skip "placeholder: needs l2tpd's kernel backend (issue 3)"
