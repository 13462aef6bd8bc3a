from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import IntegrityError

from hub.invitations import user_send_invitation
from hub.services import seller_create_with_user


class Command(BaseCommand):
    help = (
        "Cria uma empresa (seller) com o seu primeiro usuário, que recebe por e-mail um convite "
        "com o link para criar a senha."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Nome da empresa")
        parser.add_argument("--cnpj", required=True, help="CNPJ, com ou sem pontuação")
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True, help="Para onde vai o convite")
        parser.add_argument(
            "--password",
            help="Senha inicial (para ambientes de teste); sem ela, o usuário recebe o convite",
        )

    def handle(self, *args, **options):
        try:
            validate_email(options["email"])
        except ValidationError as exc:
            raise CommandError(f"E-mail inválido: {options['email']}") from exc
        try:
            seller = seller_create_with_user(
                name=options["name"],
                cnpj=options["cnpj"],
                username=options["username"],
                email=options["email"],
                password=options["password"] or None,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except IntegrityError as exc:
            raise CommandError(
                "Já existe uma empresa com esse CNPJ ou um usuário com esse nome."
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Empresa criada: {seller}"))
        if options["password"]:
            return
        user = seller.memberships.get().user
        try:
            user_send_invitation(user_id=user.pk)
        except Exception as exc:  # the seller exists: say so, and how to send it again
            raise CommandError(
                f"A empresa foi criada, mas o convite não pôde ser enviado ({exc}). Envie de "
                "novo pelo admin (Usuários → “Enviar convite por e-mail”)."
            ) from exc
        self.stdout.write(
            f"Convite enviado para {user.email}: o link cria a senha de {user.get_username()}."
        )
