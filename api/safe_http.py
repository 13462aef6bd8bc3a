"""Outgoing HTTP to addresses a seller chose: public addresses only, pinned to the checked IP.

Server-side request forgery (OWASP SSRF Prevention Cheat Sheet): the host is resolved once, every
address it resolves to must be global (RFC 6890 special-purpose ranges refused: loopback, private,
link-local, CGNAT, documentation...), and the connection goes to the address that was checked, so
a second resolution (DNS rebinding) cannot point the request elsewhere. TLS still verifies the
certificate against the host name (SNI and hostname check on the pinned connection).
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3

from api import conf


class UnsafeAddress(Exception):
    """The URL is not http(s), has no host, or resolves to an address the hub does not call."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    address: str  # the checked IP the connection goes to
    path: str  # path and query, sent as the request target


def _allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if conf.get("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"):
        return not ip.is_multicast and not ip.is_unspecified
    return ip.is_global and not ip.is_multicast


def resolve(url: str) -> Target:
    """Resolves and checks ``url``; raises ``UnsafeAddress`` with a pt-BR reason."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeAddress("A URL precisa começar com https:// e ter um endereço.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeAddress("A porta da URL é inválida.") from exc
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnsafeAddress("O endereço da URL não foi encontrado (DNS).") from exc
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(_allowed(address) for address in addresses):
        raise UnsafeAddress(
            "A URL aponta para um endereço interno ou privado, que o hub não chama."
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, parts.hostname, port, addresses[0], path)


class PinnedClient:
    """Keeps one connection pool per (scheme, host, port, checked IP) for a batch of sends."""

    def __init__(self) -> None:
        self._pools: dict[tuple, urllib3.HTTPConnectionPool] = {}

    def _pool(self, target: Target) -> urllib3.HTTPConnectionPool:
        key = (target.scheme, target.host, target.port, target.address)
        pool = self._pools.get(key)
        if pool is None:
            timeout = conf.get("WEBHOOKS_TIMEOUT_SECONDS")
            options = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "maxsize": 1}
            if target.scheme == "https":
                pool = urllib3.HTTPSConnectionPool(
                    target.address,
                    target.port,
                    server_hostname=target.host,
                    assert_hostname=target.host,
                    cert_reqs="CERT_REQUIRED",
                    **options,
                )
            else:
                pool = urllib3.HTTPConnectionPool(target.address, target.port, **options)
            self._pools[key] = pool
        return pool

    def post(self, target: Target, *, body: bytes, headers: dict[str, str]) -> int:
        """Sends once (no redirects followed, no retries); returns the status code."""
        host = target.host if ":" not in target.host else f"[{target.host}]"
        default_port = 443 if target.scheme == "https" else 80
        host_header = host if target.port == default_port else f"{host}:{target.port}"
        response = self._pool(target).urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "Host": host_header},
            redirect=False,
            retries=False,
            preload_content=False,
        )
        try:
            response.read(64 * 1024)  # drained (bounded), so the connection can be reused
        finally:
            response.release_conn()
        return response.status

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()
