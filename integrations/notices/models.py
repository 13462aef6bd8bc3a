"""What a seller's users are told without opening the page: in-app notices, the e-mails' daily
ledger and each user's e-mail opt-outs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from hub.fields import seller_field, user_field
from integrations.fields import integration_field
from integrations.models import IntegrationEvent

Happened = IntegrationEvent.Kind


class Cause(models.TextChoices):
    """Why a notice exists: one per thing a seller needs to know about an integration."""

    EXPIRED = "expired", Happened.EXPIRED.label
    LOST_RENEWAL = "lost_renewal", Happened.REFRESH_LOST.label
    IMPORT_FAILING = "import_failing", Happened.IMPORT_FAILING.label
    IMPORT_RECOVERED = "import_recovered", Happened.IMPORT_RECOVERED.label
    SILENCE = "silence", Happened.ORDERS_SILENT.label
    ORDERS_RESUMED = "orders_resumed", "Pedidos voltaram a chegar"
    RECONNECTED = "reconnected", "Integração reativada"
    AUTHORIZATION_ENDING = "authorization_ending", "Autorização perto do fim"


class Topic(models.TextChoices):
    """What a user opts out of by e-mail: a trouble and its end go together."""

    TOKEN = "token", "Token expirado ou renovação perdida"
    IMPORTS = "imports", "Falhas ao importar pedidos e quando a importação volta ao normal"
    SILENCE = "silence", "Contas sem pedidos novos e quando os pedidos voltam a chegar"
    RECONNECTED = "reconnected", "Integrações reativadas"


TOPIC_OF = {
    Cause.EXPIRED: Topic.TOKEN,
    Cause.LOST_RENEWAL: Topic.TOKEN,
    Cause.IMPORT_FAILING: Topic.IMPORTS,
    Cause.IMPORT_RECOVERED: Topic.IMPORTS,
    Cause.SILENCE: Topic.SILENCE,
    Cause.ORDERS_RESUMED: Topic.SILENCE,
    Cause.RECONNECTED: Topic.RECONNECTED,
    Cause.AUTHORIZATION_ENDING: Topic.TOKEN,
}


class Notice(models.Model):
    """One line of a user's in-app list (the bell); its words are fixed when it is written."""

    user = user_field(related_name="notices")
    seller = seller_field()
    integration = integration_field(evidence=True)
    cause = models.CharField("motivo", max_length=32, choices=Cause.choices)
    title = models.CharField("título", max_length=300)
    text = models.TextField("texto")
    action_label = models.CharField("ação", max_length=60)
    # A path on this site (never another host): opening the notice redirects there.
    action_url = models.CharField("endereço da ação", max_length=500)
    created_at = models.DateTimeField("criada em", default=timezone.now)
    read_at = models.DateTimeField("lida em", null=True, blank=True)

    class Meta:
        verbose_name = "notificação"
        verbose_name_plural = "notificações"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notice_user_created_idx"),
            # The bell's count on every page: only the unread rows are indexed.
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notice_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NoticeEmail(models.Model):
    """One e-mail sent to one user about one integration and cause on one day (São Paulo's
    calendar): the unique constraint is what keeps it to one a day, whatever the workers do."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    integration = models.ForeignKey(
        "integrations.Integration", on_delete=models.CASCADE, related_name="+"
    )
    cause = models.CharField(max_length=32, choices=Cause.choices)
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "e-mail de notificação"
        verbose_name_plural = "e-mails de notificação"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "integration", "cause", "day"], name="notice_email_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_cause_display()} em {self.day:%d/%m/%Y}"


class EmailOptOut(models.Model):
    """A user who does not want e-mails on a topic (the in-app notices always come)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    topic = models.CharField(max_length=32, choices=Topic.choices)

    class Meta:
        verbose_name = "e-mail desativado"
        verbose_name_plural = "e-mails desativados"
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="email_opt_out_unique")
        ]

    def __str__(self) -> str:
        return self.get_topic_display()
