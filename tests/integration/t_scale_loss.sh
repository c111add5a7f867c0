#!/bin/bash
# The same 100 tunnels x 10 sessions with 10 % random loss each way on the
# path (nftables in the LNS namespace); the LAC is then stopped with SIGTERM
# and its StopCCNs must clear every tunnel on the LNS despite the loss.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init scale_100x10_loss10
it_scenario_scale 100 10 "${L2T_LOSS:-10}" sigterm "${L2T_DEADLINE:-180}"
it_pass
