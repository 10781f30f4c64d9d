"""The sweep on a real Celery worker with Redis, and sweeps racing on PostgreSQL."""

import threading
import time
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from meetings import notify, services
from meetings.tasks import sweep_reminders_task
from members.models import Association
from rumo import outbox
from rumo.models import OutboxMessage
from rumo.tasks import send_outbox_task
from tests import factories
from tests.celery_support import celery_worker  # noqa: F401  (the fixture, by name)
from tests.meetings.test_notify import DISCONNECTED, FlakyBackend, make_meeting

State = OutboxMessage.State
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (./run test)"
)


def association_with(members: int) -> Association:
    association = factories.AssociationFactory(slug="race", short_name="РУМО гонок")
    for _ in range(members):
        factories.MembershipFactory(association=association)
    return association


def wait_until_settled(rows, timeout=30.0) -> None:
    """Wait until no row is leased to a worker: each is sent, failed or given back."""
    deadline = time.monotonic() + timeout
    while rows.filter(state=State.PENDING, claimed_until__isnull=False).exists():
        assert time.monotonic() < deadline, "deliveries still leased"
        time.sleep(0.1)


def sweep() -> int:
    """Run the beat's sweep on the worker and wait for it (not for the sends it fans out)."""
    return sweep_reminders_task.apply_async(ignore_result=False).get(timeout=30)


def received() -> Counter:
    return Counter(address for message in mail.outbox for address in message.to)


def run_together(*jobs) -> None:
    """Start the jobs at the same moment in threads, each with its own connection."""
    start = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            start.wait()
            job()
        except Exception as error:  # reported in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []


@pytest.fixture
def noon(monkeypatch):
    """Move Django's clock, still ticking, to 12:00 Moscow time today.

    A meeting 20 hours ahead is then tomorrow whatever the hour the test runs at
    (after midnight it would be today, and the reminder would say «Сегодня»).
    The worker thread reads the same clock.
    """
    real_now = timezone.now
    shift = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0) - real_now()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + shift)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_sends_announcement_then_the_sweep_sends_reminders_once(celery_worker, noon):  # noqa: F811
    association = association_with(25)
    meeting = make_meeting(association, starts_in=timedelta(hours=20))

    # Announced two days ago (its row is due since then), so the 1-day reminder is due now.
    services.announce_meeting(meeting, by=None, now=timezone.now() - timedelta(days=2))
    wait_until_settled(meeting.deliveries.all())
    sweep()
    wait_until_settled(meeting.deliveries.all())
    sweep()

    assert meeting.deliveries.filter(state=State.SENT).count() == 50
    assert set(received().values()) == {2}
    assert len(received()) == 25
    reminders = [m for m in mail.outbox if m.subject.startswith("Завтра: заседание № 1")]
    assert len(reminders) == 25


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_delivery_that_fails_half_way_is_finished_by_the_next_sweep(
    celery_worker,  # noqa: F811
    settings,
    monkeypatch,
):
    monkeypatch.setattr(FlakyBackend, "calls", 0)
    monkeypatch.setattr(FlakyBackend, "error", DISCONNECTED)
    settings.MAILERS = {"default": {"BACKEND": "tests.meetings.test_notify.FlakyBackend"}}
    association = association_with(12)
    meeting = make_meeting(association)

    services.announce_meeting(meeting, by=None)
    deadline = time.monotonic() + 30
    while not meeting.deliveries.exclude(error="").exists():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert len(mail.outbox) == 2  # the connection broke on the third message

    for _ in range(8):
        sweep()
        wait_until_settled(meeting.deliveries.all())

    assert meeting.deliveries.filter(state=State.SENT).count() == 12
    assert received() == Counter({m.email: 1 for m in notify.recipients(meeting)})


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_exactly_once():
    association = association_with(300)
    meeting = make_meeting(association, starts_in=timedelta(hours=20))
    services.announce_meeting(meeting, by=None, now=timezone.now() - timedelta(days=2))
    mail.outbox.clear()

    run_together(sweep_reminders_task, sweep_reminders_task, lambda: outbox.send_due(limit=50))

    assert meeting.deliveries.filter(kind="reminder", state=State.SENT).count() == 300
    assert set(received().values()) == {1} and len(received()) == 300


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_redelivered_task_sends_nothing_twice():
    association = association_with(100)
    meeting = make_meeting(association)
    meeting.status, meeting.announced_at = "announced", timezone.now()
    meeting.save()
    mails = notify.notices(
        meeting,
        kind="announcement",
        slot=str(meeting.sequence),
        members=notify.recipients(meeting),
        now=timezone.now(),
    )
    with mock.patch("rumo.outbox.send_soon"):  # this test hands the rows over itself
        outbox.enqueue(mails)
    lease, ids = outbox.claim_due(meeting.deliveries.all())

    run_together(*[lambda: send_outbox_task(ids, lease)] * 3)

    assert set(received().values()) == {1} and len(received()) == 100
    assert meeting.deliveries.filter(state=State.SENT).count() == 100
