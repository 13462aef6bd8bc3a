"""The stand-in's state. Codes and refresh tokens are kept only as SHA-256 hashes."""

from django.db import models


class SandboxAuthorizationCode(models.Model):
    """An authorization code: 10 minutes, single use, bound to the request that produced it."""

    code_hash = models.CharField(max_length=64, unique=True)
    client_id = models.CharField(max_length=200)
    redirect_uri = models.TextField()
    tenant_uuid = models.CharField(max_length=36)
    scope = models.TextField(blank=True)
    code_challenge = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "código de autorização (simulador)"

    def __str__(self) -> str:
        return f"code #{self.pk} for {self.tenant_uuid}"


class SandboxRefreshToken(models.Model):
    """An issued refresh token; ``used_at`` set means it was rotated away (or revoked)."""

    token_hash = models.CharField(max_length=64, unique=True)
    tenant_uuid = models.CharField(max_length=36)
    scope = models.TextField(blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "refresh token (simulador)"

    def __str__(self) -> str:
        return f"refresh token #{self.pk} for {self.tenant_uuid}"


class SandboxFault(models.Model):
    """An armed fault: the next ``remaining`` matching calls fail in the chosen way."""

    endpoint = models.CharField(max_length=20)
    mode = models.CharField(max_length=20)
    remaining = models.PositiveIntegerField(default=1)
    retry_after = models.PositiveIntegerField(null=True, blank=True)
    delay_ms = models.PositiveIntegerField(default=3000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "falha simulada"
        indexes = [models.Index(fields=["endpoint", "remaining"])]

    def __str__(self) -> str:
        return f"{self.endpoint}:{self.mode} x{self.remaining}"


class SandboxLatency(models.Model):
    """A single row: extra latency added to every token-endpoint call."""

    token_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "latência simulada"

    def __str__(self) -> str:
        return f"token +{self.token_ms} ms"


class SandboxTokenRequest(models.Model):
    """One call to the token endpoint and how it ended; never any token material."""

    grant_type = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "chamada ao token endpoint (simulador)"
        indexes = [models.Index(fields=["grant_type"])]

    def __str__(self) -> str:
        return f"{self.grant_type or '?'} → {self.outcome}"
