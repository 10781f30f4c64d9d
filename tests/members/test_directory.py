"""The directory of members and colleges: search, filters, pages, order, queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.views.directory import PAGE_SIZE
from tests import factories

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [m.last_name for m in response.context["page"].object_list]


@pytest.fixture
def reader(login, member):
    return login(member)


@pytest.mark.parametrize("query", ["Семенова", "семёнова", "СЕМЕНОВА", "семен"])
def test_search_ignores_case_and_the_letter_yo(reader, personas, query):
    response = reader.get(reverse("members:directory"), {"q": query})

    assert names(response) == ["Семёнова"]


def test_lowercase_cyrillic_finds_capitalised_names_on_every_database(reader, personas):
    assert names(reader.get(reverse("members:directory"), {"q": "лоскутова светлана"})) == [
        "Лоскутова"
    ]


def test_search_does_not_find_people_by_their_e_mail(reader, personas):
    response = reader.get(reverse("members:directory"), {"q": "tatiana@example.org"})

    assert names(response) == []
    assert "Никого не нашлось" in response.text


def test_filter_by_association_and_college(reader, personas, library, philology):
    college = factories.OrganizationFactory(name="Канашский педагогический колледж")
    factories.MembershipFactory(
        member=factories.MemberFactory(last_name="Петрова", organization=college),
        association=library,
    )

    by_association = reader.get(reverse("members:directory"), {"association": philology.pk})
    by_college = reader.get(reverse("members:directory"), {"organization": college.pk})

    assert names(by_association) == ["Семёнова"]
    assert names(by_college) == ["Петрова"]


def test_the_directory_is_paginated_and_keeps_the_search(reader, library):
    for n in range(PAGE_SIZE + 5):
        factories.MemberFactory(last_name=f"Иванова{n:02d}")

    second = reader.get(reverse("members:directory"), {"q": "иванова", "page": 2})

    assert second.context["page"].number == 2
    assert len(names(second)) == 5
    assert "q=%D0%B8%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0&amp;page=1" in second.text


def count_queries(client, url, params=None) -> int:
    cache.clear()  # the page cache (menu, dashboard) is cold for every count alike
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("name", "query"), [("members:directory", "фамилия"), ("members:colleges", "колледж")]
)
def test_directory_pages_make_the_same_number_of_queries_for_more_people(
    reader, library, name, query
):
    for _ in range(3):
        factories.MemberFactory()
    few = count_queries(reader, reverse(name))
    for _ in range(40):
        factories.MemberFactory()

    assert count_queries(reader, reverse(name)) == few
    assert count_queries(reader, reverse(name), {"q": query}) == few


def test_colleges_are_listed_with_their_member_counts_and_found_by_city(reader, db):
    college = factories.OrganizationFactory(name="Алатырский технологический колледж",
                                            short_name="АТК", city="Алатырь")  # fmt: skip
    factories.MemberFactory(organization=college)
    factories.MemberFactory(organization=college)

    response = reader.get(reverse("members:colleges"), {"q": "алатырь"})

    assert [c.short_name for c in response.context["page"].object_list] == ["АТК"]
    assert response.context["page"].object_list[0].people == 2


def test_the_directory_sorts_the_russian_way(reader, db):
    if connection.vendor != "postgresql":
        pytest.skip("Russian collation is set up for PostgreSQL only (./run test)")
    for last_name in ("яковлева", "Ёлкина", "Абрамова", "Ежова", "Жукова"):
        factories.MemberFactory(last_name=last_name)

    response = reader.get(reverse("members:directory"))

    assert [n for n in names(response) if n != "Васильева"] == [
        "Абрамова", "Ежова", "Ёлкина", "Жукова", "яковлева",
    ]  # fmt: skip
