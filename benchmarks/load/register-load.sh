#!/usr/bin/env bash
# REGISTER load: Hotline against Kamailio, same machine, same SIPp client, one after the other.
#
#   benchmarks/load/register-load.sh            (from anywhere; ~3 minutes; root not needed)
#
# 1. Builds Hotline (Release) and provisions USERS extensions (10000..; password "pw-<number>")
#    through --ConfigFile; gives Kamailio the same users in an htable (kamailio-registrar.cfg).
# 2. Memory: on a fresh Hotline, the managed heap after a full collection (dotnet-gcdump) and
#    VmRSS, idle, after registering every user once, and after refreshing every registration.
# 3. Throughput: for each target, SIPp runs register-load.xml (REGISTER, 401, REGISTER with the
#    user's credentials, 200) at each rate of RATES for STEP_SECS seconds, after a warm-up in
#    which every user registers once. The targets take turns at each rate (the machine is shared:
#    a change of load then hits both). A step passes when fewer than 0.1 % of its registrations
#    fail and SIPp achieved at least MIN_ACHIEVED_PCT % of the rate; a target's first failing step
#    ends its run. Reported: the highest passing rate per target, and per step the response time,
#    retransmissions, the server's CPU time per registration and the load average.
#
# Env: USERS (10000) RATES ("500 1000 2000 4000 8000") STEP_SECS (10) MIN_ACHIEVED_PCT (95)
#      TARGETS ("hotline kamailio") HOTLINE_PORT (25060) KAM_PORT (25070) SIPP_PORT (25080)
#      OUT_DIR (a new /tmp/hotline-register-load.XXXXXX) SKIP_BUILD=1 SKIP_MEMORY=1
# Last stdout line: "RESULT ..." (or "FAIL ..." with exit 2 on a setup error). Everything binds to
# 127.0.0.1; every wait is bounded; only the PIDs this script started are stopped.
set -u -o pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
USERS=${USERS:-10000}
FIRST_USER=10000
RATES=${RATES:-"500 1000 2000 4000 8000"}
STEP_SECS=${STEP_SECS:-10}
MIN_ACHIEVED_PCT=${MIN_ACHIEVED_PCT:-95}
TARGETS=${TARGETS:-"hotline kamailio"}
HOTLINE_PORT=${HOTLINE_PORT:-25060}
KAM_PORT=${KAM_PORT:-25070}
SIPP_PORT=${SIPP_PORT:-25080}
SIPP_MEDIA=$((SIPP_PORT + 10))
SIPP_CTRL=$((SIPP_PORT + 15))
RUN=${OUT_DIR:-$(mktemp -d /tmp/hotline-register-load.XXXXXX)}
TOOLS=${TOOLS_DIR:-/tmp/hotline-bench-tools}
HOTLINE_DLL=$ROOT/src/Hotline/bin/Release/net10.0/Hotline.dll
SCENARIO=$HERE/register-load.xml
CLK_TCK=$(getconf CLK_TCK)
mkdir -p "$RUN"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { echo "FAIL $* dir=$RUN"; exit 2; }

