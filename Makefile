# One command to run the hub (`make run`) and one to test it (`make test`); see README.md.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

ops-check: $(STAMP) ## production recipe on this machine: Caddy, gunicorn, worker, beat, a refresh seen in /metrics
	scripts/production-check.sh

.PHONY: run test setup dev-setup ops-check demo worker beat keeper bench lint audit lock clean

$(STAMP): pyproject.toml requirements.lock
	@interpreter=$$(scripts/find-python.sh) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$interpreter"; "$$interpreter" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[test]'
	@touch $(STAMP)

# `make setup` is production-safe: the runtime dependencies only (no test tools) and it refuses
# DEBUG=true; `make setup DEV=1` (what `make run` uses) is the development setup.
PROD_STAMP := $(VENV)/.installed-runtime

$(PROD_STAMP): pyproject.toml requirements.lock
	@interpreter=$$(scripts/find-python.sh) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$interpreter"; "$$interpreter" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e .
	@touch $(PROD_STAMP)

ifeq ($(DEV),1)
setup: dev-setup
else
setup: $(PROD_STAMP) ## production-safe: runtime dependencies, migrations, static files; refuses DEBUG=true (DEV=1: development)
	@scripts/refuse-debug.sh
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
endif

dev-setup: $(STAMP) ## development: test tools too, .env from .env.example, migrations, static files; never demo data
	@[ -f .env ] || cp .env.example .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0

# The demo's tokens name the stand-ins' address as their issuer: the demo data and the dev server
# must agree on it (run-dev.sh sets the same defaults).
demo run: export SITE_URL ?= http://localhost:$(PORT)
demo run: export MARKETPLACE_SANDBOX_BASE_URL ?= http://127.0.0.1:$(PORT)

demo: dev-setup ## demo data (needs the local stand-ins, i.e. development)
	$(PY) manage.py seed_demo

run: dev-setup demo ## set up and start the hub on http://localhost:$(PORT) (SQLite + the local stand-ins)
	scripts/run-dev.sh $(HOST) $(PORT)

test: $(STAMP) ## set up and run the whole test suite (uses PostgreSQL/Redis when reachable)
	scripts/run-tests.sh $(ARGS)

worker: $(PROD_STAMP) ## a Celery worker (needs REDIS_URL)
	$(VENV)/bin/celery -A config worker --loglevel=INFO

beat: $(PROD_STAMP) ## Celery beat, the token keeper's clock (needs REDIS_URL)
	$(VENV)/bin/celery -A config beat --loglevel=INFO

keeper: $(PROD_STAMP) ## without Redis: run the token keeper's sweep in-process every minute
	$(PY) manage.py keep_tokens_alive

bench: $(STAMP) ## benchmarks (needs PostgreSQL and Redis); figures go to stdout and BENCHMARKS.md
	$(PY) -m pip install --quiet -c requirements.lock -e '.[test,bench]'
	scripts/run-bench.sh $(ARGS)

audit: $(STAMP) ## bandit on our code, pip-audit on requirements.lock
	scripts/audit.sh

lock: ## re-pin requirements.lock from a fresh resolution of pyproject.toml
	rm -rf .venv-lock && $$(scripts/find-python.sh) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet '.[test,bench]'
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^-e\|^marketplace-hub' > requirements.lock
	rm -rf .venv-lock

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) var
