"""Time the reminder sweep: 2,000 members, one Celery worker with 2 processes, a local SMTP sink.

Run from the repository root with PostgreSQL and Redis up (``./run test`` starts
them): ``.venv/bin/python bench/reminders.py``. The script creates its own
database ``rumo_bench`` (dropped at the end), uses Redis database 13, starts
``celery -A rumo worker --concurrency 2`` and an aiosmtpd sink on a free port,
sends the sweep task as Celery beat would, and times it until every message
has reached the sink.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "2000"))
GOAL_SECONDS = 60
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = os.environ.get("BENCH_DB_NAME", "rumo_bench")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SMTP_PORT = free_port()
ENV = {
    "DJANGO_SETTINGS_MODULE": "rumo.settings",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": str(SMTP_PORT),
    "MEDIA_ROOT": tempfile.mkdtemp(prefix="rumo-bench-reminders-"),
    "LOG_LEVEL": "WARNING",
    "CELERY_TASK_ALWAYS_EAGER": "false",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))


def admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def create_database() -> None:
    admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    try:
        admin(f"CREATE DATABASE {DB_NAME} TEMPLATE rumo_tmpl_ru")
    except psycopg.Error:
        admin(f"CREATE DATABASE {DB_NAME}")


class Sink:
    """An aiosmtpd handler that counts the recipients it was given."""

    def __init__(self, expected: int):
        self.recipients = Counter()
        self.expected = expected
        self.done = threading.Event()
        self.lock = threading.Lock()
        self.first = None

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.first = self.first or time.monotonic()
            self.recipients.update(envelope.rcpt_tos)
            if sum(self.recipients.values()) >= self.expected:
                self.done.set()
        return "250 OK"


def populate(members: int):
    """One association with ``members`` members and a meeting whose 1-day reminder is due."""
    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting
    from members.models import Association, Member, Membership, Organization

    association = Association.objects.create(
        name="РУМО по библиотечному направлению", short_name="РУМО библиотекарей", slug="library"
    )
    college = Organization.objects.create(name="Колледж для замеров", short_name="Колледж")
    people = Member.objects.bulk_create(
        Member(last_name=f"Фамилия{n}", first_name="Анна", patronymic="Ивановна",
               organization=college, email=f"member{n}@bench.example.org")
        for n in range(members)
    )  # fmt: skip
    Membership.objects.bulk_create(
        Membership(member=m, association=association, role=Membership.Role.MEMBER) for m in people
    )
    now = timezone.now()
    meeting = Meeting.objects.create(
        association=association, year=timezone.localtime(now).year, number=1,
        starts_at=now + timedelta(hours=20), link="https://meet.example.org/rumo",
        status=Meeting.Status.ANNOUNCED, announced_at=now - timedelta(days=2),
    )  # fmt: skip
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=n, title=f"Вопрос № {n}", speakers="Докладчик")
        for n in range(1, 6)
    )
    return meeting


def start_worker() -> subprocess.Popen:
    command = [str(ROOT / ".venv/bin/celery"), "-A", "rumo", "worker", "--concurrency", "2",
               "--loglevel", "WARNING", "--without-mingle", "--without-gossip"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), start_new_session=True)


def wait_for_worker(app, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not app.control.ping(timeout=1):
        if time.monotonic() > deadline:
            raise SystemExit("the worker did not answer")


def main() -> None:
    create_database()
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.db import connections

    from meetings.tasks import sweep_reminders_task
    from rumo.celery import app
    from rumo.models import OutboxMessage

    worker = None
    sink = Sink(MEMBERS)
    controller = Controller(sink, hostname="127.0.0.1", port=SMTP_PORT)
    try:
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        meeting = populate(MEMBERS)
        print(f"setup: database, {MEMBERS} members: {time.monotonic() - started:.1f} s")
        controller.start()
        app.control.purge()
        worker = start_worker()
        wait_for_worker(app)

        started = time.monotonic()
        sweep_reminders_task.delay()
        finished = sink.done.wait(timeout=300)
        elapsed = time.monotonic() - started
        time.sleep(1)  # let late duplicates, if any, arrive before counting

        rows = meeting.deliveries.all()
        sent = rows.filter(state=OutboxMessage.State.SENT).count()
        received = sum(sink.recipients.values())
        twice = sum(1 for n in sink.recipients.values() if n > 1)
        print(f"messages received by the SMTP sink: {received} (distinct {len(sink.recipients)})")
        print(f"rows sent: {sent} of {rows.count()}; recipients who got more than one: {twice}")
        verdict = "OK" if finished and elapsed < GOAL_SECONDS and not twice else "FAILED"
        if sink.first is not None:
            print(f"sweep to first message: {sink.first - started:.1f} s")
        print(f"sweep to last message: {elapsed:.1f} s ({received / elapsed:.0f} messages/s; "
              f"goal < {GOAL_SECONDS} s): {verdict}")  # fmt: skip
        # One line for bench/run.py to read.
        print(f"RESULT received={received} distinct={len(sink.recipients)} twice={twice} "
              f"elapsed={elapsed:.3f} finished={int(finished)}")  # fmt: skip
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=60)
        controller.stop()
        connections.close_all()
        admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
