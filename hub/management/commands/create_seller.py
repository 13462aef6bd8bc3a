import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from hub.services import seller_create_with_user


class Command(BaseCommand):
    help = "Cria uma empresa (seller) com o seu primeiro usuário."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Nome da empresa")
        parser.add_argument("--cnpj", required=True, help="CNPJ, com ou sem pontuação")
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--password", help="Senha inicial; sem ela, uma senha aleatória é gerada e mostrada"
        )

    def handle(self, *args, **options):
        password = options["password"] or secrets.token_urlsafe(12)
        try:
            seller = seller_create_with_user(
                name=options["name"],
                cnpj=options["cnpj"],
                username=options["username"],
                email=options["email"],
                password=password,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except IntegrityError as exc:
            raise CommandError(
                "Já existe uma empresa com esse CNPJ ou um usuário com esse nome."
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Empresa criada: {seller}"))
        if not options["password"]:
            self.stdout.write(f"Senha inicial de {options['username']}: {password}")
