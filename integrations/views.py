"""The marketplace journeys: the Marketplaces page, connecting and reactivating an account, and
the OAuth callback. Translation of HTTP into service calls, nothing more."""

import secrets

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hub.request_values import bad_request, parse_id, single_value
from hub.tenancy import seller_required
from integrations import selectors
from integrations.account_health import health_of
from integrations.models import Integration
from integrations.orders import selectors as order_selectors
from integrations.services.account_choice import (
    ChoiceRefused,
    account_choice_for,
    account_choice_open,
    choice_deadline,
    integration_confirm_accounts,
    integration_decline_accounts,
)
from integrations.services.authorization import (
    integration_complete_authorization,
    integration_start_authorization,
)
from integrations.services.outcomes import AuthorizationResult, Outcome, result_for
from marketplaces import PROVIDERS, OAuth2Provider, marketplace_choices

_RESULT_SESSION_KEY = "integrations.authorization_result"
# A random secret kept in the seller's session that binds each authorization attempt to it.
# Session data survives the session id being cycled (at login, or by the stand-in on its own host).
_BINDING_SESSION_KEY = "integrations.oauth_binding"
# Generous for any real state/code (ours are 43 characters) yet small enough to refuse junk early.
MAX_CALLBACK_PARAM_LENGTH = 512
_CALLBACK_PARAMS = ("code", "state", "error", "error_description", "iss")


@require_GET
@seller_required
def marketplaces(request: HttpRequest) -> HttpResponse:
    """Configurações → Integrações → Marketplaces: one row per integration, status third, each
    with its health, its last order and its next step (two queries, whatever the number)."""
    integrations = selectors.integration_list_for_seller(seller=request.seller)
    pulses = order_selectors.pulses_for(integration_ids=[i.pk for i in integrations])
    rows = [
        (
            integration,
            pulses.get(integration.pk),
            health_of(integration, pulses.get(integration.pk)),
        )
        for integration in integrations
    ]
    # Trouble first: what needs the seller comes before what is fine, the disconnected last.
    rows.sort(key=lambda row: row[2].rank)
    result = request.session.pop(_RESULT_SESSION_KEY, None)
    return render(
        request,
        "integrations/marketplaces.html",
        {
            "rows": rows,
            "expired_count": sum(i.status == Integration.Status.EXPIRED for i in integrations),
            "result": result,
            # A success lights up the account it renewed or connected.
            "highlight": result["integration_id"]
            if result and result["level"] == "success"
            else None,
            "providers": _enabled_providers(),
        },
    )


@require_GET
@seller_required
def reactivate_choose_marketplace(request: HttpRequest) -> HttpResponse:
    """ "Ativar token expirado": which marketplace to update (those with expired accounts)."""
    counts = selectors.expired_counts_by_marketplace(seller=request.seller)
    return render(
        request,
        "integrations/reactivate_choose.html",
        {
            "marketplaces": [
                (key, name, counts[key]) for key, name in marketplace_choices() if key in counts
            ]
        },
    )


@require_GET
@seller_required
def connect_choose_marketplace(request: HttpRequest) -> HttpResponse:
    """ "Conectar": which marketplace to connect an account of."""
    return render(request, "integrations/connect_choose.html", {"providers": _enabled_providers()})


@require_http_methods(["GET", "POST"])
@seller_required
def reactivate_confirm(request: HttpRequest, marketplace: str) -> HttpResponse:
    """Picks the account when there are several expired ones, then "Sim" goes to the provider."""
    provider = _provider_or_404(marketplace)
    if request.method == "POST":
        integration_id = parse_id(single_value(request.POST, "integration"))
        if integration_id is None:
            return bad_request(request, "Escolha qual conta deseja reativar.")
        integration = selectors.integration_get_for_seller(seller=request.seller, pk=integration_id)
        if integration.marketplace != marketplace:
            raise Http404
        return _start(request, marketplace, integration)

    expired = selectors.reactivatable_integrations_for_seller(
        seller=request.seller, marketplace=marketplace
    )
    return render(
        request,
        "integrations/reactivate_confirm.html",
        {
            "marketplace": marketplace,
            "marketplace_name": provider.display_name,
            "provider": provider,
            "expired": expired,
            "preselected": parse_id(single_value(request.GET, "integracao")),
        },
    )


@require_http_methods(["GET", "POST"])
@seller_required
def connect_confirm(request: HttpRequest, marketplace: str) -> HttpResponse:
    """ "Conectar <marketplace>": the same journey for a new integration."""
    provider = _provider_or_404(marketplace)
    if request.method == "POST":
        return _start(request, marketplace, None)
    return render(
        request,
        "integrations/connect_confirm.html",
        {
            "marketplace": marketplace,
            "marketplace_name": provider.display_name,
            "provider": provider,
        },
    )


