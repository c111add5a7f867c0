#!/bin/bash
# The package stage (scripts/test-all.sh package; root): the Debian package
# built, checked, installed, run and removed again.
#   deb_dist     `make dist` in the build tree, the tarball unpacked, and
#                `dpkg-buildpackage -us -uc -b` in it (DEB_BUILD_OPTIONS=nocheck:
#                the unit tests ran in their own stage)
#   deb_tree     the same from the committed source tree (`git archive`)
#   lintian      no error (the output is printed)
#   contents     the files the package must hold, the conffile, the unit's
#                settings
#   install      dpkg -i; the user and group l2tpd; /etc/l2tpd owned by it
#   unit         systemd-analyze verify passes; systemd-analyze security
#                --offline=yes: its exposure (printed) at most 3.0
#   completion   the bash completion offers the table's words
#   examples     the pair's configurations load (with real keys), the
#                notify script parses, the dashboard is JSON with panels
#   t_installed  tests/package/t_installed.sh: the installed l2tpd as the
#                user l2tpd with only its capabilities through an HA pair,
#                RADIUS, a failover and /metrics (promtool)
#   remove       dpkg --purge: nothing of the package is left
# Prints one PASS/FAIL line per step and closes with "N passed, N failed".
# The package is removed at the end even when a step failed (unless it was
# installed before the stage began: then the stage refuses to run).
# Environment: L2T_BUILD (default build/), L2T_LOGDIR.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${L2T_BUILD:-$top/build}
logs=${L2T_LOGDIR:-/tmp/l2tpd-package-logs}
mkdir -p "$logs"
work=$(mktemp -d /tmp/l2tpd-package.XXXXXX)
passed=0
failed=0
installed=0
version=$(sed -n 's/^AC_INIT(\[l2tpd-ha\], \[\([^]]*\)\].*/\1/p' "$top/configure.ac")
deb=

say() { printf '%s\n' "$*" >&2; }
verdict() {
	if [ "$2" = 0 ]; then
		echo "PASS $1${3:+ ($3)}"
		passed=$((passed + 1))
	else
		echo "FAIL $1${3:+: $3}"
		failed=$((failed + 1))
	fi
}

