"""Business actions on integrations, one module per concern.

Views, admin actions, Celery tasks and management commands call these; these call models and
providers. Every write leaves an ``IntegrationEvent`` in the same transaction.
"""
