#!/usr/bin/env bash
# Concurrent calls with media through Hotline, recorded: SIPp UAC (uac-media.xml) -> Hotline -> SIPp UAS
# (uas-media.xml), both sending 20 ms PCMA packets (SIPp rtp_stream: 1 kHz from the caller, 440 Hz from
# the callee), Hotline relaying them (same codec both sides) and recording every call in stereo.
#
#   benchmarks/calls/media-calls.sh                     (from anywhere; ~3 minutes per step)
#   CALLS=1000 RECORD=0 MEMORY=1 WINDOW_SECS=20 benchmarks/calls/media-calls.sh   (memory per call)
#
# Per step of N calls, on a fresh Hotline (the UAC an IP-authenticated trunk, the DID routed out to a
# trunk pointing at the UAS: lib.sh hotline_config; recording per RECORD):
#  1. warm-up: WARMUP_CALLS short calls with media (JIT, pools), then (MEMORY=1) the idle heap after a
#     full collection (dotnet-gcdump) and VmRSS;
#  2. SIPp starts N calls at RAMP_RATE/s, each held long enough that all N are up together for
#     WINDOW_SECS, plus time for the memory probe;
#  3. the window: /metrics scraped at its start and end (RTP counters, late ticks, recording frames
#     dropped, the GC pause histogram), Hotline's and SIPp's CPU time, the load average; the kernel's
#     drop counters of every UDP socket Hotline holds (ss -m: packets that reached Hotline's socket
#     but found its buffer full) at the window's end;
#  4. (MEMORY=1) memory at N calls: the heap after a full collection and VmRSS again -> bytes per call;
#  5. after the calls end: every call's CDR from the admin API (per leg: packets received, sent, lost
#     by sequence gaps) and every recording checked with soxi (2 channels, 8 kHz, duration within
#     1.5 s of the call's answer-to-end time, data size matching the header) and sox (the caller's
#     channel carries ~1 kHz, the callee's ~440 Hz, checked on a sample of files).
# A step passes when all N calls were up together, no packet was lost (sequence gaps, socket drops),
# no recording frame was dropped, and every recording is complete. A failing step ends the sweep.
# SIPp 3.6.1's rtp_stream does not read what comes back to it (the kernel drops it at SIPp's socket),
# so delivery is judged at Hotline: what each leg received against what the far side's leg sent.
#
# Env: CALLS ("250 500 1000") RECORD (1) WINDOW_SECS (60) RAMP_RATE (50) WARMUP_CALLS (50)
#      MEMORY (0; 1: the gcdump probes of step 4, which stall the process for seconds with all calls up,
#      so recordings are then not judged on duration; skipped ticks are still reported) OUT_DIR SKIP_BUILD=1 KEEP_RECORDINGS=1
#      WORKER_NICE (0; e.g. -10: Media:WorkerNice, the media workers' nice value, needs root)
#      RTP_THREADTASKS (250: SIPp's -rtp_threadtasks, calls per RTP sending thread. A SIPp sending thread
#      sleeps until the next packet of any of its calls is due, so with SIPp's default of 20 calls a thread
#      every packet costs a thread wake-up, on the cores Hotline needs)
#      ports: HOTLINE_PORT (25060) UAC_PORT (25090) UAS_PORT (25091) ADMIN_PORT (25180)
#      RTP_MIN/RTP_MAX (30000/45998, Hotline's RTP ports; 4 per call)
set -u -o pipefail
export LC_ALL=C
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

CALLS=${CALLS:-"250 500 1000"}
RECORD=${RECORD:-1}
WINDOW_SECS=${WINDOW_SECS:-60}
RAMP_RATE=${RAMP_RATE:-50}
WARMUP_CALLS=${WARMUP_CALLS:-50}
MEMORY=${MEMORY:-0}
RTP_THREADTASKS=${RTP_THREADTASKS:-250}
HOTLINE_PORT=${HOTLINE_PORT:-25060}
UAC_PORT=${UAC_PORT:-25090}
UAS_PORT=${UAS_PORT:-25091}
ADMIN_PORT=${ADMIN_PORT:-25180}
RTP_MIN=${RTP_MIN:-30000}
RTP_MAX=${RTP_MAX:-45998}
RUN=${OUT_DIR:-$(mktemp -d /tmp/hotline-media-calls.XXXXXX)}
mkdir -p "$RUN"
REC_JSON=$([[ $RECORD == 1 ]] && echo true || echo false)

