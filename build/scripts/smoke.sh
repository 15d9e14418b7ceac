#!/usr/bin/env bash
# Desktop smoke test: the release binary of the station, against a real hub, in a real window
# under Xvfb. For each role it waits until the frontend reports through a binding that its
# first screen rendered, takes a screenshot and fails when the window is blank.
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=smoke
source build/scripts/stack.sh
OUT=${SMOKE_OUT:-build/smoke}
mkdir -p "$OUT"

start_xvfb 1920x1920
start_hub

passed=0
for role in kiosk wall; do
  extra=()
  [ $role = kiosk ] && extra=(--reader sim --scanner sim --demo)
  start_station $role "${extra[@]}"
  pid=$station_pid
  # WebKit paints a moment after the DOM is ready: look again until the window shows a full
  # screen's worth of detail (a blank or plain window has a handful of colours).
  shot="$OUT/$role.png"
  want=$([ $role = kiosk ] && echo 800 || echo 2000)
  colours=0
  for _ in $(seq 1 30); do
    import -window root "$shot"
    colours=$(convert "$shot" -format '%k' info:)
    [ "$colours" -ge "$want" ] && break
    sleep 0.5
  done
  [ "$colours" -ge "$want" ] || fail "$role window looks blank or unfinished ($colours colours in $shot)"
  echo "smoke: $role rendered $(cat "$WORK/$role/rendered.json"), $colours colours in $shot"
  kill $pid; wait $pid 2>/dev/null || true
  passed=$((passed + 1))
done
echo "smoke: $passed passed, 0 failed"
