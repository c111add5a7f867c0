#!/bin/bash
# Our LNS on the kernel data path as the package runs it: the user l2tpd
# with only CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE (ambient, as
# the systemd unit gives them; tests/package/l2tpd-as-user.sh starts it),
# against xl2tpd + pppd subscribers: kernel tunnels and sessions, pppN
# created and addressed, pings both ways, teardown leaving nothing.
# First the facts of /dev/ppp on a Debian kernel, measured:
#   - the node devtmpfs makes: its mode and owner (printed);
#   - opening it needs CAP_NET_ADMIN even when the mode lets the user in
#     (ppp_generic's open checks it): refused without, allowed with;
#   - PPPIOCNEWUNIT on it needs nothing more (a unit is made);
# then /dev/ppp is given to the group l2tpd, 0660, as the package's udev
# rule does.
# shellcheck disable=SC2317 # predicates called through it_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_least_privilege
it_require_cmd ip ping xl2tpd pppd jq setpriv curl promtool
kt_require_modules l2tp_ppp ppp_generic pppox
kt_require_pppol2tp

N=${KT_LP_N:-3}
LNS_PPP=10.200.255.254
PY=/usr/bin/python3
[ -x "$PY" ] || it_fail "$PY is missing"
# The guest's /etc is an overlay: the user is made here if the host has none.
getent passwd l2tpd >/dev/null ||
	useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin l2tpd ||
	it_fail "cannot make the user l2tpd"
[ -c /dev/ppp ] || it_fail "no /dev/ppp"
devppp=$(stat -c '%a %U:%G' /dev/ppp)
it_say "/dev/ppp as the kernel makes it: mode $devppp"

# ppp_probe [SETPRIV ARGS]: as l2tpd, open /dev/ppp and ask for a unit;
# prints "open ok unit N", or "open <errno name>".
ppp_probe() {
	setpriv --reuid=l2tpd --regid=l2tpd --init-groups "$@" "$PY" -c '
import errno, fcntl, os, struct
try:
    fd = os.open("/dev/ppp", os.O_RDWR)
except OSError as e:
    print("open", errno.errorcode[e.errno]); raise SystemExit
u = fcntl.ioctl(fd, 0xc004743e, struct.pack("i", -1))   # PPPIOCNEWUNIT
print("open ok unit", struct.unpack("i", u)[0])
os.close(fd)'
}
chmod 0666 /dev/ppp
without=$(ppp_probe)
with=$(ppp_probe --inh-caps=+net_admin --ambient-caps=+net_admin)
it_say "as l2tpd, /dev/ppp 0666: without capabilities: $without; with CAP_NET_ADMIN: $with"
[ "$without" = "open EPERM" ] || it_fail "opening /dev/ppp without CAP_NET_ADMIN: $without (expected EPERM)"
case $with in "open ok unit "*) ;; *) it_fail "with CAP_NET_ADMIN: $with" ;; esac
# what the package's udev rule does
chgrp l2tpd /dev/ppp
chmod 0660 /dev/ppp

# The daemon's socket goes in the scenario's directory.
chgrp l2tpd "$IT_DIR"
chmod 0770 "$IT_DIR"
export L2TPD_BIN=$L2TPD
L2TPD=$(cd "$(dirname "$0")/../package" && pwd)/l2tpd-as-user.sh
it_two_hosts
it_l2tpd lns "$NS_LNS" "$(it_conf_head lns
it_conf_template "$LNS_PPP" "chap pap" " mtu 1400"
it_conf_dialin 1 " l2tp tunnel hello 60"
it_conf_users "$N"
echo "metrics listen $IT_LNS_ADDR port 9101")"
st=$(cat "/proc/${IT_DPID[lns]}/status")
eff=$(printf '%s\n' "$st" | awk '/^CapEff:/ { print $2 }')
uid=$(printf '%s\n' "$st" | awk '/^Uid:/ { print $2 }')
[ "$eff" = 0000000000003400 ] || it_fail "CapEff $eff, not the three capabilities (0000000000003400)"
[ "$uid" = "$(id -u l2tpd)" ] || it_fail "uid $uid, not l2tpd's"
it_say "l2tpd runs as uid $uid with CapEff $eff"

for ((i = 1; i <= N; i++)); do
	kt_subscriber "$i" "sub$i" "pw$i" chap "$IT_LNS_ADDR"
