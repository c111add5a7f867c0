#!/bin/bash
# Every test of l2tpd-ha, from a clean clone:
#   build        autoreconf -fi; configure --enable-werror in build/; make -j2
#   unit         make check in build/ (cmocka unit tests)
#   distcheck    make distcheck in build/
#   san          configure --enable-sanitizers in build-san/; make check
#   fuzz         tests/fuzz/run.sh: every libFuzzer target (control messages,
#                RADIUS, PPP, checkpoint, configuration, commands, PPPoE
#                discovery, DHCPv6) replays
#                its seeds and regressions, then fuzzes FUZZ_SECONDS
#                (default 15), two at a time
#   release      scripts/build-release.sh: the previous release (RELEASES)
#                built from the history into build-prev/, for the
#                rolling-upgrade scenario of the integration stage
#   integration  tests/integration/run.sh (network namespaces; root)
#   package      tests/package/run.sh: the .deb built (from make dist and
#                from the tree), lintian, installed, the installed l2tpd run
#                as user l2tpd through an HA scenario, removed (root)
#   kernel       tests/kernel/run.sh (a VM booting a kernel with L2TP/PPP; root)
#   bench        tests/bench/run.sh (session set-up rates; root)
#   lint         the layering rules of the sources (scripts/lint-layers.sh,
#                also shown to fail on a planted crossing); the checkpoint
#                schema compatible with the previous release's
#                (scripts/proto-compat.sh, also shown to refuse planted
#                changes); shellcheck of the test and CI scripts
#   soak         tests/soak/run.sh: the short soak of failovers (an HA pair
#                under keepalived, FreeRADIUS, 1000 subscribers and 20 calls
#                a second placed and cleared, 4 failovers 30 s apart; root)
# The kernel stage's VM (one vCPU) runs in the background while fuzz, lint,
# distcheck, package and release run beside it, one after another with one
# make job each, and once the VM has ended in a second lane as well
# (KERNEL_BESIDE=0: every stage alone); their output is printed when all
# of them have ended.  The longest come first, so that the two lanes end
# close together; package (two package builds side by side) comes late, once
# the VM is likely to have ended.
# With no argument every stage runs; name stages as arguments (or in
# TEST_STAGES) to run only those, e.g. `scripts/test-all.sh unit integration`.
# A stage that needs build/ configures and builds it first if it is missing.
# Prints a summary and closes with "N passed, N failed"; exits non-zero if
# anything failed.  Logs of each stage are kept in build-logs/.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
JOBS=${JOBS:-2}
FUZZ_SECONDS=${FUZZ_SECONDS:-15}
export FUZZ_SECONDS
LOGS=$top/build-logs
ALL_STAGES=(build unit san kernel fuzz lint distcheck package release integration bench soak)
# The stages that may run while the kernel stage's VM runs in the background
# (KERNEL_BESIDE=0: none, every stage alone): they need no timing of their
# own and run on one core, the VM taking the other (it has one vCPU).  A
# stage not listed waits for the VM and the listed ones first.
BESIDE=(fuzz lint distcheck package release)
[ "${KERNEL_BESIDE:-1}" = 0 ] && BESIDE=()

if [ "$#" -gt 0 ]; then
	STAGES=("$@")
elif [ -n "${TEST_STAGES:-}" ]; then
	read -r -a STAGES <<<"$TEST_STAGES"
else
	STAGES=("${ALL_STAGES[@]}")
fi
for s in "${STAGES[@]}"; do
	case " ${ALL_STAGES[*]} " in
	*" $s "*) ;;
	*)
		echo "test-all: unknown stage '$s' (stages: ${ALL_STAGES[*]})"
		exit 2
		;;
	esac
done

mkdir -p "$LOGS"
TOTAL_PASSED=0
TOTAL_FAILED=0
SUMMARY=()
T_START=$(date +%s)

say() { printf '== %s\n' "$*"; }

