#!/bin/sh
# Build and run the DHCPv6 and IPv6 codec fuzzer (as run.sh does for control messages).
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
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz_dhcp6.XXXXXX")
keep=0

# shellcheck disable=SC2317 # called through the trap
cleanup() {
	if [ "$keep" -eq 0 ]; then
		rm -rf "$work"
	fi
}
trap cleanup EXIT

srcs="$top/l2tpd/ipv6/pkt.c $top/l2tpd/ipv6/nd.c $top/l2tpd/ipv6/dhcp6.c $top/l2tpd/ipv6/dhcp6_build.c $top/l2tpd/ipv6/server.c $top/l2tpd/ipv6/server_dhcp.c $top/l2tpd/core/clock.c"
warn="-std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes -Werror"

# shellcheck disable=SC2086
"$cc" $warn -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I "$top/l2tpd" -I "$top" "$here/fuzz_dhcp6.c" $srcs -o "$work/fuzz_dhcp6"

# Seeds: a client's Solicit for a delegated prefix, a server's Reply, the
# Solicit as a whole IPv6 packet, and a Router Advertisement.
mkdir -p "$work/seeds"
printf '\001\022\064\126\000\001\000\012\000\003\000\001\000\021\042\063\104\125\000\010\000\002\000\000\000\006\000\002\000\027\000\016\000\000\000\031\000\051\000\000\000\001\000\000\000\000\000\000\000\000\000\032\000\031\000\000\000\000\000\000\000\000\070\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >"$work/seeds/solicit"
printf '\007\022\064\126\000\001\000\012\000\003\000\001\000\021\042\063\104\125\000\002\000\022\000\004\253\253\253\253\253\253\253\253\253\253\253\253\253\253\253\253\000\031\000\051\000\000\000\001\000\000\007\010\000\000\013\100\000\032\000\031\000\000\016\020\000\000\034\040\070\040\001\015\270\001\000\000\000\000\000\000\000\000\000\000\000\000\016\000\000\000\027\000\020\040\001\015\270\000\000\000\000\000\000\000\000\000\000\000\123' >"$work/seeds/reply"
printf '\140\000\000\000\000\127\021\001\376\200\000\000\000\000\000\000\002\021\042\377\376\063\104\125\377\002\000\000\000\000\000\000\000\000\000\000\000\001\000\002\002\042\002\043\000\127\301\035\001\022\064\126\000\001\000\012\000\003\000\001\000\021\042\063\104\125\000\010\000\002\000\000\000\006\000\002\000\027\000\016\000\000\000\031\000\051\000\000\000\001\000\000\000\000\000\000\000\000\000\032\000\031\000\000\000\000\000\000\000\000\070\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >"$work/seeds/solicit_pkt"
printf '\140\000\000\000\000\120\072\377\376\200\000\000\000\000\000\000\000\000\000\000\000\000\000\001\376\200\000\000\000\000\000\000\002\021\042\377\376\063\104\125\206\000\173\074\100\300\007\010\000\000\000\000\000\000\000\000\005\001\000\000\000\000\005\324\003\004\100\300\000\001\121\200\000\000\070\100\000\000\000\000\040\001\015\270\000\000\000\001\000\000\000\000\000\000\000\000\031\003\000\000\000\000\004\260\040\001\015\270\000\000\000\000\000\000\000\000\000\000\000\123' >"$work/seeds/ra_pkt"
corpus=${FUZZ_CORPUS:-$work/corpus}
mkdir -p "$corpus"

status=0
"$work/fuzz_dhcp6" -max_len=4096 -max_total_time="$secs" -print_final_stats=1 \
	-artifact_prefix="$work/" "$corpus" "$work/seeds" || status=$?

if [ "$status" -ne 0 ]; then
	keep=1
	echo "fuzz_dhcp6 failed (exit $status); inputs and binaries kept in $work" >&2
	ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null >&2 || true
fi
exit "$status"
