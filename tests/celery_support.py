"""A real Celery worker for tests, as a pytest plugin (``pytest_plugins`` in tests/conftest.py).

Tests normally run tasks inline (CELERY_TASK_ALWAYS_EAGER in tests/settings.py).
A test that asks for the ``celery_worker`` fixture instead sends its tasks through
the real Redis broker to a worker thread (solo pool) in the test process, and
can wait for their results in Redis::

    @pytest.mark.celery_worker
    @pytest.mark.django_db(transaction=True)
    def test_pdf_is_built_by_the_worker(celery_worker, ...):
        result = build_document_task.delay(build.pk)
        assert result.get(timeout=30) ...

The worker thread has its own database connection, so it sees only committed
rows: tests that touch the database need ``django_db(transaction=True)``.
Without REDIS_URL (plain ``pytest`` on SQLite) such tests are skipped;
``./run test`` starts Redis and sets REDIS_URL.
"""

import celery.contrib.testing.tasks  # noqa: F401  (registers the builtin "celery.ping")
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

# Settings the fixture changes for the duration of a test, restored afterwards.
WORKER_CONF = (
    "task_always_eager",
    "result_backend",
    "task_ignore_result",
    "worker_hijack_root_logger",
)


def forget_result_backend(celery_app) -> None:
    """Make Celery build its result backend again from the configuration.

    Celery creates the backend on first use and caches it on the app (per
    thread unless the backend is thread safe); changing ``result_backend``
    afterwards has no effect without this.
    """
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


def require_transactional_db(request) -> None:
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or "db" in request.fixturenames
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if uses_db and not transactional:
        pytest.fail(
            "celery_worker: mark the test django_db(transaction=True); the worker thread "
            "cannot see rows inside the test's open transaction."
        )


def require_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"celery_worker: REDIS_URL={url} is set but Redis does not answer: {error}")


@pytest.fixture
def celery_worker(request):
    """Run a real Celery worker thread against Redis for one test; yield the worker."""
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        pytest.skip("needs Redis: set REDIS_URL (./run test starts Redis and sets it)")
    require_transactional_db(request)
    require_redis(url)
    # Imported here, not at the top: a plugin module is imported before pytest-django
    # has chosen the settings, and rumo.celery would choose rumo.settings itself.
    from rumo.celery import app

    saved = {name: app.conf[name] for name in WORKER_CONF}
    app.conf.update(
        task_always_eager=False,
        result_backend=url,
        task_ignore_result=False,
        # Keep pytest's log capturing: the worker must not replace the root handlers.
        worker_hijack_root_logger=False,
    )
    forget_result_backend(app)
    try:
        # Messages left in the queue by an interrupted run must not reach this test.
        app.control.purge()
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=30
        ) as worker:
            yield worker
    finally:
        app.conf.update(saved)
        forget_result_backend(app)
