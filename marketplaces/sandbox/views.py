"""The stand-ins' index page: what each one imitates and where it answers."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.urls import reverse
from django.views.decorators.http import require_GET

from marketplaces.sandbox.registry import STAND_INS


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    stand_ins = [
        {"name": module.NAME, "url": reverse(f"sandbox:{key}:home")}
        for key, module in STAND_INS.items()
    ]
    return HttpResponse(get_template("sandbox/home.html").render({"stand_ins": stand_ins}))
