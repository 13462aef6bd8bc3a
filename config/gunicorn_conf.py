"""gunicorn settings for production (docker-compose's web service uses them).

Forwarded headers are believed only behind a TLS-terminating proxy (``BEHIND_TLS_PROXY=true``) and
only from the proxy's own addresses (``TRUSTED_PROXY_IPS``); otherwise a client could claim HTTPS
with ``X-Forwarded-Proto`` and slip past the HTTPS redirect and the Secure-cookie guarantees.
"""

import ipaddress
from pathlib import Path

import environ

# The same `.env` the Django settings read, so gunicorn and Django agree on BEHIND_TLS_PROXY.
env = environ.Env()
environ.Env.read_env(Path(__file__).resolve().parent.parent / ".env", overwrite=False)

BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
# Addresses or CIDR networks of the proxy; "*" trusts every peer (only when nothing else can
# reach gunicorn).
TRUSTED_PROXY_IPS = (
    env.list("TRUSTED_PROXY_IPS", default=["127.0.0.1", "::1"]) if BEHIND_TLS_PROXY else []
)
_TRUSTED_NETWORKS = [ipaddress.ip_network(a) for a in TRUSTED_PROXY_IPS if a != "*"]

bind = env.list("GUNICORN_BIND", default=[f"0.0.0.0:{env.str('PORT', default='8000')}"])
workers = 3
accesslog = "-"
# %(U)s is the path without the query string: callbacks carry OAuth codes and states there.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
forwarded_allow_ips = ",".join(TRUSTED_PROXY_IPS)
# Only the header the proxy is documented to overwrite (README, "Deploying"). Empty when off:
# gunicorn trusts peers on a UNIX socket whatever forwarded_allow_ips says.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"} if BEHIND_TLS_PROXY else {}


def _is_trusted_proxy(peer_addr) -> bool:
    if not BEHIND_TLS_PROXY:
        return False
    if not isinstance(peer_addr, tuple) or "*" in TRUSTED_PROXY_IPS:
        return True  # a UNIX socket, as gunicorn itself treats it
    try:
        address = ipaddress.ip_address(peer_addr[0])
    except ValueError:
        return False
    return any(address in network for network in _TRUSTED_NETWORKS)


def pre_request(worker, req) -> None:
    """Drops X-Forwarded-Proto unless a trusted proxy sent it.

    gunicorn's trust list only decides wsgi.url_scheme; Django's SECURE_PROXY_SSL_HEADER reads the
    raw header, which gunicorn passes on from any peer.
    """
    if not _is_trusted_proxy(req.peer_addr):
        req.headers = [(name, value) for name, value in req.headers if name != "X-FORWARDED-PROTO"]


def on_starting(server) -> None:
    """Checks the settings in a child process before any worker starts: a missing variable
    stops gunicorn with one line naming it (each worker failing to load would print more)."""
    import subprocess
    import sys

    checked = subprocess.run([sys.executable, "-m", "config.config_errors"], check=False)
    if checked.returncode:
        sys.exit(checked.returncode)
