#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server.
#
#   scripts/pg-test-server.sh COMMAND [ARGS...]
#
# Initialises a cluster in a fresh temporary directory, starts it on 127.0.0.1 at a free port
# (its unix socket in the same directory), creates a role and a database that may create the
# test database, runs COMMAND with LIANGXIN_DATABASE_URL pointing at it, then stops the server
# and deletes the directory whatever COMMAND did. Exits with COMMAND's status.
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` system user
# (created by Debian's package), or to a `liangxin-pg` system user created here when that is absent.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/initdb" ]; then
        bindir=$candidate
        break
    fi
done
if [ -z "$bindir" ] && command -v initdb >/dev/null; then
    bindir=$(dirname "$(command -v initdb)")
fi
if [ -z "$bindir" ]; then
    echo "pg-test-server: no PostgreSQL server binaries (initdb); run scripts/setup-system.sh" >&2
    exit 1
fi

as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    owner=postgres
    if ! id -u "$owner" >/dev/null 2>&1; then
        owner=liangxin-pg
        id -u "$owner" >/dev/null 2>&1 ||
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$owner"
    fi
    as_owner=(runuser -u "$owner" --)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/liangxin-pg.XXXXXX")
data="$tmp/data"
log="$tmp/server.log"
started=0
child=""

cleanup() {
    local status=$?
    if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
        kill -TERM "$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    if [ "$started" -eq 1 ]; then
        "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ ${#as_owner[@]} -gt 0 ]; then
    chown "$owner" "$tmp"
fi

"${as_owner[@]}" "$bindir/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$tmp/initdb.log" 2>&1 || {
    cat "$tmp/initdb.log" >&2
    exit 1
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A free port can be taken between the probe and the server's bind: try a few.
for _ in 1 2 3; do
    port=$(free_port)
    # Durability is pointless for a database that is deleted afterwards; speed is not.
    if "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null 2>&1; then
        started=1
        break
    fi
done
if [ "$started" -ne 1 ]; then
    echo "pg-test-server: the server did not start; its log:" >&2
    cat "$log" >&2 || true
    exit 1
fi

role=liangxin
password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
"$bindir/psql" -h "$tmp" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<SQL
CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE $role OWNER $role ENCODING 'UTF8';
SQL

export LIANGXIN_DATABASE_URL="postgresql://$role:$password@127.0.0.1:$port/$role"
echo "pg-test-server: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
# In the background and waited for, so that a TERM or INT reaches the trap at once.
"$@" &
child=$!
status=0
wait "$child" || status=$?
child=""
exit "$status"
