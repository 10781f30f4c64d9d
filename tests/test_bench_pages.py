"""Every page the benchmark measures (bench/pages.py) makes as many queries on ten
times the data (bench/bigdata.py) as on the demo, with the cache cold and warm."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.bigdata import grow
from bench.pages import PAGES, Demo
from plans import pdf as plan_pdf
from plans.outline import load_revision
from rumo import pipeline


def queries_of(path: str, username: str | None) -> tuple[int, int]:
    """Return the queries of a request with the cache empty, then of the same one again."""
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    counts = []
    cache.clear()
    ContentType.objects.clear_cache()  # a process-wide cache: cold for every page alike
    for _ in range(2):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if response.streaming:  # read to the end: the client then closes the file
            b"".join(response.streaming_content)
        counts.append(len(queries))
    return tuple(counts)


@pytest.mark.django_db
def test_each_benchmarked_page_makes_as_many_queries_on_ten_times_the_data():
    call_command("load_demo", verbosity=0)
    demo = Demo()
    # load_demo queues the signed PDF on commit, which a test never reaches.
    pipeline.build_now(plan_pdf.SIGNED, load_revision(demo.approved_revision().pk))
    paths = {page.label: page.path(demo) for page in PAGES}
    small = {page.label: queries_of(paths[page.label], page.login) for page in PAGES}
    grow()
    large = {page.label: queries_of(paths[page.label], page.login) for page in PAGES}
    assert large == small
    # The cache saves queries on the pages that are the same for many readers.
    for label in ("approved plan page", "member dashboard", "public feed"):
        cold, warm = small[label]
        assert warm < cold, label
