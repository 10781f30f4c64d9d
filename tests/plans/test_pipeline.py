"""The document pipeline seen through a plan's draft PDF: broker down, sweep, caching headers.

The plan's draft is the pipeline's simplest user (not registered, not signed);
what is said here holds for every kind (rumo.pipeline).
"""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from plans import pdf
from rumo import pipeline, signing
from rumo.celery import app
from rumo.models import DocumentBuild
from rumo.tasks import sweep_documents_task
from tests.documents import build_of, file_bytes
from tests.rumo import create_certificate, use_certificate

pytestmark = pytest.mark.django_db
State = DocumentBuild.State


def url(name, revision, kind="draft"):
    return reverse(f"plans:{name}", args=[revision.pk, kind])


@pytest.fixture
def as_chair(client, chair):
    client.force_login(chair.user)
    return client


@pytest.fixture
def broker_down():
    """Send tasks to a broker on a closed port instead of running them inline."""
    saved = {name: app.conf[name] for name in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:9/0")
    app._pool = None
    app.amqp._producer_pool = None
    yield
    app.conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None


def age(row: DocumentBuild, minutes: int) -> None:
    DocumentBuild.objects.filter(pk=row.pk).update(
        requested_at=timezone.now() - timedelta(minutes=minutes)
    )


@pytest.mark.usefixtures("broker_down")
def test_with_the_broker_down_the_request_is_kept_and_the_sweep_builds_it_later(
    as_chair, draft, django_capture_on_commit_callbacks, caplog
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_chair.post(url("pdf-request", draft), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert time.monotonic() - started < 10
    assert "PDF формируется…" in response.text
    assert 'hx-trigger="every 2s"' in response.text
    row = build_of("plans.draft", draft)
    assert row.state == State.QUEUED
    assert f"Cannot queue document build {row.pk}" in caplog.text

    without_htmx = as_chair.post(url("pdf-request", draft))
    assert without_htmx.status_code == 302  # already queued: nothing sent again

    app.conf.task_always_eager = True  # the broker is back: the worker runs inline
    assert sweep_documents_task.delay().get() == 0  # too fresh: perhaps still in flight
    age(row, minutes=2)
    assert sweep_documents_task.delay().get() == 1

    row.refresh_from_db()
    assert (row.state, row.error) == (State.DONE, "")
    assert file_bytes(row).startswith(b"%PDF-")
    panel = as_chair.get(url("pdf-status", draft))
    assert url("pdf-download", draft) in panel.text
    assert 'hx-trigger="every 2s"' not in panel.text


def test_sweep_sends_again_a_build_whose_worker_died_but_not_a_live_one(draft):
    crashed = DocumentBuild.objects.create(
        kind=pdf.DRAFT.name, object_id=draft.pk, state=State.BUILDING
    )
    age(crashed, minutes=5)  # within the task time limit: perhaps still building

    assert sweep_documents_task.delay().get() == 0
    age(crashed, minutes=11)
    assert sweep_documents_task.delay().get() == 1

    crashed.refresh_from_db()
    assert crashed.state == State.DONE


def test_sweep_leaves_finished_and_failed_builds_alone(draft):
    failed = DocumentBuild.objects.create(
        kind=pdf.DRAFT.name, object_id=draft.pk, state=State.FAILED, error="x"
    )
    age(failed, minutes=60)

    assert sweep_documents_task.delay().get() == 0

    failed.refresh_from_db()
    assert failed.state == State.FAILED


def test_beat_runs_the_one_sweep_of_all_documents_every_minute():
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if "sweep" in entry["task"] and "document" in entry["task"] or "pdf" in entry["task"]
    ]

    assert entries == [{"task": "rumo.tasks.sweep_documents_task", "schedule": 60}]


def test_the_build_task_retries_after_a_lost_worker():
    from rumo.tasks import build_document_task

    assert build_document_task.acks_late


def test_a_failure_says_in_russian_what_to_do(as_chair, draft, monkeypatch):
    monkeypatch.setattr(pipeline, "render_pdf", lambda *args, **kwargs: 1 / 0)
    row = pipeline.request_build(pdf.DRAFT, draft)  # eager: built (and failed) inline
    pipeline.build(row.pk)

    panel = as_chair.get(url("pdf-status", draft))

    assert build_of("plans.draft", draft).state == State.FAILED
    assert "Не удалось сформировать PDF. Попробуйте ещё раз" in panel.text
    assert "Повторить" in panel.text


def test_download_carries_etag_and_last_modified_and_answers_304(
    as_chair, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_chair.post(url("pdf-request", draft))
    row = build_of("plans.draft", draft)

    first = as_chair.get(url("pdf-download", draft))
    body = b"".join(first.streaming_content)
    # Reading it all closed it: close() again would end the test's database connection.

    assert first.status_code == 200
    assert first["ETag"] == f'"{row.sha256}"'
    assert first["Cache-Control"] == "private, no-cache"
    assert body == file_bytes(row)
    by_tag = as_chair.get(url("pdf-download", draft), HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = as_chair.get(
        url("pdf-download", draft), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    other = as_chair.get(url("pdf-download", draft), HTTP_IF_NONE_MATCH='"0000"')
    b"".join(other.streaming_content)
    assert (by_tag.status_code, by_date.status_code, other.status_code) == (304, 304, 200)
    assert by_tag.content == b""
    assert by_tag["ETag"] == first["ETag"]


def test_a_stranger_gets_no_304_either(client, member, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.request_build(pdf.DRAFT, draft)
    row = build_of("plans.draft", draft)
    client.force_login(member.user)

    response = client.get(url("pdf-download", draft), HTTP_IF_NONE_MATCH=f'"{row.sha256}"')

    assert response.status_code == 403


def test_the_generic_urls_serve_every_kind(as_chair, draft, django_capture_on_commit_callbacks):
    kwargs = {"kind": "plans.draft", "pk": draft.pk}
    with django_capture_on_commit_callbacks(execute=True):
        as_chair.post(reverse("documents:request", kwargs=kwargs))

    response = as_chair.get(reverse("documents:file", kwargs=kwargs))
    b"".join(response.streaming_content)

    assert response.status_code == 200
    assert (
        as_chair.get(reverse("documents:status", kwargs={**kwargs, "kind": "x.y"})).status_code
        == 404
    )


def test_the_signer_is_loaded_once_per_process(settings, tmp_path, monkeypatch):
    use_certificate(settings, create_certificate(tmp_path))
    signing.cached_signer.cache_clear()
    loads = []
    real = signing.load_private_key_from_pemder
    monkeypatch.setattr(
        signing,
        "load_private_key_from_pemder",
        lambda *args, **kwargs: loads.append(args) or real(*args, **kwargs),
    )

    for _ in range(3):
        signing.load_signer()

    assert len(loads) == 1
