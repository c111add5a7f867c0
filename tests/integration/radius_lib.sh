# shellcheck shell=bash
# shellcheck disable=SC2016,SC2034 # $x in single quotes are jq's; RAD_* paths are the scenarios'
# Helpers for the RADIUS scenarios (t_radius_*.sh): private FreeRADIUS 3.2
# servers (Debian `freeradius`) with a configuration generated per run, the
# parsing of their accounting `detail` files, radclient for RFC 5176
# Disconnect/CoA requests to our daemon, and a fake RADIUS server that
# answers badly.  Sources lib.sh; every it_* helper is available too.
#
# A server runs in a namespace of the scenario (usually the LNS's, on
# 127.0.0.1, so it is reachable from the daemon and private to the run):
#   rad_start NAME NS ADDR AUTH_PORT ACCT_PORT   (then $RAD_SECRET is its key)
# Its configuration is /etc/freeradius/3.0 copied to $IT_DIR/rad-NAME and
# trimmed: one virtual server (PAP, CHAP, MS-CHAPv2 against the users file,
# accounting to $IT_DIR/rad-NAME/detail and nothing else), one client
# (any address, key $RAD_SECRET, require_message_authenticator = yes unless
# RAD_REQUIRE_MA=no), a Message-Authenticator in every Access-Accept and
# Reject (unless RAD_REPLY_MA=no: 3.2.1 sends none by itself), no
# reject_delay, no EAP, no privilege drop (it runs as root, -f).
# Its output is $IT_DIR/rad-NAME.log; L2T_RADIUS_DEBUG=1 runs it with -X.
#
# Subscribers of the users file (password in parentheses):
#   alice (wonderland)   Accept, no reply attribute (Class "alice-class")
#   attr (attrpw)        Framed-IP-Address 10.201.0.77, Framed-MTU 1400,
#                        Framed-Route "10.202.0.0/24", Idle-Timeout 600,
#                        Class "gold-class"
#   pooled (poolpw)      Framed-Pool "RADPOOL"
#   short (shortpw)      Session-Timeout 4 (RAD_SHORT_TIMEOUT)
#   acct (acctpw)        Acct-Interim-Interval 5 (RAD_INTERIM), Class "acct-class"
#   ha7 (hapw)           Cisco-AVPair vpdn:l2tp-silent-switchover=1 and
#                        vpdn:l2tp-tunnel-resync-packet=7
#   ha0 / ha70k (hapw)   the same with resync-packet=0 / =70000 (out of range)
#   carol (radiuspw)     Accept; the LNS's local base has carol/localpw
#   mallory              Auth-Type := Reject
#   anyone, any other password: Reject (no such user, or wrong password)
# RAD_USERS_EXTRA: more lines appended to the users file.
#
# The contract: what the RADIUS scenarios read of the daemon, each one JSON
# key at one path (`l2tpctl --json`, jq paths).  rad_stat fails the
# scenario when its path holds no number (a renamed or moved key is a
# failure, never a 0), and an answer that is not valid JSON fails it too.
#   show radius statistics       rad_stat NAME PATH; the client's counters
#                                of every server summed, per kind (auth,
#                                acct), and the RFC 5176 server's:
#     RAD_ACCESS_REQUESTS  .client.auth.requests             Access-Requests sent
#     RAD_ACCEPTS          .client.auth.accepts              Access-Accepts taken
#     RAD_REJECTS          .client.auth.rejects              Access-Rejects taken
#     RAD_TIMEOUTS         .client.auth.timeouts             requests unanswered
#     RAD_BAD_AUTH         .client.auth.bad_authenticators   replies dropped: wrong
#                                                            Response Authenticator
#     RAD_BAD_MA           .client.auth.bad_message_authenticators    ... wrong
#                                                            Message-Authenticator
#     RAD_MISSING_MA       .client.auth.missing_message_authenticators ... none
#     RAD_MALFORMED        .client.auth.malformed            ... malformed
#     RAD_UNKNOWN_ATTRS    .client.auth.unknown_attributes   unknown attributes in
#                                                            replies
#     RAD_DAS_BAD_AUTH     .dynamic_author.bad_authenticators  Disconnect/CoA
#                                                            requests dropped: wrong
#                                                            Request Authenticator
#   show l2tp session            rows: .user, .ppp_up, .peer_ip, .tunnel_id,
#                                .local_session_id (rad_sess)
#   show l2tp session detail     the row of a user's session (rad_sess_attr):
#                                .aaa.acct_session_id, .aaa.acct_interim_interval,
#                                .aaa.session_timeout, .aaa.idle_timeout,
#                                .aaa.framed_mtu, .aaa.class (hex),
#                                .aaa.framed_routes (a list)
#   show l2tp statistics         .ppp_auth_failures (rad_auth_failures)
#   show l2tp redundancy all     .tunnels[]: .local_tunnel_id, .ha_enabled
#   show l2tp redundancy detail id T   .tunnels[]: .local_tunnel_id,
#                                .resync_window (rad_tunnel_ha)
#   help                         rad_has_command
#   logs                         "reject", "session T/S: RADIUS: Cisco-AVPair
#                                vpdn:l2tp-tunnel-resync-packet=N refused",
#                                "resync window N"
#   show aaa statistics          .attr_refused (reply attributes and AV-pairs
#                                refused as out of range: t_radius_avpair.sh)
# The detail files are read through rad_acct_* (Acct-Status-Type,
# Acct-Session-Id, Acct-{Input,Output}-{Octets,Packets,Gigawords},
# Acct-Session-Time, Acct-Terminate-Cause, Class, User-Name, Timestamp).

