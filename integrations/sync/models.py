"""What every kind of data keeps per integration: where its next read resumes, how its last run
ended, and the start of a failing spell."""

from django.db import models

from hub.fields import set_rows_index


class SyncState(models.Model):
    """The generic part of a kind's per-integration state (abstract).

    A kind's model adds its key, ``integration = models.OneToOneField("integrations.Integration",
    on_delete=models.CASCADE, primary_key=True, ...)`` (the generic services read ``state.pk`` as
    the integration's id), and its own figures.
    """

    # The newest marketplace "updated at" seen: the next read starts a little before it.
    watermark = models.DateTimeField("lido até", null=True, blank=True)
    last_import_at = models.DateTimeField("última importação", null=True, blank=True)
    last_import_error = models.CharField("erro da última importação", max_length=300, blank=True)

    class Failure(models.TextChoices):
        TEMPORARY = "temporary", "Temporária (o hub tenta de novo)"
        REFUSED = "refused", "Recusada (o suporte verifica)"

    last_import_failure = models.CharField(
        "tipo da falha", max_length=16, blank=True, choices=Failure.choices
    )
    # Set by the first failed run, cleared by the next success: the trouble's start and end.
    import_failing_since = models.DateTimeField("importação falhando desde", null=True, blank=True)
    # When the seller's users were told the runs keep failing (once per spell).
    import_failure_told_at = models.DateTimeField("falha avisada em", null=True, blank=True)

    class Meta:
        abstract = True

    @staticmethod
    def failing_index(name: str) -> models.Index:
        """The index a kind's Meta declares for support's "importação falhando" filter and the
        trouble-first order: only the few failing rows."""
        return set_rows_index("import_failing_since", name=name)
