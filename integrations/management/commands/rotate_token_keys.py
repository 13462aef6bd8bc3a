from django.core.management.base import BaseCommand
from django.db import transaction

from integrations import crypto
from integrations.models import AuthorizationAttempt, Integration

BATCH = 500


class Command(BaseCommand):
    help = (
        "Re-encrypts every stored token under the newest key of TOKEN_ENCRYPTION_KEYS. "
        "Run after putting a new key first in the list; remove the old key only afterwards."
    )

    def handle(self, *args, **options):
        rotated = self._rotate(Integration, ["access_token_ciphertext", "refresh_token_ciphertext"])
        rotated += self._rotate(
            AuthorizationAttempt, ["code_verifier_ciphertext", "grant_ciphertext"]
        )
        self.stdout.write(
            self.style.SUCCESS(f"{rotated} valores re-cifrados com a chave mais nova.")
        )

    def _rotate(self, model, fields: list[str]) -> int:
        rotated = unreadable = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                rows = list(
                    model.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .order_by("pk")
                    .only("pk", *fields)[:BATCH]
                )
                if not rows:
                    break
                changed_rows = []
                for row in rows:
                    changed = False
                    for field in fields:
                        value = getattr(row, field)
                        if not crypto.needs_rotation(value):
                            continue
                        try:
                            setattr(row, field, crypto.rotate(value))
                        except crypto.UndecryptableToken:
                            unreadable += 1
                        else:
                            changed = True
                            rotated += 1
                    if changed:
                        changed_rows.append(row)
                # One UPDATE statement per batch, not one per row.
                model.objects.bulk_update(changed_rows, fields)
                last_pk = rows[-1].pk
        if unreadable:
            self.stderr.write(
                self.style.WARNING(
                    f"{model._meta.verbose_name_plural}: {unreadable} valores ilegíveis com as "
                    "chaves atuais ficaram como estavam."
                )
            )
        return rotated
