"""The seller's forms: a new API key, a new webhook endpoint. Messages in pt-BR."""

from django import forms

from api.models import EventType, Scope
from api.safe_http import UnsafeAddress, resolve


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label="Nome da chave",
        max_length=100,
        help_text="Para você reconhecer onde ela é usada, por exemplo: ERP, planilha.",
        error_messages={"required": "Dê um nome à chave."},
    )
    scopes = forms.MultipleChoiceField(
        label="Permissões",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Escolha ao menos uma permissão.",
            "invalid_choice": "Escolha permissões da lista.",
        },
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Dê um nome à chave.")
        return name


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label="URL que recebe os avisos",
        max_length=500,
        assume_scheme="https",
        help_text="Um endereço público com https://; o hub faz um POST para cada aviso.",
        error_messages={
            "required": "Informe a URL.",
            "invalid": "Informe uma URL completa, começando com https://.",
        },
    )
    description = forms.CharField(label="Descrição (opcional)", max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label="Avisos",
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Escolha ao menos um aviso.",
            "invalid_choice": "Escolha avisos da lista.",
        },
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            resolve(url)
        except UnsafeAddress as exc:
            raise forms.ValidationError(str(exc)) from exc
        return url