# record STAGE PASSED FAILED SECONDS [NOTE]
record() {
	TOTAL_PASSED=$((TOTAL_PASSED + $2))
	TOTAL_FAILED=$((TOTAL_FAILED + $3))
	SUMMARY+=("$(printf '%-12s %4d passed, %3d failed  (%4d s)%s' "$1" "$2" "$3" "$4" "${5:+  $5}")")
	say "$1: $2 passed, $3 failed in $4 s${5:+ ($5)}"
}

# run LOGFILE CMD...: run CMD with its output in LOGFILE; on failure show the
# last lines.
run() {
	local log=$1 rc=0
	shift
	"$@" >>"$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "   failed (exit $rc): $*"
		tail -n 40 "$log" | sed 's/^/   | /'
		echo "   full log: $log"
	fi
	return "$rc"
}

# configure_tree DIR [CONFIGURE_ARGS...]: fresh DIR configured from $top.
configure_tree() {
	local dir=$1 log
	shift
	log=$LOGS/$(basename "$dir").log
	: >"$log"
	rm -rf "${top:?}/$dir"
	mkdir -p "$top/$dir"
	if [ ! -x "$top/configure" ] || [ "$BOOTSTRAPPED" = 0 ]; then
		run "$log" autoreconf -fi || return 1
		BOOTSTRAPPED=1
	fi
	(cd "$top/$dir" && run "$log" "$top/configure" "$@") || return 1
	(cd "$top/$dir" && run "$log" make -j"$JOBS") || return 1
}
BOOTSTRAPPED=0

# ensure_build: build/ exists and is up to date (builds it if needed).
BUILD_OK=
ensure_build() {
	if [ -z "$BUILD_OK" ]; then
		if [ -f "$top/build/Makefile" ]; then
			if (cd "$top/build" && run "$LOGS/build.log" make -j"$JOBS"); then
				BUILD_OK=1
			else
				BUILD_OK=0
			fi
		elif configure_tree build --enable-werror; then
			BUILD_OK=1
		else
			BUILD_OK=0
		fi
	fi
	[ "$BUILD_OK" = 1 ]
}

# count_check DIR: "passed failed" of the last `make check` in DIR: cmocka
# test cases where a program printed them, else one per test program.
count_check() {
	local dir=$1 trs log res p f pa fa
	p=0
	f=0
	while IFS= read -r trs; do
		log=${trs%.trs}.log
		res=$(sed -n 's/^:test-result: //p' "$trs" | head -n 1)
		pa=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
		fa=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
		case $res in
		PASS | XFAIL | SKIP)
			if [ "$pa" -gt 0 ]; then p=$((p + pa)); else p=$((p + 1)); fi
			;;
		*)
			p=$((p + pa))
			if [ "$fa" -gt 0 ]; then f=$((f + fa)); else f=$((f + 1)); fi
			;;
		esac
	done < <(find "$dir" -name '*.trs' 2>/dev/null | sort)
	echo "$p $f"
}

# make_check DIR LOG: make check; sets the stage's counts.
make_check() {
	local dir=$1 log=$2 rc=0 p f
	: >"$log"
	find "$dir" -name '*.trs' -delete 2>/dev/null
	(cd "$dir" && run "$log" make -j"$JOBS" check) || rc=$?
	read -r p f < <(count_check "$dir")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$rc" -eq 0 ] && [ "$p" -eq 0 ]; then
		echo "   make check ran no test"
		f=1
	fi
	res "$p" "$f"
}

# res PASSED FAILED: the counts of the running stage.
res() {
	STAGE_P=$1
	STAGE_F=$2
}

# suite_counts OUTPUT_FILE RC: the stage's counts from a closing
# "N passed, N failed" line, or 1 pass / 1 failure from the exit status.
suite_counts() {
	local line p f
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
		f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
		if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
		fi
	elif [ "$2" -eq 0 ]; then
		p=1 f=0
	else
		p=0 f=1
	fi
	res "$p" "$f"
}

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "   $1 needs root (network namespaces): sudo $0 $1"
		return 1
	fi
}

