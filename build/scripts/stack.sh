# Shared by the scripts that run the real programs under Xvfb (smoke.sh, soak.sh): source it
# after setting NAME (the prefix of messages). It gives a work directory, a free-ish hub port,
# cleanup of every started process on exit, and helpers to start Xvfb, a seeded hub and a paired
# station, and to get a pairing code.
BIN=$PWD/build/bin
WORK=$(mktemp -d)
PORT=$((20000 + RANDOM % 20000))
HUB=http://127.0.0.1:$PORT
# The stations' zone is named, never taken from the machine (docs/operations.md).
STATION_TZ=${STATION_TZ:-Asia/Shanghai}

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "$NAME: FAIL: $*" >&2
  for f in "$WORK"/*.out; do echo "--- $f"; tail -20 "$f"; done >&2
  exit 1
}

# start_xvfb WIDTHxHEIGHT: a virtual display of that size, exported as DISPLAY.
start_xvfb() {
  export DISPLAY=:$((90 + RANDOM % 100))
  Xvfb "$DISPLAY" -screen 0 "$1x24" -nolisten tcp >"$WORK/xvfb.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
}

# start_hub: a hub with the demo street on $PORT, data in $WORK/hub.
start_hub() {
  "$BIN/liaison-hub" --data "$WORK/hub" --listen "127.0.0.1:$PORT" --public-url "$HUB" --seed-demo \
    >"$WORK/hub.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -fsS "$HUB/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fsS "$HUB/healthz" >/dev/null || fail "hub did not answer /healthz"
}

# pairing_code ROLE: a one-time code for a device of station HX01.
pairing_code() {
  local code
  code=$("$BIN/liaison-hub" device add --data "$WORK/hub" --station HX01 --role "$1" | sed -n 's/^pairing code: *//p')
  [ -n "$code" ] || fail "no pairing code for $1"
  echo "$code"
}

# start_station ROLE [ARG...]: a station of that role paired with the hub, data in $WORK/ROLE,
# its process id in $station_pid. It returns once the frontend has reported its first screen
# rendered: the frontend calls System.ReportRendered once that screen has data, and the
# station writes rendered.json in its data directory when it does.
start_station() {
  local role=$1 code
  shift
  code=$(pairing_code "$role")
  "$BIN/liaison-station" --data "$WORK/$role" --role "$role" --hub "$HUB" --pair "$code" --tz "$STATION_TZ" "$@" \
    >"$WORK/$role.out" 2>&1 &
  station_pid=$!
  pids+=($station_pid)
  for _ in $(seq 1 600); do
    [ -s "$WORK/$role/rendered.json" ] && break
    kill -0 $station_pid 2>/dev/null || fail "$role station exited"
    sleep 0.1
  done
  [ -s "$WORK/$role/rendered.json" ] || fail "$role did not report a rendered screen within 60 s"
}
