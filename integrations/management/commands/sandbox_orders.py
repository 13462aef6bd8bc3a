"""The stand-ins' order switch: stop new orders for one account (to watch the hub notice the
silence), or let them flow again. Development only: the stand-ins exist only there."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from integrations.models import Integration


class Command(BaseCommand):
    help = "Stops or resumes the new orders of a stand-in account (stop|resume INTEGRATION_ID)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["stop", "resume"])
        parser.add_argument("integration_id", type=int, help="the hub's integration id (admin)")
        parser.add_argument(
            "--hours-ago",
            type=float,
            default=0.0,
            help="with stop: the last order arrived this many hours ago (default: now)",
        )

    def handle(self, *args, action, integration_id, hours_ago, **options):
        if not settings.MARKETPLACE_SANDBOX:
            raise CommandError("The local stand-ins are off (MARKETPLACE_SANDBOX).")
        from marketplaces.sandbox import orders  # an app installed with the stand-ins only

        integration = Integration.objects.filter(pk=integration_id).first()
        if integration is None:
            raise CommandError(f"No integration {integration_id}.")
        if action == "stop":
            at = timezone.now() - timedelta(hours=max(0.0, hours_ago))
            orders.stop_orders(integration.marketplace, integration.external_id, at=at)
            self.stdout.write(f"No new orders for {integration} after {at:%Y-%m-%d %H:%M} UTC.")
        else:
            orders.resume_orders(integration.marketplace, integration.external_id)
            self.stdout.write(f"Orders flow again for {integration}.")
