# Shared by call-setup.sh and media-calls.sh (sourced). Everything binds to 127.0.0.1; every wait is
# bounded; only PIDs started by the sourcing script are ever signalled.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# HOTLINE_DLL: the build to run (default this checkout's Release build); another build's for an A/B run.
HOTLINE_DLL=${HOTLINE_DLL:-$ROOT/src/Hotline/bin/Release/net10.0/Hotline.dll}
TOOLS=${TOOLS_DIR:-/tmp/hotline-bench-tools}
CLK_TCK=$(getconf CLK_TCK)

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { echo "FAIL $* dir=$RUN"; exit 2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

PIDS=()
stop_pid() { # stop_pid PID: TERM, up to 10 s, then KILL
	local p=$1 i
	kill -0 "$p" 2>/dev/null || return 0
	kill "$p" 2>/dev/null
	for ((i = 0; i < 100; i++)); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
	kill -9 "$p" 2>/dev/null
	return 0
}
cleanup() { local p; for p in "${PIDS[@]}"; do stop_pid "$p"; done; }
trap cleanup EXIT

wait_grep() { # wait_grep FILE REGEX SECONDS
	local i
	for ((i = 0; i < $3 * 10; i++)); do grep -a -q -E "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}
port_busy() { ss -ln"$1" 2>/dev/null | awk '{print $4}' | grep -q -E "[:.]$2\$"; }

# cpu_ticks PID... -> utime+stime (clock ticks) of these processes and their direct children
cpu_ticks() {
	local p c total=0 t
	for p in "$@"; do
		for c in "$p" $(pgrep -P "$p" 2>/dev/null); do
			t=$(sed 's/^.*) //' "/proc/$c/stat" 2>/dev/null | awk '{print $12 + $13}')
			total=$((total + ${t:-0}))
		done
	done
	echo "$total"
}
ticks_s() { awk -v a="$1" -v b="$2" -v t="$CLK_TCK" 'BEGIN{printf "%.2f", (b-a)/t}'; }
# stat_col STATFILE COLUMN -> value in the last line of a SIPp -trace_stat CSV
stat_col() { awk -F';' -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i} END{if(k) print $k}' "$1"; }
# hms_ms HH:MM:SS:usec -> milliseconds
hms_ms() { awk -F: '{printf "%.2f", ($1*3600+$2*60+$3)*1000 + $4/1000}' <<<"$1"; }

# hotline_config FILE RECORD(true|false): Hotline settings laid over the demo's with --ConfigFile.
# The SIPp UAC (127.0.0.1:UAC_PORT) is an IP-authenticated trunk "uac"; every DID it calls is routed
# (inbound route "*", target External) to 913800138000, which the outbound route "9" (strip 1) sends
# to trunk "uas", the SIPp UAS. Configuration arrays merge index by index, so every field of the
# demo's trunk, routes and lists at index 0 is set here (else the demo's values would leak in).
hotline_config() {
	cat >"$1" <<EOF
{
  "Sip": { "ListenAddress": "127.0.0.1", "Port": $HOTLINE_PORT, "Trace": false },
  "Admin": { "Urls": "http://127.0.0.1:$ADMIN_PORT", "MetricsAnonymous": true, "Backup": { "Enabled": false } },
  "Media": { "RtpPortMin": $RTP_MIN, "RtpPortMax": $RTP_MAX, "WorkerNice": ${WORKER_NICE:-0} },
  "Ivr": { "GeneratePrompts": false },
  "Trunks": [
    { "Name": "uac", "Enabled": true, "Host": "127.0.0.1", "Port": $UAC_PORT, "Transport": "Udp", "AllowedSources": [ "127.0.0.1:$UAC_PORT" ],
      "CallerId": "12345", "DialFormat": "National", "MaxConcurrentCalls": 0, "MaxCallsPerMinute": 0, "OptionsIntervalSeconds": 0, "Record": $2 },
    { "Name": "uas", "Enabled": true, "Host": "127.0.0.1", "Port": $UAS_PORT, "Transport": "Udp", "AllowedSources": [ "127.0.0.1:$UAS_PORT" ],
      "CallerId": "12345", "DialFormat": "National", "MaxConcurrentCalls": 0, "MaxCallsPerMinute": 0, "OptionsIntervalSeconds": 0, "Record": $2 }
  ],
  "OutboundRoutes": [ { "Name": "to-uas", "Order": 0, "Prefix": "9", "Strip": 1, "Prepend": "", "Trunks": [ "uas" ], "Record": $2, "Enabled": true } ],
  "InboundRoutes": [ { "Did": "*", "Trunk": "uac", "Target": "External", "Value": "913800138000", "Record": $2, "Enabled": true } ],
  "Logging": { "LogLevel": { "Default": "Warning" } }
}
EOF
}

# start_hotline CONFIG DATADIR LOG -> HPID; ready when the SIP port is bound and /healthz answers.
# HOTLINE_ARGS adds settings on the command line, e.g. "--Calls:OverloadQueueDelayMs 0".
start_hotline() {
	rm -rf "$2"
	# shellcheck disable=SC2086 # HOTLINE_ARGS is a list of words
	dotnet "$HOTLINE_DLL" --ConfigFile "$1" --Storage:DataDirectory "$2" ${HOTLINE_ARGS:-} >"$3" 2>&1 </dev/null &
	HPID=$!
	PIDS+=("$HPID")
	local i
	for ((i = 0; i < 900; i++)); do
		port_busy u "$HOTLINE_PORT" && curl -sf -o /dev/null "http://127.0.0.1:$ADMIN_PORT/healthz" && return 0
		kill -0 "$HPID" 2>/dev/null || die "Hotline exited, see $3"
		sleep 0.1
	done
	die "Hotline did not start in 90 s, see $3"
}

# metric NAME [FILE] -> value of an unlabelled metric from a /metrics scrape (FILE, else a fresh scrape)
metric() {
	if [[ -n ${2:-} ]]; then awk -v m="$1" '$1==m{print $2}' "$2"
	else curl -sf "http://127.0.0.1:$ADMIN_PORT/metrics" | awk -v m="$1" '$1==m{print $2}'; fi
}
scrape() { curl -sf "http://127.0.0.1:$ADMIN_PORT/metrics" >"$1"; }

# gc_pauses A B [HISTOGRAM [LABEL]] -> "pauses=N p99<=X ms over_1ms=K max<=Y ms" from a histogram (default the
# pause histogram; dotnet_gc_suspend_duration_seconds: the part of each pause spent stopping the threads)
# between two scrapes
gc_pauses() {
	awk -v h="^${3:-dotnet_gc_pause_duration_seconds}_bucket" -v label="${4:-pauses}" 'FNR==1{f++} $0 ~ h {match($0,/le="[^"]+"/); le=substr($0,RSTART+4,RLENGTH-5); v[f,le]=$2; if(f==1) order[++n]=le}
	     END{total=v[2,"+Inf"]-v[1,"+Inf"]; p99=""; mx=""; over=0
	         for(i=1;i<=n;i++){le=order[i]; c=v[2,le]-v[1,le]; if(p99=="" && total>0 && c>=0.99*total) p99=le; if(mx=="" && total>0 && c==total) mx=le; if(le=="0.001") over=total-c}
	         printf "%s=%d p99<=%s over_1ms=%d max<=%s", label, total, fmt(p99), over, fmt(mx)}
	     function fmt(s){ if(s=="") return "-"; if(s=="+Inf") return "inf"; return sprintf("%gms", s*1000) } ' "$1" "$2"
}

