#!/usr/bin/env bash
# Wall endurance run (make soak; not part of make test). Starts a hub with the demo street and
# the release wall under Xvfb, then every minute appends one simulated day of a busy station
# at the hub (40 new cases, up to 160 cases moved one step on, through the hub's store, which
# the hub pushes to the wall). Each minute it records the resident memory of the station's Go
# process and of its WebKit renderer into a CSV, and at the end says whether memory levelled
# off: the mean of the last third of the run may exceed that of the middle third by at most
# SOAK_TOLERANCE_PCT percent.
#   SOAK_MINUTES (default 30)  SOAK_OUT (default build/soak)  SOAK_TOLERANCE_PCT (default 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=soak
source build/scripts/stack.sh
MINUTES=${SOAK_MINUTES:-30}
TOL=${SOAK_TOLERANCE_PCT:-10}
OUT=${SOAK_OUT:-build/soak}
mkdir -p "$OUT"
CSV="$OUT/memory.csv"

# the driver: one simulated day per run, written at the hub through its store
go test -c -o "$WORK/soakday" ./app/ >/dev/null

start_xvfb 1920x1080
start_hub

start_station wall
wall=$station_pid

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# the renderer is a descendant of the station whose command is WebKitWebProcess
renderer() {
  local p kids
  kids=$(pgrep -P "$1" || true)
  for p in $kids; do
    if [ "$(cat /proc/$p/comm 2>/dev/null)" = "WebKitWebProces" ]; then echo "$p"; return; fi
    renderer "$p"
  done
}

echo "minute,go_rss_kb,renderer_rss_kb,renderer_pid,days_driven" >"$CSV"
start=$(date +%s)
for m in $(seq 0 "$MINUTES"); do
  kill -0 $wall 2>/dev/null || fail "wall station exited at minute $m"
  rp=$(renderer $wall | head -1)
  echo "$m,$(rss_kb $wall),$([ -n "$rp" ] && rss_kb "$rp" || echo 0),${rp:-none},$m" >>"$CSV"
  tail -1 "$CSV"
  [ "$m" = "$MINUTES" ] && break
  [ "$m" = "$((MINUTES / 2))" ] && import -window root "$OUT/wall-mid.png"
  LIAISON_SOAK_HUB="$WORK/hub" LIAISON_SOAK_DAY=$m "$WORK/soakday" -test.run '^TestWallSoakDay$' \
    >>"$WORK/driver.out" 2>&1 || fail "driver failed on day $m"
  next=$((start + (m + 1) * 60))
  while [ "$(date +%s)" -lt "$next" ]; do sleep 1; done
done
import -window root "$OUT/wall-end.png"

# levelled off: mean of the last third within TOL % of the mean of the middle third
awk -F, -v tol="$TOL" 'NR > 1 { n++; go[n] = $2; wk[n] = $3 }
  END {
    a = int(n / 3); b = int(2 * n / 3)
    for (i = a + 1; i <= b; i++) { gm += go[i]; wm += wk[i] }
    for (i = b + 1; i <= n; i++) { gl += go[i]; wl += wk[i] }
    gm /= (b - a); wm /= (b - a); gl /= (n - b); wl /= (n - b)
    gp = (gl - gm) * 100 / gm; wp = (wm > 0) ? (wl - wm) * 100 / wm : 0
    printf "soak: go rss middle third %.0f MiB, last third %.0f MiB (%+.1f%%)\n", gm / 1024, gl / 1024, gp
    printf "soak: renderer rss middle third %.0f MiB, last third %.0f MiB (%+.1f%%)\n", wm / 1024, wl / 1024, wp
    if (gp > tol || wp > tol) { print "soak: memory did NOT level off"; exit 1 }
    print "soak: memory levelled off"
  }' "$CSV"
