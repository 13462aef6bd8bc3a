"""Inviting a person to the hub: an e-mail with a link to create the password, instead of a
password someone has to pass on.

The link is Django's password-reset token (``default_token_generator``): single use (it hashes
the password, which the new one changes), and valid for PASSWORD_RESET_TIMEOUT. It is built from
SITE_URL, never from a request. The invited user has no usable password until then.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from hub.emails import BrandedEmail, branded_message
from hub.password_reset import reset_link_lifetime
from hub.tenancy import seller_of

logger = logging.getLogger(__name__)


def invitation_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{settings.SITE_URL}{reverse('invitation_accept', args=[uid, token])}"


def user_invite(*, user) -> None:
    """E-mails ``user`` the invitation after the commit (robust: a mail outage is logged)."""
    pk = user.pk
    transaction.on_commit(lambda: user_send_invitation(user_id=pk), robust=True)


def user_send_invitation(*, user_id: int) -> bool:
    """Sends the invitation now; False when the user is inactive or has no e-mail address."""
    user = get_user_model().objects.select_related("membership__seller").get(pk=user_id)
    if not user.is_active or not user.email:
        logger.warning("hub.invitation.not_sent", extra={"user_id": user_id})
        return False
    seller = seller_of(user)
    greeting = f"Olá, {user.first_name}." if user.first_name else "Olá."
    where = f" da empresa {seller.name}" if seller else ""
    email = BrandedEmail(
        subject=f"Convite para o Hub de Integrações{f' · {seller.name}' if seller else ''}",
        heading="Você foi convidado para o Hub de Integrações",
        paragraphs=(
            greeting,
            f"Você agora tem acesso ao Hub de Integrações{where}, onde acompanha as integrações "
            "com os marketplaces e os pedidos que chegam por elas.",
            "Para entrar, crie a sua senha pelo botão abaixo. O link vale por "
            f"{reset_link_lifetime()} e pode ser usado uma só vez; depois disso, peça um novo "
            "em “Esqueci minha senha”, na página de entrada.",
        ),
        details=(("Seu usuário", user.get_username()),),
        action_label="Criar minha senha",
        action_url=invitation_url(user),
        footer="Se você não esperava este convite, ignore este e-mail.",
    )
    branded_message(email, to=[user.email]).send()
    logger.info("hub.invitation.sent", extra={"user_id": user_id})
    return True
