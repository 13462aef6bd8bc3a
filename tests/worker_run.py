"""Running a task's body as a Celery worker would (not eager), capturing what a retry sends."""

from unittest import mock

from celery.exceptions import Retry


def run_as_worker(task, *args, retries: int = 0):
    """The task's result (or the ``Retry`` it raised) and the mock that stood in for sending."""
    task.push_request(
        id="test-task",
        args=list(args),
        kwargs={},
        retries=retries,
        is_eager=False,
        called_directly=False,
        delivery_info={"routing_key": "celery", "exchange": ""},
    )
    try:
        with mock.patch("celery.canvas.Signature.apply_async", autospec=True) as sent:
            try:
                return task.run(*args), sent
            except Retry as retry:
                return retry, sent
    finally:
        task.pop_request()
