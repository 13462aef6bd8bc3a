"""The stand-ins' state, shared by every marketplace's stand-in. Codes and tokens are kept only
as SHA-256 hashes; raw values exist only in the HTTP responses."""

from django.db import models


class SingleUseSecret(models.Model):
    """A code or refresh token: stored as its hash, valid until ``expires_at``, spent when
    ``used_at`` is set (RFC 6749 §4.1.2 for codes, §10.4 for rotated refresh tokens)."""

    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class SandboxAuthorizationCode(SingleUseSecret):
    """An authorization code: 10 minutes, single use, bound to the request that produced it."""

    marketplace = models.CharField(max_length=32, default="")
    code_hash = models.CharField(max_length=64, unique=True)
    client_id = models.CharField(max_length=200)
    redirect_uri = models.TextField()
    account_id = models.CharField(max_length=64)
    scope = models.TextField(blank=True)
    code_challenge = models.CharField(max_length=128, blank=True)

    class Meta:
        verbose_name = "código de autorização (simulador)"

    def __str__(self) -> str:
        return f"code #{self.pk} for {self.account_id}"


class SandboxGrantFamily(models.Model):
    """Every token pair descending from one authorization (RFC 9700 §4.14.2's token family).

    Reusing a rotated refresh token revokes the whole family: every access and refresh token of
    it stops working at once, as a real authorization server with reuse detection does.
    """

    marketplace = models.CharField(max_length=32)
    account_id = models.CharField(max_length=64)
    scope = models.TextField(blank=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=100, blank=True)
    # A family that covers several accounts gives each its own at that account's first refresh.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "família de tokens (simulador)"

    def __str__(self) -> str:
        return f"family #{self.pk} of {self.marketplace}:{self.account_id}"


class SandboxRefreshToken(SingleUseSecret):
    """An issued refresh token; ``used_at`` set means it was rotated away."""

    family = models.ForeignKey(SandboxGrantFamily, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "refresh token (simulador)"

    def __str__(self) -> str:
        return f"refresh token #{self.pk}"


class SandboxAccessToken(models.Model):
    """An issued access token, so the APIs can refuse it once its family is revoked."""

    family = models.ForeignKey(SandboxGrantFamily, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "access token (simulador)"

    def __str__(self) -> str:
        return f"access token #{self.pk}"


class SandboxFault(models.Model):
    """An armed fault: the next ``remaining`` matching calls fail in the chosen way."""

    marketplace = models.CharField(max_length=32, blank=True, help_text="Vazio: qualquer um.")
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
        return f"{self.marketplace or '*'}:{self.endpoint}:{self.mode} x{self.remaining}"


class SandboxSwitches(models.Model):
    """A single row: latency added to every token call, and the refresh-token reuse grace."""

    token_ms = models.PositiveIntegerField(default=0)
    # 0: any reuse of a rotated refresh token revokes its family. N > 0: the token just rotated
    # away is accepted again for N seconds (a new pair, no revocation), as some servers allow.
    reuse_grace_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "interruptores do simulador"

    def __str__(self) -> str:
        return f"token +{self.token_ms} ms, reuse grace {self.reuse_grace_seconds} s"


class SandboxTokenRequest(models.Model):
    """One call to a token endpoint and how it ended; never any token material."""

    marketplace = models.CharField(max_length=32, default="")
    grant_type = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "chamada ao token endpoint (simulador)"
        indexes = [models.Index(fields=["grant_type"])]

    def __str__(self) -> str:
        return f"{self.marketplace}:{self.grant_type or '?'} → {self.outcome}"


class SandboxOrderFeed(models.Model):
    """One account's order feed: generated lazily up to ``generated_until``; ``stopped_at`` set,
    no order arrives after it (the switch that makes an account go quiet)."""

    marketplace = models.CharField(max_length=32)
    account_id = models.CharField(max_length=64)
    generated_until = models.DateTimeField()
    next_number = models.PositiveIntegerField(default=1)
    stopped_at = models.DateTimeField(null=True, blank=True)
    # Changes up to this moment were handed to the push sender; None: not pushed yet (the first
    # sweep starts from its own moment, never from the feed's history).
    pushed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "feed de pedidos (simulador)"
        constraints = [
            models.UniqueConstraint(fields=["marketplace", "account_id"], name="sandbox_one_feed")
        ]

    def __str__(self) -> str:
        return f"{self.marketplace}:{self.account_id} orders"


class SandboxOrder(models.Model):
    """An order of the stand-in's feed, with the buyer data a real API answers (the hub must
    never keep it)."""

    feed = models.ForeignKey(SandboxOrderFeed, on_delete=models.CASCADE, related_name="orders")
    order_id = models.CharField(max_length=64)
    code = models.CharField(max_length=64)
    cancelled = models.BooleanField(default=False)  # the path this order takes
    status = models.CharField(max_length=32)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    buyer_name = models.CharField(max_length=100)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "pedido (simulador)"
        indexes = [
            models.Index(fields=["feed", "updated_at", "id"]),
            models.Index(fields=["feed", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.code


class SandboxPushChannel(models.Model):
    """One stand-in's notifications to the hub: whether its topics are on, and its failures."""

    marketplace = models.CharField(max_length=32, unique=True)
    # Set: nothing is sent; what comes due is kept for the missed feeds, as a marketplace does
    # after too many unacknowledged notifications (or when the developer switches it off).
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=100, blank=True)
    failures_in_row = models.PositiveIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)
    failed_attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "canal de notificações (simulador)"

    def __str__(self) -> str:
        return f"{self.marketplace} push {'off' if self.disabled_at else 'on'}"


class SandboxPushMessage(models.Model):
    """One notification of an order's creation or change, on its way to the hub (or missed).

    A duplicate is a second row with the same ``event_id``: the same notification sent twice.
    """

    class State(models.TextChoices):
        PENDING = "pending"  # due at ``due_at``: first send or a retry
        DELIVERED = "delivered"  # the hub answered 2xx
        DROPPED = "dropped"  # never sent (the sender lost it)
        FAILED = "failed"  # every retry went unacknowledged
        SUPPRESSED = "suppressed"  # the topics were off when it came due

    marketplace = models.CharField(max_length=32)
    account_id = models.CharField(max_length=64)
    event_id = models.CharField(max_length=64)
    order_id = models.CharField(max_length=64)
    order_status = models.CharField(max_length=32)
    changed_at = models.DateTimeField()  # when the order took this status
    created_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    due_at = models.DateTimeField()
    # Held back: sent only after a later notification of its marketplace (out of order).
    held = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)  # None: no answer
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "notificação enviada (simulador)"
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["marketplace", "created_at", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.marketplace} {self.order_id} {self.order_status} ({self.state})"
