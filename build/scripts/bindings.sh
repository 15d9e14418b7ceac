#!/usr/bin/env bash
# Writes the frontend's Go bindings (frontend/src/bindings/wailsjs) the way the Wails CLI
# does: a build of the station with -tags bindings hands Wails the bound services, Wails
# writes their JavaScript/TypeScript bindings and models into the wailsjsdir of the wails.json
# in the working directory, and exits. No window, no cgo, no network.
#   bindings.sh          regenerate into the tree
#   bindings.sh check    regenerate into a temporary directory and fail on any difference
set -euo pipefail
mode=${1:-write}
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/frontend/src/bindings/wailsjs"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root"
CGO_ENABLED=0 ${GO:-go} build -tags bindings -o "$tmp/gen" .
printf '{"name":"liaison-station","wailsjsdir":"%s"}\n' "$tmp" >"$tmp/wails.json"
# interfaces, not classes: the values crossing the bridge are plain JSON objects
if ! (cd "$tmp" && tsoutputtype=interfaces ./gen >"$tmp/gen.log" 2>&1); then
  cat "$tmp/gen.log" >&2
  exit 1
fi
# Wails marks every file executable; the tree keeps them plain
find "$tmp/wailsjs" -type f -exec chmod 0644 {} +

if [ "$mode" = check ]; then
  if ! diff -r "$out" "$tmp/wailsjs"; then
    echo "frontend/src/bindings/wailsjs is not what the Go services generate: run make bindings" >&2
    exit 1
  fi
  echo "bindings up to date"
  exit 0
fi
rm -rf "$out"
cp -r "$tmp/wailsjs" "$out"
echo "wrote $out"
