"""The fixed demo logins: on Mercado Livre the login is the account, so picking the right account
means signing in with the right login."""

from dataclasses import dataclass

from marketplaces.sandbox.directory import DEMO_PASSWORD as DEMO_PASSWORD  # the shared one
from marketplaces.sandbox.directory import matches


@dataclass(frozen=True)
class SandboxUser:
    user_id: int
    nickname: str
    email: str
    document_type: str  # "CNPJ" | "CPF" | another site's
    document_number: str
    site_id: str = "MLB"
    # An operator (collaborator) login of another account: it cannot authorize applications.
    operator_of: int | None = None

    @property
    def is_operator(self) -> bool:
        return self.operator_of is not None

    @property
    def document_hint(self) -> str:
        """The document as Mercado Livre shows it: only its last digits."""
        number = self.document_number
        if self.document_type == "CNPJ":
            return f"CNPJ ••.•••.•••/{number[8:12]}-{number[12:]}"
        if self.document_type == "CPF":
            return f"CPF •••.•••.•••-{number[9:]}"
        return f"{self.document_type} •••{number[-3:]}"

    @property
    def label(self) -> str:
        if self.is_operator:
            return "Usuário operador (colaborador)"
        return {"CNPJ": "Conta de empresa", "CPF": "Conta de pessoa física"}.get(
            self.document_type, "Conta de outro país"
        )


DEMO_USERS: tuple[SandboxUser, ...] = (
    SandboxUser(123456001, "LOJAEXEMPLO", "loja@exemplo.com.br", "CNPJ", "11222333000181"),
    SandboxUser(123456002, "EXEMPLOOUTLET", "outlet.ml@exemplo.com.br", "CPF", "52998224725"),
    SandboxUser(123456003, "CASAEXEMPLO", "casa.ml@exemplo.com.br", "CNPJ", "45723174000110"),
    SandboxUser(
        123456009,
        "LOJAEXEMPLO.OPERADOR",
        "operador@exemplo.com.br",
        "CPF",
        "11144477735",
        operator_of=123456001,
    ),
    # An account of Mercado Libre Argentina: not a kind the hub knows for Brazil.
    SandboxUser(223456004, "TIENDAEJEMPLO", "tienda@ejemplo.com.ar", "CUIT", "20123456786", "MLA"),
)

_BY_ID = {user.user_id: user for user in DEMO_USERS}
_BY_LOGIN = {key: user for user in DEMO_USERS for key in (user.nickname.lower(), user.email)}


def user_by_id(user_id) -> SandboxUser | None:
    try:
        return _BY_ID.get(int(user_id))
    except (TypeError, ValueError):
        return None


def authenticate(login, password) -> SandboxUser | None:
    """The demo user for this nickname or e-mail and password; the password in constant time."""
    user = _BY_LOGIN.get(str(login or "").strip().lower())
    password_ok = matches(password, DEMO_PASSWORD)
    return user if user is not None and password_ok else None
