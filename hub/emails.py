"""The hub's one branded e-mail: an HTML part in one layout with one action button, and the same
words as a plain-text part (RFC 2046 §5.1.4, multipart/alternative: the richest part last).

Every e-mail the hub sends a person goes through here, so the layout is written once. The HTML
uses tables and inline styles only, the way mail clients render reliably, and no images, so it
reads the same when a client blocks them.
"""

from dataclasses import dataclass, field

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


@dataclass(frozen=True)
class BrandedEmail:
    subject: str
    heading: str
    paragraphs: tuple[str, ...]
    action_label: str
    action_url: str
    # Why the person receives it, and where to stop receiving it (empty: a one-off e-mail).
    footer: str = ""
    footer_link_label: str = ""
    footer_url: str = ""
    details: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def branded_message(email: BrandedEmail, *, to: list[str]) -> EmailMultiAlternatives:
    """The message, ready to send: text body plus the HTML alternative."""
    context = {"email": email}
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=render_to_string("email/layout.txt", context),
        to=to,
    )
    message.attach_alternative(render_to_string("email/layout.html", context), "text/html")
    return message