cleanup() {
	if [ "$installed" = 1 ]; then
		dpkg --purge l2tpd-ha >>"$logs/remove.log" 2>&1 || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

if [ "$(id -u)" -ne 0 ]; then
	echo "package: must run as root (dpkg -i)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
if dpkg-query -W -f='${Status}' l2tpd-ha 2>/dev/null | grep -q 'install ok installed'; then
	echo "FAIL package: l2tpd-ha is installed already; the stage installs and removes its own"
	echo "0 passed, 1 failed"
	exit 1
fi

# build_deb NAME DIR: dpkg-buildpackage in DIR, in the background (the .deb
# lands in DIR/..; the exit status in $work/NAME.rc).  The two builds run
# side by side: each is a serial make, and the machine has two cores.
build_deb() {
	(
		start=$SECONDS rc=0
		(cd "$2" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) >"$logs/$1.log" 2>&1 || rc=$?
		echo "$rc $((SECONDS - start))" >"$work/$1.rc"
	) &
}

# built NAME DIR: the verdict of build_deb NAME DIR, once it has ended.
built() {
	local rc secs
	read -r rc secs <"$work/$1.rc" || {
		verdict "$1" 1 "dpkg-buildpackage left no exit status"
		return 1
	}
	if [ "$rc" = 0 ] && [ -f "$(dirname "$2")/l2tpd-ha_${version}_amd64.deb" ]; then
		verdict "$1" 0 "l2tpd-ha_${version}_amd64.deb in $secs s"
		return 0
	fi
	tail -n 20 "$logs/$1.log" >&2
	verdict "$1" 1 "dpkg-buildpackage failed (exit $rc), see $logs/$1.log"
	return 1
}

# 1. from a `make dist` tarball; 2. from the source tree as committed
dist=$work/dist/l2tpd-ha-$version tree=$work/tree/l2tpd-ha
mkdir -p "$work/dist" "$tree"
if (cd "$build" && make dist) >"$logs/dist.log" 2>&1 && tar -xzf "$build/l2tpd-ha-$version.tar.gz" -C "$work/dist"; then
	build_deb deb_dist "$dist"
else
	dist=
fi
if git -C "$top" archive HEAD | tar -x -C "$tree"; then
	build_deb deb_tree "$tree"
else
	tree=
fi
wait
if [ -z "$dist" ]; then
	verdict deb_dist 1 "make dist failed, see $logs/dist.log"
elif built deb_dist "$dist"; then
	deb="$work/dist/l2tpd-ha_${version}_amd64.deb"
fi
if [ -z "$tree" ]; then
	verdict deb_tree 1 "git archive failed"
elif built deb_tree "$tree" && [ -z "$deb" ]; then
	deb="$work/tree/l2tpd-ha_${version}_amd64.deb"
fi
if [ -z "$deb" ]; then
	echo "$passed passed, $((failed + 1)) failed"
	exit 1
fi

# 3. lintian: no error; everything it says is printed
chmod 0755 "$work" "$(dirname "$deb")"
out=$(runuser -u nobody -- lintian -I --pedantic "$deb" 2>&1)
rc=$?
printf '%s\n' "$out" | tee "$logs/lintian.log" | sed 's/^/   lintian: /' >&2
if [ "$rc" = 0 ] && ! printf '%s\n' "$out" | grep -q '^E: '; then
	verdict lintian 0 "$(printf '%s\n' "$out" | grep -c '^[EWIP]: ') tags, no error"
else
	verdict lintian 1 "$(printf '%s\n' "$out" | grep '^E: ' | head -n 3 | tr '\n' ' ')"
fi

# 4. contents
missing=
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$work/files"
for f in /usr/sbin/l2tpd /usr/bin/l2tpctl /usr/share/man/man8/l2tpd.8.gz /usr/share/man/man8/l2tpctl.8.gz \
	/usr/share/man/man5/l2tpd.conf.5.gz /etc/l2tpd/l2tpd.conf /usr/share/l2tpd-ha/dictionary.cisco \
	/usr/share/doc/l2tpd-ha/examples/keepalived.conf /usr/share/doc/l2tpd-ha/examples/l2tpd-notify.sh \
	/usr/share/doc/l2tpd-ha/examples/grafana-dashboard.json /usr/share/doc/l2tpd-ha/examples/lns-pair-a.conf \
	/usr/share/bash-completion/completions/l2tpctl /lib/systemd/system/l2tpd.service \
	/usr/lib/sysctl.d/60-l2tpd-ha.conf /usr/lib/modules-load.d/l2tpd-ha.conf /lib/udev/rules.d/60-l2tpd-ha.rules; do
	grep -qx "$f" "$work/files" || missing="$missing $f"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles 2>/dev/null | grep -qx /etc/l2tpd/l2tpd.conf || missing="$missing conffile"
verdict contents "$([ -z "$missing" ] && echo 0 || echo 1)" "${missing:+missing:$missing}"

# 5. install
if dpkg -i "$deb" >"$logs/install.log" 2>&1; then
	installed=1
	why=
	getent passwd l2tpd >/dev/null || why="no user l2tpd"
	[ "$(stat -c '%U:%G %a' /etc/l2tpd)" = "l2tpd:l2tpd 750" ] || why="$why /etc/l2tpd is $(stat -c '%U:%G %a' /etc/l2tpd)"
	[ "$(stat -c '%U:%G %a' /etc/l2tpd/l2tpd.conf)" = "l2tpd:l2tpd 640" ] ||
		why="$why l2tpd.conf is $(stat -c '%U:%G %a' /etc/l2tpd/l2tpd.conf)"
	grep -vq '^!' /etc/l2tpd/l2tpd.conf && why="$why an uncommented line in the conffile"
	verdict install "$([ -z "$why" ] && echo 0 || echo 1)" "$why"
else
	tail -n 20 "$logs/install.log" >&2
	verdict install 1 "dpkg -i failed, see $logs/install.log"
	echo "$passed passed, $failed failed"
	exit 1
fi

# 6. the unit, offline (PID 1 need not be systemd)
unit=/lib/systemd/system/l2tpd.service
if systemd-analyze verify "$unit" >"$logs/verify.log" 2>&1 && ! grep -q 'l2tpd.service' "$logs/verify.log"; then
	sec=$(systemd-analyze security --offline=yes "$unit" 2>&1)
	printf '%s\n' "$sec" >"$logs/security.log"
	score=$(printf '%s\n' "$sec" | sed -n 's/.*Overall exposure level for l2tpd.service: \([0-9.]*\).*/\1/p')
	if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 3.0) }'; then
		verdict unit 0 "systemd-analyze verify clean; security exposure $score"
	else
		verdict unit 1 "security exposure '${score:-?}' above 3.0 (see $logs/security.log)"
	fi
