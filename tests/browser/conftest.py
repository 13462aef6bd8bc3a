"""A live hub with the marketplace stand-ins on another origin, and Debian's Chromium via
Playwright.

The hub is served as http://localhost:PORT and the stand-in as http://127.0.0.1:PORT: two sites,
so cookies are separate and the return from "ID Magalu" is a real cross-site navigation.
"""

import os
from pathlib import Path

import pytest

from config.csp import content_security_policy
from marketplaces import get_provider

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def live_hub(live_server, settings):
    port = live_server.url.rsplit(":", 1)[1]
    hub_url = f"http://localhost:{port}"
    sandbox = f"http://127.0.0.1:{port}/sandbox"
    settings.SITE_URL = hub_url
    settings.MAGALU_REDIRECT_URI = f"{hub_url}/integracoes/magalu/retorno/"
    settings.MAGALU_AUTHORIZE_URL = f"{sandbox}/idmagalu/login"
    settings.MAGALU_TOKEN_URL = f"{sandbox}/idmagalu/oauth/token"
    settings.MAGALU_TENANTS_URL = f"{sandbox}/idmagalu/account/api/v2/whoami/tenants"
    settings.MAGALU_API_URL = f"{sandbox}/magalu-api"
    settings.MAGALU_ISSUER = f"{sandbox}/idmagalu"
    settings.MAGALU_READ_TIMEOUT = 10.0
    settings.MERCADOLIVRE_REDIRECT_URI = f"{hub_url}/integracoes/mercadolivre/retorno/"
    settings.MERCADOLIVRE_AUTHORIZE_URL = f"{sandbox}/mercadolivre/authorization"
    settings.MERCADOLIVRE_TOKEN_URL = f"{sandbox}/mercadolivre-api/oauth/token"
    settings.MERCADOLIVRE_API_URL = f"{sandbox}/mercadolivre-api"
    settings.MERCADOLIVRE_READ_TIMEOUT = 10.0
    settings.SECURE_CSP = content_security_policy(
        oauth_urls=[
            get_provider("magalu").config.authorize_url,
            get_provider("magalu").config.redirect_uri,
            get_provider("mercadolivre").config.authorize_url,
            get_provider("mercadolivre").config.redirect_uri,
        ]
    )
    return hub_url


@pytest.fixture
def page(request):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(locale="pt-BR")
        page = context.new_page()
        page.console_messages = []
        page.on("console", lambda message: page.console_messages.append(message.text))
        page.set_default_timeout(15_000)
        yield page
        if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report
