"""PDF builds in the background: a real worker after approval, and the sweep of stale builds."""

import time
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from plans import services
from plans.models import PlanPdf
from plans.tasks import sweep_plan_pdfs_task
from tests.celery_support import celery_worker  # noqa: F401  (the fixture, by name)

State = PlanPdf.State


def wait_until_built(revision, *, draft: bool, timeout: float = 30) -> PlanPdf:
    deadline = time.monotonic() + timeout
    while True:
        pdf = PlanPdf.objects.filter(revision=revision, draft=draft).first()
        if pdf and pdf.state in (State.READY, State.FAILED) or time.monotonic() > deadline:
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
    assert (pdf.state, pdf.error) == (State.READY, "")
    assert pdf.register_number
    assert len(pdf.sha256) == 64
    assert pdf.file.storage.exists(pdf.file.name)


def age(pdf: PlanPdf, minutes: int) -> None:
    PlanPdf.objects.filter(pk=pdf.pk).update(
        requested_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_sweep_re_enqueues_only_builds_left_pending_for_too_long(draft):
    stale = PlanPdf.objects.create(revision=draft, draft=True, state=State.PENDING)
    fresh = PlanPdf.objects.create(revision=draft, draft=False, state=State.PENDING)
    age(stale, minutes=6)
    age(fresh, minutes=1)

    assert sweep_plan_pdfs_task.delay().get() == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.state == State.READY
    assert stale.file
    assert fresh.state == State.PENDING


def test_sweep_restarts_a_build_whose_worker_died(draft):
    crashed = PlanPdf.objects.create(revision=draft, draft=True, state=State.BUILDING)
    age(crashed, minutes=10)

    assert sweep_plan_pdfs_task.delay().get() == 1

    crashed.refresh_from_db()
    assert crashed.state == State.READY


def test_sweep_leaves_finished_and_failed_builds_alone(draft):
    done = PlanPdf.objects.create(revision=draft, draft=True, state=State.FAILED, error="x")
    age(done, minutes=60)

    assert sweep_plan_pdfs_task.delay().get() == 0

    done.refresh_from_db()
    assert done.state == State.FAILED


def test_beat_runs_the_sweep_every_five_minutes():
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "plans.tasks.sweep_plan_pdfs_task"
    ]

    assert len(entries) == 1
    assert entries[0]["schedule"] == 5 * 60  # seconds
