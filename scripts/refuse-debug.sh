#!/usr/bin/env sh
# `make setup` prepares a production machine: it refuses DEBUG=true (from the environment or
# .env, as the settings read it). Development: `make setup DEV=1`, or simply `make run`.
.venv/bin/python - <<'PY'
import sys
from pathlib import Path

import environ

env = environ.Env()
environ.Env.read_env(Path(".env"), overwrite=False)
if env.bool("DEBUG", default=False):
    print(
        "make setup prepara produção e recusa DEBUG=true (refuses DEBUG=true). "
        "Development: make setup DEV=1 (or make run).",
        file=sys.stderr,
    )
    sys.exit(2)
PY