# shellcheck source=../integration/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RAD_SECRET=${RAD_SECRET:-radsecret}
RAD_DAS_SECRET=${RAD_DAS_SECRET:-dassecret}
RAD_SHORT_TIMEOUT=${RAD_SHORT_TIMEOUT:-4}
RAD_INTERIM=${RAD_INTERIM:-5}
RAD_SYS_PY=/usr/bin/python3	# the system python (not a pyenv shim)
declare -A RAD_PID=()		# server name -> pid
declare -A RAD_NS=()		# server name -> namespace
declare -A RAD_ADDR=()		# server name -> "addr auth_port acct_port"

# ---------------------------------------------------------------- the contract's paths

RAD_ACCESS_REQUESTS=.client.auth.requests
RAD_ACCEPTS=.client.auth.accepts
RAD_REJECTS=.client.auth.rejects
RAD_TIMEOUTS=.client.auth.timeouts
RAD_BAD_AUTH=.client.auth.bad_authenticators
RAD_BAD_MA=.client.auth.bad_message_authenticators
RAD_MISSING_MA=.client.auth.missing_message_authenticators
RAD_MALFORMED=.client.auth.malformed
RAD_UNKNOWN_ATTRS=.client.auth.unknown_attributes
RAD_DAS_BAD_AUTH=.dynamic_author.bad_authenticators

rad_init() {
	it_require_cmd jq ip awk
	[ -x /usr/sbin/freeradius ] || it_fail "missing /usr/sbin/freeradius (run scripts/install-deps.sh)"
	command -v radclient >/dev/null 2>&1 || it_fail "missing radclient (run scripts/install-deps.sh)"
	IT_CLEANUP_HOOKS+=(rad_cleanup)
}

# rad_cleanup (a cleanup hook): the servers go first.
rad_cleanup() {
	local n
	for n in "${!RAD_PID[@]}"; do
		kill -CONT "${RAD_PID[$n]}" 2>/dev/null
		kill -KILL "${RAD_PID[$n]}" 2>/dev/null
		wait "${RAD_PID[$n]}" 2>/dev/null
	done
}

# ---------------------------------------------------------------- configuration

rad_users() {
	cat <<-EOF
	mallory	Auth-Type := Reject
	 	Reply-Message = "go away"

	alice	Cleartext-Password := "wonderland"
	 	Class = "alice-class"

	attr	Cleartext-Password := "attrpw"
	 	Framed-IP-Address = 10.201.0.77,
	 	Framed-MTU = 1400,
	 	Framed-Route = "10.202.0.0/24",
	 	Idle-Timeout = 600,
	 	Class = "gold-class"

	pooled	Cleartext-Password := "poolpw"
	 	Framed-Pool = "RADPOOL"

	short	Cleartext-Password := "shortpw"
	 	Session-Timeout = $RAD_SHORT_TIMEOUT,
	 	Class = "short-class"

	acct	Cleartext-Password := "acctpw"
	 	Acct-Interim-Interval = $RAD_INTERIM,
	 	Class = "acct-class"

	ha7	Cleartext-Password := "hapw"
	 	Cisco-AVPair += "vpdn:l2tp-silent-switchover=1",
	 	Cisco-AVPair += "vpdn:l2tp-tunnel-resync-packet=7"

	ha0	Cleartext-Password := "hapw"
	 	Cisco-AVPair += "vpdn:l2tp-silent-switchover=1",
	 	Cisco-AVPair += "vpdn:l2tp-tunnel-resync-packet=0"

	ha70k	Cleartext-Password := "hapw"
	 	Cisco-AVPair += "vpdn:l2tp-silent-switchover=1",
	 	Cisco-AVPair += "vpdn:l2tp-tunnel-resync-packet=70000"

	carol	Cleartext-Password := "radiuspw"
	 	Class = "carol-class"

	${RAD_USERS_EXTRA:-}
	EOF
}

