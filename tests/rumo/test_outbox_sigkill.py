"""A real worker process killed with SIGKILL in the middle of an SMTP hand-off.

The worker runs as its own process (``celery -A rumo worker``) against the
test database and Redis; the SMTP server holds the sixth message until the test
has killed the worker with SIGKILL. Nothing is lost, nothing arrives twice: the
rows the dead worker had claimed wait for their lease, then a second worker
process sends them.
"""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from meetings import notify
from meetings.models import Meeting
from rumo import outbox
from rumo.models import OutboxMessage
from tests import factories
from tests.meetings.test_notify import make_meeting
from tests.meetings.test_smtp import free_port

State = OutboxMessage.State
ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


class HoldingInbox:
    """Keeps what it accepts; holds the ``hold``-th message until released, then refuses it."""

    def __init__(self, hold: int):
        self.hold, self.seen, self.accepted = hold, 0, []
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen == self.hold:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 the sender went away"  # its connection is gone by now
        self.accepted.append(envelope.rcpt_tos[0])
        return "250 OK"


def start_worker(port: int, tmp_path: Path, name: str) -> subprocess.Popen:
    """A worker process of the production settings, on the test's database and Redis."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rumo.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "RUMO_VAR_DIR": str(tmp_path / name),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    command = [sys.executable, "-m", "celery", "-A", "rumo", "worker", "--pool", "solo",
               "--loglevel", "WARNING", "-n", f"{name}@%h"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        time.sleep(0.1)


def test_a_worker_killed_during_the_smtp_hand_off_loses_nothing_and_sends_nothing_twice(
    library, tmp_path
):
    if connection.vendor != "postgresql" or not getattr(settings, "REDIS_URL", ""):
        pytest.skip("a worker process shares the test database: PostgreSQL and Redis only")
    from rumo.celery import app
    from rumo.tasks import sweep_outbox_task

    app.control.purge()
    inbox = HoldingInbox(hold=6)
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    workers = []
    try:
        for _ in range(12):
            factories.MembershipFactory(association=library)
        meeting = make_meeting(library)
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.ANNOUNCED)
        people = notify.recipients(meeting)
        mails = notify.notices(meeting, kind="announcement", slot="0", members=people,
                               now=timezone.now())  # fmt: skip
        with mock.patch("rumo.outbox.send_soon"):
            outbox.enqueue(mails)
        ids = list(meeting.deliveries.values_list("pk", flat=True))
        assert len(ids) == 12

        workers.append(start_worker(smtp.port, tmp_path, "first"))
        eager = app.conf.task_always_eager
        app.conf.update(task_always_eager=False)
        try:
            assert outbox.dispatch(meeting.deliveries.all()) == 12  # leased, handed over
            # The first worker sends five and is inside the sixth hand-off: SIGKILL.
            assert inbox.holding.wait(60), "the worker never reached the sixth message"
            os.kill(workers[0].pid, signal.SIGKILL)
            workers[0].wait(10)
            inbox.release.set()
            assert len(inbox.accepted) == 5

            rows = OutboxMessage.objects.filter(pk__in=ids)
            assert rows.filter(state=State.SENT).count() == 5
            leased = rows.filter(state=State.PENDING)
            assert leased.count() == 7  # claimed by the dead worker, not lost
            assert all(row.claimed_until > timezone.now() for row in leased)

            # Once the dead worker's lease is over, a second worker sends the rest.
            leased.update(claimed_until=timezone.now() - timedelta(seconds=1))
            workers.append(start_worker(smtp.port, tmp_path, "second"))
            sweep_outbox_task.delay()
            wait_for(lambda: not rows.filter(state=State.PENDING).exists())
            sweep_outbox_task.delay()  # a second sweep finds nothing to send
            time.sleep(2)
        finally:
            app.conf.update(task_always_eager=eager)

        assert Counter(inbox.accepted) == Counter(person.email for person in people)
        assert rows.filter(state=State.SENT).count() == 12
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(20)
                except subprocess.TimeoutExpired:
                    worker.kill()
        smtp.stop()
        app.control.purge()
