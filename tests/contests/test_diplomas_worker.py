"""A real Celery worker (Redis broker, tests/celery_support.py) builds a contest's diplomas
in one batch after the chair approves the results; the chair then downloads the ZIP."""

import io
import time
import zipfile

import pytest
from django.urls import reverse

from contests import pdf
from contests.models import Application
from rumo.models import DocumentBuild
from tests.celery_support import celery_worker  # noqa: F401  (the fixture, by name)
from tests.contests import ranked_contest
from tests.rumo import pdf_text

State = DocumentBuild.State
PEOPLE = 12


def wait_for_diplomas(contest, count: int, timeout: float = 90) -> list[DocumentBuild]:
    deadline = time.monotonic() + timeout
    ids = list(contest.applications.values_list("pk", flat=True))
    while True:
        rows = list(DocumentBuild.objects.filter(kind=pdf.DIPLOMA.name, object_id__in=ids))
        finished = [r for r in rows if r.state in (State.DONE, State.FAILED)]
        if len(finished) == count or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_every_diploma_and_the_chair_downloads_them_as_one_zip(
    client,
    running,
    chair,
    juror,
    applicant,
    celery_worker,  # noqa: F811
):
    names = [f"Участница-{n:02d} Анна Ивановна" for n in range(1, PEOPLE + 1)]
    # Approving the results (committed at once: no test transaction) sends one task per
    # diploma to Redis; the worker thread takes them one by one.
    started = time.monotonic()
    ranked_contest(running, applicant, [chair, juror], names)

    rows = wait_for_diplomas(running, PEOPLE)
    elapsed = time.monotonic() - started
    assert [(r.state, r.error) for r in rows] == [(State.DONE, "")] * PEOPLE, elapsed
    numbers = {r.issued.register_number for r in rows}
    assert len(numbers) == PEOPLE and all(n.startswith("Р-") for n in numbers)

    client.force_login(chair.user)
    page = client.get(reverse("contests:results", args=[running.pk])).content.decode()
    assert f"{PEOPLE} из {PEOPLE}" in page and "Скачать все одним архивом" in page

    response = client.get(reverse("contests:diplomas-zip", args=[running.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    entries = archive.namelist()
    assert len(entries) == PEOPLE
    for application in Application.objects.filter(contest=running):
        (entry,) = [e for e in entries if e.endswith(f" — {application.display_name}.pdf")]
        text = " ".join(pdf_text(archive.read(entry)).split())
        assert application.display_name in text
        assert application.register_number in text  # К-2030-…: the contest's own number
