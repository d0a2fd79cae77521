#!/usr/bin/env bash
# Opus speed: Concentus (through Hotline's OpusAudioEncoder/Decoder) against native libopus, as
# multiples of real time over the same 60 s of espeak-ng speech at 16 kHz, with the same settings:
# mono, VOIP application, 24 kbit/s VBR, complexity 5, 20 ms frames, inband FEC with 10 % expected loss,
# wideband. libopus is driven through ffmpeg's libopus encoder (which codes 16 kHz natively; opusenc's
# libopusenc resamples to 48 kHz first) and opus-tools' opusdec --rate 16000. Process start-up and file
# handling are removed from the libopus figures by subtracting the time for a 1 s file.
# Needs: espeak-ng, sox, ffmpeg (with libopus), opusdec, python3, dotnet. Rerun from anywhere:
#   bash benchmarks/scripts/opus-vs-libopus.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d /tmp/opus-vs-libopus.XXXXXX)"
trap 'rm -rf "$work"' EXIT
rate=16000
seconds=60

for tool in espeak-ng sox ffmpeg opusdec python3 dotnet; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

# 60 s of speech: one spoken paragraph, looped and trimmed.
espeak-ng -v en-us -s 160 -w "$work/speech.wav" \
  "Thank you for calling the citizen service hotline. Please describe your problem after the tone, and an agent will record your request and reply within three working days. For water, power and gas, press one. For housing and construction, press two."
sox -D "$work/speech.wav" -r "$rate" -c 1 -b 16 -e signed "$work/once.wav" gain -n -3
sox -D "$work/once.wav" -t raw "$work/speech.raw" repeat 20 trim 0 "$seconds"
sox -D "$work/once.wav" -t raw "$work/short.raw" trim 0 1

encode() { # raw in, ogg out
  ffmpeg -v error -y -f s16le -ar "$rate" -ac 1 -i "$1" -c:a libopus -application voip -b:a 24k -vbr on \
    -compression_level 5 -frame_duration 20 -packet_loss 10 -fec 1 -cutoff 8000 -f ogg "$2"
}
decode() { opusdec --quiet --rate "$rate" --no-dither "$1" "$2"; }
best_seconds() { # fastest of 5 runs of "$@"
  python3 - "$@" <<'PY'
import subprocess, sys, time
best = min((lambda s: (subprocess.run(sys.argv[1:], check=True), time.perf_counter() - s)[1])(time.perf_counter()) for _ in range(5))
print(f"{best:.4f}")
PY
}
export -f encode decode
export rate

encode "$work/speech.raw" "$work/speech.opus"
encode "$work/short.raw" "$work/short.opus"
enc_long=$(best_seconds bash -c 'encode "$0" "$1"' "$work/speech.raw" "$work/e1.opus")
enc_short=$(best_seconds bash -c 'encode "$0" "$1"' "$work/short.raw" "$work/e2.opus")
dec_long=$(best_seconds bash -c 'decode "$0" "$1"' "$work/speech.opus" "$work/d1.raw")
dec_short=$(best_seconds bash -c 'decode "$0" "$1"' "$work/short.opus" "$work/d2.raw")

# Concentus: BenchmarkDotNet over the same raw file (short job: warm-up, then a few iterations).
HOTLINE_OPUS_BENCH_PCM="$work/speech.raw" HOTLINE_OPUS_BENCH_RATE="$rate" \
  dotnet run -c Release --project "$repo/benchmarks/Hotline.Benchmarks" -- \
  --filter '*OpusRealTimeBenchmarks*' --job short --exporters json --artifacts "$work/bdn" > "$work/bdn.log"

python3 - "$work/bdn/results" "$seconds" "$enc_long" "$enc_short" "$dec_long" "$dec_short" <<'PY'
import glob, json, sys
results, seconds = sys.argv[1], float(sys.argv[2])
enc_long, enc_short, dec_long, dec_short = map(float, sys.argv[3:7])
report = json.load(open(glob.glob(f"{results}/*OpusRealTimeBenchmarks*-report-full*.json")[0]))
mean = {b["Method"]: b["Statistics"]["Mean"] / 1e9 for b in report["Benchmarks"]}
lib_enc = (seconds - 1) / max(enc_long - enc_short, 1e-6)
lib_dec = (seconds - 1) / max(dec_long - dec_short, 1e-6)
con_enc = seconds / mean["EncodeFile"]
con_dec = seconds / mean["DecodeFile"]
print(f"audio: {seconds:.0f} s of espeak-ng speech, 16 kHz mono, VOIP 24 kbit/s VBR, complexity 5, 20 ms, FEC 10 %")
print(f"libopus   encode: {lib_enc:8.1f} x real time   decode: {lib_dec:8.1f} x real time")
print(f"Concentus encode: {con_enc:8.1f} x real time   decode: {con_dec:8.1f} x real time")
print(f"Concentus / libopus: encode {con_enc / lib_enc:.2f}   decode {con_dec / lib_dec:.2f}")
PY
