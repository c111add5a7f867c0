#!/bin/bash
# The VM test tier: boot Debian's kernel (with L2TP/PPP modules) under
# qemu-system-x86_64 (TCG) with this host's root filesystem shared in
# read-only over 9p, run the scenarios tests/kernel/t_*.sh (or those named as
# arguments, with or without t_ and .sh) inside it, print each verdict and a
# closing "N passed, N failed[, N skipped]" line.  Exit status 0 when nothing
# failed; non-zero when a scenario failed or the VM could not be booted.
#
# Environment:
#   L2TPD_VM_CACHE  kernel cache filled by scripts/vm-deps.sh
#                   (default /var/cache/l2tpd-ha-vm)
#   L2T_BUILD       build directory with l2tpd/ and cli/ (default build/);
#                   L2TPD_BUILD is accepted too.  Read in the guest through
#                   the shared root: no copy.
#   L2T_LOGDIR      results, console logs and the files of failed scenarios
#                   (default /tmp/l2tpd-ha-kernel-logs; what an earlier run
#                   left there is removed at start)
#   KT_BOOT         all: one VM runs every scenario (default); each: one VM
#                   per scenario
#   KT_TIMEOUT      seconds allowed to each scenario (default 90); a
#                   scenario with a line "# kt-timeout: SECONDS" gets that
#                   much when it is more
#   KT_VM_TIMEOUT   seconds allowed to one VM, boot included
#                   (default 60 + each scenario's allowance, at most 1200:
#                   the whole set takes about 600 s on a quiet host, and
#                   nearly 900 s with other loads beside it)
#   KT_SMP, KT_MEM  guest CPUs (default 1) and MiB (default 1024).  With 2
#                   vCPUs on this 2-core host, any other load on the host
#                   made the run 4-8 times slower (vCPUs spinning on each
#                   other); 1 vCPU was no slower on an idle host.
#   KT_TCG_THREAD   multi (default) or single
#   KT_KEEP_LOGS    1: keep logs/NAME/ of passed scenarios too
#   KT_BENCH_N, KT_BENCH_XN  passed into the guest (t_l2tpd_bench_ppp.sh)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CACHE=${L2TPD_VM_CACHE:-/var/cache/l2tpd-ha-vm}
LOGDIR=${L2T_LOGDIR:-/tmp/l2tpd-ha-kernel-logs}
BUILD=${L2T_BUILD:-${L2TPD_BUILD:-$top/build}}
BOOT=${KT_BOOT:-all}
SCEN_LIMIT=${KT_TIMEOUT:-90}
QEMU=${QEMU:-qemu-system-x86_64}

now() { date +%s.%N; }
took() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

# cannot_boot REASON: the tier could not run at all: a real failure.
cannot_boot() {
	echo "kernel: cannot boot the test VM: $*"
	echo "kernel: install what it needs with scripts/vm-deps.sh (as root)"
	echo "0 passed, 1 failed"
	exit 1
}

# ---------------------------------------------------------------- scenarios

scripts=()
if [ "$#" -gt 0 ]; then
	for a in "$@"; do
		a=${a##*/}
		a=${a%.sh}
		a=${a#t_}
		[ -f "$here/t_$a.sh" ] || { echo "kernel: no scenario t_$a.sh" >&2; exit 2; }
		scripts+=("$here/t_$a.sh")
	done
else
	for f in "$here"/t_*.sh; do
		[ -f "$f" ] && scripts+=("$f")
	done
fi
[ "${#scripts[@]}" -gt 0 ] || { echo "kernel: no scenario"; echo "0 passed, 1 failed"; exit 1; }
case $BOOT in
all | each) ;;
*) echo "kernel: KT_BOOT must be all or each" >&2; exit 2 ;;
esac

# ---------------------------------------------------------------- VM parts

