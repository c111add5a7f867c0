#!/bin/bash
# Build the previous release (the last line of RELEASES) from this clone's
# history, for the rolling-upgrade scenario (tests/integration/t_ha_upgrade.sh):
#   build-release.sh [DIR]   (default build-prev/ at the top)
# DIR/src is `git archive` of the release's commit, DIR/build its build
# (configure --disable-tests: the daemon and l2tpctl only).  A build of the
# same commit is kept and reused.  Prints the daemon's path; exit 0 when it
# is there, 1 when the build failed (its log is DIR/build.log), 2 when the
# commit is not in the history.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build-prev}
read -r ver rev < <(grep -v '^#' "$top/RELEASES" | tail -n 1)
if ! git -C "$top" cat-file -e "$rev^{commit}" 2>/dev/null; then
	echo "build-release: release $ver ($rev) is not in this clone's history" >&2
	exit 2
fi
if [ -x "$dir/build/l2tpd/l2tpd" ] && [ "$(cat "$dir/rev" 2>/dev/null)" = "$rev" ]; then
	echo "$dir/build/l2tpd/l2tpd"
	exit 0
fi
rm -rf "$dir"
mkdir -p "$dir/src" "$dir/build"
git -C "$top" archive "$rev" | tar -x -C "$dir/src"
if ! {
	(cd "$dir/src" && autoreconf -fi) &&
		(cd "$dir/build" && ../src/configure --disable-tests) &&
		make -C "$dir/build" -j"${JOBS:-2}"
} >"$dir/build.log" 2>&1; then
	echo "build-release: the build of $ver failed, see $dir/build.log" >&2
	tail -n 20 "$dir/build.log" >&2
	exit 1
fi
echo "$rev" >"$dir/rev"
echo "$dir/build/l2tpd/l2tpd"
