"""The revision page costs the same number of queries however long the plan is."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans import demo, services
from plans.models import Item, Plan, Section

pytestmark = pytest.mark.django_db
# What the page may cost at all: a regression that adds a query per row fails here too.
CEILING = 25


def grow(source, target, *, times: int) -> None:
    """Append ``times`` copies of the source revision's sections and items to ``target``."""
    position = target.sections.count()
    sections = source.sections.prefetch_related("items__responsible_members")
    for _ in range(times):
        for section in sections:
            position += 1
            copy = Section.objects.create(
                revision=target,
                position=position,
                kind=section.kind,
                title=section.title,
                text=section.text,
            )
            for item in section.items.all():
                new = Item.objects.create(
                    section=copy,
                    position=item.position,
                    text=item.text,
                    timing=item.timing,
                    month_mask=item.month_mask,
                    place=item.place,
                    responsible=item.responsible,
                    meeting=item.meeting,
                    contest=item.contest,
                    execution=item.execution,
                )
                new.responsible_members.set(item.responsible_members.all())


@pytest.fixture
def seed(library, philology, chair, member):
    """The seed plan, approved; a couple of its items name their people."""
    plan = demo.load({"library": library, "philology": philology})
    approved = plan.revisions.get()
    for item in Item.objects.filter(section__revision=approved, section__kind="events")[:2]:
        item.responsible_members.set([chair, member])
    return approved


@pytest.fixture
def big_approved(seed, library):
    """An approved plan ten times the seed: same kinds of rows, ten times as many."""
    plan = Plan.objects.create(association=library, year=2023)
    revision = plan.revisions.create(
        number=1, status="approved", title=seed.title, place=seed.place
    )
    services.copy_content(seed, revision)
    revision.sections.all().delete()
    grow(seed, revision, times=10)
    return revision


@pytest.fixture
def drafts(seed, library, chair):
    """The chair's draft as big as the seed, and one ten times bigger."""
    small = services.create_plan(library, year=2031, by=chair).revisions.get()
    big = services.create_plan(library, year=2032, by=chair).revisions.get()
    small.sections.all().delete()
    big.sections.all().delete()
    grow(seed, small, times=1)
    grow(seed, big, times=10)
    return small, big


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_a_plan_ten_times_larger_costs_no_more_queries_for_a_visitor(
    client, seed, big_approved, django_assert_max_num_queries
):
    assert big_approved.sections.count() == 10 * seed.sections.count()
    seed_queries = count_queries(client, seed.get_absolute_url())

    with django_assert_max_num_queries(seed_queries):
        response = client.get(big_approved.get_absolute_url())

    assert response.status_code == 200
    assert seed_queries <= CEILING
    assert response.text.count("Заседание № 1.") == 10


def test_a_draft_ten_times_larger_costs_no_more_queries_for_its_chair(
    client, chair, drafts, django_assert_max_num_queries
):
    small, big = drafts
    client.force_login(chair.user)
    client.get(small.get_absolute_url())  # the session and its user, as on any later visit
    cache.clear()  # the page rendered, not read whole from the cache
    small_queries = count_queries(client, small.get_absolute_url())

    with django_assert_max_num_queries(small_queries):
        response = client.get(big.get_absolute_url())

    assert response.status_code == 200
    assert small_queries <= CEILING
    assert response.text.count('data-control="edit"') > 10 * 20  # every row is editable