# --- processes: only PIDs started here are ever signalled -------------------------------------
PIDS=()
stop_pid() { # stop_pid PID: TERM, up to 5 s, then KILL
	local p=$1 i
	kill -0 "$p" 2>/dev/null || return 0
	kill "$p" 2>/dev/null
	for ((i = 0; i < 50; i++)); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
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
for p in $HOTLINE_PORT $KAM_PORT $SIPP_PORT $SIPP_MEDIA $((SIPP_MEDIA + 2)) $SIPP_CTRL; do
	port_busy u "$p" && die "port $p/udp already in use"
done
port_busy t "$HOTLINE_PORT" && die "port $HOTLINE_PORT/tcp already in use"
for t in sipp dotnet; do command -v "$t" >/dev/null || die "$t not installed"; done
[[ " $TARGETS " == *" kamailio "* ]] && { command -v kamailio >/dev/null || die "kamailio not installed"; }

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
# stat_col STATFILE COLUMN -> value in the last line of a SIPp -trace_stat CSV
stat_col() { awk -F';' -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i} END{if(k) print $k}' "$1"; }
# hms_ms HH:MM:SS:usec -> milliseconds
hms_ms() { awk -F: '{printf "%.2f", ($1*3600+$2*60+$3)*1000 + $4/1000}' <<<"$1"; }

log "run dir $RUN; load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# --- users: one list for SIPp, Hotline and Kamailio --------------------------------------------
{
	echo SEQUENTIAL
	for ((i = 0; i < USERS; i++)); do echo "$((FIRST_USER + i));pw-$((FIRST_USER + i))"; done
} >"$RUN/users.csv"
{
	printf '{\n  "Extensions": [\n'
	for ((i = 0; i < USERS; i++)); do
		n=$((FIRST_USER + i))
		printf '    { "Number": "%s", "Name": "Load %s", "Password": "pw-%s" }%s\n' "$n" "$n" "$n" "$([[ $i -lt $((USERS - 1)) ]] && echo ,)"
	done
	printf '  ],\n  "Logging": { "LogLevel": { "Default": "Warning", "Hotline": "Information" } }\n}\n'
} >"$RUN/hotline-users.json"
mkdir -p "$RUN/kamailio/db"
{
	echo "id(int,auto) key_name(str) key_type(int) value_type(int) key_value(str) expires(int)"
	for ((i = 0; i < USERS; i++)); do echo "$((i + 1)):$((FIRST_USER + i)):0:0:pw-$((FIRST_USER + i)):0"; done
} >"$RUN/kamailio/db/htable"
KAM_ARGS=(-f "$HERE/kamailio-registrar.cfg" -A "USERS_DB=\"text://$RUN/kamailio/db\"")

# --- build ---------------------------------------------------------------------------------------
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
	log "dotnet build -c Release src/Hotline"
	dotnet build -c Release "$ROOT/src/Hotline" -nologo -v q >"$RUN/build.log" 2>&1 || die "build failed, see $RUN/build.log"
fi
[[ -f $HOTLINE_DLL ]] || die "$HOTLINE_DLL missing"

# --- one SIPp step -------------------------------------------------------------------------------
# run_sipp NAME PORT RATE CALLS -> sets SIPP_RC, S_CREATED, S_OK, S_FAILED, S_WALL, S_SIPP_CPU; files in $RUN/NAME.*
run_sipp() {
	local name=$1 port=$2 rate=$3 calls=$4 limit t0 t1
	limit=$((rate * 2 > 200 ? rate * 2 : 200))
	t0=$(date +%s%N)
	local TIMEFORMAT='%U %S'
	{ time sipp "127.0.0.1:$port" -sf "$SCENARIO" -inf "$RUN/users.csv" -t u1 \
		-r "$rate" -rp 1000 -m "$calls" -l "$limit" \
		-i 127.0.0.1 -p "$SIPP_PORT" -mi 127.0.0.1 -mp "$SIPP_MEDIA" -ci 127.0.0.1 -cp "$SIPP_CTRL" \
		-nostdin -default_behaviors all,-bye -timeout "$((calls / rate + 30))s" -timeout_error \
		-trace_stat -stf "$RUN/$name.stat.csv" -fd 1 -trace_err -error_file "$RUN/$name.err.log" \
		>"$RUN/$name.screen" 2>&1; } 2>"$RUN/$name.time"
	SIPP_RC=$?
	t1=$(date +%s%N)
	S_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b-a)/1e9}')
	S_SIPP_CPU=$(awk '{printf "%.2f", $1+$2}' "$RUN/$name.time" 2>/dev/null)
	S_CREATED=$(stat_col "$RUN/$name.stat.csv" "TotalCallCreated"); S_CREATED=${S_CREATED:-0}
	S_OK=$(stat_col "$RUN/$name.stat.csv" "SuccessfulCall(C)"); S_OK=${S_OK:-0}
	# calls still in flight when SIPp gave up are not in FailedCall: count every call that did not succeed
	S_FAILED=$((S_CREATED - S_OK))
	S_RTT=$(hms_ms "$(stat_col "$RUN/$name.stat.csv" "ResponseTime1(C)")")
	S_RETRANS=$(stat_col "$RUN/$name.stat.csv" "Retransmissions(C)")
}

