"""Demo data for development: a seller with Magalu integrations, some Ativo, some Token Expirado.

The accounts match the local ID Magalu stand-in's demo person, so the whole "Ativar token
expirado" journey can be clicked through. Idempotent: running it twice changes nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from hub.models import Membership, Seller
from integrations.models import Integration
from integrations.services.events import event_record

DEMO_SELLER = {"name": "Loja Exemplo", "cnpj": "11222333000181"}
DEMO_USER = ("demo", "demo12345", "demo@loja-exemplo.com.br")
DEMO_EXPIRY_REASON = (
    "O ID Magalu recusou a renovação do token (invalid_grant): reative a integração."
)
SUPPORT_USER = ("suporte", "suporte12345", "suporte@hub.localhost")


class Command(BaseCommand):
    help = "Creates the demo seller, its users and Magalu integrations (development only)."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.MAGALU_SANDBOX:
            raise CommandError(
                "seed_demo needs the local ID Magalu stand-in (MAGALU_SANDBOX=true)."
            )
        from integrations.sandbox import directory, issuer

        seller, _ = Seller.objects.get_or_create(
            cnpj=DEMO_SELLER["cnpj"], defaults={"name": DEMO_SELLER["name"]}
        )
        user = self._user(*DEMO_USER)
        Membership.objects.get_or_create(user=user, defaults={"seller": seller})
        support = self._user(*SUPPORT_USER, staff=True)
        support.groups.add(Group.objects.get(name="Suporte"))

        tenants = {t.uuid: t for t in directory.DEMO_TENANTS}
        active = tenants["d3b07384-d9a0-4c9b-8a7e-5f1e2b000102"]
        expired = [
            tenants["d3b07384-d9a0-4c9b-8a7e-5f1e2b000101"],
            tenants["d3b07384-d9a0-4c9b-8a7e-5f1e2b000105"],
        ]
        now = timezone.now()

        integration, created = self._integration(seller, active)
        if created:
            response = issuer.issue_tokens(tenant_uuid=active.uuid, scopes=settings.MAGALU_SCOPES)
            integration.set_tokens(
                access_token=response["access_token"], refresh_token=response["refresh_token"]
            )
            integration.access_token_expires_at = now + timedelta(
                seconds=int(response["expires_in"])
            )
            integration.scopes = response["scope"]
            integration.status = Integration.Status.ACTIVE
            integration.last_renewed_at = now
            integration.save()
            event_record(integration=integration, kind="connected", details="dados de demonstração")

        for tenant in expired:
            integration, created = self._integration(seller, tenant)
            if created:
                integration.last_error = DEMO_EXPIRY_REASON
                integration.last_error_at = now - timedelta(days=2)
                integration.last_renewed_at = now - timedelta(days=32)
                integration.save()
                event_record(
                    integration=integration, kind="expired", details="dados de demonstração"
                )

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo pronto: empresa “{seller.name}”, login {DEMO_USER[0]} / {DEMO_USER[1]}; "
                f"suporte {SUPPORT_USER[0]} / {SUPPORT_USER[1]}; "
                f"ID Magalu local: {directory.DEMO_PERSON_EMAIL} / {directory.DEMO_PERSON_PASSWORD}"
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

    def _integration(self, seller: Seller, tenant) -> tuple[Integration, bool]:
        return Integration.objects.get_or_create(
            marketplace="magalu",
            external_id=tenant.uuid,
            defaults={
                "seller": seller,
                "account_name": tenant.legal_name,
                "status": Integration.Status.EXPIRED,
            },
        )
