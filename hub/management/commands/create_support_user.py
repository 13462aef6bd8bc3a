import secrets

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hub.services import SUPPORT_GROUP, support_user_create


class Command(BaseCommand):
    help = (
        f"Cria um usuário da equipe de suporte: acesso ao admin, no grupo {SUPPORT_GROUP}, "
        "sem poderes de superusuário."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--password", help="Senha inicial; sem ela, uma senha aleatória é gerada e mostrada"
        )

    def handle(self, *args, **options):
        username = options["username"]
        password = options["password"] or secrets.token_urlsafe(12)
        try:
            support_user_create(username=username, email=options["email"], password=password)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except Group.DoesNotExist as exc:
            raise CommandError(
                f"O grupo {SUPPORT_GROUP} não existe: rode `manage.py migrate` antes."
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Usuário de suporte criado: {username} (grupo {SUPPORT_GROUP})")
        )
        if not options["password"]:
            self.stdout.write(f"Senha inicial de {username}: {password}")
