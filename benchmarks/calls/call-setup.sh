#!/usr/bin/env bash
# Call setup rate without media: SIPp UAC -> X -> SIPp UAS, where X is
#   direct    nothing: the UAC calls the UAS itself (the load generator's ceiling)
#   kamailio  Kamailio 5.6 as a stateful proxy (t_relay, Record-Route; kamailio-proxy.cfg)
#   hotline   Hotline as a B2BUA: the UAC is an IP-authenticated trunk, the DID routes out to a
#             trunk pointing at the UAS (lib.sh hotline_config); recording off
#
#   benchmarks/calls/call-setup.sh          (from anywhere; ~5 minutes; prints RESULT ... last)
#
# One SIPp UAS (uas.xml: 100, 180, 200, ACK, BYE, 200) serves all three. For each rate of RATES the
# targets take turns (the machine is shared: a change of load hits all alike): SIPp runs uac.xml
# (INVITE, 100/180, 200, ACK, HOLD_MS, BYE, 200) at the rate for STEP_SECS seconds. A step passes
# when fewer than 0.1 % of its calls fail and SIPp achieved at least MIN_ACHIEVED_PCT % of the rate;
# a target's first failing step ends its run. Reported per step: setup time (INVITE to 200), SIPp's
# retransmissions, the server's CPU time per call (Hotline's process, Kamailio's processes, for
# "direct" the UAS's), the 1-minute load average, and for Hotline the step's GC pauses and the collections the pacer made.
#
# Above its capacity Hotline's overload control answers a share of new INVITEs 503 (uac.xml ACKs them
# and counts the call failed; SIPp runs with -default_behaviors all,-bye so that a call it aborts does not
# also send a BYE the target must answer 481): each step also reports the goodput (calls completed per second) and,
# for Hotline, the calls it refused (hotline_calls_overload_rejected_total). KEEP_GOING=1 runs every
# rate even after a target's first failing step, to see how it degrades past its capacity.
#
# Env: RATES ("250 500 1000 1500 2000 3000") STEP_SECS (10) HOLD_MS (1000) MIN_ACHIEVED_PCT (95)
#      TARGETS ("direct kamailio hotline") WARMUP_CALLS (500) OUT_DIR SKIP_BUILD=1 KEEP_GOING (0)
#      ports: HOTLINE_PORT (25060) KAM_PORT (25070) UAC_PORT (25090) UAS_PORT (25091) ADMIN_PORT (25180)
#      RTP_MIN/RTP_MAX (30000/45998, Hotline's RTP ports)
set -u -o pipefail
export LC_ALL=C
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

RATES=${RATES:-"250 500 1000 1500 2000 3000"}
STEP_SECS=${STEP_SECS:-10}
HOLD_MS=${HOLD_MS:-1000}
MIN_ACHIEVED_PCT=${MIN_ACHIEVED_PCT:-95}
TARGETS=${TARGETS:-"direct kamailio hotline"}
WARMUP_CALLS=${WARMUP_CALLS:-500}
HOTLINE_PORT=${HOTLINE_PORT:-25060}
KAM_PORT=${KAM_PORT:-25070}
UAC_PORT=${UAC_PORT:-25090}
UAS_PORT=${UAS_PORT:-25091}
ADMIN_PORT=${ADMIN_PORT:-25180}
RTP_MIN=${RTP_MIN:-30000}
RTP_MAX=${RTP_MAX:-45998}
RUN=${OUT_DIR:-$(mktemp -d /tmp/hotline-call-setup.XXXXXX)}
mkdir -p "$RUN"

for p in $HOTLINE_PORT $KAM_PORT $UAC_PORT $UAS_PORT 25100 25102 25105 25110 25112 25115; do
	port_busy u "$p" && die "port $p/udp already in use"
done
for p in $HOTLINE_PORT $ADMIN_PORT; do port_busy t "$p" && die "port $p/tcp already in use"; done
for t in sipp dotnet kamailio curl; do command -v "$t" >/dev/null || die "$t not installed"; done

log "run dir $RUN; load average: $(loadavg); $(nproc) cores"
LOAD_START=$(loadavg)

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
	log "dotnet build -c Release src/Hotline"
	dotnet build -c Release "$ROOT/src/Hotline" -nologo -v q >"$RUN/build.log" 2>&1 || die "build failed, see $RUN/build.log"
fi
[[ -f $HOTLINE_DLL ]] || die "$HOTLINE_DLL missing"

# --- the callee: one SIPp UAS for every target ----------------------------------------------------
sipp -sf "$HERE/uas.xml" -i 127.0.0.1 -p "$UAS_PORT" -mi 127.0.0.1 -mp 25110 -ci 127.0.0.1 -cp 25115 -nostdin \
	-trace_stat -stf "$RUN/uas.stat.csv" -fd 1 -trace_err -error_file "$RUN/uas.err.log" >"$RUN/uas.screen" 2>&1 </dev/null &