command -v "$QEMU" >/dev/null 2>&1 || cannot_boot "$QEMU is not installed"
[ -s "$CACHE/kernel/vmlinuz" ] || cannot_boot "no kernel in $CACHE/kernel"
[ -x /bin/busybox ] || cannot_boot "/bin/busybox is missing (busybox-static)"
command -v cpio >/dev/null 2>&1 || cannot_boot "cpio is not installed"

# The initramfs is rebuilt when its script or the kernel changes.
key=$(cat "$here/mkinitramfs.sh" "$CACHE/kernel/version" /bin/busybox | sha256sum | cut -c1-16)
if [ -w "$CACHE" ]; then
	initrd=$CACHE/initramfs-$key.cpio.gz
else
	initrd=${XDG_CACHE_HOME:-$HOME/.cache}/l2tpd-ha-vm/initramfs-$key.cpio.gz
fi
if [ ! -s "$initrd" ]; then
	find "$(dirname "$initrd")" -maxdepth 1 -name 'initramfs-*.cpio.gz' -mmin +60 -delete 2>/dev/null || true
	"$here/mkinitramfs.sh" "$initrd" >/dev/null || cannot_boot "building the initramfs failed"
fi

# Only what an earlier run left: L2T_LOGDIR may be a shared directory.
mkdir -p "$LOGDIR"
rm -rf "${LOGDIR:?}/guest" "$LOGDIR/console.log" "$LOGDIR"/t_*/

# scen_limit SCRIPT: the seconds SCRIPT is allowed: KT_TIMEOUT, or its own
# "# kt-timeout: SECONDS" line when that is more.
scen_limit() {
	local n
	n=$(sed -n 's/^# kt-timeout: *\([0-9][0-9]*\).*/\1/p' "$1" | head -n 1)
	if [ -n "$n" ] && [ "$n" -gt "$SCEN_LIMIT" ]; then
		echo "$n"
	else
		echo "$SCEN_LIMIT"
	fi
}

