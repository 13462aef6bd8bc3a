"""The loopback's marketplaces for the push and fleet benchmarks: Mercado Livre and Magalu as
their order readers and token refreshes see them, in memory, counting every call by kind.

Tokens carry what the loopback needs to judge them, so nothing is stored per account:
``fa.<market>.<account>.<expires_epoch>.<nonce>`` (access) and ``fr.…`` (refresh, naming the
expiry of the access token it came with). A refresh token works once (ML and Magalu rotate); an
access token past its expiry gets 401 and is counted, so the hub using a stale token would show.
A refresh is **late** when it arrives after the access token it replaces has expired.
"""

import secrets
import threading
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

MARKETS = ("mercadolivre", "magalu")
LIFETIME = {"mercadolivre": 21600, "magalu": 7200}  # expires_in, as each provider states
ML_FIRST_USER = 700_000_000
MAGALU_UUID_BASE = 0x5EED_0000_0000_4000_8000_0000_0000_0000
ML_FIRST_ORDER = 2_000_000_000_000


def account_id(market: str, n: int) -> str:
    """The n-th account of a marketplace: a Mercado Livre user_id, a Magalu tenant uuid."""
    if market == "mercadolivre":
        return str(ML_FIRST_USER + n)
    return str(uuid.UUID(int=MAGALU_UUID_BASE + n))


def token(kind: str, market: str, account: str, expires: float) -> str:
    return f"{kind}.{market}.{account}.{int(expires)}.{secrets.token_hex(8)}"


def read_token(value: str) -> tuple[str, str, str, float] | None:
    parts = value.split(".")
    if len(parts) != 5 or parts[0] not in ("fa", "fr") or parts[1] not in MARKETS:
        return None
    try:
        return parts[0], parts[1], parts[2], float(parts[3])
    except ValueError:
        return None


def iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="milliseconds")


