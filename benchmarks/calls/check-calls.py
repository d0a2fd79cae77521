#!/usr/bin/env python3
"""Checks the calls of one media-calls.sh step from Hotline's CDRs (admin API JSON) and recordings.

    check-calls.py CDRS_JSON CALLS RECORD(0|1) [nodur]

The step's calls are the answered calls from trunk "uac" lasting over 10 s (the warm-up calls last 3 s).
Per call: both legs present; no packet lost (the engine's sequence-gap count per leg); what one leg
received the other leg sent (a relay that dropped nothing), within a few packets still in flight when
the statistics were read; what each leg received against 50 packets/s over the answered time (the
generator's punctuality, reported, not judged). With RECORD=1, per recording with soxi: 2 channels,
8000 Hz, duration within 1.5 s of the answered time, and a file size that matches the samples the
header declares; on a sample of 20 files, sox's rough frequency of each channel: the caller's ~1 kHz,
the callee's ~440 Hz. "nodur" skips the duration check (a step with the memory probe, which stalls the
process for seconds while all calls are up: the media workers skip those ticks and the recordings come
out shorter by that much). Exit 0 when every check passed. Last line: a one-line summary.
"""
import json
import os
import re
import subprocess
import sys
from datetime import datetime

cdrs_path, want, record = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
check_duration = not (len(sys.argv) > 4 and sys.argv[4] == "nodur")
items = json.load(open(cdrs_path))["items"]


def t(s):
    return datetime.fromisoformat(s)


calls = []
for c in items:
    if c.get("inboundTrunk") != "uac" or c.get("disposition") != "Answered" or not c.get("answer"):
        continue
    secs = (t(c["end"]) - t(c["answer"])).total_seconds()
    if secs > 10:
        calls.append((c, secs))

problems = []
lost = 0
mismatch = 0
ratios = []
for c, secs in calls:
    legs = {l["role"]: l for l in c["legs"]}
    if "caller" not in legs or "callee" not in legs:
        problems.append(f"{c['callId']}: legs {sorted(legs)}")
        continue
    a, b = legs["caller"], legs["callee"]
    lost += a["packetsLost"] + b["packetsLost"]
    if a["packetsLost"] or b["packetsLost"]:
        problems.append(f"{c['callId']}: lost caller={a['packetsLost']} callee={b['packetsLost']}")
    for rx, tx, name in ((a["packetsReceived"], b["packetsSent"], "caller->callee"), (b["packetsReceived"], a["packetsSent"], "callee->caller")):
        if abs(rx - tx) > 5:
            mismatch += 1
            problems.append(f"{c['callId']}: {name} received {rx} but relayed {tx}")
    for leg in (a, b):
        ratios.append(leg["packetsReceived"] / (50 * secs))

rec_ok = rec_bad = 0
dur_err = 0.0
tones = tones_ok = 0
if record:
    for c, secs in calls:
        path = c.get("recordingPath")
        if not path or not os.path.exists(path):
            rec_bad += 1
            problems.append(f"{c['callId']}: recording {path} missing")
            continue
        out = subprocess.run(["soxi", path], capture_output=True, text=True)
        info = dict(re.findall(r"^(\w[\w ]*?)\s*: (.*)$", out.stdout, re.M))
        m = re.search(r"= (\d+) samples", info.get("Duration", ""))
        ok = out.returncode == 0 and m is not None and info.get("Channels") == "2" and info.get("Sample Rate") == "8000"
        if ok:
            samples = int(m.group(1))
            duration = samples / 8000
            header = os.path.getsize(path) - samples * 2 * 2
            err = abs(duration - secs)
            dur_err = max(dur_err, err)
            ok = (err <= 1.5 or not check_duration) and 44 <= header <= 4096 and info.get("Precision") == "16-bit"
            if not ok:
                problems.append(f"{path}: {duration:.2f} s for a call of {secs:.2f} s, header {header} B, {info.get('Precision')}")
        else:
            problems.append(f"{path}: soxi rc {out.returncode} {out.stderr.strip()[:200]} {info}")
        if ok and tones < 20:
            tones += 1
            freqs = []
            for ch in ("1", "2"):
                st = subprocess.run(["sox", path, "-n", "remix", ch, "stat"], capture_output=True, text=True).stderr
                f = re.search(r"Rough\s+frequency:\s+(-?\d+)", st)
                freqs.append(int(f.group(1)) if f else -1)
            if abs(freqs[0] - 1000) <= 100 and abs(freqs[1] - 440) <= 50:
                tones_ok += 1
            else:
                problems.append(f"{path}: channel frequencies {freqs}, want ~1000 and ~440")
        if ok:
            rec_ok += 1
        else:
            rec_bad += 1

for p in problems:
    print(p)
ratio = f"{min(ratios):.3f}-{max(ratios):.3f}" if ratios else "-"
summary = (f"cdrs={len(calls)}/{want} packets_lost={lost} relay_mismatch={mismatch} rx_per_leg_vs_50pps={ratio}"
           + (f" recordings_ok={rec_ok} bad={rec_bad} max_duration_error={dur_err:.2f}s{'' if check_duration else '(not judged: memory probe)'} tones_ok={tones_ok}/{tones}" if record else ""))
print(summary)
sys.exit(0 if len(calls) >= want and not problems else 1)
