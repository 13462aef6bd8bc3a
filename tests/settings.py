"""Test settings: the hub's own settings under a development-like environment.

The environment is set before ``config.settings`` is read, so the same code paths run as in
development (the local ID Magalu stand-in enabled) with a few speed-ups.
"""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 50)
# A fixed test key (not a secret: it only ever encrypts test data).
os.environ.setdefault("TOKEN_ENCRYPTION_KEYS", "6B5tc5ZfwwRlwNcwJkqQn0rS7RUW3cbDlMxL1Z3m7XQ=")
os.environ.setdefault("MARKETPLACE_SANDBOX_BASE_URL", "http://sandbox.test")
os.environ.setdefault("SITE_URL", "http://hub.test")

from config.settings import *  # noqa: F403
from config.settings import ALLOWED_HOSTS, CACHES, DATABASES

DEBUG = False
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "hub.test", "sandbox.test", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SECURE_SSL_REDIRECT = False
# Cache and broker share a Redis database: keys of one run (throttle counts) never meet another's.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"
# The in-process stand-in answers in the calling thread, on that thread's database connection: a
# prefetching thread would not see the test's rows, nor would a batch's token-request thread.
# Tests over real sockets turn them back on.
ORDERS_PREFETCH_NEXT_PAGE = False
INTEGRATIONS_REFRESH_OVERLAP = False
MAGALU_CONNECT_TIMEOUT = 2.0
MAGALU_READ_TIMEOUT = 1.0
# The stand-ins push only in the tests that ask for it (SANDBOX_PUSH = True).
SANDBOX_PUSH = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
else:
    # One test database per run, so two runs on one machine never trip over each other.
    DATABASES["default"]["TEST"] = {"NAME": f"test_hub_{os.getpid()}"}
