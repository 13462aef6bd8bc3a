"""The integration page's history and authorization attempts: the newest rows, read-only."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html

from hub.admin_site import ReadOnlyRowsMixin, when_column
from integrations.admin import display
from integrations.models import AuthorizationAttempt, IntegrationEvent

EVENTS_SHOWN = 100
ATTEMPTS_SHOWN = 20


class _NewestFirstFormSet(BaseInlineFormSet):
    """Shows only the newest rows; the full list is one link away (a history can be long)."""

    shown = EVENTS_SHOWN

    def get_queryset(self):
        if not hasattr(self, "_newest"):
            self._newest = super().get_queryset()[: self.shown]
        return self._newest


class _NewestAttemptsFormSet(_NewestFirstFormSet):
    shown = ATTEMPTS_SHOWN


class _ReadOnlyInline(ReadOnlyRowsMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    ordering = ["-created_at", "-id"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class IntegrationEventInline(_ReadOnlyInline):
    model = IntegrationEvent
    formset = _NewestFirstFormSet
    fields = ["created_column", "kind", "actor", "details"]
    verbose_name_plural = f"histórico (os {EVENTS_SHOWN} eventos mais recentes)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    created_column = when_column("created_at", "quando")


class AuthorizationAttemptInline(_ReadOnlyInline):
    model = AuthorizationAttempt
    formset = _NewestAttemptsFormSet
    fields = [
        "created_column",
        "user",
        "outcome_column",
        "chosen_account_name",
        "chosen_external_id",
        "consumed_column",
    ]
    verbose_name_plural = f"tentativas de autorização (as {ATTEMPTS_SHOWN} mais recentes)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description="iniciada em")
    def created_column(self, attempt: AuthorizationAttempt) -> str:
        """A link to the attempt's page, where "Aceitar esta conta" lives."""
        url = reverse("admin:integrations_authorizationattempt_change", args=[attempt.pk])
        return format_html('<a href="{}">{}</a>', url, display.when(attempt.created_at))

    @admin.display(description="resultado")
    def outcome_column(self, attempt: AuthorizationAttempt) -> str:
        return display.outcome_badge(attempt)

    consumed_column = when_column("consumed_at", "concluída em")