stage_build() {
	say "build: autoreconf, configure --enable-werror in build/, make -j$JOBS"
	BUILD_OK=0
	if configure_tree build --enable-werror; then
		BUILD_OK=1
		res 1 0
	else
		res 0 1
	fi
}

stage_unit() {
	say "unit: make check in build/"
	ensure_build || { echo "   build/ does not build"; res 0 1; return; }
	make_check "$top/build" "$LOGS/unit.log"
}

stage_distcheck() {
	say "distcheck: make distcheck in build/"
	ensure_build || { echo "   build/ does not build"; res 0 1; return; }
	: >"$LOGS/distcheck.log"
	# The lanes beside the VM may run package at the same time: its `make
	# dist` would remove the distribution directory under distcheck's feet.
	# (flock -o: a process the command leaves behind does not hold the lock)
	if (cd "$top/build" && run "$LOGS/distcheck.log" flock -o "$LOGS/dist.lock" make -j"$JOBS" distcheck); then
		res 1 0
	else
		res 0 1
	fi
}

stage_san() {
	say "san: configure --enable-sanitizers in build-san/, make check (ASan + UBSan)"
	if ! configure_tree build-san --enable-werror --enable-sanitizers; then
		res 0 1
		return
	fi
	make_check "$top/build-san" "$LOGS/san-check.log"
}

stage_fuzz() {
	local rc=0 out=$LOGS/fuzz.log ok bad
	say "fuzz: tests/fuzz/run.sh, each target for $FUZZ_SECONDS s, ${FUZZ_JOBS:-$JOBS} at a time"
	if [ ! -x "$top/tests/fuzz/run.sh" ]; then
		echo "   tests/fuzz/run.sh is missing"
		res 0 1
		return
	fi
	# Beside the VM (JOBS=1) one target at a time: the VM has the other core.
	FUZZ_JOBS=${FUZZ_JOBS:-$JOBS} FUZZ_BUILD=$top/build-fuzz "$top/tests/fuzz/run.sh" >"$out" 2>&1 || rc=$?
	grep '^fuzz_' "$out" | sed 's/^/   /'
	if [ "$rc" -ne 0 ]; then
		tail -n 30 "$out" | sed 's/^/   | /'
	fi
	# One result per target: its line says ok or FAILED (no line: the
	# build failed).
	ok=$(grep -c '^fuzz_[a-z0-9]*: ok' "$out") || true
	bad=$(grep -c '^fuzz_[a-z0-9]*: FAILED' "$out") || true
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		bad=1
	fi
	res "$ok" "$bad"
}

stage_integration() {
	local rc out=$LOGS/integration.log build
	say "integration: tests/integration/run.sh"
	need_root integration || { res 0 1; return; }
	ensure_build || { echo "   build/ does not build"; res 0 1; return; }
	# Prefer the sanitizer build when this run made it: the scenarios then
	# also check that the daemons leave no ASan/UBSan report.
	build=$top/build
	if [ "${SAN_OK:-0}" = 1 ] && [ -x "$top/build-san/l2tpd/l2tpd" ] && [ -x "$top/build-san/cli/l2tpctl" ]; then
		build=$top/build-san
	fi
	echo "   daemons from ${build#"$top"/}/"
	# Two lanes (the HA pairs beside the rest): most scenarios wait on
	# timers and peers more than they compute.
	L2T_JOBS=${L2T_JOBS:-2} L2T_BUILD=$build L2T_LOGDIR=$LOGS/integration \
		"$top/tests/integration/run.sh" 2>"$LOGS/integration.stderr" |
		tee "$out" | sed 's/^/   /'
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ]; then
		echo "   scenario diagnostics: $LOGS/integration.stderr, logs in $LOGS/integration/"
		tail -n 60 "$LOGS/integration.stderr" | sed 's/^/   | /'
	fi
	suite_counts "$out" "$rc"
}