rad_site() {
	local addr=$1 auth=$2 acct=$3 dir=$4 ma=
	# FreeRADIUS 3.2.1 puts no Message-Authenticator in an Access-Accept
	# or Reject unless asked (3.2.5 does, after BlastRADIUS); our client
	# requires one.  RAD_REPLY_MA=no: the stock behaviour.
	if [ "${RAD_REPLY_MA:-yes}" = yes ]; then
		ma='update reply { Message-Authenticator := 0x00 }'
	fi
	cat <<-EOF
	server l2t {
		listen {
			type = auth
			ipaddr = $addr
			port = $auth
		}
		listen {
			type = acct
			ipaddr = $addr
			port = $acct
		}
		authorize {
			chap
			mschap
			files
			pap
		}
		authenticate {
			Auth-Type PAP {
				pap
			}
			Auth-Type CHAP {
				chap
			}
			Auth-Type MS-CHAP {
				mschap
			}
		}
		preacct {
			ok
		}
		accounting {
			rad_detail
			ok
		}
		post-auth {
			$ma
			Post-Auth-Type REJECT {
				$ma
				ok
			}
		}
	}
	EOF
	: "$dir"
}

# rad_mkconf NAME ADDR AUTH_PORT ACCT_PORT: the config dir $IT_DIR/rad-NAME.
rad_mkconf() {
	local name=$1 addr=$2 auth=$3 acct=$4 dir=$IT_DIR/rad-$1 m
	rm -rf "$dir"
	cp -a /etc/freeradius/3.0 "$dir" || it_fail "cannot copy /etc/freeradius/3.0"
	mkdir -p "$dir/log" "$dir/run" "$dir/acct"
	sed -i -E \
		-e "s|^raddbdir = .*|raddbdir = $dir|" \
		-e "s|^logdir = .*|logdir = $dir/log|" \
		-e "s|^radacctdir = .*|radacctdir = $dir/acct|" \
		-e "s|^run_dir = .*|run_dir = $dir/run|" \
		-e 's/^(\s*)(user|group) = freerad/\1# \2 = freerad/' \
		-e 's/^(\s*)reject_delay = .*/\1reject_delay = 0/' \
		"$dir/radiusd.conf"
	# Modules: only those the site uses.
	rm -f "$dir"/mods-enabled/*
	for m in always chap mschap pap files expr; do
		ln -s "../mods-available/$m" "$dir/mods-enabled/$m"
	done
	cat >"$dir/mods-enabled/rad_detail" <<-EOF
	detail rad_detail {
		filename = $dir/detail
		escape_filenames = no
		permissions = 0600
		header = "%t"
	}
	EOF
	rm -f "$dir"/sites-enabled/*
	rad_site "$addr" "$auth" "$acct" "$dir" >"$dir/sites-enabled/l2t"
	cat >"$dir/clients.conf" <<-EOF
	client l2t_any {
		ipaddr = 0.0.0.0/0
		secret = $RAD_SECRET
		require_message_authenticator = ${RAD_REQUIRE_MA:-yes}
		nas_type = other
	}
	EOF
	rad_users >"$dir/mods-config/files/authorize"
	: >"$dir/detail"
}

# rad_start NAME NS ADDR AUTH_PORT ACCT_PORT: start FreeRADIUS and wait
# until it is ready.
rad_start() {
	local name=$1 ns=$2 addr=$3 auth=$4 acct=$5 dir pid flags
	dir=$IT_DIR/rad-$name
	[ -d "$dir" ] || rad_mkconf "$name" "$addr" "$auth" "$acct"
	flags=(-f -l stdout)
	[ "${L2T_RADIUS_DEBUG:-0}" = 1 ] && flags=(-X)
	ip netns exec "$ns" /usr/sbin/freeradius "${flags[@]}" -d "$dir" -n radiusd \
		</dev/null >>"$IT_DIR/rad-$name.log" 2>&1 &
	pid=$!
	RAD_PID[$name]=$pid
	RAD_NS[$name]=$ns
	RAD_ADDR[$name]="$addr $auth $acct"
	if ! it_wait 15 rad_ready "$name"; then
		kill -0 "$pid" 2>/dev/null || it_fail "freeradius $name exited at start-up: $(tail -n 5 "$IT_DIR/rad-$name.log" | tr '\n' ' ')"
		it_fail "freeradius $name not ready within 15 s"
	fi
	it_log "freeradius $name pid $pid on $addr:$auth/$acct in $ns"
}

rad_ready() {
	kill -0 "${RAD_PID[$1]}" 2>/dev/null || return 1
	grep -q 'Ready to process requests' "$IT_DIR/rad-$1.log" 2>/dev/null
}

# rad_stop NAME: the server goes away (its ports answer ICMP unreachable).
rad_stop() {
	local pid=${RAD_PID[$1]:-}
	[ -n "$pid" ] || return 0
	kill -CONT "$pid" 2>/dev/null || true
	it_stop_pid "$pid" 5
	unset "RAD_PID[$1]"
	it_log "freeradius $1 stopped"
}

# rad_pause NAME / rad_resume NAME: the server is silent (requests time out)
# without going away.
rad_pause() { kill -STOP "${RAD_PID[$1]}"; }
rad_resume() { kill -CONT "${RAD_PID[$1]}"; }

# rad_restart NAME: stop and start again on the same ports (same detail file).
rad_restart() {
	local a
	read -r -a a <<<"${RAD_ADDR[$1]}"
	rad_stop "$1"
	# rad_ready reads the log: the earlier incarnation's goes aside
	mv "$IT_DIR/rad-$1.log" "$IT_DIR/rad-$1.$(date +%s%N).log" 2>/dev/null || true
	rad_start "$1" "${RAD_NS[$1]}" "${a[0]}" "${a[1]}" "${a[2]}"
}

# rad_conf_servers NAME...: `radius-server host` lines for these servers, in
# order, plus short timeouts so that a dead server costs little.
rad_conf_servers() {
	local n a
	for n in "$@"; do
		read -r -a a <<<"${RAD_ADDR[$n]}"
		printf 'radius-server host %s auth-port %s acct-port %s key %s\n' "${a[0]}" "${a[1]}" "${a[2]}" "$RAD_SECRET"
	done
	printf 'radius-server timeout %s\nradius-server retransmit %s\nradius-server deadtime %s\n' \
		"${RAD_TIMEOUT:-1}" "${RAD_RETRANSMIT:-1}" "${RAD_DEADTIME:-1}"
}

# rad_conf_aaa [METHODS]: the AAA lines; METHODS defaults to "group radius".
rad_conf_aaa() {
	cat <<-EOF
	aaa new-model
	aaa authentication ppp default ${1:-group radius}
	aaa accounting network default start-stop group radius
	EOF
}

# rad_conf_das PORT: our RFC 5176 server, for radclient from 127.0.0.1.
rad_conf_das() {
	cat <<-EOF
	aaa server radius dynamic-author
	 client 127.0.0.1 server-key $RAD_DAS_SECRET
	 port $1
	EOF
}

# rad_template METHOD: the users' side of an LNS: the local user
# carol/localpw, pools SUBS and RADPOOL, a Virtual-Template asking for
# METHOD (pap, chap, ms-chap-v2).
rad_template() {
	echo "username carol password localpw"
	it_conf_template 10.200.255.254 "$1"
	echo "ip local pool RADPOOL 10.203.0.1 10.203.0.254"
}

# rad_conf_lns METHOD EXTRA_GLOBAL: an LNS (lib.sh addresses) using
# Virtual-Template1 (rad_template METHOD), with EXTRA_GLOBAL lines
# (servers, aaa ...).
rad_conf_lns() {
	it_conf_lns lns1 s3cret "" 1
	printf '%s\n' "${2:-}"
	rad_template "$1"
}

# ---------------------------------------------------------------- radtest

# rad_radtest NAME USER PASS [pap|chap|mschap]: "accept", "reject" or
# "none" from FreeRADIUS itself (checks the server, not our daemon; mschap
# is MS-CHAPv1 as radclient computes it).
rad_radtest() {
	local a out pw
	read -r -a a <<<"${RAD_ADDR[$1]}"
	case ${4:-pap} in
	pap) pw=User-Password ;;
	chap) pw=CHAP-Password ;;
	mschap) pw=MS-CHAP-Password ;;
	esac
	out=$(printf 'User-Name = "%s"\n%s = "%s"\nMessage-Authenticator = 0x00\n' "$2" "$pw" "$3" |
		ip netns exec "${RAD_NS[$1]}" radclient -x -r 1 -t 1 "${a[0]}:${a[1]}" auth "$RAD_SECRET" 2>&1 || true)
	printf '%s\n' "$out" >>"$IT_DIR/radtest.out"
	case $out in
	*"Received Access-Accept"*) echo accept ;;
	*"Received Access-Reject"*) echo reject ;;
	*) echo none ;;
	esac
}

# ---------------------------------------------------------------- detail files

# rad_detail_json NAME: the accounting records FreeRADIUS NAME wrote, as a
# JSON array of objects {attribute: value}; string values unquoted, an
# attribute given twice becomes an array; "_time" is the record header.
rad_detail_json() {
	local f=$IT_DIR/rad-$1/detail
	[ -s "$f" ] || { echo '[]'; return 0; }
	awk '
	function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, "\\t", s); return s }
	function flush() {
		if (n) {
			out = "{"
			for (i = 1; i <= n; i++) {
				out = out (i > 1 ? "," : "") "\"" esc(k[i]) "\":"
				out = out (cnt[k[i]] > 1 ? "[" v[k[i]] "]" : v[k[i]])
			}
			print out "}"
		}
		n = 0; delete k; delete v; delete cnt
	}
	/^[^ \t]/ { flush(); n = 1; k[1] = "_time"; v["_time"] = "\"" esc($0) "\""; cnt["_time"] = 1; next }
	/^[ \t]+[A-Za-z0-9-]+ = / {
		line = $0; sub(/^[ \t]+/, "", line)
		key = line; sub(/ = .*/, "", key)
		val = line; sub(/^[^=]+= /, "", val)
		if (val ~ /^".*"$/) { val = substr(val, 2, length(val) - 2); gsub(/\\"/, "\"", val); gsub(/\\\\/, "\\", val) }
		j = "\"" esc(val) "\""
		if (key in cnt) { cnt[key]++; v[key] = v[key] "," j }
		else { k[++n] = key; v[key] = j; cnt[key] = 1 }
		next
	}
	/^[ \t]*$/ { flush() }
	END { flush() }' "$f" | jq -s .
}

