"""One helper thread for network waits, so that the caller's thread can do its database work
meanwhile: the next order page fetched while this one is stored, the next token request sent
while the previous answer is stored.

The work handed over must touch no database: Django's connections are per thread, and the
caller's (a test's transaction among them) stays with the caller. Switched off, the same calls run
at once on the caller's thread, in the same order, so one code path serves both.
"""

from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager


class _ThisThread(Executor):
    """Runs each call at once on the caller's thread."""

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # handed to whoever reads the result, as a thread pool does
            future.set_exception(exc)
        return future


@contextmanager
def one_helper_thread(*, enabled: bool, name: str) -> Iterator[Executor]:
    """An executor running one call at a time, in order; leaving the block waits for the call
    still running."""
    if not enabled:
        yield _ThisThread()
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix=name) as pool:
        yield pool
