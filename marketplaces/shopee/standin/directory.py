"""The demo shops and logins: on Shopee a shop's login is the shop; a main account's login
authorizes several shops at once."""

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

    @property
    def account_id(self) -> str:
        """How its codes and its shared token family name it."""
        return f"{MAIN_PREFIX}{self.main_account_id}"

    @property
    def shops(self) -> tuple["SandboxShop", ...]:
        return tuple(_SHOPS[shop_id] for shop_id in self.shop_ids)


MAIN_PREFIX = "main:"


DEMO_SHOPS: tuple[SandboxShop, ...] = (
    SandboxShop(880001, "lojaexemplo", "Loja Exemplo Shopee"),
    SandboxShop(880002, "exemplooutlet", "Exemplo Outlet"),
    SandboxShop(880003, "casaexemplo", "Casa Exemplo"),
    SandboxShop(880004, "exemplokids", "Exemplo Kids"),
    SandboxShop(880009, "tiendaejemplo", "Tienda Ejemplo", region="MX", is_cb=True),
)
MAIN_ACCOUNTS: tuple[MainAccount, ...] = (
    MainAccount(770001, "grupoexemplo", (880001, 880003, 880004)),
)

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


def main_account_of(account_id: str) -> MainAccount | None:
    """The main account a code or a shared token family names (``main:<id>``), or None."""
    return next((main for main in MAIN_ACCOUNTS if main.account_id == account_id), None)


def login_by_name(login) -> SandboxShop | MainAccount | None:
    return _LOGINS.get(str(login or "").strip().lower())


def authenticate(login, password) -> SandboxShop | MainAccount | None:
    """The shop or main account of this login and password; the password in constant time."""
    account = login_by_name(login)
    password_ok = matches(password, DEMO_PASSWORD)
    return account if account is not None and password_ok else None
