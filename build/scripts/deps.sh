#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build and test Liaison Station.
#   deps.sh build   — what the build and the demo need
#   deps.sh test    — that, plus what the tests need (Xvfb, Chromium, ImageMagick, shellcheck)
set -euo pipefail
want=${1:-build}

need=()
pkg-config --exists webkit2gtk-4.1 gtk+-3.0 2>/dev/null || need+=(libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config)
command -v gcc >/dev/null || need+=(gcc)
command -v Xvfb >/dev/null || need+=(xvfb xauth)
command -v xdpyinfo >/dev/null || need+=(x11-utils)
command -v xdotool >/dev/null || need+=(xdotool) # the demo places its two windows side by side
if [ "$want" = test ]; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v import >/dev/null || need+=(imagemagick)
  command -v shellcheck >/dev/null || need+=(shellcheck) # make package-check
  command -v file >/dev/null || need+=(file)
  command -v curl >/dev/null || need+=(curl)
fi
command -v node >/dev/null && command -v npm >/dev/null || need+=(nodejs npm)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "missing packages; run:" >&2
    echo "  sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

# The hub's PostgreSQL store is tested on a private server (with-postgres.sh), from Debian's
# postgresql package. Installed on its own: where the package's own cluster cannot start (a
# container without an init system) its setup may report an error, but the binaries the tests
# use are in place; without them the PostgreSQL tests skip, saying so.
if [ "$want" = test ] && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing: postgresql"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null ||
      echo "deps: postgresql reported an error while setting up; the tests start their own server" >&2
  else
    echo "PostgreSQL is not installed: its tests will skip (sudo apt-get install -y postgresql)" >&2
  fi
fi

# Frontend packages exactly as the lock file has them; skipped when they are already in place.
# The lock lists the optional packages of every platform, so npm ci accepts it on any of them.
cd "$(dirname "$0")/../../frontend"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
