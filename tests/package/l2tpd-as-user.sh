#!/bin/bash
# The installed l2tpd as the package runs it: the user l2tpd with only
# CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE.  Two ways, as an
# operator can start it:
#   - like the systemd unit (User=l2tpd, AmbientCapabilities=,
#     CapabilityBoundingSet=, NoNewPrivileges=): setpriv starts it so;
#   - by hand as root with `-u l2tpd`: the daemon drops its privileges
#     itself (libcap-ng), for the daemons whose configuration file is
#     named in L2T_PKG_DROP (basenames without .conf, e.g. "b").
# The integration library runs it as L2TPD (tests/package/t_installed.sh).
set -euo pipefail
L2TPD_BIN=${L2TPD_BIN:-/usr/sbin/l2tpd}
CAPS=+net_admin,+net_raw,+net_bind_service

conf=
prev=
for a in "$@"; do
	[ "$prev" = -c ] && conf=$a
	prev=$a
done
name=$(basename "$conf" .conf)
for n in ${L2T_PKG_DROP:-}; do
	if [ "$n" = "$name" ]; then
		exec "$L2TPD_BIN" -u l2tpd "$@"
	fi
done
exec setpriv --reuid=l2tpd --regid=l2tpd --init-groups --inh-caps="$CAPS" \
	--ambient-caps="$CAPS" --bounding-set=-all,"$CAPS" --no-new-privs \
	"$L2TPD_BIN" "$@"
