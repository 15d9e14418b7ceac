#!/bin/sh
# Prints the version of a build, the same for the binaries and their packages (a station
# compares it with the versions of signed updates): X.Y.Z from a vX.Y.Z tag on HEAD, else
# 0.0.0~gitYYYYMMDDHHMMSS+HASH of the last commit (UTC), which grows from commit to commit so
# every newer build upgrades an older one. Fails outside a git checkout.
set -eu
if tag=$(git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null); then
  echo "${tag#v}"
else
  echo "0.0.0~git$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y%m%d%H%M%S)+$(git rev-parse --short=12 HEAD)"
fi