# step TARGET PORT RATE PIDS... -> prints and records one result line; STEP_OK=pass|FAIL
RESULTS=()
step() {
	local target=$1 port=$2 rate=$3; shift 3
	local calls c0 c1 cpu_s ms_per_reg fail_ppm achieved line
	calls=$((rate * STEP_SECS))
	c0=$(cpu_ticks "$@")
	run_sipp "$target-$rate" "$port" "$rate" "$calls"
	c1=$(cpu_ticks "$@")
	cpu_s=$(awk -v a="$c0" -v b="$c1" -v t="$CLK_TCK" 'BEGIN{printf "%.2f", (b-a)/t}')
	ms_per_reg=$(awk -v c="$cpu_s" -v n="$S_OK" 'BEGIN{if(n>0) printf "%.3f", c*1000/n; else print "-"}')
	fail_ppm=$(awk -v f="$S_FAILED" -v n="$S_CREATED" 'BEGIN{if(n>0) printf "%d", f*1e6/n; else print 1e6}')
	achieved=$(awk -v n="$S_OK" -v w="$S_WALL" 'BEGIN{printf "%d", n/w}')
	STEP_OK=pass
	[[ $S_CREATED -ge $calls && $fail_ppm -lt 1000 ]] || STEP_OK=FAIL
	[[ $((achieved * 100)) -ge $((rate * MIN_ACHIEVED_PCT)) ]] || STEP_OK=FAIL
	line=$(printf '%-8s rate=%5d/s  registrations=%6d ok=%6d failed=%5d (%s%%)  achieved=%5d/s  avg_response=%6sms retrans=%6s  server_cpu=%6ss (%s ms/registration)  sipp_cpu=%5ss  load=%s  %s' \
		"$target" "$rate" "$S_CREATED" "$S_OK" "$S_FAILED" "$(awk -v p="$fail_ppm" 'BEGIN{printf "%.3f", p/1e4}')" \
		"$achieved" "$S_RTT" "${S_RETRANS:-?}" "$cpu_s" "$ms_per_reg" "$S_SIPP_CPU" "$(cut -d' ' -f1 /proc/loadavg)" "$STEP_OK")
	echo "$line"
	RESULTS+=("$line")
}

# --- Hotline -------------------------------------------------------------------------------------
start_hotline() {
	rm -rf "$RUN/hotline-data"
	dotnet "$HOTLINE_DLL" --Sip:Port "$HOTLINE_PORT" --Storage:DataDirectory "$RUN/hotline-data" \
		--ConfigFile "$RUN/hotline-users.json" >"$RUN/hotline.log" 2>&1 </dev/null &
	HPID=$!
	PIDS+=("$HPID")
	wait_grep "$RUN/hotline.log" "Hotline SIP on udp\+tcp 127\.0\.0\.1:$HOTLINE_PORT" 90 || die "Hotline did not start, see $RUN/hotline.log"
}

# heap_probe LABEL -> HEAP (GC heap bytes after a full collection), RSS (bytes), report in $RUN/LABEL.gcdump.txt
heap_probe() {
	"$TOOLS/dotnet-gcdump" collect -p "$HPID" -o "$RUN/$1.gcdump" >"$RUN/$1.gcdump.log" 2>&1 || die "dotnet-gcdump collect failed, see $RUN/$1.gcdump.log"
	"$TOOLS/dotnet-gcdump" report "$RUN/$1.gcdump" >"$RUN/$1.gcdump.txt" 2>&1
	HEAP=$(awk '/GC Heap bytes/{gsub(",","",$1); print $1}' "$RUN/$1.gcdump.txt")
	RSS=$(($(awk '/VmRSS/{print $2}' "/proc/$HPID/status") * 1024))
	log "$1: GC heap ${HEAP} B, VmRSS ${RSS} B"
}

# type_growth A B -> the ten types whose live bytes grew most from report A to report B. A report row
# is "size count type": the size of one object (an average for strings and arrays), so bytes = size x count.
type_growth() {
	awk 'FNR==1{f++} /^ +[0-9,]+ +[0-9,]+  /{b=$1; c=$2; gsub(",","",b); gsub(",","",c); $1=$2=""; sub(/^ +/,""); if(f==1){B[$0]-=b*c; C[$0]-=c} else {B[$0]+=b*c; C[$0]+=c}}
	     END{for(t in B) if(B[t]>0) printf "%12d B %8d objects  %s\n", B[t], C[t], t}' "$1" "$2" | sort -rn | head -10
}

# warmup TARGET PORT: every user registers once at 1000/s (JIT, caches, all bindings present), not timed
warmup() {
	run_sipp "$1-warmup" "$2" 1000 "$USERS"
	[[ $S_OK == "$USERS" ]] || die "$1 warm-up: only $S_OK of $USERS registered (sipp rc $SIPP_RC), see $RUN/$1-warmup.*"
	log "$1: $USERS users registered"
}

