#!/usr/bin/env bash
# Fuzzes a fresh demo switch over SIP (UDP and TCP) and HTTP, then checks that it is still up, logged no
# error, and has let go of every call and media endpoint. Exit 0 when all holds.
#
#   tools/fuzz/run-all.sh            (SECS=90 per SIP round, SEED=1; ~6 minutes; needs python3-requests)
#
# Uses ports 5060 (SIP), 8080 (admin) and 5077-5080 (the fuzzers), so run it with no other switch up.
set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SECS=${SECS:-90}
SEED=${SEED:-1}
RUN=$(mktemp -d /tmp/hotline-fuzz.XXXXXX)
fail() { echo "FAIL: $*"; FAILED=1; }
FAILED=0

dotnet build -c Release "$ROOT/src/Hotline" -nologo -v q >"$RUN/build.log" 2>&1 || { echo "build failed: $RUN/build.log"; exit 2; }
dotnet "$ROOT/src/Hotline/bin/Release/net10.0/Hotline.dll" --Storage:DataDirectory "$RUN/data" --Admin:MetricsAnonymous true >"$RUN/hotline.log" 2>&1 &
SWITCH=$!
trap 'kill $SWITCH 2>/dev/null' EXIT
for _ in $(seq 1 60); do grep -q "admin panel and API on" "$RUN/hotline.log" && break; sleep 1; done
PASSWORD=$(grep -o "Password: [A-Za-z0-9]*" "$RUN/hotline.log" | head -1 | cut -d' ' -f2)
[[ -n $PASSWORD ]] || { echo "the switch did not start: $RUN/hotline.log"; exit 2; }
echo "run dir $RUN"

cd "$HERE"
# Round 1: calls from the trunk and an extension's requests, together.
python3 sipfuzz.py trunk "$SECS" "$SEED" & A=$!
python3 sipfuzz.py extension "$SECS" $((SEED + 1)) & B=$!
wait $A || fail trunk; wait $B || fail extension
# Round 2: a callee answering with mutated responses to the extension's calls; TCP and garbage media beside them.
python3 sipfuzz.py callee $((SECS + 10)) $((SEED + 2)) & A=$!
sleep 2
python3 sipfuzz.py extension "$SECS" $((SEED + 3)) 1002,1002,1002,12345 & B=$!
python3 sipfuzz.py tcp $((SECS / 2)) $((SEED + 4)) & C=$!
python3 sipfuzz.py rtp $((SECS / 2)) $((SEED + 7)) & D=$!
wait $A || fail callee; wait $B || fail extension; wait $C || fail tcp; wait $D || fail rtp
# Round 3: floods, alone (while one runs the socket's queue is full and other probes' OPTIONS may be lost;
# each flood checks the switch answers once it has stopped): from an unknown address, then as the trunk.
python3 sipfuzz.py flood $((SECS / 2)) $((SEED + 5)) 5079 || fail "flood from an unknown address"
python3 sipfuzz.py flood $((SECS / 2)) $((SEED + 6)) 5080 || fail "flood as the trunk"
python3 apifuzz.py "$PASSWORD" "$SEED" 12 || fail "API or panel"

# Calls left ringing, held or half set up end on the switch's own timers (no answer 60 s, RTP 60-75 s).
for _ in $(seq 1 36); do
	M=$(curl -s http://127.0.0.1:8080/metrics)
	CALLS=$(awk '/^hotline_active_calls /{print $2}' <<<"$M"); ENDPOINTS=$(awk '/^hotline_media_endpoints /{print $2}' <<<"$M")
	[[ $CALLS == 0 && $ENDPOINTS == 0 ]] && break
	sleep 5
done
[[ $CALLS == 0 && $ENDPOINTS == 0 ]] || fail "calls or media endpoints left: calls=$CALLS endpoints=$ENDPOINTS"
kill -0 $SWITCH 2>/dev/null || fail "the switch exited"
ERRORS=$(grep -cE "^(fail|crit):" "$RUN/hotline.log")
[[ $ERRORS == 0 ]] || fail "$ERRORS error lines in $RUN/hotline.log"
echo "switch log: $(wc -l <"$RUN/hotline.log") lines, $(grep -c 'dropped malformed' "$RUN/hotline.log") malformed-message lines (at most 20 per 10 s), $ERRORS errors"
[[ $FAILED == 0 ]] && echo PASS || echo FAIL
exit $FAILED
