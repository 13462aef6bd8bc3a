#!/usr/bin/env bash
# Runs the whole suite. Uses PostgreSQL and Redis when they answer on their usual local ports
# (or when DATABASE_URL / REDIS_URL are set), and says clearly what it skips without them.
set -uo pipefail
py=.venv/bin/python

probe() { # host port
    $py - "$1" "$2" <<'PY'
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1).close()
except OSError:
    sys.exit(1)
PY
}

if [ -z "${DATABASE_URL:-}" ] && probe 127.0.0.1 5432; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/hub"
fi
if [ -z "${REDIS_URL:-}" ] && probe 127.0.0.1 6379; then
    export REDIS_URL="redis://127.0.0.1:6379/15"
fi

echo "== Test environment"
if [ -n "${DATABASE_URL:-}" ]; then echo "   database: ${DATABASE_URL%%@*}@… (PostgreSQL tests run)";
else echo "   database: SQLite — SKIPPING the PostgreSQL-only tests (row locks, EXPLAIN, concurrency)"; fi
if [ -n "${REDIS_URL:-}" ]; then echo "   redis:    ${REDIS_URL} (real Celery worker tests run)";
else echo "   redis:    none — SKIPPING the Redis and Celery-worker tests"; fi
if [ -x /usr/bin/chromium ]; then echo "   browser:  /usr/bin/chromium (browser tests run)";
else echo "   browser:  /usr/bin/chromium missing — SKIPPING browser tests (apt-get install chromium)"; fi
echo

$py -m pytest "$@"
status=$?
if [ $status -eq 5 ]; then
    echo "error: pytest collected no tests (exit code 5): the suite is missing or was filtered away." >&2
fi
exit $status
