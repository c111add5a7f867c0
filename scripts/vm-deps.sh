#!/bin/bash
# Everything the VM test tier (tests/kernel/) needs, from Debian only:
#   - the host packages: qemu-system-x86 (TCG), busybox-static and cpio for
#     the initramfs, and iproute2, iputils-ping, iputils-arping, ppp, xl2tpd,
#     wide-dhcpv6-client (dhcp6c) that the guest runs from the host's own
#     filesystem (shared in over 9p);
#   - a Debian kernel with L2TP/PPP as modules: the package that
#     linux-image-amd64 depends on (linux-image-6.1.0-N-amd64) is fetched with
#     `apt-get download` (not installed) and unpacked with `dpkg -x` into a
#     cache directory: vmlinuz plus the module directories the tier loads.
# Idempotent and non-interactive: with the packages installed and the cache
# filled it downloads nothing.  Run as root (or through sudo) when something
# is missing.
#
# Environment:
#   L2TPD_VM_CACHE  cache directory (default /var/cache/l2tpd-ha-vm); it holds
#                   the .deb, kernel/vmlinuz, kernel/modules/ and
#                   kernel/version (the package name and kernel release).
set -euo pipefail

CACHE=${L2TPD_VM_CACHE:-/var/cache/l2tpd-ha-vm}
PACKAGES=(qemu-system-x86 busybox-static cpio iproute2 iputils-ping iputils-arping ppp xl2tpd wide-dhcpv6-client)
# Module directories (under lib/modules/RELEASE/kernel/) kept in the cache:
# what tests/kernel/mkinitramfs.sh loads, plus netfilter for later scenarios.
MODULE_DIRS=(
	drivers/virtio fs/9p net/9p fs/netfs fs/fscache fs/overlayfs
	net/l2tp drivers/net/ppp drivers/net/slip drivers/net/veth.ko
	drivers/net/dummy.ko net/ipv4/udp_tunnel.ko net/ipv6/ip6_udp_tunnel.ko
	net/netfilter net/ipv4/netfilter net/ipv6/netfilter lib
	net/bridge net/802 net/llc net/8021q crypto/crc32c_generic.ko
)

say() { printf 'vm-deps: %s\n' "$*"; }
die() {
	printf 'vm-deps: %s\n' "$*" >&2
	exit 1
}

export DEBIAN_FRONTEND=noninteractive
UPDATED=0
apt_update() {
	if [ "$UPDATED" = 0 ]; then
		apt-get update -qq
		UPDATED=1
	fi
}

need_root() {
	[ "$(id -u)" -eq 0 ] || die "$1: run as root (sudo $0)"
}

# ---------------------------------------------------------------- packages

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing+=("$p")
	fi
done
if [ "${#missing[@]}" -gt 0 ]; then
	need_root "installing ${missing[*]}"
	say "installing ${missing[*]}"
	apt_update
	apt-get install -y -qq --no-install-recommends \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
		"${missing[@]}" >/dev/null
else
	say "all ${#PACKAGES[@]} packages already installed"
fi

# ---------------------------------------------------------------- kernel

kernel_ok() {
	[ -s "$CACHE/kernel/vmlinuz" ] && [ -s "$CACHE/kernel/version" ] &&
		[ -f "$CACHE/kernel/modules/net/l2tp/l2tp_ppp.ko" ] &&
		[ -f "$CACHE/kernel/modules/drivers/net/ppp/ppp_generic.ko" ] &&
		[ -f "$CACHE/kernel/modules/net/bridge/bridge.ko" ] &&
		[ -f "$CACHE/kernel/modules/net/8021q/8021q.ko" ] &&
		[ -f "$CACHE/kernel/modules/crypto/crc32c_generic.ko" ]
}

if kernel_ok; then
	say "kernel cached: $(head -n 1 "$CACHE/kernel/version") in $CACHE/kernel"
	exit 0
fi

need_root "fetching the kernel into $CACHE"
mkdir -p "$CACHE"

# The real image package behind the linux-image-amd64 meta package
# (bookworm: linux-image-6.1.0-N-amd64; never the -cloud flavour, which lacks
# the PPP modules).
resolve_image() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9].*-amd64$/ { print $2; exit }'
}
pkg=$(resolve_image || true)
if [ -z "$pkg" ]; then
	apt_update
	pkg=$(resolve_image || true)
fi
[ -n "$pkg" ] || die "cannot resolve the kernel package behind linux-image-amd64 (apt-cache depends)"
case $pkg in
*cloud*) die "linux-image-amd64 resolves to $pkg, a cloud kernel without PPP modules" ;;
esac

deb=$(find "$CACHE" -maxdepth 1 -name "${pkg}_*_amd64.deb" -print -quit)
if [ -z "$deb" ]; then
	say "downloading $pkg"
	(cd "$CACHE" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >/dev/null) ||
		{ apt_update && (cd "$CACHE" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >/dev/null); } ||
		die "apt-get download $pkg failed"
	deb=$(find "$CACHE" -maxdepth 1 -name "${pkg}_*_amd64.deb" -print -quit)
	[ -n "$deb" ] || die "apt-get download $pkg left no .deb in $CACHE"
else
	say "using cached $(basename "$deb")"
fi

say "unpacking $(basename "$deb")"
tmp=$(mktemp -d "$CACHE/unpack.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dpkg -x "$deb" "$tmp/root"
vmlinuz=$(find "$tmp/root/boot" -maxdepth 1 -name 'vmlinuz-*' -print -quit)
[ -n "$vmlinuz" ] || die "no boot/vmlinuz-* in $deb"
release=${vmlinuz##*/vmlinuz-}
moddir=$tmp/root/lib/modules/$release/kernel
[ -d "$moddir" ] || die "no lib/modules/$release in $deb"

mkdir -p "$tmp/kernel/modules"
cp "$vmlinuz" "$tmp/kernel/vmlinuz"
for d in "${MODULE_DIRS[@]}"; do
	if [ -e "$moddir/$d" ]; then
		mkdir -p "$tmp/kernel/modules/$(dirname "$d")"
		cp -a "$moddir/$d" "$tmp/kernel/modules/$d"
	fi
done
# Compressed modules (newer Debian kernels) are unpacked: busybox insmod
# reads plain .ko files.
find "$tmp/kernel/modules" -name '*.ko.xz' -exec xz -d {} +
find "$tmp/kernel/modules" -name '*.ko.zst' -exec sh -c 'for f; do zstd -q -d --rm "$f"; done' sh {} +
printf '%s\n%s\n' "$pkg $(dpkg-deb -f "$deb" Version)" "$release" >"$tmp/kernel/version"

rm -rf "$CACHE/kernel"
mv "$tmp/kernel" "$CACHE/kernel"
kernel_ok || die "the unpacked kernel lacks l2tp_ppp.ko, ppp_generic.ko or bridge.ko"
say "kernel $release ($pkg) in $CACHE/kernel"
