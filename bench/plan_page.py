"""Measure the revision page: query count and median render time, the seed plan and a 10x plan.

    .venv/bin/python bench/plan_page.py [--runs 15]

Runs against a throw-away test database (SQLite in memory by default; set
DATABASE_URL to measure on PostgreSQL), loads the demo data taken from the seed
and grows a plan ten times its size, then requests each page as a visitor (the
approved plan) and as the chair (a draft in edit mode).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)


def build():
    """Return {label: (url, user or None)} for the four pages measured."""
    from members import demo as members_demo
    from plans import demo as plans_demo
    from plans import services
    from plans.models import Plan
    from tests.plans.test_queries import grow

    associations = members_demo.load()
    library = associations["library"]
    seed = plans_demo.load(associations).revisions.get(number=1)
    big_plan = Plan.objects.create(association=library, year=2023)
    big = big_plan.revisions.create(number=1, status="approved", title=seed.title, place=seed.place)
    grow(seed, big, times=10)
    chair = library.memberships.get(role="chair").member.user
    drafts = []
    for year, times in ((2031, 1), (2032, 10)):
        draft = services.create_plan(library, year=year, by=None).revisions.get()
        draft.sections.all().delete()
        grow(seed, draft, times=times)
        drafts.append(draft)
    return {
        "seed plan, visitor": (seed.get_absolute_url(), None),
        "10x plan, visitor": (big.get_absolute_url(), None),
        "seed-size draft, chair": (drafts[0].get_absolute_url(), chair),
        "10x draft, chair": (drafts[1].get_absolute_url(), chair),
    }


def measure(url: str, user, runs: int) -> tuple[int, float, int]:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.get(url)  # warm up: templates compiled, session loaded
    reset_queries()  # the log is a bounded deque: a full one would count nothing
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    return len(queries), statistics.median(timings), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        pages = build()
        print(f"{'page':<26}{'queries':>8}{'median ms':>11}{'KB':>7}")
        for label, (url, user) in pages.items():
            count, median, size = measure(url, user, args.runs)
            print(f"{label:<26}{count:>8}{median * 1000:>11.1f}{size / 1024:>7.0f}")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
