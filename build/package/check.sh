#!/usr/bin/env bash
# Checks the packages in build/dist (make package-check):
#  - control fields and contents (dpkg-deb --info/--contents), modes, static hub binaries;
#  - maintainer scripts: shellcheck, then run against stub commands for a first install, an
#    upgrade, a removal and a purge: data is kept except on purge;
#  - the hub package extracted into a temporary root, its service binary started the way its
#    unit does with the packaged /etc/liaison/hub.env, answering /healthz, and a backup taken
#    the way the backup unit does;
#  - the station binary reports its package's version, and station updates are refused,
#    applied and rolled back by the real programs in a temporary root (update-check.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dist=$root/build/dist
tmp=$(mktemp -d)
hubpid=
cleanup() {
  [ -n "$hubpid" ] && kill "$hubpid" 2>/dev/null && wait "$hubpid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "package-check: $*" >&2; exit 1; }
pass=0
ok() { pass=$((pass + 1)); }

one() { # PATTERN: the single package file matching it
  local f
  f=$(compgen -G "$dist/$1") || fail "no $1 in $dist (make package)"
  [ "$(wc -l <<<"$f")" = 1 ] || fail "several $1 in $dist"
  echo "$f"
}
hub_amd64=$(one 'liaison-hub_*_amd64.deb')
hub_arm64=$(one 'liaison-hub_*_arm64.deb')
station=$(one 'liaison-station_*_amd64.deb')
kiosk=$(one 'liaison-station-kiosk_*_all.deb')
version=$(dpkg-deb --field "$hub_amd64" Version)

# --- control fields --------------------------------------------------------------------------
field() { dpkg-deb --field "$1" "$2"; }
expect_field() { # DEB FIELD WANT (substring)
  local got
  got=$(field "$1" "$2")
  [[ "$got" == *"$3"* ]] || fail "$(basename "$1"): $2 is '$got', want '$3'"
  ok
}
for deb in "$hub_amd64" "$hub_arm64" "$station" "$kiosk"; do
  dpkg-deb --info "$deb" >/dev/null || fail "$(basename "$deb") is not a Debian package"
  expect_field "$deb" Version "$version"
done
expect_field "$hub_amd64" Architecture amd64
expect_field "$hub_arm64" Architecture arm64
expect_field "$station" Architecture amd64
expect_field "$station" Depends libwebkit2gtk-4.1-0
expect_field "$kiosk" Architecture all
expect_field "$kiosk" Depends "liaison-station (>= $version)"
expect_field "$kiosk" Depends cage

# --- contents ---------------------------------------------------------------------------------
has() { # DEB MODE PATH
  local line
  line=$(dpkg-deb --contents "$1" | awk -v p=".$3" '$6 == p')
  [ -n "$line" ] || fail "$(basename "$1") lacks $3"
  [[ "$line" == "$2"* ]] || fail "$(basename "$1"): $3 is ${line%% *}, want $2"
  ok
}
for deb in "$hub_amd64" "$hub_arm64"; do
  has "$deb" -rwxr-xr-x /usr/bin/liaison-hub
  has "$deb" -rw-r--r-- /usr/lib/systemd/system/liaison-hub.service
  has "$deb" -rw-r--r-- /usr/lib/systemd/system/liaison-hub-backup.service
  has "$deb" -rw-r--r-- /usr/lib/systemd/system/liaison-hub-backup.timer
  has "$deb" -rw-r--r-- /etc/liaison/hub.env
done
has "$station" -rwxr-xr-x /usr/bin/liaison-station
has "$station" -rw-r--r-- /usr/lib/systemd/system/liaison-station.service
has "$station" -rw-r--r-- /usr/lib/systemd/system/liaison-station-update.path
has "$station" -rw-r--r-- /usr/lib/systemd/system/liaison-station-update.service
has "$station" -rw-r--r-- /etc/liaison/station.env
has "$kiosk" -rw-r--r-- /usr/lib/systemd/system/liaison-station-kiosk.service
has "$kiosk" -rwxr-xr-x /usr/lib/liaison-station/kiosk-session
has "$kiosk" -rwxr-xr-x /usr/lib/liaison-station/backlight
for deb in "$hub_amd64" "$station"; do
  [[ "$(dpkg-deb --contents "$deb" | awk '{print $6}')" == *./var/* ]] && fail "$(basename "$deb") ships files under /var: data is made by postinst"
  ok
done
for deb in "$hub_amd64" "$station"; do
  [[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -t)" == *./conffiles* ]] || fail "$(basename "$deb") has no conffiles"
  [ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = "$(dpkg-deb --contents "$deb" | awk '$6 ~ /^\.\/etc\// && $1 !~ /^d/ {print substr($6, 2)}')" ] ||
    fail "$(basename "$deb"): not every file under /etc is a conffile"
  ok
done

# Extract everything; the hub binaries must be static (pure Go, no cgo).
for deb in "$hub_amd64" "$hub_arm64" "$station" "$kiosk"; do
  name=$(basename "$deb" .deb)
  mkdir -p "$tmp/$name"
  dpkg-deb -x "$deb" "$tmp/$name/root"
  dpkg-deb -e "$deb" "$tmp/$name/DEBIAN"
done
hubroot=$tmp/$(basename "$hub_amd64" .deb)/root
# A station compares the version it reports with the versions of signed updates.
[ "$("$tmp/$(basename "$station" .deb)/root/usr/bin/liaison-station" version)" = "liaison-station $version" ] ||
  fail "the packaged station does not report version $version"
ok
for deb in "$hub_amd64" "$hub_arm64"; do
  elf=$tmp/$(basename "$deb" .deb)/root/usr/bin/liaison-hub
  want=x86-64
  [ "$deb" = "$hub_arm64" ] && want=aarch64
  info=$(file -b "$elf")
  [[ "$info" == *"$want"* && "$info" == *"statically linked"* ]] || fail "$(basename "$deb"): hub binary is '$info'"
  ok
done

# The units parse (systemd-analyze verify; the binaries they name are in the extracted trees,
# not at their installed paths, which is all it may report).
units=$(find "$tmp" -path '*/usr/lib/systemd/system/*' -type f)
if command -v systemd-analyze >/dev/null; then
  # shellcheck disable=SC2086
  bad=$(systemd-analyze verify --man=no $units 2>&1 | grep -v 'is not executable: No such file or directory' || true)
  [ -z "$bad" ] || fail "systemd units: $bad"
  ok
else
  echo "package-check: systemd-analyze not installed, units not verified" >&2
fi

# --- maintainer scripts -----------------------------------------------------------------------
scripts=$(find "$tmp" -path '*/DEBIAN/*' \( -name postinst -o -name prerm -o -name postrm \))
[ "$(wc -l <<<"$scripts")" -ge 8 ] || fail "maintainer scripts missing: $scripts"
if command -v shellcheck >/dev/null; then
  # shellcheck disable=SC2086
  shellcheck -s sh $scripts "$tmp"/*/root/usr/lib/liaison-station/* || fail "shellcheck"
  ok
elif [ -n "${CI:-}" ]; then
  fail "shellcheck is not installed"
else
  echo "package-check: shellcheck not installed, scripts only parsed" >&2
fi
for s in $scripts; do
  [ -x "$s" ] || fail "$s is not executable"
  sh -n "$s" || fail "$s does not parse"
  ok
done

# The scripts run against stubs that log their calls. getent finds the user when the stub
# state file says it exists; /run/systemd/system decides whether systemctl is used, so the
# log is compared without the systemctl lines when the check runs without systemd.
stubs=$tmp/stubs
mkdir -p "$stubs"
# shellcheck disable=SC2016 # the stubs expand their own variables
for c in useradd usermod userdel install systemctl rm; do
  printf '#!/bin/sh\necho "%s $*" >>"$STUB_LOG"\n' "$c" >"$stubs/$c"
done
# shellcheck disable=SC2016
printf '#!/bin/sh\n[ "$1" = passwd ] && [ -e "$STUB_USERS" ] && exit 0\n[ "$1" = group ] && exit 0\nexit 2\n' >"$stubs/getent"
chmod 0755 "$stubs"/*
run_script() { # PKG SCRIPT USER_EXISTS ARGS…
  local pkg=$1 script=$2 exists=$3
  shift 3
  : >"$tmp/log"
  rm -f "$tmp/users"
  [ "$exists" = yes ] && : >"$tmp/users"
  env -i PATH="$stubs" STUB_LOG="$tmp/log" STUB_USERS="$tmp/users" /bin/sh "$tmp/$pkg/DEBIAN/$script" "$@" ||
    fail "$pkg $script $* failed"
  grep -v '^systemctl ' "$tmp/log" || true
}
expect_calls() { # WHAT WANT GOT
  [ "$2" = "$3" ] || fail "$1: calls were
$3
want
$2"
  ok
}
hubpkg=$(basename "$hub_amd64" .deb)
stpkg=$(basename "$station" .deb)
expect_calls "hub first install" "useradd --system --user-group --home-dir /var/lib/liaison-hub --no-create-home --shell /usr/sbin/nologin --comment Liaison hub liaison-hub
install -d -o liaison-hub -g liaison-hub -m 0700 /var/lib/liaison-hub
install -d -o liaison-hub -g liaison-hub -m 0700 /var/backups/liaison-hub" "$(run_script "$hubpkg" postinst no configure)"
expect_calls "hub upgrade" "install -d -o liaison-hub -g liaison-hub -m 0700 /var/lib/liaison-hub
install -d -o liaison-hub -g liaison-hub -m 0700 /var/backups/liaison-hub" "$(run_script "$hubpkg" postinst yes configure 0.0.0~git1)"
expect_calls "hub remove" "" "$(run_script "$hubpkg" prerm yes remove; run_script "$hubpkg" postrm yes remove)"
expect_calls "hub purge" "rm -rf /var/lib/liaison-hub
userdel liaison-hub" "$(run_script "$hubpkg" postrm yes purge)"
expect_calls "hub upgrade, old package's scripts" "" "$(run_script "$hubpkg" prerm yes upgrade 0.0.0~git2; run_script "$hubpkg" postrm yes upgrade 0.0.0~git2)"
expect_calls "station upgrade" "usermod -a -G dialout liaison-station
usermod -a -G video liaison-station
usermod -a -G input liaison-station
usermod -a -G render liaison-station
install -d -o liaison-station -g liaison-station -m 0700 /var/lib/liaison-station" "$(run_script "$stpkg" postinst yes configure 0.0.0~git1)"
grep -q '^[[:space:]]*systemctl enable --now liaison-station-update.path$' "$tmp/$stpkg/DEBIAN/postinst" ||
  fail "station postinst does not enable liaison-station-update.path"
ok
expect_calls "station remove" "" "$(run_script "$stpkg" postrm yes remove)"
expect_calls "station purge" "rm -rf /var/lib/liaison-station
userdel liaison-station" "$(run_script "$stpkg" postrm yes purge)"

# --- the packaged hub runs with its packaged configuration ------------------------------------
unit=$hubroot/usr/lib/systemd/system/liaison-hub.service
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[ -n "$exec_start" ] || fail "liaison-hub.service has no ExecStart"
data=$tmp/var-lib-liaison-hub
mkdir -p "$data"
# The unit's command with the extracted root's paths and the packaged settings; only the
# listen address is narrowed to a free port of this machine's loopback.
# shellcheck disable=SC1091,SC2034 # the packaged settings, read by the eval
cmd=$(set -a; . "$hubroot/etc/liaison/hub.env"; LIAISON_HUB_LISTEN=127.0.0.1:0; set +a
  eval "echo $exec_start" | sed "s#/usr/bin/#$hubroot/usr/bin/#; s#/var/lib/liaison-hub#$data#")
# shellcheck disable=SC2086
$cmd >"$tmp/hub.out" 2>&1 &
hubpid=$!
health=
for _ in $(seq 1 150); do
  addr=$(grep 'msg="hub serving"' "$tmp/hub.out" | grep -o ' addr=[0-9.:]*' | cut -d= -f2) || true
  if [ -n "$addr" ] && health=$(curl -fsS "http://$addr/healthz" 2>/dev/null); then break; fi
  kill -0 "$hubpid" 2>/dev/null || { cat "$tmp/hub.out" >&2; fail "the packaged hub exited"; }
  sleep 0.2
done
[[ "$health" == *"\"version\":\"$version\""* ]] || { cat "$tmp/hub.out" >&2; fail "healthz: '$health'"; }
ok
bexec=$(sed -n 's/^ExecStart=//p' "$hubroot/usr/lib/systemd/system/liaison-hub-backup.service")
# shellcheck disable=SC1091,SC2034
bcmd=$(set -a; . "$hubroot/etc/liaison/hub.env"; LIAISON_HUB_BACKUP_DIR=$tmp/backups; set +a
  eval "echo $bexec" | sed "s#/usr/bin/#$hubroot/usr/bin/#; s#/var/lib/liaison-hub#$data#")
# shellcheck disable=SC2086
[[ "$($bcmd)" == *'hash chain intact'* ]] || fail "the packaged backup command failed"
compgen -G "$tmp/backups/liaison-hub-*.tar.gz" >/dev/null || fail "no backup archive written"
ok
kill "$hubpid"
wait "$hubpid" || true
hubpid=

echo "package-check: $version: $pass passed, 0 failed"
GO=${GO:-go} "$root/build/package/update-check.sh"
