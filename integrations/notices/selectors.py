"""Reads of a user's notices."""

from django.db.models import QuerySet

from integrations.notices.models import EmailOptOut, Notice, Topic


def notices_unread_count(*, user) -> int:
    """The bell's number: one COUNT over the partial index of unread notices."""
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def notices_for_user(*, user) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user).order_by("-created_at", "-pk")


def email_topics_received(*, user) -> set[str]:
    muted = set(EmailOptOut.objects.filter(user=user).values_list("topic", flat=True))
    return set(Topic.values) - muted
