"""Marketplace connections: the integration, its history and its authorization attempts."""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from hub.fields import acting_user_field, seller_field, set_rows_index
from integrations import crypto
from integrations.fields import integration_field

TOKEN_FIELDS = ("access_token", "refresh_token")


class IntegrationQuerySet(models.QuerySet):
    def for_seller(self, seller) -> "IntegrationQuerySet":
        return self.filter(seller=seller)

    def expired(self) -> "IntegrationQuerySet":
        return self.filter(status=Integration.Status.EXPIRED)

    def listed(self) -> "IntegrationQuerySet":
        """What the seller's list shows: all but the disconnected ones removed from it."""
        return self.filter(removed_from_list_at__isnull=True)


class Integration(models.Model):
    """One marketplace account of one seller (the account the seller picks on the consent page)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Ativo"
        EXPIRED = "expired", "Token Expirado"
        # The seller's (or support's) choice: no tokens, no alarm, reconnectable.
        DISCONNECTED = "disconnected", "Desconectada"

    class ExpiryCause(models.TextChoices):
        """Why an integration is Token Expirado, in a word support and the seller can act on."""

        REVOKED = "revoked", "Autorização revogada ou vencida no marketplace"
        LOST_ROTATION = "lost_rotation", "Renovação perdida"
        OPERATOR_LOGIN = "operator_login", "Conectada com um login de operador"
        UNREADABLE = "unreadable", "Token guardado ilegível"
        NO_REFRESH_TOKEN = "no_refresh_token", "Sem token de renovação"
        SUPPORT = "support", "Marcada pelo suporte"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seller = seller_field(related_name="integrations", on_delete=models.PROTECT)
    marketplace = models.CharField("marketplace", max_length=32)
    external_id = models.CharField(
        "id da conta no marketplace",
        max_length=64,
        help_text="O identificador que o marketplace dá à conta escolhida pelo seller.",
    )
    account_name = models.CharField("conta", max_length=255)
    account_document = models.CharField(
        "identificação da conta",
        max_length=64,
        blank=True,
        default="",
        help_text="Documento mascarado ou número da conta, como o marketplace mostra.",
    )
    # The whole CNPJ/CPF, punctuation dropped, when the marketplace gives it: support finds the
    # account by it (a trigram index, integrations/migrations/0011); screens show
    # ``account_document``, the mask.
    account_document_number = models.CharField(
        "CNPJ/CPF da conta (só para a busca)",
        max_length=14,
        blank=True,
        default="",
        editable=False,
    )
    accepted_account_type = models.CharField(
        "tipo de conta aceito pelo suporte",
        max_length=64,
        blank=True,
        default="",
        help_text="Um tipo de conta que o hub não reconhece, aceito por alguém do suporte.",
    )
    access_token_ciphertext = models.TextField(blank=True, default="", editable=False)
    refresh_token_ciphertext = models.TextField(blank=True, default="", editable=False)
    access_token_expires_at = models.DateTimeField("token expira em", null=True, blank=True)
    # The seller's authorization itself ends then, renewals or not (where the marketplace says).
    authorization_expires_at = models.DateTimeField("autorização válida até", null=True, blank=True)
    scopes = models.TextField("escopos", blank=True, default="")
    status = models.CharField(
        "status", max_length=16, choices=Status.choices, default=Status.EXPIRED
    )
    last_renewed_at = models.DateTimeField("última renovação", null=True, blank=True)
    last_error = models.TextField("último erro", blank=True, default="")
    last_error_at = models.DateTimeField("último erro em", null=True, blank=True)
    expiry_cause = models.CharField(
        "motivo do Token Expirado",
        max_length=32,
        blank=True,
        default="",
        choices=ExpiryCause.choices,
    )
    # After a temporary failure: when the keeper tries again (what the seller is told).
    refresh_retry_at = models.DateTimeField("nova tentativa às", null=True, blank=True)
    # The token keeper's durable evidence (survives a crash and a Redis restart):
    # - a lease, taken and committed before a refresh token is sent, with the latest moment its
    #   request leaves; a lease found expired means its holder died with the answer unknown;
    # - when a sent refresh that ended with no definite answer left (the server may have rotated,
    #   now or later: the late-arrival window counts from then);
    # - when a sent refresh the server answered with an error left (it may have rotated first);
    # - when the pair stored after an unanswered refresh must be checked against the API.
    refresh_lease_id = models.UUIDField(null=True, blank=True, editable=False)
    refresh_lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    refresh_sent_by = models.DateTimeField(null=True, blank=True, editable=False)
    rotation_unknown_since = models.DateTimeField(
        "renovação sem resposta desde", null=True, blank=True
    )
    rotation_doubt_since = models.DateTimeField(
        "renovação respondida com erro desde", null=True, blank=True
    )
    rotation_verify_after = models.DateTimeField("verificar renovação após", null=True, blank=True)
    # A disconnected integration the seller took off the list; its history stays for support.
    removed_from_list_at = models.DateTimeField("removida da lista em", null=True, blank=True)
    created_at = models.DateTimeField("criada em", auto_now_add=True)
    updated_at = models.DateTimeField("atualizada em", auto_now=True)

    objects = IntegrationQuerySet.as_manager()

    class Meta:
        verbose_name = "integração"
        verbose_name_plural = "integrações"
        ordering = ["marketplace", "account_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "external_id"],
                name="integration_one_per_marketplace_account",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "expired", "disconnected"]),
                name="integration_status_valid",
            ),
            # The keeper's one rule for "due" needs it: an Ativo token's expiry is known.
            models.CheckConstraint(
                condition=~models.Q(status="active")
                | models.Q(access_token_expires_at__isnull=False),
                name="integration_active_expiry_known",
            ),
        ]
        indexes = [
            # What the token keeper asks for: active integrations ordered by expiry. The id, in
            # the admin list's order (newest first among equal expiries, as Django adds "-pk"),
            # lets a page of that list, or of Token Expirado, be read from the index in order.
            models.Index(
                fields=["status", "access_token_expires_at", "-id"], name="integration_due_idx"
            ),
            # The few whose renewal must still be verified against the API.
            set_rows_index("rotation_verify_after", name="integration_verify_idx"),
            # Support's "com erro nas últimas 24 h" (and the overview's count): the few rows
            # with an error, by when it happened.
            set_rows_index("last_error_at", name="integration_last_error_idx"),
            # The admin's search has trigram indexes on the legal name, the tenant id and the
            # document number in integrations/migrations/0006 and 0011 (PostgreSQL only, outside
            # the models' state).
        ]
        # Support staff's actions in the admin; the "Suporte" group holds them.
        permissions = [
            ("can_refresh_now", "Pode renovar o token agora"),
            ("can_mark_expired", "Pode marcar como Token Expirado"),
            ("can_send_reactivation_link", "Pode enviar o link de reativação"),
            ("can_disconnect", "Pode desconectar a integração"),
            ("can_accept_tenant", "Pode aceitar a conta escolhida numa tentativa"),
        ]

    def __str__(self) -> str:
        return f"{self.marketplace_name} · {self.account_name}"

    @property
    def marketplace_name(self) -> str:
        from marketplaces import marketplace_name

        return marketplace_name(self.marketplace)

    @property
    def provider(self):
        """The marketplace's provider class (its words, its logo); None if no longer registered."""
        from marketplaces import PROVIDERS

        return PROVIDERS.get(self.marketplace)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_disconnected(self) -> bool:
        return self.status == self.Status.DISCONNECTED

    # Tokens: stored only encrypted and bound to this row and field (see integrations.crypto).

    def _context(self, field: str) -> str:
        return f"integration:{self.public_id}:{field}"

    def set_tokens(self, *, access_token: str, refresh_token: str) -> None:
        self.access_token_ciphertext = crypto.encrypt(
            access_token, context=self._context("access_token")
        )
        self.refresh_token_ciphertext = crypto.encrypt(
            refresh_token, context=self._context("refresh_token")
        )

    def clear_tokens(self) -> None:
        """Drops the pair and what the keeper knew about it (its lease and any doubt)."""
        self.access_token_ciphertext = self.refresh_token_ciphertext = ""
        self.access_token_expires_at = None
        self.refresh_lease_id = self.refresh_lease_expires_at = self.refresh_sent_by = None
        self.rotation_unknown_since = self.rotation_doubt_since = None
        self.rotation_verify_after = None
        self.refresh_retry_at = None

    @property
    def access_token(self) -> str:
        """Raises ``crypto.UndecryptableToken`` when the stored value cannot be read."""
        return crypto.decrypt(self.access_token_ciphertext, context=self._context("access_token"))

    @property
    def refresh_token(self) -> str:
        return crypto.decrypt(self.refresh_token_ciphertext, context=self._context("refresh_token"))

    @property
    def has_tokens(self) -> bool:
        return bool(self.refresh_token_ciphertext)

    def token_fingerprint(self, field: str) -> str:
        """A short, one-way fingerprint so support can see a token changed without seeing it."""
        ciphertext = getattr(self, f"{field}_ciphertext")
        if not ciphertext:
            return ""
        try:
            plaintext = crypto.decrypt(ciphertext, context=self._context(field))
        except crypto.UndecryptableToken:
            return "ilegível"
        return hashlib.sha256(plaintext.encode()).hexdigest()[:8]


