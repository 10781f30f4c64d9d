"""The outbox on a real Celery worker with Redis and a real SMTP server.

A plan action while the broker is down saves the change and its e-mail, and the
beat sweep sends it once the broker is back; a worker that dies between claiming
a row and marking it loses nothing and sends nothing twice.
"""

import time
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from meetings import notify
from meetings.models import Meeting
from plans.models import Revision
from rumo import outbox
from rumo.models import OutboxMessage
from rumo.tasks import sweep_outbox_task
from tests import factories
from tests.celery_support import celery_worker  # noqa: F401  (the fixture, by name)
from tests.meetings.test_notify import make_meeting
from tests.meetings.test_smtp import smtp_server  # noqa: F401  (the fixture, by name)

State = OutboxMessage.State


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the worker did not finish in time"
        time.sleep(0.1)


def received(inbox) -> Counter:
    return Counter(rcpt for rcpts, _message in inbox.messages() for rcpt in rcpts)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_send_for_agreement_with_the_broker_down_saves_the_step_and_mails_once_later(
    client,
    draft,
    chair,
    curator,
    smtp_server,  # noqa: F811
    celery_worker,  # noqa: F811
):
    client.force_login(chair.user)
    down = OperationalError("Error 111 connecting to redis: Connection refused.")
    with mock.patch("rumo.tasks.send_outbox_task.delay", side_effect=down):
        response = client.post(reverse("plans:send", args=[draft.pk]))

    assert response.status_code == 302  # not a 500
    draft.refresh_from_db()
    assert draft.status == Revision.Status.ON_AGREEMENT
    row = outbox.about(draft.plan).get(kind="plan_on_agreement")
    assert (row.state, row.to_email, row.claimed_until) == (State.PENDING, curator.email, None)
    assert smtp_server.messages() == []

    # The broker is back: the beat sweep runs on the worker, twice.
    sweep_outbox_task.delay()
    wait_for(lambda: OutboxMessage.objects.get(pk=row.pk).state == State.SENT)
    sweep_outbox_task.delay()
    time.sleep(1)

    assert received(smtp_server) == Counter({curator.email: 1})
    [(_rcpts, message)] = smtp_server.messages()
    assert message["Subject"] == "План работы на 2025 год ждёт согласования"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"] == row.message_id


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_dying_between_claim_and_mark_loses_nothing_and_sends_nothing_twice(
    library,
    smtp_server,  # noqa: F811
    celery_worker,  # noqa: F811
):
    for _ in range(12):
        factories.MembershipFactory(association=library)
    meeting = make_meeting(library)
    meeting.status = Meeting.Status.ANNOUNCED
    meeting.save()
    mails = notify.notices(
        meeting, kind="announcement", slot="0", members=notify.recipients(meeting),
        now=timezone.now(),
    )  # fmt: skip
    with mock.patch("rumo.outbox.send_soon"):  # handed over below, by this "worker"
        outbox.enqueue(mails)
    lease, ids = outbox.claim_due(meeting.deliveries.all())
    assert len(ids) == 12

    # The first worker sends five, then dies after claiming the sixth, before its hand-off.
    real_send = outbox.Batch.send
    calls = []

    def dies_on_the_sixth(batch, row):
        calls.append(row.pk)
        if len(calls) == 6:
            raise SystemExit("SIGKILL")
        return real_send(batch, row)

    with mock.patch.object(outbox.Batch, "send", dies_on_the_sixth), pytest.raises(SystemExit):
        outbox.send_rows(ids, lease=lease)

    claimed = OutboxMessage.objects.get(pk=calls[5])
    assert (claimed.state, claimed.attempts) == (State.PENDING, 1)
    assert claimed.claimed_until > timezone.now()  # still leased to the dead worker
    assert sum(received(smtp_server).values()) == 5

    # Before the lease expires the sweep leaves the rows alone ...
    sweep_outbox_task.delay()
    time.sleep(1)
    assert sum(received(smtp_server).values()) == 5
    # ... afterwards the worker takes them over.
    OutboxMessage.objects.filter(pk__in=ids, state=State.PENDING).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    sweep_outbox_task.delay()
    wait_for(lambda: not meeting.deliveries.filter(state=State.PENDING).exists())
    sweep_outbox_task.delay()
    time.sleep(1)

    expected = {m.email: 1 for m in notify.recipients(meeting)}
    assert received(smtp_server) == Counter(expected)
    assert meeting.deliveries.filter(state=State.SENT).count() == 12
