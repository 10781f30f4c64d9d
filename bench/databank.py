"""The data bank with 10,000 members: report, directory pages, export, and a 10,000-row import.

Run from the project root: ``.venv/bin/python bench/databank.py`` (a SQLite test
database; with DATABASE_URL set, a PostgreSQL test database). Prints one line
per measurement. Goals (issue 10): the report computed in the database and its
page within the staff-page target, directory queries constant, the import of
10,000 rows under 60 s.
"""

import os
import random
import statistics
import sys
import tempfile
import time
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

MEMBERS = 10_000
RUNS = 5


def build():
    """Return a staff user and the association of MEMBERS librarians in 60 colleges."""
    from datetime import date

    from members.models import Association, Course, Member, Membership, Organization
    from tests import factories

    rng = random.Random(10)
    library = Association.objects.create(name="РУМО библиотекарей", short_name="РУМО", slug="lib")
    colleges = Organization.objects.bulk_create(
        Organization(name=f"Колледж № {n}", short_name=f"К-{n:02d}") for n in range(60)
    )
    members = Member.objects.bulk_create(
        Member(
            last_name=f"Фамилия{n:05d}", first_name="Анна", patronymic="Ивановна",
            organization=colleges[n % 60], position="библиотекарь", email=f"m{n}@example.org",
            education=rng.choice(["higher", "vocational", "secondary", ""]),
            has_library_education=rng.random() < 0.6,
            category=rng.choice(["none", "first", "highest"]),
            total_experience=(total := rng.randint(0, 40)),
            library_experience=rng.randint(0, total),
        )
        for n in range(MEMBERS)
    )  # fmt: skip
    Membership.objects.bulk_create(
        Membership(member=m, association=library, role="member", start=date(2024, 1, 1))
        for m in members
    )
    Course.objects.bulk_create(
        Course(member=m, title="Курс", hours=36, year=rng.randint(2018, 2025)) for m in members[::2]
    )
    staff = factories.person("bench-staff", last_name="Сотрудник", first_name="Анна",
                             is_staff=True)  # fmt: skip
    return staff, library


def timed(fn, runs=RUNS) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def page(client: Client, url: str) -> tuple[int, float]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured), timed(lambda: client.get(url))


def posted(client: Client, url: str, data: dict) -> tuple[int, float]:
    """A step of a form through htmx (its fragment comes back)."""
    headers = {"HX-Request": "true"}
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url, data, headers=headers).status_code == 200
    return len(captured), timed(lambda: client.post(url, data, headers=headers))


def cold_page(client: Client, url: str) -> tuple[int, float]:
    """The page with the cache emptied before each request (the first view after a change)."""
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured), timed(lambda: (cache.clear(), client.get(url)))


def main() -> None:
    from django.utils import timezone

    from members import services
    from members.importing import apply_import, plan_import
    from members.models import ImportBatch, Member
    from members.reports import staff_characteristics
    from members.services import imports
    from members.spreadsheets import export_members

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        staff, library = build()
        if connection.vendor == "postgresql":  # statistics, as a database in use has them
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client()
        client.force_login(staff.user)
        print(f"{connection.vendor}, {Member.objects.count()} members")
        ms = timed(lambda: staff_characteristics(library, on=timezone.localdate()))
        print(f"report computed (2 queries)         {ms:9.1f} ms")
        trivial = timed(lambda: client.get(reverse("healthz")), runs=21)
        print(f"{'/healthz (in process)':<36}{trivial:9.1f} ms")
        queries, ms = cold_page(client, reverse("members:report", args=[library.slug]))
        print(f"{'report page, cache empty':<36}{ms:9.1f} ms  {queries} queries  "
              f"{ms / trivial:5.0f}× /healthz")  # fmt: skip
        petition = services.save_petition(
            library, award="Почётная грамота", addressee="", by=staff.user,
            members=Member.objects.order_by("pk")[:20],
        )  # fmt: skip
        services.write_merits(
            petition,
            {
                pk: "За многолетний труд."
                for pk in petition.nominees.values_list("member_id", flat=True)
            },
        )
        nominee_ids = list(petition.nominees.values_list("member_id", flat=True))
        for label, url in (
            ("report page (warm cache)", reverse("members:report", args=[library.slug])),
            ("petition page, 20 nominees", petition.get_absolute_url()),
            ("petition form, 20 nominees", reverse("members:petition-edit", args=[petition.pk])),
            ("directory page 1", reverse("members:directory")),
            ("directory search «фамилия01»", reverse("members:directory") + "?q=фамилия01"),
            ("directory page 200", reverse("members:directory") + "?page=200"),
            ("colleges page", reverse("members:colleges")),
            ("campaign-free databank hub", reverse("members:databank")),
        ):
            queries, ms = page(client, url)
            print(f"{label:<36}{ms:9.1f} ms  {queries} queries  {ms / trivial:5.0f}× /healthz")
        # The petition form's nominee picker among 10,000: a search and page 200, as htmx asks.
        form_url = reverse("members:petition-edit", args=[petition.pk])
        for label, data in (
            ("petition form: search «фамилия01»", {"search": "1", "q": "фамилия01"}),
            ("petition form: results page 200", {"page": "200"}),
        ):
            data |= {"award": "Почётная грамота", "members": nominee_ids}
            queries, ms = posted(client, form_url, data)
            print(f"{label:<36}{ms:9.1f} ms  {queries} queries  {ms / trivial:5.0f}× /healthz")
        start = time.perf_counter()
        exported = export_members(library)
        print(
            f"export XLSX ({MEMBERS} rows)          {1000 * (time.perf_counter() - start):9.1f} ms"
        )
        Member.objects.update(position="методист")  # so that importing the export updates all
        start = time.perf_counter()
        _planner, result = plan_import(exported, "members.xlsx", association=library)
        print(f"import preview ({MEMBERS} rows)       {time.perf_counter() - start:9.1f} s   "
              f"{result.counts}")  # fmt: skip
        start = time.perf_counter()
        counts = apply_import(exported, "members.xlsx", association=library)
        print(f"import apply ({MEMBERS} rows)         {time.perf_counter() - start:9.1f} s   "
              f"{counts}")  # fmt: skip
        csv = "\n".join(
            ["Фамилия;Имя;Отчество;Организация;Должность;Электронная почта"]
            + [f"Новая{n:05d};Дарья;Петровна;К-{n % 60:02d};библиотекарь;new{n}@example.org"
               for n in range(MEMBERS)]
        ).encode("cp1251")  # fmt: skip
        batch = ImportBatch.objects.create(token="bench", association=library,
                                           filename="new.csv", created_by=staff.user)  # fmt: skip
        from django.core.files.base import ContentFile

        batch.file.save("new.csv", ContentFile(csv))
        start = time.perf_counter()
        imports.analyse_import(batch.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.APPLYING)
        imports.apply_batch(batch.pk)
        batch.refresh_from_db()
        print(f"import batch: new CSV, {MEMBERS} rows    {time.perf_counter() - start:9.1f} s   "
              f"{batch.state} {batch.counts}")  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
