#!/usr/bin/env bash
# The whole test suite, twice: on SQLite, then on a throw-away PostgreSQL server.
# Both runs always happen; the script fails when either does. pytest's "no tests collected"
# (exit 5) is a failure too: a suite that ran nothing has not passed.
#
#   scripts/run-tests.sh [PYTEST ARGS...]      (the venv's bin/ must be on PATH)
set -euo pipefail
cd "$(dirname "$0")/.."

export LIANGXIN_SECRET_KEY="${LIANGXIN_SECRET_KEY:-liangxin-tests-only-secret-key}"
export LIANGXIN_DEBUG=0
unset LIANGXIN_DATABASE_URL

echo "== migrations are complete (makemigrations --check)"
liangxin makemigrations --check --dry-run

failed=()

echo "== pytest on SQLite"
sqlite_status=0
pytest "$@" || sqlite_status=$?
[ "$sqlite_status" -eq 0 ] || failed+=("SQLite (pytest exit $sqlite_status)")

echo "== pytest on PostgreSQL"
pg_status=0
scripts/pg-test-server.sh pytest "$@" || pg_status=$?
[ "$pg_status" -eq 0 ] || failed+=("PostgreSQL (exit $pg_status)")

if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}" >&2
    exit 1
fi
