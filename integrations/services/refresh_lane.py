"""Where a batch of refreshes sends its token requests: a thread of their own, one at a time.

A refresh holds its worker for the lease, the token request and the store of the answer; only the
request waits on the network. Sent on a second thread, the next request leaves as soon as the
previous answer is in, while the task's thread stores that answer and takes the next lease: still
one request in flight per worker, with the database work done in its shadow. The requests touch
no database (``TokenRequest.send``), so Django's per-thread connections stay with the task.
"""

from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager

from integrations import conf


class _ThisThread(Executor):
    """Runs each call at once on the caller's thread: the same sequence, without the overlap."""

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # handed to whoever reads the result, as a thread pool does
            future.set_exception(exc)
        return future


@contextmanager
def token_request_lane() -> Iterator[Executor]:
    """One lane per batch; leaving the block waits for a request still in flight."""
    if not conf.refresh_overlap():
        yield _ThisThread()
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="token-request") as lane:
        yield lane
