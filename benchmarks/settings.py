"""Settings for the benchmarks: the hub's own, with DEBUG off as in production.

The environment is set before ``config.settings`` is read (as tests/settings.py does). The bench
process and the Celery worker it starts both use this module; ``MAGALU_TOKEN_URL`` (the loopback
endpoint), ``DATABASE_URL`` and ``REDIS_URL`` come from the environment.
"""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "bench-secret-key-" + "x" * 50)
# A fixed benchmark key (not a secret: it only ever encrypts benchmark data).
os.environ.setdefault("TOKEN_ENCRYPTION_KEYS", "6B5tc5ZfwwRlwNcwJkqQn0rS7RUW3cbDlMxL1Z3m7XQ=")
# The bench process prints figures: its own logs stay quiet. The worker it starts is given
# --log-level (INFO by default, as in production).
os.environ.setdefault("LOG_LEVEL", "WARNING")

from config.settings import *  # noqa: F403

DEBUG = False  # no query log kept in memory, as in production
INTEGRATIONS_TASK_QUEUE = "keeper-bench"
# The sweep normally spreads refreshes over 10 s on purpose; the throughput figure wants them all
# at once (the fleet benchmark, a steady state, asks for production's spread back).
INTEGRATIONS_SWEEP_JITTER_SECONDS = float(os.environ.get("BENCH_SWEEP_JITTER_SECONDS", "0"))
INTEGRATIONS_SWEEP_BATCH_SIZE = 500
# The push limit is per source address, and every push here comes from 127.0.0.1, as no
# marketplace's would. A limit this high is still counted in Redis on every request.
PUSH_RATE_LIMIT_PER_MINUTE = 10**9
