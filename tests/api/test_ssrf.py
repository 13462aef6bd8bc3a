"""Outgoing webhooks call public addresses only, and connect to the address that was checked."""

import socket
from unittest import mock

import pytest

from api.safe_http import PinnedClient, UnsafeAddress, resolve


def _resolving_to(*addresses):
    infos = [
        (socket.AF_INET6 if ":" in a else socket.AF_INET, 1, 6, "", (a, 443)) for a in addresses
    ]
    return mock.patch("api.safe_http.socket.getaddrinfo", return_value=infos)


SPECIAL = ["127.0.0.1", "10.0.0.8", "172.16.3.4", "192.168.0.10", "169.254.169.254",
           "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1",  # noqa: S104
           "224.0.0.1", "192.0.2.5"]  # fmt: skip


@pytest.mark.parametrize("address", SPECIAL)
def test_private_loopback_and_special_addresses_are_refused(settings, address):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    with _resolving_to(address), pytest.raises(UnsafeAddress) as refused:
        resolve("https://hooks.example.com/x")
    assert "endereço interno ou privado" in str(refused.value)


def test_one_private_address_among_public_ones_is_enough_to_refuse(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    with _resolving_to("93.184.216.34", "10.1.1.1"), pytest.raises(UnsafeAddress):
        resolve("https://hooks.example.com/x")


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "file:///etc/passwd", "https:///x", "gopher://a/b"]
)
def test_only_http_and_https_urls_with_a_host(url):
    with pytest.raises(UnsafeAddress):
        resolve(url)


def test_the_development_setting_allows_loopback(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    with _resolving_to("127.0.0.1"):
        assert resolve("http://localhost:8899/hook").address == "127.0.0.1"


def test_the_connection_goes_to_the_checked_address_not_a_second_lookup(settings):
    """DNS rebinding: a second resolution could answer 127.0.0.1; there is none."""
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    with _resolving_to("93.184.216.34") as lookup:
        target = resolve("https://hooks.example.com/in?x=1")
    client = PinnedClient()
    pool = client._pool(target)

    assert lookup.call_count == 1
    assert (pool.host, pool.port) == ("93.184.216.34", 443)
    assert pool.conn_kw.get("server_hostname") == "hooks.example.com"
    assert pool.assert_hostname == "hooks.example.com"
    assert target.path == "/in?x=1"


def test_the_seller_form_refuses_a_private_url_in_portuguese(settings):
    from api.forms import WebhookEndpointForm

    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    form = WebhookEndpointForm({"url": "http://127.0.0.1/hook", "events": ["order.created"]})

    assert not form.is_valid()
    assert form.errors["url"] == [
        "A URL aponta para um endereço interno ou privado, que o hub não chama."
    ]