@never_cache
@require_GET
def callback(request: HttpRequest, marketplace: str) -> HttpResponse:
    """The redirect_uri. Always answers with a redirect to a URL without the code."""
    provider = _provider_or_404(marketplace)
    params = _single_valued_params(request, (*_CALLBACK_PARAMS, *provider.callback_params))
    if params is None:
        result = result_for(Outcome.EXPIRED_STATE, reason="malformed")
    else:
        result = integration_complete_authorization(
            marketplace=marketplace,
            state=params["state"],
            code=params["code"],
            error=params["error"],
            issuer=params["iss"],
            extra={name: params[name] for name in provider.callback_params},
            session_binding=request.session.get(_BINDING_SESSION_KEY, ""),
            user=request.user,
        )
    if result.attempt is None:
        request.session["integrations.invalid_reason"] = result.state_problem
        response = redirect("integrations:authorization_invalid")
    elif result.outcome == Outcome.AWAITING_CHOICE:
        response = redirect("integrations:choose_accounts", result.attempt.pk)
    else:
        request.session[_RESULT_SESSION_KEY] = _presentable(result)
        response = redirect("integrations:marketplaces")
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@seller_required
def choose_accounts(request: HttpRequest, pk: int) -> HttpResponse:
    """One authorization for several accounts: the seller confirms which to connect."""
    attempt = account_choice_for(
        attempt_id=pk,
        seller=request.seller,
        user=request.user,
        session_binding=request.session.get(_BINDING_SESSION_KEY, ""),
    )
    if attempt is None:
        raise Http404
    if request.method == "POST":
        if single_value(request.POST, "acao") == "cancelar":
            result = integration_decline_accounts(attempt=attempt)
        else:
            try:
                result = integration_confirm_accounts(
                    attempt=attempt, user=request.user, external_ids=request.POST.getlist("conta")
                )
            except ChoiceRefused:
                return bad_request(request, "Marque ao menos uma das contas oferecidas.")
    else:
        result = account_choice_open(attempt=attempt)
        if result is None:
            context = {
                "provider": PROVIDERS[attempt.marketplace],
                "offers": attempt.offered_accounts,
                "deadline": choice_deadline(attempt),
            }
            return render(request, "integrations/choose_accounts.html", context)
    request.session[_RESULT_SESSION_KEY] = _presentable(result)
    return redirect("integrations:marketplaces")


@never_cache
@require_GET
def authorization_invalid(request: HttpRequest) -> HttpResponse:
    reason = request.session.pop("integrations.invalid_reason", "unknown")
    result = result_for(Outcome.EXPIRED_STATE, reason=reason)
    response = render(
        request, "integrations/authorization_invalid.html", {"result": result}, status=400
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


def _start(request: HttpRequest, marketplace: str, integration) -> HttpResponse:
    binding = request.session.setdefault(_BINDING_SESSION_KEY, secrets.token_urlsafe(32))
    url = integration_start_authorization(
        seller=request.seller,
        user=request.user,
        session_binding=binding,
        marketplace=marketplace,
        integration=integration,
    )
    return redirect(url)


def _enabled_providers() -> list[type[OAuth2Provider]]:
    return [PROVIDERS[key] for key, _name in marketplace_choices()]


def _provider_or_404(marketplace: str) -> type[OAuth2Provider]:
    """The registry answers; no provider instance (and no settings) is needed for its words."""
    if marketplace not in PROVIDERS:
        raise Http404
    return PROVIDERS[marketplace]


def _single_valued_params(request: HttpRequest, names: tuple[str, ...]) -> dict[str, str] | None:
    """The callback's parameters, or None when one repeats or is oversized (refused unread)."""
    values = {}
    for name in names:
        given = request.GET.getlist(name)
        if len(given) > 1 or any(len(v) > MAX_CALLBACK_PARAM_LENGTH for v in given):
            return None
        values[name] = given[0] if given else ""
    return values


def _presentable(result: AuthorizationResult) -> dict:
    """What the Marketplaces page shows of a result (kept in the session across the redirect)."""
    retry_url = ""
    if result.offers_retry:
        if result.retry_integration_id:
            retry_url = reverse("integrations:reactivate_confirm", args=[result.marketplace])
            retry_url += f"?integracao={result.retry_integration_id}"
        else:
            retry_url = reverse("integrations:connect", args=[result.marketplace])
    attempt = result.attempt
    return {
        "title": result.title,
        "text": result.text,
        "level": result.level,
        "retry_url": retry_url,
        "steps": [
            {"label": step.label, "url": step.url, "external": step.external}
            for step in result.steps
        ],
        "integration_id": attempt.integration_id if attempt is not None else None,
    }
