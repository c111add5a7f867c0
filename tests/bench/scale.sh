#!/bin/bash
# Scale of one HA pair, by hand (not in CI: minutes and gigabytes):
# 200,000 sessions (200 tunnels x 1,000) on an active/standby pair of our
# LNS behind keepalived, null data path, dialled once by our LAC to the VIP
# with the standby in sync; then a failover (the active box killed: every
# session kept, kill to every tunnel resynced), a late standby's bulk sync
# of all of it, the active's and the standby's RSS, 10 more tunnels of 100
# sessions (the checkpoint wait with 200,000 held) and a planned switchover.
# It is tests/bench/ha_failover.sh with this shape, one dial and no dial
# with the standby stopped; its lines are the figures (see its header).
# Memory: the rebuilt active's RSS over its RSS as an empty standby is the
# figure to hold against the dialling active's (the standby's shadow store
# is given back once every session is rebuilt: haproto/ha_shadow.c).
#
#   sudo tests/bench/scale.sh
#   sudo SCALE_TUNNELS=100 SCALE_PER=500 tests/bench/scale.sh   # smaller
#
# Environment: SCALE_TUNNELS (default 200), SCALE_PER (default 1000),
# SCALE_TIMEOUT (bound of each dial, sync and resync, default 600 s); then
# ha_failover.sh's and lib.sh's (L2T_BUILD, HA_HELLO, ...).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
echo "bench: scale: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(awk '/^MemAvailable:/ { printf "%d MiB", $2 / 1024 }' /proc/meminfo) available"
BENCH_HA_TUNNELS=${SCALE_TUNNELS:-200} BENCH_HA_PER=${SCALE_PER:-1000} \
	BENCH_HA_ROUNDS=1 BENCH_HA_ALONE=0 BENCH_HA_LIGHT_PER=100 \
	BENCH_HA_TIMEOUT=${SCALE_TIMEOUT:-600} exec bash "$here/ha_failover.sh"
