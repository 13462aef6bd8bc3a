"""sentry-sdk, when SENTRY_DSN is set, never sends token material: a canary is captured with a
local transport (in a fresh process: sentry-sdk's integrations cannot be undone) and searched."""

import json
import subprocess
import sys

import pytest

from config.error_tracking import REDACTED, scrub
from tests.hub.production import ROOT

JWT_CANARY = "eyJhbGciOiJIUzI1NiJ9.eyJjYW5hcnkiOiJ0b2tlbiJ9.Y2FuYXJ5LXNpZ25hdHVyZQ"
ML_CANARY = "APP_USR-8839201-canary-0a1b2c3d4e5f"
OPAQUE_CANARY = "opaque-canary-7f3e9d2c1b0a"

_SCRIPT = r"""
import json, logging, os, sys
import django
django.setup()
import sentry_sdk
from sentry_sdk.transport import Transport
from config.error_tracking import error_tracking_init

jwt, ml, opaque, out = json.loads(os.environ["CANARIES"])
payloads = []

class LocalTransport(Transport):
    def capture_envelope(self, envelope):
        payloads.append(envelope.serialize().decode("utf-8", "replace"))

error_tracking_init(dsn="http://public@127.0.0.1:8699/1", environment="test",
                    transport=LocalTransport)

def refresh(integration_id, refresh_token, access_token):
    client_secret = opaque
    raise RuntimeError(f"token endpoint refused {refresh_token} (integration {integration_id})")

sentry_sdk.add_breadcrumb(message=f"GET /retorno/?code={opaque}&state={opaque} Bearer {jwt}")
logging.getLogger("integrations").warning("integrations.refresh.failed",
                                          extra={"access_token": ml, "integration_id": 42})
sentry_sdk.set_extra("refresh_token", opaque)
sentry_sdk.set_tag("tenant", "loja-42")
try:
    refresh(42, jwt, ml)
except RuntimeError:
    sentry_sdk.capture_exception()
logging.getLogger("integrations").error(f"integrations.refresh.error {ml}")
sentry_sdk.flush()
with open(out, "w") as f:
    json.dump(payloads, f)
"""


def test_token_canaries_never_reach_the_error_trackers_payload(tmp_path):
    out = tmp_path / "payloads.json"
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": "sqlite:///:memory:",
            "PATH": "/usr/bin:/bin",
            # Not in argv: sentry-sdk reports sys.argv, and the canaries must come from the code.
            "CANARIES": json.dumps([JWT_CANARY, ML_CANARY, OPAQUE_CANARY, str(out)]),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    payloads = json.loads(out.read_text())
    text = "\n".join(payloads)
    assert len(payloads) >= 2  # the exception and the logged error were both sent...
    assert "token endpoint refused" in text and "loja-42" in text  # ...with what helps
    assert '"integration_id"' in text
    for canary in (JWT_CANARY, ML_CANARY, OPAQUE_CANARY, "canary"):
        assert canary not in text
    assert REDACTED in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"refresh_token": "x"}, {"refresh_token": REDACTED}),
        ({"error_code": "invalid_grant"}, {"error_code": "invalid_grant"}),
        ({"headers": [["Authorization", "Basic abc"]]}, {"headers": [["Authorization", REDACTED]]}),
        (f"sent Bearer {OPAQUE_CANARY}", f"sent {REDACTED}"),
        ("/x?code=abc&next=/y", f"/x?{REDACTED}&next=/y"),
        ("integration 42 refreshed", "integration 42 refreshed"),
    ],
)
def test_scrub(value, expected):
    assert scrub(value) == expected
