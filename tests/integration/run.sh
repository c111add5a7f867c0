#!/bin/bash
# Run the integration scenarios (t_*.sh, or those named as arguments, with or
# without the t_ prefix and .sh suffix) one after the other; print each
# scenario's verdict and a closing "N passed, N failed" line.  Exit status:
# 0 when every scenario passed.
#
# Environment: see tests/lib/lib.sh (L2T_BUILD, L2TPD, L2TPCTL, L2T_LOGDIR,
# L2T_VERBOSE);
# L2T_TIMEOUT bounds each scenario (default 600 s); L2T_SKIP_HA=1 skips the
# HA pair scenarios (t_ha_*.sh and t_radius_ha.sh); L2T_SKIP_RADIUS=1 skips
# the RADIUS scenarios (t_radius_*.sh: FreeRADIUS, radclient).
# L2T_JOBS=2 runs them in two lanes at once, each lane one scenario after
# the other: the HA pairs (t_ha_*, t_*_ha: keepalived, takeovers) in one,
# never two at once, every other scenario in the other; once the HA pairs
# are done their lane takes the other scenarios too, each scenario going to
# the first lane free.  The other scenarios go longest first: those with a
# line "# it-seconds: N" (N their usual seconds) by N, then the rest in name
# order, so that the lanes end close together.  Each scenario has its own
# namespaces (tests/lib/netns.sh), so two never meet; verdicts print as they
# come.  Default 1: one lane, in name order.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
limit=${L2T_TIMEOUT:-600}

if [ "$(id -u)" -ne 0 ]; then
	echo "integration: must run as root (network namespaces, nftables)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

scripts=()
if [ "$#" -gt 0 ]; then
	for a in "$@"; do
		a=${a%.sh}
		a=${a#t_}
		[ -f "$here/t_$a.sh" ] || { echo "integration: no scenario t_$a.sh" >&2; exit 2; }
		scripts+=("$here/t_$a.sh")
	done
else
	for f in "$here"/t_*.sh; do
		# HA pair scenarios (t_ha_*.sh, ha_lib.sh: keepalived, a bridge
		# of four namespaces); L2T_SKIP_HA=1 leaves them out.
		case $(basename "$f") in
		t_ha_* | t_*_ha.sh) [ "${L2T_SKIP_HA:-0}" = 1 ] && continue ;;
		esac
		# RADIUS scenarios (t_radius_*.sh, radius_lib.sh: a private
		# FreeRADIUS); L2T_SKIP_RADIUS=1 leaves them out.
		case $(basename "$f") in
		t_radius_ha.sh) [ "${L2T_SKIP_HA:-0}" = 1 ] && continue ;;
		esac
		case $(basename "$f") in
		t_radius_*) [ "${L2T_SKIP_RADIUS:-0}" = 1 ] && continue ;;
		esac
		scripts+=("$f")
	done
fi

# run_lane SCRIPT...: each scenario in turn; its verdict line printed, and
# "pass" or "fail" appended to $tally.
run_lane() {
	local s name start rc out took verdict
	for s in "$@"; do
		name=$(basename "$s" .sh)
		start=$(date +%s)
		rc=0
		out=$(timeout -k 30 "$limit" bash "$s") || rc=$?
		took=$(($(date +%s) - start))
		verdict=$(printf '%s\n' "$out" | grep -E '^(PASS|FAIL) ' | tail -n 1 || true)
		if [ "$rc" -eq 0 ] && [ "${verdict%% *}" = PASS ]; then
			echo pass >>"$tally"
		else
			echo fail >>"$tally"
			if [ -z "$verdict" ]; then
				[ "$rc" -eq 124 ] && verdict="FAIL $name: timed out after $limit s" ||
					verdict="FAIL $name: no verdict (exit $rc)"
			fi
		fi
		printf '%s (%d s)\n' "$verdict" "$took"
	done
}

tally=$(mktemp)
trap 'rm -f "$tally"' EXIT
if [ "${L2T_JOBS:-1}" -ge 2 ] && [ "${#scripts[@]}" -gt 1 ]; then
	ha=() rest=() long=()
	for s in "${scripts[@]}"; do
		case $(basename "$s") in
		t_ha_*.sh | t_*_ha.sh) ha+=("$s") ;;
		*)
			n=$(sed -n 's/^# it-seconds: *\([0-9][0-9]*\).*/\1/p' "$s" | head -n 1)
			if [ -n "$n" ]; then long+=("$n $s"); else rest+=("$s"); fi
			;;
		esac
	done
	if [ "${#long[@]}" -gt 0 ]; then
		mapfile -t long < <(printf '%s\n' "${long[@]}" | sort -k1,1nr -k2 | cut -d' ' -f2-)
		rest=("${long[@]}" ${rest[@]+"${rest[@]}"})
	fi
	# take_rest: the other scenarios in turn, each claimed first (mkdir is
	# atomic: of the two lanes one claims it, the other goes on to the next).
	claims=$(mktemp -d)
	take_rest() {
		local i
		for ((i = 0; i < ${#rest[@]}; i++)); do
			if mkdir "$claims/$i" 2>/dev/null; then
				run_lane "${rest[$i]}"
			fi
		done
	}
	{
		run_lane ${ha[@]+"${ha[@]}"}
		take_rest
	} &
	lane=$!
	take_rest
	wait "$lane" || true
	rm -rf "$claims"
else
	run_lane "${scripts[@]}"
fi

passed=$(grep -c '^pass$' "$tally" || true)
failed=$(grep -c '^fail$' "$tally" || true)
if [ $((passed + failed)) -ne "${#scripts[@]}" ]; then
	echo "integration: $((passed + failed)) verdicts for ${#scripts[@]} scenarios" >&2
	failed=$((failed + ${#scripts[@]} - passed - failed))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
