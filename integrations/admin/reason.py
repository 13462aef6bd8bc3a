"""The reason support gives on the confirmation step of an action that needs one ("Marcar como
Token Expirado", "Desconectar"): required, recorded in the integration's history."""

from django import forms

REASON_FIELD = "motivo"
# The event's details hold 500 characters, the action's own words included.
REASON_MAX_LENGTH = 300


class ReasonForm(forms.Form):
    motivo = forms.CharField(
        label="Motivo",
        max_length=REASON_MAX_LENGTH,
        help_text=(
            "Fica no histórico da integração, com o seu nome. Ex.: pedido da empresa por "
            "e-mail; token recusado pelo marketplace."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={
            "required": "Informe o motivo: ele fica registrado no histórico da integração.",
            "max_length": (
                "Use no máximo %(limit_value)d caracteres no motivo (são %(show_value)d)."
            ),
            "null_characters_not_allowed": "O motivo tem caracteres inválidos.",
        },
    )

    def reason(self) -> str:
        """The reason on one line (the history shows it in a table cell)."""
        return " ".join(self.cleaned_data[REASON_FIELD].split())
