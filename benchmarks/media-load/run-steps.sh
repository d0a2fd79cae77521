#!/usr/bin/env bash
# Media path under load: builds the tool, then runs one sweep of steps (legs), 20 s measured per step.
#   benchmarks/media-load/run-steps.sh relay      [steps] [extra media-load options...]
#   benchmarks/media-load/run-steps.sh transcode  [steps] [extra media-load options...]
#   benchmarks/media-load/run-steps.sh room-pcma  [steps] [extra options, e.g. --talkers 1 --room-size 10]
#   benchmarks/media-load/run-steps.sh room-g722  [steps] [extra options...]
# Relay and transcode record (stereo WAVs under /tmp/media-load-rec, deleted after each step) unless
# NO_RECORD=1; rooms are not recorded. The machine is shared: the load average before/after each step is
# printed; rerun a step whose "before" figure is well above the cores the two processes need (2).
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-relay}
steps=${2:-500,1000,2000,3000,4000}
shift $(( $# > 2 ? 2 : $# ))
dotnet build -c Release -v quiet -nologo . >/dev/null
extra=(--record /tmp/media-load-rec)
[ "${NO_RECORD:-0}" = 1 ] && extra=()
case "$mode" in
  room-*) extra=(--codec "${mode#room-}"); mode=room ;;
esac
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), kernel $(uname -r)"
exec dotnet bin/Release/net10.0/media-load.dll sweep --mode "$mode" --steps "$steps" --seconds "${SECONDS_PER_STEP:-20}" \
  --warmup "${WARMUP:-3}" "${extra[@]}" "$@"
