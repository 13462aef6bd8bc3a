from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from hub.forms import HubPasswordChangeForm, LoginForm
from hub.tenancy import seller_required


class HubLoginView(auth_views.LoginView):
    template_name = "hub/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class HubLogoutView(auth_views.LogoutView):
    """POST only (Django's default), so a link on another site cannot log the seller out."""


@require_GET
@seller_required
def settings_index(request) -> HttpResponse:
    """Configurações: where each kind of setting lives."""
    return render(request, "hub/settings_index.html")


@method_decorator(seller_required, name="dispatch")
class HubPasswordChangeView(auth_views.PasswordChangeView):
    template_name = "hub/account/password_change_form.html"
    form_class = HubPasswordChangeForm
    success_url = reverse_lazy("password_change_done")
    title = "Alterar senha"


@method_decorator(seller_required, name="dispatch")
class HubPasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "hub/account/password_change_done.html"
    title = "Senha alterada"


def healthz(request) -> HttpResponse:
    """Liveness for load balancers and docker-compose: the process answers and the DB responds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
