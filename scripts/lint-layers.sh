#!/bin/bash
# The layering rules of the tree (README, "Layout"), checked on the
# #include lines of every C file:
#   core/         (l2tpd/core) includes nothing of the daemon's other rooms:
#                 it depends on nothing above it
#   ppp/          includes only ppp/ and core/
#   l2tp/         includes nothing from ha/, aaa/, cli/, pppoe/
#   pppoe/        (the access side) includes nothing from ha/, aaa/, cli/;
#                 l2tp/ includes nothing of it (the LAC's calls go one way)
#   aaa/, ha/     include nothing from cli/
#   metrics/      (the Prometheus endpoint) includes nothing from cli/
#   service/      (sd_notify, privileges) includes only service/, core/
#   kernel_glue/, haproto/  include nothing from l2tpd/ (they get what they
#                 need injected: a clock callback) and may use common/
#   common/       (the ID map, ARRAY_SIZE) includes nothing but common/;
#                 every room may include it
#   cli/          the command engine and every command file; nothing
#                 outside cli/ (but l2tpd.c and main.c, which start it)
#                 includes a cli/ header
# Includes name their folder ("l2tp/tunnel.h"); a bare "tunnel.h" is an
# error too, so a crossing cannot hide behind an include path.
# Usage: scripts/lint-layers.sh [SOURCE_ROOT]; prints each crossing as
# FILE:LINE: RULE and exits 1 if there is any.
set -uo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2

# room FILE: the room of a source file ("" for files under no rule).
room() {
	case $1 in
	l2tpd/core/*) echo core ;;
	l2tpd/ppp/*) echo ppp ;;
	l2tpd/pppoe/*) echo pppoe ;;
	l2tpd/l2tp/*) echo l2tp ;;
	l2tpd/aaa/*) echo aaa ;;
	l2tpd/ha/*) echo ha ;;
	l2tpd/cli/*) echo cli ;;
	l2tpd/metrics/*) echo metrics ;;
	l2tpd/service/*) echo service ;;
	l2tpd/l2tpd.c | l2tpd/main.c) echo top ;;
	l2tpd/*) echo daemon ;;
	kernel_glue/*) echo kernel_glue ;;
	haproto/*) echo haproto ;;
	common/*) echo common ;;
	*) echo "" ;;
	esac
}

# target INCLUDE: the room an include names.
target() {
	case $1 in
	core/*) echo core ;;
	ppp/*) echo ppp ;;
	pppoe/*) echo pppoe ;;
	l2tp/*) echo l2tp ;;
	aaa/*) echo aaa ;;
	ha/*) echo ha ;;
	cli/*) echo cli ;;
	metrics/*) echo metrics ;;
	service/*) echo service ;;
	kernel_glue/*) echo kernel_glue ;;
	haproto/*) echo haproto ;;
	common/*) echo common ;;
	l2tpd.h) echo daemon ;;
	*/*) echo other ;;
	*) echo bare ;;
	esac
}

# allowed FROM TO: 0 when room FROM may include room TO.
allowed() {
	local from=$1 to=$2
	[ "$to" = bare ] && return 1
	[ "$from" = "$to" ] && return 0
	[ "$from" != common ] && [ "$to" = common ] && return 0
	case $from in
	core | common) return 1 ;;
	ppp) [ "$to" = core ] ;;
	l2tp) case $to in ha | aaa | cli | pppoe) return 1 ;; esac ;;
	pppoe) case $to in ha | aaa | cli) return 1 ;; esac ;;
	aaa | ha | daemon | metrics) [ "$to" != cli ] ;;
	service) [ "$to" = core ] ;;
	kernel_glue | haproto) [ "$to" = kernel_glue ] || [ "$to" = haproto ] || [ "$to" = other ] ;;
	*) return 0 ;;
	esac
}

bad=0
while IFS= read -r f; do
	from=$(room "$f")
	[ -n "$from" ] || continue
	while IFS=: read -r line inc; do
		to=$(target "$inc")
		if ! allowed "$from" "$to"; then
			if [ "$to" = bare ]; then
				echo "$f:$line: includes \"$inc\" without its folder"
			else
				echo "$f:$line: $from/ may not include $to/ (\"$inc\")"
			fi
			bad=1
		fi
	done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | sed -E 's/^([0-9]+):[^"]*"([^"]*)".*/\1:\2/')
done < <(find l2tpd kernel_glue haproto common -name '*.[ch]' ! -name '*.pb-c.*' | sort)
exit "$bad"
