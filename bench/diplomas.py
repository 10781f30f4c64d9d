"""Time a contest's diploma batch: 300 participants, one Celery worker with 2 processes.

Run from the repository root with PostgreSQL and Redis up (``./run test`` starts
them): ``.venv/bin/python bench/diplomas.py``. The script creates its own
database (``BENCH_DB_NAME``, default ``rumo_bench_diplomas``, dropped at the
end), uses Redis database 12 (``BENCH_REDIS_URL``), builds the contest of
bench/contest.py (300 accepted applications, 5 criteria, 5 jurors, every score
given), starts ``celery -A rumo worker --concurrency 2``, approves the results
as the chair does (which queues one pipeline build per diploma) and times it
until every diploma is built and registered; then writes the ZIP of all of them
(contests/diplomas.py) as the download does. Goal (issue 9): under 60 s.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "300"))
GOAL_SECONDS = 60
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = os.environ.get("BENCH_DB_NAME", "rumo_bench_diplomas")
ENV = {
    "DJANGO_SETTINGS_MODULE": "rumo.settings",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
    "MEDIA_ROOT": tempfile.mkdtemp(prefix="rumo-bench-diplomas-"),
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


def populate(participants: int):
    from bench.contest import big_contest
    from members.models import Association

    library = Association.objects.create(
        name="РУМО по библиотечному направлению", short_name="РУМО библиотекарей", slug="library"
    )
    return big_contest(participants, association=library)


def start_worker() -> subprocess.Popen:
    command = [str(ROOT / ".venv/bin/celery"), "-A", "rumo", "worker", "--concurrency", "2",
               "--loglevel", "WARNING", "--without-mingle", "--without-gossip"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), start_new_session=True)


def wait_for_worker(app, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not app.control.ping(timeout=1):
        if time.monotonic() > deadline:
            raise SystemExit("the worker did not answer")


def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) of the live processes of a process group (the worker)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the command: state, ppid, pgrp, ...
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def wait_for_builds(ids: list[int], timeout: float = 600) -> bool:
    from rumo.models import DocumentBuild

    State = DocumentBuild.State
    rows = DocumentBuild.objects.filter(kind="contests.diploma", object_id__in=ids)
    deadline = time.monotonic() + timeout
    while rows.filter(state__in=[State.DONE, State.FAILED]).count() < len(ids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def main() -> None:
    create_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from contests import diplomas, services
    from rumo.celery import app
    from rumo.models import DocumentBuild

    worker = None
    try:
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        contest = populate(PARTICIPANTS)
        print(f"setup: database, {PARTICIPANTS} scored applications: "
              f"{time.monotonic() - started:.1f} s")  # fmt: skip
        app.control.purge()
        worker = start_worker()
        wait_for_worker(app)
        load = os.getloadavg()

        cpu_before = group_cpu_seconds(worker.pid)
        started = time.monotonic()
        services.approve_results(contest)  # queues every diploma on commit
        queued = time.monotonic() - started
        ids = list(contest.applications.exclude(register_number="").values_list("pk", flat=True))
        finished = wait_for_builds(ids)
        elapsed = time.monotonic() - started
        cpu = group_cpu_seconds(worker.pid) - cpu_before

        rows = DocumentBuild.objects.filter(kind="contests.diploma", object_id__in=ids)
        done = rows.filter(state=DocumentBuild.State.DONE).count()
        failed = rows.filter(state=DocumentBuild.State.FAILED).count()
        numbers = set(rows.values_list("issued__register_number", flat=True))
        # A diploma's number is reserved (issued_at) before its file is built and
        # written; the register's lock is held only for the reservation
        # (rumo/documents.py). Did a diploma take its number before the previous
        # one's file was written, i.e. did two render at once?
        spans = sorted(
            (row.issued.issued_at.timestamp(), os.path.getmtime(row.issued.file.path))
            for row in rows.select_related("issued")
        )
        pairs = list(zip(spans, spans[1:], strict=False))
        overlaps = sum(1 for (_s1, written), (start, _e2) in pairs if start < written)
        busy = sum(written - start for start, written in spans)
        batch = diplomas.batch(contest)
        zip_started = time.monotonic()
        with diplomas.write_zip(batch) as archive:
            size = archive.seek(0, os.SEEK_END)
        zipped = time.monotonic() - zip_started

        verdict = "OK" if finished and not failed and elapsed < GOAL_SECONDS else "FAILED"
        print(f"diplomas: {done} built, {failed} failed, {len(numbers)} register numbers")
        print(f"approval (scores summed, {len(ids)} builds queued): {queued:.1f} s")
        rate = len(ids) / elapsed
        print(f"approval to the last diploma built: {elapsed:.1f} s "
              f"({rate:.1f} diplomas/s; goal < {GOAL_SECONDS} s): {verdict}")  # fmt: skip
        print(f"worker CPU (2 processes): {cpu:.1f} s, {cpu / len(ids):.3f} s a diploma; "
              f"on 2 idle cores the batch would take about {queued + cpu / 2:.0f} s")  # fmt: skip
        print(f"numbered while another diploma was being built: {overlaps} of "
              f"{len(spans) - 1}; number to file, summed: {busy:.1f} s")  # fmt: skip
        print(f"ZIP of all {batch.total}: {size / 1e6:.1f} MB written in {zipped:.2f} s")
        print(f"load average at the start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
        print(f"RESULT diplomas={len(ids)} built={done} failed={failed} elapsed={elapsed:.3f} "
              f"queued={queued:.3f} worker_cpu={cpu:.3f} overlaps={overlaps} locked={busy:.3f} "
              f"zip_bytes={size} "
              f"zip_seconds={zipped:.3f}")  # fmt: skip
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=60)
        connections.close_all()
        admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
