#!/bin/bash
# Inside the test VM (started by run.sh through the initramfs' job.sh): run
# the scenarios named as arguments (paths) one after the other, each under a
# timeout, and write to the results directory RES (first argument):
#   results    one line per scenario: "PASS name", "FAIL name: reason" or
#              "SKIP name: reason"
#   times      "name seconds" per scenario
#   boot       the guest's uptime when the scenarios started
#   logs/NAME/ stderr.txt and dmesg.txt of a failed scenario, its files in
#              logs/NAME/files/
#   dmesg.txt  the kernel log at the end
#   done       written last: the run was not cut short
# A scenario that leaves a kernel warning, BUG or oops in dmesg fails.
#
# Environment: KT_TIMEOUT bounds each scenario (default 120 s); a scenario
# with a line "# kt-timeout: SECONDS" gets that much when it is more.
set -euo pipefail

RES=$1
shift
limit=${KT_TIMEOUT:-120}
mkdir -p "$RES/logs"
: >"$RES/results"
: >"$RES/times"
cut -d' ' -f1 /proc/uptime >"$RES/boot"
export KT_LOGDIR=$RES/logs

# Few processes: each costs 35-65 ms under TCG.
usec() { local t=${EPOCHREALTIME/./}; echo "${t#0}"; }
took() { local d=$(($(usec) - $1)); printf '%d.%d' $((d / 1000000)) $((d % 1000000 / 100000)); }

kmsg_lines=$(dmesg | wc -l)
for s in "$@"; do
	name=${s##*/}
	name=${name%.sh}
	name=${name#t_}
	mkdir -p "$RES/logs/$name"
	slimit=$(sed -n 's/^# kt-timeout: *\([0-9][0-9]*\).*/\1/p' "$s" | head -n 1)
	if [ -z "$slimit" ] || [ "$slimit" -lt "$limit" ]; then
		slimit=$limit
	fi
	t0=$(usec)
	rc=0
	out=$(timeout -k 5 "$slimit" bash "$s" 2>"$RES/logs/$name/stderr.txt") || rc=$?
	secs=$(took "$t0")
	verdict=
	while IFS= read -r line; do
		[[ $line =~ ^(PASS|FAIL|SKIP)\  ]] && verdict=$line
	done <<<"$out"
	# A benchmark scenario's figures, for the host runner to print.
	grep -E '^bench: ' <<<"$out" >"$RES/bench-$name.txt" || true
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		verdict="FAIL $name: timed out after $slimit s"
	elif [ -z "$verdict" ]; then
		verdict="FAIL $name: no verdict (exit $rc)"
	fi
	# Whatever a killed scenario left: its namespaces and what runs there.
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }'); do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null || true
		done
		ip netns del "$ns" 2>/dev/null || true
	done
	case "$verdict:$rc" in
	PASS*:0 | FAIL*:* | SKIP*:77) ;;
	*) verdict="FAIL $name: verdict '$verdict' with exit status $rc" ;;
	esac
	kmsg=$(dmesg | tail -n +"$((kmsg_lines + 1))")
	kmsg_lines=$((kmsg_lines + $(printf '%s' "$kmsg" | grep -c '' || true)))
	oops=$(printf '%s\n' "$kmsg" |
		grep -m 1 -E 'WARNING: CPU|BUG:|Oops|general protection fault|Kernel panic|Call Trace' || true)
	if [ -n "$oops" ] && [ "${verdict%% *}" != FAIL ]; then
		verdict="FAIL $name: kernel log: $oops"
	fi
	# The scenario's own name, for a consistent results file.
	if [[ $verdict =~ ^(PASS|FAIL|SKIP)\ [^\ :]+(.*)$ ]]; then
		verdict="${BASH_REMATCH[1]} $name${BASH_REMATCH[2]}"
	fi
	if [ "${verdict%% *}" = PASS ] && [ "${KT_KEEP_LOGS:-0}" != 1 ]; then
		rm -rf "${RES:?}/logs/$name"
	else
		printf '%s\n' "$kmsg" >"$RES/logs/$name/dmesg.txt"
	fi
	# 9p writes reach the host at once: nothing is lost if the VM is killed.
	printf '%s\n' "$verdict" >>"$RES/results"
	printf '%s %s\n' "$name" "$secs" >>"$RES/times"
	printf '%s (%s s)\n' "$verdict" "$secs"
done
dmesg >"$RES/dmesg.txt"
cut -d' ' -f1 /proc/uptime >"$RES/done"
sync