else
	verdict unit 1 "systemd-analyze verify: $(grep l2tpd "$logs/verify.log" | head -n 3 | tr '\n' ' ')"
fi

# 7. bash completion, from the daemon's table
comp=$(bash -c '. /usr/share/bash-completion/completions/l2tpctl
	COMP_WORDS=(l2tpctl show l2tp ""); COMP_CWORD=3; _l2tpctl; echo "${COMPREPLY[*]}"
	COMP_WORDS=(l2tpctl -s /x redundancy state ""); COMP_CWORD=5; _l2tpctl; echo "${COMPREPLY[*]}"' 2>&1)
why=
for w in tunnel session redundancy statistics security "backup fault master"; do
	grep -qw -- "$w" <<<"$comp" || why="$why $w"
done
verdict completion "$([ -z "$why" ] && echo 0 || echo 1)" \
	"${why:+missing:$why; offered: $(printf '%s' "$comp" | tr '\n' '|')}"

# 7b. the examples of the pair parse (keys from l2tpctl redundancy keygen)
keys() { /usr/bin/l2tpctl redundancy keygen | sed -n "s/.*public-key \([^ ]*\) secret-key \([^ ]*\) peer-key.*/\1 \2/p"; }
read -r pa sa < <(keys)
read -r pb sb < <(keys)
why=
for box in a b; do
	if [ $box = a ]; then set -- "$pa" "$sa" "$pb"; else set -- "$pb" "$sb" "$pa"; fi
	# Z85 keys hold & and |: no sed
	python3 -c 'import sys; s = open(sys.argv[1]).read()
for k, v in zip(("THIS-BOX-PUBLIC-KEY", "THIS-BOX-SECRET-KEY", "OTHER-BOX-PUBLIC-KEY"), sys.argv[2:]):
    s = s.replace(k, v)
sys.stdout.write(s)' /usr/share/doc/l2tpd-ha/examples/lns-pair-$box.conf "$@" >"$work/pair-$box.conf"
	# the configuration loads; starting fails later (192.0.2.x is not this host's)
	out=$(timeout 5 /usr/sbin/l2tpd -f -c "$work/pair-$box.conf" -s "$work/pair-$box.sock" -d null 2>&1)
	if printf '%s' "$out" | grep -q "pair-$box.conf: line "; then
		why="$why lns-pair-$box.conf: $(printf '%s' "$out" | grep ': line ' | head -n 1)"
	fi
done
sh -n /usr/share/doc/l2tpd-ha/examples/l2tpd-notify.sh || why="$why l2tpd-notify.sh"
jq -e '.panels | length > 0' /usr/share/doc/l2tpd-ha/examples/grafana-dashboard.json >/dev/null || why="$why grafana"
verdict examples "$([ -z "$why" ] && echo 0 || echo 1)" "$why"

# 8. the installed daemon as l2tpd through a scenario
rc=0
out=$(L2TPD=$top/tests/package/l2tpd-as-user.sh L2TPCTL=/usr/bin/l2tpctl L2T_LOGDIR=$logs \
	timeout -k 30 600 bash "$top/tests/package/t_installed.sh" 2>"$logs/t_installed.stderr") || rc=$?
v=$(printf '%s\n' "$out" | grep -E '^(PASS|FAIL) ' | tail -n 1)
if [ "$rc" = 0 ] && [ "${v%% *}" = PASS ]; then
	verdict t_installed 0
else
	tail -n 30 "$logs/t_installed.stderr" >&2
	verdict t_installed 1 "${v:-exit $rc}"
fi

# 9. remove
if dpkg --purge l2tpd-ha >"$logs/remove.log" 2>&1; then
	installed=0
	left=
	for f in /usr/sbin/l2tpd /usr/bin/l2tpctl /etc/l2tpd /lib/systemd/system/l2tpd.service; do
		[ -e "$f" ] && left="$left $f"
	done
	verdict remove "$([ -z "$left" ] && echo 0 || echo 1)" "${left:+left behind:$left}"
else
	verdict remove 1 "dpkg --purge failed, see $logs/remove.log"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