stage_package() {
	local rc out=$LOGS/package.log
	say "package: tests/package/run.sh (build, lintian, install, run as l2tpd, remove)"
	need_root package || { res 0 1; return; }
	ensure_build || { echo "   build/ does not build"; res 0 1; return; }
	# Not while distcheck runs (its `make dist` shares build/'s distdir).
	L2T_BUILD=$top/build L2T_LOGDIR=$LOGS/package flock -o "$LOGS/dist.lock" "$top/tests/package/run.sh" 2>"$LOGS/package.stderr" |
		tee "$out" | sed 's/^/   /'
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ]; then
		tail -n 40 "$LOGS/package.stderr" | sed 's/^/   | /'
	fi
	suite_counts "$out" "$rc"
}

stage_kernel() {
	local rc out=$LOGS/kernel.log
	say "kernel: tests/kernel/run.sh (VM)"
	need_root kernel || { res 0 1; return; }
	ensure_build || { echo "   build/ does not build"; res 0 1; return; }
	L2T_BUILD=$top/build L2T_LOGDIR=$LOGS/kernel "$top/tests/kernel/run.sh" 2>"$LOGS/kernel.stderr" |
		tee "$out" | sed 's/^/   /'
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ]; then
		tail -n 40 "$LOGS/kernel.stderr" | sed 's/^/   | /'
	fi
	suite_counts "$out" "$rc"
}

stage_bench() {
	local rc out=$LOGS/bench.log
	say "bench: tests/bench/run.sh"
	need_root bench || { res 0 1; return; }
	ensure_build || { echo "   build/ does not build"; res 0 1; return; }
	# xl2tpd takes a few dozen calls a second: 20 s shows its rate; l2tpns
	# takes the side-by-side loads in seconds, 20 s bounds it as well.  The
	# figure of the side by side goes beside the log.
	BENCH_XL2TPD_TIMEOUT=${BENCH_XL2TPD_TIMEOUT:-20} BENCH_L2TPNS_TIMEOUT=${BENCH_L2TPNS_TIMEOUT:-20} \
		BENCH_PLOT=${BENCH_PLOT:-$LOGS/bench-setup.png} \
		L2T_BUILD=$top/build L2T_LOGDIR=$LOGS/bench "$top/tests/bench/run.sh" 2>"$LOGS/bench.stderr" |
		tee "$out" | sed 's/^/   /'
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ]; then
		tail -n 30 "$LOGS/bench.stderr" | sed 's/^/   | /'
	fi
	suite_counts "$out" "$rc"
}

# The soak has a stage of its own, not a scenario of the integration
# stage: it runs for a fixed time (failovers 30 s apart) whatever the
# machine's speed, it measures RSS and descriptors and so runs the plain
# build/ daemons, not the sanitizer ones the integration stage prefers, and
# `scripts/test-all.sh soak` runs it alone.
stage_soak() {
	local rc out=$LOGS/soak.log
	say "soak: tests/soak/run.sh (short)"
	need_root soak || { res 0 1; return; }
	ensure_build || { echo "   build/ does not build"; res 0 1; return; }
	L2T_BUILD=$top/build L2T_LOGDIR=$LOGS/soak "$top/tests/soak/run.sh" short 2>"$LOGS/soak.stderr" |
		tee "$out" | sed 's/^/   /'
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ]; then
		tail -n 40 "$LOGS/soak.stderr" | sed 's/^/   | /'
	fi
	suite_counts "$out" "$rc"
}

stage_release() {
	local out
	say "release: the previous release built from the history (scripts/build-release.sh)"
	if out=$(JOBS=$JOBS scripts/build-release.sh "$top/build-prev" 2>&1); then
		echo "   $(grep -v '^#' RELEASES | tail -n 1 | cut -c1-20): $out"
		res 1 0
	else
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/   | /'
		res 0 1
	fi
}

