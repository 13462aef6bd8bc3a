"""The bell's list of notices and the e-mail preferences, each scoped to the logged-in user."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.tenancy import seller_required
from integrations.notices import selectors, services
from integrations.notices.forms import EmailPreferencesForm
from integrations.notices.models import Notice

PAGE_SIZE = 20


@require_GET
@seller_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """Notificações: newest first, paged."""
    notices = selectors.notices_for_user(user=request.user)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "notices/list.html", {"page": page})


@require_GET
@seller_required
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notice marks it read and follows its action (another user's notice: 404)."""
    notice = get_object_or_404(Notice, pk=pk, user=request.user)
    services.notice_open(notice=notice)
    # Stored as a path on this site; anything else (never written by the hub) is not followed.
    if url_has_allowed_host_and_scheme(notice.action_url, allowed_hosts=set()):
        return HttpResponseRedirect(notice.action_url)
    return redirect("notices:list")


@require_POST
@seller_required
def notices_mark_all_read(request: HttpRequest) -> HttpResponse:
    marked = services.notices_mark_all_read(user=request.user)
    if marked:
        messages.success(request, "Todas as notificações foram marcadas como lidas.")
    return redirect("notices:list")


@require_http_methods(["GET", "POST"])
@seller_required
def email_preferences(request: HttpRequest) -> HttpResponse:
    """Configurações → Notificações por e-mail: one checkbox per topic (in-app always on)."""
    if request.method == "POST":
        form = EmailPreferencesForm(request.POST)
        if not form.is_valid():
            return render(request, "notices/preferences.html", {"form": form}, status=400)
        services.email_preferences_set(user=request.user, receive=set(form.cleaned_data["receive"]))
        messages.success(request, "Preferências de e-mail salvas.")
        return redirect("notices:preferences")
    form = EmailPreferencesForm(
        initial={"receive": sorted(selectors.email_topics_received(user=request.user))}
    )
    return render(request, "notices/preferences.html", {"form": form})
