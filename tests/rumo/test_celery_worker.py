"""The real-worker harness: tasks travel through Redis to a worker thread and back."""

import pytest

from members.models import Member
from rumo.celery import app
from tests import factories


@app.task(name="tests.count_members_named", ignore_result=False)
def count_members_named(last_name: str) -> int:
    """A task that reads the database from the worker thread."""
    return Member.objects.filter(last_name=last_name).count()


@pytest.mark.celery_worker
def test_worker_answers_celerys_builtin_ping(celery_worker):
    assert app.conf.task_always_eager is False

    result = app.send_task("celery.ping", ignore_result=False)

    assert result.get(timeout=10) == "pong"
    assert result.successful()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_reads_rows_committed_by_the_test(celery_worker):
    factories.MemberFactory(last_name="Воркерова")
    factories.MemberFactory(last_name="Воркерова")

    result = count_members_named.delay("Воркерова")

    assert result.get(timeout=10) == 2


def test_tasks_run_inline_again_after_a_worker_test():
    assert app.conf.task_always_eager is True
    assert app.conf.task_ignore_result is True
    assert app.conf.result_backend is None