MEMORY=""
if [[ " $TARGETS " == *" hotline "* ]]; then
	log "Hotline: $USERS extensions, port $HOTLINE_PORT"
	start_hotline
	if [[ ${SKIP_MEMORY:-0} != 1 ]]; then
		if [[ ! -x $TOOLS/dotnet-gcdump ]]; then
			log "installing dotnet-gcdump into $TOOLS"
			dotnet tool install --tool-path "$TOOLS" dotnet-gcdump >"$RUN/gcdump-install.log" 2>&1 || die "could not install dotnet-gcdump"
		fi
		sleep 3
		heap_probe idle; H0=$HEAP; R0=$RSS
	fi
	warmup hotline "$HOTLINE_PORT"
	if [[ ${SKIP_MEMORY:-0} != 1 ]]; then
		# Completed server transactions are kept for Timer J (64*T1 = 32 s, RFC 3261 17.2.2) to absorb
		# retransmissions; wait them out so the heap holds the registrations, not the traffic.
		log "waiting 40 s for the REGISTER transactions to end"
		sleep 40
		heap_probe registered; H1=$HEAP; R1=$RSS
		per_reg=$(((H1 - H0) / USERS)); rss_per_reg=$(((R1 - R0) / USERS))
		{
			echo "Hotline memory for $USERS registrations (40 s after the last REGISTER):"
			echo "  GC heap after a full collection (dotnet-gcdump): idle $H0 B, registered $H1 B: +$((H1 - H0)) B = $per_reg B/registration"
			echo "  VmRSS: idle $R0 B, registered $R1 B: +$((R1 - R0)) B = $rss_per_reg B/registration"
			echo "  types that grew most (bytes = count x size from the gcdump report):"
			type_growth "$RUN/idle.gcdump.txt" "$RUN/registered.gcdump.txt"
		} | tee "$RUN/memory.txt"
		MEMORY="memory=${per_reg}B/registration(gc-heap) rss=${rss_per_reg}B/registration"
	fi
fi

# --- Kamailio ------------------------------------------------------------------------------------
if [[ " $TARGETS " == *" kamailio "* ]]; then
	log "Kamailio: $USERS users, port $KAM_PORT"
	kamailio -c "${KAM_ARGS[@]}" >"$RUN/kamailio-check.log" 2>&1 || die "kamailio config check failed, see $RUN/kamailio-check.log"
	mkdir -p "$RUN/kamailio/run"
	kamailio "${KAM_ARGS[@]}" -l "udp:127.0.0.1:$KAM_PORT" -DD -E -Y "$RUN/kamailio/run" -m 256 -M 16 \
		>"$RUN/kamailio.log" 2>&1 </dev/null &
	KPID=$!
	PIDS+=("$KPID")
	for ((i = 0; i < 100; i++)); do port_busy u "$KAM_PORT" && break; sleep 0.1; done
	port_busy u "$KAM_PORT" || die "Kamailio did not start, see $RUN/kamailio.log"
	sleep 2
	warmup kamailio "$KAM_PORT"
fi

# --- rates: both targets at each rate, one after the other, so a change in the machine's load
# --- (it is shared) hits both alike; a target stops at its first failing step ----------------------
declare -A BEST PORT_OF PIDS_OF DONE
PORT_OF[hotline]=$HOTLINE_PORT; PIDS_OF[hotline]=${HPID:-}
PORT_OF[kamailio]=$KAM_PORT; PIDS_OF[kamailio]=${KPID:-}
for t in $TARGETS; do BEST[$t]=0; DONE[$t]=0; done
for rate in $RATES; do
	for t in $TARGETS; do
		[[ ${DONE[$t]} == 0 ]] || continue
		step "$t" "${PORT_OF[$t]}" "$rate" ${PIDS_OF[$t]}
		if [[ $STEP_OK == pass ]]; then BEST[$t]=$rate; else DONE[$t]=1; fi
		sleep 2
	done
done
[[ -n ${HPID:-} ]] && { grep -a -E "fail:|crit:|blocking" "$RUN/hotline.log" | head -5 >&2; stop_pid "$HPID"; }
[[ -n ${KPID:-} ]] && stop_pid "$KPID"

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
{
	echo "steps of ${STEP_SECS}s; pass = <0.1% failed and >=${MIN_ACHIEVED_PCT}% of the rate achieved"
	printf '%s\n' "${RESULTS[@]}"
	[[ -f $RUN/memory.txt ]] && cat "$RUN/memory.txt"
	echo "load average: start $LOAD_START, end $LOAD_END"
} >"$RUN/summary.txt"
best=""
for t in $TARGETS; do best="$best $t=${BEST[$t]:-0}/s"; done
echo "RESULT highest rate with <0.1% failures:$best $MEMORY loadavg_start=$LOAD_START loadavg_end=$LOAD_END dir=$RUN"