done
kt_subscribers_start "$NS_LAC" $(seq 1 "$N")
lac_up() { [ "$(kt_ppp_pairs "$NS_LAC" | wc -l)" = "$N" ]; }
lns_up() { [ "$(it_ppp_up lns)" = "$N" ]; }
it_wait 60 lac_up || it_fail "$(kt_ppp_pairs "$NS_LAC" | wc -l) of $N subscribers addressed; LNS: $(it_ppp_up lns) PPP up; $(tail -n 3 "$IT_DIR/lns.log" | tr '\n' ' ')"
it_wait 10 lns_up || it_fail "the LNS shows $(it_ppp_up lns) of $N sessions with PPP up"
[ "$(kt_ppp_ifaces "$NS_LNS" | wc -l)" = "$N" ] || it_fail "the LNS has $(kt_ppp_ifaces "$NS_LNS" | wc -l) ppp interfaces, not $N"
[ "$(kt_l2tp_count "$NS_LNS" session)" = "$N" ] || it_fail "the kernel has $(kt_l2tp_count "$NS_LNS" session) sessions, not $N"
while read -r ifc _ peer; do
	kt_ping "$NS_LNS" "$peer" 2 || it_fail "no ping from the LNS to $peer over $ifc"
	ip netns exec "$NS_LAC" ping -n -q -c 2 -i 0.2 -W 2 -I "$peer" "$LNS_PPP" >>"$IT_DIR/ping.log" 2>&1 ||
		it_fail "no ping from subscriber $peer to the LNS"
done < <(kt_ppp_pairs "$NS_LNS")
it_say "$N sessions on pppN as l2tpd: pings both ways"

# /metrics with traffic: promtool, and the data-path totals between two
# reads of the kernel's per-session counters (the pings are over)
# sum_counters KEY: the sum over the sessions; fails when one has none.
sum_counters() {
	it_json lns show l2tp session detail |
		jq -e "[$IT_JQ_ROWS | .counters.$1] | if length == 0 or any(. == null) then error(\"no counters\") else add end"
}
lo_rx=$(sum_counters rx_packets) || it_fail "sessions without kernel counters"
lo_tx=$(sum_counters tx_bytes) || it_fail "sessions without kernel counters"
ip netns exec "$NS_LAC" curl -sf -o "$IT_DIR/metrics.txt" "http://$IT_LNS_ADDR:9101/metrics" || it_fail "no /metrics"
hi_rx=$(sum_counters rx_packets) || it_fail "sessions without kernel counters"
hi_tx=$(sum_counters tx_bytes) || it_fail "sessions without kernel counters"
promtool check metrics <"$IT_DIR/metrics.txt" >"$IT_DIR/promtool.txt" 2>&1 ||
	it_fail "promtool: $(head -n 3 "$IT_DIR/promtool.txt" | tr '\n' ' ')"
m_rx=$(awk '$1 == "l2tpd_dataplane_packets_total{direction=\"received\"}" { print $2 }' "$IT_DIR/metrics.txt")
m_tx=$(awk '$1 == "l2tpd_dataplane_bytes_total{direction=\"sent\"}" { print $2 }' "$IT_DIR/metrics.txt")
if [ -z "$m_rx" ] || [ -z "$m_tx" ]; then
	it_fail "no data-path totals in /metrics"
fi
if [ "$m_rx" -lt "$lo_rx" ] || [ "$m_rx" -gt "$hi_rx" ] || [ "$m_tx" -lt "$lo_tx" ] || [ "$m_tx" -gt "$hi_tx" ]; then
	it_fail "data path: metrics rx $m_rx packets, tx $m_tx bytes; sessions rx $lo_rx..$hi_rx, tx $lo_tx..$hi_tx"
fi
[ "$m_rx" -ge $((4 * N)) ] || it_fail "data path: only $m_rx packets received on $N sessions"
it_say "/metrics: promtool passes; data path $m_rx packets in, $m_tx bytes out, as the sessions' kernel counters"

for id in $(it_json lns show l2tp tunnel | jq -r "$IT_JQ_ROWS | .local_tunnel_id"); do
	it_ctl lns clear l2tp tunnel id "$id" >/dev/null || it_fail "clear l2tp tunnel id $id refused"
done
it_wait 20 kt_no_ppp "$NS_LNS" || it_fail "ppp interfaces left: $(kt_ppp_ifaces "$NS_LNS" | tr '\n' ' ')"
it_wait 10 kt_no_l2tp "$NS_LNS" || it_fail "kernel L2TP state left"
it_alive lns || it_fail "l2tpd died"
it_pass
