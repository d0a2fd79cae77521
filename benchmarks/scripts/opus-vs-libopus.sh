#!/usr/bin/env bash
# Opus speed: Concentus (through Hotline's OpusAudioEncoder/Decoder) against native libopus, as
# multiples of real time over the same 60 s of espeak-ng speech at 16 kHz, with the same settings:
# mono, VOIP application, 24 kbit/s VBR, complexity 5, 20 ms frames, inband FEC with 10 % expected
# loss, DTX off, wideband; decoding to 16 kHz PCM.
#
# libopus is timed through its own API (python3 ctypes on the libopus.so.0 that opus-tools installs),
# frame by frame as Concentus is, because the command-line tools do not measure the same work:
# opusenc (libopusenc) resamples everything to 48 kHz before encoding, opusdec (opusfile) always
# decodes at 48 kHz and resamples, and both add process start-up and Ogg handling. ctypes costs about
# half a microsecond per call (printed), under 3 % of decoding and 0.3 % of encoding. For a cross-check
# the script also times ffmpeg's libopus encoder on the same file (start-up removed by subtracting a
# 1 s file). Concentus is timed by BenchmarkDotNet (short job) on the same raw file.
# Needs: espeak-ng, sox, ffmpeg, libopus0, python3, dotnet. Rerun from anywhere:
#   bash benchmarks/scripts/opus-vs-libopus.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d /tmp/opus-vs-libopus.XXXXXX)"
trap 'rm -rf "$work"' EXIT
rate=16000
seconds=60

for tool in espeak-ng sox ffmpeg python3 dotnet; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

# 60 s of speech: one spoken paragraph, looped and trimmed.
espeak-ng -v en-us -s 160 -w "$work/speech.wav" \
  "Thank you for calling the citizen service hotline. Please describe your problem after the tone, and an agent will record your request and reply within three working days. For water, power and gas, press one. For housing and construction, press two."
sox -D "$work/speech.wav" -r "$rate" -c 1 -b 16 -e signed "$work/once.wav" gain -n -3
sox -D "$work/once.wav" -t raw "$work/speech.raw" repeat 20 trim 0 "$seconds"
sox -D "$work/once.wav" -t raw "$work/short.raw" trim 0 1

# libopus through its API.
python3 - "$work/speech.raw" "$rate" > "$work/libopus.txt" <<'PY'
import array, ctypes, ctypes.util, sys, time
lib = ctypes.CDLL(ctypes.util.find_library("opus") or "libopus.so.0")
lib.opus_encoder_create.restype = ctypes.c_void_p
lib.opus_decoder_create.restype = ctypes.c_void_p
lib.opus_encoder_ctl.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
lib.opus_decoder_ctl.argtypes = [ctypes.c_void_p, ctypes.c_int]
path, rate = sys.argv[1], int(sys.argv[2])
frame = rate // 50
pcm = array.array("h", open(path, "rb").read())
frames = len(pcm) // frame
seconds = frames * frame / rate
source = (ctypes.c_short * len(pcm)).from_buffer(pcm)
error = ctypes.c_int()
OPUS_APPLICATION_VOIP, OPUS_RESET_STATE = 2048, 4028
ctls = {4002: 24000, 4006: 1, 4010: 5, 4012: 1, 4014: 10, 4016: 0, 4004: 1103}  # bitrate, VBR, complexity, FEC, loss %, DTX, max bandwidth WB

def encode_all():
    encoder = ctypes.c_void_p(lib.opus_encoder_create(rate, 1, OPUS_APPLICATION_VOIP, ctypes.byref(error)))
    for request, value in ctls.items():
        lib.opus_encoder_ctl(encoder, request, value)
    out = (ctypes.c_ubyte * 1275)()
    packets = []
    start = time.perf_counter()
    for i in range(frames):
        n = lib.opus_encode(encoder, ctypes.byref(source, i * frame * 2), frame, out, 1275)
        packets.append(bytes(out[:n]))
    elapsed = time.perf_counter() - start
    lib.opus_encoder_destroy(encoder)
    return elapsed, packets

