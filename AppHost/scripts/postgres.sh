#!/usr/bin/env bash
# PostgreSQL 15 in the foreground, as the postgres user (initdb and postgres refuse root).
# PG_PORT, PG_DATA, PG_PASSWORD (the superuser's, for start-up only); PG_DATABASES: space-separated
# "database:owner:password" entries (a bare "database" is created for the superuser: test servers). Each owner is a login role that is no superuser, may create
# no database or role, and owns its database and everything in it; nobody else may connect to it.
# The password is set at every start (the AppHost draws new ones each run).
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
  -c max_connections=300 -c fsync="${PG_FSYNC:-on}" -c shared_preload_libraries=pg_stat_statements &
pid=$!
# Fast shutdown (SIGINT to postgres) on SIGTERM/SIGINT, so nothing outlives whoever started us.
trap 'kill -INT "$pid" 2>/dev/null; wait "$pid"; exit 0' TERM INT HUP

for _ in $(seq 1 100); do
  as_postgres "$bin/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1 &&
    psql -h "$PG_DATA" -p "$PG_PORT" -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1 && break
  sleep 0.1
done
sql() { psql -h "$PG_DATA" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
for entry in ${PG_DATABASES:-}; do
  IFS=: read -r db owner password <<<"$entry"
  if [ -z "$owner" ]; then
    [ "$(sql -d postgres -c "select 1 from pg_database where datname = '$db'")" = 1 ] || sql -d postgres -c "create database \"$db\"" >/dev/null
    continue
  fi
  if [ "$(sql -d postgres -c "select 1 from pg_roles where rolname = '$owner'")" = 1 ]; then
    sql -d postgres -c "alter role \"$owner\" with login nosuperuser nocreatedb nocreaterole password '$password'" >/dev/null
  else
    sql -d postgres -c "create role \"$owner\" with login nosuperuser nocreatedb nocreaterole password '$password'" >/dev/null
  fi
  [ "$(sql -d postgres -c "select 1 from pg_database where datname = '$db'")" = 1 ] ||
    sql -d postgres -c "create database \"$db\" owner \"$owner\"" >/dev/null
  sql -d postgres -c "alter database \"$db\" owner to \"$owner\"; revoke all on database \"$db\" from public" >/dev/null
  # Tables and search configurations made by an earlier version that ran as the superuser pass to the owner.
  sql -d "$db" -c "do \$\$ declare r record; begin
    for r in select format('alter %s %I.%I owner to %I', case c.relkind when 'S' then 'sequence' when 'v' then 'view' else 'table' end,
                           n.nspname, c.relname, '$owner') as ddl
             from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'public' and c.relkind in ('r', 'p', 'S', 'v') and pg_get_userbyid(c.relowner) <> '$owner'
               and not (c.relkind = 'S' and exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i')))
             union all
             select format('alter text search configuration %I.%I owner to %I', n.nspname, c.cfgname, '$owner')
             from pg_ts_config c join pg_namespace n on n.oid = c.cfgnamespace
             where n.nspname = 'public' and pg_get_userbyid(c.cfgowner) <> '$owner'
    loop execute r.ddl; end loop; end \$\$" >/dev/null
done
echo "postgres ready on 127.0.0.1:$PG_PORT, databases: $(for entry in ${PG_DATABASES:-}; do printf '%s ' "${entry%%:*}"; done)"
wait "$pid"
