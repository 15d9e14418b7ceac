#!/usr/bin/env bash
# Station updates end to end, with the real programs and without touching this machine
# (called by check.sh, make package-check):
#   - keys made and packages signed by the packaged liaison-hub (update keygen, update sign);
#   - the station package built by make package, repacked with dpkg-deb as versions 1.0.0,
#     1.1.0 and 1.2.0. Each repack carries the station binary built from the same source with
#     its version linked in (-X liaison/app.Version), because the station compares the version
#     it reports with the update's; its maintainer scripts are left out (they would create the
#     system user and call systemctl; check.sh runs them against stubs);
#   - the kiosk profile package built by make package, repacked as 1.0.0 (its dependency on the
#     station kept as it is, with the version set to 1.0.0) and installed beside the station,
#     as on every real kiosk and wall: after each update and each rollback its dependency on
#     the station must still hold, or apt would refuse the next install and offer to remove it;
#   - every install request carried out by the installed station's own
#     `liaison-station update apply` process, as liaison-station-update.service does.
# Two commands stand in for the system's, from PATH:
#   dpkg -i PKG   runs the real dpkg into a temporary root (--root, its own database and log,
#                 --force-depends: the root holds none of the libraries the package depends
#                 on). Real dpkg rather than an extraction, so versions, upgrades and
#                 downgrades are dpkg's own; nothing is installed on this machine.
#   systemd-run   with --wait runs the command directly and returns its status, as systemd
#                 does for the transient service; with --on-active=T it only records the
#                 timer's command (and, like systemd, refuses a second unit of the same name).
#                 The test fires a recorded timer when it chooses, by running its command.
# Checked: signing a package as another version than its own is refused; a package signed
# with another key, a package that differs from its signature and
# a version not newer are refused with nothing installed and no timer; a good newer package is
# verified, the rollback timer scheduled before dpkg runs, and installed; with the new
# version's health marker written the timer changes nothing; without it the timer puts the
# previous package back.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dist=$root/build/dist
GO=${GO:-go}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "update-check: $*" >&2; exit 1; }
trap 'echo "update-check: failed at line $LINENO" >&2' ERR
pass=0
ok() { pass=$((pass + 1)); }
started=$SECONDS

station=$(compgen -G "$dist/liaison-station_*_amd64.deb") || fail "no station package in $dist (make package)"
hubdeb=$(compgen -G "$dist/liaison-hub_*_amd64.deb") || fail "no hub package in $dist (make package)"
kioskdeb=$(compgen -G "$dist/liaison-station-kiosk_*_all.deb") || fail "no kiosk package in $dist (make package)"
dpkg-deb -x "$hubdeb" "$t/hub"
hub=$t/hub/usr/bin/liaison-hub
"$hub" update keygen "$t/release.key" >/dev/null
"$hub" update keygen "$t/stranger.key" >/dev/null

