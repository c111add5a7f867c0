#!/bin/bash
# Build the initramfs of the VM test tier: busybox-static, the kernel modules
# the tier needs (in load order) and an /init that
#   - loads the modules, mounts proc/sys/devtmpfs (and makes /dev/ppp);
#   - mounts the host's root filesystem (9p tag "hostroot") read-only, puts
#     an overlay with a tmpfs upper layer on top of it and mounts proc, sys,
#     dev, devpts, /run and /tmp inside;
#   - mounts the writable results export (9p tag "results") at
#     /run/vm-results in that root and runs its job.sh there with chroot;
#   - powers the VM off.
# A failure before the job runs is written to results/boot.err (when the
# results export is mounted) and to the console.
#
# Usage: mkinitramfs.sh OUTPUT.cpio.gz
# Environment: L2TPD_VM_CACHE (default /var/cache/l2tpd-ha-vm), filled by
# scripts/vm-deps.sh.
set -euo pipefail

out=${1:?usage: mkinitramfs.sh OUTPUT.cpio.gz}
CACHE=${L2TPD_VM_CACHE:-/var/cache/l2tpd-ha-vm}
MODDIR=$CACHE/kernel/modules
BUSYBOX=${BUSYBOX:-/bin/busybox}

# insmod order (no modules.dep in the package; dependencies first).
MODULES=(
	virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci
	netfs fscache 9pnet 9pnet_virtio 9p overlay
	udp_tunnel ip6_udp_tunnel l2tp_core l2tp_netlink
	slhc ppp_generic pppox pppoe l2tp_ppp
	veth l2tp_eth
	llc stp bridge garp mrp 8021q
	crc32c_generic libcrc32c nfnetlink nf_tables
)

die() {
	printf 'mkinitramfs: %s\n' "$*" >&2
	exit 1
}

[ -d "$MODDIR" ] || die "no kernel modules in $MODDIR: run scripts/vm-deps.sh"
command -v cpio >/dev/null || die "cpio is missing: run scripts/vm-deps.sh"
[ -x "$BUSYBOX" ] || die "$BUSYBOX is missing: run scripts/vm-deps.sh (busybox-static)"
if grep -q '=>' <<<"$(ldd "$BUSYBOX" 2>/dev/null)"; then
	die "$BUSYBOX is dynamically linked: install busybox-static"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root"/{bin,dev,proc,sys,modules,host,upper,newroot,results}
cp "$BUSYBOX" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"

for m in "${MODULES[@]}"; do
	f=$(find "$MODDIR" -name "$m.ko" -print -quit)
	[ -n "$f" ] || die "module $m.ko not found under $MODDIR"
	cp "$f" "$root/modules/$m.ko"
	echo "$m" >>"$root/modules/order"
done

cat >"$root/init" <<'INIT'
#!/bin/sh
# VM test tier init (busybox).  See tests/kernel/mkinitramfs.sh.
export PATH=/bin
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
RES=

say() { echo "vm-init: [$(cut -d' ' -f1 /proc/uptime)] $*"; }
die() {
	say "FATAL: $*"
	if [ -n "$RES" ]; then
		echo "$*" >>"$RES/boot.err"
		sync
	fi
	poweroff -f
	sleep 5
}

say "loading modules"
for m in $(cat /modules/order); do
	insmod "/modules/$m.ko" || die "insmod $m failed"
done
[ -c /dev/ppp ] || mknod /dev/ppp c 108 0 || die "mknod /dev/ppp failed"

O=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o "$O,cache=mmap" results /results || die "cannot mount the results export"
RES=/results
mount -t 9p -o "$O,ro,cache=loose" hostroot /host || die "cannot mount the host root over 9p"
mount -t tmpfs -o mode=755 tmpfs /upper
mkdir -p /upper/upper /upper/work
mount -t overlay -o lowerdir=/host,upperdir=/upper/upper,workdir=/upper/work overlay /newroot ||
	die "cannot mount the overlay on the host root"
N=/newroot
mount -t proc proc $N/proc
mount -t sysfs sysfs $N/sys
mount -t devtmpfs devtmpfs $N/dev
# devtmpfs lacks what udev adds: bash process substitution needs /dev/fd.
ln -sf /proc/self/fd $N/dev/fd
ln -sf /proc/self/fd/0 $N/dev/stdin
ln -sf /proc/self/fd/1 $N/dev/stdout
ln -sf /proc/self/fd/2 $N/dev/stderr
mkdir -p $N/dev/pts $N/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts $N/dev/pts
mount -t tmpfs tmpfs $N/dev/shm
mount -t tmpfs -o mode=755 tmpfs $N/run
# /tmp: a fresh tmpfs unless the job needs host files under /tmp (the
# overlay keeps /tmp writable either way).
if [ ! -e /results/keep-host-tmp ]; then
	mount -t tmpfs -o mode=1777 tmpfs $N/tmp
fi
mkdir -p $N/run/vm-results $N/run/lock $N/run/netns
mount -o bind /results $N/run/vm-results
echo guest >$N/run/l2tpd-ha-vm-guest
hostname vm
[ -f /results/job.sh ] || die "no job.sh in the results export"
say "running job"
chroot $N /bin/bash /run/vm-results/job.sh
say "job ended (status $?)"
sync
umount $N/run/vm-results 2>/dev/null
umount /results 2>/dev/null
poweroff -f
INIT
chmod 755 "$root/init"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$out.$$.tmp"
mv "$out.$$.tmp" "$out"
echo "mkinitramfs: $out ($(du -k "$out" | cut -f1) KiB, ${#MODULES[@]} modules)"
