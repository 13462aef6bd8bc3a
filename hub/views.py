from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpResponse

from hub.forms import LoginForm


class HubLoginView(auth_views.LoginView):
    template_name = "hub/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class HubLogoutView(auth_views.LogoutView):
    """POST only (Django's default), so a link on another site cannot log the seller out."""


def healthz(request) -> HttpResponse:
    """Liveness for load balancers and docker-compose: the process answers and the DB responds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