# --- repacked station packages ------------------------------------------------------------
mkdir -p "$t/debs"
dpkg-deb -R "$station" "$t/raw"
rm "$t/raw/DEBIAN/postinst" "$t/raw/DEBIAN/prerm" "$t/raw/DEBIAN/postrm"
for v in 1.0.0 1.1.0 1.2.0; do
  $GO build -C "$root" -tags desktop,production,webkit2_41 -ldflags "-X liaison/app.Version=$v" \
    -o "$t/raw/usr/bin/liaison-station" .
  sed -i "s/^Version: .*/Version: $v/" "$t/raw/DEBIAN/control"
  (cd "$t/raw" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$t/raw/DEBIAN/md5sums"
  dpkg-deb --root-owner-group -Znone -b "$t/raw" "$t/debs/liaison-station_${v}_amd64.deb" >/dev/null
  "$hub" update sign --key "$t/release.key" --version "$v" --arch amd64 "$t/debs/liaison-station_${v}_amd64.deb" >/dev/null
done
rm -rf "$t/raw"
# The kiosk profile as 1.0.0, without its maintainer scripts (they enable units with systemctl).
dpkg-deb -R "$kioskdeb" "$t/raw"
rm -f "$t/raw/DEBIAN/postinst" "$t/raw/DEBIAN/prerm" "$t/raw/DEBIAN/postrm"
sed -i -e "s/^Version: .*/Version: 1.0.0/" \
  -e "/^Depends:/s/liaison-station (\([<>=]*\) [^)]*)/liaison-station (\1 1.0.0)/" "$t/raw/DEBIAN/control"
dpkg-deb --root-owner-group -Znone -b "$t/raw" "$t/debs/liaison-station-kiosk_1.0.0_all.deb" >/dev/null
rm -rf "$t/raw"
# A package is signed only as the version its control file says: dpkg installs that one.
if "$hub" update sign --key "$t/release.key" --version 1.3.0 --arch amd64 "$t/debs/liaison-station_1.2.0_amd64.deb" 2>"$t/sign.err"; then
  fail "1.2.0 was signed as 1.3.0"
fi
grep -q 'Version is "1.2.0", not "1.3.0"' "$t/sign.err" || fail "signing 1.2.0 as 1.3.0: $(cat "$t/sign.err")"
ok

# --- the stand-ins --------------------------------------------------------------------------
inst=$t/root # the temporary root dpkg installs into
mkdir -p "$t/shims" "$t/timers" "$inst/var/lib/dpkg" "$inst/var/log"
: >"$inst/var/lib/dpkg/status"
cat >"$t/shims/dpkg" <<'EOF'
#!/bin/sh
# dpkg -i PKG into the test's temporary root (update-check.sh).
[ "$#" = 2 ] && [ "$1" = -i ] || { echo "dpkg stand-in: only dpkg -i PKG, not: $*" >&2; exit 2; }
echo "dpkg -i $2" >>"$SHIM_LOG"
exec /usr/bin/dpkg --root="$INSTALL_ROOT" --log="$INSTALL_ROOT/var/log/dpkg.log" --force-depends -i "$2"
EOF
cat >"$t/shims/systemd-run" <<'EOF'
#!/bin/sh
# systemd-run for update-check.sh: --wait runs the command; --on-active records a timer.
set -eu
unit= wait= after=
while [ "$#" -gt 0 ]; do
  case $1 in
  --unit) unit=$2; shift 2 ;;
  --collect) shift ;;
  --wait) wait=1; shift ;;
  --on-active=*) after=${1#--on-active=}; shift ;;
  -*) echo "systemd-run stand-in: $1 is not emulated" >&2; exit 2 ;;
  *) break ;;
  esac
done
[ -n "$unit" ] && [ "$#" -gt 0 ] || { echo "systemd-run stand-in: --unit and a command are required" >&2; exit 2; }
if [ -n "$after" ]; then
  [ ! -e "$TIMERS/$unit" ] || { echo "Failed to start transient timer unit: Unit $unit.timer was already loaded" >&2; exit 1; }
  printf '%s\0' "$@" >"$TIMERS/$unit"
  echo "timer $unit $after" >>"$SHIM_LOG"
  exit 0
