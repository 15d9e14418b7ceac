#!/usr/bin/env bash
# Stops or starts the demo's hub, to see the stations keep working offline and catch up:
#   build/scripts/demo-hub.sh stop
#   build/scripts/demo-hub.sh start [extra hub flags]
set -euo pipefail
cd "$(dirname "$0")/../.."
DEMO=${DEMO_DIR:-.demo}
PORT=${HUB_PORT:-8480}
HUB=http://127.0.0.1:$PORT
pidfile=$DEMO/hub.pid

case "${1:-}" in
stop)
  if [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null; then
    while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.1; done
    echo "hub stopped"
  else
    echo "hub was not running"
  fi
  rm -f "$pidfile"
  ;;
start)
  shift
  if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "hub already running (pid $(cat "$pidfile"))"
    exit 0
  fi
  mkdir -p "$DEMO"
  setsid build/bin/liaison-hub --data "$DEMO/hub" --listen "127.0.0.1:$PORT" --public-url "$HUB" "$@" \
    >>"$DEMO/hub.out" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for _ in $(seq 1 100); do
    curl -fsS "$HUB/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "$HUB/healthz" >/dev/null || { echo "hub did not start; see $DEMO/hub.out" >&2; exit 1; }
  echo "hub: $HUB (data in $DEMO/hub, log $DEMO/hub.out)"
  ;;
*)
  echo "usage: $0 stop|start" >&2
  exit 2
  ;;
esac