UPID=$!
PIDS+=("$UPID")
for ((i = 0; i < 50; i++)); do port_busy u "$UAS_PORT" && break; sleep 0.1; done
port_busy u "$UAS_PORT" || die "SIPp UAS did not start, see $RUN/uas.screen"

# --- the targets ----------------------------------------------------------------------------------
declare -A PORT_OF PIDS_OF SERVICE_OF BEST DONE
PORT_OF[direct]=$UAS_PORT; PIDS_OF[direct]=$UPID; SERVICE_OF[direct]=13800138000
if [[ " $TARGETS " == *" hotline "* ]]; then
	hotline_config "$RUN/hotline.json" false
	start_hotline "$RUN/hotline.json" "$RUN/hotline-data" "$RUN/hotline.log"
	log "Hotline on $HOTLINE_PORT (pid $HPID)"
	PORT_OF[hotline]=$HOTLINE_PORT; PIDS_OF[hotline]=$HPID; SERVICE_OF[hotline]=12345
fi
if [[ " $TARGETS " == *" kamailio "* ]]; then
	KAM_ARGS=(-f "$HERE/kamailio-proxy.cfg" -A "UAS=\"sip:127.0.0.1:$UAS_PORT\"")
	kamailio -c "${KAM_ARGS[@]}" >"$RUN/kamailio-check.log" 2>&1 || die "kamailio config check failed, see $RUN/kamailio-check.log"
	mkdir -p "$RUN/kamailio-run"
	kamailio "${KAM_ARGS[@]}" -l "udp:127.0.0.1:$KAM_PORT" -DD -E -Y "$RUN/kamailio-run" -m 256 -M 16 \
		>"$RUN/kamailio.log" 2>&1 </dev/null &
	KPID=$!
	PIDS+=("$KPID")
	for ((i = 0; i < 100; i++)); do port_busy u "$KAM_PORT" && break; sleep 0.1; done
	port_busy u "$KAM_PORT" || die "Kamailio did not start, see $RUN/kamailio.log"
	sleep 1
	log "Kamailio on $KAM_PORT (pid $KPID)"
	PORT_OF[kamailio]=$KAM_PORT; PIDS_OF[kamailio]=$KPID; SERVICE_OF[kamailio]=13800138000
fi

# run_sipp NAME TARGET RATE CALLS -> SIPP_RC, S_CREATED, S_OK, S_WALL, S_SETUP, S_RETRANS, S_SIPP_CPU
run_sipp() {
	local name=$1 target=$2 rate=$3 calls=$4 limit t0 t1
	limit=$((rate * (HOLD_MS + 3000) / 1000)); ((limit < 200)) && limit=200
	t0=$(date +%s%N)
	local TIMEFORMAT='%U %S'
	{ time sipp "127.0.0.1:${PORT_OF[$target]}" -sf "$HERE/uac.xml" -s "${SERVICE_OF[$target]}" -t u1 \
		-r "$rate" -rp 1000 -m "$calls" -l "$limit" -d "$HOLD_MS" \
		-i 127.0.0.1 -p "$UAC_PORT" -mi 127.0.0.1 -mp 25100 -ci 127.0.0.1 -cp 25105 \
		-nostdin -timeout "$((calls / rate + HOLD_MS / 1000 + 40))s" -timeout_error -default_behaviors all,-bye \
		-trace_stat -stf "$RUN/$name.stat.csv" -fd 1 -trace_err -error_file "$RUN/$name.err.log" \
		>"$RUN/$name.screen" 2>&1 </dev/null; } 2>"$RUN/$name.time"
	SIPP_RC=$?
	t1=$(date +%s%N)
	# calls are counted at setup: the window is the time SIPp needed to start them all (plus one hold)
	S_WALL=$(awk -v a="$t0" -v b="$t1" -v h="$HOLD_MS" 'BEGIN{printf "%.2f", (b-a)/1e9 - h/1000}')
	S_SIPP_CPU=$(awk '{printf "%.2f", $1+$2}' "$RUN/$name.time" 2>/dev/null)
	S_CREATED=$(stat_col "$RUN/$name.stat.csv" "TotalCallCreated"); S_CREATED=${S_CREATED:-0}
	S_OK=$(stat_col "$RUN/$name.stat.csv" "SuccessfulCall(C)"); S_OK=${S_OK:-0}
	S_SETUP=$(hms_ms "$(stat_col "$RUN/$name.stat.csv" "ResponseTimesetup(C)")")
	S_RETRANS=$(stat_col "$RUN/$name.stat.csv" "Retransmissions(C)")
}

