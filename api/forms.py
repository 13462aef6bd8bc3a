"""The seller's forms: a new API key, a new webhook endpoint. Messages in pt-BR."""

from django import forms

from api.models import EventType, Scope
from api.safe_http import UnsafeAddress, resolve


def _checkboxes(label: str, choices, *, one: str, many: str) -> forms.MultipleChoiceField:
    """A list of checkboxes, at least one ticked; the errors name what is chosen, as ``one``
    ("uma permissão") and ``many`` ("permissões")."""
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": f"Escolha ao menos {one}.",
            "invalid_choice": f"Escolha {many} da lista.",
        },
    )


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label="Nome da chave",
        max_length=100,
        help_text="Para você reconhecer onde ela é usada, por exemplo: ERP, planilha.",
        error_messages={"required": "Dê um nome à chave."},
    )
    scopes = _checkboxes("Permissões", Scope.choices, one="uma permissão", many="permissões")

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
    events = _checkboxes("Avisos", EventType.choices, one="um aviso", many="avisos")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            resolve(url)
        except UnsafeAddress as exc:
            raise forms.ValidationError(str(exc)) from exc
        return url
