"""Demo data for development: a seller, its users, and integrations on every marketplace's
local stand-in, some Ativo, some Token Expirado.

The accounts match each stand-in's demo logins, so the whole "Ativar token expirado" journey can
be clicked through. Idempotent: running it twice changes nothing.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from hub.models import Membership, Seller
from integrations import demo

DEMO_SELLER = {"name": "Loja Exemplo", "cnpj": "11222333000181"}
DEMO_USER = ("demo", "demo12345", "demo@loja-exemplo.com.br")
SUPPORT_USER = ("suporte", "suporte12345", "suporte@hub.localhost")


class Command(BaseCommand):
    help = "Cria a empresa de demonstração, seus usuários e integrações (só em desenvolvimento)."

    @transaction.atomic
    def handle(self, *args, **options):
        if not getattr(settings, "MARKETPLACE_SANDBOX", False):
            raise CommandError(
                "seed_demo precisa dos simuladores locais dos marketplaces, que estão desligados "
                "(eles só funcionam com DEBUG=true). Nenhum dado de demonstração foi criado."
            )
        from marketplaces.sandbox.registry import STAND_INS

        seller, _ = Seller.objects.get_or_create(
            cnpj=DEMO_SELLER["cnpj"], defaults={"name": DEMO_SELLER["name"]}
        )
        user = self._user(*DEMO_USER)
        Membership.objects.get_or_create(user=user, defaults={"seller": seller})
        support = self._user(*SUPPORT_USER, staff=True)
        support.groups.add(Group.objects.get(name="Suporte"))
        logins = []
        for module in STAND_INS.values():
            accounts, login = import_string(f"{module.DEMO}.accounts")()
            for account in accounts:
                demo.ensure(seller, account)
            logins.append(login)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo pronto: empresa “{seller.name}”, login {DEMO_USER[0]} / {DEMO_USER[1]}; "
                f"suporte {SUPPORT_USER[0]} / {SUPPORT_USER[1]}; " + "; ".join(logins)
            )
        )

    def _user(self, username: str, password: str, email: str, *, staff: bool = False):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": email}
        )
        if created:
            user.set_password(password)
            user.is_staff = staff
            user.save()
        return user
