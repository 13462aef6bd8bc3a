"""Support's view of keys, webhooks and deliveries: create a key (shown once), revoke, resend."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from api.models import ApiKey, Scope, WebhookDelivery, WebhookEndpoint
from api.services import endpoints as endpoint_services
from api.services.keys import api_key_create, api_key_revoke


class ApiKeyAddForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label="Permissões", choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiKey
        fields = ["seller", "name", "scopes"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "masked", "seller", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "seller__name"]
    list_select_related = ["seller"]
    readonly_fields = ["masked", "scopes", "created_at", "created_by", "last_used_at", "revoked_at"]
    autocomplete_fields = ["seller"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["seller", "name", "scopes"]
        return ["seller", "name", "masked", "scopes", "created_at", "created_by", "last_used_at",
                "revoked_at"]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else [*self.readonly_fields, "seller"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        key, plaintext = api_key_create(
            seller=form.cleaned_data["seller"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            user=request.user,
        )
        obj.pk, obj._plaintext = key.pk, plaintext

    def response_add(self, request, obj, post_url_continue=None):
        # The key, once, on this page only: never in a message (a cookie) nor a log.
        context = {**self.admin_site.each_context(request), "key": obj, "plaintext": obj._plaintext}
        return TemplateResponse(request, "api/admin_key_created.html", context)

    @admin.action(description="Revogar as chaves selecionadas")
    def revoke(self, request, queryset):
        for key in queryset.filter(revoked_at__isnull=True):
            api_key_revoke(key=key)
        messages.success(request, "Chaves revogadas.")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "seller", "enabled", "disabled_at", "created_at"]
    list_filter = ["enabled"]
    search_fields = ["url", "seller__name"]
    list_select_related = ["seller"]
    fields = ["seller", "url", "description", "events", "enabled", "disabled_at",
              "disabled_reason", "created_at", "created_by"]  # fmt: skip
    readonly_fields = fields
    actions = ["enable"]

    def has_add_permission(self, request) -> bool:
        return False  # the secret is shown to the seller on their own page

    @admin.action(description="Reativar os webhooks selecionados")
    def enable(self, request, queryset):
        for endpoint in queryset:
            endpoint_services.endpoint_enable(endpoint=endpoint)
        messages.success(request, "Webhooks reativados.")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event_type", "seller", "endpoint", "status", "attempts", "last_status_code",
                    "created_at"]  # fmt: skip
    list_filter = ["status", "event_type"]
    search_fields = ["message_id", "seller__name", "endpoint__url"]
    list_select_related = ["seller", "endpoint"]
    readonly_fields = ["message_id", "endpoint", "seller", "event_type", "payload", "created_at",
                       "status", "attempts", "next_attempt_at", "last_attempt_at",
                       "last_status_code", "last_error", "delivered_at"]  # fmt: skip
    actions = ["resend"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Reenviar as entregas selecionadas")
    def resend(self, request, queryset):
        for delivery in queryset:
            endpoint_services.delivery_resend(delivery=delivery)
        messages.success(request, "Entregas colocadas na fila para reenvio.")
