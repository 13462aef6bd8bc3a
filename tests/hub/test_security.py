"""Production hardening that the hub's own pages must prove."""

import json
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from integrations.models import AuthorizationAttempt
from tests.factories import IntegrationFactory, UserFactory
from tests.hub.production import run_with_settings

_production = run_with_settings


def test_check_deploy_passes_with_production_settings():
    result = _production(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_security_headers_and_cookies(tmp_path):
    collected = _production(
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'collectstatic', '--noinput', '-v0'])",
        STATIC_ROOT=str(tmp_path),
    )
    assert collected.returncode == 0, collected.stderr
    result = _production(
        "import django, json; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client;"
        "r = Client().get('/entrar/', secure=True, headers={'host': 'hub.example.com'});"
        "print(json.dumps({'status': r.status_code, 'headers': dict(r.headers),"
        " 'cookies': {k: dict(v) for k, v in r.cookies.items()}}))",
        STATIC_ROOT=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout.strip().splitlines()[-1])
    headers = page["headers"]
    assert page["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self' https://auth.mercadolivre.com.br https://hub.example.com https://id.magalu.com",
    ):
        assert directive in csp
    csrf = page["cookies"]["csrftoken"]
    assert csrf["secure"] is True and csrf["samesite"] == "Lax" and csrf["httponly"] is True


def test_production_redirects_plain_http_to_https():
    result = _production(
        "import django; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client;"
        "r = Client().get('/entrar/', headers={'host': 'hub.example.com'}); print(r.status_code, r['Location'])"
    )
    assert result.stdout.split() == ["301", "https://hub.example.com/entrar/"]


@pytest.mark.django_db
def test_session_is_renewed_on_login(client):
    user = UserFactory()
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("login"), {"username": user.username, "password": "senha-de-teste-123"})
    assert client.session.session_key != before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "https:evil.example",
        "/\\evil.example",
        "%2F%2Fevil.example",
        "http:/evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_no_open_redirect_after_login(client, target):
    user = UserFactory()
    response = client.post(
        reverse("login") + "?next=" + target,
        {"username": user.username, "password": "senha-de-teste-123", "next": target},
    )
    assert response.status_code == 302
    landing = urljoin("http://testserver/entrar/", response["Location"])
    assert urlsplit(landing).netloc == "testserver"
    assert response["Location"] in (reverse("integrations:marketplaces"), target)


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures(client):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("login"), {"username": user.username, "password": "errada"})
    locked = client.post(
        reverse("login"), {"username": user.username, "password": "senha-de-teste-123"}
    )
    assert locked.status_code == 429
    assert "Muitas tentativas" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_redirect_uri_comes_from_settings_never_from_the_host_header(seller_user, sandbox_http):
    integration = IntegrationFactory(seller=seller_user.membership.seller, expired=True)
    client = Client(headers={"host": "sandbox.test"})  # an allowed host that is not the hub's
    client.force_login(seller_user)
    response = client.post(
        reverse("integrations:reactivate_confirm", args=["magalu"]), {"integration": integration.pk}
    )
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["redirect_uri"] == ["http://hub.test/integracoes/magalu/retorno/"]
    assert AuthorizationAttempt.objects.count() == 1


@pytest.mark.django_db
def test_flow_pages_load_no_third_party_resources(seller_client, seller):
    IntegrationFactory(seller=seller, expired=True)
    urls = [
        reverse("integrations:marketplaces"),
        reverse("integrations:reactivate"),
        reverse("integrations:reactivate_confirm", args=["magalu"]),
        reverse("integrations:connect", args=["magalu"]),
        reverse("integrations:authorization_invalid"),
        reverse("login"),
    ]
    for url in urls:
        html = seller_client.get(url).content.decode()
        external = re.findall(r'(?:src|href)="(https?:)?//', html)
        assert external == [], url
        assert "<script" not in html and "style=" not in html, url


def test_health_check_answers_plain_http_in_production():
    result = _production(
        "import django; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client;"
        "r = Client().get('/healthz', headers={'host': 'hub.example.com'});"
        "print(r.status_code, r.content.decode())"
    )
    assert result.stdout.split() == ["200", "ok"], result.stderr
