"""Small pieces of HTML the admin pages share: status badges, combined list cells, token masks.
No token material; dates always through ``when`` (the admin's one format)."""

import re

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from hub.admin_site import when
from integrations.models import AuthorizationAttempt, Integration
from marketplaces import marketplace_name

_OUTCOME_TONE = {
    AuthorizationAttempt.Outcome.SUCCESS: "ok",
    AuthorizationAttempt.Outcome.PENDING: "neutral",
    AuthorizationAttempt.Outcome.CANCELLED: "neutral",
    AuthorizationAttempt.Outcome.EXPIRED_STATE: "neutral",
}


def _badge(tone: str, text: str) -> str:
    """Colour plus text: the colour is never the only signal."""
    return format_html(
        '<span class="hub-badge hub-badge--{}"><span class="hub-badge__dot"></span>{}</span>',
        tone,
        text,
    )


_STATUS_TONE = {
    Integration.Status.ACTIVE: "ok",
    Integration.Status.EXPIRED: "warn",
    Integration.Status.DISCONNECTED: "neutral",
}


def status_badge(integration: Integration) -> str:
    return _badge(_STATUS_TONE.get(integration.status, "warn"), integration.get_status_display())


def outcome_badge(attempt: AuthorizationAttempt) -> str:
    outcome = AuthorizationAttempt.Outcome(attempt.current_outcome)
    return _badge(_OUTCOME_TONE.get(outcome, "warn"), outcome.label)


def token_mask(integration: Integration, field: str) -> str:
    """A mask and the 8-character fingerprint: support sees that a token changed, never the token.

    Decrypts to fingerprint, so only for a single integration's page, never per list row.
    """
    fingerprint = integration.token_fingerprint(field)
    if not fingerprint:
        return "— (sem token)"
    return f"•••••••• (impressão digital {fingerprint})"


def account_cell(integration: Integration, *, url: str = "") -> str:
    """Marketplace, account name (a link to ``url`` when given) and the marketplace's id for it,
    stacked in one cell."""
    if url:
        name = format_html(
            '<a class="hub-cell__title" href="{}">{}</a>', url, integration.account_name
        )
    else:
        name = format_html('<strong class="hub-cell__title">{}</strong>', integration.account_name)
    # The account's document as the marketplace shows it: masked, never the stored number.
    document = (
        format_html('<span class="hub-muted hub-cell__id">{}</span>', integration.account_document)
        if integration.account_document
        else ""
    )
    return format_html(
        '<span class="hub-cell__kicker">{}</span>{}'
        '<span class="hub-muted hub-cell__id">{}</span>{}',
        integration.marketplace_name,
        name,
        integration.external_id,
        document,
    )


def token_cell(integration: Integration) -> str:
    """Token expiry and last renewal, stacked in one cell (the status is the health's badge)."""
    return format_html(
        '<span class="hub-cell__line"><span class="hub-muted">expira</span> {}</span>'
        '<span class="hub-cell__line"><span class="hub-muted">renovado</span> {}</span>',
        when(integration.access_token_expires_at),
        when(integration.last_renewed_at),
    )


def error_cell(text: str, at) -> str:
    """The error, shortened (the page has it whole), under the time it happened."""
    if not text:
        return "—"
    return format_html(
        '<span class="hub-cell__line hub-muted">{}</span><span title="{}">{}</span>',
        when(at),
        text,
        shortened(text),
    )


def seller_link(seller) -> str:
    url = reverse("admin:hub_seller_change", args=[seller.pk])
    return format_html(
        '<a href="{}">{}</a><span class="hub-cell__line hub-muted">{}</span>',
        url,
        seller.name,
        seller.cnpj_display,
    )


def people(users) -> str:
    """Names and e-mails, one person a line; a user who cannot log in says so."""
    if not users:
        return "— (a empresa não tem usuários)"
    return format_html_join("", "{}", ((_person(user),) for user in users))


def _person(user) -> str:
    email = format_html('<a href="mailto:{0}">{0}</a>', user.email) if user.email else "sem e-mail"
    return format_html(
        '<span class="hub-cell__line">{} · {}{}</span>',
        user.get_full_name() or user.get_username(),
        email,
        "" if user.is_active else " (inativo)",
    )


def copyable(value: str, label: str) -> str:
    """A read-only field a person can select, and a "Copiar" button once the script is there
    (hub/admin_copy.js shows it: no inline script under the CSP)."""
    return format_html(
        '<span class="hub-copy"><input type="text" class="vTextField hub-copy__input" '
        'readonly value="{}" aria-label="{}">'
        '<button type="button" class="button hub-copy__button" hidden>Copiar</button>'
        '<span class="hub-copy__done" role="status"></span></span>',
        value,
        label,
    )


# The account types marketplaces spell in English (a login screen's tenant types), in Portuguese.
_ACCOUNT_TYPE_WORDS = {
    "organization": "Organização",
    "cooperative": "Cooperativa",
    "company": "Empresa",
    "person": "Pessoa",
    "individual": "Pessoa Física",
    "natural": "Pessoa Física",
    "legal": "Pessoa Jurídica",
    "pj": "Pessoa Jurídica",
    "pf": "Pessoa Física",
}


def account_type(raw: str) -> str:
    """An account type as the marketplace gave it, in Portuguese where the word is known and
    with the marketplace's own spelling beside it: "Cooperativa (“Cooperative” no marketplace)"."""
    if not raw:
        return "não informado"
    words = [word for word in re.split(r"(\W+)", raw)]
    translated = "".join(_ACCOUNT_TYPE_WORDS.get(word.lower(), word) for word in words)
    if translated == raw:
        return raw
    return f"{translated} (“{raw}” no marketplace)"


def shortened(text: str, limit: int = 60) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


# Columns of the rows that belong to a marketplace and, once matched, to an integration
# (orders, notifications, gaps): ``marketplace_column = display.marketplace_column``.
@admin.display(description="marketplace", ordering="marketplace")
def marketplace_column(modeladmin, row) -> str:
    return marketplace_name(row.marketplace)


@admin.display(description="integração")
def integration_column(modeladmin, row) -> str:
    """A link to the row's integration ("—" while it has none)."""
    integration = row.integration
    if integration is None:
        return "—"
    url = reverse("admin:integrations_integration_change", args=[integration.pk])
    return format_html('<a href="{}">{}</a>', url, integration.account_name or integration.pk)
