#!/bin/sh
# keepalived notify script for an l2tpd-ha pair: tells l2tpd the VRRP state
# of this box.  keepalived runs it as root (enable_script_security,
# script_user root in keepalived.conf) with: TYPE NAME STATE PRIORITY.
#   MASTER  -> this box becomes the active (a standby takes the tunnels over)
#   BACKUP  -> the standby (an active goes silent at once)
#   FAULT, STOP -> neither
# Install as /etc/keepalived/l2tpd-notify.sh, mode 0755.
SOCKET=/run/l2tpd/control

case "$3" in
MASTER) state=master ;;
BACKUP) state=backup ;;
FAULT | STOP) state=fault ;;
*) exit 0 ;;
esac

# keepalived may run this before l2tpd has its control socket (boot): wait
# a little rather than lose the state.
i=0
while [ ! -S "$SOCKET" ] && [ "$i" -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if ! l2tpctl -s "$SOCKET" redundancy state "$state"; then
	logger -t l2tpd-notify -p daemon.err "cannot tell l2tpd: redundancy state $state"
	exit 1
fi
logger -t l2tpd-notify -p daemon.notice "VRRP $2: $3 (priority $4): told l2tpd $state"