# rad_acct NAME JQ_FILTER [ARGS...]: jq over the records of server NAME
# (ARGS are extra jq options, e.g. --arg id X).
rad_acct() {
	local name=$1 filter=$2
	shift 2
	rad_detail_json "$name" | jq "$@" "$filter"
}

# rad_acct_all NAMES: the records of several servers, sorted by time stamp.
rad_acct_all() {
	local n
	for n in "$@"; do
		rad_detail_json "$n"
	done | jq -s 'add | sort_by((.["Event-Timestamp"] // .Timestamp // "") | tostring)'
}

# rad_acct_count NAME STATUS [SESSION_ID]: records of this Acct-Status-Type
# (Start, Interim-Update, Stop), optionally of one Acct-Session-Id.
rad_acct_count() {
	rad_acct "$1" '[.[] | select(.["Acct-Status-Type"] == $t and ($id == "" or .["Acct-Session-Id"] == $id))] | length' \
		--arg t "$2" --arg id "${3:-}"
}

# rad_acct_count_ge NAME STATUS N [SESSION_ID]: for it_wait.
rad_acct_count_ge() {
	[ "$(rad_acct_count "$1" "$2" "${4:-}" 2>/dev/null || echo 0)" -ge "$3" ]
}

# rad_acct_ids NAME [USER]: the distinct Acct-Session-Ids (of USER), one a line.
rad_acct_ids() {
	rad_acct "$1" '[.[] | select($u == "" or .["User-Name"] == $u) | .["Acct-Session-Id"]] | unique | .[]' \
		-r --arg u "${2:-}"
}

