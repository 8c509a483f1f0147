#!/usr/bin/env bash
# Runs a command with TEST_DATABASE_URL naming a PostgreSQL server the tests may create schemas in.
#
#   scripts/with-postgres.sh npx vitest run
#
# With TEST_DATABASE_URL already set, that server is used and nothing is started. Otherwise a
# throwaway server is initialised in a temporary folder, started on a free port of 127.0.0.1 and
# stopped (and its folder removed) when the command ends. That needs PostgreSQL's server binaries
# (Debian: `apt-get install postgresql`; found in /usr/lib/postgresql/*/bin or on PATH); nothing is
# installed here. PostgreSQL refuses to run as root, so as root the server runs as `nobody`.
set -euo pipefail

if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  exec "$@"
fi

# Debian keeps the server's binaries off PATH, one folder per major version: take the newest.
shopt -s nullglob
candidates=(/usr/lib/postgresql/*/bin)
shopt -u nullglob
candidates=($(printf '%s\n' "${candidates[@]}" | sort -V -r))
if command -v initdb >/dev/null; then candidates+=("$(dirname "$(command -v initdb)")"); fi
bindir=""
for dir in "${candidates[@]}"; do
  if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
    bindir="$dir"
    break
  fi
done
if [[ -z "$bindir" ]]; then
  echo "with-postgres: no PostgreSQL server binaries (initdb, pg_ctl) found;" \
    "install them (Debian: apt-get install postgresql) or set TEST_DATABASE_URL=postgres://…" >&2
  exit 1
fi

as_owner=()
if [[ "$(id -u)" == 0 ]]; then
  # In /tmp, which nobody can reach (root's TMPDIR may not be).
  work="$(mktemp -d /tmp/threaddesk-pg.XXXXXX)"
  chown nobody "$work"
  as_owner=(runuser -u nobody --)
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/threaddesk-pg.XXXXXX")"
fi

port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"

stop() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Durability is pointless for a server that lives one run: no fsync, no full-page writes.
"${as_owner[@]}" "$bindir/initdb" -D "$work/data" -U threaddesk --auth=trust -E UTF8 --locale=C \
  --no-sync >"$work/initdb.log" 2>&1 || {
  cat "$work/initdb.log" >&2
  exit 1
}
"${as_owner[@]}" "$bindir/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || {
  cat "$work/server.log" >&2
  exit 1
}
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2

export TEST_DATABASE_URL="postgres://threaddesk@127.0.0.1:$port/postgres"
set +e
"$@"
status=$?
set -e
exit "$status"
