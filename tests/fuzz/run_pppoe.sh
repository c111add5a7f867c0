#!/bin/sh
# Build and run the PPPoE discovery parser fuzzer (as run.sh does for
# control messages).
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
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz_pppoe.XXXXXX")
keep=0

# shellcheck disable=SC2317 # called through the trap
cleanup() {
	if [ "$keep" -eq 0 ]; then
		rm -rf "$work"
	fi
}
trap cleanup EXIT

warn="-std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes -Werror"

# shellcheck disable=SC2086
"$cc" $warn -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I "$top/l2tpd" -I "$top" "$here/fuzz_pppoe.c" "$top/l2tpd/pppoe/disc.c" -o "$work/fuzz_pppoe"

# Seeds: a PADI with Host-Uniq, and a PADR on QinQ with Relay-Session-Id,
# PPP-Max-Payload and TR-101 access-line information.
mkdir -p "$work/seeds"
printf '\377\377\377\377\377\377\002\000\000\000\000\001\210\143\021\011\000\000\000\014\001\001\000\000\001\003\000\004\336\255\276\357' \
	>"$work/seeds/padi"
printf '\002\000\000\000\000\254\002\000\000\000\000\001\210\250\000\144\201\000\040\012\210\143\021\031\000\000\000\102\001\001\000\003isp\001\004\000\002\300\014\001\020\000\003\001\002\003\001\040\000\002\005\334\001\005\000\040\000\000\015\351\001\010dslam1/7\002\004cpe9\201\004\000\000\003\350\202\004\000\000\076\200\000\000\000\000' \
	>"$work/seeds/padr"
corpus=${FUZZ_CORPUS:-$work/corpus}
mkdir -p "$corpus"

status=0
"$work/fuzz_pppoe" -max_len=1600 -max_total_time="$secs" -print_final_stats=1 \
	-artifact_prefix="$work/" "$corpus" "$work/seeds" || status=$?

if [ "$status" -ne 0 ]; then
	keep=1
	echo "fuzz_pppoe failed (exit $status); inputs and binaries kept in $work" >&2
	ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null >&2 || true
fi
exit "$status"