# rad_acct_series NAME SESSION_ID: one line per record of the session, in
# order: "STATUS IN_OCTETS OUT_OCTETS IN_PACKETS OUT_PACKETS SESSION_TIME
# TERMINATE_CAUSE" (octets with their Gigawords; "-" where absent).
rad_acct_series() {
	rad_acct "$1" '.[] | select(.["Acct-Session-Id"] == $id)
		| def n(f): (f // "0" | tonumber);
		  def oct(o; g): (n(.[g]) * 4294967296 + n(.[o]));
		  "\(.["Acct-Status-Type"]) \(oct("Acct-Input-Octets"; "Acct-Input-Gigawords")) \(oct("Acct-Output-Octets"; "Acct-Output-Gigawords")) \(n(.["Acct-Input-Packets"])) \(n(.["Acct-Output-Packets"])) \(.["Acct-Session-Time"] // "-") \(.["Acct-Terminate-Cause"] // "-")"' \
		-r --arg id "$2"
}

# rad_series_check FILE: "" when the series (rad_acct_series lines) is one
# Start, then Interim-Updates, then at most one Stop, with counters that
# never go down; else what is wrong.
rad_series_check() {
	awk '
	NR == 1 && $1 != "Start" { print "first record is " $1 ", not Start"; bad = 1; exit }
	NR > 1 && $1 == "Start" { print "second Start at record " NR; bad = 1; exit }
	stopped { print "record " NR " (" $1 ") after the Stop"; bad = 1; exit }
	$1 == "Stop" { stopped = 1 }
	NR > 1 {
		for (i = 2; i <= 6; i++) {
			if ($i == "-" || p[i] == "-") continue
			if ($i + 0 < p[i] + 0) { printf "counter %d went down at record %d (%s -> %s)\n", i - 1, NR, p[i], $i; bad = 1; exit }
		}
	}
	{ for (i = 2; i <= 6; i++) p[i] = $i }' "$1"
}

# rad_hex STRING: FreeRADIUS writes octets attributes (Class) as 0x...
rad_hex() {
	printf '0x%s' "$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')"
}

# rad_class_is VALUE STRING: VALUE (the detail file, the daemon's session
# detail) is STRING, written as text, 0x hex or bare hex.
rad_class_is() {
	local h
	h=$(rad_hex "$2")
	[ "$1" = "$2" ] || [ "$1" = "$h" ] || [ "$1" = "${h#0x}" ]
}

# ---------------------------------------------------------------- the daemon

# rad_stat NAME PATH: the number at PATH (one of the contract's, above) of
# `show radius statistics`; fails the scenario when there is none.
rad_stat() {
	it_num "$1" "$2" show radius statistics
}

# rad_stat_gt NAME PATH N: for it_wait.
rad_stat_gt() { [ "$(rad_stat "$1" "$2")" -gt "$3" ]; }

# rad_stats_line NAME: the client's counters in one line, for messages
# ("?" where the contract's path holds nothing: a message never fails).
rad_stats_line() {
	local j
	j=$(it_json "$1" show radius statistics 2>/dev/null) || { printf '(no answer from %s)' "$1"; return 0; }
	printf '%s\n' "$j" | jq -r --arg ps "$RAD_ACCESS_REQUESTS $RAD_ACCEPTS $RAD_REJECTS $RAD_TIMEOUTS $RAD_BAD_AUTH $RAD_BAD_MA $RAD_MISSING_MA $RAD_MALFORMED $RAD_UNKNOWN_ATTRS" \
		'. as $r | [$ps | split(" ")[] | split(".")[1:] as $p
		  | "\($p[-1])=\($r | getpath($p) // "?")"] | join(" ")' 2>/dev/null || printf '(no answer from %s)' "$1"
}