for p in $HOTLINE_PORT $UAC_PORT $UAS_PORT 25100 25102 25105 25110 25112 25115; do
	port_busy u "$p" && die "port $p/udp already in use"
done
for p in $HOTLINE_PORT $ADMIN_PORT; do port_busy t "$p" && die "port $p/tcp already in use"; done
for t in sipp dotnet curl sox soxi python3 ss; do command -v "$t" >/dev/null || die "$t not installed"; done
if [[ $MEMORY == 1 && ! -x $TOOLS/dotnet-gcdump ]]; then
	log "installing dotnet-gcdump into $TOOLS"
	dotnet tool install --tool-path "$TOOLS" dotnet-gcdump >"$RUN/gcdump-install.log" 2>&1 || die "could not install dotnet-gcdump"
fi

log "run dir $RUN; load average: $(loadavg); $(nproc) cores; recording $REC_JSON"
LOAD_START=$(loadavg)
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
	log "dotnet build -c Release src/Hotline"
	dotnet build -c Release "$ROOT/src/Hotline" -nologo -v q >"$RUN/build.log" 2>&1 || die "build failed, see $RUN/build.log"
fi
[[ -f $HOTLINE_DLL ]] || die "$HOTLINE_DLL missing"

# audio: 10 s of raw A-law, looped by rtp_stream; a different tone each side so the recording's
# channels can be told apart
sox -n -r 8000 -c 1 -t al "$RUN/caller.al" synth 10 sine 1000 vol 0.5 || die "sox failed"
sox -n -r 8000 -c 1 -t al "$RUN/callee.al" synth 10 sine 440 vol 0.5 || die "sox failed"
sed "s|@AUDIO@|$RUN/caller.al|" "$HERE/uac-media.xml" >"$RUN/uac-media.xml"
sed "s|@AUDIO@|$RUN/callee.al|" "$HERE/uas-media.xml" >"$RUN/uas-media.xml"

# heap_probe NAME -> HEAP (GC heap after a full collection), RSS (VmRSS), both bytes
heap_probe() {
	"$TOOLS/dotnet-gcdump" collect -p "$HPID" -o "$SD/$1.gcdump" >"$SD/$1.gcdump.log" 2>&1 || { HEAP=0; RSS=0; log "gcdump $1 failed"; return; }
	"$TOOLS/dotnet-gcdump" report "$SD/$1.gcdump" >"$SD/$1.gcdump.txt" 2>&1
	HEAP=$(awk '/GC Heap bytes/{gsub(",","",$1); print $1}' "$SD/$1.gcdump.txt")
	RSS=$(($(awk '/VmRSS/{print $2}' "/proc/$HPID/status") * 1024))
}
# type_growth A B -> the types whose live bytes grew most between two gcdump reports
type_growth() {
	awk 'FNR==1{f++} /^ +[0-9,]+ +[0-9,]+  /{b=$1; c=$2; gsub(",","",b); gsub(",","",c); $1=$2=""; sub(/^ +/,""); if(f==1){B[$0]-=b*c; C[$0]-=c} else {B[$0]+=b*c; C[$0]+=c}}
	     END{for(t in B) if(B[t]>0) printf "%12d B %8d objects  %s\n", B[t], C[t], t}' "$1" "$2" | sort -rn | head -12
}
# socket_drops PID -> sum of the kernel's drop counters (skmem d) over the UDP sockets of PID
socket_drops() {
	ss -uanmp 2>/dev/null | awk -v pid="pid=$1," '
		/^UNCONN|^ESTAB/{mine = index($0, pid) > 0; if (match($0, /skmem:\([^)]*\)/)) { if (mine) { s = substr($0, RSTART, RLENGTH); if (match(s, /,d[0-9]+/)) d += substr(s, RSTART + 2, RLENGTH - 2) } ; next } ; next}
		/skmem:/{ if (mine && match($0, /,d[0-9]+/)) d += substr($0, RSTART + 2, RLENGTH - 2) }
		END{print d + 0}'
}
admin_login() { # cookie jar in $SD/cookies; the first-start password is printed once in the log
	local pw tok
	pw=$(grep -a -o 'Password: [^ ]*' "$SD/hotline.log" | awk '{print $2}' | head -1)
	tok=$(curl -s -c "$SD/cookies" -b "$SD/cookies" "http://127.0.0.1:$ADMIN_PORT/login" |
		grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | sed 's/.*value="//;s/"$//' | head -1)
	curl -s -c "$SD/cookies" -b "$SD/cookies" -o /dev/null -F userName=admin -F "password=$pw" -F "__RequestVerificationToken=$tok" \
		"http://127.0.0.1:$ADMIN_PORT/account/login"
}

