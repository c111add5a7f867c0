#!/bin/bash
# it-seconds: 100
# The same 100 tunnels x 10 sessions with 10 % random loss each way on the
# path (nftables in the LNS namespace); the LAC is then stopped with SIGTERM
# and its StopCCNs must clear every tunnel on the LNS despite the loss.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init scale_100x10_loss10
# With 10 % loss each way an attempt fails (message or its ack lost) 19 % of
# the time; the default 5 retransmissions would then give up on one of the
# ~4,400 reliable messages in about one run in five.  An operator facing
# such a path raises `l2tp tunnel retransmit retries`; so does this test.
export L2T_RETRIES=${L2T_RETRIES:-10}
scale_scenario 100 10 "${L2T_LOSS:-10}" sigterm "${L2T_DEADLINE:-180}"
it_pass