# rad_has_command NAME WORDS...: the daemon's command table knows this line
# (`help` lists it).
rad_has_command() {
	local name=$1
	shift
	it_ctl "$name" help 2>/dev/null | grep -Fq -- "$*"
}

# rad_require_radius NAME: the daemon has the RADIUS commands; else fail
# with what is missing (the scenario cannot run).
rad_require_radius() {
	local out
	out=$(it_ctl "$1" show radius statistics 2>&1) ||
		it_fail "the daemon has no 'show radius statistics' (RADIUS support missing?): $(printf '%s' "$out" | head -c 200)"
}

# rad_sessions NAME: `show l2tp session` rows as a JSON array.
rad_sessions() {
	it_json "$1" show l2tp session | jq "[$IT_JQ_ROWS]"
}

# rad_sess NAME USER FIELD: FIELD of the (first) session of USER ("" if none).
rad_sess() {
	rad_sessions "$1" | jq -r --arg u "$2" --arg f "$3" \
		'[.[] | select(.user == $u)] | first | if . == null then empty else (.[$f] // empty) end'
}

# rad_sess_detail NAME: `show l2tp session detail` rows (JSON array).
rad_sess_detail() {
	it_json "$1" show l2tp session detail | jq "[$IT_JQ_ROWS]"
}

