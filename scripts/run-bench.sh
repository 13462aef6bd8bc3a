#!/usr/bin/env bash
# `make bench`: the token keeper's and the orders' benchmarks (BENCHMARKS.md). Needs PostgreSQL and Redis; uses a
# database of its own (hub_bench, created when missing, its tables emptied on every run) and Redis
# database 13. Pass flags after ARGS: make bench ARGS="--n 10000 --concurrency 16".
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python

export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/hub_bench}"
export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/13}"

$py - <<'PY'
import os, socket, sys
from urllib.parse import urlparse

for name in ("DATABASE_URL", "REDIS_URL"):
    url = urlparse(os.environ[name])
    try:
        socket.create_connection((url.hostname, url.port), timeout=2).close()
    except OSError:
        sys.exit(f"error: {name}={os.environ[name]} does not answer; start PostgreSQL and Redis.")

import psycopg

db = urlparse(os.environ["DATABASE_URL"])
name = db.path.lstrip("/")
admin = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
with psycopg.connect(admin, autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
        print(f"created database {name}")
PY

$py -m benchmarks "$@"
case " $* " in
  *" --only "* | *" --only="*) exit 0 ;;  # one part asked for: that part alone
esac
echo
# The orders benchmarks (their own flags: ORDERS_ARGS="--rows 200000 --rounds 5").
$py -m benchmarks.orders ${ORDERS_ARGS:-}

echo
# The API benchmarks (their own flags: API_ARGS="--rows 200000 --deliveries 2000").
$py -m benchmarks.api ${API_ARGS:-}

echo
# The push audit cadence (its own flags: PUSH_ARGS="--integrations 200000").
$py -m benchmarks.push_cadence ${PUSH_ARGS:-}
