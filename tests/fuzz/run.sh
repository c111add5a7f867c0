#!/bin/sh
# Build and run the control message fuzzer.
#   FUZZ_SECONDS  how long to fuzz (default 60)
#   FUZZ_CORPUS   a directory to keep the corpus in between runs (default: temporary)
#   CC            a clang with libFuzzer (default clang)
# Exits non-zero when the fuzzer finds a crash; the input is kept and its
# path printed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
secs=${FUZZ_SECONDS:-60}
cc=${CC:-clang}
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz_msg.XXXXXX")
keep=0

# shellcheck disable=SC2317 # called through the trap
cleanup() {
	if [ "$keep" -eq 0 ]; then
		rm -rf "$work"
	fi
}
trap cleanup EXIT

srcs="$top/l2tpd/l2tp/call_info.c $top/l2tpd/l2tp/msg.c $top/l2tpd/l2tp/msg_format.c $top/l2tpd/l2tp/avp.c $top/l2tpd/l2tp/hidden.c $top/l2tpd/l2tp/auth.c $top/l2tpd/core/rand.c"
warn="-std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes -Werror"

# shellcheck disable=SC2086
"$cc" $warn -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I "$top/l2tpd" -I "$top" "$here/fuzz_msg.c" $srcs -lnettle -o "$work/fuzz_msg"
# shellcheck disable=SC2086
"$cc" $warn -O1 -I "$top/l2tpd" -I "$top" "$here/mkseeds.c" $srcs -lnettle -o "$work/mkseeds"

"$work/mkseeds" "$work/seeds"
corpus=${FUZZ_CORPUS:-$work/corpus}
mkdir -p "$corpus"

status=0
# Inputs that once failed (regressions/) run first, one by one, then seed
# the fuzzing run with the generated corpus.
"$work/fuzz_msg" "$here"/regressions/* || status=$?
if [ "$status" -eq 0 ]; then
	"$work/fuzz_msg" -max_len=4096 -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$work/" "$corpus" "$work/seeds" "$here/regressions" || status=$?
fi

if [ "$status" -ne 0 ]; then
	keep=1
	echo "fuzz_msg failed (exit $status); inputs and binaries kept in $work" >&2
	ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null >&2 || true
fi
exit "$status"