RESULTS=()
step() { # step TARGET RATE
	local target=$1 rate=$2 calls c0 c1 u0 u1 cpu_s uas_s ms_per_call fail_ppm achieved goodput line r0=0 r1=0 gc=""
	calls=$((rate * STEP_SECS))
	c0=$(cpu_ticks ${PIDS_OF[$target]}); u0=$(cpu_ticks "$UPID")
	[[ $target == hotline ]] && { r0=$(metric hotline_calls_overload_rejected_total); scrape "$RUN/$target-$rate.start.metrics"; }
	run_sipp "$target-$rate" "$target" "$rate" "$calls"
	[[ $target == hotline ]] && { r1=$(metric hotline_calls_overload_rejected_total); scrape "$RUN/$target-$rate.end.metrics"
		gc="  gc: $(gc_pauses "$RUN/$target-$rate.start.metrics" "$RUN/$target-$rate.end.metrics") paced=$(awk -v a="$(metric dotnet_gc_paced_collections_total "$RUN/$target-$rate.start.metrics")" -v b="$(metric dotnet_gc_paced_collections_total "$RUN/$target-$rate.end.metrics")" 'BEGIN{printf "%d", b-a}')"; }
	c1=$(cpu_ticks ${PIDS_OF[$target]}); u1=$(cpu_ticks "$UPID")
	cpu_s=$(ticks_s "$c0" "$c1"); uas_s=$(ticks_s "$u0" "$u1")
	ms_per_call=$(awk -v c="$cpu_s" -v n="$S_OK" 'BEGIN{if(n>0) printf "%.3f", c*1000/n; else print "-"}')
	fail_ppm=$(awk -v ok="$S_OK" -v n="$calls" 'BEGIN{printf "%d", (n-ok)*1e6/n}')
	achieved=$(awk -v n="$S_CREATED" -v w="$S_WALL" 'BEGIN{printf "%d", n/w}')
	goodput=$(awk -v n="$S_OK" -v w="$S_WALL" 'BEGIN{printf "%d", n/w}')
	STEP_OK=pass
	[[ $S_CREATED -ge $calls && $fail_ppm -lt 1000 ]] || STEP_OK=FAIL
	[[ $((achieved * 100)) -ge $((rate * MIN_ACHIEVED_PCT)) ]] || STEP_OK=FAIL
	line=$(printf '%-8s rate=%5d/s  calls=%6d ok=%6d failed=%5d (%s%%, 503 %s)  achieved=%5d/s goodput=%5d/s  setup=%7sms retrans=%6s  server_cpu=%6ss (%s ms/call)  uas_cpu=%5ss uac_cpu=%5ss  load=%s  %s' \
		"$target" "$rate" "$S_CREATED" "$S_OK" "$((calls - S_OK))" "$(awk -v p="$fail_ppm" 'BEGIN{printf "%.3f", p/1e4}')" \
		"$(awk -v a="${r0:-0}" -v b="${r1:-0}" 'BEGIN{printf "%d", b-a}')" "$achieved" "$goodput" "$S_SETUP" "${S_RETRANS:-?}" "$cpu_s" "$ms_per_call" "$uas_s" "$S_SIPP_CPU" "$(cut -d' ' -f1 /proc/loadavg)" "$STEP_OK")$gc
	echo "$line"
	RESULTS+=("$line")
}

# --- warm-up (JIT, pools, caches), not counted -----------------------------------------------------
for t in $TARGETS; do
	run_sipp "$t-warmup" "$t" 100 "$WARMUP_CALLS"
	[[ $S_OK == "$WARMUP_CALLS" ]] || die "$t warm-up: only $S_OK of $WARMUP_CALLS calls succeeded (sipp rc $SIPP_RC), see $RUN/$t-warmup.*"
	log "$t: $WARMUP_CALLS warm-up calls done"
	BEST[$t]=0; DONE[$t]=0
done

for rate in $RATES; do
	for t in $TARGETS; do
		[[ ${DONE[$t]} == 0 ]] || continue
		step "$t" "$rate"
		if [[ $STEP_OK == pass ]]; then BEST[$t]=$rate; elif [[ ${KEEP_GOING:-0} != 1 ]]; then DONE[$t]=1; fi
		sleep 3
	done
done
if [[ -n ${HPID:-} ]]; then
	scrape "$RUN/hotline-end.metrics"
	grep -a -E "fail:|crit:" "$RUN/hotline.log" | head -5 >&2
fi

LOAD_END=$(loadavg)
{
	echo "steps of ${STEP_SECS}s, hold ${HOLD_MS} ms; pass = <0.1% failed and >=${MIN_ACHIEVED_PCT}% of the rate achieved"
	printf '%s\n' "${RESULTS[@]}"
	echo "load average: start $LOAD_START, end $LOAD_END"
} >"$RUN/summary.txt"
best=""
for t in $TARGETS; do best="$best $t=${BEST[$t]}/s"; done
ratio=""
[[ -n ${BEST[hotline]:-} && -n ${BEST[kamailio]:-} && ${BEST[kamailio]:-0} -gt 0 ]] &&
	ratio=" hotline/kamailio=$(awk -v h="${BEST[hotline]}" -v k="${BEST[kamailio]}" 'BEGIN{printf "%.2f", h/k}')"
echo "RESULT highest call rate with <0.1% failed calls:$best$ratio loadavg_start=$LOAD_START loadavg_end=$LOAD_END dir=$RUN"
