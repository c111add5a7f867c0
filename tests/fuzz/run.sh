#!/bin/sh
# Build and run the libFuzzer targets of tests/fuzz/:
#   msg     control messages: decode, unhide, format, re-encode (fuzz_msg.c)
#   radius  RADIUS packets: parse, verify, reveal, rebuild (fuzz_radius.c)
#   ppp     PPP frames into a negotiating link: LCP, PAP, CHAP, MS-CHAPv2,
#           IPCP, IPv6CP on the null data path (fuzz_ppp.c)
#   ckpt    checkpoint envelopes into the standby's store, then a takeover
#           (fuzz_ckpt.c)
#   config  configuration files into the reader (fuzz_config.c)
#   cmd     command lines into the control socket's dispatcher (fuzz_cmd.c)
#   pppoe   PPPoE discovery and session frames into the parser (fuzz_pppoe.c)
#   dhcp6   DHCPv6 messages and IPv6 packets into the codecs and a link's
#           IPv6 server (fuzz_dhcp6.c)
#
#   run.sh [TARGET...]   the named targets (default: all of them)
#
#   FUZZ_SECONDS  how long each target fuzzes (default 15); 0 only replays
#                 the seeds and the regressions.  A long run, by hand:
#                 FUZZ_SECONDS=900 FUZZ_CORPUS=/var/tmp/fuzz tests/fuzz/run.sh ppp ckpt
#   FUZZ_JOBS     targets fuzzing at once (default 2)
#   FUZZ_CORPUS   a directory keeping each target's corpus between runs
#                 (FUZZ_CORPUS/TARGET; default: temporary)
#   FUZZ_BUILD    the instrumented build tree (default build-fuzz/ at the top:
#                 libl2tp.a built by clang with the fuzzer's coverage, ASan
#                 and UBSan, so every target runs the daemon's own code)
#   CC            a clang with libFuzzer (default clang)
#
# Each target first replays its regressions (regressions/TARGET/: inputs
# that once failed) and its seeds (written at build time: by mkseeds.c, by
# the target itself with FUZZ_WRITE_SEEDS, or from doc/), then fuzzes.  A
# line per target gives its executions, coverage and findings.  Exits
# non-zero when a target finds anything; the inputs, logs and binaries are
# kept and their path printed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
secs=${FUZZ_SECONDS:-15}
jobs=${FUZZ_JOBS:-2}
cc=${CC:-clang}
build=${FUZZ_BUILD:-$top/build-fuzz}
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz.XXXXXX")
keep=0
all="msg radius ppp ckpt config cmd pppoe dhcp6"

# shellcheck disable=SC2317 # called through the trap
cleanup() {
	if [ "$keep" -eq 0 ]; then
		rm -rf "$work"
	fi
}
trap cleanup EXIT

san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
warn="-std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes -Wno-unused-parameter -Werror"
libs="libmnl libnl-3.0 libnl-route-3.0 libprotobuf-c libzmq nettle radcli libcap-ng libmicrohttpd libnftables cmocka"
unit=$top/tests/unit/lib

# The daemon's library, instrumented (configured once, then kept up to date).
build_lib() {
	if [ ! -f "$build/Makefile" ]; then
		if [ ! -x "$top/configure" ]; then
			(cd "$top" && autoreconf -fi)
		fi
		mkdir -p "$build"
		# shellcheck disable=SC2086
		(cd "$build" && "$top/configure" CC="$cc" \
			CFLAGS="-g -O1 -fsanitize=fuzzer-no-link $san" --disable-silent-rules) \
			>"$work/configure.log" 2>&1 || {
			tail -n 20 "$work/configure.log" >&2
			return 1
		}
	fi
	(cd "$build" && make -s haproto/checkpoint.pb-c.h && make -s -j"$jobs" libl2tp.a) \
		>"$work/make.log" 2>&1 || {
		tail -n 20 "$work/make.log" >&2
		return 1
	}
}

# The test sources a target links besides the library.
target_srcs() {
	case $1 in
	msg | radius | pppoe | dhcp6) ;;
	ppp) echo "$here/fuzz_rand.c $unit/harness.c $unit/fake_subscriber.c" ;;
	ckpt | cmd) echo "$here/fuzz_rand.c $here/fuzz_daemon.c $unit/harness.c $unit/fake_subscriber.c $unit/json_valid.c" ;;
	config) echo "$here/fuzz_rand.c $unit/cli_check.c $unit/json_valid.c" ;;
	esac
}

