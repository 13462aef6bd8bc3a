"""The Pedidos page's filters: every value checked, a bad one explained in pt-BR."""

from django import forms

from integrations.orders.models import Order
from integrations.orders.selectors import OrderFilters
from marketplaces import marketplace_choices

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class OrderFilterForm(forms.Form):
    marketplace = forms.ChoiceField(label="Marketplace", required=False)
    conta = forms.TypedChoiceField(label="Conta", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="Status", required=False)
    de = forms.DateField(label="De", required=False, input_formats=DATE_FORMATS)
    ate = forms.DateField(label="Até", required=False, input_formats=DATE_FORMATS)

    def __init__(self, data, *, integrations):
        super().__init__(data)
        self.fields["marketplace"].choices = [("", "Todos"), *marketplace_choices()]
        self.fields["conta"].choices = [("", "Todas")] + [
            (str(i.pk), f"{i.account_name} ({i.marketplace_name})") for i in integrations
        ]
        self.fields["status"].choices = [("", "Todos"), *Order.Status.choices]
        for field in ("de", "ate"):
            self.fields[field].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            self.fields[field].error_messages["invalid"] = "Informe uma data válida (dd/mm/aaaa)."
        self._repeated = [name for name in self.fields if len(data.getlist(name)) > 1]

    def clean(self):
        cleaned = super().clean()
        for name in self._repeated:
            self.add_error(name, "Informe um único valor.")
        start, end = cleaned.get("de"), cleaned.get("ate")
        if start and end and start > end:
            self.add_error("ate", "A data final vem antes da inicial.")
        return cleaned

    def filters(self) -> OrderFilters:
        data = self.cleaned_data
        return OrderFilters(
            marketplace=data.get("marketplace") or "",
            integration_id=data.get("conta"),
            status=data.get("status") or "",
            date_from=data.get("de"),
            date_to=data.get("ate"),
        )