class IntegrationEvent(models.Model):
    """Append-only history of an integration. Never holds token material."""

    # The words of what happened, for the history; a notice or a webhook about the same
    # happening reuses them.
    class Kind(models.TextChoices):
        CONNECTED = "connected", "Conectada"
        REAUTHORIZED = "reauthorized", "Reativada"
        REFRESHED = "refreshed", "Token renovado"
        REFRESH_FAILED = "refresh_failed", "Falha ao renovar"
        EXPIRED = "expired", "Token expirado"
        REFRESH_LOST = "refresh_lost", Integration.ExpiryCause.LOST_ROTATION.label
        ROTATION_CONFIRMED = "rotation_confirmed", "Renovação conferida"
        ORDERS_SILENT = "orders_silent", "Sem pedidos novos"
        ORDERS_RESUMED = "orders_resumed", "Pedidos voltaram"
        IMPORT_FAILING = "import_failing", "Falha ao importar pedidos"
        IMPORT_RECOVERED = "import_recovered", "Importação de pedidos normalizada"
        PUSH_GAP = "push_gap", "Pedido recuperado pela auditoria"
        REMOVED_FROM_LIST = "removed_from_list", "Removida da lista"
        WRONG_TENANT = "wrong_tenant", "Conta incorreta escolhida"
        AUTHORIZATION_FAILED = "authorization_failed", "Autorização não concluída"
        TOKEN_UNREADABLE = "token_unreadable", "Token ilegível"
        DISCONNECTED = "disconnected", Integration.Status.DISCONNECTED.label
        ADMIN_ACTION = "admin_action", "Ação do suporte"

    integration = integration_field(related_name="events")
    kind = models.CharField("tipo", max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField("quando", default=timezone.now, db_index=True)
    actor = acting_user_field("quem", help_text="Vazio quando foi o próprio sistema.")
    details = models.CharField("detalhes", max_length=500, blank=True, default="")

    class Meta:
        verbose_name = "evento"
        verbose_name_plural = "histórico"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["integration", "-created_at"], name="event_history_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} em {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("IntegrationEvent is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("IntegrationEvent is append-only")


class AuthorizationAttempt(models.Model):
    """One trip to the provider's consent page: its state (hashed), who started it, how it ended."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Em andamento"
        SUCCESS = "success", "Concluída"
        WRONG_TENANT = "wrong_tenant", "Conta diferente da integração"
        ACCOUNT_REFUSED = "account_refused", "Tipo de conta não aceito"
        ACCOUNT_UNVERIFIED = "account_unverified", "Tipo de conta a verificar (suporte)"
        OPERATOR_LOGIN = "operator_login", "Login de operador, não do administrador"
        OTHER_SELLER = "other_seller", "Conta de outra empresa do hub"
        CANCELLED = "cancelled", "Cancelada"
        EXPIRED_STATE = "expired_state", "Expirada"
        PROVIDER_ERROR = "provider_error", "Erro do marketplace"
        UNSUPPORTED = "unsupported", "Autorização em forma não aceita"
        # One authorization for several accounts: the seller still confirms which to connect.
        AWAITING_CHOICE = "awaiting_choice", "Aguardando a escolha das contas"

    seller = seller_field(related_name="authorization_attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="iniciada por",
    )
    integration = models.ForeignKey(
        Integration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="authorization_attempts",
        verbose_name="integração",
        help_text="Vazia numa primeira conexão.",
    )
    marketplace = models.CharField("marketplace", max_length=32)
    state_hash = models.CharField(max_length=64, unique=True, editable=False)
    session_hash = models.CharField(max_length=64, editable=False)
    code_verifier_ciphertext = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField("iniciada em", default=timezone.now)
    expires_at = models.DateTimeField("válida até", db_index=True)
    consumed_at = models.DateTimeField("concluída em", null=True, blank=True)
    outcome = models.CharField(
        "resultado", max_length=32, choices=Outcome.choices, default=Outcome.PENDING
    )
    chosen_external_id = models.CharField(
        "conta escolhida (id)", max_length=64, blank=True, default=""
    )
    chosen_account_name = models.CharField(
        "conta escolhida", max_length=255, blank=True, default=""
    )
    chosen_account_kind = models.CharField(
        "tipo da conta escolhida", max_length=32, blank=True, default=""
    )
    chosen_account_type = models.CharField(
        "tipo como o marketplace informou", max_length=64, blank=True, default=""
    )
    details = models.CharField("detalhes", max_length=500, blank=True, default="")
    # One authorization for several accounts: what was said of each, for support; the pair,
    # encrypted, only until the seller confirms which accounts become integrations.
    offered_accounts = models.JSONField("contas oferecidas", default=list, blank=True)
    grant_ciphertext = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = "tentativa de autorização"
        verbose_name_plural = "tentativas de autorização"
        ordering = ["-created_at"]
        # The admin's search has trigram indexes on the chosen account's name and id in
        # integrations/migrations/0006 (PostgreSQL only, outside the models' state).

    def __str__(self) -> str:
        outcome = self.Outcome(self.current_outcome).label
        return f"{outcome} · {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    @property
    def current_outcome(self) -> str:
        """The outcome as it stands now: one still pending past its validity can no longer end
        (the callback refuses it), so it reads as expired."""
        if self.outcome == self.Outcome.PENDING and self.expires_at <= timezone.now():
            return self.Outcome.EXPIRED_STATE
        return self.outcome

    @staticmethod
    def hash_secret(value: str) -> str:
        return hashlib.sha256(value.encode()).hexdigest()

    def _context(self, field: str) -> str:
        return f"attempt:{self.state_hash}:{field}"

    def set_code_verifier(self, verifier: str) -> None:
        self.code_verifier_ciphertext = crypto.encrypt(
            verifier, context=self._context("code_verifier")
        )

    @property
    def code_verifier(self) -> str:
        return crypto.decrypt(self.code_verifier_ciphertext, context=self._context("code_verifier"))

    def set_pending_grant(self, serialized: str) -> None:
        """The pair of an authorization that covers several accounts, until the seller chooses."""
        self.grant_ciphertext = crypto.encrypt(serialized, context=self._context("grant"))

    @property
    def pending_grant(self) -> str:
        return crypto.decrypt(self.grant_ciphertext, context=self._context("grant"))
