#!/bin/bash
# The HA harness itself, without our daemon: keepalived in two box
# namespaces on a bridge moves the VIP and runs the notify scripts.  a comes
# up master (priority 150), b backup; box a fails (link down, processes
# killed) and b takes the VIP; a comes back as backup and, nopreempt, leaves
# the VIP where it is; a keepalived restart on b (the switchover the HA
# scenarios use; its notify_stop runs) hands it back to a.  The peer reaches the VIP on the new
# master's MAC after every move
# (keepalived's gratuitous ARP: the peer's neighbour cache is not flushed).
set -euo pipefail
. "$(dirname "$0")/ha_lib.sh"
ha_init ha_vrrp
HA_NOTIFY_STUB=1
ha_topology


t0=$(it_now)
ha_ka_start a
it_wait 10 ha_has_vip a || it_fail "a did not take the VIP within 10 s"
it_wait 5 ha_notified a MASTER || it_fail "no MASTER notify on a"
it_say "a master $(it_elapsed "$t0") s after keepalived start"
ha_ka_start b
it_wait 10 ha_notified b BACKUP || it_fail "no BACKUP notify on b"
[ "$(ha_vip_owner)" = a ] || it_fail "VIP owner is '$(ha_vip_owner)', not a"
it_wait 5 ha_peer_resolves "$IT_HA_VIP" a || it_fail "the peer does not reach the VIP on a"

# Box a fails.
t0=$(it_now)
ha_kill_box a
it_wait 5 ha_has_vip b || it_fail "b did not take the VIP within 5 s of a's failure"
took=$(it_elapsed "$t0")
it_wait 5 ha_notified b MASTER || it_fail "no MASTER notify on b"
it_say "box a failed: b owns the VIP after $took s, notified after $(it_elapsed "$t0") s"
it_wait 5 ha_peer_resolves "$IT_HA_VIP" b || it_fail "the peer does not reach the VIP on b"

# a comes back: backup, b keeps the VIP (nopreempt).
ip -n "${HA_NS[a]}" addr del "$IT_HA_VIP/24" dev eth0 2>/dev/null || true
ip -n "${HA_NS[a]}" link set eth0 up
na=$(ha_notify_count a BACKUP)
ha_ka_start a
it_wait 10 ha_notified a BACKUP $((na + 1)) || it_fail "revived a did not notify BACKUP"
sleep 1 # nopreempt: nothing may move during a few advert intervals
[ "$(ha_vip_owner)" = b ] || it_fail "VIP owner after a's return is '$(ha_vip_owner)', not b"

# Switchover: keepalived on b restarts; a takes the VIP, b comes back backup.
t0=$(it_now)
nb=$(ha_notify_count b BACKUP)
na=$(ha_notify_count a MASTER)
ha_ka_stop b
it_wait 5 ha_has_vip a || it_fail "a did not take the VIP after b's keepalived stopped"
it_say "keepalived on b stopped: a owns the VIP after $(it_elapsed "$t0") s"
ha_has_vip b && it_fail "stopped keepalived left the VIP on b"
ha_notified b STOP || it_fail "keepalived on b stopped without running notify_stop"
ha_ka_start b
it_wait 10 ha_notified b BACKUP $((nb + 1)) || it_fail "restarted b did not notify BACKUP"
it_wait 5 ha_notified a MASTER $((na + 1)) || it_fail "no MASTER notify on a"
it_wait 5 ha_peer_resolves "$IT_HA_VIP" a || it_fail "the peer does not reach the VIP on a"
[ "$(ha_vip_owner)" = a ] || it_fail "VIP owner is '$(ha_vip_owner)' after the switchover"
it_pass
