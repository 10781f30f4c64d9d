"""Query counts and median render time of the meetings list and a meeting page, 1× and 10× data.

Run from the project root: ``.venv/bin/python bench/meeting_pages.py`` (an
in-memory SQLite test database; with DATABASE_URL set, a PostgreSQL test
database). Prints one line per page and scale.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="rumo-bench-"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

RUNS = 15


def build(scale: int) -> dict:
    """Return the personas and meetings of one association at ``scale`` (1 or 10)."""
    from meetings import services
    from meetings.models import Response
    from members.models import Association, Membership
    from tests import factories
    from tests.meetings import announced, held, minuted, rank_and_file

    library = Association.objects.create(name=f"РУМО {scale}", short_name="РУМО", slug=f"b{scale}")
    chair = factories.person(f"chair{scale}", last_name="Лоскутова", first_name="Светлана")
    factories.MembershipFactory(member=chair, association=library, role=Membership.Role.CHAIR)
    reader = factories.person(f"member{scale}", last_name="Васильева", first_name="Наталья")
    factories.MembershipFactory(member=reader, association=library)
    people = [reader, *rank_and_file(library, 30 * scale - 1)]
    for n in range(5 * scale):
        meeting = announced(library, starts_in=timedelta(days=10 + n), agenda=[
            f"Вопрос {i}" for i in range(4)])  # fmt: skip
        for item in meeting.agenda_items.all():
            item.speaker_members.set(people[:2])
        Response.objects.bulk_create(
            Response(meeting=meeting, member=p, answer="yes") for p in people[:10]
        )
    services.minutes.request_document = lambda *args, **kwargs: None  # pages, not PDFs
    for _ in range(5 * scale):
        services.approve_minutes(minuted(held(library, people[:20], agenda=["Отчёт"])))
    page = minuted(held(library, people, agenda=[f"Вопрос {i}" for i in range(4 * scale)]),
                   votes=(20, 0, 0))  # fmt: skip
    for item in page.agenda_items.all():
        item.speaker_members.set(people[:3])
    services.approve_minutes(page)
    return {"chair": chair, "member": people[0], "page": page}


def measure(client: Client, url: str) -> tuple[int, float]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    queries = len(captured)  # read now: the next requests reset the query log
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    return queries, statistics.median(timings) * 1000


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"{'page':<28}{'scale':>6}{'queries':>9}{'median ms':>11}")
        for scale in (1, 10):
            world = build(scale)
            for who, label, url in (
                ("member", "meetings list (member)", reverse("meetings:list")),
                ("chair", "meetings list (chair)", reverse("meetings:list")),
                ("member", "meeting page (member)", world["page"].get_absolute_url()),
                ("chair", "meeting page (chair)", world["page"].get_absolute_url()),
            ):
                client = Client()
                client.force_login(world[who].user)
                queries, ms = measure(client, url)
                print(f"{label:<28}{scale:>5}×{queries:>9}{ms:>11.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
