"""The support staff's admin site: the hub's name on it, and bad input answered with a 400."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.template.response import TemplateResponse

_MAX_ID_DIGITS = 18  # a bigint has 19 digits; anything longer is not one of our ids


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= _MAX_ID_DIGITS


class HubAdminSite(admin.AdminSite):
    site_header = "Hub de Integrações — Suporte"
    site_title = "Hub de Integrações — Suporte"
    index_title = "Administração"

    def admin_view(self, view, cacheable=False):
        """Every admin page, guarded against a malformed row selection.

        An action fetches the ticked rows with ``pk__in=<the posted values>``: "²" or "①" pass
        ``str.isdigit`` and then break ``int()`` (a 500). Only ASCII digits go through.
        """
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args, **kwargs):
            selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
            if request.method == "POST" and not all(_is_id(value) for value in selected):
                return self._bad_selection(request)
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def _bad_selection(self, request: HttpRequest) -> TemplateResponse:
        context = {
            **self.each_context(request),
            "title": "Pedido inválido",
            "message": "A seleção enviada não corresponde a linhas desta lista. Nada foi alterado.",
            "back_url": request.path,
        }
        return TemplateResponse(request, "admin/hub/bad_request.html", context, status=400)


class HubAdminConfig(AdminConfig):
    default_site = "hub.admin_site.HubAdminSite"
