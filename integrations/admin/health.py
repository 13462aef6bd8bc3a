"""An account's health in the admin, in the words of the seller's page (account_health.health_of):
the list's "situação" cell and the integration page's health and next steps."""

from django.utils.html import format_html, format_html_join

from integrations.account_health import Health, State, health_of
from integrations.models import Integration
from integrations.orders.models import OrderPulse

# The seller page's tones as the admin's badges.
_BADGE_TONE = {"active": "ok", "notice": "notice", "expired": "warn", "off": "neutral"}

# What support can do about each health, by the support action's name (actions.SUPPORT_ACTIONS);
# the page offers it first among the actions that apply.
SUGGESTED_ACTION = {
    State.EXPIRED: "send_reactivation_link",
    State.IMPORT_FAILING: "refresh_now",
    State.RENEWAL_RETRYING: "refresh_now",
    State.DISCONNECTED: "send_reactivation_link",
}


def pulse_of(integration: Integration) -> OrderPulse | None:
    """The pulse the list's query brought along (select_related), or None when there is none."""
    return getattr(integration, "order_pulse", None)


def health(integration: Integration) -> Health:
    return health_of(integration, pulse_of(integration))


def badge(state: Health) -> str:
    """Colour plus text: the colour is never the only signal."""
    return format_html(
        '<span class="hub-badge hub-badge--{}"><span class="hub-badge__dot"></span>{}</span>',
        _BADGE_TONE.get(state.tone, "neutral"),
        state.label,
    )


def health_cell(integration: Integration) -> str:
    """The badge, why, and the last import, stacked: the seller page's words."""
    state = health(integration)
    orders = (
        format_html('<span class="hub-cell__line hub-muted">{}</span>', state.orders_line)
        if state.orders_line
        else ""
    )
    return format_html(
        '{}<span class="hub-cell__line hub-health__line" data-health="{}">{}</span>{}',
        badge(state),
        state.state,
        state.line,
        orders,
    )


def seller_steps(integration: Integration) -> str:
    """The next steps the seller's page offers, as plain words (their links need the seller's
    login); support's own are the actions at the top of the page."""
    steps = health(integration).steps
    if not steps:
        return "— (nada a fazer: a conta está funcionando)"
    return format_html_join(" · ", "{}", ((step.label,) for step in steps))