build_target() {
	# shellcheck disable=SC2046,SC2086
	"$cc" $warn -g -O1 -fsanitize=fuzzer $san \
		-I "$top/l2tpd" -I "$top" -I "$build" -I "$unit" -I "$here" \
		$(pkg-config --cflags $libs) "$here/fuzz_$1.c" $(target_srcs "$1") \
		"$build/libl2tp.a" $(pkg-config --libs $libs) -lev -o "$work/fuzz_$1"
}

# The seed corpus of a target, into $work/seeds/TARGET.
make_seeds() {
	d=$work/seeds/$1
	mkdir -p "$d"
	case $1 in
	msg)
		# shellcheck disable=SC2086
		"$cc" -std=gnu11 -O1 -I "$top/l2tpd" -I "$top" "$here/mkseeds.c" \
			"$top/l2tpd/l2tp/msg.c" "$top/l2tpd/l2tp/msg_format.c" "$top/l2tpd/l2tp/avp.c" \
			"$top/l2tpd/l2tp/hidden.c" "$top/l2tpd/l2tp/auth.c" "$top/l2tpd/core/rand.c" \
			-lnettle -o "$work/mkseeds"
		"$work/mkseeds" "$d"
		;;
	radius)
		# An Access-Accept with a Cisco AV-pair and a Message-Authenticator,
		# and an Accounting-Request.
		printf '\002\001\000\113\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\032\045\000\000\000\011\001\037vpdn:l2tp-silent-switchover=1\120\022\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' \
			>"$d/accept"
		printf '\004\007\000\046\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\050\006\000\000\000\001\054\014\060\060\060\060\060\060\060\061\060\060' \
			>"$d/acct"
		;;
	ppp)
		# A configuration byte (PAP, CHAP, MS-CHAPv2, all three; +4
		# IPv6CP), then operations (see fuzz_ppp.c): the honest
		# negotiation; an LCP Configure-Request with odd options; a PAP
		# request with the right and the wrong password; IPCP and IPv6CP
		# requests; timers; a Terminate-Request.
		for conf in 0 1 2 3 4 5 6 7; do
			# shellcheck disable=SC2059 # the octal escape of $conf
			printf "\\00$conf\\002" >"$d/honest-$conf"
		done
		printf '\000\004\016\300\041\001\001\000\012\001\004\377\377\005\006\000\000\000\001\002' >"$d/lcp-odd"
		printf '\000\002\004\021\300\043\001\007\000\017\006local1\005lpass\002' >"$d/pap-right"
		printf '\000\002\004\021\300\043\001\007\000\017\006local1\005wrong\002' >"$d/pap-wrong"
		printf '\004\002\004\014\200\041\001\011\000\012\003\006\000\000\000\000\002\004\016\200\127\001\003\000\016\001\012\000\000\000\000\000\000\000\001\377\002' >"$d/ncp"
		printf '\002\001\377\001\376\002' >"$d/timers"
		printf '\000\002\004\006\300\041\005\011\000\004\002' >"$d/terminate"
		;;
	pppoe)
		# A PADI with Host-Uniq, and a PADR on QinQ with Relay-Session-Id,
		# PPP-Max-Payload and TR-101 access-line information.
		printf '\377\377\377\377\377\377\002\000\000\000\000\001\210\143\021\011\000\000\000\014\001\001\000\000\001\003\000\004\336\255\276\357' \
			>"$d/padi"
		printf '\002\000\000\000\000\254\002\000\000\000\000\001\210\250\000\144\201\000\040\012\210\143\021\031\000\000\000\102\001\001\000\003isp\001\004\000\002\300\014\001\020\000\003\001\002\003\001\040\000\002\005\334\001\005\000\040\000\000\015\351\001\010dslam1/7\002\004cpe9\201\004\000\000\003\350\202\004\000\000\076\200\000\000\000\000' \
			>"$d/padr"
		;;
	dhcp6)
		# A client's Solicit for a delegated prefix, a server's Reply, the
		# Solicit as a whole IPv6 packet, and a Router Advertisement.
		printf '\001\022\064\126\000\001\000\012\000\003\000\001\000\021\042\063\104\125\000\010\000\002\000\000\000\006\000\002\000\027\000\016\000\000\000\031\000\051\000\000\000\001\000\000\000\000\000\000\000\000\000\032\000\031\000\000\000\000\000\000\000\000\070\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >"$d/solicit"
		printf '\007\022\064\126\000\001\000\012\000\003\000\001\000\021\042\063\104\125\000\002\000\022\000\004\253\253\253\253\253\253\253\253\253\253\253\253\253\253\253\253\000\031\000\051\000\000\000\001\000\000\007\010\000\000\013\100\000\032\000\031\000\000\016\020\000\000\034\040\070\040\001\015\270\001\000\000\000\000\000\000\000\000\000\000\000\000\016\000\000\000\027\000\020\040\001\015\270\000\000\000\000\000\000\000\000\000\000\000\123' >"$d/reply"
		printf '\140\000\000\000\000\127\021\001\376\200\000\000\000\000\000\000\002\021\042\377\376\063\104\125\377\002\000\000\000\000\000\000\000\000\000\000\000\001\000\002\002\042\002\043\000\127\301\035\001\022\064\126\000\001\000\012\000\003\000\001\000\021\042\063\104\125\000\010\000\002\000\000\000\006\000\002\000\027\000\016\000\000\000\031\000\051\000\000\000\001\000\000\000\000\000\000\000\000\000\032\000\031\000\000\000\000\000\000\000\000\070\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >"$d/solicit_pkt"
		printf '\140\000\000\000\000\120\072\377\376\200\000\000\000\000\000\000\000\000\000\000\000\000\000\001\376\200\000\000\000\000\000\000\002\021\042\377\376\063\104\125\206\000\173\074\100\300\007\010\000\000\000\000\000\000\000\000\005\001\000\000\000\000\005\324\003\004\100\300\000\001\121\200\000\000\070\100\000\000\000\000\040\001\015\270\000\000\000\001\000\000\000\000\000\000\000\000\031\003\000\000\000\000\004\260\040\001\015\270\000\000\000\000\000\000\000\000\000\000\000\123' >"$d/ra_pkt"
		;;
	ckpt | cmd | config)
		FUZZ_WRITE_SEEDS=$d "$work/fuzz_$1" >"$work/seeds-$1.log" 2>&1 || {
			cat "$work/seeds-$1.log" >&2
			return 1
		}
		if [ "$1" = config ]; then
			cp "$top/doc/l2tpd.conf.example" "$top"/doc/examples/lns-pair-*.conf "$d/"
		fi
		;;
	esac
}

