"""Support actions on integrations, offered on the list and on the page, always confirmed first.

Each action is a thin translation of a click into one service call per integration; the services
check, change and record the event with the acting staff member.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.http import HttpRequest
from django.template.response import TemplateResponse

from hub.admin_site import confirmed, model_page, selected_rows
from integrations.admin.reason import ReasonForm
from integrations.models import Integration
from integrations.services.support import (
    SupportActionRefused,
    disconnect_refusal,
    integration_disconnect_by_staff,
    integration_mark_expired_by_staff,
    integration_refresh_now,
    integration_send_reactivation_link,
    mark_expired_refusal,
    reactivation_link_refusal,
    refresh_now_refusal,
)

CONFIRMATION_TEMPLATE = "admin/integrations/integration/action_confirmation.html"


@dataclass(frozen=True)
class SupportAction:
    name: str  # admin action name; its permission is has_<name>_permission / can_<name>
    slug: str  # in the page action's URL
    label: str
    question: str
    consequence: str
    done: str  # "{what}" is the account name or "N integrações"
    service: Callable[..., object]
    # The service's own refusal rule (it checks again under its lock).
    refusal: Callable[[Integration], str | None]
    # A required reason on the confirmation step, passed to the service and kept in the event.
    needs_reason: bool = False

    def offered(self, integration: Integration) -> bool:
        """Whether the integration's page offers it, judged on the row already loaded."""
        return self.refusal(integration) is None

    @property
    def codename(self) -> str:
        return f"can_{self.name}"

    @property
    def perm(self) -> str:
        return f"integrations.{self.codename}"


SUPPORT_ACTIONS = (
    SupportAction(
        name="refresh_now",
        slug="renovar-agora",
        label="Renovar agora",
        question="Renovar agora o token destas integrações?",
        consequence="A renovação entra na fila do renovador de tokens e acontece em instantes.",
        done="Renovação do token enfileirada: {what}.",
        service=integration_refresh_now,
        refusal=refresh_now_refusal,
    ),
    SupportAction(
        name="mark_expired",
        slug="marcar-expirado",
        label="Marcar como Token Expirado",
        question="Marcar estas integrações como Token Expirado?",
        consequence=(
            "Os tokens são apagados, o status passa a Token Expirado e os usuários da empresa "
            "recebem por e-mail o link para reativar."
        ),
        done="Marcada(s) como Token Expirado, empresa avisada por e-mail: {what}.",
        service=integration_mark_expired_by_staff,
        refusal=mark_expired_refusal,
        needs_reason=True,
    ),
    SupportAction(
        name="send_reactivation_link",
        slug="enviar-link",
        label="Enviar link de reativação",
        question="Enviar o link de reativação aos usuários da empresa destas integrações?",
        consequence=(
            "Cada usuário ativo da empresa recebe por e-mail o link da página de reativação."
        ),
        done="Link de reativação enviado por e-mail: {what}.",
        service=integration_send_reactivation_link,
        refusal=reactivation_link_refusal,
    ),
    SupportAction(
        name="disconnect",
        slug="desconectar",
        label="Desconectar",
        question="Desconectar estas integrações?",
        consequence=(
            "Os tokens são apagados e o status passa a Desconectada; o histórico é mantido. "
            "A empresa precisará conectar a conta de novo para voltar a usá-la."
        ),
        done="Desconectada(s): tokens apagados, histórico mantido: {what}.",
        service=integration_disconnect_by_staff,
        refusal=disconnect_refusal,
        needs_reason=True,
    ),
)
ACTIONS_BY_SLUG = {action.slug: action for action in SUPPORT_ACTIONS}


def describe(integrations: list[Integration]) -> str:
    if len(integrations) == 1:
        return f"“{integrations[0].account_name}”"
    return f"{len(integrations)} integrações"


def run(
    request: HttpRequest,
    action: SupportAction,
    integrations: list[Integration],
    *,
    reason: str = "",
) -> int:
    """Calls the service for each integration and tells the staff member what happened."""
    done = []
    extra = {"reason": reason} if action.needs_reason else {}
    for integration in integrations:
        try:
            action.service(integration_id=integration.pk, actor=request.user, **extra)
        except SupportActionRefused as refusal:
            messages.warning(request, str(refusal))
        except Integration.DoesNotExist:
            messages.warning(request, f"“{integration.account_name}” não existe mais.")
        else:
            done.append(integration)
    if done:
        messages.success(request, action.done.format(what=describe(done)))
    return len(done)


def confirm_or_run(
    request: HttpRequest,
    modeladmin: admin.ModelAdmin,
    action: SupportAction,
    integrations: list[Integration],
    *,
    from_list: bool,
    cancel_url: str,
) -> TemplateResponse | None:
    """Runs the action once its confirmation step is answered "sim" (with a valid reason where
    it needs one) and returns None; otherwise the confirmation step, with a 400 when the answer
    came without a valid reason (nothing is changed)."""
    answered = confirmed(request)
    form = None
    if action.needs_reason:
        form = ReasonForm(request.POST) if answered else ReasonForm()
    if answered and (form is None or form.is_valid()):
        run(request, action, integrations, reason=form.reason() if form else "")
        return None
    context = {
        "title": action.label,
        "support_action": action,
        "integrations": integrations,
        # From the list, the selection and the action are posted back as its action form does.
        "selected": integrations if from_list else [],
        "action_name": action.name if from_list else "",
        "cancel_url": cancel_url,
        "reason_form": form,
    }
    return model_page(
        request, modeladmin, CONFIRMATION_TEMPLATE, context, status=400 if answered else 200
    )


def _admin_action(action: SupportAction):
    def handler(modeladmin, request, queryset):
        integrations = selected_rows(
            modeladmin,
            request,
            queryset.select_related("seller"),
            noun="integrações",
            purpose=f"“{action.label}”",
        )
        if integrations is None:
            return None
        return confirm_or_run(
            request,
            modeladmin,
            action,
            integrations,
            from_list=True,
            cancel_url=request.get_full_path(),
        )

    handler.__name__ = action.name
    return admin.action(description=action.label, permissions=[action.name])(handler)


ADMIN_ACTIONS = [_admin_action(action) for action in SUPPORT_ACTIONS]
