#!/bin/sh
# Build and run the RADIUS codec fuzzer (as run.sh does for control messages).
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
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz_radius.XXXXXX")
keep=0

# shellcheck disable=SC2317 # called through the trap
cleanup() {
	if [ "$keep" -eq 0 ]; then
		rm -rf "$work"
	fi
}
trap cleanup EXIT

srcs="$top/l2tpd/aaa/radius.c $top/l2tpd/aaa/radius_dict.c"
warn="-std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes -Werror"

# shellcheck disable=SC2086
"$cc" $warn -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I "$top/l2tpd" -I "$top" "$here/fuzz_radius.c" $srcs -lnettle -lradcli -o "$work/fuzz_radius"

# Seeds: an Access-Accept with a Cisco AV-pair and a Message-Authenticator,
# and an Accounting-Request.
mkdir -p "$work/seeds"
printf '\002\001\000\113\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\032\045\000\000\000\011\001\037vpdn:l2tp-silent-switchover=1\120\022\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' \
	>"$work/seeds/accept"
printf '\004\007\000\046\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\050\006\000\000\000\001\054\014\060\060\060\060\060\060\060\061\060\060' \
	>"$work/seeds/acct"
corpus=${FUZZ_CORPUS:-$work/corpus}
mkdir -p "$corpus"

status=0
"$work/fuzz_radius" -max_len=4096 -max_total_time="$secs" -print_final_stats=1 \
	-artifact_prefix="$work/" "$corpus" "$work/seeds" || status=$?

if [ "$status" -ne 0 ]; then
	keep=1
	echo "fuzz_radius failed (exit $status); inputs and binaries kept in $work" >&2
	ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null >&2 || true
fi
exit "$status"
