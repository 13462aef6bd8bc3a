"""What a server process does once, after loading the hub and before its first request."""

import gc

from django.urls import get_resolver


def freeze_loaded_objects() -> None:
    """Loads the URLconf (the admin's with it) now, then moves every object loaded so far out of
    the garbage collector's reach (``gc.freeze``): they live as long as the process, and the full
    collections that land in the middle of some request no longer walk them all (about half of
    such a pause in the admin, BENCHMARKS.md; https://docs.python.org/3/library/gc.html#gc.freeze).
    """
    get_resolver().url_patterns  # noqa: B018 (imports the URLconf: the value is not needed)
    gc.collect()
    gc.freeze()
