"""PDF builds in the background: a real worker builds the signed plan after approval.

The sweep of lost builds is the pipeline's: tests/rumo/test_pipeline.py.
"""

import time
from datetime import date

import pytest

from plans import services
from rumo.models import DocumentBuild
from tests.celery_support import celery_worker  # noqa: F401  (the fixture, by name)
from tests.documents import build_of

State = DocumentBuild.State


def wait_until_built(revision, *, draft: bool, timeout: float = 30) -> DocumentBuild:
    deadline = time.monotonic() + timeout
    while True:
        pdf = build_of("plans.draft" if draft else "plans.signed", revision)
        if pdf and pdf.state in (State.DONE, State.FAILED) or time.monotonic() > deadline:
            return pdf
        time.sleep(0.2)


@pytest.mark.celery_worker
@pytest.mark.usefixtures("celery_worker")
@pytest.mark.django_db(transaction=True)
def test_worker_builds_the_signed_pdf_once_the_plan_is_approved(draft, chair, curator, approver):
    services.send_for_agreement(draft, by=chair)
    services.agree_revision(draft, by=curator, on=date(2025, 1, 20))
    services.approve_revision(draft, by=approver, on=date(2025, 1, 25))

    pdf = wait_until_built(draft, draft=False)

    assert pdf is not None
    assert (pdf.state, pdf.error) == (State.DONE, "")
    assert pdf.register_number
    assert len(pdf.sha256) == 64
    assert pdf.stored_file.storage.exists(pdf.stored_file.name)