# Replay, then fuzz one target; a summary line on stdout.
run_target() {
	t=$1
	bin=$work/fuzz_$t
	log=$work/$t.log
	reg=$work/seeds/$t
	if [ -d "$here/regressions/$t" ]; then
		reg=$here/regressions/$t
	fi
	corpus=${FUZZ_CORPUS:+$FUZZ_CORPUS/$t}
	corpus=${corpus:-$work/corpus/$t}
	mkdir -p "$corpus"
	rc=0
	# Regressions and seeds first, every one of them run once.
	"$bin" -runs=0 -artifact_prefix="$work/$t-" "$reg" "$work/seeds/$t" >"$log" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ] && [ "$secs" -gt 0 ]; then
		"$bin" -max_len=8192 -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 \
			-print_final_stats=1 -artifact_prefix="$work/$t-" \
			"$corpus" "$work/seeds/$t" "$reg" >>"$log" 2>&1 || rc=$?
	fi
	# the last status line: DONE, or where a failure stopped it
	stats=$(grep -E '^#[0-9]+[[:space:]]+[A-Z]+[[:space:]]+cov:' "$log" | tail -n 1 |
		sed -E 's/^#([0-9]+)[[:space:]]+[A-Z]+[[:space:]]+cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/\1 runs, cov \2, ft \3, corpus \4/')
	found=$(find "$work" -maxdepth 1 -name "$t-*-*" | wc -l)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz_$t: ok: $stats in $secs s, $found findings"
	else
		echo "fuzz_$t: FAILED (exit $rc): $stats, $found findings; log $log"
		tail -n 40 "$log" | sed 's/^/  | /'
	fi
	return "$rc"
}

targets=${*:-$all}
for t in $targets; do
	case " $all " in
	*" $t "*) ;;
	*)
		echo "run.sh: unknown target '$t' (targets: $all)" >&2
		exit 2
		;;
	esac
done

build_lib
for t in $targets; do
	build_target "$t"
	make_seeds "$t"
done

# $jobs targets at a time; each writes its summary to $work/TARGET.sum.
status=0
n=0
pids=""
for t in $targets; do
	(run_target "$t" >"$work/$t.sum") &
	pids="$pids $!"
	n=$((n + 1))
	if [ "$n" -ge "$jobs" ]; then
		for p in $pids; do
			wait "$p" || status=1
		done
		pids=""
		n=0
	fi
done
for p in $pids; do
	wait "$p" || status=1
done
for t in $targets; do
	cat "$work/$t.sum"
done

if [ "$status" -ne 0 ]; then
	keep=1
	echo "fuzzing failed; inputs, logs and binaries kept in $work" >&2
	ls "$work"/*-crash-* "$work"/*-leak-* "$work"/*-timeout-* "$work"/*-oom-* 2>/dev/null >&2 || true
fi
exit "$status"