# rad_sess_attr NAME USER PATH: the value at PATH (".aaa.framed_mtu", a
# list as JSON text) of USER's (first) session in `show l2tp session
# detail`; 1 when USER has no session or the row nothing at PATH.
rad_sess_attr() {
	rad_sess_detail "$1" 2>/dev/null | jq -er --arg u "$2" \
		"[.[] | select(.user == \$u)] | first | $3 | select(. != null) | if type == \"string\" then . else tojson end"
}

# rad_user_up NAME USER [N]: N (default 1) sessions of USER with PPP up.
rad_user_up() {
	[ "$(rad_sessions "$1" 2>/dev/null | jq --arg u "$2" '[.[] | select(.user == $u and .ppp_up == true)] | length')" = "${3:-1}" ]
}

# rad_user_count NAME USER: sessions of USER in any state.
rad_user_count() {
	rad_sessions "$1" 2>/dev/null | jq --arg u "$2" '[.[] | select(.user == $u)] | length'
}
rad_user_gone() { [ "$(rad_user_count "$1" "$2")" = 0 ]; }

# rad_acct_id NAME USER: the Acct-Session-Id the daemon shows for USER.
rad_acct_id() {
	rad_sess_attr "$1" "$2" .aaa.acct_session_id
}

# rad_acct_ids_daemon NAME: every Acct-Session-Id the daemon shows, sorted.
rad_acct_ids_daemon() {
	rad_sess_detail "$1" | jq -r '.[] | .aaa.acct_session_id' | sort
}

# rad_dial NAME USER PASS [N]: the LAC NAME dials N (default 1) subscribers.
rad_dial() {
	it_ctl "$1" test vpdn dial vpdn-group LAC sessions "${4:-1}" username "$2" password "$3" \
		>>"$IT_DIR/dial.out" 2>&1
}

# rad_auth_failures NAME: the daemon's count of refused PPP authentications.
rad_auth_failures() {
	it_stat "$1" .ppp_auth_failures
}
rad_auth_failures_gt() { [ "$(rad_auth_failures "$1")" -gt "$2" ]; }

# rad_tunnel_ha NAME TID: "HA_ENABLED RESYNC_WINDOW" of tunnel TID: its row
# of `show l2tp redundancy all` (ha_enabled) and of `show l2tp redundancy
# detail id TID` (resync_window); fails the scenario when either is not
# there.
rad_tunnel_ha() {
	local ha win
	ha=$(it_json "$1" show l2tp redundancy all |
		jq -r --argjson t "$2" '.tunnels[] | select(.local_tunnel_id == $t) | .ha_enabled | booleans | tostring')
	[ -n "$ha" ] || it_fail "show l2tp redundancy all on $1 has no ha_enabled for tunnel $2"
	win=$(it_json "$1" show l2tp redundancy detail id "$2" |
		jq -e --argjson t "$2" '.tunnels[] | select(.local_tunnel_id == $t) | .resync_window | numbers') ||
		it_fail "show l2tp redundancy detail id $2 on $1 has no resync_window"
	printf '%s %s\n' "$ha" "$win"
}

# rad_tunnel_of NAME USER: the local tunnel id of USER's session.
rad_tunnel_of() {
	rad_sess "$1" "$2" tunnel_id
}

# ---------------------------------------------------------------- radclient (RFC 5176)

# rad_das NS ADDR:PORT TYPE SECRET ATTRS...: send a disconnect or coa
# request with radclient; prints "ACK", "NAK [Error-Cause]" or "NONE".
rad_das() {
	local ns=$1 dst=$2 type=$3 secret=$4 out ec
	shift 4
	out=$(printf '%s\n' "$@" | ip netns exec "$ns" radclient -x -r 1 -t 2 "$dst" "$type" "$secret" 2>&1 || true)
	printf -- '--- radclient %s %s: %s\n%s\n' "$type" "$dst" "$*" "$out" >>"$IT_DIR/radclient.out"
	case $out in
	*"Received Disconnect-ACK"* | *"Received CoA-ACK"*) echo ACK ;;
	*"Received Disconnect-NAK"* | *"Received CoA-NAK"*)
		ec=$(printf '%s\n' "$out" | awk -F' = ' '/Error-Cause/ {print $2; exit}')
		echo "NAK${ec:+ $ec}"
		;;
	*) echo NONE ;;
	esac
}

# ---------------------------------------------------------------- the fake server

