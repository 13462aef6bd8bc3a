"""Telling a seller's users: an in-app notice each, and an e-mail each (at most one a day per
user, integration and cause, unless the user opted out). Everything happens after the commit of
the change that caused it, so a rolled-back change tells nobody.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from hub.emails import BrandedEmail, branded_message
from integrations.models import Integration
from integrations.notices.models import TOPIC_OF, Cause, EmailOptOut, Notice, NoticeEmail, Topic
from integrations.notices.texts import Words, words_for

logger = logging.getLogger(__name__)

OPT_OUT_FOOTER = "Você recebe este e-mail porque é usuário desta empresa no hub."


def notify(
    *, integration: Integration, cause: str, details: str = "", since: datetime | None = None
) -> None:
    """Tells the integration's seller's active users about ``cause``, after the commit."""
    cause = Cause(cause)
    pk = integration.pk
    # robust: a mail server outage is logged, it never fails the change that was committed.
    transaction.on_commit(
        lambda: _deliver(integration_id=pk, cause=cause, details=details, since=since),
        robust=True,
    )


def notify_reactivation_link(*, integration: Integration) -> None:
    """Support's explicit "send the link": the e-mail goes to every active user with an
    address, after the commit, whatever the daily limit or their opt-outs (someone asked)."""
    pk = integration.pk

    def send() -> None:
        current = Integration.objects.select_related("seller").get(pk=pk)
        words = words_for(integration=current, cause=Cause.EXPIRED)
        for user in _members(current).exclude(email=""):
            _send(user=user, words=words, footer=False)

    transaction.on_commit(send, robust=True)


def _members(integration: Integration):
    return get_user_model().objects.filter(membership__seller=integration.seller_id, is_active=True)


def _deliver(*, integration_id: int, cause: Cause, details: str, since: datetime | None) -> None:
    integration = Integration.objects.select_related("seller").get(pk=integration_id)
    words = words_for(integration=integration, cause=cause, details=details, since=since)
    users = list(_members(integration).order_by("pk"))
    if not users:
        logger.warning(
            "notices.notify.no_recipients",
            extra={"integration_id": integration_id, "cause": cause.value},
        )
        return
    now = timezone.now()
    Notice.objects.bulk_create(
        Notice(
            user=user,
            seller_id=integration.seller_id,
            integration=integration,
            cause=cause,
            title=words.title,
            text="\n\n".join(words.paragraphs),
            action_label=words.action_label,
            action_url=words.action_path,
            created_at=now,
        )
        for user in users
    )
    muted = set(
        EmailOptOut.objects.filter(user__in=users, topic=TOPIC_OF[cause]).values_list(
            "user_id", flat=True
        )
    )
    sent = 0
    for user in users:
        if not user.email or user.pk in muted:
            continue
        if not _claim_todays_email(user=user, integration=integration, cause=cause):
            continue
        try:
            _send(user=user, words=words, footer=True)
        except Exception:
            # Released, so a later notice on the same day may try again; logged, never raised.
            NoticeEmail.objects.filter(
                user=user, integration=integration, cause=cause, day=timezone.localdate(now)
            ).delete()
            logger.exception(
                "notices.email.failed",
                extra={"integration_id": integration_id, "user_id": user.pk},
            )
            continue
        sent += 1
    logger.info(
        "notices.notify.done",
        extra={
            "integration_id": integration_id,
            "cause": cause.value,
            "notices": len(users),
            "emails": sent,
        },
    )


def _claim_todays_email(*, user, integration: Integration, cause: Cause) -> bool:
    """Inserts today's ledger row; False when it exists. Two workers at once: PostgreSQL makes
    the second INSERT wait for the first's commit and then fail on the unique constraint."""
    try:
        with transaction.atomic():
            NoticeEmail.objects.create(
                user=user, integration=integration, cause=cause, day=timezone.localdate()
            )
    except IntegrityError:
        return False
    return True


def _send(*, user, words: Words, footer: bool) -> None:
    email = BrandedEmail(
        subject=words.title,
        heading=words.title,
        paragraphs=words.paragraphs,
        action_label=words.action_label,
        action_url=f"{settings.SITE_URL}{words.action_path}",
        footer=OPT_OUT_FOOTER if footer else "",
        footer_link_label="Escolher quais e-mails receber",
        footer_url=f"{settings.SITE_URL}{reverse('notices:preferences')}" if footer else "",
    )
    branded_message(email, to=[user.email]).send()


def notice_open(*, notice: Notice) -> Notice:
    """Marks the user's notice read (once: the first opening's time is kept)."""
    if notice.read_at is None:
        notice.read_at = timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at)
    return notice


def notices_mark_all_read(*, user) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def email_preferences_set(*, user, receive: set[str]) -> None:
    """Keeps e-mails on the topics in ``receive``; every other topic is opted out."""
    muted = set(Topic.values) - set(receive)
    EmailOptOut.objects.filter(user=user).exclude(topic__in=muted).delete()
    EmailOptOut.objects.bulk_create(
        [EmailOptOut(user=user, topic=topic) for topic in sorted(muted)], ignore_conflicts=True
    )
