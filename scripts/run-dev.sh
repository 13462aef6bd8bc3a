#!/usr/bin/env bash
# Starts the development server. Without Redis the token keeper runs in-process beside it
# (`manage.py keep_tokens_alive`, a loop that runs the beat sweep every minute with tasks inline).
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
py=.venv/bin/python
# The hub on localhost and the marketplace stand-ins on 127.0.0.1: two sites, as in production.
export SITE_URL=${SITE_URL:-http://localhost:${port}}
export MARKETPLACE_SANDBOX_BASE_URL=${MARKETPLACE_SANDBOX_BASE_URL:-http://127.0.0.1:${port}}

redis_url=$($py -c 'from django.conf import settings; import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings"); django.setup(); print(settings.REDIS_URL)')
keeper_pid=""
if [ -z "$redis_url" ]; then
    echo "REDIS_URL is not set: the token keeper runs in-process (manage.py keep_tokens_alive)."
    $py manage.py keep_tokens_alive &
    keeper_pid=$!
    trap '[ -n "$keeper_pid" ] && kill "$keeper_pid" 2>/dev/null' EXIT INT TERM
else
    echo "REDIS_URL is set: start 'make worker' and 'make beat' in other terminals to keep tokens fresh."
fi

cat <<TXT

  Hub:         http://localhost:${port}/   (login: demo / demo12345)
  Admin:       http://localhost:${port}/admin/   (login: suporte / suporte12345)
  Stand-ins:   http://127.0.0.1:${port}/sandbox/  (another origin, as the real sites are)
               ID Magalu:      demo@sandbox.localhost / demo12345
               Mercado Livre:  LOJAEXEMPLO or EXEMPLOOUTLET / demo12345

TXT
$py manage.py runserver "${host}:${port}"
