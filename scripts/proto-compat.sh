#!/bin/bash
# The checkpoint schema of the tree against the previous release's: a
# standby and an active one release apart must decode each other's records
# (the rolling upgrade, l2tpd(8)).
#   proto-compat.sh            haproto/checkpoint.proto of the work tree
#                              against the last release in RELEASES
#   proto-compat.sh OLD NEW    two .proto files
#   proto-compat.sh --self-test   the check fails on planted incompatible
#                              changes (renumbered, retyped, reused number,
#                              removed record kind, renamed enum value) and
#                              passes on the file itself
# Descriptor sets come from protoc-c (protoc's front end), the comparison
# from scripts/proto-compat.py (Debian's python3-protobuf).  Exit 0:
# compatible; 1: not; 2: cannot check.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# desc PROTO OUT: the descriptor set of one .proto file.
desc() {
	mkdir -p "$tmp/d$$"
	cp "$1" "$tmp/d$$/checkpoint.proto"
	protoc-c --descriptor_set_out="$2" -I"$tmp/d$$" "$tmp/d$$/checkpoint.proto"
	rm -rf "$tmp/d$$"
}

# compare OLD NEW: the verdict of proto-compat.py on two .proto files.
compare() {
	desc "$1" "$tmp/old.desc" && desc "$2" "$tmp/new.desc" || return 2
	"$py" "$top/scripts/proto-compat.py" "$tmp/old.desc" "$tmp/new.desc"
}

# previous: the .proto of the last release in RELEASES, into $tmp/prev.proto.
previous() {
	local ver rev
	read -r ver rev < <(grep -v '^#' "$top/RELEASES" | tail -n 1)
	if ! git -C "$top" cat-file -e "$rev^{commit}" 2>/dev/null; then
		echo "proto-compat: release $ver ($rev) is not in this clone's history" >&2
		return 2
	fi
	git -C "$top" show "$rev:haproto/checkpoint.proto" >"$tmp/prev.proto"
	echo "proto-compat: haproto/checkpoint.proto against release $ver (${rev:0:12})"
}

# plant NAME PERL: a copy of the tree's .proto with one change; the check
# must call it incompatible.
plant() {
	local name=$1 out=$tmp/planted.proto rc=0
	perl -0pe "$2" "$top/haproto/checkpoint.proto" >"$out"
	if cmp -s "$out" "$top/haproto/checkpoint.proto"; then
		echo "self-test: $name: the change did not apply"
		return 1
	fi
	compare "$top/haproto/checkpoint.proto" "$out" >"$tmp/out" || rc=$?
	if [ "$rc" = 1 ] && grep -q '^INCOMPATIBLE' "$tmp/out"; then
		echo "self-test: $name: refused ($(grep -m1 '^INCOMPATIBLE' "$tmp/out"))"
		return 0
	fi
	echo "self-test: $name: NOT refused (exit $rc)"
	cat "$tmp/out"
	return 1
}

self_test() {
	local fails=0
	compare "$top/haproto/checkpoint.proto" "$top/haproto/checkpoint.proto" >"$tmp/out" || {
		echo "self-test: the file against itself is refused"
		cat "$tmp/out"
		fails=$((fails + 1))
	}
	plant renumbered 's/uint32 peer_tid = 2;/uint32 peer_tid = 99;/' || fails=$((fails + 1))
	plant retyped 's/uint32 peer_tid = 2;/uint64 peer_tid = 2;/' || fails=$((fails + 1))
	plant reused-number 's/uint32 peer_tid = 2;/bytes peer_name_x = 2;/' || fails=$((fails + 1))
	plant removed-record-kind 's/\nmessage Delete \{.*?\n\}\n/\n/s; s/\n\t\tDelete [a-z_]+ = [0-9]+;[^\n]*//' || fails=$((fails + 1))
	# shellcheck disable=SC2016 # ${1} is perl's
	plant enum-renumbered 's/(enum Kind \{\n(?:[^\n]*\n)*?\t\t[A-Z_]+ = )1;/${1}77;/' || fails=$((fails + 1))
	[ "$fails" = 0 ]
}

case "${1:-}" in
--self-test)
	self_test
	;;
"")
	previous || exit 2
	compare "$tmp/prev.proto" "$top/haproto/checkpoint.proto"
	;;
*)
	[ "$#" = 2 ] || { echo "usage: proto-compat.sh [OLD.proto NEW.proto | --self-test]" >&2; exit 2; }
	compare "$1" "$2"
	;;
esac