def decode_all(packets):
    decoder = ctypes.c_void_p(lib.opus_decoder_create(rate, 1, ctypes.byref(error)))
    out = (ctypes.c_short * 5760)()
    start = time.perf_counter()
    for p in packets:
        lib.opus_decode(decoder, p, len(p), out, 5760, 0)
    elapsed = time.perf_counter() - start
    lib.opus_decoder_destroy(decoder)
    return elapsed

encode_time, packets = min((encode_all() for _ in range(3)), key=lambda r: r[0])
decode_time = min(decode_all(packets) for _ in range(5))
start = time.perf_counter()
for p in packets:
    lib.opus_packet_get_nb_frames(p, len(p))
overhead = (time.perf_counter() - start) / len(packets)
print(seconds / encode_time, seconds / decode_time, overhead * 1e6, sum(map(len, packets)) * 8 / seconds / 1000)
PY

# Cross-check: ffmpeg's libopus encoder as a process, start-up removed.
ffmpeg_encode() {
  ffmpeg -v error -y -f s16le -ar "$rate" -ac 1 -i "$1" -c:a libopus -application voip -b:a 24k -vbr on \
    -compression_level 5 -frame_duration 20 -packet_loss 10 -fec 1 -cutoff 8000 -f ogg "$work/ffmpeg.opus"
}
fastest() { local best=999999 start end t; for _ in 1 2 3; do
  start=$(date +%s%N); ffmpeg_encode "$1"; end=$(date +%s%N); t=$(( (end - start) / 1000 ))
  (( t < best )) && best=$t; done; echo "$best"; }
ffmpeg_long=$(fastest "$work/speech.raw")
ffmpeg_short=$(fastest "$work/short.raw")

# Concentus: BenchmarkDotNet over the same raw file.
HOTLINE_OPUS_BENCH_PCM="$work/speech.raw" HOTLINE_OPUS_BENCH_RATE="$rate" \
  dotnet run -c Release --project "$repo/benchmarks/Hotline.Benchmarks" -- \
  --filter '*OpusRealTimeBenchmarks*' --job short --exporters json --artifacts "$work/bdn" > "$work/bdn.log"

python3 - "$work/bdn/results" "$seconds" "$ffmpeg_long" "$ffmpeg_short" $(cat "$work/libopus.txt") <<'PY'
import glob, json, sys
results, seconds = sys.argv[1], float(sys.argv[2])
ffmpeg_long, ffmpeg_short = int(sys.argv[3]) / 1e6, int(sys.argv[4]) / 1e6
lib_enc, lib_dec, overhead_us, lib_kbps = map(float, sys.argv[5:9])
report = json.load(open(glob.glob(f"{results}/*OpusRealTimeBenchmarks*-report-full*.json")[0]))
# Fastest iteration, as the libopus figures are the fastest of several runs (the machine is shared).
mean = {b["Method"]: b["Statistics"]["Min"] / 1e9 for b in report["Benchmarks"]}
con_enc = seconds / mean["EncodeFile"]
con_dec = seconds / mean["DecodeFile"]
print(f"audio: {seconds:.0f} s of espeak-ng speech, 16 kHz mono; VOIP, 24 kbit/s VBR, complexity 5, 20 ms, FEC at 10 % loss, DTX off")
print(f"libopus (API)       encode: {lib_enc:7.1f} x real time   decode: {lib_dec:7.1f} x real time   ({lib_kbps:.1f} kbit/s, ctypes {overhead_us:.2f} us/call)")
print(f"libopus (ffmpeg)    encode: {(seconds - 1) / (ffmpeg_long - ffmpeg_short):7.1f} x real time   (process, start-up subtracted)")
print(f"Concentus           encode: {con_enc:7.1f} x real time   decode: {con_dec:7.1f} x real time")
print(f"Concentus / libopus: encode {con_enc / lib_enc:.2f}   decode {con_dec / lib_dec:.2f}   (target >= 0.4)")
PY
