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
BIN=$PWD/build/bin
MINUTES=${SOAK_MINUTES:-30}
TOL=${SOAK_TOLERANCE_PCT:-10}
OUT=${SOAK_OUT:-build/soak}
WORK=$(mktemp -d)
PORT=$((20000 + RANDOM % 20000))
HUB=http://127.0.0.1:$PORT
mkdir -p "$OUT"
CSV="$OUT/memory.csv"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "soak: FAIL: $*" >&2; for f in "$WORK"/*.out; do echo "--- $f"; tail -20 "$f"; done >&2; exit 1; }

# the driver: one simulated day per run, written at the hub through its store
go test -c -o "$WORK/soakday" ./app/ >/dev/null

export DISPLAY=:$((90 + RANDOM % 100))
Xvfb "$DISPLAY" -screen 0 1920x1080x24 -nolisten tcp >"$WORK/xvfb.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

"$BIN/liaison-hub" --data "$WORK/hub" --listen "127.0.0.1:$PORT" --public-url "$HUB" --seed-demo \
  >"$WORK/hub.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS "$HUB/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$HUB/healthz" >/dev/null || fail "hub did not answer /healthz"

code=$("$BIN/liaison-hub" device add --data "$WORK/hub" --station HX01 --role wall | sed -n 's/^pairing code: *//p')
[ -n "$code" ] || fail "no pairing code"
"$BIN/liaison-station" --data "$WORK/wall" --role wall --hub "$HUB" --pair "$code" >"$WORK/wall.out" 2>&1 &
wall=$!
pids+=($wall)
for _ in $(seq 1 600); do
  [ -s "$WORK/wall/rendered.json" ] && break
  kill -0 $wall 2>/dev/null || fail "wall station exited"
  sleep 0.1
done
[ -s "$WORK/wall/rendered.json" ] || fail "wall did not render within 60 s"

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
