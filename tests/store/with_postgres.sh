#!/usr/bin/env bash
# with_postgres.sh COMMAND [ARGS...]: runs COMMAND with a PostgreSQL server of its
# own and stops the server afterwards, whatever COMMAND's outcome.
#
# The server is Debian's PostgreSQL 15 (tools/install-deps installs it): initdb into
# a temporary folder, listening on a free loopback port and on a unix socket in that
# folder, trust authentication for its one user "ngosurvey" (nothing but this test
# can reach it: loopback only, and the folder is private). fsync is off: the tests
# check the store's behaviour, not the server's durability, and the folder is
# thrown away; NGOSURVEY_PG_DURABLE=1 (bench/server.sh) gives a durable server
# instead (fsync, synchronous_commit and full_page_writes on). COMMAND sees NGOSURVEY_TEST_POSTGRES=postgresql://ngosurvey@127.0.0.1:PORT
# (add /ngotest for the database made for it, or create others) and PGBIN.
#
# initdb and postgres refuse to run as root, and CI runs the tests as root: then the
# server runs as the unprivileged user "nobody" (setpriv drops root for those two
# programs only; COMMAND stays as it is and connects over TCP). A watchdog outside
# this script's process group stops the server if the script itself is killed (a
# CTest timeout), so no server outlives its test. A server that cannot start is a
# failure (exit 1), never a skip.
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
export PGBIN
if [ $# -eq 0 ]; then echo "usage: with_postgres.sh COMMAND [ARGS...]" >&2; exit 2; fi
for tool in initdb pg_ctl postgres psql; do
  if [ ! -x "$PGBIN/$tool" ]; then
    echo "FAIL: $PGBIN/$tool is missing: install Debian's postgresql (tools/install-deps)" >&2
    exit 1
  fi
done

DIR=$(mktemp -d /tmp/ngosurvey-pg-XXXXXX)
AS=()
if [ "$(id -u)" -eq 0 ]; then
  AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  chown nobody:nogroup "$DIR"
fi
PGDATA_DIR="$DIR/data"

stop_server() {
  if [ -f "$PGDATA_DIR/postmaster.pid" ]; then
    "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
}
cleanup() {
  local status=$?
  stop_server
  rm -rf "$DIR"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"${AS[@]}" "$PGBIN/initdb" -D "$PGDATA_DIR" -U ngosurvey --auth=trust -E UTF8 \
  --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; echo "FAIL: initdb" >&2; exit 1; }

DURABILITY="-c fsync=off -c full_page_writes=off"
if [ "${NGOSURVEY_PG_DURABLE:-0}" = 1 ]; then
  DURABILITY="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
fi

# A free port: asked of the kernel, then used at once; another program may take it in
# between, so a failed start tries another port.
started=0
for attempt in 1 2 3 4 5; do
  PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR $DURABILITY -c max_connections=200" \
      start >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [ "$started" != 1 ]; then
  cat "$DIR/server.log" >&2 || true
  echo "FAIL: the PostgreSQL test server did not start" >&2
  exit 1
fi

# The watchdog: a process in its own session that stops the server once this script
# is gone, however it ended.
setsid bash -c '
  while kill -0 "$1" 2>/dev/null; do sleep 1; done
  if [ -f "$2/postmaster.pid" ]; then shift 2; "$@"; fi
' watchdog $$ "$PGDATA_DIR" "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w stop \
  </dev/null >/dev/null 2>&1 &

export NGOSURVEY_TEST_POSTGRES="postgresql://ngosurvey@127.0.0.1:$PORT"
if ! "$PGBIN/psql" -X -q -d "$NGOSURVEY_TEST_POSTGRES/postgres" -c "CREATE DATABASE ngotest"; then
  echo "FAIL: the PostgreSQL test server does not answer on port $PORT" >&2
  exit 1
fi
set +e
"$@"
status=$?
set -e
exit $status
