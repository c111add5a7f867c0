#!/bin/bash
# Install every Debian package that the build, the unit, fuzz and integration
# tests, the interop tests and the benchmarks need.  Idempotent, quiet and
# non-interactive; run as root (or through sudo).
set -euo pipefail

PACKAGES=(
	# build
	build-essential autoconf automake libtool pkg-config make
	libmnl-dev libnl-3-dev libnl-route-3-dev
	# the kernel's TCP MSS clamp rules (ip tcp adjust-mss under -d linux)
	libnftables-dev
	libprotobuf-c-dev protobuf-c-compiler libzmq3-dev
	# the interactive shell of l2tpctl
	libedit-dev
	libev-dev nettle-dev libradcli-dev
	# unit tests, sanitizers, fuzzing
	libcmocka-dev clang libclang-rt-14-dev
	# integration, interop and benchmarks
	iproute2 nftables xl2tpd l2tpns ppp jq procps psmisc coreutils util-linux gawk python3 python3-protobuf
	# HA scenarios: VRRP for the active/standby pair
	keepalived
	# RADIUS scenarios: a private FreeRADIUS server, radclient for RFC 5176
	freeradius freeradius-utils
	# profiles of the benchmarks (tests/bench/profile.sh: callgrind)
	valgrind
	# the benchmark's figure (tests/bench/run.sh: sessions up over time)
	gnuplot-nox
	# shell script checks
	shellcheck
	# the interactive shell scenario (send-keys, capture-pane)
	tmux
	# the daemon's least privilege and metrics endpoint; the package stage:
	# building and linting the .deb, checking the unit offline, promtool
	libcap-ng-dev libmicrohttpd-dev debhelper lintian systemd prometheus curl
)

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: must run as root" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# The VM test tier: qemu, busybox, and the Debian kernel with the L2TP/PPP
# modules (cached; nothing is fetched when the cache is there).
"$(dirname "$0")/vm-deps.sh"

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing+=("$p")
	fi
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "install-deps: all ${#PACKAGES[@]} packages already installed"
	exit 0
fi

echo "install-deps: installing ${missing[*]}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
	"${missing[@]}" >/dev/null
echo "install-deps: done"
