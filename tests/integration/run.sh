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
		t_ha_*) [ "${L2T_SKIP_HA:-0}" = 1 ] && continue ;;
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

passed=0
failed=0
for s in "${scripts[@]}"; do
	name=$(basename "$s" .sh)
	start=$(date +%s)
	rc=0
	out=$(timeout -k 30 "$limit" bash "$s") || rc=$?
	took=$(($(date +%s) - start))
	verdict=$(printf '%s\n' "$out" | grep -E '^(PASS|FAIL) ' | tail -n 1 || true)
	if [ "$rc" -eq 0 ] && [ "${verdict%% *}" = PASS ]; then
		passed=$((passed + 1))
		printf '%s (%d s)\n' "$verdict" "$took"
	else
		failed=$((failed + 1))
		if [ -z "$verdict" ]; then
			[ "$rc" -eq 124 ] && verdict="FAIL $name: timed out after $limit s" ||
				verdict="FAIL $name: no verdict (exit $rc)"
		fi
		printf '%s (%d s)\n' "$verdict" "$took"
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
