#!/usr/bin/env bash
# Builds the Debian packages into build/dist with nFPM (this directory's tools module):
#   liaison-hub           amd64 and arm64 (pure Go, CGO_ENABLED=0: modernc SQLite)
#   liaison-station       amd64 only (cgo: GTK and WebKitGTK are linked)
#   liaison-station-kiosk all (the kiosk session: units and scripts)
# Expects build/bin/liaison-station and frontend/dist (make station), built with the same
# version (build/scripts/version.sh): a station compares the version it reports with the
# versions of signed updates, so a packaged station must report its package's version.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
GO=${GO:-go}
version=$(build/scripts/version.sh)
dist=build/dist
rm -rf "$dist"
mkdir -p "$dist"

for arch in amd64 arm64; do
  bin=build/bin/linux-$arch
  mkdir -p "$bin"
  CGO_ENABLED=0 GOOS=linux GOARCH=$arch $GO build -trimpath -tags production \
    -ldflags "-X main.version=$version" -o "$bin/liaison-hub" ./sync/hub/cmd/liaison-hub
done
[ -x build/bin/liaison-station ] || { echo "build/bin/liaison-station missing: make station" >&2; exit 1; }
got=$(build/bin/liaison-station version)
[ "$got" = "liaison-station $version" ] ||
  { echo "build/bin/liaison-station reports '$got', want version $version: make station" >&2; exit 1; }
cp build/bin/liaison-station build/bin/linux-amd64/liaison-station

# nFPM resolves the contents' paths from here; the descriptions read these variables.
export PKG_VERSION=$version
# The descriptions take the binaries from build/bin/stage (nFPM expands no variables in paths).
pkg() { # CONFIG ARCH
  rm -rf build/bin/stage
  cp -r "build/bin/linux-$2" build/bin/stage
  PKG_ARCH=$2 $GO -C build/package tool nfpm pkg --config "$1" --packager deb --target "$root/$dist/" >/dev/null
}
pkg hub.yaml amd64
pkg hub.yaml arm64
pkg station.yaml amd64
pkg station-kiosk.yaml amd64
rm -rf build/bin/stage
ls -l "$dist"