# lint_layers: the layering rules (scripts/lint-layers.sh) hold on the tree,
# and the check fails on a copy with a crossing planted in it (ppp/ including
# ha/): a lint that cannot fail proves nothing.
lint_layers() {
	local tmp rc=0
	if ! scripts/lint-layers.sh >>"$LOGS/lint.log" 2>&1; then
		echo "   layering: crossings in the tree (scripts/lint-layers.sh):"
		scripts/lint-layers.sh 2>&1 | head -n 10 | sed 's/^/   | /'
		return 1
	fi
	tmp=$(mktemp -d)
	git ls-files -z l2tpd kernel_glue haproto common scripts/lint-layers.sh |
		(cd "$top" && xargs -0 cp --parents -t "$tmp")
	printf '#include "ha/ha.h"\n' >>"$tmp/l2tpd/ppp/fsm.c"
	if "$tmp/scripts/lint-layers.sh" "$tmp" >>"$LOGS/lint.log" 2>&1; then
		echo "   layering: a planted crossing (ppp/fsm.c including ha/ha.h) was not found"
		rc=1
	fi
	rm -rf "$tmp"
	return "$rc"
}

stage_lint() {
	local files=() f p=0 fl=0 tmp
	say "lint: layering rules, checkpoint schema, shellcheck"
	if lint_layers; then
		p=$((p + 1))
	else
		fl=$((fl + 1))
	fi
	# The checkpoint schema against the previous release's, and the check
	# shown to refuse planted incompatible changes.
	if scripts/proto-compat.sh >>"$LOGS/lint.log" 2>&1; then
		p=$((p + 1))
	else
		fl=$((fl + 1))
		echo "   proto-compat: haproto/checkpoint.proto is not compatible with the previous release:"
		scripts/proto-compat.sh 2>&1 | grep -v '^compatible' | head -n 10 | sed 's/^/   | /'
	fi
	if scripts/proto-compat.sh --self-test >>"$LOGS/lint.log" 2>&1; then
		p=$((p + 1))
	else
		fl=$((fl + 1))
		echo "   proto-compat: the self-test failed (scripts/proto-compat.sh --self-test)"
	fi
	if ! command -v shellcheck >/dev/null 2>&1; then
		echo "   shellcheck not installed (scripts/install-deps.sh)"
		res 0 1
		return
	fi
	for f in scripts/*.sh .ci/run tests/lib/*.sh tests/integration/*.sh tests/bench/*.sh tests/kernel/*.sh \
		tests/soak/*.sh tests/package/*.sh tests/fuzz/*.sh doc/examples/*.sh; do
		[ -f "$f" ] && files+=("$f")
	done
	# $JOBS files at a time (each takes a second or two: -x reads the
	# libraries it sources); one verdict line each, the findings in the log.
	tmp=$(mktemp -d)
	mkdir "$tmp/out"
	# shellcheck disable=SC2016 # expanded by the inner shell
	printf '%s\n' "${files[@]}" | xargs -d '\n' -P "$JOBS" -I{} \
		sh -c 'o=$2/out/f-$(printf %s "$1" | tr / _); if shellcheck -x -P SCRIPTDIR "$1" >"$o" 2>&1; then echo "ok $1"; else echo "bad $1"; fi' \
		shellcheck {} "$tmp" >"$tmp/verdicts"
	cat "$tmp"/out/* >>"$LOGS/lint.log"
	for f in "${files[@]}"; do
		if grep -qxF "ok $f" "$tmp/verdicts"; then
			p=$((p + 1))
		else
			fl=$((fl + 1))
			echo "   shellcheck: $f"
		fi
	done
	rm -rf "$tmp"
	res "$p" "$fl"
}

: >"$LOGS/lint.log"
SAN_OK=0
KERNEL_BG=
LANE_BG=
BESIDE_Q=()

# The kernel stage in the background, and the stages of BESIDE that come
# after it in two lanes, each stage taken by the first lane to claim it (in
# the order given): the first lane from the start, beside the VM, the second
# once the VM has ended.  Each such stage runs with one job in a subshell;
# its output is kept in $LOGS/STAGE.out and printed, in the order given,
# by kernel_end, with "PASSED FAILED SECONDS WHEN" from $LOGS/STAGE.res.

# beside_stage STAGE: STAGE in a subshell, one job.
beside_stage() {
	local t0 when=beside
	[ -f "$LOGS/kernel.res" ] && when=after
	t0=$(date +%s)
	(
		STAGE_P=0
		STAGE_F=1
		JOBS=1 "stage_$1" >"$LOGS/$1.out" 2>&1
		echo "$STAGE_P $STAGE_F $(($(date +%s) - t0)) $when" >"$LOGS/$1.res"
	)
}

# beside_lane: the queued stages not yet claimed by the other lane.
beside_lane() {
	local s
	for s in "${BESIDE_Q[@]}"; do
		mkdir "$LOGS/beside.claims/$s" 2>/dev/null || continue
		beside_stage "$s"
	done
}

# kernel_start: the VM and the first lane in the background; the second
# lane starts in the VM's subshell once the VM has ended.
kernel_start() {
	local s after=0
	ensure_build || true
	BESIDE_Q=()
	for s in "${STAGES[@]}"; do
		if [ "$s" = kernel ]; then
			after=1
		elif [ "$after" = 1 ] && beside "$s"; then
			BESIDE_Q+=("$s")
		fi
	done
	rm -rf "$LOGS/kernel.res" "$LOGS/beside.claims"
	mkdir "$LOGS/beside.claims"
	for s in "${BESIDE_Q[@]}"; do
		rm -f "$LOGS/$s.out" "$LOGS/$s.res"
	done
	KERNEL_T0=$(date +%s)
	(
		STAGE_P=0
		STAGE_F=1
		stage_kernel >"$LOGS/kernel.out" 2>&1
		echo "$STAGE_P $STAGE_F $(($(date +%s) - KERNEL_T0))" >"$LOGS/kernel.res"
		beside_lane
	) &
	KERNEL_BG=$!
	beside_lane &
	LANE_BG=$!
	say "kernel: started in the background (VM); ${BESIDE_Q[*]} run beside it, one job each, in a second lane too once the VM has ended"
}

# kernel_end: wait for the VM and both lanes; print and record each stage.
kernel_end() {
	local p f secs when s
	wait "$KERNEL_BG"
	wait "$LANE_BG"
	KERNEL_BG=
	cat "$LOGS/kernel.out"
	read -r p f secs <"$LOGS/kernel.res" || {
		echo "   the kernel stage left no counts"
		p=0 f=1 secs=0
	}
	record kernel "$p" "$f" "$secs" "the VM; with ${BESIDE_Q[*]}: $(($(date +%s) - KERNEL_T0)) s"
	for s in "${BESIDE_Q[@]}"; do
		cat "$LOGS/$s.out" 2>/dev/null
		read -r p f secs when <"$LOGS/$s.res" || {
			echo "   the $s stage left no counts"
			p=0 f=1 secs=0 when=beside
		}
		record "$s" "$p" "$f" "$secs" "$when the VM"
	done
}

# queued STAGE: whether a lane beside the VM runs STAGE.
queued() {
	case " ${BESIDE_Q[*]} " in *" $1 "*) return 0 ;; esac
	return 1
}

beside() {
	case " ${BESIDE[*]} " in *" $1 "*) return 0 ;; esac
	return 1
}

for stage in "${STAGES[@]}"; do
	if [ "$stage" = kernel ] && [ "${#BESIDE[@]}" -gt 0 ]; then
		kernel_start
		continue
	fi
	if [ -n "$KERNEL_BG" ]; then
		queued "$stage" && continue
		kernel_end
	fi
	t0=$(date +%s)
	STAGE_P=0
	STAGE_F=1
	"stage_$stage"
	if [ "$stage" = san ] && [ "$STAGE_F" -eq 0 ]; then
		SAN_OK=1
	fi
	record "$stage" "$STAGE_P" "$STAGE_F" $(($(date +%s) - t0))
done
if [ -n "$KERNEL_BG" ]; then
	kernel_end
fi

echo
echo "== summary ($(($(date +%s) - T_START)) s)"
printf '%s\n' "${SUMMARY[@]}"
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
[ "$TOTAL_FAILED" -eq 0 ] && [ "$TOTAL_PASSED" -gt 0 ]
