#!/usr/bin/env bash
# PostgreSQL 15 in the foreground, as the postgres user (initdb and postgres refuse root).
# PG_PORT, PG_DATA, PG_PASSWORD; PG_DATABASES: space-separated databases created when missing.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

mkdir -p "$PG_DATA"
chown postgres:postgres "$PG_DATA"
chmod 700 "$PG_DATA"
if [ ! -s "$PG_DATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "$PG_PASSWORD" >"$pwfile"
  chown postgres "$pwfile"
  as_postgres "$bin/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" \
    --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
fi

# setpriv execs postgres, so $pid is the server itself (a backgrounded shell function would leave
# a subshell in between that ignores SIGINT).
setpriv --reuid=postgres --regid=postgres --init-groups "$bin/postgres" -D "$PG_DATA" -p "$PG_PORT" -h 127.0.0.1 -k "$PG_DATA" \
  -c max_connections=300 -c fsync="${PG_FSYNC:-on}" &
pid=$!
# Fast shutdown (SIGINT to postgres) on SIGTERM/SIGINT, so nothing outlives whoever started us.
trap 'kill -INT "$pid" 2>/dev/null; wait "$pid"; exit 0' TERM INT HUP

for _ in $(seq 1 100); do
  as_postgres "$bin/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1 &&
    psql -h "$PG_DATA" -p "$PG_PORT" -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1 && break
  sleep 0.1
done
for db in ${PG_DATABASES:-}; do
  exists=$(psql -h "$PG_DATA" -p "$PG_PORT" -U postgres -d postgres -Atc "select 1 from pg_database where datname = '$db'")
  [ "$exists" = 1 ] || psql -h "$PG_DATA" -p "$PG_PORT" -U postgres -d postgres -qc "create database \"$db\"" >/dev/null
done
echo "postgres ready on 127.0.0.1:$PG_PORT, databases: ${PG_DATABASES:-none}"
wait "$pid"