# rad_fake_start NAME NS ADDR PORT MODE: a RADIUS server (python stdlib)
# that answers every Access-Request badly; MODE:
#   malformed-len      a reply whose Length field exceeds the datagram
#   malformed-short    an attribute of length 1
#   malformed-overrun  an attribute running past the end
#   malformed   each of these three in turn
#   bad-auth    an Access-Accept with a wrong Response Authenticator
#   bad-ma      an Access-Accept with a correct Response Authenticator and a
#               wrong Message-Authenticator
#   unknown     an Access-Accept, authenticators right, carrying unknown
#               attributes (type 250, a vendor 65000 VSA)
#   mixed       each of the above in turn
# Every answer is counted in $IT_DIR/fake-NAME.log ("sent MODE id N").
rad_fake_start() {
	local name=$1 ns=$2 addr=$3 port=$4 mode=$5 pid
	rad_fake_script >"$IT_DIR/fake_radius.py"
	ip netns exec "$ns" "$RAD_SYS_PY" -u "$IT_DIR/fake_radius.py" "$addr" "$port" "$RAD_SECRET" "$mode" \
		</dev/null >>"$IT_DIR/fake-$name.log" 2>&1 &
	pid=$!
	RAD_PID[$name]=$pid
	RAD_NS[$name]=$ns
	RAD_ADDR[$name]="$addr $port $((port + 1))"
	it_wait 10 grep -q '^listening' "$IT_DIR/fake-$name.log" ||
		it_fail "fake RADIUS server $name did not start: $(tail -n 3 "$IT_DIR/fake-$name.log")"
}

rad_fake_sent() {
	grep -c '^sent' "$IT_DIR/fake-$1.log" 2>/dev/null || true
}

rad_fake_script() {
	cat <<-'EOF'
	import hashlib, hmac, socket, struct, sys
	addr, port, secret, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4]
	modes = ["malformed", "bad-auth", "bad-ma", "unknown"] if mode == "mixed" else [mode]
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.bind((addr, port))
	a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # accounting: swallowed
	a.bind((addr, port + 1))
	print("listening", addr, port, flush=True)
	n = 0
	def attr(t, v):
	    return struct.pack("!BB", t, len(v) + 2) + v
	while True:
	    data, peer = s.recvfrom(4096)
	    if len(data) < 20:
	        continue
	    code, ident, length = struct.unpack("!BBH", data[:4])
	    req_auth = data[4:20]
	    m = modes[n % len(modes)]
	    n += 1
	    attrs = attr(18, b"fake")                      # Reply-Message
	    if m == "unknown":
	        attrs += attr(250, b"\x01\x02\x03")
	        attrs += attr(26, struct.pack("!I", 65000) + attr(1, b"x"))
	    def build(attrs, code=2, bad_ma=False, bad_auth=False, fake_len=None):
	        ma_off = None
	        body = attrs
	        ma_off = 20 + len(body) + 2
	        body += attr(80, b"\x00" * 16)
	        length = 20 + len(body)
	        hdr = struct.pack("!BBH", code, ident, length)
	        # Message-Authenticator over the reply with the Request Authenticator
	        ma = hmac.new(secret, hdr + req_auth + body, hashlib.md5).digest()
	        if bad_ma:
	            ma = bytes(16)[:15] + b"\x01"
	        body = body[:ma_off - 20] + ma + body[ma_off - 20 + 16:]
	        resp = hashlib.md5(hdr + req_auth + body + secret).digest()
	        if bad_auth:
	            resp = bytes(x ^ 0x5a for x in resp)
	        if fake_len is not None:
	            hdr = struct.pack("!BBH", code, ident, fake_len)
	        return hdr + resp + body
	    if m.startswith("malformed"):
	        # Length beyond the datagram; an attribute of length 1; an
	        # attribute running past the end ("malformed": each in turn)
	        v = {"malformed-len": 0, "malformed-short": 1, "malformed-overrun": 2}.get(m, n % 3)
	        if v == 0:
	            pkt = build(attrs, fake_len=400)
	        elif v == 1:
	            pkt = build(attrs + b"\x12\x01")
	        else:
	            p = build(attrs)
	            pkt = p + b"\x12\x40ab"
	            pkt = pkt[:2] + struct.pack("!H", len(pkt)) + pkt[4:]
	        out = pkt
	    elif m == "bad-auth":
	        out = build(attrs, bad_auth=True)
	    elif m == "bad-ma":
	        out = build(attrs, bad_ma=True)
	    else:
	        out = build(attrs)
	    s.sendto(out, peer)
	    print("sent", m, "id", ident, flush=True)
	EOF
}