class Market:
    """Orders, token rotation and the counters of both loopback marketplaces."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.used_refresh: set[str] = set()
        self.refresh_left: list[float] = []  # seconds left on the replaced access token
        self.orders: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self.by_id: dict[str, tuple[str, str, dict]] = {}
        self.missed: list[dict] = []  # Mercado Livre notices it could not deliver
        self.next_ml_order = ML_FIRST_ORDER

    def count(self, kind: str, n: int = 1) -> None:
        with self.lock:
            self.calls[kind] += n

    # -- orders --------------------------------------------------------------------------------

    def create_order(self, market: str, account: str) -> dict:
        now = time.time()
        with self.lock:
            if market == "mercadolivre":
                order_id = str(self.next_ml_order)
                self.next_ml_order += 1
                order = {
                    "id": int(order_id),
                    "status": "paid",
                    "date_created": iso(now),
                    "date_last_updated": iso(now),
                    "total_amount": 129.9,
                    "currency_id": "BRL",
                    "seller": {"id": int(account)},
                }
            else:
                order_id = str(uuid.uuid4())
                order = {
                    "id": order_id,
                    "code": f"LU-{order_id[:8].upper()}",
                    "status": "new",
                    "created_at": iso(now),
                    "updated_at": iso(now),
                    "amounts": {"total": 12990, "currency": "BRL", "normalizer": 100},
                }
            order["_updated"] = now
            self.orders[(market, account)].append(order)
            self.by_id[order_id] = (market, account, order)
            self.calls[f"created.{market}"] += 1
        return {"id": order_id, "market": market, "account": account, "created": now}

    def created(self) -> dict[str, list[str]]:
        with self.lock:
            return {
                market: [oid for oid, (m, _a, _o) in self.by_id.items() if m == market]
                for market in MARKETS
            }

    def accounts_with_orders(self) -> dict[str, list[str]]:
        with self.lock:
            result: dict[str, list[str]] = {market: [] for market in MARKETS}
            for market, account in self.orders:
                result[market].append(account)
            return result

    def add_missed(self, notice: dict) -> None:
        with self.lock:
            self.missed.append(notice)

    # -- HTTP ----------------------------------------------------------------------------------

    def refresh(self, market: str, form: dict) -> tuple[int, dict]:
        self.count(f"token.{market}")
        value = (form.get("refresh_token") or [""])[0]
        parsed = read_token(value)
        with self.lock:
            if parsed is None or parsed[0] != "fr" or parsed[1] != market:
                self.calls["invalid_grant"] += 1
                return 400, {"error": "invalid_grant", "error_description": "unknown"}
            if value in self.used_refresh:
                self.calls["invalid_grant"] += 1
                return 400, {"error": "invalid_grant", "error_description": "reused"}
            self.used_refresh.add(value)
            now = time.time()
            left = parsed[3] - now
            self.refresh_left.append(left)
            if left < 0:
                self.calls["refresh_late"] += 1
        account, expires = parsed[2], now + LIFETIME[market]
        body = {
            "access_token": token("fa", market, account, expires),
            "refresh_token": token("fr", market, account, expires),
            "token_type": "Bearer",
            "expires_in": LIFETIME[market],
            "scope": "offline_access read" if market == "mercadolivre" else "open:order-order:read",
        }
        if market == "mercadolivre":
            body["user_id"] = int(account)
        return 200, body

    def api(self, market: str, path: str, authorization: str) -> tuple[int, object]:
        """A GET on a marketplace's API: the account is the access token's."""
        parsed = read_token(authorization.removeprefix("Bearer ").strip())
        if parsed is None or parsed[0] != "fa" or parsed[1] != market:
            self.count("unauthorized")
            return 401, {"message": "invalid access token", "error": "invalid_token"}
        if parsed[3] < time.time():
            self.count("expired_access_token")
            return 401, {"message": "expired access token", "error": "invalid_token"}
        account = parsed[2]
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if market == "mercadolivre":
            return self._mercadolivre(parts.path, query, account)
        return self._magalu(parts.path, query, account)

    def _mercadolivre(self, path: str, query: dict, account: str) -> tuple[int, object]:
        if path == "/users/me":
            self.count("health.mercadolivre")
            return 200, {"id": int(account), "nickname": f"LOJA{account}", "site_id": "MLB"}
        if path == "/orders/search":
            self.count("list.mercadolivre")
            if query.get("seller") != account:
                return 403, {"message": "forbidden", "error": "forbidden"}
            since = _epoch(query.get("order.date_last_updated.from"))
            offset, limit = int(query.get("offset", 0)), min(50, int(query.get("limit", 50)))
            found = self._since("mercadolivre", account, since)
            return 200, {
                "results": found[offset : offset + limit],
                "paging": {"total": len(found), "offset": offset, "limit": limit},
            }
        if path == "/missed_feeds":
            self.count("missed_feeds.mercadolivre")
            offset, limit = int(query.get("offset", 0)), int(query.get("limit", 50))
            with self.lock:
                page = self.missed[offset : offset + limit]
                total = len(self.missed)
            return 200, {
                "messages": page,
                "paging": {"total": total, "offset": offset, "limit": limit},
            }
        if path.startswith("/orders/"):
            self.count("order.mercadolivre")
            return self._one(path.rsplit("/", 1)[1], "mercadolivre", account, 403)
        self.count("other")
        return 404, {"message": "not found", "error": "not_found"}

    def _magalu(self, path: str, query: dict, account: str) -> tuple[int, object]:
        if path == "/seller/v1/orders":
            limit, offset = min(100, int(query.get("_limit", 100))), int(query.get("_offset", 0))
            if limit == 1 and "_offset" not in query:
                self.count("health.magalu")
            else:
                self.count("list.magalu")
            found = self._since("magalu", account, _epoch(query.get("updated_at__gte")))
            return 200, {
                "results": found[offset : offset + limit],
                "meta": {"page": {"limit": limit, "offset": offset, "count": len(found)}},
            }
        if path.startswith("/seller/v1/orders/"):
            self.count("order.magalu")
            return self._one(path.rsplit("/", 1)[1], "magalu", account, 404)
        self.count("other")
        return 404, {"message": "not found", "error": "not_found"}

    def _since(self, market: str, account: str, since: float | None) -> list[dict]:
        with self.lock:
            orders = list(self.orders.get((market, account), ()))
        return [_public(o) for o in orders if since is None or o["_updated"] >= since]

    def _one(self, order_id: str, market: str, account: str, other: int) -> tuple[int, object]:
        with self.lock:
            found = self.by_id.get(order_id)
        if found is None or found[0] != market:
            return 404, {"message": "order not found", "error": "not_found"}
        if found[1] != account:
            return other, {"message": "not your order", "error": "forbidden"}
        return 200, _public(found[2])

    def stats(self) -> dict:
        with self.lock:
            left = sorted(self.refresh_left)
            return {
                "calls": dict(self.calls),
                "refreshes": len(left),
                "refresh_left_min_s": left[0] if left else None,
                "refresh_left_p50_s": left[len(left) // 2] if left else None,
                "missed": len(self.missed),
            }


def _public(order: dict) -> dict:
    return {k: v for k, v in order.items() if not k.startswith("_")}


def _epoch(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
