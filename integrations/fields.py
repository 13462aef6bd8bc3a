"""The model field that means "the integration this row is about", wherever it appears (a plain
factory, so the migrations see an ordinary field)."""

from django.db import models


def integration_field(*, related_name: str = "+", evidence: bool = False) -> models.ForeignKey:
    """The integration (one marketplace account) the row is about; it goes with the integration.
    ``evidence``: the row outlives it (a notice, a notification as received): the link empties,
    the row stays."""
    return models.ForeignKey(
        "integrations.Integration",
        on_delete=models.SET_NULL if evidence else models.CASCADE,
        null=evidence,
        blank=evidence,
        related_name=related_name,
        verbose_name="integração",
    )
