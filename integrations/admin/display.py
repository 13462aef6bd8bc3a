"""Small pieces of HTML the admin pages share: status badges and token masks. No token material."""

from django.urls import reverse
from django.utils.html import format_html

from integrations.models import AuthorizationAttempt, Integration

ADMIN_CSS = {"all": ("hub/admin.css",)}

_OUTCOME_TONE = {
    AuthorizationAttempt.Outcome.SUCCESS: "ok",
    AuthorizationAttempt.Outcome.PENDING: "neutral",
    AuthorizationAttempt.Outcome.CANCELLED: "neutral",
    AuthorizationAttempt.Outcome.EXPIRED_STATE: "neutral",
}


def status_badge(integration: Integration) -> str:
    """Colour plus text: the colour is never the only signal."""
    tone = "ok" if integration.is_active else "warn"
    return format_html(
        '<span class="hub-badge hub-badge--{}"><span class="hub-badge__dot"></span>{}</span>',
        tone,
        integration.get_status_display(),
    )


def outcome_badge(attempt: AuthorizationAttempt) -> str:
    tone = _OUTCOME_TONE.get(attempt.outcome, "warn")
    return format_html(
        '<span class="hub-badge hub-badge--{}"><span class="hub-badge__dot"></span>{}</span>',
        tone,
        attempt.get_outcome_display(),
    )


def token_mask(integration: Integration, field: str) -> str:
    """A mask and the 8-character fingerprint: support sees that a token changed, never the token.

    Decrypts to fingerprint, so only for a single integration's page, never per list row.
    """
    fingerprint = integration.token_fingerprint(field)
    if not fingerprint:
        return "— (sem token)"
    return f"•••••••• (impressão digital {fingerprint})"


def account_cell(integration: Integration) -> str:
    return format_html(
        '<strong>{}</strong><br><span class="hub-muted">{}</span>',
        integration.account_name,
        integration.external_id,
    )


def seller_link(seller) -> str:
    url = reverse("admin:hub_seller_change", args=[seller.pk])
    return format_html(
        '<a href="{}">{}</a><br><span class="hub-muted">{}</span>',
        url,
        seller.name,
        seller.cnpj_display,
    )


def shortened(text: str, limit: int = 80) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"
