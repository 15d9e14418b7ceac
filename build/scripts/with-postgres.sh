#!/usr/bin/env bash
# Runs a command with LIAISON_TEST_POSTGRES naming a PostgreSQL server the tests may create
# databases on: the one already named, or a private server started here for the command
# (Debian's postgresql package, a temporary data directory, a free port on loopback) and
# removed after it. Without PostgreSQL installed the command runs without it, and the
# PostgreSQL tests say they skipped.
set -euo pipefail
if [ -n "${LIAISON_TEST_POSTGRES:-}" ]; then
  exec "$@"
fi
bindir=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "with-postgres: PostgreSQL is not installed; the PostgreSQL tests will skip" >&2
  exec "$@"
fi

# PostgreSQL refuses to run as root: as root, the server runs as the package's postgres user.
as_server() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

dir=$(mktemp -d /tmp/liaison-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=
for _ in $(seq 50); do
  p=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    port=$p
    break
  fi
done
if [ -z "$port" ]; then
  echo "with-postgres: no free port found" >&2
  exit 1
fi
stop() {
  as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
as_server "$bindir/initdb" -D "$dir/data" -U liaison --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
# fsync off: the server is thrown away after the tests. Parallel tests each hold a pool.
as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=500 -c shared_buffers=64MB" >/dev/null ||
  { cat "$dir/server.log" >&2; exit 1; }
export LIAISON_TEST_POSTGRES="postgres://liaison@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port for the tests" >&2
"$@"
