# shellcheck shell=bash
# The shell helpers of every scenario tier: the integration scenarios
# (tests/integration, network namespaces on this host), the kernel tier
# (tests/kernel, the same inside a VM booting a kernel with L2TP/PPP) and the
# benchmarks (tests/bench).  A tier's own lib.sh sources this file and adds
# only what is its own (the kernel tier: the VM guard, pppd and the kernel's
# L2TP/PPP state; the integration tier: ha_lib.sh for keepalived pairs,
# radius_lib.sh for FreeRADIUS).
#
#   common.sh   a scenario's life: it_init, the verdict (it_pass, it_fail,
#               it_skip), logs kept on failure, the cleanup trap and its
#               hooks; progress lines; waits with deadlines; processes
#   netns.sh    namespaces, veth pairs, one bridged segment (the HA pair's
#               address plan), nftables rules and packet loss
#   daemon.sh   our l2tpd and l2tpctl: start, stop, l2tpctl and --json,
#               row filters and counts of the show commands, the
#               redundancy show
#   xl2tpd.sh   xl2tpd as a peer (and its LNS configuration), with a
#               stand-in pppd where the host has no kernel PPP
#   l2tpns.sh   l2tpns (Debian) as the LNS peer of our LAC
#   conf.sh     configuration text: an LNS, a LAC, a Virtual-Template and
#               its pool, the redundancy block of an HA pair
#
# One prefix for all of them: it_ (state: IT_).  It was the prefix of the
# integration tier's library, called about 850 times by the integration
# scenarios, ha_lib.sh, radius_lib.sh, the benchmarks and scripts/demo.sh;
# the kernel tier's copies (kt_pass, kt_fail, kt_wait, kt_l2tpd, kt_json,
# KT_DIR ...) were called about 600 times.  Keeping it_ changed the fewer
# call sites (a neutral new prefix would have changed all of them, and the
# scenarios' many t_* variables rule out t_); kt_ now names only what is
# the kernel tier's own (tests/kernel/lib.sh), as ha_ and rad_ name the
# integration tier's.
#
# A scenario prints exactly one verdict line on stdout, which the runners
# read:
#   PASS NAME
#   FAIL NAME: REASON
#   SKIP NAME: REASON      (exit status 77; the kernel tier's runner only)
# Everything else (progress, figures, log tails) goes to stderr; benchmark
# figures are stdout lines starting with "bench: ".
#
# Settings a tier changes after it_init (tests/kernel/lib.sh does):
#   IT_NS_PREFIX    namespace names are PREFIX-SUFFIX (default: the run id,
#                   so that runs on one host never meet)
#   IT_DATAPATH     l2tpd's data path, `-d` (default null)
#   IT_FAKE_PPPD    1: xl2tpd runs with a stand-in pppd (default; see
#                   xl2tpd.sh), 0: the real one
#   IT_KEEP_DIR     where the files of a failed scenario are copied
#   IT_KEEP_PASSED  1: copy them for a passed scenario too (L2T_KEEP_PASSED=1)
#   IT_DEPS_SCRIPT  the script named when a command is missing
#   IT_FAIL_HOOKS   functions run on failure before the logs are dumped
#   IT_CLEANUP_HOOKS  functions run by the cleanup (last added first)
#                   before every daemon is stopped and the namespaces go
#
# Environment:
#   L2T_BUILD    build directory holding l2tpd/l2tpd and cli/l2tpctl
#                (default: build-san/ or build/ under the source tree)
#   L2TPD, L2TPCTL  explicit binaries (override L2T_BUILD)
#   L2T_LOGDIR   where the files of a failed scenario are kept
#                (default: /tmp/l2tpd-integration-logs)
#   L2T_VERBOSE  1: print progress lines on stderr
#   L2T_DEBUG    debug categories to switch on in our daemons ("fsm sequence")
#   L2T_KEEP     1: keep the temporary directory of every scenario
#   L2T_RETRIES  `l2tp tunnel retransmit retries` of it_conf_lns/it_conf_lac
#   L2T_REAL_PPPD  1: xl2tpd runs the real pppd

# Once: ha_lib.sh and radius_lib.sh both source it, and a second time
# would clear the state of a scenario already under way.
if [ -n "${IT_LIB_SOURCED:-}" ]; then
	return 0
fi
IT_LIB_SOURCED=1

# shellcheck source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=../lib/netns.sh
. "$(dirname "${BASH_SOURCE[0]}")/netns.sh"
# shellcheck source=../lib/daemon.sh
. "$(dirname "${BASH_SOURCE[0]}")/daemon.sh"
# shellcheck source=../lib/xl2tpd.sh
. "$(dirname "${BASH_SOURCE[0]}")/xl2tpd.sh"
# shellcheck source=../lib/conf.sh
. "$(dirname "${BASH_SOURCE[0]}")/conf.sh"
# shellcheck source=../lib/l2tpns.sh
. "$(dirname "${BASH_SOURCE[0]}")/l2tpns.sh"
# shellcheck source=../lib/hello.sh
. "$(dirname "${BASH_SOURCE[0]}")/hello.sh"
