from django import forms

from integrations.notices.models import Topic


class EmailPreferencesForm(forms.Form):
    receive = forms.MultipleChoiceField(
        label="Quero receber e-mails sobre",
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Escolha apenas opções da lista. Nada foi alterado.",
            "invalid_list": "Escolha apenas opções da lista. Nada foi alterado.",
        },
    )
