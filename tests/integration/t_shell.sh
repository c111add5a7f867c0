#!/bin/bash
# The interactive shell of l2tpctl, driven through tmux (send-keys, then
# capture-pane): on an LNS named lns1, `l2tpctl -s SOCK` on a terminal
# shows the prompt `lns1#`; `?` lists the EXEC commands with their help
# from the daemon's table; Tab completes `sh` to `show` and, in
# configuration mode, `l2tp tunnel hel` to `hello`; `conf t` (`configure terminal`)
# enters `lns1(config)#`, a new vpdn-group `lns1(config-vpdn)#`, a line in
# it is applied, `end` comes back to `lns1#`; `show running-config` shows
# the group, `write memory` writes it to the file; the up arrow recalls
# the last line (history); Ctrl-C drops the line being typed and the shell
# goes on; abbreviated keywords (`sh vpdn`, `vpdn-g`) are taken and an
# ambiguous one refused; `exit` leaves with status 0.
# shellcheck disable=SC2317 # functions run by it_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init shell
it_require_l2tpd
it_require_cmd tmux ip
it_two_hosts

it_l2tpd lns "$NS_LNS" "$(it_conf_lns lns1 s3cret)"
CONF=$IT_DIR/lns.conf

# a tmux server of our own (its socket in IT_DIR), killed at the end
TMUX_SOCK=$IT_DIR/tmux.sock
tm() { tmux -S "$TMUX_SOCK" -f /dev/null "$@"; }
tm_stop() { tm kill-server 2>/dev/null || true; }
IT_CLEANUP_HOOKS+=(tm_stop)
tm new-session -d -s shell -x 160 -y 60 \
	"ip netns exec $NS_LNS $L2TPCTL -s $IT_DIR/lns.sock; echo SHELL-EXIT=\$?; sleep 60"

# screen: the pane with its scrollback; last: its last non-empty line
screen() { tm capture-pane -p -J -t shell -S -2000; }
last() { screen | sed -e 's/[[:space:]]*$//' | grep -v '^$' | tail -n 1; }
last_is() { [ "$(last)" = "$1" ]; }
screen_has() { screen | grep -Eq -- "$1"; }
keys() { tm send-keys -t shell "$@"; }
# text TEXT: typed as it is (not read as key names: `end` is the End key)
text() { tm send-keys -t shell -l "$1"; }
# typed LINE PROMPT: LINE and Enter, then wait for PROMPT on the last line
typed() {
	text "$1"
	keys Enter
	it_wait 5 last_is "$2" || it_fail "after '$1': the last line is '$(last)', not '$2': $(screen | tail -n 8)"
}

it_wait 5 last_is "lns1#" || it_fail "no lns1# prompt: $(screen | tail -n 5)"

# ? on an empty line: the EXEC commands with their help, the line kept
text '?'
it_wait 5 screen_has '^  show +' || it_fail "? did not list show: $(screen | tail -n 20)"
screen_has '^  configure +enter configuration mode' || it_fail "? did not list configure with its help"
screen_has '^  write +' || it_fail "? did not list write"
screen_has '^  help +lines' && it_fail "? listed a hidden command"
it_wait 5 last_is "lns1#" || it_fail "after ?: the last line is '$(last)'"
# ? after a word: what may follow it
text 'write ?'
it_wait 5 screen_has '^  memory +save the running configuration' ||
	it_fail "'write ?' did not offer memory: $(screen | tail -n 5)"
keys C-u

# Tab completes sh to show
text 'sh'
keys Tab
it_wait 5 last_is "lns1#show" || it_fail "Tab did not complete sh: '$(last)'"
keys C-u

# Ctrl-C drops the line typed so far, and the shell goes on (IOS)
text 'show vpd'
keys C-c
it_wait 5 last_is "lns1#" || it_fail "Ctrl-C: the last line is '$(last)', not a new prompt"
screen_has '^lns1#show vpd\^C$' || it_fail "Ctrl-C: the dropped line not shown: $(screen | tail -n 3)"
# abbreviated keywords, taken by the daemon (the dropped text is not sent with them)
typed "sh vpdn" "lns1#"
screen_has '^VPDN is enabled' || it_fail "sh vpdn after Ctrl-C: $(screen | tail -n 5)"
screen_has 'Invalid input' && it_fail "a line after Ctrl-C was refused: $(screen | tail -n 5)"

# configure terminal (`conf t`, the daemon expands it), a vpdn-group and a
# line in it (completed by Tab), end
typed "conf t" "lns1(config)#"
typed "vpdn-g SHELLTEST" "lns1(config-vpdn)#"
text 'l2tp tunnel hello 99'
keys C-c
it_wait 5 last_is "lns1(config-vpdn)#" || it_fail "Ctrl-C in config-vpdn: '$(last)'"
typed "l2tp tunnel re 5" "lns1(config-vpdn)#"
screen_has '^% Ambiguous command: "l2tp tunnel re 5"$' ||
	it_fail "an ambiguous abbreviation: $(screen | tail -n 3)"
text 'l2tp tunnel hel'
keys Tab
it_wait 5 last_is "lns1(config-vpdn)#l2tp tunnel hello" || it_fail "Tab in config-vpdn: '$(last)'"
typed "23" "lns1(config-vpdn)#"
typed "end" "lns1#"

# show running-config on the pane shows the group and its line
typed "show running-config" "lns1#"
screen_has '^vpdn-group SHELLTEST$' || it_fail "show running-config lacks the group: $(screen | tail -n 30)"
screen_has '^ l2tp tunnel hello 23$' || it_fail "show running-config lacks the group's line"

# write memory: the file now holds the group, the old one kept as .bak
grep -q 'SHELLTEST' "$CONF" && it_fail "the file has the group before write memory"
typed "write memory" "lns1#"
screen_has '^\[OK\] saved to ' || it_fail "write memory said: $(screen | tail -n 3)"
grep -q '^vpdn-group SHELLTEST$' "$CONF" || it_fail "write memory: the group is not in the file"
grep -q '^ l2tp tunnel hello 23$' "$CONF" || it_fail "write memory: the group's line is not in the file"
[ -f "$CONF.bak" ] || it_fail "write memory: no .bak"

# history: the up arrow brings back the last line
keys Up
it_wait 5 last_is "lns1#write memory" || it_fail "Up did not recall the last line: '$(last)'"
keys C-u

# exit leaves the shell with status 0
text "exit"
keys Enter
it_wait 5 screen_has '^SHELL-EXIT=0$' || it_fail "exit: $(screen | tail -n 3)"
it_check_healthy lns
it_pass
