#!/usr/bin/env bash
# Starts the demo: a hub on embedded SQLite with a demo street, then a kiosk window and a wall
# window, each with its own data directory, paired with the hub, with simulated ID-card reader
# and QR scanner. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=build/bin
DEMO=${DEMO_DIR:-.demo}
PORT=${HUB_PORT:-8480}
HUB=http://127.0.0.1:$PORT
# The stations' zone: every time on the screens is shown in it, whatever the machine's zone.
STATION_TZ=${STATION_TZ:-Asia/Shanghai}

pids=()
stations=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "stopping demo…"
  build/scripts/demo-hub.sh stop >/dev/null 2>&1 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

if ss -ltn 2>/dev/null | grep -q ":$PORT "; then
  echo "port $PORT is in use: stop what uses it or run with HUB_PORT=another port" >&2
  exit 1
fi

rm -rf "$DEMO"
mkdir -p "$DEMO"

# A machine with no display gets a virtual one, so the windows still run (and can be
# looked at with: DISPLAY=:88 import -window root shot.png).
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  export DISPLAY=:88
  Xvfb :88 -screen 0 3000x1920x24 -nolisten tcp >"$DEMO/xvfb.log" 2>&1 &
  pids+=($!)
  echo "no display found: windows run on the virtual display $DISPLAY"
fi

DEMO_DIR=$DEMO HUB_PORT=$PORT build/scripts/demo-hub.sh start --seed-demo

# Demo accounts of the console (the hub is new, so they are too): an admin, the street's
# 人大工委 desk, a department and a representative (张三, HX01-R01, whose community
# 幸福里社区 has new cases to claim). Their passwords are printed at the end.
demo_user() { # login role password extra-args…
  local login=$1 role=$2 pw=$3
  shift 3
  printf '%s\n' "$pw" | "$BIN/liaison-hub" user add "$login" --role "$role" --password-stdin \
    --data "$DEMO/hub" "$@" >/dev/null
}
demo_user admin admin demo-admin-2026 --name 管理员
demo_user wangzr staff demo-wangzr-2026 --name 王主任 --node HX
demo_user zhujianju department demo-zhujianju-2026 --name 朱建军 --dept JD-CG
# the district above the street: its 人大常委会 desk, which takes the cases streets hand up
# (上报), and a district bureau it assigns them to
demo_user liuqu staff demo-liuqu-2026 --name 刘主任 --node SFQ
demo_user zhoujian department demo-zhoujian-2026 --name 周建 --dept Q-ZJ
demo_user zhangsan representative demo-zhangsan-2026 --name 张三 --rep HX01-R01

pair_code() {
  "$BIN/liaison-hub" device add --data "$DEMO/hub" --station HX01 --role "$1" --name "$2" |
    sed -n 's/^pairing code: *//p'
}

start_station() { # role name extra-args…
  local role=$1 name=$2
  shift 2
  local code
  code=$(pair_code "$role" "$name")
  [ -n "$code" ] || { echo "could not get a pairing code for the $role" >&2; exit 1; }
  "$BIN/liaison-station" --data "$DEMO/$role" --role "$role" --hub "$HUB" --pair "$code" --tz "$STATION_TZ" "$@" \
    >"$DEMO/$role.out" 2>&1 &
  pids+=($!)
  stations+=($!)
  echo "$role window started (data in $DEMO/$role, log $DEMO/$role.out)"
}

# place_window PID X Y keeps the window of PID at X,Y for its first minute and a half (the kiosk
# on the left, the wall beside it): the window centres itself once its page has loaded, which
# under load can take a while. It runs in the background so it does not hold up the demo.
place_window() {
  command -v xdotool >/dev/null || return 0
  local pid=$1 x=$2 y=$3
  (
    for _ in $(seq 1 90); do
      for win in $(xdotool search --onlyvisible --pid "$pid" 2>/dev/null); do
        xdotool getwindowgeometry "$win" | grep -q "Position: $x,$y " || xdotool windowmove "$win" "$x" "$y"
      done
      sleep 1
    done
  ) >/dev/null 2>&1 &
}

# A demo representative badge: the kiosk's 模拟刷卡 menu scans it ("模拟扫码（代表证）").
mkdir -p -m 700 "$DEMO/kiosk"
[ -s "$DEMO/kiosk/demo-badge.txt" ] ||
  "$BIN/liaison-hub" badge issue --data "$DEMO/hub" --rep HX01-R01 --payload-only >"$DEMO/kiosk/demo-badge.txt" ||
  echo "could not issue the demo badge" >&2
start_station kiosk "演示触摸屏" --reader sim --scanner sim --demo
place_window "${stations[0]}" 0 0
start_station wall "演示大屏" --demo
place_window "${stations[1]}" 1080 0

echo
echo "Demo running. Kiosk: tap 模拟刷卡 to place a sample ID card. Technician PIN: 246810."
echo "Representative badge (HX01-R01): 模拟刷卡 → 其他样例 → 模拟扫码（代表证）; payload in $DEMO/kiosk/demo-badge.txt"
echo "Hub console: $HUB/console/"
echo "  admin / demo-admin-2026 (管理员) · wangzr / demo-wangzr-2026 (王主任，街道人大工委) ·"
echo "  zhujianju / demo-zhujianju-2026 (朱建军，街道城管科)"
echo "  District (示范区): liuqu / demo-liuqu-2026 (刘主任，区人大常委会; 区域总览 #/board, 上报件) ·"
echo "  zhoujian / demo-zhoujian-2026 (周建，区住建局)"
echo "  API token for scripts: build/bin/liaison-hub token create --user wangzr --data $DEMO/hub"
echo "Representatives' phone workspace: $HUB/m/"
echo "  zhangsan / demo-zhangsan-2026 (张三，代表 HX01-R01)"
echo "To see the stations work offline: build/scripts/demo-hub.sh stop … build/scripts/demo-hub.sh start"
echo "Press Ctrl-C to stop."
# The demo ends when a window is closed (the hub may be stopped and started meanwhile).
wait -n "${stations[@]}" || true
