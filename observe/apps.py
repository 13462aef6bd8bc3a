from django.apps import AppConfig


class ObserveConfig(AppConfig):
    """What an operator needs to see inside: metrics, readiness, the e-mail counter, beat's
    heartbeat. It reads every other app; nothing reads it."""

    name = "observe"
    verbose_name = "Observabilidade"