fi
[ -n "$wait" ] || { echo "systemd-run stand-in: only --wait and --on-active are emulated" >&2; exit 2; }
echo "run $unit" >>"$SHIM_LOG"
"$@"
EOF
chmod 0755 "$t/shims"/*
export INSTALL_ROOT=$inst TIMERS=$t/timers SHIM_LOG=$t/calls
shimpath=$t/shims:$PATH

installed() { # the version dpkg's database and the installed binary report
  echo "$(dpkg-query --admindir="$inst/var/lib/dpkg" -W -f='${Version}' liaison-station) $("$inst/usr/bin/liaison-station" version)"
}
expect_installed() { # VERSION WHAT
  local got
  got=$(installed)
  [ "$got" = "$1 liaison-station $1" ] || fail "$2: installed is '$got', want $1"
  ok
}
expect_kiosk_depends() { # WHAT: the kiosk profile's dependency on the station still holds
  local dep op want have
  dep=$(dpkg-query --admindir="$inst/var/lib/dpkg" -W -f='${Depends}' liaison-station-kiosk |
    grep -o 'liaison-station ([^)]*)') || fail "$1: the kiosk profile does not depend on the station"
  read -r op want <<<"${dep#liaison-station (}"
  want=${want%)}
  have=$(dpkg-query --admindir="$inst/var/lib/dpkg" -W -f='${Version}' liaison-station)
  dpkg --compare-versions "$have" "$op" "$want" ||
    fail "$1: the kiosk profile depends on $dep but the station is $have (apt would refuse the next install)"
  ok
}
expect_calls() { # WANT WHAT
  [ "$(cat "$SHIM_LOG")" = "$1" ] || fail "$2: calls were
$(cat "$SHIM_LOG")
want
$1"
  ok
}
expect_kept() { # WANT WHAT: the packages in the root-owned cache
  local got
  got=$(find "$t/keep" -name "*.deb" -printf "%f\n" 2>/dev/null | sort | tr "\n" " ")
  [ "$got" = "$1" ] || fail "$2: the cache holds '$got', want '$1'"
  ok
}
updates=$t/updates # the station's DATA/updates, where its updater leaves packages and requests
mkdir -p "$updates"
offer() { # DIR VERSION: the package and its signature as the station downloaded them
  cp "$1/liaison-station_$2_amd64.deb" "$1/liaison-station_$2_amd64.deb.sig" "$updates/"
}
apply() { # VERSION [PREVIOUS]: the request the station writes, carried out as the update service does
  local p=liaison-station_$1_amd64.deb q=
  [ -n "${2:-}" ] && q=liaison-station_$2_amd64.deb
  if [ -n "$q" ]; then
    printf '{"package":"%s","signature":"%s.sig","previous":"%s","previous_signature":"%s.sig"}' "$p" "$p" "$q" "$q"
  else
    printf '{"package":"%s","signature":"%s.sig"}' "$p" "$p"
  fi >"$updates/request.json"
  : >"$SHIM_LOG"
  PATH=$shimpath "$inst/usr/bin/liaison-station" update apply --request "$updates/request.json" \
    --key "$t/release.key.pub" --keep "$t/keep" >"$t/apply.log" 2>&1
}
refused() { # WANT_IN_LOG WHAT VERSION [PREVIOUS]
  local want=$1 what=$2
  shift 2
  if apply "$@"; then fail "$what: applied"; fi
  grep -q "$want" "$t/apply.log" || { cat "$t/apply.log" >&2; fail "$what: the log does not say '$want'"; }
  [ ! -e "$updates/request.json" ] || fail "$what: the request was not removed"
  ok
}
fire() { # UNIT: the timer's time has come
  local argv=()
  [ -e "$t/timers/$1" ] || fail "no timer $1"
  mapfile -d '' argv <"$t/timers/$1"
  rm "$t/timers/$1"
  : >"$SHIM_LOG"
  PATH=$shimpath "${argv[@]}" >"$t/fire.log" 2>&1 || { cat "$t/fire.log" >&2; fail "timer $1 failed"; }
}
no_timer() { # WHAT
  [ -z "$(ls "$t/timers")" ] || fail "$1: a timer was scheduled: $(ls "$t/timers")"
  ok
}

# The technician's install.
PATH=$shimpath dpkg -i "$t/debs/liaison-station_1.0.0_amd64.deb" >/dev/null 2>&1 || fail "install 1.0.0"
expect_installed 1.0.0 "first install"
PATH=$shimpath dpkg -i "$t/debs/liaison-station-kiosk_1.0.0_all.deb" >/dev/null 2>&1 || fail "install the kiosk profile"
expect_kiosk_depends "first install"

# --- refused --------------------------------------------------------------------------------
offer "$t/debs" 1.0.0
mkdir "$t/stranger"
cp "$t/debs/liaison-station_1.1.0_amd64.deb" "$t/stranger/"
"$hub" update sign --key "$t/stranger.key" --version 1.1.0 --arch amd64 "$t/stranger/liaison-station_1.1.0_amd64.deb" >/dev/null
offer "$t/stranger" 1.1.0
refused "does not verify with the trusted key" "signed with another key" 1.1.0 1.0.0
expect_calls "" "signed with another key"
no_timer "signed with another key"
expect_installed 1.0.0 "signed with another key"
expect_kept "" "signed with another key"

offer "$t/debs" 1.1.0
printf 'x' >>"$updates/liaison-station_1.1.0_amd64.deb"
refused "does not match its signed size and SHA-256" "changed after signing" 1.1.0 1.0.0
expect_calls "" "changed after signing"
no_timer "changed after signing"
expect_installed 1.0.0 "changed after signing"

refused "not newer than the installed version" "the installed version again" 1.0.0
expect_calls "" "the installed version again"
no_timer "the installed version again"
expect_installed 1.0.0 "the installed version again"

# --- a good update that comes up healthy ----------------------------------------------------
offer "$t/debs" 1.1.0
apply 1.1.0 1.0.0 || { cat "$t/apply.log" >&2; fail "1.1.0 was not applied"; }
# The timer is asked for before dpkg runs: a version that never starts is rolled back too.
expect_calls "timer liaison-update-rollback 600s
run liaison-update
dpkg -i $t/keep/liaison-station_1.1.0_amd64.deb" "update to 1.1.0"
timer=$(tr '\0' ' ' <"$t/timers/liaison-update-rollback")
[[ "$timer" == "/bin/sh -c "*" rollback $updates/healthy-1.1.0 $t/keep/liaison-station_1.0.0_amd64.deb " ]] ||
  fail "rollback timer of 1.1.0: $timer"
ok
expect_installed 1.1.0 "update to 1.1.0"
expect_kiosk_depends "update to 1.1.0"
expect_kept "liaison-station_1.0.0_amd64.deb liaison-station_1.1.0_amd64.deb " "update to 1.1.0"
# 1.1.0 runs healthy and writes its marker (updater.Healthy); the timer then changes nothing.
: >"$updates/healthy-1.1.0"
fire liaison-update-rollback
expect_calls "" "1.1.0 healthy, timer fired"
expect_installed 1.1.0 "1.1.0 healthy, timer fired"

# --- a good update that does not come up healthy -------------------------------------------
offer "$t/debs" 1.2.0
apply 1.2.0 1.1.0 || { cat "$t/apply.log" >&2; fail "1.2.0 was not applied"; }
expect_calls "timer liaison-update-rollback 600s
run liaison-update
dpkg -i $t/keep/liaison-station_1.2.0_amd64.deb" "update to 1.2.0"
expect_installed 1.2.0 "update to 1.2.0"
expect_kiosk_depends "update to 1.2.0"
expect_kept "liaison-station_1.1.0_amd64.deb liaison-station_1.2.0_amd64.deb " "update to 1.2.0"
# No healthy-1.2.0: the timer puts 1.1.0 back.
fire liaison-update-rollback
expect_calls "dpkg -i $t/keep/liaison-station_1.1.0_amd64.deb" "1.2.0 not healthy, timer fired"
expect_installed 1.1.0 "1.2.0 not healthy, rolled back"
expect_kiosk_depends "1.2.0 not healthy, rolled back"
grep -q "/usr/bin/liaison-station" "$inst/var/lib/dpkg/info/liaison-station.list" || fail "dpkg's file list lost the binary"
ok

echo "update-check: $pass passed, 0 failed, $((SECONDS - started)) s"
