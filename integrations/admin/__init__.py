"""Django admin for support staff: find, understand and fix any seller's integration.

Tokens are never shown (a mask and a fingerprint on the integration page only); every change goes
through a service that records an IntegrationEvent with the acting staff member.
"""

from integrations.admin import attempt, event, integration  # noqa: F401  (registers the admins)
