#!/usr/bin/env bash
# The production recipe of README ("Deploying" → "The production recipe on one machine") run end
# to end as processes, no Docker: Caddy (tls internal) in front of gunicorn with DEBUG=false and
# BEHIND_TLS_PROXY=true, a Celery worker and beat on PostgreSQL and Redis; a refresh against the
# ID Magalu stand-in, then seen in /metrics through the proxy.
#
# Production forbids the stand-ins (MARKETPLACE_SANDBOX needs DEBUG=true), so the stand-in is a
# separate development hub on its own port and database, and the production hub's MAGALU_* URLs
# point at it, as they would at id.magalu.com. Needs caddy (apt-get install caddy), PostgreSQL
# and Redis. Ports: OPS_PORT_BASE (8660) … +5 on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
py=$PWD/.venv/bin/python
base=${OPS_PORT_BASE:-8660}
standin_port=$((base + 1)) web_port=$((base + 2)) https_port=$((base + 3)) http_port=$((base + 4))
pg=${OPS_POSTGRES:-postgres://postgres@127.0.0.1:5432}
db_name=${OPS_DATABASE:-hub_ops_recipe}
redis_url=${OPS_REDIS_URL:-redis://127.0.0.1:6379/12}
work=$(mktemp -d /tmp/hub-production-check.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
command -v caddy >/dev/null || { echo "caddy is missing: apt-get install caddy" >&2; exit 1; }
started=$(date +%s.%N)

# --- The stand-in: a development hub serving only /sandbox/ -------------------------------------
standin_env=(env -u REDIS_URL DEBUG=true MARKETPLACE_SANDBOX=true
    MARKETPLACE_SANDBOX_BASE_URL=http://127.0.0.1:$standin_port
    DATABASE_URL=sqlite:///$work/standin.sqlite3 DEV_SECRETS_DIR=$work/standin-secrets
    STATIC_ROOT=$work/standin-static SITE_URL=http://127.0.0.1:$standin_port)
"${standin_env[@]}" "$py" manage.py migrate --noinput -v0
refresh_token=$("${standin_env[@]}" "$py" manage.py shell -v 0 -c '
from marketplaces import get_provider
from marketplaces.magalu.standin import issuer
body = issuer.issue_tokens(tenant_uuid="d3b07384-d9a0-4c9b-8a7e-5f1e2b000101", scopes=list(get_provider("magalu").config.scopes))
print(body["refresh_token"])')
"${standin_env[@]}" "$py" manage.py runserver "127.0.0.1:$standin_port" --noreload \
    >"$work/standin.log" 2>&1 &
pids+=($!)

# --- The production hub: the variables of deploy/production.env.example -------------------------
psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db_name" -c "CREATE DATABASE $db_name" >/dev/null
stand_in=http://127.0.0.1:$standin_port
metrics_token=$("$py" -c 'import secrets; print(secrets.token_urlsafe(32))')
export DEBUG=false BEHIND_TLS_PROXY=true TRUSTED_PROXY_IPS=127.0.0.1
export SECRET_KEY="$("$py" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export TOKEN_ENCRYPTION_KEYS="$("$py" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
export ALLOWED_HOSTS=localhost SITE_URL=https://localhost:$https_port
export CSRF_TRUSTED_ORIGINS=https://localhost:$https_port
export DATABASE_URL=$pg/$db_name REDIS_URL=$redis_url STATIC_ROOT=$work/static
export EMAIL_URL=filemail:///$work/mail METRICS_TOKEN=$metrics_token
export GUNICORN_BIND=127.0.0.1:$web_port INTEGRATIONS_SWEEP_INTERVAL_SECONDS=5
export MARKETPLACES=magalu MAGALU_CLIENT_ID=hub-sandbox-client MAGALU_CLIENT_SECRET=hub-sandbox-secret
export MAGALU_REDIRECT_URI=https://localhost:$https_port/integracoes/magalu/retorno/
export MAGALU_TOKEN_URL=$stand_in/sandbox/idmagalu/oauth/token MAGALU_ISSUER=$stand_in/sandbox/idmagalu
export MAGALU_AUTHORIZE_URL=$stand_in/sandbox/idmagalu/login MAGALU_API_URL=$stand_in/sandbox/magalu-api
export MAGALU_TENANTS_URL=$stand_in/sandbox/idmagalu/account/api/v2/whoami/tenants
unset MARKETPLACE_SANDBOX MARKETPLACE_SANDBOX_BASE_URL DEV_SECRETS_DIR

# The commands of docker-compose.yml's migrate, web, worker and beat services.
"$py" manage.py migrate --noinput -v0
"$py" manage.py collectstatic --noinput -v0
REFRESH_TOKEN=$refresh_token "$py" manage.py shell -v 0 -c '
import os
from datetime import timedelta
from django.utils import timezone
from hub.models import Seller
from integrations.models import Integration
seller = Seller.objects.create(name="Loja Produção", cnpj="11222333000181")
integration = Integration(seller=seller, status=Integration.Status.ACTIVE,
    marketplace="magalu", account_name="Loja Exemplo Ltda",
    external_id="d3b07384-d9a0-4c9b-8a7e-5f1e2b000101", scopes="open:order-order:read open:portfolio:read",
    access_token_expires_at=timezone.now() + timedelta(minutes=1))
integration.save()
integration.set_tokens(access_token="expired-access", refresh_token=os.environ["REFRESH_TOKEN"])
integration.save()'
.venv/bin/gunicorn -c config/gunicorn_conf.py config.wsgi:application >"$work/web.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 >"$work/worker.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO --schedule "$work/celerybeat-schedule" >"$work/beat.log" 2>&1 &
pids+=($!)

# --- Caddy, deploy/Caddyfile as is, with its local CA (tls internal) -----------------------------
HUB_DOMAIN=localhost:$https_port CADDY_TLS=internal HUB_UPSTREAM=127.0.0.1:$web_port \
CADDY_ADMIN=off CADDY_HTTPS_PORT=$https_port CADDY_HTTP_PORT=$http_port \
CADDY_GLOBAL_EXTRA=skip_install_trust XDG_DATA_HOME=$work/caddy-data XDG_CONFIG_HOME=$work/caddy-config \
    caddy run --config deploy/Caddyfile --adapter caddyfile >"$work/caddy.log" 2>&1 &
pids+=($!)
root_ca=$work/caddy-data/caddy/pki/authorities/local/root.crt
https() { curl -sS --cacert "$root_ca" --resolve "localhost:$https_port:127.0.0.1" "$@"; }

for _ in $(seq 120); do
    [ -f "$root_ca" ] && https -f -o /dev/null "https://localhost:$https_port/healthz" 2>/dev/null && break
    sleep 0.5
done
echo "== HTTPS through Caddy (certificate checked against Caddy's local CA)"
https -o /dev/null -w "GET /entrar/ -> %{http_code}\n" "https://localhost:$https_port/entrar/"
https -D - -o /dev/null "https://localhost:$https_port/entrar/" | grep -i "^strict-transport-security\|^set-cookie" | sed 's/=[^;]*;/=…;/' || true
echo "== gunicorn without the proxy (plain HTTP, X-Forwarded-Proto from nobody trusted)"
curl -sS -o /dev/null -H "Host: localhost" -w "GET /entrar/ -> %{http_code} %{redirect_url}\n" "http://127.0.0.1:$web_port/entrar/"
echo "== /metrics without the token"
https -o /dev/null -w "%{http_code}\n" "https://localhost:$https_port/metrics"

echo "== Waiting for beat, the worker and the refresh"
refreshed=""
for _ in $(seq 90); do
    metrics=$(https -H "Authorization: Bearer $metrics_token" "https://localhost:$https_port/metrics")
    refreshed=$(grep '^hub_refresh_outcomes_recent{cause="none",marketplace="magalu",outcome="refreshed"}' <<<"$metrics" || true)
    [ -n "$refreshed" ] && break
    sleep 1
done
elapsed=$("$py" -c "import time; print(f'{time.time() - $started:.1f}')")
echo "$metrics" | grep -E '^hub_(refresh_outcomes_recent|integrations|refresh_oldest_due|celery_queue|beat_heartbeat|redis_up|emails_sent_total)'
echo "== /readyz"
https "https://localhost:$https_port/readyz"; echo
if [ -z "$refreshed" ]; then
    echo "FAILED: no refresh in the metrics after ${elapsed}s" >&2
    tail -n 20 "$work/worker.log" "$work/beat.log" "$work/web.log" "$work/caddy.log" >&2
    exit 1
fi
echo "OK: a token refreshed against the stand-in and counted in /metrics, ${elapsed}s after the start"
psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db_name" >/dev/null 2>&1 || true