# boot_vm DIR SCRIPT...: one VM running SCRIPTs; DIR gets console.log and the
# guest's results directory guest/.
boot_vm() {
	local dir=$1 vmt rc=0 s p
	shift
	mkdir -p "$dir/guest"
	vmt=60
	for s in "$@"; do
		vmt=$((vmt + $(scen_limit "$s")))
	done
	vmt=${KT_VM_TIMEOUT:-$vmt}
	[ "$vmt" -le 1200 ] || vmt=1200
	{
		echo '#!/bin/bash'
		echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb'
		printf 'export L2T_BUILD=%q KT_TIMEOUT=%q KT_KEEP_LOGS=%q\n' \
			"$BUILD" "$SCEN_LIMIT" "${KT_KEEP_LOGS:-0}"
		# The benchmark's sizes (t_l2tpd_bench_ppp.sh), when given.
		for v in KT_BENCH_N KT_BENCH_XN; do
			[ -z "${!v:-}" ] || printf 'export %s=%q\n' "$v" "${!v}"
		done
		echo 'cd /'
		printf 'exec bash %q /run/vm-results' "$here/guest.sh"
		for s in "$@"; do printf ' %q' "$s"; done
		echo
	} >"$dir/guest/job.sh"
	# A build tree or source tree under /tmp stays visible in the guest.
	for p in "$top" "$BUILD"; do
		case $p in /tmp | /tmp/*) touch "$dir/guest/keep-host-tmp" ;; esac
	done
	timeout -k 5 "$vmt" "$QEMU" -accel "tcg,thread=${KT_TCG_THREAD:-multi}" -cpu max \
		-m "${KT_MEM:-1024}" -smp "${KT_SMP:-1}" -nographic -no-reboot -nic none \
		-kernel "$CACHE/kernel/vmlinuz" -initrd "$initrd" \
		-append "console=ttyS0 quiet panic=-1" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$dir/guest,mount_tag=results,security_model=none" \
		</dev/null >"$dir/console.log" 2>&1 || rc=$?
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "kernel: the VM was stopped after $vmt s (console: $dir/console.log)"
		VM_PROBLEM="VM timed out after $vmt s"
	elif [ "$rc" -ne 0 ]; then
		echo "kernel: qemu exited with status $rc (console: $dir/console.log)"
		VM_PROBLEM="qemu exited with status $rc"
	fi
	if [ -s "$dir/guest/boot.err" ]; then
		echo "kernel: the VM did not boot: $(head -n 1 "$dir/guest/boot.err")"
		VM_PROBLEM="VM boot failed: $(head -n 1 "$dir/guest/boot.err")"
	elif [ ! -s "$dir/guest/boot" ]; then
		echo "kernel: the VM never reached the scenarios"
		VM_PROBLEM=${VM_PROBLEM:-VM never reached the scenarios}
	fi
	if [ -n "$VM_PROBLEM" ]; then
		echo "kernel: last console lines ($dir/console.log):"
		tail -n 25 "$dir/console.log" | tr -d '\r' |
			sed -E 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g; s/^/  | /'
	fi
}

# report DIR SCRIPT...: the verdict of each SCRIPT from DIR/guest/results.
report() {
	local dir=$1 s name line secs
	shift
	for s in "$@"; do
		name=$(basename "$s" .sh)
		name=${name#t_}
		line=$(grep -E "^(PASS|FAIL|SKIP) $name(:|$)" "$dir/guest/results" 2>/dev/null | tail -n 1 || true)
		secs=$(awk -v n="$name" '$1 == n { print $2 }' "$dir/guest/times" 2>/dev/null | tail -n 1)
		[ -n "$line" ] || line="FAIL $name: no result (${VM_PROBLEM:-the VM wrote none})"
		case ${line%% *} in
		PASS) passed=$((passed + 1)) ;;
		SKIP) skipped=$((skipped + 1)) ;;
		*)
			failed=$((failed + 1))
			if [ -f "$dir/guest/logs/$name/stderr.txt" ]; then
				tail -n 40 "$dir/guest/logs/$name/stderr.txt" | sed 's/^/  | /' >&2
				echo "  (files of $name: $dir/guest/logs/$name/)" >&2
			fi
			;;
		esac
		printf '%s%s\n' "$line" "${secs:+ ($secs s)}"
		# a benchmark scenario's figures
		grep -E "^bench: " "$dir/guest/bench-$name.txt" 2>/dev/null || true
	done
}

# vm_times DIR WALL LABEL: boot and run figures of one VM.
vm_times() {
	local dir=$1 wall=$2 label=$3 boot=- done=-
	[ -s "$dir/guest/boot" ] && boot=$(cat "$dir/guest/boot")
	[ -s "$dir/guest/done" ] && done=$(cat "$dir/guest/done")
	echo "kernel: VM $label: ${wall} s wall; guest uptime ${boot} s at the first scenario, ${done} s at the end"
}

passed=0
failed=0
skipped=0
t_all=$(now)
echo "kernel: $(sed -n 2p "$CACHE/kernel/version") under $QEMU (TCG), ${#scripts[@]} scenario(s), boot=$BOOT; logs in $LOGDIR"
if [ "$BOOT" = all ]; then
	VM_PROBLEM=
	t0=$(now)
	boot_vm "$LOGDIR" "${scripts[@]}"
	wall=$(took "$t0")
	report "$LOGDIR" "${scripts[@]}"
	vm_times "$LOGDIR" "$wall" "all scenarios"
else
	for s in "${scripts[@]}"; do
		VM_PROBLEM=
		d=$LOGDIR/$(basename "$s" .sh)
		t0=$(now)
		boot_vm "$d" "$s"
		wall=$(took "$t0")
		report "$d" "$s"
		vm_times "$d" "$wall" "$(basename "$s" .sh)"
	done
fi
echo "kernel: total $(took "$t_all") s wall"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
