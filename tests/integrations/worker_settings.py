"""Settings of the Celery worker process test_worker.py starts: the test settings, quicker retries."""

from tests.settings import *  # noqa: F403

INTEGRATIONS_REFRESH_BACKOFF_BASE_SECONDS = 0.2
INTEGRATIONS_REFRESH_BACKOFF_CAP_SECONDS = 1.0
INTEGRATIONS_REFRESH_LEASE_MARGIN_SECONDS = 1.0
