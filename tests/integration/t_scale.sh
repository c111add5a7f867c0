#!/bin/bash
# it-seconds: 41
# Our LAC and our LNS bring up 100 tunnels x 10 sessions, check the counts on
# both sides, clear every tunnel from the LAC, and stop cleanly.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init scale_100x10
scale_scenario 100 10 0 clear "${L2T_DEADLINE:-120}"
it_pass
