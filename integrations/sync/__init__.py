"""The base of every kind of data the hub reads from a marketplace account, per integration.

Orders are the first kind (``integrations.orders``); silence, being about orders, stays there.
The pieces a kind uses:

- ``models.SyncState``: the abstract state per integration (watermark, last run and its error,
  the failing spell);
- ``kind.SyncKind``: the kind's description (its state model, task, alert threshold, history
  entries and notices) that the generic services below take;
- ``trouble``: ``sync_failed`` / ``sync_succeeded``, what a run leaves on the state, a failing
  spell recorded and told once;
- ``sweep.sync_sweep``: beat's fan-out, one task per Ativo integration, spread, at most one queued
  or running per kind and integration;
- ``retry.TransientRetry``: the Celery base task, the one retry policy of a temporary failure.

A second kind (products, say) plugs in with: a model ``ProductPulse(SyncState)`` with its
``integration`` one-to-one key and its own figures; a ``SyncKind`` naming it; an import service
that reads from the watermark (the marketplace's reader) and ends each run with ``sync_failed`` or
``sync_succeeded``; a task ``shared_task(base=TransientRetry, holds=PRODUCTS.slot, ...)`` over that
service; and a beat entry whose task calls ``sync_sweep(PRODUCTS)``. Nothing here names a
marketplace or a kind.
"""
