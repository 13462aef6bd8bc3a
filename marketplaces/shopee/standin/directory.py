"""The demo shops and logins: on Shopee a shop's login is the shop; a main account's login
authorizes several shops at once (the hub takes one shop at a time)."""

from dataclasses import dataclass

from marketplaces.sandbox.directory import DEMO_PASSWORD as DEMO_PASSWORD  # the shared one
from marketplaces.sandbox.directory import matches


@dataclass(frozen=True)
class SandboxShop:
    shop_id: int
    login: str
    shop_name: str
    region: str = "BR"
    is_cb: bool = False  # cross-border
    status: str = "NORMAL"

    @property
    def label(self) -> str:
        return "Loja" if self.region == "BR" and not self.is_cb else "Loja de outra região"


@dataclass(frozen=True)
class MainAccount:
    main_account_id: int
    login: str
    shop_ids: tuple[int, ...]
    label: str = "Conta principal (várias lojas)"


DEMO_SHOPS: tuple[SandboxShop, ...] = (
    SandboxShop(880001, "lojaexemplo", "Loja Exemplo Shopee"),
    SandboxShop(880002, "exemplooutlet", "Exemplo Outlet"),
    SandboxShop(880003, "casaexemplo", "Casa Exemplo"),
    SandboxShop(880009, "tiendaejemplo", "Tienda Ejemplo", region="MX", is_cb=True),
)
MAIN_ACCOUNTS: tuple[MainAccount, ...] = (MainAccount(770001, "grupoexemplo", (880001, 880003)),)

_SHOPS = {shop.shop_id: shop for shop in DEMO_SHOPS}
_LOGINS: dict[str, SandboxShop | MainAccount] = {
    **{shop.login: shop for shop in DEMO_SHOPS},
    **{main.login: main for main in MAIN_ACCOUNTS},
}


def shop_by_id(shop_id) -> SandboxShop | None:
    try:
        return _SHOPS.get(int(shop_id))
    except (TypeError, ValueError):
        return None


def login_by_name(login) -> SandboxShop | MainAccount | None:
    return _LOGINS.get(str(login or "").strip().lower())


def authenticate(login, password) -> SandboxShop | MainAccount | None:
    """The shop or main account of this login and password; the password in constant time."""
    account = login_by_name(login)
    password_ok = matches(password, DEMO_PASSWORD)
    return account if account is not None and password_ok else None