RESULTS=()
BEST=0
for N in $CALLS; do
	SD=$RUN/calls-$N
	mkdir -p "$SD"
	hold_ms=$(((WINDOW_SECS + N / RAMP_RATE + 30) * 1000))
	log "step $N calls: ramp ${RAMP_RATE}/s, each held $((hold_ms / 1000)) s, window ${WINDOW_SECS} s; load $(loadavg)"
	hotline_config "$SD/hotline.json" "$REC_JSON"
	start_hotline "$SD/hotline.json" "$SD/data" "$SD/hotline.log"
	sipp -sf "$RUN/uas-media.xml" -i 127.0.0.1 -p "$UAS_PORT" -mi 127.0.0.1 -mp 25110 -ci 127.0.0.1 -cp 25115 -nostdin -rtp_threadtasks "$RTP_THREADTASKS" \
		-trace_stat -stf "$SD/uas.stat.csv" -fd 5 -trace_err -error_file "$SD/uas.err.log" >"$SD/uas.screen" 2>&1 </dev/null &
	UPID=$!
	PIDS+=("$UPID")
	sleep 1
	uac() { # uac NAME CALLS RATE HOLD_MS [extra]
		local name=$1 calls=$2 rate=$3 hold=$4; shift 4
		sipp "127.0.0.1:$HOTLINE_PORT" -sf "$RUN/uac-media.xml" -s 12345 -t u1 -r "$rate" -m "$calls" -l "$calls" -d "$hold" \
			-i 127.0.0.1 -p "$UAC_PORT" -mi 127.0.0.1 -mp 25100 -ci 127.0.0.1 -cp 25105 -nostdin -rtp_threadtasks "$RTP_THREADTASKS" \
			-timeout "$((hold / 1000 + calls / rate + 60))s" -timeout_error \
			-trace_stat -stf "$SD/$name.stat.csv" -fd 5 -trace_err -error_file "$SD/$name.err.log" "$@" >"$SD/$name.screen" 2>&1 </dev/null
	}
	uac warmup "$WARMUP_CALLS" 25 3000 || die "warm-up calls failed, see $SD/warmup.*"
	sleep 5
	[[ $MEMORY == 1 ]] && { heap_probe idle; H0=$HEAP; R0=$RSS; }

	c_h0=$(cpu_ticks "$HPID"); c_u0=$(cpu_ticks "$UPID")
	scrape "$SD/ramp-start.metrics"
	uac calls "$N" "$RAMP_RATE" "$hold_ms" &
	CPID=$!
	PIDS+=("$CPID")
	# wait (bounded) for all N calls to be up
	up=0
	for ((i = 0; i < (N / RAMP_RATE + 40) * 2; i++)); do
		up=$(metric hotline_active_calls); up=${up:-0}
		[[ $up -ge $N ]] && break
		kill -0 "$CPID" 2>/dev/null || break
		sleep 0.5
	done
	if [[ $up -lt $N ]]; then
		line="calls=$N  only $up up together (sipp: $(grep -a -E 'Failed call' "$SD/calls.screen" | head -1))  load=$(cut -d' ' -f1 /proc/loadavg)  FAIL"
		echo "$line"; RESULTS+=("$line")
		stop_pid "$CPID"; stop_pid "$UPID"; stop_pid "$HPID"
		break
	fi
	sleep 2
	scrape "$SD/window-start.metrics"; w0=$(date +%s%N)
	c_hw0=$(cpu_ticks "$HPID"); c_uw0=$(cpu_ticks "$UPID" "$CPID")
	sleep "$WINDOW_SECS"
	scrape "$SD/window-end.metrics"; w1=$(date +%s%N)
	c_hw1=$(cpu_ticks "$HPID"); c_uw1=$(cpu_ticks "$UPID" "$CPID")
	LOAD_W=$(loadavg)
	up_end=$(metric hotline_active_calls "$SD/window-end.metrics")
	drops=$(socket_drops "$HPID")
	ss -uanmp 2>/dev/null | grep -c "pid=$HPID," >"$SD/hotline-sockets.count"
	[[ $MEMORY == 1 ]] && { heap_probe loaded; H1=$HEAP; R1=$RSS; }
	wait "$CPID"; SIPP_RC=$?
	# let the last BYEs, CDRs and recordings finish
	for ((i = 0; i < 60; i++)); do [[ $(metric hotline_active_calls) == 0 ]] && break; sleep 0.5; done
	sleep 3
	scrape "$SD/end.metrics"

	# --- the window's figures ---------------------------------------------------------------------
	secs=$(awk -v a="$w0" -v b="$w1" 'BEGIN{printf "%.2f", (b-a)/1e9}')
	d() { awk -v a="$(metric "$1" "$SD/window-start.metrics")" -v b="$(metric "$1" "$SD/window-end.metrics")" 'BEGIN{printf "%d", b-a}'; }
	rx=$(d hotline_rtp_packets_received_total); tx=$(d hotline_rtp_packets_sent_total)
	late=$(d hotline_media_late_ticks_total); skipped=$(d hotline_media_skipped_ticks_total); recdrop=$(d hotline_recording_frames_dropped_total)
	malformed=$(d hotline_rtp_packets_malformed_total); rejected=$(d hotline_rtp_packets_rejected_source_total); senderr=$(d hotline_rtp_send_errors_total)
	expected=$(awk -v n="$N" -v s="$secs" 'BEGIN{printf "%d", 2*n*50*s}')
	hot_cpu=$(awk -v a="$c_hw0" -v b="$c_hw1" -v t="$CLK_TCK" -v s="$secs" 'BEGIN{printf "%.0f", (b-a)/t/s*100}')
	sipp_cpu=$(awk -v a="$c_uw0" -v b="$c_uw1" -v t="$CLK_TCK" -v s="$secs" 'BEGIN{printf "%.0f", (b-a)/t/s*100}')
	us_pkt=$(awk -v a="$c_hw0" -v b="$c_hw1" -v t="$CLK_TCK" -v n="$rx" 'BEGIN{if(n>0) printf "%.1f", (b-a)/t/n*1e6; else print "-"}')
	gc=$(gc_pauses "$SD/window-start.metrics" "$SD/window-end.metrics")
	gc="$gc $(gc_pauses "$SD/window-start.metrics" "$SD/window-end.metrics" dotnet_gc_suspend_duration_seconds suspensions)"
	alloc=$(d dotnet_gc_allocated_bytes_total)
	gc="$gc alloc=$(awk -v a="$alloc" -v s="$secs" 'BEGIN{printf "%.0f", a/s/1e3}')KB/s"
	# the ramp (N call set-ups at RAMP_RATE/s, from the last warm-up call to the window): pauses while calls arrive
	ramp_gc="ramp: $(gc_pauses "$SD/ramp-start.metrics" "$SD/window-start.metrics")"
	gen=$(awk 'FNR==1{f++} /^dotnet_gc_collections_total/{v[f,$1]=$2; k[$1]=1} END{for(x in k){g=x; sub(/.*generation="/,"",g); sub(/".*/,"",g); printf "gen%s=%d ", g, v[2,x]-v[1,x]}}' "$SD/window-start.metrics" "$SD/window-end.metrics")
	# collections the collection pacer made (Media:GcPaceMs), in the window and in the ramp
	paced() { awk -v a="$(metric dotnet_gc_paced_collections_total "$1")" -v b="$(metric dotnet_gc_paced_collections_total "$2")" 'BEGIN{printf "%d", b-a}'; }
	gen="${gen}paced=$(paced "$SD/window-start.metrics" "$SD/window-end.metrics")"
	ramp_gc="$ramp_gc paced=$(paced "$SD/ramp-start.metrics" "$SD/window-start.metrics")"

	# --- every call's CDR and recording -------------------------------------------------------------
	admin_login
	# the API hands out at most 1,000 records a page
	for ((skip = 0; skip < N + WARMUP_CALLS + 1000; skip += 1000)); do
		curl -s -b "$SD/cookies" "http://127.0.0.1:$ADMIN_PORT/api/cdrs?skip=$skip&limit=1000" >"$SD/cdrs-$skip.json"
	done
	python3 -c 'import json,sys; print(json.dumps({"items": [c for f in sys.argv[1:] for c in json.load(open(f)).get("items", [])]}))' "$SD"/cdrs-*.json >"$SD/cdrs.json"
	python3 "$HERE/check-calls.py" "$SD/cdrs.json" "$N" "$RECORD" $([[ $MEMORY == 1 ]] && echo nodur) >"$SD/check.txt" 2>&1
	CHECK_RC=$?
	check=$(tail -1 "$SD/check.txt")
	stop_pid "$UPID"; stop_pid "$HPID"

	mem=""
	if [[ $MEMORY == 1 ]]; then
		mem=$(awk -v h0="$H0" -v h1="$H1" -v r0="$R0" -v r1="$R1" -v n="$N" 'BEGIN{printf "heap %.1f->%.1f MB = %d B/call, rss %.1f->%.1f MB = %d B/call", h0/1e6, h1/1e6, (h1-h0)/n, r0/1e6, r1/1e6, (r1-r0)/n}')
		{ echo "types that grew most from idle to $N calls (bytes = count x size, dotnet-gcdump report):"; type_growth "$SD/idle.gcdump.txt" "$SD/loaded.gcdump.txt"; } >"$SD/memory.txt"
	fi
	STEP_OK=pass
	[[ ${up_end:-0} -ge $N && $drops == 0 && $recdrop == 0 && $CHECK_RC == 0 ]] || STEP_OK=FAIL
	[[ $skipped == 0 || $MEMORY == 1 ]] || STEP_OK=FAIL
	line=$(printf 'calls=%d record=%s window=%ss up=%s->%s  rtp_in=%d (%.2f%% of 2x50/s per call) rtp_out=%d socket_drops=%s malformed=%s rejected=%s send_err=%s late_ticks=%s skipped_ticks=%s rec_dropped=%s  hotline_cpu=%s%% (%s us/pkt) sipp_cpu=%s%%  %s %s (%s)  %s  [%s]  load=%s  %s' \
		"$N" "$REC_JSON" "$secs" "$up" "$up_end" "$rx" "$(awk -v a="$rx" -v b="$expected" 'BEGIN{print a*100/b}')" "$tx" "$drops" "$malformed" "$rejected" "$senderr" "$late" "$skipped" "$recdrop" \
		"$hot_cpu" "$us_pkt" "$sipp_cpu" "$gc" "$gen" "$ramp_gc" "$mem" "$check" "$LOAD_W" "$STEP_OK")
	echo "$line"
	RESULTS+=("$line")
	[[ ${KEEP_RECORDINGS:-0} == 1 ]] || rm -rf "$SD/data/recordings"
	rm -f "$SD"/*.gcdump
	if [[ $STEP_OK == pass ]]; then BEST=$N; else break; fi
	sleep 3
done

LOAD_END=$(loadavg)
{
	printf '%s\n' "${RESULTS[@]}"
	echo "load average: start $LOAD_START, end $LOAD_END"
} >"$RUN/summary.txt"
echo "RESULT most concurrent calls held ${WINDOW_SECS}s with no packet lost and every recording complete (record=$REC_JSON): $BEST loadavg_start=$LOAD_START loadavg_end=$LOAD_END dir=$RUN"
