"""Settings of the Celery worker process test_worker.py starts: the test settings, quicker retries."""

import os

from tests.settings import *  # noqa: F403

INTEGRATIONS_REFRESH_BACKOFF_BASE_SECONDS = 0.2
INTEGRATIONS_REFRESH_BACKOFF_CAP_SECONDS = 1.0
# Unless a test sets it (a lease's length is the timeouts plus this).
INTEGRATIONS_REFRESH_LEASE_MARGIN_SECONDS = float(
    os.environ.get("INTEGRATIONS_REFRESH_LEASE_MARGIN_SECONDS", 1.0)
)

# The stand-ins' order feeds, as sparse as the test process asks (an environment variable).
if os.environ.get("SANDBOX_ORDERS_MEAN_GAP_MINUTES"):
    SANDBOX_ORDERS_MEAN_GAP_MINUTES = float(os.environ["SANDBOX_ORDERS_MEAN_GAP_MINUTES"])

# The stand-in answers over real sockets here.
ORDERS_PREFETCH_NEXT_PAGE = True
INTEGRATIONS_REFRESH_OVERLAP = True
