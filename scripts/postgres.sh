#!/usr/bin/env bash
# A throwaway PostgreSQL cluster from Debian's packages, for the tests and the benchmarks (installs them when missing).
#   scripts/postgres.sh start DIR PORT   initdb in DIR (trust auth, loopback only) and start it on PORT
#   scripts/postgres.sh stop DIR         stop it (the folder stays; delete it yourself)
# Runs as root (the server then runs as the postgres user) or as any other user (the server runs as that user).
set -euo pipefail

bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$found" ]; then
    echo "Installing PostgreSQL from Debian" >&2
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y --no-install-recommends postgresql </dev/null >&2 \
      || { $sudo apt-get update </dev/null >&2 && $sudo apt-get install -y --no-install-recommends postgresql </dev/null >&2; }
    found=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$found"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

case "${1:-}" in
  start)
    dir=$(realpath -m "$2"); port=$3; pg=$(bin)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "'$pg/initdb' -D '$dir/data' -A trust -U postgres --no-sync -E UTF8 >'$dir/initdb.log'"
    # fsync stays on: the benchmarks measure real commits. Enough connections for two nodes and the test hosts.
    as_owner "'$pg/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c max_connections=300\" start >/dev/null"
    echo "Host=127.0.0.1;Port=$port;Username=postgres"
    ;;
  stop)
    dir=$(realpath -m "$2"); pg=$(bin)
    [ -d "$dir/data" ] && as_owner "'$pg/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null" || true
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
