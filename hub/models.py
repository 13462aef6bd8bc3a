"""The seller tenancy: a seller (company) and the users that belong to it."""

from django.db import models

from hub.cnpj import format_cnpj, normalize_cnpj, validate_cnpj
from hub.fields import seller_field, user_field


class Seller(models.Model):
    """A customer of the hub: a company selling on marketplaces."""

    name = models.CharField("nome", max_length=200)
    cnpj = models.CharField(
        "CNPJ",
        max_length=14,
        unique=True,
        validators=[validate_cnpj],
        help_text="Com ou sem pontuação; guardado só com os 14 caracteres.",
    )
    created_at = models.DateTimeField("criado em", auto_now_add=True)

    class Meta:
        verbose_name = "empresa"
        verbose_name_plural = "empresas"
        ordering = ["name"]
        # The sellers list's order. The admin's search has its trigram indexes in
        # hub/migrations/0003 (PostgreSQL only, outside the models' state).
        indexes = [models.Index(fields=["name"], name="seller_name_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.cnpj_display})"

    def save(self, *args, **kwargs) -> None:
        self.cnpj = normalize_cnpj(self.cnpj)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None) -> None:
        # Before the field validators: max_length (14) must see the stored form of any full_clean().
        self.cnpj = normalize_cnpj(self.cnpj)
        super().clean_fields(exclude=exclude)

    @property
    def cnpj_display(self) -> str:
        return format_cnpj(self.cnpj)


class Membership(models.Model):
    """Puts a Django user in a seller: every page the user sees is scoped to that seller."""

    user = user_field(related_name="membership", one_per_user=True)
    seller = seller_field(related_name="memberships")
    created_at = models.DateTimeField("criado em", auto_now_add=True)

    class Meta:
        verbose_name = "membro"
        verbose_name_plural = "membros"

    def __str__(self) -> str:
        return f"{self.user} @ {self.seller.name}"
