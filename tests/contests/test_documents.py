"""The contest documents through the pipeline: requested on approval, built by the sweep,
shown while they build, and refused to those who may not read them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contests import pdf, services
from rumo import pipeline
from rumo.models import DocumentBuild
from tests.contests.test_pdf import scored_contest

pytestmark = pytest.mark.django_db
State = DocumentBuild.State


def downloaded(response) -> bytes:
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)  # read to the end: the client closes it


def test_approving_the_results_requests_every_diploma_and_the_sweep_builds_them(
    login, running, chair, juror, applicant
):
    application = scored_contest(running, chair, juror, applicant)  # approves the results
    row = DocumentBuild.objects.get(kind="contests.diploma", object_id=application.pk)
    assert row.state == State.QUEUED  # the task is sent on commit (none in this test)

    page = login(chair).get(reverse("contests:results", args=[running.pk])).content.decode()
    assert 'data-testid="diplomas"' in page and "Дипломы формируются:" in page

    # The beat sweep sends the queued regulation and diploma to the (eager) worker.
    assert pipeline.sweep_builds(timezone.now() + timedelta(minutes=2)) == 2
    row.refresh_from_db()
    assert row.state == State.DONE and row.issued.register_number.startswith("Р-")
    page = login(chair).get(reverse("contests:results", args=[running.pk])).content.decode()
    assert row.issued.register_number in page and "PDF формируется…" not in page


def test_approving_the_regulation_requests_its_registered_pdf(running):
    row = DocumentBuild.objects.get(
        kind="contests.regulation", object_id=running.approved_regulation.pk
    )
    assert row.state == State.QUEUED


def test_strangers_are_refused_the_protocol_and_the_diplomas(
    login, running, chair, juror, applicant, member
):
    application = scored_contest(running, chair, juror, applicant)
    for kind, obj in ((pdf.JURY_PROTOCOL, running), (pdf.DIPLOMA, application)):
        pipeline.build_now(kind, kind.load(obj.pk))
    protocol = reverse("contests:protocol-pdf", args=[running.pk])
    diploma = reverse("contests:diploma", args=[application.pk])

    assert login(member).get(protocol).status_code == 403
    assert login(member).get(diploma).status_code == 403
    assert login(None).get(diploma).status_code == 302  # to the login page
    assert downloaded(login(juror).get(protocol)).startswith(b"%PDF")
    assert login(applicant).get(diploma).status_code == 403  # results not published yet
    assert (
        login(applicant)
        .post(reverse("contests:diploma-request", args=[application.pk]))
        .status_code
        == 403
    )

    services.publish_results(running)
    response = login(applicant).get(diploma)
    assert response["ETag"] and downloaded(response).startswith(b"%PDF")
    assert login(member).get(diploma).status_code == 403
